/* embed.c - turns text files into a C array at build time (no xxd needed).
 *
 * Usage: embed [-m] SYMBOL OUT.c FILE...
 *   Writes OUT.c defining `const char SYMBOL[]`: the bytes of the FILEs one
 *   after another, NUL-terminated. With -m each file is preceded by a line
 *   "==> path <==" (as head(1) prints), so several files can be told apart.
 * The array is written as numbers, not a string literal, because C only
 * promises string literals of 4095 characters and a lesson is longer.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Writes one byte as an array element, 16 to a line. */
static void put_byte(FILE *out, unsigned char c, long *count)
{
    fprintf(out, "%d,%s", (int)c, (++*count % 16 == 0) ? "\n" : "");
}

int main(int argc, char **argv)
{
    int mark = 0, a = 1;
    if (a < argc && strcmp(argv[a], "-m") == 0) {
        mark = 1;
        a++;
    }
    if (argc - a < 3) {
        fprintf(stderr, "usage: embed [-m] SYMBOL OUT.c FILE...\n");
        return 2;
    }
    const char *sym = argv[a], *outpath = argv[a + 1];
    FILE *out = fopen(outpath, "w");
    if (!out) {
        fprintf(stderr, "embed: cannot write %s: %s\n", outpath, strerror(errno));
        return 1;
    }
    fprintf(out, "/* Generated at build time by tools/embed: do not edit. */\n");
    fprintf(out, "const char %s[] = {\n", sym);
    long count = 0;
    for (int i = a + 2; i < argc; i++) {
        FILE *in = fopen(argv[i], "rb");
        if (!in) {
            fprintf(stderr, "embed: cannot read %s: %s\n", argv[i], strerror(errno));
            fclose(out);
            remove(outpath); /* a half-written file must not look up to date */
            return 1;
        }
        if (mark) {
            char head[1100];
            snprintf(head, sizeof head, "==> %s <==\n", argv[i]);
            for (const char *p = head; *p; p++)
                put_byte(out, (unsigned char)*p, &count);
        }
        int c;
        while ((c = fgetc(in)) != EOF)
            put_byte(out, (unsigned char)c, &count);
        fclose(in);
    }
    fprintf(out, "0\n};\n");
    if (fclose(out) != 0) {
        fprintf(stderr, "embed: cannot write %s: %s\n", outpath, strerror(errno));
        remove(outpath);
        return 1;
    }
    return 0;
}
