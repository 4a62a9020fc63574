/* Exercise 24: nn_fgsm_step(x_adv, x, grad, n, eps, lo, hi), one step of the
 * fast gradient sign method,
 *   x_adv = clip(x + eps * sign(grad), lo, hi),   sign(0) = 0:
 * hand-worked cases (n > 1), PyTorch's values, a zero gradient, tiny
 * gradients (only the sign counts), clipping, and x_adv = x in place. */
#define EX_NUM 24
#define EX_FUNC "nn_fgsm_step"
#include "exercise_util.h"
#include "nn.h"

static void test_hand_worked(void **state)
{
    (void)state;
    /* x = (0.5, 0.95, -0.2), grad = (3, 0.001, 0), eps 0.1, range [0, 1]:
     * 0.5 + 0.1 = 0.6; 0.95 + 0.1 = 1.05 -> 1; -0.2 does not move, -> 0. */
    const float x[3] = {0.5f, 0.95f, -0.2f}, g[3] = {3.0f, 0.001f, 0.0f};
    const float want[3] = {0.6f, 1.0f, 0.0f};
    float got[3] = {9, 9, 9};
    nn_fgsm_step(got, x, g, 3, 0.1f, 0.0f, 1.0f);
    ex_expect(!(got[0] == 9.0f && got[1] == 9.0f), "x_adv was not written");
    ex_expect(!(got[0] == x[0] && got[1] == x[1]), "x_adv is x: nothing moved (each value "
              "moves by eps in the direction of its gradient's sign)");
    ex_expect(fabsf(got[0] - (0.5f + 0.1f * 3.0f)) > 1e-6f,
              "x_adv[0] is x + eps * grad (0.8): FGSM uses only the gradient's sign, so "
              "every value moves by exactly eps");
    ex_expect(fabsf(got[0] - 0.4f) > 1e-6f, "x_adv[0] moved down (0.4): the step goes with "
              "the gradient, up the loss, + eps * sign(grad)");
    ex_expect(got[1] <= 1.0f, "x_adv[1] is %g, above hi = 1: clip after the step",
              (double)got[1]);
    ex_expect(got[2] >= 0.0f, "x_adv[2] is %g, below lo = 0: clip every value, also those "
              "that do not move", (double)got[2]);
    ex_expect_close(got, want, 3, 1e-6, "x_adv for x = (0.5, 0.95, -0.2), grad = (3, 0.001, "
                    "0), eps 0.1, range [0, 1]");
}

/* tests/reference/exercise_judging.py: (x + 0.25 * g.sign()).clamp(-1, 1). */
static void test_pytorch_reference(void **state)
{
    (void)state;
    const float x[8] = {0.0f, 0.9f, -0.9f, 0.5f, -1.0f, 1.0f, 0.2f, -0.3f};
    const float g[8] = {0.3f, 2.0f, -1e-6f, 0.0f, -4.0f, 1.5f, -0.7f, 1e-8f};
    const float fgsm_ref[8] = {0.25f, 1.0f, -1.0f, 0.5f, -1.0f, 1.0f, -0.049999997f,
                               -0.0500000119f};
    float got[8];
    nn_fgsm_step(got, x, g, 8, 0.25f, -1.0f, 1.0f);
    ex_expect(got[3] == 0.5f, "x_adv[3] is %g: where the gradient is exactly 0 its sign is 0 "
              "and the value stays (0.5)", (double)got[3]);
    ex_expect(fabsf(got[7] - fgsm_ref[7]) < 1e-6f, "x_adv[7] is %g, expected %g: a gradient "
              "of 1e-8 still has sign +1 (do not compare with a tolerance)", (double)got[7],
              (double)fgsm_ref[7]);
    ex_expect_close(got, fgsm_ref, 8, 1e-6, "x_adv against torch, eps 0.25, range [-1, 1]");
}

/* In place (x_adv = x), eps 0 changes nothing inside the range. */
static void test_in_place_and_zero_eps(void **state)
{
    (void)state;
    float x[4] = {-0.5f, 0.0f, 0.25f, 0.75f};
    const float g[4] = {1, -1, 1, -1}, want[4] = {-0.375f, -0.125f, 0.375f, 0.625f};
    float same[4] = {-0.5f, 0.0f, 0.25f, 0.75f}, out[4];
    nn_fgsm_step(out, same, g, 4, 0.0f, -1.0f, 1.0f);
    ex_expect_close(out, same, 4, 0.0, "x_adv with eps 0 (nothing moves)");
    nn_fgsm_step(x, x, g, 4, 0.125f, -1.0f, 1.0f);
    ex_expect_close(x, want, 4, 1e-7, "x_adv written over x (x_adv = x), eps 0.125");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_worked),
        cmocka_unit_test(test_pytorch_reference),
        cmocka_unit_test(test_in_place_and_zero_eps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
