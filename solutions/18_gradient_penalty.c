/* Exercise 18: the gradient penalty's interpolates and its value. */
#include "nn.h"

#include <math.h>

void nn_gradpen_interpolate(float *x_hat, const float *real, const float *fake,
                            const float *eps, int n, int w)
{
    /* A point on the segment from fake_i (eps 0) to real_i (eps 1): the
     * optimal critic has slope 1 along such segments (Gulrajani et al.,
     * Proposition 1), so that is where the penalty asks for it. */
    for (int i = 0; i < n; i++)
        for (int j = 0; j < w; j++) {
            size_t k = (size_t)i * (size_t)w + (size_t)j;
            x_hat[k] = eps[i] * real[k] + (1.0f - eps[i]) * fake[k];
        }
}

float nn_gradpen_value(float *r, const float *g, int n, int w, float lambda, float *mean_norm)
{
    double p = 0.0, norms = 0.0;
    for (int i = 0; i < n; i++) {
        const float *gi = g + (size_t)i * (size_t)w;
        double sq = 0.0;
        for (int j = 0; j < w; j++) sq += (double)gi[j] * gi[j];
        double norm = sqrt(sq);
        p += (norm - 1.0) * (norm - 1.0);
        norms += norm;
        /* d/dg (||g|| - 1)^2 = 2 (||g|| - 1) g / ||g||; a zero row has no
         * direction, and gets 0. */
        double c = norm > 0.0 ? 2.0 * (double)lambda / n * (norm - 1.0) / norm : 0.0;
        for (int j = 0; j < w; j++) r[(size_t)i * (size_t)w + j] = (float)(c * gi[j]);
    }
    if (mean_norm) *mean_norm = (float)(norms / n);
    return (float)((double)lambda * p / n);
}
