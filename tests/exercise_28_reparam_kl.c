/* Exercise 28: the reparameterisation of a VAE and the KL of its Gaussian
 * from the prior, with their gradients (lib/gen/vae.h):
 *   z = mu + exp(lv / 2) eps,   dmu += dz,   dlv += dz eps exp(lv / 2) / 2
 *   KL = mean_i 1/2 sum_j (mu^2 + exp(lv) - 1 - lv),
 *   dmu += mu / rows,   dlv += (exp(lv) - 1) / (2 rows)
 * Hand-worked cases (naming the usual slips), PyTorch's values (autograd,
 * and torch.distributions.kl_divergence for the KL), and every gradient
 * against central differences. Gradients start at a non-zero value: they
 * are added to. */
#define EX_NUM 28
#define EX_FUNC "nn_reparam_forward / nn_reparam_backward / nn_gauss_kl"
#include "exercise_util.h"
#include "nn.h"

#include <string.h>

static void test_hand_worked_reparam(void **state)
{
    (void)state;
    /* (mu, lv, eps) = (1, 0, 2): sigma 1, z = 3;  (0, log 4, -1): sigma 2, z = -2. */
    const float mu[2] = {1, 0}, lv[2] = {0, logf(4.0f)}, eps[2] = {2, -1};
    float z[2] = {7, 7};
    nn_reparam_forward(z, mu, lv, eps, 2);
    ex_expect(!(z[0] == 7.0f && z[1] == 7.0f), "forward wrote nothing into z");
    ex_expect(fabsf(z[1] + 4.0f) > 1e-5f, "z = -4 for lv = log 4, eps = -1: lv is the log "
              "of the variance, so sigma = exp(lv / 2) = 2, not exp(lv) = 4");
    ex_expect(fabsf(z[1] - (0.0f - logf(4.0f))) > 1e-5f, "z = -log 4: lv is not sigma");
    ex_expect_near(z[0], 3.0, 1e-6, "z for mu 1, lv 0, eps 2");
    ex_expect_near(z[1], -2.0, 1e-5, "z for mu 0, lv log 4, eps -1");

    /* dz = (1, 1): dmu = (1, 1); dlv = dz eps sigma / 2 = (2 * 1 / 2, -1 * 2 / 2) = (1, -1),
     * added to 0.5. */
    const float dz[2] = {1, 1};
    float dmu[2] = {0.5f, 0.5f}, dlv[2] = {0.5f, 0.5f};
    nn_reparam_backward(dmu, dlv, dz, lv, eps, 2);
    ex_expect(!(dmu[0] == 0.5f && dlv[1] == 0.5f), "backward added nothing");
    ex_expect(fabsf(dmu[0] - 1.0f) > 1e-6f, "dmu was overwritten (=): add to it (+=)");
    ex_expect_near(dmu[0], 1.5, 1e-6, "dmu = 0.5 + dz (dz/dmu = 1)");
    ex_expect(fabsf(dlv[1] - (0.5f - 2.0f)) > 1e-5f, "dlv got dz eps sigma: the 1/2 of "
              "d exp(lv / 2) / d lv is missing");
    ex_expect_near(dlv[0], 1.5, 1e-6, "dlv = 0.5 + dz eps exp(lv / 2) / 2 at lv 0, eps 2");
    ex_expect_near(dlv[1], -0.5, 1e-5, "dlv = 0.5 + dz eps exp(lv / 2) / 2 at lv log 4, "
                   "eps -1");
    /* NULL pointers: only the other gradient is wanted. */
    float only[2] = {0, 0};
    nn_reparam_backward(NULL, only, dz, lv, eps, 2);
    ex_expect_near(only[1], -1.0, 1e-5, "dlv with dmu = NULL");
    nn_reparam_backward(only, NULL, dz, lv, eps, 2);
    ex_expect_near(only[0], 2.0, 1e-5, "dmu (added to dlv's 1 there) with dlv = NULL");
}

static void test_hand_worked_kl(void **state)
{
    (void)state;
    /* Row 0: (mu, lv) = (0, 0), the prior itself: KL 0.  Row 1: (1, 0): KL 1/2.
     * Mean over the 2 rows (dim 1): 1/4. */
    const float mu[2] = {0, 1}, lv[2] = {0, 0};
    float dmu[2] = {0.25f, 0.25f}, dlv[2] = {0.25f, 0.25f};
    float kl = nn_gauss_kl(dmu, dlv, mu, lv, 2, 1);
    ex_expect(fabsf(kl - 0.5f) > 1e-6f, "KL = 0.5, the sum over rows: it is their mean");
    ex_expect(fabsf(kl - 1.0f) > 1e-6f, "KL = 1: the 1/2 of the closed form is missing");
    ex_expect_near(kl, 0.25, 1e-6, "KL of rows (0, 0) and (1, 0), mean over rows");
    ex_expect(fabsf(dmu[1] - 0.5f) > 1e-6f, "dmu was overwritten (=): add to it (+=)");
    ex_expect_near(dmu[1], 0.25 + 0.5, 1e-6, "dmu = 0.25 + mu / rows at mu 1");
    ex_expect_near(dlv[0], 0.25, 1e-6, "dlv = 0.25 + (exp(0) - 1) / 2 / rows at lv 0");

    /* (mu, lv) = (0, log 4), one row of dim 1: KL = (4 - 1 - log 4) / 2;
     * dlv = (4 - 1) / 2 = 1.5. And dim 2: both numbers of a row are summed. */
    const float mu1[2] = {0, 0}, lv1[2] = {logf(4.0f), logf(4.0f)};
    float g[2] = {0, 0};
    float kl1 = nn_gauss_kl(NULL, g, mu1, lv1, 1, 1);
    ex_expect_near(kl1, 0.5 * (3.0 - log(4.0)), 1e-5, "KL of N(0, 4) from N(0, 1)");
    ex_expect_near(g[0], 1.5, 1e-5, "dlv at lv log 4 (dmu = NULL)");
    float kl2 = nn_gauss_kl(NULL, NULL, mu1, lv1, 1, 2);
    ex_expect(fabsf(kl2 - kl1) > 1e-5f, "a row of 2 numbers gives the KL of one: sum over "
              "the numbers of a row (dim), average over rows");
    ex_expect_near(kl2, 3.0 - log(4.0), 1e-5, "KL of one row of two N(0, 4)");
}

/* tests/reference/gen_exercises.py: autograd's gradients of z (backward
 * with dz) and of the mean KL, torch.distributions.kl_divergence's KL. */
static const float rp_mu[6] = {0.5f, -1.0f, 0.25f, 1.5f, 0.0f, -0.75f};
static const float rp_lv[6] = {0.0f, -0.5f, 1.0f, -2.0f, 0.3f, 0.7f};
static const float rp_eps[6] = {1.0f, 0.5f, -1.5f, -0.2f, 2.0f, 0.8f};
static const float rp_dz[6] = {0.3f, -1.0f, 0.5f, 2.0f, 0.1f, -0.4f};
static const float rp_z[6] = {1.5f, -0.610599608f, -2.22308191f, 1.42642411f, 2.32366849f,
    0.385254039f};
static const float rp_dmu[6] = {0.3f, -1.0f, 0.5f, 2.0f, 0.1f, -0.4f};
static const float rp_dlv[6] = {0.15f, -0.194700196f, -0.618270477f, -0.0735758882f, 0.116183424f,
    -0.227050808f};
static const float kl_value = 1.61218982f;
static const float kl_dmu[6] = {0.25f, -0.5f, 0.125f, 0.75f, 0.0f, -0.375f};
static const float kl_dlv[6] = {0.0f, -0.0983673351f, 0.429570457f, -0.216166179f, 0.0874647019f,
    0.253438177f};

static void test_pytorch_reference(void **state)
{
    (void)state;
    float z[6], dmu[6] = {0}, dlv[6] = {0};
    nn_reparam_forward(z, rp_mu, rp_lv, rp_eps, 6);
    ex_expect_close(z, rp_z, 6, 1e-6, "z against torch");
    nn_reparam_backward(dmu, dlv, rp_dz, rp_lv, rp_eps, 6);
    ex_expect_close(dmu, rp_dmu, 6, 1e-6, "dmu against torch.autograd");
    ex_expect_close(dlv, rp_dlv, 6, 1e-6, "dlv against torch.autograd");
    float kmu[6] = {0}, klv[6] = {0};
    float kl = nn_gauss_kl(kmu, klv, rp_mu, rp_lv, 2, 3);
    ex_expect_near(kl, kl_value, 1e-5, "KL of 2 rows of 3 against torch.distributions");
    ex_expect_close(kmu, kl_dmu, 6, 1e-6, "the KL's dmu against torch.autograd");
    ex_expect_close(klv, kl_dlv, 6, 1e-6, "the KL's dlv against torch.autograd");
}

/* L = sum_i w_i z_i, so dz = w: backward's gradients against central
 * differences of L, and the KL's against central differences of the KL. */
static void test_central_difference(void **state)
{
    (void)state;
    const float h = 1e-3f;
    float mu[6], lv[6], dmu[6] = {0}, dlv[6] = {0}, z[6];
    memcpy(mu, rp_mu, sizeof mu);
    memcpy(lv, rp_lv, sizeof lv);
    nn_reparam_backward(dmu, dlv, rp_dz, lv, rp_eps, 6);
    for (int i = 0; i < 6; i++)
        for (int which = 0; which < 2; which++) {
            float *p = which ? lv : mu, keep = p[i];
            double L[2];
            for (int s = 0; s < 2; s++) {
                p[i] = keep + (s ? -h : h);
                nn_reparam_forward(z, mu, lv, rp_eps, 6);
                L[s] = 0.0;
                for (int j = 0; j < 6; j++) L[s] += (double)rp_dz[j] * z[j];
            }
            p[i] = keep;
            double num = (L[0] - L[1]) / (2.0 * h);
            ex_expect_near(which ? dlv[i] : dmu[i], num, 2e-3, which
                           ? "reparam backward's dlv against central differences"
                           : "reparam backward's dmu against central differences");
        }
    float kmu[6] = {0}, klv[6] = {0};
    nn_gauss_kl(kmu, klv, mu, lv, 2, 3);
    for (int i = 0; i < 6; i++)
        for (int which = 0; which < 2; which++) {
            float *p = which ? lv : mu, keep = p[i];
            p[i] = keep + h;
            double up = nn_gauss_kl(NULL, NULL, mu, lv, 2, 3);
            p[i] = keep - h;
            double down = nn_gauss_kl(NULL, NULL, mu, lv, 2, 3);
            p[i] = keep;
            ex_expect(fabs(up - down) > 1e-7 || (which == 0 && mu[i] == 0.0f),
                      "the KL does not change with %s[%d]", which ? "lv" : "mu", i);
            ex_expect_near(which ? klv[i] : kmu[i], (up - down) / (2.0 * h), 2e-3, which
                           ? "the KL's dlv against central differences"
                           : "the KL's dmu against central differences");
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_worked_reparam),
        cmocka_unit_test(test_hand_worked_kl),
        cmocka_unit_test(test_pytorch_reference),
        cmocka_unit_test(test_central_difference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
