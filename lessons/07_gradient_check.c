/* 07_gradient_check.c - lesson 07: checking every backward pass by central
 * differences, catching a broken one, and choosing the step size.
 *
 * The course questions it answers: how do we know a backward pass is right;
 * what does a bug look like in the check; why h = 1e-3 and a tolerance of
 * 1e-2 in float32, when textbooks (in float64) use 1e-5 and 1e-7.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lesson.h"
#include "nn.h"
#include "viz/plot.h"
#include "stepsize.h"

static float step_h = 1e-3f;   /* --h */
static float tol = 1e-2f;      /* --tol */

static const lesson_flag flags[] = {
    {"h", LESSON_FLOAT, &step_h, "finite-difference step of the checks", 1e-7, 0.5, NULL},
    {"tol", LESSON_FLOAT, &tol, "largest relative error that passes", 1e-9, 1, NULL},
};

/* ------------------------------------------------------------ step 1: the function checked */

/* f(x) = sum_i r_i leaky_relu(x_i): the smallest "layer + loss" there is. */
typedef struct {
    const float *x;   /* (n) the point, nudged one element at a time */
    const float *r;   /* (n) fixed random read-out weights */
    float *y;         /* (n) scratch */
    int n;
    float slope;
} leaky_ctx;

static double leaky_sum(void *p)
{
    leaky_ctx *c = p;
    nn_leaky_relu_forward(c->y, c->x, c->slope, (size_t)c->n);
    double f = 0.0;
    for (int i = 0; i < c->n; i++)
        f += (double)c->r[i] * c->y[i];
    return f;
}

/* ------------------------------------------------------------ GAN loss checks */

/* The full D and G losses as the GAN step computes them, through the
 * library's functions whose holes the student fills, so a student's code is
 * what gets checked. */
typedef struct {
    nn_model *G, *D;
    nn_rng d_rng0;    /* D's dropout stream, rewound before every forward */
    float *z;         /* (batch, latent_dim) */
    float *d_in;      /* (2 batch, data_dim): real rows, then fake rows */
    float *ds;        /* (2 batch) dL/ds */
    float *dfake;     /* (batch, data_dim) dL_G / d fake */
    int batch;
    int minimax;      /* G loss: 1 log(1 - D(G(z))), 0 -log D(G(z)) */
} loss_ctx;

/* L_D = mean -log D(x) + mean -log(1 - D(G(z))) on one batch of 2B rows. */
static double d_loss_value(void *p)
{
    loss_ctx *c = p;
    c->D->rng = c->d_rng0; /* the same dropout masks every time: f is a function */
    const float *s = nn_model_forward(c->D, c->d_in, 2 * c->batch, 1);
    return nn_gan_d_loss(c->ds, c->ds + c->batch, s, s + c->batch, c->batch, c->batch, 1.0f);
}

static void d_loss_grad(void *p)
{
    loss_ctx *c = p;
    nn_model_zero_grad(c->D);
    d_loss_value(c);
    nn_model_backward(c->D, NULL, c->ds, 2 * c->batch, 1);
}

/* L_G through G and a frozen D: z -> G -> fake -> D -> loss. */
static double g_loss_value(void *p)
{
    loss_ctx *c = p;
    const float *fake = nn_model_forward(c->G, c->z, c->batch, 1);
    c->D->rng = c->d_rng0;
    const float *s = nn_model_forward(c->D, fake, c->batch, 1);
    return c->minimax ? nn_gan_g_loss_minimax(c->ds, s, c->batch)
                      : nn_gan_g_loss_nonsat(c->ds, s, c->batch);
}

static void g_loss_grad(void *p)
{
    loss_ctx *c = p;
    g_loss_value(c);
    memset(c->dfake, 0, (size_t)c->batch * (size_t)c->G->out * sizeof(float));
    nn_model_backward(c->D, c->dfake, c->ds, c->batch, 0); /* D frozen: dfake only */
    nn_model_zero_grad(c->G);
    nn_model_backward(c->G, NULL, c->dfake, c->batch, 1);
}

/* One variable per weight and bias of m, named "G.layers[i].w"; names live
 * in the caller's buffer (24 bytes each). Returns the count. The bias of a
 * linear layer followed by batchnorm is left out: batchnorm subtracts the
 * batch mean, so that bias has no effect and its true gradient is exactly 0;
 * a relative error of round-off against round-off would say nothing. */
static int model_vars(nn_gradcheck_var *v, char (*names)[24], const nn_model *m, char tag)
{
    int k = 0;
    for (int i = 0; i < m->n_layers; i++) {
        const nn_layer *l = &m->layers[i];
        if (!l->w)
            continue;
        size_t nw = l->spec.kind == NN_LAYER_LINEAR ? (size_t)l->out * (size_t)l->in
                                                    : (size_t)l->out;
        snprintf(names[k], 24, "%c.layers[%d].w", tag, i);
        v[k] = (nn_gradcheck_var){names[k], l->w, l->dw, nw};
        k++;
        if (i + 1 < m->n_layers && m->layers[i + 1].spec.kind == NN_LAYER_BATCHNORM)
            continue;
        snprintf(names[k], 24, "%c.layers[%d].b", tag, i);
        v[k] = (nn_gradcheck_var){names[k], l->b, l->db, (size_t)l->out};
        k++;
    }
    return k;
}

/* Smallest |input| of any leaky ReLU in m's last forward (batch rows): how
 * far the check point is from a kink, where the derivative jumps. */
static float kink_margin(const nn_model *m, int batch)
{
    float least = INFINITY;
    for (int i = 1; i < m->n_layers; i++) {
        if (m->layers[i].spec.kind != NN_LAYER_LEAKY_RELU)
            continue;
        const float *a = m->layers[i - 1].y;
        for (size_t j = 0; j < (size_t)batch * (size_t)m->layers[i].in; j++)
            least = fminf(least, fabsf(a[j]));
    }
    return least;
}

/* ------------------------------------------------------------ a broken layer */

/* linear -> leaky ReLU -> sum(r * y), with a choice of leaky ReLU backward. */
typedef void (*leaky_backward_fn)(float *dx, const float *dy, const float *x, float slope,
                                  size_t n);

typedef struct {
    float *x, *w, *b;         /* (batch, in), (out, in), (out) */
    float *dx, *dw, *db;      /* their gradients */
    float *a, *y, *da;        /* (batch, out): pre-activation, output, dL/da */
    const float *r;           /* (batch, out) read-out weights */
    int batch, in, out;
    leaky_backward_fn backward;
} layer_ctx;

static double layer_value(void *p)
{
    layer_ctx *c = p;
    nn_linear_forward(c->a, c->x, c->w, c->b, c->batch, c->in, c->out);
    nn_leaky_relu_forward(c->y, c->a, 0.2f, (size_t)c->batch * c->out);
    double f = 0.0;
    for (int i = 0; i < c->batch * c->out; i++)
        f += (double)c->r[i] * c->y[i];
    return f;
}

static void layer_grad(void *p)
{
    layer_ctx *c = p;
    size_t na = (size_t)c->batch * c->out;
    layer_value(c);
    memset(c->da, 0, na * sizeof(float));
    memset(c->dx, 0, (size_t)c->batch * c->in * sizeof(float));
    memset(c->dw, 0, (size_t)c->out * c->in * sizeof(float));
    memset(c->db, 0, (size_t)c->out * sizeof(float));
    c->backward(c->da, c->r, c->a, 0.2f, na);
    nn_linear_backward(c->dx, c->dw, c->db, c->da, c->x, c->w, c->batch, c->in, c->out);
}

/* The bug: negative inputs pass the gradient through unscaled, as if the
 * layer were the identity there (the slope is forgotten). */
static void leaky_backward_broken(float *dx, const float *dy, const float *x, float slope,
                                  size_t n)
{
    (void)slope;
    (void)x;
    for (size_t i = 0; i < n; i++)
        dx[i] += dy[i];
}

/* ------------------------------------------------------------ the steps */

/* What the steps share: the one random stream every step draws from in
 * turn (a step takes it and hands it back), how many elements each check
 * samples, and the relative errors the last step sets against each other. */
typedef struct {
    nn_rng rng;
    size_t per_var;             /* elements checked per variable */
    double layers_worst_err;    /* step 2: the worst layer */
    double d_loss_err, g_loss_err, g_minimax_err;   /* step 3 */
    double correct_err, broken_err;                 /* step 4 */
} gradcheck_tour;

/* One row of the results table. */
static void table_row(lesson *L, const char *what, const nn_gradcheck_report *rep, int *passed)
{
    int ok = rep->rel_error <= tol && !rep->zero_grad;
    *passed += ok;
    lesson_print(L, "  %-36s %10.2e  %-6s %s[%zu]%s\n", what, rep->rel_error,
                 ok ? "passed" : "FAILED", rep->worst ? rep->worst : "-", rep->worst_index,
                 rep->zero_grad ? "  (a gradient is all zero)" : "");
}

/* Step 1: the check on f(x) = sum r leaky_relu(x), element by element. */
static void check_by_hand(lesson *L, gradcheck_tour *t)
{
    nn_rng rng = t->rng;
    lesson_step(L, "The check, on one layer");
    lesson_say(L,
               "A backward pass computes df/dx analytically; a wrong sign, a missing factor or "
               "a swapped index gives numbers that look plausible and train badly. The check "
               "needs only the forward pass: nudge one input by h either way and measure the "
               "slope,\n"
               LESSON_MATH("\\text{numeric}_i = \\frac{f(x + h e_i) - f(x - h e_i)}{2h} \\quad \\text{(error } O(h^2)\\text{)}", "numeric_i = (f(x + h e_i) - f(x - h e_i)) / 2h     (error O(h^2))") "\n"
               "then compare it with the analytic gradient by the course's relative error\n"
               LESSON_MATH("\\text{rel} = \\frac{\\max |a - n|}{\\max(10^{-8}, \\max |a| + \\max |n|)}", "rel = max |a - n| / max(1e-8, max |a| + max |n|)") "\n"
               "Here f(x) = sum r_i * leaky_relu(x_i) with fixed random r, checked by "
               "nn_central_difference and nn_rel_error (exercise 13: your own checker when "
               "run with USE=exercises; every check below goes through them too).");
    lesson_code(L, "by_hand");
    /* STEP: by_hand */
    enum { N1 = 8 };
    float x1[N1], r1[N1], y1[N1], analytic1[N1] = {0}, numeric1[N1];
    nn_rng_fill_normal(&rng, x1, N1, 0.0f, 1.0f);
    for (int i = 0; i < N1; i++)
        x1[i] += x1[i] >= 0.0f ? 0.1f : -0.1f;             /* no kink within h of x */
    nn_rng_fill_normal(&rng, r1, N1, 0.0f, 1.0f);
    nn_leaky_relu_backward(analytic1, r1, x1, 0.2f, N1);   /* df/dx = r * slope or r */
    leaky_ctx c1 = {x1, r1, y1, N1, 0.2f};
    for (int i = 0; i < N1; i++)                           /* f nudged in x1[i] only */
        numeric1[i] = (float)nn_central_difference(leaky_sum, &c1, &x1[i], step_h);
    double rel1 = nn_rel_error(analytic1, numeric1, N1);
    lesson_print(L, "   i        x    analytic     numeric\n");
    for (int i = 0; i < N1; i++)
        lesson_print(L, "  %2d  %+7.3f  %+10.6f  %+10.6f\n", i, x1[i], analytic1[i], numeric1[i]);
    lesson_print(L, "relative error %.2e with h = %g\n", rel1, step_h);
    /* END STEP */
    int have_checker = nn_max_abs(numeric1, N1) > 0.0f;
    if (!have_checker)
        lesson_say(L, "The numeric gradient is all zeros: nn_central_difference is not written yet "
                      "(exercise 13). `make check EX=13`, `make hint EX=13`.");
    lesson_key(L, "exercise_rel_error", "%.3g", rel1);
    t->rng = rng;
}

/* Step 2: every layer kind of the library through nn_gradcheck_model. */
static void check_every_layer(lesson *L, gradcheck_tour *t)
{
    nn_rng rng = t->rng;
    size_t per_var = t->per_var;
    lesson_step(L, "Every layer of the library");
    lesson_say(L,
               "The same check for each layer kind, through the model code the GANs use: "
               "nn_gradcheck_model builds the loss sum(forward(x) * r) with a fixed random r "
               "and checks the input and every parameter. Inputs of the piecewise-linear "
               "layers are kept away from 0, where their derivative jumps and no finite "
               "difference can agree with either side. Passing means rel <= %g.",
               (double)tol);
    lesson_code(L, "layers");
    /* STEP: layers */
    const nn_layer_spec kinds[] = {
        {.kind = NN_LAYER_LINEAR, .out = 4}, {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
        {.kind = NN_LAYER_RELU}, {.kind = NN_LAYER_SIGMOID},
        {.kind = NN_LAYER_TANH}, {.kind = NN_LAYER_BATCHNORM},
        {.kind = NN_LAYER_DROPOUT, .arg = 0.3f}, {.kind = NN_LAYER_MBSTD},
    };
    const int n_kinds = (int)(sizeof kinds / sizeof kinds[0]), batch = 6, in = 5;
    float x[6 * 5];
    int layers_passed = 0;
    double worst_layer = 0.0;
    lesson_print(L, "  %-36s %10s  %-6s %s\n", "layer", "rel error", "", "worst at");
    for (int k = 0; k < n_kinds; k++) {
        nn_error err;
        nn_model *m = nn_model_create(in, &kinds[k], 1, batch, &err);
        if (!m)
            lesson_check(L, err.code, &err);
        nn_model_init(m, &rng, NN_INIT_XAVIER_NORMAL);
        for (int i = 0; i < batch * in; i++) {
            float v = nn_rng_normal(&rng);
            x[i] = v + (v >= 0.0f ? 0.1f : -0.1f);   /* |x| >= 0.1: no kink within h */
        }
        nn_gradcheck_report rep;
        nn_gradcheck_model(m, x, batch, &rng, step_h, per_var, &rep);
        table_row(L, nn_layer_kind_name(kinds[k].kind), &rep, &layers_passed);
        if (rep.rel_error > worst_layer)
            worst_layer = rep.rel_error;
        nn_model_free(m);
    }
    /* END STEP */
    lesson_key(L, "layers_checked", "%d", n_kinds);
    lesson_key(L, "layers_passed", "%d", layers_passed);
    lesson_key(L, "layers_worst_rel_error", "%.3g", worst_layer);
    t->layers_worst_err = worst_layer;
    t->rng = rng;
}

/* Step 3: the GAN's D loss and both G losses, end to end, on a small GAN. */
static void check_gan_losses(lesson *L, gradcheck_tour *t)
{
    nn_rng rng = t->rng;
    size_t per_var = t->per_var;
    lesson_step(L, "The GAN's two losses, end to end");
    lesson_say(L,
               "The course's maths gives the gradients the trainer uses:\n"
               LESSON_MATH("\\frac{\\partial L_D}{\\partial s_\\text{real}} = -\\frac{\\sigma(-s_\\text{real})}{n}, \\quad \\frac{\\partial L_D}{\\partial s_\\text{fake}} = \\frac{\\sigma(s_\\text{fake})}{n}", "dL_D/ds_real = -sigmoid(-s_real) / n,   dL_D/ds_fake = sigmoid(s_fake) / n") "\n"
               LESSON_MATH("\\frac{\\partial L_G}{\\partial s_\\text{fake}} = -\\frac{\\sigma(-s_\\text{fake})}{n} \\quad \\text{(non-saturating)}", "dL_G/ds_fake = -sigmoid(-s_fake) / n   (non-saturating)") "\n"
               LESSON_MATH("\\frac{\\partial L_G}{\\partial s_\\text{fake}} = -\\frac{\\sigma(s_\\text{fake})}{n} \\quad \\text{(minimax)}", "dL_G/ds_fake = -sigmoid(s_fake) / n    (minimax)") "\n"
               "Checked here on a small GAN (latent 8, image 12, one hidden layer each, "
               "batchnorm in G, dropout in D) through the course's own functions: D's loss "
               "against each D parameter; G's loss, back through the frozen D, against each "
               "G parameter. (Not the bias of G's linear layer before batchnorm: batchnorm "
               "subtracts the batch mean, so that bias changes nothing and its gradient is "
               "exactly zero.)");
    lesson_code(L, "losses");
    /* STEP: losses */
    nn_gan_arch arch = {.latent_dim = 8, .data_dim = 12, .g_hidden = {16}, .n_g_hidden = 1,
                     .g_batchnorm = 1, .d_hidden = {16}, .n_d_hidden = 1,
                     .d_dropout = 0.3f, .g_slope = 0.2f, .d_slope = 0.2f, .g_tanh = 1, .pack = 1};
    const int B = 4;
    nn_error err;
    nn_model *G = nn_gan_build_generator(&arch, B, &err);
    if (!G)
        lesson_check(L, err.code, &err);
    nn_model *D = nn_gan_build_discriminator(&arch, 2 * B, &err);
    if (!D)
        lesson_check(L, err.code, &err);
    nn_model_init(G, &rng, NN_INIT_XAVIER_NORMAL);   /* larger than N(0, 0.02): */
    nn_model_init(D, &rng, NN_INIT_XAVIER_NORMAL);   /* fewer kinks within h */
    loss_ctx lc = {G,
                   D,
                   D->rng,
                   lesson_alloc(L, (size_t)B * 8, sizeof(float)),
                   lesson_alloc(L, 2 * B * 12, sizeof(float)),
                   lesson_alloc(L, 2 * B, sizeof(float)),
                   lesson_alloc(L, (size_t)B * 12, sizeof(float)),
                   B,
                   0};
    /* A check point away from leaky ReLU's kinks (as in step 2): redraw the
     * inputs until every pre-activation is at least 5 h from 0. */
    for (int tries = 0; tries < 500; tries++) {
        nn_rng_fill_normal(&rng, lc.z, (size_t)B * 8, 0.0f, 1.0f);
        nn_rng_fill_uniform(&rng, lc.d_in, 2 * B * 12, -1.0f, 1.0f);   /* real, fake rows */
        D->rng = lc.d_rng0;
        nn_model_forward(D, lc.d_in, 2 * B, 1);
        float margin = kink_margin(D, 2 * B);
        D->rng = lc.d_rng0;
        nn_model_forward(D, nn_model_forward(G, lc.z, B, 1), B, 1);
        margin = fminf(margin, fminf(kink_margin(G, B), kink_margin(D, B)));
        if (margin > 5.0f * step_h)
            break;
    }
    nn_gradcheck_var vars[16];
    char d_names[16][24], g_names[16][24];   /* the reports point into these */
    nn_gradcheck_report rep_d, rep_g, rep_gm;
    int nv = model_vars(vars, d_names, D, 'D');
    nn_gradcheck(d_loss_value, d_loss_grad, &lc, vars, nv, step_h, per_var, &rep_d);
    nv = model_vars(vars, g_names, G, 'G');
    nn_gradcheck(g_loss_value, g_loss_grad, &lc, vars, nv, step_h, per_var, &rep_g);
    lc.minimax = 1;
    nn_gradcheck(g_loss_value, g_loss_grad, &lc, vars, nv, step_h, per_var, &rep_gm);
    int losses_passed = 0;
    lesson_print(L, "  %-36s %10s  %-6s %s\n", "loss", "rel error", "", "worst at");
    table_row(L, "D loss (nn_gan_d_loss)", &rep_d, &losses_passed);
    table_row(L, "G loss, non-saturating (gan_g_loss)", &rep_g, &losses_passed);
    table_row(L, "G loss, minimax", &rep_gm, &losses_passed);
    /* END STEP */
    lesson_key(L, "d_loss_rel_error", "%.3g", rep_d.rel_error);
    lesson_key(L, "g_loss_rel_error", "%.3g", rep_g.rel_error);
    lesson_key(L, "g_loss_minimax_rel_error", "%.3g", rep_gm.rel_error);
    lesson_key(L, "losses_passed", "%d", losses_passed);
    t->d_loss_err = rep_d.rel_error;
    t->g_loss_err = rep_g.rel_error;
    t->g_minimax_err = rep_gm.rel_error;
    nn_model_free(G);
    nn_model_free(D);
    nn_free(lc.z);
    nn_free(lc.d_in);
    nn_free(lc.ds);
    nn_free(lc.dfake);
    t->rng = rng;
}

/* Step 4: a leaky ReLU backward that forgets its slope, caught. */
static void catch_broken_backward(lesson *L, gradcheck_tour *t)
{
    nn_rng rng = t->rng;
    lesson_step(L, "A broken backward is caught");
    lesson_say(L,
               "Now the same linear + leaky ReLU layer twice: once with the library's "
               "backward, once with a backward that forgets the slope (it passes dy through "
               "unscaled where the input was negative, dx += dy instead of dx += 0.2 dy). "
               "The forward pass is identical, the loss looks the same, training would even "
               "run; only the check tells them apart, and its worst element says where.");
    lesson_code(L, "broken");
    /* STEP: broken */
    layer_ctx lay = {.batch = 4, .in = 6, .out = 5, .backward = nn_leaky_relu_backward};
    lay.x = lesson_alloc(L, 4 * 6, sizeof(float));
    lay.dx = lesson_alloc(L, 4 * 6, sizeof(float));
    lay.w = lesson_alloc(L, 5 * 6, sizeof(float));
    lay.dw = lesson_alloc(L, 5 * 6, sizeof(float));
    lay.b = lesson_alloc(L, 5, sizeof(float));
    lay.db = lesson_alloc(L, 5, sizeof(float));
    lay.a = lesson_alloc(L, 4 * 5, sizeof(float));
    lay.y = lesson_alloc(L, 4 * 5, sizeof(float));
    lay.da = lesson_alloc(L, 4 * 5, sizeof(float));
    float *r = lesson_alloc(L, 4 * 5, sizeof(float));
    lay.r = r;
    nn_rng_fill_normal(&rng, lay.x, 4 * 6, 0.0f, 1.0f);
    nn_rng_fill_normal(&rng, lay.w, 5 * 6, 0.0f, 0.5f);
    nn_rng_fill_normal(&rng, lay.b, 5, 0.0f, 0.5f);
    nn_rng_fill_normal(&rng, r, 4 * 5, 0.0f, 1.0f);
    nn_gradcheck_var lv[3] = {{"x", lay.x, lay.dx, 4 * 6}, {"w", lay.w, lay.dw, 5 * 6},
                              {"b", lay.b, lay.db, 5}};
    nn_gradcheck_report good, bad;
    nn_gradcheck(layer_value, layer_grad, &lay, lv, 3, step_h, 0, &good);
    lay.backward = leaky_backward_broken;
    nn_gradcheck(layer_value, layer_grad, &lay, lv, 3, step_h, 0, &bad);
    int broken_passed = 0, good_passed = 0;
    lesson_print(L, "  %-36s %10s  %-6s %s\n", "layer", "rel error", "", "worst at");
    table_row(L, "linear + leaky_relu (library)", &good, &good_passed);
    table_row(L, "linear + leaky_relu (forgot slope)", &bad, &broken_passed);
    /* END STEP */
    lesson_key(L, "correct_rel_error", "%.3g", good.rel_error);
    lesson_key(L, "broken_rel_error", "%.3g", bad.rel_error);
    lesson_key(L, "broken_caught", "%d", !broken_passed);
    t->correct_err = good.rel_error;
    t->broken_err = bad.rel_error;
    lesson_say(L,
               "The broken version's worst difference, at %s[%zu] (an element where the "
               "pre-activation was negative), is %.0f%% of max |a| + max |n|: the sum of "
               "the largest analytic and the largest numeric entry, so about twice the "
               "largest gradient entry when the two agree. Measured against the larger of "
               "those two entries alone, the difference is between %.0f%% and %.0f%% of it. "
               "A correct backward agrees to %.1e, the level of float32 round-off.",
               bad.worst ? bad.worst : "-", bad.worst_index, 100.0 * bad.rel_error,
               100.0 * bad.rel_error, 200.0 * bad.rel_error, good.rel_error);
    nn_free(lay.x);
    nn_free(lay.dx);
    nn_free(lay.w);
    nn_free(lay.dw);
    nn_free(lay.b);
    nn_free(lay.db);
    nn_free(lay.a);
    nn_free(lay.y);
    nn_free(lay.da);
    nn_free(r);
    t->rng = rng;
}

/* Step 5: the check's error against h, in float32 and float64. */
static void choose_step_size(lesson *L, gradcheck_tour *t)
{
    nn_rng rng = t->rng;
    nn_error err;
    lesson_step(L, "The step size h");
    lesson_say(L,
               "Why h = 1e-3 and not 1e-6? The central difference has two errors. Truncation: "
               "the Taylor terms it ignores, about h^2 f'''/6, shrink as h does. Round-off: "
               "f is computed in float32, good to about 6e-8 of its size, and dividing that "
               "noise by 2h makes it grow as h shrinks. Below, f(x) = sum r * tanh(x) over 64 "
               "inputs, checked with h from 1e-1 to 1e-6, once in float32 (the library) and "
               "once in float64:");
    lesson_code(L, "sweep");
    /* STEP: sweep */
    enum { NS = 64, NH = 21 };
    float xs[NS], rs[NS], ys[NS], grad32[NS];
    nn_rng_fill_normal(&rng, xs, NS, 0.0f, 1.0f);
    nn_rng_fill_normal(&rng, rs, NS, 0.0f, 1.0f);
    nn_tanh_forward(ys, xs, NS);
    memset(grad32, 0, sizeof grad32);
    nn_tanh_backward(grad32, rs, ys, NS);          /* dx = r * (1 - y^2), in float32 */
    float hs[NH], err32[NH], err64[NH];
    for (int k = 0; k < NH; k++) {
        hs[k] = powf(10.0f, -1.0f - 0.25f * (float)k);
        /* float32: the library's tanh, evaluated as nn_gradcheck does */
        err32[k] = stepsize_rel_error_float32(grad32, xs, rs, NS, hs[k]);
        /* float64: the same maths with every number in double */
        err64[k] = stepsize_rel_error_float64(xs, rs, NS, hs[k]);
    }
    const float *curves[2] = {err32, err64};
    const char *curve_names[2] = {"float32", "float64"};
    nn_plot p = {.dir = L->out, .name = "rel_error_vs_h", .title = "gradient check error vs step h",
                 .xlabel = "h", .ylabel = "relative error", .logx = 1, .logy = 1,
                 .term = lesson_capture_begin(L)};
    nn_status s = nn_plot_lines(&p, hs, curves, curve_names, 2, NH, &err);
    lesson_capture_end(L);
    /* END STEP */
    lesson_plot_shown(L, &p, s, &err, "relative error of the check against the step h");
    int best = 0;
    for (int k = 1; k < NH; k++)
        if (err32[k] < err32[best])
            best = k;
    lesson_print(L, "  %-9s %12s %12s\n", "h", "float32", "float64");
    for (int k = 0; k < NH; k += 4)
        lesson_print(L, "  %-9.0e %12.2e %12.2e\n", (double)hs[k], (double)err32[k],
                     (double)err64[k]);
    lesson_key(L, "best_h_float32", "%.2g", (double)hs[best]);
    lesson_key(L, "best_rel_error_float32", "%.3g", (double)err32[best]);
    lesson_key(L, "rel_error_float32_h1e-1", "%.3g", (double)err32[0]);
    lesson_key(L, "rel_error_float32_h1e-6", "%.3g", (double)err32[NH - 1]);
    lesson_key(L, "rel_error_float64_h1e-6", "%.3g", (double)err64[NH - 1]);
    double worst_ok = fmax(fmax(t->layers_worst_err, t->correct_err),
                           fmax(t->d_loss_err, fmax(t->g_loss_err, t->g_minimax_err)));
    lesson_say(L,
               "In float64 the error keeps falling as h^2 (two decades per decade of h) down "
               "to h = 1e-6, which is why float64 checks use h around 1e-5 and a tolerance "
               "near 1e-7. In float32 it turns around near h = %.0e: smaller steps only "
               "magnify round-off (at h = 1e-6 the error is %.1e, useless). So the float32 "
               "checks here use h = 1e-3 and pass at rel <= 1e-2: every correct backward "
               "pass above landed at %.0e or below, a real bug at 1e-1 or more (the broken "
               "leaky ReLU was %.0e), and the gap between them is wide.",
               (double)hs[best], (double)err32[NH - 1], worst_ok, t->broken_err);
    lesson_key_quiet(L, "h", "%g", (double)step_h);
    lesson_key_quiet(L, "tol", "%g", (double)tol);
    t->rng = rng;
}

int main(int argc, char **argv)
{
    static const lesson_info info = {
        7, "gradient_check", "Gradient checks",
        "Every backward pass of the library and the GAN's two losses checked against "
        "central differences, a deliberately broken backward caught by the same check, "
        "and the step size h: truncation error on one side, float32 round-off on the other.",
        7};
    lesson *L = lesson_begin(argc, argv, &info, flags, LESSON_NFLAGS(flags));
    gradcheck_tour t = {.per_var = L->fast ? 12 : 60};
    nn_rng_seed(&t.rng, L->seed, 0);

    check_by_hand(L, &t);
    check_every_layer(L, &t);
    check_gan_losses(L, &t);
    catch_broken_backward(L, &t);
    choose_step_size(L, &t);
    return lesson_end(L);
}
