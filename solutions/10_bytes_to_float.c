/* Exercise 10: pixels 0..255 to the floats the networks read. */
#include "nn.h"

void nn_bytes_to_float(float *out, const uint8_t *in, size_t n, nn_range range)
{
    /* [-1, 1] is what a tanh generator outputs, so real and fake images live
     * on the same scale and D cannot tell them apart by the range alone;
     * 127.5 maps 0 to -1 and 255 to +1 exactly. */
    if (range == NN_RANGE_PM1)
        for (size_t i = 0; i < n; i++) out[i] = (float)in[i] / 127.5f - 1.0f;
    else
        for (size_t i = 0; i < n; i++) out[i] = (float)in[i] / 255.0f;
}
