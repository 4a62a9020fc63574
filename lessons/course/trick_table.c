/* trick_table.c - the classic tricks over seeds (trick_table.h). */
#include "trick_table.h"

#include "seed_row.h"

trick_table_count trick_table_run(lesson *L, recipe_feed *f, recipe_evalset *ev, int n_seeds,
                                  int n_steps)
{
    seed_row_print_header(L);
    enum { N_TRICKS = 7 };
    recipe rows[N_TRICKS];
    for (int k = 0; k < N_TRICKS; k++) rows[k] = recipe_vanilla();
    rows[0].name = "default (lesson 06)";
    rows[1].name = "D relu, not leaky";
    rows[1].arch.d_slope = 0.0f;
    rows[2].name = "G without batchnorm";
    rows[2].arch.g_batchnorm = 0;
    rows[3].name = "D without dropout";
    rows[3].arch.d_dropout = 0.0f;
    rows[4].name = "no label smoothing";
    rows[4].cfg.real_label = 1.0f;
    rows[5].name = "instance noise 0.1";
    rows[5].noise0 = 0.1f;
    rows[6].name = "D weight decay 1e-3";
    rows[6].d_decay = 1e-3f;
    static const char *const ids[N_TRICKS] = {"default", "d_relu", "g_no_batchnorm",
                                              "d_no_dropout", "no_label_smoothing",
                                              "instance_noise", "d_weight_decay"};
    seed_row_stats base = {0, 0, 0, 0, 0};
    trick_table_count n = {0, 0};
    for (int k = 0; k < N_TRICKS; k++) {
        seed_row_stats rs = seed_row_run(L, &rows[k], n_seeds, n_steps, f, ev);
        seed_row_print(L, rows[k].name, &rs, n_seeds);
        seed_row_key(L, "trick", ids[k], &rs);
        if (k == 0) base = rs;
        else if (rs.fd_mean + rs.fd_sd < base.fd_mean - base.fd_sd) n.better++;
        else if (rs.fd_mean - rs.fd_sd > base.fd_mean + base.fd_sd) n.worse++;
    }
    return n;
}
