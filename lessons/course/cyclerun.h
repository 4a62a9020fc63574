/* cyclerun.h - a CycleGAN training run's log, one entry per step, and what
 * is shown of it once the run is over: the last steps' mean losses and their
 * curves. Lesson 15 uses it for its runs with the cycle and without.
 */
#ifndef GANSTEPS_CYCLERUN_H
#define GANSTEPS_CYCLERUN_H

#include "lesson.h"

typedef struct {
    float *d, *adv;             /* (steps) means of the two D losses, of the two G
                                 * adversarial losses */
    float *cyc_a, *cyc_b, *id;  /* (steps) the two cycle losses, the identity losses' sum */
    long n;
    double seconds;
} cyclerun_log;

/* Room for steps entries. Free with cyclerun_log_free. */
void cyclerun_log_alloc(lesson *L, cyclerun_log *lg, int steps);
void cyclerun_log_free(cyclerun_log *lg);

/* The run's steps and wall time and its last steps' mean losses; with the
 * cycle (with_cycle 1) the cycles' and identity's too, and the figures
 * cycle_adversarial and cycle_cycle; without it, nocycle_adversarial. */
void cyclerun_report(lesson *L, const cyclerun_log *lg, int with_cycle);

#endif
