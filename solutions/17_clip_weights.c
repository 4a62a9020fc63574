/* Exercise 17: weight clipping, the original WGAN's Lipschitz constraint. */
#include "nn.h"

size_t nn_clip_weights(float *w, size_t n, float c)
{
    /* A network whose every weight is in [-c, c] has a slope bounded by a
     * constant that depends on c and its widths: crude, but it is all the
     * WGAN paper asks of its critic. */
    size_t moved = 0;
    for (size_t i = 0; i < n; i++) {
        if (w[i] > c) {
            w[i] = c;
            moved++;
        } else if (w[i] < -c) {
            w[i] = -c;
            moved++;
        }
    }
    return moved;
}
