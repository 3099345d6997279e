/**
 * @file census.h
 * @brief The resolver census (--compare-resolver): per resolver and per datum on the path,
 *        what the resolver holds, its verdict against the authoritative data, and until when.
 *
 * Diagnosis fills it from the resolver queries of a finished result (gt_census_build() in
 * diagnose/); renderers print it; gt_result_free() frees it. docs/stale-caches.md explains the
 * verdicts.
 */
#ifndef GLUETRACE_CENSUS_H
#define GLUETRACE_CENSUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gluetrace/base/addr.h"
#include "gluetrace/wire/name.h"

/** What a resolver holds for one datum, against the authoritative data (worst last). */
typedef enum {
    GT_CV_CURRENT,        /**< the same as the authoritative data now */
    GT_CV_FOLLOWS_PARENT, /**< matches the parent's side of a parent/child difference */
    GT_CV_FOLLOWS_CHILD,  /**< matches the child's side of a parent/child difference */
    GT_CV_FAILED,         /**< no data: SERVFAIL, REFUSED, no reply (see the reason) */
    GT_CV_STALE,          /**< matches neither side: older data, until its TTL runs out */
    GT_CV_GHOST,          /**< data of a zone the parent no longer delegates */
} gt_census_verdict;

/** @return "current", "follows-parent", "follows-child", "failed", "stale" or "ghost". */
const char *gt_census_verdict_str(gt_census_verdict v);

/** Which datum of the path. */
typedef enum {
    GT_DATUM_ANSWER, /**< the final answer to NAME TYPE (its CNAME chain included) */
    GT_DATUM_NS,     /**< the NS set of a zone cut (or of a name the parent no longer delegates) */
    GT_DATUM_ADDR,   /**< the A or AAAA set of an NS name */
} gt_datum_kind;

/** @return "answer", "ns" or "address". */
const char *gt_datum_kind_str(gt_datum_kind k);

/** Size of the text fields of a datum. */
#define GT_CENSUS_TEXT 384

/** One datum as one resolver holds it. */
typedef struct gt_census_datum {
    gt_datum_kind kind;                 /**< what it is */
    gt_name name;                       /**< owner name asked */
    uint16_t qtype;                     /**< type asked */
    gt_census_verdict verdict;          /**< see gt_census_verdict */
    char holds[GT_CENSUS_TEXT];         /**< what the resolver gave, e.g. "{ns1.a., ns2.a.}",
                                             "NXDOMAIN", "{}" (no data) */
    char authoritative[GT_CENSUS_TEXT]; /**< what the authoritative servers give now */
    char reason[GT_CENSUS_TEXT];        /**< failed: why; ghost/follows-*: the parent's view */
    size_t samples;                     /**< replies judged (--samples) */
    bool has_ttl;                       /**< ttl_min/ttl_max/expires_* are set */
    uint32_t ttl_min, ttl_max;          /**< remaining TTL over the samples (seconds) */
    double expires_min, expires_max;    /**< when it runs out (seconds since 1970, UTC) */
    bool has_auth_ttl;                  /**< auth_ttl is known */
    uint32_t auth_ttl;                  /**< the longest TTL the authoritative servers give for
                                             this datum now (parent and child side) */
    bool ttl_exceeds;                   /**< ttl_max > auth_ttl: not from a fresh fetch (TTL
                                             floor or stretching) */
    bool served_stale;                  /**< Extended DNS Error 3 or 19 (RFC 8914): served past
                                             its TTL (RFC 8767) */
    uint16_t ede;                       /**< the first Extended DNS Error seen, 0 for none */
    bool has_ede;                       /**< @ref ede is set */
    size_t query;                       /**< the first reply judged (a gt_query_id) */
    gt_name zone;                       /**< the zone the datum belongs to (for the flush
                                             command: NS sets and answers: the zone cut) */
} gt_census_datum;

/** One resolver's row. */
typedef struct gt_census_resolver {
    gt_addr addr;              /**< its address */
    char set[16];              /**< the name it was given by ("google", "system", "") */
    gt_census_verdict verdict; /**< its worst datum's verdict (current when all are) */
    size_t worst;              /**< index of that datum in @ref data (SIZE_MAX: none) */
    gt_census_datum *data;     /**< every datum asked of it; owned */
    size_t ndata, capdata;     /**< used, allocated */
    size_t queries;            /**< queries sent to it */
    bool asked;                /**< false: its address family was not asked (-4/-6, no route) */
} gt_census_resolver;

/** The whole census. Free with gt_census_free(). */
typedef struct gt_census {
    double asked_at;               /**< when the census began (seconds since 1970, UTC) */
    gt_census_resolver *resolvers; /**< one per --compare-resolver address, in order; owned */
    size_t nresolvers;             /**< entries in @ref resolvers */
    size_t stale;                  /**< resolvers whose verdict is stale or ghost */
} gt_census;

/**
 * "HH:MM:SS" of @p t (seconds since 1970) in UTC, with the date in front ("YYYY-MM-DD ") when
 * it is not the day of @p ref. @return @p buf
 */
const char *gt_census_utc(double t, double ref, char *buf, size_t size);

/** Free a census and what it owns; NULL accepted. */
void gt_census_free(gt_census *c);

#endif
