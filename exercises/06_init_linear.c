/* Exercise 6: how one linear layer starts. nn_model_init calls it for every
 * linear layer of every model (lib/nn/init.h declares it).
 * Check it with `make check EX=6`; stuck? `make hint EX=6`. */
#include "nn.h"

void nn_init_linear(nn_rng *r, float *w, float *b, int in, int out, nn_init_kind kind,
                    float slope)
{
    /* TODO: fill w (out, in) and b (out) by kind. NN_INIT_NORMAL_002 is
     * DCGAN's: weights N(0, 0.02), biases 0. init.h has one function per
     * formula for the other kinds; only NN_INIT_TORCH draws the biases too. */
    (void)r;
    (void)w;
    (void)b;
    (void)in;
    (void)out;
    (void)kind;
    (void)slope;
}
