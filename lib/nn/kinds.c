/* kinds.c - the table of layer kinds (kinds.h) and what reads it for one
 * layer: its name, its parameter count; the blocks a layer takes its views
 * from. */
#include "nn/kinds.h"

/* Each kind's entry, defined in its own file. */
extern const nn_kind nn_kind_linear, nn_kind_leaky_relu, nn_kind_relu, nn_kind_sigmoid,
    nn_kind_tanh, nn_kind_batchnorm, nn_kind_dropout, nn_kind_mbstd, nn_kind_reshape,
    nn_kind_conv2d, nn_kind_convt2d, nn_kind_batchnorm2d, nn_kind_style_broadcast,
    nn_kind_style_const, nn_kind_adain, nn_kind_noise;

static const nn_kind *const KINDS[] = {
    [NN_LAYER_LINEAR]          = &nn_kind_linear,          /* kind_linear.c */
    [NN_LAYER_LEAKY_RELU]      = &nn_kind_leaky_relu,      /* kind_activation.c */
    [NN_LAYER_RELU]            = &nn_kind_relu,
    [NN_LAYER_SIGMOID]         = &nn_kind_sigmoid,
    [NN_LAYER_TANH]            = &nn_kind_tanh,
    [NN_LAYER_DROPOUT]         = &nn_kind_dropout,
    [NN_LAYER_BATCHNORM]       = &nn_kind_batchnorm,       /* kind_batchnorm.c */
    [NN_LAYER_BATCHNORM2D]     = &nn_kind_batchnorm2d,
    [NN_LAYER_MBSTD]           = &nn_kind_mbstd,           /* kind_mbstd.c */
    [NN_LAYER_RESHAPE]         = &nn_kind_reshape,         /* kind_reshape.c */
    [NN_LAYER_CONV2D]          = &nn_kind_conv2d,          /* kind_conv.c */
    [NN_LAYER_CONVT2D]         = &nn_kind_convt2d,
    [NN_LAYER_STYLE_BROADCAST] = &nn_kind_style_broadcast, /* kind_style_bus.c */
    [NN_LAYER_STYLE_CONST]     = &nn_kind_style_const,
    [NN_LAYER_ADAIN]           = &nn_kind_adain,           /* kind_adain.c */
    [NN_LAYER_NOISE]           = &nn_kind_noise,           /* kind_noise.c */
};

const nn_kind *nn_kind_of(nn_layer_kind kind)
{
    /* A checkpoint's kind comes from a file: any value may arrive here. */
    const unsigned k = (unsigned)kind;
    return k < sizeof KINDS / sizeof KINDS[0] ? KINDS[k] : NULL;
}

const char *nn_layer_kind_name(nn_layer_kind kind)
{
    const nn_kind *k = nn_kind_of(kind);
    return k ? k->name : "unknown";
}

size_t nn_layer_param_count(const nn_layer *l)
{
    const nn_kind *k = nn_kind_of(l->spec.kind);
    return k && k->params ? k->params(l) : 0;
}

/* Workspace views start on 64-byte boundaries (16 floats) so each layer's
 * activations begin on a fresh cache line. */
#define WS_ALIGN 16u

void nn_take_params(nn_blocks *b, size_t n, float **w, float **dw)
{
    *w = b->params ? b->params + b->n_params : NULL;
    *dw = b->grads ? b->grads + b->n_params : NULL;
    b->n_params += n;
}

float *nn_take_buffer(nn_blocks *b, size_t n)
{
    float *v = b->buffers ? b->buffers + b->n_buffers : NULL;
    b->n_buffers += n;
    return v;
}

float *nn_take_workspace(nn_blocks *b, size_t n)
{
    float *v = b->workspace ? b->workspace + b->n_ws : NULL;
    b->n_ws += (n + WS_ALIGN - 1) / WS_ALIGN * WS_ALIGN;
    return v;
}
