/* gan.h - the course's given GAN code: what the lessons share that is not an
 * exercise.
 *
 * The two architectures the course compares, the trainer that owns G, D,
 * their optimizers and every buffer one training step needs (built through
 * the exercise functions of exercises.h, so a student's own code runs it),
 * and small helpers the lessons use to show a model: a layer table, a batch
 * of samples in eval mode, a sample grid as PNG and terminal preview.
 */
#ifndef GANSTEPS_GAN_H
#define GANSTEPS_GAN_H

#include <stdint.h>
#include <stdio.h>
#include "nn.h"
#include "exercises.h"

/* The MLP GAN most courses show first (and the one that collapses on
 * Fashion-MNIST): G 100-300-784 with tanh, D 784-300-100-1, leaky ReLU 0.2,
 * no batchnorm, no dropout. */
gan_arch gan_arch_classic(void);

/* The course's default: still an MLP a student can read, with the choices
 * lesson 06 explains (batchnorm in G, dropout in D, wider layers). */
gan_arch gan_arch_default(void);

/* "classic" or "default" -> the architecture; returns 0, or -1 for any other
 * name (arch untouched). */
int gan_arch_parse(const char *name, gan_arch *arch);

/* "nonsat", "minimax", "lsgan", "hinge". */
const char *gan_loss_name(gan_loss_kind k);
/* The inverse of gan_loss_name: returns 0, or -1 for an unknown name. */
int gan_loss_parse(const char *name, gan_loss_kind *k);

/* Builds G and D with gan_build_generator / gan_build_discriminator,
 * initialises both with gan_init_weights (G from stream 1 of seed, D from
 * stream 2), sets Adam to lr with betas (0.5, 0.999) for both, and allocates
 * every buffer for batches of up to `batch` rows, so training allocates
 * nothing. D is built for 2 * batch rows: a D update runs real and fake
 * through it as one batch. Latent vectors come from stream 3 of seed.
 * Returns NULL with err filled when a value is out of range (lr not a
 * positive number, batch or d_steps < 1, real_label outside (0, 1]) or an
 * exercise it needs is not written yet. Free with gan_trainer_free. */
gan_trainer *gan_trainer_create(const gan_arch *arch, gan_loss_kind loss, float lr, int batch,
                                int d_steps, float real_label, uint64_t seed, nn_error *err);
void gan_trainer_free(gan_trainer *t); /* accepts NULL */

/* Total parameters of a model built from arch: G's (which_d == 0) or D's
 * (which_d == 1), without building it. */
size_t gan_arch_param_count(const gan_arch *arch, int which_d);

/* One line per layer: index, kind, in, out, parameters; then the total.
 *   #  layer        in   out    params
 * name heads the table ("generator"). */
void gan_print_layers(FILE *f, const nn_model *m, const char *name);

/* Runs G in eval mode (running batchnorm statistics, no dropout) on n latent
 * vectors z (n, latent_dim), in chunks of at most G->max_batch rows, and
 * copies the images into out (n, image_dim). */
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
