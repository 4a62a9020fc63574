/* envprobe.c - lesson 01's questions to dpkg, /proc/cpuinfo and the embedded
 * project files (see envprobe.h). */
#include "envprobe.h"

#include <stdio.h>
#include <string.h>

const char *envprobe_project_file(const char *path, size_t *len)
{
    char head[128];
    snprintf(head, sizeof head, "==> %s <==\n", path);
    const char *p = strstr(lesson_project_files, head);
    if (!p)
        return NULL;
    p += strlen(head);
    const char *end = strstr(p, "\n==> ");
    *len = end ? (size_t)(end - p) + 1 : strlen(p);
    return p;
}

void envprobe_header_summary(const char *body, char *buf, size_t cap)
{
    const char *p = strstr(body, " - ");
    size_t n = 0;
    if (!p || p > body + strcspn(body, "\n")) {
        snprintf(buf, cap, "?");
        return;
    }
    for (p += 3; *p && n + 1 < cap; p++) {
        if (*p == '.' && (p[1] == ' ' || p[1] == '\n'))
            break; /* end of the first sentence */
        if (*p == '*' && p[1] == '/')
            break;
        if (*p == '?') {
            buf[n++] = '?';
            break;
        }
        if (*p == '\n') {
            if (strspn(p + 1, " *") == strcspn(p + 1, "\n"))
                break; /* an empty comment line ends the paragraph */
            while (p[1] == ' ' || p[1] == '*')
                p++; /* the " * " that starts a comment line */
            buf[n++] = ' ';
            continue;
        }
        buf[n++] = *p;
    }
    while (n && buf[n - 1] == ' ')
        n--;
    buf[n] = '\0';
}

void envprobe_dpkg_version(const char *pkg, char *ver, size_t cap)
{
    char cmd[256];
    ver[0] = '\0';
    snprintf(cmd, sizeof cmd, "dpkg-query -W -f='${Status}|${Version}' %s 2>/dev/null", pkg);
    FILE *f = popen(cmd, "r");
    if (!f)
        return;
    char line[256] = "";
    if (fgets(line, sizeof line, f)) {
        char *bar = strchr(line, '|');
        if (bar && strstr(line, "install ok installed") == line) {
            snprintf(ver, cap, "%s", bar + 1);
            ver[strcspn(ver, "\n")] = '\0';
        }
    }
    pclose(f);
}

int envprobe_cpuinfo_field(const char *key, char *val, size_t cap)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[4096];
    int found = 0;
    val[0] = '\0';
    while (f && !found && fgets(line, sizeof line, f)) {
        if (strncmp(line, key, strlen(key)) != 0)
            continue;
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        colon++;
        while (*colon == ' ')
            colon++;
        snprintf(val, cap, "%s", colon);
        val[strcspn(val, "\n")] = '\0';
        found = 1;
    }
    if (f)
        fclose(f);
    return found;
}

int envprobe_has_flag(const char *flags, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = flags; (p = strstr(p, word)) != NULL; p += n)
        if ((p == flags || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return 1;
    return 0;
}
