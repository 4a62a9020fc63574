/* transform.h - bytes to floats, gathering, normalising and resizing images. */
#ifndef NN_TRANSFORM_H
#define NN_TRANSFORM_H

#include <stddef.h>
#include <stdint.h>
#include "base/rng.h"
#include "data/dataset.h"

/* How bytes 0..255 become floats. */
typedef enum {
    NN_RANGE_01,  /* x / 255:         [0, 1], for sigmoid outputs */
    NN_RANGE_PM1  /* x / 127.5 - 1:   [-1, 1], for tanh outputs (DCGAN) */
} nn_range;

/* out[i] = in[i] / 255 or in[i] / 127.5 - 1 for i < n. Exercise 10: every
 * batch the loader hands out goes through it. */
void nn_bytes_to_float(float *out, const uint8_t *in, size_t n, nn_range range);
/* Images idx[0..count) of ds as floats, out (count, c*h*w). */
void nn_dataset_gather(float *out, const nn_dataset *ds, const int *idx, int count,
                       nn_range range);
/* mean = (1/n) sum x,  std = sqrt((1/n) sum (x - mean)^2) (population std,
 * as torchvision's Normalize statistics are usually quoted); in double. */
void nn_mean_std(const float *x, size_t n, double *mean, double *std);
/* x = (x - mean) / std, in place (std > 0): zero mean, unit variance. */
void nn_normalize(float *x, size_t n, float mean, float std);
/* Bilinear resize of count images in (count, c*ih*iw) to out (count, c*oh*ow),
 * matching torch.nn.functional.interpolate(mode="bilinear", align_corners=False):
 *   src = (dst + 0.5) * in / out - 0.5, clamped at 0; weights from the
 *   fractional part; the far neighbour clamped to the last pixel. */
void nn_resize_bilinear(float *out, int oh, int ow, const float *in, int count, int c, int ih,
                        int iw);
/* The low-resolution image of super-resolution: the mean of each f x f
 * block of count images (count, c*h*w), h and w multiples of f, as
 * torch.nn.functional.avg_pool2d(kernel_size=f): out (count, c*(h/f)*(w/f)). */
void nn_downsample_mean(float *out, const float *in, int count, int c, int h, int w, int f);
/* Nearest-neighbour upscaling by f, each pixel an f x f block, as
 * torch.nn.functional.interpolate(scale_factor=f, mode="nearest"):
 * in (count, c*h*w) -> out (count, c*(h f)*(w f)). */
void nn_upsample_nearest(float *out, const float *in, int count, int c, int h, int w, int f);
/* count masks (count, h*w) of one side x side square each, 1 inside and 0
 * outside, its top-left corner uniform over the positions that keep it at
 * least margin pixels from every edge (two nn_rng_below draws per mask). */
void nn_mask_squares(float *mask, int count, int h, int w, int side, int margin, nn_rng *r);
/* Features per image once flattened: c*h*w. Images (n, c*h*w) are already
 * flat rows, so flattening is only forgetting the (c, h, w) shape; this is
 * the input width a dense layer sees. */
int nn_flat_size(int c, int h, int w);
#endif
