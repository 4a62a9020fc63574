/* toy_oscillation.c - lesson 09's ring GAN, step by step (toy_oscillation.h). */
#include "toy_oscillation.h"

#include <math.h>
#include <stdio.h>

#include "lines_figure.h"
#include "nn.h"
#include "toygan.h"
#include "trainrun.h"

toy_oscillation_reading toy_oscillation_read(const toy_oscillation_swing *w)
{
    if (2 * w->concentrated < w->checks) return TOY_OSC_SPREAD;
    return w->switches >= 2 ? TOY_OSC_MOVES : TOY_OSC_STAYS;
}

/* share (K): the share of n samples pts (n, 2) nearest to each mode of t. */
static void mode_shares(const nn_toy *t, const float *pts, int n, float *share)
{
    int K = t->n_modes;
    for (int k = 0; k < K; k++) share[k] = 0.0f;
    for (int i = 0; i < n; i++) {
        int best = 0;
        float bd = INFINITY;
        for (int k = 0; k < K; k++) {
            float d = hypotf(pts[2 * i] - t->centres[2 * k],
                             pts[2 * i + 1] - t->centres[2 * k + 1]);
            if (d < bd) bd = d, best = k;
        }
        share[best] += 1.0f / (float)n;
    }
}

/* One check of the second half into w: the top mode and its share. */
static void count_check(toy_oscillation_swing *w, const float *share, int K, int *last_top)
{
    int top = 0;
    for (int k = 1; k < K; k++)
        if (share[k] > share[top]) top = k;
    w->checks++;
    w->top_share += share[top];
    if (share[top] < 0.5f) return;
    if (*last_top >= 0 && *last_top != top) w->switches++;
    w->visited |= 1 << top;     /* a bit per mode (the ring's 8 fit), counted at the end */
    w->concentrated++;
    *last_top = top;
}

toy_oscillation_swing toy_oscillation_run(lesson *L, uint64_t seed, int steps)
{
    nn_error err = {NN_OK, ""};
    nn_toy ring;
    lesson_check(L, nn_toy_ring(&ring, 8, 2.0f, 0.02f, &err), &err);
    const int K = ring.n_modes;
    toy_config tc = toy_config_default();
    toy_gan *tg = toy_gan_create(&tc, seed, &err);
    if (!tg) lesson_check(L, err.code, &err);
    float *dr = lesson_alloc(L, (size_t)steps * 3, sizeof(float));
    float *df = dr + steps, *ts = dr + 2 * steps;
    int max_checks = steps / TOY_OSC_EVERY + 1;
    float *shares = lesson_alloc(L, (size_t)(K + 1) * (size_t)max_checks, sizeof(float));
    float *check_at = shares + (size_t)K * max_checks;
    float *pts = lesson_alloc(L, 2 * TOY_OSC_SAMPLES, sizeof(float));
    toy_oscillation_swing w = {INFINITY, -INFINITY, 0, 0, 0, 0, 0.0};
    int last_top = -1, nc = 0;
    for (int s = 0; s < steps; s++) {
        toy_gan_step(tg, &ring);
        dr[s] = tg->last.d_real;
        df[s] = tg->last.d_fake;
        ts[s] = (float)(s + 1);
        if (s + 1 > steps / 2 && (s + 1) % TOY_OSC_EVERY == 0 && nc < max_checks) {
            float share[NN_TOY_MAX_MODES];
            toy_gan_sample(tg, pts, TOY_OSC_SAMPLES);
            mode_shares(&ring, pts, TOY_OSC_SAMPLES, share);
            count_check(&w, share, K, &last_top);
            for (int k = 0; k < K; k++) shares[(size_t)k * max_checks + nc] = share[k];
            check_at[nc++] = (float)(s + 1);
        }
    }
    int bits = w.visited;
    w.visited = 0;
    for (; bits; bits >>= 1) w.visited += bits & 1;
    if (w.checks) w.top_share /= w.checks;
    float *sm = lesson_alloc(L, (size_t)steps, sizeof(float));
    trainrun_smooth(sm, dr, steps, 50);
    for (int s = steps / 2; s < steps; s++) {
        w.lo = fminf(w.lo, sm[s]);
        w.hi = fmaxf(w.hi, sm[s]);
    }
    const float *ys[2] = {dr, df};
    const char *names[2] = {"D(x)", "D(G(z))"};
    lines_figure_show(L, "toy_oscillation", "D(x) and D(G(z)) on lesson 09's ring", "G updates",
                      "mean probability", ts, ys, names, 2, steps, 0);
    if (nc >= 2) {
        const float *ms[NN_TOY_MAX_MODES];
        char mn[NN_TOY_MAX_MODES][16];
        const char *mnames[NN_TOY_MAX_MODES];
        for (int k = 0; k < K; k++) {
            ms[k] = shares + (size_t)k * max_checks;
            snprintf(mn[k], sizeof mn[k], "mode %d", k);
            mnames[k] = mn[k];
        }
        lines_figure_show(L, "toy_oscillation_modes", "share of G's samples nearest each "
                          "mode of the ring, second half", "G updates", "share of samples",
                          check_at, ms, mnames, K, nc, 0);
    }
    nn_free(pts);
    nn_free(shares);
    nn_free(sm);
    nn_free(dr);
    toy_gan_free(tg);
    return w;
}
