/* trainrun.c - what a lesson that trains a GAN on images shares (trainrun.h). */
#include "trainrun.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mlpgan.h"

float trainrun_tail_mean(const float *x, long n)
{
    long k = n < TRAINRUN_END_WINDOW ? n : TRAINRUN_END_WINDOW;
    if (k <= 0) return NAN;
    double s = 0.0;
    for (long i = n - k; i < n; i++) s += x[i];
    return (float)(s / (double)k);
}

void trainrun_smooth(float *out, const float *x, long n, int w)
{
    double s = 0.0;
    for (long i = 0; i < n; i++) {
        s += x[i];
        if (i >= w) s -= x[i - w];
        long k = i + 1 < w ? i + 1 : w;
        out[i] = (float)(s / (double)k);
    }
}

void trainrun_plot_pair(lesson *L, const char *name, const char *title, const char *ylabel,
                        const float *a, const char *a_name, const float *b, const char *b_name,
                        long n, long first_step)
{
    if (n < 2) return;
    float *x = nn_alloc((size_t)n, sizeof(float));
    float *sa = nn_alloc((size_t)n, sizeof(float));
    float *sb = nn_alloc((size_t)n, sizeof(float));
    if (!x || !sa || !sb) lesson_fail(L, LESSON_EXIT_INTERNAL, "out of memory for a plot");
    for (long i = 0; i < n; i++) x[i] = (float)(first_step + i + 1);
    int w = n >= 1000 ? 100 : (int)(n / 10 + 1);
    trainrun_smooth(sa, a, n, w);
    trainrun_smooth(sb, b, n, w);
    char sa_name[64], sb_name[64];
    snprintf(sa_name, sizeof sa_name, "%s (mean of %d)", a_name, w);
    snprintf(sb_name, sizeof sb_name, "%s (mean of %d)", b_name, w);
    const float *ys[4] = {a, b, sa, sb};
    const char *names[4] = {a_name, b_name, sa_name, sb_name};
    nn_plot p = {.dir = L->out, .name = name, .title = title, .xlabel = "step",
                 .ylabel = ylabel, .term = lesson_capture_begin(L), .term_rows = 20};
    nn_error err = {NN_OK, ""};
    nn_status s = nn_plot_lines(&p, x, ys, names, 4, (int)n, &err);
    lesson_capture_end(L);
    lesson_plot_shown(L, &p, s, &err, title);
    nn_free(x);
    nn_free(sa);
    nn_free(sb);
}

const char *trainrun_diverged(const nn_gan_stats *st)
{
    if (isnan(st->d_loss)) return "the discriminator loss is NaN";
    if (isnan(st->g_loss)) return "the generator loss is NaN";
    if (!isfinite(st->d_loss)) return "the discriminator loss is infinite";
    if (!isfinite(st->g_loss)) return "the generator loss is infinite";
    if (fabsf(st->d_loss) > TRAINRUN_LOSS_LIMIT) return "the discriminator loss exploded past 1e6";
    if (fabsf(st->g_loss) > TRAINRUN_LOSS_LIMIT) return "the generator loss exploded past 1e6";
    if (!isfinite(st->d_real) || !isfinite(st->d_fake))
        return "D's output is NaN (its weights are no longer numbers)";
    return NULL;
}

void trainrun_sample_grid(lesson *L, nn_model *G, const float *z, int n, const char *png,
                          int show)
{
    int side = gan_image_side(G->out);
    float *x = nn_alloc((size_t)n * (size_t)G->out, sizeof(float));
    if (!x) lesson_fail(L, LESSON_EXIT_INTERNAL, "out of memory for %d samples", n);
    gan_sample_images(x, G, z, n);
    nn_grid_opts o = nn_grid_defaults(-1.0f, 1.0f);
    o.cols = 10;
    o.scale = 2;
    nn_error err = {NN_OK, ""};
    lesson_check(L, nn_image_write_grid(lesson_path(L, png), x, n, 1, side, side, &o, &err),
                 &err);
    FILE *f = lesson_capture_begin(L);
    nn_image_preview(f, x, show, 1, side, side, 3, -1.0f, 1.0f, NN_PREVIEW_AUTO);
    lesson_capture_end(L);
    nn_free(x);
}

void trainrun_write_log(lesson *L, const trainrun_log *lg, long first_step)
{
    const char *path = lesson_path(L, "train_log.tsv");
    FILE *f = fopen(path, "w");
    if (!f) lesson_fail(L, LESSON_EXIT_INPUT, "%s: cannot write the training log", path);
    fprintf(f, "step\td_loss\tg_loss\td_real\td_fake\n");
    for (long i = 0; i < lg->n; i++)
        fprintf(f, "%ld\t%.6g\t%.6g\t%.6g\t%.6g\n", first_step + i + 1, (double)lg->d_loss[i],
                (double)lg->g_loss[i], (double)lg->d_real[i], (double)lg->d_fake[i]);
    if (fclose(f) != 0) lesson_fail(L, LESSON_EXIT_INPUT, "%s: write failed", path);
}

/* IDX3: magic 0x00000803, then n, h, w as big-endian 32-bit numbers, then
 * the pixels, one byte each: the format of the Fashion-MNIST files. */
nn_status trainrun_write_idx(const char *path, const float *x, int n, int h, int w,
                           nn_error *err)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return nn_fail(err, NN_ERR_IO, "%s: cannot create the sample file; check the folder "
                       "exists and is writable", path);
    unsigned char head[16];
    const unsigned v[4] = {0x803u, (unsigned)n, (unsigned)h, (unsigned)w};
    for (int i = 0; i < 4; i++)
        for (int b = 0; b < 4; b++) head[4 * i + b] = (unsigned char)(v[i] >> (24 - 8 * b));
    int ok = fwrite(head, 1, sizeof head, f) == sizeof head;
    size_t npix = (size_t)h * (size_t)w;
    unsigned char *row = nn_alloc(npix, 1);
    ok = ok && row;
    for (int i = 0; ok && i < n; i++) {
        for (size_t j = 0; j < npix; j++) row[j] = nn_to_byte(x[(size_t)i * npix + j], -1.0f, 1.0f);
        ok = fwrite(row, 1, npix, f) == npix;
    }
    nn_free(row);
    if (fclose(f) != 0) ok = 0;
    if (!ok) return nn_fail(err, NN_ERR_IO, "%s: writing %d samples failed (disk full?)", path, n);
    return NN_OK;
}

void trainrun_save_state(lesson *L, const char *arch, long epochs, long steps)
{
    const char *path = lesson_path(L, "train_state.tsv");
    FILE *f = fopen(path, "w");
    if (!f) lesson_fail(L, LESSON_EXIT_INPUT, "%s: cannot write the training state", path);
    fprintf(f, "arch\t%s\nepochs\t%ld\nsteps\t%ld\n", arch, epochs, steps);
    if (fclose(f) != 0) lesson_fail(L, LESSON_EXIT_INPUT, "%s: write failed", path);
}

void trainrun_load_state(lesson *L, const char *arch, long *epochs, long *steps)
{
    const char *path = lesson_path(L, "train_state.tsv");
    FILE *f = fopen(path, "r");
    if (!f)
        lesson_fail(L, LESSON_EXIT_INPUT, "--resume: %s is missing; train once without "
                    "--resume (same --out) to make a checkpoint", path);
    char saved[32] = "";
    int ok = fscanf(f, "arch\t%31s\nepochs\t%ld\nsteps\t%ld", saved, epochs, steps) == 3;
    fclose(f);
    if (!ok)
        lesson_fail(L, LESSON_EXIT_INPUT, "--resume: %s is not a training state written by "
                    "this lesson; train again without --resume", path);
    if (strcmp(saved, arch) != 0)
        lesson_fail(L, LESSON_EXIT_INPUT, "--resume: the checkpoint is of --arch %s, not %s; "
                    "pass --arch %s", saved, arch, saved);
}

/* Steps of lesson 06's run in dir when its train_state.tsv says it trained
 * architecture arch; 0 when there is no such run. */
long trainrun_lesson06_steps(const char *dir, const char *arch)
{
    char path[560], saved[32];
    long epochs = 0, n = 0;
    snprintf(path, sizeof path, "%s/train_state.tsv", dir);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    int ok = fscanf(f, "arch\t%31s\nepochs\t%ld\nsteps\t%ld", saved, &epochs, &n) == 3;
    fclose(f);
    return ok && strcmp(saved, arch) == 0 ? n : 0;
}

/* G of one architecture: a checkpoint of lesson 06 when given (or, for the
 * default architecture, when lesson 06 has trained one in its folder beside
 * ours for at least the n_steps we would train: a shorter run of lesson 06
 * would judge less than this lesson's own), else trained here for n_steps
 * steps with lesson 06's settings. Returns the trainer (the caller frees). */
nn_gan *trainrun_mlp_from_lesson06(lesson *L, const char *arch_name, const char *ckpt, int n_steps,
                             const nn_dataset *train_set)
{
    nn_gan_arch arch;
    mlpgan_arch_parse(arch_name, &arch);
    nn_error err;
    int b = 64, classic = strcmp(arch_name, "classic") == 0;
    /* Lesson 06's real-image targets: 1 for the classic GAN, 0.9 (one-sided
     * label smoothing) for the default. */
    nn_gan *t = mlpgan_create(&arch, NN_GAN_NONSAT, 2e-4f, b, 1,
                                        classic ? 1.0f : 0.9f, L->seed, &err);
    if (!t) lesson_check(L, err.code ? err.code : NN_ERR_ARG, &err);
    /* Lesson 06 writes next to this lesson's folder: plots/06_training. */
    char dir06[512], found[540];
    snprintf(dir06, sizeof dir06, "%s", L->out);
    char *slash = strrchr(dir06, '/');
    snprintf(slash ? slash + 1 : dir06, sizeof dir06 - (size_t)(slash ? slash + 1 - dir06 : 0),
             "06_training");
    long steps06 = classic || L->fast ? 0 : trainrun_lesson06_steps(dir06, arch_name);
    if (!ckpt && steps06 > 0 && steps06 >= n_steps) {
        snprintf(found, sizeof found, "%s/G.ckpt", dir06);
        ckpt = found;
    }
    if (ckpt) {
        lesson_check(L, nn_model_load(t->G, ckpt, &err), &err);
        if (ckpt == found)
            lesson_print(L, "%s: G loaded from %s (lesson 06 trained it %ld steps)\n",
                         arch_name, ckpt, steps06);
        else
            lesson_print(L, "%s: G loaded from %s (the checkpoint given)\n", arch_name,
                         ckpt);
        return t;
    }
    nn_loader ld;
    lesson_check(L, nn_loader_init(&ld, train_set, b, 1, 1, NN_RANGE_PM1, L->seed, &err), &err);
    float *real = nn_alloc((size_t)b * 784, sizeof(float));
    if (!real) lesson_fail(L, LESSON_EXIT_INTERNAL, "out of memory for a batch");
    if (L->fast) n_steps = 5;
    lesson_progress prog;
    lesson_progress_start(L, &prog, arch_name, n_steps);
    double t0 = lesson_seconds();
    for (int s = 0; s < n_steps; s++) {
        if (nn_loader_next(&ld, real, NULL) == 0) nn_loader_next(&ld, real, NULL);
        nn_gan_stats st;
        nn_gan_step(t, real, &st);
        const char *bad = trainrun_diverged(&st);
        if (bad) {
            lesson_progress_done(&prog);
            nn_free(real);
            nn_loader_free(&ld);
            nn_gan_free(t);
            lesson_fail(L, LESSON_EXIT_INTERNAL,
                        "%s G (lesson 06's settings), step %d: %s, training diverged; "
                        "try another --seed (now %llu)",
                        arch_name, s + 1, bad, (unsigned long long)L->seed);
        }
        lesson_progress_tick(&prog, s + 1, "D(x) %.2f D(G(z)) %.2f", (double)st.d_real,
                             (double)st.d_fake);
    }
    lesson_progress_done(&prog);
    lesson_print(L, "%s: trained %d steps (batch %d, %.1f epochs) in %.1f s\n", arch_name,
                 n_steps, b, (double)n_steps * b / train_set->n, lesson_seconds() - t0);
    nn_free(real);
    nn_loader_free(&ld);
    return t;
}

const char *trainrun_lesson06_source(const lesson *L, int n_steps)
{
    static char phrase[240];
    if (L->fast)
        return "trained here 5 steps: --fast; lesson 06 trains 8 epochs";
    snprintf(phrase, sizeof phrase,
             "lesson 06's checkpoint when lesson 06 has trained one at least as long, else "
             "trained here %d steps%s; a line of the run's output says which",
             n_steps, n_steps >= TRAINRUN_LESSON06_STEPS
                          ? ", as many as lesson 06's own run (8 epochs of 937)"
                          : ", fewer than lesson 06's own run (8 epochs of 937)");
    return phrase;
}

void trainrun_record(trainrun_log *lg, const nn_gan_stats *st)
{
    lg->d_loss[lg->n] = st->d_loss;
    lg->g_loss[lg->n] = st->g_loss;
    lg->d_real[lg->n] = st->d_real;
    lg->d_fake[lg->n] = st->d_fake;
    lg->n++;
}

void trainrun_check_writable(lesson *L, const char *flag, const char *path)
{
    /* Opened for appending, so an existing file keeps its bytes; a file the
     * probe made is removed again, so a run stopped before it saves leaves
     * nothing behind. */
    FILE *before = fopen(path, "rb");
    const int existed = before != NULL;
    if (before) fclose(before);
    FILE *probe = fopen(path, "ab");
    if (!probe)
        lesson_fail(L, LESSON_EXIT_INPUT, "--%s: cannot write %s; check that its folder exists "
                    "and is writable", flag, path);
    fclose(probe);
    if (!existed) remove(path);
}

void trainrun_save(lesson *L, const nn_gan *t, const char *arch, long epochs, long steps)
{
    nn_error err = {NN_OK, ""};
    lesson_check(L, nn_model_save(t->G, lesson_path(L, "G.ckpt"), &err), &err);
    lesson_check(L, nn_model_save(t->D, lesson_path(L, "D.ckpt"), &err), &err);
    trainrun_save_state(L, arch, epochs, steps);
}

void trainrun_resume(lesson *L, nn_gan *t, long epochs_done, long steps_done)
{
    nn_error err = {NN_OK, ""};
    lesson_check(L, nn_model_load(t->G, lesson_path(L, "G.ckpt"), &err), &err);
    lesson_check(L, nn_model_load(t->D, lesson_path(L, "D.ckpt"), &err), &err);
    nn_rng_seed(&t->rng, L->seed, 16 + (uint64_t)epochs_done);
    lesson_print(L, "resumed from %s: epochs done %ld, steps done %ld\n", L->out, epochs_done,
                 steps_done);
}

void trainrun_export(lesson *L, nn_model *G, const char *path, int n)
{
    int side = gan_image_side(G->out);
    float *x = nn_alloc((size_t)n * (size_t)G->out, sizeof(float));
    float *z = nn_alloc((size_t)n * (size_t)G->in, sizeof(float));
    if (!x || !z) lesson_fail(L, LESSON_EXIT_INTERNAL, "out of memory for %d samples", n);
    nn_rng r;
    nn_rng_seed(&r, L->seed, 8);
    nn_sample_latent(z, n, G->in, &r);
    gan_sample_images(x, G, z, n);
    nn_error err = {NN_OK, ""};
    lesson_check(L, trainrun_write_idx(path, x, n, side, side, &err), &err);
    lesson_print(L, "%d samples -> %s\n", n, path);
    nn_free(x);
    nn_free(z);
}

nn_status trainrun_write_idx_labels(const char *path, const int *labels, int n, nn_error *err)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return nn_fail(err, NN_ERR_IO, "%s: cannot create the label file; check the folder "
                       "exists and is writable", path);
    /* Magic 0x00000801: unsigned bytes, one dimension; then n, big-endian. */
    unsigned char head[8] = {0, 0, 8, 1, (unsigned char)(n >> 24), (unsigned char)(n >> 16),
                             (unsigned char)(n >> 8), (unsigned char)n};
    int ok = fwrite(head, 1, sizeof head, f) == sizeof head;
    for (int i = 0; ok && i < n; i++) ok = fputc((unsigned char)labels[i], f) != EOF;
    if (fclose(f) != 0) ok = 0;
    if (!ok) return nn_fail(err, NN_ERR_IO, "%s: writing %d labels failed (disk full?)", path, n);
    return NN_OK;
}

nn_dcgan_arch trainrun_lesson10_arch(void)
{
    nn_dcgan_arch a = nn_dcgan_arch_default();
    a.g_channels = TRAINRUN_LESSON10_G_CHANNELS;
    a.d_channels = TRAINRUN_LESSON10_D_CHANNELS;
    return a;
}
