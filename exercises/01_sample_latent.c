/* Exercise 1: the latent vectors the generator turns into samples.
 * Every GAN of the course draws its z here (lib/gan/gan.h declares it).
 * Check it with `make check EX=1`; stuck? `make hint EX=1`. */
#include "nn.h"

void nn_sample_latent(float *z, int batch, int dim, nn_rng *rng)
{
    /* TODO: fill z (batch rows of dim floats, row after row) with samples of
     * N(0, 1) drawn from rng (rng.h has what you need). */
    (void)z;
    (void)batch;
    (void)dim;
    (void)rng;
}
