/* Exercise 9: one GAN training step, D then G. Every GAN of the course but
 * CycleGAN's (lessons 06, 08 to 14, 16 and 17), the benchmark and the tests
 * train through these three functions (lib/gan/gan.h). */
#include "nn.h"

#include <string.h>

float nn_gan_d_update(nn_gan *g, nn_model *D, const float *real, nn_gan_stats *st)
{
    int b = g->cfg.batch;           /* D inputs */
    int n = b * g->arch.pack;       /* samples: pack of them make one D input */
    int w = D->out;                 /* D's outputs per input: 1, the logit (InfoGAN: + Q's) */

    /* Fresh fakes. G runs in train mode and keeps its activations: the G
     * update after the last D update goes back through them. A steered G
     * reads the label or codes it is asked for beside z (nn_gan_g_input),
     * and a conditional D reads the label beside the fake (nn_gan_keep_fakes). */
    nn_sample_latent(g->z, n, g->arch.latent_dim, &g->rng);
    const float *fake = nn_model_forward(g->G, nn_gan_g_input(g), n, 1);
    nn_gan_keep_fakes(g, fake);

    /* Real and fake go through D one after the other, as D(real) and
     * D(fake.detach()) in PyTorch: a batchnorm or minibatch-stddev layer must
     * see one kind at a time. D keeps only its last forward's activations,
     * so the real half goes back first; each half's gradient depends on its
     * own logits only (the other half's output lands in ds_unused). */
    nn_model_zero_grad(D);
    const float *s = nn_model_forward(D, nn_gan_d_input(g, real), b, 1);
    memcpy(g->s_real, s, (size_t)b * (size_t)w * sizeof(float));
    nn_gan_d_objective(g, g->ds_real, g->ds_unused, g->s_real, g->s_real, b);
    nn_model_backward(D, NULL, g->ds_real, b, 1);

    /* No gradient into the fakes: this loss does not train G. */
    const float *s_fake = nn_model_forward(D, nn_gan_d_input(g, g->fake), b, 1);
    float loss = nn_gan_d_objective(g, g->ds_unused, g->ds_fake, g->s_real, s_fake, b);
    nn_model_backward(D, NULL, g->ds_fake, b, 1);

    /* What D thinks, before it learns from this batch (read now: the
     * penalty below runs D again, over this output). */
    double dr = 0.0, df = 0.0;
    for (int i = 0; i < b; i++) {
        dr += nn_sigmoidf(g->s_real[(size_t)i * w]);
        df += nn_sigmoidf(s_fake[(size_t)i * w]);
    }
    st->d_real = (float)(dr / b);
    st->d_fake = (float)(df / b);

    if (g->cfg.gp_lambda > 0.0f) loss += nn_gan_penalty(g, D, real);
    /* Only when asked: it reads every parameter's gradient once more. */
    st->d_grad_norm = g->cfg.grad_norms ? nn_norm2(D->grads, D->n_params) : -1.0f;

    nn_gan_d_optimize(g, D); /* Adam or RMSProp, then clipping if asked */
    return loss;
}

float nn_gan_g_update(nn_gan *g, nn_model *D, nn_gan_stats *st)
{
    int b = g->cfg.batch, n = b * g->arch.pack;

    /* D judges the fakes again, after its update, and stays frozen
     * (param_grads 0): its gradient flows into the fake samples only. */
    const float *s = nn_model_forward(D, nn_gan_d_input(g, g->fake), b, 1);
    float loss = nn_gan_g_objective(g, g->ds_fake, s, b);
    memset(g->dfake, 0, (size_t)b * (size_t)D->in * sizeof(float));
    nn_model_backward(D, g->dfake, g->ds_fake, b, 0);

    /* ... and on through G, whose activations are those of these fakes (a
     * conditional D's label columns are not G's: nn_gan_fake_grad). */
    nn_model_zero_grad(g->G);
    nn_model_backward(g->G, NULL, nn_gan_fake_grad(g), n, 1);
    st->g_grad_norm = g->cfg.grad_norms ? nn_norm2(g->G->grads, g->G->n_params) : -1.0f;
    nn_gan_g_optimize(g);
    return loss;
}

void nn_gan_step(nn_gan *g, const float *real, nn_gan_stats *st)
{
    size_t rows = (size_t)g->cfg.batch * (size_t)g->D->in; /* floats in one real batch */

    for (int k = 0; k < g->cfg.d_steps; k++)
        st->d_loss = nn_gan_d_update(g, g->D, real + (size_t)k * rows, st);

    /* Unrolling: G answers the D that k more updates would make, taken on
     * a copy so D itself keeps its state (first-order: G's gradient does not
     * flow back through those updates). */
    nn_model *judge = g->D;
    if (g->cfg.unroll > 0) {
        nn_gan_stats ahead;
        judge = nn_gan_unroll_start(g);
        for (int k = 0; k < g->cfg.unroll; k++)
            nn_gan_d_update(g, judge, real + (size_t)(g->cfg.d_steps + k) * rows, &ahead);
    }

    st->g_loss = nn_gan_g_update(g, judge, st);
    g->steps++;
}
