/* loader.c - the shuffling batch loader (data.h). */
#include "data/loader.h"

#include <string.h>

/* Back to the first position; a fresh permutation when shuffling. The order
 * is reset to 0..n-1 first so epoch k's order depends only on the seed and k,
 * not on how the previous epoch was consumed. */
static void start_epoch(nn_loader *ld)
{
    for (int i = 0; i < ld->ds->n; i++) ld->order[i] = i;
    if (ld->shuffle) nn_rng_shuffle(&ld->rng, ld->order, ld->ds->n);
    ld->pos = 0;
    ld->epoch++;
}

nn_status nn_loader_init(nn_loader *ld, const nn_dataset *ds, int batch, int shuffle,
                         int drop_last, nn_range range, uint64_t seed, nn_error *err)
{
    memset(ld, 0, sizeof *ld);
    if (batch < 1) return nn_fail(err, NN_ERR_ARG, "batch size %d: must be at least 1", batch);
    if (ds->n < 1) return nn_fail(err, NN_ERR_ARG, "the data set is empty: nothing to load");
    if (drop_last && batch > ds->n)
        return nn_fail(err, NN_ERR_ARG,
                       "batch size %d is larger than the %d images and drop_last is set: "
                       "no batch would ever come out; use a smaller batch",
                       batch, ds->n);
    ld->order = nn_alloc((size_t)ds->n, sizeof *ld->order);
    if (!ld->order)
        return nn_fail(err, NN_ERR_NOMEM, "out of memory for a loader over %d images", ds->n);
    ld->ds = ds;
    ld->batch = batch;
    ld->shuffle = shuffle;
    ld->drop_last = drop_last;
    ld->range = range;
    nn_rng_seed(&ld->rng, seed, 0);
    start_epoch(ld);
    return NN_OK;
}

void nn_loader_free(nn_loader *ld)
{
    if (!ld) return;
    nn_free(ld->order);
    memset(ld, 0, sizeof *ld);
}

int nn_loader_next(nn_loader *ld, float *x, int *labels)
{
    int n = ld->ds->n;
    int left = n - ld->pos;
    if (left <= 0 || (ld->drop_last && left < ld->batch)) {
        /* End of the epoch: report it once with 0; the next call starts the
         * next epoch (pos past n marks "already reported"). */
        if (ld->pos <= n) {
            ld->pos = n + 1;
            return 0;
        }
        start_epoch(ld);
        left = n;
    }
    int rows = left < ld->batch ? left : ld->batch;
    const int *idx = ld->order + ld->pos;
    nn_dataset_gather(x, ld->ds, idx, rows, ld->range);
    if (labels)
        for (int b = 0; b < rows; b++) labels[b] = ld->ds->labels[idx[b]];
    ld->pos += rows;
    return rows;
}

int nn_loader_batches_per_epoch(const nn_loader *ld)
{
    int n = ld->ds->n;
    return ld->drop_last ? n / ld->batch : (n + ld->batch - 1) / ld->batch;
}
