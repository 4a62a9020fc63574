/* exercise_probe.c - one hand-worked case per exercise (exercise_probe.h).
 * These are not the exercises' tests (make check runs those): they only
 * tell an unwritten stub from a written function before a lesson trains.
 * Each exercise is one probe function below and one row of the table at
 * the end.
 */
#include "exercise_probe.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "nn.h"

static int near(double a, double b) { return fabs(a - b) <= 1e-5 * (1.0 + fabs(b)); }

/* The tiny MLPs of probes 2, 4 and 9: 2 -> 3 -> 2 and 2 -> 3 -> 1. */
static nn_gan_arch tiny_arch(void)
{
    nn_gan_arch a = {.latent_dim = 2, .data_dim = 2, .g_hidden = {3}, .n_g_hidden = 1,
                     .g_slope = 0.2f, .g_tanh = 1, .d_hidden = {3}, .n_d_hidden = 1,
                     .d_slope = 0.2f, .pack = 1};
    return a;
}

static int kinds_are(const nn_model *m, const nn_layer_kind *k, int n)
{
    if (!m || m->n_layers != n) return 0;
    for (int i = 0; i < n; i++)
        if (m->layers[i].spec.kind != k[i]) return 0;
    return 1;
}

/* f(x) = x^2, x read through ctx: probe 13's function. */
static double square_at(void *ctx)
{
    const float x = *(const float *)ctx;
    return (double)x * x;
}

/* four draws of N(0, 1), the rng's own numbers in order */
static int probe_sample_latent(char *why, size_t cap)
{
    nn_rng r, copy;
    nn_rng_seed(&r, 1, 0);
    copy = r;
    float z[4] = {0};
    nn_sample_latent(z, 2, 2, &r);
    for (int i = 0; i < 4; i++)
        if (z[i] != nn_rng_normal(&copy)) {
            snprintf(why, cap, "z[%d] is %g, not the rng's next normal number", i,
                     (double)z[i]);
            return 0;
        }
    return 1;
}

/* Whether the tiny MLP m that a build exercise made has the layers kinds[0..n);
 * frees m. */
static int judge_mlp_layers(nn_model *m, const nn_layer_kind *kinds, int n, char *why,
                            size_t cap)
{
    int ok = kinds_are(m, kinds, n);
    if (!ok) snprintf(why, cap, "%s", m ? "a one-hidden-layer MLP has the wrong layers"
                                        : "it returns no model");
    nn_model_free(m);
    return ok;
}

static int probe_build_generator(char *why, size_t cap)
{
    static const nn_layer_kind g[] = {NN_LAYER_LINEAR, NN_LAYER_LEAKY_RELU, NN_LAYER_LINEAR,
                                      NN_LAYER_TANH};
    nn_gan_arch a = tiny_arch();
    return judge_mlp_layers(nn_gan_build_generator(&a, 1, NULL), g, 4, why, cap);
}

static int probe_build_discriminator(char *why, size_t cap)
{
    static const nn_layer_kind d[] = {NN_LAYER_LINEAR, NN_LAYER_LEAKY_RELU, NN_LAYER_LINEAR};
    nn_gan_arch a = tiny_arch();
    return judge_mlp_layers(nn_gan_build_discriminator(&a, 1, NULL), d, 3, why, cap);
}

/* y = 2*5 + 3*7 + 1 = 32 */
static int probe_linear_forward(char *why, size_t cap)
{
    const float x[2] = {5, 7}, w[2] = {2, 3}, b[1] = {1};
    float y[1] = {0};
    nn_linear_forward(y, x, w, b, 1, 2, 1);
    snprintf(why, cap, "x = (5, 7), w = (2, 3), b = 1 gives y = %g, expected 32",
             (double)y[0]);
    return y[0] == 32.0f;
}

static int probe_sigmoid(char *why, size_t cap)
{
    float a = nn_sigmoidf(0.0f), b = nn_sigmoidf(2.0f), c = nn_sigmoidf(-1000.0f);
    snprintf(why, cap, "sigmoid(0), sigmoid(2), sigmoid(-1000) are %g, %g, %g; expected "
             "0.5, 0.8808, 0", (double)a, (double)b, (double)c);
    return near(a, 0.5) && near(b, 0.880797) && c == 0.0f;
}

/* N(0, 0.02) weights, zero biases */
static int probe_init_linear(char *why, size_t cap)
{
    float w[400], b[20];
    for (int i = 0; i < 20; i++) b[i] = 9.0f;
    memset(w, 0, sizeof w);
    nn_rng r;
    nn_rng_seed(&r, 1, 0);
    nn_init_linear(&r, w, b, 20, 20, NN_INIT_NORMAL_002, 0.0f);
    double sq = 0.0;
    for (int i = 0; i < 400; i++) sq += (double)w[i] * w[i];
    double sd = sqrt(sq / 400.0);
    snprintf(why, cap, "N(0, 0.02) init gives weights of spread %.4f and bias %g; "
             "expected about 0.02 and 0", sd, (double)b[0]);
    return sd > 0.015 && sd < 0.025 && b[0] == 0.0f && b[19] == 0.0f;
}

/* at s = 0, n = 2: L = 2 log 2, dL/ds = -/+ sigmoid(0) / n = -/+0.25 */
static int probe_d_loss(char *why, size_t cap)
{
    float s[2] = {0, 0}, dr[2] = {0}, df[2] = {0};
    float L = nn_gan_d_loss(dr, df, s, s, 2, 2, 1.0f);
    snprintf(why, cap, "at logits 0 (n = 2) the loss is %g, dL/ds_real %g; expected "
             "2 log 2 = 1.3863 and -0.25", (double)L, (double)dr[0]);
    return near(L, 2.0 * log(2.0)) && near(dr[0], -0.25) && near(df[1], 0.25);
}

static int probe_g_loss(char *why, size_t cap)
{
    float s[2] = {0, 0}, ds[2] = {0};
    float L = nn_gan_g_loss_nonsat(ds, s, 2);
    snprintf(why, cap, "at logits 0 (n = 2) the loss is %g, dL/ds %g; expected "
             "log 2 = 0.6931 and -0.25", (double)L, (double)ds[0]);
    return near(L, log(2.0)) && near(ds[1], -0.25);
}

/* one step moves both networks and counts itself */
static int probe_train_step(char *why, size_t cap)
{
    nn_gan_arch a = tiny_arch();
    nn_gan_config c = nn_gan_config_default();
    c.batch = 2;
    nn_gan *g = nn_gan_create(&a, &c, NN_INIT_NORMAL_002, 1, NULL);
    if (!g) { snprintf(why, cap, "nn_gan_create fails"); return 0; }
    float d0 = g->D->params[0], g0 = g->G->params[0];
    const float real[4] = {0.5f, -0.5f, 0.25f, 0.75f};
    nn_gan_stats st;
    memset(&st, 0, sizeof st);
    nn_gan_step(g, real, &st);
    int ok = g->steps == 1 && g->D->params[0] != d0 && g->G->params[0] != g0 &&
             st.d_loss > 0.0f && st.g_loss > 0.0f;
    snprintf(why, cap, "one step leaves steps = %ld, D loss %g, G loss %g and %s",
             g->steps, (double)st.d_loss, (double)st.g_loss,
             g->D->params[0] != d0 && g->G->params[0] != g0 ? "both networks moved"
                                                            : "a network unchanged");
    nn_gan_free(g);
    return ok;
}

static int probe_bytes_to_float(char *why, size_t cap)
{
    const uint8_t p[3] = {0, 255, 51};
    float x[3] = {0};
    nn_bytes_to_float(x, p, 3, NN_RANGE_PM1);
    snprintf(why, cap, "bytes 0, 255, 51 become %g, %g, %g; expected -1, 1, -0.6",
             (double)x[0], (double)x[1], (double)x[2]);
    return x[0] == -1.0f && x[1] == 1.0f && near(x[2], -0.6);
}

/* y = 2 x0 + 3 x1 + b at x = (5, 7), dy = 1, gradients starting at 1 */
static int probe_linear_backward(char *why, size_t cap)
{
    const float x[2] = {5, 7}, w[2] = {2, 3}, dy[1] = {1};
    float dx[2] = {1, 1}, dw[2] = {1, 1}, db[1] = {1};
    nn_linear_backward(dx, dw, db, dy, x, w, 1, 2, 1);
    snprintf(why, cap, "x = (5, 7), w = (2, 3), dy = 1 added to 1s gives dx = (%g, %g), "
             "dw = (%g, %g), db = %g; expected (3, 4), (6, 8), 2", (double)dx[0],
             (double)dx[1], (double)dw[0], (double)dw[1], (double)db[0]);
    return dx[0] == 3 && dx[1] == 4 && dw[0] == 6 && dw[1] == 8 && db[0] == 2;
}

static int probe_leaky_relu_backward(char *why, size_t cap)
{
    const float x[2] = {-2, 3}, dy[2] = {1, 1};
    float dx[2] = {0, 0};
    nn_leaky_relu_backward(dx, dy, x, 0.2f, 2);
    snprintf(why, cap, "x = (-2, 3), dy = 1, slope 0.2 gives dx = (%g, %g); expected "
             "(0.2, 1)", (double)dx[0], (double)dx[1]);
    return near(dx[0], 0.2) && dx[1] == 1.0f;
}

/* d/dx x^2 at 3 is 6; rel error of (1, 2) against (1, 3) is 1 / 5 */
static int probe_grad_check(char *why, size_t cap)
{
    float x = 3.0f;
    double d = nn_central_difference(square_at, &x, &x, 1e-2f);
    const float a[2] = {1, 2}, b[2] = {1, 3};
    double e = nn_rel_error(a, b, 2);
    snprintf(why, cap, "the slope of x^2 at 3 comes out %g (expected 6) and the "
             "relative error of (1, 2) against (1, 3) %g (expected 0.2)", d, e);
    return near(d, 6.0) && near(e, 0.2);
}

/* Every term of the sum: two input channels (the image 1..9 and one of
 * ones) under the kernels (1, 2; 3, 4) and (-1, -1; -1, -1), stride 2,
 * padding 1, bias 0.5. Output (i, j) puts the kernel's corner at
 * (2i - 1, 2j - 1): (0, 0) sees pixel 1 under the 4 and one 1 under a -1,
 * 4 - 1 + 0.5 = 3.5; (0, 1) 3*2 + 4*3 - 2 + 0.5 = 16.5; (1, 0)
 * 2*4 + 4*7 - 2 + 0.5 = 34.5; (1, 1) 5 + 12 + 24 + 36 - 4 + 0.5 = 73.5. */
static int probe_conv2d_forward(char *why, size_t cap)
{
    const float x[18] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    const float w[8] = {1, 2, 3, 4, -1, -1, -1, -1}, b[1] = {0.5f};
    const float want[4] = {3.5f, 16.5f, 34.5f, 73.5f};
    float y[4] = {0};
    nn_conv2d_forward_reference(y, x, w, b, 1, 2, 3, 3, 1, 2, 2, 1);
    int ok = 1, no_bias = 1;
    for (int i = 0; i < 4; i++) {
        ok &= near(y[i], want[i]);
        no_bias &= near(y[i], want[i] - 0.5);
    }
    snprintf(why, cap, "two channels (the 3 x 3 image 1..9 and one of ones) by the 2 x 2 "
             "kernels (1, 2; 3, 4) and (-1, -1; -1, -1), stride 2, padding 1, bias 0.5 give "
             "%g %g %g %g; expected 3.5 16.5 34.5 73.5%s", (double)y[0], (double)y[1],
             (double)y[2], (double)y[3],
             no_bias ? " (each is 0.5 short: the bias is missing)" : "");
    return ok;
}

static int probe_convt_out_size(char *why, size_t cap)
{
    int a = nn_conv_transpose2d_out_size(7, 4, 2, 1);
    int b = nn_conv_transpose2d_out_size(3, 3, 1, 0);
    snprintf(why, cap, "7 by kernel 4, stride 2, padding 1 gives %d (expected 14); 3 by "
             "kernel 3, stride 1 gives %d (expected 5)", a, b);
    return a == 14 && b == 5;
}

/* reals (1, 3), fakes (0, 0, 3): 1 - 2 = -1; G: -1 */
static int probe_wgan_loss(char *why, size_t cap)
{
    const float sr[2] = {1, 3}, sf[3] = {0, 0, 3};
    float dr[2] = {0}, df[3] = {0}, dg[3] = {0};
    float L = nn_wgan_critic_loss(dr, df, sr, sf, 2, 3);
    float Lg = nn_wgan_g_loss(dg, sf, 3);
    snprintf(why, cap, "reals scored (1, 3) and fakes (0, 0, 3) give the critic's loss "
             "%g and G's %g, dL/ds_real %g; expected -1, -1 and -0.5", (double)L,
             (double)Lg, (double)dr[0]);
    return near(L, -1.0) && near(Lg, -1.0) && near(dr[1], -0.5) && near(df[2], 1.0 / 3) &&
           near(dg[0], -1.0 / 3);
}

static int probe_clip_weights(char *why, size_t cap)
{
    float w[3] = {-2.0f, 0.25f, 0.75f};
    size_t moved = nn_clip_weights(w, 3, 0.5f);
    snprintf(why, cap, "(-2, 0.25, 0.75) clipped at 0.5 gives (%g, %g, %g) and %zu "
             "moved; expected (-0.5, 0.25, 0.5) and 2", (double)w[0], (double)w[1],
             (double)w[2], moved);
    return w[0] == -0.5f && w[1] == 0.25f && w[2] == 0.5f && moved == 2;
}

/* rows (3, 4) and (0.6, 0.8), lambda 1: P = (16 + 0) / 2 = 8 */
static int probe_gradient_penalty(char *why, size_t cap)
{
    const float g[4] = {3, 4, 0.6f, 0.8f}, real[2] = {1, 2}, fake[2] = {3, 6};
    const float eps[1] = {0.25f};
    float r[4] = {0}, x[2] = {0};
    float P = nn_gradpen_value(r, g, 2, 2, 1.0f, NULL);
    nn_gradpen_interpolate(x, real, fake, eps, 1, 2);
    snprintf(why, cap, "rows (3, 4), (0.6, 0.8) give P = %g, r_0 = (%g, %g) (expected 8, "
             "(2.4, 3.2)); (1, 2) and (3, 6) at eps 0.25 give (%g, %g) (expected 2.5, 5)",
             (double)P, (double)r[0], (double)r[1], (double)x[0], (double)x[1]);
    return near(P, 8.0) && near(r[0], 2.4) && near(r[1], 3.2) && near(x[0], 2.5) &&
           near(x[1], 5.0);
}

/* x = (5), label 1 of 3: (5, 0, 1, 0) */
static int probe_condition(char *why, size_t cap)
{
    const float x[1] = {5};
    const int y[1] = {1};
    float out[4] = {9, 9, 9, 9};
    nn_gan_condition(out, x, y, 1, 1, 3);
    snprintf(why, cap, "x = (5) with label 1 of 3 gives (%g, %g, %g, %g); expected "
             "(5, 0, 1, 0)", (double)out[0], (double)out[1], (double)out[2],
             (double)out[3]);
    return out[0] == 5 && out[1] == 0 && out[2] == 1 && out[3] == 0;
}

/* halfway round a quarter circle; a to itself; and halfway from a to 2.5 a,
 * a parallel pair whose cosine, summed in double, rounds to 1 + 2.2e-16
 * (acos NaN without a clamp): the straight line's midpoint, 1.75 a */
static int probe_slerp(char *why, size_t cap)
{
    const float a[2] = {1, 0}, b[2] = {0, 1};
    const float p[3] = {-0.254f, 0.985f, -8.32f};
    float m[2] = {0, 0}, s[2] = {0, 0}, q[3] = {0, 0, 0}, pb[3];
    for (int j = 0; j < 3; j++) pb[j] = 2.5f * p[j];
    nn_slerp(m, a, b, 2, 0.5f);
    nn_slerp(s, a, a, 2, 0.5f);
    nn_slerp(q, p, pb, 3, 0.5f);
    int par = 1;
    for (int j = 0; j < 3; j++) par &= near(q[j], 1.75 * p[j]);
    snprintf(why, cap, "halfway from (1, 0) to (0, 1) gives (%g, %g), expected (0.7071, "
             "0.7071); from (1, 0) to itself (%g, %g), expected (1, 0); from "
             "a = (-0.254, 0.985, -8.32) to 2.5 a, (%g, %g, %g), expected 1.75 a%s",
             (double)m[0], (double)m[1], (double)s[0], (double)s[1], (double)q[0],
             (double)q[1], (double)q[2],
             isnan(q[0]) ? " (a NaN: clamp the cosine to [-1, 1] before acos)" : "");
    return near(m[0], 0.70710678) && near(m[1], 0.70710678) && near(s[0], 1.0) &&
           near(s[1], 0.0) && par;
}

/* logits (0, 0, 0, 0), code 1: L = log 4, dL/dq = (1/4, -3/4, 1/4, 1/4) */
static int probe_info_loss(char *why, size_t cap)
{
    const float q[4] = {0, 0, 0, 0};
    const int c[1] = {1};
    float dq[4] = {0, 0, 0, 0};
    float L = nn_info_cat_loss(dq, q, 4, c, 1, 4);
    snprintf(why, cap, "logits (0, 0, 0, 0) and code 1 give a loss of %g and dL/dq_1 %g; "
             "expected log 4 = 1.3863 and -0.75", (double)L, (double)dq[1]);
    return near(L, log(4.0)) && near(dq[1], -0.75) && near(dq[0], 0.25);
}

/* y = (1, 2), t = (0, 0): L = 5 / 2, dL/dy = 2 (y - t) / 2 = (1, 2) */
static int probe_mse_loss(char *why, size_t cap)
{
    const float y[2] = {1, 2}, t[2] = {0, 0};
    float dy[2] = {0, 0};
    float l = nn_mse_loss(dy, y, t, 2);
    snprintf(why, cap, "y = (1, 2) against t = (0, 0) gives L %g, dy (%g, %g); expected "
             "2.5, (1, 2)", (double)l, (double)dy[0], (double)dy[1]);
    return near(l, 2.5) && near(dy[0], 1.0) && near(dy[1], 2.0);
}

/* ref {0, 1, 5}, k = 1: radii 1, 1, 4; 0.5 and 2.5 inside, 9.5 not */
static int probe_knn_precision(char *why, size_t cap)
{
    const float ref[3] = {0, 1, 5}, x[3] = {0.5f, 2.5f, 9.5f};
    float p = nn_knn_precision(ref, 3, x, 3, 1, 1);
    snprintf(why, cap, "ref {0, 1, 5}, x {0.5, 2.5, 9.5}, k = 1 gives %g; expected 2/3",
             (double)p);
    return near(p, 2.0 / 3.0);
}

/* x = (0.5, 0.95), grad = (3, -1), eps 0.1 in [0, 1]: (0.6, 0.85) */
static int probe_fgsm_step(char *why, size_t cap)
{
    const float x[2] = {0.5f, 0.95f}, g[2] = {3.0f, -1.0f};
    float a[2] = {0, 0};
    nn_fgsm_step(a, x, g, 2, 0.1f, 0.0f, 1.0f);
    snprintf(why, cap, "x = (0.5, 0.95), grad = (3, -1), eps 0.1 gives (%g, %g); expected "
             "(0.6, 0.85)", (double)a[0], (double)a[1]);
    return near(a[0], 0.6) && near(a[1], 0.85);
}

/* rec = (1, -1, 0.5), x = (0, 0, 0.5), lambda 10: L = 20/3, 10/3 (1, -1, 0) */
static int probe_cycle_loss(char *why, size_t cap)
{
    const float rec[3] = {1, -1, 0.5f}, x[3] = {0, 0, 0.5f};
    float d[3] = {7, 7, 7};
    float l = nn_cycle_loss(d, rec, x, 3, 10.0f);
    snprintf(why, cap, "rec = (1, -1, 0.5) against x = (0, 0, 0.5), lambda 10 gives L %g, "
             "drec (%g, %g, %g); expected 6.66667, (3.33333, -3.33333, 0)", (double)l,
             (double)d[0], (double)d[1], (double)d[2]);
    return near(l, 20.0 / 3.0) && near(d[0], 10.0 / 3.0) && near(d[1], -10.0 / 3.0) &&
           d[2] == 0.0f;
}

/* x = (0, 0, 2, 2), eps 0: xhat (-1, -1, 1, 1); scale 3, bias -1 */
static int probe_adain(char *why, size_t cap)
{
    const float x[4] = {0, 0, 2, 2}, sc[1] = {3}, bi[1] = {-1};
    float y[4] = {0, 0, 0, 0}, xh[4] = {0, 0, 0, 0}, is[1] = {0};
    nn_adain_forward(y, xh, is, x, sc, bi, 1, 1, 4, 0.0f);
    snprintf(why, cap, "x = (0, 0, 2, 2), scale 3, bias -1, eps 0 gives y (%g, %g, %g, %g); "
             "expected (-4, -4, 2, 2)", (double)y[0], (double)y[1], (double)y[2],
             (double)y[3]);
    return near(y[0], -4.0) && near(y[2], 2.0) && near(xh[3], 1.0) && near(is[0], 1.0);
}

/* x = (1, 2), keep 0, s = log 2, t = 1: y = (1, 5), logdet 0.5 + log 2; back */
static int probe_coupling(char *why, size_t cap)
{
    const float x[2] = {1, 2}, s[1] = {(float)log(2.0)}, t[1] = {1};
    float y[2] = {0, 0}, back[2] = {0, 0}, ld[1] = {0.5f}, ldb[1] = {0};
    nn_coupling_forward(y, ld, x, s, t, 1, 0);
    nn_coupling_inverse(back, ldb, y, s, t, 1, 0);
    snprintf(why, cap, "x = (1, 2), keep 0, s = log 2, t = 1 gives y = (%g, %g), logdet "
             "0.5 -> %g, and back (%g, %g) with logdet %g; expected (1, 5), 1.1931, (1, 2), "
             "-0.6931", (double)y[0], (double)y[1], (double)ld[0], (double)back[0],
             (double)back[1], (double)ldb[0]);
    return near(y[0], 1.0) && near(y[1], 5.0) && near(ld[0], 0.5 + log(2.0)) &&
           near(back[0], 1.0) && near(back[1], 2.0) && near(ldb[0], -log(2.0));
}

/* mu 0, lv log 4, eps -1: z = -2; dz 1: dmu 1, dlv -1; KL of (0, log 4): (3 - log 4) / 2 */
static int probe_reparam_kl(char *why, size_t cap)
{
    const float mu[1] = {0}, lv[1] = {(float)log(4.0)}, eps[1] = {-1}, dz[1] = {1};
    float z[1] = {0}, dmu[1] = {0}, dlv[1] = {0};
    nn_reparam_forward(z, mu, lv, eps, 1);
    nn_reparam_backward(dmu, dlv, dz, lv, eps, 1);
    float kl = nn_gauss_kl(NULL, NULL, mu, lv, 1, 1);
    snprintf(why, cap, "mu 0, lv log 4, eps -1 gives z %g, dmu %g, dlv %g and KL %g; expected "
             "-2, 1, -1 and 0.80685", (double)z[0], (double)dmu[0], (double)dlv[0], (double)kl);
    return near(z[0], -2.0) && near(dmu[0], 1.0) && near(dlv[0], -1.0) &&
           near(kl, 0.5 * (3.0 - log(4.0)));
}

/* x0 (2, 0), eps (0, 1), abar 0.25: x_t (1, 0.866); loss of pred (1, 1) against 0: 2 */
static int probe_ddpm_noise_loss(char *why, size_t cap)
{
    const float x0[2] = {2, 0}, eps[2] = {0, 1}, ab[1] = {0.25f}, pred[2] = {1, 1},
                zero[2] = {0, 0};
    float xt[2] = {0, 0}, d[2] = {0, 0};
    nn_ddpm_noise(xt, x0, eps, ab, 1, 2);
    float l = nn_ddpm_loss(d, pred, zero, 1, 2);
    snprintf(why, cap, "x0 (2, 0), eps (0, 1), abar 0.25 gives x_t (%g, %g), and pred (1, 1) "
             "against zero noise a loss %g, dpred (%g, %g); expected (1, 0.866), 2, (2, 2)",
             (double)xt[0], (double)xt[1], (double)l, (double)d[0], (double)d[1]);
    return near(xt[0], 1.0) && near(xt[1], sqrt(0.75)) && near(l, 2.0) && near(d[0], 2.0);
}

/* beta 0.36, abar 0.36, abar_prev 0.5625, x_t 1, eps_hat 1, z 1: 0.6875 + 0.49608 */
static int probe_ddpm_step(char *why, size_t cap)
{
    const float xt[1] = {1}, e[1] = {1}, z[1] = {1};
    float x[1] = {0};
    nn_ddpm_step(x, xt, e, z, 0.36f, 0.36f, 0.5625f, 1, 1);
    snprintf(why, cap, "beta 0.36, abar 0.36, abar_prev 0.5625, x_t 1, eps_hat 1, z 1 gives "
             "%g; expected 1.18358", (double)x[0]);
    return near(x[0], 0.6875 + sqrt(0.24609375));
}

/* ca 2, cb 1, hw 1: a (1, 2), b (3) -> (1, 2, 3); dout (1, 2, 3) added to 1s: (2, 3), 4 */
static int probe_unet_skip(char *why, size_t cap)
{
    const float a[2] = {1, 2}, b[1] = {3}, dout[3] = {1, 2, 3};
    float out[3] = {0, 0, 0}, da[2] = {1, 1}, db[1] = {1};
    nn_concat_channels_forward(out, a, b, 1, 2, 1, 1);
    nn_concat_channels_backward(da, db, dout, 1, 2, 1, 1);
    snprintf(why, cap, "a (1, 2), b (3) gives (%g, %g, %g), and dout (1, 2, 3) added to da "
             "(1, 1), db (1) gives da (%g, %g), db %g; expected (1, 2, 3), (2, 3), 4",
             (double)out[0], (double)out[1], (double)out[2], (double)da[0], (double)da[1],
             (double)db[0]);
    return out[0] == 1.0f && out[1] == 2.0f && out[2] == 3.0f && da[0] == 2.0f &&
           da[1] == 3.0f && db[0] == 4.0f;
}

/* x (0.5, -1), m (0, 1): (0.5, 0, 0, 1); p (1, -1, 0.5), t (0, 0, 0.5), m (1, 0, 1),
 * lambda 10: L 5, dp (5, 0, 0) */
static int probe_mask_l1(char *why, size_t cap)
{
    const float x[2] = {0.5f, -1}, mi[2] = {0, 1};
    const float p[3] = {1, -1, 0.5f}, t[3] = {0, 0, 0.5f}, m[3] = {1, 0, 1};
    float in[4] = {9, 9, 9, 9}, dp[3] = {0, 0, 0};
    nn_mask_input(in, x, mi, 1, 2);
    float L = nn_l1_loss(dp, p, t, m, 3, 10.0f);
    snprintf(why, cap, "x (0.5, -1), mask (0, 1) gives the input (%g, %g, %g, %g), and "
             "p (1, -1, 0.5), t (0, 0, 0.5), mask (1, 0, 1), lambda 10 a loss %g, dp (%g, %g, "
             "%g); expected (0.5, 0, 0, 1), 5, (5, 0, 0)", (double)in[0], (double)in[1],
             (double)in[2], (double)in[3], (double)L, (double)dp[0], (double)dp[1],
             (double)dp[2]);
    return near(in[0], 0.5) && in[1] == 0.0f && in[2] == 0.0f && in[3] == 1.0f &&
           near(L, 5.0) && near(dp[0], 5.0) && dp[1] == 0.0f && dp[2] == 0.0f;
}

/* One row per exercise, in exercise order (the lowest failing one is the
 * one reported). probe returns 1 when the function answers its case right,
 * else 0 with what it got written into why. */
typedef struct {
    int number;
    const char *function;   /* what the student writes */
    const char *file;       /* where: exercises/NN_slug.c */
    int (*probe)(char *why, size_t cap);
} exercise;

static const exercise exercises[] = {
    {1, "nn_sample_latent", "exercises/01_sample_latent.c", probe_sample_latent},
    {2, "nn_gan_build_generator", "exercises/02_build_generator.c", probe_build_generator},
    {3, "nn_linear_forward", "exercises/03_linear_forward.c", probe_linear_forward},
    {4, "nn_gan_build_discriminator", "exercises/04_build_discriminator.c",
     probe_build_discriminator},
    {5, "nn_sigmoidf", "exercises/05_sigmoid.c", probe_sigmoid},
    {6, "nn_init_linear", "exercises/06_init_linear.c", probe_init_linear},
    {7, "nn_gan_d_loss", "exercises/07_d_loss.c", probe_d_loss},
    {8, "nn_gan_g_loss_nonsat", "exercises/08_g_loss.c", probe_g_loss},
    {9, "nn_gan_step", "exercises/09_train_step.c", probe_train_step},
    {10, "nn_bytes_to_float", "exercises/10_bytes_to_float.c", probe_bytes_to_float},
    {11, "nn_linear_backward", "exercises/11_linear_backward.c", probe_linear_backward},
    {12, "nn_leaky_relu_backward", "exercises/12_leaky_relu_backward.c", probe_leaky_relu_backward},
    {13, "nn_central_difference", "exercises/13_grad_check.c", probe_grad_check},
    {14, "nn_conv2d_forward_reference", "exercises/14_conv2d_forward.c", probe_conv2d_forward},
    {15, "nn_conv_transpose2d_out_size", "exercises/15_convt_out_size.c", probe_convt_out_size},
    {16, "nn_wgan_critic_loss", "exercises/16_wgan_loss.c", probe_wgan_loss},
    {17, "nn_clip_weights", "exercises/17_clip_weights.c", probe_clip_weights},
    {18, "nn_gradpen_value", "exercises/18_gradient_penalty.c", probe_gradient_penalty},
    {19, "nn_gan_condition", "exercises/19_condition.c", probe_condition},
    {20, "nn_slerp", "exercises/20_slerp.c", probe_slerp},
    {21, "nn_info_cat_loss", "exercises/21_info_loss.c", probe_info_loss},
    {22, "nn_mse_loss", "exercises/22_mse_loss.c", probe_mse_loss},
    {23, "nn_knn_precision", "exercises/23_knn_precision.c", probe_knn_precision},
    {24, "nn_fgsm_step", "exercises/24_fgsm_step.c", probe_fgsm_step},
    {25, "nn_cycle_loss", "exercises/25_cycle_loss.c", probe_cycle_loss},
    {26, "nn_adain_forward", "exercises/26_adain.c", probe_adain},
    {27, "nn_coupling_forward", "exercises/27_coupling.c", probe_coupling},
    {28, "nn_reparam_forward", "exercises/28_reparam_kl.c", probe_reparam_kl},
    {29, "nn_ddpm_noise", "exercises/29_ddpm_noise_loss.c", probe_ddpm_noise_loss},
    {30, "nn_ddpm_step", "exercises/30_ddpm_step.c", probe_ddpm_step},
    {31, "nn_concat_channels_forward", "exercises/31_unet_skip.c", probe_unet_skip},
    {32, "nn_mask_input", "exercises/32_mask_l1.c", probe_mask_l1},
};
#define N_EXERCISES ((int)(sizeof exercises / sizeof exercises[0]))

static const exercise *find(int n)
{
    for (int i = 0; i < N_EXERCISES; i++)
        if (exercises[i].number == n) return &exercises[i];
    return NULL;
}

const char *lesson_exercise_function(int n)
{
    const exercise *e = find(n);
    return e ? e->function : "?";
}

const char *lesson_exercise_file(int n)
{
    const exercise *e = find(n);
    return e ? e->file : "?";
}

int lesson_exercise_probe(uint64_t mask, char *why, size_t cap)
{
    for (int i = 0; i < N_EXERCISES; i++) {
        const exercise *e = &exercises[i];
        assert(e->number >= 1 && e->number <= LESSON_EXERCISE_MAX);
        if ((mask & LESSON_EXERCISE_BIT(e->number)) && !e->probe(why, cap)) return e->number;
    }
    return 0;
}

uint64_t lesson_exercise_probe_all(uint64_t mask)
{
    uint64_t failing = 0;
    char why[256];
    for (int i = 0; i < N_EXERCISES; i++) {
        const exercise *e = &exercises[i];
        assert(e->number >= 1 && e->number <= LESSON_EXERCISE_MAX);
        if ((mask & LESSON_EXERCISE_BIT(e->number)) && !e->probe(why, sizeof why))
            failing |= LESSON_EXERCISE_BIT(e->number);
    }
    return failing;
}
