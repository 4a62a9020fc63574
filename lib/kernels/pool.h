/* pool.h - the threads that share the library's heavy work: the blocks of
 * the fast matmul, the convolutions' images and the large element-wise
 * passes. The pool owns the thread count; everything that splits work asks
 * it (nn_get_threads), and nothing in the pool calls back up.
 */
#ifndef NN_POOL_H
#define NN_POOL_H

#include <stddef.h>

/* Threads used when GANSTEPS_THREADS is not set, and the most accepted. */
#define NN_DEFAULT_THREADS 1
#define NN_MAX_THREADS 64

/* Threads the library may use (>= 1, caller included). GANSTEPS_THREADS sets
 * it on first use; results are identical run to run at a given thread count.
 * Process-wide, like a BLAS's own settings. nn_set_threads starts or stops
 * workers (fewer if the system refuses one: nn_get_threads says how many
 * run); not to be called while a job runs. */
void nn_set_threads(int n);
int nn_get_threads(void);

/* fn(ctx, part, parts) for part = 0..parts-1 at once, part 0 on the calling
 * thread; returns when every part is done. parts <= nn_get_threads(). */
typedef void (*nn_pool_fn)(void *ctx, int part, int parts);
void nn_pool_run(nn_pool_fn fn, void *ctx, int parts);

/* Element-wise work over [0, n): fn(ctx, lo, hi) on one block per thread
 * (blocks start on multiples of 16 elements, 64 bytes of floats), with
 * fewer blocks while a block would get under min_per_thread elements, down
 * to one call on the calling thread. Only for work where each element
 * depends on itself alone: then the result does not depend on the split,
 * not even on the thread count. */
typedef void (*nn_range_fn)(void *ctx, size_t lo, size_t hi);
void nn_pool_for(nn_range_fn fn, void *ctx, size_t n, size_t min_per_thread);

#endif
