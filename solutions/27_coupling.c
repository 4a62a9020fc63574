/* Exercise 27: an affine coupling layer's forward, inverse and
 * log-determinant (RealNVP, Dinh et al. 2017). */
#include "nn.h"

#include <math.h>

void nn_coupling_forward(float *y, float *logdet, const float *x, const float *s,
                         const float *t, int n, int keep)
{
    int other = 1 - keep;
    for (int i = 0; i < n; i++) {
        /* The kept coordinate passes through: it is what s and t were
         * computed from, so the inverse can compute them again. */
        y[2 * i + keep] = x[2 * i + keep];
        y[2 * i + other] = x[2 * i + other] * expf(s[i]) + t[i];
        /* The Jacobian is [[1, 0], [., exp(s)]] (kept row first): triangular,
         * so log |det| = log exp(s) = s. */
        if (logdet) logdet[i] += s[i];
    }
}

void nn_coupling_inverse(float *x, float *logdet, const float *y, const float *s,
                         const float *t, int n, int keep)
{
    int other = 1 - keep;
    for (int i = 0; i < n; i++) {
        x[2 * i + keep] = y[2 * i + keep];
        /* Undo the shift, then the scaling: y = x e^s + t  =>  x = (y - t) e^-s. */
        x[2 * i + other] = (y[2 * i + other] - t[i]) * expf(-s[i]);
        if (logdet) logdet[i] -= s[i];
    }
}
