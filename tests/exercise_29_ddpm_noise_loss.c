/* Exercise 29: a diffusion model's forward noising and its simple loss
 * (lib/gen/ddpm.h):
 *   x_t = sqrt(abar) x_0 + sqrt(1 - abar) eps          (each row its own abar)
 *   L = (1/n) sum_i || pred_i - eps_i ||^2,   dpred += 2 (pred - eps) / n
 * Hand-worked cases (naming the usual slips), the variance the noising
 * keeps, PyTorch's values, and the gradient against central differences. */
#define EX_NUM 29
#define EX_FUNC "nn_ddpm_noise / nn_ddpm_loss"
#include "exercise_util.h"
#include "nn.h"

#include <string.h>

static void test_hand_worked_noise(void **state)
{
    (void)state;
    /* x0 = (2, 0), eps = (0, 1), abar = 0.25: x_t = 0.5 x0 + sqrt(0.75) eps = (1, 0.866).
     * abar = 1: x_t = x0 (no noise yet); abar = 0: x_t = eps (all noise). */
    const float x0[6] = {2, 0, 2, 0, 2, 0}, eps[6] = {0, 1, 0, 1, 0, 1},
                abar[3] = {0.25f, 1.0f, 0.0f};
    float xt[6] = {9, 9, 9, 9, 9, 9};
    nn_ddpm_noise(xt, x0, eps, abar, 3, 2);
    ex_expect(!(xt[0] == 9.0f && xt[1] == 9.0f), "nothing was written into xt");
    ex_expect(fabsf(xt[0] - 0.5f) > 1e-5f, "x_t's first number is 0.5 = abar x0: the weight "
              "on x0 is sqrt(abar)");
    ex_expect(fabsf(xt[1] - 0.75f) > 1e-5f, "x_t's second number is 0.75 = (1 - abar) eps: "
              "the weight on eps is sqrt(1 - abar)");
    ex_expect_near(xt[0], 1.0, 1e-6, "x_t[0] for x0 = (2, 0), eps = (0, 1), abar 0.25");
    ex_expect_near(xt[1], sqrt(0.75), 1e-6, "x_t[1] for abar 0.25");
    ex_expect(fabsf(xt[2] - 1.0f) > 1e-6f, "row 1 used row 0's abar: each row has its own");
    ex_expect_near(xt[2], 2.0, 1e-6, "x_t at abar 1 (x0 itself)");
    ex_expect_near(xt[3], 0.0, 1e-6, "x_t at abar 1");
    ex_expect_near(xt[4], 0.0, 1e-6, "x_t at abar 0 (eps itself)");
    ex_expect_near(xt[5], 1.0, 1e-6, "x_t at abar 0");
}

/* x0 and eps both N(0, 1): x_t keeps variance abar + (1 - abar) = 1 at
 * every abar, the point of the square roots. */
static void test_variance_kept(void **state)
{
    (void)state;
    enum { N = 20000 };
    static float x0[N], eps[N], xt[N], ab[N];
    nn_rng r;
    nn_rng_seed(&r, 29, 0);
    for (int i = 0; i < N; i++) {
        x0[i] = nn_rng_normal(&r);
        eps[i] = nn_rng_normal(&r);
        ab[i] = 0.3f;
    }
    nn_ddpm_noise(xt, x0, eps, ab, N, 1);
    double s = 0.0, ss = 0.0, cx = 0.0;
    for (int i = 0; i < N; i++) {
        s += xt[i];
        ss += (double)xt[i] * xt[i];
        cx += (double)xt[i] * x0[i];
    }
    double var = ss / N - (s / N) * (s / N);
    ex_expect(fabs(var - 1.0) < 0.04, "x_t of N(0, 1) points and noise has variance %.3f at "
              "abar 0.3; it should stay 1 (abar + (1 - abar))", var);
    ex_expect(fabs(cx / N - sqrt(0.3)) < 0.03, "x_t's covariance with x0 is %.3f; expected "
              "sqrt(abar) = %.3f", cx / N, sqrt(0.3));
}

static void test_hand_worked_loss(void **state)
{
    (void)state;
    /* Rows (1, 1) and (0, 2) against eps 0: ||.||^2 = 2 and 4, mean over rows 3;
     * dpred = 2 (pred - eps) / 2 = (1, 1, 0, 2), added to 0.5. */
    const float pred[4] = {1, 1, 0, 2}, eps[4] = {0, 0, 0, 0};
    float d[4] = {0.5f, 0.5f, 0.5f, 0.5f};
    float L = nn_ddpm_loss(d, pred, eps, 2, 2);
    ex_expect(fabsf(L - 1.5f) > 1e-6f, "L = 1.5, the mean over every number: the squares of "
              "a row are summed, and only the rows averaged");
    ex_expect(fabsf(L - 6.0f) > 1e-6f, "L = 6, the sum over rows: average over them");
    ex_expect_near(L, 3.0, 1e-6, "L for rows (1, 1) and (0, 2) against zero noise");
    ex_expect(!(d[0] == 0.5f && d[3] == 0.5f), "dpred was not added to");
    ex_expect(fabsf(d[3] - 2.0f) > 1e-6f, "dpred was overwritten (=): add to it (+=)");
    ex_expect(fabsf(d[3] - 1.5f) > 1e-6f, "dpred is half the gradient: d e^2 / de = 2 e");
    ex_expect_near(d[0], 1.5, 1e-6, "dpred[0] = 0.5 + 2 (1 - 0) / 2");
    ex_expect_near(d[3], 2.5, 1e-6, "dpred[3] = 0.5 + 2 (2 - 0) / 2");
    ex_expect_near(nn_ddpm_loss(NULL, pred, eps, 2, 2), 3.0, 1e-6, "L with dpred = NULL");
}

/* tests/reference/gen_exercises.py */
static const float dn_x0[6] = {2.0f, 0.0f, -1.0f, 1.5f, 0.3f, -0.7f};
static const float dn_eps[6] = {0.5f, -1.0f, 1.2f, 0.4f, -0.3f, 2.0f};
static const float dn_abar[3] = {0.9f, 0.25f, 0.01f};
static const float dn_xt[6] = {2.05548048f, -0.316227766f, 0.539230485f, 1.09641016f,
    -0.268496231f, 1.91997487f};
static const float dl_pred[6] = {0.4f, -0.5f, 1.0f, 1.0f, 0.0f, 1.5f};
static const float dl_value = 0.333333333f;
static const float dl_dpred[6] = {-0.0666666667f, 0.333333333f, -0.133333333f, 0.4f, 0.2f,
    -0.333333333f};

static void test_pytorch_reference(void **state)
{
    (void)state;
    float xt[6], d[6] = {0};
    nn_ddpm_noise(xt, dn_x0, dn_eps, dn_abar, 3, 2);
    ex_expect_close(xt, dn_xt, 6, 1e-6, "x_t against torch");
    float L = nn_ddpm_loss(d, dl_pred, dn_eps, 3, 2);
    ex_expect_near(L, dl_value, 1e-5, "L against torch's mse_loss(reduction='sum') / n");
    ex_expect_close(d, dl_dpred, 6, 1e-6, "dpred against torch.autograd");
}

static void test_central_difference(void **state)
{
    (void)state;
    const float h = 1e-3f;
    float pred[6], d[6] = {0};
    memcpy(pred, dl_pred, sizeof pred);
    nn_ddpm_loss(d, pred, dn_eps, 3, 2);
    for (int i = 0; i < 6; i++) {
        float keep = pred[i];
        pred[i] = keep + h;
        double up = nn_ddpm_loss(NULL, pred, dn_eps, 3, 2);
        pred[i] = keep - h;
        double down = nn_ddpm_loss(NULL, pred, dn_eps, 3, 2);
        pred[i] = keep;
        ex_expect(fabs(up - down) > 1e-6, "L does not change with pred[%d]", i);
        ex_expect_near(d[i], (up - down) / (2.0 * h), 2e-3, "dpred against central "
                       "differences");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_worked_noise),
        cmocka_unit_test(test_variance_kept),
        cmocka_unit_test(test_hand_worked_loss),
        cmocka_unit_test(test_pytorch_reference),
        cmocka_unit_test(test_central_difference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
