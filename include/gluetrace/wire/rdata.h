/**
 * @file rdata.h
 * @brief RDATA as presentation text, out (zone-file forms, RFC 3597 fallback) and in (the
 *        hints parser and tests). Uses the cursor and the record-type table; the message
 *        parser never calls into this file.
 */
#ifndef GLUETRACE_RDATA_H
#define GLUETRACE_RDATA_H

#include <stddef.h>
#include <stdint.h>

#include "gluetrace/base/status.h"
#include "gluetrace/wire/wire.h"

/** How long blobs (DS digests, DNSKEY keys, RRSIG signatures) are laid out. */
typedef enum {
    GT_RDATA_ZONE = 0, /**< one word, as in zone files (ldns, Knot) */
    GT_RDATA_DIG,      /**< words of GT_RDATA_DIG_WORD characters, as dig prints them */
} gt_rdata_style;

/** Characters per word of a blob in dig's layout (BIND's default style). */
#define GT_RDATA_DIG_WORD 56

/**
 * RDATA to presentation format ("192.0.2.1", "ns1.example.com.", "10 mx.example.com.",
 * SOA as "mname rname serial refresh retry expire minimum", TXT as quoted strings with
 * escapes, DS/DNSKEY/RRSIG/NSEC/NSEC3/NSEC3PARAM/CAA/SRV in their zone-file forms (RRSIG
 * times as YYYYMMDDHHmmSS, NSEC3 hashes in base32hex, an empty salt as "-"); anything else as
 * RFC 3597 "\# LEN HEX"). RDATA is the uncompressed form found in gt_rr. The same as
 * gt_rdata_to_text() with GT_RDATA_ZONE.
 * @return characters written (excluding NUL), or 0 when @p size is too small or the RDATA is
 *         inconsistent with its type (then the RFC 3597 form is the caller's fallback).
 */
size_t gt_rdata_to_str(uint16_t type, const uint8_t *rdata, size_t rdlen, char *buf, size_t size);

/**
 * RDATA to presentation format in style @p style: gt_rdata_to_str() for GT_RDATA_ZONE; with
 * GT_RDATA_DIG the blobs are broken into words like dig +dnssec prints them.
 * @return as gt_rdata_to_str()
 */
size_t gt_rdata_to_text(uint16_t type, const uint8_t *rdata, size_t rdlen, gt_rdata_style style,
                        char *buf, size_t size);

/**
 * An RRSIG time (RFC 4034 3.2) as YYYYMMDDHHmmSS in UTC, the value read as unsigned seconds
 * since 1970 (so valid until 2106), as RRSIG records are printed.
 * @return characters written (14), or 0 when @p size is too small
 */
size_t gt_rrsig_time_str(uint32_t t, char *buf, size_t size);

/**
 * RDATA in the RFC 3597 generic form "\# LEN HEX" (e.g. "\# 2 0A0B", "\# 0"), for any type;
 * the fallback when gt_rdata_to_str() returns 0.
 * @return characters written (excluding NUL), or 0 when @p size is too small
 */
size_t gt_rdata_to_generic_str(const uint8_t *rdata, size_t rdlen, char *buf, size_t size);

/**
 * A record's RDATA as printed everywhere: gt_rdata_to_str(), falling back to the RFC 3597
 * form. @p buf is always NUL-terminated (empty when neither fits).
 * @return characters written, 0 when neither form fits
 */
size_t gt_rr_data_str(const gt_rr *rr, char *buf, size_t size);

/** gt_rr_data_str() in style @p style (GT_RDATA_DIG for the -o dig layout). */
size_t gt_rr_data_text(const gt_rr *rr, gt_rdata_style style, char *buf, size_t size);

/**
 * Parse presentation RDATA for A, AAAA, NS, CNAME, PTR, DNAME, MX, SOA, TXT (one or more
 * quoted or bare strings) into uncompressed wire RDATA. Used by tests and the hostile-server
 * responder.
 * @return GT_OK, GT_EINVAL (unsupported type or bad text) or GT_ESPACE
 */
gt_status gt_rdata_from_str(uint16_t type, const char *text, uint8_t *out, size_t cap,
                            size_t *outlen);

#endif
