/* bilinear_game.c - the game x y's trajectories, measured (bilinear_game.h). */
#include "bilinear_game.h"

#include <math.h>

#include "lines_figure.h"
#include "nn.h"

bilinear_game_growth bilinear_game_show(lesson *L, const float *sim, const float *alt,
                                        int steps)
{
    nn_error err = {NN_OK, ""};
    float *dist = lesson_alloc(L, (size_t)3 * (size_t)(steps + 1), sizeof(float));
    float *xs = dist, *dsim = dist + steps + 1, *dalt = dist + 2 * (steps + 1);
    bilinear_game_growth g = {0.0, 0.0, 0.0};
    for (int k = 0; k <= steps; k++) {
        xs[k] = (float)k;
        dsim[k] = hypotf(sim[2 * k], sim[2 * k + 1]);
        dalt[k] = hypotf(alt[2 * k], alt[2 * k + 1]);
        g.alt_max = fmax(g.alt_max, dalt[k] / dalt[0]);
    }
    nn_plot p = {.dir = L->out, .name = "bilinear_simultaneous",
                 .title = "simultaneous steps on x y", .xlabel = "x", .ylabel = "y"};
    lesson_plot_shown(L, &p, nn_plot_scatter(&p, sim, steps + 1, NULL, 0, &err), &err,
                      "simultaneous steps: the trajectory");
    nn_plot q = {.dir = L->out, .name = "bilinear_alternating",
                 .title = "alternating steps on x y", .xlabel = "x", .ylabel = "y"};
    lesson_plot_shown(L, &q, nn_plot_scatter(&q, alt, steps + 1, NULL, 0, &err), &err,
                      "alternating steps: the trajectory");
    const float *ys[2] = {dsim, dalt};
    const char *names[2] = {"simultaneous", "alternating"};
    lines_figure_show(L, "bilinear_distance", "distance to the equilibrium (0, 0)", "step",
                      "distance", xs, ys, names, 2, steps + 1, 0);
    g.sim = dsim[steps] / dsim[0];
    g.alt = dalt[steps] / dalt[0];
    nn_free(dist);
    return g;
}
