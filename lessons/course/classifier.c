/* classifier.c - the Fashion-MNIST labeller of lesson 09 (see classifier.h). */
#include "classifier.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

nn_model *classifier_create(int max_batch, nn_error *err)
{
    const nn_layer_spec spec[] = {
        {.kind = NN_LAYER_LINEAR, .out = 256},
        {.kind = NN_LAYER_RELU},
        {.kind = NN_LAYER_LINEAR, .out = CLASSIFIER_CLASSES},
    };
    return nn_model_create(784, spec, 3, max_batch, err);
}

float classifier_xent(float *dlogits, const float *logits, const int *labels, int n, int k)
{
    double total = 0.0;
    for (int i = 0; i < n; i++) {
        const float *s = logits + (size_t)i * k;
        /* log-sum-exp with the largest logit taken out: exp never overflows. */
        float mx = s[0];
        for (int j = 1; j < k; j++) mx = fmaxf(mx, s[j]);
        double sum = 0.0;
        for (int j = 0; j < k; j++) sum += exp((double)(s[j] - mx));
        double lse = (double)mx + log(sum);
        total += lse - (double)s[labels[i]];
        if (dlogits) {
            float *d = dlogits + (size_t)i * k;
            for (int j = 0; j < k; j++)
                d[j] = (float)(exp((double)s[j] - lse) - (j == labels[i] ? 1.0 : 0.0)) /
                       (float)n;
        }
    }
    return (float)(total / n);
}

nn_status classifier_train(nn_model *net, const nn_dataset *ds, int epochs, int batch, float lr,
                           uint64_t seed, float *loss, nn_error *err)
{
    if (epochs < 1 || batch < 1 || batch > net->max_batch || !(lr > 0.0f))
        return nn_fail(err, NN_ERR_ARG,
                       "classifier: epochs %d and batch %d (at most %d) must be >= 1, lr %g > 0",
                       epochs, batch, net->max_batch, (double)lr);
    nn_loader ld;
    nn_status st = nn_loader_init(&ld, ds, batch, 1, 1, NN_RANGE_PM1, seed, err);
    if (st != NN_OK) return st;
    float *x = nn_alloc((size_t)batch * 784, sizeof(float));
    float *dy = nn_alloc((size_t)batch * CLASSIFIER_CLASSES, sizeof(float));
    int *y = nn_alloc((size_t)batch, sizeof(int));
    if (!x || !dy || !y) {
        nn_free(x); nn_free(dy); nn_free(y);
        nn_loader_free(&ld);
        return nn_fail(err, NN_ERR_NOMEM, "classifier: no memory for a batch of %d", batch);
    }
    nn_rng r;
    nn_rng_seed(&r, seed, 11);
    nn_model_init(net, &r, NN_INIT_TORCH);
    nn_adam opt = {.lr = lr, .beta1 = 0.9f, .beta2 = 0.999f, .eps = 1e-8f};
    double sum = 0.0;
    long count = 0;
    for (int e = 0; e < epochs; e++) {
        sum = 0.0;
        count = 0;
        int n;
        while ((n = nn_loader_next(&ld, x, y)) > 0) {
            const float *s = nn_model_forward(net, x, n, 1);
            sum += classifier_xent(dy, s, y, n, CLASSIFIER_CLASSES);
            count++;
            nn_model_zero_grad(net);
            nn_model_backward(net, NULL, dy, n, 1);
            nn_model_adam_step(net, &opt);
        }
    }
    if (loss) *loss = count ? (float)(sum / count) : 0.0f;
    nn_free(x); nn_free(dy); nn_free(y);
    nn_loader_free(&ld);
    return NN_OK;
}

void classifier_predict(nn_model *net, const float *x, int n, int *labels)
{
    for (int i = 0; i < n; i += net->max_batch) {
        int k = n - i < net->max_batch ? n - i : net->max_batch;
        const float *s = nn_model_forward(net, x + (size_t)i * 784, k, 0);
        nn_argmax_rows(labels + i, s, k, CLASSIFIER_CLASSES);
    }
}

float classifier_accuracy(nn_model *net, const nn_dataset *ds)
{
    int b = net->max_batch, right = 0;
    float *x = nn_alloc((size_t)b * 784, sizeof(float));
    int *idx = nn_alloc((size_t)b, sizeof(int)), *pred = nn_alloc((size_t)b, sizeof(int));
    if (!x || !idx || !pred) {
        nn_free(x); nn_free(idx); nn_free(pred);
        return 0.0f;
    }
    for (int i = 0; i < ds->n; i += b) {
        int k = ds->n - i < b ? ds->n - i : b;
        for (int j = 0; j < k; j++) idx[j] = i + j;
        nn_dataset_gather(x, ds, idx, k, NN_RANGE_PM1);
        classifier_predict(net, x, k, pred);
        for (int j = 0; j < k; j++) right += pred[j] == ds->labels[i + j];
    }
    nn_free(x); nn_free(idx); nn_free(pred);
    return (float)right / (float)ds->n;
}

void classifier_for_lesson(lesson *L, nn_model *net, const nn_dataset *train_set)
{
    nn_error err;
    char dir09[600];
    snprintf(dir09, sizeof dir09, "%s", L->out);
    char *slash = strrchr(dir09, '/');
    snprintf(slash ? slash + 1 : dir09, sizeof dir09 - (size_t)(slash ? slash + 1 - dir09 : 0),
             "09_mode_collapse/classifier.ckpt");
    const char *own = lesson_path(L, L->fast ? "classifier_fast.ckpt" : "classifier.ckpt");
    if (!L->fast && access(dir09, F_OK) == 0) {
        lesson_check(L, nn_model_load(net, dir09, &err), &err);
        lesson_print(L, "classifier loaded from %s (lesson 09)\n", dir09);
        return;
    }
    if (access(own, F_OK) == 0) {
        lesson_check(L, nn_model_load(net, own, &err), &err);
        lesson_print(L, "classifier loaded from %s\n", own);
        return;
    }
    char path[600];
    snprintf(path, sizeof path, "%s", own);
    int ep = L->fast ? 1 : 3;
    float loss;
    double t0 = lesson_seconds();
    lesson_check(L, classifier_train(net, train_set, ep, 128, 1e-3f, L->seed, &loss, &err), &err);
    lesson_check(L, nn_model_save(net, path, &err), &err);
    lesson_print(L, "classifier trained here (%d epochs, %.1f s, last loss %.3f), saved to %s\n",
                 ep, lesson_seconds() - t0, (double)loss, path);
}
