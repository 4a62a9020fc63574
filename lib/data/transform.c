/* transform.c - bytes to floats, normalisation, bilinear resize (data.h). */
#include "data/transform.h"

#include <math.h>

void nn_dataset_gather(float *out, const nn_dataset *ds, const int *idx, int count,
                       nn_range range)
{
    size_t d = (size_t)ds->c * ds->h * ds->w;
    for (int b = 0; b < count; b++)
        nn_bytes_to_float(out + (size_t)b * d, ds->pixels + (size_t)idx[b] * d, d, range);
}

void nn_mean_std(const float *x, size_t n, double *mean, double *std)
{
    /* Two passes in double: one-pass sums of squares lose digits on 47
     * million pixels. */
    double s = 0.0;
    for (size_t i = 0; i < n; i++) s += x[i];
    double m = n ? s / (double)n : 0.0;
    double v = 0.0;
    for (size_t i = 0; i < n; i++) v += ((double)x[i] - m) * ((double)x[i] - m);
    *mean = m;
    *std = n ? sqrt(v / (double)n) : 0.0;
}

void nn_normalize(float *x, size_t n, float mean, float std)
{
    float inv = 1.0f / std;
    for (size_t i = 0; i < n; i++) x[i] = (x[i] - mean) * inv;
}

/* Where output pixel o samples the input axis of length in: the two
 * neighbours i0, i1 and the weight t of i1 (PyTorch's align_corners=False). */
static void axis_weights(int o, int out, int in, int *i0, int *i1, float *t)
{
    float src = ((float)o + 0.5f) * (float)in / (float)out - 0.5f;
    if (src < 0.0f) src = 0.0f;
    int a = (int)src;
    if (a > in - 1) a = in - 1;
    *i0 = a;
    *i1 = a < in - 1 ? a + 1 : a;
    *t = src - (float)a;
}

void nn_resize_bilinear(float *out, int oh, int ow, const float *in, int count, int c, int ih,
                        int iw)
{
    for (int img = 0; img < count * c; img++) {
        const float *src = in + (size_t)img * ih * iw;
        float *dst = out + (size_t)img * oh * ow;
        for (int y = 0; y < oh; y++) {
            int y0, y1;
            float ty;
            axis_weights(y, oh, ih, &y0, &y1, &ty);
            for (int x = 0; x < ow; x++) {
                int x0, x1;
                float tx;
                axis_weights(x, ow, iw, &x0, &x1, &tx);
                float top = (1.0f - tx) * src[y0 * iw + x0] + tx * src[y0 * iw + x1];
                float bot = (1.0f - tx) * src[y1 * iw + x0] + tx * src[y1 * iw + x1];
                dst[y * ow + x] = (1.0f - ty) * top + ty * bot;
            }
        }
    }
}

int nn_flat_size(int c, int h, int w)
{
    return c * h * w;
}
