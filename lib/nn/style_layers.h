/* style_layers.h - a style-based generator's layers, forward and backward
 * side by side: the style broadcast, adaptive instance normalisation and
 * noise inputs.
 *
 * StyleGAN's (Karras et al. 2019): the broadcast turns w into the "style
 * bus", one copy per styled layer; each AdaIN layer styles its maps from its
 * own copy; noise inputs add detail. The model's style_broadcast, adain and
 * noise layers call them (kind_broadcast.c, kind_style.c, kind_noise.c);
 * style.h builds the generator from those layers.
 *
 * Conventions as in layers.h: outputs first, then inputs, then sizes;
 * backward ADDS into its gradients and skips each one that is NULL. Images
 * are NCHW rows as in conv.h: n images of c channels of hw pixels.
 */
#ifndef NN_STYLE_LAYERS_H
#define NN_STYLE_LAYERS_H

#include "base/rng.h"

/* torch.nn.functional.instance_norm's eps. */
#define NN_ADAIN_EPS 1e-5f

/* Exercise 26. Adaptive instance normalisation (Huang and Belongie 2017),
 * forward. x (n, c, hw): n images of c channels of hw pixels; scale and bias
 * (n, c): a style per image and channel. For each image i and channel j,
 * over its hw pixels,
 *   mu = mean x,  var = mean (x - mu)^2   (biased, as torch's instance_norm)
 *   invstd[i,j] = 1 / sqrt(var + eps)
 *   xhat = (x - mu) invstd,   y = scale[i,j] xhat + bias[i,j]
 * Writes y and xhat (n, c, hw) and invstd (n, c), which the backward reads.
 * With scale 1 and bias 0 it is plain instance normalisation. */
void nn_adain_forward(float *y, float *xhat, float *invstd, const float *x, const float *scale,
                      const float *bias, int n, int c, int hw, float eps);

/* Its backward, from what the forward kept. Per image i and channel j, with
 * g = dy scale[i,j] and means over the hw pixels:
 *   dscale[i,j] += sum dy xhat,   dbias[i,j] += sum dy,
 *   dx += invstd (g - mean g - xhat mean(g xhat))
 * (the batchnorm formula with one image's pixels as the batch). Any gradient
 * may be NULL. */
void nn_adain_backward(float *dx, float *dscale, float *dbias, const float *dy,
                       const float *xhat, const float *invstd, const float *scale, int n, int c,
                       int hw);

/* Noise input (StyleGAN section 3.2): one N(0, 1) image per sample, the same
 * for every channel, scaled per channel:  y[i,j,p] = x[i,j,p] + s[j] noise[i,p].
 * x, y (n, c, hw), noise (n, hw), s (c). */
void nn_noise_forward(float *y, const float *x, const float *noise, const float *s, int n, int c,
                      int hw);
/*   dx += dy,   ds[j] += sum_i,p dy[i,j,p] noise[i,p]   (either may be NULL) */
void nn_noise_backward(float *dx, float *ds, const float *dy, const float *noise, int n, int c,
                       int hw);

/* The style broadcast: k copies of each row w of x (n, dim) side by side,
 * one per styled layer, y (n, k dim). With style mixing (StyleGAN section
 * 3.1) row b reads its slots from crossover cross[b] on from row
 * (b + 1) mod n, another sample of the same batch; cross[b] = k reads its
 * own w alone. cross (n) holds whole numbers as floats (it lives in the
 * model's workspace).
 *   y[b, r] = x[src(b, r)],   src(b, r) = r >= cross[b] ? (b + 1) mod n : b  */
void nn_broadcast_forward(float *y, const float *x, const float *cross, int n, int dim, int k);
/*   dx[src(b, r)] += dy[b, r]   for every row b and slot r */
void nn_broadcast_backward(float *dx, const float *dy, const float *cross, int n, int dim, int k);

/* The crossovers of one forward: each row, with probability mix (one
 * uniform draw from r), switches at a slot uniform in [1, k - 1] (a second
 * draw); otherwise cross[b] = k. With mix 0, one row or one slot there is
 * nothing to mix with: every cross[b] = k and nothing is drawn. */
void nn_broadcast_crossovers(float *cross, nn_rng *r, float mix, int n, int k);

/* The running mean of w that truncation pulls toward, one train batch x
 * (n, dim) at a time:  mean = decay mean + (1 - decay) (the batch's mean). */
void nn_broadcast_track_mean(float *mean, const float *x, float decay, int n, int dim);

#endif
