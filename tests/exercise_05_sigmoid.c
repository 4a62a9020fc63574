/* Exercise 5: nn_sigmoidf(x) = 1 / (1 + e^-x) for any float x: exact at 0,
 * symmetric, torch.sigmoid's values, no NaN or inf anywhere, exact 0 and 1
 * where the true value is beyond float's reach. */
#define EX_NUM 5
#define EX_FUNC "nn_sigmoidf"
#include "exercise_util.h"
#include "nn.h"

#include <float.h>

/* sigmoid(0) = 1 / (1 + e^0) = 1/2, exactly in float. */
static void test_zero(void **state)
{
    (void)state;
    float s = nn_sigmoidf(0.0f);
    ex_expect(s == 0.5f, "sigmoid(0) = 1 / (1 + e^0) = 0.5 exactly, got %.9g", (double)s);
}

/* From tests/reference/exercise_sigmoid.py: torch.sigmoid(x.double()).float().
 * At -100 the true 3.72e-44 is below float's normal range; torch's own
 * float32 sigmoid returns 0 there, and so may yours (tolerance 1e-43). */
static const float sig_x[15] = {-100.0f, -88.0f, -30.0f, -15.0f, -5.0f, -1.0f, -0.25f, 0.0f,
                                0.5f, 1.0f, 2.0f, 5.0f, 15.0f, 20.0f, 100.0f};
static const float sig_ref[15] = {3.78350585e-44f, 6.05460149e-39f, 9.35762291e-14f,
                                  3.05902233e-07f, 0.00669285096f, 0.268941432f, 0.437823504f,
                                  0.5f, 0.622459352f, 0.731058598f, 0.880797088f, 0.993307173f,
                                  0.999999702f, 1.0f, 1.0f};

/* The message for a wrong value at x, naming the slip when it is a known one. */
static void expect_sigmoid(float x, float got, float want)
{
    ex_expect(!isnan(got), "sigmoid(%g) is NaN: e^x / (1 + e^x) is inf / inf for x > 88 "
              "(expf overflows); for x >= 0 use 1 / (1 + e^-x), where e^-x <= 1", (double)x);
    double tol = 1e-6 * fabs((double)want) + 1e-43;
    ex_expect(!(x < 0.0f && fabs((double)got - want) > tol && fabs((double)got) < 0.5 * want),
              "sigmoid(%g) is %.9g, torch gives %.9g: the small tail is lost (1 minus "
              "something close to 1 cancels in float, as in 0.5 (1 + tanh(x/2)) or "
              "1 - sigmoid(-x)); for x < 0 compute e^x / (1 + e^x), where e^x is small "
              "and exact", (double)x, (double)got, (double)want);
    ex_expect(fabs((double)got - want) <= tol,
              "sigmoid(%g) is %.9g, expected %.9g (torch.sigmoid), relative tolerance 1e-6",
              (double)x, (double)got, (double)want);
}

static void test_pytorch_reference(void **state)
{
    (void)state;
    for (int i = 0; i < 15; i++) expect_sigmoid(sig_x[i], nn_sigmoidf(sig_x[i]), sig_ref[i]);
}

/* sigmoid(-x) = e^-x / (1 + e^-x) = 1 - 1 / (1 + e^-x) = 1 - sigmoid(x):
 * within float's rounding of numbers near 1 (2^-23 each side). */
static void test_symmetry(void **state)
{
    (void)state;
    for (int k = 1; k <= 400; k++) {
        float x = 0.05f * (float)k;
        float lo = nn_sigmoidf(-x), hi = nn_sigmoidf(x);
        ex_expect(fabs((double)lo - (1.0 - (double)hi)) <= 2.4e-7,
                  "sigmoid(-%g) = %.9g but 1 - sigmoid(%g) = %.9g: sigmoid(-x) must be "
                  "1 - sigmoid(x) (are both branches the same function?)", (double)x,
                  (double)lo, (double)x, 1.0 - (double)hi);
    }
}

/* On a fine sweep the values stay in [0, 1] and never decrease: a jump at 0
 * means the two branches (x >= 0 and x < 0) disagree. */
static void test_monotone(void **state)
{
    (void)state;
    float prev = 0.0f;
    for (int k = -4000; k <= 4000; k++) {
        float x = 0.01f * (float)k, s = nn_sigmoidf(x);
        ex_expect(s >= 0.0f && s <= 1.0f, "sigmoid(%g) = %.9g is outside [0, 1]", (double)x,
                  (double)s);
        ex_expect(s >= prev, "sigmoid decreases between %g (%.9g) and %g (%.9g)",
                  (double)(x - 0.01f), (double)prev, (double)x, (double)s);
        prev = s;
    }
}

/* Far out: e^1e4 is inf in float (and double). The true values are within
 * 1e-38 of 0 or 1, so the float answer is exactly 0 or 1, never NaN. */
static void test_extremes(void **state)
{
    (void)state;
    const float far[6] = {200.0f, 1000.0f, 1e4f, 1e30f, FLT_MAX, 89.0f};
    for (int i = 0; i < 6; i++) {
        float x = far[i], hi = nn_sigmoidf(x), lo = nn_sigmoidf(-x);
        ex_expect(!isnan(hi), "sigmoid(%g) is NaN: e^x / (1 + e^x) is inf / inf once e^x "
                  "overflows (x > 88); for x >= 0 use 1 / (1 + e^-x)", (double)x);
        ex_expect(!isnan(lo), "sigmoid(%g) is NaN: no exp may see a large positive argument; "
                  "for x < 0 use e^x / (1 + e^x)", (double)-x);
        ex_expect(hi == 1.0f, "sigmoid(%g) is %.9g; in float it is exactly 1", (double)x,
                  (double)hi);
        if (x > 100.0f)
            ex_expect(lo == 0.0f, "sigmoid(%g) is %.9g; in float it is exactly 0", (double)-x,
                      (double)lo);
        else
            ex_expect(lo >= 0.0f && lo < 1e-38f, "sigmoid(%g) is %.9g; expected about 2e-39",
                      (double)-x, (double)lo);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zero),
        cmocka_unit_test(test_pytorch_reference),
        cmocka_unit_test(test_symmetry),
        cmocka_unit_test(test_monotone),
        cmocka_unit_test(test_extremes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
