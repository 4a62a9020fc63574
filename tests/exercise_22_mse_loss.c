/* Exercise 22: nn_mse_loss(dy, y, t, n), the mean squared error,
 *   L = mean (y - t)^2,   dy = 2 (y - t) / n (written, not added):
 * hand-worked with n > 1, PyTorch's values, NULL dy, central differences of
 * the returned loss, and the fact lesson 13 is built on: the constant that
 * minimises it over a set of targets is their mean. dy starts at 7 (garbage). */
#define EX_NUM 22
#define EX_FUNC "nn_mse_loss"
#include "exercise_util.h"
#include "nn.h"

#define GARBAGE 7.0f

static void fill(float *v, int n, float x)
{
    for (int i = 0; i < n; i++) v[i] = x;
}

/* dy against want, naming the usual slips. */
static void expect_grad(const float *got, const float *want, int n, const char *what)
{
    size_t where;
    if (ex_rel_error(got, want, (size_t)n, &where) <= 1e-5) return;
    ex_expect_mean_grad_written(got, want, n, GARBAGE, what);
    float alt[16];
    ex_expect(n <= 16, "(test) arrays too long");
    for (int i = 0; i < n; i++) alt[i] = want[i] / 2.0f;
    ex_expect(ex_rel_error(got, alt, (size_t)n, &where) > 1e-5,
              "%s: it is half the gradient; the derivative of e^2 is 2 e", what);
    for (int i = 0; i < n; i++) alt[i] = -want[i];
    ex_expect(ex_rel_error(got, alt, (size_t)n, &where) > 1e-5,
              "%s: the sign is wrong; the derivative of (y - t)^2 in y is 2 (y - t), not "
              "2 (t - y)", what);
    ex_expect_close(got, want, (size_t)n, 1e-5, what);
}

static void test_hand_worked(void **state)
{
    (void)state;
    /* y = (1, 2), t = (0, 0): L = (1 + 4) / 2 = 2.5, dy = 2 (1, 2) / 2 = (1, 2). */
    const float y[2] = {1, 2}, t[2] = {0, 0}, want[2] = {1, 2};
    float dy[2];
    fill(dy, 2, GARBAGE);
    float L = nn_mse_loss(dy, y, t, 2);
    ex_expect(fabsf(L - 5.0f) > 1e-6f, "L is 5, the sum of the squares: the loss is their mean "
              "(2.5)");
    ex_expect_near(L, 2.5, 1e-6, "L at y = (1, 2), t = (0, 0), (1 + 4) / 2");
    expect_grad(dy, want, 2, "dy at y = (1, 2), t = (0, 0)");
    /* y = (3, 3, 3), t = (1, 3, 6): errors (2, 0, -3), L = (4 + 0 + 9) / 3 = 13/3,
     * dy = 2 (2, 0, -3) / 3. */
    const float y3[3] = {3, 3, 3}, t3[3] = {1, 3, 6}, want3[3] = {4.0f / 3, 0, -2};
    float dy3[3];
    fill(dy3, 3, GARBAGE);
    ex_expect_near(nn_mse_loss(dy3, y3, t3, 3), 13.0 / 3.0, 1e-6,
                   "L at y = (3, 3, 3), t = (1, 3, 6), (4 + 0 + 9) / 3");
    expect_grad(dy3, want3, 3, "dy at y = (3, 3, 3), t = (1, 3, 6)");
}

/* tests/reference/exercise_judging.py: F.mse_loss(y, t) and y.grad, float64. */
static const float ref_y[7] = {0.5f, -1.25f, 2.0f, 0.0f, 3.5f, -0.75f, 1.0f};
static const float ref_t[7] = {1.0f, -1.0f, -0.5f, 0.25f, 3.5f, 0.5f, -2.0f};
static const float mse_dy[7] = {-0.142857143f, -0.0714285714f, 0.714285714f, -0.0714285714f,
                                0.0f, -0.357142857f, 0.857142857f};

static void test_pytorch_reference(void **state)
{
    (void)state;
    float dy[7];
    fill(dy, 7, GARBAGE);
    float L = nn_mse_loss(dy, ref_y, ref_t, 7);
    ex_expect_near(L, 2.45535714, 1e-6, "L against torch's F.mse_loss");
    expect_grad(dy, mse_dy, 7, "dy against torch's backward");
    /* NULL dy: only the loss is wanted, and it is the same. */
    ex_expect_near(nn_mse_loss(NULL, ref_y, ref_t, 7), 2.45535714, 1e-6, "L with dy = NULL");
}

/* Central differences of the returned loss against the dy it writes. */
static void test_central_difference(void **state)
{
    (void)state;
    float y[7], dy[7], num[7];
    for (int i = 0; i < 7; i++) y[i] = ref_y[i];
    nn_mse_loss(dy, y, ref_t, 7);
    const float h = 1e-2f; /* exact for a quadratic, up to rounding */
    for (int i = 0; i < 7; i++) {
        float keep = y[i];
        y[i] = keep + h;
        double up = nn_mse_loss(NULL, y, ref_t, 7);
        y[i] = keep - h;
        double down = nn_mse_loss(NULL, y, ref_t, 7);
        y[i] = keep;
        num[i] = (float)((up - down) / (2.0 * h));
    }
    ex_expect(fabsf(dy[2]) > 0.1f, "dy is (almost) zero where y and t differ by 2.5");
    ex_expect_close(dy, num, 7, 1e-3, "dy against central differences of L (h = 0.01)");
}

/* The constant c that minimises mean (c - t_i)^2 is the mean of the t_i: at
 * c = mean the gradient (summed over the copies of c) is 0. For targets -1
 * and +1 that is 0, where neither target is: lesson 13's two-mode toy. */
static void test_optimum_is_the_mean(void **state)
{
    (void)state;
    const float t[4] = {-1, 1, -1, 1};
    float c[4] = {0, 0, 0, 0}, dy[4];
    float L0 = nn_mse_loss(dy, c, t, 4);
    ex_expect_near(dy[0] + dy[1] + dy[2] + dy[3], 0.0, 1e-7,
                   "the summed gradient at c = 0, the mean of (-1, 1, -1, 1)");
    ex_expect_near(L0, 1.0, 1e-6, "L at c = 0 for targets -1 and 1");
    for (int i = 0; i < 4; i++) c[i] = 0.5f;
    ex_expect(nn_mse_loss(NULL, c, t, 4) > L0, "L at c = 0.5 is not above L at the mean, 0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_worked),
        cmocka_unit_test(test_pytorch_reference),
        cmocka_unit_test(test_central_difference),
        cmocka_unit_test(test_optimum_is_the_mean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
