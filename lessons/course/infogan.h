/* infogan.h - what lesson 12 reads off its InfoGAN runs: a run's
 * categorical code judged by the lesson classifier (its purity, and the
 * purity of the same samples with their codes shuffled), what each code
 * value became, the grids of code values and of a continuous code's sweep,
 * the light that sweep moves, and the purity over seeds.
 */
#ifndef GANSTEPS_INFOGAN_H
#define GANSTEPS_INFOGAN_H

#include <stdint.h>

#include "lesson.h"
#include "nn.h"
#include "steered.h"

/* per samples of each code value of ig (latent stream 25 of the lesson's
 * seed, continuous codes uniform), labelled by net: want and got
 * (STEERED_CLASSES * per; want is left shuffled), cm (code value x
 * recognised class), its purity, and in *shuffled the purity of the same
 * samples with their codes shuffled (stream 27 of run_seed), what a code
 * that says nothing about the class would score. */
void infogan_judge_run(lesson *L, const nn_gan *ig, nn_model *net, int per, uint64_t run_seed,
                       int *want, int *got, int *cm, float *purity, float *shuffled);

/* For each code value k, the class its samples were most often recognised
 * as (best[k]) and that class's share of them in percent (share[k]), from cm
 * (code value x recognised class). Returns how many distinct classes the
 * code values became. */
int infogan_code_classes(const int *cm, int *best, double *share);

/* ig's images (STEERED_CLASSES * STEERED_CLASSES, 784): one row per code
 * value, column j drawn from the latent vector z_j of z
 * (STEERED_CLASSES, latent_dim), continuous codes 0. The caller frees them. */
float *infogan_code_grid(lesson *L, const nn_gan *ig, const float *z);

/* ig's images (STEERED_CLASSES * steps, 784): one row per code value, the
 * first continuous code from `from` to `to` along it in `steps` even steps,
 * the others 0, the one latent vector z. The caller frees them. */
float *infogan_cont_sweep(lesson *L, const nn_gan *ig, const float *z, int steps, float from,
                          float to);

/* How far the mean pixel of a sweep img (rows * cols, 784) moves from its
 * first column to its last, averaged over the rows. */
double infogan_ink_change(const float *img, int rows, int cols);

/* The purities of n runs: their mean and sample standard deviation (0 for
 * one run), and the mean of their shuffled baselines. */
void infogan_purity_over_seeds(const float *purity, const float *shuffled, int n, double *mean,
                               double *sd, double *shuffled_mean);

/* What the categorical code learned, read from its purity beside the
 * purity of the same samples with shuffled codes (the gain over a code that
 * says nothing) and the distinct classes its k values became:
 *   nothing: a gain under 0.1, whatever the purity (a G that draws one
 *            class under every code is pure and says nothing);
 *   classes: a gain of 0.3 or more and at least 7 of 10 values' worth of
 *            distinct classes (0.7 k);
 *   partly:  between, or a large gain over few classes. */
typedef enum { INFOGAN_CODE_NOTHING, INFOGAN_CODE_PARTLY, INFOGAN_CODE_CLASSES } infogan_reading;
infogan_reading infogan_read_code(double purity, double shuffled, double distinct, int k);

#endif
