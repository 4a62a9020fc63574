/* ops_fast.h - the fast matmul behind nn_matmul (private to lib/; the
 * public contract is ops.h). Its threads are the pool's (pool.h). */
#ifndef NN_OPS_FAST_H
#define NN_OPS_FAST_H

#include <stddef.h>

/* Same contract as nn_matmul (ops.h); m, n, k > 0. */
void nn_fast_matmul(float *C, const float *A, const float *B, int m, int n, int k,
                    int transA, int transB, int accumulate);
/* The same product on the calling thread alone, for work the caller has
 * already cut between the threads (the convolutions cut theirs by images). */
void nn_fast_matmul_serial(float *C, const float *A, const float *B, int m, int n, int k,
                           int transA, int transB, int accumulate);

#endif
