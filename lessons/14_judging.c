/* 14_judging.c - lesson 14: how to judge a GAN, and adversarial examples.
 *
 * The course questions it answers: there is no loss that says how good a
 * GAN's samples are, so how is one judged? The Frechet distance in the
 * lesson classifier's feature space (the maths, the matrix square root, and
 * its sanity checks), precision and recall for generative models (fidelity
 * and coverage as two numbers, exercise 23) on a collapsed and a healthy
 * run, the memorisation check, a table of every generator the course has
 * trained; then the fast gradient sign method (exercise 24): how little it
 * takes to fool that classifier, and why that matters to a GAN, whose G
 * attacks the classifier D all the time.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "autoenc.h"
#include "classifier.h"
#include "judge.h"
#include "lesson.h"
#include "mlpgan.h"
#include "nn.h"
#include "quality.h"
#include "trainrun.h"

#define N_JUDGE 2000        /* images of each set the judge compares */
#define FAST_N 256
#define N_EPS 13            /* FGSM's eps: 0, 0.025, ..., 0.3 */
#define N_ATTACK 1000       /* test images attacked */
#define N_MEMO 1000         /* samples and test images in the memorisation check */
#define N_MEMO_TRAIN 10000  /* training images they are compared with */
#define MAX_ROWS 8          /* rows of the table of generators */
#define MAX_LATENT 256      /* widest latent vector or code judged */

static int classic_steps = 4700;
static int default_steps = 1500;
static int k_nn = 3;
static int removed_class = 1;
static const char *mlp_ckpt = NULL;
static const char *data_dir = NULL;
static int threads = 0;
static const lesson_flag flags[] = {
    {"classic-steps", LESSON_INT, &classic_steps, "steps of lesson 06's classic MLP GAN, "
     "trained here (5 epochs: long enough to drop classes)", 1, 100000, NULL},
    {"default-steps", LESSON_INT, &default_steps, "steps of lesson 06's default MLP GAN when "
     "lesson 06 has not run", 1, 100000, NULL},
    {"k", LESSON_INT, &k_nn, "neighbours that set each ball's radius in precision and recall "
     "(the paper: 3)", 1, 50, NULL},
    {"remove-class", LESSON_INT, &removed_class, "the class left out of the training images "
     "in the Frechet distance's sanity check", 0, 9, NULL},
    {"mlp-ckpt", LESSON_STRING, &mlp_ckpt, "a G.ckpt of lesson 06's default MLP to judge "
     "(default: lesson 06's own, when it has run)", 0, 0, NULL},
    {"data", LESSON_STRING, &data_dir, "folder of an MNIST-format data set (default: "
     "Fashion-MNIST)", 0, 0, NULL},
    {"threads", LESSON_INT, &threads, "threads for the products; 0: GANSTEPS_THREADS if set, "
     "else 2", 0, 64, NULL},
};

/* One generator's marks. */
typedef struct {
    char name[48];
    double fd;
    float precision, recall;
    int classes;            /* classes with at least 2% of the samples */
} marks;

/* The marks of n images (n, 784): features, the Frechet distance
 * to the real features (n, dim), precision, recall and classes covered. */
static void mark(lesson *L, marks *m, const char *name, nn_model *net, const float *img, int n,
                  const float *real_feat, float *feat, int *labels)
{
    nn_error err;
    snprintf(m->name, sizeof m->name, "%s", name);
    classifier_features(net, img, n, feat);
    lesson_check(L, nn_frechet_distance(&m->fd, real_feat, n, feat, n, CLASSIFIER_FEATURES,
                                        &err), &err);
    lesson_check(L, nn_precision_recall(&m->precision, &m->recall, real_feat, n, feat, n,
                                        CLASSIFIER_FEATURES, k_nn, &err), &err);
    int counts[CLASSIFIER_CLASSES];
    classifier_predict(net, img, n, labels);
    nn_class_histogram(counts, labels, n, CLASSIFIER_CLASSES);
    m->classes = 0;
    for (int c = 0; c < CLASSIFIER_CLASSES; c++) m->classes += counts[c] * 50 >= n;
}

/* path of another lesson's folder beside this one: plots/NN_name/file. */
static void beside(lesson *L, char *out, size_t cap, const char *folder, const char *file)
{
    snprintf(out, cap, "%s", L->out);
    char *slash = strrchr(out, '/');
    size_t at = slash ? (size_t)(slash + 1 - out) : 0;
    snprintf(out + at, cap - at, "%s%s%s", folder, file ? "/" : "", file ? file : "");
}

/* Lesson 06's classic MLP GAN (its settings: non-saturating loss, Adam 2e-4,
 * batch 64, no label smoothing), trained here with D's loss logged at every
 * step and the Frechet distance of 500 samples against the real features
 * real_feat (n, dim) at ten points of the run: what the losses do not tell. */
static nn_gan *train_classic(lesson *L, const nn_dataset *ds, nn_model *net,
                             const float *real_feat, int n)
{
    nn_error err;
    nn_gan_arch arch = mlpgan_arch_classic();
    nn_gan *t = mlpgan_create(&arch, NN_GAN_NONSAT, 2e-4f, 64, 1, 1.0f, L->seed, &err);
    if (!t) lesson_check(L, err.code ? err.code : NN_ERR_ARG, &err);
    int steps = L->fast ? 20 : classic_steps, every = steps / 10 > 0 ? steps / 10 : 1;
    int ns = L->fast ? 64 : 500, lat = arch.latent_dim;
    nn_loader ld;
    lesson_check(L, nn_loader_init(&ld, ds, 64, 1, 1, NN_RANGE_PM1, L->seed, &err), &err);
    float *real = lesson_alloc(L, (size_t)64 * 784, sizeof(float)),
          *dloss = lesson_alloc(L, (size_t)steps, sizeof(float));
    float *z = lesson_alloc(L, (size_t)ns * lat, sizeof(float)),
          *img = lesson_alloc(L, (size_t)ns * 784, sizeof(float));
    float *feat = lesson_alloc(L, (size_t)ns * CLASSIFIER_FEATURES, sizeof(float));
    float at[11], fds[11], dl[11];
    int np = 0;
    nn_rng r;
    nn_rng_seed(&r, L->seed, 5);
    nn_sample_latent(z, ns, lat, &r);       /* the same latent vectors at every point */
    lesson_progress pr;
    lesson_progress_start(L, &pr, "classic", steps);
    lesson_code(L, "watch");
    /* STEP: watch */
    for (int s = 0; s < steps; s++) {
        if (nn_loader_next(&ld, real, NULL) == 0) nn_loader_next(&ld, real, NULL);
        nn_gan_stats st;
        nn_gan_step(t, real, &st);
        const char *bad = trainrun_diverged(&st);
        if (bad) lesson_fail(L, LESSON_EXIT_INTERNAL, "classic GAN, step %d: %s", s + 1, bad);
        dloss[s] = st.d_loss;
        if ((s + 1) % every == 0 && np < 11) {  /* the judge, every tenth of the run */
            gan_sample_images(img, t->G, z, ns);
            classifier_features(net, img, ns, feat);
            double fd;
            lesson_check(L, nn_frechet_distance(&fd, real_feat, n, feat, ns,
                                                CLASSIFIER_FEATURES, &err), &err);
            at[np] = (float)(s + 1);
            fds[np] = (float)fd;
            dl[np++] = trainrun_tail_mean(dloss, s + 1);   /* D's loss, last 100 steps */
        }
        lesson_progress_tick(&pr, s + 1, "d_loss %.3f", (double)st.d_loss);
    }
    /* END STEP */
    lesson_progress_done(&pr);
    lesson_print(L, "%8s %10s %10s\n", "step", "D loss", "Frechet");
    for (int i = 0; i < np; i++)
        lesson_print(L, "%8.0f %10.3f %10.2f\n", (double)at[i], (double)dl[i], (double)fds[i]);
    const float *ys[1] = {fds};
    const char *names[1] = {"Frechet distance"};
    nn_plot p = {.dir = L->out, .name = "classic_fd", .title = "the classic GAN judged while "
                 "it trains", .xlabel = "step", .ylabel = "Frechet distance",
                 .term = lesson_capture_begin(L), .term_rows = 12};
    nn_status s = nn_plot_lines(&p, at, ys, names, 1, np, &err);
    lesson_capture_end(L);
    lesson_plot_shown(L, &p, s, &err, "Frechet distance during the classic GAN's run");
    {
        float *xs = lesson_alloc(L, (size_t)steps, sizeof(float)),
              *sm = lesson_alloc(L, (size_t)steps, sizeof(float));
        for (int i = 0; i < steps; i++) xs[i] = (float)(i + 1);
        trainrun_smooth(sm, dloss, steps, steps >= 1000 ? 100 : steps / 10 + 1);
        const float *ys2[2] = {dloss, sm};
        const char *names2[2] = {"D loss", "running mean"};
        nn_plot q = {.dir = L->out, .name = "classic_d_loss", .title = "the classic GAN's D "
                     "loss", .xlabel = "step", .ylabel = "loss", .term = lesson_capture_begin(L),
                     .term_rows = 12};
        s = nn_plot_lines(&q, xs, ys2, names2, 2, steps, &err);
        lesson_capture_end(L);
        lesson_plot_shown(L, &q, s, &err, "D's loss during the same run");
        nn_free(xs);
        nn_free(sm);
    }
    /* Where was the distance lowest, and did D's loss say so? */
    int best = 0;
    for (int i = 1; i < np; i++) best = fds[i] < fds[best] ? i : best;
    lesson_key(L, "watch_fd_best", "%.3f", (double)fds[best]);
    lesson_key(L, "watch_fd_best_step", "%.0f", (double)at[best]);
    lesson_key(L, "watch_fd_end", "%.3f", (double)fds[np - 1]);
    lesson_key(L, "watch_d_loss_at_best", "%.4f", (double)dl[best]);
    lesson_key(L, "watch_d_loss_end", "%.4f", (double)dl[np - 1]);
    if (L->fast)
        lesson_say(L, "(--fast: %d steps, too short to show anything of the run.)", steps);
    else if (best < np - 1 && fds[np - 1] > 1.2f * fds[best])
        lesson_say(L, "The distance was lowest at step %.0f (%.1f) and is %.1f at the end, "
                   "while D's loss went from %.3f to %.3f: %s. Nothing in the losses says "
                   "when the samples were best; the judge does.", (double)at[best],
                   (double)fds[best], (double)fds[np - 1], (double)dl[best],
                   (double)dl[np - 1], fabsf(dl[np - 1] - dl[best]) < 0.1f ?
                   "almost the same number for much worse samples" :
                   "a change that by itself says nothing of which samples are better");
    else
        lesson_say(L, "The distance fell to %.1f by the end (lowest at step %.0f), while D's "
                   "loss read %.3f there: D's loss measures the game between the two, and its "
                   "value does not rank sample sets; only the judge does.",
                   (double)fds[np - 1], (double)at[best], (double)dl[np - 1]);
    nn_free(real);
    nn_free(dloss);
    nn_free(z);
    nn_free(img);
    nn_free(feat);
    nn_loader_free(&ld);
    return t;
}

int main(int argc, char **argv)
{
    static const lesson_info info = {
        14, "judging", "Judging a GAN, and adversarial examples",
        "The Frechet distance in the lesson classifier's features and its sanity checks, "
        "precision and recall on a collapsed and a healthy run, the memorisation check, a "
        "table of the course's generators, and the fast gradient sign method against the "
        "classifier.",
        14};
    lesson *L = lesson_begin(argc, argv, &info, flags, LESSON_NFLAGS(flags));
    nn_error err = {NN_OK, ""};
    double t_start = lesson_seconds();
    lesson_use_threads(threads);
    int n = L->fast ? FAST_N : N_JUDGE;
    const int dim = CLASSIFIER_FEATURES;

    /* ------------------------------------------------------------ the judge */
    lesson_step(L, "A judge for generators");
    lesson_say(L,
               "A GAN's losses say how the two players do against each other, not how good "
               "the samples are: a D that wins can mean a bad G or a strong D. So GANs are "
               "judged from outside, by a network trained for something else. Here it is the "
               "lesson classifier of lessons 09 and 10 (a small convolutional network); its "
               "%d-unit hidden layer turns an image into %d numbers, the features every "
               "measure below compares, as FID uses the Inception network's.", dim, dim);
    nn_dataset ds, test;
    lesson_check(L, nn_dataset_load_mnist(&ds, data_dir, NN_SPLIT_TRAIN, &err), &err);
    lesson_check(L, nn_dataset_load_mnist(&test, data_dir, NN_SPLIT_TEST, &err), &err);
    if (ds.c * ds.h * ds.w != 784)
        lesson_fail(L, LESSON_EXIT_INPUT, "--data: images of %d x %d x %d; the lesson "
                    "classifier reads 1 x 28 x 28 grey images", ds.c, ds.h, ds.w);
    if (ds.n < 2 * n || test.n < n)
        lesson_fail(L, LESSON_EXIT_INPUT, "--data: %d training and %d test images; this lesson "
                    "needs %d and %d", ds.n, test.n, 2 * n, n);
    nn_model *net = classifier_create(256, &err);
    if (!net) lesson_check(L, err.code, &err);
    judge_get_classifier(L, net, L->fast ? &test : &ds);
    float acc = classifier_accuracy(net, &test);
    lesson_key(L, "classifier_test_accuracy", "%.4f", (double)acc);

    /* ------------------------------------------------------------ Frechet */
    lesson_step(L, "The Frechet distance, and its sanity checks");
    lesson_say(L,
               "Fit a Gaussian to each set of features: a mean vector mu and a %d x %d "
               "covariance S. The Frechet (2-Wasserstein) distance between two Gaussians has "
               "a closed form (Dowson and Landau 1982; FID, Heusel et al. 2017):\n\n"
               "  d^2 = |mu_1 - mu_2|^2 + tr(S_1 + S_2 - 2 (S_1 S_2)^1/2)\n\n"
               "The first term compares where the features sit, the second how they spread; "
               "the number reported, as for FID, is d^2. "
               "(S_1 S_2)^1/2 is a matrix square root: nn_frechet_distance computes it as "
               "(S_1^1/2 S_2 S_1^1/2)^1/2, every matrix symmetric, each root from an "
               "eigen-decomposition V diag(w) V^T -> V diag(sqrt w) V^T. A measure is only "
               "worth its sanity checks: two samples of the same distribution should be "
               "close, noise far, and a set missing a class should be further than one that "
               "is not. %d images each.", dim, dim, n);
    float *img = lesson_alloc(L, (size_t)n * 784, sizeof(float));
    float *f_test = lesson_alloc(L, (size_t)n * dim, sizeof(float)),
          *f_train = lesson_alloc(L, (size_t)n * dim, sizeof(float));
    float *f_other = lesson_alloc(L, (size_t)n * dim, sizeof(float));
    int *idx = malloc((size_t)(ds.n + n) * sizeof(int));
    int *labels = malloc((size_t)(n > N_ATTACK ? n : N_ATTACK) * sizeof(int));
    if (!idx || !labels) lesson_fail(L, LESSON_EXIT_INTERNAL, "out of memory");
    nn_rng r;
    double fd_train, fd_noise, fd_removed;
    const char *gone = ds.class_names ? ds.class_names[removed_class] : "one class";
    lesson_code(L, "sanity");
    /* STEP: sanity */
    for (int i = 0; i < n; i++) idx[i] = i;
    nn_dataset_gather(img, &test, idx, n, NN_RANGE_PM1);        /* real: test images */
    classifier_features(net, img, n, f_test);
    nn_dataset_gather(img, &ds, idx, n, NN_RANGE_PM1);          /* real: training images */
    classifier_features(net, img, n, f_train);
    lesson_check(L, nn_frechet_distance(&fd_train, f_test, n, f_train, n, dim, &err), &err);
    nn_rng_seed(&r, L->seed, 1);
    for (size_t i = 0; i < (size_t)n * 784; i++) img[i] = nn_rng_uniform_range(&r, -1, 1);
    classifier_features(net, img, n, f_other);                  /* uniform noise */
    lesson_check(L, nn_frechet_distance(&fd_noise, f_test, n, f_other, n, dim, &err), &err);
    int m = 0;                              /* training images from n on, one class left out */
    for (int i = n; i < ds.n && m < n; i++)
        if (ds.labels[i] != removed_class) idx[m++] = i;
    nn_dataset_gather(img, &ds, idx, m, NN_RANGE_PM1);
    classifier_features(net, img, m, f_other);
    lesson_check(L, nn_frechet_distance(&fd_removed, f_test, n, f_other, m, dim, &err), &err);
    /* END STEP */
    lesson_print(L, "test against train %.3f; against uniform noise %.1f (%.3f%% of it); "
                 "against train without class %d (%s) %.3f\n", fd_train, fd_noise,
                 100.0 * fd_train / fd_noise, removed_class, gone, fd_removed);
    lesson_key(L, "fd_real_vs_train", "%.4f", fd_train);
    lesson_key(L, "fd_real_vs_noise", "%.3f", fd_noise);
    lesson_key(L, "fd_class_removed", "%.4f", fd_removed);
    {
        /* The features of this run, for tests/reference/frechet_features.py. */
        FILE *ff = fopen(lesson_path(L, "features_test_train.f32"), "wb");
        if (!ff || fwrite(f_test, sizeof(float), (size_t)n * dim, ff) != (size_t)n * dim ||
            fwrite(f_train, sizeof(float), (size_t)n * dim, ff) != (size_t)n * dim)
            lesson_fail(L, LESSON_EXIT_INTERNAL, "cannot write %s",
                        lesson_path(L, "features_test_train.f32"));
        fclose(ff);
        lesson_print(L, "features: %s (%d test rows, then %d training rows, %d float32 each; "
                     "tests/reference/frechet_features.py recomputes the distance with "
                     "NumPy)\n", lesson_path(L, "features_test_train.f32"), n, n, dim);
    }
    int sane = fd_train < 0.01 * fd_noise && fd_removed > fd_train;
    if (sane)
        lesson_say(L, "Two samples of real images are %.2f apart, %.3f%% of noise's %.0f, and "
                   "leaving out %s raises the distance %.1f-fold: the measure sees both a "
                   "wrong kind of image and a missing kind. It has a floor, though: %.2f "
                   "between two real sets of %d, because a %d x %d covariance estimated from "
                   "%d points is noisy. Compare distances at the same n, and against that "
                   "floor.", fd_train, 100.0 * fd_train / fd_noise, fd_noise, gone,
                   fd_removed / fd_train, fd_train, n, dim, dim, n);
    else
        lesson_say(L, "A sanity check fails in this run (real %.3f, noise %.1f, a class removed "
                   "%.3f): %s", fd_train, fd_noise, fd_removed,
                   L->fast ? "a --fast run's classifier trains one epoch on 10000 images, too "
                   "little to make a good judge. Run without --fast."
                           : "is the classifier trained? Its test accuracy is above.");

    /* ------------------------------------------------------------ precision, recall */
    lesson_step(L, "Precision and recall: fidelity and coverage");
    lesson_say(L,
               "One number mixes two failures: samples that do not look real, and real "
               "images no sample looks like (mode collapse). Kynkaanniemi et al. (2019) "
               "separate them. Around each real feature vector put a ball reaching its "
               "%d-th nearest real neighbour: precision is the share of samples inside some "
               "real ball. Do the same with balls around the samples: recall is the share of "
               "real images inside some sample ball. The one function behind both is "
               "exercise 23 (nn_knn_precision); nn_precision_recall calls it both ways "
               "round. The collapsed run: lesson 06's classic GAN, trained here %d steps "
               "(lesson 09 shows it dropping classes) and judged by the Frechet distance at "
               "ten points of its run, beside D's loss, which is all a training run shows "
               "without a judge. The healthy one: lesson 06's default (its checkpoint when "
               "lesson 06 has run, else trained here %d steps).",
               k_nn, L->fast ? 20 : classic_steps, L->fast ? 5 : default_steps);
    marks rows[MAX_ROWS];
    int nrows = 0;
    float *f_fake = lesson_alloc(L, (size_t)n * dim, sizeof(float));
    /* The floor: n other real training images judged like a generator's samples. */
    for (int i = 0; i < n; i++) idx[i] = n + i;
    nn_dataset_gather(img, &ds, idx, n, NN_RANGE_PM1);
    mark(L, &rows[nrows++], "real training images (floor)", net, img, n, f_test, f_fake,
          labels);
    nn_gan *classic = train_classic(L, &ds, net, f_test, n);
    nn_gan *healthy = trainrun_mlp_from_lesson06(L, "default", mlp_ckpt, default_steps, &ds);
    /* Latent vectors and codes of every generator judged: up to MAX_LATENT each. */
    float *z = lesson_alloc(L, (size_t)n * MAX_LATENT, sizeof(float));
    float *img_healthy = lesson_alloc(L, (size_t)n * 784, sizeof(float));
    int lat = healthy->arch.latent_dim;
    if (lat > MAX_LATENT) lesson_fail(L, LESSON_EXIT_INTERNAL, "latent dim %d > %d", lat, MAX_LATENT);
    nn_rng_seed(&r, L->seed, 2);
    lesson_code(L, "pr");
    /* STEP: pr */
    nn_sample_latent(z, n, lat, &r);
    gan_sample_images(img, classic->G, z, n);
    mark(L, &rows[nrows++], "06 classic (collapsed)", net, img, n, f_test, f_fake, labels);
    gan_sample_images(img_healthy, healthy->G, z, n);
    mark(L, &rows[nrows++], "06 default (healthy)", net, img_healthy, n, f_test, f_fake,
          labels);
    /* END STEP */
    const marks *mc = &rows[1], *mh = &rows[2];
    lesson_print(L, "collapsed: precision %.3f, recall %.3f; healthy: precision %.3f, recall "
                 "%.3f\n", (double)mc->precision, (double)mc->recall, (double)mh->precision,
                 (double)mh->recall);
    lesson_key(L, "precision_collapsed", "%.4f", (double)mc->precision);
    lesson_key(L, "recall_collapsed", "%.4f", (double)mc->recall);
    lesson_key(L, "precision_healthy", "%.4f", (double)mh->precision);
    lesson_key(L, "recall_healthy", "%.4f", (double)mh->recall);
    if (L->fast)
        lesson_say(L, "A --fast run trains each GAN a few steps: far too short to show "
                   "collapse or health. Run without --fast.");
    else if (mh->recall - mc->recall >= 0.2f)
        lesson_say(L, "The collapsed run's recall is %.2f against the healthy run's %.2f: "
                   "most real images have no sample of the collapsed GAN near them (it draws "
                   "%d classes of 10, the healthy one %d). Its precision, %.2f, says what its "
                   "samples look like, which is a separate question: that is why two numbers.",
                   (double)mc->recall, (double)mh->recall, mc->classes, mh->classes,
                   (double)mc->precision);
    else
        lesson_say(L, "In this run the collapsed GAN's recall (%.2f) is not clearly below the "
                   "healthy one's (%.2f): it has not collapsed far in %d steps (%d classes of "
                   "10). More --classic-steps, or another --seed.", (double)mc->recall,
                   (double)mh->recall, classic_steps, mc->classes);

    /* ------------------------------------------------------------ table */
    lesson_step(L, "Every generator of the course, judged");
    {
        /* Lesson 13's autoencoder, decoding random codes, when it has run. */
        char dir13[700];
        beside(L, dir13, sizeof dir13, "13_autoencoder", NULL);
        autoenc ae;
        char probe[760];
        snprintf(probe, sizeof probe, "%s/dec.ckpt", dir13);
        const char *why = L->fast ? "not read by a --fast run"
                          : access(probe, F_OK) != 0 ? "no checkpoint in its folder (run lesson 13)"
                                                     : NULL;
        memset(&ae, 0, sizeof ae);
        if (!why && !autoenc_create(&ae, 32, 256, L->seed, &err)) lesson_check(L, err.code, &err);
        /* A damaged checkpoint fails the lesson; one of another --code is passed over. */
        if (!why && autoenc_load(&ae, dir13, &err) != NN_OK) {
            if (err.code != NN_ERR_SHAPE) lesson_check(L, err.code, &err);
            why = "its checkpoint has another --code than the default 32: passed over";
        }
        if (!why) {
            int nf = N_MEMO_TRAIN < ds.n ? N_MEMO_TRAIN : ds.n;
            float *fit = lesson_alloc(L, (size_t)nf * 784, sizeof(float)),
                  *codes = lesson_alloc(L, (size_t)nf * 32, sizeof(float));
            for (int i = 0; i < nf; i++) idx[i] = i;
            nn_dataset_gather(fit, &ds, idx, nf, NN_RANGE_PM1);
            autoenc_encode(&ae, fit, nf, codes);
            nn_rng_seed(&r, L->seed, 3);
            autoenc_random_codes(z, n, codes, nf, 32, &r);
            autoenc_decode(&ae, z, n, img);
            mark(L, &rows[nrows++], "13 autoencoder", net, img, n, f_test, f_fake, labels);
            nn_free(fit);
            nn_free(codes);
        } else {
            lesson_print(L, "lesson 13's autoencoder: %s\n", why);
        }
        autoenc_free(&ae);
        /* Lesson 10's DCGAN, when it has run with its default widths. */
        char ck10[700];
        beside(L, ck10, sizeof ck10, "10_dcgan", "G.ckpt");
        nn_dcgan_arch a = nn_dcgan_arch_default();
        a.g_channels = 64;
        a.d_channels = 32;
        why = L->fast ? "not read by a --fast run"
              : access(ck10, F_OK) != 0 ? "no checkpoint in its folder (run lesson 10)" : NULL;
        nn_model *G10 = NULL;
        if (!why && (a.latent_dim > MAX_LATENT || !(G10 = nn_dcgan_generator(&a, 256, &err))))
            lesson_fail(L, LESSON_EXIT_INTERNAL, "the DCGAN's generator: %s", err.msg);
        if (!why && nn_model_load(G10, ck10, &err) != NN_OK) {
            if (err.code != NN_ERR_SHAPE) lesson_check(L, err.code, &err);
            why = "its checkpoint has other widths than the default: passed over";
        }
        if (!why) {
            nn_rng_seed(&r, L->seed, 4);
            nn_sample_latent(z, n, a.latent_dim, &r);
            gan_sample_images(img, G10, z, n);
            mark(L, &rows[nrows++], "10 DCGAN", net, img, n, f_test, f_fake, labels);
        } else {
            lesson_print(L, "lesson 10's DCGAN: %s\n", why);
        }
        nn_model_free(G10);
        /* Lesson 11's WGAN-GP (lesson 06's default G, trained as a critic's
         * generator) and lesson 12's conditional G (asked for each class in
         * turn), when they have run. */
        for (int k = 0; k < 2; k++) {
            char ck[700];
            beside(L, ck, sizeof ck, k == 0 ? "11_wasserstein" : "12_steering",
                   k == 0 ? "wgan_gp_G.ckpt" : "cgan_G.ckpt");
            nn_gan_arch ga = mlpgan_arch_default();
            if (k == 1) {
                ga.steer = NN_GAN_CONDITIONAL;
                ga.n_classes = CLASSIFIER_CLASSES;
            }
            why = L->fast ? "not read by a --fast run"
                  : access(ck, F_OK) != 0 ? "no checkpoint in its folder" : NULL;
            nn_gan_config gc = nn_gan_config_default();
            nn_gan *t = why ? NULL : nn_gan_create(&ga, &gc, NN_INIT_NORMAL_002, L->seed, &err);
            if (!why && !t) lesson_check(L, err.code, &err);
            if (!why && nn_model_load(t->G, ck, &err) != NN_OK) {
                if (err.code != NN_ERR_SHAPE) lesson_check(L, err.code, &err);
                why = "its checkpoint is of another architecture: passed over";
            }
            if (!why) {
                int zdim = ga.latent_dim, gin = nn_gan_g_in(&ga);
                if (gin > MAX_LATENT)
                    lesson_fail(L, LESSON_EXIT_INTERNAL, "G's input %d > %d", gin, MAX_LATENT);
                nn_rng_seed(&r, L->seed, 5 + (uint64_t)k);
                nn_sample_latent(z, n, zdim, &r);
                if (k == 1) {
                    /* [z, one-hot(y)] rows (exercise 19), each class in turn. */
                    int *y = lesson_alloc(L, (size_t)n, sizeof(int));
                    float *rows_in = lesson_alloc(L, (size_t)n * gin, sizeof(float));
                    for (int i = 0; i < n; i++) y[i] = i % CLASSIFIER_CLASSES;
                    nn_gan_condition(rows_in, z, y, n, zdim, CLASSIFIER_CLASSES);
                    memcpy(z, rows_in, (size_t)n * gin * sizeof(float));
                    nn_free(rows_in);
                    nn_free(y);
                }
                gan_sample_images(img, t->G, z, n);
                mark(L, &rows[nrows++], k == 0 ? "11 WGAN-GP" : "12 conditional (every class)",
                     net, img, n, f_test, f_fake, labels);
            } else {
                lesson_print(L, "lesson %s: %s\n", k == 0 ? "11's WGAN-GP" : "12's conditional G",
                             why);
            }
            nn_gan_free(t);
        }
    }
    lesson_say(L, "Each generator's %d samples against %d real test images: the Frechet "
               "distance (lower is better), precision, recall (higher is better) and the "
               "classes that get at least 2%% of the samples by the classifier's labels. The "
               "first row is real training images judged the same way: the best any generator "
               "can do at this n.", n, n);
    {
        FILE *f = lesson_capture_begin(L);
        fprintf(f, "%-30s %9s %9s %7s %7s\n", "generator", "Frechet", "precision", "recall",
                "classes");
        for (int i = 0; i < nrows; i++)
            fprintf(f, "%-30s %9.2f %9.3f %7.3f %7d\n", rows[i].name, rows[i].fd,
                    (double)rows[i].precision, (double)rows[i].recall, rows[i].classes);
        lesson_capture_end(L);
        FILE *tsv = fopen(lesson_path(L, "generators.tsv"), "w");
        if (!tsv) lesson_fail(L, LESSON_EXIT_INTERNAL, "cannot write generators.tsv");
        fprintf(tsv, "generator\tfrechet\tprecision\trecall\tclasses\n");
        for (int i = 0; i < nrows; i++)
            fprintf(tsv, "%s\t%.4f\t%.4f\t%.4f\t%d\n", rows[i].name, rows[i].fd,
                    (double)rows[i].precision, (double)rows[i].recall, rows[i].classes);
        fclose(tsv);
    }
    lesson_key(L, "fd_floor", "%.4f", rows[0].fd);
    lesson_key(L, "fd_classic", "%.4f", mc->fd);
    lesson_key(L, "fd_default", "%.4f", mh->fd);

    /* ------------------------------------------------------------ memorisation */
    lesson_step(L, "Has it memorised the training set?");
    int nm = L->fast ? FAST_N : N_MEMO, nt = L->fast ? 2 * FAST_N : N_MEMO_TRAIN;
    if (nt > ds.n) nt = ds.n;
    lesson_say(L,
               "A generator that copies its training images would score well on everything "
               "above. The check: each sample's nearest training image in feature space (%d "
               "training images), and the same distance for real test images, which the "
               "GAN never saw. A copying generator's samples sit much closer to the training "
               "set than test images do.", nt);
    float *f_tr = lesson_alloc(L, (size_t)nt * dim, sizeof(float)),
          *trimg = lesson_alloc(L, (size_t)nt * 784, sizeof(float));
    float *d_fake = lesson_alloc(L, (size_t)nm, sizeof(float)),
          *d_test = lesson_alloc(L, (size_t)nm, sizeof(float));
    int *near = malloc((size_t)nm * sizeof(int));
    if (!near) lesson_fail(L, LESSON_EXIT_INTERNAL, "out of memory");
    for (int i = 0; i < nt; i++) idx[i] = i;
    nn_dataset_gather(trimg, &ds, idx, nt, NN_RANGE_PM1);
    classifier_features(net, trimg, nt, f_tr);
    classifier_features(net, img_healthy, nm, f_fake);
    lesson_code(L, "memo");
    /* STEP: memo */
    quality_nearest(near, d_fake, f_fake, nm, f_tr, nt, dim);   /* samples -> train */
    quality_nearest(NULL, d_test, f_test, nm, f_tr, nt, dim);   /* test images -> train */
    /* END STEP */
    double mf = 0.0, mt = 0.0;
    for (int i = 0; i < nm; i++) {
        mf += d_fake[i];
        mt += d_test[i];
    }
    mf /= nm;
    mt /= nm;
    lesson_print(L, "mean distance to the nearest training image: samples %.3f, test images "
                 "%.3f\n", mf, mt);
    lesson_key(L, "memo_dist_samples", "%.4f", mf);
    lesson_key(L, "memo_dist_test", "%.4f", mt);
    {
        /* Two histograms in one figure: the same bins for both. */
        float lo = d_fake[0], hi = d_fake[0];
        for (int i = 0; i < nm; i++) {
            lo = fminf(lo, fminf(d_fake[i], d_test[i]));
            hi = fmaxf(hi, fmaxf(d_fake[i], d_test[i]));
        }
        enum { BINS = 30 };
        float xs[BINS], hf[BINS] = {0}, ht[BINS] = {0};
        float wdt = (hi - lo) / BINS + 1e-12f;
        for (int b = 0; b < BINS; b++) xs[b] = lo + (b + 0.5f) * wdt;
        for (int i = 0; i < nm; i++) {
            int bf = (int)((d_fake[i] - lo) / wdt), bt = (int)((d_test[i] - lo) / wdt);
            hf[bf < BINS ? bf : BINS - 1] += 1;
            ht[bt < BINS ? bt : BINS - 1] += 1;
        }
        const float *ys[2] = {hf, ht};
        const char *names[2] = {"GAN samples", "real test images"};
        nn_plot p = {.dir = L->out, .name = "memorisation", .title = "distance to the nearest "
                     "training image (features)", .xlabel = "distance", .ylabel = "images",
                     .term = lesson_capture_begin(L), .term_rows = 14};
        nn_status s = nn_plot_lines(&p, xs, ys, names, 2, BINS, &err);
        lesson_capture_end(L);
        lesson_plot_shown(L, &p, s, &err, "nearest-training-image distances");
        float pairs[16 * 784];
        for (int i = 0; i < 8; i++) {
            memcpy(pairs + i * 784, img_healthy + (size_t)i * 784, 784 * sizeof(float));
            memcpy(pairs + (8 + i) * 784, trimg + (size_t)near[i] * 784, 784 * sizeof(float));
        }
        nn_grid_opts o = nn_grid_defaults(-1.0f, 1.0f);
        o.cols = 8;
        o.scale = 3;
        lesson_check(L, nn_image_write_grid(lesson_path(L, "nearest_training.png"), pairs, 16, 1,
                                            28, 28, &o, &err), &err);
        lesson_figure(L, "nearest_training.png", "8 samples (top) and their nearest training "
                      "images (by features)");
    }
    if (L->fast)
        lesson_say(L, "(--fast: the GAN has trained 5 steps; there is nothing to memorise "
                   "yet.)");
    else if (mf >= 0.8 * mt)
        lesson_say(L, "The samples are no closer to the training set than unseen test images "
                   "(%.2f against %.2f on average): no sign of copying.", mf, mt);
    else
        lesson_say(L, "The samples sit closer to the training images than test images do "
                   "(%.2f against %.2f): look at the pairs above for copies.", mf, mt);

    /* ------------------------------------------------------------ FGSM */
    lesson_step(L, "Adversarial examples: the fast gradient sign method");
    int na = L->fast ? FAST_N : N_ATTACK;
    lesson_say(L,
               "The same backward pass that gives G its gradient through D gives the "
               "gradient of a classifier's loss with respect to its input pixels. Goodfellow, "
               "Shlens and Szegedy (2015) push every pixel by the same small eps in the "
               "direction of that gradient's sign (exercise 24, nn_fgsm_step):\n\n"
               "  x' = clip(x + eps sign(grad_x loss(x, y)), 0, 1)\n\n"
               "eps is in units of the [0, 1] pixel range (the lesson's pixels are in [-1, 1], "
               "so they move by 2 eps). The classifier's accuracy on %d test images, eps from "
               "0 to 0.3:", na);
    float *x = lesson_alloc(L, (size_t)na * 784, sizeof(float)),
          *xa = lesson_alloc(L, (size_t)na * 784, sizeof(float));
    int *pred = malloc((size_t)na * sizeof(int));
    if (!pred) lesson_fail(L, LESSON_EXIT_INTERNAL, "out of memory");
    for (int i = 0; i < na; i++) idx[i] = i;
    nn_dataset_gather(x, &test, idx, na, NN_RANGE_PM1);
    for (int i = 0; i < na; i++) labels[i] = test.labels[i];
    float eps[N_EPS], accs[N_EPS];
    lesson_code(L, "fgsm");
    /* STEP: fgsm */
    for (int e = 0; e < N_EPS; e++) {
        eps[e] = 0.025f * (float)e;
        quality_fgsm(net, xa, x, labels, na, eps[e]);
        classifier_predict(net, xa, na, pred);
        int right = 0;
        for (int i = 0; i < na; i++) right += pred[i] == labels[i];
        accs[e] = (float)right / (float)na;
    }
    /* END STEP */
    int at_min = 0, first_below = -1;
    for (int e = 0; e < N_EPS; e++) {
        lesson_print(L, "eps %.3f  accuracy %.3f\n", (double)eps[e], (double)accs[e]);
        if (accs[e] < accs[at_min]) at_min = e;
        if (first_below < 0 && accs[e] < 0.2f) first_below = e;
    }
    lesson_key(L, "fgsm_acc_clean", "%.4f", (double)accs[0]);
    lesson_key(L, "fgsm_acc_min", "%.4f", (double)accs[at_min]);
    lesson_key(L, "fgsm_eps_at_min", "%.3f", (double)eps[at_min]);
    if (first_below >= 0) lesson_key(L, "fgsm_eps_below_20pct", "%.3f", (double)eps[first_below]);
    {
        nn_plot p = {.dir = L->out, .name = "fgsm_accuracy", .title = "classifier accuracy "
                     "under FGSM", .xlabel = "eps (in [0, 1] pixel units)",
                     .ylabel = "accuracy", .term = lesson_capture_begin(L), .term_rows = 14};
        const float *ys[1] = {accs};
        const char *names[1] = {"accuracy"};
        nn_status s = nn_plot_lines(&p, eps, ys, names, 1, N_EPS, &err);
        lesson_capture_end(L);
        lesson_plot_shown(L, &p, s, &err, "accuracy against eps");
        /* Originals, perturbations (x' - x, grey is 0) and adversarial images
         * at the first eps that brings the accuracy below 20% (else the
         * largest), 8 of each. */
        int e = first_below >= 0 ? first_below : N_EPS - 1;
        quality_fgsm(net, xa, x, labels, 8, eps[e]);
        classifier_predict(net, xa, 8, pred);
        float grid[24 * 784];
        for (int i = 0; i < 8 * 784; i++) {
            grid[i] = x[i];
            grid[8 * 784 + i] = (xa[i] - x[i]) / (2.0f * eps[e] + 1e-12f);
            grid[16 * 784 + i] = xa[i];
        }
        nn_grid_opts o = nn_grid_defaults(-1.0f, 1.0f);
        o.cols = 8;
        o.scale = 3;
        lesson_check(L, nn_image_write_grid(lesson_path(L, "fgsm_examples.png"), grid, 24, 1, 28,
                                            28, &o, &err), &err);
        char cap[96];
        snprintf(cap, sizeof cap, "originals, perturbations (sign, scaled) and adversarial "
                 "images, eps %.3f", (double)eps[e]);
        lesson_figure(L, "fgsm_examples.png", cap);
        const char *const *cn = test.class_names;
        int orig[8];
        classifier_predict(net, x, 8, orig);
        for (int i = 0; i < 8; i++)
            lesson_print(L, "image %d: true %-12s classified %-12s after the attack %s\n", i + 1,
                         cn ? cn[labels[i]] : "?", cn ? cn[orig[i]] : "?",
                         cn ? cn[pred[i]] : "?");
    }
    if (first_below >= 0 && eps[first_below] <= 0.25f)
        lesson_say(L, "At eps %.3f (every pixel moved by at most %.1f%% of its range) the "
                   "classifier that got %.1f%% of clean test images right gets %.1f%%; at eps "
                   "%.3f, %.1f%%, though to a person the images still show what they showed. For a "
                   "GAN this is the everyday situation, not an attack: G is trained on exactly "
                   "this gradient, of D's verdict with respect to its input, and moves its "
                   "images wherever D can be fooled. D has to keep learning so that what "
                   "fools it is what real images look like; and a GAN is judged by a network "
                   "G never trained against, as in this lesson.",
                   (double)eps[first_below], 100.0 * eps[first_below],
                   100.0 * (double)accs[0], 100.0 * (double)accs[first_below],
                   (double)eps[at_min], 100.0 * (double)accs[at_min]);
    else
        lesson_say(L, "In this run the accuracy stays at or above 20%% up to eps 0.25 (lowest "
                   "%.1f%% at eps %.3f)%s", 100.0 * (double)accs[at_min], (double)eps[at_min],
                   L->fast ? ": a --fast run's classifier is too weak a target to show it. Run "
                   "without --fast." : ".");
    lesson_key(L, "wall_s", "%.1f", lesson_seconds() - t_start);

    free(pred);
    nn_free(x);
    nn_free(xa);
    free(near);
    nn_free(d_fake);
    nn_free(d_test);
    nn_free(f_tr);
    nn_free(trimg);
    nn_free(img_healthy);
    nn_free(z);
    nn_gan_free(classic);
    nn_gan_free(healthy);
    nn_free(f_fake);
    nn_free(img);
    nn_free(f_test);
    nn_free(f_train);
    nn_free(f_other);
    free(idx);
    free(labels);
    nn_model_free(net);
    nn_dataset_free(&test);
    nn_dataset_free(&ds);
    return lesson_end(L);
}
