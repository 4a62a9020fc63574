/* kind_noise.c - noise inputs as a kind of the model's (kinds.h): one
 * N(0, 1) image per row from the model's rng, drawn on every forward, and a
 * learned scale per channel (starting at 0). Its maths in style_layers.h. */
#include "nn/kinds.h"
#include "nn/style_layers.h"

static nn_status noise_shape(nn_layer *l, const nn_kind_place *at, nn_error *err)
{
    if (l->in_c <= 0)
        return nn_fail(err, NN_ERR_ARG,
                       "layer %d (noise): its input rows (%d features) have no image shape; "
                       "put it after a style_const layer or a convolution", at->idx, l->in);
    return NN_OK;
}

static size_t noise_params(const nn_layer *l)
{
    return (size_t)l->in_c;
}

/* The scales; the noise images (cache). */
static void noise_layout(nn_layer *l, nn_blocks *b)
{
    nn_take_params(b, (size_t)l->in_c, &l->w, &l->dw);
    l->cache = nn_take_workspace(b, (size_t)b->max_batch * (size_t)l->in_h * (size_t)l->in_w);
}

static void noise_forward(nn_layer *l, const float *x, const nn_pass *p)
{
    const int hw = l->in_h * l->in_w;
    nn_rng_fill_normal(p->rng, l->cache, (size_t)p->batch * hw, 0.0f, 1.0f);
    nn_noise_forward(l->y, x, l->cache, l->w, p->batch, l->in_c, hw);
}

static void noise_backward(nn_layer *l, float *gx, float *dw, float *db, const float *g,
                           const float *x, const nn_pass *p)
{
    (void)db;
    (void)x;
    nn_noise_backward(gx, dw, g, l->cache, p->batch, l->in_c, l->in_h * l->in_w);
}

/* The scales start at 0 (the parameters' zero): nothing to draw. */
const nn_kind nn_kind_noise = {
    .name = "noise",
    .gain = NN_GAIN_SEEN_PAST,
    .shape = noise_shape,
    .params = noise_params,
    .layout = noise_layout,
    .forward = noise_forward,
    .backward = noise_backward,
};
