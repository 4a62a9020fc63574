/* checkpoint.c - nn_model_save and nn_model_load (see model.h).
 *
 * File layout, every field in the machine's own byte order (the byte-order
 * mark lets a file from another byte order be refused instead of misread):
 *   char     magic[8]           "GANSTEPS"
 *   uint32   version            NN_CKPT_VERSION
 *   uint32   byte_order         0x01020304
 *   uint64   file_bytes         the size of the whole file, checksum included
 *   uint32   n_layers
 *   per layer: uint32 kind, int32 in, int32 out, float32 arg,
 *              int32 kernel, stride, pad, c, h, w (the image layers' fields; a
 *              style_const keeps its constant's shape in c, h, w)
 *   uint64   n_params, n_buffers
 *   float32  params[n_params], buffers[n_buffers], adam_m[n_params], adam_v[n_params]
 *   int64    adam_t
 *   uint32   crc32              zlib's CRC-32 of every byte before it
 *
 * The size sits in the header so that a truncated file is reported as
 * truncated rather than as a checksum mismatch; the checksum sits at the end
 * so that saving computes it while writing, in one pass.
 */
#include "nn/model.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

/* Version 1 had neither file_bytes nor the checksum; version 2 had them but
 * not the image layers' six fields in each layer record. */
#define NN_CKPT_VERSION 3u
#define NN_CKPT_BOM 0x01020304u
static const char MAGIC[8] = {'G', 'A', 'N', 'S', 'T', 'E', 'P', 'S'};

/* What must be read before anything else can be trusted: magic, version and
 * byte order. The version sits at the same offset in every version. */
#define PREFIX_BYTES (8u + 4u + 4u)
#define HEADER_BYTES (PREFIX_BYTES + 8u + 4u)
#define LAYER_BYTES 40u
#define COUNTS_BYTES 16u
#define CRC_BYTES 4u

/* Bytes a checkpoint of this many layers, params and buffers takes. */
static size_t ckpt_size(size_t n_layers, size_t n_params, size_t n_buffers)
{
    return HEADER_BYTES + n_layers * LAYER_BYTES + COUNTS_BYTES +
           (3u * n_params + n_buffers) * sizeof(float) + sizeof(int64_t) + CRC_BYTES;
}

/* zlib's crc32 takes an unsigned int length: feed it in pieces so a block of
 * more than 4 GiB is not silently cut short. */
static uint32_t crc_update(uint32_t crc, const void *p, size_t bytes)
{
    const unsigned char *b = p;
    uLong c = crc;
    while (bytes > 0) {
        uInt piece = bytes > (1u << 30) ? (1u << 30) : (uInt)bytes;
        c = crc32(c, b, piece);
        b += piece;
        bytes -= piece;
    }
    return (uint32_t)c;
}

/* "784-300-100-1": the input width and each linear layer's output, how a
 * course user names an architecture. Other kinds are compared separately. */
static void describe_widths(char *s, size_t cap, int in, int n, const int *outs,
                            const uint32_t *kinds)
{
    size_t len = (size_t)snprintf(s, cap, "%d", in);
    for (int i = 0; i < n && len < cap; i++)
        if (kinds[i] == NN_LAYER_LINEAR) len += (size_t)snprintf(s + len, cap - len, "-%d", outs[i]);
}

/* The file being written and the checksum of what went into it so far. After
 * the first failed write the others do nothing, so the save path checks
 * once, at the end. */
typedef struct {
    FILE *f;
    uint32_t crc;
    int ok;
} writer;

/* A zero-length block (a model without batchnorm has no buffers) trivially
 * succeeds. */
static void put(writer *w, const void *p, size_t bytes)
{
    if (!w->ok || bytes == 0) return;
    if (fwrite(p, 1, bytes, w->f) != bytes) {
        w->ok = 0;
        return;
    }
    w->crc = crc_update(w->crc, p, bytes);
}

nn_status nn_model_save(const nn_model *m, const char *path, nn_error *err)
{
    size_t plen = strlen(path);
    char *tmp = nn_alloc(plen + 5, 1);
    if (!tmp) return nn_fail(err, NN_ERR_NOMEM, "%s: out of memory for the file name", path);
    memcpy(tmp, path, plen);
    memcpy(tmp + plen, ".tmp", 5);

    FILE *f = fopen(tmp, "wb");
    if (!f) {
        int e = errno;
        nn_fail(err, NN_ERR_IO, "cannot write checkpoint %s: %s; check that the directory "
                "exists and is writable", tmp, strerror(e));
        nn_free(tmp);
        return NN_ERR_IO;
    }
    writer w = {f, (uint32_t)crc32(0L, Z_NULL, 0), 1};
    uint32_t head[2] = {NN_CKPT_VERSION, NN_CKPT_BOM};
    uint64_t file_bytes = ckpt_size((size_t)m->n_layers, m->n_params, m->n_buffers);
    uint32_t n_layers = (uint32_t)m->n_layers;
    put(&w, MAGIC, sizeof MAGIC);
    put(&w, head, sizeof head);
    put(&w, &file_bytes, sizeof file_bytes);
    put(&w, &n_layers, sizeof n_layers);
    for (int i = 0; i < m->n_layers; i++) {
        const nn_layer *l = &m->layers[i];
        uint32_t kind = (uint32_t)l->spec.kind;
        int32_t shape[2] = {l->in, l->out};
        int32_t image[6] = {l->spec.kernel, l->spec.stride, l->spec.pad,
                            l->spec.c, l->spec.h, l->spec.w};
        put(&w, &kind, 4);
        put(&w, shape, 8);
        put(&w, &l->spec.arg, 4);
        put(&w, image, sizeof image);
    }
    uint64_t counts[2] = {m->n_params, m->n_buffers};
    int64_t t = m->adam_t;
    put(&w, counts, sizeof counts);
    put(&w, m->params, m->n_params * sizeof(float));
    put(&w, m->buffers, m->n_buffers * sizeof(float));
    put(&w, m->adam_m, m->n_params * sizeof(float));
    put(&w, m->adam_v, m->n_params * sizeof(float));
    put(&w, &t, sizeof t);
    uint32_t crc = w.crc;
    put(&w, &crc, sizeof crc);
    int ok = w.ok;
    /* fclose flushes: a full disk often shows up only here. */
    int e = errno;
    if (fclose(f) != 0 && ok) {
        ok = 0;
        e = errno;
    }
    if (!ok) {
        remove(tmp);
        nn_fail(err, NN_ERR_IO, "cannot write checkpoint %s: %s; check free disk space and "
                "permissions", tmp, strerror(e));
        nn_free(tmp);
        return NN_ERR_IO;
    }
    /* rename() replaces path in one step: readers see the old file or the
     * whole new one, never half a file. */
    if (rename(tmp, path) != 0) {
        e = errno;
        remove(tmp);
        nn_fail(err, NN_ERR_IO, "cannot rename %s to %s: %s; check permissions on the "
                "directory", tmp, path, strerror(e));
        nn_free(tmp);
        return NN_ERR_IO;
    }
    nn_free(tmp);
    return NN_OK;
}

/* Reads the whole file into memory; fills *size. Checking a buffer in memory
 * is simpler than checking every fread, and the model is not touched until
 * the whole file has been checked. Checkpoints are a few MB. */
static nn_status slurp(const char *path, unsigned char **data, size_t *size, nn_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return nn_fail(err, NN_ERR_IO, "cannot open checkpoint %s: %s; check the path, or "
                       "train first to create it", path, strerror(errno));
    /* fopen succeeds on a directory, and ftell then reports an absurd size:
     * ask what the path is before trusting its length. */
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        return nn_fail(err, NN_ERR_IO, "cannot read checkpoint %s: it is not a regular file; "
                       "pass the path of a saved checkpoint", path);
    }
    long len = (long)st.st_size;
    unsigned char *buf = nn_alloc((size_t)len, 1);
    if (!buf) {
        fclose(f);
        return nn_fail(err, NN_ERR_NOMEM, "%s: out of memory reading %ld bytes", path, len);
    }
    size_t got = fread(buf, 1, (size_t)len, f);
    int bad = ferror(f);
    fclose(f);
    if (bad || got != (size_t)len) {
        nn_free(buf);
        return nn_fail(err, NN_ERR_IO, "cannot read checkpoint %s: read %zu of %ld bytes",
                       path, got, len);
    }
    *data = buf;
    *size = (size_t)len;
    return NN_OK;
}

/* Checks a file's bytes against model m; NN_OK when they fit exactly.
 * The checks run from the cheapest and most telling (empty, not ours,
 * another version, truncated) to the most specific (sizes), so each message
 * names the first thing that is wrong. The checksum comes right after the
 * header: once it matches, every later field is what nn_model_save wrote,
 * and a mismatch in layers means the user picked the wrong model, not that
 * the disk flipped a bit. Layer kinds and widths must match; each layer's
 * arg (slope, dropout p, momentum) is stored but not compared: it changes no
 * block's size, and resuming with another dropout rate is fine. */
static nn_status validate(const nn_model *m, const char *path, const unsigned char *d,
                          size_t size, nn_error *err)
{
    if (size == 0)
        return nn_fail(err, NN_ERR_FORMAT, "checkpoint %s is empty (0 bytes), perhaps from an "
                       "interrupted save; delete it and train or save again", path);
    /* A file that starts like one but stops inside the magic is truncated,
     * not foreign. */
    if (memcmp(d, MAGIC, size < sizeof MAGIC ? size : sizeof MAGIC) != 0)
        return nn_fail(err, NN_ERR_FORMAT, "%s is not a gansteps checkpoint (it does not "
                       "start with \"GANSTEPS\"); pass a file written by nn_model_save", path);
    if (size < PREFIX_BYTES)
        return nn_fail(err, NN_ERR_FORMAT, "checkpoint %s is truncated: %zu bytes, shorter "
                       "than its %u-byte header; save it again", path, size, HEADER_BYTES);
    uint32_t head[2];
    memcpy(head, d + 8, sizeof head);
    if (head[1] != NN_CKPT_BOM)
        return nn_fail(err, NN_ERR_FORMAT, "checkpoint %s was written on a machine of another "
                       "byte order; save it again on this kind of machine", path);
    if (head[0] != NN_CKPT_VERSION)
        return nn_fail(err, NN_ERR_FORMAT, "checkpoint %s has format version %u; this program "
                       "reads version %u: save it again with this version", path,
                       (unsigned)head[0], NN_CKPT_VERSION);
    if (size < HEADER_BYTES)
        return nn_fail(err, NN_ERR_FORMAT, "checkpoint %s is truncated: %zu bytes, shorter "
                       "than its %u-byte header; save it again", path, size, HEADER_BYTES);
    uint64_t file_bytes;
    memcpy(&file_bytes, d + PREFIX_BYTES, sizeof file_bytes);
    if (size < file_bytes)
        return nn_fail(err, NN_ERR_FORMAT, "checkpoint %s is truncated: %zu bytes where its "
                       "header announces %llu, perhaps from an interrupted copy; copy it again, "
                       "or delete it and train again", path, size,
                       (unsigned long long)file_bytes);
    if (size > file_bytes)
        return nn_fail(err, NN_ERR_FORMAT, "checkpoint %s has %zu bytes after its end (%llu "
                       "announced by its header): it is corrupt or not a checkpoint; delete it "
                       "and train again", path, size - (size_t)file_bytes,
                       (unsigned long long)file_bytes);
    /* size >= HEADER_BYTES > CRC_BYTES: the checksum's place exists. */
    uint32_t stored, found = crc_update((uint32_t)crc32(0L, Z_NULL, 0), d, size - CRC_BYTES);
    memcpy(&stored, d + size - CRC_BYTES, sizeof stored);
    if (stored != found)
        return nn_fail(err, NN_ERR_FORMAT, "checkpoint %s is corrupted: checksum mismatch "
                       "(expected CRC-32 0x%08x, as recorded in the file; found 0x%08x in its "
                       "contents), so its bytes changed after it was saved; delete it and "
                       "train again", path, (unsigned)stored, (unsigned)found);

    /* From here on the bytes are the ones nn_model_save wrote; what can still
     * fail is the model they are loaded into, or a file crafted by hand. */
    uint32_t n_layers;
    memcpy(&n_layers, d + PREFIX_BYTES + 8, sizeof n_layers);
    /* Compare the architecture before anything larger: a model of another
     * shape is the common mistake and deserves the clearest message. */
    size_t need = HEADER_BYTES + (size_t)n_layers * LAYER_BYTES + COUNTS_BYTES + CRC_BYTES;
    if (n_layers > 1000000u || size < need)
        return nn_fail(err, NN_ERR_FORMAT, "checkpoint %s is corrupt: its header announces %u "
                       "layers but the file has only %zu bytes; delete it and train again",
                       path, (unsigned)n_layers, size);
    const unsigned char *p = d + HEADER_BYTES;
    /* Layer records are compared one by one; the widths of both models are
     * described afterwards in the form users give them (784-300-1). */
    int file_in = 0, mismatch = (int)n_layers != m->n_layers, bad_layer = -1;
    int32_t bad_image[6] = {0};
    uint32_t *kinds = nn_alloc(n_layers + 1u, sizeof *kinds);
    int *outs = nn_alloc(n_layers + 1u, sizeof *outs);
    uint32_t *mkinds = nn_alloc((size_t)m->n_layers, sizeof *mkinds);
    int *mouts = nn_alloc((size_t)m->n_layers, sizeof *mouts);
    if (!kinds || !outs || !mkinds || !mouts) {
        nn_free(kinds); nn_free(outs); nn_free(mkinds); nn_free(mouts);
        return nn_fail(err, NN_ERR_NOMEM, "%s: out of memory checking %u layers", path,
                       (unsigned)n_layers);
    }
    for (uint32_t i = 0; i < n_layers; i++, p += LAYER_BYTES) {
        int32_t shape[2], image[6];
        memcpy(&kinds[i], p, 4);
        memcpy(shape, p + 4, 8);
        memcpy(image, p + 16, sizeof image);
        outs[i] = shape[1];
        if (i == 0) file_in = shape[0];
        if (mismatch) continue;
        const nn_layer_spec *ms = &m->layers[i].spec;
        const int32_t mimage[6] = {ms->kernel, ms->stride, ms->pad, ms->c, ms->h, ms->w};
        if (kinds[i] != (uint32_t)ms->kind || shape[0] != m->layers[i].in ||
            shape[1] != m->layers[i].out || memcmp(image, mimage, sizeof image) != 0) {
            mismatch = 1;
            bad_layer = (int)i;
            memcpy(bad_image, image, sizeof image);
        }
    }
    nn_status st = NN_OK;
    if (mismatch) {
        char was[256], is[256];
        for (int i = 0; i < m->n_layers; i++) {
            mkinds[i] = (uint32_t)m->layers[i].spec.kind;
            mouts[i] = m->layers[i].out;
        }
        describe_widths(was, sizeof was, file_in, (int)n_layers, outs, kinds);
        describe_widths(is, sizeof is, m->in, m->n_layers, mouts, mkinds);
        const nn_layer *bl = bad_layer >= 0 ? &m->layers[bad_layer] : NULL;
        if (strcmp(was, is) != 0)
            st = nn_fail(err, NN_ERR_SHAPE, "checkpoint %s was saved from a model with %s "
                         "layers; this model is %s: use the same --arch as when it was saved",
                         path, was, is);
        else if (bl && kinds[bad_layer] == (uint32_t)bl->spec.kind)
            /* Same kind, other sizes: a convolution's channels, kernel,
             * stride or padding, or a reshape's image. */
            st = nn_fail(err, NN_ERR_SHAPE, "checkpoint %s has a %s layer at position %d of "
                         "%d -> %d features (kernel %d, stride %d, pad %d, image %dx%dx%d) where "
                         "this model's is %d -> %d (kernel %d, stride %d, pad %d, image "
                         "%dx%dx%d): use the same --arch as when it was saved", path,
                         nn_layer_kind_name(bl->spec.kind), bad_layer,
                         bad_layer == 0 ? file_in : outs[bad_layer - 1], outs[bad_layer],
                         bad_image[0], bad_image[1], bad_image[2], bad_image[3], bad_image[4],
                         bad_image[5], bl->in, bl->out, bl->spec.kernel, bl->spec.stride,
                         bl->spec.pad, bl->spec.c, bl->spec.h, bl->spec.w);
        else if (bad_layer >= 0)
            st = nn_fail(err, NN_ERR_SHAPE, "checkpoint %s has a %s layer at position %d where "
                         "this model has %s (widths %s in both): use the same --arch as when "
                         "it was saved", path, nn_layer_kind_name((nn_layer_kind)kinds[bad_layer]),
                         bad_layer, nn_layer_kind_name(m->layers[bad_layer].spec.kind), is);
        else
            st = nn_fail(err, NN_ERR_SHAPE, "checkpoint %s has %u layers; this model has %d "
                         "(widths %s): use the same --arch as when it was saved", path,
                         (unsigned)n_layers, m->n_layers, is);
    }
    nn_free(kinds); nn_free(outs); nn_free(mkinds); nn_free(mouts);
    if (st != NN_OK) return st;

    /* Same layers imply the same counts and the same size: nn_model_save
     * cannot write a file that differs here. */
    uint64_t counts[2];
    memcpy(counts, p, sizeof counts);
    if (counts[0] != m->n_params || counts[1] != m->n_buffers)
        return nn_fail(err, NN_ERR_FORMAT, "checkpoint %s is corrupt: it holds %llu parameters "
                       "and %llu buffers where its layers need %zu and %zu; delete it and "
                       "train again", path, (unsigned long long)counts[0],
                       (unsigned long long)counts[1], m->n_params, m->n_buffers);
    size_t want = ckpt_size((size_t)n_layers, m->n_params, m->n_buffers);
    if (size != want)
        return nn_fail(err, NN_ERR_FORMAT, "checkpoint %s is corrupt: %zu bytes where its "
                       "layers need %zu; delete it and train again", path, size, want);
    return NN_OK;
}

nn_status nn_model_load(nn_model *m, const char *path, nn_error *err)
{
    unsigned char *d = NULL;
    size_t size = 0;
    nn_status st = slurp(path, &d, &size, err);
    if (st != NN_OK) return st;
    st = validate(m, path, d, size, err);
    if (st == NN_OK) {
        /* Only now, with the checksum and every size checked, is the model
         * written. */
        const unsigned char *p = d + HEADER_BYTES + (size_t)m->n_layers * LAYER_BYTES +
                                 COUNTS_BYTES;
        size_t pb = m->n_params * sizeof(float), bb = m->n_buffers * sizeof(float);
        int64_t t;
        memcpy(m->params, p, pb);       p += pb;
        if (bb) memcpy(m->buffers, p, bb);
        p += bb;
        memcpy(m->adam_m, p, pb);       p += pb;
        memcpy(m->adam_v, p, pb);       p += pb;
        memcpy(&t, p, sizeof t);
        m->adam_t = (long)t;
    }
    nn_free(d);
    return st;
}
