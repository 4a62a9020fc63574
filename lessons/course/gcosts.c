/* gcosts.c - lesson 08's measurements of the generator's two costs (gcosts.h). */
#include "gcosts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "viz/image.h"
#include "viz/plot.h"

void gcosts_plot_lines(lesson *L, const char *name, const char *title, const char *xlabel,
                       const char *ylabel, int logy, int dashed, const float *x,
                       const float *const *ys, const char *const *names, int k, int n,
                       const char *caption)
{
    nn_error err;
    nn_plot p = {.dir = L->out, .name = name, .title = title, .xlabel = xlabel,
                 .ylabel = ylabel, .logy = logy, .dashed = dashed,
                 .term = lesson_capture_begin(L)};
    nn_status s = nn_plot_lines(&p, x, ys, names, k, n, &err);
    lesson_capture_end(L);
    lesson_plot_shown(L, &p, s, &err, caption);
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* Median of x[from..to): the typical size of a noisy series at one end of a
 * run, untouched by the odd batch with one hard fake in it. */
static double median(const float *x, int from, int to)
{
    int n = to - from;
    float *tmp = nn_alloc((size_t)n, sizeof(float));
    if (!tmp)
        return (double)x[from]; /* no memory: one value is still an estimate */
    memcpy(tmp, x + from, (size_t)n * sizeof(float));
    qsort(tmp, (size_t)n, sizeof(float), cmp_float);
    double m = n % 2 ? tmp[n / 2] : 0.5 * ((double)tmp[n / 2 - 1] + tmp[n / 2]);
    nn_free(tmp);
    return m;
}

gcosts_sweep gcosts_sweep_summarise(const float *norm_mm, const float *norm_ns, const float *acc,
                                    int d_iters)
{
    gcosts_sweep m;
    int w0 = d_iters >= 400 ? 20 : 1 + d_iters / 20, w1 = 1 + d_iters / 20;
    int last = d_iters + 1;
    m.w0 = w0;
    m.w1 = w1;
    m.start_mm = median(norm_mm, 0, w0);
    m.end_mm = median(norm_mm, last - w1, last);
    m.start_ns = median(norm_ns, 0, w0);
    m.end_ns = median(norm_ns, last - w1, last);
    m.acc_end = 0.0;
    for (int i = d_iters + 1 - w1; i <= d_iters; i++)
        m.acc_end += acc[i] / (double)w1;
    for (int e = 0; e < 2; e++) {
        int from = e ? last - w1 : 0, to = e ? last : w0;
        double v = 0.0;
        for (int i = from + 1; i < to; i++)
            v += ((double)norm_ns[i] - norm_ns[i - 1]) * ((double)norm_ns[i] - norm_ns[i - 1]);
        m.noise_ns[e] = to - from > 1 ? sqrt(v / (2.0 * (to - from - 1))) : 0.0;
    }
    return m;
}

void gcosts_sweep_show(lesson *L, const float *iter, const float *acc, const float *norm_mm,
                       const float *norm_ns, int d_iters)
{
    lesson_print(L, "  %-10s %10s %16s %16s\n", "iteration", "D accuracy", "|grad G| minimax",
                 "|grad G| nonsat");
    for (int k = 0; k <= 10; k++) {
        int i = (int)((long)k * d_iters / 10);
        lesson_print(L, "  %-10d %10.3f %16.3e %16.3e\n", i, acc[i], norm_mm[i], norm_ns[i]);
    }
    const float *ys[2] = {norm_mm, norm_ns};
    const char *names[2] = {"minimax log(1 - D(G(z)))", "non-saturating -log D(G(z))"};
    gcosts_plot_lines(L, "grad_norms", "norm of G's gradient while a fresh D trains (log scale)",
                      "D iterations", "|grad of G's cost|", 1, 0, iter, ys, names, 2,
                      d_iters + 1, "G's gradient norm under each cost against D iterations");
    const float *as[1] = {acc};
    const char *anames[1] = {"D accuracy"};
    gcosts_plot_lines(L, "d_accuracy", "the fresh discriminator's accuracy", "D iterations",
                      "accuracy", 0, 0, iter, as, anames, 1, d_iters + 1,
                      "the fresh discriminator's accuracy against D iterations");
}

/* x (n) = its running mean over the last w values (fewer at the start). */
static void smooth(float *x, int n, int w)
{
    double sum = 0.0;
    float *orig = nn_alloc((size_t)n, sizeof(float));
    if (!orig)
        return; /* unsmoothed curves are still right */
    memcpy(orig, x, (size_t)n * sizeof(float));
    for (int i = 0; i < n; i++) {
        sum += orig[i] - (i >= w ? orig[i - w] : 0.0f);
        x[i] = (float)(sum / (i + 1 < w ? i + 1 : w));
    }
    nn_free(orig);
}

int gcosts_e2e_window(int steps)
{
    return steps >= 200 ? steps / 100 : 1;
}

void gcosts_e2e_curves(lesson *L, const float *steps_x, int steps, float *const *d_fake_log,
                       float *const *g_loss_log, float *const *d_loss_log)
{
    /* Each curve is smoothed over a short window so the trend shows. */
    int sw = gcosts_e2e_window(steps);
    for (int k = 0; k < 2; k++) {
        smooth(d_fake_log[k], steps, sw);
        smooth(g_loss_log[k], steps, sw);
        smooth(d_loss_log[k], steps, sw);
    }
    const float *ys[4] = {d_fake_log[0], d_fake_log[1], d_loss_log[0], d_loss_log[1]};
    const char *names[4] = {"D(G(z)) minimax", "D(G(z)) nonsat", "D loss minimax",
                            "D loss nonsat"};
    gcosts_plot_lines(L, "e2e_d", "D(G(z)) and D's loss, minimax vs non-saturating", "step",
                      "value", 0, 1, steps_x, ys, names, 4, steps,
                      "D(G(z)) and the D loss during training, under each generator cost");
    const float *gs[2] = {g_loss_log[0], g_loss_log[1]};
    const char *gnames[2] = {"G loss minimax (log(1 - D))", "G loss nonsat (-log D)"};
    gcosts_plot_lines(L, "e2e_g_loss", "generator loss, minimax vs non-saturating", "step",
                      "G loss", 0, 1, steps_x, gs, gnames, 2, steps,
                      "the generator's loss under each cost");
}

void gcosts_e2e_samples(lesson *L, const nn_gan_objective *kinds, float *const *samples,
                        int n_show, int steps, int h, int w)
{
    nn_error err;
    for (int k = 0; k < 2; k++) {
        char png[64], caption[96];
        snprintf(png, sizeof png, "samples_%s.png", nn_gan_objective_name(kinds[k]));
        snprintf(caption, sizeof caption, "samples after %d steps, %s cost", steps,
                 nn_gan_objective_name(kinds[k]));
        nn_grid_opts go = nn_grid_defaults(-1.0f, 1.0f);
        go.scale = 2;
        lesson_check(L, nn_image_write_grid(lesson_path(L, png), samples[k], n_show, 1, h, w,
                                            &go, &err),
                     &err);
        lesson_print(L, "%s cost, the first 2 samples:\n", nn_gan_objective_name(kinds[k]));
        nn_image_preview(lesson_capture_begin(L), samples[k], 2, 1, h, w, 2, -1.0f, 1.0f,
                         NN_PREVIEW_ASCII);
        lesson_capture_end(L);
        lesson_figure(L, png, caption);
    }
}
