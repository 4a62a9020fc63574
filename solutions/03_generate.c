/* Exercise 3: the generator's forward pass. */
#include "exercises.h"

const float *gan_generate(nn_model *G, const float *z, int batch, int train)
{
    /* The model runs its layers in order and keeps every activation, which
     * the generator's backward pass needs later. */
    return nn_model_forward(G, z, batch, train);
}
