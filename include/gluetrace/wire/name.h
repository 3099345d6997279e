/**
 * @file name.h
 * @brief Domain names: uncompressed wire form, presentation text in and out, comparison.
 *
 * Names are kept in wire form internally and compared case-insensitively; they become
 * presentation text only on output, where every byte that could fool a terminal is escaped.
 */
#ifndef GLUETRACE_NAME_H
#define GLUETRACE_NAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gluetrace/base/addr.h"
#include "gluetrace/base/buf.h"
#include "gluetrace/base/status.h"

/** Maximum length of a domain name in wire form (RFC 1035 3.1). */
#define GT_NAME_MAX 255
/** Maximum length of one label (RFC 1035 2.3.4). */
#define GT_LABEL_MAX 63
/** Buffer size that always holds a name in presentation format (every byte as \DDD) + NUL. */
#define GT_NAME_STRLEN (GT_NAME_MAX * 4 + 2)

/**
 * A domain name in uncompressed wire form: length-prefixed labels ending with the root label.
 * The root name is len == 1, data == {0}. Case is preserved as received. len == 0 means "no
 * name" (a zeroed struct).
 */
typedef struct gt_name {
    uint8_t len;               /**< total bytes used in data, including the final 0 label */
    uint8_t data[GT_NAME_MAX]; /**< the labels */
} gt_name;

/** The root name ("."). */
void gt_name_root(gt_name *out);

/**
 * Parse presentation format ("www.example.com", "www.example.com.", ".", with \DDD and \X
 * escapes). A missing final dot is accepted (the name is taken as absolute).
 * @return GT_OK, or GT_EINVAL for empty labels, labels > 63, names > 255, bad escapes.
 */
gt_status gt_name_from_str(gt_name *out, const char *s);

/**
 * The reverse-mapping name of an address, as dig -x makes it (RFC 1035 section 3.5, RFC 3596
 * section 2.5): "4.3.2.1.in-addr.arpa." for 1.2.3.4, 32 nibbles under "ip6.arpa." for IPv6.
 * @param[in] a an IPv4 or IPv6 address
 * @param[out] out the name
 * @return GT_OK, or GT_EINVAL for another address family
 */
gt_status gt_name_reverse(const gt_addr *a, gt_name *out);

/**
 * Append the presentation form of @p n to @p b (see gt_name_to_str() for the escaping).
 * Nothing is appended for "no name" (len 0).
 * @param[in,out] b the text; b->err becomes GT_EMALFORMED when @p n is not a well-formed name
 */
void gt_name_print(gt_buf *b, const gt_name *n);

/**
 * Write presentation format with a trailing dot ("." for the root). Bytes outside 0x21..0x7e
 * are written as \DDD; '.', '\\', '"', '(', ')', ';', '@', '$' inside a label as \X.
 * @param size at least GT_NAME_STRLEN guarantees success
 * @return number of characters written (excluding NUL), or 0 if @p size was too small
 */
size_t gt_name_to_str(const gt_name *n, char *buf, size_t size);

/**
 * The name as printed in messages and renderers: gt_name_to_str(), or "(unnamed)" for a
 * name that holds nothing (len 0).
 * @param[out] buf at least GT_NAME_STRLEN bytes
 * @return @p buf
 */
const char *gt_name_str(const gt_name *n, char *buf, size_t size);

/**
 * Read one character of presentation text at @p *pp: a plain byte, "\X" (the byte X) or
 * "\DDD" (decimal, at most 255); @p *pp moves past it.
 * @param[out] ch the byte
 * @return false for a dangling backslash, fewer than three digits or a value over 255
 */
bool gt_text_unescape(const char **pp, uint8_t *ch);

/** @return true when both names are equal, ASCII case-insensitively. */
bool gt_name_eq(const gt_name *a, const gt_name *b);

/** @return true when @p name equals @p zone or lies below it (label-aligned, case-insensitive). */
bool gt_name_is_under(const gt_name *name, const gt_name *zone);

/** @return the number of labels, not counting the root label ("." is 0, "com." is 1). */
unsigned gt_name_labels(const gt_name *n);

/**
 * Set @p out to the name with the first @p drop labels removed (e.g. parent zone).
 * Dropping more labels than exist yields the root.
 */
void gt_name_suffix(const gt_name *n, unsigned drop, gt_name *out);

/** @return the ASCII lower-case form of @p c; other bytes unchanged (DNS is ASCII-only). */
uint8_t gt_ascii_lower(uint8_t c);

#endif
