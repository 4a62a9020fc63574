/* gauss1d.c - lesson 05's two Gaussians, a D fitted to them and D*'s tails
 * (see gauss1d.h). */
#include "gauss1d.h"

#include <math.h>
#include <stdio.h>

double gauss1d_pdf(double x, double mu, double sigma)
{
    double u = (x - mu) / sigma;
    return exp(-0.5 * u * u) / (sigma * sqrt(2.0 * 3.14159265358979323846));
}

nn_model *gauss1d_small_d(lesson *L, nn_rng *r)
{
    static const nn_layer_spec specs[] = {
        {.kind = NN_LAYER_LINEAR, .out = 32}, {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
        {.kind = NN_LAYER_LINEAR, .out = 32}, {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
        {.kind = NN_LAYER_LINEAR, .out = 1},
    };
    nn_error err = {NN_OK, ""};
    /* Twice GAUSS1D_HALF rows: real and fake go through D as one batch. */
    nn_model *D = nn_model_create(1, specs, 5, 2 * GAUSS1D_HALF, &err);
    if (!D) lesson_check(L, err.code != NN_OK ? err.code : NN_ERR_NOMEM, &err);
    nn_model_init(D, r, NN_INIT_HE_NORMAL);
    return D;
}

float gauss1d_train_d(nn_model *D, nn_rng *r, int steps, float mu_d, float sd_d, float mu_g,
                      float sd_g)
{
    enum { HALF = GAUSS1D_HALF };
    float x[2 * HALF], ds[2 * HALF];
    nn_adam opt = {1e-3f, 0.9f, 0.999f, 1e-8f, 0.0f};
    float loss = 0.0f;
    for (int i = 0; i < steps; i++) {
        nn_rng_fill_normal(r, x, HALF, mu_d, sd_d);        /* rows 0..HALF: real */
        nn_rng_fill_normal(r, x + HALF, HALF, mu_g, sd_g); /* rows HALF..: fake */
        const float *s = nn_model_forward(D, x, 2 * HALF, 1);
        loss = nn_gan_d_loss(ds, ds + HALF, s, s + HALF, HALF, HALF, 1.0f);
        nn_model_zero_grad(D);
        nn_model_backward(D, NULL, ds, 2 * HALF, 1);
        nn_model_adam_step(D, &opt);
    }
    return loss;
}

void gauss1d_d_on_grid(float *out, nn_model *D, const float *xs, int n)
{
    enum { ROWS = 2 * GAUSS1D_HALF }; /* the rows D was made for */
    for (int i0 = 0; i0 < n; i0 += ROWS) {
        int m = n - i0 < ROWS ? n - i0 : ROWS;
        const float *s = nn_model_forward(D, xs + i0, m, 0);
        for (int i = 0; i < m; i++) out[i0 + i] = nn_sigmoidf(s[i]);
    }
}

/* When p_g is the wider Gaussian, D* = 1/2 at two points x1 < x2 and falls
 * back toward 0 beyond them: where, and what the fitted D does there.
 * (a, b, c) are log(p_data / p_g) = a x^2 + b x + c; x_end is the grid's end
 * beyond the data, seen from G's side, dstar_end D* there. */
static void say_dstar_falls_back(lesson *L, const gauss1d_grid *g, double a, double b,
                                 double c, int right, double x_end, double dstar_end)
{
    double sd = g->sd_data, sg = g->sd_g, md = g->mu_data, mg = g->mu_g;
    /* The two points where D* = 1/2; the data's side is between them. */
    double r = sqrt(b * b - 4.0 * a * c);
    double x1 = fmin((-b + r) / (2.0 * a), (-b - r) / (2.0 * a));
    double x2 = fmax((-b + r) / (2.0 * a), (-b - r) / (2.0 * a));
    double x_far = right ? x2 : x1;
    int shown = right ? x_far < g->x_hi : x_far > g->x_lo;
    char trained[400] = "", fall[160];
    if (shown)
        snprintf(fall, sizeof fall, "falls back toward 0 beyond the data (%.3f at "
                 "x = %g)", dstar_end, x_end);
    else
        snprintf(fall, sizeof fall, "would fall back toward 0 beyond the data, "
                 "outside this plot");
    if (shown) {
        /* The expected number of samples D was trained on beyond x_far:
         * what it had to learn that region from. */
        double u_d = (x_far - md) / (sd * sqrt(2.0)), u_g = (x_far - mg) / (sg * sqrt(2.0));
        double beyond = right ? 0.5 * (erfc(u_d) + erfc(u_g))
                              : 0.5 * (erfc(-u_d) + erfc(-u_g));
        double seen = beyond * (double)g->steps * 2 * GAUSS1D_HALF;
        int iend = right ? g->n - 1 : 0;
        if (fabs(g->fitted[iend] - dstar_end) > 0.2)
            snprintf(trained, sizeof trained,
                     " The trained D does not follow it there (%.3f at x = %g): "
                     "about %.2g of the samples of all its %d steps fell beyond "
                     "x = %.2f, and beyond its last kink its logit is a straight "
                     "line in x that continues the slope it learned where the "
                     "samples were.",
                     (double)g->fitted[iend], x_end, seen, g->steps, x_far);
        else
            snprintf(trained, sizeof trained,
                     " The trained D comes close to it there too (%.3f at x = %g), "
                     "although only about %.2g of the samples of all its %d steps "
                     "fell beyond x = %.2f.",
                     (double)g->fitted[iend], x_end, seen, g->steps, x_far);
    }
    lesson_say(L,
               "D* is not monotone: it peaks at %.3f at x = %.2f and %s. Far out "
               "both densities are tiny (%.1e and %.1e at x = %g), but D* depends "
               "only on their ratio, and the ratio of two Gaussians is decided by "
               "their tails: log(p_data / p_g) is a quadratic in x whose x^2 "
               "coefficient, 1 / (2 sd_g^2) - 1 / (2 sd_data^2) = %.3f, is negative "
               "because G's Gaussian is the wider (sd %g against %g). Far enough "
               "out on either side p_g wins and D* tends to 0; D* = 1/2 where the "
               "ratio is 1, at x = %.2f and x = %.2f, and the data's density is the "
               "larger only between them.%s",
               1.0 / (1.0 + exp(-(c - b * b / (4.0 * a)))), -b / (2.0 * a), fall,
               gauss1d_pdf(x_end, md, sd), gauss1d_pdf(x_end, mg, sg), x_end, a,
               (double)g->sd_g, (double)g->sd_data, x1, x2, trained);
}

void gauss1d_say_dstar_tails(lesson *L, const gauss1d_grid *g)
{
    /* log(p_data / p_g) = a x^2 + b x + c exactly, so
     * D* = 1 / (1 + exp(-(a x^2 + b x + c))) is known in double precision
     * even where both densities underflow a float. */
    double sd = g->sd_data, sg = g->sd_g, md = g->mu_data, mg = g->mu_g;
    double a = 1.0 / (2.0 * sg * sg) - 1.0 / (2.0 * sd * sd);
    double b = md / (sd * sd) - mg / (sg * sg);
    double c = log(sg / sd) - md * md / (2.0 * sd * sd) + mg * mg / (2.0 * sg * sg);
    /* The end of the plot beyond the data, seen from G's side. */
    int right = md >= mg;
    double x_end = right ? g->x_hi : g->x_lo;
    double q_end = a * x_end * x_end + b * x_end + c;
    double dstar_end = 1.0 / (1.0 + exp(-q_end));
    int zeros = 0;
    for (int i = 0; i < g->n; i++) zeros += g->pd[i] + g->pg[i] == 0.0f;
    if (a < 0.0 && b * b - 4.0 * a * c > 0.0) {
        say_dstar_falls_back(L, g, a, b, c, right, x_end, dstar_end);
    } else if (a != 0.0) {
        lesson_say(L,
                   "Far from both Gaussians D* is decided by their tails: log(p_data / "
                   "p_g) is a quadratic in x whose x^2 coefficient, 1 / (2 sd_g^2) - "
                   "1 / (2 sd_data^2) = %.3f, is %s. At x = %g, D* = %.3f.",
                   a,
                   a > 0.0 ? "positive: the data's Gaussian is the wider, so far enough "
                             "out on either side p_data wins and D* tends to 1"
                           : "negative: G's Gaussian is the wider, and D* stays below "
                             "1/2 everywhere",
                   x_end, dstar_end);
    } else {
        lesson_say(L,
                   "With equal standard deviations log(p_data / p_g) is linear in x, so "
                   "D* is monotone: it tends to 1 on the data's side and to 0 on G's. "
                   "At x = %g, D* = %.3f.",
                   x_end, dstar_end);
    }
    if (zeros > 0)
        lesson_say(L,
                   "\nAt %d of the %d grid points both densities are below the smallest "
                   "float and were stored as 0; the 1e-30 in the code's denominator "
                   "makes the plotted D* 0 there. That 0 is rounding, not the ratio of "
                   "the tails.",
                   zeros, g->n);
}
