/* lesson_book.c - the end of a run, for the course book: its page
 * (index.html) and notebook (lesson.ipynb) from the lesson.md just closed,
 * and the book's index in the folder above (book.h). The run's own files are
 * already complete, so a book that cannot be written is a note, not a
 * failed run.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "lesson_state.h"
#include "book.h"

#include <limits.h>
#include <stdlib.h>

void lesson_book_write(lesson *L)
{
    char err[512];
    if (book_refresh_run(L->out, err, sizeof err) != 0) {
        fprintf(stderr, "%s: note: the course book's page of this run was not written: %s\n",
                L->st->name, err);
        return;
    }
    char abs[PATH_MAX];
    const char *shown = realpath(L->out, abs) ? abs : L->out;
    printf("%sPage of this run: file://%s/index.html%s\n", L->color ? C_DIM : "", shown,
           L->color ? C_RESET : "");
    fflush(stdout);
}
