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

#endif
