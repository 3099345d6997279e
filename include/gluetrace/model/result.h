/**
 * @file result.h
 * @brief The facts a trace run produced: queries, traces, answers and findings.
 *
 * The engine fills a gt_result while it runs (queries, traces, the findings it meets on the
 * way); diagnosis adds the answer groups and the derived findings afterwards; renderers only
 * read it. This header is the contract between those three: it knows none of them.
 *
 * Ownership, once a run has returned its result:
 * - the caller owns the gt_result and frees it with gt_result_free(), which frees every
 *   query, trace, answer and finding in it (and nothing else: see @ref gt_result.vsdig);
 * - pointers inside (queries[i], traces[i], reply, referral arrays, answers[i].queries,
 *   findings[i].message) are owned by the result and valid until gt_result_free();
 * - ids (gt_query_id, gt_trace_id) are plain indexes, valid as long as the result.
 * While the run is going (gt_trace_hooks.on_query), the result is borrowed: valid only during
 * the callback, and its arrays may move between callbacks.
 */
#ifndef GLUETRACE_RESULT_H
#define GLUETRACE_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gluetrace/base/addr.h"
#include "gluetrace/base/array.h"
#include "gluetrace/base/status.h"
#include "gluetrace/dns/bailiwick.h"
#include "gluetrace/dns/classify.h"
#include "gluetrace/model/codes.h"
#include "gluetrace/wire/wire.h"

/** Deepest chain of sub-traces (a glueless NS name needing a sub-trace needing ...). */
#define GT_MAX_SUBTRACE_DEPTH 8
/** Longest chain of CNAME traces followed from one name (each may cross zones). */
#define GT_MAX_CNAME_CHAIN 8
/** Most traces (main, sub-traces, CNAME traces) in one run. */
#define GT_MAX_TRACES 256
/** Most addresses remembered as the result of one sub-trace. */
#define GT_MAX_TRACE_ADDRS 32

/** A query's number in a result: 1-based, in send order; 0 means "none". */
typedef size_t gt_query_id;
/** A trace's number in a result: index in gt_result.traces (0 is the main trace). */
typedef size_t gt_trace_id;

/** Where a server address came from. */
typedef enum {
    GT_SRC_HINTS,    /**< root hints (built-in or --hints) */
    GT_SRC_GLUE,     /**< glue in a referral (see glue_from, glue_kind) */
    GT_SRC_SUBTRACE, /**< found by a sub-trace from the root (see subtrace) */
    GT_SRC_USER,     /**< given with -s */
    GT_SRC_RESOLVER, /**< the local resolver, asked only with --compare-resolver (RD=1) */
    GT_SRC_CHILD,    /**< the zone's own address record for the NS name, where it differs from
                          the parent's glue (see glue_from: the delegation-check query) */
} gt_source;

/** @return "hints", "glue", "subtrace", "user", "resolver" or "child" (static). */
const char *gt_source_str(gt_source s);

/** One query the engine sent (or answered from its referral cache). */
typedef struct gt_query {
    gt_query_id id;          /**< 1-based, in send order */
    gt_query_id parent;      /**< the query whose referral listed this server; 0 for none */
    gt_trace_id trace;       /**< the trace this query belongs to */
    gt_name zone;            /**< zone the server was asked as a server of */
    gt_name server_name;     /**< the NS name (len 0 when unknown, e.g. -s) */
    gt_addr addr;            /**< the server address */
    gt_source source;        /**< provenance of @ref addr */
    gt_glue_kind glue_kind;  /**< GT_SRC_GLUE: in-domain or sibling */
    gt_query_id glue_from;   /**< GT_SRC_GLUE: the query whose referral carried the glue;
                                  GT_SRC_CHILD: the check query whose answer gave the address */
    gt_trace_id subtrace;    /**< GT_SRC_SUBTRACE: the trace that found the address */
    gt_name qname;           /**< question name */
    uint16_t qtype;          /**< question type */
    bool tcp;                /**< sent over TCP */
    bool rd;                 /**< recursion desired (only resolver comparison queries) */
    bool cd;                 /**< checking disabled: a resolver asked again after a SERVFAIL,
                                  to tell a DNSSEC failure from others */
    unsigned sample;         /**< resolver census: which sample of this question this is (1 to
                                  --samples); 0 for every other query */
    double sent_ms;          /**< when it was sent, in ms after the run started (0: not sent) */
    gt_query_id retry_of;    /**< TCP retry of this truncated UDP query; 0 for none */
    gt_query_id cached_from; /**< not sent: the referral of this earlier query was reused */
    gt_query_id same_as; /**< a referral identical to this earlier query's; not followed again */
    bool from_session;   /**< not sent: a referral (or a DNSKEY reply: then @ref reply is a
                              copy of it) this server gave an earlier name of the same bulk
                              run (-f) was reused */

    gt_outcome outcome;   /**< what the reply was (GT_OUT_PENDING until it arrives; still
                               GT_OUT_PENDING in a cancelled run whose reply never came) */
    gt_status net_status; /**< transport result */
    double rtt_ms;        /**< round trip time; 0 for cached */
    gt_msg *reply;        /**< the parsed reply, NULL when none or unparsable; owned by the
                               query (freed by gt_result_free()) */
    size_t reply_len;     /**< bytes received */
    gt_class cls;         /**< classification details */
    gt_referral referral; /**< GT_OUT_REFERRAL (and upward/sideways): NS set and glue; its
                               arrays are owned by the query */
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
    GT_TS_RUNNING = 0, /**< not ended (only seen while the run goes on) */
    GT_TS_ANSWER,      /**< authoritative data for the name (after CNAMEs) */
    GT_TS_NXDOMAIN,    /**< authoritative name error */
    GT_TS_NODATA,      /**< authoritative empty answer */
    GT_TS_FAILED,      /**< no authoritative response reached */
    GT_TS_CYCLE,       /**< stopped: glueless cycle */
    GT_TS_LIMIT,       /**< stopped by a limit (budget, depth, chain) */
    GT_TS_INTERRUPTED, /**< the run was cancelled before this trace ended */
} gt_trace_status;

/** @return "main", "subtrace", "cname", "check" or "resolver" (static). */
const char *gt_trace_kind_str(gt_trace_kind k);

/**
 * @return "answer", "nxdomain", "nodata", "failed", "cycle", "limit", "interrupted" or
 *         "running" (static)
 */
const char *gt_trace_status_str(gt_trace_status s);

/** DNSSEC status of a zone cut, a server or an answer (RFC 4033 5 terms). */
typedef enum {
    GT_DNSSEC_OFF = 0,       /**< not judged (--no-dnssec, or nothing to judge) */
    GT_DNSSEC_SECURE,        /**< chain of trust from the anchor verified */
    GT_DNSSEC_INSECURE,      /**< proven unsigned: a referral above proved there is no DS */
    GT_DNSSEC_BOGUS,         /**< should be signed but does not validate (see the reason) */
    GT_DNSSEC_INDETERMINATE, /**< cannot be judged: no trust anchor, no DNSKEY reply, ... */
} gt_dnssec_state;

/** @return "off", "secure", "insecure", "bogus" or "indeterminate" (static). */
const char *gt_dnssec_state_str(gt_dnssec_state s);

/**
 * The word for a reply that says the name does not exist, as the server said it: "YXDOMAIN"
 * when its rcode is YXDOMAIN (a DNAME substitution too long, classified GT_OUT_NXDOMAIN),
 * else "NXDOMAIN".
 * @param[in] m the reply, or NULL
 * @return static text
 */
const char *gt_nx_word(const gt_msg *m);

/** Size of gt_dnssec_cut.reason (and of the other DNSSEC reasons). */
#define GT_DNSSEC_REASON_MAX 200

/** One trace: the main one, a sub-trace of an NS name, or a CNAME target. */
typedef struct gt_tracerec {
    gt_trace_id id;           /**< index in the result's traces (0 = main) */
    gt_trace_kind kind;       /**< what it is for */
    gt_name name;             /**< name traced */
    uint16_t qtype;           /**< type traced */
    gt_trace_id parent_trace; /**< trace that first needed this one (itself for main) */
    gt_query_id requested_by; /**< query whose referral (or CNAME answer) first needed it */
    unsigned depth;           /**< 0 for main; +1 per nesting */
    gt_trace_status status;   /**< how it ended */
    gt_addr addrs[GT_MAX_TRACE_ADDRS]; /**< sub-traces: the addresses found */
    size_t naddrs;                     /**< entries used in @ref addrs */
    gt_trace_id cname_child;           /**< trace following this one's CNAME target; 0 for none */
    gt_name zone;           /**< GT_TRACE_CHECK: the child zone whose servers are asked */
    bool from_session;      /**< sub-trace result reused from an earlier name of a bulk run */
    gt_dnssec_state dnssec; /**< main, CNAME and sub-traces: the DNSSEC status of this trace's
                                 own final replies (the best any server reached), capped by the
                                 traces its answer depends on (diagnosis); GT_DNSSEC_OFF: not
                                 judged */
    char dnssec_reason[GT_DNSSEC_REASON_MAX]; /**< why, when not secure */
} gt_tracerec;

/** A verdict about something the trace saw. */
typedef struct gt_finding {
    gt_code code; /**< what it is; its name and severity come from the registry (codes.h) */
    gt_name zone; /**< zone concerned (len 0 when none) */
    char server[GT_NAME_STRLEN + GT_ADDR_STRLEN + 4]; /**< "name (address)" or "", for display */
    char *message;                                    /**< one line; owned by the result */
    gt_query_id query;                                /**< related query id, 0 for none */
    gt_name server_name;  /**< the server's NS name as data (len 0: none or not known) */
    gt_addr server_addr;  /**< its address, when @ref has_server_addr */
    bool has_server_addr; /**< @ref server_addr is set */
} gt_finding;

/**
 * One distinct reply at one link of the main trace's answer chain, and the servers that gave
 * it. The answer to the question is a chain: link 0 is the question's name, link n the n-th
 * alias (CNAME) target traced from the root, each answered by its own zone. Entries of the
 * same link are alternatives: more than one means the servers disagree about that name.
 */
typedef struct gt_answer {
    gt_outcome outcome;      /**< GT_OUT_ANSWER, GT_OUT_CNAME, GT_OUT_NXDOMAIN or GT_OUT_NODATA;
                                  GT_OUT_LAME for a non-authoritative entry (gt_result.nonauth) */
    size_t link;             /**< place in the chain (0: the question's name) */
    gt_name name;            /**< the name asked at this link */
    gt_name zone;            /**< the zone whose servers gave it (the first query's) */
    size_t nalternatives;    /**< entries at this link in the same array (1: all agree) */
    gt_query_id first_query; /**< query whose records are shown (the rest gave the same data) */
    size_t *rrs; /**< indexes into that query's answer section of the records that answer the
                      question (owner in the alias chain, inside the zone); owned */
    size_t nrrs; /**< entries in @ref rrs */
    gt_query_id *queries; /**< every query that returned it; owned by the result */
    size_t nqueries;      /**< entries in @ref queries */
    size_t capqueries;    /**< allocated entries in @ref queries */
} gt_answer;

/** Most codes folded into one problem besides its own (see gt_problem.also). */
#define GT_PROBLEM_MAX_ALSO 4

/**
 * One problem: the findings of one code about one server name (or about the zone as a whole)
 * of one zone, grouped, whatever the number of addresses or replies behind them, with the
 * problems it causes folded under it (@ref then). Filled by diagnosis (gt_problems_group());
 * renderers print it instead of each finding again. Info findings are grouped the same way
 * into notes (gt_result.notes), which are not problems.
 */
typedef struct gt_problem {
    gt_code code;                /**< the findings' code */
    gt_name zone;                /**< zone concerned (len 0 when none) */
    char server[GT_NAME_STRLEN]; /**< the server's name; its address when it has no name; ""
                                      for a problem of the zone as a whole (for display) */
    gt_name server_name;         /**< the server's NS name as data (len 0: no name, or a
                                      problem of the zone as a whole) */
    gt_addr *addrs;     /**< the distinct addresses of that server the findings concern; owned */
    size_t naddrs;      /**< entries in @ref addrs */
    size_t capaddrs;    /**< allocated entries in @ref addrs */
    size_t *findings;   /**< indexes in gt_result.findings of every finding grouped here; owned */
    size_t nfindings;   /**< entries in @ref findings */
    size_t capfindings; /**< allocated entries in @ref findings */
    size_t *messages;   /**< indexes (in gt_result.findings) of the findings with distinct
                             messages, in order; owned */
    size_t nmessages;   /**< entries in @ref messages */
    size_t capmessages; /**< allocated entries in @ref messages */
    gt_code also[GT_PROBLEM_MAX_ALSO]; /**< codes raised for the very same replies, folded in
                                            (e.g. UPWARD_REFERRAL beside LAME_SERVER) */
    size_t nalso;                      /**< entries in @ref also */
    gt_code then[GT_PROBLEM_MAX_ALSO]; /**< codes of the problems this one causes, folded in
                                            with their findings and messages (e.g.
                                            NO_AUTHORITATIVE_DATA under GLUELESS_CYCLE); the
                                            problem's fix is its own code's */
    size_t nthen;                      /**< entries in @ref then */
    gt_severity severity;              /**< the worst of its code's and of @ref then */
} gt_problem;

/** gt_dnssec_cut.up of a cut with no zone above it (the root, or a trace's first cut). */
#define GT_DNSSEC_NO_UP ((size_t)-1)
/** Most keys listed per zone cut (gt_dnssec_cut.ksk_tags). */
#define GT_DNSSEC_MAX_KEYS 4

/**
 * The DNSSEC judgement of one zone cut that a followed trace (main, CNAME, sub-trace) went
 * through (filled by diagnosis). A zone is judged once, whatever the number of traces that
 * cross it.
 */
typedef struct gt_dnssec_cut {
    gt_name zone;      /**< the zone */
    gt_trace_id trace; /**< the first trace whose path crosses it (0: main) */
    size_t up;         /**< index in gt_result.dnssec of the zone above it, or GT_DNSSEC_NO_UP */
    gt_dnssec_state state;             /**< its status (the best any of its servers reached) */
    char reason[GT_DNSSEC_REASON_MAX]; /**< one line: why (bogus, indeterminate), or "" */
    size_t nds; /**< DS records (or anchors, for the root) designating keys */
    uint16_t ksk_tags[GT_DNSSEC_MAX_KEYS]; /**< tags of the DS-designated keys that signed the
                                                DNSKEY set */
    uint8_t ksk_algs[GT_DNSSEC_MAX_KEYS];  /**< their algorithms */
    size_t nksk;                           /**< entries in @ref ksk_tags */
    size_t nservers;                       /**< servers whose DNSKEY reply was judged */
    size_t nsecure;                        /**< of those, the ones whose DNSKEY set validated */
    gt_query_id referral; /**< the referral whose DS (or no-DS proof) was used; 0: root */
} gt_dnssec_cut;

/**
 * The DNSSEC judgement of one server address of a zone cut: what its reply to the DNSKEY
 * question (a delegation check) gave. Filled by diagnosis (gt_dnssec_servers()) from the
 * replies and the DNSSEC findings raised on them.
 */
typedef struct gt_dnssec_server {
    size_t cut;            /**< index in gt_result.dnssec of the zone cut */
    gt_query_id query;     /**< the DNSKEY query */
    gt_dnssec_state state; /**< GT_DNSSEC_SECURE (its DNSKEY set validated), GT_DNSSEC_BOGUS
                                (see @ref finding), or GT_DNSSEC_OFF (no reply to judge: a
                                timeout, a refusal, a lame reply; other findings say so) */
    size_t finding;        /**< bogus: index in gt_result.findings of the finding raised on the
                                reply; SIZE_MAX otherwise */
} gt_dnssec_server;

struct gt_vsdig;
struct gt_census;

/** Everything a run produced. Free with gt_result_free(). */
typedef struct gt_result {
    gt_name qname;        /**< the question of the main trace */
    uint16_t qtype;       /**< its type */
    gt_query **queries;   /**< queries[i]->id == i + 1; each owned by the result */
    size_t nqueries;      /**< entries in @ref queries */
    size_t capqueries;    /**< allocated entries in @ref queries */
    gt_tracerec **traces; /**< traces[0] is the main trace; GT_MAX_TRACES slots; each owned */
    size_t ntraces;       /**< traces used */
    gt_answer *answers;   /**< filled by diagnosis (gt_diagnose()), in link order; owned */
    size_t nanswers;      /**< entries in @ref answers */
    size_t capanswers;    /**< allocated entries in @ref answers */
    size_t nlinks;        /**< links of the answer chain (1 + the highest answers[].link) */
    gt_answer *nonauth;   /**< data that servers without AA gave on the main path (never the
                               answer, shown beside it); filled by diagnosis; owned */
    size_t nnonauth;      /**< entries in @ref nonauth */
    size_t capnonauth;    /**< allocated entries in @ref nonauth */
    gt_finding *findings; /**< owned */
    size_t nfindings;     /**< entries in @ref findings */
    size_t capfindings;   /**< allocated entries in @ref findings */
    gt_problem *problems; /**< the error and warning findings grouped (gt_problems_group()),
                               worst first; owned */
    size_t nproblems;     /**< entries in @ref problems */
    size_t capproblems;   /**< allocated entries in @ref problems */
    gt_problem *notes;    /**< the info findings grouped the same way, not problems; they
                               follow the problems in the same allocation (problems +
                               nproblems), borrowed from it */
    size_t nnotes;        /**< entries in @ref notes */
    size_t sent;          /**< queries that went to the network (retries not counted) */
    size_t timeouts;      /**< queries that timed out */
    double elapsed_ms;    /**< wall time of the run */
    struct gt_dnssec_ctx *dnssec_ctx; /**< the run's DNSSEC context (engine hooks), for diagnose;
                                           borrowed, may be NULL */
    size_t dnssec_checks;     /**< signature checks libcrypto did for this name while it was traced
                                   (its budget, GT_DNSSEC_MAX_CHECKS_PER_NAME, goes on in diagnose) */
    double start_unix;        /**< when the run started, in seconds since 1970 (UTC), so that a
                                   query's sent_ms is a time of day (the census's expiry times) */
    struct gt_census *census; /**< --compare-resolver: what each resolver holds (diagnosis);
                                   owned, freed by gt_result_free(); NULL when not asked */
    size_t nhints;            /**< root servers the run started from (0 with -s) */
    bool interrupted;         /**< the run was cancelled (gt_trace_hooks.cancel) */
    gt_dnssec_cut *dnssec;    /**< DNSSEC per zone cut: the main trace's top down, then the cuts
                                   only CNAME traces and sub-traces crossed (every zone above
                                   comes first); filled by diagnosis; owned */
    size_t ndnssec;           /**< entries in @ref dnssec */
    gt_dnssec_state answer_dnssec; /**< the final answer's DNSSEC status, the weakest link of
                                        the main trace and its CNAME targets (GT_DNSSEC_OFF: not
                                        judged) */
    char answer_dnssec_reason[GT_DNSSEC_REASON_MAX]; /**< why, for bogus/indeterminate */
    gt_dnssec_server *dnssec_servers; /**< per server of each cut in @ref dnssec, cut by cut
                                           (diagnosis); owned */
    size_t ndnssec_servers;           /**< entries in @ref dnssec_servers */
    /**
     * --vs-dig comparison to print with the result, NULL when not asked. Borrowed: whoever
     * made it (the CLI) frees it with gt_vsdig_free() after rendering; gt_result_free() does
     * not touch it.
     */
    struct gt_vsdig *vsdig;
} gt_result;

/**
 * Add a finding to a result (used by the engine and by the checks that run after it). Its
 * severity is the code's (gt_code_severity()).
 * @param[in,out] r the result
 * @param[in] code what it is
 * @param[in] zone zone concerned, or NULL
 * @param[in] query related query id, or 0; when non-zero and @p server is NULL the finding's
 *        server is that query's server
 * @param[in] server "name (address)" text, or NULL (copied)
 * An identical finding (code, zone, message) already present is not added again.
 * @return GT_OK or GT_ENOMEM
 */
gt_status gt_result_add_finding(gt_result *r, gt_code code, const gt_name *zone, gt_query_id query,
                                const char *server, const char *fmt, ...) GT_PRINTF(6, 7);

/**
 * The reply behind a query: its own, or for a query that was not sent (cached_from) the
 * reply of the query it reused.
 * @return borrowed from @p r (valid until gt_result_free()), or NULL when there is none
 */
const gt_msg *gt_query_reply(const gt_result *r, const gt_query *q);

/** Free a result and everything it owns; NULL accepted. */
void gt_result_free(gt_result *r);

/**
 * The process exit code for a result: 3 when the main trace reached no authoritative data;
 * else 1 when there is an error finding (or, with @p strict, a warning); else 0.
 * 4 for NULL or an empty result.
 */
int gt_result_exit_code(const gt_result *r, bool strict);

#endif
