/* Exercise 4: the discriminator, image_dim -> hidden layers -> one logit. */
#include "exercises.h"

nn_model *gan_build_discriminator(const gan_arch *a, int max_batch, nn_error *err)
{
    nn_layer_spec specs[3 * 4 + 1];
    int n = 0;
    for (int i = 0; i < a->n_d_hidden; i++) {
        specs[n++] = (nn_layer_spec){NN_LAYER_LINEAR, a->d_hidden[i], 0.0f};
        specs[n++] = (nn_layer_spec){NN_LAYER_LEAKY_RELU, 0, a->slope};
        if (a->d_dropout > 0.0f)
            specs[n++] = (nn_layer_spec){NN_LAYER_DROPOUT, 0, a->d_dropout};
    }
    /* No sigmoid at the end: the losses take the logit and compute
     * log D(x) stably from it. */
    specs[n++] = (nn_layer_spec){NN_LAYER_LINEAR, 1, 0.0f};
    return nn_model_create(a->image_dim, specs, n, max_batch, err);
}
