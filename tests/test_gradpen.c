/* test_gradpen.c - the WGAN-GP gradient penalty: two critics worked by hand,
 * torch's double backprop, a central-difference check of the weight
 * gradient, the zero-gradient row, and the layers it refuses. */
#include "testutil.h"

#include <math.h>
#include <string.h>

#include "nn/gradcheck.h"
#include "nn/gradpen.h"
#include "nn/model.h"
#include "base/rng.h"

/* ------------------------------------------------------------ torch reference
 * Produced by tests/reference/gradpen_torch.py: nn.Sequential(Linear(3,5),
 * LeakyReLU(0.2), Linear(5,4), ReLU(), Linear(4,1)), torch.manual_seed(0)
 * weights scaled by 2.5, x = randn(6, 3), lambda 10;
 *   g = torch.autograd.grad(D(x).sum(), x, create_graph=True)[0]
 *   P = 10 * ((g.norm(dim=1) - 1) ** 2).mean(); P.backward()
 * REF_DPARAMS is torch.cat of every p.grad (0 for the last bias, which torch
 * leaves None) in gansteps' block layout. */
static const float REF_PARAMS[49] = {
    -0.0108062942f, 0.774289608f, -1.18796337f, -1.06223655f, -0.555922449f, 0.387051821f,
    -0.0285978615f, 1.14443731f, -0.128090993f, 0.381935298f, -0.436206996f, -0.283717692f,
    -1.37892675f, -0.955921888f, -0.594992757f, 0.0534677878f, 0.570617199f, 0.86605835f,
    -0.978523612f, -0.628536403f, 0.406089097f, 0.928401947f, -0.230091587f, 0.836637974f,
    -0.180208474f, 0.118303753f, 1.01235318f, -1.03716707f, -0.703844786f, -0.283047348f,
    -0.435809612f, 0.965982199f, -0.724686921f, -0.514667749f, -0.78110373f, -1.04710698f,
    -0.652641654f, 0.961059809f, 0.4988873f, 0.541880369f, 0.0587991551f, -0.573197544f,
    0.189154223f, -1.0439024f, -0.903207779f, -0.644412518f, 0.788672447f, 0.732901573f,
    -0.554368794f,
};
static const float REF_X[18] = {
    0.872831225f, 1.05535746f, 1.28987408f, -1.47817397f, 2.56723285f, -0.473119795f,
    0.335550755f, 1.50912189f, 2.08195543f, 1.70671165f, -0.499681532f, -1.06698036f,
    1.11493957f, -0.140671432f, 0.805753589f, 0.327614307f, -0.7607072f, -1.59908199f,
};
static const float REF_DPARAMS[49] = {
    0.331795007f, 0.600082815f, 0.390447319f, 0.950580597f, 0.947482109f, 0.142459527f,
    -0.236708909f, -1.71318209f, 0.0683725327f, -0.0370820761f, 0.374748439f, 0.75126195f,
    -0.152680039f, -0.319447935f, 0.0173938945f, 0.0f, 0.0f, 0.0f,
    0.0f, 0.0f, -0.230535403f, -1.33370697f, 1.12997329f, -0.540331602f,
    -1.79693115f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f,
    0.185183689f, -0.103300318f, 0.82679081f, -0.0404269919f, -0.0931681544f, -0.163820937f,
    0.219609767f, -1.14816606f, 0.0811372176f, 0.201070949f, 0.0f, 0.0f,
    0.0f, 0.0f, 1.90440249f, 0.0f, -0.869911373f, -1.26321173f,
    0.0f,
};
#define REF_P 0.732696354f
#define REF_MEAN_NORM 0.760132551f

static const nn_layer_spec REF_SPECS[] = {{.kind = NN_LAYER_LINEAR, .out = 5},
                                          {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
                                          {.kind = NN_LAYER_LINEAR, .out = 4},
                                          {.kind = NN_LAYER_RELU},
                                          {.kind = NN_LAYER_LINEAR, .out = 1}};

static void test_vs_torch(void **state)
{
    (void)state;
    nn_error err;
    nn_model *m = nn_model_create(3, REF_SPECS, 5, 8, &err);
    assert_non_null(m);
    assert_int_equal(m->n_params, 49);
    memcpy(m->params, REF_PARAMS, sizeof REF_PARAMS);
    nn_gradpen gp;
    assert_int_equal(nn_gradpen_init(&gp, m, &err), NN_OK);
    nn_model_zero_grad(m);
    float norm = 0.0f;
    float p = nn_gradpen_add(&gp, m, REF_X, 6, 10.0f, &norm);
    assert_close(p, REF_P, 1e-5 * REF_P);
    assert_close(norm, REF_MEAN_NORM, 1e-5 * REF_MEAN_NORM);
    assert_rel_close(m->grads, REF_DPARAMS, 49, 1e-5);
    /* Each layer on its own, so a small block is not hidden by a large one. */
    for (int i = 0, off = 0; i < 5; i++) {
        const nn_layer *l = &m->layers[i];
        if (!l->w) continue;
        assert_rel_close(l->dw, REF_DPARAMS + off, (size_t)l->out * l->in, 1e-5);
        off += l->out * l->in + l->out;
    }
    /* It adds, as every backward does: a second call doubles the gradient. */
    nn_gradpen_add(&gp, m, REF_X, 6, 10.0f, NULL);
    for (size_t i = 0; i < 49; i++) assert_close(m->grads[i], 2.0 * REF_DPARAMS[i], 1e-5);
    nn_gradpen_free(&gp);
    nn_model_free(m);
}

/* -------------------------------------------------------------- by hand */

/* A critic of these layers with every parameter 0 (each test sets the few it
 * needs), zeroed gradients and penalty scratch; free with free_critic. */
static nn_model *zero_critic(const nn_layer_spec *specs, int n_layers, int in, int max_batch,
                             nn_gradpen *gp)
{
    nn_model *m = nn_model_create(in, specs, n_layers, max_batch, NULL);
    assert_non_null(m);
    memset(m->params, 0, m->n_params * sizeof(float));
    nn_model_zero_grad(m);
    assert_int_equal(nn_gradpen_init(gp, m, NULL), NN_OK);
    return m;
}

static void free_critic(nn_model *m, nn_gradpen *gp)
{
    nn_gradpen_free(gp);
    nn_model_free(m);
}

static void test_linear_critic_by_hand(void **state)
{
    (void)state;
    /* D(x) = 3 x0 + 4 x1 + 0.5: grad_x D = (3, 4) everywhere, norm 5, so
     * P = lambda (5 - 1)^2 = 16 lambda, and
     * dP/dw = 2 lambda (5 - 1) w / 5 = lambda (4.8, 6.4); the bias gets 0. */
    const nn_layer_spec specs[] = {{.kind = NN_LAYER_LINEAR, .out = 1}};
    nn_gradpen gp;
    nn_model *m = zero_critic(specs, 1, 2, 4, &gp);
    m->layers[0].w[0] = 3.0f;
    m->layers[0].w[1] = 4.0f;
    m->layers[0].b[0] = 0.5f;
    const float x[6] = {1, 2, -3, 0.5f, 0, 0};
    float norm;
    assert_close(nn_gradpen_add(&gp, m, x, 3, 2.0f, &norm), 32.0, 1e-5);
    assert_close(norm, 5.0, 1e-6);
    assert_close(m->layers[0].dw[0], 9.6, 1e-5);
    assert_close(m->layers[0].dw[1], 12.8, 1e-5);
    assert_close(m->layers[0].db[0], 0.0, 0.0);
    free_critic(m, &gp);
}

/* A reshape is the identity: the same critic after one, the same penalty
 * and the same weight gradient as in test_linear_critic_by_hand. */
static void test_reshape_critic_by_hand(void **state)
{
    (void)state;
    const nn_layer_spec specs[] = {{.kind = NN_LAYER_RESHAPE, .c = 2, .h = 1, .w = 1},
                                   {.kind = NN_LAYER_LINEAR, .out = 1}};
    nn_gradpen gp;
    nn_model *m = zero_critic(specs, 2, 2, 4, &gp);
    m->layers[1].w[0] = 3.0f;
    m->layers[1].w[1] = 4.0f;
    const float x[6] = {1, 2, -3, 0.5f, 0, 0};
    float norm;
    assert_close(nn_gradpen_add(&gp, m, x, 3, 2.0f, &norm), 32.0, 1e-5);
    assert_close(norm, 5.0, 1e-6);
    assert_close(m->layers[1].dw[0], 9.6, 1e-5);
    assert_close(m->layers[1].dw[1], 12.8, 1e-5);
    free_critic(m, &gp);
}

static void test_relu_critic_by_hand(void **state)
{
    (void)state;
    /* D(x) = v . relu(W x) with W = I, v = (2, 3), at x = (1, -1): only the
     * first unit is on, so grad_x D = (2, 0), norm 2, P = lambda (2 - 1)^2.
     * norm = v0 sqrt(W00^2 + W01^2) near this point, hence
     *   dP/dW00 = 2 lambda (norm - 1) v0 W00 / sqrt(W00^2 + W01^2) = 4 lambda,
     *   dP/dW01 = 0 (W01 is 0),
     *   dP/dv0 = 2 lambda (norm - 1) = 2 lambda,
     * and the off unit's weights and v1 get nothing. */
    const nn_layer_spec specs[] = {{.kind = NN_LAYER_LINEAR, .out = 2}, {.kind = NN_LAYER_RELU},
                                   {.kind = NN_LAYER_LINEAR, .out = 1}};
    nn_gradpen gp;
    nn_model *m = zero_critic(specs, 3, 2, 1, &gp);
    nn_layer *l0 = &m->layers[0], *l2 = &m->layers[2];
    l0->w[0] = l0->w[3] = 1.0f;
    l2->w[0] = 2.0f;
    l2->w[1] = 3.0f;
    const float x[2] = {1.0f, -1.0f};
    assert_close(nn_gradpen_add(&gp, m, x, 1, 0.5f, NULL), 0.5, 1e-6);
    const float dw0[4] = {2.0f, 0.0f, 0.0f, 0.0f}, dv[2] = {1.0f, 0.0f};
    assert_rel_close(l0->dw, dw0, 4, 1e-6);
    assert_rel_close(l2->dw, dv, 2, 1e-6);
    assert_close(l0->db[0], 0.0, 0.0);
    assert_close(l2->db[0], 0.0, 0.0);
    free_critic(m, &gp);
}

/* ------------------------------------------------------ central differences */

typedef struct {
    nn_model *m;
    nn_gradpen *gp;
    const float *x;
    int n;
    float *saved; /* (n_params): the analytic gradient while pen_loss runs */
} pen_ctx;

static double pen_loss(void *ctx)
{
    pen_ctx *c = ctx;
    /* Only the value is wanted; the gradient the call also adds must not
     * land on the analytic one the checker compares against. */
    memcpy(c->saved, c->m->grads, c->m->n_params * sizeof(float));
    double p = nn_gradpen_add(c->gp, c->m, c->x, c->n, 10.0f, NULL);
    memcpy(c->m->grads, c->saved, c->m->n_params * sizeof(float));
    return p;
}

static void pen_grad(void *ctx)
{
    pen_ctx *c = ctx;
    nn_model_zero_grad(c->m);
    nn_gradpen_add(c->gp, c->m, c->x, c->n, 10.0f, NULL);
}

/* Smallest distance of any (leaky) ReLU input from its kink. */
static float kink_margin(const nn_model *m, int n)
{
    float margin = INFINITY;
    for (int i = 1; i < m->n_layers; i++) {
        nn_layer_kind k = m->layers[i].spec.kind;
        if (k != NN_LAYER_RELU && k != NN_LAYER_LEAKY_RELU) continue;
        const float *in = m->layers[i - 1].y;
        for (int j = 0; j < n * m->layers[i].in; j++) margin = fminf(margin, fabsf(in[j]));
    }
    return margin;
}

static void test_gradcheck_weights(void **state)
{
    (void)state;
    const nn_layer_spec specs[] = {{.kind = NN_LAYER_LINEAR, .out = 8},
                                   {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
                                   {.kind = NN_LAYER_LINEAR, .out = 6}, {.kind = NN_LAYER_RELU},
                                   {.kind = NN_LAYER_LINEAR, .out = 1}};
    nn_model *m = nn_model_create(4, specs, 5, 5, NULL);
    assert_non_null(m);
    nn_gradpen gp;
    assert_int_equal(nn_gradpen_init(&gp, m, NULL), NN_OK);
    /* The first seed (a fixed search) whose inputs keep every unit 0.05 from
     * its kink, far more than the step h = 1e-3 moves it: P is smooth there. */
    nn_rng r;
    float x[5 * 4];
    uint64_t seed;
    for (seed = 1; seed <= 500; seed++) {
        nn_rng_seed(&r, seed, 0);
        nn_model_init(m, &r, NN_INIT_XAVIER_NORMAL);
        nn_rng_fill_normal(&r, x, 20, 0.0f, 1.0f);
        nn_model_forward(m, x, 5, 1);
        if (kink_margin(m, 5) > 0.05f) break;
    }
    assert_true(seed <= 500);
    /* Every weight block is a variable; biases are checked to get 0 below. */
    nn_gradcheck_var vars[3];
    for (int i = 0, k = 0; i < 5; i++)
        if (m->layers[i].w)
            vars[k++] = (nn_gradcheck_var){"w", m->layers[i].w, m->layers[i].dw,
                                           (size_t)m->layers[i].out * m->layers[i].in};
    float saved[200];
    assert_true(m->n_params <= 200);
    pen_ctx c = {m, &gp, x, 5, saved};
    nn_gradcheck_report rep;
    double rel = nn_gradcheck(pen_loss, pen_grad, &c, vars, 3, 1e-3f, 0, &rep);
    if (!(rel < 1e-2)) print_error("seed %llu, worst %s[%zu]: rel %.3g\n",
                                   (unsigned long long)seed, rep.worst, rep.worst_index, rel);
    assert_true(rel < 1e-2);
    assert_int_equal(rep.zero_grad, 0);
    /* Biases move only the kinks, which no step here crosses. */
    pen_grad(&c);
    for (int i = 0; i < 5; i++)
        if (m->layers[i].b)
            for (int j = 0; j < m->layers[i].out; j++) assert_close(m->layers[i].db[j], 0.0, 0.0);
    nn_gradpen_free(&gp);
    nn_model_free(m);
}

/* A critic with no slope anywhere: P = lambda per row and no gradient at
 * all, rather than the 0/0 of the norm's direction. */
static void test_zero_gradient_is_finite(void **state)
{
    (void)state;
    const nn_layer_spec specs[] = {{.kind = NN_LAYER_LINEAR, .out = 3},
                                   {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
                                   {.kind = NN_LAYER_LINEAR, .out = 1}};
    nn_gradpen gp;
    nn_model *m = zero_critic(specs, 3, 2, 2, &gp);
    const float x[4] = {1, 2, 3, 4};
    float norm = -1.0f;
    assert_close(nn_gradpen_add(&gp, m, x, 2, 10.0f, &norm), 10.0, 0.0);
    assert_close(norm, 0.0, 0.0);
    for (size_t i = 0; i < m->n_params; i++) assert_close(m->grads[i], 0.0, 0.0);
    free_critic(m, &gp);
}

/* ---------------------------------------------------------------- refusals */

static void expect_refused(const nn_layer_spec *specs, int n, const char *needle)
{
    nn_model *m = nn_model_create(2, specs, n, 4, NULL);
    assert_non_null(m);
    nn_gradpen gp;
    nn_error err = {0};
    assert_int_equal(nn_gradpen_init(&gp, m, &err), NN_ERR_ARG);
    if (!strstr(err.msg, needle)) print_error("message: %s\n", err.msg);
    assert_non_null(strstr(err.msg, needle));
    nn_gradpen_free(&gp); /* safe: init left it zeroed */
    nn_model_free(m);
}

static void test_refuses_what_it_cannot_differentiate(void **state)
{
    (void)state;
    /* Curved activations and batch-coupled layers have second derivatives
     * this method leaves out; the message names the layer. */
    const nn_layer_spec tanh_d[] = {{.kind = NN_LAYER_LINEAR, .out = 3}, {.kind = NN_LAYER_TANH},
                                    {.kind = NN_LAYER_LINEAR, .out = 1}};
    expect_refused(tanh_d, 3, "layer 1 is tanh");
    const nn_layer_spec bn_d[] = {{.kind = NN_LAYER_LINEAR, .out = 3}, {.kind = NN_LAYER_BATCHNORM},
                                  {.kind = NN_LAYER_LINEAR, .out = 1}};
    expect_refused(bn_d, 3, "layer 1 is batchnorm");
    const nn_layer_spec mbstd_d[] = {{.kind = NN_LAYER_LINEAR, .out = 3}, {.kind = NN_LAYER_MBSTD},
                                     {.kind = NN_LAYER_LINEAR, .out = 1}};
    expect_refused(mbstd_d, 3, "layer 1 is mbstd");
    /* Convolutions are linear, but the penalty's second pass only knows the
     * linear layer's product: they are refused by name, after a reshape,
     * which is accepted. */
    const nn_layer_spec conv_d[] = {{.kind = NN_LAYER_RESHAPE, .c = 1, .h = 1, .w = 2},
                                    {.kind = NN_LAYER_CONV2D, .out = 2, .kernel = 1, .stride = 1},
                                    {.kind = NN_LAYER_LINEAR, .out = 1}};
    expect_refused(conv_d, 3, "layer 1 is conv2d");
    const nn_layer_spec convt_d[] = {{.kind = NN_LAYER_RESHAPE, .c = 2, .h = 1, .w = 1},
                                     {.kind = NN_LAYER_CONVT2D, .out = 1, .kernel = 2, .stride = 1},
                                     {.kind = NN_LAYER_LINEAR, .out = 1}};
    expect_refused(convt_d, 3, "layer 1 is conv_transpose2d");
    const nn_layer_spec bn2_d[] = {{.kind = NN_LAYER_RESHAPE, .c = 2, .h = 1, .w = 1},
                                   {.kind = NN_LAYER_BATCHNORM2D},
                                   {.kind = NN_LAYER_LINEAR, .out = 1}};
    expect_refused(bn2_d, 3, "layer 1 is batchnorm2d");
    /* A critic gives one score per row. */
    const nn_layer_spec two_out[] = {{.kind = NN_LAYER_LINEAR, .out = 2}};
    expect_refused(two_out, 1, "1 output");
    const nn_layer_spec relu_last[] = {{.kind = NN_LAYER_LINEAR, .out = 1},
                                       {.kind = NN_LAYER_RELU}};
    expect_refused(relu_last, 2, "end in a linear layer");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vs_torch),
        cmocka_unit_test(test_linear_critic_by_hand),
        cmocka_unit_test(test_reshape_critic_by_hand),
        cmocka_unit_test(test_relu_critic_by_hand),
        cmocka_unit_test(test_gradcheck_weights),
        cmocka_unit_test(test_zero_gradient_is_finite),
        cmocka_unit_test(test_refuses_what_it_cannot_differentiate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
