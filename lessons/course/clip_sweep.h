/* clip_sweep.h - weight clipping's bound swept over a deep critic, as in the
 * WGAN-GP paper's Fig. 1(b), left: for each of c = 0.001, 0.01 and 0.1, a WGAN with
 * a critic of CLIP_SWEEP_LAYERS hidden layers trains for a few G updates,
 * and the norm of the critic's gradient is measured at the input of each of
 * its linear layers (the effect compounds with depth). Lesson 11 uses it. */
#ifndef GANSTEPS_CLIP_SWEEP_H
#define GANSTEPS_CLIP_SWEEP_H

#include <stdint.h>

#include "lesson.h"
#include "recipe.h"

#define CLIP_SWEEP_LAYERS 8     /* the deep critic: 8 hidden layers ... */
#define CLIP_SWEEP_WIDTH 128    /* ... of 128 units, modelled on the WGAN-GP paper's deep
                                 * critics (12-layer ReLU MLPs on toy data) */
#define CLIP_SWEEP_BOUNDS 3

typedef struct {
    float c[CLIP_SWEEP_BOUNDS];     /* the bounds, smallest first */
    int steps;                      /* G updates of each run */
    int n_lin;                      /* the deep critic's linear layers */
    float norm[CLIP_SWEEP_BOUNDS][CLIP_SWEEP_LAYERS + 1]; /* per bound, first layer to last */
    double deep_share;              /* the middle bound's weights within 5% of +-c */
} clip_sweep;

/* Trains the three from seed for steps G updates each, and measures each
 * critic's gradient on the 64 real images probe_real. wbuf (1000000 floats)
 * is scratch. */
void clip_sweep_run(lesson *L, clip_sweep *sw, uint64_t seed, int steps, recipe_feed *f,
                    recipe_evalset *ev, const float *probe_real, float *wbuf);

/* Prints the middle bound's share at the bound (key clip_deep_weights_at_bound)
 * and the gradient norms layer by layer, as a table and a figure. */
void clip_sweep_show(lesson *L, const clip_sweep *sw);

/* Bound k's gradient at the images over its gradient at the last layer. */
double clip_sweep_first_over_last(const clip_sweep *sw, int k);

#endif
