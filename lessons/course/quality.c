/* quality.c - the lesson classifier as a judge and as a target (quality.h). */
#include "quality.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void quality_get_classifier(lesson *L, nn_model *net, const nn_dataset *train_set,
                            const nn_dataset *fast_set)
{
    nn_error err;
    /* The folders beside the lesson's own: plots/09_mode_collapse, plots/10_dcgan. */
    static const char *const earlier[2] = {"09_mode_collapse", "10_dcgan"};
    char paths[3][700];
    const char *own = L->fast ? "classifier_fast.ckpt" : "classifier.ckpt";
    for (int i = 0; i < 2; i++) {
        snprintf(paths[i], sizeof paths[i], "%s", L->out);
        char *slash = strrchr(paths[i], '/');
        size_t at = slash ? (size_t)(slash + 1 - paths[i]) : 0;
        snprintf(paths[i] + at, sizeof paths[i] - at, "%s/classifier.ckpt", earlier[i]);
    }
    snprintf(paths[2], sizeof paths[2], "%s", lesson_path(L, own));
    /* A --fast run never reads another lesson's classifier: the smoke test
     * has to run the same way wherever it runs. */
    for (int i = L->fast ? 2 : 0; i < 3; i++) {
        if (access(paths[i], F_OK) != 0) continue;
        if (nn_model_load(net, paths[i], &err) == NN_OK) {
            lesson_print(L, "classifier loaded from %s\n", paths[i]);
            return;
        }
        if (err.code != NN_ERR_SHAPE) lesson_check(L, err.code, &err);
        lesson_print(L, "%s holds a classifier of another shape (an older course's): passed "
                     "over\n", paths[i]);
    }
    int ep = L->fast ? 1 : 3;
    float loss;
    double t0 = lesson_seconds();
    lesson_check(L, classifier_train(net, L->fast ? fast_set : train_set, ep, 128, 1e-3f,
                                     L->seed, &loss, &err), &err);
    lesson_check(L, nn_model_save(net, paths[2], &err), &err);
    lesson_print(L, "classifier trained here (%d epoch%s, %.1f s, last loss %.3f), saved to %s\n",
                 ep, ep > 1 ? "s" : "", lesson_seconds() - t0, (double)loss, paths[2]);
}

void quality_nearest(int *idx, float *dist, const float *x, int n, const float *ref, int nref,
                     int dim)
{
    for (int i = 0; i < n; i++) {
        const float *a = x + (size_t)i * dim;
        double best = DBL_MAX;
        int arg = 0;
        for (int r = 0; r < nref; r++) {
            const float *b = ref + (size_t)r * dim;
            double s = 0.0;
            for (int j = 0; j < dim && s < best; j++) {
                double d = (double)a[j] - b[j];
                s += d * d;
            }
            if (s < best) {
                best = s;
                arg = r;
            }
        }
        if (idx) idx[i] = arg;
        dist[i] = (float)sqrt(best);
    }
}

void quality_fgsm(nn_model *net, float *x_adv, const float *x, const int *labels, int n,
                  float eps)
{
    int b = net->max_batch;
    float *dlogits = nn_alloc((size_t)b * CLASSIFIER_CLASSES, sizeof(float));
    float *dx = nn_alloc((size_t)b * 784, sizeof(float));
    if (!dlogits || !dx) {
        /* No memory for the gradient: no attack, the images stay as they are. */
        memmove(x_adv, x, (size_t)n * 784 * sizeof(float));
        nn_free(dlogits);
        nn_free(dx);
        return;
    }
    for (int i = 0; i < n; i += b) {
        int k = n - i < b ? n - i : b;
        const float *xi = x + (size_t)i * 784;
        /* The loss's gradient with respect to the pixels: the same backward
         * pass as training, frozen (no weight gradients), into dx. */
        const float *s = nn_model_forward(net, xi, k, 0);
        classifier_xent(dlogits, s, labels + i, k, CLASSIFIER_CLASSES);
        memset(dx, 0, (size_t)k * 784 * sizeof(float));
        nn_model_backward(net, dx, dlogits, k, 0);
        /* Pixels live in [-1, 1]: eps of the [0, 1] range is 2 eps here. */
        nn_fgsm_step(x_adv + (size_t)i * 784, xi, dx, k * 784, 2.0f * eps, -1.0f, 1.0f);
    }
    nn_free(dlogits);
    nn_free(dx);
}
