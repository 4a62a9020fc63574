/* rng.h - a seeded random number generator (PCG32, O'Neill 2014,
 * https://www.pcg-random.org). The same seed gives the same stream on every
 * machine: only integer arithmetic of fixed width is used to make bits, and
 * floats are made from them the same way everywhere. Never rand().
 */
#ifndef NN_RNG_H
#define NN_RNG_H

#include <stdint.h>
#include <stddef.h>

typedef struct {
    uint64_t state;     /* PCG32 state */
    uint64_t inc;       /* stream selector, always odd */
    float spare;        /* second Box-Muller value, used on the next call */
    int has_spare;
} nn_rng;

/* Seeds the generator; stream picks one of 2^63 independent sequences (use 0
 * unless two generators must not overlap for the same seed). */
void nn_rng_seed(nn_rng *r, uint64_t seed, uint64_t stream);
uint32_t nn_rng_u32(nn_rng *r);                   /* uniform on [0, 2^32) */
uint32_t nn_rng_below(nn_rng *r, uint32_t n);     /* uniform on [0, n), unbiased */
float nn_rng_uniform(nn_rng *r);                  /* uniform on [0, 1), 24 bits */
float nn_rng_uniform_range(nn_rng *r, float lo, float hi); /* uniform on [lo, hi) */
float nn_rng_normal(nn_rng *r);                   /* N(0, 1), Box-Muller */
/* x[i] ~ N(mean, std^2) for i < n. */
void nn_rng_fill_normal(nn_rng *r, float *x, size_t n, float mean, float std);
/* x[i] ~ U[lo, hi) for i < n. */
void nn_rng_fill_uniform(nn_rng *r, float *x, size_t n, float lo, float hi);
/* Fisher-Yates shuffle of idx[0..n). */
void nn_rng_shuffle(nn_rng *r, int *idx, int n);

#endif
