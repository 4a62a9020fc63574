/* exercises.h - the course's GAN code: the functions you write.
 *
 * Each function below is one exercise, in its own file in exercises/ (your
 * copy, with a TODO) and in solutions/ (the course's answer, same signature).
 * The lessons call these functions, so `make lesson N=6 USE=exercises` trains
 * a GAN on your own code. `make check` shows which ones pass; `make hint EX=n`
 * gives a hint. Everything here is built on the library in lib/ (nn.h).
 */
#ifndef GANSTEPS_EXERCISES_H
#define GANSTEPS_EXERCISES_H

#include <stddef.h>
#include <stdint.h>
#include "nn.h"

/* The shape of a generator and a discriminator made of linear layers. */
typedef struct {
    int latent_dim;     /* z's dimension, 100 in most courses */
    int image_dim;      /* 784 for 28x28 images */
    int g_hidden[4];    /* generator hidden widths, first to last */
    int n_g_hidden;
    int g_batchnorm;    /* 1: batchnorm after each generator hidden linear */
    int d_hidden[4];    /* discriminator hidden widths */
    int n_d_hidden;
    float d_dropout;    /* drop probability after each D activation, 0 for none */
    float slope;        /* leaky ReLU negative slope, 0.2 */
} gan_arch;

/* Exercise 1. Fill z (batch, dim) with samples of N(0, 1) from rng, in row
 * order: the latent vectors the generator turns into images. */
void gan_sample_latent(float *z, int batch, int dim, nn_rng *rng);

/* Exercise 2. Build the generator: for each hidden width h, a linear layer to
 * h, then batchnorm (if g_batchnorm), then leaky ReLU(slope); then a linear
 * layer to image_dim and tanh, so pixels land in [-1, 1]. Input: latent_dim.
 * Returns NULL with err filled on failure. */
nn_model *gan_build_generator(const gan_arch *a, int max_batch, nn_error *err);

/* Exercise 3. Run the generator on z (batch, latent_dim): returns the images
 * (batch, image_dim), owned by G. train selects batchnorm's batch statistics. */
const float *gan_generate(nn_model *G, const float *z, int batch, int train);

/* Exercise 4. Build the discriminator: for each hidden width h, a linear layer
 * to h, leaky ReLU(slope), then dropout(d_dropout) if d_dropout > 0; then a
 * linear layer to 1: a logit, not a probability (the losses take logits). */
nn_model *gan_build_discriminator(const gan_arch *a, int max_batch, nn_error *err);

/* Exercise 5. Run the discriminator on x (batch, image_dim): returns the
 * logits (batch), owned by D; when prob is not NULL also writes
 * prob[i] = D(x_i) = sigmoid(logit_i). */
const float *gan_discriminate(nn_model *D, const float *x, int batch, int train, float *prob);

/* Exercise 6. DCGAN initialisation: every linear weight ~ N(0, 0.02), every
 * linear bias 0; batchnorm gamma 1, beta 0. Uses rng for the weights, in layer
 * order. */
void gan_init_weights(nn_model *m, nn_rng *rng);

/* Exercise 7. The discriminator's loss on logits of real and fake batches
 * (both n long):  L = mean -log D(x) + mean -log(1 - D(G(z))), computed
 * stably from logits. Writes dL/ds into ds_real and ds_fake; returns L. */
float gan_d_loss(float *ds_real, float *ds_fake, const float *s_real, const float *s_fake,
                 int n);

/* Exercise 8. The non-saturating generator loss L = mean -log D(G(z)) on the
 * fake logits (n); writes dL/ds into ds; returns L. */
float gan_g_loss(float *ds, const float *s_fake, int n);

/* Exercise 10. Turn uint8 pixels (n of them, 0..255) into floats in [-1, 1]:
 * x = p / 127.5 - 1, the range of the generator's tanh. */
void gan_normalize_batch(float *x, const uint8_t *pixels, size_t n);

/* Exercise 11. A linear layer's backward pass in plain loops (w is (out, in),
 * y = x . w^T + b): ADD dy . w into dx, dy^T . x into dw, column sums of dy
 * into db. Any of dx, dw, db may be NULL: skip it. */
void gan_linear_backward(float *dx, float *dw, float *db, const float *dy, const float *x,
                         const float *w, int batch, int in, int out);

/* Exercise 12. Leaky ReLU's backward pass: ADD dy * (x > 0 ? 1 : slope) into dx. */
void gan_leaky_relu_backward(float *dx, const float *dy, const float *x, float slope, size_t n);

/* ---- Exercise 9: one training step ------------------------------------- */

typedef enum {
    GAN_LOSS_NONSAT = 0,  /* G minimises -log D(G(z)) (the default) */
    GAN_LOSS_MINIMAX,     /* G minimises log(1 - D(G(z))) (saturates) */
    GAN_LOSS_LSGAN,       /* least squares */
    GAN_LOSS_HINGE        /* hinge */
} gan_loss_kind;

/* Everything one training step needs, allocated once by gan_trainer_create
 * (lessons/gan.c) so the loop allocates nothing. */
typedef struct {
    nn_model *G, *D;
    nn_adam opt_g, opt_d;
    gan_loss_kind loss;
    int d_steps;         /* discriminator updates per generator update */
    float real_label;    /* 1, or 0.9 for one-sided label smoothing */
    int latent_dim, image_dim, max_batch;
    nn_rng rng;          /* latent samples */
    float *z;            /* (max_batch, latent_dim) */
    float *fake;         /* (max_batch, image_dim): a copy of G's output */
    float *s_real;       /* (max_batch) D's logits on the real batch */
    float *s_fake;       /* (max_batch) D's logits on the fake batch */
    float *ds_real;      /* (max_batch) dL/ds_real */
    float *ds_fake;      /* (max_batch) dL/ds_fake */
    float *dfake;        /* (max_batch, image_dim) dL_G / d fake, into G */
    /* D keeps the activations of its last forward only, and backward needs
     * them: so a D update runs real and fake as ONE batch of 2*batch rows
     * (D has no batchnorm, rows do not interact: the same as two passes). */
    float *d_in;         /* (2*max_batch, image_dim): real rows, then fake rows */
    float *ds;           /* (2*max_batch) dL/ds for d_in's rows: ds_real, ds_fake */
} gan_trainer;

typedef struct {
    float d_loss;        /* the last D update's loss */
    float g_loss;        /* the G update's loss */
    float d_real;        /* mean D(x) on the last real batch */
    float d_fake;        /* mean D(G(z)) on the last fake batch, before G's update */
    float g_grad_norm;   /* L2 norm of G's parameter gradient */
    float d_grad_norm;   /* L2 norm of D's parameter gradient (last D update) */
} gan_step_stats;

/* Exercise 9. One training step: t->d_steps discriminator updates, the k-th
 * on rows [k*batch, (k+1)*batch) of real (pixels in [-1, 1]) against a fresh
 * fake batch, then one generator update through the frozen discriminator.
 * In this order:
 *   for each D update k:
 *     z = gan_sample_latent(t->rng) -> fake = gan_generate(G, z, train) (copy
 *     to t->fake) -> d_in = [real rows k; fake] -> s = gan_discriminate(D,
 *     d_in, 2*batch, train) -> d loss on (s_real, s_fake) with t->real_label
 *     -> zero D grads -> D backward of ds -> Adam(D)
 *   then, on the LAST fake batch (G still holds its activations):
 *     s = gan_discriminate(D, fake, batch, train) -> G loss -> D backward with
 *     param_grads 0 (D frozen) into t->dfake (zeroed first) -> zero G grads
 *     -> G backward of dfake -> Adam(G).
 * Losses by t->loss: NONSAT uses gan_d_loss (nn_gan_d_loss when real_label
 * < 1) and gan_g_loss; MINIMAX the same D loss and nn_gan_g_loss_minimax;
 * LSGAN and HINGE their library pairs. Fills st (d_real, d_fake: mean
 * sigmoid of the last D update's logits; grad norms: nn_norm2 of the grads
 * just before each Adam step). */
void gan_train_step(gan_trainer *t, const float *real, int batch, gan_step_stats *st);

/* ---- Exercise 13: the gradient checker (lesson 07) --------------------- */

/* A scalar function of x, e.g. a loss; ctx carries whatever else it needs. */
typedef double (*gan_scalar_fn)(const float *x, void *ctx);

/* Exercise 13. Check a backward pass by central differences: for each i,
 * numeric[i] = (f(x + h e_i) - f(x - h e_i)) / 2h, putting x[i] back to its
 * exact value after each; then return the relative error of the analytic
 * gradient (n, from the backward pass) against it:
 *   max_i |analytic_i - numeric_i| / max(1e-8, max_i |analytic_i| + max_i |numeric_i|). */
double gan_grad_check(float *numeric, gan_scalar_fn f, void *ctx, float *x,
                      const float *analytic, int n, float h);

#endif
