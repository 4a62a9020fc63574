/* style_layers.c - the maths of the style-based generator's layers
 * (style_layers.h). nn_adain_forward is exercise 26: solutions/26_adain.c
 * defines it. */
#include "nn/style_layers.h"

#include <stddef.h>
#include <string.h>

#include "kernels/ops.h"

void nn_adain_backward(float *dx, float *dscale, float *dbias, const float *dy,
                       const float *xhat, const float *invstd, const float *scale, int n, int c,
                       int hw)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < c; j++) {
            const size_t at = ((size_t)i * (size_t)c + (size_t)j) * (size_t)hw;
            const float *g = dy + at, *xh = xhat + at;
            const float s = scale[(size_t)i * c + j];
            /* Sums in double: a 28 x 28 map is 784 terms. */
            double sg = 0.0, sgx = 0.0;
            for (int p = 0; p < hw; p++) {
                sg += g[p];
                sgx += (double)g[p] * xh[p];
            }
            if (dscale) dscale[(size_t)i * c + j] += (float)sgx;
            if (dbias) dbias[(size_t)i * c + j] += (float)sg;
            if (!dx) continue;
            /* g here is dy scale: the gradient into xhat. */
            const float k = invstd[(size_t)i * c + j] * s;
            const float mg = (float)(sg / hw), mgx = (float)(sgx / hw);
            float *d = dx + at;
            for (int p = 0; p < hw; p++) d[p] += k * (g[p] - mg - xh[p] * mgx);
        }
}

void nn_noise_forward(float *y, const float *x, const float *noise, const float *s, int n, int c,
                      int hw)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < c; j++) {
            const size_t at = ((size_t)i * (size_t)c + (size_t)j) * (size_t)hw;
            const float *nz = noise + (size_t)i * hw;
            for (int p = 0; p < hw; p++) y[at + p] = x[at + p] + s[j] * nz[p];
        }
}

void nn_noise_backward(float *dx, float *ds, const float *dy, const float *noise, int n, int c,
                       int hw)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < c; j++) {
            const size_t at = ((size_t)i * (size_t)c + (size_t)j) * (size_t)hw;
            const float *nz = noise + (size_t)i * hw;
            double acc = 0.0;
            for (int p = 0; p < hw; p++) {
                if (dx) dx[at + p] += dy[at + p];
                acc += (double)dy[at + p] * nz[p];
            }
            if (ds) ds[j] += (float)acc;
        }
}

/* The row whose w slot r of row b reads: its own, or, from its crossover
 * slot on, the next row's. */
static int broadcast_source(const float *cross, int b, int r, int n)
{
    return r >= (int)cross[b] ? (b + 1) % n : b;
}

void nn_broadcast_forward(float *y, const float *x, const float *cross, int n, int dim, int k)
{
    for (int b = 0; b < n; b++)
        for (int r = 0; r < k; r++)
            memcpy(y + ((size_t)b * k + (size_t)r) * dim,
                   x + (size_t)broadcast_source(cross, b, r, n) * dim,
                   (size_t)dim * sizeof(float));
}

void nn_broadcast_backward(float *dx, const float *dy, const float *cross, int n, int dim, int k)
{
    for (int b = 0; b < n; b++)
        for (int r = 0; r < k; r++)
            nn_axpy(dx + (size_t)broadcast_source(cross, b, r, n) * dim, 1.0f,
                    dy + ((size_t)b * k + (size_t)r) * dim, (size_t)dim);
}

void nn_broadcast_crossovers(float *cross, nn_rng *r, float mix, int n, int k)
{
    /* The next row is another sample of the same batch, so reading its w is
     * drawing a second latent. */
    const int mixing = mix > 0.0f && n > 1 && k > 1;
    for (int b = 0; b < n; b++) {
        int c = k;
        if (mixing && nn_rng_uniform(r) < mix) c = 1 + (int)nn_rng_below(r, (uint32_t)(k - 1));
        cross[b] = (float)c;
    }
}

void nn_broadcast_track_mean(float *mean, const float *x, float decay, int n, int dim)
{
    for (int j = 0; j < dim; j++) {
        double s = 0.0;
        for (int b = 0; b < n; b++) s += x[(size_t)b * dim + j];
        mean[j] = decay * mean[j] + (1.0f - decay) * (float)(s / n);
    }
}
