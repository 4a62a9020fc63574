/* vae.c - the variational autoencoder of vae.h. The reparameterisation and
 * the Gaussian KL are exercise 28 (nn_reparam_forward/_backward,
 * nn_gauss_kl); this file builds the halves, adds the reconstruction term
 * and writes out the step. */
#include "gen/vae.h"

#include <assert.h>
#include <math.h>
#include <string.h>

#define LOG_2PI 1.8378770664093453

nn_vae_config nn_vae_config_images(void)
{
    nn_vae_config c = {
        .in = 784, .code = 16, .hidden = 256, .layers = 1, .lik = NN_VAE_BERNOULLI,
        .sigma_x = 0.1f, .beta = 1.0f, .max_batch = 64,
        .opt = {.lr = 1e-3f, .beta1 = 0.9f, .beta2 = 0.999f, .eps = 1e-8f, .weight_decay = 0},
    };
    return c;
}

void nn_vae_free(nn_vae *v)
{
    if (!v) return;
    nn_model_free(v->enc);
    nn_model_free(v->dec);
    nn_free(v->mu);
    nn_free(v->lv);
    nn_free(v->eps);
    nn_free(v->z);
    nn_free(v->dz);
    nn_free(v->dh);
    nn_free(v->dmu);
    nn_free(v->dlv);
    nn_free(v->dy);
    nn_free(v);
}

/* One half: in -> hidden (-> hidden) -> out, ReLU between. */
static nn_model *half(int in, int out, const nn_vae_config *c, nn_rng *r, nn_error *err)
{
    nn_layer_spec s[5];
    int k = 0;
    for (int l = 0; l < c->layers; l++) {
        s[k++] = (nn_layer_spec){.kind = NN_LAYER_LINEAR, .out = c->hidden};
        s[k++] = (nn_layer_spec){.kind = NN_LAYER_RELU};
    }
    s[k++] = (nn_layer_spec){.kind = NN_LAYER_LINEAR, .out = out};
    nn_model *m = nn_model_create(in, s, k, c->max_batch, err);
    if (m) nn_model_init(m, r, NN_INIT_TORCH);
    return m;
}

nn_vae *nn_vae_create(const nn_vae_config *cfg, uint64_t seed, nn_error *err)
{
    if (cfg->in < 1 || cfg->code < 1 || cfg->hidden < 1 || cfg->layers < 1 || cfg->layers > 2 ||
        cfg->max_batch < 1 || !(cfg->beta >= 0.0f) || !(cfg->opt.lr > 0.0f) ||
        (cfg->lik == NN_VAE_GAUSSIAN && !(cfg->sigma_x > 0.0f))) {
        nn_fail(err, NN_ERR_ARG, "vae: in %d, code %d, hidden %d and max_batch %d must be >= 1, "
                "layers %d 1 or 2, beta %g >= 0, lr %g > 0 and a Gaussian's sigma_x %g > 0",
                cfg->in, cfg->code, cfg->hidden, cfg->max_batch, cfg->layers,
                (double)cfg->beta, (double)cfg->opt.lr, (double)cfg->sigma_x);
        return NULL;
    }
    nn_vae *v = nn_alloc(1, sizeof *v);
    if (!v) { nn_fail(err, NN_ERR_NOMEM, "vae: no memory"); return NULL; }
    v->cfg = *cfg;
    size_t mb = (size_t)cfg->max_batch, c = (size_t)cfg->code;
    v->mu = nn_alloc(mb * c, sizeof(float));
    v->lv = nn_alloc(mb * c, sizeof(float));
    v->eps = nn_alloc(mb * c, sizeof(float));
    v->z = nn_alloc(mb * c, sizeof(float));
    v->dz = nn_alloc(mb * c, sizeof(float));
    v->dh = nn_alloc(mb * 2 * c, sizeof(float));
    v->dmu = nn_alloc(mb * c, sizeof(float));
    v->dlv = nn_alloc(mb * c, sizeof(float));
    v->dy = nn_alloc(mb * (size_t)cfg->in, sizeof(float));
    if (!v->mu || !v->lv || !v->eps || !v->z || !v->dz || !v->dh || !v->dmu || !v->dlv ||
        !v->dy) {
        nn_vae_free(v);
        nn_fail(err, NN_ERR_NOMEM, "vae: no memory for batches of %zu", mb);
        return NULL;
    }
    nn_rng r;
    nn_rng_seed(&r, seed, 0);
    v->enc = half(cfg->in, 2 * cfg->code, cfg, &r, err);
    v->dec = v->enc ? half(cfg->code, cfg->in, cfg, &r, err) : NULL;
    if (!v->dec) { nn_vae_free(v); return NULL; }
    return v;
}

/* mu and lv of x (n, in) into v->mu, v->lv. */
static void encode(nn_vae *v, const float *x, int n, int train)
{
    const int c = v->cfg.code;
    const float *h = nn_model_forward(v->enc, x, n, train);
    for (int i = 0; i < n; i++) {
        memcpy(v->mu + (size_t)i * c, h + (size_t)i * 2 * c, (size_t)c * sizeof(float));
        memcpy(v->lv + (size_t)i * c, h + (size_t)i * 2 * c + c, (size_t)c * sizeof(float));
    }
}

/* -log p(x | z), the mean over n rows, of the decoder's output y (n, in);
 * its gradient written (not added) into dy when not NULL. */
static float recon_nll(const nn_vae *v, float *dy, const float *y, const float *x, int n)
{
    const int in = v->cfg.in;
    double sum = 0.0;
    if (v->cfg.lik == NN_VAE_BERNOULLI) {
        /* -log p = softplus(l) - x l, stable on both sides; d/dl = sigmoid(l) - x. */
        for (int i = 0; i < n * in; i++) {
            float l = y[i];
            sum += (double)(fmaxf(l, 0.0f) + log1pf(expf(-fabsf(l))) - x[i] * l);
            if (dy) dy[i] = (1.0f / (1.0f + expf(-l)) - x[i]) / (float)n;
        }
    } else {
        /* -log p = (x - m)^2 / (2 s^2) + log s + log(2 pi) / 2 per number. */
        const float s2 = v->cfg.sigma_x * v->cfg.sigma_x;
        for (int i = 0; i < n * in; i++) {
            float d = y[i] - x[i];
            sum += 0.5 * (double)(d * d / s2);
            if (dy) dy[i] = d / s2 / (float)n;
        }
        sum += (double)n * in * (log((double)v->cfg.sigma_x) + 0.5 * LOG_2PI);
    }
    return (float)(sum / n);
}

static void draw_eps(float *eps, int n, nn_rng *r)
{
    for (int i = 0; i < n; i++) eps[i] = nn_rng_normal(r);
}

float nn_vae_loss_backward(nn_vae *v, const float *x, int n, nn_rng *r, nn_vae_terms *t)
{
    assert(n >= 1 && n <= v->cfg.max_batch);
    const int c = v->cfg.code, nc = n * c;
    encode(v, x, n, 1);
    draw_eps(v->eps, nc, r);
    nn_reparam_forward(v->z, v->mu, v->lv, v->eps, nc);     /* z = mu + sigma eps */
    const float *y = nn_model_forward(v->dec, v->z, n, 1);
    float rec = recon_nll(v, v->dy, y, x, n);
    /* The KL's gradient, weighted by beta, first into dmu and dlv. */
    float *dmu = v->dmu, *dlv = v->dlv;
    memset(dmu, 0, (size_t)nc * sizeof(float));
    memset(dlv, 0, (size_t)nc * sizeof(float));
    float kl = nn_gauss_kl(dmu, dlv, v->mu, v->lv, n, c);
    for (int i = 0; i < nc; i++) {
        dmu[i] *= v->cfg.beta;
        dlv[i] *= v->cfg.beta;
    }
    float loss = rec + v->cfg.beta * kl;
    if (t) *t = (nn_vae_terms){rec, kl};
    if (!isfinite(loss)) return loss;
    nn_model_zero_grad(v->enc);
    nn_model_zero_grad(v->dec);
    memset(v->dz, 0, (size_t)nc * sizeof(float));
    nn_model_backward(v->dec, v->dz, v->dy, n, 1);
    nn_reparam_backward(dmu, dlv, v->dz, v->lv, v->eps, nc); /* through the draw */
    /* The encoder's rows are (mu, lv): its gradient interleaves the two. */
    float *dh = v->dh;
    for (int i = 0; i < n; i++) {
        memcpy(dh + (size_t)i * 2 * c, dmu + (size_t)i * c, (size_t)c * sizeof(float));
        memcpy(dh + (size_t)i * 2 * c + c, dlv + (size_t)i * c, (size_t)c * sizeof(float));
    }
    nn_model_backward(v->enc, NULL, dh, n, 1);
    return loss;
}

float nn_vae_train_step(nn_vae *v, const float *x, int n, nn_rng *r, nn_vae_terms *t)
{
    float loss = nn_vae_loss_backward(v, x, n, r, t);
    if (!isfinite(loss)) return loss;
    nn_model_adam_step(v->enc, &v->cfg.opt);
    nn_model_adam_step(v->dec, &v->cfg.opt);
    v->steps++;
    return loss;
}

nn_vae_terms nn_vae_evaluate(nn_vae *v, const float *x, int n, nn_rng *r)
{
    const int c = v->cfg.code, in = v->cfg.in, mb = v->cfg.max_batch;
    double rec = 0.0, kl = 0.0;
    for (int at = 0; at < n; at += mb) {
        int m = n - at < mb ? n - at : mb;
        const float *xb = x + (size_t)at * in;
        encode(v, xb, m, 0);
        draw_eps(v->eps, m * c, r);
        nn_reparam_forward(v->z, v->mu, v->lv, v->eps, m * c);
        const float *y = nn_model_forward(v->dec, v->z, m, 0);
        rec += (double)recon_nll(v, NULL, y, xb, m) * m;
        kl += (double)nn_gauss_kl(NULL, NULL, v->mu, v->lv, m, c) * m;
    }
    return (nn_vae_terms){(float)(rec / n), (float)(kl / n)};
}

void nn_vae_encode(nn_vae *v, float *mu, const float *x, int n)
{
    const int c = v->cfg.code, mb = v->cfg.max_batch;
    for (int at = 0; at < n; at += mb) {
        int m = n - at < mb ? n - at : mb;
        encode(v, x + (size_t)at * v->cfg.in, m, 0);
        memcpy(mu + (size_t)at * c, v->mu, (size_t)m * c * sizeof(float));
    }
}

void nn_vae_decode(nn_vae *v, float *x, const float *z, int n)
{
    const int c = v->cfg.code, in = v->cfg.in, mb = v->cfg.max_batch;
    for (int at = 0; at < n; at += mb) {
        int m = n - at < mb ? n - at : mb;
        const float *y = nn_model_forward(v->dec, z + (size_t)at * c, m, 0);
        float *out = x + (size_t)at * in;
        for (int i = 0; i < m * in; i++)
            out[i] = v->cfg.lik == NN_VAE_BERNOULLI ? 1.0f / (1.0f + expf(-y[i])) : y[i];
    }
}

void nn_vae_sample(nn_vae *v, float *x, int n, nn_rng *r)
{
    const int c = v->cfg.code, in = v->cfg.in, mb = v->cfg.max_batch;
    for (int at = 0; at < n; at += mb) {
        int m = n - at < mb ? n - at : mb;
        draw_eps(v->z, m * c, r);                           /* z ~ N(0, I), the prior */
        nn_vae_decode(v, x + (size_t)at * in, v->z, m);
        if (v->cfg.lik == NN_VAE_GAUSSIAN)
            for (int i = 0; i < m * in; i++)
                x[(size_t)at * in + i] += v->cfg.sigma_x * nn_rng_normal(r);
    }
}
