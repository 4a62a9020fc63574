/* Exercise 4: nn_gan_build_discriminator's layers, widths, parameter count, and
 * a forward pass with known weights against the layers composed by hand. */
#define EX_NUM 4
#define EX_FUNC "nn_gan_build_discriminator"
#include "exercise_util.h"
#include "nn.h"

/* image 6 -> 5 -> 3 -> 1 logit, slope 0.25. */
static nn_gan_arch small_arch(float dropout)
{
    nn_gan_arch a = {.latent_dim = 2, .data_dim = 6, .g_hidden = {4}, .n_g_hidden = 1,
                     .g_batchnorm = 1, .g_slope = 0.1f, .g_tanh = 1, .d_hidden = {5, 3},
                     .n_d_hidden = 2, .d_dropout = dropout, .d_slope = 0.25f, .pack = 1};
    return a;
}

static nn_model *build(const nn_gan_arch *a, int max_batch)
{
    nn_error err = {NN_OK, ""};
    nn_model *D = nn_gan_build_discriminator(a, max_batch, &err);
    ex_expect(D != NULL, "returned NULL (%s)", err.msg);
    return D;
}

static void expect_layer(const nn_model *D, int i, nn_layer_kind kind, int in, int out,
                         float arg)
{
    ex_expect(i < D->n_layers, "has %d layers; layer %d should be %s", D->n_layers, i,
              nn_layer_kind_name(kind));
    const nn_layer *l = &D->layers[i];
    ex_expect(l->spec.kind == kind, "layer %d is %s, expected %s", i,
              nn_layer_kind_name(l->spec.kind), nn_layer_kind_name(kind));
    ex_expect(l->in == in && l->out == out, "layer %d (%s) maps %d -> %d, expected %d -> %d",
              i, nn_layer_kind_name(kind), l->in, l->out, in, out);
    if (kind != NN_LAYER_LINEAR)
        ex_expect(l->spec.arg == arg, "layer %d (%s) has argument %g, expected %g", i,
                  nn_layer_kind_name(kind), (double)l->spec.arg, (double)arg);
}

static void test_layers_with_dropout(void **state)
{
    (void)state;
    nn_gan_arch a = small_arch(0.3f);
    nn_model *D = build(&a, 4);
    ex_expect(D->in == 6 && D->out == 1, "maps %d -> %d features, expected 6 -> 1 (a logit)",
              D->in, D->out);
    ex_expect(D->n_layers == 7, "has %d layers, expected 7: (linear, leaky_relu, dropout) "
              "twice, then linear", D->n_layers);
    expect_layer(D, 0, NN_LAYER_LINEAR, 6, 5, 0.0f);
    expect_layer(D, 1, NN_LAYER_LEAKY_RELU, 5, 5, 0.25f);
    expect_layer(D, 2, NN_LAYER_DROPOUT, 5, 5, 0.3f);
    expect_layer(D, 3, NN_LAYER_LINEAR, 5, 3, 0.0f);
    expect_layer(D, 4, NN_LAYER_LEAKY_RELU, 3, 3, 0.25f);
    expect_layer(D, 5, NN_LAYER_DROPOUT, 3, 3, 0.3f);
    expect_layer(D, 6, NN_LAYER_LINEAR, 3, 1, 0.0f);
    /* (6*5 + 5) + (5*3 + 3) + (3*1 + 1) = 57 */
    ex_expect(nn_model_param_count(D) == 57, "has %zu parameters, expected 57",
              nn_model_param_count(D));
    ex_expect(D->max_batch == 4, "max_batch is %d, expected the argument 4", D->max_batch);
    nn_model_free(D);
}

static void test_layers_classic(void **state)
{
    (void)state;
    nn_gan_arch a = small_arch(0.0f);
    a.data_dim = 784;
    a.d_hidden[0] = 300;
    a.d_hidden[1] = 100;
    a.d_slope = 0.2f;
    nn_model *D = build(&a, 2);
    ex_expect(D->n_layers == 5, "without dropout has %d layers, expected 5: linear, "
              "leaky_relu, linear, leaky_relu, linear (no sigmoid)", D->n_layers);
    expect_layer(D, 0, NN_LAYER_LINEAR, 784, 300, 0.0f);
    expect_layer(D, 1, NN_LAYER_LEAKY_RELU, 300, 300, 0.2f);
    expect_layer(D, 2, NN_LAYER_LINEAR, 300, 100, 0.0f);
    expect_layer(D, 3, NN_LAYER_LEAKY_RELU, 100, 100, 0.2f);
    expect_layer(D, 4, NN_LAYER_LINEAR, 100, 1, 0.0f);
    /* 784*300 + 300 + 300*100 + 100 + 100 + 1 */
    ex_expect(nn_model_param_count(D) == 265701,
              "the classic D (784-300-100-1) has %zu parameters, expected 265701",
              nn_model_param_count(D));
    nn_model_free(D);
}

/* Known weights, eval mode (dropout off): the logits must equal linear ->
 * leaky ReLU -> linear -> leaky ReLU -> linear composed from lib/. */
static void test_forward_known_weights(void **state)
{
    (void)state;
    enum { B = 3 };
    nn_gan_arch a = small_arch(0.0f);
    nn_model *D = build(&a, B);
    ex_expect(D->n_layers == 5 && D->n_params == 57,
              "has %d layers and %zu parameters, expected 5 and 57", D->n_layers, D->n_params);
    nn_rng r;
    nn_rng_seed(&r, 12, 0);
    nn_init_normal(&r, D->params, D->n_params, 0.0f, 0.5f);
    float x[B * 6];
    nn_rng_fill_uniform(&r, x, B * 6, -1.0f, 1.0f);
    const float *s = nn_model_forward(D, x, B, 0);

    const nn_layer *L = D->layers;
    float h1[B * 5], h2[B * 5], h3[B * 3], h4[B * 3], want[B];
    nn_linear_forward(h1, x, L[0].w, L[0].b, B, 6, 5);
    nn_leaky_relu_forward(h2, h1, 0.25f, B * 5);
    nn_linear_forward(h3, h2, L[2].w, L[2].b, B, 5, 3);
    nn_leaky_relu_forward(h4, h3, 0.25f, B * 3);
    nn_linear_forward(want, h4, L[4].w, L[4].b, B, 3, 1);
    ex_expect_close(s, want, B, 1e-5, "D's logits for known weights");
    nn_model_free(D);
}

/* Lesson 09's fixes: packing makes D read pack samples side by side, and
 * minibatch stddev adds one feature before the verdict. */
static void test_pack_and_mbstd(void **state)
{
    (void)state;
    nn_gan_arch a = small_arch(0.0f);
    a.data_dim = 2;
    a.pack = 3;
    a.d_mbstd = 1;
    nn_model *D = build(&a, 4);
    ex_expect(D->in == 6, "with pack 3 of 2-value samples reads %d inputs, expected 6", D->in);
    ex_expect(D->n_layers == 6, "with d_mbstd has %d layers, expected 6: linear, leaky_relu, "
              "linear, leaky_relu, mbstd, linear", D->n_layers);
    expect_layer(D, 4, NN_LAYER_MBSTD, 3, 4, 0.0f);
    expect_layer(D, 5, NN_LAYER_LINEAR, 4, 1, 0.0f);
    nn_model_free(D);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layers_with_dropout),
        cmocka_unit_test(test_layers_classic),
        cmocka_unit_test(test_forward_known_weights),
        cmocka_unit_test(test_pack_and_mbstd),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
