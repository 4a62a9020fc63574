/* toyrivals.h - lesson 09's GANs as the rivals of another model on a toy
 * data set: the vanilla GAN and the best fix of lesson 09's table (read from
 * its summary.tsv when it has run beside, else the fix its table picks at
 * its default seed), with lesson 09's presets and schedule, trained as
 * flowruns runs; their samples as figures. Lesson 17 compares its flows
 * with them.
 */
#ifndef GANSTEPS_TOYRIVALS_H
#define GANSTEPS_TOYRIVALS_H

#include <stdint.h>
#include "flowruns.h"
#include "lesson.h"
#include "toygan.h"

/* Steps of each GAN under --fast (a smoke test: nothing converges). */
#define TOYRIVALS_FAST_STEPS 40

/* How lesson 09 trains its GANs on one data set. */
typedef struct {
    toy_config cfg;          /* lesson 09's preset, the vanilla GAN */
    int steps;
    toy_fix best;            /* the best fix of lesson 09's table */
    const char *best_source; /* where that choice came from, in words */
} toyrivals;

/* Lesson 09's preset and best fix for data; under --fast, TOYRIVALS_FAST_STEPS
 * steps and batches of at most 64, and lesson 09's outputs are not read. */
toyrivals toyrivals_prepare(lesson *L, const nn_toy *data);

/* Makes r a run of the GAN with the best fix (fixed = 1) or the vanilla one
 * (0), seeded by seed, trained on lesson 09's schedule (both learning rates
 * decay linearly to 2%); afterwards r->samples holds FLOWRUNS_SAMPLES of its
 * samples. No memory fails the lesson. */
void toyrivals_run(lesson *L, flowrun *r, const nn_toy *data, const toyrivals *tr, int fixed,
                   uint64_t seed);

/* The samples of gans[0] (vanilla) and gans[1] (best fix) on data, with the
 * modes marked: gan_samples_NAME_vanilla and _best. */
void toyrivals_plot_samples(lesson *L, const nn_toy *data, flowrun *const gans[2]);

#endif
