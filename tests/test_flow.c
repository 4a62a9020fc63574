/* test_flow.c - the RealNVP flow of lib/flow/flow.h: the untrained flow worked
 * by hand, a 3-layer flow against torch (log p and the gradients of the mean
 * negative log-likelihood), the whole gradient by central differences with
 * respect to x and to parameters of every network, the inverse, training on
 * a Gaussian, and the diagnosis of a blow-up (a NaN, a float overflow). */
#include "testutil.h"

#include <math.h>
#include <string.h>

#include "flow/flow.h"

#define LOG_2PI 1.8378770664093453

/* The untrained flow (every network's last layer at zero: s = t = 0) is the
 * plain scaling: z = x / scale, log p = log N(x / scale) - 2 log scale. */
static void test_untrained_is_the_scaling(void **state)
{
    (void)state;
    nn_flow_config c = nn_flow_config_default();
    c.scale = 2.0f;
    c.max_batch = 4;
    nn_flow *f = nn_flow_create(&c, 1, NULL);
    assert_non_null(f);
    const float x[6] = {2, 0, -1, 3, 0.5f, -4};
    float z[6], lp[3];
    nn_flow_forward(f, z, lp, x, 3);
    for (int i = 0; i < 6; i++) assert_close(z[i], x[i] / 2.0, 1e-7);
    /* x = (2, 0): z = (1, 0), log p = -1/2 - log 2 pi - 2 log 2. */
    assert_close(lp[0], -0.5 - LOG_2PI - 2.0 * log(2.0), 1e-6);
    for (int i = 0; i < 3; i++) {
        double q = (x[2 * i] * x[2 * i] + x[2 * i + 1] * x[2 * i + 1]) / 4.0;
        assert_close(lp[i], -0.5 * q - LOG_2PI - 2.0 * log(2.0), 1e-5);
    }
    nn_flow_free(f);
}

/* A 3-layer flow, networks 1 -> 4 -> 4 -> 2, s_max 2, scale 1.5, whose
 * weights follow tests/reference/flow_coupling.py's formula. */
static nn_flow *formula_flow(void)
{
    nn_flow_config c = nn_flow_config_default();
    c.layers = 3;
    c.hidden = 4;
    c.s_max = 2.0f;
    c.scale = 1.5f;
    c.max_batch = 8;
    nn_flow *f = nn_flow_create(&c, 3, NULL);
    assert_non_null(f);
    for (int k = 0; k < 3; k++)
        for (int l = 0; l < 3; l++) {
            nn_layer *ly = &f->net[k]->layers[2 * l];
            assert_int_equal(ly->spec.kind, NN_LAYER_LINEAR);
            for (int j = 0; j < ly->in * ly->out; j++)
                ly->w[j] = (float)(0.4 * sin(0.37 * j + 1.3 * l + 0.9 * k));
            for (int j = 0; j < ly->out; j++)
                ly->b[j] = (float)(0.1 * cos(0.51 * j + 0.7 * l + 0.2 * k));
        }
    return f;
}

/* tests/reference/flow_coupling.py, float64. */
static const float ref_x[8] = {0.3f, -0.8f, 1.7f, 0.4f, -2.1f, -1.2f, 0.05f, 2.4f};
static const float flow_logp[4] = {-2.88406682f, -3.16879426f, -4.22201336f, -3.97001954f};
static const float flow_dx[8] = {0.00479551101f, -0.127418508f, 0.174075436f, 0.0100553182f,
                                 -0.243530609f, -0.151722087f, -0.00277114655f, 0.281957214f};
static const float flow_db[3][10] = {
    {-0.0375284536f, -0.0239232035f, -0.0102206597f, 0.00486520252f, -0.011561738f,
     0.00992512723f, 0.0734598986f, 0.0389301568f, -0.0347181532f, 0.0136459797f},
    {-0.0108812581f, -0.000479982786f, 0.00998625597f, 0.0191009018f, 0.0658240857f,
     0.10678491f, 0.00775042982f, 0.0610303995f, -0.182195596f, -0.104363848f},
    {0.0211302202f, 0.0348342355f, 0.00102162504f, 0.0189832362f, -0.0301832397f,
     0.0268393961f, 0.00734395084f, 0.0619218344f, -0.101003991f, -0.000333181892f},
};

static void test_against_torch(void **state)
{
    (void)state;
    nn_flow *f = formula_flow();
    float lp[4], dx[8] = {0};
    nn_flow_forward(f, NULL, lp, ref_x, 4);
    assert_rel_close(lp, flow_logp, 4, 1e-5);
    nn_flow_zero_grad(f);
    float L = nn_flow_nll_backward(f, dx, ref_x, 4);
    assert_close(L, 3.5612235, 1e-5);
    assert_rel_close(dx, flow_dx, 8, 1e-4);
    for (int k = 0; k < 3; k++) {
        float db[10];
        for (int l = 0, at = 0; l < 3; l++) {
            const nn_layer *ly = &f->net[k]->layers[2 * l];
            for (int j = 0; j < ly->out; j++) db[at++] = ly->db[j];
        }
        assert_rel_close(db, flow_db[k], 10, 1e-4);
    }
    nn_flow_free(f);
}

/* The mean NLL of x in double, for central differences. */
static double nll(nn_flow *f, const float *x, int n)
{
    return -nn_flow_mean_log_prob(f, x, n);
}

/* Central differences of the mean NLL against the backward: every
 * coordinate of x, and 12 parameters of each network (weights and biases
 * of every layer). */
static void test_central_differences(void **state)
{
    (void)state;
    nn_flow *f = formula_flow();
    float x[8], dx[8] = {0}, num[8];
    memcpy(x, ref_x, sizeof x);
    nn_flow_zero_grad(f);
    nn_flow_nll_backward(f, dx, x, 4);
    const double h = 3e-3; /* 1e-2 steps one hidden unit across its kink */
    for (int i = 0; i < 8; i++) {
        float keep = x[i];
        x[i] = keep + (float)h;
        double up = nll(f, x, 4);
        x[i] = keep - (float)h;
        double down = nll(f, x, 4);
        x[i] = keep;
        num[i] = (float)((up - down) / (2 * h));
    }
    assert_not_all_zero(dx, 8);
    assert_rel_close(dx, num, 8, 2e-3);
    for (int k = 0; k < 3; k++) {
        nn_model *m = f->net[k];
        float an[12], nu[12];
        for (int j = 0; j < 12; j++) {
            size_t p = (size_t)j * (m->n_params - 1) / 11; /* spread over the block */
            an[j] = m->grads[p];
            float keep = m->params[p];
            m->params[p] = keep + (float)h;
            double up = nll(f, x, 4);
            m->params[p] = keep - (float)h;
            double down = nll(f, x, 4);
            m->params[p] = keep;
            nu[j] = (float)((up - down) / (2 * h));
        }
        assert_not_all_zero(an, 12);
        assert_rel_close(an, nu, 12, 2e-3);
    }
    nn_flow_free(f);
}

/* f^-1(f(x)) == x, for more points than max_batch (the chunks). */
static void test_inverse(void **state)
{
    (void)state;
    nn_flow *f = formula_flow();
    enum { N = 20 };
    float x[2 * N], z[2 * N], back[2 * N];
    nn_rng r;
    nn_rng_seed(&r, 5, 0);
    nn_rng_fill_normal(&r, x, 2 * N, 0.0f, 2.0f);
    for (int at = 0; at < N; at += 8) {
        int m = N - at < 8 ? N - at : 8;
        nn_flow_forward(f, z + 2 * at, NULL, x + 2 * at, m);
    }
    nn_flow_inverse(f, back, z, N);
    assert_rel_close(back, x, 2 * N, 1e-6);
    /* In place, as nn_flow_sample uses it. */
    nn_flow_inverse(f, z, z, N);
    assert_rel_close(z, x, 2 * N, 1e-6);
    nn_flow_free(f);
}

/* A few hundred steps on N((1, -2), diag(9, 0.25)) take the mean NLL near
 * the data's own entropy, log 2 pi e + log(3 * 0.5) = 3.243, from far above. */
static void test_training_fits_a_gaussian(void **state)
{
    (void)state;
    nn_flow_config c = nn_flow_config_default();
    c.layers = 4;
    c.hidden = 16;
    c.max_batch = 256;
    c.opt.lr = 5e-3f;
    nn_flow *f = nn_flow_create(&c, 7, NULL);
    assert_non_null(f);
    float x[512];
    nn_rng r;
    nn_rng_seed(&r, 11, 0);
    float first = 0.0f, last = 0.0f;
    for (int s = 0; s < 400; s++) {
        for (int i = 0; i < 256; i++) {
            x[2 * i] = 1.0f + 3.0f * nn_rng_normal(&r);
            x[2 * i + 1] = -2.0f + 0.5f * nn_rng_normal(&r);
        }
        float L = nn_flow_train_step(f, x, 256);
        assert_true(isfinite(L));
        if (s == 0) first = L;
        last = L;
    }
    double entropy = LOG_2PI + 1.0 + log(1.5);
    assert_true(first > entropy + 1.0);
    assert_true(last < entropy + 0.15);
    assert_int_equal(f->steps, 400);
    nn_flow_free(f);
}

/* A NaN among the parameters is named, with its layer. */
static void test_diagnose(void **state)
{
    (void)state;
    nn_flow *f = formula_flow();
    char msg[200];
    assert_int_equal(nn_flow_diagnose(f, ref_x, 4, msg, sizeof msg), 0);
    f->net[1]->params[3] = NAN;
    float L = nn_flow_train_step(f, ref_x, 4);
    assert_false(isfinite(L));
    assert_int_equal(f->steps, 0); /* the step was skipped */
    assert_int_equal(nn_flow_diagnose(f, ref_x, 4, msg, sizeof msg), 1);
    assert_non_null(strstr(msg, "layer 2"));
    nn_flow_free(f);
}

/* Scales that multiply up: every number finite, z about 5e21 (within a
 * float), its square not: the loss is infinite and the diagnosis says why. */
static void test_diagnose_overflow(void **state)
{
    (void)state;
    nn_flow_config c = nn_flow_config_default();
    c.layers = 4;
    c.hidden = 4;
    c.s_max = 25.0f;
    c.max_batch = 4;
    nn_flow *f = nn_flow_create(&c, 1, NULL);
    assert_non_null(f);
    for (int k = 0; k < 4; k++) f->net[k]->layers[4].b[0] = 100.0f; /* s = 25 tanh 4 */
    const float x[4] = {1, 1, -1, 0.5f};
    float z[4];
    nn_flow_forward(f, z, NULL, x, 2);
    for (int i = 0; i < 4; i++) assert_true(isfinite(z[i]));
    assert_false(isfinite(nn_flow_train_step(f, x, 2)));
    char msg[200];
    assert_int_equal(nn_flow_diagnose(f, x, 2, msg, sizeof msg), 1);
    assert_non_null(strstr(msg, "overflows"));
    nn_flow_free(f);
}

static void test_bad_config(void **state)
{
    (void)state;
    nn_flow_config c = nn_flow_config_default();
    c.s_max = 0.0f;
    nn_error err;
    assert_null(nn_flow_create(&c, 1, &err));
    assert_int_equal(err.code, NN_ERR_ARG);
    assert_non_null(strstr(err.msg, "s_max"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_untrained_is_the_scaling),
        cmocka_unit_test(test_against_torch),
        cmocka_unit_test(test_central_differences),
        cmocka_unit_test(test_inverse),
        cmocka_unit_test(test_training_fits_a_gaussian),
        cmocka_unit_test(test_diagnose),
        cmocka_unit_test(test_diagnose_overflow),
        cmocka_unit_test(test_bad_config),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
