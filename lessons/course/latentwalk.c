/* latentwalk.c - a walk through a generator's latent space (latentwalk.h). */
#include "latentwalk.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trainrun.h"

static double norm(const float *x, int n)
{
    double s = 0.0;
    for (int i = 0; i < n; i++) s += (double)x[i] * x[i];
    return sqrt(s);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Lesson 10's own default run: 5 epochs of 1,875 steps (batch 32). A
 * shorter run of it is not walked: lesson 06's MLP, trained in full, is. */
#define DCGAN_DEFAULT_STEPS (5 * 1875)

nn_model *latentwalk_generator(lesson *L, const nn_dataset *ds, const char *mlp_ckpt,
                               int mlp_steps, nn_gan **owner)
{
    char dir10[512];
    snprintf(dir10, sizeof dir10, "%s", L->out);
    char *slash = strrchr(dir10, '/');
    snprintf(slash ? slash + 1 : dir10, sizeof dir10 - (size_t)(slash ? slash + 1 - dir10 : 0),
             "10_dcgan");
    *owner = NULL;
    long steps10 = mlp_ckpt || L->fast ? 0 : trainrun_lesson06_steps(dir10, "dcgan-both-relu");
    if (steps10 >= DCGAN_DEFAULT_STEPS) {
        nn_error err = {NN_OK, ""};
        nn_dcgan_arch a = trainrun_lesson10_arch();
        nn_model *G = nn_dcgan_generator(&a, 64, &err);
        if (!G) lesson_check(L, err.code, &err);
        char path[560];
        snprintf(path, sizeof path, "%s/G.ckpt", dir10);
        lesson_check(L, nn_model_load(G, path, &err), &err);
        lesson_print(L, "lesson 10's DCGAN: G loaded from %s (lesson 10 trained it %ld steps)\n",
                     path, steps10);
        return G;
    }
    *owner = trainrun_mlp_from_lesson06(L, "default", mlp_ckpt, mlp_steps, ds);
    return (*owner)->G;
}

double *latentwalk_prior_norms(lesson *L, int dim, int draws, uint64_t stream)
{
    double *norms = lesson_alloc(L, (size_t)draws, sizeof(double));
    float *zz = lesson_alloc(L, (size_t)draws * dim, sizeof(float));
    nn_rng r;
    nn_rng_seed(&r, L->seed, stream);
    nn_sample_latent(zz, draws, dim, &r);
    for (int i = 0; i < draws; i++) norms[i] = norm(zz + (size_t)i * dim, dim);
    nn_free(zz);
    qsort(norms, (size_t)draws, sizeof *norms, cmp_double);
    return norms;
}

latentwalk_sag latentwalk_path_norms(lesson *L, const float *paths, int dim, int pairs, int n,
                                     double p01, double p99)
{
    float *tt = lesson_alloc(L, (size_t)n, sizeof(float));
    float *lo = lesson_alloc(L, (size_t)n, sizeof(float));
    float *hi = lesson_alloc(L, (size_t)n, sizeof(float));
    float *nl = lesson_alloc(L, (size_t)pairs * n, sizeof(float));   /* (pairs, n) */
    float *ns = lesson_alloc(L, (size_t)pairs * n, sizeof(float));
    latentwalk_sag sag = {1e30, 1e30};
    for (int i = 0; i < n; i++) {
        tt[i] = (float)i / (n - 1);
        lo[i] = (float)p01;
        hi[i] = (float)p99;
    }
    for (int p = 0; p < pairs; p++)
        for (int i = 0; i < n; i++) {
            const float *lin = paths + ((size_t)(2 * p) * n + i) * dim;
            const float *sph = paths + ((size_t)(2 * p + 1) * n + i) * dim;
            nl[p * n + i] = (float)norm(lin, dim);
            ns[p * n + i] = (float)norm(sph, dim);
            sag.min_sph = fmin(sag.min_sph, ns[p * n + i]);
            /* The middle of the path: the two central points. */
            if (i == n / 2 || i == (n - 1) / 2) sag.mid_lin = fmin(sag.mid_lin, nl[p * n + i]);
        }
    nn_error err = {NN_OK, ""};
    const float *ys[4] = {nl, ns, lo, hi};
    const char *const nm[4] = {"straight (pair 1)", "spherical (pair 1)",
                               "1st percentile of |z|", "99th percentile of |z|"};
    nn_plot p = {.dir = L->out, .name = "path_norms", .title = "|z| along the paths",
                 .xlabel = "t", .ylabel = "|z|", .term = lesson_capture_begin(L)};
    nn_status s = nn_plot_lines(&p, tt, ys, nm, 4, n, &err);
    lesson_capture_end(L);
    lesson_plot_shown(L, &p, s, &err, "the length of z along a straight and a spherical path");
    nn_free(tt);
    nn_free(lo);
    nn_free(hi);
    nn_free(nl);
    nn_free(ns);
    return sag;
}
