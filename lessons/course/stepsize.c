/* stepsize.c - lesson 07's error of the check against the step h (see
 * stepsize.h). */
#include "stepsize.h"

#include <math.h>
#include "nn.h"

float stepsize_rel_error_float32(const float *grad, const float *xs, const float *rs, int n,
                                 float h)
{
    float *numeric = nn_alloc((size_t)n, sizeof(float));
    if (!numeric)
        return NAN;
    for (int i = 0; i < n; i++) {
        float xi = xs[i], out[2];
        for (int side = 0; side < 2; side++) {
            float xp = side ? xi - h : xi + h;
            nn_tanh_forward(&out[side], &xp, 1);
        }
        numeric[i] = (float)(((double)rs[i] * out[0] - (double)rs[i] * out[1]) /
                             (2.0 * (double)h));
    }
    float err = (float)nn_rel_error(grad, numeric, (size_t)n);
    nn_free(numeric);
    return err;
}

float stepsize_rel_error_float64(const float *xs, const float *rs, int n, float h)
{
    double diff = 0.0, ma = 0.0, mn = 0.0;
    for (int i = 0; i < n; i++) {
        double xi = xs[i], t = tanh(xi), hd = h;
        double a = rs[i] * (1.0 - t * t);
        double num = rs[i] * (tanh(xi + hd) - tanh(xi - hd)) / (2.0 * hd);
        diff = fmax(diff, fabs(a - num));
        ma = fmax(ma, fabs(a));
        mn = fmax(mn, fabs(num));
    }
    return (float)(diff / fmax(1e-8, ma + mn));
}
