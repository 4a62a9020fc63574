/* 05_losses.c - lesson 05: the losses. The value function V(D, G), the
 * discriminator's loss and the two generator losses; the optimal
 * discriminator D*(x) = p_data(x) / (p_data(x) + p_g(x)) for two 1-D
 * Gaussians, next to a discriminator the library trains on their samples; the
 * equilibrium D = 1/2 when p_g = p_data; the gradient formulas checked by
 * central differences.
 *
 * The course questions it answers: what does each player optimise; why does
 * G use -log D(G(z)) instead of log(1 - D(G(z))); what is the best D can do
 * against a fixed G, and what happens when G matches the data; are the
 * gradients we back-propagate right.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lesson.h"
#include "nn.h"
#include "mlpgan.h"
#include "viz/plot.h"
#include "gauss1d.h"

/* Points on the x axis where D and the densities are evaluated. */
#define GRID 161
#define X_LO (-4.0f)
#define X_HI 4.0f

static float mu_data = 1.0f, sd_data = 0.5f, mu_g = -0.5f, sd_g = 0.8f;
static int d_train_steps = 3000;
static const lesson_flag flags[] = {
    {"mu-data", LESSON_FLOAT, &mu_data, "mean of p_data", -3.0, 3.0, NULL},
    {"sd-data", LESSON_FLOAT, &sd_data, "standard deviation of p_data", 0.1, 2.0, NULL},
    {"mu-g", LESSON_FLOAT, &mu_g, "mean of p_g", -3.0, 3.0, NULL},
    {"sd-g", LESSON_FLOAT, &sd_g, "standard deviation of p_g", 0.1, 2.0, NULL},
    {"steps", LESSON_INT, &d_train_steps, "Adam steps to train each 1-D discriminator",
     1, 100000, NULL},
};

/* What the steps share: the grid and the data's density on it, the D
 * fitted in step 2 (step 4 checks G's gradient through it), and the random
 * stream step 2 fits it from, which step 3 goes on drawing from. */
typedef struct {
    nn_rng rng;
    nn_model *D;
    float xs[GRID], pd[GRID];
    float peak;              /* the larger density's peak: "where there is data" */
} losses_tour;

/* A line figure in the lesson folder, its text rendering shown as output. */
static void lines(lesson *L, const char *name, const char *title, const char *xlabel,
                  const char *ylabel, const float *x, const float *const *ys,
                  const char *const *names, int k, int n)
{
    nn_plot p = {.dir = L->out, .name = name, .title = title, .xlabel = xlabel,
                 .ylabel = ylabel, .term = lesson_capture_begin(L), .term_rows = 20};
    nn_error err = {NN_OK, ""};
    nn_status s = nn_plot_lines(&p, x, ys, names, k, n, &err);
    lesson_capture_end(L);
    lesson_plot_shown(L, &p, s, &err, title);
}

/* The course's relative error: max|a - b| / max(1e-8, max(|a| + |b|)). */
static double rel_err(const double *a, const double *b, int n)
{
    double num = 0.0, den = 0.0;
    for (int i = 0; i < n; i++) {
        num = fmax(num, fabs(a[i] - b[i]));
        den = fmax(den, fabs(a[i]) + fabs(b[i]));
    }
    return num / fmax(1e-8, den);
}

/* Context of the G-loss-through-D check: the loss as a function of x. */
static float g_loss_at(nn_model *D, const float *x, int n)
{
    float ds[8];
    const float *s = nn_model_forward(D, x, n, 0);
    return nn_gan_g_loss_nonsat(ds, s, n);
}

/* This lesson runs the student's nn_gan_d_loss and nn_gan_g_loss_nonsat (exercises 7 and
 * 8). At logits 0 (D = 1/2) their values are known, 2 log 2 and log 2: an
 * unwritten or wrong one is named here instead of training nothing. */
static void check_exercises(lesson *L)
{
    float zero = 0.0f, g1, g2;
    float d = nn_gan_d_loss(&g1, &g2, &zero, &zero, 1, 1, 1.0f);
    if (!(fabsf(d - 1.3862944f) < 1e-3f))
        lesson_fail(L, LESSON_EXIT_INPUT, "nn_gan_d_loss gives %g at D(x) = D(G(z)) = 1/2, not "
                    "2 log 2 = 1.386: it is not written yet or wrong; see "
                    "exercises/07_d_loss.c and make check EX=7", (double)d);
    float g = nn_gan_g_loss_nonsat(&g1, &zero, 1);
    if (!(fabsf(g - 0.6931472f) < 1e-3f))
        lesson_fail(L, LESSON_EXIT_INPUT, "gan_g_loss gives %g at D(G(z)) = 1/2, not log 2 = "
                    "0.693: it is not written yet or wrong; see exercises/08_g_loss.c and "
                    "make check EX=8", (double)g);
}

/* Step 1: V(D, G), the three losses, and the two G losses' gradients side by side. */
static void compare_g_losses(lesson *L)
{
    lesson_step(L, "The value function and the three losses");
    lesson_say(L,
               "A GAN is a two-player game (Goodfellow et al. 2014) over one number, the "
               "value function\n\n"
               LESSON_MATH("V(D, G) = \\mathbb{E}_{x \\sim p_\\text{data}}\\left[\\log D(x)\\right] + \\mathbb{E}_{z \\sim p_z}\\left[\\log(1 - D(G(z)))\\right]", "V(D, G) = E_x~p_data [ log D(x) ] + E_z~p_z [ log(1 - D(G(z))) ]") "\n\n"
               "D maximises it: D(x) near 1 on real images, D(G(z)) near 0 on fakes. G "
               "minimises it: it wants D(G(z)) near 1. Written as losses to minimise, on "
               "D's logit s (D = sigmoid(s); the library computes them from logits, "
               "stably):\n"
               "- D loss (exercise 7):          -log D(x) - log(1 - D(G(z)))\n"
               "- G loss, minimax:              log(1 - D(G(z)))\n"
               "- G loss, non-saturating (ex. 8): -log D(G(z))\n\n"
               "Both G losses want the same thing, but not with the same force. Their "
               "gradients all follow from one property of the sigmoid:\n\n"
               LESSON_MATH("\\frac{d\\,\\sigma(s)}{ds} = \\sigma(s)\\,(1 - \\sigma(s)), \\quad\\text{that is}\\quad \\frac{dD}{ds} = D\\,(1 - D)", "d sigmoid(s) / ds = sigmoid(s) (1 - sigmoid(s)),   that is  dD/ds = D (1 - D)") "\n\n"
               "and the chain rule, d log f = f' / f:\n\n"
               LESSON_MATH("\\frac{d}{ds}\\log(1 - D) = \\frac{-D\\,(1 - D)}{1 - D} = -D", "d/ds  log(1 - D) = -D (1 - D) / (1 - D) = -D") "\n"
               LESSON_MATH("\\frac{d}{ds}\\left(-\\log D\\right) = \\frac{-D\\,(1 - D)}{D} = -(1 - D)", "d/ds -log D      = -D (1 - D) / D       = -(1 - D)") "\n\n"
               "(the same two lines give the D loss's gradients: -(1 - D(x)) on a real "
               "logit, D(G(z)) on a fake one). Two slips that lecture notes often carry: "
               "real images are labelled 1 and fakes 0, so the D loss is the binary "
               "cross-entropy with target 1 on D(x) and 0 on D(G(z)); and D maximises V, "
               "so an optimizer that descends must descend the D loss, -V, whose gradient "
               "on a real logit is negative (raise s, raise D(x)): descending V itself "
               "would train D to call fakes real. The two G losses and these gradients with "
               "respect to D's logit on a fake, at a few values of D(G(z)):");
    lesson_code(L, "glosses");
    /* STEP: glosses */
    lesson_print(L, "  D(G(z))   minimax loss  d/ds      non-sat loss  d/ds\n");
    const float probs[] = {0.001f, 0.01f, 0.1f, 0.5f, 0.9f};
    for (int i = 0; i < 5; i++) {
        float s = logf(probs[i] / (1.0f - probs[i])); /* the logit with sigmoid(s) = p */
        float d_mm, d_ns;
        float l_mm = nn_gan_g_loss_minimax(&d_mm, &s, 1);
        float l_ns = nn_gan_g_loss_nonsat(&d_ns, &s, 1);
        lesson_print(L, "  %7.3f   %+10.4f  %+8.4f   %+10.4f  %+8.4f\n", probs[i], l_mm, d_mm,
                     l_ns, d_ns);
    }
    /* END STEP */
    lesson_say(L,
               "Early in training D easily rejects G's fakes: D(G(z)) is near 0. There the "
               "minimax loss is flat (its gradient -D(G(z)) is about -0.001): G learns "
               "almost nothing, exactly when it most needs to. The non-saturating loss has "
               "gradient -(1 - D(G(z))), about -1 there: the strongest push when G is "
               "worst. Both have the same fixed points, so courses train G with "
               "-log D(G(z)) (lesson 08 measures the difference).");
    {
        float p[99], mm[99], ns[99];
        for (int i = 0; i < 99; i++) {
            p[i] = (float)(i + 1) / 100.0f;
            float s = logf(p[i] / (1.0f - p[i]));
            mm[i] = nn_gan_g_loss_minimax(NULL, &s, 1);
            ns[i] = nn_gan_g_loss_nonsat(NULL, &s, 1);
        }
        const float *ys[2] = {mm, ns};
        const char *names[2] = {"minimax log(1 - D)", "non-saturating -log D"};
        lines(L, "g_losses", "generator losses against D(G(z))", "D(G(z))", "loss", p, ys,
              names, 2, 99);
    }
}

/* Step 2: D* for two Gaussians beside a D fitted to their samples; V(D*, G) and
 * the Jensen-Shannon divergence. */
static void fit_optimal_d(lesson *L, losses_tour *t)
{
    lesson_step(L, "The optimal discriminator");
    lesson_say(L,
               "For a fixed G, the D that maximises V is, at every x,\n\n"
               LESSON_MATH("D^*(x) = \\frac{p_\\text{data}(x)}{p_\\text{data}(x) + p_g(x)}", "D*(x) = p_data(x) / (p_data(x) + p_g(x))") "\n\n"
               "(maximise p_data log D + p_g log(1 - D) point by point: the derivative "
               "p_data / D - p_g / (1 - D) is zero there). Take p_data = N(%g, %g^2) and "
               "p_g = N(%g, %g^2): D* is near 1 where only real data lives, near 0 where "
               "only fakes do, and 1/2 where the two densities cross. Next to it, a small "
               "discriminator (1-32-32-1, leaky ReLU) that only ever sees samples, trained "
               "with the discriminator loss for %d Adam steps of %d real and %d fake "
               "points:",
               (double)mu_data, (double)sd_data, (double)mu_g, (double)sd_g, d_train_steps,
               GAUSS1D_HALF, GAUSS1D_HALF);
    lesson_code(L, "dstar");
    /* STEP: dstar */
    float xs[GRID], pd[GRID], pg[GRID], dstar[GRID], dlearned[GRID];
    for (int i = 0; i < GRID; i++) {
        xs[i] = X_LO + (X_HI - X_LO) * (float)i / (float)(GRID - 1);
        pd[i] = (float)gauss1d_pdf(xs[i], mu_data, sd_data);
        pg[i] = (float)gauss1d_pdf(xs[i], mu_g, sd_g);
        dstar[i] = pd[i] / (pd[i] + pg[i] + 1e-30f);
    }
    nn_rng rng;
    nn_rng_seed(&rng, L->seed, 0);
    nn_model *D = gauss1d_small_d(L, &rng);
    float d_loss = gauss1d_train_d(D, &rng, d_train_steps, mu_data, sd_data, mu_g, sd_g);
    gauss1d_d_on_grid(dlearned, D, xs, GRID);
    /* Compare where there is data to learn from: both densities above 5% of
     * the larger peak. Far out in the tails neither D ever sees a sample. */
    float peak = 0.0f, worst = 0.0f;
    for (int i = 0; i < GRID; i++) peak = fmaxf(peak, fmaxf(pd[i], pg[i]));
    for (int i = 0; i < GRID; i++)
        if (pd[i] + pg[i] > 0.05f * peak) worst = fmaxf(worst, fabsf(dlearned[i] - dstar[i]));
    lesson_print(L, "trained D: last loss %.4f; max |D(x) - D*(x)| where there is data: %.3f\n",
                 d_loss, worst);
    /* END STEP */
    lesson_key(L, "dstar_max_err", "%.4f", worst);
    lesson_key(L, "d_loss_trained", "%.4f", d_loss);
    {
        const float *ys[4] = {pd, pg, dstar, dlearned};
        /* No underscores in legends: gnuplot would read them as subscripts. */
        const char *names[4] = {"density of the data", "density of G's samples",
                                "optimal D*", "D trained on samples"};
        lines(L, "optimal_d", "the optimal discriminator and a trained one", "x",
              "density / probability", xs, ys, names, 4, GRID);
    }
    /* What D* does far out, beside the fitted D. */
    gauss1d_grid g = {mu_data, sd_data, mu_g, sd_g, X_LO, X_HI, GRID, pd, pg, dlearned,
                      d_train_steps};
    gauss1d_say_dstar_tails(L, &g);
    lesson_say(L,
               "\nWhat does G minimise against this best D? Two measures of how far apart "
               "two distributions are. The Kullback-Leibler divergence\n\n"
               LESSON_MATH("\\mathrm{KL}(p \\,\\|\\, q) = \\int p(x) \\log\\frac{p(x)}{q(x)}\\,dx", "KL(p || q) = integral of p(x) log(p(x) / q(x)) dx") "\n\n"
               "is 0 only when p = q and grows where p has mass that q lacks; it is not "
               "symmetric. The Jensen-Shannon divergence compares both distributions with "
               "their average m = (p_data + p_g) / 2:\n\n"
               LESSON_MATH("\\mathrm{JS}(p_\\text{data} \\,\\|\\, p_g) = \\tfrac12 \\mathrm{KL}(p_\\text{data} \\,\\|\\, m) + \\tfrac12 \\mathrm{KL}(p_g \\,\\|\\, m)", "JS(p_data || p_g) = 1/2 KL(p_data || m) + 1/2 KL(p_g || m)") "\n\n"
               "It is symmetric, 0 exactly when p_g = p_data, and at most log 2 (reached "
               "when the two do not overlap at all). Plugging D* into V gives\n\n"
               LESSON_MATH("V(D^*, G) = -\\log 4 + 2\\,\\mathrm{JS}(p_\\text{data} \\,\\|\\, p_g)", "V(D*, G) = -log 4 + 2 JS(p_data || p_g)") "\n\n"
               "so against the best D, the minimax G minimises the Jensen-Shannon "
               "divergence between its distribution and the data's. That link holds for "
               "the minimax game, where G minimises V. The non-saturating loss -log "
               "D(G(z)) the course trains G with is not -V: against the optimal D, "
               "minimising it follows the gradient of KL(p_g || p_data) - 2 JS(p_data || "
               "p_g) (Arjovsky and Bottou 2017, theorem 2.5): a reverse KL, large where G "
               "puts mass without data and small where G misses data, with the JS term "
               "entering with a minus sign. Numerically, on this grid:");
    lesson_code(L, "jsd");
    /* STEP: jsd */
    double v_star = 0.0, jsd = 0.0, dx = (double)(X_HI - X_LO) / (GRID - 1);
    for (int i = 0; i < GRID; i++) {
        double a = pd[i], b = pg[i], m = 0.5 * (a + b);
        if (a > 1e-12) v_star += dx * a * log(a / (a + b));
        if (b > 1e-12) v_star += dx * b * log(b / (a + b));
        if (a > 1e-12) jsd += dx * 0.5 * a * log(a / m);
        if (b > 1e-12) jsd += dx * 0.5 * b * log(b / m);
    }
    lesson_print(L, "V(D*, G) = %.4f    -log 4 + 2 JS = %.4f    JS = %.4f\n", v_star,
                 -log(4.0) + 2.0 * jsd, jsd);
    /* END STEP */
    lesson_key(L, "v_dstar", "%.4f", v_star);
    lesson_key(L, "jsd", "%.4f", jsd);
    t->rng = rng;
    t->D = D;
    memcpy(t->xs, xs, sizeof xs);
    memcpy(t->pd, pd, sizeof pd);
    t->peak = peak;
}

/* Step 3: a D fitted where p_g = p_data stays near 1/2. */
static void reach_equilibrium(lesson *L, losses_tour *t)
{
    nn_rng rng = t->rng;
    const float *xs = t->xs, *pd = t->pd;
    float peak = t->peak;
    lesson_step(L, "The equilibrium: p_g = p_data");
    lesson_say(L,
               "When G draws exactly the data's distribution, D* = p / (p + p) = 1/2 "
               "everywhere: no D can do better than a coin. The D loss is then "
               "-log(1/2) - log(1/2) = 2 log 2 = 1.386 and V = -log 4. This pair is a Nash "
               "equilibrium of the game: neither player gains by changing alone. Against "
               "D = 1/2, V = log(1/2) + log(1/2) whatever G draws, so G cannot lower it; "
               "against p_g = p_data, D* = 1/2 is D's best answer, so D cannot raise it "
               "(Goodfellow et al. 2014, Theorem 1: against the best D, G's criterion is "
               "lowest exactly at p_g = p_data). The same small "
               "discriminator, trained on real and fake samples that both come from "
               "N(%g, %g^2):",
               (double)mu_data, (double)sd_data);
    lesson_code(L, "equilibrium");
    /* STEP: equilibrium */
    nn_model *D_eq = gauss1d_small_d(L, &rng);
    float eq_loss = gauss1d_train_d(D_eq, &rng, d_train_steps, mu_data, sd_data, mu_data, sd_data);
    float deq[GRID];
    gauss1d_d_on_grid(deq, D_eq, xs, GRID);
    float eq_dev = 0.0f;
    for (int i = 0; i < GRID; i++)
        if (pd[i] > 0.05f * peak) eq_dev = fmaxf(eq_dev, fabsf(deq[i] - 0.5f));
    lesson_print(L, "D loss %.4f (2 log 2 = %.4f); max |D(x) - 1/2| where there is data: %.3f\n",
                 eq_loss, 2.0 * log(2.0), eq_dev);
    /* END STEP */
    lesson_key(L, "eq_d_loss", "%.4f", eq_loss);
    lesson_key(L, "eq_max_dev", "%.4f", eq_dev);
    {
        float half[GRID];
        for (int i = 0; i < GRID; i++) half[i] = 0.5f;
        const float *ys[3] = {pd, half, deq};
        const char *names[3] = {"density of data and of G", "optimal D* = 1/2",
                                "D trained on samples"};
        lines(L, "equilibrium", "at equilibrium D cannot tell real from fake", "x",
              "density / probability", xs, ys, names, 3, GRID);
    }
    lesson_say(L,
               "The trained D is not exactly 1/2: each batch is a finite sample, and D "
               "chases its random differences. That noise is all that is left for D to "
               "learn, and it is what a real GAN's D sees near the end of training.");
    nn_model_free(D_eq);
}

/* Step 4: the loss gradients, and G's through the fitted D, against central differences. */
static void check_gradients(lesson *L, losses_tour *t)
{
    nn_model *D = t->D;
    lesson_step(L, "The gradients, checked numerically");
    lesson_say(L,
               "Training back-propagates these formulas (n logits, D = sigmoid(s)):\n\n"
               LESSON_MATH("\\text{D loss: } \\frac{\\partial L}{\\partial s_\\text{real}} = -\\frac{1 - D(x)}{n}, \\quad \\frac{\\partial L}{\\partial s_\\text{fake}} = \\frac{D(G(z))}{n}", "D loss:   dL/ds_real = -(1 - D(x)) / n     dL/ds_fake = D(G(z)) / n") "\n"
               LESSON_MATH("\\text{G loss: } \\frac{\\partial L}{\\partial s_\\text{fake}} = -\\frac{1 - D(G(z))}{n} \\quad \\text{(non-saturating)}", "G loss:   dL/ds_fake = -(1 - D(G(z))) / n  (non-saturating)") "\n\n"
               "A central difference (L(s + h) - L(s - h)) / 2h approximates each one "
               "without any calculus. If the formula and the difference agree (relative "
               "error below about 1e-2 in float32), the formula is right. "
               "Then the same check for the whole path G's gradient takes: the G loss as "
               "a function of the fake samples x, through the trained D.");
    lesson_code(L, "gradcheck");
    /* STEP: gradcheck */
    float sr[4] = {2.0f, 0.5f, -0.3f, 1.2f}, sf[4] = {-1.5f, 0.2f, -3.0f, 0.8f};
    float gr[4], gf[4], gg[4], tmp[4], tmp2[4];
    const float h = 1e-2f;
    double ana[12], num[12];
    nn_gan_d_loss(gr, gf, sr, sf, 4, 4, 1.0f);
    nn_gan_g_loss_nonsat(gg, sf, 4);
    for (int i = 0; i < 4; i++) {
        float keep = sr[i];
        sr[i] = keep + h; double up = nn_gan_d_loss(tmp, tmp2, sr, sf, 4, 4, 1.0f);
        sr[i] = keep - h; double dn = nn_gan_d_loss(tmp, tmp2, sr, sf, 4, 4, 1.0f);
        sr[i] = keep;
        ana[i] = gr[i]; num[i] = (up - dn) / (2.0 * h);
        keep = sf[i];
        sf[i] = keep + h; up = nn_gan_d_loss(tmp, tmp2, sr, sf, 4, 4, 1.0f);
        double gup = nn_gan_g_loss_nonsat(tmp, sf, 4);
        sf[i] = keep - h; dn = nn_gan_d_loss(tmp, tmp2, sr, sf, 4, 4, 1.0f);
        double gdn = nn_gan_g_loss_nonsat(tmp, sf, 4);
        sf[i] = keep;
        ana[4 + i] = gf[i]; num[4 + i] = (up - dn) / (2.0 * h);
        ana[8 + i] = gg[i]; num[8 + i] = (gup - gdn) / (2.0 * h);
    }
    double e_dr = rel_err(ana, num, 4), e_df = rel_err(ana + 4, num + 4, 4);
    double e_g = rel_err(ana + 8, num + 8, 4);
    lesson_print(L, "dL_D/ds_real  formula %+.5f %+.5f %+.5f %+.5f\n", ana[0], ana[1], ana[2], ana[3]);
    lesson_print(L, "              numeric %+.5f %+.5f %+.5f %+.5f  rel. error %.1e\n", num[0],
                 num[1], num[2], num[3], e_dr);
    lesson_print(L, "dL_D/ds_fake  formula %+.5f %+.5f %+.5f %+.5f\n", ana[4], ana[5], ana[6], ana[7]);
    lesson_print(L, "              numeric %+.5f %+.5f %+.5f %+.5f  rel. error %.1e\n", num[4],
                 num[5], num[6], num[7], e_df);
    lesson_print(L, "dL_G/ds_fake  formula %+.5f %+.5f %+.5f %+.5f\n", ana[8], ana[9], ana[10], ana[11]);
    lesson_print(L, "              numeric %+.5f %+.5f %+.5f %+.5f  rel. error %.1e\n", num[8],
                 num[9], num[10], num[11], e_g);

    /* The G loss at fake samples x, through D: back-propagation gives dL/dx.
     * D is piecewise linear (leaky ReLU): a smaller step keeps x + h and
     * x - h on the same piece, where the difference is exact. */
    float x[4] = {-1.05f, -0.55f, -0.15f, 0.35f}, dxa[4] = {0}, ds[4];
    const float hx = 1e-3f;
    const float *s = nn_model_forward(D, x, 4, 0);
    nn_gan_g_loss_nonsat(ds, s, 4);
    nn_model_backward(D, dxa, ds, 4, 0);
    double ax[4], nx[4];
    for (int i = 0; i < 4; i++) {
        float keep = x[i];
        x[i] = keep + hx; double up = g_loss_at(D, x, 4);
        x[i] = keep - hx; double dn = g_loss_at(D, x, 4);
        x[i] = keep;
        ax[i] = dxa[i]; nx[i] = (up - dn) / (2.0 * hx);
    }
    double e_x = rel_err(ax, nx, 4);
    lesson_print(L, "dL_G/dx       backprop %+.5f %+.5f %+.5f %+.5f\n", ax[0], ax[1], ax[2], ax[3]);
    lesson_print(L, "              numeric  %+.5f %+.5f %+.5f %+.5f  rel. error %.1e\n", nx[0],
                 nx[1], nx[2], nx[3], e_x);
    /* END STEP */
    double worst_err = fmax(fmax(e_dr, e_df), fmax(e_g, e_x));
    lesson_key(L, "grad_rel_err", "%.2e", worst_err);
    int toward = 0; /* samples whose gradient points toward the data */
    for (int i = 0; i < 4; i++) toward += (ax[i] < 0.0) == (x[i] < mu_data);
    lesson_say(L,
               "At %d of these 4 points, all left of the data's mean %g, dL_G/dx is "
               "negative: moving a fake sample right, toward the data, lowers G's loss. "
               "That is "
               "the whole of G's learning signal: D's slope, at G's samples. Where D is "
               "flat, G learns nothing, which is why the shape of D matters as much as "
               "its accuracy.",
               toward, (double)mu_data);
    if (worst_err > 1e-2)
        lesson_fail(L, LESSON_EXIT_INTERNAL, "a gradient formula disagrees with its central "
                    "difference (relative error %.1e): check nn_gan_d_loss and nn_gan_g_loss_nonsat "
                    "(exercises 7 and 8)", worst_err);
}

int main(int argc, char **argv)
{
    static const lesson_info info = {
        5, "losses", "The losses",
        "The value function V(D, G), the discriminator's loss and the two generator "
        "losses; the optimal discriminator for two 1-D Gaussians next to one the library "
        "trains; the equilibrium D = 1/2; the gradients checked by central differences.",
        5};
    lesson *L = lesson_begin(argc, argv, &info, flags, LESSON_NFLAGS(flags));
    if (L->fast && d_train_steps == 3000) d_train_steps = 300;
    check_exercises(L);
    losses_tour t;

    compare_g_losses(L);
    fit_optimal_d(L, &t);
    reach_equilibrium(L, &t);
    check_gradients(L, &t);
    nn_model_free(t.D);
    return lesson_end(L);
}
