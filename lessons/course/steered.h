/* steered.h - sampling and judging a steered generator: a conditional GAN
 * asked for a class, an InfoGAN given a code value. G's input rows for the
 * labels or codes, samples per class labelled by the lesson classifier, a
 * confusion matrix as a table and a heat map, and the batch buffers and log
 * both kinds train with. Lesson 12 uses it, through condgan.h and infogan.h
 * too.
 */
#ifndef GANSTEPS_STEERED_H
#define GANSTEPS_STEERED_H

#include <stdint.h>

#include "classifier.h"
#include "lesson.h"
#include "nn.h"
#include "trainrun.h"

/* Labels and code values run over the judge's classes: Fashion-MNIST's ten. */
#define STEERED_CLASSES CLASSIFIER_CLASSES

/* rows (n, G->in) for requested classes or code values labels (n): the
 * latent vectors z (n, latent_dim), then (InfoGAN) the continuous codes
 * cont (n, n_cont), or 0 when cont is NULL, then one-hot(label).
 * scratch holds n * (latent_dim + n_cont) floats. */
void steered_rows(float *rows, const nn_gan *t, const float *z, const int *labels,
                  const float *cont, int n, float *scratch);

/* per samples of each label (or code value) from G (t's own, or an average
 * of its weights), z from latent stream `stream` of the lesson's seed and
 * InfoGAN's continuous codes uniform on [-1, 1]: the request into want
 * (STEERED_CLASSES * per), the classifier's verdicts into got. Returns the
 * images (STEERED_CLASSES * per, 784), which the caller frees. */
float *steered_judge_per_class(lesson *L, const nn_gan *t, nn_model *G, nn_model *net, int per,
                               uint64_t stream, int *want, int *got);

/* A confusion matrix m (STEERED_CLASSES, STEERED_CLASSES) as a table, in
 * percent of each row, and as the heat map `name`; row_names and col_names
 * name the rows and columns, rows_are says what a row is (the y axis). */
void steered_show_confusion(lesson *L, const int *m, const char *const *row_names,
                            const char *const *col_names, const char *rows_are,
                            const char *name, const char *title);

/* One batch of images x (batch, 784) and labels y, the conditioned rows real
 * (batch, 784 + STEERED_CLASSES), and the log of up to cap steps. */
typedef struct {
    float *x, *real;
    int *y;
    trainrun_log lg;
} steered_batches;

void steered_batches_alloc(lesson *L, steered_batches *b, int batch, long cap);
void steered_batches_free(steered_batches *b);

#endif
