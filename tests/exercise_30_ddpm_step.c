/* Exercise 30: one step of a diffusion model's ancestral sampler
 * (lib/gen/ddpm.h, Ho et al. 2020, Algorithm 2):
 *   x_prev = (x_t - beta / sqrt(1 - abar) eps_hat) / sqrt(1 - beta) + sigma z
 *   sigma^2 = (1 - abar_prev) / (1 - abar) beta,  no z at t = 1
 * Hand-worked cases (naming the usual slips), PyTorch's values (the step
 * without noise is the true posterior's mean, Ho et al.'s eq. 7, at the
 * x_0 the predicted noise implies), and a whole chain: with the exact noise
 * of data that is one point c, T steps from any start end at c. */
#define EX_NUM 30
#define EX_FUNC "nn_ddpm_step"
#include "exercise_util.h"
#include "nn.h"

static void test_hand_worked(void **state)
{
    (void)state;
    /* beta 0.36, abar 0.36, abar_prev 0.5625 (0.5625 * 0.64 = 0.36):
     * beta / sqrt(1 - abar) = 0.45, 1 / sqrt(1 - beta) = 1.25,
     * sigma^2 = 0.4375 / 0.64 * 0.36 = 0.24609375.
     * x_t = 1, eps_hat = 1, z = 1: (1 - 0.45) 1.25 + sqrt(0.24609375). */
    const float xt[1] = {1}, e[1] = {1}, z[1] = {1};
    float x[1] = {9};
    nn_ddpm_step(x, xt, e, z, 0.36f, 0.36f, 0.5625f, 1, 1);
    const double mean = 0.55 * 1.25, sd = sqrt(0.24609375);
    ex_expect(x[0] != 9.0f, "nothing was written into x_prev");
    ex_expect(fabs(x[0] - (mean + 0.6)) > 1e-5, "the noise has sd sqrt(beta) = 0.6: use the "
              "true posterior's variance (1 - abar_prev) / (1 - abar) beta");
    ex_expect(fabs(x[0] - mean) > 1e-5, "no noise was added although z is not NULL");
    ex_expect(fabs(x[0] - (0.55 + sd)) > 1e-5, "the mean was not divided by sqrt(alpha) = "
              "sqrt(1 - beta)");
    ex_expect(fabs(x[0] - ((1.0 - 0.36 / 0.6) * 1.25 + sd)) > 1e-5, "the noise was weighted "
              "by beta / sqrt(1 - beta): it is beta / sqrt(1 - abar)");
    ex_expect_near(x[0], mean + sd, 1e-5, "x_prev for x_t 1, eps_hat 1, z 1");

    /* The last step (t = 1): abar = 1 - beta, abar_prev = 1, z = NULL:
     * beta 0.36, abar 0.64: (1 - 0.36 / 0.6) / 0.8 = 0.5, which is also the
     * x_0 the noise implies, (x_t - sqrt(1 - abar) eps_hat) / sqrt(abar). */
    nn_ddpm_step(x, xt, e, NULL, 0.36f, 0.64f, 1.0f, 1, 1);
    ex_expect_near(x[0], 0.5, 1e-5, "the last step's x_0 (z = NULL)");
}

/* tests/reference/gen_exercises.py: T = 100, beta 1e-4..0.1, t = 40. */
static const float st_beta = 0.0394545455f, st_abar = 0.448501587f, st_abar_prev = 0.466923856f;
static const float st_xt[4] = {1.0f, -0.5f, 0.2f, 0.8f};
static const float st_eps_hat[4] = {0.3f, 0.6f, -1.1f, 0.05f};
static const float st_z[4] = {0.7f, -0.2f, 1.5f, -0.9f};
static const float st_mean[4] = {1.0040684f, -0.542690442f, 0.263695332f, 0.813554304f};
static const float st_x_prev[4] = {1.14076857f, -0.581747634f, 0.556624267f, 0.637796944f};
static const float st1_beta = 0.0001f, st1_abar = 0.9999f;
static const float st1_x_prev[4] = {0.997049854f, -0.506025302f, 0.211010551f, 0.799539978f};

static void test_pytorch_reference(void **state)
{
    (void)state;
    float x[4];
    nn_ddpm_step(x, st_xt, st_eps_hat, NULL, st_beta, st_abar, st_abar_prev, 2, 2);
    ex_expect_close(x, st_mean, 4, 1e-5, "the step without noise against torch's posterior "
                    "mean of q(x_{t-1} | x_t, x_0) at the predicted x_0");
    nn_ddpm_step(x, st_xt, st_eps_hat, st_z, st_beta, st_abar, st_abar_prev, 2, 2);
    ex_expect_close(x, st_x_prev, 4, 1e-5, "the step with noise z against torch");
    nn_ddpm_step(x, st_xt, st_eps_hat, NULL, st1_beta, st1_abar, 1.0f, 2, 2);
    ex_expect_close(x, st1_x_prev, 4, 1e-5, "the last step (t = 1) against torch's x_0");
}

/* Data that is the one point c: the exact noise of x_t is
 * (x_t - sqrt(abar_t) c) / sqrt(1 - abar_t). A chain of steps fed it ends
 * at c whatever x_T and the noise were. */
static void test_chain_lands_on_the_data(void **state)
{
    (void)state;
    nn_error err;
    nn_ddpm_config cfg = nn_ddpm_config_default();
    cfg.dim = 1;
    nn_ddpm *d = nn_ddpm_create(&cfg, 1, &err);
    assert_non_null(d);
    const float c = 0.7f;
    nn_rng r;
    nn_rng_seed(&r, 30, 0);
    for (int trial = 0; trial < 5; trial++) {
        float x = 3.0f * nn_rng_normal(&r), next, e, z;
        for (int t = cfg.T; t >= 1; t--) {
            float ab = d->abar[t - 1], abp = t > 1 ? d->abar[t - 2] : 1.0f;
            e = (x - sqrtf(ab) * c) / sqrtf(1.0f - ab);
            z = nn_rng_normal(&r);
            nn_ddpm_step(&next, &x, &e, t > 1 ? &z : NULL, d->beta[t - 1], ab, abp, 1, 1);
            x = next;
        }
        ex_expect_near(x, c, 1e-3, "the end of a chain of T steps fed the exact noise of data "
                       "at the one point 0.7");
    }
    nn_ddpm_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_worked),
        cmocka_unit_test(test_pytorch_reference),
        cmocka_unit_test(test_chain_lands_on_the_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
