/* test_layers.c - every layer three ways: a tiny case worked by hand, a
 * central-difference check of every input and parameter, and values computed
 * once with PyTorch (tests/reference/layers.py, pasted below as C arrays). */
#include "testutil.h"

#include <math.h>
#include <string.h>

#include "nn/gradcheck.h"
#include "nn/layers.h"
#include "base/rng.h"

/* Gradient checks in float32 with h = 1e-3 stay well below this; a wrong
 * term in a backward pass shows up far above it. */
#define GC_TOL 1e-2
#define GC_H 1e-3f
/* PyTorch's float32 results against ours. */
#define REF_TOL 1e-5

/* ------------------------------------------------ reference values (torch) */
/* Produced by /usr/bin/python3 tests/reference/layers.py (torch 1.13,
 * torch.manual_seed(2014)); each array's comment names the torch call. */
/* input (4, 3) */
static const float LIN_X[12] = {1.61530006f, 0.763700008f, -0.517499983f, -1.24539995f, 0.31189999f, 0.751299977f, 0.596000016f, 0.0991000012f, 0.853699982f, -2.4533999f, -1.25460005f, 0.677100003f};
/* weight (2, 3) */
static const float LIN_W[6] = {-1.18229997f, 2.75300002f, -0.00970000029f, 0.504800022f, 0.274800003f, 1.15369999f};
/* bias (2) */
static const float LIN_B[2] = {-0.0335999988f, 1.45570004f};
/* upstream gradient (4, 2) */
static const float LIN_DY[8] = {0.756200016f, 1.02359998f, -0.192699999f, -0.240600005f, -1.03610003f, -0.861999989f, -0.379000008f, 0.942600012f};
/* torch.nn.functional.linear(x, w, b) */
static const float LIN_Y[8] = {0.16411671f, 1.88392866f, 2.29020929f, 1.77950704f, -0.473709434f, 2.76870728f, -0.5934273f, 0.653629899f};
/* x.grad after y.backward(dy) */
static const float LIN_DX[12] = {-0.377341956f, 2.36310387f, 1.17359221f, 0.106374316f, -0.596619964f, -0.27571103f, 0.78984344f, -3.08926105f, -0.984439194f, 0.923916221f, -0.784360588f, 1.09115398f};
/* w.grad after y.backward(dy) */
static const float LIN_DW[6] = {1.77380145f, 0.890222728f, -1.67724848f, -0.873262286f, -0.56133002f, -0.808130622f};
/* b.grad after y.backward(dy) */
static const float LIN_DB[2] = {-0.851599991f, 0.863600016f};
/* input (10) */
static const float ACT_X[10] = {-25.0f, -3.5f, -1.20000005f, -0.400000006f, -0.0500000007f, 0.0700000003f, 0.600000024f, 1.89999998f, 4.19999981f, 30.0f};
/* upstream gradient (10) */
static const float ACT_DY[10] = {-0.0175000001f, -1.1882f, -0.232899994f, -0.1734f, -0.515399992f, 0.986100018f, -0.325199991f, 1.16209996f, 0.0237000007f, 1.51900005f};
/* torch.nn.functional.leaky_relu(x, 0.2) */
static const float LRELU_Y[10] = {-5.0f, -0.699999988f, -0.24000001f, -0.0800000057f, -0.0100000007f, 0.0700000003f, 0.600000024f, 1.89999998f, 4.19999981f, 30.0f};
/* x.grad after torch.nn.functional.leaky_relu(x, 0.2).backward(dy) */
static const float LRELU_DX[10] = {-0.00350000011f, -0.237640008f, -0.046579998f, -0.0346800014f, -0.103079997f, 0.986100018f, -0.325199991f, 1.16209996f, 0.0237000007f, 1.51900005f};
/* torch.relu(x) */
static const float RELU_Y[10] = {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0700000003f, 0.600000024f, 1.89999998f, 4.19999981f, 30.0f};
/* x.grad after torch.relu(x).backward(dy) */
static const float RELU_DX[10] = {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.986100018f, -0.325199991f, 1.16209996f, 0.0237000007f, 1.51900005f};
/* torch.sigmoid(x) */
static const float SIGM_Y[10] = {1.38879429e-11f, 0.0293122306f, 0.231475219f, 0.401312351f, 0.487502635f, 0.51749289f, 0.645656288f, 0.869891584f, 0.985225976f, 1.0f};
/* x.grad after torch.sigmoid(x).backward(dy) */
static const float SIGM_DX[10] = {-2.43039014e-13f, -0.0338078849f, -0.0414316133f, -0.0416612141f, -0.128769502f, 0.246223256f, -0.0744006336f, 0.131526724f, 0.000344971369f, 0.0f};
/* torch.tanh(x) */
static const float TANH_Y[10] = {-1.0f, -0.998177886f, -0.833654642f, -0.379948974f, -0.0499583744f, 0.0698858872f, 0.537049592f, 0.956237435f, 0.999550343f, 1.0f};
/* x.grad after torch.tanh(x).backward(dy) */
static const float TANH_DX[10] = {-0.0f, -0.00432612654f, -0.0710391402f, -0.148367763f, -0.514113665f, 0.981283844f, -0.231405064f, 0.0994873345f, 2.13089716e-05f, 0.0f};
/* gamma (3) */
static const float BN_GAMMA[3] = {1.67369998f, 1.87650001f, 1.44745004f};
/* beta (3) */
static const float BN_BETA[3] = {1.35140002f, 0.47874999f, -0.364349991f};
/* running_mean before (3) */
static const float BN_RM0[3] = {0.5f, -0.25f, 1.0f};
/* running_var before (3) */
static const float BN_RV0[3] = {2.0f, 0.5f, 1.5f};
/* input (5, 3) */
static const float BN_X[15] = {1.44299996f, 1.90339994f, 2.14300013f, 1.59200001f, 2.35479999f, 3.55240011f, -1.03640008f, -1.70079994f, 1.71020007f, 1.17859995f, -0.599599957f, 1.66100001f, -0.73239994f, -0.584400058f, 1.36759996f};
/* upstream gradient (5, 3) */
static const float BN_DY[15] = {-0.212799996f, 0.890299976f, 0.223499998f, 0.704400003f, -0.4639f, -1.2802f, -0.268000007f, -0.194900006f, -0.595200002f, -0.194000006f, 0.580900013f, -0.481999993f, 0.0104999999f, -0.404199988f, -0.0432999991f};
/* torch.nn.BatchNorm1d(3, eps=1e-5, momentum=0.1).train()(x) */
static const float BN_Y[15] = {2.76045632f, 2.42070556f, -0.259259164f, 2.98051977f, 2.95891881f, 2.37812233f, -0.901459455f, -1.87665439f, -1.06914902f, 2.36995435f, -0.563671529f, -1.16121614f, -0.45247066f, -0.545548379f, -1.71024966f};
/* bn.running_mean after the train forward */
static const float BN_RM1[3] = {0.498895973f, -0.197531998f, 1.10868394f};
/* bn.running_var after the train forward (unbiased var) */
static const float BN_RV1[3] = {1.96052337f, 0.759613276f, 1.424788f};
/* x.grad after y.backward(dy), train mode */
static const float BN_DX[15] = {-0.509625018f, 0.852933109f, 1.28234994f, 0.816364169f, -0.792539358f, -0.294530064f, -0.11429552f, -0.194790527f, -0.629514635f, -0.431007266f, 0.654994845f, -0.460866332f, 0.238563702f, -0.520597994f, 0.102560773f};
/* bn.weight.grad after y.backward(dy) */
static const float BN_DGAMMA[3] = {0.737844884f, 0.450796574f, -1.81392252f};
/* bn.bias.grad after y.backward(dy) */
static const float BN_DBETA[3] = {0.0400999933f, 0.408199996f, -2.17720008f};
/* eval input (4, 3) */
static const float BNE_X[12] = {-1.09959996f, 0.175999999f, 0.459100008f, 0.379000008f, -0.80400002f, 0.0593999997f, 0.406899989f, 0.43599999f, -0.0478000008f, 0.00659999996f, -0.703800023f, -0.738300025f};
/* the same BatchNorm1d after .eval(), on the eval input */
static const float BNE_Y[12] = {-0.559341967f, 1.28297448f, -1.1520524f, 1.20808387f, -0.826991916f, -1.63673913f, 1.24143374f, 1.8427614f, -1.76673257f, 0.762940228f, -0.611258626f, -2.60405087f};
/* input (4, 3) */
static const float MB_X[12] = {0.162100002f, 0.481099993f, 0.173700005f, -1.67009997f, -0.889400005f, 0.964900017f, -0.74879998f, 0.635900021f, 0.701200008f, -0.988499999f, -1.03569996f, 2.0243001f};
/* upstream gradient (4, 4) */
static const float MB_DY[16] = {-0.594399989f, -0.734399974f, -1.78250003f, -0.387600005f, -0.79339999f, -0.949000001f, -1.23959994f, 1.11510003f, -1.44309998f, -0.760699987f, 1.31710005f, -1.14680004f, 0.596599996f, 0.493999988f, 0.397500008f, -1.26989996f};
/* torch.cat([x, sqrt(x.var(0, unbiased=False) + 1e-8).mean().expand(4, 1)], 1) */
static const float MB_Y[16] = {0.162100002f, 0.481099993f, 0.173700005f, 0.698064983f, -1.67009997f, -0.889400005f, 0.964900017f, 0.698064983f, -0.74879998f, 0.635900021f, 0.701200008f, 0.698064983f, -0.988499999f, -1.03569996f, 2.0243001f, 0.698064983f};
/* x.grad after y.backward(dy) */
static const float MB_DX[12] = {-0.803341031f, -0.86022526f, -1.61705518f, -0.609068036f, -0.822391927f, -1.23936498f, -1.45652068f, -0.91503799f, 1.3723979f, 0.634629786f, 0.647555172f, 0.176522359f};

/* ------------------------------------------------------- gradcheck harness */

enum { L_LINEAR, L_LEAKY, L_RELU, L_SIGMOID, L_TANH, L_BN, L_DROPOUT, L_MBSTD };

#define MAXN 64

/* One layer under test: loss = sum(y * r) for a fixed random r, so
 * d loss / d y = r and backward from dy = r gives the analytic gradients. */
typedef struct {
    int kind, batch, in, out;
    float slope, p;
    float x[MAXN], w[MAXN], b[MAXN];   /* w, b: linear weight/bias or gamma/beta */
    float y[MAXN], r[MAXN];
    float dx[MAXN], dw[MAXN], db[MAXN];
    float cache[MAXN], mean[MAXN], invstd[MAXN], rm[MAXN], rv[MAXN];
    nn_rng rng0;                        /* dropout: the same mask every forward */
} layer_ctx;

static size_t nx_of(const layer_ctx *c) { return (size_t)c->batch * (size_t)c->in; }
static size_t ny_of(const layer_ctx *c) { return (size_t)c->batch * (size_t)c->out; }

static void layer_forward(layer_ctx *c)
{
    size_t n = nx_of(c);
    nn_rng rng = c->rng0;
    switch (c->kind) {
    case L_LINEAR: nn_linear_forward(c->y, c->x, c->w, c->b, c->batch, c->in, c->out); break;
    case L_LEAKY: nn_leaky_relu_forward(c->y, c->x, c->slope, n); break;
    case L_RELU: nn_relu_forward(c->y, c->x, n); break;
    case L_SIGMOID: nn_sigmoid_forward(c->y, c->x, n); break;
    case L_TANH: nn_tanh_forward(c->y, c->x, n); break;
    case L_BN:
        nn_batchnorm_forward_train(c->y, c->cache, c->mean, c->invstd, c->rm, c->rv, c->x, c->w,
                                   c->b, 0.1f, 1e-5f, c->batch, c->in);
        break;
    case L_DROPOUT: nn_dropout_forward(c->y, c->cache, c->x, c->p, &rng, 1, n); break;
    case L_MBSTD: nn_mbstd_forward(c->y, c->x, c->batch, c->in); break;
    }
}

static double layer_loss(void *p)
{
    layer_ctx *c = p;
    layer_forward(c);
    double s = 0.0;
    for (size_t i = 0; i < ny_of(c); i++) s += (double)c->y[i] * c->r[i];
    return s;
}

static void layer_grad(void *p)
{
    layer_ctx *c = p;
    memset(c->dx, 0, sizeof c->dx);
    memset(c->dw, 0, sizeof c->dw);
    memset(c->db, 0, sizeof c->db);
    layer_forward(c);
    size_t n = nx_of(c);
    switch (c->kind) {
    case L_LINEAR:
        nn_linear_backward(c->dx, c->dw, c->db, c->r, c->x, c->w, c->batch, c->in, c->out);
        break;
    case L_LEAKY: nn_leaky_relu_backward(c->dx, c->r, c->x, c->slope, n); break;
    case L_RELU: nn_relu_backward(c->dx, c->r, c->x, n); break;
    case L_SIGMOID: nn_sigmoid_backward(c->dx, c->r, c->y, n); break;
    case L_TANH: nn_tanh_backward(c->dx, c->r, c->y, n); break;
    case L_BN:
        nn_batchnorm_backward(c->dx, c->dw, c->db, c->r, c->cache, c->invstd, c->w, c->batch,
                              c->in);
        break;
    case L_DROPOUT: nn_dropout_backward(c->dx, c->r, c->cache, n); break;
    case L_MBSTD: nn_mbstd_backward(c->dx, c->r, c->x, c->batch, c->in); break;
    }
}

/* Fills x, w, b and r from a fixed seed. Inputs are kept at least 0.1 away
 * from 0 so no perturbation crosses the kink of relu or leaky relu. */
static void layer_setup(layer_ctx *c, int kind, int batch, int in, int out, uint64_t seed)
{
    memset(c, 0, sizeof *c);
    c->kind = kind;
    c->batch = batch;
    c->in = in;
    c->out = out;
    c->slope = 0.2f;
    nn_rng rng;
    nn_rng_seed(&rng, seed, 0);
    for (size_t i = 0; i < nx_of(c); i++) {
        float v = nn_rng_normal(&rng);
        c->x[i] = v >= 0.0f ? v + 0.1f : v - 0.1f;
    }
    nn_rng_fill_normal(&rng, c->w, MAXN, 1.0f, 0.5f);
    nn_rng_fill_normal(&rng, c->b, MAXN, 0.0f, 0.5f);
    nn_rng_fill_normal(&rng, c->r, ny_of(c), 0.0f, 1.0f);
    for (int j = 0; j < MAXN; j++) c->rv[j] = 1.0f;
    nn_rng_seed(&c->rng0, seed + 1, 0);
    assert_true(nx_of(c) <= MAXN && ny_of(c) <= MAXN && (size_t)in * out <= MAXN);
}

/* Checks x (and w, b when nw > 0) by central differences, each against a
 * not-all-zero analytic gradient. */
static void check_layer(layer_ctx *c, size_t nw, size_t nb)
{
    nn_gradcheck_var vars[3] = {{"x", c->x, c->dx, nx_of(c)},
                                {"w", c->w, c->dw, nw},
                                {"b", c->b, c->db, nb}};
    int nv = nw ? (nb ? 3 : 2) : 1;
    nn_gradcheck_report rep;
    double rel = nn_gradcheck(layer_loss, layer_grad, c, vars, nv, GC_H, 0, &rep);
    if (!(rel < GC_TOL))
        print_error("layer %d: relative error %.3g in %s[%zu]\n", c->kind, rel, rep.worst,
                    rep.worst_index);
    assert_true(rel < GC_TOL);
    assert_int_equal(rep.zero_grad, 0);
    assert_not_all_zero(c->dx, nx_of(c));
    if (nw) assert_not_all_zero(c->dw, nw);
    if (nb) assert_not_all_zero(c->db, nb);
}

/* ------------------------------------------------------------------ linear */

static void test_linear_by_hand(void **state)
{
    (void)state;
    /* w (2, 3), b (2), x (2, 3): small integers, y worked out on paper. */
    const float w[6] = {1, 2, 3, -1, 0, 2}, b[2] = {1, -1};
    const float x[6] = {1, 1, 1, 2, 0, -1};
    float y[4];
    nn_linear_forward(y, x, w, b, 2, 3, 2);
    const float y_hand[4] = {7, 0, 0, -5}; /* 1+2+3+1, -1+2-1; 2-3+1, -2-2-1 */
    assert_rel_close(y, y_hand, 4, 1e-7);

    /* dy = identity picks out rows: dx = w, dw = x, db = [1, 1]. */
    const float dy[4] = {1, 0, 0, 1};
    float dx[6] = {0}, dw[6] = {0}, db[2] = {0};
    nn_linear_backward(dx, dw, db, dy, x, w, 2, 3, 2);
    assert_rel_close(dx, w, 6, 1e-7);
    assert_rel_close(dw, x, 6, 1e-7);
    const float db_hand[2] = {1, 1};
    assert_rel_close(db, db_hand, 2, 1e-7);
}

static void test_linear_backward_adds_and_skips_null(void **state)
{
    (void)state;
    float dx[12] = {0}, dw[6] = {0}, db[2] = {0};
    /* Twice into the same buffers: backward adds, so the result doubles. */
    nn_linear_backward(dx, dw, db, LIN_DY, LIN_X, LIN_W, 4, 3, 2);
    nn_linear_backward(dx, dw, db, LIN_DY, LIN_X, LIN_W, 4, 3, 2);
    float twice[12];
    for (int i = 0; i < 12; i++) twice[i] = 2.0f * LIN_DX[i];
    assert_rel_close(dx, twice, 12, REF_TOL);
    for (int i = 0; i < 6; i++) twice[i] = 2.0f * LIN_DW[i];
    assert_rel_close(dw, twice, 6, REF_TOL);
    /* NULL for the parameters: a frozen layer passes dx only. */
    float dx2[12] = {0};
    nn_linear_backward(dx2, NULL, NULL, LIN_DY, LIN_X, LIN_W, 4, 3, 2);
    assert_rel_close(dx2, LIN_DX, 12, REF_TOL);
    /* NULL for dx: parameters only. */
    float dw2[6] = {0}, db2[2] = {0};
    nn_linear_backward(NULL, dw2, db2, LIN_DY, LIN_X, LIN_W, 4, 3, 2);
    assert_rel_close(dw2, LIN_DW, 6, REF_TOL);
    assert_rel_close(db2, LIN_DB, 2, REF_TOL);
}

static void test_linear_gradcheck(void **state)
{
    (void)state;
    layer_ctx c;
    layer_setup(&c, L_LINEAR, 4, 5, 3, 11);
    check_layer(&c, 15, 3);
}

static void test_linear_torch(void **state)
{
    (void)state;
    float y[8], dx[12] = {0}, dw[6] = {0}, db[2] = {0};
    nn_linear_forward(y, LIN_X, LIN_W, LIN_B, 4, 3, 2);
    assert_rel_close(y, LIN_Y, 8, REF_TOL);
    nn_linear_backward(dx, dw, db, LIN_DY, LIN_X, LIN_W, 4, 3, 2);
    assert_rel_close(dx, LIN_DX, 12, REF_TOL);
    assert_rel_close(dw, LIN_DW, 6, REF_TOL);
    assert_rel_close(db, LIN_DB, 2, REF_TOL);
}

/* ------------------------------------------------------------- activations */

static void test_leaky_relu_by_hand(void **state)
{
    (void)state;
    const float x[2] = {-2.0f, 0.5f}, dy[2] = {1.0f, 1.0f};
    float y[2], dx[2] = {0};
    nn_leaky_relu_forward(y, x, 0.2f, 2);
    const float y_hand[2] = {-0.4f, 0.5f}, dx_hand[2] = {0.2f, 1.0f};
    assert_rel_close(y, y_hand, 2, 1e-7);
    nn_leaky_relu_backward(dx, dy, x, 0.2f, 2);
    assert_rel_close(dx, dx_hand, 2, 1e-7);
}

static void test_relu_by_hand(void **state)
{
    (void)state;
    const float x[3] = {-2.0f, 0.0f, 3.0f}, dy[3] = {5.0f, 5.0f, 5.0f};
    float y[3], dx[3] = {1.0f, 1.0f, 1.0f};
    nn_relu_forward(y, x, 3);
    const float y_hand[3] = {0.0f, 0.0f, 3.0f};
    assert_rel_close(y, y_hand, 3, 1e-7);
    nn_relu_backward(dx, dy, x, 3);
    const float dx_hand[3] = {1.0f, 1.0f, 6.0f}; /* added onto the 1s already there */
    assert_rel_close(dx, dx_hand, 3, 1e-7);
}

/* As in torch: a NaN input comes out NaN (a diverged layer must not be
 * hidden), -inf gives exactly +0, +inf passes, and the backward of a NaN
 * input adds nothing. */
static void test_relu_nan_and_inf(void **state)
{
    (void)state;
    const float x[4] = {NAN, -INFINITY, INFINITY, -0.0f}, dy[4] = {1.0f, 1.0f, 1.0f, 1.0f};
    float y[4], dx[4] = {0};
    nn_relu_forward(y, x, 4);
    assert_true(isnan(y[0]));
    assert_true(y[1] == 0.0f && !signbit(y[1]));
    assert_true(isinf(y[2]) && y[2] > 0.0f);
    assert_true(y[3] == 0.0f && !signbit(y[3]));
    nn_relu_backward(dx, dy, x, 4);
    const float dx_hand[4] = {0.0f, 0.0f, 1.0f, 0.0f};
    assert_memory_equal(dx, dx_hand, sizeof dx);
}

static void test_sigmoid_tanh_by_hand(void **state)
{
    (void)state;
    /* sigmoid(0) = 1/2 with slope 1/4; tanh(0) = 0 with slope 1; and the
     * tails saturate to exactly 0 and 1 (or -1, 1) with no NaN or Inf. */
    const float x[5] = {0.0f, 1e4f, -1e4f, 1e30f, -1e30f};
    float y[5];
    nn_sigmoid_forward(y, x, 5);
    const float sig_hand[5] = {0.5f, 1.0f, 0.0f, 1.0f, 0.0f};
    assert_rel_close(y, sig_hand, 5, 1e-7);
    const float dy[1] = {2.0f};
    float dx[1] = {0};
    nn_sigmoid_backward(dx, dy, y, 1);
    assert_close(dx[0], 0.5, 1e-7); /* 2 * 1/2 * 1/2 */

    nn_tanh_forward(y, x, 5);
    const float tanh_hand[5] = {0.0f, 1.0f, -1.0f, 1.0f, -1.0f};
    assert_rel_close(y, tanh_hand, 5, 1e-7);
    dx[0] = 0.0f;
    nn_tanh_backward(dx, dy, y, 1);
    assert_close(dx[0], 2.0, 1e-7);
    /* log(3)/2 = atanh(1/2): tanh there is exactly 1/2, slope 3/4 */
    const float xh = 0.549306144f;
    nn_tanh_forward(y, &xh, 1);
    assert_close(y[0], 0.5, 1e-6);
}

static void test_activations_gradcheck(void **state)
{
    (void)state;
    const int kinds[4] = {L_LEAKY, L_RELU, L_SIGMOID, L_TANH};
    for (int k = 0; k < 4; k++) {
        layer_ctx c;
        layer_setup(&c, kinds[k], 3, 4, 4, 20 + (uint64_t)k);
        check_layer(&c, 0, 0);
    }
}

static void test_activations_torch(void **state)
{
    (void)state;
    float y[10], dx[10];
    nn_leaky_relu_forward(y, ACT_X, 0.2f, 10);
    assert_rel_close(y, LRELU_Y, 10, REF_TOL);
    memset(dx, 0, sizeof dx);
    nn_leaky_relu_backward(dx, ACT_DY, ACT_X, 0.2f, 10);
    assert_rel_close(dx, LRELU_DX, 10, REF_TOL);

    nn_relu_forward(y, ACT_X, 10);
    assert_rel_close(y, RELU_Y, 10, REF_TOL);
    memset(dx, 0, sizeof dx);
    nn_relu_backward(dx, ACT_DY, ACT_X, 10);
    assert_rel_close(dx, RELU_DX, 10, REF_TOL);

    nn_sigmoid_forward(y, ACT_X, 10);
    assert_rel_close(y, SIGM_Y, 10, REF_TOL);
    memset(dx, 0, sizeof dx);
    nn_sigmoid_backward(dx, ACT_DY, y, 10);
    assert_rel_close(dx, SIGM_DX, 10, REF_TOL);

    nn_tanh_forward(y, ACT_X, 10);
    assert_rel_close(y, TANH_Y, 10, REF_TOL);
    memset(dx, 0, sizeof dx);
    nn_tanh_backward(dx, ACT_DY, y, 10);
    assert_rel_close(dx, TANH_DX, 10, REF_TOL);
}

static void test_activation_backward_null_is_skipped(void **state)
{
    (void)state;
    /* A NULL dx must be accepted by every element-wise backward. */
    const float x[2] = {1.0f, -1.0f}, dy[2] = {1.0f, 1.0f};
    float mask[2] = {1.0f, 1.0f};
    nn_leaky_relu_backward(NULL, dy, x, 0.2f, 2);
    nn_relu_backward(NULL, dy, x, 2);
    nn_sigmoid_backward(NULL, dy, x, 2);
    nn_tanh_backward(NULL, dy, x, 2);
    nn_dropout_backward(NULL, dy, mask, 2);
    nn_mbstd_backward(NULL, dy, x, 1, 1);
    nn_batchnorm_backward(NULL, NULL, NULL, dy, x, mask, mask, 2, 1);
    nn_linear_backward(NULL, NULL, NULL, dy, x, x, 1, 2, 1);
    assert_true(1); /* reaching here without a crash under ASan is the test */
}

/* --------------------------------------------------------------- batchnorm */

static void test_batchnorm_by_hand(void **state)
{
    (void)state;
    /* One feature, two rows [1, 3]: mean 2, biased var 1, unbiased var 2. */
    const float x[2] = {1.0f, 3.0f}, gamma[1] = {2.0f}, beta[1] = {1.0f};
    float y[2], xhat[2], mean[1], invstd[1], rm[1] = {0.0f}, rv[1] = {1.0f};
    nn_batchnorm_forward_train(y, xhat, mean, invstd, rm, rv, x, gamma, beta, 0.1f, 1e-5f, 2, 1);
    const double is = 1.0 / sqrt(1.0 + 1e-5);
    assert_close(mean[0], 2.0, 1e-7);
    assert_close(invstd[0], is, 1e-6);
    assert_close(y[0], 1.0 - 2.0 * is, 1e-6);
    assert_close(y[1], 1.0 + 2.0 * is, 1e-6);
    assert_close(rm[0], 0.2, 1e-7);          /* 0.9 * 0 + 0.1 * 2 */
    assert_close(rv[0], 0.9 + 0.1 * 2.0, 1e-6); /* the unbiased variance, 2 */

    /* dy = 1 everywhere shifts every output alike, which normalisation
     * undoes: dx = 0, dgamma = sum xhat = 0, dbeta = 2. */
    const float dy[2] = {1.0f, 1.0f};
    float dx[2] = {0}, dgamma[1] = {0}, dbeta[1] = {0};
    nn_batchnorm_backward(dx, dgamma, dbeta, dy, xhat, invstd, gamma, 2, 1);
    assert_close(dx[0], 0.0, 1e-6);
    assert_close(dx[1], 0.0, 1e-6);
    assert_close(dgamma[0], 0.0, 1e-6);
    assert_close(dbeta[0], 2.0, 1e-7);

    /* Eval: running mean 1, running var 4: (5 - 1) / 2 = 2, then 2 * 2 + 1 */
    const float xe[1] = {5.0f}, rme[1] = {1.0f}, rve[1] = {4.0f};
    nn_batchnorm_forward_eval(y, xe, gamma, beta, rme, rve, 1e-5f, 1, 1);
    assert_close(y[0], 2.0 * 4.0 / sqrt(4.0 + 1e-5) + 1.0, 1e-5);
}

static void test_batchnorm_gradcheck(void **state)
{
    (void)state;
    layer_ctx c;
    layer_setup(&c, L_BN, 5, 3, 3, 31);
    check_layer(&c, 3, 3); /* x, gamma, beta */
}

static void test_batchnorm_torch_train(void **state)
{
    (void)state;
    float y[15], xhat[15], mean[3], invstd[3], rm[3], rv[3];
    memcpy(rm, BN_RM0, sizeof rm);
    memcpy(rv, BN_RV0, sizeof rv);
    nn_batchnorm_forward_train(y, xhat, mean, invstd, rm, rv, BN_X, BN_GAMMA, BN_BETA, 0.1f,
                               1e-5f, 5, 3);
    assert_rel_close(y, BN_Y, 15, REF_TOL);
    assert_rel_close(rm, BN_RM1, 3, REF_TOL);
    assert_rel_close(rv, BN_RV1, 3, REF_TOL);
    float dx[15] = {0}, dgamma[3] = {0}, dbeta[3] = {0};
    nn_batchnorm_backward(dx, dgamma, dbeta, BN_DY, xhat, invstd, BN_GAMMA, 5, 3);
    assert_rel_close(dx, BN_DX, 15, REF_TOL);
    assert_rel_close(dgamma, BN_DGAMMA, 3, REF_TOL);
    assert_rel_close(dbeta, BN_DBETA, 3, REF_TOL);
}

static void test_batchnorm_torch_eval(void **state)
{
    (void)state;
    /* The eval forward uses the running statistics the train step left. */
    float y[12];
    nn_batchnorm_forward_eval(y, BNE_X, BN_GAMMA, BN_BETA, BN_RM1, BN_RV1, 1e-5f, 4, 3);
    assert_rel_close(y, BNE_Y, 12, REF_TOL);
}

/* ----------------------------------------------------------------- dropout */

static void test_dropout_identity_cases(void **state)
{
    (void)state;
    nn_rng rng, before;
    nn_rng_seed(&rng, 5, 0);
    before = rng;
    float y[10], mask[10];
    /* p = 0 in train mode: identity, mask 1, and no numbers drawn. */
    nn_dropout_forward(y, mask, ACT_X, 0.0f, &rng, 1, 10);
    assert_rel_close(y, ACT_X, 10, 0.0);
    for (int i = 0; i < 10; i++) assert_true(mask[i] == 1.0f);
    assert_true(rng.state == before.state);
    /* Eval mode with p = 0.5: identity too. */
    nn_dropout_forward(y, mask, ACT_X, 0.5f, &rng, 0, 10);
    assert_rel_close(y, ACT_X, 10, 0.0);
    for (int i = 0; i < 10; i++) assert_true(mask[i] == 1.0f);
    /* p = 1 drops everything, without dividing by zero. */
    nn_dropout_forward(y, mask, ACT_X, 1.0f, &rng, 1, 10);
    for (int i = 0; i < 10; i++) assert_true(y[i] == 0.0f && mask[i] == 0.0f);
}

static void test_dropout_mask_statistics(void **state)
{
    (void)state;
    enum { N = 100000 };
    static float x[N], y[N], mask[N];
    for (int i = 0; i < N; i++) x[i] = 1.0f;
    nn_rng rng;
    nn_rng_seed(&rng, 42, 0);
    const float p = 0.3f;
    nn_dropout_forward(y, mask, x, p, &rng, 1, N);
    int zeros = 0;
    double sum = 0.0;
    for (int i = 0; i < N; i++) {
        if (mask[i] == 0.0f) zeros++;
        else assert_close(mask[i], 1.0 / 0.7, 1e-6); /* survivors scaled by 1/(1-p) */
        assert_true(y[i] == x[i] * mask[i]);
        sum += y[i];
    }
    /* Binomial(1e5, 0.3): the std of the fraction is 0.0014; 0.01 is 7 of them. */
    assert_close((double)zeros / N, 0.3, 0.01);
    /* Inverted dropout keeps the mean: E[y] = x = 1. */
    assert_close(sum / N, 1.0, 0.02);
}

static void test_dropout_backward_uses_mask(void **state)
{
    (void)state;
    const float mask[4] = {0.0f, 2.0f, 0.0f, 2.0f}, dy[4] = {1.0f, 2.0f, 3.0f, 4.0f};
    float dx[4] = {1.0f, 1.0f, 1.0f, 1.0f};
    nn_dropout_backward(dx, dy, mask, 4);
    const float dx_hand[4] = {1.0f, 5.0f, 1.0f, 9.0f}; /* 1 + dy * mask */
    assert_rel_close(dx, dx_hand, 4, 1e-7);
}

static void test_dropout_gradcheck(void **state)
{
    (void)state;
    layer_ctx c;
    layer_setup(&c, L_DROPOUT, 4, 5, 5, 41);
    c.p = 0.4f;
    check_layer(&c, 0, 0);
    /* Some elements were dropped and their gradient is exactly 0. */
    int dropped = 0;
    for (size_t i = 0; i < nx_of(&c); i++) dropped += c.cache[i] == 0.0f && c.dx[i] == 0.0f;
    assert_true(dropped > 0);
}

/* ----------------------------------------------------------- minibatch std */

static void test_mbstd_by_hand(void **state)
{
    (void)state;
    /* Columns [1, 3] and [2, 6]: biased stds 1 and 2, their mean 1.5. */
    const float x[4] = {1, 2, 3, 6};
    float y[6];
    nn_mbstd_forward(y, x, 2, 2);
    const float y_hand[6] = {1, 2, 1.5f, 3, 6, 1.5f};
    assert_rel_close(y, y_hand, 6, 1e-7);
    /* Gradient 1 on both copies of s: ds = 2, and
     * dx_bj = 2 (x_bj - mu_j) / (in * batch * sd_j) = +-0.5 everywhere. */
    const float dy[6] = {0, 0, 1, 0, 0, 1};
    float dx[4] = {0};
    nn_mbstd_backward(dx, dy, x, 2, 2);
    const float dx_hand[4] = {-0.5f, -0.5f, 0.5f, 0.5f};
    assert_rel_close(dx, dx_hand, 4, 1e-6);
    /* One row, or identical rows: std 0, s = sqrt(1e-8) = 1e-4, finite. */
    nn_mbstd_forward(y, x, 1, 2);
    assert_close(y[2], 1e-4, 1e-9);
    float dx1[2] = {0};
    const float dy1[3] = {0, 0, 1};
    nn_mbstd_backward(dx1, dy1, x, 1, 2);
    assert_true(dx1[0] == 0.0f && dx1[1] == 0.0f);
}

static void test_mbstd_gradcheck(void **state)
{
    (void)state;
    layer_ctx c;
    layer_setup(&c, L_MBSTD, 4, 3, 4, 51);
    check_layer(&c, 0, 0);
}

static void test_mbstd_torch(void **state)
{
    (void)state;
    float y[16], dx[12] = {0};
    nn_mbstd_forward(y, MB_X, 4, 3);
    assert_rel_close(y, MB_Y, 16, REF_TOL);
    nn_mbstd_backward(dx, MB_DY, MB_X, 4, 3);
    assert_rel_close(dx, MB_DX, 12, REF_TOL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_linear_by_hand),
        cmocka_unit_test(test_linear_backward_adds_and_skips_null),
        cmocka_unit_test(test_linear_gradcheck),
        cmocka_unit_test(test_linear_torch),
        cmocka_unit_test(test_leaky_relu_by_hand),
        cmocka_unit_test(test_relu_nan_and_inf),
        cmocka_unit_test(test_relu_by_hand),
        cmocka_unit_test(test_sigmoid_tanh_by_hand),
        cmocka_unit_test(test_activations_gradcheck),
        cmocka_unit_test(test_activations_torch),
        cmocka_unit_test(test_activation_backward_null_is_skipped),
        cmocka_unit_test(test_batchnorm_by_hand),
        cmocka_unit_test(test_batchnorm_gradcheck),
        cmocka_unit_test(test_batchnorm_torch_train),
        cmocka_unit_test(test_batchnorm_torch_eval),
        cmocka_unit_test(test_dropout_identity_cases),
        cmocka_unit_test(test_dropout_mask_statistics),
        cmocka_unit_test(test_dropout_backward_uses_mask),
        cmocka_unit_test(test_dropout_gradcheck),
        cmocka_unit_test(test_mbstd_by_hand),
        cmocka_unit_test(test_mbstd_gradcheck),
        cmocka_unit_test(test_mbstd_torch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
