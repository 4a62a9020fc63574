/* test_rng.c - PCG32 and the distributions built on it. */
#include "testutil.h"

#include <math.h>
#include <string.h>

#include "base/rng.h"

/* Produced by tests/reference/rng_pcg32.py, the reference pcg32_srandom_r /
 * pcg32_random_r in Python integers. Seed 42 stream 54 is also the stream of
 * the reference distribution's pcg32-demo, whose first line reads
 * 0xa15c02b7 0x7b47f409 0xba1d3330 0x83d2f293 0xbfa4784b 0xcbed606e. */
static const struct {
    uint64_t seed, stream;
    uint32_t first[6];
} KNOWN[] = {
    {42, 54, {0xa15c02b7u, 0x7b47f409u, 0xba1d3330u, 0x83d2f293u, 0xbfa4784bu, 0xcbed606eu}},
    {0, 0, {0xe4c14788u, 0x379c6516u, 0x5c4ab3bbu, 0x601d23e0u, 0x1c382b8cu, 0xd1faab16u}},
    {12345, 0, {0x1220b391u, 0x98d38aaau, 0x5bbddfa6u, 0x871ffa62u, 0x132f296fu, 0x01c7e422u}},
};

/* Box-Muller from the same stream in Python doubles (rng_pcg32.py), seed 7. */
static const float NORMALS_SEED7[6] = {-2.41747029f, 0.0158068988f, 0.339255028f,
                                       -1.38458901f, 0.76386454f, 1.70615136f};

static void test_known_outputs(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof KNOWN / sizeof KNOWN[0]; k++) {
        nn_rng r;
        nn_rng_seed(&r, KNOWN[k].seed, KNOWN[k].stream);
        for (int i = 0; i < 6; i++) assert_int_equal(nn_rng_u32(&r), KNOWN[k].first[i]);
    }
}

static void test_known_normals(void **state)
{
    (void)state;
    nn_rng r;
    nn_rng_seed(&r, 7, 0);
    float got[6];
    for (int i = 0; i < 6; i++) got[i] = nn_rng_normal(&r);
    assert_rel_close(got, NORMALS_SEED7, 6, 1e-6);
}

static void test_same_seed_same_stream(void **state)
{
    (void)state;
    nn_rng a, b;
    nn_rng_seed(&a, 2024, 0);
    nn_rng_seed(&b, 2024, 0);
    for (int i = 0; i < 1000; i++) {
        assert_int_equal(nn_rng_u32(&a), nn_rng_u32(&b));
        assert_true(nn_rng_normal(&a) == nn_rng_normal(&b));
    }
    /* Reseeding restarts the stream and drops a cached Box-Muller spare. */
    nn_rng_seed(&a, 5, 0);
    (void)nn_rng_normal(&a);   /* leaves a spare behind */
    nn_rng_seed(&a, 5, 0);
    nn_rng_seed(&b, 5, 0);
    assert_true(nn_rng_normal(&a) == nn_rng_normal(&b));
}

static void test_different_seed_or_stream_differs(void **state)
{
    (void)state;
    nn_rng a, b, c;
    nn_rng_seed(&a, 1, 0);
    nn_rng_seed(&b, 2, 0);
    nn_rng_seed(&c, 1, 1);
    int same_ab = 0, same_ac = 0;
    for (int i = 0; i < 100; i++) {
        uint32_t x = nn_rng_u32(&a), y = nn_rng_u32(&b), z = nn_rng_u32(&c);
        same_ab += x == y;
        same_ac += x == z;
    }
    assert_true(same_ab < 2);
    assert_true(same_ac < 2);
}

static void test_uniform_moments(void **state)
{
    (void)state;
    nn_rng r;
    nn_rng_seed(&r, 11, 0);
    const int n = 100000;
    double s = 0, s2 = 0;
    for (int i = 0; i < n; i++) {
        float u = nn_rng_uniform(&r);
        assert_true(u >= 0.0f && u < 1.0f);
        s += u;
        s2 += (double)u * u;
    }
    double mean = s / n, var = s2 / n - mean * mean;
    /* Standard error of the mean is sqrt(1/12/n) = 0.0009: 0.005 is > 5 sigma. */
    assert_close(mean, 0.5, 0.005);
    assert_close(var, 1.0 / 12.0, 0.002);
}

static void test_uniform_range(void **state)
{
    (void)state;
    nn_rng r;
    nn_rng_seed(&r, 12, 0);
    float x[20000];
    nn_rng_fill_uniform(&r, x, 20000, -3.0f, 5.0f);
    float lo = 1e9f, hi = -1e9f;
    double s = 0;
    for (int i = 0; i < 20000; i++) {
        assert_true(x[i] >= -3.0f && x[i] < 5.0f);
        lo = fminf(lo, x[i]);
        hi = fmaxf(hi, x[i]);
        s += x[i];
    }
    assert_true(lo < -2.99f && hi > 4.99f);   /* reaches both ends */
    assert_close(s / 20000, 1.0, 0.05);
    /* The interval stays half-open even when rounding would reach hi. */
    for (int i = 0; i < 1000; i++) assert_true(nn_rng_uniform_range(&r, 1.0f, 1.0000001f) < 1.0000001f);
}

static void test_normal_moments(void **state)
{
    (void)state;
    nn_rng r;
    nn_rng_seed(&r, 13, 0);
    const int n = 100000;
    double s = 0, s2 = 0, s4 = 0;
    int beyond3 = 0;
    for (int i = 0; i < n; i++) {
        double z = nn_rng_normal(&r);
        assert_true(isfinite(z));
        s += z;
        s2 += z * z;
        s4 += z * z * z * z;
        beyond3 += fabs(z) > 3.0;
    }
    double mean = s / n, var = s2 / n - mean * mean;
    assert_close(mean, 0.0, 0.015);          /* se 0.0032 */
    assert_close(sqrt(var), 1.0, 0.01);      /* se 0.0022 */
    assert_close(s4 / n, 3.0, 0.1);          /* kurtosis of a normal */
    /* P(|z| > 3) = 0.0027: 270 expected, sd 16. */
    assert_in_range(beyond3, 190, 350);
}

static void test_fill_normal_mean_std(void **state)
{
    (void)state;
    nn_rng r;
    nn_rng_seed(&r, 14, 0);
    static float x[100000];
    nn_rng_fill_normal(&r, x, 100000, 3.0f, 0.5f);
    double s = 0, s2 = 0;
    for (int i = 0; i < 100000; i++) {
        s += x[i];
        s2 += (double)x[i] * x[i];
    }
    double mean = s / 100000, sd = sqrt(s2 / 100000 - mean * mean);
    assert_close(mean, 3.0, 0.01);
    assert_close(sd, 0.5, 0.005);
}

static void test_below_bounds_and_coverage(void **state)
{
    (void)state;
    nn_rng r;
    nn_rng_seed(&r, 15, 0);
    for (int i = 0; i < 100; i++) assert_int_equal(nn_rng_below(&r, 1), 0);
    int counts[7] = {0};
    for (int i = 0; i < 70000; i++) {
        uint32_t k = nn_rng_below(&r, 7);
        assert_true(k < 7);
        counts[k]++;
    }
    /* Each value expected 10000 times, sd 93. */
    for (int k = 0; k < 7; k++) assert_in_range(counts[k], 9500, 10500);
    /* A bound just above 2^31 is where a plain modulo would be most biased
     * (values below 2^31 - 1 twice as likely): the halves must balance. */
    uint32_t n = 0x80000001u;
    int low = 0;
    for (int i = 0; i < 20000; i++) {
        uint32_t k = nn_rng_below(&r, n);
        assert_true(k < n);
        low += k < n / 2;
    }
    assert_in_range(low, 9500, 10500);
}

static void test_shuffle_permutation_reproducible(void **state)
{
    (void)state;
    enum { N = 1000 };
    int a[N], b[N], seen[N];
    for (int i = 0; i < N; i++) a[i] = b[i] = i;
    nn_rng r1, r2;
    nn_rng_seed(&r1, 99, 0);
    nn_rng_seed(&r2, 99, 0);
    nn_rng_shuffle(&r1, a, N);
    nn_rng_shuffle(&r2, b, N);
    assert_memory_equal(a, b, sizeof a);
    memset(seen, 0, sizeof seen);
    int fixed = 0;
    for (int i = 0; i < N; i++) {
        assert_in_range(a[i], 0, N - 1);
        seen[a[i]]++;
        fixed += a[i] == i;
    }
    for (int i = 0; i < N; i++) assert_int_equal(seen[i], 1);
    /* A random permutation has about one fixed point; the identity has N. */
    assert_true(fixed < 10);
    /* Every position is equally likely for an element: over many shuffles of
     * 4 items, item 0 lands in each slot about a quarter of the time. */
    int slot[4] = {0};
    for (int t = 0; t < 40000; t++) {
        int v[4] = {0, 1, 2, 3};
        nn_rng_shuffle(&r1, v, 4);
        for (int i = 0; i < 4; i++) if (v[i] == 0) slot[i]++;
    }
    for (int i = 0; i < 4; i++) assert_in_range(slot[i], 9600, 10400);
    nn_rng_shuffle(&r1, a, 0);   /* empty and single shuffles are fine */
    nn_rng_shuffle(&r1, a, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_outputs),
        cmocka_unit_test(test_known_normals),
        cmocka_unit_test(test_same_seed_same_stream),
        cmocka_unit_test(test_different_seed_or_stream_differs),
        cmocka_unit_test(test_uniform_moments),
        cmocka_unit_test(test_uniform_range),
        cmocka_unit_test(test_normal_moments),
        cmocka_unit_test(test_fill_normal_mean_std),
        cmocka_unit_test(test_below_bounds_and_coverage),
        cmocka_unit_test(test_shuffle_permutation_reproducible),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
