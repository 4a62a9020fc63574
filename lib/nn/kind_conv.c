/* kind_conv.c - the convolutions as kinds of the model's (kinds.h):
 * torch.nn.Conv2d and torch.nn.ConvTranspose2d on NCHW rows, their maths in
 * conv.h (exercises 14 and 15). Weights (out_c, in_c, k, k) for a conv2d,
 * (in_c, out_c, k, k) for a conv_transpose2d, then one bias per output
 * channel; the patches of the fast path in the model's shared scratch. */
#include <limits.h>

#include "nn/conv.h"
#include "nn/kinds.h"

/* What both convolutions need: an image to convolve, channels to make, and
 * a kernel, stride and pad that mean something. */
static nn_status check_conv_fields(const nn_layer *l, const nn_layer_spec *s, int idx,
                                   nn_error *err)
{
    const char *kn = nn_layer_kind_name(s->kind);
    if (l->in_c <= 0)
        return nn_fail(err, NN_ERR_ARG,
                       "layer %d (%s): its input rows (%d features) have no image shape; put "
                       "a reshape layer before it, such as {.kind = NN_LAYER_RESHAPE, .c = 1, "
                       ".h = 28, .w = 28}", idx, kn, l->in);
    if (s->out <= 0)
        return nn_fail(err, NN_ERR_ARG,
                       "layer %d (%s): %d output channels (.out) is not positive; give the "
                       "number of channels it makes, such as 64", idx, kn, s->out);
    if (s->kernel < 1)
        return nn_fail(err, NN_ERR_ARG,
                       "layer %d (%s): kernel %d is below 1; give .kernel, the side of the "
                       "square kernel, such as 4", idx, kn, s->kernel);
    if (s->stride < 1)
        return nn_fail(err, NN_ERR_ARG,
                       "layer %d (%s): stride %d is below 1; give .stride, 1 to visit every "
                       "pixel or 2 to %s the image", idx, kn, s->stride,
                       s->kind == NN_LAYER_CONV2D ? "halve" : "double");
    if (s->pad < 0)
        return nn_fail(err, NN_ERR_ARG,
                       "layer %d (%s): pad %d is negative; give .pad >= 0, such as 1", idx, kn,
                       s->pad);
    /* The patch matrix has (channels k k) rows for either side's channels. */
    const long long kk = (long long)s->kernel * s->kernel;
    const long long rows = (l->in_c > s->out ? l->in_c : s->out) * kk;
    if (rows > INT_MAX)
        return nn_fail(err, NN_ERR_ARG,
                       "layer %d (%s): %d channels times a %dx%d kernel is %lld weights per "
                       "output, more than an int holds; use fewer channels or a smaller kernel",
                       idx, kn, l->in_c > s->out ? l->in_c : s->out, s->kernel, s->kernel, rows);
    return NN_OK;
}

/* The output image of a convolution (out_h, out_w set), or the reason there
 * is none. */
static nn_status conv_output(nn_layer *l, const nn_layer_spec *s, int idx, nn_error *err)
{
    const char *kn = nn_layer_kind_name(s->kind);
    long long oh, ow;
    if (s->kind == NN_LAYER_CONV2D) {
        const long long ph = (long long)l->in_h + 2LL * s->pad;
        const long long pw = (long long)l->in_w + 2LL * s->pad;
        if (s->kernel > ph || s->kernel > pw)
            return nn_fail(err, NN_ERR_ARG,
                           "layer %d (conv2d): kernel %d is larger than its %dx%d input padded "
                           "to %lldx%lld (pad %d); use a kernel of at most %lld or pad more",
                           idx, s->kernel, l->in_h, l->in_w, ph, pw, s->pad,
                           ph < pw ? ph : pw);
        oh = (ph - s->kernel) / s->stride + 1;
        ow = (pw - s->kernel) / s->stride + 1;
    } else {
        /* The size in 64 bits first: exercise 15 computes it in an int. */
        const long long th = ((long long)l->in_h - 1) * s->stride - 2LL * s->pad + s->kernel;
        const long long tw = ((long long)l->in_w - 1) * s->stride - 2LL * s->pad + s->kernel;
        if (th > INT_MAX || tw > INT_MAX)
            return nn_fail(err, NN_ERR_ARG,
                           "layer %d (conv_transpose2d): a %dx%d input with kernel %d, stride "
                           "%d, pad %d makes an image of %lldx%lld pixels, more than an int "
                           "holds; use a smaller stride or kernel", idx, l->in_h, l->in_w,
                           s->kernel, s->stride, s->pad, th, tw);
        oh = nn_conv_transpose2d_out_size(l->in_h, s->kernel, s->stride, s->pad);
        ow = nn_conv_transpose2d_out_size(l->in_w, s->kernel, s->stride, s->pad);
        if (oh <= 0 || ow <= 0)
            return nn_fail(err, NN_ERR_ARG,
                           "layer %d (conv_transpose2d): output size %lldx%lld (from "
                           "nn_conv_transpose2d_out_size, exercise 15) for a %dx%d input, kernel "
                           "%d, stride %d, pad %d is not positive; use a larger kernel or less "
                           "padding", idx, oh, ow, l->in_h, l->in_w, s->kernel, s->stride,
                           s->pad);
    }
    const long long width = (long long)s->out * oh * ow;
    if (width > INT_MAX)
        return nn_fail(err, NN_ERR_ARG,
                       "layer %d (%s): %d channels of %lldx%lld pixels are %lld features, more "
                       "than an int holds; use fewer channels or a larger stride", idx, kn,
                       s->out, oh, ow, width);
    l->out_c = s->out;
    l->out_h = (int)oh;
    l->out_w = (int)ow;
    l->out = (int)width;
    return NN_OK;
}

static nn_status conv_shape(nn_layer *l, const nn_kind_place *at, nn_error *err)
{
    nn_status st = check_conv_fields(l, &l->spec, at->idx, err);
    if (st == NN_OK) st = conv_output(l, &l->spec, at->idx, err);
    return st;
}

/* A convolution's weight count: out_c in_c k k, whichever way round. */
static size_t conv_weights(const nn_layer *l)
{
    const size_t k = (size_t)l->spec.kernel;
    return (size_t)l->out_c * (size_t)l->in_c * k * k;
}

static size_t conv_params(const nn_layer *l)
{
    return conv_weights(l) + (size_t)l->out_c;
}

static void conv_layout(nn_layer *l, nn_blocks *b)
{
    nn_take_params(b, conv_weights(l), &l->w, &l->dw);
    nn_take_params(b, (size_t)l->out_c, &l->b, &l->db);
}

/* torch's fans: dimension 1 of the weight times k k is fan_in, so c_in k k
 * for a conv2d, c_out k k for a conv_transpose2d. */
static void conv_init(nn_layer *l, nn_rng *r, nn_init_kind kind, float slope)
{
    const int kk = l->spec.kernel * l->spec.kernel;
    const int conv = l->spec.kind == NN_LAYER_CONV2D;
    const int d0 = conv ? l->out_c : l->in_c;
    const int d1 = conv ? l->in_c : l->out_c;
    nn_init_conv(r, l->w, conv_weights(l), l->b, l->out_c, d1 * kk, d0 * kk, kind, slope);
}

/* ------------------------------------------------------------ conv2d */

static size_t conv2d_scratch(const nn_layer *l, int max_batch)
{
    const nn_layer_spec *s = &l->spec;
    return nn_conv2d_scratch(max_batch, l->in_c, l->in_h, l->in_w, l->out_c, s->kernel,
                             s->stride, s->pad);
}

static void conv2d_forward(nn_layer *l, const float *x, const nn_pass *p)
{
    nn_conv2d_forward(l->y, x, l->w, l->b, p->batch, l->in_c, l->in_h, l->in_w, l->out_c,
                      l->spec.kernel, l->spec.stride, l->spec.pad, p->scratch);
}

static void conv2d_backward(nn_layer *l, float *gx, float *dw, float *db, const float *g,
                            const float *x, const nn_pass *p)
{
    nn_conv2d_backward(gx, dw, db, g, x, l->w, p->batch, l->in_c, l->in_h, l->in_w, l->out_c,
                       l->spec.kernel, l->spec.stride, l->spec.pad, p->scratch);
}

const nn_kind nn_kind_conv2d = {
    .name = "conv2d",
    .shape = conv_shape,
    .params = conv_params,
    .layout = conv_layout,
    .scratch = conv2d_scratch,
    .init = conv_init,
    .forward = conv2d_forward,
    .backward = conv2d_backward,
};

/* ------------------------------------------------------------ conv_transpose2d */

static size_t convt2d_scratch(const nn_layer *l, int max_batch)
{
    const nn_layer_spec *s = &l->spec;
    return nn_conv_transpose2d_scratch(max_batch, l->in_c, l->in_h, l->in_w, l->out_c,
                                       s->kernel, s->stride, s->pad);
}

static void convt2d_forward(nn_layer *l, const float *x, const nn_pass *p)
{
    nn_conv_transpose2d_forward(l->y, x, l->w, l->b, p->batch, l->in_c, l->in_h, l->in_w,
                                l->out_c, l->spec.kernel, l->spec.stride, l->spec.pad,
                                p->scratch);
}

static void convt2d_backward(nn_layer *l, float *gx, float *dw, float *db, const float *g,
                             const float *x, const nn_pass *p)
{
    nn_conv_transpose2d_backward(gx, dw, db, g, x, l->w, p->batch, l->in_c, l->in_h, l->in_w,
                                 l->out_c, l->spec.kernel, l->spec.stride, l->spec.pad,
                                 p->scratch);
}

const nn_kind nn_kind_convt2d = {
    .name = "conv_transpose2d",
    .shape = conv_shape,
    .params = conv_params,
    .layout = conv_layout,
    .scratch = convt2d_scratch,
    .init = conv_init,
    .forward = convt2d_forward,
    .backward = convt2d_backward,
};
