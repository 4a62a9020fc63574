/* Exercise 2: the generator, latent_dim -> hidden layers -> image_dim.
 * Check it with `make check EX=2`; stuck? `make hint EX=2`. */
#include "exercises.h"

nn_model *gan_build_generator(const gan_arch *a, int max_batch, nn_error *err)
{
    /* TODO: fill an array of nn_layer_spec: for each of a->n_g_hidden widths
     * a LINEAR layer to a->g_hidden[i], a BATCHNORM (arg 0) if
     * a->g_batchnorm, a LEAKY_RELU (arg a->slope); then a LINEAR layer to
     * a->image_dim and a TANH. Return nn_model_create(a->latent_dim, specs,
     * n, max_batch, err). */
    (void)a;
    (void)max_batch;
    nn_fail(err, NN_ERR_ARG,
            "gan_build_generator is not written yet: see exercises/02_build_generator.c");
    return NULL;
}
