/* stylenoise.h - how much of a style generator's image its noise inputs
 * move, from per-pixel standard deviations the caller measured (over noise
 * draws for one w, and between w's): the mean and largest spread, the
 * figures of the draws and of the spread, and the learned noise scales of
 * each noise layer. Lesson 16's noise step reports with it.
 */
#ifndef GANSTEPS_STYLENOISE_H
#define GANSTEPS_STYLENOISE_H

#include "lesson.h"
#include "nn.h"

typedef struct {
    double noise_std;   /* per-pixel std over noise draws, mean over pixels */
    double noise_max;   /* ... its largest pixel */
    double w_std;       /* per-pixel std between w's, mean over pixels */
    double s_max;       /* the largest noise layer's mean |scale| */
} stylenoise_spread;

/* noise_map (784): per-pixel std over noise draws, averaged over nw w's;
 * w_map (784): per-pixel std between the nw w's images; show: min(nw, 4)
 * rows of `cols` 28 x 28 images (noise draws, then their std map), written
 * as noise_draws.png, noise_map as noise_std.png. Prints G's noise scales
 * and the spreads, and keys the spreads (noise_pixel_std, _max,
 * w_pixel_std). */
stylenoise_spread stylenoise_report(lesson *L, const float *noise_map, const float *w_map,
                                    const float *show, int cols, int nw, const nn_model *G);

#endif
