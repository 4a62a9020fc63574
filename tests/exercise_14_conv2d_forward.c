/* Exercise 14: nn_conv2d_forward_reference, a convolution's forward pass in
 * plain loops. x (batch, c_in, in_h, in_w), w (c_out, c_in, k, k) as in
 * PyTorch, y (batch, c_out, oh, ow), oh = (in_h + 2 pad - k) / stride + 1:
 *   y[n][o][i][j] = b[o] + sum_c sum_p sum_q
 *                   x[n][c][i*stride + p - pad][j*stride + q - pad] w[o][c][p][q]
 * with x = 0 outside the image. Hand-worked, without a bias, against
 * torch.nn.functional.conv2d, and at awkward sizes; y always starts as
 * garbage (7): the layer must overwrite it. The usual slips (padding or
 * stride ignored, w read as (c_in, c_out, ...), the kernel flipped, the bias
 * forgotten, y added to) each get their own message. */
#define EX_NUM 14
#define EX_FUNC "nn_conv2d_forward_reference"
#include "exercise_util.h"
#include "nn.h"

#include <stdlib.h>

/* The inputs of the torch case, as tests/reference/conv_torch.py makes them:
 * pat(n, a, b, m, div)[i] = ((i a + b) % m - m/2) / div, exact in float32. */
static void pat(float *x, int n, int a, int b, int m, int div)
{
    for (int i = 0; i < n; i++) x[i] = (float)((i * a + b) % m - m / 2) / (float)div;
}

typedef struct {
    int batch, c_in, h, w, c_out, k, stride, pad;
} shape;

static int osize(int in, const shape *s)
{
    return (in + 2 * s->pad - s->k) / s->stride + 1;
}

/* The slips a first version often has, computed here so that a wrong y can
 * be named. Not the answer: the expected values come from hand and torch. */
enum { SLIP_NO_PAD = 1, SLIP_NO_STRIDE = 2, SLIP_W_SWAPPED = 4, SLIP_NO_BIAS = 8,
       SLIP_FLIPPED = 16 };

static void slip_conv(float *y, const float *x, const float *w, const float *b, const shape *s,
                      int slip)
{
    const int oh = osize(s->h, s), ow = osize(s->w, s);
    const int st = slip & SLIP_NO_STRIDE ? 1 : s->stride;
    const int pd = slip & SLIP_NO_PAD ? 0 : s->pad;
    for (int n = 0; n < s->batch; n++)
        for (int o = 0; o < s->c_out; o++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++) {
                    double acc = (b && !(slip & SLIP_NO_BIAS)) ? b[o] : 0.0;
                    for (int c = 0; c < s->c_in; c++)
                        for (int p = 0; p < s->k; p++)
                            for (int q = 0; q < s->k; q++) {
                                int iy = i * st + p - pd, ix = j * st + q - pd;
                                if (iy < 0 || iy >= s->h || ix < 0 || ix >= s->w) continue;
                                int pp = slip & SLIP_FLIPPED ? s->k - 1 - p : p;
                                int qq = slip & SLIP_FLIPPED ? s->k - 1 - q : q;
                                size_t oc = slip & SLIP_W_SWAPPED
                                                ? (size_t)c * s->c_out + o
                                                : (size_t)o * s->c_in + c;
                                size_t wi = (oc * s->k + pp) * s->k + qq;
                                acc += (double)x[((n * s->c_in + c) * s->h + iy) * s->w + ix] *
                                       w[wi];
                            }
                    y[((n * s->c_out + o) * oh + i) * ow + j] = (float)acc;
                }
}

static int matches(const float *got, const float *want, size_t n)
{
    size_t where;
    return ex_rel_error(got, want, n, &where) <= 1e-5;
}

/* Runs the student's function on y full of 7s and checks it against want,
 * naming the slip when y is one of them; then that nothing was written past
 * the output. */
static void expect_conv(const float *x, const float *w, const float *b, const shape *s,
                        const float *want, const char *what)
{
    const size_t n = (size_t)s->batch * s->c_out * osize(s->h, s) * osize(s->w, s);
    float *y = malloc((n + 4) * sizeof *y), *alt = malloc((n + 4) * sizeof *alt);
    for (size_t i = 0; i < n + 4; i++) y[i] = 7.0f;
    nn_conv2d_forward_reference(y, x, w, b, s->batch, s->c_in, s->h, s->w, s->c_out, s->k,
                                s->stride, s->pad);
    if (!matches(y, want, n)) {
        for (size_t i = 0; i < n; i++) alt[i] = want[i] + 7.0f;
        ex_expect(!matches(y, alt, n), "%s: y is the answer + 7, its old contents: overwrite "
                  "y (start each sum from the bias), do not add into it", what);
        static const struct { int slip; const char *msg; } slips[] = {
            {SLIP_NO_BIAS, "y is missing the bias: start each output's sum from b[o] (when b "
                           "is not NULL)"},
            {SLIP_NO_PAD, "the padding is ignored: the window of output (i, j) starts at row "
                          "i*stride - pad, column j*stride - pad (read 0 outside the image)"},
            {SLIP_NO_STRIDE, "the stride is ignored: the window of output (i, j) starts at row "
                             "i*stride - pad, not i - pad"},
            {SLIP_W_SWAPPED, "w was read as (c_in, c_out, k, k); torch's Conv2d stores it "
                             "(c_out, c_in, k, k): w[o][c][p][q] is w[((o*c_in + c)*k + p)*k + q]"},
            {SLIP_FLIPPED, "the kernel is flipped (w[o][c][k-1-p][k-1-q]): torch's conv2d does "
                           "not flip it (a cross-correlation): tap (p, q) meets pixel "
                           "(i*stride + p - pad, j*stride + q - pad)"},
        };
        for (size_t k = 0; k < sizeof slips / sizeof slips[0]; k++) {
            if (slips[k].slip == SLIP_NO_BIAS && !b) continue;
            slip_conv(alt, x, w, b, s, slips[k].slip);
            if (matches(alt, want, n)) continue; /* this case cannot tell it apart */
            ex_expect(!matches(y, alt, n), "%s: %s", what, slips[k].msg);
        }
    }
    ex_expect_close(y, want, n, 1e-5, what);
    ex_expect(y[n] == 7.0f && y[n + 3] == 7.0f,
              "%s: wrote past the end of y (batch * c_out * oh * ow = %zu floats; oh = (in_h "
              "+ 2 pad - k) / stride + 1)", what, n);
    free(y);
    free(alt);
}

/* ---------------------------------------------------------------- by hand */

/* x (1, 1, 3, 3) = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]; w (2, 1, 2, 2):
 * channel 0 [[1, 2], [3, 4]], channel 1 [[0, 1], [-1, 0]]; b = (0.5, -1).
 * Stride 2, pad 1: oh = (3 + 2 - 2) / 2 + 1 = 2; output (i, j) looks at rows
 * 2i - 1 .. 2i and columns 2j - 1 .. 2j, padding outside:
 *   channel 0: y00 = x00*4 = 4,  y01 = x01*3 + x02*4 = 18,
 *              y10 = x10*2 + x20*4 = 36,  y11 = 5*1 + 6*2 + 8*3 + 9*4 = 77;  + 0.5
 *   channel 1: y00 = x00*0 = 0,  y01 = x01*(-1) + x02*0 = -2,
 *              y10 = x10*1 + x20*0 = 4,   y11 = 5*0 + 6*1 + 8*(-1) + 9*0 = -2;  - 1
 * Stride 1, pad 0: oh = 2; windows at rows i .. i+1:
 *   channel 0: 1 + 4 + 12 + 20 = 37, 2 + 6 + 15 + 24 = 47, 67, 77;  + 0.5
 *   channel 1: x(i, j+1) - x(i+1, j) = -2 everywhere;  - 1             */
static const float hx[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
static const float hw[8] = {1, 2, 3, 4, 0, 1, -1, 0};
static const float hb[2] = {0.5f, -1.0f};

static void test_hand_worked(void **state)
{
    (void)state;
    const shape s2 = {1, 1, 3, 3, 2, 2, 2, 1};
    const float want2[8] = {4.5f, 18.5f, 36.5f, 77.5f, -1.0f, -3.0f, 3.0f, -3.0f};
    expect_conv(hx, hw, hb, &s2, want2,
                "y for a 3x3 image, two 2x2 kernels, stride 2, pad 1 (worked in the test)");
    const shape s1 = {1, 1, 3, 3, 2, 2, 1, 0};
    const float want1[8] = {37.5f, 47.5f, 67.5f, 77.5f, -3.0f, -3.0f, -3.0f, -3.0f};
    expect_conv(hx, hw, hb, &s1, want1, "y for the same, stride 1, pad 0");
}

/* b NULL: no bias. The stride-2 case above without its 0.5 and -1. */
static void test_null_bias(void **state)
{
    (void)state;
    const shape s2 = {1, 1, 3, 3, 2, 2, 2, 1};
    const float want[8] = {4, 18, 36, 77, 0, -2, 4, -2};
    expect_conv(hx, hw, NULL, &s2, want, "y with b = NULL (no bias)");
}

/* ---------------------------------------------------------------- torch */

/* From tests/reference/conv_torch.py (torch 1.13, float64 on the float32
 * inputs x = pat(180, 37, 11, 29, 16), w = pat(108, 53, 7, 31, 32),
 * b = pat(4, 7, 3, 9, 8); for t_y3 x = pat(126, 41, 13, 27, 16),
 * w = pat(8, 17, 5, 13, 32), b = pat(2, 5, 1, 7, 8)). */
/* F.conv2d(x, w, b, stride=2, padding=1): x (2, 3, 5, 6), w (4, 3, 3, 3), y (2, 4, 3, 3) */
static const float t_y[72] = {
    0.27734375f, -0.201171875f, 0.021484375f, -0.20703125f, -0.21875f, -0.943359375f,
    -0.05859375f, 0.419921875f, 0.09765625f, -0.453125f, -0.4296875f, 0.8828125f,
    0.1171875f, -1.05273438f, -0.193359375f, -0.119140625f, 0.197265625f, -0.609375f,
    -0.361328125f, 0.52734375f, 0.38671875f, 0.83984375f, 0.630859375f, 0.53125f,
    0.4609375f, 0.494140625f, 1.74609375f, 0.361328125f, -0.609375f, 0.521484375f,
    0.921875f, 1.06835938f, 0.009765625f, -0.568359375f, 0.33203125f, 0.130859375f,
    -0.427734375f, 0.1328125f, 0.072265625f, 0.341796875f, -0.541015625f, 0.376953125f,
    -0.82421875f, 0.701171875f, -0.357421875f, -0.552734375f, -0.953125f, -1.11328125f,
    -0.474609375f, -0.330078125f, -0.20703125f, -0.58203125f, -0.984375f, -0.205078125f,
    -0.158203125f, 0.599609375f, -0.447265625f, 0.560546875f, 0.33984375f, 0.63671875f,
    0.30078125f, -0.091796875f, -0.19921875f, 0.8671875f, -0.244140625f, 0.546875f,
    0.955078125f, -0.236328125f, 0.234375f, -0.42578125f, 0.341796875f, -0.65234375f,
};
/* F.conv2d(x, w, None, stride=2, padding=1) */
static const float t_y_nobias[72] = {
    0.40234375f, -0.076171875f, 0.146484375f, -0.08203125f, -0.09375f, -0.818359375f,
    0.06640625f, 0.544921875f, 0.22265625f, -0.078125f, -0.0546875f, 1.2578125f,
    0.4921875f, -0.677734375f, 0.181640625f, 0.255859375f, 0.572265625f, -0.234375f,
    -0.861328125f, 0.02734375f, -0.11328125f, 0.33984375f, 0.130859375f, 0.03125f,
    -0.0390625f, -0.005859375f, 1.24609375f, 0.111328125f, -0.859375f, 0.271484375f,
    0.671875f, 0.818359375f, -0.240234375f, -0.818359375f, 0.08203125f, -0.119140625f,
    -0.302734375f, 0.2578125f, 0.197265625f, 0.466796875f, -0.416015625f, 0.501953125f,
    -0.69921875f, 0.826171875f, -0.232421875f, -0.177734375f, -0.578125f, -0.73828125f,
    -0.099609375f, 0.044921875f, 0.16796875f, -0.20703125f, -0.609375f, 0.169921875f,
    -0.658203125f, 0.099609375f, -0.947265625f, 0.060546875f, -0.16015625f, 0.13671875f,
    -0.19921875f, -0.591796875f, -0.69921875f, 0.6171875f, -0.494140625f, 0.296875f,
    0.705078125f, -0.486328125f, -0.015625f, -0.67578125f, 0.091796875f, -0.90234375f,
};
/* F.conv2d(x, w, b, stride=3, padding=2): x (3, 1, 7, 6), w (2, 1, 2, 2), y (3, 2, 4, 3) */
static const float t_y3[72] = {
    -0.25f, -0.25f, -0.25f, -0.25f, -0.15234375f, -0.380859375f,
    -0.25f, -0.15234375f, -0.1171875f, -0.25f, -0.25f, -0.25f,
    0.375f, 0.375f, 0.375f, 0.375f, 0.4375f, 0.244140625f,
    0.375f, 0.490234375f, 0.40234375f, 0.375f, 0.375f, 0.375f,
    -0.25f, -0.25f, -0.25f, -0.25f, -0.134765625f, -0.15234375f,
    -0.25f, -0.1875f, -0.416015625f, -0.25f, -0.25f, -0.25f,
    0.375f, 0.375f, 0.375f, 0.375f, 0.47265625f, 0.490234375f,
    0.375f, 0.47265625f, 0.279296875f, 0.375f, 0.375f, 0.375f,
    -0.25f, -0.25f, -0.25f, -0.25f, -0.380859375f, -0.1875f,
    -0.25f, -0.1171875f, -0.345703125f, -0.25f, -0.25f, -0.25f,
    0.375f, 0.375f, 0.375f, 0.375f, 0.244140625f, 0.47265625f,
    0.375f, 0.40234375f, 0.208984375f, 0.375f, 0.375f, 0.375f,
};


static void test_pytorch_reference(void **state)
{
    (void)state;
    float x[180], w[108], b[4];
    pat(x, 180, 37, 11, 29, 16);
    pat(w, 108, 53, 7, 31, 32);
    pat(b, 4, 7, 3, 9, 8);
    const shape s = {2, 3, 5, 6, 4, 3, 2, 1};
    expect_conv(x, w, b, &s, t_y,
                "y for x (2, 3, 5, 6), w (4, 3, 3, 3), stride 2, pad 1, against torch "
                "F.conv2d(x, w, b, stride=2, padding=1)");
    expect_conv(x, w, NULL, &s, t_y_nobias,
                "the same with b = NULL, against torch F.conv2d(x, w, None, ...)");
}

/* ---------------------------------------------------------------- awkward */

static void test_awkward_sizes(void **state)
{
    (void)state;
    /* A 1x1 kernel is a weighted sum of the channels at each pixel:
     * x (1, 2, 1, 2) = [[3, 5]], [[-1, 2]]; w (1, 2, 1, 1) = (2, -3), b = 1:
     * y = [2*3 + 3 + 1, 2*5 - 6 + 1] = [10, 5]. */
    const float x1[4] = {3, 5, -1, 2}, w1[2] = {2, -3}, b1[1] = {1};
    const shape s1 = {1, 2, 1, 2, 1, 1, 1, 0};
    const float want1[2] = {10, 5};
    expect_conv(x1, w1, b1, &s1, want1, "y for a 1x1 kernel over two channels");
    /* A kernel as large as the padded image: one output, the whole image
     * times the middle of w. x (1, 1, 2, 2) = [[1, 2], [3, 4]], k = 4, pad 1,
     * w = 1..16 row by row; the image meets w[1..2][1..2] = [[6, 7], [10, 11]]:
     * y = 6 + 14 + 30 + 44 = 94. */
    const float x2[4] = {1, 2, 3, 4};
    float w2[16];
    for (int i = 0; i < 16; i++) w2[i] = (float)(i + 1);
    const shape s2 = {1, 1, 2, 2, 1, 4, 1, 1};
    const float want2[1] = {94};
    expect_conv(x2, w2, NULL, &s2, want2, "y for a 4x4 kernel over a 2x2 image padded by 1");
    /* Stride 3 larger than the kernel 2, padding 2, three images of one
     * channel: oh = (7 + 4 - 2) / 3 + 1 = 4, ow = (6 + 4 - 2) / 3 + 1 = 3,
     * against torch (t_y3). */
    float x3[3 * 1 * 7 * 6], w3[2 * 1 * 2 * 2], b3[2];
    pat(x3, 126, 41, 13, 27, 16);
    pat(w3, 8, 17, 5, 13, 32);
    pat(b3, 2, 5, 1, 7, 8);
    const shape s3 = {3, 1, 7, 6, 2, 2, 3, 2};
    expect_conv(x3, w3, b3, &s3, t_y3,
                "y for 3 images of 7x6, kernel 2, stride 3, pad 2, against torch "
                "F.conv2d(x, w, b, stride=3, padding=2)");
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
