/*
 * The engine's private model: one run's working state, its named states and the functions
 * the engine files share. Nothing here is seen outside src/engine.
 *
 * Files: engine.c (lifecycle, states, errors, run and cancel), zcut.c (zone cuts, their
 * candidate servers, the all-paths / --one strategies), query.c (asking a server, replies),
 * traces.c (traces, sub-traces, waiters, cycles, completion), checks.c (delegation checks),
 * dnskeys.c (DNSKEY queries for DNSSEC), resolver.c (--compare-resolver), session.c (bulk
 * runs).
 *
 * Bookkeeping is by index (queries, traces and zone cuts live in arrays that grow), so no
 * pointer into a growing array is held across a call that can add to it.
 */
#ifndef GLUETRACE_ENGINE_INT_H
#define GLUETRACE_ENGINE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gluetrace/base/clock.h"
#include "gluetrace/base/array.h"
#include "gluetrace/dns/hints.h"
#include "gluetrace/dnssec/dnssec.h"
#include "gluetrace/engine/trace.h"
#include "gluetrace/transport/transport.h"

/** Queries of one run that may be kept at most (network plus cached), whatever the budget. */
#define GT_MAX_RECORDS 100000

/** Root replies that answer like a recursive middlebox before a run stops (interception). */
#define GT_INTERCEPT_EVIDENCE 3

/** Index of a zone cut in engine.zcuts. */
typedef size_t zcut_id;

/** "No such trace / zone cut" for the functions returning an index. */
#define NO_ID SIZE_MAX

/** Where a run is (engine_set_state() logs each change). */
typedef enum {
    ENGINE_TRACING,   /**< following referrals (the normal state) */
    ENGINE_COMPARING, /**< the trace went idle; --compare-resolver queries are out */
    ENGINE_CANCELLED, /**< cancel requested: nothing more is sent or followed */
    ENGINE_FAILED,    /**< an internal error (memory) was recorded in engine.fatal */
    ENGINE_DONE,      /**< finished: the result was handed over */
} engine_state;

/** Where one trace is (trace_set_state()). */
typedef enum {
    TRACE_RUNNING, /**< queries of its own are in flight */
    TRACE_WAITING, /**< nothing in flight; waiting for other traces (sub-traces, CNAME) */
    TRACE_DONE,    /**< ended; gt_tracerec.status says how */
} trace_state;

/**
 * Where one zone cut is (zcut_set_state()). In all-paths mode every candidate is asked as it
 * arrives, so a cut goes COLLECTING -> ASKING at its first query and stays there (its trace's
 * state says when it is over); --one walks the candidates one at a time and uses all four.
 */
typedef enum {
    ZCUT_COLLECTING,       /**< open, nothing being asked right now; candidates may come */
    ZCUT_ASKING,           /**< a query to one of its servers is out (--one: exactly one) */
    ZCUT_WAITING_SUBTRACE, /**< --one: every candidate tried, sub-traces of glueless NS names
                                are still looking for more */
    ZCUT_DONE,             /**< --one: a usable reply arrived; nothing more is asked */
} zcut_state;

/** A server address the engine may ask, with its provenance. */
typedef struct cand {
    gt_name ns;            /**< NS name (len 0 for -s and the resolver) */
    gt_addr addr;          /**< the address */
    gt_source src;         /**< where the address came from */
    gt_glue_kind kind;     /**< GT_SRC_GLUE: in-domain or sibling */
    gt_query_id glue_from; /**< GT_SRC_GLUE: the referral that carried the glue */
    gt_trace_id subtrace;  /**< GT_SRC_SUBTRACE: the trace that found it */
    gt_query_id from;      /**< referral that listed this server when not the cut's own (checks) */
} cand;

/** A zone cut being followed within one trace (after Unbound's delegpt). */
typedef struct zcut {
    gt_trace_id trace;             /**< trace it belongs to */
    gt_name zone;                  /**< the zone cut */
    gt_query_id from;              /**< referral query id; 0 for hints or -s */
    zcut_state state;              /**< see zcut_state */
    cand *cands;                   /**< --one: candidate addresses in order */
    size_t ncands, capcands, next; /**< used, allocated, next to ask */
    gt_name *glueless;             /**< --one: NS names without glue, sub-traced lazily */
    size_t nglueless, capglueless, next_glueless; /**< used, allocated, next to sub-trace */
    size_t awaited; /**< sub-traces with addresses still to come for this cut */
} zcut;

/** Who waits for a trace's addresses or completion. */
typedef struct waiter {
    gt_trace_id target; /**< trace waited on */
    bool for_trace;     /**< true: a CNAME parent trace; false: a zone cut */
    size_t who;         /**< zone cut (zcut_id) or parent trace (gt_trace_id) */
    gt_name ns;         /**< the NS name (zone cut waiters) */
    size_t delivered;   /**< addresses of target already handed over */
    bool open;          /**< still counted in the waiting trace's waits */
} waiter;

/** A referral kept for reuse by later traces (same server, name under the cut). */
typedef struct cached_ref {
    gt_addr addr;      /**< server that gave it */
    gt_name zone;      /**< the cut it points to */
    gt_query_id query; /**< the query that got it */
} cached_ref;

/** Per-trace engine state, parallel to result->traces. */
typedef struct tstate {
    trace_state state;                     /**< see trace_state */
    size_t inflight;                       /**< network queries out (or waiting for a shared one) */
    size_t waits;                          /**< open waiters this trace is blocked on */
    unsigned seen;                         /**< outcomes met: bit (1u << gt_outcome) */
    gt_addr *asked;                        /**< servers asked in this trace (dedup) */
    bool *asked_tcp;                       /**< over TCP, parallel to @ref asked */
    size_t nasked, capasked, capasked_tcp; /**< used; allocated asked, asked_tcp */
    gt_query_id *followed;         /**< referral queries followed (for same-referral detection) */
    size_t nfollowed, capfollowed; /**< used, allocated */
    unsigned chain;                /**< CNAME traces before this one */
    zcut_id zcut;                  /**< check and resolver traces: their one zone cut */
    bool cyclic;                   /**< its resolution needs itself (glueless cycle found) */
    bool addrs_capped;             /**< GT_MAX_TRACE_ADDRS reached (reported once) */
    char *cycle_msg;         /**< that cycle, reported if the trace ends without addresses; owned */
    gt_name cycle_zone;      /**< zone of the cut where the cycle closed */
    gt_query_id cycle_query; /**< referral that needed the cyclic name */
    size_t checked;          /**< check traces: servers asked */
} tstate;

/** What a query in flight carries back to on_reply() (owned by the engine until then). */
typedef struct sendctx {
    struct engine *e; /**< the run */
    gt_query_id qid;  /**< the query */
} sendctx;

/** Per query (index id - 1): engine bookkeeping beside the public gt_query. */
typedef struct qinfo {
    zcut_id zcut; /**< the zone cut it asks for */
    sendctx *ctx; /**< in flight on the transport: its callback argument; else NULL */
} qinfo;

struct path_strategy;

/** One run: the main trace of one name and everything it started. */
typedef struct engine {
    const gt_config *cfg;                 /**< borrowed for the run */
    const gt_hints *hints;                /**< borrowed for the run */
    const gt_trace_hooks *hooks;          /**< observer and cancel flag, may be NULL */
    const struct path_strategy *strategy; /**< all paths or --one (zcut.c) */
    gt_transport *tp;                     /**< borrowed */
    gt_result *res;                       /**< the result being built; owned until handed over */
    engine_state state;                   /**< see engine_state */
    gt_status fatal;                      /**< first internal error (engine_fail()) */
    bool debug;                           /**< GLUETRACE_DEBUG=1: log state changes */
    qinfo *qi;                            /**< per query id - 1 */
    size_t capqi;                         /**< allocated entries in @ref qi */
    tstate *ts;                           /**< GT_MAX_TRACES entries */
    zcut *zcuts;                          /**< every zone cut of every trace */
    size_t nzcuts, capzcuts;              /**< used, allocated */
    waiter *waiters;                      /**< every waiter */
    size_t nwaiters, capwaiters;          /**< used, allocated */
    cached_ref *cache;                    /**< referrals for reuse (not with --no-cache) */
    size_t ncache, capcache;              /**< used, allocated */
    bool family_dead[2];                  /**< [0] IPv4, [1] IPv6: no route from this host, or
                                               silent while the other family answers */
    bool public_start;        /**< started from hints (or -s) with no special-purpose address: such
                                   addresses met later are not asked (gt_addr_is_special()) */
    size_t fam_replied[2];    /**< per family: queries that got a reply */
    size_t fam_silent[2];     /**< per family: queries that timed out */
    size_t roots_intercepted; /**< root replies with RA=1, no AA, no referral */
    size_t roots_genuine;     /**< root replies a root server can give */
    bool budget_noted;        /**< the budget finding was added */
    size_t budget_skipped;    /**< server queries not sent for the budget */
    uint16_t next_id;         /**< DNS ID of the next query (the transport re-IDs) */
    gt_query_id *sent_ids;    /**< queries that went to the network (run-wide dedup) */
    size_t nsent_ids, capsent_ids; /**< used, allocated */
    gt_query_id (*shares)[2];      /**< [0] a query in flight, [1] a query of another trace waiting
                                        for its reply */
    size_t nshares, capshares;     /**< used, allocated */
    gt_session *session; /**< bulk runs: referrals and sub-traces shared across names; or NULL */
    bool records_capped; /**< GT_MAX_RECORDS reached (reported once) */
    double t0;           /**< start time */
    double t_last;       /**< when the last reply was acted on (0: none yet) */
    gt_dnssec_budget dnssec; /**< this name's signature checks while it is traced (preverify.c) */
    gt_query_id *keysets;    /**< DNSKEY replies whose key set is new in their zone (preverify.c) */
    size_t nkeysets, capkeysets; /**< used, allocated */
    unsigned resolver_round;     /**< census: the sample round being asked (1 after the phase) */
} engine;

/** What launch() and ask() did with a candidate. */
typedef enum { LAUNCH_SKIPPED, LAUNCH_SENT, LAUNCH_CACHED } launch_result;

/* ---- engine.c ---- */

/** The query with id @p id (1-based). */
static inline gt_query *query_at(const engine *e, gt_query_id id)
{
    return e->res->queries[id - 1];
}

/** The trace with id @p id. */
static inline gt_tracerec *trace_at(const engine *e, gt_trace_id id)
{
    return e->res->traces[id];
}

/** The zone cut @p d (invalidated by zcut_new()). */
static inline zcut *zcut_at(const engine *e, zcut_id d)
{
    return &e->zcuts[d];
}

/** Record the first internal error of the run (later ones are dropped) and stop. */
void engine_fail(engine *e, gt_status st);
/** Grow an array so that index n fits; on failure engine_fail(GT_ENOMEM) and false. */
bool engine_reserve(engine *e, void **arr, size_t *cap, size_t n, size_t elem);
/** True when nothing more may be sent or followed (cancelled); notices a new cancel request. */
bool engine_stopped(engine *e);
void engine_set_state(engine *e, engine_state st);
void trace_set_state(engine *e, gt_trace_id t, trace_state st);
void zcut_set_state(engine *e, zcut_id d, zcut_state st);
const char *engine_state_str(engine_state s);
const char *trace_state_str(trace_state s);
const char *zcut_state_str(zcut_state s);
/** Add a finding about query @p query (0: none) to the result; engine_fail() on failure. */
void engine_finding(engine *e, gt_code code, const gt_name *zone, gt_query_id query,
                    const char *fmt, ...) GT_PRINTF(5, 6);
/** Set up @p e for (qname, qtype) and send its first queries. */
gt_status engine_start(engine *e, const gt_config *cfg, const gt_hints *hints, gt_transport *tp,
                       const gt_trace_hooks *hooks, gt_session *session, const gt_name *qname,
                       uint16_t qtype);
/** The transport went idle: break a deadlock or start the resolver phase; true if busy again. */
bool engine_step(engine *e);
/** End the run: finish every trace, free the working state, hand the result over. */
gt_status engine_finish(engine *e, gt_result **out);

/* ---- zcut.c ---- */

/** The decisions where all-paths and --one differ, consulted at each of them. */
typedef struct path_strategy {
    const char *name;
    /** A zone cut got one more server address: ask it now, or queue it. */
    void (*offer)(engine *e, zcut_id d, const cand *c);
    /** An NS name of the cut has no usable glue: sub-trace it now, or queue it. */
    void (*glueless)(engine *e, zcut_id d, const gt_name *ns);
    /** Every server of a referral was offered to its new cut. */
    void (*referral_done)(engine *e, zcut_id d);
    /** A query of the cut got its outcome; @p retry_out: a TCP retry of it is out. */
    void (*reply_done)(engine *e, zcut_id d, gt_query_id q, bool retry_out);
    /** A sub-trace the cut waited on ended. */
    void (*subtrace_done)(engine *e, zcut_id d);
    /** Whether the delegation checks run (they ask every server: all-paths only). */
    bool delegation_checks;
} path_strategy;

/** The strategy for @p cfg. */
const path_strategy *path_strategy_for(const gt_config *cfg);
/** A new zone cut of trace @p trace; NO_ID when out of memory. */
zcut_id zcut_new(engine *e, gt_trace_id trace, const gt_name *zone, gt_query_id from);
/** Start trace @p trace at the root hints (or at the -s server for the main trace). */
void start_from_hints(engine *e, gt_trace_id trace);
/** Follow the referral of query @p qid: a new zone cut whose servers come from its glue. */
void follow_referral(engine *e, gt_query_id qid);

/* ---- query.c ---- */

/** Ask candidate @p c of cut @p d (filters, dedup, referral cache), over TCP when @p tcp. */
launch_result launch(engine *e, zcut_id d, const cand *c, bool tcp);
/** Copy a referral (its arrays owned by @p dst); false when out of memory. */
bool copy_referral(const gt_referral *src, gt_referral *dst);
/**
 * The census: send the question of cut @p d's trace to resolver @p c now, whatever was asked
 * before (samples and CD=1 re-asks are new queries); @p sample is its sample number.
 * @return the query id, 0 when not sent (stopped, family skipped, budget, memory)
 */
gt_query_id resolver_send(engine *e, zcut_id d, const cand *c, bool cd, unsigned sample);
/** Traces that walk referrals; check and resolver traces only ask their fixed servers. */
bool trace_follows(gt_trace_kind k);

/** @p c: the server of query @p q (name, address, provenance), as a candidate to ask again. */
void cand_of_query(const gt_query *q, cand *c);

/* ---- traces.c ---- */

/** A new trace; NO_ID at GT_MAX_TRACES (or out of memory). */
gt_trace_id trace_new(engine *e, gt_trace_kind kind, const gt_name *name, uint16_t qtype,
                      gt_trace_id parent, gt_query_id requested_by);
/** Record an address found by trace @p t (sub-trace answers, or a CNAME child's). */
void trace_add_addr(engine *e, gt_trace_id t, const gt_addr *a);
/** A glueless NS name of cut @p d: sub-trace its addresses (A and AAAA) from the root. */
void need_ns(engine *e, zcut_id d, const gt_name *ns);
/**
 * An NS name of cut @p d whose glue is used but whose own zone is not the child's (sibling
 * glue): sub-trace it from the root (A and AAAA) so diagnosis can compare the glue with the
 * authoritative data of the zone that owns the name. Nothing waits for the addresses.
 */
void verify_ns(engine *e, zcut_id d, const gt_name *ns);
/** A CNAME whose target query @p qid's server did not answer: trace the target. */
void follow_cname(engine *e, gt_query_id qid);
/** Finish trace @p t when nothing is in flight and nothing is awaited. */
void trace_maybe_done(engine *e, gt_trace_id t);
/** End trace @p t now; @p forced replaces a "failed" status (GT_TS_RUNNING: keep it). */
void finish_trace(engine *e, gt_trace_id t, gt_trace_status forced);
/** Nothing in flight but traces wait on each other: stop the deepest; true if one was. */
bool break_deadlock(engine *e);

/* ---- checks.c ---- */

/** Delegation checks for the cut @p d whose server @p c was just asked. */
void schedule_checks(engine *e, zcut_id d, const cand *c);
/**
 * Ask server @p c (of child zone @p zone, listed by referral @p from; 0 for the root) the
 * question (@p name, @p qtype) in the check trace of that zone and question (made on first
 * use). NS and DNSKEY are asked of every server, other types of GT_MAX_CHECK_SERVERS.
 */
void check_ask(engine *e, const gt_name *zone, gt_query_id from, const gt_name *name,
               uint16_t qtype, const cand *c);

/* ---- dnskeys.c ---- */

/** DNSSEC: ask server @p c of the signed cut @p d for the zone's DNSKEY set (same round). */
void schedule_dnskey(engine *e, zcut_id d, const cand *c);

/**
 * Check query @p qid asked a child zone for an in-domain NS name's address, or a sub-trace
 * from the root verified a sibling glue name: each address it answered that the parent's glue
 * does not carry is asked too (source GT_SRC_CHILD), by the cut that followed the referral, so
 * both sets of addresses are asked and shown.
 */
void offer_child_addrs(engine *e, gt_query_id qid);

/**
 * A check question about an NS name's addresses got no authoritative reply from the server
 * of @p qid: ask one more server of the zone instead, preferring one that answered the
 * trace's own question, then one still being asked; never one that failed or was asked this
 * question already. Each failure adds at most one query, so the checks stay bounded by the
 * zone's servers.
 */
void check_replace(engine *e, gt_query_id qid);

/* ---- preverify.c ---- */

/**
 * DNSSEC: check the signatures of reply @p qid (main trace or DNSKEY check) against the
 * distinct key sets of their signers received so far, or, for a DNSKEY reply with a key set
 * not seen before, the signatures of every reply so far against it; only to have libcrypto's
 * work done while the trace waits (diagnose finds the outcomes remembered). Bounded by the
 * name's budget and by a time slice per call, so the event loop never waits on cryptography
 * long: what is left is done by diagnose. Call it after the reply was acted on.
 */
void preverify_reply(engine *e, gt_query_id qid);

/* ---- resolver.c ---- */

/**
 * --compare-resolver, after the trace: ask every resolver the question, the NS set of each
 * zone cut (and of the names below the deepest cut, where a ghost would be) and the addresses
 * of every NS name.
 */
void resolver_phase(engine *e);
/** A resolver reply @p qid: ask that resolver for the NS names it holds; CD=1 after SERVFAIL. */
void resolver_reply(engine *e, gt_query_id qid);
/** The transport went idle while comparing: the next sample round; true if one was sent. */
bool resolver_next_round(engine *e);

/* ---- session.c ---- */

/** A sub-trace result an earlier name of the bulk run found, or NULL. */
const struct session_sub *session_sub_lookup(const engine *e, const gt_name *name, uint16_t qtype);
/** Copy a session's sub-trace result into trace @p t (ended, from_session). */
void session_sub_apply(engine *e, gt_trace_id t, const struct session_sub *ss);
/**
 * The deepest referral an earlier name got from server @p a below @p zone; true when found.
 * @p ref and @p msg (the reply it came in, or NULL) are borrowed until the session's next
 * export: copy them.
 */
bool session_referral(const engine *e, const gt_addr *a, const gt_name *qname, const gt_name *zone,
                      gt_class *cls, const gt_referral **ref, const gt_msg **msg);
/** Whether an earlier name of the bulk run already checked the delegation of @p zone. */
bool session_checked(const engine *e, const gt_name *zone);
/**
 * The DNSKEY reply server @p a gave an earlier name of the bulk run for @p zone (over TCP when
 * @p tcp): a copy (caller frees with gt_msg_free()), or NULL when none is kept.
 */
gt_msg *session_dnskey(const engine *e, const gt_addr *a, bool tcp, const gt_name *zone);
/** Keep what later names of a bulk run may reuse: referrals, sub-trace addresses, checked
 * zone cuts, DNSKEY replies. */
void session_export(engine *e);

#endif
