/* test_data.c - the IDX and CIFAR-10 readers, every bad-input class, the
 * transforms, the batch loader and the toy sets (lib/data/data.h).
 *
 * Every file a test reads is written by the test into a fresh temporary
 * folder, so the suite needs no data set installed; the one test on the real
 * Fashion-MNIST files skips itself when they are absent. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "data/data.h"
#include "testutil.h"

/* ------------------------------------------------------------------ helpers */

static const char *path_in(const char *name)
{
    static char buf[4][1024];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tu_dir, name);
    return buf[k];
}

static void write_bytes(const char *path, const void *b, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    if (n) assert_int_equal(fwrite(b, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static void write_gz(const char *path, const void *b, size_t n)
{
    gzFile g = gzopen(path, "wb");
    assert_non_null(g);
    assert_int_equal(gzwrite(g, b, (unsigned)n), (int)n);
    assert_int_equal(gzclose(g), Z_OK);
}

/* An IDX image into buf: header for (n, h, w) and pixel i*7 % 251 data. */
static size_t make_images(uint8_t *buf, uint32_t n, uint32_t h, uint32_t w)
{
    uint8_t head[16] = {0, 0, 8, 3};
    uint32_t d[3] = {n, h, w};
    for (int k = 0; k < 3; k++)
        for (int b = 0; b < 4; b++) head[4 + 4 * k + b] = (uint8_t)(d[k] >> (24 - 8 * b));
    memcpy(buf, head, 16);
    for (size_t i = 0; i < (size_t)n * h * w; i++) buf[16 + i] = (uint8_t)(i * 7 % 251);
    return 16 + (size_t)n * h * w;
}

static size_t make_labels(uint8_t *buf, uint32_t n)
{
    uint8_t head[8] = {0, 0, 8, 1, (uint8_t)(n >> 24), (uint8_t)(n >> 16), (uint8_t)(n >> 8),
                       (uint8_t)n};
    memcpy(buf, head, 8);
    for (uint32_t i = 0; i < n; i++) buf[8 + i] = (uint8_t)(i % 10);
    return 8 + n;
}

/* Reads path expecting failure: no data, the given status, and a message
 * naming the file and containing `why`. */
static void expect_idx_fail(const char *path, int dims, nn_status want, const char *why)
{
    uint8_t *data = (uint8_t *)1;
    int d[3];
    nn_error err = {NN_OK, ""};
    nn_status s = nn_idx_read(path, dims, &data, d, &err);
    if (s != want || !strstr(err.msg, path) || !strstr(err.msg, why))
        fail_msg("reading %s: status %s, message '%s'; expected status %s and '%s'", path,
                 nn_status_name(s), err.msg, nn_status_name(want), why);
    assert_null(data);
}

/* ------------------------------------------------------------------ good IDX */

static void test_idx_raw_images(void **state)
{
    (void)state;
    uint8_t buf[16 + 2 * 3 * 4];
    size_t n = make_images(buf, 2, 3, 4);
    write_bytes(path_in("img"), buf, n);
    uint8_t *data = NULL;
    int d[3];
    assert_int_equal(nn_idx_read(path_in("img"), 3, &data, d, NULL), NN_OK);
    assert_int_equal(d[0], 2);
    assert_int_equal(d[1], 3);
    assert_int_equal(d[2], 4);
    assert_memory_equal(data, buf + 16, 24);
    nn_free(data);
}

static void test_idx_gz_labels(void **state)
{
    (void)state;
    uint8_t buf[8 + 1000];
    size_t n = make_labels(buf, 1000);
    write_gz(path_in("lab.gz"), buf, n);
    uint8_t *data = NULL;
    int d[3];
    nn_error err;
    assert_int_equal(nn_idx_read(path_in("lab.gz"), 1, &data, d, &err), NN_OK);
    assert_int_equal(d[0], 1000);
    assert_memory_equal(data, buf + 8, 1000);
    nn_free(data);
}

/* More than the 1 MiB first chunk: the growing buffer must keep every byte. */
static void test_idx_gz_large(void **state)
{
    (void)state;
    size_t total = 16 + 3000u * 28 * 28;
    uint8_t *buf = malloc(total);
    assert_non_null(buf);
    make_images(buf, 3000, 28, 28);
    write_gz(path_in("big.gz"), buf, total);
    uint8_t *data = NULL;
    int d[3];
    assert_int_equal(nn_idx_read(path_in("big.gz"), 3, &data, d, NULL), NN_OK);
    assert_int_equal(d[0], 3000);
    assert_memory_equal(data, buf + 16, total - 16);
    nn_free(data);
    free(buf);
}

static void write_split(const char *sub, uint32_t n_img, uint32_t n_lab, int gz)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", tu_dir, sub);
    mkdir(p, 0755);
    uint8_t *buf = malloc(16 + (size_t)n_img * 28 * 28);
    assert_non_null(buf);
    size_t n = make_images(buf, n_img, 28, 28);
    snprintf(p, sizeof p, "%s/%s/train-images-idx3-ubyte%s", tu_dir, sub, gz ? ".gz" : "");
    if (gz)
        write_gz(p, buf, n);
    else
        write_bytes(p, buf, n);
    n = make_labels(buf, n_lab);
    snprintf(p, sizeof p, "%s/%s/train-labels-idx1-ubyte", tu_dir, sub);
    write_bytes(p, buf, n);
    free(buf);
}

static void test_load_mnist_dir(void **state)
{
    (void)state;
    write_split("my-fashion", 25, 25, 1);
    nn_dataset ds;
    nn_error err;
    nn_status s = nn_dataset_load_mnist(&ds, path_in("my-fashion"), NN_SPLIT_TRAIN, &err);
    if (s != NN_OK) fail_msg("%s", err.msg);
    assert_int_equal(ds.n, 25);
    assert_int_equal(ds.c, 1);
    assert_int_equal(ds.h, 28);
    assert_int_equal(ds.w, 28);
    assert_int_equal(ds.n_classes, 10);
    assert_string_equal(ds.class_names[9], "Ankle boot");
    assert_int_equal(ds.pixels[5 * 784 + 3], (5 * 784 + 3) * 7 % 251);
    assert_int_equal(ds.labels[13], 3);
    int counts[10];
    nn_dataset_class_counts(&ds, counts);
    assert_int_equal(counts[0], 3);
    assert_int_equal(counts[4], 3);
    assert_int_equal(counts[5], 2);
    nn_dataset_free(&ds);
    assert_null(ds.pixels);

    /* A folder not named like Fashion-MNIST gets the digits as names. */
    write_split("digits", 4, 4, 0);
    assert_int_equal(nn_dataset_load_mnist(&ds, path_in("digits"), NN_SPLIT_TRAIN, &err), NN_OK);
    assert_string_equal(ds.class_names[7], "7");
    nn_dataset_free(&ds);
}

/* The installed Fashion-MNIST test split, when the package is there. */
static void test_load_fashion_installed(void **state)
{
    (void)state;
    struct stat st;
    if (stat(NN_FASHION_MNIST_DIR "/t10k-images-idx3-ubyte.gz", &st) != 0) {
        skip();
        return;
    }
    nn_dataset ds;
    nn_error err;
    nn_status s = nn_dataset_load_mnist(&ds, NULL, NN_SPLIT_TEST, &err);
    if (s != NN_OK) fail_msg("%s", err.msg);
    assert_int_equal(ds.n, 10000);
    assert_int_equal(ds.h * ds.w, 784);
    int counts[10];
    nn_dataset_class_counts(&ds, counts);
    for (int k = 0; k < 10; k++) assert_int_equal(counts[k], 1000);
    assert_string_equal(ds.class_names[0], "T-shirt/top");
    nn_dataset_free(&ds);
}

/* ------------------------------------------------------------------ bad IDX */

static void test_bad_missing_file(void **state)
{
    (void)state;
    expect_idx_fail(path_in("nope.gz"), 3, NN_ERR_IO, "no such file");
}

static void test_bad_missing_dir(void **state)
{
    (void)state;
    nn_dataset ds;
    nn_error err;
    assert_int_equal(nn_dataset_load_mnist(&ds, path_in("absent"), NN_SPLIT_TRAIN, &err),
                     NN_ERR_IO);
    assert_non_null(strstr(err.msg, "absent"));
    assert_non_null(strstr(err.msg, "no such directory"));
    assert_null(ds.pixels);
    /* A folder without the files names the first file it looked for. */
    mkdir(path_in("emptydir"), 0755);
    assert_int_equal(nn_dataset_load_mnist(&ds, path_in("emptydir"), NN_SPLIT_TEST, &err),
                     NN_ERR_IO);
    assert_non_null(strstr(err.msg, "t10k-images-idx3-ubyte.gz: no such file"));
}

static void test_bad_empty_file(void **state)
{
    (void)state;
    write_bytes(path_in("empty"), "", 0);
    expect_idx_fail(path_in("empty"), 3, NN_ERR_IO, "empty file");
    /* A gzip stream that decompresses to nothing is empty too. */
    write_gz(path_in("empty.gz"), "", 0);
    expect_idx_fail(path_in("empty.gz"), 3, NN_ERR_FORMAT, "too short");
}

static void test_bad_magic(void **state)
{
    (void)state;
    uint8_t buf[64];
    size_t n = make_images(buf, 1, 2, 2);
    buf[0] = 0x89; /* a PNG's first byte */
    write_bytes(path_in("magic"), buf, n);
    expect_idx_fail(path_in("magic"), 3, NN_ERR_FORMAT, "wrong magic number");
    write_gz(path_in("magic.gz"), buf, n);
    expect_idx_fail(path_in("magic.gz"), 3, NN_ERR_FORMAT, "wrong magic number");
}

static void test_bad_type_byte(void **state)
{
    (void)state;
    uint8_t buf[64];
    size_t n = make_images(buf, 1, 2, 2);
    buf[2] = 0x0D; /* IDX float */
    write_bytes(path_in("type"), buf, n);
    expect_idx_fail(path_in("type"), 3, NN_ERR_FORMAT, "type byte 0x0d");
}

static void test_bad_dim_count(void **state)
{
    (void)state;
    uint8_t buf[64];
    size_t n = make_labels(buf, 5);
    write_bytes(path_in("labels"), buf, n);
    /* Labels where images were expected (files swapped). */
    expect_idx_fail(path_in("labels"), 3, NN_ERR_FORMAT, "1 dimensions in the IDX header, expected 3");
}

static void test_bad_truncated(void **state)
{
    (void)state;
    uint8_t buf[16 + 4 * 28 * 28];
    size_t n = make_images(buf, 4, 28, 28);
    write_bytes(path_in("trunc"), buf, n - 100);
    expect_idx_fail(path_in("trunc"), 3, NN_ERR_FORMAT, "truncated");
    write_gz(path_in("trunc.gz"), buf, n - 100);
    expect_idx_fail(path_in("trunc.gz"), 3, NN_ERR_FORMAT, "truncated");
    /* Cut inside the header's sizes. */
    write_bytes(path_in("trunc_head"), buf, 9);
    expect_idx_fail(path_in("trunc_head"), 3, NN_ERR_FORMAT, "truncated IDX header");
    /* A gzip file cut short: the stream ends early. */
    write_gz(path_in("full.gz"), buf, n);
    FILE *f = fopen(path_in("full.gz"), "rb");
    uint8_t z[8192];
    size_t zn = fread(z, 1, sizeof z, f);
    fclose(f);
    write_bytes(path_in("cut.gz"), z, zn / 2);
    uint8_t *data = NULL;
    int d[3];
    nn_error err;
    assert_int_not_equal(nn_idx_read(path_in("cut.gz"), 3, &data, d, &err), NN_OK);
    assert_null(data);
    assert_non_null(strstr(err.msg, "cut.gz"));
}

static void test_bad_extra_bytes(void **state)
{
    (void)state;
    uint8_t buf[64];
    size_t n = make_images(buf, 1, 2, 2);
    write_bytes(path_in("extra"), buf, n + 3);
    expect_idx_fail(path_in("extra"), 3, NN_ERR_FORMAT, "extra bytes");
    write_gz(path_in("extra.gz"), buf, n + 3);
    expect_idx_fail(path_in("extra.gz"), 3, NN_ERR_FORMAT, "extra bytes");
}

/* A 40-byte file that claims 10 x 28 x 28 images: more than it holds. */
static void test_bad_more_than_file(void **state)
{
    (void)state;
    uint8_t buf[16 + 10 * 28 * 28];
    make_images(buf, 10, 28, 28);
    write_bytes(path_in("short"), buf, 40);
    expect_idx_fail(path_in("short"), 3, NN_ERR_FORMAT, "declares 7840 data bytes but the file holds 24");
}

/* 100000 x 1000 x 1000 bytes = 100 GB: refused from the header alone. */
static void test_bad_gigabytes(void **state)
{
    (void)state;
    uint8_t buf[64];
    make_images(buf, 1, 1, 1);
    uint32_t d[3] = {100000, 1000, 1000};
    for (int k = 0; k < 3; k++)
        for (int b = 0; b < 4; b++) buf[4 + 4 * k + b] = (uint8_t)(d[k] >> (24 - 8 * b));
    write_bytes(path_in("huge"), buf, 17);
    expect_idx_fail(path_in("huge"), 3, NN_ERR_FORMAT, "1 GiB");
    write_gz(path_in("huge.gz"), buf, 17);
    expect_idx_fail(path_in("huge.gz"), 3, NN_ERR_FORMAT, "1 GiB");
    /* The largest 32-bit sizes: the product must not wrap around. */
    memset(buf + 4, 0xff, 12);
    write_bytes(path_in("wrap"), buf, 17);
    expect_idx_fail(path_in("wrap"), 3, NN_ERR_FORMAT, "1 GiB");
}

static void test_bad_count_mismatch(void **state)
{
    (void)state;
    write_split("mismatch", 6, 5, 1);
    nn_dataset ds;
    nn_error err;
    assert_int_equal(nn_dataset_load_mnist(&ds, path_in("mismatch"), NN_SPLIT_TRAIN, &err),
                     NN_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "5 labels, but"));
    assert_non_null(strstr(err.msg, "holds 6 images"));
    assert_null(ds.pixels);
    assert_null(ds.labels);
    assert_int_equal(ds.n, 0);
}

static void test_bad_label_value(void **state)
{
    (void)state;
    write_split("badlabel", 3, 3, 0);
    char p[1024];
    snprintf(p, sizeof p, "%s/badlabel/train-labels-idx1-ubyte", tu_dir);
    uint8_t lab[11] = {0, 0, 8, 1, 0, 0, 0, 3, 1, 12, 2};
    write_bytes(p, lab, sizeof lab);
    nn_dataset ds;
    nn_error err;
    assert_int_equal(nn_dataset_load_mnist(&ds, path_in("badlabel"), NN_SPLIT_TRAIN, &err),
                     NN_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "label 12 at index 1"));
    assert_null(ds.pixels);
}

static void test_bad_gzip_corrupt(void **state)
{
    (void)state;
    uint8_t buf[16 + 8 * 28 * 28];
    size_t n = make_images(buf, 8, 28, 28);
    write_gz(path_in("ok.gz"), buf, n);
    FILE *f = fopen(path_in("ok.gz"), "rb");
    uint8_t z[16384];
    size_t zn = fread(z, 1, sizeof z, f);
    fclose(f);
    assert_true(zn > 40);
    /* The CRC-32 in the trailer no longer matches the data. */
    z[zn - 8] ^= 0xff;
    write_bytes(path_in("crc.gz"), z, zn);
    expect_idx_fail(path_in("crc.gz"), 3, NN_ERR_IO, "corrupt gzip stream");
    z[zn - 8] ^= 0xff;
    /* Garbage in the deflate data right after the 10-byte gzip header. */
    memset(z + 10, 0xff, 20);
    write_bytes(path_in("garbage.gz"), z, zn);
    expect_idx_fail(path_in("garbage.gz"), 3, NN_ERR_IO, "corrupt gzip stream");
}

/* ------------------------------------------------------------------ CIFAR-10 */

static void write_cifar(const char *name, int records, int first_label, size_t cut)
{
    size_t n = (size_t)records * 3073;
    uint8_t *b = malloc(n);
    assert_non_null(b);
    for (int r = 0; r < records; r++) {
        b[(size_t)r * 3073] = (uint8_t)((first_label + r) % 10);
        for (int i = 0; i < 3072; i++) b[(size_t)r * 3073 + 1 + i] = (uint8_t)(r * 31 + i);
    }
    write_bytes(path_in(name), b, n - cut);
    free(b);
}

static void test_cifar_files(void **state)
{
    (void)state;
    write_cifar("c1.bin", 3, 4, 0);
    write_cifar("c2.bin", 2, 8, 0);
    const char *paths[2] = {path_in("c1.bin"), path_in("c2.bin")};
    nn_dataset ds;
    nn_error err;
    nn_status s = nn_dataset_load_cifar_files(&ds, paths, 2, &err);
    if (s != NN_OK) fail_msg("%s", err.msg);
    assert_int_equal(ds.n, 5);
    assert_int_equal(ds.c, 3);
    assert_int_equal(ds.h, 32);
    assert_int_equal(ds.w, 32);
    uint8_t want_labels[5] = {4, 5, 6, 8, 9};
    assert_memory_equal(ds.labels, want_labels, 5);
    /* Record 1 of file 2 is image 4; its green plane starts at byte 1024. */
    assert_int_equal(ds.pixels[4 * 3072 + 1024], (uint8_t)(31 + 1024));
    assert_string_equal(ds.class_names[ds.labels[0]], "deer");
    nn_dataset_free(&ds);

    /* The split names in a folder: the test batch. */
    write_cifar("test_batch.bin", 2, 0, 0);
    assert_int_equal(nn_dataset_load_cifar(&ds, tu_dir, NN_SPLIT_TEST, &err), NN_OK);
    assert_int_equal(ds.n, 2);
    nn_dataset_free(&ds);
}

static void test_cifar_bad(void **state)
{
    (void)state;
    nn_dataset ds;
    nn_error err;
    const char *p[1];
    write_cifar("trunc.bin", 2, 0, 100);
    p[0] = path_in("trunc.bin");
    assert_int_equal(nn_dataset_load_cifar_files(&ds, p, 1, &err), NN_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "not a whole number of 3073-byte"));
    assert_null(ds.pixels);
    write_cifar("label.bin", 2, 0, 0);
    FILE *f = fopen(path_in("label.bin"), "r+b");
    fseek(f, 3073, SEEK_SET);
    fputc(200, f);
    fclose(f);
    p[0] = path_in("label.bin");
    assert_int_equal(nn_dataset_load_cifar_files(&ds, p, 1, &err), NN_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "label 200 in record 1"));
    assert_null(ds.pixels);
    write_bytes(path_in("zero.bin"), "", 0);
    p[0] = path_in("zero.bin");
    assert_int_equal(nn_dataset_load_cifar_files(&ds, p, 1, &err), NN_ERR_IO);
    assert_non_null(strstr(err.msg, "empty file"));
    p[0] = path_in("none.bin");
    assert_int_equal(nn_dataset_load_cifar_files(&ds, p, 1, &err), NN_ERR_IO);
    assert_non_null(strstr(err.msg, "no such file"));
}

/* ------------------------------------------------------------------ transforms */

static void test_bytes_to_float(void **state)
{
    (void)state;
    uint8_t in[4] = {0, 51, 128, 255};
    float out[4];
    nn_bytes_to_float(out, in, 4, NN_RANGE_PM1);
    float pm1[4] = {-1.0f, -0.6f, 0.00392157f, 1.0f};
    assert_rel_close(out, pm1, 4, 1e-5);
    nn_bytes_to_float(out, in, 4, NN_RANGE_01);
    float z1[4] = {0.0f, 0.2f, 0.50196078f, 1.0f};
    assert_rel_close(out, z1, 4, 1e-6);
}

static void test_mean_std_normalize(void **state)
{
    (void)state;
    float x[4] = {1.0f, 2.0f, 3.0f, 6.0f};
    double m, s;
    nn_mean_std(x, 4, &m, &s);
    assert_close(m, 3.0, 1e-12);
    assert_close(s, sqrt(3.5), 1e-7); /* (4 + 1 + 0 + 9) / 4 */
    nn_normalize(x, 4, (float)m, (float)s);
    nn_mean_std(x, 4, &m, &s);
    assert_close(m, 0.0, 1e-6);
    assert_close(s, 1.0, 1e-6);
    float want0 = (float)(-2.0 / sqrt(3.5));
    assert_rel_close(x, &want0, 1, 1e-6);
}

/* Input and outputs from tests/reference/data_resize.py:
 * torch.nn.functional.interpolate(x, size, mode="bilinear", align_corners=False). */
static const float resize_in[20] = {
    -0.200000003f, 0.5f, 0.100000001f, -0.300000012f, 0.400000006f, 0.0f, -0.400000006f,
    0.300000012f,  -0.100000001f, -0.5f, 0.200000003f, -0.200000003f, 0.5f, 0.100000001f,
    -0.300000012f, 0.400000006f, 0.0f, -0.400000006f, 0.300000012f, -0.100000001f};
static const float resize_6x7[42] = {
    -0.200000003f, 0.200000018f,  0.385714263f,  0.0999999791f, -0.185714319f, 6.13076381e-08f,
    0.400000006f,  -0.100000001f, -0.0142857125f, 0.0928571522f, 0.199999988f, -0.0857143179f,
    -0.135714278f, -0.049999997f, 0.0333333425f, -0.195238084f, -0.166666627f, 0.333333313f,
    0.0476190299f, -0.238095254f, -0.466666639f, 0.166666672f,  -0.0619047582f, -0.0333332978f,
    0.466666639f,  0.180952355f,  -0.104761936f, -0.333333343f, 0.300000042f,  0.0714285821f,
    -0.0571428612f, 0.0499999113f, 0.157142863f, 0.0285714138f, -0.199999988f, 0.400000006f,
    0.171428576f,  -0.114285737f, -0.399999976f, 0.100000061f,  0.128571406f,  -0.100000001f};
static const float resize_3x3[9] = {0.00555553846f, 0.133333355f, 0.077777721f,
                                    -0.0333333164f, 0.399999946f, -0.266666621f,
                                    0.233333364f,   -0.250000089f, 5.78661776e-08f};

static void test_resize_bilinear(void **state)
{
    (void)state;
    float up[42], down[9], same[20];
    nn_resize_bilinear(up, 6, 7, resize_in, 1, 1, 4, 5);
    assert_rel_close(up, resize_6x7, 42, 1e-5);
    nn_resize_bilinear(down, 3, 3, resize_in, 1, 1, 4, 5);
    assert_rel_close(down, resize_3x3, 9, 1e-5);
    nn_resize_bilinear(same, 4, 5, resize_in, 1, 1, 4, 5);
    assert_rel_close(same, resize_in, 20, 1e-7);
    /* Two images of two channels: every plane resized on its own. */
    float in4[80], out4[4 * 42];
    for (int k = 0; k < 4; k++)
        for (int i = 0; i < 20; i++) in4[k * 20 + i] = resize_in[i] * (float)(k + 1);
    nn_resize_bilinear(out4, 6, 7, in4, 2, 2, 4, 5);
    float want[42];
    for (int i = 0; i < 42; i++) want[i] = resize_6x7[i] * 4.0f;
    assert_rel_close(out4 + 3 * 42, want, 42, 1e-5);
    assert_int_equal(nn_flat_size(1, 28, 28), 784);
}

/* Super-resolution's pair, from tests/reference/data_resize.py: the input
 * (2, 2, 6, 4) is ((i 13 + 5) % 17 - 8) / 8; down_f2 is
 * F.avg_pool2d(x, kernel_size=2), down_f3 F.avg_pool2d(x[:1, :, :, :3],
 * kernel_size=3), up_f3 F.interpolate(x[:1, :, :2, :], scale_factor=3,
 * mode="nearest"), in float64. */
static const float down_f2[24] = {
    -0.5625f, 0.5625f, -0.3125f, 0.28125f, -0.0625f, 0.0f, 0.1875f, -0.28125f,
    0.4375f, -0.5625f, 0.6875f, -0.3125f, -0.125f, -0.0625f, 0.125f, 0.1875f,
    -0.6875f, 0.4375f, -0.4375f, 0.6875f, -0.1875f, -0.125f, 0.0625f, 0.125f,
};
static const float down_f3[4] = {
    -0.0416666667f, -0.375f, 0.0f, 0.375f,
};
static const float up_f3[144] = {
    -0.375f, -0.375f, -0.375f, -0.875f, -0.875f, -0.875f, 0.75f, 0.75f,
    0.75f, 0.25f, 0.25f, 0.25f, -0.375f, -0.375f, -0.375f, -0.875f,
    -0.875f, -0.875f, 0.75f, 0.75f, 0.75f, 0.25f, 0.25f, 0.25f,
    -0.375f, -0.375f, -0.375f, -0.875f, -0.875f, -0.875f, 0.75f, 0.75f,
    0.75f, 0.25f, 0.25f, 0.25f, -0.25f, -0.25f, -0.25f, -0.75f,
    -0.75f, -0.75f, 0.875f, 0.875f, 0.875f, 0.375f, 0.375f, 0.375f,
    -0.25f, -0.25f, -0.25f, -0.75f, -0.75f, -0.75f, 0.875f, 0.875f,
    0.875f, 0.375f, 0.375f, 0.375f, -0.25f, -0.25f, -0.25f, -0.75f,
    -0.75f, -0.75f, 0.875f, 0.875f, 0.875f, 0.375f, 0.375f, 0.375f,
    0.375f, 0.375f, 0.375f, -0.125f, -0.125f, -0.125f, -0.625f, -0.625f,
    -0.625f, 1.0f, 1.0f, 1.0f, 0.375f, 0.375f, 0.375f, -0.125f,
    -0.125f, -0.125f, -0.625f, -0.625f, -0.625f, 1.0f, 1.0f, 1.0f,
    0.375f, 0.375f, 0.375f, -0.125f, -0.125f, -0.125f, -0.625f, -0.625f,
    -0.625f, 1.0f, 1.0f, 1.0f, 0.5f, 0.5f, 0.5f, 0.0f,
    0.0f, 0.0f, -0.5f, -0.5f, -0.5f, -1.0f, -1.0f, -1.0f,
    0.5f, 0.5f, 0.5f, 0.0f, 0.0f, 0.0f, -0.5f, -0.5f,
    -0.5f, -1.0f, -1.0f, -1.0f, 0.5f, 0.5f, 0.5f, 0.0f,
    0.0f, 0.0f, -0.5f, -0.5f, -0.5f, -1.0f, -1.0f, -1.0f,
};

static void scale_input(float *x)
{
    for (int i = 0; i < 96; i++) x[i] = (float)((i * 13 + 5) % 17 - 8) / 8.0f;
}

static void test_downsample_mean(void **state)
{
    (void)state;
    /* By hand: the mean of each 2 x 2 block, each channel on its own. */
    const float hand[2 * 16] = {1, 2, 0, 0,   3, 4, 0, 0,   0, 0, -1, 1,  0, 0, 1, 3,
                                8, 8, 8, 8,   8, 8, 8, 8,   0, 0, 0, 0,   0, 0, 0, 4};
    const float hand_want[2 * 4] = {2.5f, 0.0f, 0.0f, 1.0f, 8.0f, 8.0f, 0.0f, 1.0f};
    float hand_out[8];
    nn_downsample_mean(hand_out, hand, 1, 2, 4, 4, 2);
    assert_memory_equal(hand_out, hand_want, sizeof hand_want);

    float x[96], out[24], part[36], out3[4];
    scale_input(x);
    nn_downsample_mean(out, x, 2, 2, 6, 4, 2);
    assert_rel_close(out, down_f2, 24, 1e-6);
    /* f = 3 on the first image's first three columns: 6 x 3 -> 2 x 1. */
    for (int c = 0; c < 2; c++)
        for (int y = 0; y < 6; y++)
            for (int i = 0; i < 3; i++) part[(c * 6 + y) * 3 + i] = x[(c * 6 + y) * 4 + i];
    nn_downsample_mean(out3, part, 1, 2, 6, 3, 3);
    assert_rel_close(out3, down_f3, 4, 1e-6);
    /* f = 1 changes nothing. */
    nn_downsample_mean(out, x, 1, 1, 6, 4, 1);
    assert_memory_equal(out, x, 24 * sizeof(float));
}

static void test_upsample_nearest(void **state)
{
    (void)state;
    /* By hand: each pixel an f x f block. */
    const float hand[4] = {1, 2, 3, 4};
    const float hand_want[16] = {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4};
    float hand_out[16];
    nn_upsample_nearest(hand_out, hand, 1, 1, 2, 2, 2);
    assert_memory_equal(hand_out, hand_want, sizeof hand_want);

    /* The first image's first two rows of each channel: (1, 2, 2, 4) -> (1, 2, 6, 12). */
    float x[96], top[16], out[144];
    scale_input(x);
    for (int c = 0; c < 2; c++) memcpy(top + c * 8, x + c * 24, 8 * sizeof(float));
    nn_upsample_nearest(out, top, 1, 2, 2, 4, 3);
    assert_memory_equal(out, up_f3, sizeof out);
    /* Down after up gives the image back, exactly (a mean of four equal
     * numbers, f = 2). */
    float up[4 * 96], back[96];
    nn_upsample_nearest(up, x, 2, 2, 6, 4, 2);
    nn_downsample_mean(back, up, 2, 2, 12, 8, 2);
    assert_memory_equal(back, x, sizeof back);
}

/* One mask's square: 1 inside, 0 outside, side x side, its corner in
 * (*y0, *x0). Fails on anything else. */
static void square_of(const float *m, int h, int w, int side, int *y0, int *x0)
{
    int ymin = h, ymax = -1, xmin = w, xmax = -1, ones = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            float v = m[y * w + x];
            assert_true(v == 0.0f || v == 1.0f);
            if (v == 0.0f) continue;
            ones++;
            if (y < ymin) ymin = y;
            if (y > ymax) ymax = y;
            if (x < xmin) xmin = x;
            if (x > xmax) xmax = x;
        }
    /* side^2 ones in a side x side box: the box is full, nothing outside. */
    assert_int_equal(ones, side * side);
    assert_int_equal(ymax - ymin + 1, side);
    assert_int_equal(xmax - xmin + 1, side);
    *y0 = ymin;
    *x0 = xmin;
}

static void test_mask_squares(void **state)
{
    (void)state;
    enum { N = 600, H = 28, W = 20, SIDE = 10, MARGIN = 2 };
    static float m[N * H * W], again[N * H * W];
    nn_rng r;
    nn_rng_seed(&r, 3, 0);
    nn_mask_squares(m, N, H, W, SIDE, MARGIN, &r);
    /* Every corner keeps the square MARGIN pixels from each edge, and over
     * N draws both ends of each range are reached (each end is missed by
     * all N with probability (1 - 1/15)^600 or less, 1e-18), with the two
     * coordinates drawn apart (not always equal). */
    int ylo = H, yhi = -1, xlo = W, xhi = -1, unequal = 0;
    for (int i = 0; i < N; i++) {
        int y0, x0;
        square_of(m + (size_t)i * H * W, H, W, SIDE, &y0, &x0);
        assert_true(y0 >= MARGIN && y0 + SIDE + MARGIN <= H);
        assert_true(x0 >= MARGIN && x0 + SIDE + MARGIN <= W);
        if (y0 < ylo) ylo = y0;
        if (y0 > yhi) yhi = y0;
        if (x0 < xlo) xlo = x0;
        if (x0 > xhi) xhi = x0;
        unequal += y0 != x0;
    }
    assert_int_equal(ylo, MARGIN);
    assert_int_equal(yhi, H - SIDE - MARGIN);
    assert_int_equal(xlo, MARGIN);
    assert_int_equal(xhi, W - SIDE - MARGIN);
    assert_true(unequal > N / 2);
    /* The same seed, the same masks; another seed, others. */
    nn_rng_seed(&r, 3, 0);
    nn_mask_squares(again, N, H, W, SIDE, MARGIN, &r);
    assert_memory_equal(again, m, sizeof m);
    nn_rng_seed(&r, 4, 0);
    nn_mask_squares(again, N, H, W, SIDE, MARGIN, &r);
    assert_true(memcmp(again, m, sizeof m) != 0);
    /* A square that just fits inside the margins has one place. */
    nn_mask_squares(again, 5, 8, 8, 4, 2, &r);
    for (int i = 0; i < 5; i++) {
        int y0, x0;
        square_of(again + i * 64, 8, 8, 4, &y0, &x0);
        assert_int_equal(y0, 2);
        assert_int_equal(x0, 2);
    }
}

/* ------------------------------------------------------------------ loader */

static nn_dataset tiny_set(int n)
{
    nn_dataset ds = {0};
    ds.n = n;
    ds.c = 1;
    ds.h = 1;
    ds.w = 2;
    ds.n_classes = 10;
    ds.pixels = nn_alloc((size_t)n, 2);
    ds.labels = nn_alloc((size_t)n, 1);
    /* Image i holds (i, 255 - i) and label i % 10, so a batch row tells
     * which image it came from. */
    for (int i = 0; i < n; i++) {
        ds.pixels[2 * i] = (uint8_t)i;
        ds.pixels[2 * i + 1] = (uint8_t)(255 - i);
        ds.labels[i] = (uint8_t)(i % 10);
    }
    return ds;
}

/* One epoch's image order as read back from the batches. */
static int read_epoch(nn_loader *ld, int *order, int *sizes)
{
    float x[2 * 64];
    int lab[64], nb = 0, k = 0, rows;
    while ((rows = nn_loader_next(ld, x, lab)) > 0) {
        sizes[nb++] = rows;
        for (int r = 0; r < rows; r++) {
            int img = (int)lroundf(x[2 * r] * 255.0f);
            assert_close(x[2 * r + 1], (255 - img) / 255.0, 1e-6);
            assert_int_equal(lab[r], img % 10);
            order[k++] = img;
        }
    }
    return nb;
}

static void test_loader_drop_last(void **state)
{
    (void)state;
    nn_dataset ds = tiny_set(10);
    nn_loader ld;
    int order[10], sizes[10];
    assert_int_equal(nn_loader_init(&ld, &ds, 3, 1, 1, NN_RANGE_01, 7, NULL), NN_OK);
    assert_int_equal(nn_loader_batches_per_epoch(&ld), 3);
    assert_int_equal(read_epoch(&ld, order, sizes), 3);
    assert_int_equal(sizes[2], 3);
    nn_loader_free(&ld);

    assert_int_equal(nn_loader_init(&ld, &ds, 3, 1, 0, NN_RANGE_01, 7, NULL), NN_OK);
    assert_int_equal(nn_loader_batches_per_epoch(&ld), 4);
    assert_int_equal(read_epoch(&ld, order, sizes), 4);
    assert_int_equal(sizes[3], 1);
    /* Every image exactly once per epoch. */
    int seen[10] = {0};
    for (int i = 0; i < 10; i++) seen[order[i]]++;
    for (int i = 0; i < 10; i++) assert_int_equal(seen[i], 1);
    nn_loader_free(&ld);

    nn_error err;
    assert_int_equal(nn_loader_init(&ld, &ds, 11, 1, 1, NN_RANGE_01, 7, &err), NN_ERR_ARG);
    assert_non_null(strstr(err.msg, "drop_last"));
    assert_int_equal(nn_loader_init(&ld, &ds, 0, 1, 0, NN_RANGE_01, 7, &err), NN_ERR_ARG);
    nn_dataset_free(&ds);
}

static void test_loader_seeded_order(void **state)
{
    (void)state;
    nn_dataset ds = tiny_set(40);
    nn_loader a, b, c;
    int oa[40], ob[40], oc[40], oa2[40], sizes[40];
    assert_int_equal(nn_loader_init(&a, &ds, 8, 1, 0, NN_RANGE_01, 42, NULL), NN_OK);
    assert_int_equal(nn_loader_init(&b, &ds, 8, 1, 0, NN_RANGE_01, 42, NULL), NN_OK);
    assert_int_equal(nn_loader_init(&c, &ds, 8, 1, 0, NN_RANGE_01, 43, NULL), NN_OK);
    read_epoch(&a, oa, sizes);
    read_epoch(&b, ob, sizes);
    read_epoch(&c, oc, sizes);
    assert_memory_equal(oa, ob, sizeof oa);             /* same seed, same order */
    assert_memory_not_equal(oa, oc, sizeof oa);         /* another seed, another order */
    int ident = 1;
    for (int i = 0; i < 40; i++) ident &= oa[i] == i;
    assert_false(ident);                                /* really shuffled */
    read_epoch(&a, oa2, sizes);
    assert_int_equal(a.epoch, 2);
    assert_memory_not_equal(oa, oa2, sizeof oa);        /* reshuffled each epoch */
    read_epoch(&b, ob, sizes);
    assert_memory_equal(oa2, ob, sizeof oa2);           /* and reproducibly so */
    nn_loader_free(&a);
    nn_loader_free(&b);
    nn_loader_free(&c);

    /* shuffle off: images in file order; [-1, 1] conversion on the fly. */
    assert_int_equal(nn_loader_init(&a, &ds, 4, 0, 0, NN_RANGE_PM1, 1, NULL), NN_OK);
    float x[8];
    int lab[4];
    assert_int_equal(nn_loader_next(&a, x, lab), 4);
    assert_close(x[0], -1.0, 1e-6);
    assert_close(x[1], 1.0, 1e-6);
    assert_close(x[6], 3.0 / 127.5 - 1.0, 1e-6);
    assert_int_equal(lab[3], 3);
    nn_loader_free(&a);
    nn_dataset_free(&ds);
}

/* ------------------------------------------------------------------ toy sets */

static void test_toy_ring(void **state)
{
    (void)state;
    nn_toy t;
    assert_int_equal(nn_toy_ring(&t, 8, 2.0f, 0.02f, NULL), NN_OK);
    assert_int_equal(t.n_modes, 8);
    assert_int_equal(t.dim, 2);
    float c0[4] = {2.0f, 0.0f, 1.41421356f, 1.41421356f};
    float c2[2] = {0.0f, 2.0f};
    assert_rel_close(t.centres, c0, 4, 1e-6);
    assert_close(t.centres[4], c2[0], 1e-6);
    assert_close(t.centres[5], c2[1], 1e-6);

    enum { N = 4000 };
    static float x[2 * N];
    int mode[N], count[8] = {0};
    nn_rng r;
    nn_rng_seed(&r, 3, 0);
    nn_toy_sample(&t, &r, x, mode, N);
    double sx = 0.0, sxx = 0.0;
    for (int i = 0; i < N; i++) {
        int k = mode[i];
        count[k]++;
        double dx = x[2 * i] - t.centres[2 * k], dy = x[2 * i + 1] - t.centres[2 * k + 1];
        /* 6 sigma: a N(0,1) pair beyond that has probability e^-18. */
        if (hypot(dx, dy) > 6.0 * t.sigma)
            fail_msg("sample %d at (%g, %g) is %g from mode %d", i, (double)x[2 * i],
                     (double)x[2 * i + 1], hypot(dx, dy), k);
        sx += dx;
        sxx += dx * dx;
    }
    /* The spread matches sigma (standard error of a std from 4000: ~1.1%). */
    assert_close(sqrt(sxx / N - (sx / N) * (sx / N)), 0.02, 0.002);
    for (int k = 0; k < 8; k++) assert_in_range(count[k], 400, 600); /* ~500 each */

    nn_error err;
    assert_int_equal(nn_toy_ring(&t, 8, 2.0f, -1.0f, &err), NN_ERR_ARG);
    assert_non_null(strstr(err.msg, "sigma"));
}

static void test_toy_grid_and_1d(void **state)
{
    (void)state;
    nn_toy t;
    assert_int_equal(nn_toy_grid(&t, 5, 2.0f, 0.05f, NULL), NN_OK);
    assert_int_equal(t.n_modes, 25);
    float first[2] = {-4.0f, -4.0f}, last[2] = {4.0f, 4.0f}, mid[2] = {0.0f, 0.0f};
    assert_rel_close(t.centres, first, 2, 1e-7);
    assert_rel_close(t.centres + 48, last, 2, 1e-7);
    assert_close(t.centres[24], mid[0], 1e-7);
    assert_close(t.centres[25], mid[1], 1e-7);
    float x[2 * 500];
    int mode[500];
    nn_rng r;
    nn_rng_seed(&r, 5, 0);
    nn_toy_sample(&t, &r, x, mode, 500);
    for (int i = 0; i < 500; i++)
        assert_true(hypot(x[2 * i] - t.centres[2 * mode[i]],
                          x[2 * i + 1] - t.centres[2 * mode[i] + 1]) < 6.0 * 0.05);

    float means[3] = {-2.0f, 0.0f, 3.0f};
    assert_int_equal(nn_toy_mixture1d(&t, means, 3, 0.1f, NULL), NN_OK);
    assert_int_equal(t.dim, 1);
    nn_toy_sample(&t, &r, x, mode, 300);
    for (int i = 0; i < 300; i++) assert_true(fabsf(x[i] - means[mode[i]]) < 0.6f);
    /* Same seed, same points. */
    float y1[10], y2[10];
    nn_rng_seed(&r, 9, 0);
    nn_toy_sample(&t, &r, y1, NULL, 10);
    nn_rng_seed(&r, 9, 0);
    nn_toy_sample(&t, &r, y2, NULL, 10);
    assert_memory_equal(y1, y2, sizeof y1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_idx_raw_images, tu_tmpdir_setup, tu_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_idx_gz_labels, tu_tmpdir_setup, tu_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_idx_gz_large, tu_tmpdir_setup, tu_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_load_mnist_dir, tu_tmpdir_setup, tu_tmpdir_teardown),
        cmocka_unit_test(test_load_fashion_installed),
        cmocka_unit_test_setup_teardown(test_bad_missing_file, tu_tmpdir_setup, tu_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_bad_missing_dir, tu_tmpdir_setup, tu_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_bad_empty_file, tu_tmpdir_setup, tu_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_bad_magic, tu_tmpdir_setup, tu_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_bad_type_byte, tu_tmpdir_setup, tu_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_bad_dim_count, tu_tmpdir_setup, tu_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_bad_truncated, tu_tmpdir_setup, tu_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_bad_extra_bytes, tu_tmpdir_setup, tu_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_bad_more_than_file, tu_tmpdir_setup, tu_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_bad_gigabytes, tu_tmpdir_setup, tu_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_bad_count_mismatch, tu_tmpdir_setup, tu_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_bad_label_value, tu_tmpdir_setup, tu_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_bad_gzip_corrupt, tu_tmpdir_setup, tu_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_cifar_files, tu_tmpdir_setup, tu_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_cifar_bad, tu_tmpdir_setup, tu_tmpdir_teardown),
        cmocka_unit_test(test_bytes_to_float),
        cmocka_unit_test(test_mean_std_normalize),
        cmocka_unit_test(test_resize_bilinear),
        cmocka_unit_test(test_downsample_mean),
        cmocka_unit_test(test_upsample_nearest),
        cmocka_unit_test(test_mask_squares),
        cmocka_unit_test(test_loader_drop_last),
        cmocka_unit_test(test_loader_seeded_order),
        cmocka_unit_test(test_toy_ring),
        cmocka_unit_test(test_toy_grid_and_1d),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
