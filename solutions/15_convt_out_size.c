/* Exercise 15: the output size of a transposed convolution. */
#include "nn.h"

int nn_conv_transpose2d_out_size(int in, int k, int stride, int pad)
{
    /* The transposed convolution undoes the convolution's shapes: its output
     * is the input size a convolution (k, stride, pad) would shrink to `in`.
     * Solve in = (out + 2 pad - k) / stride + 1 for out, taking the
     * smallest such size (torch's, with output_padding 0): the first window
     * covers k pixels, each of the other in - 1 steps adds stride more, and
     * the padding is cut off both sides. */
    return (in - 1) * stride - 2 * pad + k;
}
