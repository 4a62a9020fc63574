/* Exercise 21: nn_info_cat_loss(dq, q, stride, c, n, k), InfoGAN's
 * categorical information loss -E log Q(c | x) on Q's logits, and its
 * gradient. Cases worked by hand, PyTorch's F.cross_entropy with its
 * autograd gradient, rows `stride` apart inside D's output (the columns
 * between are not Q's and stay untouched), a NULL gradient, logits far
 * beyond exp's range, and central differences. */
#define EX_NUM 21
#define EX_FUNC "nn_info_cat_loss"
#include "exercise_util.h"
#include "nn.h"

#define GARBAGE 7.0f
#define LN3 1.0986122886681098f

/* Q undecided: 4 logits at 0, n = 2, codes 1 and 3:
 *   L = log 4 = 1.38629436;  dL/dq = (1/4 - [j = c]) / 2:
 *   row 0 (1/8, -3/8, 1/8, 1/8), row 1 (1/8, 1/8, 1/8, -3/8)
 * Q fairly sure: logits (ln 3, 0), code 0, n = 1: softmax (3/4, 1/4),
 *   L = log(4/3) = 0.28768207, dL/dq = (-1/4, 1/4)                          */
static void test_hand_worked(void **state)
{
    (void)state;
    const float q[8] = {0};
    const int c[2] = {1, 3};
    float dq[8];
    for (int i = 0; i < 8; i++) dq[i] = GARBAGE;
    float L = nn_info_cat_loss(dq, q, 4, c, 2, 4);
    ex_expect(!(fabs(L - 2.0 * log(4.0)) < 1e-5), "the loss is the sum over rows (2 log 4); "
              "InfoGAN's loss is the mean over the n rows");
    ex_expect_near(L, log(4.0), 1e-5, "the loss at logits 0 (k = 4): log 4");
    const float want[8] = {0.125f, -0.375f, 0.125f, 0.125f, 0.125f, 0.125f, 0.125f, -0.375f};
    ex_expect(dq[0] != GARBAGE, "dq was not written");
    ex_expect_close(dq, want, 8, 1e-5, "dL/dq at logits 0, codes (1, 3), n = 2: (softmax - "
                    "one-hot(c)) / n");
    const float q2[2] = {LN3, 0.0f};
    const int c2[1] = {0};
    float dq2[2] = {GARBAGE, GARBAGE};
    L = nn_info_cat_loss(dq2, q2, 2, c2, 1, 2);
    ex_expect(!(fabs(L + log(0.75)) > 1e-5 && fabs(L - log(0.25) * -1.0) < 1e-5),
              "the loss is -log of the probability of another code: it is -log softmax(q)[c], "
              "at the code G was given");
    ex_expect_near(L, log(4.0 / 3.0), 1e-5, "the loss at logits (ln 3, 0), code 0");
    const float want2[2] = {-0.25f, 0.25f};
    ex_expect_close(dq2, want2, 2, 1e-5, "dL/dq at logits (ln 3, 0), code 0");
}

/* From tests/reference/exercise_steer.py: F.cross_entropy(q, c) on three
 * rows of 4 logits (one of them +-40), gradient by backward(). */
static const float q_ref[12] = {1.0f, -0.5f, 2.25f, 0.0f, -3.0f, 0.5f, 0.5f, 1.75f,
                                40.0f, -40.0f, 0.0f, 10.0f};
static const int c_ref[3] = {2, 0, 1};
static const double info_loss_ref = 28.5280177;
static const float info_grad_ref[12] = {0.065599332f, 0.0146371894f, -0.104369167f,
                                        0.0241326456f, -0.331509998f, 0.0603805629f,
                                        0.0603805629f, 0.210748873f, 0.333333333f,
                                        -0.333333333f, 1.41611809e-18f, 3.11920766e-14f};

/* The rows as they sit in D's output: stride 6, [logit, 4 of Q's logits, 1 more]. */
static void test_pytorch_reference_strided(void **state)
{
    (void)state;
    float s[18], ds[18], got[12];
    for (int i = 0; i < 18; i++) {
        s[i] = -99.0f;  /* not Q's: a loss that reads it is off by a column */
        ds[i] = GARBAGE;
    }
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 4; j++) s[i * 6 + 1 + j] = q_ref[i * 4 + j];
    float L = nn_info_cat_loss(ds + 1, s + 1, 6, c_ref, 3, 4);
    ex_expect(isfinite(L), "the loss is %g with a logit of 40 and one of -40: take the "
              "largest logit out before exp (log sum exp q = m + log sum exp(q - m))", (double)L);
    ex_expect(fabs(L - info_loss_ref) <= 1e-5 * info_loss_ref, "the loss is %.7g, PyTorch's "
              "F.cross_entropy gives %.7g (rows 6 apart: row i starts at q + i * stride)",
              (double)L, info_loss_ref);
    for (int i = 0; i < 3; i++) {
        ex_expect(ds[i * 6] == GARBAGE && ds[i * 6 + 5] == GARBAGE, "row %d: dq was written "
                  "outside Q's k logits (D's logit or the next code's column)", i);
        for (int j = 0; j < 4; j++) got[i * 4 + j] = ds[i * 6 + 1 + j];
    }
    ex_expect_close(got, info_grad_ref, 12, 1e-5, "dL/dq against PyTorch's autograd");
}

/* dq NULL: the loss alone, nothing written. */
static void test_null_gradient(void **state)
{
    (void)state;
    float L = nn_info_cat_loss(NULL, q_ref, 4, c_ref, 3, 4);
    ex_expect(fabs(L - info_loss_ref) <= 1e-5 * info_loss_ref, "with dq = NULL the loss is "
              "%.7g, expected %.7g (a NULL gradient is not written)", (double)L, info_loss_ref);
}

/* Logits of 1000: exp overflows float and double alike. Code 1 at logits
 * (1000, 1000 - ln 3) costs log(1 + 3) - ... worked: softmax (3/4, 1/4),
 * L = -log(1/4) = log 4; dL/dq = (3/4, -3/4). */
static void test_stable(void **state)
{
    (void)state;
    const float q[2] = {1000.0f, 1000.0f - LN3};
    const int c[1] = {1};
    float dq[2];
    float L = nn_info_cat_loss(dq, q, 2, c, 1, 2);
    ex_expect(isfinite(L) && isfinite(dq[0]) && isfinite(dq[1]), "logits of 1000 give a loss "
              "of %g and a gradient of (%g, %g): exp(1000) overflows; subtract the largest "
              "logit first", (double)L, (double)dq[0], (double)dq[1]);
    ex_expect_near(L, log(4.0), 1e-3, "the loss at logits (1000, 1000 - ln 3), code 1");
    const float want[2] = {0.75f, -0.75f};
    ex_expect_close(dq, want, 2, 1e-3, "dL/dq at logits (1000, 1000 - ln 3), code 1");
}

/* The gradient against central differences of the loss, strided rows. */
static void test_central_differences(void **state)
{
    (void)state;
    float q[15], dq[15], num[15];
    const int c[3] = {4, 0, 2};
    for (int i = 0; i < 15; i++) q[i] = 0.37f * (float)((i * 7) % 11) - 1.5f;
    for (int i = 0; i < 15; i++) dq[i] = 0.0f;
    nn_info_cat_loss(dq, q, 5, c, 3, 5);
    const float h = 1e-2f;
    for (int i = 0; i < 15; i++) {
        float keep = q[i];
        q[i] = keep + h;
        double up = nn_info_cat_loss(NULL, q, 5, c, 3, 5);
        q[i] = keep - h;
        double down = nn_info_cat_loss(NULL, q, 5, c, 3, 5);
        q[i] = keep;
        num[i] = (float)((up - down) / (2.0 * h));
    }
    int nonzero = 0;
    for (int i = 0; i < 15; i++) nonzero += dq[i] != 0.0f;
    ex_expect(nonzero > 0, "the gradient is all zero: nothing to check");
    ex_expect_close(dq, num, 15, 1e-3, "dL/dq against central differences of your loss");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_worked),
        cmocka_unit_test(test_pytorch_reference_strided),
        cmocka_unit_test(test_null_gradient),
        cmocka_unit_test(test_stable),
        cmocka_unit_test(test_central_differences),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
