/* Exercise 7: nn_gan_d_loss, the discriminator's loss on logits,
 *   L = mean_real [softplus(s) - label s] + mean_fake softplus(s)
 * (label 1: -log D(x) and -log(1 - D(G(z)))), and the gradients it WRITES:
 *   ds_real = (sigmoid(s_real) - label) / n_real,  ds_fake = sigmoid(s_fake) / n_fake.
 * Hand-worked with n > 1, PyTorch's values (equal and unequal batch sizes,
 * label 1 and 0.9), NULL gradients, logits up to 1e4, and central
 * differences of the returned loss. Gradient arrays start at 7 (garbage). */
#define EX_NUM 7
#define EX_FUNC "nn_gan_d_loss"
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

static int all_equal(const float *v, int n, float x)
{
    for (int i = 0; i < n; i++)
        if (v[i] != x) return 0;
    return 1;
}

static void fill(float *v, int n, float x)
{
    for (int i = 0; i < n; i++) v[i] = x;
}

/* A gradient of one half (n logits, a mean over n; the other half has
 * n_other), with a message for each usual slip. */
static void expect_grad(const float *got, const float *want, int n, int n_other,
                        const char *what)
{
    if (!matches(got, want, n, 1e-5)) {
        float alt[16];
        ex_expect(n <= 16, "(test) arrays too long");
        ex_expect(!all_equal(got, n, GARBAGE), "%s was not written (it still holds what was "
                  "there before)", what);
        for (int i = 0; i < n; i++) alt[i] = want[i] + GARBAGE;
        ex_expect(!matches(got, alt, n, 1e-5), "%s is the gradient + what ds held before: "
                  "the losses WRITE their gradient (=), they do not add into it (+=)", what);
        for (int i = 0; i < n; i++) alt[i] = want[i] * (float)n;
        ex_expect(!matches(got, alt, n, 1e-5), "%s is %d times too large: looks like the "
                  "gradient is missing the 1/n of the mean (n = %d here)", what, n, n);
        for (int i = 0; i < n; i++) alt[i] = want[i] * (float)n / (float)n_other;
        ex_expect(!matches(got, alt, n, 1e-5), "%s is divided by the other half's count (%d) "
                  "instead of its own (%d): each half is its own mean", what, n_other, n);
        for (int i = 0; i < n; i++) alt[i] = want[i] * (float)n / (float)(n + n_other);
        ex_expect(!matches(got, alt, n, 1e-5), "%s is divided by n_real + n_fake = %d; each "
                  "half is its own mean, over its own %d logits", what, n + n_other, n);
        for (int i = 0; i < n; i++) alt[i] = -want[i];
        ex_expect(!matches(got, alt, n, 1e-5), "%s has the wrong sign: dL/ds_real = "
                  "(sigmoid(s) - label) / n_real <= 0, dL/ds_fake = sigmoid(s) / n_fake >= 0",
                  what);
    }
    ex_expect_close(got, want, (size_t)n, 1e-5, what);
}

/* The loss, with a message for each usual slip; lr and lf are the two
 * halves' means (the answer is lr + lf). */
static void expect_loss(float L, double lr, int nr, double lf, int nf, const char *what)
{
    const double want = lr + lf, tol = 1e-5 * fabs(want) + 1e-7;
    if (fabs(L - want) > tol) {
        ex_expect(!(fabs(L - (nr * lr + nf * lf)) <= tol * (nr + nf)), "%s is %.7g: the sum "
                  "over the logits, not the mean (expected %.7g)", what, (double)L, want);
        ex_expect(!(fabs(L - (nr * lr + nf * lf) / (nr + nf)) <= tol), "%s is %.7g: the mean "
                  "of all n_real + n_fake terms; L is mean over the real logits + mean over "
                  "the fake logits, each half its own mean (expected %.7g)", what, (double)L,
                  want);
        ex_expect(!(fabs(L + want) <= tol), "%s is %.7g, the negative of the loss %.7g: a "
                  "cross-entropy is >= 0", what, (double)L, want);
    }
    ex_expect_near(L, want, tol, what);
}

/* ---------------------------------------------------------------- by hand */

/* n_real = 2, n_fake = 3, label 1:
 *   real s = ln 3, -ln 3:  softplus(-s) = log(4/3), log 4;  sigmoid(s) = 3/4, 1/4
 *     L_real = (log(4/3) + log 4) / 2 = log(16/3) / 2 = 0.83698822
 *     ds_real = (sigmoid(s) - 1) / 2 = -1/8, -3/8
 *   fake s = ln 3, 0, -ln 3:  softplus(s) = log 4, log 2, log(4/3)
 *     L_fake = log(32/3) / 3 = 0.78904120
 *     ds_fake = sigmoid(s) / 3 = 1/4, 1/6, 1/12
 *   L = 1.62602942                                                          */
static void test_hand_worked(void **state)
{
    (void)state;
    const float sr[2] = {LN3, -LN3}, sf[3] = {LN3, 0.0f, -LN3};
    float dr[2], df[3];
    fill(dr, 2, GARBAGE);
    fill(df, 3, GARBAGE);
    float L = nn_gan_d_loss(dr, df, sr, sf, 2, 3, 1.0f);
    expect_loss(L, 0.83698822, 2, 0.78904120, 3,
                "the loss for s_real = (ln 3, -ln 3), s_fake = (ln 3, 0, -ln 3)");
    const float want_r[2] = {-0.125f, -0.375f};
    const float want_f[3] = {0.25f, 1.0f / 6.0f, 1.0f / 12.0f};
    expect_grad(dr, want_r, 2, 3, "dL/ds_real for s_real = (ln 3, -ln 3), n_real = 2");
    expect_grad(df, want_f, 3, 2, "dL/ds_fake for s_fake = (ln 3, 0, -ln 3), n_fake = 3");
}

/* D undecided on 4 + 4 logits at 0: L = log 2 + log 2 = 1.38629436,
 * ds_real = (1/2 - 1) / 4 = -1/8, ds_fake = (1/2) / 4 = 1/8. */
static void test_undecided(void **state)
{
    (void)state;
    const float zeros[4] = {0};
    float dr[4], df[4];
    fill(dr, 4, GARBAGE);
    fill(df, 4, GARBAGE);
    float L = nn_gan_d_loss(dr, df, zeros, zeros, 4, 4, 1.0f);
    expect_loss(L, 0.69314718, 4, 0.69314718, 4, "the loss at s = 0 (2 log 2)");
    const float want_r[4] = {-0.125f, -0.125f, -0.125f, -0.125f};
    const float want_f[4] = {0.125f, 0.125f, 0.125f, 0.125f};
    expect_grad(dr, want_r, 4, 4, "dL/ds_real at s = 0, n = 4 (-sigmoid(-0) / 4)");
    expect_grad(df, want_f, 4, 4, "dL/ds_fake at s = 0, n = 4 (sigmoid(0) / 4)");
}

/* ---------------------------------------------------------------- PyTorch */

/* From tests/reference/exercise_losses.py: torch
 * F.binary_cross_entropy_with_logits(s_real, label) + (s_fake, 0), float64,
 * gradients by backward(). */
static const float s_real[7] = {2.0f, -1.0f, 0.5f, 30.0f, -30.0f, 0.0f, 7.25f};
static const float s_fake[7] = {-2.0f, 1.5f, 0.0f, -40.0f, 25.0f, -0.75f, 3.0f};
/* label 1 */
static const double d_loss_ref = 9.08072437;
static const float d_ds_real_ref[7] = {-0.0170289889f, -0.10443694f, -0.0539343813f,
                                       -1.3354397e-14f, -0.142857143f, -0.0714285714f,
                                       -0.000101381486f};
static const float d_ds_fake_ref[7] = {0.0170289889f, 0.116796354f, 0.0714285714f,
                                       6.06907751e-19f, 0.142857143f, 0.0458316144f,
                                       0.136082018f};
/* label 0.9: bce(s_real, 0.9) + bce(s_fake, 0) */
static const double d09_loss_ref = 9.20572437;
static const float d09_ds_real_ref[7] = {-0.00274327457f, -0.0901512255f, -0.039648667f,
                                         0.0142857143f, -0.128571429f, -0.0571428571f,
                                         0.0141843328f};
/* Not an answer: two-sided smoothing, bce(s_fake, 0.1). */
static const float d09_ds_fake_twosided_slip[7] = {0.00274327457f, 0.102510639f,
                                                   0.0571428571f, -0.0142857143f,
                                                   0.128571429f, 0.0315459001f, 0.121796304f};
/* n_real = 5, n_fake = 3, label 1 */
static const float su_real[5] = {1.25f, -0.5f, 3.0f, -2.75f, 0.1f};
static const float su_fake[3] = {-1.5f, 0.8f, 2.2f};
static const double du_loss_real_ref = 0.946191533;
static const double du_loss_fake_ref = 1.22586575;
static const float du_ds_real_ref[5] = {-0.0445400278f, -0.124491866f, -0.00948517464f,
                                        -0.18798267f, -0.0950041625f};
static const float du_ds_fake_ref[3] = {0.0608085079f, 0.229991494f, 0.30008317f};

static void test_pytorch_reference(void **state)
{
    (void)state;
    float dr[7], df[7];
    fill(dr, 7, GARBAGE);
    fill(df, 7, GARBAGE);
    float L = nn_gan_d_loss(dr, df, s_real, s_fake, 7, 7, 1.0f);
    ex_expect(isfinite(L), "the loss is %g for logits between -40 and 30: never "
              "log(sigmoid(s)) or log(1 - sigmoid(s)), they are log(0) = -inf once sigmoid "
              "rounds to 0 or 1; use softplus: -log D(x) = softplus(-s)", (double)L);
    ex_expect(fabs(L - d_loss_ref) <= 1e-5 * d_loss_ref, "the loss is %.7g, PyTorch's BCE "
              "gives %.7g (logits from -40 to 30)", (double)L, d_loss_ref);
    expect_grad(dr, d_ds_real_ref, 7, 7, "dL/ds_real, against PyTorch's autograd");
    expect_grad(df, d_ds_fake_ref, 7, 7, "dL/ds_fake, against PyTorch's autograd");
}

static void test_unequal_sizes(void **state)
{
    (void)state;
    float dr[5], df[3];
    fill(dr, 5, GARBAGE);
    fill(df, 3, GARBAGE);
    float L = nn_gan_d_loss(dr, df, su_real, su_fake, 5, 3, 1.0f);
    expect_loss(L, du_loss_real_ref, 5, du_loss_fake_ref, 3,
                "the loss with n_real = 5, n_fake = 3, against PyTorch's BCE");
    expect_grad(dr, du_ds_real_ref, 5, 3, "dL/ds_real (n_real = 5, n_fake = 3), against "
                "PyTorch");
    expect_grad(df, du_ds_fake_ref, 3, 5, "dL/ds_fake (n_real = 5, n_fake = 3), against "
                "PyTorch");
}

/* One-sided label smoothing (Salimans et al. 2016): the real half's target is
 * 0.9, the fakes' stays 0. By hand, s_real = (0, ln 3), s_fake = (0, 0):
 *   real: softplus(s) - 0.9 s = log 2, log 4 - 0.9 ln 3 -> mean 0.54534524
 *         ds = (sigmoid(s) - 0.9) / 2 = (0.5 - 0.9) / 2, (0.75 - 0.9) / 2 = -0.2, -0.075
 *   fake: log 2 = 0.69314718, ds = 0.5 / 2 = 0.25 each;  L = 1.23849242    */
static void test_label_smoothing(void **state)
{
    (void)state;
    const float sr[2] = {0.0f, LN3}, sf[2] = {0.0f, 0.0f};
    float dr[2], df[2];
    fill(dr, 2, GARBAGE);
    fill(df, 2, GARBAGE);
    float L = nn_gan_d_loss(dr, df, sr, sf, 2, 2, 0.9f);
    const float want_r[2] = {-0.2f, -0.075f}, want_f[2] = {0.25f, 0.25f};
    const float label1_r[2] = {-0.25f, -0.125f};
    const float twosided_f[2] = {0.2f, 0.2f}; /* (0.5 - 0.1) / 2: a slip */
    ex_expect(!matches(dr, label1_r, 2, 1e-5), "dL/ds_real with real_label 0.9 is the one "
              "for label 1: the real logits' target is real_label, (sigmoid(s) - real_label) "
              "/ n_real");
    expect_loss(L, 0.54534524, 2, 0.69314718, 2,
                "the loss with real_label 0.9, s_real = (0, ln 3), s_fake = (0, 0)");
    expect_grad(dr, want_r, 2, 2, "dL/ds_real with real_label 0.9");
    ex_expect(!matches(df, twosided_f, 2, 1e-5), "dL/ds_fake with real_label 0.9 uses "
              "target 1 - 0.9 for the fakes: the smoothing is one-sided, fakes keep target 0");
    expect_grad(df, want_f, 2, 2, "dL/ds_fake with real_label 0.9 (fakes keep target 0)");

    /* PyTorch: bce(s_real, 0.9) + bce(s_fake, 0) on the 7 + 7 logits */
    float dr7[7], df7[7];
    fill(dr7, 7, GARBAGE);
    fill(df7, 7, GARBAGE);
    L = nn_gan_d_loss(dr7, df7, s_real, s_fake, 7, 7, 0.9f);
    ex_expect(isfinite(L), "the loss with real_label 0.9 is %g for logits between -40 and "
              "30: never log(sigmoid(s)) or log(1 - sigmoid(s)); the cross-entropy against "
              "label t is softplus(s) - t s = (max(s, 0) - t s) + log1p(exp(-|s|))",
              (double)L);
    ex_expect(!matches(dr7, d_ds_real_ref, 7, 1e-5), "dL/ds_real with real_label 0.9 is "
              "PyTorch's for label 1: real_label was ignored");
    ex_expect(!matches(df7, d09_ds_fake_twosided_slip, 7, 1e-5), "dL/ds_fake with "
              "real_label 0.9 uses target 1 - 0.9 for the fakes: the smoothing is "
              "one-sided, fakes keep target 0");
    ex_expect(fabs(L - d09_loss_ref) <= 1e-5 * d09_loss_ref, "the loss with real_label 0.9 "
              "is %.7g, PyTorch's bce(s_real, 0.9) + bce(s_fake, 0) gives %.7g", (double)L,
              d09_loss_ref);
    expect_grad(dr7, d09_ds_real_ref, 7, 7, "dL/ds_real with real_label 0.9, against PyTorch");
    expect_grad(df7, d_ds_fake_ref, 7, 7, "dL/ds_fake with real_label 0.9, against PyTorch");
}

/* ---------------------------------------------------------------- NULL */

/* A NULL gradient is not written (nn_gan_step passes only the half it
 * needs); the loss is the same. */
static void test_null_gradients(void **state)
{
    (void)state;
    float dr[5], df[3];
    fill(df, 3, GARBAGE);
    float L = nn_gan_d_loss(NULL, df, su_real, su_fake, 5, 3, 1.0f);
    expect_loss(L, du_loss_real_ref, 5, du_loss_fake_ref, 3, "the loss with ds_real = NULL");
    expect_grad(df, du_ds_fake_ref, 3, 5, "dL/ds_fake when ds_real is NULL");
    fill(dr, 5, GARBAGE);
    L = nn_gan_d_loss(dr, NULL, su_real, su_fake, 5, 3, 1.0f);
    expect_loss(L, du_loss_real_ref, 5, du_loss_fake_ref, 3, "the loss with ds_fake = NULL");
    expect_grad(dr, du_ds_real_ref, 5, 3, "dL/ds_real when ds_fake is NULL");
    L = nn_gan_d_loss(NULL, NULL, su_real, su_fake, 5, 3, 1.0f);
    expect_loss(L, du_loss_real_ref, 5, du_loss_fake_ref, 3, "the loss with both NULL");
}

/* ---------------------------------------------------------------- stability */

/* From tests/reference/exercise_losses.py: D confident and right,
 * bce([20, 30], 1) + bce([-20, -30], 0): each half is (softplus(-20) +
 * softplus(-30)) / 2 = 1.03e-9, about e^-20 / 2. */
static const double dc_loss_ref = 2.06124717e-09;

static void test_stable(void **state)
{
    (void)state;
    /* Logits of +-40, n = 2 each: sigmoid(40) rounds to 1 in float AND in
     * double, so log(sigmoid(-40)) and log(1 - sigmoid(40)) are -inf, while
     * exp(40) = 2.4e17 still fits in a float.
     *   L = mean softplus(40, -40) + mean softplus(40, -40) = 20 + 20 = 40    */
    const float mr[2] = {-40.0f, 40.0f}, mf[2] = {40.0f, -40.0f};
    float L = nn_gan_d_loss(NULL, NULL, mr, mf, 2, 2, 1.0f);
    ex_expect(isfinite(L), "the loss is %g for logits of +-40: never log(sigmoid(s)) or "
              "log(1 - sigmoid(s)) (sigmoid(40) rounds to 1, and log(0) is -inf); "
              "-log D(x) = softplus(-s), -log(1 - D(G(z))) = softplus(s)", (double)L);
    ex_expect_near(L, 40.0, 1e-4, "the loss for logits of +-40 (20 + 20)");

    /* Logits far beyond float's exp range, n = 2 each:
     *   L = mean softplus(1e4, -1e4) + mean softplus(1e4, -1e4) = 5e3 + 5e3
     *   ds_real = (sigmoid(-1e4, 1e4) - 1) / 2 = (-0.5, 0), ds_fake = (0.5, 0) */
    const float sr[2] = {-1e4f, 1e4f}, sf[2] = {1e4f, -1e4f};
    float dr[2], df[2];
    fill(dr, 2, GARBAGE);
    fill(df, 2, GARBAGE);
    L = nn_gan_d_loss(dr, df, sr, sf, 2, 2, 1.0f);
    ex_expect(isfinite(L), "the loss is %g for logits of +-1e4: log1p(exp(x)) overflows for "
              "x > 88: use max(x,0) + log1p(exp(-|x|))", (double)L);
    ex_expect_near(L, 1e4, 1.0, "the loss for logits of +-1e4 (5e3 + 5e3)");
    const float want_r[2] = {-0.5f, 0.0f}, want_f[2] = {0.5f, 0.0f};
    ex_expect(isfinite(dr[0]) && isfinite(dr[1]) && isfinite(df[0]) && isfinite(df[1]),
              "a gradient is inf or NaN for logits of +-1e4: sigmoid must not overflow "
              "(exercise 5's nn_sigmoidf does not)");
    expect_grad(dr, want_r, 2, 2, "dL/ds_real for s_real = (-1e4, 1e4)");
    expect_grad(df, want_f, 2, 2, "dL/ds_fake for s_fake = (1e4, -1e4)");

    /* Confident and right: the loss is tiny, 2e-9, and float holds it; a
     * form that rounds sigmoid(20) to 1 first, or adds 20 + 2e-9 before
     * subtracting 20, returns 0. */
    const float cr[2] = {20.0f, 30.0f}, cf[2] = {-20.0f, -30.0f};
    L = nn_gan_d_loss(NULL, NULL, cr, cf, 2, 2, 1.0f);
    ex_expect(!(L >= 0.0f && L < 0.75 * dc_loss_ref),
              "the loss for s_real = (20, 30), s_fake = (-20, -30) is %g, PyTorch gives "
              "%.6g: the small tail was lost. Never log(sigmoid(s)): -log D(x) = "
              "softplus(-s); and if you wrote softplus(s) - label * s, its two large terms "
              "cancel in float: compute (max(s, 0) - label * s) + log1p(exp(-|s|))",
              (double)L, dc_loss_ref);
    ex_expect(fabs(L - dc_loss_ref) <= 1e-3 * dc_loss_ref, "the loss for s_real = (20, 30), "
              "s_fake = (-20, -30) is %g, PyTorch gives %.6g", (double)L, dc_loss_ref);
}

/* ---------------------------------------------------------------- gradient check */

/* The written gradients against central differences of the returned loss,
 * (L(s + h) - L(s - h)) / 2h, with unequal sizes and real_label 0.9. */
static void test_central_differences(void **state)
{
    (void)state;
    float sr[5], sf[3], dr[5], df[3], nr[5], nf[3];
    memcpy(sr, su_real, sizeof sr);
    memcpy(sf, su_fake, sizeof sf);
    fill(dr, 5, GARBAGE);
    fill(df, 3, GARBAGE);
    nn_gan_d_loss(dr, df, sr, sf, 5, 3, 0.9f);
    const float h = 1e-2f;
    for (int k = 0; k < 8; k++) {
        float *v = k < 5 ? &sr[k] : &sf[k - 5];
        const float keep = *v;
        *v = keep + h;
        const double up = nn_gan_d_loss(NULL, NULL, sr, sf, 5, 3, 0.9f);
        *v = keep - h;
        const double down = nn_gan_d_loss(NULL, NULL, sr, sf, 5, 3, 0.9f);
        *v = keep;
        (k < 5 ? nr : nf)[k < 5 ? k : k - 5] = (float)((up - down) / (2.0 * h));
    }
    ex_expect(!all_equal(dr, 5, 0.0f) && !all_equal(df, 3, 0.0f),
              "the gradients are all zero: nothing to check");
    ex_expect_close(dr, nr, 5, 1e-3, "dL/ds_real against central differences of your loss");
    ex_expect_close(df, nf, 3, 1e-3, "dL/ds_fake against central differences of your loss");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_worked),
        cmocka_unit_test(test_undecided),
        cmocka_unit_test(test_pytorch_reference),
        cmocka_unit_test(test_unequal_sizes),
        cmocka_unit_test(test_label_smoothing),
        cmocka_unit_test(test_null_gradients),
        cmocka_unit_test(test_stable),
        cmocka_unit_test(test_central_differences),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
