/* Exercise 16: the Wasserstein losses on the critic's scores. The library
 * calls them for every critic update and every generator update of a WGAN
 * (nn_gan_d_objective, nn_gan_g_objective; lib/nn/loss.h declares them).
 * Check it with `make check EX=16`; stuck? `make hint EX=16`. */
#include "nn.h"

float nn_wgan_critic_loss(float *ds_real, float *ds_fake, const float *s_real,
                          const float *s_fake, int n_real, int n_fake)
{
    /* TODO: the critic's loss, mean score of the fakes minus mean score of
     * the reals (each half its own mean), and WRITE its gradient with
     * respect to each score into ds_real and ds_fake, unless the pointer is
     * NULL. No sigmoid, no log: scores are not probabilities. */
    (void)ds_real;
    (void)ds_fake;
    (void)s_real;
    (void)s_fake;
    (void)n_real;
    (void)n_fake;
    return 0.0f;
}

float nn_wgan_g_loss(float *ds, const float *s_fake, int n)
{
    /* TODO: the generator's loss, minus the mean score of its fakes, and its
     * gradient into ds (unless NULL). */
    (void)ds;
    (void)s_fake;
    (void)n;
    return 0.0f;
}
