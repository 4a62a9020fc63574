/* Exercise 9: gan_train_step. From the same seeds, the student's step and a
 * step composed here from library calls (the flow written in exercises.h)
 * must leave the same parameters, gradients and statistics, for the
 * non-saturating loss, the minimax loss with 2 D updates, and one-sided
 * label smoothing. The trainers are built here from lib/, so this test
 * needs exercises 1, 3, 5, 7 and 8 (which the step calls), not 2, 4 or 6. */
#define EX_NUM 9
#define EX_FUNC "gan_train_step"
#include "exercise_util.h"
#include "exercises.h"

#include <stdlib.h>
#include <string.h>

enum { LAT = 3, IMG = 5, B = 4 };

static void *zalloc(size_t n)
{
    void *p = calloc(n, 1);
    assert_non_null(p);
    return p;
}

/* G: 3 -> linear 4 -> batchnorm -> leaky ReLU -> linear 5 -> tanh;
 * D: 5 -> linear 6 -> leaky ReLU -> linear 1; N(0, 0.2) weights so the
 * gradients are far from zero. */
static gan_trainer *make_trainer(gan_loss_kind loss, int d_steps, float real_label)
{
    const nn_layer_spec gs[] = {
        {NN_LAYER_LINEAR, 4, 0.0f}, {NN_LAYER_BATCHNORM, 0, 0.0f},
        {NN_LAYER_LEAKY_RELU, 0, 0.2f}, {NN_LAYER_LINEAR, IMG, 0.0f},
        {NN_LAYER_TANH, 0, 0.0f},
    };
    const nn_layer_spec ds[] = {
        {NN_LAYER_LINEAR, 6, 0.0f}, {NN_LAYER_LEAKY_RELU, 0, 0.2f},
        {NN_LAYER_LINEAR, 1, 0.0f},
    };
    gan_trainer *t = zalloc(sizeof *t);
    t->G = nn_model_create(LAT, gs, 5, B, NULL);
    t->D = nn_model_create(IMG, ds, 3, 2 * B, NULL);
    assert_non_null(t->G);
    assert_non_null(t->D);
    nn_rng r;
    nn_rng_seed(&r, 77, 0);
    nn_model_init(t->G, &r, NN_INIT_NORMAL_002);
    nn_model_init(t->D, &r, NN_INIT_NORMAL_002);
    nn_init_normal(&r, t->G->params, t->G->n_params, 0.0f, 0.2f);
    nn_init_normal(&r, t->D->params, t->D->n_params, 0.0f, 0.2f);
    t->opt_g = nn_adam_gan_defaults();
    t->opt_g.lr = 0.01f;
    t->opt_d = t->opt_g;
    t->opt_d.lr = 0.02f;
    t->loss = loss;
    t->d_steps = d_steps;
    t->real_label = real_label;
    t->latent_dim = LAT;
    t->image_dim = IMG;
    t->max_batch = B;
    nn_rng_seed(&t->rng, 5, 3);
    t->z = zalloc(sizeof(float) * B * LAT);
    t->fake = zalloc(sizeof(float) * B * IMG);
    t->s_real = zalloc(sizeof(float) * B);
    t->s_fake = zalloc(sizeof(float) * B);
    t->ds_real = zalloc(sizeof(float) * B);
    t->ds_fake = zalloc(sizeof(float) * B);
    t->dfake = zalloc(sizeof(float) * B * IMG);
    t->d_in = zalloc(sizeof(float) * 2 * B * IMG);
    t->ds = zalloc(sizeof(float) * 2 * B);
    return t;
}

static void free_trainer(gan_trainer *t)
{
    nn_model_free(t->G);
    nn_model_free(t->D);
    free(t->z);
    free(t->fake);
    free(t->s_real);
    free(t->s_fake);
    free(t->ds_real);
    free(t->ds_fake);
    free(t->dfake);
    free(t->d_in);
    free(t->ds);
    free(t);
}

static float mean_sigmoid(const float *s, int n)
{
    double a = 0.0;
    for (int i = 0; i < n; i++) a += nn_sigmoidf(s[i]);
    return (float)(a / n);
}

/* The reference step: D then G, one library call per stage. */
static void reference_step(gan_trainer *t, const float *real, int batch, gan_step_stats *st)
{
    size_t img = (size_t)batch * IMG;
    for (int k = 0; k < t->d_steps; k++) {
        for (int i = 0; i < batch * LAT; i++) t->z[i] = nn_rng_normal(&t->rng);
        memcpy(t->fake, nn_model_forward(t->G, t->z, batch, 1), img * sizeof(float));
        memcpy(t->d_in, real + k * img, img * sizeof(float));
        memcpy(t->d_in + img, t->fake, img * sizeof(float));
        const float *s = nn_model_forward(t->D, t->d_in, 2 * batch, 1);
        memcpy(t->s_real, s, sizeof(float) * batch);
        memcpy(t->s_fake, s + batch, sizeof(float) * batch);
        st->d_loss = nn_gan_d_loss(t->ds, t->ds + batch, t->s_real, t->s_fake, batch, batch,
                                   t->real_label);
        nn_model_zero_grad(t->D);
        nn_model_backward(t->D, NULL, t->ds, 2 * batch, 1);
        st->d_grad_norm = nn_norm2(t->D->grads, t->D->n_params);
        nn_model_adam_step(t->D, &t->opt_d);
        st->d_real = mean_sigmoid(t->s_real, batch);
        st->d_fake = mean_sigmoid(t->s_fake, batch);
    }
    const float *s = nn_model_forward(t->D, t->fake, batch, 1);
    st->g_loss = t->loss == GAN_LOSS_MINIMAX ? nn_gan_g_loss_minimax(t->ds_fake, s, batch)
                                             : nn_gan_g_loss_nonsat(t->ds_fake, s, batch);
    memset(t->dfake, 0, img * sizeof(float));
    nn_model_backward(t->D, t->dfake, t->ds_fake, batch, 0);
    nn_model_zero_grad(t->G);
    nn_model_backward(t->G, NULL, t->dfake, batch, 1);
    st->g_grad_norm = nn_norm2(t->G->grads, t->G->n_params);
    nn_model_adam_step(t->G, &t->opt_g);
}

static void compare(gan_trainer *t, gan_trainer *ref, const gan_step_stats *st,
                    const gan_step_stats *rs, const char *when)
{
    /* Float sums in another order (two D passes instead of one) differ in
     * the last bits; 1e-4 still catches any real difference. */
    const double tol = 1e-4;
    char what[160];
    snprintf(what, sizeof what, "D's gradient (%s)", when);
    ex_expect_close(t->D->grads, ref->D->grads, t->D->n_params, tol, what);
    snprintf(what, sizeof what, "D's parameters (%s)", when);
    ex_expect_close(t->D->params, ref->D->params, t->D->n_params, tol, what);
    /* G's first bias feeds batchnorm, which subtracts the batch mean: its
     * true gradient is 0, the computed one float noise, and Adam turns noise
     * into full-size steps. It changes nothing downstream, so it is left out
     * of the comparison (set to 0 in copies). */
    size_t n = t->G->n_params;
    float *a = calloc(n, sizeof(float)), *b = calloc(n, sizeof(float));
    assert_non_null(a);
    assert_non_null(b);
    size_t b0 = (size_t)(t->G->layers[0].b - t->G->params), nb = (size_t)t->G->layers[0].out;
    memcpy(a, t->G->grads, n * sizeof(float));
    memcpy(b, ref->G->grads, n * sizeof(float));
    memset(a + b0, 0, nb * sizeof(float));
    memset(b + b0, 0, nb * sizeof(float));
    snprintf(what, sizeof what, "G's gradient (%s)", when);
    ex_expect_close(a, b, n, tol, what);
    memcpy(a, t->G->params, n * sizeof(float));
    memcpy(b, ref->G->params, n * sizeof(float));
    memset(a + b0, 0, nb * sizeof(float));
    memset(b + b0, 0, nb * sizeof(float));
    snprintf(what, sizeof what, "G's parameters (%s)", when);
    ex_expect_close(a, b, n, tol, what);
    free(a);
    free(b);
    ex_expect_near(st->d_loss, rs->d_loss, 1e-4, "st->d_loss");
    ex_expect_near(st->g_loss, rs->g_loss, 1e-4, "st->g_loss");
    ex_expect_near(st->d_real, rs->d_real, 1e-5, "st->d_real (mean sigmoid of real logits)");
    ex_expect_near(st->d_fake, rs->d_fake, 1e-5, "st->d_fake (mean sigmoid of fake logits)");
    ex_expect_near(st->d_grad_norm, rs->d_grad_norm, 1e-4 * rs->d_grad_norm + 1e-7,
                   "st->d_grad_norm");
    ex_expect_near(st->g_grad_norm, rs->g_grad_norm, 1e-4 * rs->g_grad_norm + 1e-7,
                   "st->g_grad_norm");
}

static void run_case(gan_loss_kind loss, int d_steps, float real_label, int steps)
{
    gan_trainer *t = make_trainer(loss, d_steps, real_label);
    gan_trainer *ref = make_trainer(loss, d_steps, real_label);
    size_t n = (size_t)d_steps * B * IMG;
    float *real = zalloc(n * sizeof(float));
    nn_rng r;
    nn_rng_seed(&r, 123, 0);
    float *g0 = zalloc(t->G->n_params * sizeof(float));
    float *d0 = zalloc(t->D->n_params * sizeof(float));
    memcpy(g0, t->G->params, t->G->n_params * sizeof(float));
    memcpy(d0, t->D->params, t->D->n_params * sizeof(float));
    for (int step = 0; step < steps; step++) {
        nn_rng_fill_uniform(&r, real, n, -1.0f, 1.0f);
        gan_step_stats st = {0}, rs = {0};
        gan_train_step(t, real, B, &st);
        reference_step(ref, real, B, &rs);
        if (step == 0) {
            size_t i;
            ex_expect(ex_rel_error(t->D->params, d0, t->D->n_params, &i) > 1e-4,
                      "D's parameters did not change: no Adam step on D?");
            ex_expect(ex_rel_error(t->G->params, g0, t->G->n_params, &i) > 1e-4,
                      "G's parameters did not change: no Adam step on G?");
        }
        char when[96];
        snprintf(when, sizeof when, "loss %s, d_steps %d, real_label %g, after step %d",
                 loss == GAN_LOSS_MINIMAX ? "minimax" : "nonsat", d_steps, (double)real_label,
                 step + 1);
        compare(t, ref, &st, &rs, when);
    }
    free(real);
    free(g0);
    free(d0);
    free_trainer(t);
    free_trainer(ref);
}

static void test_nonsat(void **state)
{
    (void)state;
    run_case(GAN_LOSS_NONSAT, 1, 1.0f, 3);
}

static void test_minimax_two_d_steps(void **state)
{
    (void)state;
    run_case(GAN_LOSS_MINIMAX, 2, 1.0f, 2);
}

static void test_label_smoothing(void **state)
{
    (void)state;
    run_case(GAN_LOSS_NONSAT, 1, 0.9f, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nonsat),
        cmocka_unit_test(test_minimax_two_d_steps),
        cmocka_unit_test(test_label_smoothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
