/* 03_generator.c - lesson 03: the generator. Its layers and their parameter
 * counts, the latent vector it starts from, its forward pass, and what it
 * draws before any training.
 *
 * The course questions it answers: how is the generator built (layers,
 * widths, why tanh at the end); what is the latent vector (normal or uniform,
 * how many dimensions); what shapes flow through the forward pass; what does
 * an untrained generator produce.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lesson.h"
#include "nn.h"
#include "mlpgan.h"
#include "viz/image.h"
#include "viz/plot.h"

static const char *arch_name = "default";
static int n_samples = 64;
static const lesson_flag flags[] = {
    {"arch", LESSON_CHOICE, &arch_name, "the architecture: the course's default or the "
     "classic MLP GAN", 0, 0, "default|classic"},
    {"samples", LESSON_INT, &n_samples, "images in the sample grid", 1, 1024, NULL},
};

/* What the steps share: the architecture, the generator built in step 1,
 * the latent vectors of step 2 and the images step 3 draws from them. */
typedef struct {
    nn_gan_arch arch;
    int side;            /* the image's side: 28 for 784 pixels */
    nn_model *G;
    float *z;            /* (n_samples, latent_dim) */
    float *pix;          /* (n_samples, data_dim), eval mode */
} generator_tour;

/* A histogram figure NAME in the lesson folder, its text version shown as
 * output; notes gnuplot's warning when there is no PNG. */
static void histogram(lesson *L, const char *name, const char *title, const char *xlabel,
                      const float *x, int n, int bins)
{
    nn_plot p = {.dir = L->out, .name = name, .title = title, .xlabel = xlabel,
                 .ylabel = "count", .term = lesson_capture_begin(L), .term_rows = 16};
    nn_error err;
    nn_status s = nn_plot_histogram(&p, x, n, bins, &err);
    lesson_capture_end(L);
    lesson_plot_shown(L, &p, s, &err, title);
}

/* Step 1: the generator's layers and their parameter counts. */
static void show_architecture(lesson *L, generator_tour *t)
{
    nn_gan_arch arch = t->arch;
    int side = t->side;
    nn_error err = {NN_OK, ""};
    lesson_step(L, "The generator's architecture");
    lesson_say(L,
               "The generator G turns a vector of random numbers z into an image. Here it "
               "is a multilayer perceptron: each hidden layer is a linear map (a weight "
               "matrix and a bias) followed by %sa leaky ReLU with slope %g; the last "
               "linear layer "
               "has one output per pixel (%d = %d x %d) and a tanh squashes them into "
               "[-1, 1], the range the real images are scaled to.\n\n"
               "nn_gan_build_generator (exercise 2) turns the architecture into a model:",
               arch.g_batchnorm ? "a batch normalisation and " : "", (double)arch.g_slope,
               arch.data_dim, side, side);
    lesson_code(L, "build");
    /* STEP: build */
    nn_model *G = nn_gan_build_generator(&arch, n_samples, &err);
    lesson_check(L, G ? NN_OK : err.code ? err.code : NN_ERR_ARG, &err);
    FILE *f = lesson_capture_begin(L);
    gan_print_layers(f, G, arch_name[0] == 'c' ? "generator (classic)" : "generator (default)");
    lesson_capture_end(L);
    /* END STEP */
    const nn_layer *first = &G->layers[0];
    lesson_say(L,
               "A linear layer from %d to %d features has %d x %d weights and %d biases: "
               "%zu parameters. Almost all of G's parameters sit in the last layer, the one "
               "that paints the pixels. Batch normalisation adds a scale (gamma) and a "
               "shift (beta) per feature; activations and tanh have none.",
               first->in, first->out, first->out, first->in, first->out,
               nn_layer_param_count(first));
    lesson_key(L, "g_layers", "%d", G->n_layers);
    lesson_key(L, "g_params", "%zu", nn_model_param_count(G));
    nn_gan_arch classic = mlpgan_arch_classic(), dflt = mlpgan_arch_default();
    lesson_key(L, "g_params_classic", "%zu", nn_gan_arch_param_count(&classic, 0));
    lesson_key(L, "g_params_default", "%zu", nn_gan_arch_param_count(&dflt, 0));
    t->G = G;
}

/* Step 2: one batch of normal and of uniform latent vectors; their lengths. */
static void sample_latent(lesson *L, generator_tour *t)
{
    nn_gan_arch arch = t->arch;
    lesson_step(L, "The latent vector");
    lesson_say(L,
               "Every image G draws starts as a latent vector z of %d numbers. Most courses "
               "draw them from the standard normal N(0, 1); some use the uniform U(-1, 1). "
               "Both work: G learns to map whichever distribution it is fed onto images. "
               "What matters is that training and sampling use the same one. The course "
               "uses N(0, 1) (nn_sample_latent, exercise 1), which has no hard edges.\n\n"
               "One batch of each, and their histograms:",
               arch.latent_dim);
    lesson_code(L, "latent");
    /* STEP: latent */
    int n_z = n_samples * arch.latent_dim;
    float *z = nn_alloc((size_t)n_z, sizeof(float));
    float *u = nn_alloc((size_t)n_z, sizeof(float));
    if (!z || !u) lesson_fail(L, LESSON_EXIT_INTERNAL, "out of memory for %d latent numbers", n_z);
    nn_rng rng;
    nn_rng_seed(&rng, L->seed, 0);
    nn_sample_latent(z, n_samples, arch.latent_dim, &rng);
    nn_rng_fill_uniform(&rng, u, (size_t)n_z, -1.0f, 1.0f);
    gan_stats zs = gan_describe(z, (size_t)n_z), us = gan_describe(u, (size_t)n_z);
    lesson_print(L, "z  (%d, %d) from N(0, 1):   mean %+.3f  std %.3f  min %+.2f  max %+.2f\n",
                 n_samples, arch.latent_dim, zs.mean, zs.std, zs.min, zs.max);
    lesson_print(L, "u  (%d, %d) from U(-1, 1):  mean %+.3f  std %.3f  min %+.2f  max %+.2f\n",
                 n_samples, arch.latent_dim, us.mean, us.std, us.min, us.max);
    /* END STEP */
    lesson_key(L, "z_mean", "%.4f", zs.mean);
    lesson_key(L, "z_std", "%.4f", zs.std);
    lesson_key_quiet(L, "u_std", "%.4f", us.std);
    histogram(L, "latent_normal", "latent z ~ N(0, 1)", "z", z, n_z, 40);
    histogram(L, "latent_uniform", "latent u ~ U(-1, 1)", "u", u, n_z, 40);

    lesson_say(L,
               "Why %d dimensions? Enough room to encode every variation of the data (class, "
               "thickness, slant, ...), which G has to learn to use. In many dimensions a "
               "normal vector lives on a thin shell: its length is close to sqrt(%d) = %.1f "
               "every time, so two latent vectors are nearly orthogonal and nearly equally "
               "long:",
               arch.latent_dim, arch.latent_dim, sqrt((double)arch.latent_dim));
    lesson_code(L, "norms");
    /* STEP: norms */
    double norm_sum = 0.0, norm_sq = 0.0;
    for (int i = 0; i < n_samples; i++) {
        double nrm = nn_norm2(z + (size_t)i * (size_t)arch.latent_dim, (size_t)arch.latent_dim);
        norm_sum += nrm;
        norm_sq += nrm * nrm;
    }
    double norm_mean = norm_sum / n_samples;
    double norm_std = sqrt(fmax(0.0, norm_sq / n_samples - norm_mean * norm_mean));
    lesson_print(L, "|z| over %d vectors: mean %.2f, std %.2f  (sqrt(%d) = %.2f)\n", n_samples,
                 norm_mean, norm_std, arch.latent_dim, sqrt((double)arch.latent_dim));
    /* END STEP */
    lesson_key(L, "z_norm_mean", "%.3f", norm_mean);
    nn_free(u);
    t->z = z;
}

/* Step 3: the untrained generator's forward pass, layer by layer, in both modes. */
static void run_forward(lesson *L, generator_tour *t)
{
    nn_gan_arch arch = t->arch;
    nn_model *G = t->G;
    float *z = t->z;
    nn_rng rng;
    lesson_step(L, "The forward pass");
    lesson_say(L,
               "Before G can draw, its weights need values: nn_model_init, which runs "
               "nn_init_linear (exercise 6) "
               "draws every weight from N(0, 0.02) and sets the biases to 0, as DCGAN does. "
               "Then gan_generate (exercise 3) runs the layers in order. In train mode "
               "batchnorm standardises each feature over the batch; in eval mode (used to "
               "draw samples) it uses running averages, which start at mean 0 and variance "
               "1. The shapes, layer by layer, and the output's range in both modes:");
    lesson_code(L, "forward");
    /* STEP: forward */
    nn_rng_seed(&rng, L->seed, 1);
    nn_model_init(G, &rng, NN_INIT_NORMAL_002);
    const float *img = nn_model_forward(G, z, n_samples, 1);
    lesson_print(L, "  z                      (%d, %d)\n", n_samples, G->in);
    for (int i = 0; i < G->n_layers; i++) {
        const nn_layer *l = &G->layers[i];
        gan_stats a = gan_describe(l->y, (size_t)n_samples * (size_t)l->out);
        lesson_print(L, "  %2d %-19s (%d, %d)   std %.4f\n", i,
                     nn_layer_kind_name(l->spec.kind), n_samples, l->out, a.std);
    }
    gan_stats tr = gan_describe(img, (size_t)n_samples * (size_t)arch.data_dim);
    float *pix = nn_alloc((size_t)n_samples * (size_t)arch.data_dim, sizeof(float));
    if (!pix) lesson_fail(L, LESSON_EXIT_INTERNAL, "out of memory for %d images", n_samples);
    gan_sample_images(pix, G, z, n_samples);
    gan_stats ev = gan_describe(pix, (size_t)n_samples * (size_t)arch.data_dim);
    lesson_print(L, "train mode: pixels in [%+.3f, %+.3f], mean %+.4f, std %.4f\n", tr.min,
                 tr.max, tr.mean, tr.std);
    lesson_print(L, "eval mode:  pixels in [%+.3f, %+.3f], mean %+.4f, std %.4f\n", ev.min,
                 ev.max, ev.mean, ev.std);
    /* END STEP */
    lesson_key(L, "out_train_std", "%.5f", tr.std);
    lesson_key(L, "out_eval_std", "%.5f", ev.std);
    lesson_key(L, "out_eval_min", "%.4f", ev.min);
    lesson_key(L, "out_eval_max", "%.4f", ev.max);
    lesson_say(L,
               "In eval mode every pixel stays close to 0: with weights of size 0.02, each "
               "linear layer's output is a small multiple of its input, and tanh of a small "
               "number is almost 0, which the image grid shows as mid-grey. %s Training "
               "will have to "
               "grow the weights before G can paint black and white.",
               arch.g_batchnorm
                   ? "In train mode batchnorm rescales every hidden feature to standard "
                     "deviation 1, so the output varies more than in eval mode, where the "
                     "untouched running averages do no rescaling."
                   : "Without batchnorm nothing rescales the activations on the way.");
    histogram(L, "untrained_pixels", "pixel values of the untrained G (eval mode)", "pixel",
              pix, n_samples * arch.data_dim, 40);
    t->pix = pix;
}

/* Step 4: what the untrained generator draws. */
static void show_samples(lesson *L, generator_tour *t)
{
    int side = t->side;
    float *pix = t->pix;
    nn_error err = {NN_OK, ""};
    FILE *f;
    lesson_step(L, "What an untrained generator draws");
    lesson_say(L,
               "The same %d samples as a grid of %d x %d images (PNG; black is -1, white "
               "+1), and the first four in the terminal. There is nothing to see yet: a "
               "faint, even noise around grey. That is the starting point of every GAN; "
               "lesson 06 trains G until these turn into clothes.",
               n_samples, side, side);
    lesson_code(L, "samples");
    /* STEP: samples */
    nn_grid_opts grid = nn_grid_defaults(-1.0f, 1.0f);
    grid.scale = 2;
    nn_status s = nn_image_write_grid(lesson_path(L, "untrained_samples.png"), pix, n_samples,
                                      1, side, side, &grid, &err);
    lesson_check(L, s, &err);
    f = lesson_capture_begin(L);
    nn_image_preview(f, pix, n_samples < 4 ? n_samples : 4, 1, side, side, 4, -1.0f, 1.0f,
                     NN_PREVIEW_AUTO);
    lesson_capture_end(L);
    /* END STEP */
    lesson_figure(L, "untrained_samples.png", "samples of the untrained generator");
    lesson_key_quiet(L, "samples", "%d", n_samples);
}

int main(int argc, char **argv)
{
    static const lesson_info info = {
        3, "generator", "The generator",
        "The generator's layers and parameter counts, the latent vector it starts from "
        "(normal or uniform, and its dimension), its forward pass, and what it draws "
        "before training.",
        3};
    lesson *L = lesson_begin(argc, argv, &info, flags, LESSON_NFLAGS(flags));
    generator_tour t;
    mlpgan_arch_parse(arch_name, &t.arch); /* the flag table allows only known names */
    t.side = gan_image_side(t.arch.data_dim); /* 28 for 784 pixels */

    show_architecture(L, &t);
    sample_latent(L, &t);
    run_forward(L, &t);
    show_samples(L, &t);
    nn_free(t.pix);
    nn_free(t.z);
    nn_model_free(t.G);
    return lesson_end(L);
}
