/* Exercise 4: the discriminator, pack * data_dim -> hidden layers -> one logit.
 * nn_gan_create builds every discriminator of the course with it.
 * Check it with `make check EX=4`; stuck? `make hint EX=4`. */
#include "nn.h"

nn_model *nn_gan_build_discriminator(const nn_gan_arch *a, int max_batch, nn_error *err)
{
    /* TODO: like exercise 2, with D's layers (lib/gan/gan.h says which): for
     * each hidden width a linear layer, leaky ReLU (a->d_slope) and dropout
     * when a->d_dropout > 0; minibatch stddev if a->d_mbstd; a linear layer
     * to one logit. The input is a->pack samples side by side. */
    (void)a;
    (void)max_batch;
    nn_fail(err, NN_ERR_ARG, "exercise 4 (nn_gan_build_discriminator, "
            "exercises/04_build_discriminator.c) is not written yet: make hint EX=4");
    return NULL;
}
