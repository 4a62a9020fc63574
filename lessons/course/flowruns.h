/* flowruns.h - the training runs of lesson 17: a normalising flow
 * (lib/flow/flow.h) on each of lesson 09's toy data sets, and lesson 09's GANs
 * beside them (toyrivals.h), each built in the main thread and trained on
 * worker threads, one run per core; then the flows' held-out curves.
 * Runs share nothing, so each one's numbers depend on its seed alone, not
 * on the worker or the order.
 */
#ifndef GANSTEPS_FLOWRUNS_H
#define GANSTEPS_FLOWRUNS_H

#include <stdint.h>
#include "lesson.h"
#include "nn.h"
#include "toygan.h"

/* Points of a flow's held-out log-likelihood curve, from its start to its end. */
#define FLOWRUNS_CURVE 21
/* Samples of every model scored by lesson 09's metrics, as the papers do. */
#define FLOWRUNS_SAMPLES 2500

/* One training run, a flow or a GAN. */
typedef struct flowrun flowrun;
struct flowrun {
    void (*train)(flowrun *r); /* what a worker runs: the flow's loop or the GAN's */
    const nn_toy *data;
    int steps;
    uint64_t seed;
    double secs;               /* wall time of train */
    /* a flow */
    nn_flow *flow;
    float *batch_x;            /* (batch, 2) */
    const float *held;         /* (n_held, 2) held-out points */
    int n_held;
    /* the held-out mean log p during training, and the steps it was measured at */
    float curve_at[FLOWRUNS_CURVE], curve_ll[FLOWRUNS_CURVE];
    int diverged_at;           /* -1, or the step whose loss was not finite */
    char why[200];             /* what diverged */
    /* a GAN */
    toy_gan *gan;
    toy_config cfg;
    float *samples;            /* (FLOWRUNS_SAMPLES, 2), after training */
};

/* Makes r a flow run of `steps` steps on data: cfg with the data's spread
 * as its scale (lesson 09's, toy_config_preset), seeded by seed, a batch of
 * cfg->max_batch fresh points each step, its curve measured on held (n_held,
 * 2, kept by the caller); train runs it. No memory or a bad cfg fails the
 * lesson. */
void flowruns_flow(lesson *L, flowrun *r, const nn_flow_config *cfg, const nn_toy *data,
                   int steps, uint64_t seed, const float *held, int n_held,
                   void (*train)(flowrun *r));

/* Trains runs[0..n) on `jobs` worker threads (the longest first is the
 * caller's order), each product single-threaded, with a progress line;
 * each run's secs is its wall time. */
void flowruns_train_all(lesson *L, flowrun *runs, int n, int jobs);

/* The held-out curves of flows[0..n) (n <= 2): one figure when they have
 * the same steps (heldout_ll), else one each (heldout_ll_NAME, by the data
 * set's name); the first also drawn in the terminal. */
void flowruns_plot_curves(lesson *L, flowrun *const *flows, int n);

/* Frees what r holds (a zeroed run too). */
void flowruns_free(flowrun *r);

#endif
