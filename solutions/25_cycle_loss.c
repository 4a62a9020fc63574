/* Exercise 25: the cycle-consistency loss and its gradient. */
#include <math.h>

#include "nn.h"

float nn_cycle_loss(float *drec, const float *rec, const float *x, int n, float lambda)
{
    /* L = lambda (1/n) sum |rec - x|. The derivative of |e| is the sign of
     * e, and 0 where e is 0 (torch's choice at the kink: a pixel already
     * reconstructed is left alone). The sum is kept in double: a batch of
     * images is tens of thousands of terms. */
    double L = 0.0;
    float g = lambda / (float)n;
    for (int i = 0; i < n; i++) {
        float e = rec[i] - x[i];
        L += fabs((double)e);
        if (drec) drec[i] = e > 0.0f ? g : e < 0.0f ? -g : 0.0f;
    }
    return (float)(lambda * (L / n));
}
