/* 15_cyclegan.c - lesson 15: CycleGAN, translation without pairs.
 *
 * The course question it answers: how can a network learn to turn one kind
 * of image into another when no image comes with its translation? Two
 * Fashion-MNIST classes are the two domains (sneakers and ankle boots by
 * default), two convolutional generators translate each way and two
 * PatchGAN-like discriminators judge the results (lib/gan/cycle.h). The
 * cycle-consistency loss (exercise 25) asks that translating there and back
 * gives the image again. The lesson trains the pair twice, with the cycle
 * and without it, and measures on held-out images what the cycle keeps:
 * the reconstruction error, the correlation between each image and its
 * translation, and how often the lesson classifier recognises a translation
 * as the target class.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "classifier.h"
#include "cyclejudge.h"
#include "cyclerun.h"
#include "judge.h"
#include "lesson.h"
#include "mlpgan.h"
#include "nn.h"
#include "sampler.h"
#include "trainrun.h"

#define DEFAULT_STEPS 6000
#define FAST_STEPS 12
#define FAST_TEST 64        /* held-out images of each class a --fast run measures */
#define EVAL_CHUNK 100      /* images per forward when translating the test set */
#define GRID_N 10           /* columns of the translation grids */
#define SNEAKER 7
#define ANKLE_BOOT 9

static int steps = DEFAULT_STEPS;
static int batch = 8;
static int g_channels = 16;
static int d_channels = 32;
static float lr = 2e-4f;
static float lambda = 10.0f;
static float lambda_id = 0.0f;
static int class_a = SNEAKER;
static int class_b = ANKLE_BOOT;
static const char *save_samples = NULL;
static const char *data_dir = NULL;
static int threads = 0;
static const lesson_flag flags[] = {
    {"steps", LESSON_INT, &steps, "training steps of each of the two runs", 1, 1000000, NULL},
    {"batch", LESSON_INT, &batch, "images of each domain per step", 2, 256, NULL},
    {"g-channels", LESSON_INT, &g_channels, "channels of the generators' first convolution "
     "(the next ones double them)", 1, 256, NULL},
    {"d-channels", LESSON_INT, &d_channels, "channels of the discriminators' first "
     "convolution (the next one doubles them)", 1, 256, NULL},
    {"lr", LESSON_FLOAT, &lr, "Adam's learning rate, all four networks (the paper: 2e-4)",
     1e-7, 1.0, NULL},
    {"lambda", LESSON_FLOAT, &lambda, "weight of the cycle-consistency loss (the paper: 10)",
     0.0, 1000.0, NULL},
    {"lambda-id", LESSON_FLOAT, &lambda_id, "weight of the identity loss (the paper: half "
     "of --lambda; 0 here, see the lesson)", 0.0, 1000.0, NULL},
    {"a", LESSON_INT, &class_a, "class of domain A (0..9; 7: sneaker)", 0, 9, NULL},
    {"b", LESSON_INT, &class_b, "class of domain B (0..9; 9: ankle boot)", 0, 9, NULL},
    {"save-samples", LESSON_STRING, &save_samples, "write the A -> B translations of the "
     "held-out A images to FILE (IDX, like Fashion-MNIST) and B's class to FILE.labels", 0, 0,
     NULL},
    {"data", LESSON_STRING, &data_dir, "folder of an MNIST-format data set (default: "
     "Fashion-MNIST)", 0, 0, NULL},
    {"threads", LESSON_INT, &threads, "threads for the products; 0: GANSTEPS_THREADS if set, "
     "else 2", 0, 64, NULL},
};

/* What the steps share: the two domains, the two trained pairs, the judge
 * and what it measured. */
typedef struct {
    nn_dataset ds, test;
    const char *name_a, *name_b;    /* the two classes */
    int *train_a, *train_b;         /* (na), (nb) the domains' training images in ds */
    int na, nb;
    float *test_a, *test_b;         /* (ta_n, 784), (tb_n, 784) their held-out images */
    int ta_n, tb_n;
    nn_cycle *cyc, *nocyc;          /* trained with the cycle, and without it */
    nn_model *net;                  /* the lesson classifier */
    cyclejudge_way c_ab, c_ba, n_w_ab, n_w_ba;  /* the held-out figures of each way */
    char lab_path[1024];            /* --save-samples' labels */
} translation;

/* ------------------------------------------------------------ the networks */

/* STEP: nets */
/* Image to image: 1 x 28 x 28 -> 14 x 14 -> 7 x 7 -> 7 x 7 -> 14 x 14 -> 28 x 28. */
static nn_model *build_generator(int ch, int max_batch, nn_error *err)
{
    const nn_layer_spec s[] = {
        {.kind = NN_LAYER_RESHAPE, .c = 1, .h = 28, .w = 28},
        {.kind = NN_LAYER_CONV2D, .out = ch, .kernel = 4, .stride = 2, .pad = 1},
        {.kind = NN_LAYER_BATCHNORM2D},
        {.kind = NN_LAYER_RELU},
        {.kind = NN_LAYER_CONV2D, .out = 2 * ch, .kernel = 4, .stride = 2, .pad = 1},
        {.kind = NN_LAYER_BATCHNORM2D},
        {.kind = NN_LAYER_RELU},
        {.kind = NN_LAYER_CONV2D, .out = 2 * ch, .kernel = 3, .stride = 1, .pad = 1},
        {.kind = NN_LAYER_BATCHNORM2D},
        {.kind = NN_LAYER_RELU},
        {.kind = NN_LAYER_CONVT2D, .out = ch, .kernel = 4, .stride = 2, .pad = 1},
        {.kind = NN_LAYER_BATCHNORM2D},
        {.kind = NN_LAYER_RELU},
        {.kind = NN_LAYER_CONVT2D, .out = 1, .kernel = 4, .stride = 2, .pad = 1},
        {.kind = NN_LAYER_TANH},
    };
    return nn_model_create(784, s, (int)(sizeof s / sizeof s[0]), max_batch, err);
}

/* A PatchGAN-like judge: a 7 x 7 map of scores, each one reading an
 * 18 x 18 patch of the image. */
static nn_model *build_discriminator(int ch, int max_batch, nn_error *err)
{
    const nn_layer_spec s[] = {
        {.kind = NN_LAYER_RESHAPE, .c = 1, .h = 28, .w = 28},
        {.kind = NN_LAYER_CONV2D, .out = ch, .kernel = 4, .stride = 2, .pad = 1},
        {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
        {.kind = NN_LAYER_CONV2D, .out = 2 * ch, .kernel = 4, .stride = 2, .pad = 1},
        {.kind = NN_LAYER_BATCHNORM2D},
        {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
        {.kind = NN_LAYER_CONV2D, .out = 1, .kernel = 3, .stride = 1, .pad = 1},
    };
    return nn_model_create(784, s, (int)(sizeof s / sizeof s[0]), max_batch, err);
}
/* END STEP */

/* The four networks and the step's state, or the lesson fails. */
static nn_cycle *make_cycle(lesson *L, float lam, float lam_id)
{
    nn_error err = {NN_OK, ""};
    int mb = batch > EVAL_CHUNK ? batch : EVAL_CHUNK;
    nn_model *nets[4];
    for (int i = 0; i < 4; i++) {
        nets[i] = i < 2 ? build_generator(g_channels, mb, &err)
                        : build_discriminator(d_channels, mb, &err);
        if (!nets[i]) {
            for (int k = 0; k < i; k++) nn_model_free(nets[k]);
            lesson_check(L, err.code, &err);
        }
    }
    nn_cycle_config cfg = nn_cycle_config_default();
    cfg.batch = batch;
    cfg.lr_g = cfg.lr_d = lr;
    cfg.lambda_cycle = lam;
    cfg.lambda_id = lam_id;
    /* The paper's initialisation, N(0, 0.02); the same seed for both runs,
     * so they start from the same networks. */
    nn_cycle *c = nn_cycle_create(nets[0], nets[1], nets[2], nets[3], &cfg, NN_INIT_NORMAL_002,
                                  L->seed, &err);
    if (!c) lesson_check(L, err.code, &err);
    return c;
}

/* ------------------------------------------------------------ training */

static void train(lesson *L, nn_cycle *c, sampler *sa, sampler *sb, float *xa, float *xb,
                  cyclerun_log *lg, const char *label)
{
    lesson_progress pr;
    lesson_progress_start(L, &pr, label, steps);
    double t0 = lesson_seconds();
    /* STEP: train */
    for (int s = 0; s < steps; s++) {
        nn_cycle_stats st;
        /* The paper's schedule: the rate held for the first half, then
         * brought down linearly to 0. */
        int half = steps / 2;
        float rate = s < half ? lr : lr * (float)(steps - s) / (float)(steps - half);
        c->opt_g.lr = c->opt_d.lr = rate;
        sampler_next(sa, xa, batch);         /* a batch of A ... */
        sampler_next(sb, xb, batch);         /* ... and an unrelated batch of B */
        nn_cycle_step(c, xa, xb, &st);       /* both G, then D_b and D_a */
        float d = 0.5f * (st.d_a + st.d_b), adv = 0.5f * (st.adv_ab + st.adv_ba);
        if (!isfinite(d) || !isfinite(st.g_loss)) {
            lesson_progress_done(&pr);
            lesson_fail(L, LESSON_EXIT_INTERNAL, "%s, step %d: the %s loss is %g; training "
                        "diverged. Try a lower --lr (now %g)", label, s + 1,
                        isfinite(d) ? "generators'" : "discriminators'",
                        isfinite(d) ? (double)st.g_loss : (double)d, (double)lr);
        }
        lg->d[s] = d;
        lg->adv[s] = adv;
        lg->cyc_a[s] = st.cyc_a;
        lg->cyc_b[s] = st.cyc_b;
        lg->id[s] = st.id_a + st.id_b;
        lesson_progress_tick(&pr, s + 1, "D %.3f  G adv %.3f  cycle %.3f", (double)d,
                             (double)adv, (double)(st.cyc_a + st.cyc_b));
    }
    /* END STEP */
    lg->n = steps;
    lg->seconds = lesson_seconds() - t0;
    lesson_progress_done(&pr);
}

/* ------------------------------------------------------------ measuring */

/* out = G(x) for n images, in eval mode (batchnorm's running statistics),
 * in chunks the network takes. */
static void translate(nn_model *G, const float *x, int n, float *out)
{
    for (int i = 0; i < n; i += EVAL_CHUNK) {
        int k = n - i < EVAL_CHUNK ? n - i : EVAL_CHUNK;
        const float *y = nn_model_forward(G, x + (size_t)i * 784, k, 0);
        memcpy(out + (size_t)i * 784, y, (size_t)k * 784 * sizeof(float));
    }
}

/* Pearson's correlation of two images' pixels; 0 when one is flat. */
static double pearson(const float *a, const float *b, int n)
{
    double ma = 0.0, mb = 0.0;
    for (int i = 0; i < n; i++) {
        ma += a[i];
        mb += b[i];
    }
    ma /= n;
    mb /= n;
    double sab = 0.0, saa = 0.0, sbb = 0.0;
    for (int i = 0; i < n; i++) {
        double da = a[i] - ma, db = b[i] - mb;
        sab += da * db;
        saa += da * da;
        sbb += db * db;
    }
    return saa > 0.0 && sbb > 0.0 ? sab / sqrt(saa * sbb) : 0.0;
}

/* One direction's figures on held-out images x (n) (cyclejudge.h): its
 * translations and reconstructions kept in t and r. */
static cyclejudge_way measure(nn_model *G, nn_model *F, nn_model *net, const float *x, int n,
                              int target, float *t, float *r, int *labels)
{
    cyclejudge_way w = {0, 0, 0, 0, 0, 0, 0, 0};
    /* STEP: measure */
    translate(G, x, n, t);                  /* G(x) */
    translate(F, t, n, r);                  /* F(G(x)) */
    classifier_predict(net, t, n, labels);  /* what the lesson classifier sees */
    for (int i = 0; i < n; i++) {
        const float *xi = x + (size_t)i * 784;
        w.accuracy += labels[i] == target;
        for (int p = 0; p < 784; p++) w.rec_err += fabsf(r[(size_t)i * 784 + p] - xi[p]);
        w.corr += pearson(xi, t + (size_t)i * 784, 784);
    }
    w.accuracy /= n;
    w.rec_err /= (double)n * 784;
    w.corr /= n;
    /* END STEP */
    int count[CLASSIFIER_CLASSES] = {0};
    for (int i = 0; i < n; i++) {
        size_t me = (size_t)i * 784, next = (size_t)((i + 1) % n) * 784;
        w.corr_other += pearson(x + me, t + next, 784);
        for (int p = 0; p < 784; p++) {
            w.differ += fabsf(t[me + p] - t[next + p]);
            w.in_differ += fabsf(x[me + p] - x[next + p]);
        }
        if (labels[i] != target && labels[i] >= 0 && labels[i] < CLASSIFIER_CLASSES)
            count[labels[i]]++;
    }
    w.corr_other /= n;
    w.differ /= (double)n * 784;
    w.in_differ /= (double)n * 784;
    for (int k = 0; k < CLASSIFIER_CLASSES; k++)
        if (count[k] > count[w.top_wrong]) w.top_wrong = k;
    w.top_wrong_share = (double)count[w.top_wrong] / n;
    return w;
}

/* ------------------------------------------------------------ domains */

/* The data set suits the networks and each domain holds a batch of
 * training images and a grid of test images: checked before the first step
 * writes anything. */
static void check_the_data(lesson *L)
{
    const lesson_data_shape *train = lesson_data(L, 0), *test = lesson_data(L, 1);
    if (train->c * train->h * train->w != 784)
        lesson_fail(L, LESSON_EXIT_INPUT, "--data: images of %d x %d x %d; these networks read "
                    "1 x 28 x 28 grey images", train->c, train->h, train->w);
    int na = train->per_class[class_a], nb = train->per_class[class_b];
    int ta_n = test->per_class[class_a], tb_n = test->per_class[class_b];
    if (na < batch || nb < batch || ta_n < GRID_N || tb_n < GRID_N)
        lesson_fail(L, LESSON_EXIT_INPUT, "--data: classes %d and %d have %d and %d training "
                    "images and %d and %d test images; each needs at least --batch %d and %d",
                    class_a, class_b, na, nb, ta_n, tb_n, batch, GRID_N);
    judge_check_data(L, lesson_data(L, L->fast)->n); /* the judge's classifier, if trained */
}

static void show_the_domains(lesson *L, translation *T)
{
    nn_error err = {NN_OK, ""};
    lesson_step(L, "Two domains, no pairs");
    lesson_check(L, nn_dataset_load_mnist(&T->ds, data_dir, NN_SPLIT_TRAIN, &err), &err);
    lesson_check(L, nn_dataset_load_mnist(&T->test, data_dir, NN_SPLIT_TEST, &err), &err);
    const nn_dataset *ds = &T->ds; /* sizes checked by check_the_data */
    const char *name_a = T->name_a = ds->class_names[class_a],
               *name_b = T->name_b = ds->class_names[class_b];
    int na, nb, ta_n, tb_n;
    T->train_a = sampler_class_indices(L, ds, class_a, 1 << 30, &na);
    T->train_b = sampler_class_indices(L, ds, class_b, 1 << 30, &nb);
    int n_test = L->fast ? FAST_TEST : 1 << 30;
    float *test_a = T->test_a = sampler_class_images(L, &T->test, class_a, n_test, &ta_n);
    float *test_b = T->test_b = sampler_class_images(L, &T->test, class_b, n_test, &tb_n);
    T->na = na;
    T->nb = nb;
    T->ta_n = ta_n;
    T->tb_n = tb_n;
    lesson_say(L,
               "A translation learned from pairs (pix2pix) needs each input with its answer. "
               "CycleGAN (Zhu et al. 2017) learns from two piles of images that nobody has "
               "matched: domain A, %d %s images, and domain B, %d %s images, from "
               "Fashion-MNIST's training split. A batch of A and a batch of B are drawn "
               "independently at every step. The %d and %d test images of the two classes "
               "are held out for every measurement.",
               na, name_a, nb, name_b, ta_n, tb_n);
    if (class_a == SNEAKER && class_b == ANKLE_BOOT)
        lesson_say(L,
                   "Why sneakers and ankle boots: both are a shoe seen from the side, "
                   "pointing the same way, so there is a natural answer to \"this sneaker as "
                   "a boot\": the same sole, toe and outline, with the shaft raised to the "
                   "ankle. What must change is clear (the height of the upper), and so is "
                   "what should stay (where the shoe sits, its length, its darkness). And the "
                   "lesson classifier tells the two classes apart on real images (step 7 "
                   "gives its score), so it can judge the translations. T-shirts and dresses "
                   "would be the other obvious pair, but the classifier confuses the tops "
                   "with one another far more often (lesson 12's confusion matrix on real "
                   "test images shows it).");
    else
        lesson_say(L, "This run translates between classes %d and %d (--a, --b); the lesson's "
                   "text is written for the default pair, sneakers and ankle boots.",
                   class_a, class_b);
    {
        FILE *f = lesson_capture_begin(L);
        fprintf(f, "three of domain A (%s), three of domain B (%s):\n", name_a, name_b);
        float six[6 * 784];
        memcpy(six, test_a, 3 * 784 * sizeof(float));
        memcpy(six + 3 * 784, test_b, 3 * 784 * sizeof(float));
        nn_image_preview(f, six, 6, 1, 28, 28, 3, -1.0f, 1.0f, NN_PREVIEW_AUTO);
        lesson_capture_end(L);
    }
    lesson_key(L, "class_a", "%s", name_a);
    lesson_key(L, "class_b", "%s", name_b);
}

/* ------------------------------------------------------------ networks */

static void build_the_networks(lesson *L, translation *T)
{
    lesson_step(L, "Two generators, two discriminators");
    lesson_say(L,
               "G_ab turns an A into a B, G_ba a B into an A: image to image, strided "
               "convolutions down to 7 x 7 feature maps, one convolution there, transposed "
               "convolutions back up to 28 x 28, tanh. D_a says whether an image is a real A, "
               "D_b a real B. Each discriminator gives a 7 x 7 map of scores, one per 18 x 18 "
               "patch, as the paper's PatchGAN: a local judge of texture and outline.");
    lesson_say(L,
               "The paper's generators use instance normalisation: each image normalised by "
               "its own mean and spread, so that one photo's contrast does not leak into "
               "another's style (and with the paper's batch of 1, batch statistics would be "
               "one image's anyway). Here batchnorm stands in: within a batch of %d images "
               "of one domain, all grey shoes on black, the batch's statistics are close to "
               "each image's own, and at test time the running statistics of the training "
               "batches are used. The paper's generators also have residual blocks (skip "
               "connections), which a sequential network cannot hold: here the input's "
               "shape has to pass through the 7 x 7 maps.", batch);
    lesson_code(L, "nets");
    nn_cycle *cyc = T->cyc = make_cycle(L, lambda, lambda_id);
    {
        FILE *f = lesson_capture_begin(L);
        gan_print_layers(f, cyc->G_ab, "generator G_ab (G_ba is the same)");
        gan_print_layers(f, cyc->D_b, "discriminator D_b (D_a is the same)");
        lesson_capture_end(L);
    }
    lesson_key(L, "g_params", "%zu", nn_model_param_count(cyc->G_ab));
    lesson_key(L, "d_params", "%zu", nn_model_param_count(cyc->D_b));
}

/* ------------------------------------------------------------ losses */

static void explain_the_losses(lesson *L)
{
    lesson_step(L, "The losses, and your cycle loss");
    lesson_say(L,
               "The adversarial losses are least squares, as the paper's: D_b pushes its "
               "scores toward 1 on real B and 0 on G_ab's fakes, G_ab pushes them toward 1. "
               "They only ask that G_ab's output looks like some B: any boot will do, the "
               "same boot for every sneaker too. The cycle-consistency loss ties each image "
               "to its own translation: a -> G_ab(a) -> G_ba(G_ab(a)) must give a back, and "
               "b -> G_ba(b) -> G_ab(G_ba(b)) must give b; the identity loss asks G_ab to "
               "leave a real B alone (and G_ba an A):\n\n"
               LESSON_MATH("L_G = \\operatorname{mean}\\,(D_b(G_{ab}(a)) - 1)^2 + \\operatorname{mean}\\,(D_a(G_{ba}(b)) - 1)^2", "L_G = mean (D_b(G_ab(a)) - 1)^2 + mean (D_a(G_ba(b)) - 1)^2") "\n"
               LESSON_MATH("\\quad + \\lambda \\left(\\operatorname{mean} |G_{ba}(G_{ab}(a)) - a| + \\operatorname{mean} |G_{ab}(G_{ba}(b)) - b|\\right)", "+ lambda (mean |G_ba(G_ab(a)) - a| + mean |G_ab(G_ba(b)) - b|)") "\n"
               LESSON_MATH("\\quad + \\lambda_\\text{id} \\left(\\operatorname{mean} |G_{ab}(b) - b| + \\operatorname{mean} |G_{ba}(a) - a|\\right)", "+ lambda_id (mean |G_ab(b) - b| + mean |G_ba(a) - a|)") "\n\n"
               "with lambda %g (the paper's: 10) and lambda_id %g. Both absolute-value terms "
               "are exercise 25, nn_cycle_loss: L1, as the paper. Where several outputs "
               "are possible, the squared error of lesson 13 is least for their mean, and "
               "L1 for their median. Where most candidates agree on a pixel the median "
               "follows them, while the mean is pulled toward the rest; where they split, "
               "the median can land anywhere between them. So L1 blurs less than the "
               "squared error, but it blurs (Isola et al. 2017 show both blurring, which is "
               "why they add a GAN loss to their L1 term).",
               (double)lambda, (double)lambda_id);
    if (lambda_id == 0.0f)
        lesson_say(L,
                   "The paper weighs the identity term at half of lambda, for paintings and "
                   "photos, where it keeps the colours; it is off here (--lambda-id sets it). "
                   "A sneaker must change its shape to become a boot, and the identity term "
                   "rewards generators that copy what they are given. Measured with this "
                   "lesson's defaults (seed 15) and the paper's lambda_id 5, `make lesson "
                   "N=15 ARGS=\"--lambda-id 5\"` (judged by the classifier it trains when "
                   "lesson 09 has not left one; step 7's column \"with: A->B\"): 17.8%% of "
                   "the translated sneakers were recognised as boots and 79.2%% still as "
                   "sneakers, each translation correlating 0.80 with its input. Step 7 gives "
                   "this run's figures without it.");
    lesson_say(L, "Your nn_cycle_loss on a hand case:");
    {
        const float rec[3] = {1, -1, 0.5f}, x[3] = {0, 0, 0.5f};
        float d[3];
        float l = nn_cycle_loss(d, rec, x, 3, 10.0f);
        lesson_print(L, "rec = (1, -1, 0.5), x = (0, 0, 0.5), lambda 10: L = %.4f (20/3 = "
                     "6.6667), dL/drec = (%.4f, %.4f, %.4f) (10/3, -10/3, 0)\n", (double)l,
                     (double)d[0], (double)d[1], (double)d[2]);
        if (!(fabsf(l - 20.0f / 3.0f) < 1e-4f && fabsf(d[0] - 10.0f / 3.0f) < 1e-4f &&
              d[2] == 0.0f))
            lesson_say(L, "Those are not the expected numbers: exercise 25 is not right yet "
                       "(make check EX=25).");
    }
    lesson_say(L,
               "One step (lib/gan/cycle.h, nn_cycle_step) runs G_ab on the A batch, D_b on the "
               "fakes (frozen: its gradient goes into the fakes only), G_ba on the fakes for "
               "the way back, and back-propagates the cycle's gradient through G_ba into the "
               "fakes and on through G_ab; the same the other way round, then the identity "
               "terms; one Adam step for each generator; then D_b and D_a each learn from a "
               "real batch and this step's fakes (the paper's pool of 50 older fakes is left "
               "out). The course's one GAN step (lesson 06's) cannot do this: its G reads a "
               "latent vector, and no loss there runs through a second generator.");
}

/* One training run of c, logged in lg (the caller frees it), on the batches
 * every run of this lesson draws: the samplers start from the same seed and
 * streams, so the runs with and without the cycle see the same images.
 * show_cell: print the train cell first (the first run). */
static void train_on_the_same_batches(lesson *L, const translation *T, nn_cycle *c,
                                      cyclerun_log *lg, const char *label, int show_cell)
{
    sampler sa, sb;
    float *xa = lesson_alloc(L, (size_t)batch * 784, sizeof(float));
    float *xb = lesson_alloc(L, (size_t)batch * 784, sizeof(float));
    cyclerun_log_alloc(L, lg, steps);
    sampler_init(L, &sa, &T->ds, T->train_a, T->na, L->seed, 10);
    sampler_init(L, &sb, &T->ds, T->train_b, T->nb, L->seed, 11);
    if (show_cell) lesson_code(L, "train");
    train(L, c, &sa, &sb, xa, xb, lg, label);
    sampler_free(&sa);
    sampler_free(&sb);
    nn_free(xa);
    nn_free(xb);
}

/* ------------------------------------------------------------ train with */

static void train_with_the_cycle(lesson *L, translation *T)
{
    lesson_step(L, "Training with the cycle");
    lesson_say(L, "%d steps of %d A and %d B images, Adam with betas (0.5, 0.999) for all "
               "four networks, the learning rate %g for the first half and then brought down "
               "linearly to 0, as the paper's schedule.%s", steps, batch, batch, (double)lr,
               L->fast ? " (--fast: a few steps.)" : "");
    cyclerun_log lg_c;
    train_on_the_same_batches(L, T, T->cyc, &lg_c, "with the cycle", 1);
    cyclerun_report(L, &lg_c, 1);
    lesson_key(L, "steps", "%d", steps);
    lesson_key_quiet(L, "batch", "%d", batch);
    lesson_key_quiet(L, "lambda", "%g", (double)lambda);
    lesson_key_quiet(L, "lambda_id", "%g", (double)lambda_id);
    lesson_key(L, "cycle_train_s", "%.1f", lg_c.seconds);
    cyclerun_log_free(&lg_c);
}

/* ------------------------------------------------------------ train without */

static void train_without_it(lesson *L, translation *T)
{
    lesson_step(L, "Training without it");
    lesson_say(L,
               "The same networks from the same starting weights, the same batches, and "
               "lambda 0: only the adversarial losses.%s Nothing now asks G_ab to keep "
               "anything of its input.",
               lambda_id > 0.0f ? " The identity loss is off too (lambda_id 0): it would keep "
                                  "a weaker cycle of its own, asking each generator to copy "
                                  "the images it is given." : "");
    T->nocyc = make_cycle(L, 0.0f, 0.0f);
    cyclerun_log lg_n;
    train_on_the_same_batches(L, T, T->nocyc, &lg_n, "without the cycle", 0);
    cyclerun_report(L, &lg_n, 0);
    lesson_key(L, "nocycle_train_s", "%.1f", lg_n.seconds);
    cyclerun_log_free(&lg_n);
}

/* ------------------------------------------------------------ look */

static void show_the_translations(lesson *L, translation *T)
{
    nn_error err = {NN_OK, ""};
    int ta_n = T->ta_n, tb_n = T->tb_n;
    const float *test_a = T->test_a, *test_b = T->test_b;
    const char *name_a = T->name_a, *name_b = T->name_b, *lab_path = T->lab_path;
    nn_cycle *cyc = T->cyc, *nocyc = T->nocyc;
    lesson_step(L, "Translations, there and back");
    float *t_ab = lesson_alloc(L, (size_t)ta_n * 784, sizeof(float));
    float *r_a = lesson_alloc(L, (size_t)ta_n * 784, sizeof(float));
    float *t_ba = lesson_alloc(L, (size_t)tb_n * 784, sizeof(float));
    float *r_b = lesson_alloc(L, (size_t)tb_n * 784, sizeof(float));
    float *n_ab = lesson_alloc(L, (size_t)ta_n * 784, sizeof(float));
    float *nr_a = lesson_alloc(L, (size_t)ta_n * 784, sizeof(float));
    float *n_ba = lesson_alloc(L, (size_t)tb_n * 784, sizeof(float));
    float *nr_b = lesson_alloc(L, (size_t)tb_n * 784, sizeof(float));
    int *lab = lesson_alloc(L, (size_t)(ta_n > tb_n ? ta_n : tb_n), sizeof(int));
    nn_model *net = T->net = classifier_create(256, &err);
    if (!net) lesson_check(L, err.code, &err);
    judge_get_classifier(L, net, L->fast ? &T->test : &T->ds);
    T->c_ab = measure(cyc->G_ab, cyc->G_ba, net, test_a, ta_n, class_b, t_ab, r_a, lab);
    /* The A -> B translations with B's class, for --save-samples. */
    if (save_samples) {
        for (int i = 0; i < ta_n; i++) lab[i] = class_b;
        nn_status s1 = trainrun_write_idx(save_samples, t_ab, ta_n, 28, 28, &err);
        nn_status s2 = s1 == NN_OK ? trainrun_write_idx_labels(lab_path, lab, ta_n, &err) : s1;
        if (s1 != NN_OK || s2 != NN_OK) {
            remove(save_samples);
            remove(lab_path);
            lesson_fail(L, LESSON_EXIT_INPUT, "--save-samples: %s", err.msg);
        }
    }
    T->c_ba = measure(cyc->G_ba, cyc->G_ab, net, test_b, tb_n, class_a, t_ba, r_b, lab);
    T->n_w_ab = measure(nocyc->G_ab, nocyc->G_ba, net, test_a, ta_n, class_b, n_ab, nr_a, lab);
    T->n_w_ba = measure(nocyc->G_ba, nocyc->G_ab, net, test_b, tb_n, class_a, n_ba, nr_b, lab);
    lesson_say(L,
               "Held-out images: in each grid, row 1 is %s test images, row 2 their "
               "translations G_ab(a), row 3 the way back G_ba(G_ab(a)); rows 4 to 6 the same "
               "for %s images through G_ba and back through G_ab.", name_a, name_b);
    cyclejudge_grid(L, "cycle_translations", "with the cycle: A, G_ab(A), G_ba(G_ab(A)); "
                    "B, G_ba(B), G_ab(G_ba(B))", name_a, name_b, test_a, t_ab, r_a, test_b,
                    t_ba, r_b, GRID_N);
    cyclejudge_grid(L, "nocycle_translations", "without the cycle: the same rows", name_a,
                    name_b, test_a, n_ab, nr_a, test_b, n_ba, nr_b, GRID_N);
    {
        FILE *f = lesson_capture_begin(L);
        float six[6 * 784];
        const float *src[6] = {test_a, t_ab, r_a, test_a, n_ab, nr_a};
        for (int i = 0; i < 6; i++) memcpy(six + (size_t)i * 784, src[i], 784 * sizeof(float));
        fprintf(f, "one %s, its translation and the way back; with the cycle (top), "
                "without (below):\n", name_a);
        nn_image_preview(f, six, 6, 1, 28, 28, 3, -1.0f, 1.0f, NN_PREVIEW_AUTO);
        lesson_capture_end(L);
    }
    nn_free(t_ab);
    nn_free(r_a);
    nn_free(t_ba);
    nn_free(r_b);
    nn_free(n_ab);
    nn_free(nr_a);
    nn_free(n_ba);
    nn_free(nr_b);
    nn_free(lab);
}

/* ------------------------------------------------------------ measure */

/* What this run's figures say: the lesson's verdict on the cycle. */
static void say_what_the_cycle_keeps(lesson *L, const translation *T,
                                     const cyclejudge_means *with,
                                     const cyclejudge_means *without)
{
    cyclejudge_way c_ab = T->c_ab, c_ba = T->c_ba;
    const char *name_a = T->name_a, *name_b = T->name_b;
    double rec_c = with->rec, rec_n = without->rec, corr_c = with->corr, corr_n = without->corr;
    double other_c = with->other, other_n = without->other;
    if (L->fast) {
        lesson_say(L,
                   "A --fast run trains each pair for %d steps on batches of %d: far too "
                   "short to show translations the classifier accepts, or what the cycle "
                   "keeps that its absence loses. The numbers above are those of nearly "
                   "untrained networks. Run without --fast.", steps, batch);
    } else {
        if (c_ab.accuracy >= 0.8 && c_ba.accuracy >= 0.8)
            lesson_say(L,
                       "With the cycle, the classifier takes %.1f%% of the %s images "
                       "translated by G_ab for %s, and %.1f%% of the %s images translated "
                       "by G_ba for %s: the adversarial losses did their part.",
                       100 * c_ab.accuracy, name_a, name_b, 100 * c_ba.accuracy, name_b,
                       name_a);
        else
            lesson_say(L,
                       "With the cycle, %.1f%% of the A -> B translations pass for %s and "
                       "%.1f%% of the B -> A ones for %s: short of four in five, this run's "
                       "generators have not learned to change the class well enough (the "
                       "row \"most common other class\" says what the rest look like; more "
                       "--steps help).",
                       100 * c_ab.accuracy, name_b, 100 * c_ba.accuracy, name_a);
        double diff_c = with->differ, diff_n = without->differ, diff_x = with->in_differ;
        lesson_key_quiet(L, "cycle_differ", "%.4f", diff_c);
        lesson_key_quiet(L, "nocycle_differ", "%.4f", diff_n);
        if (rec_c < rec_n) {
            lesson_say(L,
                       "What the cycle keeps: there and back, the images come back with a "
                       "mean error of %.3f per pixel with the cycle against %.3f without "
                       "(%.1f times less). Without the cycle nothing in the generators' loss "
                       "refers to the input: they are only asked to draw some %s and some %s.",
                       rec_c, rec_n, rec_n / rec_c, name_b, name_a);
            if (diff_n < 0.8 * diff_c)
                lesson_say(L,
                           "And they draw much the same one whatever they are given: the "
                           "translations of two different inputs differ by %.3f per pixel "
                           "without the cycle against %.3f with it (the inputs themselves by "
                           "%.3f). The grid shows it, the mode collapse of lesson 09 in a new "
                           "form, and the way back cannot tell which input a translation came "
                           "from. That is what the cycle prevents.",
                           diff_n, diff_c, diff_x);
            else
                lesson_say(L,
                           "Their translations differ from one input to the next about as "
                           "much as the cycle's do (%.3f against %.3f per pixel): they are not "
                           "one boot for all. But the way back, row 3 of the grids, gives a "
                           "generic %s where the cycle's gives the input's own details: what "
                           "the translation dropped cannot be recovered. That is what the "
                           "cycle prevents.", diff_n, diff_c, name_a);
            if (corr_c > corr_n + 0.01 && corr_c - other_c > 0.01)
                lesson_say(L,
                           "The correlation agrees: a translation correlates %.2f with its own "
                           "input with the cycle (%.2f with another input's translation), "
                           "against %.2f without.", corr_c, other_c, corr_n);
            else
                lesson_say(L,
                           "The correlation does not show it in this run: a translation "
                           "correlates %.2f with its own input with the cycle and %.2f "
                           "without, and about as much with another input's translation "
                           "(%.2f and %.2f). Over whole images, the correlation mostly "
                           "measures how two silhouettes overlap, and every boot's silhouette "
                           "overlaps a sneaker's about as well as any other boot's; and a "
                           "convolutional generator keeps some of its input unasked (where "
                           "the shoe sits, how bright it is), cycle or not. What the way back "
                           "recovers travels in finer details, and in part in faint patterns "
                           "that only the other generator reads, a hiding CycleGAN is known "
                           "for (Chu et al. 2017).",
                           corr_c, corr_n, other_c, other_n);
        } else {
            lesson_say(L,
                       "This run does not show the cycle's effect: the reconstruction error "
                       "is %.3f with it and %.3f without. Try more --steps or another --seed.",
                       rec_c, rec_n);
        }
    }
}

static void measure_what_the_cycle_keeps(lesson *L, translation *T)
{
    cyclejudge_way c_ab = T->c_ab, c_ba = T->c_ba, n_w_ab = T->n_w_ab, n_w_ba = T->n_w_ba;
    int ta_n = T->ta_n, tb_n = T->tb_n;
    const char *name_a = T->name_a, *name_b = T->name_b;
    lesson_step(L, "What the cycle keeps, measured");
    lesson_say(L,
               "On all %d held-out %s and %d %s images: the share of translations the lesson "
               "classifier recognises as the target class; the cycle reconstruction error, "
               "mean |F(G(x)) - x| over pixels in [-1, 1]; and the correlation (Pearson's, "
               "over the 784 pixels) between each image and its translation, averaged over "
               "the images. Every shoe correlates with every other shoe somewhat (they sit in "
               "the same place), so beside it is the same correlation against another input's "
               "translation (image i against the translation of image i + 1): a translation "
               "that depends on its input correlates more with its own.",
               ta_n, name_a, tb_n, name_b);
    lesson_code(L, "measure");
    double real_a = cyclejudge_real_share(L, T->net, T->test_a, ta_n, class_a);
    double real_b = cyclejudge_real_share(L, T->net, T->test_b, tb_n, class_b);
    lesson_print(L, "the judge on real test images: %s %.1f%% recognised as %s, %s %.1f%% "
                 "as %s\n", name_a, 100 * real_a, name_a, name_b, 100 * real_b, name_b);
    lesson_key_quiet(L, "judge_real_a_accuracy", "%.4f", real_a);
    lesson_key_quiet(L, "judge_real_b_accuracy", "%.4f", real_b);
    const cyclejudge_way *const ways[4] = {&c_ab, &c_ba, &n_w_ab, &n_w_ba};
    cyclejudge_table(L, ways, T->ds.class_names);
    cyclejudge_means with = cyclejudge_mean(&c_ab, &c_ba),
                     without = cyclejudge_mean(&n_w_ab, &n_w_ba);
    lesson_key(L, "cycle_ab_accuracy", "%.4f", c_ab.accuracy);
    lesson_key(L, "cycle_ba_accuracy", "%.4f", c_ba.accuracy);
    lesson_key(L, "nocycle_ab_accuracy", "%.4f", n_w_ab.accuracy);
    lesson_key(L, "nocycle_ba_accuracy", "%.4f", n_w_ba.accuracy);
    lesson_key(L, "cycle_rec_err", "%.4f", with.rec);
    lesson_key(L, "nocycle_rec_err", "%.4f", without.rec);
    lesson_key(L, "cycle_corr", "%.4f", with.corr);
    lesson_key(L, "nocycle_corr", "%.4f", without.corr);
    lesson_key_quiet(L, "cycle_corr_other", "%.4f", with.other);
    lesson_key_quiet(L, "nocycle_corr_other", "%.4f", without.other);
    lesson_key_quiet(L, "cycle_ab_rec_err", "%.4f", c_ab.rec_err);
    lesson_key_quiet(L, "cycle_ba_rec_err", "%.4f", c_ba.rec_err);
    lesson_key_quiet(L, "nocycle_ab_rec_err", "%.4f", n_w_ab.rec_err);
    lesson_key_quiet(L, "nocycle_ba_rec_err", "%.4f", n_w_ba.rec_err);
    cyclejudge_plot(L, &with, &without);
    say_what_the_cycle_keeps(L, T, &with, &without);
}

int main(int argc, char **argv)
{
    static const lesson_info info = {
        15, "cyclegan", "CycleGAN: translation without pairs",
        "Two Fashion-MNIST classes as two domains, two generators that translate each way, "
        "and the cycle-consistency loss that makes a translation keep its input's shape: "
        "trained with and without it, and measured on held-out images by the reconstruction "
        "error, the image-to-translation correlation and the lesson classifier.",
        15};
    lesson *L = lesson_begin(argc, argv, &info, flags, LESSON_NFLAGS(flags));
    double t_start = lesson_seconds();
    if (L->fast && steps == DEFAULT_STEPS) steps = FAST_STEPS;
    if (class_a == class_b)
        lesson_fail(L, LESSON_EXIT_INPUT, "--a and --b are both %d: the two domains must be two "
                    "different classes", class_a);
    check_the_data(L);
    lesson_use_threads(threads);
    translation T = {.net = NULL};
    if (save_samples) {
        if (snprintf(T.lab_path, sizeof T.lab_path, "%s.labels", save_samples) >=
            (int)sizeof T.lab_path)
            lesson_fail(L, LESSON_EXIT_INPUT, "--save-samples: the path is too long");
        trainrun_check_writable(L, "save-samples", save_samples);
        trainrun_check_writable(L, "save-samples", T.lab_path);
    }

    show_the_domains(L, &T);
    build_the_networks(L, &T);
    explain_the_losses(L);
    train_with_the_cycle(L, &T);
    train_without_it(L, &T);
    show_the_translations(L, &T);
    measure_what_the_cycle_keeps(L, &T);
    if (save_samples)
        lesson_print(L, "%d A -> B translations -> %s, their class (%d, %s) -> %s\n", T.ta_n,
                     save_samples, class_b, T.name_b, T.lab_path);
    lesson_key(L, "wall_s", "%.1f", lesson_seconds() - t_start);

    nn_model_free(T.net);
    nn_cycle_free(T.cyc);
    nn_cycle_free(T.nocyc);
    nn_free(T.train_a);
    nn_free(T.train_b);
    nn_free(T.test_a);
    nn_free(T.test_b);
    nn_dataset_free(&T.ds);
    nn_dataset_free(&T.test);
    return lesson_end(L);
}
