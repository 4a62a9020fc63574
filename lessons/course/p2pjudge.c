/* p2pjudge.c - lesson 19's judge of translations (p2pjudge.h). */
#include "p2pjudge.h"

#include <math.h>
#include <string.h>

#include "p2pdata.h"

/* Lesson 13's sharpness of the made square alone: each image's hole cut
 * out (its bounding box, P2P_HOLE on a side), so the copied pixels around
 * it do not water the measure down. */
static double hole_sharpness(const float *x, const float *mask, int n)
{
    float *crop = nn_alloc((size_t)n * P2P_HOLE * P2P_HOLE, sizeof(float));
    if (!crop) return NAN;
    for (int i = 0; i < n; i++) {
        const float *m = mask + (size_t)i * 784;
        int at = 0;
        while (at < 784 && m[at] < 0.5f) at++;
        int y0 = at / 28, x0 = at % 28;
        if (at == 784 || y0 + P2P_HOLE > 28 || x0 + P2P_HOLE > 28) y0 = x0 = 0;
        for (int y = 0; y < P2P_HOLE; y++)
            memcpy(crop + ((size_t)i * P2P_HOLE + y) * P2P_HOLE,
                   x + (size_t)i * 784 + (y0 + y) * 28 + x0, P2P_HOLE * sizeof(float));
    }
    double sh = nn_sharpness(crop, n, P2P_HOLE, P2P_HOLE);
    nn_free(crop);
    return sh;
}

void p2p_score(lesson *L, judge *j, const float *out, const float *y, const float *mask,
               const int *labels, int n, p2p_scores *s)
{
    nn_error err = {NN_OK, ""};
    for (size_t i = 0; i < (size_t)n * 784; i++)
        if (!isfinite(out[i])) {
            *s = (p2p_scores){NAN, NAN, NAN, NAN};
            return;
        }
    /* The error in [0, 1] pixel units: half the [-1, 1] difference. Counted
     * over the pixels the model had to make: the known ones of an
     * inpainting are copied and would only dilute it. */
    double e = 0.0, count = 0.0;
    for (size_t i = 0; i < (size_t)n * 784; i++) {
        double m = mask ? mask[i] : 1.0;
        e += m * 0.5 * fabs((double)out[i] - y[i]);
        count += m;
    }
    s->l1_err = count > 0.0 ? e / count : NAN;
    s->sharpness = mask ? hole_sharpness(out, mask, n) : nn_sharpness(out, n, 28, 28);
    memcpy(j->img, out, (size_t)n * 784 * sizeof(float));
    classifier_features(j->net, j->img, n, j->feat);
    lesson_check(L, nn_frechet_distance_to(&s->fd, &j->ref, j->feat, n, &err), &err);
    classifier_predict(j->net, j->img, n, j->labels);
    int right = 0;
    for (int i = 0; i < n; i++) right += j->labels[i] == labels[i];
    s->class_acc = (double)right / n;
}

void p2p_rows_figure(lesson *L, const char *name, const char *caption, const float *rows,
                     const char *const *row_names, int nrows, int k)
{
    nn_error err = {NN_OK, ""};
    /* About 60 pixels an image, and room for the row names on the left. */
    nn_plot p = {.dir = L->out, .name = name, .width = 120 + 60 * k, .height = 40 + 62 * nrows};
    nn_status s = nn_plot_image_rows(&p, rows, nrows, k, 28, 28, -1.0f, 1.0f, row_names, &err);
    lesson_plot_shown(L, &p, s, &err, caption);
}

void p2p_tradeoff_figure(lesson *L, const char *name, const char *title, const float *pts,
                         const char *const *names, int n)
{
    nn_error err = {NN_OK, ""};
    nn_plot p = {.dir = L->out, .name = name, .title = title,
                 .xlabel = "per-pixel error (mean |out - real|, pixels in [0, 1])",
                 .ylabel = "Frechet distance to real test images",
                 .term = lesson_capture_begin(L), .term_rows = 20};
    nn_status s = nn_plot_named_points(&p, pts, names, n, &err);
    lesson_capture_end(L);
    lesson_plot_shown(L, &p, s, &err, title);
}

void p2p_table(lesson *L, const char *const *names, const p2p_scores *s, int n)
{
    lesson_print(L, "%-28s %11s %10s %9s %9s\n", "", "pixel error", "sharpness", "Frechet",
                 "class ok");
    for (int i = 0; i < n; i++)
        lesson_print(L, "%-28s %11.4f %10.4f %9.2f %8.1f%%\n", names[i], s[i].l1_err,
                     s[i].sharpness, s[i].fd, 100.0 * s[i].class_acc);
}
