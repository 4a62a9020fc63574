/* model.c - a sequential network over contiguous parameter, gradient, Adam
 * and activation blocks (see model.h). Checkpoints are in checkpoint.c.
 *
 * Memory, allocated once in nn_model_create:
 *   params / grads / adam_m / adam_v   n_params floats each, same layout:
 *       per layer, linear or convolution w then b; batchnorm gamma then beta
 *   buffers                            batchnorm running_mean then running_var
 *   workspace                          per layer y, cache, mean, invstd; then
 *                                      the convolutions' shared scratch
 *   grad_a, grad_b                     (max_batch, widest) each, ping-pong
 */
#include "model.h"

#include <assert.h>
#include <limits.h>
#include <math.h>
#include <string.h>

#include "conv.h"
#include "layers.h"
#include "ops.h"
#include "ops_fast.h"
#include "style_layers.h"

/* The running mean of w a style generator's truncation pulls toward: the
 * decay StyleGAN uses (arg 0 selects it). */
#define W_AVG_DEFAULT_DECAY 0.995f

/* torch.nn.BatchNorm1d's defaults: momentum 0.1 (arg 0 selects it), eps 1e-5. */
#define BN_DEFAULT_MOMENTUM 0.1f
#define BN_EPS 1e-5f

/* Workspace views start on 64-byte boundaries (16 floats) so each layer's
 * activations begin on a fresh cache line. */
#define WS_ALIGN 16u

/* n floats rounded up to whole cache lines. */
static size_t ws_round(size_t n)
{
    return (n + WS_ALIGN - 1) / WS_ALIGN * WS_ALIGN;
}

const char *nn_layer_kind_name(nn_layer_kind kind)
{
    switch (kind) {
    case NN_LAYER_LINEAR:     return "linear";
    case NN_LAYER_LEAKY_RELU: return "leaky_relu";
    case NN_LAYER_RELU:       return "relu";
    case NN_LAYER_SIGMOID:    return "sigmoid";
    case NN_LAYER_TANH:       return "tanh";
    case NN_LAYER_BATCHNORM:  return "batchnorm";
    case NN_LAYER_DROPOUT:    return "dropout";
    case NN_LAYER_MBSTD:      return "mbstd";
    case NN_LAYER_RESHAPE:    return "reshape";
    case NN_LAYER_CONV2D:     return "conv2d";
    case NN_LAYER_CONVT2D:    return "conv_transpose2d";
    case NN_LAYER_BATCHNORM2D: return "batchnorm2d";
    case NN_LAYER_STYLE_BROADCAST: return "style_broadcast";
    case NN_LAYER_STYLE_CONST: return "style_const";
    case NN_LAYER_ADAIN:      return "adain";
    case NN_LAYER_NOISE:      return "noise";
    }
    return "unknown";
}

/* Features a batchnorm normalises one by one: each feature of a row, or
 * each channel of an image. */
static int bn_channels(const nn_layer *l)
{
    return l->spec.kind == NN_LAYER_BATCHNORM2D ? l->in_c : l->out;
}

/* A convolution's weight count: out_c in_c k k, whichever way round. */
static size_t conv_weights(const nn_layer *l)
{
    const size_t k = (size_t)l->spec.kernel;
    return (size_t)l->out_c * (size_t)l->in_c * k * k;
}

size_t nn_layer_param_count(const nn_layer *l)
{
    /* linear: w (out, in) + b (out); convolutions: w (out_c in_c k k) +
     * b (out_c); batchnorms: gamma + beta per feature or channel;
     * activations, dropout, mbstd and reshape learn nothing. */
    switch (l->spec.kind) {
    case NN_LAYER_LINEAR:      return (size_t)l->out * (size_t)l->in + (size_t)l->out;
    case NN_LAYER_CONV2D:
    case NN_LAYER_CONVT2D:     return conv_weights(l) + (size_t)l->out_c;
    case NN_LAYER_BATCHNORM:
    case NN_LAYER_BATCHNORM2D: return 2u * (size_t)bn_channels(l);
    /* style layers: the constant image; the affine map to 2 c styles;
     * one noise scale per channel */
    case NN_LAYER_STYLE_CONST: return (size_t)l->out;
    case NN_LAYER_ADAIN:       return 2u * (size_t)l->in_c * ((size_t)l->style_dim + 1u);
    case NN_LAYER_NOISE:       return (size_t)l->in_c;
    default:                   return 0;
    }
}

/* Running mean and variance: state that is saved with the model but never
 * trained, so it lives outside the params block the optimizer walks. */
static size_t layer_buffer_count(const nn_layer *l)
{
    nn_layer_kind k = l->spec.kind;
    if (k == NN_LAYER_STYLE_BROADCAST) return (size_t)l->in; /* the running mean of w */
    return k == NN_LAYER_BATCHNORM || k == NN_LAYER_BATCHNORM2D ? 2u * (size_t)bn_channels(l) : 0;
}

/* Floats of workspace one layer needs for max_batch rows: every layer keeps
 * its output (the next layer's input, which backward reads again); batchnorm
 * also keeps xhat and the batch statistics, dropout its mask. */
static size_t layer_workspace(const nn_layer *l, int max_batch)
{
    /* A reshape's output is its input: nothing to keep. */
    if (l->spec.kind == NN_LAYER_RESHAPE) return 0;
    size_t rows = (size_t)max_batch * (size_t)l->out;
    size_t n = ws_round(rows);                                   /* y */
    if (l->spec.kind == NN_LAYER_BATCHNORM || l->spec.kind == NN_LAYER_BATCHNORM2D)
        n += ws_round(rows) + 2u * ws_round((size_t)bn_channels(l)); /* xhat, mean, invstd */
    if (l->spec.kind == NN_LAYER_DROPOUT) n += ws_round(rows);   /* mask */
    if (l->spec.kind == NN_LAYER_STYLE_BROADCAST)                /* crossover slots */
        n += ws_round((size_t)max_batch);
    const size_t mb = (size_t)max_batch;
    if (l->spec.kind == NN_LAYER_STYLE_CONST) n += ws_round(mb * (size_t)l->in); /* dbus */
    if (l->spec.kind == NN_LAYER_NOISE)                          /* noise images */
        n += ws_round(mb * (size_t)l->in_h * (size_t)l->in_w);
    if (l->spec.kind == NN_LAYER_ADAIN)  /* xhat, invstd, style, dstyle, slot, dslot */
        n += ws_round(rows) + ws_round(mb * (size_t)l->in_c) +
             2u * ws_round(2u * mb * (size_t)l->in_c) +
             2u * ws_round(mb * (size_t)l->style_dim);
    return n;
}

/* Scratch floats a convolution needs for max_batch images (conv.h). */
static size_t layer_scratch(const nn_layer *l, int max_batch)
{
    const nn_layer_spec *s = &l->spec;
    if (s->kind == NN_LAYER_CONV2D)
        return nn_conv2d_scratch(max_batch, l->in_c, l->in_h, l->in_w, l->out_c, s->kernel,
                                 s->stride, s->pad);
    if (s->kind == NN_LAYER_CONVT2D)
        return nn_conv_transpose2d_scratch(max_batch, l->in_c, l->in_h, l->in_w, l->out_c,
                                           s->kernel, s->stride, s->pad);
    return 0;
}

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

/* Checks one spec and sets the layer's widths and image shapes; fills err
 * naming the layer. `in` is the width the previous layer produces and
 * shape[3] its image shape (0s for plain features). Every message names the
 * layer's index and kind and the bad value, and says what to use instead,
 * because a spec table in a lesson is easy to get wrong by one line. */
static nn_status check_spec(nn_layer *l, const nn_layer_spec *s, int idx, int in,
                            const int shape[3], nn_error *err)
{
    l->spec = *s;
    l->in = in;
    l->out = in;
    l->in_c = l->out_c = shape[0];
    l->in_h = l->out_h = shape[1];
    l->in_w = l->out_w = shape[2];
    switch (s->kind) {
    case NN_LAYER_LINEAR:
        if (s->out <= 0)
            return nn_fail(err, NN_ERR_ARG,
                           "layer %d (linear): output width %d is not positive; "
                           "give every linear layer at least one output feature", idx, s->out);
        l->out = s->out;
        l->out_c = l->out_h = l->out_w = 0; /* a row of features from here on */
        break;
    case NN_LAYER_LEAKY_RELU:
        if (!isfinite(s->arg))
            return nn_fail(err, NN_ERR_ARG,
                           "layer %d (leaky_relu): negative slope %g is not a finite number; "
                           "use a value such as 0.2", idx, (double)s->arg);
        break;
    case NN_LAYER_BATCHNORM2D:
    case NN_LAYER_BATCHNORM:
        if (s->kind == NN_LAYER_BATCHNORM2D && l->in_c <= 0)
            return nn_fail(err, NN_ERR_ARG,
                           "layer %d (batchnorm2d): its input rows (%d features) have no image "
                           "shape, so no channels to normalise; put it after a convolution or "
                           "a reshape, or use NN_LAYER_BATCHNORM for plain features", idx, in);
        if (!(s->arg >= 0.0f && s->arg <= 1.0f)) /* also rejects NaN */
            return nn_fail(err, NN_ERR_ARG,
                           "layer %d (%s): momentum %g is outside [0, 1]; "
                           "use 0 for torch's default 0.1", idx, nn_layer_kind_name(s->kind),
                           (double)s->arg);
        break;
    case NN_LAYER_DROPOUT:
        if (!(s->arg >= 0.0f && s->arg < 1.0f))
            return nn_fail(err, NN_ERR_ARG,
                           "layer %d (dropout): drop probability %g is outside [0, 1); "
                           "use a value such as 0.3 (0 turns dropout off)", idx, (double)s->arg);
        break;
    case NN_LAYER_MBSTD:
        l->out = in + 1;   /* the batch-std feature is appended to each row */
        l->out_c = l->out_h = l->out_w = 0;
        break;
    case NN_LAYER_RESHAPE: {
        if (s->c < 1 || s->h < 1 || s->w < 1)
            return nn_fail(err, NN_ERR_ARG,
                           "layer %d (reshape): image shape %dx%dx%d (.c x .h x .w) has a side "
                           "below 1; give all three, such as .c = 1, .h = 28, .w = 28", idx,
                           s->c, s->h, s->w);
        const long long n = (long long)s->c * s->h * s->w;
        if (n != in)
            return nn_fail(err, NN_ERR_ARG,
                           "layer %d (reshape): %d x %d x %d = %lld features, but its input "
                           "rows have %d; the shape must hold the whole row", idx, s->c, s->h,
                           s->w, n, in);
        l->out_c = s->c;
        l->out_h = s->h;
        l->out_w = s->w;
        break;
    }
    case NN_LAYER_CONV2D:
    case NN_LAYER_CONVT2D: {
        nn_status st = check_conv_fields(l, s, idx, err);
        if (st == NN_OK) st = conv_output(l, s, idx, err);
        if (st != NN_OK) return st;
        break;
    }
    case NN_LAYER_STYLE_BROADCAST:
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
        break;
    case NN_LAYER_STYLE_CONST: {
        if (s->c < 1 || s->h < 1 || s->w < 1)
            return nn_fail(err, NN_ERR_ARG,
                           "layer %d (style_const): constant shape %dx%dx%d (.c x .h x .w) has "
                           "a side below 1; give all three, such as .c = 64, .h = 7, .w = 7",
                           idx, s->c, s->h, s->w);
        if ((long long)s->c * s->h * s->w > INT_MAX)
            return nn_fail(err, NN_ERR_ARG, "layer %d (style_const): %dx%dx%d is more numbers "
                           "than an int holds", idx, s->c, s->h, s->w);
        if (l->n_slots < 1)
            return nn_fail(err, NN_ERR_ARG,
                           "layer %d (style_const): no adain layer follows it to read its "
                           "styles; put at least one after it", idx);
        if (in % l->n_slots != 0)
            return nn_fail(err, NN_ERR_ARG,
                           "layer %d (style_const): its input rows (%d features) do not split "
                           "into %d equal slots, one per adain layer after it; give it %d x "
                           "the width of w", idx, in, l->n_slots, l->n_slots);
        l->style_dim = in / l->n_slots;
        l->out = s->c * s->h * s->w;
        l->out_c = s->c;
        l->out_h = s->h;
        l->out_w = s->w;
        break;
    }
    case NN_LAYER_ADAIN:
    case NN_LAYER_NOISE:
        if (l->in_c <= 0)
            return nn_fail(err, NN_ERR_ARG,
                           "layer %d (%s): its input rows (%d features) have no image shape; "
                           "put it after a style_const layer or a convolution", idx,
                           nn_layer_kind_name(s->kind), in);
        if (s->kind == NN_LAYER_ADAIN && l->style_src < 0)
            return nn_fail(err, NN_ERR_ARG,
                           "layer %d (adain): no style_const layer comes before it, so it has "
                           "no styles to read; start the synthesis with one", idx);
        break;
    case NN_LAYER_RELU:
    case NN_LAYER_SIGMOID:
    case NN_LAYER_TANH:
        break;
    default:
        return nn_fail(err, NN_ERR_ARG,
                       "layer %d: unknown layer kind %d; use one of the NN_LAYER_* values",
                       idx, (int)s->kind);
    }
    return NN_OK;
}

/* specs (n_layers); the model holds its own copy of each spec. */
nn_model *nn_model_create(int in, const nn_layer_spec *specs, int n_layers, int max_batch,
                          nn_error *err)
{
    if (in <= 0) {
        nn_fail(err, NN_ERR_ARG, "model input width %d is not positive; "
                "give the number of input features (784 for 28x28 images)", in);
        return NULL;
    }
    if (n_layers <= 0 || !specs) {
        nn_fail(err, NN_ERR_ARG, "a model needs at least one layer (got %d)", n_layers);
        return NULL;
    }
    if (max_batch <= 0) {
        nn_fail(err, NN_ERR_ARG, "max_batch %d is not positive; "
                "pass the largest batch forward will see, such as 64", max_batch);
        return NULL;
    }
    nn_model *m = nn_alloc(1, sizeof *m);
    nn_layer *layers = m ? nn_alloc((size_t)n_layers, sizeof *layers) : NULL;
    if (!layers) {
        nn_free(m);
        nn_fail(err, NN_ERR_NOMEM, "out of memory for a model of %d layers", n_layers);
        return NULL;
    }
    /* From here on nn_model_free can undo a partly built model: every
     * pointer it frees is either set or still NULL from the zeroed alloc. */
    m->layers = layers;
    m->n_layers = n_layers;
    m->in = in;
    m->max_batch = max_batch;

    /* First pass: widths and block sizes, so each block is one allocation.
     * The input rows have no image shape until a reshape gives them one. */
    size_t n_params = 0, n_buffers = 0, n_ws = 0, n_scratch = 0;
    int width = in, widest = in, shape[3] = {0, 0, 0};
    /* The style bus: each ADAIN reads the nearest STYLE_CONST before it, in
     * the order they come; the constant counts its readers. */
    for (int i = 0, src = -1; i < n_layers; i++) {
        layers[i].style_src = -1;
        if (specs[i].kind == NN_LAYER_STYLE_CONST) src = i;
        if (specs[i].kind == NN_LAYER_ADAIN && src >= 0) {
            layers[i].style_src = src;
            layers[i].style_slot = layers[src].n_slots++;
        }
    }
    for (int i = 0; i < n_layers; i++) {
        nn_layer *l = &layers[i];
        if (check_spec(l, &specs[i], i, width, shape, err) != NN_OK) {
            nn_model_free(m);
            return NULL;
        }
        if (l->spec.kind == NN_LAYER_ADAIN) l->style_dim = layers[l->style_src].style_dim;
        width = l->out;
        shape[0] = l->out_c;
        shape[1] = l->out_h;
        shape[2] = l->out_w;
        if (width > widest) widest = width;
        n_params += nn_layer_param_count(l);
        n_buffers += layer_buffer_count(l);
        n_ws += layer_workspace(l, max_batch);
        /* Layers run one at a time: one scratch, as large as the largest. */
        size_t sc = layer_scratch(l, max_batch);
        if (sc > n_scratch) n_scratch = sc;
    }
    m->out = width;
    m->n_params = n_params;
    m->n_buffers = n_buffers;
    m->scratch_len = ws_round(n_scratch);
    n_ws += m->scratch_len;

    /* Backward holds at most two layer gradients at once (the one it reads
     * and the one it writes), so two buffers of the widest layer suffice
     * for any depth. */
    size_t grad_len = (size_t)max_batch * (size_t)widest;
    m->params = nn_alloc(n_params, sizeof(float));
    m->grads = nn_alloc(n_params, sizeof(float));
    m->adam_m = nn_alloc(n_params, sizeof(float));
    m->adam_v = nn_alloc(n_params, sizeof(float));
    m->buffers = nn_alloc(n_buffers, sizeof(float));
    m->workspace = nn_alloc(n_ws, sizeof(float));
    m->grad_a = nn_alloc(grad_len, sizeof(float));
    m->grad_b = nn_alloc(grad_len, sizeof(float));
    if (!m->params || !m->grads || !m->adam_m || !m->adam_v || !m->buffers || !m->workspace ||
        !m->grad_a || !m->grad_b) {
        nn_fail(err, NN_ERR_NOMEM,
                "out of memory for a model of %zu parameters and %zu activation floats "
                "(max_batch %d); lower max_batch or the layer widths",
                n_params, n_ws, max_batch);
        nn_model_free(m);
        return NULL;
    }

    /* Second pass: the named views into each block. params and grads are
     * walked in step, so l->dw sits at the same offset in grads as l->w in
     * params: the optimizer can treat both as flat arrays. */
    float *p = m->params, *g = m->grads, *buf = m->buffers, *ws = m->workspace;
    for (int i = 0; i < n_layers; i++) {
        nn_layer *l = &layers[i];
        size_t rows = (size_t)max_batch * (size_t)l->out;
        const nn_layer_kind kind = l->spec.kind;
        const int bn = bn_channels(l);
        if (kind == NN_LAYER_LINEAR || kind == NN_LAYER_CONV2D || kind == NN_LAYER_CONVT2D) {
            /* Weights, then one bias per output feature or channel. */
            const size_t nw = kind == NN_LAYER_LINEAR ? (size_t)l->out * (size_t)l->in
                                                      : conv_weights(l);
            const size_t nb = kind == NN_LAYER_LINEAR ? (size_t)l->out : (size_t)l->out_c;
            l->w = p;  l->dw = g;  p += nw;  g += nw;
            l->b = p;  l->db = g;  p += nb;  g += nb;
        } else if (kind == NN_LAYER_BATCHNORM || kind == NN_LAYER_BATCHNORM2D) {
            l->w = p;  l->dw = g;  p += bn;  g += bn;   /* gamma */
            l->b = p;  l->db = g;  p += bn;  g += bn;   /* beta */
            l->running_mean = buf;  buf += bn;
            l->running_var = buf;   buf += bn;
        } else if (kind == NN_LAYER_STYLE_CONST || kind == NN_LAYER_NOISE) {
            const size_t np = nn_layer_param_count(l);  /* the constant, or the scales */
            l->w = p;  l->dw = g;  p += np;  g += np;
        } else if (kind == NN_LAYER_ADAIN) {
            const size_t nb = 2u * (size_t)l->in_c, nw = nb * (size_t)l->style_dim;
            l->w = p;  l->dw = g;  p += nw;  g += nw;   /* A (2 c, style_dim) */
            l->b = p;  l->db = g;  p += nb;  g += nb;
        } else if (kind == NN_LAYER_STYLE_BROADCAST) {
            l->running_mean = buf;  buf += l->in;
        }
        if (kind == NN_LAYER_RESHAPE) continue; /* y is set by each forward */
        l->y = ws;
        ws += ws_round(rows);
        if (kind == NN_LAYER_BATCHNORM || kind == NN_LAYER_BATCHNORM2D) {
            l->cache = ws;   ws += ws_round(rows);
            l->mean = ws;    ws += ws_round((size_t)bn);
            l->invstd = ws;  ws += ws_round((size_t)bn);
        } else if (kind == NN_LAYER_DROPOUT) {
            l->cache = ws;   ws += ws_round(rows);
        } else if (kind == NN_LAYER_STYLE_BROADCAST) {
            l->cache = ws;   ws += ws_round((size_t)max_batch);   /* crossover slots */
        } else if (kind == NN_LAYER_STYLE_CONST) {
            l->dbus = ws;    ws += ws_round((size_t)max_batch * (size_t)l->in);
        } else if (kind == NN_LAYER_NOISE) {
            l->cache = ws;   ws += ws_round((size_t)max_batch * (size_t)l->in_h * (size_t)l->in_w);
        } else if (kind == NN_LAYER_ADAIN) {
            const size_t mc = (size_t)max_batch * (size_t)l->in_c;
            const size_t md = (size_t)max_batch * (size_t)l->style_dim;
            l->cache = ws;   ws += ws_round(rows);          /* xhat */
            l->invstd = ws;  ws += ws_round(mc);
            l->style = ws;   ws += ws_round(2u * mc);       /* scales, then biases */
            l->dstyle = ws;  ws += ws_round(2u * mc);
            l->slot = ws;    ws += ws_round(md);
            l->dslot = ws;   ws += ws_round(md);
        }
    }
    m->scratch = m->scratch_len ? ws : NULL;
    ws += m->scratch_len;
    assert((size_t)(p - m->params) == n_params && (size_t)(ws - m->workspace) == n_ws);

    /* Running variance starts at 1, as in torch; a usable dropout stream
     * exists even before nn_model_init reseeds it. */
    for (int i = 0; i < n_layers; i++)
        if (layers[i].running_var)
            for (int j = 0; j < bn_channels(&layers[i]); j++) layers[i].running_var[j] = 1.0f;
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
    nn_free(m->layers);
    nn_free(m);
}

/* The negative slope of the activation a linear or convolution layer feeds,
 * looking past batchnorm, dropout and reshape (which come between them in
 * linear -> batchnorm -> leaky_relu); 0 (a ReLU's gain) when there is none. */
static float following_slope(const nn_model *m, int i)
{
    for (int j = i + 1; j < m->n_layers; j++) {
        nn_layer_kind k = m->layers[j].spec.kind;
        if (k == NN_LAYER_LEAKY_RELU) return m->layers[j].spec.arg;
        if (k != NN_LAYER_BATCHNORM && k != NN_LAYER_BATCHNORM2D && k != NN_LAYER_DROPOUT &&
            k != NN_LAYER_RESHAPE && k != NN_LAYER_NOISE)
            break;
    }
    return 0.0f;
}

void nn_model_init(nn_model *m, nn_rng *r, nn_init_kind kind)
{
    memset(m->params, 0, m->n_params * sizeof(float));
    for (int i = 0; i < m->n_layers; i++) {
        nn_layer *l = &m->layers[i];
        const nn_layer_kind lk = l->spec.kind;
        if (lk == NN_LAYER_BATCHNORM || lk == NN_LAYER_BATCHNORM2D) {
            for (int j = 0; j < bn_channels(l); j++) {
                l->w[j] = 1.0f;
                l->running_mean[j] = 0.0f;
                l->running_var[j] = 1.0f;
            }
            continue;
        }
        /* Layers are initialised in order, each drawing from r in turn, so a
         * seed fixes every weight of the model. */
        if (lk == NN_LAYER_LINEAR) {
            nn_init_linear(r, l->w, l->b, l->in, l->out, kind, following_slope(m, i));
        } else if (lk == NN_LAYER_CONV2D || lk == NN_LAYER_CONVT2D) {
            /* torch's fans: dimension 1 of the weight times k k is fan_in, so
             * c_in k k for a conv2d, c_out k k for a conv_transpose2d. */
            const int kk = l->spec.kernel * l->spec.kernel;
            const int d0 = lk == NN_LAYER_CONV2D ? l->out_c : l->in_c;
            const int d1 = lk == NN_LAYER_CONV2D ? l->in_c : l->out_c;
            nn_init_conv(r, l->w, conv_weights(l), l->b, l->out_c, d1 * kk, d0 * kk, kind,
                         following_slope(m, i));
        } else if (lk == NN_LAYER_STYLE_CONST) {
            nn_rng_fill_normal(r, l->w, (size_t)l->out, 0.0f, 1.0f);
        } else if (lk == NN_LAYER_ADAIN) {
            /* Slope 1 is a gain of 1: the styles move about 1 for a w of
             * spread 1. The scales start at 1, so a new layer passes the
             * normalised maps on. */
            const int c = l->in_c;
            nn_init_linear(r, l->w, l->b, l->style_dim, 2 * c, kind, 1.0f);
            for (int j = 0; j < 2 * c; j++) l->b[j] = j < c ? 1.0f : 0.0f;
        } else if (lk == NN_LAYER_STYLE_BROADCAST) {
            memset(l->running_mean, 0, (size_t)l->in * sizeof(float));
        }
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

static float bn_momentum(const nn_layer *l)
{
    return l->spec.arg == 0.0f ? BN_DEFAULT_MOMENTUM : l->spec.arg;
}

/* Numbers per channel and row a batchnorm normalises alike: 1 for plain
 * features, the h w pixels of a channel for images. */
static int bn_hw(const nn_layer *l)
{
    return l->spec.kind == NN_LAYER_BATCHNORM2D ? l->in_h * l->in_w : 1;
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

/* An activation layer's forward (dy NULL) or backward over [lo, hi) of its
 * elements, for nn_pool_for. */
typedef struct {
    const nn_layer *l;
    float *out;        /* forward: y; backward: dx, added into */
    const float *x;    /* the layer's input as forward saw it */
    const float *dy;   /* backward: d loss / d y; NULL in forward */
} act_job;

static void act_range(void *ctx, size_t lo, size_t hi)
{
    const act_job *j = ctx;
    const nn_layer *l = j->l;
    const size_t n = hi - lo;
    float *o = j->out + lo;
    const float *x = j->x + lo;
    if (!j->dy) {
        switch (l->spec.kind) {
        case NN_LAYER_LEAKY_RELU: nn_leaky_relu_forward(o, x, l->spec.arg, n); break;
        case NN_LAYER_RELU:       nn_relu_forward(o, x, n); break;
        case NN_LAYER_SIGMOID:    nn_sigmoid_forward(o, x, n); break;
        case NN_LAYER_TANH:       nn_tanh_forward(o, x, n); break;
        default:                  assert(0);
        }
        return;
    }
    /* sigmoid and tanh differentiate from their output, dropout from its mask */
    const float *dy = j->dy + lo, *y = l->y + lo;
    switch (l->spec.kind) {
    case NN_LAYER_LEAKY_RELU: nn_leaky_relu_backward(o, dy, x, l->spec.arg, n); break;
    case NN_LAYER_RELU:       nn_relu_backward(o, dy, x, n); break;
    case NN_LAYER_SIGMOID:    nn_sigmoid_backward(o, dy, y, n); break;
    case NN_LAYER_TANH:       nn_tanh_backward(o, dy, y, n); break;
    case NN_LAYER_DROPOUT:    nn_dropout_backward(o, dy, l->cache + lo, n); break;
    default:                  assert(0);
    }
}

/* Below this many elements per thread an activation stays on one thread. */
#define ACT_MIN_PER_THREAD 8192

/* Each element of an activation depends on its own input alone, so the
 * rows are cut between the threads like Adam's blocks, with the same bits
 * at any thread count; otherwise the element-wise passes would run on one
 * core while the other spins. */
static void activation(const nn_layer *l, float *out, const float *x, const float *dy,
                       size_t n)
{
    act_job job = {l, out, x, dy};
    nn_pool_for(act_range, &job, n, ACT_MIN_PER_THREAD);
}

/* The row whose w slot r of row b read in the last forward: its own, or,
 * from its crossover slot on, the next row's (style mixing). */
static int broadcast_source(const nn_layer *l, int b, int r, int batch)
{
    return r >= (int)l->cache[b] ? (b + 1) % batch : b;
}

/* k copies of each row side by side; in train mode, style mixing (spec.mix)
 * may switch a row to the next row's w from a random slot on, and the
 * running mean of the rows moves toward this batch's mean of their own w. */
static void broadcast_forward(nn_layer *l, const float *x, int batch, int train, nn_rng *rng)
{
    const int in = l->in, k = l->out / l->in;
    /* The next row is another sample of the same batch, so reading its w is
     * drawing a second latent. With one row or one slot there is nothing to
     * mix with. */
    const int mixing = train && l->spec.mix > 0.0f && batch > 1 && k > 1;
    for (int b = 0; b < batch; b++) {
        int cross = k;
        if (mixing && nn_rng_uniform(rng) < l->spec.mix)
            cross = 1 + (int)nn_rng_below(rng, (uint32_t)(k - 1));
        l->cache[b] = (float)cross;
    }
    for (int b = 0; b < batch; b++)
        for (int r = 0; r < k; r++)
            memcpy(l->y + (size_t)b * l->out + (size_t)r * in,
                   x + (size_t)broadcast_source(l, b, r, batch) * in,
                   (size_t)in * sizeof(float));
    if (!train) return;
    const float d = l->spec.arg == 0.0f ? W_AVG_DEFAULT_DECAY : l->spec.arg;
    for (int j = 0; j < in; j++) {
        double mean = 0.0;
        for (int b = 0; b < batch; b++) mean += x[(size_t)b * in + j];
        l->running_mean[j] = d * l->running_mean[j] + (1.0f - d) * (float)(mean / batch);
    }
}

/* Where an ADAIN layer's scales and biases sit: two (max_batch, c) blocks. */
static float *adain_bias(const nn_model *m, float *style, const nn_layer *l)
{
    return style + (size_t)m->max_batch * (size_t)l->in_c;
}

/* AdaIN: the layer's slot of the bus, its affine map to a scale and a bias
 * per channel (two products, one per half of A), then exercise 26. */
static void adain_forward(const nn_model *m, nn_layer *l, const float *x, int batch)
{
    const nn_layer *src = &m->layers[l->style_src];
    const int c = l->in_c, d = l->style_dim, hw = l->in_h * l->in_w;
    assert(src->bus);
    for (int b = 0; b < batch; b++)
        memcpy(l->slot + (size_t)b * d, src->bus + (size_t)b * src->in + (size_t)l->style_slot * d,
               (size_t)d * sizeof(float));
    float *scale = l->style, *bias = adain_bias(m, l->style, l);
    nn_linear_forward(scale, l->slot, l->w, l->b, batch, d, c);
    nn_linear_forward(bias, l->slot, l->w + (size_t)c * d, l->b + c, batch, d, c);
    nn_adain_forward(l->y, l->cache, l->invstd, x, scale, bias, batch, c, hw, NN_ADAIN_EPS);
}

/* AdaIN's backward: into its input (gx), its affine map (dw, db: NULL when
 * frozen) and, through the map, its slot of the bus's gradient. */
static void adain_backward(const nn_model *m, nn_layer *l, float *gx, float *dw, float *db,
                           const float *g, int batch)
{
    nn_layer *src = &m->layers[l->style_src];
    const int c = l->in_c, d = l->style_dim, hw = l->in_h * l->in_w;
    float *dscale = l->dstyle, *dbias = adain_bias(m, l->dstyle, l);
    memset(dscale, 0, (size_t)batch * c * sizeof(float));
    memset(dbias, 0, (size_t)batch * c * sizeof(float));
    nn_adain_backward(gx, dscale, dbias, g, l->cache, l->invstd, l->style, batch, c, hw);
    memset(l->dslot, 0, (size_t)batch * d * sizeof(float));
    nn_linear_backward(l->dslot, dw, db, dscale, l->slot, l->w, batch, d, c);
    nn_linear_backward(l->dslot, dw ? dw + (size_t)c * d : NULL, db ? db + c : NULL, dbias,
                       l->slot, l->w + (size_t)c * d, batch, d, c);
    for (int b = 0; b < batch; b++)
        nn_axpy(src->dbus + (size_t)b * src->in + (size_t)l->style_slot * d, 1.0f,
                l->dslot + (size_t)b * d, (size_t)d);
}

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
    for (int i = first; i < end; i++) {
        nn_layer *l = &m->layers[i];
        size_t n = (size_t)batch * (size_t)l->in; /* elements, width-keeping layers */
        /* x (batch, l->in) is the previous layer's y, or the caller's input;
         * l->y (batch, l->out) is kept for the next layer and for backward. */
        switch (l->spec.kind) {
        case NN_LAYER_LINEAR:
            nn_linear_forward(l->y, x, l->w, l->b, batch, l->in, l->out);
            break;
        case NN_LAYER_LEAKY_RELU:
        case NN_LAYER_RELU:
        case NN_LAYER_SIGMOID:
        case NN_LAYER_TANH:
            activation(l, l->y, x, NULL, n);
            break;
        case NN_LAYER_BATCHNORM:
            if (train) {
                nn_batchnorm_forward_train(l->y, l->cache, l->mean, l->invstd, l->running_mean,
                                           l->running_var, x, l->w, l->b, bn_momentum(l), BN_EPS,
                                           batch, l->out);
            } else {
                nn_batchnorm_forward_eval(l->y, x, l->w, l->b, l->running_mean, l->running_var,
                                          BN_EPS, batch, l->out);
                bn_eval_cache(l, x, batch);
            }
            break;
        case NN_LAYER_BATCHNORM2D:
            if (train) {
                nn_batchnorm2d_forward_train(l->y, l->cache, l->mean, l->invstd,
                                             l->running_mean, l->running_var, x, l->w, l->b,
                                             bn_momentum(l), BN_EPS, batch, l->in_c, bn_hw(l));
            } else {
                nn_batchnorm2d_forward_eval(l->y, x, l->w, l->b, l->running_mean,
                                            l->running_var, BN_EPS, batch, l->in_c, bn_hw(l));
                bn_eval_cache(l, x, batch);
            }
            break;
        case NN_LAYER_RESHAPE:
            /* The same numbers seen as images: the output is the input
             * itself, so y points at it (nothing ever writes through a
             * reshape's y, the caller's const input included). The layers
             * after it and backward read it there without a copy. */
            l->y = (float *)x;
            break;
        case NN_LAYER_CONV2D:
            nn_conv2d_forward(l->y, x, l->w, l->b, batch, l->in_c, l->in_h, l->in_w, l->out_c,
                              l->spec.kernel, l->spec.stride, l->spec.pad, m->scratch);
            break;
        case NN_LAYER_CONVT2D:
            nn_conv_transpose2d_forward(l->y, x, l->w, l->b, batch, l->in_c, l->in_h, l->in_w,
                                        l->out_c, l->spec.kernel, l->spec.stride, l->spec.pad,
                                        m->scratch);
            break;
        case NN_LAYER_DROPOUT:
            nn_dropout_forward(l->y, l->cache, x, l->spec.arg, &m->rng, train, n);
            break;
        case NN_LAYER_MBSTD:
            nn_mbstd_forward(l->y, x, batch, l->in);
            break;
        case NN_LAYER_STYLE_BROADCAST:
            broadcast_forward(l, x, batch, train, &m->rng);
            break;
        case NN_LAYER_STYLE_CONST:
            /* The bus stays where it is (the caller's rows or the broadcast's
             * output); the ADAIN layers after this one read it there. */
            l->bus = x;
            for (int b = 0; b < batch; b++)
                memcpy(l->y + (size_t)b * l->out, l->w, (size_t)l->out * sizeof(float));
            break;
        case NN_LAYER_ADAIN:
            assert(l->style_src >= first);
            adain_forward(m, l, x, batch);
            break;
        case NN_LAYER_NOISE: {
            const int hw = l->in_h * l->in_w;
            nn_rng_fill_normal(&m->rng, l->cache, (size_t)batch * hw, 0.0f, 1.0f);
            nn_noise_forward(l->y, x, l->cache, l->w, batch, l->in_c, hw);
            break;
        }
        }
        x = l->y;
    }
    return x;
}

/* Batchnorm backward in eval mode (either kind): the statistics are
 * constants, so, over the elements of channel c,
 *   dx += dy * gamma * invstd,  dgamma += sum dy * xhat,  dbeta += sum dy.  */
static void batchnorm_backward_eval(float *dx, float *dgamma, float *dbeta, const float *dy,
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

void nn_model_backward(nn_model *m, float *dx, const float *dy, int batch, int param_grads)
{
    assert(batch == m->batch && m->input);
    /* With no dx wanted, the walk can stop at the lowest layer that has
     * parameters; frozen with no dx wanted, there is nothing to do. */
    int stop = 0;
    if (!dx) {
        stop = -1;
        if (param_grads)
            for (int i = 0; i < m->n_layers && stop < 0; i++)
                if (nn_layer_param_count(&m->layers[i]) > 0) stop = i;
        if (stop < 0) return;
    }
    /* The ADAIN layers add their styles' gradients into their bus's. */
    for (int i = stop; i < m->n_layers; i++)
        if (m->layers[i].spec.kind == NN_LAYER_STYLE_CONST)
            memset(m->layers[i].dbus, 0, (size_t)batch * m->layers[i].in * sizeof(float));
    const float *g = dy;          /* d loss / d (output of layer i), (batch, out) */
    float *bufs[2] = {m->grad_a, m->grad_b};
    int which = 0;
    for (int i = m->n_layers - 1; i >= stop; i--) {
        nn_layer *l = &m->layers[i];
        /* The layer's input as forward saw it: the previous output, kept in
         * the workspace, or the caller's x (which must still be valid). */
        const float *x = i > 0 ? m->layers[i - 1].y : m->input;
        size_t n = (size_t)batch * (size_t)l->in;
        if (l->spec.kind == NN_LAYER_RESHAPE) {
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
        switch (l->spec.kind) {
        case NN_LAYER_LINEAR:
            nn_linear_backward(gx, dw, db, g, x, l->w, batch, l->in, l->out);
            break;
        case NN_LAYER_LEAKY_RELU:
        case NN_LAYER_RELU:
        case NN_LAYER_SIGMOID:
        case NN_LAYER_TANH:
        case NN_LAYER_DROPOUT:   /* the mask forward drew, already scaled by 1/(1-p) */
            if (gx) activation(l, gx, x, g, n);
            break;
        case NN_LAYER_BATCHNORM:
            if (m->train)
                nn_batchnorm_backward(gx, dw, db, g, l->cache, l->invstd, l->w, batch, l->out);
            else
                batchnorm_backward_eval(gx, dw, db, g, l, batch);
            break;
        case NN_LAYER_MBSTD:
            if (gx) nn_mbstd_backward(gx, g, x, batch, l->in);
            break;
        case NN_LAYER_BATCHNORM2D:
            if (m->train)
                nn_batchnorm2d_backward(gx, dw, db, g, l->cache, l->invstd, l->w, batch, l->in_c,
                                        bn_hw(l));
            else
                batchnorm_backward_eval(gx, dw, db, g, l, batch);
            break;
        case NN_LAYER_CONV2D:
            nn_conv2d_backward(gx, dw, db, g, x, l->w, batch, l->in_c, l->in_h, l->in_w, l->out_c,
                               l->spec.kernel, l->spec.stride, l->spec.pad, m->scratch);
            break;
        case NN_LAYER_CONVT2D:
            nn_conv_transpose2d_backward(gx, dw, db, g, x, l->w, batch, l->in_c, l->in_h,
                                         l->in_w, l->out_c, l->spec.kernel, l->spec.stride,
                                         l->spec.pad, m->scratch);
            break;
        case NN_LAYER_STYLE_BROADCAST:
            if (gx) {
                const int k = l->out / l->in;
                for (int b = 0; b < batch; b++)
                    for (int r = 0; r < k; r++)
                        nn_axpy(gx + (size_t)broadcast_source(l, b, r, batch) * l->in, 1.0f,
                                g + (size_t)b * l->out + (size_t)r * l->in, (size_t)l->in);
            }
            break;
        case NN_LAYER_STYLE_CONST:
            /* Every row drew the same constant: its gradient is the sum of
             * theirs. The input's gradient is what the styles gathered. */
            if (dw)
                for (int b = 0; b < batch; b++)
                    nn_axpy(dw, 1.0f, g + (size_t)b * l->out, (size_t)l->out);
            if (gx) nn_axpy(gx, 1.0f, l->dbus, n);
            break;
        case NN_LAYER_ADAIN:
            adain_backward(m, l, gx, dw, db, g, batch);
            break;
        case NN_LAYER_NOISE:
            nn_noise_backward(gx, dw, g, l->cache, batch, l->in_c, l->in_h * l->in_w);
            break;
        case NN_LAYER_RESHAPE:
            break; /* handled above */
        }
        g = gx;
    }
}

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
