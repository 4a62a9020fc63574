/* infogan.c - what lesson 12 reads off its InfoGAN runs (infogan.h). */
#include "infogan.h"

#include <math.h>
#include <string.h>

#include "mlpgan.h"

enum { K = STEERED_CLASSES };

void infogan_judge_run(lesson *L, const nn_gan *ig, nn_model *net, int per, uint64_t run_seed,
                       int *want, int *got, int *cm, float *purity, float *shuffled)
{
    int n = K * per;
    nn_free(steered_judge_per_class(L, ig, ig->G, net, per, 25, want, got));
    nn_confusion_matrix(cm, want, got, n, K, K);
    *purity = nn_purity(cm, K, K);
    nn_rng r;
    nn_rng_seed(&r, run_seed, 27);
    for (int i = n - 1; i > 0; i--) {
        int j = (int)nn_rng_below(&r, (uint32_t)(i + 1)), tmp = want[i];
        want[i] = want[j];
        want[j] = tmp;
    }
    int rcm[K * K];
    nn_confusion_matrix(rcm, want, got, n, K, K);
    *shuffled = nn_purity(rcm, K, K);
}

int infogan_code_classes(const int *cm, int *best, double *share)
{
    int classes_hit[K] = {0}, distinct = 0;
    for (int k = 0; k < K; k++) {
        int b = 0, tot = 0;
        for (int d = 0; d < K; d++) {
            tot += cm[k * K + d];
            if (cm[k * K + d] > cm[k * K + b]) b = d;
        }
        best[k] = b;
        share[k] = tot ? 100.0 * cm[k * K + b] / tot : 0.0;
        distinct += !classes_hit[b];
        classes_hit[b] = 1;
    }
    return distinct;
}

/* ig's images of the n code values labels (n) with the latent vectors z
 * (n, latent_dim) and continuous codes cont (n, n_cont) or 0: a new
 * (n, 784) block. */
static float *sample_codes(lesson *L, const nn_gan *ig, const float *z, const int *labels,
                           const float *cont, int n)
{
    int d = ig->arch.latent_dim;
    float *rows = lesson_alloc(L, (size_t)n * ig->G->in, sizeof(float));
    float *scr = lesson_alloc(L, (size_t)n * (d + ig->arch.n_cont), sizeof(float));
    float *img = lesson_alloc(L, (size_t)n * 784, sizeof(float));
    steered_rows(rows, ig, z, labels, cont, n, scr);
    gan_sample_images(img, ig->G, rows, n);
    nn_free(rows);
    nn_free(scr);
    return img;
}

float *infogan_code_grid(lesson *L, const nn_gan *ig, const float *z)
{
    int d = ig->arch.latent_dim;
    float *zz = lesson_alloc(L, (size_t)K * K * d, sizeof(float));
    int lab[K * K];
    for (int i = 0; i < K * K; i++) {
        lab[i] = i / K;
        memcpy(zz + (size_t)i * d, z + (size_t)(i % K) * d, d * sizeof(float));
    }
    float *img = sample_codes(L, ig, zz, lab, NULL, K * K);
    nn_free(zz);
    return img;
}

float *infogan_cont_sweep(lesson *L, const nn_gan *ig, const float *z, int steps, float from,
                          float to)
{
    int d = ig->arch.latent_dim, m = ig->arch.n_cont, n = K * steps;
    float *zz = lesson_alloc(L, (size_t)n * d, sizeof(float));
    float *cont = lesson_alloc(L, (size_t)n * m, sizeof(float));
    int *lab = lesson_alloc(L, (size_t)n, sizeof(int));
    for (int k = 0; k < K; k++)
        for (int i = 0; i < steps; i++) {
            int j = k * steps + i;
            lab[j] = k;
            cont[j * m] = from + (to - from) * (float)i / (steps - 1);
            for (int c = 1; c < m; c++) cont[j * m + c] = 0.0f;
            memcpy(zz + (size_t)j * d, z, d * sizeof(float));
        }
    float *img = sample_codes(L, ig, zz, lab, cont, n);
    nn_free(zz);
    nn_free(cont);
    nn_free(lab);
    return img;
}

double infogan_ink_change(const float *img, int rows, int cols)
{
    double first = 0.0, last = 0.0;
    for (int k = 0; k < rows; k++)
        for (int p = 0; p < 784; p++) {
            first += img[(size_t)(k * cols) * 784 + p];
            last += img[(size_t)(k * cols + cols - 1) * 784 + p];
        }
    return (last - first) / (rows * 784.0);
}

void infogan_purity_over_seeds(const float *purity, const float *shuffled, int n, double *mean,
                               double *sd, double *shuffled_mean)
{
    double mu = 0.0, var = 0.0, shuf = 0.0;
    for (int s = 0; s < n; s++) mu += purity[s];
    mu /= n;
    for (int s = 0; s < n; s++) var += (purity[s] - mu) * (purity[s] - mu);
    *mean = mu;
    *sd = n > 1 ? sqrt(var / (n - 1)) : 0.0;
    for (int s = 0; s < n; s++) shuf += shuffled[s];
    *shuffled_mean = shuf / n;
}

infogan_reading infogan_read_code(double purity, double shuffled, double distinct, int k)
{
    double gain = purity - shuffled;
    if (gain < 0.1) return INFOGAN_CODE_NOTHING;
    return gain >= 0.3 && distinct >= 0.7 * k ? INFOGAN_CODE_CLASSES : INFOGAN_CODE_PARTLY;
}
