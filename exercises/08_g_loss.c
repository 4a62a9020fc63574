/* Exercise 8: the non-saturating generator loss, from D's logits on fakes.
 * Check it with `make check EX=8`; stuck? `make hint EX=8`. */
#include "exercises.h"

float gan_g_loss(float *ds, const float *s_fake, int n)
{
    /* TODO: L = mean softplus(-s_fake) (= mean -log D(G(z))), computed
     * stably; ds[i] = -sigmoid(-s_fake[i]) / n; return L. */
    (void)s_fake;
    for (int i = 0; i < n; i++) ds[i] = 0.0f;
    return 0.0f;
}
