/* recipe.h - one way to train a GAN on Fashion-MNIST (a recipe: the
 * networks' shape, the step's options, an instance-noise schedule, D's
 * weight decay, a critic warm-up) and one run of it from a seed: real
 * batches from a reshuffled feed, the critic's estimate of W and the
 * Frechet distance logged along the way, the end judged. Lesson 11's main
 * runs and every run of its tables train through recipe_train. */
#ifndef GANSTEPS_RECIPE_H
#define GANSTEPS_RECIPE_H

#include <stdint.h>

#include "judge.h"
#include "lesson.h"
#include "nn.h"

/* The most points a run logs. */
#define RECIPE_LOG_POINTS 16

/* One way to train: the networks' shape, the step's options, and the two
 * tricks that are not a field of the config (a schedule and D's decay). */
typedef struct {
    const char *name;
    nn_gan_arch arch;
    nn_gan_config cfg;
    float noise0;          /* instance noise at step 0, lowered linearly to 0 at the end */
    float d_decay;         /* weight decay on D (L2, in its optimizer) */
    int warm_steps;        /* the first warm_steps G updates take warm_d_steps D updates */
    int warm_d_steps;      /* each (a critic trained close to optimal before G moves much) */
    float d_init_sd;       /* D's weights start N(0, d_init_sd); 0: N(0, 0.02), as G's */
} recipe;

/* The critic: linear layers and leaky ReLUs (what the penalty's code
 * covers), no dropout or normalisation (WGAN-GP asks for none), and most of
 * its weights past the input layer, as in the papers' convolutional critics:
 * 784 pixels narrow to 128 first, then two layers of 512. G is lesson 06's
 * default. */
nn_gan_arch recipe_wgan_arch(void);

/* Arjovsky et al. (2017): weight clipping at c, on recipe_wgan_arch. The
 * critic starts well inside its bound, N(0, sd) with sd = min(0.02, c / 3):
 * from N(0, 0.02) a bound of 0.01 would clip 62% of the weights at once,
 * before any learning, and the share at the bound at the end would say
 * nothing about what training did. Three standard deviations inside, 0.4%
 * start within 5% of +-c. */
recipe recipe_wgan_clip(float c);

/* Gulrajani et al. (2017): the gradient penalty of weight lambda, on
 * recipe_wgan_arch. */
recipe recipe_wgan_gp(float lambda);

/* Lesson 06's default: its MLPs, the non-saturating loss, DCGAN's Adam,
 * one-sided label smoothing (real label 0.9). */
recipe recipe_vanilla(void);

/* The data: the training images, a reshuffled order, and where we are in it. */
typedef struct {
    nn_dataset ds;         /* every image of the split */
    int n;                 /* the images the runs draw from: all, or --fast's first few */
    int *order;            /* (n) */
    int pos;
    nn_rng rng;
} recipe_feed;

/* Loads the training split of data_dir (NULL: Fashion-MNIST) and draws from
 * its first max_images (0: all), shuffled from seed. A set whose images are
 * not 784 values each (28 x 28 grey) fails the lesson with exit 2. */
void recipe_feed_open(lesson *L, recipe_feed *f, const char *data_dir, int max_images,
                      uint64_t seed);
void recipe_feed_free(recipe_feed *f);

/* real (count, 784): the next count images of the feed, in [-1, 1]; a new
 * shuffle whenever the order runs out. */
void recipe_feed_batches(recipe_feed *f, float *real, int count);

/* A feed that goes on from where f is, with an order of its own and f's
 * images: what it draws leaves f untouched. For a run whose length is not
 * fixed by the seed (one sized by a clock), so the runs after it still
 * draw the same batches. recipe_feed_fork_free frees its order only. */
recipe_feed recipe_feed_fork(lesson *L, const recipe_feed *f);
void recipe_feed_fork_free(recipe_feed *copy);

/* The shared evaluation set: fixed latent vectors and real test images. */
typedef struct {
    nn_model *net;         /* the judge's classifier */
    judge *j;
    float *z;              /* (j->n, latent) */
    float *real;           /* (j->n, 784): the judge's test images, for the critic */
} recipe_evalset;

/* The judge on the first n images of test, with lesson 09's classifier (or
 * one trained now on classifier_set), and n latent vectors drawn from seed. */
void recipe_evalset_open(lesson *L, recipe_evalset *ev, const nn_dataset *classifier_set,
                         const nn_dataset *test, int n, uint64_t seed);
void recipe_evalset_free(recipe_evalset *ev);

/* What a main run logs, up to RECIPE_LOG_POINTS points. */
typedef struct {
    int n, want;          /* logged so far, to log */
    float step[RECIPE_LOG_POINTS], w_est[RECIPE_LOG_POINTS], fd[RECIPE_LOG_POINTS],
        d_loss[RECIPE_LOG_POINTS];
} recipe_curve;

/* What one run ends with. */
typedef struct {
    double fd;
    int classes;
    long diverged_at;      /* the step a loss went NaN / exploded, 0 if none */
    double wall_s;
} recipe_outcome;

/* The networks of r from seed: N(0, 0.02) weights, D's scaled to
 * N(0, r->d_init_sd) when it is set. The caller frees them. */
nn_gan *recipe_create(lesson *L, const recipe *r, uint64_t seed);

/* Trains recipe r from seed for n_steps G updates; logs `log` (may be
 * NULL) at log->want evenly spaced steps; judges the end. Returns the GAN
 * (the caller frees it). A diverging run stops there and says so in o. */
nn_gan *recipe_train(lesson *L, const recipe *r, uint64_t seed, int n_steps, recipe_feed *f,
                     recipe_evalset *ev, recipe_curve *log, const char *label,
                     recipe_outcome *o);

#endif
