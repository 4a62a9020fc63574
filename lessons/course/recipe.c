/* recipe.c - one way to train a GAN, and one run of it (recipe.h). */
#include "recipe.h"

#include <math.h>
#include <string.h>

#include "critic_probe.h"
#include "mlpgan.h"
#include "trainrun.h"

nn_gan_arch recipe_wgan_arch(void)
{
    nn_gan_arch a = mlpgan_arch_default();
    a.d_dropout = 0.0f;
    a.n_d_hidden = 3;
    a.d_hidden[0] = 128;
    a.d_hidden[1] = 512;
    a.d_hidden[2] = 512;
    return a;
}

recipe recipe_wgan_clip(float c)
{
    /* Arjovsky et al. (2017), Algorithm 1: RMSProp at 5e-5, c = 0.01,
     * 5 critic updates per generator update. */
    recipe r = {.name = "wgan-clip", .arch = recipe_wgan_arch(),
                .cfg = nn_gan_config_default()};
    r.cfg.objective = NN_GAN_WASSERSTEIN;
    r.cfg.rmsprop = 1;
    r.cfg.lr_g = r.cfg.lr_d = 5e-5f;
    r.cfg.d_steps = 5;
    r.cfg.clip = c;
    r.d_init_sd = c / 3.0f < 0.02f ? c / 3.0f : 0.02f;
    return r;
}

recipe recipe_wgan_gp(float lambda)
{
    /* Gulrajani et al. (2017), Algorithm 1: lambda 10, Adam 1e-4 with betas
     * (0, 0.9), 5 critic updates per generator update. */
    recipe r = {.name = "wgan-gp", .arch = recipe_wgan_arch(), .cfg = nn_gan_config_default()};
    r.cfg.objective = NN_GAN_WASSERSTEIN;
    r.cfg.lr_g = r.cfg.lr_d = 1e-4f;
    r.cfg.beta1 = 0.0f;
    r.cfg.beta2 = 0.9f;
    r.cfg.d_steps = 5;
    r.cfg.gp_lambda = lambda;
    return r;
}

recipe recipe_vanilla(void)
{
    recipe r = {.name = "vanilla", .arch = mlpgan_arch_default(),
                .cfg = nn_gan_config_default()};
    r.cfg.real_label = 0.9f;
    return r;
}

void recipe_feed_open(lesson *L, recipe_feed *f, const char *data_dir, int max_images,
                      uint64_t seed)
{
    nn_error err = {NN_OK, ""};
    memset(f, 0, sizeof *f);
    lesson_check(L, nn_dataset_load_mnist(&f->ds, data_dir, NN_SPLIT_TRAIN, &err), &err);
    if (f->ds.c * f->ds.h * f->ds.w != 784)
        lesson_fail(L, LESSON_EXIT_INPUT, "--data: images of %d x %d x %d; these MLPs draw "
                    "28 x 28 grey images", f->ds.c, f->ds.h, f->ds.w);
    f->n = max_images > 0 && f->ds.n > max_images ? max_images : f->ds.n;
    f->order = lesson_alloc(L, (size_t)f->n, sizeof(int));
    for (int i = 0; i < f->n; i++) f->order[i] = i;
    f->pos = f->n;
    nn_rng_seed(&f->rng, seed, 32);
}

void recipe_feed_free(recipe_feed *f)
{
    nn_free(f->order);
    nn_dataset_free(&f->ds);
}

recipe_feed recipe_feed_fork(lesson *L, const recipe_feed *f)
{
    recipe_feed copy = *f;
    copy.order = lesson_alloc(L, (size_t)f->n, sizeof(int));
    memcpy(copy.order, f->order, (size_t)f->n * sizeof(int));
    return copy;
}

void recipe_feed_fork_free(recipe_feed *copy)
{
    nn_free(copy->order);
    copy->order = NULL;
}

void recipe_feed_batches(recipe_feed *f, float *real, int count)
{
    for (int done = 0; done < count;) {
        if (f->pos == f->n) {
            nn_rng_shuffle(&f->rng, f->order, f->n);
            f->pos = 0;
        }
        int k = count - done < f->n - f->pos ? count - done : f->n - f->pos;
        nn_dataset_gather(real + (size_t)done * 784, &f->ds, f->order + f->pos, k,
                          NN_RANGE_PM1);
        f->pos += k;
        done += k;
    }
}

void recipe_evalset_open(lesson *L, recipe_evalset *ev, const nn_dataset *classifier_set,
                         const nn_dataset *test, int n, uint64_t seed)
{
    nn_error err = {NN_OK, ""};
    ev->net = classifier_create(256, &err);
    if (!ev->net) lesson_check(L, err.code, &err);
    judge_get_classifier(L, ev->net, classifier_set);
    ev->j = judge_create(L, ev->net, test, n);
    ev->z = lesson_alloc(L, (size_t)ev->j->n * 100, sizeof(float));
    ev->real = lesson_alloc(L, (size_t)ev->j->n * 784, sizeof(float));
    nn_rng zr;
    nn_rng_seed(&zr, seed, 11);
    nn_sample_latent(ev->z, ev->j->n, 100, &zr);
    int *idx = lesson_alloc(L, (size_t)ev->j->n, sizeof(int));
    for (int i = 0; i < ev->j->n; i++) idx[i] = i;
    nn_dataset_gather(ev->real, test, idx, ev->j->n, NN_RANGE_PM1);
    nn_free(idx);
}

void recipe_evalset_free(recipe_evalset *ev)
{
    nn_free(ev->z);
    nn_free(ev->real);
    judge_free(ev->j);
    nn_model_free(ev->net);
}

/* One logged point of a run at G update s: D's loss averaged since the last
 * point, the critic's estimate of W and the Frechet distance. */
static void log_point(lesson *L, nn_gan *t, recipe_evalset *ev, recipe_curve *log, int s,
                      double d_loss_mean)
{
    int k = log->n++;
    log->step[k] = (float)s;
    log->d_loss[k] = (float)d_loss_mean;
    /* The critic's estimate of W: mean score of real minus mean score
     * of fake, on the same fixed sets at every point. */
    gan_sample_images(ev->j->img, t->G, ev->z, ev->j->n);
    log->w_est[k] = (float)(critic_probe_mean_score(t->D, ev->real, ev->j->n) -
                            critic_probe_mean_score(t->D, ev->j->img, ev->j->n));
    log->fd[k] = (float)judge_generator(L, ev->j, t->G, ev->z, NULL);
}

nn_gan *recipe_create(lesson *L, const recipe *r, uint64_t seed)
{
    nn_error err = {NN_OK, ""};
    nn_gan *t = nn_gan_create(&r->arch, &r->cfg, NN_INIT_NORMAL_002, seed, &err);
    if (!t) lesson_check(L, err.code, &err);
    if (r->d_init_sd > 0.0f) {
        /* The same draws, rescaled: N(0, 0.02) times sd / 0.02 is N(0, sd). */
        float k = r->d_init_sd / 0.02f;
        for (int i = 0; i < t->D->n_layers; i++) {
            nn_layer *l = &t->D->layers[i];
            if (l->spec.kind != NN_LAYER_LINEAR) continue;
            for (long j = 0; j < (long)l->in * l->out; j++) l->w[j] *= k;
        }
    }
    return t;
}

nn_gan *recipe_train(lesson *L, const recipe *r, uint64_t seed, int n_steps, recipe_feed *f,
                     recipe_evalset *ev, recipe_curve *log, const char *label,
                     recipe_outcome *o)
{
    nn_gan *t = recipe_create(L, r, seed);
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
        recipe_feed_batches(f, real, nn_gan_real_batches(t) * b);
        nn_gan_step(t, real, &st);
        if (trainrun_diverged(&st)) {
            o->diverged_at = s;
            break;
        }
        dsum += st.d_loss;
        dn++;
        if (log && log->n < log->want &&
            s == (int)((long)n_steps * (log->n + 1) / log->want)) {
            log_point(L, t, ev, log, s, dsum / dn);
            dsum = 0.0;
            dn = 0;
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
