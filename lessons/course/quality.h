/* quality.h - what lesson 14 needs to judge generators with the lesson
 * classifier: the classifier itself (an earlier lesson's or trained now),
 * its nearest neighbours in feature space, and the fast gradient sign attack
 * on it. The Frechet distance and precision and recall are the library's
 * (metrics.h); this file only feeds them.
 */
#ifndef GANSTEPS_QUALITY_H
#define GANSTEPS_QUALITY_H

#include "classifier.h"
#include "lesson.h"
#include "nn.h"

/* For each row of x (n, dim): the index of its nearest row of ref (nref, dim)
 * in idx (when not NULL) and the Euclidean distance to it in dist (n). */
void quality_nearest(int *idx, float *dist, const float *x, int n, const float *ref, int nref,
                     int dim);

/* The fast gradient sign method on the classifier: x_adv (n, 784) =
 * nn_fgsm_step(x, d xent / d x, eps) for images x (n, 784) in [-1, 1] with
 * true labels (n). eps is in units of the [0, 1] pixel range, so x moves by
 * 2 eps in [-1, 1] and is clipped to it. */
void quality_fgsm(nn_model *net, float *x_adv, const float *x, const int *labels, int n,
                  float eps);

/* The suffix of an ordinal number: "st" for 1, 21, ...; "nd" for 2, 22;
 * "rd" for 3, 23; "th" for the rest, 11 to 13 included ("3rd", "11th"). */
const char *quality_ordinal(int k);

/* Which of precision and recall's lessons a collapsed and a healthy run
 * show, by their recall against the floor's (real images judged like a
 * generator's samples: what a perfect generator scores on average). */
typedef enum {
    QUALITY_PR_SHOWN,           /* the healthy run near the floor, the collapsed one far below */
    QUALITY_PR_HEALTHY_SHORT,   /* the collapsed run far below, but the healthy one too */
    QUALITY_PR_NOT_COLLAPSED,   /* the healthy run near the floor, the collapsed one as well */
    QUALITY_PR_NEITHER          /* both short of the floor, and not far apart */
} quality_pr_verdict;

/* The verdict for recalls r_collapsed, r_healthy and the floor's r_floor:
 * a run is short of another when its recall is under half of it (a GAN that
 * draws half of the classes covers about half of what the floor covers,
 * while the sampling noise of a share of 2000 images is a few hundredths). */
quality_pr_verdict quality_pr_choose(float r_collapsed, float r_healthy, float r_floor);

#endif
