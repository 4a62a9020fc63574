/* test_init.c - weight initialisation: the statistics torch.nn.init's
 * formulas promise, over arrays large enough to measure them. */
#include "testutil.h"

#include <math.h>
#include <string.h>

#include "nn/init.h"
#include "nn/model.h"

/* Mean, standard deviation and largest |w| of n values. */
static void stats(const float *w, size_t n, double *mean, double *sd, double *maxabs)
{
    double s = 0, s2 = 0, mx = 0;
    for (size_t i = 0; i < n; i++) {
        s += w[i];
        s2 += (double)w[i] * w[i];
        if (fabs(w[i]) > mx) mx = fabs(w[i]);
    }
    *mean = s / (double)n;
    *sd = sqrt(s2 / (double)n - *mean * *mean);
    *maxabs = mx;
}

/* fan_in 400, fan_out 250: 100,000 weights. */
enum { FIN = 400, FOUT = 250, N = FIN * FOUT };
static float w[N];

static void test_normal_002(void **state)
{
    (void)state;
    nn_rng r;
    nn_rng_seed(&r, 1, 0);
    nn_init_normal(&r, w, N, 0.0f, 0.02f);
    double mean, sd, mx;
    stats(w, N, &mean, &sd, &mx);
    assert_close(mean, 0.0, 3e-4);     /* se 6.3e-5 */
    assert_close(sd, 0.02, 3e-4);      /* se 4.5e-5 */
    assert_true(mx > 0.07 && mx < 0.12);
}

static void test_xavier_uniform(void **state)
{
    (void)state;
    nn_rng r;
    nn_rng_seed(&r, 2, 0);
    nn_init_xavier_uniform(&r, w, FIN, FOUT, 1.0f);
    double a = sqrt(6.0 / (FIN + FOUT)), mean, sd, mx;
    stats(w, N, &mean, &sd, &mx);
    assert_true(mx < a);
    assert_true(mx > 0.999 * a);        /* fills the interval */
    assert_close(sd, a / sqrt(3.0), 0.01 * a / sqrt(3.0));
    assert_close(mean, 0.0, 0.005 * a);
    /* The gain scales the bound. */
    nn_init_xavier_uniform(&r, w, FIN, FOUT, 2.0f);
    stats(w, N, &mean, &sd, &mx);
    assert_true(mx < 2.0 * a && mx > 1.99 * a);
}

static void test_xavier_normal(void **state)
{
    (void)state;
    nn_rng r;
    nn_rng_seed(&r, 3, 0);
    nn_init_xavier_normal(&r, w, FIN, FOUT, 1.0f);
    double std = sqrt(2.0 / (FIN + FOUT)), mean, sd, mx;
    stats(w, N, &mean, &sd, &mx);
    assert_close(sd, std, 0.01 * std);
    assert_close(mean, 0.0, 0.01 * std);
}

static void test_he_normal(void **state)
{
    (void)state;
    nn_rng r;
    nn_rng_seed(&r, 4, 0);
    double mean, sd, mx;
    /* ReLU (slope 0): std = sqrt(2 / fan_in) = 0.0707 */
    nn_init_he_normal(&r, w, FIN, FOUT, 0.0f);
    stats(w, N, &mean, &sd, &mx);
    assert_close(sd, sqrt(2.0 / FIN), 0.01 * sqrt(2.0 / FIN));
    /* Leaky ReLU 0.2: std = sqrt(2 / 1.04) / sqrt(fan_in); fan_out plays no part. */
    double std = sqrt(2.0 / 1.04) / sqrt((double)FIN);
    nn_init_he_normal(&r, w, FIN, FOUT, 0.2f);
    stats(w, N, &mean, &sd, &mx);
    assert_close(sd, std, 0.01 * std);
    assert_close(mean, 0.0, 0.01 * std);
}

static void test_he_uniform(void **state)
{
    (void)state;
    nn_rng r;
    nn_rng_seed(&r, 5, 0);
    double a = sqrt(6.0 / (1.04 * FIN)), mean, sd, mx;
    nn_init_he_uniform(&r, w, FIN, FOUT, 0.2f);
    stats(w, N, &mean, &sd, &mx);
    assert_true(mx < a && mx > 0.999 * a);
    assert_close(sd, a / sqrt(3.0), 0.01 * a / sqrt(3.0));
}

static void test_torch_linear_default(void **state)
{
    (void)state;
    nn_rng r;
    nn_rng_seed(&r, 6, 0);
    static float b[FOUT];
    nn_init_torch_linear(&r, w, b, FIN, FOUT);
    /* kaiming_uniform_(a = sqrt(5)) gives bound 1/sqrt(fan_in) = 0.05, and
     * the bias shares it. */
    double a = 1.0 / sqrt((double)FIN), mean, sd, mx;
    stats(w, N, &mean, &sd, &mx);
    assert_true(mx < a && mx > 0.999 * a);
    assert_close(sd, a / sqrt(3.0), 0.01 * a / sqrt(3.0));
    stats(b, FOUT, &mean, &sd, &mx);
    assert_true(mx < a && mx > 0.9 * a);
    assert_close(sd, a / sqrt(3.0), 0.15 * a / sqrt(3.0));
}

/* nn_init_conv: the same formulas with a convolution's fans. A weight
 * (64, 32, 5, 5) as torch sees it: fan_in = 32 * 25 = 800, fan_out =
 * 64 * 25 = 1600, and 51,200 weights (not fan_in * fan_out). */
static void test_init_conv(void **state)
{
    (void)state;
    enum { FI = 800, FO = 1600, NW = 64 * 32 * 25, NB = 64 };
    static float cw[NW + 1];
    float cb[NB + 1];
    nn_rng r;
    nn_rng_seed(&r, 9, 0);
    double mean, sd, mx;
    /* Every kind, with the standard deviation it promises; the element
     * past the weights is never written. */
    const struct {
        nn_init_kind kind;
        double sd;
    } kinds[] = {{NN_INIT_NORMAL_002, 0.02},
                 {NN_INIT_XAVIER_UNIFORM, sqrt(2.0 / (FI + FO))},
                 {NN_INIT_XAVIER_NORMAL, sqrt(2.0 / (FI + FO))},
                 {NN_INIT_HE_NORMAL, sqrt(2.0 / (1.0 + 0.04) / FI)},
                 {NN_INIT_HE_UNIFORM, sqrt(2.0 / (1.0 + 0.04) / FI)},
                 {NN_INIT_TORCH, 1.0 / sqrt(FI) / sqrt(3.0)}};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        cw[NW] = 7.0f;
        cb[NB] = 7.0f;
        for (int i = 0; i < NB; i++) cb[i] = 1.0f;
        nn_init_conv(&r, cw, NW, cb, NB, FI, FO, kinds[k].kind, 0.2f);
        stats(cw, NW, &mean, &sd, &mx);
        if (fabs(sd - kinds[k].sd) > 0.02 * kinds[k].sd)
            print_error("%s: sd %g, expected %g\n", nn_init_name(kinds[k].kind), sd, kinds[k].sd);
        assert_close(sd, kinds[k].sd, 0.02 * kinds[k].sd);
        assert_close(mean, 0.0, 0.02 * kinds[k].sd);
        assert_true(cw[NW] == 7.0f && cb[NB] == 7.0f);
        if (kinds[k].kind == NN_INIT_TORCH) {
            /* torch's convolutions draw the bias too, from the same bound. */
            stats(cb, NB, &mean, &sd, &mx);
            assert_true(mx <= 1.0 / sqrt(FI) && mx > 0.5 / sqrt(FI));
        } else {
            for (int i = 0; i < NB; i++) assert_true(cb[i] == 0.0f);
        }
    }
}

static void test_init_names(void **state)
{
    (void)state;
    assert_string_equal(nn_init_name(NN_INIT_TORCH), "torch");
    assert_string_equal(nn_init_name(NN_INIT_NORMAL_002), "normal");
    const char *names[6];
    for (int k = 0; k < 6; k++) {
        names[k] = nn_init_name((nn_init_kind)k);
        assert_true(strlen(names[k]) > 0 && strcmp(names[k], "unknown") != 0);
        for (int j = 0; j < k; j++) assert_string_not_equal(names[k], names[j]);
    }
}

/* nn_model_init: He kinds take the slope of the leaky ReLU after the linear
 * layer (past a batchnorm), 0 otherwise; biases 0; batchnorm gamma 1. */
static void test_model_init_he_slope(void **state)
{
    (void)state;
    const nn_layer_spec specs[] = {
        {.kind = NN_LAYER_LINEAR, .out = 400}, {.kind = NN_LAYER_BATCHNORM},
        {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
        {.kind = NN_LAYER_LINEAR, .out = 250}, {.kind = NN_LAYER_SIGMOID}};
    nn_error err;
    nn_model *m = nn_model_create(250, specs, 5, 4, &err);
    assert_non_null(m);
    nn_rng r;
    nn_rng_seed(&r, 7, 0);
    nn_model_init(m, &r, NN_INIT_HE_NORMAL);
    double mean, sd, mx;
    stats(m->layers[0].w, 400 * 250, &mean, &sd, &mx);
    double s1 = sqrt(2.0 / 1.04) / sqrt(250.0);
    assert_close(sd, s1, 0.01 * s1);
    stats(m->layers[3].w, 250 * 400, &mean, &sd, &mx);
    double s2 = sqrt(2.0 / 400.0);   /* followed by a sigmoid: slope 0 */
    assert_close(sd, s2, 0.01 * s2);
    for (int j = 0; j < 400; j++) {
        assert_true(m->layers[0].b[j] == 0.0f);
        assert_true(m->layers[1].w[j] == 1.0f && m->layers[1].b[j] == 0.0f);
        assert_true(m->layers[1].running_var[j] == 1.0f);
    }
    /* N(0, 0.02) the DCGAN way. */
    nn_model_init(m, &r, NN_INIT_NORMAL_002);
    stats(m->layers[0].w, 400 * 250, &mean, &sd, &mx);
    assert_close(sd, 0.02, 3e-4);
    nn_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normal_002),
        cmocka_unit_test(test_xavier_uniform),
        cmocka_unit_test(test_xavier_normal),
        cmocka_unit_test(test_he_normal),
        cmocka_unit_test(test_he_uniform),
        cmocka_unit_test(test_torch_linear_default),
        cmocka_unit_test(test_init_conv),
        cmocka_unit_test(test_init_names),
        cmocka_unit_test(test_model_init_he_slope),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
