/* styledraw.h - drawing from a trained style-based generator (lib/gan/style.h)
 * outside training: z through the mapping network to w, w pulled toward the
 * mean w (truncation), the style bus filled from one w or, for style mixing,
 * from two, then the synthesis. Lesson 16 draws every image it shows and
 * judges after training through it (stylemix, stylenoise, truncation).
 */
#ifndef GANSTEPS_STYLEDRAW_H
#define GANSTEPS_STYLEDRAW_H

#include <stddef.h>
#include "lesson.h"
#include "nn.h"

/* What drawing from a style generator needs beside it: where its parts are
 * and buffers for one chunk of w's and buses. */
typedef struct {
    nn_model *G;
    nn_style_parts p;
    float *w1, *w2, *bus;   /* (max_batch, w_dim) twice, (max_batch, n_slots w_dim) */
} styledraw;

/* The buffers for G's max_batch rows (no memory fails the lesson); free
 * with styledraw_free. */
styledraw styledraw_create(lesson *L, nn_model *G, const nn_style_parts *p);
void styledraw_free(styledraw *d);

/* Images out (n, 784) of z1 (n, latent): w = mapping(z), truncated toward
 * the mean w by psi; when z2 is given, slots [cross, n_slots) take z2's w
 * instead (style mixing). Eval mode, in chunks of G's max_batch; each chunk
 * draws its noise from G's rng. */
void styledraw_images(styledraw *d, float *out, const float *z1, const float *z2, int cross,
                      float psi, int n);

/* The side of the maps an AdaIN slot styles (0 when no layer reads it). */
int styledraw_slot_side(const nn_model *G, int slot);

/* "7" or "7, 14": the sides of the maps slots [0, cross) style, into s (cap). */
void styledraw_slot_sides(char *s, size_t cap, const nn_model *G, int cross);

#endif
