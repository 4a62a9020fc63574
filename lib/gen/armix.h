/* armix.h - an autoregressive model of 2-D points with mixture outputs.
 *
 * The chain rule splits any density of (x1, x2) exactly:
 *   p(x1, x2) = p(x1) p(x2 | x1)
 * Each factor here is a mixture of K 1-D Gaussians. p(x1)'s weights, means
 * and log standard deviations are free parameters (a linear layer fed the
 * constant 1); p(x2 | x1)'s come out of an MLP that reads x1. Both are
 * exact densities, so log p(x) is exact and training is plain maximum
 * likelihood. Sampling is sequential: x1 first, then the network on x1,
 * then x2; a D-dimensional point needs D such steps, one after the other.
 * Points are divided by `scale` (the data's spread) first.
 */
#ifndef NN_ARMIX_H
#define NN_ARMIX_H

#include <stdint.h>
#include "base/common.h"
#include "base/rng.h"
#include "nn/model.h"
#include "nn/optim.h"

/* The bound on a component's log standard deviation: ls = B tanh(raw / B). */
#define NN_MIX_LS_BOUND 7.0f

/* -log p(x_i) of n numbers x under n 1-D mixtures, each with its own
 * parameters: row i of params (n, 3k) holds k logits a, k means m and k raw
 * log-standard deviations (ls = NN_MIX_LS_BOUND tanh(raw / NN_MIX_LS_BOUND)):
 *   p(x) = sum_j softmax(a)_j N(x; m_j, exp(ls_j)^2)
 * Writes nll (n) when not NULL and returns their sum. dparams (n, 3k), when
 * not NULL, gets (+=) the gradient of the sum times `scale`. */
double nn_mix1d_nll(float *nll, float *dparams, const float *params, const float *x, int n,
                    int k, float scale);

/* One draw from the mixture of one row of params (3k). */
float nn_mix1d_sample(const float *params, int k, nn_rng *r);

typedef struct {
    int k;            /* mixture components of each factor */
    int hidden;       /* width of the conditional's two hidden layers */
    float scale;      /* points are divided by it first, > 0 */
    int max_batch;
    nn_adam opt;
} nn_armix_config;

/* 8 components, hidden 64, scale 1, batch 256, Adam lr 1e-3. */
nn_armix_config nn_armix_config_default(void);

typedef struct {
    nn_armix_config cfg;
    nn_model *first;  /* (1, 1) -> (1, 3k): p(x1)'s parameters from the constant 1 */
    nn_model *cond;   /* (n, 1) -> (n, 3k): p(x2 | x1)'s parameters from x1 */
    float *x1, *x2;   /* (max_batch): the scaled coordinates */
    float *dp;        /* (max_batch, 3k): dL/d(the conditional's parameters) */
    float *dp1;       /* (3k): dL/d(p(x1)'s parameters) */
    long steps;
} nn_armix;

nn_armix *nn_armix_create(const nn_armix_config *cfg, uint64_t seed, nn_error *err);
void nn_armix_free(nn_armix *a); /* accepts NULL */

/* One Adam step on the mean -log p of x (n, 2), n <= max_batch. Returns it. */
float nn_armix_train_step(nn_armix *a, const float *x, int n);

/* log p(x_i) into logp (n) for x (n, 2), any n, exact. */
void nn_armix_log_prob(nn_armix *a, float *logp, const float *x, int n);

/* The mean log p(x) over x (n, 2), any n, exact, in double. */
double nn_armix_mean_log_prob(nn_armix *a, const float *x, int n);

/* n samples x (n, 2), x1 then x2 given x1. */
void nn_armix_sample(nn_armix *a, float *x, int n, nn_rng *r);

#endif
