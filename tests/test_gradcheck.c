/* test_gradcheck.c - the checker itself: the relative error on vectors worked
 * by hand, central differences on functions whose gradient is known, that it
 * catches a wrong gradient and names where, that it leaves every value
 * exactly as it found it, and whole models. */
#include "testutil.h"

#include <math.h>
#include <string.h>

#include "nn/gradcheck.h"
#include "nn/layers.h"
#include "nn/model.h"
#include "base/rng.h"

/* ------------------------------------------------------------- rel error */

static void test_rel_error_known_vectors(void **state)
{
    (void)state;
    /* max|a-b| = 0.3, max|a| + max|b| = 3 + 3.3 */
    const float a[3] = {1.0f, 2.0f, 3.0f}, b[3] = {1.0f, 2.0f, 3.3f};
    assert_close(nn_rel_error(a, b, 3), (3.3 - 3.0) / 6.3, 1e-7);
    assert_close(nn_rel_error(a, a, 3), 0.0, 0.0);
    /* Opposite signs: |1 - (-1)| / (1 + 1) = 1, the largest it gets. */
    const float p[1] = {1.0f}, m[1] = {-1.0f};
    assert_close(nn_rel_error(p, m, 1), 1.0, 0.0);
    /* The max-norm keeps one large, correct component from being drowned:
     * 1000 agrees exactly, 1e-3 vs 2e-3 is off by 1e-3 out of 2000. */
    const float big_a[2] = {1000.0f, 1e-3f}, big_b[2] = {1000.0f, 2e-3f};
    assert_close(nn_rel_error(big_a, big_b, 2), 1e-3 / 2000.0, 1e-10);
    /* Two zero vectors: 0, not 0/0 (the 1e-8 floor). */
    const float z[2] = {0.0f, 0.0f};
    assert_close(nn_rel_error(z, z, 2), 0.0, 0.0);
    /* Tiny vectors are measured against the floor: 1e-9 / 1e-8. */
    const float t[1] = {1e-9f};
    assert_close(nn_rel_error(t, z, 1), 0.1, 1e-6);
    /* A NaN anywhere is not hidden. */
    const float n[2] = {1.0f, NAN};
    assert_true(isnan(nn_rel_error(n, a, 2)));
}

/* ------------------------------------------------- a known smooth function */

/* f(x, y) = sum c_i x_i^2 + sum x_i y_i ; grad x = 2 c x + y, grad y = x */
typedef struct {
    float x[6], y[6], gx[6], gy[6];
    float c[6];
    int calls;       /* how many times f was evaluated */
    int break_index; /* >= 0: add 1 to gy there (a deliberately wrong gradient) */
} quad_ctx;

static double quad_f(void *p)
{
    quad_ctx *q = p;
    q->calls++;
    double s = 0.0;
    for (int i = 0; i < 6; i++) s += (double)q->c[i] * q->x[i] * q->x[i] + (double)q->x[i] * q->y[i];
    return s;
}

static void quad_g(void *p)
{
    quad_ctx *q = p;
    for (int i = 0; i < 6; i++) {
        q->gx[i] = 2.0f * q->c[i] * q->x[i] + q->y[i];
        q->gy[i] = q->x[i];
    }
    if (q->break_index >= 0) q->gy[q->break_index] += 1.0f;
}

static void quad_setup(quad_ctx *q)
{
    memset(q, 0, sizeof *q);
    for (int i = 0; i < 6; i++) {
        q->x[i] = 0.1f + 0.37f * (float)i;
        q->y[i] = 1.3f - 0.29f * (float)i;
        q->c[i] = 0.5f + 0.25f * (float)i;
    }
    q->break_index = -1;
}

static void test_gradcheck_correct_gradient_passes(void **state)
{
    (void)state;
    quad_ctx q;
    quad_setup(&q);
    nn_gradcheck_var vars[2] = {{"x", q.x, q.gx, 6}, {"y", q.y, q.gy, 6}};
    nn_gradcheck_report rep;
    double rel = nn_gradcheck(quad_f, quad_g, &q, vars, 2, 1e-2f, 0, &rep);
    /* A quadratic has no third derivative: central differences are exact
     * up to float rounding of the inputs, which the checker divides out. */
    assert_true(rel < 1e-5);
    assert_close(rep.rel_error, rel, 0.0);
    assert_int_equal(rep.checked, 12);
    assert_int_equal(rep.zero_grad, 0);
    assert_non_null(rep.worst);
    assert_int_equal(q.calls, 24); /* two evaluations per element */
}

static void test_gradcheck_finds_wrong_element(void **state)
{
    (void)state;
    quad_ctx q;
    quad_setup(&q);
    q.break_index = 2;
    nn_gradcheck_var vars[2] = {{"x", q.x, q.gx, 6}, {"y", q.y, q.gy, 6}};
    nn_gradcheck_report rep;
    double rel = nn_gradcheck(quad_f, quad_g, &q, vars, 2, 1e-2f, 0, &rep);
    /* Off by 1 at [2] (1.84 for 0.84); the largest analytic and numeric
     * values are both x[5] = 1.95: error 1 / (1.95 + 1.95). */
    assert_close(rel, 1.0 / (2.0 * q.x[5]), 1e-4);
    assert_string_equal(rep.worst, "y");
    assert_int_equal(rep.worst_index, 2);
}

static void test_gradcheck_restores_exact_values(void **state)
{
    (void)state;
    quad_ctx q;
    quad_setup(&q);
    /* Values where x + h - h != x in float32. */
    q.x[0] = 0.1f;
    q.x[1] = 1e-3f;
    q.x[2] = 12345.678f;
    float before[6];
    memcpy(before, q.x, sizeof before);
    nn_gradcheck_var vars[1] = {{"x", q.x, q.gx, 6}};
    nn_gradcheck(quad_f, quad_g, &q, vars, 1, 3e-3f, 0, NULL);
    assert_memory_equal(q.x, before, sizeof before);
}

static void test_gradcheck_max_per_var(void **state)
{
    (void)state;
    quad_ctx q;
    quad_setup(&q);
    q.break_index = 5; /* the last element is wrong: a spread must include it */
    nn_gradcheck_var vars[2] = {{"x", q.x, q.gx, 6}, {"y", q.y, q.gy, 6}};
    nn_gradcheck_report rep;
    double rel = nn_gradcheck(quad_f, quad_g, &q, vars, 2, 1e-2f, 3, &rep);
    assert_int_equal(rep.checked, 6);
    assert_int_equal(q.calls, 12);
    assert_true(rel > 0.1);
    assert_string_equal(rep.worst, "y");
    assert_int_equal(rep.worst_index, 5);
    /* More than there are: every element, once. */
    quad_setup(&q);
    nn_gradcheck(quad_f, quad_g, &q, vars, 2, 1e-2f, 100, &rep);
    assert_int_equal(rep.checked, 12);
}

/* f depends on x only; y's gradient is 0 everywhere: flagged. */
static double x_only_f(void *p)
{
    quad_ctx *q = p;
    double s = 0.0;
    for (int i = 0; i < 6; i++) s += (double)q->x[i] * q->x[i];
    return s;
}

static void x_only_g(void *p)
{
    quad_ctx *q = p;
    for (int i = 0; i < 6; i++) {
        q->gx[i] = 2.0f * q->x[i];
        q->gy[i] = 0.0f;
    }
}

static void test_gradcheck_flags_zero_gradient(void **state)
{
    (void)state;
    quad_ctx q;
    quad_setup(&q);
    nn_gradcheck_var vars[2] = {{"x", q.x, q.gx, 6}, {"y", q.y, q.gy, 6}};
    nn_gradcheck_report rep;
    double rel = nn_gradcheck(x_only_f, x_only_g, &q, vars, 2, 1e-2f, 0, &rep);
    /* Correct (0 = 0), but proves nothing about y: the report says so. */
    assert_true(rel < 1e-5);
    assert_int_equal(rep.zero_grad, 1);
}

/* ------------------------------------------- a layer with a planted bug */

typedef struct {
    float x[8], y[8], r[8], dx[8];
    int wrong; /* 1: backward forgets the slope on the negative side */
} lrelu_ctx;

static double lrelu_f(void *p)
{
    lrelu_ctx *c = p;
    nn_leaky_relu_forward(c->y, c->x, 0.2f, 8);
    double s = 0.0;
    for (int i = 0; i < 8; i++) s += (double)c->y[i] * c->r[i];
    return s;
}

static void lrelu_g(void *p)
{
    lrelu_ctx *c = p;
    memset(c->dx, 0, sizeof c->dx);
    if (c->wrong) {
        for (int i = 0; i < 8; i++) c->dx[i] += c->r[i]; /* as if the slope were 1 */
    } else {
        nn_leaky_relu_backward(c->dx, c->r, c->x, 0.2f, 8);
    }
}

static void test_gradcheck_catches_missing_slope(void **state)
{
    (void)state;
    lrelu_ctx c = {
        .x = {-1.5f, 0.7f, -0.3f, 2.2f, -0.8f, 0.4f, -2.0f, 1.1f},
        .r = {0.9f, -1.2f, 1.4f, 0.3f, -0.6f, 1.0f, 0.5f, -0.7f},
    };
    nn_gradcheck_var vars[1] = {{"x", c.x, c.dx, 8}};
    nn_gradcheck_report rep;
    c.wrong = 0;
    double good = nn_gradcheck(lrelu_f, lrelu_g, &c, vars, 1, 1e-3f, 0, &rep);
    assert_true(good < 1e-3);
    c.wrong = 1;
    double bad = nn_gradcheck(lrelu_f, lrelu_g, &c, vars, 1, 1e-3f, 0, &rep);
    /* At x = -0.3 (r = 1.4): analytic 1.4, numeric 0.28, largest |a| 1.4,
     * largest |n| 1.2: error 1.12 / 2.6 = 0.43, far above the 1e-2 bar. */
    assert_close(bad, 1.12 / 2.6, 1e-3);
    assert_int_equal(rep.worst_index, 2);
}

/* ------------------------------------------------------------ whole models */

static nn_model *make_model(const nn_layer_spec *specs, int n, int in, int batch)
{
    nn_error err;
    nn_model *m = nn_model_create(in, specs, n, batch, &err);
    if (!m) print_error("nn_model_create: %s\n", err.msg);
    assert_non_null(m);
    nn_rng rng;
    nn_rng_seed(&rng, 7, 0);
    nn_model_init(m, &rng, NN_INIT_TORCH);
    return m;
}

static void fill_input(float *x, size_t n, uint64_t seed)
{
    nn_rng rng;
    nn_rng_seed(&rng, seed, 0);
    nn_rng_fill_normal(&rng, x, n, 0.0f, 1.0f);
}

static void test_gradcheck_model_every_layer_kind(void **state)
{
    (void)state;
    /* One of every kind, as a discriminator with minibatch std might be.
     * Batchnorm follows an activation, not a linear layer: it subtracts the
     * batch mean, so a bias right before it has a true gradient of exactly
     * 0 and its relative error would compare rounding noise with noise. */
    const nn_layer_spec specs[] = {
        {.kind = NN_LAYER_LINEAR, .out = 6}, {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
        {.kind = NN_LAYER_BATCHNORM}, {.kind = NN_LAYER_LINEAR, .out = 5},
        {.kind = NN_LAYER_TANH}, {.kind = NN_LAYER_MBSTD},
        {.kind = NN_LAYER_DROPOUT, .arg = 0.0f}, {.kind = NN_LAYER_LINEAR, .out = 4},
        {.kind = NN_LAYER_RELU}, {.kind = NN_LAYER_LINEAR, .out = 2},
        {.kind = NN_LAYER_SIGMOID},
    };
    const int batch = 5, in = 4;
    nn_model *m = make_model(specs, (int)(sizeof specs / sizeof specs[0]), in, batch);
    float x[20], x0[20];
    fill_input(x, 20, 3);
    memcpy(x0, x, sizeof x);
    /* Snapshot what the check must leave alone. */
    float *p0 = nn_alloc(m->n_params, sizeof(float));
    float *b0 = nn_alloc(m->n_buffers, sizeof(float));
    assert_non_null(p0);
    assert_non_null(b0);
    memcpy(p0, m->params, m->n_params * sizeof(float));
    memcpy(b0, m->buffers, m->n_buffers * sizeof(float));
    nn_rng rng_model = m->rng;

    nn_rng rng;
    nn_rng_seed(&rng, 99, 0);
    nn_gradcheck_report rep;
    double rel = nn_gradcheck_model(m, x, batch, &rng, 1e-3f, 0, &rep);
    if (!(rel < 1e-2)) print_error("model: %.3g in %s[%zu]\n", rel, rep.worst, rep.worst_index);
    assert_true(rel < 1e-2);
    assert_int_equal(rep.zero_grad, 0);
    /* Every input and every parameter was checked. */
    assert_int_equal(rep.checked, 20 + m->n_params);
    assert_not_all_zero(m->grads, m->n_params);

    assert_memory_equal(x, x0, sizeof x);
    assert_memory_equal(m->params, p0, m->n_params * sizeof(float));
    assert_memory_equal(m->buffers, b0, m->n_buffers * sizeof(float));
    assert_true(m->rng.state == rng_model.state);
    nn_free(p0);
    nn_free(b0);
    nn_model_free(m);
}

static void test_gradcheck_model_with_dropout(void **state)
{
    (void)state;
    /* The dropout stream is rewound before every forward, so even p > 0
     * gives a fixed function to differentiate. */
    const nn_layer_spec specs[] = {
        {.kind = NN_LAYER_LINEAR, .out = 8}, {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
        {.kind = NN_LAYER_DROPOUT, .arg = 0.5f}, {.kind = NN_LAYER_LINEAR, .out = 3},
    };
    nn_model *m = make_model(specs, 4, 3, 4);
    float x[12];
    fill_input(x, 12, 4);
    nn_rng rng;
    nn_rng_seed(&rng, 100, 0);
    nn_gradcheck_report rep;
    double rel = nn_gradcheck_model(m, x, 4, &rng, 1e-3f, 0, &rep);
    assert_true(rel < 1e-2);
    assert_int_equal(rep.zero_grad, 0);
    nn_model_free(m);
}

static void test_gradcheck_model_max_per_var(void **state)
{
    (void)state;
    const nn_layer_spec specs[] = {
        {.kind = NN_LAYER_LINEAR, .out = 16}, {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
        {.kind = NN_LAYER_LINEAR, .out = 1},
    };
    nn_model *m = make_model(specs, 3, 10, 3);
    float x[30];
    fill_input(x, 30, 5);
    nn_rng rng;
    nn_rng_seed(&rng, 101, 0);
    nn_gradcheck_report rep;
    /* Variables: x (30), w1 (160), b1 (16), w2 (16), b2 (1): at most 4 each. */
    double rel = nn_gradcheck_model(m, x, 3, &rng, 1e-3f, 4, &rep);
    assert_true(rel < 1e-2);
    assert_int_equal(rep.checked, 4 + 4 + 4 + 4 + 1);
    nn_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rel_error_known_vectors),
        cmocka_unit_test(test_gradcheck_correct_gradient_passes),
        cmocka_unit_test(test_gradcheck_finds_wrong_element),
        cmocka_unit_test(test_gradcheck_restores_exact_values),
        cmocka_unit_test(test_gradcheck_max_per_var),
        cmocka_unit_test(test_gradcheck_flags_zero_gradient),
        cmocka_unit_test(test_gradcheck_catches_missing_slope),
        cmocka_unit_test(test_gradcheck_model_every_layer_kind),
        cmocka_unit_test(test_gradcheck_model_with_dropout),
        cmocka_unit_test(test_gradcheck_model_max_per_var),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
