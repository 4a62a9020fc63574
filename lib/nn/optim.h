/* optim.h - optimizers as one flat loop over a contiguous parameter block.
 *
 * The optimizer is separate from backward: backward fills grads,
 * a step here reads them and moves params. State (momentum, Adam's m and v)
 * lives in blocks the caller owns, as long as params; the model keeps them.
 */
#ifndef NN_OPTIM_H
#define NN_OPTIM_H

#include <stddef.h>

/* SGD with momentum, torch.optim.SGD semantics (dampening 0, no Nesterov):
 *   g = grad + weight_decay * p;  v = momentum * v + g;  p -= lr * v
 * (with momentum 0, v is just g).                                           */
typedef struct {
    float lr;
    float momentum;
    float weight_decay;
} nn_sgd;

void nn_sgd_step(const nn_sgd *opt, float *params, const float *grads, float *velocity,
                 size_t n);

/* Adam (Kingma & Ba 2015) with bias correction, torch.optim.Adam semantics:
 *   g = grad + weight_decay * p
 *   m = b1 m + (1 - b1) g;      v = b2 v + (1 - b2) g^2
 *   p -= (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * Note where eps sits: added to the bias-corrected sqrt(v), as torch does.
 * t is the step number, 1 for the first step.                               */
typedef struct {
    float lr;      /* 2e-4 for GANs (Radford et al. 2016); torch default 1e-3 */
    float beta1;   /* 0.5 for GANs; torch default 0.9 */
    float beta2;   /* 0.999 */
    float eps;     /* 1e-8 */
    float weight_decay; /* 0 */
} nn_adam;

/* The DCGAN setting: lr 2e-4, betas (0.5, 0.999), eps 1e-8. */
nn_adam nn_adam_gan_defaults(void);

void nn_adam_step(const nn_adam *opt, long t, float *params, const float *grads, float *m,
                  float *v, size_t n);

/* RMSProp (Tieleman & Hinton 2012), torch.optim.RMSprop semantics (no
 * momentum, not centered), the original WGAN's optimizer:
 *   g = grad + weight_decay * p;  v = alpha v + (1 - alpha) g^2
 *   p -= lr * g / (sqrt(v) + eps)
 * Arjovsky et al. chose it over Adam because a momentum-based optimizer made
 * their clipped critic unstable.                                            */
typedef struct {
    float lr;      /* 5e-5 in WGAN */
    float alpha;   /* 0.99, torch's default */
    float eps;     /* 1e-8 */
    float weight_decay; /* 0 */
} nn_rmsprop;

void nn_rmsprop_step(const nn_rmsprop *opt, float *params, const float *grads, float *v,
                     size_t n);

/* Exercise 17. Weight clipping (WGAN, Arjovsky et al. 2017): clamps each of
 * the n values of w into [-c, c], in place, and returns how many lay outside
 * it (were moved). The original WGAN keeps its critic's slope bounded this
 * way, after every critic update; c > 0.                                    */
size_t nn_clip_weights(float *w, size_t n, float c);

#endif
