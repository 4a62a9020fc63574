/* seed_row.c - one row of a table over seeds (seed_row.h). */
#include "seed_row.h"

#include <math.h>
#include <stdio.h>

seed_row_stats seed_row_run(lesson *L, const recipe *r, int n_seeds, int n_steps,
                            recipe_feed *f, recipe_evalset *ev)
{
    seed_row_stats rs = {0, 0, 0, 0, 0};
    double fds[SEED_ROW_MAX_SEEDS];
    int ok = 0;
    for (int s = 0; s < n_seeds; s++) {
        char label[64];
        snprintf(label, sizeof label, "%s, seed %d", r->name, s + 1);
        recipe_outcome o;
        nn_gan_free(recipe_train(L, r, L->seed + 100 + (uint64_t)s, n_steps, f, ev, NULL, label,
                                 &o));
        rs.wall_mean += o.wall_s / n_seeds;
        if (o.diverged_at) {
            rs.diverged++;
            continue;
        }
        fds[ok++] = o.fd;
        rs.classes_mean += o.classes;
    }
    if (ok > 0) {
        for (int i = 0; i < ok; i++) rs.fd_mean += fds[i] / ok;
        for (int i = 0; i < ok; i++) rs.fd_sd += (fds[i] - rs.fd_mean) * (fds[i] - rs.fd_mean);
        rs.fd_sd = ok > 1 ? sqrt(rs.fd_sd / (ok - 1)) : 0.0;
        rs.classes_mean /= ok;
    } else {
        rs.fd_mean = rs.fd_sd = rs.classes_mean = NAN;
    }
    return rs;
}

void seed_row_print_header(lesson *L)
{
    lesson_print(L, "%s", "                               FD mean   FD sd  classes   wall_s  "
                          "diverged\n");
}

void seed_row_print(lesson *L, const char *name, const seed_row_stats *rs, int n_seeds)
{
    lesson_print(L, "%-28s %9.1f %7.1f %8.1f %8.2f %5d/%d\n", name, rs->fd_mean, rs->fd_sd,
                 rs->classes_mean, rs->wall_mean, rs->diverged, n_seeds);
}

void seed_row_key(lesson *L, const char *prefix, const char *name, const seed_row_stats *rs)
{
    char k[96], id[48];
    snprintf(id, sizeof id, "%s", name);
    for (char *c = id; *c; c++)
        if (*c == '-' || *c == ' ' || *c == '.') *c = '_';
    snprintf(k, sizeof k, "%s_%s_fd", prefix, id);
    lesson_key_quiet(L, k, "%.2f", rs->fd_mean);
    snprintf(k, sizeof k, "%s_%s_classes", prefix, id);
    lesson_key_quiet(L, k, "%.2f", rs->classes_mean);
    snprintf(k, sizeof k, "%s_%s_wall_s", prefix, id);
    lesson_key_quiet(L, k, "%.2f", rs->wall_mean);
    snprintf(k, sizeof k, "%s_%s_diverged", prefix, id);
    lesson_key_quiet(L, k, "%d", rs->diverged);
}
