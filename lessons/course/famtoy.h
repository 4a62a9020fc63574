/* famtoy.h - lesson 18's models on lesson 09's 2-D sets, side by side: a
 * diffusion model (lib/gen/ddpm.h), an autoregressive mixture model
 * (lib/gen/armix.h), a VAE of points (lib/gen/vae.h), lesson 17's flow and
 * lesson 09's GAN (trained as lessons 17 and 09 train them). Each run is
 * built in the main thread and trained on a worker thread, one per core;
 * then each is measured the same way: lesson 09's modes and high-quality
 * share on FAMTOY_SAMPLES samples, the held-out log-likelihood where the
 * model has one (exact or a bound), its training time (wall and the
 * thread's CPU), and what 1,000 samples cost (network passes one after the
 * other, wall and CPU seconds). Runs share nothing, so each one's numbers
 * depend on its seed alone.
 */
#ifndef GANSTEPS_FAMTOY_H
#define GANSTEPS_FAMTOY_H

#include <stdint.h>
#include "flowruns.h"
#include "lesson.h"
#include "nn.h"
#include "toyrivals.h"

#define FAMTOY_SAMPLES FLOWRUNS_SAMPLES /* samples scored, as lessons 09 and 17 */
#define FAMTOY_COST_N 1000              /* samples timed for the sampling cost */

typedef enum { FAM_GAN = 0, FAM_GANFIX, FAM_FLOW, FAM_VAE, FAM_DDPM, FAM_AR, FAM_KINDS } fam_kind;

/* "gan", "gan_best", "flow", "vae", "ddpm", "ar": the summary.tsv prefix. */
const char *famtoy_key(fam_kind k);
/* "GAN (vanilla)", "flow (RealNVP)", ... for tables. */
const char *famtoy_label(fam_kind k);

/* The training settings of every run of a kind. */
typedef struct {
    int steps[FAM_KINDS];        /* Adam steps (the GAN's: lesson 09's preset) */
    int batch;                   /* points per step (DDPM, AR, VAE, flow) */
    float lr;                    /* Adam's, decaying linearly to 2% */
    nn_ddpm_config ddpm;         /* scale set from the data */
    nn_armix_config ar;
    nn_vae_config vae;
    nn_flow_config flow;
} famtoy_setup;

/* The defaults of a full run, or of a --fast one (a smoke test). */
famtoy_setup famtoy_defaults(int fast);

/* One model on one data set. */
typedef struct {
    fam_kind kind;
    const nn_toy *data;
    int steps;
    uint64_t seed;
    float lr;
    int batch;
    flowrun fr;                  /* the GAN's or the flow's run (flowruns.h) */
    nn_vae *vae;
    nn_ddpm *ddpm;
    nn_armix *ar;
    float *batch_x;              /* (batch, 2) */
    double secs, cpu_secs;       /* training: wall, and the worker thread's CPU */
    int diverged_at;             /* -1, or the step whose loss was not finite */
    /* after famtoy_measure */
    float *samples;              /* (FAMTOY_SAMPLES, 2) */
    nn_mode_stats st;
    double ll;                   /* held-out mean log p, NAN when the model has none */
    int ll_exact;                /* 1 exact, 0 a lower bound */
    int passes;                  /* network passes one after the other per sample */
    double cost_wall, cost_cpu;  /* seconds per FAMTOY_COST_N samples */
} famrun;

/* Builds r as a run of kind k on data (its scale from the data's spread,
 * as lesson 09's), seeded by seed; for the GANs, tr says how lesson 09
 * trains them (FAM_GAN the vanilla GAN, FAM_GANFIX the best fix). No
 * memory fails the lesson. */
void famtoy_build(lesson *L, famrun *r, fam_kind k, const nn_toy *data, const famtoy_setup *s,
                  const toyrivals *tr, uint64_t seed);

/* Trains runs[0..n) on `jobs` worker threads, with a progress line. */
void famtoy_train_all(lesson *L, famrun *runs, int n, int jobs);

/* Samples, scores, the held-out log-likelihood on held (n_held, 2) and the
 * sampling cost of r (single-threaded), seeded by seed. */
void famtoy_measure(lesson *L, famrun *r, const float *held, int n_held, uint64_t seed);

/* The samples of runs[0..n) on one figure each: samples_KIND_DATA. */
void famtoy_plot_samples(lesson *L, const famrun *r, const char *caption);

/* d's schedule: the weights sqrt(abar_t) of the signal and sqrt(1 - abar_t)
 * of the noise in x_t against t, as the figure ddpm_schedule; and a table of
 * a few steps with the share of noised ring points still within 3 sigma of
 * their mode (x_t / sqrt(abar_t), in data units). */
void famtoy_show_schedule(lesson *L, const nn_ddpm *d, const nn_toy *data, uint64_t seed);

/* The mean log-likelihood of held (n_held, 2) under a single Gaussian
 * fitted by maximum likelihood to fit (n_fit, 2), and under the data's own
 * mixture (the ceiling no model beats on average). */
double famtoy_gauss_ll(const float *fit, int n_fit, const float *held, int n_held);
double famtoy_true_ll(const nn_toy *data, const float *held, int n_held);

/* Frees what r holds (a zeroed run too). */
void famtoy_free(famrun *r);

#endif
