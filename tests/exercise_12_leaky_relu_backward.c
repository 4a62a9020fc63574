/* Exercise 12: gan_leaky_relu_backward: hand-worked, against the library,
 * against central differences, and accumulating (+=). */
#define EX_NUM 12
#define EX_FUNC "gan_leaky_relu_backward"
#include "exercise_util.h"
#include "exercises.h"

/* slope 0.2; at x = 0 the slope side applies (x > 0 is false). */
static void test_hand_worked(void **state)
{
    (void)state;
    const float x[5] = {-2.0f, -0.5f, 0.0f, 0.5f, 3.0f}, dy[5] = {1, 2, 3, 4, 5};
    float dx[5] = {0};
    gan_leaky_relu_backward(dx, dy, x, 0.2f, 5);
    const float want[5] = {0.2f, 0.4f, 0.6f, 4.0f, 5.0f};
    ex_expect_close(dx, want, 5, 1e-6, "dx = dy * (x > 0 ? 1 : slope)");

    /* Again into the same dx: the gradients add up. */
    gan_leaky_relu_backward(dx, dy, x, 0.2f, 5);
    const float twice[5] = {0.4f, 0.8f, 1.2f, 8.0f, 10.0f};
    ex_expect_close(dx, twice, 5, 1e-6, "dx after two calls (backward ADDS into dx)");
}

static void test_against_library_and_differences(void **state)
{
    (void)state;
    enum { N = 40 };
    float x[N], dy[N], dx[N], rdx[N], num[N];
    nn_rng r;
    nn_rng_seed(&r, 17, 0);
    nn_rng_fill_uniform(&r, x, N, -2.0f, 2.0f);
    nn_rng_fill_uniform(&r, dy, N, -1.0f, 1.0f);
    for (int i = 0; i < N; i++) dx[i] = rdx[i] = 0.5f;
    gan_leaky_relu_backward(dx, dy, x, 0.1f, N);
    nn_leaky_relu_backward(rdx, dy, x, 0.1f, N);
    ex_expect_close(dx, rdx, N, 1e-6, "dx (added to dx = 0.5), against the library");

    /* d/dx_i of sum(leaky_relu(x) * dy), by central differences; h is
     * smaller than any |x_i| kept, so no difference straddles the kink. */
    const float h = 1e-3f;
    for (int i = 0; i < N; i++) {
        if (fabsf(x[i]) < 2.0f * h) x[i] = 0.5f;
        float up = x[i] + h, down = x[i] - h, yu, yd;
        nn_leaky_relu_forward(&yu, &up, 0.1f, 1);
        nn_leaky_relu_forward(&yd, &down, 0.1f, 1);
        num[i] = (yu - yd) / (2.0f * h) * dy[i];
    }
    float g2[N] = {0};
    gan_leaky_relu_backward(g2, dy, x, 0.1f, N);
    ex_expect_close(g2, num, N, 1e-3, "dx against central differences");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_worked),
        cmocka_unit_test(test_against_library_and_differences),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
