/* seed_row.h - one row of a table over seeds: a recipe trained from several
 * seeds for the same budget, its Frechet distance (mean and spread over the
 * runs that did not diverge), classes covered, wall time and diverged runs;
 * printed as a table row and keyed in summary.tsv. Lesson 11's tables of
 * objectives and of tricks are made of them. */
#ifndef GANSTEPS_SEED_ROW_H
#define GANSTEPS_SEED_ROW_H

#include "lesson.h"
#include "recipe.h"

/* The most seeds a row runs. */
#define SEED_ROW_MAX_SEEDS 20

typedef struct {
    double fd_mean, fd_sd, classes_mean, wall_mean;
    int diverged;
} seed_row_stats;

/* Trains r from seeds L->seed + 100 + s, s < n_seeds, for n_steps G updates each. */
seed_row_stats seed_row_run(lesson *L, const recipe *r, int n_seeds, int n_steps,
                            recipe_feed *f, recipe_evalset *ev);

/* The table's column heads, then one row per recipe. */
void seed_row_print_header(lesson *L);
void seed_row_print(lesson *L, const char *name, const seed_row_stats *rs, int n_seeds);

/* summary.tsv keys prefix_name_fd, _classes, _wall_s, _diverged, the name
 * made an identifier: "wgan-clip" -> "wgan_clip". */
void seed_row_key(lesson *L, const char *prefix, const char *name, const seed_row_stats *rs);

#endif
