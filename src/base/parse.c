/* The decimal number parser. */
#include "gluetrace/base/parse.h"

#include <limits.h>
#include <stdbool.h>
#include <string.h>

gt_status gt_parse_uint_n(const char *s, size_t n, unsigned long long max, unsigned long long *out)
{
    unsigned long long v = 0;
    bool too_big = false;

    *out = 0;
    if (s == NULL || n == 0) {
        return GT_EINVAL;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned d;

        if (s[i] < '0' || s[i] > '9') {
            return GT_EINVAL;
        }
        d = (unsigned)(s[i] - '0');
        /* Keep reading after an overflow so that "99999999999999999999x" is garbage. */
        if (v > (ULLONG_MAX - d) / 10) {
            too_big = true;
        } else {
            v = v * 10 + d;
        }
    }
    if (too_big || v > max) {
        return GT_ELIMIT;
    }
    *out = v;
    return GT_OK;
}

gt_status gt_parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
    return gt_parse_uint_n(s, s != NULL ? strlen(s) : 0, max, out);
}
