/* mlpgan.h - the course's Fashion-MNIST GAN: two MLP presets, a trainer made
 * from them, and small helpers the lessons use to show a model (a layer
 * table, samples in eval mode, a sample grid as PNG and terminal preview).
 *
 * The trainer is the library's nn_gan (lib/gan/gan.h): built by exercises 2 and
 * 4, initialised by exercise 6, stepped by exercise 9, so a student's own
 * code trains it under USE=exercises.
 */
#ifndef GANSTEPS_MLPGAN_H
#define GANSTEPS_MLPGAN_H

#include <stdint.h>
#include <stdio.h>
#include "nn.h"

/* The MLP GAN most courses show first (and the one that collapses on
 * Fashion-MNIST): G 100-300-784 with tanh, D 784-300-100-1, leaky ReLU 0.2,
 * no batchnorm, no dropout. */
nn_gan_arch mlpgan_arch_classic(void);

/* The course's default: still an MLP a student can read, with the choices
 * lesson 06 explains (batchnorm in G, dropout in D, wider layers). */
nn_gan_arch mlpgan_arch_default(void);

/* "classic" or "default" -> the architecture; returns 0, or -1 for any other
 * name (arch untouched). */
int mlpgan_arch_parse(const char *name, nn_gan_arch *arch);

/* The objectives an MLP GAN with a sigmoid-probability D can use:
 * "nonsat", "minimax", "lsgan", "hinge" (a Wasserstein critic needs a
 * Lipschitz constraint these presets do not have). 0, or -1 for another. */
int mlpgan_loss_parse(const char *name, nn_gan_objective *k);

/* An nn_gan from arch with DCGAN's recipe: Adam lr for both players with
 * betas (0.5, 0.999), N(0, 0.02) weights, d_steps D updates per G update,
 * real_label 1 or < 1 (one-sided smoothing). NULL with err filled on a bad
 * value. Free with nn_gan_free. */
nn_gan *mlpgan_create(const nn_gan_arch *arch, nn_gan_objective objective, float lr, int batch,
                      int d_steps, float real_label, uint64_t seed, nn_error *err);

/* Runs D on x (batch, in): returns the logits (batch), owned by D; when prob
 * is not NULL also writes prob[i] = D(x_i) = sigmoid(logit_i). */
const float *gan_discriminate(nn_model *D, const float *x, int batch, int train, float *prob);

/* One line per layer: index, kind, in, out, parameters; then the total.
 *   #  layer        in   out    params
 * name heads the table ("generator"). */
void gan_print_layers(FILE *f, const nn_model *m, const char *name);

/* Runs G in eval mode (running batchnorm statistics, no dropout) on n latent
 * vectors z (n, latent_dim), in chunks of at most G->max_batch rows, and
 * copies the samples into out (n, data_dim). */
void gan_sample_images(float *out, nn_model *G, const float *z, int n);

/* The side of a square grey image of image_dim pixels (28 for 784), or 0
 * when image_dim is not a square. */
int gan_image_side(int image_dim);

/* Draws n samples of G from the latent vectors z (n, latent_dim), in eval
 * mode, and writes them as a PNG grid to path (black -1, white +1, each pixel
 * drawn scale x scale; cols 0: a near-square grid). When preview is not NULL,
 * also draws the first min(n, preview_n) in it as text (nn_image_preview,
 * NN_PREVIEW_AUTO). Images must be square and grey (784 = 28 x 28). */
nn_status gan_write_sample_grid(const char *path, nn_model *G, const float *z, int n,
                                int cols, int scale, FILE *preview, int preview_n,
                                nn_error *err);

/* Mean, standard deviation, min and max of x (n). */
typedef struct {
    float mean, std, min, max;
} gan_stats;
gan_stats gan_describe(const float *x, size_t n);

#endif
