/* Exercise 27: an affine coupling layer, the building block of lesson 17's
 * normalising flow (lib/flow/flow.h declares both functions; every density the
 * flow computes goes through the forward, every sample through the
 * inverse). Check it with `make check EX=27`; stuck? `make hint EX=27`. */
#include "nn.h"

#include <math.h>

void nn_coupling_forward(float *y, float *logdet, const float *x, const float *s,
                         const float *t, int n, int keep)
{
    /* TODO: for each point i of x (n rows of 2), with other = 1 - keep:
     *   y_keep = x_keep,   y_other = x_other * exp(s_i) + t_i,
     * and when logdet is not NULL ADD (+=) this layer's log |det J| to
     * logdet[i]. Work the Jacobian of (x_keep, x_other) -> (y_keep, y_other)
     * out on paper first: which entry is 0? */
    (void)y;
    (void)logdet;
    (void)x;
    (void)s;
    (void)t;
    (void)n;
    (void)keep;
}

void nn_coupling_inverse(float *x, float *logdet, const float *y, const float *s,
                         const float *t, int n, int keep)
{
    /* TODO: undo nn_coupling_forward: given y (n rows of 2) and the same s
     * and t, write x, and when logdet is not NULL add the inverse map's
     * log |det J| (what is it, given the forward's?). */
    (void)x;
    (void)logdet;
    (void)y;
    (void)s;
    (void)t;
    (void)n;
    (void)keep;
}
