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
#include "gcosts.h"
#include "mlpgan.h"
#include "lesson.h"
#include "nn.h"

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

/* What the steps share: the data and its loader, and the briefly trained
 * GAN whose G stays frozen once pretrained. */
typedef struct {
    nn_gan_arch arch;
    nn_gan_objective pre_loss;  /* G's cost while pretraining */
    nn_dataset ds;
    nn_loader ld;               /* over ds; the fresh D reads on where pretraining stopped
                                 * (each step takes it for its cell and puts it back) */
    int dim;                    /* pixels of one image */
    float *real;                /* (batch, dim) */
    nn_gan *t;                  /* the pretrained GAN */
    nn_model *G;                /* its generator, frozen */
    double orders;              /* orders of magnitude the minimax gradient fell by */
} vanishing;

static void show_saturation(lesson *L)
{
    lesson_step(L, "The saturation picture");
    lesson_say(L,
               "The value function V(D, G) = E log D(x) + E log(1 - D(G(z))) gives G the "
               "minimax cost log(1 - D(G(z))). With D(G(z)) = sigmoid(s), s the logit D "
               "gives a fake, its derivative is\n"
               LESSON_MATH("\\frac{d}{ds}\\log(1 - \\sigma(s)) = -\\sigma(s) \\;\\to\\; 0 \\text{ as } s \\to -\\infty", "d/ds log(1 - sigmoid(s)) = -sigmoid(s)      -> 0 as s -> -inf") "\n"
               "The non-saturating cost -log D(G(z)) has the same fixed point but\n"
               LESSON_MATH("\\frac{d}{ds}\\left(-\\log \\sigma(s)\\right) = -\\sigma(-s) \\;\\to\\; -1 \\text{ as } s \\to -\\infty", "d/ds -log sigmoid(s) = -sigmoid(-s)         -> -1 as s -> -inf") "\n"
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
        gcosts_plot_lines(L, "g_cost", "generator cost against D(G(z))", "D(G(z))", "cost", 0, 0,
                          dx, ys, names, 2, m, "the two generator costs against D(G(z))");
        const float *gs[3] = {g_mm, g_ns, g_ls};
        const char *gnames[3] = {"minimax", "non-saturating", "least squares"};
        gcosts_plot_lines(L, "g_cost_grad", "|d cost / d logit| (log scale)",
                          "D's logit s on a fake", "|d cost / ds|", 1, 0, sv, gs, gnames, 3, NP,
                          "the size of each cost's gradient with respect to D's logit");
    }
    lesson_key(L, "saturation_minimax_grad_at_s_minus10", "%.3g", (double)g_mm[10]);
    lesson_key(L, "saturation_nonsat_grad_at_s_minus10", "%.3g", (double)g_ns[10]);
}

static void pretrain_generator(lesson *L, vanishing *v)
{
    lesson_step(L, "A briefly trained generator");
    lesson_say(L,
               "The experiment needs a generator that is neither random nor good: the %s MLP "
               "GAN trained for %d steps (batch %d, Adam lr %g, the %s cost) on "
               "Fashion-MNIST. Then G is frozen.",
               arch_flag, pretrain_steps, batch, (double)lr, loss_flag);
    nn_error err;
    lesson_check(L, nn_dataset_load_mnist(&v->ds, data_dir,
                                          L->fast ? NN_SPLIT_TEST : NN_SPLIT_TRAIN, &err),
                 &err);
    lesson_check(L, nn_loader_init(&v->ld, &v->ds, batch, 1, 1, NN_RANGE_PM1, L->seed, &err),
                 &err);
    v->dim = v->ds.c * v->ds.h * v->ds.w;
    v->real = lesson_alloc(L, (size_t)batch * v->dim, sizeof(float));
    lesson_code(L, "pretrain");
    nn_gan_arch arch = v->arch;
    nn_gan_objective pre_loss = v->pre_loss;
    nn_loader ld = v->ld;
    float *real = v->real;
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
    v->ld = ld;
    v->t = t;
    v->G = G;
}

/* What the fresh D's run showed, in words chosen by its numbers. */
static void say_what_the_fresh_d_showed(lesson *L, const gcosts_sweep *m)
{
    double orders = log10(m->start_mm / m->end_mm);
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
               d_iters, 100.0 * m->acc_end, m->w1, m->start_mm, m->end_mm, m->w0, m->w1, fall,
               m->start_ns, m->end_ns, m->end_ns / m->start_ns);
    char noise[300];
    if (L->fast || m->w0 < 5)
        snprintf(noise, sizeof noise, "A run of %d D iterations has too few "
                 "measurements at each end to compare their spread.", d_iters);
    else {
        double grew = m->noise_ns[1] / m->noise_ns[0];
        snprintf(noise, sizeof noise, "%s: the batch-to-batch noise of the norm went "
                 "from %.2e (first %d iterations) to %.2e (last %d), %.3g times, while "
                 "the norm itself grew %.3g times.",
                 grew > 2.0   ? "This run shows it too"
                 : grew > 1.2 ? "This run shows it only mildly"
                              : "This run does not show it",
                 m->noise_ns[0], m->w0, m->noise_ns[1], m->w1, grew, m->end_ns / m->start_ns);
    }
    lesson_say(L,
               "\nThe non-saturating gradient stays alive, but Arjovsky and Bottou found "
               "a price: as D improves it grows noisy, its variance growing as well as "
               "its size (their figure 3), so G's updates grow noisy too. %s",
               noise);
}

static void train_fresh_d(lesson *L, vanishing *v)
{
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
    nn_error err;
    nn_gan_arch arch = v->arch;
    nn_gan *t = v->t;
    nn_model *G = v->G;
    nn_loader ld = v->ld;
    const int dim = v->dim;
    lesson_progress pr;
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
    v->ld = ld;
    gcosts_sweep m = gcosts_sweep_summarise(norm_mm, norm_ns, acc, d_iters);
    gcosts_sweep_show(L, iter, acc, norm_mm, norm_ns, d_iters);
    v->orders = log10(m.start_mm / m.end_mm);
    lesson_key(L, "minimax_grad_decay_orders", "%.2f", v->orders);
    lesson_key(L, "nonsat_grad_ratio_end", "%.3g", m.end_ns / m.start_ns);
    lesson_key(L, "d_accuracy_end", "%.4f", m.acc_end);
    lesson_key_quiet(L, "minimax_grad_start", "%.3e", m.start_mm);
    lesson_key_quiet(L, "minimax_grad_end", "%.3e", m.end_mm);
    lesson_key_quiet(L, "nonsat_grad_start", "%.3e", m.start_ns);
    lesson_key_quiet(L, "nonsat_grad_end", "%.3e", m.end_ns);
    lesson_key_quiet(L, "d_iters", "%d", d_iters);
    /* The noise Arjovsky and Bottou saw grow as D improves. */
    lesson_key(L, "nonsat_grad_noise_start", "%.3g", m.noise_ns[0]);
    lesson_key(L, "nonsat_grad_noise_end", "%.3g", m.noise_ns[1]);
    say_what_the_fresh_d_showed(L, &m);
    nn_free(z);
    nn_free(d_in);
    nn_free(s_fake);
    nn_free(dlds);
    nn_free(dfake);
    nn_free(norm_mm);
    nn_free(norm_ns);
    nn_free(acc);
    nn_free(iter);
    nn_model_free(D);
    nn_gan_free(t);
    v->t = NULL;
    v->G = NULL;
}

static void compare_end_to_end(lesson *L, vanishing *v)
{
    lesson_step(L, "The consequence: minimax against non-saturating, end to end");
    lesson_say(L,
               "Now two GANs from the same seed (same weights, same batches), trained for %d "
               "steps each, one with each generator cost. The D loss, G loss and D(G(z)) are "
               "logged every step; the samples at the end are drawn from the same latent "
               "vectors.",
               steps);
    lesson_code(L, "end_to_end");
    nn_error err;
    nn_gan_arch arch = v->arch;
    nn_dataset ds = v->ds;
    nn_loader ld = v->ld;
    float *real = v->real;
    const int dim = v->dim;
    nn_gan_stats st;
    lesson_progress pr;
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
    /* The loader reads this function's copy of ds: it ends here. */
    nn_loader_free(&ld);
    v->ld = ld;
    gcosts_e2e_curves(L, steps_x, steps, d_fake_log, g_loss_log, d_loss_log);
    gcosts_e2e_samples(L, kinds, samples, n_show, steps, ds.h, ds.w);
    int sw = gcosts_e2e_window(steps);
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
                   v->orders >= 1.0 ? ", as the experiment above showed" : "",
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
}

/* The data set fits the GAN and holds a batch (a --fast run reads the test
 * split): checked before the first step writes anything. */
static void check_the_data(lesson *L, const vanishing *v)
{
    const lesson_data_shape *d = lesson_data(L, L->fast);
    if (d->c * d->h * d->w != v->arch.data_dim)
        lesson_fail(L, LESSON_EXIT_INPUT, "--data: images of %d x %d x %d, but the GAN draws "
                    "%d pixels; use a 28 x 28 grey data set", d->c, d->h, d->w, v->arch.data_dim);
    if (batch > d->n)
        lesson_fail(L, LESSON_EXIT_INPUT, "--batch %d is more than the %d images", batch, d->n);
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
    vanishing v = {.arch = arch, .pre_loss = pre_loss};
    check_the_data(L, &v);
    show_saturation(L);
    pretrain_generator(L, &v);
    train_fresh_d(L, &v);
    compare_end_to_end(L, &v);
    nn_free(v.real);
    nn_dataset_free(&v.ds);
    return lesson_end(L);
}
