/* Exercise 11: a linear layer's backward pass, in plain loops.
 * Check it with `make check EX=11`; stuck? `make hint EX=11`. */
#include "exercises.h"

void gan_linear_backward(float *dx, float *dw, float *db, const float *dy, const float *x,
                         const float *w, int batch, int in, int out)
{
    /* TODO: with y[b][o] = sum_i x[b][i] * w[o][i] + bias[o], ADD (+=)
     *   dx[b][i] += sum_o dy[b][o] * w[o][i]     (skip when dx is NULL)
     *   dw[o][i] += sum_b dy[b][o] * x[b][i]     (skip when dw is NULL)
     *   db[o]    += sum_b dy[b][o]               (skip when db is NULL)
     * in plain loops (not nn_linear_backward). */
    (void)dx;
    (void)dw;
    (void)db;
    (void)dy;
    (void)x;
    (void)w;
    (void)batch;
    (void)in;
    (void)out;
}
