/* Exercise 11: a linear layer's backward pass. */
#include "nn.h"

void nn_linear_backward(float *dx, float *dw, float *db, const float *dy, const float *x,
                        const float *w, int batch, int in, int out)
{
    /* y[r][o] = sum_i x[r][i] w[o][i] + b[o], so each term sends dy[r][o]
     * back to x[r][i] (times w[o][i]), to w[o][i] (times x[r][i]) and to
     * b[o]. Gradients are ADDED (the last flag of nn_matmul): the caller
     * zeroes them first, and a layer used twice sums both uses. */
    /* dx (batch, in) += dy (batch, out) . w (out, in) */
    if (dx) nn_matmul(dx, dy, w, batch, in, out, 0, 0, 1);
    /* dw (out, in) += dy^T (out, batch) . x (batch, in): dy read transposed */
    if (dw) nn_matmul(dw, dy, x, out, in, batch, 1, 0, 1);
    /* db (out) += the column sums of dy */
    if (db) nn_bias_grad(db, dy, batch, out);
}
