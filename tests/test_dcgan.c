/* test_dcgan.c - lib/gan/dcgan.c: the DCGAN family's two networks, counted by
 * hand against torch's modules (the benchmark's DCGAN), their shapes layer
 * by layer, the guideline switches and the refusals. */
#include <string.h>

#include "testutil.h"
#include "nn.h"

/* torch: Linear(100, 6272) 633,472 + BatchNorm1d(6272) 12,544 +
 * ConvTranspose2d(128, 64, 4) 131,136 + BatchNorm2d(64) 128 +
 * ConvTranspose2d(64, 1, 4) 1,025 = 778,305; D: Conv2d(1, 64, 4) 1,088 +
 * Conv2d(64, 128, 4) 131,200 + BatchNorm2d(128) 256 + Linear(6272, 1) 6,273
 * = 138,817. */
static void test_default_counts_and_shapes(void **state)
{
    (void)state;
    nn_dcgan_arch a = nn_dcgan_arch_default();
    nn_error err;
    nn_model *G = nn_dcgan_generator(&a, 4, &err), *D = nn_dcgan_discriminator(&a, 4, &err);
    assert_non_null(G);
    assert_non_null(D);
    assert_int_equal(nn_model_param_count(G), 778305);
    assert_int_equal(nn_model_param_count(D), 138817);
    assert_int_equal(G->in, 100);
    assert_int_equal(G->out, 784);
    assert_int_equal(D->in, 784);
    assert_int_equal(D->out, 1);
    /* G: 6272 -> 128 x 7 x 7 -> 64 x 14 x 14 -> 1 x 28 x 28. */
    const nn_layer *l = G->layers;
    assert_int_equal(G->n_layers, 9);
    assert_int_equal(l[3].spec.kind, NN_LAYER_RESHAPE);
    assert_int_equal(l[4].out_c, 64);
    assert_int_equal(l[4].out_h, 14);
    assert_int_equal(l[7].out_c, 1);
    assert_int_equal(l[7].out_w, 28);
    assert_int_equal(l[8].spec.kind, NN_LAYER_TANH);
    assert_int_equal(l[2].spec.kind, NN_LAYER_RELU);
    /* D: 1 x 28 x 28 -> 64 x 14 x 14 -> 128 x 7 x 7 -> 1. */
    l = D->layers;
    assert_int_equal(D->n_layers, 7);
    assert_int_equal(l[1].out_c, 64);
    assert_int_equal(l[1].out_h, 14);
    assert_int_equal(l[3].out_c, 128);
    assert_int_equal(l[3].out_h, 7);
    assert_int_equal(l[4].spec.kind, NN_LAYER_BATCHNORM2D);
    assert_int_equal(l[2].spec.kind, NN_LAYER_LEAKY_RELU);
    nn_model_free(G);
    nn_model_free(D);
}

/* The switches take layers out or change them; nothing else moves. */
static void test_switches(void **state)
{
    (void)state;
    nn_dcgan_arch a = nn_dcgan_arch_default();
    a.g_batchnorm = 0;
    a.d_batchnorm = 0;
    a.g_slope = 0.2f;
    nn_model *G = nn_dcgan_generator(&a, 2, NULL), *D = nn_dcgan_discriminator(&a, 2, NULL);
    assert_non_null(G);
    assert_non_null(D);
    assert_int_equal(G->n_layers, 7);
    assert_int_equal(D->n_layers, 6);
    assert_int_equal(G->layers[1].spec.kind, NN_LAYER_LEAKY_RELU);
    assert_int_equal(nn_model_param_count(G), 778305 - 12544 - 128);
    assert_int_equal(nn_model_param_count(D), 138817 - 256);
    nn_model_free(G);
    nn_model_free(D);
}

/* d_mbstd puts the batch's spread before the logit: one more feature for
 * the linear layer to read, one more weight. */
static void test_mbstd(void **state)
{
    (void)state;
    nn_dcgan_arch a = nn_dcgan_arch_default();
    a.d_mbstd = 1;
    nn_model *D = nn_dcgan_discriminator(&a, 2, NULL);
    assert_non_null(D);
    assert_int_equal(D->n_layers, 8);
    assert_int_equal(D->layers[6].spec.kind, NN_LAYER_MBSTD);
    assert_int_equal(D->layers[7].in, 128 * 7 * 7 + 1);
    assert_int_equal(D->out, 1);
    assert_int_equal(nn_model_param_count(D), 138817 + 1);
    nn_model_free(D);
}

static void test_refusals(void **state)
{
    (void)state;
    nn_dcgan_arch a = nn_dcgan_arch_default();
    nn_error err;
    a.h = 30;
    assert_null(nn_dcgan_generator(&a, 2, &err));
    assert_int_equal(err.code, NN_ERR_ARG);
    assert_non_null(strstr(err.msg, "multiples of 4"));
    a = nn_dcgan_arch_default();
    a.d_slope = 1.0f;
    assert_null(nn_dcgan_discriminator(&a, 2, &err));
    assert_non_null(strstr(err.msg, "slopes"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_counts_and_shapes),
        cmocka_unit_test(test_switches),
        cmocka_unit_test(test_mbstd),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
