/* runstat: run a command, report its wall time, CPU time and peak RSS.
 *
 * usage: runstat [-u UID] [-o FILE] CMD [ARG...]
 *   -u UID   drop to this uid/gid (same number) before exec; the benchmark uses it
 *            so that the capture can tell the tool's packets from the resolver's
 *   -o FILE  write the figures there instead of stderr
 * Output, one line: wall_ms user_ms sys_ms maxrss_kib exit_status
 * Built by scripts/bench with cc; not part of the CMake build. */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double ms_between(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) * 1e3 + (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

static double tv_ms(const struct timeval *tv)
{
    return (double)tv->tv_sec * 1e3 + (double)tv->tv_usec / 1e3;
}

int main(int argc, char **argv)
{
    long uid = -1;
    const char *out_path = NULL;
    int opt;
    while ((opt = getopt(argc, argv, "+u:o:")) != -1) {
        switch (opt) {
        case 'u':
            uid = strtol(optarg, NULL, 10);
            break;
        case 'o':
            out_path = optarg;
            break;
        default:
            fprintf(stderr, "usage: runstat [-u UID] [-o FILE] CMD [ARG...]\n");
            return 125;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "usage: runstat [-u UID] [-o FILE] CMD [ARG...]\n");
        return 125;
    }
    FILE *out = stderr;
    if (out_path && !(out = fopen(out_path, "w"))) {
        fprintf(stderr, "runstat: %s: %s\n", out_path, strerror(errno));
        return 125;
    }

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid < 0) {
        perror("runstat: fork");
        return 125;
    }
    if (pid == 0) {
        if (uid >= 0) {
            if (setgroups(0, NULL) != 0 || setresgid((gid_t)uid, (gid_t)uid, (gid_t)uid) != 0 ||
                setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid) != 0) {
                perror("runstat: dropping privileges");
                _exit(126);
            }
        }
        execvp(argv[optind], argv + optind);
        fprintf(stderr, "runstat: %s: %s\n", argv[optind], strerror(errno));
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR) {
            perror("runstat: wait4");
            return 125;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    int rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    fprintf(out, "%.2f %.2f %.2f %ld %d\n", ms_between(&t0, &t1), tv_ms(&ru.ru_utime),
            tv_ms(&ru.ru_stime), ru.ru_maxrss, rc);
    if (out != stderr)
        fclose(out);
    return rc;
}
