/* convstamps.c - a transposed convolution's stamp counts, shown (convstamps.h). */
#include "convstamps.h"

#include <string.h>

#include "viz/image.h"

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
    lesson_print(L, "a map of ones, away from the border: kernel 4 gives %d to %d stamps per "
                 "pixel, kernel 3 gives %d to %d\n", lo4, hi4, lo3, hi3);
    /* Both maps as one figure, scaled to the same grey levels. */
    nn_error err;
    float pic[2 * 196];
    memcpy(pic, y14, 196 * sizeof(float));
    for (int i = 0; i < 196; i++) pic[196 + i] = 0.0f;
    for (int i = 0; i < 13; i++)
        for (int j = 0; j < 13; j++) pic[196 + i * 14 + j] = y13[i * 13 + j];
    nn_grid_opts o = nn_grid_defaults(0.0f, 4.0f);
    o.cols = 2;
    o.scale = 12;
    lesson_check(L, nn_image_write_grid(lesson_path(L, "convt_stamps.png"), pic, 2, 1, 14,
                                        14, &o, &err), &err);
    lesson_figure(L, "convt_stamps.png", "stamps per pixel: kernel 4 (even), kernel 3 "
                  "(checkerboard), stride 2, a map of ones");
    *k4_spread = hi4 - lo4;
    *k3_spread = hi3 - lo3;
}
