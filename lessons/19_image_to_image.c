/* 19_image_to_image.c - lesson 19: paired image-to-image translation,
 * super-resolution and inpainting with Pix2Pix.
 *
 * The course questions it answers: where does a conditional GAN earn its
 * keep when every input comes with the image it should become, and why does
 * an adversarial loss beside a pixel loss give sharper images than the
 * pixel loss alone (lesson 13's blur, answered)? Pix2Pix (Isola et al.
 * 2017, lib/gan/pix2pix.h) on Fashion-MNIST with two tasks: 4x
 * super-resolution (7 x 7 to 28 x 28) and inpainting (a hidden square). A
 * U-Net generator (lib/nn/unet.h, its skips exercise 31), a PatchGAN judge
 * of the (input, output) pair, the L1 term weighted 100 (exercise 32). Each
 * task is trained with the L1 term alone and with the adversarial term too,
 * from one seed, and judged on held-out test images by per-pixel error,
 * sharpness, the lesson classifier's Frechet distance and class: the
 * perception-distortion trade-off in the lesson's own numbers. The U-Net
 * without its skips, and plain upscaling, are the floors.
 *
 * main reads as the lesson's contents: one function per step. The machinery
 * is in lessons/course/: p2pdata (the tasks' inputs), p2prun (the runs on
 * worker threads), p2pjudge (the scores and figures).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "classifier.h"
#include "judge.h"
#include "lesson.h"
#include "lines_figure.h"
#include "nn.h"
#include "p2pdata.h"
#include "p2pjudge.h"
#include "p2prun.h"
#include "trainrun.h"

#define DEFAULT_STEPS 3000
#define FAST_STEPS 30
#define N_EVAL 1000     /* held-out test images judged; the Frechet reference is the N_EVAL before */
#define GRID_K 8        /* images in each row of the figures */

static int steps = DEFAULT_STEPS;
static int batch = 16;
static int g_channels = 32;
static int d_channels = 32;
static float lambda = 100.0f;
static float lr = 2e-4f;
static int jobs = 2;
static const char *save_samples = NULL;
static const char *data_dir = NULL;

static const lesson_flag flags[] = {
    {"steps", LESSON_INT, &steps, "training steps of each run", 1, 1000000, NULL},
    {"batch", LESSON_INT, &batch, "pairs per step", 2, 256, NULL},
    {"g-channels", LESSON_INT, &g_channels, "channels of the U-Net's first level (the next "
     "ones double them)", 1, 256, NULL},
    {"d-channels", LESSON_INT, &d_channels, "channels of the judge's first convolution", 1, 256,
     NULL},
    {"lambda", LESSON_FLOAT, &lambda, "weight of the L1 term (the paper: 100)", 0.0, 1e4, NULL},
    {"lr", LESSON_FLOAT, &lr, "Adam's learning rate, both networks (the paper: 2e-4)", 1e-7,
     1.0, NULL},
    {"jobs", LESSON_INT, &jobs, "training runs at once (one per core)", 1, 16, NULL},
    {"save-samples", LESSON_STRING, &save_samples, "write L1 + GAN's super-resolved held-out "
     "images to FILE (IDX, like Fashion-MNIST) and their true class to FILE.labels", 0, 0, NULL},
    {"data", LESSON_STRING, &data_dir, "folder of an MNIST-format data set (default: "
     "Fashion-MNIST)", 0, 0, NULL},
};

/* The runs, every one from the lesson's seed, the slower ones (with a
 * judge) first so that the two workers finish close together. */
enum { SR_GAN, SR_GAN_LOW, SR_GAN_NOSKIP, IN_GAN, SR_L1, SR_L1_NOSKIP, IN_L1, N_RUNS };

/* What the steps share. */
typedef struct {
    nn_dataset ds, test;
    p2prun runs[N_RUNS];
    nn_model *net;                  /* the lesson classifier */
    judge *jd;                      /* its features of the N_EVAL test images before ours */
    float *y;                       /* (N_EVAL, 784) the held-out real images */
    int *labels;                    /* (N_EVAL) their classes */
    float *x[P2P_TASKS];            /* (N_EVAL, in_c 784) their inputs for each task */
    float *mask;                    /* (N_EVAL, 784) the inpainting's hidden squares */
    float *out[N_RUNS];             /* (N_EVAL, 784) each run's outputs */
    p2p_scores sc[N_RUNS];
    p2p_scores real, nearest, bilinear, grey;   /* the real images and the floors */
    char low_label[48];             /* SR_GAN_LOW's: "L1 + GAN, lambda 10" */
    char lab_path[1024];            /* --save-samples' labels */
} i2i;

/* ------------------------------------------------------------------ set-up */

static void set_up(lesson *L, i2i *S)
{
    nn_error err;
    if (L->fast && steps == DEFAULT_STEPS) steps = FAST_STEPS;
    const lesson_data_shape *test = lesson_data(L, 1);
    if (test->c * test->h * test->w != 784)
        lesson_fail(L, LESSON_EXIT_INPUT, "--data: images of %d x %d x %d; the lesson's networks "
                    "and classifier read 1 x 28 x 28 grey images", test->c, test->h, test->w);
    if (test->n < 2 * N_EVAL)
        lesson_fail(L, LESSON_EXIT_INPUT, "--data: %d test images; this lesson needs %d (half "
                    "to judge, half as the real reference)", test->n, 2 * N_EVAL);
    if (save_samples) {
        if (snprintf(S->lab_path, sizeof S->lab_path, "%s.labels", save_samples) >=
            (int)sizeof S->lab_path)
            lesson_fail(L, LESSON_EXIT_INPUT, "--save-samples: the path is too long");
        trainrun_check_writable(L, "save-samples", save_samples);
        trainrun_check_writable(L, "save-samples", S->lab_path);
    }
    lesson_check(L, nn_dataset_load_mnist(&S->ds, data_dir, NN_SPLIT_TRAIN, &err), &err);
    lesson_check(L, nn_dataset_load_mnist(&S->test, data_dir, NN_SPLIT_TEST, &err), &err);
    if (S->ds.n < batch)
        lesson_fail(L, LESSON_EXIT_INPUT, "--batch %d: the training split holds %d images",
                    batch, S->ds.n);
    judge_check_data(L, L->fast ? S->test.n : S->ds.n);
    S->y = lesson_alloc(L, (size_t)N_EVAL * 784, sizeof(float));
    S->labels = lesson_alloc(L, N_EVAL, sizeof(int));
    S->mask = lesson_alloc(L, (size_t)N_EVAL * 784, sizeof(float));
    p2p_test_images(&S->test, N_EVAL, N_EVAL, S->y, S->labels);
    nn_rng r;
    nn_rng_seed(&r, L->seed, 30);        /* the held-out masks: the same for every model */
    for (int t = 0; t < P2P_TASKS; t++) {
        S->x[t] = lesson_alloc(L, (size_t)N_EVAL * 784 * p2p_in_c((p2p_task)t), sizeof(float));
        p2p_make_inputs((p2p_task)t, S->x[t], S->mask, S->y, N_EVAL, &r);
    }
}

/* ------------------------------------------------------------------ step 1 */

static void two_paired_tasks(lesson *L, i2i *S)
{
    lesson_step(L, "Two paired tasks");
    lesson_say(L,
               "Lesson 15 translated between two piles of images that came with no pairs. "
               "Here every training example is a pair: an input x and the real image y it was "
               "made from. Two tasks on Fashion-MNIST, each a question a pixel loss answers "
               "badly:\n\n"
               "- super-resolution: y averaged over 4 x 4 blocks to 7 x 7 (49 numbers for 784), "
               "blown back up by repeating each pixel. Many sharp images average to the same "
               "7 x 7; the generator must pick one.\n"
               "- inpainting: a %d x %d square of y hidden, at a random place at least %d "
               "pixels from the frame. The generator reads the image with the square greyed "
               "out, and the mask itself as a second channel, so that it can tell a hidden "
               "pixel from a grey one (exercise 32). Only the square is its to make: its "
               "output is pasted into the known image.",
               P2P_HOLE, P2P_HOLE, P2P_MARGIN);
    lesson_code(L, "inputs");
    /* STEP: inputs */
    nn_rng r;
    nn_rng_seed(&r, L->seed, 30);
    float lo[GRID_K * 49], shown[4 * GRID_K * 784], mask[GRID_K * 784];
    memcpy(shown, S->y, sizeof(float) * GRID_K * 784);                  /* y */
    nn_downsample_mean(lo, S->y, GRID_K, 1, 28, 28, 4);                 /* 7 x 7 */
    nn_upsample_nearest(shown + GRID_K * 784, lo, GRID_K, 1, 7, 7, 4);  /* x: blocky */
    nn_resize_bilinear(shown + 2 * GRID_K * 784, 28, 28, lo, GRID_K, 1, 7, 7);
    float two[GRID_K * 2 * 784];
    nn_mask_squares(mask, GRID_K, 28, 28, P2P_HOLE, P2P_MARGIN, &r);
    nn_mask_input(two, S->y, mask, GRID_K, 784);                        /* exercise 32 */
    for (int i = 0; i < GRID_K; i++)                                    /* its first channel */
        memcpy(shown + (3 * GRID_K + i) * 784, two + i * 2 * 784, sizeof(float) * 784);
    /* END STEP */
    static const char *const rows[] = {"real y", "SR input x", "bilinear", "inpainting x"};
    p2p_rows_figure(L, "inputs", "held-out test images: the real image, the super-resolution "
                    "input (7 x 7 blown up), bilinear upscaling of the 7 x 7, the inpainting "
                    "input (the hidden square grey)", shown, rows, 4, GRID_K);
}

/* ------------------------------------------------------------------ step 2 */

static void a_u_net(lesson *L)
{
    nn_error err;
    lesson_step(L, "A U-Net: skips for pixel-aligned work");
    lesson_say(L,
               "The generator is a U-Net (Ronneberger et al. 2015), as in Pix2Pix: an encoder "
               "halves the image three times (28 -> 14 -> 7 -> 4, %d, %d and %d channels), a "
               "decoder brings it back, and at 14 x 14 and 7 x 7 a skip connection hands the "
               "encoder's maps across, concatenated after the decoder's own channels "
               "(exercise 31). In both tasks the output is the input, corrected: an outline "
               "that is already there, blurred or cut, has to come out in the same place. "
               "Without skips every detail must squeeze through the 4 x 4 bottleneck and be "
               "redrawn from it; with them it can go straight across. On the way back the "
               "gradient splits where the maps were joined: the decoder's channels go on down "
               "the decoder, the skip's go back to the encoder level they came from, where "
               "they are added to what that level gets from the level above (a tensor used "
               "twice gets the sum of both gradients).",
               g_channels, 2 * g_channels, 4 * g_channels);
    lesson_code(L, "unet");
    /* STEP: unet */
    nn_unet_config c = {.in_c = 1, .h = 28, .w = 28, .ch = g_channels, .skips = 1,
                        .max_batch = 1};
    nn_unet *with = nn_unet_create(&c, &err);
    c.skips = 0;
    nn_unet *without = nn_unet_create(&c, &err);
    /* END STEP */
    if (!with || !without) {
        nn_unet_free(with);
        lesson_check(L, err.code, &err);
    }
    for (int k = 0; k < NN_UNET_LEVELS; k++)
        lesson_print(L, "level %d: %3d channels of %2d pixels; its decoder reads %4d features "
                     "with skips, %4d without\n", k, with->c[k], with->hw[k],
                     with->dec[k]->in, without->dec[k]->in);
    lesson_print(L, "parameters: %zu with skips, %zu without\n", nn_unet_param_count(with),
                 nn_unet_param_count(without));
    lesson_key(L, "unet_params", "%zu", nn_unet_param_count(with));
    nn_unet_free(with);
    nn_unet_free(without);
}

/* ------------------------------------------------------------------ step 3 */

static void a_judge_of_pairs(lesson *L)
{
    nn_error err;
    lesson_step(L, "A judge of pairs, and the loss");
    lesson_say(L,
               "The discriminator reads the pair: the input x and an output (the real y or "
               "the generator's) side by side as channels. It asks \"is this a real output "
               "for this input?\", so an output that is a fine shoe but not the shoe the 7 x 7 "
               "shows is caught. It is a PatchGAN: three convolutions give a 7 x 7 map of "
               "scores, each reading only a patch of the pair, a judge of local texture and "
               "edges. Every score counts as one sample of the usual loss (lesson 05). The "
               "generator's loss adds the L1 distance to y, weighted lambda = %g here (the "
               "paper: 100):\n\n"
               LESSON_MATH("L_G = \\mathbb{E}\\left[-\\log D(x, G(x))\\right] + \\lambda \\, "
                           "\\mathbb{E} \\, \\lVert y - G(x) \\rVert_1",
                           "L_G = mean -log D(x, G(x)) + lambda mean |y - G(x)|") "\n\n"
               "D's own loss is halved, as in the paper, to slow it against G. With lambda "
               "this large the L1 term sets the image and the adversarial term only decides "
               "what L1 leaves open: which of the sharp images that fit x to draw.",
               (double)lambda);
    lesson_code(L, "judge");
    /* STEP: judge */
    nn_model *D = p2prun_patch_judge(1, d_channels, 1, &err);
    /* END STEP */
    if (!D) lesson_check(L, err.code, &err);
    /* Each score's patch: the receptive field of the convolutions. */
    int field = 1, jump = 1;
    for (int i = 0; i < D->n_layers; i++)
        if (D->layers[i].spec.kind == NN_LAYER_CONV2D) {
            field += (D->layers[i].spec.kernel - 1) * jump;
            jump *= D->layers[i].spec.stride;
        }
    lesson_print(L, "D: %d features in (2 x 28 x 28), %d scores out (a %d x %d map), each "
                 "reading a %d x %d patch; %zu parameters\n", D->in, D->out, D->layers[D->n_layers - 1].out_h,
                 D->layers[D->n_layers - 1].out_w, field, field, nn_model_param_count(D));
    lesson_key(L, "patch_side", "%d", field);
    nn_model_free(D);
}

/* ------------------------------------------------------------------ step 4 */

static void training_from_one_seed(lesson *L, i2i *S)
{
    lesson_step(L, "Training, from one seed");
    snprintf(S->low_label, sizeof S->low_label, "L1 + GAN, lambda %g", (double)lambda / 10.0);
    const p2prun_setup set = {.steps = steps, .batch = batch, .g_ch = g_channels,
                              .d_ch = d_channels, .lambda = lambda, .lr = lr};
    lesson_say(L,
               "%d runs of %d steps of %d pairs, Adam at %g (betas 0.5, 0.999, the rate "
               "falling to 0 over the second half, as the paper). For each task, \"L1 only\" "
               "and \"L1 + GAN\" start from the same U-Net weights and see the same pairs in "
               "the same order: what differs is the adversarial term alone. Super-resolution "
               "also trains L1 + GAN with lambda %g (the GAN term ten times heavier), and both "
               "without the U-Net's skips. The runs share out over %d worker threads.",
               N_RUNS, steps, batch, (double)lr, (double)lambda / 10.0, jobs);
    lesson_code(L, "train");
    /* STEP: train */
    p2prun_build(L, &S->runs[SR_L1], P2P_SR, 0, 1, "L1 only", &set, &S->ds, L->seed);
    p2prun_build(L, &S->runs[SR_GAN], P2P_SR, 1, 1, "L1 + GAN", &set, &S->ds, L->seed);
    p2prun_setup low = set;
    low.lambda = lambda / 10.0f;                     /* more weight on the GAN term */
    p2prun_build(L, &S->runs[SR_GAN_LOW], P2P_SR, 1, 1, S->low_label, &low, &S->ds, L->seed);
    p2prun_build(L, &S->runs[SR_GAN_NOSKIP], P2P_SR, 1, 0, "L1 + GAN, no skips", &set, &S->ds,
                 L->seed);
    p2prun_build(L, &S->runs[SR_L1_NOSKIP], P2P_SR, 0, 0, "L1 only, no skips", &set, &S->ds,
                 L->seed);
    p2prun_build(L, &S->runs[IN_L1], P2P_INPAINT, 0, 1, "L1 only", &set, &S->ds, L->seed);
    p2prun_build(L, &S->runs[IN_GAN], P2P_INPAINT, 1, 1, "L1 + GAN", &set, &S->ds, L->seed);
    p2prun_train_all(L, S->runs, N_RUNS, jobs);
    /* END STEP */
    lesson_print(L, "%-17s %-20s %8s %14s %12s\n", "task", "run", "seconds", "L1 term (end)",
                 "D(real) D(fake)");
    static const int order[N_RUNS] = {SR_L1, SR_GAN, SR_GAN_LOW, SR_L1_NOSKIP, SR_GAN_NOSKIP,
                                      IN_L1, IN_GAN};
    for (int i = 0; i < N_RUNS; i++) {
        const p2prun *r = &S->runs[order[i]];
        int tail = steps < 200 ? steps : 200;
        lesson_print(L, "%-17s %-20s %8.1f %14.3f", p2p_task_name(r->task), r->label, r->secs,
                     p2prun_tail_mean(r->l1, r->done, tail));
        if (r->adversarial)
            lesson_print(L, "   %.2f    %.2f\n", p2prun_tail_mean(r->d_real, r->done, tail),
                         p2prun_tail_mean(r->d_fake, r->done, tail));
        else
            lesson_print(L, "   (no D)\n");
    }
    /* The L1 term of the two super-resolution runs with skips, smoothed. */
    const int n = (int)S->runs[SR_L1].done, w = n >= 100 ? 50 : 1;
    float *xs = lesson_alloc(L, (size_t)n, sizeof(float)), *a = lesson_alloc(L, (size_t)n, sizeof(float));
    float *b = lesson_alloc(L, (size_t)n, sizeof(float));
    for (int s = 0; s < n; s++) {
        xs[s] = (float)(s + 1);
        a[s] = (float)p2prun_tail_mean(S->runs[SR_L1].l1, s + 1, w);
        b[s] = (float)p2prun_tail_mean(S->runs[SR_GAN].l1, s + 1, w);
    }
    const float *ys[2] = {a, b};
    static const char *const names[2] = {"L1 only", "L1 + GAN"};
    char title[128];
    snprintf(title, sizeof title, "super-resolution: the L1 term during training%s",
             w > 1 ? " (mean of the last 50 steps)" : "");
    lines_figure_show(L, "sr_l1_term", title, "step", "lambda mean |G(x) - y|", xs, ys, names, 2,
                      n, 1);
    nn_free(xs);
    nn_free(a);
    nn_free(b);
    const int tail = n < 200 ? n : 200;
    const double e_l1 = p2prun_tail_mean(S->runs[SR_L1].l1, n, tail);
    const double e_gan = p2prun_tail_mean(S->runs[SR_GAN].l1, n, tail);
    if (L->fast)
        lesson_say(L, "A --fast run stops after %d steps, long before either curve settles.",
                   n);
    else if (e_gan > e_l1)
        lesson_say(L, "On its training batches the L1 + GAN run ends with the larger L1 term "
                   "(%.2f against %.2f over the last %d steps): the adversarial term pulls its "
                   "outputs away from the per-pixel median the L1 term alone settles on.",
                   e_gan, e_l1, tail);
    else
        lesson_say(L, "On its training batches the L1 + GAN run ends with an L1 term no larger "
                   "than L1 alone's (%.2f against %.2f over the last %d steps): in this run the "
                   "adversarial term has not pulled its outputs away from the per-pixel median.",
                   e_gan, e_l1, tail);
}

/* ------------------------------------------------------------------ step 5 */

/* The judge (the lesson classifier and the real side of the Frechet
 * distance) and the real images' own scores: the baseline of every row. */
static void get_the_judge(lesson *L, i2i *S)
{
    nn_error err;
    S->net = classifier_create(256, &err);
    if (!S->net) lesson_check(L, err.code, &err);
    judge_get_classifier(L, S->net, L->fast ? &S->test : &S->ds);
    S->jd = judge_create(L, S->net, &S->test, N_EVAL);
    p2p_score(L, S->jd, S->y, S->y, NULL, S->labels, N_EVAL, &S->real);
}

/* Every run's outputs on the held-out inputs of its task. */
static void translate_all(lesson *L, i2i *S)
{
    for (int i = 0; i < N_RUNS; i++) {
        p2prun *r = &S->runs[i];
        S->out[i] = lesson_alloc(L, (size_t)N_EVAL * 784, sizeof(float));
        p2prun_translate(r, S->out[i], S->x[r->task], S->y,
                             r->task == P2P_INPAINT ? S->mask : NULL, N_EVAL);
    }
}

static void key_task(lesson *L, const char *t, const p2p_scores *l1, const p2p_scores *gan,
                     const p2p_scores *real)
{
    char k[64];
#define KEY(name, fmt, v) (snprintf(k, sizeof k, "%s_%s", t, name), lesson_key(L, k, fmt, v))
    KEY("l1_err_l1only", "%.4f", l1->l1_err);
    KEY("l1_err_gan", "%.4f", gan->l1_err);
    KEY("sharpness_l1only", "%.4f", l1->sharpness);
    KEY("sharpness_gan", "%.4f", gan->sharpness);
    KEY("sharpness_real", "%.4f", real->sharpness);
    KEY("fd_l1only", "%.2f", l1->fd);
    KEY("fd_gan", "%.2f", gan->fd);
    KEY("class_acc_l1only", "%.3f", l1->class_acc);
    KEY("class_acc_gan", "%.3f", gan->class_acc);
#undef KEY
}

/* The three claims of the question, each said as measured: GAN
 * sharper, GAN closer in Frechet distance, L1 lower in per-pixel error. */
static void say_the_verdict(lesson *L, const char *task, const p2p_scores *l1,
                            const p2p_scores *gan, const p2p_scores *real)
{
    if (L->fast) {
        lesson_say(L, "A --fast run trains %d steps: far too short for either model to learn "
                   "the task, so these numbers say nothing about L1 against L1 + GAN; they "
                   "check that the code runs.", steps);
        return;
    }
    const int sharper = gan->sharpness > l1->sharpness, closer = gan->fd < l1->fd;
    const int l1_lower = l1->l1_err < gan->l1_err;
    /* How much of the sharpness L1 alone loses against the real images the
     * adversarial term wins back. */
    const double lost = real->sharpness - l1->sharpness;
    const double back = lost > 0.0 ? 100.0 * (gan->sharpness - l1->sharpness) / lost : NAN;
    char sharp_text[160];
    if (!sharper)
        snprintf(sharp_text, sizeof sharp_text, "in this run the adversarial term did not "
                 "sharpen the images");
    else if (gan->sharpness < real->sharpness)
        snprintf(sharp_text, sizeof sharp_text, "the adversarial term wins back %.0f%% of the "
                 "sharpness L1 alone loses against the real images", back);
    else
        snprintf(sharp_text, sizeof sharp_text, "the adversarial term makes the images as "
                 "sharp as the real ones or sharper (some of that edge is invented)");
    lesson_say(L,
               "%s, on %d held-out test images. Sharpness: real images %.4f, L1 only %.4f, "
               "L1 + GAN %.4f: %s. Frechet distance (real test images themselves score %.2f "
               "against the reference set): L1 only %.2f, L1 + GAN %.2f: %s. Per-pixel error: "
               "L1 only %.4f, L1 + GAN %.4f: %s.",
               task, N_EVAL, real->sharpness, l1->sharpness, gan->sharpness, sharp_text,
               real->fd, l1->fd, gan->fd,
               closer ? "the GAN's outputs are nearer the real images as a set"
                      : "in this run the GAN's outputs are not nearer the real images as a set",
               l1->l1_err, gan->l1_err,
               l1_lower ? "L1 alone is closer pixel by pixel, as it must be: it predicts the "
                          "median of the images that fit the input, the value with the least "
                          "expected error, and a blur is what a median of edges looks like"
                        : "here L1 + GAN is closer pixel by pixel too, which the median "
                          "argument says should not hold at convergence: L1 alone has not "
                          "converged (more --steps)");
}

/* Bilinear upscaling of the held-out 7 x 7 images: a smoother floor than
 * the blocky input. */
static void score_bilinear(lesson *L, i2i *S)
{
    float lo[49];
    float *bl = lesson_alloc(L, (size_t)N_EVAL * 784, sizeof(float));
    for (int i = 0; i < N_EVAL; i++) {
        nn_downsample_mean(lo, S->y + (size_t)i * 784, 1, 1, 28, 28, P2P_FACTOR);
        nn_resize_bilinear(bl + (size_t)i * 784, 28, 28, lo, 1, 1, 7, 7);
    }
    p2p_score(L, S->jd, bl, S->y, NULL, S->labels, N_EVAL, &S->bilinear);
    nn_free(bl);
}

static void super_resolution_judged(lesson *L, i2i *S)
{
    lesson_step(L, "Super-resolution, judged on held-out images");
    lesson_say(L,
               "The judge is the course's: lesson 13's sharpness (the mean squared difference "
               "of neighbouring pixels), the lesson classifier's Frechet distance to %d other "
               "real test images (lesson 14) and how often the classifier names the real "
               "image's class in the output. The per-pixel error is the mean |output - real| "
               "with pixels in [0, 1]. Beside the models: plain upscaling (nearest neighbour, "
               "which is the input itself, and bilinear) and the real images.", N_EVAL);
    get_the_judge(L, S);
    translate_all(L, S);
    lesson_code(L, "sr_scores");
    /* STEP: sr_scores */
    p2p_score(L, S->jd, S->x[P2P_SR], S->y, NULL, S->labels, N_EVAL, &S->nearest);
    p2p_score(L, S->jd, S->out[SR_L1], S->y, NULL, S->labels, N_EVAL, &S->sc[SR_L1]);
    p2p_score(L, S->jd, S->out[SR_GAN], S->y, NULL, S->labels, N_EVAL, &S->sc[SR_GAN]);
    /* END STEP */
    score_bilinear(L, S);
    const char *names[] = {"nearest (the input)", "bilinear", "L1 only", "L1 + GAN",
                           "real test images"};
    p2p_scores rows[] = {S->nearest, S->bilinear, S->sc[SR_L1], S->sc[SR_GAN], S->real};
    p2p_table(L, names, rows, 5);
    key_task(L, "sr", &S->sc[SR_L1], &S->sc[SR_GAN], &S->real);
    lesson_key(L, "sr_l1_err_bilinear", "%.4f", S->bilinear.l1_err);
    lesson_key(L, "real_class_acc", "%.3f", S->real.class_acc);
    lesson_key(L, "real_fd_floor", "%.2f", S->real.fd);

    float shown[4 * GRID_K * 784];
    const float *src[4] = {S->x[P2P_SR], S->out[SR_L1], S->out[SR_GAN], S->y};
    for (int r = 0; r < 4; r++) memcpy(shown + r * GRID_K * 784, src[r], sizeof(float) * GRID_K * 784);
    static const char *const rows_n[] = {"input", "L1 only", "L1 + GAN", "real"};
    p2p_rows_figure(L, "sr_grid", "super-resolution of held-out test images: the input, L1 "
                    "only, L1 + GAN, the real image", shown, rows_n, 4, GRID_K);
    say_the_verdict(L, "Super-resolution", &S->sc[SR_L1], &S->sc[SR_GAN], &S->real);
    if (!L->fast) {
        const double acc = S->sc[SR_GAN].class_acc;
        lesson_say(L, "The classifier names the real image's class in %.1f%% of L1 + GAN's "
                   "outputs (L1 only: %.1f%%, the blocky input: %.1f%%; on the real images "
                   "themselves it is right %.1f%% of the time). %s",
                   100 * acc, 100 * S->sc[SR_L1].class_acc, 100 * S->nearest.class_acc,
                   100 * S->real.class_acc,
                   acc >= 0.8 ? "The GAN's sharper images keep the class of the image they came "
                                "from: it draws detail that fits the input, not any clothes."
                              : "Below 80%: in this run the sharp detail the GAN draws loses the "
                                "class of the input too often.");
    }
    if (save_samples) {
        nn_error err;
        nn_status s1 = trainrun_write_idx(save_samples, S->out[SR_GAN], N_EVAL, 28, 28, &err);
        nn_status s2 = s1 == NN_OK ? trainrun_write_idx_labels(S->lab_path, S->labels, N_EVAL,
                                                               &err) : s1;
        if (s2 != NN_OK) {
            remove(save_samples);
            remove(S->lab_path);
            lesson_check(L, s2, &err);
        }
        lesson_print(L, "--save-samples: %d super-resolved held-out images -> %s, their "
                     "classes -> %s\n", N_EVAL, save_samples, S->lab_path);
    }
}

/* ------------------------------------------------------------------ step 6 */

/* The inpainting floor: the hole left as the generator reads it, grey. */
static void score_grey_hole(lesson *L, i2i *S)
{
    float *g = lesson_alloc(L, (size_t)N_EVAL * 784, sizeof(float));
    for (int i = 0; i < N_EVAL; i++)
        memcpy(g + (size_t)i * 784, S->x[P2P_INPAINT] + (size_t)i * 2 * 784, 784 * sizeof(float));
    p2p_score(L, S->jd, g, S->y, S->mask, S->labels, N_EVAL, &S->grey);
    nn_free(g);
}

static void inpainting_judged(lesson *L, i2i *S)
{
    lesson_step(L, "Inpainting, judged on held-out images");
    lesson_say(L,
               "The same judge on the same %d held-out images, each with its own hidden "
               "square (the same squares for every model). Only the square is the model's: "
               "the per-pixel error and the sharpness are measured inside it (the sharpness "
               "of the %d x %d crop), the Frechet distance and the class on the whole pasted "
               "image. The floor: the square left grey, as the generator reads it.",
               N_EVAL, P2P_HOLE, P2P_HOLE);
    lesson_code(L, "inpaint_scores");
    /* STEP: inpaint_scores */
    p2p_score(L, S->jd, S->out[IN_L1], S->y, S->mask, S->labels, N_EVAL, &S->sc[IN_L1]);
    p2p_score(L, S->jd, S->out[IN_GAN], S->y, S->mask, S->labels, N_EVAL, &S->sc[IN_GAN]);
    /* END STEP */
    score_grey_hole(L, S);
    p2p_scores real_in;
    p2p_score(L, S->jd, S->y, S->y, S->mask, S->labels, N_EVAL, &real_in);
    const char *names[] = {"the square grey (the input)", "L1 only", "L1 + GAN",
                           "real test images"};
    p2p_scores rows[] = {S->grey, S->sc[IN_L1], S->sc[IN_GAN], real_in};
    p2p_table(L, names, rows, 4);
    key_task(L, "inpaint", &S->sc[IN_L1], &S->sc[IN_GAN], &real_in);

    float shown[4 * GRID_K * 784];
    for (int i = 0; i < GRID_K; i++)
        memcpy(shown + i * 784, S->x[P2P_INPAINT] + (size_t)i * 2 * 784, sizeof(float) * 784);
    memcpy(shown + GRID_K * 784, S->out[IN_L1], sizeof(float) * GRID_K * 784);
    memcpy(shown + 2 * GRID_K * 784, S->out[IN_GAN], sizeof(float) * GRID_K * 784);
    memcpy(shown + 3 * GRID_K * 784, S->y, sizeof(float) * GRID_K * 784);
    static const char *const rows_n[] = {"input", "L1 only", "L1 + GAN", "real"};
    p2p_rows_figure(L, "inpaint_grid", "inpainting of held-out test images: the input (the "
                    "square grey), L1 only, L1 + GAN, the real image", shown, rows_n, 4, GRID_K);
    say_the_verdict(L, "Inpainting", &S->sc[IN_L1], &S->sc[IN_GAN], &real_in);
}

/* ------------------------------------------------------------------ step 7 */

/* Whether the three U-Nets with skips lie along the trade: each step from
 * L1 alone to a heavier GAN term buys perception with distortion. */
static void say_the_trade(lesson *L, const i2i *S)
{
    const p2p_scores *a = &S->sc[SR_L1], *b = &S->sc[SR_GAN], *c = &S->sc[SR_GAN_LOW];
    if (a->l1_err < b->l1_err && b->fd < a->fd)
        lesson_say(L, "The two U-Nets trained from one seed sit on the two sides of the trade: "
                   "L1 only has the least distortion (%.4f against %.4f) and L1 + GAN the "
                   "better perception (Frechet %.2f against %.2f). Neither is better; they "
                   "answer different questions. For a measurement (a scan, a reading) the "
                   "least error is what is wanted; for a picture a person looks at, the sharp "
                   "one.", a->l1_err, b->l1_err, b->fd, a->fd);
    else
        lesson_say(L, "In this run the two U-Nets do not show the trade cleanly: L1 only has "
                   "error %.4f and Frechet %.2f, L1 + GAN %.4f and %.2f. The theorem bounds "
                   "what is possible; a short run may sit away from that bound (more "
                   "--steps).", a->l1_err, a->fd, b->l1_err, b->fd);
    if (c->l1_err > b->l1_err && c->fd < b->fd)
        lesson_say(L, "With the GAN term ten times heavier (%s) the run moves further the same "
                   "way: error %.4f, Frechet %.2f, sharpness %.4f.", S->low_label, c->l1_err,
                   c->fd, c->sharpness);
    else if (c->l1_err > b->l1_err)
        lesson_say(L, "With the GAN term ten times heavier (%s) the error rises to %.4f but the "
                   "Frechet distance does not fall (%.2f against %.2f): past a point, more "
                   "weight on the judge buys more error and no more realism by this measure "
                   "(sharpness %.4f against %.4f).", S->low_label, c->l1_err, c->fd, b->fd,
                   c->sharpness, b->sharpness);
    else
        lesson_say(L, "With the GAN term ten times heavier (%s): error %.4f, Frechet %.2f, "
                   "sharpness %.4f; in this run it is not further along the trade than lambda "
                   "%g.", S->low_label, c->l1_err, c->fd, c->sharpness, (double)lambda);
}

static void perception_and_distortion(lesson *L, i2i *S)
{
    lesson_step(L, "The perception-distortion trade-off");
    lesson_say(L,
               "Blau and Michaeli (2018) proved that for a restoration task no method can be "
               "both as close as possible to the true image pixel by pixel (low distortion) "
               "and as close as possible to the real images as a set (good perception): past "
               "a point, one is bought with the other. The least distortion is the mean or "
               "median of all the images that fit the input, which is not itself a "
               "real-looking image; a real-looking image is one of them, drawn, and pays in "
               "error for having picked. Here are this run's super-resolution U-Nets placed "
               "by both (lower is better on each axis; plain upscaling, far off at Frechet "
               "%.0f and %.0f, is left out of the figure; real test images score %.2f, the "
               "distance that sampling alone leaves).", S->nearest.fd, S->bilinear.fd,
               S->real.fd);
    p2p_score(L, S->jd, S->out[SR_GAN_LOW], S->y, NULL, S->labels, N_EVAL, &S->sc[SR_GAN_LOW]);
    p2p_score(L, S->jd, S->out[SR_GAN_NOSKIP], S->y, NULL, S->labels, N_EVAL,
              &S->sc[SR_GAN_NOSKIP]);
    p2p_score(L, S->jd, S->out[SR_L1_NOSKIP], S->y, NULL, S->labels, N_EVAL,
              &S->sc[SR_L1_NOSKIP]);
    const int at[] = {SR_L1, SR_GAN, SR_GAN_LOW, SR_L1_NOSKIP, SR_GAN_NOSKIP};
    const char *names[5];
    p2p_scores rows[5];
    float pts[2 * 5];
    for (int i = 0; i < 5; i++) {
        names[i] = S->runs[at[i]].label;
        rows[i] = S->sc[at[i]];
        pts[2 * i] = (float)rows[i].l1_err;
        pts[2 * i + 1] = (float)rows[i].fd;
    }
    p2p_table(L, names, rows, 3);      /* the runs without skips: the next step */
    lesson_key(L, "sr_l1_err_gan_low_lambda", "%.4f", S->sc[SR_GAN_LOW].l1_err);
    lesson_key(L, "sr_fd_gan_low_lambda", "%.2f", S->sc[SR_GAN_LOW].fd);
    lesson_key(L, "sr_sharpness_gan_low_lambda", "%.4f", S->sc[SR_GAN_LOW].sharpness);
    p2p_tradeoff_figure(L, "perception_distortion", "super-resolution: distortion against "
                        "perception, held-out test images", pts, names, 5);
    if (L->fast) {
        lesson_say(L, "In a --fast run the models have not learnt the task, so where they sit "
                   "shows nothing about the trade-off.");
        return;
    }
    say_the_trade(L, S);
}

/* ------------------------------------------------------------------ step 8 */

static void what_the_skips_carry(lesson *L, i2i *S)
{
    lesson_step(L, "What the skips carry");
    const char *names[] = {"L1 only", "L1 only, no skips", "L1 + GAN", "L1 + GAN, no skips"};
    p2p_scores rows[] = {S->sc[SR_L1], S->sc[SR_L1_NOSKIP], S->sc[SR_GAN],
                         S->sc[SR_GAN_NOSKIP]};
    lesson_say(L, "The same super-resolution runs without the U-Net's skips: every detail of "
               "the output has to come through the %d-channel 4 x 4 bottleneck.",
               4 * g_channels);
    p2p_table(L, names, rows, 4);
    lesson_key(L, "sr_l1_err_l1only_noskip", "%.4f", S->sc[SR_L1_NOSKIP].l1_err);
    lesson_key(L, "sr_l1_err_gan_noskip", "%.4f", S->sc[SR_GAN_NOSKIP].l1_err);
    lesson_key(L, "sr_fd_gan_noskip", "%.2f", S->sc[SR_GAN_NOSKIP].fd);
    float shown[3 * GRID_K * 784];
    memcpy(shown, S->out[SR_GAN_NOSKIP], sizeof(float) * GRID_K * 784);
    memcpy(shown + GRID_K * 784, S->out[SR_GAN], sizeof(float) * GRID_K * 784);
    memcpy(shown + 2 * GRID_K * 784, S->y, sizeof(float) * GRID_K * 784);
    static const char *const rows_n[] = {"no skips", "U-Net", "real"};
    p2p_rows_figure(L, "skips_grid", "L1 + GAN super-resolution without the skips and with "
                    "them, and the real image", shown, rows_n, 3, GRID_K);
    if (L->fast) {
        lesson_say(L, "A --fast run is too short to tell what the skips add.");
        return;
    }
    const double e0 = S->sc[SR_L1_NOSKIP].l1_err, e1 = S->sc[SR_L1].l1_err;
    if (e1 < 0.9 * e0)
        lesson_say(L, "With the skips the L1-only error falls from %.4f to %.4f (%.0f%% less): "
                   "the input's layout reaches the output directly instead of being encoded "
                   "into 4 x 4 maps and redrawn.", e0, e1, 100.0 * (e0 - e1) / e0);
    else if (e1 < e0)
        lesson_say(L, "With the skips the L1-only error falls from %.4f to %.4f, only %.0f%% "
                   "less: at 28 x 28 the bottleneck of %d x 4 x 4 = %d numbers has room for "
                   "most of what the 49 numbers of the input say, so the skips save little "
                   "here. Isola et al. make the same comparison on 256 x 256 images, where the "
                   "bottleneck is far smaller than the image, and there the skips are what "
                   "keeps the detail.", e0, e1, 100.0 * (e0 - e1) / e0,
                   4 * g_channels, 4 * g_channels * 16);
    else
        lesson_say(L, "In this run the skips did not lower the L1-only error (%.4f without, "
                   "%.4f with): at 28 x 28 the bottleneck of %d x 4 x 4 = %d numbers is "
                   "wide enough to carry the 49 numbers of the input, and the skips' "
                   "advantage shows on larger images.", e0, e1, 4 * g_channels,
                   4 * g_channels * 16);
}

/* ------------------------------------------------------------------ step 9 */

static void what_to_take_away(lesson *L)
{
    lesson_step(L, "What to take away");
    if (L->fast)
        lesson_say(L, "This --fast run is far too short to show what follows: it checks that "
                   "the code runs.");
    lesson_say(L,
               "A pixel loss alone answers \"which image is closest on average\", and the "
               "answer is a blur. An adversarial judge of (input, output) pairs answers "
               "\"which image could be real for this input\", and the answer is sharp, at a "
               "price in per-pixel error. Pix2Pix uses both: the L1 term keeps the output on "
               "the input, the GAN term keeps it real. The U-Net's skips carry what the input "
               "already holds straight to the output. Try --lambda 10 (more GAN: sharper, "
               "less faithful?), --lambda 1000, --steps 12000, or --g-channels 16.");
}

/* ------------------------------------------------------------------ the lesson */

int main(int argc, char **argv)
{
    static const lesson_info info = {
        19, "image_to_image", "Paired image-to-image: super-resolution and inpainting",
        "Pix2Pix on Fashion-MNIST: a U-Net generator, a PatchGAN judge of (input, output) "
        "pairs and the L1 term weighted 100, for 4x super-resolution and inpainting; the L1 "
        "term alone against L1 + GAN from one seed, judged on held-out images by per-pixel "
        "error, sharpness, Frechet distance and class: the perception-distortion trade-off.",
        19};
    lesson *L = lesson_begin(argc, argv, &info, flags, LESSON_NFLAGS(flags));
    lesson_use_threads(0);
    double t_start = lesson_seconds();
    i2i S;
    memset(&S, 0, sizeof S);
    set_up(L, &S);

    two_paired_tasks(L, &S);
    a_u_net(L);
    a_judge_of_pairs(L);
    training_from_one_seed(L, &S);
    super_resolution_judged(L, &S);
    inpainting_judged(L, &S);
    perception_and_distortion(L, &S);
    what_the_skips_carry(L, &S);
    what_to_take_away(L);

    lesson_key(L, "wall_s", "%.1f", lesson_seconds() - t_start);
    for (int i = 0; i < N_RUNS; i++) {
        p2prun_free(&S.runs[i]);
        nn_free(S.out[i]);
    }
    for (int t = 0; t < P2P_TASKS; t++) nn_free(S.x[t]);
    nn_free(S.y);
    nn_free(S.labels);
    nn_free(S.mask);
    judge_free(S.jd);
    nn_model_free(S.net);
    nn_dataset_free(&S.ds);
    nn_dataset_free(&S.test);
    return lesson_end(L);
}
