/* Exercise 19: the rows a conditioned network reads, [x, one-hot(y)]. */
#include "nn.h"

#include <string.h>

void nn_gan_condition(float *out, const float *x, const int *y, int n, int dim, int k)
{
    /* Each output row is the input row followed by k label columns, all 0
     * but the one of its label: the network's first linear layer then adds
     * that label's own column of weights, a learned bias per class. */
    size_t w = (size_t)dim + (size_t)k;
    for (int i = 0; i < n; i++) {
        float *row = out + (size_t)i * w;
        memcpy(row, x + (size_t)i * dim, (size_t)dim * sizeof(float));
        memset(row + dim, 0, (size_t)k * sizeof(float));
        row[dim + y[i]] = 1.0f;
    }
}
