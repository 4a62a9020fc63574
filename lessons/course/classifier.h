/* classifier.h - a small Fashion-MNIST classifier that labels GAN samples.
 *
 * Lesson 09 asks which clothes a generator makes. A 784-256-10 MLP (ReLU,
 * softmax cross-entropy, Adam), trained by the library in a few epochs, gets
 * about 87% of the test set right; run on generated images it gives each one
 * a class, and the class histogram shows which kinds the generator dropped.
 * Images are rows of 784 floats in [-1, 1], like a tanh generator's output.
 */
#ifndef GANSTEPS_CLASSIFIER_H
#define GANSTEPS_CLASSIFIER_H

#include <stdint.h>
#include "lesson.h"
#include "nn.h"
#include "data.h"

#define CLASSIFIER_CLASSES 10

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

/* labels[i] = argmax of the logits of image x_i, for x (n, 784) in [-1, 1]. */
void classifier_predict(nn_model *net, const float *x, int n, int *labels);

/* Share of ds (pixels mapped to [-1, 1]) classified right, in [0, 1]. */
float classifier_accuracy(nn_model *net, const nn_dataset *ds);

/* The judge of a lesson that scores generated images (lessons 10 and 12):
 * lesson 09's classifier (classifier.ckpt in the 09_mode_collapse folder
 * beside the lesson's own) when it has run, else this lesson's own from an
 * earlier run, else trained now (3 epochs; 1 for --fast, saved under
 * another name so it never stands in for the real one) and saved. A
 * checkpoint that is there but does not load fails the lesson (exit 2)
 * rather than being trained over. Prints one line saying which. */
void classifier_for_lesson(lesson *L, nn_model *net, const nn_dataset *train_set);

#endif
