/* pix2pix.h - paired image-to-image translation (Isola et al. 2017,
 * "Image-to-Image Translation with Conditional Adversarial Networks"), and
 * its one training step.
 *
 * Each training example is a pair: an input x (a low-resolution image, an
 * image with a hole) and the real output y it came from. The generator is a
 * U-Net (unet.h) from x to an output image; the discriminator reads the
 * pair (x, output) side by side as channels and gives a map of scores, one
 * per patch (a PatchGAN): it asks "is this a real output FOR THIS INPUT?",
 * not only "is this a real image?". The generator's loss is the adversarial
 * loss plus lambda (100 in the paper) times the L1 distance to y:
 *   L_G = mean softplus(-D(x, G(x))) + lambda mean |G(x) - y|
 *   L_D = 1/2 [ mean softplus(-D(x, y)) + mean softplus(D(x, G(x))) ]
 * (the non-saturating loss of loss.h on every score of the map; the paper
 * halves D's loss to slow it against G). The L1 term alone makes an output
 * close to y pixel by pixel: where several outputs fit x, it gives their
 * median, a blur; the adversarial term rejects the blur because real images
 * are never blurred.
 *
 * With a mask (inpainting), G only fills the hidden pixels: its output is
 * pasted into the known image,
 *   out = m G(x) + (1 - m) y,   m = 1 on the hidden pixels,
 * and the L1 term counts the hidden pixels only (exercise 32). Without one
 * (super-resolution), out = G(x) and the L1 term counts every pixel.
 *
 * adversarial = 0 trains the same G with the L1 term alone (D is neither
 * run nor trained): the baseline the adversarial term is measured against.
 *
 *   nn_pix2pix_step(p, x, y, m):
 *     out = paste(G(x))                                   (train mode)
 *     [adversarial] D on [x ; y] -> backward; D on [x ; out] -> backward -> Adam(D)   (L_D)
 *     [adversarial] D on [x ; out], frozen -> d L_adv / d out   (the x half is dropped)
 *     d out += lambda d L1 / d out                        (exercise 32)
 *     d G(x) = m d out (or d out) -> G backward -> Adam(G)
 */
#ifndef NN_PIX2PIX_H
#define NN_PIX2PIX_H

#include <stdint.h>
#include "base/common.h"
#include "nn/init.h"
#include "nn/model.h"
#include "nn/optim.h"
#include "nn/unet.h"

/* Exercise 32: the inpainting generator's input. Per image, the image
 * with its hidden pixels set to 0 (mid grey on the [-1, 1] scale, a value
 * that the mask channel says means "unknown"), then the mask itself:
 *   out[i] = [ x[i] (1 - m[i]) ; m[i] ]
 * x (n, hw), mask (n, hw) with 1 on the hidden pixels, 0 elsewhere;
 * out (n, 2 hw). */
void nn_mask_input(float *out, const float *x, const float *mask, int n, int hw);

/* Exercise 32: the L1 loss over the pixels a mask selects (mask NULL:
 * every pixel), n numbers:
 *   L = lambda sum_i m_i |p_i - t_i| / sum_i m_i
 *   dL/dp_i = lambda m_i sign(p_i - t_i) / sum_i m_i,   sign(0) = 0
 * The gradient is ADDED into dp unless dp is NULL (the adversarial
 * gradient is already there). 0, and nothing added, when the mask selects
 * no pixel. */
float nn_l1_loss(float *dp, const float *p, const float *t, const float *mask, int n,
                 float lambda);

typedef struct {
    float lambda_l1;      /* weight of the L1 term: 100 (the paper) */
    int adversarial;      /* 1: L1 + the adversarial loss; 0: L1 alone */
    float lr_g, lr_d;     /* Adam learning rates: 2e-4 (the paper) */
    float beta1, beta2;   /* Adam betas: 0.5, 0.999 */
    int batch;            /* pairs per step */
} nn_pix2pix_config;

/* The paper's settings, with a batch of 16 (the paper's is 1 to 10). */
nn_pix2pix_config nn_pix2pix_config_default(void);

typedef struct {
    nn_pix2pix_config cfg;
    nn_unet *G;           /* x (batch, in_c hw) -> (batch, hw) */
    nn_model *D;          /* [x ; out] (batch, (in_c + 1) hw) -> (batch, d_out) logits;
                           * NULL when cfg.adversarial is 0 */
    nn_adam opt_g, opt_d;
    int hw, in_dim;       /* pixels of one image; G's input features (in_c hw) */
    int d_out;            /* D's scores per pair: a PatchGAN's map */
    float *out;           /* (batch, hw) this step's output, pasted */
    float *dout;          /* (batch, hw) d L_G / d out, then d L_G / d G(x) */
    float *pair;          /* (batch, (in_c + 1) hw) D's input */
    float *dpair;         /* (batch, (in_c + 1) hw) its gradient */
    float *s_real;        /* (batch, d_out) D's scores on the real pairs */
    float *ds_real, *ds_fake;   /* (batch, d_out) */
    long steps;
} nn_pix2pix;

/* What one step did; the generator's terms are those before its update. */
typedef struct {
    float d_loss;         /* L_D (with the paper's 1/2); 0 without the adversarial term */
    float d_real, d_fake; /* D's mean probability on real and on fake pairs */
    float g_adv;          /* mean softplus(-D(x, out)); 0 without the adversarial term */
    float g_l1;           /* lambda times the mean |out - y| over the counted pixels */
} nn_pix2pix_stats;

/* Takes ownership of G and D (even when it fails; D may be NULL only when
 * cfg->adversarial is 0). D must read (G's in_c + 1) images of G's size.
 * Initialises G and D with nn_unet_init / nn_model_init(init) from
 * streams 1 (G) and 2 (D) of seed. NULL with err filled on a mismatch
 * (named) or no memory. Free with nn_pix2pix_free. */
nn_pix2pix *nn_pix2pix_create(nn_unet *G, nn_model *D, const nn_pix2pix_config *cfg,
                              nn_init_kind init, uint64_t seed, nn_error *err);
void nn_pix2pix_free(nn_pix2pix *p);   /* accepts NULL */

/* One training step (drawn above) on cfg.batch pairs: x (batch, in_dim),
 * y (batch, hw) in [-1, 1], mask (batch, hw) or NULL. Fills st unless NULL.
 * Returns L_G before the update (adversarial + L1 terms). */
float nn_pix2pix_step(nn_pix2pix *p, const float *x, const float *y, const float *mask,
                      nn_pix2pix_stats *st);

/* The pasted outputs of n inputs (eval mode: batchnorm's running
 * statistics), in chunks of at most max_batch: out (n, hw). With a mask,
 * y's known pixels are kept (y and mask (n, hw)); without one y is unused
 * (may be NULL). */
void nn_pix2pix_translate(nn_pix2pix *p, float *out, const float *x, const float *y,
                          const float *mask, int n);

#endif
