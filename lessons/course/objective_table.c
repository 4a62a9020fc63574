/* objective_table.c - the objectives over seeds (objective_table.h). */
#include "objective_table.h"

#include <math.h>
#include <stdio.h>

#include "seed_row.h"

objective_table_best objective_table_run(lesson *L, recipe_feed *f, recipe_evalset *ev,
                                         float clip_c, float gp_lambda, int n_seeds,
                                         int n_steps)
{
    seed_row_print_header(L);
    recipe rows[5];
    const nn_gan_objective objs[3] = {NN_GAN_NONSAT, NN_GAN_LSGAN, NN_GAN_HINGE};
    for (int k = 0; k < 3; k++) {
        rows[k] = (recipe){.name = nn_gan_objective_name(objs[k]), .arch = recipe_wgan_arch(),
                           .cfg = nn_gan_config_default()};
        rows[k].cfg.objective = objs[k];
    }
    rows[3] = recipe_wgan_clip(clip_c);
    rows[4] = recipe_wgan_gp(gp_lambda);
    objective_table_best best = {.name = "", .fd = INFINITY};
    for (int k = 0; k < 5; k++) {
        seed_row_stats rs = seed_row_run(L, &rows[k], n_seeds, n_steps, f, ev);
        seed_row_print(L, rows[k].name, &rs, n_seeds);
        seed_row_key(L, "obj", rows[k].name, &rs);
        if (rs.fd_mean < best.fd) {
            best.fd = rs.fd_mean;
            best.name = rows[k].name;
        }
        if (k == 0) best.eq_nonsat = rs;   /* its time, for now */
        if (k == 4) best.gp = rs;
    }
    /* Equal wall time: the non-saturating loss takes one D update per G
     * update, WGAN-GP five with a penalty each; as many G updates as fill
     * WGAN-GP's measured time. */
    best.time_ratio = best.eq_nonsat.wall_mean > 0.0
                          ? best.gp.wall_mean / best.eq_nonsat.wall_mean : 1.0;
    best.eq_steps = (int)lround(n_steps * best.time_ratio);
    if (best.eq_steps < n_steps) best.eq_steps = n_steps;
    /* Its length comes from this machine's clock, not from the seed: it
     * draws from a fork of the feed, so the tables after it stay the same
     * from run to run. */
    recipe_feed fork = recipe_feed_fork(L, f);
    best.eq_nonsat = seed_row_run(L, &rows[0], n_seeds, best.eq_steps, &fork, ev);
    recipe_feed_fork_free(&fork);
    char name[48];
    snprintf(name, sizeof name, "%s, %d steps", rows[0].name, best.eq_steps);
    seed_row_print(L, name, &best.eq_nonsat, n_seeds);
    seed_row_key(L, "obj_equal_time", rows[0].name, &best.eq_nonsat);
    lesson_key(L, "obj_equal_time_steps", "%d", best.eq_steps);
    return best;
}

int objective_table_lower(const seed_row_stats *a, const seed_row_stats *b)
{
    if (!isfinite(a->fd_mean) || !isfinite(b->fd_mean)) return 0;
    double gap = b->fd_mean - a->fd_mean, spread = a->fd_sd + b->fd_sd;
    return gap > spread ? -1 : -gap > spread ? 1 : 0;
}
