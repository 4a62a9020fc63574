/* gan_penalty.c - WGAN-GP's gradient penalty as an option of the GAN step
 * (gan.h): its scratch, and the penalty at points between real and fake.
 * The penalty's maths is lib/nn/gradpen.c. */
#include "gan/gan_options.h"

nn_status nn_gan_penalty_setup(nn_gan *g, nn_error *err)
{
    if (g->cfg.gp_lambda <= 0.0f) return NN_OK;
    nn_gan_penalty_state *p = &g->penalty;
    nn_status s = nn_gradpen_init(&p->gp, g->D, err);
    if (s != NN_OK) return s;
    size_t b = (size_t)g->cfg.batch;
    p->interp = nn_alloc(b * (size_t)g->D->in, sizeof(float));
    p->eps = nn_alloc(b, sizeof(float));
    if (!p->interp || !p->eps)
        return nn_fail(err, NN_ERR_NOMEM, "nn_gan_create: out of memory for the gradient "
                       "penalty's points (batch %d); try a smaller batch", g->cfg.batch);
    return NN_OK;
}

void nn_gan_penalty_free(nn_gan_penalty_state *p)
{
    nn_gradpen_free(&p->gp);
    nn_free(p->interp);
    nn_free(p->eps);
    p->interp = p->eps = NULL;
}

float nn_gan_penalty(nn_gan *g, nn_model *D, const float *real)
{
    /* One uniform eps per D input (Gulrajani et al. 2017, Algorithm 1): the
     * penalty holds D's slope near 1 on the straight lines between the two
     * distributions. */
    nn_gan_penalty_state *p = &g->penalty;
    int b = g->cfg.batch;
    nn_rng_fill_uniform(&g->rng, p->eps, (size_t)b, 0.0f, 1.0f);
    nn_gradpen_interpolate(p->interp, real, g->fake, p->eps, b, D->in);
    return nn_gradpen_add(&p->gp, D, p->interp, b, g->cfg.gp_lambda, NULL);
}
