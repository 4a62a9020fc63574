/* ops_fast.c - the fast path behind nn_matmul.
 *
 * With OpenBLAS (Debian's libopenblas-dev; the Makefile defines
 * NN_HAVE_OPENBLAS when pkg-config finds it) each block goes to a
 * single-threaded cblas_sgemm. It stays ahead of a plain loop even on the
 * tiny shapes of the 2-D toy GANs (bench/README.md has the measurements),
 * so there is no size dispatch to a loop. OpenBLAS picks its AVX2/AVX-512
 * kernels at run time, so the default build needs no -march.
 *
 * Threads are ours, not OpenBLAS's: C is cut into one block per thread
 * (along its longer side, at multiples of 16 so no cache line is shared)
 * and each block is one sgemm; at batch 64 this beat OpenBLAS's own
 * threading (bench/README.md).
 * Every element of C is summed over k by one call in one order, so a given
 * thread count gives the same bits on every run. Products below
 * SPLIT_MIN_MACS stay on one thread: waking the other costs more than it
 * saves.
 *
 * Without OpenBLAS a portable kernel keeps the build working: loops ordered
 * so the innermost one walks contiguous memory (the compiler can vectorise
 * it without reordering any sum), slower than OpenBLAS.
 */
#include "kernels/ops.h"
#include "kernels/ops_fast.h"
#include "kernels/pool.h"

#include <stddef.h>
#include <string.h>

#ifdef NN_HAVE_OPENBLAS
#include <cblas.h>
#include <pthread.h>
#endif

/* Below this many multiply-adds a product runs on one thread (measured:
 * 64x300x100 = 1.9M gained nothing from two, 128x100x300 = 3.8M gained 1.5x). */
#define SPLIT_MIN_MACS 2500000L
/* Blocks start at multiples of this many rows or columns: 64 bytes of floats,
 * and a multiple of OpenBLAS's register tile. */
#define SPLIT_ALIGN 16

/* One product on one thread, with explicit leading dimensions (the stored
 * width of each row-major matrix), so a block of a larger product is just
 * offset pointers. beta is 0 (overwrite) or 1 (accumulate). */
#ifdef NN_HAVE_OPENBLAS
/* Each block is one single-threaded sgemm; OpenBLAS's own threads would only
 * compete with ours. Said once, before the first product. */
static pthread_once_t blas_once = PTHREAD_ONCE_INIT;
static void blas_single_threaded(void)
{
    openblas_set_num_threads(1);
}

static void gemm_block(float *C, const float *A, const float *B, int m, int n, int k,
                       int transA, int transB, float beta, int lda, int ldb, int ldc)
{
    pthread_once(&blas_once, blas_single_threaded);
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans,
                transB ? CblasTrans : CblasNoTrans, m, n, k, 1.0f, A, lda, B, ldb, beta, C, ldc);
}
#else
static void gemm_block(float *C, const float *A, const float *B, int m, int n, int k,
                       int transA, int transB, float beta, int lda, int ldb, int ldc)
{
    for (int i = 0; i < m; i++) {
        float *c = C + (size_t)i * (size_t)ldc;
        if (beta == 0.0f) memset(c, 0, (size_t)n * sizeof *c);
        if (!transB) {
            /* Row i of C is a sum of rows of B scaled by row i of op(A):
             * the inner loop is an axpy over contiguous memory. */
            for (int p = 0; p < k; p++) {
                float a = transA ? A[(size_t)p * lda + i] : A[(size_t)i * lda + p];
                const float *b = B + (size_t)p * (size_t)ldb;
                for (int j = 0; j < n; j++) c[j] += a * b[j];
            }
        } else {
            /* B stored (n, k): each C[i][j] is a dot product of rows. */
            for (int j = 0; j < n; j++) {
                const float *b = B + (size_t)j * (size_t)ldb;
                float s = 0.0f;
                for (int p = 0; p < k; p++)
                    s += (transA ? A[(size_t)p * lda + i] : A[(size_t)i * lda + p]) * b[p];
                c[j] += s;
            }
        }
    }
}
#endif

typedef struct {
    float *C;
    const float *A, *B;
    int m, n, k, transA, transB;
    float beta;
    int split_rows; /* 1: blocks of rows of C; 0: blocks of columns */
} gemm_job;

/* [*lo, *hi) of `size` for block `part` of `parts`, starting on SPLIT_ALIGN. */
static void block_range(int size, int part, int parts, int *lo, int *hi)
{
    int chunk = (size + parts - 1) / parts;
    chunk = (chunk + SPLIT_ALIGN - 1) / SPLIT_ALIGN * SPLIT_ALIGN;
    *lo = part * chunk < size ? part * chunk : size;
    *hi = *lo + chunk < size ? *lo + chunk : size;
}

static void gemm_part(void *ctx, int part, int parts)
{
    const gemm_job *j = ctx;
    int lda = j->transA ? j->m : j->k;
    int ldb = j->transB ? j->k : j->n;
    int lo, hi;
    if (j->split_rows) {
        block_range(j->m, part, parts, &lo, &hi);
        if (hi <= lo) return;
        /* Rows lo..hi of op(A): columns of A when it is stored transposed. */
        const float *A = j->transA ? j->A + lo : j->A + (size_t)lo * (size_t)lda;
        gemm_block(j->C + (size_t)lo * (size_t)j->n, A, j->B, hi - lo, j->n, j->k, j->transA,
                   j->transB, j->beta, lda, ldb, j->n);
    } else {
        block_range(j->n, part, parts, &lo, &hi);
        if (hi <= lo) return;
        /* Columns lo..hi of op(B): rows of B when it is stored transposed. */
        const float *B = j->transB ? j->B + (size_t)lo * (size_t)ldb : j->B + lo;
        gemm_block(j->C + lo, j->A, B, j->m, hi - lo, j->k, j->transA, j->transB, j->beta, lda,
                   ldb, j->n);
    }
}

void nn_fast_matmul(float *C, const float *A, const float *B, int m, int n, int k,
                    int transA, int transB, int accumulate)
{
    gemm_job job = {C, A, B, m, n, k, transA, transB, accumulate ? 1.0f : 0.0f, m > n};
    int longer = m > n ? m : n;
    int parts = nn_get_threads(); /* GANSTEPS_THREADS read on first use */
    /* As many blocks as threads, unless the product is too small to pay for
     * the hand-over or the longer side too short to give each a block. */
    if ((long)m * n * k < SPLIT_MIN_MACS) parts = 1;
    while (parts > 1 && (parts - 1) * SPLIT_ALIGN >= longer) parts--;
    nn_pool_run(gemm_part, &job, parts);
}

void nn_fast_matmul_serial(float *C, const float *A, const float *B, int m, int n, int k,
                           int transA, int transB, int accumulate)
{
    if (m == 0 || n == 0) return;
    if (k == 0) {
        /* An empty sum, as in nn_matmul: a BLAS rejects a leading dimension of 0. */
        if (!accumulate) memset(C, 0, (size_t)m * (size_t)n * sizeof *C);
        return;
    }
    gemm_block(C, A, B, m, n, k, transA, transB, accumulate ? 1.0f : 0.0f, transA ? m : k,
               transB ? k : n, n);
}
