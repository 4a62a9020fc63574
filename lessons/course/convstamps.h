/* convstamps.h - lesson 10's counts of kernel stamps per output pixel of a
 * transposed convolution, shown: a small map printed as numbers, the range
 * of the counts away from the border (even for kernel 4 at stride 2, a
 * checkerboard for kernel 3), and each map as a figure with its axes, its
 * colour scale and its counts.
 */
#ifndef GANSTEPS_CONVSTAMPS_H
#define GANSTEPS_CONVSTAMPS_H

#include "lesson.h"

/* The side x side map y, one row of numbers a line. */
void convstamps_print_map(lesson *L, const float *y, int side);

/* The counts of a map of ones through kernel 4 (y14, 14 x 14) and kernel 3
 * (y13, 13 x 13), stride 2, padding 1: prints their range away from the
 * one-pixel border, draws them as convt_stamps_k4.png and convt_stamps_k3.png
 * (nn_plot_matrix: rows as printed, each cell's count in it), and returns the ranges
 * (highest minus lowest count) in *k4_spread and *k3_spread. */
void convstamps_show(lesson *L, const float *y14, const float *y13, int *k4_spread,
                     int *k3_spread);

#endif
