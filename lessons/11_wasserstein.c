/* 11_wasserstein.c - lesson 11: why GAN training fails to converge, the
 * tricks that help, and the Wasserstein GAN.
 *
 * The course questions it answers: why the Jensen-Shannon divergence gives a
 * generator nothing to follow when the two distributions do not overlap, and
 * the Wasserstein distance does; what a critic is; weight clipping and the
 * gradient penalty, with their pictures (weights at the bound, gradient norms
 * layer by layer); whether the critic's estimate of the distance tracks the
 * samples' quality (against the Frechet distance, and against a vanilla
 * GAN's D loss); why simultaneous gradient steps on a game spiral; and the
 * classic tricks and objectives, each measured over seeds on Fashion-MNIST.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "judge.h"
#include "lesson.h"
#include "mlpgan.h"
#include "nn.h"
#include "toygan.h"
#include "trainrun.h"

/* The default run (G updates): within 6 minutes on the 2-core course
 * machine with lesson 09's classifier at hand (summary.tsv has wall_s). */
#define DEFAULT_STEPS 1200
#define DEFAULT_TABLE_STEPS 300
#define FAST_STEPS 24
#define FAST_TABLE_STEPS 12
#define DEFAULT_SEEDS 3
#define WARM_STEPS 25        /* the WGAN-GP main run's critic warm-up: 25 G updates ... */
#define WARM_D_STEPS 100     /* ... of 100 critic updates each */
#define DEEP_LAYERS 8       /* the deep critic of the clipping sweep: 8 hidden layers */
#define DEEP_WIDTH 128      /* of 128 units */
#define FAST_IMAGES 1024
#define JUDGE_N 1000        /* samples and test images behind every Frechet distance */
#define FAST_JUDGE_N 256
#define N_LOG 16            /* points logged along each main run */
#define FAST_N_LOG 6        /* ... under --fast (each costs a Frechet distance) */
#define BOUND_BAND 0.05f    /* "at the bound": within 5% of +c or -c */

static int steps = DEFAULT_STEPS;
static int table_steps = DEFAULT_TABLE_STEPS;
static int full_tables = 0;
static int seeds = DEFAULT_SEEDS;
static float clip_c = 0.01f;
static float gp_lambda = 10.0f;
static int bilinear_steps = 100;
static float bilinear_lr = 0.1f;
static const char *save_samples = NULL;
static int n_export = 1000;
static const char *data_dir = NULL;
static int threads = 0;
static const lesson_flag flags[] = {
    {"steps", LESSON_INT, &steps, "G updates of each Fashion-MNIST main run", 2, 1000000,
     NULL},
    {"table-steps", LESSON_INT, &table_steps, "G updates of each run of the two tables", 2,
     1000000, NULL},
    {"full-tables", LESSON_SWITCH, &full_tables, "the tables' runs as long as the main runs "
     "(--steps)", 0, 0, NULL},
    {"seeds", LESSON_INT, &seeds, "seeds per row of the tables", 1, 20, NULL},
    {"clip", LESSON_FLOAT, &clip_c, "WGAN's weight clipping bound c", 1e-5, 10.0, NULL},
    {"lambda", LESSON_FLOAT, &gp_lambda, "WGAN-GP's penalty weight", 0.0, 1000.0, NULL},
    {"bilinear-steps", LESSON_INT, &bilinear_steps, "steps of the game x y", 2, 100000, NULL},
    {"bilinear-lr", LESSON_FLOAT, &bilinear_lr, "step size on the game x y", 1e-4, 1.0, NULL},
    {"save-samples", LESSON_STRING, &save_samples, "write --samples of WGAN-GP's images to "
     "FILE (IDX, like Fashion-MNIST)", 0, 0, NULL},
    {"samples", LESSON_INT, &n_export, "images --save-samples writes", 1, 100000, NULL},
    {"data", LESSON_STRING, &data_dir, "folder of an MNIST-format data set (default: "
     "Fashion-MNIST)", 0, 0, NULL},
    {"threads", LESSON_INT, &threads, "threads for the products; 0: GANSTEPS_THREADS if set, "
     "else 2", 0, 64, NULL},
};

static void plot_lines(lesson *L, const char *name, const char *title, const char *xlabel,
                       const char *ylabel, const float *x, const float *const *ys,
                       const char *const *names, int k, int n, int logy)
{
    nn_error err = {NN_OK, ""};
    nn_plot p = {.dir = L->out, .name = name, .title = title, .xlabel = xlabel,
                 .ylabel = ylabel, .logy = logy, .term = lesson_capture_begin(L),
                 .term_rows = 18};
    nn_status s = nn_plot_lines(&p, x, ys, names, k, n, &err);
    lesson_capture_end(L);
    lesson_plot_shown(L, &p, s, &err, title);
}

/* ================================================================ disjoint supports */

/* Sample-based divergences of real x ~ N(0, sd) and fake x ~ N(theta, sd),
 * from n draws each, through a histogram of bins of width w. */
typedef struct {
    double js, kl_pq, kl_qp, w1;
} divergences;

static int cmp_float(const void *a, const void *b)
{
    float u = *(const float *)a, v = *(const float *)b;
    return (u > v) - (u < v);
}

/* real and fake (n) sorted; fake = the sorted base noise shifted by theta,
 * so the estimate moves smoothly with theta. */
static divergences estimate(const float *real, const float *fake, int n, float lo, float w,
                            int bins, int *hp, int *hq)
{
    memset(hp, 0, (size_t)bins * sizeof *hp);
    memset(hq, 0, (size_t)bins * sizeof *hq);
    for (int i = 0; i < n; i++) {
        int a = (int)floorf((real[i] - lo) / w), b = (int)floorf((fake[i] - lo) / w);
        if (a >= 0 && a < bins) hp[a]++;
        if (b >= 0 && b < bins) hq[b]++;
    }
    divergences d = {0, 0, 0, 0};
    for (int k = 0; k < bins; k++) {
        double p = (double)hp[k] / n, q = (double)hq[k] / n, m = 0.5 * (p + q);
        if (p > 0) d.js += 0.5 * p * log(p / m);
        if (q > 0) d.js += 0.5 * q * log(q / m);
        if (p > 0) d.kl_pq += q > 0 ? p * log(p / q) : INFINITY;
        if (q > 0) d.kl_qp += p > 0 ? q * log(q / p) : INFINITY;
    }
    /* W1 between two samples of equal size on a line: the mean distance
     * between the i-th smallest of each (the optimal transport pairs them
     * in order). */
    for (int i = 0; i < n; i++) d.w1 += fabs((double)fake[i] - real[i]);
    d.w1 /= n;
    return d;
}

/* ================================================================ the critic's view */

/* Mean critic score on x (n rows), D in eval mode, in chunks of its batch. */
static double mean_score(nn_model *D, const float *x, int n)
{
    double s = 0.0;
    for (int i = 0; i < n; i += D->max_batch) {
        int k = n - i < D->max_batch ? n - i : D->max_batch;
        const float *y = nn_model_forward(D, x + (size_t)i * (size_t)D->in, k, 0);
        for (int j = 0; j < k; j++) s += y[j];
    }
    return s / n;
}

/* The weights (not biases) of every linear layer of m, copied into w;
 * returns how many, and how many lie within 5% of +c or -c: | |w| - c | <=
 * 0.05 c, which for a clipped critic (|w| <= c) is |w| >= 0.95 c. */
static int linear_weights(const nn_model *m, float *w, float c, int *at_bound)
{
    int n = 0, at = 0;
    for (int i = 0; i < m->n_layers; i++) {
        const nn_layer *l = &m->layers[i];
        if (l->spec.kind != NN_LAYER_LINEAR) continue;
        for (int k = 0; k < l->in * l->out; k++) {
            w[n++] = l->w[k];
            at += fabsf(fabsf(l->w[k]) - c) <= BOUND_BAND * c;
        }
    }
    *at_bound = at;
    return n;
}

/* Per linear layer of m (input first): the share of its weights within 5%
 * of +-c, and its count of weights. Returns the number of linear layers. */
static int layer_shares(const nn_model *m, float c, double *share, long *count)
{
    int k = 0;
    for (int i = 0; i < m->n_layers; i++) {
        const nn_layer *l = &m->layers[i];
        if (l->spec.kind != NN_LAYER_LINEAR) continue;
        long n = (long)l->in * l->out, at = 0;
        for (long j = 0; j < n; j++) at += fabsf(fabsf(l->w[j]) - c) <= BOUND_BAND * c;
        share[k] = (double)at / (double)n;
        count[k++] = n;
    }
    return k;
}

/* ================================================================ training */

/* The data: the training images, a reshuffled order, and where we are in it. */
typedef struct {
    nn_dataset ds;
    int *order;
    int pos;
    nn_rng rng;
} feed;

static void feed_batches(feed *f, float *real, int count)
{
    for (int done = 0; done < count;) {
        if (f->pos == f->ds.n) {
            nn_rng_shuffle(&f->rng, f->order, f->ds.n);
            f->pos = 0;
        }
        int k = count - done < f->ds.n - f->pos ? count - done : f->ds.n - f->pos;
        nn_dataset_gather(real + (size_t)done * 784, &f->ds, f->order + f->pos, k,
                          NN_RANGE_PM1);
        f->pos += k;
        done += k;
    }
}

/* One way to train: the networks' shape, the step's options, and the two
 * tricks that are not a field of the config (a schedule and D's decay). */
typedef struct {
    const char *name;
    nn_gan_arch arch;
    nn_gan_config cfg;
    float noise0;          /* instance noise at step 0, lowered linearly to 0 at the end */
    float d_decay;         /* weight decay on D (L2, in its optimizer) */
    int warm_steps;        /* the first warm_steps G updates take warm_d_steps D updates */
    int warm_d_steps;      /* each (a critic trained close to optimal before G moves much) */
} recipe;

/* What the main runs log, up to N_LOG points. */
typedef struct {
    int n, want;          /* logged so far, to log */
    float step[N_LOG], w_est[N_LOG], fd[N_LOG], d_loss[N_LOG];
} curve;

/* What one run ends with. */
typedef struct {
    double fd;
    int classes;
    long diverged_at;      /* the step a loss went NaN / exploded, 0 if none */
    double wall_s;
} outcome;

/* The shared evaluation set: fixed latent vectors and real test images. */
typedef struct {
    judge *j;
    float *z;              /* (j->n, latent) */
    float *real;           /* (j->n, 784): the judge's test images, for the critic */
} evalset;

/* Trains recipe r from seed for n_steps G updates; logs `log` (may be
 * NULL) at N_LOG evenly spaced steps; judges the end. Returns the GAN (the
 * caller frees it). A diverging run stops there and says so in o. */
static nn_gan *train(lesson *L, const recipe *r, uint64_t seed, int n_steps, feed *f,
                     evalset *ev, curve *log, const char *label, outcome *o)
{
    nn_error err = {NN_OK, ""};
    nn_gan *t = nn_gan_create(&r->arch, &r->cfg, NN_INIT_NORMAL_002, seed, &err);
    if (!t) lesson_check(L, err.code, &err);
    t->opt_d.weight_decay = r->d_decay;
    int b = r->cfg.batch;
    int most = r->warm_d_steps > r->cfg.d_steps ? r->warm_d_steps : r->cfg.d_steps;
    float *real = lesson_alloc(L, (size_t)most * (size_t)b * 784, sizeof(float));
    nn_gan_stats st;
    memset(o, 0, sizeof *o);
    if (log) log->n = 0;
    double dsum = 0.0;
    int dn = 0;
    lesson_progress pr;
    lesson_progress_start(L, &pr, label, n_steps);
    double t0 = lesson_seconds();
    for (int s = 1; s <= n_steps; s++) {
        t->cfg.instance_noise = r->noise0 * (1.0f - (float)(s - 1) / (float)n_steps);
        t->cfg.d_steps = s <= r->warm_steps ? r->warm_d_steps : r->cfg.d_steps;
        feed_batches(f, real, nn_gan_real_batches(t) * b);
        nn_gan_step(t, real, &st);
        if (trainrun_diverged(&st)) {
            o->diverged_at = s;
            break;
        }
        dsum += st.d_loss;
        dn++;
        if (log && log->n < log->want &&
            s == (int)((long)n_steps * (log->n + 1) / log->want)) {
            int k = log->n++;
            log->step[k] = (float)s;
            log->d_loss[k] = (float)(dsum / dn);
            dsum = 0.0;
            dn = 0;
            /* The critic's estimate of W: mean score of real minus mean score
             * of fake, on the same fixed sets at every point. */
            gan_sample_images(ev->j->img, t->G, ev->z, ev->j->n);
            log->w_est[k] = (float)(mean_score(t->D, ev->real, ev->j->n) -
                                    mean_score(t->D, ev->j->img, ev->j->n));
            log->fd[k] = (float)judge_generator(L, ev->j, t->G, ev->z, NULL);
        }
        lesson_progress_tick(&pr, s, "d_loss %.3f g_loss %.3f", st.d_loss, st.g_loss);
    }
    lesson_progress_done(&pr);
    o->wall_s = lesson_seconds() - t0;
    t->cfg.instance_noise = 0.0f;
    o->fd = o->diverged_at ? NAN : judge_generator(L, ev->j, t->G, ev->z, &o->classes);
    if (!isfinite(o->fd) && !o->diverged_at) o->diverged_at = n_steps;
    nn_free(real);
    return t;
}

/* The critic: linear layers and leaky ReLUs (what the penalty's code
 * covers), no dropout or normalisation (WGAN-GP asks for none), and most of
 * its weights past the input layer, as in the papers' convolutional critics:
 * 784 pixels narrow to 128 first, then two layers of 512. G is lesson 06's
 * default. */
static nn_gan_arch wgan_arch(void)
{
    nn_gan_arch a = mlpgan_arch_default();
    a.d_dropout = 0.0f;
    a.n_d_hidden = 3;
    a.d_hidden[0] = 128;
    a.d_hidden[1] = 512;
    a.d_hidden[2] = 512;
    return a;
}

static recipe recipe_wgan_clip(float c)
{
    /* Arjovsky et al. (2017), Algorithm 1: RMSProp at 5e-5, c = 0.01,
     * 5 critic updates per generator update. */
    recipe r = {.name = "wgan-clip", .arch = wgan_arch(), .cfg = nn_gan_config_default()};
    r.cfg.objective = NN_GAN_WASSERSTEIN;
    r.cfg.rmsprop = 1;
    r.cfg.lr_g = r.cfg.lr_d = 5e-5f;
    r.cfg.d_steps = 5;
    r.cfg.clip = c;
    return r;
}

static recipe recipe_wgan_gp(float lambda)
{
    /* Gulrajani et al. (2017), Algorithm 1: lambda 10, Adam 1e-4 with betas
     * (0, 0.9), 5 critic updates per generator update. */
    recipe r = {.name = "wgan-gp", .arch = wgan_arch(), .cfg = nn_gan_config_default()};
    r.cfg.objective = NN_GAN_WASSERSTEIN;
    r.cfg.lr_g = r.cfg.lr_d = 1e-4f;
    r.cfg.beta1 = 0.0f;
    r.cfg.beta2 = 0.9f;
    r.cfg.d_steps = 5;
    r.cfg.gp_lambda = lambda;
    return r;
}

/* Lesson 06's default: its MLPs, the non-saturating loss, DCGAN's Adam,
 * one-sided label smoothing (real label 0.9). */
static recipe recipe_vanilla(void)
{
    recipe r = {.name = "vanilla", .arch = mlpgan_arch_default(),
                .cfg = nn_gan_config_default()};
    r.cfg.real_label = 0.9f;
    return r;
}

/* How the critic's gradient travels back: for the mean score over the batch
 * x (b rows, D in eval mode), the norm of its gradient at the input of each
 * linear layer, first (the images) to last, per image, into norms; returns
 * how many. buf (2, b * widest) is scratch. The chain rule by hand, layer by
 * layer, because a backward pass keeps only the gradient at the input. */
static int critic_backward_norms(nn_model *D, const float *x, int b, float *norms, float *buf,
                                 size_t widest)
{
    nn_model_forward(D, x, b, 0);
    float *dy = buf, *dx = buf + (size_t)b * widest;
    for (int i = 0; i < b; i++) dy[i] = 1.0f / (float)b;
    int k = 0;
    for (int i = 0; i < D->n_layers; i++) k += D->layers[i].spec.kind == NN_LAYER_LINEAR;
    const int n = k;
    for (int i = D->n_layers - 1; i >= 0; i--) {
        const nn_layer *l = &D->layers[i];
        const float *in = i > 0 ? D->layers[i - 1].y : x;
        size_t count = (size_t)b * (size_t)l->in;
        memset(dx, 0, count * sizeof *dx);
        if (l->spec.kind == NN_LAYER_LINEAR) {
            nn_linear_backward(dx, NULL, NULL, dy, in, l->w, b, l->in, l->out);
            norms[--k] = nn_norm2(dx, count) * (float)sqrt((double)b);
        } else {
            nn_leaky_relu_backward(dx, dy, in, l->spec.arg, count);
        }
        float *t = dy;
        dy = dx;
        dx = t;
    }
    return n;
}

/* Mean ||grad_x D|| at points between real and fake (lambda 0: measured,
 * nothing added to D's gradient). */
static float interp_norm(lesson *L, nn_gan *t, const float *real)
{
    nn_error err = {NN_OK, ""};
    nn_gradpen gp;
    lesson_check(L, nn_gradpen_init(&gp, t->D, &err), &err);
    int b = t->cfg.batch;
    nn_sample_latent(t->z, b, t->arch.latent_dim, &t->rng);
    memcpy(t->fake, nn_model_forward(t->G, t->z, b, 0), (size_t)b * 784 * sizeof(float));
    float *eps = lesson_alloc(L, (size_t)b, sizeof(float));
    float *interp = lesson_alloc(L, (size_t)b * 784, sizeof(float));
    nn_rng_fill_uniform(&t->rng, eps, (size_t)b, 0.0f, 1.0f);
    nn_gradpen_interpolate(interp, real, t->fake, eps, b, 784);
    float norm = 0.0f;
    nn_gradpen_add(&gp, t->D, interp, b, 0.0f, &norm);
    nn_gradpen_free(&gp);
    nn_free(eps);
    nn_free(interp);
    return norm;
}

/* ================================================================ tables */

typedef struct {
    double fd_mean, fd_sd, classes_mean, wall_mean;
    int diverged;
} row_stats;

static row_stats run_row(lesson *L, const recipe *r, int n_seeds, int n_steps, feed *f,
                         evalset *ev)
{
    row_stats rs = {0, 0, 0, 0, 0};
    double fds[20];
    int ok = 0;
    for (int s = 0; s < n_seeds; s++) {
        char label[64];
        snprintf(label, sizeof label, "%s, seed %d", r->name, s + 1);
        outcome o;
        nn_gan_free(train(L, r, L->seed + 100 + (uint64_t)s, n_steps, f, ev, NULL, label, &o));
        rs.wall_mean += o.wall_s / n_seeds;
        if (o.diverged_at) {
            rs.diverged++;
            continue;
        }
        fds[ok++] = o.fd;
        rs.classes_mean += o.classes;
    }
    if (ok > 0) {
        for (int i = 0; i < ok; i++) rs.fd_mean += fds[i] / ok;
        for (int i = 0; i < ok; i++) rs.fd_sd += (fds[i] - rs.fd_mean) * (fds[i] - rs.fd_mean);
        rs.fd_sd = ok > 1 ? sqrt(rs.fd_sd / (ok - 1)) : 0.0;
        rs.classes_mean /= ok;
    } else {
        rs.fd_mean = rs.fd_sd = rs.classes_mean = NAN;
    }
    return rs;
}

static void print_row(lesson *L, const char *name, const row_stats *rs, int n_seeds)
{
    lesson_print(L, "%-28s %9.1f %7.1f %8.1f %8.2f %5d/%d\n", name, rs->fd_mean, rs->fd_sd,
                 rs->classes_mean, rs->wall_mean, rs->diverged, n_seeds);
}

/* summary.tsv keys are identifiers: "wgan-clip" -> "wgan_clip". */
static void key_row(lesson *L, const char *prefix, const char *name, const row_stats *rs)
{
    char k[96], id[48];
    snprintf(id, sizeof id, "%s", name);
    for (char *c = id; *c; c++)
        if (*c == '-' || *c == ' ' || *c == '.') *c = '_';
    snprintf(k, sizeof k, "%s_%s_fd", prefix, id);
    lesson_key_quiet(L, k, "%.2f", rs->fd_mean);
    snprintf(k, sizeof k, "%s_%s_classes", prefix, id);
    lesson_key_quiet(L, k, "%.2f", rs->classes_mean);
    snprintf(k, sizeof k, "%s_%s_wall_s", prefix, id);
    lesson_key_quiet(L, k, "%.2f", rs->wall_mean);
    snprintf(k, sizeof k, "%s_%s_diverged", prefix, id);
    lesson_key_quiet(L, k, "%d", rs->diverged);
}

/* ================================================================ main */

int main(int argc, char **argv)
{
    static const lesson_info info = {
        11, "wasserstein", "Failing to converge, the tricks, and the Wasserstein GAN",
        "Why the Jensen-Shannon divergence gives G nothing to follow on disjoint supports "
        "and the Wasserstein distance does; the critic, weight clipping and the gradient "
        "penalty on Fashion-MNIST; the critic's estimate against the Frechet distance; the "
        "game x y that spirals; the objectives and the classic tricks, measured over seeds.",
        11};
    lesson *L = lesson_begin(argc, argv, &info, flags, LESSON_NFLAGS(flags));
    nn_error err = {NN_OK, ""};
    double t_start = lesson_seconds();
    if (L->fast && steps == DEFAULT_STEPS) steps = FAST_STEPS;
    if (L->fast && table_steps == DEFAULT_TABLE_STEPS) table_steps = FAST_TABLE_STEPS;
    if (L->fast && seeds == DEFAULT_SEEDS) seeds = 1;
    if (full_tables) table_steps = steps;
    lesson_use_threads(threads);
    if (save_samples) trainrun_check_writable(L, "save-samples", save_samples);
    /* The data first: a bad --data stops the lesson before it starts. */
    feed f;
    memset(&f, 0, sizeof f);
    lesson_check(L, nn_dataset_load_mnist(&f.ds, data_dir, NN_SPLIT_TRAIN, &err), &err);
    if (f.ds.c * f.ds.h * f.ds.w != 784)
        lesson_fail(L, LESSON_EXIT_INPUT, "--data: images of %d x %d x %d; these MLPs draw "
                    "28 x 28 grey images", f.ds.c, f.ds.h, f.ds.w);
    int n_train = f.ds.n;
    if (L->fast && f.ds.n > FAST_IMAGES) f.ds.n = FAST_IMAGES;
    f.order = lesson_alloc(L, (size_t)f.ds.n, sizeof(int));
    for (int i = 0; i < f.ds.n; i++) f.order[i] = i;
    f.pos = f.ds.n;
    nn_rng_seed(&f.rng, L->seed, 32);
    nn_dataset test;
    lesson_check(L, nn_dataset_load_mnist(&test, data_dir, NN_SPLIT_TEST, &err), &err);

    /* ------------------------------------------------------------ disjoint supports */
    lesson_step(L, "Disjoint supports: what each distance tells G");
    lesson_say(L,
               "The Wasserstein GAN paper's first example: real data on the line x = 0, "
               "fakes on the line x = theta, and G's one parameter is theta. For theta != 0 "
               "the two lines do not meet, so:\n"
               "  JS(P, Q) = log 2 = %.4f, whatever theta;  KL(P || Q) = KL(Q || P) = inf;"
               "  W1(P, Q) = |theta|\n"
               "The vanilla GAN's D, at its best, measures JS: it gives G a gradient of 0 "
               "(flat), KL gives none (infinite), and W1 a constant slope of 1 that points "
               "to theta = 0 from anywhere. Below, the same computed from samples: 20000 "
               "draws each of two narrow Gaussians N(0, 0.02) and N(theta, 0.02) on the x "
               "axis (the y coordinate is the same for both, so it changes none of these), "
               "JS and KL from histograms of bins 0.01 wide, W1 from the sorted samples.",
               log(2.0));
    enum { N_THETA = 41, N_DRAWS = 20000, BINS = 300 };
    const float sd = 0.02f, bin_w = 0.01f, lo = -1.5f, away = 0.15f;
    float theta[N_THETA], js_f[N_THETA], w_f[N_THETA], js_s[N_THETA], w_s[N_THETA];
    float gjs[N_THETA], gw[N_THETA];
    int kl_inf = 0, n_away = 0;
    double js_dev = 0.0, gjs_max = 0.0, gw_min = INFINITY, gw_max = 0.0;
    {
        float *base = lesson_alloc(L, N_DRAWS, sizeof(float));
        float *real = lesson_alloc(L, N_DRAWS, sizeof(float));
        float *fake = lesson_alloc(L, N_DRAWS, sizeof(float));
        int *hp = lesson_alloc(L, BINS, sizeof(int)), *hq = lesson_alloc(L, BINS, sizeof(int));
        nn_rng r;
        nn_rng_seed(&r, L->seed, 20);
        nn_rng_fill_normal(&r, real, N_DRAWS, 0.0f, sd);
        nn_rng_fill_normal(&r, base, N_DRAWS, 0.0f, sd);
        qsort(real, N_DRAWS, sizeof(float), cmp_float);
        qsort(base, N_DRAWS, sizeof(float), cmp_float);
        const float h = 0.01f;
        lesson_code(L, "supports");
        /* STEP: supports */
        for (int i = 0; i < N_THETA; i++) {
            theta[i] = 0.05f * (float)(i - N_THETA / 2);
            js_f[i] = i == N_THETA / 2 ? 0.0f : (float)log(2.0); /* the formulas */
            w_f[i] = fabsf(theta[i]);
            float est[2][2];                                    /* at theta -+ h: slopes */
            for (int side = 0; side < 3; side++) {
                float th = theta[i] + (side == 0 ? 0.0f : side == 1 ? -h : h);
                for (int k = 0; k < N_DRAWS; k++) fake[k] = base[k] + th;
                divergences d = estimate(real, fake, N_DRAWS, lo, bin_w, BINS, hp, hq);
                if (side == 0) {
                    js_s[i] = (float)d.js;
                    w_s[i] = (float)d.w1;
                    kl_inf += isinf(d.kl_pq) && isinf(d.kl_qp);
                } else {
                    est[side - 1][0] = (float)d.js;
                    est[side - 1][1] = (float)d.w1;
                }
            }
            gjs[i] = (est[1][0] - est[0][0]) / (2.0f * h);     /* what G would follow */
            gw[i] = (est[1][1] - est[0][1]) / (2.0f * h);
        }
        /* END STEP */
        for (int i = 0; i < N_THETA; i++)
            if (fabsf(theta[i]) >= away) {
                n_away++;
                js_dev = fmax(js_dev, fabs(js_s[i] - log(2.0)));
                gjs_max = fmax(gjs_max, fabs(gjs[i]));
                gw_min = fmin(gw_min, fabs(gw[i]));
                gw_max = fmax(gw_max, fabs(gw[i]));
            }
        nn_free(base);
        nn_free(real);
        nn_free(fake);
        nn_free(hp);
        nn_free(hq);
    }
    {
        const float *ys[4] = {js_f, js_s, w_f, w_s};
        const char *names[4] = {"JS, formula", "JS, from samples", "W1, formula",
                                "W1, from samples"};
        plot_lines(L, "disjoint_distances", "distances between P (x = 0) and Q (x = theta)",
                   "theta", "nats / distance", theta, ys, names, 4, N_THETA, 0);
        const float *gs[2] = {gjs, gw};
        const char *gn[2] = {"d JS / d theta", "d W1 / d theta"};
        plot_lines(L, "disjoint_gradients", "the gradient each distance gives G (from samples)",
                   "theta", "slope", theta, gs, gn, 2, N_THETA, 0);
    }
    int i_mid = N_THETA / 2 + 6; /* theta = 0.3 */
    lesson_print(L, "at theta = %.2f: JS %.6f (log 2 = %.6f), W1 %.4f, slopes %.4f (JS) and "
                 "%.4f (W1)\n", (double)theta[i_mid], (double)js_s[i_mid], log(2.0),
                 (double)w_s[i_mid], (double)gjs[i_mid], (double)gw[i_mid]);
    lesson_print(L, "both KL divergences infinite at %d of the %d thetas\n", kl_inf, N_THETA);
    lesson_key(L, "js_flat_max_dev", "%.2e", js_dev);
    lesson_say(L,
               "Away from theta = 0 (|theta| >= %.2f, %d of the %d points, more than 7 "
               "standard deviations apart), the sample-based JS stays within %.1e of log 2: "
               "%s. Its slope there is at most %.1e in size, while W1's is %.3f to %.3f in "
               "size, pointing towards 0 everywhere.",
               (double)away, n_away, N_THETA, js_dev,
               js_dev < 1e-3 ? "flat, as the formula says" : "not yet flat at this sample size",
               gjs_max, gw_min, gw_max);

    /* ------------------------------------------------------------ the critic */
    lesson_step(L, "The critic");
    lesson_say(L,
               "W1 is the cost of the cheapest plan that moves Q's mass onto P's. The "
               "Kantorovich-Rubinstein duality writes it as a maximum over functions f "
               "with slope at most 1 everywhere (1-Lipschitz):\n"
               "  W1(P, Q) = max over |f|_L <= 1 of  E_P[f(x)] - E_Q[f(x)]\n"
               "A WGAN's D is that f, a critic: it gives a score, not a probability, so D's "
               "sigmoid and the logs of the cross-entropy disappear. The critic minimises "
               "mean f(fake) - mean f(real), G minimises -mean f(fake): exercise 16, "
               "nn_wgan_critic_loss and nn_wgan_g_loss. On the example above the best "
               "critic is f(x) = -x (for theta > 0): below, your losses score the samples "
               "at theta = %.2f with it.", (double)theta[i_mid]);
    {
        enum { NS = 512 };
        float sr[NS], sf[NS];
        nn_rng r;
        nn_rng_seed(&r, L->seed, 21);
        nn_rng_fill_normal(&r, sr, NS, 0.0f, sd);
        nn_rng_fill_normal(&r, sf, NS, theta[i_mid], sd);
        lesson_code(L, "critic");
        /* STEP: critic */
        for (int k = 0; k < NS; k++) {
            sr[k] = -sr[k];                          /* f(x) = -x on real ... */
            sf[k] = -sf[k];                          /* ... and fake samples */
        }
        float critic_loss = nn_wgan_critic_loss(NULL, NULL, sr, sf, NS, NS);
        float g_loss = nn_wgan_g_loss(NULL, sf, NS);
        /* END STEP */
        lesson_print(L, "critic loss %.4f, so the estimate of W1 is %.4f (theta = %.2f); "
                     "G's loss %.4f\n", (double)critic_loss, -(double)critic_loss,
                     (double)theta[i_mid], (double)g_loss);
        lesson_key(L, "critic_w1_estimate", "%.4f", -(double)critic_loss);
        lesson_say(L,
                   "Nothing in the loss keeps the critic's slope at 1: f(x) = -10x would "
                   "score 10 times higher. The constraint must come from elsewhere: WGAN "
                   "clips the weights, WGAN-GP penalises the slope. Both next, on "
                   "Fashion-MNIST.");
    }

    /* ------------------------------------------------------------ the judge */
    nn_model *net = classifier_create(256, &err);
    if (!net) lesson_check(L, err.code, &err);
    {
        int keep = f.ds.n;
        f.ds.n = n_train;
        judge_get_classifier(L, net, L->fast ? &test : &f.ds);
        f.ds.n = keep;
    }
    evalset ev;
    ev.j = judge_create(L, net, &test, L->fast ? FAST_JUDGE_N : JUDGE_N);
    ev.z = lesson_alloc(L, (size_t)ev.j->n * 100, sizeof(float));
    ev.real = lesson_alloc(L, (size_t)ev.j->n * 784, sizeof(float));
    {
        nn_rng zr;
        nn_rng_seed(&zr, L->seed, 11);
        nn_sample_latent(ev.z, ev.j->n, 100, &zr);
        int *idx = lesson_alloc(L, (size_t)ev.j->n, sizeof(int));
        for (int i = 0; i < ev.j->n; i++) idx[i] = i;
        nn_dataset_gather(ev.real, &test, idx, ev.j->n, NN_RANGE_PM1);
        nn_free(idx);
    }
    float *wbuf = lesson_alloc(L, 1000000, sizeof(float));
    float *probe_real = lesson_alloc(L, 64 * 784, sizeof(float));
    feed_batches(&f, probe_real, 64);

    /* ------------------------------------------------------------ weight clipping */
    lesson_step(L, "Weight clipping (the original WGAN)");
    recipe r_clip = recipe_wgan_clip(clip_c);
    lesson_say(L,
               "Arjovsky et al. keep the critic Lipschitz by clamping every parameter into "
               "[-c, c] after each critic update: exercise 17, nn_clip_weights, called by "
               "the step when cfg.clip > 0. Their recipe: RMSProp at 5e-5, c = 0.01, 5 "
               "critic updates per G update. The networks: lesson 06's default G, and a "
               "critic of leaky ReLU 0.2 layers without normalisation, 784-%d-%d-%d-1, "
               "most of its weights past the input layer as in the papers' convolutional "
               "critics. %d G updates with c = %g; then, for the gradients layer by "
               "layer, a deep critic (%d hidden layers of %d, as the paper's deep critics) "
               "for %d G updates with each of c = 0.001, 0.01 and 0.1.%s",
               r_clip.arch.d_hidden[0], r_clip.arch.d_hidden[1], r_clip.arch.d_hidden[2], steps,
               (double)clip_c, DEEP_LAYERS, DEEP_WIDTH, steps / 4 > 2 ? steps / 4 : 2,
               L->fast ? " (--fast: far too short to show what clipping does to a trained "
                         "critic; the figures below are of a barely trained one.)" : "");
    const float cs[3] = {0.001f, 0.01f, 0.1f};
    double deep_share = 0.0;
    const int sweep_steps = steps / 4 > 2 ? steps / 4 : 2;
    float layer_norm[3][DEEP_LAYERS + 1];
    int n_lin = 0;
    double clip_share = 0.0, clip_share_start = 0.0;
    float clip_interp = 0.0f;
    outcome o_clip;
    {
        /* The share a fresh critic has at the bound after its first clip. */
        nn_gan *t0 = nn_gan_create(&r_clip.arch, &r_clip.cfg, NN_INIT_NORMAL_002, L->seed, &err);
        if (!t0) lesson_check(L, err.code, &err);
        nn_clip_weights(t0->D->params, t0->D->n_params, clip_c);
        int at0, nw0 = linear_weights(t0->D, wbuf, clip_c, &at0);
        clip_share_start = (double)at0 / nw0;
        nn_gan_free(t0);
    }
    lesson_code(L, "clip");
    /* STEP: clip */
    nn_gan *t_clip = train(L, &r_clip, L->seed, steps, &f, &ev, NULL, "wgan-clip", &o_clip);
    int at, nw = linear_weights(t_clip->D, wbuf, clip_c, &at);
    /* END STEP */
    clip_share = (double)at / nw;
    double lshare[8];
    long lcount[8];
    int n_cl = layer_shares(t_clip->D, clip_c, lshare, lcount);
    {
        nn_plot p = {.dir = L->out, .name = "clip_weights",
                     .title = "the clipped critic's weights at the end", .xlabel = "weight",
                     .ylabel = "count", .term = lesson_capture_begin(L), .term_rows = 16};
        nn_status s = nn_plot_histogram(&p, wbuf, nw, 41, &err);
        lesson_capture_end(L);
        lesson_plot_shown(L, &p, s, &err, "the clipped critic's weights");
    }
    clip_interp = interp_norm(L, t_clip, probe_real);
    trainrun_sample_grid(L, t_clip->G, ev.z, 100, "wgan_clip_samples.png", 0);
    lesson_figure(L, "wgan_clip_samples.png", "WGAN (clipping), 100 samples");
    nn_gan_free(t_clip);
    /* Layer by layer, for three bounds, as the WGAN-GP paper's picture: a
     * deep critic (the effect compounds with depth), shorter runs, all of
     * the same length. */
    for (int k = 0; k < 3; k++) {
        recipe r = recipe_wgan_clip(cs[k]);
        r.arch.n_d_hidden = DEEP_LAYERS;
        for (int i = 0; i < DEEP_LAYERS; i++) r.arch.d_hidden[i] = DEEP_WIDTH;
        char label[48];
        snprintf(label, sizeof label, "wgan-clip c = %g", (double)cs[k]);
        outcome o;
        nn_gan *t = train(L, &r, L->seed + 1, sweep_steps, &f, &ev, NULL, label, &o);
        if (k == 1) { /* the main run's bound, on a critic whose input layer is a smaller part */
            int at_deep, nw_deep = linear_weights(t->D, wbuf, cs[k], &at_deep);
            deep_share = (double)at_deep / nw_deep;
        }
        n_lin = critic_backward_norms(t->D, probe_real, 64, layer_norm[k], wbuf, 784);
        nn_gan_free(t);
    }
    lesson_print(L, "c = %g: %.1f%% of the critic's weights within 5%% of +-c at the end "
                 "(%.1f%% right after the first clip of its N(0, 0.02) start)\n",
                 (double)clip_c, 100.0 * clip_share, 100.0 * clip_share_start);
    char by_layer[160] = "";
    long later_n = 0;
    double later_at = 0.0;
    lesson_print(L, "by layer, input first:");
    for (int i = 0; i < n_cl; i++) {
        lesson_print(L, "  %.1f%% of %ld", 100.0 * lshare[i], lcount[i]);
        size_t len = strlen(by_layer);
        snprintf(by_layer + len, sizeof by_layer - len, "%s%.3f", i ? "," : "", lshare[i]);
        if (i > 0) {
            later_n += lcount[i];
            later_at += lshare[i] * (double)lcount[i];
        }
    }
    lesson_print(L, "\n");
    double later_share = later_n ? later_at / (double)later_n : 0.0;
    lesson_key(L, "clip_weights_at_bound_by_layer", "%s", by_layer);
    lesson_print(L, "the deep critic below (%d hidden layers of %d), c = %g, after %d G updates: "
                 "%.1f%% of its weights within 5%% of +-c\n", DEEP_LAYERS, DEEP_WIDTH,
                 (double)cs[1], sweep_steps, 100.0 * deep_share);
    lesson_key(L, "clip_deep_weights_at_bound", "%.4f", deep_share);
    lesson_print(L, "the deep critic's gradient (of its score, per image) at the input of each "
                 "linear layer, first to last, after %d G updates:\n", sweep_steps);
    for (int k = 0; k < 3; k++) {
        lesson_print(L, "  c = %-7g", (double)cs[k]);
        for (int i = 0; i < n_lin; i++) lesson_print(L, "  %10.3e", (double)layer_norm[k][i]);
        lesson_print(L, "\n");
    }
    {
        float lx[DEEP_LAYERS + 1], ly[3][DEEP_LAYERS + 1];
        for (int i = 0; i < n_lin; i++) {
            lx[i] = (float)(i + 1);
            for (int k = 0; k < 3; k++) ly[k][i] = layer_norm[k][i];
        }
        char n0[32], n1[32], n2[32];
        snprintf(n0, sizeof n0, "c = %g", (double)cs[0]);
        snprintf(n1, sizeof n1, "c = %g", (double)cs[1]);
        snprintf(n2, sizeof n2, "c = %g", (double)cs[2]);
        const float *ys[3] = {ly[0], ly[1], ly[2]};
        const char *names[3] = {n0, n1, n2};
        plot_lines(L, "clip_layer_norms", "critic's gradient norm by layer",
                   "linear layer (1: the images)", "gradient norm at its input", lx, ys,
                   names, 3, n_lin, 1);
    }
    /* How the gradient changes from the last layer back to the first. */
    double ratio_small = layer_norm[0][0] / layer_norm[0][n_lin - 1];
    double ratio_big = layer_norm[2][0] / layer_norm[2][n_lin - 1];
    lesson_key(L, "clip_weights_at_bound", "%.4f", clip_share);
    lesson_key(L, "clip_interp_grad_norm", "%.4f", (double)clip_interp);
    lesson_key(L, "clip_0001_first_over_last", "%.3g", ratio_small);
    lesson_key(L, "clip_01_first_over_last", "%.3g", ratio_big);
    lesson_say(L,
               "%s Right after the first clip of its N(0, 0.02) start, %.1f%% were there.",
               clip_share >= 0.5 ? "Most of the critic's weights sit at the bound at the end: "
                                   "clipping does not shape the critic so much as push its "
                                   "weights to +-c, the WGAN-GP paper's first picture."
               : later_share >= 0.5
                   ? "Fewer than half of all the critic's weights sit at the bound at the "
                     "end: the pile-up at +-c of the WGAN-GP paper's first picture is there "
                     "in the layers after the first, but the first layer, which reads the "
                     "784 pixels and holds most of the weights, keeps most of its own "
                     "inside the bound (why, this lesson does not measure)."
                   : "Fewer than half of the critic's weights sit at the bound at the end of "
                     "this run, in every layer: the paper's pile-up at +-c is not this "
                     "run's picture.",
               100.0 * clip_share_start);
    if (clip_share < 0.5 && later_share >= 0.5)
        lesson_say(L, "The layers after the first hold %ld weights, %.1f%% of them within 5%% "
                   "of +-c; the first layer, %ld weights, %.1f%%.", later_n,
                   100.0 * later_share, lcount[0], 100.0 * lshare[0]);
    lesson_say(L,
               "In the deep critic, the gradient at the images is %.2g times the one at the "
               "last layer with c = 0.001 and %.2g times with c = 0.1: %s The clipped "
               "critic's slope on "
               "points between real and fake images is %.3g on average, not the 1 the theory "
               "asks for: clipping bounds the slope only loosely, by a constant set by c and "
               "the widths.",
               ratio_small, ratio_big,
               ratio_small < 1.0 && ratio_big > 1.0
                   ? "with a small bound the gradient vanishes on its way back to the input, "
                     "with a large one it explodes, the WGAN-GP paper's second picture."
               : ratio_small < ratio_big
                   ? "the smaller bound shrinks the gradient more on its way back to the "
                     "input, in the direction of the paper's picture, though not from "
                     "vanishing to exploding in this run."
                   : "this run does not show the paper's order.",
               (double)clip_interp);

    /* ------------------------------------------------------------ gradient penalty */
    lesson_step(L, "The gradient penalty (WGAN-GP)");
    recipe r_gp = recipe_wgan_gp(gp_lambda);
    /* The WGAN authors' code trains the critic 100 times per G update for the
     * first 25: the estimate read from it is then a critic's near its
     * optimum, not one still catching up (without it, this run's estimate
     * rose for its first quarter while the samples improved). */
    r_gp.warm_steps = L->fast ? 2 : WARM_STEPS;
    r_gp.warm_d_steps = WARM_D_STEPS;
    curve c_gp, c_van;
    c_gp.want = c_van.want = L->fast ? FAST_N_LOG : N_LOG;
    lesson_say(L,
               "Gulrajani et al. drop the clamp and add to the critic's loss\n"
               "  lambda * mean over x_hat of (||grad_x D(x_hat)|| - 1)^2\n"
               "at points x_hat on the segments between real and fake samples, where the "
               "optimal critic has slope exactly 1. Exercise 18 writes the interpolates and "
               "this value with its gradient in grad_x D; the library (lib/gradpen) turns "
               "that into the critic's weight gradient. Their recipe: lambda %g, Adam 1e-4 "
               "with betas (0, 0.9), 5 critic updates; and, as the WGAN authors' code does, "
               "%d critic updates per G update for the first %d, so that the estimate below "
               "is read from a critic near its optimum (the tables at the end use the "
               "papers' Algorithm 1, without it). The same networks and %d G updates; "
               "along the way, at %d points, the critic's estimate of W (mean score on %d "
               "test images minus mean score on %d samples of fixed latent vectors) and "
               "the Frechet distance of those samples.",
               (double)gp_lambda, WARM_D_STEPS, r_gp.warm_steps, steps, c_gp.want, ev.j->n,
               ev.j->n);
    outcome o_gp, o_van;
    lesson_code(L, "gp");
    /* STEP: gp */
    nn_gan *t_gp = train(L, &r_gp, L->seed, steps, &f, &ev, &c_gp, "wgan-gp", &o_gp);
    float gp_interp = interp_norm(L, t_gp, probe_real);
    /* END STEP */
    int at_gp, nw_gp = linear_weights(t_gp->D, wbuf, clip_c, &at_gp);
    double gp_share = (double)at_gp / nw_gp;
    {
        nn_plot p = {.dir = L->out, .name = "gp_weights",
                     .title = "the WGAN-GP critic's weights at the end", .xlabel = "weight",
                     .ylabel = "count", .term = lesson_capture_begin(L), .term_rows = 16};
        nn_status s = nn_plot_histogram(&p, wbuf, nw_gp, 41, &err);
        lesson_capture_end(L);
        lesson_plot_shown(L, &p, s, &err, "the WGAN-GP critic's weights");
    }
    trainrun_sample_grid(L, t_gp->G, ev.z, 100, "wgan_gp_samples.png", 3);
    lesson_figure(L, "wgan_gp_samples.png", "WGAN-GP, 100 samples");
    if (save_samples) trainrun_export(L, t_gp->G, save_samples, n_export);
    /* Lesson 14 judges this G beside the course's other generators. */
    lesson_check(L, nn_model_save(t_gp->G, lesson_path(L, "wgan_gp_G.ckpt"), &err), &err);
    lesson_print(L, "%.2f%% of its weights lie within 5%% of +-%g, the clipping bound (the "
                 "clipped critic: %.1f%%); mean ||grad_x D|| at the interpolates %.3f\n",
                 100.0 * gp_share, (double)clip_c, 100.0 * clip_share, (double)gp_interp);
    lesson_key(L, "gp_weights_at_bound", "%.4f", gp_share);
    lesson_key(L, "gp_interp_grad_norm", "%.4f", (double)gp_interp);
    if (o_gp.diverged_at)
        lesson_fail(L, LESSON_EXIT_INTERNAL, "WGAN-GP diverged at step %ld (a loss went NaN "
                    "or past 1e6); try a smaller --lambda", o_gp.diverged_at);

    /* ------------------------------------------------------------ does W track quality? */
    lesson_step(L, "The critic's estimate against the samples' quality");
    lesson_say(L,
               "A vanilla GAN's losses say little about how good the samples are; a WGAN "
               "critic's estimate of W is meant to. For contrast, lesson 06's default GAN "
               "(non-saturating, D with dropout, real label 0.9, Adam 2e-4) trains for the "
               "same %d G updates, its D loss averaged over each stretch between logged points. "
               "Spearman's rank correlation over the points after the first 10%% of steps "
               "(the critic's warm-up) says whether each falls with the Frechet distance.",
               steps);
    recipe r_van = recipe_vanilla();
    nn_gan *t_van = train(L, &r_van, L->seed, steps, &f, &ev, &c_van, "vanilla", &o_van);
    trainrun_sample_grid(L, t_van->G, ev.z, 100, "vanilla_samples.png", 0);
    lesson_figure(L, "vanilla_samples.png", "lesson 06's default GAN, 100 samples");
    int first = 0;
    while (first < c_gp.n && c_gp.step[first] <= 0.1f * (float)steps) first++;
    double rho_gp = nn_spearman(c_gp.w_est + first, c_gp.fd + first, c_gp.n - first);
    double rho_van = nn_spearman(c_van.d_loss + first, c_van.fd + first, c_van.n - first);
    {
        /* Each curve scaled to [0, 1] over its points: they share one axis. */
        float sc[4][N_LOG];
        const float *src[4] = {c_gp.w_est, c_gp.fd, c_van.d_loss, c_van.fd};
        for (int s = 0; s < 4; s++) {
            float mn = INFINITY, mx = -INFINITY;
            for (int i = 0; i < c_gp.n; i++) {
                mn = fminf(mn, src[s][i]);
                mx = fmaxf(mx, src[s][i]);
            }
            for (int i = 0; i < c_gp.n; i++)
                sc[s][i] = mx > mn ? (src[s][i] - mn) / (mx - mn) : 0.0f;
        }
        const float *ys[4] = {sc[0], sc[1], sc[2], sc[3]};
        const char *names[4] = {"WGAN-GP: critic's W estimate", "WGAN-GP: Frechet distance",
                                "vanilla: D loss", "vanilla: Frechet distance"};
        plot_lines(L, "w_vs_fd", "each curve scaled to [0, 1] over the run", "G updates",
                   "scaled value", c_gp.step, ys, names, 4, c_gp.n, 0);
    }
    lesson_print(L, "%8s %12s %10s %12s %10s\n", "step", "W estimate", "FD (GP)", "vanilla D",
                 "FD (van.)");
    for (int i = 0; i < c_gp.n; i++)
        lesson_print(L, "%8.0f %12.4f %10.2f %12.4f %10.2f\n", (double)c_gp.step[i],
                     (double)c_gp.w_est[i], (double)c_gp.fd[i], (double)c_van.d_loss[i],
                     (double)c_van.fd[i]);
    lesson_key(L, "wgan_gp_spearman", "%.3f", rho_gp);
    lesson_key(L, "vanilla_spearman", "%.3f", rho_van);
    lesson_key(L, "fd_wgan_gp", "%.3f", o_gp.fd);
    lesson_key(L, "fd_vanilla", "%.3f", o_van.fd);
    lesson_key(L, "fd_wgan_clip", "%.3f", o_clip.fd);
    lesson_key(L, "classes_wgan_gp", "%d", o_gp.classes);
    lesson_key(L, "classes_vanilla", "%d", o_van.classes);
    if (L->fast)
        lesson_say(L, "A --fast run has %d logged points over %d steps: too few to say "
                   "whether either curve tracks the Frechet distance. Run without --fast.",
                   c_gp.n - first, steps);
    else
        lesson_say(L,
                   "The critic's estimate and the Frechet distance: rho = %.2f (%s). The "
                   "vanilla D loss and its Frechet distance: rho = %.2f (%s).",
                   rho_gp, rho_gp >= 0.6 ? "they fall together" : "weaker than the papers "
                   "report in this run",
                   rho_van, fabs(rho_van) < fabs(rho_gp) ? "it does not track the samples' "
                   "quality as closely" : "in this run it tracks it as closely");
    nn_gan_free(t_gp);
    nn_gan_free(t_van);

    /* ------------------------------------------------------------ the bilinear game */
    lesson_step(L, "The smallest game that does not converge");
    lesson_say(L,
               "min over x, max over y of x * y: the equilibrium is (0, 0), and the "
               "gradients are d/dx = y, d/dy = x. Simultaneous steps (both players move "
               "from the same point, as two networks updated from one evaluation) and "
               "alternating steps (y answers the x just taken, as nn_gan_step does: D, "
               "then G against the updated D), each %d steps of size %g from (1, 1).",
               bilinear_steps, (double)bilinear_lr);
    float *traj = lesson_alloc(L, (size_t)4 * (size_t)(bilinear_steps + 1), sizeof(float));
    float *dist = lesson_alloc(L, (size_t)3 * (size_t)(bilinear_steps + 1), sizeof(float));
    float *sim = traj, *alt = traj + 2 * (bilinear_steps + 1);
    float *xs = dist, *dsim = dist + bilinear_steps + 1, *dalt = dist + 2 * (bilinear_steps + 1);
    lesson_code(L, "bilinear");
    /* STEP: bilinear */
    float x = 1.0f, y = 1.0f, u = 1.0f, v = 1.0f, eta = bilinear_lr;
    for (int k = 0; k <= bilinear_steps; k++) {
        sim[2 * k] = x, sim[2 * k + 1] = y;
        alt[2 * k] = u, alt[2 * k + 1] = v;
        float nx = x - eta * y, ny = y + eta * x;      /* simultaneous: both from (x, y) */
        x = nx, y = ny;
        u = u - eta * v;                               /* alternating: x first ... */
        v = v + eta * u;                               /* ... then y against the new x */
    }
    /* END STEP */
    double max_alt = 0.0;
    for (int k = 0; k <= bilinear_steps; k++) {
        xs[k] = (float)k;
        dsim[k] = hypotf(sim[2 * k], sim[2 * k + 1]);
        dalt[k] = hypotf(alt[2 * k], alt[2 * k + 1]);
        max_alt = fmax(max_alt, dalt[k] / dalt[0]);
    }
    {
        nn_plot p = {.dir = L->out, .name = "bilinear_simultaneous",
                     .title = "simultaneous steps on x y", .xlabel = "x", .ylabel = "y"};
        lesson_plot_shown(L, &p, nn_plot_scatter(&p, sim, bilinear_steps + 1, NULL, 0, &err),
                          &err, "simultaneous steps: the trajectory");
        nn_plot q = {.dir = L->out, .name = "bilinear_alternating",
                     .title = "alternating steps on x y", .xlabel = "x", .ylabel = "y"};
        lesson_plot_shown(L, &q, nn_plot_scatter(&q, alt, bilinear_steps + 1, NULL, 0, &err),
                          &err, "alternating steps: the trajectory");
        const float *ys[2] = {dsim, dalt};
        const char *names[2] = {"simultaneous", "alternating"};
        plot_lines(L, "bilinear_distance", "distance to the equilibrium (0, 0)", "step",
                   "distance", xs, ys, names, 2, bilinear_steps + 1, 0);
    }
    double g_sim = dsim[bilinear_steps] / dsim[0], g_alt = dalt[bilinear_steps] / dalt[0];
    lesson_key(L, "bilinear_sim_growth", "%.4f", g_sim);
    lesson_key(L, "bilinear_alt_growth", "%.4f", g_alt);
    lesson_say(L,
               "Simultaneous steps end %.2f times as far from (0, 0) as they started: each "
               "step multiplies the distance by sqrt(1 + %g^2) = %.5f, an outward spiral. "
               "Alternating steps end at %.2f times the start and never exceed %.2f times "
               "it: they circle the equilibrium without reaching it. Neither converges; "
               "gradient steps on a game rotate around its equilibrium instead of "
               "descending to it.",
               g_sim, (double)bilinear_lr, sqrt(1.0 + (double)bilinear_lr * bilinear_lr),
               g_alt, max_alt);

    /* The same in a GAN: lesson 09's toy on the ring. */
    {
        nn_toy ring;
        lesson_check(L, nn_toy_ring(&ring, 8, 2.0f, 0.02f, &err), &err);
        toy_config tc = toy_config_default();
        int tsteps = L->fast ? 200 : 3000;
        toy_gan *tg = toy_gan_create(&tc, L->seed, &err);
        if (!tg) lesson_check(L, err.code, &err);
        float *dr = lesson_alloc(L, (size_t)tsteps * 3, sizeof(float));
        float *df = dr + tsteps, *ts = dr + 2 * tsteps;
        for (int s = 0; s < tsteps; s++) {
            toy_gan_step(tg, &ring);
            dr[s] = tg->last.d_real;
            df[s] = tg->last.d_fake;
            ts[s] = (float)(s + 1);
        }
        /* The swing: range of the 50-step running mean over the second half. */
        float *sm = lesson_alloc(L, (size_t)tsteps, sizeof(float));
        trainrun_smooth(sm, dr, tsteps, 50);
        float mn = INFINITY, mx = -INFINITY;
        for (int s = tsteps / 2; s < tsteps; s++) {
            mn = fminf(mn, sm[s]);
            mx = fmaxf(mx, sm[s]);
        }
        const float *ys[2] = {dr, df};
        const char *names[2] = {"D(x)", "D(G(z))"};
        plot_lines(L, "toy_oscillation", "D(x) and D(G(z)) on lesson 09's ring", "G updates",
                   "mean probability", ts, ys, names, 2, tsteps, 0);
        lesson_key(L, "toy_d_real_swing", "%.3f", (double)(mx - mn));
        lesson_say(L,
                   "The same in a real run: lesson 09's vanilla GAN on the ring of 8 "
                   "Gaussians for %d steps. Over the second half, the 50-step running mean "
                   "of D(x) moves between %.2f and %.2f: %s",
                   tsteps, (double)mn, (double)mx,
                   L->fast ? "a --fast run is too short to show the cycles."
                   : mx - mn > 0.1f ? "D and G chase each other around the ring instead "
                                      "of settling, as x and y circle (0, 0) above."
                                    : "in this run it settles more than it cycles.");
        nn_free(sm);
        nn_free(dr);
        toy_gan_free(tg);
    }

    /* ------------------------------------------------------------ objectives */
    lesson_step(L, "The objectives, over seeds");
    lesson_say(L,
               "One architecture (lesson 06's default G, the critic above as D) and one "
               "budget, %d G updates per run, %d seed%s per row; each objective with its "
               "paper's optimizer settings (non-saturating, least squares and hinge: Adam "
               "2e-4, betas (0.5, 0.999), 1 D update; WGAN: RMSProp 5e-5, c = %g, 5 critic "
               "updates; WGAN-GP: as above). Frechet distance and classes covered (at least "
               "2%% of %d samples) at the end; wall time per run; runs whose loss went NaN "
               "or past 1e6.%s",
               table_steps, seeds, seeds > 1 ? "s" : "", (double)clip_c, ev.j->n,
               full_tables ? "" : " These are short runs (--table-steps); --full-tables runs "
                                  "each as long as the main runs.");
    const char *hdr = "                               FD mean   FD sd  classes   wall_s  "
                      "diverged\n";
    lesson_print(L, "%s", hdr);
    {
        recipe rows[5];
        const nn_gan_objective objs[3] = {NN_GAN_NONSAT, NN_GAN_LSGAN, NN_GAN_HINGE};
        for (int k = 0; k < 3; k++) {
            rows[k] = (recipe){.name = nn_gan_objective_name(objs[k]), .arch = wgan_arch(),
                               .cfg = nn_gan_config_default()};
            rows[k].cfg.objective = objs[k];
        }
        rows[3] = recipe_wgan_clip(clip_c);
        rows[4] = recipe_wgan_gp(gp_lambda);
        double best = INFINITY;
        const char *best_name = "";
        for (int k = 0; k < 5; k++) {
            row_stats rs = run_row(L, &rows[k], seeds, table_steps, &f, &ev);
            print_row(L, rows[k].name, &rs, seeds);
            key_row(L, "obj", rows[k].name, &rs);
            if (rs.fd_mean < best) {
                best = rs.fd_mean;
                best_name = rows[k].name;
            }
        }
        if (L->fast)
            lesson_say(L, "A --fast run's table is of %d-step runs, %d seed%s each: too short "
                       "to rank the objectives.", table_steps, seeds, seeds > 1 ? "s" : "");
        else
            lesson_say(L, "Lowest mean Frechet distance at this budget: %s (%.1f). A ranking "
                       "within one standard deviation is not a ranking.", best_name, best);
    }

    /* ------------------------------------------------------------ tricks */
    lesson_step(L, "The tricks, measured");
    lesson_say(L,
               "Lesson 06's default GAN (batchnorm in G, dropout 0.3 in D, leaky ReLU 0.2, "
               "one-sided label smoothing with real label 0.9), with one trick removed or "
               "added at a time: D's leaky ReLU replaced by a ReLU; G without batchnorm; D "
               "without dropout; no label smoothing (real label 1); instance noise on D's "
               "inputs (Gaussian, sd 0.1 lowered linearly to 0 over the run, "
               "cfg.instance_noise); weight decay 1e-3 on D. %d G updates per run, %d "
               "seed%s per row, as above.",
               table_steps, seeds, seeds > 1 ? "s" : "");
    lesson_print(L, "%s", hdr);
    {
        enum { N_TRICKS = 7 };
        recipe rows[N_TRICKS];
        for (int k = 0; k < N_TRICKS; k++) rows[k] = recipe_vanilla();
        rows[0].name = "default (lesson 06)";
        rows[1].name = "D relu, not leaky";
        rows[1].arch.d_slope = 0.0f;
        rows[2].name = "G without batchnorm";
        rows[2].arch.g_batchnorm = 0;
        rows[3].name = "D without dropout";
        rows[3].arch.d_dropout = 0.0f;
        rows[4].name = "no label smoothing";
        rows[4].cfg.real_label = 1.0f;
        rows[5].name = "instance noise 0.1";
        rows[5].noise0 = 0.1f;
        rows[6].name = "D weight decay 1e-3";
        rows[6].d_decay = 1e-3f;
        static const char *const ids[N_TRICKS] = {"default", "d_relu", "g_no_batchnorm",
                                                  "d_no_dropout", "no_label_smoothing",
                                                  "instance_noise", "d_weight_decay"};
        row_stats base = {0, 0, 0, 0, 0};
        int better = 0, worse = 0;
        for (int k = 0; k < N_TRICKS; k++) {
            row_stats rs = run_row(L, &rows[k], seeds, table_steps, &f, &ev);
            print_row(L, rows[k].name, &rs, seeds);
            key_row(L, "trick", ids[k], &rs);
            if (k == 0) base = rs;
            else if (rs.fd_mean + rs.fd_sd < base.fd_mean - base.fd_sd) better++;
            else if (rs.fd_mean - rs.fd_sd > base.fd_mean + base.fd_sd) worse++;
        }
        if (L->fast)
            lesson_say(L, "A --fast run's table is of %d-step runs: too short to show what "
                       "any trick does.", table_steps);
        else
            lesson_say(L, "Against the default, %d change%s lower%s the Frechet distance by "
                       "more than both rows' standard deviations, and %d raise%s it by more; "
                       "the rest are within the spread of %d seeds at this budget.",
                       better, better == 1 ? "" : "s", better == 1 ? "s" : "", worse,
                       worse == 1 ? "s" : "", seeds);
    }
    lesson_key(L, "table_steps", "%d", table_steps);
    lesson_key(L, "wall_s", "%.1f", lesson_seconds() - t_start);

    nn_free(traj);
    nn_free(dist);
    nn_free(wbuf);
    nn_free(probe_real);
    nn_free(ev.z);
    nn_free(ev.real);
    judge_free(ev.j);
    nn_model_free(net);
    nn_dataset_free(&test);
    nn_free(f.order);
    nn_dataset_free(&f.ds);
    return lesson_end(L);
}
