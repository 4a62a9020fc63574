/* model.h - a small sequential network over contiguous blocks.
 *
 * A model is a list of layers described by nn_layer_spec. All parameters sit
 * in one block (params), their gradients in another of the same length
 * (grads), Adam's m and v in two more; each layer holds named views into them.
 * So the optimizer is one flat loop, zero_grad is one memset, a checkpoint is
 * a few fwrite calls, and freeing is a handful of calls. Activations for up to
 * max_batch rows live in one workspace block, allocated once: the training
 * loop allocates nothing.
 *
 * Ownership: nn_model_create returns a model the caller frees with
 * nn_model_free. Pointers returned by forward point into the model and stay
 * valid until the next forward. The input passed to forward must stay valid
 * until backward has run (the linear layer's weight gradient reads it).
 */
#ifndef NN_MODEL_H
#define NN_MODEL_H

#include <stddef.h>
#include "common.h"
#include "rng.h"
#include "init.h"
#include "optim.h"

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
    /* A style-based generator's layers (style.h). The synthesis reads its
     * styles from a "style bus": the input row of a STYLE_CONST layer, kept
     * beside the images while they pass through the layers after it. */
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
                               batchnorm: gamma (out); batchnorm2d: gamma (channels) */
    float *b, *db;          /* linear: (out); convolutions: (out_c); batchnorms: beta */
    float *running_mean;    /* batchnorms: (out or channels), in the buffers block */
    float *running_var;     /* batchnorms: likewise */
    /* Views into the workspace. */
    float *y;               /* output, (max_batch, out); a RESHAPE's is its input */
    float *cache;           /* batchnorm xhat or dropout mask, (max_batch, out) */
    float *mean, *invstd;   /* batchnorm batch statistics, (out or channels);
                               adain: invstd (max_batch, channels) */
    /* The style bus (style.h). A STYLE_CONST layer: n_slots ADAIN layers read
     * it, slots of style_dim numbers; bus is its last forward's input and dbus
     * (max_batch, in) what backward gathers for it. An ADAIN layer reads slot
     * style_slot of layer style_src's bus: a copy in slot (max_batch,
     * style_dim), its scales then biases in style (2, max_batch, channels);
     * dstyle and dslot their gradients. A NOISE layer keeps its noise images
     * (max_batch, h w) in cache; STYLE_CONST's constant and NOISE's scales are
     * w and dw; STYLE_BROADCAST's running mean of w is running_mean and its
     * cache (max_batch) the slot where each row of the last train forward
     * switched to the next row's w (k: it did not). */
    int n_slots, style_dim, style_src, style_slot;
    const float *bus;
    float *dbus, *slot, *style, *dstyle, *dslot;
} nn_layer;

typedef struct {
    int n_layers;
    nn_layer *layers;       /* (n_layers) */
    int in, out;            /* the network's input and output features */
    int max_batch;          /* most rows forward accepts */

    size_t n_params;        /* length of each of the four blocks below */
    float *params;          /* every weight and bias, layer after layer */
    float *grads;           /* d loss / d params, same layout */
    float *adam_m, *adam_v; /* Adam's moment estimates, same layout */
    long adam_t;            /* Adam steps taken so far (bias correction) */

    size_t n_buffers;       /* batchnorm running statistics: saved, not trained */
    float *buffers;

    float *workspace;       /* all activations and caches, one block */
    float *scratch;         /* the convolutions' patches: the end of the workspace, */
    size_t scratch_len;     /* floats, shared by every conv layer (one runs at a time) */
    float *grad_a, *grad_b; /* ping-pong gradient buffers, (max_batch, widest) */

    const float *input;     /* the last forward's input, (batch, in), caller's */
    int batch;              /* the last forward's batch size */
    int train;              /* the last forward's mode */
    nn_rng rng;             /* dropout masks, noise images */
} nn_model;

/* Builds a model for `in` input features and up to max_batch rows. Returns
 * NULL with err filled when a spec is invalid (non-positive width, slope or
 * probability out of range; an image layer without an image shape, a kernel
 * larger than the padded image, a stride or kernel below 1, a negative pad, a
 * non-positive output size, sizes too large for an int) or memory runs out;
 * the message names the layer, its kind and the sizes. Parameters start at
 * zero: call nn_model_init. */
nn_model *nn_model_create(int in, const nn_layer_spec *specs, int n_layers, int max_batch,
                          nn_error *err);
void nn_model_free(nn_model *m); /* accepts NULL */

/* Initialises every linear and convolution layer's weights by `kind` (biases
 * 0, or torch's default for NN_INIT_TORCH; a convolution's fans are torch's,
 * see nn_init_conv); batchnorm gamma 1, beta 0, running stats 0/1; a style
 * constant N(0, 1), an ADAIN's affine map by `kind` with gain 1 (its scale
 * biases 1, the rest 0), noise scales 0, the running mean of w 0; Adam state
 * and step count reset; the stream of dropout masks and noise seeded from r. */
void nn_model_init(nn_model *m, nn_rng *r, nn_init_kind kind);

size_t nn_model_param_count(const nn_model *m);
void nn_model_zero_grad(nn_model *m);       /* grads = 0 */

/* Runs the layers on x (batch, in), batch <= max_batch. train = 1 uses batch
 * statistics and dropout; 0 uses running statistics and no dropout. Returns
 * the output (batch, out), owned by the model. */
const float *nn_model_forward(nn_model *m, const float *x, int batch, int train);

/* Runs layers [first, end) only, x (batch, layer first's in), and returns
 * layer end - 1's output: a style generator's mapping alone, or its
 * synthesis from a bus the caller built (style.h). An ADAIN layer's bus must
 * come from a STYLE_CONST inside the range. Backward needs a full forward:
 * after a partial one it is refused (assert). */
const float *nn_model_forward_range(nn_model *m, const float *x, int batch, int train, int first,
                                    int end);

/* Back-propagates dy (batch, out) through the last forward. Adds d loss / d x
 * into dx (batch, in) unless dx is NULL; adds into m->grads only when
 * param_grads is 1 (0 freezes the model: a discriminator that passes the
 * generator its gradient without learning from it). */
void nn_model_backward(nn_model *m, float *dx, const float *dy, int batch, int param_grads);

/* One Adam step on every parameter: m->adam_t += 1, then nn_adam_step. */
void nn_model_adam_step(nn_model *m, const nn_adam *opt);

/* One RMSProp step on every parameter; the running mean of squared
 * gradients lives in adam_v (a model trains with one optimizer or the other). */
void nn_model_rmsprop_step(nn_model *m, const nn_rmsprop *opt);

/* Copies parameters and buffers (not grads or Adam state) from src to dst,
 * which must have the same layers. For unrolled GANs and weight averaging. */
void nn_model_copy_params(nn_model *dst, const nn_model *src);

/* A new model with m's layers (for up to m->max_batch rows) holding a copy
 * of m's parameters and buffers: a frozen snapshot, or the start of an
 * average. NULL with err filled when memory runs out. */
nn_model *nn_model_clone(const nn_model *m, nn_error *err);

/* One step of an exponential moving average of m's parameters into avg (the
 * same layers):  avg = beta avg + (1 - beta) m,  beta in [0, 1); m's
 * buffers (batchnorm running statistics) are copied as they are. An
 * averaged generator smooths out the oscillation of the last steps
 * (Yazici et al. 2019). */
void nn_model_ema(nn_model *avg, const nn_model *m, float beta);

/* "linear", "leaky_relu", ..., "conv2d", "conv_transpose2d" */
const char *nn_layer_kind_name(nn_layer_kind kind);
/* Parameters of one layer (weights + biases, or gamma + beta), as torch
 * counts them. */
size_t nn_layer_param_count(const nn_layer *l);

/* Checkpoint: magic "GANSTEPS", a format version (2), the byte order, the
 * file's size, the layer specs and shapes, then params, buffers, Adam m, v
 * and step, and last a CRC-32 of every byte before it (layout in
 * checkpoint.c). Saving writes to path.tmp and renames, so a failed save
 * never leaves half a file. Loading checks everything first (missing, empty,
 * wrong magic, other version, truncated, checksum mismatch, other shapes)
 * and leaves the model untouched on any failure: a file damaged after it was
 * saved is refused as corrupted instead of resuming from wrong weights. */
nn_status nn_model_save(const nn_model *m, const char *path, nn_error *err);
nn_status nn_model_load(nn_model *m, const char *path, nn_error *err);

#endif
