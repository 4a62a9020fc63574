/* optim.c - SGD with momentum, Adam and RMSProp, each one flat loop over a block.
 *
 * Both follow torch.optim's update rules step for step (the tests compare
 * with torch), including where weight decay enters: added to the gradient,
 * L2-style, not decoupled as in AdamW.
 */
#include "nn/optim.h"

#include <math.h>
#if defined(__x86_64__)
#include <immintrin.h>
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

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define NN_ADAM_AVX 1
/* Eight parameters at a time, for the CPUs that have AVX (asked at run time,
 * so the build needs no -march). The compiler does not vectorise the plain
 * loop (sqrtf may set errno, a branch in the loop), and Adam over a
 * generator then costs as much as its forward pass; eight lanes take less
 * than half the time of four (bench/README.md). Each operation is the scalar
 * loop's, in the same order, IEEE-rounded the same way and never fused, so
 * the results are bit-identical to it. Returns how many it did. */
__attribute__((target("avx"))) static size_t adam_avx(float *params, const float *grads,
                                                      float *m, float *v, size_t n, float b1,
                                                      float b2, float eps, float wd,
                                                      float step_size, float bc2_sqrt)
{
    const __m256 vb1 = _mm256_set1_ps(b1), vb2 = _mm256_set1_ps(b2);
    const __m256 v1b1 = _mm256_set1_ps(1.0f - b1), v1b2 = _mm256_set1_ps(1.0f - b2);
    const __m256 vwd = _mm256_set1_ps(wd), veps = _mm256_set1_ps(eps);
    const __m256 vstep = _mm256_set1_ps(step_size), vbc2 = _mm256_set1_ps(bc2_sqrt);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 p = _mm256_loadu_ps(params + i);
        __m256 g = _mm256_add_ps(_mm256_loadu_ps(grads + i), _mm256_mul_ps(vwd, p));
        __m256 mi = _mm256_add_ps(_mm256_mul_ps(vb1, _mm256_loadu_ps(m + i)),
                                  _mm256_mul_ps(v1b1, g));
        __m256 vi = _mm256_add_ps(_mm256_mul_ps(vb2, _mm256_loadu_ps(v + i)),
                                  _mm256_mul_ps(_mm256_mul_ps(v1b2, g), g));
        _mm256_storeu_ps(m + i, mi);
        _mm256_storeu_ps(v + i, vi);
        __m256 denom = _mm256_add_ps(_mm256_div_ps(_mm256_sqrt_ps(vi), vbc2), veps);
        _mm256_storeu_ps(params + i,
                         _mm256_sub_ps(p, _mm256_div_ps(_mm256_mul_ps(vstep, mi), denom)));
    }
    return i;
}
#endif

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
#ifdef NN_ADAM_AVX
    if (__builtin_cpu_supports("avx"))
        i = adam_avx(params, grads, m, v, n, b1, b2, eps, wd, step_size, bc2_sqrt);
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
