/* p2pdata.c - lesson 19's paired tasks (p2pdata.h). */
#include "p2pdata.h"

#include <string.h>

const char *p2p_task_key(p2p_task t) { return t == P2P_SR ? "sr" : "inpaint"; }
const char *p2p_task_name(p2p_task t) { return t == P2P_SR ? "super-resolution" : "inpainting"; }
int p2p_in_c(p2p_task t) { return t == P2P_SR ? 1 : 2; }

void p2p_make_inputs(p2p_task t, float *x, float *mask, const float *y, int n, nn_rng *r)
{
    if (t == P2P_SR) {
        /* Small enough to sit on the stack in slices: 49 numbers an image. */
        enum { SLICE = 64 };
        float lo[SLICE * 49];
        for (int i = 0; i < n; i += SLICE) {
            int k = n - i < SLICE ? n - i : SLICE;
            nn_downsample_mean(lo, y + (size_t)i * 784, k, 1, 28, 28, P2P_FACTOR);
            nn_upsample_nearest(x + (size_t)i * 784, lo, k, 1, 7, 7, P2P_FACTOR);
        }
        return;
    }
    nn_mask_squares(mask, n, 28, 28, P2P_HOLE, P2P_MARGIN, r);
    nn_mask_input(x, y, mask, n, 784);    /* exercise 32 */
}

int p2p_sampler_init(p2p_sampler *s, const nn_dataset *ds, int max, uint64_t seed)
{
    memset(s, 0, sizeof *s);
    s->ds = ds;
    s->max = max;
    nn_rng_seed(&s->r, seed, 11);
    s->idx = nn_alloc((size_t)max, sizeof(int));
    return s->idx != NULL;
}

void p2p_sampler_free(p2p_sampler *s)
{
    nn_free(s->idx);
    s->idx = NULL;
}

void p2p_sampler_next(p2p_sampler *s, float *y, int *labels, int n)
{
    for (int i = 0; i < n; i++) {
        s->idx[i] = (int)nn_rng_below(&s->r, (uint32_t)s->ds->n);
        if (labels) labels[i] = s->ds->labels[s->idx[i]];
    }
    nn_dataset_gather(y, s->ds, s->idx, n, NN_RANGE_PM1);
}

void p2p_test_images(const nn_dataset *test, int first, int n, float *y, int *labels)
{
    nn_bytes_to_float(y, test->pixels + (size_t)first * 784, (size_t)n * 784, NN_RANGE_PM1);
    for (int i = 0; i < n; i++) labels[i] = test->labels[first + i];
}
