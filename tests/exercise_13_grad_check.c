/* Exercise 13: gan_grad_check, the gradient checker: its central differences
 * against hand-worked and PyTorch gradients, its relative error formula, and
 * that it leaves x exactly as it found it. */
#define EX_NUM 13
#define EX_FUNC "gan_grad_check"
#include "exercise_util.h"
#include "exercises.h"

#include <string.h>

/* From tests/reference/exercise_grad_check.py: torch autograd of
 * f(x) = (r * torch.tanh(W @ x)).sum() in float64, at x below. */
static const double W[3][4] = {{0.5, -1.0, 0.25, 0.75},
                               {1.5, 0.5, -0.5, 0.0},
                               {-0.25, 0.8, 1.0, -1.2}};
static const double R[3] = {1.0, -2.0, 0.5};
static const float x_ref[4] = {0.3f, -0.7f, 1.1f, 0.2f};
static const double f_ref = 1.80958427373;
static const float grad_ref[4] = {-2.45052139f, -0.710310452f, 1.36470004f, -0.369078835f};

/* f(x) = sum_i R_i tanh((W x)_i), in double; counts its calls. */
static double tanh_layer(const float *x, void *ctx)
{
    ++*(int *)ctx;
    double f = 0.0;
    for (int i = 0; i < 3; i++) {
        double a = 0.0;
        for (int j = 0; j < 4; j++)
            a += W[i][j] * x[j];
        f += R[i] * tanh(a);
    }
    return f;
}

/* f(x) = x0^2 + 3 x1: gradient (2 x0, 3). */
static double quadratic(const float *x, void *ctx)
{
    (void)ctx;
    return (double)x[0] * x[0] + 3.0 * x[1];
}

/* f(x) = x0 + x1: gradient (1, 1), exact for any h. */
static double linear_sum(const float *x, void *ctx)
{
    (void)ctx;
    return (double)x[0] + (double)x[1];
}

static void test_hand_worked(void **state)
{
    (void)state;
    float x[2] = {1.5f, -2.0f}, numeric[2] = {0};
    const float analytic[2] = {3.0f, 3.0f};
    double e = gan_grad_check(numeric, quadratic, NULL, x, analytic, 2, 1e-3f);
    const float want[2] = {3.0f, 3.0f};
    ex_expect_close(numeric, want, 2, 1e-3,
                    "numeric gradient of x0^2 + 3 x1 at (1.5, -2), should be (3, 3)");
    ex_expect(e < 1e-3, "the returned relative error is %g for a correct gradient; "
              "expected below 1e-3", e);
}

/* analytic (1, 0) against numeric (1, 1): max|diff| = 1, max|a| + max|n| = 2. */
static void test_relative_error_formula(void **state)
{
    (void)state;
    float x[2] = {0.25f, 0.5f}, numeric[2] = {0};
    const float analytic[2] = {1.0f, 0.0f};
    double e = gan_grad_check(numeric, linear_sum, NULL, x, analytic, 2, 1e-2f);
    ex_expect_near(e, 0.5, 1e-3,
                   "relative error of analytic (1, 0) against numeric (1, 1): "
                   "max|a - n| / (max|a| + max|n|) = 1 / 2");
}

static void test_pytorch_reference(void **state)
{
    (void)state;
    float x[4], numeric[4] = {0};
    memcpy(x, x_ref, sizeof x);
    int calls = 0;
    ex_expect_near(tanh_layer(x, &calls), f_ref, 1e-6, "the test's own f (sanity)");
    calls = 0;
    double e = gan_grad_check(numeric, tanh_layer, &calls, x, grad_ref, 4, 1e-3f);
    ex_expect(calls == 8, "f was called %d times for 4 coordinates; central differences "
              "need 2 per coordinate (8)", calls);
    ex_expect_close(numeric, grad_ref, 4, 1e-3,
                    "numeric gradient of sum r * tanh(W x), against torch autograd");
    ex_expect(e < 1e-3, "relative error %g for torch's (correct) gradient; expected "
              "below 1e-3", e);
    ex_expect(memcmp(x, x_ref, sizeof x) == 0,
              "x was changed by the check (x[i] must be put back exactly after each "
              "coordinate)");

    /* One component with the wrong sign, as a buggy backward would give. */
    float broken[4];
    memcpy(broken, grad_ref, sizeof broken);
    broken[2] = -broken[2];
    e = gan_grad_check(numeric, tanh_layer, &calls, x, broken, 4, 1e-3f);
    ex_expect(e > 0.3, "relative error %g for a gradient with one sign flipped; a "
              "checker must report it (about 0.7)", e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_worked),
        cmocka_unit_test(test_relative_error_formula),
        cmocka_unit_test(test_pytorch_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
