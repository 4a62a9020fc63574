/* copies.c - whether a generator copies its training set (copies.h). */
#include "copies.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void copies_nearest(lesson *L, const float *q, int nq, const nn_dataset *ds, int *near,
                    double *dist)
{
    /* |q - x|^2 = |q|^2 + |x|^2 - 2 q.x, the products by one matrix product
     * per chunk of training images (a brute force of 60,000 images by
     * hundreds of queries in seconds); the winner's distance is computed
     * again exactly, since the float sum cancels for a near copy. */
    enum { CHUNK = 1000 };
    float *x = lesson_alloc(L, (size_t)CHUNK * 784, sizeof(float));
    float *dot = lesson_alloc(L, (size_t)nq * CHUNK, sizeof(float));
    float *xx = lesson_alloc(L, CHUNK, sizeof(float));
    int idx[CHUNK];
    for (int i = 0; i < nq; i++) dist[i] = INFINITY, near[i] = 0;
    for (int s = 0; s < ds->n; s += CHUNK) {
        int k = ds->n - s < CHUNK ? ds->n - s : CHUNK;
        for (int j = 0; j < k; j++) idx[j] = s + j;
        nn_dataset_gather(x, ds, idx, k, NN_RANGE_PM1);
        for (int j = 0; j < k; j++) {
            const float *xj = x + (size_t)j * 784;
            double a = 0.0;
            for (int p = 0; p < 784; p++) a += (double)xj[p] * xj[p];
            xx[j] = (float)a;
        }
        nn_matmul(dot, q, x, nq, k, 784, 0, 1, 0);            /* (nq, k): q . x */
        for (int i = 0; i < nq; i++)
            for (int j = 0; j < k; j++) {
                double d2 = (double)xx[j] - 2.0 * dot[(size_t)i * k + j]; /* minus |q|^2 */
                if (d2 < dist[i]) {
                    dist[i] = d2;
                    near[i] = s + j;
                }
            }
    }
    for (int i = 0; i < nq; i++) {
        nn_dataset_gather(x, ds, &near[i], 1, NN_RANGE_PM1);
        double d2 = 0.0;
        for (int p = 0; p < 784; p++) {
            double v = (double)q[(size_t)i * 784 + p] - x[p];
            d2 += v * v;
        }
        dist[i] = sqrt(d2);
    }
    nn_free(x);
    nn_free(dot);
    nn_free(xx);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sorts v. */
static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

copies_summary copies_summarise(lesson *L, const double *dist, int n)
{
    double *v = lesson_alloc(L, 2 * (size_t)n, sizeof *v);
    memcpy(v, dist, 2 * (size_t)n * sizeof *v);
    copies_summary c;
    c.sample_median = median(v, n);
    c.test_median = median(v + n, n);
    c.sample_min = v[0];    /* sorted by the median */
    c.line = v[n + (int)(COPIES_LINE_SHARE * n)];
    int close = 0;
    for (int i = 0; i < n; i++) close += v[i] < c.line;
    c.close_share = (double)close / n;
    nn_free(v);
    return c;
}

copies_verdict copies_judge(double close_share, int n)
{
    if (n < COPIES_MIN_QUERIES) return COPIES_TOO_FEW;
    double sd = sqrt(2.0 * COPIES_LINE_SHARE * (1.0 - COPIES_LINE_SHARE) / n);
    return close_share > COPIES_LINE_SHARE + 3.0 * sd ? COPIES_MORE_CLOSE : COPIES_AS_REAL;
}
