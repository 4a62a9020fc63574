/* flowjudge.c - how lesson 17 judges a flow beside lesson 09's GANs (flowjudge.h). */
#include "flowjudge.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "viz/plot.h"

#define LOG_2PI 1.8378770664093453

/* ------------------------------------------------------------------ likelihoods */

/* The data's own density, the mixture: log p(x) = log (1/K) sum_k N(x; c_k, sigma^2 I). */
static double mixture_log_prob(const nn_toy *d, const float *x)
{
    double best = -INFINITY, v[NN_TOY_MAX_MODES];
    double s2 = (double)d->sigma * d->sigma;
    for (int k = 0; k < d->n_modes; k++) {
        double dx = x[0] - d->centres[2 * k], dy = x[1] - d->centres[2 * k + 1];
        v[k] = -(dx * dx + dy * dy) / (2.0 * s2);
        if (v[k] > best) best = v[k];
    }
    double sum = 0.0;
    for (int k = 0; k < d->n_modes; k++) sum += exp(v[k] - best);
    return best + log(sum) - log((double)d->n_modes) - LOG_2PI - log(s2);
}

/* A single Gaussian fitted by maximum likelihood: the mean and the
 * covariance with 1/n (not numpy.cov's 1/(n-1)). */
typedef struct {
    double mu[2], cov[4];
} gauss2;

static gauss2 gauss_fit(const float *x, int n)
{
    gauss2 g;
    nn_mean_cov(g.mu, g.cov, x, n, 2);
    for (int i = 0; i < 4; i++) g.cov[i] *= (double)(n - 1) / n;
    return g;
}

static double gauss_log_prob(const gauss2 *g, const float *x)
{
    double a = g->cov[0], b = g->cov[1], d = g->cov[3], det = a * d - b * b;
    double u = x[0] - g->mu[0], v = x[1] - g->mu[1];
    double q = (d * u * u - 2.0 * b * u * v + a * v * v) / det;
    return -0.5 * q - LOG_2PI - 0.5 * log(det);
}

void flowjudge_likelihoods(flowjudge_result *res, nn_flow *f, const float *held, int n_held,
                           const float *fit, int n_fit)
{
    gauss2 g = gauss_fit(fit, n_fit);
    double gl = 0.0, tl = 0.0;
    for (int i = 0; i < n_held; i++) {
        gl += gauss_log_prob(&g, held + 2 * i);
        tl += mixture_log_prob(res->data, held + 2 * i);
    }
    res->gauss_ll = gl / n_held;
    res->true_ll = tl / n_held;
    res->flow_ll = nn_flow_mean_log_prob(f, held, n_held);
}

/* ------------------------------------------------------------------ off the modes */

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* Where the samples off the modes lie: the median, over the samples x
 * (n, 2) farther than 3 sigma from every mode, of the distance to the
 * nearest mode, in sigmas (0 when there are none). It says how far off the
 * modes they fall, not whether they lie between the modes or beyond them. */
static double off_mode_median(const nn_toy *d, const float *x, int n, float *scratch)
{
    int m = 0;
    for (int i = 0; i < n; i++) {
        float best = INFINITY;
        for (int k = 0; k < d->n_modes; k++)
            best = fminf(best, hypotf(x[2 * i] - d->centres[2 * k],
                                      x[2 * i + 1] - d->centres[2 * k + 1]));
        if (best > 3.0f * d->sigma) scratch[m++] = best / d->sigma;
    }
    if (m == 0) return 0.0;
    qsort(scratch, (size_t)m, sizeof(float), cmp_float);
    return m % 2 ? scratch[m / 2] : 0.5 * ((double)scratch[m / 2 - 1] + scratch[m / 2]);
}

void flowjudge_sample(lesson *L, flowjudge_result *res, nn_flow *f, uint64_t seed, float *x)
{
    nn_error err;
    const nn_toy *d = res->data;
    nn_rng rng;
    nn_rng_seed(&rng, seed, 8);
    nn_flow_sample(f, x, FLOWRUNS_SAMPLES, &rng);
    lesson_check(L, nn_mode_stats_compute(&res->flow_st, NULL, x, FLOWRUNS_SAMPLES, 2,
                                          d->centres, d->n_modes, d->sigma, &err), &err);
    float *scratch = lesson_alloc(L, (size_t)FLOWRUNS_SAMPLES, sizeof(float));
    res->flow_off = off_mode_median(d, x, FLOWRUNS_SAMPLES, scratch);
    nn_free(scratch);
}

void flowjudge_plot_samples(lesson *L, const nn_toy *data, const float *x)
{
    nn_error err;
    char name[64], title[160];
    snprintf(name, sizeof name, "samples_%s", data->name);
    snprintf(title, sizeof title, "%s: %d samples of the flow, modes marked", data->name,
             FLOWRUNS_SAMPLES);
    nn_plot q = {.dir = L->out, .name = name, .title = title, .xlabel = "x", .ylabel = "y",
                 .width = 600, .height = 600};
    nn_status s = nn_plot_scatter(&q, x, FLOWRUNS_SAMPLES, data->centres, data->n_modes, &err);
    lesson_plot_shown(L, &q, s, &err, "samples of the flow, x = f^-1(z), z ~ N(0, I)");
}

/* ------------------------------------------------------------------ the log-determinant */

double flowjudge_logdet_check(lesson *L, nn_flow *f, const float *held, const char *name)
{
    double lworst = 0.0;
    const double h = 1e-3;
    for (int i = 0; i < 5; i++) {
        float p0[2] = {held[2 * i], held[2 * i + 1]}, zc[2], lpc;
        nn_flow_forward(f, zc, &lpc, p0, 1);
        double ld_flow = lpc + 0.5 * ((double)zc[0] * zc[0] + (double)zc[1] * zc[1]) +
                         LOG_2PI;
        double J[2][2];
        for (int j = 0; j < 2; j++) {
            float up[2] = {p0[0], p0[1]}, dn[2] = {p0[0], p0[1]}, zu[2], zd[2];
            up[j] += (float)h;
            dn[j] -= (float)h;
            nn_flow_forward(f, zu, NULL, up, 1);
            nn_flow_forward(f, zd, NULL, dn, 1);
            double step = (double)up[j] - (double)dn[j];
            for (int k = 0; k < 2; k++) J[k][j] = ((double)zu[k] - zd[k]) / step;
        }
        double ld_num = log(fabs(J[0][0] * J[1][1] - J[0][1] * J[1][0]));
        lworst = fmax(lworst, fabs(ld_num - ld_flow));
        if (i < 2)
            lesson_print(L, "  point (%+.3f, %+.3f): log |det J| summed by the flow %+.4f, by "
                         "central differences %+.4f\n", (double)p0[0], (double)p0[1], ld_flow,
                         ld_num);
    }
    char key[64];
    snprintf(key, sizeof key, "flow_%s_logdet_check", name);
    lesson_key(L, key, "%.2e", lworst);
    return lworst;
}

/* ------------------------------------------------------------------ the table */

static void print_row(lesson *L, const nn_toy *d, const char *model, const nn_mode_stats *st,
                      double between, double off)
{
    lesson_print(L, "%-6s %-17s %5d/%-2d %9.1f%% %13.1f%% %9.1f sd\n", d->name, model,
                 st->modes_covered, d->n_modes, 100.0 * st->hq_fraction, between, off);
}

/* A model's figures in summary.tsv: PREFIX_modes, _hq, _between, _off_sd. */
static void key_model(lesson *L, const char *prefix, const nn_mode_stats *st, double off)
{
    char key[64];
    snprintf(key, sizeof key, "%s_modes", prefix);
    lesson_key_quiet(L, key, "%d", st->modes_covered);
    snprintf(key, sizeof key, "%s_hq", prefix);
    lesson_key_quiet(L, key, "%.1f", 100.0 * st->hq_fraction);
    snprintf(key, sizeof key, "%s_between", prefix);
    lesson_key_quiet(L, key, "%.1f", 100.0 * (1.0 - st->hq_fraction));
    snprintf(key, sizeof key, "%s_off_sd", prefix);
    lesson_key_quiet(L, key, "%.1f", off);
}

void flowjudge_rows(lesson *L, flowjudge_result *res, flowrun *const *gans, uint64_t seed)
{
    nn_error err;
    const nn_toy *D = res->data;
    float *scratch = lesson_alloc(L, (size_t)FLOWRUNS_SAMPLES, sizeof(float));
    nn_rng rr;
    nn_rng_seed(&rr, seed, 7);
    float *real = lesson_alloc(L, (size_t)FLOWRUNS_SAMPLES * 2, sizeof(float));
    nn_toy_sample(D, &rr, real, NULL, FLOWRUNS_SAMPLES);
    nn_mode_stats rs;
    lesson_check(L, nn_mode_stats_compute(&rs, NULL, real, FLOWRUNS_SAMPLES, 2, D->centres,
                                          D->n_modes, D->sigma, &err), &err);
    res->data_between = 100.0 * (1.0 - rs.hq_fraction);
    print_row(L, D, "real data", &rs, res->data_between,
              off_mode_median(D, real, FLOWRUNS_SAMPLES, scratch));
    nn_free(real);
    const nn_mode_stats *fs = &res->flow_st;
    print_row(L, D, "flow", fs, 100.0 * (1.0 - fs->hq_fraction), res->flow_off);
    char prefix[48];
    snprintf(prefix, sizeof prefix, "flow_%s", D->name);
    key_model(L, prefix, fs, res->flow_off);
    res->have_gans = gans != NULL;
    for (int g = 0; g < 2 && gans; g++) {
        const flowrun *q = gans[g];
        nn_mode_stats *gs = &res->gan_st[g];
        lesson_check(L, nn_mode_stats_compute(gs, NULL, q->samples, FLOWRUNS_SAMPLES, 2,
                                              D->centres, D->n_modes, D->sigma, &err), &err);
        res->gan_off[g] = off_mode_median(D, q->samples, FLOWRUNS_SAMPLES, scratch);
        char label[40];
        snprintf(label, sizeof label, "GAN, %s", g ? toy_fix_name(q->cfg.fix) : "vanilla");
        print_row(L, D, label, gs, 100.0 * (1.0 - gs->hq_fraction), res->gan_off[g]);
        snprintf(prefix, sizeof prefix, "gan_%s_%s", D->name, g ? "best" : "vanilla");
        key_model(L, prefix, gs, res->gan_off[g]);
    }
    if (gans) {
        char key[64];
        snprintf(key, sizeof key, "gan_%s_best_fix", D->name);
        lesson_key_quiet(L, key, "%s", toy_fix_name(res->best));
    }
    nn_free(scratch);
}

/* ------------------------------------------------------------------ the words */

static const char *pct_word(double a, double b)
{
    return a > b ? "more" : a < b ? "less" : "as much";
}

void flowjudge_say_between(lesson *L, const flowjudge_result *R)
{
    const nn_toy *d = R->data;
    double fb_ = 100.0 * (1.0 - R->flow_st.hq_fraction);
    int all = R->flow_st.modes_covered == d->n_modes;
    char gans[400] = "";
    if (R->have_gans) {
        double gv = 100.0 * (1.0 - R->gan_st[0].hq_fraction),
               gb = 100.0 * (1.0 - R->gan_st[1].hq_fraction);
        snprintf(gans, sizeof gans,
                 " The vanilla GAN covers %d and leaves %.1f%% between them (%s than the "
                 "flow), the %s GAN covers %d and leaves %.1f%% (%s than the flow).",
                 R->gan_st[0].modes_covered, gv, pct_word(gv, fb_), toy_fix_name(R->best),
                 R->gan_st[1].modes_covered, gb, pct_word(gb, fb_));
    }
    lesson_say(L, "%s: the flow covers %s%d of %d modes and leaves %.1f%% of its samples "
               "between them, %.0f times the data's own %.1f%%; half of those lie more "
               "than %.1f sigma from any mode.%s",
               d->name, all ? "all " : "", R->flow_st.modes_covered, d->n_modes,
               fb_, fb_ / fmax(R->data_between, 0.01), R->data_between, R->flow_off, gans);
}

/* The comparison that matters is with the best-fixed GAN, the one that
 * works: a collapsed GAN also leaves its samples off the modes, for another
 * reason. */
flowjudge_verdict flowjudge_compare(const flowjudge_result *res, int n)
{
    flowjudge_verdict v = {.flow_covers = 1, .any_gans = 0, .above_best = 1,
                           .vanilla_drops = 0, .vanilla_off = -1};
    for (int d = 0; d < n; d++) {
        v.flow_covers &= res[d].flow_st.modes_covered == res[d].data->n_modes;
        if (!res[d].have_gans) continue;
        v.any_gans = 1;
        v.above_best &= res[d].flow_st.hq_fraction < res[d].gan_st[1].hq_fraction;
        v.vanilla_drops |= res[d].gan_st[0].modes_covered < res[d].data->n_modes;
        if (v.vanilla_off < 0 && res[d].gan_st[0].hq_fraction <= res[d].flow_st.hq_fraction)
            v.vanilla_off = d; /* a vanilla GAN with still fewer samples on the modes */
    }
    return v;
}
