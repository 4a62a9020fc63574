/* test_pix2pix.c - lib/gan/pix2pix.c, Pix2Pix's step: the refusals of
 * nn_pix2pix_create, two steps against torch doing the same steps
 * (tests/reference/pix2pix_torch.py) for super-resolution (no mask),
 * inpainting (a mask) and the L1 term alone, and what nn_pix2pix_translate
 * keeps of the known image. The steps run exercises 31 (the concatenation)
 * and 32 (the masked input and the L1 loss), from solutions/. */
#include <math.h>
#include <string.h>

#include "testutil.h"
#include "nn.h"

#define N 3            /* pairs per step */
#define S 12           /* 12 x 12 images */
#define HW (S * S)
#define CH 2

/* pat(n, a, b, m, div)[i] = ((i a + b) % m - m/2) / div, exact in float32,
 * as pix2pix_torch.py (and unet_torch.py) make inputs and weights. */
static void pat(float *x, int n, int a, int b, int m, int div)
{
    for (int i = 0; i < n; i++) x[i] = (float)((i * a + b) % m - m / 2) / (float)div;
}

/* G's six pieces in unet_torch.py's order: enc0, enc1, enc2, dec0, dec1, dec2. */
static nn_model *piece(const nn_unet *u, int k)
{
    return k < NN_UNET_LEVELS ? u->enc[k] : u->dec[k - NN_UNET_LEVELS];
}

/* Each batchnorm's gamma 1 higher than the pattern put it. */
static void lift_gammas(nn_model *m)
{
    for (int i = 0; i < m->n_layers; i++)
        if (m->layers[i].spec.kind == NN_LAYER_BATCHNORM2D)
            for (int j = 0; j < m->layers[i].out_c; j++) m->layers[i].w[j] += 1.0f;
}

/* [x ; out] (in_c + 1, 12, 12) -> conv 4x4 /2 -> leaky ReLU -> conv 4x4 /2
 * -> batchnorm -> leaky ReLU -> conv 3x3: a 3 x 3 map of scores per pair. */
static nn_model *patch_d(int in_c, int max_batch)
{
    const nn_layer_spec s[] = {
        {.kind = NN_LAYER_RESHAPE, .c = in_c + 1, .h = S, .w = S},
        {.kind = NN_LAYER_CONV2D, .out = 4, .kernel = 4, .stride = 2, .pad = 1},
        {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
        {.kind = NN_LAYER_CONV2D, .out = 8, .kernel = 4, .stride = 2, .pad = 1},
        {.kind = NN_LAYER_BATCHNORM2D},
        {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
        {.kind = NN_LAYER_CONV2D, .out = 1, .kernel = 3, .stride = 1, .pad = 1},
    };
    nn_error err;
    nn_model *m = nn_model_create((in_c + 1) * HW, s, (int)(sizeof s / sizeof s[0]), max_batch,
                                  &err);
    assert_non_null(m);
    return m;
}

static nn_unet *unet(int in_c, int max_batch)
{
    nn_unet_config cfg = {.in_c = in_c, .h = S, .w = S, .ch = CH, .skips = 1,
                          .max_batch = max_batch};
    nn_error err;
    nn_unet *u = nn_unet_create(&cfg, &err);
    assert_non_null(u);
    return u;
}

/* A Pix2Pix with the paper's settings and a batch of N, its weights then
 * set to pix2pix_torch.py's: G's piece k pat(n_k, 7 + 4k, 3 + k, 31, 32),
 * D's pat(n, 5, 2, 29, 32), every gamma 1 higher. */
static nn_pix2pix *tiny_pix2pix(int in_c, int adversarial)
{
    nn_pix2pix_config cfg = nn_pix2pix_config_default();
    cfg.batch = N;
    cfg.adversarial = adversarial;
    nn_error err;
    nn_pix2pix *p = nn_pix2pix_create(unet(in_c, N), patch_d(in_c, N), &cfg, NN_INIT_TORCH, 9,
                                      &err);
    if (!p) print_error("%s\n", err.msg);
    assert_non_null(p);
    for (int k = 0; k < 2 * NN_UNET_LEVELS; k++) {
        nn_model *m = piece(p->G, k);
        pat(m->params, (int)m->n_params, 7 + 4 * k, 3 + k, 31, 32);
        lift_gammas(m);
    }
    if (p->D) {
        pat(p->D->params, (int)p->D->n_params, 5, 2, 29, 32);
        lift_gammas(p->D);
    }
    return p;
}

/* pix2pix_torch.py's images: y pat(.., 37, 11, 33, 16) in [-1, 1]; a 5 x 4
 * hole per image (rows 3..7, columns 2 + 3i .. 5 + 3i); the
 * super-resolution input pat(.., 41, 13, 27, 16). */
static void images(float *y, float *mask, float *x_sr)
{
    pat(y, N * HW, 37, 11, 33, 16);
    memset(mask, 0, N * HW * sizeof(float));
    for (int i = 0; i < N; i++)
        for (int r = 3; r < 8; r++)
            for (int c = 2 + 3 * i; c < 6 + 3 * i; c++) mask[i * HW + r * S + c] = 1.0f;
    pat(x_sr, N * HW, 41, 13, 27, 16);
}

/* ------------------------------------------------ reference values (torch) */
/* Produced by /usr/bin/python3 tests/reference/pix2pix_torch.py (torch 1.13),
 * float64 on the float32 inputs and weights above: two steps each of
 * SR (no mask, in_c 1), IN (inpainting: nn_mask_input, in_c 2) and L1 (the
 * inpainting with adversarial 0); the script says which torch calls. */
/* per step: d_loss, d_real, d_fake, g_adv, g_l1, the returned L_G */
static const float SR_STATS[12] = {
    0.77312078f, 0.53126312f, 0.514984075f, 0.759388258f, 60.5326699f, 61.2920581f,
    0.771930524f, 0.531576541f, 0.514974886f, 0.758155686f, 60.4648632f, 61.2230189f,
};
/* G's parameter gradients of step 2, every 7th of the six pieces' blocks one after the other (torch.cat of p.grad over parameters()) */
static const float SR_DG[157] = {
    1.53198613f, 0.968440662f, -0.118616667f, 0.82432336f, -1.19570737f, 0.114318156f,
    -0.764843001f, -0.691318318f, 0.69092166f, -0.488144236f, -0.282103436f, -0.21022095f,
    0.380678137f, -0.194729539f, 0.279442501f, -0.0563367962f, 0.213844816f, 0.433918149f,
    0.415139698f, 0.419333961f, 0.215201742f, 0.426984569f, -0.00516631248f, -0.261550556f,
    0.269417201f, 0.0174682168f, 0.0110257404f, 0.0249665182f, -0.483561239f, 0.000873413405f,
    0.0f, 0.186900904f, 0.159121539f, -0.00789489778f, 0.0f, 0.00207845079f,
    0.462129208f, -0.164939712f, -0.0103692883f, 0.00199667836f, 0.0211213959f, 0.35592113f,
    -0.474993668f, 0.163632937f, -0.0369936792f, -0.001869606f, -1.02258779f, -0.083286539f,
    0.107210793f, -0.119200459f, 0.075259431f, 0.611666053f, 0.719268904f, 0.0681738372f,
    0.0101091644f, 0.0252818465f, 0.932954268f, -0.0992702757f, 0.124960163f, 0.403495796f,
    -0.0951457938f, -0.0145035366f, -0.211919421f, 0.0593560563f, -0.252490184f, -0.000566594124f,
    -0.479459402f, 0.142970557f, 0.516109391f, -2.18859965f, 1.69000602f, 2.22521448f,
    -0.621518087f, -0.137901011f, -1.08015881f, -0.213702872f, 1.06144568f, -0.405400945f,
    0.0804053128f, 0.177729189f, 0.355694667f, 0.325953958f, 0.374401205f, -0.547752993f,
    -0.635778419f, -0.0577808029f, -0.141917811f, 0.739367651f, 0.0979307294f, -0.0663366983f,
    -0.168821476f, -0.281017457f, 0.108411889f, 0.0748670259f, 0.274900865f, 1.5293534f,
    -0.362932211f, 0.2084617f, -0.0516086183f, -0.00622087734f, 0.100715799f, -0.580311842f,
    -0.0259410288f, 0.138503999f, -0.114141468f, 0.182741651f, 0.0723265676f, 0.0702157454f,
    -0.00454815706f, 0.332871026f, -0.0707715951f, 0.102280494f, 0.45243766f, 0.0f,
    0.142135761f, -0.0621392713f, 0.407742428f, -0.0580991638f, -0.000105715041f, 0.0f,
    0.292918495f, 0.0892451135f, 0.0385121043f, 0.0f, -0.0161791178f, -0.21382269f,
    -0.259736824f, 0.220750004f, -0.00473322817f, 0.0237058808f, 0.0153995725f, -0.0282137168f,
    -0.297273948f, 0.230837961f, -0.104821013f, -0.23518223f, 0.492246327f, 0.0224110974f,
    0.895490926f, -0.347400212f, -0.000357535482f, -0.704760479f, 0.249734199f, 0.133375986f,
    -0.212465162f, -0.00859737747f, 0.259532232f, -0.606470461f, -0.11270108f, -0.330179682f,
    0.873748639f, -0.263426772f, 0.558032001f, 0.0280888404f, -0.035231132f, 5.55111512e-17f,
    -0.396091702f,
};
/* D's parameter gradients of step 2, every 7th */
static const float SR_DD[106] = {
    -0.029305595f, -0.0311372578f, -0.0092861363f, -0.0203616233f, 0.02346708f, -0.0104469497f,
    -0.00281342297f, 0.000693648351f, 0.0212943447f, 0.00557467473f, -0.013732725f, 0.0106849831f,
    -0.0286418074f, 0.00559862563f, -0.014100155f, 0.0174765245f, -0.0469921007f, 0.05896747f,
    -0.051165856f, 0.0113086818f, -0.00839602355f, 0.000354339827f, -0.00743713744f, 0.00079452187f,
    0.00355312498f, -0.0185213708f, 0.0156114791f, 0.00320200142f, 0.00797286823f, 0.00635414201f,
    -0.00529963717f, -0.00630890083f, 0.00629441203f, -0.00665759677f, 0.0054669734f, -0.0069920595f,
    -0.0130904657f, -0.0209575969f, 0.00462078571f, -0.00396353484f, 0.0191259496f, 0.00261593324f,
    0.00119496886f, -0.00844679076f, 0.000367635271f, -0.0155890285f, -0.00659001243f, 0.000997840837f,
    0.000136288126f, -0.00133800899f, 0.00153768081f, -0.000892004273f, 0.0146090469f, -0.00234462972f,
    0.00265603195f, 0.0216955254f, -0.00326645709f, 0.00289755597f, 0.00165299944f, 0.0015692789f,
    -0.0111481526f, 0.00271091234f, 0.0116179447f, -0.00668262484f, -0.00580473104f, -0.00528492095f,
    -0.00356600936f, -0.00942861692f, 0.00349172946f, 0.00462177322f, -0.0284012015f, -0.0271599429f,
    -0.0175791812f, 0.0125131989f, 0.00159792809f, -0.00710935958f, 0.00465711136f, -0.00280528371f,
    1.42246968e-05f, -0.00450683925f, 0.0173385908f, -0.00356866789f, -0.00796926967f, -0.00204175604f,
    -0.00230533364f, 0.00225968498f, -0.0019277153f, 0.00264993552f, 0.0148620677f, -0.0173399284f,
    -0.00617046195f, 0.00754673427f, -4.33680869e-19f, 1.30104261e-18f, 0.00382919123f, 0.0031749327f,
    -0.0276227004f, -0.000899295607f, 0.0521774122f, -0.0107797626f, -0.00107030925f, 0.0213147957f,
    0.0195454855f, 0.00737171289f, -0.0483414693f, 0.00168216848f,
};
/* G(x) after the two steps, train mode, every 4th number */
static const float SR_G_TRAIN[108] = {
    -0.111950474f, -0.0836355581f, -0.190774679f, -0.254075031f, 0.431960603f, -0.315565223f,
    0.08099765f, 0.0546454311f, -0.143283546f, -0.204028969f, 0.526362489f, 0.877942443f,
    -0.341360823f, -0.368865606f, -0.909003045f, -0.155565157f, 0.637972649f, 0.0736999582f,
    0.398581528f, -0.251312137f, -0.321383235f, -0.279947507f, 0.552243618f, 0.473154291f,
    -0.025276826f, -0.797584209f, -0.755006573f, -0.0621266728f, 0.599501485f, 0.880585336f,
    -0.115891075f, 0.596637719f, -0.483560771f, -0.201830892f, -0.109517128f, -0.0451448704f,
    -0.33712914f, -0.394147782f, -0.389511122f, 0.00110215533f, 0.127670307f, 0.0615598023f,
    0.118927027f, 0.0241811227f, 0.0320154258f, -0.0741069068f, 0.287760261f, -0.210022503f,
    0.124833002f, -0.378424434f, 0.100337812f, 0.3377145f, -0.526276568f, -0.0640328607f,
    -0.588568769f, -0.0404079206f, -0.0602712722f, 0.348382512f, 0.504305201f, 0.0756020255f,
    -0.336929039f, 0.0156003685f, -0.455931933f, 0.177115163f, 0.44111939f, 0.395420692f,
    0.153288046f, -0.435372378f, -0.537293352f, 0.169875049f, 0.59114027f, 0.223797128f,
    -0.19589854f, -0.0186266033f, 0.128206524f, 0.374395271f, -0.225125719f, -0.447632788f,
    -0.537435316f, -0.632287054f, -0.246286148f, 0.612447105f, 0.623849949f, 0.299296912f,
    -0.589003127f, -0.23610264f, -0.169155483f, 0.234034998f, 0.68369848f, -0.188539403f,
    0.0728186895f, -0.263038467f, -0.0556973714f, 0.232898721f, 0.136611287f, 0.601187969f,
    -0.123428166f, -0.0365921052f, -0.518409494f, -0.0252962419f, -0.0306173599f, -0.222311686f,
    0.111316504f, 0.473195209f, 0.551125987f, -0.173904132f, -0.209848269f, 0.123527048f,
};
/* the pasted G(x) in eval mode (running statistics) after the two steps, every 4th number */
static const float SR_TRANSLATE[108] = {
    -0.27559658f, 0.016787379f, -0.128205839f, -0.226441952f, -0.15885313f, -0.0552024023f,
    0.222259608f, 0.544287943f, -0.267947858f, -0.224643417f, -0.119534119f, 0.649210383f,
    -0.208512607f, 0.123122895f, -0.838058432f, -0.130979953f, 0.0882394194f, 0.0213046333f,
    0.218668816f, 0.485571957f, 0.29138773f, -0.215873203f, 0.131597643f, 0.273134472f,
    -0.102156888f, -0.49863252f, -0.596776505f, -0.00810247315f, 0.397352545f, 0.653558958f,
    -0.015851493f, 0.312696525f, -0.3178062f, -0.192359392f, -0.225961033f, -0.125382986f,
    -0.300710376f, -0.317617179f, -0.381971255f, -0.0114285317f, 0.0999604891f, 0.0756443292f,
    0.102771264f, -0.267649659f, 0.131078443f, -0.0646177522f, 0.601664724f, -0.202303491f,
    0.0513560688f, -0.64084649f, -0.0268406134f, 0.0264467021f, 0.0779590691f, -0.167194334f,
    -0.163610689f, 0.0513521571f, 0.158541314f, -0.0800182713f, 0.393304123f, 0.474051263f,
    -0.0171601869f, 0.19783319f, -0.648017162f, -0.19423173f, 0.423299875f, 0.455422194f,
    0.209013002f, -0.383967575f, -0.550916675f, 0.0235329655f, 0.21510245f, 0.148219869f,
    -0.180669747f, 0.0442626139f, 0.105947929f, -0.040634547f, -0.0144267598f, -0.179902649f,
    -0.110609078f, -0.54730956f, -0.378688432f, 0.0392341436f, 0.629376393f, 0.55826114f,
    -0.0751274362f, -0.256761555f, -0.544258108f, -0.21045006f, 0.307976767f, 0.01812615f,
    0.252922781f, 0.130793668f, -0.0808002256f, -0.0431911868f, 0.343814254f, 0.522308602f,
    0.0608669084f, -0.042262093f, -0.355669706f, -0.129942009f, 0.0783473471f, 0.0580444893f,
    0.136404315f, 0.243515296f, 0.277855462f, -0.177687728f, -0.194866923f, -0.0542822158f,
};

/* per step: d_loss, d_real, d_fake, g_adv, g_l1, the returned L_G */
static const float IN_STATS[12] = {
    0.782511671f, 0.57539559f, 0.590881743f, 0.570774108f, 63.1757797f, 63.7465538f,
    0.781288591f, 0.575070098f, 0.590187945f, 0.571554381f, 62.8997179f, 63.4712723f,
};
/* G's parameter gradients of step 2, every 7th of the six pieces' blocks one after the other (torch.cat of p.grad over parameters()) */
static const float IN_DG[162] = {
    3.48102173f, 5.40625836f, 0.265546259f, -3.16471763f, -4.99037472f, -1.294788f,
    -0.00296052557f, -3.45643002f, -1.23156602f, 6.22321662f, 1.55905575f, 0.967764818f,
    4.24532085f, 2.46092793f, 1.20290332f, 3.74358448f, 0.467033404f, -4.2650634f,
    -0.444197571f, 5.97280433f, 0.0252646936f, -2.13695513f, -1.92474142f, 1.65633072f,
    2.50555674f, -1.03589281f, 0.515812386f, 3.19724398f, -1.11022302e-16f, -0.977530899f,
    -0.23302475f, 0.0f, 0.0f, 0.0635414485f, 0.0829789843f, -0.791571201f,
    -0.561256039f, 1.12629873f, 0.0f, -0.316130417f, 2.2552462f, 0.256564738f,
    1.57839443f, -0.129167277f, -0.070802823f, -0.108822106f, -1.74511012f, 2.38607571f,
    -0.973890307f, 1.03854032f, 1.13633833f, 0.751630795f, -2.85703944f, -0.0956611306f,
    -1.07457723f, 0.0877884794f, 0.0f, -0.0997767173f, 0.0267447248f, -0.413519087f,
    -0.0337845378f, 0.102657697f, -1.00444024f, -2.04689108f, 0.352894427f, 0.984177605f,
    -0.040667793f, -0.411308017f, 0.228933286f, -0.35342334f, 0.143580361f, 2.81138045f,
    -6.35214456f, 2.52302227f, -2.24600143f, -0.104856018f, 12.1443065f, -0.514676869f,
    3.66430049f, -0.955250025f, -1.67277522f, -0.738414994f, 0.426708781f, 1.52363015f,
    0.634031618f, -0.000475118701f, 2.77911979f, -0.243871447f, 2.37802383f, 0.350244982f,
    -3.40110265f, -0.990889579f, 1.99251402f, 0.338290044f, 1.54375135f, 1.568884f,
    2.95101314f, -1.13133785f, -2.03070222f, 0.597976334f, 1.08276333f, -0.149021031f,
    2.4070547f, 0.624699583f, 0.956966143f, -1.39143941f, 0.0952560895f, 0.0728514993f,
    1.27517783f, -0.19264002f, 0.538340246f, 1.9647983f, -1.26869675f, -0.137043191f,
    0.879538832f, -0.231628196f, -1.47977462f, -0.192417964f, 2.60716169f, -1.05257661f,
    0.0f, 0.0f, 0.712291818f, 0.7810971f, 0.280865043f, -0.0409584435f,
    0.0273571446f, 0.0f, 0.00561332931f, 1.02389478f, 0.192091524f, -0.723544883f,
    -1.29302238f, -0.313090153f, -0.399463605f, 0.992026442f, 0.38215303f, 1.78284177f,
    -1.32181557f, 0.116835f, -0.0675566269f, -0.0363518451f, -1.80023522f, 1.44853045f,
    -0.00111583373f, 0.0f, 1.70581849f, 0.00646608002f, -0.185461993f, 0.0806562834f,
    1.71951105f, 0.350514774f, 0.300858337f, 0.35251733f, -1.34994025f, -1.56009133f,
    0.296379153f, 0.13417481f, 4.10907982f, 0.492168563f, -4.4408921e-16f, 3.49582401f,
};
/* D's parameter gradients of step 2, every 7th */
static const float IN_DD[115] = {
    0.00435095492f, -0.0144274372f, 0.00514959894f, 0.0016629272f, -0.00169633765f, 0.00170030111f,
    0.0133112967f, -0.00370668205f, 0.0039010908f, 0.0025215057f, 0.00679044821f, 0.000918914107f,
    0.00470708704f, -0.000611584863f, -0.0155139157f, -0.00454480256f, 0.00367783718f, 0.00278576307f,
    0.0044311743f, -0.000767364704f, -0.0301748164f, 0.00439186484f, 0.00512268674f, -0.015601026f,
    -0.0141580063f, -0.00862157542f, -3.30324045e-05f, 0.00130578518f, -0.00804174892f, -0.000882407292f,
    0.000286091212f, 0.000223752093f, 0.000465860108f, -0.00233793362f, -0.0114087075f, -0.0083193782f,
    -0.000845130428f, 0.000230929258f, 0.00114790905f, -0.00366965182f, 0.00511129743f, 0.00576377496f,
    0.00872927583f, -0.00684301343f, 0.00388379548f, 0.00668122775f, 0.0103774179f, 0.00102668999f,
    -0.00198654101f, 0.0050152478f, -0.00161314192f, -0.00270181558f, 0.00288715068f, -0.000723728883f,
    0.00477161222f, -0.00305829364f, -0.0029594812f, -0.0021861251f, 0.000705471211f, -0.00851863656f,
    -0.0005936741f, -0.0001606984f, -0.0103832848f, 0.00178774298f, -0.00378048533f, 0.00353914648f,
    0.00116473007f, -0.00415617351f, 0.00506126735f, -0.00251308331f, 0.00103615828f, -0.00227463226f,
    0.00403336916f, 0.000919121531f, -0.00289726784f, 0.000825666096f, 0.0033363876f, -0.00803959915f,
    0.000202725761f, -0.00374916372f, -0.00828681021f, -0.0105112208f, -0.00427662161f, -0.00205919433f,
    -0.0129877268f, 0.00309117136f, -0.00964543323f, -0.00509647123f, -0.00310051196f, 0.0088920796f,
    -0.0057011306f, -0.00539599448f, -0.00107920114f, -0.000109665758f, 0.000371374072f, -0.00256964723f,
    -0.00340494011f, -0.0136733243f, 0.00540419f, 0.00487824497f, 0.00285967526f, -0.0113270125f,
    -1.994932e-17f, 0.0144478269f, 0.0192018539f, 0.00532251328f, 0.00827945092f, 0.0360879517f,
    0.0393434209f, 0.00708613105f, 0.0380479215f, -0.0280236184f, 0.0348326741f, 0.0428114054f,
    0.00264962017f,
};
/* G(x) after the two steps, train mode, every 4th number */
static const float IN_G_TRAIN[108] = {
    -0.0143031325f, -0.499344134f, 0.0405183041f, -0.336449667f, 0.544777872f, -0.884305342f,
    0.0914326844f, -0.505064517f, 0.33811712f, -0.435142103f, 0.141842471f, -0.238090637f,
    -0.0350487065f, -0.0837281466f, 0.571136705f, -0.174857387f, 0.666099953f, -0.253157816f,
    -0.209693822f, -0.669771957f, 0.468609313f, 0.0138086362f, 0.968043049f, 0.188991493f,
    0.00553729243f, -0.883132137f, 0.480848266f, 0.103672713f, 0.884803221f, 0.360975898f,
    -0.218822462f, -0.379768217f, -0.0517298502f, -0.0155256501f, 0.217341561f, -0.0838822561f,
    -0.456785074f, 0.251083921f, -0.167016846f, -0.196656435f, -0.464501422f, -0.652233881f,
    0.371186621f, 0.495785435f, 0.378233927f, -0.46237285f, 0.0223891645f, -0.590104961f,
    0.403656959f, -0.0697172901f, 0.537042332f, -0.187247711f, 0.34979393f, -0.838003845f,
    -0.174437418f, 0.223603078f, 0.74967715f, 0.0812484957f, 0.684446923f, -0.182760051f,
    -0.179020369f, -0.578451083f, -0.221052391f, 0.131473564f, 0.296551772f, 0.6962431f,
    -0.0366559653f, 0.414907888f, -0.683661132f, 0.00248807207f, 0.0176876237f, 0.115907807f,
    0.0928403726f, -0.515332765f, 0.32151044f, -0.382583408f, 0.384974211f, -0.543462892f,
    0.41019617f, 0.0934917447f, 0.676010733f, -0.142218142f, 0.0393992923f, -0.14289438f,
    0.106173785f, 0.639487284f, 0.211513071f, 0.0206917197f, 0.0863342784f, -0.0390804735f,
    0.34351594f, 0.457753209f, 0.850365715f, 0.0299690971f, 0.478442656f, 0.0692977957f,
    -0.0625250522f, -0.474591179f, 0.0221104757f, 0.0576828739f, -0.227848114f, 0.0894386804f,
    -0.252383265f, -0.24535085f, -0.725519935f, -0.0452733804f, 0.0660358541f, -0.0843304402f,
};
/* the pasted G(x) in eval mode (running statistics) after the two steps, every 4th number */
static const float IN_TRANSLATE[108] = {
    -0.3125f, 0.6875f, -0.375f, 0.625f, -0.4375f, 0.5625f,
    -0.5f, 0.5f, -0.5625f, 0.4375f, -0.427027826f, 0.375f,
    -0.6875f, 0.45979913f, -0.75f, 0.25f, -0.1965544f, 0.1875f,
    -0.875f, 0.233107213f, -0.9375f, 0.0625f, 0.54867213f, 0.0f,
    1.0f, -0.0625f, 0.9375f, -0.125f, 0.875f, -0.1875f,
    0.8125f, -0.25f, 0.75f, -0.3125f, 0.6875f, -0.375f,
    0.625f, -0.4375f, 0.5625f, -0.5f, 0.5f, -0.5625f,
    0.4375f, -0.625f, 0.375f, -0.6875f, 0.3125f, -0.660784099f,
    0.25f, -0.8125f, 0.535773927f, -0.875f, 0.125f, -0.81846231f,
    0.0625f, -1.0f, 0.852445487f, 1.0f, -0.0625f, -0.184537158f,
    -0.125f, 0.875f, -0.1875f, 0.8125f, -0.25f, 0.75f,
    -0.3125f, 0.6875f, -0.375f, 0.625f, -0.4375f, 0.5625f,
    -0.5f, 0.5f, -0.5625f, 0.4375f, -0.625f, 0.375f,
    -0.6875f, 0.3125f, -0.75f, 0.25f, -0.8125f, -0.153471757f,
    -0.875f, 0.125f, 0.265576828f, 0.0625f, -1.0f, -0.0444710863f,
    1.0f, -0.0625f, 0.826638591f, -0.125f, 0.875f, 0.137666834f,
    0.8125f, -0.25f, 0.75f, -0.3125f, 0.6875f, -0.375f,
    0.625f, -0.4375f, 0.5625f, -0.5f, 0.5f, -0.5625f,
};

/* per step: d_loss, d_real, d_fake, g_adv, g_l1, the returned L_G */
static const float L1_STATS[12] = {
    0.0f, 0.0f, 0.0f, 0.0f, 63.1757797f, 63.1757797f,
    0.0f, 0.0f, 0.0f, 0.0f, 62.8997177f, 62.8997177f,
};
/* G's parameter gradients of step 2, every 7th of the six pieces' blocks one after the other (torch.cat of p.grad over parameters()) */
static const float L1_DG[162] = {
    3.46746379f, 5.40800462f, 0.267779891f, -3.17245816f, -4.98564847f, -1.29213914f,
    -0.00166653197f, -3.45060491f, -1.23261619f, 6.23039292f, 1.56542272f, 0.965698988f,
    4.25542278f, 2.45365342f, 1.20109674f, 3.75811101f, 0.458809712f, -4.27198625f,
    -0.432567007f, 5.97987766f, 0.0289705574f, -2.1357567f, -1.93045739f, 1.64522169f,
    2.50080422f, -1.03122095f, 0.513808038f, 3.19627162f, -3.33066907e-16f, -0.974904538f,
    -0.233699534f, 0.0f, 0.0f, 0.0624874225f, 0.0831569163f, -0.790583361f,
    -0.560555621f, 1.12949991f, 0.0f, -0.316540394f, 2.24864227f, 0.256856399f,
    1.58202752f, -0.128552544f, -0.0669821799f, -0.109602565f, -1.72926725f, 2.38871821f,
    -0.971738481f, 1.03570723f, 1.13023697f, 0.760020657f, -2.85911201f, -0.0966870406f,
    -1.07232459f, 0.0878439557f, 0.0f, -0.101304486f, 0.0264743481f, -0.410682323f,
    -0.0338948113f, 0.106063374f, -1.00366055f, -2.04664352f, 0.351976711f, 0.982436851f,
    -0.0395833181f, -0.411491561f, 0.228847476f, -0.356538776f, 0.141710689f, 2.82008468f,
    -6.35388226f, 2.52860151f, -2.25230147f, -0.113475918f, 12.1550658f, -0.503042742f,
    3.6704636f, -0.945357071f, -1.67046381f, -0.741880735f, 0.426331368f, 1.52226458f,
    0.631128959f, -0.000558290091f, 2.77389612f, -0.2434692f, 2.39455564f, 0.349966987f,
    -3.40191381f, -0.989706377f, 1.99095468f, 0.336908113f, 1.55193896f, 1.5723993f,
    2.94519503f, -1.13144282f, -2.02747779f, 0.599969997f, 1.08090472f, -0.149615414f,
    2.41230792f, 0.613891194f, 0.951148717f, -1.39823597f, 0.0949277876f, 0.0707621874f,
    1.27790934f, -0.19029686f, 0.538423076f, 1.96426024f, -1.27315849f, -0.138764619f,
    0.878906926f, -0.230313657f, -1.49118771f, -0.192527171f, 2.60625399f, -1.05326612f,
    0.0f, 0.0f, 0.70924306f, 0.781345392f, 0.280667173f, -0.0409842339f,
    0.0273435085f, 0.0f, 0.00550663657f, 1.02108282f, 0.194545043f, -0.720577677f,
    -1.29178877f, -0.324102185f, -0.399419303f, 0.989698264f, 0.383838326f, 1.78777592f,
    -1.32282097f, 0.117132451f, -0.0675368729f, -0.0357941563f, -1.7982717f, 1.45158345f,
    -0.00114946942f, 0.0f, 1.70552683f, 0.00647273105f, -0.186261073f, 0.080699618f,
    1.72017161f, 0.349004413f, 0.299157857f, 0.352706431f, -1.34827557f, -1.56012458f,
    0.300164701f, 0.134312823f, 4.09641459f, 0.477833424f, 8.8817842e-16f, 3.50226625f,
};
/* G(x) after the two steps, train mode, every 4th number */
static const float L1_G_TRAIN[108] = {
    -0.0143036165f, -0.499332019f, 0.0405094337f, -0.336448512f, 0.544684386f, -0.884366774f,
    0.0914320794f, -0.505020693f, 0.338097438f, -0.435140008f, 0.141789222f, -0.237766204f,
    -0.0350544228f, -0.0836484964f, 0.571088429f, -0.174857263f, 0.666040339f, -0.253423384f,
    -0.209685432f, -0.669700021f, 0.468623089f, 0.0138076364f, 0.968035036f, 0.189281883f,
    0.00553718293f, -0.883106918f, 0.480803769f, 0.103671733f, 0.884775315f, 0.360936023f,
    -0.218823811f, -0.379649067f, -0.0517214099f, -0.0155258481f, 0.21728885f, -0.0838771576f,
    -0.456768085f, 0.251074021f, -0.167018546f, -0.196675765f, -0.464505196f, -0.652483364f,
    0.371207475f, 0.495803848f, 0.37823158f, -0.462369643f, 0.0223908663f, -0.589782421f,
    0.40365863f, -0.0697210584f, 0.536993798f, -0.187271776f, 0.349788549f, -0.838122062f,
    -0.17441106f, 0.223655024f, 0.749688175f, 0.0812034192f, 0.68439836f, -0.182456655f,
    -0.178961641f, -0.578398356f, -0.221051398f, 0.131420665f, 0.296447278f, 0.696044109f,
    -0.0366192779f, 0.414984108f, -0.683624099f, 0.00246292023f, 0.017651947f, 0.1161094f,
    0.0928331901f, -0.515309893f, 0.321510254f, -0.382585415f, 0.384881424f, -0.54346274f,
    0.410212864f, 0.0936008109f, 0.676010925f, -0.142221175f, 0.0392978222f, -0.142889033f,
    0.106167785f, 0.639547475f, 0.211496362f, 0.0206910487f, 0.0862359412f, -0.0390791781f,
    0.343507529f, 0.457834324f, 0.850371528f, 0.0299699141f, 0.478354844f, 0.0692976025f,
    -0.0625279378f, -0.474499668f, 0.0221115136f, 0.0576829206f, -0.22830076f, 0.0894435142f,
    -0.252379972f, -0.245333109f, -0.725527684f, -0.045273462f, 0.0663662234f, -0.0843294722f,
};
/* the pasted G(x) in eval mode (running statistics) after the two steps, every 4th number */
static const float L1_TRANSLATE[108] = {
    -0.3125f, 0.6875f, -0.375f, 0.625f, -0.4375f, 0.5625f,
    -0.5f, 0.5f, -0.5625f, 0.4375f, -0.426755845f, 0.375f,
    -0.6875f, 0.459767864f, -0.75f, 0.25f, -0.196569841f, 0.1875f,
    -0.875f, 0.233119052f, -0.9375f, 0.0625f, 0.5486698f, 0.0f,
    1.0f, -0.0625f, 0.9375f, -0.125f, 0.875f, -0.1875f,
    0.8125f, -0.25f, 0.75f, -0.3125f, 0.6875f, -0.375f,
    0.625f, -0.4375f, 0.5625f, -0.5f, 0.5f, -0.5625f,
    0.4375f, -0.625f, 0.375f, -0.6875f, 0.3125f, -0.660580436f,
    0.25f, -0.8125f, 0.535727861f, -0.875f, 0.125f, -0.81852687f,
    0.0625f, -1.0f, 0.852449602f, 1.0f, -0.0625f, -0.184382152f,
    -0.125f, 0.875f, -0.1875f, 0.8125f, -0.25f, 0.75f,
    -0.3125f, 0.6875f, -0.375f, 0.625f, -0.4375f, 0.5625f,
    -0.5f, 0.5f, -0.5625f, 0.4375f, -0.625f, 0.375f,
    -0.6875f, 0.3125f, -0.75f, 0.25f, -0.8125f, -0.153469898f,
    -0.875f, 0.125f, 0.265571459f, 0.0625f, -1.0f, -0.0444707119f,
    1.0f, -0.0625f, 0.826640908f, -0.125f, 0.875f, 0.137664135f,
    0.8125f, -0.25f, 0.75f, -0.3125f, 0.6875f, -0.375f,
    0.625f, -0.4375f, 0.5625f, -0.5f, 0.5f, -0.5625f,
};

/* Every 'every'-th number of the six pieces' gradients, one block after the
 * other (torch.cat over parameters()). */
static size_t strided_g_grads(const nn_unet *u, int every, float *out)
{
    size_t n = 0, at = 0;
    for (int k = 0; k < 2 * NN_UNET_LEVELS; k++) {
        const nn_model *m = piece(u, k);
        for (size_t i = 0; i < m->n_params; i++, at++)
            if (at % (size_t)every == 0) out[n++] = m->grads[i];
    }
    return n;
}

/* A convolution's bias right before a batchnorm (enc1, dec1, dec2) is
 * cancelled by the batch mean: its true gradient is 0, and what the step
 * computes is float32 rounding, 1e-7 where torch's float64 has 1e-15. Adam
 * divides by the gradient's own size, so it moves these biases by nearly lr
 * a step in float32 and by nothing in torch. Train mode cannot tell; eval
 * mode can (the running means were taken before the move), by 2e-4 after
 * two steps. They go back to their start, where torch's stayed, before G
 * runs in eval mode. */
static void restore_cancelled_biases(nn_unet *u)
{
    for (int k = 0; k < 2 * NN_UNET_LEVELS; k++) {
        nn_model *m = piece(u, k);
        float start[512];
        assert_true(m->n_params <= 512);
        pat(start, (int)m->n_params, 7 + 4 * k, 3 + k, 31, 32);
        for (int i = 0; i + 1 < m->n_layers; i++) {
            nn_layer *l = &m->layers[i];
            if (!l->b || m->layers[i + 1].spec.kind != NN_LAYER_BATCHNORM2D) continue;
            for (int j = 0; j < l->out_c; j++) l->b[j] = start[(l->b - m->params) + j];
        }
    }
}

typedef struct {
    const float *stats, *dg, *dd, *g_train, *translate;
    size_t n_dg, n_dd;
} torch_ref;

/* Two steps on (x, y, mask) against torch: each step's stats and returned
 * loss, the second step's gradients of G and D, and G after the steps, in
 * train mode and (then, as torch ran it) through nn_pix2pix_translate. */
static void two_steps(nn_pix2pix *p, const float *x, const float *y, const float *mask,
                      const torch_ref *ref)
{
    for (int step = 0; step < 2; step++) {
        nn_pix2pix_stats st;
        float L = nn_pix2pix_step(p, x, y, mask, &st);
        float got[6] = {st.d_loss, st.d_real, st.d_fake, st.g_adv, st.g_l1, L};
        assert_rel_close(got, ref->stats + 6 * step, 6, 1e-5);
    }
    assert_int_equal(p->steps, 2);
    float g[200];
    assert_int_equal(strided_g_grads(p->G, 7, g), ref->n_dg);
    assert_rel_close(g, ref->dg, ref->n_dg, 1e-4);
    if (ref->dd) {
        float d[200];
        size_t n = 0;
        for (size_t i = 0; i < p->D->n_params; i += 7) d[n++] = p->D->grads[i];
        assert_int_equal(n, ref->n_dd);
        assert_rel_close(d, ref->dd, n, 1e-4);
    }
    float out[N * HW], every4[N * HW / 4];
    memcpy(out, nn_unet_forward(p->G, x, N, 1), sizeof out);
    for (int i = 0; i < N * HW / 4; i++) every4[i] = out[4 * i];
    assert_rel_close(every4, ref->g_train, N * HW / 4, 1e-4);
    restore_cancelled_biases(p->G);
    nn_pix2pix_translate(p, out, x, y, mask, N);
    for (int i = 0; i < N * HW / 4; i++) every4[i] = out[4 * i];
    assert_rel_close(every4, ref->translate, N * HW / 4, 1e-4);
}

#define REF(T, DD, NDD)                                                                       \
    {T##_STATS, T##_DG, DD, T##_G_TRAIN, T##_TRANSLATE, sizeof T##_DG / sizeof(float), NDD}

static void test_super_resolution_against_torch(void **state)
{
    (void)state;
    float y[N * HW], mask[N * HW], x[N * HW];
    images(y, mask, x);
    nn_pix2pix *p = tiny_pix2pix(1, 1);
    assert_int_equal(p->d_out, 9);
    const torch_ref ref = REF(SR, SR_DD, sizeof SR_DD / sizeof(float));
    two_steps(p, x, y, NULL, &ref);
    nn_pix2pix_free(p);
}

static void test_inpainting_against_torch(void **state)
{
    (void)state;
    float y[N * HW], mask[N * HW], x_sr[N * HW], x[N * 2 * HW];
    images(y, mask, x_sr);
    nn_mask_input(x, y, mask, N, HW);
    nn_pix2pix *p = tiny_pix2pix(2, 1);
    const torch_ref ref = REF(IN, IN_DD, sizeof IN_DD / sizeof(float));
    two_steps(p, x, y, mask, &ref);
    nn_pix2pix_free(p);
}

/* adversarial 0: the D handed over is freed (ASan would see a leak), no
 * score is made, the adversarial stats stay 0, and G follows torch's
 * L1-only training. */
static void test_l1_alone_against_torch(void **state)
{
    (void)state;
    float y[N * HW], mask[N * HW], x_sr[N * HW], x[N * 2 * HW];
    images(y, mask, x_sr);
    nn_mask_input(x, y, mask, N, HW);
    nn_pix2pix *p = tiny_pix2pix(2, 0);
    assert_null(p->D);
    assert_int_equal(p->d_out, 0);
    const torch_ref ref = REF(L1, NULL, 0);
    two_steps(p, x, y, mask, &ref);
    nn_pix2pix_free(p);
}

/* With a mask, translate keeps every known pixel of y bit for bit and puts
 * G's own output (eval mode) in the hole; images are translated in chunks of
 * G's max_batch, each as on its own (up to the fast kernel's rounding, which
 * depends on how many images one product holds). */
static void test_translate_pastes(void **state)
{
    (void)state;
    enum { M = 7 };  /* more images than G takes at once */
    float y[M * HW], mask[M * HW], x[M * 2 * HW], raw[M * HW], out[M * HW], one[HW];
    pat(y, M * HW, 37, 11, 33, 16);
    nn_rng r;
    nn_rng_seed(&r, 2, 0);
    nn_mask_squares(mask, M, S, S, 5, 1, &r);
    nn_mask_input(x, y, mask, M, HW);
    nn_pix2pix *p = tiny_pix2pix(2, 1);
    float yb[N * HW], mb[N * HW], xs[N * HW], xb[N * 2 * HW];
    images(yb, mb, xs);
    nn_mask_input(xb, yb, mb, N, HW);
    nn_pix2pix_step(p, xb, yb, mb, NULL);   /* running statistics away from 0 and 1 */
    nn_pix2pix_translate(p, raw, x, NULL, NULL, M);
    nn_pix2pix_translate(p, out, x, y, mask, M);
    int hidden = 0;
    for (int i = 0; i < M * HW; i++) {
        if (mask[i] == 0.0f) {
            assert_true(out[i] == y[i]);
        } else {
            assert_true(out[i] == raw[i]);
            hidden++;
        }
    }
    assert_int_equal(hidden, M * 25);
    /* G's output differs from y in the hole: the paste is not y everywhere. */
    int differ = 0;
    for (int i = 0; i < M * HW; i++) differ |= mask[i] != 0.0f && out[i] != y[i];
    assert_true(differ);
    for (int i = 0; i < M; i++) {
        nn_pix2pix_translate(p, one, x + i * 2 * HW, y + i * HW, mask + i * HW, 1);
        assert_rel_close(one, out + i * HW, HW, 1e-5);
    }
    nn_pix2pix_free(p);
}

/* G's start depends on the seed alone: the same seed gives the same G and
 * D, another seed others, and G starts the same with or without a D (its
 * own stream). */
static void g_params(const nn_pix2pix *p, float *out)
{
    for (int k = 0; k < 2 * NN_UNET_LEVELS; k++) {
        const nn_model *m = piece(p->G, k);
        memcpy(out, m->params, m->n_params * sizeof(float));
        out += m->n_params;
    }
}

static void test_seeded_start(void **state)
{
    (void)state;
    nn_pix2pix_config cfg = nn_pix2pix_config_default();
    cfg.batch = N;
    nn_pix2pix *p[4];
    for (int i = 0; i < 4; i++) {
        cfg.adversarial = i != 2;
        p[i] = nn_pix2pix_create(unet(1, N), patch_d(1, N), &cfg, NN_INIT_NORMAL_002,
                                 i == 3 ? 8 : 7, NULL);
        assert_non_null(p[i]);
    }
    const size_t n = nn_unet_param_count(p[0]->G);
    float *g[4];
    for (int i = 0; i < 4; i++) {
        g[i] = nn_alloc(n, sizeof(float));
        assert_non_null(g[i]);
        g_params(p[i], g[i]);
    }
    assert_not_all_zero(g[0], n);
    assert_memory_equal(g[0], g[1], n * sizeof(float));
    assert_memory_equal(p[0]->D->params, p[1]->D->params, p[0]->D->n_params * sizeof(float));
    assert_memory_equal(g[0], g[2], n * sizeof(float));     /* no D: the same G */
    assert_true(memcmp(g[0], g[3], n * sizeof(float)) != 0); /* seed 8 */
    for (int i = 0; i < 4; i++) {
        nn_free(g[i]);
        nn_pix2pix_free(p[i]);
    }
}

static void expect_refused(nn_unet *G, nn_model *D, const nn_pix2pix_config *cfg,
                           nn_status code, const char *says)
{
    nn_error err;
    memset(&err, 0, sizeof err);
    /* Refused, and both networks freed (they were handed over). */
    assert_null(nn_pix2pix_create(G, D, cfg, NN_INIT_TORCH, 1, &err));
    assert_int_equal(err.code, code);
    if (!strstr(err.msg, says)) print_error("message \"%s\" lacks \"%s\"\n", err.msg, says);
    assert_non_null(strstr(err.msg, says));
}

static void test_refusals(void **state)
{
    (void)state;
    nn_pix2pix_config cfg = nn_pix2pix_config_default();
    cfg.batch = N;
    /* D built for G's input alone (1 channel, not 1 + 1): it cannot read
     * the pair, and the message names both widths. */
    expect_refused(unet(1, N), patch_d(0, N), &cfg, NN_ERR_SHAPE, "D reads 144 features");
    expect_refused(unet(1, N), patch_d(0, N), &cfg, NN_ERR_SHAPE, "288 features");
    /* An inpainting G (2 channels) with a super-resolution D (1 + 1). */
    expect_refused(unet(2, N), patch_d(1, N), &cfg, NN_ERR_SHAPE, "D reads 288 features");
    expect_refused(unet(1, N), NULL, &cfg, NN_ERR_ARG, "discriminator");
    cfg.batch = N + 1;
    expect_refused(unet(1, N), patch_d(1, N + 1), &cfg, NN_ERR_SHAPE, "batch of 4");
    expect_refused(unet(1, N + 1), patch_d(1, N), &cfg, NN_ERR_SHAPE, "batch of 4");
    cfg.batch = N;
    cfg.beta1 = 1.0f;
    expect_refused(unet(1, N), patch_d(1, N), &cfg, NN_ERR_ARG, "betas");
    nn_pix2pix_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_super_resolution_against_torch),
        cmocka_unit_test(test_inpainting_against_torch),
        cmocka_unit_test(test_l1_alone_against_torch),
        cmocka_unit_test(test_translate_pastes),
        cmocka_unit_test(test_seeded_start),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
