/*
 * Helpers shared by the files of src/dnssec (not part of the public API).
 */
#ifndef GLUETRACE_DNSSEC_INTERNAL_H
#define GLUETRACE_DNSSEC_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>

#include "gluetrace/base/array.h"
#include "gluetrace/dnssec/dnssec.h"

/**
 * Read an uncompressed name at @p off of @p buf (@p len bytes). Compression pointers and
 * label types other than 00 are malformed here: DNSSEC RDATA names are never compressed
 * (RFC 4034 3.1.7, 4.1.1), and the wire parser already decompressed the classic types.
 * @param[out] out the name; may be NULL to only skip it
 * @return the offset just after the name, or 0 when malformed
 */
size_t dsec_read_name(const uint8_t *buf, size_t len, size_t off, gt_name *out);

/** Set @p res (when not NULL) to @p code with a printf-formatted detail; returns @p code. */
gt_dsec_code dsec_set(gt_dsec_result *res, gt_dsec_code code, const char *fmt, ...) GT_PRINTF(3, 4);

/** Lowercase the ASCII letters of @p n bytes of wire-form name labels in place. */
void dsec_lower_bytes(uint8_t *p, size_t n);

/**
 * Decode text whose characters each carry @p width bits (5: base32hex, 6: base64), as
 * numbered by @p value (-1 for a character outside the alphabet), most significant bit first.
 * @param[out] outlen the bytes written to @p out (capacity @p cap)
 * @return GT_OK; GT_EINVAL for a character outside the alphabet, a dangling character or
 *         non-zero padding bits; @p full when the bytes do not fit
 */
gt_status dsec_decode_bits(const char *text, size_t len, unsigned width, int (*value)(char),
                           uint8_t *out, size_t cap, size_t *outlen, gt_status full);

/** "*.<@p ce>" into @p out; false when it would be longer than a name may be. */
bool dsec_wildcard_of(const gt_name *ce, gt_name *out);

/*
 * The start of both wildcard-answer proofs (NSEC and NSEC3): clear @p res, check that an
 * RRSIG labels count of @p labels makes @p qname a wildcard expansion inside @p zone, and
 * give the next closer name in @p nc (the closest encloser plus one label of @p qname).
 * @return GT_DSEC_OK, or GT_DSEC_NO_PROOF (with its reason in @p res)
 */
gt_dsec_code dsec_next_closer(const gt_name *zone, const gt_name *qname, unsigned labels,
                              gt_name *nc, gt_dsec_result *res);

/** Whether @p n's first label is "*" (a wildcard owner, RFC 4592). */
bool dsec_is_wildcard(const gt_name *n);

/** @return the 16-bit big-endian value at @p p (2 bytes the caller checked are there). */
uint16_t dsec_u16(const uint8_t *p);

/** @return the 32-bit big-endian value at @p p (4 bytes the caller checked are there). */
uint32_t dsec_u32(const uint8_t *p);

/** The digests DNSSEC computes (DS digests, NSEC3 hashes). */
typedef enum { DSEC_SHA1, DSEC_SHA256, DSEC_SHA384, DSEC_SHA512, DSEC_MD_COUNT } dsec_md_id;

/**
 * The digest @p id, fetched from libcrypto once per process (crypto.c; runs
 * gt_dnssec_warm_up() if nothing did yet).
 * @return borrowed, valid until exit; NULL when libcrypto cannot provide it
 */
const EVP_MD *dsec_md(dsec_md_id id);

#endif
