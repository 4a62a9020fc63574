/* trick_table.h - the classic tricks over seeds: lesson 06's default GAN,
 * then with one trick removed or added at a time (D's leaky ReLU made a
 * ReLU, G without batchnorm, D without dropout, no label smoothing,
 * instance noise on D's inputs, weight decay on D); a table row and
 * summary.tsv keys (trick_*) each. Lesson 11 uses it. */
#ifndef GANSTEPS_TRICK_TABLE_H
#define GANSTEPS_TRICK_TABLE_H

#include "lesson.h"
#include "recipe.h"

/* Against the default row: the changes whose Frechet distance is lower, or
 * higher, by more than both rows' standard deviations. */
typedef struct {
    int better, worse;
} trick_table_count;

/* Prints the table: n_seeds runs of n_steps G updates per row. */
trick_table_count trick_table_run(lesson *L, recipe_feed *f, recipe_evalset *ev, int n_seeds,
                                  int n_steps);

#endif
