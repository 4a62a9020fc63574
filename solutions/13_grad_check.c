/* Exercise 13: the gradient checker itself, by central differences. */
#include "exercises.h"

#include <math.h>

double gan_grad_check(float *numeric, gan_scalar_fn f, void *ctx, float *x,
                      const float *analytic, int n, float h)
{
    double diff = 0.0, max_a = 0.0, max_n = 0.0;
    for (int i = 0; i < n; i++) {
        /* Central difference: its error is O(h^2), the one-sided
         * (f(x + h) - f(x)) / h only O(h). */
        const float orig = x[i];
        x[i] = orig + h;
        const double fp = f(x, ctx);
        x[i] = orig - h;
        const double fm = f(x, ctx);
        x[i] = orig; /* exactly: the next element is checked at the same point */
        numeric[i] = (float)((fp - fm) / (2.0 * (double)h));

        /* Max-norm relative error: one large, correct component is not
         * drowned by round-off in many tiny ones. */
        const double d = fabs((double)analytic[i] - (double)numeric[i]);
        if (!(d <= diff))
            diff = d; /* also takes a NaN, so a NaN shows as a failed check */
        if (fabs(analytic[i]) > max_a)
            max_a = fabs(analytic[i]);
        if (fabs(numeric[i]) > max_n)
            max_n = fabs(numeric[i]);
    }
    return diff / fmax(1e-8, max_a + max_n);
}
