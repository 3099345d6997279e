/**
 * @file classify.h
 * @brief Pure classification of one reply: what kind of response is this, for this question,
 *        from a server we asked as a server of this zone?
 */
#ifndef GLUETRACE_CLASSIFY_H
#define GLUETRACE_CLASSIFY_H

#include <stdbool.h>

#include "gluetrace/wire/wire.h"

/** Longest CNAME chain followed inside one reply. */
#define GT_MAX_CNAME_IN_REPLY 16

/** The outcome of one query. */
typedef enum {
    GT_OUT_PENDING = 0, /**< not answered yet */
    GT_OUT_ANSWER,      /**< authoritative answer RRset for the question (maybe via CNAMEs) */
    GT_OUT_CNAME,       /**< authoritative CNAME chain whose target is not answered here */
    GT_OUT_REFERRAL,    /**< delegation to a zone below the server's zone, covering qname */
    GT_OUT_NXDOMAIN,    /**< authoritative name error */
    GT_OUT_NODATA,      /**< authoritative empty answer */
    GT_OUT_LAME,        /**< REFUSED/SERVFAIL/NOTIMP/other rcode, or not authoritative
                             and not a referral (RFC 9499 "lame delegation") */
    GT_OUT_UPWARD,      /**< referral to the same zone or one above it */
    GT_OUT_SIDEWAYS,    /**< referral to a zone that does not cover qname or is not below
                             the server's zone */
    GT_OUT_TRUNCATED,   /**< TC=1 over UDP: to be retried over TCP */
    GT_OUT_TIMEOUT,     /**< no reply on any try */
    GT_OUT_UNREACHABLE, /**< port unreachable / refused connection / no route */
    GT_OUT_MALFORMED,   /**< unparsable, or not a reply to our question */
    GT_OUT_ERROR,       /**< local error (memory, transport) */
} gt_outcome;

/** Why a reply was classified lame. */
typedef enum {
    GT_LAME_NONE = 0,
    GT_LAME_RCODE,       /**< an error RCODE (see the message's rcode) */
    GT_LAME_NOT_AUTH,    /**< NOERROR/NXDOMAIN without AA and without a referral */
    GT_LAME_DS_REFERRAL, /**< asked for DS, it referred to the child zone of that very name:
                              DS lives at the parent (RFC 4035 section 3.1.4.1) */
} gt_lame_reason;

/** Classification result. */
typedef struct gt_class {
    gt_outcome outcome;
    gt_lame_reason lame;
    gt_name zone;         /**< REFERRAL/UPWARD/SIDEWAYS: the zone referred to */
    gt_name final_name;   /**< the name at the end of the CNAME chain (qname if none) */
    unsigned cname_links; /**< CNAME records followed from qname in the answer */
} gt_class;

/**
 * Check that @p m is a reply to our query: QR=1, opcode QUERY, exactly one question equal to
 * (@p qname, @p qtype, IN).
 * @return true when it is
 */
bool gt_reply_matches(const gt_msg *m, const gt_name *qname, uint16_t qtype);

/**
 * Classify a reply (RFC 1034 4.3.2, RFC 2308, RFC 9499). @p zone is the zone the server was
 * asked as a server of (the zone cut the referral or hints placed it at). @p tcp tells whether
 * the reply came over TCP, where TC is ignored. The reply must already have passed
 * gt_reply_matches().
 */
void gt_classify(const gt_name *qname, uint16_t qtype, const gt_name *zone, const gt_msg *m,
                 bool tcp, gt_class *out);

/** Stable lower-case name of an outcome as used in JSON ("answer", "upward_referral", ...). */
const char *gt_outcome_str(gt_outcome o);

#endif
