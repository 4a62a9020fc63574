/* 11_wasserstein.c - lesson 11: why GAN training fails to converge, the
 * tricks that help, and the Wasserstein GAN.
 *
 * The course questions it answers: why the Jensen-Shannon divergence gives a
 * generator nothing to follow when the two distributions do not overlap, and
 * the Wasserstein distance does; what a critic is; weight clipping and the
 * gradient penalty, with their pictures (weights at the bound, gradient norms
 * layer by layer); whether the critic's estimate of the distance tracks the
 * samples' quality (against the Frechet distance, and against a vanilla
 * GAN's D loss); why simultaneous gradient steps on a game spiral, and a
 * method that converges (extragradient); and the classic tricks and
 * objectives, each measured over seeds on Fashion-MNIST, the objectives at
 * equal G updates and at equal wall time.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bilinear_game.h"
#include "clip_sweep.h"
#include "critic_probe.h"
#include "disjoint_supports.h"
#include "judge.h"
#include "lesson.h"
#include "nn.h"
#include "objective_table.h"
#include "recipe.h"
#include "seed_row.h"
#include "toy_oscillation.h"
#include "trainrun.h"
#include "trick_table.h"
#include "w_vs_fd.h"

/* The default run (G updates): within 6 minutes on the 2-core course
 * machine with lesson 09's classifier at hand (summary.tsv has wall_s). */
#define DEFAULT_STEPS 1200
#define DEFAULT_TABLE_STEPS 300
#define FAST_STEPS 24
#define FAST_TABLE_STEPS 12
#define DEFAULT_SEEDS 3
#define WARM_STEPS 25        /* the WGAN-GP main run's critic warm-up: 25 G updates ... */
#define WARM_D_STEPS 100     /* ... of 100 critic updates each */
#define FAST_IMAGES 1024
#define JUDGE_N 1000        /* samples and test images behind every Frechet distance */
#define FAST_JUDGE_N 256
#define N_LOG RECIPE_LOG_POINTS /* points logged along each main run */
#define FAST_N_LOG 6        /* ... under --fast (each costs a Frechet distance) */
#define SUPPORT_SD 0.02f    /* the spread of the disjoint supports' two Gaussians */

static int steps = DEFAULT_STEPS;
static int table_steps = DEFAULT_TABLE_STEPS;
static int full_tables = 0;
static int seeds = DEFAULT_SEEDS;
static float clip_c = 0.01f;
static float gp_lambda = 10.0f;
static int bilinear_steps = 100;
static float bilinear_lr = 0.1f;
static const char *save_samples = NULL;
static int n_export = 1000;
static const char *data_dir = NULL;
static int threads = 0;
static const lesson_flag flags[] = {
    {"steps", LESSON_INT, &steps, "G updates of each Fashion-MNIST main run", 2, 1000000,
     NULL},
    {"table-steps", LESSON_INT, &table_steps, "G updates of each run of the two tables", 2,
     1000000, NULL},
    {"full-tables", LESSON_SWITCH, &full_tables, "the tables' runs as long as the main runs "
     "(--steps)", 0, 0, NULL},
    {"seeds", LESSON_INT, &seeds, "seeds per row of the tables", 1, SEED_ROW_MAX_SEEDS,
     NULL},
    {"clip", LESSON_FLOAT, &clip_c, "WGAN's weight clipping bound c", 1e-5, 10.0, NULL},
    {"lambda", LESSON_FLOAT, &gp_lambda, "WGAN-GP's penalty weight", 0.0, 1000.0, NULL},
    {"bilinear-steps", LESSON_INT, &bilinear_steps, "steps of the game x y", 2, 100000, NULL},
    {"bilinear-lr", LESSON_FLOAT, &bilinear_lr, "step size on the game x y", 1e-4, 1.0, NULL},
    {"save-samples", LESSON_STRING, &save_samples, "write --samples of WGAN-GP's images to "
     "FILE (IDX, like Fashion-MNIST)", 0, 0, NULL},
    {"samples", LESSON_INT, &n_export, "images --save-samples writes", 1, 100000, NULL},
    {"data", LESSON_STRING, &data_dir, "folder of an MNIST-format data set (default: "
     "Fashion-MNIST)", 0, 0, NULL},
    {"threads", LESSON_INT, &threads, "threads for the products; 0: GANSTEPS_THREADS if set, "
     "else 2", 0, 64, NULL},
};

/* What the steps share: the data, the judge, the probes of the critics, and
 * what one step measures for a later one. */
typedef struct {
    recipe_feed f;          /* the training images, batch after batch */
    nn_dataset test;
    recipe_evalset ev;      /* the judge, its test images and fixed latent vectors */
    float *wbuf;            /* (1000000) a critic's weights, or scratch for its gradients */
    float *probe_real;      /* (64, 784) the real images each critic's slope is measured at */
    float theta_mid;        /* the disjoint supports' theta the critic step scores */
    double clip_share;      /* the clipped critic's weights at the bound, at the end */
    double clip_fd;         /* the clipped WGAN's Frechet distance */
    nn_gan *gp;             /* the WGAN-GP main run, set beside a vanilla GAN in the next step */
    recipe_curve gp_curve;
    recipe_outcome gp_end;
    double t_start;         /* seconds at the start, for wall_s */
} wgan_state;

/* The data first: a bad --data stops the lesson before it starts. */
static void load_the_data(lesson *L, wgan_state *ws)
{
    nn_error err = {NN_OK, ""};
    judge_check_data(L, lesson_data(L, L->fast)->n); /* the judge's classifier, if trained */
    recipe_feed_open(L, &ws->f, data_dir, L->fast ? FAST_IMAGES : 0, L->seed);
    lesson_check(L, nn_dataset_load_mnist(&ws->test, data_dir, NN_SPLIT_TEST, &err), &err);
}

/* ================================================================ disjoint supports */

/* Sample-based divergences of real x ~ N(0, sd) and fake x ~ N(theta, sd),
 * from n draws each, through a histogram of bins of width w. */
typedef struct {
    double js, kl_pq, kl_qp, w1;
} divergences;

/* real and fake (n) sorted; fake = the sorted base noise shifted by theta,
 * so the estimate moves smoothly with theta. */
static divergences estimate(const float *real, const float *fake, int n, float lo, float w,
                            int bins, int *hp, int *hq)
{
    memset(hp, 0, (size_t)bins * sizeof *hp);
    memset(hq, 0, (size_t)bins * sizeof *hq);
    for (int i = 0; i < n; i++) {
        int a = (int)floorf((real[i] - lo) / w), b = (int)floorf((fake[i] - lo) / w);
        if (a >= 0 && a < bins) hp[a]++;
        if (b >= 0 && b < bins) hq[b]++;
    }
    divergences d = {0, 0, 0, 0};
    for (int k = 0; k < bins; k++) {
        double p = (double)hp[k] / n, q = (double)hq[k] / n, m = 0.5 * (p + q);
        if (p > 0) d.js += 0.5 * p * log(p / m);
        if (q > 0) d.js += 0.5 * q * log(q / m);
        if (p > 0) d.kl_pq += q > 0 ? p * log(p / q) : INFINITY;
        if (q > 0) d.kl_qp += p > 0 ? q * log(q / p) : INFINITY;
    }
    /* W1 between two samples of equal size on a line: the mean distance
     * between the i-th smallest of each (the optimal transport pairs them
     * in order). */
    for (int i = 0; i < n; i++) d.w1 += fabs((double)fake[i] - real[i]);
    d.w1 /= n;
    return d;
}

static void disjoint_supports(lesson *L, wgan_state *ws)
{
    lesson_step(L, "Disjoint supports: what each distance tells G");
    lesson_say(L,
               "The Wasserstein GAN paper's first example: real data on the line x = 0, "
               "fakes on the line x = theta, and G's one parameter is theta. For theta != 0 "
               "the two lines do not meet, so:\n"
               LESSON_MATH("\\mathrm{JS}(P, Q) = \\log 2 \\text{ whatever } \\theta; \\quad \\mathrm{KL}(P \\,\\|\\, Q) = \\mathrm{KL}(Q \\,\\|\\, P) = \\infty; \\quad W_1(P, Q) = |\\theta|", "JS(P, Q) = log 2 = %.4f, whatever theta;  KL(P || Q) = KL(Q || P) = inf;")
               "  W1(P, Q) = |theta|\n"
               "The vanilla GAN's D, at its best, measures JS. With the minimax loss "
               "log(1 - D(G(z))) (lesson 05) it gives G a gradient of 0 (flat); the "
               "non-saturating loss -log D(G(z)) that G uses in practice (lesson 08) does "
               "not vanish there, but Arjovsky and Bottou (2017) show its gradient becomes "
               "unstable instead, its variance growing as D nears its best. KL gives none "
               "(infinite), and W1 a constant slope of 1 that points to theta = 0 from "
               "anywhere.\n\n"
               "Two lines that never meet look like a contrived case; in practice they are "
               "the usual one. G maps a 100-dimensional z into 784 pixels: its images lie on "
               "a surface of at most 100 dimensions inside the 784, and real images "
               "concentrate near a low-dimensional surface of their own. Two such surfaces "
               "in 784 dimensions almost never overlap in more than a set of volume zero "
               "(Arjovsky and Bottou 2017), so a good enough D can separate them and JS "
               "sits at log 2, as on the two lines.\n\n"
               "Below, the same computed from samples: 20000 "
               "draws each of two narrow Gaussians N(0, 0.02) and N(theta, 0.02) on the x "
               "axis (the y coordinate is the same for both, so it changes none of these), "
               "JS and KL from histograms of bins 0.01 wide, W1 from the sorted samples.",
               log(2.0));
    enum { N_THETA = 41, N_DRAWS = 20000, BINS = 300 };
    const float bin_w = 0.01f, lo = -1.5f, away = 0.15f;
    float theta[N_THETA], js_f[N_THETA], w_f[N_THETA], js_s[N_THETA], w_s[N_THETA];
    float gjs[N_THETA], gw[N_THETA];
    int kl_inf = 0;
    float *base = lesson_alloc(L, N_DRAWS, sizeof(float));
    float *real = lesson_alloc(L, N_DRAWS, sizeof(float));
    float *fake = lesson_alloc(L, N_DRAWS, sizeof(float));
    int *hp = lesson_alloc(L, BINS, sizeof(int)), *hq = lesson_alloc(L, BINS, sizeof(int));
    disjoint_draw(L->seed, real, base, N_DRAWS, SUPPORT_SD);
    const float h = 0.01f;
    lesson_code(L, "supports");
    /* STEP: supports */
    for (int i = 0; i < N_THETA; i++) {
        theta[i] = 0.05f * (float)(i - N_THETA / 2);
        js_f[i] = i == N_THETA / 2 ? 0.0f : (float)log(2.0); /* the formulas */
        w_f[i] = fabsf(theta[i]);
        float est[2][2];                                    /* at theta -+ h: slopes */
        for (int side = 0; side < 3; side++) {
            float th = theta[i] + (side == 0 ? 0.0f : side == 1 ? -h : h);
            for (int k = 0; k < N_DRAWS; k++) fake[k] = base[k] + th;
            divergences d = estimate(real, fake, N_DRAWS, lo, bin_w, BINS, hp, hq);
            if (side == 0) {
                js_s[i] = (float)d.js;
                w_s[i] = (float)d.w1;
                kl_inf += isinf(d.kl_pq) && isinf(d.kl_qp);
            } else {
                est[side - 1][0] = (float)d.js;
                est[side - 1][1] = (float)d.w1;
            }
        }
        gjs[i] = (est[1][0] - est[0][0]) / (2.0f * h);     /* what G would follow */
        gw[i] = (est[1][1] - est[0][1]) / (2.0f * h);
    }
    /* END STEP */
    nn_free(base);
    nn_free(real);
    nn_free(fake);
    nn_free(hp);
    nn_free(hq);
    const disjoint_curves dc = {theta, js_f, js_s, w_f, w_s, gjs, gw, N_THETA};
    disjoint_flatness fl = disjoint_flatness_away(&dc, away);
    disjoint_plot(L, &dc);
    int i_mid = N_THETA / 2 + 6; /* theta = 0.3 */
    lesson_print(L, "at theta = %.2f: JS %.6f (log 2 = %.6f), W1 %.4f, slopes %.4f (JS) and "
                 "%.4f (W1)\n", (double)theta[i_mid], (double)js_s[i_mid], log(2.0),
                 (double)w_s[i_mid], (double)gjs[i_mid], (double)gw[i_mid]);
    lesson_print(L, "both KL divergences infinite at %d of the %d thetas\n", kl_inf, N_THETA);
    lesson_key(L, "js_flat_max_dev", "%.2e", fl.js_dev);
    lesson_say(L,
               "Away from theta = 0 (|theta| >= %.2f, %d of the %d points, more than 7 "
               "standard deviations apart), the sample-based JS stays within %.1e of log 2: "
               "%s. Its slope there is at most %.1e in size, while W1's is %.3f to %.3f in "
               "size, pointing towards 0 everywhere.",
               (double)away, fl.n_away, N_THETA, fl.js_dev,
               fl.js_dev < 1e-3 ? "flat, as the formula says"
                                : "not yet flat at this sample size",
               fl.gjs_max, fl.gw_min, fl.gw_max);
    ws->theta_mid = theta[i_mid];
}

/* ================================================================ the critic */

static void the_critic(lesson *L, const wgan_state *ws)
{
    lesson_step(L, "The critic");
    lesson_say(L,
               "W1 is the cost of the cheapest plan that moves Q's mass onto P's. The "
               "Kantorovich-Rubinstein duality writes it as a maximum over functions f "
               "with slope at most 1 everywhere (1-Lipschitz):\n"
               LESSON_MATH("W_1(P, Q) = \\max_{\\|f\\|_L \\le 1} \\; \\mathbb{E}_P[f(x)] - \\mathbb{E}_Q[f(x)]", "W1(P, Q) = max over |f|_L <= 1 of  E_P[f(x)] - E_Q[f(x)]") "\n"
               "A WGAN's D is that f, a critic: it gives a score, not a probability, so D's "
               "sigmoid and the logs of the cross-entropy disappear. The critic maximises "
               "the score gap mean f(real) - mean f(fake), so its loss, minimised, is "
               "mean f(fake) - mean f(real) (lecture notes often flip this sign: a critic "
               "that minimised the gap would rank fakes above reals); G minimises "
               "-mean f(fake): exercise 16, "
               "nn_wgan_critic_loss and nn_wgan_g_loss. On the example above the best "
               "critic is f(x) = -x (for theta > 0): below, your losses score the samples "
               "at theta = %.2f with it.", (double)ws->theta_mid);
    enum { NS = 512 };
    float sr[NS], sf[NS];
    nn_rng r;
    nn_rng_seed(&r, L->seed, 21);
    nn_rng_fill_normal(&r, sr, NS, 0.0f, SUPPORT_SD);
    nn_rng_fill_normal(&r, sf, NS, ws->theta_mid, SUPPORT_SD);
    lesson_code(L, "critic");
    /* STEP: critic */
    for (int k = 0; k < NS; k++) {
        sr[k] = -sr[k];                          /* f(x) = -x on real ... */
        sf[k] = -sf[k];                          /* ... and fake samples */
    }
    float critic_loss = nn_wgan_critic_loss(NULL, NULL, sr, sf, NS, NS);
    float g_loss = nn_wgan_g_loss(NULL, sf, NS);
    /* END STEP */
    lesson_print(L, "critic loss %.4f, so the estimate of W1 is %.4f (theta = %.2f); "
                 "G's loss %.4f\n", (double)critic_loss, -(double)critic_loss,
                 (double)ws->theta_mid, (double)g_loss);
    lesson_key(L, "critic_w1_estimate", "%.4f", -(double)critic_loss);
    lesson_say(L,
               "Nothing in the loss keeps the critic's slope at 1: f(x) = -10x would "
               "score 10 times higher. The constraint must come from elsewhere: WGAN "
               "clips the weights, WGAN-GP penalises the slope. Both next, on "
               "Fashion-MNIST.");
}

/* The judge of every run from here on, and the real images every critic's
 * slope is measured at. */
static void set_up_the_judge(lesson *L, wgan_state *ws)
{
    recipe_evalset_open(L, &ws->ev, L->fast ? &ws->test : &ws->f.ds, &ws->test,
                        L->fast ? FAST_JUDGE_N : JUDGE_N, L->seed);
    ws->wbuf = lesson_alloc(L, 1000000, sizeof(float));
    ws->probe_real = lesson_alloc(L, 64 * 784, sizeof(float));
    recipe_feed_batches(&ws->f, ws->probe_real, 64);
}

/* ================================================================ weight clipping */

static void weight_clipping(lesson *L, wgan_state *ws)
{
    lesson_step(L, "Weight clipping (the original WGAN)");
    recipe r_clip = recipe_wgan_clip(clip_c);
    const int sweep_steps = steps / 4 > 2 ? steps / 4 : 2;
    lesson_say(L,
               "Arjovsky et al. keep the critic Lipschitz by clamping every parameter into "
               "[-c, c] after each critic update: exercise 17, nn_clip_weights, called by "
               "the step when cfg.clip > 0. Their recipe: RMSProp at 5e-5, c = 0.01, 5 "
               "critic updates per G update. The networks: lesson 06's default G, and a "
               "critic of leaky ReLU 0.2 layers without normalisation, 784-%d-%d-%d-1, "
               "most of its weights past the input layer as in the papers' convolutional "
               "critics. %d G updates with c = %g; then, for the gradients layer by "
               "layer, a deep critic (%d hidden layers of %d, modelled on the WGAN-GP "
               "paper's deep critics, which were 12-layer ReLU MLPs on toy data) for %d G "
               "updates with each of c = 0.001, 0.01 and 0.1.\n\n"
               "Where the critic starts matters for what the weights say at the end. From "
               "the usual N(0, 0.02), a small bound such as 0.01 clips a large share of "
               "the weights at once (measured below), before any learning, and a pile-up "
               "at +-c at the end would be the start's, not training's. So the clipped critics here start well inside their bound: "
               "N(0, sd) with sd = min(0.02, c / 3) = %.4f, three standard deviations "
               "inside, where 0.4%% of a normal's draws lie beyond 0.95 c. What training "
               "does to them is then measured: the share at the bound right after the first "
               "clip, and at the end.%s",
               r_clip.arch.d_hidden[0], r_clip.arch.d_hidden[1], r_clip.arch.d_hidden[2], steps,
               (double)clip_c, CLIP_SWEEP_LAYERS, CLIP_SWEEP_WIDTH, sweep_steps,
               (double)r_clip.d_init_sd,
               L->fast ? " (--fast: far too short to show what clipping does to a trained "
                         "critic; the figures below are of a barely trained one.)" : "");
    recipe_feed *f = &ws->f;
    recipe_evalset *ev = &ws->ev;
    float *wbuf = ws->wbuf;
    /* The share at the bound of the critic the run starts from, after its
     * first clip. */
    nn_gan *t_start = recipe_create(L, &r_clip, L->seed);
    double clip_share_start = critic_probe_share_after_clip(t_start->D, clip_c, wbuf);
    nn_gan_free(t_start);
    /* ... and what the usual N(0, 0.02) start would have had. */
    recipe r_usual = r_clip;
    r_usual.d_init_sd = 0.0f;
    t_start = recipe_create(L, &r_usual, L->seed);
    double usual_share_start = critic_probe_share_after_clip(t_start->D, clip_c, wbuf);
    nn_gan_free(t_start);
    lesson_print(L, "right after the first clip, within 5%% of +-%g: %.1f%% of the weights "
                 "from an N(0, 0.02) start, %.1f%% from the N(0, %.4f) start used here\n",
                 (double)clip_c, 100.0 * usual_share_start, 100.0 * clip_share_start,
                 (double)r_clip.d_init_sd);
    lesson_key(L, "clip_weights_at_bound_start_normal002", "%.4f", usual_share_start);
    recipe_outcome o_clip;
    lesson_code(L, "clip");
    /* STEP: clip */
    nn_gan *t_clip = recipe_train(L, &r_clip, L->seed, steps, f, ev, NULL, "wgan-clip", &o_clip);
    int at, nw = critic_probe_weights(t_clip->D, wbuf, clip_c, &at);
    /* END STEP */
    double clip_share = (double)at / nw;
    ws->clip_share = clip_share;
    ws->clip_fd = o_clip.fd;
    critic_probe_layers by_layer;
    critic_probe_layers_measure(t_clip->D, clip_c, &by_layer);
    critic_probe_histogram(L, "clip_weights", "the clipped critic's weights at the end", wbuf,
                           nw, "the clipped critic's weights");
    float clip_interp = critic_probe_interp_norm(L, t_clip, ws->probe_real);
    trainrun_sample_grid(L, t_clip->G, ev->z, 100, "wgan_clip_samples.png", 0);
    lesson_figure(L, "wgan_clip_samples.png", "WGAN (clipping), 100 samples");
    nn_gan_free(t_clip);
    /* Layer by layer, for three bounds, as the WGAN-GP paper's picture: a
     * deep critic (the effect compounds with depth), shorter runs, all of
     * the same length. */
    clip_sweep sw;
    clip_sweep_run(L, &sw, L->seed + 1, sweep_steps, f, ev, ws->probe_real, wbuf);
    lesson_print(L, "c = %g: %.1f%% of the critic's weights within 5%% of +-c right after "
                 "the first clip of its N(0, %.4f) start, %.1f%% at the end\n",
                 (double)clip_c, 100.0 * clip_share_start, (double)r_clip.d_init_sd,
                 100.0 * clip_share);
    critic_probe_layers_print(L, &by_layer, "clip_weights_at_bound_by_layer");
    double later_share = by_layer.later_share;
    clip_sweep_show(L, &sw);
    /* How the gradient changes from the last layer back to the first. */
    double ratio_small = clip_sweep_first_over_last(&sw, 0);
    double ratio_big = clip_sweep_first_over_last(&sw, 2);
    lesson_key(L, "clip_weights_at_bound_start", "%.4f", clip_share_start);
    lesson_key(L, "clip_weights_at_bound", "%.4f", clip_share);
    lesson_key(L, "clip_interp_grad_norm", "%.4f", (double)clip_interp);
    lesson_key(L, "clip_0001_first_over_last", "%.3g", ratio_small);
    lesson_key(L, "clip_01_first_over_last", "%.3g", ratio_big);
    critic_clip_change ch = critic_probe_clip_change(clip_share_start, clip_share);
    lesson_say(L,
               "From %.1f%% at the bound right after the first clip to %.1f%% at the end: %s",
               100.0 * clip_share_start, 100.0 * clip_share,
               L->fast ? "a --fast run is far too short for training to move the weights "
                         "to the bound or away from it; run without --fast."
               : ch == CRITIC_CLIP_PUSHED_OUT
                   ? (clip_share >= 0.5
                          ? "training pushed most of the critic's weights out to +-c. "
                            "Clipping does not shape the critic so much as pin its weights "
                            "to the two ends of the range, the pile-up of the WGAN-GP paper's "
                            "Fig. 1(b), right."
                          : "training pushed weights out to +-c, the pile-up of the WGAN-GP "
                            "paper's Fig. 1(b), right, though fewer than half of them sit "
                            "there in this run.")
               : ch == CRITIC_CLIP_PULLED_IN
                   ? "training pulled weights in from the bound in this run, the opposite of "
                     "the paper's pile-up."
                   : "training did not push the weights out to the bound in this run, nor "
                     "pull them in: the share stayed about where it started, and the "
                     "pile-up of the WGAN-GP paper's Fig. 1(b), right, is not this run's "
                     "picture.");
    lesson_say(L, "By layer: the layers after the first hold %ld weights, %.1f%% of them "
               "within 5%% of +-c at the end; the first layer, which reads the 784 pixels, "
               "%ld weights, %.1f%%.", by_layer.later_n, 100.0 * later_share,
               by_layer.count[0], 100.0 * by_layer.share[0]);
    lesson_say(L,
               "In the deep critic, the gradient at the images is %.2g times the one at the "
               "last layer with c = 0.001 and %.2g times with c = 0.1: %s The clipped "
               "critic's slope on "
               "points between real and fake images is %.3g on average, not the 1 the theory "
               "asks for: clipping bounds the slope only loosely, by a constant set by c and "
               "the widths.",
               ratio_small, ratio_big,
               ratio_small < 1.0 && ratio_big > 1.0
                   ? "with a small bound the gradient vanishes on its way back to the input, "
                     "with a large one it explodes, as in the WGAN-GP paper's Fig. 1(b), "
                     "left."
               : ratio_small < ratio_big
                   ? "the smaller bound shrinks the gradient more on its way back to the "
                     "input, in the direction of the paper's Fig. 1(b), left, though not from "
                     "vanishing to exploding in this run."
                   : "this run does not show the paper's order.",
               (double)clip_interp);
}

/* ================================================================ gradient penalty */

static void gradient_penalty(lesson *L, wgan_state *ws)
{
    nn_error err = {NN_OK, ""};
    recipe_feed *f = &ws->f;
    recipe_evalset *ev = &ws->ev;
    const float *probe_real = ws->probe_real;
    lesson_step(L, "The gradient penalty (WGAN-GP)");
    recipe r_gp = recipe_wgan_gp(gp_lambda);
    /* The WGAN authors' code trains the critic 100 times per G update for the
     * first 25: the estimate read from it is then a critic's near its
     * optimum, not one still catching up (without it, this run's estimate
     * rose for its first quarter while the samples improved). */
    r_gp.warm_steps = L->fast ? 2 : WARM_STEPS;
    r_gp.warm_d_steps = WARM_D_STEPS;
    recipe_curve c_gp;
    c_gp.want = L->fast ? FAST_N_LOG : N_LOG;
    lesson_say(L,
               "Gulrajani et al. drop the clamp and add to the critic's loss\n"
               LESSON_MATH("\\lambda \\, \\mathbb{E}_{\\hat x} \\left[ \\left( \\|\\nabla_{\\hat x} D(\\hat x)\\|_2 - 1 \\right)^2 \\right]", "lambda * mean over x_hat of (||grad_x D(x_hat)|| - 1)^2") "\n"
               "at points x_hat = e x + (1 - e) G(z), e uniform on [0, 1], on the segments "
               "between real and fake samples, where the optimal critic has slope exactly "
               "1. The penalty sits at these interpolates, not at the real samples nor at "
               "the fakes, as notes sometimes write it. Exercise 18 writes the interpolates and "
               "this value with its gradient in grad_x D; the library (lib/gradpen) turns "
               "that into the critic's weight gradient. Their recipe: lambda %g, Adam 1e-4 "
               "with betas (0, 0.9), 5 critic updates; and, as the WGAN authors' code does, "
               "%d critic updates per G update for the first %d, so that the estimate below "
               "is read from a critic near its optimum (the tables at the end use the "
               "papers' Algorithm 1, without it). The same networks and %d G updates; "
               "along the way, at %d points, the critic's estimate of W (mean score on %d "
               "test images minus mean score on %d samples of fixed latent vectors) and "
               "the Frechet distance of those samples.",
               (double)gp_lambda, WARM_D_STEPS, r_gp.warm_steps, steps, c_gp.want, ev->j->n,
               ev->j->n);
    recipe_outcome o_gp;
    lesson_code(L, "gp");
    /* STEP: gp */
    nn_gan *t_gp = recipe_train(L, &r_gp, L->seed, steps, f, ev, &c_gp, "wgan-gp", &o_gp);
    float gp_interp = critic_probe_interp_norm(L, t_gp, probe_real);
    /* END STEP */
    ws->gp = t_gp;
    ws->gp_curve = c_gp;
    ws->gp_end = o_gp;
    int at_gp, nw_gp = critic_probe_weights(t_gp->D, ws->wbuf, clip_c, &at_gp);
    double gp_share = (double)at_gp / nw_gp;
    critic_probe_histogram(L, "gp_weights", "the WGAN-GP critic's weights at the end", ws->wbuf,
                           nw_gp, "the WGAN-GP critic's weights");
    trainrun_sample_grid(L, t_gp->G, ev->z, 100, "wgan_gp_samples.png", 3);
    lesson_figure(L, "wgan_gp_samples.png", "WGAN-GP, 100 samples");
    if (save_samples) trainrun_export(L, t_gp->G, save_samples, n_export);
    /* Lesson 14 judges this G beside the course's other generators. */
    lesson_check(L, nn_model_save(t_gp->G, lesson_path(L, "wgan_gp_G.ckpt"), &err), &err);
    lesson_print(L, "%.2f%% of its weights lie within 5%% of +-%g, the clipping bound (the "
                 "clipped critic: %.1f%%); mean ||grad_x D|| at the interpolates %.3f\n",
                 100.0 * gp_share, (double)clip_c, 100.0 * ws->clip_share, (double)gp_interp);
    lesson_key(L, "gp_weights_at_bound", "%.4f", gp_share);
    lesson_key(L, "gp_interp_grad_norm", "%.4f", (double)gp_interp);
    if (o_gp.diverged_at)
        lesson_fail(L, LESSON_EXIT_INTERNAL, "WGAN-GP diverged at step %ld (a loss went NaN "
                    "or past 1e6); try a smaller --lambda", o_gp.diverged_at);
}

/* ================================================================ does W track quality? */

static void estimate_against_quality(lesson *L, wgan_state *ws)
{
    recipe_feed *f = &ws->f;
    recipe_evalset *ev = &ws->ev;
    const recipe_curve *c_gp = &ws->gp_curve;
    recipe_curve c_van;
    c_van.want = c_gp->want;
    lesson_step(L, "The critic's estimate against the samples' quality");
    lesson_say(L,
               "A vanilla GAN's losses say little about how good the samples are; a WGAN "
               "critic's estimate of W is meant to. For contrast, lesson 06's default GAN "
               "(non-saturating, D with dropout, real label 0.9, Adam 2e-4) trains for the "
               "same %d G updates, its D loss averaged over each stretch between logged points. "
               "Spearman's rank correlation over the points after the first 10%% of steps "
               "(the critic's warm-up) says whether each falls with the Frechet distance.",
               steps);
    recipe r_van = recipe_vanilla();
    recipe_outcome o_van;
    nn_gan *t_van = recipe_train(L, &r_van, L->seed, steps, f, ev, &c_van, "vanilla", &o_van);
    trainrun_sample_grid(L, t_van->G, ev->z, 100, "vanilla_samples.png", 0);
    lesson_figure(L, "vanilla_samples.png", "lesson 06's default GAN, 100 samples");
    w_vs_fd_ranks r = w_vs_fd_rank(c_gp, &c_van, steps);
    w_vs_fd_show(L, c_gp, &c_van);
    lesson_key(L, "wgan_gp_spearman", "%.3f", r.rho_gp);
    lesson_key(L, "vanilla_spearman", "%.3f", r.rho_van);
    lesson_key(L, "fd_wgan_gp", "%.3f", ws->gp_end.fd);
    lesson_key(L, "fd_vanilla", "%.3f", o_van.fd);
    lesson_key(L, "fd_wgan_clip", "%.3f", ws->clip_fd);
    lesson_key(L, "classes_wgan_gp", "%d", ws->gp_end.classes);
    lesson_key(L, "classes_vanilla", "%d", o_van.classes);
    if (L->fast)
        lesson_say(L, "A --fast run has %d logged points over %d steps: too few to say "
                   "whether either curve tracks the Frechet distance. Run without --fast.",
                   c_gp->n - r.first, steps);
    else
        lesson_say(L,
                   "The critic's estimate and the Frechet distance: rho = %.2f (%s). The "
                   "vanilla D loss and its Frechet distance: rho = %.2f (%s).",
                   r.rho_gp, r.rho_gp >= 0.6 ? "they fall together" : "weaker than the "
                   "papers report in this run",
                   r.rho_van, fabs(r.rho_van) < fabs(r.rho_gp) ? "it does not track the samples' "
                   "quality as closely" : "in this run it tracks it as closely");
    nn_gan_free(ws->gp);
    ws->gp = NULL;
    nn_gan_free(t_van);
}

/* ================================================================ the bilinear game */

static void the_smallest_game(lesson *L)
{
    lesson_step(L, "The smallest game that does not converge");
    lesson_say(L,
               "min over x, max over y of x * y: the equilibrium is (0, 0), and the "
               "gradients are d/dx = y, d/dy = x. Simultaneous steps (both players move "
               "from the same point, as two networks updated from one evaluation) and "
               "alternating steps (y answers the x just taken, as nn_gan_step does: D, "
               "then G against the updated D), each %d steps of size %g from (1, 1). And a "
               "third, which in theory converges for any step size below 1: extragradient "
               "steps (Korpelevich 1976), which "
               "first take a trial step from (x, y) and then step from (x, y) with the "
               "gradients read at the trial point; the lookahead sees where the rotation "
               "is going and corrects for it.",
               bilinear_steps, (double)bilinear_lr);
    float *traj = lesson_alloc(L, (size_t)6 * (size_t)(bilinear_steps + 1), sizeof(float));
    float *sim = traj, *alt = traj + 2 * (bilinear_steps + 1);
    float *fix = traj + 4 * (bilinear_steps + 1);
    lesson_code(L, "bilinear");
    /* STEP: bilinear */
    float x = 1.0f, y = 1.0f, u = 1.0f, v = 1.0f, p = 1.0f, q = 1.0f, eta = bilinear_lr;
    for (int k = 0; k <= bilinear_steps; k++) {
        sim[2 * k] = x, sim[2 * k + 1] = y;
        alt[2 * k] = u, alt[2 * k + 1] = v;
        fix[2 * k] = p, fix[2 * k + 1] = q;
        float nx = x - eta * y, ny = y + eta * x;      /* simultaneous: both from (x, y) */
        x = nx, y = ny;
        u = u - eta * v;                               /* alternating: x first ... */
        v = v + eta * u;                               /* ... then y against the new x */
        float tp = p - eta * q, tq = q + eta * p;      /* extragradient: a trial step ... */
        p = p - eta * tq, q = q + eta * tp;            /* ... its gradients, from (p, q) */
    }
    /* END STEP */
    bilinear_game_growth g = bilinear_game_show(L, sim, alt, fix, bilinear_steps);
    nn_free(traj);
    lesson_key(L, "bilinear_sim_growth", "%.4f", g.sim);
    lesson_key(L, "bilinear_alt_growth", "%.4f", g.alt);
    lesson_key(L, "bilinear_fix_growth", "%.4f", g.fix);
    lesson_say(L,
               "Simultaneous steps end %.2f times as far from (0, 0) as they started: each "
               "step multiplies the distance by sqrt(1 + %g^2) = %.5f, an outward spiral. "
               "Alternating steps end at %.2f times the start and never exceed %.2f times "
               "it: they circle the equilibrium without reaching it. Neither converges; "
               "gradient steps on a game rotate around its equilibrium instead of "
               "descending to it. Extragradient steps end at %.3f times the start "
               "(each multiplies the distance by sqrt(1 - eta^2 + eta^4) = %.5f): %s",
               g.sim, (double)bilinear_lr, sqrt(1.0 + (double)bilinear_lr * bilinear_lr),
               g.alt, g.alt_max, g.fix,
               sqrt(1.0 - (double)bilinear_lr * bilinear_lr +
                    pow((double)bilinear_lr, 4.0)),
               g.fix < 1.0 ? "they spiral in, towards the equilibrium. Optimistic gradient "
                             "steps and regularised games (Mescheder et al. 2018) converge "
                             "on the same idea: use where the rotation is heading, not only "
                             "where it is."
                           : "at this step size and count they have not come closer; try "
                             "more --bilinear-steps.");

    /* The same in a GAN: lesson 09's toy on the ring. */
    int tsteps = L->fast ? 200 : 3000;
    toy_oscillation_swing sw = toy_oscillation_run(L, L->seed, tsteps);
    lesson_key(L, "toy_d_real_swing", "%.3f", (double)(sw.hi - sw.lo));
    lesson_key(L, "toy_top_mode_switches", "%d", sw.switches);
    lesson_key(L, "toy_top_mode_share", "%.3f", sw.top_share);
    toy_oscillation_reading rd = toy_oscillation_read(&sw);
    lesson_say(L,
               "The same in a real run: lesson 09's vanilla GAN on the ring of 8 "
               "Gaussians for %d steps. Over the second half, the 50-step running mean "
               "of D(x) moves between %.2f and %.2f. D's outputs alone do not say where G "
               "is, so every %d steps of that half %d of G's samples are each given to "
               "their nearest mode: in %d of the %d checks one mode held at least half of "
               "them (on average the largest mode held %.0f%%), and between those checks "
               "the top mode changed %d time%s, over %d different mode%s. %s",
               tsteps, (double)sw.lo, (double)sw.hi, TOY_OSC_EVERY, TOY_OSC_SAMPLES,
               sw.concentrated, sw.checks, 100.0 * sw.top_share, sw.switches,
               sw.switches == 1 ? "" : "s", sw.visited, sw.visited == 1 ? "" : "s",
               L->fast ? "A --fast run is too short to show whether G circles the ring."
               : rd == TOY_OSC_MOVES
                   ? "G's mass sits on one mode at a time and moves from mode to mode: D "
                     "and G chase each other around the ring instead of settling, as x and "
                     "y circle (0, 0) above."
               : rd == TOY_OSC_STAYS
                   ? "G's mass sits on the same mode throughout this half: collapsed, but "
                     "not circling; D(x)'s swing is not G moving around the ring in this "
                     "run."
                   : "G's samples are spread over several modes most of the time, and D(x)'s "
                     "swing is not G's mass moving from mode to mode in this run.");
}

/* ================================================================ the tables */

static void objectives_over_seeds(lesson *L, wgan_state *ws)
{
    lesson_step(L, "The objectives, over seeds");
    lesson_say(L,
               "One architecture (lesson 06's default G, the critic above as D) and one "
               "budget, %d G updates per run, %d seed%s per row; each objective with its "
               "paper's optimizer settings (non-saturating, least squares and hinge: Adam "
               "2e-4, betas (0.5, 0.999), 1 D update; WGAN: RMSProp 5e-5, c = %g, 5 critic "
               "updates, the critic starting inside its bound as above; WGAN-GP: as "
               "above). Frechet distance and classes covered (at least 2%% of %d samples) "
               "at the end; wall time per run; runs whose loss went NaN "
               "or past 1e6.%s\n\n"
               "The budget counts G updates, and it is not the same work for every row: "
               "the WGAN rows take 5 critic updates per G update (WGAN-GP each with its "
               "penalty's extra backward pass), the other three one D update. So the table "
               "ends with the non-saturating row again, trained for as many G updates as "
               "fill WGAN-GP's measured wall time per run: the comparison at equal time. "
               "That row's length comes from this machine's clock, not from the seed, so "
               "it can differ by a few steps from run to run; it draws its own batches, so "
               "every other row stays the same for the same --seed.",
               table_steps, seeds, seeds > 1 ? "s" : "", (double)clip_c, ws->ev.j->n,
               full_tables ? "" : " These are short runs (--table-steps); --full-tables runs "
                                  "each as long as the main runs.");
    objective_table_best best =
        objective_table_run(L, &ws->f, &ws->ev, clip_c, gp_lambda, seeds, table_steps);
    int lower = objective_table_lower(&best.eq_nonsat, &best.gp);
    lesson_say(L, "A WGAN-GP run took %.1f times the non-saturating run's time at the same "
               "G updates; at WGAN-GP's time the non-saturating loss trained %d G updates "
               "and reached a Frechet distance of %.1f (sd %.1f), against WGAN-GP's %.1f "
               "(sd %.1f) at %d.", best.time_ratio, best.eq_steps, best.eq_nonsat.fd_mean,
               best.eq_nonsat.fd_sd, best.gp.fd_mean, best.gp.fd_sd, table_steps);
    if (L->fast)
        lesson_say(L, "A --fast run's table is of %d-step runs, %d seed%s each: too short "
                   "to rank the objectives, at equal updates or at equal time.", table_steps,
                   seeds, seeds > 1 ? "s" : "");
    else
        lesson_say(L, "Lowest mean Frechet distance at equal G updates: %s (%.1f). A ranking "
                   "within one standard deviation is not a ranking. At equal time, %s",
                   best.name, best.fd,
                   lower < 0 ? "the non-saturating loss is lower than WGAN-GP by more than "
                               "the sum of their standard deviations: counted in seconds, "
                               "WGAN-GP's critic updates cost more than they buy here."
                   : lower > 0 ? "WGAN-GP is still lower than the non-saturating loss by more "
                                 "than the sum of their standard deviations: its extra "
                                 "critic updates pay for their time here."
                               : "the two are within the sum of their standard deviations: "
                                 "no ranking at this budget.");
}

static void tricks_measured(lesson *L, wgan_state *ws)
{
    lesson_step(L, "The tricks, measured");
    lesson_say(L,
               "Lesson 06's default GAN (batchnorm in G, dropout 0.3 in D, leaky ReLU 0.2, "
               "one-sided label smoothing with real label 0.9), with one trick removed or "
               "added at a time: D's leaky ReLU replaced by a ReLU; G without batchnorm; D "
               "without dropout; no label smoothing (real label 1); instance noise on D's "
               "inputs (Gaussian, sd 0.1 lowered linearly to 0 over the run, "
               "cfg.instance_noise); weight decay 1e-3 on D. %d G updates per run, %d "
               "seed%s per row, as above.",
               table_steps, seeds, seeds > 1 ? "s" : "");
    trick_table_count n = trick_table_run(L, &ws->f, &ws->ev, seeds, table_steps);
    if (L->fast)
        lesson_say(L, "A --fast run's table is of %d-step runs: too short to show what "
                   "any trick does.", table_steps);
    else
        lesson_say(L, "Against the default, %d change%s lower%s the Frechet distance by "
                   "more than both rows' standard deviations, and %d raise%s it by more; "
                   "the rest are within the spread of %d seeds at this budget.",
                   n.better, n.better == 1 ? "" : "s", n.better == 1 ? "s" : "", n.worse,
                   n.worse == 1 ? "s" : "", seeds);
}

/* ================================================================ main */

int main(int argc, char **argv)
{
    static const lesson_info info = {
        11, "wasserstein", "Failing to converge, the tricks, and the Wasserstein GAN",
        "Why the Jensen-Shannon divergence gives G nothing to follow on disjoint supports "
        "and the Wasserstein distance does; the critic, weight clipping and the gradient "
        "penalty on Fashion-MNIST; the critic's estimate against the Frechet distance; the "
        "game x y that spirals; the objectives and the classic tricks, measured over seeds.",
        11};
    lesson *L = lesson_begin(argc, argv, &info, flags, LESSON_NFLAGS(flags));
    wgan_state ws = {.t_start = lesson_seconds()};
    if (L->fast && steps == DEFAULT_STEPS) steps = FAST_STEPS;
    if (L->fast && table_steps == DEFAULT_TABLE_STEPS) table_steps = FAST_TABLE_STEPS;
    if (L->fast && seeds == DEFAULT_SEEDS) seeds = 1;
    if (full_tables) table_steps = steps;
    lesson_use_threads(threads);
    if (save_samples) trainrun_check_writable(L, "save-samples", save_samples);
    load_the_data(L, &ws);

    disjoint_supports(L, &ws);
    the_critic(L, &ws);
    set_up_the_judge(L, &ws);
    weight_clipping(L, &ws);
    gradient_penalty(L, &ws);
    estimate_against_quality(L, &ws);
    the_smallest_game(L);
    objectives_over_seeds(L, &ws);
    tricks_measured(L, &ws);

    lesson_key(L, "table_steps", "%d", table_steps);
    lesson_key(L, "wall_s", "%.1f", lesson_seconds() - ws.t_start);

    nn_free(ws.wbuf);
    nn_free(ws.probe_real);
    recipe_evalset_free(&ws.ev);
    nn_dataset_free(&ws.test);
    recipe_feed_free(&ws.f);
    return lesson_end(L);
}
