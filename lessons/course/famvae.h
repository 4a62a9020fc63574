/* famvae.h - lesson 18's VAE on Fashion-MNIST (lib/gen/vae.h): training
 * from the batch loader, samples from the prior as images in [-1, 1] (the
 * scale every judge of the course reads), their Frechet distance and classes
 * by the lesson classifier (judge.h), a latent walk, and the rivals'
 * images: lesson 10's DCGAN from its checkpoint and lesson 13's figures from
 * its summary.tsv, where those lessons have run beside this one.
 */
#ifndef GANSTEPS_FAMVAE_H
#define GANSTEPS_FAMVAE_H

#include <stdint.h>
#include "judge.h"
#include "lesson.h"
#include "nn.h"

/* One VAE's training run. */
typedef struct {
    nn_vae *vae;
    float beta;
    int steps;
    double secs;
    nn_vae_terms last;          /* the mean of the terms over the last 200 steps */
    int diverged_at;            /* -1, or the step whose loss was not finite */
} famvae_run;

/* Builds and trains r: cfg with its beta, `steps` batches of ds's images
 * in [0, 1] (shuffled from seed), Adam's rate decaying linearly to 2%, with
 * a progress line labelled label. No memory fails the lesson. */
void famvae_train(lesson *L, famvae_run *r, const nn_dataset *ds, const nn_vae_config *cfg,
                  int steps, uint64_t seed, const char *label);

/* n samples of v (z ~ N(0, I), stream 8 of seed) as images (n, 784) in
 * [-1, 1]: the decoder's mean, 2 p - 1. */
void famvae_sample_pm1(nn_vae *v, float *img, int n, uint64_t seed);

/* The images in j->img (j->n of them, [-1, 1]): their Frechet distance to
 * the test images' features, and the classes covered into *classes (a
 * share of at least 1/JUDGE_CLASS_SHARE). */
double famvae_judge(lesson *L, judge *j, int *classes);

/* A walk through the code space: the means of 6 pairs of test images'
 * codes, joined by 10 evenly spaced points each and decoded, a row per
 * pair: latent_walk.png. */
void famvae_walk(lesson *L, nn_vae *v, const nn_dataset *test);

/* n samples (n, 784, [-1, 1]) of lesson 10's default DCGAN from the G.ckpt
 * it leaves beside this lesson's folder (z from stream 8 of seed). 0 when
 * there is none, or it holds another architecture (not under --fast). */
int famvae_dcgan_samples(lesson *L, float *img, int n, uint64_t seed);

/* The value of key in the summary.tsv of lesson folder `dir` ("13_autoencoder")
 * beside this lesson's. 0 when absent (not read under --fast). */
int famvae_sibling_key(lesson *L, const char *dir, const char *key, double *v);

#endif
