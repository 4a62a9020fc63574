/* gif.c - GIF89a writer with LZW compression and a tiny canvas (see gif.h).
 * Format: https://www.w3.org/Graphics/GIF/spec-gif89a.txt */
#include "viz/gif.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Palette indices are 5 bits, so LZW starts from 32 one-pixel codes. */

struct nn_gif_writer {
    FILE *f;
    int w, h, delay;
    uint8_t *buf;    /* compressed frame, (w*h*2 + 16) bytes */
    long cap;
};

/* ---------------------------------------------------------------- LZW */

typedef struct {
    uint8_t *out;
    long cap, len;
    uint32_t acc;    /* bits waiting to be written, LSB first */
    int nacc;
    int overflow;
} bitsink;

static void put_code(bitsink *s, int code, int size)
{
    s->acc |= (uint32_t)code << s->nacc;
    s->nacc += size;
    while (s->nacc >= 8) {
        if (s->len < s->cap) s->out[s->len++] = (uint8_t)(s->acc & 0xffu);
        else s->overflow = 1;
        s->acc >>= 8;
        s->nacc -= 8;
    }
}

long nn_gif_lzw_encode(uint8_t *out, long cap, const uint8_t *px, long n, int min_code_size)
{
    int degree = 1 << min_code_size, clear = degree, eoi = degree + 1;
    /* The dictionary as a trie: child[code * degree + pixel] is the code for
     * "string of code, then pixel", 0 when absent (0 is never a child, since
     * children start at clear + 2). */
    uint16_t *child = nn_alloc((size_t)4096 * (size_t)degree, sizeof *child);
    if (!child) return -1;
    bitsink s = {out, cap, 0, 0, 0, 0};
    int size = min_code_size + 1, next = clear + 2;
    put_code(&s, clear, size);
    if (n > 0) {
        int key = px[0];
        for (long i = 1; i < n; i++) {
            int p = px[i];
            int c = child[(size_t)key * degree + p];
            if (c) { key = c; continue; }
            put_code(&s, key, size);
            if (next < 4096) {
                child[(size_t)key * degree + p] = (uint16_t)next;
                /* The decoder widens its codes once the table holds a code
                 * that no longer fits: mirror it exactly. */
                if (next == (1 << size)) size++;
                next++;
            } else {
                /* Table full: start over, as the decoder will on CLEAR. */
                put_code(&s, clear, size);
                memset(child, 0, (size_t)4096 * (size_t)degree * sizeof *child);
                size = min_code_size + 1;
                next = clear + 2;
            }
            key = p;
        }
        put_code(&s, key, size);
        /* Reading that last code the decoder adds one more entry, and may
         * widen, before it reads EOI. */
        if (next == (1 << size) && size < 12) size++;
    }
    put_code(&s, eoi, size);
    if (s.nacc > 0) put_code(&s, 0, 8 - s.nacc);
    nn_free(child);
    return s.overflow ? -1 : s.len;
}

/* ---------------------------------------------------------------- file */

static void put16(FILE *f, int v)
{
    fputc(v & 0xff, f);
    fputc((v >> 8) & 0xff, f);
}

/* The palette as RGB triples. */
static void palette_rgb(int i, uint8_t rgb[3])
{
    if (i < NN_GIF_SHADES) {
        /* Blue (0) through white (0.5) to red (1). */
        float t = (float)i / (NN_GIF_SHADES - 1);
        float r = t < 0.5f ? 0.25f + 1.5f * t : 1.0f;
        float g = t < 0.5f ? 0.35f + 1.3f * t : 1.0f - 1.4f * (t - 0.5f);
        float b = t < 0.5f ? 1.0f : 1.0f - 1.5f * (t - 0.5f);
        rgb[0] = (uint8_t)lrintf(255.0f * fminf(r, 1.0f));
        rgb[1] = (uint8_t)lrintf(255.0f * fminf(g, 1.0f));
        rgb[2] = (uint8_t)lrintf(255.0f * fminf(b, 1.0f));
        return;
    }
    static const uint8_t named[][3] = {
        {0, 0, 0},       /* NN_GIF_BLACK */
        {255, 255, 255}, /* NN_GIF_WHITE */
        {128, 128, 128}, /* NN_GIF_GREY */
        {20, 140, 40},   /* NN_GIF_SAMPLE: green dots */
        {30, 30, 30},    /* NN_GIF_ARROW */
        {160, 0, 160},   /* NN_GIF_MODE: purple crosses */
        {60, 60, 60},    /* NN_GIF_BAR */
    };
    int k = i - NN_GIF_BLACK;
    if (k < (int)(sizeof named / sizeof named[0])) memcpy(rgb, named[k], 3);
    else memset(rgb, 0, 3);
}

nn_gif_writer *nn_gif_open(const char *path, int w, int h, int delay_cs, nn_error *err)
{
    if (w < 1 || h < 1 || w > 65535 || h > 65535) {
        nn_fail(err, NN_ERR_ARG, "%s: a GIF is 1..65535 pixels wide and high, not %d x %d",
                path, w, h);
        return NULL;
    }
    nn_gif_writer *g = nn_alloc(1, sizeof *g);
    if (g) {
        g->cap = (long)w * h * 2 + 16;
        g->buf = nn_alloc((size_t)g->cap, 1);
    }
    if (!g || !g->buf) {
        if (g) nn_free(g);
        nn_fail(err, NN_ERR_NOMEM, "%s: no memory for a %d x %d frame", path, w, h);
        return NULL;
    }
    g->f = fopen(path, "wb");
    if (!g->f) {
        nn_fail(err, NN_ERR_IO, "%s: cannot create the GIF (is the folder writable?)", path);
        nn_free(g->buf);
        nn_free(g);
        return NULL;
    }
    g->w = w;
    g->h = h;
    g->delay = delay_cs;
    fwrite("GIF89a", 1, 6, g->f);
    put16(g->f, w);
    put16(g->f, h);
    /* Global palette present, 8 bits per primary, 2^(4+1) = 32 entries. */
    fputc(0x80 | 0x70 | (NN_GIF_MIN_CODE - 1), g->f);
    fputc(0, g->f);  /* background colour index */
    fputc(0, g->f);  /* square pixels */
    for (int i = 0; i < NN_GIF_COLOURS; i++) {
        uint8_t rgb[3];
        palette_rgb(i, rgb);
        fwrite(rgb, 1, 3, g->f);
    }
    /* NETSCAPE2.0 extension: loop forever (count 0). */
    static const uint8_t loop[] = {0x21, 0xff, 0x0b, 'N', 'E', 'T', 'S', 'C', 'A', 'P',
                                   'E', '2', '.', '0', 0x03, 0x01, 0x00, 0x00, 0x00};
    fwrite(loop, 1, sizeof loop, g->f);
    return g;
}

nn_status nn_gif_add_frame(nn_gif_writer *g, const uint8_t *px, nn_error *err)
{
    long len = nn_gif_lzw_encode(g->buf, g->cap, px, (long)g->w * g->h, NN_GIF_MIN_CODE);
    if (len < 0) return nn_fail(err, NN_ERR_NOMEM, "GIF frame: no memory to compress it");
    /* Graphic control extension: no transparency, the frame's delay. */
    fputc(0x21, g->f); fputc(0xf9, g->f); fputc(4, g->f); fputc(0, g->f);
    put16(g->f, g->delay);
    fputc(0, g->f); fputc(0, g->f);
    /* Image descriptor: the whole screen, no local palette. */
    fputc(0x2c, g->f);
    put16(g->f, 0); put16(g->f, 0); put16(g->f, g->w); put16(g->f, g->h);
    fputc(0, g->f);
    fputc(NN_GIF_MIN_CODE, g->f);
    /* The code stream in sub-blocks of at most 255 bytes, then an empty one. */
    for (long i = 0; i < len; i += 255) {
        int k = len - i < 255 ? (int)(len - i) : 255;
        fputc(k, g->f);
        fwrite(g->buf + i, 1, (size_t)k, g->f);
    }
    fputc(0, g->f);
    return ferror(g->f) ? nn_fail(err, NN_ERR_IO, "GIF frame: write failed (disk full?)")
                        : NN_OK;
}

nn_status nn_gif_close(nn_gif_writer *g, nn_error *err)
{
    if (!g) return NN_OK;
    fputc(0x3b, g->f);
    int bad = ferror(g->f);
    bad |= fclose(g->f) != 0;
    nn_free(g->buf);
    nn_free(g);
    return bad ? nn_fail(err, NN_ERR_IO, "GIF: closing the file failed (disk full?)") : NN_OK;
}

/* ---------------------------------------------------------------- canvas */

/* Plane coordinates to pixel column and row (row 0 at the top). */
static int to_pixel(float v)
{
    /* Samples of a diverged generator land anywhere: keep the int sane. */
    return v != v ? -1 : (int)lrintf(fminf(fmaxf(v, -1e6f), 1e6f));
}
static int px_x(const nn_gif_canvas *c, float x)
{
    return to_pixel((x - c->x0) / (c->x1 - c->x0) * (float)(c->w - 1));
}
static int px_y(const nn_gif_canvas *c, float y)
{
    return to_pixel((c->y1 - y) / (c->y1 - c->y0) * (float)(c->h - 1));
}

static void plot(nn_gif_canvas *c, int i, int j, uint8_t colour)
{
    if (i >= 0 && i < c->w && j >= 0 && j < c->h) c->px[(size_t)j * c->w + i] = colour;
}

void nn_gif_draw_field(nn_gif_canvas *c, const float *v, int nx, int ny)
{
    for (int j = 0; j < c->h; j++) {
        /* Row j counts down from the top; the field's rows count up. */
        int fy = (int)((float)(c->h - 1 - j) / (float)c->h * (float)ny);
        for (int i = 0; i < c->w; i++) {
            int fx = (int)((float)i / (float)c->w * (float)nx);
            float t = v[(size_t)fy * nx + fx];
            t = t != t ? 0.0f : fminf(fmaxf(t, 0.0f), 1.0f); /* NaN -> 0 */
            c->px[(size_t)j * c->w + i] = (uint8_t)lrintf(t * (NN_GIF_SHADES - 1));
        }
    }
}

void nn_gif_draw_dot(nn_gif_canvas *c, float x, float y, int r, uint8_t colour)
{
    int ci = px_x(c, x), cj = px_y(c, y);
    for (int dj = -r; dj <= r; dj++)
        for (int di = -r; di <= r; di++) plot(c, ci + di, cj + dj, colour);
}

void nn_gif_draw_cross(nn_gif_canvas *c, float x, float y, int r, uint8_t colour)
{
    int ci = px_x(c, x), cj = px_y(c, y);
    for (int d = -r; d <= r; d++) {
        plot(c, ci + d, cj + d, colour);
        plot(c, ci + d, cj - d, colour);
    }
}

void nn_gif_draw_line(nn_gif_canvas *c, float xa, float ya, float xb, float yb, uint8_t colour)
{
    int i0 = px_x(c, xa), j0 = px_y(c, ya), i1 = px_x(c, xb), j1 = px_y(c, yb);
    /* Bresenham: integer steps along the longer axis. Far-off points are
     * clipped per pixel, so cap the length to stay cheap. */
    int di = abs(i1 - i0), dj = -abs(j1 - j0);
    int si = i0 < i1 ? 1 : -1, sj = j0 < j1 ? 1 : -1, e = di + dj;
    for (int guard = 0; guard < 4 * (c->w + c->h); guard++) {
        plot(c, i0, j0, colour);
        if (i0 == i1 && j0 == j1) break;
        int e2 = 2 * e;
        if (e2 >= dj) { e += dj; i0 += si; }
        if (e2 <= di) { e += di; j0 += sj; }
    }
}

void nn_gif_draw_progress(nn_gif_canvas *c, float f)
{
    int filled = (int)lrintf(fminf(fmaxf(f, 0.0f), 1.0f) * (float)c->w);
    for (int j = c->h - 4; j < c->h; j++)
        for (int i = 0; i < c->w; i++)
            c->px[(size_t)j * c->w + i] = i < filled ? NN_GIF_BAR : NN_GIF_WHITE;
}
