/* optim.c - SGD with momentum, Adam and RMSProp, each one flat loop over a block.
 *
 * Both follow torch.optim's update rules step for step (the tests compare
 * with torch), including where weight decay enters: added to the gradient,
 * L2-style, not decoupled as in AdamW.
 */
#include "optim.h"

#include <math.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

void nn_sgd_step(const nn_sgd *opt, float *params, const float *grads, float *velocity,
                 size_t n)
{
    const float lr = opt->lr, mu = opt->momentum, wd = opt->weight_decay;
    for (size_t i = 0; i < n; i++) {
        float g = grads[i] + wd * params[i];
        /* torch starts the buffer at the first gradient; a zeroed velocity
         * gives the same (mu * 0 + g), and momentum 0 leaves v == g. */
        if (mu != 0.0f) {
            velocity[i] = mu * velocity[i] + g;
            g = velocity[i];
        }
        params[i] -= lr * g;
    }
}

nn_adam nn_adam_gan_defaults(void)
{
    nn_adam a = {2e-4f, 0.5f, 0.999f, 1e-8f, 0.0f};
    return a;
}

void nn_adam_step(const nn_adam *opt, long t, float *params, const float *grads, float *m,
                  float *v, size_t n)
{
    const float b1 = opt->beta1, b2 = opt->beta2, eps = opt->eps, wd = opt->weight_decay;
    /* The bias corrections are scalars computed once, in double as torch
     * computes them in Python, then rounded to float for the loop. */
    const double bc1 = 1.0 - pow((double)b1, (double)t);
    const double bc2 = 1.0 - pow((double)b2, (double)t);
    const float step_size = (float)((double)opt->lr / bc1);
    const float bc2_sqrt = (float)sqrt(bc2);
    size_t i = 0;
#if defined(__SSE2__)
    /* Four parameters at a time. The compiler does not vectorise the plain
     * loop at -O2 (sqrtf may set errno, a branch in the loop), and Adam over
     * a 1.5M-parameter generator then costs as much as its forward pass.
     * Each operation below is the scalar loop's, in the same order, and
     * IEEE-rounded the same way, so the results are bit-identical to it. */
    const __m128 vb1 = _mm_set1_ps(b1), vb2 = _mm_set1_ps(b2);
    const __m128 v1b1 = _mm_set1_ps(1.0f - b1), v1b2 = _mm_set1_ps(1.0f - b2);
    const __m128 vwd = _mm_set1_ps(wd), veps = _mm_set1_ps(eps);
    const __m128 vstep = _mm_set1_ps(step_size), vbc2 = _mm_set1_ps(bc2_sqrt);
    for (; i + 4 <= n; i += 4) {
        __m128 p = _mm_loadu_ps(params + i);
        __m128 g = _mm_add_ps(_mm_loadu_ps(grads + i), _mm_mul_ps(vwd, p));
        __m128 mi = _mm_add_ps(_mm_mul_ps(vb1, _mm_loadu_ps(m + i)), _mm_mul_ps(v1b1, g));
        __m128 vi = _mm_add_ps(_mm_mul_ps(vb2, _mm_loadu_ps(v + i)),
                               _mm_mul_ps(_mm_mul_ps(v1b2, g), g));
        _mm_storeu_ps(m + i, mi);
        _mm_storeu_ps(v + i, vi);
        __m128 denom = _mm_add_ps(_mm_div_ps(_mm_sqrt_ps(vi), vbc2), veps);
        _mm_storeu_ps(params + i, _mm_sub_ps(p, _mm_div_ps(_mm_mul_ps(vstep, mi), denom)));
    }
#endif
    /* The readable form of the update (and the tail the vector loop leaves). */
    for (; i < n; i++) {
        float g = grads[i] + wd * params[i];
        m[i] = b1 * m[i] + (1.0f - b1) * g;
        v[i] = b2 * v[i] + (1.0f - b2) * g * g;
        /* eps is added after the bias correction of sqrt(v), as in torch:
         * denom = sqrt(v) / sqrt(1 - b2^t) + eps. */
        float denom = sqrtf(v[i]) / bc2_sqrt + eps;
        params[i] -= step_size * m[i] / denom;
    }
}

void nn_rmsprop_step(const nn_rmsprop *opt, float *params, const float *grads, float *v,
                     size_t n)
{
    const float a = opt->alpha, wd = opt->weight_decay;
    for (size_t i = 0; i < n; i++) {
        float g = grads[i] + wd * params[i];
        v[i] = a * v[i] + (1.0f - a) * g * g;
        /* Each step is about lr in size whatever the gradient's scale: the
         * running mean of g^2 divides it out. */
        params[i] -= opt->lr * g / (sqrtf(v[i]) + opt->eps);
    }
}
