/* Exercise 9: one GAN training step, D then G. Every GAN of the course but
 * CycleGAN's (lessons 06, 08 to 14, 16 and 17), the benchmark and the tests
 * train through these functions (lib/gan/gan.h).
 * Check it with `make check EX=9`; stuck? `make hint EX=9`. */
#include "nn.h"

#include <string.h>

float nn_gan_d_update(nn_gan *g, nn_model *D, const float *real, nn_gan_stats *st)
{
    /* TODO: one update of discriminator D (not always g->D: unrolling
     * passes a copy). Fresh fakes (exercise 1, then G in train mode on the
     * rows nn_gan_g_input gives, kept with nn_gan_keep_fakes); D's gradients
     * zeroed (D's output rows are D->out wide: column 0 is the logit); D on the real batch, then on the
     * fakes, each followed by its backward (nn_gan_d_objective gives the
     * gradients; D keeps only its last forward's activations; D reads
     * each batch through nn_gan_d_input); the penalty when
     * g->cfg.gp_lambda > 0; st's D fields; nn_gan_d_optimize on D. Return
     * D's loss. */
    (void)g;
    (void)D;
    (void)real;
    st->d_loss = st->d_real = st->d_fake = st->d_grad_norm = 0.0f;
    return 0.0f;
}

float nn_gan_g_update(nn_gan *g, nn_model *D, nn_gan_stats *st)
{
    /* TODO: D judges g->fake again (through nn_gan_d_input), frozen; G's
     * loss (nn_gan_g_objective); the gradient back through D into g->dfake
     * only, then through G (it reads nn_gan_fake_grad); nn_gan_g_optimize.
     * Fill st->g_grad_norm (when g->cfg.grad_norms, else -1); return G's
     * loss. */
    (void)g;
    (void)D;
    st->g_grad_norm = 0.0f;
    return 0.0f;
}

void nn_gan_step(nn_gan *g, const float *real, nn_gan_stats *st)
{
    /* TODO: g->cfg.d_steps D updates, the k-th on real batch k; unrolling
     * when g->cfg.unroll > 0 (lib/gan/gan.h); then one G update. */
    (void)g;
    (void)real;
    (void)st;
}
