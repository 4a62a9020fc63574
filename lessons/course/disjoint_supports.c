/* disjoint_supports.c - two lines apart, from samples (disjoint_supports.h). */
#include "disjoint_supports.h"

#include <math.h>
#include <stdlib.h>

#include "lines_figure.h"
#include "nn.h"

static int cmp_float(const void *a, const void *b)
{
    float u = *(const float *)a, v = *(const float *)b;
    return (u > v) - (u < v);
}

void disjoint_draw(uint64_t seed, float *real, float *base, int n, float sd)
{
    nn_rng r;
    nn_rng_seed(&r, seed, 20);
    nn_rng_fill_normal(&r, real, (size_t)n, 0.0f, sd);
    nn_rng_fill_normal(&r, base, (size_t)n, 0.0f, sd);
    qsort(real, (size_t)n, sizeof(float), cmp_float);
    qsort(base, (size_t)n, sizeof(float), cmp_float);
}

disjoint_flatness disjoint_flatness_away(const disjoint_curves *c, float away)
{
    disjoint_flatness f = {0, 0.0, 0.0, INFINITY, 0.0};
    for (int i = 0; i < c->n; i++)
        if (fabsf(c->theta[i]) >= away) {
            f.n_away++;
            f.js_dev = fmax(f.js_dev, fabs(c->js_s[i] - log(2.0)));
            f.gjs_max = fmax(f.gjs_max, fabs(c->gjs[i]));
            f.gw_min = fmin(f.gw_min, fabs(c->gw[i]));
            f.gw_max = fmax(f.gw_max, fabs(c->gw[i]));
        }
    return f;
}

void disjoint_plot(lesson *L, const disjoint_curves *c)
{
    const float *ys[4] = {c->js_f, c->js_s, c->w_f, c->w_s};
    const char *names[4] = {"JS, formula", "JS, from samples", "W1, formula",
                            "W1, from samples"};
    lines_figure_show(L, "disjoint_distances", "distances between P (x = 0) and Q (x = theta)",
                      "theta", "nats / distance", c->theta, ys, names, 4, c->n, 0);
    const float *gs[2] = {c->gjs, c->gw};
    const char *gn[2] = {"d JS / d theta", "d W1 / d theta"};
    lines_figure_show(L, "disjoint_gradients",
                      "the gradient each distance gives G (from samples)", "theta", "slope",
                      c->theta, gs, gn, 2, c->n, 0);
}
