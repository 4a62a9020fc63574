/* idx.h - reading IDX files (MNIST and Fashion-MNIST), raw or gzip-compressed.
 *
 * Every header is checked before anything is allocated: magic number, type
 * byte, dimension count, a 1 GiB bound on what the header may ask for, and
 * the declared size against what the file really holds. A failing read
 * returns one message naming the path and the reason. */
#ifndef NN_IDX_H
#define NN_IDX_H

#include <stdint.h>
#include "base/common.h"

/* The most an IDX or CIFAR header may ask for: 1 GiB (MNIST's training
 * images are 47 MB). Anything larger is a corrupt or hostile header. */
#define NN_DATA_MAX_BYTES ((uint64_t)1 << 30)

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
#endif
