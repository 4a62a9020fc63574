/* truncation.h - what truncation toward the mean w trades in a style-based
 * generator, from its samples judged at psi 1, 0.7 and 0.5 (Frechet distance,
 * classes covered, precision and recall): the table, a figure of the same
 * ten z at each psi and at 0, and the sentence that says whether fidelity
 * rose and variety fell. Lesson 16's truncation step reports with it.
 */
#ifndef GANSTEPS_TRUNCATION_H
#define GANSTEPS_TRUNCATION_H

#include "lesson.h"
#include "styledraw.h"

/* psi values judged, in this order: 1, 0.7, 0.5. */
#define TRUNCATION_N_PSI 3

/* The judged figures at each psi (TRUNCATION_N_PSI each), for nj samples. */
typedef struct {
    const float *psi;
    const double *fd;
    const float *prec, *rec;
    const int *classes;
    int nj;
} truncation_table;

/* Prints the table (summary.tsv: style_*_psi_P for each figure and psi),
 * writes truncation.png from the first ten rows of z (latent each), drawn
 * through d, and says what the trade was (keys style_classes_fall,
 * style_precision_rises). */
void truncation_report(lesson *L, const truncation_table *t, styledraw *d, const float *z);

#endif
