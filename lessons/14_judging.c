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

#include "classifier.h"
#include "copies.h"
#include "fdwatch.h"
#include "fgsmsweep.h"
#include "gentable.h"
#include "judge.h"
#include "lesson.h"
#include "memocheck.h"
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

static int classic_steps = 4700;
static int default_steps = TRAINRUN_LESSON06_STEPS;
static int k_nn = 3;
static int removed_class = 1;
static const char *mlp_ckpt = NULL;
static const char *data_dir = NULL;
static int threads = 0;
static const lesson_flag flags[] = {
    {"classic-steps", LESSON_INT, &classic_steps, "steps of lesson 06's classic MLP GAN, "
     "trained here (5 epochs: long enough to drop classes)", 1, 100000, NULL},
    {"default-steps", LESSON_INT, &default_steps, "steps of lesson 06's default MLP GAN when "
     "lesson 06 has not run (its own run: 8 epochs)", 1, 100000, NULL},
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

/* What the steps share: the data, the judge, the healthy GAN's samples and
 * the table of generators, filled in step by step. */
typedef struct {
    nn_dataset ds, test;
    nn_model *net;              /* the lesson classifier: the judge */
    int n;                      /* images of each set the judge compares */
    float *f_test;              /* (n, CLASSIFIER_FEATURES) the first n test images' features */
    float *img_healthy;         /* (n, 784) the healthy GAN's samples */
    gentable_row rows[GENTABLE_MAX_ROWS];
    int nrows;
} judging;

/* One generator's row of the table (gentable.h), with --k neighbours. */
static void mark(lesson *L, gentable_row *m, const char *name, nn_model *net, const float *img,
                 int n, const float *real_feat, float *feat, int *labels)
{
    gentable_mark(L, m, name, net, img, n, real_feat, feat, labels, k_nn);
}

/* Lesson 06's classic MLP GAN (its settings: non-saturating loss, Adam 2e-4,
 * batch 64, no label smoothing), trained here with D's loss logged at every
 * step and the Frechet distance of 500 samples against the real features
 * real_feat (n, dim) at ten points of the run: what the losses do not tell
 * (fdwatch.h shows the two side by side). */
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
    int best = fdwatch_report(L, at, fds, dl, np, dloss, steps);
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

/* ------------------------------------------------------------ the judge */

/* The data set suits the classifier and holds the images the measures
 * compare: checked before the first step writes anything. */
static void check_the_data(lesson *L, const judging *J)
{
    const lesson_data_shape *train = lesson_data(L, 0), *test = lesson_data(L, 1);
    if (train->c * train->h * train->w != 784)
        lesson_fail(L, LESSON_EXIT_INPUT, "--data: images of %d x %d x %d; the lesson "
                    "classifier reads 1 x 28 x 28 grey images", train->c, train->h, train->w);
    if (train->n < 2 * J->n || test->n < J->n)
        lesson_fail(L, LESSON_EXIT_INPUT, "--data: %d training and %d test images; this lesson "
                    "needs %d and %d", train->n, test->n, 2 * J->n, J->n);
}

static void introduce_the_judge(lesson *L, judging *J)
{
    nn_error err = {NN_OK, ""};
    int n = J->n;
    const int dim = CLASSIFIER_FEATURES;
    lesson_step(L, "A judge for generators");
    lesson_say(L,
               "A GAN's losses say how the two players do against each other, not how good "
               "the samples are: a D that wins can mean a bad G or a strong D. So GANs are "
               "judged from outside, by a network trained for something else. Here it is the "
               "lesson classifier of lessons 09 and 10 (a small convolutional network); its "
               "%d-unit hidden layer turns an image into %d numbers, the features every "
               "measure below compares, as FID uses the Inception network's. The numbers "
               "are therefore not comparable with published FIDs, which use the Inception "
               "network's 2048 features and 10,000 samples or more: this lesson compares "
               "%d features of %d samples, and such distances only rank generators judged "
               "the same way.", dim, dim, dim, n);
    lesson_check(L, nn_dataset_load_mnist(&J->ds, data_dir, NN_SPLIT_TRAIN, &err), &err);
    lesson_check(L, nn_dataset_load_mnist(&J->test, data_dir, NN_SPLIT_TEST, &err), &err);
    const nn_dataset *ds = &J->ds, *test = &J->test; /* sizes checked by check_the_data */
    J->net = classifier_create(256, &err);
    if (!J->net) lesson_check(L, err.code, &err);
    judge_get_classifier(L, J->net, L->fast ? test : ds);
    float acc = classifier_accuracy(J->net, test);
    lesson_key(L, "classifier_test_accuracy", "%.4f", (double)acc);
}

/* ------------------------------------------------------------ Frechet */

static void check_the_frechet_distance(lesson *L, judging *J)
{
    nn_error err = {NN_OK, ""};
    int n = J->n;
    const int dim = CLASSIFIER_FEATURES;
    const nn_dataset ds = J->ds, test = J->test;    /* the sets' handles, read only */
    nn_model *net = J->net;
    lesson_step(L, "The Frechet distance, and its sanity checks");
    lesson_say(L,
               "Fit a Gaussian to each set of features: a mean vector mu and a %d x %d "
               "covariance S. The Frechet (2-Wasserstein) distance between two Gaussians has "
               "a closed form (Dowson and Landau 1982; FID, Heusel et al. 2017):\n\n"
               LESSON_MATH("d^2 = \\|\\mu_1 - \\mu_2\\|^2 + \\operatorname{tr}\\left(\\Sigma_1 + \\Sigma_2 - 2\\,(\\Sigma_1 \\Sigma_2)^{1/2}\\right)", "d^2 = |mu_1 - mu_2|^2 + tr(S_1 + S_2 - 2 (S_1 S_2)^1/2)") "\n\n"
               "The first term compares where the features sit, the second how they spread; "
               "the number reported, as for FID, is d^2. "
               "(S_1 S_2)^1/2 is a matrix square root, of a matrix that is not symmetric. "
               "nn_frechet_distance takes instead the root of S_1^1/2 S_2 S_1^1/2, which is "
               "symmetric: a different matrix, but similar to S_1 S_2 (S_1^-1/2 (S_1 S_2) "
               "S_1^1/2 = S_1^1/2 S_2 S_1^1/2), so the two roots have the same eigenvalues "
               "and the same trace, and the trace is all d^2 needs. Each root comes from an "
               "eigen-decomposition V diag(w) V^T -> V diag(sqrt w) V^T. A measure is only "
               "worth its sanity checks: two samples of the same distribution should be "
               "close, noise far, and a set missing a class should be further than one that "
               "is not. %d images each.", dim, dim, n);
    float *img = lesson_alloc(L, (size_t)n * 784, sizeof(float));
    float *f_test = J->f_test = lesson_alloc(L, (size_t)n * dim, sizeof(float)),
          *f_train = lesson_alloc(L, (size_t)n * dim, sizeof(float));
    float *f_other = lesson_alloc(L, (size_t)n * dim, sizeof(float));
    int *idx = lesson_alloc(L, (size_t)n, sizeof(int));
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
    nn_free(img);
    nn_free(f_train);
    nn_free(f_other);
    nn_free(idx);
}

/* ------------------------------------------------------------ precision, recall */

static void measure_precision_and_recall(lesson *L, judging *J)
{
    int n = J->n;
    const int dim = CLASSIFIER_FEATURES;
    nn_model *net = J->net;
    const float *f_test = J->f_test;
    lesson_step(L, "Precision and recall: fidelity and coverage");
    lesson_say(L,
               "One number mixes two failures: samples that do not look real, and real "
               "images no sample looks like (mode collapse). Kynkaanniemi et al. (2019) "
               "separate them. Around each real feature vector put a ball reaching its "
               "%d%s nearest real neighbour: precision is the share of samples inside some "
               "real ball. Do the same with balls around the samples: recall is the share of "
               "real images inside some sample ball. The one function behind both is "
               "exercise 23 (nn_knn_precision); nn_precision_recall calls it both ways "
               "round. The collapsed run: lesson 06's classic GAN, trained here %d steps "
               "(lesson 09 shows it dropping classes) and judged by the Frechet distance at "
               "ten points of its run, beside D's loss, which is all a training run shows "
               "without a judge. The healthy one: lesson 06's default (%s). Both are "
               "measured against a floor: %d other real training images judged like a "
               "generator's samples, what a perfect generator scores on average.",
               k_nn, quality_ordinal(k_nn), L->fast ? 20 : classic_steps,
               trainrun_lesson06_source(L, default_steps), n);
    gentable_row *rows = J->rows;
    int nrows = 0;
    float *img = lesson_alloc(L, (size_t)n * 784, sizeof(float)),
          *f_fake = lesson_alloc(L, (size_t)n * dim, sizeof(float));
    int *idx = lesson_alloc(L, (size_t)n, sizeof(int)),
        *labels = lesson_alloc(L, (size_t)n, sizeof(int));
    /* The floor: n other real training images judged like a generator's samples. */
    for (int i = 0; i < n; i++) idx[i] = n + i;
    nn_dataset_gather(img, &J->ds, idx, n, NN_RANGE_PM1);
    mark(L, &rows[nrows++], "real training images (floor)", net, img, n, f_test, f_fake,
          labels);
    nn_gan *classic = train_classic(L, &J->ds, net, f_test, n);
    nn_gan *healthy = trainrun_mlp_from_lesson06(L, "default", mlp_ckpt, default_steps, &J->ds);
    int lat = healthy->arch.latent_dim;
    float *z = lesson_alloc(L, (size_t)n * lat, sizeof(float));
    float *img_healthy = J->img_healthy = lesson_alloc(L, (size_t)n * 784, sizeof(float));
    nn_rng r;
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
    J->nrows = nrows;
    const gentable_row *mc = &rows[1], *mh = &rows[2];
    lesson_print(L, "collapsed: precision %.3f, recall %.3f; healthy: precision %.3f, recall "
                 "%.3f\n", (double)mc->precision, (double)mc->recall, (double)mh->precision,
                 (double)mh->recall);
    lesson_key(L, "precision_collapsed", "%.4f", (double)mc->precision);
    lesson_key(L, "recall_collapsed", "%.4f", (double)mc->recall);
    lesson_key(L, "precision_healthy", "%.4f", (double)mh->precision);
    lesson_key(L, "recall_healthy", "%.4f", (double)mh->recall);
    const gentable_row *mf = &rows[0];
    quality_pr_verdict v = quality_pr_choose(mc->recall, mh->recall, mf->recall);
    if (L->fast)
        lesson_say(L, "A --fast run trains each GAN a few steps: far too short to show "
                   "collapse or health. Run without --fast.");
    else if (v == QUALITY_PR_SHOWN)
        lesson_say(L, "The collapsed run's recall is %.2f against the healthy run's %.2f and "
                   "the floor's %.2f: most real images have no sample of the collapsed GAN "
                   "near them (it draws %d classes of 10, the healthy one %d). Its precision, "
                   "%.2f, says what its samples look like, which is a separate question: that "
                   "is why two numbers.", (double)mc->recall, (double)mh->recall,
                   (double)mf->recall, mc->classes, mh->classes, (double)mc->precision);
    else if (v == QUALITY_PR_NOT_COLLAPSED)
        lesson_say(L, "In this run the collapsed GAN's recall (%.2f) is not under half of the "
                   "healthy one's (%.2f, the floor %.2f): it has not collapsed far in %d "
                   "steps (%d classes of 10). More --classic-steps, or another --seed.",
                   (double)mc->recall, (double)mh->recall, (double)mf->recall,
                   classic_steps, mc->classes);
    else
        lesson_say(L, "In this run the healthy GAN falls short too: its recall, %.2f, is under "
                   "half of the floor's %.2f (%d classes of 10), so it is no healthy baseline%s "
                   "(the collapsed one: %.2f). Where that G came from is printed above: a "
                   "checkpoint of a longer run of lesson 06, or more --default-steps, gives "
                   "the comparison its baseline.", (double)mh->recall, (double)mf->recall,
                   mh->classes, v == QUALITY_PR_HEALTHY_SHORT ? ", though the collapsed GAN "
                   "is further below it" : ", and the collapsed GAN is not clearly below it",
                   (double)mc->recall);
    nn_free(img);
    nn_free(f_fake);
    nn_free(idx);
    nn_free(labels);
    nn_free(z);
    nn_gan_free(classic);
    nn_gan_free(healthy);
}

/* ------------------------------------------------------------ table */

static void judge_every_generator(lesson *L, judging *J)
{
    int n = J->n;
    lesson_step(L, "Every generator of the course, judged");
    /* The floor and lesson 06's two GANs are rows 0 to 2; the saved generators follow. */
    _Static_assert(3 + GENTABLE_SAVED <= GENTABLE_MAX_ROWS, "the table has room for every row");
    gentable_judge jd = {
        .net = J->net, .n = n, .k = k_nn, .real_feat = J->f_test, .train = &J->ds,
        .img = lesson_alloc(L, (size_t)n * 784, sizeof(float)),
        .z = lesson_alloc(L, (size_t)n * GENTABLE_MAX_LATENT, sizeof(float)),
        .feat = lesson_alloc(L, (size_t)n * CLASSIFIER_FEATURES, sizeof(float)),
        .labels = lesson_alloc(L, (size_t)n, sizeof(int))};
    J->nrows += gentable_add_saved(L, J->rows + J->nrows, &jd);
    lesson_say(L, "Each generator's %d samples against %d real test images: the Frechet "
               "distance (lower is better), precision, recall (higher is better) and the "
               "classes that get at least 2%% of the samples by the classifier's labels. The "
               "first row is real training images judged the same way: what a perfect "
               "generator, one drawing from the data's own distribution, scores on average "
               "at this n (a generator can land a little beyond it by chance).", n, n);
    gentable_print(L, J->rows, J->nrows);
    if (L->fast)
        lesson_say(L, "(--fast: each GAN above trained a few steps on a judge trained one "
                   "epoch; the order of the rows says nothing about the generators.)");
    lesson_key(L, "fd_floor", "%.4f", J->rows[0].fd);
    lesson_key(L, "fd_classic", "%.4f", J->rows[1].fd);
    lesson_key(L, "fd_default", "%.4f", J->rows[2].fd);
    nn_free(jd.img);
    nn_free(jd.z);
    nn_free(jd.feat);
    nn_free(jd.labels);
}

/* ------------------------------------------------------------ memorisation */

/* What the share of samples under the copy line says, chosen by copies_judge
 * as in lesson 12; --fast says it is too short to tell. */
static void say_whether_it_copies(lesson *L, const copies_summary *c, int n)
{
    copies_verdict v = copies_judge(c->close_share, n);
    lesson_say(L,
               "Distance alone does not tell a copy: a G that drew noise would sit further "
               "from the training set than test images, and copy nothing. What a copy does is "
               "sit closer to a training image than new real images do. The copy line: the "
               "test images' 5th percentile, %.3f (5%% of new real images come that close, by "
               "definition). %.1f%% of the %d samples lie under it (the closest at %.3f); the "
               "medians are %.3f for the samples and %.3f for the test images. %s",
               c->line, 100.0 * c->close_share, n, c->sample_min, c->sample_median,
               c->test_median,
               L->fast ? "A --fast run compares a G trained 5 steps with a small training set: "
                         "too short to tell whether G copies."
               : v == COPIES_TOO_FEW ? "Too few samples to tell."
               : v == COPIES_MORE_CLOSE
                   ? "More samples sit under the line than chance allows (5% plus 3 standard "
                     "deviations of the difference of two shares): some samples sit on "
                     "training images; look at the pairs above."
                   : "No more samples sit under the line than the 5% of new real images, "
                     "within chance: no sign of copying at this count. The samples' own "
                     "quality is what the table above judged.");
}

static void check_memorisation(lesson *L, judging *J)
{
    const nn_dataset *ds = &J->ds;
    const int dim = CLASSIFIER_FEATURES;
    nn_model *net = J->net;
    const float *f_test = J->f_test, *img_healthy = J->img_healthy;
    lesson_step(L, "Has it memorised the training set?");
    int nm = L->fast ? FAST_N : N_MEMO, nt = L->fast ? 2 * FAST_N : N_MEMO_TRAIN;
    if (nt > ds->n) nt = ds->n;
    lesson_say(L,
               "A generator that copies its training images would score well on everything "
               "above. The check, as lesson 12 makes it in pixels, here in the judge's "
               "features: for %d samples of the healthy GAN, the nearest of %d training images "
               "and the distance to it; the same for %d real test images, which the GAN never "
               "saw.", nm, nt, nm);
    float *f_tr = lesson_alloc(L, (size_t)nt * dim, sizeof(float)),
          *trimg = lesson_alloc(L, (size_t)nt * 784, sizeof(float));
    float *d_fake = lesson_alloc(L, (size_t)nm, sizeof(float)),
          *d_test = lesson_alloc(L, (size_t)nm, sizeof(float));
    double *dist = lesson_alloc(L, 2 * (size_t)nm, sizeof(double));
    int *near = lesson_alloc(L, (size_t)nm, sizeof(int)),
        *idx = lesson_alloc(L, (size_t)nt, sizeof(int));
    float *f_fake = lesson_alloc(L, (size_t)nm * dim, sizeof(float));
    for (int i = 0; i < nt; i++) idx[i] = i;
    nn_dataset_gather(trimg, ds, idx, nt, NN_RANGE_PM1);
    classifier_features(net, trimg, nt, f_tr);
    classifier_features(net, img_healthy, nm, f_fake);
    lesson_code(L, "memo");
    /* STEP: memo */
    quality_nearest(near, d_fake, f_fake, nm, f_tr, nt, dim);   /* samples -> train */
    quality_nearest(NULL, d_test, f_test, nm, f_tr, nt, dim);   /* test images -> train */
    /* END STEP */
    for (int i = 0; i < nm; i++) dist[i] = d_fake[i], dist[nm + i] = d_test[i];
    copies_summary c = copies_summarise(L, dist, nm);
    lesson_print(L, "nearest training image: median distance of the samples %.3f, of the test "
                 "images %.3f; samples under the copy line (%.3f): %.1f%%\n", c.sample_median,
                 c.test_median, c.line, 100.0 * c.close_share);
    lesson_key(L, "memo_queries", "%d", nm);
    lesson_key(L, "memo_median_samples", "%.4f", c.sample_median);
    lesson_key(L, "memo_median_test", "%.4f", c.test_median);
    lesson_key(L, "memo_copy_line", "%.4f", c.line);
    lesson_key(L, "memo_share_under_line", "%.4f", c.close_share);
    memocheck_figures(L, d_fake, d_test, nm, c.line, img_healthy, trimg, near);
    say_whether_it_copies(L, &c, nm);
    nn_free(f_tr);
    nn_free(trimg);
    nn_free(d_fake);
    nn_free(d_test);
    nn_free(dist);
    nn_free(near);
    nn_free(idx);
    nn_free(f_fake);
}

/* ------------------------------------------------------------ FGSM */

static void attack_the_judge(lesson *L, judging *J)
{
    nn_model *net = J->net;
    lesson_step(L, "Adversarial examples: the fast gradient sign method");
    int na = L->fast ? FAST_N : N_ATTACK;
    lesson_say(L,
               "The same backward pass that gives G its gradient through D gives the "
               "gradient of a classifier's loss with respect to its input pixels. Goodfellow, "
               "Shlens and Szegedy (2015) push every pixel by the same small eps in the "
               "direction of that gradient's sign (exercise 24, nn_fgsm_step):\n\n"
               LESSON_MATH("x' = \\operatorname{clip}\\left(x + \\epsilon \\operatorname{sign}(\\nabla_x \\operatorname{loss}(x, y)),\\, 0,\\, 1\\right)", "x' = clip(x + eps sign(grad_x loss(x, y)), 0, 1)") "\n\n"
               "The paper's method is x + eps sign(...) alone; the clip to the pixel range "
               "is common practice, so that x' is still an image. eps is in units of the "
               "[0, 1] pixel range (the lesson's pixels are in [-1, 1], so they move by 2 "
               "eps). The classifier's accuracy on %d test images, eps from "
               "0 to 0.3:", na);
    float *x = lesson_alloc(L, (size_t)na * 784, sizeof(float)),
          *xa = lesson_alloc(L, (size_t)na * 784, sizeof(float));
    int *pred = lesson_alloc(L, (size_t)na, sizeof(int)),
        *labels = lesson_alloc(L, (size_t)na, sizeof(int)),
        *idx = lesson_alloc(L, (size_t)na, sizeof(int));
    for (int i = 0; i < na; i++) idx[i] = i;
    nn_dataset_gather(x, &J->test, idx, na, NN_RANGE_PM1);
    for (int i = 0; i < na; i++) labels[i] = J->test.labels[i];
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
    int at_min, first_below;
    fgsmsweep_report(L, eps, accs, N_EPS, &at_min, &first_below);
    /* Originals, perturbations and adversarial images at the first eps that
     * brings the accuracy below 20% (else the largest). */
    fgsmsweep_examples(L, net, x, labels, eps[first_below >= 0 ? first_below : N_EPS - 1],
                       J->test.class_names);
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
    nn_free(x);
    nn_free(xa);
    nn_free(pred);
    nn_free(labels);
    nn_free(idx);
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
    double t_start = lesson_seconds();
    lesson_use_threads(threads);
    judging J = {.n = L->fast ? FAST_N : N_JUDGE};
    check_the_data(L, &J);

    introduce_the_judge(L, &J);
    check_the_frechet_distance(L, &J);
    measure_precision_and_recall(L, &J);
    judge_every_generator(L, &J);
    check_memorisation(L, &J);
    attack_the_judge(L, &J);
    lesson_key(L, "wall_s", "%.1f", lesson_seconds() - t_start);

    nn_free(J.f_test);
    nn_free(J.img_healthy);
    nn_model_free(J.net);
    nn_dataset_free(&J.test);
    nn_dataset_free(&J.ds);
    return lesson_end(L);
}
