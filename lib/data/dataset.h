/* dataset.h - labelled image data sets: MNIST-format and CIFAR-10 files in, images
 * as bytes in memory.
 *
 * Images stay uint8 (60000 Fashion-MNIST images are 47 MB as bytes, 188 MB as
 * floats); transform.h and the loader convert to float a batch at a time. A
 * failing load names the path and the reason and leaves no partial set. */
#ifndef NN_DATASET_H
#define NN_DATASET_H

#include <stdint.h>
#include "base/common.h"

/* Where Debian's dataset-fashion-mnist package puts the files. */
#define NN_FASHION_MNIST_DIR "/usr/share/datasets/fashion-mnist"

/* A labelled image data set, pixels as bytes. */
typedef struct {
    uint8_t *pixels;    /* (n, c*h*w), row i is image i, channel-major (c, h, w) */
    uint8_t *labels;    /* (n), each in [0, n_classes) */
    int n;              /* images */
    int c, h, w;        /* one image: 1 x 28 x 28 for MNIST, 3 x 32 x 32 for CIFAR-10 */
    int n_classes;      /* 10 for every set read here */
    const char *const *class_names; /* (n_classes), static strings: "T-shirt/top", ... */
} nn_dataset;

typedef enum { NN_SPLIT_TRAIN, NN_SPLIT_TEST } nn_split;

/* Loads an MNIST-format split from dir (NULL: NN_FASHION_MNIST_DIR). Looks for
 * train-images-idx3-ubyte[.gz] + train-labels-idx1-ubyte[.gz] (t10k-... for
 * the test split), the .gz name first. Checks images and labels agree in
 * count and labels are below 10. Class names are Fashion-MNIST's when dir
 * contains "fashion" (any case), the digits "0".."9" otherwise. When the
 * default directory is missing, the message names the Debian package
 * dataset-fashion-mnist and the fix `make deps`. On failure *ds is zeroed.
 * Free with nn_dataset_free. */
nn_status nn_dataset_load_mnist(nn_dataset *ds, const char *dir, nn_split split, nn_error *err);

/* Loads CIFAR-10 binary batches (https://www.cs.toronto.edu/~kriz/cifar.html):
 * records of 1 label byte (0..9) + 3072 pixel bytes (1024 red, 1024 green,
 * 1024 blue, each 32 x 32 row-major), back to back. Each file must be a
 * non-empty whole number of records; the files are concatenated in order. */
nn_status nn_dataset_load_cifar_files(nn_dataset *ds, const char *const *paths, int n_paths,
                                      nn_error *err);
/* data_batch_1.bin .. data_batch_5.bin (train) or test_batch.bin (test) in dir. */
nn_status nn_dataset_load_cifar(nn_dataset *ds, const char *dir, nn_split split, nn_error *err);

void nn_dataset_free(nn_dataset *ds); /* frees the arrays, zeroes *ds; accepts NULL */

/* counts[k] = #{ i : labels[i] = k } for k < ds->n_classes. */
void nn_dataset_class_counts(const nn_dataset *ds, int *counts);
#endif
