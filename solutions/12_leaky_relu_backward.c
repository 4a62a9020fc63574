/* Exercise 12: leaky ReLU's backward pass. */
#include "exercises.h"

void gan_leaky_relu_backward(float *dx, const float *dy, const float *x, float slope, size_t n)
{
    /* y = x for x > 0, slope * x otherwise: the local slope is 1 or slope,
     * never 0, so some gradient always flows (unlike a plain ReLU). */
    for (size_t i = 0; i < n; i++) dx[i] += dy[i] * (x[i] > 0.0f ? 1.0f : slope);
}
