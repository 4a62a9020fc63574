/* Exercise 3: nn_linear_forward, y (batch, out) = x (batch, in) . w^T + b
 * with w stored (out, in) as in PyTorch: hand-worked, without a bias,
 * against torch.nn.functional.linear, and at awkward sizes. y always starts
 * as garbage (7): the layer must overwrite it. */
#define EX_NUM 3
#define EX_FUNC "nn_linear_forward"
#include "exercise_util.h"
#include "nn.h"

static int matches(const float *got, const float *want, size_t n, double tol)
{
    size_t where;
    return ex_rel_error(got, want, n, &where) <= tol;
}

static void fill7(float *y, size_t n)
{
    for (size_t i = 0; i < n; i++) y[i] = 7.0f;
}

/* The usual slips first, each with its own message; then the comparison. */
static void expect_y(const float *y, const float *want, size_t n, const float *no_bias,
                     const float *transposed, const float *bias_by_row, const char *what)
{
    if (!matches(y, want, n, 1e-6)) {
        float plus7[64];
        for (size_t i = 0; i < n && i < 64; i++) plus7[i] = want[i] + 7.0f;
        ex_expect(!(n <= 64 && matches(y, plus7, n, 1e-6)),
                  "%s: y is the answer + 7, its old contents: overwrite y, do not add "
                  "into it (nn_matmul's last flag, accumulate, must be 0)", what);
        ex_expect(!(no_bias && matches(y, no_bias, n, 1e-6)),
                  "%s: y is x . w^T without the bias: add b[o] to column o of every row",
                  what);
        ex_expect(!(transposed && matches(y, transposed, n, 1e-6)),
                  "%s: w was read as if stored (in, out); torch's layout is (out, in): "
                  "w[o][i] is w[o*in + i], so y = x . w^T (nn_matmul's transB = 1)", what);
        ex_expect(!(bias_by_row && matches(y, bias_by_row, n, 1e-6)),
                  "%s: b was indexed by the row; b has one entry per OUTPUT feature, "
                  "the same b[o] on every row", what);
    }
    ex_expect_close(y, want, n, 1e-6, what);
}

/* x (2, 3), w (out 2, in 3), b (2):
 *   x = [[1, 2, 3], [4, 5, 6]],  w = [[1, 0, -1], [2, 1, 0]],  b = [0.5, -1]
 *   y[0][0] = 1 - 3 + 0.5 = -1.5    y[0][1] = 2 + 2 - 1 = 3
 *   y[1][0] = 4 - 6 + 0.5 = -1.5    y[1][1] = 8 + 5 - 1 = 12
 * Slips, worked the same way:
 *   no bias:             [[-2, 4], [-2, 13]]
 *   w read as (3, 2):    rows [1, 0], [-1, 2], [1, 0] -> [[2.5, 3], [5.5, 9]]
 *   b[r] on row r:       [[-1.5, 4.5], [-3, 12]]                           */
static const float hx[6] = {1, 2, 3, 4, 5, 6};
static const float hw[6] = {1, 0, -1, 2, 1, 0};
static const float hb[2] = {0.5f, -1.0f};

static void test_hand_worked(void **state)
{
    (void)state;
    const float want[4] = {-1.5f, 3.0f, -1.5f, 12.0f};
    const float no_bias[4] = {-2.0f, 4.0f, -2.0f, 13.0f};
    const float transposed[4] = {2.5f, 3.0f, 5.5f, 9.0f};
    const float by_row[4] = {-1.5f, 4.5f, -3.0f, 12.0f};
    float y[5];
    fill7(y, 5);
    nn_linear_forward(y, hx, hw, hb, 2, 3, 2);
    expect_y(y, want, 4, no_bias, transposed, by_row,
             "y for x = [[1,2,3],[4,5,6]], w = [[1,0,-1],[2,1,0]], b = [0.5,-1]");
    ex_expect(y[4] == 7.0f, "wrote past y's batch * out = 4 elements (y[4] is %g)",
              (double)y[4]);
}

/* b NULL means no bias: y = x . w^T = [[-2, 4], [-2, 13]] (above); with w
 * read as (3, 2) it would be [[2, 4], [5, 10]]. */
static void test_null_bias(void **state)
{
    (void)state;
    const float want[4] = {-2.0f, 4.0f, -2.0f, 13.0f};
    const float transposed[4] = {2.0f, 4.0f, 5.0f, 10.0f};
    float y[4];
    fill7(y, 4);
    nn_linear_forward(y, hx, hw, NULL, 2, 3, 2);
    expect_y(y, want, 4, NULL, transposed, NULL, "y with b = NULL (no bias: y = x . w^T)");
}

/* From tests/reference/exercise_linear_forward.py: torch.nn.functional.linear
 * (x, w, b) in float64 on these float32 inputs, batch 3, in 5, out 4. */
static const float xa[15] = {0.300000012f, -1.20000005f, 0.75f, 2.0f, -0.100000001f, 1.5f,
                             0.0f, -0.600000024f, 0.25f, 0.899999976f, -2.20000005f,
                             0.400000006f, 1.10000002f, -0.349999994f, 0.0500000007f};
static const float wa[20] = {0.200000003f, -0.5f, 0.100000001f, 0.0f, 0.300000012f,
                             -0.699999988f, 0.25f, 0.600000024f, -0.150000006f, 0.0500000007f,
                             0.449999988f, 0.100000001f, -0.300000012f, 0.800000012f,
                             -0.200000003f, 0.0500000007f, -0.899999976f, 0.349999994f,
                             0.119999997f, 0.600000024f};
static const float ba[4] = {0.100000001f, -0.25f, 0.5f, -1.0f};
/* F.linear(x, w, b) */
static const float ya_ref[12] = {0.805000007f, -0.61500001f, 1.90999997f, 0.537500024f,
                                 0.610000014f, -1.65250003f, 1.375f, -0.564999998f,
                                 -0.415000021f, 2.10500002f, -1.07000005f, -1.097f};
/* F.linear(x, w): bias None */
static const float ya_nobias_ref[12] = {0.705000043f, -0.36500001f, 1.40999997f, 1.53750002f,
                                        0.50999999f, -1.40250003f, 0.875f, 0.435000002f,
                                        -0.514999986f, 2.35500002f, -1.57000005f,
                                        -0.0969999954f};
/* Not an answer: F.linear(x, w.reshape(5, 4).t(), b), w read as (in, out). */
static const float ya_transposed_slip[12] = {-0.82250005f, 2.04250002f, 0.15549998f,
                                             -1.60500002f, -0.394999951f, -0.514999986f,
                                             0.437999994f, -0.507499993f, -0.325000018f,
                                             0.362500042f, 0.950999975f, -0.637499988f};

static void test_pytorch_reference(void **state)
{
    (void)state;
    float y[12];
    fill7(y, 12);
    nn_linear_forward(y, xa, wa, ba, 3, 5, 4);
    expect_y(y, ya_ref, 12, ya_nobias_ref, ya_transposed_slip, NULL,
             "y for batch 3, in 5, out 4, against torch F.linear(x, w, b)");
    fill7(y, 12);
    nn_linear_forward(y, xa, wa, NULL, 3, 5, 4);
    expect_y(y, ya_nobias_ref, 12, NULL, NULL, NULL,
             "y for batch 3, in 5, out 4 with b = NULL, against torch F.linear(x, w)");
}

/* Batch 7, in 13, out 9: the inputs of tests/reference/
 * exercise_linear_forward.py (multiples of 1/16 and 1/32, exact in float). */
static const float yb_ref[63] = {
    -0.875f, 0.365234375f, 0.84375f, 0.474609375f, -1.46875f, -0.833984375f, 0.916015625f,
    0.728515625f, -0.125f, 0.32421875f, 0.875f, -1.09179688f, -0.39453125f, 0.484375f,
    1.45898438f, -0.265625f, -1.14257812f, 0.099609375f, -1.08203125f, 1.1015625f,
    0.767578125f, -0.4140625f, -1.4140625f, 0.466796875f, 1.1015625f, 0.1015625f,
    -1.26171875f, -0.22265625f, -0.880859375f, -0.544921875f, 0.69921875f, 0.369140625f,
    0.4375f, -1.04296875f, 0.3828125f, 0.71875f, 0.013671875f, 1.38476562f, 0.23828125f,
    -1.75585938f, -0.056640625f, 1.31445312f, 0.833984375f, -0.978515625f, -1.09570312f,
    -1.16601562f, -0.880859375f, 0.3984375f, 0.830078125f, -0.3125f, -0.75390625f,
    0.162109375f, 0.775390625f, 0.6015625f, 0.31640625f, 0.875f, -1.08398438f, -0.37890625f,
    0.5078125f, 1.36914062f, -0.2265625f, -1.09570312f, 0.033203125f};

static void test_awkward_sizes(void **state)
{
    (void)state;
    /* 1 x 1 -> 1: y = w x + b = -2 * 3 + 0.5 = -5.5 */
    const float x1 = 3.0f, w1 = -2.0f, b1 = 0.5f;
    float y1[2] = {7.0f, 7.0f};
    nn_linear_forward(y1, &x1, &w1, &b1, 1, 1, 1);
    ex_expect(y1[0] == -5.5f, "batch 1, in 1, out 1: y = w x + b = -2 * 3 + 0.5 = -5.5, "
              "got %g", (double)y1[0]);
    ex_expect(y1[1] == 7.0f, "batch 1, out 1: wrote past y[0]");

    enum { B = 7, IN = 13, OUT = 9 };
    float x[B * IN], w[OUT * IN], b[OUT], y[B * OUT + 1];
    for (int r = 0; r < B; r++)
        for (int i = 0; i < IN; i++) x[r * IN + i] = (float)((r * 13 + i) * 37 % 29 - 14) / 16.0f;
    for (int o = 0; o < OUT; o++)
        for (int i = 0; i < IN; i++) w[o * IN + i] = (float)((o * 13 + i) * 53 % 31 - 15) / 32.0f;
    for (int o = 0; o < OUT; o++) b[o] = (float)(o * 7 % 9 - 4) / 8.0f;
    fill7(y, B * OUT + 1);
    nn_linear_forward(y, x, w, b, B, IN, OUT);
    ex_expect_close(y, yb_ref, B * OUT, 1e-6,
                    "y for batch 7, in 13, out 9, against torch F.linear(x, w, b) (is w read "
                    "as (out, in), with in as the row length?)");
    ex_expect(y[B * OUT] == 7.0f, "wrote past y's batch * out = 63 elements");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_worked),
        cmocka_unit_test(test_null_bias),
        cmocka_unit_test(test_pytorch_reference),
        cmocka_unit_test(test_awkward_sizes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
