/* Exercise 8: nn_gan_g_loss_nonsat, the non-saturating generator loss on D's
 * logits at the fakes,
 *   L = mean -log D(G(z)) = mean softplus(-s),   ds = -sigmoid(-s) / n (written):
 * hand-worked with n > 1, PyTorch's values, NULL ds, logits up to 1e4, and
 * central differences of the returned loss. ds starts at 7 (garbage). */
#define EX_NUM 8
#define EX_FUNC "nn_gan_g_loss_nonsat"
#include "exercise_util.h"
#include "nn.h"

#include <string.h>

#define GARBAGE 7.0f
#define LN3 1.09861229f /* sigmoid(ln 3) = 3/4, softplus(ln 3) = log 4 */

static int matches(const float *got, const float *want, int n, double tol)
{
    size_t where;
    return ex_rel_error(got, want, (size_t)n, &where) <= tol;
}

static void fill(float *v, int n, float x)
{
    for (int i = 0; i < n; i++) v[i] = x;
}

/* ds against want, with a message for each usual slip; minimax (may be
 * NULL) is what the minimax loss's gradient -sigmoid(s) / n would be. */
static void expect_grad(const float *got, const float *want, const float *minimax, int n,
                        const char *what)
{
    if (!matches(got, want, n, 1e-5)) {
        float alt[16];
        int untouched = 1;
        ex_expect(n <= 16, "(test) arrays too long");
        for (int i = 0; i < n; i++) untouched &= got[i] == GARBAGE;
        ex_expect(!untouched, "%s was not written (it still holds what was there before)",
                  what);
        for (int i = 0; i < n; i++) alt[i] = want[i] + GARBAGE;
        ex_expect(!matches(got, alt, n, 1e-5), "%s is the gradient + what ds held before: "
                  "the losses WRITE their gradient (=), they do not add into it (+=)", what);
        for (int i = 0; i < n; i++) alt[i] = want[i] * (float)n;
        ex_expect(!matches(got, alt, n, 1e-5), "%s is %d times too large: looks like the "
                  "gradient is missing the 1/n of the mean (n = %d here)", what, n, n);
        ex_expect(!(minimax && matches(got, minimax, n, 1e-5)), "%s is the minimax loss's "
                  "gradient -sigmoid(s) / n; the non-saturating loss -log sigmoid(s) has "
                  "-sigmoid(-s) / n", what);
        for (int i = 0; i < n; i++) alt[i] = -want[i];
        ex_expect(!matches(got, alt, n, 1e-5), "%s has the wrong sign: dL/ds = "
                  "-sigmoid(-s) / n is negative (a larger logit lowers G's loss)", what);
    }
    ex_expect_close(got, want, (size_t)n, 1e-5, what);
}

static void expect_loss(float L, double want, int n, const char *what)
{
    const double tol = 1e-5 * fabs(want) + 1e-7;
    if (fabs(L - want) > tol) {
        ex_expect(!(fabs(L - n * want) <= n * tol), "%s is %.7g: the sum over the logits, "
                  "not the mean (expected %.7g)", what, (double)L, want);
        ex_expect(!(L < 0.0f), "%s is %.7g, negative: that is the minimax loss mean log(1 - "
                  "D(G(z))), or a sign slip; the non-saturating loss is mean -log D(G(z)) = "
                  "mean softplus(-s) >= 0 (expected %.7g)", what, (double)L, want);
    }
    ex_expect_near(L, want, tol, what);
}

/* ---------------------------------------------------------------- by hand */

/* n = 3, s = ln 3, 0, -ln 3:
 *   softplus(-s) = log(4/3), log 2, log 4  ->  L = log(32/3) / 3 = 0.78904120
 *   sigmoid(-s) = 1/4, 1/2, 3/4  ->  ds = -sigmoid(-s) / 3 = -1/12, -1/6, -1/4
 *   (minimax's -sigmoid(s) / 3 would be -1/4, -1/6, -1/12)                 */
static void test_hand_worked(void **state)
{
    (void)state;
    const float s[3] = {LN3, 0.0f, -LN3};
    float ds[3];
    fill(ds, 3, GARBAGE);
    float L = nn_gan_g_loss_nonsat(ds, s, 3);
    expect_loss(L, 0.78904120, 3, "the loss for s = (ln 3, 0, -ln 3)");
    const float want[3] = {-1.0f / 12.0f, -1.0f / 6.0f, -0.25f};
    const float minimax[3] = {-0.25f, -1.0f / 6.0f, -1.0f / 12.0f};
    expect_grad(ds, want, minimax, 3, "dL/ds for s = (ln 3, 0, -ln 3), n = 3");
}

/* D undecided on 4 logits at 0: L = log 2, ds = -(1/2) / 4 = -1/8 each. */
static void test_undecided(void **state)
{
    (void)state;
    const float zeros[4] = {0};
    float ds[4];
    fill(ds, 4, GARBAGE);
    float L = nn_gan_g_loss_nonsat(ds, zeros, 4);
    expect_loss(L, 0.69314718, 4, "the loss at s = 0 (log 2)");
    const float want[4] = {-0.125f, -0.125f, -0.125f, -0.125f};
    expect_grad(ds, want, NULL, 4, "dL/ds at s = 0, n = 4 (-sigmoid(0) / 4)");
}

/* ---------------------------------------------------------------- PyTorch */

/* From tests/reference/exercise_losses.py: torch
 * F.binary_cross_entropy_with_logits(s_fake, 1), float64, backward(). */
static const float s_fake[7] = {-2.0f, 1.5f, 0.0f, -40.0f, 25.0f, -0.75f, 3.0f};
static const double g_loss_ref = 6.31527812;
static const float g_ds_ref[7] = {-0.125828154f, -0.0260607891f, -0.0714285714f,
                                  -0.142857143f, -1.98400027e-12f, -0.0970255285f,
                                  -0.00677512474f};
/* Not an answer: the minimax loss -bce(s_fake, 0) = mean log(1 - sigmoid(s)). */
static const double g_minimax_loss_slip = -4.42242098;
static const float g_minimax_ds_slip[7] = {-0.0170289889f, -0.116796354f, -0.0714285714f,
                                           -6.06907751e-19f, -0.142857143f, -0.0458316144f,
                                           -0.136082018f};

static void test_pytorch_reference(void **state)
{
    (void)state;
    float ds[7];
    fill(ds, 7, GARBAGE);
    float L = nn_gan_g_loss_nonsat(ds, s_fake, 7);
    ex_expect(isfinite(L), "the loss is %g for logits between -40 and 25: never "
              "log(sigmoid(s)); use softplus: -log D(G(z)) = softplus(-s)", (double)L);
    ex_expect(!(fabs(L - g_minimax_loss_slip) <= 1e-4), "the loss is %.7g, the minimax "
              "mean log(1 - D(G(z))); the non-saturating loss is mean -log D(G(z))",
              (double)L);
    ex_expect(fabs(L - g_loss_ref) <= 1e-5 * g_loss_ref, "the loss is %.7g, PyTorch's "
              "bce(s, 1) gives %.7g", (double)L, g_loss_ref);
    expect_grad(ds, g_ds_ref, g_minimax_ds_slip, 7, "dL/ds, against PyTorch's autograd");
}

/* A NULL ds is not written; the loss is the same. */
static void test_null_gradient(void **state)
{
    (void)state;
    float L = nn_gan_g_loss_nonsat(NULL, s_fake, 7);
    ex_expect(fabs(L - g_loss_ref) <= 1e-5 * g_loss_ref, "with ds = NULL the loss is %.7g, "
              "expected %.7g (PyTorch)", (double)L, g_loss_ref);
}

/* ---------------------------------------------------------------- stability */

/* From tests/reference/exercise_losses.py: D fooled with confidence,
 * bce([20, 30], 1) = (softplus(-20) + softplus(-30)) / 2 = 1.03e-9. */
static const double gc_loss_ref = 1.03062359e-09;

static void test_stable(void **state)
{
    (void)state;
    /* sigmoid(20) rounds to 1 in float: log(sigmoid(20)) is 0, not -2e-9. */
    const float c[2] = {20.0f, 30.0f};
    float L = nn_gan_g_loss_nonsat(NULL, c, 2);
    ex_expect(!(L >= 0.0f && L < 0.5 * gc_loss_ref), "the loss for s = (20, 30) is %g, "
              "PyTorch gives %.6g: never log(sigmoid(s)), sigmoid(20) rounds to 1 and the "
              "log to 0; -log D(G(z)) = softplus(-s) = max(-s, 0) + log1p(exp(-|s|))",
              (double)L, gc_loss_ref);
    ex_expect(fabs(L - gc_loss_ref) <= 1e-3 * gc_loss_ref, "the loss for s = (20, 30) is %g, "
              "PyTorch gives %.6g", (double)L, gc_loss_ref);

    /* Where D rejects the fake with certainty (s = -1e4) the non-saturating
     * loss still gives G a full-size gradient, -1/n: that is its point.
     *   n = 2, s = (-1e4, 1e4): L = (1e4 + 0) / 2 = 5e3,  ds = (-1/2, 0)     */
    const float s[2] = {-1e4f, 1e4f};
    float ds[2];
    fill(ds, 2, GARBAGE);
    L = nn_gan_g_loss_nonsat(ds, s, 2);
    ex_expect(isfinite(L), "the loss is %g for logits of +-1e4: log1p(exp(x)) overflows for "
              "x > 88: use max(x,0) + log1p(exp(-|x|)) (and never log(sigmoid(s)), which "
              "is log(0) there)", (double)L);
    ex_expect_near(L, 5e3, 0.5, "the loss for s = (-1e4, 1e4) (mean of 1e4 and 0)");
    ex_expect(isfinite(ds[0]) && isfinite(ds[1]), "dL/ds is inf or NaN for logits of +-1e4: "
              "sigmoid must not overflow (exercise 5's nn_sigmoidf does not)");
    const float want[2] = {-0.5f, 0.0f};
    expect_grad(ds, want, NULL, 2, "dL/ds for s = (-1e4, 1e4): -1/n where D rejects the "
                "fake, 0 where it is fooled");
}

/* ds against central differences of the returned loss, (L(s + h) - L(s - h)) / 2h. */
static void test_central_differences(void **state)
{
    (void)state;
    float s[5] = {-2.0f, 1.5f, 0.0f, -0.75f, 3.0f}, ds[5], num[5];
    fill(ds, 5, GARBAGE);
    nn_gan_g_loss_nonsat(ds, s, 5);
    const float h = 1e-2f;
    for (int k = 0; k < 5; k++) {
        const float keep = s[k];
        s[k] = keep + h;
        const double up = nn_gan_g_loss_nonsat(NULL, s, 5);
        s[k] = keep - h;
        const double down = nn_gan_g_loss_nonsat(NULL, s, 5);
        s[k] = keep;
        num[k] = (float)((up - down) / (2.0 * h));
    }
    int nonzero = 0;
    for (int k = 0; k < 5; k++) nonzero |= ds[k] != 0.0f;
    ex_expect(nonzero, "dL/ds is all zero: nothing to check");
    ex_expect_close(ds, num, 5, 1e-3, "dL/ds against central differences of your loss");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_worked),
        cmocka_unit_test(test_undecided),
        cmocka_unit_test(test_pytorch_reference),
        cmocka_unit_test(test_null_gradient),
        cmocka_unit_test(test_stable),
        cmocka_unit_test(test_central_differences),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
