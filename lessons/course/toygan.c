/* toygan.c - the 2-D GAN of lesson 09 and its fixes (see toygan.h). */
#include "toygan.h"

#include <math.h>
#include <string.h>

toy_config toy_config_default(void)
{
    /* Close to the Unrolled GAN paper's 2-D experiment: small ReLU MLPs,
     * Adam with beta1 0.5, the non-saturating loss, and a generator that
     * learns faster than its discriminator (there 1e-3 against 1e-4), which
     * is what makes the vanilla GAN hop from mode to mode. */
    toy_config c = {
        .fix = TOY_FIX_NONE, .loss = NN_GAN_NONSAT, .lr = 1e-3f, .lr_d = 3e-4f, .beta1 = 0.5f,
        .batch = 128, .d_steps = 1, .latent = 16,
        .g_hidden = 128, .g_layers = 2, .d_hidden = 128, .d_layers = 2, .d_slope = 0.2f,
        .pack = 2, .unroll = 5, .gp_lambda = 1.0f, .scale = 1.0f,
    };
    /* gp_lambda: the paper's 10 is for images; its own toy code uses 0.1.
     * The critic's score gap grows with the distance between real and fake
     * points, which in these standardised 2-D units is of order 1, far less
     * than between images: the same weight counts for more here, against
     * the very gap the critic has to learn. On lesson 09's ring, 5 critic
     * updates per G update: 1 covers all 8
     * modes with 84% of samples on a mode (5 seeds), 0.1 all 8 with 78%,
     * and 10 flattens the critic so much that G finds 3 or 4, with no
     * sample on a mode (2 seeds each). */
    return c;
}

toy_config toy_config_preset(const nn_toy *data, int *steps)
{
    toy_config c = toy_config_default();
    *steps = 6000;
    if (strcmp(data->name, "grid") == 0) {
        c.g_hidden = c.d_hidden = 64;
        c.d_layers = 3;
        c.lr_d = 5e-4f;
        c.batch = 64;
        c.d_slope = 0.05f;
        *steps = 40000;
    }
    double sq = 0.0;
    for (int k = 0; k < data->n_modes * 2; k++) sq += (double)data->centres[k] * data->centres[k];
    c.scale = (float)sqrt(sq / (data->n_modes * 2));
    return c;
}

static const char *const fix_names[TOY_N_FIXES] = {"none", "pack", "unroll", "mbstd", "wgan-gp"};

const char *toy_fix_name(toy_fix f) { return fix_names[f]; }

int toy_fix_parse(const char *name, toy_fix *f)
{
    for (int i = 0; i < TOY_N_FIXES; i++)
        if (strcmp(name, fix_names[i]) == 0) { *f = (toy_fix)i; return 0; }
    return -1;
}

toy_gan *toy_gan_create(const toy_config *cfg, uint64_t seed, nn_error *err)
{
    if (cfg->batch < 2 || cfg->d_steps < 1 || cfg->latent < 1 || cfg->g_hidden < 1 ||
        cfg->g_layers < 1 || cfg->d_hidden < 1 || cfg->d_layers < 1 || cfg->pack < 1 ||
        cfg->unroll < 1 || !(cfg->gp_lambda >= 0.0f) || !(cfg->scale > 0.0f) ||
        !(cfg->lr > 0.0f) || !(cfg->lr_d > 0.0f) ||
        !(cfg->beta1 >= 0.0f && cfg->beta1 < 1.0f) ||
        !(cfg->d_slope >= 0.0f && cfg->d_slope < 1.0f)) {
        nn_fail(err, NN_ERR_ARG,
                "toy GAN: batch %d (>= 2), d_steps %d, latent %d, widths %d/%d, depths "
                "%d/%d, pack %d, unroll %d must be >= 1, penalty %g >= 0, scale %g, lr %g and "
                "%g > 0, beta1 %g and D's slope %g in [0, 1)",
                cfg->batch, cfg->d_steps, cfg->latent, cfg->g_hidden, cfg->d_hidden,
                cfg->g_layers, cfg->d_layers, cfg->pack, cfg->unroll, (double)cfg->gp_lambda,
                (double)cfg->scale,
                (double)cfg->lr, (double)cfg->lr_d, (double)cfg->beta1, (double)cfg->d_slope);
        return NULL;
    }
    if (cfg->g_layers > NN_GAN_MAX_HIDDEN || cfg->d_layers > NN_GAN_MAX_HIDDEN) {
        nn_fail(err, NN_ERR_ARG, "toy GAN: %d G and %d D hidden layers; at most %d each",
                cfg->g_layers, cfg->d_layers, NN_GAN_MAX_HIDDEN);
        return NULL;
    }
    toy_gan *t = nn_alloc(1, sizeof *t);
    if (!t) { nn_fail(err, NN_ERR_NOMEM, "toy GAN: no memory"); return NULL; }
    t->cfg = *cfg;
    t->m = cfg->fix == TOY_FIX_PACK ? cfg->pack : 1;

    /* Small ReLU MLPs for G (no tanh: points are not pixels) and leaky ReLU
     * ones for D; each fix switches on one option of the same GAN. */
    nn_gan_arch a = {
        .latent_dim = cfg->latent, .data_dim = 2, .n_g_hidden = cfg->g_layers,
        .g_slope = 0.0f, .g_tanh = 0, .n_d_hidden = cfg->d_layers, .d_slope = cfg->d_slope,
        .d_mbstd = cfg->fix == TOY_FIX_MBSTD, .pack = t->m,
    };
    for (int i = 0; i < cfg->g_layers; i++) a.g_hidden[i] = cfg->g_hidden;
    for (int i = 0; i < cfg->d_layers; i++) a.d_hidden[i] = cfg->d_hidden;
    nn_gan_config c = {
        .objective = cfg->fix == TOY_FIX_WGANGP ? NN_GAN_WASSERSTEIN : cfg->loss,
        .lr_g = cfg->lr, .lr_d = cfg->lr_d, .beta1 = cfg->beta1, .beta2 = 0.999f,
        .batch = cfg->batch, .d_steps = cfg->d_steps, .real_label = 1.0f,
        .gp_lambda = cfg->fix == TOY_FIX_WGANGP ? cfg->gp_lambda : 0.0f,
        .unroll = cfg->fix == TOY_FIX_UNROLL ? cfg->unroll : 0,
    };
    /* torch.nn.Linear's own initialisation, as the papers' 2-D code used. */
    t->gan = nn_gan_create(&a, &c, NN_INIT_TORCH, seed, err);
    if (!t->gan) {
        toy_gan_free(t);
        return NULL;
    }
    size_t n = (size_t)cfg->batch * (size_t)t->m;
    t->real = nn_alloc((size_t)nn_gan_real_batches(t->gan) * n * 2, sizeof(float));
    if (!t->real) {
        nn_fail(err, NN_ERR_NOMEM, "toy GAN: no memory for batch %d", cfg->batch);
        toy_gan_free(t);
        return NULL;
    }
    return t;
}

void toy_gan_free(toy_gan *t)
{
    if (!t) return;
    nn_gan_free(t->gan);
    nn_free(t->real);
    nn_free(t);
}

void toy_gan_step(toy_gan *t, const nn_toy *data)
{
    /* Fresh real points for every D update of the step, from the GAN's own
     * stream, scaled to the units G and D work in. */
    size_t n = (size_t)t->cfg.batch * (size_t)t->m * (size_t)nn_gan_real_batches(t->gan);
    nn_toy_sample(data, &t->gan->rng, t->real, NULL, (int)n);
    for (size_t i = 0; i < n * 2; i++) t->real[i] /= t->cfg.scale;
    nn_gan_step(t->gan, t->real, &t->last);
    t->d_loss = t->last.d_loss;
    t->g_loss = t->last.g_loss;
    t->steps++;
}

/* out (n, 2) = G(z) in the data's units, z fresh; G in eval mode. */
void toy_gan_sample(toy_gan *t, float *out, int n)
{
    nn_gan *g = t->gan;
    int chunk = g->G->max_batch;
    for (int i = 0; i < n; i += chunk) {
        int k = n - i < chunk ? n - i : chunk;
        nn_sample_latent(g->z, k, g->arch.latent_dim, &g->rng);
        const float *y = nn_model_forward(g->G, g->z, k, 0);
        for (int j = 0; j < k * 2; j++) out[(size_t)i * 2 + j] = y[j] * t->cfg.scale;
    }
}

int toy_gan_snapshot(toy_gan *t, float *dmap, int nx, int ny, float x0, float x1, float y0,
                     float y1, float *arrows)
{
    nn_gan *g = t->gan;
    int b = t->cfg.batch, m = t->m, total = nx * ny;
    /* D over the plane, b points at a time; t->real is (b, 2m) scratch. */
    for (int p0 = 0; p0 < total; p0 += b) {
        int k = total - p0 < b ? total - p0 : b;
        for (int i = 0; i < k; i++) {
            int p = p0 + i, ix = p % nx, iy = p / nx;
            float x = x0 + (x1 - x0) * (float)ix / (float)(nx - 1);
            float y = y0 + (y1 - y0) * (float)iy / (float)(ny - 1);
            x /= t->cfg.scale;
            y /= t->cfg.scale;
            for (int j = 0; j < m; j++) {
                t->real[(size_t)i * 2 * m + 2 * j] = x;
                t->real[(size_t)i * 2 * m + 2 * j + 1] = y;
            }
        }
        const float *s = nn_model_forward(g->D, t->real, k, 0);
        for (int i = 0; i < k; i++) dmap[p0 + i] = nn_sigmoidf(s[i]);
    }
    /* G's update direction at fresh samples (G in eval mode): D's verdict,
     * G's loss, and its gradient back through D, frozen, into the samples.
     * Minus that gradient, in the data's units (d/dx = d/dx_std / scale). */
    int n = b * m;
    nn_sample_latent(g->z, n, g->arch.latent_dim, &g->rng);
    memcpy(g->fake, nn_model_forward(g->G, g->z, n, 0), (size_t)n * 2 * sizeof(float));
    const float *s = nn_model_forward(g->D, g->fake, b, 1);
    nn_gan_g_objective(g, g->ds_fake, s, b);
    memset(g->dfake, 0, (size_t)n * 2 * sizeof(float));
    nn_model_backward(g->D, g->dfake, g->ds_fake, b, 0);
    float sc = t->cfg.scale;
    for (int i = 0; i < n; i++) {
        arrows[4 * i] = g->fake[2 * i] * sc;
        arrows[4 * i + 1] = g->fake[2 * i + 1] * sc;
        arrows[4 * i + 2] = -g->dfake[2 * i] / sc;
        arrows[4 * i + 3] = -g->dfake[2 * i + 1] / sc;
    }
    return n;
}
