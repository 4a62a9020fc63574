/* 12_steering.c - lesson 12: steering the generator.
 *
 * The course questions it answers: what lies between two latent vectors
 * (linear and spherical paths, and why the sphere suits a Gaussian prior);
 * whether G copies its training set (nearest training images); how to ask
 * G for a class (the conditional GAN: the label to both players) and how
 * well it obeys (the lesson classifier's confusion matrix); and what G
 * learns to do with codes nobody labelled (InfoGAN: a categorical code, two
 * continuous ones, and the mutual information between codes and samples).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classifier.h"
#include "judge.h"
#include "lesson.h"
#include "mlpgan.h"
#include "nn.h"
#include "trainrun.h"

#define K 10                /* Fashion-MNIST's classes; InfoGAN's code values */
#define N_CONT 2            /* InfoGAN's continuous codes */
#define PATH_N 10           /* points on an interpolation path */
#define PAIRS 3             /* latent pairs interpolated */
#define NN_QUERIES 8        /* samples (and test images) checked for copies */
#define PRIOR_DRAWS 10000   /* draws for the prior's spread of norms */
#define FAST_IMAGES 2048
/* Steps of lesson 06's default MLP when it is trained here: one epoch, less
 * than lesson 06's own run (it says so). */
#define MLP_STEPS 937
#define DEFAULT_CGAN_EPOCHS 10
#define DEFAULT_INFO_EPOCHS 4

static int cgan_epochs = DEFAULT_CGAN_EPOCHS;
static int info_epochs = DEFAULT_INFO_EPOCHS;
static int info_seeds = 3;
static float info_lambda = 1.0f;
static float label_info = 1.0f;
static float g_average = 0.999f;
static float lr = 2e-4f;
static int batch = 64;
static int per_class = 1000;
static const char *save_samples = NULL;
static const char *mlp_ckpt = NULL;
static const char *data_dir = NULL;
static int threads = 0;
static const lesson_flag flags[] = {
    {"epochs", LESSON_INT, &cgan_epochs, "the conditional GAN's passes over the training set",
     1, 1000, NULL},
    {"info-epochs", LESSON_INT, &info_epochs, "each InfoGAN run's passes over the training set",
     1, 1000, NULL},
    {"info-seeds", LESSON_INT, &info_seeds, "InfoGAN runs (seeds --seed, --seed + 1, ...)", 1,
     10, NULL},
    {"info-lambda", LESSON_FLOAT, &info_lambda, "weight of InfoGAN's categorical information "
     "loss (the paper: 1)", 0.0, 100.0, NULL},
    {"label-info", LESSON_FLOAT, &label_info, "weight of the conditional GAN's label "
     "information loss (D gets InfoGAN's head Q for the label); 0: Mirza and Osindero's plain "
     "cGAN", 0.0, 100.0, NULL},
    {"g-average", LESSON_FLOAT, &g_average, "the conditional GAN samples from an average of "
     "G's weights, this much of the old average kept per step; 0: G's own weights", 0.0,
     0.9999, NULL},
    {"lr", LESSON_FLOAT, &lr, "Adam's learning rate for G and D", 1e-7, 1.0, NULL},
    {"batch", LESSON_INT, &batch, "images per batch", 2, 1024, NULL},
    {"per-class", LESSON_INT, &per_class, "samples per requested class the classifier judges",
     100, 10000, NULL},
    {"save-samples", LESSON_STRING, &save_samples, "write the conditional GAN's judged samples "
     "to FILE (IDX3) and their requested classes to FILE.labels (IDX1)", 0, 0, NULL},
    {"mlp-ckpt", LESSON_STRING, &mlp_ckpt, "a G.ckpt of lesson 06's default MLP to walk the "
     "latent space of (default: lesson 06's own, when it has run)", 0, 0, NULL},
    {"data", LESSON_STRING, &data_dir, "folder of an MNIST-format data set (default: "
     "Fashion-MNIST)", 0, 0, NULL},
    {"threads", LESSON_INT, &threads, "threads for the products; 0: GANSTEPS_THREADS if set, "
     "else 2", 0, 64, NULL},
};

static double norm(const float *x, int n)
{
    double s = 0.0;
    for (int i = 0; i < n; i++) s += (double)x[i] * x[i];
    return sqrt(s);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* A grid of images x (n, 784), cols to a row, written and registered. */
static void grid(lesson *L, const char *png, const float *x, int n, int cols, const char *caption)
{
    nn_error err = {NN_OK, ""};
    nn_grid_opts o = nn_grid_defaults(-1.0f, 1.0f);
    o.cols = cols;
    o.scale = 2;
    lesson_check(L, nn_image_write_grid(lesson_path(L, png), x, n, 1, 28, 28, &o, &err), &err);
    lesson_figure(L, png, caption);
}

/* A confusion matrix m (K, K) as a table (percent of each row) and a heat
 * map; row_name and col_name say what the rows and columns are. */
static void show_matrix(lesson *L, const int *m, const char *const *row_names,
                        const char *const *col_names, const char *name, const char *title)
{
    lesson_print(L, "%-12s", "");
    for (int c = 0; c < K; c++) lesson_print(L, " %5.5s", col_names[c]);
    lesson_print(L, "\n");
    float pct[K * K];
    for (int r = 0; r < K; r++) {
        long row = 0;
        for (int c = 0; c < K; c++) row += m[r * K + c];
        lesson_print(L, "%-12.12s", row_names[r]);
        for (int c = 0; c < K; c++) {
            pct[r * K + c] = row ? 100.0f * (float)m[r * K + c] / (float)row : 0.0f;
            lesson_print(L, " %5.1f", (double)pct[r * K + c]);
        }
        lesson_print(L, "\n");
    }
    nn_error err = {NN_OK, ""};
    nn_plot p = {.dir = L->out, .name = name, .title = title, .xlabel = "recognised class",
                 .ylabel = "row of the table (0 at the bottom)", .width = 700, .height = 600};
    nn_status s = nn_plot_heatmap(&p, pct, K, K, 0.0f, (float)(K - 1), 0.0f, (float)(K - 1),
                                  NULL, 0, NULL, 0, &err);
    lesson_plot_shown(L, &p, s, &err, title);
}

/* The training loop of both GANs: `epochs` passes of ld; a conditional GAN's
 * real rows get their labels (exercise 19); avg, when not NULL, follows G's
 * weights as their moving average (beta). Returns the steps taken and
 * fills lg; a diverging loss ends the lesson. */
static long train(lesson *L, nn_gan *t, nn_loader *ld, int epochs, const char *what,
                  trainrun_log *lg, float *x, int *y, float *real, nn_model *avg, float beta)
{
    long per_epoch = nn_loader_batches_per_epoch(ld), steps = 0;
    for (int e = 0; e < epochs; e++) {
        char label[64];
        snprintf(label, sizeof label, "%.40s, epoch %d", what, e + 1);
        lesson_progress pr;
        lesson_progress_start(L, &pr, label, per_epoch);
        /* STEP: train */
        int n;
        while ((n = nn_loader_next(ld, x, y)) > 0) {
            const float *rows = x;                     /* InfoGAN: the images alone */
            if (t->arch.steer == NN_GAN_CONDITIONAL) {
                nn_gan_condition(real, x, y, n, 784, K); /* [x, one-hot(y)] */
                rows = real;
            }
            nn_gan_stats st;
            nn_gan_step(t, rows, &st);                 /* D, then G: lesson 06's step */
            if (avg) nn_model_ema(avg, t->G, beta);    /* the averaged G we sample */
            trainrun_record(lg, &st);
            const char *bad = trainrun_diverged(&st);
            if (bad)
                lesson_fail(L, LESSON_EXIT_INTERNAL, "%s, step %ld: %s, training diverged; "
                            "try a lower --lr (now %g)", what, steps + 1, bad, (double)lr);
            lesson_progress_tick(&pr, ++steps - e * per_epoch, "D(x) %.2f D(G(z)) %.2f",
                                 st.d_real, st.d_fake);
        }
        /* END STEP */
        lesson_progress_done(&pr);
    }
    return steps;
}

/* rows (n, G->in) for requested classes or code values labels (n): z from
 * rng, the continuous codes (InfoGAN) given by cont (n, N_CONT) or 0. */
static void steer_rows(float *rows, const nn_gan *t, const float *z, const int *labels,
                       const float *cont, int n, float *scratch)
{
    int d = t->arch.latent_dim, m = t->arch.n_cont;
    for (int i = 0; i < n; i++) {
        memcpy(scratch + (size_t)i * (d + m), z + (size_t)i * d, (size_t)d * sizeof(float));
        for (int j = 0; j < m; j++)
            scratch[(size_t)i * (d + m) + d + j] = cont ? cont[(size_t)i * m + j] : 0.0f;
    }
    nn_gan_condition(rows, scratch, labels, n, d + m, K);
}

/* per samples of each of the K labels (or codes) from G (t's, or its
 * average); the judge's
 * verdicts into got (K * per), the request into want; returns the images
 * (K * per, 784), which the caller frees. cont: InfoGAN's codes drawn
 * uniformly (1) or none. */
static float *judge_per_class(lesson *L, const nn_gan *t, nn_model *G, nn_model *net, int per,
                              uint64_t stream, int *want, int *got)
{
    int n = K * per, d = t->arch.latent_dim, m = t->arch.n_cont;
    float *z = lesson_alloc(L, (size_t)n * d, sizeof(float));
    float *cont = m ? lesson_alloc(L, (size_t)n * m, sizeof(float)) : NULL;
    float *scratch = lesson_alloc(L, (size_t)n * (d + m), sizeof(float));
    float *rows = lesson_alloc(L, (size_t)n * G->in, sizeof(float));
    float *img = lesson_alloc(L, (size_t)n * 784, sizeof(float));
    nn_rng r;
    nn_rng_seed(&r, L->seed, stream);
    nn_sample_latent(z, n, d, &r);
    if (cont) nn_rng_fill_uniform(&r, cont, (size_t)n * m, -1.0f, 1.0f);
    for (int i = 0; i < n; i++) want[i] = i / per;
    steer_rows(rows, t, z, want, cont, n, scratch);
    gan_sample_images(img, G, rows, n);
    classifier_predict(net, img, n, got);
    nn_free(z);
    nn_free(cont);
    nn_free(scratch);
    nn_free(rows);
    return img;
}

/* Squared distances from q (nq, 784) to every image of ds: nearest[i] its
 * nearest one's index, dist[i] the distance (pixels in [-1, 1]). skip >= 0
 * leaves that index out. */
static void nearest(lesson *L, const float *q, int nq, const nn_dataset *ds, int *near,
                    double *dist)
{
    enum { CHUNK = 1000 };
    float *x = lesson_alloc(L, (size_t)CHUNK * 784, sizeof(float));
    int idx[CHUNK];
    for (int i = 0; i < nq; i++) dist[i] = INFINITY;
    for (int s = 0; s < ds->n; s += CHUNK) {
        int k = ds->n - s < CHUNK ? ds->n - s : CHUNK;
        for (int j = 0; j < k; j++) idx[j] = s + j;
        nn_dataset_gather(x, ds, idx, k, NN_RANGE_PM1);
        for (int i = 0; i < nq; i++)
            for (int j = 0; j < k; j++) {
                double d2 = 0.0;
                for (int p = 0; p < 784; p++) {
                    double v = (double)q[(size_t)i * 784 + p] - x[(size_t)j * 784 + p];
                    d2 += v * v;
                }
                if (d2 < dist[i]) {
                    dist[i] = d2;
                    near[i] = s + j;
                }
            }
    }
    for (int i = 0; i < nq; i++) dist[i] = sqrt(dist[i]);
    nn_free(x);
}

/* The generator whose latent space step 1 walks: lesson 10's DCGAN when it
 * has trained at least an epoch beside this lesson's folder (and no
 * --mlp-ckpt was given), else lesson 06's default MLP (loaded, or trained
 * here: trainrun_mlp_from_lesson06). *owner is what to free with
 * nn_gan_free (NULL when the DCGAN's G is returned: free that with
 * nn_model_free). */
static nn_model *latent_generator(lesson *L, const nn_dataset *ds, nn_gan **owner)
{
    char dir10[512];
    snprintf(dir10, sizeof dir10, "%s", L->out);
    char *slash = strrchr(dir10, '/');
    snprintf(slash ? slash + 1 : dir10, sizeof dir10 - (size_t)(slash ? slash + 1 - dir10 : 0),
             "10_dcgan");
    *owner = NULL;
    if (!mlp_ckpt && !L->fast && trainrun_lesson06_steps(dir10, "dcgan-both-relu") >= MLP_STEPS) {
        nn_error err = {NN_OK, ""};
        nn_dcgan_arch a = nn_dcgan_arch_default();
        nn_model *G = nn_dcgan_generator(&a, 64, &err);
        if (!G) lesson_check(L, err.code, &err);
        char path[560];
        snprintf(path, sizeof path, "%s/G.ckpt", dir10);
        lesson_check(L, nn_model_load(G, path, &err), &err);
        lesson_print(L, "lesson 10's DCGAN: G loaded from %s\n", path);
        return G;
    }
    *owner = trainrun_mlp_from_lesson06(L, "default", mlp_ckpt, MLP_STEPS, ds);
    return (*owner)->G;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

int main(int argc, char **argv)
{
    static const lesson_info info = {
        12, "steering", "Steering the generator",
        "What lies between two latent vectors, whether G copies its training set, a "
        "conditional GAN that draws the class it is asked for (judged by the lesson "
        "classifier), and InfoGAN, which finds codes for the classes without labels.",
        12};
    lesson *L = lesson_begin(argc, argv, &info, flags, LESSON_NFLAGS(flags));
    nn_error err = {NN_OK, ""};
    double t_start = lesson_seconds();
    if (L->fast) {
        if (cgan_epochs == DEFAULT_CGAN_EPOCHS) cgan_epochs = 1;
        if (info_epochs == DEFAULT_INFO_EPOCHS) info_epochs = 1;
        if (per_class == 1000) per_class = 100;
    }
    lesson_use_threads(threads);
    if (save_samples) {
        trainrun_check_writable(L, "save-samples", save_samples);
        char lab[600];
        snprintf(lab, sizeof lab, "%s.labels", save_samples);
        trainrun_check_writable(L, "save-samples", lab);
    }

    nn_dataset ds, test;
    lesson_check(L, nn_dataset_load_mnist(&ds, data_dir, NN_SPLIT_TRAIN, &err), &err);
    lesson_check(L, nn_dataset_load_mnist(&test, data_dir, NN_SPLIT_TEST, &err), &err);
    if (ds.c * ds.h * ds.w != 784 || ds.n_classes != K)
        lesson_fail(L, LESSON_EXIT_INPUT, "--data: images of %d x %d x %d in %d classes; this "
                    "lesson needs 1 x 28 x 28 grey images in %d classes", ds.c, ds.h, ds.w,
                    ds.n_classes, K);
    int n_train = ds.n;
    if (L->fast && ds.n > FAST_IMAGES) ds.n = FAST_IMAGES;
    if (ds.n < batch)
        lesson_fail(L, LESSON_EXIT_INPUT, "--batch %d is more than the %d images", batch, ds.n);
    const char *const *names = ds.class_names;

    /* ------------------------------------------------------------ latent paths */
    double t_step = lesson_seconds();
    lesson_step(L, "Walking the latent space");
    nn_gan *m06;
    nn_model *G0 = latent_generator(L, &ds, &m06);
    int dim = G0->in;
    /* How long a draw of the prior is: the spread of |z| over many draws. */
    double *norms = lesson_alloc(L, PRIOR_DRAWS, sizeof(double));
    {
        float *zz = lesson_alloc(L, (size_t)PRIOR_DRAWS * dim, sizeof(float));
        nn_rng r;
        nn_rng_seed(&r, L->seed, 20);
        nn_sample_latent(zz, PRIOR_DRAWS, dim, &r);
        for (int i = 0; i < PRIOR_DRAWS; i++) norms[i] = norm(zz + (size_t)i * dim, dim);
        nn_free(zz);
        qsort(norms, PRIOR_DRAWS, sizeof *norms, cmp_double);
    }
    double p01 = norms[PRIOR_DRAWS / 100], p99 = norms[PRIOR_DRAWS - PRIOR_DRAWS / 100];
    float *ends = lesson_alloc(L, (size_t)2 * PAIRS * dim, sizeof(float));
    float *paths = lesson_alloc(L, (size_t)2 * PAIRS * PATH_N * dim, sizeof(float));
    {
        nn_rng r;
        nn_rng_seed(&r, L->seed, 21);
        nn_sample_latent(ends, 2 * PAIRS, dim, &r);
    }
    lesson_say(L,
               "G turns a latent vector z into an image. What does it draw between two of "
               "them? The straight path (1 - t) a + t b is the obvious one. But z comes from "
               "N(0, I) in %d dimensions, whose draws have lengths close to sqrt(%d) = %.1f: "
               "of %d draws here, 98%% had |z| between %.2f and %.2f. The middle of a straight "
               "path between two such draws is shorter, a place G never saw in training. "
               "Spherical interpolation (exercise 20, nn_slerp) follows the arc instead. "
               "The generator here is %s.",
               dim, dim, sqrt((double)dim), PRIOR_DRAWS, p01, p99,
               m06 ? "lesson 06's default MLP" : "lesson 10's DCGAN");
    lesson_code(L, "paths");
    /* STEP: paths */
    for (int p = 0; p < PAIRS; p++) {
        const float *a = ends + (size_t)(2 * p) * dim, *b = a + dim;
        float *lin = paths + (size_t)(2 * p) * PATH_N * dim, *sph = lin + (size_t)PATH_N * dim;
        nn_latent_path(lin, a, b, dim, PATH_N, 0);  /* straight */
        nn_latent_path(sph, a, b, dim, PATH_N, 1);  /* the arc: nn_slerp */
    }
    /* END STEP */
    {
        float *img = lesson_alloc(L, (size_t)2 * PAIRS * PATH_N * 784, sizeof(float));
        gan_sample_images(img, G0, paths, 2 * PAIRS * PATH_N);
        grid(L, "interpolation.png", img, 2 * PAIRS * PATH_N, PATH_N,
             "three pairs: each a straight (upper) and a spherical (lower) path, a to b");
        FILE *f = lesson_capture_begin(L);
        fprintf(f, "pair 1, straight path: t = 0, 4/9, 1\n");
        float three[3 * 784];
        memcpy(three, img, 784 * sizeof(float));
        memcpy(three + 784, img + 4 * 784, 784 * sizeof(float));
        memcpy(three + 2 * 784, img + 9 * 784, 784 * sizeof(float));
        nn_image_preview(f, three, 3, 1, 28, 28, 3, -1.0f, 1.0f, NN_PREVIEW_AUTO);
        lesson_capture_end(L);
        nn_free(img);
    }
    float tt[PATH_N], nl[PAIRS][PATH_N], ns[PAIRS][PATH_N], lo[PATH_N], hi[PATH_N];
    double mid_lin = 1e30, mid_sph = 1e30, min_sph = 1e30;
    for (int i = 0; i < PATH_N; i++) {
        tt[i] = (float)i / (PATH_N - 1);
        lo[i] = (float)p01;
        hi[i] = (float)p99;
    }
    for (int p = 0; p < PAIRS; p++)
        for (int i = 0; i < PATH_N; i++) {
            const float *lin = paths + ((size_t)(2 * p) * PATH_N + i) * dim;
            const float *sph = paths + ((size_t)(2 * p + 1) * PATH_N + i) * dim;
            nl[p][i] = (float)norm(lin, dim);
            ns[p][i] = (float)norm(sph, dim);
            min_sph = fmin(min_sph, ns[p][i]);
            /* The middle of the path: the two central points. */
            if (i == PATH_N / 2 || i == (PATH_N - 1) / 2) {
                mid_lin = fmin(mid_lin, nl[p][i]);
                mid_sph = fmin(mid_sph, ns[p][i]);
            }
        }
    {
        const float *ys[4] = {nl[0], ns[0], lo, hi};
        const char *const nm[4] = {"straight (pair 1)", "spherical (pair 1)",
                                   "1st percentile of |z|", "99th percentile of |z|"};
        nn_plot p = {.dir = L->out, .name = "path_norms", .title = "|z| along the paths",
                     .xlabel = "t", .ylabel = "|z|", .term = lesson_capture_begin(L)};
        nn_status s = nn_plot_lines(&p, tt, ys, nm, 4, PATH_N, &err);
        lesson_capture_end(L);
        lesson_plot_shown(L, &p, s, &err, "the length of z along a straight and a spherical path");
    }
    int below = 0;
    for (int i = 0; i < PRIOR_DRAWS; i++) below += norms[i] < mid_lin;
    lesson_say(L,
               "Along the straight paths the length sagged to %.2f in the middle (the shortest "
               "of the %d pairs' central points), shorter than %d of the %d prior draws "
               "(%.1f%%); along the arcs it never fell below %.2f. %s Look at the middle "
               "columns of interpolation.png: the straight paths' images there are the ones "
               "G draws from inside the shell.",
               mid_lin, PAIRS, PRIOR_DRAWS - below, PRIOR_DRAWS,
               100.0 * (PRIOR_DRAWS - below) / PRIOR_DRAWS, min_sph,
               mid_lin < p01 ? "The straight path leaves the shell where the prior puts its "
                               "mass; the arc stays on it."
                             : "Here the sag stays within the prior's usual lengths.");
    lesson_key(L, "prior_norm_p01", "%.3f", p01);
    lesson_key(L, "prior_norm_p99", "%.3f", p99);
    lesson_key(L, "lerp_mid_norm", "%.3f", mid_lin);
    lesson_key(L, "slerp_min_norm", "%.3f", min_sph);
    nn_free(norms);
    nn_free(ends);
    nn_free(paths);

    /* ------------------------------------------------------------ copies? */
    lesson_step(L, "Is G copying its training set?");
    lesson_say(L,
               "A generator that memorised its training images would draw them back. For "
               "%d samples, the nearest of the %d training images (Euclidean distance in "
               "pixels scaled to [-1, 1]); for comparison, the same for %d test images, "
               "which are new to the training set by construction.",
               NN_QUERIES, n_train, NN_QUERIES);
    {
        nn_dataset full = ds;
        full.n = L->fast ? ds.n : n_train;  /* --fast searches its small set only */
        float *q = lesson_alloc(L, (size_t)2 * NN_QUERIES * 784, sizeof(float));
        float *z = lesson_alloc(L, (size_t)NN_QUERIES * dim, sizeof(float));
        nn_rng r;
        nn_rng_seed(&r, L->seed, 22);
        nn_sample_latent(z, NN_QUERIES, dim, &r);
        int tidx[NN_QUERIES], nidx[2 * NN_QUERIES];
        for (int i = 0; i < NN_QUERIES; i++) tidx[i] = (int)nn_rng_below(&r, (uint32_t)test.n);
        lesson_code(L, "nearest");
        /* STEP: nearest */
        gan_sample_images(q, G0, z, NN_QUERIES);                      /* samples */
        nn_dataset_gather(q + NN_QUERIES * 784, &test, tidx, NN_QUERIES, NN_RANGE_PM1);
        double dist[2 * NN_QUERIES];
        nearest(L, q, 2 * NN_QUERIES, &full, nidx, dist);                  /* brute force */
        /* END STEP */
        float *pic = lesson_alloc(L, (size_t)2 * NN_QUERIES * 784, sizeof(float));
        memcpy(pic, q, (size_t)NN_QUERIES * 784 * sizeof(float));
        nn_dataset_gather(pic + NN_QUERIES * 784, &full, nidx, NN_QUERIES, NN_RANGE_PM1);
        grid(L, "nearest.png", pic, 2 * NN_QUERIES, NN_QUERIES,
             "samples (upper row) and their nearest training images (lower row)");
        lesson_print(L, "%-8s %s\n", "", "distance to the nearest training image");
        lesson_print(L, "samples ");
        for (int i = 0; i < NN_QUERIES; i++) lesson_print(L, " %6.2f", dist[i]);
        lesson_print(L, "\ntest    ");
        for (int i = 0; i < NN_QUERIES; i++) lesson_print(L, " %6.2f", dist[NN_QUERIES + i]);
        lesson_print(L, "\n");
        double ds_[NN_QUERIES], dt_[NN_QUERIES];
        memcpy(ds_, dist, sizeof ds_);
        memcpy(dt_, dist + NN_QUERIES, sizeof dt_);
        double ms = median(ds_, NN_QUERIES), mt = median(dt_, NN_QUERIES);
        double smin = ds_[0];
        lesson_say(L,
                   "Median distance: %.2f for the samples, %.2f for the test images; the "
                   "closest sample is %.2f away (a copy would be about 0; two images that "
                   "differ by one grey level everywhere are %.2f apart). %s",
                   ms, mt, smin, 2.0 / 255.0 * 28.0,
                   smin < 0.25 * mt
                       ? "One sample sits much closer to a training image than any test "
                         "image does: look at that pair in nearest.png."
                       : ms > mt ? "The samples are further from the training set than new real "
                                   "images are: G draws its own images, not copies."
                                 : "The samples are about as close to the training set as new "
                                   "real images are, and none is a copy.");
        lesson_key(L, "nearest_sample_median", "%.3f", ms);
        lesson_key(L, "nearest_test_median", "%.3f", mt);
        lesson_key(L, "nearest_sample_min", "%.3f", smin);
        nn_free(pic);
        nn_free(q);
        nn_free(z);
    }
    if (m06)
        nn_gan_free(m06);
    else
        nn_model_free(G0);
    lesson_key(L, "step_latent_s", "%.1f", lesson_seconds() - t_step);

    /* ------------------------------------------------------------ cGAN */
    t_step = lesson_seconds();
    lesson_step(L, "A conditional GAN: the label to both players");
    nn_gan_arch ca = mlpgan_arch_default();
    ca.steer = NN_GAN_CONDITIONAL;
    ca.n_classes = K;
    ca.q_head = label_info > 0.0f;
    lesson_say(L,
               "Mirza and Osindero's conditional GAN gives both players the class: G reads "
               "[z, one-hot(y)] and draws an image of class y; D reads [x, one-hot(y)] and "
               "judges whether x is a real image of class y. A fake of the wrong class is "
               "then as wrong to D as a blurry one, so G learns to obey. Building those rows "
               "is exercise 19 (nn_gan_condition); the training step is lesson 06's "
               "nn_gan_step, with the label as an option: it draws a class for every fake "
               "and conditions G's input and D's fake rows itself, and we condition the "
               "real rows with their own labels. Networks: lesson 06's default MLPs, %d + "
               "%d inputs for G, %d + %d for D.\n\n"
               "Two additions to it: %s; and %s. Without either (seed 12, 6 epochs, a run "
               "of an earlier version of this lesson), only 37.7%% of the shirts asked for "
               "were recognised as shirts, 35.1%% were taken for coats.",
               ca.latent_dim, K, ca.data_dim, K,
               ca.q_head ? "D also gets InfoGAN's head Q of the InfoGAN steps below, here for "
                           "the label: D's last layer has 10 more outputs that must say which "
                           "class a fake was asked for, and G is rewarded when they can "
                           "(--label-info, its weight; 0 gives Mirza and Osindero's plain "
                           "cGAN)"
                         : "--label-info 0: Mirza and Osindero's plain cGAN, no head Q",
               g_average > 0.0f ? "we sample from a moving average of G's weights (Yazici et "
                                  "al. 2019; --g-average), which evens out the swings of the "
                                  "last steps (the next step compares it with G's own weights)"
                                : "--g-average 0: we sample from G's own weights");
    nn_gan_config cc = nn_gan_config_default();
    cc.lr_g = cc.lr_d = lr;
    cc.batch = batch;
    cc.real_label = 0.9f;   /* lesson 06's one-sided label smoothing */
    cc.info_lambda = label_info;
    lesson_code(L, "cgan");
    /* STEP: cgan */
    nn_gan *cg = nn_gan_create(&ca, &cc, NN_INIT_NORMAL_002, L->seed, &err);
    nn_model *avg = cg && g_average > 0.0f ? nn_model_clone(cg->G, &err) : NULL;
    /* END STEP */
    if (!cg || (g_average > 0.0f && !avg)) lesson_check(L, err.code, &err);
    nn_model *Gs = avg ? avg : cg->G;   /* the G we sample from */
    lesson_print(L, "G %d -> %d (%zu parameters), D %d -> %d (%zu)\n", cg->G->in, cg->G->out,
                 nn_model_param_count(cg->G), cg->D->in, cg->D->out,
                 nn_model_param_count(cg->D));

    nn_loader ld;
    lesson_check(L, nn_loader_init(&ld, &ds, batch, 1, 1, NN_RANGE_PM1, L->seed, &err), &err);
    float *x = lesson_alloc(L, (size_t)batch * 784, sizeof(float));
    float *real = lesson_alloc(L, (size_t)batch * (784 + K), sizeof(float));
    int *y = lesson_alloc(L, (size_t)batch, sizeof(int));
    long per_epoch = nn_loader_batches_per_epoch(&ld);
    long cap = per_epoch * (cgan_epochs > info_epochs ? cgan_epochs : info_epochs);
    trainrun_log lg = {0, lesson_alloc(L, (size_t)cap, sizeof(float)),
                       lesson_alloc(L, (size_t)cap, sizeof(float)),
                       lesson_alloc(L, (size_t)cap, sizeof(float)),
                       lesson_alloc(L, (size_t)cap, sizeof(float))};
    lesson_say(L, "%d epoch%s of %ld steps; a NaN, infinite or exploding loss stops the run.",
               cgan_epochs, cgan_epochs > 1 ? "s" : "", per_epoch);
    lesson_code(L, "train");
    double t0 = lesson_seconds();
    long steps = train(L, cg, &ld, cgan_epochs, "cGAN", &lg, x, y, real, avg, g_average);
    double wall = lesson_seconds() - t0;
    lesson_key(L, "cgan_steps", "%ld", steps);
    lesson_key(L, "cgan_train_s", "%.1f", wall);
    /* The G we sample from, for lesson 14's table of the course's generators. */
    lesson_check(L, nn_model_save(Gs, lesson_path(L, "cgan_G.ckpt"), &err), &err);
    trainrun_plot_pair(L, "cgan_losses", "conditional GAN: D and G loss", "loss", lg.d_loss,
                       "D", lg.g_loss, "G", lg.n, 0);
    if (L->fast)
        lesson_say(L, "A --fast run is too short to show a G that obeys: its grid and its "
                      "confusion matrix below are those of a barely trained G.");

    /* ------------------------------------------------------------ grid */
    lesson_step(L, "One row per class");
    lesson_say(L,
               "Ten noise vectors, one per column, each drawn once; every row asks for one "
               "class with the same ten vectors. What stays the same down a column is what z "
               "controls (the label does not): thickness, brightness, pose.");
    {
        float *z = lesson_alloc(L, (size_t)K * ca.latent_dim, sizeof(float));
        float *rows = lesson_alloc(L, (size_t)K * K * cg->G->in, sizeof(float));
        float *zz = lesson_alloc(L, (size_t)K * K * ca.latent_dim, sizeof(float));
        float *img = lesson_alloc(L, (size_t)K * K * 784, sizeof(float));
        int lab[K * K];
        nn_rng r;
        nn_rng_seed(&r, L->seed, 23);
        nn_sample_latent(z, K, ca.latent_dim, &r);
        lesson_code(L, "grid");
        /* STEP: grid */
        for (int row = 0; row < K; row++)
            for (int col = 0; col < K; col++) {
                lab[row * K + col] = row;                         /* the class asked for */
                memcpy(zz + (size_t)(row * K + col) * ca.latent_dim,
                       z + (size_t)col * ca.latent_dim, ca.latent_dim * sizeof(float));
            }
        nn_gan_condition(rows, zz, lab, K * K, ca.latent_dim, K);  /* [z, one-hot(y)] */
        gan_sample_images(img, Gs, rows, K * K);
        /* END STEP */
        grid(L, "cgan_grid.png", img, K * K, K, "one row per requested class (0 T-shirt/top "
             "at the top), the same noise down each column");
        FILE *f = lesson_capture_begin(L);
        fprintf(f, "column 1, rows 0-2 (%s, %s, %s):\n", names[0], names[1], names[2]);
        float three[3 * 784];
        for (int i = 0; i < 3; i++)
            memcpy(three + i * 784, img + (size_t)i * K * 784, 784 * sizeof(float));
        nn_image_preview(f, three, 3, 1, 28, 28, 3, -1.0f, 1.0f, NN_PREVIEW_AUTO);
        lesson_capture_end(L);
        nn_free(z);
        nn_free(rows);
        nn_free(zz);
        nn_free(img);
    }

    /* ------------------------------------------------------------ judge */
    lesson_step(L, "Does it obey? The lesson classifier judges");
    nn_model *net = classifier_create(256, &err);
    if (!net) lesson_check(L, err.code, &err);
    judge_get_classifier(L, net, L->fast ? &test : &ds);
    /* The judge's own confusions, on real test images: a judge that mixes up
     * shirts and T-shirts will blame G for some of its own mistakes. */
    int *jw = lesson_alloc(L, (size_t)test.n, sizeof(int));
    int *jg = lesson_alloc(L, (size_t)test.n, sizeof(int));
    {
        float *tx = lesson_alloc(L, (size_t)test.n * 784, sizeof(float));
        for (int i = 0; i < test.n; i++) jw[i] = i;
        nn_dataset_gather(tx, &test, jw, test.n, NN_RANGE_PM1);
        for (int i = 0; i < test.n; i++) jw[i] = test.labels[i];
        classifier_predict(net, tx, test.n, jg);
        nn_free(tx);
    }
    int judge_m[K * K];
    nn_confusion_matrix(judge_m, jw, jg, test.n, K, K);
    int right = 0;
    for (int c = 0; c < K; c++) right += judge_m[c * K + c];
    lesson_key(L, "judge_test_accuracy", "%.4f", (double)right / test.n);
    int n_judged = K * per_class;
    int *want = lesson_alloc(L, (size_t)n_judged, sizeof(int));
    int *got = lesson_alloc(L, (size_t)n_judged, sizeof(int));
    lesson_say(L,
               "%d samples per requested class, each labelled by the lesson classifier "
               "(the line above says where it came from; %.1f%% right on the real test set). Rows: the class asked for; "
               "columns: the class recognised, in %% of the row. The diagonal is obedience.",
               per_class, 100.0 * right / test.n);
    lesson_code(L, "judge");
    /* STEP: judge */
    float *img = judge_per_class(L, cg, Gs, net, per_class, 24, want, got); /* G(z, y) */
    int cm[K * K];
    nn_confusion_matrix(cm, want, got, n_judged, K, K);                 /* requested x recognised */
    /* END STEP */
    show_matrix(L, cm, names, names, "cgan_confusion", "conditional GAN: requested (rows) "
                "against recognised (columns), % of row");
    {
        int ok = 0, worst = 0, top_r = 0, top_c = 1;
        float acc[K];
        for (int c = 0; c < K; c++) {
            ok += cm[c * K + c];
            acc[c] = (float)cm[c * K + c] / (float)per_class;
            if (acc[c] < acc[worst]) worst = c;
            for (int d = 0; d < K; d++)
                if (d != c && cm[c * K + d] > cm[top_r * K + top_c]) top_r = c, top_c = d;
        }
        double overall = (double)ok / n_judged;
        int jrow = 0;
        for (int d = 0; d < K; d++) jrow += judge_m[top_r * K + d];
        double judge_same = jrow ? 100.0 * judge_m[top_r * K + top_c] / jrow : 0.0;
        lesson_key(L, "cgan_accuracy", "%.4f", overall);
        lesson_key(L, "cgan_min_class_accuracy", "%.4f", (double)acc[worst]);
        lesson_key(L, "cgan_worst_class", "%s", names[worst]);
        lesson_key(L, "cgan_top_confusion", "%s -> %s %.1f%%", names[top_r], names[top_c],
                   100.0 * cm[top_r * K + top_c] / per_class);
        lesson_say(L,
                   "The classifier recognised the requested class in %.1f%% of the %d samples; "
                   "the least obeyed class is %s (%.1f%%). The largest confusion: %s asked "
                   "for, %s recognised, in %.1f%% of its samples. The judge itself takes "
                   "%.1f%% of real %s test images for %s, so part of that is the judge's own "
                   "confusion%s.",
                   100.0 * overall, n_judged, names[worst], 100.0 * acc[worst], names[top_r],
                   names[top_c], 100.0 * cm[top_r * K + top_c] / per_class, judge_same,
                   names[top_r], names[top_c],
                   (top_r == 0 || top_r == 2 || top_r == 4 || top_r == 6) &&
                           (top_c == 0 || top_c == 2 || top_c == 4 || top_c == 6)
                       ? ": shirts, T-shirts, pullovers and coats share a silhouette at 28 x "
                         "28, and the tops classes are the ones real images confuse too"
                       : "");
    }
    if (avg) {
        /* The same judgement of G's own weights, for the record. */
        int *got2 = lesson_alloc(L, (size_t)n_judged, sizeof(int));
        float *img2 = judge_per_class(L, cg, cg->G, net, per_class, 24, want, got2);
        int cm2[K * K], ok2 = 0, min2 = per_class;
        nn_confusion_matrix(cm2, want, got2, n_judged, K, K);
        for (int c = 0; c < K; c++) {
            ok2 += cm2[c * K + c];
            min2 = cm2[c * K + c] < min2 ? cm2[c * K + c] : min2;
        }
        lesson_key(L, "cgan_own_weights_accuracy", "%.4f", (double)ok2 / n_judged);
        lesson_key(L, "cgan_own_weights_min_class_accuracy", "%.4f", (double)min2 / per_class);
        lesson_say(L, "G's own weights, not averaged, judged the same way: %.1f%% overall, "
                      "%.1f%% for its least obeyed class.",
                   100.0 * ok2 / n_judged, 100.0 * min2 / per_class);
        nn_free(img2);
        nn_free(got2);
    }
    show_matrix(L, judge_m, names, names, "judge_confusion", "the judge on real test images: "
                "true (rows) against recognised (columns), % of row");
    if (save_samples) {
        lesson_check(L, trainrun_write_idx(save_samples, img, n_judged, 28, 28, &err), &err);
        char lab[600];
        snprintf(lab, sizeof lab, "%s.labels", save_samples);
        lesson_check(L, trainrun_write_idx_labels(lab, want, n_judged, &err), &err);
        lesson_print(L, "%d samples -> %s, their requested classes -> %s\n", n_judged,
                     save_samples, lab);
    }
    nn_free(img);
    nn_model_free(avg);
    nn_gan_free(cg);
    lesson_key(L, "step_cgan_s", "%.1f", lesson_seconds() - t_step);

    /* ------------------------------------------------------------ InfoGAN */
    t_step = lesson_seconds();
    lesson_step(L, "InfoGAN: codes instead of labels");
    nn_gan_arch ia = mlpgan_arch_default();
    ia.steer = NN_GAN_INFOGAN;
    ia.n_classes = K;
    ia.n_cont = N_CONT;
    lesson_say(L,
               "InfoGAN (Chen et al. 2016) has no labels. G reads z with a categorical code c "
               "of %d values (one-hot) and %d continuous codes uniform on [-1, 1]; nothing "
               "says what they mean. A head Q shares D's body and guesses the codes back "
               "from the image: here D's last linear layer gets %d outputs beside its logit "
               "(the paper's Q has one more hidden layer of its own). Both players also "
               "minimise the information loss, which bounds the mutual information "
               "between codes and image from below:\n"
               "  I(c; G(z, c)) >= H(c) - L_I,  L_I = -E log Q(c | G(z, c))\n"
               "For the categorical code L_I is a cross-entropy on Q's logits (exercise 21, "
               "nn_info_cat_loss), weight %g; for the continuous codes a squared error "
               "(a Gaussian of unit variance), weight %g. H(c) = log %d = %.3f nats. To "
               "keep c readable, G has to make the %d values look different, and the "
               "easiest differences to draw are the classes.",
               K, N_CONT, K + N_CONT, (double)info_lambda,
               (double)nn_gan_config_default().info_lambda_cont, K, log((double)K), K);
    float purity[10], shuffled[10];
    int icm[K * K];
    nn_gan *ig = NULL;
    for (int s = 0; s < info_seeds; s++) {
        if (s == 1) {
            lg.n = 0;
            lesson_step(L, "InfoGAN over more seeds");
            lesson_say(L, "The same run with seeds %llu to %llu: how much of the code's "
                          "purity is the seed's luck?",
                       (unsigned long long)L->seed + 1,
                       (unsigned long long)L->seed + (unsigned long long)info_seeds - 1);
        }
        nn_gan_config c = nn_gan_config_default();
        c.lr_g = c.lr_d = lr;
        c.batch = batch;
        c.real_label = 0.9f;
        c.info_lambda = info_lambda;
        if (s == 0) lesson_code(L, "infogan");
        /* STEP: infogan */
        ig = nn_gan_create(&ia, &c, NN_INIT_NORMAL_002, L->seed + (uint64_t)s, &err);
        /* END STEP */
        if (!ig) lesson_check(L, err.code, &err);
        nn_loader ild;
        lesson_check(L, nn_loader_init(&ild, &ds, batch, 1, 1, NN_RANGE_PM1,
                                       L->seed + (uint64_t)s, &err), &err);
        lg.n = 0;
        char what[40];
        snprintf(what, sizeof what, "InfoGAN seed %llu", (unsigned long long)L->seed + s);
        t0 = lesson_seconds();
        train(L, ig, &ild, info_epochs, what, &lg, x, y, NULL, NULL, 0.0f);
        nn_loader_free(&ild);
        float *iimg = judge_per_class(L, ig, ig->G, net, per_class, 25, want, got);
        nn_free(iimg);
        nn_confusion_matrix(icm, want, got, n_judged, K, K);
        purity[s] = nn_purity(icm, K, K);
        /* The same samples with their codes shuffled: what a code that
         * says nothing about the class would score. */
        {
            nn_rng r;
            nn_rng_seed(&r, L->seed + (uint64_t)s, 27);
            for (int i = n_judged - 1; i > 0; i--) {
                int j = (int)nn_rng_below(&r, (uint32_t)(i + 1)), tmp = want[i];
                want[i] = want[j];
                want[j] = tmp;
            }
            int rcm[K * K];
            nn_confusion_matrix(rcm, want, got, n_judged, K, K);
            shuffled[s] = nn_purity(rcm, K, K);
        }
        char key[48];
        snprintf(key, sizeof key, "infogan_purity_seed%llu", (unsigned long long)L->seed + s);
        lesson_key(L, key, "%.4f", (double)purity[s]);
        if (s == 0) {
            lesson_print(L, "trained %d epochs in %.1f s\n", info_epochs, lesson_seconds() - t0);
            trainrun_plot_pair(L, "infogan_losses", "InfoGAN: D and G loss (information loss "
                               "included)", "loss", lg.d_loss, "D", lg.g_loss, "G", lg.n, 0);
            /* One row per code value, the same z and continuous codes 0 down
             * each column. */
            float *z = lesson_alloc(L, (size_t)K * ia.latent_dim, sizeof(float));
            float *zz = lesson_alloc(L, (size_t)K * K * ia.latent_dim, sizeof(float));
            float *rows = lesson_alloc(L, (size_t)K * K * ig->G->in, sizeof(float));
            float *scr = lesson_alloc(L, (size_t)K * K * (ia.latent_dim + N_CONT),
                                       sizeof(float));
            float *gimg = lesson_alloc(L, (size_t)K * K * 784, sizeof(float));
            int lab[K * K];
            nn_rng r;
            nn_rng_seed(&r, L->seed, 26);
            nn_sample_latent(z, K, ia.latent_dim, &r);
            for (int i = 0; i < K * K; i++) {
                lab[i] = i / K;
                memcpy(zz + (size_t)i * ia.latent_dim, z + (size_t)(i % K) * ia.latent_dim,
                       ia.latent_dim * sizeof(float));
            }
            steer_rows(rows, ig, zz, lab, NULL, K * K, scr);
            gan_sample_images(gimg, ig->G, rows, K * K);
            grid(L, "infogan_codes.png", gimg, K * K, K, "InfoGAN: one row per value of the "
                 "categorical code (0 at the top), the same z down each column");

            /* The continuous code c1 swept from -2 to 2 (beyond its training
             * range [-1, 1] at both ends), one row per code value, one z. */
            lesson_print(L, "what each code value became (the judge's most common class, "
                            "and its share):\n");
            const char *code_names[K];
            char cn[K][24];
            for (int k = 0; k < K; k++) {
                int best = 0, tot = 0;
                for (int d = 0; d < K; d++) {
                    tot += icm[k * K + d];
                    if (icm[k * K + d] > icm[k * K + best]) best = d;
                }
                snprintf(cn[k], sizeof cn[k], "code %d", k);
                code_names[k] = cn[k];
                lesson_print(L, "  code %d -> %-12s %5.1f%%\n", k, names[best],
                             tot ? 100.0 * icm[k * K + best] / tot : 0.0);
            }
            show_matrix(L, icm, code_names, names, "infogan_confusion", "InfoGAN: code value "
                        "(rows) against recognised class (columns), % of row");
            int classes_hit[K] = {0}, distinct = 0;
            for (int k = 0; k < K; k++) {
                int best = 0;
                for (int d = 0; d < K; d++)
                    if (icm[k * K + d] > icm[k * K + best]) best = d;
                distinct += !classes_hit[best];
                classes_hit[best] = 1;
            }
            lesson_say(L,
                       "Purity: the share of samples whose class is the most common class of "
                       "their code value. This run's is %.3f; the same samples with their "
                       "codes shuffled, a code that says nothing about the class, score %.3f. "
                       "The %d code values became %d distinct classes%s.%s",
                       (double)purity[0], (double)shuffled[0], K, distinct,
                       distinct < K ? ": some classes share a code and others have none, which "
                                      "purity does not punish"
                                    : "",
                       L->fast ? " A --fast run is too short to show codes that mean anything."
                               : "");
            lesson_step(L, "A continuous code");
            lesson_say(L,
                       "The first continuous code swept from -2 to 2 (training drew it from "
                       "[-1, 1], so the ends extrapolate), z fixed, one row per categorical "
                       "value. The paper found such codes taking width or rotation on MNIST; "
                       "what this one took, if anything, is read off the rows: a change along "
                       "a row that is similar in every row is the code's meaning.");
            float cont[K * PATH_N * N_CONT];
            int lab2[K * PATH_N];
            for (int k = 0; k < K; k++)
                for (int i = 0; i < PATH_N; i++) {
                    int j = k * PATH_N + i;
                    lab2[j] = k;
                    cont[j * N_CONT] = -2.0f + 4.0f * (float)i / (PATH_N - 1);
                    cont[j * N_CONT + 1] = 0.0f;
                    memcpy(zz + (size_t)j * ia.latent_dim, z, ia.latent_dim * sizeof(float));
                }
            steer_rows(rows, ig, zz, lab2, cont, K * PATH_N, scr);
            gan_sample_images(gimg, ig->G, rows, K * PATH_N);
            grid(L, "infogan_cont.png", gimg, K * PATH_N, PATH_N, "InfoGAN: the first "
                 "continuous code from -2 (left) to 2 (right), one row per categorical value");
            /* The measured effect: how far the mean pixel moves along the sweep. */
            double first = 0.0, last = 0.0;
            for (int k = 0; k < K; k++)
                for (int p = 0; p < 784; p++) {
                    first += gimg[(size_t)(k * PATH_N) * 784 + p];
                    last += gimg[(size_t)(k * PATH_N + PATH_N - 1) * 784 + p];
                }
            double ink = (last - first) / (K * 784.0);
            lesson_key(L, "infogan_c1_ink_change", "%.4f", ink);
            lesson_say(L, "From the left end to the right, the mean pixel (in [-1, 1], -1 "
                          "black) changed by %+.3f, averaged over the rows: %s",
                       ink, fabs(ink) >= 0.05 ? "this code moves at least the amount of light "
                                                "in the image (a larger or brighter garment)."
                                              : "whatever the code took, it is not the "
                                                "amount of ink; look at the shapes.");
            nn_free(z);
            nn_free(zz);
            nn_free(rows);
            nn_free(scr);
            nn_free(gimg);
            lesson_key(L, "step_infogan_s", "%.1f", lesson_seconds() - t_step);
            t_step = lesson_seconds();
        }
        nn_gan_free(ig);
        ig = NULL;
    }
    double mean = 0.0, sd = 0.0;
    for (int s = 0; s < info_seeds; s++) mean += purity[s];
    mean /= info_seeds;
    for (int s = 0; s < info_seeds; s++) sd += (purity[s] - mean) * (purity[s] - mean);
    sd = info_seeds > 1 ? sqrt(sd / (info_seeds - 1)) : 0.0;
    lesson_key(L, "infogan_purity_mean", "%.4f", mean);
    lesson_key(L, "infogan_purity_sd", "%.4f", sd);
    double shuf = 0.0;
    for (int s = 0; s < info_seeds; s++) shuf += shuffled[s];
    lesson_key(L, "infogan_shuffled_purity_mean", "%.4f", shuf / info_seeds);
    lesson_say(L,
               "Over %d seed%s the categorical code's purity is %.3f on average (sample "
               "standard deviation %.3f). %s",
               info_seeds, info_seeds > 1 ? "s" : "", mean, sd,
               L->fast ? "A --fast run is too short to show what a trained InfoGAN's code "
                         "learns."
               : mean >= 0.6 ? "Without a single label, the code sorts G's images largely by "
                               "class."
                             : "The codes sorted G's images by class only partly in these "
                               "runs; more --info-epochs may help.");
    if (info_seeds > 1) lesson_key(L, "step_infogan_seeds_s", "%.1f", lesson_seconds() - t_step);
    lesson_key(L, "wall_s", "%.1f", lesson_seconds() - t_start);

    nn_free(want);
    nn_free(got);
    nn_free(jw);
    nn_free(jg);
    nn_model_free(net);
    nn_free(lg.d_loss);
    nn_free(lg.g_loss);
    nn_free(lg.d_real);
    nn_free(lg.d_fake);
    nn_free(x);
    nn_free(real);
    nn_free(y);
    nn_loader_free(&ld);
    nn_dataset_free(&ds);
    nn_dataset_free(&test);
    return lesson_end(L);
}
