/* rng.c - PCG32 (O'Neill 2014) and the distributions built on it.
 *
 * The integer core is the reference pcg32_random_r / pcg32_srandom_r from
 * https://www.pcg-random.org/download.html (XSH RR output, 64-bit LCG state),
 * so a seed gives the same 32-bit stream as the reference code everywhere.
 */
#include "base/rng.h"

#include <assert.h>
#include <math.h>

/* The LCG multiplier of the reference implementation. */
#define PCG_MULT 6364136223846793005ULL

uint32_t nn_rng_u32(nn_rng *r)
{
    uint64_t old = r->state;
    r->state = old * PCG_MULT + r->inc;
    /* XSH RR: xorshift the high bits down, then rotate by the top 5 bits. */
    uint32_t xorshifted = (uint32_t)(((old >> 18u) ^ old) >> 27u);
    uint32_t rot = (uint32_t)(old >> 59u);
    return (xorshifted >> rot) | (xorshifted << ((-rot) & 31u));
}

void nn_rng_seed(nn_rng *r, uint64_t seed, uint64_t stream)
{
    /* pcg32_srandom_r: the increment must be odd; two steps mix the seed in. */
    r->state = 0u;
    r->inc = (stream << 1u) | 1u;
    nn_rng_u32(r);
    r->state += seed;
    nn_rng_u32(r);
    r->spare = 0.0f;
    r->has_spare = 0;
}

uint32_t nn_rng_below(nn_rng *r, uint32_t n)
{
    assert(n > 0);
    /* Lemire (2019), "Fast random integer generation in an interval": the
     * high half of x*n is uniform on [0, n) once the few low-half values that
     * would over-represent some outputs (l < 2^32 mod n) are rejected. */
    uint64_t m = (uint64_t)nn_rng_u32(r) * n;
    uint32_t l = (uint32_t)m;
    if (l < n) {
        uint32_t t = (uint32_t)(-n) % n; /* 2^32 mod n */
        while (l < t) {
            m = (uint64_t)nn_rng_u32(r) * n;
            l = (uint32_t)m;
        }
    }
    return (uint32_t)(m >> 32);
}

float nn_rng_uniform(nn_rng *r)
{
    /* 24 random bits fill a float's mantissa exactly: k * 2^-24 for
     * k in [0, 2^24) is exact in float32 and never reaches 1. */
    return (float)(nn_rng_u32(r) >> 8) * (1.0f / 16777216.0f);
}

float nn_rng_uniform_range(nn_rng *r, float lo, float hi)
{
    float x = lo + (hi - lo) * nn_rng_uniform(r);
    /* Rounding of lo + (hi-lo)*u can land on hi itself; keep the interval open. */
    return x < hi ? x : nextafterf(hi, lo);
}

float nn_rng_normal(nn_rng *r)
{
    if (r->has_spare) {
        r->has_spare = 0;
        return r->spare;
    }
    /* Box-Muller (1958): two uniforms give two independent N(0,1) values,
     * r cos(theta) now and r sin(theta) on the next call. u1 is taken from
     * (0, 1] so log(u1) is finite. Done in double so the tails are exact to
     * float precision. */
    double u1 = 1.0 - (double)nn_rng_uniform(r);
    double u2 = (double)nn_rng_uniform(r);
    double rad = sqrt(-2.0 * log(u1));
    double theta = 6.283185307179586 * u2;
    r->spare = (float)(rad * sin(theta));
    r->has_spare = 1;
    return (float)(rad * cos(theta));
}

void nn_rng_fill_normal(nn_rng *r, float *x, size_t n, float mean, float std)
{
    for (size_t i = 0; i < n; i++) x[i] = mean + std * nn_rng_normal(r);
}

void nn_rng_fill_uniform(nn_rng *r, float *x, size_t n, float lo, float hi)
{
    for (size_t i = 0; i < n; i++) x[i] = nn_rng_uniform_range(r, lo, hi);
}

void nn_rng_shuffle(nn_rng *r, int *idx, int n)
{
    /* Fisher-Yates (Durstenfeld): position i takes a uniform pick of the
     * i+1 elements not yet placed, so every permutation is equally likely. */
    for (int i = n - 1; i > 0; i--) {
        int j = (int)nn_rng_below(r, (uint32_t)i + 1u);
        int tmp = idx[i];
        idx[i] = idx[j];
        idx[j] = tmp;
    }
}
