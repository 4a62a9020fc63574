/* fdwatch.c - the report of a GAN judged while it trains (fdwatch.h). */
#include "fdwatch.h"

#include "nn.h"
#include "trainrun.h"

int fdwatch_report(lesson *L, const float *at, const float *fds, const float *dl, int np,
                   const float *dloss, int steps)
{
    nn_error err;
    lesson_print(L, "%8s %10s %10s\n", "step", "D loss", "Frechet");
    for (int i = 0; i < np; i++)
        lesson_print(L, "%8.0f %10.3f %10.2f\n", (double)at[i], (double)dl[i], (double)fds[i]);
    const float *ys[1] = {fds};
    const char *names[1] = {"Frechet distance"};
    nn_plot p = {.dir = L->out, .name = "classic_fd", .title = "the classic GAN judged while "
                 "it trains", .xlabel = "step", .ylabel = "Frechet distance",
                 .term = lesson_capture_begin(L), .term_rows = 12};
    nn_status s = nn_plot_lines(&p, at, ys, names, 1, np, &err);
    lesson_capture_end(L);
    lesson_plot_shown(L, &p, s, &err, "Frechet distance during the classic GAN's run");
    {
        float *xs = lesson_alloc(L, (size_t)steps, sizeof(float)),
              *sm = lesson_alloc(L, (size_t)steps, sizeof(float));
        for (int i = 0; i < steps; i++) xs[i] = (float)(i + 1);
        trainrun_smooth(sm, dloss, steps, steps >= 1000 ? 100 : steps / 10 + 1);
        const float *ys2[2] = {dloss, sm};
        const char *names2[2] = {"D loss", "running mean"};
        nn_plot q = {.dir = L->out, .name = "classic_d_loss", .title = "the classic GAN's D "
                     "loss", .xlabel = "step", .ylabel = "loss", .term = lesson_capture_begin(L),
                     .term_rows = 12};
        s = nn_plot_lines(&q, xs, ys2, names2, 2, steps, &err);
        lesson_capture_end(L);
        lesson_plot_shown(L, &q, s, &err, "D's loss during the same run");
        nn_free(xs);
        nn_free(sm);
    }
    /* Where was the distance lowest, and did D's loss say so? */
    int best = 0;
    for (int i = 1; i < np; i++) best = fds[i] < fds[best] ? i : best;
    lesson_key(L, "watch_fd_best", "%.3f", (double)fds[best]);
    lesson_key(L, "watch_fd_best_step", "%.0f", (double)at[best]);
    lesson_key(L, "watch_fd_end", "%.3f", (double)fds[np - 1]);
    lesson_key(L, "watch_d_loss_at_best", "%.4f", (double)dl[best]);
    lesson_key(L, "watch_d_loss_end", "%.4f", (double)dl[np - 1]);
    return best;
}
