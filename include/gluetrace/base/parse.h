/**
 * @file parse.h
 * @brief The one decimal number parser: digits only, end and range checked (none of the libc
 *        converters' pitfalls: no sign, no spaces, no silent wrap-around).
 */
#ifndef GLUETRACE_PARSE_H
#define GLUETRACE_PARSE_H

#include <stddef.h>

#include "gluetrace/base/status.h"

/**
 * Parse a whole NUL-terminated string of decimal digits.
 * @param[in] s the text ("0", "53", "00042"); no sign, no blanks, nothing after the digits
 * @param[in] max largest accepted value
 * @param[out] out the value; 0 on error
 * @return GT_OK; GT_EINVAL when @p s is empty, NULL or not only digits; GT_ELIMIT when the
 *         value is larger than @p max (overflow included)
 */
gt_status gt_parse_uint(const char *s, unsigned long long max, unsigned long long *out);

/** Like gt_parse_uint() over the first @p n bytes of @p s (no NUL needed). */
gt_status gt_parse_uint_n(const char *s, size_t n, unsigned long long max, unsigned long long *out);

#endif
