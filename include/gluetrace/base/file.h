/**
 * @file file.h
 * @brief The one file reader: a whole file into memory, with a size cap and one-line errors.
 */
#ifndef GLUETRACE_FILE_H
#define GLUETRACE_FILE_H

#include <stddef.h>
#include <stdio.h>

#include "gluetrace/base/status.h"

/**
 * Read the whole file @p path into a NUL-terminated buffer. The text may itself contain NUL
 * bytes; callers that want none check @p len against strlen().
 * @param[in] path the file ("-" is not special here: see gt_file_read_stream())
 * @param[in] max largest accepted size in bytes
 * @param[out] out the text (caller frees with free()); NULL on error
 * @param[out] len its length; 0 on error
 * @param[out] err on error a line naming @p shown: "cannot open 'F': REASON",
 *             "cannot read 'F': REASON" or "'F' is larger than N MiB|KiB|bytes" (may be NULL)
 * @param[in] shown how to name the file in @p err (NULL: @p path)
 * @return GT_OK; GT_EIO (open or read failed); GT_ELIMIT (larger than @p max); GT_ENOMEM
 */
gt_status gt_file_read(const char *path, size_t max, char **out, size_t *len, char *err,
                       size_t errlen, const char *shown);

/** Like gt_file_read() from an open stream (e.g. stdin), read to its end; not closed. */
gt_status gt_file_read_stream(FILE *f, size_t max, char **out, size_t *len, char *err,
                              size_t errlen, const char *shown);

#endif
