/* famvae.c - lesson 18's VAE on Fashion-MNIST (famvae.h). */
#include "famvae.h"
#include "trainrun.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mlpgan.h"

void famvae_train(lesson *L, famvae_run *r, const nn_dataset *ds, const nn_vae_config *cfg,
                  int steps, uint64_t seed, const char *label)
{
    nn_error err;
    r->beta = cfg->beta;
    r->steps = steps;
    r->diverged_at = -1;
    r->vae = nn_vae_create(cfg, seed, &err);
    if (!r->vae) lesson_check(L, err.code, &err);
    const int b = cfg->max_batch;
    nn_loader ld;
    lesson_check(L, nn_loader_init(&ld, ds, b, 1, 1, NN_RANGE_01, seed, &err), &err);
    float *x = lesson_alloc(L, (size_t)b * cfg->in, sizeof(float));
    nn_rng rng;
    nn_rng_seed(&rng, seed, 3);
    double rec = 0.0, kl = 0.0;
    int tail = 0;
    lesson_progress p;
    lesson_progress_start(L, &p, label, steps);
    double t0 = lesson_seconds();
    for (int s = 0; s < steps; s++) {
        int n = nn_loader_next(&ld, x, NULL);
        if (n < b) n = nn_loader_next(&ld, x, NULL);      /* a new epoch began */
        r->vae->cfg.opt.lr = cfg->opt.lr * (1.0f - 0.98f * (float)s / (float)steps);
        nn_vae_terms t;
        float loss = nn_vae_train_step(r->vae, x, n, &rng, &t);
        if (!isfinite(loss)) {
            r->diverged_at = s;
            break;
        }
        if (s >= steps - 200) {
            rec += t.recon;
            kl += t.kl;
            tail++;
        }
        lesson_progress_tick(&p, s + 1, "recon %.1f  KL %.2f", (double)t.recon, (double)t.kl);
    }
    lesson_progress_done(&p);
    r->secs = lesson_seconds() - t0;
    r->last = (nn_vae_terms){tail ? (float)(rec / tail) : NAN, tail ? (float)(kl / tail) : NAN};
    nn_free(x);
    nn_loader_free(&ld);
}

void famvae_sample_pm1(nn_vae *v, float *img, int n, uint64_t seed)
{
    nn_rng r;
    nn_rng_seed(&r, seed, 8);
    nn_vae_sample(v, img, n, &r);
    for (size_t i = 0; i < (size_t)n * v->cfg.in; i++) img[i] = 2.0f * img[i] - 1.0f;
}

double famvae_judge(lesson *L, judge *j, int *classes)
{
    nn_error err = {NN_OK, ""};
    for (size_t i = 0; i < (size_t)j->n * 784; i++)
        if (!isfinite(j->img[i])) {
            *classes = 0;
            return NAN;
        }
    classifier_features(j->net, j->img, j->n, j->feat);
    double fd;
    lesson_check(L, nn_frechet_distance_to(&fd, &j->ref, j->feat, j->n, &err), &err);
    int counts[CLASSIFIER_CLASSES], present = 0;
    classifier_predict(j->net, j->img, j->n, j->labels);
    nn_class_histogram(counts, j->labels, j->n, CLASSIFIER_CLASSES);
    for (int c = 0; c < CLASSIFIER_CLASSES; c++) present += counts[c] * JUDGE_CLASS_SHARE >= j->n;
    *classes = present;
    return fd;
}

void famvae_walk(lesson *L, nn_vae *v, const nn_dataset *test)
{
    enum { PAIRS = 6, STEPS = 10 };
    nn_error err;
    const int c = v->cfg.code;
    float *x = lesson_alloc(L, 2 * PAIRS * 784, sizeof(float));
    float *mu = lesson_alloc(L, (size_t)2 * PAIRS * c, sizeof(float));
    float *z = lesson_alloc(L, (size_t)PAIRS * STEPS * c, sizeof(float));
    float *img = lesson_alloc(L, (size_t)PAIRS * STEPS * 784, sizeof(float));
    /* Pairs of test images of different classes: image 2k and the first
     * later one whose class differs. */
    int at = 0;
    for (int k = 0; k < PAIRS; k++) {
        int a = at, b = at + 1;
        while (b < test->n - 1 && test->labels[b] == test->labels[a]) b++;
        for (int i = 0; i < 784; i++) {
            x[(2 * k) * 784 + i] = test->pixels[(size_t)a * 784 + i] / 255.0f;
            x[(2 * k + 1) * 784 + i] = test->pixels[(size_t)b * 784 + i] / 255.0f;
        }
        at = b + 1;
    }
    nn_vae_encode(v, mu, x, 2 * PAIRS);
    for (int k = 0; k < PAIRS; k++)
        for (int s = 0; s < STEPS; s++) {
            float w = (float)s / (STEPS - 1);
            for (int j = 0; j < c; j++)
                z[(k * STEPS + s) * c + j] = (1.0f - w) * mu[(2 * k) * c + j] +
                                             w * mu[(2 * k + 1) * c + j];
        }
    nn_vae_decode(v, img, z, PAIRS * STEPS);
    nn_grid_opts o = nn_grid_defaults(0.0f, 1.0f);
    o.rows = PAIRS;
    o.cols = STEPS;
    o.scale = 2;
    lesson_check(L, nn_image_write_grid(lesson_path(L, "latent_walk.png"), img, PAIRS * STEPS, 1,
                                        28, 28, &o, &err), &err);
    lesson_figure(L, "latent_walk.png", "each row: the codes of two test images joined by a "
                  "straight line, decoded at 10 points");
    nn_free(x);
    nn_free(mu);
    nn_free(z);
    nn_free(img);
}

/* The path of file in the lesson folder dir beside this lesson's. */
static void sibling(lesson *L, char *path, size_t cap, const char *dir, const char *file)
{
    snprintf(path, cap, "%s", L->out);
    char *slash = strrchr(path, '/');
    size_t at = slash ? (size_t)(slash - path + 1) : 0;
    snprintf(path + at, cap - at, "%s/%s", dir, file);
}

int famvae_dcgan_samples(lesson *L, float *img, int n, uint64_t seed)
{
    if (L->fast) return 0;
    char path[1024];
    sibling(L, path, sizeof path, "10_dcgan", "G.ckpt");
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    fclose(f);
    nn_error err;
    nn_dcgan_arch a = trainrun_lesson10_arch();
    nn_model *G = nn_dcgan_generator(&a, 100, &err);
    if (!G) lesson_check(L, err.code, &err);
    int ok = nn_model_load(G, path, &err) == NN_OK;
    if (!ok)  /* e.g. a lesson 10 run with other --g-channels: not this shape */
        lesson_print(L, "%s passed over: %s\n", path, err.msg);
    if (ok) {
        nn_rng r;
        nn_rng_seed(&r, seed, 8);
        float *z = lesson_alloc(L, (size_t)n * a.latent_dim, sizeof(float));
        for (size_t i = 0; i < (size_t)n * a.latent_dim; i++) z[i] = nn_rng_normal(&r);
        gan_sample_images(img, G, z, n);
        nn_free(z);
    }
    nn_model_free(G);
    return ok;
}

int famvae_sibling_key(lesson *L, const char *dir, const char *key, double *v)
{
    if (L->fast) return 0;
    char path[1024], line[512];
    sibling(L, path, sizeof path, dir, "summary.tsv");
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    int found = 0;
    size_t kl = strlen(key);
    while (!found && fgets(line, sizeof line, f))
        if (strncmp(line, key, kl) == 0 && line[kl] == '\t') {
            char *end;
            *v = strtod(line + kl + 1, &end);
            found = end != line + kl + 1;
        }
    fclose(f);
    return found;
}
