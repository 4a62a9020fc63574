/* Exercise 10: gan_normalize_batch maps pixels 0..255 onto [-1, 1]. */
#define EX_NUM 10
#define EX_FUNC "gan_normalize_batch"
#include "exercise_util.h"
#include "exercises.h"

static void test_hand_worked(void **state)
{
    (void)state;
    const uint8_t p[6] = {0, 1, 127, 128, 254, 255};
    /* p / 127.5 - 1 */
    const float want[6] = {-1.0f, -0.992156863f, -0.00392156863f, 0.00392156863f,
                           0.992156863f, 1.0f};
    float x[6] = {0};
    gan_normalize_batch(x, p, 6);
    ex_expect_close(x, want, 6, 1e-6, "x for pixels 0, 1, 127, 128, 254, 255");
    ex_expect(x[0] == -1.0f && x[5] == 1.0f, "0 and 255 must map to exactly -1 and 1, "
              "got %g and %g", (double)x[0], (double)x[5]);
}

/* Every value 0..255, and nothing written past n. */
static void test_all_values(void **state)
{
    (void)state;
    uint8_t p[256];
    float x[257], want[256];
    for (int i = 0; i < 256; i++) {
        p[i] = (uint8_t)i;
        want[i] = (float)i / 127.5f - 1.0f;
    }
    x[256] = 42.0f;
    gan_normalize_batch(x, p, 256);
    ex_expect_close(x, want, 256, 1e-6, "x for every pixel value 0..255");
    ex_expect(x[256] == 42.0f, "wrote past the n-th element");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_worked),
        cmocka_unit_test(test_all_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
