/* densitymap.h - a normalising flow's log-density over the plane of a toy
 * data set, drawn two ways: a heat map with samples as dots (gnuplot), and
 * the same map in the terminal, brighter characters for likelier points.
 * Both span the top 12 nats: below that, a point is as good as never drawn.
 * Lesson 17 shows each of its flows with it.
 */
#ifndef GANSTEPS_DENSITYMAP_H
#define GANSTEPS_DENSITYMAP_H

#include "lesson.h"
#include "nn.h"

/* The log-density of f over a square framing data's modes with a margin:
 * density_NAME (an nx x nx grid, 41 under --fast, else 201, with the first
 * n_dots of dots (n, 2) drawn on it), then the terminal map. */
void densitymap_show(lesson *L, nn_flow *f, const nn_toy *data, const float *dots, int n_dots);

#endif
