/* cyclejudge.c - what lesson 15 shows of its translations (cyclejudge.h). */
#include "cyclejudge.h"

#include <stdio.h>
#include <string.h>

#include "classifier.h"

cyclejudge_means cyclejudge_mean(const cyclejudge_way *ab, const cyclejudge_way *ba)
{
    cyclejudge_means m;
    m.rec = 0.5 * (ab->rec_err + ba->rec_err);
    m.corr = 0.5 * (ab->corr + ba->corr);
    m.other = 0.5 * (ab->corr_other + ba->corr_other);
    m.differ = 0.5 * (ab->differ + ba->differ);
    m.in_differ = 0.5 * (ab->in_differ + ba->in_differ);
    return m;
}

double cyclejudge_real_share(lesson *L, nn_model *net, const float *x, int n, int cls)
{
    int *got = lesson_alloc(L, (size_t)n, sizeof(int));
    int ok = 0;
    classifier_predict(net, x, n, got);
    for (int i = 0; i < n; i++) ok += got[i] == cls;
    nn_free(got);
    return (double)ok / n;
}

void cyclejudge_table(lesson *L, const cyclejudge_way *const ways[4],
                      const char *const *class_names)
{
    const cyclejudge_way *c_ab = ways[0], *c_ba = ways[1], *n_ab = ways[2], *n_ba = ways[3];
    lesson_print(L, "%-24s %13s %13s %13s %13s\n", "", "with: A->B", "with: B->A",
                 "without: A->B", "without: B->A");
    lesson_print(L, "%-24s %12.1f%% %12.1f%% %12.1f%% %12.1f%%\n", "recognised as target",
                 100 * c_ab->accuracy, 100 * c_ba->accuracy, 100 * n_ab->accuracy,
                 100 * n_ba->accuracy);
    lesson_print(L, "%-24s %13.4f %13.4f %13.4f %13.4f\n", "reconstruction error",
                 c_ab->rec_err, c_ba->rec_err, n_ab->rec_err, n_ba->rec_err);
    lesson_print(L, "%-24s %13.4f %13.4f %13.4f %13.4f\n", "corr. with own input", c_ab->corr,
                 c_ba->corr, n_ab->corr, n_ba->corr);
    lesson_print(L, "%-24s %13.4f %13.4f %13.4f %13.4f\n", "corr. with another's",
                 c_ab->corr_other, c_ba->corr_other, n_ab->corr_other, n_ba->corr_other);
    lesson_print(L, "%-24s %13.4f %13.4f %13.4f %13.4f\n", "next translation differs",
                 c_ab->differ, c_ba->differ, n_ab->differ, n_ba->differ);
    lesson_print(L, "%-24s %13.4f %13.4f %13s %13s\n", "  (the inputs differ)",
                 c_ab->in_differ, c_ba->in_differ, "", "");
    lesson_print(L, "%-24s", "most common other class");
    for (int i = 0; i < 4; i++) {
        char cell[40];
        snprintf(cell, sizeof cell, "%.8s %.1f%%", class_names[ways[i]->top_wrong],
                 100 * ways[i]->top_wrong_share);
        lesson_print(L, " %13s", ways[i]->top_wrong_share > 0 ? cell : "-");
    }
    lesson_print(L, "\n");
}

void cyclejudge_plot(lesson *L, const cyclejudge_means *with, const cyclejudge_means *without)
{
    nn_error err = {NN_OK, ""};
    const float bars[4] = {(float)with->rec, (float)without->rec, (float)with->corr,
                           (float)without->corr};
    const char *labels[4] = {"rec. error, cycle", "rec. error, none", "corr., cycle",
                             "corr., none"};
    nn_plot p = {.dir = L->out, .name = "cycle_keeps", .title = "held-out images: "
                 "reconstruction error and input-translation correlation", .ylabel = "value",
                 .term = lesson_capture_begin(L), .term_rows = 14};
    nn_status s = nn_plot_bars(&p, bars, labels, 4, &err);
    lesson_capture_end(L);
    lesson_plot_shown(L, &p, s, &err, "with and without the cycle, means of the two ways");
}

void cyclejudge_grid(lesson *L, const char *png, const char *caption, const float *xa,
                     const float *ta, const float *ra, const float *xb, const float *tb,
                     const float *rb, int cols)
{
    nn_error err = {NN_OK, ""};
    float *g = lesson_alloc(L, (size_t)6 * cols * 784, sizeof(float));
    const float *rows[6] = {xa, ta, ra, xb, tb, rb};
    for (int r = 0; r < 6; r++)
        memcpy(g + (size_t)r * cols * 784, rows[r], (size_t)cols * 784 * sizeof(float));
    nn_grid_opts o = nn_grid_defaults(-1.0f, 1.0f);
    o.cols = cols;
    o.scale = 2;
    lesson_check(L, nn_image_write_grid(lesson_path(L, png), g, 6 * cols, 1, 28, 28, &o, &err),
                 &err);
    lesson_figure(L, png, caption);
    nn_free(g);
}
