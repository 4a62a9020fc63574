/* Exercise 1: the latent vectors the generator turns into images.
 * Check it with `make check EX=1`; stuck? `make hint EX=1`. */
#include "exercises.h"

void gan_sample_latent(float *z, int batch, int dim, nn_rng *rng)
{
    /* TODO: fill z[0 .. batch*dim) with N(0, 1) samples from rng, one call
     * of nn_rng_normal per element, in order (row 0 first). */
    (void)z;
    (void)batch;
    (void)dim;
    (void)rng;
}
