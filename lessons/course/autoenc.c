/* autoenc.c - lesson 13's MLP autoencoder (see autoenc.h). */
#include "autoenc.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int autoenc_create(autoenc *a, int code, int max_batch, uint64_t seed, nn_error *err)
{
    /* Mirror images of each other, as the generator and discriminator of
     * lesson 06's MLP GAN are: leaky ReLU inside, a linear code (it may take
     * any value), tanh on the image. */
    const nn_layer_spec enc[] = {
        {.kind = NN_LAYER_LINEAR, .out = AUTOENC_HIDDEN},
        {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
        {.kind = NN_LAYER_LINEAR, .out = code},
    };
    const nn_layer_spec dec[] = {
        {.kind = NN_LAYER_LINEAR, .out = AUTOENC_HIDDEN},
        {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
        {.kind = NN_LAYER_LINEAR, .out = 784},
        {.kind = NN_LAYER_TANH},
    };
    memset(a, 0, sizeof *a);
    a->code = code;
    a->enc = nn_model_create(784, enc, 3, max_batch, err);
    a->dec = a->enc ? nn_model_create(code, dec, 4, max_batch, err) : NULL;
    if (!a->dec) return 0;
    nn_rng r;
    nn_rng_seed(&r, seed, 13);
    nn_model_init(a->enc, &r, NN_INIT_TORCH);
    nn_model_init(a->dec, &r, NN_INIT_TORCH);
    return 1;
}

void autoenc_free(autoenc *a)
{
    nn_model_free(a->enc);
    nn_model_free(a->dec);
    a->enc = a->dec = NULL;
}

/* y (n, m->out) = m(x) in eval mode, max_batch rows at a time. */
static void run_batched(nn_model *m, const float *x, int n, float *y)
{
    for (int i = 0; i < n; i += m->max_batch) {
        int k = n - i < m->max_batch ? n - i : m->max_batch;
        const float *out = nn_model_forward(m, x + (size_t)i * m->in, k, 0);
        memcpy(y + (size_t)i * m->out, out, (size_t)k * m->out * sizeof(float));
    }
}

void autoenc_encode(autoenc *a, const float *x, int n, float *codes)
{
    run_batched(a->enc, x, n, codes);
}

void autoenc_decode(autoenc *a, const float *codes, int n, float *y)
{
    run_batched(a->dec, codes, n, y);
}

void autoenc_random_codes(float *out, int n_out, const float *codes, int n, int code,
                          nn_rng *r)
{
    for (int j = 0; j < code; j++) {
        double s = 0.0, s2 = 0.0;
        for (int i = 0; i < n; i++) s += codes[(size_t)i * code + j];
        double mu = s / n;
        for (int i = 0; i < n; i++) {
            double d = codes[(size_t)i * code + j] - mu;
            s2 += d * d;
        }
        double sd = n > 1 ? sqrt(s2 / (n - 1)) : 0.0;
        for (int i = 0; i < n_out; i++)
            out[(size_t)i * code + j] = (float)(mu + sd * nn_rng_normal(r));
    }
}

nn_status autoenc_save(const autoenc *a, const char *dir, nn_error *err)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/enc.ckpt", dir);
    nn_status st = nn_model_save(a->enc, path, err);
    if (st != NN_OK) return st;
    snprintf(path, sizeof path, "%s/dec.ckpt", dir);
    return nn_model_save(a->dec, path, err);
}

nn_status autoenc_load(autoenc *a, const char *dir, nn_error *err)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/enc.ckpt", dir);
    nn_status st = nn_model_load(a->enc, path, err);
    if (st != NN_OK) return st;
    snprintf(path, sizeof path, "%s/dec.ckpt", dir);
    return nn_model_load(a->dec, path, err);
}
