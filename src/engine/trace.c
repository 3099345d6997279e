/*
 * The referral engine: a glue-faithful, all-paths iterative trace (RFC 1034 4.3.2) driven by
 * transport callbacks. It never asks a recursive resolver: next-hop addresses come only from
 * root hints, -s, in-bailiwick glue (RFC 9471) or fresh sub-traces from the root.
 *
 * Bookkeeping is by index (queries, traces and zone cuts live in arrays that grow), so no
 * pointer into a growing array is held across a call that can add to it.
 */
#include "gluetrace/engine/trace.h"

#include "gluetrace/diagnose/findings.h"
#include "gluetrace/base/array.h"
#include "gluetrace/wire/rdata.h"
#include "gluetrace/base/log.h"
#include "gluetrace/diagnose/vsdig.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

/** Queries of one run that may be kept at most (network plus cached), whatever the budget. */
#define GT_MAX_RECORDS 100000

/** A server address the engine may ask, with its provenance. */
typedef struct cand {
    gt_name ns;
    gt_addr addr;
    gt_source src;
    gt_glue_kind kind;
    size_t glue_from;
    size_t subtrace;
    size_t from; /* referral that listed this server when not the zone cut's own (checks) */
} cand;

/** A zone cut being followed within one trace (after Unbound's delegpt). */
typedef struct deleg {
    size_t trace; /* trace it belongs to */
    gt_name zone; /* the zone cut */
    size_t from;  /* referral query id; 0 for hints or -s */
    cand *cands;  /* --one: candidate addresses in order */
    size_t ncands, capcands, next;
    gt_name *glueless; /* --one: NS names without glue, sub-traced lazily */
    size_t nglueless, capglueless, next_glueless;
    size_t pending; /* --one: sub-traces waited on */
    bool inflight;  /* --one: a query is out */
    bool satisfied; /* --one: a usable reply arrived */
} deleg;

/** Who waits for a trace's addresses or completion. */
typedef struct waiter {
    size_t target;    /* trace waited on */
    bool for_trace;   /* true: a CNAME parent trace; false: a zone cut */
    size_t who;       /* deleg index or parent trace id */
    gt_name ns;       /* the NS name (zone cut waiters) */
    size_t delivered; /* addresses of target already handed over */
    bool open;        /* still counted in the waiting trace's waits */
} waiter;

/** A referral kept for reuse by later traces (same server, name under the cut). */
typedef struct cached_ref {
    gt_addr addr;
    gt_name zone;
    size_t query;
} cached_ref;

/** Per-trace engine state, parallel to result->traces. */
typedef struct tstate {
    size_t inflight; /* network queries out */
    size_t waits;    /* open waiters this trace is blocked on */
    gt_addr *asked;  /* servers asked in this trace (dedup) */
    bool *asked_tcp;
    size_t nasked, capasked;
    size_t *followed; /* referral queries followed (for same-referral detection) */
    size_t nfollowed, capfollowed;
    unsigned chain;    /* CNAME traces before this one */
    size_t deleg;      /* check and resolver traces: their one zone cut */
    bool cyclic;       /* its resolution needs itself (glueless cycle found) */
    bool addrs_capped; /* GT_MAX_TRACE_ADDRS reached (reported once) */
    char *cycle_msg;   /* that cycle, reported if the trace ends without addresses */
    gt_name cycle_zone;
    size_t cycle_query;
    size_t checked; /* check traces: servers asked */
    bool done;
    bool got_answer, got_cname, got_nodata, got_nxdomain;
} tstate;

typedef struct engine {
    const gt_config *cfg;
    const gt_hints *hints;
    const gt_trace_hooks *hooks; /* observer, may be NULL */
    gt_transport *tp;
    gt_result *res;
    size_t capqueries;
    size_t *qdeleg; /* deleg index per query id - 1 */
    tstate *ts;     /* GT_MAX_TRACES */
    deleg *delegs;
    size_t ndelegs, capdelegs;
    waiter *waiters;
    size_t nwaiters, capwaiters;
    cached_ref *cache;
    size_t ncache, capcache;
    bool family_dead[2]; /* [0] IPv4, [1] IPv6 */
    bool budget_noted;
    size_t budget_skipped;
    uint16_t next_id;
    gt_status fatal;  /* first internal error (out of memory) */
    size_t *sent_ids; /* queries that went to the network, for run-wide dedup */
    size_t nsent_ids, capsent_ids;
    size_t (*shares)[2]; /* [0] a query in flight, [1] a query of another trace waiting for it */
    size_t nshares, capshares;
    gt_session *session; /* bulk runs: referrals and sub-traces shared across names; or NULL */
    bool resolver_done;  /* the --compare-resolver phase was started */
    bool records_capped; /* GT_MAX_RECORDS reached (reported once) */
    double t0;           /* start time */
} engine;

/** A referral kept by a session, for later names of a bulk run. */
typedef struct session_ref {
    gt_addr addr;
    gt_class cls;
    gt_referral ref; /* owned copy */
} session_ref;

/** A sub-trace result kept by a session. */
typedef struct session_sub {
    gt_name name;
    uint16_t qtype;
    gt_trace_status status;
    gt_addr addrs[GT_MAX_TRACE_ADDRS];
    size_t naddrs;
} session_sub;

/** What a bulk run shares across names (bounded: GT_MAX_SESSION_ENTRIES each). */
struct gt_session {
    session_ref *refs;
    size_t nrefs, caprefs;
    session_sub *subs;
    size_t nsubs, capsubs;
    gt_name *checked; /* zone cuts whose delegation checks an earlier name ran */
    size_t nchecked, capchecked;
};

/* Grow an array so that index n fits; returns false (and marks the engine) on failure. */
static bool grow(engine *e, void **arr, size_t *cap, size_t n, size_t elem)
{
    if (gt_array_reserve(arr, cap, n, elem)) {
        return true;
    }
    e->fatal = GT_ENOMEM;
    return false;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int fam_index(int family)
{
    return family == AF_INET6 ? 1 : 0;
}

static gt_query *Q(engine *e, size_t id)
{
    return e->res->queries[id - 1];
}

static gt_tracerec *T(engine *e, size_t id)
{
    return e->res->traces[id];
}

/* ---- findings ---- */

static gt_status vadd_finding(gt_result *r, const char *code, gt_severity sev, const gt_name *zone,
                              size_t query, const char *server, const char *fmt, va_list ap)
    GT_PRINTF(7, 0);

static gt_status vadd_finding(gt_result *r, const char *code, gt_severity sev, const gt_name *zone,
                              size_t query, const char *server, const char *fmt, va_list ap)
{
    char buf[1024];
    int len = vsnprintf(buf, sizeof(buf), fmt, ap);
    if (len < 0) {
        buf[0] = '\0';
    }
    gt_name z;
    memset(&z, 0, sizeof(z));
    if (zone != NULL) {
        z = *zone;
    }
    char srv[sizeof(((gt_finding *)NULL)->server)];
    srv[0] = '\0';
    if (server != NULL) {
        snprintf(srv, sizeof(srv), "%s", server);
    } else if (query != 0 && query <= r->nqueries) {
        const gt_query *q = r->queries[query - 1];
        char n[GT_NAME_STRLEN], a[GT_ADDR_STRLEN];
        gt_addr_to_str(&q->addr, a, sizeof(a));
        if (q->server_name.len > 0) {
            gt_name_to_str(&q->server_name, n, sizeof(n));
            snprintf(srv, sizeof(srv), "%s (%s)", n, a);
        } else {
            snprintf(srv, sizeof(srv), "%s", a);
        }
    }
    for (size_t i = 0; i < r->nfindings; i++) {
        const gt_finding *o = &r->findings[i];
        if (strcmp(o->code, code) == 0 && strcmp(o->message, buf) == 0 &&
            strcmp(o->server, srv) == 0 && o->zone.len == z.len &&
            (z.len == 0 || gt_name_eq(&o->zone, &z))) {
            return GT_OK; /* said already (e.g. by the A and the AAAA sub-trace) */
        }
    }
    gt_finding *nf = realloc(r->findings, (r->nfindings + 1) * sizeof(*nf));
    if (nf == NULL) {
        return GT_ENOMEM;
    }
    r->findings = nf;
    gt_finding *f = &nf[r->nfindings];
    memset(f, 0, sizeof(*f));
    f->code = code;
    f->severity = sev;
    f->zone = z;
    f->query = query;
    memcpy(f->server, srv, sizeof(f->server));
    f->message = strdup(buf);
    if (f->message == NULL) {
        return GT_ENOMEM;
    }
    r->nfindings++;
    return GT_OK;
}

gt_status gt_result_add_finding(gt_result *r, const char *code, gt_severity sev,
                                const gt_name *zone, size_t query, const char *server,
                                const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gt_status st = vadd_finding(r, code, sev, zone, query, server, fmt, ap);
    va_end(ap);
    return st;
}

static void add_finding(engine *e, const char *code, gt_severity sev, const gt_name *zone,
                        size_t query, const char *fmt, ...) GT_PRINTF(6, 7);

static void add_finding(engine *e, const char *code, gt_severity sev, const gt_name *zone,
                        size_t query, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vadd_finding(e->res, code, sev, zone, query, NULL, fmt, ap) != GT_OK) {
        e->fatal = GT_ENOMEM;
    }
    va_end(ap);
}

/* ---- traces ---- */

static bool trace_is_ancestor(engine *e, size_t anc, size_t t)
{
    for (unsigned guard = 0; guard <= GT_MAX_TRACES; guard++) {
        if (t == anc) {
            return true;
        }
        if (t == 0) {
            return false;
        }
        t = T(e, t)->parent_trace;
    }
    return false;
}

static const session_sub *session_sub_lookup(engine *e, const gt_name *name, uint16_t qtype)
{
    for (size_t i = 0; e->session != NULL && i < e->session->nsubs; i++) {
        const session_sub *ss = &e->session->subs[i];
        if (ss->qtype == qtype && gt_name_eq(&ss->name, name)) {
            return ss;
        }
    }
    return NULL;
}

/* The sub-trace of @p name (either type) among @p t and its ancestors, or SIZE_MAX. */
static size_t ancestor_named(engine *e, const gt_name *name, size_t t)
{
    for (unsigned guard = 0; guard <= GT_MAX_TRACES; guard++) {
        const gt_tracerec *tr = T(e, t);
        if (tr->kind == GT_TRACE_SUBTRACE && gt_name_eq(&tr->name, name)) {
            return t;
        }
        if (t == 0) {
            return SIZE_MAX;
        }
        t = tr->parent_trace;
    }
    return SIZE_MAX;
}

static size_t find_trace(engine *e, const gt_name *name, uint16_t qtype)
{
    for (size_t i = 0; i < e->res->ntraces; i++) {
        gt_tracerec *t = T(e, i);
        if (t->kind != GT_TRACE_CHECK && t->kind != GT_TRACE_RESOLVER && t->qtype == qtype &&
            gt_name_eq(&t->name, name)) {
            return i;
        }
    }
    return SIZE_MAX;
}

static size_t new_trace(engine *e, gt_trace_kind kind, const gt_name *name, uint16_t qtype,
                        size_t parent, size_t requested_by)
{
    gt_result *r = e->res;
    if (r->ntraces >= GT_MAX_TRACES) {
        return SIZE_MAX;
    }
    gt_tracerec *t = calloc(1, sizeof(*t));
    if (t == NULL) {
        e->fatal = GT_ENOMEM;
        return SIZE_MAX;
    }
    size_t id = r->ntraces++;
    r->traces[id] = t;
    t->id = id;
    t->kind = kind;
    t->name = *name;
    t->qtype = qtype;
    t->parent_trace = id == 0 ? 0 : parent;
    t->requested_by = requested_by;
    t->depth = id == 0 ? 0 : T(e, parent)->depth + 1;
    return id;
}

static void start_from_hints(engine *e, size_t trace);
static void launch_all(engine *e, size_t d, const cand *c);
static void trace_maybe_done(engine *e, size_t t);
static void deliver(engine *e, size_t w);
static void one_advance(engine *e, size_t d);

/* Record an address found by trace @p t (sub-trace answers, or a CNAME child's). */
static void trace_add_addr(engine *e, size_t t, const gt_addr *a)
{
    gt_tracerec *tr = T(e, t);
    for (size_t i = 0; i < tr->naddrs; i++) {
        if (gt_addr_eq(&tr->addrs[i], a)) {
            return;
        }
    }
    if (tr->naddrs >= GT_MAX_TRACE_ADDRS) {
        if (!e->ts[t].addrs_capped) {
            e->ts[t].addrs_capped = true;
            char nbuf[GT_NAME_STRLEN];
            gt_name_to_str(&tr->name, nbuf, sizeof(nbuf));
            add_finding(e, "LIMIT_REACHED", GT_SEV_WARNING, NULL, tr->requested_by,
                        "%s has more than %d addresses: only the first %d are used", nbuf,
                        GT_MAX_TRACE_ADDRS, GT_MAX_TRACE_ADDRS);
        }
        return;
    }
    tr->addrs[tr->naddrs++] = *a;
    for (size_t w = 0; w < e->nwaiters; w++) {
        if (e->waiters[w].target == t) {
            deliver(e, w);
        }
    }
}

/* Append a candidate to a zone cut; returns its index or SIZE_MAX. */
static size_t add_cand(engine *e, size_t d, const cand *c)
{
    deleg *dl = &e->delegs[d];
    if (!grow(e, (void **)&dl->cands, &dl->capcands, dl->ncands, sizeof(cand))) {
        return SIZE_MAX;
    }
    dl->cands[dl->ncands] = *c;
    return dl->ncands++;
}

/* Give a zone cut one more server address: asked now (all paths) or queued (--one). */
static void offer(engine *e, size_t d, const cand *c)
{
    if (e->cfg->one_path) {
        if (add_cand(e, d, c) != SIZE_MAX) {
            one_advance(e, d);
        }
        return;
    }
    launch_all(e, d, c);
}

/* Hand a waiter the target's addresses it has not seen yet. */
static void deliver(engine *e, size_t w)
{
    for (;;) {
        waiter *wt = &e->waiters[w];
        gt_tracerec *tr = T(e, wt->target);
        if (wt->delivered >= tr->naddrs) {
            return;
        }
        gt_addr a = tr->addrs[wt->delivered++];
        if (wt->for_trace) {
            trace_add_addr(e, wt->who, &a);
            continue;
        }
        cand c;
        memset(&c, 0, sizeof(c));
        c.ns = wt->ns;
        c.addr = a;
        c.src = GT_SRC_SUBTRACE;
        c.subtrace = wt->target;
        offer(e, wt->who, &c);
    }
}

/*
 * Make @p who (a zone cut, or a CNAME parent trace) wait for trace @p target: addresses it
 * already has are delivered now, later ones as they arrive.
 */
static void add_waiter(engine *e, size_t target, bool for_trace, size_t who, const gt_name *ns)
{
    if (!grow(e, (void **)&e->waiters, &e->capwaiters, e->nwaiters, sizeof(waiter))) {
        return;
    }
    size_t w = e->nwaiters++;
    waiter *wt = &e->waiters[w];
    memset(wt, 0, sizeof(*wt));
    wt->target = target;
    wt->for_trace = for_trace;
    wt->who = who;
    if (ns != NULL) {
        wt->ns = *ns;
    }
    size_t waiting_trace = for_trace ? who : e->delegs[who].trace;
    if (!e->ts[target].done) {
        wt->open = true;
        e->ts[waiting_trace].waits++;
        if (!for_trace) {
            e->delegs[who].pending++;
        }
    }
    deliver(e, w);
}

/* "a. -> b. -> c." for the sub-traces from @p top down to @p t (t's ancestors up to top). */
static void cycle_chain(engine *e, size_t top, size_t t, char *buf, size_t size)
{
    size_t path[GT_MAX_SUBTRACE_DEPTH + 2];
    size_t n = 0;
    for (size_t cur = t; n < GT_MAX_SUBTRACE_DEPTH + 2; cur = T(e, cur)->parent_trace) {
        path[n++] = cur;
        if (cur == top || cur == 0) {
            break;
        }
    }
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = n; i-- > 0;) {
        char nbuf[GT_NAME_STRLEN];
        gt_name_to_str(&T(e, path[i])->name, nbuf, sizeof(nbuf));
        int w = snprintf(buf + len, size - len, "%s%s", i + 1 == n ? "" : " -> ", nbuf);
        if (w < 0 || (size_t)w >= size - len) {
            return;
        }
        len += (size_t)w;
    }
}

/*
 * A glueless NS name of zone cut @p d: find its addresses by a fresh iterative sub-trace from
 * the root for A (and AAAA), each name and type traced once per run.
 */
static void need_ns(engine *e, size_t d, const gt_name *ns)
{
    static const uint16_t types[2] = {GT_TYPE_A, GT_TYPE_AAAA};
    for (size_t i = 0; i < 2; i++) {
        int fam = types[i] == GT_TYPE_A ? AF_INET : AF_INET6;
        if (e->cfg->family != AF_UNSPEC && e->cfg->family != fam) {
            continue;
        }
        size_t wt = e->delegs[d].trace;
        size_t from = e->delegs[d].from;
        size_t s = find_trace(e, ns, types[i]);
        char nbuf[GT_NAME_STRLEN];
        gt_name_to_str(ns, nbuf, sizeof(nbuf));
        size_t anc = ancestor_named(e, ns, wt);
        if (anc != SIZE_MAX) {
            /*
             * Resolving this name needs this name again (through A or AAAA). Other paths may
             * still find it: the cycle is reported only if the sub-trace ends without one.
             */
            tstate *as = &e->ts[anc];
            if (as->cycle_msg == NULL) {
                char chain[1024], msg[sizeof(chain) + GT_NAME_STRLEN + 96];
                cycle_chain(e, anc, wt, chain, sizeof(chain));
                snprintf(msg, sizeof(msg),
                         "glueless cycle: %s -> %s (no glue on the path, none can be resolved)",
                         chain, nbuf);
                as->cycle_msg = strdup(msg);
                as->cycle_zone = e->delegs[d].zone;
                as->cycle_query = from;
                if (as->cycle_msg == NULL) {
                    e->fatal = GT_ENOMEM;
                }
            }
            /* Every trace on the chain is part of the cycle. */
            for (size_t cur = wt, guard = 0; guard <= GT_MAX_SUBTRACE_DEPTH + 1; guard++) {
                e->ts[cur].cyclic = true;
                if (cur == anc || cur == 0) {
                    break;
                }
                cur = T(e, cur)->parent_trace;
            }
            e->ts[0].cyclic = false; /* the main trace is not a sub-trace */
            continue;
        }
        bool fresh = false;
        if (s == SIZE_MAX) {
            if (T(e, wt)->depth + 1 > GT_MAX_SUBTRACE_DEPTH) {
                gt_name zone = e->delegs[d].zone;
                add_finding(e, "LIMIT_REACHED", GT_SEV_WARNING, &zone, from,
                            "sub-trace depth limit %d reached: %s not resolved",
                            GT_MAX_SUBTRACE_DEPTH, nbuf);
                continue;
            }
            s = new_trace(e, GT_TRACE_SUBTRACE, ns, types[i], wt, from);
            if (s == SIZE_MAX) {
                add_finding(e, "LIMIT_REACHED", GT_SEV_WARNING, NULL, from,
                            "trace limit %d reached: %s not resolved", GT_MAX_TRACES, nbuf);
                continue;
            }
            const session_sub *ss = session_sub_lookup(e, ns, types[i]);
            if (ss != NULL) {
                /* An earlier name of this bulk run traced it: reuse its addresses. */
                gt_tracerec *tr = T(e, s);
                tr->from_session = true;
                tr->status = ss->status;
                memcpy(tr->addrs, ss->addrs, ss->naddrs * sizeof(gt_addr));
                tr->naddrs = ss->naddrs;
                e->ts[s].done = true;
            } else {
                fresh = true;
            }
        }
        add_waiter(e, s, false, d, ns);
        if (fresh) {
            start_from_hints(e, s);
            trace_maybe_done(e, s);
        }
    }
}

/* ---- sending ---- */

static bool asked_before(engine *e, size_t t, const gt_addr *a, bool tcp)
{
    tstate *ts = &e->ts[t];
    for (size_t i = 0; i < ts->nasked; i++) {
        if (ts->asked_tcp[i] == tcp && gt_addr_eq(&ts->asked[i], a)) {
            return true;
        }
    }
    return false;
}

static void mark_asked(engine *e, size_t t, const gt_addr *a, bool tcp)
{
    tstate *ts = &e->ts[t];
    size_t cap = ts->capasked;
    if (!grow(e, (void **)&ts->asked, &cap, ts->nasked, sizeof(gt_addr))) {
        return;
    }
    cap = ts->capasked;
    if (!grow(e, (void **)&ts->asked_tcp, &ts->capasked, ts->nasked, sizeof(bool))) {
        return;
    }
    (void)cap;
    ts->asked[ts->nasked] = *a;
    ts->asked_tcp[ts->nasked] = tcp;
    ts->nasked++;
}

/* A new query record in deleg @p d for candidate @p c. */
static size_t new_query(engine *e, size_t d, const cand *c, bool tcp)
{
    gt_result *r = e->res;
    if (r->nqueries >= GT_MAX_RECORDS) {
        if (!e->records_capped) {
            e->records_capped = true;
            add_finding(e, "LIMIT_REACHED", GT_SEV_WARNING, NULL, 0,
                        "%d query records kept: further servers not asked", GT_MAX_RECORDS);
        }
        return 0;
    }
    size_t cap = e->capqueries;
    if (!grow(e, (void **)&r->queries, &e->capqueries, r->nqueries, sizeof(gt_query *))) {
        return 0;
    }
    if (!grow(e, (void **)&e->qdeleg, &cap, r->nqueries, sizeof(size_t))) {
        return 0;
    }
    gt_query *q = calloc(1, sizeof(*q));
    if (q == NULL) {
        e->fatal = GT_ENOMEM;
        return 0;
    }
    const deleg *dl = &e->delegs[d];
    const gt_tracerec *tr = T(e, dl->trace);
    q->id = r->nqueries + 1;
    q->parent = c->from ? c->from : dl->from;
    q->trace = dl->trace;
    q->zone = dl->zone;
    q->server_name = c->ns;
    q->addr = c->addr;
    q->source = c->src;
    q->glue_kind = c->kind;
    q->glue_from = c->glue_from;
    q->subtrace = c->subtrace;
    q->qname = tr->name;
    q->qtype = tr->qtype;
    q->tcp = tcp;
    q->rd = tr->kind == GT_TRACE_RESOLVER;
    r->queries[r->nqueries] = q;
    e->qdeleg[r->nqueries] = d;
    r->nqueries++;
    return q->id;
}

/* The deepest referral this server already gave for a cut covering qname, below @p zone. */
static size_t cache_lookup(engine *e, const gt_addr *a, const gt_name *qname, const gt_name *zone)
{
    size_t best = 0;
    unsigned best_labels = 0;
    for (size_t i = 0; i < e->ncache; i++) {
        const cached_ref *c = &e->cache[i];
        unsigned labels = gt_name_labels(&c->zone);
        if (gt_addr_eq(&c->addr, a) && gt_name_is_under(qname, &c->zone) &&
            gt_name_is_under(&c->zone, zone) && !gt_name_eq(&c->zone, zone) &&
            labels > best_labels) {
            best = c->query;
            best_labels = labels;
        }
    }
    return best;
}

static bool copy_referral(const gt_referral *src, gt_referral *dst);

/* The deepest referral an earlier name of the session got from this server, as cache_lookup. */
static const session_ref *session_lookup(engine *e, const gt_addr *a, const gt_name *qname,
                                         const gt_name *zone)
{
    const session_ref *best = NULL;
    unsigned best_labels = 0;
    for (size_t i = 0; e->session != NULL && i < e->session->nrefs; i++) {
        const session_ref *c = &e->session->refs[i];
        unsigned labels = gt_name_labels(&c->ref.zone);
        if (gt_addr_eq(&c->addr, a) && gt_name_is_under(qname, &c->ref.zone) &&
            gt_name_is_under(&c->ref.zone, zone) && !gt_name_eq(&c->ref.zone, zone) &&
            labels > best_labels) {
            best = c;
            best_labels = labels;
        }
    }
    return best;
}

static bool copy_referral(const gt_referral *src, gt_referral *dst)
{
    memset(dst, 0, sizeof(*dst));
    dst->zone = src->zone;
    dst->ns_dropped = src->ns_dropped;
    dst->glue_dropped = src->glue_dropped;
    dst->ignored_dropped = src->ignored_dropped;
    dst->ns = calloc(src->nns + 1, sizeof(*dst->ns));
    dst->glue = calloc(src->nglue + 1, sizeof(*dst->glue));
    dst->ignored = calloc(src->nignored + 1, sizeof(*dst->ignored));
    if (dst->ns == NULL || dst->glue == NULL || dst->ignored == NULL) {
        gt_referral_clear(dst);
        return false;
    }
    memcpy(dst->ns, src->ns, src->nns * sizeof(*dst->ns));
    memcpy(dst->glue, src->glue, src->nglue * sizeof(*dst->glue));
    memcpy(dst->ignored, src->ignored, src->nignored * sizeof(*dst->ignored));
    dst->nns = src->nns;
    dst->nglue = src->nglue;
    dst->nignored = src->nignored;
    return true;
}

typedef enum { LAUNCH_SKIPPED, LAUNCH_SENT, LAUNCH_CACHED } launch_result;

static void on_reply(void *arg, const gt_reply *reply);
static void process(engine *e, size_t qid);

typedef struct sendctx {
    engine *e;
    size_t qid;
} sendctx;

/* No route for this query's address family: say so once, skip that family from now on. */
static void family_unreachable(engine *e, size_t qid)
{
    int fi = fam_index(Q(e, qid)->addr.family);
    if (!e->family_dead[fi]) {
        e->family_dead[fi] = true;
        add_finding(e, "NO_ROUTE", GT_SEV_INFO, NULL, qid,
                    "no route for IPv%d from this host: %s server addresses skipped", fi ? 6 : 4,
                    fi ? "IPv6" : "IPv4");
    }
}

/* Put query @p qid on the wire. */
static bool transmit(engine *e, size_t qid)
{
    gt_query *q = Q(e, qid);
    uint8_t buf[GT_NAME_MAX + 64];
    size_t len = 0;
    gt_query_opts o = {.id = e->next_id++,
                       .rd = q->rd,
                       .edns = e->cfg->edns,
                       .bufsize = e->cfg->bufsize,
                       .do_bit = false};
    sendctx *sc = malloc(sizeof(*sc));
    if (sc == NULL) {
        e->fatal = GT_ENOMEM;
        q->outcome = GT_OUT_ERROR;
        return false;
    }
    sc->e = e;
    sc->qid = qid;
    gt_status st = gt_build_query(buf, sizeof(buf), &len, &q->qname, q->qtype, &o);
    if (st == GT_OK) {
        st = gt_transport_send(e->tp, &q->addr, q->tcp, buf, len, on_reply, sc);
    }
    if (st != GT_OK) {
        free(sc);
        q->net_status = st;
        q->outcome = st == GT_ENETUNREACH ? GT_OUT_UNREACHABLE : GT_OUT_ERROR;
        if (st == GT_ENETUNREACH) {
            family_unreachable(e, qid);
        }
        return false;
    }
    e->res->sent++;
    e->ts[q->trace].inflight++;
    return true;
}

static bool budget_left(engine *e)
{
    if (e->res->sent < e->cfg->max_queries) {
        return true;
    }
    e->budget_skipped++;
    if (!e->budget_noted) {
        e->budget_noted = true;
        add_finding(e, "LIMIT_REACHED", GT_SEV_WARNING, NULL, 0,
                    "query budget of %u reached (--max-queries); further servers not asked",
                    e->cfg->max_queries);
    }
    return false;
}

/*
 * Ask one candidate of zone cut @p d, unless filtered (family), deduplicated (the same server
 * already asked this trace's question over this transport) or over budget. A referral this
 * server gave before for a cut covering the name is reused instead of asking again.
 */
/* The network query asking server @p a this question over this transport, or 0. */
static size_t find_sent(engine *e, const gt_addr *a, const gt_name *qname, uint16_t qtype, bool tcp)
{
    for (size_t i = 0; i < e->nsent_ids; i++) {
        const gt_query *q = Q(e, e->sent_ids[i]);
        if (q->tcp == tcp && q->qtype == qtype && gt_addr_eq(&q->addr, a) &&
            gt_name_eq(&q->qname, qname)) {
            return q->id;
        }
    }
    return 0;
}

/* Give query @p dst (not sent) the outcome of the identical query @p src. */
static void copy_shared(engine *e, size_t dst, size_t src)
{
    gt_query *q = Q(e, dst);
    const gt_query *o = Q(e, src);
    q->outcome = o->outcome;
    q->cls = o->cls;
    q->net_status = o->net_status;
    if (o->has_referral) {
        if (copy_referral(&o->referral, &q->referral)) {
            q->has_referral = true;
        } else {
            e->fatal = GT_ENOMEM;
        }
    }
}

/*
 * Put a question to a server, once per run: when another trace already asked this server the
 * same question over the same transport, its reply is shared (now, or when it arrives).
 */
static launch_result ask(engine *e, size_t d, const cand *c, bool tcp, size_t retry_of)
{
    size_t t = e->delegs[d].trace;
    size_t prev = find_sent(e, &c->addr, &T(e, t)->name, T(e, t)->qtype, tcp);
    if (prev != 0) {
        size_t qid = new_query(e, d, c, tcp);
        if (qid == 0) {
            return LAUNCH_SKIPPED;
        }
        Q(e, qid)->cached_from = prev;
        Q(e, qid)->retry_of = retry_of;
        if (Q(e, prev)->outcome != GT_OUT_PENDING) {
            copy_shared(e, qid, prev);
            process(e, qid);
            return LAUNCH_CACHED;
        }
        if (!grow(e, (void **)&e->shares, &e->capshares, e->nshares, sizeof(e->shares[0]))) {
            return LAUNCH_SKIPPED;
        }
        e->shares[e->nshares][0] = prev;
        e->shares[e->nshares][1] = qid;
        e->nshares++;
        e->ts[t].inflight++;
        return LAUNCH_SENT;
    }
    if (!budget_left(e)) {
        return LAUNCH_SKIPPED;
    }
    size_t qid = new_query(e, d, c, tcp);
    if (qid == 0) {
        return LAUNCH_SKIPPED;
    }
    Q(e, qid)->retry_of = retry_of;
    if (!transmit(e, qid)) {
        return LAUNCH_SKIPPED;
    }
    if (grow(e, (void **)&e->sent_ids, &e->capsent_ids, e->nsent_ids, sizeof(size_t))) {
        e->sent_ids[e->nsent_ids++] = qid;
    }
    return LAUNCH_SENT;
}

static launch_result launch(engine *e, size_t d, const cand *c, bool tcp)
{
    size_t t = e->delegs[d].trace;
    if (e->cfg->family != AF_UNSPEC && c->addr.family != e->cfg->family) {
        return LAUNCH_SKIPPED;
    }
    if (e->family_dead[fam_index(c->addr.family)] || asked_before(e, t, &c->addr, tcp)) {
        return LAUNCH_SKIPPED;
    }
    mark_asked(e, t, &c->addr, tcp);

    if (!e->cfg->no_cache) {
        gt_name zone = e->delegs[d].zone;
        size_t hit = cache_lookup(e, &c->addr, &T(e, t)->name, &zone);
        if (hit != 0) {
            size_t qid = new_query(e, d, c, Q(e, hit)->tcp);
            if (qid == 0) {
                return LAUNCH_SKIPPED;
            }
            gt_query *q = Q(e, qid);
            gt_query *orig = Q(e, hit);
            q->cached_from = hit;
            q->outcome = GT_OUT_REFERRAL;
            q->cls = orig->cls;
            if (!copy_referral(&orig->referral, &q->referral)) {
                e->fatal = GT_ENOMEM;
                q->outcome = GT_OUT_ERROR;
                return LAUNCH_SKIPPED;
            }
            q->has_referral = true;
            process(e, qid);
            return LAUNCH_CACHED;
        }
        const session_ref *sr = session_lookup(e, &c->addr, &T(e, t)->name, &zone);
        if (sr != NULL) {
            size_t qid = new_query(e, d, c, false);
            if (qid == 0) {
                return LAUNCH_SKIPPED;
            }
            gt_query *q = Q(e, qid);
            q->from_session = true;
            q->outcome = GT_OUT_REFERRAL;
            q->cls = sr->cls;
            if (!copy_referral(&sr->ref, &q->referral)) {
                e->fatal = GT_ENOMEM;
                q->outcome = GT_OUT_ERROR;
                return LAUNCH_SKIPPED;
            }
            q->has_referral = true;
            process(e, qid);
            return LAUNCH_CACHED;
        }
    }
    return ask(e, d, c, tcp, 0);
}

static size_t find_check(engine *e, const gt_name *zone, const gt_name *name, uint16_t qtype)
{
    for (size_t i = 0; i < e->res->ntraces; i++) {
        gt_tracerec *t = T(e, i);
        if (t->kind == GT_TRACE_CHECK && t->qtype == qtype && gt_name_eq(&t->name, name) &&
            gt_name_eq(&t->zone, zone)) {
            return i;
        }
    }
    return SIZE_MAX;
}

static size_t new_deleg(engine *e, size_t trace, const gt_name *zone, size_t from);

/* Ask server @p c of child zone @p zone the check question (@p name, @p qtype). */
static void check_one(engine *e, const gt_name *zone, size_t from, const gt_name *name,
                      uint16_t qtype, const cand *c)
{
    size_t t = find_check(e, zone, name, qtype);
    if (t == SIZE_MAX) {
        t = new_trace(e, GT_TRACE_CHECK, name, qtype, 0, from);
        if (t == SIZE_MAX) {
            return; /* out of traces: the checks are the first thing to give up */
        }
        T(e, t)->zone = *zone;
        size_t d = new_deleg(e, t, zone, from);
        if (d == SIZE_MAX) {
            return;
        }
        e->ts[t].deleg = d;
    }
    /* The NS set is asked of every server (a stale server shows); the addresses of the NS
     * names of a few only, or big NS sets would cost NS names x servers queries. */
    if (qtype != GT_TYPE_NS && e->ts[t].checked >= GT_MAX_CHECK_SERVERS) {
        return;
    }
    if (launch(e, e->ts[t].deleg, c, e->cfg->tcp) != LAUNCH_SKIPPED) {
        e->ts[t].checked++;
    }
    trace_maybe_done(e, t);
}

/*
 * Delegation checks (all-paths mode, zone cuts on the main path): every server of a child
 * zone is also asked for the zone's apex NS set and for the addresses of its in-domain NS
 * names, so parent and child data can be compared (NS_SET_MISMATCH, GLUE_MISMATCH).
 */
static void schedule_checks(engine *e, size_t d, const cand *c)
{
    const deleg *dl = &e->delegs[d];
    gt_trace_kind kind = T(e, dl->trace)->kind;
    if (e->cfg->one_path || e->cfg->no_checks || dl->from == 0 ||
        (kind != GT_TRACE_MAIN && kind != GT_TRACE_CNAME)) {
        return;
    }
    gt_name zone = dl->zone;
    size_t from = dl->from;
    for (size_t i = 0; e->session != NULL && i < e->session->nchecked; i++) {
        if (gt_name_eq(&e->session->checked[i], &zone)) {
            return; /* checked for an earlier name of this bulk run (findings reported there) */
        }
    }
    const gt_referral *ref = &Q(e, from)->referral; /* stable: never reallocated */
    cand cc = *c;
    cc.from = from;
    c = &cc;
    check_one(e, &zone, from, &zone, GT_TYPE_NS, c);
    for (size_t i = 0; i < ref->nns; i++) {
        if (!gt_name_is_under(&ref->ns[i], &zone)) {
            continue; /* the child is authoritative only for in-domain names */
        }
        gt_name ns = ref->ns[i];
        if (e->cfg->family != AF_INET6) {
            check_one(e, &zone, from, &ns, GT_TYPE_A, c);
        }
        if (e->cfg->family != AF_INET) {
            check_one(e, &zone, from, &ns, GT_TYPE_AAAA, c);
        }
    }
}

static void launch_all(engine *e, size_t d, const cand *c)
{
    if (launch(e, d, c, e->cfg->tcp) != LAUNCH_SKIPPED) {
        schedule_checks(e, d, c);
    }
}

/* --one: keep exactly one query out per zone cut until one gives a usable reply. */
static void one_advance(engine *e, size_t d)
{
    for (;;) {
        deleg *dl = &e->delegs[d];
        if (dl->satisfied || dl->inflight) {
            return;
        }
        if (dl->next < dl->ncands) {
            cand c = dl->cands[dl->next++];
            launch_result lr = launch(e, d, &c, e->cfg->tcp);
            if (lr == LAUNCH_SENT) {
                e->delegs[d].inflight = true;
            }
            continue;
        }
        if (dl->pending > 0) {
            return;
        }
        if (dl->next_glueless < dl->nglueless) {
            gt_name ns = dl->glueless[dl->next_glueless++];
            need_ns(e, d, &ns);
            continue;
        }
        return;
    }
}

static size_t new_deleg(engine *e, size_t trace, const gt_name *zone, size_t from)
{
    if (!grow(e, (void **)&e->delegs, &e->capdelegs, e->ndelegs, sizeof(deleg))) {
        return SIZE_MAX;
    }
    size_t d = e->ndelegs++;
    deleg *dl = &e->delegs[d];
    memset(dl, 0, sizeof(*dl));
    dl->trace = trace;
    dl->zone = *zone;
    dl->from = from;
    return d;
}

/* Queue (--one) or note an NS name without usable glue. */
static void glueless(engine *e, size_t d, const gt_name *ns)
{
    if (!e->cfg->one_path) {
        need_ns(e, d, ns);
        return;
    }
    deleg *dl = &e->delegs[d];
    if (!grow(e, (void **)&dl->glueless, &dl->capglueless, dl->nglueless, sizeof(gt_name))) {
        return;
    }
    dl->glueless[dl->nglueless++] = *ns;
}

/* Start trace @p trace at the root hints (or at the -s server for the main trace). */
static void start_from_hints(engine *e, size_t trace)
{
    gt_name root;
    gt_name_root(&root);
    size_t d = new_deleg(e, trace, &root, 0);
    if (d == SIZE_MAX) {
        return;
    }
    cand c;
    if (trace == 0 && e->cfg->have_server) {
        memset(&c, 0, sizeof(c));
        c.addr = e->cfg->server;
        c.src = GT_SRC_USER;
        offer(e, d, &c);
        return;
    }
    for (size_t i = 0; i < e->hints->nservers; i++) {
        const gt_hint_server *hs = &e->hints->servers[i];
        for (size_t j = 0; j < hs->naddrs; j++) {
            memset(&c, 0, sizeof(c));
            c.ns = hs->name;
            c.addr = hs->addrs[j];
            c.src = GT_SRC_HINTS;
            offer(e, d, &c);
        }
    }
}

/* ---- replies ---- */

/* Follow the referral of query @p qid: a new zone cut whose servers come from its glue. */
static void follow_referral(engine *e, size_t qid)
{
    gt_query *q = Q(e, qid);
    size_t t = q->trace;
    if (!q->cached_from && !e->cfg->no_cache) {
        if (grow(e, (void **)&e->cache, &e->capcache, e->ncache, sizeof(cached_ref))) {
            cached_ref *c = &e->cache[e->ncache++];
            c->addr = q->addr;
            c->zone = q->referral.zone;
            c->query = qid;
        }
    }
    tstate *ts = &e->ts[t];
    for (size_t i = 0; i < ts->nfollowed; i++) {
        if (gt_referral_same(&Q(e, ts->followed[i])->referral, &q->referral)) {
            q->same_as = ts->followed[i];
            return;
        }
    }
    if (!grow(e, (void **)&ts->followed, &ts->capfollowed, ts->nfollowed, sizeof(size_t))) {
        return;
    }
    ts->followed[ts->nfollowed++] = qid;

    gt_name zone = q->referral.zone;
    size_t d = new_deleg(e, t, &zone, qid);
    if (d == SIZE_MAX) {
        return;
    }
    /* Copy what is needed: launching may add queries and move nothing we hold. */
    gt_referral ref;
    if (!copy_referral(&Q(e, qid)->referral, &ref)) {
        e->fatal = GT_ENOMEM;
        return;
    }
    for (size_t i = 0; i < ref.nns; i++) {
        bool any = false;
        for (size_t j = 0; j < ref.nglue; j++) {
            if (!gt_name_eq(&ref.glue[j].name, &ref.ns[i])) {
                continue;
            }
            any = true;
            cand c;
            memset(&c, 0, sizeof(c));
            c.ns = ref.ns[i];
            c.addr = ref.glue[j].addr;
            c.src = GT_SRC_GLUE;
            c.kind = ref.glue[j].kind;
            c.glue_from = qid;
            offer(e, d, &c);
        }
        if (!any) {
            glueless(e, d, &ref.ns[i]);
        }
    }
    gt_referral_clear(&ref);
    if (e->cfg->one_path) {
        one_advance(e, d);
    }
}

/* Addresses in an answer, for sub-traces. */
static void collect_addrs(engine *e, size_t qid)
{
    gt_query *q = Q(e, qid);
    const gt_msg *m = gt_query_reply(e->res, q);
    if (m == NULL || (q->qtype != GT_TYPE_A && q->qtype != GT_TYPE_AAAA)) {
        return;
    }
    gt_name final_name = q->cls.final_name;
    size_t t = q->trace;
    for (size_t i = 0; i < m->count[GT_SEC_ANSWER]; i++) {
        const gt_rr *rr = &m->rrs[GT_SEC_ANSWER][i];
        bool ok = (rr->type == GT_TYPE_A && rr->rdlen == 4) ||
                  (rr->type == GT_TYPE_AAAA && rr->rdlen == 16);
        if (ok && rr->type == q->qtype && gt_name_eq(&rr->owner, &final_name)) {
            gt_addr a;
            gt_addr_from_bytes(&a, rr->rdata, rr->rdlen);
            trace_add_addr(e, t, &a);
            m = gt_query_reply(e->res, Q(e, qid));
        }
    }
}

/* A CNAME whose target this server did not answer: trace the target from the root. */
static void follow_cname(engine *e, size_t qid)
{
    gt_query *q = Q(e, qid);
    size_t t = q->trace;
    gt_name target = q->cls.final_name;
    uint16_t qtype = q->qtype;
    char nbuf[GT_NAME_STRLEN];
    gt_name_to_str(&target, nbuf, sizeof(nbuf));
    size_t s = find_trace(e, &target, qtype);
    if (s != SIZE_MAX && trace_is_ancestor(e, s, t)) {
        add_finding(e, "LIMIT_REACHED", GT_SEV_WARNING, &q->zone, qid,
                    "CNAME loop: %s leads back to a name already being traced", nbuf);
        return;
    }
    if (s != SIZE_MAX) {
        if (T(e, t)->cname_child == 0) {
            T(e, t)->cname_child = s;
        }
        add_waiter(e, s, true, t, NULL);
        return;
    }
    if (e->ts[t].chain + 1 > GT_MAX_CNAME_CHAIN) {
        add_finding(e, "LIMIT_REACHED", GT_SEV_WARNING, &q->zone, qid,
                    "CNAME chain limit %d reached at %s", GT_MAX_CNAME_CHAIN, nbuf);
        return;
    }
    s = new_trace(e, GT_TRACE_CNAME, &target, qtype, t, qid);
    if (s == SIZE_MAX) {
        add_finding(e, "LIMIT_REACHED", GT_SEV_WARNING, NULL, qid,
                    "trace limit %d reached: CNAME target %s not traced", GT_MAX_TRACES, nbuf);
        return;
    }
    e->ts[s].chain = e->ts[t].chain + 1;
    if (T(e, t)->cname_child == 0) {
        T(e, t)->cname_child = s;
    }
    add_waiter(e, s, true, t, NULL);
    start_from_hints(e, s);
    trace_maybe_done(e, s);
}

/* Traces that walk referrals; check and resolver traces only ask their fixed servers. */
static bool follows(gt_trace_kind k)
{
    return k == GT_TRACE_MAIN || k == GT_TRACE_SUBTRACE || k == GT_TRACE_CNAME;
}

static bool usable(gt_outcome o)
{
    return o == GT_OUT_ANSWER || o == GT_OUT_CNAME || o == GT_OUT_REFERRAL ||
           o == GT_OUT_NXDOMAIN || o == GT_OUT_NODATA;
}

/* Act on a classified query (network reply or cached referral). */
static void process_outcome(engine *e, size_t qid);

/* Act on a query's outcome, then tell the observer (after same_as and the like are set). */
static void process(engine *e, size_t qid)
{
    process_outcome(e, qid);
    if (e->hooks != NULL && e->hooks->on_query != NULL) {
        e->hooks->on_query(e->hooks->arg, e->res, Q(e, qid));
    }
}

static void process_outcome(engine *e, size_t qid)
{
    gt_query *q = Q(e, qid);
    size_t t = q->trace;
    size_t d = e->qdeleg[qid - 1];
    tstate *ts = &e->ts[t];
    switch (q->outcome) {
    case GT_OUT_TRUNCATED: {
        /* RFC 7766: the same server over TCP; the UDP reply's partial data is not used. */
        cand c;
        memset(&c, 0, sizeof(c));
        c.ns = q->server_name;
        c.addr = q->addr;
        c.src = q->source;
        c.kind = q->glue_kind;
        c.glue_from = q->glue_from;
        c.subtrace = q->subtrace;
        if (asked_before(e, t, &c.addr, true)) {
            break;
        }
        mark_asked(e, t, &c.addr, true);
        if (ask(e, d, &c, true, qid) == LAUNCH_SENT && e->cfg->one_path) {
            return; /* the zone cut's query is still out */
        }
        break;
    }
    case GT_OUT_REFERRAL:
        if (follows(T(e, t)->kind)) {
            follow_referral(e, qid);
        }
        break;
    case GT_OUT_ANSWER:
        ts->got_answer = true;
        collect_addrs(e, qid);
        break;
    case GT_OUT_CNAME:
        ts->got_cname = true;
        if (follows(T(e, t)->kind)) {
            follow_cname(e, qid);
        }
        break;
    case GT_OUT_NODATA:
        ts->got_nodata = true;
        break;
    case GT_OUT_NXDOMAIN:
        ts->got_nxdomain = true;
        break;
    default:
        break;
    }
    if (e->cfg->one_path) {
        deleg *dl = &e->delegs[d];
        if (usable(Q(e, qid)->outcome)) {
            dl->satisfied = true;
        }
        dl->inflight = false;
        one_advance(e, d);
    }
}

static void on_reply(void *arg, const gt_reply *reply)
{
    sendctx *sc = arg;
    engine *e = sc->e;
    size_t qid = sc->qid;
    free(sc);
    gt_query *q = Q(e, qid);
    size_t t = q->trace;
    e->ts[t].inflight--;
    q->rtt_ms = reply->rtt_ms;
    q->net_status = reply->status;

    if (reply->status != GT_OK) {
        switch (reply->status) {
        case GT_ETIMEOUT:
            q->outcome = GT_OUT_TIMEOUT;
            e->res->timeouts++;
            break;
        case GT_ENETUNREACH:
            q->outcome = GT_OUT_UNREACHABLE;
            family_unreachable(e, qid);
            break;
        case GT_ECONNREFUSED:
            q->outcome = GT_OUT_UNREACHABLE;
            break;
        case GT_ENOMEM:
            e->fatal = GT_ENOMEM;
            q->outcome = GT_OUT_ERROR;
            break;
        default:
            q->outcome = GT_OUT_ERROR;
            break;
        }
    } else {
        q->reply_len = reply->len;
        gt_msg *m = NULL;
        if (gt_msg_parse(reply->data, reply->len, &m) != GT_OK) {
            q->outcome = GT_OUT_MALFORMED;
        } else {
            q->reply = m;
            if (!gt_reply_matches(m, &q->qname, q->qtype)) {
                q->outcome = GT_OUT_MALFORMED;
            } else {
                gt_classify(&q->qname, q->qtype, &q->zone, m, q->tcp, &q->cls);
                if (T(e, t)->kind == GT_TRACE_RESOLVER && q->cls.outcome == GT_OUT_LAME &&
                    q->cls.lame == GT_LAME_NOT_AUTH) {
                    /* A recursive answer carries no AA: judge it as if it did. */
                    gt_msg as_auth = *m;
                    as_auth.aa = true;
                    gt_classify(&q->qname, q->qtype, &q->zone, &as_auth, q->tcp, &q->cls);
                }
                q->outcome = q->cls.outcome;
                if (q->outcome == GT_OUT_REFERRAL || q->outcome == GT_OUT_UPWARD ||
                    q->outcome == GT_OUT_SIDEWAYS) {
                    if (gt_referral_extract(m, &q->cls.zone, &q->zone, &q->referral) == GT_OK) {
                        q->has_referral = true;
                    } else {
                        e->fatal = GT_ENOMEM;
                        q->outcome = GT_OUT_ERROR;
                    }
                }
            }
        }
    }
    process(e, qid);
    for (size_t i = 0; i < e->nshares; i++) {
        if (e->shares[i][0] != qid) {
            continue;
        }
        size_t dst = e->shares[i][1];
        size_t dt = Q(e, dst)->trace;
        e->shares[i][0] = 0;
        copy_shared(e, dst, qid);
        e->ts[dt].inflight--;
        process(e, dst);
        trace_maybe_done(e, dt);
    }
    trace_maybe_done(e, t);
}

/* ---- completion ---- */

static gt_trace_status own_status(engine *e, size_t t)
{
    const tstate *ts = &e->ts[t];
    if (ts->got_answer) {
        return GT_TS_ANSWER;
    }
    if (ts->got_cname) {
        size_t c = T(e, t)->cname_child;
        if (c != 0 && c != t) {
            gt_trace_status cs = T(e, c)->status;
            if (cs == GT_TS_ANSWER || cs == GT_TS_NXDOMAIN || cs == GT_TS_NODATA) {
                return cs;
            }
        }
        return GT_TS_FAILED;
    }
    if (ts->got_nodata) {
        return GT_TS_NODATA;
    }
    if (ts->got_nxdomain) {
        return GT_TS_NXDOMAIN;
    }
    return GT_TS_FAILED;
}

static void finish_trace(engine *e, size_t t, gt_trace_status forced)
{
    tstate *ts = &e->ts[t];
    ts->done = true;
    gt_tracerec *tr = T(e, t);
    tr->status = own_status(e, t);
    if (ts->cyclic && tr->naddrs == 0 && tr->status != GT_TS_NXDOMAIN &&
        tr->status != GT_TS_NODATA) {
        tr->status = GT_TS_CYCLE;
        if (ts->cycle_msg != NULL) {
            add_finding(e, "GLUELESS_CYCLE", GT_SEV_ERROR, &ts->cycle_zone, ts->cycle_query, "%s",
                        ts->cycle_msg);
        }
    } else if (tr->status == GT_TS_FAILED && forced != GT_TS_RUNNING) {
        tr->status = forced;
    }
    for (size_t w = 0; w < e->nwaiters; w++) {
        waiter *wt = &e->waiters[w];
        if (wt->target != t || !wt->open) {
            continue;
        }
        wt->open = false;
        size_t waiting = wt->for_trace ? wt->who : e->delegs[wt->who].trace;
        e->ts[waiting].waits--;
        if (!wt->for_trace) {
            size_t d = wt->who;
            e->delegs[d].pending--;
            if (e->cfg->one_path) {
                one_advance(e, d);
            }
        }
        trace_maybe_done(e, waiting);
    }
}

static void trace_maybe_done(engine *e, size_t t)
{
    tstate *ts = &e->ts[t];
    if (!ts->done && ts->inflight == 0 && ts->waits == 0) {
        finish_trace(e, t, GT_TS_RUNNING);
    }
}

/*
 * Nothing is in flight but some traces still wait: they wait on each other (glueless names
 * that can only be found through one another). Stop the deepest one as a cycle, which lets
 * the others go on with what they have.
 */
static bool break_deadlock(engine *e)
{
    for (size_t i = e->res->ntraces; i-- > 0;) {
        if (e->ts[i].done) {
            continue;
        }
        gt_tracerec *tr = T(e, i);
        if (tr->kind == GT_TRACE_SUBTRACE) {
            char nbuf[GT_NAME_STRLEN];
            gt_name_to_str(&tr->name, nbuf, sizeof(nbuf));
            add_finding(e, "GLUELESS_CYCLE", GT_SEV_ERROR, NULL, tr->requested_by,
                        "glueless cycle: %s can only be resolved through servers whose own "
                        "addresses need %s",
                        nbuf, nbuf);
        }
        finish_trace(e, i, GT_TS_CYCLE);
        return true;
    }
    return false;
}

/* ---- answers ---- */

/* Canonical text of a reply's answer section (TTL left out), for grouping equal answers. */
static char *answer_key(const gt_query *q)
{
    size_t cap = 256, len = 0;
    char *key = malloc(cap);
    if (key == NULL) {
        return NULL;
    }
    len = (size_t)snprintf(key, cap, "%s|", gt_outcome_str(q->outcome));
    const gt_msg *m = q->reply;
    size_t n = m ? m->count[GT_SEC_ANSWER] : 0;
    /* Sort-independent: each record's text is appended in a canonical (sorted) order. */
    char **items = calloc(n + 1, sizeof(char *));
    if (items == NULL) {
        free(key);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        const gt_rr *rr = &m->rrs[GT_SEC_ANSWER][i];
        char name[GT_NAME_STRLEN], type[16], data[4096];
        gt_name_to_str(&rr->owner, name, sizeof(name));
        for (char *p = name; *p; p++) {
            if (*p >= 'A' && *p <= 'Z') {
                *p = (char)(*p - 'A' + 'a');
            }
        }
        gt_type_to_str(rr->type, type, sizeof(type));
        if (gt_rdata_to_str(rr->type, rr->rdata, rr->rdlen, data, sizeof(data)) == 0) {
            snprintf(data, sizeof(data), "(%u bytes)", (unsigned)rr->rdlen);
        }
        size_t need = strlen(name) + strlen(type) + strlen(data) + 4;
        items[i] = malloc(need);
        if (items[i] != NULL) {
            snprintf(items[i], need, "%s %s %s", name, type, data);
        }
    }
    for (size_t i = 1; i < n; i++) { /* insertion sort: answers are small */
        for (size_t j = i; j > 0 && items[j - 1] && items[j] && strcmp(items[j - 1], items[j]) > 0;
             j--) {
            char *tmp = items[j];
            items[j] = items[j - 1];
            items[j - 1] = tmp;
        }
    }
    for (size_t i = 0; i < n; i++) {
        const char *s = items[i] ? items[i] : "?";
        size_t sl = strlen(s);
        if (len + sl + 2 > cap) {
            while (len + sl + 2 > cap) {
                cap *= 2;
            }
            char *nk = realloc(key, cap);
            if (nk == NULL) {
                break;
            }
            key = nk;
        }
        memcpy(key + len, s, sl);
        len += sl;
        key[len++] = '\n';
        key[len] = '\0';
        free(items[i]);
        items[i] = NULL;
    }
    for (size_t i = 0; i < n; i++) {
        free(items[i]);
    }
    free(items);
    return key;
}

static void collect_answers(engine *e)
{
    gt_result *r = e->res;
    char **keys = calloc(r->nqueries + 1, sizeof(char *));
    if (keys == NULL) {
        e->fatal = GT_ENOMEM;
        return;
    }
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        bool final = q->outcome == GT_OUT_ANSWER || q->outcome == GT_OUT_CNAME ||
                     q->outcome == GT_OUT_NXDOMAIN || q->outcome == GT_OUT_NODATA;
        /* The main trace and the CNAME traces hanging off it. */
        bool on_path = false;
        for (size_t t = 0, guard = 0; guard <= GT_MAX_CNAME_CHAIN + 1; guard++) {
            if (q->trace == t) {
                on_path = true;
                break;
            }
            t = T(e, t)->cname_child;
            if (t == 0) {
                break;
            }
        }
        if (!final || !on_path || q->cached_from != 0) {
            continue; /* a reused reply is the same server's, counted once */
        }
        keys[i] = answer_key(q);
        if (keys[i] == NULL) {
            continue;
        }
        size_t a = 0;
        for (; a < r->nanswers; a++) {
            if (strcmp(keys[r->answers[a].first_query - 1], keys[i]) == 0) {
                break;
            }
        }
        if (a == r->nanswers) {
            gt_answer *na = realloc(r->answers, (r->nanswers + 1) * sizeof(*na));
            if (na == NULL) {
                e->fatal = GT_ENOMEM;
                break;
            }
            r->answers = na;
            memset(&na[a], 0, sizeof(na[a]));
            na[a].outcome = q->outcome;
            na[a].first_query = q->id;
            r->nanswers++;
        }
        gt_answer *an = &r->answers[a];
        size_t *nq = realloc(an->queries, (an->nqueries + 1) * sizeof(size_t));
        if (nq == NULL) {
            e->fatal = GT_ENOMEM;
            break;
        }
        an->queries = nq;
        an->queries[an->nqueries++] = q->id;
    }
    for (size_t i = 0; i < r->nqueries; i++) {
        free(keys[i]);
    }
    free(keys);
}

/* ---- resolver comparison ---- */

/* Ask the local resolver (RD=1) for (@p name, @p qtype), once per run. */
static void ask_resolver(engine *e, const gt_name *name, uint16_t qtype)
{
    for (size_t i = 0; i < e->res->ntraces; i++) {
        const gt_tracerec *t = T(e, i);
        if (t->kind == GT_TRACE_RESOLVER && t->qtype == qtype && gt_name_eq(&t->name, name)) {
            return;
        }
    }
    size_t t = new_trace(e, GT_TRACE_RESOLVER, name, qtype, 0, 0);
    if (t == SIZE_MAX) {
        return;
    }
    gt_name root;
    gt_name_root(&root);
    size_t d = new_deleg(e, t, &root, 0);
    if (d == SIZE_MAX) {
        return;
    }
    e->ts[t].deleg = d;
    cand c;
    memset(&c, 0, sizeof(c));
    c.addr = e->cfg->resolver;
    c.src = GT_SRC_RESOLVER;
    (void)launch(e, d, &c, false);
    trace_maybe_done(e, t);
}

static void ask_resolver_addrs(engine *e, const gt_name *name)
{
    if (e->cfg->family != AF_INET6) {
        ask_resolver(e, name, GT_TYPE_A);
    }
    if (e->cfg->family != AF_INET) {
        ask_resolver(e, name, GT_TYPE_AAAA);
    }
}

/*
 * --compare-resolver, after the trace: the resolver is asked for the question and for the
 * addresses of every NS name the trace met, so findings can show where it differs. These
 * queries are marked source "resolver" and never feed the trace.
 */
static void resolver_phase(engine *e)
{
    size_t nq = e->res->nqueries;
    ask_resolver(e, &e->res->qname, e->res->qtype);
    for (size_t i = 0; i < nq; i++) {
        const gt_query *q = Q(e, i + 1);
        if (!q->has_referral || q->cached_from || !follows(T(e, q->trace)->kind)) {
            continue;
        }
        for (size_t n = 0; n < q->referral.nns; n++) {
            gt_name ns = q->referral.ns[n];
            ask_resolver_addrs(e, &ns);
        }
    }
}

/* ---- public ---- */

/* Free the engine's working state (not the result). */
static void engine_clear(engine *e)
{
    if (e->ts != NULL) {
        for (size_t i = 0; i < GT_MAX_TRACES; i++) {
            free(e->ts[i].asked);
            free(e->ts[i].asked_tcp);
            free(e->ts[i].followed);
            free(e->ts[i].cycle_msg);
        }
    }
    for (size_t i = 0; i < e->ndelegs; i++) {
        free(e->delegs[i].cands);
        free(e->delegs[i].glueless);
    }
    free(e->delegs);
    free(e->sent_ids);
    free(e->shares);
    free(e->waiters);
    free(e->cache);
    free(e->qdeleg);
    free(e->ts);
    e->delegs = NULL;
    e->sent_ids = NULL;
    e->shares = NULL;
    e->waiters = NULL;
    e->cache = NULL;
    e->qdeleg = NULL;
    e->ts = NULL;
}

/* Set up an engine for (qname, qtype) and send its first queries. */
static gt_status engine_start(engine *e, const gt_config *cfg, const gt_hints *hints,
                              gt_transport *tp, const gt_trace_hooks *hooks, gt_session *session,
                              const gt_name *qname, uint16_t qtype)
{
    memset(e, 0, sizeof(*e));
    e->t0 = now_ms();
    e->cfg = cfg;
    e->hooks = hooks;
    e->hints = hints;
    e->tp = tp;
    e->session = session;
    e->res = calloc(1, sizeof(*e->res));
    e->ts = calloc(GT_MAX_TRACES, sizeof(*e->ts));
    if (e->res == NULL || e->ts == NULL) {
        return GT_ENOMEM;
    }
    e->res->traces = calloc(GT_MAX_TRACES, sizeof(*e->res->traces));
    if (e->res->traces == NULL) {
        return GT_ENOMEM;
    }
    e->res->qname = *qname;
    e->res->qtype = qtype;
    e->res->nhints = cfg->have_server ? 0 : hints->nservers;
    if (new_trace(e, GT_TRACE_MAIN, qname, qtype, 0, 0) != 0) {
        return GT_ENOMEM;
    }
    start_from_hints(e, 0);
    trace_maybe_done(e, 0);
    return e->fatal;
}

/*
 * Called whenever the transport went idle: break a deadlock of mutually waiting sub-traces,
 * or start the resolver comparison. @return true when that put new work in flight.
 */
static bool engine_step(engine *e)
{
    if (e->fatal != GT_OK) {
        return false;
    }
    if (break_deadlock(e)) {
        return true;
    }
    if (e->cfg->compare_resolver && !e->resolver_done) {
        e->resolver_done = true;
        resolver_phase(e);
        return true;
    }
    return false;
}

/* Keep what later names of a bulk run may reuse: referrals and sub-trace addresses. */
static void session_export(engine *e)
{
    gt_session *ss = e->session;
    if (ss == NULL || e->cfg->no_cache) {
        return;
    }
    for (size_t i = 0; i < e->res->nqueries && ss->nrefs < GT_MAX_SESSION_ENTRIES; i++) {
        const gt_query *q = e->res->queries[i];
        if (q->outcome != GT_OUT_REFERRAL || !q->has_referral || q->cached_from ||
            q->from_session) {
            continue;
        }
        bool have = false;
        for (size_t j = 0; j < ss->nrefs && !have; j++) {
            have = gt_addr_eq(&ss->refs[j].addr, &q->addr) &&
                   gt_name_eq(&ss->refs[j].ref.zone, &q->referral.zone);
        }
        if (have || !grow(e, (void **)&ss->refs, &ss->caprefs, ss->nrefs, sizeof(*ss->refs))) {
            continue;
        }
        session_ref *r = &ss->refs[ss->nrefs];
        r->addr = q->addr;
        r->cls = q->cls;
        if (copy_referral(&q->referral, &r->ref)) {
            ss->nrefs++;
        }
    }
    for (size_t t = 1; t < e->res->ntraces && ss->nsubs < GT_MAX_SESSION_ENTRIES; t++) {
        const gt_tracerec *tr = T(e, t);
        if (tr->kind != GT_TRACE_SUBTRACE || tr->from_session || tr->status != GT_TS_ANSWER ||
            tr->naddrs == 0 || session_sub_lookup(e, &tr->name, tr->qtype) != NULL ||
            !grow(e, (void **)&ss->subs, &ss->capsubs, ss->nsubs, sizeof(*ss->subs))) {
            continue;
        }
        session_sub *sub = &ss->subs[ss->nsubs++];
        sub->name = tr->name;
        sub->qtype = tr->qtype;
        sub->status = tr->status;
        memcpy(sub->addrs, tr->addrs, tr->naddrs * sizeof(gt_addr));
        sub->naddrs = tr->naddrs;
    }
    for (size_t t = 1; t < e->res->ntraces && ss->nchecked < GT_MAX_SESSION_ENTRIES; t++) {
        const gt_tracerec *tr = T(e, t);
        if (tr->kind != GT_TRACE_CHECK || tr->qtype != GT_TYPE_NS) {
            continue; /* one per zone cut: its NS check */
        }
        bool have = false;
        for (size_t i = 0; i < ss->nchecked && !have; i++) {
            have = gt_name_eq(&ss->checked[i], &tr->zone);
        }
        if (!have &&
            grow(e, (void **)&ss->checked, &ss->capchecked, ss->nchecked, sizeof(gt_name))) {
            ss->checked[ss->nchecked++] = tr->zone;
        }
    }
}

/* Finish every trace, derive answers and findings, free the engine; the result is returned. */
static gt_status engine_finish(engine *e, gt_result **out)
{
    gt_status st = e->fatal;
    *out = NULL;
    if (st == GT_OK && e->res != NULL && e->ts != NULL) {
        for (size_t i = 0; i < e->res->ntraces; i++) {
            if (!e->ts[i].done) {
                finish_trace(e, i, GT_TS_FAILED);
            }
        }
        if (e->budget_skipped > 0) {
            for (size_t i = 0; i < e->res->nfindings; i++) {
                gt_finding *f = &e->res->findings[i];
                if (strcmp(f->code, "LIMIT_REACHED") == 0 && f->query == 0 && !f->zone.len) {
                    char buf[256];
                    snprintf(buf, sizeof(buf),
                             "query budget of %u reached (--max-queries); %zu server queries "
                             "not sent",
                             e->cfg->max_queries, e->budget_skipped);
                    char *m = strdup(buf);
                    if (m != NULL) {
                        free(f->message);
                        f->message = m;
                    }
                    break;
                }
            }
        }
        collect_answers(e);
        if (e->fatal == GT_OK && gt_findings_analyse(e->res, e->cfg) != GT_OK) {
            e->fatal = GT_ENOMEM;
        }
        session_export(e);
        st = e->fatal;
    }
    if (e->res != NULL) {
        e->res->elapsed_ms = now_ms() - e->t0;
    }
    engine_clear(e);
    if (st == GT_ENOMEM || e->res == NULL || e->res->traces == NULL) {
        gt_result_free(e->res);
        e->res = NULL;
        return st == GT_OK ? GT_ENOMEM : st;
    }
    *out = e->res;
    e->res = NULL;
    return st;
}

gt_status gt_trace_run(const gt_config *cfg, const gt_hints *hints, gt_transport *tp,
                       const gt_trace_hooks *hooks, gt_result **out)
{
    engine e;
    gt_status st = engine_start(&e, cfg, hints, tp, hooks, NULL, &cfg->qname, cfg->qtype);
    while (st == GT_OK) {
        st = gt_transport_run(tp);
        if (st != GT_OK || !engine_step(&e)) {
            break;
        }
    }
    if (st != GT_OK && e.fatal == GT_OK) {
        e.fatal = st;
    }
    gt_status fst = engine_finish(&e, out);
    return st != GT_OK ? st : fst;
}

gt_status gt_session_create(gt_session **out)
{
    *out = calloc(1, sizeof(**out));
    return *out == NULL ? GT_ENOMEM : GT_OK;
}

void gt_session_destroy(gt_session *s)
{
    if (s == NULL) {
        return;
    }
    for (size_t i = 0; i < s->nrefs; i++) {
        gt_referral_clear(&s->refs[i].ref);
    }
    free(s->refs);
    free(s->subs);
    free(s->checked);
    free(s);
}

size_t gt_session_size(const gt_session *s)
{
    return s->nrefs + s->nsubs + s->nchecked;
}

gt_status gt_trace_bulk(const gt_config *cfg, const gt_hints *hints, gt_transport *tp,
                        gt_session *session, const gt_bulk_name *names, size_t n,
                        unsigned concurrency, gt_bulk_emit emit, void *arg)
{
    gt_status st = GT_OK;
    if (concurrency == 0) {
        concurrency = 1;
    }
    engine *batch = calloc(concurrency, sizeof(*batch));
    size_t *index = calloc(concurrency, sizeof(*index));
    if (batch == NULL || index == NULL) {
        free(batch);
        free(index);
        return GT_ENOMEM;
    }
    /*
     * Batches of up to @p concurrency names run in one event loop; a batch ends when the
     * transport goes idle and no engine has more to do, then its results are emitted and what
     * they learnt (referrals, sub-trace addresses) is kept in the session for the next batch.
     */
    for (size_t next = 0; next < n && st == GT_OK;) {
        size_t k = 0;
        for (; k < concurrency && next < n; k++, next++) {
            index[k] = next;
            gt_status s1 = engine_start(&batch[k], cfg, hints, tp, NULL, session, &names[next].name,
                                        names[next].qtype);
            if (s1 != GT_OK) {
                batch[k].fatal = s1;
            }
        }
        for (;;) {
            st = gt_transport_run(tp);
            if (st != GT_OK) {
                break;
            }
            bool more = false;
            for (size_t i = 0; i < k; i++) {
                more |= engine_step(&batch[i]);
            }
            if (!more) {
                break;
            }
        }
        for (size_t i = 0; i < k; i++) {
            gt_result *r = NULL;
            if (st != GT_OK && batch[i].fatal == GT_OK) {
                batch[i].fatal = st;
            }
            gt_status fs = engine_finish(&batch[i], &r);
            emit(arg, index[i], r, fs);
            gt_result_free(r);
        }
    }
    free(batch);
    free(index);
    return st;
}
void gt_result_free(gt_result *r)
{
    if (r == NULL) {
        return;
    }
    for (size_t i = 0; i < r->nqueries; i++) {
        gt_msg_free(r->queries[i]->reply);
        gt_referral_clear(&r->queries[i]->referral);
        free(r->queries[i]);
    }
    free(r->queries);
    if (r->traces != NULL) {
        for (size_t i = 0; i < r->ntraces; i++) {
            free(r->traces[i]);
        }
        free(r->traces);
    }
    for (size_t i = 0; i < r->nanswers; i++) {
        free(r->answers[i].queries);
    }
    free(r->answers);
    for (size_t i = 0; i < r->nfindings; i++) {
        free(r->findings[i].message);
    }
    free(r->findings);
    gt_vsdig_free(r->vsdig);
    free(r);
}

const gt_msg *gt_query_reply(const gt_result *r, const gt_query *q)
{
    for (unsigned hops = 0; q != NULL && hops < 4; hops++) {
        if (q->reply != NULL || q->cached_from == 0 || q->cached_from > r->nqueries) {
            return q->reply;
        }
        q = r->queries[q->cached_from - 1];
    }
    return NULL;
}

int gt_result_exit_code(const gt_result *r, bool strict)
{
    if (r == NULL || r->ntraces == 0) {
        return 4;
    }
    gt_trace_status s = r->traces[0]->status;
    if (s != GT_TS_ANSWER && s != GT_TS_NXDOMAIN && s != GT_TS_NODATA) {
        return 3;
    }
    for (size_t i = 0; i < r->nfindings; i++) {
        gt_severity sev = r->findings[i].severity;
        if (sev == GT_SEV_ERROR || (strict && sev == GT_SEV_WARNING)) {
            return 1;
        }
    }
    return 0;
}

const char *gt_source_str(gt_source s)
{
    switch (s) {
    case GT_SRC_HINTS:
        return "hints";
    case GT_SRC_GLUE:
        return "glue";
    case GT_SRC_SUBTRACE:
        return "subtrace";
    case GT_SRC_USER:
        return "user";
    case GT_SRC_RESOLVER:
        return "resolver";
    }
    return "user";
}

const char *gt_trace_kind_str(gt_trace_kind k)
{
    switch (k) {
    case GT_TRACE_MAIN:
        return "main";
    case GT_TRACE_SUBTRACE:
        return "subtrace";
    case GT_TRACE_CNAME:
        return "cname";
    case GT_TRACE_CHECK:
        return "check";
    case GT_TRACE_RESOLVER:
        return "resolver";
    }
    return "main";
}

const char *gt_trace_status_str(gt_trace_status s)
{
    switch (s) {
    case GT_TS_RUNNING:
        return "running";
    case GT_TS_ANSWER:
        return "answer";
    case GT_TS_NXDOMAIN:
        return "nxdomain";
    case GT_TS_NODATA:
        return "nodata";
    case GT_TS_FAILED:
        return "failed";
    case GT_TS_CYCLE:
        return "cycle";
    case GT_TS_LIMIT:
        return "limit";
    }
    return "failed";
}

const char *gt_severity_str(gt_severity s)
{
    switch (s) {
    case GT_SEV_INFO:
        return "info";
    case GT_SEV_WARNING:
        return "warning";
    case GT_SEV_ERROR:
        return "error";
    }
    return "error";
}
