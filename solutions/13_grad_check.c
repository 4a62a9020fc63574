/* Exercise 13: the gradient checker's two parts, the numeric derivative and
 * the error measure. Every gradient check of the library goes through them. */
#include "nn.h"

#include <math.h>

double nn_central_difference(nn_loss_fn f, void *ctx, float *x, float h)
{
    /* (f(x + h) - f(x - h)) / 2h: its error is O(h^2), the one-sided
     * (f(x + h) - f(x)) / h only O(h). */
    const float orig = *x;
    const float xp = orig + h, xm = orig - h;
    *x = xp;
    const double fp = f(ctx);
    *x = xm;
    const double fm = f(ctx);
    *x = orig; /* exactly: the next element is checked at the same point */
    /* Divided by the distance the two floats really have, not by 2h: float32
     * rounds orig + h, and that rounding would otherwise be in the estimate. */
    return (fp - fm) / ((double)xp - (double)xm);
}

double nn_rel_error(const float *a, const float *b, size_t n)
{
    /* max|a - b| / max(1e-8, max|a| + max|b|): one large, correct component
     * is not drowned by round-off in many tiny ones, and the floor keeps two
     * zero vectors at 0 rather than 0/0. */
    double diff = 0.0, ma = 0.0, mb = 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = fabs((double)a[i] - (double)b[i]);
        /* A NaN is taken (!(NaN <= diff) holds) and then kept: once diff
         * is NaN, no later number replaces it, so a NaN anywhere shows. */
        if (diff == diff && !(d <= diff)) diff = d;
        if (fabs((double)a[i]) > ma) ma = fabs((double)a[i]);
        if (fabs((double)b[i]) > mb) mb = fabs((double)b[i]);
    }
    return diff / fmax(1e-8, ma + mb);
}
