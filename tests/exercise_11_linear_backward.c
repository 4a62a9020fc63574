/* Exercise 11: nn_linear_backward: hand-worked, against PyTorch's autograd,
 * against central differences, accumulating (+=) and skipping NULL
 * gradients. */
#define EX_NUM 11
#define EX_FUNC "nn_linear_backward"
#include "exercise_util.h"
#include "nn.h"

#include <string.h>

/* One sample, in 2, out 1: y = 2*x0 + 3*x1 + b, x = [5, 7], dy = 1. */
static void test_hand_worked(void **state)
{
    (void)state;
    const float x[2] = {5, 7}, w[2] = {2, 3}, dy[1] = {1};
    float dx[2] = {0}, dw[2] = {0}, db[1] = {0};
    nn_linear_backward(dx, dw, db, dy, x, w, 1, 2, 1);
    const float want_dx[2] = {2, 3}, want_dw[2] = {5, 7}, want_db[1] = {1};
    ex_expect_close(dx, want_dx, 2, 1e-6, "dx = dy . w");
    ex_expect_close(dw, want_dw, 2, 1e-6, "dw = dy^T . x");
    ex_expect_close(db, want_db, 1, 1e-6, "db = column sums of dy");
}

enum { B = 3, IN = 4, OUT = 5 };

static void fill(float *v, int n, uint64_t seed)
{
    nn_rng r;
    nn_rng_seed(&r, seed, 0);
    nn_rng_fill_uniform(&r, v, (size_t)n, -1.0f, 1.0f);
}

/* Values of tests/reference/exercise_backward.py: x (3, 5), w (4, 5),
 * b (4) and dy (3, 4) with few digits, and what PyTorch's autograd gives: */
/* F.linear(x, w, b).backward(dy) */
static const float lin_dx_ref[15] = {-1.5875f, -1.125f, 2.7375f, -2.35f, -1.4375f, -2.025f, 3.475f, 1.175f, -2.225f, 3.875f, 2.4625f, -2.025f, 0.1875f, -0.65f, 3.1875f};
static const float lin_dw_ref[20] = {-1.8125f, -0.75f, 5.875f, -1.4375f, -1.484375f, -0.375f, 4.0f, -4.875f, -1.25f, 2.0f, 3.75f, -2.5f, -5.0f, 3.625f, 0.5f, -2.125f, 5.75f, 4.75f, -4.9375f, -0.0625f};
static const float lin_db_ref[4] = {-0.375f, -0.25f, 1.5f, 2.75f};
static const float lin_x[15] = {0.5f, -1.0f, 2.0f, 0.25f, -0.75f, 1.5f, 0.0f, -2.5f,
                                1.0f, 0.5f, -0.5f, 2.0f, 1.0f, -1.5f, 0.125f};
static const float lin_w[20] = {0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.6f, 0.7f, -0.8f, 0.9f, 1.0f,
                                -1.1f, 1.2f, 1.3f, -1.4f, 1.5f, 0.25f, -0.5f, 0.75f, -1.0f,
                                1.25f};
static const float lin_dy[12] = {1.0f, -2.0f, 0.5f, 0.25f, -1.5f, 0.75f, 2.0f, -0.5f,
                                 0.125f, 1.0f, -1.0f, 3.0f};

/* Gradients start at 1 (not 0): backward must ADD into them, because a
 * layer used twice (D on real, then on fake) sums both uses. */
static void test_against_torch(void **state)
{
    (void)state;
    float dx[15], dw[20], db[4], want_dx[15], want_dw[20], want_db[4];
    for (int i = 0; i < 15; i++) dx[i] = 1.0f, want_dx[i] = 1.0f + lin_dx_ref[i];
    for (int i = 0; i < 20; i++) dw[i] = 1.0f, want_dw[i] = 1.0f + lin_dw_ref[i];
    for (int i = 0; i < 4; i++) db[i] = 1.0f, want_db[i] = 1.0f + lin_db_ref[i];
    nn_linear_backward(dx, dw, db, lin_dy, lin_x, lin_w, 3, 5, 4);
    /* Overwriting instead of adding leaves the torch value itself. */
    ex_expect(!(fabsf(dx[0] - lin_dx_ref[0]) < 1e-6f && fabsf(dw[0] - lin_dw_ref[0]) < 1e-6f),
              "the gradients were overwritten: backward must ADD (+=) into dx, dw, db, "
              "which the caller zeroes first");
    /* w read as (in, out) instead of (out, in) gives other numbers for dx. */
    ex_expect_close(dx, want_dx, 15, 1e-5, "dx (started at 1) against torch: is w (out, in)?");
    ex_expect_close(dw, want_dw, 20, 1e-5, "dw (started at 1) against torch: dy^T . x");
    ex_expect_close(db, want_db, 4, 1e-5, "db (started at 1) against torch: column sums of dy");

    /* NULL means "not wanted": only dw here, the frozen-input case. */
    float dw2[20] = {0};
    nn_linear_backward(NULL, dw2, NULL, lin_dy, lin_x, lin_w, 3, 5, 4);
    ex_expect_close(dw2, lin_dw_ref, 20, 1e-5, "dw with dx and db NULL");
    /* And only dx: a frozen discriminator passing G its gradient. */
    float dx2[15] = {0};
    nn_linear_backward(dx2, NULL, NULL, lin_dy, lin_x, lin_w, 3, 5, 4);
    ex_expect_close(dx2, lin_dx_ref, 15, 1e-5, "dx with dw and db NULL");
}

/* loss = sum(y * r): dL/dy = r, and each gradient must match the central
 * difference (L(v + h) - L(v - h)) / 2h of that loss. */
static double loss_at(const float *x, const float *w, const float *b, const float *r)
{
    /* The layer's definition in plain loops, y[s][o] = sum_i x[s][i] w[o][i]
     * + b[o], so this check needs no other exercise. */
    double L = 0.0;
    for (int s = 0; s < B; s++)
        for (int o = 0; o < OUT; o++) {
            double y = b[o];
            for (int i = 0; i < IN; i++) y += (double)x[s * IN + i] * w[o * IN + i];
            L += y * r[s * OUT + o];
        }
    return L;
}

static void numeric(float *num, float *v, int n, const float *x, const float *w,
                    const float *b, const float *r)
{
    const float h = 1e-2f; /* the loss is linear in each variable: any h is exact */
    for (int i = 0; i < n; i++) {
        float keep = v[i];
        v[i] = keep + h;
        double up = loss_at(x, w, b, r);
        v[i] = keep - h;
        double down = loss_at(x, w, b, r);
        v[i] = keep;
        num[i] = (float)((up - down) / (2.0 * h));
    }
}

static void test_finite_differences(void **state)
{
    (void)state;
    float x[B * IN], w[OUT * IN], b[OUT], r[B * OUT];
    fill(x, B * IN, 4);
    fill(w, OUT * IN, 5);
    fill(b, OUT, 6);
    fill(r, B * OUT, 7);
    float dx[B * IN] = {0}, dw[OUT * IN] = {0}, db[OUT] = {0};
    nn_linear_backward(dx, dw, db, r, x, w, B, IN, OUT);
    float nx[B * IN], nw[OUT * IN], nb[OUT];
    numeric(nx, x, B * IN, x, w, b, r);
    numeric(nw, w, OUT * IN, x, w, b, r);
    numeric(nb, b, OUT, x, w, b, r);
    ex_expect_close(dx, nx, B * IN, 1e-3, "dx against central differences");
    ex_expect_close(dw, nw, OUT * IN, 1e-3, "dw against central differences");
    ex_expect_close(db, nb, OUT, 1e-3, "db against central differences");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_worked),
        cmocka_unit_test(test_against_torch),
        cmocka_unit_test(test_finite_differences),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
