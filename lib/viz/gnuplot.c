/* gnuplot.c - finding and running gnuplot without a shell (plot.h).
 *
 * The child changes into the figure's folder and runs `gnuplot NAME.gp`, so
 * the only file name on its command line is a bare name checked by plot.c:
 * nothing a user typed is ever parsed by a shell.
 */
#include "viz/gnuplot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int nn_plot_have_gnuplot(void)
{
    const char *path = getenv("PATH");
    if (!path || !*path) return 0;
    char dir[4096];
    while (*path) {
        size_t len = strcspn(path, ":");
        /* An empty PATH entry means the current folder. */
        int k = snprintf(dir, sizeof dir, "%.*s/gnuplot", len ? (int)len : 1,
                         len ? path : ".");
        struct stat st;
        if (k > 0 && (size_t)k < sizeof dir && stat(dir, &st) == 0 && S_ISREG(st.st_mode) &&
            access(dir, X_OK) == 0)
            return 1;
        path += len;
        if (*path == ':') path++;
    }
    return 0;
}

int nn_gnuplot_run(const char *dir, const char *script, int dumb, FILE *sink, char *msg,
                   size_t msg_cap)
{
    if (msg_cap) msg[0] = '\0';
    int fds[2];
    if (pipe(fds) != 0) {
        snprintf(msg, msg_cap, "cannot run gnuplot: pipe: %s", strerror(errno));
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        snprintf(msg, msg_cap, "cannot run gnuplot: fork: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        /* Child: only async-signal-safe calls until exec. Standard output
         * goes to the pipe (the dumb plot); standard error too for the PNG
         * run, so its complaint can become the warning; /dev/null otherwise. */
        close(fds[0]);
        int devnull = open("/dev/null", O_RDWR);
        if (devnull >= 0) dup2(devnull, 0);
        dup2(fds[1], 1);
        if (dumb && devnull >= 0)
            dup2(devnull, 2);
        else
            dup2(fds[1], 2);
        if (chdir(dir) != 0) _exit(126);
        char *argv_png[] = {"gnuplot", (char *)script, NULL};
        char *argv_dumb[] = {"gnuplot", "-e", "nn_dumb=1", (char *)script, NULL};
        execvp("gnuplot", dumb ? argv_dumb : argv_png);
        _exit(127);
    }
    close(fds[1]);
    /* Read everything the child writes (or the child could block on a full
     * pipe): the dumb plot goes to sink, the PNG run's messages to msg. */
    size_t kept = 0;
    char buf[4096];
    for (;;) {
        ssize_t r = read(fds[0], buf, sizeof buf);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        /* gnuplot starts each dumb page with a form feed: drop it, it
         * would show as a stray character in a notebook. */
        if (dumb && sink)
            for (ssize_t i = 0; i < r; i++)
                if (buf[i] != '\f') fputc(buf[i], sink);
        if (!dumb && msg_cap > 1 && kept < msg_cap - 1) {
            size_t take = (size_t)r < msg_cap - 1 - kept ? (size_t)r : msg_cap - 1 - kept;
            memcpy(msg + kept, buf, take);
            kept += take;
            msg[kept] = '\0';
        }
    }
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            snprintf(msg, msg_cap, "cannot run gnuplot: waitpid: %s", strerror(errno));
            return -1;
        }
    if (!WIFEXITED(status)) {
        snprintf(msg, msg_cap, "gnuplot was killed by signal %d",
                 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
        return -1;
    }
    int code = WEXITSTATUS(status);
    if (code == 126) snprintf(msg, msg_cap, "cannot enter the folder %s", dir);
    if (code == 127) snprintf(msg, msg_cap, "gnuplot could not be started");
    /* Keep one line of gnuplot's message: it becomes part of a warning. */
    for (char *c = msg; *c; c++)
        if (*c == '\n' || *c == '\r' || *c == '\t') *c = ' ';
    return code;
}
