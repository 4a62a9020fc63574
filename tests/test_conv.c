/* test_conv.c - the convolution layers (conv.h) three ways, as every layer:
 * small cases worked by hand, central differences of every input and
 * parameter, and values computed once with PyTorch (tests/reference/
 * conv_torch.py, pasted below). Then the fast path against plain loops on
 * every form and on awkward sizes, at one and two threads.
 *
 * The ground truth for the fast forward is this file's own plain loops
 * (conv2d_plain below), not exercise 14, which the library runs under the
 * reference kernel: a test never checks code against itself. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nn.h"

/* PyTorch's float64 values against our float32. */
#define REF_TOL 1e-5
/* The fast path against plain loops. */
#define FAST_TOL 1e-5
/* Central differences in float32 with h = 1e-2 (the layers are linear in
 * each input, so the step is limited by rounding only). */
#define GC_TOL 1e-2
#define GC_H 1e-2f

/* The inputs of the torch cases, as conv_torch.py makes them:
 * pat(n, a, b, m, div)[i] = ((i a + b) % m - m/2) / div, exact in float32. */
static void pat(float *x, int n, int a, int b, int m, int div)
{
    for (int i = 0; i < n; i++) x[i] = (float)((i * a + b) % m - m / 2) / (float)div;
}

static const int KERNELS[2] = {NN_KERNEL_FAST, NN_KERNEL_REFERENCE};
static const char *const KERNEL_NAMES[2] = {"fast", "reference"};

/* ------------------------------------------------ reference values (torch) */
/* Produced by /usr/bin/python3 tests/reference/conv_torch.py (torch 1.13),
 * float64 on the float32 inputs; each array's comment names the torch call.
 * CA: conv2d, x (2, 2, 5, 4), k 3, stride 2, pad 1: an odd, non-square image.
 * CB: conv2d, x (3, 1, 7, 6), k 2, stride 3 > k, pad 2, one input channel.
 * TA: conv_transpose2d, x (2, 3, 3, 2), k 4, stride 2, pad 1 (DCGAN's).
 * TB: conv_transpose2d, x (2, 1, 5, 3), k 3, stride 1, pad 0.
 * Inputs: x pat(.., 37, 11, 29, 16) (CA, TA) or pat(.., 41, 13, 27, 16) (CB,
 * TB); w pat(.., 53, 7, 31, 32) or pat(.., 17, 5, 13, 32); b pat(.., 7, 3,
 * 9, 8) or pat(.., 5, 1, 7, 8); dy pat(.., 29, 5, 23, 16) or pat(.., 31, 9,
 * 25, 16). BN2: x pat(36, 37, 11, 29, 16), dy pat(36, 29, 5, 23, 16), eval
 * input pat(24, 53, 7, 31, 32). */
/* F.conv2d(x, w, b, stride=2, padding=1): x (2, 2, 5, 4), w (3, 2, 3, 3), y (2, 3, 3, 2) */
static const float CA_Y[36] = {
    0.3828125f, -1.0546875f, 0.654296875f, -0.82421875f, -0.234375f, 0.23828125f,
    -0.498046875f, -0.921875f, 0.404296875f, -0.888671875f, 0.146484375f, -1.578125f,
    0.109375f, 0.8203125f, 0.431640625f, 0.29296875f, 0.44140625f, -0.029296875f,
    0.35546875f, -1.05078125f, -0.109375f, -0.828125f, -0.546875f, 0.662109375f,
    -0.453125f, -0.900390625f, 0.115234375f, -0.5f, 0.302734375f, -0.740234375f,
    0.10546875f, 0.798828125f, 0.49609375f, 1.07421875f, 0.9453125f, -0.533203125f,
};
/* x.grad after y.backward(dy) */
static const float CA_DX[80] = {
    0.279296875f, 0.2421875f, -0.19140625f, -0.068359375f, 0.373046875f, -0.12109375f,
    -0.51953125f, -0.09765625f, -0.16796875f, -0.158203125f, 0.259765625f, -0.107421875f,
    -0.109375f, 0.552734375f, 0.03125f, -0.265625f, 0.283203125f, 0.25f,
    -0.1875f, -0.056640625f, -0.009765625f, 0.212890625f, 0.068359375f, -0.232421875f,
    0.220703125f, -0.412109375f, -0.11328125f, 0.611328125f, -0.212890625f, -0.177734375f,
    0.224609375f, 0.16015625f, -0.3125f, 0.28125f, 0.38671875f, -0.2734375f,
    -0.056640625f, 0.240234375f, 0.021484375f, -0.2109375f, -0.33203125f, 0.09765625f,
    0.275390625f, -0.060546875f, -0.509765625f, 0.5078125f, 0.3046875f, -0.171875f,
    -0.1953125f, 0.19140625f, -0.171875f, -0.009765625f, 0.041015625f, -0.2109375f,
    -0.177734375f, 0.01953125f, -0.328125f, 0.10546875f, 0.279296875f, -0.048828125f,
    0.2734375f, -0.3828125f, 0.037109375f, 0.24609375f, 0.587890625f, -0.685546875f,
    0.25390625f, -0.34375f, 0.115234375f, -0.279296875f, -0.166015625f, -0.125f,
    -0.3046875f, 0.0078125f, -0.279296875f, 0.5234375f, 0.2265625f, -0.35546875f,
    -0.009765625f, 0.267578125f,
};
/* w.grad after y.backward(dy) */
static const float CA_DW[54] = {
    0.21484375f, 0.6171875f, -0.62890625f, -0.19140625f, 0.2265625f, 0.24609375f,
    -1.12109375f, 0.6640625f, 0.65234375f, 0.13671875f, -0.62890625f, -0.0625f,
    0.2265625f, -0.40234375f, -0.3828125f, 0.15625f, -0.58984375f, -0.03515625f,
    -0.98828125f, 0.38671875f, -0.0703125f, -0.08203125f, -0.00390625f, -0.8203125f,
    0.28125f, -0.10546875f, 0.671875f, 0.078125f, 0.421875f, 0.3046875f,
    0.18359375f, 0.66015625f, -0.15625f, 0.09765625f, -0.078125f, -0.20703125f,
    0.4140625f, -0.29296875f, 0.7578125f, -0.0625f, -0.234375f, 0.71875f,
    -0.921875f, 0.29296875f, -0.02734375f, 0.01953125f, -0.234375f, -0.31640625f,
    0.05078125f, -0.8828125f, 0.0703125f, 0.0390625f, 0.34375f, 0.25f,
};
/* b.grad after y.backward(dy) */
static const float CA_DB[3] = {
    -0.1875f, -0.5f, -0.8125f,
};
/* F.conv2d(x, w, b, stride=3, padding=2): x (3, 1, 7, 6), w (2, 1, 2, 2), y (3, 2, 4, 3) */
static const float CB_Y[72] = {
    -0.25f, -0.25f, -0.25f, -0.25f, -0.15234375f, -0.380859375f,
    -0.25f, -0.15234375f, -0.1171875f, -0.25f, -0.25f, -0.25f,
    0.375f, 0.375f, 0.375f, 0.375f, 0.4375f, 0.244140625f,
    0.375f, 0.490234375f, 0.40234375f, 0.375f, 0.375f, 0.375f,
    -0.25f, -0.25f, -0.25f, -0.25f, -0.134765625f, -0.15234375f,
    -0.25f, -0.1875f, -0.416015625f, -0.25f, -0.25f, -0.25f,
    0.375f, 0.375f, 0.375f, 0.375f, 0.47265625f, 0.490234375f,
    0.375f, 0.47265625f, 0.279296875f, 0.375f, 0.375f, 0.375f,
    -0.25f, -0.25f, -0.25f, -0.25f, -0.380859375f, -0.1875f,
    -0.25f, -0.1171875f, -0.345703125f, -0.25f, -0.25f, -0.25f,
    0.375f, 0.375f, 0.375f, 0.375f, 0.244140625f, 0.47265625f,
    0.375f, 0.40234375f, 0.208984375f, 0.375f, 0.375f, 0.375f,
};
/* x.grad after y.backward(dy) */
static const float CB_DX[126] = {
    0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f,
    0.0f, -0.01953125f, -0.10546875f, 0.0f, -0.0078125f, 0.0f,
    0.0f, 0.087890625f, 0.001953125f, 0.0f, -0.017578125f, -0.009765625f,
    0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f,
    0.0f, 0.064453125f, 0.064453125f, 0.0f, -0.021484375f, -0.123046875f,
    0.0f, 0.064453125f, 0.064453125f, 0.0f, 0.10546875f, 0.00390625f,
    0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f,
    0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f,
    0.0f, 0.06640625f, 0.08203125f, 0.0f, -0.01953125f, -0.10546875f,
    0.0f, 0.046875f, 0.0625f, 0.0f, 0.087890625f, 0.001953125f,
    0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f,
    0.0f, 0.00390625f, 0.10546875f, 0.0f, 0.064453125f, 0.064453125f,
    0.0f, -0.123046875f, -0.021484375f, 0.0f, 0.064453125f, 0.064453125f,
    0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f,
    0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f,
    0.0f, 0.005859375f, 0.123046875f, 0.0f, 0.06640625f, 0.08203125f,
    0.0f, -0.140625f, -0.0234375f, 0.0f, 0.046875f, 0.0625f,
    0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f,
    0.0f, -0.0078125f, 0.0f, 0.0f, 0.00390625f, 0.10546875f,
    0.0f, -0.017578125f, -0.009765625f, 0.0f, -0.123046875f, -0.021484375f,
    0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f,
};
/* w.grad after y.backward(dy) */
static const float CB_DW[8] = {
    -0.07421875f, -1.28515625f, 0.67578125f, -0.0078125f, 1.24609375f, -0.15625f,
    0.42578125f, -0.1328125f,
};
/* b.grad after y.backward(dy) */
static const float CB_DB[2] = {
    -2.25f, 1.9375f,
};
/* F.conv_transpose2d(x, w, b, stride=2, padding=1): x (2, 3, 3, 2), w (3, 2, 4, 4), y (2, 2, 6, 4) */
static const float TA_Y[96] = {
    -0.283203125f, 0.041015625f, -0.513671875f, 0.318359375f, 0.25390625f, 1.02148438f,
    -0.97265625f, -0.0078125f, 0.626953125f, -0.35546875f, -0.291015625f, -0.42578125f,
    -0.029296875f, -1.01757812f, 0.087890625f, 0.06640625f, -0.53125f, -0.349609375f,
    0.271484375f, 0.025390625f, -0.2734375f, 0.59375f, 0.111328125f, -0.3359375f,
    -0.56640625f, -0.18359375f, -0.193359375f, -0.478515625f, -0.986328125f, -1.04296875f,
    0.171875f, -0.234375f, -0.794921875f, 0.001953125f, -0.5390625f, -0.046875f,
    0.498046875f, 0.6171875f, -1.12304688f, -0.771484375f, -0.185546875f, -0.591796875f,
    -0.576171875f, -0.20703125f, -0.544921875f, -0.8359375f, 0.31640625f, 0.01171875f,
    -0.283203125f, 0.041015625f, -0.529296875f, 0.310546875f, 0.25390625f, 1.02148438f,
    -0.943359375f, 0.037109375f, 0.625f, -0.359375f, -0.326171875f, -0.443359375f,
    -0.029296875f, -1.01757812f, 0.1171875f, 0.111328125f, -0.533203125f, -0.353515625f,
    0.236328125f, 0.0078125f, -0.244140625f, 0.591796875f, 0.154296875f, -0.314453125f,
    -0.5703125f, -0.19140625f, -0.216796875f, -0.490234375f, -0.994140625f, -0.998046875f,
    0.185546875f, -0.197265625f, -0.8046875f, -0.017578125f, -0.58984375f, -0.072265625f,
    0.490234375f, 0.662109375f, -1.109375f, -0.734375f, -0.1953125f, -0.611328125f,
    -0.626953125f, -0.232421875f, -0.580078125f, -0.845703125f, 0.291015625f, 0.029296875f,
};
/* x.grad after y.backward(dy) */
static const float TA_DX[36] = {
    0.15625f, -0.224609375f, -0.34375f, 0.19140625f, -0.6875f, 0.435546875f,
    0.466796875f, -0.052734375f, 0.345703125f, 0.3125f, 0.369140625f, 0.505859375f,
    -0.5546875f, -0.18359375f, -0.115234375f, -0.29296875f, -0.1484375f, -0.634765625f,
    0.09765625f, 0.1953125f, 0.51953125f, 0.04296875f, 0.666015625f, -0.11328125f,
    -0.474609375f, -0.3359375f, 0.01171875f, -0.53125f, 0.11328125f, -0.341796875f,
    -0.259765625f, 0.22265625f, -0.193359375f, 0.2265625f, -0.560546875f, 0.27734375f,
};
/* w.grad after y.backward(dy) */
static const float TA_DW[96] = {
    0.1953125f, 0.1875f, -0.28515625f, 0.17578125f, 0.015625f, 0.2890625f,
    -0.2265625f, 0.27734375f, 0.04296875f, 0.3828125f, -0.1328125f, 0.34375f,
    0.01953125f, 0.12109375f, -0.09375f, 0.4140625f, 0.1484375f, -0.28515625f,
    0.23046875f, -0.4296875f, 0.1796875f, -0.2265625f, 0.3359375f, -0.22265625f,
    0.20703125f, -0.1328125f, -0.19921875f, -0.15625f, -0.16796875f, -0.09375f,
    0.140625f, -0.0625f, -0.27734375f, -0.17578125f, -0.17578125f, -0.21484375f,
    0.04296875f, -0.19921875f, 0.6171875f, -0.30859375f, 0.0625f, -0.34765625f,
    0.46875f, -0.4765625f, 0.0703125f, 0.125f, 0.3828125f, -0.1328125f,
    0.09765625f, -0.17578125f, -0.17578125f, 0.0390625f, 0.16015625f, 0.6171875f,
    -0.2734375f, 0.48046875f, 0.1796875f, 0.46875f, -0.15234375f, 0.3125f,
    0.3046875f, 0.3828125f, 0.1015625f, 0.25f, 0.26953125f, -0.19921875f,
    0.2734375f, 0.1875f, -0.3828125f, -0.234375f, -0.578125f, 0.23828125f,
    -0.37109375f, -0.171875f, -0.515625f, 0.2890625f, -0.33203125f, 0.12890625f,
    -0.38671875f, -0.11328125f, -0.29296875f, 0.2734375f, -0.2421875f, 0.0546875f,
    -0.3125f, -0.578125f, -0.203125f, -0.17578125f, -0.30078125f, -0.515625f,
    1.02734375f, -0.125f, 0.32421875f, -0.38671875f, 0.17578125f, -0.1171875f,
};
/* b.grad after y.backward(dy) */
static const float TA_DB[2] = {
    0.0f, -0.6875f,
};
/* F.conv_transpose2d(x, w, b, stride=1, padding=0): x (2, 1, 5, 3), w (1, 3, 3, 3), y (2, 3, 7, 5) */
static const float TB_Y[210] = {
    -0.25f, -0.224609375f, -0.328125f, -0.091796875f, -0.26171875f, -0.2265625f,
    -0.2734375f, -0.130859375f, -0.486328125f, -0.109375f, -0.208984375f, -0.19140625f,
    -0.47265625f, -0.25390625f, -0.416015625f, -0.173828125f, -0.296875f, -0.16796875f,
    -0.458984375f, -0.216796875f, -0.244140625f, -0.19140625f, -0.443359375f, -0.189453125f,
    -0.38671875f, -0.220703125f, -0.24609375f, -0.265625f, -0.271484375f, -0.24609375f,
    -0.28515625f, -0.197265625f, -0.24609375f, -0.3046875f, -0.181640625f, 0.375f,
    0.4765625f, 0.3671875f, 0.2734375f, 0.3828125f, 0.46875f, 0.486328125f,
    0.3828125f, 0.3125f, 0.294921875f, 0.46875f, 0.609375f, 0.439453125f,
    0.275390625f, 0.345703125f, 0.556640625f, 0.451171875f, 0.439453125f, 0.3984375f,
    0.29296875f, 0.380859375f, 0.50390625f, 0.38671875f, 0.310546875f, 0.3984375f,
    0.421875f, 0.408203125f, 0.39453125f, 0.37109375f, 0.384765625f, 0.3046875f,
    0.43359375f, 0.34375f, 0.3203125f, 0.40234375f, 0.125f, -0.02734375f,
    0.212890625f, 0.09375f, 0.126953125f, -0.015625f, 0.091796875f, 0.072265625f,
    0.185546875f, 0.103515625f, 0.04296875f, 0.001953125f, 0.248046875f, 0.18359375f,
    0.130859375f, -0.044921875f, 0.248046875f, 0.01953125f, 0.25390625f, 0.130859375f,
    0.130859375f, 0.01953125f, 0.265625f, 0.11328125f, 0.130859375f, 0.11328125f,
    0.13671875f, 0.154296875f, 0.138671875f, 0.140625f, 0.171875f, 0.01171875f,
    0.236328125f, 0.0703125f, 0.111328125f, -0.23828125f, -0.30078125f, -0.123046875f,
    -0.373046875f, -0.19140625f, -0.244140625f, -0.244140625f, -0.41796875f, -0.0703125f,
    -0.42578125f, -0.244140625f, -0.296875f, -0.109375f, -0.330078125f, -0.158203125f,
    -0.314453125f, -0.19140625f, -0.384765625f, -0.060546875f, -0.328125f, -0.279296875f,
    -0.244140625f, -0.23828125f, 0.05078125f, -0.12890625f, -0.3203125f, -0.169921875f,
    -0.265625f, -0.3828125f, -0.111328125f, -0.25f, -0.173828125f, -0.28125f,
    -0.375f, -0.240234375f, 0.421875f, 0.3125f, 0.3671875f, 0.4375f,
    0.3359375f, 0.36328125f, 0.33984375f, 0.365234375f, 0.400390625f, 0.423828125f,
    0.380859375f, 0.240234375f, 0.333984375f, 0.46875f, 0.3984375f, 0.205078125f,
    0.29296875f, 0.28125f, 0.380859375f, 0.50390625f, 0.29296875f, 0.345703125f,
    0.28125f, 0.29296875f, 0.451171875f, 0.234375f, 0.466796875f, 0.2890625f,
    0.2421875f, 0.431640625f, 0.375f, 0.52734375f, 0.4140625f, 0.3203125f,
    0.37890625f, 0.0546875f, 0.25390625f, 0.0078125f, 0.169921875f, 0.115234375f,
    0.171875f, 0.150390625f, 0.171875f, 0.09765625f, 0.14453125f, 0.130859375f,
    0.283203125f, 0.0546875f, 0.11328125f, 0.130859375f, 0.306640625f, 0.0546875f,
    0.30078125f, -0.02734375f, 0.130859375f, 0.21875f, -0.015625f, 0.23046875f,
    -0.009765625f, 0.130859375f, 0.21875f, -0.126953125f, 0.32421875f, -0.0078125f,
    0.099609375f, 0.125f, 0.0234375f, 0.259765625f, 0.140625f, 0.123046875f,
};
/* x.grad after y.backward(dy) */
static const float TB_DX[30] = {
    -0.572265625f, 0.44140625f, 0.234375f, 0.1015625f, 0.236328125f, 0.126953125f,
    0.3359375f, 0.12890625f, -0.2734375f, 0.326171875f, -0.271484375f, -0.33203125f,
    -0.26953125f, -0.330078125f, 0.439453125f, 0.1015625f, 0.236328125f, 0.126953125f,
    0.3359375f, 0.12890625f, -0.2734375f, 0.326171875f, -0.271484375f, -0.33203125f,
    -0.26953125f, -0.330078125f, 0.439453125f, -0.572265625f, 0.44140625f, 0.234375f,
};
/* w.grad after y.backward(dy) */
static const float TB_DW[27] = {
    0.1328125f, -1.3203125f, 0.7421875f, -0.1015625f, 0.7890625f, 2.265625f,
    -0.921875f, 2.3125f, -2.65625f, -0.921875f, 2.3125f, -2.65625f,
    2.359375f, -2.609375f, 1.2109375f, -0.8046875f, 1.2578125f, -1.3671875f,
    -0.8046875f, 1.2578125f, -1.3671875f, 0.1328125f, -1.3203125f, 0.7421875f,
    -0.1015625f, 0.7890625f, 2.265625f,
};
/* b.grad after y.backward(dy) */
static const float TB_DB[3] = {
    -1.25f, 1.875f, -1.25f,
};
/* torch.nn.BatchNorm2d(2, eps=1e-5, momentum=0.1).train()(x), x (3, 2, 2, 3) */
static const float BN2_Y[36] = {
    -0.318047428f, 1.09227722f, 2.50260187f, -1.19950033f, 0.210824315f, 1.62114896f,
    0.671383119f, -0.0556822653f, -0.782747649f, -1.50981303f, 0.3987336f, -0.328331784f,
    1.2685678f, 2.67889245f, -1.02320975f, 0.387114896f, 1.79743954f, -1.90466266f,
    -0.146565438f, -0.873630822f, -1.60069621f, 0.307850427f, -0.419214957f, -1.14628034f,
    -2.25724382f, -0.846919171f, 0.563405477f, 1.97373013f, -1.72837208f, -0.318047428f,
    -0.964513995f, -1.69157938f, 0.216967254f, -0.51009813f, -1.23716351f, 0.671383119f,
};
/* bn.running_mean after the train forward (from 0.5, -0.25) */
static const float BN2_RM[2] = {
    0.451388889f, -0.225694444f,
};
/* bn.running_var after the train forward (from 2, 0.5; unbiased) */
static const float BN2_RV[2] = {
    1.82994281f, 0.47816585f,
};
/* x.grad after y.backward(dy) */
static const float BN2_DX[36] = {
    -0.94586241f, 0.174530561f, 1.29492353f, -1.86647124f, -0.746078272f, 0.374314699f,
    -0.282352772f, 1.01170387f, 0.215447536f, -0.5808088f, -0.467344932f, 0.826711712f,
    -0.346509996f, 0.773882975f, 1.66717156f, -1.26711883f, -0.146725859f, 0.74656273f,
    -0.837329251f, 0.456727393f, -0.339528943f, -0.226065075f, -1.02232141f, 0.271735233f,
    0.0257380342f, 1.14613101f, -1.78815939f, -0.667766416f, 0.225522172f, 1.34591514f,
    0.698007249f, -0.098249086f, 0.0152147817f, -0.781041554f, 0.51301509f, 0.626478958f,
};
/* bn.weight.grad */
static const float BN2_DGAMMA[2] = {
    -0.425219411f, -3.20447336f,
};
/* bn.bias.grad */
static const float BN2_DBETA[2] = {
    -0.875f, -0.625f,
};
/* the same BatchNorm2d after .eval() on x2 (2, 2, 2, 3) */
static const float BN2_YEVAL[24] = {
    -0.527732406f, 0.234599358f, -0.0772636364f, -0.389126631f, -0.700989626f, 0.061342139f,
    -0.744786979f, -0.439744744f, -1.18540354f, -0.880361306f, -0.575319071f, -0.270276835f,
    0.0266906952f, -0.285172299f, -0.597035294f, 0.165296471f, -0.146566524f, -0.458429519f,
    -0.236383253f, -0.982042052f, -0.676999816f, -0.37195758f, -1.11761638f, -0.812574143f,
};


static const float BN2_GAMMA[2] = {1.5f, -0.75f}, BN2_BETA[2] = {0.25f, -0.5f};
static const float BN2_RM0[2] = {0.5f, -0.25f}, BN2_RV0[2] = {2.0f, 0.5f};

/* ------------------------------------------------------------ the forms */

/* One convolution's shape: t = 0 for conv2d, 1 for conv_transpose2d. */
typedef struct {
    int t, batch, c_in, h, w, c_out, k, stride, pad;
} cshape;

static int out_h(const cshape *s)
{
    return s->t ? nn_conv_transpose2d_out_size(s->h, s->k, s->stride, s->pad)
                : nn_conv2d_out_size(s->h, s->k, s->stride, s->pad);
}

static int out_w(const cshape *s)
{
    return s->t ? nn_conv_transpose2d_out_size(s->w, s->k, s->stride, s->pad)
                : nn_conv2d_out_size(s->w, s->k, s->stride, s->pad);
}

static size_t nx_of(const cshape *s) { return (size_t)s->batch * s->c_in * s->h * s->w; }
static size_t ny_of(const cshape *s) { return (size_t)s->batch * s->c_out * out_h(s) * out_w(s); }
static size_t nw_of(const cshape *s) { return (size_t)s->c_out * s->c_in * s->k * s->k; }

static void fwd(const cshape *s, float *y, const float *x, const float *w, const float *b,
                float *scratch)
{
    if (s->t)
        nn_conv_transpose2d_forward(y, x, w, b, s->batch, s->c_in, s->h, s->w, s->c_out, s->k,
                                    s->stride, s->pad, scratch);
    else
        nn_conv2d_forward(y, x, w, b, s->batch, s->c_in, s->h, s->w, s->c_out, s->k, s->stride,
                          s->pad, scratch);
}

static void bwd(const cshape *s, float *dx, float *dw, float *db, const float *dy,
                const float *x, const float *w, float *scratch)
{
    if (s->t)
        nn_conv_transpose2d_backward(dx, dw, db, dy, x, w, s->batch, s->c_in, s->h, s->w,
                                     s->c_out, s->k, s->stride, s->pad, scratch);
    else
        nn_conv2d_backward(dx, dw, db, dy, x, w, s->batch, s->c_in, s->h, s->w, s->c_out, s->k,
                           s->stride, s->pad, scratch);
}

/* The test's own definition of the convolution, in double: the ground truth
 * of the fast forward (exercise 14's answer is what the library runs under
 * the reference kernel; it is not checked against itself). */
static void conv2d_plain(float *y, const float *x, const float *w, const float *b,
                         const cshape *s)
{
    const int oh = out_h(s), ow = out_w(s);
    for (int n = 0; n < s->batch; n++)
        for (int o = 0; o < s->c_out; o++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++) {
                    double acc = b ? b[o] : 0.0;
                    for (int c = 0; c < s->c_in; c++)
                        for (int p = 0; p < s->k; p++)
                            for (int q = 0; q < s->k; q++) {
                                int iy = i * s->stride + p - s->pad;
                                int ix = j * s->stride + q - s->pad;
                                if (iy < 0 || iy >= s->h || ix < 0 || ix >= s->w) continue;
                                acc += (double)x[((n * s->c_in + c) * s->h + iy) * s->w + ix] *
                                       w[((o * s->c_in + c) * s->k + p) * s->k + q];
                            }
                    y[((n * s->c_out + o) * oh + i) * ow + j] = (float)acc;
                }
}

/* The plain loops of every other form: the library's own, a separate code
 * path from the fast one. */
static void fwd_plain(const cshape *s, float *y, const float *x, const float *w, const float *b)
{
    if (s->t)
        nn_conv_transpose2d_forward_reference(y, x, w, b, s->batch, s->c_in, s->h, s->w,
                                              s->c_out, s->k, s->stride, s->pad);
    else
        conv2d_plain(y, x, w, b, s);
}

static void bwd_plain(const cshape *s, float *dx, float *dw, float *db, const float *dy,
                      const float *x, const float *w)
{
    if (s->t)
        nn_conv_transpose2d_backward_reference(dx, dw, db, dy, x, w, s->batch, s->c_in, s->h,
                                               s->w, s->c_out, s->k, s->stride, s->pad);
    else
        nn_conv2d_backward_reference(dx, dw, db, dy, x, w, s->batch, s->c_in, s->h, s->w,
                                     s->c_out, s->k, s->stride, s->pad);
}

/* A small LCG, so the test data does not depend on the library's rng. */
static void fill_uniform(float *x, size_t n, uint32_t seed)
{
    uint32_t st = seed * 2654435761u + 1u;
    for (size_t i = 0; i < n; i++) {
        st = st * 1664525u + 1013904223u;
        x[i] = 2.0f * ((float)(st >> 8) / 16777216.0f) - 1.0f;
    }
}

/* The case being checked, named in a failure's message. */
static char g_case[200];

/* assert_rel_close, saying which case failed. */
static void expect_close(const float *got, const float *want, size_t n, double tol,
                         const char *what)
{
    if (!(nn_rel_error(got, want, n) <= tol)) print_error("%s: %s\n", g_case, what);
    assert_rel_close(got, want, n, tol);
}

static float *falloc(size_t n)
{
    float *p = calloc(n + 1, sizeof *p);
    assert_non_null(p);
    return p;
}

/* ------------------------------------------------------------ sizes */

static void test_out_sizes(void **state)
{
    (void)state;
    /* (in + 2 pad - k) / stride + 1: DCGAN's 28 -> 14 -> 7, a 3x3 image
     * under a 2x2 kernel (2), stride 2 pad 1 (2), and the floor of an
     * uneven step: (5 + 2 - 3) / 2 + 1 = 3. */
    assert_int_equal(nn_conv2d_out_size(28, 4, 2, 1), 14);
    assert_int_equal(nn_conv2d_out_size(14, 4, 2, 1), 7);
    assert_int_equal(nn_conv2d_out_size(3, 2, 1, 0), 2);
    assert_int_equal(nn_conv2d_out_size(3, 2, 2, 1), 2);
    assert_int_equal(nn_conv2d_out_size(5, 3, 2, 1), 3);
    assert_int_equal(nn_conv2d_out_size(6, 2, 3, 2), 3);
    assert_int_equal(nn_conv2d_out_size(4, 6, 1, 1), 1);
    /* A kernel larger than the padded input has no output at all, not the
     * 1 that C's rounding toward zero would give: (3 - 4) / 2 + 1 = 1. */
    assert_int_equal(nn_conv2d_out_size(3, 4, 2, 0), 0);
    assert_int_equal(nn_conv2d_out_size(1, 5, 1, 1), 0);
    /* The scratch grows with the batch and is 0 for nothing to do. */
    assert_true(nn_conv2d_scratch(64, 64, 14, 14, 128, 4, 2, 1) >=
                nn_conv2d_scratch(8, 64, 14, 14, 128, 4, 2, 1));
    assert_true(nn_conv_transpose2d_scratch(64, 128, 7, 7, 64, 4, 2, 1) > 0);
}

/* ------------------------------------------------------------ by hand */

static void test_conv2d_by_hand(void **state)
{
    (void)state;
    /* x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]], w = [[1, 2], [3, 4]], b = 0.5.
     * Stride 1, pad 0: each output is its 2x2 window times w,
     *   y00 = 1*1 + 2*2 + 4*3 + 5*4 = 37,  y01 = 2 + 6 + 15 + 24 = 47,
     *   y10 = 4 + 10 + 21 + 32 = 67,       y11 = 5 + 12 + 24 + 36 = 77, + 0.5.
     * Stride 2, pad 1: the windows start at (2i - 1, 2j - 1), so the
     * padding covers half of three of them:
     *   y00 = x00 w11 = 4,  y01 = x01 w10 + x02 w11 = 6 + 12 = 18,
     *   y10 = x10 w01 + x20 w11 = 8 + 28 = 36,
     *   y11 = x11 w00 + x12 w01 + x21 w10 + x22 w11 = 5 + 12 + 24 + 36 = 77, + 0.5.
     * Backward of the stride-2 case with dy = 1 everywhere: each pixel is in
     * one window, so dx is the tap of w that touches it,
     *   dx = [[4, 3, 4], [2, 1, 2], [4, 3, 4]];
     * dw[p][q] sums the pixels tap (p, q) reads: dw00 = x11 = 5,
     * dw01 = x10 + x12 = 10, dw10 = x01 + x21 = 10, dw11 = x00 + x02 + x20 + x22
     * = 20; db = 4 outputs. */
    const float x[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9}, w[4] = {1, 2, 3, 4}, b[1] = {0.5f};
    const float y1_hand[4] = {37.5f, 47.5f, 67.5f, 77.5f};
    const float y2_hand[4] = {4.5f, 18.5f, 36.5f, 77.5f};
    const float dx_hand[9] = {4, 3, 4, 2, 1, 2, 4, 3, 4}, dw_hand[4] = {5, 10, 10, 20};
    const float dy[4] = {1, 1, 1, 1};
    for (int kn = 0; kn < 2; kn++) {
        nn_set_kernel(KERNELS[kn]);
        float y[5] = {7, 7, 7, 7, 7};
        nn_conv2d_forward(y, x, w, b, 1, 1, 3, 3, 1, 2, 1, 0, NULL);
        assert_rel_close(y, y1_hand, 4, 1e-7);
        assert_true(y[4] == 7.0f); /* nothing written past the 2x2 output */
        nn_conv2d_forward(y, x, w, b, 1, 1, 3, 3, 1, 2, 2, 1, NULL);
        assert_rel_close(y, y2_hand, 4, 1e-7);
        float dx[9] = {0}, dw[4] = {0}, db[1] = {0};
        nn_conv2d_backward(dx, dw, db, dy, x, w, 1, 1, 3, 3, 1, 2, 2, 1, NULL);
        assert_rel_close(dx, dx_hand, 9, 1e-7);
        assert_rel_close(dw, dw_hand, 4, 1e-7);
        assert_close(db[0], 4.0, 0.0);
    }
    nn_set_kernel(NN_KERNEL_FAST);
}

static void test_conv_transpose2d_by_hand(void **state)
{
    (void)state;
    /* x = [[1, 2], [3, 4]], w = [[1, 10], [100, 1000]], no bias: each input
     * pixel stamps x * w onto the output at (i stride - pad, j stride - pad).
     * Stride 2, pad 0: the stamps tile a 4x4 image side by side,
     *   [[1, 10, 2, 20], [100, 1000, 200, 2000], [3, 30, 4, 40], [300, 3000, 400, 4000]].
     * Stride 1, pad 0: they overlap on a 3x3 image,
     *   y01 = 1*10 + 2*1 = 12, y11 = 1*1000 + 2*100 + 3*10 + 4*1 = 1234, ...
     * Stride 2, pad 1: (2 - 1) 2 - 2 + 2 = 2, the 4x4 image with its border
     * cut off: [[1000, 200], [30, 4]].
     * Backward of the stride-1 case with dy = 1 everywhere: each input
     * pixel's stamp lies wholly inside, so dx = 1 + 10 + 100 + 1000 = 1111;
     * every tap sees every pixel once, dw = 1 + 2 + 3 + 4 = 10; db = 9. */
    const float x[4] = {1, 2, 3, 4}, w[4] = {1, 10, 100, 1000};
    const float y_s2[16] = {1, 10, 2, 20, 100, 1000, 200, 2000, 3, 30, 4, 40, 300, 3000, 400, 4000};
    const float y_s1[9] = {1, 12, 20, 103, 1234, 2040, 300, 3400, 4000};
    const float y_p1[4] = {1000, 200, 30, 4};
    const float dy[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
    const float dx_hand[4] = {1111, 1111, 1111, 1111}, dw_hand[4] = {10, 10, 10, 10};
    for (int kn = 0; kn < 2; kn++) {
        nn_set_kernel(KERNELS[kn]);
        float y[17];
        for (int i = 0; i < 17; i++) y[i] = 7.0f;
        nn_conv_transpose2d_forward(y, x, w, NULL, 1, 1, 2, 2, 1, 2, 2, 0, NULL);
        assert_rel_close(y, y_s2, 16, 1e-7);
        assert_true(y[16] == 7.0f);
        nn_conv_transpose2d_forward(y, x, w, NULL, 1, 1, 2, 2, 1, 2, 1, 0, NULL);
        assert_rel_close(y, y_s1, 9, 1e-7);
        nn_conv_transpose2d_forward(y, x, w, NULL, 1, 1, 2, 2, 1, 2, 2, 1, NULL);
        assert_rel_close(y, y_p1, 4, 1e-7);
        float dx[4] = {0}, dw[4] = {0}, db[1] = {0};
        nn_conv_transpose2d_backward(dx, dw, db, dy, x, w, 1, 1, 2, 2, 1, 2, 1, 0, NULL);
        assert_rel_close(dx, dx_hand, 4, 1e-7);
        assert_rel_close(dw, dw_hand, 4, 1e-7);
        assert_close(db[0], 9.0, 0.0);
    }
    nn_set_kernel(NN_KERNEL_FAST);
}

/* The transposed convolution is the adjoint of the convolution with the
 * same weights (its w (c_in, c_out, k, k) read as a conv2d weight from c_out
 * channels to c_in): <convT(u), v> = <u, conv(v)> for any u, v. */
static void test_transpose_is_adjoint(void **state)
{
    (void)state;
    const cshape T = {1, 3, 4, 5, 4, 3, 4, 2, 1};  /* convT: 4 ch 5x4 -> 3 ch 10x8 */
    const cshape C = {0, 3, 3, 10, 8, 4, 4, 2, 1}; /* conv: 3 ch 10x8 -> 4 ch 5x4 */
    assert_int_equal(ny_of(&T), nx_of(&C));
    assert_int_equal(nx_of(&T), ny_of(&C));
    float *u = falloc(nx_of(&T)), *v = falloc(ny_of(&T)), *w = falloc(nw_of(&T));
    float *tu = falloc(ny_of(&T)), *cv = falloc(nx_of(&T));
    fill_uniform(u, nx_of(&T), 1);
    fill_uniform(v, ny_of(&T), 2);
    fill_uniform(w, nw_of(&T), 3);
    for (int kn = 0; kn < 2; kn++) {
        nn_set_kernel(KERNELS[kn]);
        fwd(&T, tu, u, w, NULL, NULL);
        fwd(&C, cv, v, w, NULL, NULL);
        double a = 0.0, b = 0.0;
        for (size_t i = 0; i < ny_of(&T); i++) a += (double)tu[i] * v[i];
        for (size_t i = 0; i < nx_of(&T); i++) b += (double)u[i] * cv[i];
        assert_close(a, b, 1e-5 * (fabs(a) + 1.0));
        assert_true(fabs(a) > 0.1);
    }
    nn_set_kernel(NN_KERNEL_FAST);
    free(u); free(v); free(w); free(tu); free(cv);
}

static void test_batchnorm2d_by_hand(void **state)
{
    (void)state;
    /* batch 2, 2 channels of 1x2 pixels. Channel 0 holds 1, 3 (image 0) and
     * 5, 7 (image 1): M = 4 numbers, mean 4, biased var (9 + 1 + 1 + 9) / 4 = 5,
     * unbiased 20/3. Channel 1 is 2 everywhere: mean 2, var 0, y = beta.
     * gamma = (2, 1), beta = (1, -1), running stats from (0, 1), momentum 0.1. */
    const float x[8] = {1, 3, 2, 2, 5, 7, 2, 2};
    const float gamma[2] = {2, 1}, beta[2] = {1, -1};
    float y[8], xhat[8], mean[2], invstd[2], rm[2] = {0, 0}, rv[2] = {1, 1};
    nn_batchnorm2d_forward_train(y, xhat, mean, invstd, rm, rv, x, gamma, beta, 0.1f, 1e-5f, 2,
                                 2, 2);
    const double is = 1.0 / sqrt(5.0 + 1e-5);
    assert_close(mean[0], 4.0, 1e-7);
    assert_close(mean[1], 2.0, 1e-7);
    assert_close(invstd[0], is, 1e-6);
    assert_close(y[0], 1.0 - 3.0 * 2.0 * is, 1e-6);  /* (1 - 4) is, times 2, plus 1 */
    assert_close(y[5], 1.0 + 3.0 * 2.0 * is, 1e-6);  /* (7 - 4) */
    assert_close(y[2], -1.0, 1e-6);
    assert_close(y[7], -1.0, 1e-6);
    assert_close(rm[0], 0.4, 1e-6);                  /* 0.9 * 0 + 0.1 * 4 */
    assert_close(rv[0], 0.9 + 0.1 * 20.0 / 3.0, 1e-6); /* the unbiased variance */
    assert_close(rv[1], 0.9, 1e-6);
    /* dy = 1 on channel 0 shifts all its outputs alike, which normalisation
     * undoes: dx = 0, dgamma = sum xhat = 0, dbeta = 4. */
    const float dy[8] = {1, 1, 0, 0, 1, 1, 0, 0};
    float dx[8] = {0}, dg[2] = {0}, dbt[2] = {0};
    nn_batchnorm2d_backward(dx, dg, dbt, dy, xhat, invstd, gamma, 2, 2, 2);
    for (int i = 0; i < 8; i++) assert_close(dx[i], 0.0, 1e-6);
    assert_close(dg[0], 0.0, 1e-6);
    assert_close(dbt[0], 4.0, 0.0);
    assert_close(dbt[1], 0.0, 0.0);
    /* Eval with running mean 1 and var 4 on channel 0: (5 - 1) / 2 * 2 + 1. */
    const float rme[2] = {1, 0}, rve[2] = {4, 1};
    nn_batchnorm2d_forward_eval(y, x, gamma, beta, rme, rve, 1e-5f, 2, 2, 2);
    assert_close(y[4], 2.0 * 4.0 / sqrt(4.0 + 1e-5) + 1.0, 1e-5);
    assert_close(y[2], 2.0 / sqrt(1.0 + 1e-5) - 1.0, 1e-5);
}

/* ------------------------------------------------------------ central differences */

/* One layer under test: loss = sum(y * r) for a fixed random r, so
 * d loss / d y = r and backward from dy = r gives the analytic gradients. */
typedef struct {
    cshape s;
    int bn;                 /* 1: batchnorm2d on x (batch, c_in, h, w) */
    float *x, *w, *b, *r, *y, *dx, *dw, *db;
    float *xhat, mean[8], invstd[8], rm[8], rv[8];
} gc_ctx;

static size_t gc_ny(const gc_ctx *c) { return c->bn ? nx_of(&c->s) : ny_of(&c->s); }

static void gc_forward(gc_ctx *c)
{
    const cshape *s = &c->s;
    if (c->bn)
        nn_batchnorm2d_forward_train(c->y, c->xhat, c->mean, c->invstd, c->rm, c->rv, c->x, c->w,
                                     c->b, 0.1f, 1e-5f, s->batch, s->c_in, s->h * s->w);
    else
        fwd(s, c->y, c->x, c->w, c->b, NULL);
}

static double gc_loss(void *p)
{
    gc_ctx *c = p;
    gc_forward(c);
    double sum = 0.0;
    for (size_t i = 0; i < gc_ny(c); i++) sum += (double)c->y[i] * c->r[i];
    return sum;
}

static void gc_grad(void *p)
{
    gc_ctx *c = p;
    const cshape *s = &c->s;
    size_t nw = c->bn ? (size_t)s->c_in : nw_of(s), nb = c->bn ? (size_t)s->c_in : (size_t)s->c_out;
    memset(c->dx, 0, nx_of(s) * sizeof(float));
    memset(c->dw, 0, nw * sizeof(float));
    memset(c->db, 0, nb * sizeof(float));
    gc_forward(c);
    if (c->bn)
        nn_batchnorm2d_backward(c->dx, c->dw, c->db, c->r, c->xhat, c->invstd, c->w, s->batch,
                                s->c_in, s->h * s->w);
    else
        bwd(s, c->dx, c->dw, c->db, c->r, c->x, c->w, NULL);
}

/* Checks x, w and b (gamma and beta for batchnorm) by central differences,
 * each against an analytic gradient that is not all zeros. */
static void check_gradients(const cshape *s, int bn, uint32_t seed)
{
    gc_ctx c;
    memset(&c, 0, sizeof c);
    c.s = *s;
    c.bn = bn;
    size_t nx = nx_of(s), nw = bn ? (size_t)s->c_in : nw_of(s);
    size_t nb = bn ? (size_t)s->c_in : (size_t)s->c_out;
    c.x = falloc(nx); c.dx = falloc(nx); c.xhat = falloc(nx);
    c.w = falloc(nw); c.dw = falloc(nw);
    c.b = falloc(nb); c.db = falloc(nb);
    c.y = falloc(gc_ny(&c)); c.r = falloc(gc_ny(&c));
    fill_uniform(c.x, nx, seed);
    fill_uniform(c.w, nw, seed + 1);
    fill_uniform(c.b, nb, seed + 2);
    fill_uniform(c.r, gc_ny(&c), seed + 3);
    if (bn)
        for (size_t i = 0; i < nw; i++) c.w[i] += 1.5f; /* gamma away from 0 */
    for (int i = 0; i < 8; i++) c.rv[i] = 1.0f;
    nn_gradcheck_var vars[3] = {{"x", c.x, c.dx, nx}, {"w", c.w, c.dw, nw}, {"b", c.b, c.db, nb}};
    nn_gradcheck_report rep;
    /* Batchnorm is not linear in x: a smaller step. */
    double rel = nn_gradcheck(gc_loss, gc_grad, &c, vars, 3, bn ? 1e-3f : GC_H, 0, &rep);
    if (!(rel < GC_TOL))
        print_error("%s (t %d, bn %d, kernel %s): relative error %.3g in %s[%zu]\n",
                    bn ? "batchnorm2d" : "convolution", s->t, bn,
                    KERNEL_NAMES[nn_get_kernel()], rel, rep.worst, rep.worst_index);
    assert_true(rel < GC_TOL);
    assert_int_equal(rep.zero_grad, 0);
    assert_int_equal(rep.checked, nx + nw + nb);
    assert_not_all_zero(c.dx, nx);
    assert_not_all_zero(c.dw, nw);
    assert_not_all_zero(c.db, nb);
    free(c.x); free(c.dx); free(c.xhat); free(c.w); free(c.dw); free(c.b); free(c.db);
    free(c.y); free(c.r);
}

static void test_gradcheck_convolutions(void **state)
{
    (void)state;
    /* Odd, non-square images, padding, stride 2, several channels. */
    const cshape conv = {0, 2, 2, 5, 4, 3, 3, 2, 1};
    const cshape convt = {1, 2, 3, 3, 2, 2, 4, 2, 1};
    const cshape conv1 = {0, 3, 1, 4, 4, 2, 2, 3, 1}; /* stride > kernel, one channel */
    for (int kn = 0; kn < 2; kn++) {
        nn_set_kernel(KERNELS[kn]);
        check_gradients(&conv, 0, 10);
        check_gradients(&convt, 0, 20);
        check_gradients(&conv1, 0, 30);
    }
    nn_set_kernel(NN_KERNEL_FAST);
}

static void test_gradcheck_batchnorm2d(void **state)
{
    (void)state;
    const cshape s = {0, 3, 2, 2, 3, 0, 0, 0, 0}; /* batch 3, 2 channels of 2x3 */
    check_gradients(&s, 1, 40);
}

/* ------------------------------------------------------------ torch */

typedef struct {
    const char *name;
    cshape s;
    int seeds[4][4]; /* pat() of x, w, b, dy */
    const float *y, *dx, *dw, *db;
    size_t ny;
} torch_case;

#define SEEDS_A {{37, 11, 29, 16}, {53, 7, 31, 32}, {7, 3, 9, 8}, {29, 5, 23, 16}}
#define SEEDS_B {{41, 13, 27, 16}, {17, 5, 13, 32}, {5, 1, 7, 8}, {31, 9, 25, 16}}
static const torch_case TORCH_CASES[4] = {
    {"conv2d CA", {0, 2, 2, 5, 4, 3, 3, 2, 1}, SEEDS_A, CA_Y, CA_DX, CA_DW, CA_DB,
     sizeof CA_Y / sizeof CA_Y[0]},
    {"conv2d CB", {0, 3, 1, 7, 6, 2, 2, 3, 2}, SEEDS_B, CB_Y, CB_DX, CB_DW, CB_DB,
     sizeof CB_Y / sizeof CB_Y[0]},
    {"conv_transpose2d TA", {1, 2, 3, 3, 2, 2, 4, 2, 1}, SEEDS_A, TA_Y, TA_DX, TA_DW, TA_DB,
     sizeof TA_Y / sizeof TA_Y[0]},
    {"conv_transpose2d TB", {1, 2, 1, 5, 3, 3, 3, 1, 0}, SEEDS_B, TB_Y, TB_DX, TB_DW, TB_DB,
     sizeof TB_Y / sizeof TB_Y[0]},
};

static void test_torch_convolutions(void **state)
{
    (void)state;
    for (int kn = 0; kn < 2; kn++) {
        nn_set_kernel(KERNELS[kn]);
        for (int i = 0; i < 4; i++) {
            const torch_case *tc = &TORCH_CASES[i];
            const cshape *s = &tc->s;
            assert_int_equal(ny_of(s), tc->ny);
            size_t nx = nx_of(s), nw = nw_of(s), ny = ny_of(s);
            float *x = falloc(nx), *w = falloc(nw), *b = falloc(s->c_out), *dy = falloc(ny);
            float *y = falloc(ny), *dx = falloc(nx), *dw = falloc(nw), *db = falloc(s->c_out);
            pat(x, (int)nx, tc->seeds[0][0], tc->seeds[0][1], tc->seeds[0][2], tc->seeds[0][3]);
            pat(w, (int)nw, tc->seeds[1][0], tc->seeds[1][1], tc->seeds[1][2], tc->seeds[1][3]);
            pat(b, s->c_out, tc->seeds[2][0], tc->seeds[2][1], tc->seeds[2][2], tc->seeds[2][3]);
            pat(dy, (int)ny, tc->seeds[3][0], tc->seeds[3][1], tc->seeds[3][2], tc->seeds[3][3]);
            snprintf(g_case, sizeof g_case, "%s, %s kernel", tc->name, KERNEL_NAMES[kn]);
            fwd(s, y, x, w, b, NULL);
            expect_close(y, tc->y, ny, REF_TOL, "y");
            bwd(s, dx, dw, db, dy, x, w, NULL);
            expect_close(dx, tc->dx, nx, REF_TOL, "dx");
            expect_close(dw, tc->dw, nw, REF_TOL, "dw");
            expect_close(db, tc->db, (size_t)s->c_out, REF_TOL, "db");
            free(x); free(w); free(b); free(dy); free(y); free(dx); free(dw); free(db);
        }
    }
    nn_set_kernel(NN_KERNEL_FAST);
}

static void test_torch_batchnorm2d(void **state)
{
    (void)state;
    float x[36], dy[36], y[36], xhat[36], mean[2], invstd[2], rm[2], rv[2];
    pat(x, 36, 37, 11, 29, 16);
    pat(dy, 36, 29, 5, 23, 16);
    memcpy(rm, BN2_RM0, sizeof rm);
    memcpy(rv, BN2_RV0, sizeof rv);
    nn_batchnorm2d_forward_train(y, xhat, mean, invstd, rm, rv, x, BN2_GAMMA, BN2_BETA, 0.1f,
                                 1e-5f, 3, 2, 6);
    assert_rel_close(y, BN2_Y, 36, REF_TOL);
    assert_rel_close(rm, BN2_RM, 2, REF_TOL);
    assert_rel_close(rv, BN2_RV, 2, REF_TOL);
    float dx[36] = {0}, dg[2] = {0}, dbt[2] = {0};
    nn_batchnorm2d_backward(dx, dg, dbt, dy, xhat, invstd, BN2_GAMMA, 3, 2, 6);
    assert_rel_close(dx, BN2_DX, 36, REF_TOL);
    assert_rel_close(dg, BN2_DGAMMA, 2, REF_TOL);
    assert_rel_close(dbt, BN2_DBETA, 2, REF_TOL);
    /* Eval: the running statistics the train step left. */
    float xe[24], ye[24];
    pat(xe, 24, 53, 7, 31, 32);
    nn_batchnorm2d_forward_eval(ye, xe, BN2_GAMMA, BN2_BETA, rm, rv, 1e-5f, 2, 2, 6);
    assert_rel_close(ye, BN2_YEVAL, 24, REF_TOL);
}

/* ------------------------------------------------------------ fast == plain */

/* Awkward sizes: odd and non-square images, stride larger than the kernel,
 * 1x1 kernels, padding, a kernel as large as the padded image, padding
 * wider than the kernel (taps that only ever read padding), one and three
 * input channels, batches that do not split evenly, and sizes large enough
 * to be cut between two threads, both ways the weight gradient is summed. */
static const cshape AWKWARD[] = {
    {0, 3, 3, 7, 5, 4, 3, 2, 1},   {0, 2, 1, 6, 6, 3, 2, 3, 0},   {0, 4, 3, 5, 5, 2, 1, 1, 0},
    {0, 2, 2, 4, 6, 3, 1, 2, 0},   {0, 5, 1, 9, 9, 4, 5, 2, 2},   {0, 13, 3, 8, 8, 5, 4, 2, 1},
    {0, 1, 2, 3, 3, 2, 3, 1, 1},   {0, 2, 3, 4, 4, 2, 6, 1, 1},   {0, 2, 2, 5, 5, 3, 3, 1, 3},
    {0, 1, 1, 28, 28, 4, 4, 2, 1}, {0, 9, 16, 14, 14, 32, 4, 2, 1},
    {1, 3, 3, 3, 2, 2, 4, 2, 1},   {1, 2, 1, 5, 3, 3, 3, 1, 0},   {1, 4, 2, 4, 4, 3, 1, 1, 0},
    {1, 2, 3, 3, 3, 2, 2, 3, 0},   {1, 13, 4, 7, 7, 3, 4, 2, 1},  {1, 2, 2, 3, 3, 2, 5, 2, 3},
    {1, 1, 3, 1, 1, 2, 4, 1, 0},   {1, 9, 32, 7, 7, 16, 4, 2, 1}, {1, 5, 8, 14, 14, 1, 4, 2, 1},
    /* Weight gradients too large for per-thread copies: summed group by group. */
    {0, 5, 64, 8, 8, 32, 4, 2, 1}, {1, 5, 32, 4, 4, 64, 4, 2, 1},
};

static void compare_fast_plain(const cshape *s, uint32_t seed)
{
    const size_t nx = nx_of(s), ny = ny_of(s), nw = nw_of(s), nb = (size_t)s->c_out;
    float *x = falloc(nx), *w = falloc(nw), *b = falloc(nb), *dy = falloc(ny);
    float *y_f = falloc(ny), *y_p = falloc(ny);
    float *dx_f = falloc(nx), *dx_p = falloc(nx), *dw_f = falloc(nw), *dw_p = falloc(nw);
    float *db_f = falloc(nb), *db_p = falloc(nb);
    fill_uniform(x, nx, seed);
    fill_uniform(w, nw, seed + 1);
    fill_uniform(b, nb, seed + 2);
    fill_uniform(dy, ny, seed + 3);
    const size_t ns = s->t ? nn_conv_transpose2d_scratch(s->batch, s->c_in, s->h, s->w,
                                                         s->c_out, s->k, s->stride, s->pad)
                           : nn_conv2d_scratch(s->batch, s->c_in, s->h, s->w, s->c_out, s->k,
                                               s->stride, s->pad);
    float *scratch = falloc(ns);
    snprintf(g_case, sizeof g_case,
             "%s batch %d, %d -> %d channels, %dx%d, k %d, stride %d, pad %d, %d threads",
             s->t ? "conv_transpose2d" : "conv2d", s->batch, s->c_in, s->c_out, s->h, s->w, s->k,
             s->stride, s->pad, nn_get_threads());

    /* Forward: y is overwritten, whatever it held. */
    for (size_t i = 0; i < ny; i++) y_f[i] = 7.0f;
    fwd(s, y_f, x, w, b, scratch);
    fwd_plain(s, y_p, x, w, b);
    expect_close(y_f, y_p, ny, FAST_TOL, "forward");
    assert_not_all_zero(y_p, ny);
    /* Each gradient alone (the others NULL), added onto what is there. */
    for (size_t i = 0; i < nx; i++) dx_f[i] = dx_p[i] = 0.5f;
    bwd(s, dx_f, NULL, NULL, dy, x, w, scratch);
    bwd_plain(s, dx_p, NULL, NULL, dy, x, w);
    expect_close(dx_f, dx_p, nx, FAST_TOL, "dx alone");
    for (size_t i = 0; i < nw; i++) dw_f[i] = dw_p[i] = -0.25f;
    bwd(s, NULL, dw_f, NULL, dy, x, w, scratch);
    bwd_plain(s, NULL, dw_p, NULL, dy, x, w);
    expect_close(dw_f, dw_p, nw, FAST_TOL, "dw alone");
    bwd(s, NULL, NULL, db_f, dy, x, w, scratch);
    bwd_plain(s, NULL, NULL, db_p, dy, x, w);
    expect_close(db_f, db_p, nb, FAST_TOL, "db alone");
    /* All three at once, with NULL scratch (the call allocates its own). */
    memset(dx_f, 0, nx * sizeof(float));
    memset(dw_f, 0, nw * sizeof(float));
    memset(db_f, 0, nb * sizeof(float));
    memset(dx_p, 0, nx * sizeof(float));
    memset(dw_p, 0, nw * sizeof(float));
    memset(db_p, 0, nb * sizeof(float));
    bwd(s, dx_f, dw_f, db_f, dy, x, w, NULL);
    bwd_plain(s, dx_p, dw_p, db_p, dy, x, w);
    expect_close(dx_f, dx_p, nx, FAST_TOL, "dx with dw and db");
    expect_close(dw_f, dw_p, nw, FAST_TOL, "dw with dx and db");
    expect_close(db_f, db_p, nb, FAST_TOL, "db with dx and dw");
    assert_not_all_zero(dx_p, nx);
    assert_not_all_zero(dw_p, nw);
    free(x); free(w); free(b); free(dy); free(y_f); free(y_p); free(dx_f); free(dx_p);
    free(dw_f); free(dw_p); free(db_f); free(db_p); free(scratch);
}

static void test_fast_equals_plain(void **state)
{
    (void)state;
    const int saved = nn_get_threads();
    nn_set_kernel(NN_KERNEL_FAST);
    for (int t = 1; t <= 2; t++) {
        nn_set_threads(t);
        for (size_t i = 0; i < sizeof AWKWARD / sizeof AWKWARD[0]; i++)
            compare_fast_plain(&AWKWARD[i], 100 + 4 * (uint32_t)i);
    }
    nn_set_threads(saved);
}

/* The reference kernel setting sends the public entry points to the plain
 * loops: the same numbers as calling them directly. */
static void test_reference_kernel_dispatch(void **state)
{
    (void)state;
    const cshape s = {0, 3, 2, 6, 5, 3, 3, 2, 1};
    const size_t nx = nx_of(&s), ny = ny_of(&s), nw = nw_of(&s);
    float *x = falloc(nx), *w = falloc(nw), *b = falloc(3), *y1 = falloc(ny), *y2 = falloc(ny);
    fill_uniform(x, nx, 7);
    fill_uniform(w, nw, 8);
    fill_uniform(b, 3, 9);
    nn_set_kernel(NN_KERNEL_REFERENCE);
    nn_conv2d_forward(y1, x, w, b, 3, 2, 6, 5, 3, 3, 2, 1, NULL);
    nn_set_kernel(NN_KERNEL_FAST);
    nn_conv2d_forward_reference(y2, x, w, b, 3, 2, 6, 5, 3, 3, 2, 1);
    assert_memory_equal(y1, y2, ny * sizeof(float));
    free(x); free(w); free(b); free(y1); free(y2);
}

/* Two threads: the same bits on every run (each image's products and each
 * weight gradient element are summed in a fixed order). */
static void test_same_bits_run_to_run(void **state)
{
    (void)state;
    const int saved = nn_get_threads();
    nn_set_threads(2);
    const cshape s = {0, 9, 16, 14, 14, 32, 4, 2, 1};
    const size_t nx = nx_of(&s), ny = ny_of(&s), nw = nw_of(&s);
    float *x = falloc(nx), *w = falloc(nw), *dy = falloc(ny);
    float *y[2] = {falloc(ny), falloc(ny)}, *dx[2] = {falloc(nx), falloc(nx)};
    float *dw[2] = {falloc(nw), falloc(nw)};
    fill_uniform(x, nx, 11);
    fill_uniform(w, nw, 12);
    fill_uniform(dy, ny, 13);
    for (int r = 0; r < 2; r++) {
        fwd(&s, y[r], x, w, NULL, NULL);
        bwd(&s, dx[r], dw[r], NULL, dy, x, w, NULL);
    }
    assert_memory_equal(y[0], y[1], ny * sizeof(float));
    assert_memory_equal(dx[0], dx[1], nx * sizeof(float));
    assert_memory_equal(dw[0], dw[1], nw * sizeof(float));
    nn_set_threads(saved);
    free(x); free(w); free(dy);
    for (int r = 0; r < 2; r++) { free(y[r]); free(dx[r]); free(dw[r]); }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_out_sizes),
        cmocka_unit_test(test_conv2d_by_hand),
        cmocka_unit_test(test_conv_transpose2d_by_hand),
        cmocka_unit_test(test_transpose_is_adjoint),
        cmocka_unit_test(test_batchnorm2d_by_hand),
        cmocka_unit_test(test_gradcheck_convolutions),
        cmocka_unit_test(test_gradcheck_batchnorm2d),
        cmocka_unit_test(test_torch_convolutions),
        cmocka_unit_test(test_torch_batchnorm2d),
        cmocka_unit_test(test_fast_equals_plain),
        cmocka_unit_test(test_reference_kernel_dispatch),
        cmocka_unit_test(test_same_bits_run_to_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
