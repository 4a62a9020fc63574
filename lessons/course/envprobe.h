/* envprobe.h - what lesson 01 asks of the machine it runs on and of the
 * project it was built from: the version dpkg has installed of a package, a
 * field of /proc/cpuinfo and its feature flags, and the files embedded at
 * build time (lib/'s headers and tools/deps.sh) with the first sentence of a
 * header's opening comment. Used by lesson 01.
 */
#ifndef GANSTEPS_ENVPROBE_H
#define GANSTEPS_ENVPROBE_H

#include <stddef.h>

/* Embedded at build time (Makefile, tools/embed -m): the headers in lib/ and
 * tools/deps.sh, each after a line "==> path <==". */
extern const char lesson_project_files[];

/* The text of one embedded file ("lib/nn.h"), or NULL; *len gets its size. */
const char *envprobe_project_file(const char *path, size_t *len);

/* The first sentence of a header's opening comment, after "name.h - ",
 * joined over its lines, into buf (cap bytes): what the module gives. "?"
 * when the comment does not start that way. */
void envprobe_header_summary(const char *body, char *buf, size_t cap);

/* Asks dpkg for a package's version, into ver (cap bytes); "" when it is not
 * installed (or dpkg cannot be asked). */
void envprobe_dpkg_version(const char *pkg, char *ver, size_t cap);

/* The value of "key : value" from /proc/cpuinfo's first processor, into val
 * (cap bytes). 1 when found; 0 and "" otherwise. */
int envprobe_cpuinfo_field(const char *key, char *val, size_t cap);

/* 1 when word is one of the space-separated flags (cpuinfo's "flags"). */
int envprobe_has_flag(const char *flags, const char *word);

#endif
