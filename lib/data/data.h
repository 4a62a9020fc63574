/* data.h - the data layer in one include: data sets in, float batches out.
 *
 * idx.h        IDX files (MNIST, Fashion-MNIST), raw or gzip
 * dataset.h    labelled image sets as bytes: MNIST-format and CIFAR-10
 * transform.h  bytes to floats, gathering, normalising, resizing
 * loader.h     shuffled float batches, epoch after epoch
 * toy.h        2-D rings and grids of Gaussians, a 1-D mixture
 */
#ifndef NN_DATA_H
#define NN_DATA_H

#include "data/idx.h"
#include "data/dataset.h"
#include "data/transform.h"
#include "data/loader.h"
#include "data/toy.h"

#endif
