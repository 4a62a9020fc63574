/* quality.c - the lesson classifier as a judge and as a target (quality.h). */
#include "quality.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void quality_nearest(int *idx, float *dist, const float *x, int n, const float *ref, int nref,
                     int dim)
{
    for (int i = 0; i < n; i++) {
        const float *a = x + (size_t)i * dim;
        double best = DBL_MAX;
        int arg = 0;
        for (int r = 0; r < nref; r++) {
            const float *b = ref + (size_t)r * dim;
            double s = 0.0;
            for (int j = 0; j < dim && s < best; j++) {
                double d = (double)a[j] - b[j];
                s += d * d;
            }
            if (s < best) {
                best = s;
                arg = r;
            }
        }
        if (idx) idx[i] = arg;
        dist[i] = (float)sqrt(best);
    }
}

void quality_fgsm(nn_model *net, float *x_adv, const float *x, const int *labels, int n,
                  float eps)
{
    int b = net->max_batch;
    float *dlogits = nn_alloc((size_t)b * CLASSIFIER_CLASSES, sizeof(float));
    float *dx = nn_alloc((size_t)b * 784, sizeof(float));
    if (!dlogits || !dx) {
        /* No memory for the gradient: no attack, the images stay as they are. */
        memmove(x_adv, x, (size_t)n * 784 * sizeof(float));
        nn_free(dlogits);
        nn_free(dx);
        return;
    }
    for (int i = 0; i < n; i += b) {
        int k = n - i < b ? n - i : b;
        const float *xi = x + (size_t)i * 784;
        /* The loss's gradient with respect to the pixels: the same backward
         * pass as training, frozen (no weight gradients), into dx. */
        const float *s = nn_model_forward(net, xi, k, 0);
        classifier_xent(dlogits, s, labels + i, k, CLASSIFIER_CLASSES);
        memset(dx, 0, (size_t)k * 784 * sizeof(float));
        nn_model_backward(net, dx, dlogits, k, 0);
        /* Pixels live in [-1, 1]: eps of the [0, 1] range is 2 eps here. */
        nn_fgsm_step(x_adv + (size_t)i * 784, xi, dx, k * 784, 2.0f * eps, -1.0f, 1.0f);
    }
    nn_free(dlogits);
    nn_free(dx);
}

const char *quality_ordinal(int k)
{
    int last2 = k % 100, last = k % 10;
    if (last2 >= 11 && last2 <= 13) return "th";
    return last == 1 ? "st" : last == 2 ? "nd" : last == 3 ? "rd" : "th";
}

quality_pr_verdict quality_pr_choose(float r_collapsed, float r_healthy, float r_floor)
{
    int healthy_ok = r_healthy >= 0.5f * r_floor, collapsed_low = r_collapsed < 0.5f * r_healthy;
    if (healthy_ok) return collapsed_low ? QUALITY_PR_SHOWN : QUALITY_PR_NOT_COLLAPSED;
    return collapsed_low ? QUALITY_PR_HEALTHY_SHORT : QUALITY_PR_NEITHER;
}
