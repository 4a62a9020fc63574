/* famdiffimg.c - lesson 18's diffusion model on Fashion-MNIST (famdiffimg.h). */
#include "famdiffimg.h"

#include <math.h>

nn_ddpm_config famdiffimg_config(const nn_ddpm_config *schedule, int hidden, int batch)
{
    nn_ddpm_config c = *schedule;
    c.dim = 784;            /* one number per pixel: the 2-D model's maths, unchanged */
    c.hidden = hidden;
    c.max_batch = batch;
    c.scale = 1.0f;         /* pixels in [-1, 1] already have about the noise's spread */
    c.skip = 1;             /* 512 units cannot carry 784 pixels of noise through (ddpm.h) */
    return c;
}

void famdiffimg_train(lesson *L, famdiffimg_run *r, const nn_dataset *ds,
                      const nn_ddpm_config *cfg, int steps, uint64_t seed)
{
    nn_error err;
    r->steps = steps;
    r->diverged_at = -1;
    r->ddpm = nn_ddpm_create(cfg, seed, &err);
    if (!r->ddpm) lesson_check(L, err.code, &err);
    const int b = cfg->max_batch;
    nn_loader ld;
    lesson_check(L, nn_loader_init(&ld, ds, b, 1, 1, NN_RANGE_PM1, seed, &err), &err);
    float *x = lesson_alloc(L, (size_t)b * 784, sizeof(float));
    nn_rng rng;
    nn_rng_seed(&rng, seed, 3);
    double tail = 0.0;
    int n_tail = 0;
    lesson_progress p;
    lesson_progress_start(L, &p, "diffusion on images", steps);
    double t0 = lesson_seconds();
    for (int s = 0; s < steps; s++) {
        int n = nn_loader_next(&ld, x, NULL);
        if (n < b) n = nn_loader_next(&ld, x, NULL);      /* a new epoch began */
        r->ddpm->cfg.opt.lr = cfg->opt.lr * (1.0f - 0.98f * (float)s / (float)steps);
        /* The simple loss sums over a row's 784 numbers: per pixel below. */
        float loss = nn_ddpm_train_step(r->ddpm, x, n, &rng) / 784.0f;
        if (!isfinite(loss)) {
            r->diverged_at = s;
            break;
        }
        if (s >= steps - 200) {
            tail += loss;
            n_tail++;
        }
        lesson_progress_tick(&p, s + 1, "loss %.4f a pixel", (double)loss);
    }
    lesson_progress_done(&p);
    r->secs = lesson_seconds() - t0;
    r->last_loss = n_tail ? (float)(tail / n_tail) : NAN;
    nn_free(x);
    nn_loader_free(&ld);
}

void famdiffimg_sample_pm1(nn_ddpm *d, float *img, int n, uint64_t seed)
{
    nn_rng r;
    nn_rng_seed(&r, seed, 8);
    nn_ddpm_sample(d, img, n, &r);
    /* The chain ends near the data's range, a little outside it at the
     * background's -1: clipped as any image writer would. NaN stays NaN,
     * for the judge to see. */
    for (size_t i = 0; i < (size_t)n * 784; i++)
        img[i] = img[i] > 1.0f ? 1.0f : img[i] < -1.0f ? -1.0f : img[i];
}

int famdiffimg_unseen_real(float *img, const nn_dataset *test, int n)
{
    if (test->n < 2 * n) return 0;
    for (size_t i = 0; i < (size_t)n * 784; i++)
        img[i] = test->pixels[(size_t)n * 784 + i] / 127.5f - 1.0f;
    return 1;
}

void famdiffimg_noise(float *img, int n, uint64_t seed)
{
    nn_rng r;
    nn_rng_seed(&r, seed, 9);
    for (size_t i = 0; i < (size_t)n * 784; i++) {
        float v = nn_rng_normal(&r);
        img[i] = v > 1.0f ? 1.0f : v < -1.0f ? -1.0f : v;
    }
}
