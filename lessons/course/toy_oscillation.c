/* toy_oscillation.c - lesson 09's ring GAN, step by step (toy_oscillation.h). */
#include "toy_oscillation.h"

#include <math.h>

#include "lines_figure.h"
#include "nn.h"
#include "toygan.h"
#include "trainrun.h"

toy_oscillation_swing toy_oscillation_run(lesson *L, uint64_t seed, int steps)
{
    nn_error err = {NN_OK, ""};
    nn_toy ring;
    lesson_check(L, nn_toy_ring(&ring, 8, 2.0f, 0.02f, &err), &err);
    toy_config tc = toy_config_default();
    toy_gan *tg = toy_gan_create(&tc, seed, &err);
    if (!tg) lesson_check(L, err.code, &err);
    float *dr = lesson_alloc(L, (size_t)steps * 3, sizeof(float));
    float *df = dr + steps, *ts = dr + 2 * steps;
    for (int s = 0; s < steps; s++) {
        toy_gan_step(tg, &ring);
        dr[s] = tg->last.d_real;
        df[s] = tg->last.d_fake;
        ts[s] = (float)(s + 1);
    }
    float *sm = lesson_alloc(L, (size_t)steps, sizeof(float));
    trainrun_smooth(sm, dr, steps, 50);
    toy_oscillation_swing w = {INFINITY, -INFINITY};
    for (int s = steps / 2; s < steps; s++) {
        w.lo = fminf(w.lo, sm[s]);
        w.hi = fmaxf(w.hi, sm[s]);
    }
    const float *ys[2] = {dr, df};
    const char *names[2] = {"D(x)", "D(G(z))"};
    lines_figure_show(L, "toy_oscillation", "D(x) and D(G(z)) on lesson 09's ring", "G updates",
                      "mean probability", ts, ys, names, 2, steps, 0);
    nn_free(sm);
    nn_free(dr);
    toy_gan_free(tg);
    return w;
}
