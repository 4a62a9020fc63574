/* Exercise 20: nn_slerp(out, a, b, dim, t), spherical interpolation. Cases
 * worked by hand (a quarter circle), the ends, the norm kept between equal
 * norms, PyTorch's values of the formula, the nearly parallel and the equal
 * vectors (no NaN: the straight line; parallel pairs whose cosine rounds
 * above 1, where acos without a clamp is NaN), and the derivative in t against
 * central differences (the arc's speed is constant: |a| omega for |a| = |b|). */
#define EX_NUM 20
#define EX_FUNC "nn_slerp"
#include "exercise_util.h"
#include "nn.h"

static int finite_all(const float *v, int n)
{
    for (int i = 0; i < n; i++)
        if (!isfinite(v[i])) return 0;
    return 1;
}

/* a = (1, 0), b = (0, 1): omega = pi / 2, sin(omega) = 1, so
 *   out(t) = (sin((1 - t) pi / 2), sin(t pi / 2)) = (cos(t pi / 2), sin(t pi / 2))
 *   t = 1/2: (0.70710678, 0.70710678);  t = 1/3: (0.8660254, 0.5)             */
static void test_quarter_circle(void **state)
{
    (void)state;
    const float a[2] = {1, 0}, b[2] = {0, 1};
    float out[2];
    nn_slerp(out, a, b, 2, 0.5f);
    const float half[2] = {0.70710678f, 0.70710678f};
    ex_expect(!(fabsf(out[0] - 0.5f) < 1e-6f && fabsf(out[1] - 0.5f) < 1e-6f),
              "a = (1, 0), b = (0, 1), t = 1/2 gives (0.5, 0.5): that is the straight line "
              "(lerp), which cuts inside the circle; the arc's midpoint is (0.7071, 0.7071)");
    ex_expect_close(out, half, 2, 1e-6, "a = (1, 0), b = (0, 1), t = 1/2");
    nn_slerp(out, a, b, 2, 1.0f / 3.0f);
    const float third[2] = {0.8660254f, 0.5f};
    ex_expect_close(out, third, 2, 1e-6, "a = (1, 0), b = (0, 1), t = 1/3");
}

/* t = 0 is a, t = 1 is b; between two vectors of norm 3 every point has norm 3. */
static void test_ends_and_norm(void **state)
{
    (void)state;
    const float a[3] = {3, 0, 0}, b[3] = {0, 0, -3};
    float out[3];
    nn_slerp(out, a, b, 3, 0.0f);
    ex_expect_close(out, a, 3, 1e-6, "t = 0 (must give a)");
    nn_slerp(out, a, b, 3, 1.0f);
    ex_expect_close(out, b, 3, 1e-6, "t = 1 (must give b)");
    for (int i = 1; i < 10; i++) {
        nn_slerp(out, a, b, 3, (float)i / 10.0f);
        double norm = sqrt((double)out[0] * out[0] + (double)out[1] * out[1] +
                           (double)out[2] * out[2]);
        ex_expect_near(norm, 3.0, 1e-5, "the norm between (3, 0, 0) and (0, 0, -3) (an arc "
                       "of radius 3 keeps it)");
    }
}

/* From tests/reference/exercise_steer.py: the formula in float64 torch. */
static const float slerp5_ref[5] = {-0.0336744176f, 2.06767925f, 0.0168372088f, 0.711676028f,
                                    2.86429353f};
static const float slerp_a8[8] = {-0.213813826f, -1.37796258f, -0.0546178833f, 0.45154575f,
                                  0.785830363f, -1.08843765f, -0.559879517f, -0.933622253f};
static const float slerp_b8[8] = {0.047925487f, -0.0843533873f, -0.147052968f, 0.759034508f,
                                  0.146618509f, -1.00405455f, -0.788169967f, -0.807437344f};
static const float slerp8_ref[8] = {-0.0889361158f, -0.783977361f, -0.108119849f,
                                    0.649016723f, 0.499904824f, -1.12182767f, -0.722716774f,
                                    -0.933417497f};

static void test_pytorch_reference(void **state)
{
    (void)state;
    const float a5[5] = {1.0f, 2.0f, -0.5f, 0.0f, 3.0f}, b5[5] = {-2.0f, 0.5f, 1.0f, 1.5f, 0.25f};
    float out[8];
    nn_slerp(out, a5, b5, 5, 0.3f);
    ex_expect_close(out, slerp5_ref, 5, 1e-5, "5-d vectors of unequal norm at t = 0.3, against "
                    "the formula in torch");
    nn_slerp(out, slerp_a8, slerp_b8, 8, 0.5f);
    ex_expect_close(out, slerp8_ref, 8, 1e-5, "two Gaussian draws (dim 8) at t = 0.5, against "
                    "the formula in torch");
}

/* b = a: omega = 0 and the weights are 0 / 0; the answer is a itself. b a
 * rounding away from a: the cosine may round above 1 (acos NaN); the answer
 * is within a rounding of the straight line. */
static void test_nearly_parallel(void **state)
{
    (void)state;
    float out[8], line[8], b[8];
    nn_slerp(out, slerp_a8, slerp_a8, 8, 0.4f);
    ex_expect(finite_all(out, 8), "slerp(a, a, t = 0.4) gives NaN or inf: when a and b are "
              "parallel, sin(omega) = 0 and both weights are 0 / 0; use the straight line there");
    ex_expect_close(out, slerp_a8, 8, 1e-6, "slerp(a, a, t = 0.4) (must give a)");
    for (int j = 0; j < 8; j++) b[j] = slerp_a8[j] * (1.0f + 1e-7f) + (j == 3 ? 1e-7f : 0.0f);
    nn_slerp(out, slerp_a8, b, 8, 0.7f);
    nn_lerp(line, slerp_a8, b, 8, 0.7f);
    ex_expect(finite_all(out, 8), "a and b a rounding apart give NaN or inf: the cosine can "
              "come out just above 1 (acos is NaN there: clamp it to [-1, 1]) and sin(omega) "
              "nearly 0 (use the straight line when it is tiny)");
    ex_expect_close(out, line, 8, 1e-5, "a and b a rounding apart, t = 0.7 (the straight "
                    "line, to rounding)");
    /* Parallel pairs b = k a whose cosine, however it is summed (in double
     * or float, |a| |b| as one root or two), comes out a rounding above 1
     * for one formula or another: the first is the 1 + 2.2e-16 of
     * ab / (sqrt(aa) sqrt(bb)) in double, the second that of
     * ab / sqrt(aa bb), the last ones float's 1 + 1.2e-7. */
    static const struct { float a[3], k; } par[] = {
        {{0.165f, 0.5f, 5.8f}, 5.5f},   {{-0.254f, 0.985f, -8.32f}, 2.5f},
        {{0.264f, -0.142f, 9.24f}, 3.0f}, {{0.264f, -0.142f, 9.24f}, 0.7f},
        {{-0.928f, 0.376f, -1.99f}, 5.5f},
    };
    for (size_t i = 0; i < sizeof par / sizeof par[0]; i++) {
        float pb[3], pout[3], pline[3];
        for (int j = 0; j < 3; j++) pb[j] = par[i].k * par[i].a[j];
        nn_slerp(pout, par[i].a, pb, 3, 0.5f);
        nn_lerp(pline, par[i].a, pb, 3, 0.5f);
        ex_expect(finite_all(pout, 3), "a = (%g, %g, %g), b = %g a (parallel), t = 1/2 gives "
                  "(%g, %g, %g): the cosine of a and b comes out a rounding above 1 here, "
                  "and acos of it is NaN; clamp the cosine to [-1, 1] before acos",
                  (double)par[i].a[0], (double)par[i].a[1], (double)par[i].a[2],
                  (double)par[i].k, (double)pout[0], (double)pout[1], (double)pout[2]);
        ex_expect_close(pout, pline, 3, 1e-5, "a parallel pair b = k a, t = 1/2 (the "
                        "straight line)");
    }
    /* A scaled copy: parallel, different norms; the line from a to 2a. */
    for (int j = 0; j < 8; j++) b[j] = 2.0f * slerp_a8[j];
    nn_slerp(out, slerp_a8, b, 8, 0.25f);
    nn_lerp(line, slerp_a8, b, 8, 0.25f);
    ex_expect(finite_all(out, 8), "slerp(a, 2a, t) gives NaN or inf: parallel vectors of "
              "different norms have omega = 0 too");
    ex_expect_close(out, line, 8, 1e-5, "slerp(a, 2a, t = 0.25) (the straight line)");
}

/* d out / dt by central differences against the arc's derivative, for
 * |a| = |b| = 1 at 60 degrees: out(t) = (cos(t pi/3), sin(t pi/3)),
 * out'(t) = pi/3 (-sin(t pi/3), cos(t pi/3)). */
static void test_central_differences(void **state)
{
    (void)state;
    const float a[2] = {1, 0}, b[2] = {0.5f, 0.8660254f};
    const float h = 1e-3f;
    for (int i = 1; i < 5; i++) {
        float t = (float)i / 5.0f, up[2], down[2], num[2], want[2];
        nn_slerp(up, a, b, 2, t + h);
        nn_slerp(down, a, b, 2, t - h);
        for (int j = 0; j < 2; j++) num[j] = (up[j] - down[j]) / (2.0f * h);
        double w = 3.14159265358979 / 3.0;
        want[0] = (float)(-w * sin(t * w));
        want[1] = (float)(w * cos(t * w));
        ex_expect_close(num, want, 2, 1e-3, "the path's speed d out / dt (central differences) "
                        "on a 60-degree arc: constant, the angle per unit t");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quarter_circle),
        cmocka_unit_test(test_ends_and_norm),
        cmocka_unit_test(test_pytorch_reference),
        cmocka_unit_test(test_nearly_parallel),
        cmocka_unit_test(test_central_differences),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
