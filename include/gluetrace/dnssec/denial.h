/**
 * @file denial.h
 * @brief Authenticated denial of existence: NSEC (RFC 4035 5.4, RFC 6840 4.1, 4.4) and NSEC3
 *        (RFC 5155 section 8, RFC 9276) proofs of NXDOMAIN, NODATA and insecure delegation.
 *
 * Pure logic over records the caller has already verified (gt_rrsig_verify()): nothing here
 * checks signatures. Arrays are borrowed for the duration of the call only.
 */
#ifndef GLUETRACE_DNSSEC_DENIAL_H
#define GLUETRACE_DNSSEC_DENIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gluetrace/dnssec/dnssec.h"
#include "gluetrace/wire/wire.h"

/**
 * Highest NSEC3 iteration count we hash. RFC 9276 3.2 lets validators treat NSEC3 records
 * with more iterations as insecure; 150 is the limit BIND 9.16 and Unbound 1.13 shipped with
 * (RFC 9276 section 3.2 and appendix A mention it). Above it a proof returns
 * GT_DSEC_ITERATIONS, which a caller reports as "insecure", never as "secure".
 */
#define GT_NSEC3_MAX_ITERATIONS 150

/** NSEC3 flag: opt-out (RFC 5155 3.1.2.1). */
#define GT_NSEC3_FLAG_OPTOUT 0x01
/** NSEC3 hash algorithm SHA-1 (RFC 5155 11), the only one defined. */
#define GT_NSEC3_HASH_SHA1 1
/** Length of an NSEC3 SHA-1 hash. */
#define GT_NSEC3_HASH_LEN 20

/** What a denial proof is asked to show. */
typedef enum {
    GT_DENY_NXDOMAIN, /**< the name does not exist (nor a wildcard that would answer) */
    GT_DENY_NODATA,   /**< the name (or the wildcard that answers) has no record of the type */
    GT_DENY_NO_DS,    /**< a referral to the name is unsigned: no DS (NS set, or NSEC3 opt-out) */
} gt_deny_kind;

/**
 * Is @p type present in an NSEC/NSEC3 type bitmap (RFC 4034 4.1.2)? Windows must increase,
 * each 1..32 bytes long.
 * @param[in] bitmap the type bitmap field (borrowed)
 * @return true when present; false when absent or the bitmap is malformed
 */
bool gt_nsec_bitmap_has(const uint8_t *bitmap, size_t len, uint16_t type);

/** @return true when the type bitmap is well formed (RFC 4034 4.1.2). */
bool gt_nsec_bitmap_valid(const uint8_t *bitmap, size_t len);

/** An NSEC RDATA, parsed. Pointers borrow the RDATA. */
typedef struct gt_nsec {
    gt_name next;          /**< next owner name in canonical order */
    const uint8_t *bitmap; /**< type bitmap (borrowed) */
    size_t bitmaplen;      /**< its length */
} gt_nsec;

/** Parse NSEC RDATA. @return GT_DSEC_OK or GT_DSEC_MALFORMED. */
gt_dsec_code gt_nsec_parse(const uint8_t *rdata, size_t len, gt_nsec *out);

/**
 * Does the NSEC record @p nsec cover @p name: owner < name < next in canonical order, the
 * last NSEC of the zone (next <= owner) covering everything after its owner?
 */
bool gt_nsec_covers(const gt_rr *nsec, const gt_name *name);

/**
 * Check an NSEC denial (RFC 4035 5.4; RFC 6840 4.1 and 4.4: an NSEC of a delegation or DNAME
 * proves nothing below it; RFC 7129 5 for the closest encloser). NSEC records whose owner is
 * not in @p zone or whose RDATA is malformed are ignored.
 * @param[in] nsecs @p n NSEC records (borrowed; others types are ignored)
 * @param[in] zone the zone the records come from
 * @param[in] qname the name, @p qtype the type (used by NODATA; GT_TYPE_DS for NO_DS)
 * @param[out] res may be NULL
 * @return GT_DSEC_OK (NXDOMAIN / NODATA proven), GT_DSEC_INSECURE (NO_DS proven),
 *         GT_DSEC_NO_PROOF, GT_DSEC_NAME_EXISTS, GT_DSEC_TYPE_EXISTS or GT_DSEC_WILDCARD_EXISTS
 */
gt_dsec_code gt_nsec_prove(const gt_rr *nsecs, size_t n, const gt_name *zone, const gt_name *qname,
                           uint16_t qtype, gt_deny_kind kind, gt_dsec_result *res);

/**
 * Check the NSEC proof behind a wildcard answer (RFC 4035 5.3.4): the RRSIG's labels field
 * (@p labels, smaller than @p qname's label count) makes the suffix of @p qname with @p labels
 * labels the closest encloser; an NSEC must cover the next closer name (the suffix with
 * @p labels + 1 labels), so no closer name exists and the wildcard rightly answered.
 * @return GT_DSEC_OK, GT_DSEC_NAME_EXISTS (the next closer name exists, also as an empty
 *         non-terminal) or GT_DSEC_NO_PROOF
 */
gt_dsec_code gt_nsec_prove_wildcard(const gt_rr *nsecs, size_t n, const gt_name *zone,
                                    const gt_name *qname, unsigned labels, gt_dsec_result *res);

/** An NSEC3 RDATA, parsed (RFC 5155 3.2). Pointers borrow the RDATA. */
typedef struct gt_nsec3 {
    uint8_t hash_alg;      /**< GT_NSEC3_HASH_SHA1 */
    uint8_t flags;         /**< GT_NSEC3_FLAG_OPTOUT */
    uint16_t iterations;   /**< extra hash iterations */
    const uint8_t *salt;   /**< salt (borrowed) */
    size_t saltlen;        /**< its length (0..255) */
    const uint8_t *next;   /**< next hashed owner, binary (borrowed) */
    size_t nextlen;        /**< its length (1..255) */
    const uint8_t *bitmap; /**< type bitmap (borrowed) */
    size_t bitmaplen;      /**< its length */
} gt_nsec3;

/** Parse NSEC3 RDATA. @return GT_DSEC_OK or GT_DSEC_MALFORMED. */
gt_dsec_code gt_nsec3_parse(const uint8_t *rdata, size_t len, gt_nsec3 *out);

/**
 * The NSEC3 hash of a name (RFC 5155 5): SHA-1 over the lowercased wire name and the salt,
 * repeated @p iterations more times over (previous hash | salt).
 * @param[out] out GT_NSEC3_HASH_LEN bytes
 * @return GT_DSEC_OK, GT_DSEC_UNSUPPORTED_DIGEST (hash algorithm not 1), GT_DSEC_NOMEM
 */
gt_dsec_code gt_nsec3_hash(const gt_name *name, uint8_t hash_alg, const uint8_t *salt,
                           size_t saltlen, uint16_t iterations, uint8_t *out);

/**
 * Decode base32hex without padding (RFC 4648 7), case-insensitively, as NSEC3 owner labels
 * and next-hash fields are written.
 * @param[out] out room for @p cap bytes; @p outlen the decoded length
 * @return GT_OK or GT_EINVAL (bad character, leftover bits not zero, too long)
 */
gt_status gt_base32hex_decode(const char *text, size_t len, uint8_t *out, size_t cap,
                              size_t *outlen);

/**
 * Check the NSEC3 proof behind a wildcard answer (RFC 5155 8.8): an NSEC3 covers the next
 * closer name, the suffix of @p qname with @p labels + 1 labels (@p labels is the RRSIG's
 * labels field). Iterations above GT_NSEC3_MAX_ITERATIONS give GT_DSEC_ITERATIONS.
 * @return GT_DSEC_OK, GT_DSEC_NAME_EXISTS (an NSEC3 matches the next closer name),
 *         GT_DSEC_ITERATIONS, GT_DSEC_NO_PROOF or GT_DSEC_NOMEM
 */
gt_dsec_code gt_nsec3_prove_wildcard(const gt_rr *nsec3s, size_t n, const gt_name *zone,
                                     const gt_name *qname, unsigned labels, gt_dsec_result *res);

/**
 * Check an NSEC3 denial (RFC 5155 8.3 closest encloser, 8.4 NXDOMAIN, 8.5 NODATA, 8.6 DS with
 * opt-out, 8.7 wildcard NODATA, 8.9 referrals). NSEC3 records outside @p zone, with an unknown
 * hash algorithm or malformed are ignored. When any usable record has more than
 * GT_NSEC3_MAX_ITERATIONS iterations the answer is GT_DSEC_ITERATIONS (RFC 9276 3.2).
 * @param[in] nsec3s @p n NSEC3 records (borrowed; other types are ignored)
 * @return GT_DSEC_OK (NXDOMAIN / NODATA proven), GT_DSEC_INSECURE (NO_DS proven, or a DS
 *         NODATA shown by an opt-out span), GT_DSEC_ITERATIONS, GT_DSEC_NO_PROOF,
 *         GT_DSEC_NAME_EXISTS, GT_DSEC_TYPE_EXISTS, GT_DSEC_WILDCARD_EXISTS or GT_DSEC_NOMEM
 */
gt_dsec_code gt_nsec3_prove(const gt_rr *nsec3s, size_t n, const gt_name *zone,
                            const gt_name *qname, uint16_t qtype, gt_deny_kind kind,
                            gt_dsec_result *res);

#endif
