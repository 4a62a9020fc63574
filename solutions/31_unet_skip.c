/* Exercise 31: the U-Net's skip connection, forward and backward. */
#include <string.h>

#include "nn.h"

void nn_concat_channels_forward(float *out, const float *a, const float *b, int n, int ca,
                                int cb, int hw)
{
    /* An image's channels are contiguous (NCHW), so putting b's channels
     * after a's is two block copies per image. */
    const size_t na = (size_t)ca * hw, nb = (size_t)cb * hw;
    for (int i = 0; i < n; i++) {
        float *o = out + (size_t)i * (na + nb);
        memcpy(o, a + (size_t)i * na, na * sizeof(float));
        memcpy(o + na, b + (size_t)i * nb, nb * sizeof(float));
    }
}

void nn_concat_channels_backward(float *da, float *db, const float *dout, int n, int ca, int cb,
                                 int hw)
{
    /* Each number of out is one number of a or of b, so its gradient goes
     * back to that one number, unchanged. Added, not written: the skip's
     * source also feeds the next encoder level, whose gradient is summed in
     * the same buffer. */
    const size_t na = (size_t)ca * hw, nb = (size_t)cb * hw;
    for (int i = 0; i < n; i++) {
        const float *g = dout + (size_t)i * (na + nb);
        if (da)
            for (size_t j = 0; j < na; j++) da[(size_t)i * na + j] += g[j];
        if (db)
            for (size_t j = 0; j < nb; j++) db[(size_t)i * nb + j] += g[na + j];
    }
}
