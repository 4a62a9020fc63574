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
#include <string.h>

#include "classifier.h"
#include "condgan.h"
#include "copies.h"
#include "infogan.h"
#include "judge.h"
#include "latentwalk.h"
#include "lesson.h"
#include "mlpgan.h"
#include "nn.h"
#include "steered.h"
#include "trainrun.h"

#define K 10                /* Fashion-MNIST's classes; InfoGAN's code values */
#define N_CONT 2            /* InfoGAN's continuous codes */
#define PATH_N 10           /* points on an interpolation path */
#define PAIRS 3             /* latent pairs interpolated */
#define NN_QUERIES 8        /* samples (and test images) shown beside their nearest */
#define COPY_QUERIES 500    /* samples (and test images) checked for copies */
#define FAST_COPY_QUERIES 100
#define PRIOR_DRAWS 10000   /* draws for the prior's spread of norms */
#define FAST_IMAGES 2048
#define DEFAULT_CGAN_EPOCHS 10
#define DEFAULT_INFO_EPOCHS 4
/* The plain cGAN's obedience, quoted beside the command that measures it. */
#define NO_ADDITIONS_COMMAND "make lesson N=12 ARGS=\"--label-info 0 --g-average 0 --epochs 6 " \
    "--info-epochs 1 --info-seeds 1\""
#define NO_ADDITIONS_RESULT "only 47.9%% of the shirts asked for were recognised as shirts " \
    "and 34.8%% were taken for coats (86.5%% of all the samples as asked)."

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

/* What the steps share: the data, the generator whose latent space the first
 * two steps walk, the conditional GAN trained in one step and shown and
 * judged in the next two, the judge, the buffers both GANs train with, and
 * InfoGAN's first run and every run's purity. */
typedef struct {
    nn_dataset ds, test;
    int n_train;                /* training images before --fast cut them */
    nn_gan *m06;                /* lesson 06's MLP GAN, or NULL when G0 is lesson 10's DCGAN */
    nn_model *G0;               /* the generator whose latent space is walked */
    nn_gan *cg;                 /* the conditional GAN */
    nn_model *avg;              /* the moving average of its G's weights, or NULL */
    nn_model *Gs;               /* the G we sample from: avg, or cg's own */
    steered_batches b;          /* a batch, its conditioned rows, the log of a run */
    nn_model *net;              /* the lesson classifier: the judge */
    int judge_m[K * K];         /* the judge on the real test images */
    int n_judged;               /* K * per_class samples judged */
    int *want, *got;            /* (n_judged): the class or code asked for, the one recognised */
    nn_gan *ig;                 /* the first InfoGAN run */
    int icm[K * K];             /* the latest run's code values against classes recognised */
    float *code_z;              /* (K, latent_dim): the latent vectors of its grids */
    float purity[10], shuffled[10];   /* each run's purity, and with its codes shuffled;
                                       * --info-seeds is at most 10 */
    int distinct[10];                 /* the distinct classes each run's code values became */
    double t_start, t_step, t_train;
} steering;

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

/* --fast's smaller defaults, the threads, and a sample file found unwritable
 * before anything trains. */
static void settle_flags(lesson *L)
{
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
}

/* The training and test sets: 28 x 28 grey images in K classes; --fast
 * trains on the first FAST_IMAGES. */
static void load_data(lesson *L, steering *S)
{
    nn_error err = {NN_OK, ""};
    nn_dataset *ds = &S->ds;
    lesson_check(L, nn_dataset_load_mnist(ds, data_dir, NN_SPLIT_TRAIN, &err), &err);
    lesson_check(L, nn_dataset_load_mnist(&S->test, data_dir, NN_SPLIT_TEST, &err), &err);
    if (ds->c * ds->h * ds->w != 784 || ds->n_classes != K)
        lesson_fail(L, LESSON_EXIT_INPUT, "--data: images of %d x %d x %d in %d classes; this "
                    "lesson needs 1 x 28 x 28 grey images in %d classes", ds->c, ds->h, ds->w,
                    ds->n_classes, K);
    S->n_train = ds->n;
    if (L->fast && ds->n > FAST_IMAGES) ds->n = FAST_IMAGES;
    if (ds->n < batch)
        lesson_fail(L, LESSON_EXIT_INPUT, "--batch %d is more than the %d images", batch, ds->n);
    judge_check_data(L, lesson_data(L, L->fast)->n); /* the judge's classifier, if trained */
    int n_copy = L->fast ? FAST_COPY_QUERIES : COPY_QUERIES; /* look_for_copies' test images */
    if (S->test.n < n_copy)
        lesson_fail(L, LESSON_EXIT_INPUT, "--data: %d test images; the copy check needs %d",
                    S->test.n, n_copy);
}

/* The interpolation grid, and pair 1's straight path at three points in the
 * terminal. */
static void show_paths(lesson *L, nn_model *G0, const float *paths)
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

static void walk_the_latent_space(lesson *L, steering *S)
{
    S->t_step = lesson_seconds();
    lesson_step(L, "Walking the latent space");
    nn_model *G0 = S->G0 = latentwalk_generator(L, &S->ds, mlp_ckpt, TRAINRUN_LESSON06_STEPS, &S->m06);
    int dim = G0->in;
    /* How long a draw of the prior is: the spread of |z| over many draws. */
    double *norms = latentwalk_prior_norms(L, dim, PRIOR_DRAWS, 20);
    double p01 = norms[PRIOR_DRAWS / 100], p99 = norms[PRIOR_DRAWS - PRIOR_DRAWS / 100];
    float *ends = lesson_alloc(L, (size_t)2 * PAIRS * dim, sizeof(float));
    float *paths = lesson_alloc(L, (size_t)2 * PAIRS * PATH_N * dim, sizeof(float));
    nn_rng r;
    nn_rng_seed(&r, L->seed, 21);
    nn_sample_latent(ends, 2 * PAIRS, dim, &r);
    lesson_say(L,
               "G turns a latent vector z into an image. What does it draw between two of "
               "them? The straight path (1 - t) a + t b is the obvious one. But z comes from "
               "N(0, I) in %d dimensions, whose draws have lengths close to sqrt(%d) = %.1f: "
               "of %d draws here, 98%% had |z| between %.2f and %.2f. The middle of a straight "
               "path between two such draws is shorter, a place G never saw in training. "
               "Spherical interpolation (exercise 20, nn_slerp) follows the arc instead. "
               "The generator here is %s%s%s.",
               dim, dim, sqrt((double)dim), PRIOR_DRAWS, p01, p99,
               S->m06 ? "lesson 06's default MLP (" : "lesson 10's DCGAN (its checkpoint, "
                                                      "after lesson 10's default run",
               S->m06 ? trainrun_lesson06_source(L, TRAINRUN_LESSON06_STEPS) : "", ")");
    lesson_code(L, "paths");
    /* STEP: paths */
    for (int p = 0; p < PAIRS; p++) {
        const float *a = ends + (size_t)(2 * p) * dim, *b = a + dim;
        float *lin = paths + (size_t)(2 * p) * PATH_N * dim, *sph = lin + (size_t)PATH_N * dim;
        nn_latent_path(lin, a, b, dim, PATH_N, 0);  /* straight */
        nn_latent_path(sph, a, b, dim, PATH_N, 1);  /* the arc: nn_slerp */
    }
    /* END STEP */
    show_paths(L, G0, paths);
    latentwalk_sag sag = latentwalk_path_norms(L, paths, dim, PAIRS, PATH_N, p01, p99);
    double mid_lin = sag.mid_lin, min_sph = sag.min_sph;
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
}

/* The samples above their nearest training images, and the distances of
 * samples and of test images to the training set. */
static void show_nearest(lesson *L, const float *q, const nn_dataset *full, const int *nidx,
                         const double *dist)
{
    float *pic = lesson_alloc(L, (size_t)2 * NN_QUERIES * 784, sizeof(float));
    memcpy(pic, q, (size_t)NN_QUERIES * 784 * sizeof(float));
    nn_dataset_gather(pic + NN_QUERIES * 784, full, nidx, NN_QUERIES, NN_RANGE_PM1);
    grid(L, "nearest.png", pic, 2 * NN_QUERIES, NN_QUERIES,
         "samples (upper row) and their nearest training images (lower row)");
    lesson_print(L, "%-8s %s\n", "", "distance to the nearest training image");
    lesson_print(L, "samples ");
    for (int i = 0; i < NN_QUERIES; i++) lesson_print(L, " %6.2f", dist[i]);
    lesson_print(L, "\ntest    ");
    for (int i = 0; i < NN_QUERIES; i++) lesson_print(L, " %6.2f", dist[NN_QUERIES + i]);
    lesson_print(L, "\n");
    nn_free(pic);
}

/* n distinct indices below total into idx, drawn from r (a partial shuffle). */
static void distinct_indices(lesson *L, nn_rng *r, int *idx, int n, int total)
{
    int *all = lesson_alloc(L, (size_t)total, sizeof(int));
    for (int i = 0; i < total; i++) all[i] = i;
    for (int i = 0; i < n; i++) {
        int j = i + (int)nn_rng_below(r, (uint32_t)(total - i));
        int t = all[i];
        all[i] = all[j], all[j] = t;
        idx[i] = all[i];
    }
    nn_free(all);
}

/* What the share of samples closer than the copy line says, chosen by
 * copies_judge; --fast says it is too short to tell. */
static void say_whether_it_copies(lesson *L, const copies_summary *c, int n)
{
    copies_verdict v = copies_judge(c->close_share, n);
    lesson_say(L,
               "Distance alone does not tell a copy: a G that drew noise would be further from "
               "the training set than anything, and original. What a copy does is sit closer "
               "to a training image than new real images do. The copy line: the test images' "
               "5th percentile, %.2f (5%% of new real images come that close by definition; two "
               "images that differ by one grey level everywhere are %.2f apart). %.1f%% of the "
               "%d samples lie under it (the closest at %.2f); the medians are %.2f for the "
               "samples and %.2f for the test images. %s",
               c->line, 2.0 / 255.0 * 28.0, 100.0 * c->close_share, n, c->sample_min,
               c->sample_median, c->test_median,
               L->fast ? "A --fast run searches only its small training set with a barely "
                         "trained G: too short to tell whether G copies."
               : v == COPIES_TOO_FEW ? "Too few queries to tell."
               : v == COPIES_MORE_CLOSE
                   ? "More samples sit under the line than chance allows (5% plus 3 standard "
                     "deviations of the difference): some samples sit on training images; "
                     "look at the closest pairs."
                   : "No more samples sit under the line than the 5% of new real images, "
                     "within chance: no sign of copying at this count. Whether the samples "
                     "are good is another question (lesson 14).");
}

static void look_for_copies(lesson *L, steering *S)
{
    lesson_step(L, "Is G copying its training set?");
    const int n = L->fast ? FAST_COPY_QUERIES : COPY_QUERIES;
    lesson_say(L,
               "A generator that memorised its training images would draw them back. For "
               "%d samples, the nearest of the %d training images (Euclidean distance in "
               "pixels scaled to [-1, 1]); for comparison, the same for %d test images, "
               "which are new to the training set by construction.",
               n, L->fast ? S->ds.n : S->n_train, n);
    nn_model *G0 = S->G0;
    int dim = G0->in;
    nn_dataset test = S->test, full = S->ds;
    full.n = L->fast ? S->ds.n : S->n_train;  /* --fast searches its small set only */
    float *q = lesson_alloc(L, (size_t)2 * n * 784, sizeof(float));
    float *z = lesson_alloc(L, (size_t)n * dim, sizeof(float));
    int *tidx = lesson_alloc(L, (size_t)n, sizeof(int));
    int *nidx = lesson_alloc(L, (size_t)2 * n, sizeof(int));
    double *dist = lesson_alloc(L, (size_t)2 * n, sizeof(double));
    nn_rng r;
    nn_rng_seed(&r, L->seed, 22);
    nn_sample_latent(z, n, dim, &r);
    distinct_indices(L, &r, tidx, n, test.n);
    lesson_code(L, "nearest");
    /* STEP: nearest */
    gan_sample_images(q, G0, z, n);                               /* samples */
    nn_dataset_gather(q + (size_t)n * 784, &test, tidx, n, NN_RANGE_PM1);
    copies_nearest(L, q, 2 * n, &full, nidx, dist);               /* brute force */
    /* END STEP */
    /* The figure and the table: the first few samples and test images. */
    double shown[2 * NN_QUERIES];
    memcpy(shown, dist, NN_QUERIES * sizeof(double));
    memcpy(shown + NN_QUERIES, dist + n, NN_QUERIES * sizeof(double));
    show_nearest(L, q, &full, nidx, shown);
    copies_summary c = copies_summarise(L, dist, n);
    say_whether_it_copies(L, &c, n);
    lesson_key(L, "nearest_queries", "%d", n);
    lesson_key(L, "nearest_sample_median", "%.3f", c.sample_median);
    lesson_key(L, "nearest_test_median", "%.3f", c.test_median);
    lesson_key(L, "nearest_sample_min", "%.3f", c.sample_min);
    lesson_key(L, "nearest_copy_line", "%.3f", c.line);
    lesson_key(L, "nearest_share_under_line", "%.4f", c.close_share);
    nn_free(q);
    nn_free(z);
    nn_free(tidx);
    nn_free(nidx);
    nn_free(dist);
    if (S->m06)
        nn_gan_free(S->m06);
    else
        nn_model_free(G0);
    S->m06 = NULL;
    S->G0 = NULL;
    lesson_key(L, "step_latent_s", "%.1f", lesson_seconds() - S->t_step);
}

static void train_a_conditional_gan(lesson *L, steering *S)
{
    nn_error err = {NN_OK, ""};
    S->t_step = lesson_seconds();
    lesson_step(L, "A conditional GAN: the label to both players");
    nn_gan_arch ca = mlpgan_arch_default();
    ca.steer = NN_GAN_CONDITIONAL;
    ca.n_classes = K;
    ca.q_head = label_info > 0.0f;
    lesson_say(L,
               "Mirza and Osindero's conditional GAN gives both players the class: G reads "
               "[z, one-hot(y)] and draws an image of class y; D reads [x, one-hot(y)] and "
               "judges whether x is a real image of class y. To the optimal D, a fake of the "
               "wrong class is as wrong as a blurry one: the pair (x, y) is not one the data "
               "holds. A D being trained is not that D: it only ever sees real images with "
               "their own labels, never a real image with a wrong one, so it learns the "
               "mismatch only as far as G's wrong-class fakes teach it, and G's obedience is "
               "measured below rather than assumed. Building those rows "
               "is exercise 19 (nn_gan_condition); the training step is lesson 06's "
               "nn_gan_step, with the label as an option: it draws a class for every fake "
               "and conditions G's input and D's fake rows itself, and we condition the "
               "real rows with their own labels. Networks: lesson 06's default MLPs, %d + "
               "%d inputs for G, %d + %d for D.\n\n"
               "Two additions to it: %s; and %s. Without either (" NO_ADDITIONS_COMMAND
               ", on a fresh clone, whose judge this lesson trains itself), " NO_ADDITIONS_RESULT,
               ca.latent_dim, K, ca.data_dim, K,
               ca.q_head ? "D also gets a head that names the class, the idea of AC-GAN's "
                           "auxiliary classifier (Odena et al. 2017), built as InfoGAN's head Q "
                           "of the steps below: D's last layer has 10 more outputs that must "
                           "say which class a fake was asked for, and G is rewarded when they "
                           "can, with weight --label-info (0 gives Mirza and Osindero's plain "
                           "cGAN); unlike AC-GAN's classifier, which also learns the real "
                           "images' labels, this head learns from the fakes alone"
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
    S->cg = cg;
    S->avg = avg;
    S->Gs = avg ? avg : cg->G;
    lesson_print(L, "G %d -> %d (%zu parameters), D %d -> %d (%zu)\n", cg->G->in, cg->G->out,
                 nn_model_param_count(cg->G), cg->D->in, cg->D->out,
                 nn_model_param_count(cg->D));

    nn_loader ld;
    lesson_check(L, nn_loader_init(&ld, &S->ds, batch, 1, 1, NN_RANGE_PM1, L->seed, &err), &err);
    long per_epoch = nn_loader_batches_per_epoch(&ld);
    steered_batches *b = &S->b;   /* InfoGAN trains with them too: room for the longer run */
    steered_batches_alloc(L, b, batch,
                          per_epoch * (cgan_epochs > info_epochs ? cgan_epochs : info_epochs));
    lesson_say(L, "%d epoch%s of %ld steps; a NaN, infinite or exploding loss stops the run.",
               cgan_epochs, cgan_epochs > 1 ? "s" : "", per_epoch);
    lesson_code(L, "train");
    double t0 = lesson_seconds();
    long steps = train(L, cg, &ld, cgan_epochs, "cGAN", &b->lg, b->x, b->y, b->real, avg,
                       g_average);
    double wall = lesson_seconds() - t0;
    nn_loader_free(&ld);
    lesson_key(L, "cgan_steps", "%ld", steps);
    lesson_key(L, "cgan_train_s", "%.1f", wall);
    /* The G we sample from, for lesson 14's table of the course's generators. */
    lesson_check(L, nn_model_save(S->Gs, lesson_path(L, "cgan_G.ckpt"), &err), &err);
    trainrun_plot_pair(L, "cgan_losses", "conditional GAN: D and G loss", "loss", b->lg.d_loss,
                       "D", b->lg.g_loss, "G", b->lg.n, 0);
    if (L->fast)
        lesson_say(L, "A --fast run is too short to show a G that obeys: its grid and its "
                      "confusion matrix below are those of a barely trained G.");
}

static void one_row_per_class(lesson *L, steering *S)
{
    const nn_gan_arch ca = S->cg->arch;
    nn_model *Gs = S->Gs;
    const char *const *names = S->ds.class_names;
    lesson_step(L, "One row per class");
    lesson_say(L,
               "Ten noise vectors, one per column, each drawn once; every row asks for one "
               "class with the same ten vectors. What stays the same down a column is what z "
               "controls (the label does not): thickness, brightness, pose.");
    float *z = lesson_alloc(L, (size_t)K * ca.latent_dim, sizeof(float));
    float *rows = lesson_alloc(L, (size_t)K * K * S->cg->G->in, sizeof(float));
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

/* What the requested x recognised matrix cm says, beside the judge's own
 * confusions on the test set. */
static void say_how_well_it_obeys(lesson *L, const steering *S, const int *cm)
{
    const char *const *names = S->ds.class_names;
    condgan_obedience o = condgan_read_confusion(cm, S->judge_m, per_class);
    int worst = o.worst, top_r = o.top_r, top_c = o.top_c;
    double overall = (double)o.ok / S->n_judged;
    lesson_key(L, "cgan_accuracy", "%.4f", overall);
    lesson_key(L, "cgan_min_class_accuracy", "%.4f", (double)o.worst_acc);
    lesson_key(L, "cgan_worst_class", "%s", names[worst]);
    lesson_key(L, "cgan_top_confusion", "%s -> %s %.1f%%", names[top_r], names[top_c],
               100.0 * cm[top_r * K + top_c] / per_class);
    double g_pct = 100.0 * cm[top_r * K + top_c] / per_class;
    int tops = (top_r == 0 || top_r == 2 || top_r == 4 || top_r == 6) &&
               (top_c == 0 || top_c == 2 || top_c == 4 || top_c == 6);
    lesson_say(L,
               "The classifier recognised the requested class in %.1f%% of the %d samples; "
               "the least obeyed class is %s (%.1f%%). The largest confusion: %s asked "
               "for, %s recognised, in %.1f%% of its samples. The judge itself takes "
               "%.1f%% of real %s test images for %s: %s",
               100.0 * overall, S->n_judged, names[worst], 100.0 * o.worst_acc, names[top_r],
               names[top_c], g_pct, o.judge_same, names[top_r], names[top_c],
               condgan_who_confuses(o.judge_same, g_pct) == CONDGAN_JUDGE_COMPARABLE
                   ? (tops ? "comparable, so much of that may be the judge's own confusion: "
                             "shirts, T-shirts, pullovers and coats share a silhouette at 28 x "
                             "28, and real images of them are confused too."
                           : "comparable, so much of that may be the judge's own confusion.")
                   : "far less than G's rate (under half of it), so most of that confusion is "
                     "G's, not the judge's.");
    if (S->avg) {
        /* The same judgement of G's own weights, for the record. */
        int ok2, min2;
        condgan_judge_own_weights(L, S->cg, S->net, per_class, 24, S->want, &ok2, &min2);
        lesson_key(L, "cgan_own_weights_accuracy", "%.4f", (double)ok2 / S->n_judged);
        lesson_key(L, "cgan_own_weights_min_class_accuracy", "%.4f", (double)min2 / per_class);
        lesson_say(L, "G's own weights, not averaged, judged the same way: %.1f%% overall, "
                      "%.1f%% for its least obeyed class.",
                   100.0 * ok2 / S->n_judged, 100.0 * min2 / per_class);
    }
}

/* --save-samples: the judged samples img and their requested classes. */
static void save_judged_samples(lesson *L, const float *img, const int *want, int n)
{
    nn_error err = {NN_OK, ""};
    lesson_check(L, trainrun_write_idx(save_samples, img, n, 28, 28, &err), &err);
    char lab[600];
    snprintf(lab, sizeof lab, "%s.labels", save_samples);
    lesson_check(L, trainrun_write_idx_labels(lab, want, n, &err), &err);
    lesson_print(L, "%d samples -> %s, their requested classes -> %s\n", n, save_samples, lab);
}

static void judge_obedience(lesson *L, steering *S)
{
    nn_error err = {NN_OK, ""};
    const char *const *names = S->ds.class_names;
    lesson_step(L, "Does it obey? The lesson classifier judges");
    nn_model *net = S->net = classifier_create(256, &err);
    if (!net) lesson_check(L, err.code, &err);
    judge_get_classifier(L, net, L->fast ? &S->test : &S->ds);
    /* The judge's own confusions, on real test images: a judge that mixes up
     * shirts and T-shirts will blame G for some of its own mistakes. */
    int right = condgan_judge_test_set(L, net, &S->test, S->judge_m);
    lesson_key(L, "judge_test_accuracy", "%.4f", (double)right / S->test.n);
    int n_judged = S->n_judged = K * per_class;
    int *want = S->want = lesson_alloc(L, (size_t)n_judged, sizeof(int));
    int *got = S->got = lesson_alloc(L, (size_t)n_judged, sizeof(int));
    lesson_say(L,
               "%d samples per requested class, each labelled by the lesson classifier "
               "(the line above says where it came from; %.1f%% right on the real test "
               "set). Rows: the class asked for; columns: the class recognised, in %% of "
               "the row. The diagonal is obedience.",
               per_class, 100.0 * right / S->test.n);
    nn_gan *cg = S->cg;
    nn_model *Gs = S->Gs;
    lesson_code(L, "judge");
    /* STEP: judge */
    float *img = steered_judge_per_class(L, cg, Gs, net, per_class, 24, want, got); /* G(z, y) */
    int cm[K * K];
    nn_confusion_matrix(cm, want, got, n_judged, K, K);                 /* requested x recognised */
    /* END STEP */
    steered_show_confusion(L, cm, names, names, "requested class", "cgan_confusion",
                           "conditional GAN: requested (rows) against recognised "
                           "(columns), % of row");
    say_how_well_it_obeys(L, S, cm);
    steered_show_confusion(L, S->judge_m, names, names, "true class", "judge_confusion",
                           "the judge on real test images: true (rows) against "
                           "recognised (columns), % of row");
    if (save_samples) save_judged_samples(L, img, want, n_judged);
    nn_free(img);
    nn_model_free(S->avg);
    nn_gan_free(cg);
    S->avg = S->Gs = NULL;
    S->cg = NULL;
    lesson_key(L, "step_cgan_s", "%.1f", lesson_seconds() - S->t_step);
}

/* InfoGAN run s (seed L->seed + s): built, trained, and judged, its purity
 * and shuffled baseline into S->purity[s] and S->shuffled[s], its code
 * values against the classes recognised into S->icm. The first run shows
 * its cell. The caller frees the run. */
static nn_gan *infogan_run(lesson *L, steering *S, int s)
{
    nn_error err = {NN_OK, ""};
    nn_gan_arch ia = mlpgan_arch_default();
    ia.steer = NN_GAN_INFOGAN;
    ia.n_classes = K;
    ia.n_cont = N_CONT;
    nn_gan_config c = nn_gan_config_default();
    c.lr_g = c.lr_d = lr;
    c.batch = batch;
    c.real_label = 0.9f;
    c.info_lambda = info_lambda;
    nn_gan *ig;
    if (s == 0) lesson_code(L, "infogan");
    /* STEP: infogan */
    ig = nn_gan_create(&ia, &c, NN_INIT_NORMAL_002, L->seed + (uint64_t)s, &err);
    /* END STEP */
    if (!ig) lesson_check(L, err.code, &err);
    nn_loader ild;
    lesson_check(L, nn_loader_init(&ild, &S->ds, batch, 1, 1, NN_RANGE_PM1,
                                   L->seed + (uint64_t)s, &err), &err);
    steered_batches *b = &S->b;
    b->lg.n = 0;
    char what[40];
    snprintf(what, sizeof what, "InfoGAN seed %llu", (unsigned long long)L->seed + s);
    S->t_train = lesson_seconds();
    train(L, ig, &ild, info_epochs, what, &b->lg, b->x, b->y, NULL, NULL, 0.0f);
    nn_loader_free(&ild);
    infogan_judge_run(L, ig, S->net, per_class, L->seed + (uint64_t)s, S->want, S->got, S->icm,
                      &S->purity[s], &S->shuffled[s]);
    int best[K];
    double share[K];
    S->distinct[s] = infogan_code_classes(S->icm, best, share);
    char key[48];
    snprintf(key, sizeof key, "infogan_purity_seed%llu", (unsigned long long)L->seed + s);
    lesson_key(L, key, "%.4f", (double)S->purity[s]);
    snprintf(key, sizeof key, "infogan_classes_seed%llu", (unsigned long long)L->seed + s);
    lesson_key(L, key, "%d", S->distinct[s]);
    return ig;
}

static void infogan_codes_instead_of_labels(lesson *L, steering *S)
{
    const char *const *names = S->ds.class_names;
    S->t_step = lesson_seconds();
    lesson_step(L, "InfoGAN: codes instead of labels");
    lesson_say(L,
               "InfoGAN (Chen et al. 2016) has no labels. G reads z with a categorical code c "
               "of %d values (one-hot) and %d continuous codes uniform on [-1, 1]; nothing "
               "says what they mean. A head Q shares D's body and guesses the codes back "
               "from the image: here D's last linear layer gets %d outputs beside its logit "
               "(the paper's Q has one more hidden layer of its own). Both players also "
               "minimise the information loss, which bounds the mutual information "
               "between codes and image from below:\n"
               LESSON_MATH("I(c; G(z, c)) \\ge H(c) - L_I, \\quad L_I = -\\mathbb{E} \\log Q(c \\mid G(z, c))", "I(c; G(z, c)) >= H(c) - L_I,  L_I = -E log Q(c | G(z, c))") "\n"
               "For the categorical code L_I is a cross-entropy on Q's logits (exercise 21, "
               "nn_info_cat_loss), weight %g; for the continuous codes a squared error "
               "(a Gaussian of unit variance), weight %g. H(c) = log %d = %.3f nats. To "
               "keep c readable, G has to make the %d values look different, and the "
               "easiest differences to draw are the classes.",
               K, N_CONT, K + N_CONT, (double)info_lambda,
               (double)nn_gan_config_default().info_lambda_cont, K, log((double)K), K);
    nn_gan *ig = S->ig = infogan_run(L, S, 0);
    trainrun_log *lg = &S->b.lg;
    lesson_print(L, "trained %d epochs in %.1f s\n", info_epochs, lesson_seconds() - S->t_train);
    trainrun_plot_pair(L, "infogan_losses", "InfoGAN: D and G loss (information loss "
                       "included)", "loss", lg->d_loss, "D", lg->g_loss, "G", lg->n, 0);
    /* One row per code value, the same z and continuous codes 0 down each
     * column. */
    int dim = ig->arch.latent_dim;
    S->code_z = lesson_alloc(L, (size_t)K * dim, sizeof(float));
    nn_rng r;
    nn_rng_seed(&r, L->seed, 26);
    nn_sample_latent(S->code_z, K, dim, &r);
    float *img = infogan_code_grid(L, ig, S->code_z);
    grid(L, "infogan_codes.png", img, K * K, K, "InfoGAN: one row per value of the "
         "categorical code (0 at the top), the same z down each column");
    nn_free(img);
    lesson_print(L, "what each code value became (the judge's most common class, "
                    "and its share):\n");
    int best[K];
    double share[K];
    int distinct = infogan_code_classes(S->icm, best, share);
    const char *code_names[K];
    char cn[K][24];
    for (int k = 0; k < K; k++) {
        snprintf(cn[k], sizeof cn[k], "code %d", k);
        code_names[k] = cn[k];
        lesson_print(L, "  code %d -> %-12s %5.1f%%\n", k, names[best[k]], share[k]);
    }
    steered_show_confusion(L, S->icm, code_names, names, "code value", "infogan_confusion",
                           "InfoGAN: code value (rows) against recognised class "
                           "(columns), % of row");
    lesson_key(L, "infogan_purity", "%.4f", (double)S->purity[0]);
    lesson_key(L, "infogan_purity_shuffled", "%.4f", (double)S->shuffled[0]);
    lesson_key(L, "infogan_classes", "%d", distinct);
    lesson_say(L,
               "Purity: the share of samples whose class is the most common class of "
               "their code value. Alone it misleads: a G that draws one class under every "
               "code scores 1. Beside it, two baselines: the same samples with their "
               "codes shuffled, a code that says nothing about the class, and the number "
               "of distinct classes the code values became. This run: purity %.3f, "
               "shuffled %.3f (a gain of %+.3f); the %d code values became %d distinct "
               "classes%s.%s",
               (double)S->purity[0], (double)S->shuffled[0],
               (double)S->purity[0] - S->shuffled[0], K, distinct,
               distinct < K ? ": some classes share a code and others have none, which "
                              "purity does not punish"
                            : "",
               L->fast ? " A --fast run is too short to show codes that mean anything." : "");
}

static void a_continuous_code(lesson *L, steering *S)
{
    lesson_step(L, "A continuous code");
    lesson_say(L,
               "The first continuous code swept from -2 to 2 (training drew it from "
               "[-1, 1], so the ends extrapolate), z fixed, one row per categorical "
               "value. The paper found such codes taking width or rotation on MNIST; "
               "what this one took, if anything, is read off the rows: a change along "
               "a row that is similar in every row is the code's meaning.");
    /* The continuous code c1 swept from -2 to 2 (beyond its training range
     * [-1, 1] at both ends), one row per code value, one z. */
    float *img = infogan_cont_sweep(L, S->ig, S->code_z, PATH_N, -2.0f, 2.0f);
    grid(L, "infogan_cont.png", img, K * PATH_N, PATH_N, "InfoGAN: the first "
         "continuous code from -2 (left) to 2 (right), one row per categorical value");
    /* The measured effect: how far the mean pixel moves along the sweep. */
    double ink = infogan_ink_change(img, K, PATH_N);
    lesson_key(L, "infogan_c1_ink_change", "%.4f", ink);
    lesson_say(L, "From the left end to the right, the mean pixel (in [-1, 1], -1 "
                  "black) changed by %+.3f, averaged over the rows: %s",
               ink, fabs(ink) >= 0.05 ? "this code moves at least the amount of light "
                                        "in the image (a larger or brighter garment)."
                                      : "whatever the code took, it is not the "
                                        "amount of ink; look at the shapes.");
    nn_free(img);
    nn_gan_free(S->ig);
    S->ig = NULL;
    lesson_key(L, "step_infogan_s", "%.1f", lesson_seconds() - S->t_step);
    S->t_step = lesson_seconds();
}

/* The runs of the other seeds (a step of their own when there are any), then
 * the purity over every seed. */
static void more_infogan_seeds(lesson *L, steering *S)
{
    for (int s = 1; s < info_seeds; s++) {
        if (s == 1) {
            lesson_step(L, "InfoGAN over more seeds");
            lesson_say(L, "The same run with seeds %llu to %llu: how much of the code's "
                          "purity is the seed's luck?",
                       (unsigned long long)L->seed + 1,
                       (unsigned long long)L->seed + (unsigned long long)info_seeds - 1);
        }
        nn_gan_free(infogan_run(L, S, s));
    }
    double mean, sd, shuf, classes = 0.0;
    infogan_purity_over_seeds(S->purity, S->shuffled, info_seeds, &mean, &sd, &shuf);
    for (int s = 0; s < info_seeds; s++) classes += (double)S->distinct[s] / info_seeds;
    lesson_key(L, "infogan_purity_mean", "%.4f", mean);
    lesson_key(L, "infogan_purity_sd", "%.4f", sd);
    lesson_key(L, "infogan_shuffled_purity_mean", "%.4f", shuf);
    lesson_key(L, "infogan_classes_mean", "%.1f", classes);
    infogan_reading rd = infogan_read_code(mean, shuf, classes, K);
    lesson_say(L,
               "Over %d seed%s the categorical code's purity is %.3f on average (sample "
               "standard deviation %.3f), against %.3f with the codes shuffled; its %d values "
               "became %.1f distinct classes on average. %s",
               info_seeds, info_seeds > 1 ? "s" : "", mean, sd, shuf, K, classes,
               L->fast ? "A --fast run is too short to show what a trained InfoGAN's code "
                         "learns."
               : rd == INFOGAN_CODE_CLASSES
                   ? "Purity well above the shuffled baseline, over most classes: without a "
                     "single label, the code sorts G's images largely by class."
               : rd == INFOGAN_CODE_PARTLY
                   ? "Purity above the shuffled baseline, but by less, or over fewer classes, "
                     "than a code that names the classes: the code sorted G's images by "
                     "class only partly in these runs; more --info-epochs may help."
                   : "Purity is within 0.1 of the shuffled baseline: the code says next to "
                     "nothing about the class in these runs, whatever its purity.");
    if (info_seeds > 1) lesson_key(L, "step_infogan_seeds_s", "%.1f", lesson_seconds() - S->t_step);
}

static void steering_free(steering *S)
{
    nn_free(S->want);
    nn_free(S->got);
    nn_free(S->code_z);
    nn_model_free(S->net);
    steered_batches_free(&S->b);
    nn_dataset_free(&S->ds);
    nn_dataset_free(&S->test);
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
    steering S = {.t_start = lesson_seconds()};
    settle_flags(L);
    load_data(L, &S);

    walk_the_latent_space(L, &S);
    look_for_copies(L, &S);
    train_a_conditional_gan(L, &S);
    one_row_per_class(L, &S);
    judge_obedience(L, &S);
    infogan_codes_instead_of_labels(L, &S);
    a_continuous_code(L, &S);
    more_infogan_seeds(L, &S);

    lesson_key(L, "wall_s", "%.1f", lesson_seconds() - S.t_start);
    steering_free(&S);
    return lesson_end(L);
}
