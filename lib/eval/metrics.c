/* metrics.c - mode coverage, class histograms, Frechet distance (see metrics.h). */
#include "eval/metrics.h"

#include <assert.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

nn_status nn_mode_stats_compute(nn_mode_stats *out, int *counts, const float *samples, int n,
                                int dim, const float *centres, int n_modes, float sigma,
                                nn_error *err)
{
    assert(out && samples && centres);
    if (n < 1 || dim < 1 || n_modes < 1)
        return nn_fail(err, NN_ERR_ARG,
                       "mode stats: %d samples of dim %d against %d modes; each must be at "
                       "least 1", n, dim, n_modes);
    if (!(sigma > 0.0f) || !isfinite(sigma))
        return nn_fail(err, NN_ERR_ARG,
                       "mode stats: sigma %g must be a positive number (the mixture's "
                       "standard deviation, e.g. 0.02 for the ring)", (double)sigma);
    for (size_t i = 0; i < (size_t)n * (size_t)dim; i++)
        if (!isfinite(samples[i]))
            return nn_fail(err, NN_ERR_ARG,
                           "mode stats: sample %zu has a non-finite coordinate; the generator "
                           "has diverged (lower --lr or check the loss)", i / (size_t)dim);

    /* Squared distances are compared with (3 sigma)^2, so no sqrt per pair. */
    double r2 = 9.0 * (double)sigma * (double)sigma;
    int *hist = counts;
    if (!hist) {
        /* Covered modes need a histogram even when the caller wants none. */
        hist = nn_alloc((size_t)n_modes, sizeof *hist);
        if (!hist)
            return nn_fail(err, NN_ERR_NOMEM, "mode stats: no memory for %d mode counts",
                           n_modes);
    }
    memset(hist, 0, (size_t)n_modes * sizeof *hist);

    int n_hq = 0;
    for (int i = 0; i < n; i++) {
        const float *x = samples + (size_t)i * dim;
        int best = 0;
        double best_d2 = INFINITY;
        for (int k = 0; k < n_modes; k++) {
            const float *c = centres + (size_t)k * dim;
            double d2 = 0.0;
            for (int j = 0; j < dim; j++) {
                double d = (double)x[j] - (double)c[j];
                d2 += d * d;
            }
            if (d2 < best_d2) { best_d2 = d2; best = k; }
        }
        if (best_d2 <= r2) { hist[best]++; n_hq++; }
    }

    int covered = 0;
    for (int k = 0; k < n_modes; k++) covered += hist[k] > 0;

    out->n_samples = n;
    out->n_modes = n_modes;
    out->n_hq = n_hq;
    out->modes_covered = covered;
    out->hq_fraction = (float)n_hq / (float)n;
    out->reverse_kl = nn_hist_kl_uniform(hist, n_modes);
    if (hist != counts) nn_free(hist);
    return NN_OK;
}

float nn_hist_kl_uniform(const int *counts, int k)
{
    assert(counts && k >= 1);
    long total = 0;
    for (int i = 0; i < k; i++) total += counts[i] > 0 ? counts[i] : 0;
    /* No samples to histogram: score it like the worst case, every sample in
     * one mode, so a generator producing only junk never looks varied. */
    if (total == 0) return (float)log((double)k);
    double kl = 0.0;
    for (int i = 0; i < k; i++) {
        if (counts[i] <= 0) continue; /* 0 log 0 = 0 */
        double q = (double)counts[i] / (double)total;
        kl += q * log(q * (double)k);
    }
    return (float)(kl > 0.0 ? kl : 0.0); /* round-off can dip below 0 at uniform */
}

int nn_class_histogram(int *counts, const int *labels, int n, int n_classes)
{
    assert(counts && (labels || n == 0) && n_classes >= 1);
    memset(counts, 0, (size_t)n_classes * sizeof *counts);
    int counted = 0;
    for (int i = 0; i < n; i++) {
        if (labels[i] < 0 || labels[i] >= n_classes) continue;
        counts[labels[i]]++;
        counted++;
    }
    return counted;
}

void nn_argmax_rows(int *labels, const float *scores, int n, int k)
{
    assert(labels && scores && k >= 1);
    for (int i = 0; i < n; i++) {
        const float *s = scores + (size_t)i * k;
        int best = 0;
        for (int j = 1; j < k; j++)
            if (s[j] > s[best]) best = j;
        labels[i] = best;
    }
}

void nn_mean_cov(double *mu, double *cov, const float *x, int n, int dim)
{
    assert(mu && cov && x && n >= 1 && dim >= 1);
    size_t d = (size_t)dim;
    memset(mu, 0, d * sizeof *mu);
    memset(cov, 0, d * d * sizeof *cov);
    for (int i = 0; i < n; i++)
        for (size_t j = 0; j < d; j++) mu[j] += x[(size_t)i * d + j];
    for (size_t j = 0; j < d; j++) mu[j] /= n;
    /* Centred sums in double: features near 1e3 with a spread near 1 would
     * lose every digit in float's E[x^2] - E[x]^2. Upper triangle, mirrored. */
    for (int i = 0; i < n; i++) {
        const float *r = x + (size_t)i * d;
        for (size_t a = 0; a < d; a++) {
            double da = r[a] - mu[a];
            for (size_t b = a; b < d; b++) cov[a * d + b] += da * (r[b] - mu[b]);
        }
    }
    double scale = n > 1 ? 1.0 / (n - 1) : 0.0;
    for (size_t a = 0; a < d; a++)
        for (size_t b = a; b < d; b++) {
            cov[a * d + b] *= scale;
            cov[b * d + a] = cov[a * d + b];
        }
}

int nn_sym_eig(double *w, double *vecs, double *a, int dim)
{
    assert(w && a && dim >= 1);
    size_t d = (size_t)dim;
    if (vecs) {
        memset(vecs, 0, d * d * sizeof *vecs);
        for (size_t i = 0; i < d; i++) vecs[i * d + i] = 1.0;
    }
    double norm2 = 0.0;
    for (size_t i = 0; i < d * d; i++) norm2 += a[i] * a[i];

    /* Cyclic Jacobi (Golub & Van Loan, Matrix Computations, 8.5): each
     * rotation zeroes one off-diagonal pair; a sweep visits every pair, and
     * the off-diagonal mass shrinks quadratically after a few sweeps. */
    int sweep = 0;
    for (; sweep < 100; sweep++) {
        double off = 0.0;
        for (size_t p = 0; p < d; p++)
            for (size_t q = p + 1; q < d; q++) off += a[p * d + q] * a[p * d + q];
        if (off <= 1e-30 * norm2 || off == 0.0) break;
        for (size_t p = 0; p < d; p++) {
            for (size_t q = p + 1; q < d; q++) {
                double apq = a[p * d + q];
                if (apq == 0.0) continue;
                /* The angle that zeroes a_pq: cot 2phi = (a_qq - a_pp) / (2 a_pq);
                 * t = tan phi, the smaller root, keeps the rotation small. */
                double theta = (a[q * d + q] - a[p * d + p]) / (2.0 * apq);
                double t = (theta >= 0.0 ? 1.0 : -1.0) / (fabs(theta) + hypot(theta, 1.0));
                double c = 1.0 / sqrt(t * t + 1.0), s = t * c;
                /* A <- J^T A J with J the rotation in the (p, q) plane:
                 * columns p, q first, then rows p, q. */
                for (size_t k = 0; k < d; k++) {
                    double akp = a[k * d + p], akq = a[k * d + q];
                    a[k * d + p] = c * akp - s * akq;
                    a[k * d + q] = s * akp + c * akq;
                }
                for (size_t k = 0; k < d; k++) {
                    double apk = a[p * d + k], aqk = a[q * d + k];
                    a[p * d + k] = c * apk - s * aqk;
                    a[q * d + k] = s * apk + c * aqk;
                }
                if (vecs)
                    for (size_t k = 0; k < d; k++) {
                        double vkp = vecs[k * d + p], vkq = vecs[k * d + q];
                        vecs[k * d + p] = c * vkp - s * vkq;
                        vecs[k * d + q] = s * vkp + c * vkq;
                    }
            }
        }
    }
    for (size_t i = 0; i < d; i++) w[i] = a[i * d + i];
    return sweep;
}

nn_status nn_sym_sqrtm(double *out, const double *a, int dim, nn_error *err)
{
    assert(out && a && dim >= 1);
    size_t d = (size_t)dim;
    /* One block for the working copy, V and the eigenvalues. */
    double *work = nn_alloc(2 * d * d + d, sizeof *work);
    if (!work)
        return nn_fail(err, NN_ERR_NOMEM,
                       "matrix square root: no memory for a %d x %d workspace", dim, dim);
    double *copy = work, *v = work + d * d, *w = work + 2 * d * d;
    memcpy(copy, a, d * d * sizeof *copy);
    nn_sym_eig(w, v, copy, dim);
    for (size_t k = 0; k < d; k++) w[k] = w[k] > 0.0 ? sqrt(w[k]) : 0.0;
    /* out = V diag(sqrt w) V^T */
    for (size_t i = 0; i < d; i++)
        for (size_t j = 0; j < d; j++) {
            double sum = 0.0;
            for (size_t k = 0; k < d; k++) sum += v[i * d + k] * w[k] * v[j * d + k];
            out[i * d + j] = sum;
        }
    nn_free(work);
    return NN_OK;
}

/* Householder reduction of a symmetric matrix to tridiagonal form, then the
 * implicit QL iteration on it (Press et al., Numerical Recipes, 11.2-11.3:
 * tred2 without the vectors, tqli): about (4/3) dim^3 operations, against
 * Jacobi's dozen sweeps of 4 dim^3 each. The reduction works on the lower
 * triangle of a, row by row. */
void nn_sym_eigvals(double *w, double *e, double *a, int dim)
{
    assert(w && e && a && dim >= 1);
    const int n = dim;
#define A(i, j) a[(size_t)(i) * (size_t)n + (size_t)(j)]
    for (int i = n - 1; i > 0; i--) {
        int l = i - 1;
        double h = 0.0, scale = 0.0;
        if (l > 0) {
            for (int k = 0; k <= l; k++) scale += fabs(A(i, k));
            if (scale == 0.0) {
                e[i] = A(i, l);
            } else {
                for (int k = 0; k <= l; k++) {
                    A(i, k) /= scale;
                    h += A(i, k) * A(i, k);
                }
                double f = A(i, l);
                double g = f >= 0.0 ? -sqrt(h) : sqrt(h);
                e[i] = scale * g;
                h -= f * g;
                A(i, l) = f - g;
                f = 0.0;
                for (int j = 0; j <= l; j++) {
                    g = 0.0;
                    for (int k = 0; k <= j; k++) g += A(j, k) * A(i, k);
                    for (int k = j + 1; k <= l; k++) g += A(k, j) * A(i, k);
                    e[j] = g / h;
                    f += e[j] * A(i, j);
                }
                double hh = f / (h + h);
                for (int j = 0; j <= l; j++) {
                    f = A(i, j);
                    e[j] = g = e[j] - hh * f;
                    for (int k = 0; k <= j; k++) A(j, k) -= f * e[k] + g * A(i, k);
                }
            }
        } else {
            e[i] = A(i, l);
        }
    }
    for (int i = 0; i < n; i++) w[i] = A(i, i);
#undef A
    /* QL with implicit shifts on the diagonal w and sub-diagonal e. */
    for (int i = 1; i < n; i++) e[i - 1] = e[i];
    e[n - 1] = 0.0;
    for (int l = 0; l < n; l++) {
        int m, iter = 0;
        do {
            for (m = l; m < n - 1; m++) {
                double dd = fabs(w[m]) + fabs(w[m + 1]);
                if (fabs(e[m]) <= DBL_EPSILON * dd) break;
            }
            if (m == l || iter++ == 60) break;
            double g = (w[l + 1] - w[l]) / (2.0 * e[l]);
            double r = hypot(g, 1.0);
            g = w[m] - w[l] + e[l] / (g + copysign(r, g));
            double s = 1.0, c = 1.0, p = 0.0;
            int i;
            for (i = m - 1; i >= l; i--) {
                double f = s * e[i], b = c * e[i];
                e[i + 1] = r = hypot(f, g);
                if (r == 0.0) { /* underflow: split here and start again */
                    w[i + 1] -= p;
                    e[m] = 0.0;
                    break;
                }
                s = f / r;
                c = g / r;
                g = w[i + 1] - p;
                r = (w[i] - g) * s + 2.0 * c * b;
                p = s * r;
                w[i + 1] = g + p;
                g = c * r - b;
            }
            if (r == 0.0 && i >= l) continue;
            w[l] -= p;
            e[l] = g;
            e[m] = 0.0;
        } while (m != l);
    }
}

nn_status nn_frechet_ref_init(nn_frechet_ref *r, const float *x, int n, int dim, nn_error *err)
{
    memset(r, 0, sizeof *r);
    if (n < 2 || dim < 1)
        return nn_fail(err, NN_ERR_ARG,
                       "Frechet distance: got %d samples of dim %d; a covariance needs at "
                       "least 2 samples per set and dim >= 1", n, dim);
    size_t d = (size_t)dim;
    r->dim = dim;
    r->mu = nn_alloc(d, sizeof *r->mu);
    r->sqrt_cov = nn_alloc(d * d, sizeof *r->sqrt_cov);
    double *cov = nn_alloc(d * d, sizeof *cov);
    if (!r->mu || !r->sqrt_cov || !cov) {
        nn_free(cov);
        nn_frechet_ref_free(r);
        return nn_fail(err, NN_ERR_NOMEM,
                       "Frechet distance: no memory for %d x %d covariances", dim, dim);
    }
    nn_mean_cov(r->mu, cov, x, n, dim);
    for (size_t k = 0; k < d; k++) r->tr_cov += cov[k * d + k];
    nn_status st = nn_sym_sqrtm(r->sqrt_cov, cov, dim, err);
    nn_free(cov);
    if (st != NN_OK) nn_frechet_ref_free(r);
    return st;
}

void nn_frechet_ref_free(nn_frechet_ref *r)
{
    nn_free(r->mu);
    nn_free(r->sqrt_cov);
    memset(r, 0, sizeof *r);
}

nn_status nn_frechet_distance_to(double *out, const nn_frechet_ref *r, const float *y, int ny,
                                 nn_error *err)
{
    assert(out && r && r->mu && y);
    if (ny < 2)
        return nn_fail(err, NN_ERR_ARG,
                       "Frechet distance: got %d samples; a covariance needs at least 2", ny);
    size_t d = (size_t)r->dim;
    /* mu_y, S_y, product, scratch, eigenvalues, the eigen routine's scratch. */
    double *work = nn_alloc(d + 3 * d * d + 2 * d, sizeof *work);
    if (!work)
        return nn_fail(err, NN_ERR_NOMEM,
                       "Frechet distance: no memory for %d x %d covariances", r->dim, r->dim);
    double *my = work, *sy = my + d, *tmp = sy + d * d, *prod = tmp + d * d, *w = prod + d * d;
    const double *rx = r->sqrt_cov;
    nn_mean_cov(my, sy, y, ny, r->dim);

    /* tmp = S_y R, prod = R tmp = R S_y R (R = S_x^1/2), made exactly
     * symmetric so the eigenvalue routine sees the matrix the maths describes. */
    /* Row times row (i, k, j order): both inner reads run along memory. */
    memset(tmp, 0, 2 * d * d * sizeof *tmp); /* tmp and prod */
    for (size_t i = 0; i < d; i++)
        for (size_t k = 0; k < d; k++) {
            const double a = sy[i * d + k];
            for (size_t j = 0; j < d; j++) tmp[i * d + j] += a * rx[k * d + j];
        }
    for (size_t i = 0; i < d; i++)
        for (size_t k = 0; k < d; k++) {
            const double a = rx[i * d + k];
            for (size_t j = 0; j < d; j++) prod[i * d + j] += a * tmp[k * d + j];
        }
    for (size_t i = 0; i < d; i++)
        for (size_t j = i + 1; j < d; j++) {
            double m = 0.5 * (prod[i * d + j] + prod[j * d + i]);
            prod[i * d + j] = prod[j * d + i] = m;
        }

    /* tr((R S_y R)^1/2) = sum of the square roots of its eigenvalues. */
    nn_sym_eigvals(w, w + d, prod, r->dim);
    double tr_sqrt = 0.0, tr_y = 0.0, dmu = 0.0;
    for (size_t k = 0; k < d; k++) {
        tr_sqrt += w[k] > 0.0 ? sqrt(w[k]) : 0.0;
        tr_y += sy[k * d + k];
        dmu += (r->mu[k] - my[k]) * (r->mu[k] - my[k]);
    }
    double fd = dmu + r->tr_cov + tr_y - 2.0 * tr_sqrt;
    *out = fd > 0.0 ? fd : 0.0; /* round-off at identical sets */
    nn_free(work);
    return NN_OK;
}

nn_status nn_frechet_distance(double *out, const float *x, int nx, const float *y, int ny,
                              int dim, nn_error *err)
{
    assert(out && x && y);
    if (nx < 2 || ny < 2 || dim < 1)
        return nn_fail(err, NN_ERR_ARG,
                       "Frechet distance: got %d and %d samples of dim %d; a covariance "
                       "needs at least 2 samples per set and dim >= 1", nx, ny, dim);
    nn_frechet_ref r;
    nn_status st = nn_frechet_ref_init(&r, x, nx, dim, err);
    if (st == NN_OK) st = nn_frechet_distance_to(out, &r, y, ny, err);
    nn_frechet_ref_free(&r);
    return st;
}

/* A value and where it was, sorted by value. */
typedef struct {
    float v;
    int i;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
    float u = ((const keyed *)a)->v, w = ((const keyed *)b)->v;
    return (u > w) - (u < w);
}

/* r (n): 1-based ranks of x, ties sharing their mean rank. */
static void ranks(double *r, const float *x, keyed *k, int n)
{
    for (int i = 0; i < n; i++) k[i] = (keyed){x[i], i};
    qsort(k, (size_t)n, sizeof *k, cmp_keyed);
    for (int i = 0; i < n;) {
        int e = i;
        while (e + 1 < n && k[e + 1].v == k[i].v) e++;
        double mean = 0.5 * (double)(i + e) + 1.0;
        for (int m = i; m <= e; m++) r[k[m].i] = mean;
        i = e + 1;
    }
}

double nn_spearman(const float *a, const float *b, int n)
{
    if (n < 3) return NAN;
    double *ra = nn_alloc((size_t)n, sizeof *ra), *rb = nn_alloc((size_t)n, sizeof *rb);
    keyed *k = nn_alloc((size_t)n, sizeof *k);
    double rho = NAN;
    if (ra && rb && k) {
        ranks(ra, a, k, n);
        ranks(rb, b, k, n);
        double ma = 0.0, mb = 0.0, sab = 0.0, saa = 0.0, sbb = 0.0;
        for (int i = 0; i < n; i++) ma += ra[i], mb += rb[i];
        ma /= n;
        mb /= n;
        for (int i = 0; i < n; i++) {
            sab += (ra[i] - ma) * (rb[i] - mb);
            saa += (ra[i] - ma) * (ra[i] - ma);
            sbb += (rb[i] - mb) * (rb[i] - mb);
        }
        if (saa > 0.0 && sbb > 0.0) rho = sab / sqrt(saa * sbb);
    }
    nn_free(ra);
    nn_free(rb);
    nn_free(k);
    return rho;
}

int nn_confusion_matrix(int *m, const int *rows, const int *cols, int n, int k_rows,
                        int k_cols)
{
    int counted = 0;
    for (int i = 0; i < k_rows * k_cols; i++) m[i] = 0;
    for (int i = 0; i < n; i++) {
        if (rows[i] < 0 || rows[i] >= k_rows || cols[i] < 0 || cols[i] >= k_cols) continue;
        m[rows[i] * k_cols + cols[i]]++;
        counted++;
    }
    return counted;
}

float nn_purity(const int *m, int k_rows, int k_cols)
{
    long top = 0, total = 0;
    for (int r = 0; r < k_rows; r++) {
        int best = 0;
        for (int c = 0; c < k_cols; c++) {
            best = m[r * k_cols + c] > best ? m[r * k_cols + c] : best;
            total += m[r * k_cols + c];
        }
        top += best;
    }
    return total ? (float)top / (float)total : 0.0f;
}

nn_status nn_precision_recall(float *precision, float *recall, const float *real, int nr,
                              const float *fake, int nf, int dim, int k, nn_error *err)
{
    assert(precision && recall && real && fake);
    if (k < 1 || k >= nr || k >= nf || dim < 1)
        return nn_fail(err, NN_ERR_ARG,
                       "precision and recall: k = %d needs more than k samples in each set "
                       "(got %d real, %d generated) and dim %d >= 1", k, nr, nf, dim);
    /* The same measure both ways round: the balls of the real features judge
     * the samples (fidelity), the balls of the samples judge the real ones
     * (coverage). */
    *precision = nn_knn_precision(real, nr, fake, nf, dim, k);
    *recall = nn_knn_precision(fake, nf, real, nr, dim, k);
    return NN_OK;
}

double nn_sharpness(const float *x, int n, int h, int w)
{
    assert(x && n >= 1 && h >= 2 && w >= 2);
    double sum = 0.0;
    for (int m = 0; m < n; m++) {
        const float *im = x + (size_t)m * h * w;
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++) {
                /* Forward differences; the last column and row have no
                 * right or lower neighbour and add nothing in that direction. */
                double v = im[i * w + j];
                if (j + 1 < w) sum += (im[i * w + j + 1] - v) * (im[i * w + j + 1] - v);
                if (i + 1 < h) sum += (im[(i + 1) * w + j] - v) * (im[(i + 1) * w + j] - v);
            }
    }
    return sum / ((double)n * h * w);
}
