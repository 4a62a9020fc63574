/* Exercise 7: the discriminator's loss, from logits. */
#include "exercises.h"

#include <math.h>

/* softplus(x) = log(1 + e^x) without overflow: max(x, 0) + log1p(e^-|x|). */
static float softplus(float x)
{
    return fmaxf(x, 0.0f) + log1pf(expf(-fabsf(x)));
}

static float sigmoid(float x)
{
    /* e^-|x| never overflows; the two branches are the same function. */
    float e = expf(-fabsf(x));
    return x >= 0.0f ? 1.0f / (1.0f + e) : e / (1.0f + e);
}

float gan_d_loss(float *ds_real, float *ds_fake, const float *s_real, const float *s_fake,
                 int n)
{
    /* -log D(x) = -log sigmoid(s) = softplus(-s);
     * -log(1 - D(G(z))) = -log sigmoid(-s) = softplus(s). */
    double L = 0.0;
    for (int i = 0; i < n; i++) {
        L += softplus(-s_real[i]) + softplus(s_fake[i]);
        /* d softplus(-s)/ds = -sigmoid(-s);  d softplus(s)/ds = sigmoid(s);
         * divided by n because the loss is a mean. */
        ds_real[i] = -sigmoid(-s_real[i]) / (float)n;
        ds_fake[i] = sigmoid(s_fake[i]) / (float)n;
    }
    return (float)(L / n);
}
