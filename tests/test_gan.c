/* test_gan.c - lib/gan/gan.c, the GAN around the step: names, the checks of an
 * architecture and a configuration, parameter counts, building from the
 * caller's networks, the objectives the step plugs in, and the unrolled copy.
 * The step itself is exercise 9 (tests/exercise_09_train_step.c). */
#include <math.h>
#include <string.h>

#include "testutil.h"
#include "nn.h"

static nn_gan_arch small_arch(void)
{
    nn_gan_arch a = {.latent_dim = 3, .data_dim = 4, .g_hidden = {5}, .n_g_hidden = 1,
                     .g_slope = 0.2f, .g_tanh = 1, .d_hidden = {6}, .n_d_hidden = 1,
                     .d_slope = 0.2f, .pack = 1};
    return a;
}

static void test_objective_names(void **state)
{
    (void)state;
    for (int k = 0; k < NN_GAN_N_OBJECTIVES; k++) {
        nn_gan_objective back = NN_GAN_HINGE;
        assert_int_equal(nn_gan_objective_parse(nn_gan_objective_name((nn_gan_objective)k),
                                                &back), 0);
        assert_int_equal(back, k);
    }
    nn_gan_objective keep = NN_GAN_LSGAN;
    assert_int_equal(nn_gan_objective_parse("wgan", &keep), -1);
    assert_int_equal(keep, NN_GAN_LSGAN);
    assert_string_equal(nn_gan_objective_name((nn_gan_objective)99), "?");
}

/* Each bad value is refused, and the message names it. */
static void test_refusals(void **state)
{
    (void)state;
    nn_gan_arch a = small_arch();
    nn_error err;
    struct { const char *field; nn_gan_config c; } bad[6];
    for (int i = 0; i < 6; i++) bad[i].c = nn_gan_config_default();
    bad[0].field = "learning rates", bad[0].c.lr_d = 0.0f;
    bad[1].field = "betas", bad[1].c.beta1 = 1.0f;
    bad[2].field = "batch 0", bad[2].c.batch = 0;
    bad[3].field = "real label", bad[3].c.real_label = 1.5f;
    bad[4].field = "penalty", bad[4].c.gp_lambda = -1.0f;
    bad[5].field = "unroll -1", bad[5].c.unroll = -1;
    for (int i = 0; i < 6; i++) {
        assert_null(nn_gan_create(&a, &bad[i].c, NN_INIT_NORMAL_002, 1, &err));
        assert_int_equal(err.code, NN_ERR_ARG);
        assert_non_null(strstr(err.msg, bad[i].field));
    }
    nn_gan_config c = nn_gan_config_default();
    a.pack = 0;
    assert_null(nn_gan_create(&a, &c, NN_INIT_NORMAL_002, 1, &err));
    assert_non_null(strstr(err.msg, "pack 0"));
    a = small_arch();
    a.d_dropout = 1.0f;
    assert_null(nn_gan_create(&a, &c, NN_INIT_NORMAL_002, 1, &err));
    assert_non_null(strstr(err.msg, "d_dropout"));
    a = small_arch();
    a.n_g_hidden = NN_GAN_MAX_HIDDEN + 1;
    assert_null(nn_gan_create(&a, &c, NN_INIT_NORMAL_002, 1, &err));
    assert_non_null(strstr(err.msg, "hidden layers"));
    /* The penalty's weight gradient is for linear layers and (leaky) ReLUs:
     * a critic with dropout is refused, naming the layer. */
    a = small_arch();
    a.d_dropout = 0.5f;
    c.gp_lambda = 1.0f;
    assert_null(nn_gan_create(&a, &c, NN_INIT_NORMAL_002, 1, &err));
    assert_non_null(strstr(err.msg, "dropout"));
}

/* Counted by hand: G 3 -> 5 -> 4 with batchnorm is 3*5+5 + 2*5 + 5*4+4 = 54;
 * D with pack 2 and mbstd is 8 -> 6 -> (+1) -> 1: 8*6+6 + 7*1+1 = 62. */
static void test_param_counts(void **state)
{
    (void)state;
    nn_gan_arch a = small_arch();
    a.g_batchnorm = 1;
    a.pack = 2;
    a.d_mbstd = 1;
    assert_int_equal(nn_gan_arch_param_count(&a, 0), 54);
    assert_int_equal(nn_gan_arch_param_count(&a, 1), 62);
    nn_gan_config c = nn_gan_config_default();
    c.batch = 4;
    nn_gan *g = nn_gan_create(&a, &c, NN_INIT_NORMAL_002, 1, NULL);
    assert_non_null(g);
    assert_int_equal(nn_model_param_count(g->G), 54);
    assert_int_equal(nn_model_param_count(g->D), 62);
    assert_int_equal(g->D->in, 8);
    assert_int_equal(g->G->max_batch, 8); /* batch * pack samples */
    assert_int_equal(nn_gan_real_batches(g), 1);
    nn_gan_free(g);
}

static nn_model *mlp(int in, int hidden, int out, int max_batch)
{
    const nn_layer_spec s[] = {
        {.kind = NN_LAYER_LINEAR, .out = hidden},
        {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
        {.kind = NN_LAYER_LINEAR, .out = out},
    };
    nn_model *m = nn_model_create(in, s, 3, max_batch, NULL);
    assert_non_null(m);
    return m;
}

/* Networks built by the caller: the GAN reads its sizes from them, and
 * refuses a pair that does not fit, freeing both. */
static void test_create_from(void **state)
{
    (void)state;
    nn_gan_config c = nn_gan_config_default();
    c.batch = 4;
    c.unroll = 2;
    nn_error err;
    nn_gan *g = nn_gan_create_from(mlp(3, 5, 2, 8), mlp(4, 6, 1, 4), &c, NN_INIT_TORCH, 7, &err);
    assert_non_null(g);
    assert_int_equal(g->arch.latent_dim, 3);
    assert_int_equal(g->arch.data_dim, 2);
    assert_int_equal(g->arch.pack, 2);
    assert_non_null(g->unrolled.D);
    assert_int_equal(nn_model_param_count(g->unrolled.D), nn_model_param_count(g->D));
    assert_int_equal(nn_gan_real_batches(g), 3);

    /* The unrolled copy starts where D is, Adam state included. */
    for (size_t i = 0; i < g->D->n_params; i++) g->D->adam_m[i] = (float)i;
    g->D->adam_t = 5;
    nn_model *u = nn_gan_unroll_start(g);
    assert_ptr_equal(u, g->unrolled.D);
    assert_memory_equal(u->params, g->D->params, g->D->n_params * sizeof(float));
    assert_memory_equal(u->adam_m, g->D->adam_m, g->D->n_params * sizeof(float));
    assert_int_equal(u->adam_t, 5);
    nn_gan_free(g);

    c.unroll = 0;
    assert_null(nn_gan_create_from(mlp(3, 5, 2, 8), mlp(4, 6, 2, 4), &c, NN_INIT_TORCH, 7,
                                   &err));
    assert_int_equal(err.code, NN_ERR_SHAPE);
    assert_null(nn_gan_create_from(mlp(3, 5, 3, 8), mlp(4, 6, 1, 4), &c, NN_INIT_TORCH, 7,
                                   &err));
    assert_non_null(strstr(err.msg, "whole number"));
    assert_null(nn_gan_create_from(mlp(3, 5, 2, 4), mlp(4, 6, 1, 4), &c, NN_INIT_TORCH, 7,
                                   &err)); /* G takes 4 rows, the step needs 8 */
}

/* The objectives at hand-worked logits, n = 2. */
static void test_objectives(void **state)
{
    (void)state;
    nn_gan_config c = nn_gan_config_default();
    nn_gan_arch a = small_arch();
    nn_gan *g = nn_gan_create(&a, &c, NN_INIT_NORMAL_002, 1, NULL);
    assert_non_null(g);
    const float zero[2] = {0, 0}, sr[2] = {1, 2}, sf[2] = {0, 1};
    float dr[2], df[2];

    /* Cross-entropy at logits 0: each half log 2; with real label 0.9 the
     * real half is still log 2 (softplus(0) - 0.9 * 0), its gradient
     * (sigmoid(0) - 0.9) / 2 = -0.2. */
    g->cfg.real_label = 0.9f;
    assert_close(nn_gan_d_objective(g, dr, df, zero, zero, 2), 2.0 * log(2.0), 1e-6);
    assert_close(dr[0], -0.2, 1e-6);
    assert_close(df[1], 0.25, 1e-6);

    /* Wasserstein: mean fake - mean real = 0.5 - 1.5; G's -mean fake. */
    g->cfg.objective = NN_GAN_WASSERSTEIN;
    assert_close(nn_gan_d_objective(g, dr, df, sr, sf, 2), -1.0, 1e-6);
    assert_close(dr[0], -0.5, 1e-6);
    assert_close(df[0], 0.5, 1e-6);
    assert_close(nn_gan_g_objective(g, df, sf, 2), -0.5, 1e-6);

    /* Least squares: 0.5 mean (s_real - 1)^2 + 0.5 mean s_fake^2 = 0.25 + 0.25. */
    g->cfg.objective = NN_GAN_LSGAN;
    assert_close(nn_gan_d_objective(g, dr, df, sr, sf, 2), 0.5, 1e-6);

    /* Hinge: mean relu(1 - s_real) + mean relu(1 + s_fake) = 0 + 1.5. */
    g->cfg.objective = NN_GAN_HINGE;
    assert_close(nn_gan_d_objective(g, dr, df, sr, sf, 2), 1.5, 1e-6);

    /* Minimax G: mean log(1 - sigmoid(s)) at 0 is -log 2; non-saturating +log 2. */
    g->cfg.objective = NN_GAN_MINIMAX;
    assert_close(nn_gan_g_objective(g, df, zero, 2), -log(2.0), 1e-6);
    g->cfg.objective = NN_GAN_NONSAT;
    assert_close(nn_gan_g_objective(g, df, zero, 2), log(2.0), 1e-6);
    nn_gan_free(g);
}

/* The options a WGAN needs: RMSProp, clipping after each D update, instance
 * noise on what D reads, and their refusals. */
static void test_wgan_options(void **state)
{
    (void)state;
    nn_gan_arch a = small_arch();
    nn_gan_config c = nn_gan_config_default();
    c.clip = -0.01f;
    assert_null(nn_gan_create(&a, &c, NN_INIT_NORMAL_002, 1, NULL));
    c.clip = 0.0f;
    c.instance_noise = NAN;
    assert_null(nn_gan_create(&a, &c, NN_INIT_NORMAL_002, 1, NULL));

    c = nn_gan_config_default();
    c.objective = NN_GAN_WASSERSTEIN;
    c.rmsprop = 1;
    c.lr_g = c.lr_d = 5e-5f;
    c.clip = 0.01f;
    c.batch = 4;
    nn_gan *g = nn_gan_create(&a, &c, NN_INIT_NORMAL_002, 1, NULL);
    assert_non_null(g);
    float *real = nn_alloc((size_t)4 * (size_t)a.data_dim, sizeof(float));
    for (int i = 0; i < 4 * a.data_dim; i++) real[i] = (float)(i % 7) / 7.0f - 0.5f;
    /* Without noise D reads the batch itself. */
    assert_ptr_equal(nn_gan_d_input(g, real), real);
    nn_gan_stats st;
    nn_gan_step(g, real, &st);
    int at = 0;
    for (size_t i = 0; i < g->D->n_params; i++) {
        assert_true(fabsf(g->D->params[i]) <= 0.01f);
        at += fabsf(g->D->params[i]) == 0.01f;
    }
    /* N(0, 0.02) weights: most lie beyond 0.01 and end on the bound. */
    assert_true(at > (int)g->D->n_params / 3);
    /* G is never clipped; RMSProp moved it. */
    float gmax = 0.0f;
    for (size_t i = 0; i < g->G->n_params; i++) gmax = fmaxf(gmax, fabsf(g->G->params[i]));
    assert_true(gmax > 0.01f);

    /* Instance noise: what D reads is the batch plus noise of that spread. */
    g->cfg.instance_noise = 0.5f;
    const float *x = nn_gan_d_input(g, real);
    assert_ptr_equal(x, g->noise.noisy);
    double sq = 0.0;
    for (int i = 0; i < 4 * a.data_dim; i++) sq += (double)(x[i] - real[i]) * (x[i] - real[i]);
    double sd = sqrt(sq / (4 * a.data_dim));
    assert_true(sd > 0.3 && sd < 0.7);
    nn_free(real);
    nn_gan_free(g);
}

/* A small steered GAN: G 3 (+ codes) -> 5 -> 4, D 4 (+ label) -> 6 -> 1 (+ Q). */
static nn_gan *steered(nn_gan_steer how, int n_cont)
{
    nn_gan_arch a = {.latent_dim = 3, .data_dim = 4, .g_hidden = {5}, .n_g_hidden = 1,
                     .g_slope = 0.2f, .g_tanh = 1, .d_hidden = {6}, .n_d_hidden = 1,
                     .d_slope = 0.2f, .pack = 1, .steer = how, .n_classes = 3,
                     .n_cont = n_cont};
    nn_gan_config c = nn_gan_config_default();
    c.batch = 4;
    nn_gan *g = nn_gan_create(&a, &c, NN_INIT_NORMAL_002, 5, NULL);
    assert_non_null(g);
    assert_int_equal((int)nn_model_param_count(g->G), (int)nn_gan_arch_param_count(&a, 0));
    assert_int_equal((int)nn_model_param_count(g->D), (int)nn_gan_arch_param_count(&a, 1));
    return g;
}

/* The conditional GAN's widths, and one step: every fake D judged carries
 * the one-hot of the label G was given, and both networks move. */
static void test_conditional_step(void **state)
{
    (void)state;
    nn_gan *g = steered(NN_GAN_CONDITIONAL, 0);
    assert_int_equal(g->G->in, 3 + 3);
    assert_int_equal(g->D->in, 4 + 3);
    assert_int_equal(g->D->out, 1);
    float real[4 * 7];
    const float x[16] = {0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.6f, 0.7f, -0.8f,
                         0.9f, 0.1f, -0.1f, 0.2f, 0.3f, -0.3f, 0.5f, 0.0f};
    const int y[4] = {0, 2, 1, 2};
    nn_gan_condition(real, x, y, 4, 4, 3);
    float d0 = g->D->params[0], g0 = g->G->params[0];
    nn_gan_stats st;
    nn_gan_step(g, real, &st);
    assert_true(g->D->params[0] != d0 && g->G->params[0] != g0);
    for (int i = 0; i < 4; i++) {
        assert_true(g->steering.labels[i] >= 0 && g->steering.labels[i] < 3);
        for (int j = 0; j < 3; j++)
            assert_true(g->fake[i * 7 + 4 + j] == (j == g->steering.labels[i] ? 1.0f : 0.0f));
        for (int j = 0; j < 3; j++)
            assert_true(g->steering.g_in[i * 6 + 3 + j] == (j == g->steering.labels[i] ? 1.0f : 0.0f));
    }
    /* Instance noise moves the pixels D reads, never the label it is told. */
    g->cfg.instance_noise = 0.5f;
    const float *noisy = nn_gan_d_input(g, real);
    int moved = 0;
    for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) moved += noisy[i * 7 + j] != real[i * 7 + j];
        for (int j = 4; j < 7; j++) assert_true(noisy[i * 7 + j] == real[i * 7 + j]);
    }
    assert_int_equal(moved, 16);
    nn_gan_free(g);
}

/* InfoGAN: D's output rows are [logit, 3 Q logits, 2 estimates]; G's and
 * D's objectives carry the information loss, and their gradients in every
 * column match central differences of the returned loss. */
static void test_infogan_objectives(void **state)
{
    (void)state;
    nn_gan *g = steered(NN_GAN_INFOGAN, 2);
    assert_int_equal(g->G->in, 3 + 2 + 3);
    assert_int_equal(g->D->in, 4);
    assert_int_equal(g->D->out, 1 + 3 + 2);
    nn_sample_latent(g->z, 4, 3, &g->rng);
    nn_gan_g_input(g); /* draws the labels and codes the losses read */
    enum { W = 6, N = 4 };
    float sr[N * W], sf[N * W], dr[N * W], df[N * W], ds[N * W];
    for (int i = 0; i < N * W; i++) {
        sr[i] = 0.3f * (float)((i * 5) % 7) - 0.9f;
        sf[i] = 0.25f * (float)((i * 3) % 8) - 1.0f;
    }
    nn_gan_d_objective(g, dr, df, sr, sf, N);
    nn_gan_g_objective(g, ds, sf, N);
    for (int i = 0; i < N; i++)
        for (int j = 1; j < W; j++) assert_true(dr[i * W + j] == 0.0f); /* reals: no Q loss */
    const float h = 1e-2f;
    float nd[N * W], ng[N * W];
    for (int k = 0; k < N * W; k++) {
        float keep = sf[k];
        sf[k] = keep + h;
        double du = nn_gan_d_objective(g, NULL, NULL, sr, sf, N);
        double gu = nn_gan_g_objective(g, ds + 0, sf, N);
        sf[k] = keep - h;
        double dd = nn_gan_d_objective(g, NULL, NULL, sr, sf, N);
        double gd = nn_gan_g_objective(g, ds + 0, sf, N);
        sf[k] = keep;
        nd[k] = (float)((du - dd) / (2.0 * h));
        ng[k] = (float)((gu - gd) / (2.0 * h));
    }
    nn_gan_g_objective(g, ds, sf, N);
    assert_not_all_zero(df + 1, 3);
    assert_rel_close(df, nd, N * W, 1e-3);
    assert_rel_close(ds, ng, N * W, 1e-3);
    /* One whole step runs and moves both networks. */
    float real[N * 4];
    for (int i = 0; i < N * 4; i++) real[i] = 0.1f * (float)(i % 9) - 0.4f;
    float d0 = g->D->params[0], g0 = g->G->params[0];
    nn_gan_stats st;
    nn_gan_step(g, real, &st);
    assert_true(g->D->params[0] != d0 && g->G->params[0] != g0);
    assert_true(isfinite(st.d_loss) && isfinite(st.g_loss));
    nn_gan_free(g);
}

/* Steering refuses what it cannot do, naming the field. */
static void test_steer_refusals(void **state)
{
    (void)state;
    nn_gan_arch a = {.latent_dim = 3, .data_dim = 4, .pack = 1, .steer = NN_GAN_CONDITIONAL,
                     .n_classes = 1};
    nn_error err;
    assert_int_equal(nn_gan_arch_check(&a, &err), NN_ERR_ARG);
    assert_non_null(strstr(err.msg, "n_classes"));
    a.n_classes = 3;
    a.n_cont = 2;
    assert_int_equal(nn_gan_arch_check(&a, &err), NN_ERR_ARG);
    assert_non_null(strstr(err.msg, "InfoGAN"));
    a.steer = NN_GAN_INFOGAN;
    a.pack = 2;
    assert_int_equal(nn_gan_arch_check(&a, &err), NN_ERR_ARG);
    assert_non_null(strstr(err.msg, "pack"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wgan_options),
        cmocka_unit_test(test_objective_names),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_param_counts),
        cmocka_unit_test(test_create_from),
        cmocka_unit_test(test_objectives),
        cmocka_unit_test(test_conditional_step),
        cmocka_unit_test(test_infogan_objectives),
        cmocka_unit_test(test_steer_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
