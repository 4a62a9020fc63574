/* lines_figure.c - a figure of a few curves, file and terminal (lines_figure.h). */
#include "lines_figure.h"

void lines_figure_show(lesson *L, const char *name, const char *title, const char *xlabel,
                       const char *ylabel, const float *x, const float *const *ys,
                       const char *const *names, int k, int n, int logy)
{
    nn_error err = {NN_OK, ""};
    nn_plot p = {.dir = L->out, .name = name, .title = title, .xlabel = xlabel,
                 .ylabel = ylabel, .logy = logy, .term = lesson_capture_begin(L),
                 .term_rows = 18};
    nn_status s = nn_plot_lines(&p, x, ys, names, k, n, &err);
    lesson_capture_end(L);
    lesson_plot_shown(L, &p, s, &err, title);
}
