/* transform.c - bytes to floats, normalisation, resizing, masks (transform.h). */
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

void nn_downsample_mean(float *out, const float *in, int count, int c, int h, int w, int f)
{
    const int oh = h / f, ow = w / f;
    const float inv = 1.0f / (float)(f * f);
    for (int m = 0; m < count * c; m++) {    /* one channel of one image at a time */
        const float *src = in + (size_t)m * h * w;
        float *dst = out + (size_t)m * oh * ow;
        for (int y = 0; y < oh; y++)
            for (int x = 0; x < ow; x++) {
                float s = 0.0f;
                for (int dy = 0; dy < f; dy++)
                    for (int dx = 0; dx < f; dx++) s += src[(y * f + dy) * w + x * f + dx];
                dst[y * ow + x] = s * inv;
            }
    }
}

void nn_upsample_nearest(float *out, const float *in, int count, int c, int h, int w, int f)
{
    const int oh = h * f, ow = w * f;
    for (int m = 0; m < count * c; m++) {
        const float *src = in + (size_t)m * h * w;
        float *dst = out + (size_t)m * oh * ow;
        for (int y = 0; y < oh; y++)
            for (int x = 0; x < ow; x++) dst[y * ow + x] = src[(y / f) * w + x / f];
    }
}

void nn_mask_squares(float *mask, int count, int h, int w, int side, int margin, nn_rng *r)
{
    /* Corners in [margin, h - side - margin]: the hole never touches the
     * frame, where Fashion-MNIST has only background. */
    const int span_y = h - side - 2 * margin + 1, span_x = w - side - 2 * margin + 1;
    for (int i = 0; i < count; i++) {
        int y0 = margin + (int)nn_rng_below(r, (uint32_t)span_y);
        int x0 = margin + (int)nn_rng_below(r, (uint32_t)span_x);
        float *m = mask + (size_t)i * h * w;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                m[y * w + x] = (y >= y0 && y < y0 + side && x >= x0 && x < x0 + side) ? 1.0f
                                                                                      : 0.0f;
    }
}
