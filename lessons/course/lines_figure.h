/* lines_figure.h - one figure of a few curves over a shared x axis, written
 * as PNG (with its .dat and .gp) and drawn in the terminal too. Lesson 11's
 * figures of distances, gradient norms and training curves use it. */
#ifndef GANSTEPS_LINES_FIGURE_H
#define GANSTEPS_LINES_FIGURE_H

#include "lesson.h"
#include "nn.h"

/* k curves ys[0..k) of n points each against x (n), named names[0..k), in
 * the lesson folder as name.png; logy: a logarithmic y axis. The title is
 * the caption too. Fails the lesson when the figure cannot be written. */
void lines_figure_show(lesson *L, const char *name, const char *title, const char *xlabel,
                       const char *ylabel, const float *x, const float *const *ys,
                       const char *const *names, int k, int n, int logy);

#endif
