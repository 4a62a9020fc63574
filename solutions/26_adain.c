/* Exercise 26: adaptive instance normalisation, forward. */
#include "nn.h"

#include <math.h>

void nn_adain_forward(float *y, float *xhat, float *invstd, const float *x, const float *scale,
                      const float *bias, int n, int c, int hw, float eps)
{
    /* One image's channel at a time: its own mean and spread, so the style
     * (scale, bias) alone sets them afterwards. The sums are in double: a
     * 28 x 28 map is 784 terms. The variance is the biased one (divide by
     * hw), as torch's instance_norm, and eps sits inside the square root. */
    for (int i = 0; i < n; i++)
        for (int j = 0; j < c; j++) {
            const size_t ij = (size_t)i * (size_t)c + (size_t)j;
            const float *xs = x + ij * (size_t)hw;
            double sum = 0.0;
            for (int p = 0; p < hw; p++) sum += xs[p];
            const double mu = sum / hw;
            double ss = 0.0;
            for (int p = 0; p < hw; p++) ss += (xs[p] - mu) * (xs[p] - mu);
            const float is = (float)(1.0 / sqrt(ss / hw + (double)eps));
            invstd[ij] = is;
            float *xh = xhat + ij * (size_t)hw, *ys = y + ij * (size_t)hw;
            for (int p = 0; p < hw; p++) {
                xh[p] = (float)(xs[p] - mu) * is;
                ys[p] = scale[ij] * xh[p] + bias[ij];
            }
        }
}
