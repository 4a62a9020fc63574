/* gan.c - the course's given GAN code (see gan.h). */
#include "gan.h"

#include <math.h>
#include <string.h>

#include "image.h"

gan_arch gan_arch_classic(void)
{
    /* The textbook MLP GAN: one hidden layer in G, two in D, nothing to
     * stabilise training. Lesson 06 shows it collapsing to a few classes. */
    gan_arch a = {
        .latent_dim = 100, .image_dim = 784,
        .g_hidden = {300}, .n_g_hidden = 1, .g_batchnorm = 0,
        .d_hidden = {300, 100}, .n_d_hidden = 2, .d_dropout = 0.0f,
        .slope = 0.2f,
    };
    return a;
}

gan_arch gan_arch_default(void)
{
    /* Batchnorm in G keeps each hidden unit's scale fixed across the batch,
     * so G cannot put every sample in one place as easily; dropout in D keeps
     * D from memorising the real set and overpowering G early. */
    gan_arch a = {
        .latent_dim = 100, .image_dim = 784,
        .g_hidden = {256, 512}, .n_g_hidden = 2, .g_batchnorm = 1,
        .d_hidden = {512, 256}, .n_d_hidden = 2, .d_dropout = 0.3f,
        .slope = 0.2f,
    };
    return a;
}

int gan_arch_parse(const char *name, gan_arch *arch)
{
    if (strcmp(name, "classic") == 0) {
        *arch = gan_arch_classic();
        return 0;
    }
    if (strcmp(name, "default") == 0) {
        *arch = gan_arch_default();
        return 0;
    }
    return -1;
}

static const char *const loss_names[] = {"nonsat", "minimax", "lsgan", "hinge"};

const char *gan_loss_name(gan_loss_kind k)
{
    if ((int)k < 0 || (int)k >= (int)(sizeof loss_names / sizeof loss_names[0])) return "?";
    return loss_names[k];
}

int gan_loss_parse(const char *name, gan_loss_kind *k)
{
    for (int i = 0; i < (int)(sizeof loss_names / sizeof loss_names[0]); i++)
        if (strcmp(name, loss_names[i]) == 0) {
            *k = (gan_loss_kind)i;
            return 0;
        }
    return -1;
}

/* Widths and kinds are checked here, before anything is built, so a bad
 * preset gets one message naming the field instead of a model error. */
static nn_status check_arch(const gan_arch *a, nn_error *err)
{
    if (a->latent_dim < 1 || a->image_dim < 1)
        return nn_fail(err, NN_ERR_ARG,
                       "gan_arch: latent_dim %d and image_dim %d must both be >= 1",
                       a->latent_dim, a->image_dim);
    if (a->n_g_hidden < 0 || a->n_g_hidden > 4 || a->n_d_hidden < 0 || a->n_d_hidden > 4)
        return nn_fail(err, NN_ERR_ARG,
                       "gan_arch: %d generator and %d discriminator hidden layers; each must "
                       "be 0..4", a->n_g_hidden, a->n_d_hidden);
    for (int i = 0; i < a->n_g_hidden; i++)
        if (a->g_hidden[i] < 1)
            return nn_fail(err, NN_ERR_ARG, "gan_arch: g_hidden[%d] = %d must be >= 1", i,
                           a->g_hidden[i]);
    for (int i = 0; i < a->n_d_hidden; i++)
        if (a->d_hidden[i] < 1)
            return nn_fail(err, NN_ERR_ARG, "gan_arch: d_hidden[%d] = %d must be >= 1", i,
                           a->d_hidden[i]);
    if (!(a->d_dropout >= 0.0f && a->d_dropout < 1.0f))
        return nn_fail(err, NN_ERR_ARG, "gan_arch: d_dropout %g must be in [0, 1)",
                       (double)a->d_dropout);
    if (!(a->slope >= 0.0f && a->slope < 1.0f))
        return nn_fail(err, NN_ERR_ARG, "gan_arch: leaky ReLU slope %g must be in [0, 1)",
                       (double)a->slope);
    return NN_OK;
}

gan_trainer *gan_trainer_create(const gan_arch *arch, gan_loss_kind loss, float lr, int batch,
                                int d_steps, float real_label, uint64_t seed, nn_error *err)
{
    if (check_arch(arch, err) != NN_OK) return NULL;
    if (!(lr > 0.0f && isfinite(lr))) {
        nn_fail(err, NN_ERR_ARG, "learning rate %g must be a positive number (try 2e-4)",
                (double)lr);
        return NULL;
    }
    if (batch < 1 || d_steps < 1) {
        nn_fail(err, NN_ERR_ARG, "batch %d and d_steps %d must both be >= 1 (try 64 and 1)",
                batch, d_steps);
        return NULL;
    }
    if (!(real_label > 0.0f && real_label <= 1.0f)) {
        nn_fail(err, NN_ERR_ARG, "real label %g must be in (0, 1] (1, or 0.9 to smooth)",
                (double)real_label);
        return NULL;
    }
    if ((int)loss < GAN_LOSS_NONSAT || (int)loss > GAN_LOSS_HINGE) {
        nn_fail(err, NN_ERR_ARG, "loss kind %d is not one of nonsat, minimax, lsgan, hinge",
                (int)loss);
        return NULL;
    }

    gan_trainer *t = nn_alloc(1, sizeof *t);
    if (!t) {
        nn_fail(err, NN_ERR_NOMEM, "gan_trainer_create: out of memory for the trainer");
        return NULL;
    }
    t->G = gan_build_generator(arch, batch, err);
    if (!t->G) goto fail;
    /* Real and fake go through D together: twice the rows. */
    t->D = gan_build_discriminator(arch, 2 * batch, err);
    if (!t->D) goto fail;

    /* Separate streams of one seed: changing how many numbers G's init draws
     * (another width) does not shift D's weights or the latent samples. */
    nn_rng r;
    nn_rng_seed(&r, seed, 1);
    gan_init_weights(t->G, &r);
    nn_rng_seed(&r, seed, 2);
    gan_init_weights(t->D, &r);
    nn_rng_seed(&t->rng, seed, 3);
    nn_rng_seed(&t->G->rng, seed, 4);
    nn_rng_seed(&t->D->rng, seed, 5);

    t->opt_g = nn_adam_gan_defaults();
    t->opt_g.lr = lr;
    t->opt_d = t->opt_g;
    t->loss = loss;
    t->d_steps = d_steps;
    t->real_label = real_label;
    t->latent_dim = arch->latent_dim;
    t->image_dim = arch->image_dim;
    t->max_batch = batch;

    size_t B = (size_t)batch, I = (size_t)arch->image_dim;
    t->z = nn_alloc(B * (size_t)arch->latent_dim, sizeof(float));
    t->fake = nn_alloc(B * I, sizeof(float));
    t->s_real = nn_alloc(B, sizeof(float));
    t->s_fake = nn_alloc(B, sizeof(float));
    t->ds_real = nn_alloc(B, sizeof(float));
    t->ds_fake = nn_alloc(B, sizeof(float));
    t->dfake = nn_alloc(B * I, sizeof(float));
    t->d_in = nn_alloc(2 * B * I, sizeof(float));
    t->ds = nn_alloc(2 * B, sizeof(float));
    if (!t->z || !t->fake || !t->s_real || !t->s_fake || !t->ds_real || !t->ds_fake ||
        !t->dfake || !t->d_in || !t->ds) {
        nn_fail(err, NN_ERR_NOMEM,
                "gan_trainer_create: out of memory for batch %d of %d-pixel images; try a "
                "smaller --batch", batch, arch->image_dim);
        goto fail;
    }
    return t;

fail:
    gan_trainer_free(t);
    return NULL;
}

void gan_trainer_free(gan_trainer *t)
{
    if (!t) return;
    nn_model_free(t->G);
    nn_model_free(t->D);
    nn_free(t->z);
    nn_free(t->fake);
    nn_free(t->s_real);
    nn_free(t->s_fake);
    nn_free(t->ds_real);
    nn_free(t->ds_fake);
    nn_free(t->dfake);
    nn_free(t->d_in);
    nn_free(t->ds);
    nn_free(t);
}

size_t gan_arch_param_count(const gan_arch *a, int which_d)
{
    /* A linear layer in -> out has in*out weights and out biases; a
     * batchnorm over h features has h gammas and h betas. */
    size_t total = 0;
    int in = which_d ? a->image_dim : a->latent_dim;
    int n = which_d ? a->n_d_hidden : a->n_g_hidden;
    const int *hidden = which_d ? a->d_hidden : a->g_hidden;
    for (int i = 0; i < n; i++) {
        total += (size_t)in * (size_t)hidden[i] + (size_t)hidden[i];
        if (!which_d && a->g_batchnorm) total += 2 * (size_t)hidden[i];
        in = hidden[i];
    }
    int out = which_d ? 1 : a->image_dim;
    total += (size_t)in * (size_t)out + (size_t)out;
    return total;
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
        const float *y = gan_generate(G, z + (size_t)i0 * (size_t)G->in, rows, 0);
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
