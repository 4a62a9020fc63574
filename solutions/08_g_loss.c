/* Exercise 8: the non-saturating generator loss, from D's logits on fakes. */
#include "nn.h"

#include <math.h>

float nn_gan_g_loss_nonsat(float *ds, const float *s_fake, int n)
{
    /* L = mean -log sigmoid(s) = mean softplus(-s), with softplus(x) =
     * max(x, 0) + log1p(e^-|x|) so that no exp overflows. Its gradient
     * -sigmoid(-s)/n stays near -1/n when D rejects the fake (s << 0),
     * where log(1 - D) would give G almost nothing. */
    double L = 0.0;
    for (int i = 0; i < n; i++) {
        float s = s_fake[i];
        L += fmax(-(double)s, 0.0) + log1p(exp(-fabs((double)s)));
        if (ds) ds[i] = -nn_sigmoidf(-s) / (float)n;
    }
    return (float)(L / n);
}
