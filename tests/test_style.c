/* test_style.c - the style-based generator's layers (style.h, model.h):
 * AdaIN's backward against torch, noise by hand, the style bus through a
 * whole model by central differences (the constant, the affine maps, the
 * noise scales, the mapping and z), the running mean of w, the mapping and
 * the synthesis run apart, truncation and mixing by hand, style-mixing
 * regularisation in the broadcast layer by hand and by central differences,
 * the spec checks, and a checkpoint round trip. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nn.h"

/* tests/reference/style_adain.py: n 2, c 3, 2 x 3 pixels, eps 1e-5; the
 * gradients of sum(y r) from torch's autograd through F.instance_norm. */
static const float ref_x[36] = {-1.0f, 0.25f, 1.5f, 0.0f, 1.25f, -0.25f, 0.75f, -0.625f, 0.75f, -1.0f, 0.375f, 1.75f, -0.25f, 1.25f, -0.375f, 0.75f, -0.5f, 0.625f, 1.5f, 0.0f, 1.25f, -0.25f, 1.0f, -0.5f, 0.5f, -0.875f, 0.5f, 1.5f, 0.125f, 1.5f, 0.75f, 0.75f, 0.75f, 0.75f, 0.75f, 0.75f};
static const float ref_scale[6] = {1.5f, -0.5f, 2.0f, 0.25f, 1.0f, -1.25f};
static const float ref_bias[6] = {0.5f, 0.0f, -1.0f, 2.0f, -0.75f, 0.125f};
static const float ref_y[36] = {-1.75556603f, 0.427239806f, 2.61004564f, -0.00932136119f, 2.17348447f, -0.445882528f, -0.227036956f, 0.522185f, -0.227036956f, 0.726518261f, -0.0227036956f, -0.771925652f, -2.52092061f, 2.04184122f, -2.90115076f, 0.52092061f, -3.28138091f, 0.140690457f, 2.3216311f, 1.83918445f, 2.24122332f, 1.75877668f, 2.16081555f, 1.6783689f, -0.80089828f, -2.48054152f, -0.80089828f, 0.420660442f, -1.2589828f, 0.420660442f, 0.125f, 0.125f, 0.125f, 0.125f, 0.125f, 0.125f};
static const float ref_r[36] = {-1.0f, 0.0f, 1.0f, -0.333333333f, 0.666666667f, -0.666666667f, 0.333333333f, -1.0f, 0.0f, 1.0f, -0.333333333f, 0.666666667f, -0.666666667f, 0.333333333f, -1.0f, 0.0f, 1.0f, -0.333333333f, 0.666666667f, -0.666666667f, 0.333333333f, -1.0f, 0.0f, 1.0f, -0.333333333f, 0.666666667f, -0.666666667f, 0.333333333f, -1.0f, 0.0f, 1.0f, -0.333333333f, 0.666666667f, -0.666666667f, 0.333333333f, -1.0f};
static const float ref_dx[36] = {0.183502052f, 0.156134016f, 0.12876598f, -0.0712249991f, -0.0985930347f, -0.298584014f, -0.0898789183f, 0.533654729f, 0.0917506468f, -0.584209374f, 0.245293499f, -0.196610583f, -1.44559284f, 0.863291543f, -2.39846018f, 0.0936634135f, 3.74630199f, -0.859203924f, 0.107827986f, -0.187926951f, 0.022798708f, -0.272956229f, -0.0622305703f, 0.392487056f, -0.205702862f, 0.946234381f, -0.612889103f, 0.659303422f, -1.03906302f, 0.252117181f, -395.284708f, 131.761569f, -263.523138f, 263.523138f, -131.761569f, 395.284708f};
static const float ref_dscale[6] = {4.18775341f, 0.756789855f, 0.633716921f, 1.28652439f, -0.20359312f, 0.0f};
static const float ref_dbias[6] = {-0.333333333f, 0.666666667f, -0.666666667f, 0.333333333f, -1.0f, -1.11022302e-16f};

static void test_adain_backward_torch(void **state)
{
    (void)state;
    float y[36], xhat[36], invstd[6], dx[36], ds[6], db[6];
    nn_adain_forward(y, xhat, invstd, ref_x, ref_scale, ref_bias, 2, 3, 6, NN_ADAIN_EPS);
    assert_rel_close(y, ref_y, 36, 1e-5);
    /* The backward adds: start from 1 and take it off again. */
    for (int k = 0; k < 36; k++) dx[k] = 1.0f;
    for (int k = 0; k < 6; k++) ds[k] = db[k] = 1.0f;
    nn_adain_backward(dx, ds, db, ref_r, xhat, invstd, ref_scale, 2, 3, 6);
    for (int k = 0; k < 36; k++) dx[k] -= 1.0f;
    for (int k = 0; k < 6; k++) {
        ds[k] -= 1.0f;
        db[k] -= 1.0f;
    }
    /* The constant channel's dx is about 400 (1 / sqrt(eps) times r's
     * spread): the others are checked apart so that it does not hide them. */
    assert_rel_close(dx, ref_dx, 30, 1e-4);
    assert_rel_close(dx + 30, ref_dx + 30, 6, 1e-3);
    assert_rel_close(ds, ref_dscale, 6, 1e-5);
    assert_rel_close(db, ref_dbias, 6, 1e-5);
    /* NULL gradients are skipped. */
    nn_adain_backward(NULL, NULL, NULL, ref_r, xhat, invstd, ref_scale, 2, 3, 6);
}

/* y = x + s[c] noise[p], one noise image per sample for all channels. */
static void test_noise_by_hand(void **state)
{
    (void)state;
    /* 1 sample, 2 channels, 3 pixels; noise (1, -1, 2), s = (0.5, -2). */
    const float x[6] = {0, 1, 2, 3, 4, 5}, nz[3] = {1, -1, 2}, s[2] = {0.5f, -2.0f};
    const float want[6] = {0.5f, 0.5f, 3.0f, 1.0f, 6.0f, 1.0f};
    float y[6];
    nn_noise_forward(y, x, nz, s, 1, 2, 3);
    assert_rel_close(y, want, 6, 1e-7);
    /* dy = (1, 2, 3, 4, 5, 6): dx = dy, ds = (1 - 2 + 6, 4 - 5 + 12) = (5, 11). */
    const float dy[6] = {1, 2, 3, 4, 5, 6}, want_ds[2] = {5, 11};
    float dx[6] = {0}, ds[2] = {0};
    nn_noise_backward(dx, ds, dy, nz, 1, 2, 3);
    assert_rel_close(dx, dy, 6, 0);
    assert_rel_close(ds, want_ds, 2, 1e-7);
}

/* A tiny style generator: z 3 -> w 4 (2 mapping layers), a 2 x 2 constant
 * of 3 maps doubled once to 4 x 4 of 2 maps: 4 styled layers. */
static nn_style_arch tiny_arch(void)
{
    nn_style_arch a = nn_style_arch_default();
    a.latent_dim = 3;
    a.w_dim = 4;
    a.map_layers = 2;
    a.map_hidden = 5;
    a.n_res = 2;
    a.const_side = 2;
    a.channels[0] = 3;
    a.channels[1] = 2;
    a.h = a.w = 4;
    return a;
}

static void test_generator_shape(void **state)
{
    (void)state;
    nn_style_arch a = nn_style_arch_default();
    nn_error err;
    nn_model *G = nn_style_generator(&a, 4, &err);
    assert_non_null(G);
    assert_int_equal(G->in, 64);
    assert_int_equal(G->out, 784);
    nn_style_parts p;
    assert_int_equal(nn_style_find(&p, G, &err), NN_OK);
    assert_int_equal(p.broadcast, 8);          /* 4 linear + leaky */
    assert_int_equal(p.synth, 9);
    assert_int_equal(p.n_slots, 6);            /* 2 per resolution */
    assert_int_equal(p.w_dim, 64);
    assert_int_equal(G->layers[p.broadcast].out, 6 * 64);
    /* Each ADAIN reads its own slot, in order; its affine map is (2 c, 64) + 2 c. */
    int slot = 0;
    for (int i = 0; i < G->n_layers; i++) {
        const nn_layer *l = &G->layers[i];
        if (l->spec.kind != NN_LAYER_ADAIN) continue;
        assert_int_equal(nn_adain_source(l), p.synth);
        assert_int_equal(nn_adain_slot(l), slot++);
        assert_int_equal(nn_layer_param_count(l), (size_t)2 * l->in_c * 65);
    }
    assert_int_equal(slot, 6);
    assert_string_equal(nn_layer_kind_name(NN_LAYER_ADAIN), "adain");
    assert_string_equal(nn_layer_kind_name(NN_LAYER_STYLE_CONST), "style_const");
    nn_model_free(G);
    /* A 7 x 7 constant doubled twice is not 32 x 32. */
    a.h = a.w = 32;
    assert_null(nn_style_generator(&a, 4, &err));
    assert_non_null(strstr(err.msg, "not the 32 x 32 image"));
}

/* Central differences through the whole model, with the noise replayed:
 * the loss restores the model's rng before each forward. */
typedef struct {
    nn_model *m;
    nn_rng rng0;
    float *x, *r, *dx;
    int batch;
} gc_ctx;

static double gc_loss(void *ctx)
{
    gc_ctx *c = ctx;
    c->m->rng = c->rng0;
    const float *y = nn_model_forward(c->m, c->x, c->batch, 1);
    double L = 0.0;
    for (int k = 0; k < c->batch * c->m->out; k++) L += (double)y[k] * c->r[k];
    return L;
}

static void gc_grad(void *ctx)
{
    gc_ctx *c = ctx;
    c->m->rng = c->rng0;
    nn_model_forward(c->m, c->x, c->batch, 1);
    nn_model_zero_grad(c->m);
    memset(c->dx, 0, (size_t)c->batch * c->m->in * sizeof(float));
    nn_model_backward(c->m, c->dx, c->r, c->batch, 1);
}

/* mix 0: every slot reads its own row's w. mix 1: every row switches to
 * the next row's w at a random slot, the same one in every forward of the
 * check since the rng is restored; z's gradient then gathers from two rows. */
static void gradient_through_the_bus(float mix)
{
    nn_style_arch a = tiny_arch();
    a.mixing = mix;
    nn_error err;
    const int batch = 3;
    nn_model *G = nn_style_generator(&a, batch, &err);
    assert_non_null(G);
    nn_rng r;
    nn_rng_seed(&r, 5, 0);
    nn_model_init(G, &r, NN_INIT_HE_NORMAL);
    /* Noise scales start at 0: give them values, so the noise matters. */
    for (int i = 0; i < G->n_layers; i++)
        if (G->layers[i].spec.kind == NN_LAYER_NOISE)
            nn_rng_fill_normal(&r, G->layers[i].w, (size_t)G->layers[i].in_c, 0.0f, 0.5f);
    float x[3 * 3], rr[3 * 16], dx[3 * 3];
    nn_rng_fill_normal(&r, x, 9, 0.0f, 1.0f);
    nn_rng_fill_normal(&r, rr, 48, 0.0f, 1.0f);
    gc_ctx c = {G, G->rng, x, rr, dx, batch};
    /* One variable per layer with parameters, and z. */
    nn_gradcheck_var vars[40];
    int nv = 0;
    vars[nv++] = (nn_gradcheck_var){"z", x, dx, 9};
    static char names[40][32];
    for (int i = 0; i < G->n_layers; i++) {
        nn_layer *l = &G->layers[i];
        size_t np = nn_layer_param_count(l);
        if (!np) continue;
        snprintf(names[nv], sizeof names[nv], "%d %s", i, nn_layer_kind_name(l->spec.kind));
        vars[nv] = (nn_gradcheck_var){names[nv], l->w, l->dw, np};
        nv++;
    }
    nn_gradcheck_report rep;
    double e = nn_gradcheck(gc_loss, gc_grad, &c, vars, nv, 1e-3f, 0, &rep);
    if (e > 2e-2)
        print_error("worst: %s element %zu, rel %g\n", rep.worst, rep.worst_index, e);
    assert_true(e <= 2e-2);
    assert_int_equal(rep.zero_grad, 0);
    if (mix > 0.0f) {
        /* The check is only worth something if some row did mix. */
        const nn_layer *b = &G->layers[2 * a.map_layers];
        assert_int_equal(b->spec.kind, NN_LAYER_STYLE_BROADCAST);
        int mixed = 0;
        for (int i = 0; i < batch; i++) mixed += b->cache[i] < 4.0f;
        assert_int_equal(mixed, batch);
    }
    nn_model_free(G);
}

static void test_gradient_through_the_bus(void **state)
{
    (void)state;
    gradient_through_the_bus(0.0f);
}

static void test_gradient_with_mixing(void **state)
{
    (void)state;
    gradient_through_the_bus(1.0f);
}

/* Style mixing by hand: 4 rows of w (2 numbers), 3 slots, mix 0.5, the
 * model's rng seeded 4. Its draws (a uniform per row; below 0.5, a crossover
 * 1 + below(2)) are 0.48 -> slot 2, 0.89 -> none, 0.10 -> slot 1,
 * 0.39 -> slot 2; a mixed row reads the next row's w, row 3 reads row 0's. */
static void test_mixing_by_hand(void **state)
{
    (void)state;
    const nn_layer_spec spec[] = {
        {.kind = NN_LAYER_STYLE_BROADCAST, .out = 6, .arg = 0.5f, .mix = 0.5f}};
    nn_error err;
    nn_model *m = nn_model_create(2, spec, 1, 4, &err);
    assert_non_null(m);
    const float x[8] = {1, 2, 11, 12, 21, 22, 31, 32};
    const float want[24] = {1, 2, 1, 2, 11, 12,        /* row 0: slot 2 from row 1 */
                            11, 12, 11, 12, 11, 12,    /* row 1: its own */
                            21, 22, 31, 32, 31, 32,    /* row 2: slots 1, 2 from row 3 */
                            31, 32, 31, 32, 1, 2};     /* row 3: slot 2 from row 0 */
    nn_rng_seed(&m->rng, 4, 0);
    assert_rel_close(nn_model_forward(m, x, 4, 1), want, 24, 0);
    /* The running mean averages the rows' own w: 0.5 of (16, 17). */
    const float avg[2] = {8.0f, 8.5f};
    assert_rel_close(m->buffers, avg, 2, 1e-7);
    /* Slot r of row b gets gradient 3 b + r + 1 (both numbers); each goes to
     * the row that slot read: row 0 gets 1 + 2 from itself and 12 from row
     * 3's slot 2; row 1 3 + 4 + 5 + 6; row 2 7; row 3 8 + 9 + 10 + 11. */
    float dy[24], dx[8] = {0};   /* backward adds into dx */
    for (int b = 0; b < 4; b++)
        for (int r = 0; r < 3; r++) dy[6 * b + 2 * r] = dy[6 * b + 2 * r + 1] = 3 * b + r + 1;
    const float dx_want[8] = {15, 15, 18, 18, 7, 7, 38, 38};
    nn_model_backward(m, dx, dy, 4, 1);
    assert_rel_close(dx, dx_want, 8, 0);
    /* An eval forward never mixes and draws nothing from the rng. */
    nn_rng before = m->rng;
    const float *y = nn_model_forward(m, x, 4, 0);
    for (int b = 0; b < 4; b++)
        for (int r = 0; r < 3; r++) assert_rel_close(y + 6 * b + 2 * r, x + 2 * b, 2, 0);
    assert_int_equal(nn_rng_u32(&m->rng), nn_rng_u32(&before));
    nn_model_free(m);
}

/* The mapping, a bus built by hand and the synthesis give what one forward
 * gives, with the same noise; a train forward moves the running mean of w,
 * an eval forward does not. */
static void test_parts_and_w_avg(void **state)
{
    (void)state;
    nn_style_arch a = tiny_arch();
    a.w_avg_decay = 0.5f;
    nn_error err;
    nn_model *G = nn_style_generator(&a, 2, &err);
    assert_non_null(G);
    nn_rng r;
    nn_rng_seed(&r, 9, 0);
    nn_model_init(G, &r, NN_INIT_HE_NORMAL);
    nn_style_parts p;
    assert_int_equal(nn_style_find(&p, G, &err), NN_OK);
    float z[6], w[8], bus[2 * 4 * 4], whole[32];
    nn_rng_fill_normal(&r, z, 6, 0.0f, 1.0f);
    nn_rng keep = G->rng;
    memcpy(whole, nn_model_forward(G, z, 2, 0), sizeof whole);
    memcpy(w, nn_style_map(G, &p, z, 2), sizeof w);
    nn_style_mix(bus, w, w, 2, 4, p.n_slots, p.n_slots);
    G->rng = keep;
    assert_rel_close(nn_style_synthesize(G, &p, bus, 2), whole, 32, 0);
    for (int j = 0; j < 4; j++) assert_true(p.w_avg[j] == 0.0f);  /* eval: untouched */
    nn_model_forward(G, z, 2, 1);
    for (int j = 0; j < 4; j++)
        assert_close(p.w_avg[j], 0.5 * 0.5 * (w[j] + w[4 + j]), 1e-6);
    nn_model_free(G);
}

static void test_truncate_and_mix(void **state)
{
    (void)state;
    /* psi 0.5 halves the way from w_avg = (1, 1) to w. */
    float w[4] = {3, 1, -1, 5};
    const float avg[2] = {1, 1}, want[4] = {2, 1, 0, 3};
    nn_style_truncate(w, avg, 0.5f, 2, 2);
    assert_rel_close(w, want, 4, 0);
    /* Three slots of width 2, crossover 1: slot 0 from w1, slots 1 and 2 from w2. */
    const float w1[4] = {1, 2, 3, 4}, w2[4] = {5, 6, 7, 8};
    const float bus_want[12] = {1, 2, 5, 6, 5, 6, 3, 4, 7, 8, 7, 8};
    float bus[12];
    nn_style_mix(bus, w1, w2, 2, 2, 3, 1);
    assert_rel_close(bus, bus_want, 12, 0);
}

static void test_spec_checks(void **state)
{
    (void)state;
    nn_error err;
    const nn_layer_spec no_const[] = {{.kind = NN_LAYER_RESHAPE, .c = 1, .h = 2, .w = 2},
                                      {.kind = NN_LAYER_ADAIN}};
    assert_null(nn_model_create(4, no_const, 2, 1, &err));
    assert_non_null(strstr(err.msg, "no style_const layer comes before it"));
    const nn_layer_spec no_adain[] = {{.kind = NN_LAYER_STYLE_CONST, .c = 1, .h = 2, .w = 2}};
    assert_null(nn_model_create(4, no_adain, 1, 1, &err));
    assert_non_null(strstr(err.msg, "no adain layer follows it"));
    const nn_layer_spec uneven[] = {{.kind = NN_LAYER_STYLE_CONST, .c = 1, .h = 2, .w = 2},
                                    {.kind = NN_LAYER_ADAIN}, {.kind = NN_LAYER_ADAIN}};
    assert_null(nn_model_create(5, uneven, 3, 1, &err));
    assert_non_null(strstr(err.msg, "do not split into 2 equal slots"));
    const nn_layer_spec bad_copies[] = {{.kind = NN_LAYER_STYLE_BROADCAST, .out = 7}};
    assert_null(nn_model_create(2, bad_copies, 1, 1, &err));
    assert_non_null(strstr(err.msg, "not a positive multiple"));
    const nn_layer_spec bad_mix[] = {{.kind = NN_LAYER_STYLE_BROADCAST, .out = 4, .mix = 1.5f}};
    assert_null(nn_model_create(2, bad_mix, 1, 1, &err));
    assert_non_null(strstr(err.msg, "mixing probability 1.5 is outside [0, 1]"));
    const nn_layer_spec flat_noise[] = {{.kind = NN_LAYER_NOISE}};
    assert_null(nn_model_create(2, flat_noise, 1, 1, &err));
    assert_non_null(strstr(err.msg, "no image shape"));
}

/* Save and load keep the constant, the affine maps, the noise scales and
 * the running mean of w: the loaded model draws the same images. */
static void test_checkpoint_round_trip(void **state)
{
    (void)state;
    nn_style_arch a = tiny_arch();
    nn_error err;
    nn_model *G = nn_style_generator(&a, 2, &err), *H = nn_style_generator(&a, 2, &err);
    assert_non_null(G);
    assert_non_null(H);
    nn_rng r;
    nn_rng_seed(&r, 3, 0);
    nn_model_init(G, &r, NN_INIT_HE_NORMAL);
    for (int i = 0; i < G->n_layers; i++)
        if (G->layers[i].spec.kind == NN_LAYER_NOISE) G->layers[i].w[0] = 0.25f;
    float z[6], y[32];
    nn_rng_fill_normal(&r, z, 6, 0.0f, 1.0f);
    nn_model_forward(G, z, 2, 1);  /* moves w_avg */
    char path[512];
    const char *dir = tu_tmpdir();
    snprintf(path, sizeof path, "%s/style.ckpt", dir);
    assert_int_equal(nn_model_save(G, path, &err), NN_OK);
    assert_int_equal(nn_model_load(H, path, &err), NN_OK);
    assert_int_equal(G->n_buffers, 4u);
    assert_rel_close(H->buffers, G->buffers, 4, 0);
    nn_rng keep = G->rng;
    memcpy(y, nn_model_forward(G, z, 2, 0), sizeof y);
    H->rng = keep;
    assert_rel_close(nn_model_forward(H, z, 2, 0), y, 32, 0);
    nn_model_free(G);
    nn_model_free(H);
    tu_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_adain_backward_torch),
        cmocka_unit_test(test_noise_by_hand),
        cmocka_unit_test(test_generator_shape),
        cmocka_unit_test(test_gradient_through_the_bus),
        cmocka_unit_test(test_gradient_with_mixing),
        cmocka_unit_test(test_mixing_by_hand),
        cmocka_unit_test(test_parts_and_w_avg),
        cmocka_unit_test(test_truncate_and_mix),
        cmocka_unit_test(test_spec_checks),
        cmocka_unit_test(test_checkpoint_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
