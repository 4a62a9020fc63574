/* fgsmsweep.c - the report of lesson 14's FGSM sweep (fgsmsweep.h). */
#include "fgsmsweep.h"

#include <stdio.h>

#include "classifier.h"
#include "quality.h"

void fgsmsweep_report(lesson *L, const float *eps, const float *accs, int k, int *at_min,
                      int *first_below)
{
    nn_error err;
    int lo = 0, below = -1;
    for (int e = 0; e < k; e++) {
        lesson_print(L, "eps %.3f  accuracy %.3f\n", (double)eps[e], (double)accs[e]);
        if (accs[e] < accs[lo]) lo = e;
        if (below < 0 && accs[e] < 0.2f) below = e;
    }
    lesson_key(L, "fgsm_acc_clean", "%.4f", (double)accs[0]);
    lesson_key(L, "fgsm_acc_min", "%.4f", (double)accs[lo]);
    lesson_key(L, "fgsm_eps_at_min", "%.3f", (double)eps[lo]);
    if (below >= 0) lesson_key(L, "fgsm_eps_below_20pct", "%.3f", (double)eps[below]);
    nn_plot p = {.dir = L->out, .name = "fgsm_accuracy", .title = "classifier accuracy "
                 "under FGSM", .xlabel = "eps (in [0, 1] pixel units)",
                 .ylabel = "accuracy", .term = lesson_capture_begin(L), .term_rows = 14};
    const float *ys[1] = {accs};
    const char *names[1] = {"accuracy"};
    nn_status s = nn_plot_lines(&p, eps, ys, names, 1, k, &err);
    lesson_capture_end(L);
    lesson_plot_shown(L, &p, s, &err, "accuracy against eps");
    *at_min = lo;
    *first_below = below;
}

void fgsmsweep_examples(lesson *L, nn_model *net, const float *x, const int *labels, float eps,
                        const char *const *class_names)
{
    nn_error err;
    /* Originals, perturbations (x' - x, grey is 0) and adversarial images. */
    float *xa = lesson_alloc(L, (size_t)8 * 784, sizeof(float));
    int pred[8];
    quality_fgsm(net, xa, x, labels, 8, eps);
    classifier_predict(net, xa, 8, pred);
    float grid[24 * 784];
    for (int i = 0; i < 8 * 784; i++) {
        grid[i] = x[i];
        grid[8 * 784 + i] = (xa[i] - x[i]) / (2.0f * eps + 1e-12f);
        grid[16 * 784 + i] = xa[i];
    }
    nn_grid_opts o = nn_grid_defaults(-1.0f, 1.0f);
    o.cols = 8;
    o.scale = 3;
    lesson_check(L, nn_image_write_grid(lesson_path(L, "fgsm_examples.png"), grid, 24, 1, 28, 28,
                                        &o, &err), &err);
    char cap[96];
    snprintf(cap, sizeof cap, "originals, perturbations (sign, scaled) and adversarial "
             "images, eps %.3f", (double)eps);
    lesson_figure(L, "fgsm_examples.png", cap);
    const char *const *cn = class_names;
    int orig[8];
    classifier_predict(net, x, 8, orig);
    for (int i = 0; i < 8; i++)
        lesson_print(L, "image %d: true %-12s classified %-12s after the attack %s\n", i + 1,
                     cn ? cn[labels[i]] : "?", cn ? cn[orig[i]] : "?", cn ? cn[pred[i]] : "?");
    nn_free(xa);
}
