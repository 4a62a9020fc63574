/* test_gif.c - lesson 09's GIF writer: the LZW code stream decodes back to
 * the pixels it was made from, and the file has the GIF89a structure.
 *
 * gif.c belongs to the lesson frame, not to libgansteps.a, so it is compiled
 * into this suite directly. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "viz/gif.h"

/* A plain GIF LZW decoder (the spec's algorithm, written independently of
 * the encoder's trie): returns the number of pixels written to out, or -1 on
 * a malformed stream. */
static long lzw_decode(uint8_t *out, long cap, const uint8_t *in, long len, int min_code)
{
    static uint16_t prefix[4096];
    static uint8_t suffix[4096], stack[4097];
    int clear = 1 << min_code, eoi = clear + 1;
    int size = min_code + 1, next = clear + 2, prev = -1;
    long n = 0, bitpos = 0;
    for (;;) {
        if ((bitpos + size + 7) / 8 > len) return -1;
        int code = 0;
        for (int b = 0; b < size; b++, bitpos++)
            code |= ((in[bitpos / 8] >> (bitpos % 8)) & 1) << b;
        if (code == clear) { size = min_code + 1; next = clear + 2; prev = -1; continue; }
        if (code == eoi) return n;
        if (code > next || (prev < 0 && code >= clear)) return -1;
        /* Unwind the string of code (or of prev + its first pixel when the
         * code is the one being defined right now). */
        int c = code == next ? prev : code, sp = 0;
        while (c >= clear) { stack[sp++] = suffix[c]; c = prefix[c]; }
        stack[sp++] = (uint8_t)c;
        uint8_t head = (uint8_t)c;
        /* KwKwK: the new string ends with its own first pixel. */
        if (code == next) { memmove(stack + 1, stack, (size_t)sp); stack[0] = head; sp++; }
        while (sp > 0) {
            if (n >= cap) return -1;
            out[n++] = stack[--sp];
        }
        if (prev >= 0 && next < 4096) {
            prefix[next] = (uint16_t)prev;
            suffix[next] = head;
            next++;
            if (next == (1 << size) && size < 12) size++;
        }
        prev = code;
    }
}

/* Encodes px, decodes the result, and checks every pixel came back. */
static void roundtrip(const uint8_t *px, long n)
{
    long cap = n * 2 + 16;
    uint8_t *enc = malloc((size_t)cap), *dec = malloc((size_t)n + 1);
    assert_non_null(enc);
    assert_non_null(dec);
    long len = nn_gif_lzw_encode(enc, cap, px, n, NN_GIF_MIN_CODE);
    assert_true(len > 0);
    assert_int_equal(lzw_decode(dec, n + 1, enc, len, NN_GIF_MIN_CODE), n);
    assert_memory_equal(dec, px, (size_t)n);
    free(enc);
    free(dec);
}

static void test_lzw_roundtrip(void **state)
{
    (void)state;
    enum { N = 320 * 320 };
    uint8_t *px = malloc(N);
    assert_non_null(px);
    /* Flat: long runs, the table fills with ever longer strings. */
    memset(px, 7, N);
    roundtrip(px, N);
    /* Stripes and a gradient: what the film's frames look like. */
    for (int i = 0; i < N; i++) px[i] = (uint8_t)(((i % 320) / 20 + (i / 320) / 40) % 16);
    roundtrip(px, N);
    /* Noise: the table fills every ~4000 codes, so CLEAR resets happen. */
    uint32_t s = 12345u;
    for (int i = 0; i < N; i++) { s = s * 1664525u + 1013904223u; px[i] = (uint8_t)(s >> 27); }
    roundtrip(px, N);
    /* Tiny inputs: one pixel, two. */
    roundtrip(px, 1);
    roundtrip(px, 2);
    free(px);
}

static void test_gif_file(void **state)
{
    (void)state;
    const char *dir = tu_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/t.gif", dir);
    nn_error err;
    nn_gif_writer *g = nn_gif_open(path, 40, 30, 10, &err);
    assert_non_null(g);
    uint8_t px[40 * 30];
    nn_gif_canvas c = {px, 40, 30, -1.0f, 1.0f, -1.0f, 1.0f};
    float field[4] = {0.0f, 1.0f, 0.25f, 0.75f};
    nn_gif_draw_field(&c, field, 2, 2);
    /* Bottom-left cell holds field[0] = 0, bottom-right field[1] = 1. */
    assert_int_equal(px[29 * 40 + 0], 0);
    assert_int_equal(px[29 * 40 + 39], NN_GIF_SHADES - 1);
    nn_gif_draw_dot(&c, 0.0f, 0.0f, 1, NN_GIF_SAMPLE);
    assert_int_equal(px[15 * 40 + 20], NN_GIF_SAMPLE);
    nn_gif_draw_line(&c, -1.0f, 1.0f, 1.0f, 1.0f, NN_GIF_ARROW);  /* the top row */
    for (int i = 0; i < 40; i++) assert_int_equal(px[i], NN_GIF_ARROW);
    nn_gif_draw_dot(&c, 1e30f, -1e30f, 2, NN_GIF_MODE);          /* far away: clipped */
    assert_int_equal(nn_gif_add_frame(g, px, &err), NN_OK);
    assert_int_equal(nn_gif_add_frame(g, px, &err), NN_OK);
    assert_int_equal(nn_gif_close(g, &err), NN_OK);

    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    uint8_t buf[4096];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    assert_true(n > 13 + 96);
    assert_memory_equal(buf, "GIF89a", 6);
    assert_int_equal(buf[6] | buf[7] << 8, 40);
    assert_int_equal(buf[8] | buf[9] << 8, 30);
    assert_int_equal(buf[n - 1], 0x3b);  /* trailer */
    tu_rmtree(dir);

    assert_null(nn_gif_open(path, 0, 10, 10, &err));
    assert_int_equal(err.code, NN_ERR_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lzw_roundtrip),
        cmocka_unit_test(test_gif_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
