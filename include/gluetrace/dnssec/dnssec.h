/**
 * @file dnssec.h
 * @brief Pure DNSSEC validation core: result codes, canonical form (RFC 4034 section 6),
 *        key tags (RFC 4034 appendix B), DS digests and RRSIG verification.
 *
 * Everything here is pure: no I/O, no clock (the caller passes "now"; the one exception is the
 * time slice a gt_dnssec_budget may carry). The only process-wide state changes no outcome:
 * libcrypto's own and the digests fetched from it once (gt_dnssec_warm_up()). The outcomes of
 * signature checks are remembered in a gt_dnssec_ctx the caller makes and passes down, and the
 * work of one traced name is bounded by its gt_dnssec_budget (the limits below, issue 26).
 * Records are gt_rr values as produced by the wire parser (RDATA uncompressed); nothing here
 * keeps a pointer to its arguments after returning. Cryptography is OpenSSL 3's libcrypto.
 */
#ifndef GLUETRACE_DNSSEC_H
#define GLUETRACE_DNSSEC_H

#include <signal.h>
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
    GT_DSEC_LIMIT,              /**< a validation limit refused the work (gt_dsec_result.caps) */
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
    unsigned caps;                   /**< GT_DSEC_CAP_* limits that refused work (GT_DSEC_LIMIT) */
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

/* ------------------------------------------------------------------------------------------ */
/* Limits on the work of validation (KeyTrap, CVE-2023-50387; docs/limits.md)                  */
/* ------------------------------------------------------------------------------------------ */

/** Keys of one (key tag, algorithm) tried for one RRSIG; more keys sharing it are refused. */
#define GT_DNSSEC_MAX_KEYS_PER_TAG 2
/** RRSIGs tried for one RRset (those a key fits); the others are refused. */
#define GT_DNSSEC_MAX_SIGS_PER_RRSET 8
/** Signature checks libcrypto does for one reply. */
#define GT_DNSSEC_MAX_CHECKS_PER_REPLY 32
/** Signature checks libcrypto does for one traced name (its trace and its diagnosis). */
#define GT_DNSSEC_MAX_CHECKS_PER_NAME 512
/** Largest RSA public exponent loaded, in bits (a 3072-bit one verifies ~100x slower). */
#define GT_DNSSEC_RSA_MAX_EXP_BITS 35

/* Which limit refused work (gt_dsec_result.caps, gt_dnssec_budget.spent). */
#define GT_DSEC_CAP_KEYS 0x01u  /**< more keys share a (tag, algorithm) than are tried */
#define GT_DSEC_CAP_SIGS 0x02u  /**< more RRSIGs cover an RRset than are tried */
#define GT_DSEC_CAP_REPLY 0x04u /**< the reply's allowance of checks is spent */
#define GT_DSEC_CAP_NAME 0x08u  /**< the name's allowance of checks is spent */
#define GT_DSEC_CAP_STOP 0x10u  /**< the run is being stopped (SIGINT / SIGTERM) */
#define GT_DSEC_CAP_SLICE 0x20u /**< the time slice of the caller is over (work deferred) */
/** The caps a validator would call bogus (the data itself asks too much), not indeterminate. */
#define GT_DSEC_CAPS_BOGUS (GT_DSEC_CAP_KEYS | GT_DSEC_CAP_SIGS)

/**
 * What signature checking keeps across the runs of one process: the outcomes of the checks
 * libcrypto did (a pure function of algorithm, key, signed data and signature, so the same
 * check is done once: the engine checks while a trace waits and diagnose asks again later;
 * in all-paths mode every server of a zone serves the same signed sets), the counters, and
 * the stop flag of the run. Made by the CLI, passed down (engine hooks, the result); opaque.
 */
typedef struct gt_dnssec_ctx gt_dnssec_ctx;

/**
 * Make a context.
 * @param[in] stop set (non-zero) by a signal handler when the run must end: no further
 *            cryptography is done; may be NULL; borrowed, must outlive the context
 * @param[out] out the context; caller frees with gt_dnssec_ctx_free()
 * @return GT_OK or GT_ENOMEM
 */
gt_status gt_dnssec_ctx_create(const volatile sig_atomic_t *stop, gt_dnssec_ctx **out);

/** Free @p c (NULL is fine). */
void gt_dnssec_ctx_free(gt_dnssec_ctx *c);

/**
 * Signature checks that got as far as the cryptography with context @p c (zeros for NULL):
 * @p crypto were done by libcrypto, @p remembered were answered from the outcomes it keeps.
 * For GLUETRACE_DEBUG's summary and the tests.
 */
void gt_dnssec_counts(const gt_dnssec_ctx *c, size_t *crypto, size_t *remembered);

/**
 * One traced name's allowance of signature checks (GT_DNSSEC_MAX_CHECKS_PER_NAME, shared by
 * its trace and its diagnosis) and the current reply's (GT_DNSSEC_MAX_CHECKS_PER_REPLY). Only
 * checks libcrypto does are charged; remembered outcomes are free.
 */
typedef struct gt_dnssec_budget {
    gt_dnssec_ctx *ctx;  /**< borrowed; NULL: nothing remembered and no stop flag */
    size_t name_left;    /**< checks libcrypto may still do for this name */
    size_t reply_left;   /**< ... for the reply being checked */
    size_t done;         /**< checks libcrypto did for this name */
    double slice_end_ms; /**< CLOCK_MONOTONIC ms after which no check starts; 0 for none */
    unsigned spent;      /**< GT_DSEC_CAP_* allowances that ran out so far */
} gt_dnssec_budget;

/**
 * Start a name's budget with context @p ctx (may be NULL), @p done checks already charged to
 * it (the trace's, when diagnose continues it).
 */
void gt_dnssec_budget_init(gt_dnssec_budget *b, gt_dnssec_ctx *ctx, size_t done);

/** @return a static phrase for the limits in @p cap (GT_DSEC_CAP_* bits; the first that
 *  applies: stop, name, reply, slice, RRSIGs, keys). */
const char *gt_dnssec_cap_str(unsigned cap);

/** Text of a number macro, for messages. */
#define GT_STR(x) GT_STR_(x)
#define GT_STR_(x) #x

/** A new reply is checked: its own allowance. */
void gt_dnssec_budget_reply(gt_dnssec_budget *b);

/** Milliseconds of CLOCK_MONOTONIC (for gt_dnssec_budget.slice_end_ms). */
double gt_dnssec_clock_ms(void);

/**
 * Verify one RRSIG over an RRset with one DNSKEY (RFC 4035 5.3): the RRset is one
 * owner/type/class equal to the RRSIG's owner, class and type covered; the signer is @p zone
 * and the owner is under it; labels <= owner labels; now inside the window; the DNSKEY is a
 * zone key of protocol 3 owned by the signer with the RRSIG's algorithm and key tag; then the
 * signature over gt_dnssec_signed_data() with libcrypto. Checks run in that order, the first
 * failing one gives the code. The outcome is looked up in the context first; a check not
 * remembered is charged to @p b, and refused (GT_DSEC_LIMIT, the allowance in res->caps) when
 * the name's or the reply's allowance is spent, the time slice is over or the run is stopping.
 * An RSA key whose exponent exceeds GT_DNSSEC_RSA_MAX_EXP_BITS is not loaded (GT_DSEC_BAD_KEY).
 * @param[in,out] b the budget; NULL for none (no memory, no limit)
 * @param[in] rrset @p n records (borrowed)
 * @param[in] rrsig the RRSIG record (borrowed)
 * @param[in] dnskey the DNSKEY record (borrowed)
 * @param[in] zone the zone whose keys these are (the expected signer); NULL skips that check
 * @param now seconds since the epoch
 * @param[out] res filled in (code, deprecated, wildcard, detail); may be NULL
 * @return the code also stored in @p res
 */
gt_dsec_code gt_rrsig_verify(gt_dnssec_budget *b, const gt_rr *rrset, size_t n, const gt_rr *rrsig,
                             const gt_rr *dnskey, const gt_name *zone, uint64_t now,
                             gt_dsec_result *res);

/** Most records of one RRset (or keys of one zone) a validation considers. */
#define GT_DNSSEC_MAX_RRSET 64

/**
 * The one RRset-selection rule of validation: the records of (@p owner, @p type) in section
 * @p sec of @p m (@p owner NULL: of any owner), each RDATA once, at most GT_DNSSEC_MAX_RRSET.
 * @param[out] out room for GT_DNSSEC_MAX_RRSET records (values borrowed from @p m)
 * @return the records written
 */
size_t gt_dnssec_rrset(const gt_msg *m, gt_section sec, const gt_name *owner, uint16_t type,
                       gt_rr *out);

/**
 * Verify the RRset @p set (@p n records of one owner and type, from section @p sec of @p m)
 * with the RRSIGs of that section covering it and the keys @p keys (DNSKEY records), signer
 * @p zone, as a validator after KeyTrap does: RRSIGs in received order, at most
 * GT_DNSSEC_MAX_SIGS_PER_RRSET of those a key fits, each with at most
 * GT_DNSSEC_MAX_KEYS_PER_TAG keys of its (tag, algorithm); the first that verifies ends it.
 * @param[in,out] b the name's budget (may be NULL)
 * @param[out] nosig set when no RRSIG covers the set at all
 * @param[out] best GT_DSEC_OK with the verifying pair; else the failure that tells most
 *             (window, then signature, then algorithm), or GT_DSEC_LIMIT when a limit refused
 *             work and nothing verified (what was refused in best->detail, which in best->caps)
 * @param[out] sig the RRSIG @p best is about (borrowed from @p m), NULL when none; may be NULL
 * @return best->code
 */
gt_dsec_code gt_rrset_verify(gt_dnssec_budget *b, const gt_msg *m, gt_section sec, const gt_rr *set,
                             size_t n, const gt_rr *keys, size_t nkeys, const gt_name *zone,
                             uint64_t now, bool *nosig, gt_dsec_result *best, const gt_rr **sig);

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
