/* 10_dcgan.c - lesson 10: convolutions, and a DCGAN on Fashion-MNIST.
 *
 * The course questions it answers: why convolutions (parameters and
 * locality, in numbers, against lesson 06's MLP); what a transposed
 * convolution does to a feature map, and the checkerboard it can leave; the
 * DCGAN guidelines as switches; training it (losses, D(x), D(G(z)), sample
 * grids, checkpoints, resume, export); and whether it beats the MLP, judged
 * by the lesson classifier: classes covered and the Frechet distance of its
 * features.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convstamps.h"
#include "dcganvsmlp.h"
#include "judge.h"
#include "lesson.h"
#include "mlpgan.h"
#include "nn.h"
#include "trainrun.h"

/* A default run: 5 epochs of batch 32 with G and D a quarter of the
 * paper-like 128/64 maps' products, a few minutes on the 2-core course
 * machine; training its own classifier and lesson 06's MLP, when their
 * lessons have not run, adds theirs (this lesson's summary.tsv has the
 * timings). */
#define DEFAULT_EPOCHS 5
#define FAST_IMAGES 1024
#define GRID_N 100          /* fixed latent vectors drawn after every epoch */
#define PREVIEW_N 3
#define JUDGE_N 2000        /* samples each generator gives the judge */

static const char *batchnorm = "both";
static const char *g_act = "relu";
static int g_channels = TRAINRUN_LESSON10_G_CHANNELS;
static int d_channels = TRAINRUN_LESSON10_D_CHANNELS;
static int epochs = DEFAULT_EPOCHS;
static float lr = 4e-4f;
static float beta1 = 0.5f;
static float real_label = 1.0f;
static int batch = 32;
static int resume = 0;
static const char *save_samples = NULL;
static int n_export = 1000;
static const char *mlp_ckpt = NULL;
static const char *data_dir = NULL;
static int threads = 0;
static const lesson_flag flags[] = {
    {"batchnorm", LESSON_CHOICE, &batchnorm, "where batchnorm goes (the guideline: both)", 0, 0,
     "both|g|d|none"},
    {"g-act", LESSON_CHOICE, &g_act, "G's activation (the guideline: relu)", 0, 0,
     "relu|leaky"},
    {"g-channels", LESSON_INT, &g_channels, "channels of G's 7 x 7 feature maps; each "
     "transposed convolution halves them", 2, 1024, NULL},
    {"d-channels", LESSON_INT, &d_channels, "channels of D's first convolution; the second "
     "doubles them", 1, 1024, NULL},
    {"epochs", LESSON_INT, &epochs, "passes over the training set", 1, 1000, NULL},
    {"lr", LESSON_FLOAT, &lr, "Adam's learning rate for G and D (the guideline: 2e-4)", 1e-7,
     1.0, NULL},
    {"beta1", LESSON_FLOAT, &beta1, "Adam's beta1 (the guideline: 0.5)", 0.0, 0.999, NULL},
    {"real-label", LESSON_FLOAT, &real_label, "D's target for real images (0.9: one-sided "
     "label smoothing)", 0.5, 1.0, NULL},
    {"batch", LESSON_INT, &batch, "images per batch", 2, 1024, NULL},
    {"resume", LESSON_SWITCH, &resume, "train --epochs more from the checkpoint in the output "
     "folder", 0, 0, NULL},
    {"save-samples", LESSON_STRING, &save_samples, "write --samples generated images to FILE "
     "(IDX, like Fashion-MNIST)", 0, 0, NULL},
    {"samples", LESSON_INT, &n_export, "images --save-samples writes", 1, 100000, NULL},
    {"mlp-ckpt", LESSON_STRING, &mlp_ckpt, "a G.ckpt of lesson 06's default MLP to compare "
     "with (default: lesson 06's own, when it has run)", 0, 0, NULL},
    {"data", LESSON_STRING, &data_dir, "folder of an MNIST-format data set (default: "
     "Fashion-MNIST)", 0, 0, NULL},
    {"threads", LESSON_INT, &threads, "threads for the products; 0: GANSTEPS_THREADS if set, "
     "else 2", 0, 64, NULL},
};

/* What the steps share: the run's place in a resumed series, the DCGAN,
 * its data and batches, and the log of its training. */
typedef struct {
    char arch_name[48];          /* the checkpoint's architecture, for --resume */
    long epochs_done, steps_done; /* before this run (--resume), then in all */
    nn_dcgan_arch a;
    nn_model *G, *D;             /* built in step 1; the GAN owns them from step 4 on */
    nn_dataset ds;
    int n_train;                 /* training images (--fast trains on the first few) */
    long steps_per_epoch;
    int *order;                  /* (ds.n) the order of the images in this epoch */
    float *real;                 /* (batch, 784) one step's real images */
    nn_gan *t;
    trainrun_log lg;             /* one entry per step of this run */
    float *zfix;                 /* (GRID_N, latent_dim) drawn after every epoch */
} dcgan_run;

/* One line per layer: kind, output shape, parameters. */
static void print_shapes(FILE *f, const nn_model *m, const char *name)
{
    fprintf(f, "%s\n  %2s  %-16s %-14s %10s\n", name, "#", "layer", "output", "params");
    for (int i = 0; i < m->n_layers; i++) {
        const nn_layer *l = &m->layers[i];
        char shape[32];
        if (l->out_c > 0)
            snprintf(shape, sizeof shape, "%d x %d x %d", l->out_c, l->out_h, l->out_w);
        else
            snprintf(shape, sizeof shape, "%d", l->out);
        fprintf(f, "  %2d  %-16s %-14s %10zu\n", i, nn_layer_kind_name(l->spec.kind), shape,
                nn_layer_param_count(l));
    }
    fprintf(f, "  %-35s %10zu\n", "total", nn_model_param_count(m));
}

/* Images of a transposed convolution of one-channel maps by an all-ones
 * kernel: how many kernel stamps land on each output pixel. */
static void stamps(float *y, const float *x, int side, int k, int stride, int pad)
{
    float w[64], b = 0.0f;
    for (int i = 0; i < k * k; i++) w[i] = 1.0f;
    nn_conv_transpose2d_forward(y, x, w, &b, 1, 1, side, side, 1, k, stride, pad, NULL);
}

/* The flags made into a run: its architecture's name and, when resumed,
 * where it starts. */
static void start_run(lesson *L, dcgan_run *r)
{
    if (L->fast && epochs == DEFAULT_EPOCHS) epochs = 1;
    lesson_use_threads(threads);
    snprintf(r->arch_name, sizeof r->arch_name, "dcgan-%s-%s-g%d-d%d", batchnorm, g_act,
             g_channels, d_channels);
    if (resume) trainrun_load_state(L, r->arch_name, &r->epochs_done, &r->steps_done);
    if (save_samples) trainrun_check_writable(L, "save-samples", save_samples);
    /* The data set fits the DCGAN and holds a batch: checked before the
     * first step writes anything. */
    const lesson_data_shape *train = lesson_data(L, 0);
    int n_images = L->fast && train->n > FAST_IMAGES ? FAST_IMAGES : train->n;
    if (train->c * train->h * train->w != 784)
        lesson_fail(L, LESSON_EXIT_INPUT, "--data: images of %d x %d x %d; this DCGAN draws "
                    "1 x 28 x 28 grey images", train->c, train->h, train->w);
    if (n_images < batch)
        lesson_fail(L, LESSON_EXIT_INPUT, "--batch %d is more than the %d images", batch, n_images);
    judge_check_data(L, lesson_data(L, L->fast)->n); /* the judge's classifier, if trained */
}

static void why_convolutions(lesson *L, dcgan_run *r)
{
    lesson_step(L, "Why convolutions");
    nn_dcgan_arch a = nn_dcgan_arch_default();
    a.g_batchnorm = !strcmp(batchnorm, "both") || !strcmp(batchnorm, "g");
    a.d_batchnorm = !strcmp(batchnorm, "both") || !strcmp(batchnorm, "d");
    a.g_slope = strcmp(g_act, "relu") == 0 ? 0.0f : 0.2f;
    a.g_channels = g_channels;
    a.d_channels = d_channels;
    nn_gan_arch mlp = mlpgan_arch_default();
    lesson_code(L, "build");
    nn_error err = {NN_OK, ""};
    /* STEP: build */
    nn_model *G = nn_dcgan_generator(&a, batch, &err);
    nn_model *D = G ? nn_dcgan_discriminator(&a, batch, &err) : NULL;
    if (!D) {
        nn_model_free(G);
        lesson_check(L, err.code, &err);
    }
    FILE *f = lesson_capture_begin(L);
    print_shapes(f, G, "generator G");
    print_shapes(f, D, "discriminator D");
    lesson_capture_end(L);
    /* END STEP */
    r->a = a;
    r->G = G;
    r->D = D;
    size_t pg = nn_model_param_count(G), pd = nn_model_param_count(D);
    size_t mg = nn_gan_arch_param_count(&mlp, 0), md = nn_gan_arch_param_count(&mlp, 1);
    const nn_layer *c1 = &D->layers[1];
    int taps = c1->in_c * c1->spec.kernel * c1->spec.kernel;
    lesson_say(L,
               "Lesson 06's MLP has %zu parameters in G and %zu in D; this DCGAN has %zu and "
               "%zu, %.1f times %s in all, and they are spent differently. Each "
               "unit of the MLP's first D layer reads all %d pixels; each unit of D's first "
               "convolution reads a %d x %d patch (%d numbers), and the same %d weights are "
               "used at all %d x %d positions: a sleeve or a heel is recognised by one "
               "filter wherever it is. D's first layer has %zu parameters against the MLP's "
               "%zu.",
               mg, md, pg, pd,
               pg + pd < mg + md ? (double)(mg + md) / (double)(pg + pd)
                                 : (double)(pg + pd) / (double)(mg + md),
               pg + pd < mg + md ? "fewer" : "more", mlp.data_dim, c1->spec.kernel,
               c1->spec.kernel, taps, taps,
               c1->out_h, c1->out_w, nn_layer_param_count(c1),
               (size_t)mlp.data_dim * (size_t)mlp.d_hidden[0] + (size_t)mlp.d_hidden[0]);
    lesson_key(L, "g_params_dcgan", "%zu", pg);
    lesson_key(L, "d_params_dcgan", "%zu", pd);
    lesson_key(L, "g_params_mlp", "%zu", mg);
    lesson_key(L, "d_params_mlp", "%zu", md);
}

static void transposed_convolution(lesson *L)
{
    lesson_step(L, "What a transposed convolution does");
    lesson_say(L,
               "G grows its feature maps with transposed convolutions: each input pixel "
               "stamps the kernel onto the output, stride pixels apart, and overlapping "
               "stamps add up. Below, an all-ones 4 x 4 kernel with stride 2 and padding 1 "
               "(G's layers), first from a 2 x 2 map with a single 1 in its top left corner, "
               "then from a map of ones: the numbers are how many stamps land on each output "
               "pixel. The single stamp shows as 3 x 3, not 4 x 4: padding 1 crops one row "
               "and one column off each side of the full output, and this stamp reached over "
               "the top and left edges. With a "
               "kernel of 3 (not a multiple of the stride) the counts alternate: the "
               "checkerboard a transposed convolution can leave in images (Odena et al. "
               "2016).");
    lesson_code(L, "stamps");
    /* STEP: stamps */
    float one[4] = {1, 0, 0, 0}, ones[49], y4[16], y14[196], y13[169];
    for (int i = 0; i < 49; i++) ones[i] = 1.0f;
    stamps(y4, one, 2, 4, 2, 1);    /* 2 x 2 -> 4 x 4: one pixel's stamp */
    stamps(y14, ones, 7, 4, 2, 1);  /* 7 x 7 -> 14 x 14 */
    stamps(y13, ones, 7, 3, 2, 1);  /* 7 x 7 -> 13 x 13 */
    /* END STEP */
    lesson_print(L, "one pixel, kernel 4, stride 2 (2 x 2 -> %d x %d):\n",
                 nn_conv_transpose2d_out_size(2, 4, 2, 1), nn_conv_transpose2d_out_size(2, 4, 2, 1));
    convstamps_print_map(L, y4, 4);
    int k4_spread, k3_spread;
    convstamps_show(L, y14, y13, &k4_spread, &k3_spread);
    lesson_key(L, "convt_k4_spread", "%d", k4_spread);
    lesson_key(L, "convt_k3_spread", "%d", k3_spread);
}

static void guidelines_and_your_convolution(lesson *L, dcgan_run *r)
{
    lesson_step(L, "The guidelines, and your convolution");
    lesson_say(L,
               "Radford et al.'s guidelines, as this run sets them: strided convolutions "
               "instead of pooling (there is no pooling layer: D halves the sides with "
               "stride 2, G doubles them with transposed convolutions); no fully connected "
               "hidden layers (G's one linear layer projects z onto its first 7 x 7 maps, "
               "D's one linear layer turns its last maps into a score, as in the paper); "
               "batchnorm %s (the guideline: both nets, never on G's output or D's input; "
               "--batchnorm); %s in G (the guideline: ReLU; --g-act) and leaky ReLU 0.2 in "
               "D; tanh on G's output. The paper's training settings: weights drawn from "
               "N(0, 0.02), as here; Adam lr 2e-4 with beta1 0.5 (here %g and %g); batches "
               "of 128 (here %d, --batch). The widths are switches too (here --g-channels "
               "%d, --d-channels %d): the defaults, 64 and 32, cost about a quarter of the "
               "products of the wider 128 and 64, so that several epochs fit in a few "
               "minutes, and the default doubles the guideline's rate for them (measured "
               "with this lesson's defaults, seed 10, one run each: the DCGAN's Frechet "
               "distance in step 5 was 13.65 at lr 4e-4, `make lesson N=10`, against 16.58 "
               "at 2e-4, `make lesson N=10 ARGS=\"--lr 2e-4\"`, each judged by the "
               "classifier it trains when lesson 09 has not left one). The library's fast "
               "convolution lays patches out as a matrix for one product "
               "(im2col); exercise 14's plain loops (nn_conv2d_forward_reference) are the "
               "definition, checked against it here on a batch of real images through "
               "D's first layer.",
               !strcmp(batchnorm, "both") ? "in both nets"
               : !strcmp(batchnorm, "none") ? "nowhere" : !strcmp(batchnorm, "g") ? "in G only"
                                                                                : "in D only",
               r->a.g_slope > 0.0f ? "leaky ReLU" : "ReLU", (double)lr, (double)beta1, batch,
               g_channels, d_channels);
    nn_error err;
    nn_dataset ds;
    lesson_check(L, nn_dataset_load_mnist(&ds, data_dir, NN_SPLIT_TRAIN, &err), &err);
    int n_train = ds.n;
    if (L->fast && ds.n > FAST_IMAGES) ds.n = FAST_IMAGES;
    long steps_per_epoch = ds.n / batch; /* at least 1: start_run checked --batch */
    int *order = malloc((size_t)ds.n * sizeof(int));
    float *real = lesson_alloc(L, (size_t)batch * 784, sizeof(float));
    if (!order) lesson_fail(L, LESSON_EXIT_INTERNAL, "out of memory for the order");
    for (int i = 0; i < ds.n; i++) order[i] = i;
    nn_dataset_gather(real, &ds, order, batch, NN_RANGE_PM1);
    const nn_layer *c1 = &r->D->layers[1];
    {
        int oc = c1->out_c, oh = c1->out_h, k = c1->spec.kernel;
        float *fast = lesson_alloc(L, (size_t)batch * oc * oh * oh, sizeof(float));
        float *yours = lesson_alloc(L, (size_t)batch * oc * oh * oh, sizeof(float));
        nn_rng rng;
        nn_rng_seed(&rng, L->seed, 9);
        nn_init_normal(&rng, c1->w, (size_t)oc * k * k, 0.0f, 0.2f);
        /* Biases that are not zero (D's start at 0): a sum that leaves them
         * out must disagree. */
        float *bias = lesson_alloc(L, (size_t)oc, sizeof(float));
        nn_init_normal(&rng, bias, (size_t)oc, 0.0f, 0.2f);
        lesson_code(L, "yours");
        /* STEP: yours */
        nn_conv2d_forward(fast, real, c1->w, bias, batch, 1, 28, 28, oc, k, 2, 1, NULL);
        nn_conv2d_forward_reference(yours, real, c1->w, bias, batch, 1, 28, 28, oc, k, 2, 1);
        double rel = nn_rel_error(yours, fast, (size_t)batch * oc * oh * oh);
        /* END STEP */
        lesson_print(L, "plain loops against the fast path, %d images x %d maps of %d x %d: "
                     "relative error %.2e\n", batch, oc, oh, oh, rel);
        lesson_key(L, "conv_reference_rel_error", "%.3g", rel);
        if (!(rel < 1e-5))
            lesson_say(L, "They disagree: exercise 14 is not right yet (make check EX=14).");
        nn_free(fast);
        nn_free(yours);
        nn_free(bias);
    }
    r->ds = ds;
    r->n_train = n_train;
    r->steps_per_epoch = steps_per_epoch;
    r->order = order;
    r->real = real;
}

static void train_dcgan(lesson *L, dcgan_run *r)
{
    nn_error err;
    nn_gan_config cfg = nn_gan_config_default();
    cfg.lr_g = cfg.lr_d = lr;
    cfg.beta1 = beta1;
    cfg.batch = batch;
    cfg.real_label = real_label;
    nn_gan *t = nn_gan_create_from(r->G, r->D, &cfg, NN_INIT_NORMAL_002, L->seed, &err);
    if (!t) lesson_check(L, err.code, &err);
    long epochs_done = r->epochs_done, steps_done = r->steps_done;
    if (resume) trainrun_resume(L, t, epochs_done, steps_done);
    long steps_per_epoch = r->steps_per_epoch;
    long total = steps_per_epoch * epochs;
    trainrun_log lg = {0, lesson_alloc(L, (size_t)total, sizeof(float)),
                       lesson_alloc(L, (size_t)total, sizeof(float)),
                       lesson_alloc(L, (size_t)total, sizeof(float)),
                       lesson_alloc(L, (size_t)total, sizeof(float))};
    float *zfix = lesson_alloc(L, (size_t)GRID_N * r->a.latent_dim, sizeof(float));
    nn_rng zr;
    nn_rng_seed(&zr, L->seed, 7);
    nn_sample_latent(zfix, GRID_N, r->a.latent_dim, &zr);
    nn_rng data_rng;
    nn_rng_seed(&data_rng, L->seed, 32 + (uint64_t)epochs_done);

    lesson_step(L, "Training");
    lesson_say(L,
               "The same step as every GAN of the course (nn_gan_step, exercise 9): D on a "
               "real batch, then on fresh fakes, each with its own batch statistics, as "
               "D(real) and D(fake.detach()) in PyTorch; then G through D, frozen. %d epoch%s "
               "of %ld steps; after each epoch G draws the same %d latent vectors. A NaN "
               "or exploding loss stops the run and says what to try.%s",
               epochs, epochs > 1 ? "s" : "", steps_per_epoch, GRID_N,
               L->fast ? " (--fast: the first 1024 images only.)" : "");
    lesson_code(L, "train");
    double t0 = lesson_seconds();
    int *order = r->order;
    float *real = r->real;
    nn_dataset ds = r->ds;
    nn_gan_stats st;
    /* STEP: train */
    for (int e = 0; e < epochs; e++) {
        long epoch_no = epochs_done + e + 1;
        char label[32];
        snprintf(label, sizeof label, "epoch %ld", epoch_no);
        lesson_progress pr;
        lesson_progress_start(L, &pr, label, steps_per_epoch);
        nn_rng_shuffle(&data_rng, order, ds.n);
        for (long s = 0; s < steps_per_epoch; s++) {
            nn_dataset_gather(real, &ds, order + s * batch, batch, NN_RANGE_PM1);
            nn_gan_step(t, real, &st);
            trainrun_record(&lg, &st);
            const char *bad = trainrun_diverged(&st);
            if (bad) {
                lesson_progress_done(&pr);
                trainrun_write_log(L, &lg, steps_done);
                lesson_fail(L, LESSON_EXIT_INTERNAL,
                            "step %ld (epoch %ld): %s, training diverged. Try a lower --lr "
                            "(now %g), --beta1 0.5 or --batchnorm both; every step up to "
                            "here is in %s", steps_done + lg.n, epoch_no, bad, (double)lr,
                            lesson_path(L, "train_log.tsv"));
            }
            lesson_progress_tick(&pr, s + 1, "d_loss %.3f g_loss %.3f D(x) %.2f D(G(z)) %.2f",
                                 st.d_loss, st.g_loss, st.d_real, st.d_fake);
        }
        lesson_progress_done(&pr);
        char png[48], caption[48];
        snprintf(png, sizeof png, "samples_epoch_%03ld.png", epoch_no);
        trainrun_sample_grid(L, t->G, zfix, GRID_N, png, PREVIEW_N);
        snprintf(caption, sizeof caption, "fixed noise after epoch %ld", epoch_no);
        lesson_figure(L, png, caption);
    }
    /* END STEP */
    double train_s = lesson_seconds() - t0;
    r->t = t;
    r->lg = lg;
    r->zfix = zfix;
    epochs_done += epochs;
    steps_done += lg.n;
    r->epochs_done = epochs_done;
    r->steps_done = steps_done;
    lesson_key(L, "epochs", "%ld", epochs_done);
    lesson_key(L, "steps", "%ld", steps_done);
    lesson_key(L, "train_s", "%.1f", train_s);
    lesson_key(L, "steps_per_s", "%.1f", (double)lg.n / (train_s > 0.0 ? train_s : 1.0));
    lesson_key(L, "d_loss_end", "%.4f", trainrun_tail_mean(lg.d_loss, lg.n));
    lesson_key(L, "g_loss_end", "%.4f", trainrun_tail_mean(lg.g_loss, lg.n));
    lesson_key(L, "d_real_end", "%.4f", trainrun_tail_mean(lg.d_real, lg.n));
    lesson_key(L, "d_fake_end", "%.4f", trainrun_tail_mean(lg.d_fake, lg.n));
    trainrun_write_log(L, &lg, steps_done - lg.n);
    trainrun_plot_pair(L, "losses", "discriminator and generator loss", "loss", lg.d_loss,
                       "D loss", lg.g_loss, "G loss", lg.n, steps_done - lg.n);
    trainrun_plot_pair(L, "d_outputs", "D(x) on real and D(G(z)) on fake images",
                       "mean probability", lg.d_real, "D(x)", lg.d_fake, "D(G(z))", lg.n,
                       steps_done - lg.n);
    trainrun_save(L, t, r->arch_name, epochs_done, steps_done);
    lesson_print(L, "checkpoint: %s/G.ckpt, %s/D.ckpt (continue with --resume)\n", L->out,
                 L->out);
    if (save_samples) trainrun_export(L, t->G, save_samples, n_export);
}

static void judge_against_mlp(lesson *L, dcgan_run *r)
{
    lesson_step(L, "DCGAN against the MLP, judged");
    nn_error err;
    nn_dataset test;
    lesson_check(L, nn_dataset_load_mnist(&test, data_dir, NN_SPLIT_TEST, &err), &err);
    nn_model *net = classifier_create(256, &err);
    if (!net) lesson_check(L, err.code, &err);
    nn_dataset ds = r->ds;
    ds.n = r->n_train;
    /* A smoke test trains its judge on the small test split. */
    judge_get_classifier(L, net, L->fast ? &test : &ds);
    float acc = classifier_accuracy(net, &test);
    lesson_key(L, "classifier_test_accuracy", "%.4f", (double)acc);
    lesson_say(L,
               "The lesson classifier (lesson 09's small convolutional network, %.1f%% of "
               "the test set right) labels %d samples of each generator, and its %d-unit "
               "hidden layer gives the features in which the Frechet distance compares each "
               "generator's samples with %d real test images: the distance between two "
               "Gaussians fitted to the features, 0 for the same distribution (FID does the "
               "same in the Inception network's features). The MLP is lesson 06's default "
               "(%s).",
               100.0 * (double)acc, L->fast ? 256 : JUDGE_N, CLASSIFIER_FEATURES,
               L->fast ? 256 : JUDGE_N, trainrun_lesson06_source(L, TRAINRUN_LESSON06_STEPS));
    nn_gan *m = trainrun_mlp_from_lesson06(L, "default", mlp_ckpt, TRAINRUN_LESSON06_STEPS, &ds);
    int nj = L->fast ? 256 : JUDGE_N;
    dcganvsmlp cmp;
    dcganvsmlp_alloc(L, &cmp, nj, r->a.latent_dim);
    /* Test images, the DCGAN's, the MLP's, training images (the floor). */
    float **img = cmp.img, **feat = cmp.feat, *z = cmp.z;
    int *idx = cmp.idx, *labels = cmp.labels;
    int hid = CLASSIFIER_FEATURES;
    nn_dcgan_arch a = r->a;
    nn_gan *t = r->t;
    nn_rng zr;
    lesson_code(L, "judge");
    /* STEP: judge */
    for (int i = 0; i < nj; i++) idx[i] = i;               /* the first test images */
    nn_dataset_gather(img[0], &test, idx, nj, NN_RANGE_PM1);
    nn_rng_seed(&zr, L->seed, 11);
    nn_sample_latent(z, nj, a.latent_dim, &zr);            /* the same z for both */
    gan_sample_images(img[1], t->G, z, nj);
    gan_sample_images(img[2], m->G, z, nj);
    nn_dataset_gather(img[3], &ds, idx, nj, NN_RANGE_PM1);  /* the first training images */
    double fd[4];
    for (int i = 0; i < 4; i++) classifier_features(net, img[i], nj, feat[i]);
    for (int i = 1; i < 4; i++)
        lesson_check(L, nn_frechet_distance(&fd[i], feat[0], nj, feat[i], nj, hid, &err), &err);
    int counts[CLASSIFIER_CLASSES], present = 0;
    classifier_predict(net, img[1], nj, labels);
    nn_class_histogram(counts, labels, nj, CLASSIFIER_CLASSES);
    for (int c = 0; c < CLASSIFIER_CLASSES; c++) present += counts[c] * JUDGE_CLASS_SHARE >= nj;
    /* END STEP */
    lesson_print(L, "Frechet distance to the test images: DCGAN %.2f, MLP %.2f; real training "
                 "images %.2f (the floor: two samples of one distribution)\n", fd[1], fd[2],
                 fd[3]);
    lesson_print(L, "classes among the DCGAN's samples (at least 2%% each): %d of %d\n",
                 present, CLASSIFIER_CLASSES);
    lesson_key(L, "fd_dcgan", "%.3f", fd[1]);
    lesson_key(L, "fd_mlp", "%.3f", fd[2]);
    lesson_key(L, "fd_real", "%.3f", fd[3]);
    lesson_key(L, "classes_covered", "%d", present);
    dcganvsmlp_show_samples(L, &cmp);
    if (L->fast)
        lesson_say(L, "A --fast run trains for %ld steps on %d images and judges %d samples: "
                   "far too little to say which generator is better. Run without --fast.",
                   r->lg.n, ds.n < FAST_IMAGES ? ds.n : FAST_IMAGES, nj);
    else if (fd[1] < fd[2])
        lesson_say(L, "The DCGAN's samples are closer to the real images than the MLP's, by "
                   "this measure: %.2f against %.2f, with %d of 10 classes present in its "
                   "samples.", fd[1], fd[2], present);
    else
        lesson_say(L, "This run's DCGAN is not closer to the real images than the MLP "
                   "(%.2f against %.2f): more --epochs, or another --seed, before "
                   "concluding.", fd[1], fd[2]);
    dcganvsmlp_free(&cmp);
    nn_gan_free(m);
    nn_model_free(net);
    nn_dataset_free(&test);
}

int main(int argc, char **argv)
{
    static const lesson_info info = {
        10, "dcgan", "Convolutions and DCGAN",
        "Why convolutions suit images (parameters and locality, in numbers), what a "
        "transposed convolution does, the DCGAN guidelines as switches, a DCGAN trained on "
        "Fashion-MNIST, and a comparison with lesson 06's MLP by the lesson classifier.",
        10};
    lesson *L = lesson_begin(argc, argv, &info, flags, LESSON_NFLAGS(flags));
    double t_start = lesson_seconds();
    dcgan_run r = {.epochs_done = 0};
    start_run(L, &r);
    why_convolutions(L, &r);
    transposed_convolution(L);
    guidelines_and_your_convolution(L, &r);
    train_dcgan(L, &r);
    judge_against_mlp(L, &r);
    lesson_key(L, "wall_s", "%.1f", lesson_seconds() - t_start);
    nn_free(r.lg.d_loss);
    nn_free(r.lg.g_loss);
    nn_free(r.lg.d_real);
    nn_free(r.lg.d_fake);
    nn_free(r.zfix);
    nn_free(r.real);
    free(r.order);
    nn_gan_free(r.t);
    nn_dataset_free(&r.ds);
    return lesson_end(L);
}
