/* Exercise 11: gan_linear_backward in plain loops: hand-worked, against the
 * library's nn_linear_backward, against central differences, accumulating
 * (+=) and skipping NULL gradients. */
#define EX_NUM 11
#define EX_FUNC "gan_linear_backward"
#include "exercise_util.h"
#include "exercises.h"

#include <string.h>

/* One sample, in 2, out 1: y = 2*x0 + 3*x1 + b, x = [5, 7], dy = 1. */
static void test_hand_worked(void **state)
{
    (void)state;
    const float x[2] = {5, 7}, w[2] = {2, 3}, dy[1] = {1};
    float dx[2] = {0}, dw[2] = {0}, db[1] = {0};
    gan_linear_backward(dx, dw, db, dy, x, w, 1, 2, 1);
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

/* Gradients start at 1 (not 0): backward must ADD into them. */
static void test_against_library(void **state)
{
    (void)state;
    float x[B * IN], w[OUT * IN], dy[B * OUT];
    fill(x, B * IN, 1);
    fill(w, OUT * IN, 2);
    fill(dy, B * OUT, 3);
    float dx[B * IN], dw[OUT * IN], db[OUT], rdx[B * IN], rdw[OUT * IN], rdb[OUT];
    for (int i = 0; i < B * IN; i++) dx[i] = rdx[i] = 1.0f;
    for (int i = 0; i < OUT * IN; i++) dw[i] = rdw[i] = 1.0f;
    for (int i = 0; i < OUT; i++) db[i] = rdb[i] = 1.0f;
    gan_linear_backward(dx, dw, db, dy, x, w, B, IN, OUT);
    nn_linear_backward(rdx, rdw, rdb, dy, x, w, B, IN, OUT);
    ex_expect_close(dx, rdx, B * IN, 1e-5, "dx (added to dx = 1)");
    ex_expect_close(dw, rdw, OUT * IN, 1e-5, "dw (added to dw = 1)");
    ex_expect_close(db, rdb, OUT, 1e-5, "db (added to db = 1)");

    /* NULL means "not wanted": only dw here. */
    float dw2[OUT * IN] = {0}, rdw2[OUT * IN] = {0};
    gan_linear_backward(NULL, dw2, NULL, dy, x, w, B, IN, OUT);
    nn_linear_backward(NULL, rdw2, NULL, dy, x, w, B, IN, OUT);
    ex_expect_close(dw2, rdw2, OUT * IN, 1e-5, "dw with dx and db NULL");
}

/* loss = sum(y * r): dL/dy = r, and each gradient must match the central
 * difference (L(v + h) - L(v - h)) / 2h of that loss. */
static double loss_at(const float *x, const float *w, const float *b, const float *r)
{
    float y[B * OUT];
    nn_linear_forward(y, x, w, b, B, IN, OUT);
    double L = 0.0;
    for (int i = 0; i < B * OUT; i++) L += (double)y[i] * r[i];
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
    gan_linear_backward(dx, dw, db, r, x, w, B, IN, OUT);
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
        cmocka_unit_test(test_against_library),
        cmocka_unit_test(test_finite_differences),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
