/* gan_noise.c - instance noise as an option of the GAN step (gan.h): what D
 * reads is the batch plus fresh Gaussian noise (Sonderby et al. 2017). */
#include "gan/gan_options.h"

nn_status nn_gan_noise_setup(nn_gan *g, uint64_t seed, nn_error *err)
{
    size_t rows = (size_t)g->cfg.batch * (size_t)g->arch.pack;
    g->noise.noisy = nn_alloc(rows * (size_t)nn_gan_d_in(&g->arch), sizeof(float));
    if (!g->noise.noisy)
        return nn_fail(err, NN_ERR_NOMEM, "nn_gan_create: out of memory for the instance "
                       "noise's batch (batch %d); try a smaller batch", g->cfg.batch);
    nn_rng_seed(&g->noise.rng, seed, 6);
    return NN_OK;
}

void nn_gan_noise_free(nn_gan_noise *n)
{
    nn_free(n->noisy);
    n->noisy = NULL;
}

const float *nn_gan_d_input(nn_gan *g, const float *x)
{
    const float sd = g->cfg.instance_noise;
    if (sd <= 0.0f) return x;
    /* Noise on both kinds blurs the two distributions into each other, so
     * their supports overlap and D cannot separate them perfectly. Only the
     * data columns: a conditional D's one-hot label columns say what was
     * asked for, and stay exact. */
    size_t n = (size_t)g->cfg.batch * (size_t)g->arch.pack;
    size_t din = (size_t)nn_gan_d_in(&g->arch), dd = (size_t)g->arch.data_dim;
    for (size_t r = 0; r < n; r++) {
        float *out = g->noise.noisy + r * din;
        const float *in = x + r * din;
        nn_rng_fill_normal(&g->noise.rng, out, dd, 0.0f, sd);
        for (size_t i = 0; i < dd; i++) out[i] += in[i];
        for (size_t i = dd; i < din; i++) out[i] = in[i];
    }
    return g->noise.noisy;
}
