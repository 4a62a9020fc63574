/* kind_style.c - the style bus's two ends as kinds of the model's
 * (kinds.h). A style_const layer outputs a learned constant image and keeps
 * its input row, the bus, for the adain layers after it (up to the next
 * style_const), each of which reads its own slot through its own affine
 * map; in backward the adain layers add their slots' gradients into the
 * bus's, which the constant hands down as its input's. The AdaIN maths
 * (exercise 26) are in style_layers.h. */
#include <assert.h>
#include <limits.h>
#include <string.h>

#include "nn/kinds.h"
#include "nn/layers.h"
#include "kernels/ops.h"
#include "nn/style_layers.h"

/* A style_const layer's state: its bus. */
typedef struct {
    int n_slots;        /* adain layers that read it */
    int slot_dim;       /* numbers per slot: its width over n_slots */
    int width;          /* numbers per row: the layer's in */
    const float *bus;   /* the last forward's input, (batch, width) */
    float *dbus;        /* (max_batch, width): what the adain layers' backward gathers */
} bus_state;

/* An adain layer's state: where its style comes from and its workspace. */
typedef struct {
    bus_state *bus;          /* the style_const's */
    const nn_layer *src;     /* that layer */
    int source, slot;        /* its index; the slot read */
    float *slot_rows;        /* (max_batch, slot_dim): the slot, copied */
    float *dslot;            /* its gradient */
    float *scale, *bias;     /* (max_batch, c) each: the styles */
    float *dscale, *dbias;   /* their gradients */
} adain_state;

/* ------------------------------------------------------------ style_const */

/* Its readers: the adain layers after it, up to the next style_const. */
static int count_readers(const nn_kind_place *at)
{
    int n = 0;
    for (int i = at->idx + 1; i < at->n_layers && at->specs[i].kind != NN_LAYER_STYLE_CONST; i++)
        n += at->specs[i].kind == NN_LAYER_ADAIN;
    return n;
}

static nn_status const_shape(nn_layer *l, const nn_kind_place *at, nn_error *err)
{
    const nn_layer_spec *s = &l->spec;
    const int idx = at->idx, in = l->in;
    bus_state *st = l->state;
    st->n_slots = count_readers(at);
    if (s->c < 1 || s->h < 1 || s->w < 1)
        return nn_fail(err, NN_ERR_ARG,
                       "layer %d (style_const): constant shape %dx%dx%d (.c x .h x .w) has "
                       "a side below 1; give all three, such as .c = 64, .h = 7, .w = 7",
                       idx, s->c, s->h, s->w);
    if ((long long)s->c * s->h * s->w > INT_MAX)
        return nn_fail(err, NN_ERR_ARG, "layer %d (style_const): %dx%dx%d is more numbers "
                       "than an int holds", idx, s->c, s->h, s->w);
    if (st->n_slots < 1)
        return nn_fail(err, NN_ERR_ARG,
                       "layer %d (style_const): no adain layer follows it to read its "
                       "styles; put at least one after it", idx);
    if (in % st->n_slots != 0)
        return nn_fail(err, NN_ERR_ARG,
                       "layer %d (style_const): its input rows (%d features) do not split "
                       "into %d equal slots, one per adain layer after it; give it %d x "
                       "the width of w", idx, in, st->n_slots, st->n_slots);
    st->slot_dim = in / st->n_slots;
    st->width = in;
    l->out = s->c * s->h * s->w;
    l->out_c = s->c;
    l->out_h = s->h;
    l->out_w = s->w;
    return NN_OK;
}

static size_t const_params(const nn_layer *l)
{
    return (size_t)l->out;
}

static void const_layout(nn_layer *l, nn_blocks *b)
{
    bus_state *st = l->state;
    nn_take_params(b, (size_t)l->out, &l->w, &l->dw);
    st->dbus = nn_take_workspace(b, (size_t)b->max_batch * (size_t)l->in);
}

static void const_init(nn_layer *l, nn_rng *r, nn_init_kind kind, float slope)
{
    (void)kind;
    (void)slope;
    nn_rng_fill_normal(r, l->w, (size_t)l->out, 0.0f, 1.0f);
}

/* The bus stays where it is (the caller's rows or the broadcast's output);
 * the adain layers after this one read it there. */
static void const_forward(nn_layer *l, const float *x, const nn_pass *p)
{
    bus_state *st = l->state;
    st->bus = x;
    for (int b = 0; b < p->batch; b++)
        memcpy(l->y + (size_t)b * l->out, l->w, (size_t)l->out * sizeof(float));
}

/* The adain layers add their styles' gradients into the bus's. */
static void const_backward_begin(nn_layer *l, int batch)
{
    const bus_state *st = l->state;
    memset(st->dbus, 0, (size_t)batch * (size_t)l->in * sizeof(float));
}

/* Every row drew the same constant: its gradient is the sum of theirs. The
 * input's gradient is what the styles gathered. */
static void const_backward(nn_layer *l, float *gx, float *dw, float *db, const float *g,
                           const float *x, const nn_pass *p)
{
    const bus_state *st = l->state;
    (void)db;
    (void)x;
    if (dw)
        for (int b = 0; b < p->batch; b++)
            nn_axpy(dw, 1.0f, g + (size_t)b * l->out, (size_t)l->out);
    if (gx) nn_axpy(gx, 1.0f, st->dbus, (size_t)p->batch * (size_t)l->in);
}

const nn_kind nn_kind_style_const = {
    .name = "style_const",
    .state_size = sizeof(bus_state),
    .shape = const_shape,
    .params = const_params,
    .layout = const_layout,
    .init = const_init,
    .forward = const_forward,
    .backward_begin = const_backward_begin,
    .backward = const_backward,
};

int nn_style_const_slots(const nn_layer *l)
{
    return l->spec.kind == NN_LAYER_STYLE_CONST ? ((const bus_state *)l->state)->n_slots : 0;
}

/* ------------------------------------------------------------ adain */

/* Its bus: the nearest style_const before it; its slot: the adain layers
 * between them. */
static nn_status adain_shape(nn_layer *l, const nn_kind_place *at, nn_error *err)
{
    adain_state *st = l->state;
    if (l->in_c <= 0)
        return nn_fail(err, NN_ERR_ARG,
                       "layer %d (adain): its input rows (%d features) have no image shape; "
                       "put it after a style_const layer or a convolution", at->idx, l->in);
    int src = at->idx - 1;
    while (src >= 0 && at->layers[src].spec.kind != NN_LAYER_STYLE_CONST) src--;
    if (src < 0)
        return nn_fail(err, NN_ERR_ARG,
                       "layer %d (adain): no style_const layer comes before it, so it has "
                       "no styles to read; start the synthesis with one", at->idx);
    st->src = &at->layers[src];
    st->bus = at->layers[src].state;
    st->source = src;
    st->slot = 0;
    for (int i = src + 1; i < at->idx; i++) st->slot += at->layers[i].spec.kind == NN_LAYER_ADAIN;
    return NN_OK;
}

/* The affine map A (2 c, slot_dim) and its bias (2 c). */
static size_t adain_params(const nn_layer *l)
{
    const adain_state *st = l->state;
    return 2u * (size_t)l->in_c * ((size_t)st->bus->slot_dim + 1u);
}

static void adain_layout(nn_layer *l, nn_blocks *b)
{
    adain_state *st = l->state;
    const size_t two_c = 2u * (size_t)l->in_c, mb = (size_t)b->max_batch;
    const size_t mc = mb * (size_t)l->in_c, md = mb * (size_t)st->bus->slot_dim;
    nn_take_params(b, two_c * (size_t)st->bus->slot_dim, &l->w, &l->dw);
    nn_take_params(b, two_c, &l->b, &l->db);
    l->cache = nn_take_workspace(b, mb * (size_t)l->out);   /* xhat */
    l->invstd = nn_take_workspace(b, mc);
    st->scale = nn_take_workspace(b, 2u * mc);               /* scales, then biases */
    st->bias = st->scale ? st->scale + mc : NULL;
    st->dscale = nn_take_workspace(b, 2u * mc);
    st->dbias = st->dscale ? st->dscale + mc : NULL;
    st->slot_rows = nn_take_workspace(b, md);
    st->dslot = nn_take_workspace(b, md);
}

/* Slope 1 is a gain of 1: the styles move about 1 for a w of spread 1. The
 * scales start at 1, so a new layer passes the normalised maps on. */
static void adain_init(nn_layer *l, nn_rng *r, nn_init_kind kind, float slope)
{
    const adain_state *st = l->state;
    const int c = l->in_c;
    (void)slope;
    nn_init_linear(r, l->w, l->b, st->bus->slot_dim, 2 * c, kind, 1.0f);
    for (int j = 0; j < 2 * c; j++) l->b[j] = j < c ? 1.0f : 0.0f;
}

/* The layer's slot of the bus, its affine map to a scale and a bias per
 * channel (two products, one per half of A), then exercise 26. */
static void adain_forward(nn_layer *l, const float *x, const nn_pass *p)
{
    adain_state *st = l->state;
    const bus_state *bus = st->bus;
    const int c = l->in_c, d = bus->slot_dim, hw = l->in_h * l->in_w, batch = p->batch;
    /* Its bus must come from this forward. */
    assert(st->src >= p->first && bus->bus);
    for (int b = 0; b < batch; b++)
        memcpy(st->slot_rows + (size_t)b * d,
               bus->bus + (size_t)b * bus->width + (size_t)st->slot * d,
               (size_t)d * sizeof(float));
    nn_linear_forward(st->scale, st->slot_rows, l->w, l->b, batch, d, c);
    nn_linear_forward(st->bias, st->slot_rows, l->w + (size_t)c * d, l->b + c, batch, d, c);
    nn_adain_forward(l->y, l->cache, l->invstd, x, st->scale, st->bias, batch, c, hw,
                     NN_ADAIN_EPS);
}

/* Into its input (gx), its affine map (dw, db: NULL when frozen) and,
 * through the map, its slot of the bus's gradient. */
static void adain_backward(nn_layer *l, float *gx, float *dw, float *db, const float *g,
                           const float *x, const nn_pass *p)
{
    const adain_state *st = l->state;
    const bus_state *bus = st->bus;
    const int c = l->in_c, d = bus->slot_dim, hw = l->in_h * l->in_w, batch = p->batch;
    (void)x;
    memset(st->dscale, 0, (size_t)batch * c * sizeof(float));
    memset(st->dbias, 0, (size_t)batch * c * sizeof(float));
    nn_adain_backward(gx, st->dscale, st->dbias, g, l->cache, l->invstd, st->scale, batch, c,
                      hw);
    memset(st->dslot, 0, (size_t)batch * d * sizeof(float));
    nn_linear_backward(st->dslot, dw, db, st->dscale, st->slot_rows, l->w, batch, d, c);
    nn_linear_backward(st->dslot, dw ? dw + (size_t)c * d : NULL, db ? db + c : NULL,
                       st->dbias, st->slot_rows, l->w + (size_t)c * d, batch, d, c);
    for (int b = 0; b < batch; b++)
        nn_axpy(bus->dbus + (size_t)b * bus->width + (size_t)st->slot * d, 1.0f,
                st->dslot + (size_t)b * d, (size_t)d);
}

const nn_kind nn_kind_adain = {
    .name = "adain",
    .state_size = sizeof(adain_state),
    .shape = adain_shape,
    .params = adain_params,
    .layout = adain_layout,
    .init = adain_init,
    .forward = adain_forward,
    .backward = adain_backward,
};

int nn_adain_slot(const nn_layer *l)
{
    return l->spec.kind == NN_LAYER_ADAIN ? ((const adain_state *)l->state)->slot : -1;
}

int nn_adain_source(const nn_layer *l)
{
    return l->spec.kind == NN_LAYER_ADAIN ? ((const adain_state *)l->state)->source : -1;
}
