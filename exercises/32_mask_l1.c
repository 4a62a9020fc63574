/* Exercise 32: the inpainting generator's input and Pix2Pix's L1 loss
 * (lib/gan/pix2pix.h declares them; lesson 19 trains with them: the input
 * for every batch of inpainting, the loss in every generator step, over the
 * hidden pixels or over every pixel).
 * Check it with `make check EX=32`; stuck? `make hint EX=32`. */
#include "nn.h"

#include <math.h>
#include <string.h>

void nn_mask_input(float *out, const float *x, const float *mask, int n, int hw)
{
    /* TODO: image i of out is 2 hw numbers: first image i of x with the
     * pixels its mask hides (mask 1) set to 0 and the others kept, then
     * the mask itself. */
    (void)x;
    (void)mask;
    memset(out, 0, (size_t)n * 2 * (size_t)hw * sizeof(float));
}

float nn_l1_loss(float *dp, const float *p, const float *t, const float *mask, int n,
                 float lambda)
{
    /* TODO: return lambda times the mean of |p_i - t_i| over the pixels the
     * mask counts (mask NULL: every pixel; each pixel weighs m_i), 0 when it
     * counts none, and ADD (+=) dL/dp_i into dp unless dp is NULL. */
    (void)dp;
    (void)p;
    (void)t;
    (void)mask;
    (void)n;
    (void)lambda;
    return 0.0f;
}
