/* 13_autoencoder.c - lesson 13: why not an autoencoder?
 *
 * The question two of the course's sources start from: an autoencoder
 * learns to draw images too, so why a GAN? It needs no GAN to follow, so it
 * can be read right after lesson 02. It answers with blur, in numbers: the
 * mean squared error (exercise 22) is minimised by the mean of what is
 * plausible (a 1-D two-mode toy, two edges), an MLP autoencoder trained on
 * Fashion-MNIST reconstructs and decodes blurred images, and a sharpness
 * measure puts real images, the autoencoder's images and a GAN's samples
 * side by side.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autoenc.h"
#include "blur.h"
#include "lesson.h"
#include "mlpgan.h"
#include "nn.h"
#include "trainrun.h"

#define DEFAULT_EPOCHS 5
#define FAST_IMAGES 1024
#define N_JUDGE 1000        /* images of each kind the sharpness is measured on */
#define TOY_N 1000          /* points of the two-mode toy */

static int epochs = DEFAULT_EPOCHS;
static int code_dim = 32;
static float lr = 1e-3f;
static int batch = 64;
static int gan_steps = TRAINRUN_LESSON06_STEPS;
static const char *mlp_ckpt = NULL;
static const char *data_dir = NULL;
static int threads = 0;
static const lesson_flag flags[] = {
    {"epochs", LESSON_INT, &epochs, "passes over the training set", 1, 1000, NULL},
    {"code", LESSON_INT, &code_dim, "width of the bottleneck, the code", 1, 784, NULL},
    {"lr", LESSON_FLOAT, &lr, "Adam's learning rate", 1e-6, 1.0, NULL},
    {"batch", LESSON_INT, &batch, "images per batch", 1, 1024, NULL},
    {"gan-steps", LESSON_INT, &gan_steps, "steps of lesson 06's MLP GAN when it is trained "
     "here (lesson 06 has not run; its own run: 8 epochs)", 1, 100000, NULL},
    {"mlp-ckpt", LESSON_STRING, &mlp_ckpt, "a G.ckpt of lesson 06's default MLP to compare "
     "with (default: lesson 06's own, when it has run)", 0, 0, NULL},
    {"data", LESSON_STRING, &data_dir, "folder of an MNIST-format data set (default: "
     "Fashion-MNIST)", 0, 0, NULL},
    {"threads", LESSON_INT, &threads, "threads for the products; 0: GANSTEPS_THREADS if set, "
     "else 2", 0, 64, NULL},
};

/* What the steps share: the data, the autoencoder built in step 2 and
 * trained in step 3, and the images step 4 draws that step 5 measures. */
typedef struct {
    nn_dataset ds;      /* the training set; under --fast ds.n is cut to FAST_IMAGES */
    nn_dataset test;
    int n_train;        /* the training set's own size, for step 5's GAN */
    autoenc ae;
    long steps;         /* training steps taken */
    int nj;             /* images of each kind judged */
    float *real, *recon, *dreamt;   /* (nj, 784): test images, reconstructions, random codes */
} autoencoder_tour;

/* Step 1: MSE's best constant for two modes lands between them; for images, an edge blurs. */
static void fit_the_mean(lesson *L)
{
    lesson_step(L, "What the mean squared error rewards");
    lesson_say(L,
               "An autoencoder is trained to give back its input: the loss is the mean "
               "squared error between image and reconstruction (exercise 22, "
               "nn_mse_loss):\n\n"
               LESSON_MATH("L = \\operatorname{mean}_i (y_i - t_i)^2, \\quad \\frac{\\partial L}{\\partial y_i} = \\frac{2\\,(y_i - t_i)}{n}", "L = mean_i (y_i - t_i)^2,   dL/dy_i = 2 (y_i - t_i) / n") "\n\n"
               "When one input can stand for several targets, a prediction that hedges wins: "
               "the constant c that minimises mean (c - t_i)^2 is the mean of the t_i. Below, "
               "%d points from two modes, at -1 and +1 (standard deviation 0.1), and one "
               "number c fitted to all of them by gradient descent on that loss: where does "
               "it land?", TOY_N);
    float *toy = lesson_alloc(L, TOY_N, sizeof(float)), *cs = lesson_alloc(L, TOY_N, sizeof(float)),
          *dc = lesson_alloc(L, TOY_N, sizeof(float));
    nn_rng tr;
    nn_rng_seed(&tr, L->seed, 1);
    for (int i = 0; i < TOY_N; i++)
        toy[i] = (i % 2 ? 1.0f : -1.0f) + 0.1f * nn_rng_normal(&tr);
    lesson_code(L, "toy");
    /* STEP: toy */
    float c = 0.8f;                     /* start near one mode */
    for (int it = 0; it < 200; it++) {
        for (int i = 0; i < TOY_N; i++) cs[i] = c;
        nn_mse_loss(dc, cs, toy, TOY_N);
        float grad = 0.0f;              /* c is every cs[i]: its gradient is their sum */
        for (int i = 0; i < TOY_N; i++) grad += dc[i];
        c -= 0.1f * grad;
    }
    /* END STEP */
    blur_toy_fit where = blur_report_toy(L, toy, TOY_N, c);
    if (fabs((double)c - where.mean) < 0.05 && where.near * 20 < TOY_N)
        lesson_say(L, "c went to the mean, %.3f, between the modes, where %s of the data "
                   "lie: the best guess by the mean squared error is a value the data never "
                   "take.", (double)c, where.near == 0 ? "none" : "almost none");
    else
        lesson_say(L, "This run's c (%.3f) is not at the data's mean (%.3f): is exercise 22 "
                   "right? (make check EX=22)", (double)c, where.mean);

    lesson_say(L, "For images the same thing is blur. Two images of one vertical edge, at "
               "column 12 in one and 16 in the other: if the code cannot tell which, the "
               "decoder's best answer by the mean squared error is their average, a grey "
               "ramp, and its edges are half as steep. The sharpness measure (nn_sharpness) "
               "is the mean squared difference between neighbouring pixels:");
    blur_show_edges(L);
    nn_free(toy);
    nn_free(cs);
    nn_free(dc);
}

/* The data set fits the autoencoder and holds a batch: checked before the
 * first step writes anything. */
static void check_the_data(lesson *L)
{
    const lesson_data_shape *train = lesson_data(L, 0);
    int n_images = L->fast && train->n > FAST_IMAGES ? FAST_IMAGES : train->n;
    if (train->c * train->h * train->w != 784)
        lesson_fail(L, LESSON_EXIT_INPUT, "--data: images of %d x %d x %d; this autoencoder "
                    "reads 1 x 28 x 28 grey images", train->c, train->h, train->w);
    if (batch > n_images)
        lesson_fail(L, LESSON_EXIT_INPUT, "--batch %d is more than the %d images", batch, n_images);
}

/* Step 2: the data and the autoencoder's two halves. */
static void build_autoencoder(lesson *L, autoencoder_tour *t)
{
    nn_error err = {NN_OK, ""};
    lesson_step(L, "The autoencoder");
    nn_dataset ds, test;
    lesson_check(L, nn_dataset_load_mnist(&ds, data_dir, NN_SPLIT_TRAIN, &err), &err);
    lesson_check(L, nn_dataset_load_mnist(&test, data_dir, NN_SPLIT_TEST, &err), &err);
    int n_train = ds.n;
    if (L->fast && ds.n > FAST_IMAGES) ds.n = FAST_IMAGES; /* check_the_data: >= --batch */
    autoenc ae;
    if (!autoenc_create(&ae, code_dim, batch > 256 ? batch : 256, L->seed, &err)) {
        autoenc_free(&ae);
        lesson_check(L, err.code, &err);
    }
    lesson_say(L,
               "The encoder reads the 784 pixels through a hidden layer of %d units into a "
               "code of %d numbers; the decoder draws 784 pixels back from the code, tanh on "
               "the output as lesson 06's generator. %zu parameters in all. The code is the "
               "bottleneck: %d numbers cannot hold every detail of %d pixels, so what the "
               "decoder cannot recover from the code it has to guess, and the mean squared "
               "error makes that guess an average.",
               AUTOENC_HIDDEN, code_dim,
               nn_model_param_count(ae.enc) + nn_model_param_count(ae.dec), code_dim, 784);
    {
        FILE *f = lesson_capture_begin(L);
        gan_print_layers(f, ae.enc, "encoder");
        gan_print_layers(f, ae.dec, "decoder");
        lesson_capture_end(L);
    }
    t->ds = ds;
    t->test = test;
    t->n_train = n_train;
    t->ae = ae;
}

/* Step 3: the autoencoder trained with the mean squared error. */
static void train_autoencoder(lesson *L, autoencoder_tour *t)
{
    nn_dataset ds = t->ds;
    autoenc ae = t->ae;
    nn_error err = {NN_OK, ""};
    lesson_step(L, "Training with the mean squared error");
    long steps_per_epoch = ds.n / batch, total = steps_per_epoch * epochs;
    lesson_say(L,
               "Each step: encode a batch, decode the codes, the mean squared error between "
               "the decoded pixels and the images (the targets are the inputs), back through "
               "the decoder into the codes and through the encoder, one Adam step each "
               "(lr %g). %d epoch%s of %ld steps of %d images.%s",
               (double)lr, epochs, epochs > 1 ? "s" : "", steps_per_epoch, batch,
               L->fast ? " (--fast: the first 1024 images, one epoch.)" : "");
    nn_loader ld;
    lesson_check(L, nn_loader_init(&ld, &ds, batch, 1, 1, NN_RANGE_PM1, L->seed, &err), &err);
    float *x = lesson_alloc(L, (size_t)batch * 784, sizeof(float)),
          *dy = lesson_alloc(L, (size_t)batch * 784, sizeof(float));
    float *dcode = lesson_alloc(L, (size_t)batch * code_dim, sizeof(float));
    float *losses = lesson_alloc(L, (size_t)total, sizeof(float));
    nn_adam opt = {.lr = lr, .beta1 = 0.9f, .beta2 = 0.999f, .eps = 1e-8f};
    double t0 = lesson_seconds();
    long done = 0;
    lesson_code(L, "train");
    /* STEP: train */
    for (int e = 0; e < epochs; e++) {
        lesson_progress pr;
        char label[32];
        snprintf(label, sizeof label, "epoch %d", e + 1);
        lesson_progress_start(L, &pr, label, steps_per_epoch);
        for (long s = 0; s < steps_per_epoch; s++) {
            int n = nn_loader_next(&ld, x, NULL);
            if (n < batch) n = nn_loader_next(&ld, x, NULL);  /* a new epoch began */
            const float *code = nn_model_forward(ae.enc, x, n, 1);
            const float *y = nn_model_forward(ae.dec, code, n, 1);
            float loss = nn_mse_loss(dy, y, x, n * 784);       /* exercise 22 */
            nn_model_zero_grad(ae.enc);
            nn_model_zero_grad(ae.dec);
            memset(dcode, 0, (size_t)n * code_dim * sizeof(float));
            nn_model_backward(ae.dec, dcode, dy, n, 1);
            nn_model_backward(ae.enc, NULL, dcode, n, 1);
            nn_model_adam_step(ae.dec, &opt);
            nn_model_adam_step(ae.enc, &opt);
            if (!isfinite(loss)) {
                lesson_progress_done(&pr);
                lesson_fail(L, LESSON_EXIT_INTERNAL, "step %ld: the loss is %g; training "
                            "diverged. Try a lower --lr (now %g)", done + 1, (double)loss,
                            (double)lr);
            }
            losses[done++] = loss;
            lesson_progress_tick(&pr, s + 1, "mse %.4f", (double)loss);
        }
        lesson_progress_done(&pr);
    }
    /* END STEP */
    double train_s = lesson_seconds() - t0;
    lesson_key(L, "train_s", "%.1f", train_s);
    lesson_key(L, "mse_end", "%.4f", trainrun_tail_mean(losses, done));
    {
        float *xs = lesson_alloc(L, (size_t)done, sizeof(float)),
              *sm = lesson_alloc(L, (size_t)done, sizeof(float));
        for (long i = 0; i < done; i++) xs[i] = (float)(i + 1);
        int w = done >= 1000 ? 100 : (int)(done / 10 + 1);
        trainrun_smooth(sm, losses, done, w);
        const float *ys[2] = {losses, sm};
        const char *names[2] = {"MSE", "running mean"};
        nn_plot p = {.dir = L->out, .name = "mse", .title = "reconstruction error",
                     .xlabel = "step", .ylabel = "mean squared error", .logy = 1,
                     .term = lesson_capture_begin(L), .term_rows = 16};
        nn_status s = nn_plot_lines(&p, xs, ys, names, 2, (int)done, &err);
        lesson_capture_end(L);
        lesson_plot_shown(L, &p, s, &err, "the mean squared error while training");
        nn_free(xs);
        nn_free(sm);
    }
    lesson_check(L, autoenc_save(&ae, L->out, &err), &err);
    lesson_print(L, "checkpoints: %s/enc.ckpt, %s/dec.ckpt (lesson 14 judges them)\n", L->out,
                 L->out);
    t->steps = done;
    nn_free(losses);
    nn_free(x);
    nn_free(dy);
    nn_free(dcode);
    nn_loader_free(&ld);
}

/* Step 4: test images reconstructed, and random codes decoded. */
static void decode_images(lesson *L, autoencoder_tour *t)
{
    nn_dataset ds = t->ds, test = t->test;
    autoenc ae = t->ae;
    nn_error err = {NN_OK, ""};
    nn_rng tr;
    lesson_step(L, "Reconstructions and random codes");
    int nj = L->fast ? 256 : N_JUDGE;
    /* Real test images, reconstructions, decodings of random codes. */
    float *real = lesson_alloc(L, (size_t)nj * 784, sizeof(float)),
          *recon = lesson_alloc(L, (size_t)nj * 784, sizeof(float));
    float *dreamt = lesson_alloc(L, (size_t)nj * 784, sizeof(float));
    int n_fit = L->fast ? ds.n : 10000;
    float *fit = lesson_alloc(L, (size_t)n_fit * 784, sizeof(float));
    float *codes = lesson_alloc(L, (size_t)n_fit * code_dim, sizeof(float));
    float *z = lesson_alloc(L, (size_t)nj * code_dim, sizeof(float));
    int *idx = malloc((size_t)(n_fit > nj ? n_fit : nj) * sizeof(int));
    if (!idx) lesson_fail(L, LESSON_EXIT_INTERNAL, "out of memory");
    lesson_say(L,
               "%d test images (never trained on), each with its reconstruction below it. "
               "Then the autoencoder as a generator: a Gaussian fitted to the codes of %d "
               "training images (each code unit's mean and standard deviation), %d codes "
               "drawn from it, decoded.", 10, n_fit, nj);
    lesson_code(L, "decode");
    /* STEP: decode */
    for (int i = 0; i < nj; i++) idx[i] = i;
    nn_dataset_gather(real, &test, idx, nj, NN_RANGE_PM1);
    autoenc_encode(&ae, real, nj, z);
    autoenc_decode(&ae, z, nj, recon);                      /* reconstructions */
    for (int i = 0; i < n_fit; i++) idx[i] = i;
    nn_dataset_gather(fit, &ds, idx, n_fit, NN_RANGE_PM1);
    autoenc_encode(&ae, fit, n_fit, codes);
    nn_rng_seed(&tr, L->seed, 2);
    autoenc_random_codes(z, nj, codes, n_fit, code_dim, &tr);
    autoenc_decode(&ae, z, nj, dreamt);                     /* random codes */
    /* END STEP */
    double mse_test = 0.0;
    for (size_t i = 0; i < (size_t)nj * 784; i++)
        mse_test += ((double)recon[i] - real[i]) * ((double)recon[i] - real[i]);
    mse_test /= (double)nj * 784;
    lesson_key(L, "mse_test", "%.4f", mse_test);
    {
        float pair[20 * 784];
        memcpy(pair, real, 10 * 784 * sizeof(float));
        memcpy(pair + 10 * 784, recon, 10 * 784 * sizeof(float));
        nn_grid_opts o = nn_grid_defaults(-1.0f, 1.0f);
        o.cols = 10;
        o.scale = 2;
        lesson_check(L, nn_image_write_grid(lesson_path(L, "reconstructions.png"), pair, 20, 1,
                                            28, 28, &o, &err), &err);
        lesson_figure(L, "reconstructions.png", "test images (top) and their reconstructions");
        lesson_check(L, nn_image_write_grid(lesson_path(L, "random_codes.png"), dreamt,
                                            nj < 100 ? nj : 100, 1, 28, 28, &o, &err), &err);
        lesson_figure(L, "random_codes.png", "decoded from random codes");
        FILE *pf = lesson_capture_begin(L);
        fprintf(pf, "a test image, its reconstruction, a random code's image:\n");
        float three[3 * 784];
        memcpy(three, real, 784 * sizeof(float));
        memcpy(three + 784, recon, 784 * sizeof(float));
        memcpy(three + 2 * 784, dreamt, 784 * sizeof(float));
        nn_image_preview(pf, three, 3, 1, 28, 28, 3, -1.0f, 1.0f, NN_PREVIEW_AUTO);
        lesson_capture_end(L);
    }
    t->nj = nj;
    t->real = real;
    t->recon = recon;
    t->dreamt = dreamt;
    free(idx);
    nn_free(z);
    nn_free(codes);
    nn_free(fit);
}

/* Step 5: the sharpness of real, autoencoder and GAN images side by side. */
static void measure_blur(lesson *L, autoencoder_tour *t)
{
    int nj = t->nj;
    const float *real = t->real, *recon = t->recon, *dreamt = t->dreamt;
    nn_rng tr;
    lesson_step(L, "Blur, measured");
    t->ds.n = t->n_train;
    lesson_say(L,
               "The sharpness measure on %d images of each kind: real test images, the "
               "autoencoder's reconstructions and its decodings of random codes, and samples "
               "of lesson 06's default MLP GAN (%s).",
               nj, trainrun_lesson06_source(L, gan_steps));
    nn_gan *gan = trainrun_mlp_from_lesson06(L, "default", mlp_ckpt, gan_steps, &t->ds);
    float *fake = lesson_alloc(L, (size_t)nj * 784, sizeof(float)); /* its samples */
    float *gz = lesson_alloc(L, (size_t)nj * gan->arch.latent_dim, sizeof(float));
    nn_rng_seed(&tr, L->seed, 3);
    nn_sample_latent(gz, nj, gan->arch.latent_dim, &tr);
    gan_sample_images(fake, gan->G, gz, nj);
    lesson_code(L, "sharpness");
    /* STEP: sharpness */
    double s_real = nn_sharpness(real, nj, 28, 28);
    double s_recon = nn_sharpness(recon, nj, 28, 28);
    double s_ae = nn_sharpness(dreamt, nj, 28, 28);
    double s_gan = nn_sharpness(fake, nj, 28, 28);
    /* END STEP */
    lesson_key(L, "sharpness_real", "%.4f", s_real);
    lesson_key(L, "sharpness_ae_recon", "%.4f", s_recon);
    lesson_key(L, "sharpness_ae", "%.4f", s_ae);
    lesson_key(L, "sharpness_gan", "%.4f", s_gan);
    blur_plot_sharpness(L, (const double[4]){s_real, s_recon, s_ae, s_gan}, fake, nj);
    if (L->fast)
        lesson_say(L, "A --fast run trains the autoencoder for %ld steps and the GAN for 5: "
                   "too short to show how blurred each one's images end up. Run without --fast.",
                   t->steps);
    else if (s_ae < s_real && s_ae < s_gan)
        lesson_say(L, "The autoencoder's images from random codes have %.0f%% of the real "
                   "images' sharpness and %.0f%% of the GAN's samples'; its reconstructions "
                   "%.0f%% of the real images'. That is the blur the mean squared error asks "
                   "for: where the code leaves an edge's place open, the average of the places "
                   "is the answer. A GAN's generator is never told to match a pixel; it is "
                   "judged by D, and a blurred image is easy for D to reject, so G learns to "
                   "commit to an edge. The price is lesson 09's: nothing makes G cover every "
                   "kind of image, where the autoencoder must reconstruct them all.",
                   100.0 * s_ae / s_real, 100.0 * s_ae / s_gan, 100.0 * s_recon / s_real);
    else
        lesson_say(L, "This run's decodings are not the blurriest of the lot (sharpness %.4f "
                   "against real %.4f and GAN %.4f): a wider --code keeps more detail, and a "
                   "short GAN run can be blurred too. Compare with the default run.",
                   s_ae, s_real, s_gan);
    nn_free(gz);
    nn_free(fake);
    nn_gan_free(gan);
}

int main(int argc, char **argv)
{
    static const lesson_info info = {
        13, "autoencoder", "Why not an autoencoder?",
        "An autoencoder trained with the mean squared error draws blurred images: the "
        "error is smallest at the mean of what is plausible. A two-mode toy, an MLP "
        "autoencoder on Fashion-MNIST, and a sharpness measure against real images and a "
        "GAN's samples. Needs no GAN: it can be read right after lesson 02.",
        13};
    lesson *L = lesson_begin(argc, argv, &info, flags, LESSON_NFLAGS(flags));
    double t_start = lesson_seconds();
    if (L->fast && epochs == DEFAULT_EPOCHS) epochs = 1;
    lesson_use_threads(threads);

    check_the_data(L);

    autoencoder_tour t;
    fit_the_mean(L);
    build_autoencoder(L, &t);
    train_autoencoder(L, &t);
    decode_images(L, &t);
    measure_blur(L, &t);
    lesson_key(L, "wall_s", "%.1f", lesson_seconds() - t_start);
    nn_free(t.real);
    nn_free(t.recon);
    nn_free(t.dreamt);
    autoenc_free(&t.ae);
    nn_dataset_free(&t.test);
    nn_dataset_free(&t.ds);
    return lesson_end(L);
}
