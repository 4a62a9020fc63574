/* Exercise 5: gan_discriminate returns D's logits and writes D(x) =
 * sigmoid(logit) when asked. */
#define EX_NUM 5
#define EX_FUNC "gan_discriminate"
#include "exercise_util.h"
#include "exercises.h"

/* One linear layer 2 -> 1 with w = [1, -2], b = 0.5, worked by hand. */
static void test_hand_worked(void **state)
{
    (void)state;
    const nn_layer_spec spec = {NN_LAYER_LINEAR, 1, 0.0f};
    nn_model *D = nn_model_create(2, &spec, 1, 3, NULL);
    assert_non_null(D);
    D->layers[0].w[0] = 1.0f;
    D->layers[0].w[1] = -2.0f;
    D->layers[0].b[0] = 0.5f;
    const float x[6] = {1, 1, 2, 0, 0, 3};
    /* s = x0 - 2 x1 + 0.5 = -0.5, 2.5, -5.5 */
    const float want_s[3] = {-0.5f, 2.5f, -5.5f};
    /* sigmoid(-0.5), sigmoid(2.5), sigmoid(-5.5) */
    const float want_p[3] = {0.377540669f, 0.924141820f, 0.00407013772f};
    float p[3] = {0};
    const float *s = gan_discriminate(D, x, 3, 0, p);
    ex_expect(s != NULL, "returned NULL; it should return D's logits");
    ex_expect_close(s, want_s, 3, 1e-6, "the logits s = x . w^T + b");
    ex_expect_close(p, want_p, 3, 1e-6, "prob = sigmoid(s)");
    /* prob may be NULL: then only the logits. */
    s = gan_discriminate(D, x + 2, 1, 0, NULL);
    ex_expect(s != NULL && s[0] == 2.5f, "with prob NULL the logit of x = [2, 0] is %g, "
              "expected 2.5", s ? (double)s[0] : 0.0);
    nn_model_free(D);
}

/* A deeper D with dropout: train mode draws masks from D's rng, so the
 * same model state run through the library must give the same logits. */
static void test_against_library(void **state)
{
    (void)state;
    enum { IMG = 9, B = 5 };
    const nn_layer_spec specs[] = {
        {NN_LAYER_LINEAR, 8, 0.0f}, {NN_LAYER_LEAKY_RELU, 0, 0.2f},
        {NN_LAYER_DROPOUT, 0, 0.3f}, {NN_LAYER_LINEAR, 1, 0.0f},
    };
    nn_model *D = nn_model_create(IMG, specs, 4, B, NULL);
    nn_model *ref = nn_model_create(IMG, specs, 4, B, NULL);
    assert_non_null(D);
    assert_non_null(ref);
    nn_rng r;
    nn_rng_seed(&r, 3, 0);
    nn_model_init(D, &r, NN_INIT_XAVIER_NORMAL);
    nn_rng_seed(&r, 3, 0);
    nn_model_init(ref, &r, NN_INIT_XAVIER_NORMAL);
    float x[B * IMG];
    nn_rng_fill_uniform(&r, x, B * IMG, -1.0f, 1.0f);

    for (int train = 1; train >= 0; train--) {
        const float *want = nn_model_forward(ref, x, B, train);
        float p[B] = {0}, want_p[B];
        for (int i = 0; i < B; i++) want_p[i] = nn_sigmoidf(want[i]);
        const float *s = gan_discriminate(D, x, B, train, p);
        ex_expect(s != NULL, "returned NULL; it should return D's logits");
        ex_expect_close(s, want, B, 1e-6,
                        train ? "logits in train mode (dropout on)" : "logits in eval mode");
        ex_expect_close(p, want_p, B, 1e-6, "prob = sigmoid(logits)");
    }
    nn_model_free(D);
    nn_model_free(ref);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_worked),
        cmocka_unit_test(test_against_library),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
