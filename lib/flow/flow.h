/* flow.h - a normalising flow on 2-D points (RealNVP, Dinh et al. 2017).
 *
 * A flow is an invertible map f from data x to a base point z = f(x) whose
 * density is known, here N(0, I). The change of variables gives the exact
 * density of the data:
 *   log p(x) = log N(f(x); 0, I) + log |det df/dx|
 * f is a chain: a fixed division by `scale` (the data's spread, so the
 * networks see numbers of order 1), then K affine coupling layers. Layer k
 * keeps one coordinate (k even: x_0, odd: x_1) and moves the other by an
 * affine map whose log-scale s and shift t a small MLP reads off the kept
 * coordinate:
 *   y_keep = x_keep,   y_other = x_other exp(s) + t,   (s, t) = NN_k(x_keep)
 * Its Jacobian is triangular (y_keep does not depend on x_other), so its
 * determinant is the product of the diagonal, 1 * exp(s): log |det| = s, one
 * addition per point instead of a determinant, and the inverse needs no
 * inverse of the network:  x_other = (y_other - t) exp(-s).
 * s = s_max tanh(a / s_max) of the network's first output a: about a near
 * 0, never beyond +-s_max, so exp(s) can neither overflow nor reach 0 when a
 * step of the optimizer throws a network's output far off.
 * Training: Adam on the mean negative log-likelihood of a batch, with the
 * backward written out through the coupling maths into each network.
 * Every buffer is allocated by nn_flow_create, for up to max_batch points
 * per call (the density functions take any n and go max_batch at a time).
 * Not an nn_gan (lib/gan/gan.h): there is no discriminator and no game, one
 * loss of one model, so the GAN step has nothing to drive; each network is
 * an nn_model, with its forward, backward and Adam step.
 */
#ifndef NN_FLOW_H
#define NN_FLOW_H

#include <stddef.h>
#include <stdint.h>
#include "base/common.h"
#include "nn/model.h"
#include "nn/optim.h"
#include "base/rng.h"

/* Exercise 27: one affine coupling layer on n points x (n, 2), with the
 * per-point log-scale s (n) and shift t (n) already computed from the kept
 * coordinate `keep` (0 or 1); `other` = 1 - keep.
 *   forward:  y_keep = x_keep,  y_other = x_other exp(s) + t,  logdet_i += s_i
 *   inverse:  x_keep = y_keep,  x_other = (y_other - t) exp(-s), logdet_i -= s_i
 * (the inverse's log-determinant is minus the forward's). logdet (n) is
 * added to, not written, and may be NULL. y and x must not overlap. */
void nn_coupling_forward(float *y, float *logdet, const float *x, const float *s,
                         const float *t, int n, int keep);
void nn_coupling_inverse(float *x, float *logdet, const float *y, const float *s,
                         const float *t, int n, int keep);

typedef struct {
    int layers;       /* K coupling layers, >= 1 (6 to 8 for the toy sets) */
    int hidden;       /* width of each network's two hidden layers */
    float slope;      /* their leaky ReLUs' negative slope */
    float s_max;      /* bound on |s| per layer, > 0 */
    float scale;      /* x is divided by it first, > 0 */
    int max_batch;    /* most points per training step or forward call */
    nn_adam opt;      /* every network's optimizer */
} nn_flow_config;

/* 8 layers, networks 1 -> 64 -> 64 -> 2 with leaky ReLU 0.2, s_max 2,
 * scale 1, batch 512, Adam lr 1e-3 betas (0.9, 0.999). */
nn_flow_config nn_flow_config_default(void);

typedef struct {
    nn_flow_config cfg;
    nn_model **net;   /* (K) networks x_keep (1) -> hidden -> hidden -> (a, t) (2) */
    float *act;       /* (K + 1, max_batch, 2): x / scale, each layer's output; the last is z */
    float *keep_in;   /* (K, max_batch): each network's input column, kept for backward */
    float *s, *t;     /* (K, max_batch): each layer's log-scale and shift */
    float *logdet;    /* (max_batch): sum over layers of s, plus -2 log scale */
    float *gy, *gx;   /* (max_batch, 2): dL/d(a layer's output), dL/d(its input) */
    float *gh;        /* (max_batch, 2): dL/d(a network's output) */
    float *gk;        /* (max_batch): dL/d(a network's input) */
    long steps;       /* Adam steps taken */
} nn_flow;

/* Builds the networks (torch's default init from stream 0 of seed; the last
 * layer of each starts at zero, so the untrained flow is the plain scaling
 * and z = x / scale). NULL with err filled for a bad config or no memory. */
nn_flow *nn_flow_create(const nn_flow_config *cfg, uint64_t seed, nn_error *err);
void nn_flow_free(nn_flow *f); /* accepts NULL */

/* z = f(x) (n, 2) and log p(x) (n), either may be NULL; n <= max_batch.
 * Keeps what backward needs. */
void nn_flow_forward(nn_flow *f, float *z, float *logp, const float *x, int n);

/* The mean negative log-likelihood of x (n, 2), n <= max_batch:
 *   L = -(1/n) sum_i log p(x_i)
 * with its gradient ADDED into every network's grads and, when dx is not
 * NULL, into dx (n, 2). Zero the networks' grads first (nn_flow_zero_grad). */
float nn_flow_nll_backward(nn_flow *f, float *dx, const float *x, int n);
void nn_flow_zero_grad(nn_flow *f);

/* One Adam step on the mean negative log-likelihood of x (n, 2), n <=
 * max_batch: zero grads, forward, backward, step. Returns the loss of x
 * before the step; a non-finite loss skips the step (nn_flow_diagnose says
 * what diverged). */
float nn_flow_train_step(nn_flow *f, const float *x, int n);

/* x = f^-1(z) (n, 2) for any n: the layers undone in reverse order, each by
 * nn_coupling_inverse, then times scale. */
void nn_flow_inverse(nn_flow *f, float *x, const float *z, int n);

/* n samples x (n, 2) of the flow: z ~ N(0, I) from r, x = f^-1(z). */
void nn_flow_sample(nn_flow *f, float *x, int n, nn_rng *r);

/* log p(x_i) into logp (n) for any n (max_batch at a time). */
void nn_flow_log_prob(nn_flow *f, float *logp, const float *x, int n);

/* The mean of log p over x (n, 2), any n, in double. */
double nn_flow_mean_log_prob(nn_flow *f, const float *x, int n);

/* After a non-finite loss: writes into msg one sentence naming the first
 * thing that is not finite, in the order the numbers were made (a
 * network's parameters, layer k's s or t, z, the log-determinant, then a z
 * so far out that the loss overflows a float) on the points x (n, 2),
 * n <= max_batch. Returns 1 when something was found. */
int nn_flow_diagnose(nn_flow *f, const float *x, int n, char *msg, size_t cap);

/* Parameters of every network together. */
size_t nn_flow_param_count(const nn_flow *f);

#endif
