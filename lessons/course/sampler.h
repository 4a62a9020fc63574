/* sampler.h - one class of a data set as a pile of images to draw from: its
 * images' indices, its images as floats, and batches drawn from it without
 * replacement, reshuffled after each pass. Lesson 15 draws its two CycleGAN
 * domains with it.
 */
#ifndef GANSTEPS_SAMPLER_H
#define GANSTEPS_SAMPLER_H

#include <stdint.h>

#include "lesson.h"
#include "nn.h"

/* The indices into ds of the images of class cls, in order, at most max:
 * (*n). Free with nn_free. */
int *sampler_class_indices(lesson *L, const nn_dataset *ds, int cls, int max, int *n);

/* The images of class cls of ds, in [-1, 1]: (*n, 784), at most max. Free
 * with nn_free. */
float *sampler_class_images(lesson *L, const nn_dataset *ds, int cls, int max, int *n);

/* Batches from the images idx (n) of ds. The images stay bytes in the data
 * set; each batch is turned into floats as it is drawn. */
typedef struct {
    const nn_dataset *ds;
    const int *idx;             /* (n) the pile's images in ds; not owned */
    int n, pos;
    int *order;
    nn_rng rng;
} sampler;

/* A first pass shuffled from (seed, stream). Free with sampler_free. */
void sampler_init(lesson *L, sampler *s, const nn_dataset *ds, const int *idx, int n,
                  uint64_t seed, uint64_t stream);
/* The next b images (b, 784) in [-1, 1]. */
void sampler_next(sampler *s, float *out, int b);
void sampler_free(sampler *s);

#endif
