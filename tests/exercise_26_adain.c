/* Exercise 26: nn_adain_forward(y, xhat, invstd, x, scale, bias, n, c, hw, eps),
 * adaptive instance normalisation: per image i and channel j, over its hw
 * pixels, mu and the biased var, invstd = 1 / sqrt(var + eps),
 *   xhat = (x - mu) invstd,   y = scale[i,j] xhat + bias[i,j].
 * Hand-worked cases (naming the usual slips), PyTorch's values
 * (F.instance_norm(x) * s + b), and central differences of the forward
 * against the library's backward, which reads the xhat and invstd the
 * forward kept. Outputs start at 7 (garbage). */
#define EX_NUM 26
#define EX_FUNC "nn_adain_forward"
#include "exercise_util.h"
#include "nn.h"

#define GARBAGE 7.0f

static void fill(float *v, int n, float x)
{
    for (int i = 0; i < n; i++) v[i] = x;
}

static void test_hand_worked(void **state)
{
    (void)state;
    /* One image, one channel, x = (0, 0, 2, 2): mu 1, var 1 (the biased
     * variance; the unbiased one is 4/3). eps 0: invstd 1, xhat (-1, -1, 1, 1);
     * scale 3, bias -1: y = (-4, -4, 2, 2). */
    const float x[4] = {0, 0, 2, 2}, s[1] = {3}, b[1] = {-1};
    const float want_xhat[4] = {-1, -1, 1, 1}, want_y[4] = {-4, -4, 2, 2};
    float y[4], xhat[4], invstd[1];
    fill(y, 4, GARBAGE);
    fill(xhat, 4, GARBAGE);
    invstd[0] = GARBAGE;
    nn_adain_forward(y, xhat, invstd, x, s, b, 1, 1, 4, 0.0f);
    ex_expect(fabsf(invstd[0] - 0.8660254f) > 1e-4f, "invstd is 1/sqrt(4/3): that is the "
              "unbiased variance (divide by hw - 1); instance norm divides by hw");
    ex_expect(invstd[0] != GARBAGE, "invstd was not written: the backward needs it");
    ex_expect_near(invstd[0], 1.0, 1e-6, "invstd of (0, 0, 2, 2), eps 0: 1 / sqrt(1)");
    ex_expect(xhat[0] != GARBAGE, "xhat was not written: the backward needs it");
    ex_expect_close(xhat, want_xhat, 4, 1e-6, "xhat of (0, 0, 2, 2)");
    ex_expect(!(fabsf(y[0] + 3.0f) < 1e-5f && fabsf(y[2] - 3.0f) < 1e-5f),
              "y of (0, 0, 2, 2) with scale 3, bias -1 is (%g, %g, %g, %g), expected "
              "(-4, -4, 2, 2): that is 3 xhat, without the bias; y = scale xhat + bias",
              (double)y[0], (double)y[1], (double)y[2], (double)y[3]);
    ex_expect_close(y, want_y, 4, 1e-6, "y = 3 xhat - 1 for (0, 0, 2, 2)");
    /* The same with eps 3: invstd = 1 / sqrt(1 + 3) = 1/2 (eps inside the
     * root; 1 / (sqrt(1) + 3) would be 1/4), xhat (-0.5, -0.5, 0.5, 0.5),
     * y = (-2.5, -2.5, 0.5, 0.5). */
    const float want_y3[4] = {-2.5f, -2.5f, 0.5f, 0.5f};
    nn_adain_forward(y, xhat, invstd, x, s, b, 1, 1, 4, 3.0f);
    ex_expect(fabsf(invstd[0] - 0.25f) > 1e-6f, "invstd is 1 / (sqrt(var) + eps): eps goes "
              "inside the square root, 1 / sqrt(var + eps)");
    ex_expect_near(invstd[0], 0.5, 1e-6, "invstd of (0, 0, 2, 2) with eps 3: 1 / sqrt(1 + 3)");
    ex_expect_close(y, want_y3, 4, 1e-6, "y with eps 3");

    /* Two images of two channels of two pixels: each (image, channel) has its
     * own statistics and its own style. Every map normalises to (-1, 1)
     * (eps 0), so y = (b - s, b + s) with s, b of that image and channel:
     *   maps (0, 2) (5, 7) | (-1, 1) (10, 14),  scale (1, 2 | 3, 4),
     *   bias (10, 20 | 30, 40)  ->  (9, 11) (18, 22) | (27, 33) (36, 44). */
    const float x2[8] = {0, 2, 5, 7, -1, 1, 10, 14};
    const float s2[4] = {1, 2, 3, 4}, b2[4] = {10, 20, 30, 40};
    const float want2[8] = {9, 11, 18, 22, 27, 33, 36, 44};
    const float want_is[4] = {1, 1, 1, 0.5f};
    float y2[8], xh2[8], is2[4];
    fill(y2, 8, GARBAGE);
    fill(xh2, 8, GARBAGE);
    fill(is2, 4, GARBAGE);
    nn_adain_forward(y2, xh2, is2, x2, s2, b2, 2, 2, 2, 0.0f);
    ex_expect(!(fabsf(y2[0] - 9.0f + 10.0f) < 1e-4f && fabsf(y2[7] - 44.0f + 40.0f) < 1e-4f),
              "y of two images of two channels starts (%g, %g, ...), expected (9, 11, ...): "
              "the bias is missing; each map is scale xhat + bias of its image and channel",
              (double)y2[0], (double)y2[1]);
    ex_expect(!(fabsf(y2[4] - 29.0f) < 1e-4f), "image 1, channel 0 took image 0's style "
              "(scale[j], bias[j]): the styles are per image and channel, index i c + j");
    ex_expect_close(is2, want_is, 4, 1e-6, "invstd of the four maps (n 2, c 2, hw 2)");
    ex_expect_close(y2, want2, 8, 1e-6, "y of two images of two channels");
}

/* tests/reference/style_adain.py: F.instance_norm(x, eps=1e-5) * s + b,
 * float64; n 2, c 3, 2 x 3 pixels; image 1's channel 2 is constant (var 0:
 * xhat 0 and y = bias, invstd 1 / sqrt(eps)). */
static const float ref_x[36] = {-1.0f, 0.25f, 1.5f, 0.0f, 1.25f, -0.25f, 0.75f, -0.625f, 0.75f, -1.0f, 0.375f, 1.75f, -0.25f, 1.25f, -0.375f, 0.75f, -0.5f, 0.625f, 1.5f, 0.0f, 1.25f, -0.25f, 1.0f, -0.5f, 0.5f, -0.875f, 0.5f, 1.5f, 0.125f, 1.5f, 0.75f, 0.75f, 0.75f, 0.75f, 0.75f, 0.75f};
static const float ref_scale[6] = {1.5f, -0.5f, 2.0f, 0.25f, 1.0f, -1.25f};
static const float ref_bias[6] = {0.5f, 0.0f, -1.0f, 2.0f, -0.75f, 0.125f};
static const float ref_y[36] = {-1.75556603f, 0.427239806f, 2.61004564f, -0.00932136119f, 2.17348447f, -0.445882528f, -0.227036956f, 0.522185f, -0.227036956f, 0.726518261f, -0.0227036956f, -0.771925652f, -2.52092061f, 2.04184122f, -2.90115076f, 0.52092061f, -3.28138091f, 0.140690457f, 2.3216311f, 1.83918445f, 2.24122332f, 1.75877668f, 2.16081555f, 1.6783689f, -0.80089828f, -2.48054152f, -0.80089828f, 0.420660442f, -1.2589828f, 0.420660442f, 0.125f, 0.125f, 0.125f, 0.125f, 0.125f, 0.125f};
static const float ref_invstd[6] = {1.16416311f, 1.08977739f, 1.52092061f, 1.28652439f, 1.22155872f, 316.227766f};

static void test_pytorch_reference(void **state)
{
    (void)state;
    float y[36], xhat[36], invstd[6];
    fill(y, 36, GARBAGE);
    fill(xhat, 36, GARBAGE);
    fill(invstd, 6, GARBAGE);
    nn_adain_forward(y, xhat, invstd, ref_x, ref_scale, ref_bias, 2, 3, 6, 1e-5f);
    ex_expect_close(invstd, ref_invstd, 6, 1e-5, "invstd against torch (eps 1e-5)");
    ex_expect_close(y, ref_y, 36, 1e-5, "y against torch's F.instance_norm(x) * s + b");
    /* xhat is y without the style: (y - b) / s. */
    float want_xhat[36];
    for (int k = 0; k < 36; k++) want_xhat[k] = (ref_y[k] - ref_bias[k / 6]) / ref_scale[k / 6];
    ex_expect_close(xhat, want_xhat, 36, 1e-5, "xhat against torch's (y - b) / s");
    /* Scale 1, bias 0 is plain instance normalisation: y = xhat. */
    const float ones[6] = {1, 1, 1, 1, 1, 1}, zeros[6] = {0, 0, 0, 0, 0, 0};
    nn_adain_forward(y, xhat, invstd, ref_x, ones, zeros, 2, 3, 6, 1e-5f);
    ex_expect_close(y, want_xhat, 36, 1e-5, "y with scale 1 and bias 0 (instance norm)");
}

/* The library's nn_adain_backward reads the xhat and invstd this forward
 * keeps: its gradients of sum(y r) must match central differences of the
 * forward itself, in x, scale and bias. */
static double loss(const float *x, const float *s, const float *b, const float *r)
{
    float y[36], xhat[36], invstd[6];
    nn_adain_forward(y, xhat, invstd, x, s, b, 2, 3, 6, 1e-5f);
    double L = 0.0;
    for (int k = 0; k < 36; k++) L += (double)y[k] * r[k];
    return L;
}

/* num[k] = d loss / d v[k] by central differences (h = 1e-3), v being one
 * of x, s, b: each entry nudged up and down in place, then put back. */
static void central(float *num, float *v, int n, const float *x, const float *s,
                    const float *b, const float *r)
{
    const float h = 1e-3f;
    for (int k = 0; k < n; k++) {
        float keep = v[k];
        v[k] = keep + h;
        double up = loss(x, s, b, r);
        v[k] = keep - h;
        double down = loss(x, s, b, r);
        v[k] = keep;
        num[k] = (float)((up - down) / (2.0 * h));
    }
}

static void test_central_difference(void **state)
{
    (void)state;
    float x[36], s[6], b[6], r[36];
    /* ref_x without its constant channel: central differences of 1/sqrt(var
     * + eps) at var 0 need a step far below float's resolution. */
    for (int k = 0; k < 36; k++) {
        x[k] = ref_x[k] + 0.3f * (float)((k * 5) % 7) / 7.0f;
        r[k] = (float)((k * 3) % 7) / 3.0f - 1.0f;
    }
    for (int k = 0; k < 6; k++) {
        s[k] = ref_scale[k];
        b[k] = ref_bias[k];
    }
    float y[36], xhat[36], invstd[6], dx[36] = {0}, ds[6] = {0}, db[6] = {0};
    nn_adain_forward(y, xhat, invstd, x, s, b, 2, 3, 6, 1e-5f);
    nn_adain_backward(dx, ds, db, r, xhat, invstd, s, 2, 3, 6);
    float num[36];
    central(num, x, 36, x, s, b, r);
    ex_expect_close(dx, num, 36, 2e-3, "the backward's dx (from your xhat and invstd) against "
                    "central differences of your forward (h = 1e-3)");
    central(num, s, 6, x, s, b, r);
    ex_expect_close(ds, num, 6, 2e-3, "dscale (sum dy xhat, from your xhat) against central "
                    "differences of your forward");
    central(num, b, 6, x, s, b, r);
    ex_expect_close(db, num, 6, 2e-3, "dbias (sum dy) against central differences of your "
                    "forward");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_worked),
        cmocka_unit_test(test_pytorch_reference),
        cmocka_unit_test(test_central_difference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
