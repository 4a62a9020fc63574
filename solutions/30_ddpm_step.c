/* Exercise 30: one step of a diffusion model's ancestral sampler (Ho et al.
 * 2020, Algorithm 2). */
#include "nn.h"

#include <math.h>

void nn_ddpm_step(float *x_prev, const float *xt, const float *eps_hat, const float *z,
                  float beta, float abar, float abar_prev, int n, int dim)
{
    /* The model's mean of x_{t-1}: remove this step's share of the predicted
     * noise, then undo the sqrt(alpha) shrink; then fresh noise with the
     * variance the true posterior q(x_{t-1} | x_t, x_0) has (none at t = 1:
     * x_0 is the answer). */
    const float c = beta / sqrtf(1.0f - abar), inv = 1.0f / sqrtf(1.0f - beta),
                sd = sqrtf((1.0f - abar_prev) / (1.0f - abar) * beta);
    for (int i = 0; i < n * dim; i++) {
        x_prev[i] = (xt[i] - c * eps_hat[i]) * inv;
        if (z) x_prev[i] += sd * z[i];
    }
}
