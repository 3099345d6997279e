/**
 * @file trace.h
 * @brief The glue-faithful referral engine and the trace it returns.
 *
 * gt_trace_run() walks from the root hints (or a user server) down to the answer over every
 * server and address of every zone cut, and returns everything it saw as plain data: every
 * query with the provenance of its server address, every sub-trace, the distinct answers and
 * the findings. Renderers print that data; the engine prints nothing.
 */
#ifndef GLUETRACE_TRACE_H
#define GLUETRACE_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gluetrace/base/addr.h"
#include "gluetrace/base/array.h"
#include "gluetrace/dns/bailiwick.h"
#include "gluetrace/dns/classify.h"
#include "gluetrace/model/config.h"
#include "gluetrace/dns/hints.h"
#include "gluetrace/transport/transport.h"
#include "gluetrace/wire/wire.h"

/** Deepest chain of sub-traces (a glueless NS name needing a sub-trace needing ...). */
#define GT_MAX_SUBTRACE_DEPTH 8
/** Longest chain of CNAME traces followed from one name (each may cross zones). */
#define GT_MAX_CNAME_CHAIN 8
/** Most traces (main, sub-traces, CNAME traces) in one run. */
#define GT_MAX_TRACES 256
/** Servers of a child zone asked for the addresses of its in-domain NS names (glue check). */
#define GT_MAX_CHECK_SERVERS 2
/** Most addresses remembered as the result of one sub-trace. */
#define GT_MAX_TRACE_ADDRS 32

/** Where a server address came from. */
typedef enum {
    GT_SRC_HINTS,    /**< root hints (built-in or --hints) */
    GT_SRC_GLUE,     /**< glue in a referral (see glue_from, glue_kind) */
    GT_SRC_SUBTRACE, /**< found by a sub-trace from the root (see subtrace) */
    GT_SRC_USER,     /**< given with -s */
    GT_SRC_RESOLVER, /**< the local resolver, asked only with --compare-resolver (RD=1) */
} gt_source;

/** @return "hints", "glue", "subtrace", "user" or "resolver". */
const char *gt_source_str(gt_source s);

/** One query the engine sent (or answered from its referral cache). */
typedef struct gt_query {
    size_t id;              /**< 1-based, in send order */
    size_t parent;          /**< the query whose referral listed this server; 0 for none */
    size_t trace;           /**< index of the trace this query belongs to */
    gt_name zone;           /**< zone the server was asked as a server of */
    gt_name server_name;    /**< the NS name (len 0 when unknown, e.g. -s) */
    gt_addr addr;           /**< the server address */
    gt_source source;       /**< provenance of @ref addr */
    gt_glue_kind glue_kind; /**< GT_SRC_GLUE: in-domain or sibling */
    size_t glue_from;       /**< GT_SRC_GLUE: the query whose referral carried the glue */
    size_t subtrace;        /**< GT_SRC_SUBTRACE: the trace that found the address */
    gt_name qname;          /**< question name */
    uint16_t qtype;         /**< question type */
    bool tcp;               /**< sent over TCP */
    bool rd;                /**< recursion desired (only resolver comparison queries) */
    size_t retry_of;        /**< TCP retry of this truncated UDP query; 0 for none */
    size_t cached_from;     /**< not sent: the referral of this earlier query was reused */
    size_t same_as;         /**< a referral identical to this earlier query's; not followed again */
    bool from_session;      /**< not sent: a referral this server gave an earlier name of the same
                                 bulk run (-f) was reused */

    gt_outcome outcome;   /**< what the reply was (GT_OUT_PENDING until it arrives) */
    gt_status net_status; /**< transport result */
    double rtt_ms;        /**< round trip time; 0 for cached */
    gt_msg *reply;        /**< the parsed reply, NULL when none or unparsable; owned */
    size_t reply_len;     /**< bytes received */
    gt_class cls;         /**< classification details */
    gt_referral referral; /**< GT_OUT_REFERRAL (and upward/sideways): NS set and glue */
    bool has_referral;    /**< @ref referral is filled */
} gt_query;

/** What kind of trace. */
typedef enum {
    GT_TRACE_MAIN,     /**< the user's question */
    GT_TRACE_SUBTRACE, /**< address of a glueless NS name */
    GT_TRACE_CNAME,    /**< target of a CNAME, traced from the root */
    GT_TRACE_CHECK,    /**< delegation check: a child zone's servers asked for its apex NS or
                            for the addresses of its in-domain NS names (glue comparison) */
    GT_TRACE_RESOLVER, /**< --compare-resolver: the local resolver asked with RD=1 */
} gt_trace_kind;

/** How a trace ended. */
typedef enum {
    GT_TS_RUNNING = 0,
    GT_TS_ANSWER,   /**< authoritative data for the name (after CNAMEs) */
    GT_TS_NXDOMAIN, /**< authoritative name error */
    GT_TS_NODATA,   /**< authoritative empty answer */
    GT_TS_FAILED,   /**< no authoritative response reached */
    GT_TS_CYCLE,    /**< stopped: glueless cycle */
    GT_TS_LIMIT,    /**< stopped by a limit (budget, depth, chain) */
} gt_trace_status;

/** @return "main", "subtrace", "cname", "check" or "resolver". */
const char *gt_trace_kind_str(gt_trace_kind k);

/** @return "answer", "nxdomain", "nodata", "failed", "cycle", "limit" or "running". */
const char *gt_trace_status_str(gt_trace_status s);

/** One trace: the main one, a sub-trace of an NS name, or a CNAME target. */
typedef struct gt_tracerec {
    size_t id; /**< index in the result's traces (0 = main) */
    gt_trace_kind kind;
    gt_name name;        /**< name traced */
    uint16_t qtype;      /**< type traced */
    size_t parent_trace; /**< trace that first needed this one (itself for main) */
    size_t requested_by; /**< query whose referral (or CNAME answer) first needed it */
    unsigned depth;      /**< 0 for main; +1 per nesting */
    gt_trace_status status;
    gt_addr addrs[GT_MAX_TRACE_ADDRS]; /**< sub-traces: the addresses found */
    size_t naddrs;
    size_t cname_child; /**< trace following this one's CNAME target; 0 for none */
    gt_name zone;       /**< GT_TRACE_CHECK: the child zone whose servers are asked */
    bool from_session;  /**< sub-trace result reused from an earlier name of a bulk run */
} gt_tracerec;

/** Finding severities. */
typedef enum { GT_SEV_INFO, GT_SEV_WARNING, GT_SEV_ERROR } gt_severity;

/** @return "info", "warning" or "error". */
const char *gt_severity_str(gt_severity s);

/** A verdict about something the trace saw. */
typedef struct gt_finding {
    const char *code; /**< static: "GLUELESS_CYCLE", "LIMIT_REACHED", ... */
    gt_severity severity;
    gt_name zone;                                     /**< zone concerned (len 0 when none) */
    char server[GT_NAME_STRLEN + GT_ADDR_STRLEN + 4]; /**< "name (address)" or "" */
    char *message;                                    /**< owned, one line */
    size_t query;                                     /**< related query id, 0 for none */
} gt_finding;

/** One distinct final answer of the main trace and the servers that gave it. */
typedef struct gt_answer {
    gt_outcome outcome; /**< GT_OUT_ANSWER, GT_OUT_CNAME, GT_OUT_NXDOMAIN or GT_OUT_NODATA */
    size_t first_query; /**< query whose records are shown (the rest gave the same data) */
    size_t *queries;    /**< every query that returned it */
    size_t nqueries;
} gt_answer;

/** Everything a run produced. Free with gt_result_free(). */
typedef struct gt_result {
    gt_name qname;
    uint16_t qtype;
    gt_query **queries; /**< queries[i]->id == i + 1 */
    size_t nqueries;
    gt_tracerec **traces; /**< traces[0] is the main trace */
    size_t ntraces;
    gt_answer *answers;
    size_t nanswers;
    gt_finding *findings;
    size_t nfindings;
    size_t sent;            /**< queries that went to the network (retries not counted) */
    size_t timeouts;        /**< queries that timed out */
    double elapsed_ms;      /**< wall time of the run */
    size_t nhints;          /**< root servers the run started from (0 with -s) */
    struct gt_vsdig *vsdig; /**< --vs-dig comparison, NULL when not asked; owned */
} gt_result;

/** Optional observer of a running trace (progress display, streaming output). */
typedef struct gt_trace_hooks {
    /** Called when a query got its outcome (network reply, failure or cache); may be NULL. */
    void (*on_query)(void *arg, const gt_result *r, const gt_query *q);
    void *arg;
} gt_trace_hooks;

/**
 * Trace cfg->qname/cfg->qtype.
 * @param hints root hints to start from (ignored when cfg->have_server)
 * @param tp transport to send through (borrowed)
 * @param hooks observer, or NULL
 * @param out set to the result (caller frees with gt_result_free()) even when the trace
 *        failed to reach an answer; NULL only on GT_ENOMEM and similar internal errors
 */
gt_status gt_trace_run(const gt_config *cfg, const gt_hints *hints, gt_transport *tp,
                       const gt_trace_hooks *hooks, gt_result **out);

/**
 * Add a finding to a result (used by the engine and by the checks that run after it).
 * @param zone zone concerned, or NULL
 * @param query related query id, or 0; when non-zero and @p server is NULL the finding's
 *        server is that query's server
 * @param server "name (address)" text, or NULL
 * An identical finding (code, zone, message) already present is not added again.
 * @return GT_OK or GT_ENOMEM
 */
gt_status gt_result_add_finding(gt_result *r, const char *code, gt_severity sev,
                                const gt_name *zone, size_t query, const char *server,
                                const char *fmt, ...) GT_PRINTF(7, 8);

/**
 * The reply behind a query: its own, or for a query that was not sent (cached_from) the
 * reply of the query it reused. NULL when there is none.
 */
const gt_msg *gt_query_reply(const gt_result *r, const gt_query *q);

/** What a bulk run (-f) shares across names: referrals and sub-trace results. */
typedef struct gt_session gt_session;

/** Most referrals, and most sub-trace results, a session keeps. */
#define GT_MAX_SESSION_ENTRIES 20000

gt_status gt_session_create(gt_session **out);
/** NULL accepted. */
void gt_session_destroy(gt_session *s);
/** Entries kept (referrals + sub-trace results). */
size_t gt_session_size(const gt_session *s);

/** One name of a bulk run. */
typedef struct gt_bulk_name {
    gt_name name;
    uint16_t qtype;
} gt_bulk_name;

/**
 * Called once per name of a bulk run, in batches, with its result (borrowed: freed after the
 * call; NULL only on internal errors, see @p st).
 */
typedef void (*gt_bulk_emit)(void *arg, size_t index, const gt_result *r, gt_status st);

/**
 * Trace many names through one transport, at most @p concurrency at a time, sharing
 * referrals and sub-trace results across names through @p session (which outlives the call).
 * cfg->qname/qtype are ignored; every other setting applies to each name.
 * @return GT_OK, or a transport / memory error that stopped the run
 */
gt_status gt_trace_bulk(const gt_config *cfg, const gt_hints *hints, gt_transport *tp,
                        gt_session *session, const gt_bulk_name *names, size_t n,
                        unsigned concurrency, gt_bulk_emit emit, void *arg);

/** Free a result; NULL accepted. */
void gt_result_free(gt_result *r);

/**
 * The process exit code for a result: 3 when the main trace reached no authoritative data;
 * else 1 when there is an error finding (or, with @p strict, a warning); else 0.
 */
int gt_result_exit_code(const gt_result *r, bool strict);

#endif
