/* unet.c - the U-Net's six models, joined by its skips (unet.h). */
#include "nn/unet.h"

#include <string.h>

#include "nn/conv.h"

/* The shape every level must have for the decoder to bring it back: three
 * halvings (4x4 /2, 4x4 /2, 3x3 /2 pad 1) undone by the three upsamplings. */
static nn_status check_shape(const nn_unet_config *cfg, nn_error *err)
{
    if (cfg->in_c < 1 || cfg->ch < 1 || cfg->max_batch < 1 || cfg->h < 4 || cfg->w < 4)
        return nn_fail(err, NN_ERR_ARG,
                       "nn_unet_create: in_c %d, ch %d, max_batch %d and a %d x %d image: each "
                       "must be at least 1 (the image at least 4 x 4)", cfg->in_c, cfg->ch,
                       cfg->max_batch, cfg->h, cfg->w);
    int s[2] = {cfg->h, cfg->w};
    for (int d = 0; d < 2; d++) {
        int a = nn_conv2d_out_size(s[d], 4, 2, 1), b = nn_conv2d_out_size(a, 4, 2, 1);
        int c = nn_conv2d_out_size(b, 3, 2, 1);
        if (nn_conv_transpose2d_out_size(c, 3, 2, 1) != b ||
            nn_conv_transpose2d_out_size(b, 4, 2, 1) != a ||
            nn_conv_transpose2d_out_size(a, 4, 2, 1) != s[d])
            return nn_fail(err, NN_ERR_SHAPE,
                           "nn_unet_create: a %d x %d image does not come back to its size "
                           "through the three levels; give sides that are multiples of 4 with "
                           "an odd quarter (28, 20, 36, ...)", cfg->h, cfg->w);
    }
    return NN_OK;
}

/* Level k's pieces. enc[k] reads level k-1 (the input at k = 0) and makes
 * level k; dec[k] reads level k (concatenated with enc[k-1]'s maps, skips
 * and k > 0) and makes level k-1 (the image at k = 0). */
/* An image side after k of the encoder's halvings (level k's maps come
 * after k + 1): two by 4x4 /2 pad 1, then one by 3x3 /2 pad 1. */
static int level_side(int side, int k)
{
    for (int i = 0; i < k; i++) side = nn_conv2d_out_size(side, i < 2 ? 4 : 3, 2, 1);
    return side;
}

/* Level k's pieces. enc[k] reads the maps before it (the input at k = 0)
 * and makes level k; dec[k] reads level k (concatenated with enc[k]'s own
 * maps, with skips, below the bottleneck) and makes the level above (the
 * image at k = 0). */
static nn_model *build_enc(const nn_unet *u, int k, nn_error *err)
{
    const nn_unet_config *c = &u->cfg;
    int in_c = k ? u->c[k - 1] : c->in_c;
    int ih = level_side(c->h, k), iw = level_side(c->w, k);
    nn_layer_spec s[4];
    int n = 0;
    s[n++] = (nn_layer_spec){.kind = NN_LAYER_RESHAPE, .c = in_c, .h = ih, .w = iw};
    s[n++] = (nn_layer_spec){.kind = NN_LAYER_CONV2D, .out = u->c[k], .kernel = k < 2 ? 4 : 3,
                             .stride = 2, .pad = 1};
    if (k == 1) s[n++] = (nn_layer_spec){.kind = NN_LAYER_BATCHNORM2D};
    s[n++] = k < 2 ? (nn_layer_spec){.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f}
                   : (nn_layer_spec){.kind = NN_LAYER_RELU};
    return nn_model_create(in_c * ih * iw, s, n, c->max_batch, err);
}

static nn_model *build_dec(const nn_unet *u, int k, nn_error *err)
{
    const nn_unet_config *c = &u->cfg;
    int skip = c->skips && k < NN_UNET_LEVELS - 1;
    int in_c = u->c[k] + (skip ? u->c[k] : 0);      /* the skip brings as many as it meets */
    int out_c = k ? u->c[k - 1] : 1;
    int ih = level_side(c->h, k + 1), iw = level_side(c->w, k + 1);
    int kernel = k == 2 ? 3 : 4;
    nn_layer_spec s[4];
    int n = 0;
    s[n++] = (nn_layer_spec){.kind = NN_LAYER_RESHAPE, .c = in_c, .h = ih, .w = iw};
    s[n++] = (nn_layer_spec){.kind = NN_LAYER_CONVT2D, .out = out_c, .kernel = kernel,
                             .stride = 2, .pad = 1};
    if (k) {
        s[n++] = (nn_layer_spec){.kind = NN_LAYER_BATCHNORM2D};
        s[n++] = (nn_layer_spec){.kind = NN_LAYER_RELU};
    } else {
        s[n++] = (nn_layer_spec){.kind = NN_LAYER_TANH};
    }
    return nn_model_create(in_c * ih * iw, s, n, c->max_batch, err);
}

nn_unet *nn_unet_create(const nn_unet_config *cfg, nn_error *err)
{
    if (check_shape(cfg, err) != NN_OK) return NULL;
    nn_unet *u = nn_alloc(1, sizeof *u);
    if (!u) {
        nn_fail(err, NN_ERR_NOMEM, "nn_unet_create: out of memory");
        return NULL;
    }
    u->cfg = *cfg;
    for (int k = 0; k < NN_UNET_LEVELS; k++) {
        u->c[k] = cfg->ch << k;
        u->hw[k] = level_side(cfg->h, k + 1) * level_side(cfg->w, k + 1);
    }
    for (int k = 0; k < NN_UNET_LEVELS; k++) {
        u->enc[k] = build_enc(u, k, err);
        if (!u->enc[k]) goto fail;
        u->dec[k] = build_dec(u, k, err);
        if (!u->dec[k]) goto fail;
    }
    /* Every buffer of the joins in one block: one concatenated input's
     * gradient (the wider of the two), each level's two gradients, and the
     * two concatenated inputs. */
    const size_t B = (size_t)cfg->max_batch;
    const size_t wide = (size_t)(u->dec[0]->in > u->dec[1]->in ? u->dec[0]->in : u->dec[1]->in);
    size_t total = B * wide, off = 0;
    for (int k = 0; k < NN_UNET_LEVELS; k++) total += 2 * B * (size_t)u->c[k] * u->hw[k];
    if (cfg->skips) total += B * (size_t)(u->dec[0]->in + u->dec[1]->in);
    float *block = nn_alloc(total, sizeof(float));
    if (!block) {
        nn_fail(err, NN_ERR_NOMEM, "nn_unet_create: out of memory for a batch of %d",
                cfg->max_batch);
        goto fail;
    }
    u->dcat = block;
    off += B * wide;
    for (int k = 0; k < NN_UNET_LEVELS; k++) {
        u->de[k] = block + off;
        off += B * (size_t)u->c[k] * u->hw[k];
        u->dd[k] = block + off;
        off += B * (size_t)u->c[k] * u->hw[k];
    }
    if (cfg->skips) {
        u->cat[0] = block + off;
        off += B * (size_t)u->dec[0]->in;
        u->cat[1] = block + off;
    }
    return u;
fail:
    nn_unet_free(u);
    return NULL;
}

void nn_unet_free(nn_unet *u)
{
    if (!u) return;
    for (int k = 0; k < NN_UNET_LEVELS; k++) {
        nn_model_free(u->enc[k]);
        nn_model_free(u->dec[k]);
    }
    nn_free(u->dcat);
    nn_free(u);
}

void nn_unet_init(nn_unet *u, nn_rng *r, nn_init_kind kind)
{
    for (int k = 0; k < NN_UNET_LEVELS; k++) nn_model_init(u->enc[k], r, kind);
    for (int k = NN_UNET_LEVELS - 1; k >= 0; k--) nn_model_init(u->dec[k], r, kind);
}

size_t nn_unet_param_count(const nn_unet *u)
{
    size_t n = 0;
    for (int k = 0; k < NN_UNET_LEVELS; k++)
        n += nn_model_param_count(u->enc[k]) + nn_model_param_count(u->dec[k]);
    return n;
}

void nn_unet_zero_grad(nn_unet *u)
{
    for (int k = 0; k < NN_UNET_LEVELS; k++) {
        nn_model_zero_grad(u->enc[k]);
        nn_model_zero_grad(u->dec[k]);
    }
}

void nn_unet_adam_step(nn_unet *u, const nn_adam *opt)
{
    for (int k = 0; k < NN_UNET_LEVELS; k++) {
        nn_model_adam_step(u->enc[k], opt);
        nn_model_adam_step(u->dec[k], opt);
    }
}

const float *nn_unet_forward(nn_unet *u, const float *x, int n, int train)
{
    const float *e[NN_UNET_LEVELS];
    for (int k = 0; k < NN_UNET_LEVELS; k++) e[k] = nn_model_forward(u->enc[k], k ? e[k - 1] : x,
                                                                     n, train);
    /* Up from the bottleneck; at levels 1 and 0 the decoder's maps meet the
     * encoder's of the same size (exercise 31). */
    const float *d = e[NN_UNET_LEVELS - 1];
    for (int k = NN_UNET_LEVELS - 1; k >= 0; k--) {
        const float *in = d;
        if (u->cfg.skips && k < NN_UNET_LEVELS - 1) {
            nn_concat_channels_forward(u->cat[k], d, e[k], n, u->c[k], u->c[k], u->hw[k]);
            in = u->cat[k];
        }
        d = nn_model_forward(u->dec[k], in, n, train);
    }
    return d;
}

void nn_unet_backward(nn_unet *u, float *dx, const float *dy, int n)
{
    /* Down the decoder: each level's gradient in dd[k] (d loss / d the maps
     * dec[k+1] made), its skip's share added into de[k]. */
    for (int k = 0; k < NN_UNET_LEVELS; k++) {
        memset(u->de[k], 0, (size_t)n * u->c[k] * u->hw[k] * sizeof(float));
        memset(u->dd[k], 0, (size_t)n * u->c[k] * u->hw[k] * sizeof(float));
    }
    const float *g = dy;
    for (int k = 0; k < NN_UNET_LEVELS; k++) {
        if (u->cfg.skips && k < NN_UNET_LEVELS - 1) {
            memset(u->dcat, 0, (size_t)n * u->dec[k]->in * sizeof(float));
            nn_model_backward(u->dec[k], u->dcat, g, n, 1);
            nn_concat_channels_backward(u->dd[k], u->de[k], u->dcat, n, u->c[k], u->c[k],
                                        u->hw[k]);
        } else {
            /* dec[2] reads the bottleneck itself: its gradient is enc[2]'s. */
            nn_model_backward(u->dec[k], k == NN_UNET_LEVELS - 1 ? u->de[k] : u->dd[k], g, n, 1);
        }
        g = u->dd[k];
    }
    /* Up the encoder: level k's output fed the level above it and its skip,
     * so the level above's input gradient is added to the skip's share. */
    for (int k = NN_UNET_LEVELS - 1; k >= 0; k--)
        nn_model_backward(u->enc[k], k ? u->de[k - 1] : dx, u->de[k], n, 1);
}
