/* kind_linear.c - the linear layer as a kind of the model's (kinds.h):
 * torch.nn.Linear, w (out, in) then b (out); its maths in layers.h
 * (exercises 3, 6 and 11). */
#include "nn/kinds.h"
#include "nn/layers.h"

static nn_status linear_shape(nn_layer *l, const nn_kind_place *at, nn_error *err)
{
    const nn_layer_spec *s = &l->spec;
    if (s->out <= 0)
        return nn_fail(err, NN_ERR_ARG,
                       "layer %d (linear): output width %d is not positive; "
                       "give every linear layer at least one output feature", at->idx, s->out);
    l->out = s->out;
    l->out_c = l->out_h = l->out_w = 0; /* a row of features from here on */
    return NN_OK;
}

static size_t linear_params(const nn_layer *l)
{
    return (size_t)l->out * (size_t)l->in + (size_t)l->out;
}

static void linear_layout(nn_layer *l, nn_blocks *b)
{
    nn_take_params(b, (size_t)l->out * (size_t)l->in, &l->w, &l->dw);
    nn_take_params(b, (size_t)l->out, &l->b, &l->db);
}

static void linear_init(nn_layer *l, nn_rng *r, nn_init_kind kind, float slope)
{
    nn_init_linear(r, l->w, l->b, l->in, l->out, kind, slope);
}

static void linear_forward(nn_layer *l, const float *x, const nn_pass *p)
{
    nn_linear_forward(l->y, x, l->w, l->b, p->batch, l->in, l->out);
}

static void linear_backward(nn_layer *l, float *gx, float *dw, float *db, const float *g,
                            const float *x, const nn_pass *p)
{
    nn_linear_backward(gx, dw, db, g, x, l->w, p->batch, l->in, l->out);
}

const nn_kind nn_kind_linear = {
    .name = "linear",
    .shape = linear_shape,
    .params = linear_params,
    .layout = linear_layout,
    .init = linear_init,
    .forward = linear_forward,
    .backward = linear_backward,
};
