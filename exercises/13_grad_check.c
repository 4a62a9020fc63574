/* Exercise 13: the gradient checker itself, by central differences.
 * Check it with `make check EX=13`; stuck? `make hint EX=13`. */
#include "exercises.h"

double gan_grad_check(float *numeric, gan_scalar_fn f, void *ctx, float *x,
                      const float *analytic, int n, float h)
{
    /* TODO: for each i: keep x[i], set x[i] + h and evaluate f, set x[i] - h
     * and evaluate f, put x[i] back exactly, numeric[i] = (f+ - f-) / (2h).
     * Then return max_i |analytic_i - numeric_i| divided by
     * max(1e-8, max_i |analytic_i| + max_i |numeric_i|). */
    (void)f;
    (void)ctx;
    (void)x;
    (void)analytic;
    (void)h;
    for (int i = 0; i < n; i++) numeric[i] = 0.0f;
    return 0.0;
}
