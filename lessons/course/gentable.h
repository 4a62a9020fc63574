/* gentable.h - lesson 14's table of the course's generators: each one's
 * samples marked by the lesson classifier (Frechet distance, precision,
 * recall, classes covered), the generators the earlier lessons saved loaded
 * and sampled for it, and the table printed and written as generators.tsv.
 * Lesson 14 uses it.
 */
#ifndef GANSTEPS_GENTABLE_H
#define GANSTEPS_GENTABLE_H

#include "classifier.h"
#include "lesson.h"
#include "nn.h"

#define GENTABLE_MAX_ROWS 8     /* rows the table holds */
#define GENTABLE_SAVED 4        /* rows gentable_add_saved may add */
#define GENTABLE_MAX_LATENT 256 /* widest latent vector or code of a saved generator */

/* One generator's marks. */
typedef struct {
    char name[48];
    double fd;
    float precision, recall;
    int classes;            /* classes with at least 2% of the samples */
} gentable_row;

/* The marks of n images img (n, 784) under the name given: their features
 * (into feat, (n, CLASSIFIER_FEATURES)), their Frechet distance to the real
 * features real_feat (n, CLASSIFIER_FEATURES), precision and recall with k
 * neighbours, and the classes covered by the classifier's labels (into
 * labels, (n)). */
void gentable_mark(lesson *L, gentable_row *m, const char *name, nn_model *net, const float *img,
                   int n, const float *real_feat, float *feat, int *labels, int k);

/* What the saved generators are judged against, and the room they use. */
typedef struct {
    nn_model *net;              /* the lesson classifier */
    int n;                      /* samples of each generator, as many as real images */
    int k;                      /* neighbours that set each ball's radius */
    const float *real_feat;     /* (n, CLASSIFIER_FEATURES) the real test images' features */
    const nn_dataset *train;    /* the training images lesson 13's codes are fitted to */
    float *img;                 /* (n, 784) scratch: the samples */
    float *z;                   /* (n, GENTABLE_MAX_LATENT) scratch: latent vectors, codes */
    float *feat;                /* (n, CLASSIFIER_FEATURES) scratch: the samples' features */
    int *labels;                /* (n) scratch: the samples' classes */
} gentable_judge;

/* The rows of the generators earlier lessons saved in their folders beside
 * this lesson's: lesson 13's autoencoder decoding random codes, lesson 10's
 * DCGAN, lesson 11's WGAN-GP and lesson 12's conditional G (asked for each
 * class in turn), each with the default shapes. One that is missing, of
 * another shape, or not read (--fast) gets a line saying so instead of a row.
 * Writes at most GENTABLE_SAVED rows from rows[0]; returns how many. */
int gentable_add_saved(lesson *L, gentable_row *rows, const gentable_judge *j);

/* The table of rows (nrows) as output, and as generators.tsv in the
 * lesson's folder. */
void gentable_print(lesson *L, const gentable_row *rows, int nrows);

#endif
