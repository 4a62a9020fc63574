/* Exercise 17: nn_clip_weights, WGAN's weight clipping: every value clamped
 * into [-c, c] in place, and the count of those moved. Hand-worked (values
 * at the bound exactly, inside, outside on both sides) and PyTorch's
 * clamp_. There is no
 * gradient to check: clipping is not differentiated, it follows the
 * optimizer. */
#define EX_NUM 17
#define EX_FUNC "nn_clip_weights"
#include "exercise_util.h"
#include "nn.h"

#include <string.h>

/* c = 0.5 on (-2, -0.5, -0.25, 0, 0.5, 0.75, 3): the bound itself stays and
 * is not counted; -2 and 0.75 and 3 move: 3 moved. */
static void test_hand_worked(void **state)
{
    (void)state;
    float w[7] = {-2.0f, -0.5f, -0.25f, 0.0f, 0.5f, 0.75f, 3.0f};
    const float before[7] = {-2.0f, -0.5f, -0.25f, 0.0f, 0.5f, 0.75f, 3.0f};
    const float want[7] = {-0.5f, -0.5f, -0.25f, 0.0f, 0.5f, 0.5f, 0.5f};
    size_t moved = nn_clip_weights(w, 7, 0.5f);
    for (int i = 0; i < 7; i++)
        ex_expect(w[i] == want[i], "c = 0.5: w[%d], which was %g, became %g, expected %g "
                  "(values above c become c, below -c become -c, the rest stay)", i,
                  (double)before[i], (double)w[i], (double)want[i]);
    ex_expect(moved != 5, "returns 5 for (-2, -0.5, -0.25, 0, 0.5, 0.75, 3), c = 0.5: the "
              "values exactly at -c and c are not moved, so they are not counted");
    ex_expect(moved == 3, "returns %zu for (-2, -0.5, -0.25, 0, 0.5, 0.75, 3), c = 0.5; "
              "expected 3, the values that were outside [-c, c]", moved);
}

/* From tests/reference/exercise_wasserstein.py: p = torch.randn(12) * 0.02
 * (seed 17), p.clamp(-0.01, 0.01); 6 of them were outside. */
static const float clip_in[12] = {
    -0.0282702632f, 0.00467261486f, 0.000680663623f, 0.00699834526f, -0.000290431082f,
    -0.0122472392f, -0.023670936f, -0.0296610929f, 0.0360087231f, 0.000191481071f,
    0.0030689477f, -0.0532617494f,
};
static const float clip_out[12] = {
    -0.00999999978f, 0.00467261486f, 0.000680663623f, 0.00699834526f, -0.000290431082f,
    -0.00999999978f, -0.00999999978f, -0.00999999978f, 0.00999999978f, 0.000191481071f,
    0.0030689477f, -0.00999999978f,
};
static const int clip_moved = 6;

static void test_pytorch_reference(void **state)
{
    (void)state;
    float w[12];
    memcpy(w, clip_in, sizeof w);
    size_t moved = nn_clip_weights(w, 12, 0.01f);
    for (int i = 0; i < 12; i++)
        ex_expect(w[i] == clip_out[i], "c = 0.01, against torch's clamp: w[%d], which was "
                  "%g, became %g, expected %g", i, (double)clip_in[i], (double)w[i],
                  (double)clip_out[i]);
    ex_expect(moved == (size_t)clip_moved, "returns %zu on torch's 12 values with c = 0.01; "
              "%d of them were outside [-0.01, 0.01]", moved, clip_moved);
    /* Clipping twice changes nothing more. */
    moved = nn_clip_weights(w, 12, 0.01f);
    ex_expect(moved == 0, "a second clip of clipped values returns %zu; nothing is outside "
              "the bound any more, so 0", moved);
    /* n = 0 touches nothing. */
    ex_expect(nn_clip_weights(w, 0, 0.01f) == 0, "n = 0 must return 0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_worked),
        cmocka_unit_test(test_pytorch_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
