/* dcgan.c - the DCGAN family's two networks (dcgan.h). */
#include "gan/dcgan.h"

nn_dcgan_arch nn_dcgan_arch_default(void)
{
    nn_dcgan_arch a = {.latent_dim = 100, .c = 1, .h = 28, .w = 28, .g_channels = 128,
                       .d_channels = 64, .g_batchnorm = 1, .d_batchnorm = 1,
                       .g_slope = 0.0f, .d_slope = 0.2f};
    return a;
}

static nn_status check(const nn_dcgan_arch *a, nn_error *err)
{
    if (a->latent_dim < 1 || a->c < 1 || a->h < 4 || a->w < 4 || a->h % 4 || a->w % 4 ||
        a->g_channels < 2 || a->d_channels < 1)
        return nn_fail(err, NN_ERR_ARG,
                       "DCGAN: latent %d, image %d x %d x %d (sides multiples of 4), G "
                       "channels %d (>= 2) and D channels %d (>= 1) do not make a DCGAN",
                       a->latent_dim, a->c, a->h, a->w, a->g_channels, a->d_channels);
    if (!(a->g_slope >= 0.0f && a->g_slope < 1.0f) || !(a->d_slope >= 0.0f && a->d_slope < 1.0f))
        return nn_fail(err, NN_ERR_ARG, "DCGAN: slopes %g (G) and %g (D) must be in [0, 1)",
                       (double)a->g_slope, (double)a->d_slope);
    return NN_OK;
}

/* ReLU, or leaky ReLU with that slope. */
static nn_layer_spec activation(float slope)
{
    if (slope > 0.0f) return (nn_layer_spec){.kind = NN_LAYER_LEAKY_RELU, .arg = slope};
    return (nn_layer_spec){.kind = NN_LAYER_RELU};
}

nn_model *nn_dcgan_generator(const nn_dcgan_arch *a, int max_batch, nn_error *err)
{
    if (check(a, err) != NN_OK) return NULL;
    int h4 = a->h / 4, w4 = a->w / 4, ch = a->g_channels;
    nn_layer_spec s[12];
    int n = 0;
    /* A linear layer makes the smallest feature maps; reshaping them is free
     * (rows are already channel-major maps). */
    s[n++] = (nn_layer_spec){.kind = NN_LAYER_LINEAR, .out = ch * h4 * w4};
    if (a->g_batchnorm) s[n++] = (nn_layer_spec){.kind = NN_LAYER_BATCHNORM};
    s[n++] = activation(a->g_slope);
    s[n++] = (nn_layer_spec){.kind = NN_LAYER_RESHAPE, .c = ch, .h = h4, .w = w4};
    /* Each transposed convolution doubles the sides: (in - 1) 2 - 2 + 4 = 2 in. */
    s[n++] = (nn_layer_spec){.kind = NN_LAYER_CONVT2D, .out = ch / 2, .kernel = 4, .stride = 2,
                             .pad = 1};
    if (a->g_batchnorm) s[n++] = (nn_layer_spec){.kind = NN_LAYER_BATCHNORM2D};
    s[n++] = activation(a->g_slope);
    s[n++] = (nn_layer_spec){.kind = NN_LAYER_CONVT2D, .out = a->c, .kernel = 4, .stride = 2,
                             .pad = 1};
    /* No batchnorm on the output: it would fix the images' mean and spread. */
    s[n++] = (nn_layer_spec){.kind = NN_LAYER_TANH};
    return nn_model_create(a->latent_dim, s, n, max_batch, err);
}

nn_model *nn_dcgan_discriminator(const nn_dcgan_arch *a, int max_batch, nn_error *err)
{
    if (check(a, err) != NN_OK) return NULL;
    int ch = a->d_channels;
    nn_layer_spec s[10];
    int n = 0;
    s[n++] = (nn_layer_spec){.kind = NN_LAYER_RESHAPE, .c = a->c, .h = a->h, .w = a->w};
    /* Stride 2 halves the sides where a classifier would pool: D learns its
     * own downsampling. No batchnorm on the input images. */
    s[n++] = (nn_layer_spec){.kind = NN_LAYER_CONV2D, .out = ch, .kernel = 4, .stride = 2,
                             .pad = 1};
    s[n++] = (nn_layer_spec){.kind = NN_LAYER_LEAKY_RELU, .arg = a->d_slope};
    s[n++] = (nn_layer_spec){.kind = NN_LAYER_CONV2D, .out = 2 * ch, .kernel = 4, .stride = 2,
                             .pad = 1};
    if (a->d_batchnorm) s[n++] = (nn_layer_spec){.kind = NN_LAYER_BATCHNORM2D};
    s[n++] = (nn_layer_spec){.kind = NN_LAYER_LEAKY_RELU, .arg = a->d_slope};
    /* One more feature, the batch's spread, lets D see a collapsed G. */
    if (a->d_mbstd) s[n++] = (nn_layer_spec){.kind = NN_LAYER_MBSTD};
    /* The feature maps, read flat, to one logit. */
    s[n++] = (nn_layer_spec){.kind = NN_LAYER_LINEAR, .out = 1};
    return nn_model_create(a->c * a->h * a->w, s, n, max_batch, err);
}
