/* Exercise 3: gan_generate runs G on z, in train or eval mode, and returns
 * G's output. Checked against the same model run by the library. */
#define EX_NUM 3
#define EX_FUNC "gan_generate"
#include "exercise_util.h"
#include "exercises.h"

#include <string.h>

enum { LAT = 5, IMG = 7, B = 4 };

/* latent 5 -> linear 6 -> batchnorm -> leaky ReLU -> linear 7 -> tanh, built
 * here from lib/ so this test does not depend on exercise 2. */
static nn_model *make_g(void)
{
    const nn_layer_spec specs[] = {
        {NN_LAYER_LINEAR, 6, 0.0f}, {NN_LAYER_BATCHNORM, 0, 0.0f},
        {NN_LAYER_LEAKY_RELU, 0, 0.2f}, {NN_LAYER_LINEAR, IMG, 0.0f},
        {NN_LAYER_TANH, 0, 0.0f},
    };
    nn_model *G = nn_model_create(LAT, specs, 5, B, NULL);
    assert_non_null(G);
    nn_rng r;
    nn_rng_seed(&r, 5, 0);
    nn_init_normal(&r, G->params, G->n_params, 0.0f, 0.7f);
    return G;
}

static void test_train_and_eval(void **state)
{
    (void)state;
    nn_model *G = make_g(), *ref = make_g();
    float z[B * LAT];
    nn_rng r;
    nn_rng_seed(&r, 99, 0);
    nn_rng_fill_normal(&r, z, B * LAT, 0.0f, 1.0f);

    /* Train mode: batchnorm normalises with the batch's own statistics. */
    const float *want = nn_model_forward(ref, z, B, 1);
    const float *y = gan_generate(G, z, B, 1);
    ex_expect(y != NULL, "returned NULL; it should return G's output");
    ex_expect_close(y, want, B * IMG, 1e-6, "G(z) in train mode");

    /* Eval mode: the running statistics the train pass just updated. */
    want = nn_model_forward(ref, z, B, 0);
    y = gan_generate(G, z, B, 0);
    ex_expect_close(y, want, B * IMG, 1e-6, "G(z) in eval mode (train = 0)");

    /* Pixels from tanh: inside (-1, 1) and not all zero. */
    for (int i = 0; i < B * IMG; i++)
        ex_expect(y[i] > -1.0f && y[i] < 1.0f, "pixel %d is %g, outside tanh's range", i,
                  (double)y[i]);
    ex_expect(G->batch == B, "G ran on %d rows, expected batch = %d", G->batch, B);
    nn_model_free(G);
    nn_model_free(ref);
}

/* A smaller batch than max_batch: only `batch` rows are computed. */
static void test_partial_batch(void **state)
{
    (void)state;
    nn_model *G = make_g(), *ref = make_g();
    float z[2 * LAT];
    for (int i = 0; i < 2 * LAT; i++) z[i] = 0.3f * (float)(i % 7) - 0.9f;
    const float *want = nn_model_forward(ref, z, 2, 1);
    const float *y = gan_generate(G, z, 2, 1);
    ex_expect(y != NULL, "returned NULL; it should return G's output");
    ex_expect_close(y, want, 2 * IMG, 1e-6, "G(z) on a batch of 2");
    nn_model_free(G);
    nn_model_free(ref);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_train_and_eval),
        cmocka_unit_test(test_partial_batch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
