/* classshare.h - which kinds of clothes a Fashion-MNIST generator draws,
 * from the lesson classifier's labels of its samples (lesson 09): each
 * class's share of the samples, the classes present and missing, the KL
 * divergence from an even spread, as keys; a bar chart and a grid of the
 * samples; and two generators' shares side by side.
 */
#ifndef GANSTEPS_CLASSSHARE_H
#define GANSTEPS_CLASSSHARE_H

#include "classifier.h"
#include "lesson.h"
#include "nn.h"

/* Samples of each generator the classifier labels (the figures' titles
 * say "2,000"). */
#define CLASSSHARE_SAMPLES 2000

/* A class counts as present with at least this share of the samples (%):
 * a fifth of its fair share. */
#define CLASSSHARE_PRESENT_PCT 2.0f

/* The generator called `name` ("classic"): counts (CLASSIFIER_CLASSES) of
 * its CLASSSHARE_SAMPLES samples img (CLASSSHARE_SAMPLES, 784) per class,
 * classes named by set. Writes each
 * class's share in % into pct (CLASSIFIER_CLASSES); keys
 * fashion_NAME_classes_present, fashion_NAME_classes_missing and
 * fashion_NAME_class_kl; figures classes_NAME.png (the shares) and
 * samples_NAME.png (the first 64 samples). */
void classshare_show(lesson *L, const char *name, const int *counts, const nn_dataset *set,
                     const float *img, float *pct);

/* The shares of two generators named names[0], names[1], side by side. */
void classshare_table(lesson *L, const char *const *names, const float *pct0, const float *pct1,
                      const nn_dataset *set);

#endif
