/* Exercise 32: the inpainting generator's input and Pix2Pix's L1 loss
 * (lib/gan/pix2pix.h):
 *   nn_mask_input:  out[i] = [ x[i] (1 - m[i]) ; m[i] ]
 *   nn_l1_loss:     L = lambda sum_i m_i |p_i - t_i| / sum_i m_i   (mask NULL: m_i = 1),
 *                   dp_i += lambda m_i sign(p_i - t_i) / sum_i m_i,   sign(0) = 0,
 *                   0 and nothing added when the mask counts no pixel
 * Hand-worked cases (naming the usual slips), PyTorch's values
 * (torch.cat([x * (1 - m), m], dim=1); lambda (m |p - t|).sum() / m.sum()
 * and its autograd gradient, added into a gradient that already holds
 * values), mask NULL against a mask of ones, NULL dp, lambda, a mask that
 * counts nothing, and the gradient against central differences of L by the
 * library's gradient checker (away from the kinks p = t), which runs
 * exercise 13 (nn_central_difference, nn_rel_error): the course's answer in
 * make check. */
#define EX_NUM 32
#define EX_FUNC "nn_mask_input / nn_l1_loss"
#include "exercise_util.h"
#include "nn.h"

#include <string.h>

#define GARBAGE 7.0f

static void fill(float *v, int n, float x)
{
    for (int i = 0; i < n; i++) v[i] = x;
}

static void test_hand_worked_input(void **state)
{
    (void)state;
    /* x = (0.5, -1), m = (0, 1): pixel 1 is hidden -> (0.5, 0 | 0, 1). */
    const float x[2] = {0.5f, -1.0f}, m[2] = {0, 1};
    float out[4];
    fill(out, 4, GARBAGE);
    nn_mask_input(out, x, m, 1, 2);
    ex_expect(!(out[0] == GARBAGE && out[1] == GARBAGE && out[2] == GARBAGE),
              "nn_mask_input wrote nothing into out");
    ex_expect(!(out[0] == 0.0f && out[1] == -1.0f), "the known pixel was set to 0 and the "
              "hidden one kept: the mask is 1 on a hidden pixel, so keep x (1 - m)");
    ex_expect(fabsf(out[1] + 1.0f) > 1e-6f, "the hidden pixel kept its value -1: set it to 0, "
              "x (1 - m), or the generator sees the answer");
    ex_expect(!(out[0] == 0.0f && out[1] == 1.0f), "the mask came first: the image's channel "
              "is first, then the mask's");
    ex_expect(out[2] != GARBAGE && out[3] != GARBAGE, "the mask's channel (out[hw .. 2 hw)) was "
              "not written");
    ex_expect_close(out, ((const float[4]){0.5f, 0, 0, 1}), 4, 1e-6,
                    "out for x = (0.5, -1), m = (0, 1)");

    /* Two images of 1 pixel: image i of out is 2 numbers at 2 i.
     * x = (2 | 3), m = (1 | 0) -> (0, 1 | 3, 0). */
    const float x2[2] = {2, 3}, m2[2] = {1, 0};
    float out2[4];
    fill(out2, 4, GARBAGE);
    nn_mask_input(out2, x2, m2, 2, 1);
    ex_expect(out2[3] != GARBAGE, "out[3] was not written (2 images of 1 pixel): image i of "
              "out is 2 hw numbers, from 2 hw i");
    ex_expect(!(out2[0] == 0.0f && out2[1] == 3.0f && out2[2] == 1.0f && out2[3] == 0.0f),
              "out is both images, then both masks: image i of out is its image, then its "
              "mask (2 hw numbers from 2 hw i)");
    ex_expect_close(out2, ((const float[4]){0, 1, 3, 0}), 4, 1e-6,
                    "out for 2 images of 1 pixel, x = (2 | 3), m = (1 | 0)");
}

static void test_hand_worked_loss(void **state)
{
    (void)state;
    /* p = (1, -3, 0.5), t = (0, 0, 0.5), m = (1, 0, 1), lambda 10:
     * L = 10 (|1| + |0|) / 2 = 5: pixel 1 is not counted, pixel 2 is exact. dp = 0.5 + 10 (1, 0, 0) / 2. */
    const float p[3] = {1, -3, 0.5f}, t[3] = {0, 0, 0.5f}, m[3] = {1, 0, 1};
    float dp[3];
    fill(dp, 3, 0.5f);
    float L = nn_l1_loss(dp, p, t, m, 3, 10.0f);
    ex_expect(L == L, "L is not a number");
    ex_expect(fabsf(L - 40.0f / 3.0f) > 1e-5f, "L is 40/3, the mean over every pixel: count "
              "only those the mask selects, each weighing m_i (5)");
    ex_expect(fabsf(L - 20.0f) > 1e-5f, "L is 20: the sum counted pixel 1, which the mask "
              "leaves out (m = 0); weigh each |p - t| by m_i (5)");
    ex_expect(fabsf(L - 10.0f / 3.0f) > 1e-5f, "L is 10/3: the sum over the counted pixels is "
              "divided by their number, sum m = 2, not by n = 3 (5)");
    ex_expect(fabsf(L - 10.0f) > 1e-5f, "L is 10, lambda times the sum: the loss is a mean "
              "over the counted pixels (5)");
    ex_expect(fabsf(L - 0.5f) > 1e-6f, "L is 0.5, the mean without lambda (5)");
    ex_expect_near(L, 5.0, 1e-5, "L at p = (1, -3, 0.5), t = (0, 0, 0.5), m = (1, 0, 1), "
                   "lambda 10");
    ex_expect(!(dp[0] == 0.5f && dp[1] == 0.5f && dp[2] == 0.5f), "nothing was added into dp");
    ex_expect(fabsf(dp[0] - 5.0f) > 1e-5f, "dp was overwritten (=): add to it (+=); in "
              "Pix2Pix's step it already holds the adversarial loss's gradient");
    ex_expect(fabsf(dp[0] - (0.5f - 5.0f)) > 1e-5f, "dp[0] has the wrong sign: the derivative "
              "of |p - t| in p is sign(p - t)");
    ex_expect(fabsf(dp[0] - (0.5f + 10.0f / 3.0f)) > 1e-5f, "dp[0] is 0.5 + 10/3: divide by "
              "the counted pixels, sum m = 2, not by n = 3");
    ex_expect(dp[1] == 0.5f, "dp[1] is %g: pixel 1 is not counted (m = 0), so it gets no "
              "gradient (0.5 stays)", (double)dp[1]);
    ex_expect(dp[2] == 0.5f, "dp[2] is %g where p == t: the gradient of |e| at 0 is taken as 0 "
              "(torch's choice), so 0.5 stays", (double)dp[2]);
    ex_expect_close(dp, ((const float[3]){5.5f, 0.5f, 0.5f}), 3, 1e-6,
                    "dp = 0.5 + 10 m sign(p - t) / sum m");

    /* mask NULL: every pixel, L = 10 (1 + 3 + 0) / 3, dp = 10 (1, -1, 0) / 3. */
    float d_all[3];
    fill(d_all, 3, 0.0f);
    ex_expect_near(nn_l1_loss(d_all, p, t, NULL, 3, 10.0f), 40.0 / 3.0, 1e-5,
                   "L with mask NULL (every pixel counts)");
    ex_expect_close(d_all, ((const float[3]){10.0f / 3, -10.0f / 3, 0}), 3, 1e-6,
                    "dp with mask NULL");

    /* dp NULL: only L is wanted, and it is the same. */
    ex_expect_near(nn_l1_loss(NULL, p, t, m, 3, 10.0f), 5.0, 1e-5, "L with dp = NULL");

    /* lambda scales L and dp; lambda 0 adds nothing. */
    float d2[3];
    fill(d2, 3, 0.0f);
    ex_expect_near(nn_l1_loss(d2, p, t, m, 3, 100.0f), 50.0, 1e-4, "L with lambda 100 "
                   "(the paper's weight)");
    ex_expect_near(d2[0], 50.0, 1e-4, "dp[0] with lambda 100");
    fill(d2, 3, 0.5f);
    ex_expect_near(nn_l1_loss(d2, p, t, m, 3, 0.0f), 0.0, 0.0, "L with lambda 0");
    ex_expect(d2[0] == 0.5f && d2[1] == 0.5f && d2[2] == 0.5f, "with lambda 0, dp changed to "
              "(%g, %g, %g); nothing is added", (double)d2[0], (double)d2[1], (double)d2[2]);

    /* A mask that counts nothing (a batch without a hole): no mean to take. */
    const float none[3] = {0, 0, 0};
    float d3[3];
    fill(d3, 3, 0.5f);
    float L0 = nn_l1_loss(d3, p, t, none, 3, 10.0f);
    ex_expect(L0 == L0 && d3[0] == d3[0], "a mask of zeros gives a NaN (0 / 0): when sum m is "
              "0, return 0 and add nothing");
    ex_expect_near(L0, 0.0, 0.0, "L with a mask that counts no pixel");
    ex_expect(d3[0] == 0.5f && d3[1] == 0.5f && d3[2] == 0.5f, "with a mask that counts no "
              "pixel, dp changed to (%g, %g, %g); nothing is added", (double)d3[0],
              (double)d3[1], (double)d3[2]);
}

/* tests/reference/pix2pix_exercises.py: torch.cat([x * (1 - m), m], dim=1);
 * L = 100 (m (p - t).abs()).sum() / m.sum() and its autograd gradient, with
 * p.grad already holding l1_dp0 (torch adds into it); the same with m all
 * ones (every pixel). Elements 3 and 8 have p == t (8 is not counted). */
static const float mi_x[8] = {0.5f, -1.0f, 0.25f, 0.75f, -0.5f, 1.0f, -0.25f, 0.0f};
static const float mi_mask[8] = {0.0f, 1.0f, 1.0f, 0.0f, 1.0f, 0.0f, 0.0f, 1.0f};
static const float mi_out[16] = {0.5f, -0.0f, 0.0f, 0.75f, 0.0f, 1.0f, 1.0f, 0.0f, -0.0f, 1.0f,
    -0.25f, 0.0f, 1.0f, 0.0f, 0.0f, 1.0f};
static const float l1_p[10] = {0.5f, -0.75f, 0.9f, 0.3f, 0.25f, -0.1f, -0.3f, 1.0f, -0.6f,
    0.05f};
static const float l1_t[10] = {0.25f, -0.5f, -0.6f, 0.3f, 0.75f, 0.4f, 0.4f, -1.0f, -0.6f,
    -0.45f};
static const float l1_mask[10] = {1.0f, 0.0f, 1.0f, 1.0f, 0.0f, 1.0f, 1.0f, 0.0f, 0.0f, 1.0f};
static const float l1_dp0[10] = {0.5f, -0.5f, 1.0f, 0.0f, 2.0f, -1.0f, 0.25f, 0.0f, 3.0f,
    -0.125f};
static const float l1_masked = 57.5f;
static const float l1_dp_masked[10] = {17.1666667f, -0.5f, 17.6666667f, 0.0f, 2.0f,
    -17.6666667f, -16.4166667f, 0.0f, 3.0f, 16.5416667f};
static const float l1_all = 62.0f;
static const float l1_dp_all[10] = {10.5f, -10.5f, 11.0f, 0.0f, -8.0f, -11.0f, -9.75f, 10.0f,
    3.0f, 9.875f};

static void test_pytorch_reference(void **state)
{
    (void)state;
    float out[16];
    fill(out, 16, GARBAGE);
    nn_mask_input(out, mi_x, mi_mask, 2, 4);
    ex_expect_close(out, mi_out, 16, 1e-6, "nn_mask_input against torch.cat([x * (1 - m), m], "
                    "dim=1) (2 images of 4 pixels)");

    float dp[10];
    memcpy(dp, l1_dp0, sizeof dp);
    float L = nn_l1_loss(dp, l1_p, l1_t, l1_mask, 10, 100.0f);
    ex_expect_near(L, l1_masked, 1e-5 * l1_masked, "L with a mask against torch, lambda 100");
    ex_expect_close(dp, l1_dp_masked, 10, 1e-6, "dp with a mask against torch.autograd "
                    "(added to what it held)");

    memcpy(dp, l1_dp0, sizeof dp);
    L = nn_l1_loss(dp, l1_p, l1_t, NULL, 10, 100.0f);
    ex_expect_near(L, l1_all, 1e-5 * l1_all, "L with mask NULL against torch's with a mask of "
                   "ones, lambda 100");
    ex_expect_close(dp, l1_dp_all, 10, 1e-6, "dp with mask NULL against torch.autograd's with "
                    "a mask of ones");
    const float ones[10] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    memcpy(dp, l1_dp0, sizeof dp);
    L = nn_l1_loss(dp, l1_p, l1_t, ones, 10, 100.0f);
    ex_expect_near(L, l1_all, 1e-5 * l1_all, "L with a mask of ones against torch, lambda 100");
    ex_expect_close(dp, l1_dp_all, 10, 1e-6, "dp with a mask of ones against torch.autograd");
}

/* L and its gradient at p, for the gradient checker. */
typedef struct {
    float p[10], dp[10];
    const float *mask;
} l1_ctx;

static double l1_at(void *ctx)
{
    l1_ctx *c = ctx;
    return nn_l1_loss(NULL, c->p, l1_t, c->mask, 10, 100.0f);
}

static void l1_grad(void *ctx)
{
    l1_ctx *c = ctx;
    fill(c->dp, 10, 0.0f);
    nn_l1_loss(c->dp, c->p, l1_t, c->mask, 10, 100.0f);
}

static void test_central_difference(void **state)
{
    (void)state;
    for (int masked = 1; masked >= 0; masked--) {
        l1_ctx c;
        memcpy(c.p, l1_p, sizeof c.p);
        /* Away from the kinks: every |p - t| is 0.2 or more, above h. */
        c.p[3] += 0.5f;
        c.p[8] += 0.2f;
        c.mask = masked ? l1_mask : NULL;
        nn_gradcheck_var var = {"p", c.p, c.dp, 10};
        nn_gradcheck_report rep;
        double rel = nn_gradcheck(l1_at, l1_grad, &c, &var, 1, 1e-2f, 0, &rep);
        ex_expect(rep.checked == 10, "(test) the checker looked at %zu numbers, not 10",
                  rep.checked);
        ex_expect(!rep.zero_grad, "dp is all zeros (%s), but L changes with p",
                  masked ? "with a mask" : "mask NULL");
        ex_expect(rel <= 1e-3, "dp against central differences of L (%s, lambda 100): "
                  "relative error %.3g, worst at p[%zu], where dp is %.7g",
                  masked ? "with a mask" : "mask NULL", rel, rep.worst_index,
                  (double)c.dp[rep.worst_index]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_worked_input),
        cmocka_unit_test(test_hand_worked_loss),
        cmocka_unit_test(test_pytorch_reference),
        cmocka_unit_test(test_central_difference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
