/* w_vs_fd.h - does a loss track the samples' quality? Along two logged runs
 * (a WGAN-GP and lesson 06's vanilla GAN), the rank correlation of the
 * critic's estimate of W, and of the vanilla D loss, with the Frechet
 * distance of the samples; the four curves on one scaled figure and as a
 * table. Lesson 11 uses it. */
#ifndef GANSTEPS_W_VS_FD_H
#define GANSTEPS_W_VS_FD_H

#include "lesson.h"
#include "recipe.h"

typedef struct {
    int first;          /* the first point after the first 10% of steps */
    double rho_gp;      /* Spearman: the critic's W estimate and its run's Frechet distance */
    double rho_van;     /* Spearman: the vanilla D loss and its run's Frechet distance */
} w_vs_fd_ranks;

/* The rank correlations over the points after the first 10% of steps (the
 * critic's warm-up) of runs of `steps` G updates. */
w_vs_fd_ranks w_vs_fd_rank(const recipe_curve *gp, const recipe_curve *van, int steps);

/* The figure w_vs_fd (each curve scaled to [0, 1] over its points, so they
 * share one axis), then the table of the logged points. */
void w_vs_fd_show(lesson *L, const recipe_curve *gp, const recipe_curve *van);

#endif
