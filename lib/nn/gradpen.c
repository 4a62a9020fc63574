/* gradpen.c - the WGAN-GP gradient penalty by one backward and one forward
 * (the derivation is in gradpen.h). */
#include "nn/gradpen.h"

#include <assert.h>
#include <math.h>
#include <string.h>

#include "nn/layers.h"
#include "kernels/ops.h"

/* The layers whose slopes are constant between kinks (a reshape is the
 * identity). Convolutions are linear too, but this penalty's second pass
 * only knows the linear layer's product. */
static int piecewise_linear(nn_layer_kind k)
{
    return k == NN_LAYER_LINEAR || k == NN_LAYER_RELU || k == NN_LAYER_LEAKY_RELU ||
           k == NN_LAYER_RESHAPE;
}

nn_status nn_gradpen_init(nn_gradpen *gp, const nn_model *m, nn_error *err)
{
    memset(gp, 0, sizeof *gp);
    for (int i = 0; i < m->n_layers; i++)
        if (!piecewise_linear(m->layers[i].spec.kind))
            return nn_fail(err, NN_ERR_ARG,
                           "gradient penalty: layer %d is %s; only linear, relu and "
                           "leaky_relu layers (and reshapes) have a gradient that is a product "
                           "of matrices",
                           i, nn_layer_kind_name(m->layers[i].spec.kind));
    if (m->n_layers < 1 || m->layers[m->n_layers - 1].spec.kind != NN_LAYER_LINEAR ||
        m->out != 1)
        return nn_fail(err, NN_ERR_ARG,
                       "gradient penalty: the critic must end in a linear layer with 1 "
                       "output (it has %d layers and %d outputs)", m->n_layers, m->out);
    size_t rows = (size_t)m->max_batch, per_layer = 0;
    int widest = m->in;
    for (int i = 0; i < m->n_layers; i++) {
        per_layer += (size_t)m->layers[i].out;
        if (m->layers[i].out > widest) widest = m->layers[i].out;
    }
    gp->max_batch = m->max_batch;
    gp->widest = widest;
    gp->delta = nn_alloc(rows * per_layer, sizeof(float));
    gp->gx = nn_alloc(rows * (size_t)m->in, sizeof(float));
    gp->f[0] = nn_alloc(rows * (size_t)widest, sizeof(float));
    gp->f[1] = nn_alloc(rows * (size_t)widest, sizeof(float));
    if (!gp->delta || !gp->gx || !gp->f[0] || !gp->f[1]) {
        nn_gradpen_free(gp);
        return nn_fail(err, NN_ERR_NOMEM, "gradient penalty: no memory for %zu rows", rows);
    }
    return NN_OK;
}

void nn_gradpen_free(nn_gradpen *gp)
{
    nn_free(gp->delta);
    nn_free(gp->gx);
    nn_free(gp->f[0]);
    nn_free(gp->f[1]);
    memset(gp, 0, sizeof *gp);
}

/* Layer i's delta block, (n, out): after those of layers 0 .. i-1. */
static float *delta_of(const nn_gradpen *gp, const nn_model *m, int i, int n)
{
    size_t off = 0;
    for (int j = 0; j < i; j++) off += (size_t)m->layers[j].out * (size_t)n;
    return gp->delta + off;
}

/* dx = dy * slope-of-layer-l at input x (zeroing dx first: the kernels add). */
static void through_slopes(const nn_layer *l, float *dx, const float *dy, const float *x,
                           size_t count)
{
    memset(dx, 0, count * sizeof *dx);
    if (l->spec.kind == NN_LAYER_RESHAPE)
        nn_axpy(dx, 1.0f, dy, count); /* the identity */
    else if (l->spec.kind == NN_LAYER_RELU)
        nn_relu_backward(dx, dy, x, count);
    else
        nn_leaky_relu_backward(dx, dy, x, l->spec.arg, count);
}

float nn_gradpen_add(nn_gradpen *gp, nn_model *m, const float *x, int n, float lambda,
                     float *mean_norm)
{
    assert(gp->delta && n >= 1 && n <= gp->max_batch);
    nn_model_forward(m, x, n, 1);
    int L = m->n_layers;

    /* Backward from dD/dD = 1, keeping every layer's delta; grad_x D lands in gx. */
    float *top = delta_of(gp, m, L - 1, n);
    for (int k = 0; k < n; k++) top[k] = 1.0f;
    for (int i = L - 1; i >= 0; i--) {
        const nn_layer *l = &m->layers[i];
        const float *in = i > 0 ? m->layers[i - 1].y : x;
        float *below = i > 0 ? delta_of(gp, m, i - 1, n) : gp->gx;
        const float *d = delta_of(gp, m, i, n);
        if (l->spec.kind == NN_LAYER_LINEAR) {
            memset(below, 0, (size_t)n * (size_t)l->in * sizeof *below);
            nn_linear_backward(below, NULL, NULL, d, in, l->w, n, l->in, l->out);
        } else {
            through_slopes(l, below, d, in, (size_t)n * (size_t)l->in);
        }
    }

    /* P and r = dP / d grad_x D, row by row (exercise 18); r goes into f[0]. */
    float *r = gp->f[0];
    float p = nn_gradpen_value(r, gp->gx, n, m->in, lambda, mean_norm);

    /* Forward of r through the same slopes, without biases: at each linear
     * layer, dW += delta^T f is that layer's share of dP / dW. */
    int cur = 0;
    for (int i = 0; i < L; i++) {
        const nn_layer *l = &m->layers[i];
        const float *f = gp->f[cur], *d = delta_of(gp, m, i, n);
        if (i == L - 1) {
            nn_linear_backward(NULL, l->dw, NULL, d, f, l->w, n, l->in, l->out);
            break;
        }
        float *next = gp->f[cur ^ 1];
        if (l->spec.kind == NN_LAYER_LINEAR) {
            nn_linear_backward(NULL, l->dw, NULL, d, f, l->w, n, l->in, l->out);
            nn_linear_forward(next, f, l->w, NULL, n, l->in, l->out);
        } else {
            const float *in = i > 0 ? m->layers[i - 1].y : x;
            through_slopes(l, next, f, in, (size_t)n * (size_t)l->in);
        }
        cur ^= 1;
    }
    return p;
}
