/* Exercise 6: how one linear layer starts, by the kind of initialisation. */
#include "nn.h"

#include <string.h>

void nn_init_linear(nn_rng *r, float *w, float *b, int in, int out, nn_init_kind kind,
                    float slope)
{
    size_t nw = (size_t)in * (size_t)out; /* w is (out, in) */
    /* Every kind but torch's starts the biases at 0: the weights alone
     * break the symmetry between units. */
    memset(b, 0, (size_t)out * sizeof(float));
    switch (kind) {
    case NN_INIT_NORMAL_002:
        /* DCGAN (Radford et al. 2016): small enough that tanh and the
         * leaky ReLUs start in their near-linear range. */
        nn_init_normal(r, w, nw, 0.0f, 0.02f);
        break;
    case NN_INIT_TORCH:
        nn_init_torch_linear(r, w, b, in, out);
        break;
    case NN_INIT_XAVIER_UNIFORM:
        nn_init_xavier_uniform(r, w, in, out, 1.0f);
        break;
    case NN_INIT_XAVIER_NORMAL:
        nn_init_xavier_normal(r, w, in, out, 1.0f);
        break;
    case NN_INIT_HE_NORMAL:
        nn_init_he_normal(r, w, in, out, slope);
        break;
    case NN_INIT_HE_UNIFORM:
        nn_init_he_uniform(r, w, in, out, slope);
        break;
    }
}
