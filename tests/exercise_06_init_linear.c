/* Exercise 6: nn_init_linear fills one linear layer, w (out, in) and b (out),
 * by kind: DCGAN's N(0, 0.02) drawn in order from the rng, torch's default
 * (weights and biases uniform), He and Xavier with init.h's formulas. w and
 * b start as garbage (7) so that "left untouched" shows.
 *
 * The spreads are measured on layers of 30,000 to 120,000 weights, where a
 * sample standard deviation is within about 0.3% of the true one; the
 * tolerances are 1% or more, and the seeds are fixed, so the test is exact
 * and repeatable. */
#define EX_NUM 6
#define EX_FUNC "nn_init_linear"
#include "exercise_util.h"
#include "nn.h"

typedef struct {
    double mean, sd, maxabs;
} stats;

static stats measure(const float *v, size_t n)
{
    double s = 0.0, s2 = 0.0, m = 0.0;
    for (size_t i = 0; i < n; i++) {
        s += v[i];
        s2 += (double)v[i] * v[i];
        if (fabs(v[i]) > m) m = fabs(v[i]);
    }
    stats st = {s / (double)n, 0.0, m};
    st.sd = sqrt(fmax(0.0, s2 / (double)n - st.mean * st.mean));
    return st;
}

/* A fresh layer full of 7s, initialised by kind from seed. The big layers
 * share one static buffer (no allocation, so a failed check leaks nothing). */
static float big_w[400 * 300], big_b[300];

static void init_layer(float *w, float *b, int in, int out, nn_init_kind kind, float slope,
                       uint64_t seed)
{
    size_t nw = (size_t)in * (size_t)out;
    for (size_t i = 0; i < nw; i++) w[i] = 7.0f;
    for (int i = 0; i < out; i++) b[i] = 7.0f;
    nn_rng r;
    nn_rng_seed(&r, seed, 0);
    nn_init_linear(&r, w, b, in, out, kind, slope);
}

static void expect_zero_biases(const float *b, int out, const char *kind)
{
    for (int i = 0; i < out; i++) {
        ex_expect(b[i] != 7.0f, "%s: b[%d] is still 7, what it held before: every kind but "
                  "NN_INIT_TORCH sets the out biases to 0", kind, i);
        ex_expect(b[i] == 0.0f, "%s: b[%d] is %g; every kind but NN_INIT_TORCH starts the "
                  "biases at exactly 0", kind, i, (double)b[i]);
    }
}

static void expect_weights_written(const float *w, size_t n, const char *kind)
{
    size_t untouched = 0;
    for (size_t i = 0; i < n; i++) untouched += w[i] == 7.0f;
    ex_expect(untouched == 0, "%s: %zu of the out * in = %zu weights still hold their old "
              "value (7): fill all of them", kind, untouched, n);
}

/* The weights' standard deviation against the formula's, with names for the
 * usual slips (rel: allowed relative error). */
static void expect_sd(stats st, size_t n, double want, double rel, const char *kind,
                      const char *formula)
{
    /* the sample mean of n draws is within want / sqrt(n) of 0, typically */
    ex_expect(fabs(st.mean) < 5.0 * want / sqrt((double)n), "%s: the mean is %g; it should "
              "be about 0 (std %g)", kind, st.mean, want);
    ex_expect(fabs(st.sd - want) <= rel * want, "%s: the standard deviation is %.5g, "
              "expected %.5g = %s", kind, st.sd, want, formula);
}

/* ---------------------------------------------------------------- DCGAN */

enum { IN = 300, OUT = 200 };

static void test_normal_002_spread(void **state)
{
    (void)state;
    float *w = big_w, *b = big_b;
    init_layer(w, b, IN, OUT, NN_INIT_NORMAL_002, 0.2f, 6);
    expect_zero_biases(b, OUT, "NN_INIT_NORMAL_002");
    expect_weights_written(w, (size_t)IN * OUT, "NN_INIT_NORMAL_002");
    stats st = measure(w, (size_t)IN * OUT);
    ex_expect(!(fabs(st.sd - 0.0004) < 0.0001), "NN_INIT_NORMAL_002: the weights' standard "
              "deviation is %.3g: 0.02 is the standard deviation, not the variance", st.sd);
    ex_expect(!(fabs(st.sd - 1.0) < 0.05), "NN_INIT_NORMAL_002: the weights' standard "
              "deviation is %.3g: N(0, 1) draws, not scaled by 0.02", st.sd);
    expect_sd(st, (size_t)IN * OUT, 0.02, 0.015, "NN_INIT_NORMAL_002 on 300 x 200",
              "0.02 (DCGAN)");
}

/* The contract that makes one seed fix the whole model: w[k] is 0.02 times
 * the k-th nn_rng_normal of the rng passed in, in storage order, and the rng
 * comes out advanced by exactly out * in draws (the next layer's start). A
 * copy of the rng, taken before the call, replays that stream. */
static void test_normal_002_stream(void **state)
{
    (void)state;
    enum { I = 13, O = 7 };
    float w[O * I], b[O];
    for (int i = 0; i < O * I; i++) w[i] = 7.0f;
    for (int i = 0; i < O; i++) b[i] = 7.0f;
    nn_rng r, replay;
    nn_rng_seed(&r, 2016, 0);
    replay = r;
    nn_init_linear(&r, w, b, I, O, NN_INIT_NORMAL_002, 0.0f);
    for (int k = 0; k < O * I; k++) {
        float z = nn_rng_normal(&replay), want = 0.02f * z;
        ex_expect(fabs((double)w[k] - want) <= 1e-6 * fabs((double)want) + 1e-12,
                  "NN_INIT_NORMAL_002: w[%d] is %.9g, expected %.9g = 0.02 * nn_rng_normal(r) "
                  "draw number %d: draw the weights from r itself, one per weight, "
                  "w[0] first (nn_init_normal does)", k, (double)w[k], (double)want, k + 1);
    }
    ex_expect(nn_rng_u32(&r) == nn_rng_u32(&replay),
              "NN_INIT_NORMAL_002: r did not come out advanced by exactly out * in = %d "
              "normal draws (drew extra numbers, or drew from a copy of r): the next layer "
              "must start where this one ended", O * I);
    expect_zero_biases(b, O, "NN_INIT_NORMAL_002");
}

/* ---------------------------------------------------------------- torch */

/* torch.nn.Linear's reset_parameters: w and b ~ U(-a, a), a = 1/sqrt(in);
 * U(-a, a) has standard deviation a / sqrt(3) = 1/sqrt(3 in). */
static void test_torch(void **state)
{
    (void)state;
    float *w = big_w, *b = big_b;
    init_layer(w, b, IN, OUT, NN_INIT_TORCH, 0.2f, 7);
    const double a = 1.0 / sqrt((double)IN);
    expect_weights_written(w, (size_t)IN * OUT, "NN_INIT_TORCH");
    stats sw = measure(w, (size_t)IN * OUT), sb = measure(b, OUT);
    ex_expect(sw.maxabs <= a * (1.0 + 1e-6), "NN_INIT_TORCH: a weight of magnitude %.5g; "
              "the bound is 1/sqrt(in) = 1/sqrt(%d) = %.5g (fan_in is in, not out)",
              sw.maxabs, IN, a);
    ex_expect(sw.maxabs > 0.98 * a, "NN_INIT_TORCH: the weights reach only %.5g; U(-a, a) "
              "with a = 1/sqrt(in) = %.5g comes close to a", sw.maxabs, a);
    expect_sd(sw, (size_t)IN * OUT, a / sqrt(3.0), 0.015, "NN_INIT_TORCH weights",
              "1/sqrt(3 in), the spread of U(-1/sqrt(in), 1/sqrt(in))");
    size_t untouched = 0, zero = 0;
    for (int i = 0; i < OUT; i++) {
        untouched += b[i] == 7.0f;
        zero += b[i] == 0.0f;
    }
    ex_expect(untouched == 0, "NN_INIT_TORCH: %zu biases still hold their old value (7)",
              untouched);
    ex_expect(zero < OUT, "NN_INIT_TORCH: the biases are all 0; torch's Linear draws them "
              "too, from U(-1/sqrt(in), 1/sqrt(in)) (nn_init_torch_linear)");
    ex_expect(sb.maxabs <= a * (1.0 + 1e-6), "NN_INIT_TORCH: a bias of magnitude %.5g; the "
              "bound is 1/sqrt(in) = %.5g", sb.maxabs, a);
    /* 200 biases: their spread is known to about 5% */
    expect_sd(sb, OUT, a / sqrt(3.0), 0.2, "NN_INIT_TORCH biases", "1/sqrt(3 in)");
}

/* ---------------------------------------------------------------- He, Xavier */

/* kaiming_normal_(a = slope, mode fan_in): std = sqrt(2 / (1 + slope^2)) /
 * sqrt(in). With slope 0.2 on in = 400: sqrt(2 / 1.04) / 20 = 0.069338;
 * slope ignored would give sqrt(2) / 20 = 0.070711 (2% more), fan_out (300)
 * sqrt(2 / 1.04) / sqrt(300) = 0.080064. */
static void test_he_normal(void **state)
{
    (void)state;
    float *w = big_w, *b = big_b;
    init_layer(w, b, 400, 300, NN_INIT_HE_NORMAL, 0.2f, 8);
    expect_zero_biases(b, 300, "NN_INIT_HE_NORMAL");
    expect_weights_written(w, 400 * 300, "NN_INIT_HE_NORMAL");
    stats st = measure(w, 400 * 300);
    const double want = sqrt(2.0 / 1.04) / 20.0;
    ex_expect(!(fabs(st.sd - sqrt(2.0) / 20.0) < 0.004 * want), "NN_INIT_HE_NORMAL: the "
              "weights' standard deviation is %.5g = sqrt(2) / sqrt(in): the slope (0.2) was "
              "ignored; the gain is sqrt(2 / (1 + slope^2))", st.sd);
    ex_expect(!(fabs(st.sd - want * sqrt(400.0 / 300.0)) < 0.01 * want), "NN_INIT_HE_NORMAL: "
              "the weights' standard deviation is %.5g, which divides by sqrt(out); He uses "
              "fan_in = in", st.sd);
    expect_sd(st, 400 * 300, want, 0.008, "NN_INIT_HE_NORMAL, slope 0.2, in 400",
              "sqrt(2 / (1 + 0.2^2)) / sqrt(400)");

    /* slope 0, a plain ReLU: sqrt(2 / in) = sqrt(2) / 20 */
    init_layer(w, b, 400, 300, NN_INIT_HE_NORMAL, 0.0f, 9);
    expect_sd(measure(w, 400 * 300), 400 * 300, sqrt(2.0) / 20.0, 0.008,
              "NN_INIT_HE_NORMAL, slope 0, in 400", "sqrt(2 / in)");
    expect_zero_biases(b, 300, "NN_INIT_HE_NORMAL");
}

/* kaiming_uniform_: U(-a, a), a = sqrt(6 / ((1 + slope^2) in)); in = 300,
 * slope 0.2: a = sqrt(6 / 312) = 0.138675, spread a / sqrt(3). */
static void test_he_uniform(void **state)
{
    (void)state;
    float *w = big_w, *b = big_b;
    init_layer(w, b, IN, OUT, NN_INIT_HE_UNIFORM, 0.2f, 10);
    expect_zero_biases(b, OUT, "NN_INIT_HE_UNIFORM");
    expect_weights_written(w, (size_t)IN * OUT, "NN_INIT_HE_UNIFORM");
    stats st = measure(w, (size_t)IN * OUT);
    const double a = sqrt(6.0 / (1.04 * IN));
    ex_expect(st.maxabs <= a * (1.0 + 1e-6) && st.maxabs > 0.98 * a, "NN_INIT_HE_UNIFORM: "
              "the largest |w| is %.5g; U(-a, a) with a = sqrt(6 / ((1 + slope^2) in)) = "
              "%.5g reaches close to a and never beyond", st.maxabs, a);
    expect_sd(st, (size_t)IN * OUT, a / sqrt(3.0), 0.015,
              "NN_INIT_HE_UNIFORM, slope 0.2, in 300", "sqrt(6 / (1.04 in)) / sqrt(3)");
}

/* xavier_uniform_: U(-a, a), a = sqrt(6 / (in + out)); in 300, out 100:
 * a = sqrt(6 / 400) = 0.122474 (in alone would give sqrt(6/300) = 0.141421). */
static void test_xavier(void **state)
{
    (void)state;
    float *w = big_w, *b = big_b;
    init_layer(w, b, 300, 100, NN_INIT_XAVIER_UNIFORM, 0.2f, 11);
    expect_zero_biases(b, 100, "NN_INIT_XAVIER_UNIFORM");
    expect_weights_written(w, 300 * 100, "NN_INIT_XAVIER_UNIFORM");
    stats st = measure(w, 300 * 100);
    const double a = sqrt(6.0 / 400.0);
    ex_expect(st.maxabs <= a * (1.0 + 1e-6), "NN_INIT_XAVIER_UNIFORM: a weight of magnitude "
              "%.5g; the bound is sqrt(6 / (in + out)) = %.5g (both fans, no slope; and "
              "uniform, not normal)", st.maxabs, a);
    ex_expect(st.maxabs > 0.98 * a, "NN_INIT_XAVIER_UNIFORM: the weights reach only %.5g; "
              "U(-a, a) with a = sqrt(6 / (in + out)) = %.5g comes close to a", st.maxabs, a);
    expect_sd(st, 300 * 100, a / sqrt(3.0), 0.015,
              "NN_INIT_XAVIER_UNIFORM, in 300, out 100",
              "sqrt(6 / (in + out)) / sqrt(3) = sqrt(2 / (in + out))");

    /* xavier_normal_: N(0, 2 / (in + out)), std 0.0707107 here. */
    init_layer(w, b, 300, 100, NN_INIT_XAVIER_NORMAL, 0.2f, 12);
    expect_zero_biases(b, 100, "NN_INIT_XAVIER_NORMAL");
    st = measure(w, 300 * 100);
    expect_sd(st, 300 * 100, sqrt(2.0 / 400.0), 0.015,
              "NN_INIT_XAVIER_NORMAL, in 300, out 100", "sqrt(2 / (in + out))");
    ex_expect(st.maxabs > 3.0 * sqrt(2.0 / 400.0), "NN_INIT_XAVIER_NORMAL: no weight beyond "
              "3 standard deviations among 30000: these are not normal draws");
}

/* Every kind draws from the rng passed in: the same seed gives the same
 * layer, another seed another layer. */
static void test_seeded(void **state)
{
    (void)state;
    static const nn_init_kind kinds[6] = {NN_INIT_TORCH, NN_INIT_NORMAL_002,
                                          NN_INIT_XAVIER_UNIFORM, NN_INIT_XAVIER_NORMAL,
                                          NN_INIT_HE_NORMAL, NN_INIT_HE_UNIFORM};
    for (int k = 0; k < 6; k++) {
        float w1[200], b1[10], w2[200], b2[10], w3[200], b3[10];
        init_layer(w1, b1, 20, 10, kinds[k], 0.2f, 42);
        init_layer(w2, b2, 20, 10, kinds[k], 0.2f, 42);
        init_layer(w3, b3, 20, 10, kinds[k], 0.2f, 43);
        int same = 1, differs = 0;
        for (int i = 0; i < 200; i++) {
            same &= w1[i] == w2[i];
            differs |= w1[i] != w3[i];
        }
        for (int i = 0; i < 10; i++) same &= b1[i] == b2[i];
        ex_expect(same, "%s: the same seed gave two different layers; draw only from the "
                  "rng passed in", nn_init_name(kinds[k]));
        ex_expect(differs, "%s: seeds 42 and 43 gave the same weights; draw them from the "
                  "rng passed in", nn_init_name(kinds[k]));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normal_002_spread),
        cmocka_unit_test(test_normal_002_stream),
        cmocka_unit_test(test_torch),
        cmocka_unit_test(test_he_normal),
        cmocka_unit_test(test_he_uniform),
        cmocka_unit_test(test_xavier),
        cmocka_unit_test(test_seeded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
