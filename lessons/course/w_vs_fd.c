/* w_vs_fd.c - does a loss track the samples' quality (w_vs_fd.h). */
#include "w_vs_fd.h"

#include <math.h>

#include "lines_figure.h"

w_vs_fd_ranks w_vs_fd_rank(const recipe_curve *gp, const recipe_curve *van, int steps)
{
    w_vs_fd_ranks r;
    r.first = 0;
    while (r.first < gp->n && gp->step[r.first] <= 0.1f * (float)steps) r.first++;
    r.rho_gp = nn_spearman(gp->w_est + r.first, gp->fd + r.first, gp->n - r.first);
    r.rho_van = nn_spearman(van->d_loss + r.first, van->fd + r.first, van->n - r.first);
    return r;
}

void w_vs_fd_show(lesson *L, const recipe_curve *gp, const recipe_curve *van)
{
    float sc[4][RECIPE_LOG_POINTS];
    const float *src[4] = {gp->w_est, gp->fd, van->d_loss, van->fd};
    for (int s = 0; s < 4; s++) {
        float mn = INFINITY, mx = -INFINITY;
        for (int i = 0; i < gp->n; i++) {
            mn = fminf(mn, src[s][i]);
            mx = fmaxf(mx, src[s][i]);
        }
        for (int i = 0; i < gp->n; i++)
            sc[s][i] = mx > mn ? (src[s][i] - mn) / (mx - mn) : 0.0f;
    }
    const float *ys[4] = {sc[0], sc[1], sc[2], sc[3]};
    const char *names[4] = {"WGAN-GP: critic's W estimate", "WGAN-GP: Frechet distance",
                            "vanilla: D loss", "vanilla: Frechet distance"};
    lines_figure_show(L, "w_vs_fd", "each curve scaled to [0, 1] over the run", "G updates",
                      "scaled value", gp->step, ys, names, 4, gp->n, 0);
    lesson_print(L, "%8s %12s %10s %12s %10s\n", "step", "W estimate", "FD (GP)", "vanilla D",
                 "FD (van.)");
    for (int i = 0; i < gp->n; i++)
        lesson_print(L, "%8.0f %12.4f %10.2f %12.4f %10.2f\n", (double)gp->step[i],
                     (double)gp->w_est[i], (double)gp->fd[i], (double)van->d_loss[i],
                     (double)van->fd[i]);
}
