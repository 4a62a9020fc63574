/* dcganvsmlp.h - what lesson 10's comparison of its DCGAN with lesson 06's
 * MLP works on: four sets of n images (real test images, the DCGAN's
 * samples, the MLP's samples of the same latent vectors, real training
 * images) with their classifier features, and the two generators' samples
 * shown side by side. The judging itself (features, Frechet distances,
 * classes) is the lesson's code cell.
 */
#ifndef GANSTEPS_DCGANVSMLP_H
#define GANSTEPS_DCGANVSMLP_H

#include "lesson.h"

typedef struct {
    int n;                   /* images per set */
    float *z;                /* (n, latent_dim): the same latent vectors for both */
    /* [0] test images, [1] the DCGAN's, [2] the MLP's, [3] training images
     * (the floor: two samples of one distribution). */
    float *img[4];           /* (n, 784) each */
    float *feat[4];          /* (n, CLASSIFIER_FEATURES) each */
    int *idx;                /* (n) which real images */
    int *labels;             /* (n) the classifier's labels */
} dcganvsmlp;

/* Allocates every buffer, or the lesson fails (out of memory). */
void dcganvsmlp_alloc(lesson *L, dcganvsmlp *c, int n, int latent_dim);

/* The first 100 samples of each generator as dcgan_samples.png and
 * mlp_samples.png, and three of each in the terminal. */
void dcganvsmlp_show_samples(lesson *L, const dcganvsmlp *c);

void dcganvsmlp_free(dcganvsmlp *c);

#endif
