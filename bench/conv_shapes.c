/* conv_shapes.c - forward and backward of the four convolutions of the
 * course's DCGAN (make bench-conv), batch 64:
 *   D conv2d 1 -> 64, k 4, stride 2, pad 1, 28x28 -> 14x14
 *   D conv2d 64 -> 128, k 4, stride 2, pad 1, 14x14 -> 7x7
 *   G conv_transpose2d 128 -> 64, k 4, stride 2, pad 1, 7x7 -> 14x14
 *   G conv_transpose2d 64 -> 1, k 4, stride 2, pad 1, 14x14 -> 28x28
 * After W warm-up calls of every part of every shape (a machine that was
 * idle takes a moment to give the second thread its full speed), prints one
 * line per shape: the best of R rounds of N calls of each part,
 *   conv shape=NAME threads=T kernel=K fwd_ms=A dw_ms=B dx_ms=C total_ms=A+B+C gflops=G
 * where dw includes db, and gflops counts the three products (2 * 3 * MACs).
 *
 * Usage: conv_shapes [--threads T] [--kernel fast|reference] [--reps N] [--rounds R]
 *                    [--warmup W]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nn.h"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

typedef struct {
    const char *name;
    int transposed, c_in, size, c_out;
} shape;

static const shape SHAPES[4] = {
    {"D_conv2d_1_64_28", 0, 1, 28, 64},
    {"D_conv2d_64_128_14", 0, 64, 14, 128},
    {"G_convT_128_64_7", 1, 128, 7, 64},
    {"G_convT_64_1_14", 1, 64, 14, 1},
};
enum { BATCH = 64, K = 4, STRIDE = 2, PAD = 1 };

static float *random_floats(size_t n, unsigned seed)
{
    float *p = nn_alloc(n, sizeof *p);
    if (!p) {
        fprintf(stderr, "conv_shapes: out of memory\n");
        exit(1);
    }
    unsigned s = seed;
    for (size_t i = 0; i < n; i++) {
        s = s * 1664525u + 1013904223u;
        p[i] = 2.0f * ((float)(s >> 8) / 16777216.0f) - 1.0f;
    }
    return p;
}

/* part 0: forward, 1: dw and db, 2: dx. */
static void run(const shape *c, int part, float *y, const float *x, const float *w,
                const float *b, const float *dy, float *dx, float *dw, float *db, float *scratch)
{
    const int n = BATCH, ci = c->c_in, h = c->size, co = c->c_out;
    if (c->transposed) {
        if (part == 0)
            nn_conv_transpose2d_forward(y, x, w, b, n, ci, h, h, co, K, STRIDE, PAD, scratch);
        if (part == 1)
            nn_conv_transpose2d_backward(NULL, dw, db, dy, x, w, n, ci, h, h, co, K, STRIDE, PAD,
                                         scratch);
        if (part == 2)
            nn_conv_transpose2d_backward(dx, NULL, NULL, dy, x, w, n, ci, h, h, co, K, STRIDE,
                                         PAD, scratch);
    } else {
        if (part == 0) nn_conv2d_forward(y, x, w, b, n, ci, h, h, co, K, STRIDE, PAD, scratch);
        if (part == 1)
            nn_conv2d_backward(NULL, dw, db, dy, x, w, n, ci, h, h, co, K, STRIDE, PAD, scratch);
        if (part == 2)
            nn_conv2d_backward(dx, NULL, NULL, dy, x, w, n, ci, h, h, co, K, STRIDE, PAD, scratch);
    }
}

/* One shape's buffers. */
typedef struct {
    float *x, *w, *b, *dy, *y, *dx, *dw, *db, *scratch;
} buffers;

static void alloc_buffers(const shape *c, buffers *m)
{
    const int out = c->transposed ? nn_conv_transpose2d_out_size(c->size, K, STRIDE, PAD)
                                  : nn_conv2d_out_size(c->size, K, STRIDE, PAD);
    const size_t nx = (size_t)BATCH * c->c_in * c->size * c->size;
    const size_t ny = (size_t)BATCH * c->c_out * out * out;
    const size_t nw = (size_t)c->c_out * c->c_in * K * K;
    const size_t ns = c->transposed ? nn_conv_transpose2d_scratch(BATCH, c->c_in, c->size, c->size,
                                                                  c->c_out, K, STRIDE, PAD)
                                    : nn_conv2d_scratch(BATCH, c->c_in, c->size, c->size,
                                                        c->c_out, K, STRIDE, PAD);
    m->x = random_floats(nx, 1);
    m->w = random_floats(nw, 2);
    m->b = random_floats((size_t)c->c_out, 3);
    m->dy = random_floats(ny, 4);
    m->y = random_floats(ny, 5);
    m->dx = random_floats(nx, 6);
    m->dw = random_floats(nw, 7);
    m->db = random_floats((size_t)c->c_out, 8);
    m->scratch = random_floats(ns, 9);
}

static void run_part(const shape *c, int part, buffers *m)
{
    run(c, part, m->y, m->x, m->w, m->b, m->dy, m->dx, m->dw, m->db, m->scratch);
}

int main(int argc, char **argv)
{
    int threads = nn_get_threads(), reps = 20, rounds = 5, warmup = 20, reference = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--threads") && i + 1 < argc) threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--reps") && i + 1 < argc) reps = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--rounds") && i + 1 < argc) rounds = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--warmup") && i + 1 < argc) warmup = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--kernel") && i + 1 < argc)
            reference = !strcmp(argv[++i], "reference");
        else {
            fprintf(stderr, "usage: conv_shapes [--threads T] [--kernel fast|reference] "
                            "[--reps N] [--rounds R] [--warmup W]\n");
            return 2;
        }
    }
    if (threads < 1 || reps < 1 || rounds < 1 || warmup < 0) {
        fprintf(stderr, "conv_shapes: --threads, --reps and --rounds must be at least 1, "
                        "--warmup at least 0\n");
        return 2;
    }
    nn_set_threads(threads);
    nn_set_kernel(reference ? NN_KERNEL_REFERENCE : NN_KERNEL_FAST);
    buffers bufs[4];
    for (int s = 0; s < 4; s++) alloc_buffers(&SHAPES[s], &bufs[s]);
    for (int q = 0; q < warmup; q++)
        for (int s = 0; s < 4; s++)
            for (int part = 0; part < 3; part++) run_part(&SHAPES[s], part, &bufs[s]);
    for (int s = 0; s < 4; s++) {
        const shape *c = &SHAPES[s];
        buffers *m = &bufs[s];
        const int out = c->transposed ? nn_conv_transpose2d_out_size(c->size, K, STRIDE, PAD)
                                      : nn_conv2d_out_size(c->size, K, STRIDE, PAD);
        double best[3] = {1e30, 1e30, 1e30};
        for (int r = 0; r < rounds; r++)
            for (int part = 0; part < 3; part++) {
                run_part(c, part, m); /* warm the caches */
                double t = now_s();
                for (int q = 0; q < reps; q++) run_part(c, part, m);
                t = (now_s() - t) / reps;
                if (t < best[part]) best[part] = t;
            }
        const double macs = (double)BATCH * c->c_out * c->c_in * K * K *
                            (c->transposed ? c->size * c->size : out * out);
        const double total = best[0] + best[1] + best[2];
        printf("conv shape=%s threads=%d kernel=%s fwd_ms=%.2f dw_ms=%.2f dx_ms=%.2f "
               "total_ms=%.2f gflops=%.1f\n",
               c->name, nn_get_threads(), reference ? "reference" : "fast", best[0] * 1e3,
               best[1] * 1e3, best[2] * 1e3, total * 1e3, 6.0 * macs / total / 1e9);
    }
    for (int s = 0; s < 4; s++) {
        buffers *m = &bufs[s];
        nn_free(m->x); nn_free(m->w); nn_free(m->b); nn_free(m->dy); nn_free(m->y);
        nn_free(m->dx); nn_free(m->dw); nn_free(m->db); nn_free(m->scratch);
    }
    return 0;
}
