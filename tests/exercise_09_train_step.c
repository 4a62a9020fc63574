/* Exercise 9: the GAN step, nn_gan_d_update / nn_gan_g_update / nn_gan_step.
 *
 * A tiny G (3 -> 5 -> 4, leaky ReLU 0.2, tanh) and D (4 -> 6 -> 1) start
 * from fixed weights; one step must leave the statistics, D's and G's
 * gradients and both networks' weights that PyTorch's autograd and
 * torch.optim.Adam give from the same start (tests/reference/
 * exercise_train_step.py: the same real batches, and the same latent
 * vectors, which that script draws with lib/base/rng.c's generator). Four
 * settings: the non-saturating objective; minimax with 2 D updates and label
 * smoothing 0.9; Wasserstein with the gradient penalty; unrolling by 2.
 * The step calls exercises 1, 3, 5, 7, 8, 11 and 12, and the Wasserstein
 * case 16 and 18: this test links only your exercise 9, with the course's
 * answers for all of those (make check, and make test's stub check). */
#define EX_NUM 9
#define EX_FUNC "nn_gan_step"
#include "exercise_util.h"
#include "nn.h"

#include <string.h>

enum { LAT = 3, DIM = 4, HID_G = 5, HID_D = 6, B = 4 };
enum { N_D = HID_D * DIM + HID_D + HID_D + 1, N_G = HID_G * LAT + HID_G + DIM * HID_G + DIM };

typedef struct {
    float d_loss, g_loss, d_real, d_fake, d_grad_norm, g_grad_norm;
    float d_grads[N_D], g_grads[N_G];   /* after the step, layer by layer: w then b */
    float d_after[N_D], g_after[N_G];   /* the weights after both Adam steps */
} step_ref;

/* Printed by tests/reference/exercise_train_step.py. */
/* the real batches: 3 of (4, 4) */
static const float real_ref[48] = {-0.55f, 0.25f, -0.35f, 0.45f, -0.15f, 0.65f, 0.05f, -0.55f, 0.25f, -0.35f, 0.45f, -0.15f, 0.65f, 0.05f, -0.55f, 0.25f, -0.35f, 0.45f, -0.15f, 0.65f, 0.05f, -0.55f, 0.25f, -0.35f, 0.45f, -0.15f, 0.65f, 0.05f, -0.55f, 0.25f, -0.35f, 0.45f, -0.15f, 0.65f, 0.05f, -0.55f, 0.25f, -0.35f, 0.45f, -0.15f, 0.65f, 0.05f, -0.55f, 0.25f, -0.35f, 0.45f, -0.15f, 0.65f};
/* ref_nonsat: objective nonsat, d_steps 1, real label 1, penalty 0, unroll 0 */
static const step_ref ref_nonsat = {
    1.35023202f, 0.782249967f, 0.477121114f, 0.449574475f, 0.284861146f, 0.329793315f,
    {-0.00569225816f, 0.0845280682f, 0.00748370887f, -0.0580116509f, -0.0444968089f, -0.0722087819f, 0.0280576338f, 0.0531604504f, -0.0301123949f, -0.0198809762f, 0.0191574902f, -0.00344909288f, -0.0150561975f, -0.00994048812f, 0.0095787451f, -0.00172454644f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0197023834f, -0.00566396153f, 0.00702255727f, -0.0146132277f, 0.114601977f, -0.157404725f, -0.0558605848f, -0.0279302924f, 0.0f, 0.0092825202f, -0.0576545951f, -0.0733825756f, -0.0267966442f, -0.0130826549f, -0.00865638206f, -0.00349818075f, -0.0733044105f},
    {-0.135154034f, 0.0103953193f, -0.0335042837f, 0.00964788158f, 0.00673943366f, 0.00291117606f, -0.0387872732f, -0.0285283701f, -0.00791324151f, 0.00783281478f, 0.00170704357f, 0.00171279861f, 0.128863736f, -0.0446390644f, 0.0314466148f, 0.0700096015f, -0.0124806463f, 0.0472038262f, -0.0064263402f, -0.0500620893f, -0.0315858846f, -0.0508483479f, -0.00958031946f, 0.0182321543f, -0.0811344536f, 0.00300329556f, 0.00450353654f, -0.000176643563f, -0.00145925284f, 0.0063038815f, 0.0289643534f, 0.0455372329f, 0.00119519309f, -0.0153810805f, 0.067509854f, -0.0284063405f, -0.0433687863f, 0.00396120509f, 0.0139094971f, -0.0601767197f, -0.141595686f, 0.00708128971f, 0.0918280441f, -0.0618987513f},
    {-0.580035098f, 0.380002372f, -0.0199733109f, -0.380003453f, 0.61999553f, 0.219997234f, -0.219992877f, -0.619996262f, 0.419993366f, 0.0199899452f, -0.419989572f, 0.619942205f, 0.219986728f, -0.180020102f, -0.619979166f, 0.419884702f, 0.0f, -0.400000006f, 0.600000024f, 0.200000003f, -0.219989857f, -0.580035273f, 0.380028445f, 0.0199863231f, -0.169998261f, -0.130001276f, -0.130003586f, -0.130007164f, -0.150000006f, -0.169978483f, -0.730003468f, 0.769997275f, 0.519992539f, 0.269984724f, 0.0199769223f, -0.23005701f, -0.130002734f},
    {-0.290000752f, -0.00999038953f, 0.309997028f, -0.109989647f, 0.190014819f, -0.20996577f, 0.109997424f, -0.290003516f, 0.0099873789f, 0.290012762f, -0.109941762f, 0.190058048f, -0.209999227f, 0.109997762f, -0.309996833f, -0.159998578f, 0.109991995f, -0.00999788198f, -0.0900155383f, 0.159998009f, -0.440003153f, 0.15999804f, -0.290010439f, 0.290005494f, -0.140001238f, 0.440033174f, -0.00997784442f, -0.440535769f, 0.159931944f, -0.309984174f, 0.290003463f, -0.15999781f, 0.440082962f, 0.00999350273f, -0.459998507f, 0.159996487f, -0.290002317f, 0.290025193f, -0.159992822f, 0.459998327f, -0.140000712f, 0.140014108f, 0.0900010904f, 0.0599983855f},
};
/* ref_minimax_smooth: objective minimax, d_steps 2, real label 0.9, penalty 0, unroll 0 */
static const step_ref ref_minimax_smooth = {
    1.38794884f, -0.605186024f, 0.448046686f, 0.453896633f, 0.160494955f, 0.309448178f,
    {-0.0271858011f, -0.0116618734f, -0.0270050499f, 0.0385249749f, 0.00728407317f, 0.0259622596f, -0.00107419351f, -0.016521002f, 0.0356780935f, -0.0319878248f, -0.00241920234f, -0.0483423371f, 0.0185231447f, -0.0166072525f, -0.00125598738f, -0.0250980929f, -0.000869305597f, 0.00151243729f, -0.00185200908f, 0.00031551095f, 0.010009166f, -0.0174141704f, 0.0213239927f, -0.0036327863f, 0.00520022876f, 0.0709654912f, -0.0441075351f, -0.0228994931f, -0.00360272768f, 0.041481729f, 0.00350907034f, 0.0149108632f, -0.0133574543f, 0.00474294571f, -0.0556922841f, -0.0457595146f, 0.00194331868f},
    {0.0222121837f, 0.0393605993f, 0.0599013248f, -0.00907613525f, -0.00661212011f, -0.00385208094f, 0.0163921482f, 0.0145690004f, 0.00513274036f, -0.0614151017f, -0.0363185274f, -0.0495989946f, 0.0264860855f, -0.0368797942f, 0.0456881759f, 0.0548978397f, -0.0120862249f, 0.028932634f, -0.044248561f, -0.0361658143f, -0.0048376167f, -0.0377983307f, 0.00763448352f, -0.0532290997f, -0.0399748251f, 0.00638111941f, 0.00155726346f, -0.000717859072f, -0.00449638884f, 0.00204915452f, -0.0032073668f, 0.0307500098f, -0.00446022378f, 0.0157797779f, 0.0351979361f, -0.00676103004f, -0.031430781f, 0.00414307905f, 0.0242962154f, -0.0392420658f, -0.217158251f, 0.0095621209f, 0.100204152f, -0.0396466926f},
    {-0.602706085f, 0.373859517f, -0.00733449445f, -0.382834415f, 0.625521943f, 0.221091439f, -0.228337399f, -0.62286116f, 0.411184557f, 0.0410546571f, -0.424271935f, 0.598161281f, 0.210831727f, -0.158973265f, -0.624049208f, 0.398241234f, 0.0185497682f, -0.418676877f, 0.618708665f, 0.181957072f, -0.237326647f, -0.559410115f, 0.359487687f, 0.0338748458f, -0.180804404f, -0.132095912f, -0.108981068f, -0.108974389f, -0.131222232f, -0.148954206f, -0.721928929f, 0.775063455f, 0.53873695f, 0.265129556f, 0.0401374377f, -0.21020096f, -0.180761724f},
    {-0.309995512f, -0.00999746003f, 0.290001681f, -0.0900110073f, 0.209984902f, -0.190025896f, 0.0900060983f, -0.309993153f, -0.00998055511f, 0.309998384f, -0.0900027541f, 0.209997987f, -0.209996229f, 0.109997291f, -0.309997824f, -0.159998185f, 0.109991734f, -0.00999654489f, -0.0900022609f, 0.159997242f, -0.440020617f, 0.159997361f, -0.309986931f, 0.309998134f, -0.140002507f, 0.440015635f, -0.00993619452f, -0.440137377f, 0.159977815f, -0.309951448f, 0.309968931f, -0.159996755f, 0.459977618f, -0.00999366679f, -0.459997148f, 0.159985237f, -0.290003193f, 0.29002409f, -0.159995892f, 0.45999744f, -0.140000466f, 0.140010453f, 0.0900009994f, 0.0599974791f},
};
/* ref_wgan_gp: objective wasserstein, d_steps 1, real label 1, penalty 1, unroll 0 */
static const step_ref ref_wgan_gp = {
    0.0503120719f, 0.190893671f, 0.477121114f, 0.449574475f, 0.777435626f, 0.669908264f,
    {0.245273692f, 0.0819640863f, -0.0530525985f, -0.0112132809f, -0.213416529f, -0.122652503f, 0.127141945f, 0.0469004766f, -0.188346444f, -0.0289424383f, 0.110805745f, -0.0592080272f, -0.0941732219f, -0.0144712192f, 0.0554028725f, -0.0296040136f, 0.0f, 0.0f, 0.0f, 0.0f, 0.121321012f, 0.00767236901f, -0.0414212044f, -0.00900912804f, 0.15f, -0.3f, -0.1f, -0.05f, 0.0f, 0.0f, 0.176524366f, -0.214865464f, -0.280371389f, -0.214094924f, 0.118893988f, 0.181744426f, 0.0f},
    {-0.26196291f, 0.0271211048f, -0.0661229126f, 0.0223640406f, 0.0138624906f, 0.00622780497f, -0.0944670794f, -0.0989117467f, -0.0106047177f, 0.0166370053f, 0.00536072196f, 0.00315708888f, 0.249465694f, -0.0886923182f, 0.0615115414f, 0.131609481f, -0.0269494688f, 0.129102101f, -0.014511944f, -0.0957774343f, -0.0626217844f, -0.0997466512f, -0.0213183211f, 0.0359031196f, -0.159608513f, 0.00311308778f, 0.00771490503f, -0.0132926011f, -0.00149919106f, 0.00644751151f, 0.058738483f, 0.0901529754f, 0.0116157339f, -0.0311739188f, 0.136826449f, -0.0546110552f, -0.0836017676f, 0.0087418999f, 0.0267227713f, -0.115594613f, -0.284510843f, -0.0302760886f, 0.212293438f, -0.115566325f},
    {-0.619999208f, 0.380002446f, 0.0199962309f, -0.380017826f, 0.619999087f, 0.219998372f, -0.21999843f, -0.61999576f, 0.419998944f, 0.0199930921f, -0.419998201f, 0.619996646f, 0.219997879f, -0.180013814f, -0.619996415f, 0.419993252f, 0.0f, -0.400000006f, 0.600000024f, 0.200000003f, -0.219998355f, -0.61997399f, 0.419995179f, 0.0199778249f, -0.169998673f, -0.130000673f, -0.130002006f, -0.130004005f, -0.150000006f, -0.150000006f, -0.769998867f, 0.769999069f, 0.519999287f, 0.269999066f, -0.019998318f, -0.2699989f, -0.150000006f},
    {-0.290000394f, -0.00999631419f, 0.3099985f, -0.109995532f, 0.190007211f, -0.209983972f, 0.109998943f, -0.290001023f, 0.00999057912f, 0.290006019f, -0.109981382f, 0.190031578f, -0.209999602f, 0.109998874f, -0.309998386f, -0.159999246f, 0.109996292f, -0.00999922548f, -0.0900068876f, 0.159998962f, -0.440001585f, 0.159999004f, -0.290004701f, 0.290002796f, -0.140000632f, 0.440032008f, -0.00998705486f, -0.440007505f, 0.159933745f, -0.309984526f, 0.290001714f, -0.159998897f, 0.44000859f, 0.00999679322f, -0.459999257f, 0.159998175f, -0.290001208f, 0.290011438f, -0.159996265f, 0.459999123f, -0.140000357f, 0.159996704f, 0.0900004725f, 0.0599991355f},
};
/* ref_unroll: objective nonsat, d_steps 1, real label 1, penalty 0, unroll 2 */
static const step_ref ref_unroll = {
    1.35023202f, 0.743469297f, 0.477121114f, 0.449574475f, 0.284861146f, 0.387578423f,
    {-0.00569225816f, 0.0845280682f, 0.00748370887f, -0.0580116509f, -0.0444968089f, -0.0722087819f, 0.0280576338f, 0.0531604504f, -0.0301123949f, -0.0198809762f, 0.0191574902f, -0.00344909288f, -0.0150561975f, -0.00994048812f, 0.0095787451f, -0.00172454644f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0197023834f, -0.00566396153f, 0.00702255727f, -0.0146132277f, 0.114601977f, -0.157404725f, -0.0558605848f, -0.0279302924f, 0.0f, 0.0092825202f, -0.0576545951f, -0.0733825756f, -0.0267966442f, -0.0130826549f, -0.00865638206f, -0.00349818075f, -0.0733044105f},
    {0.0221792137f, -0.0272251699f, 0.0813504796f, -0.00477888965f, -0.00550424287f, -0.00319899582f, 0.00366991644f, 0.00555082254f, -0.000600871124f, -0.012911399f, 0.000254114875f, -0.0277800597f, 0.00509002667f, -0.0478743701f, 0.0839879879f, 0.0625868856f, -0.00701869861f, 0.0180427113f, -0.0251557041f, -0.0891315043f, -0.0137423794f, -0.0497857861f, -0.0172355932f, -0.0372156922f, -0.0582058815f, 0.00994372364f, -0.0028118499f, 0.00878385632f, 0.0155045469f, -0.00339020978f, -0.00636743912f, 0.0508524163f, -0.000869069349f, 0.00133355591f, 0.0611856913f, -0.00256778013f, -0.0480356669f, -0.00708372275f, -0.0126650198f, -0.059079893f, -0.228247714f, 0.0286421098f, 0.143985313f, -0.157696757f},
    {-0.580035098f, 0.380002372f, -0.0199733109f, -0.380003453f, 0.61999553f, 0.219997234f, -0.219992877f, -0.619996262f, 0.419993366f, 0.0199899452f, -0.419989572f, 0.619942205f, 0.219986728f, -0.180020102f, -0.619979166f, 0.419884702f, 0.0f, -0.400000006f, 0.600000024f, 0.200000003f, -0.219989857f, -0.580035273f, 0.380028445f, 0.0199863231f, -0.169998261f, -0.130001276f, -0.130003586f, -0.130007164f, -0.150000006f, -0.169978483f, -0.730003468f, 0.769997275f, 0.519992539f, 0.269984724f, 0.0199769223f, -0.23005701f, -0.130002734f},
    {-0.309995505f, 0.00999632828f, 0.290001241f, -0.0900208832f, 0.209981868f, -0.190031165f, 0.090027176f, -0.309982029f, 0.00983629935f, 0.309992273f, -0.109621378f, 0.209996405f, -0.209980395f, 0.109997913f, -0.309998821f, -0.159998408f, 0.109985774f, -0.00999446067f, -0.0900039752f, 0.159998884f, -0.44000726f, 0.159997998f, -0.290005811f, 0.309997326f, -0.140001724f, 0.440010035f, 0.00996456225f, -0.459988617f, 0.140006452f, -0.290029422f, 0.309984332f, -0.15999804f, 0.459886231f, -0.00992557064f, -0.459998354f, 0.159961213f, -0.290002093f, 0.309985915f, -0.140007895f, 0.459998296f, -0.140000444f, 0.140003496f, 0.090000696f, 0.0599993667f},
};

/* det(n, a, b)[i] = a * ((i * b) % 7 - 3) / 10: the script's starting weights. */
static void det(float *w, int n, float a, int b)
{
    for (int i = 0; i < n; i++) w[i] = a * (float)(((i * b) % 7) - 3) / 10.0f;
}

/* Copies a model's linear layers, w then b, into out (or back when load). */
static void linear_params(nn_model *m, float *buf, int load)
{
    size_t k = 0;
    for (int i = 0; i < m->n_layers; i++) {
        nn_layer *l = &m->layers[i];
        if (l->spec.kind != NN_LAYER_LINEAR) continue;
        size_t nw = (size_t)l->in * (size_t)l->out;
        if (load) {
            memcpy(l->w, buf + k, nw * sizeof(float));
            memcpy(l->b, buf + k + nw, (size_t)l->out * sizeof(float));
        } else {
            memcpy(buf + k, l->w, nw * sizeof(float));
            memcpy(buf + k + nw, l->b, (size_t)l->out * sizeof(float));
        }
        k += nw + (size_t)l->out;
    }
}

static void linear_grads(const nn_model *m, float *out)
{
    size_t k = 0;
    for (int i = 0; i < m->n_layers; i++) {
        const nn_layer *l = &m->layers[i];
        if (l->spec.kind != NN_LAYER_LINEAR) continue;
        size_t nw = (size_t)l->in * (size_t)l->out;
        memcpy(out + k, l->dw, nw * sizeof(float));
        memcpy(out + k + nw, l->db, (size_t)l->out * sizeof(float));
        k += nw + (size_t)l->out;
    }
}

/* The script's networks: weights det(n, 1 + k/2, 3 + k), biases
 * det(out, 0.5, 5 + k) for the k-th linear layer (G's two, then D's two). */
static nn_gan *make_gan(nn_gan_objective obj, int d_steps, float label, float gp, int unroll)
{
    nn_gan_arch a = {.latent_dim = LAT, .data_dim = DIM, .g_hidden = {HID_G}, .n_g_hidden = 1,
                     .g_slope = 0.2f, .g_tanh = 1, .d_hidden = {HID_D}, .n_d_hidden = 1,
                     .d_slope = 0.2f, .pack = 1};
    nn_gan_config c = {.objective = obj, .lr_g = 0.01f, .lr_d = 0.02f, .beta1 = 0.5f,
                       .beta2 = 0.999f, .batch = B, .d_steps = d_steps, .real_label = label,
                       .gp_lambda = gp, .unroll = unroll, .grad_norms = 1};
    nn_error err = {NN_OK, ""};
    nn_gan *g = nn_gan_create(&a, &c, NN_INIT_NORMAL_002, 1, &err);
    ex_expect(g != NULL, "nn_gan_create failed: %s (it runs the course's answers to "
              "exercises 2, 4 and 6)", err.msg);
    const int shapes[4][2] = {{HID_G, LAT}, {DIM, HID_G}, {HID_D, DIM}, {1, HID_D}};
    float gbuf[N_G], dbuf[N_D], *dst[4] = {gbuf, gbuf + HID_G * LAT + HID_G, dbuf,
                                           dbuf + HID_D * DIM + HID_D};
    for (int k = 0; k < 4; k++) {
        int n = shapes[k][0] * shapes[k][1];
        det(dst[k], n, 1.0f + 0.5f * (float)k, 3 + k);
        det(dst[k] + n, shapes[k][0], 0.5f, 5 + k);
    }
    linear_params(g->G, gbuf, 1);
    linear_params(g->D, dbuf, 1);
    /* The stream the script draws its latent vectors from. */
    nn_rng_seed(&g->rng, 5, 3);
    /* Adam's eps 1e-5 (the script's too): a gradient that is 0 in exact
     * arithmetic comes out as float32 round-off (1e-9) here and 0 in the
     * script's float64, and Adam's first step, g / (|g| + eps), would turn
     * that difference into a sizeable move with eps 1e-8. */
    g->opt_g.eps = g->opt_d.eps = 1e-5f;
    return g;
}

static void check_step(nn_gan_objective obj, int d_steps, float label, float gp, int unroll,
                       const step_ref *want, const char *what)
{
    nn_gan *g = make_gan(obj, d_steps, label, gp, unroll);
    nn_gan_stats st;
    memset(&st, 0, sizeof st);
    nn_gan_step(g, real_ref, &st);

    float got[6] = {st.d_loss, st.g_loss, st.d_real, st.d_fake, st.d_grad_norm, st.g_grad_norm};
    const float ref[6] = {want->d_loss, want->g_loss, want->d_real, want->d_fake,
                          want->d_grad_norm, want->g_grad_norm};
    static const char *const names[6] = {"d_loss", "g_loss", "d_real (mean D(x))",
                                         "d_fake (mean D(G(z)))", "d_grad_norm", "g_grad_norm"};
    for (int i = 0; i < 6; i++)
        ex_expect(fabsf(got[i] - ref[i]) <= 1e-4f * (1.0f + fabsf(ref[i])),
                  "%s: stats.%s is %.7g, PyTorch's step gives %.7g%s", what, names[i],
                  (double)got[i], (double)ref[i],
                  got[i] == 0.0f ? " (not filled in?)" : "");

    float d_grads[N_D], g_grads[N_G], d_after[N_D], g_after[N_G];
    linear_grads(g->D, d_grads);
    linear_grads(g->G, g_grads);
    char msg[160];
    snprintf(msg, sizeof msg, "%s: D's gradient of its last update (zero D's grads first; "
             "real and fake halves both count)", what);
    ex_expect_close(d_grads, want->d_grads, N_D, 1e-4, msg);
    snprintf(msg, sizeof msg, "%s: G's gradient (through D frozen, into the fakes, then G)",
             what);
    ex_expect_close(g_grads, want->g_grads, N_G, 1e-4, msg);
    linear_params(g->D, d_after, 0);
    linear_params(g->G, g_after, 0);
    snprintf(msg, sizeof msg, "%s: D's weights after the step (one Adam step per D update)",
             what);
    ex_expect_close(d_after, want->d_after, N_D, 1e-4, msg);
    snprintf(msg, sizeof msg, "%s: G's weights after the step (one Adam step)", what);
    ex_expect_close(g_after, want->g_after, N_G, 1e-4, msg);
    ex_expect(g->steps == 1, "%s: g->steps is %ld after one step, expected 1", what, g->steps);
    nn_gan_free(g);
}

static void test_nonsat(void **state)
{
    (void)state;
    check_step(NN_GAN_NONSAT, 1, 1.0f, 0.0f, 0, &ref_nonsat, "non-saturating");
}

static void test_minimax_two_d_steps_smoothed(void **state)
{
    (void)state;
    check_step(NN_GAN_MINIMAX, 2, 0.9f, 0.0f, 0, &ref_minimax_smooth,
               "minimax, 2 D updates (real batch k for update k), label 0.9");
}

static void test_wgan_gp(void **state)
{
    (void)state;
    check_step(NN_GAN_WASSERSTEIN, 1, 1.0f, 1.0f, 0, &ref_wgan_gp,
               "Wasserstein with gradient penalty 1 (nn_gan_penalty when gp_lambda > 0)");
}

static void test_unroll(void **state)
{
    (void)state;
    check_step(NN_GAN_NONSAT, 1, 1.0f, 0.0f, 2, &ref_unroll,
               "unrolled by 2 (G judged by the copy after 2 more updates; D keeps its own)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nonsat),
        cmocka_unit_test(test_minimax_two_d_steps_smoothed),
        cmocka_unit_test(test_wgan_gp),
        cmocka_unit_test(test_unroll),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
