/**
 * @file trace.h
 * @brief The glue-faithful referral engine: running a trace, bulk runs, observing, cancelling.
 *
 * gt_trace_run() walks from the root hints (or a user server) down to the answer over every
 * server and address of every zone cut, and returns everything it saw as plain data
 * (model/result.h): every query with the provenance of its server address, every sub-trace,
 * and the findings met on the way (cycles, limits, missing routes). It derives nothing else:
 * gt_diagnose() (diagnose/diagnose.h) groups the answers and adds the other findings. The
 * engine prints nothing (set GLUETRACE_DEBUG=1 for a log of its state changes on stderr).
 */
#ifndef GLUETRACE_TRACE_H
#define GLUETRACE_TRACE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gluetrace/base/status.h"
#include "gluetrace/model/config.h"
#include "gluetrace/model/result.h"

/* Only passed through here: callers include dns/hints.h and transport/transport.h. */
typedef struct gt_hints gt_hints;
typedef struct gt_transport gt_transport;
typedef struct gt_pace gt_pace;
typedef struct gt_dnssec_ctx gt_dnssec_ctx;

/** Servers of a child zone asked for the addresses of its in-domain NS names (glue check). */
#define GT_MAX_CHECK_SERVERS 2

/** Optional observer of a running trace (progress display, streaming output), and its stop. */
typedef struct gt_trace_hooks {
    /**
     * Called when a query got its outcome (network reply, failure or cache); may be NULL.
     * @p r and @p q are borrowed: valid only during the call.
     */
    void (*on_query)(void *arg, const gt_result *r, const gt_query *q);
    void *arg; /**< passed to on_query and on_send */
    /**
     * Called when a query was put on the wire (not for replies reused from a cache); may be
     * NULL. @p r and @p q are borrowed: valid only during the call.
     */
    void (*on_send)(void *arg, const gt_result *r, const gt_query *q);
    /**
     * Cancel request, or NULL. Set it with gt_trace_cancel() (from on_query, or from a signal
     * handler: it is one sig_atomic_t store). The engine looks at it before every query it
     * sends and after every reply; once it is set the run is cancelled:
     * - no further query is sent, and replies still coming are recorded but not followed;
     * - gt_transport_stop() asks the transport to return from its run promptly (queries not
     *   answered by then keep outcome GT_OUT_PENDING);
     * - every trace not ended is given status GT_TS_INTERRUPTED, result->interrupted is set, and
     *   the run returns GT_OK with a complete, consistent result (free it as usual).
     * The flag is only read: the caller clears it before reusing it for another run.
     */
    volatile sig_atomic_t *cancel;
    /**
     * The DNSSEC context (dnssec/dnssec.h: remembered signature checks, counters, the stop
     * flag), or NULL; borrowed, must outlive the results (they keep it for diagnose).
     */
    gt_dnssec_ctx *dnssec;
} gt_trace_hooks;

/**
 * Request cancellation of the runs watching @p flag (gt_trace_hooks.cancel).
 * Async-signal-safe. NULL accepted (no effect).
 */
void gt_trace_cancel(volatile sig_atomic_t *flag);

/**
 * Trace cfg->qname/cfg->qtype.
 * @param[in] cfg settings (borrowed for the call)
 * @param[in] hints root hints to start from (ignored when cfg->have_server)
 * @param[in] tp transport to send through (borrowed)
 * @param[in] hooks observer and cancel request, or NULL
 * @param[out] out set to the result (caller frees with gt_result_free()) even when the trace
 *        failed to reach an answer or was cancelled; NULL only on GT_ENOMEM and similar
 *        internal errors
 * @return GT_OK (also when cancelled), or the transport / memory error that stopped the run
 */
gt_status gt_trace_run(const gt_config *cfg, const gt_hints *hints, gt_transport *tp,
                       const gt_trace_hooks *hooks, gt_result **out);

/** What a bulk run (-f) shares across names: referrals, sub-trace results, checked zone cuts
 * and DNSKEY replies. */
typedef struct gt_session gt_session;

/** Most referrals, most sub-trace results, most checked zone cuts and most DNSKEY replies a
 * session keeps; when full, a new one replaces the least recently used of its kind (memory
 * stays flat over any run). */
#define GT_MAX_SESSION_ENTRIES 2048

/** @param[out] out a new empty session (free with gt_session_destroy()) @return GT_ENOMEM */
gt_status gt_session_create(gt_session **out);
/**
 * Keep at most @p limit entries of each kind instead of GT_MAX_SESSION_ENTRIES (0 or more:
 * GT_MAX_SESSION_ENTRIES). For tests of the eviction; set it before the first run.
 */
void gt_session_set_limit(gt_session *s, size_t limit);

/** What a session holds, by kind, and how many entries it replaced. */
typedef struct gt_session_stats {
    size_t referrals; /**< referrals kept */
    size_t subtraces; /**< sub-trace results kept */
    size_t checked;   /**< zone cuts whose delegation checks ran */
    size_t dnskeys;   /**< DNSKEY replies kept */
    uint64_t evicted; /**< entries replaced (least recently used) since the session began */
} gt_session_stats;

/** @param[out] out the counts now. */
void gt_session_get_stats(const gt_session *s, gt_session_stats *out);
/** NULL accepted. */
void gt_session_destroy(gt_session *s);
/**
 * The names' queries go through @p pace (transport/pace.h; its transport is the one given
 * to gt_trace_bulk()): each name's result then carries a RATE_LIMITED finding for every server
 * it asked that rate-limited the run while the name was traced. NULL: none (the default).
 * @p pace is borrowed and must outlive the session's runs.
 */
void gt_session_set_pace(gt_session *s, const gt_pace *pace);
/** Entries kept (referrals + sub-trace results + checked zone cuts + DNSKEY replies). */
size_t gt_session_size(const gt_session *s);

/** One name of a bulk run. */
typedef struct gt_bulk_name {
    gt_name name;   /**< name to trace */
    uint16_t qtype; /**< its type */
} gt_bulk_name;

/**
 * Called once per name of a bulk run, when the name ends (so in the order names end, not in
 * input order; @p index is the name's position in the input), with its result: borrowed and
 * freed after the call, but the callee may change it meanwhile (gt_diagnose() it, attach a vs-dig
 * comparison). NULL only on internal errors, see @p st.
 */
typedef void (*gt_bulk_emit)(void *arg, size_t index, gt_result *r, gt_status st);

/**
 * Trace many names through one transport, at most @p concurrency at a time (a sliding
 * window: a name starts as soon as another ends, when the transport supports
 * gt_transport_yield(); otherwise when the transport goes idle), sharing referrals,
 * sub-trace results and DNSKEY replies across names through @p session (which outlives the
 * call). cfg->qname/qtype are ignored; every other setting applies to each name.
 * @param[in] hooks observer of every name's queries and the cancel request, or NULL; once
 *        cancelled, the names in flight are emitted (interrupted) and no further name starts
 * @return GT_OK (also when cancelled), or a transport / memory error that stopped the run
 */
gt_status gt_trace_bulk(const gt_config *cfg, const gt_hints *hints, gt_transport *tp,
                        gt_session *session, const gt_bulk_name *names, size_t n,
                        unsigned concurrency, const gt_trace_hooks *hooks, gt_bulk_emit emit,
                        void *arg);

/**
 * Where gt_trace_bulk_stream() takes its names from: set @p out to the next name, or set
 * *end at the end of the input.
 * @return GT_OK, or an error that stops the run (no further name is started; the names
 *         running are finished and emitted, and the error is returned)
 */
typedef gt_status (*gt_bulk_next)(void *arg, gt_bulk_name *out, bool *end);

/**
 * Like gt_trace_bulk() with the names taken one at a time from @p next (a file read as it
 * goes), so that memory does not depend on the number of names: at most @p concurrency
 * names and their results exist at once, each result is freed after its emit, and the
 * session is bounded (GT_MAX_SESSION_ENTRIES).
 */
gt_status gt_trace_bulk_stream(const gt_config *cfg, const gt_hints *hints, gt_transport *tp,
                               gt_session *session, gt_bulk_next next, void *next_arg,
                               unsigned concurrency, const gt_trace_hooks *hooks, gt_bulk_emit emit,
                               void *arg);

#endif
