/* kind_reshape.c - the reshape layer as a kind of the model's (kinds.h): the
 * same numbers seen as images, c x h x w per row (NCHW, conv.h). It changes
 * no number, so it is a view: its output is its input. */
#include "nn/kinds.h"

static nn_status reshape_shape(nn_layer *l, const nn_kind_place *at, nn_error *err)
{
    const nn_layer_spec *s = &l->spec;
    if (s->c < 1 || s->h < 1 || s->w < 1)
        return nn_fail(err, NN_ERR_ARG,
                       "layer %d (reshape): image shape %dx%dx%d (.c x .h x .w) has a side "
                       "below 1; give all three, such as .c = 1, .h = 28, .w = 28", at->idx,
                       s->c, s->h, s->w);
    const long long n = (long long)s->c * s->h * s->w;
    if (n != l->in)
        return nn_fail(err, NN_ERR_ARG,
                       "layer %d (reshape): %d x %d x %d = %lld features, but its input "
                       "rows have %d; the shape must hold the whole row", at->idx, s->c, s->h,
                       s->w, n, l->in);
    l->out_c = s->c;
    l->out_h = s->h;
    l->out_w = s->w;
    return NN_OK;
}

/* The output is the input itself, so y points at it (nothing ever writes
 * through a reshape's y, the caller's const input included). The layers
 * after it and backward read it there without a copy. */
static void reshape_forward(nn_layer *l, const float *x, const nn_pass *p)
{
    (void)p;
    l->y = (float *)x;
}

const nn_kind nn_kind_reshape = {
    .name = "reshape",
    .is_view = 1,
    .gain = NN_GAIN_SEEN_PAST,
    .shape = reshape_shape,
    .forward = reshape_forward,
};
