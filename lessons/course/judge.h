/* judge.h - how a lesson judges a Fashion-MNIST generator: the lesson
 * classifier (lesson 09's, or one trained on the spot), the Frechet distance
 * of its hidden features between generated and real test images, and the
 * classes the samples cover. Lessons 10, 11 and 12 judge with it.
 */
#ifndef GANSTEPS_JUDGE_H
#define GANSTEPS_JUDGE_H

#include "classifier.h"
#include "lesson.h"
#include "nn.h"

/* A class counts as covered when at least this share of samples (1/50) has it. */
#define JUDGE_CLASS_SHARE 50

/* Fills net (from classifier_create): lesson 09's classifier when it has
 * run beside this lesson's folder (not under --fast), else this lesson's own
 * from an earlier run, else trained now (3 epochs, 1 under --fast) on
 * train_set and saved. A checkpoint that is there but does not load fails
 * the lesson (exit 2) rather than being trained over, unless it holds a
 * network of another shape (an older course's classifier), which is passed
 * over. Prints where it came from. */
void judge_get_classifier(lesson *L, nn_model *net, const nn_dataset *train_set);

/* Images per batch when the lesson classifier is trained. */
#define JUDGE_CLASSIFIER_BATCH 128

/* Refuses the run (exit 2) when judge_get_classifier would have to train
 * the classifier (no checkpoint at hand) on fewer than a batch of images:
 * called before the first step with the size of the set it would train on. */
void judge_check_data(lesson *L, int n_images);

/* The real side of every comparison: the features of the first n test images. */
typedef struct {
    nn_model *net;
    int n, dim;
    float *real_feat;       /* (n, dim) */
    nn_frechet_ref ref;     /* their mean and covariance's square root, computed once */
    float *img, *feat;      /* scratch: (n, 784) samples, (n, dim) their features */
    int *labels;            /* (n) */
} judge;

/* NULL with a lesson failure on no memory; free with judge_free. */
judge *judge_create(lesson *L, nn_model *net, const nn_dataset *test, int n);
void judge_free(judge *j);

/* G's samples (eval mode) of the n latent vectors z (n, latent): their
 * Frechet distance to the test images' features, and the classes covered
 * (*classes, may be NULL). A non-finite sample gives NAN (a diverged G). */
double judge_generator(lesson *L, judge *j, nn_model *G, const float *z, int *classes);

#endif
