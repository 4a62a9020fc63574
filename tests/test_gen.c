/* test_gen.c - lib/gen/: the VAE (its whole loss's gradient by central
 * differences, with one fixed draw of eps; its bound on a case by hand),
 * the diffusion model (the schedule, the time embedding, training lowers
 * the loss), and the autoregressive mixture model (the mixture's -log p
 * and its gradient by hand, against torch and by central differences; the
 * model's density integrating to 1 over the plane; training on the ring). */
#include "testutil.h"

#include <math.h>
#include <string.h>

#include "gen/armix.h"
#include "gen/ddpm.h"
#include "gen/vae.h"
#include "data/toy.h"

#define LOG_2PI 1.8378770664093453

/* ------------------------------------------------------------------ the VAE */

static nn_vae *small_vae(nn_vae_likelihood lik, float beta)
{
    nn_vae_config c = nn_vae_config_images();
    c.in = 5;
    c.code = 2;
    c.hidden = 6;
    c.layers = 2;
    c.lik = lik;
    c.sigma_x = 0.5f;
    c.beta = beta;
    c.max_batch = 4;
    nn_vae *v = nn_vae_create(&c, 7, NULL);
    assert_non_null(v);
    return v;
}

/* The loss's gradient with respect to parameters of both halves against
 * central differences of nn_vae_evaluate's terms, the same eps drawn each
 * time (the rng seeded alike): the reparameterisation, the KL, the
 * reconstruction and both backward passes together. */
static void check_vae_gradient(nn_vae_likelihood lik, float beta)
{
    nn_vae *v = small_vae(lik, beta);
    float x[20];
    for (int i = 0; i < 20; i++)
        x[i] = lik == NN_VAE_BERNOULLI ? (float)(0.5 + 0.45 * sin(1.7 * i)) : (float)cos(0.9 * i);
    nn_rng r;
    nn_rng_seed(&r, 11, 0);
    nn_vae_loss_backward(v, x, 4, &r, NULL);
    nn_model *halves[2] = {v->enc, v->dec};
    for (int h = 0; h < 2; h++) {
        nn_model *m = halves[h];
        assert_not_all_zero(m->grads, m->n_params);
        for (size_t p = 0; p < m->n_params; p += 7) {
            float keep = m->params[p];
            double L[2];
            for (int s = 0; s < 2; s++) {
                m->params[p] = keep + (s ? -1e-2f : 1e-2f);
                nn_rng_seed(&r, 11, 0);
                nn_vae_terms t = nn_vae_evaluate(v, x, 4, &r);
                L[s] = (double)t.recon + beta * (double)t.kl;
            }
            m->params[p] = keep;
            double num = (L[0] - L[1]) / 2e-2;
            assert_close(m->grads[p], num, 2e-2 * (1.0 + fabs(num)));
        }
    }
    nn_vae_free(v);
}

static void test_vae_gradient_bernoulli(void **state)
{
    (void)state;
    check_vae_gradient(NN_VAE_BERNOULLI, 1.0f);
}

static void test_vae_gradient_gaussian_beta(void **state)
{
    (void)state;
    check_vae_gradient(NN_VAE_GAUSSIAN, 3.0f);
}

/* The Gaussian reconstruction term by hand: a decoder whose weights are all
 * zero outputs its last biases b, so -log p(x | z) = sum_j (x_j - b_j)^2 /
 * (2 s^2) + in (log s + log(2 pi) / 2) whatever z is. */
static void test_vae_gaussian_recon_by_hand(void **state)
{
    (void)state;
    nn_vae *v = small_vae(NN_VAE_GAUSSIAN, 1.0f);
    nn_model *d = v->dec;
    memset(d->params, 0, d->n_params * sizeof(float));
    nn_layer *last = &d->layers[d->n_layers - 1];
    for (int j = 0; j < 5; j++) last->b[j] = 0.1f * (float)j;
    const float x[5] = {1, 0, 0, 0, 0};
    nn_rng r;
    nn_rng_seed(&r, 1, 0);
    nn_vae_terms t = nn_vae_evaluate(v, x, 1, &r);
    double sq = 1.0 + 0.01 + 0.04 + 0.09 + 0.16;
    assert_close(t.recon, sq / (2 * 0.25) + 5 * (log(0.5) + 0.5 * LOG_2PI), 1e-4);
    nn_vae_free(v);
}

/* ------------------------------------------------------------------ the DDPM */

static void test_ddpm_schedule_and_embedding(void **state)
{
    (void)state;
    nn_ddpm_config c = nn_ddpm_config_default();
    nn_ddpm *d = nn_ddpm_create(&c, 1, NULL);
    assert_non_null(d);
    /* beta linear from 1e-4 to 0.1; abar the running product of 1 - beta. */
    assert_close(d->beta[0], 1e-4, 1e-9);
    assert_close(d->beta[c.T - 1], 0.1, 1e-7);
    assert_close(d->beta[49], 1e-4 + (0.1 - 1e-4) * 49.0 / 99.0, 1e-7);
    double prod = 1.0;
    for (int t = 0; t < c.T; t++) {
        prod *= 1.0 - (1e-4 + (0.1 - 1e-4) * t / 99.0);
        assert_close(d->abar[t], prod, 1e-6);
    }
    assert_true(d->abar[c.T - 1] < 0.01f);   /* x_T is close to N(0, I) */
    /* The embedding: sin and cos of t at frequencies 1 .. 1/1000. */
    float e[16];
    nn_ddpm_embed(e, 3, 16);
    assert_close(e[0], sin(3.0), 1e-6);
    assert_close(e[8], cos(3.0), 1e-6);
    assert_close(e[7], sin(3.0 / 1000.0), 1e-6);
    assert_close(e[15], cos(3.0 / 1000.0), 1e-6);
    nn_ddpm_free(d);
    /* A bad schedule is refused with a message. */
    c.beta_T = 1.0f;
    nn_error err;
    assert_null(nn_ddpm_create(&c, 1, &err));
    assert_int_equal(err.code, NN_ERR_ARG);
}

/* 400 steps on the ring lower the simple loss from the untrained network's
 * (about dim = 2: predicting 0 for noise of variance 1 per number). */
static void test_ddpm_training_lowers_the_loss(void **state)
{
    (void)state;
    nn_error err;
    nn_toy ring;
    assert_int_equal(nn_toy_ring(&ring, 8, 2.0f, 0.02f, &err), NN_OK);
    nn_ddpm_config c = nn_ddpm_config_default();
    c.hidden = 32;
    c.max_batch = 64;
    c.scale = 1.414f;
    nn_ddpm *d = nn_ddpm_create(&c, 2, NULL);
    assert_non_null(d);
    nn_rng r;
    nn_rng_seed(&r, 3, 0);
    float x[128];
    double first = 0.0, last = 0.0;
    for (int s = 0; s < 400; s++) {
        nn_toy_sample(&ring, &r, x, NULL, 64);
        float l = nn_ddpm_train_step(d, x, 64, &r);
        assert_true(isfinite(l));
        if (s < 20) first += l / 20.0;
        if (s >= 380) last += l / 20.0;
    }
    assert_true(first > 1.5 && first < 3.0);
    assert_true(last < 0.8 * first);
    float smp[20];
    nn_ddpm_sample(d, smp, 10, &r);
    for (int i = 0; i < 20; i++) assert_true(isfinite(smp[i]));
    nn_ddpm_free(d);
}

/* The skip adds sqrt(1 - abar_t) x_t to the same network's output, for
 * points of any dim: two models from one seed differ by exactly that, and
 * with every weight zero the skip's prediction is that term alone. */
static void test_ddpm_skip_adds_the_linear_guess(void **state)
{
    (void)state;
    nn_ddpm_config c = nn_ddpm_config_default();
    c.dim = 5;
    c.hidden = 8;
    c.max_batch = 3;
    nn_ddpm *plain = nn_ddpm_create(&c, 4, NULL);
    c.skip = 1;
    nn_ddpm *skip = nn_ddpm_create(&c, 4, NULL);
    assert_non_null(plain);
    assert_non_null(skip);
    float xt[15], a[15], b[15];
    for (int i = 0; i < 15; i++) xt[i] = 0.3f * (float)(i % 7) - 0.8f;
    const int t = 40;
    const double s = sqrt(1.0 - skip->abar[t - 1]);
    nn_ddpm_predict(plain, a, xt, t, 3);
    nn_ddpm_predict(skip, b, xt, t, 3);
    double net = 0.0;
    for (int i = 0; i < 15; i++) {
        assert_close(b[i] - a[i], s * xt[i], 1e-6);
        net += fabs(a[i]);
    }
    assert_true(net > 1e-3);       /* the network's share is not zero by accident */
    memset(skip->net->params, 0, skip->net->n_params * sizeof(float));
    nn_ddpm_predict(skip, b, xt, t, 3);
    for (int i = 0; i < 15; i++) assert_close(b[i], s * xt[i], 1e-7);
    nn_ddpm_free(plain);
    nn_ddpm_free(skip);
}

/* ------------------------------------------------------------------ the mixtures */

/* tests/reference/gen_models.py: torch.distributions.MixtureSameFamily's
 * -log p and torch.autograd's gradient of their sum. */
static const float mix_params[27] = {0.0f, 1.0f, -1.0f, -1.0f, 0.5f, 2.0f, 0.0f, -1.0f, 0.5f,
    2.0f, 0.0f, 0.0f, 0.3f, 0.0f, -0.3f, -2.0f, -2.0f, 1.0f, 0.5f, -0.5f, 0.1f, 1.5f, -1.5f, 0.0f,
    0.2f, -0.4f, -3.0f};
static const float mix_x[3] = {0.4f, -0.1f, 1.2f};
static const float mix_nll[3] = {0.299539906f, 1.23150888f, 1.86091011f};
/* (two entries of 1e-86, below float, written as 0) */
static const float mix_dparams[27] = {0.195288922f, -0.26696428f, 0.071675358f, -0.0692153683f,
    0.67957841f, 0.0108223624f, -0.0474619669f, 0.846846916f, 0.00103415008f, 0.638990815f,
    -0.691724066f, 0.052733251f, 2.90877165f, 3.92220728f, -0.00147527202f, -0.936925725f,
    0.374590328f, 0.0524019511f, -0.509162391f, 0.180283864f, 0.328878527f, 0.201075963f,
    -0.00125177435f, 0.0f, 0.938702216f, -0.00316095881f, 0.0f};

static void test_mix_by_hand(void **state)
{
    (void)state;
    /* k = 1, m = 0, ls = 0: a standard normal: -log p(0) = log(2 pi) / 2,
     * -log p(1) = 1/2 + log(2 pi) / 2, d/dm = -(x - m) = -1, d/dls = -(x^2 - 1) = 0.
     * k = 2 with equal logits and the same component twice: the same density. */
    const float p1[3] = {0, 0, 0}, p2[6] = {0.3f, 0.3f, 0, 0, 0, 0};
    float x = 1.0f, nll, d[3] = {0, 0, 0};
    double s = nn_mix1d_nll(&nll, d, p1, &x, 1, 1, 1.0f);
    assert_close(s, 0.5 + 0.5 * LOG_2PI, 1e-6);
    assert_close(nll, s, 1e-6);
    assert_close(d[0], 0.0, 1e-7);
    assert_close(d[1], -1.0, 1e-6);
    assert_close(d[2], 0.0, 1e-6);
    assert_close(nn_mix1d_nll(NULL, NULL, p2, &x, 1, 2, 0.0f), 0.5 + 0.5 * LOG_2PI, 1e-6);
}

static void test_mix_against_torch(void **state)
{
    (void)state;
    float nll[3], d[27];
    memset(d, 0, sizeof d);
    double s = nn_mix1d_nll(nll, d, mix_params, mix_x, 3, 3, 1.0f);
    assert_rel_close(nll, mix_nll, 3, 1e-5);
    assert_close(s, (double)mix_nll[0] + mix_nll[1] + mix_nll[2], 1e-5);
    assert_rel_close(d, mix_dparams, 27, 1e-5);
    /* And by central differences of the sum. */
    float p[27];
    memcpy(p, mix_params, sizeof p);
    for (int i = 0; i < 27; i++) {
        float keep = p[i];
        p[i] = keep + 1e-3f;
        double up = nn_mix1d_nll(NULL, NULL, p, mix_x, 3, 3, 0.0f);
        p[i] = keep - 1e-3f;
        double down = nn_mix1d_nll(NULL, NULL, p, mix_x, 3, 3, 0.0f);
        p[i] = keep;
        assert_close(d[i], (up - down) / 2e-3, 2e-3);
    }
}

/* The model's density, exact, integrates to 1 over the plane (a Riemann
 * sum over [-10, 10]^2 with steps of 0.05), after 300 and 600 steps (the
 * untrained model's widest components reach beyond any small square). */
static void test_armix_density_integrates_to_one(void **state)
{
    (void)state;
    nn_error err;
    nn_toy ring;
    assert_int_equal(nn_toy_ring(&ring, 8, 2.0f, 0.2f, &err), NN_OK);
    nn_armix_config c = nn_armix_config_default();
    c.scale = 1.414f;
    c.max_batch = 128;
    nn_armix *a = nn_armix_create(&c, 4, NULL);
    assert_non_null(a);
    nn_rng r;
    nn_rng_seed(&r, 5, 0);
    float x[256];
    for (int round = 0; round < 2; round++) {
        for (int s = 0; s < 300; s++) {   /* train, then integrate; twice */
            nn_toy_sample(&ring, &r, x, NULL, 128);
            assert_true(isfinite(nn_armix_train_step(a, x, 128)));
        }
        const int n = 400;
        const double h = 20.0 / n;
        double mass = 0.0;
        float row[2 * 400], lp[400];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                row[2 * j] = (float)(-10.0 + (i + 0.5) * h);
                row[2 * j + 1] = (float)(-10.0 + (j + 0.5) * h);
            }
            nn_armix_log_prob(a, lp, row, n);
            for (int j = 0; j < n; j++) mass += exp((double)lp[j]) * h * h;
        }
        assert_close(mass, 1.0, 2e-2);
    }
    /* Training moved the held-out likelihood above a single broad guess's. */
    float held[2000];
    nn_toy_sample(&ring, &r, held, NULL, 1000);
    assert_true(nn_armix_mean_log_prob(a, held, 1000) > -3.5);
    nn_armix_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vae_gradient_bernoulli),
        cmocka_unit_test(test_vae_gradient_gaussian_beta),
        cmocka_unit_test(test_vae_gaussian_recon_by_hand),
        cmocka_unit_test(test_ddpm_schedule_and_embedding),
        cmocka_unit_test(test_ddpm_training_lowers_the_loss),
        cmocka_unit_test(test_ddpm_skip_adds_the_linear_guess),
        cmocka_unit_test(test_mix_by_hand),
        cmocka_unit_test(test_mix_against_torch),
        cmocka_unit_test(test_armix_density_integrates_to_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
