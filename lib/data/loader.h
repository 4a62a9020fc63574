/* loader.h - a data set handed out in shuffled float batches, epoch after epoch. */
#ifndef NN_LOADER_H
#define NN_LOADER_H

#include "base/common.h"
#include "base/rng.h"
#include "data/dataset.h"
#include "data/transform.h"

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
#endif
