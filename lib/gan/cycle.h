/* cycle.h - CycleGAN (Zhu et al. 2017): unpaired translation between two
 * image domains A and B, and its one training step.
 *
 * Two generators, G_ab: A -> B and G_ba: B -> A, each image to image; two
 * discriminators, D_a (is this a real A?) and D_b (a real B?). Nothing pairs
 * an image of A with one of B: the adversarial losses only ask that G_ab's
 * images look like B's as a set. The cycle-consistency loss ties each image
 * to its own translation: going there and back must give the image again,
 *   L_cyc = lambda ( mean |G_ba(G_ab(a)) - a| + mean |G_ab(G_ba(b)) - b| )
 * and the identity loss asks each generator to leave an image of its own
 * target domain alone,
 *   L_id = lambda_id ( mean |G_ab(b) - b| + mean |G_ba(a) - a| )
 * Both are exercise 25's nn_cycle_loss. The adversarial losses are least
 * squares, as the paper's (loss.h's LSGAN):
 *   L_G = mean (D_b(G_ab(a)) - 1)^2 + mean (D_a(G_ba(b)) - 1)^2 + L_cyc + L_id
 *   L_D_b = 0.5 mean (D_b(b) - 1)^2 + 0.5 mean D_b(G_ab(a))^2,   D_a likewise
 * A discriminator may give one score per image or a map of them (a PatchGAN:
 * one score per patch); every score counts as one sample in the means.
 *
 * Why a step of its own rather than nn_gan_step (gan.h): nn_gan draws G's
 * input from a latent distribution and trains one G against one D. Here each
 * generator reads images, is run two or three times per step (on its own
 * domain, on the other generator's fakes for the cycle, and on its target
 * domain when the identity loss is on), and the generators share one loss: G_ab's gradient comes from
 * D_b and through G_ba's backward. The pieces are the same: nn_model
 * forward and backward, nn_model_zero_grad, nn_model_adam_step, loss.h's
 * LSGAN losses.
 *
 *   nn_cycle_step(c, a, b):
 *     nn_cycle_g_grads: zero both G's grads;
 *       fake_b = G_ab(a) -> D_b, frozen -> adversarial gradient into fake_b
 *                        -> rec_a = G_ba(fake_b) -> cycle gradient -> G_ba
 *                           backward, adding into fake_b's gradient -> G_ab backward
 *       fake_a = G_ba(b) -> the same with the roles swapped
 *       [lambda_id > 0: id_b = G_ab(b), id_a = G_ba(a) -> identity gradients]
 *     Adam(G_ab), Adam(G_ba)
 *     nn_cycle_d_update(D_b, b, fake_b), nn_cycle_d_update(D_a, a, fake_a)
 *
 * Each forward of a generator is followed by its own backward before the
 * generator runs again: a model keeps only its last forward's activations.
 * The discriminators learn from this step's fakes; the paper's pool of 50
 * past fakes is left out. Everything is allocated at create time: the step
 * allocates nothing.
 */
#ifndef NN_CYCLE_H
#define NN_CYCLE_H

#include <stdint.h>
#include "base/common.h"
#include "nn/init.h"
#include "nn/model.h"
#include "nn/optim.h"

typedef struct {
    float lambda_cycle;   /* weight of the cycle-consistency loss: 10 (the paper) */
    float lambda_id;      /* weight of the identity loss: 0.5 lambda_cycle (the paper) */
    float lr_g, lr_d;     /* Adam learning rates: 2e-4 */
    float beta1, beta2;   /* Adam betas: 0.5, 0.999 */
    int batch;            /* images of each domain per step */
} nn_cycle_config;

/* The paper's settings, with a batch of 16 (the paper's is 1). */
nn_cycle_config nn_cycle_config_default(void);

typedef struct {
    nn_cycle_config cfg;
    nn_model *G_ab, *G_ba;   /* (batch, dim) -> (batch, dim), tanh images */
    nn_model *D_a, *D_b;     /* (batch, dim) -> (batch, d_out) scores */
    nn_adam opt_g, opt_d;
    int dim;                 /* features of one image */
    int d_out;               /* scores D gives one image: 1, or a PatchGAN's map */
    float *fake_a, *fake_b;  /* (batch, dim) this step's translations G_ba(b), G_ab(a) */
    float *dfake;            /* (batch, dim) d L_G / d fake */
    float *drec;             /* (batch, dim) d L / d reconstruction or identity image */
    float *s_real;           /* (batch, d_out) D's scores on the real batch */
    float *ds_real, *ds_fake;   /* (batch, d_out) loss gradients */
    long steps;
} nn_cycle;

/* What one step did. The generators' losses are those before the update. */
typedef struct {
    float d_a, d_b;          /* D_a's and D_b's LSGAN losses */
    float adv_ab, adv_ba;    /* G_ab's adversarial loss against D_b, G_ba's against D_a */
    float cyc_a, cyc_b;      /* lambda mean |G_ba(G_ab(a)) - a|, lambda mean |G_ab(G_ba(b)) - b|;
                              * 0 when lambda_cycle is 0 (not computed) */
    float id_a, id_b;        /* lambda_id mean |G_ba(a) - a|, lambda_id mean |G_ab(b) - b| */
    float g_loss;            /* the sum of the six */
} nn_cycle_stats;

/* Exercise 25. The cycle-consistency loss, L1 as the paper's, of a
 * reconstruction rec (n) against the original x (n), and its gradient:
 *   L = lambda mean_i |rec_i - x_i|,   dL/drec_i = lambda sign(rec_i - x_i) / n
 * with sign(0) = 0 (torch's gradient of |.| at 0). drec is written (=, not
 * +=) unless NULL. The identity loss is the same function with its own
 * weight. */
float nn_cycle_loss(float *drec, const float *rec, const float *x, int n, float lambda);

/* Takes ownership of the four networks (even when it fails): G_ab and G_ba
 * map dim features to dim, D_a and D_b read dim and give d_out scores, all
 * for at least cfg->batch rows. Initialises them with nn_model_init(init)
 * from streams 1 (G_ab), 2 (G_ba), 3 (D_a), 4 (D_b) of seed and allocates
 * every buffer. NULL with err filled on a mismatch (named) or no memory.
 * Free with nn_cycle_free. */
nn_cycle *nn_cycle_create(nn_model *G_ab, nn_model *G_ba, nn_model *D_a, nn_model *D_b,
                          const nn_cycle_config *cfg, nn_init_kind init, uint64_t seed,
                          nn_error *err);
void nn_cycle_free(nn_cycle *c); /* accepts NULL */

/* The generators' loss L_G on real batches a and b (batch, dim) each, and
 * its gradient in G_ab->grads and G_ba->grads (zeroed first); the
 * discriminators are frozen (their grads untouched). Leaves the
 * translations in c->fake_b and c->fake_a. Fills st's generator fields. */
float nn_cycle_g_grads(nn_cycle *c, const float *a, const float *b, nn_cycle_stats *st);

/* One LSGAN update of discriminator D on a real batch and the fakes (batch,
 * dim each), real and fake through D one after the other. Returns its loss. */
float nn_cycle_d_update(nn_cycle *c, nn_model *D, const float *real, const float *fake);

/* One training step (drawn above): both generators, then D_b and D_a.
 * Fills st. */
void nn_cycle_step(nn_cycle *c, const float *a, const float *b, nn_cycle_stats *st);

#endif
