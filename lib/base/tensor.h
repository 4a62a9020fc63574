/* tensor.h - a 2-D float32 matrix, row-major, with an optional image shape.
 *
 * A batch of images is a (batch, c*h*w) matrix whose rows are images; c, h, w
 * record how a row is laid out (channel-major, like PyTorch's NCHW). A tensor
 * either owns its data or is a view into another's (owns == 0), in which case
 * freeing it leaves the data alone.
 */
#ifndef NN_TENSOR_H
#define NN_TENSOR_H

#include "base/common.h"

typedef struct {
    float *data;  /* (rows, cols), row-major: element (i,j) at data[i*cols + j] */
    int rows;     /* usually the batch */
    int cols;     /* usually the features, = c*h*w for images */
    int c, h, w;  /* image shape of one row, or 0,0,0 when not an image */
    int owns;     /* 1: data was allocated here and is freed with the tensor */
} nn_tensor;

/* New zeroed (rows, cols) tensor; NULL if out of memory. Caller frees. */
nn_tensor *nn_tensor_create(int rows, int cols);
/* New zeroed (rows, c*h*w) tensor whose rows are c x h x w images. */
nn_tensor *nn_tensor_create_image(int rows, int c, int h, int w);
/* A view of rows [row0, row0+nrows) of t, sharing t's memory. Caller frees the
 * view (which does not free t's data); t must outlive it. */
nn_tensor *nn_tensor_view_rows(nn_tensor *t, int row0, int nrows);
/* A view over memory the caller owns: (rows, cols) starting at data. */
nn_tensor *nn_tensor_wrap(float *data, int rows, int cols);
void nn_tensor_free(nn_tensor *t); /* accepts NULL */

void nn_tensor_zero(nn_tensor *t);                 /* t = 0 */
void nn_tensor_fill(nn_tensor *t, float value);    /* t = value */
void nn_tensor_copy(nn_tensor *dst, const nn_tensor *src); /* same shape */
size_t nn_tensor_size(const nn_tensor *t);         /* rows * cols */
/* Element (i, j); asserts the indices are in range. */
float *nn_tensor_at(nn_tensor *t, int i, int j);

#endif
