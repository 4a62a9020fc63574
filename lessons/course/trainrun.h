/* trainrun.h - what a lesson that trains a GAN on images shares: the log of
 * a run, its curves, the watch for a diverging loss, sample grids, the state
 * --resume needs beside the checkpoints, and the IDX export of samples.
 * Lessons 06 (MLP) and 10 (DCGAN) use it; each keeps its own training loop
 * in view, where the student reads it. */
#ifndef GANSTEPS_TRAINRUN_H
#define GANSTEPS_TRAINRUN_H

#include "lesson.h"
#include "nn.h"

/* Steps averaged for the *_end figures: one step's loss is noisy. */
#define TRAINRUN_END_WINDOW 100

/* Beyond this a loss has exploded: a healthy GAN's losses stay within a few
 * units, and a logit of 1e6 means D's weights have run away. Adam bounds each
 * update, so a too-high learning rate often shows as a huge loss long before
 * it overflows to infinity. */
#define TRAINRUN_LOSS_LIMIT 1e6f

/* What one run logs, one entry per training step. */
typedef struct {
    long n;                 /* steps logged */
    float *d_loss, *g_loss; /* (n) */
    float *d_real, *d_fake; /* (n) mean D(x), mean D(G(z)) */
} trainrun_log;

/* Mean of the last min(n, TRAINRUN_END_WINDOW) entries of x (n). */
float trainrun_tail_mean(const float *x, long n);

/* out (n): the running mean over the previous w values of x (fewer at the
 * start), the trend under a noisy per-step curve. */
void trainrun_smooth(float *out, const float *x, long n, int w);

/* One figure of two logged curves and their running means against the step
 * number (first_step + i), shown in the terminal too. */
void trainrun_plot_pair(lesson *L, const char *name, const char *title, const char *ylabel,
                        const float *a, const char *a_name, const float *b, const char *b_name,
                        long n, long first_step);

/* NULL while every figure of the step is a finite, sane number; otherwise a
 * phrase naming which one went wrong and how. */
const char *trainrun_diverged(const nn_gan_stats *st);

/* G's samples of the n fixed latent vectors z as a PNG grid, 10 to a row,
 * in the lesson folder, and the first `show` of them in the terminal, three
 * to a row so they fit 80 columns. */
void trainrun_sample_grid(lesson *L, nn_model *G, const float *z, int n, const char *png,
                          int show);

/* The per-step log as train_log.tsv (step numbers from first_step + 1). */
void trainrun_write_log(lesson *L, const trainrun_log *lg, long first_step);

/* Appends one step's statistics to the log (sized for every step). */
void trainrun_record(trainrun_log *lg, const nn_gan_stats *st);

/* Fails the lesson now, with one line naming the flag, when path cannot be
 * written: a sample file is found unwritable before training, not after.
 * Leaves no file behind that was not there before. */
void trainrun_check_writable(lesson *L, const char *flag, const char *path);

/* G.ckpt, D.ckpt and train_state.tsv in the lesson folder, for --resume. */
void trainrun_save(lesson *L, const nn_gan *t, const char *arch, long epochs, long steps);

/* Loads G.ckpt and D.ckpt into t (a damaged or mismatched file fails the
 * lesson with one line) and gives the latent vectors a fresh stream, so the
 * resumed run does not replay the first run's noise. */
void trainrun_resume(lesson *L, nn_gan *t, long epochs_done, long steps_done);

/* n samples of G (eval mode) from latent stream 8 of the lesson's seed, as
 * an IDX3 file at path (square grey images). */
void trainrun_export(lesson *L, nn_model *G, const char *path, int n);

/* n images x (n, h*w) in [-1, 1] as an IDX3 file of bytes. */
nn_status trainrun_write_idx(const char *path, const float *x, int n, int h, int w,
                             nn_error *err);

/* Labels (n), each 0..255, as an IDX1 file of bytes (Fashion-MNIST's label
 * format): what --save-samples writes beside a conditional GAN's images. */
nn_status trainrun_write_idx_labels(const char *path, const int *labels, int n, nn_error *err);

/* train_state.tsv beside the checkpoints: what --resume needs besides the
 * weights (the architecture's name, epochs and steps done). Loading fails
 * the lesson with one line when the file is missing, unreadable or of
 * another architecture. */
void trainrun_save_state(lesson *L, const char *arch, long epochs, long steps);
void trainrun_load_state(lesson *L, const char *arch, long *epochs, long *steps);

/* Steps of lesson 06's run in folder dir when its train_state.tsv says it
 * trained architecture arch ("default", "classic"); 0 when there is none. */
long trainrun_lesson06_steps(const char *dir, const char *arch);

/* Lesson 10's DCGAN at its default widths (--g-channels 64, --d-channels 32,
 * a quarter of the products of nn_dcgan_arch_default's 128 and 64): the
 * shape of the G.ckpt it leaves, which lessons 12, 14 and 18 read. */
#define TRAINRUN_LESSON10_G_CHANNELS 64
#define TRAINRUN_LESSON10_D_CHANNELS 32
nn_dcgan_arch trainrun_lesson10_arch(void);

/* Lesson 06's own default run: 8 epochs of 937 steps (60,000 images, batch
 * 64). A lesson that compares with lesson 06's default GAN trains this many
 * when lesson 06 has not run, so that it shows what it sets out to show
 * when it runs alone. */
#define TRAINRUN_LESSON06_STEPS 7496

/* The MLP GAN of one architecture for a lesson that compares with it: G from
 * the checkpoint ckpt when given (or, for the default architecture, from
 * lesson 06's folder beside the lesson's own when lesson 06 trained there at
 * least the n_steps this lesson would train, not under --fast), else trained
 * here for n_steps steps (5 under --fast) with lesson 06's settings on
 * train_set (a progress bar). Either way one line says which it did and how
 * long that G trained. The caller frees it with nn_gan_free; a failure ends
 * the lesson. */
nn_gan *trainrun_mlp_from_lesson06(lesson *L, const char *arch_name, const char *ckpt,
                                   int n_steps, const nn_dataset *train_set);

/* The phrase a lesson's prose gives for where that default G comes from when
 * it would train n_steps here: lesson 06's checkpoint when lesson 06 has
 * trained as long, else trained here, as long as lesson 06's own run or
 * shorter (said as such), or a few steps under --fast. Static storage. */
const char *trainrun_lesson06_source(const lesson *L, int n_steps);

#endif
