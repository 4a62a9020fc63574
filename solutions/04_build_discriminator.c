/* Exercise 4: the discriminator, pack * data_dim -> hidden layers -> one logit. */
#include "nn.h"

nn_model *nn_gan_build_discriminator(const nn_gan_arch *a, int max_batch, nn_error *err)
{
    nn_layer_spec specs[3 * NN_GAN_MAX_HIDDEN + 2];
    int n = 0;
    for (int i = 0; i < a->n_d_hidden; i++) {
        specs[n++] = (nn_layer_spec){.kind = NN_LAYER_LINEAR, .out = a->d_hidden[i]};
        specs[n++] = (nn_layer_spec){.kind = NN_LAYER_LEAKY_RELU, .arg = a->d_slope};
        if (a->d_dropout > 0.0f)
            specs[n++] = (nn_layer_spec){.kind = NN_LAYER_DROPOUT, .arg = a->d_dropout};
    }
    /* The batch-spread feature goes just before D's verdict, where ProGAN
     * puts it. */
    if (a->d_mbstd) specs[n++] = (nn_layer_spec){.kind = NN_LAYER_MBSTD};
    /* No sigmoid at the end: the losses take the logit and compute
     * log D(x) stably from it. */
    specs[n++] = (nn_layer_spec){.kind = NN_LAYER_LINEAR, .out = 1};
    /* Packing: D reads pack samples side by side as one input. */
    return nn_model_create(a->pack * a->data_dim, specs, n, max_batch, err);
}
