/* layers.c - forward and backward of each layer, side by side (layers.h).
 *
 * Every backward ADDS into its gradients and skips any that are NULL, so a
 * caller can sum gradients from two passes (real and fake batches through one
 * discriminator) and a frozen network can pass gradients to its input only.
 */
#include "nn/layers.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "nn/loss.h"
#include "kernels/ops.h"

/* The linear layer's forward and backward and leaky ReLU's backward are
 * exercises 3, 11 and 12: solutions/ (or the student's exercises/) define
 * them, next to nothing else. */

/* ------------------------------------------------------------- activations */

/* Leaky ReLU keeps a small gradient (slope, 0.2 in DCGAN's discriminator)
 * for negative inputs, so a unit that is off still passes G a signal. */
void nn_leaky_relu_forward(float *y, const float *x, float slope, size_t n)
{
    /* The factor is looked up rather than chosen with ?:, which gcc turns
     * into a branch that random signs mispredict half the time; x * 1.0f is
     * x exactly, so the result is the same. */
    const float gain[2] = {slope, 1.0f};
    for (size_t i = 0; i < n; i++)
        y[i] = x[i] * gain[x[i] > 0.0f];
}

/* v when keep is 1, +0 when it is 0, without a branch: random signs would
 * mispredict half the time. The mask keeps or clears all 32 bits at once. */
static inline float keep_or_zero(float v, int keep)
{
    uint32_t bits;
    memcpy(&bits, &v, sizeof bits);
    bits &= 0u - (uint32_t)keep;
    memcpy(&v, &bits, sizeof v);
    return v;
}

void nn_relu_forward(float *y, const float *x, size_t n)
{
    /* A NaN passes on, as in torch: !(x <= 0) holds for it. */
    for (size_t i = 0; i < n; i++) y[i] = keep_or_zero(x[i], !(x[i] <= 0.0f));
}

void nn_relu_backward(float *dx, const float *dy, const float *x, size_t n)
{
    if (!dx) return;
    for (size_t i = 0; i < n; i++) dx[i] += keep_or_zero(dy[i], x[i] > 0.0f);
}

/* Element by element through nn_sigmoidf (exercise 5), the stable form. */
void nn_sigmoid_forward(float *y, const float *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        y[i] = nn_sigmoidf(x[i]);
}

/* Backward reads the forward's output y, not x: y (1 - y) needs no exp. */
void nn_sigmoid_backward(float *dx, const float *dy, const float *y, size_t n)
{
    if (!dx) return;
    for (size_t i = 0; i < n; i++)
        dx[i] += dy[i] * y[i] * (1.0f - y[i]);
}

/* tanh as a ratio of two polynomials (the coefficients of Eigen's float
 * tanh, a minimax fit on [-9, 9]), evaluated in double. glibc's tanhf calls
 * expm1f element by element; this form has no call and no branch, so four
 * floats go through at once (bench/README.md: what it saves). Measured over
 * every float in [-12, 12] against double tanh: at most 1.05 ulp for
 * |x| >= 0.5, 2.6 ulp (2.6e-7 relative) below, where glibc reaches 2.2 ulp. Double keeps the
 * rounding of the 11 multiply-adds out of the result (in float: 6.9 ulp).
 * Beyond |x| = 9, tanh is 1 to float precision, so x is clamped there; a NaN
 * passes the clamp (both comparisons are false) and comes out NaN. */
#define TANH_CLAMP 9.0
static const double tanh_p[7] = {-2.76076847742355e-16, 2.00018790482477e-13,
                                 -8.60467152213735e-11, 5.12229709037114e-08,
                                 1.48572235717979e-05,  6.37261928875436e-04,
                                 4.89352455891786e-03};
static const double tanh_q[4] = {1.19825839466702e-06, 1.18534705686654e-04,
                                 2.26843463243900e-03, 4.89352518554385e-03};

/* tanh(x) ~ x p(x^2) / q(x^2), Horner's rule from the highest power. */
static float tanh1(float xf)
{
    double x = xf;
    x = -TANH_CLAMP > x ? -TANH_CLAMP : x;
    x = TANH_CLAMP < x ? TANH_CLAMP : x;
    const double x2 = x * x;
    double p = tanh_p[0], q = tanh_q[0];
    for (int i = 1; i < 7; i++) p = p * x2 + tanh_p[i];
    for (int i = 1; i < 4; i++) q = q * x2 + tanh_q[i];
    return (float)(p * x / q);
}

#if defined(__SSE2__)
/* tanh1 on two doubles: the same operations in the same order (max and min
 * are written with the operand order that lets a NaN through, as above), so
 * the vector loop and the scalar tail give the same bits for any x. */
static __m128d tanh2(__m128d x)
{
    x = _mm_max_pd(_mm_set1_pd(-TANH_CLAMP), x);
    x = _mm_min_pd(_mm_set1_pd(TANH_CLAMP), x);
    const __m128d x2 = _mm_mul_pd(x, x);
    __m128d p = _mm_set1_pd(tanh_p[0]), q = _mm_set1_pd(tanh_q[0]);
    for (int i = 1; i < 7; i++) p = _mm_add_pd(_mm_mul_pd(p, x2), _mm_set1_pd(tanh_p[i]));
    for (int i = 1; i < 4; i++) q = _mm_add_pd(_mm_mul_pd(q, x2), _mm_set1_pd(tanh_q[i]));
    return _mm_div_pd(_mm_mul_pd(p, x), q);
}
#endif

/* The generator's image output uses tanh to land in [-1, 1]. */
void nn_tanh_forward(float *y, const float *x, size_t n)
{
    size_t i = 0;
#if defined(__SSE2__)
    for (; i + 4 <= n; i += 4) {
        __m128 v = _mm_loadu_ps(x + i);
        __m128 lo = _mm_cvtpd_ps(tanh2(_mm_cvtps_pd(v)));
        __m128 hi = _mm_cvtpd_ps(tanh2(_mm_cvtps_pd(_mm_movehl_ps(v, v))));
        _mm_storeu_ps(y + i, _mm_movelh_ps(lo, hi));
    }
#endif
    for (; i < n; i++)
        y[i] = tanh1(x[i]);
}

void nn_tanh_backward(float *dx, const float *dy, const float *y, size_t n)
{
    if (!dx) return;
    for (size_t i = 0; i < n; i++)
        dx[i] += dy[i] * (1.0f - y[i] * y[i]);
}

/* --------------------------------------------------------------- batchnorm */

/* Features handled per pass of the batchnorm kernels: the per-column sums
 * of a block live on the stack (at most 28 bytes a column, 7 KB). */
#define BN_BLOCK 256

/* Per feature j (a column of x, stride `features`): batch mean and biased
 * variance, xhat = (x - mean) * invstd kept for backward, y = gamma xhat + beta.
 * gamma or beta NULL mean 1 and 0 (no affine part).
 * The columns are walked a block at a time, row by row: each column is still
 * summed in row order 0..batch-1, exactly as a column-by-column loop would,
 * but memory is read in order and the inner loops vectorise. Walking each
 * column down its stride would read memory out of order, one cache line per
 * element. */
void nn_batchnorm_forward_train(float *y, float *xhat, float *mean, float *invstd,
                                float *running_mean, float *running_var,
                                const float *x, const float *gamma, const float *beta,
                                float momentum, float eps, int batch, int features)
{
    assert(batch > 0 && features > 0);
    const size_t F = (size_t)features;
    /* torch updates the running variance with the unbiased estimate
     * var * B / (B - 1); one row has no spread to estimate, so it keeps var. */
    const double unbias = batch > 1 ? (double)batch / (double)(batch - 1) : 1.0;
    double mu[BN_BLOCK], ss[BN_BLOCK];
    float is[BN_BLOCK], g[BN_BLOCK], bt[BN_BLOCK];
    for (size_t j0 = 0; j0 < F; j0 += BN_BLOCK) {
        const size_t w = F - j0 < BN_BLOCK ? F - j0 : BN_BLOCK;
        /* Sums in double: a batch of large, close values would otherwise
         * lose the variance to cancellation. */
        for (size_t j = 0; j < w; j++) mu[j] = ss[j] = 0.0;
        for (int b = 0; b < batch; b++) {
            const float *xr = x + (size_t)b * F + j0;
            for (size_t j = 0; j < w; j++) mu[j] += xr[j]; /* the column sums first */
        }
        for (size_t j = 0; j < w; j++) mu[j] /= batch;
        for (int b = 0; b < batch; b++) {
            const float *xr = x + (size_t)b * F + j0;
            for (size_t j = 0; j < w; j++) {
                double d = xr[j] - mu[j];
                ss[j] += d * d;
            }
        }
        for (size_t j = 0; j < w; j++) {
            const double var = ss[j] / batch; /* biased: what normalises, as in torch */
            is[j] = (float)(1.0 / sqrt(var + (double)eps));
            mean[j0 + j] = (float)mu[j];
            invstd[j0 + j] = is[j];
            g[j] = gamma ? gamma[j0 + j] : 1.0f;
            bt[j] = beta ? beta[j0 + j] : 0.0f;
            if (running_mean)
                running_mean[j0 + j] =
                    (1.0f - momentum) * running_mean[j0 + j] + momentum * (float)mu[j];
            if (running_var)
                running_var[j0 + j] =
                    (1.0f - momentum) * running_var[j0 + j] + momentum * (float)(var * unbias);
        }
        for (int b = 0; b < batch; b++) {
            const size_t k = (size_t)b * F + j0;
            for (size_t j = 0; j < w; j++) {
                xhat[k + j] = (float)((x[k + j] - mu[j]) * is[j]);
                y[k + j] = g[j] * xhat[k + j] + bt[j];
            }
        }
    }
}

void nn_batchnorm_forward_eval(float *y, const float *x, const float *gamma, const float *beta,
                               const float *running_mean, const float *running_var,
                               float eps, int batch, int features)
{
    assert(batch > 0 && features > 0);
    const size_t F = (size_t)features;
    for (size_t j = 0; j < F; j++) {
        /* The statistics are constants here: nothing is learned from x. */
        const float is = 1.0f / sqrtf(running_var[j] + eps);
        const float g = gamma ? gamma[j] : 1.0f;
        const float bt = beta ? beta[j] : 0.0f;
        for (int b = 0; b < batch; b++) {
            size_t k = (size_t)b * F + j;
            y[k] = g * (x[k] - running_mean[j]) * is + bt;
        }
    }
}

/* Blocks of columns walked row by row, as in the forward: the same sums in
 * the same order per column, with memory read in order. */
void nn_batchnorm_backward(float *dx, float *dgamma, float *dbeta, const float *dy,
                           const float *xhat, const float *invstd, const float *gamma,
                           int batch, int features)
{
    assert(batch > 0 && features > 0);
    const size_t F = (size_t)features;
    double sdy[BN_BLOCK], sdyx[BN_BLOCK], scale[BN_BLOCK];
    for (size_t j0 = 0; j0 < F; j0 += BN_BLOCK) {
        const size_t w = F - j0 < BN_BLOCK ? F - j0 : BN_BLOCK;
        /* The two column sums every gradient needs. */
        for (size_t j = 0; j < w; j++) sdy[j] = sdyx[j] = 0.0;
        for (int b = 0; b < batch; b++) {
            const size_t k = (size_t)b * F + j0;
            for (size_t j = 0; j < w; j++) {
                sdy[j] += dy[k + j];
                sdyx[j] += (double)dy[k + j] * xhat[k + j];
            }
        }
        for (size_t j = 0; j < w; j++) {
            if (dbeta) dbeta[j0 + j] += (float)sdy[j];
            if (dgamma) dgamma[j0 + j] += (float)sdyx[j];
            const double g = gamma ? gamma[j0 + j] : 1.0;
            scale[j] = g * invstd[j0 + j] / batch;
        }
        if (!dx) continue;
        /* The mean and variance depend on every row, so each dx_b sees the
         * whole column: the two sums subtract what flows through them. */
        for (int b = 0; b < batch; b++) {
            const size_t k = (size_t)b * F + j0;
            for (size_t j = 0; j < w; j++)
                dx[k + j] += (float)(scale[j] * ((double)batch * dy[k + j] - sdy[j] -
                                                 xhat[k + j] * sdyx[j]));
        }
    }
}

/* ----------------------------------------------------------------- dropout */

void nn_dropout_forward(float *y, float *mask, const float *x, float p, nn_rng *rng,
                        int train, size_t n)
{
    assert(p >= 0.0f && p <= 1.0f);
    /* Eval mode and p = 0 leave x alone and draw nothing, so turning
     * dropout off never shifts the random stream of what follows. */
    if (!train || p == 0.0f) {
        for (size_t i = 0; i < n; i++) {
            mask[i] = 1.0f;
            y[i] = x[i];
        }
        return;
    }
    /* Inverted dropout: the survivors are scaled by 1/(1-p) at train time
     * so E[y] = x and eval needs no rescaling. p = 1 drops everything. */
    const float keep = p < 1.0f ? 1.0f / (1.0f - p) : 0.0f;
    for (size_t i = 0; i < n; i++) {
        mask[i] = nn_rng_uniform(rng) < p ? 0.0f : keep;
        y[i] = x[i] * mask[i];
    }
}

/* The mask already holds 0 or 1/(1-p), so backward is one multiply. */
void nn_dropout_backward(float *dx, const float *dy, const float *mask, size_t n)
{
    if (!dx) return;
    for (size_t i = 0; i < n; i++)
        dx[i] += dy[i] * mask[i];
}

/* ---------------------------------------------------- minibatch std (mbstd) */

/* Inside the square root, so a batch of identical rows (std 0) still has a
 * finite derivative. */
#define MBSTD_EPS 1e-8

/* Batch mean mu_j and std sd_j of feature j (column j, stride in), which
 * forward and backward both need; returns sd_j. Sums in double. */
static double mbstd_stats(const float *x, int batch, int in, size_t j, double *mu, double *sd)
{
    const size_t F = (size_t)in;
    double s = 0.0;
    for (int b = 0; b < batch; b++) s += x[(size_t)b * F + j];
    *mu = s / batch;
    double ss = 0.0;
    for (int b = 0; b < batch; b++) {
        double d = x[(size_t)b * F + j] - *mu;
        ss += d * d;
    }
    *sd = sqrt(ss / batch + MBSTD_EPS);
    return *sd;
}

/* StyleGAN's version with group size = batch and one statistic: a single
 * number for the whole batch, so the layer has no parameters. */
void nn_mbstd_forward(float *y, const float *x, int batch, int in)
{
    assert(y && x && batch > 0 && in > 0);
    const size_t F = (size_t)in, G = F + 1; /* x rows are F wide, y rows G */
    double total = 0.0;
    for (size_t j = 0; j < F; j++) {
        double mu, sd;
        total += mbstd_stats(x, batch, in, j, &mu, &sd);
    }
    const float s = (float)(total / in);
    for (int b = 0; b < batch; b++) {
        const float *xr = x + (size_t)b * F;
        float *yr = y + (size_t)b * G;
        for (size_t j = 0; j < F; j++) yr[j] = xr[j];
        yr[F] = s;
    }
}

void nn_mbstd_backward(float *dx, const float *dy, const float *x, int batch, int in)
{
    if (!dx) return;
    assert(dy && x && batch > 0 && in > 0);
    const size_t F = (size_t)in, G = F + 1;
    /* Every row's extra output is the same s, so its gradients add up. */
    double ds = 0.0;
    for (int b = 0; b < batch; b++) ds += dy[(size_t)b * G + F];
    for (size_t j = 0; j < F; j++) {
        double mu, sd;
        mbstd_stats(x, batch, in, j, &mu, &sd);
        /* d sd_j / d x_bj = (x_bj - mu_j) / (batch * sd_j); the terms through
         * mu_j cancel because the deviations sum to zero. */
        const double c = ds / ((double)in * batch * sd);
        for (int b = 0; b < batch; b++) {
            size_t k = (size_t)b * F + j;
            dx[k] += dy[(size_t)b * G + j] + (float)(c * (x[k] - mu));
        }
    }
}
