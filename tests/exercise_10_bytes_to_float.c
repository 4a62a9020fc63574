/* Exercise 10: nn_bytes_to_float maps pixels 0..255 to floats:
 * NN_RANGE_01 in / 255 onto [0, 1], NN_RANGE_PM1 in / 127.5 - 1 onto
 * [-1, 1] (the range of G's tanh). Exact ends, midpoints, every byte,
 * torchvision's ToTensor() values, nothing written past n (or at n = 0). */
#define EX_NUM 10
#define EX_FUNC "nn_bytes_to_float"
#include "exercise_util.h"
#include "nn.h"

#define SENTINEL 42.0f

/* The ends, the middle and the usual slips, worked by hand. */
static void test_ends(void **state)
{
    (void)state;
    const uint8_t p[3] = {0, 255, 51};
    float x[4] = {SENTINEL, SENTINEL, SENTINEL, SENTINEL};

    nn_bytes_to_float(x, p, 3, NN_RANGE_PM1);
    ex_expect(!(x[0] == 0.0f && x[1] == 0.0f && x[2] == 0.0f), "NN_RANGE_PM1: 0, 255 and 51 "
              "all became 0; expected -1, +1 and -0.6");
    ex_expect(!(x[0] == 0.0f && x[1] == 1.0f), "NN_RANGE_PM1: 0 and 255 became 0 and 1: "
              "that is NN_RANGE_01's mapping (are the ranges swapped?)");
    ex_expect(!(x[1] == 0.9921875f), "NN_RANGE_PM1: 255 became 0.9921875 = 255/128 - 1: "
              "divide by 127.5, so 255 lands on 1 exactly");
    ex_expect(!(x[1] > 1.0f), "NN_RANGE_PM1: 255 became %.9g, above 1: divide by 127.5, "
              "not 127", (double)x[1]);
    ex_expect(x[0] == -1.0f, "NN_RANGE_PM1: 0 must become exactly -1 (0 / 127.5 - 1), got "
              "%.9g", (double)x[0]);
    ex_expect(x[1] == 1.0f, "NN_RANGE_PM1: 255 must become exactly +1 (255 / 127.5 - 1), got "
              "%.9g", (double)x[1]);
    ex_expect(x[2] != -1.0f, "NN_RANGE_PM1: 51 became -1, as if by integer division (51 / 127 "
              "is 0 in int): convert in[i] to float before dividing");
    /* 51 / 127.5 - 1 = 0.4 - 1 = -0.6 */
    ex_expect_near(x[2], -0.6, 1.2e-7, "NN_RANGE_PM1: 51 -> 51 / 127.5 - 1");
    ex_expect(x[3] == SENTINEL, "NN_RANGE_PM1: wrote past the n = 3 elements");

    nn_bytes_to_float(x, p, 3, NN_RANGE_01);
    ex_expect(!(x[0] == -1.0f), "NN_RANGE_01: 0 became -1: that is NN_RANGE_PM1's mapping "
              "(are the ranges swapped?)");
    ex_expect(!(x[1] == 255.0f / 256.0f), "NN_RANGE_01: 255 became 255/256: divide by 255, "
              "so 255 lands on 1 exactly");
    ex_expect(!(x[0] == 0.0f && x[1] == 1.0f && x[2] == 0.0f), "NN_RANGE_01: 51 became 0, "
              "as if by integer division (51 / 255 is 0 in int): convert in[i] to float "
              "before dividing");
    ex_expect(x[0] == 0.0f, "NN_RANGE_01: 0 must become exactly 0, got %.9g", (double)x[0]);
    ex_expect(x[1] == 1.0f, "NN_RANGE_01: 255 must become exactly 1 (255 / 255), got %.9g",
              (double)x[1]);
    /* 51 / 255 = 0.2 */
    ex_expect_near(x[2], 0.2, 6e-8, "NN_RANGE_01: 51 -> 51 / 255");
    ex_expect(x[3] == SENTINEL, "NN_RANGE_01: wrote past the n = 3 elements");
}

/* The middle of the byte range, 127 and 128, sits on either side of 0:
 * 127 / 127.5 - 1 = -1/255, 128 / 127.5 - 1 = +1/255; in [0, 1] they are
 * 127/255 and 128/255 around 1/2. Mirror bytes k and 255 - k map to
 * opposite values in [-1, 1]. */
static void test_midpoints(void **state)
{
    (void)state;
    const uint8_t p[4] = {127, 128, 64, 191};
    float x[4];
    nn_bytes_to_float(x, p, 4, NN_RANGE_PM1);
    ex_expect_near(x[0], -1.0 / 255.0, 1.2e-7, "NN_RANGE_PM1: 127 -> -1/255");
    ex_expect_near(x[1], 1.0 / 255.0, 1.2e-7, "NN_RANGE_PM1: 128 -> +1/255");
    ex_expect_near(x[2], -x[3], 1.2e-7, "NN_RANGE_PM1: 64 and 191 map to opposite values, "
                   "-(value of 191)");
    nn_bytes_to_float(x, p, 4, NN_RANGE_01);
    ex_expect_near(x[0], 127.0 / 255.0, 6e-8, "NN_RANGE_01: 127 -> 127/255");
    ex_expect_near(x[1], 128.0 / 255.0, 6e-8, "NN_RANGE_01: 128 -> 128/255");
    ex_expect_near(x[2] + x[3], 1.0, 1.2e-7, "NN_RANGE_01: 64/255 + 191/255");
}

/* From tests/reference/exercise_bytes_to_float.py: torchvision's ToTensor()
 * (px.float().div(255), float32), then Normalize(0.5, 0.5) (x * 2 - 1). */
static const uint8_t px[14] = {0, 1, 2, 37, 51, 64, 100, 127, 128, 191, 200, 253, 254, 255};
static const float totensor_ref[14] = {0.0f, 0.00392156886f, 0.00784313772f, 0.145098045f,
                                       0.200000003f, 0.250980407f, 0.392156869f, 0.498039216f,
                                       0.501960814f, 0.749019623f, 0.784313738f, 0.992156863f,
                                       0.996078432f, 1.0f};
static const float totensor_pm1_ref[14] = {-1.0f, -0.992156863f, -0.984313726f,
                                           -0.709803939f, -0.600000024f, -0.498039186f,
                                           -0.215686262f, -0.00392156839f, 0.003921628f,
                                           0.498039246f, 0.568627477f, 0.984313726f,
                                           0.992156863f, 1.0f};

static void test_pytorch_reference(void **state)
{
    (void)state;
    float x[14];
    /* x * 2 - 1 and x / 127.5 - 1 may differ in the last bit: 1e-7 of the
     * range (about one float step near 1). */
    nn_bytes_to_float(x, px, 14, NN_RANGE_01);
    ex_expect_close(x, totensor_ref, 14, 1e-7, "NN_RANGE_01 against ToTensor()");
    nn_bytes_to_float(x, px, 14, NN_RANGE_PM1);
    ex_expect_close(x, totensor_pm1_ref, 14, 1e-7,
                    "NN_RANGE_PM1 against ToTensor() then Normalize(0.5, 0.5)");
}

/* Every byte 0..255, against the definition computed here in double. */
static void test_all_values(void **state)
{
    (void)state;
    uint8_t p[256];
    float x[257], w01[256], wpm[256];
    for (int i = 0; i < 256; i++) {
        p[i] = (uint8_t)i;
        w01[i] = (float)(i / 255.0);
        wpm[i] = (float)(i / 127.5 - 1.0);
    }
    x[256] = SENTINEL;
    nn_bytes_to_float(x, p, 256, NN_RANGE_01);
    ex_expect_close(x, w01, 256, 6e-8, "NN_RANGE_01 for every byte 0..255 (x / 255)");
    ex_expect(x[256] == SENTINEL, "NN_RANGE_01: wrote past the n-th element");
    nn_bytes_to_float(x, p, 256, NN_RANGE_PM1);
    ex_expect_close(x, wpm, 256, 6e-8, "NN_RANGE_PM1 for every byte 0..255 (x / 127.5 - 1)");
    ex_expect(x[256] == SENTINEL, "NN_RANGE_PM1: wrote past the n-th element");
}

/* n = 0 writes nothing; n = 1 exactly one element. */
static void test_counts(void **state)
{
    (void)state;
    const uint8_t p[2] = {255, 255};
    float x[2] = {SENTINEL, SENTINEL};
    nn_bytes_to_float(x, p, 0, NN_RANGE_PM1);
    nn_bytes_to_float(x, p, 0, NN_RANGE_01);
    ex_expect(x[0] == SENTINEL && x[1] == SENTINEL, "n = 0 must write nothing");
    nn_bytes_to_float(x, p, 1, NN_RANGE_PM1);
    ex_expect(x[0] == 1.0f && x[1] == SENTINEL, "n = 1 must write exactly out[0] (got %g, "
              "%g)", (double)x[0], (double)x[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ends),
        cmocka_unit_test(test_midpoints),
        cmocka_unit_test(test_pytorch_reference),
        cmocka_unit_test(test_all_values),
        cmocka_unit_test(test_counts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
