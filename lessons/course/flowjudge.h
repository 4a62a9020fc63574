/* flowjudge.h - how lesson 17 judges a normalising flow on a toy data set
 * beside lesson 09's GANs: the held-out log-likelihood against a single
 * Gaussian's and the mixture's own, the flow's samples scored by lesson 09's
 * metrics (modes covered, high-quality share), the mass every model leaves
 * between the modes and how far from them it lies, a check of the
 * log-determinant the flow adds up, and the sentences that compare the flow
 * with the GANs.
 */
#ifndef GANSTEPS_FLOWJUDGE_H
#define GANSTEPS_FLOWJUDGE_H

#include <stdint.h>
#include "flowruns.h"
#include "lesson.h"
#include "nn.h"
#include "toygan.h"

/* Everything measured on one data set, for the tables and the text. */
typedef struct {
    const nn_toy *data;
    nn_mode_stats flow_st, gan_st[2]; /* gan_st[0]: the vanilla GAN, [1]: the best fix */
    int have_gans;
    toy_fix best;
    double flow_ll, gauss_ll, true_ll, invert_err, logdet_err;
    double flow_off, gan_off[2]; /* median distance of off-mode samples, in sigmas */
    double data_between;    /* % of real points farther than 3 sigma from every mode */
} flowjudge_result;

/* res's held-out mean log-likelihoods on held (n_held, 2): the flow f's, a
 * single Gaussian's fitted by maximum likelihood to fit (n_fit, 2), and the
 * data's own mixture's. */
void flowjudge_likelihoods(flowjudge_result *res, nn_flow *f, const float *held, int n_held,
                           const float *fit, int n_fit);

/* x (FLOWRUNS_SAMPLES, 2) = samples of f (stream 8 of seed), scored into
 * res->flow_st and res->flow_off. */
void flowjudge_sample(lesson *L, flowjudge_result *res, nn_flow *f, uint64_t seed, float *x);

/* The flow's samples x (FLOWRUNS_SAMPLES, 2) with the modes marked:
 * samples_NAME. */
void flowjudge_plot_samples(lesson *L, const nn_toy *data, const float *x);

/* The log-determinant f adds up (the sum of its layers' s, minus 2 log
 * scale) against log |det| of f's Jacobian by central differences (h =
 * 0.001), at the first 5 points of held; prints the first two, keys
 * flow_NAME_logdet_check and returns the largest difference. */
double flowjudge_logdet_check(lesson *L, nn_flow *f, const float *held, const char *name);

/* The rows of one data set in the table of lesson 09's metrics: real data
 * (stream 7 of seed), the flow, and when gans is not NULL the vanilla GAN
 * (gans[0]) and the best fix (gans[1], res->best); fills res's real and
 * GAN figures and keys them. */
void flowjudge_rows(lesson *L, flowjudge_result *res, flowrun *const *gans, uint64_t seed);

/* One data set's modes and mass between them in words: the flow's beside
 * the data's and the GANs'. */
void flowjudge_say_between(lesson *L, const flowjudge_result *res);

/* What the table shows over res[0..n): the judge's verdict. */
typedef struct {
    int flow_covers;    /* the flow covers every mode of every data set */
    int any_gans;
    int above_best;     /* the flow leaves more between the modes than the best fix, everywhere */
    int vanilla_drops;  /* a vanilla GAN drops a mode somewhere */
    int vanilla_off;    /* -1, or the first data set where the vanilla GAN has still
                         * fewer samples on the modes than the flow */
} flowjudge_verdict;

flowjudge_verdict flowjudge_compare(const flowjudge_result *res, int n);

#endif
