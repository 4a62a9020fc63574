/* kind_broadcast.c - the style broadcast as a kind of the model's
 * (kinds.h): w copied once per styled layer into the style bus, with style
 * mixing in train forwards and the running mean of w that truncation pulls
 * toward (a buffer: saved, not trained). Its maths in style_layers.h. */
#include <string.h>

#include "nn/kinds.h"
#include "nn/style_layers.h"

/* The decay StyleGAN uses for the running mean of w (arg 0 selects it). */
#define W_AVG_DEFAULT_DECAY 0.995f

static nn_status broadcast_shape(nn_layer *l, const nn_kind_place *at, nn_error *err)
{
    const nn_layer_spec *s = &l->spec;
    const int idx = at->idx, in = l->in;
    if (s->out <= 0 || s->out % in != 0)
        return nn_fail(err, NN_ERR_ARG,
                       "layer %d (style_broadcast): output width %d is not a positive "
                       "multiple of its input width %d; give .out = slots x %d", idx,
                       s->out, in, in);
    if (!(s->arg >= 0.0f && s->arg < 1.0f))
        return nn_fail(err, NN_ERR_ARG,
                       "layer %d (style_broadcast): decay %g of the running mean of w is "
                       "outside [0, 1); use 0 for 0.995", idx, (double)s->arg);
    if (!(s->mix >= 0.0f && s->mix <= 1.0f))
        return nn_fail(err, NN_ERR_ARG,
                       "layer %d (style_broadcast): mixing probability %g is outside "
                       "[0, 1]; use 0 for no style mixing", idx, (double)s->mix);
    l->out = s->out;
    l->out_c = l->out_h = l->out_w = 0;
    return NN_OK;
}

/* The running mean of w; the crossover slot of each row (cache). */
static void broadcast_layout(nn_layer *l, nn_blocks *b)
{
    l->running_mean = nn_take_buffer(b, (size_t)l->in);
    l->cache = nn_take_workspace(b, (size_t)b->max_batch);
}

static void broadcast_init(nn_layer *l, nn_rng *r, nn_init_kind kind, float slope)
{
    (void)r;
    (void)kind;
    (void)slope;
    memset(l->running_mean, 0, (size_t)l->in * sizeof(float));
}

/* Style mixing (spec.mix) in train mode only; the running mean follows the
 * rows' own w, mixed or not. */
static void broadcast_forward(nn_layer *l, const float *x, const nn_pass *p)
{
    const int in = l->in, k = l->out / l->in;
    nn_broadcast_crossovers(l->cache, p->rng, p->train ? l->spec.mix : 0.0f, p->batch, k);
    nn_broadcast_forward(l->y, x, l->cache, p->batch, in, k);
    if (!p->train) return;
    const float d = l->spec.arg == 0.0f ? W_AVG_DEFAULT_DECAY : l->spec.arg;
    nn_broadcast_track_mean(l->running_mean, x, d, p->batch, in);
}

/* Each slot's gradient goes to the row it read. */
static void broadcast_backward(nn_layer *l, float *gx, float *dw, float *db, const float *g,
                               const float *x, const nn_pass *p)
{
    (void)dw;
    (void)db;
    (void)x;
    if (gx) nn_broadcast_backward(gx, g, l->cache, p->batch, l->in, l->out / l->in);
}

const nn_kind nn_kind_style_broadcast = {
    .name = "style_broadcast",
    .shape = broadcast_shape,
    .layout = broadcast_layout,
    .init = broadcast_init,
    .forward = broadcast_forward,
    .backward = broadcast_backward,
};
