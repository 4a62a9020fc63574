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
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "judge.h"
#include "lesson.h"
#include "mlpgan.h"
#include "nn.h"
#include "trainrun.h"

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
#define N_PSI 3
#define MAX_SLOTS (2 * NN_STYLE_MAX_RES)

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

/* What drawing from a style generator needs beside it: where its parts are
 * and buffers for one chunk of w's and buses. */
typedef struct {
    nn_model *G;
    nn_style_parts p;
    float *w1, *w2, *bus;   /* (max_batch, w_dim) twice, (max_batch, n_slots w_dim) */
} drawer;

/* Images out (n, 784) of z1 (n, latent): w = mapping(z), truncated toward
 * the mean w by psi; when z2 is given, slots [cross, n_slots) take z2's w
 * instead (style mixing). Eval mode, in chunks of G's max_batch. */
static void draw(drawer *d, float *out, const float *z1, const float *z2, int cross, float psi,
                 int n)
{
    nn_model *G = d->G;
    const int wd = d->p.w_dim, lat = G->in;
    for (int i0 = 0; i0 < n; i0 += G->max_batch) {
        const int rows = n - i0 < G->max_batch ? n - i0 : G->max_batch;
        memcpy(d->w1, nn_style_map(G, &d->p, z1 + (size_t)i0 * lat, rows),
               (size_t)rows * wd * sizeof(float));
        nn_style_truncate(d->w1, d->p.w_avg, psi, rows, wd);
        if (z2) {
            memcpy(d->w2, nn_style_map(G, &d->p, z2 + (size_t)i0 * lat, rows),
                   (size_t)rows * wd * sizeof(float));
            nn_style_truncate(d->w2, d->p.w_avg, psi, rows, wd);
        }
        nn_style_mix(d->bus, d->w1, z2 ? d->w2 : d->w1, rows, wd, d->p.n_slots,
                     z2 ? cross : d->p.n_slots);
        memcpy(out + (size_t)i0 * G->out, nn_style_synthesize(G, &d->p, d->bus, rows),
               (size_t)rows * G->out * sizeof(float));
    }
}

/* The side of the maps an AdaIN slot styles. */
static int slot_side(const nn_model *G, int slot)
{
    for (int i = 0; i < G->n_layers; i++)
        if (nn_adain_slot(&G->layers[i]) == slot)
            return G->layers[i].in_h;
    return 0;
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

/* "7 x 7" or "7, 14": the sides of the maps slots [0, cross) style. */
static void slot_sides(char *s, size_t cap, const nn_model *G, int cross)
{
    size_t len = 0;
    int last = 0;
    s[0] = 0;
    for (int k = 0; k < cross && len < cap; k++) {
        int side = slot_side(G, k);
        if (side == last) continue;
        len += (size_t)snprintf(s + len, cap - len, "%s%d", last ? ", " : "", side);
        last = side;
    }
}

static double mean_sq_diff(const float *a, const float *b, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++) s += ((double)a[i] - b[i]) * ((double)a[i] - b[i]);
    return s / (double)n;
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
    nn_error err = {NN_OK, ""};
    double t_start = lesson_seconds();
    if (L->fast && steps == DEFAULT_STEPS) steps = FAST_STEPS;
    lesson_use_threads(threads);

    /* ------------------------------------------------------------ the generator */
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
               "(Karras et al. 2019, at the size of lesson 10's) reads it in four "
               "places:\n\n"
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

    /* ------------------------------------------------------------ AdaIN, exercise 26 */
    lesson_step(L, "Adaptive instance normalisation (exercise 26)");
    nn_dataset ds;
    lesson_check(L, nn_dataset_load_mnist(&ds, data_dir, NN_SPLIT_TRAIN, &err), &err);
    if (ds.c * ds.h * ds.w != 784)
        lesson_fail(L, LESSON_EXIT_INPUT, "--data: images of %d x %d x %d; this generator "
                    "draws 1 x 28 x 28 grey images", ds.c, ds.h, ds.w);
    const int n_train = ds.n;
    if (L->fast && ds.n > FAST_IMAGES) ds.n = FAST_IMAGES;
    if (batch > ds.n)
        lesson_fail(L, LESSON_EXIT_INPUT, "--batch %d is more than the %d images", batch, ds.n);
    int *order = lesson_alloc(L, (size_t)ds.n, sizeof(int));
    /* a batch, and at least the eight images AdaIN is shown on */
    float *real = lesson_alloc(L, (size_t)(batch > 8 ? batch : 8) * 784, sizeof(float));
    for (int i = 0; i < ds.n; i++) order[i] = i;
    nn_dataset_gather(real, &ds, order, 8, NN_RANGE_PM1);
    double worst_mean = 0.0, worst_std = 0.0;
    {
        /* Eight real images as eight one-channel maps of 784 pixels, each
         * given its own style. */
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
    }
    lesson_say(L,
               "Per image i and channel j, over its pixels:\n\n"
               "  mu = mean x,  var = mean (x - mu)^2,  xhat = (x - mu) / sqrt(var + 1e-5)\n"
               "  y  = scale[i,j] xhat + bias[i,j]\n\n"
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

    /* ------------------------------------------------------------ train */
    nn_gan_config cfg = nn_gan_config_default();
    cfg.lr_g = cfg.lr_d = lr;
    cfg.beta1 = beta1;
    cfg.batch = batch;
    nn_gan *t = nn_gan_create_from(G, D, &cfg, NN_INIT_HE_NORMAL, L->seed, &err);
    if (!t) lesson_check(L, err.code, &err);
    trainrun_log lg = {0, lesson_alloc(L, (size_t)steps, sizeof(float)),
                       lesson_alloc(L, (size_t)steps, sizeof(float)),
                       lesson_alloc(L, (size_t)steps, sizeof(float)),
                       lesson_alloc(L, (size_t)steps, sizeof(float))};
    nn_rng data_rng;
    nn_rng_seed(&data_rng, L->seed, 32);
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
                   (double)mixing, parts.n_slots - 1);
    else
        lesson_say(L, "Every training sample reads one w in all its slots, so G never sees "
                   "the mixed styles that the style-mixing step below asks of it. StyleGAN "
                   "trains with mixing regularisation (section 3.1) on 90%% of its images: "
                   "--mixing P has the style_broadcast layer give each training row, with "
                   "probability P, another sample's w from a random slot on. At this size and "
                   "length of training it buys the mixing little and costs the samples "
                   "(measured with this lesson's other defaults and seed 16, one run each: "
                   "at --mixing 0.1 the 7 x 7 mixed images of different-class pairs kept a "
                   "source's class in 47%% against 42%% without, the Frechet distance at psi "
                   "1 stayed at 31.4 against 31.5, precision fell from 0.61 to 0.43; at 0.2 "
                   "the distance rose to 49.1, at 0.5 to 172, and at 0.9 G collapsed to two "
                   "classes, 344), so it is off by default.");
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

    drawer dr = {t->G, parts, lesson_alloc(L, (size_t)batch * a.w_dim, sizeof(float)),
                 lesson_alloc(L, (size_t)batch * a.w_dim, sizeof(float)),
                 lesson_alloc(L, (size_t)batch * parts.n_slots * a.w_dim, sizeof(float))};
    nn_rng zr;
    nn_rng_seed(&zr, L->seed, 7);
    {
        float *zg = lesson_alloc(L, (size_t)GRID_N * a.latent_dim, sizeof(float));
        nn_sample_latent(zg, GRID_N, a.latent_dim, &zr);
        trainrun_sample_grid(L, t->G, zg, GRID_N, "samples.png", 3);
        lesson_figure(L, "samples.png", "100 samples after training (psi 1)");
        nn_free(zg);
    }

    /* ------------------------------------------------------------ the judge */
    nn_dataset test;
    lesson_check(L, nn_dataset_load_mnist(&test, data_dir, NN_SPLIT_TEST, &err), &err);
    nn_model *net = classifier_create(256, &err);
    if (!net) lesson_check(L, err.code, &err);
    ds.n = n_train;
    judge_get_classifier(L, net, L->fast ? &test : &ds);
    const int nj = L->fast ? FAST_JUDGE_N : JUDGE_N;
    judge *J = judge_create(L, net, &test, nj);

    /* ------------------------------------------------------------ style mixing */
    lesson_step(L, "Style mixing: coarse styles from one w, fine from another");
    const int cross = 2;          /* slots 0, 1: the constant's size */
    const int cross_mid = 2 * (a.n_res - 1); /* every slot but the largest maps' */
    const int npairs = L->fast ? FAST_MIX_PAIRS : MIX_PAIRS;
    float *z1 = lesson_alloc(L, (size_t)npairs * a.latent_dim, sizeof(float));
    float *z2 = lesson_alloc(L, (size_t)npairs * a.latent_dim, sizeof(float));
    nn_sample_latent(z1, npairs, a.latent_dim, &zr);
    nn_sample_latent(z2, npairs, a.latent_dim, &zr);
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
    /* Which source a mixed image follows, over many pairs: its class against
     * each source's class, and its pixels' distance to each. */
    float *img1 = lesson_alloc(L, (size_t)npairs * 784, sizeof(float));
    float *img2 = lesson_alloc(L, (size_t)npairs * 784, sizeof(float));
    float *imgm = lesson_alloc(L, (size_t)npairs * 784, sizeof(float));
    int *lab1 = lesson_alloc(L, (size_t)npairs, sizeof(int));
    int *lab2 = lesson_alloc(L, (size_t)npairs, sizeof(int));
    int *labm = lesson_alloc(L, (size_t)npairs, sizeof(int));
    draw(&dr, img1, z1, NULL, 0, 1.0f, npairs);
    draw(&dr, img2, z2, NULL, 0, 1.0f, npairs);
    classifier_predict(net, img1, npairs, lab1);
    classifier_predict(net, img2, npairs, lab2);
    const int crosses[2] = {cross, cross_mid};
    double share_coarse[2], share_fine[2], dist_coarse[2], dist_fine[2];
    int differ = 0;
    for (int i = 0; i < npairs; i++) differ += lab1[i] != lab2[i];
    for (int k = 0; k < 2; k++) {
        draw(&dr, imgm, z1, z2, crosses[k], 1.0f, npairs);
        classifier_predict(net, imgm, npairs, labm);
        int same1 = 0, same2 = 0;
        dist_coarse[k] = dist_fine[k] = 0.0;
        for (int i = 0; i < npairs; i++) {
            if (lab1[i] == lab2[i]) continue; /* only pairs whose sources differ count */
            same1 += labm[i] == lab1[i];
            same2 += labm[i] == lab2[i];
        }
        for (int i = 0; i < npairs; i++) {
            dist_coarse[k] += mean_sq_diff(imgm + (size_t)i * 784, img1 + (size_t)i * 784, 784);
            dist_fine[k] += mean_sq_diff(imgm + (size_t)i * 784, img2 + (size_t)i * 784, 784);
        }
        dist_coarse[k] /= npairs;
        dist_fine[k] /= npairs;
        share_coarse[k] = differ ? (double)same1 / differ : 0.0;
        share_fine[k] = differ ? (double)same2 / differ : 0.0;
    }
    lesson_print(L, "%d pairs of sources, %d of them of different classes (by the lesson "
                 "classifier)\n", npairs, differ);
    lesson_print(L, "  coarse slots  coarse maps  class of coarse  class of fine  "
                 "mean sq. dist to coarse  to fine\n");
    for (int k = 0; k < 2; k++) {
        char maps[32];
        slot_sides(maps, sizeof maps, t->G, crosses[k]);
        lesson_print(L, "  0 .. %d  %16s  %14.1f%%  %12.1f%%  %23.4f  %7.4f\n", crosses[k] - 1,
                     maps, 100.0 * share_coarse[k], 100.0 * share_fine[k], dist_coarse[k],
                     dist_fine[k]);
    }
    lesson_key(L, "mix_pairs_differ", "%d", differ);
    lesson_key(L, "mix_class_coarse", "%.4f", share_coarse[0]);
    lesson_key(L, "mix_class_fine", "%.4f", share_fine[0]);
    lesson_key(L, "mix_dist_coarse", "%.4f", dist_coarse[0]);
    lesson_key(L, "mix_dist_fine", "%.4f", dist_fine[0]);
    lesson_key(L, "mix_mid_class_coarse", "%.4f", share_coarse[1]);
    lesson_key(L, "mix_mid_class_fine", "%.4f", share_fine[1]);
    lesson_say(L,
               "Each mixed image gets its first %d w slots (the AdaINs on the %d x %d maps) "
               "from one source and the other %d from another. Over %d pairs whose sources "
               "the classifier puts in different classes, the mixed image keeps the coarse "
               "source's class in %.0f%% and takes the fine source's in %.0f%%; moving the "
               "14 x 14 layers to the coarse side too, %.0f%% against %.0f%%.",
               cross, slot_side(t->G, 0), slot_side(t->G, 0), parts.n_slots - cross, differ,
               100.0 * share_coarse[0], 100.0 * share_fine[0], 100.0 * share_coarse[1],
               100.0 * share_fine[1]);
    if (L->fast)
        lesson_say(L, "A --fast run is too short to show what the styles decide: its G "
                   "has not learned to draw yet, so these shares are noise. Run without "
                   "--fast.");
    else if (share_coarse[0] > share_fine[0])
        lesson_say(L, "So in this run the coarse styles decide the garment more often than "
                   "the fine ones do: its class, with its silhouette, while the fine styles "
                   "change what is drawn on it. In pixels the mixed images are %s the coarse "
                   "source (mean squared difference %.3f against %.3f to the fine one).",
                   dist_coarse[0] < dist_fine[0] ? "closer to" : "no closer to",
                   dist_coarse[0], dist_fine[0]);
    else
        lesson_say(L, "In this run the coarse styles do not decide the class: the mixed "
                   "images follow the fine source's class at least as often. At this size "
                   "the 7 x 7 layers hold little: the constant is the same for every sample "
                   "and the shape is settled at 14 x 14 (the second row of the table). "
                   "StyleGAN's coarse layers are 4 x 4 and 8 x 8 of a 1024 x 1024 image.");
    if (!L->fast && share_coarse[0] + share_fine[0] < 0.9)
        lesson_say(L, "Of those pairs' mixed images (7 x 7 crossover), %.0f%% the classifier "
                   "puts in neither source's class: half a garment's styles with half another's is "
                   "often no garment at all here. StyleGAN trains with such mixed w's in a "
                   "share of its batches (mixing regularisation), so that its layers learn "
                   "to work with styles from different w's; %s",
                   100.0 * (1.0 - share_coarse[0] - share_fine[0]),
                   mixing > 0.0f ? "this G did too (--mixing), and still makes such "
                                   "non-garments at this size and length of training."
                                 : "this G never saw one before this step (--mixing 0).");

    /* ------------------------------------------------------------ noise */
    lesson_step(L, "What the noise moves");
    const int nw = L->fast ? 4 : NOISE_W;
    float *zn = lesson_alloc(L, (size_t)nw * a.latent_dim, sizeof(float));
    float *draws = lesson_alloc(L, (size_t)NOISE_DRAWS * 784, sizeof(float));
    float *std_map = lesson_alloc(L, 784, sizeof(float));
    float *wmean = lesson_alloc(L, (size_t)nw * 784, sizeof(float));
    nn_sample_latent(zn, nw, a.latent_dim, &zr);
    float *show = lesson_alloc(L, (size_t)4 * (NOISE_DRAWS / 2 + 1) * 784, sizeof(float));
    double noise_std = 0.0, noise_max = 0.0, w_std = 0.0;
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
    for (int p = 0; p < 784; p++) {
        noise_std += std_map[p] / 784.0;
        if (std_map[p] > noise_max) noise_max = std_map[p];
    }
    /* The spread between w's, of each w's image averaged over its noise. */
    pixel_stats(NULL, std1, wmean, nw);
    for (int p = 0; p < 784; p++) w_std += std1[p] / 784.0;
    {
        nn_grid_opts o = nn_grid_defaults(-1.0f, 1.0f);
        o.cols = NOISE_DRAWS / 2 + 1;
        o.scale = 3;
        lesson_check(L, nn_image_write_grid(lesson_path(L, "noise_draws.png"), show,
                                            (nw < 4 ? nw : 4) * (NOISE_DRAWS / 2 + 1), 1, 28,
                                            28, &o, &err), &err);
        lesson_figure(L, "noise_draws.png", "each row one w with 8 noise draws; last: the "
                      "per-pixel std over 16 draws (black 0, white 0.5)");
        nn_grid_opts o2 = nn_grid_defaults(0.0f, (float)(noise_max > 0 ? noise_max : 1));
        o2.cols = 1;
        o2.scale = 8;
        lesson_check(L, nn_image_write_grid(lesson_path(L, "noise_std.png"), std_map, 1, 1, 28,
                                            28, &o2, &err), &err);
        lesson_figure(L, "noise_std.png", "per-pixel std over noise draws, mean over w's "
                      "(white: the largest)");
    }
    double s_max = 0.0; /* the largest layer's mean |s| */
    lesson_print(L, "learned noise scales (mean |s| over channels):\n");
    lesson_print(L, "  layer  maps        mean |s|\n");
    for (int i = 0; i < t->G->n_layers; i++) {
        const nn_layer *l = &t->G->layers[i];
        if (l->spec.kind != NN_LAYER_NOISE) continue;
        double m = 0.0;
        for (int c = 0; c < l->in_c; c++) m += fabs(l->w[c]) / l->in_c;
        if (m > s_max) s_max = m;
        lesson_print(L, "  %5d  %2d x %2d x %2d  %8.4f\n", i, l->in_c, l->in_h, l->in_w, m);
    }
    lesson_print(L, "per-pixel std of the image (pixels in [-1, 1]): over noise draws for one "
                 "w %.4f (largest pixel %.4f); over %d different w's %.4f\n", noise_std,
                 noise_max, nw, w_std);
    lesson_key(L, "noise_pixel_std", "%.4f", noise_std);
    lesson_key(L, "noise_pixel_std_max", "%.4f", noise_max);
    lesson_key(L, "w_pixel_std", "%.4f", w_std);
    lesson_say(L,
               "Same w, same styles, sixteen different noise images: the per-pixel standard "
               "deviation across the draws, averaged over %d w's, is %.4f (on pixels in "
               "[-1, 1]); across different w's it is %.4f, %.0f times as much. %s",
               nw, noise_std, w_std, noise_std > 0 ? w_std / noise_std : 0.0,
               L->fast ? "A --fast run is too short to show what the noise learns to do: "
                         "its scales have barely left 0."
               : noise_std < 0.01 ? "The std image shows where it acts."
               : noise_std < 0.1 * w_std
                   ? "The noise moves details only: the garment, its shape and shading "
                     "come from w, and the noise varies where the std image is bright "
                     "(edges and textures, where no choice is wrong)."
                   : "Here the noise moves a good part of the image, not just details: at "
                     "this size and training length G leans on it more than StyleGAN does.");
    if (!L->fast && noise_std < 0.01)
        lesson_say(L, "In this run it moves almost nothing: less than 1%% of the pixel "
                   "range. The scales start at 0 and the largest layer's mean |s| has grown "
                   "to %.4f in %ld steps. StyleGAN's noise earns its place over a far longer "
                   "training, on hair and skin whose exact strands nobody could predict; a "
                   "short run on small garments has found little use for it yet.", s_max,
                   lg.n);

    /* ------------------------------------------------------------ truncation */
    lesson_step(L, "Truncation: variety for fidelity");
    const float psis[N_PSI] = {1.0f, 0.7f, 0.5f};
    double fd[N_PSI];
    float prec[N_PSI], rec[N_PSI];
    int classes[N_PSI];
    float *zj = lesson_alloc(L, (size_t)nj * a.latent_dim, sizeof(float));
    nn_rng_seed(&zr, L->seed, 11);
    nn_sample_latent(zj, nj, a.latent_dim, &zr);
    lesson_say(L,
               "The mapping's outputs during training kept a running mean, w_avg. Pulling w "
               "toward it,\n\n"
               "  w' = w_avg + psi (w - w_avg)\n\n"
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
    lesson_print(L, "  psi   Frechet   classes   precision   recall\n");
    for (int k = 0; k < N_PSI; k++) {
        lesson_print(L, "  %3.1f  %8.2f  %5d/10  %10.3f  %7.3f\n", (double)psis[k], fd[k],
                     classes[k], (double)prec[k], (double)rec[k]);
        char key[48];
        snprintf(key, sizeof key, "style_fd_psi_%g", (double)psis[k]);
        lesson_key_quiet(L, key, "%.3f", fd[k]);
        snprintf(key, sizeof key, "style_classes_psi_%g", (double)psis[k]);
        lesson_key_quiet(L, key, "%d", classes[k]);
        snprintf(key, sizeof key, "style_precision_psi_%g", (double)psis[k]);
        lesson_key_quiet(L, key, "%.4f", (double)prec[k]);
        snprintf(key, sizeof key, "style_recall_psi_%g", (double)psis[k]);
        lesson_key_quiet(L, key, "%.4f", (double)rec[k]);
    }
    {
        /* Ten z, one row per psi: 1, 0.7, 0.5, 0. */
        const float rows_psi[4] = {1.0f, 0.7f, 0.5f, 0.0f};
        float *tg = lesson_alloc(L, (size_t)40 * 784, sizeof(float));
        for (int r = 0; r < 4; r++) draw(&dr, tg + (size_t)r * 10 * 784, zj, NULL, 0,
                                         rows_psi[r], 10);
        nn_grid_opts o = nn_grid_defaults(-1.0f, 1.0f);
        o.cols = 10;
        o.scale = 3;
        lesson_check(L, nn_image_write_grid(lesson_path(L, "truncation.png"), tg, 40, 1, 28,
                                            28, &o, &err), &err);
        lesson_figure(L, "truncation.png", "the same ten z at psi 1, 0.7, 0.5 and 0 (rows)");
        nn_free(tg);
    }
    const int cls_fall = classes[N_PSI - 1] < classes[0];
    const int prec_rise = prec[N_PSI - 1] > prec[0];
    const int rec_fall = rec[N_PSI - 1] < rec[0];
    if (L->fast)
        lesson_say(L, "A --fast run is too short to show truncation's trade: its G draws "
                   "little yet, and %d samples are too few to judge. Run without --fast.", nj);
    else if (cls_fall || prec_rise) {
        /* The figures at every psi, so that a rise that is not steady shows. */
        char cls_txt[96] = "", prec_txt[128] = "";
        if (cls_fall)
            snprintf(cls_txt, sizeof cls_txt, "the samples cover fewer classes (%d, %d, %d)",
                     classes[0], classes[1], classes[2]);
        if (prec_rise)
            snprintf(prec_txt, sizeof prec_txt, "precision rises (%.3f, %.3f, %.3f%s)",
                     (double)prec[0], (double)prec[1], (double)prec[2],
                     prec[2] < prec[1] ? ": not steadily" : "");
        lesson_say(L, "From psi 1 to 0.5 %s%s%s. %s Recall went from %.3f to %.3f%s; the "
                   "Frechet distance, which counts fidelity and variety together, from %.2f "
                   "to %.2f.",
                   cls_txt, cls_fall && prec_rise ? " and " : "", prec_txt,
                   cls_fall && prec_rise
                       ? "Truncation buys typical, clean-looking samples and pays with variety: "
                         "whole classes drop out as every w is pulled toward the average one."
                   : cls_fall ? "Whole classes drop out as every w is pulled toward the "
                                "average one, while precision does not rise here."
                              : "Samples move inside the real data's balls, while the "
                                "number of classes covered does not fall.",
                   (double)rec[0], (double)rec[N_PSI - 1],
                   rec_fall ? ": the variety paid" : "",
                   fd[0], fd[N_PSI - 1]);
    } else
        lesson_say(L, "In this run truncation neither lowered the classes covered nor "
                   "raised precision between psi 1 and 0.5 (%d and %d classes, precision "
                   "%.3f and %.3f): the mean w of so short a training may not be a good "
                   "image. More --steps, or another --seed, before concluding.",
                   classes[0], classes[N_PSI - 1], (double)prec[0], (double)prec[N_PSI - 1]);
    lesson_key(L, "style_classes_fall", "%d", cls_fall);
    lesson_key(L, "style_precision_rises", "%d", prec_rise);
    lesson_key(L, "wall_s", "%.1f", lesson_seconds() - t_start);

    judge_free(J);
    nn_model_free(net);
    nn_dataset_free(&test);
    nn_free(zj);
    nn_free(zn);
    nn_free(draws);
    nn_free(std_map);
    nn_free(wmean);
    nn_free(std1);
    nn_free(show);
    nn_free(img1);
    nn_free(img2);
    nn_free(imgm);
    nn_free(lab1);
    nn_free(lab2);
    nn_free(labm);
    nn_free(grid);
    nn_free(cell);
    nn_free(z1);
    nn_free(z2);
    nn_free(dr.w1);
    nn_free(dr.w2);
    nn_free(dr.bus);
    nn_free(lg.d_loss);
    nn_free(lg.g_loss);
    nn_free(lg.d_real);
    nn_free(lg.d_fake);
    nn_free(real);
    nn_free(order);
    nn_gan_free(t);
    nn_dataset_free(&ds);
    return lesson_end(L);
}
