/* adversarial.h - adversarial examples: the smallest pushes that change a
 * classifier's mind.
 *
 * The fast gradient sign method (Goodfellow, Shlens and Szegedy 2015) moves
 * every input value by the same amount eps in the direction that raises the
 * classifier's loss, the sign of the loss's gradient with respect to the
 * input, then clips to the valid range. It needs one backward pass to the
 * input, the same pass that carries D's gradient into G in a GAN.
 */
#ifndef NN_ADVERSARIAL_H
#define NN_ADVERSARIAL_H

/* One FGSM step on n values (torch: (x + eps * grad.sign()).clamp(lo, hi)):
 *   x_adv_i = min(hi, max(lo, x_i + eps * sign(grad_i))),  sign(0) = 0
 * grad (n) is dLoss/dx at x (n). eps >= 0 in the units of x; lo <= hi.
 * x_adv may be x. Exercise 24.                                               */
void nn_fgsm_step(float *x_adv, const float *x, const float *grad, int n, float eps, float lo,
                  float hi);

#endif
