/* style.c - the style-based generator: its builder, the parts of a built
 * one, truncation and style mixing on w (style.h). Its layers' maths are in
 * style_layers.c. */
#include "gan/style.h"

#include <assert.h>
#include <string.h>

nn_style_arch nn_style_arch_default(void)
{
    return (nn_style_arch){.latent_dim = 64, .w_dim = 64, .map_layers = 4, .map_hidden = 64,
                           .n_res = 3, .const_side = 7, .channels = {64, 32, 16},
                           .c = 1, .h = 28, .w = 28, .slope = 0.2f, .w_avg_decay = 0.995f};
}

nn_model *nn_style_generator(const nn_style_arch *a, int max_batch, nn_error *err)
{
    if (a->latent_dim < 1 || a->w_dim < 1 || a->map_hidden < 1 || a->map_layers < 1) {
        nn_fail(err, NN_ERR_ARG, "style generator: latent_dim %d, w_dim %d, map_hidden %d and "
                "map_layers %d must all be at least 1", a->latent_dim, a->w_dim, a->map_hidden,
                a->map_layers);
        return NULL;
    }
    if (a->n_res < 1 || a->n_res > NN_STYLE_MAX_RES || a->const_side < 1) {
        nn_fail(err, NN_ERR_ARG, "style generator: n_res %d must be 1 to %d and const_side %d "
                "at least 1", a->n_res, NN_STYLE_MAX_RES, a->const_side);
        return NULL;
    }
    const int side = a->const_side << (a->n_res - 1);
    if (side != a->h || side != a->w) {
        nn_fail(err, NN_ERR_ARG, "style generator: a %d x %d constant doubled %d times is %d x "
                "%d, not the %d x %d image; choose const_side and n_res to match",
                a->const_side, a->const_side, a->n_res - 1, side, side, a->h, a->w);
        return NULL;
    }
    for (int r = 0; r < a->n_res; r++)
        if (a->channels[r] < 1) {
            nn_fail(err, NN_ERR_ARG, "style generator: channels[%d] = %d is below 1", r,
                    a->channels[r]);
            return NULL;
        }
    nn_layer_spec s[2 * NN_STYLE_MAX_RES * 4 + 16];
    int n = 0;
    const nn_layer_spec leaky = {.kind = NN_LAYER_LEAKY_RELU, .arg = a->slope};
    const nn_layer_spec noise = {.kind = NN_LAYER_NOISE};
    const nn_layer_spec adain = {.kind = NN_LAYER_ADAIN};
    /* The mapping: an MLP whose last layer is w. */
    for (int k = 0; k < a->map_layers; k++) {
        s[n++] = (nn_layer_spec){.kind = NN_LAYER_LINEAR,
                                 .out = k == a->map_layers - 1 ? a->w_dim : a->map_hidden};
        s[n++] = leaky;
    }
    s[n++] = (nn_layer_spec){.kind = NN_LAYER_STYLE_BROADCAST, .out = 2 * a->n_res * a->w_dim,
                             .arg = a->w_avg_decay, .mix = a->mixing};
    /* Resolution 0: the constant, then a convolution at its size. */
    s[n++] = (nn_layer_spec){.kind = NN_LAYER_STYLE_CONST, .c = a->channels[0],
                             .h = a->const_side, .w = a->const_side};
    s[n++] = noise;
    s[n++] = adain;
    for (int r = 0; r < a->n_res; r++) {
        if (r > 0) {
            s[n++] = (nn_layer_spec){.kind = NN_LAYER_CONVT2D, .out = a->channels[r],
                                     .kernel = 4, .stride = 2, .pad = 1};
            s[n++] = noise;
            s[n++] = leaky;
            s[n++] = adain;
        }
        s[n++] = (nn_layer_spec){.kind = NN_LAYER_CONV2D, .out = a->channels[r], .kernel = 3,
                                 .stride = 1, .pad = 1};
        s[n++] = noise;
        s[n++] = leaky;
        s[n++] = adain;
    }
    /* To the image: a 1x1 convolution mixes the last maps into pixels. */
    s[n++] = (nn_layer_spec){.kind = NN_LAYER_CONV2D, .out = a->c, .kernel = 1, .stride = 1};
    s[n++] = (nn_layer_spec){.kind = NN_LAYER_TANH};
    assert(n <= (int)(sizeof s / sizeof s[0]));
    return nn_model_create(a->latent_dim, s, n, max_batch, err);
}

nn_status nn_style_find(nn_style_parts *p, const nn_model *m, nn_error *err)
{
    memset(p, 0, sizeof *p);
    p->broadcast = p->synth = -1;
    for (int i = 0; i < m->n_layers; i++) {
        const nn_layer *l = &m->layers[i];
        if (l->spec.kind == NN_LAYER_STYLE_BROADCAST && p->broadcast < 0) p->broadcast = i;
        if (l->spec.kind == NN_LAYER_STYLE_CONST && p->synth < 0) p->synth = i;
    }
    if (p->broadcast < 0 || p->synth != p->broadcast + 1)
        return nn_fail(err, NN_ERR_ARG, "this model is not a style generator: it needs a "
                       "style_broadcast layer directly followed by a style_const layer "
                       "(nn_style_generator builds one)");
    const nn_layer *b = &m->layers[p->broadcast], *c = &m->layers[p->synth];
    p->w_dim = b->in;
    p->n_slots = nn_style_const_slots(c);
    p->w_avg = b->running_mean;
    return NN_OK;
}

const float *nn_style_map(nn_model *m, const nn_style_parts *p, const float *z, int n)
{
    return nn_model_forward_range(m, z, n, 0, 0, p->broadcast);
}

const float *nn_style_synthesize(nn_model *m, const nn_style_parts *p, const float *bus, int n)
{
    return nn_model_forward_range(m, bus, n, 0, p->synth, m->n_layers);
}

void nn_style_truncate(float *w, const float *w_avg, float psi, int n, int dim)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < dim; j++) {
            float *v = &w[(size_t)i * dim + j];
            *v = w_avg[j] + psi * (*v - w_avg[j]);
        }
}

void nn_style_mix(float *bus, const float *w1, const float *w2, int n, int dim, int n_slots,
                  int cross)
{
    for (int i = 0; i < n; i++)
        for (int k = 0; k < n_slots; k++)
            memcpy(bus + ((size_t)i * n_slots + k) * dim,
                   (k < cross ? w1 : w2) + (size_t)i * dim, (size_t)dim * sizeof(float));
}
