/* gan.h - a GAN: two networks, their optimizers, and one training step.
 *
 * Every GAN of the course is an nn_gan: lesson 06's Fashion-MNIST MLPs,
 * lesson 08's saturation runs, lesson 09's 2-D toys with their fixes, the
 * benchmark and the tests. The step is written once, in the plain order of
 * the game (docs/architecture.md draws it):
 *
 *   for each of d_steps D updates:                       nn_gan_d_update
 *     z = nn_sample_latent -> fake = G(z)
 *     s_real = D(real) -> backward;  s_fake = D(fake) -> backward
 *     (+ gradient penalty) -> Adam(D)
 *   nn_gan_g_update:
 *     s = D(fake), D frozen -> G's loss -> gradient into fake -> G backward
 *     -> Adam(G)
 *
 * Variants are options of that step, not copies of it: the objective, label
 * smoothing, the gradient penalty, packing (D judges `pack` samples as one
 * input), unrolling (G answers the D that k more updates would give), and
 * steering: a conditional GAN (both players read a class label) or InfoGAN
 * (G reads codes that a head Q on D's body must read back).
 *
 * Several functions here are the course's exercises (marked "exercise N"):
 * the library declares them and calls them on its normal path, and each
 * build defines them once, from solutions/ (the default) or from the
 * student's exercises/ (make ... USE=exercises).
 */
#ifndef NN_GAN_H
#define NN_GAN_H

#include <stdint.h>
#include "base/common.h"
#include "nn/gradpen.h"
#include "nn/init.h"
#include "nn/model.h"
#include "nn/optim.h"
#include "base/rng.h"

/* ------------------------------------------------------------ the networks */

#define NN_GAN_MAX_HIDDEN 8

/* How G is told what to draw, beyond z. */
typedef enum {
    NN_GAN_FREE = 0,     /* G reads z only */
    NN_GAN_CONDITIONAL,  /* a label y: G reads [z, one-hot(y)], D reads [x, one-hot(y)]
                          * (Mirza and Osindero 2014) */
    NN_GAN_INFOGAN       /* codes: G reads [z, c_cont, one-hot(c)]; D's last layer has
                          * n_classes + n_cont more outputs, Q's head, which must read the
                          * codes back (Chen et al. 2016) */
} nn_gan_steer;

/* The shape of an MLP generator and discriminator. */
typedef struct {
    int latent_dim;                     /* z's dimension */
    int data_dim;                       /* one sample: 784 for 28x28 images, 2 for points */
    int g_hidden[NN_GAN_MAX_HIDDEN];    /* G's hidden widths, first to last */
    int n_g_hidden;
    int g_batchnorm;                    /* 1: batchnorm after each of G's hidden linears */
    float g_slope;                      /* G's activation: leaky ReLU(g_slope); 0 is a ReLU */
    int g_tanh;                         /* 1: tanh on G's output (pixels in [-1, 1]) */
    int d_hidden[NN_GAN_MAX_HIDDEN];    /* D's hidden widths */
    int n_d_hidden;
    float d_slope;                      /* D's leaky ReLU slope */
    float d_dropout;                    /* drop probability after D's activations, 0: none */
    int d_mbstd;                        /* 1: a minibatch-stddev feature before D's output */
    int pack;                           /* D judges pack samples at once (PacGAN); 1: one */
    nn_gan_steer steer;                 /* NN_GAN_FREE unless conditioned or InfoGAN */
    int n_classes;                      /* K: labels, or values of InfoGAN's categorical code */
    int n_cont;                         /* InfoGAN's continuous codes, uniform on [-1, 1] */
    int q_head;                         /* conditional: 1 gives D InfoGAN's head Q for the
                                         * label too (an auxiliary classifier of the fakes,
                                         * trained on the information loss); InfoGAN always
                                         * has it */
} nn_gan_arch;

/* Exercise 1. Fill z (batch, dim) with samples of N(0, 1) from rng, in row
 * order: the latent vectors the generator turns into samples. */
void nn_sample_latent(float *z, int batch, int dim, nn_rng *rng);

/* Exercise 2. The generator: for each hidden width h, linear to h, then
 * batchnorm (if g_batchnorm), then the activation (leaky ReLU(g_slope), or
 * ReLU when g_slope is 0); then linear to data_dim, and tanh if g_tanh.
 * Input width latent_dim. NULL with err filled on failure. */
nn_model *nn_gan_build_generator(const nn_gan_arch *a, int max_batch, nn_error *err);

/* Exercise 4. The discriminator: input pack * data_dim; for each hidden
 * width h, linear to h, leaky ReLU(d_slope), then dropout(d_dropout) if it
 * is > 0; then minibatch stddev if d_mbstd; then linear to 1: a logit, not a
 * probability (the losses take logits). NULL with err filled on failure. */
nn_model *nn_gan_build_discriminator(const nn_gan_arch *a, int max_batch, nn_error *err);

/* Exercise 19. The rows a conditioned network reads: out (n, dim + k),
 * row i = [x_i, one-hot(y_i)], x (n, dim), labels y (n) in [0, k). G reads
 * [z, one-hot(y)], a conditional D reads [x, one-hot(y)]. */
void nn_gan_condition(float *out, const float *x, const int *y, int n, int dim, int k);

/* Widths a steered architecture gives its networks: G's input (latent_dim +
 * n_cont + n_classes when steered), D's input per sample (data_dim, + n_classes
 * when conditional) and D's output per input (1, + n_classes + n_cont for
 * InfoGAN: column 0 is the logit, then Q's categorical logits, then Q's
 * estimates of the continuous codes); a conditional GAN with q_head has
 * Q's n_classes logits too. */
int nn_gan_g_in(const nn_gan_arch *a);
int nn_gan_d_in(const nn_gan_arch *a);
int nn_gan_d_out(const nn_gan_arch *a);

/* NN_OK, or NN_ERR_ARG naming the field: a steered GAN needs n_classes >= 2,
 * pack 1 and, unless it is an InfoGAN, no continuous codes. Part of
 * nn_gan_arch_check. */
nn_status nn_gan_steer_check(const nn_gan_arch *a, nn_error *err);

/* Checks an architecture before anything is built: NN_OK, or NN_ERR_ARG
 * with a message naming the field. */
nn_status nn_gan_arch_check(const nn_gan_arch *a, nn_error *err);

/* Parameters of G (which_d 0) or D (which_d 1) built from a, without
 * building them. */
size_t nn_gan_arch_param_count(const nn_gan_arch *a, int which_d);

/* ------------------------------------------------------------ the game */

typedef enum {
    NN_GAN_NONSAT = 0,   /* G minimises -log D(G(z)) (Goodfellow et al.'s fix) */
    NN_GAN_MINIMAX,      /* G minimises log(1 - D(G(z))): the game as written; saturates */
    NN_GAN_LSGAN,        /* least squares (Mao et al. 2017) */
    NN_GAN_HINGE,        /* hinge (Lim & Ye 2017) */
    NN_GAN_WASSERSTEIN   /* a critic's scores (Arjovsky et al. 2017) */
} nn_gan_objective;
#define NN_GAN_N_OBJECTIVES 5

/* "nonsat", "minimax", "lsgan", "hinge", "wasserstein". */
const char *nn_gan_objective_name(nn_gan_objective k);
/* name -> objective: 0, or -1 for an unknown name (k untouched). */
int nn_gan_objective_parse(const char *name, nn_gan_objective *k);

/* Everything that defines a training run but the networks and the seed. */
typedef struct {
    nn_gan_objective objective;
    float lr_g, lr_d;      /* Adam learning rates */
    float beta1, beta2;    /* Adam betas, for both players */
    int batch;             /* D inputs per update (each one of arch.pack samples) */
    int d_steps;           /* D updates per G update */
    float real_label;      /* 1, or < 1: one-sided label smoothing (nonsat, minimax) */
    float gp_lambda;       /* > 0: WGAN-GP's gradient penalty with this weight */
    int unroll;            /* 0, or k: G is scored against the D of k more updates */
    int grad_norms;        /* 1: the stats carry both gradients' L2 norms (a pass over
                            * every parameter of each network); 0: they read -1 */
    int rmsprop;           /* 0: Adam; 1: RMSProp (alpha 0.99, the original WGAN's), both
                            * players, at lr_g and lr_d; beta1 and beta2 unused */
    float clip;            /* > 0: D's parameters clamped to [-clip, clip] after each of
                            * its updates (WGAN's weight clipping, exercise 17) */
    float instance_noise;  /* > 0: N(0, this^2) noise added to every input D reads, real
                            * and fake (Sonderby et al. 2017); a schedule may lower it
                            * between steps (g->cfg.instance_noise) */
    float info_lambda;     /* weight of the categorical information loss (Q's head) */
    float info_lambda_cont;/* InfoGAN: weight of the continuous codes' loss */
} nn_gan_config;

/* The DCGAN recipe: non-saturating, Adam 2e-4 with betas (0.5, 0.999),
 * batch 64, one D update per G update, no smoothing, penalty or unrolling;
 * InfoGAN's weights 1 (categorical) and 0.1 (continuous). */
nn_gan_config nn_gan_config_default(void);

/* ------------------------------------------------------------ the options' state
 * The step's core needs the buffers in nn_gan itself; each option keeps what
 * it needs in a struct of its own, set up by nn_gan_create when the option is
 * on (lib/gan/gan_options.h) and zero otherwise. */

/* Steering (a conditional GAN or InfoGAN): what G is asked for, the rows built
 * from it, and the logit column of a D with Q's head. */
typedef struct {
    int *labels;           /* (batch * pack) the class or code value each fake was asked
                            * for */
    float *codes;          /* (batch * pack, n_cont) InfoGAN's continuous codes */
    float *zc;             /* (batch * pack, latent_dim + n_cont) InfoGAN: [z, codes] */
    float *g_in;           /* (batch * pack, g_in) G's input rows */
    float *dgen;           /* (batch * pack, data_dim) conditional: dfake without the
                            * label columns, what G's backward reads */
    float *cols;           /* (4 * batch) column 0 of D's outputs and gradients, when D
                            * has Q's head (d_out > 1) */
} nn_gan_steering;

/* WGAN-GP's gradient penalty (cfg.gp_lambda > 0). */
typedef struct {
    nn_gradpen gp;         /* the penalty's scratch over D */
    float *interp;         /* (batch, pack * d_in) points between real and fake */
    float *eps;            /* (batch) their weights */
} nn_gan_penalty_state;

/* Instance noise. Set up for every GAN: a schedule may turn the noise on or
 * down between steps (g->cfg.instance_noise). */
typedef struct {
    float *noisy;          /* (batch, pack * d_in) an input with the noise added */
    nn_rng rng;            /* its own stream, so the latent draws stay put */
} nn_gan_noise;

/* Unrolling (cfg.unroll > 0). */
typedef struct {
    nn_model *D;           /* the copy of D the look-ahead updates are taken on */
} nn_gan_unrolling;

typedef struct {
    nn_gan_config cfg;
    nn_gan_arch arch;
    nn_model *G;           /* (batch * pack, g_in) -> (batch * pack, data_dim) */
    nn_model *D;           /* (batch, pack * d_in) -> (batch, d_out); see nn_gan_d_in */
    nn_adam opt_g, opt_d;  /* a schedule may change their lr between steps */
    nn_rng rng;            /* latent vectors, labels and codes, interpolation weights */
    float *z;              /* (batch * pack, latent_dim) */
    float *fake;           /* (batch * pack, d_in): G's last output as D reads it (a
                            * conditional GAN's with the one-hot labels after it) */
    float *dfake;          /* (batch * pack, d_in): dL_G / d fake */
    float *s_real;         /* (batch, d_out) D's outputs on the real batch */
    float *ds_real;        /* (batch, d_out) dL_D / ds_real */
    float *ds_fake;        /* (batch, d_out) dL / ds_fake */
    float *ds_unused;      /* (batch, d_out) the half of a loss's gradient not wanted yet */
    nn_gan_steering steering;
    nn_gan_penalty_state penalty;
    nn_gan_noise noise;
    nn_gan_unrolling unrolled;
    long steps;            /* G updates taken */
} nn_gan;

/* What one step did, for logs and plots. */
typedef struct {
    float d_loss;          /* the last D update's loss (penalty included) */
    float g_loss;          /* the G update's loss */
    float d_real;          /* mean sigmoid(D(x)) on the last real batch */
    float d_fake;          /* mean sigmoid(D(G(z))) on the last fake batch, before G's update */
    float d_grad_norm;     /* L2 norm of D's parameter gradient, last update; -1 unless
                            * cfg.grad_norms */
    float g_grad_norm;     /* L2 norm of G's parameter gradient; likewise */
} nn_gan_stats;

/* Builds G and D from arch through nn_gan_build_generator and
 * nn_gan_build_discriminator, initialises them with nn_model_init(init) (G
 * from stream 1 of seed, D from stream 2), seeds the latent stream (3) and
 * the dropout streams (G 4, D 5), and allocates every buffer, so training
 * allocates nothing. NULL with err filled on a bad value (named) or no
 * memory. Free with nn_gan_free. */
nn_gan *nn_gan_create(const nn_gan_arch *arch, const nn_gan_config *cfg, nn_init_kind init,
                      uint64_t seed, nn_error *err);
void nn_gan_free(nn_gan *g); /* accepts NULL */

/* The same for networks the caller built (convolutional ones, say): takes
 * ownership of G (latent -> data_dim, at least batch * pack rows) and D
 * (pack * data_dim -> 1, at least batch rows), even when it fails;
 * g->arch then holds only latent_dim, data_dim and pack. */
nn_gan *nn_gan_create_from(nn_model *G, nn_model *D, const nn_gan_config *cfg,
                           nn_init_kind init, uint64_t seed, nn_error *err);

/* The rows G reads for the fakes of one D update, after nn_sample_latent
 * has filled g->z: g->z itself for a free GAN; for a steered one, labels
 * (uniform over n_classes) and continuous codes drawn from g->rng into
 * g->steering.labels and .codes, and the rows [z, codes, one-hot(label)]
 * built in g->steering.g_in with nn_gan_condition. */
const float *nn_gan_g_input(nn_gan *g);

/* Keeps G's output fake (batch * pack, data_dim) in g->fake as D reads it:
 * a copy, and for a conditional GAN [fake, one-hot(label)] (exercise 19). */
void nn_gan_keep_fakes(nn_gan *g, const float *fake);

/* The gradient G's backward reads, (batch * pack, data_dim), once D's
 * backward has filled g->dfake: g->dfake itself, or for a conditional GAN its
 * first data_dim columns (the label columns are inputs, not G's output). */
const float *nn_gan_fake_grad(nn_gan *g);

/* Real batches one step reads: d_steps, plus unroll for the unrolled D.
 * nn_gan_step takes them one after another, each (batch, pack * data_dim). */
int nn_gan_real_batches(const nn_gan *g);

/* ------------------------------------------------------------ the step (exercise 9) */

/* One D update of discriminator D (g->D, or the unrolled copy) on one real
 * batch (batch, pack * d_in: a conditional GAN's real rows are [x, one-hot(y)],
 * built by the caller with nn_gan_condition) against fresh fakes; leaves the fakes in
 * g->fake and their activations in G; fills st's D fields. Returns D's loss. */
float nn_gan_d_update(nn_gan *g, nn_model *D, const float *real, nn_gan_stats *st);

/* One G update against discriminator D, frozen, on the fakes of the last D
 * update (G still holds their activations). Fills st->g_grad_norm. Returns
 * G's loss. */
float nn_gan_g_update(nn_gan *g, nn_model *D, nn_gan_stats *st);

/* One training step: d_steps D updates, then (after unrolling, if asked) one
 * G update. real holds nn_gan_real_batches(g) batches. */
void nn_gan_step(nn_gan *g, const float *real, nn_gan_stats *st);

/* ------------------------------------------------------------ what the step plugs in */

/* D's loss under g's objective on D's outputs for n real and n fake inputs,
 * rows of d_out (column 0 the logit); writes both gradients (dL/ds, same
 * shape). Label smoothing applies to nonsat and minimax. InfoGAN adds the
 * information loss of Q's columns on the fake rows against the labels and
 * codes in g->steering (nn_gan_info_loss); the real rows' Q columns get no gradient. */
float nn_gan_d_objective(const nn_gan *g, float *ds_real, float *ds_fake, const float *s_real,
                         const float *s_fake, int n);

/* G's loss under g's objective on D's outputs s (n, d_out) at the fakes,
 * plus InfoGAN's information loss; writes ds (n, d_out). */
float nn_gan_g_objective(const nn_gan *g, float *ds, const float *s, int n);

/* What D reads for the batch x (batch, pack * d_in): x itself, or, under
 * cfg.instance_noise > 0, x plus fresh Gaussian noise on its data columns (a
 * conditional D's label columns are copied as they are) in g->noise.noisy (valid
 * until the next call). The gradient into x is the gradient into what D read. */
const float *nn_gan_d_input(nn_gan *g, const float *x);

/* The parameter update after D's backward: Adam (or RMSProp, cfg.rmsprop) at
 * g->opt_d's rate and weight decay, then, under cfg.clip > 0, every parameter
 * of D clamped to [-clip, clip] (nn_clip_weights, exercise 17). Returns how
 * many parameters the clamp moved (0 without clipping). */
size_t nn_gan_d_optimize(nn_gan *g, nn_model *D);

/* The same for G, at g->opt_g's rate; never clipped. */
void nn_gan_g_optimize(nn_gan *g);
/* The information loss on D's outputs s (n, d_out) at the fakes, when D
 * has Q's head (InfoGAN, or a conditional GAN with q_head):
 *   info_lambda * CE(Q's categorical logits, g->steering.labels)
 *     + info_lambda_cont * 1/2 mean_i |Q's continuous estimates_i - codes_i|^2
 * (a unit-variance Gaussian for the continuous codes, as in the paper's
 * code); minimising it maximises the lower bound on the mutual information
 * between codes and samples. Writes its gradient into Q's columns of ds
 * (column 0 untouched). 0 when D has no Q head. */
float nn_gan_info_loss(const nn_gan *g, float *ds, const float *s, int n);

/* WGAN-GP's penalty on D at random points between real and g->fake (one
 * uniform weight per D input); adds its weight gradient into D's grads and
 * returns it. Only when cfg.gp_lambda > 0. */
float nn_gan_penalty(nn_gan *g, nn_model *D, const float *real);

/* Starts an unrolled look-ahead: g->unrolled.D becomes a copy of g->D, Adam state
 * included, and is returned; the k updates are then taken on it. */
nn_model *nn_gan_unroll_start(nn_gan *g);

#endif
