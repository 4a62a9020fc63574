/* Exercise 13: the gradient checker's two parts.
 *   nn_central_difference(f, ctx, x, h): (f(x+h) - f(x-h)) / (2h), or divided
 *     by the distance the two floats really have; f reads *x through ctx;
 *     exactly two calls; *x put back to its exact bits.
 *   nn_rel_error(a, b, n) = max|a - b| / max(1e-8, max|a| + max|b|).
 * Hand-worked cases, PyTorch's gradient of a small tanh layer, and the
 * usual slips (one-sided, divided by h, sign, x not restored, sums or
 * Euclidean norms, a NaN skipped). */
#define EX_NUM 13
#define EX_FUNC ex_func /* the function under test, set by each test */
static const char *ex_func = "nn_central_difference";
#include "exercise_util.h"
#include "nn.h"

#include <string.h>

/* ---------------------------------------------------------------- functions */

/* What f sees: the variables, and a record of its calls. */
typedef struct {
    float *x;          /* the variables f reads */
    const float *var;  /* the one being perturbed (to record what f saw) */
    int calls;
    float seen[4];     /* *var at the first 4 calls */
} fctx;

static void record(fctx *c)
{
    if (c->calls < 4) c->seen[c->calls] = *c->var;
    c->calls++;
}

/* f(x) = x^3 (x = c->x[0]). */
static double cube(void *ctx)
{
    fctx *c = ctx;
    record(c);
    const double x = c->x[0];
    return x * x * x;
}

/* f(x) = exp(x). */
static double expo(void *ctx)
{
    fctx *c = ctx;
    record(c);
    return exp((double)c->x[0]);
}

/* The true central difference through the points the float x +- h really
 * is, for f = x^3: (xp^3 - xm^3) / (xp - xm) = xp^2 + xp xm + xm^2. Dividing
 * by 2h instead differs by the rounding of x +- h, far below the 1e-4 the
 * checks allow. */
static double cube_central(float x, float h)
{
    const double xp = (float)(x + h), xm = (float)(x - h);
    return xp * xp + xp * xm + xm * xm;
}

/* Calls nn_central_difference on f at x[0] = x0 and checks what any central
 * difference must do; returns the estimate. */
static double central(double (*f)(void *), float x0, float h, fctx *c)
{
    static float x[1];
    x[0] = x0;
    memset(c, 0, sizeof *c);
    c->x = x;
    c->var = x;
    const double d = nn_central_difference(f, c, x, h);
    ex_expect(memcmp(&x[0], &x0, sizeof x0) == 0, "x was %.9g before and %.9g after: put "
              "*x back exactly. x + h - 2h + h is not always x in float: save the original "
              "value and store it back", (double)x0, (double)x[0]);
    ex_expect(c->calls == 2, "f was called %d times; the central difference needs exactly "
              "two evaluations, f(x + h) and f(x - h)", c->calls);
    return d;
}

/* ---------------------------------------------------------------- central difference */

/* f = x^3 at x = 1, h = 1e-3: (f(1+h) - f(1-h)) / 2h = ((1+h)^3 - (1-h)^3) / 2h
 * = (6h + 2h^3) / 2h = 3 + h^2 = 3.000001. One-sided (f(1+h) - f(1)) / h =
 * 3 + 3h + h^2 = 3.003001 (backward: 2.997001); over h instead of 2h: 6.000002. */
static void test_cube(void **state)
{
    (void)state;
    ex_func = "nn_central_difference";
    fctx c;
    const double d = central(cube, 1.0f, 1e-3f, &c);
    const double want = cube_central(1.0f, 1e-3f); /* 3.000001 */
    ex_expect(!(fabs(d - 3.003001) < 1e-4 || fabs(d - 2.997001) < 1e-4), "the derivative of "
              "x^3 at 1 came out %.7g, the one-sided (f(x+h) - f(x)) / h; the central "
              "difference (f(x+h) - f(x-h)) / 2h gives 3 + h^2 = 3.000001", d);
    ex_expect(!(fabs(d - 2.0 * want) < 1e-3), "the derivative of x^3 at 1 came out %.7g, "
              "twice 3: f(x+h) and f(x-h) are 2h apart, divide by 2h", d);
    ex_expect(!(fabs(d + want) < 1e-3), "the derivative of x^3 at 1 came out %.7g: the sign "
              "is reversed, it is (f(x+h) - f(x-h)) / 2h", d);
    ex_expect(fabs(d - want) <= 1e-4 * want, "the derivative of x^3 at 1 with h = 1e-3 came "
              "out %.9g; (f(1+h) - f(1-h)) / 2h = 3 + h^2 = 3.000001", d);
    /* f saw x + h and x - h, one on each side, not x itself. */
    const float lo = fminf(c.seen[0], c.seen[1]), hi = fmaxf(c.seen[0], c.seen[1]);
    ex_expect(lo < 1.0f && hi > 1.0f, "f was evaluated at x = %.9g and %.9g; the central "
              "difference evaluates at x - h and x + h, one on each side of x = 1",
              (double)c.seen[0], (double)c.seen[1]);
    ex_expect(fabs(hi - 1.001) < 1e-6 && fabs(lo - 0.999) < 1e-6, "f was evaluated at %.9g "
              "and %.9g; with h = 1e-3 the points are 1 - h and 1 + h", (double)lo,
              (double)hi);
}

/* f = e^x at 0, h = 0.1: central sinh(0.1) / 0.1 = 1.00166750; one-sided
 * (e^0.1 - 1) / 0.1 = 1.05170918, 5% off: the difference is measurable. */
static void test_exp(void **state)
{
    (void)state;
    ex_func = "nn_central_difference";
    fctx c;
    const double d = central(expo, 0.0f, 0.1f, &c);
    ex_expect(!(fabs(d - 1.05170918) < 1e-4 || fabs(d - 0.95162582) < 1e-4), "the "
              "derivative of e^x at 0 with h = 0.1 came out %.7g, a one-sided difference; "
              "the central one, (e^h - e^-h) / 2h, gives 1.0016675", d);
    ex_expect(fabs(d - 1.00166750) <= 1e-4, "the derivative of e^x at 0 with h = 0.1 came "
              "out %.9g; (e^h - e^-h) / 2h = sinh(0.1) / 0.1 = 1.0016675", d);
}

/* x = 0.1 is a value where x + h - 2h + h, in float, is not x again. */
static void test_restores_x(void **state)
{
    (void)state;
    ex_func = "nn_central_difference";
    fctx c;
    const float xs[4] = {0.1f, 0.3f, 1.1f, -2.0f};
    for (int i = 0; i < 4; i++) {
        const double d = central(cube, xs[i], 1e-3f, &c);
        const double want = cube_central(xs[i], 1e-3f);
        ex_expect(fabs(d - want) <= 1e-4 * fabs(want), "the derivative of x^3 at %g came out "
                  "%.9g, expected 3 x^2 + h^2 = %.9g", (double)xs[i], d, want);
    }
}

/* From tests/reference/exercise_grad_check.py: torch autograd of
 * f(x) = (r * torch.tanh(W @ x)).sum() in float64, at x below. */
static const double W[3][4] = {{0.5, -1.0, 0.25, 0.75},
                               {1.5, 0.5, -0.5, 0.0},
                               {-0.25, 0.8, 1.0, -1.2}};
static const double R[3] = {1.0, -2.0, 0.5};
static const float x_ref[4] = {0.3f, -0.7f, 1.1f, 0.2f};
static const double f_ref = 1.80958427373;
static const float grad_ref[4] = {-2.45052139f, -0.710310452f, 1.36470004f, -0.369078835f};

/* f(x) = sum_i R_i tanh((W x)_i), in double. */
static double tanh_layer(void *ctx)
{
    fctx *c = ctx;
    record(c);
    double f = 0.0;
    for (int i = 0; i < 3; i++) {
        double a = 0.0;
        for (int j = 0; j < 4; j++) a += W[i][j] * c->x[j];
        f += R[i] * tanh(a);
    }
    return f;
}

static void numeric_gradient(float *num, float *x, fctx *c)
{
    memset(c, 0, sizeof *c);
    c->x = x;
    for (int j = 0; j < 4; j++) {
        c->var = &x[j];
        num[j] = (float)nn_central_difference(tanh_layer, c, &x[j], 1e-3f);
    }
}

static void test_pytorch_reference(void **state)
{
    (void)state;
    ex_func = "nn_central_difference";
    float x[4], num[4];
    fctx c = {0};
    memcpy(x, x_ref, sizeof x);
    c.x = x;
    c.var = x;
    ex_expect_near(tanh_layer(&c), f_ref, 1e-6, "(test) the test's own f against torch");

    numeric_gradient(num, x, &c);
    ex_expect(c.calls == 8, "f was called %d times for 4 coordinates; central differences "
              "need 2 per coordinate (8)", c.calls);
    ex_expect(memcmp(x, x_ref, sizeof x) == 0, "x changed during the check: each *x must be "
              "put back exactly, or every later coordinate is measured at the wrong point");
    ex_expect_close(num, grad_ref, 4, 1e-4,
                    "the central differences of sum r * tanh(W x), against torch autograd");

    /* And the error measure on them: about 1e-6 for torch's (correct)
     * gradient; one component with its sign flipped, as a buggy backward
     * would give, must stand out (2.73 / 4.90 = 0.56). */
    ex_func = "nn_rel_error";
    double e = nn_rel_error(grad_ref, num, 4);
    ex_expect(e < 1e-4, "nn_rel_error of torch's gradient against your central differences "
              "is %g; they agree to about 1e-6", e);
    float broken[4];
    memcpy(broken, grad_ref, sizeof broken);
    broken[2] = -broken[2];
    e = nn_rel_error(broken, num, 4);
    ex_expect(e > 0.3, "nn_rel_error is %g for a gradient with one component's sign flipped; "
              "a checker must report it (about 0.56)", e);
}

/* ---------------------------------------------------------------- relative error */

static void expect_rel(const float *a, const float *b, size_t n, double want, const char *what)
{
    double e = nn_rel_error(a, b, n);
    ex_expect(fabs(e - want) <= 1e-6 * fabs(want) + 1e-12, "nn_rel_error of %s is %.9g, "
              "expected %.9g", what, e, want);
}

/* a = (3, 1, 1), b = (3, 0, 0): max|a - b| = 1, max|a| + max|b| = 3 + 3,
 * rel = 1/6. Sum norms would give 2 / (5 + 3) = 1/4; Euclidean norms
 * sqrt(2) / (sqrt(11) + 3) = 0.2238875; per-element ratios 1/1 = 1. */
static void test_max_norm(void **state)
{
    (void)state;
    ex_func = "nn_rel_error";
    const float a[3] = {3, 1, 1}, b[3] = {3, 0, 0};
    const double e = nn_rel_error(a, b, 3);
    ex_expect(!(fabs(e - 0.25) < 1e-6), "nn_rel_error((3,1,1), (3,0,0)) is 1/4, the sums "
              "sum|a-b| / (sum|a| + sum|b|); the course's measure uses maxima: 1 / (3 + 3)");
    ex_expect(!(fabs(e - 0.2238875) < 1e-6), "nn_rel_error((3,1,1), (3,0,0)) is %.7g, the "
              "Euclidean norms ||a-b|| / (||a|| + ||b||); the course's measure uses maxima "
              "of absolute values: 1 / (3 + 3)", e);
    ex_expect(!(fabs(e - 1.0) < 1e-6), "nn_rel_error((3,1,1), (3,0,0)) is 1, the worst "
              "per-element ratio |a_i - b_i| / (|a_i| + |b_i|); the maxima are over the "
              "whole vectors: max|a - b| / (max|a| + max|b|) = 1 / 6");
    expect_rel(a, b, 3, 1.0 / 6.0, "(3,1,1) and (3,0,0), max|a-b| / (max|a| + max|b|) = 1/6");
}

static void test_rel_error_hand(void **state)
{
    (void)state;
    ex_func = "nn_rel_error";
    /* equal vectors: 0 */
    const float p[3] = {0.5f, -2.0f, 3.0f};
    expect_rel(p, p, 3, 0.0, "a vector against itself");
    /* (2, -1) against (-2, -1): max|a - b| = 4, 2 + 2 -> 1; a difference
     * of absolute values |a_i| - |b_i| would give 0 */
    const float s1[2] = {2.0f, -1.0f}, s2[2] = {-2.0f, -1.0f};
    const double e = nn_rel_error(s1, s2, 2);
    ex_expect(e != 0.0, "nn_rel_error((2,-1), (-2,-1)) is 0: take |a_i - b_i|, the absolute "
              "value of the difference, not |a_i| - |b_i|");
    expect_rel(s1, s2, 2, 1.0, "(2, -1) and (-2, -1): 4 / (2 + 2)");
    /* the maxima may sit at different indices: (4, 1) against (3.5, 2):
     * max|a-b| = 1 (index 1), max|a| + max|b| = 4 + 3.5 -> 2/15 */
    const float m1[2] = {4.0f, 1.0f}, m2[2] = {3.5f, 2.0f};
    expect_rel(m1, m2, 2, 2.0 / 15.0, "(4, 1) and (3.5, 2): 1 / (4 + 3.5)");
    /* symmetric in a and b */
    expect_rel(m2, m1, 2, 2.0 / 15.0, "(3.5, 2) and (4, 1), the same pair swapped");
}

/* Two zero vectors (a layer whose gradient is legitimately 0) give 0, not
 * 0/0; tiny vectors are measured against the floor 1e-8:
 * (1e-9) against (0): 1e-9 / max(1e-8, 1e-9) = 0.1 (without the floor, 1). */
static void test_floor(void **state)
{
    (void)state;
    ex_func = "nn_rel_error";
    const float z[3] = {0, 0, 0};
    const double e0 = nn_rel_error(z, z, 3);
    ex_expect(!isnan(e0), "nn_rel_error of two zero vectors is NaN (0/0): the denominator is "
              "max(1e-8, max|a| + max|b|)");
    ex_expect(e0 == 0.0, "nn_rel_error of two zero vectors is %g, expected 0", e0);
    expect_rel(z, z, 0, 0.0, "empty vectors (n = 0)");
    const float t1[1] = {1e-9f}, t0[1] = {0.0f};
    const double e = nn_rel_error(t1, t0, 1);
    ex_expect(!(fabs(e - 1.0) < 1e-3), "nn_rel_error((1e-9), (0)) is 1: the floor 1e-8 is "
              "missing from the denominator, max(1e-8, max|a| + max|b|)");
    ex_expect(!(fabs(e - 1.0 / 11.0) < 1e-3), "nn_rel_error((1e-9), (0)) is 1/11: the floor "
              "is max(1e-8, max|a| + max|b|), not 1e-8 + max|a| + max|b|");
    expect_rel(t1, t0, 1, 0.1, "(1e-9) and (0): 1e-9 / max(1e-8, 1e-9)");
}

/* A NaN anywhere must be reported as a failure, NaN or >= 1: a check that
 * passes a NaN gradient hides the worst bug there is. `d > worst` is false
 * for a NaN, so a plain running maximum skips it. */
static void test_nan(void **state)
{
    (void)state;
    ex_func = "nn_rel_error";
    const float ok[3] = {1.0f, 2.0f, 3.0f};
    float bad[3] = {1.0f, 2.0f, 3.0f};
    for (int where = 0; where < 3; where++) {
        memcpy(bad, ok, sizeof bad);
        bad[where] = NAN;
        const double e1 = nn_rel_error(bad, ok, 3), e2 = nn_rel_error(ok, bad, 3);
        ex_expect(!(e1 < 1.0), "nn_rel_error with a NaN at a[%d] is %g: a NaN must be "
                  "reported as a failure (NaN or >= 1); a running maximum `if (d > worst)` "
                  "skips it (NaN compares false), test for it", where, e1);
        ex_expect(!(e2 < 1.0), "nn_rel_error with a NaN at b[%d] is %g: a NaN must be "
                  "reported as a failure (NaN or >= 1)", where, e2);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cube),
        cmocka_unit_test(test_exp),
        cmocka_unit_test(test_restores_x),
        cmocka_unit_test(test_max_norm),
        cmocka_unit_test(test_rel_error_hand),
        cmocka_unit_test(test_floor),
        cmocka_unit_test(test_nan),
        cmocka_unit_test(test_pytorch_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
