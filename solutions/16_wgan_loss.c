/* Exercise 16: the Wasserstein losses on the critic's scores. */
#include "nn.h"

#include <assert.h>

/* Linear in s: the gradient is a constant -1/n or 1/n, whatever the scores,
 * so it never saturates; it is also why the critic needs a Lipschitz
 * constraint (clipping or a penalty): nothing else stops its scores growing. */
float nn_wgan_critic_loss(float *ds_real, float *ds_fake, const float *s_real,
                          const float *s_fake, int n_real, int n_fake)
{
    assert(n_real > 0 && n_fake > 0 && s_real && s_fake);
    /* Sums in double: a batch of large scores does not swamp the small ones. */
    double sr = 0.0, sf = 0.0;
    for (int i = 0; i < n_real; i++) {
        sr += s_real[i];
        if (ds_real) ds_real[i] = -1.0f / (float)n_real;
    }
    for (int i = 0; i < n_fake; i++) {
        sf += s_fake[i];
        if (ds_fake) ds_fake[i] = 1.0f / (float)n_fake;
    }
    return (float)(sf / n_fake - sr / n_real);
}

/* The generator raises the critic's mean score on its fakes. */
float nn_wgan_g_loss(float *ds, const float *s_fake, int n)
{
    assert(n > 0 && s_fake);
    double sum = 0.0;
    for (int i = 0; i < n; i++) {
        sum += s_fake[i];
        if (ds) ds[i] = -1.0f / (float)n;
    }
    return (float)(-sum / n);
}
