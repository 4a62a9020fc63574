/* Exercise 7: gan_d_loss, the discriminator's loss on logits, and its
 * gradient: hand-worked, PyTorch's values, and stable for huge logits. */
#define EX_NUM 7
#define EX_FUNC "gan_d_loss"
#include "exercise_util.h"
#include "exercises.h"

/* From tests/reference/exercise_losses.py: torch
 * F.binary_cross_entropy_with_logits(s_real, 1) + (s_fake, 0), float64,
 * gradients by backward(). */
static const float s_real[7] = {2.0f, -1.0f, 0.5f, 30.0f, -30.0f, 0.0f, 7.25f};
static const float s_fake[7] = {-2.0f, 1.5f, 0.0f, -40.0f, 25.0f, -0.75f, 3.0f};
static const double d_loss_ref = 9.08072437;
static const float d_ds_real_ref[7] = {-0.0170289889f, -0.10443694f, -0.0539343813f,
                                       -1.3354397e-14f, -0.142857143f, -0.0714285714f,
                                       -0.000101381486f};
static const float d_ds_fake_ref[7] = {0.0170289889f, 0.116796354f, 0.0714285714f,
                                       6.06907751e-19f, 0.142857143f, 0.0458316144f,
                                       0.136082018f};

/* D undecided (s = 0): L = 2 log 2, dL/ds_real = -1/2, dL/ds_fake = +1/2. */
static void test_hand_worked(void **state)
{
    (void)state;
    const float zero = 0.0f;
    float dr = 9.0f, df = 9.0f;
    float L = gan_d_loss(&dr, &df, &zero, &zero, 1);
    ex_expect_near(L, 1.3862944, 1e-6, "the loss at s_real = s_fake = 0 (2 log 2)");
    ex_expect_near(dr, -0.5, 1e-6, "dL/ds_real at s = 0 (-sigmoid(0) / n)");
    ex_expect_near(df, 0.5, 1e-6, "dL/ds_fake at s = 0 (sigmoid(0) / n)");
}

static void test_pytorch_reference(void **state)
{
    (void)state;
    float dr[7] = {0}, df[7] = {0};
    float L = gan_d_loss(dr, df, s_real, s_fake, 7);
    ex_expect_near(L, d_loss_ref, 1e-4 * d_loss_ref, "the loss, against PyTorch's BCE");
    ex_expect_close(dr, d_ds_real_ref, 7, 1e-5, "dL/ds_real, against PyTorch's autograd");
    ex_expect_close(df, d_ds_fake_ref, 7, 1e-5, "dL/ds_fake, against PyTorch's autograd");
}

/* Logits far beyond float's exp range: the loss stays finite (about |s| for
 * a confident wrong answer) and the gradients at most 1/n. */
static void test_stable(void **state)
{
    (void)state;
    const float sr[2] = {-1e4f, 1e4f}, sf[2] = {1e4f, -1e4f};
    float dr[2] = {0}, df[2] = {0};
    float L = gan_d_loss(dr, df, sr, sf, 2);
    ex_expect(isfinite(L), "the loss is %g for logits of +-1e4: use softplus, "
              "never log(sigmoid(s))", (double)L);
    /* mean softplus(1e4, -1e4) twice = (1e4 + 0)/2 + (1e4 + 0)/2 */
    ex_expect_near(L, 1e4, 1.0, "the loss for logits of +-1e4");
    const float want_r[2] = {-0.5f, 0.0f}, want_f[2] = {0.5f, 0.0f};
    ex_expect_close(dr, want_r, 2, 1e-6, "dL/ds_real for logits of +-1e4");
    ex_expect_close(df, want_f, 2, 1e-6, "dL/ds_fake for logits of +-1e4");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_worked),
        cmocka_unit_test(test_pytorch_reference),
        cmocka_unit_test(test_stable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
