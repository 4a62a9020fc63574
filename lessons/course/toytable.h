/* toytable.h - the table of lesson 09's fixes for mode collapse: each
 * setting of a toy GAN trained from several seeds, the runs spread over
 * worker threads, and the modes covered, high-quality share and reverse KL
 * as mean and spread over seeds, with keys and a bar chart. Each run's
 * training is the lesson's own function (its code cell), passed in.
 */
#ifndef GANSTEPS_TOYTABLE_H
#define GANSTEPS_TOYTABLE_H

#include "lesson.h"
#include "nn.h"
#include "toygan.h"

/* One training run of n G updates on g, fresh from toy_gan_create. It must
 * not fail: it runs on a worker thread. */
typedef void (*toytable_train_fn)(toy_gan *g, const toy_config *cfg, const nn_toy *data, int n);

typedef struct {
    const nn_toy *data;
    int n_settings;
    const toy_fix *settings;   /* (n_settings) vanilla first, the slowest last */
    const toy_config *cfgs;    /* (n_settings) each setting's GAN */
    int steps;                 /* G updates per run */
    int seeds;                 /* runs per setting, from seeds L->seed + 1000 + k */
    int jobs;                  /* runs at once, each on one thread */
    int n_eval;                /* samples the metrics count */
    toytable_train_fn train;
} toytable_spec;

/* Trains every setting from every seed, then prints the table (mean +- sd
 * over seeds, seconds per run) and keys DATA_SETTING_{modes,modes_sd,hq,
 * hq_sd,kl} (quiet), DATA_best_fix{,_modes,_hq} and DATA_table_wall_s,
 * and shows the modes covered per setting as bars. */
void toytable_compare(lesson *L, const toytable_spec *spec);

#endif
