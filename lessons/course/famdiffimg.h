/* famdiffimg.h - lesson 18's diffusion model on Fashion-MNIST: the
 * library's DDPM (lib/gen/ddpm.h) with one number per pixel (dim 784),
 * trained from the batch loader on images in [-1, 1] for a fixed number of
 * steps, its samples as images in [-1, 1] for the course's judge
 * (judge.h), and the two controls that give the judge's numbers a scale:
 * unseen real test images (the floor) and Gaussian noise (the ceiling).
 */
#ifndef GANSTEPS_FAMDIFFIMG_H
#define GANSTEPS_FAMDIFFIMG_H

#include <stdint.h>
#include "judge.h"
#include "lesson.h"
#include "nn.h"

/* One training run of the image diffusion model. */
typedef struct {
    nn_ddpm *ddpm;
    int steps;
    double secs;
    float last_loss;           /* the mean simple loss over the last 200 steps, per pixel */
    int diverged_at;           /* -1, or the step whose loss was not finite */
} famdiffimg_run;

/* The configuration: cfg's schedule (T, beta_1, beta_T, t_power), the
 * data's 784 pixels, a wider network (hidden) and batch. */
nn_ddpm_config famdiffimg_config(const nn_ddpm_config *schedule, int hidden, int batch);

/* Builds and trains r on `steps` batches of ds's images in [-1, 1]
 * (shuffled from seed), Adam's rate decaying linearly to 2%, with a
 * progress line. No memory fails the lesson. */
void famdiffimg_train(lesson *L, famdiffimg_run *r, const nn_dataset *ds,
                      const nn_ddpm_config *cfg, int steps, uint64_t seed);

/* n samples of d (stream 8 of seed) as images (n, 784), clipped to
 * [-1, 1], the range of the data it learnt. */
void famdiffimg_sample_pm1(nn_ddpm *d, float *img, int n, uint64_t seed);

/* The controls, into img (n, 784, [-1, 1]): test images n..2n-1 (the
 * judge's reference is the first n, so these are real images it has not
 * seen), or Gaussian noise N(0, 1) clipped to [-1, 1] (stream 9 of seed).
 * The test set must hold 2n images for the former (0 when it does not). */
int famdiffimg_unseen_real(float *img, const nn_dataset *test, int n);
void famdiffimg_noise(float *img, int n, uint64_t seed);

#endif
