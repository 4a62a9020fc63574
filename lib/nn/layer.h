/* layer.h - one layer of a model: the kinds there are, what the user writes
 * and what the model keeps.
 *
 * nn_layer_spec is one layer as the user writes it; nn_layer is what the
 * model (model.h) keeps of it: its widths, its image shapes and its views
 * into the model's blocks. What each kind does is its own file's, and
 * kinds.h says how the model finds it.
 */
#ifndef NN_LAYER_H
#define NN_LAYER_H

#include <stddef.h>

typedef enum {
    NN_LAYER_LINEAR = 0,  /* arg unused; out = output features */
    NN_LAYER_LEAKY_RELU,  /* arg = negative slope (0.2 in most GANs) */
    NN_LAYER_RELU,
    NN_LAYER_SIGMOID,
    NN_LAYER_TANH,
    NN_LAYER_BATCHNORM,   /* arg = momentum (0 means torch's 0.1); eps 1e-5 */
    NN_LAYER_DROPOUT,     /* arg = drop probability */
    NN_LAYER_MBSTD,       /* minibatch standard deviation (Karras et al. 2018):
                             appends one feature, the mean over features of the
                             std over the batch, to every row; out = in + 1 */
    /* Image layers (conv.h). A row is then one image, NCHW: c channels of h
     * rows of w pixels, c*h*w features. */
    NN_LAYER_RESHAPE,     /* c, h, w: the image shape of every row from here on;
                             c*h*w must be the width. Changes no number. */
    NN_LAYER_CONV2D,      /* torch.nn.Conv2d: out = output channels, kernel,
                             stride, pad; needs an image shape (a RESHAPE first) */
    NN_LAYER_CONVT2D,     /* torch.nn.ConvTranspose2d: the same fields; output
                             size from nn_conv_transpose2d_out_size */
    NN_LAYER_BATCHNORM2D, /* torch.nn.BatchNorm2d: per channel, statistics over
                             the batch and the pixels; arg = momentum as BATCHNORM */
    /* A style-based generator's layers (their maths in style_layers.h; style.h
     * builds the generator). The synthesis reads its styles from a "style
     * bus": the input row of a STYLE_CONST layer, kept beside the images
     * while they pass through the layers after it. */
    NN_LAYER_STYLE_BROADCAST, /* out = k in: k copies of the row side by side (one w
                             per styled layer); backward sums them. Keeps the
                             running mean of its input rows in train mode,
                             w_avg = arg w_avg + (1 - arg) batch mean, arg the
                             decay in [0, 1) (0 means 0.995); saved as a buffer.
                             mix in [0, 1]: style-mixing regularisation (StyleGAN
                             section 3.1), train forwards only: each row, with
                             probability mix (model rng), takes slots c..k-1
                             (c uniform in [1, k-1]) from row (i + 1) mod
                             batch, an independent sample of the same batch;
                             backward sends each slot's gradient to the row it
                             read. 0 never mixes and draws nothing; the running
                             mean still averages the rows' own input */
    NN_LAYER_STYLE_CONST, /* c, h, w: a learned constant image, the same for every
                             row; its input row is the style bus, which the
                             ADAIN layers after it read in slots of in / n_slots
                             numbers, one per ADAIN up to the next STYLE_CONST.
                             d loss / d input is what they add into the bus */
    NN_LAYER_ADAIN,       /* adaptive instance normalisation (nn_adain_forward):
                             each image's channels normalised over their pixels,
                             then scale and bias per row and channel from the
                             layer's own affine map of its bus slot,
                             [scale, bias] = A slot + b  (A (2 c, slot width),
                             b's scale half starts at 1); needs an image */
    NN_LAYER_NOISE        /* y = x + s[channel] noise[pixel]: one N(0, 1) image per
                             row from the model's rng, shared by the channels,
                             learned scales s (start at 0). Drawn on every
                             forward, train or eval: same seed, same noise */
} nn_layer_kind;

/* One layer as the user writes it, with designated initializers so that the
 * fields a kind does not use stay 0:
 *   {.kind = NN_LAYER_LINEAR, .out = 300}
 *   {.kind = NN_LAYER_CONV2D, .out = 64, .kernel = 4, .stride = 2, .pad = 1}
 * `out` is the width of a LINEAR layer and the output channels of a
 * convolution; the other kinds keep the width (MBSTD adds one). A layer after
 * a convolution sees its rows as they are: a LINEAR layer reads them flat. */
typedef struct {
    nn_layer_kind kind;
    int out;
    float arg;
    int kernel, stride, pad;  /* CONV2D, CONVT2D: square kernel, stride >= 1, pad >= 0 */
    int c, h, w;              /* RESHAPE: the image shape */
    float mix;                /* STYLE_BROADCAST: style-mixing probability (a training
                                 option: checkpoints do not keep it) */
} nn_layer_spec;

typedef struct {
    nn_layer_spec spec;
    int in, out;            /* features in and out */
    /* The image shape of the input and output rows; 0, 0, 0 where a row is
     * just features (before the first RESHAPE, after a LINEAR or MBSTD). */
    int in_c, in_h, in_w;
    int out_c, out_h, out_w;
    /* Views into the model's blocks, NULL where the layer has none. */
    float *w, *dw;          /* linear: (out, in); conv2d: (out_c, in_c, k, k);
                               conv_transpose2d: (in_c, out_c, k, k);
                               batchnorm: gamma (out); batchnorm2d: gamma (channels);
                               style_const: the constant (out); adain: its affine
                               map (2 c, slot width); noise: the scales (channels) */
    float *b, *db;          /* linear: (out); convolutions: (out_c); batchnorms: beta;
                               adain: the map's bias (2 c) */
    float *running_mean;    /* batchnorms: (out or channels), in the buffers block;
                               style_broadcast: the running mean of w (in) */
    float *running_var;     /* batchnorms: likewise */
    /* Views into the workspace. */
    float *y;               /* output, (max_batch, out); a RESHAPE's is its input */
    float *cache;           /* batchnorm and adain xhat or dropout mask, (max_batch,
                               out); noise: the noise images (max_batch, h w);
                               style_broadcast: (max_batch) the slot where each row
                               of the last train forward switched to the next
                               row's w (k: it did not) */
    float *mean, *invstd;   /* batchnorm batch statistics, (out or channels);
                               adain: invstd (max_batch, channels) */
    /* What one kind alone keeps (the style bus of STYLE_CONST and ADAIN),
     * defined and read by that kind's own file; NULL for the other kinds. */
    void *state;
} nn_layer;

/* "linear", "leaky_relu", ..., "conv2d", "conv_transpose2d"; "unknown" for a
 * value that is no kind. */
const char *nn_layer_kind_name(nn_layer_kind kind);
/* Parameters of one layer (weights + biases, or gamma + beta), as torch
 * counts them. */
size_t nn_layer_param_count(const nn_layer *l);

/* The style bus (style.h): the w slot an ADAIN layer reads, and the index of
 * the STYLE_CONST layer whose bus holds it; -1 for any other kind. */
int nn_adain_slot(const nn_layer *l);
int nn_adain_source(const nn_layer *l);
/* The slots of a STYLE_CONST layer's bus, one per ADAIN layer that reads
 * it; 0 for any other kind. */
int nn_style_const_slots(const nn_layer *l);

#endif
