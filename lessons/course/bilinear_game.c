/* bilinear_game.c - the game x y's trajectories, measured (bilinear_game.h). */
#include "bilinear_game.h"

#include <math.h>

#include "lines_figure.h"
#include "nn.h"

/* One trajectory pts (n, 2) as a line through its steps in the (x, y)
 * plane, keyed as steps (not samples: each point is the next step). */
static void trajectory(lesson *L, const char *name, const char *title, const float *pts, int n)
{
    float *xy = lesson_alloc(L, 2 * (size_t)n, sizeof(float));
    for (int k = 0; k < n; k++) xy[k] = pts[2 * k], xy[n + k] = pts[2 * k + 1];
    const float *ys[1] = {xy + n};
    const char *names[1] = {"(x, y) step by step, from (1, 1)"};
    lines_figure_show(L, name, title, "x", "y", xy, ys, names, 1, n, 0);
    nn_free(xy);
}

bilinear_game_growth bilinear_game_show(lesson *L, const float *sim, const float *alt,
                                        const float *fix, int steps)
{
    float *dist = lesson_alloc(L, (size_t)4 * (size_t)(steps + 1), sizeof(float));
    float *xs = dist, *dsim = dist + steps + 1, *dalt = dist + 2 * (steps + 1);
    float *dfix = dist + 3 * (steps + 1);
    bilinear_game_growth g = {0.0, 0.0, 0.0, 0.0};
    for (int k = 0; k <= steps; k++) {
        xs[k] = (float)k;
        dsim[k] = hypotf(sim[2 * k], sim[2 * k + 1]);
        dalt[k] = hypotf(alt[2 * k], alt[2 * k + 1]);
        dfix[k] = hypotf(fix[2 * k], fix[2 * k + 1]);
        g.alt_max = fmax(g.alt_max, dalt[k] / dalt[0]);
    }
    trajectory(L, "bilinear_simultaneous", "simultaneous steps on x y", sim, steps + 1);
    trajectory(L, "bilinear_alternating", "alternating steps on x y", alt, steps + 1);
    trajectory(L, "bilinear_extragradient", "extragradient steps on x y", fix, steps + 1);
    const float *ys[3] = {dsim, dalt, dfix};
    const char *names[3] = {"simultaneous", "alternating", "extragradient"};
    lines_figure_show(L, "bilinear_distance", "distance to the equilibrium (0, 0)", "step",
                      "distance", xs, ys, names, 3, steps + 1, 0);
    g.sim = dsim[steps] / dsim[0];
    g.alt = dalt[steps] / dalt[0];
    g.fix = dfix[steps] / dfix[0];
    nn_free(dist);
    return g;
}
