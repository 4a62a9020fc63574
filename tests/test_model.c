/* test_model.c - the sequential model: spec checks, block layout, forward
 * and backward against the layer functions and against torch, frozen
 * backward, batchnorm statistics, Adam, checkpoints and determinism; then
 * the same for a model of image layers (reshape, convolutions, batchnorm2d). */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "nn/gradcheck.h"
#include "nn/layers.h"
#include "nn/model.h"
#include "kernels/ops.h"

/* ------------------------------------------------------------ torch reference
 * Produced by tests/reference/model_torch.py: torch.nn.Sequential(
 *   Linear(4,6), BatchNorm1d(6), LeakyReLU(0.2), Linear(6,5), ReLU(),
 *   MinibatchStd(), Linear(6,3), Tanh(), Dropout(0.0), Linear(3,2), Sigmoid())
 * in train mode on x (5, 4); y = net(x); (y * r).sum().backward(); then
 * net.eval() and net(x) again. REF_PARAMS and REF_DPARAMS are
 * torch.cat of every p.reshape(-1) / p.grad.reshape(-1) in net.parameters()
 * order, which is gansteps' block layout; REF_RUNNING is torch.cat of the
 * batchnorm's running_mean and running_var after the train forward. */
static const float REF_PARAMS[106] = {
    -0.00374341011f, 0.268221796f, -0.411522567f, -0.367969513f, -0.192577183f, 0.134078681f,
    -0.00990658998f, 0.396444738f, -0.0443720222f, 0.132306278f, -0.151106536f, -0.0982826948f,
    -0.477674246f, -0.331141055f, -0.20611155f, 0.0185217857f, 0.197667599f, 0.300011396f,
    -0.338970542f, -0.217731416f, 0.181608558f, 0.415193975f, -0.102900088f, 0.374155879f,
    -0.0805916786f, 0.0529070497f, 0.452738106f, -0.46383518f, -0.31476897f, -0.126582623f,
    1.20000005f, 0.800000012f, -0.5f, 1.5f, 0.899999976f, 1.10000002f,
    0.100000001f, -0.200000003f, 0.300000012f, 0.0f, 0.0500000007f, -0.100000001f,
    -0.159135163f, 0.352726847f, -0.264618248f, -0.187930107f, -0.285218775f, -0.382349432f,
    -0.238311052f, 0.350929439f, 0.182167888f, 0.197866753f, 0.0214704163f, -0.209302172f,
    0.0690693632f, -0.381179273f, -0.294986457f, -0.210464239f, 0.257579356f, 0.239364654f,
    -0.181056097f, -0.0147305736f, 0.261099577f, 0.405853152f, 0.16202648f, 0.055151429f,
    0.273724914f, -0.24037756f, 0.07607463f, -0.316517174f, -0.282951236f, -0.210894361f,
    0.184721351f, 0.164181307f, -0.241826907f, 0.123334713f, 0.224116892f, -0.0515280254f,
    0.0155875506f, 0.0945930555f, 0.253267676f, 0.391997606f, -0.314605772f, -0.149610654f,
    0.160445631f, 0.338253886f, 0.35526067f, 0.360220641f, 0.0812473521f, -0.355005652f,
    0.0375557803f, -0.255402327f, -0.380468696f, 0.362725556f, 0.310415596f, -0.407239109f,
    0.0764126778f, -0.0687735155f, -0.0950094238f, -0.264286041f, 0.222023606f, -0.341966599f,
    0.211651608f, 0.2919707f, 0.41330865f, 0.215877697f,
};
static const float REF_X[20] = {
    -0.0202518273f, -0.437169552f, 1.64586699f, -1.36016893f, -0.0729147568f, -0.0339864083f,
    0.962518275f, 0.349168241f, -0.921461999f, -0.056194786f, -0.701523602f, 1.03668678f,
    1.92178237f, -0.402545542f, 0.123902477f, 1.16478348f, 0.92337352f, 1.38729525f,
    1.37503791f, 0.659631073f,
};
static const float REF_R[10] = {
    0.592801392f, 0.806714952f, 0.317388862f, -0.367370427f, 0.644479334f, -1.64204156f,
    0.301409543f, -0.976375759f, -0.0254366491f, -0.152062088f,
};
static const float REF_Y[10] = {
    0.58949554f, 0.595588028f, 0.578917623f, 0.583398819f, 0.569241822f, 0.576349139f,
    0.578772187f, 0.579809308f, 0.582551539f, 0.582781792f,
};
static const float REF_DX[20] = {
    0.0133357216f, 0.0212885514f, -0.00826576725f, -0.015397273f, -0.00296394946f, -0.00115224218f,
    -0.00145275402f, 0.000650228525f, -0.00231490633f, -0.00448636152f, -0.000201348157f, 0.00307451468f,
    -0.00213249912f, -0.00365964812f, 0.000273935875f, 0.00232539349f, -0.00592436735f, -0.0119903022f,
    0.00964593422f, 0.00934713706f,
};
static const float REF_DPARAMS[106] = {
    0.000564815418f, -0.0267754253f, 0.031318754f, -0.0545568131f, 0.0153731471f, 0.0122936023f,
    0.0131421844f, 0.0036369341f, -0.061877761f, -0.0487810262f, 0.045661401f, -0.107917704f,
    0.00964850746f, 0.0212638285f, -0.0496483818f, 0.0765010193f, -0.00619525788f, -0.0067442921f,
    -0.01897531f, 0.0146193802f, -0.00792378094f, -0.00752462493f, -0.01641584f, 0.00768159749f,
    -5.58793545e-09f, 0.0f, 1.86264515e-09f, 3.25962901e-09f, -6.98491931e-10f, -9.31322575e-10f,
    0.00780131109f, -0.0107284021f, 0.00348776532f, -0.00318031176f, 0.00340449647f, 0.00323140342f,
    0.00891137868f, -0.00680903066f, -0.0109167993f, -0.0155598866f, 0.00270524109f, 0.00779062137f,
    -0.000158177252f, -1.56812075e-05f, 0.000449733838f, 0.000438340474f, -0.000196679655f, -7.66061712e-05f,
    -0.0372861028f, -0.0191470273f, -0.00967723969f, -0.0522233061f, -0.0132052293f, -0.0106245475f,
    0.000179653391f, -0.000642692728f, -0.000968726294f, 0.00168914709f, -0.00448975619f, -0.00478092628f,
    -0.00997006334f, 0.0279906131f, -0.0115738027f, 0.0111223673f, 0.0322339423f, 0.0385241769f,
    -0.0017378747f, 0.00136781856f, -0.0052695456f, -0.00469681434f, 0.00226028194f, 0.00217088871f,
    0.000927574933f, -0.0369371548f, -0.00413850415f, -0.0172558222f, -0.0112232706f, 0.00173199933f,
    0.0601368845f, 0.00313364435f, 0.112322226f, -0.0422076173f, 0.0193262175f, -0.002828778f,
    -0.0694128573f, -0.00154625182f, -0.124567084f, -0.00348290778f, -0.0297653731f, -0.000702671008f,
    -0.0360315368f, -0.00315095694f, -0.0704183131f, 0.0496922843f, -0.00850292947f, 0.136415482f,
    -0.210101008f, -0.0600185357f, -0.108356275f, 0.157195285f, -0.0507469103f, 0.182090253f,
    -0.19173111f, 0.201584876f, 0.446149081f, -0.570766628f,
};
static const float REF_RUNNING[12] = {
    -0.0473894291f, 0.0134613542f, 0.0309302248f, -0.0802548602f, -0.052641511f, 0.0046240869f,
    0.903892994f, 0.919266343f, 0.901290715f, 0.946851373f, 0.903805077f, 0.94388938f,
};
static const float REF_Y_EVAL[10] = {
    0.592185318f, 0.5872069f, 0.591878474f, 0.586076736f, 0.585480809f, 0.579661071f,
    0.596433342f, 0.590094209f, 0.600544572f, 0.591950774f,
};

static const nn_layer_spec REF_SPECS[] = {
    {.kind = NN_LAYER_LINEAR, .out = 6},
    {.kind = NN_LAYER_BATCHNORM, .arg = 0.1f},
    {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
    {.kind = NN_LAYER_LINEAR, .out = 5},
    {.kind = NN_LAYER_RELU},
    {.kind = NN_LAYER_MBSTD},
    {.kind = NN_LAYER_LINEAR, .out = 3},
    {.kind = NN_LAYER_TANH},
    {.kind = NN_LAYER_DROPOUT, .arg = 0.0f},
    {.kind = NN_LAYER_LINEAR, .out = 2},
    {.kind = NN_LAYER_SIGMOID}};
enum { REF_N = 11, REF_IN = 4, REF_B = 5, REF_OUT = 2 };

static nn_model *ref_model(void)
{
    nn_error err;
    nn_model *m = nn_model_create(REF_IN, REF_SPECS, REF_N, 8, &err);
    assert_non_null(m);
    assert_int_equal(m->n_params, sizeof REF_PARAMS / sizeof REF_PARAMS[0]);
    memcpy(m->params, REF_PARAMS, sizeof REF_PARAMS);
    return m;
}

/* Copies a model's whole state so a test can prove it did not change. */
typedef struct {
    float *params, *buffers, *adam_m, *adam_v;
    long adam_t;
} snapshot;

static snapshot snap(const nn_model *m)
{
    snapshot s;
    s.params = malloc(m->n_params * sizeof(float));
    s.adam_m = malloc(m->n_params * sizeof(float));
    s.adam_v = malloc(m->n_params * sizeof(float));
    s.buffers = malloc((m->n_buffers + 1) * sizeof(float));
    memcpy(s.params, m->params, m->n_params * sizeof(float));
    memcpy(s.adam_m, m->adam_m, m->n_params * sizeof(float));
    memcpy(s.adam_v, m->adam_v, m->n_params * sizeof(float));
    memcpy(s.buffers, m->buffers, m->n_buffers * sizeof(float));
    s.adam_t = m->adam_t;
    return s;
}

static void assert_same_state(const nn_model *m, const snapshot *s)
{
    assert_memory_equal(m->params, s->params, m->n_params * sizeof(float));
    assert_memory_equal(m->adam_m, s->adam_m, m->n_params * sizeof(float));
    assert_memory_equal(m->adam_v, s->adam_v, m->n_params * sizeof(float));
    if (m->n_buffers) assert_memory_equal(m->buffers, s->buffers, m->n_buffers * sizeof(float));
    assert_int_equal(m->adam_t, s->adam_t);
}

static void snap_free(snapshot *s)
{
    free(s->params); free(s->buffers); free(s->adam_m); free(s->adam_v);
}

/* ------------------------------------------------------------ create */

typedef struct {
    const char *what;
    int in, max_batch, n;
    nn_layer_spec specs[3];
    const char *needle1, *needle2; /* both must appear in the message */
} bad_case;

static void test_create_rejects_bad_specs(void **state)
{
    (void)state;
    const bad_case cases[] = {
        {"input width 0", 0, 4, 1, {{.kind = NN_LAYER_LINEAR, .out = 3}}, "input width 0",
         "positive"},
        {"max_batch 0", 4, 0, 1, {{.kind = NN_LAYER_LINEAR, .out = 3}}, "max_batch 0", "positive"},
        {"no layers", 4, 4, 0, {{.kind = NN_LAYER_LINEAR, .out = 3}}, "at least one layer", "0"},
        {"linear width 0", 4, 4, 2, {{.kind = NN_LAYER_RELU}, {.kind = NN_LAYER_LINEAR}},
         "layer 1 (linear)", "width 0"},
        {"linear width -3", 4, 4, 1, {{.kind = NN_LAYER_LINEAR, .out = -3}}, "layer 0 (linear)",
         "-3"},
        {"slope NaN", 4, 4, 2, {{.kind = NN_LAYER_LINEAR, .out = 3},
                                {.kind = NN_LAYER_LEAKY_RELU, .arg = NAN}},
         "layer 1 (leaky_relu)", "nan"},
        {"slope inf", 4, 4, 2, {{.kind = NN_LAYER_LINEAR, .out = 3},
                                {.kind = NN_LAYER_LEAKY_RELU, .arg = INFINITY}},
         "layer 1 (leaky_relu)", "inf"},
        {"dropout 1", 4, 4, 3,
         {{.kind = NN_LAYER_LINEAR, .out = 3}, {.kind = NN_LAYER_RELU},
          {.kind = NN_LAYER_DROPOUT, .arg = 1.0f}},
         "layer 2 (dropout)", "probability 1 "},
        {"dropout -0.1", 4, 4, 1, {{.kind = NN_LAYER_DROPOUT, .arg = -0.1f}},
         "layer 0 (dropout)", "-0.1"},
        {"dropout NaN", 4, 4, 1, {{.kind = NN_LAYER_DROPOUT, .arg = NAN}}, "layer 0 (dropout)",
         "nan"},
        {"batchnorm 1.5", 4, 4, 2, {{.kind = NN_LAYER_LINEAR, .out = 3},
                                    {.kind = NN_LAYER_BATCHNORM, .arg = 1.5f}},
         "layer 1 (batchnorm)", "momentum 1.5"},
        {"batchnorm -0.1", 4, 4, 1, {{.kind = NN_LAYER_BATCHNORM, .arg = -0.1f}},
         "layer 0 (batchnorm)", "-0.1"},
        {"unknown kind", 4, 4, 2, {{.kind = NN_LAYER_LINEAR, .out = 3},
                                   {.kind = (nn_layer_kind)42}},
         "layer 1", "kind 42"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nn_error err;
        memset(&err, 0, sizeof err);
        nn_model *m = nn_model_create(cases[i].in, cases[i].specs, cases[i].n,
                                      cases[i].max_batch, &err);
        if (m || err.code != NN_ERR_ARG || !strstr(err.msg, cases[i].needle1) ||
            !strstr(err.msg, cases[i].needle2)) {
            print_error("case '%s': model %p, code %d, message \"%s\"; expected \"%s\" and "
                        "\"%s\"\n", cases[i].what, (void *)m, err.code, err.msg,
                        cases[i].needle1, cases[i].needle2);
            nn_model_free(m);
            fail();
        }
    }
    /* Edge values that are valid: dropout 0, batchnorm momentum 0 and 1,
     * a negative slope. NULL err is allowed too. */
    const nn_layer_spec ok[] = {{.kind = NN_LAYER_DROPOUT, .arg = 0.0f},
                                {.kind = NN_LAYER_BATCHNORM, .arg = 1.0f},
                                {.kind = NN_LAYER_BATCHNORM, .arg = 0.0f},
                                {.kind = NN_LAYER_LEAKY_RELU, .arg = -0.5f}};
    nn_model *m = nn_model_create(3, ok, 4, 2, NULL);
    assert_non_null(m);
    nn_model_free(m);
    assert_null(nn_model_create(3, ok, 0, 2, NULL));
    nn_model_free(NULL);
}

/* ------------------------------------------------------------ layout */

static void test_param_counts_classic_d_and_g(void **state)
{
    (void)state;
    /* Classic D: 784-300-100-1 with leaky ReLUs:
     * (784*300 + 300) + (300*100 + 100) + (100*1 + 1) = 265,701. */
    const nn_layer_spec d[] = {{.kind = NN_LAYER_LINEAR, .out = 300},
                               {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
                               {.kind = NN_LAYER_LINEAR, .out = 100},
                               {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
                               {.kind = NN_LAYER_LINEAR, .out = 1}};
    nn_error err;
    nn_model *m = nn_model_create(784, d, 5, 64, &err);
    assert_non_null(m);
    assert_int_equal(nn_model_param_count(m), 265701);
    assert_int_equal(m->in, 784);
    assert_int_equal(m->out, 1);
    assert_int_equal(m->n_buffers, 0);
    assert_int_equal(nn_layer_param_count(&m->layers[0]), 235500);
    assert_int_equal(nn_layer_param_count(&m->layers[1]), 0);
    /* One block, layer after layer: w then b, no gaps. */
    assert_ptr_equal(m->layers[0].w, m->params);
    assert_ptr_equal(m->layers[0].b, m->params + 784 * 300);
    assert_ptr_equal(m->layers[2].w, m->params + 235500);
    assert_ptr_equal(m->layers[4].b, m->params + 265700);
    assert_ptr_equal(m->layers[2].dw, m->grads + 235500);
    assert_null(m->layers[1].w);
    nn_model_free(m);

    /* G: 100-256-512-1024-784, batchnorm after each hidden linear:
     * 1,486,352 linear parameters + 2*(256+512+1024) gamma/beta. */
    const nn_layer_spec g[] = {
        {.kind = NN_LAYER_LINEAR, .out = 256}, {.kind = NN_LAYER_BATCHNORM},
        {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
        {.kind = NN_LAYER_LINEAR, .out = 512}, {.kind = NN_LAYER_BATCHNORM},
        {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
        {.kind = NN_LAYER_LINEAR, .out = 1024}, {.kind = NN_LAYER_BATCHNORM},
        {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
        {.kind = NN_LAYER_LINEAR, .out = 784}, {.kind = NN_LAYER_TANH}};
    m = nn_model_create(100, g, 11, 64, &err);
    assert_non_null(m);
    assert_int_equal(nn_model_param_count(m), 1486352 + 3584);
    assert_int_equal(m->n_buffers, 3584);
    assert_int_equal(m->out, 784);
    assert_ptr_equal(m->layers[1].w, m->params + 100 * 256 + 256);     /* gamma */
    assert_ptr_equal(m->layers[1].b, m->params + 100 * 256 + 512);     /* beta */
    assert_ptr_equal(m->layers[4].running_mean, m->buffers + 512);
    assert_string_equal(nn_layer_kind_name(m->layers[1].spec.kind), "batchnorm");
    assert_string_equal(nn_layer_kind_name(NN_LAYER_MBSTD), "mbstd");
    nn_model_free(m);
}

/* ------------------------------------------------------------ forward */

static void test_forward_equals_layer_functions(void **state)
{
    (void)state;
    const nn_layer_spec specs[] = {{.kind = NN_LAYER_LINEAR, .out = 3},
                                   {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
                                   {.kind = NN_LAYER_LINEAR, .out = 2}, {.kind = NN_LAYER_SIGMOID}};
    nn_model *m = nn_model_create(4, specs, 4, 6, NULL);
    assert_non_null(m);
    nn_rng r;
    nn_rng_seed(&r, 3, 0);
    nn_model_init(m, &r, NN_INIT_TORCH);
    float x[6 * 4];
    nn_rng_fill_normal(&r, x, 24, 0.0f, 1.0f);
    const float *y = nn_model_forward(m, x, 6, 1);

    /* The same maths, one layer function at a time. */
    float h1[18], a1[18], h2[12], out[12];
    nn_linear_forward(h1, x, m->layers[0].w, m->layers[0].b, 6, 4, 3);
    nn_leaky_relu_forward(a1, h1, 0.2f, 18);
    nn_linear_forward(h2, a1, m->layers[2].w, m->layers[2].b, 6, 3, 2);
    nn_sigmoid_forward(out, h2, 12);
    assert_memory_equal(y, out, sizeof out);
    assert_memory_equal(m->layers[1].y, a1, sizeof a1);
    assert_not_all_zero(y, 12);
    /* A smaller batch uses the first rows of the same workspace. */
    y = nn_model_forward(m, x, 2, 0);
    assert_memory_equal(y, out, 4 * sizeof(float));
    nn_model_free(m);
}

static void test_forward_backward_vs_torch(void **state)
{
    (void)state;
    nn_model *m = ref_model();
    const float *y = nn_model_forward(m, REF_X, REF_B, 1);
    assert_rel_close(y, REF_Y, REF_B * REF_OUT, 1e-5);
    float dx[REF_B * REF_IN] = {0};
    nn_model_zero_grad(m);
    nn_model_backward(m, dx, REF_R, REF_B, 1);
    assert_rel_close(dx, REF_DX, REF_B * REF_IN, 1e-5);
    assert_rel_close(m->grads, REF_DPARAMS, m->n_params, 1e-5);
    /* Each layer's gradient on its own, so a small block is not hidden by
     * a large one. */
    for (int i = 0; i < REF_N; i++) {
        const nn_layer *l = &m->layers[i];
        if (!l->w) continue;
        size_t off = (size_t)(l->dw - m->grads), n = nn_layer_param_count(l);
        assert_rel_close(l->dw, REF_DPARAMS + off, n, 1e-5);
    }
    assert_rel_close(m->buffers, REF_RUNNING, 12, 1e-5);
    /* Eval mode: running statistics, dropout off, buffers unchanged. */
    y = nn_model_forward(m, REF_X, REF_B, 0);
    assert_rel_close(y, REF_Y_EVAL, REF_B * REF_OUT, 1e-5);
    assert_rel_close(m->buffers, REF_RUNNING, 12, 1e-6);
    nn_model_free(m);
}

/* ------------------------------------------------------------ backward */

/* Smallest |input| of any ReLU or leaky ReLU in the last forward: central
 * differences are only valid when no input is within a step of the kink. */
static float kink_margin(const nn_model *m)
{
    float margin = INFINITY;
    for (int i = 0; i < m->n_layers; i++) {
        nn_layer_kind k = m->layers[i].spec.kind;
        if (k != NN_LAYER_RELU && k != NN_LAYER_LEAKY_RELU) continue;
        const float *x = i > 0 ? m->layers[i - 1].y : m->input;
        for (int j = 0; j < m->batch * m->layers[i].in; j++) margin = fminf(margin, fabsf(x[j]));
    }
    return margin;
}

static void test_gradcheck_every_layer_kind(void **state)
{
    (void)state;
    /* Batchnorm comes after the activation here: right after a linear layer
     * it would cancel that layer's bias, whose true gradient is then 0 and
     * whose check would compare float noise (~1e-9) with itself. */
    const nn_layer_spec specs[] = {
        {.kind = NN_LAYER_LINEAR, .out = 5}, {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
        {.kind = NN_LAYER_BATCHNORM},
        {.kind = NN_LAYER_LINEAR, .out = 4}, {.kind = NN_LAYER_RELU}, {.kind = NN_LAYER_MBSTD},
        {.kind = NN_LAYER_DROPOUT, .arg = 0.0f}, {.kind = NN_LAYER_LINEAR, .out = 3},
        {.kind = NN_LAYER_TANH},
        {.kind = NN_LAYER_LINEAR, .out = 2}, {.kind = NN_LAYER_SIGMOID}};
    nn_model *m = nn_model_create(3, specs, 11, 6, NULL);
    assert_non_null(m);
    /* The first seed (a fixed search, the same on every run) whose weights
     * and input keep every (leaky) ReLU input 0.05 away from its kink, far
     * more than the step h = 1e-3 moves it. */
    nn_rng r;
    float x[6 * 3];
    uint64_t seed;
    for (seed = 1; seed <= 200; seed++) {
        nn_rng_seed(&r, seed, 0);
        nn_model_init(m, &r, NN_INIT_XAVIER_NORMAL);
        /* Biases, gamma and beta away from 0 and 1, as a trained model has them. */
        for (int j = 0; j < 5; j++) {
            m->layers[0].b[j] = 0.1f * (float)j - 0.25f;
            m->layers[2].w[j] = 0.7f + 0.15f * (float)j;
            m->layers[2].b[j] = 0.1f * (float)j - 0.2f;
        }
        nn_rng_fill_normal(&r, x, 18, 0.0f, 1.0f);
        nn_model_forward(m, x, 6, 1);
        if (kink_margin(m) > 0.05f) break;
    }
    assert_true(seed <= 200);
    nn_gradcheck_report rep;
    double rel = nn_gradcheck_model(m, x, 6, &r, 1e-3f, 0, &rep);
    if (!(rel < 1e-2))
        print_error("seed %llu, worst %s[%zu]: rel %.3g\n", (unsigned long long)seed, rep.worst,
                    rep.worst_index, rel);
    assert_true(rel < 1e-2);
    assert_int_equal(rep.zero_grad, 0);
    assert_true(rep.checked >= 18 + m->n_params);
    /* The analytic gradients behind the check are not all zero. */
    nn_model_forward(m, x, 6, 1);
    float dy[12], dx[18] = {0};
    nn_rng_fill_normal(&r, dy, 12, 0.0f, 1.0f);
    nn_model_zero_grad(m);
    nn_model_backward(m, dx, dy, 6, 1);
    assert_not_all_zero(dx, 18);
    for (int i = 0; i < 11; i++)
        if (m->layers[i].dw) {
            assert_not_all_zero(m->layers[i].dw, nn_layer_param_count(&m->layers[i]) -
                                                 (size_t)m->layers[i].out);
            assert_not_all_zero(m->layers[i].db, (size_t)m->layers[i].out);
        }
    nn_model_free(m);
}

static void test_frozen_backward(void **state)
{
    (void)state;
    nn_model *m = ref_model();
    nn_model_forward(m, REF_X, REF_B, 1);
    float dx_train[REF_B * REF_IN] = {0}, dx_frozen[REF_B * REF_IN] = {0};
    nn_model_zero_grad(m);
    nn_model_backward(m, dx_train, REF_R, REF_B, 1);
    /* Frozen: the same input gradient, and not one parameter gradient. */
    nn_model_zero_grad(m);
    nn_model_backward(m, dx_frozen, REF_R, REF_B, 0);
    assert_memory_equal(dx_frozen, dx_train, sizeof dx_train);
    for (size_t i = 0; i < m->n_params; i++) assert_true(m->grads[i] == 0.0f);
    assert_not_all_zero(dx_frozen, REF_B * REF_IN);
    /* Backward adds into dx: a second call doubles it. */
    nn_model_backward(m, dx_frozen, REF_R, REF_B, 0);
    for (int i = 0; i < REF_B * REF_IN; i++) assert_close(dx_frozen[i], 2.0 * dx_train[i], 1e-6);
    /* No dx wanted: the parameter gradients are the same as with one. */
    nn_model_zero_grad(m);
    nn_model_backward(m, NULL, REF_R, REF_B, 1);
    assert_rel_close(m->grads, REF_DPARAMS, m->n_params, 1e-5);
    /* Neither wanted: nothing happens. */
    nn_model_zero_grad(m);
    nn_model_backward(m, NULL, REF_R, REF_B, 0);
    for (size_t i = 0; i < m->n_params; i++) assert_true(m->grads[i] == 0.0f);
    nn_model_free(m);
}

/* Eval-mode backward (batchnorm with running statistics) against central
 * differences of the eval-mode forward. */
static double eval_loss(nn_model *m, const float *x, const float *r, int batch)
{
    const float *y = nn_model_forward(m, x, batch, 0);
    double s = 0;
    for (int i = 0; i < batch * m->out; i++) s += (double)y[i] * r[i];
    return s;
}

static void test_eval_mode_backward(void **state)
{
    (void)state;
    nn_model *m = ref_model();
    memcpy(m->buffers, REF_RUNNING, sizeof REF_RUNNING);
    float x[REF_B * REF_IN], dx[REF_B * REF_IN] = {0}, num[REF_B * REF_IN];
    memcpy(x, REF_X, sizeof x);
    nn_model_forward(m, x, REF_B, 0);
    nn_model_zero_grad(m);
    nn_model_backward(m, dx, REF_R, REF_B, 1);
    const float h = 1e-2f;
    for (int i = 0; i < REF_B * REF_IN; i++) {
        float x0 = x[i];
        x[i] = x0 + h;
        double lp = eval_loss(m, x, REF_R, REF_B);
        x[i] = x0 - h;
        double lm = eval_loss(m, x, REF_R, REF_B);
        x[i] = x0;
        num[i] = (float)((lp - lm) / (2.0 * h));
    }
    assert_not_all_zero(dx, REF_B * REF_IN);
    assert_rel_close(dx, num, REF_B * REF_IN, 1e-2);
    /* gamma of the batchnorm layer, likewise. */
    nn_layer *bn = &m->layers[1];
    float dg[6], ng[6];
    memcpy(dg, bn->dw, sizeof dg);
    for (int j = 0; j < 6; j++) {
        float g0 = bn->w[j];
        bn->w[j] = g0 + h;
        double lp = eval_loss(m, x, REF_R, REF_B);
        bn->w[j] = g0 - h;
        double lm = eval_loss(m, x, REF_R, REF_B);
        bn->w[j] = g0;
        ng[j] = (float)((lp - lm) / (2.0 * h));
    }
    assert_not_all_zero(dg, 6);
    assert_rel_close(dg, ng, 6, 1e-2);
    nn_model_free(m);
}

/* ------------------------------------------------------------ batchnorm, dropout */

static void test_batchnorm_running_stats_by_hand(void **state)
{
    (void)state;
    const nn_layer_spec specs[] = {{.kind = NN_LAYER_BATCHNORM, .arg = 0.5f}};
    nn_model *m = nn_model_create(2, specs, 1, 4, NULL);
    assert_non_null(m);
    nn_rng r;
    nn_rng_seed(&r, 1, 0);
    nn_model_init(m, &r, NN_INIT_TORCH);
    /* Feature 0: 1, 2, 3, 6 (mean 3, biased var 3.5, unbiased 14/3);
     * feature 1: all 5 (mean 5, var 0). */
    const float x[8] = {1, 5, 2, 5, 3, 5, 6, 5};
    nn_model_forward(m, x, 4, 1);
    /* momentum 0.5 from (0, 1): mean 0.5*3, var 0.5*1 + 0.5*14/3 */
    const float rm1[2] = {1.5f, 2.5f}, rv1[2] = {0.5f + 7.0f / 3.0f, 0.5f};
    assert_rel_close(m->layers[0].running_mean, rm1, 2, 1e-6);
    assert_rel_close(m->layers[0].running_var, rv1, 2, 1e-6);
    /* Train output: (x - 3)/sqrt(3.5 + 1e-5) for feature 0, 0 for feature 1. */
    const float *y = m->layers[0].y;
    assert_close(y[0], -2.0 / sqrt(3.5 + 1e-5), 1e-6);
    assert_close(y[6], 3.0 / sqrt(3.5 + 1e-5), 1e-6);
    assert_close(y[1], 0.0, 1e-6);
    /* A second train forward moves them halfway again. */
    nn_model_forward(m, x, 4, 1);
    const float rm2[2] = {2.25f, 3.75f}, rv2[2] = {0.5f * rv1[0] + 7.0f / 3.0f, 0.25f};
    assert_rel_close(m->layers[0].running_mean, rm2, 2, 1e-6);
    assert_rel_close(m->layers[0].running_var, rv2, 2, 1e-6);
    /* Eval uses them and leaves them alone. */
    y = nn_model_forward(m, x, 4, 0);
    assert_close(y[0], (1.0 - 2.25) / sqrt(rv2[0] + 1e-5), 1e-6);
    assert_close(y[1], (5.0 - 3.75) / sqrt(0.25 + 1e-5), 1e-5);
    assert_rel_close(m->layers[0].running_mean, rm2, 2, 0.0);
    /* momentum 0 means torch's 0.1. */
    const nn_layer_spec dflt[] = {{.kind = NN_LAYER_BATCHNORM}};
    nn_model *d = nn_model_create(2, dflt, 1, 4, NULL);
    nn_model_init(d, &r, NN_INIT_TORCH);
    nn_model_forward(d, x, 4, 1);
    assert_close(d->layers[0].running_mean[0], 0.3, 1e-6);
    nn_model_free(d);
    nn_model_free(m);
}

static void test_dropout_train_and_eval(void **state)
{
    (void)state;
    const nn_layer_spec specs[] = {{.kind = NN_LAYER_DROPOUT, .arg = 0.5f}};
    nn_model *m = nn_model_create(1000, specs, 1, 2, NULL);
    nn_rng r;
    nn_rng_seed(&r, 8, 0);
    nn_model_init(m, &r, NN_INIT_TORCH);
    float x[2000];
    for (int i = 0; i < 2000; i++) x[i] = 1.0f + (float)(i % 7);
    const float *y = nn_model_forward(m, x, 2, 1);
    int dropped = 0;
    for (int i = 0; i < 2000; i++) {
        if (y[i] == 0.0f) dropped++;
        else assert_close(y[i], 2.0 * x[i], 1e-6);   /* inverted: kept values / (1-p) */
    }
    assert_in_range(dropped, 900, 1100);
    float dy[2000], dx[2000] = {0};
    for (int i = 0; i < 2000; i++) dy[i] = 1.0f;
    nn_model_backward(m, dx, dy, 2, 1);
    for (int i = 0; i < 2000; i++) assert_true(dx[i] == (y[i] == 0.0f ? 0.0f : 2.0f));
    y = nn_model_forward(m, x, 2, 0);
    assert_memory_equal(y, x, sizeof x);
    nn_model_free(m);
}

/* ------------------------------------------------------------ optimizer */

static void test_adam_step_and_copy(void **state)
{
    (void)state;
    nn_model *m = ref_model();
    nn_model_forward(m, REF_X, REF_B, 1);
    nn_model_zero_grad(m);
    nn_model_backward(m, NULL, REF_R, REF_B, 1);
    /* The model's step is one nn_adam_step over the whole block, step t=1. */
    size_t n = m->n_params;
    float *p = malloc(n * sizeof *p), *mm = calloc(n, sizeof *mm), *vv = calloc(n, sizeof *vv);
    memcpy(p, m->params, n * sizeof *p);
    nn_adam opt = nn_adam_gan_defaults();
    nn_adam_step(&opt, 1, p, m->grads, mm, vv, n);
    nn_model_adam_step(m, &opt);
    assert_int_equal(m->adam_t, 1);
    assert_memory_equal(m->params, p, n * sizeof *p);
    assert_memory_equal(m->adam_v, vv, n * sizeof *vv);
    nn_model_adam_step(m, &opt);
    assert_int_equal(m->adam_t, 2);

    /* copy_params: params and buffers, not grads or Adam state. */
    nn_model *c = nn_model_create(REF_IN, REF_SPECS, REF_N, 8, NULL);
    c->grads[0] = 123.0f;
    nn_model_copy_params(c, m);
    assert_memory_equal(c->params, m->params, n * sizeof(float));
    assert_memory_equal(c->buffers, m->buffers, m->n_buffers * sizeof(float));
    assert_true(c->grads[0] == 123.0f);
    assert_int_equal(c->adam_t, 0);
    assert_true(c->adam_m[0] == 0.0f);
    nn_model_free(c);
    free(p); free(mm); free(vv);
    nn_model_free(m);
}

/* ------------------------------------------------------------ checkpoints */

static void path_in_tmp(char *buf, size_t cap, const char *name)
{
    snprintf(buf, cap, "%s/%s", tu_dir, name);
}

static unsigned char *read_all(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *d = malloc(*n + 64);
    assert_int_equal(fread(d, 1, *n, f), *n);
    fclose(f);
    return d;
}

static void write_all(const char *path, const void *d, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    if (n) assert_int_equal(fwrite(d, 1, n, f), n);
    fclose(f);
}

/* A model with every kind of state: batchnorm buffers and Adam moments. */
static nn_model *trained_model(uint64_t seed)
{
    nn_model *m = nn_model_create(REF_IN, REF_SPECS, REF_N, 8, NULL);
    nn_rng r;
    nn_rng_seed(&r, seed, 0);
    nn_model_init(m, &r, NN_INIT_HE_NORMAL);
    nn_adam opt = nn_adam_gan_defaults();
    opt.lr = 0.01f;
    for (int s = 0; s < 3; s++) {
        nn_model_forward(m, REF_X, REF_B, 1);
        nn_model_zero_grad(m);
        nn_model_backward(m, NULL, REF_R, REF_B, 1);
        nn_model_adam_step(m, &opt);
    }
    return m;
}

/* Where the blocks of a checkpoint of the REF_SPECS model start (the
 * layout of lib/nn/checkpoint.c): a 28-byte header (magic, version, byte order,
 * file size, layer count), 40 bytes a layer, the two counts, then params;
 * the CRC-32 is the last 4 bytes. */
enum {
    CKPT_SIZE_FIELD = 16,
    CKPT_LAYERS = 28,
    CKPT_COUNTS = CKPT_LAYERS + 40 * REF_N,
    CKPT_PARAMS = CKPT_COUNTS + 16
};

static uint32_t crc_of(const unsigned char *d, size_t n)
{
    return (uint32_t)crc32(crc32(0L, Z_NULL, 0), d, (uInt)n);
}

static void test_checkpoint_round_trip(void **state)
{
    (void)state;
    char path[512];
    path_in_tmp(path, sizeof path, "model.ckpt");
    nn_model *a = trained_model(1);
    nn_error err;
    assert_int_equal(nn_model_save(a, path, &err), NN_OK);
    /* The temporary file was renamed away. */
    char tmp[600];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    assert_int_equal(access(tmp, F_OK), -1);
    /* The header announces the file's size and the last 4 bytes are the
     * CRC-32 of all the others. */
    size_t n;
    unsigned char *d = read_all(path, &n);
    size_t want = CKPT_PARAMS + (3 * a->n_params + a->n_buffers) * sizeof(float) + 8 + 4;
    assert_int_equal(n, want);
    assert_memory_equal(d, "GANSTEPS", 8);
    uint32_t version, stored;
    uint64_t announced;
    memcpy(&version, d + 8, 4);
    memcpy(&announced, d + CKPT_SIZE_FIELD, 8);
    memcpy(&stored, d + n - 4, 4);
    assert_int_equal(version, 3);
    assert_int_equal(announced, n);
    assert_int_equal(stored, crc_of(d, n - 4));
    assert_memory_equal(d + CKPT_PARAMS, a->params, a->n_params * sizeof(float));
    free(d);

    nn_model *b = trained_model(2);
    assert_true(memcmp(a->params, b->params, a->n_params * sizeof(float)) != 0);
    assert_int_equal(nn_model_load(b, path, &err), NN_OK);
    snapshot sa = snap(a);
    assert_same_state(b, &sa);   /* bit-exact params, buffers, m, v, t */
    assert_int_equal(b->adam_t, 3);
    assert_not_all_zero(b->adam_v, b->n_params);
    assert_not_all_zero(b->buffers, b->n_buffers);
    /* And the loaded model computes what the saved one does. */
    float ya[REF_B * REF_OUT];
    memcpy(ya, nn_model_forward(a, REF_X, REF_B, 0), sizeof ya);
    assert_memory_equal(nn_model_forward(b, REF_X, REF_B, 0), ya, sizeof ya);
    /* Saving over an existing file replaces it. */
    assert_int_equal(nn_model_save(b, path, &err), NN_OK);
    snap_free(&sa);
    nn_model_free(a);
    nn_model_free(b);
}

/* Loading `path` into m must fail with `code`, a message naming the path and
 * containing `needle`, and leave m exactly as it was. */
static void expect_rejected(nn_model *m, const char *path, nn_status code, const char *needle)
{
    snapshot s = snap(m);
    nn_error err;
    memset(&err, 0, sizeof err);
    nn_status st = nn_model_load(m, path, &err);
    if (st != code || !strstr(err.msg, path) || !strstr(err.msg, needle)) {
        print_error("loading %s: status %s, message \"%s\"; expected %s and \"%s\"\n", path,
                    nn_status_name(st), err.msg, nn_status_name(code), needle);
        fail();
    }
    assert_same_state(m, &s);
    snap_free(&s);
}

static void test_checkpoint_corrupt_files_rejected(void **state)
{
    (void)state;
    char good[512], bad[512];
    path_in_tmp(good, sizeof good, "good.ckpt");
    path_in_tmp(bad, sizeof bad, "bad.ckpt");
    nn_model *a = trained_model(1);
    assert_int_equal(nn_model_save(a, good, NULL), NN_OK);
    size_t n;
    unsigned char *d = read_all(good, &n);
    nn_model *m = trained_model(5);

    path_in_tmp(bad, sizeof bad, "missing.ckpt");
    expect_rejected(m, bad, NN_ERR_IO, "cannot open");

    /* A folder opens like a file but has no size to read. */
    expect_rejected(m, tu_dir, NN_ERR_IO, "not a regular file");

    path_in_tmp(bad, sizeof bad, "empty.ckpt");
    write_all(bad, d, 0);
    expect_rejected(m, bad, NN_ERR_FORMAT, "empty");

    path_in_tmp(bad, sizeof bad, "short-magic.ckpt");
    write_all(bad, d, 5);
    expect_rejected(m, bad, NN_ERR_FORMAT, "truncated");

    path_in_tmp(bad, sizeof bad, "short-header.ckpt");
    write_all(bad, d, 14);
    expect_rejected(m, bad, NN_ERR_FORMAT, "truncated");

    path_in_tmp(bad, sizeof bad, "short-layers.ckpt");
    write_all(bad, d, 40);
    expect_rejected(m, bad, NN_ERR_FORMAT, "truncated");

    path_in_tmp(bad, sizeof bad, "short-body.ckpt");
    write_all(bad, d, n - 8);   /* loses adam_t */
    expect_rejected(m, bad, NN_ERR_FORMAT, "truncated");

    path_in_tmp(bad, sizeof bad, "long.ckpt");
    memset(d + n, 0, 4);
    write_all(bad, d, n + 4);
    expect_rejected(m, bad, NN_ERR_FORMAT, "after its end");

    path_in_tmp(bad, sizeof bad, "magic.ckpt");
    d[0] = 'X';
    write_all(bad, d, n);
    d[0] = 'G';
    expect_rejected(m, bad, NN_ERR_FORMAT, "not a gansteps checkpoint");

    path_in_tmp(bad, sizeof bad, "version.ckpt");
    uint32_t v = 99, v1;
    memcpy(&v1, d + 8, 4);
    memcpy(d + 8, &v, 4);
    write_all(bad, d, n);
    memcpy(d + 8, &v1, 4);
    expect_rejected(m, bad, NN_ERR_FORMAT, "version 99");

    path_in_tmp(bad, sizeof bad, "byteorder.ckpt");
    uint32_t bom = 0x04030201u, bom1;
    memcpy(&bom1, d + 12, 4);
    memcpy(d + 12, &bom, 4);
    write_all(bad, d, n);
    memcpy(d + 12, &bom1, 4);
    expect_rejected(m, bad, NN_ERR_FORMAT, "byte order");

    /* A count that disagrees with the layers is damage the checksum finds
     * before the counts are compared. */
    path_in_tmp(bad, sizeof bad, "count.ckpt");
    uint64_t np;
    memcpy(&np, d + CKPT_COUNTS, 8);
    np += 1;
    memcpy(d + CKPT_COUNTS, &np, 8);
    write_all(bad, d, n);
    expect_rejected(m, bad, NN_ERR_FORMAT, "checksum mismatch");

    /* Not one of the rejected loads touched m; the good file still loads. */
    assert_int_equal(nn_model_load(m, good, NULL), NN_OK);
    free(d);
    nn_model_free(m);
    nn_model_free(a);
}

/* Writes d (n bytes) to path with `len` bytes at `off` inverted, and
 * expects loading it to fail on the checksum: the message names the file,
 * says it is corrupted, gives the CRC-32 recorded in the file and the one
 * of the damaged contents, and says what to do; m stays as it was. */
static void expect_checksum_refused(nn_model *m, const char *path, unsigned char *d, size_t n,
                                    size_t off, size_t len)
{
    for (size_t i = 0; i < len; i++) d[off + i] ^= 0xffu;
    write_all(path, d, n);
    uint32_t stored;
    memcpy(&stored, d + n - 4, 4);
    uint32_t found = crc_of(d, n - 4);
    for (size_t i = 0; i < len; i++) d[off + i] ^= 0xffu;
    assert_true(stored != found);
    char needle[200];
    snprintf(needle, sizeof needle, "is corrupted: checksum mismatch (expected CRC-32 0x%08x, "
             "as recorded in the file; found 0x%08x in its contents)", (unsigned)stored,
             (unsigned)found);
    expect_rejected(m, path, NN_ERR_FORMAT, needle);
    expect_rejected(m, path, NN_ERR_FORMAT, "delete it and train again");
}

static void test_checkpoint_checksum(void **state)
{
    (void)state;
    char good[512], bad[512];
    path_in_tmp(good, sizeof good, "good.ckpt");
    nn_model *a = trained_model(1);
    assert_int_equal(nn_model_save(a, good, NULL), NN_OK);
    size_t n;
    unsigned char *d = read_all(good, &n);
    nn_model *m = trained_model(5);

    /* Four bytes inside the weights: every size still fits, only the
     * checksum can tell. */
    path_in_tmp(bad, sizeof bad, "weights.ckpt");
    expect_checksum_refused(m, bad, d, n, CKPT_PARAMS + 7 * sizeof(float), 4);
    /* One byte of the header's layer count, of a layer's width (which would
     * otherwise read as another --arch), of Adam's step, and of the checksum
     * itself. */
    path_in_tmp(bad, sizeof bad, "n-layers.ckpt");
    expect_checksum_refused(m, bad, d, n, CKPT_SIZE_FIELD + 8, 1);
    path_in_tmp(bad, sizeof bad, "spec.ckpt");
    expect_checksum_refused(m, bad, d, n, CKPT_LAYERS + 8, 1);
    path_in_tmp(bad, sizeof bad, "step.ckpt");
    expect_checksum_refused(m, bad, d, n, n - 12, 1);
    path_in_tmp(bad, sizeof bad, "crc.ckpt");
    expect_checksum_refused(m, bad, d, n, n - 1, 1);

    /* Cut inside the weights: reported as truncated, with both sizes. */
    path_in_tmp(bad, sizeof bad, "cut.ckpt");
    size_t cut = CKPT_PARAMS + 10;
    write_all(bad, d, cut);
    char needle[200];
    snprintf(needle, sizeof needle, "is truncated: %zu bytes where its header announces %zu",
             cut, n);
    expect_rejected(m, bad, NN_ERR_FORMAT, needle);

    /* A file of format version 1 (no size, no checksum) gets the version
     * message, not a checksum error. */
    path_in_tmp(bad, sizeof bad, "v1.ckpt");
    uint32_t v1 = 1, v2;
    memcpy(&v2, d + 8, 4);
    memcpy(d + 8, &v1, 4);
    write_all(bad, d, n);
    memcpy(d + 8, &v2, 4);
    expect_rejected(m, bad, NN_ERR_FORMAT, "has format version 1; this program reads version 3");

    /* The damaged copies left m alone; the intact file loads bit-exactly. */
    assert_int_equal(nn_model_load(m, good, NULL), NN_OK);
    snapshot sa = snap(a);
    assert_same_state(m, &sa);
    snap_free(&sa);
    free(d);
    nn_model_free(m);
    nn_model_free(a);
}

static void test_checkpoint_other_architecture(void **state)
{
    (void)state;
    char path[512];
    path_in_tmp(path, sizeof path, "d300.ckpt");
    const nn_layer_spec s300[] = {{.kind = NN_LAYER_LINEAR, .out = 300},
                                  {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
                                  {.kind = NN_LAYER_LINEAR, .out = 1}};
    const nn_layer_spec s512[] = {{.kind = NN_LAYER_LINEAR, .out = 512},
                                  {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
                                  {.kind = NN_LAYER_LINEAR, .out = 1}};
    const nn_layer_spec relu[] = {{.kind = NN_LAYER_LINEAR, .out = 300}, {.kind = NN_LAYER_RELU},
                                  {.kind = NN_LAYER_LINEAR, .out = 1}};
    const nn_layer_spec deeper[] = {{.kind = NN_LAYER_LINEAR, .out = 300},
                                    {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
                                    {.kind = NN_LAYER_LINEAR, .out = 1},
                                    {.kind = NN_LAYER_SIGMOID}};
    nn_model *a = nn_model_create(784, s300, 3, 4, NULL);
    nn_rng r;
    nn_rng_seed(&r, 1, 0);
    nn_model_init(a, &r, NN_INIT_TORCH);
    assert_int_equal(nn_model_save(a, path, NULL), NN_OK);

    nn_model *b = nn_model_create(784, s512, 3, 4, NULL);
    nn_model_init(b, &r, NN_INIT_TORCH);
    expect_rejected(b, path, NN_ERR_SHAPE,
                    "was saved from a model with 784-300-1 layers; this model is 784-512-1");
    expect_rejected(b, path, NN_ERR_SHAPE, "--arch");
    nn_model_free(b);

    b = nn_model_create(784, relu, 3, 4, NULL);
    nn_model_init(b, &r, NN_INIT_TORCH);
    expect_rejected(b, path, NN_ERR_SHAPE, "leaky_relu layer at position 1 where this model has relu");
    nn_model_free(b);

    b = nn_model_create(784, deeper, 4, 4, NULL);
    nn_model_init(b, &r, NN_INIT_TORCH);
    expect_rejected(b, path, NN_ERR_SHAPE, "has 3 layers; this model has 4");
    nn_model_free(b);

    b = nn_model_create(100, s300, 3, 4, NULL);
    nn_model_init(b, &r, NN_INIT_TORCH);
    expect_rejected(b, path, NN_ERR_SHAPE, "784-300-1 layers; this model is 100-300-1");
    nn_model_free(b);
    nn_model_free(a);
}

static void test_checkpoint_save_failure(void **state)
{
    (void)state;
    char path[512];
    path_in_tmp(path, sizeof path, "no/such/dir/model.ckpt");
    nn_model *a = trained_model(1);
    nn_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(nn_model_save(a, path, &err), NN_ERR_IO);
    assert_non_null(strstr(err.msg, "no/such/dir/model.ckpt.tmp"));
    assert_non_null(strstr(err.msg, "directory"));
    nn_model_free(a);
}

/* ------------------------------------------------------------ conv models */

/* A small DCGAN-like model, G then D in one chain, every image layer kind:
 *   Linear(4, 18), BatchNorm1d(18), ReLU, Unflatten -> (2, 3, 3),
 *   ConvTranspose2d(2, 3, 4, 2, 1) -> 3x6x6, BatchNorm2d(3), ReLU,
 *   ConvTranspose2d(3, 1, 4, 2, 1) -> 1x12x12, Tanh,
 *   Conv2d(1, 2, 4, 2, 1) -> 2x6x6, LeakyReLU(0.2),
 *   Conv2d(2, 4, 4, 2, 1) -> 4x3x3, BatchNorm2d(4), LeakyReLU(0.2),
 *   Flatten, Linear(36, 1), Sigmoid
 * Values from tests/reference/conv_torch.py (torch 1.13, torch.manual_seed(0),
 * the batchnorms' gamma and beta set away from 1 and 0, then the whole net in
 * float64 on the float32 parameters): train mode on x (3, 4),
 * loss = sum(y * r), loss.backward(); then net.eval() and net(x) again.
 * CREF_PARAMS and CREF_DPARAMS follow net.parameters(), which is gansteps'
 * block layout; CREF_RUNNING is each batchnorm's running_mean then
 * running_var, in the order of the buffers block. */
/* sum(p.numel() for p in net.parameters()) = 491 */
/* torch.cat of every p.reshape(-1) in net.parameters() order */
static const float CREF_PARAMS[491] = {
    -0.00374341011f, 0.268221796f, -0.411522567f, -0.367969513f, -0.192577183f, 0.134078681f,
    -0.00990658998f, 0.396444738f, -0.0443720222f, 0.132306278f, -0.151106536f, -0.0982826948f,
    -0.477674246f, -0.331141055f, -0.20611155f, 0.0185217857f, 0.197667599f, 0.300011396f,
    -0.338970542f, -0.217731416f, 0.181608558f, 0.415193975f, -0.102900088f, 0.374155879f,
    -0.0805916786f, 0.0529070497f, 0.452738106f, -0.46383518f, -0.31476897f, -0.126582623f,
    -0.194899976f, 0.432000399f, -0.324089825f, -0.230166435f, -0.349320233f, -0.468280494f,
    -0.291870236f, 0.42979902f, 0.223109186f, 0.242336273f, 0.0262957811f, -0.256341755f,
    0.0845923424f, -0.46684736f, -0.361283123f, -0.257764995f, 0.315468967f, 0.293160617f,
    -0.221747518f, -0.0180411935f, 0.31978035f, 0.497066557f, 0.198441088f, 0.0675464272f,
    0.335243165f, -0.294401169f, 0.0931720138f, -0.387652755f, -0.346543074f, -0.258291781f,
    0.226236522f, 0.201080203f, -0.296176255f, 0.151053548f, 0.274486005f, -0.0631086826f,
    0.0190907717f, 0.115852356f, 0.310188293f, 0.480097055f, -0.385311782f, -0.18323487f,
    0.196504951f, 0.414274693f, 0.435103655f, 0.441178381f, 0.0995072722f, -0.434791327f,
    0.0459962487f, -0.312802672f, -0.465977073f, 0.444246233f, 0.380179882f, -0.498763978f,
    0.0935860276f, -0.0842300057f, -0.0822805762f, -0.228878438f, 0.192278087f, -0.296151757f,
    0.875f, 0.6875f, 1.1875f, 1.0f, 0.8125f, 1.3125f,
    1.125f, 0.9375f, 0.75f, 1.25f, 1.0625f, 0.875f,
    0.6875f, 1.1875f, 1.0f, 0.8125f, 1.3125f, 1.125f,
    -0.1875f, 0.1875f, 0.0f, -0.1875f, 0.1875f, 0.0f,
    -0.1875f, 0.1875f, 0.0f, -0.1875f, 0.1875f, 0.0f,
    -0.1875f, 0.1875f, 0.0f, -0.1875f, 0.1875f, 0.0f,
    0.0529129021f, 0.072992675f, 0.103327163f, 0.0539694242f, -0.142855972f, -0.0936313272f,
    0.0720699131f, 0.030210048f, -0.112595424f, -0.0831123814f, 0.13578546f, 0.0972572342f,
    -0.0629348084f, -0.0363275707f, -0.137495697f, -0.00259434339f, -0.108694687f, -0.111335747f,
    -0.00795294344f, 0.0216715708f, -0.0591106042f, 0.085646674f, -0.0878350511f, 0.130967587f,
    0.0989145115f, -0.121717408f, -0.0359233581f, 0.00651288964f, 0.0210590065f, 0.0342331566f,
    0.0566421412f, 0.00864584371f, -0.0704264492f, 0.0682989508f, -0.138455644f, -0.0855498388f,
    -0.0361320004f, -0.0703087524f, -0.0504940972f, -0.118302196f, -0.0307027865f, 0.0308530852f,
    -0.0940309837f, -0.00740731135f, 0.103324167f, -0.0148379374f, 0.00401146058f, -0.0124518434f,
    0.0292112343f, 0.0917755216f, 0.136723205f, 0.0916624218f, 0.13703604f, -0.0104387309f,
    -0.129661545f, -0.0684271529f, 0.0982801989f, -0.000935665681f, -0.0717424601f, -0.110607572f,
    -0.135078609f, -0.121822089f, -0.0292769633f, 0.0791555867f, 0.0780348182f, -0.139203742f,
    0.0900351778f, -0.112945504f, -0.0305144452f, -0.0585249327f, -0.0278016198f, -0.0283396281f,
    -0.12952131f, -0.124626525f, -0.022585867f, 0.00186659954f, -0.0655689314f, 0.054371845f,
    -0.129912242f, -0.00974094402f, 0.126933262f, -0.0588741377f, 0.130337268f, 0.0522723943f,
    -0.130259007f, 0.0913219973f, -0.016655758f, -0.0644332767f, 0.115420006f, -0.116638497f,
    0.0154881328f, -0.0302197691f, 0.103073277f, 0.0402910411f, 0.0693549737f, 0.0509741046f,
    -0.0347095318f, -0.0303549767f, -0.118945904f, 0.875f, 0.9375f, 1.0f,
    -0.1875f, -0.125f, -0.0625f, 0.135461032f, 0.198494524f, 0.171056211f,
    -0.176344573f, 0.0111499727f, -0.17623353f, -0.137621045f, -0.145676374f, 0.0854362547f,
    -0.148978293f, -0.00545430183f, 0.010517031f, 0.16115576f, -0.188980013f, -0.171628058f,
    -0.145165384f, 0.174983352f, -0.0898662508f, 0.210872173f, 0.0904018879f, 0.0316565037f,
    -0.00186100602f, -0.0494203866f, 0.0313665867f, -0.0570861697f, -0.00175660849f, 0.0318982601f,
    -0.195551276f, -0.131032854f, 0.201873183f, -0.202886671f, -0.0179515481f, 0.247309685f,
    0.0903092623f, 0.00707826018f, -0.216652483f, 0.123844475f, -0.178070188f, -0.0709660649f,
    -0.0838790834f, -0.0370218456f, 0.0027345717f, 0.206201881f, 0.0312097073f, 0.223923206f,
    0.152928114f, -0.158053488f, 0.112126023f, -0.176724017f, -0.105956286f, 0.073530674f,
    0.0825480223f, 0.187557012f, -0.0804789662f, 0.000400215387f, 0.128705889f, -0.241773039f,
    0.180745155f, -0.206730604f, 0.00344562531f, -0.0425041914f, -0.13166824f, 0.0330427587f,
    0.20672968f, -0.0730798841f, -0.148423523f, -0.0924597085f, -0.247787088f, 0.11284849f,
    -0.120065928f, -0.16683507f, -0.144025356f, 0.143739015f, 0.13239342f, 0.191880465f,
    0.090680778f, -0.0834899247f, -0.0698620379f, 0.0738574862f, 0.205508679f, 0.0679730475f,
    -0.118286341f, -0.117519349f, -0.167136893f, 0.0381922498f, -0.0992039889f, -0.15760982f,
    0.155011326f, -0.114800766f, -0.0201103892f, 0.0506453812f, 0.00563180912f, -0.118949808f,
    -0.142892435f, 0.140905589f, 0.0287860855f, 0.146658286f, -0.0592627265f, 0.052070532f,
    -0.0404246226f, -0.00786146149f, -0.107664816f, 0.0597860403f, 0.055890765f, -0.00364665058f,
    -0.0397574604f, -0.108970419f, 0.122249f, -0.131596833f, 0.0724193081f, -0.0594417863f,
    -0.0852890983f, 0.0317570604f, -0.0918278843f, 0.0407302082f, 0.0347155593f, -0.131254837f,
    0.0294330623f, 0.0752943531f, 0.0699736923f, -0.0222524181f, -0.144919351f, -0.027250845f,
    0.0613959022f, -0.0645017698f, 0.0671010911f, 0.117726661f, -0.0923042297f, 0.0017433411f,
    0.0730969831f, 0.0138553763f, 0.0147664221f, 0.022073295f, -0.138972595f, 0.0138925705f,
    0.122412525f, 0.159295902f, 0.103900664f, 0.0236886144f, 0.0825572237f, -0.0859982595f,
    -0.146492794f, -0.152014002f, 0.176354155f, 0.112215959f, -0.122194014f, 0.0691625774f,
    0.133496031f, 0.176708609f, 0.154572636f, 0.13695842f, -0.0405276939f, -0.0620383061f,
    0.145142302f, 0.0990620553f, -0.1063805f, 0.158925295f, 0.0854111761f, 0.0963672474f,
    -0.110799447f, 0.0507171974f, -0.0619712695f, 0.138125628f, -0.0318093002f, 0.0688213781f,
    0.0313994028f, 0.0752128586f, -0.060073588f, 0.0861912519f, -0.123473383f, 0.0399258994f,
    -0.119605675f, -0.174396843f, -0.141961545f, 0.13955991f, 0.0956424922f, 0.165854678f,
    0.141619563f, -0.157869622f, -0.120637916f, -0.0285640359f, -0.114804491f, 0.122753114f,
    -0.133644551f, -0.0862496048f, -0.170782447f, -0.100364186f, 0.145394847f, 0.144737691f,
    0.126543418f, 0.1364941f, 0.157187447f, -0.0452659689f, 0.0777821094f, 0.157495737f,
    0.0584810488f, 0.176719472f, 0.0916875154f, 0.109892935f, -0.0618704557f, 0.0848223194f,
    0.0203127991f, -0.0422173366f, -0.099650763f, -0.0991923288f, -0.136026278f, 0.118675552f,
    0.125676066f, -0.0201194305f, -0.1022982f, 0.136631668f, 0.113046736f, 0.0131405229f,
    -0.083462514f, 0.162466243f, 0.875f, 0.6875f, 1.1875f, 1.0f,
    -0.1875f, -0.25f, 0.25f, 0.1875f, 0.0681567788f, -0.12652424f,
    0.159513816f, 0.126562297f, -0.0607484803f, 0.0936924219f, -0.0946981758f, -0.0261190534f,
    0.141516864f, 0.00688652229f, -0.117869698f, -0.0557054877f, -0.0452408604f, -0.0321547985f,
    0.0159501042f, 0.154138267f, 0.00892339181f, -0.102906667f, 0.00854237936f, 0.0799145326f,
    0.0826733708f, -0.152323097f, -0.0298237409f, -0.123857424f, -0.0711142644f, 0.0600489005f,
    -0.118355036f, 0.0619544797f, 0.141463026f, 0.0109313931f, -0.111081287f, -0.0597141609f,
    0.0363940224f, -0.127053007f, 0.082801722f, -0.151311606f, -0.160215557f,
};
/* input (3, 4) */
static const float CREF_X[12] = {
    1.15798235f, 0.999856353f, -0.277654052f, 0.547058761f, -0.452403426f, 0.359540015f,
    0.901054859f, 0.118715517f, 1.55164182f, -1.17469716f, -1.85071993f, 0.705580771f,
};
/* loss weights r (3, 1): loss = sum(y * r) */
static const float CREF_R[3] = {
    0.532214224f, 0.706318974f, 0.241166607f,
};
/* net.train()(x) */
static const float CREF_Y[3] = {
    0.487692387f, 0.505746449f, 0.390210418f,
};
/* x.grad after loss.backward() */
static const float CREF_DX[12] = {
    0.0212004627f, 0.0125839298f, -0.026252054f, 0.00613228702f, 0.00010340793f, 0.0231534472f,
    0.00382199103f, 0.0384957542f, -0.0213038706f, -0.035737377f, 0.0224300629f, -0.0446280412f,
};
/* torch.cat of every p.grad.reshape(-1) */
static const float CREF_DPARAMS[491] = {
    8.45794452e-05f, -0.000457996246f, -0.000332900008f, 3.38463884e-05f, -0.00693552201f, -0.00428363012f,
    0.00423526997f, -0.00180953862f, 0.0117283765f, -0.0166612481f, -0.0203389946f, 0.00361188986f,
    -0.062686646f, 0.0389357685f, 0.0810842585f, -0.0181481356f, 0.000628671231f, -0.00243930708f,
    -0.0019425257f, 0.000229301371f, 0.00827575245f, -0.00905029245f, -0.0128598655f, 0.00248614151f,
    -0.00145512122f, -0.00296793101f, -0.000251985871f, -0.000331886212f, 0.0227985682f, -0.0009989574f,
    -0.0222347019f, 0.00629647503f, 0.078379034f, -0.0229681727f, -0.0872079166f, 0.0220975487f,
    0.00866561616f, 0.00692630149f, -0.00442410354f, 0.00222459698f, 0.142588192f, -0.130872135f,
    -0.207756687f, 0.0422567709f, 0.00058258056f, -0.00376881379f, -0.00263153462f, 0.000247310609f,
    -0.00050268726f, -0.00133228702f, -0.000256265615f, -0.000107566899f, -0.0139481387f, -0.0108522121f,
    0.00728436195f, -0.00358754267f, 0.00158036753f, 0.000971074629f, -0.000967838578f, 0.000412447606f,
    -0.00125076609f, 0.0199894855f, 0.0122081628f, -0.000805629971f, 0.0209879659f, 0.109588505f,
    0.0404450572f, 0.00324532815f, -0.0401580821f, 0.0924837649f, 0.0891735596f, -0.0131851817f,
    3.25260652e-18f, 7.58941521e-19f, -8.67361738e-18f, -1.38777878e-17f, -2.16840434e-18f, 3.46944695e-18f,
    2.16840434e-19f, 1.73472348e-18f, 3.46944695e-18f, -8.67361738e-19f, 0.0f, -4.33680869e-19f,
    -1.62630326e-19f, 1.25767452e-17f, -6.77626358e-19f, -1.73472348e-18f, 0.0f, 0.0f,
    0.00860179065f, 0.00613006345f, -0.00202508039f, 0.0290148282f, 0.0163876238f, -0.011424547f,
    0.00474005104f, 0.0194112195f, 0.00470652804f, -0.0120593008f, -0.0150711212f, 0.0860405229f,
    0.00218385992f, -0.0273200774f, -0.0162531978f, -0.0249745134f, -0.0399990618f, 0.0214416784f,
    0.012164086f, 0.00818516752f, -0.00159908043f, 0.0461205974f, 0.0232401291f, -0.00837721119f,
    0.00395050652f, 0.0145033342f, -0.021504875f, -0.0140745882f, -0.0150317038f, 0.0608633909f,
    0.00174921688f, -0.0399478828f, -0.0115706468f, -0.0326910602f, -0.0382055985f, 0.0111162173f,
    -0.0866225726f, -0.0225082114f, -0.0584921194f, 0.039255139f, -0.0281366745f, -0.0241674123f,
    0.00744573136f, -0.00257080704f, -0.0922003726f, 0.057694927f, -0.143838992f, 0.0545368606f,
    -0.0185134652f, -0.0171288805f, -0.0284235584f, -0.0117971911f, -0.0577120699f, 0.0139309983f,
    -0.018735029f, 0.00823135469f, 0.00448137071f, -0.0616076503f, 0.00957161323f, 0.0146386157f,
    0.0307932386f, 0.0183013724f, -0.064418863f, -0.0140076342f, 0.00235136013f, -0.0333430207f,
    0.0403796212f, -0.0191593549f, -0.245840377f, 0.130298455f, -0.140390863f, -0.0181485989f,
    -0.0241938015f, -0.0215904775f, 0.0379433432f, -0.0568191577f, -0.15390322f, 0.0497905009f,
    0.0418057275f, 0.10521268f, 0.0488838356f, -0.00954618867f, 0.0419632709f, -0.0827783223f,
    -0.104739113f, 0.248482796f, -0.110265838f, -0.0249296372f, 0.0525145595f, 0.00580755632f,
    0.0404019608f, -0.0218021203f, -0.0959710434f, 0.0352648703f, 0.0349864282f, 0.037374485f,
    -0.0230991595f, -0.0211479193f, -0.031302305f, 0.126812065f, 0.0935933212f, 0.0157951395f,
    0.0311701287f, 0.0126317532f, 0.00547579409f, -0.136281915f, -0.0250502144f, -0.103729156f,
    0.16931528f, 0.0185206478f, 0.0817061856f, -0.00652952051f, 0.00683755194f, 0.0888115939f,
    0.00787589897f, -0.0164529052f, -0.278545177f, 0.158169876f, -0.128864237f, 0.0351234815f,
    0.087054014f, -0.0332648846f, 0.1877746f, -0.19388805f, -0.232207828f, -0.0309082054f,
    0.264916355f, -0.0318449168f, 0.343168932f, -0.218112762f, -0.0518611156f, -0.0505712428f,
    -1.38777878e-17f, -2.08166817e-17f, 2.22044605e-16f, -0.0348194774f, 0.0160575305f, -0.0236365159f,
    0.0224266404f, -0.00237172264f, 0.0183419956f, 0.025359435f, -0.10118145f, -0.0154381882f,
    0.00656863775f, 0.0189723337f, 0.03924214f, -0.0248001579f, 0.0131027136f, -0.0371476178f,
    0.0543252512f, 0.00491640855f, -0.0173111495f, -0.0990986591f, -0.0463100171f, -0.049362628f,
    -0.00825526361f, 0.0230790575f, 0.0193009779f, -0.0313765668f, -0.0373890057f, 0.0367330301f,
    -0.0139317868f, -0.0596022411f, 0.0561665293f, -0.039117571f, 0.00655557144f, 0.0166403295f,
    -0.0621324198f, 0.0611187743f, -0.0327532378f, -0.0868174295f, 0.0417293762f, 0.0648248126f,
    -0.083427094f, 0.0741574464f, 0.0482418658f, 0.0471326276f, -0.0734042516f, 0.0207990339f,
    -0.0149497812f, -0.0426087031f, 0.00449409091f, -0.0243649177f, -0.136974292f, -0.0874877217f,
    -0.0869730301f, -0.0216428581f, -0.043345095f, 0.0227373186f, 0.0876387004f, -0.0449599851f,
    -0.114213736f, -0.129161724f, -0.0724029229f, -0.0161145438f, 0.144783586f, 0.0774014391f,
    0.0738433935f, 0.0110787121f, -0.0183790718f, 0.129286403f, -0.054377579f, 0.0808561808f,
    -0.0117273672f, 0.147001524f, 0.000167577791f, 0.127196389f, -0.117339185f, -0.0328094805f,
    0.0881026142f, 0.135583363f, -0.00566525898f, 0.195084189f, -0.10035567f, 0.0422791172f,
    -0.0576534985f, 0.134609026f, 0.0245696187f, 0.0228728175f, -0.0926582989f, 0.0825433538f,
    -0.180578464f, -0.367585858f, -0.0123198639f, -0.135701254f, -0.015047099f, -0.0056982831f,
    0.0165808645f, -0.0896964304f, 0.0146047636f, -0.00291590054f, 0.00347588325f, -0.00637420929f,
    -0.00251056772f, 0.0344315705f, 0.0309807841f, -0.0524663439f, -0.0440422158f, 0.0305159877f,
    0.0104393818f, -0.0322921924f, 0.0104499174f, 0.0250586732f, -0.000994932714f, 0.0266956061f,
    0.069930089f, 0.0214796301f, -0.0109723797f, -0.00323157035f, -0.0131980249f, 0.0498954528f,
    0.0412920816f, -0.0167003868f, 0.0175376875f, 0.0177556127f, 0.0130740969f, 0.00556292527f,
    -0.0283278735f, 0.0268192876f, -0.00473524508f, 0.00016520762f, -0.0200715109f, -0.0231680317f,
    0.0162088883f, -0.016665888f, -0.0405708439f, -0.0415044051f, 0.010391609f, -0.0273218039f,
    0.0111563623f, 0.00350665126f, 0.00157104996f, -0.0150558588f, -0.00867010339f, -0.0384452385f,
    0.0243344262f, -0.00384736269f, -0.0246174401f, -0.00138077889f, 0.0141622827f, -0.00540072726f,
    -0.00166754093f, 0.0128825065f, 0.015260812f, 0.0172739242f, 0.0374811366f, 0.0208132486f,
    -0.0338426124f, -0.184318373f, 0.0476788598f, -0.323011128f, -0.0148753614f, 0.150960381f,
    0.0335265505f, 0.0221832061f, -0.0227703999f, 0.327413508f, -0.0165843197f, 0.128967036f,
    0.00162278454f, 0.054523024f, 0.0244393863f, -0.00317722802f, 0.00611317086f, 0.0701025132f,
    0.0504524707f, -0.0288401153f, -0.00125870749f, 0.0296232708f, 0.0174026382f, 0.00349897042f,
    -0.0367733355f, 0.0481544184f, -0.0310013426f, 0.0474169638f, -0.0330952579f, 0.00925628762f,
    -0.00870902202f, -0.00351066833f, -1.70009923e-05f, -0.109493432f, 0.0409684427f, -0.456235882f,
    -0.0239596107f, 0.144455582f, 0.00927115428f, 0.0284695816f, -0.0593105552f, 0.336183156f,
    -0.0095819826f, 0.124928536f, -0.0269404558f, 0.0455279695f, 0.00186480798f, 0.00391049506f,
    -0.0145395414f, 0.0673575373f, 0.0628801902f, -0.00384276101f, -0.0316739439f, 0.0124579401f,
    0.0395559461f, 0.0224591811f, -0.0498640812f, 0.0553263029f, -0.015157901f, 0.0556451285f,
    -0.0515038568f, -0.00601432732f, 0.00393549311f, 0.00447253945f, 6.66133815e-16f, 0.0f,
    -2.77555756e-17f, 3.33066907e-16f, 0.0367371621f, -0.00365051153f, -0.0294076891f, 0.0469854453f,
    0.056594024f, -0.0360174253f, -0.0524369745f, 0.0197077696f, 0.285830982f, -0.00650817775f,
    -0.0518843481f, 0.0650030862f, 0.12061382f, -0.00128609158f, -0.00964567289f, -0.0140239112f,
    0.0526162798f, 0.195960062f, -0.000934453365f, -0.0456890886f, 0.171898717f, -0.0430281344f,
    -0.0608684088f, 0.0544447796f, -0.0325233084f, -0.0170271399f, 0.553146445f, 0.436303844f,
    -0.010131569f, 0.425034399f, 0.541271792f, 0.111040023f, -0.0369176328f, 0.00395233741f,
    -0.0421635206f, 0.543159276f, 0.316663144f, 0.0421401995f, 0.338188641f, 0.0599323166f,
    0.0740465281f, -0.0022232468f, 0.0839294418f, -0.019768067f, 0.366914047f,
};
/* each batchnorm's running_mean then running_var after the train forward */
static const float CREF_RUNNING[50] = {
    0.0210352723f, 0.0462908044f, 0.0426755284f, 0.0154174009f, 0.0305850346f, -0.00594551927f,
    -0.0408629808f, -0.0280220127f, -0.0795145491f, 0.0270603195f, 0.0136171209f, -0.078151683f,
    0.00220249958f, -0.020248926f, -0.00123406268f, 0.0143940212f, 0.0440065962f, 0.00406673927f,
    0.908178153f, 0.903255947f, 0.900559427f, 0.921471751f, 0.920360121f, 0.918841155f,
    0.97759425f, 0.907198173f, 0.918024641f, 0.982090192f, 0.905190696f, 0.933951993f,
    0.92527923f, 0.918004411f, 0.97437238f, 0.932365951f, 0.911285359f, 0.93699008f,
    -0.00504336749f, -0.0100402019f, -0.013884244f, 0.902996146f, 0.902311033f, 0.901288772f,
    0.0123903342f, -0.000190277858f, -0.00521491587f, 0.0173459535f, 0.900143117f, 0.900124603f,
    0.900198577f, 0.900144611f,
};
/* net.eval()(x) afterwards */
static const float CREF_Y_EVAL[3] = {
    0.44419173f, 0.444194381f, 0.444065676f,
};


static const nn_layer_spec CONV_SPECS[] = {
    {.kind = NN_LAYER_LINEAR, .out = 18},
    {.kind = NN_LAYER_BATCHNORM},
    {.kind = NN_LAYER_RELU},
    {.kind = NN_LAYER_RESHAPE, .c = 2, .h = 3, .w = 3},
    {.kind = NN_LAYER_CONVT2D, .out = 3, .kernel = 4, .stride = 2, .pad = 1},
    {.kind = NN_LAYER_BATCHNORM2D},
    {.kind = NN_LAYER_RELU},
    {.kind = NN_LAYER_CONVT2D, .out = 1, .kernel = 4, .stride = 2, .pad = 1},
    {.kind = NN_LAYER_TANH},
    {.kind = NN_LAYER_CONV2D, .out = 2, .kernel = 4, .stride = 2, .pad = 1},
    {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
    {.kind = NN_LAYER_CONV2D, .out = 4, .kernel = 4, .stride = 2, .pad = 1},
    {.kind = NN_LAYER_BATCHNORM2D},
    {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
    {.kind = NN_LAYER_LINEAR, .out = 1},
    {.kind = NN_LAYER_SIGMOID}};
enum { CREF_N = 16, CREF_IN = 4, CREF_B = 3 };

static nn_model *conv_ref_model(void)
{
    nn_error err;
    nn_model *m = nn_model_create(CREF_IN, CONV_SPECS, CREF_N, 4, &err);
    if (!m) print_error("%s\n", err.msg);
    assert_non_null(m);
    assert_int_equal(m->n_params, sizeof CREF_PARAMS / sizeof CREF_PARAMS[0]);
    memcpy(m->params, CREF_PARAMS, sizeof CREF_PARAMS);
    return m;
}

static void test_conv_model_shapes(void **state)
{
    (void)state;
    nn_model *m = conv_ref_model();
    /* Each layer's input and output images, c x h x w (0s: plain features). */
    static const int shapes[CREF_N][6] = {
        {0, 0, 0, 0, 0, 0},  {0, 0, 0, 0, 0, 0},    {0, 0, 0, 0, 0, 0},   {0, 0, 0, 2, 3, 3},
        {2, 3, 3, 3, 6, 6},  {3, 6, 6, 3, 6, 6},    {3, 6, 6, 3, 6, 6},   {3, 6, 6, 1, 12, 12},
        {1, 12, 12, 1, 12, 12}, {1, 12, 12, 2, 6, 6}, {2, 6, 6, 2, 6, 6}, {2, 6, 6, 4, 3, 3},
        {4, 3, 3, 4, 3, 3},  {4, 3, 3, 4, 3, 3},    {4, 3, 3, 0, 0, 0},   {0, 0, 0, 0, 0, 0}};
    for (int i = 0; i < CREF_N; i++) {
        const nn_layer *l = &m->layers[i];
        const int got[6] = {l->in_c, l->in_h, l->in_w, l->out_c, l->out_h, l->out_w};
        if (memcmp(got, shapes[i], sizeof got) != 0)
            print_error("layer %d (%s): %dx%dx%d -> %dx%dx%d\n", i,
                        nn_layer_kind_name(l->spec.kind), got[0], got[1], got[2], got[3], got[4],
                        got[5]);
        assert_memory_equal(got, shapes[i], sizeof got);
        if (l->out_c) assert_int_equal(l->out, l->out_c * l->out_h * l->out_w);
    }
    assert_int_equal(m->layers[14].in, 36); /* the linear layer reads the 4x3x3 image flat */
    assert_int_equal(m->out, 1);
    /* torch counts 491 parameters: sum(p.numel() for p in net.parameters()).
     * ConvTranspose2d(2, 3, 4): w (2, 3, 4, 4) + b (3) = 99; Conv2d(2, 4, 4):
     * w (4, 2, 4, 4) + b (4) = 132; BatchNorm2d(4): gamma + beta = 8. */
    assert_int_equal(nn_model_param_count(m), 491);
    assert_int_equal(nn_layer_param_count(&m->layers[4]), 99);
    assert_int_equal(nn_layer_param_count(&m->layers[11]), 132);
    assert_int_equal(nn_layer_param_count(&m->layers[12]), 8);
    assert_int_equal(nn_layer_param_count(&m->layers[3]), 0);
    /* Running statistics: 18 + 3 + 4 channels, mean and variance. */
    assert_int_equal(m->n_buffers, 50);
    /* One block: the convolution's bias right after its 96 weights. */
    assert_ptr_equal(m->layers[4].w, m->params + 90 + 36);
    assert_ptr_equal(m->layers[4].b, m->layers[4].w + 96);
    assert_ptr_equal(m->layers[5].w, m->layers[4].b + 3);
    assert_non_null(m->scratch);
    assert_true(m->scratch_len > 0);
    assert_string_equal(nn_layer_kind_name(NN_LAYER_RESHAPE), "reshape");
    assert_string_equal(nn_layer_kind_name(NN_LAYER_CONV2D), "conv2d");
    assert_string_equal(nn_layer_kind_name(NN_LAYER_CONVT2D), "conv_transpose2d");
    assert_string_equal(nn_layer_kind_name(NN_LAYER_BATCHNORM2D), "batchnorm2d");
    nn_model_free(m);
}

static void test_conv_model_vs_torch(void **state)
{
    (void)state;
    static const int kernels[2] = {NN_KERNEL_FAST, NN_KERNEL_REFERENCE};
    for (int kn = 0; kn < 2; kn++) {
        nn_set_kernel(kernels[kn]);
        nn_model *m = conv_ref_model();
        const float *y = nn_model_forward(m, CREF_X, CREF_B, 1);
        assert_rel_close(y, CREF_Y, CREF_B, 1e-5);
        float dx[CREF_B * CREF_IN] = {0};
        nn_model_zero_grad(m);
        nn_model_backward(m, dx, CREF_R, CREF_B, 1);
        assert_rel_close(dx, CREF_DX, CREF_B * CREF_IN, 1e-5);
        /* Each layer's gradient on its own, so a small block is not hidden
         * by a large one. */
        for (int i = 0; i < CREF_N; i++) {
            const nn_layer *l = &m->layers[i];
            if (!l->w) continue;
            size_t off = (size_t)(l->dw - m->grads), n = nn_layer_param_count(l);
            if (nn_rel_error(l->dw, CREF_DPARAMS + off, n) > 1e-5)
                print_error("layer %d (%s), %s kernel\n", i, nn_layer_kind_name(l->spec.kind),
                            kn ? "reference" : "fast");
            assert_rel_close(l->dw, CREF_DPARAMS + off, n, 1e-5);
        }
        assert_rel_close(m->buffers, CREF_RUNNING, 50, 1e-5);
        /* Eval mode: the running statistics, unchanged by it. */
        y = nn_model_forward(m, CREF_X, CREF_B, 0);
        assert_rel_close(y, CREF_Y_EVAL, CREF_B, 1e-5);
        assert_rel_close(m->buffers, CREF_RUNNING, 50, 1e-6);
        nn_model_free(m);
    }
    nn_set_kernel(NN_KERNEL_FAST);
}

static void test_conv_model_frozen_and_copy(void **state)
{
    (void)state;
    nn_model *m = conv_ref_model();
    nn_model_forward(m, CREF_X, CREF_B, 1);
    float dx_train[CREF_B * CREF_IN] = {0}, dx_frozen[CREF_B * CREF_IN] = {0};
    nn_model_zero_grad(m);
    nn_model_backward(m, dx_train, CREF_R, CREF_B, 1);
    nn_model_zero_grad(m);
    nn_model_backward(m, dx_frozen, CREF_R, CREF_B, 0);
    assert_memory_equal(dx_frozen, dx_train, sizeof dx_train);
    for (size_t i = 0; i < m->n_params; i++) assert_true(m->grads[i] == 0.0f);
    /* No dx wanted: the same parameter gradients as with one. */
    nn_model_backward(m, NULL, CREF_R, CREF_B, 1);
    assert_rel_close(m->grads, CREF_DPARAMS, m->n_params, 1e-5);
    /* copy_params: the convolutions' weights and the 2-D running statistics. */
    nn_model *c = nn_model_create(CREF_IN, CONV_SPECS, CREF_N, 4, NULL);
    assert_non_null(c);
    nn_model_copy_params(c, m);
    assert_memory_equal(c->params, m->params, m->n_params * sizeof(float));
    assert_memory_equal(c->buffers, m->buffers, m->n_buffers * sizeof(float));
    float ym[CREF_B];
    memcpy(ym, nn_model_forward(m, CREF_X, CREF_B, 0), sizeof ym);
    assert_memory_equal(nn_model_forward(c, CREF_X, CREF_B, 0), ym, sizeof ym);
    nn_model_free(c);
    nn_model_free(m);
}

static void test_conv_model_gradcheck(void **state)
{
    (void)state;
    /* Every image layer, small enough to check every parameter. Batchnorm2d
     * comes after the activation: right after a convolution it would cancel
     * the convolution's bias, whose true gradient is then 0. */
    const nn_layer_spec specs[] = {
        {.kind = NN_LAYER_RESHAPE, .c = 1, .h = 5, .w = 4},
        {.kind = NN_LAYER_CONV2D, .out = 2, .kernel = 3, .stride = 2, .pad = 1}, /* 2x3x2 */
        {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
        {.kind = NN_LAYER_BATCHNORM2D},
        {.kind = NN_LAYER_CONVT2D, .out = 2, .kernel = 3, .stride = 2, .pad = 1}, /* 2x5x3 */
        {.kind = NN_LAYER_TANH},
        {.kind = NN_LAYER_RESHAPE, .c = 3, .h = 5, .w = 2},
        {.kind = NN_LAYER_CONV2D, .out = 1, .kernel = 2, .stride = 1, .pad = 0}, /* 1x4x1 */
        {.kind = NN_LAYER_LINEAR, .out = 2}};
    const int n = (int)(sizeof specs / sizeof specs[0]);
    nn_model *m = nn_model_create(20, specs, n, 4, NULL);
    assert_non_null(m);
    nn_rng r;
    float x[4 * 20];
    uint64_t seed;
    for (seed = 1; seed <= 200; seed++) {
        nn_rng_seed(&r, seed, 0);
        nn_model_init(m, &r, NN_INIT_XAVIER_NORMAL);
        for (int j = 0; j < 2; j++) {
            m->layers[3].w[j] = 0.8f + 0.3f * (float)j; /* gamma and beta away from 1, 0 */
            m->layers[3].b[j] = 0.1f - 0.25f * (float)j;
        }
        nn_rng_fill_normal(&r, x, 80, 0.0f, 1.0f);
        nn_model_forward(m, x, 4, 1);
        if (kink_margin(m) > 0.05f) break;
    }
    assert_true(seed <= 200);
    for (int kn = 0; kn < 2; kn++) {
        nn_set_kernel(kn ? NN_KERNEL_REFERENCE : NN_KERNEL_FAST);
        nn_gradcheck_report rep;
        double rel = nn_gradcheck_model(m, x, 4, &r, 1e-3f, 0, &rep);
        if (!(rel < 1e-2))
            print_error("seed %llu, worst %s[%zu]: rel %.3g\n", (unsigned long long)seed,
                        rep.worst, rep.worst_index, rel);
        assert_true(rel < 1e-2);
        assert_int_equal(rep.zero_grad, 0);
        assert_int_equal(rep.checked, 80 + m->n_params);
    }
    nn_set_kernel(NN_KERNEL_FAST);
    nn_model_free(m);
}

/* A reshape changes no number: forward hands the input on, backward the
 * gradient (added into dx, as every backward does). */
static void test_reshape_is_identity(void **state)
{
    (void)state;
    const nn_layer_spec specs[] = {{.kind = NN_LAYER_RESHAPE, .c = 2, .h = 1, .w = 3}};
    nn_model *m = nn_model_create(6, specs, 1, 2, NULL);
    assert_non_null(m);
    assert_int_equal(m->layers[0].out_c, 2);
    const float x[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    const float *y = nn_model_forward(m, x, 2, 1);
    assert_memory_equal(y, x, sizeof x);
    float dx[12];
    for (int i = 0; i < 12; i++) dx[i] = 1.0f;
    nn_model_backward(m, dx, x, 2, 1);
    for (int i = 0; i < 12; i++) assert_true(dx[i] == x[i] + 1.0f);
    nn_model_free(m);
}

static void test_conv_model_init(void **state)
{
    (void)state;
    /* torch's default for a convolution: U(-1/sqrt(fan_in), 1/sqrt(fan_in))
     * for w and b, fan_in = dimension 1 of the weight times k k: 16 * 9 for
     * the Conv2d(16 -> 32, 3), 8 * 16 for the ConvTranspose2d(32 -> 8, 4)
     * (torch reads its w (32, 8, 4, 4) the same way). */
    const nn_layer_spec specs[] = {
        {.kind = NN_LAYER_RESHAPE, .c = 16, .h = 8, .w = 8},
        {.kind = NN_LAYER_CONV2D, .out = 32, .kernel = 3, .stride = 1, .pad = 1},
        {.kind = NN_LAYER_CONVT2D, .out = 8, .kernel = 4, .stride = 2, .pad = 1}};
    nn_model *m = nn_model_create(16 * 64, specs, 3, 2, NULL);
    assert_non_null(m);
    nn_rng r;
    nn_rng_seed(&r, 5, 0);
    nn_model_init(m, &r, NN_INIT_TORCH);
    const nn_layer *c = &m->layers[1], *t = &m->layers[2];
    const double bc = 1.0 / sqrt(16.0 * 9.0), bt = 1.0 / sqrt(8.0 * 16.0);
    const size_t nc = 32 * 16 * 9, nt = 32 * 8 * 16;
    assert_true(nn_max_abs(c->w, nc) <= bc && nn_max_abs(c->w, nc) > 0.95 * bc);
    assert_true(nn_max_abs(c->b, 32) <= bc && nn_max_abs(c->b, 32) > 0.5 * bc);
    assert_true(nn_max_abs(t->w, nt) <= bt && nn_max_abs(t->w, nt) > 0.95 * bt);
    assert_true(nn_max_abs(t->b, 8) <= bt);
    assert_not_all_zero(t->b, 8);
    /* DCGAN's N(0, 0.02), biases 0. */
    nn_model_init(m, &r, NN_INIT_NORMAL_002);
    double ss = 0.0;
    for (size_t i = 0; i < nc; i++) ss += (double)c->w[i] * c->w[i];
    assert_close(sqrt(ss / (double)nc), 0.02, 0.001);
    assert_true(nn_max_abs(c->b, 32) == 0.0f && nn_max_abs(t->b, 8) == 0.0f);
    nn_model_free(m);
}

typedef struct {
    const char *what;
    int in, n;
    nn_layer_spec specs[3];
    const char *needle1, *needle2; /* both must appear in the message */
} conv_bad_case;

static void test_conv_model_refusals(void **state)
{
    (void)state;
    const nn_layer_spec img = {.kind = NN_LAYER_RESHAPE, .c = 1, .h = 6, .w = 5};
    const conv_bad_case cases[] = {
        {"conv without an image", 30, 1,
         {{.kind = NN_LAYER_CONV2D, .out = 2, .kernel = 3, .stride = 1}},
         "layer 0 (conv2d): its input rows (30 features) have no image shape", "reshape"},
        {"conv after linear", 30, 3,
         {img, {.kind = NN_LAYER_LINEAR, .out = 16},
          {.kind = NN_LAYER_CONVT2D, .out = 2, .kernel = 3, .stride = 1}},
         "layer 2 (conv_transpose2d)", "no image shape"},
        {"batchnorm2d without an image", 30, 1, {{.kind = NN_LAYER_BATCHNORM2D}},
         "layer 0 (batchnorm2d)", "NN_LAYER_BATCHNORM"},
        {"reshape of the wrong size", 30, 1, {{.kind = NN_LAYER_RESHAPE, .c = 1, .h = 5, .w = 5}},
         "layer 0 (reshape): 1 x 5 x 5 = 25 features", "rows have 30"},
        {"reshape with a 0 side", 30, 1, {{.kind = NN_LAYER_RESHAPE, .c = 30, .h = 1}},
         "layer 0 (reshape)", "30x1x0"},
        {"kernel larger than the padded input", 30, 2,
         {img, {.kind = NN_LAYER_CONV2D, .out = 2, .kernel = 8, .stride = 1, .pad = 1}},
         "layer 1 (conv2d): kernel 8 is larger than its 6x5 input padded to 8x7 (pad 1)",
         "at most 7"},
        {"stride 0", 30, 2, {img, {.kind = NN_LAYER_CONV2D, .out = 2, .kernel = 3}},
         "layer 1 (conv2d): stride 0 is below 1", ".stride"},
        {"kernel 0", 30, 2, {img, {.kind = NN_LAYER_CONVT2D, .out = 2, .stride = 1}},
         "layer 1 (conv_transpose2d): kernel 0 is below 1", ".kernel"},
        {"pad -1", 30, 2,
         {img, {.kind = NN_LAYER_CONV2D, .out = 2, .kernel = 3, .stride = 1, .pad = -1}},
         "layer 1 (conv2d): pad -1 is negative", ".pad"},
        {"no output channels", 30, 2, {img, {.kind = NN_LAYER_CONV2D, .kernel = 3, .stride = 1}},
         "layer 1 (conv2d): 0 output channels (.out)", "positive"},
        {"transposed output not positive", 30, 2,
         {img, {.kind = NN_LAYER_CONVT2D, .out = 2, .kernel = 1, .stride = 1, .pad = 3}},
         "layer 1 (conv_transpose2d): output size 0x-1", "6x5 input, kernel 1, stride 1, pad 3"},
        {"output too wide for an int", 30, 2,
         {img, {.kind = NN_LAYER_CONV2D, .out = 100000000, .kernel = 1, .stride = 1}},
         "layer 1 (conv2d): 100000000 channels of 6x5 pixels are 3000000000 features",
         "more than an int"},
        {"transposed image too large", 30, 2,
         {img, {.kind = NN_LAYER_CONVT2D, .out = 1, .kernel = 2, .stride = 500000000}},
         "layer 1 (conv_transpose2d): a 6x5 input", "more than an int"},
        {"weights per output too many", 30, 2,
         {img, {.kind = NN_LAYER_CONVT2D, .out = 1, .kernel = 50000, .stride = 1}},
         "layer 1 (conv_transpose2d): 1 channels times a 50000x50000 kernel", "more than an int"},
        {"batchnorm2d momentum", 30, 2, {img, {.kind = NN_LAYER_BATCHNORM2D, .arg = 2.0f}},
         "layer 1 (batchnorm2d): momentum 2", "[0, 1]"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nn_error err;
        memset(&err, 0, sizeof err);
        nn_model *m = nn_model_create(cases[i].in, cases[i].specs, cases[i].n, 4, &err);
        if (m || err.code != NN_ERR_ARG || !strstr(err.msg, cases[i].needle1) ||
            !strstr(err.msg, cases[i].needle2)) {
            print_error("case '%s': model %p, code %d, message \"%s\"; expected \"%s\" and "
                        "\"%s\"\n", cases[i].what, (void *)m, err.code, err.msg,
                        cases[i].needle1, cases[i].needle2);
            nn_model_free(m);
            fail();
        }
    }
}

static void test_conv_checkpoint(void **state)
{
    (void)state;
    char path[512];
    path_in_tmp(path, sizeof path, "conv.ckpt");
    nn_model *a = conv_ref_model();
    nn_adam opt = nn_adam_gan_defaults();
    for (int s = 0; s < 2; s++) {
        nn_model_forward(a, CREF_X, CREF_B, 1);
        nn_model_zero_grad(a);
        nn_model_backward(a, NULL, CREF_R, CREF_B, 1);
        nn_model_adam_step(a, &opt);
    }
    nn_error err;
    assert_int_equal(nn_model_save(a, path, &err), NN_OK);
    nn_model *b = conv_ref_model();
    assert_int_equal(nn_model_load(b, path, &err), NN_OK);
    snapshot sa = snap(a);
    assert_same_state(b, &sa);
    float ya[CREF_B];
    memcpy(ya, nn_model_forward(a, CREF_X, CREF_B, 0), sizeof ya);
    assert_memory_equal(nn_model_forward(b, CREF_X, CREF_B, 0), ya, sizeof ya);
    snap_free(&sa);
    nn_model_free(b);

    /* Other shapes are refused, the model untouched: another kernel,
     * stride and padding with the same widths and parameter count (a 5x5
     * kernel, stride 1, pad 2 keeps the image), another channel count, and
     * another reshape of the same width. */
    const nn_layer_spec k3[] = {{.kind = NN_LAYER_RESHAPE, .c = 1, .h = 6, .w = 6},
                                {.kind = NN_LAYER_CONV2D, .out = 2, .kernel = 3, .stride = 1,
                                 .pad = 1}};
    const nn_layer_spec k3s[] = {{.kind = NN_LAYER_RESHAPE, .c = 1, .h = 6, .w = 6},
                                 {.kind = NN_LAYER_CONV2D, .out = 2, .kernel = 3, .stride = 2,
                                  .pad = 1}};
    const nn_layer_spec c4[] = {{.kind = NN_LAYER_RESHAPE, .c = 1, .h = 6, .w = 6},
                                {.kind = NN_LAYER_CONV2D, .out = 4, .kernel = 3, .stride = 1,
                                 .pad = 1}};
    const nn_layer_spec r2[] = {{.kind = NN_LAYER_RESHAPE, .c = 4, .h = 3, .w = 3},
                                {.kind = NN_LAYER_CONV2D, .out = 2, .kernel = 3, .stride = 1,
                                 .pad = 1}};
    nn_model *s3 = nn_model_create(36, k3, 2, 2, NULL);
    assert_non_null(s3);
    assert_int_equal(nn_model_save(s3, path, NULL), NN_OK);
    nn_model *other = nn_model_create(36, k3s, 2, 2, NULL);
    assert_non_null(other);
    expect_rejected(other, path, NN_ERR_SHAPE, "conv2d layer at position 1 of 36 -> 72 features "
                    "(kernel 3, stride 1, pad 1");
    expect_rejected(other, path, NN_ERR_SHAPE, "this model's is 36 -> 18 (kernel 3, stride 2");
    nn_model_free(other);
    other = nn_model_create(36, c4, 2, 2, NULL);
    expect_rejected(other, path, NN_ERR_SHAPE, "this model's is 36 -> 144");
    nn_model_free(other);
    other = nn_model_create(36, r2, 2, 2, NULL);
    assert_non_null(other);
    expect_rejected(other, path, NN_ERR_SHAPE, "reshape layer at position 0");
    expect_rejected(other, path, NN_ERR_SHAPE, "image 1x6x6) where this model's is 36 -> 36 "
                    "(kernel 0, stride 0, pad 0, image 4x3x3)");
    nn_model_free(other);
    nn_model_free(s3);
    nn_model_free(a);
}

/* ------------------------------------------------------------ determinism */

/* Builds, initialises and runs a model with dropout from one seed. */
static void run_seeded(uint64_t seed, float *out)
{
    const nn_layer_spec specs[] = {{.kind = NN_LAYER_LINEAR, .out = 16},
                                   {.kind = NN_LAYER_BATCHNORM},
                                   {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
                                   {.kind = NN_LAYER_DROPOUT, .arg = 0.5f},
                                   {.kind = NN_LAYER_LINEAR, .out = 3}};
    nn_model *m = nn_model_create(4, specs, 5, 8, NULL);
    nn_rng r;
    nn_rng_seed(&r, seed, 0);
    nn_model_init(m, &r, NN_INIT_NORMAL_002);
    float x[8 * 4];
    nn_rng_fill_normal(&r, x, 32, 0.0f, 1.0f);
    nn_adam opt = nn_adam_gan_defaults();
    float dy[8 * 3];
    for (int s = 0; s < 3; s++) {
        const float *y = nn_model_forward(m, x, 8, 1);
        for (int i = 0; i < 24; i++) dy[i] = y[i];
        nn_model_zero_grad(m);
        nn_model_backward(m, NULL, dy, 8, 1);
        nn_model_adam_step(m, &opt);
    }
    memcpy(out, nn_model_forward(m, x, 8, 1), 24 * sizeof(float));
    nn_model_free(m);
}

static void test_same_seed_bit_identical(void **state)
{
    (void)state;
    float a[24], b[24], c[24];
    run_seeded(77, a);
    run_seeded(77, b);
    run_seeded(78, c);
    assert_memory_equal(a, b, sizeof a);
    assert_not_all_zero(a, 24);
    assert_true(memcmp(a, c, sizeof a) != 0);
}

/* A clone has the same outputs; an average moves a (1 - beta) share of the
 * way to the model each step, and takes its buffers as they are. */
static void test_clone_and_ema(void **state)
{
    (void)state;
    const nn_layer_spec spec[] = {{.kind = NN_LAYER_LINEAR, .out = 3},
                                  {.kind = NN_LAYER_BATCHNORM},
                                  {.kind = NN_LAYER_LINEAR, .out = 2}};
    nn_model *m = nn_model_create(4, spec, 3, 2, NULL);
    assert_non_null(m);
    nn_rng r;
    nn_rng_seed(&r, 3, 0);
    nn_model_init(m, &r, NN_INIT_TORCH);
    nn_model *c = nn_model_clone(m, NULL);
    assert_non_null(c);
    const float x[8] = {0.5f, -1, 2, 0.25f, 1, 0, -0.5f, 0.75f};
    float a[4];
    memcpy(a, nn_model_forward(m, x, 2, 0), sizeof a);
    const float *b = nn_model_forward(c, x, 2, 0);
    for (int i = 0; i < 4; i++) assert_true(a[i] == b[i]);
    float p0 = c->params[0];
    m->params[0] = p0 + 1.0f;
    m->buffers[0] = 5.0f;
    nn_model_ema(c, m, 0.75f);
    assert_close(c->params[0], p0 + 0.25, 1e-6);
    assert_true(c->buffers[0] == 5.0f);
    nn_model_free(c);
    nn_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clone_and_ema),
        cmocka_unit_test(test_create_rejects_bad_specs),
        cmocka_unit_test(test_param_counts_classic_d_and_g),
        cmocka_unit_test(test_forward_equals_layer_functions),
        cmocka_unit_test(test_forward_backward_vs_torch),
        cmocka_unit_test(test_gradcheck_every_layer_kind),
        cmocka_unit_test(test_frozen_backward),
        cmocka_unit_test(test_eval_mode_backward),
        cmocka_unit_test(test_batchnorm_running_stats_by_hand),
        cmocka_unit_test(test_dropout_train_and_eval),
        cmocka_unit_test(test_adam_step_and_copy),
        cmocka_unit_test_setup_teardown(test_checkpoint_round_trip, tu_tmpdir_setup, tu_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_checkpoint_corrupt_files_rejected, tu_tmpdir_setup,
                                        tu_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_checkpoint_checksum, tu_tmpdir_setup, tu_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_checkpoint_other_architecture, tu_tmpdir_setup,
                                        tu_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_checkpoint_save_failure, tu_tmpdir_setup, tu_tmpdir_teardown),
        cmocka_unit_test(test_same_seed_bit_identical),
        cmocka_unit_test(test_conv_model_shapes),
        cmocka_unit_test(test_conv_model_vs_torch),
        cmocka_unit_test(test_conv_model_frozen_and_copy),
        cmocka_unit_test(test_conv_model_gradcheck),
        cmocka_unit_test(test_reshape_is_identity),
        cmocka_unit_test(test_conv_model_init),
        cmocka_unit_test(test_conv_model_refusals),
        cmocka_unit_test_setup_teardown(test_conv_checkpoint, tu_tmpdir_setup, tu_tmpdir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
