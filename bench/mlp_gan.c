/* mlp_gan.c - speed and memory of one GAN training step (make bench).
 *
 * The classic MLP GAN of ../shared/reference/torch_ref.py (or, with --model
 * dcgan, its DCGAN: lib/gan/dcgan.h's default), built with the
 * library's model API: D 784-300-100-1 with LeakyReLU 0.2, G 100-300-784 with
 * tanh, BCE-with-logits, Adam lr 2e-4 beta1 0.5, batch 64, on random images
 * shaped like Fashion-MNIST in [-1, 1]. One step is what the PyTorch script
 * times: G makes a batch, D judges real and fake and is updated, then D
 * judges the fakes again and G is updated through it.
 *
 * Prints, for the thread count asked for:
 *   gemm_peak threads=T gflops=G
 *   mlp_gan batch=64 threads=T steps_per_s=X gflops=Y peak_pct=P peak_rss_mb=Z
 * gflops is the matmul work of one step times steps/s; peak_pct compares it
 * with a large sgemm through the same fast path on the same machine.
 * Peak RSS is read before the GEMM-peak matrices are allocated.
 *
 * Usage: mlp_gan [--threads T] [--steps N] [--rounds R] [--warmup W]
 *                [--batch B] [--kernel fast|reference]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "nn.h"

#define IMAGE 784   /* 28 x 28 */
#define LATENT 100
#define POOL 16     /* batches of random "real" images cycled through */

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static double peak_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0; /* Linux reports kilobytes */
}

/* The GAN and its pool of "real" batches, allocated once before timing. */
typedef struct {
    nn_gan *gan;
    int dcgan;      /* 0: the MLP GAN, 1: the DCGAN */
    int batch;
    float *real;    /* (POOL * batch, IMAGE) random images in [-1, 1] */
    long step;
} gan;

static void die(const char *what)
{
    fprintf(stderr, "mlp_gan: %s\n", what);
    exit(1);
}

static void gan_setup(gan *g, int batch, int dcgan)
{
    /* torch_ref.py's networks and recipe, as an nn_gan: the step timed is the
     * one every lesson trains with (exercise 9's solution). */
    nn_gan_config c = nn_gan_config_default();
    c.batch = batch;
    nn_error err = {0};
    memset(g, 0, sizeof *g);
    g->batch = batch;
    g->dcgan = dcgan;
    if (dcgan) {
        nn_dcgan_arch a = nn_dcgan_arch_default();
        nn_model *G = nn_dcgan_generator(&a, batch, &err);
        nn_model *D = G ? nn_dcgan_discriminator(&a, batch, &err) : NULL;
        if (!D) die(err.msg);
        g->gan = nn_gan_create_from(G, D, &c, NN_INIT_TORCH, 42, &err);
    } else {
        nn_gan_arch a = {
            .latent_dim = LATENT, .data_dim = IMAGE, .g_hidden = {300}, .n_g_hidden = 1,
            .g_slope = 0.2f, .g_tanh = 1, .d_hidden = {300, 100}, .n_d_hidden = 2,
            .d_slope = 0.2f, .pack = 1,
        };
        g->gan = nn_gan_create(&a, &c, NN_INIT_TORCH, 42, &err);
    }
    if (!g->gan) die(err.msg);
    g->real = nn_alloc(POOL * (size_t)batch * IMAGE, sizeof(float));
    if (!g->real) die("out of memory");
    nn_rng r;
    nn_rng_seed(&r, 42, 0);
    nn_rng_fill_uniform(&r, g->real, POOL * (size_t)batch * IMAGE, -1.0f, 1.0f);
}

static void gan_free(gan *g)
{
    nn_gan_free(g->gan);
    nn_free(g->real);
}

/* One training step, the same as torch_ref.py's loop body: G makes a batch,
 * D judges real and fake and is updated, then D judges the fakes again and
 * G is updated through it. Returns D's loss so the compiler cannot drop the
 * work (and a NaN would show). */
static float gan_step(gan *g)
{
    const float *real = g->real + (size_t)(g->step % POOL) * (size_t)g->batch * IMAGE;
    g->step++;
    nn_gan_stats st;
    nn_gan_step(g->gan, real, &st);
    return st.d_loss;
}

/* Multiply-adds of a batch through the linear layers of m, times 2 (flops):
 * forward, weight gradients, and input gradients of the layers above
 * `dx_from` (the lowest layer whose input gradient is computed). */
static double linear_flops(const nn_model *m, int batch, int fwd, int dw, int dx_from)
{
    double f = 0.0;
    for (int i = 0; i < m->n_layers; i++) {
        const nn_layer *l = &m->layers[i];
        if (l->spec.kind != NN_LAYER_LINEAR) continue;
        double macs = (double)batch * l->in * l->out;
        f += 2.0 * macs * (fwd + dw + (i >= dx_from ? 1 : 0));
    }
    return f;
}

/* The matmul flops gan_step runs (skipping what it never computes: D's
 * weight gradients while frozen, and gradients into data or z). */
static double step_flops(const gan *g)
{
    int B = g->batch;
    const nn_model *G = g->gan->G, *D = g->gan->D;
    double f = 0.0;
    f += linear_flops(G, B, 1, 0, G->n_layers);     /* G forward */
    f += linear_flops(D, 2 * B, 1, 1, 1);           /* D on real, then on fake */
    f += linear_flops(D, B, 1, 0, 0);               /* D on fake, to dfake */
    f += linear_flops(G, B, 0, 1, 1);               /* G backward */
    return f;
}

/* GFLOP/s of a large square sgemm through nn_matmul's fast path (best of
 * several), the machine's ceiling for this build. */
static double gemm_peak(void)
{
    const int n = 1024;
    size_t nn = (size_t)n * n;
    float *A = nn_alloc(nn, sizeof *A), *B = nn_alloc(nn, sizeof *B), *C = nn_alloc(nn, sizeof *C);
    if (!A || !B || !C) die("out of memory");
    nn_rng r;
    nn_rng_seed(&r, 7, 0);
    nn_rng_fill_uniform(&r, A, nn, -1.0f, 1.0f);
    nn_rng_fill_uniform(&r, B, nn, -1.0f, 1.0f);
    int kernel = nn_get_kernel();
    nn_set_kernel(NN_KERNEL_FAST);
    nn_matmul(C, A, B, n, n, n, 0, 1, 0); /* warm-up: threads, pages */
    double best = 1e30;
    for (int rep = 0; rep < 7; rep++) {
        double t0 = now_s();
        nn_matmul(C, A, B, n, n, n, 0, 1, 0);
        double t = now_s() - t0;
        if (t < best) best = t;
    }
    nn_set_kernel(kernel);
    nn_free(A);
    nn_free(B);
    nn_free(C);
    return 2.0 * (double)n * n * n / best * 1e-9;
}

static int int_arg(const char *flag, const char *v, int lo, int hi)
{
    char *end = NULL;
    long x = v ? strtol(v, &end, 10) : 0;
    if (!v || *end || x < lo || x > hi) {
        fprintf(stderr, "mlp_gan: %s needs a whole number from %d to %d\n", flag, lo, hi);
        exit(2);
    }
    return (int)x;
}

int main(int argc, char **argv)
{
    int threads = nn_get_threads(), steps = 300, rounds = 3, batch = 64, warmup = 10;
    int kernel = NN_KERNEL_FAST, dcgan = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--threads")) threads = int_arg(a, v, 1, 64), i++;
        else if (!strcmp(a, "--steps")) steps = int_arg(a, v, 1, 1000000), i++;
        else if (!strcmp(a, "--warmup")) warmup = int_arg(a, v, 0, 1000000), i++;
        else if (!strcmp(a, "--rounds")) rounds = int_arg(a, v, 1, 100), i++;
        else if (!strcmp(a, "--batch")) batch = int_arg(a, v, 1, 4096), i++;
        else if (!strcmp(a, "--model") && v && (!strcmp(v, "mlp") || !strcmp(v, "dcgan")))
            dcgan = !strcmp(v, "dcgan"), i++;
        else if (!strcmp(a, "--kernel") && v && (!strcmp(v, "fast") || !strcmp(v, "reference")))
            kernel = strcmp(v, "fast") ? NN_KERNEL_REFERENCE : NN_KERNEL_FAST, i++;
        else {
            fprintf(stderr, "usage: mlp_gan [--model mlp|dcgan] [--threads T] [--steps N] "
                            "[--rounds R] [--warmup W] [--batch B] [--kernel fast|reference]\n");
            return 2;
        }
    }
    nn_set_threads(threads);
    nn_set_kernel(kernel);

    gan g;
    gan_setup(&g, batch, dcgan);
    /* Ten warm-up steps by default, as torch_ref.py does: first-touch page
     * faults and the BLAS's thread start-up stay out of the timing. */
    float loss = 0.0f;
    for (int i = 0; i < warmup; i++) loss += gan_step(&g);
    /* Best of several rounds: other work on the machine only ever slows a
     * round down, so the fastest is the closest to the step's own cost. */
    double best = 1e30;
    for (int r = 0; r < rounds; r++) {
        double t0 = now_s();
        for (int i = 0; i < steps; i++) loss += gan_step(&g);
        double t = now_s() - t0;
        if (t < best) best = t;
    }
    if (!(loss == loss)) die("the loss became NaN");
    double sps = steps / best;
    double rss = peak_rss_mb();
    if (dcgan) {
        /* The DCGAN line: steps/s and memory; its work is mostly
         * convolutions, which the matmul count below does not measure. */
        gan_free(&g);
        printf("dcgan_gan batch=%d threads=%d steps_per_s=%.1f peak_rss_mb=%.1f%s\n", batch,
               threads, sps, rss, kernel == NN_KERNEL_REFERENCE ? " kernel=reference" : "");
        return 0;
    }
    double flops = step_flops(&g);
    double gflops = flops * sps * 1e-9;
    gan_free(&g);

    double peak = gemm_peak();
    printf("gemm_peak threads=%d gflops=%.1f\n", threads, peak);
    printf("mlp_gan batch=%d threads=%d steps_per_s=%.1f gflops=%.1f peak_pct=%.0f "
           "peak_rss_mb=%.1f%s\n",
           batch, threads, sps, gflops, 100.0 * gflops / peak, rss,
           kernel == NN_KERNEL_REFERENCE ? " kernel=reference" : "");
    printf("step_gflop=%.3f (the same step in torch_ref.py: 0.41, as it also computes\n"
           "  D's weight gradients while training G and gradients nobody reads)\n", flops * 1e-9);
    return 0;
}
