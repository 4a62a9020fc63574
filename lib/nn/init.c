/* init.c - weight initialisation with torch.nn.init's formulas.
 *
 * Only fan_in and fan_out matter, so each function takes the layer's widths;
 * a linear weight is (fan_out, fan_in) = (out, in) elements.
 */
#include "nn/init.h"

#include <math.h>

void nn_init_normal(nn_rng *r, float *w, size_t n, float mean, float std)
{
    nn_rng_fill_normal(r, w, n, mean, std);
}

void nn_init_xavier_uniform(nn_rng *r, float *w, int fan_in, int fan_out, float gain)
{
    /* U(-a, a) has variance a^2/3, so a = gain*sqrt(6/(in+out)) gives the
     * Glorot variance 2 gain^2/(in+out). */
    float a = gain * sqrtf(6.0f / (float)(fan_in + fan_out));
    nn_rng_fill_uniform(r, w, (size_t)fan_in * (size_t)fan_out, -a, a);
}

void nn_init_xavier_normal(nn_rng *r, float *w, int fan_in, int fan_out, float gain)
{
    float std = gain * sqrtf(2.0f / (float)(fan_in + fan_out));
    nn_rng_fill_normal(r, w, (size_t)fan_in * (size_t)fan_out, 0.0f, std);
}

/* torch.nn.init.calculate_gain("leaky_relu", slope): keeps the variance of
 * activations constant through a leaky ReLU (slope 0 is a plain ReLU). */
static float leaky_gain(float slope)
{
    return sqrtf(2.0f / (1.0f + slope * slope));
}

void nn_init_he_normal(nn_rng *r, float *w, int fan_in, int fan_out, float slope)
{
    float std = leaky_gain(slope) / sqrtf((float)fan_in);
    nn_rng_fill_normal(r, w, (size_t)fan_in * (size_t)fan_out, 0.0f, std);
}

void nn_init_he_uniform(nn_rng *r, float *w, int fan_in, int fan_out, float slope)
{
    /* bound = gain * sqrt(3 / fan_in) = sqrt(6 / ((1 + slope^2) fan_in)) */
    float a = leaky_gain(slope) * sqrtf(3.0f / (float)fan_in);
    nn_rng_fill_uniform(r, w, (size_t)fan_in * (size_t)fan_out, -a, a);
}

void nn_init_torch_linear(nn_rng *r, float *w, float *b, int fan_in, int fan_out)
{
    /* torch.nn.Linear.reset_parameters: kaiming_uniform_(a = sqrt(5)) for
     * the weight, whose bound sqrt(6 / (6 fan_in)) is 1/sqrt(fan_in), and
     * U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for the bias. */
    float a = 1.0f / sqrtf((float)fan_in);
    nn_rng_fill_uniform(r, w, (size_t)fan_in * (size_t)fan_out, -a, a);
    if (b) nn_rng_fill_uniform(r, b, (size_t)fan_out, -a, a);
}

/* The formulas above with the element count given apart from the fans: a
 * convolution's weight has fan_in * fan_out / (k k) elements, not
 * fan_in * fan_out. */
void nn_init_conv(nn_rng *r, float *w, size_t n_w, float *b, int n_b, int fan_in, int fan_out,
                  nn_init_kind kind, float slope)
{
    const float fi = (float)fan_in, fo = (float)fan_out;
    for (int i = 0; i < n_b; i++) b[i] = 0.0f;
    switch (kind) {
    case NN_INIT_NORMAL_002:
        nn_rng_fill_normal(r, w, n_w, 0.0f, 0.02f);
        break;
    case NN_INIT_TORCH: {
        const float a = 1.0f / sqrtf(fi);
        nn_rng_fill_uniform(r, w, n_w, -a, a);
        nn_rng_fill_uniform(r, b, (size_t)n_b, -a, a);
        break;
    }
    case NN_INIT_XAVIER_UNIFORM: {
        const float a = sqrtf(6.0f / (fi + fo));
        nn_rng_fill_uniform(r, w, n_w, -a, a);
        break;
    }
    case NN_INIT_XAVIER_NORMAL:
        nn_rng_fill_normal(r, w, n_w, 0.0f, sqrtf(2.0f / (fi + fo)));
        break;
    case NN_INIT_HE_NORMAL:
        nn_rng_fill_normal(r, w, n_w, 0.0f, leaky_gain(slope) / sqrtf(fi));
        break;
    case NN_INIT_HE_UNIFORM: {
        const float a = leaky_gain(slope) * sqrtf(3.0f / fi);
        nn_rng_fill_uniform(r, w, n_w, -a, a);
        break;
    }
    }
}

const char *nn_init_name(nn_init_kind k)
{
    switch (k) {
    case NN_INIT_TORCH:          return "torch";
    case NN_INIT_NORMAL_002:     return "normal";
    case NN_INIT_XAVIER_UNIFORM: return "xavier_uniform";
    case NN_INIT_XAVIER_NORMAL:  return "xavier_normal";
    case NN_INIT_HE_NORMAL:      return "he_normal";
    case NN_INIT_HE_UNIFORM:     return "he_uniform";
    }
    return "unknown";
}
