/* copies.h - whether a generator copies its training set (lesson 12): the
 * nearest training image of each query, by brute force in pixels, and the
 * figures that set samples' distances beside new real images'.
 */
#ifndef GANSTEPS_COPIES_H
#define GANSTEPS_COPIES_H

#include "lesson.h"
#include "nn.h"

/* For each image of q (nq, 784): near[i] the index of its nearest image of
 * ds and dist[i] the Euclidean distance to it (pixels in [-1, 1]). */
void copies_nearest(lesson *L, const float *q, int nq, const nn_dataset *ds, int *near,
                    double *dist);

typedef struct {
    double sample_median;   /* median distance of the samples to the training set */
    double test_median;     /* the same for the test images */
    double sample_min;      /* the closest sample's distance */
} copies_summary;

/* dist (2n): n samples' distances, then n test images'. */
copies_summary copies_summarise(lesson *L, const double *dist, int n);

#endif
