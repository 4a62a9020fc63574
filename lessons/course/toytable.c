/* toytable.c - the table of a toy GAN's settings over seeds (toytable.h). */
#include "toytable.h"

#include <math.h>
#include <stdio.h>

#include "viz/plot.h"
#include "workqueue.h"

typedef struct {
    double mean, sd;
} spread;

static spread mean_sd(const double *v, int n)
{
    double m = 0.0, s = 0.0;
    for (int i = 0; i < n; i++) m += v[i];
    m /= n;
    for (int i = 0; i < n; i++) s += (v[i] - m) * (v[i] - m);
    spread r = {m, n > 1 ? sqrt(s / (n - 1)) : 0.0};
    return r;
}

/* One run of the table: a GAN already built, trained and measured by
 * whichever worker takes it. Runs share nothing, so each run's numbers
 * depend on its seed alone, not on the worker or the order. */
typedef struct {
    toy_gan *g;
    toy_config cfg;
    const toytable_spec *spec;
    float *x;             /* (n_eval, 2) this run's samples */
    nn_mode_stats st;     /* the result */
    nn_status status;
    nn_error err;
    double secs;          /* wall time of this run */
} table_run;

/* One run of the table, on whichever worker takes it. */
static void table_run_one(void *ctx, int i)
{
    table_run *r = &((table_run *)ctx)[i];
    const toytable_spec *sp = r->spec;
    double t0 = lesson_seconds();
    sp->train(r->g, &r->cfg, sp->data, sp->steps);
    toy_gan_sample(r->g, r->x, sp->n_eval);
    r->status = nn_mode_stats_compute(&r->st, NULL, r->x, sp->n_eval, 2, sp->data->centres,
                                      sp->data->n_modes, sp->data->sigma, &r->err);
    r->secs = lesson_seconds() - t0;
}

/* The table's results, one row of seeds per setting: (n_settings, seeds). */
typedef struct {
    double *modes, *hq, *kl;
    double *secs;         /* (n_settings) mean wall time of a run */
} table_results;

/* Every setting over every seed; the results into res. */
static void train_runs(lesson *L, const toytable_spec *sp, table_results *res)
{
    int seeds = sp->seeds, n = sp->n_settings * seeds;
    table_run *runs = nn_alloc((size_t)n, sizeof *runs);
    float *xs = lesson_alloc(L, (size_t)n * sp->n_eval * 2, sizeof(float));
    if (!runs) lesson_fail(L, LESSON_EXIT_INTERNAL, "out of memory for %d runs", n);
    /* The slowest setting (the last) first, so no worker is left alone
     * with one long run at the end. */
    for (int i = 0; i < n; i++) {
        int s = sp->n_settings - 1 - i / seeds, k = i % seeds;
        table_run *r = &runs[i];
        r->cfg = sp->cfgs[s];
        r->spec = sp;
        r->x = xs + (size_t)i * sp->n_eval * 2;
        nn_error err;
        /* Seeds differ from the filmed run's. */
        r->g = toy_gan_create(&r->cfg, L->seed + 1000u + (uint64_t)k, &err);
        if (!r->g) lesson_check(L, err.code, &err);
    }
    workqueue_run(L, sp->data->name, n, sp->jobs, table_run_one, runs);
    for (int i = 0; i < n; i++) {
        int s = sp->n_settings - 1 - i / seeds, k = i % seeds;
        lesson_check(L, runs[i].status, &runs[i].err);
        res->modes[s * seeds + k] = runs[i].st.modes_covered;
        res->hq[s * seeds + k] = 100.0 * runs[i].st.hq_fraction;
        res->kl[s * seeds + k] = runs[i].st.reverse_kl;
        res->secs[s] += runs[i].secs / seeds;
        toy_gan_free(runs[i].g);
    }
    nn_free(runs);
    nn_free(xs);
}

static const char *setting_name(const toytable_spec *sp, int s)
{
    return s == 0 ? "vanilla" : toy_fix_name(sp->settings[s]);
}

/* The table, its keys and the best fix; t_all is when the runs started. */
static void show_table(lesson *L, const toytable_spec *sp, const table_results *res,
                       double t_all)
{
    const nn_toy *data = sp->data;
    int seeds = sp->seeds;
    lesson_print(L, "%s: %d modes, sigma %.2f; %d steps, %d seeds, mean +- sd over seeds\n",
                 data->name, data->n_modes, (double)data->sigma, sp->steps, seeds);
    lesson_print(L, "%-9s %-17s %-17s %-15s %s\n", "setting", "modes covered", "hq samples (%)",
                 "reverse KL", "s/run");
    int best = 1;
    spread m_best = {-1, 0}, h_best = {0, 0};
    for (int s = 0; s < sp->n_settings; s++) {
        spread m = mean_sd(res->modes + s * seeds, seeds), h = mean_sd(res->hq + s * seeds, seeds),
               r = mean_sd(res->kl + s * seeds, seeds);
        const char *nm = setting_name(sp, s);
        lesson_print(L, "%-9s %5.2f +- %-7.2f %5.1f +- %-7.1f %5.3f +- %-6.3f %5.1f\n", nm,
                     m.mean, m.sd, h.mean, h.sd, r.mean, r.sd, res->secs[s]);
        /* Keys are identifiers: wgan-gp becomes wgan_gp. */
        char id[16], key[64];
        snprintf(id, sizeof id, "%s", nm);
        for (char *c = id; *c; c++)
            if (*c == '-') *c = '_';
        snprintf(key, sizeof key, "%s_%s_modes", data->name, id);
        lesson_key_quiet(L, key, "%.2f", m.mean);
        snprintf(key, sizeof key, "%s_%s_modes_sd", data->name, id);
        lesson_key_quiet(L, key, "%.2f", m.sd);
        snprintf(key, sizeof key, "%s_%s_hq", data->name, id);
        lesson_key_quiet(L, key, "%.1f", h.mean);
        snprintf(key, sizeof key, "%s_%s_hq_sd", data->name, id);
        lesson_key_quiet(L, key, "%.1f", h.sd);
        snprintf(key, sizeof key, "%s_%s_kl", data->name, id);
        lesson_key_quiet(L, key, "%.3f", r.mean);
        /* The best fix: most modes, then most high-quality samples. */
        if (s > 0 && (m.mean > m_best.mean || (m.mean == m_best.mean && h.mean > h_best.mean))) {
            best = s;
            m_best = m;
            h_best = h;
        }
    }
    char key[64];
    snprintf(key, sizeof key, "%s_best_fix", data->name);
    lesson_key(L, key, "%s", toy_fix_name(sp->settings[best]));
    snprintf(key, sizeof key, "%s_best_fix_modes", data->name);
    lesson_key(L, key, "%.2f", m_best.mean);
    snprintf(key, sizeof key, "%s_best_fix_hq", data->name);
    lesson_key(L, key, "%.1f", h_best.mean);
    snprintf(key, sizeof key, "%s_table_wall_s", data->name);
    lesson_key(L, key, "%.1f", lesson_seconds() - t_all);
}

/* Bars of modes covered per setting, the table at a glance. */
static void show_bars(lesson *L, const toytable_spec *sp, const table_results *res)
{
    const nn_toy *data = sp->data;
    float *bars = lesson_alloc(L, (size_t)sp->n_settings, sizeof(float));
    const char **labels = lesson_alloc(L, (size_t)sp->n_settings, sizeof(const char *));
    for (int s = 0; s < sp->n_settings; s++) {
        bars[s] = (float)mean_sd(res->modes + s * sp->seeds, sp->seeds).mean;
        labels[s] = setting_name(sp, s);
    }
    char name[64], title[96];
    snprintf(name, sizeof name, "fixes_%s", data->name);
    snprintf(title, sizeof title, "%s: modes covered of %d (mean over %d seeds)", data->name,
             data->n_modes, sp->seeds);
    nn_error err;
    nn_plot p = {.dir = L->out, .name = name, .title = title, .ylabel = "modes covered"};
    lesson_check(L, nn_plot_bars(&p, bars, labels, sp->n_settings, &err), &err);
    char png[80];
    snprintf(png, sizeof png, "%s.png", name);
    lesson_figure(L, png, title);
    nn_free(bars);
    nn_free(labels);
}

void toytable_compare(lesson *L, const toytable_spec *spec)
{
    double t_all = lesson_seconds();
    size_t cells = (size_t)spec->n_settings * (size_t)spec->seeds;
    table_results res = {lesson_alloc(L, cells, sizeof(double)),
                         lesson_alloc(L, cells, sizeof(double)),
                         lesson_alloc(L, cells, sizeof(double)),
                         lesson_alloc(L, (size_t)spec->n_settings, sizeof(double))};
    train_runs(L, spec, &res);
    show_table(L, spec, &res, t_all);
    show_bars(L, spec, &res);
    nn_free(res.modes);
    nn_free(res.hq);
    nn_free(res.kl);
    nn_free(res.secs);
}
