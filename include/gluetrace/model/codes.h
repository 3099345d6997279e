/**
 * @file codes.h
 * @brief The registry of finding codes: one enum, one table of name, severity, subject and fix.
 *
 * Every finding gluetrace can raise has a code here, whichever layer raises it (the engine
 * raises GLUELESS_CYCLE, LIMIT_REACHED, NO_ROUTE and SPECIAL_PURPOSE_ADDRESS while it runs;
 * diagnose raises the rest from the finished result). The table in codes.c is the one place that
 * says how severe a code is; docs/findings.md documents each code under the same name and severity,
 * and the unit test test_codes checks that the two agree.
 */
#ifndef GLUETRACE_CODES_H
#define GLUETRACE_CODES_H

#include <stddef.h>

#include "gluetrace/base/status.h"

/** Finding severities. */
typedef enum { GT_SEV_INFO, GT_SEV_WARNING, GT_SEV_ERROR } gt_severity;

/** @return "info", "warning" or "error". */
const char *gt_severity_str(gt_severity s);

/** Every finding code, in the order of docs/findings.md. */
typedef enum {
    /* delegation and server findings */
    GT_F_LAME_SERVER,              /**< a delegated server does not serve the zone */
    GT_F_UPWARD_REFERRAL,          /**< refers to the zone asked or an ancestor */
    GT_F_UNREACHABLE_SERVER,       /**< every query to an address timed out or was refused */
    GT_F_FAMILY_SILENT,            /**< no address of one family replied, the other family did */
    GT_F_DNS_INTERCEPTED,          /**< the roots answered like a recursive middlebox */
    GT_F_GIVEN_SERVER_IS_RESOLVER, /**< the -s / @ server is a recursive resolver (RA=1) */
    GT_F_MISSING_GLUE,             /**< in-domain NS name without glue in a referral */
    GT_F_GLUE_MISMATCH,            /**< parent glue differs from the child's address records */
    GT_F_NS_SET_MISMATCH,          /**< parent NS set differs from the apex NS set */
    GT_F_INCONSISTENT_REFERRALS,   /**< servers of one zone refer differently */
    GT_F_INCONSISTENT_ANSWERS,     /**< authoritative servers of one zone answer differently */
    GT_F_SERIAL_MISMATCH,          /**< servers of one zone serve different SOA serials */
    GT_F_CHECK_INCOMPLETE,         /**< a delegation check got no authoritative reply at all */
    GT_F_NS_IS_CNAME,              /**< an NS name is an alias (RFC 2181 section 10.3) */
    GT_F_TRUNCATED_REFERRAL,       /**< TC=1 over UDP, asked again over TCP */
    GT_F_IGNORED_GLUE,             /**< an additional address record that was not used */
    GT_F_IGNORED_ANSWER_RECORDS,   /**< answer-section records that do not answer the question */
    GT_F_ALREADY_ASKED,            /**< a zone's server not asked: asked before in this trace */
    GT_F_GLUELESS_CYCLE,           /**< an NS name's address needs itself (engine) */
    GT_F_NO_ADDRESS,               /**< a glueless NS name with no address at all */
    GT_F_MALFORMED_RESPONSE,       /**< unparsable reply, or not an answer to the question */
    GT_F_MISMATCHED_REPLY,         /**< replies c-ares dropped: wrong ID, question or source */
    GT_F_TCP_CLOSED,               /**< a server closed TCP connections with queries pending */
    GT_F_LIMIT_REACHED,            /**< a safety limit stopped part of the trace (engine) */
    GT_F_NO_ROUTE,                 /**< no route for an address family on this host (engine) */
    GT_F_NO_AUTHORITATIVE_DATA,    /**< the trace ended without authoritative data: why */
    GT_F_SPECIAL_PURPOSE_ADDRESS,  /**< a loopback/multicast/... server address, not asked */
    GT_F_DNSSEC_DS_NO_KEY,         /**< the parent's DS designates no DNSKEY of the zone */
    GT_F_DNSSEC_DNSKEY_MISSING,  /**< a signed zone's server gives no (or an unsigned) DNSKEY set */
    GT_F_DNSSEC_SIG_EXPIRED,     /**< an RRSIG on the path is expired or not yet valid */
    GT_F_DNSSEC_SIG_INVALID,     /**< an RRSIG on the path does not verify, or is missing */
    GT_F_DNSSEC_NO_DENIAL,       /**< no DS (or no data) without a valid NSEC/NSEC3 proof */
    GT_F_DNSSEC_DNSKEY_MISMATCH, /**< servers of one zone serve different DNSKEY sets */
    GT_F_DNSSEC_SIG_EXPIRING,    /**< an RRSIG on the path expires within 7 days */
    GT_F_DNSSEC_ALGORITHM,       /**< a deprecated or unsupported DNSSEC algorithm or digest */
    GT_F_DNSSEC_NSEC3_ITERATIONS, /**< NSEC3 iterations above the RFC 9276 limit: insecure */
    GT_F_DNSSEC_NO_ANCHOR,        /**< DNSSEC not judged: no trust anchor for this trace */
    GT_F_DNSSEC_WORK_LIMIT, /**< a validation limit (KeyTrap caps, budgets) refused the work */
    GT_F_RATE_LIMITED,      /**< a server rate-limited a bulk run's queries (engine) */
    /* --compare-resolver */
    GT_F_STALE_RESOLVER_ADDRESS,  /**< the resolver's address set for an NS name differs */
    GT_F_RESOLVER_ANSWER_DIFFERS, /**< the resolver's answer differs from the authoritative */
    GT_F_RESOLVER_FOLLOWS_CHILD,  /**< the resolver's NS address is the child's, not the glue */
    GT_F_RESOLVER_STALE,          /**< census: a resolver holds old data (one per resolver) */
    GT_F_RESOLVER_GHOST,          /**< census: a resolver holds a zone the parent dropped */
    GT_F_RESOLVER_FAILED,         /**< census: a resolver gave no data (SERVFAIL, ...) */
    GT_F_RESOLVER_SERVED_STALE,   /**< census: data served past its TTL (RFC 8767, EDE 3/19) */
    GT_F_RESOLVER_TTL_ABOVE_AUTH, /**< census: remaining TTL above the authoritative TTL */
    /* --vs-dig */
    GT_F_DIG_MISLED_BY_RESOLVER,  /**< dig asked an address that is not the glue's */
    GT_F_DIG_ANSWER_DIFFERS,      /**< dig's final answer is not among the authoritative ones */
    GT_F_DIG_STOPPED,             /**< dig never reached an answer */
    GT_F_DIG_OUTPUT_UNPARSED,     /**< parts of the dig output could not be read */
    GT_F_DIG_DS_DIFFERS,          /**< dig saw another DS set than the parent's servers give */
    GT_F_DIG_ASKED_BROKEN_SERVER, /**< dig's path ended at a server gluetrace finds broken */
    GT_F_COUNT                    /**< number of codes (not a code) */
} gt_code;

/**
 * Whom a code is about: the party whose data or behaviour it judges, and so who can fix it.
 * A zone-data finding names the zone and the record or delegation at fault, not the server
 * that relayed it (every server of the parent gives the same referral); a server finding
 * names the server.
 */
typedef enum {
    GT_SUBJ_NONE,     /**< not a subject (a code without a row; never in the table) */
    GT_SUBJ_ZONE,     /**< the zone's (or its parent's) data: delegation, glue, records, keys */
    GT_SUBJ_SERVER,   /**< one server's behaviour: lame, unreachable, stale, broken replies */
    GT_SUBJ_RESOLVER, /**< a recursive resolver's cache (--compare-resolver, --vs-dig) */
    GT_SUBJ_NETWORK,  /**< the network the trace ran from: interception, routes, spoofing */
    GT_SUBJ_RUN,      /**< this run itself: a limit, no trust anchor, unreadable dig output */
} gt_subject;

/** @return "zone", "server", "resolver", "network", "run" (or "none"). */
const char *gt_subject_str(gt_subject s);

/**
 * Whom findings with this code are about.
 * @param[in] c a code below GT_F_COUNT
 * @return its subject; GT_SUBJ_NONE for a value out of range
 */
gt_subject gt_code_subject(gt_code c);

/**
 * The code's name as printed and documented.
 * @param[in] c a code below GT_F_COUNT
 * @return static text such as "LAME_SERVER"; "UNKNOWN" for a value out of range
 */
const char *gt_code_name(gt_code c);

/**
 * The severity every finding with this code has.
 * @param[in] c a code below GT_F_COUNT
 * @return its severity; GT_SEV_ERROR for a value out of range
 */
gt_severity gt_code_severity(gt_code c);

/**
 * What to do about it, in one line (docs/findings.md says more).
 * @param[in] c a code below GT_F_COUNT
 * @return static, non-empty text; "" for a value out of range
 */
const char *gt_code_fix(gt_code c);

/**
 * The full documentation of a code: its section of docs/findings.md (embedded at build time),
 * from its "### `CODE` (severity)" heading up to the next heading.
 * @param[in] c a code below GT_F_COUNT
 * @param[out] len the length of the section (the text is not NUL-terminated there)
 * @return static text, or NULL when the code has no section (out of range, or the document
 *         lacks it)
 */
const char *gt_code_doc(gt_code c, size_t *len);

/**
 * Look a code up by name (for --explain and tests); case-insensitive.
 * @param[in] name a code name such as "LAME_SERVER"
 * @param[out] out the code; left unchanged when not found
 * @return GT_OK, or GT_EINVAL when no code has that name
 */
gt_status gt_code_from_name(const char *name, gt_code *out);

#endif
