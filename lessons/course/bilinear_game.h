/* bilinear_game.h - the smallest game that does not converge, min over x,
 * max over y of x * y, seen through its trajectories (simultaneous,
 * alternating, and extragradient steps, the one of the three that converges): the distance of each
 * to the equilibrium (0, 0), how much it grew, and the figures. The steps
 * themselves are taken in lesson 11, where the student reads them. */
#ifndef GANSTEPS_BILINEAR_GAME_H
#define GANSTEPS_BILINEAR_GAME_H

#include "lesson.h"

typedef struct {
    double sim;         /* simultaneous steps: last distance over the first */
    double alt;         /* alternating steps: last distance over the first */
    double alt_max;     /* alternating steps: the largest distance over the first */
    double fix;         /* extragradient steps: last distance over the first */
} bilinear_game_growth;

/* sim, alt and fix (steps + 1, 2): the (x, y) of simultaneous, alternating
 * and extragradient steps. Draws the trajectories and their distances to
 * (0, 0). */
bilinear_game_growth bilinear_game_show(lesson *L, const float *sim, const float *alt,
                                        const float *fix, int steps);

#endif
