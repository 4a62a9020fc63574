/* convstamps.c - a transposed convolution's stamp counts, shown (convstamps.h). */
#include "convstamps.h"

#include <string.h>

#include <stdio.h>

#include "viz/plot.h"

/* "4 stamps on every pixel" or "1 to 4 stamps per pixel". */
static const char *convstamps_range(char *buf, size_t cap, int lo, int hi)
{
    if (lo == hi)
        snprintf(buf, cap, "%d stamp%s on every pixel", lo, lo == 1 ? "" : "s");
    else
        snprintf(buf, cap, "%d to %d stamps per pixel", lo, hi);
    return buf;
}

void convstamps_print_map(lesson *L, const float *y, int side)
{
    for (int i = 0; i < side; i++) {
        lesson_print(L, "   ");
        for (int j = 0; j < side; j++) lesson_print(L, " %g", (double)y[i * side + j]);
        lesson_print(L, "\n");
    }
}

void convstamps_show(lesson *L, const float *y14, const float *y13, int *k4_spread,
                     int *k3_spread)
{
    int lo4 = 99, hi4 = 0, lo3 = 99, hi3 = 0;
    for (int i = 1; i < 13; i++)
        for (int j = 1; j < 13; j++) {
            int v = (int)y14[i * 14 + j];
            lo4 = v < lo4 ? v : lo4;
            hi4 = v > hi4 ? v : hi4;
        }
    for (int i = 1; i < 12; i++)
        for (int j = 1; j < 12; j++) {
            int v = (int)y13[i * 13 + j];
            lo3 = v < lo3 ? v : lo3;
            hi3 = v > hi3 ? v : hi3;
        }
    char k4[48], k3[48];
    lesson_print(L, "a map of ones, away from the border: kernel 4 gives %s, kernel 3 gives "
                 "%s\n", convstamps_range(k4, sizeof k4, lo4, hi4),
                 convstamps_range(k3, sizeof k3, lo3, hi3));
    /* Each map as a matrix of cells, row 0 on top as printed above. */
    const float *maps[2] = {y14, y13};
    const int sides[2] = {14, 13}, kernels[2] = {4, 3};
    for (int m = 0; m < 2; m++) {
        char name[32], title[120], caption[160];
        snprintf(name, sizeof name, "convt_stamps_k%d", kernels[m]);
        snprintf(title, sizeof title, "kernel %d, stride 2, padding 1: stamps on each pixel of "
                 "the %d x %d output", kernels[m], sides[m], sides[m]);
        snprintf(caption, sizeof caption, "kernel %d: stamps per output pixel from a 7 x 7 map "
                 "of ones (%s)", kernels[m], m == 0 ? "even away from the border"
                                                     : "a checkerboard");
        nn_plot p = {.dir = L->out, .name = name, .title = title, .xlabel = "output column",
                     .ylabel = "output row", .width = 560, .height = 520};
        nn_error err;
        nn_status s = nn_plot_matrix(&p, maps[m], sides[m], sides[m], NULL, NULL, &err);
        lesson_plot_shown(L, &p, s, &err, caption);
    }
    *k4_spread = hi4 - lo4;
    *k3_spread = hi3 - lo3;
}
