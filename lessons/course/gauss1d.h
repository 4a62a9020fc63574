/* gauss1d.h - lesson 05's two Gaussians on the real line, p_data and p_g:
 * their densities, a small discriminator fitted to their samples by the
 * discriminator loss and read on a grid of points, and what the optimal
 * discriminator D*(x) = p_data(x) / (p_data(x) + p_g(x)) does in their tails,
 * told in the lesson's words beside the fitted one. Used by lesson 05.
 */
#ifndef GANSTEPS_GAUSS1D_H
#define GANSTEPS_GAUSS1D_H

#include "lesson.h"
#include "nn.h"

/* Samples of each distribution per discriminator update. */
#define GAUSS1D_HALF 128

/* Density of N(mu, sigma^2) at x. */
double gauss1d_pdf(double x, double mu, double sigma);

/* A 1-D discriminator: 1 -> 32 -> 32 -> 1 logit, leaky ReLU 0.2, He-normal
 * weights drawn from r. Small enough to train quickly, flexible enough to
 * take the shape of D*. Fails the lesson when it cannot be made. */
nn_model *gauss1d_small_d(lesson *L, nn_rng *r);

/* Trains D for `steps` Adam updates (lr 1e-3) on real ~ N(mu_d, sd_d^2)
 * against fake ~ N(mu_g, sd_g^2), GAUSS1D_HALF of each per update, with the
 * discriminator loss; returns the last loss. */
float gauss1d_train_d(nn_model *D, nn_rng *r, int steps, float mu_d, float sd_d, float mu_g,
                      float sd_g);

/* D(x) = sigmoid(logit) at each of the n points xs, into out (n). */
void gauss1d_d_on_grid(float *out, nn_model *D, const float *xs, int n);

/* The two Gaussians on the lesson's grid and the D fitted to them. */
typedef struct {
    float mu_data, sd_data;     /* p_data = N(mu_data, sd_data^2) */
    float mu_g, sd_g;           /* p_g = N(mu_g, sd_g^2) */
    float x_lo, x_hi;           /* the grid's ends */
    int n;                      /* its points */
    const float *pd, *pg;       /* (n) both densities on it, as floats */
    const float *fitted;        /* (n) the fitted D on it */
    int steps;                  /* the fitted D's Adam steps */
} gauss1d_grid;

/* Says what D* does far out, where log(p_data / p_g) is a quadratic in x
 * known exactly: where it falls back, where it is 1/2, whether the fitted D
 * follows it at the grid's end beyond the data (and how few samples it had
 * there), and when both densities underflowed a float on the grid. */
void gauss1d_say_dstar_tails(lesson *L, const gauss1d_grid *g);

#endif
