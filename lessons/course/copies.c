/* copies.c - whether a generator copies its training set (copies.h). */
#include "copies.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void copies_nearest(lesson *L, const float *q, int nq, const nn_dataset *ds, int *near,
                    double *dist)
{
    enum { CHUNK = 1000 };
    float *x = lesson_alloc(L, (size_t)CHUNK * 784, sizeof(float));
    int idx[CHUNK];
    for (int i = 0; i < nq; i++) dist[i] = INFINITY;
    for (int s = 0; s < ds->n; s += CHUNK) {
        int k = ds->n - s < CHUNK ? ds->n - s : CHUNK;
        for (int j = 0; j < k; j++) idx[j] = s + j;
        nn_dataset_gather(x, ds, idx, k, NN_RANGE_PM1);
        for (int i = 0; i < nq; i++)
            for (int j = 0; j < k; j++) {
                double d2 = 0.0;
                for (int p = 0; p < 784; p++) {
                    double v = (double)q[(size_t)i * 784 + p] - x[(size_t)j * 784 + p];
                    d2 += v * v;
                }
                if (d2 < dist[i]) {
                    dist[i] = d2;
                    near[i] = s + j;
                }
            }
    }
    for (int i = 0; i < nq; i++) dist[i] = sqrt(dist[i]);
    nn_free(x);
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
    nn_free(v);
    return c;
}
