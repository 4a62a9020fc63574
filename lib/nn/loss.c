/* loss.c - losses on logits and the GAN objectives (loss.h).
 *
 * Each loss returns the mean over its samples and WRITES (=) the gradient of
 * that mean into ds when ds is not NULL. Sums run in double so a batch of
 * large logits does not lose the small ones; only the result is float.
 * Nothing here takes exp of a positive number or log of something that can
 * round to zero, which is what keeps |s| = 1e4 or 1e30 finite.
 */
#include "nn/loss.h"

#include <assert.h>
#include <math.h>

float nn_softplus(float x)
{
    /* log(1 + e^x) = max(x, 0) + log(1 + e^-|x|): the exp is at most 1. */
    return fmaxf(x, 0.0f) + log1pf(expf(-fabsf(x)));
}

/* softplus(s) - t * s, the per-sample cross-entropy of target t on logit s,
 * as (max(s, 0) - t s) + log1p(e^-|s|): for t = 1 and large s the two big
 * terms cancel exactly first, so the small log1p tail is not rounded away. */
static double bce1(float s, float t)
{
    const double sd = s;
    return (fmax(sd, 0.0) - (double)t * sd) + log1p(exp(-fabs(sd)));
}

/* L = mean softplus(s) - t s; dL/ds = (sigmoid(s) - t) / n, which is bounded
 * by 1/n in size for any s: the gradient of BCE on logits never explodes. */
float nn_bce_with_logits(float *ds, const float *s, const float *t, int n)
{
    assert(n > 0 && s && t);
    double sum = 0.0;
    for (int i = 0; i < n; i++) {
        sum += bce1(s[i], t[i]);
        if (ds) ds[i] = (nn_sigmoidf(s[i]) - t[i]) / (float)n;
    }
    return (float)(sum / n);
}

float nn_gan_g_loss_minimax(float *ds, const float *s_fake, int n)
{
    assert(n > 0 && s_fake);
    double sum = 0.0;
    for (int i = 0; i < n; i++) {
        /* log(1 - sigmoid(s)) = -softplus(s) */
        sum -= bce1(s_fake[i], 0.0f);
        /* sigmoid(s) underflows to 0 as s -> -inf: the vanishing gradient
         * Goodfellow et al. describe, reproduced rather than avoided. */
        if (ds) ds[i] = -nn_sigmoidf(s_fake[i]) / (float)n;
    }
    return (float)(sum / n);
}

/* Least squares: the gradient grows with the distance from the target, so
 * fakes far on the right side of the boundary are still pulled in. No
 * logistic tail here: s is used as is, and squares only overflow past 1e19. */
float nn_lsgan_d_loss(float *ds_real, float *ds_fake, const float *s_real, const float *s_fake,
                      int n_real, int n_fake)
{
    assert(n_real > 0 && n_fake > 0 && s_real && s_fake);
    double lr = 0.0, lf = 0.0;
    for (int i = 0; i < n_real; i++) {
        double d = (double)s_real[i] - 1.0;
        lr += 0.5 * d * d;
        if (ds_real) ds_real[i] = (float)(d / n_real);
    }
    for (int i = 0; i < n_fake; i++) {
        double d = s_fake[i];
        lf += 0.5 * d * d;
        if (ds_fake) ds_fake[i] = (float)(d / n_fake);
    }
    return (float)(lr / n_real + lf / n_fake);
}

/* The generator wants its fakes scored as real (target 1). */
float nn_lsgan_g_loss(float *ds, const float *s_fake, int n)
{
    assert(n > 0 && s_fake);
    double sum = 0.0;
    for (int i = 0; i < n; i++) {
        double d = (double)s_fake[i] - 1.0;
        sum += 0.5 * d * d;
        if (ds) ds[i] = (float)(d / n);
    }
    return (float)(sum / n);
}

float nn_hinge_d_loss(float *ds_real, float *ds_fake, const float *s_real, const float *s_fake,
                      int n_real, int n_fake)
{
    assert(n_real > 0 && n_fake > 0 && s_real && s_fake);
    double lr = 0.0, lf = 0.0;
    /* The margin is 1: a real sample scored above 1 (a fake below -1) is
     * already far enough and contributes neither loss nor gradient. At the
     * kink itself the gradient is 0, as torch's relu has it. */
    for (int i = 0; i < n_real; i++) {
        double m = 1.0 - (double)s_real[i];
        lr += m > 0.0 ? m : 0.0;
        if (ds_real) ds_real[i] = m > 0.0 ? -1.0f / (float)n_real : 0.0f;
    }
    for (int i = 0; i < n_fake; i++) {
        double m = 1.0 + (double)s_fake[i];
        lf += m > 0.0 ? m : 0.0;
        if (ds_fake) ds_fake[i] = m > 0.0 ? 1.0f / (float)n_fake : 0.0f;
    }
    return (float)(lr / n_real + lf / n_fake);
}

float nn_hinge_g_loss(float *ds, const float *s_fake, int n)
{
    /* The same objective as WGAN's generator: raise the critic's score. */
    return nn_wgan_g_loss(ds, s_fake, n);
}
