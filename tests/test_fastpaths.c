/* test_fastpaths.c - the element-wise speed-ups of the fast path give the
 * numbers the plain formulas give.
 *
 * tanh is a rational approximation evaluated four at a time: it is compared
 * with double-precision tanh on a fine grid, and its vector body with its
 * scalar tail. Batchnorm walks blocks of columns row by row: it is compared
 * bit for bit with the column-by-column loops it replaced. The gradient
 * norm keeps eight partial sums: it is compared with one double sum. Adam's
 * eight-lane loop is compared bit for bit with its scalar tail. Adam,
 * zero_grad and the activations are cut between threads: 1 and 2 threads
 * must give the same bits.
 */
#include "testutil.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nn.h"

/* A small LCG, so the test data does not depend on the library's rng. */
static void fill_uniform(float *x, size_t n, uint32_t seed, float lo, float hi)
{
    uint32_t s = seed * 2654435761u + 1u;
    for (size_t i = 0; i < n; i++) {
        s = s * 1664525u + 1013904223u;
        x[i] = lo + (hi - lo) * ((float)(s >> 8) / 16777216.0f);
    }
}

/* ------------------------------------------------------------------- tanh */

static void test_tanh_accuracy(void **state)
{
    (void)state;
    /* 240001 points over [-12, 12]: both clamps, the small-|x| region and
     * the saturated tails. */
    const size_t n = 240001;
    float *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    assert_non_null(x);
    assert_non_null(y);
    for (size_t i = 0; i < n; i++) x[i] = -12.0f + 24.0f * (float)i / (float)(n - 1);
    nn_tanh_forward(y, x, n);
    double worst = 0.0;
    for (size_t i = 0; i < n; i++) {
        double t = tanh((double)x[i]);
        double rel = fabs((double)y[i] - t) / fmax(fabs(t), 1e-30);
        if (x[i] != 0.0f && rel > worst) worst = rel;
        if (x[i] == 0.0f) assert_true(y[i] == 0.0f);
    }
    /* Measured 2.6e-7 at worst; glibc's tanhf is within 2.2 ulp (~2.6e-7). */
    assert_true(worst < 4e-7);
    /* Tiny inputs: tanh(x) = x to float precision. */
    const float tiny[3] = {1e-30f, -3e-8f, 1e-4f};
    float ty[3];
    nn_tanh_forward(ty, tiny, 3);
    assert_rel_close(ty, tiny, 3, 1e-6);
    free(x);
    free(y);
}

static void test_tanh_vector_equals_scalar_and_nan(void **state)
{
    (void)state;
    float x[37], all[37], one[37];
    fill_uniform(x, 37, 7, -6.0f, 6.0f);
    x[5] = NAN;
    x[6] = INFINITY;
    x[7] = -INFINITY;
    nn_tanh_forward(all, x, 37);
    /* One element at a time takes the scalar path only. */
    for (int i = 0; i < 37; i++) nn_tanh_forward(&one[i], &x[i], 1);
    assert_memory_equal(all, one, sizeof all);
    assert_true(isnan(all[5]));
    assert_true(all[6] == 1.0f && all[7] == -1.0f);
}

/* -------------------------------------------------------------- batchnorm */

/* The column-by-column loops the row-wise kernels replaced, kept here as
 * the definition they must match bit for bit. */
static void bn_forward_columns(float *y, float *xhat, float *mean, float *invstd, float *rm,
                               float *rv, const float *x, const float *gamma, const float *beta,
                               float momentum, float eps, int batch, int features)
{
    const size_t F = (size_t)features;
    const double unbias = batch > 1 ? (double)batch / (double)(batch - 1) : 1.0;
    for (size_t j = 0; j < F; j++) {
        double s = 0.0;
        for (int b = 0; b < batch; b++) s += x[(size_t)b * F + j];
        const double mu = s / batch;
        double ss = 0.0;
        for (int b = 0; b < batch; b++) {
            double d = x[(size_t)b * F + j] - mu;
            ss += d * d;
        }
        const double var = ss / batch;
        const float is = (float)(1.0 / sqrt(var + (double)eps));
        mean[j] = (float)mu;
        invstd[j] = is;
        for (int b = 0; b < batch; b++) {
            size_t k = (size_t)b * F + j;
            xhat[k] = (float)((x[k] - mu) * is);
            y[k] = gamma[j] * xhat[k] + beta[j];
        }
        rm[j] = (1.0f - momentum) * rm[j] + momentum * (float)mu;
        rv[j] = (1.0f - momentum) * rv[j] + momentum * (float)(var * unbias);
    }
}

static void bn_backward_columns(float *dx, float *dgamma, float *dbeta, const float *dy,
                                const float *xhat, const float *invstd, const float *gamma,
                                int batch, int features)
{
    const size_t F = (size_t)features;
    for (size_t j = 0; j < F; j++) {
        double sdy = 0.0, sdyx = 0.0;
        for (int b = 0; b < batch; b++) {
            size_t k = (size_t)b * F + j;
            sdy += dy[k];
            sdyx += (double)dy[k] * xhat[k];
        }
        dbeta[j] += (float)sdy;
        dgamma[j] += (float)sdyx;
        const double scale = (double)gamma[j] * invstd[j] / batch;
        for (int b = 0; b < batch; b++) {
            size_t k = (size_t)b * F + j;
            dx[k] += (float)(scale * ((double)batch * dy[k] - sdy - xhat[k] * sdyx));
        }
    }
}

static void test_batchnorm_rows_equal_columns(void **state)
{
    (void)state;
    /* Widths below, at and across the 256-column block; odd batches. */
    const int widths[4] = {3, 256, 257, 600}, batches[3] = {1, 7, 64};
    for (int wi = 0; wi < 4; wi++)
        for (int bi = 0; bi < 3; bi++) {
            const int B = batches[bi], F = widths[wi];
            const size_t n = (size_t)B * (size_t)F;
            float *buf = calloc(12 * n + 12 * (size_t)F, sizeof(float));
            assert_non_null(buf);
            float *x = buf, *dy = x + n, *y1 = dy + n, *y2 = y1 + n, *h1 = y2 + n,
                  *h2 = h1 + n, *dx1 = h2 + n, *dx2 = dx1 + n;
            float *f = dx2 + n, *g = f, *bt = g + F, *m1 = bt + F, *m2 = m1 + F,
                  *s1 = m2 + F, *s2 = s1 + F, *rm1 = s2 + F, *rm2 = rm1 + F, *rv1 = rm2 + F,
                  *rv2 = rv1 + F, *dg1 = rv2 + F, *dg2 = dg1 + F;
            /* Large offsets on some columns: the double sums matter there. */
            fill_uniform(x, n, 11u + (uint32_t)F, 40.0f, 44.0f);
            fill_uniform(dy, n, 13u, -1.0f, 1.0f);
            fill_uniform(g, (size_t)F, 17u, 0.5f, 1.5f);
            fill_uniform(bt, (size_t)F, 19u, -0.5f, 0.5f);
            for (int j = 0; j < F; j++) {
                rm1[j] = rm2[j] = 0.25f;
                rv1[j] = rv2[j] = 1.5f;
            }
            bn_forward_columns(y1, h1, m1, s1, rm1, rv1, x, g, bt, 0.1f, 1e-5f, B, F);
            nn_batchnorm_forward_train(y2, h2, m2, s2, rm2, rv2, x, g, bt, 0.1f, 1e-5f, B, F);
            assert_memory_equal(y1, y2, n * sizeof(float));
            assert_memory_equal(h1, h2, n * sizeof(float));
            assert_memory_equal(m1, m2, (size_t)F * sizeof(float));
            assert_memory_equal(s1, s2, (size_t)F * sizeof(float));
            assert_memory_equal(rm1, rm2, (size_t)F * sizeof(float));
            assert_memory_equal(rv1, rv2, (size_t)F * sizeof(float));
            /* Backward adds: start both from the same non-zero values. The
             * beta gradients go into rm1/rm2, reused as scratch. */
            for (size_t k = 0; k < n; k++) dx1[k] = dx2[k] = 0.5f;
            for (int j = 0; j < F; j++) dg1[j] = dg2[j] = rm1[j] = rm2[j] = 0.125f;
            bn_backward_columns(dx1, dg1, rm1, dy, h1, s1, g, B, F);
            nn_batchnorm_backward(dx2, dg2, rm2, dy, h2, s2, g, B, F);
            assert_memory_equal(dx1, dx2, n * sizeof(float));
            assert_memory_equal(dg1, dg2, (size_t)F * sizeof(float));
            assert_memory_equal(rm1, rm2, (size_t)F * sizeof(float));
            if (B > 1) assert_not_all_zero(dx2, n);
            free(buf);
        }
}

/* ------------------------------------------------------------------ norm2 */

static void test_norm2_partial_sums(void **state)
{
    (void)state;
    /* Lengths around the eight lanes and one large block. */
    const size_t lens[5] = {1, 7, 8, 13, 100003};
    float *x = malloc(100003 * sizeof *x);
    assert_non_null(x);
    fill_uniform(x, 100003, 23u, -2.0f, 2.0f);
    for (int li = 0; li < 5; li++) {
        double s = 0.0;
        for (size_t i = 0; i < lens[li]; i++) s += (double)x[i] * (double)x[i];
        assert_close(nn_norm2(x, lens[li]), sqrt(s), 1e-6 * sqrt(s));
    }
    const float three_four[2] = {3.0f, -4.0f};
    assert_true(nn_norm2(three_four, 2) == 5.0f);
    free(x);
}

/* ------------------------------------------------------- thread splitting */

/* Element-wise layers only, 64 x 784: large enough to be cut between two
 * threads, and no matmul, whose blocks may round differently by count. */
static nn_model *activation_model(void)
{
    const nn_layer_spec spec[] = {
        {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f}, {.kind = NN_LAYER_DROPOUT, .arg = 0.3f},
        {.kind = NN_LAYER_TANH}, {.kind = NN_LAYER_RELU}, {.kind = NN_LAYER_SIGMOID},
    };
    nn_error err = {0};
    nn_model *m = nn_model_create(784, spec, 5, 64, &err);
    assert_non_null(m);
    nn_rng r;
    nn_rng_seed(&r, 5, 0);
    nn_model_init(m, &r, NN_INIT_TORCH);
    return m;
}

static void test_activations_same_bits_at_1_and_2_threads(void **state)
{
    (void)state;
    const size_t n = 64 * 784;
    float *x = malloc(n * sizeof *x), *dy = malloc(n * sizeof *dy);
    float *y[2], *dx[2];
    assert_non_null(x);
    assert_non_null(dy);
    fill_uniform(x, n, 29u, -3.0f, 3.0f);
    fill_uniform(dy, n, 31u, -1.0f, 1.0f);
    for (int t = 0; t < 2; t++) {
        nn_set_threads(t + 1);
        nn_model *m = activation_model();
        y[t] = malloc(n * sizeof(float));
        dx[t] = malloc(n * sizeof(float));
        assert_non_null(y[t]);
        assert_non_null(dx[t]);
        memcpy(y[t], nn_model_forward(m, x, 64, 1), n * sizeof(float));
        for (size_t i = 0; i < n; i++) dx[t][i] = 0.25f; /* backward adds */
        nn_model_backward(m, dx[t], dy, 64, 1);
        nn_model_free(m);
    }
    nn_set_threads(1);
    assert_memory_equal(y[0], y[1], n * sizeof(float));
    assert_memory_equal(dx[0], dx[1], n * sizeof(float));
    /* tanh of values in (-3, 3) then relu and sigmoid: neither constant. */
    assert_true(y[0][0] != y[0][1] || y[0][1] != y[0][2]);
    for (int t = 0; t < 2; t++) {
        free(y[t]);
        free(dx[t]);
    }
    free(x);
    free(dy);
}

/* Adam over 1003 parameters at once (the vector loop, then a tail of 3)
 * against one call per parameter (the scalar loop alone), with weight decay
 * so every term is in play; three steps so the bias corrections change. */
static void test_adam_vector_equals_scalar(void **state)
{
    (void)state;
    enum { N = 1003 };
    static float p[2][N], g[N], m[2][N], v[2][N];
    fill_uniform(p[0], N, 5u, -1.0f, 1.0f);
    memcpy(p[1], p[0], sizeof p[0]);
    memset(m, 0, sizeof m);
    memset(v, 0, sizeof v);
    nn_adam opt = nn_adam_gan_defaults();
    opt.weight_decay = 1e-2f;
    for (long t = 1; t <= 3; t++) {
        fill_uniform(g, N, 11u + (uint32_t)t, -1e-2f, 1e-2f);
        nn_adam_step(&opt, t, p[0], g, m[0], v[0], N);
        for (size_t i = 0; i < N; i++) nn_adam_step(&opt, t, p[1] + i, g + i, m[1] + i, v[1] + i, 1);
    }
    assert_memory_equal(p[0], p[1], sizeof p[0]);
    assert_memory_equal(m[0], m[1], sizeof m[0]);
    assert_memory_equal(v[0], v[1], sizeof v[0]);
}

/* A model with 1.2M parameters: Adam and zero_grad are cut between threads. */
static void test_adam_same_bits_at_1_and_2_threads(void **state)
{
    (void)state;
    const nn_layer_spec spec[] = {{.kind = NN_LAYER_LINEAR, .out = 1500}};
    nn_error err = {0};
    nn_model *m[2];
    nn_adam opt = nn_adam_gan_defaults();
    for (int t = 0; t < 2; t++) {
        m[t] = nn_model_create(784, spec, 1, 2, &err);
        assert_non_null(m[t]);
        nn_rng r;
        nn_rng_seed(&r, 3, 0);
        nn_model_init(m[t], &r, NN_INIT_TORCH);
        nn_set_threads(t + 1);
        for (int step = 0; step < 3; step++) {
            nn_model_zero_grad(m[t]);
            fill_uniform(m[t]->grads, m[t]->n_params, 37u + (uint32_t)step, -1e-2f, 1e-2f);
            nn_model_adam_step(m[t], &opt);
        }
        nn_model_zero_grad(m[t]);
    }
    nn_set_threads(1);
    const size_t bytes = m[0]->n_params * sizeof(float);
    assert_memory_equal(m[0]->params, m[1]->params, bytes);
    assert_memory_equal(m[0]->adam_m, m[1]->adam_m, bytes);
    assert_memory_equal(m[0]->adam_v, m[1]->adam_v, bytes);
    assert_not_all_zero(m[1]->adam_v, m[1]->n_params);
    /* zero_grad, split or not, clears every element. */
    for (size_t i = 0; i < m[1]->n_params; i++) assert_true(m[1]->grads[i] == 0.0f);
    nn_model_free(m[0]);
    nn_model_free(m[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tanh_accuracy),
        cmocka_unit_test(test_tanh_vector_equals_scalar_and_nan),
        cmocka_unit_test(test_batchnorm_rows_equal_columns),
        cmocka_unit_test(test_norm2_partial_sums),
        cmocka_unit_test(test_activations_same_bits_at_1_and_2_threads),
        cmocka_unit_test(test_adam_vector_equals_scalar),
        cmocka_unit_test(test_adam_same_bits_at_1_and_2_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
