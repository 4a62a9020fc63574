/* image.c - a batch of float images as one PNG grid, through libpng (image.h). */
#include "viz/image.h"

#include <errno.h>
#include <math.h>
#include <png.h>
#include <setjmp.h>
#include <string.h>

nn_grid_opts nn_grid_defaults(float lo, float hi)
{
    /* White gutters: they show against the black background of clothes
     * and digits, and against the even mid-grey of an untrained generator,
     * whose tiles would merge into one grey square on a grey background. */
    nn_grid_opts o = {0, 0, 2, 1, lo, hi, 255};
    return o;
}

unsigned char nn_to_byte(float v, float lo, float hi)
{
    /* NaN fails every comparison, so test it first: a diverged generator
     * still gives a (black) picture rather than undefined behaviour. */
    if (isnan(v)) return 0;
    float t = (v - lo) / (hi - lo) * 255.0f + 0.5f;
    if (t <= 0.0f) return 0;
    if (t >= 255.0f) return 255;
    return (unsigned char)t;
}

/* Rows and columns for n tiles when the caller left them 0: a near-square
 * grid, wider than tall when it cannot be square. */
static void grid_shape(int n, int *rows, int *cols)
{
    if (*rows <= 0 && *cols <= 0) {
        int c = 1;
        while (c * c < n) c++;
        *cols = c;
    }
    if (*cols <= 0) *cols = (n + *rows - 1) / *rows;
    if (*cols <= 0) *cols = 1;
    if (*rows <= 0) *rows = (n + *cols - 1) / *cols;
    if (*rows <= 0) *rows = 1;
}

/* libpng reports errors by longjmp; the message is kept for nn_error. */
typedef struct {
    jmp_buf jump;
    char msg[200];
} png_guard;

static void on_png_error(png_structp png, png_const_charp msg)
{
    png_guard *g = png_get_error_ptr(png);
    snprintf(g->msg, sizeof g->msg, "%s", msg);
    longjmp(g->jump, 1);
}

static void on_png_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg; /* the library never prints; warnings do not stop the write */
}

/* Writes the already composed canvas (height, width * channels) bytes. */
static nn_status write_png(const char *path, const unsigned char *canvas, int width, int height,
                           int channels, nn_error *err)
{
    FILE *f = fopen(path, "wb");
    if (!f) return nn_fail(err, NN_ERR_IO, "%s: cannot write: %s", path, strerror(errno));
    png_guard guard;
    guard.msg[0] = '\0';
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &guard, on_png_error,
                                              on_png_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!png || !info) {
        png_destroy_write_struct(&png, &info);
        fclose(f);
        return nn_fail(err, NN_ERR_NOMEM, "%s: out of memory in libpng", path);
    }
    /* Only locals set before setjmp are read after a longjmp; png, info and
     * f are not modified in between, so they are safe to use here. */
    if (setjmp(guard.jump)) {
        png_destroy_write_struct(&png, &info);
        fclose(f);
        return nn_fail(err, NN_ERR_IO, "%s: libpng failed: %s", path, guard.msg);
    }
    png_init_io(png, f);
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8,
                 channels == 1 ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < height; y++)
        png_write_row(png, (png_const_bytep)(canvas + (size_t)y * width * channels));
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    if (fclose(f) != 0)
        return nn_fail(err, NN_ERR_IO, "%s: write failed: %s", path, strerror(errno));
    return NN_OK;
}

nn_status nn_image_write_grid(const char *path, const float *x, int n, int c, int h, int w,
                              const nn_grid_opts *opts, nn_error *err)
{
    nn_grid_opts o = opts ? *opts : nn_grid_defaults(0.0f, 1.0f);
    if (n < 1) return nn_fail(err, NN_ERR_ARG, "%s: no images to write (n = %d)", path, n);
    if (c != 1 && c != 3)
        return nn_fail(err, NN_ERR_ARG, "%s: %d channels; a PNG grid takes 1 (grey) or 3 (RGB)",
                       path, c);
    if (h < 1 || w < 1 || o.pad < 0 || o.scale < 1 || !(o.hi > o.lo))
        return nn_fail(err, NN_ERR_ARG,
                       "%s: bad grid: image %d x %d, pad %d, scale %d, range [%g, %g] "
                       "(need sizes >= 1, pad >= 0, scale >= 1, hi > lo)",
                       path, h, w, o.pad, o.scale, (double)o.lo, (double)o.hi);
    grid_shape(n, &o.rows, &o.cols);
    int th = h * o.scale, tw = w * o.scale;
    long long width = (long long)o.cols * (tw + o.pad) + o.pad;
    long long height = (long long)o.rows * (th + o.pad) + o.pad;
    if (width > 30000 || height > 30000)
        return nn_fail(err, NN_ERR_ARG, "%s: grid of %lld x %lld pixels is too large", path,
                       width, height);

    unsigned char *canvas = nn_alloc((size_t)(width * height), (size_t)c);
    if (!canvas) return nn_fail(err, NN_ERR_NOMEM, "%s: out of memory for the grid", path);
    memset(canvas, o.background, (size_t)(width * height * c));
    int tiles = o.rows * o.cols < n ? o.rows * o.cols : n;
    size_t plane = (size_t)h * w;
    for (int t = 0; t < tiles; t++) {
        const float *img = x + (size_t)t * c * plane;
        long long ox = (long long)(t % o.cols) * (tw + o.pad) + o.pad;
        long long oy = (long long)(t / o.cols) * (th + o.pad) + o.pad;
        for (int py = 0; py < th; py++)
            for (int px = 0; px < tw; px++) {
                /* Channel-major source (c, h, w) to interleaved RGB rows. */
                size_t src = (size_t)(py / o.scale) * w + (size_t)(px / o.scale);
                unsigned char *dst = canvas + ((oy + py) * width + ox + px) * c;
                for (int ch = 0; ch < c; ch++)
                    dst[ch] = nn_to_byte(img[ch * plane + src], o.lo, o.hi);
            }
    }
    nn_status s = write_png(path, canvas, (int)width, (int)height, c, err);
    nn_free(canvas);
    return s;
}
