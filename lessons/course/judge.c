/* judge.c - the lesson classifier as a judge of generators (judge.h). */
#include "judge.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

#include "mlpgan.h"

/* Where a classifier may already be: lesson 09's (not under --fast) in
 * dir09, this lesson's own from an earlier run; a path that is not there
 * is NULL. own points into lesson_path's buffer. */
static void classifier_paths(lesson *L, char *dir09, size_t size, const char *paths[2])
{
    snprintf(dir09, size, "%s", L->out);
    char *slash = strrchr(dir09, '/');
    snprintf(slash ? slash + 1 : dir09, size - (size_t)(slash ? slash + 1 - dir09 : 0),
             "09_mode_collapse/classifier.ckpt");
    const char *own = lesson_path(L, L->fast ? "classifier_fast.ckpt" : "classifier.ckpt");
    paths[0] = !L->fast && access(dir09, F_OK) == 0 ? dir09 : NULL;
    paths[1] = access(own, F_OK) == 0 ? own : NULL;
}

void judge_check_data(lesson *L, int n_images)
{
    char dir09[600];
    const char *paths[2];
    classifier_paths(L, dir09, sizeof dir09, paths);
    if (!paths[0] && !paths[1] && n_images < JUDGE_CLASSIFIER_BATCH)
        lesson_fail(L, LESSON_EXIT_INPUT, "--data: %d images to train the lesson classifier "
                    "on; it trains in batches of %d", n_images, JUDGE_CLASSIFIER_BATCH);
}

void judge_get_classifier(lesson *L, nn_model *net, const nn_dataset *train_set)
{
    nn_error err;
    char dir09[600];
    const char *paths[2];
    /* A checkpoint that is there but does not load is reported, not
     * silently trained over, unless it holds a network of another shape
     * (an older course's classifier): that one is passed over, and said so. */
    classifier_paths(L, dir09, sizeof dir09, paths);
    const char *own = lesson_path(L, L->fast ? "classifier_fast.ckpt" : "classifier.ckpt");
    for (int i = 0; i < 2; i++) {
        if (!paths[i]) continue;
        if (nn_model_load(net, paths[i], &err) == NN_OK) {
            lesson_print(L, "classifier loaded from %s%s\n", paths[i],
                         i == 0 ? " (lesson 09)" : "");
            return;
        }
        if (err.code != NN_ERR_SHAPE) lesson_check(L, err.code, &err);
        lesson_print(L, "%s holds a classifier of another shape (an older course's): passed "
                     "over%s\n", paths[i], i == 0 ? "; rerun lesson 09 to replace it" : "");
    }
    int ep = L->fast ? 1 : 3;
    float loss;
    double t0 = lesson_seconds();
    lesson_check(L, classifier_train(net, train_set, ep, JUDGE_CLASSIFIER_BATCH, 1e-3f, L->seed, &loss, &err), &err);
    lesson_check(L, nn_model_save(net, own, &err), &err);
    lesson_print(L, "classifier trained here (%d epochs, %.1f s, last loss %.3f), saved to %s\n",
                 ep, lesson_seconds() - t0, (double)loss, own);
}

judge *judge_create(lesson *L, nn_model *net, const nn_dataset *test, int n)
{
    judge *j = nn_alloc(1, sizeof *j);
    if (!j) lesson_fail(L, LESSON_EXIT_INTERNAL, "out of memory for the judge");
    if (n > test->n) n = test->n;
    j->net = net;
    j->n = n;
    j->dim = CLASSIFIER_FEATURES;
    j->real_feat = nn_alloc((size_t)n * (size_t)j->dim, sizeof(float));
    j->feat = nn_alloc((size_t)n * (size_t)j->dim, sizeof(float));
    j->img = nn_alloc((size_t)n * 784, sizeof(float));
    j->labels = nn_alloc((size_t)n, sizeof(int));
    int *idx = nn_alloc((size_t)n, sizeof(int));
    if (!j->real_feat || !j->feat || !j->img || !j->labels || !idx)
        lesson_fail(L, LESSON_EXIT_INTERNAL, "out of memory for %d judged images", n);
    for (int i = 0; i < n; i++) idx[i] = i; /* the first test images */
    nn_dataset_gather(j->img, test, idx, n, NN_RANGE_PM1);
    classifier_features(net, j->img, n, j->real_feat);
    nn_free(idx);
    nn_error err = {NN_OK, ""};
    lesson_check(L, nn_frechet_ref_init(&j->ref, j->real_feat, n, j->dim, &err), &err);
    return j;
}

void judge_free(judge *j)
{
    if (!j) return;
    nn_frechet_ref_free(&j->ref);
    nn_free(j->real_feat);
    nn_free(j->feat);
    nn_free(j->img);
    nn_free(j->labels);
    nn_free(j);
}

double judge_generator(lesson *L, judge *j, nn_model *G, const float *z, int *classes)
{
    gan_sample_images(j->img, G, z, j->n);
    for (size_t i = 0; i < (size_t)j->n * 784; i++)
        if (!isfinite(j->img[i])) {
            if (classes) *classes = 0;
            return NAN;
        }
    classifier_features(j->net, j->img, j->n, j->feat);
    double fd;
    nn_error err = {NN_OK, ""};
    lesson_check(L, nn_frechet_distance_to(&fd, &j->ref, j->feat, j->n, &err), &err);
    if (classes) {
        int counts[CLASSIFIER_CLASSES], present = 0;
        classifier_predict(j->net, j->img, j->n, j->labels);
        nn_class_histogram(counts, j->labels, j->n, CLASSIFIER_CLASSES);
        for (int c = 0; c < CLASSIFIER_CLASSES; c++)
            present += counts[c] * JUDGE_CLASS_SHARE >= j->n;
        *classes = present;
    }
    return fd;
}
