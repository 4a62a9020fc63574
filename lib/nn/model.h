/* model.h - a small sequential network over contiguous blocks.
 *
 * A model is a list of layers described by nn_layer_spec (layer.h). All
 * parameters sit in one block (params), their gradients in another of the
 * same length (grads), Adam's m and v in two more; each layer holds named
 * views into them.
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
#include "base/common.h"
#include "base/rng.h"
#include "nn/init.h"
#include "nn/optim.h"
#include "nn/layer.h"

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
    void *states;           /* every layer's state (nn_layer.state), one block */
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
