/* Exercise 24: one step of the fast gradient sign method. */
#include "nn.h"

void nn_fgsm_step(float *x_adv, const float *x, const float *grad, int n, float eps, float lo,
                  float hi)
{
    /* Only the gradient's sign is used: every value moves by exactly eps
     * (the attack's budget, the largest change of any one pixel), up where
     * the loss grows with it, down where it falls, not at all where the
     * gradient is 0. Clipping keeps the result a valid image. */
    for (int i = 0; i < n; i++) {
        float s = grad[i] > 0.0f ? 1.0f : grad[i] < 0.0f ? -1.0f : 0.0f;
        float v = x[i] + eps * s;
        x_adv[i] = v < lo ? lo : v > hi ? hi : v;
    }
}
