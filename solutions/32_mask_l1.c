/* Exercise 32: the inpainting generator's input and the L1 loss. */
#include <math.h>

#include "nn.h"

void nn_mask_input(float *out, const float *x, const float *mask, int n, int hw)
{
    /* Two channels per image: what is known of it (hidden pixels at 0),
     * then where the hole is. Without the mask channel, a hidden pixel and
     * a real mid-grey pixel would look the same to the generator. */
    for (int i = 0; i < n; i++) {
        const float *xi = x + (size_t)i * hw, *mi = mask + (size_t)i * hw;
        float *o = out + (size_t)i * 2 * hw;
        for (int j = 0; j < hw; j++) {
            o[j] = xi[j] * (1.0f - mi[j]);
            o[hw + j] = mi[j];
        }
    }
}

float nn_l1_loss(float *dp, const float *p, const float *t, const float *mask, int n,
                 float lambda)
{
    /* The mean of |p - t| over the counted pixels: each pixel's weight is
     * m_i / sum m. The derivative of |e| is sign(e), 0 at e = 0 (torch's
     * choice). Sums in double: a batch is thousands of terms. */
    double count = 0.0, L = 0.0;
    for (int i = 0; i < n; i++) count += mask ? mask[i] : 1.0f;
    if (count <= 0.0) return 0.0f;
    const float g = (float)(lambda / count);
    for (int i = 0; i < n; i++) {
        float m = mask ? mask[i] : 1.0f, e = p[i] - t[i];
        L += m * fabs((double)e);
        if (dp) dp[i] += e > 0.0f ? m * g : e < 0.0f ? -m * g : 0.0f;
    }
    return (float)(lambda * L / count);
}
