/* Exercise 8: the non-saturating generator loss, from D's logits on fakes. */
#include "exercises.h"

#include <math.h>

float gan_g_loss(float *ds, const float *s_fake, int n)
{
    /* L = mean -log sigmoid(s) = mean softplus(-s); its gradient
     * -sigmoid(-s)/n stays near -1/n when D rejects the fake (s << 0),
     * where log(1 - D) would give G almost nothing. */
    double L = 0.0;
    for (int i = 0; i < n; i++) {
        float s = s_fake[i];
        L += fmaxf(-s, 0.0f) + log1pf(expf(-fabsf(s)));
        float e = expf(-fabsf(s));
        float sig_neg = s >= 0.0f ? e / (1.0f + e) : 1.0f / (1.0f + e); /* sigmoid(-s) */
        ds[i] = -sig_neg / (float)n;
    }
    return (float)(L / n);
}
