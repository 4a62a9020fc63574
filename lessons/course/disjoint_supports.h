/* disjoint_supports.h - the Wasserstein GAN paper's first example, from
 * samples: real points on the line x = 0, fakes on x = theta, as two narrow
 * Gaussians. Draws the samples, sums up how flat the Jensen-Shannon
 * divergence is away from theta = 0 and how steady W1's slope, and draws
 * both curves. Lesson 11 uses it; the divergences themselves are computed in
 * the lesson, where the student reads them. */
#ifndef GANSTEPS_DISJOINT_SUPPORTS_H
#define GANSTEPS_DISJOINT_SUPPORTS_H

#include <stdint.h>

#include "lesson.h"

/* real (n) ~ N(0, sd) and base (n) ~ N(0, sd), each sorted ascending, from
 * seed: the fakes at theta are base + theta, so an estimate moves smoothly
 * with theta. */
void disjoint_draw(uint64_t seed, float *real, float *base, int n, float sd);

/* What the lesson computed at each of n values of theta. */
typedef struct {
    const float *theta;         /* (n) where the fake line sits */
    const float *js_f, *js_s;   /* (n) JS(P, Q): the formula, from samples */
    const float *w_f, *w_s;     /* (n) W1(P, Q): the formula, from samples */
    const float *gjs, *gw;      /* (n) their slopes in theta, from samples */
    int n;
} disjoint_curves;

/* Over the thetas with |theta| >= away: how many, the largest distance of
 * the sample JS from log 2, the largest size of its slope, the smallest and
 * largest size of W1's. */
typedef struct {
    int n_away;
    double js_dev, gjs_max, gw_min, gw_max;
} disjoint_flatness;

disjoint_flatness disjoint_flatness_away(const disjoint_curves *c, float away);

/* Two figures: the distances (formula and samples) and the slopes G would
 * follow, against theta. */
void disjoint_plot(lesson *L, const disjoint_curves *c);

#endif
