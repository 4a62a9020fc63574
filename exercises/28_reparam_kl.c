/* Exercise 28: the reparameterisation step and the Gaussian KL of lesson
 * 18's variational autoencoder (lib/gen/vae.h declares them; every training
 * step of every VAE goes through all three). Check it with `make check
 * EX=28`; stuck? `make hint EX=28`. */
#include "nn.h"

#include <math.h>

void nn_reparam_forward(float *z, const float *mu, const float *lv, const float *eps, int n)
{
    /* TODO: z_i = mu_i + sigma_i eps_i, where lv_i is the log-VARIANCE:
     * what is sigma_i in terms of lv_i? */
    (void)mu;
    (void)lv;
    (void)eps;
    for (int i = 0; i < n; i++) z[i] = 0.0f;
}

void nn_reparam_backward(float *dmu, float *dlv, const float *dz, const float *lv,
                         const float *eps, int n)
{
    /* TODO: ADD (+=) dL/dmu_i and dL/dlv_i given dL/dz_i = dz_i (chain
     * rule through your forward); skip whichever pointer is NULL. */
    (void)dmu;
    (void)dlv;
    (void)dz;
    (void)lv;
    (void)eps;
    (void)n;
}

float nn_gauss_kl(float *dmu, float *dlv, const float *mu, const float *lv, int rows, int dim)
{
    /* TODO: the mean over rows of KL(N(mu, exp(lv)) || N(0, I)), summed over
     * the dim numbers of a row (a closed form: no sampling), and ADD its
     * gradient into dmu and dlv when they are not NULL. */
    (void)dmu;
    (void)dlv;
    (void)mu;
    (void)lv;
    (void)rows;
    (void)dim;
    return 0.0f;
}
