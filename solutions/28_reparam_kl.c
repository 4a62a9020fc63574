/* Exercise 28: the reparameterisation step and the Gaussian KL of a
 * variational autoencoder, with their gradients (Kingma and Welling 2014). */
#include "nn.h"

#include <math.h>

void nn_reparam_forward(float *z, const float *mu, const float *lv, const float *eps, int n)
{
    /* The randomness sits in eps, drawn outside: z is a plain function of
     * mu and lv, so gradients can flow into both. sigma = exp(lv / 2). */
    for (int i = 0; i < n; i++) z[i] = mu[i] + expf(0.5f * lv[i]) * eps[i];
}

void nn_reparam_backward(float *dmu, float *dlv, const float *dz, const float *lv,
                         const float *eps, int n)
{
    for (int i = 0; i < n; i++) {
        if (dmu) dmu[i] += dz[i];                                 /* dz/dmu = 1 */
        if (dlv) dlv[i] += dz[i] * eps[i] * 0.5f * expf(0.5f * lv[i]); /* d sigma/d lv = sigma/2 */
    }
}

float nn_gauss_kl(float *dmu, float *dlv, const float *mu, const float *lv, int rows, int dim)
{
    double sum = 0.0;
    const float w = 1.0f / (float)rows;
    for (int i = 0; i < rows * dim; i++) {
        float var = expf(lv[i]);
        /* KL(N(mu, var) || N(0, 1)) = (mu^2 + var - 1 - log var) / 2, per number. */
        sum += 0.5 * ((double)mu[i] * mu[i] + var - 1.0 - lv[i]);
        if (dmu) dmu[i] += w * mu[i];
        if (dlv) dlv[i] += w * 0.5f * (var - 1.0f);
    }
    return (float)(sum / rows);
}
