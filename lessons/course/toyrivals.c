/* toyrivals.c - lesson 09's GANs as the rivals of another model (toyrivals.h). */
#include "toyrivals.h"

#include <stdio.h>
#include <string.h>

#include "viz/plot.h"

/* lesson 09's best fix for a data set: what its table chose when it has run
 * beside this lesson (its summary.tsv), else the fix its table picks at its
 * default seed with --seeds 1 (ring: unroll, 8 modes at 89% against pack's
 * 75%; grid: pack, 25 modes against mbstd's 18). */
static toy_fix best_fix(lesson *L, const nn_toy *d, const char **source)
{
    toy_fix fix = strcmp(d->name, "grid") == 0 ? TOY_FIX_PACK : TOY_FIX_UNROLL;
    *source = L->fast ? "the fix lesson 09's table picks at its default seed over one seed "
                        "(a --fast run does not read lesson 09's outputs)"
                      : "the fix lesson 09's table picks at its default seed over one seed "
                        "(lesson 09 has not run beside this lesson)";
    char path[700];
    snprintf(path, sizeof path, "%s", L->out);
    char *slash = strrchr(path, '/');
    size_t at = slash ? (size_t)(slash + 1 - path) : 0;
    snprintf(path + at, sizeof path - at, "09_mode_collapse/summary.tsv");
    FILE *in = L->fast ? NULL : fopen(path, "r");
    if (!in) return fix;
    char line[256], want[64];
    snprintf(want, sizeof want, "%s_best_fix\t", d->name);
    while (fgets(line, sizeof line, in))
        if (strncmp(line, want, strlen(want)) == 0) {
            line[strcspn(line, "\r\n")] = 0;
            if (toy_fix_parse(line + strlen(want), &fix) == 0)
                *source = "as lesson 09's table chose (read from its summary.tsv)";
        }
    fclose(in);
    return fix;
}

toyrivals toyrivals_prepare(lesson *L, const nn_toy *data)
{
    toyrivals tr;
    tr.cfg = toy_config_preset(data, &tr.steps);
    if (L->fast) {
        tr.steps = TOYRIVALS_FAST_STEPS;
        tr.cfg.batch = tr.cfg.batch < 64 ? tr.cfg.batch : 64;
    }
    tr.best = best_fix(L, data, &tr.best_source);
    return tr;
}

/* lesson 09's schedule: both learning rates decay linearly to 2%. */
static void gan_train(flowrun *r)
{
    for (int s = 0; s < r->steps; s++) {
        float decay = 1.0f - 0.98f * (float)s / (float)r->steps;
        r->gan->gan->opt_g.lr = r->cfg.lr * decay;
        r->gan->gan->opt_d.lr = r->cfg.lr_d * decay;
        toy_gan_step(r->gan, r->data);
    }
    toy_gan_sample(r->gan, r->samples, FLOWRUNS_SAMPLES);
}

void toyrivals_run(lesson *L, flowrun *r, const nn_toy *data, const toyrivals *tr, int fixed,
                   uint64_t seed)
{
    nn_error err;
    r->train = gan_train;
    r->data = data;
    r->steps = tr->steps;
    r->cfg = tr->cfg;
    r->cfg.fix = fixed ? tr->best : TOY_FIX_NONE;
    if (r->cfg.fix == TOY_FIX_WGANGP) r->cfg.d_steps = 5; /* as lesson 09 */
    r->gan = toy_gan_create(&r->cfg, seed, &err);
    if (!r->gan) lesson_check(L, err.code, &err);
    r->samples = lesson_alloc(L, (size_t)FLOWRUNS_SAMPLES * 2, sizeof(float));
}

void toyrivals_plot_samples(lesson *L, const nn_toy *data, flowrun *const gans[2])
{
    nn_error err;
    for (int g = 0; g < 2; g++) {
        const flowrun *q = gans[g];
        char nm[64], title[128];
        snprintf(nm, sizeof nm, "gan_samples_%s_%s", data->name, g ? "best" : "vanilla");
        snprintf(title, sizeof title, "%s: %d samples of the GAN, %s", data->name,
                 FLOWRUNS_SAMPLES, g ? toy_fix_name(q->cfg.fix) : "vanilla");
        nn_plot p = {.dir = L->out, .name = nm, .title = title, .xlabel = "x", .ylabel = "y",
                     .width = 600, .height = 600};
        nn_status s = nn_plot_scatter(&p, q->samples, FLOWRUNS_SAMPLES, data->centres,
                                      data->n_modes, &err);
        lesson_plot_shown(L, &p, s, &err, title);
    }
}
