/* cycle.c - CycleGAN's networks' bookkeeping and its training step (cycle.h). */
#include "gan/cycle.h"

#include <string.h>

#include "nn/loss.h"

nn_cycle_config nn_cycle_config_default(void)
{
    nn_cycle_config c = {.lambda_cycle = 10.0f, .lambda_id = 5.0f, .lr_g = 2e-4f,
                         .lr_d = 2e-4f, .beta1 = 0.5f, .beta2 = 0.999f, .batch = 16};
    return c;
}

static nn_status check(const nn_model *G_ab, const nn_model *G_ba, const nn_model *D_a,
                       const nn_model *D_b, const nn_cycle_config *cfg, nn_error *err)
{
    if (!G_ab || !G_ba || !D_a || !D_b)
        return nn_fail(err, NN_ERR_ARG, "nn_cycle_create: a network is missing");
    if (!(cfg->batch >= 1) || !(cfg->lambda_cycle >= 0.0f) || !(cfg->lambda_id >= 0.0f) ||
        !(cfg->lr_g > 0.0f) || !(cfg->lr_d > 0.0f) || !(cfg->beta1 >= 0.0f && cfg->beta1 < 1.0f) ||
        !(cfg->beta2 >= 0.0f && cfg->beta2 < 1.0f))
        return nn_fail(err, NN_ERR_ARG,
                       "nn_cycle_create: batch %d (>= 1), lambdas %g and %g (>= 0), learning "
                       "rates %g and %g (> 0), betas %g and %g (in [0, 1)) are not a CycleGAN "
                       "configuration", cfg->batch, (double)cfg->lambda_cycle,
                       (double)cfg->lambda_id, (double)cfg->lr_g, (double)cfg->lr_d,
                       (double)cfg->beta1, (double)cfg->beta2);
    int dim = G_ab->in, b = cfg->batch;
    if (G_ab->out != dim || G_ba->in != dim || G_ba->out != dim || D_a->in != dim ||
        D_b->in != dim || D_a->out != D_b->out)
        return nn_fail(err, NN_ERR_SHAPE,
                       "nn_cycle_create: G_ab %d -> %d, G_ba %d -> %d, D_a %d -> %d, D_b %d -> "
                       "%d: the generators must map an image to one of the same size and "
                       "both discriminators read it and give as many scores",
                       G_ab->in, G_ab->out, G_ba->in, G_ba->out, D_a->in, D_a->out, D_b->in,
                       D_b->out);
    if (G_ab->max_batch < b || G_ba->max_batch < b || D_a->max_batch < b || D_b->max_batch < b)
        return nn_fail(err, NN_ERR_SHAPE,
                       "nn_cycle_create: a network takes fewer rows than the batch of %d", b);
    return NN_OK;
}

nn_cycle *nn_cycle_create(nn_model *G_ab, nn_model *G_ba, nn_model *D_a, nn_model *D_b,
                          const nn_cycle_config *cfg, nn_init_kind init, uint64_t seed,
                          nn_error *err)
{
    nn_cycle *c = NULL;
    if (check(G_ab, G_ba, D_a, D_b, cfg, err) != NN_OK) goto fail;
    c = nn_alloc(1, sizeof *c);
    if (!c) {
        nn_fail(err, NN_ERR_NOMEM, "nn_cycle_create: out of memory");
        goto fail;
    }
    c->G_ab = G_ab;
    c->G_ba = G_ba;
    c->D_a = D_a;
    c->D_b = D_b;
    G_ab = G_ba = D_a = D_b = NULL; /* owned by c from here on */
    c->cfg = *cfg;
    c->dim = c->G_ab->in;
    c->d_out = c->D_a->out;
    size_t B = (size_t)cfg->batch, X = B * (size_t)c->dim, S = B * (size_t)c->d_out;
    /* Two blocks: the images' rows and the scores' rows. */
    c->fake_a = nn_alloc(4 * X, sizeof(float));
    c->s_real = nn_alloc(3 * S, sizeof(float));
    if (!c->fake_a || !c->s_real) {
        nn_fail(err, NN_ERR_NOMEM, "nn_cycle_create: out of memory for a batch of %d images "
                "of %d values; try a smaller batch", cfg->batch, c->dim);
        goto fail;
    }
    c->fake_b = c->fake_a + X;
    c->dfake = c->fake_a + 2 * X;
    c->drec = c->fake_a + 3 * X;
    c->ds_real = c->s_real + S;
    c->ds_fake = c->s_real + 2 * S;

    /* One stream per network: another width in one does not move the
     * others' starting weights. */
    nn_model *nets[4] = {c->G_ab, c->G_ba, c->D_a, c->D_b};
    for (int i = 0; i < 4; i++) {
        nn_rng r;
        nn_rng_seed(&r, seed, (uint64_t)i + 1);
        nn_model_init(nets[i], &r, init);
    }
    c->opt_g = (nn_adam){.lr = cfg->lr_g, .beta1 = cfg->beta1, .beta2 = cfg->beta2,
                         .eps = 1e-8f, .weight_decay = 0.0f};
    c->opt_d = c->opt_g;
    c->opt_d.lr = cfg->lr_d;
    return c;

fail:
    nn_model_free(G_ab);
    nn_model_free(G_ba);
    nn_model_free(D_a);
    nn_model_free(D_b);
    nn_cycle_free(c);
    return NULL;
}

void nn_cycle_free(nn_cycle *c)
{
    if (!c) return;
    nn_model_free(c->G_ab);
    nn_model_free(c->G_ba);
    nn_model_free(c->D_a);
    nn_model_free(c->D_b);
    nn_free(c->fake_a);
    nn_free(c->s_real);
    nn_free(c);
}

/* One direction of the generators' loss: x -> fake = G(x), judged by D
 * (frozen), and back, rec = F(fake), against x. fake is kept in `fake`;
 * G's and F's parameter gradients are added to. Returns the adversarial loss
 * in *adv and the cycle loss in *cyc. */
static void one_way(nn_cycle *c, nn_model *G, nn_model *F, nn_model *D, const float *x,
                    float *fake, float *adv, float *cyc)
{
    int b = c->cfg.batch, m = b * c->d_out;
    size_t X = (size_t)b * (size_t)c->dim;
    memcpy(fake, nn_model_forward(G, x, b, 1), X * sizeof(float));

    /* The paper's generator loss is the mean squared error of D's scores
     * against 1: twice loss.h's L_G, which carries Mao et al.'s 1/2. */
    const float *s = nn_model_forward(D, fake, b, 1);
    *adv = 2.0f * nn_lsgan_g_loss(c->ds_fake, s, m);
    for (int i = 0; i < m; i++) c->ds_fake[i] *= 2.0f;
    memset(c->dfake, 0, X * sizeof(float));
    nn_model_backward(D, c->dfake, c->ds_fake, b, 0); /* D frozen: into fake only */

    *cyc = 0.0f;
    if (c->cfg.lambda_cycle > 0.0f) {
        /* The way back: F learns to reconstruct, and its input gradient
         * adds the cycle's pull to what D asked of the fake. */
        const float *rec = nn_model_forward(F, fake, b, 1);
        *cyc = nn_cycle_loss(c->drec, rec, x, (int)X, c->cfg.lambda_cycle); /* exercise 25 */
        nn_model_backward(F, c->dfake, c->drec, b, 1);
    }
    /* G's activations are still those of fake = G(x): G has not run since. */
    nn_model_backward(G, NULL, c->dfake, b, 1);
}

/* The identity loss of G on an image y of its own target domain. */
static float identity(nn_cycle *c, nn_model *G, const float *y)
{
    int b = c->cfg.batch;
    size_t X = (size_t)b * (size_t)c->dim;
    const float *out = nn_model_forward(G, y, b, 1);
    float l = nn_cycle_loss(c->drec, out, y, (int)X, c->cfg.lambda_id); /* exercise 25 */
    nn_model_backward(G, NULL, c->drec, b, 1);
    return l;
}

float nn_cycle_g_grads(nn_cycle *c, const float *a, const float *b, nn_cycle_stats *st)
{
    nn_model_zero_grad(c->G_ab);
    nn_model_zero_grad(c->G_ba);
    one_way(c, c->G_ab, c->G_ba, c->D_b, a, c->fake_b, &st->adv_ab, &st->cyc_a);
    one_way(c, c->G_ba, c->G_ab, c->D_a, b, c->fake_a, &st->adv_ba, &st->cyc_b);
    st->id_a = st->id_b = 0.0f;
    if (c->cfg.lambda_id > 0.0f) {
        st->id_b = identity(c, c->G_ab, b);
        st->id_a = identity(c, c->G_ba, a);
    }
    st->g_loss = st->adv_ab + st->adv_ba + st->cyc_a + st->cyc_b + st->id_a + st->id_b;
    return st->g_loss;
}

float nn_cycle_d_update(nn_cycle *c, nn_model *D, const float *real, const float *fake)
{
    int b = c->cfg.batch, m = b * c->d_out;
    /* Real and fake one after the other, as D(real) and D(fake.detach()) in
     * PyTorch: a batchnorm sees one kind at a time. D keeps only its last
     * forward's activations, so the real half goes back first. */
    nn_model_zero_grad(D);
    const float *s = nn_model_forward(D, real, b, 1);
    memcpy(c->s_real, s, (size_t)m * sizeof(float));
    nn_lsgan_d_loss(c->ds_real, NULL, c->s_real, c->s_real, m, m);
    nn_model_backward(D, NULL, c->ds_real, b, 1);
    s = nn_model_forward(D, fake, b, 1);
    float loss = nn_lsgan_d_loss(NULL, c->ds_fake, c->s_real, s, m, m);
    nn_model_backward(D, NULL, c->ds_fake, b, 1);
    nn_model_adam_step(D, &c->opt_d);
    return loss;
}

void nn_cycle_step(nn_cycle *c, const float *a, const float *b, nn_cycle_stats *st)
{
    nn_cycle_g_grads(c, a, b, st);
    nn_model_adam_step(c->G_ab, &c->opt_g);
    nn_model_adam_step(c->G_ba, &c->opt_g);
    /* The discriminators learn from the fakes the generators just made. */
    st->d_b = nn_cycle_d_update(c, c->D_b, b, c->fake_b);
    st->d_a = nn_cycle_d_update(c, c->D_a, a, c->fake_a);
    c->steps++;
}
