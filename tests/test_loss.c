/* test_loss.c - every loss three ways (a case worked by hand, a
 * central-difference check, PyTorch's values), plus the extreme logits that
 * make a naive log(sigmoid(s)) return Inf or NaN. */
#include "testutil.h"

#include <math.h>
#include <string.h>

#include "nn/gradcheck.h"
#include "nn/loss.h"

#define GC_TOL 1e-2
#define GC_H 1e-3f
#define REF_TOL 1e-5
#define LOG2 0.69314718055994531

/* ------------------------------------------------ reference values (torch) */
/* Produced by /usr/bin/python3 tests/reference/loss.py (torch 1.13); each
 * comment names the torch expression, differentiated by .backward(). */
/* real logits (5) */
static const float S_REAL[5] = {2.5f, -0.75f, 0.300000012f, 4.0999999f, -1.60000002f};
/* fake logits (4) */
static const float S_FAKE[4] = {-3.20000005f, 0.449999988f, -0.200000003f, 1.70000005f};
/* soft targets for s_real (5) */
static const float T_SOFT[5] = {1.0f, 0.0f, 0.899999976f, 0.25f, 0.600000024f};
/* F.binary_cross_entropy_with_logits(s_real, t_soft) */
static const float BCE_L = 1.0570907f;
/* s_real.grad after that .backward() */
static const float BCE_DS[5] = {-0.015171636f, 0.0641642602f, -0.0651114961f, 0.1467395f, -0.0864036777f};
/* -(1*log(sigmoid(s_real)) + 0*log(1-sigmoid(s_real))).mean() - log(1-sigmoid(s_fake)).mean(), float64 */
static const float DL_L = 1.57637252f;
/* s_real.grad after that .backward() */
static const float DL_DSR[5] = {-0.015171636f, -0.13583574f, -0.0851114961f, -0.00326050018f, -0.166403678f};
/* s_fake.grad after that .backward() */
static const float DL_DSF[4] = {0.00979143025f, 0.152659808f, 0.1125415f, 0.211383685f};
/* -(0.9*log(sigmoid(s_real)) + 0.1*log(1-sigmoid(s_real))).mean() - log(1-sigmoid(s_fake)).mean(), float64 */
static const float DL9_L = 1.66737252f;
/* s_real.grad after that .backward() */
static const float DL9_DSR[5] = {0.004828364f, -0.11583574f, -0.0651114961f, 0.0167394998f, -0.146403678f};
/* s_fake.grad after that .backward() */
static const float DL9_DSF[4] = {0.00979143025f, 0.152659808f, 0.1125415f, 0.211383685f};
/* torch.log(1 - torch.sigmoid(s_fake)).mean(), float64 */
static const float GMM_L = -0.862281802f;
/* s_fake.grad after that .backward() */
static const float GMM_DS[4] = {-0.00979143025f, -0.152659808f, -0.1125415f, -0.211383685f};
/* -torch.log(torch.sigmoid(s_fake)).mean(), float64 */
static const float GNS_L = 1.17478181f;
/* s_fake.grad after that .backward() */
static const float GNS_DS[4] = {-0.24020857f, -0.0973401922f, -0.1374585f, -0.0386163147f};
/* 0.5 * ((s_fake - 1) ** 2).mean() */
static const float LSG_L = 2.48406256f;
/* s_fake.grad after that .backward() */
static const float LSG_DS[4] = {-1.05000001f, -0.137500003f, -0.300000001f, 0.175000012f};
/* -s_fake.mean() */
static const float WG_L = 0.312500004f;
/* s_fake.grad after that .backward() */
static const float WG_DS[4] = {-0.25f, -0.25f, -0.25f, -0.25f};
/* 0.5 * ((s_real - 1) ** 2).mean() + 0.5 * (s_fake ** 2).mean() */
static const float LSD_L = 3.88881251f;
/* s_real.grad after that .backward() */
static const float LSD_DSR[5] = {0.3f, -0.35f, -0.139999998f, 0.619999981f, -0.520000005f};
/* s_fake.grad after that .backward() */
static const float LSD_DSF[4] = {-0.800000012f, 0.112499997f, -0.0500000007f, 0.425000012f};
/* s_fake.mean() - s_real.mean() */
static const float WD_L = -1.22249998f;
/* s_real.grad after that .backward() */
static const float WD_DSR[5] = {-0.2f, -0.2f, -0.2f, -0.2f, -0.2f};
/* s_fake.grad after that .backward() */
static const float WD_DSF[4] = {0.25f, 0.25f, 0.25f, 0.25f};
/* torch.relu(1 - s_real).mean() + torch.relu(1 + s_fake).mean() */
static const float HD_L = 2.24750001f;
/* s_real.grad after that .backward() */
static const float HD_DSR[5] = {-0.0f, -0.2f, -0.2f, -0.0f, -0.2f};
/* s_fake.grad after that .backward() */
static const float HD_DSF[4] = {0.0f, 0.25f, 0.25f, 0.25f};
/* extreme logits (4) */
static const float BCEX_S[4] = {-10000.0f, -100.0f, 100.0f, 10000.0f};
/* their targets (4) */
static const float BCEX_T[4] = {1.0f, 0.0f, 1.0f, 0.0f};
/* F.binary_cross_entropy_with_logits(s, t), float32 */
static const float BCEX_L = 5000.0f;
/* s.grad after that .backward() */
static const float BCEX_DS[4] = {-0.25f, 0.0f, 0.0f, 0.25f};

/* ------------------------------------------------------- gradcheck harness */

enum { BCE, D_LOSS, D_LOSS_SMOOTH, G_MINIMAX, G_NONSAT, LS_D, LS_G, W_D, W_G, H_D, H_G, N_LOSSES };
static const char *const LOSS_NAMES[N_LOSSES] = {
    "bce", "gan_d", "gan_d(0.9)", "g_minimax", "g_nonsat", "lsgan_d", "lsgan_g",
    "wgan_critic", "wgan_g", "hinge_d", "hinge_g"};

/* One loss on n_real real and n_fake fake logits; one-sided losses use the
 * fake logits only. */
typedef struct {
    int kind, n_real, n_fake;
    float sr[8], sf[8], t[8];
    float dsr[8], dsf[8];
} loss_ctx;

/* Calls the loss under test; the gradient pointers may be NULL. */
static float run_loss(const loss_ctx *c, float *dsr, float *dsf)
{
    switch (c->kind) {
    case BCE: return nn_bce_with_logits(dsr, c->sr, c->t, c->n_real);
    case D_LOSS: return nn_gan_d_loss(dsr, dsf, c->sr, c->sf, c->n_real, c->n_fake, 1.0f);
    case D_LOSS_SMOOTH: return nn_gan_d_loss(dsr, dsf, c->sr, c->sf, c->n_real, c->n_fake, 0.9f);
    case G_MINIMAX: return nn_gan_g_loss_minimax(dsf, c->sf, c->n_fake);
    case G_NONSAT: return nn_gan_g_loss_nonsat(dsf, c->sf, c->n_fake);
    case LS_D: return nn_lsgan_d_loss(dsr, dsf, c->sr, c->sf, c->n_real, c->n_fake);
    case LS_G: return nn_lsgan_g_loss(dsf, c->sf, c->n_fake);
    case W_D: return nn_wgan_critic_loss(dsr, dsf, c->sr, c->sf, c->n_real, c->n_fake);
    case W_G: return nn_wgan_g_loss(dsf, c->sf, c->n_fake);
    case H_D: return nn_hinge_d_loss(dsr, dsf, c->sr, c->sf, c->n_real, c->n_fake);
    case H_G: return nn_hinge_g_loss(dsf, c->sf, c->n_fake);
    }
    return NAN;
}

static int uses_real(int kind) { return kind == BCE || kind == D_LOSS || kind == D_LOSS_SMOOTH ||
                                        kind == LS_D || kind == W_D || kind == H_D; }
static int uses_fake(int kind) { return kind != BCE; }

static double loss_f(void *p) { return run_loss(p, NULL, NULL); }

static void loss_g(void *p)
{
    loss_ctx *c = p;
    /* Poison first: the loss must WRITE its gradient, not add to it. */
    for (int i = 0; i < 8; i++) c->dsr[i] = c->dsf[i] = 1e6f;
    run_loss(c, c->dsr, c->dsf);
}

static void test_every_loss_gradcheck(void **state)
{
    (void)state;
    for (int k = 0; k < N_LOSSES; k++) {
        loss_ctx c;
        memset(&c, 0, sizeof c);
        c.kind = k;
        c.n_real = 5;
        c.n_fake = 4;
        /* The reference logits: none within h of a hinge kink (+-1). */
        memcpy(c.sr, S_REAL, sizeof S_REAL);
        memcpy(c.sf, S_FAKE, sizeof S_FAKE);
        memcpy(c.t, T_SOFT, sizeof T_SOFT);
        nn_gradcheck_var vars[2];
        int nv = 0;
        if (uses_real(k)) vars[nv++] = (nn_gradcheck_var){"s_real", c.sr, c.dsr, 5};
        if (uses_fake(k)) vars[nv++] = (nn_gradcheck_var){"s_fake", c.sf, c.dsf, 4};
        nn_gradcheck_report rep;
        double rel = nn_gradcheck(loss_f, loss_g, &c, vars, nv, GC_H, 0, &rep);
        if (!(rel < GC_TOL))
            print_error("%s: relative error %.3g in %s[%zu]\n", LOSS_NAMES[k], rel, rep.worst,
                        rep.worst_index);
        assert_true(rel < GC_TOL);
        assert_int_equal(rep.zero_grad, 0);
        if (uses_real(k)) assert_not_all_zero(c.dsr, 5);
        if (uses_fake(k)) assert_not_all_zero(c.dsf, 4);
    }
}

/* ------------------------------------------------------------ worked by hand */

static void test_softplus_sigmoid_by_hand(void **state)
{
    (void)state;
    assert_close(nn_softplus(0.0f), LOG2, 1e-7);
    assert_close(nn_softplus(1e4f), 1e4, 0.0);
    assert_close(nn_softplus(-1e4f), 0.0, 0.0);
    assert_close(nn_softplus(1e30f), 1e30f, 0.0);
    assert_close(nn_softplus(-1e30f), 0.0, 0.0);
    assert_close(nn_softplus(-20.0f), exp(-20.0), 1e-15); /* log1p keeps the tail */
    assert_close(nn_sigmoidf(0.0f), 0.5, 0.0);
    assert_close(nn_sigmoidf(1e30f), 1.0, 0.0);
    assert_close(nn_sigmoidf(-1e30f), 0.0, 0.0);
    assert_close(nn_sigmoidf(-20.0f), 1.0 / (1.0 + exp(20.0)), 1e-15);
    assert_close(nn_sigmoidf(2.0f) + nn_sigmoidf(-2.0f), 1.0, 1e-7);
}

static void test_bce_by_hand(void **state)
{
    (void)state;
    /* At s = 0, D = 1/2 whatever the target: loss log 2, gradient (1/2 - t)/n. */
    const float s[2] = {0.0f, 0.0f}, t[2] = {1.0f, 0.0f};
    float ds[2];
    assert_close(nn_bce_with_logits(ds, s, t, 2), LOG2, 1e-7);
    assert_close(ds[0], -0.25, 1e-7);
    assert_close(ds[1], 0.25, 1e-7);
    /* Confident and right costs ~0 (log1p(e^-20) = 2.06e-9, not rounded to 0
     * by subtracting two 20s); confident and wrong costs ~|s|. */
    const float s2[2] = {20.0f, 20.0f}, t2[2] = {1.0f, 0.0f};
    float l2 = nn_bce_with_logits(NULL, s2, t2, 1);
    assert_close(l2, log1p(exp(-20.0)), 1e-15);
    assert_true(l2 > 0.0f);
    assert_close(nn_bce_with_logits(NULL, s2 + 1, t2 + 1, 1), 20.0 + log1p(exp(-20.0)), 1e-5);
}

static void test_gan_d_loss_by_hand(void **state)
{
    (void)state;
    /* D undecided (s = 0) on both: -log(1/2) - log(1/2) = 2 log 2. */
    const float z[3] = {0.0f, 0.0f, 0.0f};
    float dr[2], df[3];
    assert_close(nn_gan_d_loss(dr, df, z, z, 2, 3, 1.0f), 2.0 * LOG2, 1e-7);
    for (int i = 0; i < 2; i++) assert_close(dr[i], -0.5 / 2, 1e-7); /* -sigmoid(0)/n_real */
    for (int i = 0; i < 3; i++) assert_close(df[i], 0.5 / 3, 1e-7);  /* sigmoid(0)/n_fake */
    /* Smoothed label 0.9 at s = 0: the cross-entropy is still log 2 (D = 1/2
     * for either label) but the real gradient is (1/2 - 0.9)/n_real. */
    assert_close(nn_gan_d_loss(dr, df, z, z, 2, 3, 0.9f), 2.0 * LOG2, 1e-7);
    assert_close(dr[0], -0.4 / 2, 1e-7);
}

static void test_generator_losses_by_hand(void **state)
{
    (void)state;
    const float z[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    float ds[4];
    /* minimax: log(1 - 1/2) = -log 2, gradient -sigmoid(0)/n */
    assert_close(nn_gan_g_loss_minimax(ds, z, 4), -LOG2, 1e-7);
    assert_close(ds[3], -0.125, 1e-7);
    /* non-saturating: -log(1/2) = log 2, gradient -sigmoid(0)/n */
    assert_close(nn_gan_g_loss_nonsat(ds, z, 4), LOG2, 1e-7);
    assert_close(ds[0], -0.125, 1e-7);
    /* LSGAN: 0.5 (0 - 1)^2 = 0.5, gradient (s - 1)/n */
    assert_close(nn_lsgan_g_loss(ds, z, 4), 0.5, 1e-7);
    assert_close(ds[1], -0.25, 1e-7);
    /* WGAN and hinge: -mean s, gradient -1/n */
    const float s[2] = {1.0f, 3.0f};
    assert_close(nn_wgan_g_loss(ds, s, 2), -2.0, 1e-7);
    assert_close(ds[0], -0.5, 1e-7);
    assert_close(nn_hinge_g_loss(ds, s, 2), -2.0, 1e-7);
    assert_close(ds[1], -0.5, 1e-7);
}

static void test_critic_losses_by_hand(void **state)
{
    (void)state;
    const float sr[2] = {3.0f, 0.0f}, sf[2] = {-2.0f, 0.5f};
    float dr[2], df[2];
    /* LSGAN D: 0.5 mean((3-1)^2, (0-1)^2) + 0.5 mean(4, 0.25) = 1.25 + 1.0625 */
    assert_close(nn_lsgan_d_loss(dr, df, sr, sf, 2, 2), 2.3125, 1e-6);
    const float lsr[2] = {1.0f, -0.5f}, lsf[2] = {-1.0f, 0.25f}; /* (s-1)/2, s/2 */
    assert_rel_close(dr, lsr, 2, 1e-7);
    assert_rel_close(df, lsf, 2, 1e-7);
    /* WGAN critic: mean fake - mean real = -0.75 - 1.5 */
    assert_close(nn_wgan_critic_loss(dr, df, sr, sf, 2, 2), -2.25, 1e-7);
    assert_close(dr[0], -0.5, 0.0);
    assert_close(df[1], 0.5, 0.0);
    /* Hinge D: real 3 is past the margin (0), real 0 costs 1; fake -2 is past
     * it (0), fake 0.5 costs 1.5: mean 0.5 + mean 0.75 = 1.25. Gradients only
     * where the margin is violated. */
    assert_close(nn_hinge_d_loss(dr, df, sr, sf, 2, 2), 1.25, 1e-7);
    const float hr[2] = {0.0f, -0.5f}, hf[2] = {0.0f, 0.5f};
    assert_rel_close(dr, hr, 2, 0.0);
    assert_rel_close(df, hf, 2, 0.0);
}

/* --------------------------------------------------------------- PyTorch */

static void test_bce_torch(void **state)
{
    (void)state;
    float ds[5];
    float l = nn_bce_with_logits(ds, S_REAL, T_SOFT, 5);
    assert_rel_close(&l, &BCE_L, 1, REF_TOL);
    assert_rel_close(ds, BCE_DS, 5, REF_TOL);
    /* Extremes, against torch's own stable BCE */
    float dsx[4];
    l = nn_bce_with_logits(dsx, BCEX_S, BCEX_T, 4);
    assert_rel_close(&l, &BCEX_L, 1, REF_TOL);
    assert_rel_close(dsx, BCEX_DS, 4, REF_TOL);
}

static void test_gan_d_loss_torch(void **state)
{
    (void)state;
    float dr[5], df[4];
    float l = nn_gan_d_loss(dr, df, S_REAL, S_FAKE, 5, 4, 1.0f);
    assert_rel_close(&l, &DL_L, 1, REF_TOL);
    assert_rel_close(dr, DL_DSR, 5, REF_TOL);
    assert_rel_close(df, DL_DSF, 4, REF_TOL);
    l = nn_gan_d_loss(dr, df, S_REAL, S_FAKE, 5, 4, 0.9f);
    assert_rel_close(&l, &DL9_L, 1, REF_TOL);
    assert_rel_close(dr, DL9_DSR, 5, REF_TOL);
    assert_rel_close(df, DL9_DSF, 4, REF_TOL);
}

static void test_generator_losses_torch(void **state)
{
    (void)state;
    float ds[4], l;
    l = nn_gan_g_loss_minimax(ds, S_FAKE, 4);
    assert_rel_close(&l, &GMM_L, 1, REF_TOL);
    assert_rel_close(ds, GMM_DS, 4, REF_TOL);
    l = nn_gan_g_loss_nonsat(ds, S_FAKE, 4);
    assert_rel_close(&l, &GNS_L, 1, REF_TOL);
    assert_rel_close(ds, GNS_DS, 4, REF_TOL);
    l = nn_lsgan_g_loss(ds, S_FAKE, 4);
    assert_rel_close(&l, &LSG_L, 1, REF_TOL);
    assert_rel_close(ds, LSG_DS, 4, REF_TOL);
    l = nn_wgan_g_loss(ds, S_FAKE, 4);
    assert_rel_close(&l, &WG_L, 1, REF_TOL);
    assert_rel_close(ds, WG_DS, 4, REF_TOL);
    /* the hinge generator loss is WGAN's (-mean s) */
    l = nn_hinge_g_loss(ds, S_FAKE, 4);
    assert_rel_close(&l, &WG_L, 1, REF_TOL);
    assert_rel_close(ds, WG_DS, 4, REF_TOL);
}

static void test_critic_losses_torch(void **state)
{
    (void)state;
    float dr[5], df[4], l;
    l = nn_lsgan_d_loss(dr, df, S_REAL, S_FAKE, 5, 4);
    assert_rel_close(&l, &LSD_L, 1, REF_TOL);
    assert_rel_close(dr, LSD_DSR, 5, REF_TOL);
    assert_rel_close(df, LSD_DSF, 4, REF_TOL);
    l = nn_wgan_critic_loss(dr, df, S_REAL, S_FAKE, 5, 4);
    assert_rel_close(&l, &WD_L, 1, REF_TOL);
    assert_rel_close(dr, WD_DSR, 5, REF_TOL);
    assert_rel_close(df, WD_DSF, 4, REF_TOL);
    l = nn_hinge_d_loss(dr, df, S_REAL, S_FAKE, 5, 4);
    assert_rel_close(&l, &HD_L, 1, REF_TOL);
    assert_rel_close(dr, HD_DSR, 5, REF_TOL);
    assert_rel_close(df, HD_DSF, 4, REF_TOL);
}

/* ------------------------------------------------------------- extremes */

static int finite_all(const float *x, int n)
{
    for (int i = 0; i < n; i++)
        if (!isfinite(x[i])) return 0;
    return 1;
}

static void test_extreme_logits_finite_everywhere(void **state)
{
    (void)state;
    /* Every loss on +-1e4 must give a finite loss and gradient; the logistic
     * ones, WGAN and hinge also on +-1e30. (LSGAN squares its logit: at 1e30
     * the true loss, 5e59, is itself beyond float.) */
    const float mags[2] = {1e4f, 1e30f};
    for (int m = 0; m < 2; m++) {
        const float a = mags[m];
        loss_ctx c;
        memset(&c, 0, sizeof c);
        c.n_real = 4;
        c.n_fake = 4;
        const float v[4] = {-a, a, -a, a};
        memcpy(c.sr, v, sizeof v);
        memcpy(c.sf, v, sizeof v);
        const float t[4] = {1.0f, 0.0f, 0.0f, 1.0f};
        memcpy(c.t, t, sizeof t);
        for (int k = 0; k < N_LOSSES; k++) {
            if (m == 1 && (k == LS_D || k == LS_G)) continue;
            c.kind = k;
            float l = run_loss(&c, c.dsr, c.dsf);
            if (!isfinite(l)) print_error("%s at |s| = %g: loss %g\n", LOSS_NAMES[k], a, l);
            assert_true(isfinite(l));
            assert_true(finite_all(c.dsr, 4) && finite_all(c.dsf, 4));
        }
    }
}

static void test_extreme_logits_exact_values(void **state)
{
    (void)state;
    float ds[4], dr[4], df[4];
    /* A fake rejected at s = -1e4: non-saturating loss softplus(1e4) = 1e4
     * per sample, so mean 1e4; gradient -sigmoid(1e4)/n = -1/n exactly. */
    const float rej[4] = {-1e4f, -1e4f, -1e4f, -1e4f};
    assert_close(nn_gan_g_loss_nonsat(ds, rej, 4), 1e4, 0.0);
    for (int i = 0; i < 4; i++) assert_close(ds[i], -0.25, 0.0);
    /* Minimax at the same point: log(1 - D) = -softplus(-1e4) = -e^-1e4,
     * which is 0 in any float; gradient -sigmoid(-1e4)/n = 0: it vanishes. */
    assert_close(nn_gan_g_loss_minimax(ds, rej, 4), 0.0, 1e-30);
    for (int i = 0; i < 4; i++) assert_true(fabsf(ds[i]) < 1e-30f);
    /* Mixed: real at -1e30 (D sure it is fake: loss 1e30), fake at 1e30
     * (loss 1e30): D loss = 1e30/1 + 1e30/1; gradients -1 and +1. */
    const float big = 1e30f, nbig = -1e30f;
    float l = nn_gan_d_loss(dr, df, &nbig, &big, 1, 1, 1.0f);
    assert_close(l, 2e30, 1e23);
    assert_close(dr[0], -1.0, 0.0);
    assert_close(df[0], 1.0, 0.0);
    /* And D right with full confidence costs exactly 0 with gradient 0. */
    l = nn_gan_d_loss(dr, df, &big, &nbig, 1, 1, 1.0f);
    assert_close(l, 0.0, 0.0);
    assert_close(dr[0], 0.0, 0.0);
    assert_close(df[0], 0.0, 0.0);
    /* WGAN is linear: 1e30 in, 1e30 out. */
    assert_close(nn_wgan_g_loss(ds, &nbig, 1), 1e30, 1e23);
    /* LSGAN at 1e4: 0.5 (1e4 - 1)^2 */
    const float s4 = 1e4f;
    assert_close(nn_lsgan_g_loss(ds, &s4, 1), 0.5 * 9999.0 * 9999.0, 1.0);
    assert_close(ds[0], 9999.0, 1e-3);
}

static void test_minimax_vanishes_nonsat_does_not(void **state)
{
    (void)state;
    /* The course's point, in numbers: as D grows confident the fakes are
     * fake (s from -1 to -1e4), minimax's gradient falls to 0 while the
     * non-saturating gradient tends to -1/n. */
    const float s[4] = {-1.0f, -5.0f, -20.0f, -1e4f};
    float g_mm[1], g_ns[1];
    double prev = 1.0;
    for (int i = 0; i < 4; i++) {
        nn_gan_g_loss_minimax(g_mm, &s[i], 1);
        nn_gan_g_loss_nonsat(g_ns, &s[i], 1);
        assert_true(fabs(g_mm[0]) < prev); /* shrinking */
        prev = fabs(g_mm[0]);
        assert_true(g_ns[0] < -0.7f);      /* sigmoid(1) = 0.73 and up */
    }
    assert_true(prev < 1e-30);             /* vanished at -1e4 */
    assert_close(g_ns[0], -1.0, 1e-7);     /* saturated at -1 */
    assert_close(g_mm[0], 0.0, 1e-30);
}

static void test_gradients_written_not_added(void **state)
{
    (void)state;
    /* Garbage in the gradient buffers must not survive: losses write (=). */
    float ds[5], dr[5], df[4];
    for (int k = 0; k < 2; k++) {
        for (int i = 0; i < 5; i++) ds[i] = dr[i] = 123.0f;
        for (int i = 0; i < 4; i++) df[i] = -77.0f;
        nn_bce_with_logits(ds, S_REAL, T_SOFT, 5);
        assert_rel_close(ds, BCE_DS, 5, REF_TOL);
        nn_gan_d_loss(dr, df, S_REAL, S_FAKE, 5, 4, 1.0f);
        assert_rel_close(dr, DL_DSR, 5, REF_TOL);
        assert_rel_close(df, DL_DSF, 4, REF_TOL);
        nn_hinge_d_loss(dr, df, S_REAL, S_FAKE, 5, 4);
        assert_rel_close(dr, HD_DSR, 5, REF_TOL);
    }
    /* NULL gradient pointers: loss only, same value. */
    float l1 = nn_gan_d_loss(NULL, NULL, S_REAL, S_FAKE, 5, 4, 1.0f);
    assert_rel_close(&l1, &DL_L, 1, REF_TOL);
    float l2 = nn_lsgan_d_loss(NULL, NULL, S_REAL, S_FAKE, 5, 4);
    assert_rel_close(&l2, &LSD_L, 1, REF_TOL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_softplus_sigmoid_by_hand),
        cmocka_unit_test(test_bce_by_hand),
        cmocka_unit_test(test_gan_d_loss_by_hand),
        cmocka_unit_test(test_generator_losses_by_hand),
        cmocka_unit_test(test_critic_losses_by_hand),
        cmocka_unit_test(test_every_loss_gradcheck),
        cmocka_unit_test(test_bce_torch),
        cmocka_unit_test(test_gan_d_loss_torch),
        cmocka_unit_test(test_generator_losses_torch),
        cmocka_unit_test(test_critic_losses_torch),
        cmocka_unit_test(test_extreme_logits_finite_everywhere),
        cmocka_unit_test(test_extreme_logits_exact_values),
        cmocka_unit_test(test_minimax_vanishes_nonsat_does_not),
        cmocka_unit_test(test_gradients_written_not_added),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
