/**
 * @file cursor.h
 * @brief Bounds-checked reading and writing of DNS wire data, each with a sticky error: the
 *        read cursor (names with compression) and the write buffer (names uncompressed).
 */
#ifndef GLUETRACE_CURSOR_H
#define GLUETRACE_CURSOR_H

#include <stddef.h>
#include <stdint.h>

#include "gluetrace/base/status.h"
#include "gluetrace/wire/name.h"

/** Maximum number of compression pointers followed while reading one name. */
#define GT_MAX_COMPRESSION_JUMPS 64

/**
 * A read cursor over a DNS message with a sticky error (after the first failure every read
 * is a no-op returning zero and err stays set). @p data is always the start of the whole
 * message so compression pointers can be followed; reads never go past @p len.
 */
typedef struct gt_cursor {
    const uint8_t *data; /**< message start (borrowed) */
    size_t len;          /**< read limit: reads must end at or before data + len */
    size_t pos;          /**< current offset from data */
    gt_status err;       /**< GT_OK until the first failed read */
} gt_cursor;

/** Start reading @p data (borrowed; @p len bytes) at offset 0. */
void gt_cursor_init(gt_cursor *c, const uint8_t *data, size_t len);
/** @return the next byte, or 0 after an error. */
uint8_t gt_cursor_u8(gt_cursor *c);
/** @return the next 16-bit big-endian number, or 0 after an error. */
uint16_t gt_cursor_u16(gt_cursor *c);
/** @return the next 32-bit big-endian number, or 0 after an error. */
uint32_t gt_cursor_u32(gt_cursor *c);
/** Copy @p n bytes into @p out (zero-filled on error). */
void gt_cursor_bytes(gt_cursor *c, uint8_t *out, size_t n);
/** Move past @p n bytes. */
void gt_cursor_skip(gt_cursor *c, size_t n);
/** @return the bytes left before the read limit (0 after an error). */
size_t gt_cursor_left(const gt_cursor *c);
/**
 * Read a possibly compressed name at the cursor. Pointers must point strictly backwards
 * (before the offset of the pointer itself), at most GT_MAX_COMPRESSION_JUMPS are followed,
 * labels <= 63, total <= 255, label types 01/10 rejected. On error sets c->err = GT_EMALFORMED.
 */
void gt_cursor_name(gt_cursor *c, gt_name *out);

/**
 * A write buffer with a sticky error, over caller memory. Used to build queries and, in tests,
 * whole responses. Names are written uncompressed.
 */
typedef struct gt_wbuf {
    uint8_t *buf;  /**< destination (borrowed) */
    size_t cap;    /**< its size */
    size_t len;    /**< bytes written */
    gt_status err; /**< GT_ESPACE once a write did not fit */
} gt_wbuf;

/** Start writing into @p buf (@p cap bytes). */
void gt_wbuf_init(gt_wbuf *w, uint8_t *buf, size_t cap);
/** Append one byte. */
void gt_wbuf_u8(gt_wbuf *w, uint8_t v);
/** Append a 16-bit number, big-endian. */
void gt_wbuf_u16(gt_wbuf *w, uint16_t v);
/** Append a 32-bit number, big-endian. */
void gt_wbuf_u32(gt_wbuf *w, uint32_t v);
/** Append @p n bytes. */
void gt_wbuf_bytes(gt_wbuf *w, const uint8_t *p, size_t n);
/** Append a name in uncompressed wire form. */
void gt_wbuf_name(gt_wbuf *w, const gt_name *n);
/** Overwrite a 16-bit value at offset @p at (must be < len - 1), e.g. a section count. */
void gt_wbuf_put_u16_at(gt_wbuf *w, size_t at, uint16_t v);

#endif
