/* mlpgan.c - the course's Fashion-MNIST GAN presets and helpers (mlpgan.h). */
#include "mlpgan.h"

#include <math.h>
#include <string.h>

#include "viz/image.h"
#include "viz/preview.h"

nn_gan_arch mlpgan_arch_classic(void)
{
    /* The textbook MLP GAN: one hidden layer in G, two in D, nothing to
     * stabilise training. Lesson 06 shows it collapsing to a few classes. */
    nn_gan_arch a = {
        .latent_dim = 100, .data_dim = 784,
        .g_hidden = {300}, .n_g_hidden = 1, .g_batchnorm = 0, .g_slope = 0.2f, .g_tanh = 1,
        .d_hidden = {300, 100}, .n_d_hidden = 2, .d_slope = 0.2f, .d_dropout = 0.0f,
        .d_mbstd = 0, .pack = 1,
    };
    return a;
}

nn_gan_arch mlpgan_arch_default(void)
{
    /* Batchnorm in G keeps each hidden unit's scale fixed across the batch,
     * so G cannot put every sample in one place as easily; dropout in D keeps
     * D from memorising the real set and overpowering G early. */
    nn_gan_arch a = {
        .latent_dim = 100, .data_dim = 784,
        .g_hidden = {256, 512}, .n_g_hidden = 2, .g_batchnorm = 1, .g_slope = 0.2f, .g_tanh = 1,
        .d_hidden = {512, 256}, .n_d_hidden = 2, .d_slope = 0.2f, .d_dropout = 0.3f,
        .d_mbstd = 0, .pack = 1,
    };
    return a;
}

int mlpgan_arch_parse(const char *name, nn_gan_arch *arch)
{
    if (strcmp(name, "classic") == 0) {
        *arch = mlpgan_arch_classic();
        return 0;
    }
    if (strcmp(name, "default") == 0) {
        *arch = mlpgan_arch_default();
        return 0;
    }
    return -1;
}

int mlpgan_loss_parse(const char *name, nn_gan_objective *k)
{
    nn_gan_objective o;
    if (nn_gan_objective_parse(name, &o) != 0 || o == NN_GAN_WASSERSTEIN) return -1;
    *k = o;
    return 0;
}

nn_gan *mlpgan_create(const nn_gan_arch *arch, nn_gan_objective objective, float lr, int batch,
                      int d_steps, float real_label, uint64_t seed, nn_error *err)
{
    nn_gan_config c = nn_gan_config_default();
    c.objective = objective;
    c.lr_g = c.lr_d = lr;
    c.batch = batch;
    c.d_steps = d_steps;
    c.real_label = real_label;
    return nn_gan_create(arch, &c, NN_INIT_NORMAL_002, seed, err);
}

const float *gan_discriminate(nn_model *D, const float *x, int batch, int train, float *prob)
{
    const float *s = nn_model_forward(D, x, batch, train);
    /* D(x) = sigmoid(s): the probability D gives to "x is real". */
    if (prob)
        for (int i = 0; i < batch; i++) prob[i] = nn_sigmoidf(s[i]);
    return s;
}

void gan_print_layers(FILE *f, const nn_model *m, const char *name)
{
    fprintf(f, "%s\n", name);
    fprintf(f, "  %2s  %-16s %6s %6s %10s\n", "#", "layer", "in", "out", "params");
    for (int i = 0; i < m->n_layers; i++) {
        const nn_layer *l = &m->layers[i];
        char kind[32];
        /* The argument that defines the layer goes next to its name. */
        if (l->spec.kind == NN_LAYER_LEAKY_RELU || l->spec.kind == NN_LAYER_DROPOUT)
            snprintf(kind, sizeof kind, "%s(%g)", nn_layer_kind_name(l->spec.kind),
                     (double)l->spec.arg);
        else
            snprintf(kind, sizeof kind, "%s", nn_layer_kind_name(l->spec.kind));
        fprintf(f, "  %2d  %-16s %6d %6d %10zu\n", i, kind, l->in, l->out,
                nn_layer_param_count(l));
    }
    fprintf(f, "  %-35s %10zu\n", "total", nn_model_param_count(m));
}

void gan_sample_images(float *out, nn_model *G, const float *z, int n)
{
    for (int i0 = 0; i0 < n; i0 += G->max_batch) {
        int rows = n - i0 < G->max_batch ? n - i0 : G->max_batch;
        /* Eval mode: batchnorm uses the running statistics, so a sample does
         * not depend on which other samples share its chunk. */
        const float *y = nn_model_forward(G, z + (size_t)i0 * (size_t)G->in, rows, 0);
        memcpy(out + (size_t)i0 * (size_t)G->out, y,
               (size_t)rows * (size_t)G->out * sizeof(float));
    }
}

gan_stats gan_describe(const float *x, size_t n)
{
    gan_stats s = {0.0f, 0.0f, 0.0f, 0.0f};
    if (n == 0) return s;
    /* Double accumulators: 10^5 float terms lose digits in a float sum. */
    double sum = 0.0, sq = 0.0;
    float lo = x[0], hi = x[0];
    for (size_t i = 0; i < n; i++) {
        sum += x[i];
        sq += (double)x[i] * x[i];
        if (x[i] < lo) lo = x[i];
        if (x[i] > hi) hi = x[i];
    }
    double mean = sum / (double)n;
    double var = sq / (double)n - mean * mean;
    s.mean = (float)mean;
    s.std = (float)sqrt(var > 0.0 ? var : 0.0);
    s.min = lo;
    s.max = hi;
    return s;
}

int gan_image_side(int image_dim)
{
    int side = (int)lround(sqrt((double)image_dim));
    return side > 0 && side * side == image_dim ? side : 0;
}

nn_status gan_write_sample_grid(const char *path, nn_model *G, const float *z, int n,
                                int cols, int scale, FILE *preview, int preview_n,
                                nn_error *err)
{
    int side = gan_image_side(G->out);
    if (side == 0)
        return nn_fail(err, NN_ERR_SHAPE,
                       "%s: G draws %d pixels, not a square grey image; a grid needs "
                       "side x side pixels", path, G->out);
    if (n < 1) return nn_fail(err, NN_ERR_ARG, "%s: %d samples, need at least 1", path, n);
    float *x = nn_alloc((size_t)n * (size_t)G->out, sizeof(float));
    if (!x)
        return nn_fail(err, NN_ERR_NOMEM, "%s: out of memory for %d samples of %d pixels",
                       path, n, G->out);
    gan_sample_images(x, G, z, n);
    nn_grid_opts o = nn_grid_defaults(-1.0f, 1.0f);
    o.cols = cols;
    o.scale = scale < 1 ? 1 : scale;
    nn_status s = nn_image_write_grid(path, x, n, 1, side, side, &o, err);
    if (s == NN_OK && preview && preview_n > 0) {
        int k = n < preview_n ? n : preview_n;
        nn_image_preview(preview, x, k, 1, side, side, k, -1.0f, 1.0f, NN_PREVIEW_AUTO);
    }
    nn_free(x);
    return s;
}
