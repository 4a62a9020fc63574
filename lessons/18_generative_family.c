/* 18_generative_family.c - lesson 18: the generative family beside the GAN.
 *
 * The course questions it answers: what are the GAN's rivals, and where is
 * each one ahead, measured on the same data? A variational autoencoder
 * (lib/gen/vae.h, exercise 28) on Fashion-MNIST, judged as lessons 10 and 13
 * judge their generators (Frechet distance, classes, sharpness) with its
 * latent walk and the KL weight as a switch; a diffusion model
 * (lib/gen/ddpm.h, exercises 29 and 30) and an autoregressive mixture
 * model (lib/gen/armix.h) on lesson 09's ring and grid; and the table the
 * sources argue over, every model on the ring: modes, quality, held-out
 * log-likelihood, training time and what a sample costs.
 *
 * main reads as the lesson's contents: one function per step. The runs and
 * their measures are in lessons/course/: famvae (the VAE on images, its
 * judge and rivals) and famtoy (the 2-D runs on worker threads, their
 * scores and costs), beside lesson 17's flowruns and lesson 09's toyrivals.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "famdiffimg.h"
#include "famtoy.h"
#include "famvae.h"
#include "lesson.h"
#include "nn.h"
#include "trainrun.h"

#define N_JUDGE 1000   /* images of each generator judged */
#define N_FIT 20000    /* points the single Gaussian is fitted to */
#define N_RUNS 8

static int vae_steps = 3000;
static int code_dim = 16;
static float beta_high = 20.0f;
static int switch_steps = 1500;
static int ddpm_steps = 20000;
static int diffusion_T = 100;
static float t_power = 2.0f;
static int image_ddpm_steps = 3000;
static int image_ddpm_hidden = 512;
static int ar_steps = 6000;
static int heldout = 5000;
static int jobs = 2;
static const char *save_samples = NULL;
static const char *save_points = NULL;
static const char *data_dir = NULL;

static const lesson_flag flags[] = {
    {"vae-steps", LESSON_INT, &vae_steps, "Adam steps of the VAE on Fashion-MNIST (64 images "
     "each)", 10, 1e6, NULL},
    {"code", LESSON_INT, &code_dim, "width of the VAE's code z", 1, 256, NULL},
    {"beta-high", LESSON_FLOAT, &beta_high, "the large KL weight of the switch (step 5)", 1,
     1000, NULL},
    {"switch-steps", LESSON_INT, &switch_steps, "Adam steps of each VAE of the switch", 10, 1e6,
     NULL},
    {"ddpm-steps", LESSON_INT, &ddpm_steps, "Adam steps of each diffusion model", 10, 1e6, NULL},
    {"diffusion-steps", LESSON_INT, &diffusion_T, "T, the diffusion model's noising steps (the "
     "schedule is stretched to fit)", 2, 4000, NULL},
    {"t-power", LESSON_FLOAT, &t_power, "training draws t = 1 + T u^p (1: uniform, as Ho et "
     "al.)", 1, 10, NULL},
    {"image-ddpm-steps", LESSON_INT, &image_ddpm_steps, "Adam steps of the diffusion model on "
     "Fashion-MNIST (128 images each)", 10, 1e6, NULL},
    {"image-ddpm-hidden", LESSON_INT, &image_ddpm_hidden, "width of the hidden layers of the "
     "diffusion model on Fashion-MNIST", 16, 4096, NULL},
    {"ar-steps", LESSON_INT, &ar_steps, "Adam steps of each autoregressive model (and of the "
     "2-D VAE)", 10, 1e6, NULL},
    {"heldout", LESSON_INT, &heldout, "fresh points the log-likelihoods are measured on", 100,
     1e6, NULL},
    {"jobs", LESSON_INT, &jobs, "2-D training runs at once (one per core)", 1, 16, NULL},
    {"save-samples", LESSON_STRING, &save_samples, "write the VAE's judged samples to FILE "
     "(IDX3)", 0, 0, NULL},
    {"save-points", LESSON_STRING, &save_points, "write the diffusion model's ring samples to "
     "FILE (one \"x y\" a line)", 0, 0, NULL},
    {"data", LESSON_STRING, &data_dir, "folder of an MNIST-format data set (default: "
     "Fashion-MNIST)", 0, 0, NULL},
};

/* What the steps share. */
typedef struct {
    nn_dataset ds, test;
    nn_vae_config vc;           /* the image VAE's configuration */
    famvae_run vae;             /* step 2's VAE, beta 1 */
    nn_model *net;              /* the lesson classifier */
    judge *jd;
    double vae_fd, vae_sharp;
    int vae_classes;
    nn_toy sets[2];             /* ring, grid */
    toyrivals rivals;           /* how lesson 09 trains its GANs on the ring */
    famtoy_setup setup;
    famrun runs[N_RUNS];
    int nr;
    famrun *on_ring[FAM_KINDS]; /* the ring's run of each kind */
    famrun *ddpm_grid, *ar_grid;
    float *held[2], *fit[2];
    int n_held;
    double gauss_ll[2], true_ll[2];
} family;

/* ------------------------------------------------------------------ set-up */

static void set_up(lesson *L, family *S)
{
    nn_error err;
    if (save_samples) trainrun_check_writable(L, "save-samples", save_samples);
    if (save_points) trainrun_check_writable(L, "save-points", save_points);
    lesson_check(L, nn_dataset_load_mnist(&S->ds, data_dir, NN_SPLIT_TRAIN, &err), &err);
    lesson_check(L, nn_dataset_load_mnist(&S->test, data_dir, NN_SPLIT_TEST, &err), &err);
    if (S->ds.c * S->ds.h * S->ds.w != 784)
        lesson_fail(L, LESSON_EXIT_INPUT, "--data: images of %d x %d x %d; the lesson's VAE and "
                    "classifier read 1 x 28 x 28 grey images", S->ds.c, S->ds.h, S->ds.w);
    if (S->test.n < N_JUDGE)
        lesson_fail(L, LESSON_EXIT_INPUT, "--data: %d test images; this lesson needs %d",
                    S->test.n, N_JUDGE);
    S->vc = nn_vae_config_images();
    S->vc.code = code_dim;
    S->setup = famtoy_defaults(L->fast);
    S->setup.steps[FAM_DDPM] = ddpm_steps;
    S->setup.steps[FAM_AR] = S->setup.steps[FAM_VAE] = ar_steps;
    S->setup.ddpm.T = diffusion_T;
    S->setup.ddpm.t_power = t_power;
    /* Fewer steps, each larger: beta_T T = 10 (0.1 at the default T = 100),
     * bounded by 0.5. */
    S->setup.ddpm.beta_T = fminf(0.5f, 10.0f / (float)diffusion_T);
    S->n_held = heldout;
    if (L->fast) {
        /* A smoke test: every step runs, nothing is meant to converge. */
        vae_steps = switch_steps = 40;
        image_ddpm_steps = 20;
        for (int k = FAM_FLOW; k < FAM_KINDS; k++) S->setup.steps[k] = 60;
        S->n_held = 500;
    }
    lesson_check(L, nn_toy_ring(&S->sets[0], 8, 2.0f, 0.02f, &err), &err);
    lesson_check(L, nn_toy_grid(&S->sets[1], 5, 2.0f, 0.05f, &err), &err);
    for (int d = 0; d < 2; d++) {
        nn_rng hr;
        nn_rng_seed(&hr, L->seed, 5 + (uint64_t)d);
        S->held[d] = lesson_alloc(L, (size_t)S->n_held * 2, sizeof(float));
        nn_toy_sample(&S->sets[d], &hr, S->held[d], NULL, S->n_held);
        S->fit[d] = lesson_alloc(L, (size_t)N_FIT * 2, sizeof(float));
        nn_toy_sample(&S->sets[d], &hr, S->fit[d], NULL, N_FIT);
    }
}

/* ------------------------------------------------------------------ step 1 */

static void the_evidence_lower_bound(lesson *L)
{
    lesson_step(L, "The evidence lower bound");
    lesson_say(L,
               "Lesson 13's autoencoder squeezes an image into a code and back, but its codes "
               "fill an odd-shaped region nobody knows how to sample. A variational "
               "autoencoder (Kingma and Welling 2014) makes the code space a distribution it "
               "can sample: the encoder gives, for each image x, a Gaussian q(z | x) = N(mu, "
               "diag exp(lv)) (a mean and a log-variance per code number), the decoder a "
               "distribution p(x | z) over images, and training pushes every q(z | x) towards "
               "the prior N(0, I). Then z ~ N(0, I), decoded, is a new image.\n\n"
               "It trains by the evidence lower bound, which no model's log-likelihood can be "
               "below:\n\n"
               "  log p(x) >= E_q[log p(x | z)] - KL(q(z | x) || N(0, I)) = ELBO(x)\n\n"
               "The first term is the reconstruction (here -log of independent Bernoulli "
               "pixels, a cross-entropy summed over the 784 pixels), the second how far the "
               "code's Gaussian strays from the prior. Two tricks make it trainable. The "
               "expectation is estimated with one z per image, drawn as z = mu + exp(lv / 2) "
               "eps with eps ~ N(0, I): the reparameterisation, which makes z a smooth "
               "function of mu and lv so that gradients pass through the draw (exercise 28). "
               "And the KL of two Gaussians needs no sampling at all (exercise 28):\n\n"
               "  KL = 1/2 sum_j (mu_j^2 + exp(lv_j) - 1 - lv_j)\n\n"
               "The cell checks the closed form against the average of log q(z) - log p(z) "
               "over draws of z, the definition of the KL.");
    lesson_code(L, "kl");
    /* STEP: kl */
    const float mu[2] = {1.0f, -0.5f}, lv[2] = {-1.0f, 0.5f};
    float kl = nn_gauss_kl(NULL, NULL, mu, lv, 1, 2);        /* the closed form */
    nn_rng r;
    nn_rng_seed(&r, L->seed, 1);
    double mc = 0.0;
    const int draws = 200000;
    for (int i = 0; i < draws; i++)
        for (int j = 0; j < 2; j++) {
            float eps = nn_rng_normal(&r), z;
            nn_reparam_forward(&z, &mu[j], &lv[j], &eps, 1); /* z = mu + sigma eps */
            /* log q(z) - log p(z), the 1/2 log 2 pi cancelling */
            mc += -0.5 * lv[j] - 0.5 * (double)eps * eps + 0.5 * (double)z * z;
        }
    mc /= draws;
    /* END STEP */
    lesson_print(L, "closed form: KL = %.5f;  mean of log q - log p over %d draws: %.5f\n",
                 (double)kl, draws, mc);
    lesson_key(L, "kl_closed_form", "%.5f", (double)kl);
    lesson_key(L, "kl_monte_carlo", "%.5f", mc);
}

/* ------------------------------------------------------------------ step 2 */

static void a_vae_on_fashion_mnist(lesson *L, family *S)
{
    lesson_step(L, "A VAE on Fashion-MNIST");
    lesson_say(L,
               "The VAE here: an encoder 784 -> %d -> (%d means, %d log-variances) and a "
               "decoder %d -> %d -> 784 pixel logits, ReLU, trained by Adam at %g (decaying "
               "to 2%%) on %d batches of %d training images with pixels in [0, 1], the KL "
               "weighted 1 (the ELBO itself). Then %d samples z ~ N(0, I), decoded to the "
               "decoder's mean (each pixel's probability; drawing the pixels' coins too "
               "would only add salt-and-pepper noise), are judged as lessons 10 and 14 judge "
               "a generator: the Frechet distance of the lesson classifier's features to %d "
               "test images' (lower is closer), and the classes that get at least 1 in %d of "
               "the samples.",
               S->vc.hidden, S->vc.code, S->vc.code, S->vc.code, S->vc.hidden,
               (double)S->vc.opt.lr, vae_steps, S->vc.max_batch, N_JUDGE, N_JUDGE,
               JUDGE_CLASS_SHARE);
    lesson_code(L, "vae_train");
    /* STEP: vae_train */
    famvae_train(L, &S->vae, &S->ds, &S->vc, vae_steps, L->seed, "VAE");
    /* END STEP */
    if (S->vae.diverged_at >= 0)
        lesson_fail(L, LESSON_EXIT_INTERNAL, "the VAE's loss stopped being a number in step %d; "
                    "try fewer --code numbers", S->vae.diverged_at + 1);
    lesson_print(L, "%d steps in %.1f s; the last 200 steps' mean: reconstruction %.1f nats, "
                 "KL %.2f nats, ELBO %.1f nats an image\n", vae_steps, S->vae.secs,
                 (double)S->vae.last.recon, (double)S->vae.last.kl,
                 -(double)(S->vae.last.recon + S->vae.last.kl));
    lesson_key_quiet(L, "vae_images_train_s", "%.1f", S->vae.secs);
}

/* ------------------------------------------------------------------ step 3 */

static void judging_its_samples(lesson *L, family *S)
{
    nn_error err;
    lesson_step(L, "Judging its samples");
    lesson_say(L, "The judge is the course's: the lesson classifier (lesson 09's, read from its "
               "checkpoint when it has run beside this lesson, else trained here once and "
               "saved), its hidden features for the Frechet distance, its labels for the "
               "classes covered.");
    S->net = classifier_create(256, &err);
    if (!S->net) lesson_check(L, err.code, &err);
    judge_get_classifier(L, S->net, L->fast ? &S->test : &S->ds);
    S->jd = judge_create(L, S->net, &S->test, N_JUDGE);
    famvae_sample_pm1(S->vae.vae, S->jd->img, N_JUDGE, L->seed);
    S->vae_sharp = nn_sharpness(S->jd->img, N_JUDGE, 28, 28);
    if (save_samples) {
        lesson_check(L, trainrun_write_idx(save_samples, S->jd->img, N_JUDGE, 28, 28, &err),
                     &err);
        lesson_print(L, "--save-samples: %d samples in %s\n", N_JUDGE, save_samples);
    }
    nn_grid_opts o = nn_grid_defaults(-1.0f, 1.0f);
    o.rows = o.cols = 8;
    o.scale = 2;
    lesson_check(L, nn_image_write_grid(lesson_path(L, "vae_samples.png"), S->jd->img, 64, 1, 28,
                                        28, &o, &err), &err);
    lesson_figure(L, "vae_samples.png", "64 samples of the VAE: z ~ N(0, I), decoded");
    S->vae_fd = famvae_judge(L, S->jd, &S->vae_classes);
    lesson_key(L, "vae_fd", "%.2f", S->vae_fd);
    lesson_key(L, "vae_classes_covered", "%d", S->vae_classes);
    if (L->fast)
        lesson_say(L, "A --fast run trains the VAE for %d steps: far too short to show "
                   "recognisable clothes; the numbers only check that the code runs.",
                   vae_steps);
    else if (S->vae_classes == CLASSIFIER_CLASSES)
        lesson_say(L, "The samples cover all %d classes: the KL term keeps every region of the "
                   "prior decoding to something, so no kind of clothing is left out (a GAN's "
                   "generator has no such pull, lesson 09).", CLASSIFIER_CLASSES);
    else
        lesson_say(L, "The samples cover %d of %d classes: in this run the decoder has not "
                   "learnt every kind of clothing well enough for the classifier to name it "
                   "(more --vae-steps).", S->vae_classes, CLASSIFIER_CLASSES);
}

/* ------------------------------------------------------------------ step 4 */

static void blurrier_than_a_gan(lesson *L, family *S)
{
    lesson_step(L, "Blurrier than a GAN, and a smooth code space");
    float *img = lesson_alloc(L, (size_t)N_JUDGE * 784, sizeof(float));
    for (int i = 0; i < N_JUDGE; i++)
        for (int p = 0; p < 784; p++)
            img[(size_t)i * 784 + p] = S->test.pixels[(size_t)i * 784 + p] / 127.5f - 1.0f;
    double real = nn_sharpness(img, N_JUDGE, 28, 28), ae = NAN, dcgan = NAN;
    int have_dcgan = famvae_dcgan_samples(L, img, N_JUDGE, L->seed);
    if (have_dcgan) dcgan = nn_sharpness(img, N_JUDGE, 28, 28);
    int have_ae = famvae_sibling_key(L, "13_autoencoder", "sharpness_ae", &ae);
    nn_free(img);
    lesson_say(L,
               "Lesson 13's sharpness measure (the mean squared difference of neighbouring "
               "pixels, images in [-1, 1]) on %d images of each kind. The VAE's decoder gives "
               "each pixel's probability, the average over the images its code could stand "
               "for, and an average of images is a blurred image. Beside it: real test "
               "images, lesson 13's autoencoder decoding random codes (read from its "
               "summary.tsv) and lesson 10's DCGAN (its samples from the G.ckpt it leaves), "
               "where those lessons have run beside this one.", N_JUDGE);
    lesson_print(L, "%-34s %10s\n", "images", "sharpness");
    lesson_print(L, "%-34s %10.4f\n", "real test images", real);
    lesson_print(L, "%-34s %10.4f\n", "the VAE's samples", S->vae_sharp);
    if (have_ae) lesson_print(L, "%-34s %10.4f\n", "lesson 13's autoencoder", ae);
    else lesson_print(L, "%-34s %10s\n", "lesson 13's autoencoder", "not run");
    if (have_dcgan) lesson_print(L, "%-34s %10.4f\n", "lesson 10's DCGAN", dcgan);
    else lesson_print(L, "%-34s %10s\n", "lesson 10's DCGAN", "not run");
    lesson_key(L, "vae_sharpness", "%.4f", S->vae_sharp);
    lesson_key_quiet(L, "real_sharpness", "%.4f", real);
    if (have_ae) lesson_key_quiet(L, "ae_sharpness", "%.4f", ae);
    if (have_dcgan) lesson_key_quiet(L, "dcgan_sharpness", "%.4f", dcgan);
    if (L->fast)
        lesson_say(L, "A --fast run is too short to show how blurred a trained VAE's "
                   "samples are, and reads no other lesson's results.");
    else if (have_dcgan && S->vae_sharp < dcgan)
        lesson_say(L, "The VAE's samples have %.0f%% of the DCGAN's sharpness and %.0f%% of "
                   "real images': the price of its likelihood-style loss, which pays for "
                   "hedging between images, where the GAN's discriminator punishes any image "
                   "that looks unlike a real one.", 100.0 * S->vae_sharp / dcgan,
                   100.0 * S->vae_sharp / real);
    else if (have_dcgan)
        lesson_say(L, "In this run the VAE's samples are not blurrier than the DCGAN's by this "
                   "measure (%.4f against %.4f).", S->vae_sharp, dcgan);
    else
        lesson_say(L, "Lesson 10 has not run beside this lesson (make lesson N=10), so there "
                   "are no DCGAN samples to compare; against real images the VAE keeps %.0f%% "
                   "of the sharpness.", 100.0 * S->vae_sharp / real);
    lesson_say(L, "What the VAE buys with the blur is a code space that is smooth all over: "
               "the KL term packs the codes of all images around the origin, so the straight "
               "line between two images' codes passes through codes that decode to "
               "images too. Each row below joins the codes of two test images of different "
               "classes.");
    famvae_walk(L, S->vae.vae, &S->test);
}

/* ------------------------------------------------------------------ step 5 */

static void the_kl_weight_as_a_switch(lesson *L, family *S)
{
    lesson_step(L, "The KL weight as a switch");
    const float betas[3] = {0.0f, 1.0f, beta_high};
    lesson_say(L,
               "Weight the KL term by beta: loss = reconstruction + beta KL. At beta = 0 "
               "nothing pulls q(z | x) to the prior: the VAE is an autoencoder with noisy "
               "codes, free to put them anywhere, and z ~ N(0, I) may decode to nothing "
               "like clothing. At large beta the KL wins: q(z | x) collapses onto the prior "
               "for every image, the code carries little about x, and every sample is close "
               "to the average image. Three VAEs, beta %g, %g and %g, %d steps each (the "
               "same batches), judged as in step 3.",
               (double)betas[0], (double)betas[1], (double)betas[2], switch_steps);
    double fd[3], sharp[3];
    int cls[3];
    famvae_run runs[3];
    for (int b = 0; b < 3; b++) {
        nn_vae_config c = S->vc;
        c.beta = betas[b];
        char label[32];
        snprintf(label, sizeof label, "VAE, beta %g", (double)betas[b]);
        famvae_train(L, &runs[b], &S->ds, &c, switch_steps, L->seed, label);
        famvae_sample_pm1(runs[b].vae, S->jd->img, N_JUDGE, L->seed);
        sharp[b] = nn_sharpness(S->jd->img, N_JUDGE, 28, 28);
        fd[b] = famvae_judge(L, S->jd, &cls[b]);
        nn_vae_free(runs[b].vae);
    }
    lesson_print(L, "%6s %14s %10s %10s %10s %10s\n", "beta", "reconstruction", "KL", "Frechet",
                 "classes", "sharpness");
    for (int b = 0; b < 3; b++) {
        lesson_print(L, "%6g %14.1f %10.2f %10.2f %10d %10.4f\n", (double)betas[b],
                     (double)runs[b].last.recon, (double)runs[b].last.kl, fd[b], cls[b],
                     sharp[b]);
        char key[48];
        snprintf(key, sizeof key, "switch_beta%g_fd", (double)betas[b]);
        lesson_key_quiet(L, key, "%.2f", fd[b]);
        snprintf(key, sizeof key, "switch_beta%g_kl", (double)betas[b]);
        lesson_key_quiet(L, key, "%.3f", (double)runs[b].last.kl);
    }
    if (L->fast) {
        lesson_say(L, "A --fast run is too short to show what the switch does: the three VAEs "
                   "have barely started.");
        return;
    }
    if (fd[0] > fd[1])
        lesson_say(L, "At beta 0 the samples are further from the test images than at beta 1 "
                   "(Frechet distance %.1f against %.1f), with a KL of %.0f nats: without its "
                   "pull the codes sit far from the prior, and its draws land where no image's "
                   "code is.", fd[0], fd[1], (double)runs[0].last.kl);
    else
        lesson_say(L, "At beta 0 the samples are not further from the test images than at beta "
                   "1 in this run (Frechet distance %.1f against %.1f).", fd[0], fd[1]);
    if (runs[2].last.kl < runs[1].last.kl && runs[2].last.recon > runs[1].last.recon)
        lesson_say(L, "At beta %g the KL falls to %.2f nats and the reconstruction rises from "
                   "%.1f to %.1f nats: the code says less about each image, so the decoder "
                   "draws from a vaguer idea of it; the Frechet distance is %.1f, %s beta 1's.",
                   (double)betas[2], (double)runs[2].last.kl, (double)runs[1].last.recon,
                   (double)runs[2].last.recon, fd[2], fd[2] > fd[1] ? "worse than" : "no worse "
                   "than");
    else
        lesson_say(L, "At beta %g the trade shows less clearly in this run (the table says "
                   "how).", (double)betas[2]);
}

/* ------------------------------------------------------------------ step 6 */

/* The 2-D runs, the longest first so that no worker is left alone with one
 * at the end. */
static void build_runs(lesson *L, family *S)
{
    const nn_toy *ring = &S->sets[0], *grid = &S->sets[1];
    S->rivals = toyrivals_prepare(L, ring);
    const fam_kind order[6] = {FAM_DDPM, FAM_FLOW, FAM_GANFIX, FAM_GAN, FAM_AR, FAM_VAE};
    famtoy_build(L, &S->runs[S->nr], FAM_DDPM, grid, &S->setup, NULL, L->seed + 1);
    S->ddpm_grid = &S->runs[S->nr++];
    for (int i = 0; i < 6; i++) {
        famtoy_build(L, &S->runs[S->nr], order[i], ring, &S->setup, &S->rivals, L->seed);
        S->on_ring[order[i]] = &S->runs[S->nr++];
    }
    famtoy_build(L, &S->runs[S->nr], FAM_AR, grid, &S->setup, NULL, L->seed + 1);
    S->ar_grid = &S->runs[S->nr++];
}

static void diffusion_noise_in_noise_out(lesson *L, family *S)
{
    lesson_step(L, "Diffusion: noise in, noise out");
    const nn_ddpm_config *dc = &S->setup.ddpm;
    lesson_say(L,
               "A diffusion model (Ho et al. 2020, DDPM) learns to undo noise. The forward "
               "process adds Gaussian noise in T = %d small steps, beta_t growing linearly "
               "from %g to %g (Ho et al. use 1000 steps up to 0.02; fewer, larger steps here). "
               "With abar_t the product of the (1 - beta_s) up to t, a noised point is drawn "
               "in one go (exercise 29):\n\n"
               "  x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps,   eps ~ N(0, I)\n\n"
               "A network eps_theta(x_t, t) (%d -> %d -> %d -> %d -> 2, ReLU; t enters as "
               "sines and cosines of %d frequencies) learns to tell the noise from the "
               "point, by the simple loss ||eps - eps_theta(x_t, t)||^2 (exercise 29) at a "
               "random t. Ho et al. draw t uniformly; here t = 1 + floor(T u^%g) with u "
               "uniform, which draws the small t more often: the table below shows how few "
               "steps of noise take a ring point off its mode, and the last steps of "
               "sampling are the ones that must place a sample on one (--t-power 1 is Ho et "
               "al.'s). Sampling starts from x_T ~ N(0, I) and takes the T steps "
               "backwards, each removing the predicted noise and adding a little fresh "
               "noise (exercise 30): T network passes, one after the other, per sample. The "
               "schedule, and what it does to ring points (read back in data units, "
               "x_t / sqrt(abar_t)):",
               dc->T, (double)dc->beta_1, (double)dc->beta_T, 2 + dc->temb, dc->hidden,
               dc->hidden, dc->hidden, dc->temb / 2, (double)dc->t_power);
    build_runs(L, S);
    famtoy_show_schedule(L, S->on_ring[FAM_DDPM]->ddpm, &S->sets[0], L->seed);
    lesson_say(L,
               "Now every 2-D model of this lesson trains, %d at a time on the cores "
               "(--jobs), on fresh points each step: the diffusion model (%d steps) on the "
               "ring and on the grid; on the ring also lesson 17's flow, lesson 09's vanilla "
               "GAN and its best fix (lesson 09's presets, %d steps), a VAE of points and the "
               "autoregressive model of step 8 (%d steps each, and the latter on the grid "
               "too).", jobs, S->setup.steps[FAM_DDPM], S->rivals.steps,
               S->setup.steps[FAM_AR]);
    lesson_code(L, "ddpm_train");
    double t0 = lesson_seconds();
    /* STEP: ddpm_train */
    famtoy_train_all(L, S->runs, S->nr, jobs);      /* each: nn_ddpm_train_step, ... */
    /* END STEP */
    lesson_key(L, "train_2d_wall_s", "%.1f", lesson_seconds() - t0);
    for (int i = 0; i < S->nr; i++)
        if (S->runs[i].diverged_at >= 0)
            lesson_fail(L, LESSON_EXIT_INTERNAL, "the %s on the %s diverged in step %d; try a "
                        "lower learning rate", famtoy_label(S->runs[i].kind),
                        S->runs[i].data->name, S->runs[i].diverged_at + 1);
    for (int i = 0; i < S->nr; i++)
        famtoy_measure(L, &S->runs[i], S->held[S->runs[i].data == &S->sets[1]], S->n_held,
                       L->seed);
    lesson_print(L, "%-6s %-18s %8s %10s %10s\n", "data", "model", "modes", "hq share",
                 "train s");
    const famrun *show[2] = {S->on_ring[FAM_DDPM], S->ddpm_grid};
    for (int d = 0; d < 2; d++) {
        const famrun *r = show[d];
        lesson_print(L, "%-6s %-18s %5d/%-2d %10.3f %10.1f\n", r->data->name,
                     famtoy_label(r->kind), r->st.modes_covered, r->data->n_modes,
                     (double)r->st.hq_fraction, r->secs);
        char key[48];
        snprintf(key, sizeof key, "ddpm_%s_modes", r->data->name);
        lesson_key_quiet(L, key, "%d", r->st.modes_covered);
        snprintf(key, sizeof key, "ddpm_%s_hq", r->data->name);
        lesson_key_quiet(L, key, "%.3f", (double)r->st.hq_fraction);
        famtoy_plot_samples(L, r, "samples of the diffusion model: x_T ~ N(0, I), T steps back");
    }
    if (save_points) {
        FILE *f = fopen(save_points, "w");
        if (!f) lesson_fail(L, LESSON_EXIT_INPUT, "--save-points: cannot write %s", save_points);
        for (int i = 0; i < FAMTOY_SAMPLES; i++)
            fprintf(f, "%.6f %.6f\n", (double)show[0]->samples[2 * i],
                    (double)show[0]->samples[2 * i + 1]);
        if (fclose(f) != 0)
            lesson_fail(L, LESSON_EXIT_INPUT, "--save-points: writing %s failed", save_points);
        lesson_print(L, "--save-points: %d ring samples in %s\n", FAMTOY_SAMPLES, save_points);
    }
    if (L->fast) {
        lesson_say(L, "A --fast run trains each model for a few dozen steps: far too short to "
                   "show what a diffusion model learns; the numbers only check that it runs.");
        return;
    }
    for (int d = 0; d < 2; d++) {
        const famrun *r = show[d];
        int all = r->st.modes_covered == r->data->n_modes;
        lesson_say(L, "On the %s the diffusion model covers %d of %d modes with %.0f%% of its "
                   "samples within 3 sigma of a mode%s", r->data->name, r->st.modes_covered,
                   r->data->n_modes, 100.0 * r->st.hq_fraction,
                   all && r->st.hq_fraction >= 0.7f
                       ? ": every mode, and most samples on one."
                       : all ? ": every mode, but many samples still between or around the "
                               "modes (more --ddpm-steps sharpens them)."
                             : ": not every mode in this run.");
    }
}

/* ------------------------------------------------------------------ step 7 */

/* The verdict's words for samples whose Frechet distance is fd, with
 * `classes` covered, beside the VAE's distance (the rival) and noise's (the
 * ceiling). */
static const char *image_verdict(double fd, int classes, double fd_vae, double fd_noise)
{
    if (!isfinite(fd)) return "not images at all: the chain's numbers stopped being finite";
    if (classes == CLASSIFIER_CLASSES && fd <= fd_vae)
        return "recognisable clothes: every class, and as close to the test images as the "
               "VAE's samples or closer";
    if (classes == CLASSIFIER_CLASSES)
        return "recognisable clothes of every class, though further from the test images "
               "than the VAE's samples";
    if (fd < fd_vae)
        return "nearer the test images than the VAE's samples by the Frechet distance, yet "
               "short of every class";
    if (fd < fd_noise)
        return "not recognisable clothes: further from the test images than the VAE's "
               "samples, short of every class, though nearer than noise";
    return "not recognisable clothes: no nearer the test images than noise";
}

static void diffusion_on_fashion_mnist(lesson *L, family *S)
{
    lesson_step(L, "The same diffusion model on Fashion-MNIST");
    nn_ddpm_config c = famdiffimg_config(&S->setup.ddpm, L->fast ? 32 : image_ddpm_hidden, 128);
    lesson_say(L,
               "Nothing in the diffusion model is 2-D: an image of 28 x 28 pixels in [-1, 1] "
               "is a point of 784 numbers, noised and denoised by the same schedule (T = %d) "
               "and the same sampler. Only the network grows: %d -> %d -> %d -> %d -> 784, "
               "with no convolution; and since %d units cannot carry 784 numbers of noise "
               "through, it learns only what a linear guess misses: eps_theta = sqrt(1 - "
               "abar_t) x_t + net(x_t, t). (Ho et al.'s network is a U-Net of 35.7 million "
               "parameters trained for 800,000 steps, their paper's CIFAR-10 setting.) It "
               "trains %d steps of %d images, then %d samples are judged as the VAE's were "
               "in step 3, beside two controls that give the numbers their scale: %d test "
               "images the judge has not seen (the floor) and Gaussian noise (the ceiling).",
               c.T, 784 + c.temb, c.hidden, c.hidden, c.hidden, c.hidden, image_ddpm_steps,
               c.max_batch,
               N_JUDGE, N_JUDGE);
    lesson_code(L, "ddpm_images");
    famdiffimg_run run;
    /* STEP: ddpm_images */
    famdiffimg_train(L, &run, &S->ds, &c, image_ddpm_steps, L->seed);
    famdiffimg_sample_pm1(run.ddpm, S->jd->img, N_JUDGE, L->seed);  /* T passes each */
    /* END STEP */
    if (run.diverged_at >= 0)
        lesson_fail(L, LESSON_EXIT_INTERNAL, "the diffusion model on images diverged in step "
                    "%d; try a lower learning rate", run.diverged_at + 1);
    nn_error err;
    nn_grid_opts o = nn_grid_defaults(-1.0f, 1.0f);
    o.rows = o.cols = 8;
    o.scale = 2;
    lesson_check(L, nn_image_write_grid(lesson_path(L, "ddpm_fashion_samples.png"), S->jd->img,
                                        64, 1, 28, 28, &o, &err), &err);
    lesson_figure(L, "ddpm_fashion_samples.png", "64 samples of the diffusion model on "
                  "Fashion-MNIST: x_T ~ N(0, I), T steps back");
    double sharp = nn_sharpness(S->jd->img, N_JUDGE, 28, 28), fd_real = NAN, fd_noise;
    double real_sharp = NAN;
    int cls, cls_real = 0, cls_noise;
    double fd = famvae_judge(L, S->jd, &cls);
    int have_real = famdiffimg_unseen_real(S->jd->img, &S->test, N_JUDGE);
    if (have_real) {
        real_sharp = nn_sharpness(S->jd->img, N_JUDGE, 28, 28);
        fd_real = famvae_judge(L, S->jd, &cls_real);
    }
    famdiffimg_noise(S->jd->img, N_JUDGE, L->seed);
    double noise_sharp = nn_sharpness(S->jd->img, N_JUDGE, 28, 28);
    fd_noise = famvae_judge(L, S->jd, &cls_noise);
    lesson_print(L, "%d steps in %.1f s; the last 200 steps' mean loss %.4f a pixel\n",
                 image_ddpm_steps, run.secs, (double)run.last_loss);
    lesson_print(L, "%-30s %10s %8s %10s\n", "images", "Frechet", "classes", "sharpness");
    if (have_real)
        lesson_print(L, "%-30s %10.2f %8d %10.4f\n", "unseen test images", fd_real, cls_real,
                     real_sharp);
    lesson_print(L, "%-30s %10.2f %8d %10.4f\n", "the VAE's samples (step 3)", S->vae_fd,
                 S->vae_classes, S->vae_sharp);
    lesson_print(L, "%-30s %10.2f %8d %10.4f\n", "the diffusion model's samples", fd, cls,
                 sharp);
    lesson_print(L, "%-30s %10.2f %8d %10.4f\n", "Gaussian noise, clipped", fd_noise,
                 cls_noise, noise_sharp);
    lesson_key(L, "ddpm_fashion_fd", "%.2f", fd);
    lesson_key(L, "ddpm_fashion_classes_covered", "%d", cls);
    lesson_key_quiet(L, "ddpm_fashion_sharpness", "%.4f", sharp);
    lesson_key_quiet(L, "ddpm_fashion_train_s", "%.1f", run.secs);
    lesson_key_quiet(L, "ddpm_fashion_steps", "%d", image_ddpm_steps);
    if (have_real) lesson_key_quiet(L, "unseen_real_fd", "%.2f", fd_real);
    lesson_key_quiet(L, "noise_fd", "%.2f", fd_noise);
    nn_ddpm_free(run.ddpm);
    if (L->fast) {
        lesson_say(L, "A --fast run trains a narrow network for %d steps: far too short to "
                   "tell whether a diffusion model reaches recognisable clothes in the "
                   "lesson's budget; the numbers only check that the code runs.",
                   image_ddpm_steps);
        return;
    }
    int recognisable = cls == CLASSIFIER_CLASSES;
    /* Where the samples sit between the floor and the ceiling: only with the
     * unseen real images (a --data test set too small to spare them has none). */
    char scale[200] = "";
    if (have_real)
        snprintf(scale, sizeof scale, " and unseen real images' %.1f (%.0f%% of the way from "
                 "real images to noise)", fd_real, 100.0 * (fd - fd_real) / (fd_noise - fd_real));
    char speckle[200];
    if (have_real)
        snprintf(speckle, sizeof speckle, "%.1f times real images' and %.0f%% of noise's: %s",
                 sharp / real_sharp, 100.0 * sharp / noise_sharp,
                 sharp > 2.0 * real_sharp ? "the pixels keep much of the sampler's noise, the "
                                            "grid's speckle."
                                          : "no more speckled than real images.");
    else
        snprintf(speckle, sizeof speckle, "%.0f%% of noise's.", 100.0 * sharp / noise_sharp);
    lesson_say(L, "In %.0f s of training (%d steps), the diffusion model's samples are %s: "
               "Frechet distance %.1f against the VAE's %.1f (trained %.0f s), noise's %.1f%s; "
               "%d of %d classes covered against the VAE's %d. Their sharpness, %.2f, is %s %s",
               run.secs, image_ddpm_steps, image_verdict(fd, cls, S->vae_fd, fd_noise), fd,
               S->vae_fd, S->vae.secs, fd_noise, scale, cls, CLASSIFIER_CLASSES,
               S->vae_classes, sharp, speckle,
               recognisable ? "The model that covers the ring's modes reaches clothes too, "
                              "one number a pixel."
                            : "Within this budget the claim for diffusion models does not "
                              "reach Fashion-MNIST here; --image-ddpm-steps trains it longer.");
}

/* ------------------------------------------------------------------ step 8 */

static void the_chain_rule(lesson *L, family *S)
{
    lesson_step(L, "The chain rule: an autoregressive model");
    const int k = S->setup.ar.k;
    lesson_say(L,
               "Any density of two numbers splits exactly by the chain rule:\n\n"
               "  p(x1, x2) = p(x1) p(x2 | x1)\n\n"
               "An autoregressive model learns each factor as a 1-D density it can "
               "evaluate. Here both are mixtures of %d Gaussians: p(x1)'s weights, means and "
               "log standard deviations are free parameters; p(x2 | x1)'s come out of a "
               "network 1 -> %d -> %d -> %d that reads x1. log p(x) is then exact, a sum of "
               "two log-sum-exps, and training is maximum likelihood, as for lesson 17's flow, "
               "without any invertible map. The held-out log-likelihood on %d fresh points "
               "(higher is better) beside the flow's (ring only), a single Gaussian's fitted "
               "to %d points, and the data's own mixture, the ceiling:",
               k, S->setup.ar.hidden, S->setup.ar.hidden, 3 * k, S->n_held, N_FIT);
    lesson_print(L, "%-6s %14s %14s %14s %14s\n", "data", "autoregressive", "flow",
                 "one Gaussian", "the mixture");
    const famrun *ar[2] = {S->on_ring[FAM_AR], S->ar_grid};
    for (int d = 0; d < 2; d++) {
        S->gauss_ll[d] = famtoy_gauss_ll(S->fit[d], N_FIT, S->held[d], S->n_held);
        S->true_ll[d] = famtoy_true_ll(&S->sets[d], S->held[d], S->n_held);
        char flow[32];
        if (d == 0) snprintf(flow, sizeof flow, "%14.3f", S->on_ring[FAM_FLOW]->ll);
        else snprintf(flow, sizeof flow, "%14s", "-");
        lesson_print(L, "%-6s %14.3f %s %14.3f %14.3f\n", S->sets[d].name, ar[d]->ll, flow,
                     S->gauss_ll[d], S->true_ll[d]);
    }
    lesson_key_quiet(L, "ar_ring_heldout_ll", "%.4f", ar[0]->ll);
    lesson_key_quiet(L, "ar_grid_heldout_ll", "%.4f", ar[1]->ll);
    lesson_key_quiet(L, "gauss_ring_heldout_ll", "%.4f", S->gauss_ll[0]);
    lesson_key_quiet(L, "gauss_grid_heldout_ll", "%.4f", S->gauss_ll[1]);
    lesson_key_quiet(L, "flow_ring_heldout_ll", "%.4f", S->on_ring[FAM_FLOW]->ll);
    lesson_key_quiet(L, "true_ring_heldout_ll", "%.4f", S->true_ll[0]);
    famtoy_plot_samples(L, ar[0], "samples of the autoregressive model: x1, then x2 given x1");
    if (L->fast) {
        lesson_say(L, "A --fast run is too short to rank these likelihoods: a few dozen steps "
                   "of each model.");
    } else {
        double a = ar[0]->ll, f = S->on_ring[FAM_FLOW]->ll, g = S->gauss_ll[0];
        lesson_say(L, "On the ring the autoregressive model's %.3f %s the flow's %.3f and %s "
                   "the single Gaussian's %.3f. %s", a, a > f ? "beats" : "does not beat", f,
                   a > g ? "beats" : "does not beat", g,
                   a > f ? "Two 1-D mixtures can put sharp bumps exactly where the modes "
                           "are; the flow has to bend one Gaussian into eight and leaves "
                           "mass on the bridges between them (lesson 17)."
                         : "In this run the flow's bent Gaussian fits the ring better than "
                           "the two mixtures.");
    }
    lesson_say(L, "The price is in sampling: x2's distribution is known only once x1 is "
               "drawn, so a point takes its coordinates one after the other, one network "
               "pass each. Two are nothing; an image of 784 pixels generated pixel by pixel "
               "(PixelCNN, MADE) takes 784 passes that cannot run side by side.");
}

/* ------------------------------------------------------------------ step 9 */

static void the_table(lesson *L, family *S)
{
    lesson_step(L, "The table the sources argue over");
    lesson_say(L,
               "Every model on the ring, measured the same way: lesson 09's modes covered and "
               "high-quality share on %d samples; the held-out log-likelihood on %d points "
               "where the model has one (exact for the flow and the autoregressive model; "
               "a lower bound for the VAE, its ELBO, and for the diffusion model, Ho et al.'s "
               "variational bound, each with one draw of the noise per point; none for a "
               "GAN, whose samples have no density); the training wall time (runs sharing "
               "the cores, and the machine with whatever else runs on it) and the worker's "
               "CPU time; the network passes a sample needs one after the other; and the "
               "wall and CPU seconds for %d samples on one core.",
               FAMTOY_SAMPLES, S->n_held, FAMTOY_COST_N);
    lesson_print(L, "%-17s %6s %5s %9s %8s %8s %6s %9s %9s\n", "model", "modes", "hq",
                 "held-out", "train s", "cpu s", "passes", "s/1000", "cpu/1000");
    for (int k = 0; k < FAM_KINDS; k++) {
        const famrun *r = S->on_ring[k];
        char ll[32];
        if (isnan(r->ll)) snprintf(ll, sizeof ll, "%9s", "none");
        else snprintf(ll, sizeof ll, "%8.3f%s", r->ll, r->ll_exact ? " " : "b");
        lesson_print(L, "%-17s %4d/%d %5.3f %s %8.1f %8.1f %6d %9.4f %9.4f\n",
                     famtoy_label(r->kind), r->st.modes_covered, r->data->n_modes,
                     (double)r->st.hq_fraction, ll, r->secs, r->cpu_secs, r->passes,
                     r->cost_wall, r->cost_cpu);
        const char *key = famtoy_key(r->kind);
        char name[64];
        if (r->kind != FAM_DDPM) {   /* the diffusion model's are step 6's */
            snprintf(name, sizeof name, "%s_ring_modes", key);
            lesson_key_quiet(L, name, "%d", r->st.modes_covered);
            snprintf(name, sizeof name, "%s_ring_hq", key);
            lesson_key_quiet(L, name, "%.3f", (double)r->st.hq_fraction);
        }
        if (!isnan(r->ll) && !r->ll_exact) {
            snprintf(name, sizeof name, "%s_ring_heldout_bound", key);
            lesson_key_quiet(L, name, "%.4f", r->ll);
        }
        snprintf(name, sizeof name, "%s_ring_train_s", key);
        lesson_key_quiet(L, name, "%.1f", r->secs);
        snprintf(name, sizeof name, "%s_ring_train_cpu_s", key);
        lesson_key_quiet(L, name, "%.1f", r->cpu_secs);
        snprintf(name, sizeof name, "%s_samples_per_s", key);
        lesson_key_quiet(L, name, "%.0f", FAMTOY_COST_N / fmax(r->cost_wall, 1e-9));
        snprintf(name, sizeof name, "%s_samples_per_cpu_s", key);
        lesson_key_quiet(L, name, "%.0f", FAMTOY_COST_N / fmax(r->cost_cpu, 1e-9));
    }
    lesson_print(L, "(b: a lower bound; the data's own mixture scores %.3f, a single Gaussian "
                 "%.3f)\n", S->true_ll[0], S->gauss_ll[0]);
    famtoy_plot_samples(L, S->on_ring[FAM_VAE], "samples of the VAE of points: z ~ N(0, I), "
                        "decoded, plus its N(0, sigma_x^2) noise");
    const famrun *g = S->on_ring[FAM_GAN], *d = S->on_ring[FAM_DDPM];
    double speed = d->cost_cpu / fmax(g->cost_cpu, 1e-9);
    lesson_key(L, "gan_vs_ddpm_sampling_speed", "%.0f", speed);
    if (L->fast)
        lesson_say(L, "A --fast run is far too short to rank the models on anything but the "
                   "cost of a sample, which does not depend on training: every verdict below "
                   "the cost needs a full run.");
    lesson_say(L, "The cost of a sample is the table's firmest number: a GAN draws one in a "
               "single pass of its generator, the diffusion model in %d, one after the other, "
               "so here the GAN samples %.0f times faster by CPU time. That is where the GAN "
               "stays ahead: anything that must generate in real time.", d->passes, speed);
    if (L->fast) return;
    /* The verdicts, each by the numbers in the table. */
    int best_modes = -1;
    fam_kind best_q = FAM_GAN;
    for (int k = 0; k < FAM_KINDS; k++) {
        const famrun *r = S->on_ring[k];
        if (r->st.modes_covered > best_modes ||
            (r->st.modes_covered == best_modes &&
             r->st.hq_fraction > S->on_ring[best_q]->st.hq_fraction)) {
            best_modes = r->st.modes_covered;
            best_q = (fam_kind)k;
        }
    }
    lesson_say(L, "Diversity and quality together: %s, %d of 8 modes with %.0f%% of its "
               "samples on one, the best pair in this table%s.",
               famtoy_label(best_q), best_modes, 100.0 * S->on_ring[best_q]->st.hq_fraction,
               best_q == FAM_DDPM ? ", as the sources claim for diffusion models"
                                  : "; the sources' claim for diffusion models does not hold "
                                    "in this run");
    const famrun *v = S->on_ring[FAM_VAE];
    lesson_say(L, "The VAE %s: %.0f%% of its samples within 3 sigma of a mode, where the "
               "diffusion model has %.0f%%; its decoder's fixed noise (sigma_x = %g, %g times "
               "a mode's sigma) is part of every sample, the 2-D face of step 4's blur.",
               v->st.hq_fraction < d->st.hq_fraction ? "pays in quality" : "does not pay in "
               "quality here", 100.0 * v->st.hq_fraction, 100.0 * d->st.hq_fraction,
               (double)S->setup.vae.sigma_x, (double)(S->setup.vae.sigma_x / S->sets[0].sigma));
    const famrun *a = S->on_ring[FAM_AR], *f = S->on_ring[FAM_FLOW];
    lesson_say(L, "Exact likelihoods: the autoregressive model's %.3f and the flow's %.3f%s.",
               a->ll, f->ll, a->ll > f->ll ? "; the chain rule's mixtures fit the ring better "
               "than the flow's bent Gaussian" : "");
}

/* ------------------------------------------------------------------ step 10 */

static void what_to_take_away(lesson *L, const family *S)
{
    lesson_step(L, "What to take away");
    if (L->fast)
        lesson_say(L, "This --fast run is far too short to show what follows: it checks that "
                   "the code runs.");
    lesson_say(L,
               "Each family buys something with something. The VAE: a sampleable, smooth code "
               "space and a likelihood bound, paid in blur. The diffusion model: many small "
               "denoising steps, each easy to learn, paid at sampling time, %d network passes "
               "a sample. The autoregressive model and the flow: exact likelihoods, paid in "
               "sequential sampling (one step per dimension) or in an invertible map that "
               "cannot tear the space. The GAN: one pass a sample, paid in a game that can "
               "drop modes (lesson 09). Try --diffusion-steps 20 (a cheaper sampler: what "
               "happens to the quality?), --t-power 1, --beta-high 100, --ddpm-steps 3000, "
               "--image-ddpm-steps 12000 (how much of the speckle goes?), or "
               "--code 2 (a code space you could draw).", S->setup.ddpm.T);
}

/* ------------------------------------------------------------------ the lesson */

int main(int argc, char **argv)
{
    static const lesson_info info = {
        18, "generative_family", "The generative family beside the GAN",
        "A VAE on Fashion-MNIST (the ELBO, the reparameterisation, the KL as a switch), a "
        "diffusion model and an autoregressive model on lesson 09's ring and grid, and every "
        "model on the same data: modes, quality, held-out likelihood, training time and the "
        "cost of a sample.",
        18};
    lesson *L = lesson_begin(argc, argv, &info, flags, LESSON_NFLAGS(flags));
    lesson_use_threads(0);
    double t_start = lesson_seconds();
    family S;
    memset(&S, 0, sizeof S);
    set_up(L, &S);

    the_evidence_lower_bound(L);
    a_vae_on_fashion_mnist(L, &S);
    judging_its_samples(L, &S);
    blurrier_than_a_gan(L, &S);
    the_kl_weight_as_a_switch(L, &S);
    diffusion_noise_in_noise_out(L, &S);
    diffusion_on_fashion_mnist(L, &S);
    the_chain_rule(L, &S);
    the_table(L, &S);
    what_to_take_away(L, &S);

    lesson_key(L, "wall_s", "%.1f", lesson_seconds() - t_start);
    for (int i = 0; i < S.nr; i++) famtoy_free(&S.runs[i]);
    for (int d = 0; d < 2; d++) {
        nn_free(S.held[d]);
        nn_free(S.fit[d]);
    }
    nn_vae_free(S.vae.vae);
    judge_free(S.jd);
    nn_model_free(S.net);
    nn_dataset_free(&S.ds);
    nn_dataset_free(&S.test);
    return lesson_end(L);
}
