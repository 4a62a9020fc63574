/* kind_batchnorm.c - batch normalisation as kinds of the model's (kinds.h):
 * torch.nn.BatchNorm1d on features (its maths in layers.h) and
 * torch.nn.BatchNorm2d on channels (conv.h). gamma then beta in the
 * parameters, the running mean then variance in the buffers; xhat and the
 * batch statistics in the workspace. */
#include <math.h>

#include "nn/conv.h"
#include "nn/kinds.h"
#include "nn/layers.h"

/* torch's defaults: momentum 0.1 (arg 0 selects it), eps 1e-5. */
#define BN_DEFAULT_MOMENTUM 0.1f
#define BN_EPS 1e-5f

/* Features a batchnorm normalises one by one: each feature of a row, or
 * each channel of an image. */
static int bn_channels(const nn_layer *l)
{
    return l->spec.kind == NN_LAYER_BATCHNORM2D ? l->in_c : l->out;
}

/* Numbers per channel and row a batchnorm normalises alike: 1 for plain
 * features, the h w pixels of a channel for images. */
static int bn_hw(const nn_layer *l)
{
    return l->spec.kind == NN_LAYER_BATCHNORM2D ? l->in_h * l->in_w : 1;
}

static float bn_momentum(const nn_layer *l)
{
    return l->spec.arg == 0.0f ? BN_DEFAULT_MOMENTUM : l->spec.arg;
}

static nn_status bn_shape(nn_layer *l, const nn_kind_place *at, nn_error *err)
{
    const nn_layer_spec *s = &l->spec;
    if (s->kind == NN_LAYER_BATCHNORM2D && l->in_c <= 0)
        return nn_fail(err, NN_ERR_ARG,
                       "layer %d (batchnorm2d): its input rows (%d features) have no image "
                       "shape, so no channels to normalise; put it after a convolution or "
                       "a reshape, or use NN_LAYER_BATCHNORM for plain features", at->idx,
                       l->in);
    if (!(s->arg >= 0.0f && s->arg <= 1.0f)) /* also rejects NaN */
        return nn_fail(err, NN_ERR_ARG,
                       "layer %d (%s): momentum %g is outside [0, 1]; "
                       "use 0 for torch's default 0.1", at->idx, nn_layer_kind_name(s->kind),
                       (double)s->arg);
    return NN_OK;
}

static size_t bn_params(const nn_layer *l)
{
    return 2u * (size_t)bn_channels(l);
}

/* Running statistics are saved with the model but never trained, so they
 * live outside the params block the optimizer walks. */
static void bn_layout(nn_layer *l, nn_blocks *b)
{
    const size_t c = (size_t)bn_channels(l);
    nn_take_params(b, c, &l->w, &l->dw);  /* gamma */
    nn_take_params(b, c, &l->b, &l->db);  /* beta */
    l->running_mean = nn_take_buffer(b, c);
    l->running_var = nn_take_buffer(b, c);
    l->cache = nn_take_workspace(b, (size_t)b->max_batch * (size_t)l->out); /* xhat */
    l->mean = nn_take_workspace(b, c);
    l->invstd = nn_take_workspace(b, c);
    /* The running variance starts at 1, as in torch. */
    if (l->running_var)
        for (size_t j = 0; j < c; j++) l->running_var[j] = 1.0f;
}

static void bn_init(nn_layer *l, nn_rng *r, nn_init_kind kind, float slope)
{
    (void)r;
    (void)kind;
    (void)slope;
    for (int j = 0; j < bn_channels(l); j++) {
        l->w[j] = 1.0f;
        l->running_mean[j] = 0.0f;
        l->running_var[j] = 1.0f;
    }
}

/* Backward after an eval forward (a gradient through a frozen net in eval
 * mode) needs the running statistics' xhat and invstd, which the eval
 * kernels do not keep. Element (b, c, s) of the rows, channel c. */
static void bn_eval_cache(nn_layer *l, const float *x, int batch)
{
    const int C = bn_channels(l), hw = bn_hw(l);
    for (int c = 0; c < C; c++) l->invstd[c] = 1.0f / sqrtf(l->running_var[c] + BN_EPS);
    for (int b = 0; b < batch; b++)
        for (int c = 0; c < C; c++)
            for (int e = 0; e < hw; e++) {
                size_t k = ((size_t)b * (size_t)C + (size_t)c) * (size_t)hw + (size_t)e;
                l->cache[k] = (x[k] - l->running_mean[c]) * l->invstd[c];
            }
}

/* Batchnorm backward in eval mode (either kind): the statistics are
 * constants, so, over the elements of channel c,
 *   dx += dy * gamma * invstd,  dgamma += sum dy * xhat,  dbeta += sum dy.  */
static void bn_backward_eval(float *dx, float *dgamma, float *dbeta, const float *dy,
                             const nn_layer *l, int batch)
{
    const int C = bn_channels(l), hw = bn_hw(l);
    for (int b = 0; b < batch; b++)
        for (int c = 0; c < C; c++)
            for (int e = 0; e < hw; e++) {
                size_t k = ((size_t)b * (size_t)C + (size_t)c) * (size_t)hw + (size_t)e;
                if (dx) dx[k] += dy[k] * l->w[c] * l->invstd[c];
                if (dgamma) dgamma[c] += dy[k] * l->cache[k];
                if (dbeta) dbeta[c] += dy[k];
            }
}

/* ------------------------------------------------------------ on features */

static void bn1d_forward(nn_layer *l, const float *x, const nn_pass *p)
{
    if (p->train) {
        nn_batchnorm_forward_train(l->y, l->cache, l->mean, l->invstd, l->running_mean,
                                   l->running_var, x, l->w, l->b, bn_momentum(l), BN_EPS,
                                   p->batch, l->out);
    } else {
        nn_batchnorm_forward_eval(l->y, x, l->w, l->b, l->running_mean, l->running_var, BN_EPS,
                                  p->batch, l->out);
        bn_eval_cache(l, x, p->batch);
    }
}

static void bn1d_backward(nn_layer *l, float *gx, float *dw, float *db, const float *g,
                          const float *x, const nn_pass *p)
{
    (void)x;
    if (p->train)
        nn_batchnorm_backward(gx, dw, db, g, l->cache, l->invstd, l->w, p->batch, l->out);
    else
        bn_backward_eval(gx, dw, db, g, l, p->batch);
}

const nn_kind nn_kind_batchnorm = {
    .name = "batchnorm",
    .gain = NN_GAIN_SEEN_PAST,
    .shape = bn_shape,
    .params = bn_params,
    .layout = bn_layout,
    .init = bn_init,
    .forward = bn1d_forward,
    .backward = bn1d_backward,
};

/* ------------------------------------------------------------ on channels */

static void bn2d_forward(nn_layer *l, const float *x, const nn_pass *p)
{
    if (p->train) {
        nn_batchnorm2d_forward_train(l->y, l->cache, l->mean, l->invstd, l->running_mean,
                                     l->running_var, x, l->w, l->b, bn_momentum(l), BN_EPS,
                                     p->batch, l->in_c, bn_hw(l));
    } else {
        nn_batchnorm2d_forward_eval(l->y, x, l->w, l->b, l->running_mean, l->running_var,
                                    BN_EPS, p->batch, l->in_c, bn_hw(l));
        bn_eval_cache(l, x, p->batch);
    }
}

static void bn2d_backward(nn_layer *l, float *gx, float *dw, float *db, const float *g,
                          const float *x, const nn_pass *p)
{
    (void)x;
    if (p->train)
        nn_batchnorm2d_backward(gx, dw, db, g, l->cache, l->invstd, l->w, p->batch, l->in_c,
                                bn_hw(l));
    else
        bn_backward_eval(gx, dw, db, g, l, p->batch);
}

const nn_kind nn_kind_batchnorm2d = {
    .name = "batchnorm2d",
    .gain = NN_GAIN_SEEN_PAST,
    .shape = bn_shape,
    .params = bn_params,
    .layout = bn_layout,
    .init = bn_init,
    .forward = bn2d_forward,
    .backward = bn2d_backward,
};
