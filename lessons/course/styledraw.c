/* styledraw.c - drawing from a trained style-based generator (styledraw.h). */
#include "styledraw.h"

#include <stdio.h>
#include <string.h>

styledraw styledraw_create(lesson *L, nn_model *G, const nn_style_parts *p)
{
    styledraw d = {G, *p, lesson_alloc(L, (size_t)G->max_batch * p->w_dim, sizeof(float)),
                   lesson_alloc(L, (size_t)G->max_batch * p->w_dim, sizeof(float)),
                   lesson_alloc(L, (size_t)G->max_batch * p->n_slots * p->w_dim,
                                sizeof(float))};
    return d;
}

void styledraw_free(styledraw *d)
{
    nn_free(d->w1);
    nn_free(d->w2);
    nn_free(d->bus);
    d->w1 = d->w2 = d->bus = NULL;
}

void styledraw_images(styledraw *d, float *out, const float *z1, const float *z2, int cross,
                      float psi, int n)
{
    nn_model *G = d->G;
    const int wd = d->p.w_dim, lat = G->in;
    for (int i0 = 0; i0 < n; i0 += G->max_batch) {
        const int rows = n - i0 < G->max_batch ? n - i0 : G->max_batch;
        memcpy(d->w1, nn_style_map(G, &d->p, z1 + (size_t)i0 * lat, rows),
               (size_t)rows * wd * sizeof(float));
        nn_style_truncate(d->w1, d->p.w_avg, psi, rows, wd);
        if (z2) {
            memcpy(d->w2, nn_style_map(G, &d->p, z2 + (size_t)i0 * lat, rows),
                   (size_t)rows * wd * sizeof(float));
            nn_style_truncate(d->w2, d->p.w_avg, psi, rows, wd);
        }
        nn_style_mix(d->bus, d->w1, z2 ? d->w2 : d->w1, rows, wd, d->p.n_slots,
                     z2 ? cross : d->p.n_slots);
        memcpy(out + (size_t)i0 * G->out, nn_style_synthesize(G, &d->p, d->bus, rows),
               (size_t)rows * G->out * sizeof(float));
    }
}

int styledraw_slot_side(const nn_model *G, int slot)
{
    for (int i = 0; i < G->n_layers; i++)
        if (nn_adain_slot(&G->layers[i]) == slot)
            return G->layers[i].in_h;
    return 0;
}

void styledraw_slot_sides(char *s, size_t cap, const nn_model *G, int cross)
{
    size_t len = 0;
    int last = 0;
    s[0] = 0;
    for (int k = 0; k < cross && len < cap; k++) {
        int side = styledraw_slot_side(G, k);
        if (side == last) continue;
        len += (size_t)snprintf(s + len, cap - len, "%s%d", last ? ", " : "", side);
        last = side;
    }
}
