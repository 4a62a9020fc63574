/* c_keywords.c - the one list of words a C cell colours as keywords. */
#include "c_keywords.h"

#include <string.h>

int c_is_keyword(const char *w, size_t n)
{
    static const char *const kw[] = {
        "int", "float", "double", "char", "void", "const", "static", "struct", "typedef",
        "unsigned", "long", "short", "size_t", "uint64_t", "uint32_t", "uint8_t", "int64_t",
        "return", "if", "else", "for", "while", "do", "break", "continue", "sizeof", "enum",
        "switch", "case", "default", "NULL", "FILE", "goto"};
    for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
        if (strlen(kw[i]) == n && !strncmp(kw[i], w, n))
            return 1;
    return 0;
}
