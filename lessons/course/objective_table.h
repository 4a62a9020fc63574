/* objective_table.h - the objectives over seeds: the non-saturating, least
 * squares and hinge losses, WGAN with weight clipping and WGAN-GP, each with
 * its paper's optimizer settings, on one architecture (lesson 06's G, the
 * WGAN critic as D) and one budget; a table row and summary.tsv keys
 * (obj_*) each. Lesson 11 uses it. */
#ifndef GANSTEPS_OBJECTIVE_TABLE_H
#define GANSTEPS_OBJECTIVE_TABLE_H

#include "lesson.h"
#include "recipe.h"

/* The row of the lowest mean Frechet distance. */
typedef struct {
    const char *name;
    double fd;
} objective_table_best;

/* Prints the table: n_seeds runs of n_steps G updates per objective, WGAN
 * clipped at clip_c, WGAN-GP's penalty of weight gp_lambda. */
objective_table_best objective_table_run(lesson *L, recipe_feed *f, recipe_evalset *ev,
                                         float clip_c, float gp_lambda, int n_seeds,
                                         int n_steps);

#endif
