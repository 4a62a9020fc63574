/* Exercise 27: nn_coupling_forward and nn_coupling_inverse, one affine
 * coupling layer of a RealNVP flow on points (n, 2):
 *   forward:  y_keep = x_keep,  y_other = x_other exp(s) + t,  logdet += s
 *   inverse:  x_other = (y_other - t) exp(-s),                 logdet -= s
 * Hand-worked cases (naming the usual slips), PyTorch's values (the
 * log-determinant from torch.autograd.functional.jacobian of the whole map,
 * s and t depending on the kept coordinate), inverse(forward(x)) == x, and
 * the log-determinant against the log |det| of the Jacobian measured by
 * central differences. logdet starts at a non-zero value: it is added to. */
#define EX_NUM 27
#define EX_FUNC "nn_coupling_forward / nn_coupling_inverse"
#include "exercise_util.h"
#include "nn.h"

#define GARBAGE 7.0f

static void test_hand_worked(void **state)
{
    (void)state;
    /* x = (1, 2), keep 0, s = log 2, t = 1: y = (1, 2 * 2 + 1) = (1, 5),
     * log |det J| = log 2, added to the 0.5 already there. */
    const float x[2] = {1, 2}, s[1] = {logf(2.0f)}, t[1] = {1};
    float y[2] = {GARBAGE, GARBAGE}, ld[1] = {0.5f};
    nn_coupling_forward(y, ld, x, s, t, 1, 0);
    ex_expect(!(y[0] == GARBAGE && y[1] == GARBAGE), "forward wrote nothing into y");
    ex_expect(!(fabsf(y[0] - 3.0f) < 1e-5f && y[1] == 2.0f),
              "forward moved the kept coordinate (keep = 0 means x_0 passes through and x_1 "
              "is scaled and shifted)");
    ex_expect(fabsf(y[1] - 3.0f) > 1e-5f, "forward gives y_1 = 3 = x_1 + t: the scale is "
              "exp(s) = 2, not 1");
    ex_expect(fabsf(y[1] - 6.0f) > 1e-5f, "forward gives y_1 = 6 = (x_1 + t) exp(s): scale "
              "first, then shift");
    ex_expect_near(y[0], 1.0, 1e-6, "forward's y_0 (kept) for x = (1, 2), keep 0");
    ex_expect_near(y[1], 5.0, 1e-5, "forward's y_1 = 2 exp(log 2) + 1");
    ex_expect(fabsf(ld[0] - logf(2.0f)) > 1e-5f, "logdet was overwritten (=): add to it (+=), "
              "the flow sums the layers' log-determinants");
    ex_expect(fabsf(ld[0] - 2.5f) > 1e-5f, "logdet got exp(s) = |det J|: it wants log |det J|");
    ex_expect_near(ld[0], 0.5 + log(2.0), 1e-6, "logdet: 0.5 + log |det J| = 0.5 + log 2");

    /* keep 1: x = (3, -1), s = -log 2, t = 0.5: y = (3 / 2 + 0.5, -1) = (2, -1). */
    const float x1[2] = {3, -1}, s1[1] = {-logf(2.0f)}, t1[1] = {0.5f};
    float y1[2] = {GARBAGE, GARBAGE}, ld1[1] = {0};
    nn_coupling_forward(y1, ld1, x1, s1, t1, 1, 1);
    ex_expect(!(y1[0] == 3.0f && fabsf(y1[1] - 0.0f) < 1e-6f), "keep = 1 moved x_1 instead of "
              "x_0");
    ex_expect_near(y1[0], 2.0, 1e-5, "forward's y_0 for x = (3, -1), keep 1, s = -log 2, "
                   "t = 0.5");
    ex_expect_near(y1[1], -1.0, 1e-6, "forward's y_1 (kept) for keep 1");
    ex_expect_near(ld1[0], -log(2.0), 1e-6, "logdet for s = -log 2");

    /* The inverse of the first case: y = (1, 5) -> x = (1, (5 - 1) / 2) = (1, 2). */
    float back[2] = {GARBAGE, GARBAGE}, ldb[1] = {0.5f};
    nn_coupling_inverse(back, ldb, y, s, t, 1, 0);
    ex_expect(!(back[0] == GARBAGE && back[1] == GARBAGE), "inverse wrote nothing into x");
    ex_expect(fabsf(back[1] - 1.5f) > 1e-5f, "inverse gives 5 / 2 - 1 = 1.5: undo the shift "
              "first, then the scale");
    ex_expect_near(back[0], 1.0, 1e-6, "inverse's x_0 (kept) for y = (1, 5)");
    ex_expect_near(back[1], 2.0, 1e-5, "inverse's x_1 = (5 - 1) exp(-log 2)");
    ex_expect(fabsf(ldb[0] - (0.5f + logf(2.0f))) > 1e-5f, "inverse added +s to logdet: the "
              "inverse map's log-determinant is minus the forward's");
    ex_expect_near(ldb[0], 0.5 - log(2.0), 1e-6, "inverse's logdet: 0.5 - log 2");

    /* logdet may be NULL: then only y is wanted. */
    float y2[2];
    nn_coupling_forward(y2, NULL, x, s, t, 1, 0);
    ex_expect_near(y2[1], 5.0, 1e-5, "forward's y_1 with logdet = NULL");
    nn_coupling_inverse(y2, NULL, y, s, t, 1, 0);
    ex_expect_near(y2[1], 2.0, 1e-5, "inverse's x_1 with logdet = NULL");
}

/* tests/reference/flow_coupling.py: s = 1.5 tanh(0.7 k + 0.3), t = k^2 - 0.5
 * of the kept coordinate k; logdet is log |det| of torch.autograd's
 * Jacobian of the whole map x -> y, float64. */
static const float ref_x[10] = {0.5f, -1.0f, -1.25f, 2.0f, 2.0f, 0.25f, 0.0f, -0.75f,
                                -0.3f, 1.6f};
static const float cp_s0[5] = {0.857504949f, -0.778532751f, 1.40311361f, 0.436968919f,
                               0.134636677f};
static const float cp_t0[5] = {-0.25f, 1.0625f, 3.5f, -0.5f, -0.41f};
static const float cp_y0[10] = {0.5f, -2.60727184f, -1.25f, 1.9806582f, 2.0f, 4.51696148f,
                                0.0f, -1.66100597f, -0.3f, 1.42059364f};
static const float cp_logdet0[5] = {0.857504949f, -0.778532751f, 1.40311361f, 0.436968919f,
                                    0.134636677f};
static const float cp_s1[5] = {-0.569923443f, 1.40311361f, 0.663345534f, -0.331917702f,
                               1.33439839f};
static const float cp_t1[5] = {0.5f, 3.5f, -0.4375f, 0.0625f, 2.06f};
static const float cp_y1[10] = {0.782784368f, -1.0f, -1.58480742f, 2.0f, 3.44505218f, 0.25f,
                                0.0625f, -0.75f, 0.920686848f, 1.6f};
static const float cp_logdet1[5] = {-0.569923443f, 1.40311361f, 0.663345534f, -0.331917702f,
                                    1.33439839f};

static void test_pytorch_reference(void **state)
{
    (void)state;
    const float *S[2] = {cp_s0, cp_s1}, *T[2] = {cp_t0, cp_t1}, *Y[2] = {cp_y0, cp_y1},
                *LD[2] = {cp_logdet0, cp_logdet1};
    for (int keep = 0; keep < 2; keep++) {
        float y[10], ld[5] = {0}, back[10];
        for (int i = 0; i < 10; i++) y[i] = back[i] = GARBAGE;
        nn_coupling_forward(y, ld, ref_x, S[keep], T[keep], 5, keep);
        char what[96];
        snprintf(what, sizeof what, "forward's y against torch, keep = %d", keep);
        ex_expect_close(y, Y[keep], 10, 1e-6, what);
        snprintf(what, sizeof what, "logdet against torch.autograd's Jacobian, keep = %d", keep);
        ex_expect_close(ld, LD[keep], 5, 1e-6, what);
        /* And back from torch's y to the points. */
        nn_coupling_inverse(back, ld, Y[keep], S[keep], T[keep], 5, keep);
        snprintf(what, sizeof what, "inverse of torch's y, keep = %d", keep);
        ex_expect_close(back, ref_x, 10, 1e-6, what);
        for (int i = 0; i < 5; i++)
            ex_expect_near(ld[i], 0.0, 1e-6, "forward's then inverse's logdet (they cancel)");
    }
}

/* inverse(forward(x)) == x for points and scales over a wide range. */
static void test_round_trip(void **state)
{
    (void)state;
    enum { N = 64 };
    float x[2 * N], y[2 * N], back[2 * N], s[N], t[N], ld[N] = {0};
    nn_rng r;
    nn_rng_seed(&r, 27, 0);
    for (int i = 0; i < 2 * N; i++) x[i] = 4.0f * nn_rng_normal(&r);
    for (int i = 0; i < N; i++) {
        s[i] = 2.0f * nn_rng_normal(&r);
        t[i] = 3.0f * nn_rng_normal(&r);
    }
    for (int keep = 0; keep < 2; keep++) {
        nn_coupling_forward(y, ld, x, s, t, N, keep);
        nn_coupling_inverse(back, ld, y, s, t, N, keep);
        double worst = 0.0;
        for (int i = 0; i < 2 * N; i++) worst = fmax(worst, fabs(back[i] - x[i]) /
                                                            (1.0 + fabs(x[i])));
        ex_expect(worst < 1e-5, "inverse(forward(x)) differs from x by %.3g (relative), keep "
                  "= %d", worst, keep);
    }
    for (int i = 0; i < N; i++) ex_expect_near(ld[i], 0.0, 1e-5, "the summed logdet of "
                                                "forward, inverse, forward, inverse");
}

/* s and t as the flow makes them: smooth functions of the kept coordinate. */
static void st_of(float *s, float *t, float k)
{
    *s = 1.5f * tanhf(0.7f * k + 0.3f);
    *t = k * k - 0.5f;
}

/* y = coupling(p) with s, t computed from p's kept coordinate. */
static void map(float *y, const float *p, int keep)
{
    float s, t;
    st_of(&s, &t, p[keep]);
    nn_coupling_forward(y, NULL, p, &s, &t, 1, keep);
}

/* The log-determinant the function adds against log |det| of the 2 x 2
 * Jacobian of the whole map, each column by central differences (the
 * gradient of y_0 and of y_1 with respect to x), in double. */
static void test_central_difference(void **state)
{
    (void)state;
    const double h = 1e-3;
    for (int keep = 0; keep < 2; keep++)
        for (int i = 0; i < 5; i++) {
            float p[2] = {ref_x[2 * i], ref_x[2 * i + 1]}, s, t, y[2], ld = 0.0f;
            st_of(&s, &t, p[keep]);
            nn_coupling_forward(y, &ld, p, &s, &t, 1, keep);
            double J[2][2];
            for (int j = 0; j < 2; j++) {
                float up[2] = {p[0], p[1]}, down[2] = {p[0], p[1]}, yu[2], yd[2];
                up[j] += (float)h;
                down[j] -= (float)h;
                map(yu, up, keep);
                map(yd, down, keep);
                double step = (double)up[j] - (double)down[j];
                for (int r = 0; r < 2; r++) J[r][j] = ((double)yu[r] - yd[r]) / step;
            }
            double det = J[0][0] * J[1][1] - J[0][1] * J[1][0];
            ex_expect(det > 0.0, "the Jacobian measured by central differences has determinant "
                      "%.4g <= 0 at point %d, keep %d: is y_other scaled by exp(s)?", det, i,
                      keep);
            char what[128];
            snprintf(what, sizeof what, "logdet at point %d, keep %d, against log det of the "
                     "central-difference Jacobian", i, keep);
            ex_expect_near(ld, log(det), 2e-3, what);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_worked),
        cmocka_unit_test(test_pytorch_reference),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_central_difference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
