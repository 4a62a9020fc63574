/* nn.h - gansteps' neural-net library: the whole public API in one include.
 *
 * The library is in layers, one folder each, and each folder rests only on
 * the ones before it in this list (tools/check_layers.sh holds that in make
 * test):
 *
 *   base/     status and messages, the one allocator, tensors, the rng
 *   kernels/  nn_matmul (plain loops and the fast path), element-wise
 *             helpers, the thread pool
 *   nn/       layers and their maths (dense, conv, style layers), losses,
 *             init, optimizers, the sequential model and its table of layer
 *             kinds, checkpoints, the gradient penalty, gradient checks, the
 *             U-Net (six sequential models joined by skips)
 *   gan/      the one GAN step and its options, DCGAN, the style-based
 *             generator, CycleGAN, Pix2Pix, latent paths, InfoGAN's losses
 *             (on nn/)
 *   flow/     a normalising flow, beside the GAN (on nn/)
 *   data/     data sets, transforms, the batch loader, toy sets (on base/)
 *   eval/     the papers' metrics, adversarial examples (on base/)
 *   viz/      PNG grids, terminal previews, gnuplot figures, GIFs (on base/)
 *
 * Each header says, next to every prototype, the maths it computes and the
 * shapes of its arguments. Read them in this order, bottom up.
 */
#ifndef NN_H
#define NN_H

#include "base/common.h"
#include "base/tensor.h"
#include "base/rng.h"

#include "kernels/ops.h"
#include "kernels/pool.h"

#include "nn/layers.h"
#include "nn/conv.h"
#include "nn/style_layers.h"
#include "nn/loss.h"
#include "nn/optim.h"
#include "nn/init.h"
#include "nn/layer.h"
#include "nn/model.h"
#include "nn/gradpen.h"
#include "nn/gradcheck.h"
#include "nn/unet.h"

#include "gan/gan.h"
#include "gan/dcgan.h"
#include "gan/style.h"
#include "gan/cycle.h"
#include "gan/latent.h"
#include "gan/info.h"
#include "gan/pix2pix.h"

#include "flow/flow.h"

#include "gen/vae.h"
#include "gen/ddpm.h"
#include "gen/armix.h"

#include "data/idx.h"
#include "data/dataset.h"
#include "data/transform.h"
#include "data/loader.h"
#include "data/toy.h"

#include "eval/metrics.h"
#include "eval/adversarial.h"

#include "viz/image.h"
#include "viz/preview.h"
#include "viz/plot.h"
#include "viz/gif.h"

#endif
