/* Exercise 9: one GAN training step, D then G.
 * Check it with `make check EX=9` (after 1, 3, 5, 7 and 8 pass); stuck?
 * `make hint EX=9`. */
#include "exercises.h"

void gan_train_step(gan_trainer *t, const float *real, int batch, gan_step_stats *st)
{
    /* TODO: follow the order written above gan_train_step in exercises.h:
     * t->d_steps discriminator updates (sample z, generate, D on [real; fake]
     * as one batch, d loss, zero D's grads, D backward, Adam on D), then one
     * generator update on the last fake batch (D forward, g loss, D backward
     * frozen into t->dfake, zero G's grads, G backward, Adam on G). Fill st. */
    (void)t;
    (void)real;
    (void)batch;
    st->d_loss = st->g_loss = 0.0f;
    st->d_real = st->d_fake = 0.0f;
    st->d_grad_norm = st->g_grad_norm = 0.0f;
}
