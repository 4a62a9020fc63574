/* Exercise 23: nn_knn_precision(ref, nref, x, nx, dim, k), the share of the
 * rows of x inside at least one ball of ref, each ref row's radius being its
 * distance to its k-th nearest other ref row (Kynkaanniemi et al. 2019):
 * hand-worked 1-D and 2-D cases (the border, k, a row is not its own
 * neighbour, Euclidean distance), and NumPy's values on random points. */
#define EX_NUM 23
#define EX_FUNC "nn_knn_precision"
#include "exercise_util.h"
#include "nn.h"

static void expect_prec(const float *ref, int nref, const float *x, int nx, int dim, int k,
                        double want, const char *what)
{
    double got = nn_knn_precision(ref, nref, x, nx, dim, k);
    ex_expect(fabs(got - want) < 1e-6, "%s: got %.6g, expected %.6g", what, got, want);
}

static void test_hand_worked_1d(void **state)
{
    (void)state;
    /* ref {0, 1, 5}, k = 1: radii 1, 1, 4 (5's nearest other is 1).
     * 0.5 is in 0's ball, 2.5 in 5's (|2.5 - 5| = 2.5 <= 4), 9.5 in none: 2/3. */
    const float ref[3] = {0, 1, 5}, x[3] = {0.5f, 2.5f, 9.5f};
    double got = nn_knn_precision(ref, 3, x, 3, 1, 1);
    ex_expect(got != 0.0, "precision is 0 for ref {0, 1, 5}, x {0.5, 2.5, 9.5}, k = 1 "
              "(expected 2/3): no row counted; if you wrote it, is a row its own nearest "
              "neighbour (radius 0)? Skip it");
    ex_expect(fabs(got - 1.0 / 3.0) > 1e-6, "precision is 1/3 (expected 2/3): 2.5 is in 5's "
              "ball, whose radius is 4 (its nearest other row is 1)");
    expect_prec(ref, 3, x, 3, 1, 1, 2.0 / 3.0, "ref {0, 1, 5}, x {0.5, 2.5, 9.5}, k = 1");
    /* Swapped, the recall direction: ref {0.5, 2.5, 9.5} has radii 2, 2, 7;
     * 0 and 1 are in 0.5's ball, 5 in 9.5's (4.5 <= 7): 1. */
    expect_prec(x, 3, ref, 3, 1, 1, 1.0, "ref {0.5, 2.5, 9.5}, x {0, 1, 5}, k = 1");
    /* The border is inside: ref {0, 2}, radii 2; x = 4 is exactly 2 from 2. */
    const float r2[2] = {0, 2}, x2[2] = {4, 4.5f};
    expect_prec(r2, 2, x2, 2, 1, 1, 0.5, "ref {0, 2}, x {4, 4.5}, k = 1 (4 is on the border "
                "of 2's ball, radius 2: inside)");
    /* k: ref {0, 1, 3}; k = 1 radii 1, 1, 2; k = 2 radii 3, 2, 3. x = 6 is
     * 3 from 3: outside with k = 1, inside with k = 2. */
    const float r3[3] = {0, 1, 3}, x3[2] = {6, 0.5f};
    expect_prec(r3, 3, x3, 2, 1, 1, 0.5, "ref {0, 1, 3}, x {6, 0.5}, k = 1");
    expect_prec(r3, 3, x3, 2, 1, 2, 1.0, "ref {0, 1, 3}, x {6, 0.5}, k = 2 (the radius is the "
                "distance to the 2nd nearest other row: 3 for the point 3)");
}

static void test_hand_worked_2d(void **state)
{
    (void)state;
    /* ref (0, 0) and (3, 4), 5 apart: radius 5 each (k = 1). (3, 0) is 3
     * from (0, 0): inside. (-3.6, -3.6) is sqrt(25.92) = 5.09 from (0, 0):
     * outside, though a distance compared with the squared radius 25 would
     * let it in. (6, 8) is 5 from (3, 4), on the border: inside. */
    const float ref[4] = {0, 0, 3, 4};
    const float x[6] = {3, 0, -3.6f, -3.6f, 6, 8};
    double got = nn_knn_precision(ref, 2, x, 3, 2, 1);
    ex_expect(fabs(got - 1.0) > 1e-6, "(-3.6, -3.6) counts as inside: its distance to (0, 0) "
              "is 5.09, more than the radius 5 (compare distances with radii, or squared "
              "distances with squared radii)");
    expect_prec(ref, 2, x, 3, 2, 1, 2.0 / 3.0, "ref (0, 0), (3, 4); x (3, 0), (-3.6, -3.6), "
                "(6, 8); k = 1 (Euclidean distances)");
}

/* tests/reference/exercise_judging.py: ref (12, 3) = 4u - 2 and x (10, 3) =
 * 6u - 3 from PCG32 seed 23 stream 0 (ref first), NumPy's k-NN precision. */
static void test_numpy_reference(void **state)
{
    (void)state;
    float ref[36], x[30];
    nn_rng r;
    nn_rng_seed(&r, 23, 0);
    for (int i = 0; i < 36; i++) ref[i] = 4.0f * nn_rng_uniform(&r) - 2.0f;
    for (int i = 0; i < 30; i++) x[i] = 6.0f * nn_rng_uniform(&r) - 3.0f;
    const int ks[4] = {1, 2, 3, 5};
    const double prec[4] = {0.3, 0.5, 0.9, 1.0}, rec[4] = {11.0 / 12.0, 1.0, 1.0, 1.0};
    char what[64];
    for (int i = 0; i < 4; i++) {
        snprintf(what, sizeof what, "NumPy's precision(ref, x), k = %d", ks[i]);
        expect_prec(ref, 12, x, 10, 3, ks[i], prec[i], what);
        snprintf(what, sizeof what, "NumPy's precision(x, ref), k = %d", ks[i]);
        expect_prec(x, 10, ref, 12, 3, ks[i], rec[i], what);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_worked_1d),
        cmocka_unit_test(test_hand_worked_2d),
        cmocka_unit_test(test_numpy_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
