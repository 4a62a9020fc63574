/* clip_sweep.c - weight clipping's bound over a deep critic (clip_sweep.h). */
#include "clip_sweep.h"

#include <stdio.h>

#include "critic_probe.h"
#include "lines_figure.h"

void clip_sweep_run(lesson *L, clip_sweep *sw, uint64_t seed, int steps, recipe_feed *f,
                    recipe_evalset *ev, const float *probe_real, float *wbuf)
{
    static const float cs[CLIP_SWEEP_BOUNDS] = {0.001f, 0.01f, 0.1f};
    sw->steps = steps;
    sw->n_lin = 0;
    sw->deep_share = 0.0;
    for (int k = 0; k < CLIP_SWEEP_BOUNDS; k++) {
        sw->c[k] = cs[k];
        recipe r = recipe_wgan_clip(cs[k]);
        r.arch.n_d_hidden = CLIP_SWEEP_LAYERS;
        for (int i = 0; i < CLIP_SWEEP_LAYERS; i++) r.arch.d_hidden[i] = CLIP_SWEEP_WIDTH;
        char label[48];
        snprintf(label, sizeof label, "wgan-clip c = %g", (double)cs[k]);
        recipe_outcome o;
        nn_gan *t = recipe_train(L, &r, seed, steps, f, ev, NULL, label, &o);
        if (k == 1) { /* the main run's bound, on a critic whose input layer is a smaller part */
            int at_deep, nw_deep = critic_probe_weights(t->D, wbuf, cs[k], &at_deep);
            sw->deep_share = (double)at_deep / nw_deep;
        }
        sw->n_lin = critic_probe_backward_norms(t->D, probe_real, 64, sw->norm[k], wbuf, 784);
        nn_gan_free(t);
    }
}

void clip_sweep_show(lesson *L, const clip_sweep *sw)
{
    lesson_print(L, "the deep critic below (%d hidden layers of %d), c = %g, after %d G updates: "
                 "%.1f%% of its weights within 5%% of +-c\n", CLIP_SWEEP_LAYERS,
                 CLIP_SWEEP_WIDTH, (double)sw->c[1], sw->steps, 100.0 * sw->deep_share);
    lesson_key(L, "clip_deep_weights_at_bound", "%.4f", sw->deep_share);
    lesson_print(L, "the deep critic's gradient (of its score, per image) at the input of each "
                 "linear layer, first to last, after %d G updates:\n", sw->steps);
    for (int k = 0; k < CLIP_SWEEP_BOUNDS; k++) {
        lesson_print(L, "  c = %-7g", (double)sw->c[k]);
        for (int i = 0; i < sw->n_lin; i++) lesson_print(L, "  %10.3e", (double)sw->norm[k][i]);
        lesson_print(L, "\n");
    }
    float lx[CLIP_SWEEP_LAYERS + 1];
    for (int i = 0; i < sw->n_lin; i++) lx[i] = (float)(i + 1);
    char n0[32], n1[32], n2[32];
    snprintf(n0, sizeof n0, "c = %g", (double)sw->c[0]);
    snprintf(n1, sizeof n1, "c = %g", (double)sw->c[1]);
    snprintf(n2, sizeof n2, "c = %g", (double)sw->c[2]);
    const float *ys[CLIP_SWEEP_BOUNDS] = {sw->norm[0], sw->norm[1], sw->norm[2]};
    const char *names[CLIP_SWEEP_BOUNDS] = {n0, n1, n2};
    lines_figure_show(L, "clip_layer_norms", "critic's gradient norm by layer",
                      "linear layer (1: the images)", "gradient norm at its input", lx, ys,
                      names, CLIP_SWEEP_BOUNDS, sw->n_lin, 1);
}

double clip_sweep_first_over_last(const clip_sweep *sw, int k)
{
    return sw->norm[k][0] / sw->norm[k][sw->n_lin - 1];
}
