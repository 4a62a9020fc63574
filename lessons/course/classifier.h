/* classifier.h - a small Fashion-MNIST classifier that labels GAN samples
 * and gives the features the Frechet distance compares.
 *
 * Lesson 09 asks which clothes a generator makes. A small convolutional
 * network (two strided 5x5 convolutions, 16 and 32 maps, a 128-unit hidden
 * layer, ReLU; softmax cross-entropy, Adam), trained by the library in three
 * epochs, gets about 89% of the test set right; run on generated images it
 * gives each one a class, and the class histogram shows which kinds the
 * generator dropped. Its hidden layer is the feature space of the Frechet
 * distance, as the Inception network's is for FID: convolutional features
 * see edges and textures, where an MLP's hidden units are whole-image pixel
 * templates, which favour a generator that matches templates (an MLP) over
 * one that draws clean local structure.
 * Images are rows of 784 floats in [-1, 1], like a tanh generator's output.
 */
#ifndef GANSTEPS_CLASSIFIER_H
#define GANSTEPS_CLASSIFIER_H

#include <stdint.h>
#include "nn.h"
#include "data/data.h"

#define CLASSIFIER_CLASSES 10
#define CLASSIFIER_FEATURES 128 /* the hidden layer's width */

/* The network, for up to max_batch rows: (n, 784) -> logits (n, 10).
 * NULL with err filled on failure. Free with nn_model_free. */
nn_model *classifier_create(int max_batch, nn_error *err);

/* Softmax cross-entropy on logits (n, k) against labels (n), mean over rows:
 *   L = mean_i [ logsumexp(s_i) - s_i,y_i ],   dL/ds_ij = (softmax(s_i)_j - [j = y_i]) / n
 * Writes dlogits (n, k) when not NULL. Stable for any logit (max subtracted). */
float classifier_xent(float *dlogits, const float *logits, const int *labels, int n, int k);

/* Trains net on ds for `epochs` epochs (batch rows, Adam lr, shuffled from
 * seed; pixels mapped to [-1, 1]). Returns the last epoch's mean loss in
 * *loss when not NULL. NN_ERR_NOMEM / NN_ERR_ARG with err filled. */
nn_status classifier_train(nn_model *net, const nn_dataset *ds, int epochs, int batch, float lr,
                           uint64_t seed, float *loss, nn_error *err);

/* The hidden layer's activations (after its ReLU) of x (n, 784) in
 * [-1, 1], eval mode: out (n, CLASSIFIER_FEATURES). */
void classifier_features(nn_model *net, const float *x, int n, float *out);

/* labels[i] = argmax of the logits of image x_i, for x (n, 784) in [-1, 1]. */
void classifier_predict(nn_model *net, const float *x, int n, int *labels);

/* Share of ds (pixels mapped to [-1, 1]) classified right, in [0, 1]. */
float classifier_accuracy(nn_model *net, const nn_dataset *ds);

#endif
