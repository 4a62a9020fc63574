/* Exercise 6: DCGAN's initialisation, N(0, 0.02) weights and zero biases.
 * Check it with `make check EX=6`; stuck? `make hint EX=6`. */
#include "exercises.h"

void gan_init_weights(nn_model *m, nn_rng *rng)
{
    /* TODO: for each layer of m, in order: a LINEAR layer gets its weights
     * l->w (out * in numbers) from N(0, 0.02) (nn_init_normal with rng) and
     * its biases l->b set to 0; a BATCHNORM layer gets gamma (l->w) 1 and
     * beta (l->b) 0. */
    (void)m;
    (void)rng;
}
