/* test_model.c - the sequential model: spec checks, block layout, forward
 * and backward against the layer functions and against torch, frozen
 * backward, batchnorm statistics, Adam, checkpoints and determinism. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gradcheck.h"
#include "layers.h"
#include "model.h"

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

    path_in_tmp(bad, sizeof bad, "count.ckpt");
    uint64_t np;
    size_t count_off = 20 + 16 * REF_N;
    memcpy(&np, d + count_off, 8);
    np += 1;
    memcpy(d + count_off, &np, 8);
    write_all(bad, d, n);
    expect_rejected(m, bad, NN_ERR_FORMAT, "parameters");

    /* Not one of the rejected loads touched m; the good file still loads. */
    assert_int_equal(nn_model_load(m, good, NULL), NN_OK);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
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
        cmocka_unit_test_setup_teardown(test_checkpoint_other_architecture, tu_tmpdir_setup,
                                        tu_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_checkpoint_save_failure, tu_tmpdir_setup, tu_tmpdir_teardown),
        cmocka_unit_test(test_same_seed_bit_identical),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
