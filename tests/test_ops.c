/* test_ops.c - matmul (reference loops and fast path) and the element-wise
 * helpers of ops.h.
 *
 * The reference is checked on a case small enough to work by hand; the fast
 * path is then checked against the reference on every transpose form, with
 * and without accumulate, on sizes that do not divide any SIMD width or
 * block (1, 7, 63, 65, 784) and on the shapes the MLP GAN really uses.
 */
#include "testutil.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/common.h"
#include "kernels/ops.h"
#include "kernels/pool.h"

/* ---------------------------------------------------------------- helpers */

/* A small LCG, so the test data does not depend on the library's rng. */
static void fill_uniform(float *x, size_t n, uint32_t seed)
{
    uint32_t s = seed * 2654435761u + 1u;
    for (size_t i = 0; i < n; i++) {
        s = s * 1664525u + 1013904223u;
        x[i] = (float)(s >> 8) / 8388608.0f - 1.0f; /* [-1, 1) */
    }
}

/* Runs nn_matmul with the given kernel selected, restoring the fast path. */
static void matmul_with(int kernel, float *C, const float *A, const float *B, int m, int n,
                        int k, int ta, int tb, int acc)
{
    nn_set_kernel(kernel);
    nn_matmul(C, A, B, m, n, k, ta, tb, acc);
    nn_set_kernel(NN_KERNEL_FAST);
}

/* ---------------------------------------------------------------- environment */

/* In a child process (the settings are read once, on first use, and this
 * process has not used them yet): sets `name` to `value`, then returns what
 * nn_get_kernel (kernel = 1) or nn_get_threads (kernel = 0) reports. */
static int setting_in_child(const char *name, const char *value, int kernel)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        setenv(name, value, 1);
        _exit(kernel ? nn_get_kernel() : nn_get_threads());
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

/* Must run first: once nn_matmul has run here, the children would inherit
 * settings already read. */
static void test_environment_settings(void **state)
{
    (void)state;
    assert_int_equal(setting_in_child("GANSTEPS_KERNEL", "reference", 1), NN_KERNEL_REFERENCE);
    assert_int_equal(setting_in_child("GANSTEPS_KERNEL", "fast", 1), NN_KERNEL_FAST);
    assert_int_equal(setting_in_child("GANSTEPS_THREADS", "2", 0), 2);
    assert_int_equal(setting_in_child("GANSTEPS_THREADS", "3", 0), 3);
    /* Not a number, or below 1: the default, one thread. */
    assert_int_equal(setting_in_child("GANSTEPS_THREADS", "two", 0), 1);
    assert_int_equal(setting_in_child("GANSTEPS_THREADS", "0", 0), 1);
}

/* ---------------------------------------------------------------- hand case */

/* A = [1 2 3; 4 5 6] (2x3), B = [7 8; 9 10; 11 12] (3x2):
 *   A.B = [1*7+2*9+3*11  1*8+2*10+3*12; 4*7+5*9+6*11  4*8+5*10+6*12]
 *       = [58 64; 139 154]
 * The same product is asked for in each storage form: A or A^T stored, B or
 * B^T stored; the answer must not change. */
static const float HA[6] = {1, 2, 3, 4, 5, 6};     /* A (2, 3) */
static const float HAt[6] = {1, 4, 2, 5, 3, 6};    /* A^T stored (3, 2) */
static const float HB[6] = {7, 8, 9, 10, 11, 12};  /* B (3, 2) */
static const float HBt[6] = {7, 9, 11, 8, 10, 12}; /* B^T stored (2, 3) */
static const float HC[4] = {58, 64, 139, 154};

static void check_hand_case(int kernel)
{
    for (int ta = 0; ta <= 1; ta++) {
        for (int tb = 0; tb <= 1; tb++) {
            const float *A = ta ? HAt : HA;
            const float *B = tb ? HBt : HB;
            /* Overwrite: whatever C held before is gone. */
            float C[4] = {-100, 7, 1e6f, NAN};
            matmul_with(kernel, C, A, B, 2, 2, 3, ta, tb, 0);
            for (int i = 0; i < 4; i++) assert_close(C[i], HC[i], 1e-4);
            /* Accumulate: C = 1 + A.B. */
            float Cacc[4] = {1, 1, 1, 1};
            matmul_with(kernel, Cacc, A, B, 2, 2, 3, ta, tb, 1);
            for (int i = 0; i < 4; i++) assert_close(Cacc[i], HC[i] + 1.0f, 1e-4);
        }
    }
}

static void test_reference_hand_case(void **state)
{
    (void)state;
    check_hand_case(NN_KERNEL_REFERENCE);
    /* And the reference called directly, as the lessons call it. */
    float C[4];
    nn_matmul_reference(C, HA, HBt, 2, 2, 3, 0, 1, 0);
    for (int i = 0; i < 4; i++) assert_close(C[i], HC[i], 1e-4);
}

static void test_fast_hand_case(void **state)
{
    (void)state;
    check_hand_case(NN_KERNEL_FAST);
}

/* k = 0 is an empty sum: overwrite gives zeros, accumulate leaves C alone. */
static void test_empty_inner_dimension(void **state)
{
    (void)state;
    for (int kernel = 0; kernel <= 1; kernel++) {
        float C[4] = {3, 3, 3, 3};
        matmul_with(kernel, C, HA, HB, 2, 2, 0, 0, 0, 1);
        for (int i = 0; i < 4; i++) assert_true(C[i] == 3.0f);
        matmul_with(kernel, C, HA, HB, 2, 2, 0, 0, 0, 0);
        for (int i = 0; i < 4; i++) assert_true(C[i] == 0.0f);
    }
}

/* ---------------------------------------------------------------- fast vs reference */

/* Fast path against reference for all four transpose forms and both
 * accumulate modes, on one (m, n, k). */
static void check_against_reference(int m, int n, int k)
{
    size_t na = (size_t)m * (size_t)k, nb = (size_t)k * (size_t)n, nc = (size_t)m * (size_t)n;
    float *A = nn_alloc(na, sizeof *A), *B = nn_alloc(nb, sizeof *B);
    float *C0 = nn_alloc(nc, sizeof *C0);
    float *Cr = nn_alloc(nc, sizeof *Cr), *Cf = nn_alloc(nc, sizeof *Cf);
    assert_true(A && B && C0 && Cr && Cf);
    fill_uniform(A, na, (uint32_t)(m * 131 + n * 7 + k));
    fill_uniform(B, nb, (uint32_t)(m + n * 17 + k * 3));
    fill_uniform(C0, nc, 99u);
    for (int ta = 0; ta <= 1; ta++) {
        for (int tb = 0; tb <= 1; tb++) {
            for (int acc = 0; acc <= 1; acc++) {
                memcpy(Cr, C0, nc * sizeof *Cr);
                memcpy(Cf, C0, nc * sizeof *Cf);
                matmul_with(NN_KERNEL_REFERENCE, Cr, A, B, m, n, k, ta, tb, acc);
                matmul_with(NN_KERNEL_FAST, Cf, A, B, m, n, k, ta, tb, acc);
                if (nc > 1) assert_not_all_zero(Cr, nc);
                assert_rel_close(Cf, Cr, nc, 1e-5);
            }
        }
    }
    nn_free(A);
    nn_free(B);
    nn_free(C0);
    nn_free(Cr);
    nn_free(Cf);
}

static void test_fast_matches_reference_odd_sizes(void **state)
{
    (void)state;
    /* Each odd size in every position at least once. */
    static const int sizes[][3] = {
        {1, 1, 1},    {7, 7, 7},     {63, 63, 63}, {65, 65, 65},  {1, 7, 63},
        {7, 63, 65},  {63, 65, 1},   {65, 1, 7},   {784, 7, 1},   {7, 784, 63},
        {63, 1, 784}, {1, 65, 784},  {65, 784, 7}, {784, 63, 65},
    };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        check_against_reference(sizes[i][0], sizes[i][1], sizes[i][2]);
}

static void test_fast_matches_reference_gan_shapes(void **state)
{
    (void)state;
    /* The MLP GAN's D first layer at batch 64 (784 -> 300) in its three
     * forms, a batch of 128, and the 2-D toy GANs' tiny widths. */
    static const int shapes[][3] = {
        {64, 300, 784}, {64, 784, 300}, {300, 784, 64}, {128, 100, 300},
        {256, 128, 2},  {256, 2, 128},  {512, 1, 128},  {128, 128, 512},
    };
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
        check_against_reference(shapes[i][0], shapes[i][1], shapes[i][2]);
}

/* ---------------------------------------------------------------- threads */

/* The same product twice at a given thread count must give the same bits,
 * and both thread counts must agree with the reference. */
static void test_threads_deterministic(void **state)
{
    (void)state;
    const int m = 256, n = 300, k = 784;
    size_t na = (size_t)m * k, nb = (size_t)n * k, nc = (size_t)m * n;
    float *A = nn_alloc(na, sizeof *A), *B = nn_alloc(nb, sizeof *B);
    float *C1 = nn_alloc(nc, sizeof *C1), *C2 = nn_alloc(nc, sizeof *C2);
    float *Cr = nn_alloc(nc, sizeof *Cr);
    assert_true(A && B && C1 && C2 && Cr);
    fill_uniform(A, na, 1u);
    fill_uniform(B, nb, 2u);
    nn_matmul_reference(Cr, A, B, m, n, k, 0, 1, 0);
    int saved = nn_get_threads();
    for (int t = 1; t <= 2; t++) {
        nn_set_threads(t);
        assert_int_equal(nn_get_threads(), t);
        for (int run = 0; run < 3; run++) {
            nn_matmul(C1, A, B, m, n, k, 0, 1, 0);
            nn_matmul(C2, A, B, m, n, k, 0, 1, 0);
            assert_memory_equal(C1, C2, nc * sizeof *C1);
        }
        assert_rel_close(C1, Cr, nc, 1e-5);
    }
    nn_set_threads(saved);
    nn_free(A);
    nn_free(B);
    nn_free(C1);
    nn_free(C2);
    nn_free(Cr);
}

static void test_kernel_setting(void **state)
{
    (void)state;
    nn_set_kernel(NN_KERNEL_REFERENCE);
    assert_int_equal(nn_get_kernel(), NN_KERNEL_REFERENCE);
    nn_set_kernel(NN_KERNEL_FAST);
    assert_int_equal(nn_get_kernel(), NN_KERNEL_FAST);
}

/* ---------------------------------------------------------------- element-wise */

static void test_add_bias(void **state)
{
    (void)state;
    float Y[6] = {1, 2, 3, 4, 5, 6}; /* (2, 3) */
    const float b[3] = {10, -20, 0.5f};
    const float want[6] = {11, -18, 3.5f, 14, -15, 6.5f};
    nn_add_bias(Y, b, 2, 3);
    for (int i = 0; i < 6; i++) assert_close(Y[i], want[i], 1e-6);
}

static void test_bias_grad_adds_column_sums(void **state)
{
    (void)state;
    const float dY[6] = {1, 2, 3, 4, 5, 6}; /* (2, 3): column sums 5 7 9 */
    float db[3] = {1, 1, 1};                /* += keeps what was there */
    nn_bias_grad(db, dY, 2, 3);
    assert_close(db[0], 6, 1e-6);
    assert_close(db[1], 8, 1e-6);
    assert_close(db[2], 10, 1e-6);
}

static void test_scale_axpy(void **state)
{
    (void)state;
    float x[3] = {1, -2, 4};
    nn_scale(x, -0.5f, 3);
    assert_close(x[0], -0.5, 1e-7);
    assert_close(x[1], 1.0, 1e-7);
    assert_close(x[2], -2.0, 1e-7);
    float y[3] = {1, 1, 1};
    const float d[3] = {2, 4, -6};
    nn_axpy(y, 0.25f, d, 3); /* y = 1 + d/4 */
    assert_close(y[0], 1.5, 1e-7);
    assert_close(y[1], 2.0, 1e-7);
    assert_close(y[2], -0.5, 1e-7);
}

static void test_sum_mean_use_double(void **state)
{
    (void)state;
    /* 2^24 + 1 + 1 + 1 + 1: a float accumulator stays at 2^24 (each +1 is
     * lost to rounding); a double one reaches 2^24 + 4, which is a float. */
    const float x[5] = {16777216.0f, 1, 1, 1, 1};
    assert_true(nn_sum(x, 5) == 16777220.0f);
    assert_true(nn_mean(x, 5) == (float)(16777220.0 / 5.0));
    const float h[4] = {1, 2, 3, -10};
    assert_close(nn_sum(h, 4), -4.0, 1e-7);
    assert_close(nn_mean(h, 4), -1.0, 1e-7);
    assert_close(nn_sum(h, 0), 0.0, 0);
    assert_close(nn_mean(h, 0), 0.0, 0);
}

static void test_norm2_max_abs(void **state)
{
    (void)state;
    const float x[4] = {3, -4, 0, 0}; /* |x| = 5 */
    assert_close(nn_norm2(x, 4), 5.0, 1e-6);
    assert_close(nn_max_abs(x, 4), 4.0, 0);
    const float y[3] = {-7.5f, 2, 7};
    assert_close(nn_max_abs(y, 3), 7.5, 0);
    assert_close(nn_norm2(y, 0), 0.0, 0);
    assert_close(nn_max_abs(y, 0), 0.0, 0);
    /* Squares that overflow float still give a finite norm through the
     * double accumulator: sqrt(2) * 1e20. */
    const float big[2] = {1e20f, -1e20f};
    assert_close(nn_norm2(big, 2) / 1e20, sqrt(2.0), 1e-6);
    /* A NaN is reported, not hidden behind a later larger value. */
    const float bad[3] = {1, NAN, 5};
    assert_true(isnan(nn_max_abs(bad, 3)));
}

static void test_all_finite(void **state)
{
    (void)state;
    float x[5] = {0, -1e30f, 3.5f, 1e-40f, -0.0f};
    assert_int_equal(nn_all_finite(x, 5), 1);
    assert_int_equal(nn_all_finite(x, 0), 1);
    x[2] = NAN;
    assert_int_equal(nn_all_finite(x, 5), 0);
    x[2] = INFINITY;
    assert_int_equal(nn_all_finite(x, 5), 0);
    x[2] = -INFINITY;
    assert_int_equal(nn_all_finite(x, 5), 0);
    /* The last element is looked at too. */
    x[2] = 1.0f;
    x[4] = NAN;
    assert_int_equal(nn_all_finite(x, 5), 0);
    assert_int_equal(nn_all_finite(x, 4), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_environment_settings),
        cmocka_unit_test(test_reference_hand_case),
        cmocka_unit_test(test_fast_hand_case),
        cmocka_unit_test(test_empty_inner_dimension),
        cmocka_unit_test(test_fast_matches_reference_odd_sizes),
        cmocka_unit_test(test_fast_matches_reference_gan_shapes),
        cmocka_unit_test(test_threads_deterministic),
        cmocka_unit_test(test_kernel_setting),
        cmocka_unit_test(test_add_bias),
        cmocka_unit_test(test_bias_grad_adds_column_sums),
        cmocka_unit_test(test_scale_axpy),
        cmocka_unit_test(test_sum_mean_use_double),
        cmocka_unit_test(test_norm2_max_abs),
        cmocka_unit_test(test_all_finite),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
