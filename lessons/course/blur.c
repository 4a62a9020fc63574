/* blur.c - lesson 13's measurements of blur (see blur.h). */
#include "blur.h"

#include <math.h>
#include <stdio.h>
#include "nn.h"

blur_toy_fit blur_report_toy(lesson *L, const float *toy, int n, float c)
{
    blur_toy_fit f = {0.0, 1e9, 0};
    for (int i = 0; i < n; i++) {
        f.mean += toy[i];
        double d = fabs((double)toy[i] - c);
        f.nearest = d < f.nearest ? d : f.nearest;
        f.near += d < 0.5;
    }
    f.mean /= n;
    lesson_print(L, "c = %.4f (the data's mean %.4f); the nearest data point is %.3f away, and "
                 "%d of %d points lie within 0.5 of c\n", (double)c, f.mean, f.nearest, f.near,
                 n);
    lesson_key(L, "toy_mse_prediction", "%.4f", (double)c);
    lesson_key(L, "toy_points_near_prediction", "%d", f.near);
    /* The constant is drawn where it landed, so the figure shows what the
     * numbers above say, wherever that is. */
    char mark[64];
    snprintf(mark, sizeof mark, "MSE's best constant c = %.3f", (double)c);
    const char *mark_names[1] = {mark};
    nn_plot p = {.dir = L->out, .name = "toy_modes", .title = "the toy's two modes and the "
                 "MSE's best constant", .xlabel = "value", .ylabel = "points",
                 .term = lesson_capture_begin(L), .term_rows = 14, .xmarks = &c,
                 .xmark_names = mark_names, .n_xmarks = 1};
    nn_error err = {NN_OK, ""};
    nn_status s = nn_plot_histogram(&p, toy, n, 40, &err);
    lesson_capture_end(L);
    lesson_plot_shown(L, &p, s, &err, "the toy's two modes, and c, the MSE's best constant "
                      "(dashed)");
    return f;
}

/* A 28 x 28 image, -1 left of column `edge` and +1 from it on: a sharp
 * vertical edge, the outline of a sleeve or a trouser leg. */
static void edge_image(float *im, int edge)
{
    for (int i = 0; i < 28; i++)
        for (int j = 0; j < 28; j++) im[i * 28 + j] = j < edge ? -1.0f : 1.0f;
}

void blur_show_edges(lesson *L)
{
    float edges[3 * 784];
    edge_image(edges, 12);
    edge_image(edges + 784, 16);
    for (int i = 0; i < 784; i++) edges[2 * 784 + i] = 0.5f * (edges[i] + edges[784 + i]);
    double s_edge = nn_sharpness(edges, 1, 28, 28);
    double s_avg = nn_sharpness(edges + 2 * 784, 1, 28, 28);
    lesson_print(L, "sharpness of one edge %.4f, of the average of the two %.4f (%.0f%%)\n",
                 s_edge, s_avg, 100.0 * s_avg / s_edge);
    lesson_key(L, "edge_sharpness_ratio", "%.3f", s_avg / s_edge);
    nn_grid_opts o = nn_grid_defaults(-1.0f, 1.0f);
    o.cols = 3;
    o.scale = 4;
    nn_error err = {NN_OK, ""};
    lesson_check(L, nn_image_write_grid(lesson_path(L, "edges.png"), edges, 3, 1, 28, 28, &o,
                                        &err), &err);
    lesson_figure(L, "edges.png", "an edge at column 12, at 16, and their average");
}

void blur_plot_sharpness(lesson *L, const double sharpness[4], const float *fake, int n)
{
    const float bars[4] = {(float)sharpness[0], (float)sharpness[1], (float)sharpness[2],
                           (float)sharpness[3]};
    const char *labels[4] = {"real", "AE reconstructions", "AE random codes", "MLP GAN"};
    nn_plot p = {.dir = L->out, .name = "sharpness", .title = "mean squared neighbour "
                 "difference (pixels in [-1, 1])", .ylabel = "sharpness",
                 .term = lesson_capture_begin(L), .term_rows = 14};
    nn_error err = {NN_OK, ""};
    nn_status s = nn_plot_bars(&p, bars, labels, 4, &err);
    lesson_capture_end(L);
    lesson_plot_shown(L, &p, s, &err, "sharpness: real, autoencoder, GAN");
    nn_grid_opts o = nn_grid_defaults(-1.0f, 1.0f);
    o.cols = 10;
    o.scale = 2;
    lesson_check(L, nn_image_write_grid(lesson_path(L, "gan_samples.png"), fake,
                                        n < 100 ? n : 100, 1, 28, 28, &o, &err), &err);
    lesson_figure(L, "gan_samples.png", "lesson 06's MLP GAN, for comparison");
}
