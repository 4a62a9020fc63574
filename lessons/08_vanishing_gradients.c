/* 08_vanishing_gradients.c - lesson 08: why the minimax generator cost stops
 * teaching G once D wins, measured, and the non-saturating cost that does not.
 *
 * The course questions it answers: what does "the generator's gradient
 * vanishes" mean in numbers; why do GANs train G on -log D(G(z)) instead of
 * the log(1 - D(G(z))) of the value function. The experiment follows Arjovsky
 * and Bottou (2017), "Towards principled methods for training GANs", figures
 * 2 and 3: freeze a briefly trained G, train a fresh D against it, and watch
 * the norm of G's gradient under each cost, and its noise.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/data.h"
#include "mlpgan.h"
#include "viz/image.h"
#include "lesson.h"
#include "nn.h"
#include "viz/plot.h"

static const char *loss_flag = "nonsat";   /* --loss: G's cost while pretraining */
static const char *arch_flag = "classic";  /* --arch */
static const char *data_dir = NULL;        /* --data */
static const char *d_init = "torch";       /* --d-init: the fresh D's initialisation */
static int d_iters = 2000;                 /* --d-iters */
static int pretrain_steps = 100;           /* --pretrain-steps */
static int steps = 1000;                   /* --steps: each end-to-end run */
static int batch = 64;                     /* --batch */
static float lr = 2e-4f;                   /* --lr */
static float d_lr = 1e-3f;                 /* --d-lr */

static const lesson_flag flags[] = {
    {"loss", LESSON_CHOICE, &loss_flag, "generator cost while pretraining G", 0, 0,
     "nonsat|minimax"},
    {"d-iters", LESSON_INT, &d_iters, "iterations of the fresh D against the frozen G", 1, 1e6,
     NULL},
    {"pretrain-steps", LESSON_INT, &pretrain_steps, "GAN steps before G is frozen", 0, 1e6,
     NULL},
    {"steps", LESSON_INT, &steps, "steps of each end-to-end run (minimax vs nonsat)", 1, 1e6,
     NULL},
    {"batch", LESSON_INT, &batch, "batch size", 2, 1024, NULL},
    {"lr", LESSON_FLOAT, &lr, "Adam learning rate of G and D", 1e-7, 1, NULL},
    {"d-lr", LESSON_FLOAT, &d_lr, "Adam learning rate of the fresh D", 1e-7, 1, NULL},
    {"d-init", LESSON_CHOICE, &d_init, "the fresh D's initial weights", 0, 0, "torch|dcgan"},
    {"arch", LESSON_CHOICE, &arch_flag, "the MLP GAN (see lesson 06)", 0, 0, "classic|default"},
    {"data", LESSON_STRING, &data_dir, "MNIST-format folder (default Fashion-MNIST)", 0, 0, NULL},
};

/* The next real batch (batch, 784) in [-1, 1]; a new epoch when one ends. */
static void next_real(nn_loader *ld, float *x)
{
    if (nn_loader_next(ld, x, NULL) == 0)
        nn_loader_next(ld, x, NULL);
}

/* L2 norm of G's parameter gradient when G minimises `cost` against D on the
 * fakes G made last (its activations are still in G): the gradient half of
 * the GAN step's G update (nn_gan_g_update), measured, with no Adam step:
 * G stays frozen while D trains. s_fake (n) are D's logits. */
static float g_grad_norm(nn_model *G, nn_model *D, const float *s_fake, float *ds, float *dfake,
                         int n, int minimax)
{
    if (minimax)
        nn_gan_g_loss_minimax(ds, s_fake, n);   /* dL/ds = -sigmoid(s) / n */
    else
        nn_gan_g_loss_nonsat(ds, s_fake, n);    /* dL/ds = -sigmoid(-s) / n */
    memset(dfake, 0, (size_t)n * (size_t)G->out * sizeof(float));
    nn_model_backward(D, dfake, ds, n, 0);      /* D frozen: into the fakes only */
    nn_model_zero_grad(G);
    nn_model_backward(G, NULL, dfake, n, 1);
    return nn_norm2(G->grads, G->n_params);
}

/* x (n) = its running mean over the last w values (fewer at the start). */
static void smooth(float *x, int n, int w)
{
    double sum = 0.0;
    float *orig = nn_alloc((size_t)n, sizeof(float));
    if (!orig)
        return; /* unsmoothed curves are still right */
    memcpy(orig, x, (size_t)n * sizeof(float));
    for (int i = 0; i < n; i++) {
        sum += orig[i] - (i >= w ? orig[i - w] : 0.0f);
        x[i] = (float)(sum / (i + 1 < w ? i + 1 : w));
    }
    nn_free(orig);
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* Median of x[from..to): the typical size of a noisy series at one end of a
 * run, untouched by the odd batch with one hard fake in it. */
static double median(const float *x, int from, int to)
{
    int n = to - from;
    float *tmp = nn_alloc((size_t)n, sizeof(float));
    if (!tmp)
        return (double)x[from]; /* no memory: one value is still an estimate */
    memcpy(tmp, x + from, (size_t)n * sizeof(float));
    qsort(tmp, (size_t)n, sizeof(float), cmp_float);
    double m = n % 2 ? tmp[n / 2] : 0.5 * ((double)tmp[n / 2 - 1] + tmp[n / 2]);
    nn_free(tmp);
    return m;
}

/* Plots k series (n) against x and registers the figure. dashed: the
 * series come in pairs (minimax, non-saturating) drawn solid and dashed, so
 * a pair that coincides still shows both. */
static void plot_lines(lesson *L, const char *name, const char *title, const char *xlabel,
                       const char *ylabel, int logy, int dashed, const float *x,
                       const float *const *ys, const char *const *names, int k, int n,
                       const char *caption)
{
    nn_error err;
    nn_plot p = {.dir = L->out, .name = name, .title = title, .xlabel = xlabel,
                 .ylabel = ylabel, .logy = logy, .dashed = dashed,
                 .term = lesson_capture_begin(L)};
    nn_status s = nn_plot_lines(&p, x, ys, names, k, n, &err);
    lesson_capture_end(L);
    lesson_plot_shown(L, &p, s, &err, caption);
}

int main(int argc, char **argv)
{
    static const lesson_info info = {
        8, "vanishing_gradients", "Vanishing gradients",
        "Why the minimax generator cost log(1 - D(G(z))) stops teaching G once the "
        "discriminator wins, shown with the numbers of Arjovsky and Bottou (2017), and the "
        "non-saturating cost -log D(G(z)) that keeps the gradient alive.",
        8};
    lesson *L = lesson_begin(argc, argv, &info, flags, LESSON_NFLAGS(flags));
    if (L->fast) {
        /* A quick run for the smoke tests; flags given explicitly still win. */
        if (d_iters == 2000)
            d_iters = 40;
        if (pretrain_steps == 100)
            pretrain_steps = 10;
        if (steps == 1000)
            steps = 10;
        if (batch == 64)
            batch = 16;
    }
    nn_gan_arch arch;
    mlpgan_arch_parse(arch_flag, &arch);
    nn_gan_objective pre_loss;
    mlpgan_loss_parse(loss_flag, &pre_loss);

    /* ------------------------------------------------------------ saturation */
    lesson_step(L, "The saturation picture");
    lesson_say(L,
               "The value function V(D, G) = E log D(x) + E log(1 - D(G(z))) gives G the "
               "minimax cost log(1 - D(G(z))). With D(G(z)) = sigmoid(s), s the logit D "
               "gives a fake, its derivative is\n"
               "  d/ds log(1 - sigmoid(s)) = -sigmoid(s)      -> 0 as s -> -inf\n"
               "The non-saturating cost -log D(G(z)) has the same fixed point but\n"
               "  d/ds -log sigmoid(s) = -sigmoid(-s)         -> -1 as s -> -inf\n"
               "Early in training D easily rejects the fakes (s << 0): exactly where the "
               "minimax gradient vanishes and the non-saturating one is largest. The least "
               "squares cost (LSGAN) 0.5 (s - 1)^2, on an unbounded output s, has gradient "
               "s - 1, which grows instead. The library's losses, evaluated on a range of "
               "logits:");
    lesson_code(L, "saturation");
    /* STEP: saturation */
    enum { NP = 121 };
    float sv[NP], dv[NP], cost_mm[NP], cost_ns[NP], g_mm[NP], g_ns[NP], g_ls[NP];
    for (int i = 0; i < NP; i++) {
        sv[i] = -12.0f + 0.2f * (float)i;          /* logits from -12 to 12 */
        dv[i] = nn_sigmoidf(sv[i]);                /* D(G(z)) */
        float ds;
        cost_mm[i] = -nn_gan_g_loss_minimax(&ds, &sv[i], 1);   /* log(1 - D), as G sees */
        g_mm[i] = fabsf(ds);                                   /* |dcost/ds| = sigmoid(s) */
        cost_ns[i] = nn_gan_g_loss_nonsat(&ds, &sv[i], 1);     /* -log D */
        g_ns[i] = fabsf(ds);                                   /* sigmoid(-s) */
        nn_lsgan_g_loss(&ds, &sv[i], 1);
        g_ls[i] = fabsf(ds);                                   /* |s - 1| */
    }
    lesson_print(L, "  %8s %10s %14s %14s %12s\n", "logit s", "D(G(z))", "|minimax'|",
                 "|nonsat'|", "|lsgan'|");
    for (int i = 10; i <= 70; i += 15)
        lesson_print(L, "  %8.1f %10.2e %14.2e %14.2e %12.2e\n", sv[i], dv[i], g_mm[i], g_ns[i],
                     g_ls[i]);
    /* END STEP */
    {
        /* Cost against D(G(z)) on a linear axis needs points spread in D, not
         * in s: keep those with D in [0.001, 0.999]. */
        float dx[NP], c1[NP], c2[NP];
        int m = 0;
        for (int i = 0; i < NP; i++)
            if (dv[i] >= 1e-3f && dv[i] <= 0.999f) {
                dx[m] = dv[i];
                c1[m] = cost_mm[i];
                c2[m] = cost_ns[i];
                m++;
            }
        const float *ys[2] = {c1, c2};
        const char *names[2] = {"minimax log(1 - D(G(z)))", "non-saturating -log D(G(z))"};
        plot_lines(L, "g_cost", "generator cost against D(G(z))", "D(G(z))", "cost", 0, 0, dx, ys,
                   names, 2, m, "the two generator costs against D(G(z))");
        const float *gs[3] = {g_mm, g_ns, g_ls};
        const char *gnames[3] = {"minimax", "non-saturating", "least squares"};
        plot_lines(L, "g_cost_grad", "|d cost / d logit| (log scale)", "D's logit s on a fake",
                   "|d cost / ds|", 1, 0, sv, gs, gnames, 3, NP,
                   "the size of each cost's gradient with respect to D's logit");
    }
    lesson_key(L, "saturation_minimax_grad_at_s_minus10", "%.3g", (double)g_mm[10]);
    lesson_key(L, "saturation_nonsat_grad_at_s_minus10", "%.3g", (double)g_ns[10]);

    /* ------------------------------------------------------------ pretrain G */
    lesson_step(L, "A briefly trained generator");
    lesson_say(L,
               "The experiment needs a generator that is neither random nor good: the %s MLP "
               "GAN trained for %d steps (batch %d, Adam lr %g, the %s cost) on "
               "Fashion-MNIST. Then G is frozen.",
               arch_flag, pretrain_steps, batch, (double)lr, loss_flag);
    nn_error err;
    nn_dataset ds;
    lesson_check(L, nn_dataset_load_mnist(&ds, data_dir, L->fast ? NN_SPLIT_TEST : NN_SPLIT_TRAIN,
                                          &err),
                 &err);
    nn_loader ld;
    lesson_check(L, nn_loader_init(&ld, &ds, batch, 1, 1, NN_RANGE_PM1, L->seed, &err), &err);
    const int dim = ds.c * ds.h * ds.w;
    float *real = lesson_alloc(L, (size_t)batch * dim, sizeof(float));
    lesson_code(L, "pretrain");
    /* STEP: pretrain */
    nn_gan *t = mlpgan_create(&arch, pre_loss, lr, batch, 1, 1.0f, L->seed, &err);
    if (!t)
        lesson_check(L, err.code, &err);
    nn_gan_stats st = {0};
    lesson_progress pr;
    lesson_progress_start(L, &pr, "pretraining", pretrain_steps);
    for (int i = 0; i < pretrain_steps; i++) {
        next_real(&ld, real);
        nn_gan_step(t, real, &st);
        lesson_progress_tick(&pr, i + 1, "D(x) %.2f D(G(z)) %.2f", st.d_real, st.d_fake);
    }
    lesson_progress_done(&pr);
    nn_model *G = t->G;   /* frozen from here on: no more Adam steps for G */
    lesson_print(L, "after %d steps: D(x) = %.3f, D(G(z)) = %.3f\n", pretrain_steps, st.d_real,
                 st.d_fake);
    /* END STEP */

    /* ------------------------------------------------------------ the experiment */
    lesson_step(L, "Train a fresh D against the frozen G");
    lesson_say(L,
               "This is the experiment of Arjovsky and Bottou (2017, figures 2 and 3), "
               "repeated with this course's own GAN and with this run's own numbers: they "
               "froze DCGANs trained for different numbers of epochs, trained a fresh D "
               "against each and measured G's gradient under each cost; here G is the "
               "frozen %s MLP GAN of the step above. "
               "A new discriminator (%s initialisation, Adam at lr %g) learns to tell "
               "Fashion-MNIST from the frozen G's images, for %d iterations. Before each "
               "update we measure on a fresh batch: D's accuracy (real called real, fake "
               "called fake) and the norm of the gradient G would receive under each cost, "
               "through the same D (in eval mode, so dropout does not add noise to the "
               "measurement). G itself never moves.",
               arch_flag, !strcmp(d_init, "torch") ? "PyTorch's default" : "N(0, 0.02)",
               (double)d_lr, d_iters);
    lesson_code(L, "experiment");
    /* STEP: experiment */
    nn_model *D = nn_gan_build_discriminator(&arch, 2 * batch, &err);
    if (!D)
        lesson_check(L, err.code, &err);
    nn_rng rng;
    nn_rng_seed(&rng, L->seed, 4);           /* stream 4: none the trainer uses */
    if (!strcmp(d_init, "torch"))
        nn_model_init(D, &rng, NN_INIT_TORCH);   /* torch.nn.Linear's own default */
    else
        nn_model_init(D, &rng, NN_INIT_NORMAL_002);               /* N(0, 0.02), as in training */
    nn_adam opt = t->opt_d;                  /* Adam, betas (0.5, 0.999) */
    opt.lr = d_lr;
    float *z = lesson_alloc(L, (size_t)batch * arch.latent_dim, sizeof(float));
    float *d_in =
        lesson_alloc(L, (size_t)2 * batch * dim, sizeof(float)); /* real rows, fake rows */
    float *s_fake = lesson_alloc(L, (size_t)batch, sizeof(float)),
          *dlds = lesson_alloc(L, (size_t)2 * batch, sizeof(float));
    float *dfake = lesson_alloc(L, (size_t)batch * dim, sizeof(float));
    size_t n_log = (size_t)d_iters + 1;      /* one measurement before every update + 1 */
    float *norm_mm = lesson_alloc(L, n_log, sizeof(float)),
          *norm_ns = lesson_alloc(L, n_log, sizeof(float));
    float *acc = lesson_alloc(L, n_log, sizeof(float)),
          *iter = lesson_alloc(L, n_log, sizeof(float));
    lesson_progress_start(L, &pr, "fresh D", d_iters);
    for (int it = 0; it <= d_iters; it++) {
        /* Measure: D's accuracy on a real and a fake batch, then G's gradient. */
        next_real(&ld, d_in);
        nn_sample_latent(z, batch, arch.latent_dim, &rng);
        const float *fake = nn_model_forward(G, z, batch, 1);
        memcpy(d_in + (size_t)batch * dim, fake, (size_t)batch * dim * sizeof(float));
        const float *s_real = nn_model_forward(D, d_in, batch, 0);
        int correct = 0;
        for (int i = 0; i < batch; i++)
            correct += s_real[i] > 0.0f;
        memcpy(s_fake, nn_model_forward(D, d_in + (size_t)batch * dim, batch, 0),
               (size_t)batch * sizeof(float));
        for (int i = 0; i < batch; i++)
            correct += s_fake[i] < 0.0f;
        acc[it] = (float)correct / (float)(2 * batch);
        norm_mm[it] = g_grad_norm(G, D, s_fake, dlds, dfake, batch, 1);
        norm_ns[it] = g_grad_norm(G, D, s_fake, dlds, dfake, batch, 0);
        iter[it] = (float)it;
        if (it == d_iters)
            break;
        /* One D update on the same real and fake rows, as in training. */
        const float *s = nn_model_forward(D, d_in, 2 * batch, 1);
        nn_gan_d_loss(dlds, dlds + batch, s, s + batch, batch, batch, 1.0f);
        nn_model_zero_grad(D);
        nn_model_backward(D, NULL, dlds, 2 * batch, 1);
        nn_model_adam_step(D, &opt);
        lesson_progress_tick(&pr, it + 1, "acc %.3f  |grad| minimax %.2e nonsat %.2e", acc[it],
                             norm_mm[it], norm_ns[it]);
    }
    lesson_progress_done(&pr);
    /* END STEP */

    /* The norms are noisy from batch to batch: compare the medians of the
     * first iterations (w0) and of the last 5% (w1). */
    int w0 = d_iters >= 400 ? 20 : 1 + d_iters / 20, w1 = 1 + d_iters / 20;
    int last = d_iters + 1;
    double start_mm = median(norm_mm, 0, w0), end_mm = median(norm_mm, last - w1, last);
    double start_ns = median(norm_ns, 0, w0), end_ns = median(norm_ns, last - w1, last);
    double acc_end = 0.0;
    for (int i = d_iters + 1 - w1; i <= d_iters; i++)
        acc_end += acc[i] / (double)w1;
    lesson_print(L, "  %-10s %10s %16s %16s\n", "iteration", "D accuracy", "|grad G| minimax",
                 "|grad G| nonsat");
    for (int k = 0; k <= 10; k++) {
        int i = (int)((long)k * d_iters / 10);
        lesson_print(L, "  %-10d %10.3f %16.3e %16.3e\n", i, acc[i], norm_mm[i], norm_ns[i]);
    }
    {
        const float *ys[2] = {norm_mm, norm_ns};
        const char *names[2] = {"minimax log(1 - D(G(z)))", "non-saturating -log D(G(z))"};
        plot_lines(L, "grad_norms", "norm of G's gradient while a fresh D trains (log scale)",
                   "D iterations", "|grad of G's cost|", 1, 0, iter, ys, names, 2, d_iters + 1,
                   "G's gradient norm under each cost against D iterations");
        const float *as[1] = {acc};
        const char *anames[1] = {"D accuracy"};
        plot_lines(L, "d_accuracy", "the fresh discriminator's accuracy", "D iterations",
                   "accuracy", 0, 0, iter, as, anames, 1, d_iters + 1,
                   "the fresh discriminator's accuracy against D iterations");
    }
    lesson_key(L, "minimax_grad_decay_orders", "%.2f", log10(start_mm / end_mm));
    lesson_key(L, "nonsat_grad_ratio_end", "%.3g", end_ns / start_ns);
    lesson_key(L, "d_accuracy_end", "%.4f", acc_end);
    lesson_key_quiet(L, "minimax_grad_start", "%.3e", start_mm);
    lesson_key_quiet(L, "minimax_grad_end", "%.3e", end_mm);
    lesson_key_quiet(L, "nonsat_grad_start", "%.3e", start_ns);
    lesson_key_quiet(L, "nonsat_grad_end", "%.3e", end_ns);
    lesson_key_quiet(L, "d_iters", "%d", d_iters);
    /* The batch-to-batch noise of the non-saturating norm at both ends, the
     * noise Arjovsky and Bottou saw grow as D improves: from the changes
     * between successive iterations, sqrt(mean (x_i - x_i-1)^2 / 2), which is
     * the standard deviation of independent noise and ignores a slow trend
     * (the norm climbs fast in the first iterations). */
    double sd_ns[2];
    for (int e = 0; e < 2; e++) {
        int from = e ? last - w1 : 0, to = e ? last : w0;
        double v = 0.0;
        for (int i = from + 1; i < to; i++)
            v += ((double)norm_ns[i] - norm_ns[i - 1]) * ((double)norm_ns[i] - norm_ns[i - 1]);
        sd_ns[e] = to - from > 1 ? sqrt(v / (2.0 * (to - from - 1))) : 0.0;
    }
    lesson_key(L, "nonsat_grad_noise_start", "%.3g", sd_ns[0]);
    lesson_key(L, "nonsat_grad_noise_end", "%.3g", sd_ns[1]);
    double orders = log10(start_mm / end_mm);
    char fall[320];
    if (orders >= 1.0)
        snprintf(fall, sizeof fall, "%.1f orders of magnitude: the better D gets, the less "
                 "G learns.", orders);
    else
        snprintf(fall, sizeof fall, "only %.2f orders of magnitude: %d D iterations are too "
                 "few to show the fall%s.", orders, d_iters,
                 L->fast ? " (run without --fast)" : "; try more --d-iters");
    lesson_say(L,
               "Over %d iterations D's accuracy reached %.1f%% (mean of the last %d). G's "
               "gradient under the minimax cost went from %.2e to %.2e (medians of the first "
               "%d and the last %d iterations), %s Under the non-saturating cost it went "
               "from %.2e to %.2e (%.3g times its start). Same D, same fakes; only the cost "
               "differs.",
               d_iters, 100.0 * acc_end, w1, start_mm, end_mm, w0, w1, fall, start_ns, end_ns,
               end_ns / start_ns);
    {
        char noise[300];
        if (L->fast || w0 < 5)
            snprintf(noise, sizeof noise, "A run of %d D iterations has too few "
                     "measurements at each end to compare their spread.", d_iters);
        else {
            double grew = sd_ns[1] / sd_ns[0];
            snprintf(noise, sizeof noise, "%s: the batch-to-batch noise of the norm went "
                     "from %.2e (first %d iterations) to %.2e (last %d), %.3g times, while "
                     "the norm itself grew %.3g times.",
                     grew > 2.0   ? "This run shows it too"
                     : grew > 1.2 ? "This run shows it only mildly"
                                  : "This run does not show it",
                     sd_ns[0], w0, sd_ns[1], w1, grew, end_ns / start_ns);
        }
        lesson_say(L,
                   "\nThe non-saturating gradient stays alive, but Arjovsky and Bottou found "
                   "a price: as D improves it grows noisy, its variance growing as well as "
                   "its size (their figure 3), so G's updates grow noisy too. %s",
                   noise);
    }
    nn_model_free(D);
    nn_gan_free(t);

    /* ------------------------------------------------------------ end to end */
    lesson_step(L, "The consequence: minimax against non-saturating, end to end");
    lesson_say(L,
               "Now two GANs from the same seed (same weights, same batches), trained for %d "
               "steps each, one with each generator cost. The D loss, G loss and D(G(z)) are "
               "logged every step; the samples at the end are drawn from the same latent "
               "vectors.",
               steps);
    lesson_code(L, "end_to_end");
    /* STEP: end_to_end */
    const nn_gan_objective kinds[2] = {NN_GAN_MINIMAX, NN_GAN_NONSAT};
    float *d_fake_log[2], *g_loss_log[2], *d_loss_log[2];
    float *steps_x = lesson_alloc(L, (size_t)steps, sizeof(float));
    const int n_show = 16;
    float *samples[2];
    for (int k = 0; k < 2; k++) {
        d_fake_log[k] = lesson_alloc(L, (size_t)steps, sizeof(float));
        g_loss_log[k] = lesson_alloc(L, (size_t)steps, sizeof(float));
        d_loss_log[k] = lesson_alloc(L, (size_t)steps, sizeof(float));
        samples[k] = lesson_alloc(L, (size_t)n_show * dim, sizeof(float));
        nn_gan *tk = mlpgan_create(&arch, kinds[k], lr, batch, 1, 1.0f, L->seed, &err);
        if (!tk)
            lesson_check(L, err.code, &err);
        nn_loader_free(&ld);   /* the same batches in the same order for both */
        lesson_check(L, nn_loader_init(&ld, &ds, batch, 1, 1, NN_RANGE_PM1, L->seed, &err), &err);
        lesson_progress_start(L, &pr, nn_gan_objective_name(kinds[k]), steps);
        for (int i = 0; i < steps; i++) {
            next_real(&ld, real);
            nn_gan_step(tk, real, &st);
            d_fake_log[k][i] = st.d_fake;
            g_loss_log[k][i] = st.g_loss;
            d_loss_log[k][i] = st.d_loss;
            steps_x[i] = (float)i;
            lesson_progress_tick(&pr, i + 1, "D(G(z)) %.3f", st.d_fake);
        }
        lesson_progress_done(&pr);
        nn_rng zr;
        nn_rng_seed(&zr, L->seed, 5);   /* the same latent vectors for both */
        float *zs = lesson_alloc(L, (size_t)n_show * arch.latent_dim, sizeof(float));
        nn_sample_latent(zs, n_show, arch.latent_dim, &zr);
        gan_sample_images(samples[k], tk->G, zs, n_show);
        nn_free(zs);
        nn_gan_free(tk);
    }
    /* END STEP */
    /* Each curve is smoothed over a short window so the trend shows. */
    int sw = steps >= 200 ? steps / 100 : 1;
    for (int k = 0; k < 2; k++) {
        smooth(d_fake_log[k], steps, sw);
        smooth(g_loss_log[k], steps, sw);
        smooth(d_loss_log[k], steps, sw);
    }
    {
        const float *ys[4] = {d_fake_log[0], d_fake_log[1], d_loss_log[0], d_loss_log[1]};
        const char *names[4] = {"D(G(z)) minimax", "D(G(z)) nonsat", "D loss minimax",
                                "D loss nonsat"};
        plot_lines(L, "e2e_d", "D(G(z)) and D's loss, minimax vs non-saturating", "step",
                   "value", 0, 1, steps_x, ys, names, 4, steps,
                   "D(G(z)) and the D loss during training, under each generator cost");
        const float *gs[2] = {g_loss_log[0], g_loss_log[1]};
        const char *gnames[2] = {"G loss minimax (log(1 - D))", "G loss nonsat (-log D)"};
        plot_lines(L, "e2e_g_loss", "generator loss, minimax vs non-saturating", "step",
                   "G loss", 0, 1, steps_x, gs, gnames, 2, steps,
                   "the generator's loss under each cost");
    }
    for (int k = 0; k < 2; k++) {
        char png[64], caption[96];
        snprintf(png, sizeof png, "samples_%s.png", nn_gan_objective_name(kinds[k]));
        snprintf(caption, sizeof caption, "samples after %d steps, %s cost", steps,
                 nn_gan_objective_name(kinds[k]));
        nn_grid_opts go = nn_grid_defaults(-1.0f, 1.0f);
        go.scale = 2;
        lesson_check(L, nn_image_write_grid(lesson_path(L, png), samples[k], n_show, 1, ds.h,
                                            ds.w, &go, &err),
                     &err);
        lesson_print(L, "%s cost, the first 2 samples:\n", nn_gan_objective_name(kinds[k]));
        nn_image_preview(lesson_capture_begin(L), samples[k], 2, 1, ds.h, ds.w, 2, -1.0f, 1.0f,
                         NN_PREVIEW_ASCII);
        lesson_capture_end(L);
        lesson_figure(L, png, caption);
    }
    lesson_key(L, "e2e_steps", "%d", steps);
    lesson_key(L, "e2e_d_fake_end_minimax", "%.4f", (double)d_fake_log[0][steps - 1]);
    lesson_key(L, "e2e_d_fake_end_nonsat", "%.4f", (double)d_fake_log[1][steps - 1]);
    lesson_key(L, "e2e_d_loss_end_minimax", "%.4f", (double)d_loss_log[0][steps - 1]);
    lesson_key(L, "e2e_d_loss_end_nonsat", "%.4f", (double)d_loss_log[1][steps - 1]);
    float mm_end = d_fake_log[0][steps - 1], ns_end = d_fake_log[1][steps - 1];
    if (fabsf(mm_end - ns_end) < 0.02f)
        lesson_say(L,
                   "The two runs end at D(G(z)) %.3f (minimax) and %.3f (non-saturating): no "
                   "measurable difference. While D(G(z)) stays near 1/2 the two costs' "
                   "gradients, -D(G(z)) and -(1 - D(G(z))), are nearly equal, so G gets the "
                   "same push under both; the difference appears only once D wins%s. %s",
                   (double)mm_end, (double)ns_end,
                   orders >= 1.0 ? ", as the experiment above showed" : "",
                   L->fast ? "A --fast run is too short to show it: run without --fast."
                           : "Try more --steps or another --seed.");
    else if (mm_end < ns_end)
        lesson_say(L,
                   "With the minimax cost D ends up rejecting the fakes more confidently: "
                   "D(G(z)) %.3f against %.3f (curves smoothed over %d steps). That fits the "
                   "saturation measured above: the more confidently D rejects a fake, the "
                   "less the minimax G learns from it, while the non-saturating G is pushed "
                   "hardest exactly there. This is why GANs train G on -log D(G(z)), and why "
                   "it is the course's default (lesson 06, --loss nonsat).",
                   (double)mm_end, (double)ns_end, sw);
    else
        lesson_say(L,
                   "In this run the minimax G ends ahead (D(G(z)) %.3f minimax, %.3f "
                   "non-saturating, curves smoothed over %d steps): over %d steps D did not "
                   "reject the fakes confidently enough for the minimax gradient to fade. "
                   "Try more --steps or another --seed.",
                   (double)mm_end, (double)ns_end, sw, steps);

    for (int k = 0; k < 2; k++) {
        nn_free(d_fake_log[k]);
        nn_free(g_loss_log[k]);
        nn_free(d_loss_log[k]);
        nn_free(samples[k]);
    }
    nn_free(steps_x);
    nn_free(z);
    nn_free(d_in);
    nn_free(s_fake);
    nn_free(dlds);
    nn_free(dfake);
    nn_free(norm_mm);
    nn_free(norm_ns);
    nn_free(acc);
    nn_free(iter);
    nn_free(real);
    nn_loader_free(&ld);
    nn_dataset_free(&ds);
    return lesson_end(L);
}
