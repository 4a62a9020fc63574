/* image.h - pictures of images: PNG grids (libpng); preview.h draws the
 * same batches in a terminal.
 *
 * Both take a batch of float images x (n, c*h*w), channel-major like a
 * tensor row, with c = 1 (grey) or 3 (RGB), and map the value range [lo, hi]
 * linearly to 0..255 (a tanh generator's [-1, 1], or [0, 1]); values outside
 * are clamped, NaN becomes 0 so a diverged generator still gives a picture.
 */
#ifndef NN_IMAGE_H
#define NN_IMAGE_H

#include <stdio.h>
#include "base/common.h"

/* How a grid is laid out. Start from nn_grid_defaults and change fields. */
typedef struct {
    int rows, cols;  /* tiles; 0 for either: chosen so the grid is near square */
    int pad;         /* pixels of background between tiles and round the edge */
    int scale;       /* each image pixel drawn as scale x scale PNG pixels, >= 1 */
    float lo, hi;    /* value range mapped to 0..255, hi > lo */
    unsigned char background; /* grey level of padding and empty tiles */
} nn_grid_opts;

/* rows = cols = 0, pad 2, scale 1, background 255 (white gutters, which
 * show against dark images and mid-grey ones alike), the range [lo, hi]. */
nn_grid_opts nn_grid_defaults(float lo, float hi);

/* byte = round(255 * (v - lo) / (hi - lo)), clamped to 0..255; NaN -> 0. */
unsigned char nn_to_byte(float v, float lo, float hi);

/* Writes images 0..n) of x (n, c*h*w) as a rows x cols grid into the PNG file
 * path (8-bit grey for c = 1, RGB for c = 3), row by row, left to right. More
 * tiles than images leave the rest as background; fewer tiles than images
 * show the first rows*cols. The PNG is
 *   (rows*(h*scale + pad) + pad) x (cols*(w*scale + pad) + pad) pixels.
 * NN_ERR_ARG for bad shapes or options, NN_ERR_IO when the file cannot be
 * written, NN_ERR_NOMEM. */
nn_status nn_image_write_grid(const char *path, const float *x, int n, int c, int h, int w,
                              const nn_grid_opts *opts, nn_error *err);

#endif
