/* Exercise 1: the latent vectors the generator turns into samples. */
#include "nn.h"

void nn_sample_latent(float *z, int batch, int dim, nn_rng *rng)
{
    /* Row after row, one draw per element: the same seed gives the same
     * batch, and row i is latent vector i. */
    size_t n = (size_t)batch * (size_t)dim;
    for (size_t i = 0; i < n; i++) z[i] = nn_rng_normal(rng);
}
