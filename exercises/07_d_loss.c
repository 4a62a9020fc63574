/* Exercise 7: the discriminator's loss, from logits. Every GAN of the course
 * with the minimax or non-saturating objective trains D on it (lib/nn/loss.h).
 * Check it with `make check EX=7`; stuck? `make hint EX=7`. */
#include "nn.h"

#include <math.h>

float nn_gan_d_loss(float *ds_real, float *ds_fake, const float *s_real, const float *s_fake,
                    int n_real, int n_fake, float real_label)
{
    /* TODO: L = mean over the real logits of the cross-entropy against
     * real_label (with label 1: -log D(x)) + mean over the fake logits of
     * -log(1 - D(G(z))), with D(x) = sigmoid(s), computed so that no logit
     * (even 1e4) gives inf or NaN. Write dL/ds_real and dL/ds_fake (=, not
     * +=) unless the pointer is NULL. Return L. */
    (void)ds_real;
    (void)ds_fake;
    (void)s_real;
    (void)s_fake;
    (void)n_real;
    (void)n_fake;
    (void)real_label;
    return 0.0f;
}
