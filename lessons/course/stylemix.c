/* stylemix.c - which source a style-mixed image follows (stylemix.h). */
#include "stylemix.h"

#include "classifier.h"

static double mean_sq_diff(const float *a, const float *b, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++) s += ((double)a[i] - b[i]) * ((double)a[i] - b[i]);
    return s / (double)n;
}

void stylemix_measure(lesson *L, stylemix_result *r, styledraw *d, nn_model *net,
                      const float *z1, const float *z2, int npairs,
                      const int crosses[STYLEMIX_CROSSES])
{
    float *img1 = lesson_alloc(L, (size_t)npairs * 784, sizeof(float));
    float *img2 = lesson_alloc(L, (size_t)npairs * 784, sizeof(float));
    float *imgm = lesson_alloc(L, (size_t)npairs * 784, sizeof(float));
    int *lab1 = lesson_alloc(L, (size_t)npairs, sizeof(int));
    int *lab2 = lesson_alloc(L, (size_t)npairs, sizeof(int));
    int *labm = lesson_alloc(L, (size_t)npairs, sizeof(int));
    styledraw_images(d, img1, z1, NULL, 0, 1.0f, npairs);
    styledraw_images(d, img2, z2, NULL, 0, 1.0f, npairs);
    classifier_predict(net, img1, npairs, lab1);
    classifier_predict(net, img2, npairs, lab2);
    r->npairs = npairs;
    r->differ = 0;
    for (int i = 0; i < npairs; i++) r->differ += lab1[i] != lab2[i];
    for (int k = 0; k < STYLEMIX_CROSSES; k++) {
        r->crosses[k] = crosses[k];
        styledraw_images(d, imgm, z1, z2, crosses[k], 1.0f, npairs);
        classifier_predict(net, imgm, npairs, labm);
        int same1 = 0, same2 = 0;
        r->dist_coarse[k] = r->dist_fine[k] = 0.0;
        for (int i = 0; i < npairs; i++) {
            if (lab1[i] == lab2[i]) continue; /* only pairs whose sources differ count */
            same1 += labm[i] == lab1[i];
            same2 += labm[i] == lab2[i];
        }
        for (int i = 0; i < npairs; i++) {
            r->dist_coarse[k] += mean_sq_diff(imgm + (size_t)i * 784, img1 + (size_t)i * 784,
                                              784);
            r->dist_fine[k] += mean_sq_diff(imgm + (size_t)i * 784, img2 + (size_t)i * 784,
                                            784);
        }
        r->dist_coarse[k] /= npairs;
        r->dist_fine[k] /= npairs;
        r->share_coarse[k] = r->differ ? (double)same1 / r->differ : 0.0;
        r->share_fine[k] = r->differ ? (double)same2 / r->differ : 0.0;
    }
    nn_free(img1);
    nn_free(img2);
    nn_free(imgm);
    nn_free(lab1);
    nn_free(lab2);
    nn_free(labm);
}

void stylemix_report(lesson *L, const stylemix_result *r, const nn_model *G)
{
    lesson_print(L, "%d pairs of sources, %d of them of different classes (by the lesson "
                 "classifier)\n", r->npairs, r->differ);
    lesson_print(L, "  coarse slots  coarse maps  class of coarse  class of fine  "
                 "mean sq. dist to coarse  to fine\n");
    for (int k = 0; k < STYLEMIX_CROSSES; k++) {
        char maps[32];
        styledraw_slot_sides(maps, sizeof maps, G, r->crosses[k]);
        lesson_print(L, "  0 .. %d  %16s  %14.1f%%  %12.1f%%  %23.4f  %7.4f\n",
                     r->crosses[k] - 1, maps, 100.0 * r->share_coarse[k],
                     100.0 * r->share_fine[k], r->dist_coarse[k], r->dist_fine[k]);
    }
    lesson_key(L, "mix_pairs_differ", "%d", r->differ);
    lesson_key(L, "mix_class_coarse", "%.4f", r->share_coarse[0]);
    lesson_key(L, "mix_class_fine", "%.4f", r->share_fine[0]);
    lesson_key(L, "mix_dist_coarse", "%.4f", r->dist_coarse[0]);
    lesson_key(L, "mix_dist_fine", "%.4f", r->dist_fine[0]);
    lesson_key(L, "mix_mid_class_coarse", "%.4f", r->share_coarse[1]);
    lesson_key(L, "mix_mid_class_fine", "%.4f", r->share_fine[1]);
}
