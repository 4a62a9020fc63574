/* ddpm.c - the diffusion model of ddpm.h. The forward noising and the loss
 * are exercise 29 (nn_ddpm_noise, nn_ddpm_loss), the sampler's step
 * exercise 30 (nn_ddpm_step); this file holds the schedule, the network and
 * its input, training, sampling and the bound. */
#include "gen/ddpm.h"

#include <assert.h>
#include <math.h>
#include <string.h>

#define LOG_2PI 1.8378770664093453

nn_ddpm_config nn_ddpm_config_default(void)
{
    nn_ddpm_config c = {
        .dim = 2, .T = 100, .beta_1 = 1e-4f, .beta_T = 0.1f, .temb = 16, .t_power = 2.0f,
        .hidden = 128,
        .scale = 1.0f, .max_batch = 256,
        .opt = {.lr = 1e-3f, .beta1 = 0.9f, .beta2 = 0.999f, .eps = 1e-8f, .weight_decay = 0},
    };
    return c;
}

void nn_ddpm_free(nn_ddpm *d)
{
    if (!d) return;
    nn_model_free(d->net);
    nn_free(d->beta);
    nn_free(d->abar);
    nn_free(d->in);
    nn_free(d->x0);
    nn_free(d->eps);
    nn_free(d->xt);
    nn_free(d->ab);
    nn_free(d->dpred);
    nn_free(d->pred);
    nn_free(d->tstep);
    nn_free(d);
}

nn_ddpm *nn_ddpm_create(const nn_ddpm_config *cfg, uint64_t seed, nn_error *err)
{
    if (cfg->dim < 1 || cfg->T < 2 || cfg->temb < 2 || cfg->temb % 2 || cfg->hidden < 1 ||
        cfg->max_batch < 1 || !(cfg->beta_1 > 0.0f) || !(cfg->beta_T >= cfg->beta_1) ||
        !(cfg->beta_T < 1.0f) || !(cfg->scale > 0.0f) || !(cfg->opt.lr > 0.0f) ||
        !(cfg->t_power >= 1.0f)) {
        nn_fail(err, NN_ERR_ARG, "ddpm: dim %d, hidden %d, max_batch %d >= 1, T %d >= 2, temb "
                "%d even, 0 < beta_1 %g <= beta_T %g < 1, scale %g and lr %g > 0, t_power %g "
                ">= 1", cfg->dim, cfg->hidden, cfg->max_batch, cfg->T, cfg->temb,
                (double)cfg->beta_1, (double)cfg->beta_T, (double)cfg->scale,
                (double)cfg->opt.lr, (double)cfg->t_power);
        return NULL;
    }
    nn_ddpm *d = nn_alloc(1, sizeof *d);
    if (!d) { nn_fail(err, NN_ERR_NOMEM, "ddpm: no memory"); return NULL; }
    d->cfg = *cfg;
    size_t mb = (size_t)cfg->max_batch, D = (size_t)cfg->dim;
    d->beta = nn_alloc((size_t)cfg->T, sizeof(float));
    d->abar = nn_alloc((size_t)cfg->T, sizeof(float));
    d->in = nn_alloc(mb * (D + (size_t)cfg->temb), sizeof(float));
    d->x0 = nn_alloc(mb * D, sizeof(float));
    d->eps = nn_alloc(mb * D, sizeof(float));
    d->xt = nn_alloc(mb * D, sizeof(float));
    d->ab = nn_alloc(mb, sizeof(float));
    d->dpred = nn_alloc(mb * D, sizeof(float));
    d->pred = nn_alloc(mb * D, sizeof(float));
    d->tstep = nn_alloc(mb, sizeof(int));
    if (!d->beta || !d->abar || !d->in || !d->x0 || !d->eps || !d->xt || !d->ab || !d->dpred ||
        !d->pred || !d->tstep) {
        nn_ddpm_free(d);
        nn_fail(err, NN_ERR_NOMEM, "ddpm: no memory for %d steps, batches of %zu", cfg->T, mb);
        return NULL;
    }
    /* The schedule, in double so that the product keeps its digits. */
    double prod = 1.0;
    for (int t = 0; t < cfg->T; t++) {
        double b = cfg->beta_1 + (cfg->beta_T - cfg->beta_1) * (double)t / (cfg->T - 1);
        prod *= 1.0 - b;
        d->beta[t] = (float)b;
        d->abar[t] = (float)prod;
    }
    const nn_layer_spec specs[] = {
        {.kind = NN_LAYER_LINEAR, .out = cfg->hidden}, {.kind = NN_LAYER_RELU},
        {.kind = NN_LAYER_LINEAR, .out = cfg->hidden}, {.kind = NN_LAYER_RELU},
        {.kind = NN_LAYER_LINEAR, .out = cfg->hidden}, {.kind = NN_LAYER_RELU},
        {.kind = NN_LAYER_LINEAR, .out = cfg->dim},
    };
    d->net = nn_model_create(cfg->dim + cfg->temb, specs, 7, cfg->max_batch, err);
    if (!d->net) { nn_ddpm_free(d); return NULL; }
    nn_rng r;
    nn_rng_seed(&r, seed, 0);
    nn_model_init(d->net, &r, NN_INIT_TORCH);
    return d;
}

void nn_ddpm_embed(float *out, int t, int temb)
{
    const int h = temb / 2;
    for (int k = 0; k < h; k++) {
        double f = exp(-log(1000.0) * k / (h > 1 ? h - 1 : 1)); /* 1 .. 1/1000 */
        out[k] = (float)sin(t * f);
        out[h + k] = (float)cos(t * f);
    }
}

/* The network's input rows: x (n, dim) then the embedding of t[i]. */
static void fill_input(nn_ddpm *d, const float *x, const int *t, int t_all, int n)
{
    const int D = d->cfg.dim, w = D + d->cfg.temb;
    for (int i = 0; i < n; i++) {
        memcpy(d->in + (size_t)i * w, x + (size_t)i * D, (size_t)D * sizeof(float));
        nn_ddpm_embed(d->in + (size_t)i * w + D, t ? t[i] : t_all, d->cfg.temb);
    }
}

/* eps_theta for n rows of x (n, dim), row i at step t[i] (or all at t_all
 * when t is NULL): the network's output, plus sqrt(1 - abar_t) x with
 * skip. Into d->pred, returned. */
static const float *predict(nn_ddpm *d, const float *x, const int *t, int t_all, int n,
                            int train)
{
    const int D = d->cfg.dim;
    fill_input(d, x, t, t_all, n);
    const float *out = nn_model_forward(d->net, d->in, n, train);
    memcpy(d->pred, out, (size_t)n * D * sizeof(float));
    if (d->cfg.skip)
        for (int i = 0; i < n; i++) {
            const float s = sqrtf(1.0f - d->abar[(t ? t[i] : t_all) - 1]);
            for (int j = 0; j < D; j++) d->pred[(size_t)i * D + j] += s * x[(size_t)i * D + j];
        }
    return d->pred;
}

void nn_ddpm_predict(nn_ddpm *d, float *eps_hat, const float *xt, int t, int n)
{
    assert(n >= 1 && n <= d->cfg.max_batch && t >= 1 && t <= d->cfg.T);
    memcpy(eps_hat, predict(d, xt, NULL, t, n, 0), (size_t)n * d->cfg.dim * sizeof(float));
}

float nn_ddpm_train_step(nn_ddpm *d, const float *x, int n, nn_rng *r)
{
    assert(n >= 1 && n <= d->cfg.max_batch);
    const int D = d->cfg.dim;
    int *t = d->tstep;
    const float inv = 1.0f / d->cfg.scale;
    for (int i = 0; i < n * D; i++) {
        d->x0[i] = x[i] * inv;
        d->eps[i] = nn_rng_normal(r);
    }
    for (int i = 0; i < n; i++) {
        /* t = 1 + floor(T u^p): uniform in 1..T at p = 1 */
        double u = pow((double)nn_rng_uniform(r), (double)d->cfg.t_power);
        t[i] = 1 + (int)(d->cfg.T * u);
        if (t[i] > d->cfg.T) t[i] = d->cfg.T;
        d->ab[i] = d->abar[t[i] - 1];
    }
    nn_ddpm_noise(d->xt, d->x0, d->eps, d->ab, n, D);       /* x_t ~ q(x_t | x_0) */
    const float *pred = predict(d, d->xt, t, 0, n, 1);
    /* The skip does not depend on the weights: d loss / d out = d loss / d pred. */
    memset(d->dpred, 0, (size_t)n * D * sizeof(float));
    float loss = nn_ddpm_loss(d->dpred, pred, d->eps, n, D);
    if (!isfinite(loss)) return loss;
    nn_model_zero_grad(d->net);
    nn_model_backward(d->net, NULL, d->dpred, n, 1);
    nn_model_adam_step(d->net, &d->cfg.opt);
    d->steps++;
    return loss;
}

void nn_ddpm_sample(nn_ddpm *d, float *x, int n, nn_rng *r)
{
    const int D = d->cfg.dim, mb = d->cfg.max_batch;
    for (int at = 0; at < n; at += mb) {
        int m = n - at < mb ? n - at : mb;
        float *xb = x + (size_t)at * D;
        for (int i = 0; i < m * D; i++) xb[i] = nn_rng_normal(r);  /* x_T ~ N(0, I) */
        for (int t = d->cfg.T; t >= 1; t--) {
            const float *eps_hat = predict(d, xb, NULL, t, m, 0);
            if (t > 1)
                for (int i = 0; i < m * D; i++) d->eps[i] = nn_rng_normal(r);
            nn_ddpm_step(d->xt, xb, eps_hat, t > 1 ? d->eps : NULL, d->beta[t - 1],
                         d->abar[t - 1], t > 1 ? d->abar[t - 2] : 1.0f, m, D);
            memcpy(xb, d->xt, (size_t)m * D * sizeof(float));
        }
        for (int i = 0; i < m * D; i++) xb[i] *= d->cfg.scale;
    }
}

/* The bound's terms for rows [0, m) of d->x0 at step t (2..T): KL of the true
 * posterior N(mq, bt) from the model's N(mp, bt), summed over rows. At
 * t = 1, -log N(x_0; mp, beta_1) instead. */
static double bound_terms(nn_ddpm *d, int t, int m, nn_rng *r)
{
    const int D = d->cfg.dim;
    const double b = d->beta[t - 1], ab = d->abar[t - 1], a = 1.0 - b;
    const double ab_prev = t > 1 ? d->abar[t - 2] : 1.0;
    for (int i = 0; i < m * D; i++) d->eps[i] = nn_rng_normal(r);
    for (int i = 0; i < m; i++) d->ab[i] = (float)ab;
    nn_ddpm_noise(d->xt, d->x0, d->eps, d->ab, m, D);
    const float *eps_hat = predict(d, d->xt, NULL, t, m, 0);
    double sum = 0.0;
    for (int i = 0; i < m * D; i++) {
        double xt = d->xt[i], x0 = d->x0[i];
        double mp = (xt - b / sqrt(1.0 - ab) * eps_hat[i]) / sqrt(a);
        if (t == 1) {
            sum += 0.5 * (x0 - mp) * (x0 - mp) / b + 0.5 * (LOG_2PI + log(b));
            continue;
        }
        /* q(x_{t-1} | x_t, x_0): Ho et al. eq. 6-7. */
        double mq = sqrt(ab_prev) * b / (1.0 - ab) * x0 +
                    sqrt(a) * (1.0 - ab_prev) / (1.0 - ab) * xt;
        double bt = (1.0 - ab_prev) / (1.0 - ab) * b;
        sum += 0.5 * (mq - mp) * (mq - mp) / bt;   /* equal variances: the means' gap */
    }
    return sum;
}

double nn_ddpm_bound(nn_ddpm *d, const float *x, int n, nn_rng *r)
{
    const int D = d->cfg.dim, mb = d->cfg.max_batch, T = d->cfg.T;
    const double abT = d->abar[T - 1];
    double loss = 0.0;
    for (int at = 0; at < n; at += mb) {
        int m = n - at < mb ? n - at : mb;
        for (int i = 0; i < m * D; i++) {
            double x0 = x[(size_t)at * D + i] / d->cfg.scale;
            d->x0[i] = (float)x0;
            /* KL(N(sqrt(abar_T) x_0, 1 - abar_T) || N(0, 1)) */
            loss += 0.5 * ((1.0 - abT) + abT * x0 * x0 - 1.0 - log(1.0 - abT));
        }
        for (int t = 1; t <= T; t++) loss += bound_terms(d, t, m, r);
    }
    /* Back to x's units: p(x) = p(x / scale) / scale^dim. */
    return -loss / n - D * log((double)d->cfg.scale);
}
