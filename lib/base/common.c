/* common.c - status messages and the one checked allocator (see common.h). */
#include "base/common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every allocation is aligned to one cache line, so SIMD loads never split
 * a line and two blocks never share one (no false sharing between threads). */
#define NN_ALIGN 64

nn_status nn_fail(nn_error *err, nn_status code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return code;
}

const char *nn_status_name(nn_status code)
{
    switch (code) {
    case NN_OK:          return "ok";
    case NN_ERR_IO:      return "io";
    case NN_ERR_FORMAT:  return "format";
    case NN_ERR_SHAPE:   return "shape";
    case NN_ERR_NOMEM:   return "nomem";
    case NN_ERR_ARG:     return "arg";
    case NN_ERR_NUMERIC: return "numeric";
    }
    return "unknown";
}

void *nn_alloc(size_t count, size_t size)
{
    /* count * size must not wrap around: a wrapped size would hand back a
     * small block that the caller then overruns. */
    if (size != 0 && count > ((size_t)-1 - NN_ALIGN) / size) return NULL;
    size_t bytes = count * size;
    /* posix_memalign wants a non-zero size on some systems, and the size of
     * an aligned block must cover at least one line. */
    size_t padded = (bytes + NN_ALIGN - 1) / NN_ALIGN * NN_ALIGN;
    if (padded == 0) padded = NN_ALIGN;
    void *p = NULL;
    if (posix_memalign(&p, NN_ALIGN, padded) != 0) return NULL;
    memset(p, 0, padded);
    return p;
}

void nn_free(void *p)
{
    free(p);
}
