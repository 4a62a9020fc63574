/* gan.c - building, checking and feeding a GAN (gan.h). The step itself is
 * exercise 9 (solutions/09_train_step.c); the builders, the latent sampler
 * and the losses it calls are exercises too. */
#include "gan/gan_options.h"

#include <math.h>
#include <string.h>

#include "nn/loss.h"

static const char *const objective_names[NN_GAN_N_OBJECTIVES] = {
    "nonsat", "minimax", "lsgan", "hinge", "wasserstein"};

const char *nn_gan_objective_name(nn_gan_objective k)
{
    if ((int)k < 0 || (int)k >= NN_GAN_N_OBJECTIVES) return "?";
    return objective_names[k];
}

int nn_gan_objective_parse(const char *name, nn_gan_objective *k)
{
    for (int i = 0; i < NN_GAN_N_OBJECTIVES; i++)
        if (strcmp(name, objective_names[i]) == 0) {
            *k = (nn_gan_objective)i;
            return 0;
        }
    return -1;
}

nn_gan_config nn_gan_config_default(void)
{
    /* Radford et al. (2016): Adam at 2e-4 with beta1 0.5, because the
     * default 0.9 made their training oscillate. */
    nn_gan_config c = {
        .objective = NN_GAN_NONSAT, .lr_g = 2e-4f, .lr_d = 2e-4f, .beta1 = 0.5f,
        .beta2 = 0.999f, .batch = 64, .d_steps = 1, .real_label = 1.0f, .gp_lambda = 0.0f,
        .unroll = 0, .info_lambda = 1.0f, .info_lambda_cont = 0.1f,
    };
    return c;
}

/* Checked here, before anything is built, so a bad preset or flag gets one
 * message naming the field instead of a model error. */
nn_status nn_gan_arch_check(const nn_gan_arch *a, nn_error *err)
{
    if (a->latent_dim < 1 || a->data_dim < 1 || a->pack < 1)
        return nn_fail(err, NN_ERR_ARG,
                       "GAN architecture: latent_dim %d, data_dim %d and pack %d must all "
                       "be >= 1", a->latent_dim, a->data_dim, a->pack);
    if (a->n_g_hidden < 0 || a->n_g_hidden > NN_GAN_MAX_HIDDEN || a->n_d_hidden < 0 ||
        a->n_d_hidden > NN_GAN_MAX_HIDDEN)
        return nn_fail(err, NN_ERR_ARG,
                       "GAN architecture: %d generator and %d discriminator hidden layers; "
                       "each must be 0..%d", a->n_g_hidden, a->n_d_hidden, NN_GAN_MAX_HIDDEN);
    for (int i = 0; i < a->n_g_hidden; i++)
        if (a->g_hidden[i] < 1)
            return nn_fail(err, NN_ERR_ARG, "GAN architecture: g_hidden[%d] = %d must be >= 1",
                           i, a->g_hidden[i]);
    for (int i = 0; i < a->n_d_hidden; i++)
        if (a->d_hidden[i] < 1)
            return nn_fail(err, NN_ERR_ARG, "GAN architecture: d_hidden[%d] = %d must be >= 1",
                           i, a->d_hidden[i]);
    if (!(a->d_dropout >= 0.0f && a->d_dropout < 1.0f))
        return nn_fail(err, NN_ERR_ARG, "GAN architecture: d_dropout %g must be in [0, 1)",
                       (double)a->d_dropout);
    if (!(a->g_slope >= 0.0f && a->g_slope < 1.0f) || !(a->d_slope >= 0.0f && a->d_slope < 1.0f))
        return nn_fail(err, NN_ERR_ARG,
                       "GAN architecture: leaky ReLU slopes %g (G) and %g (D) must be in [0, 1)",
                       (double)a->g_slope, (double)a->d_slope);
    return nn_gan_steer_check(a, err);
}

size_t nn_gan_arch_param_count(const nn_gan_arch *a, int which_d)
{
    /* A linear layer in -> out has in*out weights and out biases; a
     * batchnorm over h features has h gammas and h betas; mbstd adds one
     * input to D's last linear layer. */
    size_t total = 0;
    int in = which_d ? a->pack * nn_gan_d_in(a) : nn_gan_g_in(a);
    int n = which_d ? a->n_d_hidden : a->n_g_hidden;
    const int *hidden = which_d ? a->d_hidden : a->g_hidden;
    for (int i = 0; i < n; i++) {
        total += (size_t)in * (size_t)hidden[i] + (size_t)hidden[i];
        if (!which_d && a->g_batchnorm) total += 2 * (size_t)hidden[i];
        in = hidden[i];
    }
    if (which_d && a->d_mbstd) in += 1;
    int out = which_d ? nn_gan_d_out(a) : a->data_dim;
    return total + (size_t)in * (size_t)out + (size_t)out;
}

static nn_status check_config(const nn_gan_config *c, nn_error *err)
{
    if ((int)c->objective < 0 || (int)c->objective >= NN_GAN_N_OBJECTIVES)
        return nn_fail(err, NN_ERR_ARG,
                       "GAN objective %d is not one of nonsat, minimax, lsgan, hinge, "
                       "wasserstein", (int)c->objective);
    if (!(c->lr_g > 0.0f && isfinite(c->lr_g)) || !(c->lr_d > 0.0f && isfinite(c->lr_d)))
        return nn_fail(err, NN_ERR_ARG,
                       "learning rates %g (G) and %g (D) must be positive numbers (try 2e-4)",
                       (double)c->lr_g, (double)c->lr_d);
    if (!(c->beta1 >= 0.0f && c->beta1 < 1.0f) || !(c->beta2 >= 0.0f && c->beta2 < 1.0f))
        return nn_fail(err, NN_ERR_ARG, "Adam betas %g and %g must be in [0, 1) (try 0.5, 0.999)",
                       (double)c->beta1, (double)c->beta2);
    if (c->batch < 1 || c->d_steps < 1 || c->unroll < 0)
        return nn_fail(err, NN_ERR_ARG,
                       "batch %d and d_steps %d must be >= 1 and unroll %d >= 0 (try 64, 1, 0)",
                       c->batch, c->d_steps, c->unroll);
    if (!(c->real_label > 0.0f && c->real_label <= 1.0f))
        return nn_fail(err, NN_ERR_ARG, "real label %g must be in (0, 1] (1, or 0.9 to smooth)",
                       (double)c->real_label);
    if (!(c->gp_lambda >= 0.0f && isfinite(c->gp_lambda)))
        return nn_fail(err, NN_ERR_ARG, "gradient penalty weight %g must be >= 0",
                       (double)c->gp_lambda);
    if (!(c->clip >= 0.0f && isfinite(c->clip)) ||
        !(c->instance_noise >= 0.0f && isfinite(c->instance_noise)))
        return nn_fail(err, NN_ERR_ARG,
                       "weight clip %g and instance noise %g must be >= 0 (0: none; WGAN "
                       "clips at 0.01)", (double)c->clip, (double)c->instance_noise);
    if (!(c->info_lambda >= 0.0f && isfinite(c->info_lambda)) ||
        !(c->info_lambda_cont >= 0.0f && isfinite(c->info_lambda_cont)))
        return nn_fail(err, NN_ERR_ARG, "InfoGAN's loss weights %g and %g must be >= 0 (try 1, "
                       "0.1)", (double)c->info_lambda, (double)c->info_lambda_cont);
    return NN_OK;
}

nn_model *nn_gan_same_layers(const nn_model *m, int out, nn_error *err)
{
    nn_layer_spec specs[64];
    if (m->n_layers > 64) {
        nn_fail(err, NN_ERR_ARG, "nn_gan_create: D has %d layers; a copy has at most 64",
                m->n_layers);
        return NULL;
    }
    for (int i = 0; i < m->n_layers; i++) specs[i] = m->layers[i].spec;
    if (out > 0) specs[m->n_layers - 1].out = out;
    return nn_model_create(m->in, specs, m->n_layers, m->max_batch, err);
}

/* The buffers of the step's core, whatever the options: the latent batch, the
 * fakes and their gradient, and D's outputs and their gradients. */
static nn_status alloc_core(nn_gan *g, nn_error *err)
{
    size_t n = (size_t)g->cfg.batch * (size_t)g->arch.pack, b = (size_t)g->cfg.batch;
    size_t w = (size_t)g->D->out, din = (size_t)nn_gan_d_in(&g->arch);
    g->z = nn_alloc(n * (size_t)g->arch.latent_dim, sizeof(float));
    g->fake = nn_alloc(n * din, sizeof(float));
    g->dfake = nn_alloc(n * din, sizeof(float));
    /* One block for the four per-input output rows. */
    g->s_real = nn_alloc(4 * b * w, sizeof(float));
    if (!g->z || !g->fake || !g->dfake || !g->s_real)
        return nn_fail(err, NN_ERR_NOMEM,
                       "nn_gan_create: out of memory for batch %d of %d-value samples; try a "
                       "smaller batch", g->cfg.batch, g->arch.data_dim);
    g->ds_real = g->s_real + b * w;
    g->ds_fake = g->s_real + 2 * b * w;
    g->ds_unused = g->s_real + 3 * b * w;
    return NN_OK;
}

static nn_gan *assemble(nn_model *G, nn_model *D, const nn_gan_arch *arch,
                        const nn_gan_config *cfg, nn_init_kind init, uint64_t seed,
                        nn_error *err);

nn_gan *nn_gan_create(const nn_gan_arch *arch, const nn_gan_config *cfg, nn_init_kind init,
                      uint64_t seed, nn_error *err)
{
    if (nn_gan_arch_check(arch, err) != NN_OK || check_config(cfg, err) != NN_OK) return NULL;
    int b = cfg->batch;
    /* The builders (exercises 2 and 4) see the widths a steered GAN's
     * networks read: G's codes or label after z, D's label after x. */
    nn_gan_arch ga = *arch, da = *arch;
    ga.latent_dim = nn_gan_g_in(arch);
    da.data_dim = nn_gan_d_in(arch);
    nn_model *G = nn_gan_build_generator(&ga, b * arch->pack, err);
    nn_model *D = G ? nn_gan_build_discriminator(&da, b, err) : NULL;
    if (!D) {
        nn_model_free(G);
        return NULL;
    }
    if (G->in != ga.latent_dim || G->out != arch->data_dim ||
        D->in != arch->pack * da.data_dim || D->out != 1) {
        nn_fail(err, NN_ERR_SHAPE,
                "nn_gan_create: the builders made G %d -> %d and D %d -> %d; expected G %d -> "
                "%d and D %d -> 1 (exercises 2 and 4)", G->in, G->out, D->in, D->out,
                ga.latent_dim, arch->data_dim, arch->pack * da.data_dim);
        nn_model_free(G);
        nn_model_free(D);
        return NULL;
    }
    /* InfoGAN's Q shares all of D but its last layer: that layer gets Q's
     * outputs beside D's logit. */
    if (nn_gan_d_out(arch) > 1) {
        nn_model *DQ = nn_gan_same_layers(D, nn_gan_d_out(arch), err);
        nn_model_free(D);
        if (!DQ) {
            nn_model_free(G);
            return NULL;
        }
        D = DQ;
    }
    return assemble(G, D, arch, cfg, init, seed, err);
}

nn_gan *nn_gan_create_from(nn_model *G, nn_model *D, const nn_gan_config *cfg,
                           nn_init_kind init, uint64_t seed, nn_error *err)
{
    return assemble(G, D, NULL, cfg, init, seed, err);
}

/* Both constructors: arch NULL for networks the caller built (a free GAN
 * whose widths are read from G and D). */
static nn_gan *assemble(nn_model *G, nn_model *D, const nn_gan_arch *arch,
                        const nn_gan_config *cfg, nn_init_kind init, uint64_t seed,
                        nn_error *err)
{
    nn_gan *g = NULL;
    if (check_config(cfg, err) != NN_OK) goto fail;
    int b = cfg->batch;
    if (!arch && (D->out != 1 || G->out < 1 || D->in % G->out != 0 || D->max_batch < b ||
                  G->max_batch < b * (D->in / G->out))) {
        nn_fail(err, NN_ERR_SHAPE,
                "nn_gan_create_from: G %d -> %d (up to %d rows) and D %d -> %d (up to %d rows) "
                "do not make a GAN for batch %d: D must read a whole number of G's samples "
                "and give one logit, and each must take a batch", G->in, G->out, G->max_batch,
                D->in, D->out, D->max_batch, b);
        goto fail;
    }
    g = nn_alloc(1, sizeof *g);
    if (!g) {
        nn_fail(err, NN_ERR_NOMEM, "nn_gan_create: out of memory for the GAN");
        goto fail;
    }
    g->G = G;
    g->D = D;
    G = D = NULL; /* owned by g from here on, freed with it */
    g->cfg = *cfg;
    if (arch) {
        g->arch = *arch;
    } else {
        g->arch.latent_dim = g->G->in;
        g->arch.data_dim = g->G->out;
        g->arch.pack = g->D->in / g->G->out;
    }
    if (alloc_core(g, err) != NN_OK || nn_gan_steering_setup(g, err) != NN_OK ||
        nn_gan_penalty_setup(g, err) != NN_OK || nn_gan_noise_setup(g, seed, err) != NN_OK ||
        nn_gan_unrolling_setup(g, err) != NN_OK)
        goto fail;

    /* Separate streams of one seed: another width in G (more draws for its
     * weights) does not shift D's weights or the latent samples. Stream 6 is
     * instance noise's (nn_gan_noise_setup). */
    nn_rng r;
    nn_rng_seed(&r, seed, 1);
    nn_model_init(g->G, &r, init);
    nn_rng_seed(&r, seed, 2);
    nn_model_init(g->D, &r, init);
    nn_rng_seed(&g->rng, seed, 3);
    nn_rng_seed(&g->G->rng, seed, 4);
    nn_rng_seed(&g->D->rng, seed, 5);

    g->opt_g = (nn_adam){.lr = cfg->lr_g, .beta1 = cfg->beta1, .beta2 = cfg->beta2,
                         .eps = 1e-8f, .weight_decay = 0.0f};
    g->opt_d = g->opt_g;
    g->opt_d.lr = cfg->lr_d;
    return g;

fail:
    nn_model_free(G);
    nn_model_free(D);
    nn_gan_free(g);
    return NULL;
}

void nn_gan_free(nn_gan *g)
{
    if (!g) return;
    nn_model_free(g->G);
    nn_model_free(g->D);
    nn_free(g->z);
    nn_free(g->fake);
    nn_free(g->dfake);
    nn_free(g->s_real);
    nn_gan_steering_free(&g->steering);
    nn_gan_penalty_free(&g->penalty);
    nn_gan_noise_free(&g->noise);
    nn_gan_unrolling_free(&g->unrolled);
    nn_free(g);
}

int nn_gan_real_batches(const nn_gan *g)
{
    return g->cfg.d_steps + g->cfg.unroll;
}

/* The adversarial losses, on one logit per input. */
static float d_objective(const nn_gan *g, float *ds_real, float *ds_fake, const float *s_real,
                         const float *s_fake, int n)
{
    switch (g->cfg.objective) {
    case NN_GAN_LSGAN:       return nn_lsgan_d_loss(ds_real, ds_fake, s_real, s_fake, n, n);
    case NN_GAN_HINGE:       return nn_hinge_d_loss(ds_real, ds_fake, s_real, s_fake, n, n);
    case NN_GAN_WASSERSTEIN: return nn_wgan_critic_loss(ds_real, ds_fake, s_real, s_fake, n, n);
    case NN_GAN_NONSAT:
    case NN_GAN_MINIMAX:
        break;
    }
    /* The minimax game's D loss serves both: the objectives differ in G's. */
    return nn_gan_d_loss(ds_real, ds_fake, s_real, s_fake, n, n, g->cfg.real_label);
}

static float g_objective(const nn_gan *g, float *ds, const float *s, int n)
{
    switch (g->cfg.objective) {
    case NN_GAN_MINIMAX:     return nn_gan_g_loss_minimax(ds, s, n);
    case NN_GAN_LSGAN:       return nn_lsgan_g_loss(ds, s, n);
    case NN_GAN_HINGE:       return nn_hinge_g_loss(ds, s, n);
    case NN_GAN_WASSERSTEIN: return nn_wgan_g_loss(ds, s, n);
    case NN_GAN_NONSAT:      break;
    }
    return nn_gan_g_loss_nonsat(ds, s, n);
}

static void optimize(const nn_gan *g, nn_model *m, const nn_adam *opt)
{
    if (g->cfg.rmsprop) {
        nn_rmsprop r = {.lr = opt->lr, .alpha = 0.99f, .eps = 1e-8f,
                        .weight_decay = opt->weight_decay};
        nn_model_rmsprop_step(m, &r);
    } else {
        nn_model_adam_step(m, opt);
    }
}

size_t nn_gan_d_optimize(nn_gan *g, nn_model *D)
{
    optimize(g, D, &g->opt_d);
    /* Every parameter, biases too, as the WGAN paper's clamp_ of all of
     * netD.parameters(): the critic's slope is then at most a product of
     * bounded weights. */
    return g->cfg.clip > 0.0f ? nn_clip_weights(D->params, D->n_params, g->cfg.clip) : 0;
}

void nn_gan_g_optimize(nn_gan *g)
{
    optimize(g, g->G, &g->opt_g);
}

float nn_gan_d_objective(const nn_gan *g, float *ds_real, float *ds_fake, const float *s_real,
                         const float *s_fake, int n)
{
    int w = g->D->out;
    if (w == 1) return d_objective(g, ds_real, ds_fake, s_real, s_fake, n);
    /* Rows of d_out: the logits are column 0, gathered for the losses (which
     * read contiguous logits) and their gradients put back; Q's columns get
     * the information loss on the fakes and nothing on the reals. */
    float *sr = g->steering.cols, *sf = sr + n, *dr = sf + n, *df = dr + n;
    for (int i = 0; i < n; i++) {
        sr[i] = s_real[(size_t)i * w];
        sf[i] = s_fake[(size_t)i * w];
    }
    float loss = d_objective(g, ds_real ? dr : NULL, ds_fake ? df : NULL, sr, sf, n);
    if (ds_real)
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < w; j++) ds_real[(size_t)i * w + j] = 0.0f;
            ds_real[(size_t)i * w] = dr[i];
        }
    if (ds_fake)
        for (int i = 0; i < n; i++) ds_fake[(size_t)i * w] = df[i];
    return loss + nn_gan_info_loss(g, ds_fake, s_fake, n);
}

float nn_gan_g_objective(const nn_gan *g, float *ds, const float *s, int n)
{
    int w = g->D->out;
    if (w == 1) return g_objective(g, ds, s, n);
    float *sf = g->steering.cols, *df = sf + n;
    for (int i = 0; i < n; i++) sf[i] = s[(size_t)i * w];
    float loss = g_objective(g, df, sf, n);
    for (int i = 0; i < n; i++) ds[(size_t)i * w] = df[i];
    return loss + nn_gan_info_loss(g, ds, s, n);
}
