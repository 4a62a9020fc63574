/* ops.h - matrix multiply and the small element-wise kernels the layers use.
 *
 * nn_matmul is the one entry point every layer calls. Behind it sit the plain
 * reference loops (nn_matmul_reference, the version the lessons show) and a
 * fast path; the tests prove the two agree. All matrices are row-major.
 */
#ifndef NN_OPS_H
#define NN_OPS_H

#include <stddef.h>

/* C = op(A) . op(B)  (accumulate == 0)   or   C += op(A) . op(B)  (accumulate == 1)
 *   C: (m, n).  op(A): (m, k), where A is stored (m, k), or (k, m) when transA.
 *               op(B): (k, n), where B is stored (k, n), or (n, k) when transB.
 * The three forms training needs:
 *   forward   Y  = X . W^T        transA=0 transB=1
 *   input     dX = dY . W         transA=0 transB=0
 *   weights   dW += dY^T . X      transA=1 transB=0
 */
void nn_matmul(float *C, const float *A, const float *B, int m, int n, int k,
               int transA, int transB, int accumulate);

/* The same contract in three plain loops: readable, slow, the reference. */
void nn_matmul_reference(float *C, const float *A, const float *B, int m, int n, int k,
                         int transA, int transB, int accumulate);

/* Which kernel nn_matmul uses: NN_KERNEL_FAST (default) or NN_KERNEL_REFERENCE.
 * The environment variable GANSTEPS_KERNEL=reference selects the reference at
 * start-up. Process-wide, like a BLAS's own settings. */
enum { NN_KERNEL_FAST = 0, NN_KERNEL_REFERENCE = 1 };
void nn_set_kernel(int kernel);
int nn_get_kernel(void);

/* How many threads the fast path uses: nn_set_threads in pool.h. */

/* Y (rows, cols) += b (cols) on every row. */
void nn_add_bias(float *Y, const float *b, int rows, int cols);
/* db (cols) += column sums of dY (rows, cols). */
void nn_bias_grad(float *db, const float *dY, int rows, int cols);

void nn_scale(float *x, float a, size_t n);                 /* x *= a */
void nn_axpy(float *y, float a, const float *x, size_t n);  /* y += a*x */
float nn_sum(const float *x, size_t n);                     /* sum x (double accumulator) */
float nn_mean(const float *x, size_t n);                    /* sum x / n */
float nn_norm2(const float *x, size_t n);                   /* sqrt(sum x^2) */
float nn_max_abs(const float *x, size_t n);                 /* max |x| */
/* 1 when every x[i] is finite, 0 when any is NaN or Inf. */
int nn_all_finite(const float *x, size_t n);

#endif
