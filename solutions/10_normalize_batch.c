/* Exercise 10: pixels 0..255 to the generator's range [-1, 1]. */
#include "exercises.h"

void gan_normalize_batch(float *x, const uint8_t *pixels, size_t n)
{
    /* 0 -> -1, 255 -> 1: the same range as G's tanh, so D cannot tell real
     * from fake by the range alone. */
    for (size_t i = 0; i < n; i++) x[i] = (float)pixels[i] / 127.5f - 1.0f;
}
