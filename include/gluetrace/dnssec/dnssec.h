/**
 * @file dnssec.h
 * @brief Pure DNSSEC validation core: result codes, canonical form (RFC 4034 section 6),
 *        key tags (RFC 4034 appendix B), DS digests and RRSIG verification.
 *
 * Everything here is pure: no I/O, no clock (the caller passes "now"). The only state is
 * process-wide and changes no outcome: libcrypto's own, the digests fetched from it once
 * (gt_dnssec_warm_up()) and the outcomes of recent signature checks (gt_dnssec_counts()).
 * Records are gt_rr values as produced by the wire parser (RDATA uncompressed); nothing here
 * keeps a pointer to its arguments after returning. Cryptography is OpenSSL 3's libcrypto.
 */
#ifndef GLUETRACE_DNSSEC_H
#define GLUETRACE_DNSSEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gluetrace/base/status.h"
#include "gluetrace/wire/wire.h"

/* DNSSEC algorithm numbers (IANA "DNS Security Algorithm Numbers"). */
#define GT_ALG_RSASHA1 5
#define GT_ALG_RSASHA1_NSEC3 7
#define GT_ALG_RSASHA256 8
#define GT_ALG_RSASHA512 10
#define GT_ALG_ECDSAP256 13
#define GT_ALG_ECDSAP384 14
#define GT_ALG_ED25519 15
#define GT_ALG_ED448 16

/* DS digest types (IANA "DS RR Type Digest Algorithms"). */
#define GT_DIGEST_SHA1 1
#define GT_DIGEST_SHA256 2
#define GT_DIGEST_SHA384 4
/** Largest DS digest we compute (SHA-384). */
#define GT_DIGEST_MAX 48

/** DNSKEY flag: the key is a zone key (RFC 4034 2.1.1); required to verify RRSIGs. */
#define GT_DNSKEY_FLAG_ZONE 0x0100
/** DNSKEY flag: secure entry point (RFC 4034 2.1.1); advisory only. */
#define GT_DNSKEY_FLAG_SEP 0x0001
/** DNSKEY flag: revoked (RFC 5011 section 3). */
#define GT_DNSKEY_FLAG_REVOKE 0x0080

/**
 * Outcome of a validation step. GT_DSEC_OK is zero; every other value names why the step did
 * not succeed. gt_dsec_code_str() gives a short stable word for each (used in reports).
 */
typedef enum {
    GT_DSEC_OK = 0,             /**< verified / proven */
    GT_DSEC_MALFORMED,          /**< RDATA of an RRSIG, DNSKEY, DS, NSEC or NSEC3 is malformed */
    GT_DSEC_NOMEM,              /**< out of memory */
    GT_DSEC_UNSUPPORTED_ALG,    /**< DNSSEC algorithm we do not verify */
    GT_DSEC_UNSUPPORTED_DIGEST, /**< DS digest type we do not compute */
    GT_DSEC_BAD_KEY,            /**< the DNSKEY's public key cannot be loaded */
    GT_DSEC_BAD_SIGNATURE,      /**< the signature does not verify */
    GT_DSEC_EXPIRED,            /**< now is after the RRSIG expiration */
    GT_DSEC_NOT_YET_VALID,      /**< now is before the RRSIG inception */
    GT_DSEC_KEY_MISMATCH,       /**< DNSKEY owner/tag/algorithm/flags/protocol do not fit */
    GT_DSEC_SIGNER_MISMATCH,    /**< signer name is not the zone, or the owner is not under it */
    GT_DSEC_LABELS_MISMATCH,    /**< RRSIG labels field larger than the owner's label count */
    GT_DSEC_RRSET_MISMATCH,     /**< RRset empty or not one owner/type/class matching the RRSIG */
    GT_DSEC_DIGEST_MISMATCH,    /**< DS digest differs from the DNSKEY's */
    GT_DSEC_NO_PROOF,           /**< no NSEC/NSEC3 record proves the claim */
    GT_DSEC_NAME_EXISTS,        /**< the denial records show the name exists */
    GT_DSEC_TYPE_EXISTS,        /**< the type bitmap holds the type (or CNAME) */
    GT_DSEC_WILDCARD_EXISTS,    /**< a wildcard that would have answered exists */
    GT_DSEC_INSECURE,           /**< proven insecure: no DS (NS without DS, or NSEC3 opt-out) */
    GT_DSEC_ITERATIONS,         /**< NSEC3 iterations above GT_NSEC3_MAX_ITERATIONS: insecure */
} gt_dsec_code;

/** @return a static short word for @p code ("ok", "expired", "bad-signature"...); never NULL. */
const char *gt_dsec_code_str(gt_dsec_code code);

/** Size of gt_dsec_result.detail. */
#define GT_DSEC_DETAIL_MAX 160

/** The result of one validation step: a code and a one-line human explanation. */
typedef struct gt_dsec_result {
    gt_dsec_code code;               /**< the outcome */
    bool deprecated;                 /**< verified with an algorithm RFC 8624 deprecates */
    bool wildcard;                   /**< the RRSIG's labels show a wildcard expansion */
    char detail[GT_DSEC_DETAIL_MAX]; /**< NUL-terminated explanation, one line */
} gt_dsec_result;

/* ------------------------------------------------------------------------------------------ */
/* Canonical form (RFC 4034 section 6)                                                         */
/* ------------------------------------------------------------------------------------------ */

/** Lowercase @p n in place (ASCII A-Z only, RFC 4034 6.2). */
void gt_dnssec_name_lower(gt_name *n);

/**
 * Canonical DNS name order (RFC 4034 6.1): labels compared from the rightmost, each as a
 * lowercased octet string, a missing label sorting first.
 * @return <0, 0 or >0 as @p a sorts before, equal to, or after @p b
 */
int gt_dnssec_name_cmp(const gt_name *a, const gt_name *b);

/**
 * Canonical RDATA (RFC 4034 6.2 item 3 as amended by RFC 6840 5.1): the names embedded in
 * NS, MD, MF, CNAME, SOA, MB, MG, MR, PTR, MINFO, MX, RP, AFSDB, RT, SIG, PX, NXT, NAPTR, KX,
 * SRV, DNAME, A6 and RRSIG RDATA are lowercased; NSEC's next name is not. Other types are
 * copied. The output has the same length as the input (RDATA here is never compressed).
 * @param[in] rdata the RDATA (borrowed)
 * @param[out] out @p len bytes of caller memory (may not overlap @p rdata)
 * @return GT_OK or GT_EMALFORMED (an embedded name does not fit the RDATA)
 */
gt_status gt_dnssec_canon_rdata(uint16_t type, const uint8_t *rdata, size_t len, uint8_t *out);

/**
 * The data an RRSIG signs (RFC 4034 3.1.8.1): the RRSIG RDATA without its signature (signer
 * lowercased), then every RR of the RRset in canonical form and order (RFC 4034 6.3,
 * duplicates dropped), with the owner lowercased and rebuilt as "*.<suffix>" when the RRSIG's
 * labels field is smaller than the owner's label count, and the TTL set to the original TTL.
 * @param[in] rrset @p n records of one RRset (borrowed)
 * @param[in] rrsig_rdata the RRSIG's RDATA (borrowed), already checked by gt_rrsig_parse()
 * @param[out] out set to a malloc'ed buffer the caller frees with free(), NULL on error
 * @param[out] outlen its length
 * @return GT_OK, GT_EMALFORMED or GT_ENOMEM
 */
gt_status gt_dnssec_signed_data(const gt_rr *rrset, size_t n, const uint8_t *rrsig_rdata,
                                size_t rrsig_len, uint8_t **out, size_t *outlen);

/* ------------------------------------------------------------------------------------------ */
/* DNSKEY, RRSIG, key tag, DS                                                                  */
/* ------------------------------------------------------------------------------------------ */

/** A DNSKEY RDATA, parsed. Pointers borrow the RDATA it was parsed from. */
typedef struct gt_dnskey {
    uint16_t flags;     /**< flags field (GT_DNSKEY_FLAG_*) */
    uint8_t protocol;   /**< must be 3 */
    uint8_t alg;        /**< DNSSEC algorithm */
    const uint8_t *key; /**< public key bytes (borrowed from the RDATA) */
    size_t keylen;      /**< length of @ref key */
    uint16_t tag;       /**< key tag (RFC 4034 appendix B) */
} gt_dnskey;

/**
 * Parse DNSKEY RDATA (RFC 4034 2.1).
 * @param[in] rdata borrowed; @p out points into it, so it must outlive @p out
 * @return GT_DSEC_OK or GT_DSEC_MALFORMED (shorter than 5 bytes)
 */
gt_dsec_code gt_dnskey_parse(const uint8_t *rdata, size_t len, gt_dnskey *out);

/**
 * Key tag of a DNSKEY RDATA (RFC 4034 appendix B, the ones' complement style sum; algorithm
 * 1 is not special-cased since RSAMD5 is not supported).
 */
uint16_t gt_dnssec_key_tag(const uint8_t *rdata, size_t len);

/** An RRSIG RDATA, parsed (RFC 4034 3.1). Pointers borrow the RDATA it was parsed from. */
typedef struct gt_rrsig {
    uint16_t type_covered; /**< type of the RRset it signs */
    uint8_t alg;           /**< DNSSEC algorithm */
    uint8_t labels;        /**< labels of the original owner, without root and a leading '*' */
    uint32_t orig_ttl;     /**< TTL of the RRset as in the zone */
    uint32_t expiration;   /**< seconds since the epoch, modulo 2^32 */
    uint32_t inception;    /**< seconds since the epoch, modulo 2^32 */
    uint16_t key_tag;      /**< tag of the signing key */
    gt_name signer;        /**< signer name (the zone apex), as received */
    const uint8_t *sig;    /**< signature bytes (borrowed from the RDATA) */
    size_t siglen;         /**< length of @ref sig */
    size_t sig_offset;     /**< offset of the signature in the RDATA */
} gt_rrsig;

/**
 * Parse RRSIG RDATA. The signer name must be uncompressed and the signature non-empty.
 * @param[in] rdata borrowed; @p out points into it
 * @return GT_DSEC_OK or GT_DSEC_MALFORMED
 */
gt_dsec_code gt_rrsig_parse(const uint8_t *rdata, size_t len, gt_rrsig *out);

/** @return true when RFC 1982 serial arithmetic on 32 bits says @p a is before @p b. */
bool gt_serial_lt(uint32_t a, uint32_t b);

/**
 * Check the validity window of an RRSIG against @p now (seconds since the epoch, taken modulo
 * 2^32): inception <= now <= expiration in RFC 1982 serial arithmetic (RFC 4034 3.1.5).
 * @return GT_DSEC_OK, GT_DSEC_EXPIRED or GT_DSEC_NOT_YET_VALID
 */
gt_dsec_code gt_rrsig_check_window(const gt_rrsig *sig, uint64_t now);

/** @return true for algorithms gt_rrsig_verify() verifies (5, 7, 8, 10, 13, 14, 15, 16). */
bool gt_dnssec_alg_supported(uint8_t alg);

/** @return true for supported algorithms RFC 8624 says must not be used to sign (5, 7). */
bool gt_dnssec_alg_deprecated(uint8_t alg);

/** @return a static mnemonic ("RSASHA256", "ED25519", ... "ALG<n>" as "unknown"); never NULL. */
const char *gt_dnssec_alg_str(uint8_t alg);

/**
 * Initialise libcrypto and fetch the digest and signature algorithms DNSSEC uses, once per
 * process (later calls return at once; thread-safe). Every function here that needs them does
 * it itself on first use; calling it early moves that cost (about 0.8 ms) to a moment that is
 * waiting anyway: the engine calls it while a trace's first queries are in flight.
 */
void gt_dnssec_warm_up(void);

/**
 * Signature checks gt_rrsig_verify() got as far as the cryptography, so far in this process:
 * @p crypto were done by libcrypto, @p remembered were answered from the outcomes it keeps
 * (the same algorithm, key, signed data and signature give the same outcome; the last 256
 * distinct checks are kept). For GLUETRACE_DEBUG's summary and the tests.
 */
void gt_dnssec_counts(size_t *crypto, size_t *remembered);

/**
 * Verify one RRSIG over an RRset with one DNSKEY (RFC 4035 5.3): the RRset is one
 * owner/type/class equal to the RRSIG's owner, class and type covered; the signer is @p zone
 * and the owner is under it; labels <= owner labels; now inside the window; the DNSKEY is a
 * zone key of protocol 3 owned by the signer with the RRSIG's algorithm and key tag; then the
 * signature over gt_dnssec_signed_data() with libcrypto. Checks run in that order, the first
 * failing one gives the code.
 * @param[in] rrset @p n records (borrowed)
 * @param[in] rrsig the RRSIG record (borrowed)
 * @param[in] dnskey the DNSKEY record (borrowed)
 * @param[in] zone the zone whose keys these are (the expected signer); NULL skips that check
 * @param now seconds since the epoch
 * @param[out] res filled in (code, deprecated, wildcard, detail); may be NULL
 * @return the code also stored in @p res
 */
gt_dsec_code gt_rrsig_verify(const gt_rr *rrset, size_t n, const gt_rr *rrsig, const gt_rr *dnskey,
                             const gt_name *zone, uint64_t now, gt_dsec_result *res);

/** A DS RDATA, parsed (RFC 4034 5.1). Pointers borrow the RDATA it was parsed from. */
typedef struct gt_ds {
    uint16_t key_tag;      /**< tag of the DNSKEY it designates */
    uint8_t alg;           /**< algorithm of that DNSKEY */
    uint8_t digest_type;   /**< GT_DIGEST_* */
    const uint8_t *digest; /**< digest bytes (borrowed) */
    size_t digestlen;      /**< length of @ref digest */
} gt_ds;

/**
 * Parse DS RDATA.
 * @param[in] rdata borrowed; @p out points into it
 * @return GT_DSEC_OK or GT_DSEC_MALFORMED (shorter than 5 bytes, or a known digest type with
 *         the wrong digest length)
 */
gt_dsec_code gt_ds_parse(const uint8_t *rdata, size_t len, gt_ds *out);

/**
 * Compute a DS digest of a DNSKEY (RFC 4034 5.1.4): digest(lowercased owner | DNSKEY RDATA).
 * @param[in] owner the DNSKEY's owner (the zone)
 * @param[in] dnskey_rdata the DNSKEY RDATA (borrowed)
 * @param[out] out at least GT_DIGEST_MAX bytes
 * @param[out] outlen digest length (20, 32 or 48)
 * @return GT_DSEC_OK, GT_DSEC_UNSUPPORTED_DIGEST or GT_DSEC_NOMEM
 */
gt_dsec_code gt_ds_digest(const gt_name *owner, const uint8_t *dnskey_rdata, size_t len,
                          uint8_t digest_type, uint8_t *out, size_t *outlen);

/**
 * Does a DS designate a DNSKEY? Key tag, algorithm and digest must all match.
 * @param[in] ds the DS record, @p dnskey the DNSKEY record (both borrowed; same owner)
 * @param[out] res may be NULL
 * @return GT_DSEC_OK, GT_DSEC_MALFORMED, GT_DSEC_KEY_MISMATCH (owner, tag or algorithm),
 *         GT_DSEC_UNSUPPORTED_DIGEST or GT_DSEC_DIGEST_MISMATCH
 */
gt_dsec_code gt_ds_match(const gt_rr *ds, const gt_rr *dnskey, gt_dsec_result *res);

#endif
