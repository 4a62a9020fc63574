/* Exercise 23: k-nearest-neighbour precision (Kynkaanniemi et al. 2019). */
#include "nn.h"

#include <math.h>

/* Squared Euclidean distance between two rows of dim floats. */
static double dist2(const float *a, const float *b, int dim)
{
    double s = 0.0;
    for (int j = 0; j < dim; j++) {
        double d = (double)a[j] - b[j];
        s += d * d;
    }
    return s;
}

float nn_knn_precision(const float *ref, int nref, const float *x, int nx, int dim, int k)
{
    /* Each ref row's ball: the k-th smallest distance to the other ref rows.
     * The k smallest so far are kept sorted in best[] (k is small: 3 in the
     * paper), so one pass over the others finds it. Squared distances
     * compare the same way as distances, so no square root is needed. */
    double *radius2 = nn_alloc((size_t)nref, sizeof *radius2);
    double *best = nn_alloc((size_t)k, sizeof *best);
    if (!radius2 || !best) {
        nn_free(radius2);
        nn_free(best);
        return NAN;
    }
    for (int r = 0; r < nref; r++) {
        int have = 0;
        for (int o = 0; o < nref; o++) {
            if (o == r) continue;
            double d = dist2(ref + (size_t)r * dim, ref + (size_t)o * dim, dim);
            if (have == k && d >= best[k - 1]) continue;
            int i = have < k ? have++ : k - 1;
            while (i > 0 && best[i - 1] > d) { best[i] = best[i - 1]; i--; }
            best[i] = d;
        }
        radius2[r] = best[k - 1];
    }
    /* A sample counts when any ball holds it; the first one found is enough. */
    int inside = 0;
    for (int i = 0; i < nx; i++)
        for (int r = 0; r < nref; r++)
            if (dist2(x + (size_t)i * dim, ref + (size_t)r * dim, dim) <= radius2[r]) {
                inside++;
                break;
            }
    nn_free(radius2);
    nn_free(best);
    return (float)inside / (float)nx;
}
