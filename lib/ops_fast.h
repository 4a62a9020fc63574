/* ops_fast.h - the fast matmul behind nn_matmul and the threads that share
 * it and the large element-wise passes (private to lib/; the public
 * contract is ops.h). */
#ifndef NN_OPS_FAST_H
#define NN_OPS_FAST_H

#include <stddef.h>

/* Threads used when GANSTEPS_THREADS is not set, and the most accepted. */
#define NN_FAST_DEFAULT_THREADS 1
#define NN_FAST_MAX_THREADS 64

/* Same contract as nn_matmul (ops.h); m, n, k > 0. */
void nn_fast_matmul(float *C, const float *A, const float *B, int m, int n, int k,
                    int transA, int transB, int accumulate);
/* The same product on the calling thread alone, for work the caller has
 * already cut between the threads (the convolutions cut theirs by images). */
void nn_fast_matmul_serial(float *C, const float *A, const float *B, int m, int n, int k,
                           int transA, int transB, int accumulate);
/* Threads the fast path may use from now on (>= 1); returns how many it got. */
int nn_fast_set_threads(int n);

/* ops_pool.c: fn(ctx, part, parts) for part = 0..parts-1 at once, part 0 on
 * the calling thread; returns when every part is done. parts <= threads. */
typedef void (*nn_pool_fn)(void *ctx, int part, int parts);
void nn_pool_run(nn_pool_fn fn, void *ctx, int parts);
/* Starts or stops workers so that `threads` (caller included) share a job;
 * returns the count reached (fewer if a thread could not be started). Not
 * to be called while a job runs. */
int nn_pool_resize(int threads);
int nn_pool_threads(void);

/* Element-wise work over [0, n): fn(ctx, lo, hi) on one block per thread
 * (blocks start on multiples of 16 elements, 64 bytes of floats), with
 * fewer blocks while a block would get under min_per_thread elements, down
 * to one call on the calling thread. Only for work where each element
 * depends on itself alone: then the result does not depend on the split,
 * not even on the thread count. */
typedef void (*nn_range_fn)(void *ctx, size_t lo, size_t hi);
void nn_pool_for(nn_range_fn fn, void *ctx, size_t n, size_t min_per_thread);

#endif
