/* cyclejudge.c - what lesson 15 shows of its translations (cyclejudge.h). */
#include "cyclejudge.h"

#include <stdio.h>
#include <string.h>

#include "classifier.h"
#include "viz/plot.h"

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
    lesson_print(L, "%-24s %13.4f %13.4f %13.4f %13.4f\n", "  (the inputs differ)",
                 c_ab->in_differ, c_ba->in_differ, n_ab->in_differ, n_ba->in_differ);
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
    /* The correlation with another image's input is the baseline of the
     * correlation with the own one; both can be negative. */
    const float bars[6] = {(float)with->rec, (float)without->rec, (float)with->corr,
                           (float)without->corr, (float)with->other, (float)without->other};
    const char *groups[3] = {"reconstruction error", "corr. with own input",
                             "corr. with another's input"};
    const char *series[2] = {"with the cycle", "without"};
    nn_plot p = {.dir = L->out, .name = "cycle_keeps", .title = "held-out images, means of "
                 "the two ways", .ylabel = "value", .term = lesson_capture_begin(L),
                 .term_rows = 16};
    nn_status s = nn_plot_bar_groups(&p, bars, groups, series, 3, 2, &err);
    lesson_capture_end(L);
    lesson_plot_shown(L, &p, s, &err, "with and without the cycle: reconstruction error, and "
                      "the translation's correlation with its own input and with another's");
}

void cyclejudge_grid(lesson *L, const char *name, const char *caption, const char *name_a,
                     const char *name_b, const float *xa, const float *ta, const float *ra,
                     const float *xb, const float *tb, const float *rb, int cols)
{
    nn_error err = {NN_OK, ""};
    float *g = lesson_alloc(L, (size_t)6 * cols * 784, sizeof(float));
    const float *rows[6] = {xa, ta, ra, xb, tb, rb};
    for (int r = 0; r < 6; r++)
        memcpy(g + (size_t)r * cols * 784, rows[r], (size_t)cols * 784 * sizeof(float));
    /* Each row named by what it is, so the figure reads without the text. */
    char names[6][64];
    snprintf(names[0], sizeof names[0], "A: %.20s (input)", name_a);
    snprintf(names[1], sizeof names[1], "G_ab(A): translated");
    snprintf(names[2], sizeof names[2], "G_ba(G_ab(A)): back");
    snprintf(names[3], sizeof names[3], "B: %.20s (input)", name_b);
    snprintf(names[4], sizeof names[4], "G_ba(B): translated");
    snprintf(names[5], sizeof names[5], "G_ab(G_ba(B)): back");
    const char *row_names[6] = {names[0], names[1], names[2], names[3], names[4], names[5]};
    nn_plot p = {.dir = L->out, .name = name, .width = 900, .height = 480};
    nn_status s = nn_plot_image_rows(&p, g, 6, cols, 28, 28, -1.0f, 1.0f, row_names, &err);
    lesson_plot_shown(L, &p, s, &err, caption);
    nn_free(g);
}
