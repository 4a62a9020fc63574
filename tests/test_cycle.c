/* test_cycle.c - lib/gan/cycle.c, CycleGAN's step: the generators' loss worked
 * by hand on networks that output zeros, both generators' gradients and a
 * discriminator's against central differences of the losses the step
 * returns (tiny convolutional nets with batchnorm and a PatchGAN-like score
 * map), the discriminators frozen during the generators' update, what the
 * cycle does to the gradient (with lambda 0 G_ab's gradient does not depend
 * on G_ba at all; with the cycle it does), and the refusals. The loss itself
 * is exercise 25 (tests/exercise_25_cycle_loss.c). */
#include <math.h>
#include <string.h>

#include "testutil.h"
#include "nn.h"

#define B 3      /* images per batch */
#define SIDE 4
#define DIM (SIDE * SIDE)

/* 1 x 4 x 4 -> conv 3x3 stride 2 -> 2 x 2 x 2 -> batchnorm -> leaky ReLU ->
 * transposed conv 4x4 stride 2 -> 1 x 4 x 4 -> tanh */
static nn_model *tiny_g(void)
{
    const nn_layer_spec s[] = {
        {.kind = NN_LAYER_RESHAPE, .c = 1, .h = SIDE, .w = SIDE},
        {.kind = NN_LAYER_CONV2D, .out = 2, .kernel = 3, .stride = 2, .pad = 1},
        {.kind = NN_LAYER_BATCHNORM2D},
        {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
        {.kind = NN_LAYER_CONVT2D, .out = 1, .kernel = 4, .stride = 2, .pad = 1},
        {.kind = NN_LAYER_TANH},
    };
    nn_error err;
    nn_model *m = nn_model_create(DIM, s, (int)(sizeof s / sizeof s[0]), B, &err);
    assert_non_null(m);
    return m;
}

/* 1 x 4 x 4 -> conv 3x3 stride 2 -> 2 x 2 x 2 -> leaky ReLU -> conv 3x3
 * stride 1 -> a 2 x 2 map of scores */
static nn_model *tiny_d(void)
{
    const nn_layer_spec s[] = {
        {.kind = NN_LAYER_RESHAPE, .c = 1, .h = SIDE, .w = SIDE},
        {.kind = NN_LAYER_CONV2D, .out = 2, .kernel = 3, .stride = 2, .pad = 1},
        {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
        {.kind = NN_LAYER_CONV2D, .out = 1, .kernel = 3, .stride = 1, .pad = 1},
    };
    nn_error err;
    nn_model *m = nn_model_create(DIM, s, (int)(sizeof s / sizeof s[0]), B, &err);
    assert_non_null(m);
    return m;
}

static nn_cycle *tiny_cycle(float lambda, float lambda_id)
{
    nn_cycle_config cfg = nn_cycle_config_default();
    cfg.batch = B;
    cfg.lambda_cycle = lambda;
    cfg.lambda_id = lambda_id;
    nn_error err;
    /* Wider than the GAN default: the loss must respond to every weight. */
    nn_cycle *c = nn_cycle_create(tiny_g(), tiny_g(), tiny_d(), tiny_d(), &cfg,
                                  NN_INIT_TORCH, 7, &err);
    assert_non_null(c);
    assert_int_equal(c->d_out, 4);
    return c;
}

/* Two batches of images in [-0.9, 0.9] from their own streams. */
static void batches(float *a, float *b)
{
    nn_rng r;
    nn_rng_seed(&r, 11, 0);
    for (int i = 0; i < B * DIM; i++) a[i] = 1.8f * nn_rng_uniform(&r) - 0.9f;
    for (int i = 0; i < B * DIM; i++) b[i] = 1.8f * nn_rng_uniform(&r) - 0.9f;
}

/* Networks whose every parameter is 0 output zeros (tanh(0)) and score
 * everything 0; then, per batch of B images,
 *   L_G = (0 - 1)^2 + (0 - 1)^2 + 10 mean|a| + 10 mean|b| + 5 mean|b| + 5 mean|a|
 *   L_D_b = 0.5 (0 - 1)^2 + 0.5 * 0^2 = 0.5. */
static void test_hand_worked(void **state)
{
    (void)state;
    nn_cycle *c = tiny_cycle(10.0f, 5.0f);
    nn_model *nets[4] = {c->G_ab, c->G_ba, c->D_a, c->D_b};
    for (int i = 0; i < 4; i++) memset(nets[i]->params, 0, nets[i]->n_params * sizeof(float));
    float a[B * DIM], b[B * DIM];
    for (int i = 0; i < B * DIM; i++) {
        a[i] = i % 2 ? 0.5f : -0.5f;    /* mean |a| = 0.5 */
        b[i] = i % 4 ? 0.25f : 1.0f;    /* mean |b| = (3 0.25 + 1) / 4 = 0.4375 */
    }
    nn_cycle_stats st;
    float L = nn_cycle_g_grads(c, a, b, &st);
    assert_close(st.adv_ab, 1.0, 1e-6);
    assert_close(st.adv_ba, 1.0, 1e-6);
    assert_close(st.cyc_a, 5.0, 1e-5);
    assert_close(st.cyc_b, 4.375, 1e-5);
    assert_close(st.id_a, 2.5, 1e-5);
    assert_close(st.id_b, 2.1875, 1e-5);
    assert_close(L, 2.0 + 5.0 + 4.375 + 2.5 + 2.1875, 1e-5);
    for (int i = 0; i < B * DIM; i++) assert_true(c->fake_a[i] == 0.0f && c->fake_b[i] == 0.0f);
    assert_close(nn_cycle_d_update(c, c->D_b, b, c->fake_b), 0.5, 1e-6);
    nn_cycle_free(c);
}

/* The loss the step returns, as a function of the parameters, for the
 * central differences; the analytic gradient is copied out beforehand. */
typedef struct {
    nn_cycle *c;
    const float *a, *b;
    nn_model *D;        /* NULL: the generators' loss; else D's loss */
    const float *real, *fake;
} ctx_t;

static double loss_at(void *p)
{
    ctx_t *x = p;
    nn_cycle_stats st;
    if (!x->D) return nn_cycle_g_grads(x->c, x->a, x->b, &st);
    return nn_cycle_d_update(x->c, x->D, x->real, x->fake); /* lr 0: D stays put */
}

static void check_grads(ctx_t *x, nn_model *m, const float *grad)
{
    float num[512];
    assert_true(m->n_params <= 512);
    for (size_t i = 0; i < m->n_params; i++)
        num[i] = (float)nn_central_difference(loss_at, x, &m->params[i], 1e-2f);
    assert_not_all_zero(grad, m->n_params);
    assert_rel_close(grad, num, m->n_params, 2e-2);
}

static void test_g_gradients(void **state)
{
    (void)state;
    float a[B * DIM], b[B * DIM], gab[512], gba[512];
    batches(a, b);
    nn_cycle *c = tiny_cycle(10.0f, 5.0f);
    ctx_t x = {.c = c, .a = a, .b = b};
    nn_cycle_stats st;
    nn_cycle_g_grads(c, a, b, &st);
    assert_true(st.cyc_a > 0.0f && st.cyc_b > 0.0f && st.id_a > 0.0f && st.id_b > 0.0f);
    memcpy(gab, c->G_ab->grads, c->G_ab->n_params * sizeof(float));
    memcpy(gba, c->G_ba->grads, c->G_ba->n_params * sizeof(float));
    check_grads(&x, c->G_ab, gab);
    check_grads(&x, c->G_ba, gba);
    nn_cycle_free(c);
}

static void test_d_gradient(void **state)
{
    (void)state;
    float a[B * DIM], b[B * DIM], fake[B * DIM], g[512];
    batches(a, b);
    nn_cycle *c = tiny_cycle(10.0f, 5.0f);
    nn_cycle_stats st;
    nn_cycle_g_grads(c, a, b, &st);
    memcpy(fake, c->fake_b, sizeof fake);
    c->opt_d.lr = 0.0f; /* the update leaves D where it is, its gradient in D->grads */
    ctx_t x = {.c = c, .D = c->D_b, .real = b, .fake = fake};
    nn_cycle_d_update(c, c->D_b, b, fake);
    memcpy(g, c->D_b->grads, c->D_b->n_params * sizeof(float));
    check_grads(&x, c->D_b, g);
    nn_cycle_free(c);
}

/* The generators' update leaves the discriminators' gradients alone (they
 * pass the gradient into the fakes, frozen), and a whole step moves all four. */
static void test_d_frozen_then_trained(void **state)
{
    (void)state;
    float a[B * DIM], b[B * DIM], before[512];
    batches(a, b);
    nn_cycle *c = tiny_cycle(10.0f, 5.0f);
    nn_model *ds[2] = {c->D_a, c->D_b};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < ds[k]->n_params; i++) ds[k]->grads[i] = 7.0f;
    nn_cycle_stats st;
    nn_cycle_g_grads(c, a, b, &st);
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < ds[k]->n_params; i++) assert_true(ds[k]->grads[i] == 7.0f);
    nn_model *nets[4] = {c->G_ab, c->G_ba, c->D_a, c->D_b};
    memcpy(before, c->D_a->params, c->D_a->n_params * sizeof(float));
    nn_cycle_step(c, a, b, &st);
    assert_int_equal(c->steps, 1);
    for (int k = 0; k < 4; k++) assert_int_equal(nets[k]->adam_t, 1);
    assert_true(memcmp(before, c->D_a->params, c->D_a->n_params * sizeof(float)) != 0);
    assert_true(isfinite(st.d_a) && isfinite(st.d_b) && isfinite(st.g_loss));
    nn_cycle_free(c);
}

/* G_ab's gradient after the generators' update, with G_ba's parameters
 * moved by delta. */
static void g_ab_grad(nn_cycle *c, const float *a, const float *b, float delta, float *out)
{
    for (size_t i = 0; i < c->G_ba->n_params; i++) c->G_ba->params[i] += delta;
    nn_cycle_stats st;
    nn_cycle_g_grads(c, a, b, &st);
    for (size_t i = 0; i < c->G_ba->n_params; i++) c->G_ba->params[i] -= delta;
    memcpy(out, c->G_ab->grads, c->G_ab->n_params * sizeof(float));
}

/* Without the cycle (and the identity), G_ab learns from D_b alone: moving
 * G_ba changes nothing of its gradient, and the loss is the two adversarial
 * terms. With the cycle, G_ab's gradient runs back through G_ba. */
static void test_cycle_couples_the_generators(void **state)
{
    (void)state;
    float a[B * DIM], b[B * DIM], g0[512], g1[512];
    batches(a, b);
    nn_cycle *c = tiny_cycle(0.0f, 0.0f);
    g_ab_grad(c, a, b, 0.0f, g0);
    g_ab_grad(c, a, b, 0.05f, g1);
    assert_not_all_zero(g0, c->G_ab->n_params);
    assert_memory_equal(g0, g1, c->G_ab->n_params * sizeof(float));
    nn_cycle_stats st;
    float L = nn_cycle_g_grads(c, a, b, &st);
    assert_true(st.cyc_a == 0.0f && st.cyc_b == 0.0f && st.id_a == 0.0f && st.id_b == 0.0f);
    assert_close(L, (double)st.adv_ab + st.adv_ba, 1e-6);
    nn_cycle_free(c);

    c = tiny_cycle(10.0f, 0.0f);
    g_ab_grad(c, a, b, 0.0f, g0);
    g_ab_grad(c, a, b, 0.05f, g1);
    assert_true(memcmp(g0, g1, c->G_ab->n_params * sizeof(float)) != 0);
    nn_cycle_free(c);
}

static void test_refusals(void **state)
{
    (void)state;
    nn_cycle_config cfg = nn_cycle_config_default();
    cfg.batch = B;
    nn_error err;
    /* A G_ba that does not give an image back: refused, and the four
     * networks freed (ASan would see a leak). */
    nn_cycle *c = nn_cycle_create(tiny_g(), tiny_d(), tiny_d(), tiny_d(), &cfg,
                                  NN_INIT_TORCH, 1, &err);
    assert_null(c);
    assert_int_equal(err.code, NN_ERR_SHAPE);
    assert_non_null(strstr(err.msg, "G_ba 16 -> 4"));
    cfg.batch = B + 1; /* more rows than the networks take */
    assert_null(nn_cycle_create(tiny_g(), tiny_g(), tiny_d(), tiny_d(), &cfg,
                                NN_INIT_TORCH, 1, &err));
    assert_non_null(strstr(err.msg, "batch of 4"));
    cfg.batch = B;
    cfg.lambda_cycle = -1.0f;
    assert_null(nn_cycle_create(tiny_g(), tiny_g(), tiny_d(), tiny_d(), &cfg,
                                NN_INIT_TORCH, 1, &err));
    assert_int_equal(err.code, NN_ERR_ARG);
    nn_cycle_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_worked),
        cmocka_unit_test(test_g_gradients),
        cmocka_unit_test(test_d_gradient),
        cmocka_unit_test(test_d_frozen_then_trained),
        cmocka_unit_test(test_cycle_couples_the_generators),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
