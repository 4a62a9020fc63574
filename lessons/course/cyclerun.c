/* cyclerun.c - a CycleGAN training run's log and its report (cyclerun.h). */
#include "cyclerun.h"

#include "nn.h"
#include "trainrun.h"

void cyclerun_log_alloc(lesson *L, cyclerun_log *lg, int steps)
{
    lg->d = lesson_alloc(L, (size_t)steps, sizeof(float));
    lg->adv = lesson_alloc(L, (size_t)steps, sizeof(float));
    lg->cyc_a = lesson_alloc(L, (size_t)steps, sizeof(float));
    lg->cyc_b = lesson_alloc(L, (size_t)steps, sizeof(float));
    lg->id = lesson_alloc(L, (size_t)steps, sizeof(float));
}

void cyclerun_log_free(cyclerun_log *lg)
{
    nn_free(lg->d);
    nn_free(lg->adv);
    nn_free(lg->cyc_a);
    nn_free(lg->cyc_b);
    nn_free(lg->id);
}

void cyclerun_report(lesson *L, const cyclerun_log *lg, int with_cycle)
{
    int window = lg->n < TRAINRUN_END_WINDOW ? (int)lg->n : TRAINRUN_END_WINDOW;
    if (!with_cycle) {
        lesson_print(L, "%ld steps in %.1f s; last %d steps' means: D %.3f, G adversarial "
                     "%.3f\n", lg->n, lg->seconds, window,
                     (double)trainrun_tail_mean(lg->d, lg->n),
                     (double)trainrun_tail_mean(lg->adv, lg->n));
        trainrun_plot_pair(L, "nocycle_adversarial", "without the cycle: D's and G's "
                           "least-squares losses (means of the two)", "loss", lg->d, "D",
                           lg->adv, "G", lg->n, 0);
        return;
    }
    lesson_print(L, "%ld steps in %.1f s; last %d steps' means: D %.3f, G adversarial %.3f, "
                 "cycles %.3f and %.3f, identity %.3f\n", lg->n, lg->seconds, window,
                 (double)trainrun_tail_mean(lg->d, lg->n),
                 (double)trainrun_tail_mean(lg->adv, lg->n),
                 (double)trainrun_tail_mean(lg->cyc_a, lg->n),
                 (double)trainrun_tail_mean(lg->cyc_b, lg->n),
                 (double)trainrun_tail_mean(lg->id, lg->n));
    trainrun_plot_pair(L, "cycle_adversarial", "with the cycle: D's and G's least-squares "
                       "losses (means of the two)", "loss", lg->d, "D", lg->adv, "G", lg->n, 0);
    trainrun_plot_pair(L, "cycle_cycle", "with the cycle: the cycle losses, lambda mean "
                       "|F(G(x)) - x|", "loss", lg->cyc_a, "A -> B -> A", lg->cyc_b,
                       "B -> A -> B", lg->n, 0);
}
