/* Exercise 7: the discriminator's loss, from logits. */
#include "nn.h"

#include <math.h>

/* softplus(s) - t s, the cross-entropy of target t on logit s, written as
 * (max(s, 0) - t s) + log1p(e^-|s|): e^-|s| never overflows, and for t = 1
 * and a large s the two big terms cancel before the small tail is added. */
static double cross_entropy(float s, float t)
{
    const double sd = s;
    return (fmax(sd, 0.0) - (double)t * sd) + log1p(exp(-fabs(sd)));
}

float nn_gan_d_loss(float *ds_real, float *ds_fake, const float *s_real, const float *s_fake,
                    int n_real, int n_fake, float real_label)
{
    /* Real samples against real_label: with label 1 this is
     * softplus(-s) = -log sigmoid(s) = -log D(x). Its gradient is
     * (sigmoid(s) - label), divided by n_real because the loss is a mean. */
    double lr = 0.0;
    for (int i = 0; i < n_real; i++) {
        lr += cross_entropy(s_real[i], real_label);
        if (ds_real) ds_real[i] = (nn_sigmoidf(s_real[i]) - real_label) / (float)n_real;
    }
    /* Fake samples against 0: softplus(s) = -log(1 - D(G(z))). */
    double lf = 0.0;
    for (int i = 0; i < n_fake; i++) {
        lf += cross_entropy(s_fake[i], 0.0f);
        if (ds_fake) ds_fake[i] = nn_sigmoidf(s_fake[i]) / (float)n_fake;
    }
    /* Each half is its own mean, as two BCE calls in PyTorch would be. */
    return (float)(lr / n_real + lf / n_fake);
}
