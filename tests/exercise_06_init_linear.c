/* Exercise 6: gan_init_weights gives every linear weight N(0, 0.02) from rng
 * in layer order, zero biases, and batchnorm gamma 1, beta 0. */
#define EX_NUM 6
#define EX_FUNC "gan_init_weights"
#include "exercise_util.h"
#include "exercises.h"

#include <stdlib.h>

static nn_model *make_model(int in, int hidden, int out)
{
    const nn_layer_spec specs[] = {
        {NN_LAYER_LINEAR, hidden, 0.0f}, {NN_LAYER_BATCHNORM, 0, 0.0f},
        {NN_LAYER_LEAKY_RELU, 0, 0.2f}, {NN_LAYER_LINEAR, out, 0.0f},
    };
    nn_model *m = nn_model_create(in, specs, 4, 2, NULL);
    assert_non_null(m);
    /* Something that is not the answer: every parameter 7. */
    for (size_t i = 0; i < m->n_params; i++) m->params[i] = 7.0f;
    return m;
}

/* Weight by weight: the numbers nn_init_normal draws from the same seed,
 * first layer first. */
static void test_exact_values(void **state)
{
    (void)state;
    nn_model *m = make_model(5, 4, 2);
    nn_rng r, ref;
    nn_rng_seed(&r, 31, 0);
    nn_rng_seed(&ref, 31, 0);
    gan_init_weights(m, &r);

    float w0[4 * 5], w3[2 * 4];
    nn_init_normal(&ref, w0, 4 * 5, 0.0f, 0.02f);
    nn_init_normal(&ref, w3, 2 * 4, 0.0f, 0.02f);
    ex_expect_close(m->layers[0].w, w0, 4 * 5, 0.0,
                    "first linear weights (nn_init_normal(rng, w, out*in, 0, 0.02))");
    ex_expect_close(m->layers[3].w, w3, 2 * 4, 0.0,
                    "second linear weights (drawn after the first layer's)");
    const float zeros[4] = {0}, ones[4] = {1, 1, 1, 1};
    ex_expect_close(m->layers[0].b, zeros, 4, 0.0, "first linear biases");
    ex_expect_close(m->layers[3].b, zeros, 2, 0.0, "second linear biases");
    ex_expect_close(m->layers[1].w, ones, 4, 0.0, "batchnorm gamma");
    ex_expect_close(m->layers[1].b, zeros, 4, 0.0, "batchnorm beta");
    nn_model_free(m);
}

/* A big layer: the weights' standard deviation is 0.02, their mean 0. */
static void test_statistics(void **state)
{
    (void)state;
    nn_model *m = make_model(200, 100, 1);
    nn_rng r;
    nn_rng_seed(&r, 8, 0);
    gan_init_weights(m, &r);
    const float *w = m->layers[0].w;
    double s = 0.0, s2 = 0.0;
    int n = 200 * 100;
    for (int i = 0; i < n; i++) {
        s += w[i];
        s2 += (double)w[i] * w[i];
    }
    double mean = s / n, sd = sqrt(s2 / n - mean * mean);
    ex_expect_near(mean, 0.0, 0.001, "the mean of 20000 weights");
    ex_expect_near(sd, 0.02, 0.001, "the standard deviation of 20000 weights");
    nn_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_values),
        cmocka_unit_test(test_statistics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
