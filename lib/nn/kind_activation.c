/* kind_activation.c - the element-wise kinds of the model's (kinds.h):
 * leaky ReLU, ReLU, sigmoid, tanh and dropout; their maths in layers.h
 * (exercise 12 is the leaky ReLU's backward). Each element depends on its
 * own input alone, so the rows are cut between the threads like Adam's
 * blocks, with the same bits at any thread count; otherwise the element-wise
 * passes would run on one core while the other spins. */
#include <math.h>

#include "nn/kinds.h"
#include "nn/layers.h"
#include "kernels/pool.h"

/* Below this many elements per thread an activation stays on one thread. */
#define ACT_MIN_PER_THREAD 8192

/* One pass over [lo, hi) of a layer's elements, for nn_pool_for. */
typedef struct {
    const nn_layer *l;
    float *out;        /* forward: y; backward: dx, added into */
    const float *x;    /* the layer's input as forward saw it */
    const float *dy;   /* backward: d loss / d y */
} act_job;

static void run(nn_range_fn fn, const nn_layer *l, float *out, const float *x, const float *dy,
                size_t n)
{
    act_job job = {l, out, x, dy};
    nn_pool_for(fn, &job, n, ACT_MIN_PER_THREAD);
}

/* Elements of one pass: the layers keep the width. */
static size_t elements(const nn_layer *l, const nn_pass *p)
{
    return (size_t)p->batch * (size_t)l->in;
}

/* ------------------------------------------------------------ leaky ReLU */

static nn_status leaky_shape(nn_layer *l, const nn_kind_place *at, nn_error *err)
{
    if (!isfinite(l->spec.arg))
        return nn_fail(err, NN_ERR_ARG,
                       "layer %d (leaky_relu): negative slope %g is not a finite number; "
                       "use a value such as 0.2", at->idx, (double)l->spec.arg);
    return NN_OK;
}

static void leaky_fwd(void *ctx, size_t lo, size_t hi)
{
    const act_job *j = ctx;
    nn_leaky_relu_forward(j->out + lo, j->x + lo, j->l->spec.arg, hi - lo);
}

static void leaky_bwd(void *ctx, size_t lo, size_t hi)
{
    const act_job *j = ctx;
    nn_leaky_relu_backward(j->out + lo, j->dy + lo, j->x + lo, j->l->spec.arg, hi - lo);
}

static void leaky_forward(nn_layer *l, const float *x, const nn_pass *p)
{
    run(leaky_fwd, l, l->y, x, NULL, elements(l, p));
}

static void leaky_backward(nn_layer *l, float *gx, float *dw, float *db, const float *g,
                           const float *x, const nn_pass *p)
{
    (void)dw;
    (void)db;
    if (gx) run(leaky_bwd, l, gx, x, g, elements(l, p));
}

const nn_kind nn_kind_leaky_relu = {
    .name = "leaky_relu",
    .gain = NN_GAIN_LEAKY,
    .shape = leaky_shape,
    .forward = leaky_forward,
    .backward = leaky_backward,
};

/* ------------------------------------------------------------ ReLU */

static void relu_fwd(void *ctx, size_t lo, size_t hi)
{
    const act_job *j = ctx;
    nn_relu_forward(j->out + lo, j->x + lo, hi - lo);
}

static void relu_bwd(void *ctx, size_t lo, size_t hi)
{
    const act_job *j = ctx;
    nn_relu_backward(j->out + lo, j->dy + lo, j->x + lo, hi - lo);
}

static void relu_forward(nn_layer *l, const float *x, const nn_pass *p)
{
    run(relu_fwd, l, l->y, x, NULL, elements(l, p));
}

static void relu_backward(nn_layer *l, float *gx, float *dw, float *db, const float *g,
                          const float *x, const nn_pass *p)
{
    (void)dw;
    (void)db;
    if (gx) run(relu_bwd, l, gx, x, g, elements(l, p));
}

const nn_kind nn_kind_relu = {
    .name = "relu",
    .forward = relu_forward,
    .backward = relu_backward,
};

/* ------------------------------------------------------------ sigmoid and tanh */

/* Both differentiate from their output, y. */
static void sigmoid_fwd(void *ctx, size_t lo, size_t hi)
{
    const act_job *j = ctx;
    nn_sigmoid_forward(j->out + lo, j->x + lo, hi - lo);
}

static void sigmoid_bwd(void *ctx, size_t lo, size_t hi)
{
    const act_job *j = ctx;
    nn_sigmoid_backward(j->out + lo, j->dy + lo, j->l->y + lo, hi - lo);
}

static void sigmoid_forward(nn_layer *l, const float *x, const nn_pass *p)
{
    run(sigmoid_fwd, l, l->y, x, NULL, elements(l, p));
}

static void sigmoid_backward(nn_layer *l, float *gx, float *dw, float *db, const float *g,
                             const float *x, const nn_pass *p)
{
    (void)dw;
    (void)db;
    if (gx) run(sigmoid_bwd, l, gx, x, g, elements(l, p));
}

const nn_kind nn_kind_sigmoid = {
    .name = "sigmoid",
    .forward = sigmoid_forward,
    .backward = sigmoid_backward,
};

static void tanh_fwd(void *ctx, size_t lo, size_t hi)
{
    const act_job *j = ctx;
    nn_tanh_forward(j->out + lo, j->x + lo, hi - lo);
}

static void tanh_bwd(void *ctx, size_t lo, size_t hi)
{
    const act_job *j = ctx;
    nn_tanh_backward(j->out + lo, j->dy + lo, j->l->y + lo, hi - lo);
}

static void tanh_forward(nn_layer *l, const float *x, const nn_pass *p)
{
    run(tanh_fwd, l, l->y, x, NULL, elements(l, p));
}

static void tanh_backward(nn_layer *l, float *gx, float *dw, float *db, const float *g,
                          const float *x, const nn_pass *p)
{
    (void)dw;
    (void)db;
    if (gx) run(tanh_bwd, l, gx, x, g, elements(l, p));
}

const nn_kind nn_kind_tanh = {
    .name = "tanh",
    .forward = tanh_forward,
    .backward = tanh_backward,
};

/* ------------------------------------------------------------ dropout */

static nn_status dropout_shape(nn_layer *l, const nn_kind_place *at, nn_error *err)
{
    const float p = l->spec.arg;
    if (!(p >= 0.0f && p < 1.0f))
        return nn_fail(err, NN_ERR_ARG,
                       "layer %d (dropout): drop probability %g is outside [0, 1); "
                       "use a value such as 0.3 (0 turns dropout off)", at->idx, (double)p);
    return NN_OK;
}

/* The mask, (max_batch, out). */
static void dropout_layout(nn_layer *l, nn_blocks *b)
{
    l->cache = nn_take_workspace(b, (size_t)b->max_batch * (size_t)l->out);
}

static void dropout_forward(nn_layer *l, const float *x, const nn_pass *p)
{
    nn_dropout_forward(l->y, l->cache, x, l->spec.arg, p->rng, p->train, elements(l, p));
}

/* The mask forward drew, already scaled by 1/(1-p). */
static void dropout_bwd(void *ctx, size_t lo, size_t hi)
{
    const act_job *j = ctx;
    nn_dropout_backward(j->out + lo, j->dy + lo, j->l->cache + lo, hi - lo);
}

static void dropout_backward(nn_layer *l, float *gx, float *dw, float *db, const float *g,
                             const float *x, const nn_pass *p)
{
    (void)dw;
    (void)db;
    if (gx) run(dropout_bwd, l, gx, x, g, elements(l, p));
}

const nn_kind nn_kind_dropout = {
    .name = "dropout",
    .gain = NN_GAIN_SEEN_PAST,
    .shape = dropout_shape,
    .layout = dropout_layout,
    .forward = dropout_forward,
    .backward = dropout_backward,
};
