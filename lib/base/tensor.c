/* tensor.c - a 2-D float matrix that owns its memory or views another's. */
#include "base/tensor.h"

#include <assert.h>
#include <string.h>

/* The struct and its data come from separate allocations so a view (which
 * has no data of its own) and an owning tensor are freed the same way. */
static nn_tensor *tensor_new(float *data, int rows, int cols, int owns)
{
    nn_tensor *t = nn_alloc(1, sizeof *t);
    if (!t) return NULL;
    t->data = data;
    t->rows = rows;
    t->cols = cols;
    t->owns = owns;
    return t;
}

/* data (rows, cols), zeroed by nn_alloc. */
nn_tensor *nn_tensor_create(int rows, int cols)
{
    assert(rows >= 0 && cols >= 0);
    float *data = nn_alloc((size_t)rows * (size_t)cols, sizeof *data);
    if (!data) return NULL;
    nn_tensor *t = tensor_new(data, rows, cols, 1);
    if (!t) nn_free(data);
    return t;
}

/* Each row is one c x h x w image in channel-major order (NCHW). */
nn_tensor *nn_tensor_create_image(int rows, int c, int h, int w)
{
    assert(c > 0 && h > 0 && w > 0);
    nn_tensor *t = nn_tensor_create(rows, c * h * w);
    if (t) {
        t->c = c;
        t->h = h;
        t->w = w;
    }
    return t;
}

nn_tensor *nn_tensor_view_rows(nn_tensor *t, int row0, int nrows)
{
    assert(t && row0 >= 0 && nrows >= 0 && row0 + nrows <= t->rows);
    /* Rows are contiguous in row-major order, so a row range is one pointer. */
    nn_tensor *v = tensor_new(t->data + (size_t)row0 * (size_t)t->cols, nrows, t->cols, 0);
    if (v) {
        v->c = t->c;
        v->h = t->h;
        v->w = t->w;
    }
    return v;
}

/* owns = 0: the caller keeps the memory; freeing the tensor frees only
 * the struct, so stack arrays and model workspaces can be wrapped. */
nn_tensor *nn_tensor_wrap(float *data, int rows, int cols)
{
    assert(rows >= 0 && cols >= 0 && (data || (size_t)rows * (size_t)cols == 0));
    return tensor_new(data, rows, cols, 0);
}

void nn_tensor_free(nn_tensor *t)
{
    if (!t) return;
    if (t->owns) nn_free(t->data);
    nn_free(t);
}

/* In size_t: 60000 images of 3x32x32 floats overflow an int. */
size_t nn_tensor_size(const nn_tensor *t)
{
    return (size_t)t->rows * (size_t)t->cols;
}

void nn_tensor_zero(nn_tensor *t)
{
    size_t n = nn_tensor_size(t);
    if (n) memset(t->data, 0, n * sizeof *t->data);
}

void nn_tensor_fill(nn_tensor *t, float value)
{
    size_t n = nn_tensor_size(t);
    for (size_t i = 0; i < n; i++) t->data[i] = value;
}

void nn_tensor_copy(nn_tensor *dst, const nn_tensor *src)
{
    assert(dst->rows == src->rows && dst->cols == src->cols);
    size_t n = nn_tensor_size(src);
    /* memmove: a view may overlap the tensor it was cut from. */
    if (n) memmove(dst->data, src->data, n * sizeof *dst->data);
}

/* Row-major: row i starts i*cols floats in. */
float *nn_tensor_at(nn_tensor *t, int i, int j)
{
    assert(i >= 0 && i < t->rows && j >= 0 && j < t->cols);
    return &t->data[(size_t)i * (size_t)t->cols + (size_t)j];
}
