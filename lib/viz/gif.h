/* gif.h - animated GIFs of palette images, with a small canvas to draw on.
 *
 * Lesson 09 films a GAN training: every frame is a picture of D's output over
 * the plane, the samples and G's gradient arrows. GIF (GIF89a, one global
 * palette of 32 colours, LZW-compressed frames, looping forever) needs no
 * library and plays in every browser and Markdown viewer.
 *
 * Usage:
 *     nn_gif_writer *g = nn_gif_open(path, w, h, delay_cs, &err);
 *     nn_gif_canvas c = ...;  (draw into c.px, w x h palette indices)
 *     nn_gif_add_frame(g, c.px, &err);  ...  nn_gif_close(g, &err);
 */
#ifndef GANSTEPS_GIF_H
#define GANSTEPS_GIF_H

#include <stdint.h>
#include "base/common.h"

/* The fixed palette: 16 shades for a value in [0, 1] (blue, white, red: a
 * discriminator's "fake" to "real"), then named colours. */
enum {
    NN_GIF_SHADES = 16,
    NN_GIF_BLACK = 16, NN_GIF_WHITE, NN_GIF_GREY, NN_GIF_SAMPLE, NN_GIF_ARROW, NN_GIF_MODE, NN_GIF_BAR,
    NN_GIF_COLOURS = 32
};

typedef struct nn_gif_writer nn_gif_writer;

/* Creates path and writes the header, the palette and the loop extension.
 * delay_cs: each frame's display time in hundredths of a second. NULL with
 * err filled if the file cannot be created or w, h are not in 1..65535. */
nn_gif_writer *nn_gif_open(const char *path, int w, int h, int delay_cs, nn_error *err);
/* Appends one frame px (h, w), row-major palette indices < NN_GIF_COLOURS. */
nn_status nn_gif_add_frame(nn_gif_writer *g, const uint8_t *px, nn_error *err);
/* Writes the trailer and closes the file; frees g even on failure. */
nn_status nn_gif_close(nn_gif_writer *g, nn_error *err);

/* The LZW minimum code size of every frame: 5 bits for the 32 colours. */
#define NN_GIF_MIN_CODE 5

/* LZW-compresses n palette indices (< 2^min_code_size) the way GIF wants:
 * variable-width codes (min_code_size + 1 up to 12 bits), packed LSB first.
 * Writes at most cap bytes into out and returns how many, or -1 when cap is
 * too small (n * 2 + 16 always suffices). Exposed for the tests. */
long nn_gif_lzw_encode(uint8_t *out, long cap, const uint8_t *px, long n, int min_code_size);

/* A drawing surface in plot coordinates: (x0, y0) at the bottom left. */
typedef struct {
    uint8_t *px;             /* (h, w) palette indices */
    int w, h;
    float x0, x1, y0, y1;    /* the plane the canvas shows */
} nn_gif_canvas;

/* Fills the canvas with the shades of values v (ny, nx) on a regular grid
 * over the canvas' plane, v[j*nx + i] at column i, row j from the bottom,
 * clamped to [0, 1]; nearest-neighbour. */
void nn_gif_draw_field(nn_gif_canvas *c, const float *v, int nx, int ny);
/* A filled square of side 2r+1 pixels centred on (x, y). */
void nn_gif_draw_dot(nn_gif_canvas *c, float x, float y, int r, uint8_t colour);
/* A straight line from (xa, ya) to (xb, yb) (Bresenham), clipped. */
void nn_gif_draw_line(nn_gif_canvas *c, float xa, float ya, float xb, float yb, uint8_t colour);
/* A cross of arm r pixels at (x, y). */
void nn_gif_draw_cross(nn_gif_canvas *c, float x, float y, int r, uint8_t colour);
/* A progress bar along the bottom edge, filled to fraction f of the width. */
void nn_gif_draw_progress(nn_gif_canvas *c, float f);

#endif
