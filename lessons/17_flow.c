/* 17_flow.c - lesson 17: a normalising flow, for contrast.
 *
 * The course questions it answers: what does a model that can say how
 * likely a point is look like, next to a GAN that can only draw samples?
 * A RealNVP flow (lib/flow.h: affine coupling layers, exercise 27) learns
 * lesson 09's ring and grid of Gaussians by exact maximum likelihood. The
 * lesson derives its density from the change-of-variables formula, shows it
 * as a heat map, reports the held-out log-likelihood beside a single
 * Gaussian's (which no GAN can report), counts modes and the high-quality
 * share by lesson 09's metrics beside the vanilla and the best-fixed GAN
 * (trained here through lessons/course/toygan, as lesson 09 trains them),
 * measures the mass a flow leaves between the modes, and checks that the
 * map really is invertible.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"
#include "lesson.h"
#include "nn.h"
#include "plot.h"
#include "toygan.h"

#define N_EVAL 2500      /* samples scored by lesson 09's metrics, as the papers do */
#define N_FIT 20000      /* points the single Gaussian is fitted to */
#define N_CURVE 21       /* held-out log-likelihood measured this many times in training */
#define MAX_JOBS 6
#define LOG_2PI 1.8378770664093453

static const char *dataset_flag = "both";
static int steps_flag = 0;    /* 0: the data set's own (ring 10,000, grid 8,000) */
static int layers = 8;
static int hidden = 64;
static float lr = 1e-3f;
static int batch = 512;
static float s_max = 2.0f;
static int heldout = 10000;
static int skip_gans = 0;
static int jobs = 2;

static const lesson_flag flags[] = {
    {"dataset", LESSON_CHOICE, &dataset_flag, "toy data: lesson 09's ring of 8, grid of 25, or "
     "both", 0, 0, "ring|grid|both"},
    {"steps", LESSON_INT, &steps_flag, "Adam steps of each flow (default: ring 10000, grid "
     "8000)", 10, 1e6, NULL},
    {"layers", LESSON_INT, &layers, "coupling layers of the flow", 1, 64, NULL},
    {"hidden", LESSON_INT, &hidden, "width of each coupling network's two hidden layers", 1,
     1024, NULL},
    {"lr", LESSON_FLOAT, &lr, "Adam's learning rate (decays linearly to 2%)", 1e-6, 1, NULL},
    {"batch", LESSON_INT, &batch, "points per step", 8, 4096, NULL},
    {"s-max", LESSON_FLOAT, &s_max, "bound on each layer's log-scale |s|", 0.01, 20, NULL},
    {"heldout", LESSON_INT, &heldout, "fresh points the log-likelihood is measured on", 100,
     1e6, NULL},
    {"skip-gans", LESSON_SWITCH, &skip_gans, "do not train lesson 09's GANs to compare with",
     0, 0, NULL},
    {"jobs", LESSON_INT, &jobs, "training runs at once (one per core)", 1, 16, NULL},
};

/* ------------------------------------------------------------------ the runs */

/* One training run, a flow or a GAN, built in the main thread and trained
 * by whichever worker takes it. Runs share nothing, so each one's numbers
 * depend on the seed alone, not on the worker or the order. */
typedef struct {
    const nn_toy *data;
    int steps;
    uint64_t seed;
    double secs;
    /* a flow */
    nn_flow *flow;
    float *batch_x;            /* (batch, 2) */
    const float *held;         /* (n_held, 2) held-out points */
    int n_held;
    float curve_at[N_CURVE], curve_ll[N_CURVE]; /* held-out mean log p during training */
    int diverged_at;           /* -1, or the step whose loss was not finite */
    char why[200];             /* what diverged */
    /* a GAN */
    toy_gan *gan;
    toy_config cfg;
    float *samples;            /* (N_EVAL, 2), after training */
} run;

/* lesson 09's schedule: both learning rates decay linearly to 2%. */
static void gan_train(run *r)
{
    for (int s = 0; s < r->steps; s++) {
        float decay = 1.0f - 0.98f * (float)s / (float)r->steps;
        r->gan->gan->opt_g.lr = r->cfg.lr * decay;
        r->gan->gan->opt_d.lr = r->cfg.lr_d * decay;
        toy_gan_step(r->gan, r->data);
    }
    toy_gan_sample(r->gan, r->samples, N_EVAL);
}

static void flow_train(run *r)
{
    nn_flow *f = r->flow;
    nn_rng rng;
    nn_rng_seed(&rng, r->seed, 3);
    int n = f->cfg.max_batch, k = 0;
    r->diverged_at = -1;
    /* STEP: train */
    for (int s = 0; s <= r->steps; s++) {
        if ((long)s * (N_CURVE - 1) >= (long)k * r->steps) { /* N_CURVE points on the curve */
            r->curve_at[k] = (float)s;
            r->curve_ll[k++] = (float)nn_flow_mean_log_prob(f, r->held, r->n_held);
        }
        if (s == r->steps) break;
        f->cfg.opt.lr = lr * (1.0f - 0.98f * (float)s / (float)r->steps);
        nn_toy_sample(r->data, &rng, r->batch_x, NULL, n);   /* fresh points each step */
        float nll = nn_flow_train_step(f, r->batch_x, n);    /* -mean log p, Adam */
        if (!isfinite(nll)) {                                /* a log-scale blew up */
            r->diverged_at = s;
            nn_flow_diagnose(f, r->batch_x, n, r->why, sizeof r->why);
            break;
        }
    }
    /* END STEP */
}

typedef struct {
    run *runs;
    int n, next, done;
    pthread_mutex_t lock;
    pthread_cond_t progress;
} queue;

static void *worker(void *arg)
{
    queue *q = arg;
    for (;;) {
        pthread_mutex_lock(&q->lock);
        int i = q->next < q->n ? q->next++ : -1;
        pthread_mutex_unlock(&q->lock);
        if (i < 0) return NULL;
        run *r = &q->runs[i];
        double t0 = lesson_seconds();
        if (r->flow) flow_train(r);
        else gan_train(r);
        r->secs = lesson_seconds() - t0;
        pthread_mutex_lock(&q->lock);
        q->done++;
        pthread_cond_signal(&q->progress);
        pthread_mutex_unlock(&q->lock);
    }
}

/* Runs every run on `jobs` worker threads, each product single-threaded. */
static void run_all(lesson *L, run *runs, int n)
{
    int before = nn_get_threads();
    nn_set_threads(1);
    queue q = {.runs = runs, .n = n};
    pthread_mutex_init(&q.lock, NULL);
    pthread_cond_init(&q.progress, NULL);
    pthread_t tid[16];
    int w = jobs < n ? jobs : n, started = 0;
    for (; started < w; started++)
        if (pthread_create(&tid[started], NULL, worker, &q) != 0) break;
    if (started == 0) worker(&q);  /* no threads to be had: run them here */
    lesson_progress prog;
    lesson_progress_start(L, &prog, "training", n);
    pthread_mutex_lock(&q.lock);
    while (q.done < n) {
        pthread_cond_wait(&q.progress, &q.lock);
        lesson_progress_tick(&prog, q.done, "runs done, %d workers", started ? started : 1);
    }
    pthread_mutex_unlock(&q.lock);
    for (int i = 0; i < started; i++) pthread_join(tid[i], NULL);
    lesson_progress_done(&prog);
    pthread_mutex_destroy(&q.lock);
    pthread_cond_destroy(&q.progress);
    nn_set_threads(before);
}

/* ------------------------------------------------------------------ densities */

/* The data's own density, the mixture: log p(x) = log (1/K) sum_k N(x; c_k, sigma^2 I). */
static double mixture_log_prob(const nn_toy *d, const float *x)
{
    double best = -INFINITY, v[NN_TOY_MAX_MODES];
    double s2 = (double)d->sigma * d->sigma;
    for (int k = 0; k < d->n_modes; k++) {
        double dx = x[0] - d->centres[2 * k], dy = x[1] - d->centres[2 * k + 1];
        v[k] = -(dx * dx + dy * dy) / (2.0 * s2);
        if (v[k] > best) best = v[k];
    }
    double sum = 0.0;
    for (int k = 0; k < d->n_modes; k++) sum += exp(v[k] - best);
    return best + log(sum) - log((double)d->n_modes) - LOG_2PI - log(s2);
}

/* A single Gaussian fitted by maximum likelihood: the mean and the
 * covariance with 1/n (not numpy.cov's 1/(n-1)). */
typedef struct {
    double mu[2], cov[4];
} gauss2;

static gauss2 gauss_fit(const float *x, int n)
{
    gauss2 g;
    nn_mean_cov(g.mu, g.cov, x, n, 2);
    for (int i = 0; i < 4; i++) g.cov[i] *= (double)(n - 1) / n;
    return g;
}

static double gauss_log_prob(const gauss2 *g, const float *x)
{
    double a = g->cov[0], b = g->cov[1], d = g->cov[3], det = a * d - b * b;
    double u = x[0] - g->mu[0], v = x[1] - g->mu[1];
    double q = (d * u * u - 2.0 * b * u * v + a * v * v) / det;
    return -0.5 * q - LOG_2PI - 0.5 * log(det);
}

/* Square plane that frames the data set with a margin (as lesson 09's). */
static float plane_half(const nn_toy *d)
{
    float r = 0.0f;
    for (int k = 0; k < d->n_modes * 2; k++) r = fmaxf(r, fabsf(d->centres[k]));
    return r * 1.3f;
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* Where the samples off the modes lie: the median, over the samples x
 * (n, 2) farther than 3 sigma from every mode, of the distance to the
 * nearest mode, in sigmas (0 when there are none). A skirt around each
 * mode gives a few sigmas; strands between the modes, tens. */
static double off_mode_median(const nn_toy *d, const float *x, int n, float *scratch)
{
    int m = 0;
    for (int i = 0; i < n; i++) {
        float best = INFINITY;
        for (int k = 0; k < d->n_modes; k++)
            best = fminf(best, hypotf(x[2 * i] - d->centres[2 * k],
                                      x[2 * i + 1] - d->centres[2 * k + 1]));
        if (best > 3.0f * d->sigma) scratch[m++] = best / d->sigma;
    }
    if (m == 0) return 0.0;
    qsort(scratch, (size_t)m, sizeof(float), cmp_float);
    return m % 2 ? scratch[m / 2] : 0.5 * ((double)scratch[m / 2 - 1] + scratch[m / 2]);
}

/* ------------------------------------------------------------------ one data set */

/* Everything measured on one data set, for the table and the text. */
typedef struct {
    const nn_toy *data;
    nn_mode_stats flow_st, gan_st[2];
    int have_gans;
    toy_fix best;
    const char *best_source;
    double flow_ll, gauss_ll, true_ll, invert_err, logdet_err;
    double flow_off, gan_off[2]; /* off_mode_median of the flow's, the GANs' samples */
    double data_between;    /* % of real points farther than 3 sigma from every mode */
} result;

static const char *pct_word(double a, double b)
{
    return a > b ? "more" : a < b ? "less" : "as much";
}

/* The lesson's figures for a data set's flow, after training: samples,
 * heat map, terminal map, metrics, likelihoods, invertibility. */
static void judge_flow(lesson *L, run *r, result *res, const float *fit, int n_fit)
{
    nn_error err;
    nn_flow *f = r->flow;
    const nn_toy *d = r->data;
    const char *nm = d->name;
    char name[64], key[64], title[160];
    float *x = lesson_alloc(L, (size_t)N_EVAL * 2, sizeof(float));

    /* Held-out log-likelihoods: the flow's, a single Gaussian's, the data's own. */
    gauss2 g = gauss_fit(fit, n_fit);
    double gl = 0.0, tl = 0.0;
    for (int i = 0; i < r->n_held; i++) {
        gl += gauss_log_prob(&g, r->held + 2 * i);
        tl += mixture_log_prob(d, r->held + 2 * i);
    }
    res->gauss_ll = gl / r->n_held;
    res->true_ll = tl / r->n_held;
    res->flow_ll = nn_flow_mean_log_prob(f, r->held, r->n_held);

    /* Samples by the inverse, scored by lesson 09's metrics. */
    nn_rng rng;
    nn_rng_seed(&rng, L->seed, 8);
    nn_flow_sample(f, x, N_EVAL, &rng);
    lesson_check(L, nn_mode_stats_compute(&res->flow_st, NULL, x, N_EVAL, 2, d->centres,
                                          d->n_modes, d->sigma, &err), &err);

    /* The density over the plane, log p on an nx x nx grid. */
    int nx = L->fast ? 41 : 201;
    float half = plane_half(d);
    enum { TN = 56 };  /* the terminal map: TN x TN characters' worth */
    int np = nx * nx > TN * TN * 9 ? nx * nx : TN * TN * 9;
    float *pts = lesson_alloc(L, (size_t)np * 2, sizeof(float)),
          *lp = lesson_alloc(L, (size_t)np, sizeof(float));
    for (int j = 0; j < nx; j++)
        for (int i = 0; i < nx; i++) {
            pts[2 * (j * nx + i)] = -half + 2.0f * half * (float)i / (float)(nx - 1);
            pts[2 * (j * nx + i) + 1] = -half + 2.0f * half * (float)j / (float)(nx - 1);
        }
    nn_flow_log_prob(f, lp, pts, nx * nx);
    float top = -INFINITY;
    for (int i = 0; i < nx * nx; i++) top = fmaxf(top, lp[i]);
    /* 12 nats of range: below that, a point is as good as never drawn. */
    for (int i = 0; i < nx * nx; i++) lp[i] = fmaxf(lp[i], top - 12.0f);
    snprintf(name, sizeof name, "density_%s", nm);
    snprintf(title, sizeof title, "%s: the flow's log p(x), 500 of its samples", nm);
    nn_plot p = {.dir = L->out, .name = name, .title = title, .xlabel = "x", .ylabel = "y",
                 .width = 640, .height = 600};
    nn_status s = nn_plot_heatmap(&p, lp, nx, nx, -half, half, -half, half, x, 500, NULL, 0,
                                  &err);
    lesson_plot_shown(L, &p, s, &err, "the learned log-density (clipped 12 below its top), "
                      "samples as dots");

    /* The same map in the terminal: brighter characters, likelier points.
     * Each cell shows the highest log p of 3 x 3 points inside it, so a
     * strand thinner than a cell still shows. */
    float img[TN * TN];
    for (int row = 0; row < TN; row++)
        for (int col = 0; col < TN; col++) {
            img[row * TN + col] = 0.0f;
            for (int k = 0; k < 9; k++) {
                float *q = pts + 2 * ((row * TN + col) * 9 + k);
                q[0] = -half + 2.0f * half * ((float)col + ((float)(k % 3) + 0.5f) / 3.0f) / TN;
                q[1] = half - 2.0f * half * ((float)row + ((float)(k / 3) + 0.5f) / 3.0f) / TN;
            }
        }
    nn_flow_log_prob(f, lp, pts, TN * TN * 9);
    for (int i = 0; i < TN * TN; i++) {
        float m = -INFINITY;
        for (int k = 0; k < 9; k++) m = fmaxf(m, lp[i * 9 + k]);
        img[i] = fmaxf(0.0f, 1.0f - (top - m) / 12.0f);
    }
    lesson_print(L, "%s: the flow's log-density, the top 12 nats (top right is (%.1f, %.1f))\n",
                 nm, (double)half, (double)half);
    nn_image_preview(lesson_capture_begin(L), img, 1, 1, TN, TN, 1, 0.0f, 1.0f,
                     NN_PREVIEW_ASCII);
    lesson_capture_end(L);

    snprintf(name, sizeof name, "samples_%s", nm);
    snprintf(title, sizeof title, "%s: %d samples of the flow, modes marked", nm, N_EVAL);
    nn_plot q = {.dir = L->out, .name = name, .title = title, .xlabel = "x", .ylabel = "y",
                 .width = 600, .height = 600};
    s = nn_plot_scatter(&q, x, N_EVAL, d->centres, d->n_modes, &err);
    lesson_plot_shown(L, &q, s, &err, "samples of the flow, x = f^-1(z), z ~ N(0, I)");

    float *scratch = lesson_alloc(L, (size_t)N_EVAL, sizeof(float));
    res->flow_off = off_mode_median(d, x, N_EVAL, scratch);
    nn_free(scratch);

    /* Invertibility: x -> z -> x on the held-out points. */
    lesson_code(L, "invert");
    int nh = r->n_held;
    float *z = lesson_alloc(L, (size_t)nh * 2, sizeof(float)),
          *back = lesson_alloc(L, (size_t)nh * 2, sizeof(float));
    /* STEP: invert */
    for (int at = 0; at < nh; at += f->cfg.max_batch) {      /* z = f(x) */
        int m = nh - at < f->cfg.max_batch ? nh - at : f->cfg.max_batch;
        nn_flow_forward(f, z + 2 * at, NULL, r->held + 2 * at, m);
    }
    nn_flow_inverse(f, back, z, nh);                         /* x' = f^-1(z) */
    double worst = 0.0;
    for (int i = 0; i < 2 * nh; i++) worst = fmax(worst, fabs((double)back[i] - r->held[i]));
    /* END STEP */
    res->invert_err = worst;
    lesson_print(L, "%s: max |x - f^-1(f(x))| over %d held-out points:\n", nm, nh);
    int ring = strcmp(nm, "ring") == 0;
    snprintf(key, sizeof key, ring ? "flow_invert_err" : "flow_%s_invert_err", nm);
    lesson_key(L, key, "%.3g", worst);

    /* The log-determinant the flow adds up (sum of s, minus 2 log scale)
     * against log |det| of f's Jacobian measured by central differences. */
    double lworst = 0.0;
    const double h = 1e-3;
    for (int i = 0; i < 5; i++) {
        float p0[2] = {r->held[2 * i], r->held[2 * i + 1]}, zc[2], lpc;
        nn_flow_forward(f, zc, &lpc, p0, 1);
        double ld_flow = lpc + 0.5 * ((double)zc[0] * zc[0] + (double)zc[1] * zc[1]) +
                         LOG_2PI;
        double J[2][2];
        for (int j = 0; j < 2; j++) {
            float up[2] = {p0[0], p0[1]}, dn[2] = {p0[0], p0[1]}, zu[2], zd[2];
            up[j] += (float)h;
            dn[j] -= (float)h;
            nn_flow_forward(f, zu, NULL, up, 1);
            nn_flow_forward(f, zd, NULL, dn, 1);
            double step = (double)up[j] - (double)dn[j];
            for (int k = 0; k < 2; k++) J[k][j] = ((double)zu[k] - zd[k]) / step;
        }
        double ld_num = log(fabs(J[0][0] * J[1][1] - J[0][1] * J[1][0]));
        lworst = fmax(lworst, fabs(ld_num - ld_flow));
        if (i < 2)
            lesson_print(L, "  point (%+.3f, %+.3f): log |det J| summed by the flow %+.4f, by "
                         "central differences %+.4f\n", (double)p0[0], (double)p0[1], ld_flow,
                         ld_num);
    }
    res->logdet_err = lworst;
    snprintf(key, sizeof key, "flow_%s_logdet_check", nm);
    lesson_key(L, key, "%.2e", lworst);

    nn_free(x);
    nn_free(pts);
    nn_free(lp);
    nn_free(z);
    nn_free(back);
}

/* lesson 09's best fix for a data set: what its table chose when it has run
 * beside this lesson (its summary.tsv), else the fix its table picks at its
 * default seed with --seeds 1 (ring: unroll, 8 modes at 89% against pack's
 * 75%; grid: pack, 25 modes against mbstd's 18). */
static toy_fix best_fix(lesson *L, const nn_toy *d, const char **source)
{
    toy_fix fix = strcmp(d->name, "grid") == 0 ? TOY_FIX_PACK : TOY_FIX_UNROLL;
    *source = L->fast ? "a --fast run does not read lesson 09's outputs: the fix its table "
                        "picks at its default seed, one seed"
                      : "lesson 09 has not run beside this lesson: the fix its table picks at "
                        "its default seed, one seed";
    char path[700];
    snprintf(path, sizeof path, "%s", L->out);
    char *slash = strrchr(path, '/');
    size_t at = slash ? (size_t)(slash + 1 - path) : 0;
    snprintf(path + at, sizeof path - at, "09_mode_collapse/summary.tsv");
    FILE *in = L->fast ? NULL : fopen(path, "r");
    if (!in) return fix;
    char line[256], want[64];
    snprintf(want, sizeof want, "%s_best_fix\t", d->name);
    while (fgets(line, sizeof line, in))
        if (strncmp(line, want, strlen(want)) == 0) {
            line[strcspn(line, "\r\n")] = 0;
            if (toy_fix_parse(line + strlen(want), &fix) == 0)
                *source = "lesson 09's table, read from its summary.tsv";
        }
    fclose(in);
    return fix;
}

int main(int argc, char **argv)
{
    static const lesson_info info = {
        17, "flow", "A normalising flow, for contrast",
        "A RealNVP flow learns lesson 09's ring and grid by exact maximum likelihood: its "
        "density as a heat map, the held-out log-likelihood beside a single Gaussian's, modes "
        "and quality beside lesson 09's GANs, the mass it leaves between the modes, and why.",
        17};
    lesson *L = lesson_begin(argc, argv, &info, flags, LESSON_NFLAGS(flags));
    lesson_use_threads(0); /* the heat maps' products; training runs one per core */
    double t_start = lesson_seconds();
    nn_error err;
    int n_sets = strcmp(dataset_flag, "both") == 0 ? 2 : 1;
    nn_toy sets[2];
    const char *names[2] = {strcmp(dataset_flag, "grid") == 0 ? "grid" : "ring", "grid"};
    for (int d = 0; d < n_sets; d++)
        lesson_check(L, strcmp(names[d], "grid") == 0 ? nn_toy_grid(&sets[d], 5, 2.0f, 0.05f,
                                                                    &err)
                                                      : nn_toy_ring(&sets[d], 8, 2.0f, 0.02f,
                                                                    &err), &err);
    int n_held = heldout, fb = batch, gan_steps_cap = 0;
    if (L->fast) {
        /* A smoke test: every step runs, nothing is meant to converge. */
        n_held = n_held < 1000 ? n_held : 1000;
        fb = fb < 64 ? fb : 64;
        gan_steps_cap = 40;
    }

    /* ------------------------------------------------------------ step 1 */
    lesson_step(L, "Change of variables");
    lesson_say(L,
               "A GAN's generator draws samples, but it cannot say how likely a point is: "
               "G(z) has no density we can evaluate. A normalising flow can. It is an "
               "invertible map f from data x to a base point z = f(x) whose density is "
               "known, here the standard normal N(0, I). If f squeezes a small square around x "
               "into a smaller one around z, the probability in it is the same, so the "
               "density of x is the base density times how much f changes areas there:\n\n"
               "  log p(x) = log N(f(x); 0, I) + log |det df/dx|\n\n"
               "The likelihood is exact, so the flow trains by plain maximum likelihood: "
               "minimise -mean log p over the data. Sampling runs the map backwards: z ~ "
               "N(0, I), x = f^-1(z).\n\n"
               "The trick is a map that is invertible and whose determinant is cheap. "
               "RealNVP (Dinh et al. 2017) chains affine coupling layers (exercise 27). A "
               "layer keeps one coordinate and moves the other by a scale and a shift that a "
               "small network reads off the kept one:\n\n"
               "  y_keep = x_keep,   y_other = x_other exp(s) + t,   (s, t) = NN(x_keep)\n\n"
               "Its Jacobian, kept row first, is [[1, 0], [dy_other/dx_keep, exp(s)]]: "
               "triangular, because y_keep does not depend on x_other. A triangular "
               "matrix's determinant is the product of its diagonal, so log |det| = s: one "
               "addition per point, however complicated the network is, where a general "
               "D x D determinant costs D^3. And the inverse needs no inverse of the network: "
               "x_other = (y_other - t) exp(-s), with s and t read again off x_keep = y_keep. "
               "Layers alternate which coordinate they keep, so each one moves in turn.\n\n"
               "The flow here: the data divided by its spread (a fixed layer whose "
               "log-determinant is -2 log scale), then %d coupling layers, each with a "
               "network 1 -> %d -> %d -> 2 (leaky ReLU %g); its first output a becomes s = "
               "%g tanh(a / %g), about a near 0 but never beyond +-%g, so one bad optimizer "
               "step cannot make exp(s) overflow or vanish; the networks' last layers start at "
               "zero, so the untrained flow is just the scaling. The cell below checks that "
               "start against the formula by hand.",
               layers, hidden, hidden, (double)nn_flow_config_default().slope, (double)s_max,
               (double)s_max, (double)s_max);
    nn_flow_config fc = nn_flow_config_default();
    fc.layers = layers;
    fc.hidden = hidden;
    fc.s_max = s_max;
    fc.max_batch = fb;
    fc.opt.lr = lr;
    lesson_code(L, "by_hand");
    {
        nn_flow_config c0 = fc;
        c0.scale = 2.0f;
        nn_flow *f0 = nn_flow_create(&c0, L->seed, &err);
        if (!f0) lesson_check(L, err.code, &err);
        /* STEP: by_hand */
        const float x[2] = {1.0f, -2.0f};   /* scale 2: z = x / 2 = (0.5, -1) */
        float z[2], logp;
        nn_flow_forward(f0, z, &logp, x, 1);
        double by_hand = -0.5 * (0.25 + 1.0) - log(2 * 3.14159265358979) - 2 * log(2.0);
        lesson_print(L, "z = (%g, %g), log p = %.6f; by hand -(0.5^2 + 1^2)/2 - log 2pi - "
                     "2 log 2 = %.6f\n", (double)z[0], (double)z[1], (double)logp, by_hand);
        /* END STEP */
        nn_flow_free(f0);
    }

    /* ------------------------------------------------------------ step 2 */
    lesson_step(L, "Training by maximum likelihood");
    toy_fix best[2] = {TOY_FIX_NONE, TOY_FIX_NONE};
    const char *best_source[2] = {"", ""};
    int gan_steps[2] = {0, 0};
    toy_config gcfg[2];
    for (int d = 0; d < n_sets; d++) {
        gcfg[d] = toy_config_preset(&sets[d], &gan_steps[d]);
        if (L->fast) {
            gan_steps[d] = gan_steps_cap;
            gcfg[d].batch = gcfg[d].batch < 64 ? gcfg[d].batch : 64;
        }
        best[d] = best_fix(L, &sets[d], &best_source[d]);
    }
    int flow_steps[2];
    for (int d = 0; d < n_sets; d++) {
        flow_steps[d] = steps_flag ? steps_flag : strcmp(sets[d].name, "grid") == 0 ? 8000
                                                                                    : 10000;
        if (L->fast) flow_steps[d] = 60;
    }
    char steps_text[96];
    if (n_sets == 2)
        snprintf(steps_text, sizeof steps_text, "%d steps on the %s and %d on the %s",
                 flow_steps[0], sets[0].name, flow_steps[1], sets[1].name);
    else
        snprintf(steps_text, sizeof steps_text, "%d steps on the %s", flow_steps[0],
                 sets[0].name);
    lesson_say(L,
               "Each flow trains on fresh points of its data set at every step (%d a step), "
               "Adam at %g decaying linearly to 2%%, %s. At %d points from its start to its "
               "end it measures its mean log-likelihood on %d held-out points it never "
               "trains on. %s All runs share the cores, %d at a time (--jobs). A loss that "
               "is not a finite number stops the run and says which layer diverged.",
               fb, (double)lr, steps_text, N_CURVE, n_held,
               skip_gans ? "Lesson 09's GANs are not trained (--skip-gans)."
                         : "Beside them, lesson 09's GANs train with lesson 09's presets "
                           "(lessons/course/toygan.c, toy_config_preset): the vanilla GAN and "
                           "the best fix, one seed each, this lesson's seed.",
               jobs);
    lesson_code(L, "train");
    run runs[MAX_JOBS];
    memset(runs, 0, sizeof runs);
    int nr = 0, flow_idx[2] = {-1, -1}, gan_idx[2][2] = {{-1, -1}, {-1, -1}};
    float *held[2] = {NULL, NULL}, *fit[2] = {NULL, NULL};
    for (int d = 0; d < n_sets; d++) {
        nn_rng hr;
        nn_rng_seed(&hr, L->seed, 5 + (uint64_t)d);
        held[d] = lesson_alloc(L, (size_t)n_held * 2, sizeof(float));
        nn_toy_sample(&sets[d], &hr, held[d], NULL, n_held);
        fit[d] = lesson_alloc(L, (size_t)N_FIT * 2, sizeof(float));
        nn_toy_sample(&sets[d], &hr, fit[d], NULL, N_FIT);
    }
    /* The longest runs first, so no worker is left alone with one at the
     * end: the flows, then each data set's best fix, then its vanilla GAN. */
    for (int d = 0; d < n_sets; d++) {
        run *r = &runs[nr];
        nn_flow_config c = fc;
        /* The networks see the data divided by its spread (the root mean
         * square of a coordinate of the mode centres), as lesson 09's do. */
        int unused;
        c.scale = toy_config_preset(&sets[d], &unused).scale;
        r->flow = nn_flow_create(&c, L->seed + (uint64_t)d, &err);
        if (!r->flow) lesson_check(L, err.code, &err);
        r->data = &sets[d];
        r->steps = flow_steps[d];
        r->seed = L->seed + (uint64_t)d;
        r->batch_x = lesson_alloc(L, (size_t)fb * 2, sizeof(float));
        r->held = held[d];
        r->n_held = n_held;
        flow_idx[d] = nr++;
    }
    for (int d = 0; d < n_sets && !skip_gans; d++) {
        for (int g = 1; g >= 0; g--) {
            run *r = &runs[nr];
            r->data = &sets[d];
            r->steps = gan_steps[d];
            r->cfg = gcfg[d];
            r->cfg.fix = g ? best[d] : TOY_FIX_NONE;
            if (r->cfg.fix == TOY_FIX_WGANGP) r->cfg.d_steps = 5; /* as lesson 09 */
            r->gan = toy_gan_create(&r->cfg, L->seed, &err);
            if (!r->gan) lesson_check(L, err.code, &err);
            r->samples = lesson_alloc(L, (size_t)N_EVAL * 2, sizeof(float));
            gan_idx[d][g] = nr++;
        }
    }
    double t_train = lesson_seconds();
    run_all(L, runs, nr);
    lesson_key(L, "train_wall_s", "%.1f", lesson_seconds() - t_train);
    for (int d = 0; d < n_sets; d++) {
        run *r = &runs[flow_idx[d]];
        if (r->diverged_at >= 0)
            lesson_fail(L, LESSON_EXIT_INTERNAL, "the flow on the %s diverged in step %d of "
                        "%d: %s. Try a lower --lr or --s-max", sets[d].name,
                        r->diverged_at + 1, r->steps, r->why);
        lesson_print(L, "%s flow: %d steps in %.1f s, held-out mean log p from %.3f to %.3f\n",
                     sets[d].name, r->steps, r->secs, (double)r->curve_ll[0],
                     (double)r->curve_ll[N_CURVE - 1]);
        for (int g = 0; g < 2 && !skip_gans; g++) {
            run *q = &runs[gan_idx[d][g]];
            lesson_print(L, "%s GAN, %s: %d steps in %.1f s\n", sets[d].name,
                         g ? toy_fix_name(q->cfg.fix) : "vanilla", q->steps, q->secs);
        }
    }
    {
        const float *ys[2];
        const char *sn[2];
        for (int d = 0; d < n_sets; d++) {
            ys[d] = runs[flow_idx[d]].curve_ll;
            sn[d] = sets[d].name;
        }
        /* Both curves on one axis only when they have the same steps. */
        int k = n_sets == 2 && flow_steps[0] != flow_steps[1] ? 1 : n_sets;
        for (int d = 0; d < n_sets; d += k) {
            char nm[64];
            snprintf(nm, sizeof nm, k == 1 ? "heldout_ll_%s" : "heldout_ll", sets[d].name);
            nn_plot p = {.dir = L->out, .name = nm, .xlabel = "Adam steps",
                         .ylabel = "held-out mean log p(x)",
                         .title = "the flow's held-out log-likelihood while training",
                         .term = d == 0 ? lesson_capture_begin(L) : NULL};
            nn_status s = nn_plot_lines(&p, runs[flow_idx[d]].curve_at, ys + d, sn + d, k,
                                        N_CURVE, &err);
            if (d == 0) lesson_capture_end(L);
            lesson_plot_shown(L, &p, s, &err, "held-out mean log-likelihood against steps");
        }
    }

    /* ------------------------------------------------------------ step 3 */
    lesson_step(L, "The learned density");
    lesson_say(L,
               "Because the density is exact, we can draw it: log p(x) on a grid over the "
               "plane (the heat map; its colours span the top 12 nats, below which a point is "
               "as good as never drawn), with samples of the flow, and the same map in the "
               "terminal. Then the map is run the other way on the held-out points, x -> z "
               "-> x, to check it is the inverse it claims to be, and the log-determinant the "
               "flow adds up (the sum of its layers' s) is checked against log |det| of f's "
               "Jacobian measured by central differences (h = 0.001).");
    result res[2];
    memset(res, 0, sizeof res);
    for (int d = 0; d < n_sets; d++) {
        res[d].data = &sets[d];
        judge_flow(L, &runs[flow_idx[d]], &res[d], fit[d], N_FIT);
    }

    /* ------------------------------------------------------------ step 4 */
    lesson_step(L, "What no GAN can report: the likelihood");
    lesson_say(L,
               "The held-out log-likelihood: the mean of log p over %d fresh points of the same "
               "distribution, which the flow never trained on. Higher is better; it is how "
               "much probability the model puts where the data really falls. Beside it, the "
               "simplest density model, a single Gaussian fitted by maximum likelihood (the "
               "mean and covariance of %d points), and the data's own density, the mixture "
               "itself: no model can beat it on average, so it is the ceiling. A GAN has no "
               "number to put in this table: G(z) is a sample, not a density.",
               n_held, N_FIT);
    lesson_print(L, "%-6s %14s %14s %14s\n", "data", "flow", "one Gaussian", "the mixture");
    for (int d = 0; d < n_sets; d++)
        lesson_print(L, "%-6s %14.3f %14.3f %14.3f\n", sets[d].name, res[d].flow_ll,
                     res[d].gauss_ll, res[d].true_ll);
    for (int d = 0; d < n_sets; d++) {
        int ring = strcmp(sets[d].name, "ring") == 0;
        char key[64];
        snprintf(key, sizeof key, ring ? "flow_heldout_ll" : "flow_%s_heldout_ll", sets[d].name);
        lesson_key_quiet(L, key, "%.4f", res[d].flow_ll);
        snprintf(key, sizeof key, ring ? "gauss_heldout_ll" : "gauss_%s_heldout_ll",
                 sets[d].name);
        lesson_key_quiet(L, key, "%.4f", res[d].gauss_ll);
        snprintf(key, sizeof key, "true_%s_heldout_ll", sets[d].name);
        lesson_key_quiet(L, key, "%.4f", res[d].true_ll);
        double gap = res[d].true_ll - res[d].flow_ll, span = res[d].true_ll - res[d].gauss_ll;
        if (res[d].flow_ll > res[d].gauss_ll)
            lesson_say(L, "%s: the flow's %.3f beats the Gaussian's %.3f by %.2f nats a point "
                       "and closes %.0f%% of the way to the mixture's own %.3f. A Gaussian has "
                       "one bump where the data has %d: it spreads its mass over the whole %s, "
                       "empty middle included.",
                       sets[d].name, res[d].flow_ll, res[d].gauss_ll,
                       res[d].flow_ll - res[d].gauss_ll, 100.0 * (1.0 - gap / span),
                       res[d].true_ll, sets[d].n_modes, sets[d].name);
        else
            lesson_say(L, "%s: the flow's %.3f does not beat the single Gaussian's %.3f in this "
                       "run: it has not trained long enough to find the modes (more --steps).",
                       sets[d].name, res[d].flow_ll, res[d].gauss_ll);
    }

    /* ------------------------------------------------------------ step 5 */
    lesson_step(L, "Modes, quality, and the mass between them");
    lesson_say(L,
               "Lesson 09's metrics on %d samples of each model: modes covered, the "
               "high-quality share (samples within 3 sigma of their nearest mode) and its "
               "complement, the mass between the modes: the share of samples farther than 3 "
               "sigma from every mode. Real data leaves about 1.1%% there (a 2-D Gaussian's "
               "mass beyond 3 sigma). The last column says where that mass lies: the median "
               "distance of those samples from their nearest mode, in sigmas (a skirt around "
               "each mode: a few; strands between the modes: tens). The GANs are the vanilla "
               "GAN and the best fix of lesson 09's table%s.",
               N_EVAL, skip_gans ? " (not trained: --skip-gans)" : "");
    lesson_print(L, "%-6s %-17s %8s %10s %14s %12s\n", "data", "model", "modes", "hq share",
                 "between modes", "off by");
    float *scratch = lesson_alloc(L, (size_t)N_EVAL, sizeof(float));
    for (int d = 0; d < n_sets; d++) {
        const nn_toy *D = &sets[d];
        nn_rng rr;
        nn_rng_seed(&rr, L->seed, 7);
        float *real = lesson_alloc(L, (size_t)N_EVAL * 2, sizeof(float));
        nn_toy_sample(D, &rr, real, NULL, N_EVAL);
        nn_mode_stats rs;
        lesson_check(L, nn_mode_stats_compute(&rs, NULL, real, N_EVAL, 2, D->centres,
                                              D->n_modes, D->sigma, &err), &err);
        res[d].data_between = 100.0 * (1.0 - rs.hq_fraction);
        lesson_print(L, "%-6s %-17s %5d/%-2d %9.1f%% %13.1f%% %9.1f sd\n", D->name, "real data",
                     rs.modes_covered, D->n_modes, 100.0 * rs.hq_fraction,
                     res[d].data_between, off_mode_median(D, real, N_EVAL, scratch));
        nn_free(real);
        const nn_mode_stats *fs = &res[d].flow_st;
        lesson_print(L, "%-6s %-17s %5d/%-2d %9.1f%% %13.1f%% %9.1f sd\n", D->name, "flow",
                     fs->modes_covered, D->n_modes, 100.0 * fs->hq_fraction,
                     100.0 * (1.0 - fs->hq_fraction), res[d].flow_off);
        char key[64];
        snprintf(key, sizeof key, "flow_%s_modes", D->name);
        lesson_key_quiet(L, key, "%d", fs->modes_covered);
        snprintf(key, sizeof key, "flow_%s_hq", D->name);
        lesson_key_quiet(L, key, "%.1f", 100.0 * fs->hq_fraction);
        snprintf(key, sizeof key, "flow_%s_between", D->name);
        lesson_key_quiet(L, key, "%.1f", 100.0 * (1.0 - fs->hq_fraction));
        snprintf(key, sizeof key, "flow_%s_off_sd", D->name);
        lesson_key_quiet(L, key, "%.1f", res[d].flow_off);
        res[d].have_gans = !skip_gans;
        for (int g = 0; g < 2 && !skip_gans; g++) {
            run *q = &runs[gan_idx[d][g]];
            nn_mode_stats *gs = &res[d].gan_st[g];
            lesson_check(L, nn_mode_stats_compute(gs, NULL, q->samples, N_EVAL, 2, D->centres,
                                                  D->n_modes, D->sigma, &err), &err);
            res[d].gan_off[g] = off_mode_median(D, q->samples, N_EVAL, scratch);
            char label[40];
            snprintf(label, sizeof label, "GAN, %s", g ? toy_fix_name(q->cfg.fix) : "vanilla");
            lesson_print(L, "%-6s %-17s %5d/%-2d %9.1f%% %13.1f%% %9.1f sd\n", D->name, label,
                         gs->modes_covered, D->n_modes, 100.0 * gs->hq_fraction,
                         100.0 * (1.0 - gs->hq_fraction), res[d].gan_off[g]);
            const char *who = g ? "best" : "vanilla";
            snprintf(key, sizeof key, "gan_%s_%s_modes", D->name, who);
            lesson_key_quiet(L, key, "%d", gs->modes_covered);
            snprintf(key, sizeof key, "gan_%s_%s_hq", D->name, who);
            lesson_key_quiet(L, key, "%.1f", 100.0 * gs->hq_fraction);
            snprintf(key, sizeof key, "gan_%s_%s_between", D->name, who);
            lesson_key_quiet(L, key, "%.1f", 100.0 * (1.0 - gs->hq_fraction));
            snprintf(key, sizeof key, "gan_%s_%s_off_sd", D->name, who);
            lesson_key_quiet(L, key, "%.1f", res[d].gan_off[g]);
        }
        if (!skip_gans) {
            snprintf(key, sizeof key, "gan_%s_best_fix", D->name);
            lesson_key_quiet(L, key, "%s", toy_fix_name(best[d]));
        }
    }
    nn_free(scratch);
    for (int d = 0; d < n_sets && !skip_gans; d++)
        lesson_print(L, "%s's best fix, %s: %s\n", sets[d].name, toy_fix_name(best[d]),
                     best_source[d]);
    /* The GANs' samples, to compare with the flow's (step 3). */
    for (int d = 0; d < n_sets && !skip_gans; d++)
        for (int g = 0; g < 2; g++) {
            run *q = &runs[gan_idx[d][g]];
            char nm[64], title[128];
            snprintf(nm, sizeof nm, "gan_samples_%s_%s", sets[d].name, g ? "best" : "vanilla");
            snprintf(title, sizeof title, "%s: %d samples of the GAN, %s", sets[d].name, N_EVAL,
                     g ? toy_fix_name(q->cfg.fix) : "vanilla");
            nn_plot p = {.dir = L->out, .name = nm, .title = title, .xlabel = "x",
                         .ylabel = "y", .width = 600, .height = 600};
            nn_status s = nn_plot_scatter(&p, q->samples, N_EVAL, sets[d].centres,
                                          sets[d].n_modes, &err);
            lesson_plot_shown(L, &p, s, &err, title);
        }
    for (int d = 0; d < n_sets; d++) {
        const result *R = &res[d];
        double fb_ = 100.0 * (1.0 - R->flow_st.hq_fraction);
        int all = R->flow_st.modes_covered == sets[d].n_modes;
        char gans[400] = "";
        if (R->have_gans) {
            double gv = 100.0 * (1.0 - R->gan_st[0].hq_fraction),
                   gb = 100.0 * (1.0 - R->gan_st[1].hq_fraction);
            snprintf(gans, sizeof gans,
                     " The vanilla GAN covers %d and leaves %.1f%% between them (%s than the "
                     "flow), the %s GAN covers %d and leaves %.1f%% (%s than the flow).",
                     R->gan_st[0].modes_covered, gv, pct_word(gv, fb_), toy_fix_name(best[d]),
                     R->gan_st[1].modes_covered, gb, pct_word(gb, fb_));
        }
        lesson_say(L, "%s: the flow covers %s%d of %d modes and leaves %.1f%% of its samples "
                   "between them, %.0f times the data's own %.1f%%; half of those lie more "
                   "than %.1f sigma from any mode, %s.%s",
                   sets[d].name, all ? "all " : "", R->flow_st.modes_covered, sets[d].n_modes,
                   fb_, fb_ / fmax(R->data_between, 0.01), R->data_between, R->flow_off,
                   R->flow_off >= 10.0 ? "out on strands between the modes"
                                       : "in skirts around the modes more than between them",
                   gans);
    }
    /* The explanation, by what the numbers show. The comparison that
     * matters is with the best-fixed GAN, the one that works: a collapsed
     * GAN also leaves its samples off the modes, for another reason. */
    int flow_covers = 1, above_best = 1, vanilla_drops = 0, vanilla_off = -1, any_gans = 0;
    int strands = 1;
    for (int d = 0; d < n_sets; d++) {
        flow_covers &= res[d].flow_st.modes_covered == sets[d].n_modes;
        strands &= res[d].flow_off >= 10.0;
        if (!res[d].have_gans) continue;
        any_gans = 1;
        above_best &= res[d].flow_st.hq_fraction < res[d].gan_st[1].hq_fraction;
        vanilla_drops |= res[d].gan_st[0].modes_covered < sets[d].n_modes;
        if (vanilla_off < 0 && res[d].gan_st[0].hq_fraction <= res[d].flow_st.hq_fraction)
            vanilla_off = d; /* a vanilla GAN with still fewer samples on the modes */
    }
    if (L->fast)
        lesson_say(L, "A --fast run trains each model for a few dozen steps: far too short to "
                   "show where a flow puts its mass or how it compares with a GAN. The text "
                   "below is what the full run is there to test; run without --fast.");
    lesson_say(L,
               "Why a flow leaves mass between the modes: f is continuous and invertible, so "
               "f^-1 carries the whole plane of z onto the whole plane of x without tearing "
               "it. The base density is positive everywhere and all in one piece, so the "
               "flow's is too: %d islands of probability can only be made by stretching the "
               "space between them thin, never by cutting it, and samples fall along what is "
               "left of it. Each layer stretches by at most exp(%g) "
               "(the bound on s) and the networks are small, so the strands keep some width "
               "and carry some mass. Maximum likelihood adds its own push: a data point where "
               "the model puts almost no density costs -log p, without bound, while mass "
               "wasted between the modes costs only a little everywhere. So a flow errs on "
               "the side of covering: every mode, with mass smeared between. A GAN's "
               "discriminator punishes the opposite mistake, samples where there is no data, "
               "and cares little about a missing mode.",
               sets[0].n_modes, (double)s_max);
    if (any_gans && flow_covers && above_best)
        lesson_say(L, "This run shows both sides: the flow covers every mode%s, and leaves more "
                   "mass between them than the best-fixed GAN%s.%s",
                   vanilla_drops ? ", where the vanilla GAN drops some" : "",
                   n_sets == 2 ? " on both data sets" : "",
                   strands ? " Half of its off-mode samples lie more than 10 sigma out: "
                             "the heat maps show the modes hanging on strands of density, "
                             "the plane stretched thin between them but never torn." : "");
    if (any_gans && vanilla_off >= 0)
        lesson_say(L, "The vanilla GAN on the %s puts even fewer samples on the modes (%.1f%%) "
                   "for another reason: it covers %d of %d modes, and with its discriminator "
                   "chasing it, its samples have not settled on those either (lesson 09's "
                   "film shows the chase).", sets[vanilla_off].name,
                   100.0 * res[vanilla_off].gan_st[0].hq_fraction,
                   res[vanilla_off].gan_st[0].modes_covered, sets[vanilla_off].n_modes);
    else if (any_gans && flow_covers)
        lesson_say(L, "In this run the flow covers every mode, but the best-fixed GAN leaves as "
                   "much or more mass between the modes as the flow does on %s: the table "
                   "above says where.", n_sets == 2 ? "at least one data set" : "this data set");
    else if (!flow_covers)
        lesson_say(L, "In this run the flow does not cover every mode (the table above): it "
                   "has not trained long enough to stretch its density onto all of them; more "
                   "--steps.");

    /* ------------------------------------------------------------ step 6 */
    lesson_step(L, "What to take away");
    if (L->fast)
        lesson_say(L, "This --fast run is far too short to show what follows (runs of a few "
                   "dozen steps): it checks that the code runs.");
    lesson_say(L,
               "A flow buys exact likelihoods and exact inversion with one constraint: every "
               "layer must be invertible with a cheap determinant, which the coupling layer's "
               "triangular Jacobian gives (log |det| = s). The price is that the map cannot "
               "tear the plane, so separated modes stay joined by thin bridges of "
               "density%s. Try --layers 4 (fewer stretches), --s-max 0.5 (a tighter bound on "
               "each stretch), --steps 2000, or --hidden 16, and watch the held-out "
               "log-likelihood and the mass between the modes.",
               any_gans && above_best
                   ? "; here its samples sit on the modes less often than the best-fixed "
                     "GAN's (the table of step 5)"
                   : "");
    lesson_key(L, "wall_s", "%.1f", lesson_seconds() - t_start);
    for (int i = 0; i < nr; i++) {
        nn_flow_free(runs[i].flow);
        toy_gan_free(runs[i].gan);
        nn_free(runs[i].batch_x);
        nn_free(runs[i].samples);
    }
    for (int d = 0; d < n_sets; d++) {
        nn_free(held[d]);
        nn_free(fit[d]);
    }
    return lesson_end(L);
}
