/* sampler.c - one class of a data set as a pile of images to draw from
 * (sampler.h). */
#include "sampler.h"

int *sampler_class_indices(lesson *L, const nn_dataset *ds, int cls, int max, int *n)
{
    int *idx = lesson_alloc(L, (size_t)ds->n, sizeof(int));
    int k = 0;
    for (int i = 0; i < ds->n && k < max; i++)
        if (ds->labels[i] == cls) idx[k++] = i;
    *n = k;
    return idx;
}

float *sampler_class_images(lesson *L, const nn_dataset *ds, int cls, int max, int *n)
{
    int k;
    int *idx = sampler_class_indices(L, ds, cls, max, &k);
    float *x = lesson_alloc(L, (size_t)(k > 0 ? k : 1) * 784, sizeof(float));
    nn_dataset_gather(x, ds, idx, k, NN_RANGE_PM1);
    nn_free(idx);
    *n = k;
    return x;
}

void sampler_init(lesson *L, sampler *s, const nn_dataset *ds, const int *idx, int n,
                  uint64_t seed, uint64_t stream)
{
    s->ds = ds;
    s->idx = idx;
    s->n = n;
    s->pos = 0;
    s->order = lesson_alloc(L, (size_t)n, sizeof(int));
    for (int i = 0; i < n; i++) s->order[i] = i;
    nn_rng_seed(&s->rng, seed, stream);
    nn_rng_shuffle(&s->rng, s->order, n);
}

void sampler_next(sampler *s, float *out, int b)
{
    for (int i = 0; i < b; i++) {
        if (s->pos == s->n) {
            nn_rng_shuffle(&s->rng, s->order, s->n);
            s->pos = 0;
        }
        nn_dataset_gather(out + (size_t)i * 784, s->ds, &s->idx[s->order[s->pos++]], 1,
                          NN_RANGE_PM1);
    }
}

void sampler_free(sampler *s)
{
    nn_free(s->order);
    s->order = NULL;
}
