/* c_keywords.h - the words C code cells colour as keywords, in the terminal
 * (lesson_cells.c) and on the book's pages (book_text.c) alike. */
#ifndef C_KEYWORDS_H
#define C_KEYWORDS_H

#include <stddef.h>

/* 1 when the n characters at w are one of C's keywords or the standard
 * type names the lessons' code uses (size_t, uint8_t, FILE, NULL...). */
int c_is_keyword(const char *w, size_t n);

#endif
