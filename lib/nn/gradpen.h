/* gradpen.h - the gradient penalty of WGAN-GP (Gulrajani et al. 2017).
 *
 * The critic D of a WGAN must be 1-Lipschitz. WGAN-GP asks for it softly: the
 * critic's loss gains
 *     P = lambda / n * sum_i (||grad_x D(x_i)|| - 1)^2
 * at points x_i on lines between real and fake samples. P's gradient with
 * respect to D's weights is a derivative of a derivative, which frameworks
 * get by differentiating their own backward pass ("double backprop").
 *
 * For a network of linear layers and (leaky) ReLUs no second-order machinery
 * is needed. Between kinks each activation is a fixed slope, so
 *     grad_x D = W1^T S1 W2^T S2 ... W_L^T,   S_l = diag(slopes at layer l),
 * a product of matrices, and r . grad_x D has the derivative
 *     d (r . grad_x D) / d W_l = delta_l f_{l-1}^T, with
 *     delta_l = d D / d (output of linear layer l)   (a backward from 1)
 *     f_{l-1} = S_{l-1} W_{l-1} ... S_1 W_1 r        (a forward of r, no biases)
 * With r_i = d P / d grad_x D(x_i), the chain rule gives d P / d W_l as the
 * sum of those outer products over the batch: one backward, one forward and
 * one weight-gradient matmul per layer, all of them kernels the library has.
 * Biases only move the kinks, so P's gradient has no bias part (nor has it
 * in torch, a.e.).
 */
#ifndef NN_GRADPEN_H
#define NN_GRADPEN_H

#include "base/common.h"
#include "nn/model.h"

/* Scratch for one model, allocated once (nothing is allocated per step). */
typedef struct {
    int max_batch, widest;
    float *delta;   /* one (max_batch, out) block per layer: d D / d (layer output) */
    float *gx;      /* (max_batch, in): grad_x D per row */
    float *f[2];    /* (max_batch, widest): the forward of r, ping-pong */
} nn_gradpen;

/* Checks that m is linear, relu and leaky_relu layers only, ending in one
 * output, and allocates scratch for its max_batch rows. NN_ERR_ARG naming the
 * first layer it cannot handle, or NN_ERR_NOMEM. */
nn_status nn_gradpen_init(nn_gradpen *gp, const nn_model *m, nn_error *err);
void nn_gradpen_free(nn_gradpen *gp); /* frees the scratch; safe on a zeroed gp */

/* Exercise 18, the penalty's two pieces the student writes:
 *
 * The interpolates, one weight eps_i in [0, 1] per row of w values:
 *   x_hat_i = eps_i real_i + (1 - eps_i) fake_i                 (n, w)    */
void nn_gradpen_interpolate(float *x_hat, const float *real, const float *fake,
                            const float *eps, int n, int w);

/* The penalty on the input gradients g (n, w), g_i = grad_x D(x_hat_i):
 *   P = lambda / n sum_i (||g_i|| - 1)^2
 * WRITES r (n, w) = dP / dg:  r_i = 2 lambda / n (||g_i|| - 1) g_i / ||g_i||,
 * and r_i = 0 for a row that is exactly 0 (no direction), which still adds
 * lambda / n to P. mean_norm (may be NULL) gets the mean of ||g_i||.
 * Returns P. nn_gradpen_add turns r into the weight gradient.               */
float nn_gradpen_value(float *r, const float *g, int n, int w, float lambda, float *mean_norm);

/* Runs m forward on x (n, in) and ADDS d P / d params into m->grads (weights
 * only), for P = lambda / n * sum_i (||grad_x D(x_i)|| - 1)^2. Returns P;
 * mean_norm (may be NULL) gets the mean of ||grad_x D(x_i)||. A row whose
 * gradient is exactly 0 adds lambda / n to P and nothing to the gradient
 * (the norm has no direction there). x must stay valid for the call only. */
float nn_gradpen_add(nn_gradpen *gp, nn_model *m, const float *x, int n, float lambda,
                     float *mean_norm);

#endif
