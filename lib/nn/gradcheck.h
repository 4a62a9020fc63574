/* gradcheck.h - central-difference checks of analytic gradients.
 *
 * For each checked variable x_i:  numeric_i = (f(x_i + h) - f(x_i - h)) / 2h,
 * compared with the analytic gradient the backward pass produced, by the
 * course's relative error
 *     rel = max_i |a_i - n_i| / max(1e-8, max_i |a_i| + max_i |n_i|)
 * (the max-norm version of ||a - n|| / (||a|| + ||n||): one large, correct
 * component is not drowned by float32 noise in the many near-zero ones).
 * A layer with a vector output is checked through a scalar loss such as
 * sum(y * r) with a fixed random r, which the caller's f computes.
 */
#ifndef NN_GRADCHECK_H
#define NN_GRADCHECK_H

#include <stddef.h>
#include "nn/model.h"

/* Evaluates the scalar loss at the current values of the variables. */
typedef double (*nn_loss_fn)(void *ctx);
/* Zeroes and recomputes the analytic gradients of every variable. */
typedef void (*nn_grad_fn)(void *ctx);

typedef struct {
    const char *name;   /* for the report: "x", "w", "gamma", ... */
    float *x;           /* the values, perturbed in place and restored */
    const float *grad;  /* the analytic gradient, filled by nn_grad_fn */
    size_t n;
} nn_gradcheck_var;

typedef struct {
    double rel_error;     /* worst relative error over all variables */
    const char *worst;    /* name of the variable where it occurred */
    size_t worst_index;   /* and the element */
    int zero_grad;        /* 1 if some variable's analytic gradient is all zeros */
    size_t checked;       /* elements checked */
} nn_gradcheck_report;

/* Exercise 13. Relative error between two vectors, as above. */
double nn_rel_error(const float *a, const float *b, size_t n);

/* Exercise 13. The central difference of f in one variable x, perturbed in
 * place and restored to its exact bits:
 *     (f(x+) - f(x-)) / (x+ - x-),   x+ = x + h, x- = x - h as float32 stores them
 * (dividing by the stored distance, not by 2h, keeps the rounding of x + h
 * out of the estimate). */
double nn_central_difference(nn_loss_fn f, void *ctx, float *x, float h);

/* Checks every element of every variable (or, when max_per_var > 0, that
 * many elements spread evenly over each). Returns the worst relative error
 * and fills rep (may be NULL). */
double nn_gradcheck(nn_loss_fn f, nn_grad_fn g, void *ctx, nn_gradcheck_var *vars, int nvars,
                    float h, size_t max_per_var, nn_gradcheck_report *rep);

/* Checks a whole model: loss = sum(forward(x) * r) for a fixed random r drawn
 * from rng, against its backward, for the input x (batch, in) and every
 * parameter. Train mode; dropout layers must have p = 0 for this to be exact. */
double nn_gradcheck_model(nn_model *m, float *x, int batch, nn_rng *rng, float h,
                          size_t max_per_var, nn_gradcheck_report *rep);

#endif
