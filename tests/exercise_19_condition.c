/* Exercise 19: nn_gan_condition(out, x, y, n, dim, k), the rows
 * [x_i, one-hot(y_i)] a conditioned network reads. A case worked by hand,
 * PyTorch's torch.cat([x, F.one_hot(y, k)], 1), an output that held garbage,
 * and the conditional GAN's own shapes (z of 100 then 10 labels). */
#define EX_NUM 19
#define EX_FUNC "nn_gan_condition"
#include "exercise_util.h"
#include "nn.h"

#include <string.h>

#define GARBAGE 7.0f

static void fill(float *v, int n, float x)
{
    for (int i = 0; i < n; i++) v[i] = x;
}

static void expect_rows(const float *got, const float *want, int n, int w, const char *what)
{
    for (int i = 0; i < n * w; i++) {
        ex_expect(got[i] != GARBAGE, "%s: out[%d] (row %d, column %d) was not written (it "
                  "still holds what out held before the call): every one of the dim + k "
                  "numbers of a row is written, the zeros too", what, i, i / w, i % w);
        ex_expect(got[i] == want[i], "%s: out[%d] (row %d, column %d) is %g, expected %g; a "
                  "row is [x_i, one-hot(y_i)], dim + k wide, rows one after another", what, i,
                  i / w, i % w, (double)got[i], (double)want[i]);
    }
}

/* n = 2, dim = 3, k = 3:
 *   x_0 = (1, 2, 3), y_0 = 0  ->  (1, 2, 3, 1, 0, 0)
 *   x_1 = (4, 5, 6), y_1 = 2  ->  (4, 5, 6, 0, 0, 1)                        */
static void test_hand_worked(void **state)
{
    (void)state;
    const float x[6] = {1, 2, 3, 4, 5, 6};
    const int y[2] = {0, 2};
    float out[12];
    fill(out, 12, GARBAGE);
    nn_gan_condition(out, x, y, 2, 3, 3);
    const float want[12] = {1, 2, 3, 1, 0, 0, 4, 5, 6, 0, 0, 1};
    expect_rows(out, want, 2, 6, "x = ((1, 2, 3), (4, 5, 6)), y = (0, 2), k = 3");
}

/* From tests/reference/exercise_steer.py: torch.cat([x, F.one_hot(y, 4)], 1)
 * for x = ((0.5, -1.25), (2, 0.75), (-0.3, 1.1)), y = (2, 0, 3). */
static const float cond_ref[18] = {0.5f, -1.25f, 0.0f, 0.0f, 1.0f, 0.0f, 2.0f, 0.75f, 1.0f,
                                   0.0f, 0.0f, 0.0f, -0.3f, 1.1f, 0.0f, 0.0f, 0.0f, 1.0f};

static void test_pytorch_reference(void **state)
{
    (void)state;
    const float x[6] = {0.5f, -1.25f, 2.0f, 0.75f, -0.3f, 1.1f};
    const int y[3] = {2, 0, 3};
    float out[18];
    fill(out, 18, GARBAGE);
    nn_gan_condition(out, x, y, 3, 2, 4);
    expect_rows(out, cond_ref, 3, 6, "against PyTorch's cat([x, one_hot(y, 4)])");
}

/* The cGAN's shapes: 64 rows of z (100) with labels 0..9 in turn; each row
 * keeps its z and has exactly one 1 among its 10 label columns. */
static void test_cgan_shapes(void **state)
{
    (void)state;
    enum { N = 64, D = 100, K = 10, W = D + K };
    static float z[N * D], out[N * W];
    int y[N];
    for (int i = 0; i < N * D; i++) z[i] = (float)(i % 17) - 8.0f;
    for (int i = 0; i < N; i++) y[i] = i % K;
    fill(out, N * W, GARBAGE);
    nn_gan_condition(out, z, y, N, D, K);
    for (int i = 0; i < N; i++) {
        ex_expect(memcmp(out + (size_t)i * W, z + (size_t)i * D, D * sizeof(float)) == 0,
                  "row %d of 64 (dim 100, k 10) does not start with z_%d: row i starts at "
                  "out + i * (dim + k) and at x + i * dim", i, i);
        for (int j = 0; j < K; j++) {
            float want = j == y[i] ? 1.0f : 0.0f;
            ex_expect(out[(size_t)i * W + D + j] == want, "row %d (label %d): label column %d "
                      "is %g, expected %g", i, y[i], j, (double)out[(size_t)i * W + D + j],
                      (double)want);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_worked),
        cmocka_unit_test(test_pytorch_reference),
        cmocka_unit_test(test_cgan_shapes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
