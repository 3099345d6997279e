/**
 * @file rrtext.h
 * @brief Records in presentation format, one per line (the layout of a signed zone printed by
 *        ldns-signzone, of ldns-key2ds output and of Debian's root.ds / root.key), for trust
 *        anchors and tests. Not a full zone-file parser: no $ORIGIN/$TTL/$INCLUDE, no
 *        parentheses, owners must be absolute.
 *
 * Line: OWNER [TTL] [CLASS] TYPE RDATA, TTL and CLASS in either order (defaults 0 and IN);
 * ';' starts a comment outside quotes; blank lines are skipped. RDATA of DS, DNSKEY, RRSIG,
 * NSEC, NSEC3 and NSEC3PARAM is read here (base64, hex, base32hex, type lists, times as
 * YYYYMMDDHHmmSS or seconds); A, AAAA, NS, CNAME, SOA, TXT, MX, PTR, DNAME and the RFC 3597
 * "\# LEN HEX" form of any type go to gt_rdata_from_str().
 */
#ifndef GLUETRACE_DNSSEC_RRTEXT_H
#define GLUETRACE_DNSSEC_RRTEXT_H

#include <stddef.h>
#include <stdint.h>

#include "gluetrace/base/status.h"
#include "gluetrace/wire/wire.h"

/** Longest line gt_rrlist_from_text() reads. */
#define GT_RRTEXT_LINE_MAX 70000
/** Most records gt_rrlist_from_text() keeps (a named limit against unbounded input). */
#define GT_RRTEXT_MAX_RECORDS 100000

/** A growable list of records that owns their RDATA. Zero-initialise before use. */
typedef struct gt_rrlist {
    gt_rr *rrs;   /**< the records; each rdata is malloc'ed and owned by the list */
    size_t count; /**< records in use */
    size_t cap;   /**< capacity of @ref rrs */
} gt_rrlist;

/**
 * Parse one record line.
 * @param[in] line NUL-terminated text (borrowed)
 * @param[out] out the record; out->rdata is malloc'ed (never NULL on success, even when
 *             rdlen is 0) and the caller frees it with gt_rr_free_rdata()
 * @param[out] err one-line message on failure (may be NULL)
 * @return GT_OK, GT_EINVAL (bad text, or a blank/comment-only line: err says "empty"),
 *         GT_ENOMEM
 */
gt_status gt_rr_from_text(const char *line, gt_rr *out, char *err, size_t errsize);

/** Free the RDATA of a record made by gt_rr_from_text() and clear rdata/rdlen. */
void gt_rr_free_rdata(gt_rr *rr);

/**
 * Append a copy of @p rr (its RDATA copied) to @p list.
 * @return GT_OK, GT_ENOMEM or GT_ELIMIT (GT_RRTEXT_MAX_RECORDS)
 */
gt_status gt_rrlist_add(gt_rrlist *list, const gt_rr *rr);

/**
 * Parse every record line of @p text (NUL-terminated) into @p list, skipping blank and
 * comment lines.
 * @param[out] err on failure "line N: ..." (may be NULL)
 * @return GT_OK, GT_EINVAL, GT_ENOMEM or GT_ELIMIT; on failure the records read so far stay
 *         in the list (free them with gt_rrlist_free())
 */
gt_status gt_rrlist_from_text(gt_rrlist *list, const char *text, char *err, size_t errsize);

/** Free every record and the array; the list is left empty and reusable. NULL accepted. */
void gt_rrlist_free(gt_rrlist *list);

/**
 * Decode base64 (RFC 4648 4): padded to a multiple of 4 characters, no whitespace, and the
 * unused bits of the last character zero.
 * @return GT_OK, GT_EINVAL (bad character or length) or GT_ESPACE (@p cap too small)
 */
gt_status gt_base64_decode(const char *text, size_t len, uint8_t *out, size_t cap, size_t *outlen);

/**
 * Parse an RRSIG time: 14 digits YYYYMMDDHHmmSS (UTC), or a decimal number of seconds, into
 * seconds since the epoch modulo 2^32 (RFC 4034 3.2).
 * @return GT_OK or GT_EINVAL
 */
gt_status gt_dnssec_time_from_str(const char *s, uint32_t *out);

#endif
