/* Exercise 15: the output size of a transposed convolution. The model asks
 * it for the shape of every conv_transpose2d layer, and the layer for the
 * size of the image it writes (lib/nn/conv.h declares it).
 * Check it with `make check EX=15`; stuck? `make hint EX=15`. */
#include "nn.h"

int nn_conv_transpose2d_out_size(int in, int k, int stride, int pad)
{
    /* TODO: the height (or width) of the image a transposed convolution
     * with kernel k, this stride and padding makes from one of size `in`:
     * the size a convolution (k, stride, pad) would shrink back to `in`
     * (torch.nn.ConvTranspose2d, output_padding 0). */
    (void)in;
    (void)k;
    (void)stride;
    (void)pad;
    return 0;
}
