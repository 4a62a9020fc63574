/* Exercise 29: the forward noising q(x_t | x_0) of a diffusion model and
 * its simple noise-prediction loss (Ho et al. 2020, eq. 4 and 14). */
#include "nn.h"

#include <math.h>

void nn_ddpm_noise(float *xt, const float *x0, const float *eps, const float *abar, int n,
                   int dim)
{
    for (int i = 0; i < n; i++) {
        /* The signal shrinks by sqrt(abar) and the noise fills the rest of
         * a unit variance: var = abar var(x0) + (1 - abar). */
        float a = sqrtf(abar[i]), s = sqrtf(1.0f - abar[i]);
        for (int j = 0; j < dim; j++) xt[i * dim + j] = a * x0[i * dim + j] + s * eps[i * dim + j];
    }
}

float nn_ddpm_loss(float *dpred, const float *pred, const float *eps, int n, int dim)
{
    double sum = 0.0;
    for (int i = 0; i < n * dim; i++) {
        float d = pred[i] - eps[i];
        sum += (double)d * d;
        if (dpred) dpred[i] += 2.0f * d / (float)n;   /* a point's squares sum, rows average */
    }
    return (float)(sum / n);
}
