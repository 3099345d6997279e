/**
 * @file wire.h
 * @brief DNS wire format: bounds-checked cursor, domain names, message parser and writer.
 *
 * Everything here is pure (no I/O, no globals). Names are kept in uncompressed wire form
 * internally and compared case-insensitively; they become presentation text only on output.
 */
#ifndef GLUETRACE_WIRE_H
#define GLUETRACE_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gluetrace/base/status.h"

/** Maximum length of a domain name in wire form (RFC 1035 3.1). */
#define GT_NAME_MAX 255
/** Maximum length of one label (RFC 1035 2.3.4). */
#define GT_LABEL_MAX 63
/** Maximum number of compression pointers followed while reading one name. */
#define GT_MAX_COMPRESSION_JUMPS 64
/** Buffer size that always holds a name in presentation format (every byte as \DDD) + NUL. */
#define GT_NAME_STRLEN (GT_NAME_MAX * 4 + 2)
/** Largest DNS message we handle (TCP limit). */
#define GT_MSG_MAX 65535

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
#define GT_TYPE_DNSKEY 48
#define GT_TYPE_CAA 257
#define GT_TYPE_ANY 255
#define GT_CLASS_IN 1

/* Response codes (RFC 1035 4.1.1, RFC 6891 extended). */
#define GT_RCODE_NOERROR 0
#define GT_RCODE_FORMERR 1
#define GT_RCODE_SERVFAIL 2
#define GT_RCODE_NXDOMAIN 3
#define GT_RCODE_NOTIMP 4
#define GT_RCODE_REFUSED 5
#define GT_RCODE_BADVERS 16

/**
 * A domain name in uncompressed wire form: length-prefixed labels ending with the root label.
 * The root name is len == 1, data == {0}. Case is preserved as received.
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
 * Write presentation format with a trailing dot ("." for the root). Bytes outside 0x21..0x7e
 * are written as \DDD; '.', '\\', '"', '(', ')', ';', '@', '$' inside a label as \X.
 * @param size at least GT_NAME_STRLEN guarantees success
 * @return number of characters written (excluding NUL), or 0 if @p size was too small
 */
size_t gt_name_to_str(const gt_name *n, char *buf, size_t size);

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

void gt_cursor_init(gt_cursor *c, const uint8_t *data, size_t len);
uint8_t gt_cursor_u8(gt_cursor *c);
uint16_t gt_cursor_u16(gt_cursor *c);
uint32_t gt_cursor_u32(gt_cursor *c);
/** Copy @p n bytes into @p out (zero-filled on error). */
void gt_cursor_bytes(gt_cursor *c, uint8_t *out, size_t n);
void gt_cursor_skip(gt_cursor *c, size_t n);
size_t gt_cursor_left(const gt_cursor *c);
/**
 * Read a possibly compressed name at the cursor. Pointers must point strictly backwards
 * (before the offset of the pointer itself), at most GT_MAX_COMPRESSION_JUMPS are followed,
 * labels <= 63, total <= 255, label types 01/10 rejected. On error sets c->err = GT_EMALFORMED.
 */
void gt_cursor_name(gt_cursor *c, gt_name *out);

/** One resource record as parsed. */
typedef struct gt_rr {
    gt_name owner;
    uint16_t type;
    uint16_t cls;
    uint32_t ttl;
    uint16_t rdlen;       /**< length of @ref rdata */
    const uint8_t *rdata; /**< RDATA with embedded names of known types (NS, CNAME, PTR, DNAME,
                               MX, SOA, SRV, RP, AFSDB, KX, NAPTR... at least the first seven)
                               decompressed into plain wire form; owned by the gt_msg */
} gt_rr;

/** Message sections that hold records. */
typedef enum { GT_SEC_ANSWER = 0, GT_SEC_AUTHORITY = 1, GT_SEC_ADDITIONAL = 2 } gt_section;

/** A parsed DNS message. Create with gt_msg_parse(), free with gt_msg_free(). */
typedef struct gt_msg {
    uint16_t id;
    bool qr, aa, tc, rd, ra, ad, cd;
    uint8_t opcode;
    uint16_t rcode;    /**< 4-bit header RCODE, extended to 12 bits when an OPT RR is present */
    uint16_t qdcount;  /**< as in the header */
    bool has_question; /**< true when qdcount >= 1 and the first question was read */
    gt_name qname;
    uint16_t qtype;
    uint16_t qclass;
    gt_rr *rrs[3];     /**< records per section (OPT not included); indexed by gt_section */
    size_t count[3];   /**< number of records per section */
    bool has_opt;      /**< an EDNS OPT RR was present in ADDITIONAL */
    uint16_t udp_size; /**< OPT CLASS field (requestor/responder payload size) */
    uint8_t edns_version;
    bool do_bit;
    size_t wire_len; /**< size of the message as received */
} gt_msg;

/**
 * Parse a whole message. Every RR's RDATA is bounded by RDLENGTH, and for types whose RDATA
 * is parsed (A, AAAA, NS, CNAME, PTR, DNAME, MX, SOA, SRV, OPT) the parse must consume exactly
 * RDLENGTH. Unknown types are kept as opaque RDATA. Trailing bytes after the last section are
 * tolerated. More than one OPT, or OPT outside ADDITIONAL, is malformed.
 * @param out set to a new message (caller frees with gt_msg_free()), or NULL on error
 * @return GT_OK, GT_EMALFORMED or GT_ENOMEM
 */
gt_status gt_msg_parse(const uint8_t *buf, size_t len, gt_msg **out);

/** Free a message; NULL is accepted. */
void gt_msg_free(gt_msg *m);

/**
 * RDATA to presentation format ("192.0.2.1", "ns1.example.com.", "10 mx.example.com.",
 * SOA as "mname rname serial refresh retry expire minimum", TXT as quoted strings with
 * escapes, DS/DNSKEY/CAA/SRV in their zone-file forms where implemented; anything else as
 * RFC 3597 "\# LEN HEX"). RDATA is the uncompressed form found in gt_rr.
 * @return characters written (excluding NUL), or 0 when @p size is too small or the RDATA is
 *         inconsistent with its type (then the RFC 3597 form is the caller's fallback).
 */
size_t gt_rdata_to_str(uint16_t type, const uint8_t *rdata, size_t rdlen, char *buf, size_t size);

/**
 * For NS, CNAME, PTR, DNAME: the target name; MX: exchange; SRV: target; SOA: mname.
 * @return GT_OK, or GT_EINVAL for other types / GT_EMALFORMED
 */
gt_status gt_rdata_name(uint16_t type, const uint8_t *rdata, size_t rdlen, gt_name *out);

/**
 * Parse presentation RDATA for A, AAAA, NS, CNAME, PTR, DNAME, MX, SOA, TXT (one or more
 * quoted or bare strings) into uncompressed wire RDATA. Used by the hints parser and tests.
 * @return GT_OK, GT_EINVAL (unsupported type or bad text) or GT_ESPACE
 */
gt_status gt_rdata_from_str(uint16_t type, const char *text, uint8_t *out, size_t cap,
                            size_t *outlen);

/** Type mnemonic ("A", "NS", ... or "TYPE1234"); writes into buf (>= 16 bytes), returns buf. */
const char *gt_type_to_str(uint16_t type, char *buf, size_t size);

/** Parse "A", "aaaa", "TYPE65" ... @return GT_OK or GT_EINVAL. */
gt_status gt_type_from_str(const char *s, uint16_t *type);

/** RCODE mnemonic ("NOERROR", "NXDOMAIN", ... or "RCODE23"); writes into buf, returns buf. */
const char *gt_rcode_to_str(uint16_t rcode, char *buf, size_t size);

/**
 * A write buffer with a sticky error, over caller memory. Used to build queries and, in tests,
 * whole responses. Names are written uncompressed.
 */
typedef struct gt_wbuf {
    uint8_t *buf;
    size_t cap;
    size_t len;
    gt_status err; /**< GT_ESPACE once a write did not fit */
} gt_wbuf;

void gt_wbuf_init(gt_wbuf *w, uint8_t *buf, size_t cap);
void gt_wbuf_u8(gt_wbuf *w, uint8_t v);
void gt_wbuf_u16(gt_wbuf *w, uint16_t v);
void gt_wbuf_u32(gt_wbuf *w, uint32_t v);
void gt_wbuf_bytes(gt_wbuf *w, const uint8_t *p, size_t n);
void gt_wbuf_name(gt_wbuf *w, const gt_name *n);
/** Overwrite a 16-bit value at offset @p at (must be < len - 1), e.g. a section count. */
void gt_wbuf_put_u16_at(gt_wbuf *w, size_t at, uint16_t v);

/** Query construction parameters. */
typedef struct gt_query_opts {
    uint16_t id;
    bool rd;          /**< recursion desired (0 for the trace, 1 for resolver comparison) */
    bool edns;        /**< add an OPT RR */
    uint16_t bufsize; /**< EDNS UDP payload size advertised */
    bool do_bit;      /**< DNSSEC OK */
} gt_query_opts;

/**
 * Build a one-question query (class IN) into @p buf.
 * @return GT_OK or GT_ESPACE
 */
gt_status gt_build_query(uint8_t *buf, size_t cap, size_t *outlen, const gt_name *qname,
                         uint16_t qtype, const gt_query_opts *opts);

/*
 * Additions by the wire/rdata implementation (existing declarations above are unchanged).
 */

/**
 * Validate one RR's RDATA inside a received message and produce its uncompressed form, as
 * gt_msg_parse() stores it: names embedded in NS, MD, MF, CNAME, SOA, MB, MG, MR, PTR, MINFO,
 * MX, RP, AFSDB, RT, PX, SRV, NAPTR, KX and DNAME are decompressed and the layout must fill
 * RDLENGTH exactly; A and AAAA must be 4 and 16 bytes; other types are copied verbatim.
 * @param msg the whole message (borrowed), so compression pointers can be followed
 * @param msglen its length; @p rdstart + @p rdlen must not exceed it
 * @param out destination, or NULL to only validate and compute @p outlen
 * @param outlen set to the uncompressed length (0 on error)
 * @return GT_OK, GT_EMALFORMED or GT_ESPACE (@p cap too small)
 */
gt_status gt_rdata_decompress(uint16_t type, const uint8_t *msg, size_t msglen, size_t rdstart,
                              size_t rdlen, uint8_t *out, size_t cap, size_t *outlen);

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

#endif
