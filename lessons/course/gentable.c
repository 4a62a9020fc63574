/* gentable.c - lesson 14's table of the course's generators (gentable.h). */
#include "gentable.h"
#include "trainrun.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "autoenc.h"
#include "mlpgan.h"

#define AE_CODE 32          /* lesson 13's default --code */
#define AE_FIT 10000        /* training images lesson 13's codes are fitted to, at most */

void gentable_mark(lesson *L, gentable_row *m, const char *name, nn_model *net, const float *img,
                   int n, const float *real_feat, float *feat, int *labels, int k)
{
    nn_error err;
    snprintf(m->name, sizeof m->name, "%s", name);
    classifier_features(net, img, n, feat);
    lesson_check(L, nn_frechet_distance(&m->fd, real_feat, n, feat, n, CLASSIFIER_FEATURES,
                                        &err), &err);
    lesson_check(L, nn_precision_recall(&m->precision, &m->recall, real_feat, n, feat, n,
                                        CLASSIFIER_FEATURES, k, &err), &err);
    int counts[CLASSIFIER_CLASSES];
    classifier_predict(net, img, n, labels);
    nn_class_histogram(counts, labels, n, CLASSIFIER_CLASSES);
    m->classes = 0;
    for (int c = 0; c < CLASSIFIER_CLASSES; c++) m->classes += counts[c] * 50 >= n;
}

/* The row of the samples already in j->img. */
static void mark_samples(lesson *L, gentable_row *row, const char *name, const gentable_judge *j)
{
    gentable_mark(L, row, name, j->net, j->img, j->n, j->real_feat, j->feat, j->labels, j->k);
}

/* path of another lesson's folder beside this one: plots/NN_name/file. */
static void beside(lesson *L, char *out, size_t cap, const char *folder, const char *file)
{
    snprintf(out, cap, "%s", L->out);
    char *slash = strrchr(out, '/');
    size_t at = slash ? (size_t)(slash + 1 - out) : 0;
    snprintf(out + at, cap - at, "%s%s%s", folder, file ? "/" : "", file ? file : "");
}

/* Lesson 13's autoencoder, decoding random codes, when it has run. */
static int add_autoencoder(lesson *L, gentable_row *row, const gentable_judge *j)
{
    nn_error err = {NN_OK, ""};
    char dir13[700];
    beside(L, dir13, sizeof dir13, "13_autoencoder", NULL);
    autoenc ae;
    char probe[760];
    snprintf(probe, sizeof probe, "%s/dec.ckpt", dir13);
    const char *why = L->fast ? "not read by a --fast run"
                      : access(probe, F_OK) != 0 ? "no checkpoint in its folder (run lesson 13)"
                                                 : NULL;
    memset(&ae, 0, sizeof ae);
    if (!why && !autoenc_create(&ae, AE_CODE, 256, L->seed, &err)) lesson_check(L, err.code, &err);
    /* A damaged checkpoint fails the lesson; one of another --code is passed over. */
    if (!why && autoenc_load(&ae, dir13, &err) != NN_OK) {
        if (err.code != NN_ERR_SHAPE) lesson_check(L, err.code, &err);
        why = "its checkpoint has another --code than the default 32: passed over";
    }
    if (!why) {
        const nn_dataset *ds = j->train;
        int nf = AE_FIT < ds->n ? AE_FIT : ds->n;
        float *fit = lesson_alloc(L, (size_t)nf * 784, sizeof(float)),
              *codes = lesson_alloc(L, (size_t)nf * AE_CODE, sizeof(float));
        int *idx = lesson_alloc(L, (size_t)nf, sizeof(int));
        for (int i = 0; i < nf; i++) idx[i] = i;
        nn_dataset_gather(fit, ds, idx, nf, NN_RANGE_PM1);
        autoenc_encode(&ae, fit, nf, codes);
        nn_rng r;
        nn_rng_seed(&r, L->seed, 3);
        autoenc_random_codes(j->z, j->n, codes, nf, AE_CODE, &r);
        autoenc_decode(&ae, j->z, j->n, j->img);
        mark_samples(L, row, "13 autoencoder", j);
        nn_free(fit);
        nn_free(codes);
        nn_free(idx);
    } else {
        lesson_print(L, "lesson 13's autoencoder: %s\n", why);
    }
    autoenc_free(&ae);
    return !why;
}

/* Lesson 10's DCGAN, when it has run with its default widths. */
static int add_dcgan(lesson *L, gentable_row *row, const gentable_judge *j)
{
    nn_error err = {NN_OK, ""};
    char ck10[700];
    beside(L, ck10, sizeof ck10, "10_dcgan", "G.ckpt");
    nn_dcgan_arch a = trainrun_lesson10_arch();
    const char *why = L->fast ? "not read by a --fast run"
                      : access(ck10, F_OK) != 0 ? "no checkpoint in its folder (run lesson 10)"
                                                : NULL;
    nn_model *G10 = NULL;
    if (!why &&
        (a.latent_dim > GENTABLE_MAX_LATENT || !(G10 = nn_dcgan_generator(&a, 256, &err))))
        lesson_fail(L, LESSON_EXIT_INTERNAL, "the DCGAN's generator: %s", err.msg);
    if (!why && nn_model_load(G10, ck10, &err) != NN_OK) {
        if (err.code != NN_ERR_SHAPE) lesson_check(L, err.code, &err);
        why = "its checkpoint has other widths than the default: passed over";
    }
    if (!why) {
        nn_rng r;
        nn_rng_seed(&r, L->seed, 4);
        nn_sample_latent(j->z, j->n, a.latent_dim, &r);
        gan_sample_images(j->img, G10, j->z, j->n);
        mark_samples(L, row, "10 DCGAN", j);
    } else {
        lesson_print(L, "lesson 10's DCGAN: %s\n", why);
    }
    nn_model_free(G10);
    return !why;
}

/* Lesson 11's WGAN-GP (k 0: lesson 06's default G, trained as a critic's
 * generator) or lesson 12's conditional G (k 1: asked for each class in
 * turn), when it has run. */
static int add_mlp(lesson *L, gentable_row *row, const gentable_judge *j, int k)
{
    nn_error err = {NN_OK, ""};
    int n = j->n;
    float *z = j->z;
    char ck[700];
    beside(L, ck, sizeof ck, k == 0 ? "11_wasserstein" : "12_steering",
           k == 0 ? "wgan_gp_G.ckpt" : "cgan_G.ckpt");
    nn_gan_arch ga = mlpgan_arch_default();
    if (k == 1) {
        ga.steer = NN_GAN_CONDITIONAL;
        ga.n_classes = CLASSIFIER_CLASSES;
    }
    const char *why = L->fast ? "not read by a --fast run"
                      : access(ck, F_OK) != 0 ? "no checkpoint in its folder" : NULL;
    nn_gan_config gc = nn_gan_config_default();
    nn_gan *t = why ? NULL : nn_gan_create(&ga, &gc, NN_INIT_NORMAL_002, L->seed, &err);
    if (!why && !t) lesson_check(L, err.code, &err);
    if (!why && nn_model_load(t->G, ck, &err) != NN_OK) {
        if (err.code != NN_ERR_SHAPE) lesson_check(L, err.code, &err);
        why = "its checkpoint is of another architecture: passed over";
    }
    if (!why) {
        int zdim = ga.latent_dim, gin = nn_gan_g_in(&ga);
        if (gin > GENTABLE_MAX_LATENT)
            lesson_fail(L, LESSON_EXIT_INTERNAL, "G's input %d > %d", gin, GENTABLE_MAX_LATENT);
        nn_rng r;
        nn_rng_seed(&r, L->seed, 5 + (uint64_t)k);
        nn_sample_latent(z, n, zdim, &r);
        if (k == 1) {
            /* [z, one-hot(y)] rows (exercise 19), each class in turn. */
            int *y = lesson_alloc(L, (size_t)n, sizeof(int));
            float *rows_in = lesson_alloc(L, (size_t)n * gin, sizeof(float));
            for (int i = 0; i < n; i++) y[i] = i % CLASSIFIER_CLASSES;
            nn_gan_condition(rows_in, z, y, n, zdim, CLASSIFIER_CLASSES);
            memcpy(z, rows_in, (size_t)n * gin * sizeof(float));
            nn_free(rows_in);
            nn_free(y);
        }
        gan_sample_images(j->img, t->G, z, n);
        mark_samples(L, row, k == 0 ? "11 WGAN-GP" : "12 conditional (every class)", j);
    } else {
        lesson_print(L, "lesson %s: %s\n", k == 0 ? "11's WGAN-GP" : "12's conditional G", why);
    }
    nn_gan_free(t);
    return !why;
}

int gentable_add_saved(lesson *L, gentable_row *rows, const gentable_judge *j)
{
    int added = add_autoencoder(L, &rows[0], j);
    added += add_dcgan(L, &rows[added], j);
    for (int k = 0; k < 2; k++) added += add_mlp(L, &rows[added], j, k);
    return added;
}

void gentable_print(lesson *L, const gentable_row *rows, int nrows)
{
    FILE *f = lesson_capture_begin(L);
    fprintf(f, "%-30s %9s %9s %7s %7s\n", "generator", "Frechet", "precision", "recall",
            "classes");
    for (int i = 0; i < nrows; i++)
        fprintf(f, "%-30s %9.2f %9.3f %7.3f %7d\n", rows[i].name, rows[i].fd,
                (double)rows[i].precision, (double)rows[i].recall, rows[i].classes);
    lesson_capture_end(L);
    FILE *tsv = fopen(lesson_path(L, "generators.tsv"), "w");
    if (!tsv) lesson_fail(L, LESSON_EXIT_INTERNAL, "cannot write generators.tsv");
    fprintf(tsv, "generator\tfrechet\tprecision\trecall\tclasses\n");
    for (int i = 0; i < nrows; i++)
        fprintf(tsv, "%s\t%.4f\t%.4f\t%.4f\t%d\n", rows[i].name, rows[i].fd,
                (double)rows[i].precision, (double)rows[i].recall, rows[i].classes);
    fclose(tsv);
}
