/* famtoy.c - lesson 18's 2-D runs (famtoy.h). */
#include "famtoy.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "kernels/pool.h"
#include "viz/plot.h"
#include "workqueue.h"

#define LOG_2PI 1.8378770664093453

static const char *const keys[FAM_KINDS] = {"gan", "gan_best", "flow", "vae", "ddpm", "ar"};
static const char *const labels[FAM_KINDS] = {"GAN (vanilla)", "GAN (best fix)",
                                              "flow (RealNVP)", "VAE", "diffusion (DDPM)",
                                              "autoregressive"};

const char *famtoy_key(fam_kind k) { return keys[k]; }
const char *famtoy_label(fam_kind k) { return labels[k]; }

static double thread_cpu(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

famtoy_setup famtoy_defaults(int fast)
{
    famtoy_setup s;
    memset(&s, 0, sizeof s);
    s.steps[FAM_GAN] = s.steps[FAM_GANFIX] = 0; /* lesson 09's preset */
    s.steps[FAM_FLOW] = 10000;            /* lesson 17's on the ring */
    s.steps[FAM_VAE] = 6000;
    s.steps[FAM_DDPM] = 20000;
    s.steps[FAM_AR] = 6000;
    s.batch = 256;
    s.lr = 1e-3f;
    s.ddpm = nn_ddpm_config_default();
    /* Wider than the library's default: the denoiser must be precise to a
     * fraction of a mode's sigma near each of the grid's 25 modes. */
    s.ddpm.hidden = 256;
    s.ddpm.temb = 32;
    s.ar = nn_armix_config_default();
    s.flow = nn_flow_config_default();
    s.vae = nn_vae_config_images();
    s.vae.in = 2;
    s.vae.code = 2;
    s.vae.hidden = 64;
    s.vae.layers = 2;
    s.vae.lik = NN_VAE_GAUSSIAN;
    s.vae.sigma_x = 0.1f;
    if (fast)
        for (int k = FAM_FLOW; k < FAM_KINDS; k++) s.steps[k] = 60;
    if (fast) s.batch = 64;
    return s;
}

/* ------------------------------------------------------------------ training */

/* flowruns_flow wants a loop of the flow's own; train_one below is it. */
static void loop_in_train_one(flowrun *r)
{
    (void)r;
}

/* One run's loop: Adam on fresh points each step, the rate decaying
 * linearly to 2%, stopped by a loss that is not a finite number. */
static void train_one(famrun *r)
{
    nn_rng rng;
    nn_rng_seed(&rng, r->seed, 3);
    r->diverged_at = -1;
    if (r->kind == FAM_GAN || r->kind == FAM_GANFIX) {
        r->fr.train(&r->fr);                   /* lesson 09's own schedule */
        return;
    }
    const int n = r->batch;
    for (int s = 0; s < r->steps; s++) {
        float lr = r->lr * (1.0f - 0.98f * (float)s / (float)r->steps), loss = 0.0f;
        nn_toy_sample(r->data, &rng, r->batch_x, NULL, n);
        switch (r->kind) {
        case FAM_FLOW:
            r->fr.flow->cfg.opt.lr = lr;
            loss = nn_flow_train_step(r->fr.flow, r->batch_x, n);
            break;
        case FAM_VAE:
            r->vae->cfg.opt.lr = lr;
            loss = nn_vae_train_step(r->vae, r->batch_x, n, &rng, NULL);
            break;
        case FAM_DDPM:
            r->ddpm->cfg.opt.lr = lr;
            loss = nn_ddpm_train_step(r->ddpm, r->batch_x, n, &rng);
            break;
        case FAM_AR:
            r->ar->cfg.opt.lr = lr;
            loss = nn_armix_train_step(r->ar, r->batch_x, n);
            break;
        default:
            break;
        }
        if (!isfinite(loss)) {
            r->diverged_at = s;
            return;
        }
    }
}

void famtoy_build(lesson *L, famrun *r, fam_kind k, const nn_toy *data, const famtoy_setup *s,
                  const toyrivals *tr, uint64_t seed)
{
    nn_error err;
    memset(r, 0, sizeof *r);
    r->kind = k;
    r->data = data;
    r->seed = seed;
    r->lr = s->lr;
    r->batch = s->batch;
    r->steps = s->steps[k];
    /* Every network sees the data divided by its spread, as lesson 09's do. */
    int unused;
    const float scale = toy_config_preset(data, &unused).scale;
    r->batch_x = lesson_alloc(L, (size_t)s->batch * 2, sizeof(float));
    r->samples = lesson_alloc(L, (size_t)FAMTOY_SAMPLES * 2, sizeof(float));
    switch (k) {
    case FAM_GAN:
    case FAM_GANFIX:
        toyrivals_run(L, &r->fr, data, tr, k == FAM_GANFIX, seed);
        r->steps = r->fr.steps;
        r->passes = 1;
        return;
    case FAM_FLOW: {
        nn_flow_config c = s->flow;
        c.max_batch = s->batch;
        c.opt.lr = s->lr;
        flowruns_flow(L, &r->fr, &c, data, r->steps, seed, NULL, 0, loop_in_train_one);
        r->passes = c.layers;             /* the coupling networks, one after the other */
        return;
    }
    case FAM_VAE: {
        nn_vae_config c = s->vae;
        c.max_batch = s->batch;
        c.opt.lr = s->lr;
        c.sigma_x = s->vae.sigma_x;
        r->vae = nn_vae_create(&c, seed, &err);
        if (!r->vae) lesson_check(L, err.code, &err);
        r->passes = 1;
        return;
    }
    case FAM_DDPM: {
        nn_ddpm_config c = s->ddpm;
        c.scale = scale;
        c.max_batch = s->batch;
        c.opt.lr = s->lr;
        r->ddpm = nn_ddpm_create(&c, seed, &err);
        if (!r->ddpm) lesson_check(L, err.code, &err);
        r->passes = c.T;
        return;
    }
    case FAM_AR: {
        nn_armix_config c = s->ar;
        c.scale = scale;
        c.max_batch = s->batch;
        c.opt.lr = s->lr;
        r->ar = nn_armix_create(&c, seed, &err);
        if (!r->ar) lesson_check(L, err.code, &err);
        r->passes = 2;                    /* p(x1), then the network for p(x2 | x1) */
        return;
    }
    default:
        return;
    }
}

/* One run, on whichever worker takes it: its wall and CPU time with it. */
static void famrun_one(void *ctx, int i)
{
    famrun *r = &((famrun *)ctx)[i];
    double t0 = lesson_seconds(), c0 = thread_cpu();
    train_one(r);
    r->secs = lesson_seconds() - t0;
    r->cpu_secs = thread_cpu() - c0;
}

void famtoy_train_all(lesson *L, famrun *runs, int n, int jobs)
{
    workqueue_run(L, "training runs", n, jobs, famrun_one, runs);
}

/* ------------------------------------------------------------------ measuring */

/* n samples of r into x, from rng. */
static void sample(famrun *r, float *x, int n, nn_rng *rng)
{
    switch (r->kind) {
    case FAM_GAN:
    case FAM_GANFIX: toy_gan_sample(r->fr.gan, x, n); break;
    case FAM_FLOW: nn_flow_sample(r->fr.flow, x, n, rng); break;
    case FAM_VAE: nn_vae_sample(r->vae, x, n, rng); break;
    case FAM_DDPM: nn_ddpm_sample(r->ddpm, x, n, rng); break;
    case FAM_AR: nn_armix_sample(r->ar, x, n, rng); break;
    default: break;
    }
}

void famtoy_measure(lesson *L, famrun *r, const float *held, int n_held, uint64_t seed)
{
    nn_error err;
    nn_rng rng;
    nn_rng_seed(&rng, seed, 8);
    int before = nn_get_threads();
    nn_set_threads(1);   /* the cost of one core's sampling */
    /* The sampling cost first, on FAMTOY_COST_N samples. */
    float *x = lesson_alloc(L, (size_t)FAMTOY_COST_N * 2, sizeof(float));
    double t0 = lesson_seconds(), c0 = thread_cpu();
    sample(r, x, FAMTOY_COST_N, &rng);
    r->cost_wall = lesson_seconds() - t0;
    r->cost_cpu = thread_cpu() - c0;
    nn_free(x);
    if (r->kind == FAM_GAN || r->kind == FAM_GANFIX)   /* drawn by lesson 09's loop */
        memcpy(r->samples, r->fr.samples, (size_t)FAMTOY_SAMPLES * 2 * sizeof(float));
    else
        sample(r, r->samples, FAMTOY_SAMPLES, &rng);
    int counts[NN_TOY_MAX_MODES];
    lesson_check(L, nn_mode_stats_compute(&r->st, counts, r->samples, FAMTOY_SAMPLES, 2,
                                          r->data->centres, r->data->n_modes, r->data->sigma,
                                          &err), &err);
    nn_set_threads(before);
    r->ll = NAN;
    r->ll_exact = 1;
    switch (r->kind) {
    case FAM_FLOW: r->ll = nn_flow_mean_log_prob(r->fr.flow, held, n_held); break;
    case FAM_AR: r->ll = nn_armix_mean_log_prob(r->ar, held, n_held); break;
    case FAM_VAE: {
        nn_vae_terms t = nn_vae_evaluate(r->vae, held, n_held, &rng);
        r->ll = -(double)t.recon - t.kl;  /* the ELBO: a bound */
        r->ll_exact = 0;
        break;
    }
    case FAM_DDPM:
        r->ll = nn_ddpm_bound(r->ddpm, held, n_held, &rng);
        r->ll_exact = 0;
        break;
    default: break;
    }
}

void famtoy_plot_samples(lesson *L, const famrun *r, const char *caption)
{
    nn_error err;
    char name[64], title[160];
    snprintf(name, sizeof name, "samples_%s_%s", keys[r->kind], r->data->name);
    snprintf(title, sizeof title, "%s: %d samples, %s, modes marked", r->data->name,
             FAMTOY_SAMPLES, labels[r->kind]);
    nn_plot q = {.dir = L->out, .name = name, .title = title, .xlabel = "x", .ylabel = "y",
                 .width = 600, .height = 600};
    nn_status s = nn_plot_scatter(&q, r->samples, FAMTOY_SAMPLES, r->data->centres,
                                  r->data->n_modes, &err);
    lesson_plot_shown(L, &q, s, &err, caption);
}

void famtoy_show_schedule(lesson *L, const nn_ddpm *d, const nn_toy *data, uint64_t seed)
{
    nn_error err;
    const int T = d->cfg.T;
    float *t = lesson_alloc(L, (size_t)T, sizeof(float)),
          *sig = lesson_alloc(L, (size_t)T, sizeof(float)),
          *noi = lesson_alloc(L, (size_t)T, sizeof(float));
    for (int i = 0; i < T; i++) {
        t[i] = (float)(i + 1);
        sig[i] = sqrtf(d->abar[i]);
        noi[i] = sqrtf(1.0f - d->abar[i]);
    }
    const float *ys[2] = {sig, noi};
    const char *names[2] = {"sqrt(abar_t): the signal's weight",
                            "sqrt(1 - abar_t): the noise's"};
    nn_plot p = {.dir = L->out, .name = "ddpm_schedule", .title = "The forward process's "
                 "schedule", .xlabel = "step t", .ylabel = "weight in x_t"};
    nn_status s = nn_plot_lines(&p, t, ys, names, 2, T, &err);
    lesson_plot_shown(L, &p, s, &err, "how much of x_0 and of the noise x_t holds at each step");
    nn_free(t);
    nn_free(sig);
    nn_free(noi);
    /* Noised points of the data, read back in data units: how many still
     * sit within 3 sigma of their own mode. */
    enum { N = 2000 };
    float *x0 = lesson_alloc(L, (size_t)N * 2, sizeof(float)),
          *xt = lesson_alloc(L, (size_t)N * 2, sizeof(float)),
          *eps = lesson_alloc(L, (size_t)N * 2, sizeof(float)),
          *ab = lesson_alloc(L, (size_t)N, sizeof(float));
    int *mode = lesson_alloc(L, (size_t)N, sizeof(int));
    nn_rng r;
    nn_rng_seed(&r, seed, 9);
    nn_toy_sample(data, &r, x0, mode, N);
    for (int i = 0; i < 2 * N; i++) {
        x0[i] /= d->cfg.scale;
        eps[i] = nn_rng_normal(&r);
    }
    lesson_print(L, "%5s %10s %14s %14s %22s\n", "t", "abar_t", "sqrt(abar_t)",
                 "sqrt(1-abar_t)", "on their mode (3 sigma)");
    const int at[6] = {1, 5, 10, 25, 50, T};
    for (int j = 0; j < 6; j++) {
        int k = at[j] < T ? at[j] : T;
        for (int i = 0; i < N; i++) ab[i] = d->abar[k - 1];
        nn_ddpm_noise(xt, x0, eps, ab, N, 2);   /* x_t ~ q(x_t | x_0), exercise 29 */
        int on = 0;
        for (int i = 0; i < N; i++) {
            const float *c = data->centres + 2 * mode[i];
            float k2 = d->cfg.scale / sqrtf(d->abar[k - 1]);
            float dx = xt[2 * i] * k2 - c[0], dy = xt[2 * i + 1] * k2 - c[1];
            on += sqrtf(dx * dx + dy * dy) <= 3.0f * data->sigma;
        }
        lesson_print(L, "%5d %10.4f %14.4f %14.4f %21.1f%%\n", k, (double)d->abar[k - 1],
                     sqrt((double)d->abar[k - 1]), sqrt(1.0 - d->abar[k - 1]),
                     100.0 * on / N);
        if (k == T) break;
    }
    nn_free(x0);
    nn_free(xt);
    nn_free(eps);
    nn_free(ab);
    nn_free(mode);
}

double famtoy_gauss_ll(const float *fit, int n_fit, const float *held, int n_held)
{
    double mu[2], c[4];
    nn_mean_cov(mu, c, fit, n_fit, 2);
    const double det = c[0] * c[3] - c[1] * c[2];
    double sum = 0.0;
    for (int i = 0; i < n_held; i++) {
        double dx = held[2 * i] - mu[0], dy = held[2 * i + 1] - mu[1];
        double q = (c[3] * dx * dx - 2.0 * c[1] * dx * dy + c[0] * dy * dy) / det;
        sum += -0.5 * q - 0.5 * log(det) - LOG_2PI;
    }
    return sum / n_held;
}

double famtoy_true_ll(const nn_toy *data, const float *held, int n_held)
{
    const double s2 = (double)data->sigma * data->sigma, K = data->n_modes;
    double sum = 0.0;
    for (int i = 0; i < n_held; i++) {
        double lp[NN_TOY_MAX_MODES], top = -INFINITY, acc = 0.0;
        for (int k = 0; k < data->n_modes; k++) {
            double dx = held[2 * i] - data->centres[2 * k],
                   dy = held[2 * i + 1] - data->centres[2 * k + 1];
            lp[k] = -(dx * dx + dy * dy) / (2.0 * s2) - LOG_2PI - log(s2) - log(K);
            top = fmax(top, lp[k]);
        }
        for (int k = 0; k < data->n_modes; k++) acc += exp(lp[k] - top);
        sum += top + log(acc);
    }
    return sum / n_held;
}

void famtoy_free(famrun *r)
{
    if (r->kind == FAM_GAN || r->kind == FAM_GANFIX || r->kind == FAM_FLOW)
        flowruns_free(&r->fr);
    nn_vae_free(r->vae);
    nn_ddpm_free(r->ddpm);
    nn_armix_free(r->ar);
    nn_free(r->batch_x);
    nn_free(r->samples);
    memset(r, 0, sizeof *r);
}
