/* course_gan.c - the course's Fashion-MNIST GAN (lessons/course/mlpgan.c) on
 * the library's nn_gan, linked with the solutions: presets and their
 * parameter counts, the argument checks and determinism, sampling in chunks,
 * and the sample grid file. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"
#include "condgan.h"
#include "copies.h"
#include "critic_probe.h"
#include "flowjudge.h"
#include "infogan.h"
#include "mlpgan.h"
#include "objective_table.h"
#include "quality.h"
#include "toy_oscillation.h"
#include "trainrun.h"

/* The counts computed from the arch must equal those of the built models. */
static void test_param_counts(void **state)
{
    (void)state;
    nn_gan_arch archs[2] = {mlpgan_arch_classic(), mlpgan_arch_default()};
    for (int i = 0; i < 2; i++) {
        nn_model *G = nn_gan_build_generator(&archs[i], 2, NULL);
        nn_model *D = nn_gan_build_discriminator(&archs[i], 2, NULL);
        assert_non_null(G);
        assert_non_null(D);
        assert_int_equal(nn_gan_arch_param_count(&archs[i], 0), nn_model_param_count(G));
        assert_int_equal(nn_gan_arch_param_count(&archs[i], 1), nn_model_param_count(D));
        nn_model_free(G);
        nn_model_free(D);
    }
    /* The classic MLP GAN, counted by hand: 100*300+300 + 300*784+784, and
     * 784*300+300 + 300*100+100 + 100+1. */
    assert_int_equal(nn_gan_arch_param_count(&archs[0], 0), 266284);
    assert_int_equal(nn_gan_arch_param_count(&archs[0], 1), 265701);
}

static void test_names(void **state)
{
    (void)state;
    for (int k = NN_GAN_NONSAT; k <= NN_GAN_HINGE; k++) {
        nn_gan_objective back = NN_GAN_NONSAT;
        assert_int_equal(mlpgan_loss_parse(nn_gan_objective_name((nn_gan_objective)k), &back), 0);
        assert_int_equal(back, k);
    }
    nn_gan_objective keep = NN_GAN_HINGE;
    assert_int_equal(mlpgan_loss_parse("wasserstein", &keep), -1);
    assert_int_equal(keep, NN_GAN_HINGE);
    nn_gan_arch a;
    assert_int_equal(mlpgan_arch_parse("classic", &a), 0);
    assert_int_equal(a.g_hidden[0], 300);
    assert_int_equal(mlpgan_arch_parse("big", &a), -1);
    assert_int_equal(gan_image_side(784), 28);
    assert_int_equal(gan_image_side(785), 0);
}

/* Every bad value is refused with a message naming it. */
static void test_trainer_rejects(void **state)
{
    (void)state;
    nn_gan_arch a = mlpgan_arch_classic();
    nn_error err = {NN_OK, ""};
    assert_null(mlpgan_create(&a, NN_GAN_NONSAT, 0.0f, 8, 1, 1.0f, 1, &err));
    assert_int_equal(err.code, NN_ERR_ARG);
    assert_non_null(strstr(err.msg, "learning rate"));
    assert_null(mlpgan_create(&a, NN_GAN_NONSAT, NAN, 8, 1, 1.0f, 1, &err));
    assert_non_null(strstr(err.msg, "learning rate"));
    assert_null(mlpgan_create(&a, NN_GAN_NONSAT, 2e-4f, 0, 1, 1.0f, 1, &err));
    assert_non_null(strstr(err.msg, "batch 0"));
    assert_null(mlpgan_create(&a, NN_GAN_NONSAT, 2e-4f, 8, 0, 1.0f, 1, &err));
    assert_non_null(strstr(err.msg, "d_steps 0"));
    assert_null(mlpgan_create(&a, NN_GAN_NONSAT, 2e-4f, 8, 1, 1.5f, 1, &err));
    assert_non_null(strstr(err.msg, "real label"));
    a.d_dropout = 1.0f;
    assert_null(mlpgan_create(&a, NN_GAN_NONSAT, 2e-4f, 8, 1, 1.0f, 1, &err));
    assert_non_null(strstr(err.msg, "d_dropout"));
}

/* A small arch, so the training steps below stay quick. */
static nn_gan_arch tiny(void)
{
    nn_gan_arch a = {.latent_dim = 4, .data_dim = 16, .g_hidden = {8}, .n_g_hidden = 1,
                  .g_batchnorm = 1, .d_hidden = {8}, .n_d_hidden = 1, .d_dropout = 0.25f,
                  .g_slope = 0.2f, .d_slope = 0.2f, .g_tanh = 1, .pack = 1};
    return a;
}

/* The same seed gives the same weights and the same training, bit for bit;
 * another seed other weights. */
static void test_trainer_deterministic(void **state)
{
    (void)state;
    nn_gan_arch a = tiny();
    nn_gan *t[3];
    for (int i = 0; i < 3; i++) {
        t[i] = mlpgan_create(&a, NN_GAN_NONSAT, 1e-3f, 4, 2, 0.9f, i < 2 ? 5 : 6, NULL);
        assert_non_null(t[i]);
    }
    /* D runs real and fake batches one after the other: batch rows. */
    assert_int_equal(t[0]->D->max_batch, 4);
    /* Initialised by nn_init_linear's N(0, 0.02): first-layer weights spread ~0.02. */
    const nn_layer *l0 = &t[0]->G->layers[0];
    float sd = 0.0f;
    for (int i = 0; i < l0->in * l0->out; i++) sd += l0->w[i] * l0->w[i];
    sd = sqrtf(sd / (float)(l0->in * l0->out));
    assert_true(sd > 0.01f && sd < 0.03f);
    assert_true(memcmp(t[0]->G->params, t[2]->G->params, t[0]->G->n_params * sizeof(float)));

    float real[2 * 4 * 16];
    nn_rng r;
    nn_rng_seed(&r, 1, 0);
    for (int step = 0; step < 3; step++) {
        nn_rng_fill_uniform(&r, real, 2 * 4 * 16, -1.0f, 1.0f);
        nn_gan_stats st[2];
        for (int i = 0; i < 2; i++) nn_gan_step(t[i], real, &st[i]);
        assert_true(isfinite(st[0].d_loss) && isfinite(st[0].g_loss));
        assert_true(st[0].d_loss == st[1].d_loss && st[0].g_loss == st[1].g_loss);
    }
    assert_memory_equal(t[0]->G->params, t[1]->G->params, t[0]->G->n_params * sizeof(float));
    assert_memory_equal(t[0]->D->params, t[1]->D->params, t[0]->D->n_params * sizeof(float));
    for (int i = 0; i < 3; i++) nn_gan_free(t[i]);
    nn_gan_free(NULL);
}

/* Sampling in chunks of max_batch rows gives what one row at a time gives
 * (eval mode: no sample depends on its neighbours). */
static void test_sample_images_chunks(void **state)
{
    (void)state;
    nn_gan_arch a = tiny();
    nn_gan *t = mlpgan_create(&a, NN_GAN_NONSAT, 1e-3f, 4, 1, 1.0f, 3, NULL);
    assert_non_null(t);
    enum { N = 10 };
    float z[N * 4], all[N * 16], one[N * 16];
    nn_rng r;
    nn_rng_seed(&r, 2, 0);
    nn_rng_fill_normal(&r, z, N * 4, 0.0f, 1.0f);
    gan_sample_images(all, t->G, z, N);
    for (int i = 0; i < N; i++) gan_sample_images(one + i * 16, t->G, z + i * 4, 1);
    assert_rel_close(all, one, N * 16, 1e-6);
    assert_not_all_zero(all, N * 16);

    gan_stats s = gan_describe((const float[]){1, 2, 3, 4}, 4);
    assert_close(s.mean, 2.5, 1e-6);
    assert_close(s.std, sqrt(1.25), 1e-6);
    assert_close(s.min, 1.0, 0.0);
    assert_close(s.max, 4.0, 0.0);

    /* A 4 x 4 grey image per sample: the grid is a non-empty PNG. */
    char path[512];
    const char *dir = tu_tmpdir();
    snprintf(path, sizeof path, "%s/grid.png", dir);
    nn_error err;
    assert_int_equal(gan_write_sample_grid(path, t->G, z, N, 5, 2, NULL, 0, &err), NN_OK);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_true(sb.st_size > 0);
    tu_rmtree(dir);
    nn_gan_free(t);
}

/* Lesson 11's choosers: the sentence each picks, on hand-made measurements
 * on both sides of its line. */
static void test_lesson11_choosers(void **state)
{
    (void)state;
    /* The share at the clipping bound, right after the first clip and at the
     * end: 0.4% to 78% is pushed out; 63.5% to 52% (an N(0, 0.02) start with
     * c = 0.01) falls by 11.5 points without halving: about where it began. */
    assert_int_equal(critic_probe_clip_change(0.004, 0.78), CRITIC_CLIP_PUSHED_OUT);
    assert_int_equal(critic_probe_clip_change(0.635, 0.52), CRITIC_CLIP_UNCHANGED);
    assert_int_equal(critic_probe_clip_change(0.6, 0.2), CRITIC_CLIP_PULLED_IN);
    assert_int_equal(critic_probe_clip_change(0.004, 0.03), CRITIC_CLIP_UNCHANGED);
    assert_int_equal(critic_probe_clip_change(0.06, 0.10), CRITIC_CLIP_UNCHANGED); /* not doubled */

    /* G on the ring: spread when one mode holds half the samples in under
     * half the checks; else moving with 2 switches or more, staying below. */
    toy_oscillation_swing w = {0.4f, 0.6f, 30, 10, 0, 0, 0.3};
    assert_int_equal(toy_oscillation_read(&w), TOY_OSC_SPREAD);
    w.concentrated = 15;
    w.switches = 2;
    assert_int_equal(toy_oscillation_read(&w), TOY_OSC_MOVES);
    w.switches = 1;
    assert_int_equal(toy_oscillation_read(&w), TOY_OSC_STAYS);

    /* Equal time: lower by more than the sum of the standard deviations. */
    seed_row_stats a = {50.0, 2.0, 8.0, 1.0, 0}, b = {60.0, 3.0, 8.0, 1.0, 0};
    assert_int_equal(objective_table_lower(&a, &b), -1);
    assert_int_equal(objective_table_lower(&b, &a), 1);
    b.fd_mean = 54.9;
    assert_int_equal(objective_table_lower(&a, &b), 0);
    b.fd_mean = NAN;
    assert_int_equal(objective_table_lower(&a, &b), 0);
}

/* Lesson 12's choosers, and the copy line computed by hand. */
static void test_lesson12_choosers(void **state)
{
    (void)state;
    /* The judge's confusion on real images against G's, in percent: 1.5
     * against 100 is G's; 20 against 35 is comparable; half is the line. */
    assert_int_equal(condgan_who_confuses(1.5, 100.0), CONDGAN_MOSTLY_G);
    assert_int_equal(condgan_who_confuses(20.0, 35.0), CONDGAN_JUDGE_COMPARABLE);
    assert_int_equal(condgan_who_confuses(17.4, 34.8), CONDGAN_JUDGE_COMPARABLE);
    assert_int_equal(condgan_who_confuses(17.3, 34.8), CONDGAN_MOSTLY_G);

    /* InfoGAN: a G that draws one class under every code is pure and says
     * nothing; a gain of 0.5 over 9 classes names them; over 5, partly. */
    assert_int_equal(infogan_read_code(1.0, 1.0, 1.0, 10), INFOGAN_CODE_NOTHING);
    assert_int_equal(infogan_read_code(0.554, 0.540, 2.0, 10), INFOGAN_CODE_NOTHING);
    assert_int_equal(infogan_read_code(0.8, 0.3, 9.0, 10), INFOGAN_CODE_CLASSES);
    assert_int_equal(infogan_read_code(0.8, 0.3, 5.0, 10), INFOGAN_CODE_PARTLY);
    assert_int_equal(infogan_read_code(0.5, 0.3, 9.0, 10), INFOGAN_CODE_PARTLY);

    /* The copy line: 100 test images at distances 1..100 have their 5th
     * percentile at 6 (the sixth smallest); 10 of 100 samples at 0.5 lie
     * under it, the rest at 50. */
    enum { N = 100 };
    double dist[2 * N];
    for (int i = 0; i < N; i++) {
        dist[i] = i < 10 ? 0.5 : 50.0;
        dist[N + i] = (double)(N - i);      /* in reverse: the summary sorts */
    }
    copies_summary c = copies_summarise(NULL, dist, N);
    assert_close(c.line, 6.0, 0.0);
    assert_close(c.close_share, 0.10, 1e-12);
    assert_close(c.sample_min, 0.5, 0.0);
    assert_close(c.sample_median, 50.0, 0.0);
    assert_close(c.test_median, 50.5, 0.0);
    /* 10% of 100 is within chance of 5% (3 sd of the difference of two
     * shares of 100 is 0.0925); of 500 it is not (0.0413); 15% of 100 is. */
    assert_int_equal(copies_judge(0.10, 100), COPIES_AS_REAL);
    assert_int_equal(copies_judge(0.10, 500), COPIES_MORE_CLOSE);
    assert_int_equal(copies_judge(0.15, 100), COPIES_MORE_CLOSE);
    assert_int_equal(copies_judge(0.50, 50), COPIES_TOO_FEW);
}

/* The nearest training image by one matrix product per chunk: against the
 * plain sum of squares over a set larger than a chunk, and an exact copy of
 * an image past the first chunk found at distance 0. */
static void test_copies_nearest(void **state)
{
    (void)state;
    enum { NI = 1500, NQ = 5 };
    nn_dataset ds = {0};
    ds.n = NI;
    ds.c = 1, ds.h = 28, ds.w = 28;
    ds.n_classes = 10;
    ds.pixels = malloc((size_t)NI * 784);
    ds.labels = calloc(NI, 1);
    assert_non_null(ds.pixels);
    assert_non_null(ds.labels);
    nn_rng r;
    nn_rng_seed(&r, 5, 0);
    for (size_t i = 0; i < (size_t)NI * 784; i++) ds.pixels[i] = (uint8_t)nn_rng_below(&r, 256);
    float q[NQ * 784];
    for (int i = 0; i < NQ * 784; i++) q[i] = nn_rng_uniform(&r) * 2.0f - 1.0f;
    for (int p = 0; p < 784; p++) q[2 * 784 + p] = ds.pixels[1234 * 784 + p] / 127.5f - 1.0f;
    int near[NQ];
    double dist[NQ];
    copies_nearest(NULL, q, NQ, &ds, near, dist);
    assert_int_equal(near[2], 1234);
    assert_true(dist[2] < 1e-5);
    for (int i = 0; i < NQ; i++) {
        double best = INFINITY;
        int at = -1;
        for (int j = 0; j < NI; j++) {
            double d2 = 0.0;
            for (int p = 0; p < 784; p++) {
                double v = q[i * 784 + p] - (ds.pixels[(size_t)j * 784 + p] / 127.5 - 1.0);
                d2 += v * v;
            }
            if (d2 < best) best = d2, at = j;
        }
        assert_int_equal(near[i], at);
        assert_close(dist[i], sqrt(best), 1e-4);
    }
    free(ds.pixels);
    free(ds.labels);
}

/* Ordinals as English writes them, the teens included. */
static void test_quality_ordinal(void **state)
{
    (void)state;
    const int k[] = {1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 112};
    const char *want[] = {"st", "nd", "rd", "th", "th", "th", "th", "st", "nd", "rd", "st", "th",
                          "th"};
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
        assert_string_equal(quality_ordinal(k[i]), want[i]);
}

/* Lesson 14's recall verdict blames the run that is short: the recalls of
 * a fresh-clone run (1500 steps for the healthy GAN: 0.077 against the
 * collapsed 0.0765) blame the healthy run, not the collapsed one. */
static void test_quality_pr_choose(void **state)
{
    (void)state;
    assert_int_equal(quality_pr_choose(0.05f, 0.40f, 0.60f), QUALITY_PR_SHOWN);
    assert_int_equal(quality_pr_choose(0.35f, 0.40f, 0.60f), QUALITY_PR_NOT_COLLAPSED);
    assert_int_equal(quality_pr_choose(0.0765f, 0.077f, 0.60f), QUALITY_PR_NEITHER);
    assert_int_equal(quality_pr_choose(0.02f, 0.10f, 0.60f), QUALITY_PR_HEALTHY_SHORT);
    /* The edges: half of the floor is enough, half of the healthy run is not low. */
    assert_int_equal(quality_pr_choose(0.10f, 0.30f, 0.60f), QUALITY_PR_SHOWN);
    assert_int_equal(quality_pr_choose(0.15f, 0.30f, 0.60f), QUALITY_PR_NOT_COLLAPSED);
}

/* Lesson 17's verdict compares the flow with the best-fixed GAN: more mass
 * between the modes than it everywhere, a vanilla GAN that drops a mode,
 * and the first data set where the vanilla GAN is still further off. */
static void test_flowjudge_compare(void **state)
{
    (void)state;
    nn_toy ring = {.dim = 2, .n_modes = 8, .sigma = 0.02f, .name = "ring"};
    nn_toy grid = {.dim = 2, .n_modes = 25, .sigma = 0.05f, .name = "grid"};
    flowjudge_result res[2] = {{.data = &ring, .have_gans = 1}, {.data = &grid, .have_gans = 1}};
    res[0].flow_st = (nn_mode_stats){.modes_covered = 8, .hq_fraction = 0.80f};
    res[0].gan_st[0] = (nn_mode_stats){.modes_covered = 3, .hq_fraction = 0.90f};
    res[0].gan_st[1] = (nn_mode_stats){.modes_covered = 8, .hq_fraction = 0.95f};
    res[1].flow_st = (nn_mode_stats){.modes_covered = 25, .hq_fraction = 0.70f};
    res[1].gan_st[0] = (nn_mode_stats){.modes_covered = 25, .hq_fraction = 0.60f};
    res[1].gan_st[1] = (nn_mode_stats){.modes_covered = 25, .hq_fraction = 0.85f};
    flowjudge_verdict v = flowjudge_compare(res, 2);
    assert_int_equal(v.flow_covers, 1);
    assert_int_equal(v.any_gans, 1);
    assert_int_equal(v.above_best, 1);
    assert_int_equal(v.vanilla_drops, 1);
    assert_int_equal(v.vanilla_off, 1);
    /* A best fix with fewer samples on the modes than the flow on one set,
     * and a mode the flow misses: neither holds any more. */
    res[1].gan_st[1].hq_fraction = 0.65f;
    res[0].flow_st.modes_covered = 7;
    v = flowjudge_compare(res, 2);
    assert_int_equal(v.above_best, 0);
    assert_int_equal(v.flow_covers, 0);
    /* Without GANs there is nothing to compare with. */
    res[0].have_gans = res[1].have_gans = 0;
    v = flowjudge_compare(res, 2);
    assert_int_equal(v.any_gans, 0);
    assert_int_equal(v.vanilla_off, -1);
}

/* Where a lesson's default G comes from: lesson 06's train_state.tsv read
 * back (its steps only for the architecture it names, 0 without one), and
 * the prose that says how long a G trained here ran against lesson 06's own
 * run. */
static void test_lesson06_source(void **state)
{
    (void)state;
    char dir[256], path[300];
    snprintf(dir, sizeof dir, "%s", tu_tmpdir());
    assert_int_equal(trainrun_lesson06_steps(dir, "default"), 0);   /* no run yet */
    snprintf(path, sizeof path, "%s/train_state.tsv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "arch\tdefault\nepochs\t8\nsteps\t7496\n");
    fclose(f);
    assert_int_equal(trainrun_lesson06_steps(dir, "default"), 7496);
    assert_int_equal(trainrun_lesson06_steps(dir, "classic"), 0);
    tu_rmtree(dir);
    lesson L;
    memset(&L, 0, sizeof L);
    assert_non_null(strstr(trainrun_lesson06_source(&L, TRAINRUN_LESSON06_STEPS),
                           "7496 steps, as many as lesson 06's own run"));
    assert_non_null(strstr(trainrun_lesson06_source(&L, 937), "937 steps, fewer than"));
    L.fast = 1;
    assert_non_null(strstr(trainrun_lesson06_source(&L, TRAINRUN_LESSON06_STEPS),
                           "5 steps: --fast"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_param_counts),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_trainer_rejects),
        cmocka_unit_test(test_trainer_deterministic),
        cmocka_unit_test(test_sample_images_chunks),
        cmocka_unit_test(test_lesson11_choosers),
        cmocka_unit_test(test_lesson12_choosers),
        cmocka_unit_test(test_copies_nearest),
        cmocka_unit_test(test_quality_ordinal),
        cmocka_unit_test(test_quality_pr_choose),
        cmocka_unit_test(test_flowjudge_compare),
        cmocka_unit_test(test_lesson06_source),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
