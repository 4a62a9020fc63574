/* 16_stylegan.c - lesson 16: a style-based generator (StyleGAN's ideas at
 * Fashion-MNIST size).
 *
 * The course questions it answers: what the mapping network, the learned
 * constant, adaptive instance normalisation (exercise 26) and the noise
 * inputs each do; how such a generator still trains through the one GAN
 * step; what style mixing shows about which layers decide what (a grid
 * whose rows take the coarse styles from one w and columns the fine ones
 * from another, and how often a mixed image keeps each source's class);
 * how much of an image the noise moves; and what truncation toward the mean
 * w trades (Frechet distance, classes covered, precision and recall at
 * psi 1, 0.7, 0.5).
 *
 * main reads as the lesson's contents: one function per step. What the
 * last three steps measure beside their code cells (drawing through the
 * mapping, the mixing counts, the noise's spread, the truncation table and
 * its verdict) is in lessons/course/: styledraw, stylemix, stylenoise,
 * truncation.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "judge.h"
#include "lesson.h"
#include "nn.h"
#include "styledraw.h"
#include "stylemix.h"
#include "stylenoise.h"
#include "trainrun.h"
#include "truncation.h"

/* A default run: within about 5 minutes on the 2-core course machine,
 * judging included (summary.tsv has the timings). */
#define DEFAULT_STEPS 4000
#define FAST_STEPS 30
#define FAST_IMAGES 1024
#define GRID_N 100          /* samples in the sample grid */
#define JUDGE_N 2000        /* samples judged at each psi */
#define FAST_JUDGE_N 256
#define MIX_N 6             /* sources on each side of the mixing grid */
#define MIX_PAIRS 1000      /* pairs the mixing figures count */
#define FAST_MIX_PAIRS 64
#define NOISE_DRAWS 16      /* noise draws for one w */
#define NOISE_W 32          /* w's the noise figures average over */
#define N_PSI TRUNCATION_N_PSI /* psi 1, 0.7, 0.5 */

static int steps = DEFAULT_STEPS;
static int batch = 32;
static float lr = 4e-4f;
static float beta1 = 0.5f;
static int d_channels = 32;
static int map_layers = 2;
static float mixing = 0.0f;
static int k_nn = 3;
static const char *mbstd = "on";
static const char *data_dir = NULL;
static int threads = 0;
static const lesson_flag flags[] = {
    {"steps", LESSON_INT, &steps, "training steps (G updates)", 1, 1000000, NULL},
    {"batch", LESSON_INT, &batch, "images per batch", 2, 1024, NULL},
    {"lr", LESSON_FLOAT, &lr, "Adam's learning rate for G and D", 1e-7, 1.0, NULL},
    {"beta1", LESSON_FLOAT, &beta1, "Adam's beta1", 0.0, 0.999, NULL},
    {"map-layers", LESSON_INT, &map_layers, "linear layers of the mapping network (StyleGAN: "
     "8, at 1/100 of the learning rate)", 1, 8, NULL},
    {"mixing", LESSON_FLOAT, &mixing, "share of training samples whose later styles come "
     "from a second w (style-mixing regularisation; 0: off)", 0.0, 1.0, NULL},
    {"d-channels", LESSON_INT, &d_channels, "channels of D's first convolution (lesson 10's "
     "D; the second doubles them)", 1, 1024, NULL},
    {"mbstd", LESSON_CHOICE, &mbstd, "a minibatch standard deviation feature before D's "
     "logit, as StyleGAN's D has", 0, 0, "on|off"},
    {"k", LESSON_INT, &k_nn, "neighbours that set each ball's radius in precision and recall "
     "(lesson 14)", 1, 50, NULL},
    {"data", LESSON_STRING, &data_dir, "folder of an MNIST-format data set (default: "
     "Fashion-MNIST)", 0, 0, NULL},
    {"threads", LESSON_INT, &threads, "threads for the products; 0: GANSTEPS_THREADS if set, "
     "else 2", 0, 64, NULL},
};

/* What the steps share: the networks, the data, the drawer and the judge.
 * A step copies the fields its code cell reads into locals of the same
 * names, so that the cell reads as plain C. */
typedef struct {
    nn_style_arch a;
    nn_model *G, *D;        /* built in step 1; the GAN owns them from step 3 */
    nn_style_parts parts;
    nn_dataset ds;          /* the training images (--fast: the first FAST_IMAGES) */
    int n_train;            /* all of them, for the classifier */
    int *order;             /* (ds.n) the shuffled order of the images */
    float *real;            /* a batch of real images, and at least AdaIN's eight */
    nn_gan *t;
    long trained;           /* steps trained */
    styledraw dr;           /* draws from t->G after training */
    nn_rng zr;              /* the z of the figures after training */
    nn_dataset test;
    nn_model *net;          /* the lesson classifier */
    judge *J;
    int nj;                 /* samples judged */
} stylegan_lesson;

/* One line per layer: kind, output shape, parameters, and the w slot an
 * AdaIN reads. */
static void print_shapes(FILE *f, const nn_model *m)
{
    fprintf(f, "  %2s  %-16s %-14s %8s  %s\n", "#", "layer", "output", "params", "reads");
    for (int i = 0; i < m->n_layers; i++) {
        const nn_layer *l = &m->layers[i];
        char shape[32], reads[32] = "";
        if (l->out_c > 0)
            snprintf(shape, sizeof shape, "%d x %d x %d", l->out_c, l->out_h, l->out_w);
        else
            snprintf(shape, sizeof shape, "%d", l->out);
        if (l->spec.kind == NN_LAYER_ADAIN) snprintf(reads, sizeof reads, "w slot %d",
                                                     nn_adain_slot(l));
        fprintf(f, "  %2d  %-16s %-14s %8zu  %s\n", i, nn_layer_kind_name(l->spec.kind), shape,
                nn_layer_param_count(l), reads);
    }
    fprintf(f, "  %-33s %8zu\n", "total", nn_model_param_count(m));
}

/* Images out (n, 784) of z1 (n, latent): w = mapping(z), truncated toward
 * the mean w by psi; when z2 is given, slots [cross, n_slots) take z2's w
 * instead (style mixing). Eval mode (lessons/course/styledraw.c). */
static void draw(styledraw *d, float *out, const float *z1, const float *z2, int cross,
                 float psi, int n)
{
    styledraw_images(d, out, z1, z2, cross, psi, n);
}

/* Per-pixel mean (when not NULL) and standard deviation over k images
 * (k, 784). */
static void pixel_stats(float *mean, float *std, const float *imgs, int k)
{
    for (int p = 0; p < 784; p++) {
        double m = 0.0, v = 0.0;
        for (int i = 0; i < k; i++) m += imgs[(size_t)i * 784 + p];
        m /= k;
        for (int i = 0; i < k; i++)
            v += (imgs[(size_t)i * 784 + p] - m) * (imgs[(size_t)i * 784 + p] - m);
        if (mean) mean[p] = (float)m;
        std[p] = (float)sqrt(v / k);
    }
}

/* A row of the noise figure: half the draws, then the std map scaled so
 * that 0 is black and 0.5 white. */
static void show_row(float *row, const float *draws, const float *std)
{
    memcpy(row, draws, (size_t)(NOISE_DRAWS / 2) * 784 * sizeof(float));
    for (int p = 0; p < 784; p++) row[(size_t)(NOISE_DRAWS / 2) * 784 + p] = -1.0f + 4.0f * std[p];
}

/* ------------------------------------------------------------------ step 1 */

static void a_generator_that_reads_styles(lesson *L, stylegan_lesson *S)
{
    nn_error err = {NN_OK, ""};
    lesson_step(L, "A generator that reads styles");
    nn_style_arch a = nn_style_arch_default();
    a.map_layers = map_layers;
    a.mixing = mixing;
    nn_dcgan_arch da = nn_dcgan_arch_default();
    da.d_channels = d_channels;
    da.d_mbstd = strcmp(mbstd, "on") == 0;
    lesson_code(L, "build");
    /* STEP: build */
    nn_model *G = nn_style_generator(&a, batch, &err);
    nn_model *D = G ? nn_dcgan_discriminator(&da, batch, &err) : NULL;
    if (!D) {
        nn_model_free(G);
        lesson_check(L, err.code, &err);
    }
    nn_style_parts parts;
    lesson_check(L, nn_style_find(&parts, G, &err), &err);
    FILE *f = lesson_capture_begin(L);
    print_shapes(f, G);
    lesson_capture_end(L);
    /* END STEP */
    S->a = a;
    S->G = G;
    S->D = D;
    S->parts = parts;
    size_t map_params = 0, style_params = 0, noise_params = 0;
    for (int i = 0; i < G->n_layers; i++) {
        const nn_layer *l = &G->layers[i];
        if (i < parts.broadcast) map_params += nn_layer_param_count(l);
        if (l->spec.kind == NN_LAYER_ADAIN) style_params += nn_layer_param_count(l);
        if (l->spec.kind == NN_LAYER_NOISE) noise_params += nn_layer_param_count(l);
    }
    const nn_layer *cst = &G->layers[parts.synth];
    lesson_say(L,
               "A DCGAN's generator reads z at its first layer and nowhere else. This one "
               "(Karras et al. 2019, Fig. 1b, at the size of lesson 10's) also reads z once, "
               "through the mapping network; what it makes of z, w, reaches every layer "
               "through AdaIN; and two inputs that are not z enter beside it, a learned "
               "constant and noise. Four parts:\n\n"
               "- The mapping network: %d linear layer%s with leaky ReLU turn%s z (%d numbers) "
               "into w (%d), %zu parameters. z is a Gaussian by construction; w can be "
               "shaped however the data needs, so the directions of w need not fight the "
               "roundness of z's distribution. StyleGAN's has 8 layers, trained at 1/100 of "
               "the rate of the rest; with one Adam rate for every layer a deep mapping "
               "slows a short run down, so this one is shallow (--map-layers).\n"
               "- The learned constant: the synthesis starts from one %d x %d x %d image, the "
               "same for every sample (%zu parameters). Nothing about a sample enters "
               "through it.\n"
               "- Adaptive instance normalisation (AdaIN, exercise 26): after each of the %d "
               "styled layers, every feature map of every image is normalised to mean 0 "
               "and spread 1 over its own pixels, then given a scale and a bias per channel "
               "that a learned affine map computes from w. The style decides each map's "
               "mean and spread, so each layer's look is set by w anew: %zu parameters in "
               "the affine maps.\n"
               "- Noise: before each AdaIN, one N(0, 1) image per sample is added to every "
               "map with a learned scale per channel (%zu parameters, starting at 0): "
               "randomness that needs no place in w, for details that may vary freely.\n\n"
               "The %d copies of w side by side are the \"style bus\": the style_broadcast "
               "layer makes them, the style_const layer carries them past the images, and "
               "AdaIN layer k reads copy k. Giving the copies different w's is style "
               "mixing. D is lesson 10's (strided convolutions, batchnorm, leaky ReLU)%s.",
               a.map_layers, a.map_layers > 1 ? "s" : "", a.map_layers > 1 ? "" : "s",
               a.latent_dim, a.w_dim, map_params, cst->out_c, cst->out_h,
               cst->out_w, nn_layer_param_count(cst), parts.n_slots, style_params,
               noise_params, parts.n_slots,
               da.d_mbstd ? ", with StyleGAN's minibatch standard deviation feature before "
                            "its logit (one of lesson 09's fixes for mode collapse): it lets "
                            "D see a batch of fakes that all look alike (--mbstd off takes "
                            "it away)" : "");
    lesson_key(L, "g_params", "%zu", nn_model_param_count(G));
    lesson_key(L, "d_params", "%zu", nn_model_param_count(D));
    lesson_key(L, "mapping_params", "%zu", map_params);
    lesson_key(L, "style_slots", "%d", parts.n_slots);
    lesson_key(L, "mixing", "%.2f", (double)mixing);
}

/* ------------------------------------------------------------------ step 2 */

/* The training images fit the generator and hold a batch and the eight
 * AdaIN is shown on: checked before the first step writes anything. */
static void check_the_data(lesson *L)
{
    const lesson_data_shape *train = lesson_data(L, 0);
    int n_images = L->fast && train->n > FAST_IMAGES ? FAST_IMAGES : train->n;
    if (train->c * train->h * train->w != 784)
        lesson_fail(L, LESSON_EXIT_INPUT, "--data: images of %d x %d x %d; this generator "
                    "draws 1 x 28 x 28 grey images", train->c, train->h, train->w);
    if (batch > n_images)
        lesson_fail(L, LESSON_EXIT_INPUT, "--batch %d is more than the %d images", batch, n_images);
    if (n_images < 8)
        lesson_fail(L, LESSON_EXIT_INPUT, "--data: %d training images; the lesson shows 8",
                    n_images);
}

/* The training images; the first eight of them are shown through AdaIN. */
static void load_training_images(lesson *L, stylegan_lesson *S)
{
    nn_error err = {NN_OK, ""};
    nn_dataset *ds = &S->ds;
    lesson_check(L, nn_dataset_load_mnist(ds, data_dir, NN_SPLIT_TRAIN, &err), &err);
    S->n_train = ds->n;
    if (L->fast && ds->n > FAST_IMAGES) ds->n = FAST_IMAGES; /* check_the_data: enough */
    S->order = lesson_alloc(L, (size_t)ds->n, sizeof(int));
    /* a batch, and at least the eight images AdaIN is shown on */
    S->real = lesson_alloc(L, (size_t)(batch > 8 ? batch : 8) * 784, sizeof(float));
    for (int i = 0; i < ds->n; i++) S->order[i] = i;
    nn_dataset_gather(S->real, ds, S->order, 8, NN_RANGE_PM1);
}

static void adaptive_instance_normalisation(lesson *L, stylegan_lesson *S)
{
    lesson_step(L, "Adaptive instance normalisation (exercise 26)");
    load_training_images(L, S);
    const float *real = S->real;
    double worst_mean = 0.0, worst_std = 0.0;
    /* Eight real images as eight one-channel maps of 784 pixels, each given
     * its own style. */
    float y[8 * 784], xhat[8 * 784], invstd[8], scale[8], bias[8];
    for (int i = 0; i < 8; i++) {
        scale[i] = 0.25f * (float)(i + 1);
        bias[i] = -1.0f + 0.25f * (float)i;
    }
    lesson_code(L, "adain");
    /* STEP: adain */
    nn_adain_forward(y, xhat, invstd, real, scale, bias, 8, 1, 784, NN_ADAIN_EPS);
    /* END STEP */
    lesson_print(L, "  image   mean before  std before   scale  bias   mean after  std after\n");
    for (int i = 0; i < 8; i++) {
        double m0 = 0, s0 = 0, m1 = 0, s1 = 0;
        for (int p = 0; p < 784; p++) {
            m0 += real[i * 784 + p];
            m1 += y[i * 784 + p];
        }
        m0 /= 784;
        m1 /= 784;
        for (int p = 0; p < 784; p++) {
            s0 += (real[i * 784 + p] - m0) * (real[i * 784 + p] - m0);
            s1 += (y[i * 784 + p] - m1) * (y[i * 784 + p] - m1);
        }
        s0 = sqrt(s0 / 784);
        s1 = sqrt(s1 / 784);
        lesson_print(L, "  %5d   %11.4f  %10.4f   %5.2f  %5.2f   %10.4f  %9.4f\n", i, m0, s0,
                     (double)scale[i], (double)bias[i], m1, s1);
        if (fabs(m1 - bias[i]) > worst_mean) worst_mean = fabs(m1 - bias[i]);
        if (fabs(s1 - scale[i]) > worst_std) worst_std = fabs(s1 - scale[i]);
    }
    lesson_say(L,
               "Per image i and channel j, over its pixels:\n\n"
               LESSON_MATH("\\mu = \\operatorname{mean} x, \\quad \\sigma^2 = \\operatorname{mean}\\,(x - \\mu)^2, \\quad \\hat x = \\frac{x - \\mu}{\\sqrt{\\sigma^2 + 10^{-5}}}", "mu = mean x,  var = mean (x - mu)^2,  xhat = (x - mu) / sqrt(var + 1e-5)") "\n"
               LESSON_MATH("y = \\text{scale}_{i,j}\\, \\hat x + \\text{bias}_{i,j}", "y  = scale[i,j] xhat + bias[i,j]") "\n\n"
               "Above, eight training images as one-channel maps: whatever their brightness "
               "and contrast were, afterwards each has its style's mean (worst difference "
               "%.2g) and its style's scale as spread (worst difference %.2g). That is why "
               "AdaIN lets each layer's style replace what came before rather than add to "
               "it: the statistics the previous style left are normalised away. The "
               "backward pass (in the library, nn_adain_backward, checked by central "
               "differences in tests/test_style.c) also hands each style its gradient, "
               "through the affine map into w, and on into the mapping network.",
               worst_mean, worst_std);
    lesson_key(L, "adain_mean_err", "%.3g", worst_mean);
    lesson_key(L, "adain_std_err", "%.3g", worst_std);
}

/* ------------------------------------------------------------------ step 3 */

static void training_through_the_one_step(lesson *L, stylegan_lesson *S)
{
    nn_error err = {NN_OK, ""};
    nn_gan_config cfg = nn_gan_config_default();
    cfg.lr_g = cfg.lr_d = lr;
    cfg.beta1 = beta1;
    cfg.batch = batch;
    nn_gan *t = nn_gan_create_from(S->G, S->D, &cfg, NN_INIT_HE_NORMAL, L->seed, &err);
    if (!t) lesson_check(L, err.code, &err);
    S->t = t;
    trainrun_log lg = {0, lesson_alloc(L, (size_t)steps, sizeof(float)),
                       lesson_alloc(L, (size_t)steps, sizeof(float)),
                       lesson_alloc(L, (size_t)steps, sizeof(float)),
                       lesson_alloc(L, (size_t)steps, sizeof(float))};
    nn_rng data_rng;
    nn_rng_seed(&data_rng, L->seed, 32);
    const nn_dataset ds = S->ds;
    int *order = S->order;
    float *real = S->real;
    lesson_step(L, "Training through the one step");
    lesson_say(L,
               "G is one sequential model from z to the image, so nn_gan_step trains it as it "
               "trains every generator of the course (exercise 9): D on a real batch and on "
               "fresh fakes, then G through D, frozen. Backward carries the gradient of every "
               "AdaIN's style into the bus, the constant layer hands the bus's gradient to "
               "the copies of w, and they add up into the mapping network. Each forward in "
               "training also moves the running mean of w, w_avg = 0.995 w_avg + 0.005 "
               "mean(w), which truncation uses later. He initialisation, Adam lr %g with "
               "beta1 %g, batches of %d, non-saturating loss; %d steps.%s",
               (double)lr, (double)beta1, batch, steps,
               L->fast ? " (--fast: the first 1024 images only.)" : "");
    if (mixing > 0.0f)
        lesson_say(L,
                   "The style_broadcast layer also mixes styles while training (mixing "
                   "regularisation, StyleGAN section 3.1, --mixing): in each training "
                   "forward each row, with probability %.2f, has its copies of w from a "
                   "random slot on (1 to %d) replaced by the next row's w: another sample "
                   "of the batch, so in effect a second z. The gradient of those copies goes back "
                   "to the row they came from. A layer can then no longer count on its "
                   "neighbours reading the same w: each slot's style has to make a garment "
                   "with whatever the other slots say, which is what style mixing asks of "
                   "G below. Drawing, truncating and judging never mix. StyleGAN mixes 90%% "
                   "of its training images.",
                   (double)mixing, S->parts.n_slots - 1);
    else
        lesson_say(L, "Every training sample reads one w in all its slots, so G never sees "
                   "the mixed styles that the style-mixing step below asks of it. StyleGAN "
                   "trains with mixing regularisation (section 3.1) on 90%% of its images: "
                   "--mixing P has the style_broadcast layer give each training row, with "
                   "probability P, another sample's w from a random slot on. At this size and "
                   "length of training it bought the mixing nothing and cost the samples "
                   "(measured with this lesson's other defaults and seed 16, one run each, "
                   "judged by the classifier it trains when lesson 09 has not left one: with "
                   "`make lesson N=16 ARGS=\"--mixing 0.1\"` the 7 x 7 mixed images of "
                   "different-class pairs kept a source's class in 40%% against 42%% with "
                   "`make lesson N=16`, the Frechet distance at psi 1 rose from 31.5 to 49.8 "
                   "and precision fell from 0.61 to 0.58), so it is off by default. Larger "
                   "rates, up to StyleGAN's 0.9, are one --mixing away.");
    lesson_code(L, "train");
    double t0 = lesson_seconds();
    nn_gan_stats st;
    long at = ds.n; /* next image of the shuffled order; ds.n: reshuffle first */
    /* STEP: train */
    lesson_progress pr;
    lesson_progress_start(L, &pr, "training", steps);
    for (int s = 0; s < steps; s++) {
        if (at + batch > ds.n) {
            nn_rng_shuffle(&data_rng, order, ds.n);
            at = 0;
        }
        nn_dataset_gather(real, &ds, order + at, batch, NN_RANGE_PM1);
        at += batch;
        nn_gan_step(t, real, &st);
        trainrun_record(&lg, &st);
        const char *bad = trainrun_diverged(&st);
        if (bad) {
            lesson_progress_done(&pr);
            trainrun_write_log(L, &lg, 0);
            lesson_fail(L, LESSON_EXIT_INTERNAL,
                        "step %d: %s, training diverged. Try a lower --lr (now %g) or "
                        "another --seed; every step up to here is in %s", s + 1, bad,
                        (double)lr, lesson_path(L, "train_log.tsv"));
        }
        lesson_progress_tick(&pr, s + 1, "d_loss %.3f g_loss %.3f D(x) %.2f D(G(z)) %.2f",
                             st.d_loss, st.g_loss, st.d_real, st.d_fake);
    }
    lesson_progress_done(&pr);
    /* END STEP */
    double train_s = lesson_seconds() - t0;
    lesson_key(L, "steps", "%ld", lg.n);
    lesson_key(L, "train_s", "%.1f", train_s);
    lesson_key(L, "steps_per_s", "%.1f", (double)lg.n / (train_s > 0.0 ? train_s : 1.0));
    lesson_key(L, "d_loss_end", "%.4f", trainrun_tail_mean(lg.d_loss, lg.n));
    lesson_key(L, "g_loss_end", "%.4f", trainrun_tail_mean(lg.g_loss, lg.n));
    trainrun_write_log(L, &lg, 0);
    trainrun_plot_pair(L, "losses", "discriminator and generator loss", "loss", lg.d_loss,
                       "D loss", lg.g_loss, "G loss", lg.n, 0);
    trainrun_save(L, t, "stylegan", 0, lg.n);
    lesson_print(L, "checkpoint: %s/G.ckpt, %s/D.ckpt\n", L->out, L->out);

    S->trained = lg.n;
    nn_free(lg.d_loss);
    nn_free(lg.g_loss);
    nn_free(lg.d_real);
    nn_free(lg.d_fake);

    S->dr = styledraw_create(L, t->G, &S->parts);
    nn_rng_seed(&S->zr, L->seed, 7);
    float *zg = lesson_alloc(L, (size_t)GRID_N * S->a.latent_dim, sizeof(float));
    nn_sample_latent(zg, GRID_N, S->a.latent_dim, &S->zr);
    trainrun_sample_grid(L, t->G, zg, GRID_N, "samples.png", 3);
    lesson_figure(L, "samples.png", "100 samples after training (psi 1)");
    nn_free(zg);
}

/* The judge of every step after training: the lesson classifier and the
 * test images' features. */
static void load_the_judge(lesson *L, stylegan_lesson *S)
{
    nn_error err = {NN_OK, ""};
    lesson_check(L, nn_dataset_load_mnist(&S->test, data_dir, NN_SPLIT_TEST, &err), &err);
    S->net = classifier_create(256, &err);
    if (!S->net) lesson_check(L, err.code, &err);
    S->ds.n = S->n_train;
    judge_get_classifier(L, S->net, L->fast ? &S->test : &S->ds);
    S->nj = L->fast ? FAST_JUDGE_N : JUDGE_N;
    S->J = judge_create(L, S->net, &S->test, S->nj);
}

/* ------------------------------------------------------------------ step 4 */

static void style_mixing(lesson *L, stylegan_lesson *S)
{
    nn_error err = {NN_OK, ""};
    lesson_step(L, "Style mixing: coarse styles from one w, fine from another");
    const nn_style_arch a = S->a;
    styledraw dr = S->dr;
    const int cross = 2;          /* slots 0, 1: the constant's size */
    const int cross_mid = 2 * (a.n_res - 1); /* every slot but the largest maps' */
    const int npairs = L->fast ? FAST_MIX_PAIRS : MIX_PAIRS;
    float *z1 = lesson_alloc(L, (size_t)npairs * a.latent_dim, sizeof(float));
    float *z2 = lesson_alloc(L, (size_t)npairs * a.latent_dim, sizeof(float));
    nn_sample_latent(z1, npairs, a.latent_dim, &S->zr);
    nn_sample_latent(z2, npairs, a.latent_dim, &S->zr);
    /* The grid: row r takes slots [0, cross) from z1[r], column c the rest
     * from z2[c]; the first row and column are the sources themselves. */
    const int side = MIX_N + 1;
    float *grid = lesson_alloc(L, (size_t)side * side * 784, sizeof(float));
    float *cell = lesson_alloc(L, 784, sizeof(float));
    for (int i = 0; i < side * side * 784; i++) grid[i] = -1.0f;
    lesson_code(L, "mix");
    /* STEP: mix */
    for (int r = 0; r < MIX_N; r++) {
        draw(&dr, grid + (size_t)(r + 1) * side * 784, z1 + (size_t)r * a.latent_dim, NULL,
             0, 1.0f, 1);                                   /* row source */
        draw(&dr, grid + (size_t)(r + 1) * 784, z2 + (size_t)r * a.latent_dim, NULL, 0, 1.0f,
             1);                                            /* column source */
    }
    for (int r = 0; r < MIX_N; r++)
        for (int c = 0; c < MIX_N; c++) {
            draw(&dr, cell, z1 + (size_t)r * a.latent_dim, z2 + (size_t)c * a.latent_dim,
                 cross, 1.0f, 1);
            memcpy(grid + ((size_t)(r + 1) * side + c + 1) * 784, cell, 784 * sizeof(float));
        }
    /* END STEP */
    {
        nn_grid_opts o = nn_grid_defaults(-1.0f, 1.0f);
        o.cols = side;
        o.scale = 3;
        lesson_check(L, nn_image_write_grid(lesson_path(L, "style_mixing.png"), grid,
                                            side * side, 1, 28, 28, &o, &err), &err);
        lesson_figure(L, "style_mixing.png", "style mixing: row sources (left column) give the "
                      "coarse styles (7 x 7 layers), column sources (top row) the fine ones");
    }
    nn_free(grid);
    nn_free(cell);
    /* Which source a mixed image follows, over many pairs: its class against
     * each source's class, and its pixels' distance to each. */
    const int crosses[STYLEMIX_CROSSES] = {cross, cross_mid};
    stylemix_result mix;
    stylemix_measure(L, &mix, &dr, S->net, z1, z2, npairs, crosses);
    nn_free(z1);
    nn_free(z2);
    stylemix_report(L, &mix, S->t->G);
    lesson_say(L,
               "Each mixed image gets its first %d w slots (the AdaINs on the %d x %d maps) "
               "from one source and the other %d from another. Over %d pairs whose sources "
               "the classifier puts in different classes, the mixed image keeps the coarse "
               "source's class in %.0f%% and takes the fine source's in %.0f%%; moving the "
               "14 x 14 layers to the coarse side too, %.0f%% against %.0f%%.",
               cross, styledraw_slot_side(dr.G, 0), styledraw_slot_side(dr.G, 0),
               S->parts.n_slots - cross, mix.differ, 100.0 * mix.share_coarse[0],
               100.0 * mix.share_fine[0], 100.0 * mix.share_coarse[1], 100.0 * mix.share_fine[1]);
    if (L->fast)
        lesson_say(L, "A --fast run is too short to show what the styles decide: its G "
                   "has not learned to draw yet, so these shares are noise. Run without "
                   "--fast.");
    else if (mix.share_coarse[0] > mix.share_fine[0])
        lesson_say(L, "So in this run the coarse styles decide the garment more often than "
                   "the fine ones do: its class, with its silhouette, while the fine styles "
                   "change what is drawn on it. In pixels the mixed images are %s the coarse "
                   "source (mean squared difference %.3f against %.3f to the fine one).",
                   mix.dist_coarse[0] < mix.dist_fine[0] ? "closer to" : "no closer to",
                   mix.dist_coarse[0], mix.dist_fine[0]);
    else
        lesson_say(L, "In this run the coarse styles do not decide the class: the mixed "
                   "images follow the fine source's class at least as often. At this size "
                   "the 7 x 7 layers hold little: the constant is the same for every sample "
                   "and the shape is settled at 14 x 14 (the second row of the table). "
                   "StyleGAN's coarse layers are 4 x 4 and 8 x 8 of a 1024 x 1024 image.");
    if (!L->fast && mix.share_coarse[0] + mix.share_fine[0] < 0.9)
        lesson_say(L, "Of those pairs' mixed images (7 x 7 crossover), %.0f%% the classifier "
                   "puts in neither source's class: half a garment's styles with half another's is "
                   "often no garment at all here. StyleGAN trains with such mixed w's in a "
                   "share of its batches (mixing regularisation), so that its layers learn "
                   "to work with styles from different w's; %s",
                   100.0 * (1.0 - mix.share_coarse[0] - mix.share_fine[0]),
                   mixing > 0.0f ? "this G did too (--mixing), and still makes such "
                                   "non-garments at this size and length of training."
                                 : "this G never saw one before this step (--mixing 0).");
}

/* ------------------------------------------------------------------ step 5 */

static void what_the_noise_moves(lesson *L, stylegan_lesson *S)
{
    lesson_step(L, "What the noise moves");
    const nn_style_arch a = S->a;
    styledraw dr = S->dr;
    const int nw = L->fast ? 4 : NOISE_W;
    float *zn = lesson_alloc(L, (size_t)nw * a.latent_dim, sizeof(float));
    float *draws = lesson_alloc(L, (size_t)NOISE_DRAWS * 784, sizeof(float));
    float *std_map = lesson_alloc(L, 784, sizeof(float));
    float *wmean = lesson_alloc(L, (size_t)nw * 784, sizeof(float));
    nn_sample_latent(zn, nw, a.latent_dim, &S->zr);
    float *show = lesson_alloc(L, (size_t)4 * (NOISE_DRAWS / 2 + 1) * 784, sizeof(float));
    float *std1 = lesson_alloc(L, 784, sizeof(float));
    lesson_say(L, "The noise's share of an image, measured: %d w's, each drawn %d times with "
               "the same styles and fresh noise images, and the per-pixel standard deviation "
               "across the draws; then the same across the w's (each w's image averaged over "
               "its draws), the variation that w carries.", nw, NOISE_DRAWS);
    lesson_code(L, "noise");
    /* STEP: noise */
    for (int i = 0; i < nw; i++) {
        /* One w, NOISE_DRAWS images: G's rng moves on at each draw, so each
         * has its own noise. */
        for (int k = 0; k < NOISE_DRAWS; k++)
            draw(&dr, draws + (size_t)k * 784, zn + (size_t)i * a.latent_dim, NULL, 0, 1.0f, 1);
        pixel_stats(wmean + (size_t)i * 784, std1, draws, NOISE_DRAWS);
        for (int p = 0; p < 784; p++) std_map[p] += std1[p] / (float)nw;
        if (i < 4) show_row(show + (size_t)i * (NOISE_DRAWS / 2 + 1) * 784, draws, std1);
    }
    /* END STEP */
    /* The spread between w's, of each w's image averaged over its noise. */
    float *w_map = lesson_alloc(L, 784, sizeof(float));
    pixel_stats(NULL, w_map, wmean, nw);
    const stylenoise_spread ns = stylenoise_report(L, std_map, w_map, show, NOISE_DRAWS / 2 + 1,
                                                   nw, dr.G);
    lesson_say(L,
               "Same w, same styles, sixteen different noise images: the per-pixel standard "
               "deviation across the draws, averaged over %d w's, is %.4f (on pixels in "
               "[-1, 1]); across different w's it is %.4f, %.0f times as much. %s",
               nw, ns.noise_std, ns.w_std, ns.noise_std > 0 ? ns.w_std / ns.noise_std : 0.0,
               L->fast ? "A --fast run is too short to show what the noise learns to do: "
                         "its scales have barely left 0."
               : ns.noise_std < 0.01 ? "The std image shows where it acts."
               : ns.noise_std < 0.1 * ns.w_std
                   ? "The noise moves details only: the garment, its shape and shading "
                     "come from w, and the noise varies where the std image is bright "
                     "(edges and textures, where no choice is wrong)."
                   : "Here the noise moves a good part of the image, not just details: at "
                     "this size and training length G leans on it more than StyleGAN does.");
    if (!L->fast && ns.noise_std < 0.01)
        lesson_say(L, "In this run it moves almost nothing: less than 1%% of the pixel "
                   "range. The scales start at 0 and the largest layer's mean |s| has grown "
                   "to %.4f in %ld steps. StyleGAN's noise earns its place over a far longer "
                   "training, on hair and skin whose exact strands nobody could predict; a "
                   "short run on small garments has found little use for it yet.", ns.s_max,
                   S->trained);
    nn_free(zn);
    nn_free(draws);
    nn_free(std_map);
    nn_free(wmean);
    nn_free(show);
    nn_free(std1);
    nn_free(w_map);
}

/* ------------------------------------------------------------------ step 6 */

static void truncation(lesson *L, stylegan_lesson *S)
{
    nn_error err = {NN_OK, ""};
    lesson_step(L, "Truncation: variety for fidelity");
    const nn_style_arch a = S->a;
    styledraw dr = S->dr;
    judge *J = S->J;
    nn_model *net = S->net;
    const int nj = S->nj;
    const float psis[N_PSI] = {1.0f, 0.7f, 0.5f};
    double fd[N_PSI];
    float prec[N_PSI], rec[N_PSI];
    int classes[N_PSI];
    float *zj = lesson_alloc(L, (size_t)nj * a.latent_dim, sizeof(float));
    nn_rng zr;
    nn_rng_seed(&zr, L->seed, 11);
    nn_sample_latent(zj, nj, a.latent_dim, &zr);
    lesson_say(L,
               "The mapping's outputs during training kept a running mean, w_avg. Pulling w "
               "toward it,\n\n"
               LESSON_MATH("w' = \\bar w + \\psi\\,(w - \\bar w)", "w' = w_avg + psi (w - w_avg)") "\n\n"
               "moves every sample toward the generator's most typical image: psi 1 is the "
               "generator as trained, psi 0 one image for every z. The same %d z at each psi, "
               "judged like lessons 10 and 14: Frechet distance to %d test images in the "
               "lesson classifier's features, classes with at least 2%% of the samples, and "
               "precision and recall (k = %d neighbours; lesson 14, exercise 23): precision "
               "the share of samples inside the real data's balls (fidelity), recall the "
               "share of real images inside the samples' (variety).",
               nj, nj, k_nn);
    lesson_code(L, "truncate");
    /* STEP: truncate */
    for (int k = 0; k < N_PSI; k++) {
        draw(&dr, J->img, zj, NULL, 0, psis[k], nj);
        classifier_features(net, J->img, nj, J->feat);
        lesson_check(L, nn_frechet_distance_to(&fd[k], &J->ref, J->feat, nj, &err), &err);
        lesson_check(L, nn_precision_recall(&prec[k], &rec[k], J->real_feat, nj, J->feat, nj,
                                            J->dim, k_nn, &err), &err);
        int counts[CLASSIFIER_CLASSES];
        classifier_predict(net, J->img, nj, J->labels);
        nn_class_histogram(counts, J->labels, nj, CLASSIFIER_CLASSES);
        classes[k] = 0;
        for (int c = 0; c < CLASSIFIER_CLASSES; c++)
            classes[k] += counts[c] * JUDGE_CLASS_SHARE >= nj;
    }
    /* END STEP */
    const truncation_table table = {psis, fd, prec, rec, classes, nj};
    truncation_report(L, &table, &dr, zj);
    nn_free(zj);
}

/* ------------------------------------------------------------------ the lesson */

static void free_lesson(stylegan_lesson *S)
{
    judge_free(S->J);
    nn_model_free(S->net);
    nn_dataset_free(&S->test);
    styledraw_free(&S->dr);
    nn_free(S->real);
    nn_free(S->order);
    nn_gan_free(S->t);
    nn_dataset_free(&S->ds);
}

int main(int argc, char **argv)
{
    static const lesson_info info = {
        16, "stylegan", "A style-based generator",
        "StyleGAN's ideas at Fashion-MNIST size: a mapping network, a learned constant, "
        "styles through adaptive instance normalisation, noise inputs; style mixing, the "
        "noise's effect, and truncation's trade of variety for fidelity, judged.",
        16};
    lesson *L = lesson_begin(argc, argv, &info, flags, LESSON_NFLAGS(flags));
    double t_start = lesson_seconds();
    if (L->fast && steps == DEFAULT_STEPS) steps = FAST_STEPS;
    lesson_use_threads(threads);
    check_the_data(L);
    stylegan_lesson S;
    memset(&S, 0, sizeof S);

    a_generator_that_reads_styles(L, &S);
    adaptive_instance_normalisation(L, &S);
    training_through_the_one_step(L, &S);
    load_the_judge(L, &S);
    style_mixing(L, &S);
    what_the_noise_moves(L, &S);
    truncation(L, &S);

    lesson_key(L, "wall_s", "%.1f", lesson_seconds() - t_start);
    free_lesson(&S);
    return lesson_end(L);
}
