/* fdwatch.h - the report of a GAN judged while it trains: D's loss at every
 * step beside the Frechet distance of its samples at points of the run, as a
 * table, two figures and key figures. Lesson 14 watches lesson 06's classic
 * GAN with it.
 */
#ifndef GANSTEPS_FDWATCH_H
#define GANSTEPS_FDWATCH_H

#include "lesson.h"

/* The run's points (np): the steps at (np), the Frechet distance there fds
 * (np) and D's loss there dl (np, each a mean of the steps before); dloss
 * (steps) D's loss at every step. Prints the points as a table, draws
 * classic_fd.png and classic_d_loss.png (the loss with its running mean),
 * gives the watch_* key figures, and returns the point where the distance
 * was lowest. */
int fdwatch_report(lesson *L, const float *at, const float *fds, const float *dl, int np,
                   const float *dloss, int steps);

#endif
