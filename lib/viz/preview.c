/* preview.c - images drawn in a terminal (preview.h): 24-bit colour half blocks
 * where the terminal says it can, shaded ASCII everywhere else (pipes, logs,
 * notebooks, NO_COLOR), so samples are visible over plain ssh too. */
#include "viz/preview.h"
#include "viz/image.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

nn_preview_mode nn_preview_detect(FILE *out)
{
    /* https://no-color.org: present and not empty disables colour. */
    const char *no = getenv("NO_COLOR");
    if (no && *no) return NN_PREVIEW_ASCII;
    if (!out || !isatty(fileno(out))) return NN_PREVIEW_ASCII;
    /* Only COLORTERM announces 24-bit colour reliably; TERM=xterm-256color
     * does not mean the 16 million colours the half blocks use. */
    const char *ct = getenv("COLORTERM");
    if (ct && (strcmp(ct, "truecolor") == 0 || strcmp(ct, "24bit") == 0))
        return NN_PREVIEW_COLOR;
    return NN_PREVIEW_ASCII;
}

/* Pixel (y, x) of image img as RGB bytes (grey repeated for c = 1). */
static void pixel(unsigned char rgb[3], const float *img, int c, int h, int w, int y, int x,
                  float lo, float hi)
{
    size_t plane = (size_t)h * w;
    for (int k = 0; k < 3; k++)
        rgb[k] = nn_to_byte(img[(c == 3 ? (size_t)k * plane : 0) + (size_t)y * w + x], lo, hi);
}

static int luma(const unsigned char rgb[3])
{
    /* ITU-R BT.601 weights, in integers: 299 + 587 + 114 = 1000. */
    return (299 * rgb[0] + 587 * rgb[1] + 114 * rgb[2]) / 1000;
}

void nn_image_preview(FILE *out, const float *x, int n, int c, int h, int w, int per_row,
                      float lo, float hi, nn_preview_mode mode)
{
    static const char ramp[] = " .:-=+*#%@";
    if (!out || n < 1 || h < 1 || w < 1 || (c != 1 && c != 3) || !(hi > lo)) return;
    if (mode == NN_PREVIEW_AUTO) mode = nn_preview_detect(out);
    if (per_row < 1) per_row = 1;
    size_t stride = (size_t)c * h * w;
    for (int first = 0; first < n; first += per_row) {
        int count = n - first < per_row ? n - first : per_row;
        /* Two image rows per text row: the upper half block takes the top
         * pixel as foreground and the bottom one as background. */
        for (int y = 0; y < h; y += 2) {
            for (int i = 0; i < count; i++) {
                const float *img = x + (size_t)(first + i) * stride;
                if (i > 0) fputs("  ", out);
                for (int px = 0; px < w; px++) {
                    unsigned char top[3], bot[3] = {0, 0, 0};
                    pixel(top, img, c, h, w, y, px, lo, hi);
                    int has_bot = y + 1 < h;
                    if (has_bot) pixel(bot, img, c, h, w, y + 1, px, lo, hi);
                    if (mode == NN_PREVIEW_COLOR) {
                        fprintf(out, "\x1b[38;2;%d;%d;%dm\x1b[48;2;%d;%d;%dm\xe2\x96\x80", top[0],
                                top[1], top[2], bot[0], bot[1], bot[2]);
                    } else {
                        int v = has_bot ? (luma(top) + luma(bot)) / 2 : luma(top);
                        fputc(ramp[v * 10 / 256], out);
                    }
                }
                if (mode == NN_PREVIEW_COLOR) fputs("\x1b[0m", out);
            }
            fputc('\n', out);
        }
    }
}
