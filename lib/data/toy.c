/* toy.c - mixtures of Gaussians for the instructor demos (data.h). */
#include "data/toy.h"

#include <math.h>
#include <string.h>

static nn_status check_common(int n_modes, float sigma, const char *what, nn_error *err)
{
    if (n_modes < 1 || n_modes > NN_TOY_MAX_MODES)
        return nn_fail(err, NN_ERR_ARG, "%s: %d modes; must be 1..%d", what, n_modes,
                       NN_TOY_MAX_MODES);
    if (!(sigma > 0.0f) || !isfinite(sigma))
        return nn_fail(err, NN_ERR_ARG, "%s: sigma %g; must be a positive number", what,
                       (double)sigma);
    return NN_OK;
}

nn_status nn_toy_ring(nn_toy *t, int n_modes, float radius, float sigma, nn_error *err)
{
    memset(t, 0, sizeof *t);
    nn_status s = check_common(n_modes, sigma, "ring", err);
    if (s != NN_OK) return s;
    if (!(radius > 0.0f) || !isfinite(radius))
        return nn_fail(err, NN_ERR_ARG, "ring: radius %g; must be a positive number",
                       (double)radius);
    t->dim = 2;
    t->n_modes = n_modes;
    t->sigma = sigma;
    t->name = "ring";
    const double two_pi = 6.283185307179586;
    for (int k = 0; k < n_modes; k++) {
        /* In double so the 8 centres land on exact-looking values (2, 0), (1.414.., 1.414..). */
        double a = two_pi * k / n_modes;
        t->centres[2 * k] = (float)(radius * cos(a));
        t->centres[2 * k + 1] = (float)(radius * sin(a));
    }
    return NN_OK;
}

nn_status nn_toy_grid(nn_toy *t, int side, float spacing, float sigma, nn_error *err)
{
    memset(t, 0, sizeof *t);
    if (side < 1 || side * side > NN_TOY_MAX_MODES)
        return nn_fail(err, NN_ERR_ARG, "grid: side %d; must be 1..8 (at most %d modes)", side,
                       NN_TOY_MAX_MODES);
    nn_status s = check_common(side * side, sigma, "grid", err);
    if (s != NN_OK) return s;
    if (!(spacing > 0.0f) || !isfinite(spacing))
        return nn_fail(err, NN_ERR_ARG, "grid: spacing %g; must be a positive number",
                       (double)spacing);
    t->dim = 2;
    t->n_modes = side * side;
    t->sigma = sigma;
    t->name = "grid";
    float half = 0.5f * (float)(side - 1);
    for (int i = 0; i < side; i++)
        for (int j = 0; j < side; j++) {
            int k = i * side + j;
            t->centres[2 * k] = spacing * ((float)i - half);
            t->centres[2 * k + 1] = spacing * ((float)j - half);
        }
    return NN_OK;
}

nn_status nn_toy_mixture1d(nn_toy *t, const float *means, int n_modes, float sigma,
                           nn_error *err)
{
    memset(t, 0, sizeof *t);
    nn_status s = check_common(n_modes, sigma, "mixture1d", err);
    if (s != NN_OK) return s;
    t->dim = 1;
    t->n_modes = n_modes;
    t->sigma = sigma;
    t->name = "mixture1d";
    for (int k = 0; k < n_modes; k++) {
        if (!isfinite(means[k]))
            return nn_fail(err, NN_ERR_ARG, "mixture1d: mean %d is not a finite number", k);
        t->centres[k] = means[k];
    }
    return NN_OK;
}

void nn_toy_sample(const nn_toy *t, nn_rng *r, float *x, int *mode, int n)
{
    for (int i = 0; i < n; i++) {
        int k = (int)nn_rng_below(r, (uint32_t)t->n_modes);
        for (int d = 0; d < t->dim; d++)
            x[i * t->dim + d] = t->centres[k * t->dim + d] + t->sigma * nn_rng_normal(r);
        if (mode) mode[i] = k;
    }
}
