/* objective_table.h - the objectives over seeds: the non-saturating, least
 * squares and hinge losses, WGAN with weight clipping and WGAN-GP, each with
 * its paper's optimizer settings, on one architecture (lesson 06's G, the
 * WGAN critic as D) and one budget; a table row and summary.tsv keys
 * (obj_*) each. Lesson 11 uses it. */
#ifndef GANSTEPS_OBJECTIVE_TABLE_H
#define GANSTEPS_OBJECTIVE_TABLE_H

#include "lesson.h"
#include "recipe.h"
#include "seed_row.h"

/* The row of the lowest mean Frechet distance, and the comparison at equal
 * wall time: the non-saturating row again, for as many G updates as take
 * it WGAN-GP's wall time, beside WGAN-GP's row. */
typedef struct {
    const char *name;
    double fd;
    double time_ratio;          /* WGAN-GP's wall time per run over the non-saturating's */
    int eq_steps;               /* the non-saturating row's G updates at equal time */
    seed_row_stats eq_nonsat;   /* ... and its row */
    seed_row_stats gp;          /* WGAN-GP's row */
} objective_table_best;

/* Which of two rows is lower in Frechet distance at equal time: the first
 * (-1), the second (1), when their means differ by more than both standard
 * deviations; 0 within the spread (or when either diverged in every run). */
int objective_table_lower(const seed_row_stats *a, const seed_row_stats *b);

/* Prints the table: n_seeds runs of n_steps G updates per objective, WGAN
 * clipped at clip_c, WGAN-GP's penalty of weight gp_lambda; then the
 * non-saturating row at WGAN-GP's wall time. */
objective_table_best objective_table_run(lesson *L, recipe_feed *f, recipe_evalset *ev,
                                         float clip_c, float gp_lambda, int n_seeds,
                                         int n_steps);

#endif
