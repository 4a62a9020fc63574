/* 15_cyclegan.c - lesson 15: CycleGAN, translation without pairs.
 *
 * The course question it answers: how can a network learn to turn one kind
 * of image into another when no image comes with its translation? Two
 * Fashion-MNIST classes are the two domains (sneakers and ankle boots by
 * default), two convolutional generators translate each way and two
 * PatchGAN-like discriminators judge the results (lib/cycle.h). The
 * cycle-consistency loss (exercise 25) asks that translating there and back
 * gives the image again. The lesson trains the pair twice, with the cycle
 * and without it, and measures on held-out images what the cycle keeps:
 * the reconstruction error, the correlation between each image and its
 * translation, and how often the lesson classifier recognises a translation
 * as the target class.
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

/* ------------------------------------------------------------ data */

/* The indices into ds of the images of one class, at most max: (*n). */
static int *class_indices(lesson *L, const nn_dataset *ds, int cls, int max, int *n)
{
    int *idx = lesson_alloc(L, (size_t)ds->n, sizeof(int));
    int k = 0;
    for (int i = 0; i < ds->n && k < max; i++)
        if (ds->labels[i] == cls) idx[k++] = i;
    *n = k;
    return idx;
}

/* The images of one class of ds, in [-1, 1]: (*n, 784), at most max. */
static float *class_images(lesson *L, const nn_dataset *ds, int cls, int max, int *n)
{
    int k;
    int *idx = class_indices(L, ds, cls, max, &k);
    float *x = lesson_alloc(L, (size_t)(k > 0 ? k : 1) * 784, sizeof(float));
    nn_dataset_gather(x, ds, idx, k, NN_RANGE_PM1);
    nn_free(idx);
    *n = k;
    return x;
}

/* Batches drawn without replacement from one domain's images, reshuffled
 * after each pass. The images stay bytes in the data set; each batch is
 * turned into floats as it is drawn. */
typedef struct {
    const nn_dataset *ds;
    const int *idx;             /* (n) the domain's images in ds */
    int n, pos;
    int *order;
    nn_rng rng;
} sampler;

static void sampler_init(lesson *L, sampler *s, const nn_dataset *ds, const int *idx, int n,
                         uint64_t seed, uint64_t stream)
{
    s->ds = ds;
    s->idx = idx;
    s->n = n;
    s->pos = 0;
    s->order = lesson_alloc(L, (size_t)n, sizeof(int));
    for (int i = 0; i < n; i++) s->order[i] = i;
    nn_rng_seed(&s->rng, seed, stream);
    nn_rng_shuffle(&s->rng, s->order, n);
}

static void sampler_next(sampler *s, float *out, int b)
{
    for (int i = 0; i < b; i++) {
        if (s->pos == s->n) {
            nn_rng_shuffle(&s->rng, s->order, s->n);
            s->pos = 0;
        }
        nn_dataset_gather(out + (size_t)i * 784, s->ds, &s->idx[s->order[s->pos++]], 1,
                          NN_RANGE_PM1);
    }
}

/* ------------------------------------------------------------ training */

/* One run's log, one entry per step. */
typedef struct {
    float *d, *adv;             /* (steps) means of the two D losses, of the two G
                                 * adversarial losses */
    float *cyc_a, *cyc_b, *id;  /* (steps) the two cycle losses, the identity losses' sum */
    long n;
    double seconds;
} run_log;

static void train(lesson *L, nn_cycle *c, sampler *sa, sampler *sb, float *xa, float *xb,
                  run_log *lg, const char *label)
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

/* One direction's figures on held-out images x (n): its translations and
 * reconstructions kept in t and r. */
typedef struct {
    double accuracy;    /* share of translations the classifier calls the target class */
    double rec_err;     /* mean |F(G(x)) - x| */
    double corr;        /* mean over images of Pearson(x, G(x)) */
    double corr_other;  /* the same against another input's translation, Pearson(x_i, G(x_i+1)) */
    double differ;      /* mean |G(x_i) - G(x_i+1)|: how much translations of different
                         * inputs differ (small: much the same image whatever the input) */
    double in_differ;   /* the same for the inputs, mean |x_i - x_i+1| */
    int top_wrong;      /* the class most often recognised instead of the target */
    double top_wrong_share;
} way;

static way measure(nn_model *G, nn_model *F, nn_model *net, const float *x, int n, int target,
                   float *t, float *r, int *labels)
{
    way w = {0, 0, 0, 0, 0, 0, 0, 0};
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

/* The grid of one run: rows A, G_ab(A), G_ba(G_ab(A)), B, G_ba(B), G_ab(G_ba(B)). */
static void grid(lesson *L, const char *png, const char *caption, const float *xa,
                 const float *ta, const float *ra, const float *xb, const float *tb,
                 const float *rb, int cols)
{
    nn_error err = {NN_OK, ""};
    float *g = lesson_alloc(L, (size_t)6 * cols * 784, sizeof(float));
    const float *rows[6] = {xa, ta, ra, xb, tb, rb};
    for (int r = 0; r < 6; r++)
        memcpy(g + (size_t)r * cols * 784, rows[r], (size_t)cols * 784 * sizeof(float));
    nn_grid_opts o = nn_grid_defaults(-1.0f, 1.0f);
    o.cols = cols;
    o.scale = 2;
    lesson_check(L, nn_image_write_grid(lesson_path(L, png), g, 6 * cols, 1, 28, 28, &o, &err),
                 &err);
    lesson_figure(L, png, caption);
    nn_free(g);
}

static void log_alloc(lesson *L, run_log *lg)
{
    lg->d = lesson_alloc(L, (size_t)steps, sizeof(float));
    lg->adv = lesson_alloc(L, (size_t)steps, sizeof(float));
    lg->cyc_a = lesson_alloc(L, (size_t)steps, sizeof(float));
    lg->cyc_b = lesson_alloc(L, (size_t)steps, sizeof(float));
    lg->id = lesson_alloc(L, (size_t)steps, sizeof(float));
}

static void log_free(run_log *lg)
{
    nn_free(lg->d);
    nn_free(lg->adv);
    nn_free(lg->cyc_a);
    nn_free(lg->cyc_b);
    nn_free(lg->id);
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
    nn_error err = {NN_OK, ""};
    double t_start = lesson_seconds();
    if (L->fast && steps == DEFAULT_STEPS) steps = FAST_STEPS;
    if (class_a == class_b)
        lesson_fail(L, LESSON_EXIT_INPUT, "--a and --b are both %d: the two domains must be two "
                    "different classes", class_a);
    lesson_use_threads(threads);
    char lab_path[1024];
    if (save_samples) {
        if (snprintf(lab_path, sizeof lab_path, "%s.labels", save_samples) >= (int)sizeof lab_path)
            lesson_fail(L, LESSON_EXIT_INPUT, "--save-samples: the path is too long");
        trainrun_check_writable(L, "save-samples", save_samples);
        trainrun_check_writable(L, "save-samples", lab_path);
    }

    /* ------------------------------------------------------------ domains */
    lesson_step(L, "Two domains, no pairs");
    nn_dataset ds, test;
    lesson_check(L, nn_dataset_load_mnist(&ds, data_dir, NN_SPLIT_TRAIN, &err), &err);
    lesson_check(L, nn_dataset_load_mnist(&test, data_dir, NN_SPLIT_TEST, &err), &err);
    if (ds.c * ds.h * ds.w != 784)
        lesson_fail(L, LESSON_EXIT_INPUT, "--data: images of %d x %d x %d; these networks read "
                    "1 x 28 x 28 grey images", ds.c, ds.h, ds.w);
    const char *name_a = ds.class_names[class_a], *name_b = ds.class_names[class_b];
    int na, nb, ta_n, tb_n;
    int *train_a = class_indices(L, &ds, class_a, 1 << 30, &na);
    int *train_b = class_indices(L, &ds, class_b, 1 << 30, &nb);
    int n_test = L->fast ? FAST_TEST : 1 << 30;
    float *test_a = class_images(L, &test, class_a, n_test, &ta_n);
    float *test_b = class_images(L, &test, class_b, n_test, &tb_n);
    if (na < batch || nb < batch || ta_n < GRID_N || tb_n < GRID_N)
        lesson_fail(L, LESSON_EXIT_INPUT, "--data: classes %d and %d have %d and %d training "
                    "images and %d and %d test images; each needs at least --batch %d and %d",
                    class_a, class_b, na, nb, ta_n, tb_n, batch, GRID_N);
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

    /* ------------------------------------------------------------ networks */
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
    nn_cycle *cyc = make_cycle(L, lambda, lambda_id);
    {
        FILE *f = lesson_capture_begin(L);
        gan_print_layers(f, cyc->G_ab, "generator G_ab (G_ba is the same)");
        gan_print_layers(f, cyc->D_b, "discriminator D_b (D_a is the same)");
        lesson_capture_end(L);
    }
    lesson_key(L, "g_params", "%zu", nn_model_param_count(cyc->G_ab));
    lesson_key(L, "d_params", "%zu", nn_model_param_count(cyc->D_b));

    /* ------------------------------------------------------------ losses */
    lesson_step(L, "The losses, and your cycle loss");
    lesson_say(L,
               "The adversarial losses are least squares, as the paper's: D_b pushes its "
               "scores toward 1 on real B and 0 on G_ab's fakes, G_ab pushes them toward 1. "
               "They only ask that G_ab's output looks like some B: any boot will do, the "
               "same boot for every sneaker too. The cycle-consistency loss ties each image "
               "to its own translation: a -> G_ab(a) -> G_ba(G_ab(a)) must give a back, and "
               "b -> G_ba(b) -> G_ab(G_ba(b)) must give b; the identity loss asks G_ab to "
               "leave a real B alone (and G_ba an A):\n\n"
               "  L_G = mean (D_b(G_ab(a)) - 1)^2 + mean (D_a(G_ba(b)) - 1)^2\n"
               "        + lambda (mean |G_ba(G_ab(a)) - a| + mean |G_ab(G_ba(b)) - b|)\n"
               "        + lambda_id (mean |G_ab(b) - b| + mean |G_ba(a) - a|)\n\n"
               "with lambda %g (the paper's: 10) and lambda_id %g. Both absolute-value terms "
               "are exercise 25, nn_cycle_loss: L1, as the paper, whose gradient has the same "
               "size however large the error, so it does not average edges away as the "
               "squared error of lesson 13 does.",
               (double)lambda, (double)lambda_id);
    if (lambda_id == 0.0f)
        lesson_say(L,
                   "The paper weighs the identity term at half of lambda, for paintings and "
                   "photos, where it keeps the colours; it is off here (--lambda-id sets it). "
                   "A sneaker must change its shape to become a boot, and the identity term "
                   "rewards generators that copy what they are given. Measured on the "
                   "course machine with this lesson's defaults (seed 15) and the paper's "
                   "lambda_id 5: 17.8%% of the translated sneakers were recognised as boots "
                   "and 79.2%% still as sneakers, each translation correlating 0.80 with its "
                   "input. Step 7 gives this run's figures without it.");
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
               "One step (lib/cycle.h, nn_cycle_step) runs G_ab on the A batch, D_b on the "
               "fakes (frozen: its gradient goes into the fakes only), G_ba on the fakes for "
               "the way back, and back-propagates the cycle's gradient through G_ba into the "
               "fakes and on through G_ab; the same the other way round, then the identity "
               "terms; one Adam step for each generator; then D_b and D_a each learn from a "
               "real batch and this step's fakes (the paper's pool of 50 older fakes is left "
               "out). The course's one GAN step (lesson 06's) cannot do this: its G reads a "
               "latent vector, and no loss there runs through a second generator.");

    /* ------------------------------------------------------------ train with */
    lesson_step(L, "Training with the cycle");
    lesson_say(L, "%d steps of %d A and %d B images, Adam with betas (0.5, 0.999) for all "
               "four networks, the learning rate %g for the first half and then brought down "
               "linearly to 0, as the paper's schedule.%s", steps, batch, batch, (double)lr,
               L->fast ? " (--fast: a few steps.)" : "");
    sampler sa, sb;
    float *xa = lesson_alloc(L, (size_t)batch * 784, sizeof(float));
    float *xb = lesson_alloc(L, (size_t)batch * 784, sizeof(float));
    run_log lg_c, lg_n;
    log_alloc(L, &lg_c);
    log_alloc(L, &lg_n);
    sampler_init(L, &sa, &ds, train_a, na, L->seed, 10);
    sampler_init(L, &sb, &ds, train_b, nb, L->seed, 11);
    lesson_code(L, "train");
    train(L, cyc, &sa, &sb, xa, xb, &lg_c, "with the cycle");
    lesson_print(L, "%ld steps in %.1f s; last %d steps' means: D %.3f, G adversarial %.3f, "
                 "cycles %.3f and %.3f, identity %.3f\n", lg_c.n, lg_c.seconds,
                 lg_c.n < TRAINRUN_END_WINDOW ? (int)lg_c.n : TRAINRUN_END_WINDOW,
                 (double)trainrun_tail_mean(lg_c.d, lg_c.n),
                 (double)trainrun_tail_mean(lg_c.adv, lg_c.n),
                 (double)trainrun_tail_mean(lg_c.cyc_a, lg_c.n),
                 (double)trainrun_tail_mean(lg_c.cyc_b, lg_c.n),
                 (double)trainrun_tail_mean(lg_c.id, lg_c.n));
    trainrun_plot_pair(L, "cycle_adversarial", "with the cycle: D's and G's least-squares "
                       "losses (means of the two)", "loss", lg_c.d, "D", lg_c.adv, "G", lg_c.n,
                       0);
    trainrun_plot_pair(L, "cycle_cycle", "with the cycle: the cycle losses, lambda mean "
                       "|F(G(x)) - x|", "loss", lg_c.cyc_a, "A -> B -> A", lg_c.cyc_b,
                       "B -> A -> B", lg_c.n, 0);
    lesson_key(L, "steps", "%d", steps);
    lesson_key_quiet(L, "batch", "%d", batch);
    lesson_key_quiet(L, "lambda", "%g", (double)lambda);
    lesson_key_quiet(L, "lambda_id", "%g", (double)lambda_id);
    lesson_key(L, "cycle_train_s", "%.1f", lg_c.seconds);

    /* ------------------------------------------------------------ train without */
    lesson_step(L, "Training without it");
    lesson_say(L,
               "The same networks from the same starting weights, the same batches, and "
               "lambda 0: only the adversarial losses.%s Nothing now asks G_ab to keep "
               "anything of its input.",
               lambda_id > 0.0f ? " The identity loss is off too (lambda_id 0): it would keep "
                                  "a weaker cycle of its own, asking each generator to copy "
                                  "the images it is given." : "");
    nn_cycle *nocyc = make_cycle(L, 0.0f, 0.0f);
    nn_free(sa.order);
    nn_free(sb.order);
    sampler_init(L, &sa, &ds, train_a, na, L->seed, 10);
    sampler_init(L, &sb, &ds, train_b, nb, L->seed, 11);
    train(L, nocyc, &sa, &sb, xa, xb, &lg_n, "without the cycle");
    lesson_print(L, "%ld steps in %.1f s; last %d steps' means: D %.3f, G adversarial %.3f\n",
                 lg_n.n, lg_n.seconds,
                 lg_n.n < TRAINRUN_END_WINDOW ? (int)lg_n.n : TRAINRUN_END_WINDOW,
                 (double)trainrun_tail_mean(lg_n.d, lg_n.n),
                 (double)trainrun_tail_mean(lg_n.adv, lg_n.n));
    trainrun_plot_pair(L, "nocycle_adversarial", "without the cycle: D's and G's least-squares "
                       "losses (means of the two)", "loss", lg_n.d, "D", lg_n.adv, "G", lg_n.n,
                       0);
    lesson_key(L, "nocycle_train_s", "%.1f", lg_n.seconds);

    /* ------------------------------------------------------------ look */
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
    nn_model *net = classifier_create(256, &err);
    if (!net) lesson_check(L, err.code, &err);
    judge_get_classifier(L, net, L->fast ? &test : &ds);
    way c_ab = measure(cyc->G_ab, cyc->G_ba, net, test_a, ta_n, class_b, t_ab, r_a, lab);
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
    way c_ba = measure(cyc->G_ba, cyc->G_ab, net, test_b, tb_n, class_a, t_ba, r_b, lab);
    way n_w_ab = measure(nocyc->G_ab, nocyc->G_ba, net, test_a, ta_n, class_b, n_ab, nr_a, lab);
    way n_w_ba = measure(nocyc->G_ba, nocyc->G_ab, net, test_b, tb_n, class_a, n_ba, nr_b, lab);
    lesson_say(L,
               "Held-out images: in each grid, row 1 is %s test images, row 2 their "
               "translations G_ab(a), row 3 the way back G_ba(G_ab(a)); rows 4 to 6 the same "
               "for %s images through G_ba and back through G_ab.", name_a, name_b);
    grid(L, "cycle_translations.png", "with the cycle: A, G_ab(A), G_ba(G_ab(A)); B, G_ba(B), "
         "G_ab(G_ba(B))", test_a, t_ab, r_a, test_b, t_ba, r_b, GRID_N);
    grid(L, "nocycle_translations.png", "without the cycle: the same rows", test_a, n_ab, nr_a,
         test_b, n_ba, nr_b, GRID_N);
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

    /* ------------------------------------------------------------ measure */
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
    double real_a, real_b;
    {
        int *got = lesson_alloc(L, (size_t)(ta_n > tb_n ? ta_n : tb_n), sizeof(int));
        int ok = 0;
        classifier_predict(net, test_a, ta_n, got);
        for (int i = 0; i < ta_n; i++) ok += got[i] == class_a;
        real_a = (double)ok / ta_n;
        ok = 0;
        classifier_predict(net, test_b, tb_n, got);
        for (int i = 0; i < tb_n; i++) ok += got[i] == class_b;
        real_b = (double)ok / tb_n;
        nn_free(got);
    }
    lesson_print(L, "the judge on real test images: %s %.1f%% recognised as %s, %s %.1f%% "
                 "as %s\n", name_a, 100 * real_a, name_a, name_b, 100 * real_b, name_b);
    lesson_key_quiet(L, "judge_real_a_accuracy", "%.4f", real_a);
    lesson_key_quiet(L, "judge_real_b_accuracy", "%.4f", real_b);
    lesson_print(L, "%-24s %13s %13s %13s %13s\n", "", "with: A->B", "with: B->A",
                 "without: A->B", "without: B->A");
    lesson_print(L, "%-24s %12.1f%% %12.1f%% %12.1f%% %12.1f%%\n", "recognised as target",
                 100 * c_ab.accuracy, 100 * c_ba.accuracy, 100 * n_w_ab.accuracy,
                 100 * n_w_ba.accuracy);
    lesson_print(L, "%-24s %13.4f %13.4f %13.4f %13.4f\n", "reconstruction error",
                 c_ab.rec_err, c_ba.rec_err, n_w_ab.rec_err, n_w_ba.rec_err);
    lesson_print(L, "%-24s %13.4f %13.4f %13.4f %13.4f\n", "corr. with own input", c_ab.corr,
                 c_ba.corr, n_w_ab.corr, n_w_ba.corr);
    lesson_print(L, "%-24s %13.4f %13.4f %13.4f %13.4f\n", "corr. with another's",
                 c_ab.corr_other, c_ba.corr_other, n_w_ab.corr_other, n_w_ba.corr_other);
    lesson_print(L, "%-24s %13.4f %13.4f %13.4f %13.4f\n", "next translation differs",
                 c_ab.differ, c_ba.differ, n_w_ab.differ, n_w_ba.differ);
    lesson_print(L, "%-24s %13.4f %13.4f %13s %13s\n", "  (the inputs differ)", c_ab.in_differ,
                 c_ba.in_differ, "", "");
    {
        const way *ws[4] = {&c_ab, &c_ba, &n_w_ab, &n_w_ba};
        lesson_print(L, "%-24s", "most common other class");
        for (int i = 0; i < 4; i++) {
            char cell[40];
            snprintf(cell, sizeof cell, "%.8s %.1f%%", ds.class_names[ws[i]->top_wrong],
                     100 * ws[i]->top_wrong_share);
            lesson_print(L, " %13s", ws[i]->top_wrong_share > 0 ? cell : "-");
        }
        lesson_print(L, "\n");
    }
    double rec_c = 0.5 * (c_ab.rec_err + c_ba.rec_err);
    double rec_n = 0.5 * (n_w_ab.rec_err + n_w_ba.rec_err);
    double corr_c = 0.5 * (c_ab.corr + c_ba.corr), corr_n = 0.5 * (n_w_ab.corr + n_w_ba.corr);
    double other_c = 0.5 * (c_ab.corr_other + c_ba.corr_other);
    double other_n = 0.5 * (n_w_ab.corr_other + n_w_ba.corr_other);
    lesson_key(L, "cycle_ab_accuracy", "%.4f", c_ab.accuracy);
    lesson_key(L, "cycle_ba_accuracy", "%.4f", c_ba.accuracy);
    lesson_key(L, "nocycle_ab_accuracy", "%.4f", n_w_ab.accuracy);
    lesson_key(L, "nocycle_ba_accuracy", "%.4f", n_w_ba.accuracy);
    lesson_key(L, "cycle_rec_err", "%.4f", rec_c);
    lesson_key(L, "nocycle_rec_err", "%.4f", rec_n);
    lesson_key(L, "cycle_corr", "%.4f", corr_c);
    lesson_key(L, "nocycle_corr", "%.4f", corr_n);
    lesson_key_quiet(L, "cycle_corr_other", "%.4f", other_c);
    lesson_key_quiet(L, "nocycle_corr_other", "%.4f", other_n);
    lesson_key_quiet(L, "cycle_ab_rec_err", "%.4f", c_ab.rec_err);
    lesson_key_quiet(L, "cycle_ba_rec_err", "%.4f", c_ba.rec_err);
    lesson_key_quiet(L, "nocycle_ab_rec_err", "%.4f", n_w_ab.rec_err);
    lesson_key_quiet(L, "nocycle_ba_rec_err", "%.4f", n_w_ba.rec_err);
    {
        const float bars[4] = {(float)rec_c, (float)rec_n, (float)corr_c, (float)corr_n};
        const char *labels[4] = {"rec. error, cycle", "rec. error, none", "corr., cycle",
                                 "corr., none"};
        nn_plot p = {.dir = L->out, .name = "cycle_keeps", .title = "held-out images: "
                     "reconstruction error and input-translation correlation", .ylabel = "value",
                     .term = lesson_capture_begin(L), .term_rows = 14};
        nn_status s = nn_plot_bars(&p, bars, labels, 4, &err);
        lesson_capture_end(L);
        lesson_plot_shown(L, &p, s, &err, "with and without the cycle, means of the two ways");
    }
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
        double diff_c = 0.5 * (c_ab.differ + c_ba.differ);
        double diff_n = 0.5 * (n_w_ab.differ + n_w_ba.differ);
        double diff_x = 0.5 * (c_ab.in_differ + c_ba.in_differ);
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

    /* ------------------------------------------------------------ save */
    if (save_samples)
        lesson_print(L, "%d A -> B translations -> %s, their class (%d, %s) -> %s\n", ta_n,
                     save_samples, class_b, name_b, lab_path);
    lesson_key(L, "wall_s", "%.1f", lesson_seconds() - t_start);

    nn_model_free(net);
    nn_cycle_free(cyc);
    nn_cycle_free(nocyc);
    log_free(&lg_c);
    log_free(&lg_n);
    nn_free(sa.order);
    nn_free(sb.order);
    nn_free(xa);
    nn_free(xb);
    nn_free(t_ab);
    nn_free(r_a);
    nn_free(t_ba);
    nn_free(r_b);
    nn_free(n_ab);
    nn_free(nr_a);
    nn_free(n_ba);
    nn_free(nr_b);
    nn_free(lab);
    nn_free(train_a);
    nn_free(train_b);
    nn_free(test_a);
    nn_free(test_b);
    nn_dataset_free(&ds);
    nn_dataset_free(&test);
    return lesson_end(L);
}
