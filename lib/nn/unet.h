/* unet.h - a U-Net (Ronneberger et al. 2015), the generator of Pix2Pix
 * (Isola et al. 2017, pix2pix.h): an encoder that halves the image level by
 * level, a decoder that doubles it back, and skip connections that hand each
 * encoder level's maps to the decoder level of the same size, concatenated
 * after the decoder's own channels (exercise 31):
 *
 *   x (in_c, 28, 28) -enc0-> e0 (ch, 14, 14) -enc1-> e1 (2ch, 7, 7) -enc2-> e2 (4ch, 4, 4)
 *                                                                             |
 *   y (1, 28, 28) <-dec0- [d1 ; e0] (2ch, 14, 14) <-dec1- [d2 ; e1] (4ch, 7, 7) <-dec2-+
 *
 * Without its skips (skips = 0) it is the same encoder-decoder with every
 * decoder level reading only the level below: all the image's detail has
 * to pass through the 4 x 4 bottleneck. With them, the fine detail of a
 * pixel-aligned task (an outline that is already in the input) can go
 * straight across, and the bottleneck only carries what must be decided
 * about the whole image.
 *
 * Each of the six pieces is an nn_model (a sequential stack):
 *   enc0: conv 4x4 /2, leaky ReLU 0.2          (no batchnorm at the first level, as the paper)
 *   enc1: conv 4x4 /2, batchnorm, leaky ReLU 0.2
 *   enc2: conv 3x3 /2 pad 1, ReLU              (7 x 7 -> 4 x 4)
 *   dec2: conv-transpose 3x3 *2 pad 1, batchnorm, ReLU   (4 x 4 -> 7 x 7)
 *   dec1: conv-transpose 4x4 *2, batchnorm, ReLU
 *   dec0: conv-transpose 4x4 *2, tanh          (an image in [-1, 1])
 * The paper's decoder dropout (its only noise) is left out: the paper
 * found the generator learns to ignore it.
 *
 * Backward runs the forward's graph in reverse. At a concatenation the
 * gradient splits: the decoder's channels go on down the decoder, the skip's
 * go to the encoder level they came from, where they are ADDED to what that
 * level gets from the level above it (the level's output feeds two places,
 * so its gradient is the sum of both).
 */
#ifndef NN_UNET_H
#define NN_UNET_H

#include "base/common.h"
#include "base/rng.h"
#include "nn/init.h"
#include "nn/model.h"
#include "nn/optim.h"

/* Exercise 31: the skip connection, per image, a's channels then b's:
 *   out[i] = [ a[i] (ca, hw) ; b[i] (cb, hw) ]
 * a (n, ca*hw), b (n, cb*hw), out (n, (ca + cb)*hw). */
void nn_concat_channels_forward(float *out, const float *a, const float *b, int n, int ca,
                                int cb, int hw);
/* Exercise 31: its backward, the gradient split. ADDS each half of
 * dout (n, (ca + cb)*hw) into the input it came from (either may be NULL):
 *   da[i] += dout[i][0 .. ca*hw),   db[i] += dout[i][ca*hw .. (ca + cb)*hw) */
void nn_concat_channels_backward(float *da, float *db, const float *dout, int n, int ca, int cb,
                                 int hw);

#define NN_UNET_LEVELS 3

typedef struct {
    int in_c;           /* input channels: 1 (an image), 2 (an image and a mask) */
    int h, w;           /* the image: 28 x 28 (h, w multiples of 4, h/4 and w/4 odd) */
    int ch;             /* channels of the first level (32); the levels below: 2ch, 4ch */
    int skips;          /* 1: the U-Net; 0: the encoder-decoder without skips */
    int max_batch;
} nn_unet_config;

typedef struct {
    nn_unet_config cfg;
    nn_model *enc[NN_UNET_LEVELS];  /* enc[k]: level k's maps from level k-1's (k = 0: x) */
    nn_model *dec[NN_UNET_LEVELS];  /* dec[k]: level k-1's maps (k = 0: the image) from
                                     * level k's, concatenated with enc[k-1]'s (skips) */
    int c[NN_UNET_LEVELS], hw[NN_UNET_LEVELS];  /* each level's channels and pixels */
    float *cat[NN_UNET_LEVELS];     /* (max_batch, dec[k] in): dec[k]'s concatenated
                                     * input (k = 0, 1; NULL without skips and for k = 2) */
    float *dcat;                    /* (max_batch, largest dec in): its gradient */
    float *de[NN_UNET_LEVELS];      /* (max_batch, c[k] hw[k]): d loss / d enc[k]'s output */
    float *dd[NN_UNET_LEVELS];      /* (max_batch, c[k] hw[k]): d loss / d dec[k+1]'s output */
} nn_unet;

/* The six models, for up to cfg->max_batch images. NULL with err filled on
 * a shape it cannot halve twice and bring back (named), or no memory.
 * Weights are not initialised: nn_unet_init. Free with nn_unet_free. */
nn_unet *nn_unet_create(const nn_unet_config *cfg, nn_error *err);
void nn_unet_free(nn_unet *u);   /* accepts NULL */

/* nn_model_init(kind) of the six models from r, in the order the forward
 * runs them: enc[0], enc[1], enc[2], dec[2], dec[1], dec[0]. */
void nn_unet_init(nn_unet *u, nn_rng *r, nn_init_kind kind);
size_t nn_unet_param_count(const nn_unet *u);
void nn_unet_zero_grad(nn_unet *u);
void nn_unet_adam_step(nn_unet *u, const nn_adam *opt);

/* y = U(x): x (n, in_c h w) -> (n, h w) in [-1, 1], owned by dec[0].
 * train as nn_model_forward (batch statistics or running ones). */
const float *nn_unet_forward(nn_unet *u, const float *x, int n, int train);

/* Back-propagates dy (n, h w) through the last forward: ADDS into the six
 * models' grads, and d loss / d x into dx (n, in_c h w) unless dx is NULL. */
void nn_unet_backward(nn_unet *u, float *dx, const float *dy, int n);

#endif
