/* Exercise 18: nn_gradpen_interpolate and nn_gradpen_value, WGAN-GP's
 * interpolates and its penalty on the critic's input gradients,
 *   x_hat_i = eps_i real_i + (1 - eps_i) fake_i
 *   P = lambda / n sum_i (||g_i|| - 1)^2,   r = dP/dg (written, 0 on a zero row)
 * Hand-worked with n > 1, PyTorch's values for a 3 -> 4 -> 1 critic (torch's
 * autograd for the input gradients, the penalty, dP/dg and, by double
 * backprop, dP/dweights through the library's nn_gradpen_add, which calls
 * your nn_gradpen_value), and central differences of P. */
#define EX_NUM 18
#define EX_FUNC "nn_gradpen_interpolate / nn_gradpen_value"
#include "exercise_util.h"
#include "nn.h"

#include <string.h>

#define GARBAGE 7.0f

static void fill(float *v, int n, float x)
{
    for (int i = 0; i < n; i++) v[i] = x;
}

/* ---------------------------------------------------------------- by hand */

/* Three rows of two: eps 1 gives the real row, eps 0 the fake row, eps 0.25
 * the point a quarter of the way from fake to real. */
static void test_interpolate_by_hand(void **state)
{
    (void)state;
    const float real[6] = {1, 2, 3, 4, 8, -4}, fake[6] = {-1, -2, 5, 6, 0, 4};
    const float eps[3] = {1.0f, 0.0f, 0.25f};
    const float want[6] = {1, 2, 5, 6, 2, 2};
    float x[6];
    fill(x, 6, GARBAGE);
    nn_gradpen_interpolate(x, real, fake, eps, 3, 2);
    ex_expect(!(x[2] == 3 && x[3] == 4), "eps = 0 gives the real row: x_hat = eps real + "
              "(1 - eps) fake, so eps 0 is the fake one");
    ex_expect(!(x[4] == 6 && x[5] == -2), "eps = 0.25 gives (6, -2), three quarters of the "
              "way to real: x_hat = eps real + (1 - eps) fake");
    ex_expect(!(x[2] == 1 && x[3] == 4), "row 1 mixes the weights of rows: each row i uses "
              "its own eps[i] for all of its w values");
    ex_expect_close(x, want, 6, 1e-6, "x_hat for eps (1, 0, 0.25) between (1, 2), (3, 4), "
                    "(8, -4) and (-1, -2), (5, 6), (0, 4)");
}

/* lambda 1, n = 3: rows (3, 4), (0, 0), (0.6, 0.8): norms 5, 0, 1;
 *   P = ((5 - 1)^2 + (0 - 1)^2 + (1 - 1)^2) / 3 = 17 / 3; mean norm 2
 *   r_0 = 2/3 * (5 - 1) * (3, 4) / 5 = (1.6, 2.1333), r_1 = 0 (no direction),
 *   r_2 = 0 (norm 1: nothing to correct).                                  */
static void test_value_by_hand(void **state)
{
    (void)state;
    const float g[6] = {3, 4, 0, 0, 0.6f, 0.8f};
    float r[6], mean = -1.0f;
    fill(r, 6, GARBAGE);
    float P = nn_gradpen_value(r, g, 3, 2, 1.0f, &mean);
    if (fabs(P - 17.0 / 3.0) > 1e-5) {
        ex_expect(fabs(P - 17.0) > 1e-4, "P is %g: the sum over rows; P is lambda times the "
                  "MEAN (expected 17 / 3)", (double)P);
        ex_expect(fabs(P - 16.0 / 3.0) > 1e-4, "P is %g: the zero row counts too, (0 - 1)^2 "
                  "= 1 (expected 17 / 3)", (double)P);
        ex_expect(fabs(P - (4.0 + 1.0 + 0.0) / 3.0) > 1e-4, "P is %g: (||g|| - 1), not "
                  "squared (expected 17 / 3)", (double)P);
        ex_expect(fabs(P - (24.0 + 1.0 + 0.0) / 3.0) > 1e-4, "P is %g: (||g||^2 - 1)^2? "
                  "The norm is the square root of the sum of squares (expected 17 / 3)",
                  (double)P);
    }
    ex_expect_near(P, 17.0 / 3.0, 1e-5, "P for rows (3, 4), (0, 0), (0.6, 0.8), lambda 1");
    ex_expect_near(mean, 2.0, 1e-6, "the mean norm for rows (3, 4), (0, 0), (0.6, 0.8)");
    ex_expect(isfinite(r[2]) && isfinite(r[3]), "r for the zero row is %g, %g: divide by "
              "the norm only where it is not 0; that row gets 0", (double)r[2], (double)r[3]);
    const float want[6] = {1.6f, 32.0f / 15.0f, 0, 0, 0, 0};
    ex_expect(!(r[0] == GARBAGE), "r was not written");
    ex_expect(!(fabs(r[0] - 4.8) < 1e-5), "r_0 is 4.8, the gradient without 1/n (n = 3)");
    ex_expect(!(fabs(r[0] - 8.0) < 1e-4 && fabs(r[1] - 32.0 / 3.0) < 1e-4),
              "r_0 for the row g = (3, 4) is (8, 10.667), expected (1.6, 2.1333): the unit "
              "vector is missing; the norm's derivative is g / ||g||, so r_i = lambda 2 "
              "(||g_i|| - 1) g_i / ||g_i|| / n (here g / 5)");
    ex_expect(!(fabs(r[0] - 0.32) < 1e-5 && fabs(r[1] - 32.0 / 75.0) < 1e-5),
              "r_0 for the row g = (3, 4) is (0.32, 0.42667), expected (1.6, 2.1333): it "
              "was divided by ||g||^2 = 25; the norm's derivative is g / ||g|| (here g / 5)");
    ex_expect_close(r, want, 6, 1e-5, "r = dP/dg for rows (3, 4), (0, 0), (0.6, 0.8)");
    /* mean_norm may be NULL. */
    ex_expect_near(nn_gradpen_value(r, g, 3, 2, 2.0f, NULL), 34.0 / 3.0, 1e-5,
                   "P with lambda 2 and mean_norm NULL");
}

/* ---------------------------------------------------------------- PyTorch */

/* From tests/reference/exercise_wasserstein.py: D = Linear(3, 4),
 * LeakyReLU(0.2), Linear(4, 1), torch.manual_seed(18) weights times 2, in
 * gansteps' layout (each layer's weight (out, in), then its bias); real,
 * fake = randn(4, 3), eps = rand(4, 1), lambda 10;
 *   g = torch.autograd.grad(D(x_hat).sum(), x_hat, create_graph=True)[0]
 *   P = 10 * ((g.norm(dim=1) - 1) ** 2).mean(); P.backward()
 * gp_r_ref is autograd's dP/dg on a leaf copy of g. */
static const float gp_params[21] = {
    -0.00968485139f, -0.0952474922f, -0.240029261f, 0.582257926f, 0.974516153f, 0.241303489f,
    0.118002996f, 0.101802573f, -0.758256495f, -0.653711319f, -1.07412398f, 1.02935243f,
    0.0508693494f, -0.498326868f, 0.926612377f, 0.462205589f, 0.567832708f, 0.0105259418f,
    -0.507368803f, 0.254393101f, 0.488188386f,
};
static const float gp_real[12] = {
    0.0751322856f, 0.302202067f, 0.188452283f, 0.358010513f, -1.63342975f, -1.21782785f,
    -0.48482981f, 0.284895871f, -1.34323231f, -0.981234578f, 2.67460213f, -1.15915245f,
};
static const float gp_fake[12] = {
    -1.44333507f, -0.528709512f, 0.728205465f, 0.906579696f, -0.631580388f, 0.596636115f,
    -0.180063072f, -2.28312641f, 0.917423498f, -0.925411154f, 0.305327738f, -0.441577409f,
};
static const float gp_eps[4] = {0.743547054f, 0.34691797f, 0.335881061f, 0.411340968f};
static const float gp_x_hat[12] = {
    -0.314283142f, 0.089112345f, 0.326873577f, 0.716271189f, -0.979139934f, -0.0328340406f,
    -0.282428448f, -1.42057636f, 0.158112025f, -0.948373615f, 1.27990736f, -0.73674542f,
};
static const float gp_g[12] = {
    -0.226044801f, -0.333666567f, 0.619824542f, -0.230444301f, -0.37693428f, 0.51078737f,
    -0.230444301f, -0.37693428f, 0.51078737f, -0.092501531f, -0.150128336f, 0.303331203f,
};
static const double gp_P_ref = 1.75032807;
static const double gp_mean_norm_ref = 0.610220158;
static const float gp_dparams[21] = {
    1.16019785f, 1.88432444f, -3.11173882f, 0.0121780121f, 0.0196711109f, -0.0370052341f,
    -1.19840098f, -1.92242845f, 3.22390177f, 0.426728649f, 0.681263995f, -1.04539487f,
    0.0f, 0.0f, 0.0f, 0.0f, 0.979504769f, 1.64650989f,
    5.4825356f, -8.20304907f, 0.0f,
};
static const float gp_r_ref[12] = {
    0.3984853f, 0.58820739f, -1.09266379f, 0.553907105f, 0.906017528f, -1.22775331f,
    0.553907105f, 0.906017528f, -1.22775331f, 0.855692352f, 1.38877344f, -2.80598805f,
};

static void test_pytorch_pieces(void **state)
{
    (void)state;
    float x[12], r[12], mean = -1.0f;
    fill(x, 12, GARBAGE);
    nn_gradpen_interpolate(x, gp_real, gp_fake, gp_eps, 4, 3);
    ex_expect_close(x, gp_x_hat, 12, 1e-6, "x_hat against PyTorch (4 rows of 3)");
    fill(r, 12, GARBAGE);
    float P = nn_gradpen_value(r, gp_g, 4, 3, 10.0f, &mean);
    ex_expect_near(P, gp_P_ref, 1e-5 * gp_P_ref, "P against PyTorch (lambda 10, 4 rows)");
    ex_expect_near(mean, gp_mean_norm_ref, 1e-6, "the mean norm against PyTorch");
    ex_expect_close(r, gp_r_ref, 12, 1e-5, "r = dP/dg against PyTorch's autograd");
}

/* The whole penalty through the library: nn_gradpen_add runs the critic,
 * finds g, calls your nn_gradpen_value and turns r into the weight
 * gradient; PyTorch's double backprop gives the same. */
static void test_pytorch_weight_gradient(void **state)
{
    (void)state;
    static const nn_layer_spec specs[] = {{.kind = NN_LAYER_LINEAR, .out = 4},
                                          {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
                                          {.kind = NN_LAYER_LINEAR, .out = 1}};
    nn_error err;
    nn_model *m = nn_model_create(3, specs, 3, 4, &err);
    ex_expect(m && m->n_params == 21, "(test) the 3 -> 4 -> 1 critic was not built");
    memcpy(m->params, gp_params, sizeof gp_params);
    nn_gradpen gp;
    ex_expect(nn_gradpen_init(&gp, m, &err) == NN_OK, "(test) %s", err.msg);
    nn_model_zero_grad(m);
    float mean = -1.0f;
    float P = nn_gradpen_add(&gp, m, gp_x_hat, 4, 10.0f, &mean);
    float grads[21];
    memcpy(grads, m->grads, sizeof grads);
    nn_gradpen_free(&gp);
    nn_model_free(m);
    ex_expect_near(P, gp_P_ref, 1e-5 * gp_P_ref, "the penalty through nn_gradpen_add, "
                   "against PyTorch");
    ex_expect_close(grads, gp_dparams, 21, 1e-4, "dP/d(critic's weights) through "
                    "nn_gradpen_add (your r is where it starts), against PyTorch's double "
                    "backprop");
}

/* ---------------------------------------------------------------- gradient check */

static void test_central_differences(void **state)
{
    (void)state;
    float g[12], r[12], nd[12], scratch[12];
    memcpy(g, gp_g, sizeof g);
    g[0] = 0.9f; /* a row with norm above 1 too */
    g[1] = 0.8f;
    const float h = 1e-3f;
    for (int k = 0; k < 12; k++) {
        const float keep = g[k];
        g[k] = keep + h;
        const double up = nn_gradpen_value(scratch, g, 4, 3, 10.0f, NULL);
        g[k] = keep - h;
        const double down = nn_gradpen_value(scratch, g, 4, 3, 10.0f, NULL);
        g[k] = keep;
        nd[k] = (float)((up - down) / (2.0 * h));
    }
    nn_gradpen_value(r, g, 4, 3, 10.0f, NULL);
    int zero = 1;
    for (int k = 0; k < 12; k++) zero &= nd[k] == 0.0f;
    ex_expect(!zero, "P does not change when g does (its central differences are 0): is "
              "nn_gradpen_value written yet?");
    ex_expect_close(r, nd, 12, 2e-3, "r = dP/dg against central differences of your P");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_interpolate_by_hand),
        cmocka_unit_test(test_value_by_hand),
        cmocka_unit_test(test_pytorch_pieces),
        cmocka_unit_test(test_pytorch_weight_gradient),
        cmocka_unit_test(test_central_differences),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
