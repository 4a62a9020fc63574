/* kinds.h - what each layer kind does, as one table the model reads
 * (private to lib/; the public contract is layer.h and model.h).
 *
 * A kind is an nn_kind: its name and the hooks that make it a layer of a
 * model (its shape rules, its parameters, buffers and workspace, its
 * initialisation, forward and backward). kinds.c holds the table, indexed
 * by nn_layer_kind; each kind's hooks live in its own file (kind_*.c), which
 * calls the maths below it (layers.h, conv.h, style_layers.h) and never the
 * model. So adding a kind is its value in layer.h, its line in the table and
 * its own file: the model (model.c) only walks the table.
 *
 * Every kind has a forward, and a backward unless it is a view. Every other
 * hook may be NULL, which means: no check beyond the model's (the width and
 * image shape pass through unchanged), no parameters, no buffers, no
 * workspace beyond the output, no scratch, nothing to initialise, nothing to
 * do before a backward.
 */
#ifndef NN_KINDS_H
#define NN_KINDS_H

#include <stddef.h>
#include "base/common.h"
#include "nn/init.h"
#include "nn/layer.h"
#include "base/rng.h"

/* Where a layer sits, for the checks of a kind whose shape depends on other
 * layers (an adain reads the bus of the style_const before it). */
typedef struct {
    int idx;                    /* this layer's index, for messages */
    nn_layer *layers;           /* layers [0, idx) are already shaped */
    const nn_layer_spec *specs; /* every layer's spec, (n_layers) */
    int n_layers;
} nn_kind_place;

/* The model's blocks as a layer takes its views from them, in order. The
 * model lays every layer out twice: first with NULL bases, which only counts
 * what each layer takes (so one allocation per block), then with the blocks
 * themselves, which sets the views. A kind's layout hook is the one place
 * that says what it takes, so the count and the views cannot disagree. */
typedef struct {
    float *params, *grads, *buffers, *workspace; /* NULL while counting */
    size_t n_params, n_buffers, n_ws;            /* floats taken so far */
    int max_batch;
} nn_blocks;

/* n parameters and their gradients, at the same offset of params and grads
 * (the optimizer treats both as flat arrays); *w and *dw are NULL while
 * counting. */
void nn_take_params(nn_blocks *b, size_t n, float **w, float **dw);
/* n floats of saved, untrained state (running statistics). */
float *nn_take_buffer(nn_blocks *b, size_t n);
/* n floats of workspace, from a fresh cache line. */
float *nn_take_workspace(nn_blocks *b, size_t n);

/* One forward or backward over the layers. */
typedef struct {
    int batch;               /* rows */
    int train;               /* forward: this pass's mode; backward: the last forward's */
    nn_rng *rng;             /* the model's: dropout masks, noise images, style mixing */
    float *scratch;          /* the convolutions' patches (nn_kind.scratch floats) */
    const nn_layer *first;   /* forward: the first layer this pass runs */
} nn_pass;

/* What weight initialisation sees of a layer that follows a linear or
 * convolution layer: the gain of the weights before depends on the
 * activation they feed. */
typedef enum {
    NN_GAIN_STOPS = 0,   /* the search ends here: a ReLU's gain (slope 0) */
    NN_GAIN_SEEN_PAST,   /* looked past (batchnorm, dropout, reshape, noise) */
    NN_GAIN_LEAKY        /* the search ends here with spec.arg as the slope */
} nn_kind_gain;

typedef struct {
    const char *name;     /* nn_layer_kind_name's */
    /* The layer's output is its input itself: it takes no workspace, its
     * forward sets y to x, and backward passes the gradient on as it is. */
    int is_view;
    nn_kind_gain gain;
    size_t state_size;    /* bytes of nn_layer.state, 0 for none */
    /* Checks the spec and sets what differs from the input: l->spec, in,
     * out (= in) and both image shapes (= the input's) are set before.
     * Fills err naming the layer's index and kind, the bad value and what
     * to use instead. */
    nn_status (*shape)(nn_layer *l, const nn_kind_place *at, nn_error *err);
    size_t (*params)(const nn_layer *l);
    /* Takes the layer's parameters, buffers and workspace beyond its output
     * (which the model takes first). */
    void (*layout)(nn_layer *l, nn_blocks *b);
    /* Scratch floats it needs for max_batch rows; the model keeps one, as
     * large as the largest, since layers run one at a time. */
    size_t (*scratch)(const nn_layer *l, int max_batch);
    /* Parameters are 0 and buffers as layout left them; draws from r in
     * turn. slope: the activation the layer feeds (nn_kind_gain). */
    void (*init)(nn_layer *l, nn_rng *r, nn_init_kind kind, float slope);
    /* y = f(x), x (batch, in) the previous layer's y or the caller's input. */
    void (*forward)(nn_layer *l, const float *x, const nn_pass *p);
    /* Before the walk down a backward, for every layer it reaches. */
    void (*backward_begin)(nn_layer *l, int batch);
    /* gx += d loss / d x unless gx is NULL; dw, db += the parameters'
     * gradients unless NULL (frozen); g (batch, out) is d loss / d y, x the
     * input the last forward saw. */
    void (*backward)(nn_layer *l, float *gx, float *dw, float *db, const float *g,
                     const float *x, const nn_pass *p);
} nn_kind;

/* The kind's entry, NULL for a value that is no kind. */
const nn_kind *nn_kind_of(nn_layer_kind kind);

#endif
