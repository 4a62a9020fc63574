/* pix2pix.c - Pix2Pix's bookkeeping and its training step (pix2pix.h). */
#include "gan/pix2pix.h"

#include <string.h>

#include "nn/loss.h"

nn_pix2pix_config nn_pix2pix_config_default(void)
{
    return (nn_pix2pix_config){.lambda_l1 = 100.0f, .adversarial = 1, .lr_g = 2e-4f,
                               .lr_d = 2e-4f, .beta1 = 0.5f, .beta2 = 0.999f, .batch = 16};
}

static nn_status check(const nn_unet *G, const nn_model *D, const nn_pix2pix_config *cfg,
                       nn_error *err)
{
    if (!G || (cfg->adversarial && !D))
        return nn_fail(err, NN_ERR_ARG, "nn_pix2pix_create: a network is missing (the "
                       "adversarial loss needs a discriminator)");
    if (!(cfg->batch >= 1) || !(cfg->lambda_l1 >= 0.0f) || !(cfg->lr_g > 0.0f) ||
        !(cfg->lr_d > 0.0f) || !(cfg->beta1 >= 0.0f && cfg->beta1 < 1.0f) ||
        !(cfg->beta2 >= 0.0f && cfg->beta2 < 1.0f))
        return nn_fail(err, NN_ERR_ARG,
                       "nn_pix2pix_create: batch %d (>= 1), lambda %g (>= 0), learning rates "
                       "%g and %g (> 0), betas %g and %g (in [0, 1)) are not a Pix2Pix "
                       "configuration", cfg->batch, (double)cfg->lambda_l1, (double)cfg->lr_g,
                       (double)cfg->lr_d, (double)cfg->beta1, (double)cfg->beta2);
    const int hw = G->cfg.h * G->cfg.w;
    if (G->cfg.max_batch < cfg->batch || (D && D->max_batch < cfg->batch))
        return nn_fail(err, NN_ERR_SHAPE,
                       "nn_pix2pix_create: a network takes fewer rows than the batch of %d",
                       cfg->batch);
    if (D && D->in != (G->cfg.in_c + 1) * hw)
        return nn_fail(err, NN_ERR_SHAPE,
                       "nn_pix2pix_create: D reads %d features; it must read the input's %d "
                       "channels and the output's 1 of %d x %d pixels, %d features", D->in,
                       G->cfg.in_c, G->cfg.h, G->cfg.w, (G->cfg.in_c + 1) * hw);
    return NN_OK;
}

nn_pix2pix *nn_pix2pix_create(nn_unet *G, nn_model *D, const nn_pix2pix_config *cfg,
                              nn_init_kind init, uint64_t seed, nn_error *err)
{
    nn_pix2pix *p = NULL;
    if (check(G, D, cfg, err) != NN_OK) goto fail;
    p = nn_alloc(1, sizeof *p);
    if (!p) {
        nn_fail(err, NN_ERR_NOMEM, "nn_pix2pix_create: out of memory");
        goto fail;
    }
    p->G = G;
    p->D = cfg->adversarial ? D : NULL;
    if (!cfg->adversarial) nn_model_free(D);    /* L1 alone: no judge */
    G = NULL;
    D = NULL;                                   /* owned by p from here on */
    p->cfg = *cfg;
    p->hw = p->G->cfg.h * p->G->cfg.w;
    p->in_dim = p->G->cfg.in_c * p->hw;
    p->d_out = p->D ? p->D->out : 0;
    const size_t B = (size_t)cfg->batch, X = B * (size_t)p->hw;
    const size_t P = B * (size_t)(p->in_dim + p->hw), S = B * (size_t)p->d_out;
    /* Two blocks: the images' rows and the scores' rows. */
    p->out = nn_alloc(2 * X + 2 * P, sizeof(float));
    p->s_real = S ? nn_alloc(3 * S, sizeof(float)) : NULL;
    if (!p->out || (S && !p->s_real)) {
        nn_fail(err, NN_ERR_NOMEM, "nn_pix2pix_create: out of memory for a batch of %d; try a "
                "smaller batch", cfg->batch);
        goto fail;
    }
    p->dout = p->out + X;
    p->pair = p->out + 2 * X;
    p->dpair = p->pair + P;
    if (S) {
        p->ds_real = p->s_real + S;
        p->ds_fake = p->s_real + 2 * S;
    }
    /* One stream per network: a change to D does not move G's start. */
    nn_rng r;
    nn_rng_seed(&r, seed, 1);
    nn_unet_init(p->G, &r, init);
    if (p->D) {
        nn_rng_seed(&r, seed, 2);
        nn_model_init(p->D, &r, init);
    }
    p->opt_g = (nn_adam){.lr = cfg->lr_g, .beta1 = cfg->beta1, .beta2 = cfg->beta2,
                         .eps = 1e-8f, .weight_decay = 0.0f};
    p->opt_d = p->opt_g;
    p->opt_d.lr = cfg->lr_d;
    return p;

fail:
    nn_unet_free(G);
    nn_model_free(D);
    nn_pix2pix_free(p);
    return NULL;
}

void nn_pix2pix_free(nn_pix2pix *p)
{
    if (!p) return;
    nn_unet_free(p->G);
    nn_model_free(p->D);
    nn_free(p->out);
    nn_free(p->s_real);
    nn_free(p);
}

/* out = m g + (1 - m) y per pixel (the known pixels kept), or g itself
 * without a mask. */
static void paste(float *out, const float *g, const float *y, const float *mask, size_t n)
{
    if (!mask) {
        memcpy(out, g, n * sizeof(float));
        return;
    }
    for (size_t i = 0; i < n; i++) out[i] = mask[i] * g[i] + (1.0f - mask[i]) * y[i];
}

static float mean_probability(const float *s, int n)
{
    double a = 0.0;
    for (int i = 0; i < n; i++) a += nn_sigmoidf(s[i]);
    return n ? (float)(a / n) : 0.0f;
}

/* One update of D: the real pairs, then the fake ones, one after the other
 * as D(real) and D(fake.detach()) in PyTorch (a batchnorm sees one kind at
 * a time; D keeps only its last forward, so the real half goes back
 * first). The paper halves D's loss. */
static void update_d(nn_pix2pix *p, const float *x, const float *y, nn_pix2pix_stats *st)
{
    const int b = p->cfg.batch, m = b * p->d_out, in_c = p->G->cfg.in_c;
    nn_model_zero_grad(p->D);
    nn_concat_channels_forward(p->pair, x, y, b, in_c, 1, p->hw);   /* exercise 31 */
    memcpy(p->s_real, nn_model_forward(p->D, p->pair, b, 1), (size_t)m * sizeof(float));
    nn_gan_d_loss(p->ds_real, NULL, p->s_real, p->s_real, m, m, 1.0f);
    for (int i = 0; i < m; i++) p->ds_real[i] *= 0.5f;
    nn_model_backward(p->D, NULL, p->ds_real, b, 1);

    nn_concat_channels_forward(p->pair, x, p->out, b, in_c, 1, p->hw);
    const float *s_fake = nn_model_forward(p->D, p->pair, b, 1);
    st->d_loss = 0.5f * nn_gan_d_loss(NULL, p->ds_fake, p->s_real, s_fake, m, m, 1.0f);
    for (int i = 0; i < m; i++) p->ds_fake[i] *= 0.5f;
    st->d_real = mean_probability(p->s_real, m);
    st->d_fake = mean_probability(s_fake, m);
    nn_model_backward(p->D, NULL, p->ds_fake, b, 1);
    nn_model_adam_step(p->D, &p->opt_d);
}

float nn_pix2pix_step(nn_pix2pix *p, const float *x, const float *y, const float *mask,
                      nn_pix2pix_stats *st)
{
    nn_pix2pix_stats local;
    if (!st) st = &local;
    memset(st, 0, sizeof *st);
    const int b = p->cfg.batch, m = b * p->d_out;
    const size_t X = (size_t)b * p->hw;
    const float *g = nn_unet_forward(p->G, x, b, 1);
    paste(p->out, g, y, mask, X);
    memset(p->dout, 0, X * sizeof(float));

    if (p->D) {
        update_d(p, x, y, st);
        /* G's adversarial term against the updated D, frozen: its gradient
         * flows into the pair, of which only the output's channel is G's. */
        nn_concat_channels_forward(p->pair, x, p->out, b, p->G->cfg.in_c, 1, p->hw);
        const float *s = nn_model_forward(p->D, p->pair, b, 1);
        st->g_adv = nn_gan_g_loss_nonsat(p->ds_fake, s, m);
        memset(p->dpair, 0, (size_t)b * (p->in_dim + p->hw) * sizeof(float));
        nn_model_backward(p->D, p->dpair, p->ds_fake, b, 0);
        nn_concat_channels_backward(NULL, p->dout, p->dpair, b, p->G->cfg.in_c, 1, p->hw);
    }
    /* The L1 term, added to the adversarial gradient (exercise 32). */
    st->g_l1 = nn_l1_loss(p->dout, p->out, y, mask, (int)X, p->cfg.lambda_l1);
    /* Through the paste: only the hidden pixels were G's. */
    if (mask)
        for (size_t i = 0; i < X; i++) p->dout[i] *= mask[i];
    nn_unet_zero_grad(p->G);
    nn_unet_backward(p->G, NULL, p->dout, b);   /* G has not run since its forward */
    nn_unet_adam_step(p->G, &p->opt_g);
    p->steps++;
    return st->g_adv + st->g_l1;
}

void nn_pix2pix_translate(nn_pix2pix *p, float *out, const float *x, const float *y,
                          const float *mask, int n)
{
    const int chunk = p->G->cfg.max_batch;
    for (int i = 0; i < n; i += chunk) {
        int k = n - i < chunk ? n - i : chunk;
        const size_t at = (size_t)i * p->hw;
        const float *g = nn_unet_forward(p->G, x + (size_t)i * p->in_dim, k, 0);
        paste(out + at, g, mask ? y + at : NULL, mask ? mask + at : NULL, (size_t)k * p->hw);
    }
}
