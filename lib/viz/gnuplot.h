/* gnuplot.h - private to plot.c and gnuplot.c: running gnuplot on a script.
 * Not part of the public API (nn.h does not include it). */
#ifndef NN_GNUPLOT_H
#define NN_GNUPLOT_H

#include <stddef.h>
#include <stdio.h>
#include "viz/plot.h"

/* Runs `gnuplot script` (dumb: `gnuplot -e nn_dumb=1 script`, the script's
 * switch to the dumb terminal) with dir as working folder. The dumb run's
 * standard output is copied to sink; the PNG run's output (gnuplot's
 * complaints) is kept in msg (msg_cap bytes, one line). Returns gnuplot's exit
 * status (0 = success), or -1 when it could not be run (msg says why). */
int nn_gnuplot_run(const char *dir, const char *script, int dumb, FILE *sink, char *msg,
                   size_t msg_cap);

#endif
