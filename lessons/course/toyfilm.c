/* toyfilm.c - the film of a toy GAN's training run (toyfilm.h). */
#include "toyfilm.h"

#include <math.h>
#include <stdio.h>

#include "viz/plot.h"

/* Square plane that frames the data set with a margin. */
static float plane_half(const nn_toy *data)
{
    float r = 0.0f;
    for (int k = 0; k < data->n_modes * 2; k++) r = fmaxf(r, fabsf(data->centres[k]));
    return r * 1.3f;
}

void toyfilm_open(lesson *L, toyfilm *f, const nn_toy *data, const char *fix, int samples,
                  int frames, int steps)
{
    *f = (toyfilm){.data = data, .fix = fix, .frames = frames, .steps = steps, .nx = 64,
                   .half = plane_half(data), .size = 320};
    f->dmap = lesson_alloc(L, (size_t)f->nx * f->nx, sizeof(float));
    f->arrows = lesson_alloc(L, (size_t)samples * 4, sizeof(float));
    f->px = nn_alloc((size_t)f->size * f->size, 1);
    if (!f->px) lesson_fail(L, LESSON_EXIT_INTERNAL, "out of memory for the film");

    nn_error err;
    snprintf(f->gifname, sizeof f->gifname, "watch_%s_%s.gif", data->name, fix);
    f->gif = nn_gif_open(lesson_path(L, f->gifname), f->size, f->size, 25, &err);
    if (!f->gif) lesson_check(L, err.code, &err);

    int nf = frames + 1;  /* frame 0 is the untrained GAN */
    f->at = lesson_alloc(L, (size_t)nf, sizeof(float));
    f->covered = lesson_alloc(L, (size_t)nf, sizeof(float));
    f->hq = lesson_alloc(L, (size_t)nf, sizeof(float));
}

/* One frame: D's map, the modes, samples and G's arrows, into the GIF; the
 * same picture through gnuplot as a PNG when png_name is not NULL. */
static void film_frame(lesson *L, toyfilm *f, toy_gan *g, float progress, const char *png_name,
                       const char *title)
{
    const nn_toy *data = f->data;
    int n = toy_gan_snapshot(g, f->dmap, f->nx, f->nx, -f->half, f->half, -f->half, f->half,
                             f->arrows);
    /* Arrows are gradients of a mean over the batch: tiny. Scale them so the
     * longest is a twelfth of the plane, which keeps directions readable. */
    float longest = 1e-30f;
    for (int i = 0; i < n; i++)
        longest = fmaxf(longest, hypotf(f->arrows[4 * i + 2], f->arrows[4 * i + 3]));
    float scale = 2.0f * f->half / 12.0f / longest;
    for (int i = 0; i < n; i++) {
        f->arrows[4 * i + 2] *= scale;
        f->arrows[4 * i + 3] *= scale;
    }
    nn_gif_canvas c = {f->px, f->size, f->size, -f->half, f->half, -f->half, f->half};
    nn_gif_draw_field(&c, f->dmap, f->nx, f->nx);
    for (int k = 0; k < data->n_modes; k++)
        nn_gif_draw_cross(&c, data->centres[2 * k], data->centres[2 * k + 1], 4, NN_GIF_MODE);
    /* Every fourth sample gets its arrow, so the field stays readable. */
    for (int i = 0; i < n; i += 4) {
        const float *a = f->arrows + 4 * i;
        nn_gif_draw_line(&c, a[0], a[1], a[0] + a[2], a[1] + a[3], NN_GIF_ARROW);
    }
    for (int i = 0; i < n; i++) nn_gif_draw_dot(&c, f->arrows[4 * i], f->arrows[4 * i + 1], 1,
                                             NN_GIF_SAMPLE);
    nn_gif_draw_progress(&c, progress);
    nn_error err;
    if (f->gif) lesson_check(L, nn_gif_add_frame(f->gif, f->px, &err), &err);

    if (png_name) {
        /* gnuplot wants the points separately: (n, 2) from the arrow rows. */
        float *pts = lesson_alloc(L, (size_t)n * 2, sizeof(float));
        for (int i = 0; i < n; i++) {
            pts[2 * i] = f->arrows[4 * i];
            pts[2 * i + 1] = f->arrows[4 * i + 1];
        }
        nn_plot p = {.dir = L->out, .name = png_name, .title = title, .xlabel = "x",
                     .ylabel = "y", .width = 640, .height = 600};
        nn_status s = nn_plot_heatmap(&p, f->dmap, f->nx, f->nx, -f->half, f->half, -f->half,
                                      f->half, pts, n, f->arrows, n / 4 > 64 ? 64 : n / 4,
                                      &err);
        nn_free(pts);
        lesson_check(L, s, &err);
        if (p.warning[0]) lesson_print(L, "note: %s\n", p.warning);
    }
}

void toyfilm_frame(lesson *L, toyfilm *f, toy_gan *g, int k, int done, const nn_mode_stats *st)
{
    const nn_toy *data = f->data;
    f->at[k] = (float)done;
    f->covered[k] = (float)st->modes_covered;
    f->hq[k] = 100.0f * st->hq_fraction;
    /* Four frames as PNG too: start, a third, two thirds, the end. */
    int png = k == 0 || k == f->frames || k == f->frames / 3 || k == 2 * f->frames / 3;
    char title[128], name[96];
    snprintf(title, sizeof title, "%s, %s, step %d: %d of %d modes, %.0f%% hq", data->name,
             f->fix, done, st->modes_covered, data->n_modes, (double)f->hq[k]);
    snprintf(name, sizeof name, "watch_%s_%s_step%06d", data->name, f->fix, done);
    film_frame(L, f, g, (float)done / (float)f->steps, png ? name : NULL, title);
    if (png) {
        char png_file[112];
        snprintf(png_file, sizeof png_file, "%s.png", name);
        lesson_figure(L, png_file, title);
    }
}

void toyfilm_close(lesson *L, toyfilm *f)
{
    nn_error err;
    lesson_check(L, nn_gif_close(f->gif, &err), &err);
    f->gif = NULL;
    lesson_figure(L, f->gifname, "the whole run as an animation");
}

void toyfilm_plot_counts(lesson *L, const toyfilm *f)
{
    nn_error err;
    int nf = f->frames + 1;
    char name[96];
    /* Modes covered against training steps: the hopping made visible. */
    const float *ys[2] = {f->covered, f->hq};
    const char *names[2] = {"modes covered", "high-quality samples (%)"};
    snprintf(name, sizeof name, "modes_vs_steps_%s_%s", f->data->name, f->fix);
    nn_plot p = {.dir = L->out, .name = name, .xlabel = "G updates", .ylabel = "modes",
                 .title = "modes covered while training", .term = lesson_capture_begin(L)};
    nn_status s = nn_plot_lines(&p, f->at, ys, names, 1, nf, &err);
    lesson_capture_end(L);
    lesson_check(L, s, &err);
    if (p.warning[0]) lesson_print(L, "note: %s\n", p.warning);
    char png_file[112];
    snprintf(png_file, sizeof png_file, "%s.png", name);
    lesson_figure(L, png_file, "modes covered (of the data set's modes) against training steps");
    snprintf(name, sizeof name, "hq_vs_steps_%s_%s", f->data->name, f->fix);
    nn_plot q = {.dir = L->out, .name = name, .xlabel = "G updates",
                 .ylabel = "% of samples within 3 sigma of a mode",
                 .title = "sample quality while training"};
    lesson_check(L, nn_plot_lines(&q, f->at, ys + 1, names + 1, 1, nf, &err), &err);
    snprintf(png_file, sizeof png_file, "%s.png", name);
    lesson_figure(L, png_file, "high-quality share against training steps");
}

void toyfilm_free(toyfilm *f)
{
    nn_free(f->dmap);
    nn_free(f->arrows);
    nn_free(f->px);
    nn_free(f->at);
    nn_free(f->covered);
    nn_free(f->hq);
}
