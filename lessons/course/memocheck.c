/* memocheck.c - the figures of lesson 14's memorisation check (memocheck.h). */
#include "memocheck.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "nn.h"

void memocheck_figures(lesson *L, const float *d_fake, const float *d_test, int n,
                       double line, const float *img, const float *train_img, const int *near)
{
    nn_error err;
    /* Two histograms in one figure: the same bins for both. */
    float lo = d_fake[0], hi = d_fake[0];
    for (int i = 0; i < n; i++) {
        lo = fminf(lo, fminf(d_fake[i], d_test[i]));
        hi = fmaxf(hi, fmaxf(d_fake[i], d_test[i]));
    }
    enum { BINS = 30 };
    float xs[BINS], hf[BINS] = {0}, ht[BINS] = {0};
    float wdt = (hi - lo) / BINS + 1e-12f;
    for (int b = 0; b < BINS; b++) xs[b] = lo + (b + 0.5f) * wdt;
    for (int i = 0; i < n; i++) {
        int bf = (int)((d_fake[i] - lo) / wdt), bt = (int)((d_test[i] - lo) / wdt);
        hf[bf < BINS ? bf : BINS - 1] += 1;
        ht[bt < BINS ? bt : BINS - 1] += 1;
    }
    const float *ys[2] = {hf, ht};
    const char *names[2] = {"GAN samples", "real test images"};
    char title[120];
    snprintf(title, sizeof title, "distance to the nearest training image (features); "
             "copy line %.2f", line);
    nn_plot p = {.dir = L->out, .name = "memorisation", .title = title,
                 .xlabel = "distance", .ylabel = "images",
                 .term = lesson_capture_begin(L), .term_rows = 14};
    nn_status s = nn_plot_lines(&p, xs, ys, names, 2, BINS, &err);
    lesson_capture_end(L);
    lesson_plot_shown(L, &p, s, &err, "nearest-training-image distances");
    float pairs[16 * 784];
    for (int i = 0; i < 8; i++) {
        memcpy(pairs + i * 784, img + (size_t)i * 784, 784 * sizeof(float));
        memcpy(pairs + (8 + i) * 784, train_img + (size_t)near[i] * 784, 784 * sizeof(float));
    }
    nn_grid_opts o = nn_grid_defaults(-1.0f, 1.0f);
    o.cols = 8;
    o.scale = 3;
    lesson_check(L, nn_image_write_grid(lesson_path(L, "nearest_training.png"), pairs, 16, 1, 28,
                                        28, &o, &err), &err);
    lesson_figure(L, "nearest_training.png", "8 samples (top) and their nearest training "
                  "images (by features)");
}
