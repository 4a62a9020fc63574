/* autoenc.h - lesson 13's MLP autoencoder on 28 x 28 grey images, and what
 * lesson 14 needs to judge it beside the GANs.
 *
 * The encoder squeezes an image (784 pixels in [-1, 1]) through a hidden
 * layer into a short code; the decoder draws an image back from a code,
 * tanh on its output like a GAN's generator. Trained with the mean squared
 * error between image and reconstruction (nn_mse_loss, exercise 22): the
 * training loop is lesson 13's, in view. Decoding codes drawn at random from
 * a Gaussian fitted to the training codes makes the autoencoder a generator
 * of sorts, the one a GAN is compared with.
 */
#ifndef GANSTEPS_AUTOENC_H
#define GANSTEPS_AUTOENC_H

#include <stdint.h>
#include "nn.h"

#define AUTOENC_HIDDEN 256

typedef struct {
    nn_model *enc;      /* (n, 784) -> codes (n, code) */
    nn_model *dec;      /* (n, code) -> images (n, 784), tanh */
    int code;           /* the bottleneck's width */
} autoenc;

/* Both halves for up to max_batch rows, parameters initialised from seed
 * (torch's default). 1 on success; 0 with err filled (free with
 * autoenc_free either way). */
int autoenc_create(autoenc *a, int code, int max_batch, uint64_t seed, nn_error *err);
void autoenc_free(autoenc *a);

/* Codes (n, code) of images x (n, 784), eval mode, in batches. */
void autoenc_encode(autoenc *a, const float *x, int n, float *codes);

/* Images (n, 784) decoded from codes (n, code), eval mode, in batches. */
void autoenc_decode(autoenc *a, const float *codes, int n, float *y);

/* mu, sd (code): the mean and standard deviation of each code unit over the
 * codes (n, code) of the training images; then n_out codes drawn from that
 * diagonal Gaussian: out (n_out, code) = mu + sd * N(0, 1), from r. */
void autoenc_random_codes(float *out, int n_out, const float *codes, int n, int code,
                          nn_rng *r);

/* enc.ckpt and dec.ckpt in folder dir: save, or load (NN_ERR_IO when absent). */
nn_status autoenc_save(const autoenc *a, const char *dir, nn_error *err);
nn_status autoenc_load(autoenc *a, const char *dir, nn_error *err);

#endif
