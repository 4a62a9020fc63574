/* model.c - a sequential network over contiguous parameter, gradient, Adam
 * and activation blocks (see model.h). Checkpoints are in checkpoint.c.
 *
 * What each layer does is its kind's (kinds.h): this file walks the table
 * and never asks which kind a layer is.
 *
 * Memory, allocated once in nn_model_create:
 *   params / grads / adam_m / adam_v   n_params floats each, same layout:
 *       per layer, what its kind takes (linear or convolution w then b;
 *       batchnorm gamma then beta)
 *   buffers                            batchnorm running_mean then running_var
 *   workspace                          per layer y, then what its kind takes
 *                                      (cache, mean, invstd, ...); then the
 *                                      convolutions' shared scratch
 *   grad_a, grad_b                     (max_batch, widest) each, ping-pong
 *   states                             each layer's kind-specific state
 */
#include "nn/model.h"

#include <assert.h>
#include <stdalign.h>
#include <stddef.h>
#include <string.h>

#include "nn/kinds.h"
#include "kernels/ops.h"
#include "kernels/pool.h"

static const nn_kind *kind_of(const nn_layer *l)
{
    return nn_kind_of(l->spec.kind);
}

/* ------------------------------------------------------------ create */

static nn_status check_args(int in, const nn_layer_spec *specs, int n_layers, int max_batch,
                            nn_error *err)
{
    if (in <= 0)
        return nn_fail(err, NN_ERR_ARG, "model input width %d is not positive; "
                       "give the number of input features (784 for 28x28 images)", in);
    if (n_layers <= 0 || !specs)
        return nn_fail(err, NN_ERR_ARG, "a model needs at least one layer (got %d)", n_layers);
    if (max_batch <= 0)
        return nn_fail(err, NN_ERR_ARG, "max_batch %d is not positive; "
                       "pass the largest batch forward will see, such as 64", max_batch);
    return NN_OK;
}

/* Bytes of a kind's state, rounded so that the next one starts aligned. */
static size_t state_bytes(nn_layer_kind kind)
{
    const nn_kind *k = nn_kind_of(kind);
    const size_t a = alignof(max_align_t), n = k ? k->state_size : 0;
    return (n + a - 1) / a * a;
}

/* The model, its layers and their states, zeroed: from here on
 * nn_model_free can undo a partly built model, since every pointer it frees
 * is either set or still NULL. */
static nn_model *alloc_model(int in, const nn_layer_spec *specs, int n_layers, int max_batch,
                             nn_error *err)
{
    size_t n_state = 0;
    for (int i = 0; i < n_layers; i++) n_state += state_bytes(specs[i].kind);
    nn_model *m = nn_alloc(1, sizeof *m);
    nn_layer *layers = m ? nn_alloc((size_t)n_layers, sizeof *layers) : NULL;
    unsigned char *states = layers && n_state ? nn_alloc(n_state, 1) : NULL;
    if (!layers || (n_state && !states)) {
        nn_free(layers);
        nn_free(m);
        nn_fail(err, NN_ERR_NOMEM, "out of memory for a model of %d layers", n_layers);
        return NULL;
    }
    m->layers = layers;
    m->n_layers = n_layers;
    m->in = in;
    m->max_batch = max_batch;
    m->states = states;
    size_t at = 0;
    for (int i = 0; i < n_layers; i++) {
        const size_t n = state_bytes(specs[i].kind);
        if (n) layers[i].state = states + at;
        at += n;
    }
    return m;
}

/* Checks every spec in order and sets each layer's widths and image shapes;
 * fills err naming the first bad layer. The input rows have no image shape
 * until a reshape gives them one. Every message names the layer's index and
 * kind and the bad value, and says what to use instead, because a spec
 * table in a lesson is easy to get wrong by one line. */
static nn_status check_layers(nn_model *m, const nn_layer_spec *specs, nn_error *err)
{
    int width = m->in, shape[3] = {0, 0, 0};
    for (int i = 0; i < m->n_layers; i++) {
        nn_layer *l = &m->layers[i];
        l->spec = specs[i];
        l->in = l->out = width;
        l->in_c = l->out_c = shape[0];
        l->in_h = l->out_h = shape[1];
        l->in_w = l->out_w = shape[2];
        const nn_kind *k = kind_of(l);
        if (!k)
            return nn_fail(err, NN_ERR_ARG,
                           "layer %d: unknown layer kind %d; use one of the NN_LAYER_* values",
                           i, (int)specs[i].kind);
        const nn_kind_place at = {i, m->layers, specs, m->n_layers};
        if (k->shape) {
            nn_status st = k->shape(l, &at, err);
            if (st != NN_OK) return st;
        }
        width = l->out;
        shape[0] = l->out_c;
        shape[1] = l->out_h;
        shape[2] = l->out_w;
    }
    m->out = width;
    return NN_OK;
}

/* Lays every layer out on b: its output (a view takes none), then what its
 * kind takes; last the convolutions' scratch, one for all of them since
 * layers run one at a time, as large as the largest. */
static void lay_out(nn_model *m, nn_blocks *b)
{
    size_t n_scratch = 0;
    for (int i = 0; i < m->n_layers; i++) {
        nn_layer *l = &m->layers[i];
        const nn_kind *k = kind_of(l);
        const size_t params_before = b->n_params;
        if (!k->is_view) l->y = nn_take_workspace(b, (size_t)m->max_batch * (size_t)l->out);
        if (k->layout) k->layout(l, b);
        assert(b->n_params - params_before == nn_layer_param_count(l));
        (void)params_before;
        const size_t sc = k->scratch ? k->scratch(l, m->max_batch) : 0;
        if (sc > n_scratch) n_scratch = sc;
    }
    const size_t ws_before = b->n_ws;
    m->scratch = nn_take_workspace(b, n_scratch);
    m->scratch_len = b->n_ws - ws_before;
    if (!m->scratch_len) m->scratch = NULL;
}

/* One allocation per block, of the sizes the counting layout found. */
static nn_status alloc_blocks(nn_model *m, const nn_blocks *size, nn_error *err)
{
    int widest = m->in;
    for (int i = 0; i < m->n_layers; i++)
        if (m->layers[i].out > widest) widest = m->layers[i].out;
    /* Backward holds at most two layer gradients at once (the one it reads
     * and the one it writes), so two buffers of the widest layer suffice
     * for any depth. */
    const size_t grad_len = (size_t)m->max_batch * (size_t)widest;
    m->n_params = size->n_params;
    m->n_buffers = size->n_buffers;
    m->params = nn_alloc(size->n_params, sizeof(float));
    m->grads = nn_alloc(size->n_params, sizeof(float));
    m->adam_m = nn_alloc(size->n_params, sizeof(float));
    m->adam_v = nn_alloc(size->n_params, sizeof(float));
    m->buffers = nn_alloc(size->n_buffers, sizeof(float));
    m->workspace = nn_alloc(size->n_ws, sizeof(float));
    m->grad_a = nn_alloc(grad_len, sizeof(float));
    m->grad_b = nn_alloc(grad_len, sizeof(float));
    if (!m->params || !m->grads || !m->adam_m || !m->adam_v || !m->buffers || !m->workspace ||
        !m->grad_a || !m->grad_b)
        return nn_fail(err, NN_ERR_NOMEM,
                       "out of memory for a model of %zu parameters and %zu activation floats "
                       "(max_batch %d); lower max_batch or the layer widths",
                       size->n_params, size->n_ws, m->max_batch);
    return NN_OK;
}

/* specs (n_layers); the model holds its own copy of each spec. Checking,
 * then the layout counted, the blocks allocated and the layout again, now
 * setting the named views into them. */
nn_model *nn_model_create(int in, const nn_layer_spec *specs, int n_layers, int max_batch,
                          nn_error *err)
{
    if (check_args(in, specs, n_layers, max_batch, err) != NN_OK) return NULL;
    nn_model *m = alloc_model(in, specs, n_layers, max_batch, err);
    if (!m) return NULL;
    nn_blocks size = {.max_batch = max_batch};
    if (check_layers(m, specs, err) != NN_OK) {
        nn_model_free(m);
        return NULL;
    }
    lay_out(m, &size);
    if (alloc_blocks(m, &size, err) != NN_OK) {
        nn_model_free(m);
        return NULL;
    }
    nn_blocks views = {m->params, m->grads, m->buffers, m->workspace, 0, 0, 0, max_batch};
    lay_out(m, &views);
    assert(views.n_params == size.n_params && views.n_buffers == size.n_buffers &&
           views.n_ws == size.n_ws);
    /* A usable dropout stream exists even before nn_model_init reseeds it. */
    nn_rng_seed(&m->rng, 0, 0);
    return m;
}

void nn_model_free(nn_model *m)
{
    if (!m) return;
    nn_free(m->params);
    nn_free(m->grads);
    nn_free(m->adam_m);
    nn_free(m->adam_v);
    nn_free(m->buffers);
    nn_free(m->workspace);
    nn_free(m->grad_a);
    nn_free(m->grad_b);
    nn_free(m->states);
    nn_free(m->layers);
    nn_free(m);
}

/* ------------------------------------------------------------ init */

/* The negative slope of the activation a linear or convolution layer feeds,
 * looking past batchnorm, dropout, reshape and noise (which come between
 * them in linear -> batchnorm -> leaky_relu); 0 (a ReLU's gain) when there
 * is none. */
static float following_slope(const nn_model *m, int i)
{
    for (int j = i + 1; j < m->n_layers; j++) {
        const nn_kind_gain gain = kind_of(&m->layers[j])->gain;
        if (gain == NN_GAIN_LEAKY) return m->layers[j].spec.arg;
        if (gain != NN_GAIN_SEEN_PAST) break;
    }
    return 0.0f;
}

void nn_model_init(nn_model *m, nn_rng *r, nn_init_kind kind)
{
    memset(m->params, 0, m->n_params * sizeof(float));
    /* Layers are initialised in order, each drawing from r in turn, so a
     * seed fixes every weight of the model. */
    for (int i = 0; i < m->n_layers; i++) {
        nn_layer *l = &m->layers[i];
        const nn_kind *k = kind_of(l);
        if (k->init) k->init(l, r, kind, following_slope(m, i));
    }
    nn_model_zero_grad(m);
    memset(m->adam_m, 0, m->n_params * sizeof(float));
    memset(m->adam_v, 0, m->n_params * sizeof(float));
    m->adam_t = 0;
    /* Two draws make the dropout seed; its stream differs from the default
     * one so the masks never replay the weights' numbers. */
    uint64_t hi = nn_rng_u32(r);
    uint64_t lo = nn_rng_u32(r);
    nn_rng_seed(&m->rng, (hi << 32) | lo, 1);
}

size_t nn_model_param_count(const nn_model *m)
{
    return m->n_params;
}

static void zero_range(void *ctx, size_t lo, size_t hi)
{
    memset((float *)ctx + lo, 0, (hi - lo) * sizeof(float));
}

/* Below this many floats per thread one memset is quicker than a hand-over. */
#define ZERO_MIN_PER_THREAD 65536

/* One memset over the block, cut between the threads when it is large (a
 * million-parameter model's gradients are megabytes, worth both cores). */
void nn_model_zero_grad(nn_model *m)
{
    nn_pool_for(zero_range, m->grads, m->n_params, ZERO_MIN_PER_THREAD);
}

/* ------------------------------------------------------------ forward and backward */

const float *nn_model_forward(nn_model *m, const float *x, int batch, int train)
{
    return nn_model_forward_range(m, x, batch, train, 0, m->n_layers);
}

const float *nn_model_forward_range(nn_model *m, const float *x, int batch, int train, int first,
                                    int end)
{
    assert(batch >= 1 && batch <= m->max_batch);
    assert(first >= 0 && first < end && end <= m->n_layers);
    /* Only a whole forward leaves what backward reads. */
    m->input = first == 0 && end == m->n_layers ? x : NULL;
    m->batch = batch;
    m->train = train;
    const nn_pass p = {batch, train, &m->rng, m->scratch, &m->layers[first]};
    for (int i = first; i < end; i++) {
        nn_layer *l = &m->layers[i];
        /* x (batch, l->in) is the previous layer's y, or the caller's input;
         * l->y (batch, l->out) is kept for the next layer and for backward. */
        kind_of(l)->forward(l, x, &p);
        x = l->y;
    }
    return x;
}

/* The lowest layer backward must reach: 0 when dx is wanted; otherwise the
 * lowest that has parameters, or -1 when frozen with no dx wanted (nothing
 * to do). */
static int backward_stop(const nn_model *m, const float *dx, int param_grads)
{
    if (dx) return 0;
    if (param_grads)
        for (int i = 0; i < m->n_layers; i++)
            if (nn_layer_param_count(&m->layers[i]) > 0) return i;
    return -1;
}

void nn_model_backward(nn_model *m, float *dx, const float *dy, int batch, int param_grads)
{
    assert(batch == m->batch && m->input);
    const int stop = backward_stop(m, dx, param_grads);
    if (stop < 0) return;
    for (int i = stop; i < m->n_layers; i++) {
        const nn_kind *k = kind_of(&m->layers[i]);
        if (k->backward_begin) k->backward_begin(&m->layers[i], batch);
    }
    const nn_pass p = {batch, m->train, &m->rng, m->scratch, NULL};
    const float *g = dy;          /* d loss / d (output of layer i), (batch, out) */
    float *bufs[2] = {m->grad_a, m->grad_b};
    int which = 0;
    for (int i = m->n_layers - 1; i >= stop; i--) {
        nn_layer *l = &m->layers[i];
        const nn_kind *k = kind_of(l);
        /* The layer's input as forward saw it: the previous output, kept in
         * the workspace, or the caller's x (which must still be valid). */
        const float *x = i > 0 ? m->layers[i - 1].y : m->input;
        size_t n = (size_t)batch * (size_t)l->in;
        if (k->is_view) {
            /* The identity: the gradient passes on as it is, in the buffer
             * it is already in; at the bottom it is added into dx. */
            if (i == stop && dx) nn_axpy(dx, 1.0f, g, n);
            continue;
        }
        /* The layer's input gradient goes to the caller's dx at the bottom
         * (added, as promised), NULL where nobody needs it, otherwise into
         * the ping-pong buffer that g is not in, zeroed because layers add. */
        float *gx;
        if (i == stop) {
            gx = dx;
        } else {
            gx = bufs[which];
            which ^= 1;
            memset(gx, 0, n * sizeof *gx);
        }
        /* Frozen: NULL weight gradients, so the layer skips the dW = dY^T X
         * matmul entirely rather than computing and discarding it. */
        float *dw = param_grads ? l->dw : NULL;
        float *db = param_grads ? l->db : NULL;
        k->backward(l, gx, dw, db, g, x, &p);
        g = gx;
    }
}

/* ------------------------------------------------------------ optimizers and copies */

/* Adam over a slice [lo, hi) of the blocks, for nn_pool_for. */
typedef struct {
    nn_model *m;
    const nn_adam *opt;
} adam_job;

static void adam_range(void *ctx, size_t lo, size_t hi)
{
    const adam_job *j = ctx;
    nn_model *m = j->m;
    nn_adam_step(j->opt, m->adam_t, m->params + lo, m->grads + lo, m->adam_m + lo,
                 m->adam_v + lo, hi - lo);
}

/* Below this many parameters per thread, Adam stays on one thread: waking
 * the other costs a few microseconds, Adam about 1 ns per parameter. */
#define ADAM_MIN_PER_THREAD 32768

/* The whole model is one Adam update: params, grads, m and v share a layout.
 * Each parameter's update reads only its own slots, so the blocks can be
 * cut between threads and the result is the same bits at any thread count. */
void nn_model_adam_step(nn_model *m, const nn_adam *opt)
{
    m->adam_t += 1;
    adam_job job = {m, opt};
    nn_pool_for(adam_range, &job, m->n_params, ADAM_MIN_PER_THREAD);
}

void nn_model_rmsprop_step(nn_model *m, const nn_rmsprop *opt)
{
    nn_rmsprop_step(opt, m->params, m->grads, m->adam_v, m->n_params);
}

/* Same layers means same block layout, so one memcpy per block copies every
 * layer; the asserts catch a copy between models of different shapes. */
nn_model *nn_model_clone(const nn_model *m, nn_error *err)
{
    nn_layer_spec *specs = nn_alloc((size_t)m->n_layers, sizeof *specs);
    if (!specs) {
        nn_fail(err, NN_ERR_NOMEM, "nn_model_clone: out of memory for %d layer specs",
                m->n_layers);
        return NULL;
    }
    for (int i = 0; i < m->n_layers; i++) specs[i] = m->layers[i].spec;
    nn_model *c = nn_model_create(m->in, specs, m->n_layers, m->max_batch, err);
    nn_free(specs);
    if (c) nn_model_copy_params(c, m);
    return c;
}

void nn_model_ema(nn_model *avg, const nn_model *m, float beta)
{
    assert(avg->n_params == m->n_params && avg->n_buffers == m->n_buffers);
    assert(beta >= 0.0f && beta < 1.0f);
    for (size_t i = 0; i < m->n_params; i++)
        avg->params[i] = beta * avg->params[i] + (1.0f - beta) * m->params[i];
    if (m->n_buffers) memcpy(avg->buffers, m->buffers, m->n_buffers * sizeof(float));
}

void nn_model_copy_params(nn_model *dst, const nn_model *src)
{
    assert(dst->n_layers == src->n_layers && dst->n_params == src->n_params &&
           dst->n_buffers == src->n_buffers);
    for (int i = 0; i < src->n_layers; i++) {
        const nn_layer *d = &dst->layers[i], *s = &src->layers[i];
        assert(d->spec.kind == s->spec.kind && d->in == s->in && d->out == s->out &&
               d->in_c == s->in_c && d->out_c == s->out_c && d->out_h == s->out_h &&
               d->spec.kernel == s->spec.kernel);
        (void)d;
        (void)s;
    }
    if (dst == src) return;
    memcpy(dst->params, src->params, src->n_params * sizeof(float));
    if (src->n_buffers) memcpy(dst->buffers, src->buffers, src->n_buffers * sizeof(float));
}
