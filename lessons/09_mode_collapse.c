/* 09_mode_collapse.c - lesson 09: a GAN that covers only some of the modes
 * of its data, measured the way the papers measure it, filmed, and fixed.
 *
 * The course questions it answers: what does "mode collapse" look like; how
 * do we count it (modes covered, high-quality share and reverse KL, as in
 * VEEGAN, Srivastava et al. 2017, and PacGAN, Lin et al. 2018); which fixes
 * work, and by how much (PacGAN packing, Unrolled GAN, minibatch standard
 * deviation, WGAN-GP). Everything runs on 2-D toy data (a ring and a grid of
 * Gaussians), where every mode can be seen and counted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classifier.h"
#include "classshare.h"
#include "judge.h"
#include "data/data.h"
#include "mlpgan.h"
#include "lesson.h"
#include "nn.h"
#include "viz/plot.h"
#include "toyfilm.h"
#include "toygan.h"
#include "toytable.h"
#include "trainrun.h"

/* The metrics always use 2,500 samples, as the papers do. */
#define N_EVAL 2500
#define MAX_SEEDS 50
#define N_SETTINGS 3

static const char *dataset_flag = "both";   /* --dataset */
static const char *fix_flag = "none";       /* --fix: the run filmed in step 2 */
static const char *loss_flag = "nonsat";    /* --loss */
static const char *save_samples = NULL;     /* --save-samples FILE */
static float lr = 1e-3f;                    /* --lr: G */
/* Out of range (0 or -1) for --lr-d, --d-slope, --d-steps, --steps and
 * --batch: the data set's preset (demo_make), or the fix's (demo_config). */
static float lr_d_flag = 0.0f;              /* --lr-d: D */
static float d_slope_flag = -1.0f;          /* --d-slope: D's leaky ReLUs */
static int d_steps_flag = 0;                /* --d-steps */
static float gp_lambda = 1.0f;              /* --gp-lambda */
static int steps_flag = 0;                  /* --steps */
static int seeds = 5;                       /* --seeds */
static int batch_flag = 0;                  /* --batch */
static int frames = 30;                     /* --frames */
static int fashion_steps = TRAINRUN_LESSON06_STEPS; /* --fashion-steps: default architecture */
static int classic_steps = 4700;            /* --classic-steps */
static int jobs = 2;                        /* --jobs: runs of the table at once */
static const char *data_dir = NULL;         /* --data */
static const char *ckpt_classic = NULL;     /* --ckpt-classic: lesson 06's G.ckpt */
static const char *ckpt_default = NULL;     /* --ckpt-default */

static const lesson_flag flags[] = {
    {"dataset", LESSON_CHOICE, &dataset_flag, "toy data: 8 modes on a ring, 25 on a grid, or both",
     0, 0, "ring|grid|both"},
    {"fix", LESSON_CHOICE, &fix_flag, "the setting filmed in step 2", 0, 0,
     "none|pack|unroll|mbstd|wgan-gp"},
    {"loss", LESSON_CHOICE, &loss_flag, "GAN objective", 0, 0, "nonsat|minimax|lsgan|hinge"},
    {"lr", LESSON_FLOAT, &lr, "Adam learning rate of G (decays linearly to 2%)", 1e-6, 1, NULL},
    {"lr-d", LESSON_FLOAT, &lr_d_flag,
     "Adam learning rate of D, same schedule (default: ring 3e-4, grid 5e-4)", 1e-6, 1, NULL},
    {"d-slope", LESSON_FLOAT, &d_slope_flag,
     "negative slope of D's leaky ReLUs (default: ring 0.2, grid 0.05)", 0, 0.99, NULL},
    {"d-steps", LESSON_INT, &d_steps_flag, "D updates per G update (default 1, wgan-gp 5)", 1,
     100, NULL},
    {"gp-lambda", LESSON_FLOAT, &gp_lambda, "weight of wgan-gp's gradient penalty", 0, 1000,
     NULL},
    {"steps", LESSON_INT, &steps_flag, "G updates per training run (default: ring 6000, grid "
     "40000)", 10, 1e6, NULL},
    {"seeds", LESSON_INT, &seeds, "seeds each setting of the table is averaged over", 1,
     MAX_SEEDS, NULL},
    {"batch", LESSON_INT, &batch_flag, "D inputs per step (default: ring 128, grid 64)", 8,
     4096, NULL},
    {"jobs", LESSON_INT, &jobs, "training runs of the table at once (one per core)", 1, 16,
     NULL},
    {"frames", LESSON_INT, &frames, "frames of the film in step 2", 2, 500, NULL},
    {"save-samples", LESSON_STRING, &save_samples,
     "write the filmed run's final samples to FILE, one 'x y' per line", 0, 0, NULL},
    {"fashion-steps", LESSON_INT, &fashion_steps,
     "GAN steps of the default architecture on Fashion-MNIST when lesson 06 has not run (its "
     "own run: 8 epochs; 0 skips that step)", 0, 1e6, NULL},
    {"classic-steps", LESSON_INT, &classic_steps,
     "GAN steps of --arch classic on Fashion-MNIST (5 epochs: long enough to drop classes)",
     1, 1e6, NULL},
    {"data", LESSON_STRING, &data_dir, "MNIST-format folder (default Fashion-MNIST)", 0, 0, NULL},
    {"ckpt-classic", LESSON_STRING, &ckpt_classic,
     "a G.ckpt of lesson 06 --arch classic to label instead of training one", 0, 0, NULL},
    {"ckpt-default", LESSON_STRING, &ckpt_default,
     "a G.ckpt of lesson 06's default architecture, likewise", 0, 0, NULL},
};

/* One data set's demo: the data and the GAN that collapses on it, with the
 * fixes its table compares. Each data set has its own preset, found by
 * measuring (4 to 30 seeds a setting): the GAN and the number of steps for
 * which the vanilla setting drops modes while the best fix covers them with
 * most samples on a mode, in a run short enough for a class to wait for.
 *   ring: G and D 2 x 128, D learning slower than G (3e-4 against 1e-3,
 *         the Unrolled GAN paper's recipe for a GAN that hops from mode to
 *         mode), 6,000 steps of 128.
 *   grid: 25 modes need many more steps (40,000 of 64), which small
 *         networks afford: G 2 x 64, D 3 x 64 (with two layers no setting
 *         put even 10% of its samples on a mode), D's leaky ReLUs at slope
 *         0.05. Measured on seeds 1 to 30, never the table's, unless said
 *         (mean modes of the vanilla GAN / of packing, packing's
 *         high-quality share):
 *         - D's rate: at 2e-3, on the table's own seeds (--seeds 10 at the
 *           default --seed, this preset otherwise), the vanilla GAN keeps
 *           3.7 modes and packing no longer saves it (15.7), while mbstd
 *           covers all 25; at 3e-4 even the vanilla GAN keeps 24; 5e-4
 *           lies between. The last step quotes the 2e-3 figures.
 *         - D's slope: at 0.2 an off unit still passes G a fifth of its
 *           gradient and the vanilla GAN keeps 23.0 modes to packing's
 *           24.7 (10 seeds, 36,000 steps); at 40,000 steps on the table's
 *           own seeds (--seeds 10), 21.8 / 24.7, the figures the last step
 *           quotes; at 0.05, 18.0 / 24.5 (30 seeds).
 *         - Steps, at slope 0.05: 36,000 leave packing 82% of its samples
 *           on a mode; 45,000 let the vanilla GAN win modes back (19.1 /
 *           24.3 at 86%, 20 seeds); 40,000 give 19.0 / 24.85 at 84.5%
 *           (20 seeds), every packing run at 24 or 25.
 *         D 3 x 96 with G 2 x 48 drops more modes for packing too (18.8 /
 *         23.5) at 1.5 times the cost. Unrolling would cost 3 vanilla runs
 *         and did not help here; the minibatch-stddev feature takes its
 *         place.
 * --lr-d, --d-slope, --steps and --batch override the preset. */
typedef struct {
    nn_toy data;
    toy_config cfg;                  /* the vanilla setting, flags applied */
    int steps;                       /* G updates per training run */
    toy_fix settings[N_SETTINGS];    /* the table: vanilla first, the slowest last */
} demo;

static void demo_make(lesson *L, demo *d, const char *name)
{
    nn_error err;
    int grid = strcmp(name, "grid") == 0;
    lesson_check(L, grid ? nn_toy_grid(&d->data, 5, 2.0f, 0.05f, &err)
                         : nn_toy_ring(&d->data, 8, 2.0f, 0.02f, &err), &err);
    /* The sizes, rates and steps above, and the scale: toy_config_preset. */
    toy_config c = toy_config_preset(&d->data, &d->steps);
    d->settings[0] = TOY_FIX_NONE;
    d->settings[1] = TOY_FIX_PACK;
    d->settings[2] = grid ? TOY_FIX_MBSTD : TOY_FIX_UNROLL;
    nn_gan_objective_parse(loss_flag, &c.loss);
    c.lr = lr;
    c.gp_lambda = gp_lambda;
    if (d_slope_flag >= 0.0f) c.d_slope = d_slope_flag;
    if (d_steps_flag > 0) c.d_steps = d_steps_flag;
    if (lr_d_flag > 0.0f) c.lr_d = lr_d_flag;
    if (batch_flag > 0) c.batch = batch_flag;
    if (steps_flag > 0) d->steps = steps_flag;
    if (L->fast) {
        /* A smoke test: every step runs, nothing is meant to converge. */
        d->steps = d->steps < 40 ? d->steps : 40;
        c.batch = c.batch < 64 ? c.batch : 64;
    }
    d->cfg = c;
}

/* The demo's GAN with one fix switched on. WGAN-GP brings its critic's
 * recipe (Gulrajani et al. 2017): 5 critic updates per G update. */
static toy_config demo_config(const demo *d, toy_fix fix)
{
    toy_config c = d->cfg;
    c.fix = fix;
    if (fix == TOY_FIX_WGANGP && d_steps_flag == 0) c.d_steps = 5;
    return c;
}

/* Metrics of N_EVAL fresh samples of g; the samples stay in x (N_EVAL, 2). */
static nn_mode_stats evaluate(lesson *L, toy_gan *g, const nn_toy *data, float *x)
{
    nn_mode_stats st;
    nn_error err;
    toy_gan_sample(g, x, N_EVAL);
    lesson_check(L, nn_mode_stats_compute(&st, NULL, x, N_EVAL, 2, data->centres, data->n_modes,
                                          data->sigma, &err), &err);
    return st;
}

/* The learning rates at step s of n: decaying linearly to 2% (late steps
 * polish the samples onto the modes). */
static void schedule(toy_gan *g, const toy_config *cfg, int s, int n)
{
    float decay = 1.0f - 0.98f * (float)s / (float)n;
    g->gan->opt_g.lr = cfg->lr * decay;
    g->gan->opt_d.lr = cfg->lr_d * decay;
}

/* One training run of n G updates. g comes fresh from toy_gan_create;
 * nothing here may fail, so it runs on any thread. */
static void train(toy_gan *g, const toy_config *cfg, const nn_toy *data, int n)
{
    /* STEP: train */
    for (int s = 0; s < n; s++) {
        schedule(g, cfg, s, n);  /* learning rates decay linearly to 2% */
        toy_gan_step(g, data);   /* d_steps D updates, then one G update */
    }
    /* END STEP */
}

/* What the steps share: each data set's demo, and the samples being
 * counted. */
typedef struct {
    demo demos[2];
    int n_sets;                      /* 2 under --dataset both, else 1 */
    float *x;                        /* (N_EVAL, 2) */
} collapse;

/* --save-samples: the filmed run's final samples x (N_EVAL, 2), one "x y"
 * a line. */
static void write_samples(lesson *L, const float *x)
{
    FILE *out = fopen(save_samples, "w");
    if (!out)
        lesson_fail(L, LESSON_EXIT_INPUT, "--save-samples %s: cannot create the file",
                    save_samples);
    for (int i = 0; i < N_EVAL; i++) fprintf(out, "%g %g\n", (double)x[2 * i],
                                             (double)x[2 * i + 1]);
    if (fclose(out) != 0)
        lesson_fail(L, LESSON_EXIT_INPUT, "--save-samples %s: write failed", save_samples);
    lesson_print(L, "samples written to %s\n", save_samples);
}

/* Step 2 for one data set: trains `fix` from the lesson's seed, filming it.
 * Returns the modes covered at the end. */
static int watch(lesson *L, const demo *d, toy_fix fix, float *x)
{
    const nn_toy *data = &d->data;
    int steps = d->steps;
    toy_config cfg = demo_config(d, fix);
    nn_error err;
    toy_gan *g = toy_gan_create(&cfg, L->seed, &err);
    if (!g) lesson_check(L, err.code, &err);
    toyfilm film;
    toyfilm_open(L, &film, data, toy_fix_name(fix), cfg.batch * g->m, frames, steps);
    lesson_progress prog;
    lesson_progress_start(L, &prog, "filming", steps);
    int done = 0;
    for (int k = 0; k <= frames; k++) {  /* frame 0 is the untrained GAN */
        int until = (int)((long)steps * k / frames);
        for (; done < until; done++) {
            schedule(g, &cfg, done, steps);
            toy_gan_step(g, data);
        }
        lesson_progress_tick(&prog, done, NULL);
        nn_mode_stats st = evaluate(L, g, data, x);
        toyfilm_frame(L, &film, g, k, done, &st);
    }
    lesson_progress_done(&prog);
    toyfilm_close(L, &film);

    /* The final samples for the student's own plots. */
    nn_mode_stats last = evaluate(L, g, data, x);
    if (save_samples) write_samples(L, x);
    toyfilm_plot_counts(L, &film);
    char name[96];
    snprintf(name, sizeof name, "%s_watch_final_modes", data->name);
    lesson_key(L, name, "%d", last.modes_covered);
    toyfilm_free(&film);
    toy_gan_free(g);
    return last.modes_covered;
}

/* Step 3 for one data set: every setting of its table over `seeds` seeds,
 * trained by train() above, `jobs` runs at a time. */
static void compare(lesson *L, const demo *d)
{
    toy_config cfgs[N_SETTINGS];
    for (int s = 0; s < N_SETTINGS; s++) cfgs[s] = demo_config(d, d->settings[s]);
    toytable_spec spec = {.data = &d->data, .n_settings = N_SETTINGS, .settings = d->settings,
                          .cfgs = cfgs, .steps = d->steps, .seeds = seeds, .jobs = jobs,
                          .n_eval = N_EVAL, .train = train};
    toytable_compare(L, &spec);
}

/* The labeller: loaded from the output folder when an earlier run left it
 * there, trained (and saved) otherwise. Returns its test accuracy. */
static float get_classifier(lesson *L, nn_model *net, const nn_dataset *train_set,
                            const nn_dataset *test_set)
{
    nn_error err;
    /* A smoke-test classifier is weaker: it never stands in for the real one. */
    const char *path = lesson_path(L, L->fast ? "classifier_fast.ckpt" : "classifier.ckpt");
    char saved[512];
    snprintf(saved, sizeof saved, "%s", path);
    if (nn_model_load(net, saved, &err) == NN_OK) {
        lesson_print(L, "classifier loaded from %s\n", saved);
    } else {
        int epochs = L->fast ? 1 : 3;
        float loss;
        double t0 = lesson_seconds();
        /* STEP: classifier */
        lesson_check(L, classifier_train(net, train_set, epochs, 128, 1e-3f, L->seed, &loss,
                                         &err), &err);
        lesson_check(L, nn_model_save(net, saved, &err), &err);
        /* END STEP */
        lesson_print(L, "trained %d epochs in %.1f s, last epoch's loss %.3f; saved to %s\n",
                     epochs, lesson_seconds() - t0, (double)loss, saved);
    }
    return classifier_accuracy(net, test_set);
}

static void count_modes(lesson *L, collapse *m)
{
    nn_error err;
    nn_toy sets[2];
    for (int d = 0; d < m->n_sets; d++) sets[d] = m->demos[d].data;
    float *x = m->x;
    lesson_step(L, "Counting modes");
    lesson_say(L,
               "Mode collapse is a generator that makes only some of the kinds of things in "
               "its data. On 2-D toy data we can count it. The ring has 8 Gaussian modes "
               "(radius 2, sigma 0.02) and the grid 25 (5 x 5, spacing 2, sigma 0.05). "
               "Following VEEGAN and PacGAN, on 2,500 samples:\n\n"
               "- a sample is high quality when it lies within 3 sigma of its nearest mode;\n"
               "- a mode is covered when at least one high-quality sample is nearest to it;\n"
               "- the reverse KL compares the histogram of high-quality samples over the "
               "modes with the uniform one: 0 when all modes are equally used, log K when "
               "only one is.\n\n"
               "First the real data itself, as a check of the yardstick: it covers every "
               "mode, 99.7%% of a Gaussian lies within 3 sigma (in 2-D, 98.9%%).");
    lesson_code(L, "metrics");
    for (int d = 0; d < m->n_sets; d++) {
        nn_rng r;
        nn_rng_seed(&r, L->seed, 7);
        /* STEP: metrics */
        nn_toy_sample(&sets[d], &r, x, NULL, N_EVAL);   /* 2,500 real points */
        nn_mode_stats st;
        lesson_check(L, nn_mode_stats_compute(&st, NULL, x, N_EVAL, 2, sets[d].centres,
                                              sets[d].n_modes, sets[d].sigma, &err), &err);
        lesson_print(L, "%s: %d of %d modes covered, %.1f%% high quality, reverse KL %.4f\n",
                     sets[d].name, st.modes_covered, sets[d].n_modes,
                     100.0 * st.hq_fraction, (double)st.reverse_kl);
        /* END STEP */
        char name[64];
        snprintf(name, sizeof name, "data_%s", sets[d].name);
        nn_plot p = {.dir = L->out, .name = name, .title = sets[d].name, .xlabel = "x",
                     .ylabel = "y", .width = 600, .height = 600};
        lesson_check(L, nn_plot_scatter(&p, x, N_EVAL, sets[d].centres, sets[d].n_modes, &err),
                     &err);
        snprintf(name, sizeof name, "data_%s.png", sets[d].name);
        lesson_figure(L, name, "2,500 real samples, modes marked");
    }
}

static void watch_collapse(lesson *L, collapse *m)
{
    toy_fix watched = TOY_FIX_NONE;
    toy_fix_parse(fix_flag, &watched);
    lesson_step(L, "Watching a GAN collapse");
    lesson_say(L,
               "Now a GAN learns the data: G and D are small MLPs (G: %d-dim noise, ReLU "
               "hidden layers; D: leaky ReLU hidden layers), Adam with beta1 0.5, the %s "
               "loss, learning rates decaying to 2%% of their start. Both see the data "
               "divided by its spread, so their inputs and outputs are of order 1. Each "
               "data set has the preset that makes its GAN collapse (the numbers below; "
               "--lr-d, --d-slope, --steps and --batch change them): on the ring G learns "
               "faster than D, the recipe of Metz et al. 2017; on the grid the networks are "
               "smaller, D has a third layer to draw 25 sharp bumps, its leaky ReLUs pass less "
               "gradient when off (a smaller slope), and training takes more steps. "
               "Each frame shows D's output over the plane (red: "
               "\"real\", blue: \"fake\"), the modes (crosses), G's samples (dots) and, on "
               "some samples, the direction G's gradient moves them (arrows). Watch the "
               "samples chase whatever region D currently believes in, and whole modes "
               "stay empty.",
               toy_config_default().latent, loss_flag);
    for (int d = 0; d < m->n_sets; d++) {
        const toy_config *c = &m->demos[d].cfg;
        lesson_print(L, "%s: G %d x %d, D %d x %d (leaky slope %g), learning rates G %g D %g, "
                     "%d steps of %d, data / %.3f\n", m->demos[d].data.name, c->g_layers,
                     c->g_hidden, c->d_layers, c->d_hidden, (double)c->d_slope, (double)c->lr,
                     (double)c->lr_d, m->demos[d].steps, c->batch, (double)c->scale);
    }
    lesson_code(L, "train");
    for (int d = 0; d < m->n_sets; d++) watch(L, &m->demos[d], watched, m->x);
}

static void compare_fixes(lesson *L, collapse *m)
{
    lesson_step(L, "The fixes, side by side");
    lesson_say(L,
               "Four fixes, each an option of the library's one GAN step (lib/gan/gan.h) that "
               "lessons/course/toygan.c switches on, against the vanilla GAN:\n\n"
               "- pack (PacGAN): D judges %d samples at once; a generator that repeats itself "
               "makes packs that look nothing like real packs.\n"
               "- unroll (Unrolled GAN): G is scored against the D that %d more updates "
               "would give, so it cannot win by hopping to where D is weak now. The "
               "unrolling here is first-order: the updates are taken on a copy of D, and "
               "G's gradient does not flow back through them, where Metz et al. 2017 "
               "differentiate through the whole unrolled sequence.\n"
               "- mbstd (minibatch standard deviation): D gets the batch's spread as one "
               "more feature, so a batch of near-copies gives itself away.\n"
               "- wgan-gp (Wasserstein loss, gradient penalty): D becomes a critic that "
               "scores samples, 5 updates per G update, and a penalty of weight %g "
               "(--gp-lambda) keeps its slope near 1 between real and fake points "
               "(lib/gradpen). Its scores do not saturate, so every sample keeps a pull "
               "towards the data it has not reached. The paper (Gulrajani et al. 2017) "
               "weighs the penalty 10, for images; the course's default is 1, for the toy "
               "data's scale: the critic's score gap between real and fake grows with "
               "the distance between them, which here, in standardised 2-D units, is of "
               "order 1, far less than between two 784-pixel images, so the same weight "
               "counts for much more against it. Measured on the ring when the default was "
               "chosen (the comment by toy_config_default in lessons/course/toygan.c): 1 covered "
               "all 8 modes with 84%% of samples on a mode (5 seeds), 0.1 all 8 with 78%%, "
               "and 10 flattened the critic until G found 3 or 4 modes with no sample on "
               "one (2 seeds each for 0.1 and 10).\n\n"
               "The ring's table has pack and unroll; --fix wgan-gp films wgan-gp on the "
               "ring, but its table column would cost five vanilla runs, more than a class "
               "can wait for. The "
               "grid's 40,000 steps would take three vanilla runs' time with unrolling, so "
               "its table has pack and mbstd. Every setting trains from %d seed%s, %d run%s "
               "at a time (--jobs); the table gives the mean and the standard deviation over "
               "seeds.",
               toy_config_default().pack, toy_config_default().unroll, (double)gp_lambda,
               seeds, seeds == 1 ? "" : "s", jobs, jobs == 1 ? "" : "s");
    for (int d = 0; d < m->n_sets; d++) compare(L, &m->demos[d]);
}

static void fashion_story(lesson *L)
{
    lesson_step(L, "The same story on Fashion-MNIST");
    lesson_say(L,
               "Images have no modes to count, but they have classes. A small classifier "
               "(two strided convolutions and a hidden layer, trained by the library and "
               "cached in the output folder; its test accuracy is printed below) "
               "labels 2,000 samples of each of lesson 06's two architectures; the class "
               "histogram shows which kinds of clothes a generator makes, and which it "
               "dropped. A class counts as present with at least 2%% of the samples "
               "(a fifth of its fair share). The classic GAN trains %d steps (about 5 "
               "epochs: it drops classes only after a few); the default one is lesson 06's "
               "(%s).%s",
               classic_steps, trainrun_lesson06_source(L, fashion_steps),
               L->fast ? " This --fast run trains each for a few steps on the test split "
                         "only (the lines below say how many): far too few for its "
                         "histograms to mean anything."
                       : "");
    lesson_code(L, "classifier");
    double t_fashion = lesson_seconds();
    nn_error err;
    /* Image-sized products gain from both cores, as in lesson 06. */
    if (!getenv("GANSTEPS_THREADS")) nn_set_threads(jobs);
    nn_dataset train_set, test_set;
    /* A smoke test (--fast) trains on the small test split only. */
    lesson_check(L, nn_dataset_load_mnist(&train_set, data_dir,
                                          L->fast ? NN_SPLIT_TEST : NN_SPLIT_TRAIN, &err), &err);
    lesson_check(L, nn_dataset_load_mnist(&test_set, data_dir, NN_SPLIT_TEST, &err), &err);
    nn_model *net = classifier_create(256, &err);
    if (!net) lesson_check(L, err.code, &err);
    float acc = get_classifier(L, net, &train_set, &test_set);
    lesson_key(L, "classifier_test_accuracy", "%.4f", (double)acc);
    lesson_print(L, "classifier: %.1f%% of the %d test images right\n", 100.0 * (double)acc,
                 test_set.n);

    enum { N_GEN = CLASSSHARE_SAMPLES };
    const char *archs[2] = {"classic", "default"};
    const char *ckpts[2] = {ckpt_classic, ckpt_default};
    float *z = NULL, *img = lesson_alloc(L, (size_t)N_GEN * 784, sizeof(float));
    int labels[N_GEN], counts[2][CLASSIFIER_CLASSES];
    float bars[2][CLASSIFIER_CLASSES];
    lesson_code(L, "label");
    for (int a = 0; a < 2; a++) {
        nn_gan *t = trainrun_mlp_from_lesson06(L, archs[a], ckpts[a], a == 0 ? classic_steps : fashion_steps,
                                 &train_set);
        z = lesson_alloc(L, (size_t)N_GEN * t->arch.latent_dim, sizeof(float));
        nn_rng r;
        nn_rng_seed(&r, L->seed, 9);
        nn_rng_fill_normal(&r, z, (size_t)N_GEN * t->arch.latent_dim, 0.0f, 1.0f);
        /* STEP: label */
        gan_sample_images(img, t->G, z, N_GEN);          /* 2,000 generated images */
        classifier_predict(net, img, N_GEN, labels);      /* one class each */
        nn_class_histogram(counts[a], labels, N_GEN, CLASSIFIER_CLASSES);
        /* END STEP */
        classshare_show(L, archs[a], counts[a], &train_set, img, bars[a]);
        nn_free(z);
        nn_gan_free(t);
    }
    classshare_table(L, archs, bars[0], bars[1], &train_set);
    nn_free(img);
    nn_model_free(net);
    nn_dataset_free(&train_set);
    nn_dataset_free(&test_set);
    lesson_key(L, "fashion_wall_s", "%.1f", lesson_seconds() - t_fashion);
}

static void take_away(lesson *L, const collapse *m)
{
    lesson_step(L, "What to take away");
    char fast_note[300] = "";
    if (L->fast)
        snprintf(fast_note, sizeof fast_note,
                 "This --fast run's tables (runs of %d steps, one seed) are far too short to "
                 "show any of what follows: they check that the code runs. What follows is "
                 "what the full run is there to show; run without --fast to see whether it "
                 "does.\n\n", m->demos[0].steps);
    lesson_say(L,
               "%sThe vanilla GAN covers only part of the data, and which part changes as it "
               "trains: G moves its samples toward wherever D is currently fooled, D follows, "
               "and the chase never has to spread out. The fixes differ in how much they "
               "help, and the table is the honest answer for this setting: unrolling gives G "
               "a look ahead at D's answer; packing and the batch-spread feature let D see a "
               "lack of variety; WGAN-GP's critic keeps pulling every sample that is not yet "
               "on the data. Compare how many modes each covers and how tightly its "
               "samples sit on them (the high-quality share): covering comes first, "
               "precision takes many more steps. Try --steps 2000 (a quicker, rougher table), "
               "--dataset grid --lr-d 2e-3 (a quicker D), --dataset grid --d-slope 0.2 (D's "
               "off units pass G a fifth of their gradient), --fix wgan-gp, --loss lsgan or "
               "--d-steps 5, and compare the tables. For the two grid variants, measured "
               "with --seeds 10 at the default --seed (the comment by demo_make in "
               "lessons/09_mode_collapse.c keeps the record; modes covered, mean over "
               "seeds):\n\n"
               "  --lr-d 2e-3     vanilla 3.7, pack 15.7, mbstd 25.0\n"
               "  --d-slope 0.2   vanilla 21.8, pack 24.7, mbstd 21.7",
               fast_note);
}

/* The files the flags name, and the images the Fashion-MNIST step reads:
 * checked now, before the first step writes anything, not after minutes of
 * toy runs. */
static void check_the_paths(lesson *L)
{
    if (save_samples) trainrun_check_writable(L, "save-samples", save_samples);
    const char *names[2] = {"ckpt-classic", "ckpt-default"};
    const char *ckpts[2] = {ckpt_classic, ckpt_default};
    for (int a = 0; a < 2; a++) {
        FILE *f = ckpts[a] ? fopen(ckpts[a], "rb") : NULL;
        if (ckpts[a] && !f)
            lesson_fail(L, LESSON_EXIT_INPUT, "--%s %s: cannot read it; give lesson 06's G.ckpt "
                        "(make lesson N=6 writes it)", names[a], ckpts[a]);
        if (f) fclose(f);
    }
    if (!(fashion_steps > 0 || ckpt_classic || ckpt_default)) return;
    const lesson_data_shape *d = lesson_data(L, 1);
    if (d->c * d->h * d->w != 784)
        lesson_fail(L, LESSON_EXIT_INPUT, "--data: images of %d x %d x %d; the lesson "
                    "classifier reads 1 x 28 x 28 grey images", d->c, d->h, d->w);
    /* the classifier, when no earlier run left one, trains on the test
     * split under --fast, on the training split otherwise */
    judge_check_data(L, lesson_data(L, L->fast)->n);
}

int main(int argc, char **argv)
{
    static const lesson_info info = {
        9, "mode_collapse", "Mode collapse",
        "A GAN on a ring and a grid of Gaussians drops modes; the VEEGAN/PacGAN metrics count "
        "it, a film shows it, and packing, unrolling, a minibatch-stddev feature and "
        "WGAN-GP are put to the test, mean and spread over seeds.",
        9};
    lesson *L = lesson_begin(argc, argv, &info, flags, LESSON_NFLAGS(flags));
    if (L->fast) {
        /* A smoke test: every step runs, nothing is meant to converge
         * (demo_make shortens the runs). */
        seeds = 1;
        frames = 3;
        jobs = 1;
    }
    check_the_paths(L);
    collapse m = {.n_sets = strcmp(dataset_flag, "both") == 0 ? 2 : 1};
    demo_make(L, &m.demos[0], strcmp(dataset_flag, "grid") == 0 ? "grid" : "ring");
    if (m.n_sets == 2) demo_make(L, &m.demos[1], "grid");
    m.x = lesson_alloc(L, (size_t)N_EVAL * 2, sizeof(float));
    double t_start = lesson_seconds();
    count_modes(L, &m);
    watch_collapse(L, &m);
    compare_fixes(L, &m);
    if (fashion_steps > 0 || ckpt_classic || ckpt_default) fashion_story(L);
    take_away(L, &m);
    lesson_key(L, "wall_s", "%.1f", lesson_seconds() - t_start);
    nn_free(m.x);
    return lesson_end(L);
}
