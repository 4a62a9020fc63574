/* ops.c - the reference matmul, kernel selection and the element-wise helpers.
 *
 * nn_matmul_reference is the version the lessons show: three loops, one
 * multiply-add in the middle. nn_matmul dispatches to the fast path in
 * ops_fast.c (its threads are the pool's, pool.c) unless the reference was
 * asked for (nn_set_kernel or GANSTEPS_KERNEL=reference), which is how a
 * student checks that a change in speed changed nothing else.
 */
#include "kernels/ops.h"
#include "kernels/ops_fast.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- settings */

/* -1 means "not read yet": the environment is consulted on first use, so a
 * program that never calls nn_set_kernel still honours GANSTEPS_KERNEL. */
static int g_kernel = -1;

static int kernel_from_env(void)
{
    const char *s = getenv("GANSTEPS_KERNEL");
    if (s && strcmp(s, "reference") == 0) return NN_KERNEL_REFERENCE;
    return NN_KERNEL_FAST;
}

void nn_set_kernel(int kernel)
{
    assert(kernel == NN_KERNEL_FAST || kernel == NN_KERNEL_REFERENCE);
    g_kernel = kernel;
}

int nn_get_kernel(void)
{
    if (g_kernel < 0) g_kernel = kernel_from_env();
    return g_kernel;
}

/* ---------------------------------------------------------------- matmul */

void nn_matmul_reference(float *C, const float *A, const float *B, int m, int n, int k,
                         int transA, int transB, int accumulate)
{
    assert(m >= 0 && n >= 0 && k >= 0);
    for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
            /* C[i][j] = sum_p op(A)[i][p] * op(B)[p][j], summed in p order.
             * A stored transposed is (k, m), so op(A)[i][p] sits at row p,
             * column i; likewise B stored transposed is (n, k). */
            float acc = 0.0f;
            for (int p = 0; p < k; p++) {
                float a = transA ? A[(size_t)p * m + i] : A[(size_t)i * k + p];
                float b = transB ? B[(size_t)j * k + p] : B[(size_t)p * n + j];
                acc += a * b;
            }
            float *c = &C[(size_t)i * n + j];
            *c = accumulate ? *c + acc : acc;
        }
    }
}

void nn_matmul(float *C, const float *A, const float *B, int m, int n, int k,
               int transA, int transB, int accumulate)
{
    assert(m >= 0 && n >= 0 && k >= 0);
    if (m == 0 || n == 0) return;
    if (k == 0) {
        /* An empty sum is zero; handled here because a BLAS rejects a
         * leading dimension of 0. */
        if (!accumulate) memset(C, 0, (size_t)m * (size_t)n * sizeof *C);
        return;
    }
    if (nn_get_kernel() == NN_KERNEL_REFERENCE) {
        nn_matmul_reference(C, A, B, m, n, k, transA, transB, accumulate);
        return;
    }
    nn_fast_matmul(C, A, B, m, n, k, transA, transB, accumulate);
}

/* ---------------------------------------------------------------- element-wise */

void nn_add_bias(float *Y, const float *b, int rows, int cols)
{
    for (int i = 0; i < rows; i++) {
        float *y = Y + (size_t)i * (size_t)cols;
        for (int j = 0; j < cols; j++) y[j] += b[j];
    }
}

void nn_bias_grad(float *db, const float *dY, int rows, int cols)
{
    /* Row by row, so the inner loop walks memory in order and vectorises;
     * every column still sums its rows in order 0..rows-1. */
    for (int i = 0; i < rows; i++) {
        const float *d = dY + (size_t)i * (size_t)cols;
        for (int j = 0; j < cols; j++) db[j] += d[j];
    }
}

void nn_scale(float *x, float a, size_t n)
{
    for (size_t i = 0; i < n; i++) x[i] *= a;
}

void nn_axpy(float *y, float a, const float *x, size_t n)
{
    for (size_t i = 0; i < n; i++) y[i] += a * x[i];
}

float nn_sum(const float *x, size_t n)
{
    /* A double accumulator: a float one loses the small terms once the sum
     * is large (784*64 pixels near 1 already costs digits). */
    double s = 0.0;
    for (size_t i = 0; i < n; i++) s += x[i];
    return (float)s;
}

float nn_mean(const float *x, size_t n)
{
    if (n == 0) return 0.0f;
    double s = 0.0;
    for (size_t i = 0; i < n; i++) s += x[i];
    return (float)(s / (double)n);
}

/* Partial sums nn_norm2 keeps: one add takes 4 cycles to finish, and a
 * core starts two a cycle, so eight independent sums keep it busy. */
#define NORM2_LANES 8

float nn_norm2(const float *x, size_t n)
{
    /* Lessons log the gradient norm of every parameter twice a step, and
     * one running sum makes each add wait for the previous one. Eight sums,
     * element i into sum i % 8, added up in a fixed order at the end: the
     * same bits on every run, at the speed of memory. */
    double part[NORM2_LANES] = {0.0};
    size_t i = 0;
    for (; i + NORM2_LANES <= n; i += NORM2_LANES)
        for (int k = 0; k < NORM2_LANES; k++)
            part[k] += (double)x[i + k] * (double)x[i + k];
    for (int k = 0; i < n; i++, k++) part[k] += (double)x[i] * (double)x[i];
    double s = ((part[0] + part[1]) + (part[2] + part[3])) +
               ((part[4] + part[5]) + (part[6] + part[7]));
    return (float)sqrt(s);
}

float nn_max_abs(const float *x, size_t n)
{
    float m = 0.0f;
    for (size_t i = 0; i < n; i++) {
        float a = fabsf(x[i]);
        /* A NaN is returned as soon as it is seen: hiding it behind a later
         * finite maximum would make a diverged run look healthy. */
        if (isnan(a)) return a;
        if (a > m) m = a;
    }
    return m;
}

int nn_all_finite(const float *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i])) return 0;
    return 1;
}
