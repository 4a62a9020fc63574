/* p2pdata.h - lesson 19's two paired tasks on Fashion-MNIST: what the
 * generator is given (its input x) for each real image y, and the mask of
 * the pixels it must make.
 *
 *   super-resolution: y average-pooled 4 x 4 to 7 x 7 (nn_downsample_mean),
 *     then blown back up by nearest neighbour (nn_upsample_nearest), so the
 *     generator reads a blocky 28 x 28 image and every pixel is its to make;
 *   inpainting: a 12 x 12 square hidden at a random place at least 2 pixels
 *     from the frame (nn_mask_squares); the generator reads the image with
 *     the square greyed out and the mask (exercise 32's nn_mask_input), and
 *     only the square's pixels are its to make.
 * Images are rows of 784 floats in [-1, 1], as every judge of the course reads.
 */
#ifndef GANSTEPS_P2PDATA_H
#define GANSTEPS_P2PDATA_H

#include "nn.h"

typedef enum { P2P_SR = 0, P2P_INPAINT = 1, P2P_TASKS } p2p_task;

#define P2P_FACTOR 4    /* super-resolution: 28 x 28 from 7 x 7 */
#define P2P_HOLE 12     /* inpainting: the hidden square's side */
#define P2P_MARGIN 2    /* and its distance from the frame, at least */

/* "sr", "inpaint": the prefix of the task's keys. */
const char *p2p_task_key(p2p_task t);
/* "super-resolution", "inpainting". */
const char *p2p_task_name(p2p_task t);
/* The generator's input channels: 1 (the blocky image), 2 (image and mask). */
int p2p_in_c(p2p_task t);

/* The inputs of n real images y (n, 784): x (n, p2p_in_c(t) 784) and, for
 * inpainting, mask (n, 784) drawn from r (untouched and unused for
 * super-resolution, which draws nothing). */
void p2p_make_inputs(p2p_task t, float *x, float *mask, const float *y, int n, nn_rng *r);

/* A batch sampler over a data set's training images: images drawn
 * uniformly with replacement from its own stream, so two runs given the
 * same seed see the same images in the same order. */
typedef struct {
    const nn_dataset *ds;
    nn_rng r;
    int *idx;   /* (max) */
    int max;
} p2p_sampler;

/* Room for batches of up to max images; free with p2p_sampler_free. 0 on no memory. */
int p2p_sampler_init(p2p_sampler *s, const nn_dataset *ds, int max, uint64_t seed);
void p2p_sampler_free(p2p_sampler *s);
/* n images into y (n, 784) in [-1, 1], their labels into labels unless NULL. */
void p2p_sampler_next(p2p_sampler *s, float *y, int *labels, int n);

/* n test images from first on: y (n, 784) in [-1, 1] and their labels. */
void p2p_test_images(const nn_dataset *test, int first, int n, float *y, int *labels);

#endif
