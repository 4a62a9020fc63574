/* Exercise 31: the U-Net's skip connection (lib/nn/unet.h), per image a's
 * channels then b's, and its backward, the gradient split:
 *   out[i] = [ a[i] (ca hw) ; b[i] (cb hw) ]
 *   da[i] += dout[i][0 .. ca hw),   db[i] += dout[i][ca hw .. (ca + cb) hw)
 * Hand-worked cases (naming the usual slips; a and b of different channel
 * counts, so that one's offsets cannot stand in for the other's), PyTorch's
 * values (torch.cat(dim=1) and autograd's split, added into gradients that
 * already hold values), NULL da or db, and the backward against central
 * differences of sum(out * r) by the library's gradient checker, which runs
 * exercise 13 (nn_central_difference, nn_rel_error): the course's answer in
 * make check. Outputs start as garbage; gradients start at non-zero values:
 * they are added to. */
#define EX_NUM 31
#define EX_FUNC "nn_concat_channels_forward / nn_concat_channels_backward"
#include "exercise_util.h"
#include "nn.h"

#include <string.h>

#define GARBAGE -42.0f
/* What sits after a test's a and b: a read past an image's own numbers
 * finds it. */
#define PAST 99.0f

static void fill(float *v, int n, float x)
{
    for (int i = 0; i < n; i++) v[i] = x;
}

static int all_zero(const float *v, int n)
{
    for (int i = 0; i < n; i++)
        if (v[i] != 0.0f) return 0;
    return 1;
}

static int equal(const float *a, const float *b, int n)
{
    for (int i = 0; i < n; i++)
        if (a[i] != b[i]) return 0;
    return 1;
}

static void test_hand_worked_forward(void **state)
{
    (void)state;
    /* n 2, ca 1, cb 1, hw 2: a = (1, 2 | 3, 4), b = (5, 6 | 7, 8)
     *   -> out = (1, 2, 5, 6 | 3, 4, 7, 8). */
    const float a[2 * 2 + 2] = {1, 2, 3, 4, PAST, PAST}, b[2 * 2 + 2] = {5, 6, 7, 8, PAST, PAST};
    const float want[8] = {1, 2, 5, 6, 3, 4, 7, 8};
    const float whole[8] = {1, 2, 3, 4, 5, 6, 7, 8}, b_first[8] = {5, 6, 1, 2, 7, 8, 3, 4};
    float out[8];
    fill(out, 8, GARBAGE);
    nn_concat_channels_forward(out, a, b, 2, 1, 1, 2);
    int untouched = 1;
    for (int i = 0; i < 8; i++) untouched &= out[i] == GARBAGE;
    ex_expect(!untouched, "forward wrote nothing into out");
    ex_expect(!equal(out, whole, 8), "out is all of a, then all of b: the concatenation is per "
              "image (each image of out is its image of a, then its image of b)");
    ex_expect(!equal(out, b_first, 8), "out has b's channels first: a's come first");
    for (int i = 0; i < 8; i++)
        ex_expect(out[i] != GARBAGE, "out[%d] was not written (n 2, ca 1, cb 1, hw 2): image i of out is "
                  "(ca + cb) hw numbers, from i (ca + cb) hw", i);
    ex_expect_close(out, want, 8, 1e-6, "out for a = (1, 2 | 3, 4), b = (5, 6 | 7, 8), hw 2");

    /* ca 2, cb 1, hw 1: a = (1, 2 | 3, 4), b = (5 | 6) -> (1, 2, 5 | 3, 4, 6).
     * Image 1 of b starts at 1 cb hw = 1, not at 1 ca hw = 2 (where PAST sits). */
    const float b2[2 + 2] = {5, 6, PAST, PAST};
    const float want2[6] = {1, 2, 5, 3, 4, 6};
    float out2[6];
    fill(out2, 6, GARBAGE);
    nn_concat_channels_forward(out2, a, b2, 2, 2, 1, 1);
    for (int i = 0; i < 6; i++)
        ex_expect(out2[i] != PAST, "out[%d] is read from past the end of an image of a or b "
                  "(ca 2, cb 1, hw 1): image i of a starts at i ca hw, of b at i cb hw, and "
                  "of out at i (ca + cb) hw", i);
    ex_expect_close(out2, want2, 6, 1e-6, "out for ca 2, cb 1, hw 1: a = (1, 2 | 3, 4), "
                    "b = (5 | 6)");
}

static void test_hand_worked_backward(void **state)
{
    (void)state;
    /* n 2, ca 1, cb 1, hw 2, dout = (1, 2, 3, 4 | 5, 6, 7, 8): a's part of
     * each image is its first 2 numbers, b's the last 2; added to 10 and 100. */
    const float dout[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    const float want_da[4] = {11, 12, 15, 16}, want_db[4] = {103, 104, 107, 108};
    float da[4], db[4];
    fill(da, 4, 10.0f);
    fill(db, 4, 100.0f);
    nn_concat_channels_backward(da, db, dout, 2, 1, 1, 2);
    ex_expect(!(da[0] == 10.0f && da[3] == 10.0f && db[0] == 100.0f), "backward added nothing "
              "into da or db");
    ex_expect(!(da[0] == 1.0f && da[1] == 2.0f), "da was overwritten (=): add to it (+=); in "
              "the U-Net it already holds the gradient of another path");
    ex_expect(!(db[0] == 3.0f && db[1] == 4.0f), "db was overwritten (=): add to it (+=); in "
              "the U-Net it already holds the gradient of the encoder's next level");
    ex_expect(!(da[0] == 13.0f && db[0] == 101.0f), "da got b's share and db got a's: "
              "a's channels are the first of each image of dout");
    ex_expect(!equal(da, (const float[4]){11, 12, 13, 14}, 4), "da is the first 4 numbers of "
              "dout: the split is per image (each image of dout is a's part, then b's)");
    ex_expect_close(da, want_da, 4, 1e-6, "da = 10 + a's part of each image of dout");
    ex_expect_close(db, want_db, 4, 1e-6, "db = 100 + b's part of each image of dout");

    /* ca 2, cb 1, hw 1: an image of dout is 3 numbers, a's 2 then b's 1. */
    const float dout2[6] = {1, 2, 3, 4, 5, 6};
    float da2[4 + 2] = {0, 0, 0, 0, PAST, PAST}, db2[2 + 2] = {0, 0, PAST, PAST};
    nn_concat_channels_backward(da2, db2, dout2, 2, 2, 1, 1);
    ex_expect(da2[4] == PAST && da2[5] == PAST && db2[2] == PAST && db2[3] == PAST,
              "backward wrote past the end of da or db (ca 2, cb 1, hw 1): image i of da is "
              "ca hw numbers at i ca hw, of db cb hw numbers at i cb hw");
    ex_expect_close(da2, ((const float[4]){1, 2, 4, 5}), 4, 1e-6,
                    "da for ca 2, cb 1, hw 1, dout = (1, 2, 3 | 4, 5, 6)");
    ex_expect_close(db2, ((const float[2]){3, 6}), 2, 1e-6,
                    "db for ca 2, cb 1, hw 1, dout = (1, 2, 3 | 4, 5, 6)");

    /* NULL: only the other gradient is wanted (and both NULL is no work). */
    float only[4];
    fill(only, 4, 0.0f);
    nn_concat_channels_backward(NULL, only, dout, 2, 1, 1, 2);
    ex_expect_close(only, ((const float[4]){3, 4, 7, 8}), 4, 1e-6, "db with da = NULL");
    fill(only, 4, 0.0f);
    nn_concat_channels_backward(only, NULL, dout, 2, 1, 1, 2);
    ex_expect_close(only, ((const float[4]){1, 2, 5, 6}), 4, 1e-6, "da with db = NULL");
    nn_concat_channels_backward(NULL, NULL, dout, 2, 1, 1, 2);
}

/* tests/reference/pix2pix_exercises.py: torch.cat([a, b], dim=1) of a
 * (2, 2, 1, 3) and b (2, 1, 1, 3), then (out * dout).sum().backward() with
 * a.grad and b.grad already holding cc_da0 and cc_db0 (torch adds into them). */
static const float cc_a[12] = {0.5f, -1.25f, 2.0f, 0.75f, -0.5f, 1.5f, -2.5f, 0.25f, 1.0f,
    -0.75f, 3.0f, -1.5f};
static const float cc_b[6] = {4.0f, -3.5f, 0.125f, -0.625f, 2.25f, -4.5f};
static const float cc_out[18] = {0.5f, -1.25f, 2.0f, 0.75f, -0.5f, 1.5f, 4.0f, -3.5f, 0.125f,
    -2.5f, 0.25f, 1.0f, -0.75f, 3.0f, -1.5f, -0.625f, 2.25f, -4.5f};
static const float cc_dout[18] = {0.1f, -0.2f, 0.3f, -0.4f, 0.5f, -0.6f, 0.7f, -0.8f, 0.9f,
    1.1f, -1.2f, 1.3f, -1.4f, 1.5f, -1.6f, 1.7f, -1.8f, 1.9f};
static const float cc_da0[12] = {0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f,
    0.25f, 0.25f, 0.25f};
static const float cc_db0[6] = {-1.0f, 0.5f, 2.0f, 0.0f, -0.25f, 1.0f};
static const float cc_da[12] = {0.35f, 0.05f, 0.55f, -0.15f, 0.75f, -0.35f, 1.35f, -0.95f,
    1.55f, -1.15f, 1.75f, -1.35f};
static const float cc_db[6] = {-0.3f, -0.3f, 2.9f, 1.7f, -2.05f, 2.9f};

static void test_pytorch_reference(void **state)
{
    (void)state;
    float out[18], da[12], db[6];
    fill(out, 18, GARBAGE);
    nn_concat_channels_forward(out, cc_a, cc_b, 2, 2, 1, 3);
    ex_expect_close(out, cc_out, 18, 1e-6, "out against torch.cat(dim=1) (n 2, ca 2, cb 1, hw 3)");
    memcpy(da, cc_da0, sizeof da);
    memcpy(db, cc_db0, sizeof db);
    nn_concat_channels_backward(da, db, cc_dout, 2, 2, 1, 3);
    ex_expect_close(da, cc_da, 12, 1e-6, "da against torch.autograd (added to what it held)");
    ex_expect_close(db, cc_db, 6, 1e-6, "db against torch.autograd (added to what it held)");
}

/* L = sum(out * r), r = cc_dout: its gradient is the backward of r. */
typedef struct {
    float a[12], b[6], da[12], db[6];
} concat_ctx;

static double concat_loss(void *p)
{
    concat_ctx *c = p;
    float out[18];
    nn_concat_channels_forward(out, c->a, c->b, 2, 2, 1, 3);
    double L = 0.0;
    for (int i = 0; i < 18; i++) L += (double)out[i] * cc_dout[i];
    return L;
}

static void concat_grads(void *p)
{
    concat_ctx *c = p;
    fill(c->da, 12, 0.0f);
    fill(c->db, 6, 0.0f);
    nn_concat_channels_backward(c->da, c->db, cc_dout, 2, 2, 1, 3);
}

static void test_central_difference(void **state)
{
    (void)state;
    concat_ctx c;
    memcpy(c.a, cc_a, sizeof c.a);
    memcpy(c.b, cc_b, sizeof c.b);
    nn_gradcheck_var vars[2] = {{"a", c.a, c.da, 12}, {"b", c.b, c.db, 6}};
    nn_gradcheck_report rep;
    double rel = nn_gradcheck(concat_loss, concat_grads, &c, vars, 2, 1e-2f, 0, &rep);
    ex_expect(rep.checked == 18, "(test) the checker looked at %zu numbers, not 18",
              rep.checked);
    ex_expect(!rep.zero_grad, "backward's gradient of %s is all zeros, but L = sum(out * r) "
              "changes with every number of a and b", all_zero(c.da, 12) ? "a" : "b");
    ex_expect(rel <= 1e-4, "backward's gradient against central differences of "
              "L = sum(out * r) through your forward: relative error %.3g, worst at %s[%zu] (%.7g)", rel, rep.worst,
              rep.worst_index, (double)(rep.worst[0] == 'a' ? c.da : c.db)[rep.worst_index]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_worked_forward),
        cmocka_unit_test(test_hand_worked_backward),
        cmocka_unit_test(test_pytorch_reference),
        cmocka_unit_test(test_central_difference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
