/* copies.h - whether a generator copies its training set (lesson 12): the
 * nearest training image of each query, by brute force in pixels, and what
 * the samples' distances say beside new real images' distances.
 */
#ifndef GANSTEPS_COPIES_H
#define GANSTEPS_COPIES_H

#include "lesson.h"
#include "nn.h"

/* For each image of q (nq, 784): near[i] the index of its nearest image of
 * ds and dist[i] the Euclidean distance to it (pixels in [-1, 1]). */
void copies_nearest(lesson *L, const float *q, int nq, const nn_dataset *ds, int *near,
                    double *dist);

/* The share of real test images that lie closer to the training set than
 * the copy line: by definition of the line (their 5th percentile), 5%. */
#define COPIES_LINE_SHARE 0.05

typedef struct {
    double sample_median;   /* median distance of the samples to the training set */
    double test_median;     /* the same for the test images */
    double sample_min;      /* the closest sample's distance */
    double line;            /* the copy line: the test images' 5th percentile */
    double close_share;     /* the share of samples closer than the line */
} copies_summary;

/* dist (2n): n samples' distances, then n test images'. */
copies_summary copies_summarise(lesson *L, const double *dist, int n);

/* What the share of samples closer than the copy line says. */
typedef enum {
    COPIES_TOO_FEW,         /* under COPIES_MIN_QUERIES queries: the shares mean little */
    COPIES_AS_REAL,         /* within chance of the 5% new real images show */
    COPIES_MORE_CLOSE       /* more than chance: some samples sit on training images */
} copies_verdict;

#define COPIES_MIN_QUERIES 100

/* close_share of n samples against the line set by n test images: more
 * close than chance allows when it exceeds 5% by 3 standard deviations of
 * the difference of two shares of n (each sqrt(0.05 * 0.95 / n)). */
copies_verdict copies_judge(double close_share, int n);

#endif
