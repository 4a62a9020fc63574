/* flow.c - RealNVP on 2-D points (see flow.h). The coupling maths itself
 * (forward, inverse, log-determinant) is exercise 27, nn_coupling_forward
 * and nn_coupling_inverse; this file computes each layer's s and t,
 * chains the layers and writes out the backward. */
#include "flow/flow.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define LOG_2PI 1.8378770664093453

nn_flow_config nn_flow_config_default(void)
{
    nn_flow_config c = {
        .layers = 8, .hidden = 64, .slope = 0.2f, .s_max = 2.0f, .scale = 1.0f,
        .max_batch = 512,
        .opt = {.lr = 1e-3f, .beta1 = 0.9f, .beta2 = 0.999f, .eps = 1e-8f, .weight_decay = 0},
    };
    return c;
}

void nn_flow_free(nn_flow *f)
{
    if (!f) return;
    if (f->net)
        for (int k = 0; k < f->cfg.layers; k++) nn_model_free(f->net[k]);
    nn_free(f->net);
    nn_free(f->act);
    nn_free(f->keep_in);
    nn_free(f->s);
    nn_free(f->t);
    nn_free(f->logdet);
    nn_free(f->gy);
    nn_free(f->gx);
    nn_free(f->gh);
    nn_free(f->gk);
    nn_free(f);
}

nn_flow *nn_flow_create(const nn_flow_config *cfg, uint64_t seed, nn_error *err)
{
    if (cfg->layers < 1 || cfg->hidden < 1 || cfg->max_batch < 1 ||
        !(cfg->slope >= 0.0f && cfg->slope < 1.0f) || !(cfg->s_max > 0.0f) ||
        !(cfg->scale > 0.0f) || !isfinite(cfg->scale) || !(cfg->opt.lr > 0.0f)) {
        nn_fail(err, NN_ERR_ARG,
                "flow: layers %d, hidden %d and max_batch %d must be >= 1, slope %g in [0, 1), "
                "s_max %g, scale %g and lr %g > 0", cfg->layers, cfg->hidden, cfg->max_batch,
                (double)cfg->slope, (double)cfg->s_max, (double)cfg->scale,
                (double)cfg->opt.lr);
        return NULL;
    }
    nn_flow *f = nn_alloc(1, sizeof *f);
    if (!f) { nn_fail(err, NN_ERR_NOMEM, "flow: no memory"); return NULL; }
    f->cfg = *cfg;
    int K = cfg->layers;
    size_t mb = (size_t)cfg->max_batch;
    f->net = nn_alloc((size_t)K, sizeof *f->net);
    f->act = nn_alloc((size_t)(K + 1) * mb * 2, sizeof(float));
    f->keep_in = nn_alloc((size_t)K * mb, sizeof(float));
    f->s = nn_alloc((size_t)K * mb, sizeof(float));
    f->t = nn_alloc((size_t)K * mb, sizeof(float));
    f->logdet = nn_alloc(mb, sizeof(float));
    f->gy = nn_alloc(mb * 2, sizeof(float));
    f->gx = nn_alloc(mb * 2, sizeof(float));
    f->gh = nn_alloc(mb * 2, sizeof(float));
    f->gk = nn_alloc(mb, sizeof(float));
    if (!f->net || !f->act || !f->keep_in || !f->s || !f->t || !f->logdet || !f->gy ||
        !f->gx || !f->gh || !f->gk) {
        nn_flow_free(f);
        nn_fail(err, NN_ERR_NOMEM, "flow: no memory for %d layers of %zu points", K, mb);
        return NULL;
    }
    const nn_layer_spec specs[] = {
        {.kind = NN_LAYER_LINEAR, .out = cfg->hidden},
        {.kind = NN_LAYER_LEAKY_RELU, .arg = cfg->slope},
        {.kind = NN_LAYER_LINEAR, .out = cfg->hidden},
        {.kind = NN_LAYER_LEAKY_RELU, .arg = cfg->slope},
        {.kind = NN_LAYER_LINEAR, .out = 2},
    };
    nn_rng r;
    nn_rng_seed(&r, seed, 0);
    for (int k = 0; k < K; k++) {
        f->net[k] = nn_model_create(1, specs, 5, cfg->max_batch, err);
        if (!f->net[k]) { nn_flow_free(f); return NULL; }
        nn_model_init(f->net[k], &r, NN_INIT_TORCH);
        /* The last layer at zero: s = t = 0, every coupling the identity,
         * so training starts from the base density seen through the
         * scaling, and no layer starts by throwing points far away. */
        nn_layer *last = &f->net[k]->layers[4];
        memset(last->w, 0, (size_t)last->in * last->out * sizeof(float));
        memset(last->b, 0, (size_t)last->out * sizeof(float));
    }
    return f;
}

size_t nn_flow_param_count(const nn_flow *f)
{
    size_t n = 0;
    for (int k = 0; k < f->cfg.layers; k++) n += nn_model_param_count(f->net[k]);
    return n;
}

void nn_flow_zero_grad(nn_flow *f)
{
    for (int k = 0; k < f->cfg.layers; k++) nn_model_zero_grad(f->net[k]);
}

/* Layer k's s and t (n each) from the kept coordinate of its input in (n, 2). */
static void layer_st(nn_flow *f, int k, const float *in, int n)
{
    size_t mb = (size_t)f->cfg.max_batch;
    int keep = k % 2;
    float *col = f->keep_in + k * mb, *s = f->s + k * mb, *t = f->t + k * mb;
    for (int i = 0; i < n; i++) col[i] = in[2 * i + keep];
    const float *h = nn_model_forward(f->net[k], col, n, 1);
    const float sm = f->cfg.s_max;
    for (int i = 0; i < n; i++) {
        s[i] = sm * tanhf(h[2 * i] / sm);
        t[i] = h[2 * i + 1];
    }
}

void nn_flow_forward(nn_flow *f, float *z, float *logp, const float *x, int n)
{
    const int K = f->cfg.layers;
    size_t mb = (size_t)f->cfg.max_batch;
    const float inv = 1.0f / f->cfg.scale;
    /* The scaling is a layer too: its Jacobian is diag(1/scale, 1/scale). */
    const float ld0 = -2.0f * logf(f->cfg.scale);
    for (int i = 0; i < 2 * n; i++) f->act[i] = x[i] * inv;
    for (int i = 0; i < n; i++) f->logdet[i] = ld0;
    for (int k = 0; k < K; k++) {
        const float *in = f->act + (size_t)k * mb * 2;
        layer_st(f, k, in, n);
        nn_coupling_forward(f->act + (size_t)(k + 1) * mb * 2, f->logdet, in, f->s + k * mb,
                            f->t + k * mb, n, k % 2);
    }
    const float *zz = f->act + (size_t)K * mb * 2;
    if (z) memcpy(z, zz, (size_t)n * 2 * sizeof(float));
    if (logp)
        for (int i = 0; i < n; i++) {
            double q = (double)zz[2 * i] * zz[2 * i] + (double)zz[2 * i + 1] * zz[2 * i + 1];
            logp[i] = (float)(-0.5 * q - LOG_2PI + f->logdet[i]);
        }
}

float nn_flow_nll_backward(nn_flow *f, float *dx, const float *x, int n)
{
    const int K = f->cfg.layers;
    size_t mb = (size_t)f->cfg.max_batch;
    nn_flow_forward(f, NULL, NULL, x, n);
    const float *z = f->act + (size_t)K * mb * 2;
    /* L = (1/n) sum_i [ |z_i|^2 / 2 + log 2 pi - logdet_i ]:
     * dL/dz_i = z_i / n, and dL/dlogdet_i = -1/n for every point. Each
     * layer adds its s_i to logdet_i, so dL/ds_i gets -1/n directly. */
    double L = 0.0;
    const float w = 1.0f / (float)n;
    for (int i = 0; i < n; i++) {
        double q = (double)z[2 * i] * z[2 * i] + (double)z[2 * i + 1] * z[2 * i + 1];
        L += 0.5 * q + LOG_2PI - f->logdet[i];
        f->gy[2 * i] = z[2 * i] * w;
        f->gy[2 * i + 1] = z[2 * i + 1] * w;
    }
    const float sm = f->cfg.s_max;
    for (int k = K - 1; k >= 0; k--) {
        const float *in = f->act + (size_t)k * mb * 2;
        const float *s = f->s + k * mb;
        int keep = k % 2, other = 1 - keep;
        /* y_other = x_other e^s + t, y_keep = x_keep, logdet += s, with
         * s = s_max tanh(a / s_max), (a, t) = NN(x_keep):
         *   dL/dx_other = dL/dy_other e^s
         *   dL/ds = dL/dy_other x_other e^s - 1/n,   dL/da = dL/ds (1 - (s/s_max)^2)
         *   dL/dt = dL/dy_other
         *   dL/dx_keep = dL/dy_keep + (NN's backward of (dL/da, dL/dt)) */
        for (int i = 0; i < n; i++) {
            float e = expf(s[i]), go = f->gy[2 * i + other];
            float ds = go * in[2 * i + other] * e - w;
            float r = s[i] / sm;
            f->gh[2 * i] = ds * (1.0f - r * r);
            f->gh[2 * i + 1] = go;
            f->gx[2 * i + other] = go * e;
            f->gx[2 * i + keep] = f->gy[2 * i + keep];
            f->gk[i] = 0.0f;
        }
        nn_model_backward(f->net[k], f->gk, f->gh, n, 1);
        for (int i = 0; i < n; i++) f->gx[2 * i + keep] += f->gk[i];
        float *tmp = f->gy;
        f->gy = f->gx;
        f->gx = tmp;
    }
    if (dx) {
        const float inv = 1.0f / f->cfg.scale;
        for (int i = 0; i < 2 * n; i++) dx[i] += f->gy[i] * inv;
    }
    return (float)(L / n);
}

float nn_flow_train_step(nn_flow *f, const float *x, int n)
{
    nn_flow_zero_grad(f);
    float L = nn_flow_nll_backward(f, NULL, x, n);
    if (!isfinite(L)) return L;
    f->steps++;
    for (int k = 0; k < f->cfg.layers; k++) nn_model_adam_step(f->net[k], &f->cfg.opt);
    return L;
}

void nn_flow_inverse(nn_flow *f, float *x, const float *z, int n)
{
    const int K = f->cfg.layers;
    int mb = f->cfg.max_batch;
    for (int at = 0; at < n; at += mb) {
        int m = n - at < mb ? n - at : mb;
        float *top = f->act + (size_t)K * mb * 2;
        memcpy(top, z + (size_t)at * 2, (size_t)m * 2 * sizeof(float));
        for (int k = K - 1; k >= 0; k--) {
            const float *y = f->act + (size_t)(k + 1) * mb * 2;
            /* The kept coordinate passed through unchanged: the network
             * reads the same input as on the way forward. */
            layer_st(f, k, y, m);
            nn_coupling_inverse(f->act + (size_t)k * mb * 2, NULL, y, f->s + (size_t)k * mb,
                                f->t + (size_t)k * mb, m, k % 2);
        }
        for (int i = 0; i < 2 * m; i++) x[(size_t)at * 2 + i] = f->act[i] * f->cfg.scale;
    }
}

void nn_flow_sample(nn_flow *f, float *x, int n, nn_rng *r)
{
    nn_rng_fill_normal(r, x, (size_t)n * 2, 0.0f, 1.0f);
    nn_flow_inverse(f, x, x, n);
}

void nn_flow_log_prob(nn_flow *f, float *logp, const float *x, int n)
{
    int mb = f->cfg.max_batch;
    for (int at = 0; at < n; at += mb) {
        int m = n - at < mb ? n - at : mb;
        nn_flow_forward(f, NULL, logp + at, x + (size_t)at * 2, m);
    }
}

double nn_flow_mean_log_prob(nn_flow *f, const float *x, int n)
{
    int mb = f->cfg.max_batch;
    double sum = 0.0;
    /* gk (max_batch) is backward's scratch: free between steps. */
    for (int at = 0; at < n; at += mb) {
        int m = n - at < mb ? n - at : mb;
        nn_flow_forward(f, NULL, f->gk, x + (size_t)at * 2, m);
        for (int i = 0; i < m; i++) sum += f->gk[i];
    }
    return sum / n;
}

static int all_finite(const float *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i])) return 0;
    return 1;
}

int nn_flow_diagnose(nn_flow *f, const float *x, int n, char *msg, size_t cap)
{
    const int K = f->cfg.layers;
    size_t mb = (size_t)f->cfg.max_batch;
    for (int k = 0; k < K; k++)
        if (!all_finite(f->net[k]->params, f->net[k]->n_params)) {
            snprintf(msg, cap, "coupling layer %d's network has non-finite parameters "
                     "(an optimizer step blew up)", k + 1);
            return 1;
        }
    if (!all_finite(x, (size_t)n * 2)) {
        snprintf(msg, cap, "the input points are not finite");
        return 1;
    }
    nn_flow_forward(f, NULL, NULL, x, n);
    for (int k = 0; k < K; k++) {
        if (!all_finite(f->s + k * mb, (size_t)n) || !all_finite(f->t + k * mb, (size_t)n)) {
            snprintf(msg, cap, "coupling layer %d's network output a non-finite log-scale s "
                     "or shift t", k + 1);
            return 1;
        }
        if (!all_finite(f->act + (k + 1) * mb * 2, (size_t)n * 2)) {
            snprintf(msg, cap, "coupling layer %d's output overflowed: x exp(s) + t is not "
                     "finite", k + 1);
            return 1;
        }
    }
    if (!all_finite(f->logdet, (size_t)n)) {
        snprintf(msg, cap, "the log-determinant is not finite");
        return 1;
    }
    /* Every number finite, and yet the loss may not fit a float: the
     * layers' scales exp(s) multiplied up and threw z far out. */
    const float *z = f->act + (size_t)K * mb * 2;
    double L = 0.0, zmax = 0.0;
    for (int i = 0; i < n; i++) {
        double q = (double)z[2 * i] * z[2 * i] + (double)z[2 * i + 1] * z[2 * i + 1];
        L += 0.5 * q + LOG_2PI - f->logdet[i];
        zmax = fmax(zmax, sqrt(q));
    }
    if (!isfinite((float)(L / n))) {
        snprintf(msg, cap, "the layers' scales exp(s) multiplied up: z reached |z| = %.3g and "
                 "the loss overflows a float", zmax);
        return 1;
    }
    snprintf(msg, cap, "every number of the forward pass is finite");
    return 0;
}
