/* kind_mbstd.c - minibatch standard deviation as a kind of the model's
 * (kinds.h): one feature appended to every row, its maths in layers.h. */
#include "nn/kinds.h"
#include "nn/layers.h"

static nn_status mbstd_shape(nn_layer *l, const nn_kind_place *at, nn_error *err)
{
    (void)at;
    (void)err;
    l->out = l->in + 1;   /* the batch-std feature is appended to each row */
    l->out_c = l->out_h = l->out_w = 0;
    return NN_OK;
}

static void mbstd_forward(nn_layer *l, const float *x, const nn_pass *p)
{
    nn_mbstd_forward(l->y, x, p->batch, l->in);
}

static void mbstd_backward(nn_layer *l, float *gx, float *dw, float *db, const float *g,
                           const float *x, const nn_pass *p)
{
    (void)dw;
    (void)db;
    if (gx) nn_mbstd_backward(gx, g, x, p->batch, l->in);
}

const nn_kind nn_kind_mbstd = {
    .name = "mbstd",
    .shape = mbstd_shape,
    .forward = mbstd_forward,
    .backward = mbstd_backward,
};
