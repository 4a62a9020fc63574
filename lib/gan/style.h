/* style.h - a style-based generator (Karras et al. 2019, StyleGAN) at
 * Fashion-MNIST size, as one sequential nn_model:
 *
 *   z -> mapping MLP -> w -> style_broadcast: one copy of w per styled layer,
 *        the "style bus" (n_slots w_dim numbers per row)
 *     -> style_const: the learned constant image; the bus rides along
 *     -> noise -> adain(slot 0) -> conv 3x3 -> noise -> leaky -> adain(1)
 *     -> conv_transpose 4x4/2 -> noise -> leaky -> adain(2) -> conv 3x3 -> noise
 *     -> leaky -> adain(3) -> ... -> conv 1x1 to the image's channels -> tanh
 *
 * Four layer kinds make it (layer.h): NN_LAYER_STYLE_BROADCAST,
 * NN_LAYER_STYLE_CONST, NN_LAYER_ADAIN and NN_LAYER_NOISE. Because G stays
 * one model of z, nn_gan's one step trains it like any other generator,
 * style-mixing regularisation included: in train forwards the broadcast
 * layer can fill a row's slots from a random crossover on with another
 * row's w (layer.h, STYLE_BROADCAST's .mix), so neighbouring slots learn
 * to work with styles of other images. The
 * mapping and the synthesis also run apart (nn_model_forward_range): the
 * mapping's w can then be pulled toward the mean w (truncation) or mixed
 * with another w slot by slot (style mixing) before the synthesis reads it.
 *
 * The layers' maths are below the model, in style_layers.h (exercise 26,
 * nn_adain_forward, among them); this file builds the generator from the
 * layers and holds the helpers a lesson needs around it.
 */
#ifndef NN_STYLE_H
#define NN_STYLE_H

#include "base/common.h"
#include "nn/model.h"
#include "nn/style_layers.h"

/* The shape of a style-based generator for c x h x w images. The synthesis
 * starts from a const_side x const_side constant of channels[0] maps and
 * doubles the side n_res - 1 times (transposed convolutions 4x4, stride 2):
 * channels[r] are the maps at resolution r. Each resolution has two styled
 * layers, each with noise and AdaIN: the first is the constant (resolution
 * 0) or the doubling, the second a 3x3 convolution. So there are 2 n_res
 * w slots, coarse (slots 0, 1: the smallest maps) to fine. */
#define NN_STYLE_MAX_RES 4
typedef struct {
    int latent_dim;                  /* z: 64 */
    int w_dim;                       /* w: 64 */
    int map_layers;                  /* linear + leaky ReLU layers of the mapping: 4 */
    int map_hidden;                  /* their width (the last is w_dim): 64 */
    int n_res;                       /* resolutions: 3 (7, 14, 28) */
    int const_side;                  /* 7 */
    int channels[NN_STYLE_MAX_RES];  /* 64, 32, 16 */
    int c, h, w;                     /* the image: 1 x 28 x 28 */
    float slope;                     /* leaky ReLU: 0.2 */
    float w_avg_decay;               /* the running mean of w: 0.995 */
    float mixing;                    /* style-mixing regularisation: the share of
                                        training rows whose later slots take
                                        another row's w (the broadcast's .mix):
                                        0 off, 0.9 in the paper; default 0 */
} nn_style_arch;

nn_style_arch nn_style_arch_default(void);

/* The generator, for up to max_batch rows: input latent_dim, output c h w.
 * NULL with err filled on a bad size (named). */
nn_model *nn_style_generator(const nn_style_arch *a, int max_batch, nn_error *err);

/* Where the pieces of a style generator sit in its model: the broadcast
 * layer (the mapping is the layers before it), the constant (the synthesis
 * is it and the layers after), the number of w slots and w's width.
 * NN_ERR_ARG when m has no broadcast followed by a constant. */
typedef struct {
    int broadcast;   /* layer index; layers [0, broadcast) map z to w */
    int synth;       /* the style_const layer; layers [synth, n_layers) draw */
    int n_slots;     /* styled (AdaIN) layers, one w each */
    int w_dim;
    const float *w_avg; /* (w_dim) the running mean of w, in m's buffers */
} nn_style_parts;
nn_status nn_style_find(nn_style_parts *p, const nn_model *m, nn_error *err);

/* w (n, w_dim) = the mapping of z (n, latent_dim); eval mode, no w_avg
 * update. Returns m's own buffer, valid until m's next forward. */
const float *nn_style_map(nn_model *m, const nn_style_parts *p, const float *z, int n);

/* Images (n, c h w) from the bus (n, n_slots w_dim), eval mode; noise is
 * drawn from m->rng (save and restore m->rng to replay the same noise). */
const float *nn_style_synthesize(nn_model *m, const nn_style_parts *p, const float *bus, int n);

/* Truncation: w' = w_avg + psi (w - w_avg), (n, dim), in place. psi = 1
 * leaves w, psi = 0 gives every row the mean w. */
void nn_style_truncate(float *w, const float *w_avg, float psi, int n, int dim);

/* The bus (n, n_slots dim) for style mixing: slots [0, cross) from w1's row,
 * slots [cross, n_slots) from w2's (each (n, dim)). cross = n_slots copies
 * w1 alone. */
void nn_style_mix(float *bus, const float *w1, const float *w2, int n, int dim, int n_slots,
                  int cross);

#endif
