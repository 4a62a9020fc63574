/* preview.h - images drawn in a terminal, in colour or ASCII, so a lesson's
 * samples show where the student is reading. Same batches and value ranges as
 * image.h's PNG grids. */
#ifndef NN_PREVIEW_H
#define NN_PREVIEW_H

#include <stdio.h>

/* How nn_image_preview draws. */
typedef enum {
    NN_PREVIEW_AUTO,   /* COLOR when out is a terminal, NO_COLOR is unset and
                          COLORTERM is "truecolor" or "24bit"; ASCII otherwise */
    NN_PREVIEW_COLOR,  /* 24-bit ANSI colour, two image rows per text row (half blocks) */
    NN_PREVIEW_ASCII   /* one character per pixel pair from " .:-=+*#%@", no escapes */
} nn_preview_mode;

/* What AUTO becomes for stream out (see above). */
nn_preview_mode nn_preview_detect(FILE *out);

/* Draws images 0..n) of x (n, c*h*w) side by side, up to per_row per text
 * band, into out. ASCII uses one character per pixel column and one text row
 * per two image rows (the luminance of the pair), so a 28 x 28 image is
 * 28 x 14 characters. Writes nothing for n < 1. */
void nn_image_preview(FILE *out, const float *x, int n, int c, int h, int w, int per_row,
                      float lo, float hi, nn_preview_mode mode);

#endif
