/* nn.h - gansteps' neural-net library: the whole public API in one include.
 *
 * Each module's header says, next to every prototype, the maths it computes
 * and the shapes of its arguments. Read them in this order: tensor, rng, ops,
 * layers, conv, style_layers, loss, optim, init, layer, model, gradpen, gradcheck, then data,
 * image, plot, metrics, adversarial, style, flow.
 */
#ifndef NN_H
#define NN_H

#include "common.h"
#include "tensor.h"
#include "rng.h"
#include "ops.h"
#include "pool.h"
#include "layers.h"
#include "conv.h"
#include "loss.h"
#include "optim.h"
#include "init.h"
#include "layer.h"
#include "model.h"
#include "gradpen.h"
#include "gan.h"
#include "dcgan.h"
#include "cycle.h"
#include "gradcheck.h"
#include "data.h"
#include "image.h"
#include "gif.h"
#include "plot.h"
#include "metrics.h"
#include "latent.h"
#include "info.h"
#include "adversarial.h"
#include "style_layers.h"
#include "style.h"
#include "flow.h"

#endif
