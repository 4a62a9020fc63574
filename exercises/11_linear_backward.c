/* Exercise 11: a linear layer's backward pass. Every linear layer of every
 * lesson runs it (lib/nn/layers.h declares it).
 * Check it with `make check EX=11`; stuck? `make hint EX=11`. */
#include "nn.h"

void nn_linear_backward(float *dx, float *dw, float *db, const float *dy, const float *x,
                        const float *w, int batch, int in, int out)
{
    /* TODO: with y = x . w^T + b (w is (out, in)) and dy = dL/dy (batch,
     * out), ADD (+=) dL/dx into dx (batch, in), dL/dw into dw (out, in) and
     * dL/db into db (out); skip each one that is NULL. */
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
