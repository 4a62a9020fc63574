/* Exercise 14: a convolution's forward pass in plain loops, the definition
 * the fast path is checked against. */
#include "nn.h"

void nn_conv2d_forward_reference(float *y, const float *x, const float *w, const float *b,
                                 int batch, int c_in, int in_h, int in_w, int c_out, int k,
                                 int stride, int pad)
{
    const int oh = nn_conv2d_out_size(in_h, k, stride, pad);
    const int ow = nn_conv2d_out_size(in_w, k, stride, pad);
    for (int n = 0; n < batch; n++)
        for (int o = 0; o < c_out; o++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++) {
                    /* Output pixel (i, j) looks at the k x k window whose top
                     * left corner is (i*stride - pad, j*stride - pad): each
                     * step of the output moves the window by the stride, and
                     * the padding shifts it up and left by pad. */
                    float acc = b ? b[o] : 0.0f;
                    for (int c = 0; c < c_in; c++)
                        for (int p = 0; p < k; p++) {
                            const int iy = i * stride + p - pad;
                            /* Outside the image is the zero padding: it adds nothing. */
                            if (iy < 0 || iy >= in_h) continue;
                            for (int q = 0; q < k; q++) {
                                const int ix = j * stride + q - pad;
                                if (ix < 0 || ix >= in_w) continue;
                                /* x (batch, c_in, in_h, in_w), w (c_out, c_in, k, k) */
                                acc += x[(((size_t)n * c_in + c) * in_h + iy) * in_w + ix] *
                                       w[(((size_t)o * c_in + c) * k + p) * k + q];
                            }
                        }
                    y[(((size_t)n * c_out + o) * oh + i) * ow + j] = acc;
                }
}
