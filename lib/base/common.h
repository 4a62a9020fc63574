/* common.h - status codes, error messages and the one checked allocator.
 *
 * Library code never prints and never exits. A function that can fail because
 * of its input (a file, a shape, a flag) returns an nn_status and, when the
 * caller passes an nn_error, fills it with one sentence a person can act on:
 * which file or value, what was wrong, what to do. Programmer errors (a NULL
 * where none is allowed, mismatched sizes in a hot kernel) are asserts.
 */
#ifndef NN_COMMON_H
#define NN_COMMON_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    NN_OK = 0,
    NN_ERR_IO,      /* a file could not be opened, read or written */
    NN_ERR_FORMAT,  /* a file's contents are not what was expected */
    NN_ERR_SHAPE,   /* sizes disagree (a checkpoint of another model, ...) */
    NN_ERR_NOMEM,   /* an allocation failed or a size overflowed */
    NN_ERR_ARG,     /* a value out of range (negative count, NaN rate, ...) */
    NN_ERR_NUMERIC  /* a NaN or Inf appeared where numbers were expected */
} nn_status;

/* The message that goes with a non-OK status. Callers may pass NULL when they
 * only want the code. */
typedef struct {
    nn_status code;
    char msg[512];
} nn_error;

/* Fills err (if not NULL) with a printf-style message and returns code, so a
 * failing path reads `return nn_fail(err, NN_ERR_IO, "%s: ...", path);`. */
nn_status nn_fail(nn_error *err, nn_status code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Short name of a status code ("io", "format", ...), for logs. */
const char *nn_status_name(nn_status code);

/* The one allocator: count * size bytes, zeroed, 64-byte aligned (one cache
 * line, and enough for any SIMD load). Returns NULL when the product overflows
 * or memory runs out; callers turn that into NN_ERR_NOMEM. Free with nn_free. */
void *nn_alloc(size_t count, size_t size);
void nn_free(void *p); /* accepts NULL */

#endif
