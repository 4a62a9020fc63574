/* toy.h - toy distributions: a ring and a grid of 2-D Gaussians, a 1-D mixture,
 * with their mode centres and sigma exposed so that eval/metrics.h can score
 * a generator against them. */
#ifndef NN_TOY_H
#define NN_TOY_H

#include "base/common.h"
#include "base/rng.h"

#define NN_TOY_MAX_MODES 64

/* An equal-weight mixture of isotropic Gaussians, all with the same sigma. */
typedef struct {
    int dim;                                   /* 1 or 2 */
    int n_modes;                               /* K <= NN_TOY_MAX_MODES */
    float centres[NN_TOY_MAX_MODES * 2];       /* (K, dim) mode centres */
    float sigma;                               /* standard deviation of each mode */
    const char *name;                          /* "ring", "grid", "mixture1d" */
} nn_toy;

/* K modes on a circle: c_k = radius (cos 2 pi k/K, sin 2 pi k/K). The common
 * choice (VEEGAN, PacGAN): K = 8, radius 2, sigma 0.02. */
nn_status nn_toy_ring(nn_toy *t, int n_modes, float radius, float sigma, nn_error *err);
/* side x side modes on a square grid centred at 0: c = spacing (i - (side-1)/2,
 * j - (side-1)/2). The common choice: side 5, spacing 2 (so -4..4), sigma 0.05. */
nn_status nn_toy_grid(nn_toy *t, int side, float spacing, float sigma, nn_error *err);
/* 1-D modes at means[0..K). */
nn_status nn_toy_mixture1d(nn_toy *t, const float *means, int n_modes, float sigma,
                           nn_error *err);
/* n points x (n, dim): mode k uniform, x = c_k + sigma * N(0, I). mode (n),
 * when not NULL, receives each point's mode. */
void nn_toy_sample(const nn_toy *t, nn_rng *r, float *x, int *mode, int n);
#endif
