/* memocheck.h - the figures of lesson 14's memorisation check: how far each
 * GAN sample and each unseen test image lies from its nearest training image
 * in feature space, and samples beside their nearest training images.
 * Lesson 14 uses it.
 */
#ifndef GANSTEPS_MEMOCHECK_H
#define GANSTEPS_MEMOCHECK_H

#include "lesson.h"

/* d_fake, d_test (n): the nearest-training-image distances of the samples
 * and of the test images, drawn as two histograms on the same bins
 * (memorisation.png, the copy line `line` named in its title); then the first 8 samples of img (n, 784) over their
 * nearest training images, train_img rows near[0..8) (nearest_training.png). */
void memocheck_figures(lesson *L, const float *d_fake, const float *d_test, int n,
                       double line, const float *img, const float *train_img, const int *near);

#endif
