/* Exercise 2: nn_gan_build_generator's layers, widths, parameter count, and a
 * forward pass with known weights against the layers composed by hand. */
#define EX_NUM 2
#define EX_FUNC "nn_gan_build_generator"
#include "exercise_util.h"
#include "nn.h"

#include <string.h>

/* latent 4 -> 5 -> 3 -> image 6, batchnorm, slope 0.1: small enough to
 * count by hand. */
static nn_gan_arch small_arch(int batchnorm)
{
    nn_gan_arch a = {.latent_dim = 4, .data_dim = 6, .g_hidden = {5, 3}, .n_g_hidden = 2,
                     .g_batchnorm = batchnorm, .g_slope = 0.1f, .g_tanh = 1,
                     .d_hidden = {8}, .n_d_hidden = 1, .d_slope = 0.3f, .pack = 1};
    return a;
}

static nn_model *build(const nn_gan_arch *a, int max_batch)
{
    nn_error err = {NN_OK, ""};
    nn_model *G = nn_gan_build_generator(a, max_batch, &err);
    ex_expect(G != NULL, "returned NULL (%s)", err.msg);
    return G;
}

static void expect_layer(const nn_model *G, int i, nn_layer_kind kind, int in, int out)
{
    ex_expect(i < G->n_layers, "has %d layers; layer %d should be %s", G->n_layers, i,
              nn_layer_kind_name(kind));
    const nn_layer *l = &G->layers[i];
    ex_expect(l->spec.kind == kind, "layer %d is %s, expected %s", i,
              nn_layer_kind_name(l->spec.kind), nn_layer_kind_name(kind));
    ex_expect(l->in == in && l->out == out, "layer %d (%s) maps %d -> %d, expected %d -> %d",
              i, nn_layer_kind_name(kind), l->in, l->out, in, out);
}

static void test_layers_with_batchnorm(void **state)
{
    (void)state;
    nn_gan_arch a = small_arch(1);
    nn_model *G = build(&a, 8);
    ex_expect(G->in == 4 && G->out == 6, "maps %d -> %d features, expected 4 -> 6", G->in,
              G->out);
    ex_expect(G->n_layers == 8, "has %d layers, expected 8: linear, batchnorm, leaky_relu "
              "twice, then linear, tanh", G->n_layers);
    expect_layer(G, 0, NN_LAYER_LINEAR, 4, 5);
    expect_layer(G, 1, NN_LAYER_BATCHNORM, 5, 5);
    expect_layer(G, 2, NN_LAYER_LEAKY_RELU, 5, 5);
    expect_layer(G, 3, NN_LAYER_LINEAR, 5, 3);
    expect_layer(G, 4, NN_LAYER_BATCHNORM, 3, 3);
    expect_layer(G, 5, NN_LAYER_LEAKY_RELU, 3, 3);
    expect_layer(G, 6, NN_LAYER_LINEAR, 3, 6);
    expect_layer(G, 7, NN_LAYER_TANH, 6, 6);
    ex_expect(G->layers[2].spec.arg == 0.1f && G->layers[5].spec.arg == 0.1f,
              "the leaky ReLU slope must be a->g_slope (0.1 here, not D's 0.3)");
    /* (4*5 + 5) + 2*5 + (5*3 + 3) + 2*3 + (3*6 + 6) = 83 */
    ex_expect(nn_model_param_count(G) == 83, "has %zu parameters, expected 83",
              nn_model_param_count(G));
    ex_expect(G->max_batch == 8, "max_batch is %d, expected the argument 8", G->max_batch);
    nn_model_free(G);
}

static void test_layers_classic(void **state)
{
    (void)state;
    nn_gan_arch a = small_arch(0);
    a.n_g_hidden = 1;
    a.g_hidden[0] = 300;
    a.latent_dim = 100;
    a.data_dim = 784;
    a.g_slope = 0.2f;
    nn_model *G = build(&a, 2);
    ex_expect(G->n_layers == 4, "without batchnorm has %d layers, expected 4: linear, "
              "leaky_relu, linear, tanh", G->n_layers);
    expect_layer(G, 0, NN_LAYER_LINEAR, 100, 300);
    expect_layer(G, 1, NN_LAYER_LEAKY_RELU, 300, 300);
    expect_layer(G, 2, NN_LAYER_LINEAR, 300, 784);
    expect_layer(G, 3, NN_LAYER_TANH, 784, 784);
    /* 100*300 + 300 + 300*784 + 784 */
    ex_expect(nn_model_param_count(G) == 266284,
              "the classic G (100-300-784) has %zu parameters, expected 266284",
              nn_model_param_count(G));
    nn_model_free(G);
}

/* Known weights, eval mode (running mean 0, var 1): the output must equal
 * linear -> batchnorm -> leaky ReLU -> ... -> tanh composed from lib/. */
static void test_forward_known_weights(void **state)
{
    (void)state;
    enum { B = 3 };
    nn_gan_arch a = small_arch(1);
    nn_model *G = build(&a, B);
    ex_expect(G->n_layers == 8 && G->n_params == 83,
              "has %d layers and %zu parameters, expected 8 and 83", G->n_layers,
              G->n_params);
    nn_rng r;
    nn_rng_seed(&r, 11, 0);
    nn_init_normal(&r, G->params, G->n_params, 0.0f, 0.5f);
    float z[B * 4];
    nn_rng_fill_normal(&r, z, B * 4, 0.0f, 1.0f);
    const float *y = nn_model_forward(G, z, B, 0);

    /* The reference, with the weights read from the layers built above
     * (their order is checked by test_layers_with_batchnorm). */
    const nn_layer *L = G->layers;
    float h1[B * 5], h2[B * 5], h3[B * 3], h4[B * 3], h5[B * 6], want[B * 6];
    float zeros[5] = {0}, ones[5] = {1, 1, 1, 1, 1};
    nn_linear_forward(h1, z, L[0].w, L[0].b, B, 4, 5);
    nn_batchnorm_forward_eval(h2, h1, L[1].w, L[1].b, zeros, ones, 1e-5f, B, 5);
    nn_leaky_relu_forward(h1, h2, 0.1f, B * 5);
    nn_linear_forward(h3, h1, L[3].w, L[3].b, B, 5, 3);
    nn_batchnorm_forward_eval(h4, h3, L[4].w, L[4].b, zeros, ones, 1e-5f, B, 3);
    nn_leaky_relu_forward(h3, h4, 0.1f, B * 3);
    nn_linear_forward(h5, h3, L[6].w, L[6].b, B, 3, 6);
    nn_tanh_forward(want, h5, B * 6);
    ex_expect_close(y, want, B * 6, 1e-5, "G's output for known weights");
    nn_model_free(G);
}

/* A slope of 0 asks for a plain ReLU, and points in the plane need no tanh:
 * lesson 09's generators. */
static void test_relu_no_tanh(void **state)
{
    (void)state;
    nn_gan_arch a = small_arch(0);
    a.g_slope = 0.0f;
    a.g_tanh = 0;
    a.data_dim = 2;
    nn_model *G = build(&a, 4);
    ex_expect(G->n_layers == 5, "with g_slope 0 and no tanh has %d layers, expected 5: "
              "linear, relu, linear, relu, linear", G->n_layers);
    expect_layer(G, 0, NN_LAYER_LINEAR, 4, 5);
    expect_layer(G, 1, NN_LAYER_RELU, 5, 5);
    expect_layer(G, 2, NN_LAYER_LINEAR, 5, 3);
    expect_layer(G, 3, NN_LAYER_RELU, 3, 3);
    expect_layer(G, 4, NN_LAYER_LINEAR, 3, 2);
    nn_model_free(G);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layers_with_batchnorm),
        cmocka_unit_test(test_layers_classic),
        cmocka_unit_test(test_forward_known_weights),
        cmocka_unit_test(test_relu_no_tanh),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
