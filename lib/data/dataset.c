/* dataset.c - whole labelled data sets: an MNIST-format split from a
 * directory (two IDX files that must agree), CIFAR-10 binary batches. */
#include "data/dataset.h"
#include "data/idx.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static const char *const fashion_names[10] = {
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
static const char *const digit_names[10] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
static const char *const cifar_names[10] = {"airplane", "automobile", "bird",  "cat",  "deer",
                                            "dog",      "frog",       "horse", "ship", "truck"};

void nn_dataset_free(nn_dataset *ds)
{
    if (!ds) return;
    nn_free(ds->pixels);
    nn_free(ds->labels);
    memset(ds, 0, sizeof *ds);
}

void nn_dataset_class_counts(const nn_dataset *ds, int *counts)
{
    for (int k = 0; k < ds->n_classes; k++) counts[k] = 0;
    for (int i = 0; i < ds->n; i++)
        if (ds->labels[i] < ds->n_classes) counts[ds->labels[i]]++;
}

static int contains_fashion(const char *s)
{
    static const char word[] = "fashion";
    for (; *s; s++) {
        size_t k = 0;
        while (word[k] && s[k] && tolower((unsigned char)s[k]) == word[k]) k++;
        if (!word[k]) return 1;
    }
    return 0;
}

/* dir/base.gz when it exists, else dir/base (raw), else the .gz name again so
 * the "no such file" message names the file most people have. */
static nn_status pick_file(char *out, size_t cap, const char *dir, const char *base,
                           nn_error *err)
{
    struct stat st;
    int len = snprintf(out, cap, "%s/%s.gz", dir, base);
    if (len < 0 || (size_t)len >= cap)
        return nn_fail(err, NN_ERR_ARG, "%s: directory name too long", dir);
    if (stat(out, &st) == 0) return NN_OK;
    snprintf(out, cap, "%s/%s", dir, base);
    if (stat(out, &st) == 0) return NN_OK;
    snprintf(out, cap, "%s/%s.gz", dir, base);
    return NN_OK;
}

/* Labels past the last class mean the file is not what it claims to be. */
static nn_status check_labels(const uint8_t *labels, int n, const char *path, nn_error *err)
{
    for (int i = 0; i < n; i++)
        if (labels[i] > 9)
            return nn_fail(err, NN_ERR_FORMAT, "%s: label %d at index %d; labels must be 0..9",
                           path, labels[i], i);
    return NN_OK;
}

nn_status nn_dataset_load_mnist(nn_dataset *ds, const char *dir, nn_split split, nn_error *err)
{
    memset(ds, 0, sizeof *ds);
    int is_default = dir == NULL;
    if (!dir) dir = NN_FASHION_MNIST_DIR;

    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        if (is_default || strcmp(dir, NN_FASHION_MNIST_DIR) == 0)
            return nn_fail(err, NN_ERR_IO,
                           "%s: no such directory: the Fashion-MNIST data set is not installed; "
                           "run `make deps` (it installs the Debian package "
                           "dataset-fashion-mnist) or pass --data DIR",
                           dir);
        return nn_fail(err, NN_ERR_IO, "%s: %s", dir,
                       stat(dir, &st) != 0 ? (errno == ENOENT ? "no such directory"
                                                              : strerror(errno))
                                           : "not a directory");
    }

    const char *prefix = split == NN_SPLIT_TRAIN ? "train" : "t10k";
    char base[64], ipath[4096], lpath[4096];
    snprintf(base, sizeof base, "%s-images-idx3-ubyte", prefix);
    nn_status s = pick_file(ipath, sizeof ipath, dir, base, err);
    if (s != NN_OK) return s;
    snprintf(base, sizeof base, "%s-labels-idx1-ubyte", prefix);
    s = pick_file(lpath, sizeof lpath, dir, base, err);
    if (s != NN_OK) return s;

    uint8_t *pixels = NULL, *labels = NULL;
    int idims[3] = {0, 0, 0}, ldims[3] = {0, 0, 0};
    s = nn_idx_read(ipath, 3, &pixels, idims, err);
    if (s != NN_OK) return s;
    s = nn_idx_read(lpath, 1, &labels, ldims, err);
    if (s == NN_OK && idims[0] != ldims[0])
        s = nn_fail(err, NN_ERR_FORMAT,
                    "%s: %d labels, but %s holds %d images; the two files must come from "
                    "the same data set",
                    lpath, ldims[0], ipath, idims[0]);
    if (s == NN_OK) s = check_labels(labels, ldims[0], lpath, err);
    if (s != NN_OK) {
        nn_free(pixels);
        nn_free(labels);
        return s;
    }
    ds->pixels = pixels;
    ds->labels = labels;
    ds->n = idims[0];
    ds->c = 1;
    ds->h = idims[1];
    ds->w = idims[2];
    ds->n_classes = 10;
    ds->class_names = contains_fashion(dir) ? fashion_names : digit_names;
    return NN_OK;
}

/* ------------------------------------------------------------------ CIFAR-10 */

#define CIFAR_PIXELS 3072
#define CIFAR_RECORD (1 + CIFAR_PIXELS)

/* Records in one file, checked: exists, non-empty, whole records. */
static nn_status cifar_count(const char *path, int64_t *records, nn_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return nn_fail(err, NN_ERR_IO, "%s: %s", path,
                       errno == ENOENT ? "no such file" : strerror(errno));
    if (!S_ISREG(st.st_mode)) return nn_fail(err, NN_ERR_IO, "%s: not a regular file", path);
    if (st.st_size == 0) return nn_fail(err, NN_ERR_IO, "%s: empty file (0 bytes)", path);
    if ((uint64_t)st.st_size > NN_DATA_MAX_BYTES)
        return nn_fail(err, NN_ERR_FORMAT, "%s: %lld bytes, more than the 1 GiB limit", path,
                       (long long)st.st_size);
    if (st.st_size % CIFAR_RECORD != 0)
        return nn_fail(err, NN_ERR_FORMAT,
                       "%s: %lld bytes is not a whole number of 3073-byte CIFAR-10 records "
                       "(truncated or not a CIFAR-10 binary batch)",
                       path, (long long)st.st_size);
    *records = st.st_size / CIFAR_RECORD;
    return NN_OK;
}

nn_status nn_dataset_load_cifar_files(nn_dataset *ds, const char *const *paths, int n_paths,
                                      nn_error *err)
{
    memset(ds, 0, sizeof *ds);
    if (n_paths < 1) return nn_fail(err, NN_ERR_ARG, "CIFAR-10: no files given");
    /* Sizes of every file first: nothing is allocated until all are sane. */
    int64_t total = 0;
    for (int f = 0; f < n_paths; f++) {
        int64_t r = 0;
        nn_status s = cifar_count(paths[f], &r, err);
        if (s != NN_OK) return s;
        total += r;
        if ((uint64_t)total * CIFAR_RECORD > NN_DATA_MAX_BYTES)
            return nn_fail(err, NN_ERR_FORMAT, "%s: the files together exceed the 1 GiB limit",
                           paths[f]);
    }
    uint8_t *pixels = nn_alloc((size_t)total, CIFAR_PIXELS);
    uint8_t *labels = nn_alloc((size_t)total, 1);
    uint8_t *rec = nn_alloc(CIFAR_RECORD, 1);
    if (!pixels || !labels || !rec) {
        nn_free(pixels);
        nn_free(labels);
        nn_free(rec);
        return nn_fail(err, NN_ERR_NOMEM, "CIFAR-10: out of memory for %lld images",
                       (long long)total);
    }
    nn_status s = NN_OK;
    int64_t i = 0;
    for (int f = 0; f < n_paths && s == NN_OK; f++) {
        FILE *fp = fopen(paths[f], "rb");
        if (!fp) {
            s = nn_fail(err, NN_ERR_IO, "%s: cannot open: %s", paths[f], strerror(errno));
            break;
        }
        /* Read record by record up to the count stat gave: a file that shrank
         * in between is caught as a short read. */
        int64_t r0 = i;
        while (s == NN_OK && i < total) {
            size_t got = fread(rec, 1, CIFAR_RECORD, fp);
            if (got == 0 && feof(fp)) break;
            if (got != CIFAR_RECORD)
                s = nn_fail(err, NN_ERR_FORMAT, "%s: truncated record %lld", paths[f],
                            (long long)(i - r0));
            else if (rec[0] > 9)
                s = nn_fail(err, NN_ERR_FORMAT,
                            "%s: label %d in record %lld; CIFAR-10 labels are 0..9 "
                            "(not a CIFAR-10 binary batch?)",
                            paths[f], rec[0], (long long)(i - r0));
            else {
                labels[i] = rec[0];
                memcpy(pixels + (size_t)i * CIFAR_PIXELS, rec + 1, CIFAR_PIXELS);
                i++;
            }
        }
        fclose(fp);
    }
    if (s == NN_OK && i != total)
        s = nn_fail(err, NN_ERR_FORMAT, "%s: the files changed while being read",
                    paths[n_paths - 1]);
    nn_free(rec);
    if (s != NN_OK) {
        nn_free(pixels);
        nn_free(labels);
        return s;
    }
    ds->pixels = pixels;
    ds->labels = labels;
    ds->n = (int)total;
    ds->c = 3;
    ds->h = 32;
    ds->w = 32;
    ds->n_classes = 10;
    ds->class_names = cifar_names;
    return NN_OK;
}

nn_status nn_dataset_load_cifar(nn_dataset *ds, const char *dir, nn_split split, nn_error *err)
{
    char buf[5][4096];
    const char *paths[5];
    int n = split == NN_SPLIT_TRAIN ? 5 : 1;
    for (int f = 0; f < n; f++) {
        int len = split == NN_SPLIT_TRAIN
                      ? snprintf(buf[f], sizeof buf[f], "%s/data_batch_%d.bin", dir, f + 1)
                      : snprintf(buf[f], sizeof buf[f], "%s/test_batch.bin", dir);
        if (len < 0 || (size_t)len >= sizeof buf[f]) {
            memset(ds, 0, sizeof *ds);
            return nn_fail(err, NN_ERR_ARG, "%s: directory name too long", dir);
        }
        paths[f] = buf[f];
    }
    return nn_dataset_load_cifar_files(ds, paths, n, err);
}
