/* objective_table.c - the objectives over seeds (objective_table.h). */
#include "objective_table.h"

#include <math.h>

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
    objective_table_best best = {"", INFINITY};
    for (int k = 0; k < 5; k++) {
        seed_row_stats rs = seed_row_run(L, &rows[k], n_seeds, n_steps, f, ev);
        seed_row_print(L, rows[k].name, &rs, n_seeds);
        seed_row_key(L, "obj", rows[k].name, &rs);
        if (rs.fd_mean < best.fd) {
            best.fd = rs.fd_mean;
            best.name = rows[k].name;
        }
    }
    return best;
}
