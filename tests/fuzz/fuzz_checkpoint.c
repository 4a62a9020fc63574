/* fuzz_checkpoint.c - libFuzzer target for the checkpoint reader (make fuzz).
 *
 * Each input is written to one scratch file and loaded into a fixed tiny
 * model that has every kind of saved state (linear weights, batchnorm
 * parameters and running statistics, Adam's moments and step). It is loaded
 * twice: as it is, and with its size field and CRC-32 recomputed. Without
 * the second pass nearly every mutation would stop at the checksum, and the
 * checks behind it (layer records, counts, sizes) would never see a damaged
 * field.
 *
 * What must hold for every input: a failed load leaves the model exactly as
 * it was and gives a message naming the file; a successful one leaves in the
 * model exactly the bytes of the file.
 *
 * Built with -DFUZZ_CHECKPOINT_WRITE_SEEDS instead of libFuzzer, the file is
 * the program that writes the seeds (make fuzz-seeds): a checkpoint of the
 * tiny model and one of another architecture, both of this format version.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "nn/model.h"

/* Two inputs, so MBSTD has a batch to take a deviation over; dropout and
 * leaky ReLU carry an arg; the batchnorm brings buffers. */
#define TINY_IN 2
static const nn_layer_spec TINY[] = {
    {.kind = NN_LAYER_LINEAR, .out = 3},
    {.kind = NN_LAYER_BATCHNORM},
    {.kind = NN_LAYER_LEAKY_RELU, .arg = 0.2f},
    {.kind = NN_LAYER_DROPOUT, .arg = 0.5f},
    {.kind = NN_LAYER_MBSTD},
    {.kind = NN_LAYER_LINEAR, .out = 1},
    {.kind = NN_LAYER_SIGMOID},
};
#define TINY_N ((int)(sizeof TINY / sizeof TINY[0]))

/* The byte offsets of lib/nn/checkpoint.c's layout that the checks below need:
 * the size field, the end of the fixed header and of each layer record. */
#define SIZE_FIELD 16u
#define HEADER_BYTES 28u
#define LAYER_BYTES 40u
#define COUNTS_BYTES 16u

/* A few Adam steps on one batch, so that no saved block is all zeros. */
static void train_a_little(nn_model *m, uint64_t seed)
{
    nn_rng r;
    nn_rng_seed(&r, seed, 0);
    nn_model_init(m, &r, NN_INIT_HE_NORMAL);
    float x[4 * 16], dy[4 * 16];
    nn_rng_fill_normal(&r, x, (size_t)(4 * m->in), 0.0f, 1.0f);
    nn_adam opt = nn_adam_gan_defaults();
    for (int s = 0; s < 3; s++) {
        const float *y = nn_model_forward(m, x, 4, 1);
        for (int i = 0; i < 4 * m->out; i++) dy[i] = y[i] - 0.5f;
        nn_model_zero_grad(m);
        nn_model_backward(m, NULL, dy, 4, 1);
        nn_model_adam_step(m, &opt);
    }
}

#ifndef FUZZ_CHECKPOINT_WRITE_SEEDS

static char scratch[64];
static nn_model *model;  /* what each input is loaded into */
static nn_model *before; /* the state every load starts from */

/* Everything a load may write. */
static void copy_state(nn_model *dst, const nn_model *src)
{
    memcpy(dst->params, src->params, src->n_params * sizeof(float));
    memcpy(dst->adam_m, src->adam_m, src->n_params * sizeof(float));
    memcpy(dst->adam_v, src->adam_v, src->n_params * sizeof(float));
    if (src->n_buffers) memcpy(dst->buffers, src->buffers, src->n_buffers * sizeof(float));
    dst->adam_t = src->adam_t;
}

static int same_state(const nn_model *a, const nn_model *b)
{
    size_t pb = a->n_params * sizeof(float);
    return memcmp(a->params, b->params, pb) == 0 && memcmp(a->adam_m, b->adam_m, pb) == 0 &&
           memcmp(a->adam_v, b->adam_v, pb) == 0 &&
           memcmp(a->buffers, b->buffers, a->n_buffers * sizeof(float)) == 0 &&
           a->adam_t == b->adam_t;
}

/* The models and the scratch file go when the fuzzer exits normally, so
 * LeakSanitizer sees nothing left. */
static void at_exit(void)
{
    remove(scratch);
    nn_model_free(model);
    nn_model_free(before);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(scratch, sizeof scratch, "%s/fuzz_checkpoint.%ld", dir, (long)getpid());
    model = nn_model_create(TINY_IN, TINY, TINY_N, 4, NULL);
    before = nn_model_create(TINY_IN, TINY, TINY_N, 4, NULL);
    if (!model || !before) abort();
    train_a_little(before, 7);
    atexit(at_exit);
    return 0;
}

static void check_one(const uint8_t *buf, size_t len)
{
    FILE *f = fopen(scratch, "wb");
    if (!f) return;
    if (len) fwrite(buf, 1, len, f);
    fclose(f);

    copy_state(model, before);
    nn_error err = {NN_OK, ""};
    nn_status s = nn_model_load(model, scratch, &err);
    if (s != NN_OK) {
        if (!same_state(model, before) || !strstr(err.msg, scratch)) abort();
        return;
    }
    /* Loaded: the model holds the file's blocks, in the file's order. */
    size_t off = HEADER_BYTES + (size_t)model->n_layers * LAYER_BYTES + COUNTS_BYTES;
    size_t pb = model->n_params * sizeof(float), bb = model->n_buffers * sizeof(float);
    if (off + 3 * pb + bb + sizeof(int64_t) > len) abort();
    if (memcmp(model->params, buf + off, pb) != 0) abort();
    off += pb;
    if (memcmp(model->buffers, buf + off, bb) != 0) abort();
    off += bb;
    if (memcmp(model->adam_m, buf + off, pb) != 0) abort();
    off += pb;
    if (memcmp(model->adam_v, buf + off, pb) != 0) abort();
    off += pb;
    int64_t t;
    memcpy(&t, buf + off, sizeof t);
    if ((int64_t)model->adam_t != t) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len)
{
    check_one(buf, len);
    if (len < HEADER_BYTES) return 0;
    uint8_t *fixed = malloc(len);
    if (!fixed) return 0;
    memcpy(fixed, buf, len);
    uint64_t size = len;
    memcpy(fixed + SIZE_FIELD, &size, sizeof size);
    uint32_t crc = (uint32_t)crc32(crc32(0L, Z_NULL, 0), fixed, (uInt)(len - 4));
    memcpy(fixed + len - 4, &crc, sizeof crc);
    check_one(fixed, len);
    free(fixed);
    return 0;
}

#else /* FUZZ_CHECKPOINT_WRITE_SEEDS */

static int save(const char *dir, const char *name, int in, const nn_layer_spec *specs, int n)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    nn_error err = {NN_OK, ""};
    nn_model *m = nn_model_create(in, specs, n, 4, &err);
    if (!m) {
        fprintf(stderr, "%s: %s\n", path, err.msg);
        return 1;
    }
    train_a_little(m, 1);
    nn_status s = nn_model_save(m, path, &err);
    nn_model_free(m);
    if (s != NN_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    printf("wrote %s\n", path);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s SEED_FOLDER\n", argv[0]);
        return 2;
    }
    /* Another architecture reaches the messages about a model of the wrong
     * shape, which the tiny model's own checkpoint never does. */
    static const nn_layer_spec other[] = {
        {.kind = NN_LAYER_LINEAR, .out = 4},
        {.kind = NN_LAYER_RELU},
        {.kind = NN_LAYER_LINEAR, .out = 1},
    };
    return save(argv[1], "tiny.ckpt", TINY_IN, TINY, TINY_N) |
           save(argv[1], "other-arch.ckpt", 3, other, 3);
}

#endif
