/* test_optim.c - SGD (momentum), Adam and RMSProp against torch.optim, step by step. */
#include "testutil.h"

#include <math.h>
#include <string.h>

#include "nn/optim.h"

/* The problem of tests/reference/optim_torch.py: params P0 and, at step t,
 * p.grad = G[t-1], then opt.step(). */
static const float P0[6] = {0.5f, -1.25f, 2.0f, 0.0f, -0.3f, 3.5f};
static const float G[3][6] = {{0.1f, -0.2f, 0.3f, -0.4f, 0.05f, 1.5f},
                              {-0.3f, 0.25f, 0.0f, 0.8f, -0.05f, 1.0f},
                              {0.2f, 0.1f, -0.6f, -0.1f, 0.02f, -2.0f}};

/* torch.optim.Adam([p], lr=0.01, betas=(0.9, 0.999), eps=1e-8), after steps 1..3 */
static const float ADAM[3][6] = {
    {0.49000001f, -1.24000001f, 1.99000001f, 0.00999999978f, -0.310000002f, 3.49000001f},
    {0.49494192f, -1.24162734f, 1.98329937f, 0.00633896422f, -0.309473693f, 3.48029637f},
    {0.494754046f, -1.24473381f, 1.9866997f, 0.00423673168f, -0.31082207f, 3.48002338f}};
/* torch.optim.Adam([p], lr=2e-4, betas=(0.5, 0.999), eps=1e-8) (the GAN setting) */
static const float ADAM_GAN[3][6] = {
    {0.499799997f, -1.24979997f, 1.99979997f, 0.00019999998f, -0.300200015f, 3.49979997f},
    {0.499949038f, -1.2498883f, 1.99970567f, 7.35278445e-05f, -0.300133348f, 3.49961686f},
    {0.499909371f, -1.24999154f, 1.99986053f, 2.95351711e-05f, -0.300153553f, 3.49969959f}};
/* torch.optim.Adam([p], lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.1) */
static const float ADAM_WD[3][6] = {
    {0.49000001f, -1.24000001f, 1.99000001f, 0.00999999978f, -0.310000002f, 3.49000001f},
    {0.492952466f, -1.236444f, 1.98102188f, 0.00633431133f, -0.304380864f, 3.48020101f},
    {0.49054271f, -1.23326874f, 1.97928786f, 0.00422310922f, -0.299277455f, 3.47779989f}};
/* torch.optim.Adam([p], lr=0.01, betas=(0.9, 0.999), eps=0.1): a large eps
 * tells apart eps added to sqrt(v)/sqrt(1-b2^t) (torch) from eps inside. */
static const float ADAM_EPS[3][6] = {
    {0.495000005f, -1.24333334f, 1.99249995f, 0.00799999945f, -0.303333342f, 3.4906249f},
    {0.498414993f, -1.24446213f, 1.98794639f, 0.00483872974f, -0.303157896f, 3.48162723f},
    {0.498286575f, -1.24651062f, 1.9906491f, 0.00307580363f, -0.303559512f, 3.48137069f}};
/* torch.optim.SGD([p], lr=0.1, momentum=0.9) */
static const float SGD_MOM[3][6] = {
    {0.49000001f, -1.23000002f, 1.97000003f, 0.0400000028f, -0.305000007f, 3.3499999f},
    {0.511000037f, -1.23699999f, 1.94300008f, -0.00400000066f, -0.304500014f, 3.11500001f},
    {0.509900033f, -1.25329995f, 1.97870004f, -0.0336000063f, -0.306050003f, 3.10350013f}};
/* torch.optim.SGD([p], lr=0.1, momentum=0.9, weight_decay=0.01) */
static const float SGD_MOM_WD[3][6] = {
    {0.489499986f, -1.22874999f, 1.96800005f, 0.0400000028f, -0.304700017f, 3.34649992f},
    {0.509560466f, -1.23339629f, 1.93723202f, -0.00404000143f, -0.303625315f, 3.10500336f},
    {0.50710535f, -1.24634457f, 1.96760356f, -0.033671964f, -0.304354459f, 3.08455157f}};
/* torch.optim.SGD([p], lr=0.1) */
static const float SGD_PLAIN[3][6] = {
    {0.49000001f, -1.23000002f, 1.97000003f, 0.0400000028f, -0.305000007f, 3.3499999f},
    {0.520000041f, -1.255f, 1.97000003f, -0.0399999991f, -0.300000012f, 3.25f},
    {0.50000006f, -1.26499999f, 2.02999997f, -0.0299999993f, -0.302000016f, 3.45000005f}};

static void check_adam(const nn_adam *opt, const float expect[3][6])
{
    float p[6], m[6] = {0}, v[6] = {0};
    memcpy(p, P0, sizeof p);
    for (int t = 1; t <= 3; t++) {
        nn_adam_step(opt, t, p, G[t - 1], m, v, 6);
        assert_rel_close(p, expect[t - 1], 6, 1e-6);
    }
}

static void check_sgd(const nn_sgd *opt, const float expect[3][6])
{
    float p[6], vel[6] = {0};
    memcpy(p, P0, sizeof p);
    for (int t = 0; t < 3; t++) {
        nn_sgd_step(opt, p, G[t], vel, 6);
        assert_rel_close(p, expect[t], 6, 1e-6);
    }
}

static void test_adam_vs_torch(void **state)
{
    (void)state;
    nn_adam opt = {0.01f, 0.9f, 0.999f, 1e-8f, 0.0f};
    check_adam(&opt, ADAM);
}

static void test_adam_gan_defaults_vs_torch(void **state)
{
    (void)state;
    nn_adam opt = nn_adam_gan_defaults();
    assert_true(opt.lr == 2e-4f && opt.beta1 == 0.5f && opt.beta2 == 0.999f);
    assert_true(opt.eps == 1e-8f && opt.weight_decay == 0.0f);
    check_adam(&opt, ADAM_GAN);
}

static void test_adam_weight_decay_vs_torch(void **state)
{
    (void)state;
    nn_adam opt = {0.01f, 0.9f, 0.999f, 1e-8f, 0.1f};
    check_adam(&opt, ADAM_WD);
}

static void test_adam_eps_placement_vs_torch(void **state)
{
    (void)state;
    nn_adam opt = {0.01f, 0.9f, 0.999f, 0.1f, 0.0f};
    check_adam(&opt, ADAM_EPS);
}

static void test_adam_first_step_by_hand(void **state)
{
    (void)state;
    /* Step 1: m = (1-b1) g, v = (1-b2) g^2; bias correction turns them back
     * into g and g^2, so p -= lr * g / (|g| + eps): a step of exactly lr
     * against the sign of g, whatever g's size, and none where g = 0. */
    nn_adam opt = {0.1f, 0.9f, 0.999f, 1e-8f, 0.0f};
    float p[4] = {1.0f, 1.0f, 1.0f, 1.0f};
    const float g[4] = {1000.0f, -0.001f, 0.0f, 3.0f};
    float m[4] = {0}, v[4] = {0};
    nn_adam_step(&opt, 1, p, g, m, v, 4);
    const float expect[4] = {0.9f, 1.1f, 1.0f, 0.9f};
    assert_rel_close(p, expect, 4, 1e-6);
    const float m_expect[4] = {100.0f, -0.0001f, 0.0f, 0.3f};
    assert_rel_close(m, m_expect, 4, 1e-6);
    /* (1 - 0.999f) is 0.000999987 in float32, as in torch: compare relatively. */
    assert_close(v[0], 0.001 * 1e6, 0.05);
    /* With eps large, the step shrinks: p -= lr * g / (|g| + eps) = 0.1 * 1/2. */
    nn_adam big_eps = {0.1f, 0.9f, 0.999f, 1.0f, 0.0f};
    float q = 0.0f, qm = 0.0f, qv = 0.0f, qg = 1.0f;
    nn_adam_step(&big_eps, 1, &q, &qg, &qm, &qv, 1);
    assert_close(q, -0.05, 1e-7);
}

/* A long block (vector body plus tail) gives bit for bit what updating each
 * element alone gives (n = 1 runs the plain scalar loop), step after step. */
static void test_adam_block_equals_elementwise(void **state)
{
    (void)state;
    enum { N = 1003 };
    static float p[N], g[N], m[N], v[N], q[N], qm[N], qv[N];
    for (int i = 0; i < N; i++) {
        p[i] = q[i] = 0.01f * (float)(i % 37) - 0.2f;
        g[i] = 0.5f * sinf((float)i) + (i % 11 == 0 ? 0.0f : 1e-3f);
    }
    nn_adam opt = {0.01f, 0.9f, 0.999f, 1e-8f, 0.05f};
    for (long t = 1; t <= 4; t++) {
        nn_adam_step(&opt, t, p, g, m, v, N);
        for (int i = 0; i < N; i++) nn_adam_step(&opt, t, &q[i], &g[i], &qm[i], &qv[i], 1);
    }
    assert_memory_equal(p, q, sizeof p);
    assert_memory_equal(m, qm, sizeof m);
    assert_memory_equal(v, qv, sizeof v);
    assert_true(p[5] != 0.01f * 5.0f - 0.2f);   /* it moved */
}

static void test_sgd_momentum_vs_torch(void **state)
{
    (void)state;
    nn_sgd opt = {0.1f, 0.9f, 0.0f};
    check_sgd(&opt, SGD_MOM);
    nn_sgd wd = {0.1f, 0.9f, 0.01f};
    check_sgd(&wd, SGD_MOM_WD);
}

static void test_sgd_plain_vs_torch(void **state)
{
    (void)state;
    nn_sgd opt = {0.1f, 0.0f, 0.0f};
    check_sgd(&opt, SGD_PLAIN);
    /* By hand: one step is p - lr * g. */
    float p = 2.0f, vel = 0.0f;
    const float g = 4.0f;
    nn_sgd_step(&opt, &p, &g, &vel, 1);
    assert_close(p, 1.6, 1e-6);
}

/* torch.optim.RMSprop([p], lr=0.01, alpha=0.99, eps=1e-8), after steps 1..3 */
static const float RMS[3][6] = {
    {0.400000095f, -1.1500001f, 1.9000001f, 0.0999999791f, -0.399999827f, 3.4000001f},
    {0.494915873f, -1.22823977f, 1.9000001f, 0.0104676858f, -0.329111814f, 3.34433699f},
    {0.441252589f, -1.25824416f, 1.98962128f, 0.0216451176f, -0.356518686f, 3.41889739f}};
/* torch.optim.RMSprop([p], lr=0.01, alpha=0.9, eps=1e-8, weight_decay=0.1) */
static const float RMS_WD[3][6] = {
    {0.468377233f, -1.21837723f, 1.96837723f, 0.0316227712f, -0.33162275f, 3.46837711f},
    {0.495943576f, -1.23051524f, 1.95625687f, 0.00303070061f, -0.300792217f, 3.44912529f},
    {0.474712402f, -1.22822011f, 1.97645319f, 0.00674592238f, -0.296883643f, 3.46870685f}};

static void check_rmsprop(const nn_rmsprop *opt, const float want[3][6])
{
    float p[6], v[6] = {0};
    memcpy(p, P0, sizeof p);
    for (int t = 0; t < 3; t++) {
        nn_rmsprop_step(opt, p, G[t], v, 6);
        assert_rel_close(p, want[t], 6, 1e-5);
    }
}

static void test_rmsprop_vs_torch(void **state)
{
    (void)state;
    nn_rmsprop opt = {.lr = 0.01f, .alpha = 0.99f, .eps = 1e-8f};
    check_rmsprop(&opt, RMS);
    nn_rmsprop wd = {.lr = 0.01f, .alpha = 0.9f, .eps = 1e-8f, .weight_decay = 0.1f};
    check_rmsprop(&wd, RMS_WD);
    /* By hand: the first step from v = 0 is lr g / (sqrt(0.01 g^2) + eps) =
     * 10 lr sign(g), whatever the gradient's size. */
    float p = 1.0f, v = 0.0f;
    const float g = 1e-3f;
    nn_rmsprop_step(&opt, &p, &g, &v, 1);
    assert_close(p, 0.9, 1e-5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_adam_vs_torch),
        cmocka_unit_test(test_adam_gan_defaults_vs_torch),
        cmocka_unit_test(test_adam_weight_decay_vs_torch),
        cmocka_unit_test(test_adam_eps_placement_vs_torch),
        cmocka_unit_test(test_adam_first_step_by_hand),
        cmocka_unit_test(test_adam_block_equals_elementwise),
        cmocka_unit_test(test_sgd_momentum_vs_torch),
        cmocka_unit_test(test_sgd_plain_vs_torch),
        cmocka_unit_test(test_rmsprop_vs_torch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
