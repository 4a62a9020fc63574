/* toygan.h - a GAN on 2-D toy data, with the classic fixes for mode collapse.
 *
 * Lesson 09 trains small MLPs on a ring or a grid of Gaussians (nn_toy) and
 * shows the generator dropping modes, then shows four fixes at work:
 *   - packing (PacGAN, Lin et al. 2018): D judges m samples at once, so a
 *     generator that repeats itself is easy to spot;
 *   - unrolling (Unrolled GAN, Metz et al. 2017): G is scored against the D
 *     that k more D updates would give (first-order version: the k updates
 *     are taken on a copy of D, and G's gradient does not flow through them);
 *   - minibatch standard deviation (Karras et al. 2018): D sees how spread out
 *     the whole batch is, through one extra feature;
 *   - a Wasserstein loss with gradient penalty (WGAN-GP, Gulrajani et al.
 *     2017): D becomes a critic scoring samples, kept 1-Lipschitz by a
 *     penalty on its input gradient (lib/gradpen), so its scores keep
 *     pulling G towards every part of the data it has not reached.
 * G and D work in standardised coordinates (data / cfg.scale), as any
 * network's inputs should be; everything that leaves toygan (samples, the
 * snapshot) is in the data's own units.
 * Every fix is an option of the library's one GAN step (nn_gan, lib/gan/gan.h):
 * toygan builds the networks' shape, draws the real batches and calls
 * nn_gan_step. Nothing is allocated after toy_gan_create.
 */
#ifndef GANSTEPS_TOYGAN_H
#define GANSTEPS_TOYGAN_H

#include <stdint.h>
#include "nn.h"
#include "data/data.h"

typedef enum {
    TOY_FIX_NONE = 0, TOY_FIX_PACK, TOY_FIX_UNROLL, TOY_FIX_MBSTD, TOY_FIX_WGANGP
} toy_fix;
#define TOY_N_FIXES 5

/* Everything that defines a run apart from the seed. */
typedef struct {
    toy_fix fix;
    nn_gan_objective loss; /* ignored under TOY_FIX_WGANGP, whose loss is its own */
    float lr;        /* Adam learning rate of G */
    float lr_d;      /* Adam learning rate of D */
    float beta1;     /* Adam beta1 (beta2 0.999) */
    int batch;       /* D inputs per step; with packing each holds `pack` samples */
    int d_steps;     /* D updates per G update */
    int latent;      /* z dim, z ~ N(0, I) */
    int g_hidden, g_layers; /* G: latent -> g_layers x (linear g_hidden, relu) -> linear 2;
                             * g_layers <= NN_GAN_MAX_HIDDEN */
    int d_hidden, d_layers; /* D: 2m -> d_layers x (linear, leaky relu) [-> mbstd] -> 1 */
    float d_slope;   /* negative slope of D's leaky ReLUs, in [0, 1) */
    int pack;        /* m, samples per D input under TOY_FIX_PACK (else 1) */
    int unroll;      /* k, D updates unrolled under TOY_FIX_UNROLL */
    float gp_lambda; /* weight of the gradient penalty under TOY_FIX_WGANGP */
    float scale;     /* G and D work in data / scale: 1 keeps the data's units; the
                      * data's spread makes their inputs and outputs of order 1 */
} toy_config;

/* The vanilla setting of lesson 09's ring demo (it collapses there); the
 * grid demo changes sizes, rates and steps (demo_make in lesson 09). */
toy_config toy_config_default(void);

/* Lesson 09's preset for its data set (the measurements behind it are by
 * demo_make in lessons/09_mode_collapse.c), which lesson 17 trains too:
 *   ring: the default, 6,000 steps;
 *   grid: G 2 x 64, D 3 x 64 with leaky slope 0.05, D's rate 5e-4, batch
 *         64, 40,000 steps.
 * Both: scale = the root mean square of a coordinate of the mode centres,
 * so G and D see inputs and outputs of order 1. *steps gets the steps. */
toy_config toy_config_preset(const nn_toy *data, int *steps);

typedef struct {
    toy_config cfg;
    int m;               /* samples per D input: cfg.pack under packing, else 1 */
    nn_gan *gan;         /* G (batch * m, latent) -> (batch * m, 2), D (batch, 2m) -> 1 */
    /* Real batches for one step, in standardised units (data / cfg.scale):
     * nn_gan_real_batches(gan) of (batch * m, 2) = (batch, 2m) each, for
     * packing is a reshape. Also the scratch of D's map in the snapshot. */
    float *real;
    long steps;          /* G updates taken */
    float d_loss, g_loss;/* of the last step (D's includes the penalty) */
    nn_gan_stats last;   /* everything the last step reported: D(x), D(G(z)) too */
} toy_gan;

/* Builds and initialises G and D (torch's default init, G from stream 1 of
 * seed, D from stream 2, data and z from stream 3). NULL with err filled on a
 * bad config (non-positive size or rate) or no memory. */
toy_gan *toy_gan_create(const toy_config *cfg, uint64_t seed, nn_error *err);
void toy_gan_free(toy_gan *t); /* accepts NULL */

/* One training step: cfg.d_steps D updates, each on fresh real and fake
 * batches, then one G update on the fakes of the last of them. */
void toy_gan_step(toy_gan *t, const nn_toy *data);

/* n samples of G (eval mode) into out (n, 2), from fresh z. */
void toy_gan_sample(toy_gan *t, float *out, int n);

/* The picture of one moment: D's output sigmoid(D(x)) on an nx x ny grid of
 * points over [x0, x1] x [y0, y1] into dmap (ny, nx) (under packing, the
 * point repeated m times; under mbstd, rows of one chunk share the feature),
 * and n = batch * m fresh samples with G's update direction at each into
 * arrows (n, 4): rows (x, y, -dL_G/dx, -dL_G/dy). Returns n. */
int toy_gan_snapshot(toy_gan *t, float *dmap, int nx, int ny, float x0, float x1, float y0,
                     float y1, float *arrows);

const char *toy_fix_name(toy_fix f);   /* "none", "pack", "unroll", "mbstd", "wgan-gp" */
/* name -> value; 0 on success, -1 for an unknown name. */
int toy_fix_parse(const char *name, toy_fix *f);

#endif
