/* critic_probe.c - measurements of a trained critic (critic_probe.h). */
#include "critic_probe.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

double critic_probe_mean_score(nn_model *D, const float *x, int n)
{
    double s = 0.0;
    for (int i = 0; i < n; i += D->max_batch) {
        int k = n - i < D->max_batch ? n - i : D->max_batch;
        const float *y = nn_model_forward(D, x + (size_t)i * (size_t)D->in, k, 0);
        for (int j = 0; j < k; j++) s += y[j];
    }
    return s / n;
}

int critic_probe_weights(const nn_model *m, float *w, float c, int *at_bound)
{
    int n = 0, at = 0;
    for (int i = 0; i < m->n_layers; i++) {
        const nn_layer *l = &m->layers[i];
        if (l->spec.kind != NN_LAYER_LINEAR) continue;
        for (int k = 0; k < l->in * l->out; k++) {
            w[n++] = l->w[k];
            at += fabsf(fabsf(l->w[k]) - c) <= CRITIC_PROBE_BAND * c;
        }
    }
    *at_bound = at;
    return n;
}

double critic_probe_share_after_clip(nn_model *D, float c, float *wbuf)
{
    nn_clip_weights(D->params, D->n_params, c);
    int at, nw = critic_probe_weights(D, wbuf, c, &at);
    return (double)at / nw;
}

critic_clip_change critic_probe_clip_change(double start, double end)
{
    if (end - start >= 0.05 && end >= 2.0 * start) return CRITIC_CLIP_PUSHED_OUT;
    if (start - end >= 0.05 && end <= 0.5 * start) return CRITIC_CLIP_PULLED_IN;
    return CRITIC_CLIP_UNCHANGED;
}

void critic_probe_layers_measure(const nn_model *m, float c, critic_probe_layers *pl)
{
    int k = 0;
    for (int i = 0; i < m->n_layers && k < CRITIC_PROBE_MAX_LAYERS; i++) {
        const nn_layer *l = &m->layers[i];
        if (l->spec.kind != NN_LAYER_LINEAR) continue;
        long n = (long)l->in * l->out, at = 0;
        for (long j = 0; j < n; j++) at += fabsf(fabsf(l->w[j]) - c) <= CRITIC_PROBE_BAND * c;
        pl->share[k] = (double)at / (double)n;
        pl->count[k++] = n;
    }
    pl->n = k;
    double later_at = 0.0;
    pl->later_n = 0;
    for (int i = 1; i < k; i++) {
        pl->later_n += pl->count[i];
        later_at += pl->share[i] * (double)pl->count[i];
    }
    pl->later_share = pl->later_n ? later_at / (double)pl->later_n : 0.0;
}

void critic_probe_layers_print(lesson *L, const critic_probe_layers *pl, const char *key)
{
    char by_layer[160] = "";
    lesson_print(L, "by layer, input first:");
    for (int i = 0; i < pl->n; i++) {
        lesson_print(L, "  %.1f%% of %ld", 100.0 * pl->share[i], pl->count[i]);
        size_t len = strlen(by_layer);
        snprintf(by_layer + len, sizeof by_layer - len, "%s%.3f", i ? "," : "", pl->share[i]);
    }
    lesson_print(L, "\n");
    lesson_key(L, key, "%s", by_layer);
}

int critic_probe_backward_norms(nn_model *D, const float *x, int b, float *norms, float *buf,
                                size_t widest)
{
    nn_model_forward(D, x, b, 0);
    float *dy = buf, *dx = buf + (size_t)b * widest;
    for (int i = 0; i < b; i++) dy[i] = 1.0f / (float)b;
    int k = 0;
    for (int i = 0; i < D->n_layers; i++) k += D->layers[i].spec.kind == NN_LAYER_LINEAR;
    const int n = k;
    for (int i = D->n_layers - 1; i >= 0; i--) {
        const nn_layer *l = &D->layers[i];
        const float *in = i > 0 ? D->layers[i - 1].y : x;
        size_t count = (size_t)b * (size_t)l->in;
        memset(dx, 0, count * sizeof *dx);
        if (l->spec.kind == NN_LAYER_LINEAR) {
            nn_linear_backward(dx, NULL, NULL, dy, in, l->w, b, l->in, l->out);
            norms[--k] = nn_norm2(dx, count) * (float)sqrt((double)b);
        } else {
            nn_leaky_relu_backward(dx, dy, in, l->spec.arg, count);
        }
        float *t = dy;
        dy = dx;
        dx = t;
    }
    return n;
}

float critic_probe_interp_norm(lesson *L, nn_gan *t, const float *real)
{
    nn_error err = {NN_OK, ""};
    nn_gradpen gp;
    lesson_check(L, nn_gradpen_init(&gp, t->D, &err), &err);
    int b = t->cfg.batch;
    nn_sample_latent(t->z, b, t->arch.latent_dim, &t->rng);
    memcpy(t->fake, nn_model_forward(t->G, t->z, b, 0), (size_t)b * 784 * sizeof(float));
    float *eps = lesson_alloc(L, (size_t)b, sizeof(float));
    float *interp = lesson_alloc(L, (size_t)b * 784, sizeof(float));
    nn_rng_fill_uniform(&t->rng, eps, (size_t)b, 0.0f, 1.0f);
    nn_gradpen_interpolate(interp, real, t->fake, eps, b, 784);
    float norm = 0.0f;
    nn_gradpen_add(&gp, t->D, interp, b, 0.0f, &norm);
    nn_gradpen_free(&gp);
    nn_free(eps);
    nn_free(interp);
    return norm;
}

void critic_probe_histogram(lesson *L, const char *name, const char *title, const float *w,
                            int n, const char *caption)
{
    nn_error err = {NN_OK, ""};
    nn_plot p = {.dir = L->out, .name = name, .title = title, .xlabel = "weight",
                 .ylabel = "count", .term = lesson_capture_begin(L), .term_rows = 16};
    nn_status s = nn_plot_histogram(&p, w, n, 41, &err);
    lesson_capture_end(L);
    lesson_plot_shown(L, &p, s, &err, caption);
}
