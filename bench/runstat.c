/* runstat.c - runs a command and reports its wall time and peak memory.
 *
 * Usage: runstat NAME command [args...]
 * Prints "NAME wall_s=W peak_rss_mb=M" once the command has finished, and
 * exits with the command's status. The command's own output goes to
 * /dev/null unless RUNSTAT_LOG names a file for it. wait4 hands back the
 * child's resource usage, so no GNU time is needed.
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: runstat NAME command [args...]\n");
        return 2;
    }
    const char *log = getenv("RUNSTAT_LOG");
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "runstat: fork failed: %s\n", strerror(errno));
        return 1;
    }
    if (pid == 0) {
        int fd = open(log ? log : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            dup2(fd, STDOUT_FILENO);
            dup2(fd, STDERR_FILENO);
            close(fd);
        }
        /* No terminal on stdin: lessons then run straight through. */
        int null_in = open("/dev/null", O_RDONLY);
        if (null_in >= 0) dup2(null_in, STDIN_FILENO);
        execvp(argv[2], argv + 2);
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0) {
        fprintf(stderr, "runstat: wait4 failed: %s\n", strerror(errno));
        return 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double wall = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    printf("%s wall_s=%.2f peak_rss_mb=%.1f%s\n", argv[1], wall, (double)ru.ru_maxrss / 1024.0,
           code ? " (failed: see its log)" : "");
    return code;
}
