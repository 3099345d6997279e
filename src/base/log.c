#include "gluetrace/base/log.h"

#include <stdarg.h>
#include <stdio.h>

static void emit(const char *prefix, const char *fmt, va_list ap) GT_PRINTF(2, 0);

/** Longest message shown (longer ones are cut). */
#define GT_LOG_MAX 2048

/*
 * Messages quote arguments, file names and file contents: every byte that is not printable
 * ASCII is written as \DDD, so a hostile argument cannot move the cursor, clear the screen or
 * split the one-line message.
 */
static void emit(const char *prefix, const char *fmt, va_list ap)
{
    char msg[GT_LOG_MAX];
    if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0) {
        msg[0] = '\0';
    }
    fputs("gluetrace: ", stderr);
    fputs(prefix, stderr);
    for (const unsigned char *p = (const unsigned char *)msg; *p != '\0'; p++) {
        if (*p < 0x20 || *p >= 0x7f) {
            fprintf(stderr, "\\%03u", (unsigned)*p);
        } else {
            fputc(*p, stderr);
        }
    }
    fputc('\n', stderr);
}

void gt_err(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit("error: ", fmt, ap);
    va_end(ap);
}

void gt_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit("warning: ", fmt, ap);
    va_end(ap);
}

void gt_note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit("", fmt, ap);
    va_end(ap);
}
