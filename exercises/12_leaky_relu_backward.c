/* Exercise 12: leaky ReLU's backward pass. Every discriminator of the course
 * runs it (lib/nn/layers.h declares it).
 * Check it with `make check EX=12`; stuck? `make hint EX=12`. */
#include "nn.h"

void nn_leaky_relu_backward(float *dx, const float *dy, const float *x, float slope, size_t n)
{
    /* TODO: y = x where x > 0, slope * x elsewhere. ADD dL/dx into dx (n)
     * from dy = dL/dy and the layer's input x; nothing when dx is NULL. */
    (void)dx;
    (void)dy;
    (void)x;
    (void)slope;
    (void)n;
}
