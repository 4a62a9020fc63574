/* Exercise 20: spherical interpolation between two latent vectors. */
#include "nn.h"

#include <math.h>

void nn_slerp(float *out, const float *a, const float *b, int dim, float t)
{
    /* The angle between a and b, in double: for nearly parallel vectors the
     * cosine is within a rounding of 1, and float would lose the angle. */
    double ab = 0.0, aa = 0.0, bb = 0.0;
    for (int j = 0; j < dim; j++) {
        ab += (double)a[j] * b[j];
        aa += (double)a[j] * a[j];
        bb += (double)b[j] * b[j];
    }
    double c = aa > 0.0 && bb > 0.0 ? ab / sqrt(aa * bb) : 1.0;
    /* Rounding can push the cosine just past +-1, where acos is NaN. */
    c = c > 1.0 ? 1.0 : c < -1.0 ? -1.0 : c;
    double omega = acos(c), s = sin(omega);
    /* Parallel (or opposite, or a zero vector): the arc is not defined by
     * the two ends, and the weights would be 0 / 0; the straight line is
     * the limit of the arc as the angle goes to 0. */
    if (s < 1e-6) {
        nn_lerp(out, a, b, dim, t);
        return;
    }
    double wa = sin((1.0 - t) * omega) / s, wb = sin(t * omega) / s;
    for (int j = 0; j < dim; j++) out[j] = (float)(wa * a[j] + wb * b[j]);
}
