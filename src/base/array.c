#include "gluetrace/base/array.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

bool gt_array_reserve(void **items, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap) {
        return true;
    }
    size_t ncap = *cap ? *cap : 16;
    while (ncap <= n) {
        if (ncap > SIZE_MAX / 2) {
            return false;
        }
        ncap *= 2;
    }
    if (elem == 0 || ncap > SIZE_MAX / elem) {
        return false;
    }
    void *p = realloc(*items, ncap * elem);
    if (p == NULL) {
        return false;
    }
    memset((char *)p + *cap * elem, 0, (ncap - *cap) * elem);
    *items = p;
    *cap = ncap;
    return true;
}
