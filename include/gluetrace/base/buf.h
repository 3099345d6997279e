/**
 * @file buf.h
 * @brief The one text buffer: append bytes, strings and printf-formatted text, over caller
 *        memory (bounded) or over memory of its own (growable), with a sticky error.
 *
 * After the first append that fails, every later append is a no-op and err stays set, so a
 * printer writes in a straight line and checks err once at the end. The text is always
 * NUL-terminated when there is room for a NUL at all.
 */
#ifndef GLUETRACE_BUF_H
#define GLUETRACE_BUF_H

#include <stdbool.h>
#include <stddef.h>

#include "gluetrace/base/array.h" /* GT_PRINTF */
#include "gluetrace/base/status.h"

/** A text buffer. Initialise with gt_buf_init_fixed() or gt_buf_init_grow(). */
typedef struct gt_buf {
    char *data;    /**< the text; caller memory (fixed) or owned (growable, may be NULL) */
    size_t len;    /**< characters of text, not counting the NUL */
    size_t cap;    /**< bytes at data, including the room kept for the NUL */
    bool growable; /**< data is ours and grows as needed */
    gt_status err; /**< GT_OK; GT_ESPACE once a fixed buffer was too small; GT_ENOMEM */
} gt_buf;

/**
 * A bounded buffer over @p mem (@p size bytes, room for the NUL included); @p mem becomes "".
 * @param[out] b the buffer; a NULL @p mem or zero @p size makes every append fail (GT_ESPACE)
 */
void gt_buf_init_fixed(gt_buf *b, char *mem, size_t size);

/** A growable buffer, empty; free it with gt_buf_free() or take its text with gt_buf_take(). */
void gt_buf_init_grow(gt_buf *b);

/** Append @p n bytes (a fixed buffer takes all or nothing). */
void gt_buf_append(gt_buf *b, const void *p, size_t n);

/** Append one character. */
void gt_buf_putc(gt_buf *b, char c);

/** Append a NUL-terminated string. */
void gt_buf_puts(gt_buf *b, const char *s);

/** Append printf-formatted text (a fixed buffer takes all or nothing). */
void gt_buf_printf(gt_buf *b, const char *fmt, ...) GT_PRINTF(2, 3);

/** @return the text so far (never NULL; "" for an empty growable buffer). Borrowed. */
const char *gt_buf_str(const gt_buf *b);

/**
 * End writing into a fixed buffer the way the string printers report it.
 * @return the text length, or 0 after an error (the text is then emptied to "")
 */
size_t gt_buf_finish(gt_buf *b);

/**
 * Hand over the text of a growable buffer (caller frees with free()); the buffer is empty
 * afterwards.
 * @param[out] len the text length (may be NULL)
 * @return the text, or NULL after an error or for a fixed buffer (the buffer is freed either
 *         way)
 */
char *gt_buf_take(gt_buf *b, size_t *len);

/** Free a growable buffer's memory and make it empty; fixed buffers are only reset. */
void gt_buf_free(gt_buf *b);

#endif
