/* data.h - data sets in, float batches out.
 *
 * Readers: IDX files (MNIST, Fashion-MNIST; raw or gzip-compressed) and
 * CIFAR-10 binary batches. Every header is checked before anything is
 * allocated: magic number, type byte, dimension count, a 1 GiB bound on what
 * the header may ask for, and the declared size against what the file really
 * holds. A failing reader returns one message naming the path and the reason
 * and leaves no partial data set behind.
 *
 * Images stay uint8 in memory (60000 Fashion-MNIST images are 47 MB as bytes,
 * 188 MB as floats); transforms and the batch loader convert to float on the
 * fly, a batch at a time.
 *
 * Toy distributions (a ring and a grid of 2-D Gaussians, a 1-D mixture) are
 * here too, with their mode centres and sigma exposed so metrics.h can score
 * a generator against them.
 */
#ifndef NN_DATA_H
#define NN_DATA_H

#include <stdint.h>
#include "common.h"
#include "rng.h"

/* Where Debian's dataset-fashion-mnist package puts the files. */
#define NN_FASHION_MNIST_DIR "/usr/share/datasets/fashion-mnist"

/* The most an IDX or CIFAR header may ask for: 1 GiB (MNIST's training
 * images are 47 MB). Anything larger is a corrupt or hostile header. */
#define NN_DATA_MAX_BYTES ((uint64_t)1 << 30)

/* ------------------------------------------------------------------ IDX */

/* One IDX file (http://yann.lecun.com/exdb/mnist/, "FILE FORMATS"):
 *   bytes 0-1: 0, 0;  byte 2: type (0x08 = unsigned byte, the only one
 *   accepted);  byte 3: ndims;  then ndims big-endian uint32 sizes;  then
 *   the data, prod(sizes) bytes, row-major.
 * Reads path (gzip detected from its content, so "x.gz" and "x" both work)
 * and checks it holds exactly ndims == expect_dims dimensions (3 for images:
 * n, h, w; 1 for labels: n) and exactly prod(sizes) data bytes, no more, no
 * less. On success *data (prod(sizes) bytes, caller frees with nn_free) and
 * dims[0..expect_dims) are set; on failure *data is NULL and err names the
 * path and the reason (NN_ERR_IO: missing, unreadable, empty or corrupt gzip;
 * NN_ERR_FORMAT: anything about the contents; NN_ERR_NOMEM). */
nn_status nn_idx_read(const char *path, int expect_dims, uint8_t **data, int dims[3],
                      nn_error *err);

/* ------------------------------------------------------------------ data sets */

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

/* ------------------------------------------------------------------ transforms */

/* How bytes 0..255 become floats. */
typedef enum {
    NN_RANGE_01,  /* x / 255:         [0, 1], for sigmoid outputs */
    NN_RANGE_PM1  /* x / 127.5 - 1:   [-1, 1], for tanh outputs (DCGAN) */
} nn_range;

/* out[i] = in[i] / 255 or in[i] / 127.5 - 1 for i < n. Exercise 10: every
 * batch the loader hands out goes through it. */
void nn_bytes_to_float(float *out, const uint8_t *in, size_t n, nn_range range);
/* Images idx[0..count) of ds as floats, out (count, c*h*w). */
void nn_dataset_gather(float *out, const nn_dataset *ds, const int *idx, int count,
                       nn_range range);
/* mean = (1/n) sum x,  std = sqrt((1/n) sum (x - mean)^2) (population std,
 * as torchvision's Normalize statistics are usually quoted); in double. */
void nn_mean_std(const float *x, size_t n, double *mean, double *std);
/* x = (x - mean) / std, in place (std > 0): zero mean, unit variance. */
void nn_normalize(float *x, size_t n, float mean, float std);
/* Bilinear resize of count images in (count, c*ih*iw) to out (count, c*oh*ow),
 * matching torch.nn.functional.interpolate(mode="bilinear", align_corners=False):
 *   src = (dst + 0.5) * in / out - 0.5, clamped at 0; weights from the
 *   fractional part; the far neighbour clamped to the last pixel. */
void nn_resize_bilinear(float *out, int oh, int ow, const float *in, int count, int c, int ih,
                        int iw);
/* Features per image once flattened: c*h*w. Images (n, c*h*w) are already
 * flat rows, so flattening is only forgetting the (c, h, w) shape; this is
 * the input width a dense layer sees. */
int nn_flat_size(int c, int h, int w);

/* ------------------------------------------------------------------ batch loader */

/* Hands out a data set in batches, in a new shuffled order each epoch. */
typedef struct {
    const nn_dataset *ds;  /* not owned; must outlive the loader */
    int *order;            /* (ds->n) this epoch's order of image indices */
    int batch;             /* rows per batch */
    int shuffle;           /* 1: reshuffle at the start of every epoch */
    int drop_last;         /* 1: skip a last batch smaller than `batch` */
    nn_range range;        /* how bytes become floats */
    int pos;               /* next position in order */
    int epoch;             /* epochs started so far (1 after init) */
    nn_rng rng;            /* drives the shuffles: same seed, same batches */
} nn_loader;

/* Sets up ld over ds and starts epoch 1 (shuffled with seed when shuffle).
 * NN_ERR_ARG when batch < 1, or batch > ds->n with drop_last (no batch
 * would ever come out). Free with nn_loader_free. */
nn_status nn_loader_init(nn_loader *ld, const nn_dataset *ds, int batch, int shuffle,
                         int drop_last, nn_range range, uint64_t seed, nn_error *err);
void nn_loader_free(nn_loader *ld); /* accepts NULL */

/* The next batch: x (batch, c*h*w) floats, labels (batch) or NULL. Returns the
 * rows written: batch, fewer for the last one without drop_last, or 0 at the
 * end of an epoch; the call after a 0 starts the next epoch (reshuffled). */
int nn_loader_next(nn_loader *ld, float *x, int *labels);
/* Batches one epoch yields: floor(n / batch) with drop_last, ceil otherwise. */
int nn_loader_batches_per_epoch(const nn_loader *ld);

/* ------------------------------------------------------------------ toy sets */

#define NN_TOY_MAX_MODES 64

/* An equal-weight mixture of isotropic Gaussians, all with the same sigma. */
typedef struct {
    int dim;                                   /* 1 or 2 */
    int n_modes;                               /* K <= NN_TOY_MAX_MODES */
    float centres[NN_TOY_MAX_MODES * 2];       /* (K, dim) mode centres */
    float sigma;                               /* standard deviation of each mode */
    const char *name;                          /* "ring", "grid", "mixture1d" */
} nn_toy;

/* K modes on a circle: c_k = radius (cos 2 pi k/K, sin 2 pi k/K). The common
 * choice (VEEGAN, PacGAN): K = 8, radius 2, sigma 0.02. */
nn_status nn_toy_ring(nn_toy *t, int n_modes, float radius, float sigma, nn_error *err);
/* side x side modes on a square grid centred at 0: c = spacing (i - (side-1)/2,
 * j - (side-1)/2). The common choice: side 5, spacing 2 (so -4..4), sigma 0.05. */
nn_status nn_toy_grid(nn_toy *t, int side, float spacing, float sigma, nn_error *err);
/* 1-D modes at means[0..K). */
nn_status nn_toy_mixture1d(nn_toy *t, const float *means, int n_modes, float sigma,
                           nn_error *err);
/* n points x (n, dim): mode k uniform, x = c_k + sigma * N(0, I). mode (n),
 * when not NULL, receives each point's mode. */
void nn_toy_sample(const nn_toy *t, nn_rng *r, float *x, int *mode, int n);

#endif
