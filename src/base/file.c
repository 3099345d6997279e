/* The file reader. */
#include "gluetrace/base/file.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gluetrace/base/buf.h"

/** First read size; the buffer doubles from there up to the cap. */
#define GT_FILE_CHUNK 65536

static void file_err(char *err, size_t errlen, const char *fmt, ...) GT_PRINTF(3, 4);

static void file_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL || errlen == 0) {
        return;
    }
    va_start(ap, fmt);
    if (vsnprintf(err, errlen, fmt, ap) < 0) {
        err[0] = '\0';
    }
    va_end(ap);
}

/** Write @p max as "N MiB", "N KiB" or "N bytes", whichever is exact. */
static const char *size_str(size_t max, char *buf, size_t size)
{
    const size_t kib = 1024, mib = 1024 * 1024;

    if (max >= mib && max % mib == 0) {
        snprintf(buf, size, "%zu MiB", max / mib);
    } else if (max >= kib && max % kib == 0) {
        snprintf(buf, size, "%zu KiB", max / kib);
    } else {
        snprintf(buf, size, "%zu bytes", max);
    }
    return buf;
}

gt_status gt_file_read_stream(FILE *f, size_t max, char **out, size_t *len, char *err,
                              size_t errlen, const char *shown)
{
    gt_status st = GT_EIO;
    gt_buf b;
    char chunk[4096];
    char sz[32];

    *out = NULL;
    *len = 0;
    gt_buf_init_grow(&b);
    for (;;) {
        size_t got = fread(chunk, 1, sizeof(chunk), f);

        if (got > max - b.len) {
            file_err(err, errlen, "'%s' is larger than %s", shown, size_str(max, sz, sizeof(sz)));
            st = GT_ELIMIT;
            goto done;
        }
        gt_buf_append(&b, chunk, got);
        if (b.err != GT_OK) {
            file_err(err, errlen, "out of memory reading '%s'", shown);
            st = GT_ENOMEM;
            goto done;
        }
        if (got < sizeof(chunk)) {
            break;
        }
    }
    if (ferror(f)) {
        file_err(err, errlen, "cannot read '%s': %s", shown, strerror(errno));
        goto done;
    }
    *out = gt_buf_take(&b, len);
    if (*out == NULL) {
        file_err(err, errlen, "out of memory reading '%s'", shown);
        st = GT_ENOMEM;
        goto done;
    }
    st = GT_OK;
done:
    gt_buf_free(&b);
    return st;
}

gt_status gt_file_read(const char *path, size_t max, char **out, size_t *len, char *err,
                       size_t errlen, const char *shown)
{
    gt_status st;
    FILE *f;

    *out = NULL;
    *len = 0;
    if (shown == NULL) {
        shown = path != NULL ? path : "(null)";
    }
    if (path == NULL) {
        file_err(err, errlen, "no file name");
        return GT_EINVAL;
    }
    f = fopen(path, "rb");
    if (f == NULL) {
        file_err(err, errlen, "cannot open '%s': %s", shown, strerror(errno));
        return GT_EIO;
    }
    st = gt_file_read_stream(f, max, out, len, err, errlen, shown);
    fclose(f);
    return st;
}
