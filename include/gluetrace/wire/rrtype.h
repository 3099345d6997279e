/**
 * @file rrtype.h
 * @brief The one record-type table: TYPE number <-> mnemonic, and the RDATA layout of the
 *        types that embed domain names, shared by the message parser and the RDATA printer.
 */
#ifndef GLUETRACE_RRTYPE_H
#define GLUETRACE_RRTYPE_H

#include <stddef.h>
#include <stdint.h>

#include "gluetrace/base/status.h"

/* Record types used by name in the code. */
#define GT_TYPE_A 1
#define GT_TYPE_NS 2
#define GT_TYPE_CNAME 5
#define GT_TYPE_SOA 6
#define GT_TYPE_PTR 12
#define GT_TYPE_MX 15
#define GT_TYPE_TXT 16
#define GT_TYPE_AAAA 28
#define GT_TYPE_SRV 33
#define GT_TYPE_DNAME 39
#define GT_TYPE_OPT 41
#define GT_TYPE_DS 43
#define GT_TYPE_RRSIG 46
#define GT_TYPE_NSEC 47
#define GT_TYPE_DNSKEY 48
#define GT_TYPE_NSEC3 50
#define GT_TYPE_NSEC3PARAM 51
/** CDS and CDNSKEY (RFC 7344), printed like DS and DNSKEY. */
#define GT_TYPE_CDS 59
#define GT_TYPE_CDNSKEY 60
/** SPF (RFC 7208), printed like TXT. */
#define GT_TYPE_SPF 99
#define GT_TYPE_CAA 257
#define GT_TYPE_ANY 255
#define GT_CLASS_IN 1

/** Type mnemonic ("A", "NS", ... or "TYPE1234"); writes into buf (>= 16 bytes), returns buf. */
const char *gt_type_to_str(uint16_t type, char *buf, size_t size);

/** Parse "A", "aaaa", "TYPE65" ... @return GT_OK or GT_EINVAL. */
gt_status gt_type_from_str(const char *s, uint16_t *type);

/**
 * The RDATA layout of a type that embeds domain names (RFC 1035 3.3, RFC 3597 4: NS, MD, MF,
 * CNAME, SOA, MB, MG, MR, PTR, MINFO, MX, RP, AFSDB, RT, PX, SRV, NAPTR, KX, DNAME), as one
 * letter per field in wire order: N domain name (may be compressed on the wire), S 16-bit
 * number, L 32-bit number, C character-string (length byte + up to 255 bytes).
 * @return the letters (static), or NULL for a type without embedded names
 */
const char *gt_type_layout(uint16_t type);

#endif
