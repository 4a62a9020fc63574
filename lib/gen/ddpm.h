/* ddpm.h - a denoising diffusion model (Ho et al. 2020, DDPM) on points of
 * any dimension: 2-D toy sets, or images as points of one number a pixel.
 *
 * The forward process adds Gaussian noise in T small steps, beta_t rising
 * linearly from beta_1 to beta_T; with alpha_t = 1 - beta_t and abar_t the
 * product of alpha_1..alpha_t, a noised point is drawn in one go:
 *   q(x_t | x_0) = N(sqrt(abar_t) x_0, (1 - abar_t) I)
 *   x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps,   eps ~ N(0, I)
 * and abar_T is close to 0, so x_T is close to N(0, I). A network
 * eps_theta(x_t, t) learns to predict the noise eps from the noised point
 * and the step, read through a sinusoidal time embedding; the "simple"
 * loss is the squared error  || eps - eps_theta(x_t, t) ||^2  (exercise 29)
 * at a random t: Ho et al. draw it uniform in 1..T; t = 1 + floor(T u^p),
 * u uniform, with p > 1 draws the small t more often, where the last
 * steps of sampling must place a point within a narrow mode (p = 1 is
 * Ho et al.'s). Sampling runs the chain backwards from x_T ~
 * N(0, I), one network pass per step (ancestral sampling, exercise 30):
 *   x_{t-1} = (x_t - beta_t / sqrt(1 - abar_t) eps_theta) / sqrt(alpha_t)
 *             + sigma_t z,   z ~ N(0, I), no z at t = 1
 * with sigma_t^2 = (1 - abar_{t-1}) / (1 - abar_t) beta_t, the variance of
 * the true posterior q(x_{t-1} | x_t, x_0) (Ho et al.'s second choice; the
 * first, beta_t, adds at the last steps noise larger than a narrow mode).
 * Points are divided by `scale` first (the data's spread) and multiplied
 * back at the end. With `skip` set, the network learns only what the
 * best linear guess misses:
 *   eps_theta(x_t, t) = sqrt(1 - abar_t) x_t + net(x_t, t)
 * (sqrt(1 - abar_t) x_t is E[eps | x_t] when x_0 has unit variance): an
 * MLP narrower than the point (784 pixels through 512 units) cannot pass
 * x_t's 784 noise numbers through to its output by itself, and at large t
 * that pass-through is almost the whole answer. Not an nn_gan: one network,
 * one loss, Adam.
 */
#ifndef NN_DDPM_H
#define NN_DDPM_H

#include <stdint.h>
#include "base/common.h"
#include "base/rng.h"
#include "nn/model.h"
#include "nn/optim.h"

/* Exercise 29: noised points xt (n, dim) from x0 and eps (n, dim), each row
 * i at its own abar[i]:  xt = sqrt(abar) x0 + sqrt(1 - abar) eps */
void nn_ddpm_noise(float *xt, const float *x0, const float *eps, const float *abar, int n,
                   int dim);

/* Exercise 29: the simple loss, the mean over the n rows of the squared
 * distance between predicted and true noise (pred, eps: (n, dim)):
 *   L = (1/n) sum_i || pred_i - eps_i ||^2
 * Its gradient ADDED into dpred (n, dim) when not NULL: 2 (pred - eps) / n. */
float nn_ddpm_loss(float *dpred, const float *pred, const float *eps, int n, int dim);

/* Exercise 30: one step of ancestral sampling, from x_t to x_{t-1}, for n
 * rows of dim numbers, with the step's beta, abar (abar_t, this step
 * included) and abar_prev (abar_{t-1}; 1 at t = 1):
 *   x_prev = (xt - beta / sqrt(1 - abar) eps_hat) / sqrt(1 - beta) + sigma z,
 *   sigma^2 = (1 - abar_prev) / (1 - abar) beta
 * z (n, dim) is fresh N(0, 1) noise, NULL at the last step (t = 1). */
void nn_ddpm_step(float *x_prev, const float *xt, const float *eps_hat, const float *z,
                  float beta, float abar, float abar_prev, int n, int dim);

typedef struct {
    int dim;          /* numbers per point (2) */
    int T;            /* diffusion steps */
    float beta_1, beta_T; /* the linear schedule's ends */
    int temb;         /* width of the time embedding, even */
    float t_power;    /* p of the training steps' draw, >= 1 (1: uniform) */
    int hidden;       /* width of the network's three hidden layers */
    float scale;      /* points are divided by it first, > 0 */
    int skip;         /* 1: eps_theta = sqrt(1 - abar_t) x_t + net (see above); 0: net */
    int max_batch;
    nn_adam opt;
} nn_ddpm_config;

/* 2-D, T = 100, beta from 1e-4 to 0.1 (Ho et al.'s 1e-4..0.02 over 1000
 * steps, with 10 times fewer steps, each larger), t_power 2, embedding 16,
 * hidden 128, scale 1, no skip, batch 256, Adam lr 1e-3. */
nn_ddpm_config nn_ddpm_config_default(void);

typedef struct {
    nn_ddpm_config cfg;
    nn_model *net;    /* (n, dim + temb) -> (n, dim): eps_theta */
    float *beta, *abar; /* (T): index t - 1 holds step t's */
    float *in;        /* (max_batch, dim + temb): x_t and the embedding of t */
    float *x0, *eps, *xt, *ab, *dpred; /* (max_batch, dim), ab (max_batch) */
    float *pred;      /* (max_batch, dim): eps_theta, the network's output plus the skip */
    int *tstep;       /* (max_batch): each training point's step */
    long steps;
} nn_ddpm;

nn_ddpm *nn_ddpm_create(const nn_ddpm_config *cfg, uint64_t seed, nn_error *err);
void nn_ddpm_free(nn_ddpm *d); /* accepts NULL */

/* The embedding of step t (temb numbers): sin and cos of t at temb / 2
 * frequencies from 1 down to 1/1000 (Vaswani et al.'s positions). */
void nn_ddpm_embed(float *out, int t, int temb);

/* eps_theta(x_t, t) for the n <= max_batch rows of xt (n, dim), in the
 * model's units (x / scale), all at step t (1..T): into eps_hat (n, dim). */
void nn_ddpm_predict(nn_ddpm *d, float *eps_hat, const float *xt, int t, int n);

/* One Adam step of the simple loss on x (n, dim), n <= max_batch: a step t
 * and a noise eps per point from r. Returns the loss before the step. */
float nn_ddpm_train_step(nn_ddpm *d, const float *x, int n, nn_rng *r);

/* n samples x (n, dim), any n: T network passes per batch of max_batch. */
void nn_ddpm_sample(nn_ddpm *d, float *x, int n, nn_rng *r);

/* The variational bound of Ho et al. (their eq. 5) on the mean log p(x) of x
 * (n, dim), any n, in nats of x's units: the KL of x_T from N(0, I), the
 * T - 1 Gaussian KLs of each reverse step (variance sigma_t^2, the true
 * posterior's, so only the means differ) from the true
 * posterior q(x_{t-1} | x_t, x_0), and -log p(x_0 | x_1) (variance beta_1),
 * each with one
 * draw of x_t per point from r. T network passes per point. */
double nn_ddpm_bound(nn_ddpm *d, const float *x, int n, nn_rng *r);

#endif
