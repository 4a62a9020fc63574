/* critic_probe.h - measurements of a trained critic (a WGAN's D): its mean
 * score, how many of its weights sit at a clipping bound (in all and layer
 * by layer), its gradient's norm at the input of each linear layer, and its
 * slope between real and fake images. Lesson 11 uses it on the clipped and
 * the penalised critics. */
#ifndef GANSTEPS_CRITIC_PROBE_H
#define GANSTEPS_CRITIC_PROBE_H

#include <stdint.h>

#include "lesson.h"
#include "nn.h"

/* "At the bound": within this share of c of +c or -c. */
#define CRITIC_PROBE_BAND 0.05f

/* Mean critic score on x (n rows), D in eval mode, in chunks of its batch. */
double critic_probe_mean_score(nn_model *D, const float *x, int n);

/* The weights (not biases) of every linear layer of m, copied into w;
 * returns how many, and how many lie within 5% of +c or -c: | |w| - c | <=
 * 0.05 c, which for a clipped critic (|w| <= c) is |w| >= 0.95 c. */
int critic_probe_weights(const nn_model *m, float *w, float c, int *at_bound);

/* Clips D's parameters into [-c, c] (as the first critic update does) and
 * returns the share of its weights then within 5% of +-c. wbuf holds its
 * weights. */
double critic_probe_share_after_clip(nn_model *D, float c, float *wbuf);

/* What training did to the share of weights at the bound, from start
 * (right after the first clip) to end: pushed them out to it (up by at
 * least 5 points and at least doubled), pulled them in (down by at least 5
 * points and at least halved), or left the share about where it began. */
typedef enum { CRITIC_CLIP_UNCHANGED, CRITIC_CLIP_PUSHED_OUT, CRITIC_CLIP_PULLED_IN }
    critic_clip_change;
critic_clip_change critic_probe_clip_change(double start, double end);

/* The most linear layers critic_probe_layers counts. */
#define CRITIC_PROBE_MAX_LAYERS 16

/* A critic's weights at the bound, per linear layer (input first). */
typedef struct {
    int n;                                  /* linear layers */
    double share[CRITIC_PROBE_MAX_LAYERS];  /* the share of its weights within 5% of +-c */
    long count[CRITIC_PROBE_MAX_LAYERS];    /* its weights */
    long later_n;                           /* the weights of the layers after the first */
    double later_share;                     /* ... and their share at the bound */
} critic_probe_layers;

void critic_probe_layers_measure(const nn_model *m, float c, critic_probe_layers *pl);

/* One line "by layer, input first:" with each layer's share and count, and
 * the shares as the summary.tsv key `key` ("0.123,0.456,..."). */
void critic_probe_layers_print(lesson *L, const critic_probe_layers *pl, const char *key);

/* How the critic's gradient travels back: for the mean score over the batch
 * x (b rows, D in eval mode), the norm of its gradient at the input of each
 * linear layer, first (the images) to last, per image, into norms; returns
 * how many. buf (2, b * widest) is scratch. The chain rule by hand, layer by
 * layer, because a backward pass keeps only the gradient at the input. */
int critic_probe_backward_norms(nn_model *D, const float *x, int b, float *norms, float *buf,
                                size_t widest);

/* Mean ||grad_x D|| at points between the real images (t's batch of them)
 * and fakes of t's G (lambda 0: measured, nothing added to D's gradient).
 * Draws from t's generator. */
float critic_probe_interp_norm(lesson *L, nn_gan *t, const float *real);

/* A histogram of n weights w as the figure name.png, drawn in the terminal
 * too; title on the figure, caption under it. */
void critic_probe_histogram(lesson *L, const char *name, const char *title, const float *w,
                            int n, const char *caption);

#endif
