/* truncation.c - what truncation toward the mean w trades (truncation.h). */
#include "truncation.h"

#include <stdio.h>

static void print_table(lesson *L, const truncation_table *t)
{
    lesson_print(L, "  psi   Frechet   classes   precision   recall\n");
    for (int k = 0; k < TRUNCATION_N_PSI; k++) {
        lesson_print(L, "  %3.1f  %8.2f  %5d/10  %10.3f  %7.3f\n", (double)t->psi[k], t->fd[k],
                     t->classes[k], (double)t->prec[k], (double)t->rec[k]);
        char key[48];
        snprintf(key, sizeof key, "style_fd_psi_%g", (double)t->psi[k]);
        lesson_key_quiet(L, key, "%.3f", t->fd[k]);
        snprintf(key, sizeof key, "style_classes_psi_%g", (double)t->psi[k]);
        lesson_key_quiet(L, key, "%d", t->classes[k]);
        snprintf(key, sizeof key, "style_precision_psi_%g", (double)t->psi[k]);
        lesson_key_quiet(L, key, "%.4f", (double)t->prec[k]);
        snprintf(key, sizeof key, "style_recall_psi_%g", (double)t->psi[k]);
        lesson_key_quiet(L, key, "%.4f", (double)t->rec[k]);
    }
}

/* Ten z, one row per psi: 1, 0.7, 0.5, 0. */
static void write_grid(lesson *L, styledraw *d, const float *z)
{
    nn_error err = {NN_OK, ""};
    const float rows_psi[4] = {1.0f, 0.7f, 0.5f, 0.0f};
    float *tg = lesson_alloc(L, (size_t)40 * 784, sizeof(float));
    for (int r = 0; r < 4; r++)
        styledraw_images(d, tg + (size_t)r * 10 * 784, z, NULL, 0, rows_psi[r], 10);
    nn_grid_opts o = nn_grid_defaults(-1.0f, 1.0f);
    o.cols = 10;
    o.scale = 3;
    lesson_check(L, nn_image_write_grid(lesson_path(L, "truncation.png"), tg, 40, 1, 28, 28, &o,
                                        &err), &err);
    lesson_figure(L, "truncation.png", "the same ten z at psi 1, 0.7, 0.5 and 0 (rows)");
    nn_free(tg);
}

/* The trade in words: the figures at every psi, so that a rise that is not
 * steady shows. */
static void say_trade(lesson *L, const truncation_table *t)
{
    const int last = TRUNCATION_N_PSI - 1;
    const int *classes = t->classes;
    const float *prec = t->prec, *rec = t->rec;
    const int cls_fall = classes[last] < classes[0];
    const int prec_rise = prec[last] > prec[0];
    const int rec_fall = rec[last] < rec[0];
    if (L->fast)
        lesson_say(L, "A --fast run is too short to show truncation's trade: its G draws "
                   "little yet, and %d samples are too few to judge. Run without --fast.",
                   t->nj);
    else if (cls_fall || prec_rise) {
        char cls_txt[96] = "", prec_txt[128] = "";
        if (cls_fall)
            snprintf(cls_txt, sizeof cls_txt, "the samples cover fewer classes (%d, %d, %d)",
                     classes[0], classes[1], classes[2]);
        if (prec_rise)
            snprintf(prec_txt, sizeof prec_txt, "precision rises (%.3f, %.3f, %.3f%s)",
                     (double)prec[0], (double)prec[1], (double)prec[2],
                     prec[2] < prec[1] ? ": not steadily" : "");
        lesson_say(L, "From psi 1 to 0.5 %s%s%s. %s Recall went from %.3f to %.3f%s; the "
                   "Frechet distance, which counts fidelity and variety together, from %.2f "
                   "to %.2f.",
                   cls_txt, cls_fall && prec_rise ? " and " : "", prec_txt,
                   cls_fall && prec_rise
                       ? "Truncation buys typical, clean-looking samples and pays with variety: "
                         "whole classes drop out as every w is pulled toward the average one."
                   : cls_fall ? "Whole classes drop out as every w is pulled toward the "
                                "average one, while precision does not rise here."
                              : "Samples move inside the real data's balls, while the "
                                "number of classes covered does not fall.",
                   (double)rec[0], (double)rec[last],
                   rec_fall ? ": the variety paid" : "",
                   t->fd[0], t->fd[last]);
    } else
        lesson_say(L, "In this run truncation neither lowered the classes covered nor "
                   "raised precision between psi 1 and 0.5 (%d and %d classes, precision "
                   "%.3f and %.3f): the mean w of so short a training may not be a good "
                   "image. More --steps, or another --seed, before concluding.",
                   classes[0], classes[last], (double)prec[0], (double)prec[last]);
    lesson_key(L, "style_classes_fall", "%d", cls_fall);
    lesson_key(L, "style_precision_rises", "%d", prec_rise);
}

void truncation_report(lesson *L, const truncation_table *t, styledraw *d, const float *z)
{
    print_table(L, t);
    write_grid(L, d, z);
    say_trade(L, t);
}
