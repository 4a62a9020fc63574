/* init.h - weight initialisation, with torch.nn.init's formulas.
 *
 * A linear layer's weight is (fan_out, fan_in) = (out, in).
 */
#ifndef NN_INIT_H
#define NN_INIT_H

#include <stddef.h>
#include "base/rng.h"

/* w ~ N(mean, std^2); DCGAN uses N(0, 0.02) (Radford et al. 2016).          */
void nn_init_normal(nn_rng *r, float *w, size_t n, float mean, float std);
/* w ~ U(-a, a), a = gain * sqrt(6 / (fan_in + fan_out))   (Glorot 2010)     */
void nn_init_xavier_uniform(nn_rng *r, float *w, int fan_in, int fan_out, float gain);
/* w ~ N(0, std^2), std = gain * sqrt(2 / (fan_in + fan_out))                */
void nn_init_xavier_normal(nn_rng *r, float *w, int fan_in, int fan_out, float gain);
/* w ~ N(0, std^2), std = sqrt(2 / (1 + slope^2)) / sqrt(fan_in)  (He 2015;
 * torch kaiming_normal_, mode fan_in, nonlinearity leaky_relu, a = slope)    */
void nn_init_he_normal(nn_rng *r, float *w, int fan_in, int fan_out, float slope);
/* w ~ U(-a, a), a = sqrt(6 / ((1 + slope^2) fan_in))  (kaiming_uniform_)     */
void nn_init_he_uniform(nn_rng *r, float *w, int fan_in, int fan_out, float slope);
/* torch.nn.Linear's own default: w and b ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)) */
void nn_init_torch_linear(nn_rng *r, float *w, float *b, int fan_in, int fan_out);

/* How nn_model_init initialises every linear layer (biases 0 except TORCH). */
typedef enum {
    NN_INIT_TORCH = 0,       /* torch.nn.Linear default, weights and biases */
    NN_INIT_NORMAL_002,      /* N(0, 0.02) */
    NN_INIT_XAVIER_UNIFORM,
    NN_INIT_XAVIER_NORMAL,
    NN_INIT_HE_NORMAL,       /* slope taken from the following leaky ReLU, if any */
    NN_INIT_HE_UNIFORM
} nn_init_kind;

const char *nn_init_name(nn_init_kind k);   /* "torch", "normal", "xavier", ... */

/* Exercise 6. One linear layer, w (out, in) and b (out), by kind: biases 0
 * except for TORCH, which draws both; HE_* take the negative slope of the
 * leaky ReLU the layer feeds (0 for a ReLU or none). nn_model_init calls it
 * for every linear layer, in order, so one seed fixes the whole model. */
void nn_init_linear(nn_rng *r, float *w, float *b, int in, int out, nn_init_kind kind,
                    float slope);

/* One convolution's weights w (n_w floats) and biases b (n_b) by kind, with
 * torch's fans for a weight of shape (d0, d1, k, k): fan_in = d1 k k,
 * fan_out = d0 k k. So for torch.nn.Conv2d, w (c_out, c_in, k, k), fan_in is
 * c_in k k; for torch.nn.ConvTranspose2d, w (c_in, c_out, k, k), torch takes
 * c_out k k (its rule reads dimension 1 whatever the layer), and so does
 * this. The formulas are nn_init_linear's: NN_INIT_TORCH draws w and b from
 * U(-1/sqrt(fan_in), 1/sqrt(fan_in)) (kaiming_uniform_ with a = sqrt(5), as
 * torch's convolutions start), the other kinds set b to 0. nn_model_init
 * calls it for every convolution, in order. */
void nn_init_conv(nn_rng *r, float *w, size_t n_w, float *b, int n_b, int fan_in, int fan_out,
                  nn_init_kind kind, float slope);

#endif
