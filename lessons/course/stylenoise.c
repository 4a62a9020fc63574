/* stylenoise.c - how much a style generator's noise moves (stylenoise.h). */
#include "stylenoise.h"

#include <math.h>

static void write_figures(lesson *L, const float *noise_map, double noise_max,
                          const float *show, int cols, int nw)
{
    nn_error err = {NN_OK, ""};
    nn_grid_opts o = nn_grid_defaults(-1.0f, 1.0f);
    o.cols = cols;
    o.scale = 3;
    lesson_check(L, nn_image_write_grid(lesson_path(L, "noise_draws.png"), show,
                                        (nw < 4 ? nw : 4) * cols, 1, 28, 28, &o, &err), &err);
    lesson_figure(L, "noise_draws.png", "each row one w with 8 noise draws; last: the "
                  "per-pixel std over 16 draws (black 0, white 0.5)");
    nn_grid_opts o2 = nn_grid_defaults(0.0f, (float)(noise_max > 0 ? noise_max : 1));
    o2.cols = 1;
    o2.scale = 8;
    lesson_check(L, nn_image_write_grid(lesson_path(L, "noise_std.png"), noise_map, 1, 1, 28,
                                        28, &o2, &err), &err);
    lesson_figure(L, "noise_std.png", "per-pixel std over noise draws, mean over w's "
                  "(white: the largest)");
}

/* One line per noise layer: its maps and mean |scale|; returns the largest. */
static double print_scales(lesson *L, const nn_model *G)
{
    double s_max = 0.0;
    lesson_print(L, "learned noise scales (mean |s| over channels):\n");
    lesson_print(L, "  layer  maps        mean |s|\n");
    for (int i = 0; i < G->n_layers; i++) {
        const nn_layer *l = &G->layers[i];
        if (l->spec.kind != NN_LAYER_NOISE) continue;
        double m = 0.0;
        for (int c = 0; c < l->in_c; c++) m += fabs(l->w[c]) / l->in_c;
        if (m > s_max) s_max = m;
        lesson_print(L, "  %5d  %2d x %2d x %2d  %8.4f\n", i, l->in_c, l->in_h, l->in_w, m);
    }
    return s_max;
}

stylenoise_spread stylenoise_report(lesson *L, const float *noise_map, const float *w_map,
                                    const float *show, int cols, int nw, const nn_model *G)
{
    stylenoise_spread r = {0.0, 0.0, 0.0, 0.0};
    for (int p = 0; p < 784; p++) {
        r.noise_std += noise_map[p] / 784.0;
        if (noise_map[p] > r.noise_max) r.noise_max = noise_map[p];
    }
    for (int p = 0; p < 784; p++) r.w_std += w_map[p] / 784.0;
    write_figures(L, noise_map, r.noise_max, show, cols, nw);
    r.s_max = print_scales(L, G);
    lesson_print(L, "per-pixel std of the image (pixels in [-1, 1]): over noise draws for one "
                 "w %.4f (largest pixel %.4f); over %d different w's %.4f\n", r.noise_std,
                 r.noise_max, nw, r.w_std);
    lesson_key(L, "noise_pixel_std", "%.4f", r.noise_std);
    lesson_key(L, "noise_pixel_std_max", "%.4f", r.noise_max);
    lesson_key(L, "w_pixel_std", "%.4f", r.w_std);
    return r;
}
