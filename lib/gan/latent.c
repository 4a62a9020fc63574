/* latent.c - linear paths and the path maker (latent.h). Spherical
 * interpolation is exercise 20 (solutions/20_slerp.c). */
#include "gan/latent.h"

#include <stddef.h>

void nn_lerp(float *out, const float *a, const float *b, int dim, float t)
{
    for (int j = 0; j < dim; j++) out[j] = (1.0f - t) * a[j] + t * b[j];
}

void nn_latent_path(float *out, const float *a, const float *b, int dim, int steps,
                    int spherical)
{
    for (int i = 0; i < steps; i++) {
        float t = (float)i / (float)(steps - 1);
        float *row = out + (size_t)i * dim;
        if (spherical)
            nn_slerp(row, a, b, dim, t);
        else
            nn_lerp(row, a, b, dim, t);
    }
}
