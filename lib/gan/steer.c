/* steer.c - telling G what to draw (gan.h): the conditional GAN's labels and
 * InfoGAN's codes, the rows each network reads, and InfoGAN's information
 * loss. The step (exercise 9) calls these; building the rows is exercise 19. */
#include "gan/gan_options.h"

#include <string.h>

#include "gan/info.h"

int nn_gan_g_in(const nn_gan_arch *a)
{
    return a->latent_dim + (a->steer == NN_GAN_FREE ? 0 : a->n_cont + a->n_classes);
}

int nn_gan_d_in(const nn_gan_arch *a)
{
    return a->data_dim + (a->steer == NN_GAN_CONDITIONAL ? a->n_classes : 0);
}

int nn_gan_d_out(const nn_gan_arch *a)
{
    int q = a->steer == NN_GAN_INFOGAN || (a->steer == NN_GAN_CONDITIONAL && a->q_head);
    return 1 + (q ? a->n_classes + a->n_cont : 0);
}

nn_status nn_gan_steering_setup(nn_gan *g, nn_error *err)
{
    const nn_gan_arch *a = &g->arch;
    if (a->steer == NN_GAN_FREE) return NN_OK;
    nn_gan_steering *st = &g->steering;
    size_t n = (size_t)g->cfg.batch * (size_t)a->pack, m = (size_t)a->n_cont;
    int ok = !!(st->labels = nn_alloc(n, sizeof(int)));
    ok = ok && (st->g_in = nn_alloc(n * (size_t)nn_gan_g_in(a), sizeof(float)));
    if (ok && m > 0) {
        ok = !!(st->codes = nn_alloc(n * m, sizeof(float)));
        ok = ok && (st->zc = nn_alloc(n * ((size_t)a->latent_dim + m), sizeof(float)));
    }
    if (ok && a->steer == NN_GAN_CONDITIONAL)
        ok = !!(st->dgen = nn_alloc(n * (size_t)a->data_dim, sizeof(float)));
    /* Column 0 gathered from D's wider rows (nn_gan_d_objective). */
    if (ok && g->D->out > 1)
        ok = !!(st->cols = nn_alloc(4 * (size_t)g->cfg.batch, sizeof(float)));
    if (!ok)
        return nn_fail(err, NN_ERR_NOMEM, "nn_gan_create: out of memory for the labels and "
                       "codes of batch %d; try a smaller batch", g->cfg.batch);
    return NN_OK;
}

void nn_gan_steering_free(nn_gan_steering *st)
{
    nn_free(st->labels);
    nn_free(st->codes);
    nn_free(st->zc);
    nn_free(st->g_in);
    nn_free(st->dgen);
    nn_free(st->cols);
    *st = (nn_gan_steering){0};
}

nn_status nn_gan_steer_check(const nn_gan_arch *a, nn_error *err)
{
    if (a->steer == NN_GAN_FREE && a->q_head)
        return nn_fail(err, NN_ERR_ARG, "GAN architecture: q_head reads back a label or a code; "
                       "a free GAN has neither");
    if (a->steer == NN_GAN_FREE) return NN_OK;
    if (a->steer != NN_GAN_CONDITIONAL && a->steer != NN_GAN_INFOGAN)
        return nn_fail(err, NN_ERR_ARG, "GAN architecture: steer %d is not free, conditional "
                       "or infogan", (int)a->steer);
    if (a->n_classes < 2 || a->n_cont < 0 || a->pack != 1)
        return nn_fail(err, NN_ERR_ARG, "GAN architecture: a steered GAN needs n_classes >= 2 "
                       "(it has %d), n_cont >= 0 (%d) and pack 1 (%d)", a->n_classes,
                       a->n_cont, a->pack);
    if (a->steer == NN_GAN_CONDITIONAL && a->n_cont != 0)
        return nn_fail(err, NN_ERR_ARG, "GAN architecture: continuous codes (n_cont %d) are "
                       "InfoGAN's; a conditional GAN reads labels only", a->n_cont);
    return NN_OK;
}

const float *nn_gan_g_input(nn_gan *g)
{
    const nn_gan_arch *a = &g->arch;
    nn_gan_steering *st = &g->steering;
    if (a->steer == NN_GAN_FREE) return g->z;
    int n = g->cfg.batch, k = a->n_classes, m = a->n_cont, d = a->latent_dim;
    /* Labels uniform over the classes, as often as the data has them
     * (Fashion-MNIST's are balanced); the continuous codes uniform on
     * [-1, 1], the paper's prior. */
    for (int i = 0; i < n; i++) st->labels[i] = (int)nn_rng_below(&g->rng, (uint32_t)k);
    if (m > 0) nn_rng_fill_uniform(&g->rng, st->codes, (size_t)n * m, -1.0f, 1.0f);
    /* [z, codes] side by side (st->zc), then the one-hot label after them. */
    float *zc = g->z;
    if (m > 0) {
        zc = st->zc;
        for (int i = 0; i < n; i++) {
            memcpy(zc + (size_t)i * (d + m), g->z + (size_t)i * d, (size_t)d * sizeof(float));
            memcpy(zc + (size_t)i * (d + m) + d, st->codes + (size_t)i * m,
                   (size_t)m * sizeof(float));
        }
    }
    nn_gan_condition(st->g_in, zc, st->labels, n, d + m, k);
    return st->g_in;
}

void nn_gan_keep_fakes(nn_gan *g, const float *fake)
{
    const nn_gan_steering *st = &g->steering;
    int n = g->cfg.batch * g->arch.pack, d = g->arch.data_dim;
    if (g->arch.steer == NN_GAN_CONDITIONAL)
        /* D judges each fake against the label G was given: a fake that
         * does not look like its label is as wrong as one that looks fake. */
        nn_gan_condition(g->fake, fake, st->labels, n, d, g->arch.n_classes);
    else
        memcpy(g->fake, fake, (size_t)n * (size_t)d * sizeof(float));
}

const float *nn_gan_fake_grad(nn_gan *g)
{
    nn_gan_steering *st = &g->steering;
    if (g->arch.steer != NN_GAN_CONDITIONAL) return g->dfake;
    int n = g->cfg.batch, d = g->arch.data_dim, w = d + g->arch.n_classes;
    for (int i = 0; i < n; i++)
        memcpy(st->dgen + (size_t)i * d, g->dfake + (size_t)i * w, (size_t)d * sizeof(float));
    return st->dgen;
}

float nn_gan_info_loss(const nn_gan *g, float *ds, const float *s, int n)
{
    const nn_gan_arch *a = &g->arch;
    const nn_gan_steering *st = &g->steering;
    if (g->D->out == 1) return 0.0f;
    int w = g->D->out, k = a->n_classes, m = a->n_cont;
    float lc = g->cfg.info_lambda, lm = g->cfg.info_lambda_cont;
    /* Q's columns follow the logit: k categorical logits, then m estimates. */
    float loss = lc * nn_info_cat_loss(ds ? ds + 1 : NULL, s + 1, w, st->labels, n, k);
    if (m > 0) loss += lm * nn_info_cont_loss(ds ? ds + 1 + k : NULL, s + 1 + k, w, st->codes, n, m);
    if (ds && lc != 1.0f)
        for (int i = 0; i < n; i++)
            for (int j = 0; j < k; j++) ds[(size_t)i * w + 1 + j] *= lc;
    if (ds && m > 0)
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++) ds[(size_t)i * w + 1 + k + j] *= lm;
    return loss;
}
