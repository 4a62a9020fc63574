/* 04_discriminator.c - lesson 04: the discriminator. Its layers, its forward
 * pass to a logit and a probability on real images and on the untrained
 * generator's output, and how the initial weights decide whether signals
 * survive the trip through the layers.
 *
 * The course questions it answers: how is the discriminator built; what does
 * it output (a logit, a probability); how are the weights initialised
 * (N(0, 0.02), Xavier, He) and why does the choice matter.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lesson.h"
#include "nn.h"
#include "mlpgan.h"
#include "data/data.h"
#include "viz/plot.h"

static const char *arch_name = "default";
static const char *data_dir = NULL;
static int depth = 6;
static const lesson_flag flags[] = {
    {"arch", LESSON_CHOICE, &arch_name, "the architecture: the course's default or the "
     "classic MLP GAN", 0, 0, "default|classic"},
    {"data", LESSON_STRING, &data_dir, "folder of an MNIST-format data set (default: "
     "Fashion-MNIST from dataset-fashion-mnist)", 0, 0, NULL},
    {"depth", LESSON_INT, &depth, "hidden layers of the network the initialisations are "
     "compared on", 1, 20, NULL},
};

/* A histogram figure NAME in the lesson folder; its text version is shown
 * only when `show` (four histograms in a row would drown the text). */
static void histogram(lesson *L, const char *name, const char *title, const char *xlabel,
                      const float *x, int n, int bins, int show)
{
    nn_plot p = {.dir = L->out, .name = name, .title = title, .xlabel = xlabel,
                 .ylabel = "count", .term = show ? lesson_capture_begin(L) : NULL,
                 .term_rows = 14};
    nn_error err;
    nn_status s = nn_plot_histogram(&p, x, n, bins, &err);
    if (show) lesson_capture_end(L);
    lesson_plot_shown(L, &p, s, &err, title);
}

/* The initialisations compared in step 3. The last one is deliberately too
 * large, to show activations exploding. */
enum { N_INITS = 4 };
static const char *const init_names[N_INITS] = {"normal_002", "xavier", "he", "normal_02"};
static const char *const init_titles[N_INITS] = {"N(0, 0.02)", "Xavier normal", "He normal",
                                                  "N(0, 0.2)"};

/* What the steps share: the discriminator of step 1, the real images of
 * step 2 that every later forward pass reads, and step 3's stacks, one per
 * initialisation, which step 4 runs. */
typedef struct {
    nn_gan_arch arch;
    int batch;               /* images per forward pass */
    nn_model *D;
    nn_dataset ds;           /* the test set */
    float *real;             /* (batch, data_dim) its first images in [-1, 1] */
    nn_model *net[N_INITS];
} discriminator_tour;

static void init_model(nn_model *m, int which, nn_rng *r)
{
    switch (which) {
    case 0: nn_model_init(m, r, NN_INIT_NORMAL_002); break;
    case 1: nn_model_init(m, r, NN_INIT_XAVIER_NORMAL); break;
    case 2: nn_model_init(m, r, NN_INIT_HE_NORMAL); break;
    default:
        nn_model_init(m, r, NN_INIT_NORMAL_002);
        for (int i = 0; i < m->n_layers; i++)
            if (m->layers[i].spec.kind == NN_LAYER_LINEAR)
                nn_init_normal(r, m->layers[i].w,
                               (size_t)m->layers[i].in * (size_t)m->layers[i].out, 0.0f, 0.2f);
        break;
    }
}

/* Step 1: the discriminator's layers and their parameter counts. */
static void show_architecture(lesson *L, discriminator_tour *t)
{
    nn_gan_arch arch = t->arch;
    int batch = t->batch;
    nn_error err = {NN_OK, ""};
    lesson_step(L, "The discriminator's architecture");
    lesson_say(L,
               "The discriminator D reads an image (%d pixels) and says how real it looks. "
               "Each hidden layer is a linear map and a leaky ReLU with slope %g (a plain "
               "ReLU would pass no gradient for negative inputs, and G learns only through "
               "D's gradient)%s. The last linear layer has a single output: a logit s, any "
               "real number. D(x) = sigmoid(s) is the probability that x is real; the "
               "losses take s itself, which is numerically safer.\n\n"
               "nn_gan_build_discriminator (exercise 4) builds it:",
               arch.data_dim, (double)arch.g_slope,
               arch.d_dropout > 0.0f ? ", then dropout, which zeroes a random share of the "
                                       "features during training so D cannot memorise the "
                                       "training images"
                                     : "");
    lesson_code(L, "build");
    /* STEP: build */
    nn_model *D = nn_gan_build_discriminator(&arch, batch, &err);
    lesson_check(L, D ? NN_OK : err.code ? err.code : NN_ERR_ARG, &err);
    FILE *f = lesson_capture_begin(L);
    gan_print_layers(f, D, arch_name[0] == 'c' ? "discriminator (classic)"
                                               : "discriminator (default)");
    lesson_capture_end(L);
    /* END STEP */
    lesson_key(L, "d_layers", "%d", D->n_layers);
    lesson_key(L, "d_params", "%zu", nn_model_param_count(D));
    nn_gan_arch classic = mlpgan_arch_classic(), dflt = mlpgan_arch_default();
    lesson_key(L, "d_params_classic", "%zu", nn_gan_arch_param_count(&classic, 1));
    lesson_key(L, "d_params_default", "%zu", nn_gan_arch_param_count(&dflt, 1));
    t->D = D;
}

/* Step 2: the untrained D's logits and probabilities on real images and on the untrained G's. */
static void judge_real_and_fake(lesson *L, discriminator_tour *t)
{
    nn_gan_arch arch = t->arch;
    int batch = t->batch;
    nn_model *D = t->D;
    nn_error err = {NN_OK, ""};
    lesson_step(L, "Forward pass: a logit and a probability");
    lesson_say(L,
               "D, initialised like G with N(0, 0.02) weights (nn_init_linear), looks at "
               "%d real images, scaled from bytes to [-1, 1] by nn_bytes_to_float "
               "(exercise 10), and at %d images of the untrained generator. "
               "D returns one logit per image; nn_sigmoidf (exercise 5) turns each into "
               "a probability. Eval mode: no dropout while we only look.",
               batch, batch);
    lesson_code(L, "forward");
    /* STEP: forward */
    nn_dataset ds;
    lesson_check(L, nn_dataset_load_mnist(&ds, data_dir, NN_SPLIT_TEST, &err), &err);
    size_t img = (size_t)arch.data_dim;
    float *real = nn_alloc((size_t)batch * img, sizeof(float));
    float *fake = nn_alloc((size_t)batch * img, sizeof(float));
    float *z = nn_alloc((size_t)batch * (size_t)arch.latent_dim, sizeof(float));
    float *p_real = nn_alloc((size_t)batch, sizeof(float)), *p_fake = nn_alloc((size_t)batch, sizeof(float));
    float *s_real = nn_alloc((size_t)batch, sizeof(float)), *s_fake = nn_alloc((size_t)batch, sizeof(float));
    if (!real || !fake || !z || !p_real || !p_fake || !s_real || !s_fake)
        lesson_fail(L, LESSON_EXIT_INTERNAL, "out of memory for a batch of %d images", batch);
    nn_bytes_to_float(real, ds.pixels, (size_t)batch * img, NN_RANGE_PM1);

    nn_model *G = nn_gan_build_generator(&arch, batch, &err);
    lesson_check(L, G ? NN_OK : err.code ? err.code : NN_ERR_ARG, &err);
    nn_rng rng;
    nn_rng_seed(&rng, L->seed, 1);
    nn_model_init(G, &rng, NN_INIT_NORMAL_002);
    nn_rng_seed(&rng, L->seed, 2);
    nn_model_init(D, &rng, NN_INIT_NORMAL_002);
    nn_rng_seed(&rng, L->seed, 3);
    nn_sample_latent(z, batch, arch.latent_dim, &rng);
    gan_sample_images(fake, G, z, batch);

    memcpy(s_real, gan_discriminate(D, real, batch, 0, p_real), (size_t)batch * sizeof(float));
    memcpy(s_fake, gan_discriminate(D, fake, batch, 0, p_fake), (size_t)batch * sizeof(float));
    lesson_print(L, "        logit s    D(x) = sigmoid(s)\n");
    for (int i = 0; i < 4; i++)
        lesson_print(L, "real %d  %+9.5f  %.5f   (%s)\n", i, s_real[i], p_real[i],
                     ds.class_names[ds.labels[i]]);
    for (int i = 0; i < 4; i++)
        lesson_print(L, "fake %d  %+9.5f  %.5f\n", i, s_fake[i], p_fake[i]);
    gan_stats pr = gan_describe(p_real, (size_t)batch), pf = gan_describe(p_fake, (size_t)batch);
    lesson_print(L, "mean D(x) on %d real images %.5f, on %d fakes %.5f\n", batch, pr.mean,
                 batch, pf.mean);
    /* END STEP */
    lesson_key(L, "d_real_mean", "%.5f", pr.mean);
    lesson_key(L, "d_fake_mean", "%.5f", pf.mean);
    gan_stats sr = gan_describe(s_real, (size_t)batch);
    lesson_key(L, "logit_real_std", "%.6f", sr.std);
    lesson_say(L,
               "Every probability is close to 0.5: an untrained D has no opinion. Its "
               "logits are tiny because the small weights shrink the signal layer after "
               "layer, and sigmoid(0) = 0.5. Training will push D(x) towards 1 on real "
               "images and towards 0 on fakes; G, in turn, pushes D(G(z)) back up.");
    nn_model_free(G);
    nn_free(z);
    nn_free(fake);
    nn_free(p_real);
    nn_free(p_fake);
    nn_free(s_real);
    nn_free(s_fake);
    t->ds = ds;
    t->real = real;
}

/* Step 3: four initialisation rules on one discriminator-shaped stack: their weights. */
static void compare_initial_weights(lesson *L, discriminator_tour *t)
{
    nn_gan_arch arch = t->arch;
    int batch = t->batch;
    nn_error err = {NN_OK, ""};
    nn_rng rng;
    lesson_step(L, "Weight initialisation");
    lesson_say(L,
               "How big should the first weights be? Follow the second moment E[a^2] "
               "(the mean square) of the activations. A linear layer with fan_in inputs and "
               "zero-mean weights gives outputs of mean 0 and variance fan_in * Var(w) * "
               "E[a^2] of its inputs. A leaky ReLU fed such a symmetric, zero-mean input "
               "passes half of it unchanged and multiplies the other half by the slope: it "
               "keeps (1 + slope^2) / 2 of the second moment. (Of the second moment, not "
               "of the variance: its output has a positive mean.) So each layer multiplies "
               "the second moment by fan_in * Var(w) * (1 + slope^2) / 2; repeat that over "
               "the layers and the signal shrinks or grows geometrically, unless the factor "
               "is close to 1. He's rule sets it to exactly 1. Three common rules, and one "
               "deliberately too large:\n\n"
               "  N(0, 0.02)     std 0.02 whatever the width (DCGAN, with batchnorm)\n"
               LESSON_MATH("\\text{Xavier normal: } \\sigma = \\sqrt{\\frac{2}{n_\\text{in} + n_\\text{out}}} \\quad \\text{(Glorot 2010)}", "Xavier normal  std = sqrt(2 / (fan_in + fan_out))   (Glorot 2010)") "\n"
               LESSON_MATH("\\text{He normal: } \\sigma = \\frac{\\sqrt{2 / (1 + a^2)}}{\\sqrt{n_\\text{in}}} \\quad \\text{(He 2015, slope } a\\text{)}", "He normal      std = sqrt(2 / (1 + slope^2)) / sqrt(fan_in)  (He 2015)") "\n"
               "  N(0, 0.2)      too large for 256 inputs\n\n"
               "Each is tried on a discriminator-shaped stack: %d -> %d hidden layers of 256 "
               "with leaky ReLU %g -> 1, run on the same %d real images. First, the "
               "initial weights of the second hidden layer:",
               arch.data_dim, depth, (double)arch.g_slope, batch);
    lesson_code(L, "init");
    /* STEP: init */
    nn_layer_spec specs[2 * 20 + 1];
    int n_specs = 0;
    for (int i = 0; i < depth; i++) {
        specs[n_specs++] = (nn_layer_spec){.kind = NN_LAYER_LINEAR, .out = 256};
        specs[n_specs++] = (nn_layer_spec){.kind = NN_LAYER_LEAKY_RELU, .arg = arch.d_slope};
    }
    specs[n_specs++] = (nn_layer_spec){.kind = NN_LAYER_LINEAR, .out = 1};
    nn_model *net[N_INITS];
    for (int k = 0; k < N_INITS; k++) {
        net[k] = nn_model_create(arch.data_dim, specs, n_specs, batch, &err);
        lesson_check(L, net[k] ? NN_OK : err.code, &err);
        nn_rng_seed(&rng, L->seed, 10);   /* the same draws for every rule */
        init_model(net[k], k, &rng);
    }
    const nn_layer *w2[N_INITS];
    for (int k = 0; k < N_INITS; k++) {
        w2[k] = &net[k]->layers[depth > 1 ? 2 : 0];
        gan_stats w = gan_describe(w2[k]->w, (size_t)w2[k]->in * (size_t)w2[k]->out);
        lesson_print(L, "%-14s weights (%d, %d): std %.5f\n", init_titles[k], w2[k]->out,
                     w2[k]->in, w.std);
    }
    /* END STEP */
    for (int k = 0; k < N_INITS; k++) {
        char name[64], title[96];
        snprintf(name, sizeof name, "init_weights_%s", init_names[k]);
        snprintf(title, sizeof title, "initial weights, %s", init_titles[k]);
        histogram(L, name, title, "weight", w2[k]->w, w2[k]->in * w2[k]->out, 40, k == 2);
        gan_stats w = gan_describe(w2[k]->w, (size_t)w2[k]->in * (size_t)w2[k]->out);
        snprintf(name, sizeof name, "weight_std_%s", init_names[k]);
        lesson_key_quiet(L, name, "%.6f", w.std);
    }
    memcpy(t->net, net, sizeof net);
}

/* Step 4: each stack's activations layer by layer and the gradient reaching its first layer. */
static void trace_activations(lesson *L, discriminator_tour *t)
{
    nn_gan_arch arch = t->arch;
    int batch = t->batch;
    float *real = t->real;
    nn_model *const *net = t->net;
    nn_error err = {NN_OK, ""};
    lesson_step(L, "Activations layer by layer");
    lesson_say(L,
               "Now the forward pass of each stack on the real images: the standard "
               "deviation of the activations after each leaky ReLU, and the size of the "
               "gradient that reaches the first layer's weights when the output's "
               "gradient is 1 per image (what the losses send back):");
    lesson_code(L, "activations");
    /* STEP: activations */
    float act_std[N_INITS][20], grad_first[N_INITS];
    float *ones = nn_alloc((size_t)batch, sizeof(float));
    if (!ones) lesson_fail(L, LESSON_EXIT_INTERNAL, "out of memory");
    for (int i = 0; i < batch; i++) ones[i] = 1.0f / (float)batch;
    for (int k = 0; k < N_INITS; k++) {
        nn_model_forward(net[k], real, batch, 1);
        for (int d = 0; d < depth; d++) {
            const nn_layer *a = &net[k]->layers[2 * d + 1];
            act_std[k][d] = gan_describe(a->y, (size_t)batch * (size_t)a->out).std;
        }
        nn_model_zero_grad(net[k]);
        nn_model_backward(net[k], NULL, ones, batch, 1);
        const nn_layer *l0 = &net[k]->layers[0];
        grad_first[k] = nn_norm2(l0->dw, (size_t)l0->in * (size_t)l0->out);
    }
    lesson_print(L, "layer  %12s %12s %12s %12s\n", init_titles[0], init_titles[1],
                 init_titles[2], init_titles[3]);
    for (int d = 0; d < depth; d++)
        lesson_print(L, "%5d  %12.3g %12.3g %12.3g %12.3g\n", d + 1, act_std[0][d],
                     act_std[1][d], act_std[2][d], act_std[3][d]);
    lesson_print(L, "|dW1|  %12.3g %12.3g %12.3g %12.3g\n", grad_first[0], grad_first[1],
                 grad_first[2], grad_first[3]);
    /* END STEP */
    for (int k = 0; k < N_INITS; k++) {
        char name[64];
        snprintf(name, sizeof name, "act_std_last_%s", init_names[k]);
        lesson_key(L, name, "%.4g", act_std[k][depth - 1]);
        snprintf(name, sizeof name, "grad_first_%s", init_names[k]);
        lesson_key_quiet(L, name, "%.4g", grad_first[k]);
    }

    /* The table as a figure: log scale, one line per rule. */
    float xs[20], ys[N_INITS][20];
    const float *series[N_INITS];
    for (int d = 0; d < depth; d++) {
        xs[d] = (float)(d + 1);
        for (int k = 0; k < N_INITS; k++) ys[k][d] = act_std[k][d];
    }
    for (int k = 0; k < N_INITS; k++) series[k] = ys[k];
    nn_plot lp = {.dir = L->out, .name = "activation_std", .logy = 1,
                  .title = "activation std after each hidden layer", .xlabel = "layer",
                  .ylabel = "std (log scale)", .term = lesson_capture_begin(L)};
    nn_status st = nn_plot_lines(&lp, xs, series, init_titles, N_INITS, depth, &err);
    lesson_capture_end(L);
    lesson_plot_shown(L, &lp, st, &err, "activation std layer by layer, per initialisation");

    lesson_say(L, "The activations of the last hidden layer, for each rule:");
    for (int k = 0; k < N_INITS; k++) {
        /* Each stack still holds the activations of its forward pass above. */
        const nn_layer *a = &net[k]->layers[2 * depth - 1];
        char name[64], title[96];
        snprintf(name, sizeof name, "activations_%s", init_names[k]);
        snprintf(title, sizeof title, "last hidden activations, %s", init_titles[k]);
        histogram(L, name, title, "activation", a->y, batch * a->out, 40, 0);
    }

    /* The per-layer factor of the root mean square for a 256 -> 256 layer:
     * sqrt(fan_in Var(w) (1 + slope^2) / 2). */
    double keep = sqrt((1.0 + (double)arch.d_slope * arch.d_slope) / 2.0);
    lesson_say(L,
               "Why it matters. The leaky ReLU keeps sqrt((1 + %g^2) / 2) = %.3f of the "
               "root mean square. With N(0, 0.02) a 256-wide layer multiplies it by "
               "0.02 * sqrt(256) * %.3f = %.3f: after %d layers this run's activations have "
               "std %.3g, and the gradient reaching the first layer is %.3g against He's "
               "%.3g, so the early layers barely learn. N(0, 0.2) multiplies it by %.2f per "
               "layer and ends at std %.3g. Xavier (std 1/16 for 256 -> 256) keeps the "
               "variance of a linear (or tanh) network but loses the leaky ReLU's %.3f per "
               "layer (std %.3g at the end); He includes that factor (std %.3g after the "
               "first hidden layer, %.3g after the last).\n\n"
               "DCGAN's N(0, 0.02) works in its setting because batchnorm rescales every "
               "layer, and because GAN networks are shallow: the course's D has only %d "
               "hidden layers, so the shrinking stays mild. That is why nn_init_linear "
               "keeps it, and why a deeper network without batchnorm should use He.",
               (double)arch.d_slope, keep, keep, 0.02 * 16.0 * keep, depth,
               (double)act_std[0][depth - 1], (double)grad_first[0], (double)grad_first[2],
               0.2 * 16.0 * keep, (double)act_std[3][depth - 1], keep,
               (double)act_std[1][depth - 1], (double)act_std[2][0],
               (double)act_std[2][depth - 1], arch.n_d_hidden);

    nn_free(ones);
}

/* The test images D looks at fit it, and there are a batch of them: checked
 * before the first step, so a refused run writes nothing. */
static void check_the_data(lesson *L, const discriminator_tour *t)
{
    const lesson_data_shape *test = lesson_data(L, 1);
    if (test->c * test->h * test->w != t->arch.data_dim)
        lesson_fail(L, LESSON_EXIT_INPUT, "--data %s: images of %d x %d x %d, but D reads %d "
                    "pixels; use a 28 x 28 grey data set", data_dir ? data_dir : NN_FASHION_MNIST_DIR,
                    test->c, test->h, test->w, t->arch.data_dim);
    if (test->n < t->batch)
        lesson_fail(L, LESSON_EXIT_INPUT, "--data %s: %d test images; D looks at %d at once",
                    data_dir ? data_dir : NN_FASHION_MNIST_DIR, test->n, t->batch);
}

int main(int argc, char **argv)
{
    static const lesson_info info = {
        4, "discriminator", "The discriminator",
        "The discriminator's layers, its forward pass to a logit and a probability on real "
        "and generated images, and how weight initialisation (N(0, 0.02), Xavier, He) "
        "decides whether signals shrink, survive or explode through the layers.",
        4};
    lesson *L = lesson_begin(argc, argv, &info, flags, LESSON_NFLAGS(flags));
    discriminator_tour t;
    mlpgan_arch_parse(arch_name, &t.arch); /* the flag table allows only known names */
    t.batch = L->fast ? 64 : 256;
    check_the_data(L, &t);

    show_architecture(L, &t);
    judge_real_and_fake(L, &t);
    compare_initial_weights(L, &t);
    trace_activations(L, &t);
    for (int k = 0; k < N_INITS; k++) nn_model_free(t.net[k]);
    nn_free(t.real);
    nn_dataset_free(&t.ds);
    nn_model_free(t.D);
    return lesson_end(L);
}
