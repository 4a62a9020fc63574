/* stylemix.h - which source a style-mixed image follows, measured over many
 * pairs of latent vectors: the lesson classifier's class of the mixed image
 * against each source's, and its pixels' distance to each, at two
 * crossovers. Lesson 16's style-mixing step runs it after its grid.
 */
#ifndef GANSTEPS_STYLEMIX_H
#define GANSTEPS_STYLEMIX_H

#include "lesson.h"
#include "nn.h"
#include "styledraw.h"

/* Crossovers measured: the coarse slots [0, cross) come from the first source. */
#define STYLEMIX_CROSSES 2

typedef struct {
    int npairs;
    int differ;                           /* pairs whose sources differ in class */
    int crosses[STYLEMIX_CROSSES];
    /* over the pairs that differ: share of mixed images in the coarse (first)
     * source's class and in the fine (second) source's */
    double share_coarse[STYLEMIX_CROSSES], share_fine[STYLEMIX_CROSSES];
    /* over every pair: mean squared pixel difference to each source */
    double dist_coarse[STYLEMIX_CROSSES], dist_fine[STYLEMIX_CROSSES];
} stylemix_result;

/* Draws the sources z1 and z2 (npairs, latent) and their mixes at each of
 * crosses (truncation off), in that order from G's rng, and classifies them
 * with net (classifier_create's). */
void stylemix_measure(lesson *L, stylemix_result *r, styledraw *d, nn_model *net,
                      const float *z1, const float *z2, int npairs,
                      const int crosses[STYLEMIX_CROSSES]);

/* The table of r (the maps each crossover's coarse slots style, from G) and
 * its key figures (mix_*: the first crossover's, mix_mid_*: the second's). */
void stylemix_report(lesson *L, const stylemix_result *r, const nn_model *G);

#endif
