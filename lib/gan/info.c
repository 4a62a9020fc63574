/* info.c - the continuous codes' information loss (info.h). The categorical
 * one is exercise 21 (solutions/21_info_loss.c). */
#include "gan/info.h"

#include <stddef.h>

float nn_info_cont_loss(float *dmu, const float *mu, int stride, const float *c, int n, int m)
{
    double total = 0.0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < m; j++) {
            float d = mu[(size_t)i * stride + j] - c[(size_t)i * m + j];
            total += 0.5 * (double)d * d;
            if (dmu) dmu[(size_t)i * stride + j] = d / (float)n;
        }
    return (float)(total / n);
}
