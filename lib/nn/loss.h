/* loss.h - losses on logits, and the GAN objectives, numerically stable for any
 * logit (|s| up to 1e4 and beyond).
 *
 * Every function returns the mean loss over n samples and, when its gradient
 * pointer is not NULL, WRITES (=, not +=) the gradient of that mean with
 * respect to each logit: it is where a backward pass starts.
 * s are raw logits (the discriminator's last linear output), D(x) = sigmoid(s).
 * Stability: log(sigmoid(s)) = -softplus(-s) and log(1 - sigmoid(s)) =
 * -softplus(s), with softplus(x) = max(x, 0) + log1p(exp(-|x|)); never
 * log(sigmoid(s)) directly.
 */
#ifndef NN_LOSS_H
#define NN_LOSS_H

/* softplus(x) = log(1 + exp(x)), stable for any x */
float nn_softplus(float x);
/* sigmoid(x) = 1 / (1 + exp(-x)), stable for any x (exercise 5)            */
float nn_sigmoidf(float x);

/* Binary cross-entropy on logits, like torch.nn.BCEWithLogitsLoss (mean):
 *   L = mean_i [ softplus(s_i) - t_i * s_i ],   dL/ds_i = (sigmoid(s_i) - t_i) / n
 * t_i in [0, 1] (soft labels allowed).                                       */
float nn_bce_with_logits(float *ds, const float *s, const float *t, int n);

/* Mean squared error of a prediction y (n) against a target t (n), as
 * torch.nn.MSELoss (mean): an autoencoder's reconstruction loss.
 *   L = mean_i (y_i - t_i)^2,   dL/dy_i = 2 (y_i - t_i) / n
 * Its minimiser over y, for targets that vary, is their mean. Exercise 22.  */
float nn_mse_loss(float *dy, const float *y, const float *t, int n);

/* GAN discriminator loss (Goodfellow et al. 2014), real and fake batches:
 *   L = mean -log D(x) + mean -log(1 - D(G(z)))
 *     = mean softplus(-s_real) + mean softplus(s_fake)
 *   dL/ds_real = -sigmoid(-s_real) / n_real,  dL/ds_fake = sigmoid(s_fake) / n_fake
 * real_label < 1 gives one-sided label smoothing (Salimans et al. 2016);
 * pass 1 for the plain loss. Exercise 7. A NULL gradient is not written.   */
float nn_gan_d_loss(float *ds_real, float *ds_fake, const float *s_real, const float *s_fake,
                    int n_real, int n_fake, float real_label);

/* Generator loss, minimax (saturating) form: G minimises log(1 - D(G(z))).
 *   L = mean log(1 - sigmoid(s)) = -mean softplus(s),   dL/ds = -sigmoid(s) / n
 * Its gradient vanishes where D confidently rejects the fake (s << 0).      */
float nn_gan_g_loss_minimax(float *ds, const float *s_fake, int n);

/* Generator loss, non-saturating form: G minimises -log D(G(z)).
 *   L = mean softplus(-s),   dL/ds = -sigmoid(-s) / n   (-> -1/n as s -> -inf)
 * Exercise 8.                                                                */
float nn_gan_g_loss_nonsat(float *ds, const float *s_fake, int n);

/* Least squares GAN (Mao et al. 2017, a=0, b=c=1), s the critic's output:
 *   L_D = 0.5 mean (s_real - 1)^2 + 0.5 mean s_fake^2
 *   L_G = 0.5 mean (s_fake - 1)^2                                            */
float nn_lsgan_d_loss(float *ds_real, float *ds_fake, const float *s_real, const float *s_fake,
                      int n_real, int n_fake);
float nn_lsgan_g_loss(float *ds, const float *s_fake, int n);

/* Wasserstein GAN (Arjovsky et al. 2017), s the critic's scores (not logits):
 *   L_critic = mean s_fake - mean s_real,   L_G = -mean s_fake
 *   dL_critic/ds_real = -1/n_real,  dL_critic/ds_fake = 1/n_fake,  dL_G/ds = -1/n
 * -L_critic is the critic's estimate of the Wasserstein-1 distance.
 * Exercise 16 (both). A NULL gradient is not written.                      */
float nn_wgan_critic_loss(float *ds_real, float *ds_fake, const float *s_real,
                          const float *s_fake, int n_real, int n_fake);
float nn_wgan_g_loss(float *ds, const float *s_fake, int n);

/* Hinge loss (Lim & Ye 2017; Miyato et al. 2018):
 *   L_D = mean relu(1 - s_real) + mean relu(1 + s_fake),   L_G = -mean s_fake  */
float nn_hinge_d_loss(float *ds_real, float *ds_fake, const float *s_real, const float *s_fake,
                      int n_real, int n_fake);
float nn_hinge_g_loss(float *ds, const float *s_fake, int n);

#endif
