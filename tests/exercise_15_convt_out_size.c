/* Exercise 15: nn_conv_transpose2d_out_size(in, k, stride, pad), the height
 * (or width) of the image a transposed convolution makes: the size that a
 * convolution (k, stride, pad) shrinks back to `in`, torch's
 * ConvTranspose2d with output_padding 0:
 *   (in - 1) stride - 2 pad + k
 * Hand-worked cases (DCGAN's generator 7 -> 14 -> 28, stride 1, padding),
 * the shapes torch.nn.ConvTranspose2d gives, the round trip through the
 * convolution's size, and the usual slips named. */
#define EX_NUM 15
#define EX_FUNC "nn_conv_transpose2d_out_size"
#include "exercise_util.h"
#include "nn.h"

/* The slips, as formulas: what a first version often computes instead. */
typedef struct {
    const char *msg;
    int (*f)(int in, int k, int s, int p);
} slip;

static int no_pad(int in, int k, int s, int p) { (void)p; return (in - 1) * s + k; }
static int one_pad(int in, int k, int s, int p) { return (in - 1) * s - p + k; }
static int plus_pad(int in, int k, int s, int p) { return (in - 1) * s + 2 * p + k; }
static int in_times_s(int in, int k, int s, int p) { return in * s - 2 * p + k; }
static int conv_size(int in, int k, int s, int p) { return (in + 2 * p - k) / s + 1; }
static int times_s_only(int in, int k, int s, int p) { (void)k; (void)p; return in * s; }

static const slip SLIPS[] = {
    {"the padding is left out: a convolution pads both sides by pad, so the transposed one "
     "cuts pad off both sides, 2 pad in all", no_pad},
    {"only one pad is cut off: the padding is on both sides, 2 pad in all", one_pad},
    {"the padding is added: the convolution added it to its input, so the transposed one "
     "takes it away from its output (- 2 pad)", plus_pad},
    {"in * stride counts one step too many: the first window covers k pixels and each of "
     "the other in - 1 outputs moves it by stride: (in - 1) * stride + k before the padding",
     in_times_s},
    {"that is the convolution's size, (in + 2 pad - k) / stride + 1; the transposed "
     "convolution goes the other way: solve that formula for its input", conv_size},
    {"in * stride is the size only when k = 2 pad + stride (DCGAN's k 4, stride 2, pad 1): "
     "the kernel and the padding count too", times_s_only},
};

/* {in, k, stride, pad, out}: tests/reference/conv_torch.py, out =
 * torch.nn.ConvTranspose2d(1, 1, k, stride, pad)(torch.zeros(1, 1, in, in)).shape[-1]
 * (torch 1.13). */
static const int torch_cases[12][5] = {
    {7, 4, 2, 1, 14}, {14, 4, 2, 1, 28}, {1, 4, 1, 0, 4}, {4, 4, 2, 1, 8},
    {5, 3, 1, 0, 7},  {5, 3, 1, 1, 5},   {3, 2, 3, 0, 8}, {6, 5, 3, 2, 16},
    {10, 1, 1, 0, 10}, {2, 7, 4, 3, 5},  {8, 3, 2, 1, 15}, {1, 1, 5, 0, 1}};
#define N_CASES ((int)(sizeof torch_cases / sizeof torch_cases[0]))

/* When the answer is wrong on case i, names the slip it matches on every
 * case, if one does. */
static void name_the_slip(void)
{
    for (size_t k = 0; k < sizeof SLIPS / sizeof SLIPS[0]; k++) {
        int all = 1;
        for (int i = 0; i < N_CASES && all; i++) {
            const int *c = torch_cases[i];
            all = nn_conv_transpose2d_out_size(c[0], c[1], c[2], c[3]) ==
                  SLIPS[k].f(c[0], c[1], c[2], c[3]);
        }
        ex_expect(!all, "%s", SLIPS[k].msg);
    }
}

static void expect_size(int in, int k, int s, int p, int want, const char *why)
{
    const int got = nn_conv_transpose2d_out_size(in, k, s, p);
    if (got != want) name_the_slip();
    ex_expect(got == want, "in %d, k %d, stride %d, pad %d: got %d, expected %d (%s)", in, k, s,
              p, got, want, why);
}

static void test_hand_worked(void **state)
{
    (void)state;
    /* DCGAN's generator, k 4, stride 2, pad 1: (7 - 1) 2 - 2 + 4 = 14, then
     * (14 - 1) 2 - 2 + 4 = 28, the size of an MNIST image. */
    expect_size(7, 4, 2, 1, 14, "DCGAN's 7x7 -> 14x14: (7 - 1)*2 - 2*1 + 4");
    expect_size(14, 4, 2, 1, 28, "DCGAN's 14x14 -> 28x28: (14 - 1)*2 - 2*1 + 4");
    /* From a single pixel, stride 1, no padding: the kernel itself, 4x4
     * (the first layer of the original DCGAN generator). */
    expect_size(1, 4, 1, 0, 4, "one pixel stamps one kernel: (1 - 1)*1 - 0 + 4");
    /* Stride 1: the stamps overlap, each new pixel adds one column:
     * (5 - 1) + 3 = 7 without padding, 7 - 2 = 5 with pad 1 (same size). */
    expect_size(5, 3, 1, 0, 7, "stride 1, no padding: (5 - 1)*1 - 0 + 3");
    expect_size(5, 3, 1, 1, 5, "stride 1, pad 1 keeps the size: (5 - 1)*1 - 2*1 + 3");
    /* Stride larger than the kernel leaves gaps: (3 - 1) 3 + 2 = 8. */
    expect_size(3, 2, 3, 0, 8, "stride 3, kernel 2: (3 - 1)*3 - 0 + 2");
}

static void test_torch_shapes(void **state)
{
    (void)state;
    for (int i = 0; i < N_CASES; i++) {
        const int *c = torch_cases[i];
        expect_size(c[0], c[1], c[2], c[3], c[4], "torch.nn.ConvTranspose2d's output size");
    }
}

/* The convolution with the same k, stride and pad takes the output size
 * back to `in`: the two layers' shapes are each other's inverse. */
static void test_round_trip(void **state)
{
    (void)state;
    for (int in = 1; in <= 12; in++)
        for (int k = 1; k <= 5; k++)
            for (int s = 1; s <= 3; s++)
                for (int p = 0; p < k; p++) {
                    const int out = nn_conv_transpose2d_out_size(in, k, s, p);
                    if (out < 1 || (in - 1) * s + k - 2 * p < 1) continue;
                    ex_expect(nn_conv2d_out_size(out, k, s, p) == in,
                              "in %d, k %d, stride %d, pad %d gives %d, but a convolution "
                              "(same k, stride, pad) takes %d to %d, not back to %d", in, k, s,
                              p, out, out, nn_conv2d_out_size(out, k, s, p), in);
                }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_worked),
        cmocka_unit_test(test_torch_shapes),
        cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
