/* Exercise 22: the mean squared error and its gradient. */
#include "nn.h"

float nn_mse_loss(float *dy, const float *y, const float *t, int n)
{
    /* L = (1/n) sum (y - t)^2; each term's derivative in y_i is 2 (y_i - t_i),
     * and the mean divides it by n. The sum is kept in double: a 784-pixel
     * image times a batch is tens of thousands of small terms. */
    double L = 0.0;
    for (int i = 0; i < n; i++) {
        float e = y[i] - t[i];
        L += (double)e * e;
        if (dy) dy[i] = 2.0f * e / (float)n;
    }
    return (float)(L / n);
}
