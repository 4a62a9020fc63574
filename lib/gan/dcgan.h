/* dcgan.h - the DCGAN family (Radford et al. 2016) at Fashion-MNIST size.
 *
 * G: z -> linear to (g_channels, h/4, w/4) -> [batchnorm] -> ReLU ->
 *    transposed conv 4x4 stride 2 to (g_channels/2, h/2, w/2) -> [batchnorm]
 *    -> ReLU -> transposed conv 4x4 stride 2 to (c, h, w) -> tanh
 * D: (c, h, w) -> conv 4x4 stride 2 to (d_channels, h/2, w/2) -> leaky ReLU
 *    -> conv 4x4 stride 2 to (2 d_channels, h/4, w/4) -> [batchnorm] ->
 *    leaky ReLU -> [minibatch std] -> linear to one logit
 * With the defaults this is the reference benchmark's DCGAN. The choices of
 * the paper's guidelines are switches, so a lesson can take one away:
 * strided convolutions do the resampling (there is no pooling layer at all),
 * batchnorm sits in both nets but not on G's output or D's input, G uses
 * ReLU and D leaky ReLU, G ends in tanh.
 */
#ifndef NN_DCGAN_H
#define NN_DCGAN_H

#include "base/common.h"
#include "nn/model.h"

typedef struct {
    int latent_dim;     /* z's dimension, 100 */
    int c, h, w;        /* the image: 1 x 28 x 28; h and w divisible by 4 */
    int g_channels;     /* G's widest feature maps (at h/4 x w/4), 128 */
    int d_channels;     /* D's first conv's channels, 64 (the second has twice) */
    int g_batchnorm;    /* 1: batchnorm after G's linear and first transposed conv */
    int d_batchnorm;    /* 1: batchnorm after D's second conv */
    float g_slope;      /* G's activations: 0 is ReLU (the guideline), else leaky */
    float d_slope;      /* D's leaky ReLU slope, 0.2 */
    int d_mbstd;        /* 1: a minibatch standard deviation feature before D's logit
                           (ProGAN's and StyleGAN's D have one); 0, the guideline's D */
} nn_dcgan_arch;

/* The guideline setting for 28 x 28 grey images (the values above). */
nn_dcgan_arch nn_dcgan_arch_default(void);

/* The two networks, for up to max_batch rows. NULL with err filled when a
 * size does not fit (h or w not a multiple of 4, a width below 1). */
nn_model *nn_dcgan_generator(const nn_dcgan_arch *a, int max_batch, nn_error *err);
nn_model *nn_dcgan_discriminator(const nn_dcgan_arch *a, int max_batch, nn_error *err);

#endif
