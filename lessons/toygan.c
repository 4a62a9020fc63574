/* toygan.c - the 2-D GAN of lesson 09 and its fixes (see toygan.h). */
#include "toygan.h"

#include <string.h>

toy_config toy_config_default(void)
{
    /* Close to the Unrolled GAN paper's 2-D experiment: small ReLU MLPs,
     * Adam with beta1 0.5, the non-saturating loss, and a generator that
     * learns faster than its discriminator (there 1e-3 against 1e-4), which
     * is what makes the vanilla GAN hop from mode to mode. */
    toy_config c = {
        .fix = TOY_FIX_NONE, .loss = TOY_LOSS_NONSAT, .lr = 1e-3f, .lr_d = 3e-4f, .beta1 = 0.5f,
        .batch = 128, .d_steps = 1, .latent = 16,
        .g_hidden = 128, .g_layers = 2, .d_hidden = 128, .d_layers = 2, .d_slope = 0.2f,
        .pack = 2, .unroll = 5, .gp_lambda = 1.0f, .scale = 1.0f,
    };
    /* gp_lambda: the paper's 10 is for images; its own toy code uses 0.1.
     * The critic's score gap grows with the distance between real and fake
     * points, which in these standardised 2-D units is of order 1, far less
     * than between images: the same weight counts for more here, against
     * the very gap the critic has to learn. On lesson 09's ring, 5 critic updates per G update: 1 covers all 8
     * modes with 84% of samples on a mode (5 seeds), 0.1 all 8 with 78%,
     * and 10 flattens the critic so much that G finds 3 or 4, with no
     * sample on a mode (2 seeds each). */
    return c;
}

static const char *const fix_names[TOY_N_FIXES] = {"none", "pack", "unroll", "mbstd", "wgan-gp"};
static const char *const loss_names[] = {"nonsat", "minimax", "lsgan", "hinge"};

const char *toy_fix_name(toy_fix f) { return fix_names[f]; }
const char *toy_loss_name(toy_loss l) { return loss_names[l]; }

int toy_fix_parse(const char *name, toy_fix *f)
{
    for (int i = 0; i < TOY_N_FIXES; i++)
        if (strcmp(name, fix_names[i]) == 0) { *f = (toy_fix)i; return 0; }
    return -1;
}

int toy_loss_parse(const char *name, toy_loss *l)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(name, loss_names[i]) == 0) { *l = (toy_loss)i; return 0; }
    return -1;
}

/* D's loss on logits s_real, s_fake (batch each); writes both gradients. */
static float d_loss(const toy_gan *t, float *ds_real, float *ds_fake, const float *s_real,
                    const float *s_fake, int b)
{
    if (t->cfg.fix == TOY_FIX_WGANGP)
        return nn_wgan_critic_loss(ds_real, ds_fake, s_real, s_fake, b, b);
    switch (t->cfg.loss) {
    case TOY_LOSS_LSGAN: return nn_lsgan_d_loss(ds_real, ds_fake, s_real, s_fake, b, b);
    case TOY_LOSS_HINGE: return nn_hinge_d_loss(ds_real, ds_fake, s_real, s_fake, b, b);
    default:             return nn_gan_d_loss(ds_real, ds_fake, s_real, s_fake, b, b, 1.0f);
    }
}

/* G's loss on D's logits s (batch) at the fakes; writes its gradient. */
static float g_loss(const toy_gan *t, float *ds, const float *s, int b)
{
    if (t->cfg.fix == TOY_FIX_WGANGP) return nn_wgan_g_loss(ds, s, b);
    switch (t->cfg.loss) {
    case TOY_LOSS_MINIMAX: return nn_gan_g_loss_minimax(ds, s, b);
    case TOY_LOSS_LSGAN:   return nn_lsgan_g_loss(ds, s, b);
    case TOY_LOSS_HINGE:   return nn_hinge_g_loss(ds, s, b);
    default:               return nn_gan_g_loss_nonsat(ds, s, b);
    }
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
    toy_gan *t = nn_alloc(1, sizeof *t);
    if (!t) { nn_fail(err, NN_ERR_NOMEM, "toy GAN: no memory"); return NULL; }
    t->cfg = *cfg;
    t->m = cfg->fix == TOY_FIX_PACK ? cfg->pack : 1;
    int b = cfg->batch, n = b * t->m;

    /* At most 2 specs per hidden layer, plus mbstd and the output layer. */
    nn_layer_spec gs[2 * 16 + 1], ds[2 * 16 + 2];
    int ng = 0, nd = 0;
    int gl = cfg->g_layers < 16 ? cfg->g_layers : 16, dl = cfg->d_layers < 16 ? cfg->d_layers : 16;
    for (int i = 0; i < gl; i++) {
        gs[ng++] = (nn_layer_spec){NN_LAYER_LINEAR, cfg->g_hidden, 0.0f};
        gs[ng++] = (nn_layer_spec){NN_LAYER_RELU, 0, 0.0f};
    }
    gs[ng++] = (nn_layer_spec){NN_LAYER_LINEAR, 2, 0.0f};
    for (int i = 0; i < dl; i++) {
        ds[nd++] = (nn_layer_spec){NN_LAYER_LINEAR, cfg->d_hidden, 0.0f};
        ds[nd++] = (nn_layer_spec){NN_LAYER_LEAKY_RELU, 0, cfg->d_slope};
    }
    /* The batch-spread feature goes in just before D's verdict, where
     * ProGAN puts it. */
    if (cfg->fix == TOY_FIX_MBSTD) ds[nd++] = (nn_layer_spec){NN_LAYER_MBSTD, 0, 0.0f};
    ds[nd++] = (nn_layer_spec){NN_LAYER_LINEAR, 1, 0.0f};

    t->G = nn_model_create(cfg->latent, gs, ng, n, err);
    t->D = t->G ? nn_model_create(2 * t->m, ds, nd, b, err) : NULL;
    if (t->D && cfg->fix == TOY_FIX_UNROLL) t->Du = nn_model_create(2 * t->m, ds, nd, b, err);
    t->z = nn_alloc((size_t)n * cfg->latent, sizeof(float));
    t->real = nn_alloc((size_t)n * 2, sizeof(float));
    t->fake = nn_alloc((size_t)n * 2, sizeof(float));
    t->dfake = nn_alloc((size_t)n * 2, sizeof(float));
    t->s_real = nn_alloc((size_t)b * 5, sizeof(float));
    if (!t->G || !t->D || (cfg->fix == TOY_FIX_UNROLL && !t->Du) || !t->z || !t->real ||
        !t->fake || !t->dfake || !t->s_real) {
        if (t->G && t->D && (cfg->fix != TOY_FIX_UNROLL || t->Du))
            nn_fail(err, NN_ERR_NOMEM, "toy GAN: no memory for batch %d", b);
        toy_gan_free(t);
        return NULL;
    }
    if (cfg->fix == TOY_FIX_WGANGP && nn_gradpen_init(&t->gp, t->D, err) != NN_OK) {
        toy_gan_free(t);
        return NULL;
    }
    /* One block of 5 * batch floats: logits of the real batch, three
     * gradient buffers and the interpolation weights. */
    t->ds_real = t->s_real + b;
    t->ds_fake = t->s_real + 2 * b;
    t->ds_tmp = t->s_real + 3 * b;
    t->eps = t->s_real + 4 * b;

    nn_rng r;
    nn_rng_seed(&r, seed, 1);
    nn_model_init(t->G, &r, NN_INIT_TORCH);
    nn_rng_seed(&r, seed, 2);
    nn_model_init(t->D, &r, NN_INIT_TORCH);
    nn_rng_seed(&t->rng, seed, 3);
    t->opt_g = (nn_adam){.lr = cfg->lr, .beta1 = cfg->beta1, .beta2 = 0.999f, .eps = 1e-8f};
    t->opt_d = t->opt_g;
    t->opt_d.lr = cfg->lr_d;
    return t;
}

void toy_gan_free(toy_gan *t)
{
    if (!t) return;
    nn_model_free(t->G);
    nn_model_free(t->D);
    nn_model_free(t->Du);
    nn_gradpen_free(&t->gp);
    nn_free(t->z);
    nn_free(t->real);
    nn_free(t->fake);
    nn_free(t->dfake);
    nn_free(t->s_real);
    nn_free(t);
}

/* fake (batch * m, 2) = G(z), z ~ N(0, I) fresh. */
static void make_fakes(toy_gan *t, int train)
{
    int n = t->cfg.batch * t->m;
    nn_rng_fill_normal(&t->rng, t->z, (size_t)n * t->cfg.latent, 0.0f, 1.0f);
    const float *g = nn_model_forward(t->G, t->z, n, train);
    memcpy(t->fake, g, (size_t)n * 2 * sizeof(float));
}

/* One update of discriminator Dm on a fresh real batch and fresh fakes. The
 * real and fake halves go through D separately (a minibatch-stddev feature
 * must see one kind at a time), and their gradients add up in Dm->grads. */
static float d_update(toy_gan *t, nn_model *Dm, const nn_toy *data)
{
    int b = t->cfg.batch;
    nn_toy_sample(data, &t->rng, t->real, NULL, b * t->m);
    for (int i = 0; i < b * t->m * 2; i++) t->real[i] /= t->cfg.scale;
    make_fakes(t, 1);
    nn_model_zero_grad(Dm);
    const float *s = nn_model_forward(Dm, t->real, b, 1);
    memcpy(t->s_real, s, (size_t)b * sizeof(float));
    /* Each half's gradient depends on its own logits only, so the real half
     * can be back-propagated before the fakes are scored (ds_tmp is scratch). */
    d_loss(t, t->ds_real, t->ds_tmp, t->s_real, t->s_real, b);
    nn_model_backward(Dm, NULL, t->ds_real, b, 1);
    s = nn_model_forward(Dm, t->fake, b, 1);
    float loss = d_loss(t, t->ds_tmp, t->ds_fake, t->s_real, s, b);
    nn_model_backward(Dm, NULL, t->ds_fake, b, 1);
    if (t->cfg.fix == TOY_FIX_WGANGP) {
        /* The penalty at random points between the two batches: real is
         * no longer needed (its backward has run), so they go there. */
        int w = 2 * t->m;
        nn_rng_fill_uniform(&t->rng, t->eps, (size_t)b, 0.0f, 1.0f);
        for (int i = 0; i < b; i++)
            for (int j = 0; j < w; j++) {
                float *x = &t->real[(size_t)i * w + j];
                *x = t->eps[i] * *x + (1.0f - t->eps[i]) * t->fake[(size_t)i * w + j];
            }
        loss += nn_gradpen_add(&t->gp, Dm, t->real, b, t->cfg.gp_lambda, NULL);
    }
    nn_model_adam_step(Dm, &t->opt_d);
    return loss;
}

/* dfake = dL_G / d fake through discriminator Dm, which does not learn.
 * fresh = 1 draws new fakes first (G in eval mode: the film's arrows);
 * fresh = 0 scores the fakes the last D update drew, whose activations G
 * still holds for its backward: one G forward per step, as in lesson 06's
 * training step. Returns L_G. */
static float g_grad(toy_gan *t, nn_model *Dm, int fresh)
{
    int b = t->cfg.batch;
    if (fresh) make_fakes(t, 0);
    const float *s = nn_model_forward(Dm, t->fake, b, 1);
    float loss = g_loss(t, t->ds_fake, s, b);
    memset(t->dfake, 0, (size_t)b * t->m * 2 * sizeof(float));
    nn_model_backward(Dm, t->dfake, t->ds_fake, b, 0);
    return loss;
}

void toy_gan_step(toy_gan *t, const nn_toy *data)
{
    for (int i = 0; i < t->cfg.d_steps; i++) t->d_loss = d_update(t, t->D, data);

    nn_model *judge = t->D;
    if (t->Du) {
        /* Unrolling: a copy of D, Adam state included, looks k updates
         * ahead; G then answers the D it would face, while D itself keeps
         * the state it had. */
        nn_model_copy_params(t->Du, t->D);
        memcpy(t->Du->adam_m, t->D->adam_m, t->D->n_params * sizeof(float));
        memcpy(t->Du->adam_v, t->D->adam_v, t->D->n_params * sizeof(float));
        t->Du->adam_t = t->D->adam_t;
        for (int k = 0; k < t->cfg.unroll; k++) d_update(t, t->Du, data);
        judge = t->Du;
    }

    nn_model_zero_grad(t->G);
    t->g_loss = g_grad(t, judge, 0);
    nn_model_backward(t->G, NULL, t->dfake, t->cfg.batch * t->m, 1);
    nn_model_adam_step(t->G, &t->opt_g);
    t->steps++;
}

void toy_gan_sample(toy_gan *t, float *out, int n)
{
    int chunk = t->G->max_batch;
    for (int i = 0; i < n; i += chunk) {
        int k = n - i < chunk ? n - i : chunk;
        nn_rng_fill_normal(&t->rng, t->z, (size_t)k * t->cfg.latent, 0.0f, 1.0f);
        const float *g = nn_model_forward(t->G, t->z, k, 0);
        for (int j = 0; j < k * 2; j++) out[(size_t)i * 2 + j] = g[j] * t->cfg.scale;
    }
}

int toy_gan_snapshot(toy_gan *t, float *dmap, int nx, int ny, float x0, float x1, float y0,
                     float y1, float *arrows)
{
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
        const float *s = nn_model_forward(t->D, t->real, k, 0);
        for (int i = 0; i < k; i++) dmap[p0 + i] = nn_sigmoidf(s[i]);
    }
    /* G's update direction at fresh samples: minus the loss gradient, both
     * back in the data's units (d/dx = d/dx_std / scale). */
    g_grad(t, t->D, 1);
    int n = b * m;
    float sc = t->cfg.scale;
    for (int i = 0; i < n; i++) {
        arrows[4 * i] = t->fake[2 * i] * sc;
        arrows[4 * i + 1] = t->fake[2 * i + 1] * sc;
        arrows[4 * i + 2] = -t->dfake[2 * i] / sc;
        arrows[4 * i + 3] = -t->dfake[2 * i + 1] / sc;
    }
    return n;
}
