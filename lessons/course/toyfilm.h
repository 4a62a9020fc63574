/* toyfilm.h - the film of a toy GAN's training run (lesson 09): frame by
 * frame, D's output over the plane, the modes, G's samples and the
 * direction G's gradient moves them, as an animated GIF with four of the
 * frames as PNG figures too; and the modes covered and the high-quality
 * share against the steps taken, as two figures. The run's training loop
 * stays in the lesson: it calls toyfilm_frame whenever a frame is due.
 */
#ifndef GANSTEPS_TOYFILM_H
#define GANSTEPS_TOYFILM_H

#include <stdint.h>

#include "viz/gif.h"
#include "lesson.h"
#include "nn.h"
#include "toygan.h"

typedef struct {
    const nn_toy *data;
    const char *fix;          /* the filmed setting's name, in file names and titles */
    int frames;               /* frames after frame 0 (the untrained GAN) */
    int steps;                /* G updates of the whole run */
    int nx;                   /* D's map is nx x nx over the plane */
    float half;               /* the plane is [-half, half]^2 */
    float *dmap;              /* (nx, nx) */
    float *arrows;            /* (samples, 4) */
    uint8_t *px;              /* (size, size) GIF canvas */
    int size;
    nn_gif_writer *gif;
    char gifname[96];
    float *at, *covered, *hq; /* (frames + 1): steps, modes covered, high-quality % */
} toyfilm;

/* Opens watch_DATA_FIX.gif in the lesson folder for a run of `steps` G
 * updates filmed in frames + 1 frames, each showing `samples` of G's
 * samples (its batch times the samples per D input). */
void toyfilm_open(lesson *L, toyfilm *f, const nn_toy *data, const char *fix, int samples,
                  int frames, int steps);

/* Frame k, taken after `done` G updates: records st (the metrics of
 * samples just drawn), draws g's picture into the GIF and, at the start, a
 * third, two thirds and the end, as a PNG figure too. */
void toyfilm_frame(lesson *L, toyfilm *f, toy_gan *g, int k, int done, const nn_mode_stats *st);

/* Closes the GIF and shows it as a figure. */
void toyfilm_close(lesson *L, toyfilm *f);

/* The modes covered (in the terminal too) and the high-quality share
 * against the steps, one figure each. */
void toyfilm_plot_counts(lesson *L, const toyfilm *f);

void toyfilm_free(toyfilm *f);

#endif
