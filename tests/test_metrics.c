/* test_metrics.c - mode coverage, histograms and Frechet distance on sample
 * sets made by hand, where every expected number can be worked out on paper. */
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "eval/metrics.h"
#include "base/rng.h"
#include <stdlib.h>
#include <stdint.h>

/* 8 modes on a ring of radius 2, as the toy data set lays them out. */
static void ring8(float *c)
{
    for (int k = 0; k < 8; k++) {
        double a = 2.0 * 3.14159265358979323846 * k / 8.0;
        c[2 * k] = (float)(2.0 * cos(a));
        c[2 * k + 1] = (float)(2.0 * sin(a));
    }
}

static void test_all_modes_covered(void **state)
{
    (void)state;
    float c[16], x[32];
    ring8(c);
    /* Two samples per mode, 1 sigma off the centre in x and in y. */
    for (int k = 0; k < 8; k++) {
        x[4 * k + 0] = c[2 * k] + 0.02f; x[4 * k + 1] = c[2 * k + 1];
        x[4 * k + 2] = c[2 * k];         x[4 * k + 3] = c[2 * k + 1] - 0.02f;
    }
    nn_mode_stats st;
    int counts[8];
    assert_int_equal(nn_mode_stats_compute(&st, counts, x, 16, 2, c, 8, 0.02f, NULL), NN_OK);
    assert_int_equal(st.n_samples, 16);
    assert_int_equal(st.n_modes, 8);
    assert_int_equal(st.n_hq, 16);
    assert_int_equal(st.modes_covered, 8);
    assert_close(st.hq_fraction, 1.0, 1e-7);
    assert_close(st.reverse_kl, 0.0, 1e-7);
    for (int k = 0; k < 8; k++) assert_int_equal(counts[k], 2);
}

static void test_one_mode(void **state)
{
    (void)state;
    float c[16], x[20];
    ring8(c);
    for (int i = 0; i < 10; i++) { x[2 * i] = c[6]; x[2 * i + 1] = c[7] + 0.01f * (i % 3); }
    nn_mode_stats st;
    int counts[8];
    assert_int_equal(nn_mode_stats_compute(&st, counts, x, 10, 2, c, 8, 0.02f, NULL), NN_OK);
    assert_int_equal(st.modes_covered, 1);
    assert_int_equal(st.n_hq, 10);
    assert_int_equal(counts[3], 10);
    /* Every hq sample in one of 8 modes: KL(q || u) = log 8, its maximum. */
    assert_close(st.reverse_kl, log(8.0), 1e-6);
}

static void test_far_away_samples(void **state)
{
    (void)state;
    float c[16], x[12] = {100, 100, -50, 3, 0, 0, 1, 1, 0.5f, -0.5f, 7, -7};
    ring8(c);
    nn_mode_stats st;
    /* counts NULL: the function keeps its own histogram. */
    assert_int_equal(nn_mode_stats_compute(&st, NULL, x, 6, 2, c, 8, 0.02f, NULL), NN_OK);
    assert_int_equal(st.n_hq, 0);
    assert_int_equal(st.modes_covered, 0);
    assert_close(st.hq_fraction, 0.0, 0.0);
    assert_close(st.reverse_kl, log(8.0), 1e-6);
}

static void test_mixed_exact_kl(void **state)
{
    (void)state;
    float c[16];
    ring8(c);
    /* 3 hq samples at mode 0, 1 at mode 1, 4 far off: hq = 1/2, and
     * q = (3/4, 1/4, 0, ...), KL = 3/4 log(8 * 3/4) + 1/4 log(8 / 4). */
    float x[16] = {c[0], c[1], c[0] + 0.05f, c[1], c[0], c[1] - 0.05f,
                   c[2], c[3], 9, 9, -9, 9, 0, 0, 0.3f, 0.1f};
    nn_mode_stats st;
    int counts[8];
    assert_int_equal(nn_mode_stats_compute(&st, counts, x, 8, 2, c, 8, 0.02f, NULL), NN_OK);
    assert_int_equal(st.n_hq, 4);
    assert_int_equal(st.modes_covered, 2);
    assert_int_equal(counts[0], 3);
    assert_int_equal(counts[1], 1);
    assert_close(st.hq_fraction, 0.5, 1e-7);
    assert_close(st.reverse_kl, 0.75 * log(6.0) + 0.25 * log(2.0), 1e-6);
}

static void test_three_sigma_boundary(void **state)
{
    (void)state;
    float c[2] = {0, 0};
    /* 2.9 sigma is high quality, 3.1 sigma is not. */
    float x[4] = {2.9f * 0.1f, 0, 0, -3.1f * 0.1f};
    nn_mode_stats st;
    assert_int_equal(nn_mode_stats_compute(&st, NULL, x, 2, 2, c, 1, 0.1f, NULL), NN_OK);
    assert_int_equal(st.n_hq, 1);
    assert_int_equal(st.modes_covered, 1);
    assert_close(st.hq_fraction, 0.5, 1e-7);
}

static void test_mode_stats_errors(void **state)
{
    (void)state;
    float c[2] = {0, 0}, x[2] = {0, NAN};
    nn_mode_stats st;
    nn_error err;
    assert_int_equal(nn_mode_stats_compute(&st, NULL, c, 1, 2, c, 1, 0.0f, &err), NN_ERR_ARG);
    assert_non_null(strstr(err.msg, "sigma"));
    assert_int_equal(nn_mode_stats_compute(&st, NULL, x, 1, 2, c, 1, 0.1f, &err), NN_ERR_ARG);
    assert_non_null(strstr(err.msg, "non-finite"));
    assert_int_equal(nn_mode_stats_compute(&st, NULL, x, 0, 2, c, 1, 0.1f, &err), NN_ERR_ARG);
}

static void test_hist_kl_uniform(void **state)
{
    (void)state;
    int uni[4] = {5, 5, 5, 5}, two[4] = {1, 1, 0, 0}, one[4] = {0, 0, 7, 0}, none[4] = {0};
    int skew[3] = {1, 2, 3};
    assert_close(nn_hist_kl_uniform(uni, 4), 0.0, 1e-7);
    assert_close(nn_hist_kl_uniform(two, 4), log(2.0), 1e-6);   /* 2 x 1/2 log(4/2) */
    assert_close(nn_hist_kl_uniform(one, 4), log(4.0), 1e-6);
    assert_close(nn_hist_kl_uniform(none, 4), log(4.0), 1e-6);
    double want = (1.0 / 6) * log(3.0 / 6) + (2.0 / 6) * log(6.0 / 6) + (3.0 / 6) * log(9.0 / 6);
    assert_close(nn_hist_kl_uniform(skew, 3), want, 1e-6);
}

static void test_class_histogram_and_argmax(void **state)
{
    (void)state;
    float logits[4 * 3] = {0.1f, 2.0f, -1.0f,   /* 1 */
                           5.0f, 5.0f, 1.0f,    /* 0: the first of two maxima */
                           -3.0f, -2.0f, -1.0f, /* 2 */
                           0.0f, 9.0f, 8.9f};   /* 1 */
    int labels[5];
    nn_argmax_rows(labels, logits, 4, 3);
    assert_int_equal(labels[0], 1);
    assert_int_equal(labels[1], 0);
    assert_int_equal(labels[2], 2);
    assert_int_equal(labels[3], 1);
    labels[4] = 7; /* out of range: not counted */
    int counts[3];
    assert_int_equal(nn_class_histogram(counts, labels, 5, 3), 4);
    assert_int_equal(counts[0], 1);
    assert_int_equal(counts[1], 2);
    assert_int_equal(counts[2], 1);
}

static void test_mean_cov(void **state)
{
    (void)state;
    /* Rows (1,2), (3,2), (5,8): mean (3,4); centred (-2,-2), (0,-2), (2,4);
     * cov = [[8, 12], [12, 24]] / 2. */
    float x[6] = {1, 2, 3, 2, 5, 8};
    double mu[2], cov[4];
    nn_mean_cov(mu, cov, x, 3, 2);
    assert_close(mu[0], 3.0, 1e-12);
    assert_close(mu[1], 4.0, 1e-12);
    assert_close(cov[0], 4.0, 1e-12);
    assert_close(cov[1], 6.0, 1e-12);
    assert_close(cov[2], 6.0, 1e-12);
    assert_close(cov[3], 12.0, 1e-12);
}

static void test_sym_eig(void **state)
{
    (void)state;
    /* [[2, 1], [1, 2]] has eigenvalues 1 and 3. */
    double a[4] = {2, 1, 1, 2}, w[2], v[4];
    nn_sym_eig(w, v, a, 2);
    double lo = fmin(w[0], w[1]), hi = fmax(w[0], w[1]);
    assert_close(lo, 1.0, 1e-12);
    assert_close(hi, 3.0, 1e-12);

    /* A 5 x 5 symmetric matrix is rebuilt from V diag(w) V^T, and V is
     * orthonormal. */
    double m[25], orig[25], w5[5], v5[25];
    for (int i = 0; i < 5; i++)
        for (int j = 0; j <= i; j++) {
            double val = sin(1.0 + i * 5 + j) * 3.0 + (i == j ? 2.0 : 0.0);
            m[i * 5 + j] = m[j * 5 + i] = val;
        }
    memcpy(orig, m, sizeof m);
    int sweeps = nn_sym_eig(w5, v5, m, 5);
    assert_true(sweeps < 20);
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 5; j++) {
            double r = 0.0, o = 0.0;
            for (int k = 0; k < 5; k++) {
                r += v5[i * 5 + k] * w5[k] * v5[j * 5 + k];
                o += v5[k * 5 + i] * v5[k * 5 + j];
            }
            assert_close(r, orig[i * 5 + j], 1e-10);
            assert_close(o, i == j ? 1.0 : 0.0, 1e-12);
        }
}

/* The six rows of x and five of y from tests/reference/metrics_frechet.py. */
static const float ref_x[18] = {0.5f, -1.0f, 2.0f,  1.5f, 0.25f, -0.5f, -0.75f, 1.0f, 0.0f,
                                2.0f, -0.5f, 1.0f,  0.0f, 0.75f, -1.25f, 1.0f, 1.5f, 0.5f};
static const float ref_y[15] = {1.0f, 0.0f, 0.5f,  -1.0f, 2.0f, 1.5f, 0.25f, -0.25f, -2.0f,
                                3.0f, 1.0f, 0.0f,  0.5f, -1.5f, 1.0f};

static void test_sqrtm_reference(void **state)
{
    (void)state;
    /* sqrtm(torch.cov(x.T)) with torch.linalg.eigh, float64. */
    static const double want[9] = {0.983274565482, -0.172376781266, 0.117788118341,
                                   -0.172376781266, 0.864912403019, -0.337460289592,
                                   0.117788118341, -0.337460289592, 1.087503185647};
    double mu[3], cov[9], r[9];
    nn_mean_cov(mu, cov, ref_x, 6, 3);
    assert_int_equal(nn_sym_sqrtm(r, cov, 3, NULL), NN_OK);
    for (int i = 0; i < 9; i++) assert_close(r[i], want[i], 1e-9);
    /* and it squares back to the covariance */
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            double s = 0.0;
            for (int k = 0; k < 3; k++) s += r[i * 3 + k] * r[k * 3 + j];
            assert_close(s, cov[i * 3 + j], 1e-10);
        }
}

static void test_frechet_reference(void **state)
{
    (void)state;
    double fd = -1.0;
    assert_int_equal(nn_frechet_distance(&fd, ref_x, 6, ref_y, 5, 3, NULL), NN_OK);
    /* torch: ((mx-my)**2).sum() + trace(sx + sy - 2 sqrtm(r @ sy @ r)) */
    assert_close(fd, 1.164278513883, 1e-8);
}

static void test_frechet_closed_forms(void **state)
{
    (void)state;
    double fd = -1.0;
    /* Identical sets: 0. */
    assert_int_equal(nn_frechet_distance(&fd, ref_x, 6, ref_x, 6, 3, NULL), NN_OK);
    assert_close(fd, 0.0, 1e-9);

    /* A shift by (1, -2, 2) moves only the mean: d^2 = 1 + 4 + 4 = 9. */
    float shifted[18];
    for (int i = 0; i < 6; i++) {
        shifted[3 * i] = ref_x[3 * i] + 1.0f;
        shifted[3 * i + 1] = ref_x[3 * i + 1] - 2.0f;
        shifted[3 * i + 2] = ref_x[3 * i + 2] + 2.0f;
    }
    assert_int_equal(nn_frechet_distance(&fd, ref_x, 6, shifted, 6, 3, NULL), NN_OK);
    assert_close(fd, 9.0, 1e-6);

    /* One dimension: d^2 = (m1 - m2)^2 + (s1 - s2)^2. a = {-1, 1}: mean 0,
     * var 2; b = {1, 7}: mean 4, var 18; d^2 = 16 + (sqrt 2 - sqrt 18)^2 = 24. */
    float a[2] = {-1, 1}, b[2] = {1, 7};
    assert_int_equal(nn_frechet_distance(&fd, a, 2, b, 2, 1, NULL), NN_OK);
    assert_close(fd, 24.0, 1e-9);

    nn_error err;
    assert_int_equal(nn_frechet_distance(&fd, a, 1, b, 2, 1, &err), NN_ERR_ARG);
    assert_non_null(strstr(err.msg, "at least 2"));
}

static int cmp_double(const void *a, const void *b)
{
    double u = *(const double *)a, v = *(const double *)b;
    return (u > v) - (u < v);
}

/* The QL eigenvalues against Jacobi's on random symmetric matrices (one
 * with repeated eigenvalues: the identity plus a rank-one term), and the
 * prepared Frechet reference against the one-shot distance. */
static void test_sym_eigvals(void **state)
{
    (void)state;
    enum { D = 40 };
    static double a[D * D], b[D * D], w1[D], w2[D], e[D];
    nn_rng r;
    nn_rng_seed(&r, 5, 0);
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < D; i++)
            for (int j = 0; j <= i; j++) {
                double v = pass == 0 ? nn_rng_normal(&r) : (i == j) + 0.5 * (i + 1) * (j + 1) / D;
                a[i * D + j] = a[j * D + i] = v;
            }
        memcpy(b, a, sizeof a);
        nn_sym_eig(w1, NULL, a, D);
        nn_sym_eigvals(w2, e, b, D);
        qsort(w1, D, sizeof *w1, cmp_double);
        qsort(w2, D, sizeof *w2, cmp_double);
        for (int i = 0; i < D; i++) assert_close(w2[i], w1[i], 1e-9 * (1.0 + fabs(w1[i])));
    }
    /* By hand: [[2, 1], [1, 2]] has eigenvalues 1 and 3. */
    double m[4] = {2, 1, 1, 2}, w[2], e2[2];
    nn_sym_eigvals(w, e2, m, 2);
    qsort(w, 2, sizeof *w, cmp_double);
    assert_close(w[0], 1.0, 1e-12);
    assert_close(w[1], 3.0, 1e-12);

    nn_frechet_ref ref;
    assert_int_equal(nn_frechet_ref_init(&ref, ref_x, 6, 3, NULL), NN_OK);
    double fd1, fd2;
    assert_int_equal(nn_frechet_distance_to(&fd1, &ref, ref_y, 5, NULL), NN_OK);
    assert_int_equal(nn_frechet_distance(&fd2, ref_x, 6, ref_y, 5, 3, NULL), NN_OK);
    assert_close(fd1, fd2, 1e-12);
    nn_frechet_ref_free(&ref);
    nn_frechet_ref_free(&ref); /* safe twice */
    assert_int_equal(nn_frechet_ref_init(&ref, ref_x, 1, 3, NULL), NN_ERR_ARG);
    nn_frechet_ref_free(&ref);
}

/* Spearman's rho by hand: a monotone pair is 1 whatever the scale, a
 * reversed one -1; with ties, ranks are shared: a = (1, 2, 2, 3) has ranks
 * (1, 2.5, 2.5, 4), against b = (1, 2, 3, 4): rho = 4.5 / sqrt(4.5 * 5). */
static void test_spearman(void **state)
{
    (void)state;
    const float a[5] = {1, 5, 2, 9, 3}, b[5] = {10, 500, 20, 1e4f, 30}, c[5] = {5, 1, 4, 0, 3};
    assert_close(nn_spearman(a, b, 5), 1.0, 1e-12);
    assert_close(nn_spearman(a, c, 5), -1.0, 1e-12);
    const float t[4] = {1, 2, 2, 3}, u[4] = {1, 2, 3, 4};
    assert_close(nn_spearman(t, u, 4), 4.5 / sqrt(4.5 * 5.0), 1e-12);
    const float k[3] = {2, 2, 2};
    assert_true(isnan(nn_spearman(k, a, 3)));  /* a constant has no ranking */
    assert_true(isnan(nn_spearman(a, b, 2)));
}

/* Requested (0, 0, 1, 1, 2) against recognised (0, 1, 1, 1, 5): one pair out
 * of range (5 of 3), the rest counted; purity of the rows (1 + 2) / 4. */
static void test_confusion_and_purity(void **state)
{
    (void)state;
    const int want[5] = {0, 0, 1, 1, 2}, got[5] = {0, 1, 1, 1, 5};
    int m[9];
    assert_int_equal(nn_confusion_matrix(m, want, got, 5, 3, 3), 4);
    const int expect[9] = {1, 1, 0, 0, 2, 0, 0, 0, 0};
    for (int i = 0; i < 9; i++) assert_int_equal(m[i], expect[i]);
    assert_close(nn_purity(m, 3, 3), 0.75, 1e-6);
    /* Ten clusters that each hold one class: purity 1 even when two
     * clusters share a class (purity does not ask for one class each). */
    int one[4] = {5, 0, 7, 0};
    assert_close(nn_purity(one, 2, 2), 1.0, 1e-6);
    int none[4] = {0};
    assert_close(nn_purity(none, 2, 2), 0.0, 0.0);
}

/* The lesson's scale: 128-dimensional features, sparse and non-negative as a
 * ReLU layer's, relu(2u - 1 + 0.125 (j mod 3) s) with u from PCG32:
 * a (300 rows, seed 101, s = 0) against b (250 rows, seed 202, s = 1).
 * NumPy's value (np.cov, np.linalg.eigh for the square roots), from
 * tests/reference/exercise_judging.py; lesson 14 asks for 1e-3 relative. */
static void fill_features(float *f, uint64_t seed, int n, float shift)
{
    nn_rng r;
    nn_rng_seed(&r, seed, 0);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < 128; j++) {
            float v = 2.0f * nn_rng_uniform(&r) - 1.0f + shift * (float)(j % 3);
            f[i * 128 + j] = v > 0.0f ? v : 0.0f;
        }
}

static void test_frechet_numpy_dim128(void **state)
{
    (void)state;
    float *a = malloc(300 * 128 * sizeof *a), *b = malloc(250 * 128 * sizeof *b);
    assert_non_null(a);
    assert_non_null(b);
    fill_features(a, 101, 300, 0.0f);
    fill_features(b, 202, 250, 0.125f);
    double fd = -1.0;
    assert_int_equal(nn_frechet_distance(&fd, a, 300, b, 250, 128, NULL), NN_OK);
    assert_true(fabs(fd - 5.14194294) <= 1e-4 * 5.14194294);
    free(a);
    free(b);
}

/* Precision and recall are the same k-NN measure both ways round. */
static void test_precision_recall(void **state)
{
    (void)state;
    /* real {0, 1, 2, 3} (k = 1 radii 1); fake {0, 0.1, 0.2} all near 0:
     * every fake is inside (precision 1); fake radii 0.1, 0.1, 0.1 reach
     * only the real 0 (recall 1/4): a collapsed generator. */
    const float real[4] = {0, 1, 2, 3}, fake[3] = {0, 0.1f, 0.2f};
    float p = -1, r = -1;
    assert_int_equal(nn_precision_recall(&p, &r, real, 4, fake, 3, 1, 1, NULL), NN_OK);
    assert_true(fabsf(p - 1.0f) < 1e-6f);
    assert_true(fabsf(r - 0.25f) < 1e-6f);
    nn_error err;
    assert_int_equal(nn_precision_recall(&p, &r, real, 4, fake, 3, 1, 3, &err), NN_ERR_ARG);
    assert_non_null(strstr(err.msg, "k = 3"));
}

/* Sharpness: the mean of the squared neighbour differences. */
static void test_sharpness(void **state)
{
    (void)state;
    /* A 2 x 2 image (0 1 / 0 1): horizontal differences 1, 1, vertical 0, 0,
     * over 4 pixels: 2/4. A flat image: 0. A 3 x 3 checkerboard of 0 and 1:
     * 6 horizontal and 6 vertical differences of 1 over 9 pixels: 12/9. */
    const float edge[4] = {0, 1, 0, 1}, flat[4] = {0.3f, 0.3f, 0.3f, 0.3f};
    const float check[9] = {0, 1, 0, 1, 0, 1, 0, 1, 0};
    assert_true(fabs(nn_sharpness(edge, 1, 2, 2) - 0.5) < 1e-12);
    assert_true(fabs(nn_sharpness(flat, 1, 2, 2)) < 1e-12);
    assert_true(fabs(nn_sharpness(check, 1, 3, 3) - 12.0 / 9.0) < 1e-12);
    float two[8] = {0, 1, 0, 1, 0.3f, 0.3f, 0.3f, 0.3f};
    assert_true(fabs(nn_sharpness(two, 2, 2, 2) - 0.25) < 1e-12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sym_eigvals),
        cmocka_unit_test(test_spearman),
        cmocka_unit_test(test_all_modes_covered),
        cmocka_unit_test(test_one_mode),
        cmocka_unit_test(test_far_away_samples),
        cmocka_unit_test(test_mixed_exact_kl),
        cmocka_unit_test(test_three_sigma_boundary),
        cmocka_unit_test(test_mode_stats_errors),
        cmocka_unit_test(test_hist_kl_uniform),
        cmocka_unit_test(test_class_histogram_and_argmax),
        cmocka_unit_test(test_mean_cov),
        cmocka_unit_test(test_sym_eig),
        cmocka_unit_test(test_sqrtm_reference),
        cmocka_unit_test(test_frechet_reference),
        cmocka_unit_test(test_frechet_closed_forms),
        cmocka_unit_test(test_confusion_and_purity),
        cmocka_unit_test(test_frechet_numpy_dim128),
        cmocka_unit_test(test_precision_recall),
        cmocka_unit_test(test_sharpness),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
