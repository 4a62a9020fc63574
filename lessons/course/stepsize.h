/* stepsize.h - lesson 07's sweep of a central difference's step h: the
 * relative error of the check on f(x) = sum_i r_i tanh(x_i) at one h, once
 * in float32 through the library's tanh (evaluated as nn_gradcheck does)
 * and once with every number in double. Truncation error shrinks with h,
 * round-off grows as h shrinks; the two curves show where float32 turns
 * around. Used by lesson 07.
 */
#ifndef GANSTEPS_STEPSIZE_H
#define GANSTEPS_STEPSIZE_H

/* nn_rel_error between grad (n), the analytic gradient r * (1 - tanh(x)^2)
 * computed in float32, and the central differences of the library's tanh at
 * xs (n) with step h, read out by rs (n). NaN when out of memory. */
float stepsize_rel_error_float32(const float *grad, const float *xs, const float *rs, int n,
                                 float h);

/* The same relative error with the analytic gradient, tanh and the
 * differences all in double. */
float stepsize_rel_error_float64(const float *xs, const float *rs, int n, float h);

#endif
