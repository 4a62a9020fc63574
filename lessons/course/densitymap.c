/* densitymap.c - a flow's log-density over the plane (densitymap.h). */
#include "densitymap.h"

#include <math.h>
#include <stdio.h>

#include "viz/image.h"
#include "viz/preview.h"
#include "viz/plot.h"

/* Nats of log-density shown below the top. */
#define RANGE 12.0f
/* The terminal map: TN x TN characters' worth. */
#define TN 56

/* Square plane that frames the data set with a margin (as lesson 09's). */
static float plane_half(const nn_toy *d)
{
    float r = 0.0f;
    for (int k = 0; k < d->n_modes * 2; k++) r = fmaxf(r, fabsf(d->centres[k]));
    return r * 1.3f;
}

/* The heat map of log p on an nx x nx grid over [-half, half]^2, clipped
 * RANGE below its top; returns the top. pts and lp hold at least nx * nx
 * points. */
static float heat_map(lesson *L, nn_flow *f, const nn_toy *d, const float *dots, int n_dots,
                      int nx, float half, float *pts, float *lp)
{
    nn_error err;
    char name[64], title[160];
    for (int j = 0; j < nx; j++)
        for (int i = 0; i < nx; i++) {
            pts[2 * (j * nx + i)] = -half + 2.0f * half * (float)i / (float)(nx - 1);
            pts[2 * (j * nx + i) + 1] = -half + 2.0f * half * (float)j / (float)(nx - 1);
        }
    nn_flow_log_prob(f, lp, pts, nx * nx);
    float top = -INFINITY;
    for (int i = 0; i < nx * nx; i++) top = fmaxf(top, lp[i]);
    for (int i = 0; i < nx * nx; i++) lp[i] = fmaxf(lp[i], top - RANGE);
    snprintf(name, sizeof name, "density_%s", d->name);
    snprintf(title, sizeof title, "%s: the flow's log p(x), %d of its samples", d->name, n_dots);
    nn_plot p = {.dir = L->out, .name = name, .title = title, .xlabel = "x", .ylabel = "y",
                 .width = 640, .height = 600};
    nn_status s = nn_plot_heatmap(&p, lp, nx, nx, -half, half, -half, half, dots, n_dots, NULL,
                                  0, &err);
    lesson_plot_shown(L, &p, s, &err, "the learned log-density (clipped 12 below its top), "
                      "samples as dots");
    return top;
}

/* The same map in the terminal: brighter characters, likelier points. Each
 * cell shows the highest log p of 3 x 3 points inside it, so a strand
 * thinner than a cell still shows. pts and lp hold at least TN * TN * 9. */
static void terminal_map(lesson *L, nn_flow *f, const nn_toy *d, float half, float top,
                         float *pts, float *lp)
{
    float img[TN * TN];
    for (int row = 0; row < TN; row++)
        for (int col = 0; col < TN; col++) {
            img[row * TN + col] = 0.0f;
            for (int k = 0; k < 9; k++) {
                float *q = pts + 2 * ((row * TN + col) * 9 + k);
                q[0] = -half + 2.0f * half * ((float)col + ((float)(k % 3) + 0.5f) / 3.0f) / TN;
                q[1] = half - 2.0f * half * ((float)row + ((float)(k / 3) + 0.5f) / 3.0f) / TN;
            }
        }
    nn_flow_log_prob(f, lp, pts, TN * TN * 9);
    for (int i = 0; i < TN * TN; i++) {
        float m = -INFINITY;
        for (int k = 0; k < 9; k++) m = fmaxf(m, lp[i * 9 + k]);
        img[i] = fmaxf(0.0f, 1.0f - (top - m) / RANGE);
    }
    lesson_print(L, "%s: the flow's log-density, the top 12 nats (top right is (%.1f, %.1f))\n",
                 d->name, (double)half, (double)half);
    nn_image_preview(lesson_capture_begin(L), img, 1, 1, TN, TN, 1, 0.0f, 1.0f,
                     NN_PREVIEW_ASCII);
    lesson_capture_end(L);
}

void densitymap_show(lesson *L, nn_flow *f, const nn_toy *data, const float *dots, int n_dots)
{
    int nx = L->fast ? 41 : 201;
    float half = plane_half(data);
    int np = nx * nx > TN * TN * 9 ? nx * nx : TN * TN * 9;
    float *pts = lesson_alloc(L, (size_t)np * 2, sizeof(float)),
          *lp = lesson_alloc(L, (size_t)np, sizeof(float));
    float top = heat_map(L, f, data, dots, n_dots, nx, half, pts, lp);
    terminal_map(L, f, data, half, top, pts, lp);
    nn_free(pts);
    nn_free(lp);
}
