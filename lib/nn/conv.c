/* conv.c - convolution, transposed convolution and 2-D batchnorm (conv.h).
 *
 * The fast path. A convolution reads a large plane (its input) and writes a
 * small one (its output); the transposed convolution is the same pair of
 * planes walked the other way. Laying out, for a few images, every
 * kernel-sized patch of the large plane as one column of a matrix (im2col:
 * row (c, p, q), one column per output pixel) turns every form into a
 * product with the weights seen as a matrix Wm (channels of the small plane,
 * c k k):
 *   to_small: small  = Wm . cols(big)        conv2d forward, conv-transpose dx
 *   to_big:   big   += col2im(Wm^T . small)  conv2d dx, conv-transpose forward
 *   weights:  dWm   += small . cols(big)^T   conv2d dw (small = dy, big = x),
 *                                            conv-transpose dw (small = x, big = dy)
 * col2im adds each column back onto the pixels its patch came from.
 *
 * Threads. to_small and to_big never mix images, so the batch is cut into one
 * slice of images per thread, each with its own share of the scratch, and
 * every product in a slice runs on its thread alone: one hand-over per call,
 * and each thread's patches stay in its own cache. The weight gradient sums
 * over every image, so it goes the other way: a few images at a time, their
 * patches laid out by all threads, then one nn_matmul that cuts dWm between
 * them; every element of dWm is summed in the same order at any thread count.
 * A small dWm (a layer from or to one channel) is summed by each thread over
 * its slice into its own copy instead, the copies added in slice order.
 * bench/README.md has the measurements behind each choice.
 *
 * The plain loops (the reference kernel) follow the definitions in conv.h
 * term by term; the long sums (dw, db) are taken in double.
 */
#include "nn/conv.h"

#include <assert.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/common.h"
#include "kernels/ops.h"
#include "kernels/ops_fast.h"
#include "kernels/pool.h"

/* Columns (output pixels) the scratch holds patches for: enough that the
 * products are wide (a few hundred columns keep OpenBLAS near its peak,
 * bench/README.md), and at least CONV_MIN_IMAGES images so that up to that
 * many threads each get a share. */
#define CONV_COLS 512
#define CONV_MIN_IMAGES 8
/* Below this many multiply-adds a call stays on one thread: waking another
 * costs microseconds. */
#define CONV_SPLIT_MIN_MACS 2000000LL
/* Element-wise passes (patch layout, channel sums) below this many floats
 * per thread stay on one. */
#define CONV_MIN_PER_THREAD 16384u
/* Scratch sub-buffers start on 16-float (64-byte) boundaries. */
#define ALIGN_FLOATS 16u

static size_t round16(size_t n)
{
    return (n + ALIGN_FLOATS - 1) / ALIGN_FLOATS * ALIGN_FLOATS;
}

/* ---------------------------------------------------------------- sizes */

int nn_conv2d_out_size(int in, int k, int stride, int pad)
{
    assert(stride >= 1);
    long long span = (long long)in + 2LL * pad - k;
    if (span < 0) return 0;
    long long out = span / stride + 1;
    return out > INT_MAX ? 0 : (int)out;
}

/* ---------------------------------------------------------------- geometry */

/* The two planes of one call. */
typedef struct {
    int C, H, W;      /* the large plane: conv2d's input, the transposed conv's output */
    int Cs, OH, OW;   /* the small plane: conv2d's output, the transposed conv's input */
    int k, S, pad;
    int K;            /* rows of the patch matrix: C k k */
    size_t big;       /* floats per image of the large plane, C H W */
    size_t small;     /* floats per image of the small plane, Cs OH OW */
    size_t ohw;       /* pixels per channel of the small plane */
    size_t per_image; /* scratch floats per image: patches (K) and one small image (Cs) */
} geom;

static geom make_geom(int C, int H, int W, int Cs, int OH, int OW, int k, int S, int pad)
{
    geom g;
    g.C = C; g.H = H; g.W = W;
    g.Cs = Cs; g.OH = OH; g.OW = OW;
    g.k = k; g.S = S; g.pad = pad;
    g.K = C * k * k;
    g.big = (size_t)C * (size_t)H * (size_t)W;
    g.ohw = (size_t)OH * (size_t)OW;
    g.small = (size_t)Cs * g.ohw;
    g.per_image = ((size_t)g.K + (size_t)Cs) * g.ohw;
    return g;
}

/* Images whose patches the scratch holds at once (the weight gradient's
 * batches, and the slices' total). */
static int group_images(const geom *g, int batch)
{
    size_t want = g->ohw ? (CONV_COLS + g->ohw - 1) / g->ohw : 1;
    if (want < CONV_MIN_IMAGES) want = CONV_MIN_IMAGES;
    return (size_t)batch < want ? batch : (int)want;
}

static size_t scratch_floats(const geom *g, int batch)
{
    /* Per image, room for rounding up a slice's two sub-buffers and its
     * start, so that n slices of one image each still fit. */
    size_t n = (size_t)group_images(g, batch);
    return n * (g->per_image + 3u * ALIGN_FLOATS);
}

/* Images a scratch share of `len` floats holds (0 if not even one). */
static int images_fit(const geom *g, size_t len)
{
    if (len < 2u * ALIGN_FLOATS) return 0;
    size_t n = (len - 2u * ALIGN_FLOATS) / (g->per_image ? g->per_image : 1);
    return n > INT_MAX ? INT_MAX : (int)n;
}

/* [lo, hi): the outputs o in [0, n_out) whose tap t lands inside the input,
 * 0 <= o S + t - pad < n_in. */
static void tap_range(int n_in, int n_out, int t, int S, int pad, int *lo, int *hi)
{
    long long a = 0, b = 0, last = (long long)n_in - 1 + pad - t; /* o S <= last */
    if (t < pad) a = ((long long)pad - t + S - 1) / S;
    if (last >= 0) b = last / S + 1;
    if (a > n_out) a = n_out;
    if (b > n_out) b = n_out;
    if (b < a) b = a;
    *lo = (int)a;
    *hi = (int)b;
}

/* ---------------------------------------------------------------- im2col */

/* Where tap (p, q) of the kernel lands: the outputs [oy0, oy1) x [ox0, ox1)
 * read inside the large plane, the others read padding. Output (oy, ox)
 * reads large-plane element base + oy S W + ox S. The same for every
 * channel and image, so it is worked out once per tap. */
typedef struct {
    int oy0, oy1, ox0, ox1;
    ptrdiff_t base;
} tap;

static tap make_tap(const geom *g, int p, int q)
{
    tap t;
    tap_range(g->H, g->OH, p, g->S, g->pad, &t.oy0, &t.oy1);
    tap_range(g->W, g->OW, q, g->S, g->pad, &t.ox0, &t.ox1);
    t.base = (ptrdiff_t)(p - g->pad) * g->W + (q - g->pad);
    return t;
}

/* d[ox] = xs[ox * S] for n outputs. The stride is a constant in the two
 * cases the course uses, so the compiler can unroll and vectorise them. */
static inline void strided_copy(float *restrict d, const float *restrict xs, int n, int S)
{
    if (S == 1)
        for (int i = 0; i < n; i++) d[i] = xs[i];
    else if (S == 2)
        for (int i = 0; i < n; i++) d[i] = xs[2 * i];
    else
        for (int i = 0; i < n; i++) d[i] = xs[(size_t)i * (size_t)S];
}

static inline void strided_add(float *restrict xs, const float *restrict d, int n, int S)
{
    if (S == 1)
        for (int i = 0; i < n; i++) xs[i] += d[i];
    else if (S == 2)
        for (int i = 0; i < n; i++) xs[2 * i] += d[i];
    else
        for (int i = 0; i < n; i++) xs[(size_t)i * (size_t)S] += d[i];
}

/* One channel's patch row for tap t: d[oy OW + ox] = the large-plane pixel
 * (oy S + p - pad, ox S + q - pad) of xc, 0 in the padding. */
static void im2col_one(float *restrict d, const float *restrict xc, const geom *g, const tap *t)
{
    const int OW = g->OW, OH = g->OH, S = g->S, n = t->ox1 - t->ox0;
    for (int e = 0; e < t->oy0 * OW; e++) d[e] = 0.0f;
    for (int oy = t->oy0; oy < t->oy1; oy++) {
        float *dr = d + (size_t)oy * (size_t)OW;
        for (int ox = 0; ox < t->ox0; ox++) dr[ox] = 0.0f;
        if (n > 0)
            strided_copy(dr + t->ox0,
                         xc + (t->base + ((ptrdiff_t)oy * g->W + t->ox0) * S), n, S);
        for (int ox = t->ox1; ox < OW; ox++) dr[ox] = 0.0f;
    }
    for (int e = t->oy1 * OW; e < OH * OW; e++) d[e] = 0.0f;
}

/* The way back: each patch entry added onto the pixel it came from. */
static void col2im_one(float *restrict xc, const float *restrict d, const geom *g, const tap *t)
{
    const int OW = g->OW, S = g->S, n = t->ox1 - t->ox0;
    if (n <= 0) return;
    for (int oy = t->oy0; oy < t->oy1; oy++)
        strided_add(xc + (t->base + ((ptrdiff_t)oy * g->W + t->ox0) * S),
                    d + (size_t)oy * (size_t)OW + t->ox0, n, S);
}

/* Rows [r0, r1) of the patch matrix (K, gc * ohw) of gc images: row
 * r = (c k + p) k + q, column i ohw + pixel. */
static void im2col_rows(float *cols, const float *big0, int gc, const geom *g, int r0, int r1)
{
    const int kk = g->k * g->k;
    const size_t P = (size_t)gc * g->ohw, hw = (size_t)g->H * (size_t)g->W;
    for (int r = r0; r < r1; r++) {
        const int c = r / kk;
        const tap t = make_tap(g, r % kk / g->k, r % g->k);
        for (int i = 0; i < gc; i++)
            im2col_one(cols + (size_t)r * P + (size_t)i * g->ohw,
                       big0 + (size_t)i * g->big + (size_t)c * hw, g, &t);
    }
}

/* Adds the patch matrix of gc images back onto channels [c0, c1) of their
 * large planes. Each pixel takes its (p, q) terms in order whatever the
 * split, so any cut between threads gives the same sums. */
static void col2im_channels(float *big0, const float *cols, int gc, const geom *g, int c0, int c1)
{
    const int kk = g->k * g->k;
    const size_t P = (size_t)gc * g->ohw, hw = (size_t)g->H * (size_t)g->W;
    for (int pq = 0; pq < kk; pq++) {
        const tap t = make_tap(g, pq / g->k, pq % g->k);
        for (int i = 0; i < gc; i++)
            for (int c = c0; c < c1; c++)
                col2im_one(big0 + (size_t)i * g->big + (size_t)c * hw,
                           cols + (size_t)(c * kk + pq) * P + (size_t)i * g->ohw, g, &t);
    }
}

/* Channels [c0, c1) of gc small images side by side: t[c][i ohw + s] = s0[i][c][s]. */
static void gather_small(float *t, const float *s0, int gc, const geom *g, int c0, int c1)
{
    const size_t P = (size_t)gc * g->ohw;
    for (int c = c0; c < c1; c++)
        for (int i = 0; i < gc; i++)
            memcpy(t + (size_t)c * P + (size_t)i * g->ohw,
                   s0 + (size_t)i * g->small + (size_t)c * g->ohw, g->ohw * sizeof *t);
}

/* b[c] added to every pixel of channel c of n images of `ch` channels. */
static void add_bias_planes(float *y, const float *b, int n, int ch, size_t hw)
{
    for (int i = 0; i < n; i++)
        for (int c = 0; c < ch; c++) {
            float *yc = y + ((size_t)i * (size_t)ch + (size_t)c) * hw;
            for (size_t s = 0; s < hw; s++) yc[s] += b[c];
        }
}

/* ---------------------------------------------------------------- slices */

/* One call cut into slices of images, one per thread. */
typedef struct {
    const geom *g;
    int batch;
    float *scratch;
    size_t share;       /* scratch floats per slice */
    float *out;         /* to_small: the small planes; to_big: the large planes */
    const float *in;    /* to_small: the large planes; to_big: the small planes */
    const float *wm;    /* (Cs, K) */
    const float *bias;  /* (channels of out) or NULL */
    int accumulate;     /* 1: out += ...; 0: out = ... */
} slice_job;

/* Images [*a, *b) of group t of ng over the slice [n0, n0 + count): sizes
 * differ by at most one. */
static void group_bounds(int n0, int count, int t, int ng, int *a, int *b)
{
    *a = n0 + (int)((long long)count * t / ng);
    *b = n0 + (int)((long long)count * (t + 1) / ng);
}

static void slice_bounds(int batch, int part, int parts, int *n0, int *count)
{
    *n0 = (int)((long long)batch * part / parts);
    *count = (int)((long long)batch * (part + 1) / parts) - *n0;
}

/* small = Wm . cols(big) (+ bias), over this slice's images. */
static void to_small_part(void *ctx, int part, int parts)
{
    const slice_job *j = ctx;
    const geom *g = j->g;
    int n0, count;
    slice_bounds(j->batch, part, parts, &n0, &count);
    if (count <= 0) return;
    const int fit = images_fit(g, j->share);
    assert(fit >= 1);
    const int ng = (count + fit - 1) / fit;
    float *cols = j->scratch + (size_t)part * j->share;
    for (int t = 0; t < ng; t++) {
        int a, b;
        group_bounds(n0, count, t, ng, &a, &b);
        const int gc = b - a;
        const size_t P = (size_t)gc * g->ohw;
        im2col_rows(cols, j->in + (size_t)a * g->big, gc, g, 0, g->K);
        float *out0 = j->out + (size_t)a * g->small;
        if (gc == 1) {
            /* One image: its (Cs, ohw) block of out is the product itself. */
            nn_fast_matmul_serial(out0, j->wm, cols, g->Cs, (int)P, g->K, 0, 0, j->accumulate);
            if (j->bias) add_bias_planes(out0, j->bias, 1, g->Cs, g->ohw);
            continue;
        }
        /* Several: the product holds them side by side, (Cs, gc ohw); each
         * image's block goes to its own row of out. */
        float *tmp = cols + round16((size_t)g->K * P);
        nn_fast_matmul_serial(tmp, j->wm, cols, g->Cs, (int)P, g->K, 0, 0, 0);
        for (int i = 0; i < gc; i++)
            for (int c = 0; c < g->Cs; c++) {
                float *o = out0 + (size_t)i * g->small + (size_t)c * g->ohw;
                const float *s = tmp + (size_t)c * P + (size_t)i * g->ohw;
                const float bc = j->bias ? j->bias[c] : 0.0f;
                if (j->accumulate)
                    for (size_t e = 0; e < g->ohw; e++) o[e] += s[e] + bc;
                else
                    for (size_t e = 0; e < g->ohw; e++) o[e] = s[e] + bc;
            }
    }
}

/* big (+)= col2im(Wm^T . small) (+ bias), over this slice's images. */
static void to_big_part(void *ctx, int part, int parts)
{
    const slice_job *j = ctx;
    const geom *g = j->g;
    int n0, count;
    slice_bounds(j->batch, part, parts, &n0, &count);
    if (count <= 0) return;
    const int fit = images_fit(g, j->share);
    assert(fit >= 1);
    const int ng = (count + fit - 1) / fit;
    float *cols = j->scratch + (size_t)part * j->share;
    for (int t = 0; t < ng; t++) {
        int a, b;
        group_bounds(n0, count, t, ng, &a, &b);
        const int gc = b - a;
        const size_t P = (size_t)gc * g->ohw;
        const float *small = j->in + (size_t)a * g->small;
        if (gc > 1) {
            float *tmp = cols + round16((size_t)g->K * P);
            gather_small(tmp, small, gc, g, 0, g->Cs);
            small = tmp;
        }
        nn_fast_matmul_serial(cols, j->wm, small, g->K, (int)P, g->Cs, 1, 0, 0);
        float *out0 = j->out + (size_t)a * g->big;
        if (!j->accumulate) memset(out0, 0, (size_t)gc * g->big * sizeof *out0);
        col2im_channels(out0, cols, gc, g, 0, g->C);
        if (j->bias) add_bias_planes(out0, j->bias, gc, g->C, (size_t)g->H * (size_t)g->W);
    }
}

/* Threads for one call of `macs` multiply-adds with `share`-float slices. */
static int slice_parts(const geom *g, int batch, size_t scratch_len, long long macs)
{
    int parts = nn_get_threads();
    if (macs < CONV_SPLIT_MIN_MACS) parts = 1;
    if (parts > batch) parts = batch;
    while (parts > 1 &&
           images_fit(g, scratch_len / (size_t)parts / ALIGN_FLOATS * ALIGN_FLOATS) < 1)
        parts--;
    return parts;
}

static void run_slices(nn_pool_fn fn, const geom *g, int batch, float *out, const float *in,
                       const float *wm, const float *bias, int accumulate, float *scratch,
                       size_t scratch_len)
{
    const long long macs = (long long)batch * g->Cs * g->K * (long long)g->ohw;
    const int parts = slice_parts(g, batch, scratch_len, macs);
    slice_job j = {g, batch, scratch, scratch_len / (size_t)parts / ALIGN_FLOATS * ALIGN_FLOATS,
                   out, in, wm, bias, accumulate};
    nn_pool_run(fn, &j, parts);
}

/* ---------------------------------------------------------------- weights */

/* One group's patches and small planes, laid out by all threads: indices
 * [0, K) are rows of the patch matrix, [K, K + Cs) channels to gather. */
typedef struct {
    const geom *g;
    float *cols, *tmp;
    const float *big0, *small0;
    int gc;
} layout_job;

static void layout_range(void *ctx, size_t lo, size_t hi)
{
    const layout_job *j = ctx;
    const int K = j->g->K;
    int r0 = (int)lo, r1 = (int)hi;
    if (r0 < K) im2col_rows(j->cols, j->big0, j->gc, j->g, r0, r1 < K ? r1 : K);
    if (r1 > K && j->tmp)
        gather_small(j->tmp, j->small0, j->gc, j->g, r0 > K ? r0 - K : 0, r1 - K);
}

/* A weight gradient this small (a convolution from or to one channel) is
 * cheaper summed by each thread over its own slice of images, into its own
 * copy at the end of its scratch share, than laid out group by group: the
 * hand-overs would cost more than the product. */
#define SMALL_DW 16384

typedef struct {
    const geom *g;
    int batch;
    float *scratch;
    size_t share;       /* scratch floats per slice, its partial dWm last */
    const float *small, *big;
} dw_slice_job;

static size_t partial_floats(const geom *g)
{
    return round16((size_t)g->Cs * (size_t)g->K);
}

static void dw_slice_part(void *ctx, int part, int parts)
{
    const dw_slice_job *j = ctx;
    const geom *g = j->g;
    float *cols = j->scratch + (size_t)part * j->share;
    float *dwp = cols + j->share - partial_floats(g);
    memset(dwp, 0, (size_t)g->Cs * (size_t)g->K * sizeof *dwp);
    int n0, count;
    slice_bounds(j->batch, part, parts, &n0, &count);
    if (count <= 0) return;
    const int fit = images_fit(g, j->share - partial_floats(g));
    assert(fit >= 1);
    const int ng = (count + fit - 1) / fit;
    for (int t = 0; t < ng; t++) {
        int a, b;
        group_bounds(n0, count, t, ng, &a, &b);
        const int gc = b - a;
        const size_t P = (size_t)gc * g->ohw;
        const float *sm = j->small + (size_t)a * g->small;
        im2col_rows(cols, j->big + (size_t)a * g->big, gc, g, 0, g->K);
        if (gc > 1) {
            float *tmp = cols + round16((size_t)g->K * P);
            gather_small(tmp, sm, gc, g, 0, g->Cs);
            sm = tmp;
        }
        nn_fast_matmul_serial(dwp, sm, cols, g->Cs, g->K, (int)P, 0, 1, 1);
    }
}

/* The threads for dw_slice_part, or 1 when the group-by-group way is used. */
static int dw_slice_parts(const geom *g, int batch, size_t scratch_len)
{
    if ((size_t)g->Cs * (size_t)g->K > SMALL_DW) return 1;
    int parts = nn_get_threads();
    if ((long long)batch * g->Cs * g->K * (long long)g->ohw < CONV_SPLIT_MIN_MACS) parts = 1;
    if (parts > batch) parts = batch;
    while (parts > 1) {
        size_t share = scratch_len / (size_t)parts / ALIGN_FLOATS * ALIGN_FLOATS;
        if (share > partial_floats(g) && images_fit(g, share - partial_floats(g)) >= 1) break;
        parts--;
    }
    return parts;
}

/* dWm (Cs, K) += small . cols(big)^T over the whole batch. */
static void weight_grad(float *dwm, const float *small, const float *big, const geom *g,
                        int batch, float *scratch, size_t scratch_len)
{
    const int sparts = dw_slice_parts(g, batch, scratch_len);
    if (sparts > 1) {
        dw_slice_job j = {g, batch, scratch,
                          scratch_len / (size_t)sparts / ALIGN_FLOATS * ALIGN_FLOATS, small, big};
        nn_pool_run(dw_slice_part, &j, sparts);
        /* The slices' sums added in slice order: the same bits on every run. */
        const size_t n = (size_t)g->Cs * (size_t)g->K;
        for (int p = 0; p < sparts; p++) {
            const float *dwp = scratch + (size_t)(p + 1) * j.share - partial_floats(g);
            for (size_t e = 0; e < n; e++) dwm[e] += dwp[e];
        }
        return;
    }
    const int fit = images_fit(g, scratch_len);
    assert(fit >= 1);
    const int ng = (batch + fit - 1) / fit;
    for (int t = 0; t < ng; t++) {
        int a, b;
        group_bounds(0, batch, t, ng, &a, &b);
        const int gc = b - a;
        const size_t P = (size_t)gc * g->ohw;
        float *cols = scratch, *tmp = scratch + round16((size_t)g->K * P);
        layout_job j = {g, cols, gc > 1 ? tmp : NULL, big + (size_t)a * g->big,
                        small + (size_t)a * g->small, gc};
        size_t min_rows = CONV_MIN_PER_THREAD / (P ? P : 1) + 1;
        nn_pool_for(layout_range, &j, (size_t)g->K + (gc > 1 ? (size_t)g->Cs : 0), min_rows);
        const float *sm = gc > 1 ? tmp : j.small0;
        nn_matmul(dwm, sm, cols, g->Cs, g->K, (int)P, 0, 1, 1);
    }
}

/* ---------------------------------------------------------------- bias grad */

#define LANES 8

/* part[k] += x[i] for i = k mod LANES: eight running sums, so the adds do
 * not wait on each other (a single double sum would run at one add per 4
 * cycles), always in the same order. */
static void lanes_add(double *part, const float *x, size_t n)
{
    size_t i = 0;
    for (; i + LANES <= n; i += LANES)
        for (int k = 0; k < LANES; k++) part[k] += (double)x[i + k];
    for (int k = 0; i < n; i++, k++) part[k] += (double)x[i];
}

static double lanes_total(const double *part)
{
    return ((part[0] + part[1]) + (part[2] + part[3])) +
           ((part[4] + part[5]) + (part[6] + part[7]));
}

typedef struct {
    float *db;
    const float *t;
    int batch, ch;
    size_t hw;
} chsum_job;

static void chsum_range(void *ctx, size_t lo, size_t hi)
{
    const chsum_job *j = ctx;
    for (size_t c = lo; c < hi; c++) {
        double part[LANES] = {0.0};
        for (int n = 0; n < j->batch; n++)
            lanes_add(part, j->t + ((size_t)n * (size_t)j->ch + c) * j->hw, j->hw);
        j->db[c] += (float)lanes_total(part);
    }
}

/* db[c] += the sum of channel c of every image. */
static void channel_sums(float *db, const float *t, int batch, int ch, size_t hw)
{
    chsum_job j = {db, t, batch, ch, hw};
    size_t per = (size_t)batch * hw;
    nn_pool_for(chsum_range, &j, (size_t)ch, CONV_MIN_PER_THREAD / (per ? per : 1) + 1);
}

/* ---------------------------------------------------------------- scratch */

/* The caller's scratch, or one allocated for this call (*owned set); NULL
 * when memory is short, and the plain loops run instead. */
static float *get_scratch(float *scratch, size_t need, float **owned)
{
    *owned = NULL;
    if (scratch) return scratch;
    *owned = nn_alloc(need, sizeof(float));
    return *owned;
}

/* ---------------------------------------------------------------- conv2d */

static geom conv2d_geom(int c_in, int in_h, int in_w, int c_out, int k, int stride, int pad)
{
    return make_geom(c_in, in_h, in_w, c_out, nn_conv2d_out_size(in_h, k, stride, pad),
                     nn_conv2d_out_size(in_w, k, stride, pad), k, stride, pad);
}

size_t nn_conv2d_scratch(int batch, int c_in, int in_h, int in_w, int c_out, int k, int stride,
                         int pad)
{
    geom g = conv2d_geom(c_in, in_h, in_w, c_out, k, stride, pad);
    return scratch_floats(&g, batch);
}

void nn_conv2d_forward(float *y, const float *x, const float *w, const float *b, int batch,
                       int c_in, int in_h, int in_w, int c_out, int k, int stride, int pad,
                       float *scratch)
{
    assert(batch >= 1 && c_in >= 1 && c_out >= 1 && k >= 1 && stride >= 1 && pad >= 0);
    geom g = conv2d_geom(c_in, in_h, in_w, c_out, k, stride, pad);
    if (g.ohw == 0) return;
    float *owned = NULL;
    size_t need = scratch_floats(&g, batch);
    if (nn_get_kernel() == NN_KERNEL_REFERENCE || !(scratch = get_scratch(scratch, need, &owned))) {
        nn_conv2d_forward_reference(y, x, w, b, batch, c_in, in_h, in_w, c_out, k, stride, pad);
        return;
    }
    /* w (c_out, c_in, k, k) is already Wm (c_out, c_in k k). */
    run_slices(to_small_part, &g, batch, y, x, w, b, 0, scratch, need);
    nn_free(owned);
}

void nn_conv2d_backward(float *dx, float *dw, float *db, const float *dy, const float *x,
                        const float *w, int batch, int c_in, int in_h, int in_w, int c_out,
                        int k, int stride, int pad, float *scratch)
{
    assert(batch >= 1 && c_in >= 1 && c_out >= 1 && k >= 1 && stride >= 1 && pad >= 0);
    geom g = conv2d_geom(c_in, in_h, in_w, c_out, k, stride, pad);
    if (g.ohw == 0 || (!dx && !dw && !db)) return;
    float *owned = NULL;
    size_t need = scratch_floats(&g, batch);
    if (nn_get_kernel() == NN_KERNEL_REFERENCE || !(scratch = get_scratch(scratch, need, &owned))) {
        nn_conv2d_backward_reference(dx, dw, db, dy, x, w, batch, c_in, in_h, in_w, c_out, k,
                                     stride, pad);
        return;
    }
    if (db) channel_sums(db, dy, batch, c_out, g.ohw);
    if (dw) weight_grad(dw, dy, x, &g, batch, scratch, need);
    if (dx) run_slices(to_big_part, &g, batch, dx, dy, w, NULL, 1, scratch, need);
    nn_free(owned);
}

/* db[o] += the sum of dy's channel o over every image and pixel, in double
 * and added once: the bias gradient of both convolutions' plain loops. */
static void bias_grad_reference(float *db, const float *dy, int batch, int c_out, int hw)
{
    for (int o = 0; o < c_out; o++) {
        double s = 0.0;
        for (int n = 0; n < batch; n++)
            for (int e = 0; e < hw; e++) s += dy[((size_t)n * c_out + o) * hw + e];
        db[o] += (float)s;
    }
}

/* The plain loops: the definition. db and dw are long sums (over every image
 * and pixel), each taken in double and added once; dx gathers a few terms
 * per pixel, added as they come. */
void nn_conv2d_backward_reference(float *dx, float *dw, float *db, const float *dy,
                                  const float *x, const float *w, int batch, int c_in, int in_h,
                                  int in_w, int c_out, int k, int stride, int pad)
{
    const int oh = nn_conv2d_out_size(in_h, k, stride, pad);
    const int ow = nn_conv2d_out_size(in_w, k, stride, pad);
    if (db) bias_grad_reference(db, dy, batch, c_out, oh * ow);
    if (dw)
        for (int o = 0; o < c_out; o++)
            for (int c = 0; c < c_in; c++)
                for (int p = 0; p < k; p++)
                    for (int q = 0; q < k; q++) {
                        double s = 0.0;
                        for (int n = 0; n < batch; n++)
                            for (int i = 0; i < oh; i++)
                                for (int j = 0; j < ow; j++) {
                                    const int iy = i * stride + p - pad, ix = j * stride + q - pad;
                                    if (iy < 0 || iy >= in_h || ix < 0 || ix >= in_w) continue;
                                    s += (double)dy[(((size_t)n * c_out + o) * oh + i) * ow + j] *
                                         x[(((size_t)n * c_in + c) * in_h + iy) * in_w + ix];
                                }
                        dw[(((size_t)o * c_in + c) * k + p) * k + q] += (float)s;
                    }
    if (dx)
        for (int n = 0; n < batch; n++)
            for (int o = 0; o < c_out; o++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++) {
                        const float g = dy[(((size_t)n * c_out + o) * oh + i) * ow + j];
                        for (int c = 0; c < c_in; c++)
                            for (int p = 0; p < k; p++)
                                for (int q = 0; q < k; q++) {
                                    const int iy = i * stride + p - pad, ix = j * stride + q - pad;
                                    if (iy < 0 || iy >= in_h || ix < 0 || ix >= in_w) continue;
                                    dx[(((size_t)n * c_in + c) * in_h + iy) * in_w + ix] +=
                                        g * w[(((size_t)o * c_in + c) * k + p) * k + q];
                                }
                    }
}

/* ---------------------------------------------------------------- transposed */

/* The transposed convolution reads the small plane and writes the large one:
 * its output is the convolution's input. The output size comes from
 * exercise 15, as the model's does; every loop bounds its writes by it, so
 * any size is safe. */
static geom convt_geom(int c_in, int in_h, int in_w, int c_out, int k, int stride, int pad)
{
    return make_geom(c_out, nn_conv_transpose2d_out_size(in_h, k, stride, pad),
                     nn_conv_transpose2d_out_size(in_w, k, stride, pad), c_in, in_h, in_w, k,
                     stride, pad);
}

size_t nn_conv_transpose2d_scratch(int batch, int c_in, int in_h, int in_w, int c_out, int k,
                                   int stride, int pad)
{
    geom g = convt_geom(c_in, in_h, in_w, c_out, k, stride, pad);
    if (g.H < 0 || g.W < 0) return 0;
    return scratch_floats(&g, batch);
}

void nn_conv_transpose2d_forward(float *y, const float *x, const float *w, const float *b,
                                 int batch, int c_in, int in_h, int in_w, int c_out, int k,
                                 int stride, int pad, float *scratch)
{
    assert(batch >= 1 && c_in >= 1 && c_out >= 1 && k >= 1 && stride >= 1 && pad >= 0);
    geom g = convt_geom(c_in, in_h, in_w, c_out, k, stride, pad);
    if (g.H <= 0 || g.W <= 0) return;
    float *owned = NULL;
    size_t need = scratch_floats(&g, batch);
    if (nn_get_kernel() == NN_KERNEL_REFERENCE || !(scratch = get_scratch(scratch, need, &owned))) {
        nn_conv_transpose2d_forward_reference(y, x, w, b, batch, c_in, in_h, in_w, c_out, k,
                                              stride, pad);
        return;
    }
    /* w (c_in, c_out, k, k) is Wm (c_in, c_out k k): the small plane's
     * channels first, as to_big wants. */
    run_slices(to_big_part, &g, batch, y, x, w, b, 0, scratch, need);
    nn_free(owned);
}

void nn_conv_transpose2d_backward(float *dx, float *dw, float *db, const float *dy,
                                  const float *x, const float *w, int batch, int c_in, int in_h,
                                  int in_w, int c_out, int k, int stride, int pad,
                                  float *scratch)
{
    assert(batch >= 1 && c_in >= 1 && c_out >= 1 && k >= 1 && stride >= 1 && pad >= 0);
    geom g = convt_geom(c_in, in_h, in_w, c_out, k, stride, pad);
    if (g.H <= 0 || g.W <= 0 || (!dx && !dw && !db)) return;
    float *owned = NULL;
    size_t need = scratch_floats(&g, batch);
    if (nn_get_kernel() == NN_KERNEL_REFERENCE || !(scratch = get_scratch(scratch, need, &owned))) {
        nn_conv_transpose2d_backward_reference(dx, dw, db, dy, x, w, batch, c_in, in_h, in_w,
                                               c_out, k, stride, pad);
        return;
    }
    if (db) channel_sums(db, dy, batch, c_out, (size_t)g.H * (size_t)g.W);
    if (dw) weight_grad(dw, x, dy, &g, batch, scratch, need);
    if (dx) run_slices(to_small_part, &g, batch, dx, dy, w, NULL, 1, scratch, need);
    nn_free(owned);
}

/* The transposed convolution is the convolution's adjoint, so its plain
 * loops are the convolution's backward ones, read the other way: a
 * convolution from the big (c_out, oh, ow) map to the small (c_in, in_h, in_w)
 * one, with the same weights (c_in, c_out, k, k), sends its gradient from
 * small to big exactly as this layer stamps its input onto its output, and
 * its weight gradient pairs the two maps as this layer's does. The sums run in
 * the same order as stamping pixel by pixel would. */
void nn_conv_transpose2d_forward_reference(float *y, const float *x, const float *w,
                                           const float *b, int batch, int c_in, int in_h,
                                           int in_w, int c_out, int k, int stride, int pad)
{
    const int oh = nn_conv_transpose2d_out_size(in_h, k, stride, pad);
    const int ow = nn_conv_transpose2d_out_size(in_w, k, stride, pad);
    if (oh <= 0 || ow <= 0) return;
    for (int n = 0; n < batch; n++)
        for (int o = 0; o < c_out; o++)
            for (int e = 0; e < oh * ow; e++)
                y[((size_t)n * c_out + o) * oh * ow + e] = b ? b[o] : 0.0f;
    nn_conv2d_backward_reference(y, NULL, NULL, x, NULL, w, batch, c_out, oh, ow, c_in, k,
                                 stride, pad);
}

void nn_conv_transpose2d_backward_reference(float *dx, float *dw, float *db, const float *dy,
                                            const float *x, const float *w, int batch, int c_in,
                                            int in_h, int in_w, int c_out, int k, int stride,
                                            int pad)
{
    const int oh = nn_conv_transpose2d_out_size(in_h, k, stride, pad);
    const int ow = nn_conv_transpose2d_out_size(in_w, k, stride, pad);
    if (oh <= 0 || ow <= 0) return;
    if (db) bias_grad_reference(db, dy, batch, c_out, oh * ow);
    if (dw)
        nn_conv2d_backward_reference(NULL, dw, NULL, x, dy, w, batch, c_out, oh, ow, c_in, k,
                                     stride, pad);
    if (dx)
        for (int n = 0; n < batch; n++)
            for (int c = 0; c < c_in; c++)
                for (int i = 0; i < in_h; i++)
                    for (int j = 0; j < in_w; j++) {
                        /* Each input pixel collects the gradient of its stamp. */
                        float s = 0.0f;
                        for (int o = 0; o < c_out; o++)
                            for (int p = 0; p < k; p++)
                                for (int q = 0; q < k; q++) {
                                    const int oy = i * stride + p - pad, ox = j * stride + q - pad;
                                    if (oy < 0 || oy >= oh || ox < 0 || ox >= ow) continue;
                                    s += dy[(((size_t)n * c_out + o) * oh + oy) * ow + ox] *
                                         w[(((size_t)c * c_out + o) * k + p) * k + q];
                                }
                        dx[(((size_t)n * c_in + c) * in_h + i) * in_w + j] += s;
                    }
}

/* ---------------------------------------------------------------- batchnorm 2-D */

typedef struct {
    float *y, *xhat, *mean, *invstd, *running_mean, *running_var;
    const float *x, *gamma, *beta;
    float momentum, eps;
    int batch, ch;
    size_t hw;
} bn2_fwd_job;

/* Channels [lo, hi): each channel's statistics and outputs depend on that
 * channel alone, so the channels can be cut between threads with the same
 * bits at any count. */
static void bn2_train_range(void *ctx, size_t lo, size_t hi)
{
    const bn2_fwd_job *j = ctx;
    const size_t hw = j->hw, M = (size_t)j->batch * hw;
    /* torch's running variance takes the unbiased estimate; one number has
     * no spread to estimate, so it keeps the biased one. */
    const double unbias = M > 1 ? (double)M / (double)(M - 1) : 1.0;
    for (size_t c = lo; c < hi; c++) {
        double part[LANES] = {0.0};
        for (int n = 0; n < j->batch; n++)
            lanes_add(part, j->x + ((size_t)n * (size_t)j->ch + c) * hw, hw);
        const double mu = lanes_total(part) / (double)M;
        /* The variance from the deviations, in double: a channel of large,
         * close values would lose it to cancellation in E[x^2] - mu^2. */
        double sq[LANES] = {0.0};
        for (int n = 0; n < j->batch; n++) {
            const float *xc = j->x + ((size_t)n * (size_t)j->ch + c) * hw;
            size_t i = 0;
            for (; i + LANES <= hw; i += LANES)
                for (int k = 0; k < LANES; k++) {
                    const double d = (double)xc[i + k] - mu;
                    sq[k] += d * d;
                }
            for (int k = 0; i < hw; i++, k++) {
                const double d = (double)xc[i] - mu;
                sq[k] += d * d;
            }
        }
        const double var = lanes_total(sq) / (double)M; /* biased: what normalises */
        const float is = (float)(1.0 / sqrt(var + (double)j->eps));
        j->mean[c] = (float)mu;
        j->invstd[c] = is;
        if (j->running_mean)
            j->running_mean[c] =
                (1.0f - j->momentum) * j->running_mean[c] + j->momentum * (float)mu;
        if (j->running_var)
            j->running_var[c] =
                (1.0f - j->momentum) * j->running_var[c] + j->momentum * (float)(var * unbias);
        const float g = j->gamma ? j->gamma[c] : 1.0f, bt = j->beta ? j->beta[c] : 0.0f;
        const float m = (float)mu;
        for (int n = 0; n < j->batch; n++) {
            const size_t off = ((size_t)n * (size_t)j->ch + c) * hw;
            for (size_t i = 0; i < hw; i++) {
                const float xh = (j->x[off + i] - m) * is;
                j->xhat[off + i] = xh;
                j->y[off + i] = g * xh + bt;
            }
        }
    }
}

static size_t bn2_min_channels(int batch, int hw)
{
    size_t per = (size_t)batch * (size_t)hw;
    return CONV_MIN_PER_THREAD / (per ? per : 1) + 1;
}

void nn_batchnorm2d_forward_train(float *y, float *xhat, float *mean, float *invstd,
                                  float *running_mean, float *running_var, const float *x,
                                  const float *gamma, const float *beta, float momentum, float eps,
                                  int batch, int channels, int hw)
{
    assert(batch > 0 && channels > 0 && hw > 0);
    bn2_fwd_job j = {y, xhat, mean, invstd, running_mean, running_var, x, gamma, beta,
                     momentum, eps, batch, channels, (size_t)hw};
    nn_pool_for(bn2_train_range, &j, (size_t)channels, bn2_min_channels(batch, hw));
}

void nn_batchnorm2d_forward_eval(float *y, const float *x, const float *gamma, const float *beta,
                                 const float *running_mean, const float *running_var, float eps,
                                 int batch, int channels, int hw)
{
    assert(batch > 0 && channels > 0 && hw > 0);
    for (int c = 0; c < channels; c++) {
        /* The statistics are constants here: nothing is learned from x. */
        const float is = 1.0f / sqrtf(running_var[c] + eps);
        const float g = gamma ? gamma[c] : 1.0f, bt = beta ? beta[c] : 0.0f;
        const float m = running_mean[c];
        for (int n = 0; n < batch; n++) {
            const size_t off = ((size_t)n * (size_t)channels + (size_t)c) * (size_t)hw;
            for (int i = 0; i < hw; i++) y[off + i] = g * (x[off + i] - m) * is + bt;
        }
    }
}

typedef struct {
    float *dx, *dgamma, *dbeta;
    const float *dy, *xhat, *invstd, *gamma;
    int batch, ch;
    size_t hw;
} bn2_bwd_job;

static void bn2_backward_range(void *ctx, size_t lo, size_t hi)
{
    const bn2_bwd_job *j = ctx;
    const size_t hw = j->hw, M = (size_t)j->batch * hw;
    for (size_t c = lo; c < hi; c++) {
        /* The two sums every gradient needs, eight lanes each. */
        double sdy[LANES] = {0.0}, sdyx[LANES] = {0.0};
        for (int n = 0; n < j->batch; n++) {
            const size_t off = ((size_t)n * (size_t)j->ch + c) * hw;
            const float *d = j->dy + off, *xh = j->xhat + off;
            size_t i = 0;
            for (; i + LANES <= hw; i += LANES)
                for (int k = 0; k < LANES; k++) {
                    sdy[k] += (double)d[i + k];
                    sdyx[k] += (double)d[i + k] * (double)xh[i + k];
                }
            for (int k = 0; i < hw; i++, k++) {
                sdy[k] += (double)d[i];
                sdyx[k] += (double)d[i] * (double)xh[i];
            }
        }
        const double s1 = lanes_total(sdy), s2 = lanes_total(sdyx);
        if (j->dbeta) j->dbeta[c] += (float)s1;
        if (j->dgamma) j->dgamma[c] += (float)s2;
        if (!j->dx) continue;
        /* The mean and variance depend on every pixel of the channel, so each
         * dx sees them all: the two sums subtract what flows through them. */
        const double g = j->gamma ? j->gamma[c] : 1.0;
        const float gs = (float)(g * j->invstd[c]);
        const float m1 = (float)(s1 / (double)M), m2 = (float)(s2 / (double)M);
        for (int n = 0; n < j->batch; n++) {
            const size_t off = ((size_t)n * (size_t)j->ch + c) * hw;
            for (size_t i = 0; i < hw; i++)
                j->dx[off + i] += gs * (j->dy[off + i] - m1 - j->xhat[off + i] * m2);
        }
    }
}

void nn_batchnorm2d_backward(float *dx, float *dgamma, float *dbeta, const float *dy,
                             const float *xhat, const float *invstd, const float *gamma, int batch,
                             int channels, int hw)
{
    assert(batch > 0 && channels > 0 && hw > 0);
    bn2_bwd_job j = {dx, dgamma, dbeta, dy, xhat, invstd, gamma, batch, channels, (size_t)hw};
    nn_pool_for(bn2_backward_range, &j, (size_t)channels, bn2_min_channels(batch, hw));
}
