/* Exercise 20: spherical interpolation between two latent vectors, the path
 * lesson 12 walks through G's latent space (lib/gan/latent.h declares it;
 * nn_latent_path calls it for every point of a spherical path).
 * Check it with `make check EX=20`; stuck? `make hint EX=20`. */
#include "nn.h"

void nn_slerp(float *out, const float *a, const float *b, int dim, float t)
{
    /* TODO: out (dim) = the point a fraction t of the way from a to b along
     * the arc between them:
     *   omega = arccos(a.b / (|a| |b|))
     *   out = sin((1 - t) omega) / sin(omega) a + sin(t omega) / sin(omega) b
     * and when a and b are (nearly) parallel, where sin(omega) is (nearly)
     * 0, the straight line (nn_lerp) instead. */
    (void)b;
    (void)t;
    for (int j = 0; j < dim; j++) out[j] = a[j];
}
