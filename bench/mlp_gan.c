/* mlp_gan.c - speed and memory of one GAN training step (make bench).
 *
 * The classic MLP GAN of ../shared/reference/torch_ref.py, built with the
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

/* Everything one training step touches, allocated once before timing. */
typedef struct {
    nn_model *D, *G;
    nn_adam opt;
    nn_rng rng;
    int batch;
    float *real;    /* (POOL * batch, IMAGE) random images in [-1, 1] */
    float *z;       /* (batch, LATENT) */
    float *d_in;    /* (2 * batch, IMAGE): real rows, then fake rows */
    float *targets; /* (2 * batch): 1 for real rows, 0 for fake rows */
    float *ds;      /* (2 * batch) d loss / d logits */
    float *dfake;   /* (batch, IMAGE) d G-loss / d fake pixels */
    long step;
} gan;

static void die(const char *what)
{
    fprintf(stderr, "mlp_gan: %s\n", what);
    exit(1);
}

static void gan_setup(gan *g, int batch)
{
    const nn_layer_spec d_spec[] = {
        {NN_LAYER_LINEAR, 300, 0}, {NN_LAYER_LEAKY_RELU, 0, 0.2f},
        {NN_LAYER_LINEAR, 100, 0}, {NN_LAYER_LEAKY_RELU, 0, 0.2f},
        {NN_LAYER_LINEAR, 1, 0},
    };
    const nn_layer_spec g_spec[] = {
        {NN_LAYER_LINEAR, 300, 0}, {NN_LAYER_LEAKY_RELU, 0, 0.2f},
        {NN_LAYER_LINEAR, IMAGE, 0}, {NN_LAYER_TANH, 0, 0},
    };
    nn_error err = {0};
    memset(g, 0, sizeof *g);
    g->batch = batch;
    /* D sees real and fake rows in one forward of 2 * batch: the model keeps
     * only its last forward's activations, and the backward needs both. */
    g->D = nn_model_create(IMAGE, d_spec, 5, 2 * batch, &err);
    if (!g->D) die(err.msg);
    g->G = nn_model_create(LATENT, g_spec, 4, batch, &err);
    if (!g->G) die(err.msg);
    nn_rng_seed(&g->rng, 42, 0);
    nn_model_init(g->D, &g->rng, NN_INIT_TORCH);
    nn_model_init(g->G, &g->rng, NN_INIT_TORCH);
    g->opt = nn_adam_gan_defaults();

    size_t B = (size_t)batch;
    g->real = nn_alloc(POOL * B * IMAGE, sizeof(float));
    g->z = nn_alloc(B * LATENT, sizeof(float));
    g->d_in = nn_alloc(2 * B * IMAGE, sizeof(float));
    g->targets = nn_alloc(2 * B, sizeof(float));
    g->ds = nn_alloc(2 * B, sizeof(float));
    g->dfake = nn_alloc(B * IMAGE, sizeof(float));
    if (!g->real || !g->z || !g->d_in || !g->targets || !g->ds || !g->dfake)
        die("out of memory");
    nn_rng_fill_uniform(&g->rng, g->real, POOL * B * IMAGE, -1.0f, 1.0f);
    for (size_t i = 0; i < B; i++) g->targets[i] = 1.0f;
}

static void gan_free(gan *g)
{
    nn_model_free(g->D);
    nn_model_free(g->G);
    nn_free(g->real);
    nn_free(g->z);
    nn_free(g->d_in);
    nn_free(g->targets);
    nn_free(g->ds);
    nn_free(g->dfake);
}

/* One training step, the same as torch_ref.py's loop body. Returns D's loss
 * so the compiler cannot drop the work (and a NaN would show). */
static float gan_step(gan *g)
{
    int B = g->batch;
    size_t img = (size_t)B * IMAGE;
    const float *real = g->real + (size_t)(g->step % POOL) * img;
    g->step++;

    /* fake = G(z) */
    nn_rng_fill_normal(&g->rng, g->z, (size_t)B * LATENT, 0.0f, 1.0f);
    const float *fake = nn_model_forward(g->G, g->z, B, 1);

    /* lossD = bce(D(real), 1) + bce(D(fake.detach()), 0), one forward of
     * 2B rows; each half is a mean over B, as in torch. */
    memcpy(g->d_in, real, img * sizeof(float));
    memcpy(g->d_in + img, fake, img * sizeof(float));
    const float *s = nn_model_forward(g->D, g->d_in, 2 * B, 1);
    float loss_d = nn_bce_with_logits(g->ds, s, g->targets, B) +
                   nn_bce_with_logits(g->ds + B, s + B, g->targets + B, B);
    nn_model_zero_grad(g->D);
    nn_model_backward(g->D, NULL, g->ds, 2 * B, 1); /* detach: no gradient to G */
    nn_model_adam_step(g->D, &g->opt);

    /* lossG = bce(D(fake), 1) through the updated D, frozen: the gradient
     * goes to the fake pixels only, then through G (G's activations for
     * this batch are still in G). */
    s = nn_model_forward(g->D, g->d_in + img, B, 1);
    nn_bce_with_logits(g->ds, s, g->targets, B);
    memset(g->dfake, 0, img * sizeof(float));
    nn_model_backward(g->D, g->dfake, g->ds, B, 0);
    nn_model_zero_grad(g->G);
    nn_model_backward(g->G, NULL, g->dfake, B, 1);
    nn_model_adam_step(g->G, &g->opt);
    return loss_d;
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
    double f = 0.0;
    f += linear_flops(g->G, B, 1, 0, g->G->n_layers);     /* G forward */
    f += linear_flops(g->D, 2 * B, 1, 1, 1);              /* D on real + fake */
    f += linear_flops(g->D, B, 1, 0, 0);                  /* D on fake, to dfake */
    f += linear_flops(g->G, B, 0, 1, 1);                  /* G backward */
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
    int kernel = NN_KERNEL_FAST;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--threads")) threads = int_arg(a, v, 1, 64), i++;
        else if (!strcmp(a, "--steps")) steps = int_arg(a, v, 1, 1000000), i++;
        else if (!strcmp(a, "--warmup")) warmup = int_arg(a, v, 0, 1000000), i++;
        else if (!strcmp(a, "--rounds")) rounds = int_arg(a, v, 1, 100), i++;
        else if (!strcmp(a, "--batch")) batch = int_arg(a, v, 1, 4096), i++;
        else if (!strcmp(a, "--kernel") && v && (!strcmp(v, "fast") || !strcmp(v, "reference")))
            kernel = strcmp(v, "fast") ? NN_KERNEL_REFERENCE : NN_KERNEL_FAST, i++;
        else {
            fprintf(stderr, "usage: mlp_gan [--threads T] [--steps N] [--rounds R] "
                            "[--warmup W] [--batch B] [--kernel fast|reference]\n");
            return 2;
        }
    }
    nn_set_threads(threads);
    nn_set_kernel(kernel);

    gan g;
    gan_setup(&g, batch);
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
    double flops = step_flops(&g);
    double gflops = flops * sps * 1e-9;
    double rss = peak_rss_mb();
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
