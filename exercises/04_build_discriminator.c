/* Exercise 4: the discriminator, image_dim -> hidden layers -> one logit.
 * Check it with `make check EX=4`; stuck? `make hint EX=4`. */
#include "exercises.h"

nn_model *gan_build_discriminator(const gan_arch *a, int max_batch, nn_error *err)
{
    /* TODO: fill an array of nn_layer_spec: for each of a->n_d_hidden widths
     * a LINEAR layer to a->d_hidden[i], a LEAKY_RELU (arg a->slope), and a
     * DROPOUT (arg a->d_dropout) when a->d_dropout > 0; then a LINEAR layer
     * to 1 (no sigmoid). Return nn_model_create(a->image_dim, ...). */
    (void)a;
    (void)max_batch;
    nn_fail(err, NN_ERR_ARG,
            "gan_build_discriminator is not written yet: see "
            "exercises/04_build_discriminator.c");
    return NULL;
}
