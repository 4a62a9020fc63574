/* p2prun.h - lesson 19's training runs: one Pix2Pix (lib/gan/pix2pix.h) per
 * task and variant, built on the lesson's thread and trained on a worker
 * (workqueue.h), with the log of its losses, a watch for numbers that stop
 * being numbers, and its outputs on held-out images.
 *
 * The variants of one task share the seed: the same U-Net weights at the
 * start (stream 1 of the seed), the same batches in the same order and the
 * same masks, so what differs between "L1 only" and "L1 + GAN" is the
 * adversarial term alone.
 */
#ifndef GANSTEPS_P2PRUN_H
#define GANSTEPS_P2PRUN_H

#include "lesson.h"
#include "nn.h"
#include "p2pdata.h"

/* How the lesson builds and trains every run. */
typedef struct {
    int steps, batch;
    int g_ch, d_ch;         /* the U-Net's first level's channels; D's first layer's */
    float lambda;           /* the L1 weight: 100, as the paper */
    float lr;               /* Adam's rate for both networks */
} p2prun_setup;

typedef struct {
    p2p_task task;
    int adversarial, skips;
    const char *label;      /* "L1 only", "L1 + GAN", ... */
    p2prun_setup set;
    uint64_t seed;
    const nn_dataset *ds;
    nn_pix2pix *p;
    float *l1, *adv, *d_real, *d_fake;  /* (steps) the step's L1 term (lambda mean |out - y|),
                                         * adversarial term, D's mean probabilities */
    long done;              /* steps run */
    int diverged_at;        /* -1, or the step whose numbers were not finite */
    const char *diverged;   /* what was not: "the generator's loss", "D's loss" */
    int no_memory;          /* 1: the worker found no memory for its batches */
    double secs;
} p2prun;

/* Builds r (the U-Net and, with adversarial, the PatchGAN judge of the
 * pair) for task t on the training set ds. No memory fails the lesson. */
void p2prun_build(lesson *L, p2prun *r, p2p_task t, int adversarial, int skips,
                  const char *label, const p2prun_setup *set, const nn_dataset *ds,
                  uint64_t seed);
void p2prun_free(p2prun *r);

/* Trains runs[0..n) on up to jobs worker threads, one run each; a run
 * that diverged or found no memory then fails the lesson, naming it. */
void p2prun_train_all(lesson *L, p2prun *runs, int n, int jobs);

/* The judge's layers: (in_c + 1) x 28 x 28 -> conv 4x4 /2 (ch), leaky ReLU
 * -> conv 4x4 /2 (2ch), batchnorm, leaky ReLU -> conv 3x3 (1): a 7 x 7 map of
 * logits, each reading an 18 x 18 patch of the pair. */
nn_model *p2prun_patch_judge(int in_c, int ch, int max_batch, nn_error *err);

/* r's pasted outputs of n inputs x (n, in_c 784) with their real images y
 * and masks (inpainting; else NULL): out (n, 784), eval mode. */
void p2prun_translate(p2prun *r, float *out, const float *x, const float *y, const float *mask,
                      int n);

/* The mean of the last `tail` steps' entries of a log (NAN when none). */
double p2prun_tail_mean(const float *log, long done, int tail);

#endif
