/* armix.c - the autoregressive mixture model of armix.h: the mixture's
 * negative log-likelihood and its gradient, the two factors, training,
 * the exact log-likelihood and sequential sampling. */
#include "gen/armix.h"

#include <assert.h>
#include <math.h>
#include <string.h>

#define LOG_2PI 1.8378770664093453

static const float one = 1.0f;   /* p(x1)'s network input: its output is its parameters */

double nn_mix1d_nll(float *nll, float *dparams, const float *params, const float *x, int n,
                    int k, float scale)
{
    const float B = NN_MIX_LS_BOUND;
    double total = 0.0;
    float lp[64];
    assert(k >= 1 && k <= 64);
    for (int i = 0; i < n; i++) {
        const float *a = params + (size_t)i * 3 * k, *m = a + k, *raw = a + 2 * k;
        /* log pi_j + log N(x; m_j, s_j^2), and the two log-sum-exps. */
        float amax = a[0], lmax = -INFINITY;
        for (int j = 1; j < k; j++) amax = fmaxf(amax, a[j]);
        for (int j = 0; j < k; j++) {
            float ls = B * tanhf(raw[j] / B), u = (x[i] - m[j]) * expf(-ls);
            lp[j] = a[j] - 0.5f * u * u - ls - 0.5f * (float)LOG_2PI;
            lmax = fmaxf(lmax, lp[j]);
        }
        double sa = 0.0, sl = 0.0;
        for (int j = 0; j < k; j++) {
            sa += exp((double)(a[j] - amax));
            sl += exp((double)(lp[j] - lmax));
        }
        double lse_a = amax + log(sa), lse_lp = lmax + log(sl);
        double v = lse_a - lse_lp;                  /* -log p(x_i) */
        if (nll) nll[i] = (float)v;
        total += v;
        if (!dparams) continue;
        float *da = dparams + (size_t)i * 3 * k, *dm = da + k, *draw = da + 2 * k;
        for (int j = 0; j < k; j++) {
            /* pi_j: the prior weight; r_j: the component's share of x_i. */
            float pi = (float)exp(a[j] - lse_a), r = (float)exp(lp[j] - lse_lp);
            float ls = B * tanhf(raw[j] / B), inv_s = expf(-ls), u = (x[i] - m[j]) * inv_s;
            da[j] += scale * (pi - r);
            dm[j] += scale * (-r * u * inv_s);
            draw[j] += scale * (-r * (u * u - 1.0f)) * (1.0f - (ls / B) * (ls / B));
        }
    }
    return total;
}

float nn_mix1d_sample(const float *params, int k, nn_rng *r)
{
    const float *a = params, *m = a + k, *raw = a + 2 * k;
    float amax = a[0];
    for (int j = 1; j < k; j++) amax = fmaxf(amax, a[j]);
    double sum = 0.0;
    for (int j = 0; j < k; j++) sum += exp((double)(a[j] - amax));
    double u = nn_rng_uniform(r) * sum;
    int pick = k - 1;
    for (int j = 0; j < k; j++) {
        u -= exp((double)(a[j] - amax));
        if (u < 0.0) { pick = j; break; }
    }
    float ls = NN_MIX_LS_BOUND * tanhf(raw[pick] / NN_MIX_LS_BOUND);
    return m[pick] + expf(ls) * nn_rng_normal(r);
}

nn_armix_config nn_armix_config_default(void)
{
    nn_armix_config c = {
        .k = 8, .hidden = 64, .scale = 1.0f, .max_batch = 256,
        .opt = {.lr = 1e-3f, .beta1 = 0.9f, .beta2 = 0.999f, .eps = 1e-8f, .weight_decay = 0},
    };
    return c;
}

void nn_armix_free(nn_armix *a)
{
    if (!a) return;
    nn_model_free(a->first);
    nn_model_free(a->cond);
    nn_free(a->x1);
    nn_free(a->x2);
    nn_free(a->dp);
    nn_free(a->dp1);
    nn_free(a);
}

nn_armix *nn_armix_create(const nn_armix_config *cfg, uint64_t seed, nn_error *err)
{
    if (cfg->k < 1 || cfg->k > 64 || cfg->hidden < 1 || cfg->max_batch < 1 ||
        !(cfg->scale > 0.0f) || !(cfg->opt.lr > 0.0f)) {
        nn_fail(err, NN_ERR_ARG, "armix: k %d in 1..64, hidden %d and max_batch %d >= 1, scale "
                "%g and lr %g > 0", cfg->k, cfg->hidden, cfg->max_batch, (double)cfg->scale,
                (double)cfg->opt.lr);
        return NULL;
    }
    nn_armix *a = nn_alloc(1, sizeof *a);
    if (!a) { nn_fail(err, NN_ERR_NOMEM, "armix: no memory"); return NULL; }
    a->cfg = *cfg;
    size_t mb = (size_t)cfg->max_batch, p = 3 * (size_t)cfg->k;
    a->x1 = nn_alloc(mb, sizeof(float));
    a->x2 = nn_alloc(mb, sizeof(float));
    a->dp = nn_alloc(mb * p, sizeof(float));
    a->dp1 = nn_alloc(p, sizeof(float));
    if (!a->x1 || !a->x2 || !a->dp || !a->dp1) {
        nn_armix_free(a);
        nn_fail(err, NN_ERR_NOMEM, "armix: no memory for batches of %zu", mb);
        return NULL;
    }
    const nn_layer_spec lin[] = {{.kind = NN_LAYER_LINEAR, .out = 3 * cfg->k}};
    const nn_layer_spec mlp[] = {
        {.kind = NN_LAYER_LINEAR, .out = cfg->hidden}, {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
        {.kind = NN_LAYER_LINEAR, .out = cfg->hidden}, {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
        {.kind = NN_LAYER_LINEAR, .out = 3 * cfg->k},
    };
    a->first = nn_model_create(1, lin, 1, 1, err);
    a->cond = a->first ? nn_model_create(1, mlp, 5, cfg->max_batch, err) : NULL;
    if (!a->cond) { nn_armix_free(a); return NULL; }
    nn_rng r;
    nn_rng_seed(&r, seed, 0);
    nn_model_init(a->first, &r, NN_INIT_TORCH);
    nn_model_init(a->cond, &r, NN_INIT_TORCH);
    /* The means start spread over [-2, 2] (in scaled units), so that every
     * component begins near some data instead of all at one point. */
    for (int j = 0; j < cfg->k; j++) {
        float c = cfg->k > 1 ? -2.0f + 4.0f * j / (cfg->k - 1) : 0.0f;
        a->first->layers[0].b[cfg->k + j] = c;
        a->cond->layers[4].b[cfg->k + j] = c;
    }
    return a;
}

/* The scaled coordinates of x (n, 2) into a->x1, a->x2. */
static void split(nn_armix *a, const float *x, int n)
{
    const float inv = 1.0f / a->cfg.scale;
    for (int i = 0; i < n; i++) {
        a->x1[i] = x[2 * i] * inv;
        a->x2[i] = x[2 * i + 1] * inv;
    }
}

float nn_armix_train_step(nn_armix *a, const float *x, int n)
{
    assert(n >= 1 && n <= a->cfg.max_batch);
    const int k = a->cfg.k;
    const float w = 1.0f / (float)n;
    split(a, x, n);
    nn_model_zero_grad(a->first);
    nn_model_zero_grad(a->cond);
    /* p(x1): one set of parameters for every point; their gradients sum. */
    const float *p1 = nn_model_forward(a->first, &one, 1, 1);
    memset(a->dp1, 0, (size_t)3 * k * sizeof(float));
    double s1 = 0.0;
    for (int i = 0; i < n; i++) s1 += nn_mix1d_nll(NULL, a->dp1, p1, &a->x1[i], 1, k, w);
    /* p(x2 | x1): each point's parameters from its own x1. */
    const float *p2 = nn_model_forward(a->cond, a->x1, n, 1);
    memset(a->dp, 0, (size_t)n * 3 * k * sizeof(float));
    double s2 = nn_mix1d_nll(NULL, a->dp, p2, a->x2, n, k, w);
    float loss = (float)((s1 + s2) / n + 2.0 * log((double)a->cfg.scale));
    if (!isfinite(loss)) return loss;
    nn_model_backward(a->first, NULL, a->dp1, 1, 1);
    nn_model_backward(a->cond, NULL, a->dp, n, 1);
    nn_model_adam_step(a->first, &a->cfg.opt);
    nn_model_adam_step(a->cond, &a->cfg.opt);
    a->steps++;
    return loss;
}

void nn_armix_log_prob(nn_armix *a, float *logp, const float *x, int n)
{
    const int k = a->cfg.k, mb = a->cfg.max_batch;
    const double ld = 2.0 * log((double)a->cfg.scale);
    float params1[3 * 64], nll1, *nll2 = a->dp;  /* dp: free room outside training */
    memcpy(params1, nn_model_forward(a->first, &one, 1, 0), (size_t)3 * k * sizeof(float));
    for (int at = 0; at < n; at += mb) {
        int m = n - at < mb ? n - at : mb;
        split(a, x + (size_t)2 * at, m);
        const float *p2 = nn_model_forward(a->cond, a->x1, m, 0);
        nn_mix1d_nll(nll2, NULL, p2, a->x2, m, k, 0);
        for (int i = 0; i < m; i++) {
            nn_mix1d_nll(&nll1, NULL, params1, &a->x1[i], 1, k, 0);
            /* log p(x) = log p(x / scale) - 2 log scale: the scaling's Jacobian. */
            logp[at + i] = (float)(-(double)nll1 - nll2[i] - ld);
        }
    }
}

double nn_armix_mean_log_prob(nn_armix *a, const float *x, int n)
{
    const int mb = a->cfg.max_batch;
    float *lp = a->dp + (size_t)mb;       /* the rest of dp's room */
    double total = 0.0;
    for (int at = 0; at < n; at += mb) {
        int m = n - at < mb ? n - at : mb;
        nn_armix_log_prob(a, lp, x + (size_t)2 * at, m);
        for (int i = 0; i < m; i++) total += lp[i];
    }
    return total / n;
}

void nn_armix_sample(nn_armix *a, float *x, int n, nn_rng *r)
{
    const int k = a->cfg.k, mb = a->cfg.max_batch;
    float params1[3 * 64];
    memcpy(params1, nn_model_forward(a->first, &one, 1, 0), (size_t)3 * k * sizeof(float));
    for (int at = 0; at < n; at += mb) {
        int m = n - at < mb ? n - at : mb;
        for (int i = 0; i < m; i++) a->x1[i] = nn_mix1d_sample(params1, k, r);  /* x1 first */
        const float *p2 = nn_model_forward(a->cond, a->x1, m, 0);                /* then x2 | x1 */
        for (int i = 0; i < m; i++) {
            float *out = x + (size_t)2 * (at + i);
            out[0] = a->x1[i] * a->cfg.scale;
            out[1] = nn_mix1d_sample(p2 + (size_t)i * 3 * k, k, r) * a->cfg.scale;
        }
    }
}
