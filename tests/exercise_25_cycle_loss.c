/* Exercise 25: nn_cycle_loss(drec, rec, x, n, lambda), CycleGAN's
 * cycle-consistency loss,
 *   L = lambda mean |rec - x|,   drec = lambda sign(rec - x) / n (written, not added),
 * sign(0) = 0: hand-worked cases, PyTorch's values, NULL drec, lambda 0,
 * central differences of the returned loss (at an exact reconstruction too:
 * the central difference of |e| at 0 is 0, as torch's gradient). drec starts
 * at 7 (garbage). */
#define EX_NUM 25
#define EX_FUNC "nn_cycle_loss"
#include "exercise_util.h"
#include "nn.h"

#define GARBAGE 7.0f

static void fill(float *v, int n, float x)
{
    for (int i = 0; i < n; i++) v[i] = x;
}

/* drec against want, naming the usual slips. */
static void expect_grad(const float *got, const float *want, int n, float lambda,
                        const char *what)
{
    size_t where;
    if (ex_rel_error(got, want, (size_t)n, &where) <= 1e-5) return;
    ex_expect_mean_grad_written(got, want, n, GARBAGE, what);
    float alt[16];
    ex_expect(n <= 16, "(test) arrays too long");
    for (int i = 0; i < n; i++) alt[i] = want[i] / lambda;
    ex_expect(ex_rel_error(got, alt, (size_t)n, &where) > 1e-5,
              "%s: lambda is missing; L = lambda mean |rec - x|, and so its gradient is "
              "lambda sign(rec - x) / n", what);
    for (int i = 0; i < n; i++) alt[i] = -want[i];
    ex_expect(ex_rel_error(got, alt, (size_t)n, &where) > 1e-5,
              "%s: the sign is wrong; the derivative of |rec - x| in rec is sign(rec - x)",
              what);
    for (int i = 0; i < n; i++)
        ex_expect(want[i] != 0.0f || got[i] == 0.0f,
                  "%s: element %d is %g where rec == x; the gradient of |e| at 0 is taken "
                  "as 0 (torch's choice)", what, i, (double)got[i]);
    ex_expect_close(got, want, (size_t)n, 1e-5, what);
}

static void test_hand_worked(void **state)
{
    (void)state;
    /* rec = (1, -1, 0.5), x = (0, 0, 0.5), lambda 10: L = 10 (1 + 1 + 0) / 3 = 20/3,
     * drec = 10 (1, -1, 0) / 3. */
    const float rec[3] = {1, -1, 0.5f}, x[3] = {0, 0, 0.5f};
    const float want[3] = {10.0f / 3, -10.0f / 3, 0};
    float d[3];
    fill(d, 3, GARBAGE);
    float L = nn_cycle_loss(d, rec, x, 3, 10.0f);
    ex_expect(fabsf(L - 20.0f) > 1e-5f, "L is 20, lambda times the sum: the loss is a mean "
              "(20/3)");
    ex_expect(fabsf(L - 2.0f / 3.0f) > 1e-5f, "L is 2/3, the mean without lambda (20/3)");
    ex_expect(fabsf(L - 10.0f / 3.0f) > 1e-5f, "L is 10/3: the errors are |1| and |-1|, "
              "absolute values, so they add (20/3)");
    ex_expect_near(L, 20.0 / 3.0, 1e-5, "L at rec = (1, -1, 0.5), x = (0, 0, 0.5), lambda 10");
    expect_grad(d, want, 3, 10.0f, "drec at rec = (1, -1, 0.5), x = (0, 0, 0.5), lambda 10");
    /* A far error pulls no harder than a near one (unlike the square):
     * rec = (3, 0.1), x = (0, 0), lambda 1: L = 3.1 / 2, drec = (1/2, 1/2). */
    const float rec2[2] = {3, 0.1f}, x2[2] = {0, 0}, want2[2] = {0.5f, 0.5f};
    float d2[2];
    fill(d2, 2, GARBAGE);
    ex_expect_near(nn_cycle_loss(d2, rec2, x2, 2, 1.0f), 1.55, 1e-6,
                   "L at rec = (3, 0.1), x = (0, 0), lambda 1");
    /* (an L1 loss's gradient does not grow with the error) */
    expect_grad(d2, want2, 2, 1.0f, "drec at rec = (3, 0.1), x = (0, 0), lambda 1");
}

/* tests/reference/exercise_cycle.py: 10 * F.l1_loss(rec, x) and rec.grad, float64. */
static const float ref_rec[8] = {0.5f, -0.75f, 0.9f, -1.0f, 0.25f, 0.0f, -0.3f, 1.0f};
static const float ref_x[8] = {0.25f, -0.75f, -0.6f, -0.2f, 0.75f, 0.0f, 0.4f, -1.0f};
static const float cyc_drec[8] = {1.25f, 0.0f, 1.25f, -1.25f, -1.25f, 0.0f, -1.25f, 1.25f};

static void test_pytorch_reference(void **state)
{
    (void)state;
    float d[8];
    fill(d, 8, GARBAGE);
    float L = nn_cycle_loss(d, ref_rec, ref_x, 8, 10.0f);
    ex_expect_near(L, 7.1875, 1e-5, "L against torch's 10 * F.l1_loss");
    expect_grad(d, cyc_drec, 8, 10.0f, "drec against torch's backward");
    /* NULL drec: only the loss is wanted, and it is the same. */
    ex_expect_near(nn_cycle_loss(NULL, ref_rec, ref_x, 8, 10.0f), 7.1875, 1e-5,
                   "L with drec = NULL");
    /* lambda 0: no loss and no pull, the run of lesson 15 without the cycle. */
    fill(d, 8, GARBAGE);
    ex_expect_near(nn_cycle_loss(d, ref_rec, ref_x, 8, 0.0f), 0.0, 1e-9, "L with lambda 0");
    for (int i = 0; i < 8; i++)
        ex_expect(d[i] == 0.0f, "with lambda 0, drec element %d is %g; it must be written as 0", i,
                  (double)d[i]);
}

/* Central differences of the returned loss against the drec it writes. */
static void test_central_difference(void **state)
{
    (void)state;
    float rec[8], d[8], num[8];
    for (int i = 0; i < 8; i++) rec[i] = ref_rec[i];
    nn_cycle_loss(d, rec, ref_x, 8, 10.0f);
    /* Smaller than every nonzero |rec - x| (0.25 at least): no step crosses
     * the kink, except at the exact reconstructions, where |h| = |-h| gives 0. */
    const float h = 1e-2f;
    for (int i = 0; i < 8; i++) {
        float keep = rec[i];
        rec[i] = keep + h;
        double up = nn_cycle_loss(NULL, rec, ref_x, 8, 10.0f);
        rec[i] = keep - h;
        double down = nn_cycle_loss(NULL, rec, ref_x, 8, 10.0f);
        rec[i] = keep;
        num[i] = (float)((up - down) / (2.0 * h));
    }
    ex_expect(fabsf(d[0]) > 0.1f, "drec is (almost) zero where rec and x differ by 0.25");
    ex_expect_close(d, num, 8, 1e-3, "drec against central differences of L (h = 0.01)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_worked),
        cmocka_unit_test(test_pytorch_reference),
        cmocka_unit_test(test_central_difference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
