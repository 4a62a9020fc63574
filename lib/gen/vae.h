/* vae.h - a variational autoencoder (Kingma and Welling 2014), MLP halves.
 *
 * The encoder maps x to the mean mu and log-variance lv of a diagonal
 * Gaussian q(z | x); a code is drawn from it by the reparameterisation
 *   z = mu + exp(lv / 2) eps,   eps ~ N(0, I)
 * so that the draw is a smooth function of (mu, lv) and gradients pass
 * through it (exercise 28). The decoder maps z to p(x | z): independent
 * Bernoulli pixels (logits out; images in [0, 1]) or a Gaussian of fixed
 * standard deviation sigma_x around its output (points). Training maximises
 * the evidence lower bound of one sample of z per x,
 *   ELBO(x) = E_q[log p(x | z)] - beta KL(q(z | x) || N(0, I))  <=  log p(x)
 * (at beta = 1), i.e. minimises recon + beta KL with the KL in closed form
 * (exercise 28). Samples: z ~ N(0, I), decoded; an image is the decoder's
 * mean (the Bernoulli probabilities), a point its mean plus N(0, sigma_x^2).
 * Not an nn_gan: one loss, two networks trained together by Adam.
 */
#ifndef NN_VAE_H
#define NN_VAE_H

#include <stdint.h>
#include "base/common.h"
#include "base/rng.h"
#include "nn/model.h"
#include "nn/optim.h"

/* Exercise 28: the reparameterisation, n numbers:
 *   z = mu + exp(lv / 2) eps
 * and its backward, ADDED into dmu and dlv (either may be NULL):
 *   dmu += dz,   dlv += dz eps exp(lv / 2) / 2 */
void nn_reparam_forward(float *z, const float *mu, const float *lv, const float *eps, int n);
void nn_reparam_backward(float *dmu, float *dlv, const float *dz, const float *lv,
                         const float *eps, int n);

/* Exercise 28: KL(N(mu, exp(lv)) || N(0, I)) of rows diagonal Gaussians of
 * dim numbers each (mu, lv: (rows, dim)), the mean over rows of
 *   KL_i = 1/2 sum_j (mu_ij^2 + exp(lv_ij) - 1 - lv_ij)
 * Its gradient ADDED into dmu and dlv (either may be NULL):
 *   dmu += mu / rows,   dlv += (exp(lv) - 1) / (2 rows) */
float nn_gauss_kl(float *dmu, float *dlv, const float *mu, const float *lv, int rows, int dim);

typedef enum {
    NN_VAE_BERNOULLI = 0,   /* images in [0, 1]; the decoder gives logits */
    NN_VAE_GAUSSIAN         /* points; the decoder gives the mean, sigma_x fixed */
} nn_vae_likelihood;

typedef struct {
    int in;                 /* features of x (784 for an image, 2 for a point) */
    int code;               /* width of z */
    int hidden;             /* each half's hidden layers' width */
    int layers;             /* hidden layers in each half, 1 or 2 */
    nn_vae_likelihood lik;
    float sigma_x;          /* NN_VAE_GAUSSIAN: the decoder's standard deviation */
    float beta;             /* the KL term's weight, >= 0 (1: the ELBO) */
    int max_batch;
    nn_adam opt;
} nn_vae_config;

/* Images: 784 -> 256 -> (16 + 16), 16 -> 256 -> 784, ReLU, Bernoulli, beta
 * 1, batch 64, Adam lr 1e-3. */
nn_vae_config nn_vae_config_images(void);

typedef struct {
    nn_vae_config cfg;
    nn_model *enc;          /* (n, in) -> (n, 2 code): mu, then lv, per row */
    nn_model *dec;          /* (n, code) -> (n, in): logits or the mean */
    float *mu, *lv;         /* (max_batch, code) of the last forward */
    float *eps, *z;         /* (max_batch, code) */
    float *dz, *dh;         /* (max_batch, code), (max_batch, 2 code): dL/dz, dL/d(enc out) */
    float *dmu, *dlv;       /* (max_batch, code) each */
    float *dy;              /* (max_batch, in) */
    long steps;
} nn_vae;

/* The two terms of the loss of a batch, means over its rows, in nats. */
typedef struct {
    float recon;            /* -log p(x | z) */
    float kl;               /* KL(q(z | x) || N(0, I)) */
} nn_vae_terms;

/* NULL with err filled for a bad config or no memory. Torch's default
 * initialisation from stream 0 of seed. */
nn_vae *nn_vae_create(const nn_vae_config *cfg, uint64_t seed, nn_error *err);
void nn_vae_free(nn_vae *v); /* accepts NULL */

/* recon + beta KL of x (n, in), n <= max_batch, one z per x (eps from r),
 * with its gradient written into both halves' grads (zeroed first).
 * Returns the loss, its terms in *t when not NULL. */
float nn_vae_loss_backward(nn_vae *v, const float *x, int n, nn_rng *r, nn_vae_terms *t);

/* One Adam step on recon + beta KL of x (n, in), n <= max_batch, eps from
 * r. Returns the loss before the step, its terms in *t when not NULL; a
 * non-finite loss skips the step. */
float nn_vae_train_step(nn_vae *v, const float *x, int n, nn_rng *r, nn_vae_terms *t);

/* The terms of the loss of x (n, in), any n, with one z per x from r, no
 * training: -(recon + kl) is a one-sample estimate of the ELBO, a lower
 * bound on the mean log p(x) (in expectation). */
nn_vae_terms nn_vae_evaluate(nn_vae *v, const float *x, int n, nn_rng *r);

/* mu (n, code) of q(z | x) for x (n, in), any n. */
void nn_vae_encode(nn_vae *v, float *mu, const float *x, int n);

/* The decoder's mean (n, in) for codes z (n, code), any n: probabilities
 * for Bernoulli, the point for Gaussian. */
void nn_vae_decode(nn_vae *v, float *x, const float *z, int n);

/* n samples x (n, in): z ~ N(0, I), decoded; Gaussian points get their
 * N(0, sigma_x^2) noise too. */
void nn_vae_sample(nn_vae *v, float *x, int n, nn_rng *r);

#endif
