/* test_image.c - PNG grids read back with libpng and compared pixel by pixel,
 * the value mapping, and the terminal previews (lib/viz/image.h). */
#include <math.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "viz/image.h"
#include "viz/preview.h"
#include "testutil.h"

/* Reads path with libpng's simplified API into a fresh buffer of
 * width*height*channels bytes (format: 1 grey, 3 RGB). Caller frees. */
static unsigned char *read_png(const char *path, int channels, int *w, int *h)
{
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&img, path)) fail_msg("%s: %s", path, img.message);
    img.format = channels == 1 ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
    unsigned char *buf = malloc(PNG_IMAGE_SIZE(img));
    assert_non_null(buf);
    if (!png_image_finish_read(&img, NULL, buf, 0, NULL)) fail_msg("%s: %s", path, img.message);
    *w = (int)img.width;
    *h = (int)img.height;
    return buf;
}

static void test_to_byte(void **state)
{
    (void)state;
    assert_int_equal(nn_to_byte(-1.0f, -1.0f, 1.0f), 0);
    assert_int_equal(nn_to_byte(1.0f, -1.0f, 1.0f), 255);
    assert_int_equal(nn_to_byte(0.0f, -1.0f, 1.0f), 128); /* 127.5 rounds up */
    assert_int_equal(nn_to_byte(0.5f, 0.0f, 1.0f), 128);
    assert_int_equal(nn_to_byte(0.2f, 0.0f, 1.0f), 51);
    assert_int_equal(nn_to_byte(7.0f, 0.0f, 1.0f), 255);   /* clamped */
    assert_int_equal(nn_to_byte(-3.0f, 0.0f, 1.0f), 0);
    assert_int_equal(nn_to_byte(NAN, 0.0f, 1.0f), 0);      /* a diverged generator */
    assert_int_equal(nn_to_byte(INFINITY, 0.0f, 1.0f), 255);
}

/* Three 2 x 3 grey images in [-1, 1] on a 2 x 2 grid, pad 1: the PNG is
 * (2*(2+1)+1) x (2*(3+1)+1) = 7 x 9 and the fourth tile stays background. */
static void test_grid_grey(void **state)
{
    (void)state;
    float x[3 * 6];
    for (int i = 0; i < 18; i++) x[i] = -1.0f + 2.0f * (float)i / 17.0f;
    nn_grid_opts o = nn_grid_defaults(-1.0f, 1.0f);
    o.pad = 1;
    o.background = 7;
    char path[600];
    const char *dir = tu_tmpdir();
    snprintf(path, sizeof path, "%s/grid.png", dir);
    nn_error err;
    nn_status s = nn_image_write_grid(path, x, 3, 1, 2, 3, &o, &err);
    if (s != NN_OK) fail_msg("%s", err.msg);
    int w, h;
    unsigned char *px = read_png(path, 1, &w, &h);
    assert_int_equal(w, 9);
    assert_int_equal(h, 7);
    for (int y = 0; y < h; y++)
        for (int xx = 0; xx < w; xx++) {
            int tr = (y - 1) / 3, tc = (xx - 1) / 4, iy = (y - 1) % 3, ix = (xx - 1) % 4;
            int inside = y >= 1 && xx >= 1 && iy < 2 && ix < 3;
            int tile = tr * 2 + tc;
            int want = 7;
            if (inside && tile < 3) want = nn_to_byte(x[tile * 6 + iy * 3 + ix], -1.0f, 1.0f);
            if (px[y * w + xx] != want)
                fail_msg("pixel (%d, %d): %d, expected %d", xx, y, px[y * w + xx], want);
        }
    /* Spot checks against hand-computed bytes: first pixel -1 -> 0, last
     * pixel of image 2 is +1 -> 255. */
    assert_int_equal(px[1 * w + 1], 0);
    assert_int_equal(px[(3 + 2) * w + 1 + 2], 255);
    free(px);
    tu_rmtree(dir);
}

/* One 2 x 2 RGB image, channel-major in, interleaved out; scale 2, no pad. */
static void test_grid_rgb_scaled(void **state)
{
    (void)state;
    /* R plane, G plane, B plane, each 2 x 2 in [0, 1]. */
    float x[12] = {1, 0, 0, 1, 0, 1, 0, 0.2f, 0, 0, 1, 0.6f};
    nn_grid_opts o = nn_grid_defaults(0.0f, 1.0f);
    o.pad = 0;
    o.scale = 2;
    char path[600];
    const char *dir = tu_tmpdir();
    snprintf(path, sizeof path, "%s/rgb.png", dir);
    assert_int_equal(nn_image_write_grid(path, x, 1, 3, 2, 2, &o, NULL), NN_OK);
    int w, h;
    unsigned char *px = read_png(path, 3, &w, &h);
    assert_int_equal(w, 4);
    assert_int_equal(h, 4);
    unsigned char want[4][3] = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 51, 153}};
    for (int y = 0; y < 4; y++)
        for (int xx = 0; xx < 4; xx++) {
            int k = (y / 2) * 2 + xx / 2;
            assert_memory_equal(px + (y * 4 + xx) * 3, want[k], 3);
        }
    free(px);
    tu_rmtree(dir);
}

/* The default grid of two mid-grey tiles (an untrained generator's output,
 * 0 in [-1, 1]): every gutter pixel stands out from the tiles, so the cells
 * do not merge into one grey square. */
static void test_grid_default_gutters(void **state)
{
    (void)state;
    float x[2 * 4] = {0};
    nn_grid_opts o = nn_grid_defaults(-1.0f, 1.0f);
    char path[600];
    const char *dir = tu_tmpdir();
    snprintf(path, sizeof path, "%s/grey.png", dir);
    assert_int_equal(nn_image_write_grid(path, x, 2, 1, 2, 2, &o, NULL), NN_OK);
    int w, h;
    unsigned char *px = read_png(path, 1, &w, &h);
    /* 1 x 2 tiles of 2 x 2, pad 2: 6 high, 10 wide. */
    assert_int_equal(w, 10);
    assert_int_equal(h, 6);
    for (int y = 0; y < h; y++)
        for (int xx = 0; xx < w; xx++) {
            int inside = y >= 2 && y < 4 && ((xx >= 2 && xx < 4) || (xx >= 6 && xx < 8));
            int v = px[y * w + xx];
            if (inside)
                assert_int_equal(v, 128);
            else if (abs(v - 128) < 100)
                fail_msg("gutter pixel (%d, %d) is %d, too close to the tiles' 128", xx, y, v);
        }
    free(px);
    tu_rmtree(dir);
}

static void test_grid_errors(void **state)
{
    (void)state;
    float x[4] = {0};
    nn_error err;
    nn_grid_opts o = nn_grid_defaults(0.0f, 1.0f);
    assert_int_equal(nn_image_write_grid("/nonexistent-dir/x.png", x, 1, 1, 2, 2, &o, &err),
                     NN_ERR_IO);
    assert_non_null(strstr(err.msg, "/nonexistent-dir/x.png"));
    assert_int_equal(nn_image_write_grid("x.png", x, 1, 2, 2, 1, &o, &err), NN_ERR_ARG);
    assert_non_null(strstr(err.msg, "2 channels"));
    o.hi = o.lo;
    assert_int_equal(nn_image_write_grid("x.png", x, 1, 1, 2, 2, &o, &err), NN_ERR_ARG);
}

/* Captures what a preview writes. */
static char *preview_text(const float *x, int n, int c, int h, int w, int per_row,
                          nn_preview_mode mode)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    nn_image_preview(f, x, n, c, h, w, per_row, 0.0f, 1.0f, mode);
    fclose(f);
    return buf;
}

static void test_preview_ascii(void **state)
{
    (void)state;
    /* Image 0: top row white, bottom row black -> pairs average to mid grey;
     * image 1: all white. 2 x 3 each, side by side. */
    float x[12] = {1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1};
    char *t = preview_text(x, 2, 1, 2, 3, 4, NN_PREVIEW_ASCII);
    /* luma 127 -> ramp[4] '=', luma 255 -> ramp[9] '@'. */
    assert_string_equal(t, "===  @@@\n");
    free(t);
    /* per_row 1: two bands. */
    t = preview_text(x, 2, 1, 2, 3, 1, NN_PREVIEW_ASCII);
    assert_string_equal(t, "===\n@@@\n");
    free(t);
}

static void test_preview_color(void **state)
{
    (void)state;
    float x[4] = {1, 0, 0, 1}; /* 2 x 2 grey */
    char *t = preview_text(x, 1, 1, 2, 2, 1, NN_PREVIEW_COLOR);
    const char *want = "\x1b[38;2;255;255;255m\x1b[48;2;0;0;0m\xe2\x96\x80"
                       "\x1b[38;2;0;0;0m\x1b[48;2;255;255;255m\xe2\x96\x80\x1b[0m\n";
    assert_string_equal(t, want);
    free(t);
}

static void test_preview_detect(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    setenv("COLORTERM", "truecolor", 1);
    assert_int_equal(nn_preview_detect(f), NN_PREVIEW_ASCII); /* not a terminal */
    setenv("NO_COLOR", "1", 1);
    assert_int_equal(nn_preview_detect(f), NN_PREVIEW_ASCII);
    unsetenv("NO_COLOR");
    unsetenv("COLORTERM");
    fclose(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_to_byte),
        cmocka_unit_test(test_grid_grey),
        cmocka_unit_test(test_grid_rgb_scaled),
        cmocka_unit_test(test_grid_default_gutters),
        cmocka_unit_test(test_grid_errors),
        cmocka_unit_test(test_preview_ascii),
        cmocka_unit_test(test_preview_color),
        cmocka_unit_test(test_preview_detect),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
