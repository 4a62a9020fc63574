/* gradcheck.c - central-difference checks of analytic gradients (gradcheck.h).
 *
 * The numeric derivative of one element and the relative error are exercise
 * 13 (nn_central_difference, nn_rel_error: solutions/13_grad_check.c); this
 * file walks the variables with them.
 */
#include "nn/gradcheck.h"

#include <assert.h>
#include <math.h>
#include <string.h>

#include "base/common.h"

/* Index of the k-th of m checked elements out of n, spread evenly from the
 * first element to the last (m <= n). */
static size_t spread_index(size_t k, size_t m, size_t n)
{
    if (m <= 1) return 0;
    return (size_t)((double)k * (double)(n - 1) / (double)(m - 1) + 0.5);
}

double nn_gradcheck(nn_loss_fn f, nn_grad_fn g, void *ctx, nn_gradcheck_var *vars, int nvars,
                    float h, size_t max_per_var, nn_gradcheck_report *rep)
{
    assert(f && g && (vars || nvars == 0) && h > 0.0f);
    nn_gradcheck_report r = {0.0, NULL, 0, 0, 0};
    /* Analytic gradients first, at the unperturbed point. */
    g(ctx);
    for (int v = 0; v < nvars; v++) {
        nn_gradcheck_var *var = &vars[v];
        /* An all-zero analytic gradient agrees with a zero numeric one and
         * proves nothing (a backward that forgot to write passes): flag it. */
        int all_zero = 1;
        for (size_t i = 0; i < var->n && all_zero; i++)
            if (var->grad[i] != 0.0f) all_zero = 0;
        if (all_zero && var->n > 0) r.zero_grad = 1;

        /* Large weight matrices are sampled: m elements from first to last,
         * so every region of the matrix (first row, last column) is seen. */
        size_t m = (max_per_var > 0 && max_per_var < var->n) ? max_per_var : var->n;
        double diff = 0.0, ma = 0.0, mn = 0.0;
        size_t worst_i = 0;
        for (size_t k = 0; k < m; k++) {
            size_t i = spread_index(k, m, var->n);
            const double num = nn_central_difference(f, ctx, &var->x[i], h);
            const double a = var->grad[i];
            const double d = fabs(a - num);
            /* A NaN difference takes the place and keeps it: no later
             * number may overwrite it (d <= NaN is false for every d). */
            if (diff == diff && !(d <= diff)) { diff = d; worst_i = i; }
            if (fabs(a) > ma) ma = fabs(a);
            if (fabs(num) > mn) mn = fabs(num);
            r.checked++;
        }
        /* Each variable is judged on its own scale: a bias gradient of 1e-3
         * is not measured against a weight gradient of 10. */
        const double rel = diff / fmax(1e-8, ma + mn);
        /* The first variable always sets the name, so worst is never NULL
         * after a check; a NaN error wins over any number. */
        if (!(rel <= r.rel_error) || !r.worst) {
            r.rel_error = rel;
            r.worst = var->name;
            r.worst_index = worst_i;
        }
    }
    if (rep) *rep = r;
    return r.rel_error;
}

/* ------------------------------------------------------------ whole models */

typedef struct {
    nn_model *m;
    float *x;          /* (batch, in), perturbed in place */
    int batch;
    const float *r;    /* (batch, out), the fixed random weights of the loss */
    float *dx;         /* (batch, in), d loss / d x */
    nn_rng rng0;       /* the model's dropout stream before the check */
} model_ctx;

/* loss = sum(forward(x, train) * r), accumulated in double. The dropout
 * stream is rewound before every forward so each one draws the same masks:
 * the loss is then a fixed function of x and the parameters. */
static double model_loss(void *p)
{
    model_ctx *c = p;
    c->m->rng = c->rng0;
    const float *y = nn_model_forward(c->m, c->x, c->batch, 1);
    const size_t n = (size_t)c->batch * (size_t)c->m->out;
    double s = 0.0;
    for (size_t i = 0; i < n; i++) s += (double)y[i] * (double)c->r[i];
    return s;
}

/* d loss / d y = r, so backward from dy = r gives every gradient at once. */
static void model_grad(void *p)
{
    model_ctx *c = p;
    nn_model_zero_grad(c->m);
    memset(c->dx, 0, (size_t)c->batch * (size_t)c->m->in * sizeof *c->dx);
    model_loss(c);
    nn_model_backward(c->m, c->dx, c->r, c->batch, 1);
}

/* Names for the report: the pointer must outlive this call, so they are
 * string constants. Layers past the table share a generic name. */
static const char *const W_NAMES[] = {
    "layers[0].w", "layers[1].w", "layers[2].w", "layers[3].w", "layers[4].w",
    "layers[5].w", "layers[6].w", "layers[7].w", "layers[8].w", "layers[9].w",
    "layers[10].w", "layers[11].w", "layers[12].w", "layers[13].w", "layers[14].w",
    "layers[15].w"};
static const char *const B_NAMES[] = {
    "layers[0].b", "layers[1].b", "layers[2].b", "layers[3].b", "layers[4].b",
    "layers[5].b", "layers[6].b", "layers[7].b", "layers[8].b", "layers[9].b",
    "layers[10].b", "layers[11].b", "layers[12].b", "layers[13].b", "layers[14].b",
    "layers[15].b"};
#define N_NAMED ((int)(sizeof W_NAMES / sizeof W_NAMES[0]))

double nn_gradcheck_model(nn_model *m, float *x, int batch, nn_rng *rng, float h,
                          size_t max_per_var, nn_gradcheck_report *rep)
{
    assert(m && x && rng && batch >= 1 && batch <= m->max_batch);
    const size_t nx = (size_t)batch * (size_t)m->in;
    const size_t ny = (size_t)batch * (size_t)m->out;
    float *r = nn_alloc(ny, sizeof *r);
    float *dx = nn_alloc(nx, sizeof *dx);
    nn_gradcheck_var *vars = nn_alloc((size_t)(1 + 2 * m->n_layers), sizeof *vars);
    /* Running statistics change on every train-mode forward; the check must
     * leave the model as it found it, so they are saved and put back. */
    float *saved = m->n_buffers ? nn_alloc(m->n_buffers, sizeof *saved) : NULL;
    if (!r || !dx || !vars || (m->n_buffers && !saved)) {
        nn_free(r); nn_free(dx); nn_free(vars); nn_free(saved);
        /* No status to return: an infinite error fails any threshold. */
        if (rep) *rep = (nn_gradcheck_report){INFINITY, "out of memory", 0, 0, 0};
        return INFINITY;
    }
    if (saved) memcpy(saved, m->buffers, m->n_buffers * sizeof *saved);
    nn_rng_fill_normal(rng, r, ny, 0.0f, 1.0f);

    model_ctx c = {m, x, batch, r, dx, m->rng};
    /* One variable for the input, then each layer's weights and biases as
     * views into the model's parameter block: perturbing them there is what
     * the forward pass reads. */
    int nv = 0;
    vars[nv++] = (nn_gradcheck_var){"x", x, dx, nx};
    for (int i = 0; i < m->n_layers; i++) {
        nn_layer *l = &m->layers[i];
        if (!l->w) continue;
        /* Weights (or gamma) first, then the biases (or beta) right after
         * them in the block, to the end of the layer's parameters. */
        size_t np = nn_layer_param_count(l);
        size_t nw = l->b ? (size_t)(l->b - l->w) : np;
        vars[nv++] = (nn_gradcheck_var){i < N_NAMED ? W_NAMES[i] : "w", l->w, l->dw, nw};
        if (l->b)
            vars[nv++] = (nn_gradcheck_var){i < N_NAMED ? B_NAMES[i] : "b", l->b, l->db,
                                            np - nw};
    }
    double rel = nn_gradcheck(model_loss, model_grad, &c, vars, nv, h, max_per_var, rep);

    m->rng = c.rng0;
    if (saved) memcpy(m->buffers, saved, m->n_buffers * sizeof *saved);
    nn_free(saved);
    nn_free(vars);
    nn_free(dx);
    nn_free(r);
    return rel;
}
