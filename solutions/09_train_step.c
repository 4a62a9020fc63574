/* Exercise 9: one GAN training step, D then G. */
#include "exercises.h"

#include <string.h>

/* The discriminator's loss of t->loss on n real and n fake logits; writes
 * dL/ds into ds_real and ds_fake. */
static float d_loss(gan_trainer *t, const float *s_real, const float *s_fake, int n)
{
    switch (t->loss) {
    case GAN_LOSS_LSGAN:
        return nn_lsgan_d_loss(t->ds_real, t->ds_fake, s_real, s_fake, n, n);
    case GAN_LOSS_HINGE:
        return nn_hinge_d_loss(t->ds_real, t->ds_fake, s_real, s_fake, n, n);
    case GAN_LOSS_NONSAT:
    case GAN_LOSS_MINIMAX:
        break;
    }
    /* Your own loss for the plain case; the library's for label smoothing,
     * which gan_d_loss does not take. */
    if (t->real_label == 1.0f) return gan_d_loss(t->ds_real, t->ds_fake, s_real, s_fake, n);
    return nn_gan_d_loss(t->ds_real, t->ds_fake, s_real, s_fake, n, n, t->real_label);
}

/* The generator's loss of t->loss on D's logits for the fakes; writes ds_fake. */
static float g_loss(gan_trainer *t, const float *s_fake, int n)
{
    switch (t->loss) {
    case GAN_LOSS_MINIMAX: return nn_gan_g_loss_minimax(t->ds_fake, s_fake, n);
    case GAN_LOSS_LSGAN:   return nn_lsgan_g_loss(t->ds_fake, s_fake, n);
    case GAN_LOSS_HINGE:   return nn_hinge_g_loss(t->ds_fake, s_fake, n);
    case GAN_LOSS_NONSAT:  break;
    }
    return gan_g_loss(t->ds_fake, s_fake, n);
}

void gan_train_step(gan_trainer *t, const float *real, int batch, gan_step_stats *st)
{
    size_t B = (size_t)batch, I = (size_t)t->image_dim;
    size_t img = B * I; /* floats in one batch of images */

    /* ---- the discriminator: d_steps updates, each on a fresh fake batch */
    for (int k = 0; k < t->d_steps; k++) {
        gan_sample_latent(t->z, batch, t->latent_dim, &t->rng);
        const float *fake = gan_generate(t->G, t->z, batch, 1);
        memcpy(t->fake, fake, img * sizeof(float));

        /* Real rows then fake rows, one forward: D keeps the activations of
         * its last forward only, and the backward below needs both halves. */
        memcpy(t->d_in, real + (size_t)k * img, img * sizeof(float));
        memcpy(t->d_in + img, t->fake, img * sizeof(float));
        const float *s = gan_discriminate(t->D, t->d_in, 2 * batch, 1, NULL);
        memcpy(t->s_real, s, B * sizeof(float));
        memcpy(t->s_fake, s + B, B * sizeof(float));

        st->d_loss = d_loss(t, t->s_real, t->s_fake, batch);
        memcpy(t->ds, t->ds_real, B * sizeof(float));
        memcpy(t->ds + B, t->ds_fake, B * sizeof(float));

        /* No gradient for the input: G is not trained by this loss (in
         * PyTorch, fake.detach()). */
        nn_model_zero_grad(t->D);
        nn_model_backward(t->D, NULL, t->ds, 2 * batch, 1);
        st->d_grad_norm = nn_norm2(t->D->grads, t->D->n_params);
        nn_model_adam_step(t->D, &t->opt_d);

        double dr = 0.0, df = 0.0;
        for (int i = 0; i < batch; i++) {
            dr += nn_sigmoidf(t->s_real[i]);
            df += nn_sigmoidf(t->s_fake[i]);
        }
        st->d_real = (float)(dr / batch);
        st->d_fake = (float)(df / batch);
    }

    /* ---- the generator, on the last fake batch: G's activations for it are
     * still in G, so no second G forward is needed. D has just been updated
     * and is judged again, frozen: its gradient flows to the fake pixels
     * only (param_grads 0), then on through G. */
    const float *s = gan_discriminate(t->D, t->fake, batch, 1, NULL);
    st->g_loss = g_loss(t, s, batch);
    memset(t->dfake, 0, img * sizeof(float));
    nn_model_backward(t->D, t->dfake, t->ds_fake, batch, 0);
    nn_model_zero_grad(t->G);
    nn_model_backward(t->G, NULL, t->dfake, batch, 1);
    st->g_grad_norm = nn_norm2(t->G->grads, t->G->n_params);
    nn_model_adam_step(t->G, &t->opt_g);
}
