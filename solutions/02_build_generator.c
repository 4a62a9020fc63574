/* Exercise 2: the generator, latent_dim -> hidden layers -> data_dim. */
#include "nn.h"

nn_model *nn_gan_build_generator(const nn_gan_arch *a, int max_batch, nn_error *err)
{
    /* At most 3 layers per hidden width, plus the output linear and tanh. */
    nn_layer_spec specs[3 * NN_GAN_MAX_HIDDEN + 2];
    int n = 0;
    for (int i = 0; i < a->n_g_hidden; i++) {
        specs[n++] = (nn_layer_spec){.kind = NN_LAYER_LINEAR, .out = a->g_hidden[i]};
        /* Batchnorm sits between the linear layer and its activation, as in
         * DCGAN; arg 0 means torch's momentum 0.1. */
        if (a->g_batchnorm) specs[n++] = (nn_layer_spec){.kind = NN_LAYER_BATCHNORM};
        if (a->g_slope > 0.0f)
            specs[n++] = (nn_layer_spec){.kind = NN_LAYER_LEAKY_RELU, .arg = a->g_slope};
        else
            specs[n++] = (nn_layer_spec){.kind = NN_LAYER_RELU};
    }
    specs[n++] = (nn_layer_spec){.kind = NN_LAYER_LINEAR, .out = a->data_dim};
    /* tanh puts pixels in [-1, 1], the range the real images are scaled to;
     * points in the plane need no squashing. */
    if (a->g_tanh) specs[n++] = (nn_layer_spec){.kind = NN_LAYER_TANH};
    return nn_model_create(a->latent_dim, specs, n, max_batch, err);
}
