/* toy_oscillation.h - a real GAN circling instead of settling: lesson 09's
 * vanilla GAN on the ring of 8 Gaussians, D(x) and D(G(z)) step by step,
 * and how far D(x)'s running mean still swings over the second half of the
 * run. Lesson 11 uses it beside the game x y. */
#ifndef GANSTEPS_TOY_OSCILLATION_H
#define GANSTEPS_TOY_OSCILLATION_H

#include <stdint.h>

#include "lesson.h"

/* The range of D(x)'s 50-step running mean over the second half. */
typedef struct {
    float lo, hi;
} toy_oscillation_swing;

/* Trains from seed for steps G updates and draws the figure toy_oscillation. */
toy_oscillation_swing toy_oscillation_run(lesson *L, uint64_t seed, int steps);

#endif
