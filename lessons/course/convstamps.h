/* convstamps.h - lesson 10's counts of kernel stamps per output pixel of a
 * transposed convolution, shown: a small map printed as numbers, the range
 * of the counts away from the border (even for kernel 4 at stride 2, a
 * checkerboard for kernel 3), and both maps as one figure.
 */
#ifndef GANSTEPS_CONVSTAMPS_H
#define GANSTEPS_CONVSTAMPS_H

#include "lesson.h"

/* The side x side map y, one row of numbers a line. */
void convstamps_print_map(lesson *L, const float *y, int side);

/* The counts of a map of ones through kernel 4 (y14, 14 x 14) and kernel 3
 * (y13, 13 x 13), stride 2, padding 1: prints their range away from the
 * one-pixel border, draws both as convt_stamps.png, and returns the ranges
 * (highest minus lowest count) in *k4_spread and *k3_spread. */
void convstamps_show(lesson *L, const float *y14, const float *y13, int *k4_spread,
                     int *k3_spread);

#endif
