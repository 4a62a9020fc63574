/* Exercise 19: the rows a conditioned network reads. A conditional GAN's G
 * reads [z, one-hot(y)] and its D reads [x, one-hot(y)]; InfoGAN's G reads
 * its categorical code the same way (lib/gan/gan.h declares it; the training
 * step and lesson 12 call it for every batch).
 * Check it with `make check EX=19`; stuck? `make hint EX=19`. */
#include "nn.h"

void nn_gan_condition(float *out, const float *x, const int *y, int n, int dim, int k)
{
    /* TODO: for each of the n rows, write into out (n, dim + k) the row of
     * x (dim numbers) followed by k numbers that are all 0 except a 1 in
     * the place of the row's label y[i] (a one-hot vector). out may hold
     * anything before the call. */
    (void)out;
    (void)x;
    (void)y;
    (void)n;
    (void)dim;
    (void)k;
}
