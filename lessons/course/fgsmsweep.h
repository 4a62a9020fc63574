/* fgsmsweep.h - the report of lesson 14's sweep of the fast gradient sign
 * method against the lesson classifier: the accuracy at each eps as a table,
 * key figures and a figure, and a few attacked images beside their
 * originals. Lesson 14 uses it.
 */
#ifndef GANSTEPS_FGSMSWEEP_H
#define GANSTEPS_FGSMSWEEP_H

#include "lesson.h"
#include "nn.h"

/* The classifier's accuracy accs (k) at each eps (k), eps[0] = 0: printed,
 * the fgsm_* key figures, and fgsm_accuracy.png. *at_min gets the eps of the
 * lowest accuracy, *first_below the first eps under 20% (-1: none). */
void fgsmsweep_report(lesson *L, const float *eps, const float *accs, int k, int *at_min,
                      int *first_below);

/* The first 8 test images x (8, 784) with their true labels (8), the
 * perturbations FGSM adds at eps and the adversarial images
 * (fgsm_examples.png), and a line per image: its class, the classifier's
 * answer before and after the attack (class_names may be NULL). */
void fgsmsweep_examples(lesson *L, nn_model *net, const float *x, const int *labels, float eps,
                        const char *const *class_names);

#endif
