/* Exercise 2: the generator, latent_dim -> hidden layers -> data_dim.
 * nn_gan_create builds every generator of the course with it (lib/gan/gan.h).
 * Check it with `make check EX=2`; stuck? `make hint EX=2`. */
#include "nn.h"

nn_model *nn_gan_build_generator(const nn_gan_arch *a, int max_batch, nn_error *err)
{
    /* TODO: list the layers as nn_layer_spec (model.h): for each hidden
     * width, a linear layer, batchnorm if a->g_batchnorm, then leaky ReLU
     * (a->g_slope), or ReLU when the slope is 0; then a linear layer to
     * a->data_dim and, if a->g_tanh, tanh. Build it with nn_model_create. */
    (void)a;
    (void)max_batch;
    nn_fail(err, NN_ERR_ARG, "exercise 2 (nn_gan_build_generator, "
            "exercises/02_build_generator.c) is not written yet: make hint EX=2");
    return NULL;
}
