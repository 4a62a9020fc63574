/* 06_training.c - lesson 06: the full alternating training on Fashion-MNIST.
 *
 * The course questions it answers: how do D and G take turns (one training
 * step, in order); what do the losses, D(x) and D(G(z)) look like while a GAN
 * learns, and which patterns mean trouble; how do samples of fixed noise change
 * epoch by epoch; what was measured about the classic MLP GAN dropping
 * classes and the default keeping them; how to save, resume and export a
 * trained generator; what to do when a loss becomes NaN.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lesson.h"
#include "nn.h"
#include "data/data.h"
#include "mlpgan.h"
#include "trainrun.h"
#include "trickstable.h"
#include "viz/image.h"
#include "viz/plot.h"

/* Epochs of a default run: in PyTorch runs of these MLPs
 * (tools/fashion_gan_torch.py, labelled by tools/fashion_coverage.py) every
 * class was there from epoch 2 on, and the items sharpened until epoch 8
 * (no further gain by epoch 10). */
#define DEFAULT_EPOCHS 8
/* Images --fast trains on: enough for a few dozen steps. */
#define FAST_IMAGES 2048
/* A number macro as a string literal, for the text: TEXT(FAST_IMAGES). */
#define TEXT_(x) #x
#define TEXT(x) TEXT_(x)
/* Fixed latent vectors drawn after every epoch: a 10 x 10 grid. */
#define GRID_N 100
/* Samples shown in the terminal after each epoch: one row of three. */
#define PREVIEW_N 3

static const char *arch_name = "default";
static const char *loss_name = "nonsat";
static int epochs = DEFAULT_EPOCHS;
static float lr = 2e-4f;
static int batch = 64;
static int d_steps = 1;
static float real_label = 0.0f;
static int resume = 0;
static const char *save_samples = NULL;
static int n_export = 1000;
static const char *data_dir = NULL;
static int threads = 0;
static const lesson_flag flags[] = {
    {"arch", LESSON_CHOICE, &arch_name, "the course's default MLP GAN or the classic one",
     0, 0, "default|classic"},
    {"loss", LESSON_CHOICE, &loss_name, "the GAN objective", 0, 0,
     "nonsat|minimax|lsgan|hinge"},
    {"epochs", LESSON_INT, &epochs, "passes over the training set", 1, 1000, NULL},
    {"lr", LESSON_FLOAT, &lr, "Adam's learning rate for G and D", 1e-7, 10.0, NULL},
    {"batch", LESSON_INT, &batch, "images per batch", 2, 4096, NULL},
    {"d-steps", LESSON_INT, &d_steps, "discriminator updates per generator update", 1,
     16, NULL},
    {"real-label", LESSON_FLOAT, &real_label, "D's target for real images; 0: the "
     "architecture's (0.9 default, 1 classic)", 0.0, 1.0, NULL},
    {"resume", LESSON_SWITCH, &resume, "train --epochs more from the checkpoint in "
     "the output folder", 0, 0, NULL},
    {"save-samples", LESSON_STRING, &save_samples, "write --samples generated images "
     "to FILE (IDX, like Fashion-MNIST)", 0, 0, NULL},
    {"samples", LESSON_INT, &n_export, "images --save-samples writes", 1, 100000, NULL},
    {"data", LESSON_STRING, &data_dir, "folder of an MNIST-format data set (default: "
     "Fashion-MNIST)", 0, 0, NULL},
    {"threads", LESSON_INT, &threads, "threads for the matrix products; 0: "
     "GANSTEPS_THREADS if set, else 2", 0, 64, NULL},
};

/* What the steps of one run share: the data, the GAN, its batches, its log. */
typedef struct {
    nn_gan_arch arch;
    nn_gan_objective loss;
    int classic;                /* --arch classic */
    long epochs_done, steps_done; /* before this run (--resume), then in all */
    nn_dataset ds;
    int n_images;               /* images trained on (--fast uses the first few) */
    int rows;                   /* real images per training step */
    long steps_per_epoch;
    nn_gan *t;
    int *order;                 /* (ds.n) the order of the images in this epoch */
    float *real;                /* (rows, data_dim) the real rows of one step */
    nn_rng data_rng;            /* the orders' stream */
    nn_gan_stats first;         /* the step shown before the loop */
    trainrun_log lg;            /* one entry per step of this run */
    float *zfix;                /* (GRID_N, latent_dim) drawn after every epoch */
} training_run;

/* "100-256-512-784": a network's widths, input to output, into buf. */
static void widths(char *buf, size_t size, int in, const int *hidden, int n, int out)
{
    int k = snprintf(buf, size, "%d", in);
    for (int i = 0; i < n && k > 0 && (size_t)k < size; i++)
        k += snprintf(buf + k, size - (size_t)k, "-%d", hidden[i]);
    if (k > 0 && (size_t)k < size) snprintf(buf + k, size - (size_t)k, "-%d", out);
}

/* Frees what a training run holds, before it ends early or normally. */
static void free_run(nn_gan *t, nn_dataset *ds, int *order, float *real, float *zfix,
                     trainrun_log *lg)
{
    nn_free(lg->d_loss);
    nn_free(lg->g_loss);
    nn_free(lg->d_real);
    nn_free(lg->d_fake);
    nn_free(zfix);
    nn_free(order);
    nn_free(real);
    nn_gan_free(t);
    nn_dataset_free(ds);
}

/* The flags made into a run: architecture, loss, the real label the
 * architecture implies, where a resumed run starts. */
static void start_run(lesson *L, training_run *r)
{
    mlpgan_arch_parse(arch_name, &r->arch); /* the flag table allows only known names */
    mlpgan_loss_parse(loss_name, &r->loss);
    r->classic = strcmp(arch_name, "classic") == 0;
    if (real_label == 0.0f) real_label = r->classic ? 1.0f : 0.9f;
    if (L->fast && epochs == DEFAULT_EPOCHS) epochs = 1;
    /* Two threads unless told otherwise: both cores of a 2-core machine
     * share the matrix products (results are reproducible at any fixed
     * count, not across counts). */
    lesson_use_threads(threads);
    /* Where a resumed run starts; read first, so a missing checkpoint is
     * reported before minutes of data loading. */
    r->epochs_done = 0;
    r->steps_done = 0;
    if (resume) trainrun_load_state(L, arch_name, &r->epochs_done, &r->steps_done);
    /* A sample file that cannot be written is found now, not after training. */
    if (save_samples) trainrun_check_writable(L, "save-samples", save_samples);
    /* The data set fits the GAN and holds one step's images: checked here,
     * before the first step writes anything. */
    const lesson_data_shape *train = lesson_data(L, 0);
    int n_images = L->fast && train->n > FAST_IMAGES ? FAST_IMAGES : train->n;
    if (train->c * train->h * train->w != r->arch.data_dim)
        lesson_fail(L, LESSON_EXIT_INPUT, "--data: images of %d x %d x %d, but the GAN draws "
                    "%d pixels; use a 28 x 28 grey data set", train->c, train->h, train->w,
                    r->arch.data_dim);
    if (n_images < batch * d_steps)
        lesson_fail(L, LESSON_EXIT_INPUT, "--batch %d x --d-steps %d = %d images per step, more "
                    "than the %d in the data set; lower them", batch, d_steps, batch * d_steps,
                    n_images);
}

static void load_data(lesson *L, training_run *r)
{
    lesson_step(L, "The data, in batches");
    lesson_say(L,
               "One epoch is one pass over the training set in a new random order. Each "
               "training step takes %d real image%s (%d per discriminator update, %d "
               "update%s per step), turned from bytes into [-1, 1] by nn_bytes_to_float "
               "(exercise 10): the range of G's tanh, so real and fake pixels are on the "
               "same scale.%s",
               batch * d_steps, batch * d_steps > 1 ? "s" : "", batch, d_steps,
               d_steps > 1 ? "s" : "",
               L->fast ? " With --fast only the first " TEXT(FAST_IMAGES) " images are used."
                       : "");
    lesson_code(L, "data");
    nn_error err = {NN_OK, ""};
    /* STEP: data */
    nn_dataset ds;
    lesson_check(L, nn_dataset_load_mnist(&ds, data_dir, NN_SPLIT_TRAIN, &err), &err);
    if (L->fast && ds.n > FAST_IMAGES) ds.n = FAST_IMAGES;
    int rows = batch * d_steps;                /* real images per training step */
    long steps_per_epoch = ds.n / rows;        /* the last partial batch is skipped */
    lesson_print(L, "%d training images of %d x %d, %d per step: %ld steps per epoch\n", ds.n,
                 ds.h, ds.w, rows, steps_per_epoch);
    /* END STEP */
    /* start_run has checked the sizes against the flags */
    r->ds = ds;
    r->n_images = ds.n;
    r->rows = rows;
    r->steps_per_epoch = steps_per_epoch;
}

static void build_trainer(lesson *L, training_run *r)
{
    lesson_step(L, "Generator, discriminator and their optimizers");
    lesson_say(L,
               "mlpgan_create builds G and D from the architecture (exercises 2 and "
               "4), initialises them with N(0, 0.02) (exercise 6), gives each its own Adam "
               "(lr %g, beta1 0.5, beta2 0.999: the DCGAN setting, whose low beta1 lets "
               "the optimizer follow a moving target) and allocates every buffer once. "
               "Architecture: %s; loss: %s; real label: %g.",
               (double)lr, arch_name, loss_name, (double)real_label);
    lesson_code(L, "trainer");
    nn_error err = {NN_OK, ""};
    nn_gan_arch arch = r->arch;
    nn_gan_objective loss = r->loss;
    nn_dataset ds = r->ds;
    /* STEP: trainer */
    nn_gan *t = mlpgan_create(&arch, loss, lr, batch, d_steps, real_label, L->seed,
                                        &err);
    if (!t) {
        nn_dataset_free(&ds);
        lesson_check(L, err.code != NN_OK ? err.code : NN_ERR_ARG, &err);
    }
    FILE *f = lesson_capture_begin(L);
    gan_print_layers(f, t->G, "generator G");
    gan_print_layers(f, t->D, "discriminator D");
    lesson_capture_end(L);
    /* END STEP */
    lesson_key(L, "g_params", "%zu", nn_model_param_count(t->G));
    lesson_key(L, "d_params", "%zu", nn_model_param_count(t->D));
    if (r->classic)
        lesson_say(L,
                   "This is the classic MLP GAN most courses show first. In the reference "
                   "runs of the last step it soon drew mostly tops, pullovers, coats and "
                   "shirts, few trousers or bags, and no sneakers, sandals or ankle boots. "
                   "Watch whether this run's sample grids do the same, and run it again "
                   "without --arch to compare.");
    else {
        char gw[64], dw[64];
        widths(gw, sizeof gw, arch.latent_dim, arch.g_hidden, arch.n_g_hidden, arch.data_dim);
        widths(dw, sizeof dw, arch.data_dim, arch.d_hidden, arch.n_d_hidden, 1);
        lesson_say(L,
                   "The default is still a plain MLP, with four choices that the classic "
                   "one lacks; the last step says where each is measured: batchnorm "
                   "in G, dropout %g in D, one-sided label smoothing (real label %g), and wider "
                   "layers (G %s, D %s).",
                   (double)arch.d_dropout, (double)real_label, gw, dw);
    }

    /* The order of the images in this epoch, and the real rows of one step. */
    r->t = t;
    r->order = nn_alloc((size_t)ds.n, sizeof(int));
    r->real = nn_alloc((size_t)r->rows * (size_t)arch.data_dim, sizeof(float));
    if (!r->order || !r->real) lesson_fail(L, LESSON_EXIT_INTERNAL, "out of memory for batches");
    for (int i = 0; i < ds.n; i++) r->order[i] = i;
    if (resume) trainrun_resume(L, t, r->epochs_done, r->steps_done);
}

static void show_one_step(lesson *L, training_run *r)
{
    lesson_step(L, "One training step");
    nn_gan_objective loss = r->loss;
    {
        /* The two losses of this run's --loss and --real-label, in words. */
        char d_desc[160], g_desc[96];
        if (loss == NN_GAN_LSGAN || loss == NN_GAN_HINGE)
            snprintf(d_desc, sizeof d_desc, "the D loss of --loss %s", loss_name);
        else if (real_label == 1.0f)
            snprintf(d_desc, sizeof d_desc, "the D loss -log D(x) - log(1 - D(G(z)))");
        else
            snprintf(d_desc, sizeof d_desc, "the D loss -%g log D(x) - %g log(1 - D(x)) - "
                     "log(1 - D(G(z))) (real label %g)", (double)real_label,
                     1.0 - (double)real_label, (double)real_label);
        if (loss == NN_GAN_NONSAT)
            snprintf(g_desc, sizeof g_desc, "the G loss (non-saturating: -log D(G(z)))");
        else if (loss == NN_GAN_MINIMAX)
            snprintf(g_desc, sizeof g_desc, "the G loss (minimax: log(1 - D(G(z))))");
        else
            snprintf(g_desc, sizeof g_desc, "the G loss of --loss %s", loss_name);
        lesson_say(L,
                   "nn_gan_step (exercise 9) is one turn of the game, in this order:\n"
                   "- sample z, run G: a batch of fakes;\n"
                   "- D judges real and fake; %s is back-propagated into D's weights "
                   "only, and Adam moves D;\n"
                   "- D judges the same fakes again; %s is back-propagated through D, "
                   "frozen, into the fake pixels and on into G's weights, and Adam moves "
                   "G.\n\n"
                   "It returns what we log: both losses, the mean D(x) on real images and "
                   "the mean D(G(z)) on fakes. Before training D cannot tell them apart: "
                   "both are near 0.5%s.\n\n"
                   "Two slips to check in your own version against lesson 05's derivation: "
                   "real images are labelled 1 and fakes 0 (D(x) is D's probability that x "
                   "is real); and D's update descends its loss, which is -V, so it climbs V: "
                   "a step along +grad of the loss, or down V, trains D backwards.",
                   d_desc, g_desc,
                   loss == NN_GAN_NONSAT || loss == NN_GAN_MINIMAX
                       ? " and the D loss is near 2 log 2 = 1.386"
                       : "");
    }
    lesson_code(L, "step");
    long epochs_done = r->epochs_done;
    int *order = r->order, rows = r->rows;
    float *real = r->real;
    nn_dataset ds = r->ds;
    nn_gan *t = r->t;
    /* STEP: step */
    nn_rng data_rng;
    nn_rng_seed(&data_rng, L->seed, 32 + (uint64_t)epochs_done);
    nn_rng_shuffle(&data_rng, order, ds.n);
    nn_dataset_gather(real, &ds, order, rows, NN_RANGE_PM1); /* bytes -> [-1, 1] */
    nn_gan_stats st;
    nn_gan_step(t, real, &st);
    lesson_print(L, "d_loss %.4f  g_loss %.4f  D(x) %.3f  D(G(z)) %.3f\n", st.d_loss, st.g_loss,
                 st.d_real, st.d_fake);
    /* END STEP */
    /* That step counts: the loop of the next step starts at the next batch. */
    r->data_rng = data_rng;
    r->first = st;
}

static void train_epochs(lesson *L, training_run *r)
{
    long steps_per_epoch = r->steps_per_epoch;
    long total = steps_per_epoch * epochs;
    trainrun_log lg = {0, nn_alloc((size_t)total, sizeof(float)),
                    nn_alloc((size_t)total, sizeof(float)), nn_alloc((size_t)total, sizeof(float)),
                    nn_alloc((size_t)total, sizeof(float))};
    float *zfix = nn_alloc((size_t)GRID_N * (size_t)r->arch.latent_dim, sizeof(float));
    if (!lg.d_loss || !lg.g_loss || !lg.d_real || !lg.d_fake || !zfix)
        lesson_fail(L, LESSON_EXIT_INTERNAL, "out of memory for a log of %ld steps", total);
    nn_gan_stats st = r->first;
    lg.d_loss[0] = st.d_loss;
    lg.g_loss[0] = st.g_loss;
    lg.d_real[0] = st.d_real;
    lg.d_fake[0] = st.d_fake;
    lg.n = 1;
    /* The same latent vectors every epoch (their own stream, so they do not
     * depend on training): the grids show one G changing, not new dice. */
    nn_rng zr;
    nn_rng_seed(&zr, L->seed, 7);
    nn_sample_latent(zfix, GRID_N, r->arch.latent_dim, &zr);

    lesson_step(L, "Training");
    lesson_say(L,
               "%d epoch%s of %ld steps. After each epoch G draws the same %d latent "
               "vectors (a PNG grid, the first %d shown here). If a loss becomes NaN, "
               "infinite or absurdly large (past 1e6), training stops and says what to try.",
               epochs, epochs > 1 ? "s" : "", steps_per_epoch, GRID_N, PREVIEW_N);
    lesson_code(L, "train");
    long epochs_done = r->epochs_done, steps_done = r->steps_done;
    nn_rng data_rng = r->data_rng;
    int *order = r->order, rows = r->rows;
    float *real = r->real;
    nn_dataset ds = r->ds;
    nn_gan *t = r->t;
    double t0 = lesson_seconds();
    /* STEP: train */
    for (int e = 0; e < epochs; e++) {
        long epoch_no = epochs_done + e + 1;
        char label[32];
        snprintf(label, sizeof label, "epoch %ld", epoch_no);
        lesson_progress pr;
        lesson_progress_start(L, &pr, label, steps_per_epoch);
        if (e > 0) nn_rng_shuffle(&data_rng, order, ds.n); /* a new order each epoch */
        /* Epoch 1's first batch was the step shown above. */
        for (long s = (e == 0); s < steps_per_epoch; s++) {
            /* This step's real rows, bytes -> [-1, 1] (exercise 10). */
            nn_dataset_gather(real, &ds, order + s * rows, rows, NN_RANGE_PM1);
            nn_gan_step(t, real, &st);
            trainrun_record(&lg, &st); /* one entry per step: the curves after training */
            /* Stop at the first broken number: every later step would build
             * on it, and the log up to here shows how it came about. */
            const char *bad = trainrun_diverged(&st);
            if (bad) {
                lesson_progress_done(&pr);
                trainrun_write_log(L, &lg, steps_done);
                free_run(t, &ds, order, real, zfix, &lg);
                lesson_fail(L, LESSON_EXIT_INTERNAL,
                            "step %ld (epoch %ld): %s, training diverged. Try a lower --lr "
                            "(now %g; 2e-4 or 1e-4), --loss nonsat, --real-label 0.9 or "
                            "--arch default; every step up to here is in %s",
                            steps_done + lg.n, epoch_no, bad, (double)lr,
                            lesson_path(L, "train_log.tsv"));
            }
            lesson_progress_tick(&pr, s + 1, "d_loss %.3f g_loss %.3f D(x) %.2f D(G(z)) %.2f",
                                 st.d_loss, st.g_loss, st.d_real, st.d_fake);
        }
        lesson_progress_done(&pr);
        char png[48];
        snprintf(png, sizeof png, "samples_epoch_%03ld.png", epoch_no);
        trainrun_sample_grid(L, t->G, zfix, GRID_N, png, PREVIEW_N);
        char caption[48];
        snprintf(caption, sizeof caption, "fixed noise after epoch %ld", epoch_no);
        lesson_figure(L, png, caption);
        lesson_print(L, "epoch %ld: d_loss %.3f g_loss %.3f D(x) %.2f D(G(z)) %.2f  -> %s\n",
                     epoch_no, trainrun_tail_mean(lg.d_loss, lg.n), trainrun_tail_mean(lg.g_loss, lg.n),
                     trainrun_tail_mean(lg.d_real, lg.n), trainrun_tail_mean(lg.d_fake, lg.n), png);
    }
    /* END STEP */
    double wall = lesson_seconds() - t0;
    r->lg = lg;
    r->zfix = zfix;
    r->epochs_done += epochs;
    r->steps_done += lg.n;
    lesson_key(L, "epochs", "%ld", r->epochs_done);
    lesson_key(L, "steps", "%ld", r->steps_done);
    lesson_key(L, "wall_s", "%.1f", wall);
    lesson_key(L, "steps_per_s", "%.1f", (double)(lg.n - 1) / (wall > 0.0 ? wall : 1.0));
    lesson_key_quiet(L, "threads", "%d", nn_get_threads());
    lesson_key(L, "d_loss_end", "%.4f", trainrun_tail_mean(lg.d_loss, lg.n));
    lesson_key(L, "g_loss_end", "%.4f", trainrun_tail_mean(lg.g_loss, lg.n));
    lesson_key(L, "d_real_end", "%.4f", trainrun_tail_mean(lg.d_real, lg.n));
    lesson_key(L, "d_fake_end", "%.4f", trainrun_tail_mean(lg.d_fake, lg.n));
    lesson_say(L, "The *_end figures are means over the last %ld steps: one step's loss is "
               "noisy.", lg.n < TRAINRUN_END_WINDOW ? lg.n : (long)TRAINRUN_END_WINDOW);
}

/* What the end of this run says, chosen by its own numbers. */
static void say_where_it_ended(lesson *L, const trainrun_log *lg)
{
    float dl = trainrun_tail_mean(lg->d_loss, lg->n), gl = trainrun_tail_mean(lg->g_loss, lg->n);
    float dr = trainrun_tail_mean(lg->d_real, lg->n), df = trainrun_tail_mean(lg->d_fake, lg->n);
    char verdict[400];
    if (L->fast)
        snprintf(verdict, sizeof verdict,
                 "A --fast run of %ld steps is too short to show where the balance "
                 "settles; run without --fast to see it.", lg->n);
    else if (dr > 0.9f && df < 0.1f)
        snprintf(verdict, sizeof verdict,
                 "D is winning: it is sure of real and fake images alike, and G's "
                 "gradient fades. Try a lower --lr, --real-label 0.9 or --arch default.");
    else if (fabsf(dr - df) < 0.05f)
        snprintf(verdict, sizeof verdict,
                 "On average D no longer tells real from fake (D(x) - D(G(z)) = %.3f): "
                 "either G is very good or D has stopped learning; the samples say which.",
                 (double)(dr - df));
    else
        snprintf(verdict, sizeof verdict,
                 "Neither player has won: D(x) stays above D(G(z)) by %.2f, and neither "
                 "is near 0 or 1.", (double)(dr - df));
    lesson_say(L,
               "This run ends (means over its last %ld steps) with D loss %.3f, G loss "
               "%.3f, D(x) %.3f and D(G(z)) %.3f. %s",
               lg->n < TRAINRUN_END_WINDOW ? lg->n : (long)TRAINRUN_END_WINDOW, (double)dl,
               (double)gl,
               (double)dr, (double)df, verdict);
}

static void plot_curves(lesson *L, training_run *r)
{
    lesson_step(L, "The losses and D's outputs");
    nn_gan_objective loss = r->loss;
    const trainrun_log *lg = &r->lg;
    int cross_entropy = loss == NN_GAN_NONSAT || loss == NN_GAN_MINIMAX;
    if (loss == NN_GAN_MINIMAX && real_label == 1.0f)
        lesson_say(L,
                   "A GAN's losses do not go to zero. This run plays the minimax game: D's "
                   "loss is -V and G's loss is V minus the real images' term, which G cannot "
                   "change, so whatever one player gains the other loses (a zero-sum game).");
    else {
        char label_note[64] = "";
        if (real_label < 1.0f)
            snprintf(label_note, sizeof label_note, " and D's real label %g", (double)real_label);
        lesson_say(L,
                   "A GAN's losses do not go to zero. They are not each other's negatives "
                   "here: that holds only in the minimax game with real label 1 (--loss "
                   "minimax --real-label 1), where D's loss is -V and G's is V minus a term "
                   "G cannot change. With this run's G loss (%s)%s the game is not zero-sum, "
                   "but the two losses still pull against each other: a D that tells fakes "
                   "apart better raises G's loss, and a G that fools D more raises D's.",
                   loss_name, label_note);
    }
    if (cross_entropy) {
        double rl = real_label;
        double floor_d = rl < 1.0 ? -(rl * log(rl) + (1.0 - rl) * log(1.0 - rl)) : 0.0;
        lesson_say(L,
                   "\nReference points: a D that cannot tell real from fake (D = 1/2 on "
                   "everything) has D loss 2 log 2 = %.3f, and G's loss is then %.3f; with "
                   "real label %g, D's loss cannot go below %.3f however good D is (the "
                   "entropy of that label). Signs of trouble: the D loss near that floor "
                   "with D(x) near 1 and D(G(z)) near 0 (D wins and G's gradient fades, "
                   "worst with --loss minimax: lesson 08), or a G loss that falls while the "
                   "samples all look alike (mode collapse: D is fooled by one kind of item). "
                   "Every step is in train_log.tsv.",
                   2.0 * log(2.0), loss == NN_GAN_MINIMAX ? -log(2.0) : log(2.0),
                   (double)real_label, floor_d);
    } else
        lesson_say(L,
                   "\n--loss %s is not a cross-entropy: its losses have their own scale, and "
                   "D(x), D(G(z)) below are the sigmoids of D's scores. Every step is in "
                   "train_log.tsv.",
                   loss_name);
    long first_step = r->steps_done - lg->n;
    trainrun_write_log(L, lg, first_step);
    trainrun_plot_pair(L, "losses", "discriminator and generator loss", "loss", lg->d_loss,
                       "D loss", lg->g_loss, "G loss", lg->n, first_step);
    trainrun_plot_pair(L, "d_outputs", "D(x) on real and D(G(z)) on fake images",
                       "mean probability", lg->d_real, "D(x)", lg->d_fake, "D(G(z))", lg->n,
                       first_step);
    say_where_it_ended(L, lg);
}

static void save_samples_and_checkpoint(lesson *L, training_run *r)
{
    long epochs_done = r->epochs_done, steps_done = r->steps_done;
    lesson_step(L, "The samples, and a checkpoint");
    lesson_say(L,
               "The last grid is the generator after %ld epoch%s. The checkpoint holds G "
               "and D (weights, batchnorm statistics and Adam's state), so --resume "
               "continues exactly where this run stopped; --save-samples FILE writes "
               "generated images as an IDX file, the format of the data set itself, for "
               "other tools (a classifier, a metric).",
               epochs_done, epochs_done == 1 ? "" : "s");
    lesson_code(L, "save");
    nn_gan *t = r->t;
    float *zfix = r->zfix;
    /* STEP: save */
    trainrun_sample_grid(L, t->G, zfix, GRID_N, "samples.png", 3 * PREVIEW_N);
    trainrun_save(L, t, arch_name, epochs_done, steps_done);  /* G.ckpt, D.ckpt, state */
    if (save_samples) trainrun_export(L, t->G, save_samples, n_export);
    /* END STEP */
    lesson_figure(L, "samples.png", "samples of fixed noise after the last epoch");
    lesson_print(L, "checkpoint: %s/G.ckpt, %s/D.ckpt (continue with --resume)\n", L->out,
                 L->out);
}

static void which_classes(lesson *L, const training_run *r)
{
    lesson_step(L, "Which classes: what was measured");
    lesson_say(L,
               "Which kinds of clothes a generator draws can be counted: label its samples "
               "with a classifier trained on Fashion-MNIST and tally the labels; how close "
               "they are to real images, by the Frechet distance of the classifier's "
               "features. Lesson 11 measures each of the default's choices that way: it "
               "trains this default with one choice removed or added at a time (a ReLU "
               "instead of the leaky ReLU in D, G without batchnorm, D without dropout, no "
               "label smoothing, instance noise, weight decay on D), over 3 seeds at an "
               "equal budget, and tabulates the Frechet distance, the classes covered and "
               "the runs that diverged. lr 2e-4 with beta1 0.5 is the DCGAN setting "
               "(Radford et al. 2016) in every run, classic and default alike: the "
               "difference between them is not the optimizer.");
    trickstable_show(L);
    if (L->fast)
        lesson_say(L,
                   "This run (--fast, %ld steps on %d images) is too short to show any of "
                   "this: it checks that training runs, not what G learns. Run without "
                   "--fast for the lesson's %d epochs.",
                   r->steps_done, r->n_images, DEFAULT_EPOCHS);
    else
        lesson_say(L,
                   "This lesson does not count classes itself. This run's grids, epoch by "
                   "epoch, are there to compare with the runs above; to count its classes, "
                   "lesson 09 labels this checkpoint with the library's own classifier "
                   "(%s %s/G.ckpt).",
                   r->classic ? "--ckpt-classic" : "--ckpt-default", L->out);
    lesson_key_quiet(L, "arch", "%s", arch_name);
    lesson_key_quiet(L, "loss", "%s", loss_name);
}

int main(int argc, char **argv)
{
    static const lesson_info info = {
        6, "training", "Training the GAN",
        "The full alternating training of D and G on Fashion-MNIST: one step in order, "
        "the losses, D(x) and D(G(z)) as it learns, a sample grid of fixed noise every "
        "epoch, a checkpoint, and why the default architecture keeps all ten classes.",
        6};
    lesson *L = lesson_begin(argc, argv, &info, flags, LESSON_NFLAGS(flags));
    training_run r = {.classic = 0};
    start_run(L, &r);
    load_data(L, &r);
    build_trainer(L, &r);
    show_one_step(L, &r);
    train_epochs(L, &r);
    plot_curves(L, &r);
    save_samples_and_checkpoint(L, &r);
    which_classes(L, &r);
    free_run(r.t, &r.ds, r.order, r.real, r.zfix, &r.lg);
    return lesson_end(L);
}
