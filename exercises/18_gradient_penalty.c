/* Exercise 18: WGAN-GP's gradient penalty, the two pieces that are its
 * definition. The library calls them for every critic update with
 * cfg.gp_lambda > 0 (nn_gan_penalty, nn_gradpen_add; lib/nn/gradpen.h declares
 * them); it does the backward and forward passes around them.
 * Check it with `make check EX=18`; stuck? `make hint EX=18`. */
#include "nn.h"

void nn_gradpen_interpolate(float *x_hat, const float *real, const float *fake,
                            const float *eps, int n, int w)
{
    /* TODO: row i of x_hat (w values) is the point eps[i] of the way from
     * fake row i to real row i. */
    (void)x_hat;
    (void)real;
    (void)fake;
    (void)eps;
    (void)n;
    (void)w;
}

float nn_gradpen_value(float *r, const float *g, int n, int w, float lambda, float *mean_norm)
{
    /* TODO: P = lambda / n * sum over the n rows g_i of (||g_i|| - 1)^2;
     * WRITE r = dP/dg (0 for a row of zeros); the mean norm into
     * *mean_norm unless it is NULL. Return P. */
    (void)r;
    (void)g;
    (void)n;
    (void)w;
    (void)lambda;
    (void)mean_norm;
    return 0.0f;
}
