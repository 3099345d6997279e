/**
 * @file array.h
 * @brief The one growable-array helper and the printf-format attribute, used by every layer.
 *
 * Arrays are plain (pointer, count, capacity) triples owned by their struct; this helper only
 * makes room. Elements past the old capacity are zeroed, so a struct added at index n starts
 * all-zero.
 */
#ifndef GLUETRACE_ARRAY_H
#define GLUETRACE_ARRAY_H

#include <stdbool.h>
#include <stddef.h>

#if defined(__GNUC__)
/** Marks a printf-like function so the compiler checks its format (argument numbers a, b). */
#define GT_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define GT_PRINTF(a, b)
#endif

/**
 * Make room in the array @p *items (capacity @p *cap elements of @p elem bytes) so that index
 * @p n fits. Capacity doubles from 16; new elements are zeroed.
 * @param[in,out] items the array (may be NULL with *cap 0); replaced on growth, left as it
 *        was on failure
 * @param[in,out] cap its capacity in elements
 * @return true when index n fits, false on overflow or out of memory
 */
bool gt_array_reserve(void **items, size_t *cap, size_t n, size_t elem);

#endif
