/* blur.h - lesson 13's measurements of blur: where the mean squared error's
 * best constant lands among the points of two modes, what averaging two
 * edges does to their sharpness (nn_sharpness, the mean squared difference
 * between neighbouring pixels), and the sharpness of real, autoencoder and
 * GAN images drawn side by side. Used by lesson 13.
 */
#ifndef GANSTEPS_BLUR_H
#define GANSTEPS_BLUR_H

#include "lesson.h"

/* Where a constant c fitted to a set of points lies among them. */
typedef struct {
    double mean;        /* the points' mean */
    double nearest;     /* the distance from c to the nearest point */
    int near;           /* points within 0.5 of c */
} blur_toy_fit;

/* Measures where c lies among the n points toy, prints it beside their
 * mean, keys toy_mse_prediction and toy_points_near_prediction, and draws
 * the points' histogram (toy_modes). */
blur_toy_fit blur_report_toy(lesson *L, const float *toy, int n, float c);

/* Two 28 x 28 images of one vertical edge, at columns 12 and 16, and their
 * average: prints the sharpness of one edge and of the average, keys
 * edge_sharpness_ratio, and writes the three as edges.png. */
void blur_show_edges(lesson *L);

/* The sharpness of real images, the autoencoder's reconstructions, its
 * decodings of random codes and a GAN's samples, in that order, as a bar
 * chart (sharpness); and the first (at most 100) of the GAN's n samples fake
 * (n, 784) as gan_samples.png. */
void blur_plot_sharpness(lesson *L, const double sharpness[4], const float *fake, int n);

#endif
