/* layers.h - forward and backward of each layer, side by side.
 *
 * Conventions: outputs first, then inputs, then sizes. Backward
 * ADDS into its gradients (+=); the caller zeroes them first. A NULL gradient
 * pointer means "do not compute it": a frozen discriminator passes dx only.
 * Backward never touches weights; the optimizer is a separate step.
 * Shapes: batch rows of `in` or `out` features, row-major.
 */
#ifndef NN_LAYERS_H
#define NN_LAYERS_H

#include <stddef.h>
#include "base/rng.h"

/* Linear (fully connected), PyTorch's layout: w is (out, in).
 * Exercise 3 (forward) and exercise 11 (backward): solutions/ defines them.
 *   y = x . w^T + b           y (batch, out), x (batch, in), b (out)         */
void nn_linear_forward(float *y, const float *x, const float *w, const float *b,
                       int batch, int in, int out);
/*   dx += dy . w,  dw += dy^T . x,  db += sum_rows dy   (each may be NULL)   */
void nn_linear_backward(float *dx, float *dw, float *db, const float *dy, const float *x,
                        const float *w, int batch, int in, int out);

/* Leaky ReLU:  y = x if x > 0 else slope * x            (n elements)       */
void nn_leaky_relu_forward(float *y, const float *x, float slope, size_t n);
/*   dx += dy * (x > 0 ? 1 : slope)        (exercise 12; dx NULL: nothing)   */
void nn_leaky_relu_backward(float *dx, const float *dy, const float *x, float slope, size_t n);

/* ReLU:  y = max(x, 0); a NaN passes on (as in torch)                     */
void nn_relu_forward(float *y, const float *x, size_t n);
/*   dx += dy * (x > 0)                                                      */
void nn_relu_backward(float *dx, const float *dy, const float *x, size_t n);

/* Sigmoid:  y = 1 / (1 + exp(-x)), computed without overflow for any x      */
void nn_sigmoid_forward(float *y, const float *x, size_t n);
/*   dx += dy * y * (1 - y)        (from the output y, which forward kept)   */
void nn_sigmoid_backward(float *dx, const float *dy, const float *y, size_t n);

/* Tanh:  y = tanh(x)                                                        */
void nn_tanh_forward(float *y, const float *x, size_t n);
/*   dx += dy * (1 - y^2)          (from the output y)                       */
void nn_tanh_backward(float *dx, const float *dy, const float *y, size_t n);

/* Batch normalisation over the batch, per feature (torch.nn.BatchNorm1d).
 * Train mode: mean, var over the batch (biased var normalises, as in torch);
 *   xhat = (x - mean) / sqrt(var + eps),  y = gamma * xhat + beta;
 *   running = (1 - momentum) * running + momentum * batch_stat, where the
 *   running variance takes the unbiased batch variance (torch's rule).
 * Keeps xhat (batch, f), mean (f) and invstd (f) for backward.              */
void nn_batchnorm_forward_train(float *y, float *xhat, float *mean, float *invstd,
                                float *running_mean, float *running_var,
                                const float *x, const float *gamma, const float *beta,
                                float momentum, float eps, int batch, int features);
/* Eval mode: y = gamma * (x - running_mean) / sqrt(running_var + eps) + beta */
void nn_batchnorm_forward_eval(float *y, const float *x, const float *gamma, const float *beta,
                               const float *running_mean, const float *running_var,
                               float eps, int batch, int features);
/*   dbeta += sum dy,  dgamma += sum dy * xhat,
 *   dx += gamma * invstd / B * (B*dy - sum dy - xhat * sum dy*xhat)         */
void nn_batchnorm_backward(float *dx, float *dgamma, float *dbeta, const float *dy,
                           const float *xhat, const float *invstd, const float *gamma,
                           int batch, int features);

/* Inverted dropout (train mode): mask[i] = 0 with probability p, else 1/(1-p);
 *   y = x * mask. In eval mode (train == 0) y = x and mask is all 1.        */
void nn_dropout_forward(float *y, float *mask, const float *x, float p, nn_rng *rng,
                        int train, size_t n);
/*   dx += dy * mask                                                         */
void nn_dropout_backward(float *dx, const float *dy, const float *mask, size_t n);

/* Minibatch standard deviation (Karras et al. 2018, ProGAN section 3): one
 * extra feature tells the discriminator how varied the batch is, so a
 * generator that collapses to one mode is easy to spot.
 *   sd_j = sqrt(mean_b (x_bj - mean_b x_bj)^2 + 1e-8),   s = mean_j sd_j
 *   y (batch, in + 1) = [x, s]: the same s appended to every row            */
void nn_mbstd_forward(float *y, const float *x, int batch, int in);
/*   dx_bj += dy_bj + (sum_b dy_b,in) * (x_bj - mean_j) / (in * batch * sd_j) */
void nn_mbstd_backward(float *dx, const float *dy, const float *x, int batch, int in);

#endif
