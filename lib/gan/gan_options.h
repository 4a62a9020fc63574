/* gan_options.h - how nn_gan_create sets up each option of the step, and
 * how nn_gan_free lets it go (private to the GAN's own files: gan.c, steer.c,
 * gan_penalty.c, gan_noise.c, gan_unroll.c).
 *
 * Each setup runs after the core buffers exist, fills its own struct in g
 * (see gan.h) for a batch of g->cfg.batch D inputs, and returns NN_OK or an
 * error naming what failed; each free accepts a zeroed struct. Adding an
 * option adds a struct in gan.h, a pair here and a line in each of
 * nn_gan_create's and nn_gan_free's lists. */
#ifndef NN_GAN_OPTIONS_H
#define NN_GAN_OPTIONS_H

#include "gan/gan.h"

/* Steering: labels, codes and the rows G reads; nothing for a free GAN. */
nn_status nn_gan_steering_setup(nn_gan *g, nn_error *err);
void nn_gan_steering_free(nn_gan_steering *s);

/* The gradient penalty's scratch; nothing unless cfg.gp_lambda > 0. */
nn_status nn_gan_penalty_setup(nn_gan *g, nn_error *err);
void nn_gan_penalty_free(nn_gan_penalty_state *p);

/* Instance noise's buffer and its stream (stream 6 of seed). */
nn_status nn_gan_noise_setup(nn_gan *g, uint64_t seed, nn_error *err);
void nn_gan_noise_free(nn_gan_noise *n);

/* The unrolled copy of D; nothing unless cfg.unroll > 0. */
nn_status nn_gan_unrolling_setup(nn_gan *g, nn_error *err);
void nn_gan_unrolling_free(nn_gan_unrolling *u);

/* A model with m's layers, built afresh (the unrolled copy of D); out > 0
 * gives its last layer, a linear one, that many outputs instead (Q's head
 * added to D's logit). NULL with err filled on failure. */
nn_model *nn_gan_same_layers(const nn_model *m, int out, nn_error *err);

#endif
