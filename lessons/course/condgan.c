/* condgan.c - how well a conditional GAN obeys (condgan.h). */
#include "condgan.h"

enum { K = STEERED_CLASSES };

int condgan_judge_test_set(lesson *L, nn_model *net, const nn_dataset *test, int *cm)
{
    int *jw = lesson_alloc(L, (size_t)test->n, sizeof(int));
    int *jg = lesson_alloc(L, (size_t)test->n, sizeof(int));
    float *tx = lesson_alloc(L, (size_t)test->n * 784, sizeof(float));
    for (int i = 0; i < test->n; i++) jw[i] = i;
    nn_dataset_gather(tx, test, jw, test->n, NN_RANGE_PM1);
    for (int i = 0; i < test->n; i++) jw[i] = test->labels[i];
    classifier_predict(net, tx, test->n, jg);
    nn_free(tx);
    nn_confusion_matrix(cm, jw, jg, test->n, K, K);
    int right = 0;
    for (int c = 0; c < K; c++) right += cm[c * K + c];
    nn_free(jw);
    nn_free(jg);
    return right;
}

condgan_obedience condgan_read_confusion(const int *cm, const int *judge_cm, int per_class)
{
    int ok = 0, worst = 0, top_r = 0, top_c = 1;
    float acc[K];
    for (int c = 0; c < K; c++) {
        ok += cm[c * K + c];
        acc[c] = (float)cm[c * K + c] / (float)per_class;
        if (acc[c] < acc[worst]) worst = c;
        for (int d = 0; d < K; d++)
            if (d != c && cm[c * K + d] > cm[top_r * K + top_c]) top_r = c, top_c = d;
    }
    int jrow = 0;
    for (int d = 0; d < K; d++) jrow += judge_cm[top_r * K + d];
    return (condgan_obedience){
        .ok = ok, .worst = worst, .worst_acc = acc[worst], .top_r = top_r, .top_c = top_c,
        .judge_same = jrow ? 100.0 * judge_cm[top_r * K + top_c] / jrow : 0.0};
}

void condgan_judge_own_weights(lesson *L, const nn_gan *cg, nn_model *net, int per_class,
                               uint64_t stream, int *want, int *ok, int *min_ok)
{
    int n = K * per_class;
    int *got = lesson_alloc(L, (size_t)n, sizeof(int));
    float *img = steered_judge_per_class(L, cg, cg->G, net, per_class, stream, want, got);
    int cm[K * K];
    nn_confusion_matrix(cm, want, got, n, K, K);
    *ok = 0;
    *min_ok = per_class;
    for (int c = 0; c < K; c++) {
        *ok += cm[c * K + c];
        *min_ok = cm[c * K + c] < *min_ok ? cm[c * K + c] : *min_ok;
    }
    nn_free(img);
    nn_free(got);
}

condgan_blame condgan_who_confuses(double judge_pct, double g_pct)
{
    return judge_pct >= 0.5 * g_pct ? CONDGAN_JUDGE_COMPARABLE : CONDGAN_MOSTLY_G;
}
