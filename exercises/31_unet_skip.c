/* Exercise 31: the skip connection of lesson 19's U-Net, forward and
 * backward (lib/nn/unet.h declares them; every forward and backward of a
 * U-Net with skips calls them at both of its skips: lesson 19 trains
 * Pix2Pix's generator with them).
 * Check it with `make check EX=31`; stuck? `make hint EX=31`. */
#include "nn.h"

#include <string.h>

void nn_concat_channels_forward(float *out, const float *a, const float *b, int n, int ca,
                                int cb, int hw)
{
    /* TODO: image i of out is image i of a (ca channels of hw pixels)
     * followed by image i of b (cb channels of hw pixels). Where does image
     * i start in out, in a and in b? (Their widths differ.) */
    (void)a;
    (void)b;
    memset(out, 0, (size_t)n * (size_t)(ca + cb) * (size_t)hw * sizeof(float));
}

void nn_concat_channels_backward(float *da, float *db, const float *dout, int n, int ca, int cb,
                                 int hw)
{
    /* TODO: each number of out is a copy of one number of a or of b: send
     * its gradient back to that number. ADD (+=) into da and db, which
     * already hold the gradient of another path; skip whichever is NULL. */
    (void)da;
    (void)db;
    (void)dout;
    (void)n;
    (void)ca;
    (void)cb;
    (void)hw;
}
