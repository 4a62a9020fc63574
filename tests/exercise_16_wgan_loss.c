/* Exercise 16: nn_wgan_critic_loss and nn_wgan_g_loss, the Wasserstein
 * losses on the critic's scores,
 *   L_critic = mean s_fake - mean s_real,   L_G = -mean s_fake,
 * and the gradients they WRITE: -1/n_real, 1/n_fake, -1/n. Hand-worked with
 * n > 1 and unequal sizes, PyTorch's values, NULL gradients, large scores,
 * and central differences of the returned losses. Gradient arrays start at
 * 7 (garbage), so a gradient added instead of written shows. */
#define EX_NUM 16
#define EX_FUNC "nn_wgan_critic_loss / nn_wgan_g_loss"
#include "exercise_util.h"
#include "nn.h"

#include <string.h>

#define GARBAGE 7.0f

static void fill(float *v, int n, float x)
{
    for (int i = 0; i < n; i++) v[i] = x;
}

static int matches(const float *got, const float *want, int n)
{
    size_t where;
    return ex_rel_error(got, want, (size_t)n, &where) <= 1e-5;
}

/* A gradient, with a message for each usual slip. */
static void expect_grad(const float *got, const float *want, int n, const char *what)
{
    if (!matches(got, want, n)) {
        float alt[16];
        ex_expect(n <= 16, "(test) arrays too long");
        for (int i = 0; i < n; i++) alt[i] = GARBAGE;
        ex_expect(!matches(got, alt, n), "%s: not written (it still holds what was there "
                  "before)", what);
        for (int i = 0; i < n; i++) alt[i] = want[i] + GARBAGE;
        ex_expect(!matches(got, alt, n), "%s: it is the gradient plus what the array held; "
                  "the losses WRITE their gradient (=), they do not add into it (+=)", what);
        for (int i = 0; i < n; i++) alt[i] = -want[i];
        ex_expect(!matches(got, alt, n), "%s: the sign is wrong; the critic lowers its loss "
                  "by scoring reals higher (dL/ds_real < 0) and fakes lower (dL/ds_fake > 0); "
                  "G lowers its loss by raising its fakes' scores (dL/ds < 0)", what);
        for (int i = 0; i < n; i++) alt[i] = want[i] * (float)n;
        ex_expect(!matches(got, alt, n), "%s: each value is %d times too large; the loss is "
                  "a mean over these %d scores, so each score's share is 1/%d", what, n, n, n);
    }
    ex_expect_close(got, want, (size_t)n, 1e-5, what);
}

/* ---------------------------------------------------------------- by hand */

/* Reals scored (1, 3), fakes (0, 0, 3): L = mean fake - mean real = 1 - 2 = -1;
 * dL/ds_real = -1/2 each, dL/ds_fake = 1/3 each. G: -mean fake = -1, -1/3 each. */
static void test_hand_worked(void **state)
{
    (void)state;
    const float sr[2] = {1.0f, 3.0f}, sf[3] = {0.0f, 0.0f, 3.0f};
    float dr[2], df[3];
    fill(dr, 2, GARBAGE);
    fill(df, 3, GARBAGE);
    float L = nn_wgan_critic_loss(dr, df, sr, sf, 2, 3);
    if (fabs(L - -1.0) > 1e-6) {
        ex_expect(fabs(L - 1.0) > 1e-6, "the critic's loss is %g for reals (1, 3) and fakes "
                  "(0, 0, 3): the sign is flipped; the critic MINIMISES mean fake score - "
                  "mean real score (expected -1)", (double)L);
        ex_expect(fabs(L - (3.0 - 4.0) / 5.0) > 1e-6, "the critic's loss is %g: the mean of "
                  "all five scores together; each half is its own mean (expected 1 - 2 = -1)",
                  (double)L);
        ex_expect(fabs(L - (3.0 - 4.0)) > 1e-6, "the critic's loss is %g: sums, not means "
                  "(expected 1 - 2 = -1)", (double)L);
    }
    ex_expect_near(L, -1.0, 1e-6, "the critic's loss for reals (1, 3), fakes (0, 0, 3)");
    const float want_r[2] = {-0.5f, -0.5f}, want_f[3] = {1.0f / 3, 1.0f / 3, 1.0f / 3};
    expect_grad(dr, want_r, 2, "dL/ds_real for 2 reals");
    expect_grad(df, want_f, 3, "dL/ds_fake for 3 fakes");

    float dg[3];
    fill(dg, 3, GARBAGE);
    float Lg = nn_wgan_g_loss(dg, sf, 3);
    ex_expect(fabs(Lg - 1.0) > 1e-6, "G's loss is %g for fakes (0, 0, 3): the sign is "
              "flipped; G minimises MINUS the mean score of its fakes (expected -1)",
              (double)Lg);
    ex_expect_near(Lg, -1.0, 1e-6, "G's loss for fakes (0, 0, 3)");
    const float want_g[3] = {-1.0f / 3, -1.0f / 3, -1.0f / 3};
    expect_grad(dg, want_g, 3, "G's dL/ds for 3 fakes");
}

/* ---------------------------------------------------------------- PyTorch */

/* From tests/reference/exercise_wasserstein.py, float64:
 * (s_fake.mean() - s_real.mean()).backward(); (-s_fake.mean()).backward(). */
static const float su_real[5] = {1.25f, -0.5f, 3.0f, -2.75f, 0.1f};
static const float su_fake[3] = {-1.5f, 0.8f, 2.2f};
static const double w_critic_ref = 0.28;
static const float w_ds_real_ref[5] = {-0.2f, -0.2f, -0.2f, -0.2f, -0.2f};
static const float w_ds_fake_ref[3] = {0.333333333f, 0.333333333f, 0.333333333f};
static const double w_g_ref = -0.5;
static const float w_g_ds_ref[3] = {-0.333333333f, -0.333333333f, -0.333333333f};

static void test_pytorch_reference(void **state)
{
    (void)state;
    float dr[5], df[3], dg[3];
    fill(dr, 5, GARBAGE);
    fill(df, 3, GARBAGE);
    fill(dg, 3, GARBAGE);
    float L = nn_wgan_critic_loss(dr, df, su_real, su_fake, 5, 3);
    ex_expect_near(L, w_critic_ref, 1e-6, "the critic's loss (n_real 5, n_fake 3) against "
                   "PyTorch");
    /* Each half is a mean over its own count. */
    expect_grad(dr, w_ds_real_ref, 5, "dL/ds_real for 5 reals and 3 fakes (PyTorch's values)");
    expect_grad(df, w_ds_fake_ref, 3, "dL/ds_fake for 5 reals and 3 fakes (PyTorch's values)");
    float Lg = nn_wgan_g_loss(dg, su_fake, 3);
    ex_expect_near(Lg, w_g_ref, 1e-6, "G's loss on 3 fakes against PyTorch");
    expect_grad(dg, w_g_ds_ref, 3, "G's dL/ds against PyTorch");
}

/* A NULL gradient is not written; the loss is the same. */
static void test_null_gradients(void **state)
{
    (void)state;
    float df[3];
    fill(df, 3, GARBAGE);
    float L = nn_wgan_critic_loss(NULL, df, su_real, su_fake, 5, 3);
    ex_expect_near(L, w_critic_ref, 1e-6, "the critic's loss with ds_real = NULL");
    expect_grad(df, w_ds_fake_ref, 3, "dL/ds_fake when ds_real is NULL");
    L = nn_wgan_critic_loss(NULL, NULL, su_real, su_fake, 5, 3);
    ex_expect_near(L, w_critic_ref, 1e-6, "the critic's loss with both gradients NULL");
    ex_expect_near(nn_wgan_g_loss(NULL, su_fake, 3), w_g_ref, 1e-6, "G's loss with ds NULL");
}

/* Scores are not bounded like probabilities: a critic without a constraint
 * drives them to 1e7 and beyond. Reals (1e7, 1), fakes (-1e7, 1): the means
 * are 5e6 + 0.5 and -5e6 + 0.5, L = -1e7; in float the 1 would be lost in
 * the sum, but not in the result's precision. */
static void test_large_scores(void **state)
{
    (void)state;
    const float sr[2] = {1e7f, 1.0f}, sf[2] = {-1e7f, 1.0f};
    float L = nn_wgan_critic_loss(NULL, NULL, sr, sf, 2, 2);
    ex_expect(isfinite(L), "the critic's loss is %g for scores of 1e7", (double)L);
    ex_expect_near(L, -1e7, 1.0, "the critic's loss for reals (1e7, 1), fakes (-1e7, 1)");
}

/* ---------------------------------------------------------------- gradient check */

static void test_central_differences(void **state)
{
    (void)state;
    float sr[5], sf[3], dr[5], df[3], nr[5], nf[3], dg[3], ng[3];
    memcpy(sr, su_real, sizeof sr);
    memcpy(sf, su_fake, sizeof sf);
    nn_wgan_critic_loss(dr, df, sr, sf, 5, 3);
    nn_wgan_g_loss(dg, sf, 3);
    const float h = 1e-2f;
    for (int k = 0; k < 8; k++) {
        float *v = k < 5 ? &sr[k] : &sf[k - 5];
        const float keep = *v;
        *v = keep + h;
        const double up = nn_wgan_critic_loss(NULL, NULL, sr, sf, 5, 3);
        const double gup = nn_wgan_g_loss(NULL, sf, 3);
        *v = keep - h;
        const double down = nn_wgan_critic_loss(NULL, NULL, sr, sf, 5, 3);
        const double gdown = nn_wgan_g_loss(NULL, sf, 3);
        *v = keep;
        (k < 5 ? nr : nf)[k < 5 ? k : k - 5] = (float)((up - down) / (2.0 * h));
        if (k >= 5) ng[k - 5] = (float)((gup - gdown) / (2.0 * h));
    }
    ex_expect(nr[0] != 0.0f && nf[0] != 0.0f && ng[0] != 0.0f, "a loss does not change "
              "when a score does (its central difference is 0): is it written yet?");
    ex_expect_close(dr, nr, 5, 1e-3, "dL/ds_real against central differences of your loss");
    ex_expect_close(df, nf, 3, 1e-3, "dL/ds_fake against central differences of your loss");
    ex_expect_close(dg, ng, 3, 1e-3, "G's dL/ds against central differences of your loss");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_worked),
        cmocka_unit_test(test_pytorch_reference),
        cmocka_unit_test(test_null_gradients),
        cmocka_unit_test(test_large_scores),
        cmocka_unit_test(test_central_differences),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
