/* gcosts.h - what lesson 08 measures around its two experiments on the
 * generator's costs (minimax log(1 - D(G(z))) against non-saturating
 * -log D(G(z))): the figures of several curves, the summary of a fresh D
 * trained against a frozen G (medians of G's gradient norm at both ends and
 * its batch-to-batch noise, the table, the figures), and the curves and
 * samples of two end-to-end runs, one per cost. The experiments' loops stay
 * in the lesson, where the student reads them. Lesson 08 uses it.
 */
#ifndef GANSTEPS_GCOSTS_H
#define GANSTEPS_GCOSTS_H

#include "lesson.h"
#include "nn.h"

/* Plots k series ys[i] (n) against x, named names[i], and registers the
 * figure. dashed: the series come in pairs (minimax, non-saturating) drawn
 * solid and dashed, so a pair that coincides still shows both. */
void gcosts_plot_lines(lesson *L, const char *name, const char *title, const char *xlabel,
                       const char *ylabel, int logy, int dashed, const float *x,
                       const float *const *ys, const char *const *names, int k, int n,
                       const char *caption);

/* A fresh D's run against a frozen G, summed up from its d_iters + 1
 * measurements. The norms are noisy from batch to batch: the ends are
 * compared by medians, of the first w0 iterations and of the last w1 (5%). */
typedef struct {
    int w0, w1;
    double start_mm, end_mm;   /* |grad G| under the minimax cost, medians at both ends */
    double start_ns, end_ns;   /* the same under the non-saturating cost */
    double acc_end;            /* D's mean accuracy over the last w1 iterations */
    /* The non-saturating norm's batch-to-batch noise over the first w0 and
     * the last w1 iterations, from the changes between successive
     * iterations, sqrt(mean (x_i - x_i-1)^2 / 2): the standard deviation of
     * independent noise, blind to a slow trend (the norm climbs fast in the
     * first iterations). */
    double noise_ns[2];
} gcosts_sweep;

/* The summary of norm_mm, norm_ns and acc (d_iters + 1 each). */
gcosts_sweep gcosts_sweep_summarise(const float *norm_mm, const float *norm_ns, const float *acc,
                                    int d_iters);

/* The table (D's accuracy and both norms at eleven iterations) and the two
 * figures (the norms, log scale; D's accuracy) against iter (d_iters + 1). */
void gcosts_sweep_show(lesson *L, const float *iter, const float *acc, const float *norm_mm,
                       const float *norm_ns, int d_iters);

/* The window the end-to-end curves are smoothed over: 1% of the steps. */
int gcosts_e2e_window(int steps);

/* The end-to-end runs' logs [0] minimax, [1] non-saturating (steps each),
 * smoothed in place over gcosts_e2e_window(steps), and their two figures
 * against steps_x: D(G(z)) and D's loss, and G's loss. */
void gcosts_e2e_curves(lesson *L, const float *steps_x, int steps, float *const *d_fake_log,
                       float *const *g_loss_log, float *const *d_loss_log);

/* Each run's n_show samples (h x w) as a PNG grid, the first 2 in the
 * terminal; kinds[k] names run k, trained for steps steps. */
void gcosts_e2e_samples(lesson *L, const nn_gan_objective *kinds, float *const *samples,
                        int n_show, int steps, int h, int w);

#endif
