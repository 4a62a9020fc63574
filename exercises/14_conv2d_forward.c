/* Exercise 14: a convolution's forward pass, in plain loops. Every
 * convolution runs it when GANSTEPS_KERNEL=reference picks the plain kernels
 * (lib/nn/conv.h declares it; the fast path is checked against the same maths).
 * Check it with `make check EX=14`; stuck? `make hint EX=14`. */
#include "nn.h"

void nn_conv2d_forward_reference(float *y, const float *x, const float *w, const float *b,
                                 int batch, int c_in, int in_h, int in_w, int c_out, int k,
                                 int stride, int pad)
{
    /* TODO: y (batch, c_out, oh, ow) from x (batch, c_in, in_h, in_w),
     * w (c_out, c_in, k, k) and b (c_out, or NULL: no bias):
     *   y[n][o][i][j] = b[o] + sum over c, p, q of
     *                   x[n][c][i*stride + p - pad][j*stride + q - pad] * w[o][c][p][q]
     * where x is 0 outside the image. oh and ow: nn_conv2d_out_size. */
    (void)x;
    (void)w;
    (void)b;
    (void)c_in;
    const int oh = nn_conv2d_out_size(in_h, k, stride, pad);
    const int ow = nn_conv2d_out_size(in_w, k, stride, pad);
    for (size_t i = 0; i < (size_t)batch * (size_t)c_out * (size_t)oh * (size_t)ow; i++)
        y[i] = 0.0f;
}
