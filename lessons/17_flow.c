/* 17_flow.c - lesson 17: a normalising flow, for contrast.
 *
 * The course questions it answers: what does a model that can say how
 * likely a point is look like, next to a GAN that can only draw samples?
 * A RealNVP flow (lib/flow/flow.h: affine coupling layers, exercise 27) learns
 * lesson 09's ring and grid of Gaussians by exact maximum likelihood. The
 * lesson derives its density from the change-of-variables formula, shows it
 * as a heat map, reports the held-out log-likelihood beside a single
 * Gaussian's (which no GAN can report), counts modes and the high-quality
 * share by lesson 09's metrics beside the vanilla and the best-fixed GAN
 * (trained here through lessons/course/toygan, as lesson 09 trains them),
 * measures the mass a flow leaves between the modes, and checks that the
 * map really is invertible.
 *
 * main reads as the lesson's contents: one function per step. The runs
 * (flows and lesson 09's GANs on worker threads), the GANs' presets and best
 * fix, the density maps and the judge (likelihoods, modes, the mass between
 * them) are in lessons/course/: flowruns, toyrivals, densitymap, flowjudge.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "densitymap.h"
#include "flowjudge.h"
#include "flowruns.h"
#include "lesson.h"
#include "nn.h"
#include "toyrivals.h"

#define N_FIT 20000      /* points the single Gaussian is fitted to */
#define N_CURVE FLOWRUNS_CURVE /* held-out log-likelihood measured this many times in training */
#define MAX_JOBS 6

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

/* What the steps share: the data sets, the runs, what the judge measured. */
typedef struct {
    int n_sets;
    nn_toy sets[2];
    int n_held;                 /* held-out points of each data set */
    nn_flow_config fc;          /* every flow's, but for its scale */
    toyrivals rivals[2];        /* how lesson 09 trains its GANs on each data set */
    flowrun runs[MAX_JOBS];
    int nr;
    flowrun *flow[2], *gan[2][2]; /* in runs; gan[d][0] vanilla, [1] the best fix */
    float *held[2], *fit[2];    /* held-out points; the points the Gaussian is fitted to */
    flowjudge_result res[2];
    flowjudge_verdict verdict;
} flow_lesson;

/* One flow's training, run on a worker thread (lessons/course/flowruns.c):
 * Adam on fresh points, the held-out curve measured on the way. */
static void flow_train(flowrun *r)
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

/* The data sets of --dataset, and the flows' configuration. */
static void set_up(lesson *L, flow_lesson *S)
{
    nn_error err;
    S->n_sets = strcmp(dataset_flag, "both") == 0 ? 2 : 1;
    const char *names[2] = {strcmp(dataset_flag, "grid") == 0 ? "grid" : "ring", "grid"};
    for (int d = 0; d < S->n_sets; d++)
        lesson_check(L, strcmp(names[d], "grid") == 0 ? nn_toy_grid(&S->sets[d], 5, 2.0f, 0.05f,
                                                                    &err)
                                                      : nn_toy_ring(&S->sets[d], 8, 2.0f,
                                                                    0.02f, &err), &err);
    int n_held = heldout, fb = batch;
    if (L->fast) {
        /* A smoke test: every step runs, nothing is meant to converge (the
         * GANs too: toyrivals_prepare). */
        n_held = n_held < 1000 ? n_held : 1000;
        fb = fb < 64 ? fb : 64;
    }
    S->n_held = n_held;
    nn_flow_config fc = nn_flow_config_default();
    fc.layers = layers;
    fc.hidden = hidden;
    fc.s_max = s_max;
    fc.max_batch = fb;
    fc.opt.lr = lr;
    S->fc = fc;
}

/* ------------------------------------------------------------------ step 1 */

static void change_of_variables(lesson *L, const flow_lesson *S)
{
    nn_error err;
    lesson_step(L, "Change of variables");
    lesson_say(L,
               "A GAN's generator draws samples, but it cannot say how likely a point is: "
               "G(z) has no density we can evaluate. A normalising flow can. It is an "
               "invertible map f from data x to a base point z = f(x) whose density is "
               "known, here the standard normal N(0, I). If f squeezes a small square around x "
               "into a smaller one around z, the probability in it is the same, so the "
               "density of x is the base density times how much f changes areas there:\n\n"
               LESSON_MATH("\\log p(x) = \\log \\mathcal{N}(f(x); 0, I) + \\log \\left|\\det \\frac{\\partial f}{\\partial x}\\right|", "log p(x) = log N(f(x); 0, I) + log |det df/dx|") "\n\n"
               "The likelihood is exact, so the flow trains by plain maximum likelihood: "
               "minimise -mean log p over the data. Sampling runs the map backwards: z ~ "
               "N(0, I), x = f^-1(z).\n\n"
               "The trick is a map that is invertible and whose determinant is cheap. "
               "RealNVP (Dinh et al. 2017) chains affine coupling layers (exercise 27). A "
               "layer keeps one coordinate and moves the other by a scale and a shift that a "
               "small network reads off the kept one:\n\n"
               LESSON_MATH("y_\\text{keep} = x_\\text{keep}, \\quad y_\\text{other} = x_\\text{other} \\odot e^{s} + t, \\quad (s, t) = \\mathrm{NN}(x_\\text{keep})", "y_keep = x_keep,   y_other = x_other exp(s) + t,   (s, t) = NN(x_keep)") "\n\n"
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
    lesson_code(L, "by_hand");
    nn_flow_config c0 = S->fc;
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

/* ------------------------------------------------------------------ step 2 */

/* The runs, the longest first so that no worker is left alone with one at
 * the end: the flows, then each data set's best fix, then its vanilla GAN. */
static void build_runs(lesson *L, flow_lesson *S, const int *flow_steps)
{
    for (int d = 0; d < S->n_sets; d++) {
        nn_rng hr;
        nn_rng_seed(&hr, L->seed, 5 + (uint64_t)d);
        S->held[d] = lesson_alloc(L, (size_t)S->n_held * 2, sizeof(float));
        nn_toy_sample(&S->sets[d], &hr, S->held[d], NULL, S->n_held);
        S->fit[d] = lesson_alloc(L, (size_t)N_FIT * 2, sizeof(float));
        nn_toy_sample(&S->sets[d], &hr, S->fit[d], NULL, N_FIT);
    }
    for (int d = 0; d < S->n_sets; d++) {
        S->flow[d] = &S->runs[S->nr++];
        flowruns_flow(L, S->flow[d], &S->fc, &S->sets[d], flow_steps[d], L->seed + (uint64_t)d,
                      S->held[d], S->n_held, flow_train);
    }
    for (int d = 0; d < S->n_sets && !skip_gans; d++)
        for (int g = 1; g >= 0; g--) {
            S->gan[d][g] = &S->runs[S->nr++];
            toyrivals_run(L, S->gan[d][g], &S->sets[d], &S->rivals[d], g, L->seed);
        }
}

static void training_by_maximum_likelihood(lesson *L, flow_lesson *S)
{
    lesson_step(L, "Training by maximum likelihood");
    const int n_sets = S->n_sets;
    const nn_toy *sets = S->sets;
    int flow_steps[2];
    for (int d = 0; d < n_sets; d++) {
        S->rivals[d] = toyrivals_prepare(L, &sets[d]);
        S->res[d].data = &sets[d];
        S->res[d].best = S->rivals[d].best;
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
               S->fc.max_batch, (double)lr, steps_text, N_CURVE, S->n_held,
               skip_gans ? "Lesson 09's GANs are not trained (--skip-gans)."
                         : "Beside them, lesson 09's GANs train with lesson 09's presets "
                           "(lessons/course/toygan.c, toy_config_preset): the vanilla GAN and "
                           "the best fix, one seed each, this lesson's seed.",
               jobs);
    lesson_code(L, "train");
    build_runs(L, S, flow_steps);
    double t_train = lesson_seconds();
    flowruns_train_all(L, S->runs, S->nr, jobs);
    lesson_key(L, "train_wall_s", "%.1f", lesson_seconds() - t_train);
    for (int d = 0; d < n_sets; d++) {
        const flowrun *r = S->flow[d];
        if (r->diverged_at >= 0)
            lesson_fail(L, LESSON_EXIT_INTERNAL, "the flow on the %s diverged in step %d of "
                        "%d: %s. Try a lower --lr or --s-max", sets[d].name,
                        r->diverged_at + 1, r->steps, r->why);
        lesson_print(L, "%s flow: %d steps in %.1f s, held-out mean log p from %.3f to %.3f\n",
                     sets[d].name, r->steps, r->secs, (double)r->curve_ll[0],
                     (double)r->curve_ll[N_CURVE - 1]);
        for (int g = 0; g < 2 && !skip_gans; g++) {
            const flowrun *q = S->gan[d][g];
            lesson_print(L, "%s GAN, %s: %d steps in %.1f s\n", sets[d].name,
                         g ? toy_fix_name(q->cfg.fix) : "vanilla", q->steps, q->secs);
        }
    }
    flowruns_plot_curves(L, S->flow, n_sets);
}

/* ------------------------------------------------------------------ step 3 */

/* One flow after training: its likelihoods and samples (for steps 4 and 5),
 * its density, and its inverse and log-determinant checked. */
static void show_flow(lesson *L, flowrun *r, flowjudge_result *res, const float *fit)
{
    nn_flow *f = r->flow;
    const char *nm = r->data->name;
    flowjudge_likelihoods(res, f, r->held, r->n_held, fit, N_FIT);
    float *x = lesson_alloc(L, (size_t)FLOWRUNS_SAMPLES * 2, sizeof(float));
    flowjudge_sample(L, res, f, L->seed, x);   /* scored by lesson 09's metrics */
    densitymap_show(L, f, r->data, x, 500);
    flowjudge_plot_samples(L, r->data, x);
    nn_free(x);

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
    char key[64];
    snprintf(key, sizeof key, ring ? "flow_invert_err" : "flow_%s_invert_err", nm);
    lesson_key(L, key, "%.3g", worst);
    res->logdet_err = flowjudge_logdet_check(L, f, r->held, nm);
    nn_free(z);
    nn_free(back);
}

static void the_learned_density(lesson *L, flow_lesson *S)
{
    lesson_step(L, "The learned density");
    lesson_say(L,
               "Because the density is exact, we can draw it: log p(x) on a grid over the "
               "plane (the heat map; its colours span the top 12 nats, below which a point is "
               "as good as never drawn), with samples of the flow, and the same map in the "
               "terminal. Then the map is run the other way on the held-out points, x -> z "
               "-> x, to check it is the inverse it claims to be, and the log-determinant the "
               "flow adds up (the sum of its layers' s) is checked against log |det| of f's "
               "Jacobian measured by central differences (h = 0.001).");
    for (int d = 0; d < S->n_sets; d++) show_flow(L, S->flow[d], &S->res[d], S->fit[d]);
}

/* ------------------------------------------------------------------ step 4 */

static void the_likelihood(lesson *L, const flow_lesson *S)
{
    const int n_sets = S->n_sets;
    const nn_toy *sets = S->sets;
    const flowjudge_result *res = S->res;
    lesson_step(L, "What no GAN can report: the likelihood");
    lesson_say(L,
               "The held-out log-likelihood: the mean of log p over %d fresh points of the same "
               "distribution, which the flow never trained on. Higher is better; it is how "
               "much probability the model puts where the data really falls. Beside it, the "
               "simplest density model, a single Gaussian fitted by maximum likelihood (the "
               "mean and covariance of %d points), and the data's own density, the mixture "
               "itself: no model can beat it on average, so it is the ceiling. A GAN has no "
               "number to put in this table. It is an implicit model: G defines its "
               "distribution only as what it does to noise, with no formula for the density "
               "of G(z) and no normalising constant (partition function) to compute. A flow "
               "is explicit: p(x) = N(f(x); 0, I) |det df/dx|, normalised by construction, "
               "which is why it can report a likelihood.",
               S->n_held, N_FIT);
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
}

/* ------------------------------------------------------------------ step 5 */

static void modes_and_the_mass_between(lesson *L, flow_lesson *S)
{
    const int n_sets = S->n_sets;
    const nn_toy *sets = S->sets;
    const flowjudge_result *res = S->res;
    lesson_step(L, "Modes, quality, and the mass between them");
    lesson_say(L,
               "Lesson 09's metrics on %d samples of each model: modes covered, the "
               "high-quality share (samples within 3 sigma of their nearest mode) and its "
               "complement, the mass between the modes: the share of samples farther than 3 "
               "sigma from every mode. Real data leaves about 1.1%% there (a 2-D Gaussian's "
               "mass beyond 3 sigma). The last column is the median distance of those "
               "samples from their nearest mode, in sigmas: how far off the modes they fall "
               "(not whether they lie between the modes or beyond them; the heat maps show "
               "that). The GANs are the vanilla "
               "GAN and the best fix of lesson 09's table%s.",
               FLOWRUNS_SAMPLES, skip_gans ? " (not trained: --skip-gans)" : "");
    lesson_print(L, "%-6s %-17s %8s %10s %14s %12s\n", "data", "model", "modes", "hq share",
                 "between modes", "off by");
    for (int d = 0; d < n_sets; d++)
        flowjudge_rows(L, &S->res[d], skip_gans ? NULL : S->gan[d], L->seed);
    for (int d = 0; d < n_sets && !skip_gans; d++)
        lesson_print(L, "%s: the best fix is %s, %s\n", sets[d].name,
                     toy_fix_name(S->rivals[d].best), S->rivals[d].best_source);
    /* The GANs' samples, to compare with the flow's (step 3). */
    for (int d = 0; d < n_sets && !skip_gans; d++)
        toyrivals_plot_samples(L, &sets[d], S->gan[d]);
    if (L->fast)
        lesson_say(L, "A --fast run trains each model for a few dozen steps: far too short to "
                   "show where a flow puts its mass or how it compares with a GAN. The "
                   "numbers below are this run's; the text after them is what the full run "
                   "is there to test; run without --fast.");
    for (int d = 0; d < n_sets; d++) flowjudge_say_between(L, &res[d]);
    /* The explanation, by what the numbers show. */
    S->verdict = flowjudge_compare(res, n_sets);
    const int flow_covers = S->verdict.flow_covers, above_best = S->verdict.above_best;
    const int vanilla_drops = S->verdict.vanilla_drops, vanilla_off = S->verdict.vanilla_off;
    const int any_gans = S->verdict.any_gans;
    lesson_say(L,
               "Why a flow leaves mass between the modes: f is continuous and invertible, so "
               "f^-1 carries the whole plane of z onto the whole plane of x without tearing "
               "it. The base density is positive everywhere and all in one piece, so the "
               "flow's is too: %d islands of probability can only be made by stretching the "
               "space between them thin, never by cutting it, and samples fall along what is "
               "left of it. Each layer stretches by at most exp(%g) "
               "(the bound on s) and the networks are small, so the bridges keep some width "
               "and carry some mass. Maximum likelihood adds its own push: a data point where "
               "the model puts almost no density costs -log p, without bound, while mass "
               "wasted between the modes costs only a little everywhere. So a flow errs on "
               "the side of covering: every mode, with mass smeared between. A GAN's "
               "discriminator punishes the opposite mistake, samples where there is no data, "
               "and cares little about a missing mode.",
               sets[0].n_modes, (double)s_max);
    if (any_gans && flow_covers && above_best)
        lesson_say(L, "This run shows both sides: the flow covers every mode%s, and leaves more "
                   "mass between them than the best-fixed GAN%s.",
                   vanilla_drops ? ", where the vanilla GAN drops some" : "",
                   n_sets == 2 ? " on both data sets" : "");
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
}

/* ------------------------------------------------------------------ step 6 */

static void what_to_take_away(lesson *L, const flow_lesson *S)
{
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
               S->verdict.any_gans && S->verdict.above_best
                   ? "; here its samples sit on the modes less often than the best-fixed "
                     "GAN's (the table of step 5)"
                   : "");
}

/* ------------------------------------------------------------------ the lesson */

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
    flow_lesson S;
    memset(&S, 0, sizeof S);
    set_up(L, &S);

    change_of_variables(L, &S);
    training_by_maximum_likelihood(L, &S);
    the_learned_density(L, &S);
    the_likelihood(L, &S);
    modes_and_the_mass_between(L, &S);
    what_to_take_away(L, &S);

    lesson_key(L, "wall_s", "%.1f", lesson_seconds() - t_start);
    for (int i = 0; i < S.nr; i++) flowruns_free(&S.runs[i]);
    for (int d = 0; d < S.n_sets; d++) {
        nn_free(S.held[d]);
        nn_free(S.fit[d]);
    }
    return lesson_end(L);
}
