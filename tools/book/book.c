/* book.c - make book: the course book from the runs under a folder
 * (default plots/): each run's index.html and lesson.ipynb, the course's
 * index.html, the stylesheet and KaTeX (lessons/frame/book.h). Prints the
 * address to open.
 *
 * Usage: book [PLOTS_DIR]     exit 0 done, 2 not a folder of runs, 1 a
 *                             file that cannot be written
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "book.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
        fprintf(stderr, "usage: book [PLOTS_DIR]   (default plots)\n");
        return 2;
    }
    const char *dir = argc == 2 ? argv[1] : "plots";
    char err[512];
    int pages = 0;
    if (book_build(dir, &pages, err, sizeof err) != 0) {
        fprintf(stderr, "book: %s\n", err);
        return strstr(err, "not a folder") ? 2 : 1;
    }
    char abs[PATH_MAX];
    printf("The course book: %d run page%s. Open file://%s/index.html\n", pages,
           pages == 1 ? "" : "s", realpath(dir, abs) ? abs : dir);
    return 0;
}
