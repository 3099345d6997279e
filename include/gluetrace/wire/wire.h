/**
 * @file wire.h
 * @brief DNS messages: the parser (records with their RDATA validated and decompressed) and
 *        the query builder. Names, the cursor and the record-type table have headers of their
 *        own (included here); RDATA presentation text is in rdata.h, above this file.
 *
 * Everything here is pure (no I/O, no globals).
 */
#ifndef GLUETRACE_WIRE_H
#define GLUETRACE_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gluetrace/base/status.h"
#include "gluetrace/wire/cursor.h"
#include "gluetrace/wire/name.h"
#include "gluetrace/wire/rrtype.h"

/** Largest DNS message we handle (TCP limit). */
#define GT_MSG_MAX 65535

/* Response codes (RFC 1035 4.1.1, RFC 6891 extended). */
#define GT_RCODE_NOERROR 0
#define GT_RCODE_FORMERR 1
#define GT_RCODE_SERVFAIL 2
#define GT_RCODE_NXDOMAIN 3
#define GT_RCODE_NOTIMP 4
#define GT_RCODE_REFUSED 5
#define GT_RCODE_YXDOMAIN 6
#define GT_RCODE_BADVERS 16

/** One resource record as parsed. */
typedef struct gt_rr {
    gt_name owner;
    uint16_t type;
    uint16_t cls;
    uint32_t ttl;
    uint16_t rdlen;       /**< length of @ref rdata */
    uint16_t pos;         /**< place in its section as received, RRSIGs counted (0-based; 0
                               for records not from a message): gt_msg_next_rr() uses it */
    const uint8_t *rdata; /**< RDATA with embedded names of known types (NS, CNAME, PTR, DNAME,
                               MX, SOA, SRV, RP, AFSDB, KX, NAPTR... at least the first seven)
                               decompressed into plain wire form; owned by the gt_msg */
} gt_rr;

/** Message sections that hold records. */
typedef enum { GT_SEC_ANSWER = 0, GT_SEC_AUTHORITY = 1, GT_SEC_ADDITIONAL = 2 } gt_section;

/** Most Extended DNS Errors kept per message (gt_msg.ede). */
#define GT_MSG_MAX_EDE 4

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
    size_t count[3];   /**< number of records per section, RRSIGs not counted */
    size_t nsig[3];    /**< RRSIG records per section: they follow the others, at
                            rrs[s][count[s]] .. rrs[s][count[s] + nsig[s] - 1], so only
                            DNSSEC validation sees them (a DO=1 reply reads like a DO=0 one) */
    bool has_opt;      /**< an EDNS OPT RR was present in ADDITIONAL */
    uint16_t udp_size; /**< OPT CLASS field (requestor/responder payload size) */
    uint8_t edns_version;
    bool do_bit;
    uint16_t ede[GT_MSG_MAX_EDE]; /**< Extended DNS Error INFO-CODEs (RFC 8914) of the OPT RR,
                                       in the order carried (the first GT_MSG_MAX_EDE) */
    size_t nede;                  /**< entries in @ref ede */
    size_t wire_len;              /**< size of the message as received */
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

/** A walk over one section of a message; zero-initialise it before the first call. */
typedef struct gt_rr_walk {
    size_t rec; /**< records (not RRSIG) taken so far */
    size_t sig; /**< RRSIGs taken so far */
} gt_rr_walk;

/**
 * The next record of section @p s in the order the message carried them, RRSIGs included
 * (each back where the server put it, usually right after the RRset it signs), as dig
 * prints a reply. The parser keeps RRSIGs apart (gt_msg.nsig); this walk merges them back.
 * @return borrowed from @p m, or NULL after the last record
 */
const gt_rr *gt_msg_next_rr(const gt_msg *m, gt_section s, gt_rr_walk *w);

/**
 * Copy a message made by gt_msg_parse() (records and RDATA included), for a reply kept
 * beyond the result that parsed it.
 * @param out set to the copy (caller frees with gt_msg_free()), or NULL on error
 * @return GT_OK or GT_ENOMEM
 */
gt_status gt_msg_copy(const gt_msg *m, gt_msg **out);

/** Do @p a and @p b carry the same RDATA (length and bytes; owner, type and class aside)? */
bool gt_rr_same_rdata(const gt_rr *a, const gt_rr *b);

/**
 * Do the records @p a (@p na of them) and @p b (@p nb) hold the same RDATA values, order and
 * repeated values aside (each value of one is among the other's, both ways)?
 */
bool gt_rrs_same_rdata_set(const gt_rr *a, size_t na, const gt_rr *b, size_t nb);

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
 * For NS, CNAME, PTR, DNAME: the target name; MX: exchange; SRV: target; SOA: mname.
 * @return GT_OK, or GT_EINVAL for other types / GT_EMALFORMED
 */
gt_status gt_rdata_name(uint16_t type, const uint8_t *rdata, size_t rdlen, gt_name *out);

/** RCODE mnemonic ("NOERROR", "NXDOMAIN", ... or "RCODE23"); writes into buf, returns buf. */
const char *gt_rcode_to_str(uint16_t rcode, char *buf, size_t size);

/** Query construction parameters. */
typedef struct gt_query_opts {
    uint16_t id;
    bool rd;          /**< recursion desired (0 for the trace, 1 for resolver comparison) */
    bool edns;        /**< add an OPT RR */
    uint16_t bufsize; /**< EDNS UDP payload size advertised */
    bool do_bit;      /**< DNSSEC OK */
    bool cd;          /**< checking disabled (resolver comparison: is a SERVFAIL DNSSEC?) */
} gt_query_opts;

/**
 * Build a one-question query (class IN) into @p buf.
 * @return GT_OK or GT_ESPACE
 */
gt_status gt_build_query(uint8_t *buf, size_t cap, size_t *outlen, const gt_name *qname,
                         uint16_t qtype, const gt_query_opts *opts);

#endif
