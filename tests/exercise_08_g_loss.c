/* Exercise 8: gan_g_loss, the non-saturating generator loss on logits, and
 * its gradient: hand-worked, PyTorch's values, stable for huge logits. */
#define EX_NUM 8
#define EX_FUNC "gan_g_loss"
#include "exercise_util.h"
#include "exercises.h"

/* From tests/reference/exercise_losses.py: torch
 * F.binary_cross_entropy_with_logits(s_fake, 1), float64, backward(). */
static const float s_fake[7] = {-2.0f, 1.5f, 0.0f, -40.0f, 25.0f, -0.75f, 3.0f};
static const double g_loss_ref = 6.31527812;
static const float g_ds_ref[7] = {-0.125828154f, -0.0260607891f, -0.0714285714f,
                                  -0.142857143f, -1.98400027e-12f, -0.0970255285f,
                                  -0.00677512474f};

/* D undecided (s = 0): L = log 2, dL/ds = -1/2. */
static void test_hand_worked(void **state)
{
    (void)state;
    const float zero = 0.0f;
    float ds = 9.0f;
    float L = gan_g_loss(&ds, &zero, 1);
    ex_expect_near(L, 0.69314718, 1e-6, "the loss at s = 0 (log 2)");
    ex_expect_near(ds, -0.5, 1e-6, "dL/ds at s = 0 (-sigmoid(0) / n)");
}

static void test_pytorch_reference(void **state)
{
    (void)state;
    float ds[7] = {0};
    float L = gan_g_loss(ds, s_fake, 7);
    ex_expect_near(L, g_loss_ref, 1e-4 * g_loss_ref, "the loss, against PyTorch's BCE");
    ex_expect_close(ds, g_ds_ref, 7, 1e-5, "dL/ds, against PyTorch's autograd");
}

/* Where D rejects the fake with certainty (s = -1e4) the non-saturating
 * loss still gives G a full-size gradient, -1/n: that is its point. */
static void test_does_not_saturate(void **state)
{
    (void)state;
    const float s[2] = {-1e4f, 1e4f};
    float ds[2] = {0};
    float L = gan_g_loss(ds, s, 2);
    ex_expect(isfinite(L), "the loss is %g for logits of +-1e4: use softplus, "
              "never log(sigmoid(s))", (double)L);
    ex_expect_near(L, 5e3, 1.0, "the loss for logits -1e4 and 1e4 (mean of 1e4 and 0)");
    const float want[2] = {-0.5f, 0.0f};
    ex_expect_close(ds, want, 2, 1e-6, "dL/ds for logits -1e4 and 1e4");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_worked),
        cmocka_unit_test(test_pytorch_reference),
        cmocka_unit_test(test_does_not_saturate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
