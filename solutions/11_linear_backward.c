/* Exercise 11: a linear layer's backward pass, in plain loops. */
#include "exercises.h"

void gan_linear_backward(float *dx, float *dw, float *db, const float *dy, const float *x,
                         const float *w, int batch, int in, int out)
{
    /* y[b][o] = sum_i x[b][i] w[o][i] + b[o], so each term sends dy[b][o]
     * back to x[b][i] (times w[o][i]), to w[o][i] (times x[b][i]) and to
     * b[o]. Gradients are ADDED: the caller zeroes them first. */
    for (int b = 0; b < batch; b++) {
        const float *dyb = dy + (size_t)b * (size_t)out;
        const float *xb = x + (size_t)b * (size_t)in;
        for (int o = 0; o < out; o++) {
            float g = dyb[o];
            const float *wo = w + (size_t)o * (size_t)in;
            if (dx) {
                float *dxb = dx + (size_t)b * (size_t)in;
                for (int i = 0; i < in; i++) dxb[i] += g * wo[i];
            }
            if (dw) {
                float *dwo = dw + (size_t)o * (size_t)in;
                for (int i = 0; i < in; i++) dwo[i] += g * xb[i];
            }
            if (db) db[o] += g;
        }
    }
}
