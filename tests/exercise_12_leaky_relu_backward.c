/* Exercise 12: nn_leaky_relu_backward: hand-worked, against PyTorch, against
 * central differences, accumulating (+=) and skipping a NULL dx. */
#define EX_NUM 12
#define EX_FUNC "nn_leaky_relu_backward"
#include "exercise_util.h"
#include "nn.h"

/* slope 0.2; at x = 0 the slope side applies (x > 0 is false). */
static void test_hand_worked(void **state)
{
    (void)state;
    const float x[5] = {-2.0f, -0.5f, 0.0f, 0.5f, 3.0f}, dy[5] = {1, 2, 3, 4, 5};
    float dx[5] = {0};
    nn_leaky_relu_backward(dx, dy, x, 0.2f, 5);
    const float want[5] = {0.2f, 0.4f, 0.6f, 4.0f, 5.0f};
    ex_expect_close(dx, want, 5, 1e-6, "dx = dy * (x > 0 ? 1 : slope)");

    /* Again into the same dx: the gradients add up. */
    nn_leaky_relu_backward(dx, dy, x, 0.2f, 5);
    const float twice[5] = {0.4f, 0.8f, 1.2f, 8.0f, 10.0f};
    ex_expect_close(dx, twice, 5, 1e-6, "dx after two calls (backward ADDS into dx)");
}

/* tests/reference/exercise_backward.py: F.leaky_relu(x, 0.1).backward(dy) */
static const float leaky_x[8] = {-2.0f, -0.5f, 0.0f, 0.25f, 1.0f, 3.0f, -1e-3f, 7.5f};
static const float leaky_dy[8] = {1.0f, -2.0f, 0.5f, 4.0f, -0.25f, 1.5f, 3.0f, -1.0f};
static const float leaky_dx_ref[8] = {0.1f, -0.2f, 0.05f, 4.0f, -0.25f, 1.5f, 0.3f, -1.0f};

static void test_against_torch_and_differences(void **state)
{
    (void)state;
    float dx8[8] = {0};
    nn_leaky_relu_backward(dx8, leaky_dy, leaky_x, 0.1f, 8);
    ex_expect(dx8[2] == 0.05f, "at x = 0 dx is %g, expected 0.05: torch takes the slope side "
              "there (x > 0 is false)", (double)dx8[2]);
    ex_expect_close(dx8, leaky_dx_ref, 8, 1e-6, "dx against torch (slope 0.1)");
    /* NULL: nothing asked, so nothing written (a crash here fails the test). */
    nn_leaky_relu_backward(NULL, leaky_dy, leaky_x, 0.1f, 8);

    enum { N = 40 };
    float x[N], dy[N], num[N];
    nn_rng r;
    nn_rng_seed(&r, 17, 0);
    nn_rng_fill_uniform(&r, x, N, -2.0f, 2.0f);
    nn_rng_fill_uniform(&r, dy, N, -1.0f, 1.0f);

    /* d/dx_i of sum(leaky_relu(x) * dy), by central differences; h is
     * smaller than any |x_i| kept, so no difference straddles the kink. */
    const float h = 1e-3f;
    for (int i = 0; i < N; i++) {
        if (fabsf(x[i]) < 2.0f * h) x[i] = 0.5f;
        float up = x[i] + h, down = x[i] - h;
        float yu = up > 0.0f ? up : 0.1f * up, yd = down > 0.0f ? down : 0.1f * down;
        num[i] = (yu - yd) / (2.0f * h) * dy[i];
    }
    float g2[N] = {0};
    nn_leaky_relu_backward(g2, dy, x, 0.1f, N);
    ex_expect_close(g2, num, N, 1e-3, "dx against central differences");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_worked),
        cmocka_unit_test(test_against_torch_and_differences),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
