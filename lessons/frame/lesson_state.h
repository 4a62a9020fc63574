/* lesson_state.h - what the frame's own files share behind lesson.h: the
 * running lesson's private state, the terminal styles and the calls one part
 * of the frame makes into another. Lessons include lesson.h only.
 *
 * The parts, one file each:
 *   lesson.c           the lesson's lifetime: begin/end, steps, pauses, progress, failing
 *   lesson_flags.c     the flags: parsing, validation, --help, typo suggestions
 *   lesson_notebook.c  what goes into lesson.md and summary.tsv: text, outputs, keys, figures
 *   lesson_outputs.c   the output folder's life: checked first, made at the first write,
 *                      the notebook renamed into place at the end or kept apart when stopped
 *   lesson_text.c      the text on screen: colour, wrapping, lesson_say, lesson_print
 *   lesson_cells.c     the code cells: cut from the lesson's source, highlighted
 */
#ifndef GANSTEPS_LESSON_STATE_H
#define GANSTEPS_LESSON_STATE_H

#include <stdarg.h>
#include <stdio.h>
#include "lesson.h"

/* ANSI styles, used only when L->color. */
#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"
#define C_TITLE "\033[1;36m"

struct lesson_state {
    FILE *md, *tsv;         /* lesson.md and summary.tsv under their running names, opened
                             * at the first write (lesson_notebook_ready), NULL before */
    int argc;               /* the command line, for the notebook's "Run:" line */
    char **argv;
    int yours;              /* 1 on the student's code (USE=exercises) */
    int md_in_output;       /* a ``` output block is open in lesson.md */
    int md_bol;             /* lesson.md is at the beginning of a line */
    int nstep;              /* steps started so far */
    int after_output;       /* the last thing on stdout was output, not text */
    int width;              /* columns for wrapped text */
    FILE *cap;              /* lesson_capture stream, NULL when none */
    char *capbuf;
    size_t caplen;
    lesson_data_shape data[2]; /* the --data set's training and test splits */
    char name[64];          /* "01_environment", prefix of error lines */
    char out[1024];         /* the output folder */
    char path[2048];        /* lesson_path's buffer */
};

/* lesson.c: frees the lesson and its state (the files must be closed). */
void lesson_destroy(lesson *L);

/* lesson_flags.c */

/* Parses argv into L (fast, seed, pause) and the lesson's flags; --out's
 * value goes to *out; --help names default_out as the default folder. --help prints the usage and exits 0; a bad flag exits
 * 2 through lesson_flags_error. */
void lesson_flags_parse(lesson *L, int argc, char **argv, const lesson_flag *flags, int nflags,
                        const char *default_out, const char **out);

/* Exit before the lesson is set up (a bad flag, an --out that cannot be
 * written): "name: message (try --help)" on stderr, status 2. */
LESSON_NORETURN void lesson_flags_error(const char *name, const char *fmt, ...)
    LESSON_PRINTF(2, 3);

/* lesson_outputs.c */

/* Before anything is written: exits 2 through lesson_flags_error unless the
 * output folder L->out exists and is writable or can be created (nothing
 * is created here), and remembers the files' names for later. */
void lesson_outputs_check(lesson *L);

/* The first write of a run: creates the output folder, opens lesson.md and
 * summary.tsv under running names and writes their heads. Does nothing once
 * they are open. Every write to s->md or s->tsv comes after a call to it. */
void lesson_notebook_ready(lesson *L);

/* The end of a finished run: closes the notebook, renames it into place as
 * lesson.md and summary.tsv (replacing the last finished run's), removes a
 * stopped run's older notebook, and says where the files are. Whatever else
 * a finished run leaves (a web page of the notebook) belongs here too. */
void lesson_finish_outputs(lesson *L);

/* lesson_notebook.c */

/* lesson.md's lines under the title: the command that reproduces the run
 * and which code ran (the student's exercises or not); summary.tsv's "code". */
void lesson_notebook_describe_run(lesson *L);

/* lesson.md: closes an open output block before anything that is not output. */
void lesson_notebook_text_mode(lesson *L);

/* Output text: to stdout as is and into lesson.md's current ``` block. */
void lesson_notebook_output(lesson *L, const char *text);

/* Closes both files (and an unfinished capture); safe to call twice. */
void lesson_notebook_close(lesson *L);

/* book_formula.c: a lesson_say line made by LESSON_MATH is written as a
 * formula (returns 1); any other line is left to lesson_say (returns 0). */
int lesson_formula_line(lesson *L, const char *line, size_t len, int *in_verbatim);

/* lesson_book.c: the run's page and notebook (book.h), from its closed
 * lesson.md, and the book's index beside it; a failure is a note on
 * stderr, not the run's failure. */
void lesson_book_write(lesson *L);

/* lesson_text.c */

/* Sets L->tty, L->color and the width wrapped text fills. */
void lesson_text_setup(lesson *L);

/* One paragraph wrapped to the screen's width, on stdout only (the header
 * lesson_begin prints before the notebook exists). */
void lesson_text_wrap_screen(lesson *L, const char *text);

/* printf into a fresh heap string; NULL only when memory runs out. */
char *lesson_text_format(const char *fmt, va_list ap);

#endif
