/* idx.c - the IDX reader (MNIST file format), raw or gzip, checked before it
 * allocates (see data.h). zlib's gzread reads both: on a file without the
 * gzip magic it passes the bytes through unchanged (gzdirect says which). */
#include "data/idx.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

/* Reads up to n bytes; returns how many came, or -1 on a corrupt stream. The
 * loop is needed because gzread takes an unsigned int length. */
static long long gz_read_all(gzFile g, uint8_t *buf, uint64_t n)
{
    uint64_t got = 0;
    while (got < n) {
        uint64_t want = n - got;
        if (want > (1u << 20)) want = 1u << 20;
        int r = gzread(g, buf + got, (unsigned)want);
        if (r < 0) return -1;
        if (r == 0) break;
        got += (uint64_t)r;
    }
    return (long long)got;
}

/* A gzip stream that stopped on bad data (not merely ended early, which zlib
 * reports as Z_BUF_ERROR and the size checks below turn into "truncated"). */
static nn_status gz_check(gzFile g, long long r, const char *path, const char *what,
                          nn_error *err)
{
    int code = Z_OK;
    const char *zmsg = gzerror(g, &code);
    /* gzerror prefixes its message with the path, which ours names already. */
    size_t plen = strlen(path);
    if (zmsg && strncmp(zmsg, path, plen) == 0 && strncmp(zmsg + plen, ": ", 2) == 0)
        zmsg += plen + 2;
    if (r < 0 || (code != Z_OK && code != Z_BUF_ERROR))
        return nn_fail(err, NN_ERR_IO,
                       "%s: corrupt gzip stream while reading the %s (zlib: %s); "
                       "download the file again",
                       path, what, zmsg && *zmsg ? zmsg : "bad data");
    return NN_OK;
}

static uint32_t be32(const uint8_t *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | (uint32_t)b[3];
}

/* Everything after gzopen: split out so every failure path closes the file in
 * one place (the caller). */
static nn_status read_open(gzFile g, const char *path, uint64_t file_bytes, int expect_dims,
                           uint8_t **data, int dims[3], nn_error *err)
{
    uint8_t head[4 + 4 * 3];
    long long got = gz_read_all(g, head, 4);
    if (gz_check(g, got, path, "header", err) != NN_OK) return err->code;
    if (got < 4)
        return nn_fail(err, NN_ERR_FORMAT,
                       "%s: %lld bytes, too short for an IDX header (4 bytes: 00 00 08 ndims)",
                       path, got);
    if (head[0] != 0 || head[1] != 0)
        return nn_fail(err, NN_ERR_FORMAT,
                       "%s: wrong magic number %02x %02x %02x %02x: not an IDX file "
                       "(IDX files start with 00 00 08 01 or 00 00 08 03)",
                       path, head[0], head[1], head[2], head[3]);
    if (head[2] != 0x08)
        return nn_fail(err, NN_ERR_FORMAT,
                       "%s: IDX type byte 0x%02x; only 0x08 (unsigned byte) is supported", path,
                       head[2]);
    if (head[3] != expect_dims)
        return nn_fail(err, NN_ERR_FORMAT,
                       "%s: %d dimensions in the IDX header, expected %d (%s)", path, head[3],
                       expect_dims, expect_dims == 3 ? "images: n, h, w" : "labels: n");

    got = gz_read_all(g, head + 4, 4u * (unsigned)expect_dims);
    if (gz_check(g, got, path, "header", err) != NN_OK) return err->code;
    if (got < 4 * expect_dims)
        return nn_fail(err, NN_ERR_FORMAT, "%s: truncated IDX header (%lld of %d size bytes)",
                       path, got, 4 * expect_dims);

    /* The product is checked factor by factor against the bound, so it can
     * never overflow 64 bits and nothing is allocated for a hostile header. */
    uint64_t need = 1;
    for (int d = 0; d < expect_dims; d++) {
        uint32_t s = be32(head + 4 + 4 * d);
        if (s == 0)
            return nn_fail(err, NN_ERR_FORMAT, "%s: IDX dimension %d has size 0", path, d);
        need *= s;
        if (need > NN_DATA_MAX_BYTES)
            return nn_fail(err, NN_ERR_FORMAT,
                           "%s: the IDX header asks for more than %llu bytes (1 GiB); "
                           "the header is corrupt",
                           path, (unsigned long long)NN_DATA_MAX_BYTES);
        dims[d] = (int)s;
    }
    uint64_t head_bytes = 4 + 4 * (uint64_t)expect_dims;

    /* A raw file's length is known up front: compare before allocating. */
    int raw = gzdirect(g);
    if (raw && file_bytes != head_bytes + need)
        return nn_fail(err, NN_ERR_FORMAT,
                       "%s: the header declares %llu data bytes but the file holds %llu (%s)",
                       path, (unsigned long long)need,
                       (unsigned long long)(file_bytes - head_bytes),
                       file_bytes < head_bytes + need ? "truncated" : "extra bytes at the end");

    /* A gzip stream's length is known only by inflating it: grow the buffer
     * as data arrives, so a small corrupt file never costs the declared size. */
    uint64_t cap = need < (1u << 20) ? need : (1u << 20);
    uint8_t *buf = nn_alloc((size_t)cap, 1);
    if (!buf) return nn_fail(err, NN_ERR_NOMEM, "%s: out of memory for %llu bytes", path,
                             (unsigned long long)cap);
    uint64_t have = 0;
    for (;;) {
        long long r = gz_read_all(g, buf + have, cap - have);
        if (gz_check(g, r, path, "data", err) != NN_OK) {
            nn_free(buf);
            return err->code;
        }
        have += (uint64_t)r;
        if (have < cap || cap == need) break;
        uint64_t ncap = cap * 2 < need ? cap * 2 : need;
        uint8_t *nbuf = nn_alloc((size_t)ncap, 1);
        if (!nbuf) {
            nn_free(buf);
            return nn_fail(err, NN_ERR_NOMEM, "%s: out of memory for %llu bytes", path,
                           (unsigned long long)ncap);
        }
        memcpy(nbuf, buf, (size_t)have);
        nn_free(buf);
        buf = nbuf;
        cap = ncap;
    }
    if (have < need) {
        nn_free(buf);
        return nn_fail(err, NN_ERR_FORMAT,
                       "%s: truncated: the header declares %llu data bytes but the %s holds "
                       "only %llu",
                       path, (unsigned long long)need, raw ? "file" : "gzip stream",
                       (unsigned long long)have);
    }
    /* Exactly the declared bytes and no more: one byte beyond is an error. */
    uint8_t extra;
    long long r = gz_read_all(g, &extra, 1);
    if (r != 0) {
        nn_free(buf);
        if (gz_check(g, r, path, "end of the data", err) != NN_OK) return err->code;
        return nn_fail(err, NN_ERR_FORMAT,
                       "%s: extra bytes after the %llu data bytes the header declares", path,
                       (unsigned long long)need);
    }
    *data = buf;
    return NN_OK;
}

nn_status nn_idx_read(const char *path, int expect_dims, uint8_t **data, int dims[3],
                      nn_error *err)
{
    *data = NULL;
    if (expect_dims < 1 || expect_dims > 3)
        return nn_fail(err, NN_ERR_ARG, "%s: expect_dims %d, must be 1..3", path, expect_dims);
    struct stat st;
    if (stat(path, &st) != 0)
        return nn_fail(err, NN_ERR_IO, "%s: %s", path,
                       errno == ENOENT ? "no such file" : strerror(errno));
    if (!S_ISREG(st.st_mode))
        return nn_fail(err, NN_ERR_IO, "%s: not a regular file", path);
    if (st.st_size == 0) return nn_fail(err, NN_ERR_IO, "%s: empty file (0 bytes)", path);

    gzFile g = gzopen(path, "rb");
    if (!g)
        return nn_fail(err, NN_ERR_IO, "%s: cannot open: %s", path,
                       errno ? strerror(errno) : "out of memory");
    /* The helpers fill the message unconditionally: give them somewhere to
     * write when the caller only wants the code. */
    nn_error local;
    nn_status s = read_open(g, path, (uint64_t)st.st_size, expect_dims, data, dims,
                            err ? err : &local);
    gzclose(g);
    return s;
}
