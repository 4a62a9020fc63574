/* fuzz_idx.c - libFuzzer target for the IDX reader (make fuzz).
 *
 * Each input is written to one scratch file and read back as images (3
 * dimensions) and as labels (1 dimension): raw and gzip inputs both reach
 * every check in lib/data/idx.c. A successful read must hand back exactly the
 * bytes the header declares; a failed one must leave no data and a message.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "data/data.h"

static char scratch[64];

/* The scratch file goes when the fuzzer exits normally. */
static void remove_scratch(void)
{
    remove(scratch);
}

static void check_one(int expect_dims)
{
    uint8_t *data = NULL;
    int dims[3] = {0, 0, 0};
    nn_error err = {NN_OK, ""};
    nn_status s = nn_idx_read(scratch, expect_dims, &data, dims, &err);
    if (s == NN_OK) {
        size_t n = 1;
        for (int d = 0; d < expect_dims; d++) n *= (size_t)dims[d];
        /* Touch the first and last byte: ASan catches a short buffer. */
        volatile uint8_t sink = data[0] ^ data[n - 1];
        (void)sink;
        nn_free(data);
    } else if (data != NULL || err.msg[0] == '\0') {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len)
{
    if (!scratch[0]) {
        const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        snprintf(scratch, sizeof scratch, "%s/fuzz_idx.%ld", dir, (long)getpid());
        atexit(remove_scratch);
    }
    FILE *f = fopen(scratch, "wb");
    if (!f) return 0;
    if (len) fwrite(buf, 1, len, f);
    fclose(f);
    check_one(3);
    check_one(1);
    return 0;
}
