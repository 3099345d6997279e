/*
 * Traces and how they depend on each other: sub-traces of glueless NS names (each name and
 * type traced once per run, from the root), CNAME traces, the waiters that hand a trace's
 * addresses to the zone cuts (or CNAME parents) that need them, glueless cycles, and the end
 * of a trace.
 */
#include "engine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

gt_trace_id trace_new(engine *e, gt_trace_kind kind, const gt_name *name, uint16_t qtype,
                      gt_trace_id parent, gt_query_id requested_by)
{
    gt_result *r = e->res;
    if (r->ntraces >= GT_MAX_TRACES) {
        return NO_ID;
    }
    gt_tracerec *t = calloc(1, sizeof(*t));
    if (t == NULL) {
        engine_fail(e, GT_ENOMEM);
        return NO_ID;
    }
    gt_trace_id id = r->ntraces++;
    r->traces[id] = t;
    t->id = id;
    t->kind = kind;
    t->name = *name;
    t->qtype = qtype;
    t->parent_trace = id == 0 ? 0 : parent;
    t->requested_by = requested_by;
    t->depth = id == 0 ? 0 : trace_at(e, parent)->depth + 1;
    e->ts[id].state = TRACE_RUNNING;
    return id;
}

static bool trace_is_ancestor(const engine *e, gt_trace_id anc, gt_trace_id t)
{
    for (unsigned guard = 0; guard <= GT_MAX_TRACES; guard++) {
        if (t == anc) {
            return true;
        }
        if (t == 0) {
            return false;
        }
        t = trace_at(e, t)->parent_trace;
    }
    return false;
}

/* The sub-trace of @p name (either type) among @p t and its ancestors, or NO_ID. */
static gt_trace_id ancestor_named(const engine *e, const gt_name *name, gt_trace_id t)
{
    for (unsigned guard = 0; guard <= GT_MAX_TRACES; guard++) {
        const gt_tracerec *tr = trace_at(e, t);
        if (tr->kind == GT_TRACE_SUBTRACE && gt_name_eq(&tr->name, name)) {
            return t;
        }
        if (t == 0) {
            return NO_ID;
        }
        t = tr->parent_trace;
    }
    return NO_ID;
}

/* The trace (main, sub-trace or CNAME) of (@p name, @p qtype), or NO_ID. */
static gt_trace_id find_trace(const engine *e, const gt_name *name, uint16_t qtype)
{
    for (gt_trace_id i = 0; i < e->res->ntraces; i++) {
        const gt_tracerec *t = trace_at(e, i);
        if (t->kind != GT_TRACE_CHECK && t->kind != GT_TRACE_RESOLVER && t->qtype == qtype &&
            gt_name_eq(&t->name, name)) {
            return i;
        }
    }
    return NO_ID;
}

/* ---- waiters ---- */

static void deliver(engine *e, size_t w);

void trace_add_addr(engine *e, gt_trace_id t, const gt_addr *a)
{
    gt_tracerec *tr = trace_at(e, t);
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
            engine_finding(e, GT_F_LIMIT_REACHED, NULL, tr->requested_by,
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

/* Hand a waiter the target's addresses it has not seen yet. */
static void deliver(engine *e, size_t w)
{
    for (;;) {
        waiter *wt = &e->waiters[w];
        const gt_tracerec *tr = trace_at(e, wt->target);
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
        e->strategy->offer(e, wt->who, &c);
    }
}

/*
 * Make @p who (a zone cut, or a CNAME parent trace) wait for trace @p target: addresses it
 * already has are delivered now, later ones as they arrive.
 */
static void add_waiter(engine *e, gt_trace_id target, bool for_trace, size_t who, const gt_name *ns)
{
    if (!engine_reserve(e, (void **)&e->waiters, &e->capwaiters, e->nwaiters, sizeof(waiter))) {
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
    gt_trace_id waiting_trace = for_trace ? who : zcut_at(e, who)->trace;
    if (e->ts[target].state != TRACE_DONE) {
        wt->open = true;
        e->ts[waiting_trace].waits++;
        if (!for_trace) {
            zcut_at(e, who)->awaited++;
        }
    }
    deliver(e, w);
}

/* ---- sub-traces and cycles ---- */

/* "a. -> b. -> c." for the sub-traces from @p top down to @p t (t's ancestors up to top). */
static void cycle_chain(const engine *e, gt_trace_id top, gt_trace_id t, char *buf, size_t size)
{
    gt_trace_id path[GT_MAX_SUBTRACE_DEPTH + 2];
    size_t n = 0;
    for (gt_trace_id cur = t; n < GT_MAX_SUBTRACE_DEPTH + 2; cur = trace_at(e, cur)->parent_trace) {
        path[n++] = cur;
        if (cur == top || cur == 0) {
            break;
        }
    }
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = n; i-- > 0;) {
        char nbuf[GT_NAME_STRLEN];
        gt_name_to_str(&trace_at(e, path[i])->name, nbuf, sizeof(nbuf));
        int w = snprintf(buf + len, size - len, "%s%s", i + 1 == n ? "" : " -> ", nbuf);
        if (w < 0 || (size_t)w >= size - len) {
            return;
        }
        len += (size_t)w;
    }
}

/*
 * Resolving @p ns for cut @p d needs @p ns again: sub-trace @p anc is on the chain. Other
 * paths may still find it: the cycle is reported only if @p anc ends without an address.
 */
static void note_cycle(engine *e, zcut_id d, const gt_name *ns, gt_trace_id anc)
{
    gt_trace_id wt = zcut_at(e, d)->trace;
    tstate *as = &e->ts[anc];
    if (as->cycle_msg == NULL) {
        char nbuf[GT_NAME_STRLEN];
        gt_name_to_str(ns, nbuf, sizeof(nbuf));
        char chain[1024], msg[sizeof(chain) + GT_NAME_STRLEN + 96];
        cycle_chain(e, anc, wt, chain, sizeof(chain));
        snprintf(msg, sizeof(msg),
                 "glueless cycle: %s -> %s (no glue on the path, none can be resolved)", chain,
                 nbuf);
        as->cycle_msg = strdup(msg);
        as->cycle_zone = zcut_at(e, d)->zone;
        as->cycle_query = zcut_at(e, d)->from;
        if (as->cycle_msg == NULL) {
            engine_fail(e, GT_ENOMEM);
        }
    }
    /* Every trace on the chain is part of the cycle. */
    for (gt_trace_id cur = wt, guard = 0; guard <= GT_MAX_SUBTRACE_DEPTH + 1; guard++) {
        e->ts[cur].cyclic = true;
        if (cur == anc || cur == 0) {
            break;
        }
        cur = trace_at(e, cur)->parent_trace;
    }
    e->ts[0].cyclic = false; /* the main trace is not a sub-trace */
}

/* A new sub-trace of (@p ns, @p qtype) for cut @p d; NO_ID at a limit. @p fresh: to start. */
static gt_trace_id new_subtrace(engine *e, zcut_id d, const gt_name *ns, uint16_t qtype,
                                bool *fresh)
{
    gt_trace_id wt = zcut_at(e, d)->trace;
    gt_query_id from = zcut_at(e, d)->from;
    char nbuf[GT_NAME_STRLEN];
    gt_name_to_str(ns, nbuf, sizeof(nbuf));
    if (trace_at(e, wt)->depth + 1 > GT_MAX_SUBTRACE_DEPTH) {
        gt_name zone = zcut_at(e, d)->zone;
        engine_finding(e, GT_F_LIMIT_REACHED, &zone, from,
                       "sub-trace depth limit %d reached: %s not resolved", GT_MAX_SUBTRACE_DEPTH,
                       nbuf);
        return NO_ID;
    }
    gt_trace_id s = trace_new(e, GT_TRACE_SUBTRACE, ns, qtype, wt, from);
    if (s == NO_ID) {
        engine_finding(e, GT_F_LIMIT_REACHED, NULL, from, "trace limit %d reached: %s not resolved",
                       GT_MAX_TRACES, nbuf);
        return NO_ID;
    }
    const struct session_sub *ss = session_sub_lookup(e, ns, qtype);
    if (ss != NULL) {
        session_sub_apply(e, s, ss); /* an earlier name of this bulk run traced it */
    } else {
        *fresh = true;
    }
    return s;
}

void need_ns(engine *e, zcut_id d, const gt_name *ns)
{
    static const uint16_t types[2] = {GT_TYPE_A, GT_TYPE_AAAA};
    for (size_t i = 0; i < 2; i++) {
        int fam = types[i] == GT_TYPE_A ? AF_INET : AF_INET6;
        if (e->cfg->family != AF_UNSPEC && e->cfg->family != fam) {
            continue;
        }
        gt_trace_id anc = ancestor_named(e, ns, zcut_at(e, d)->trace);
        if (anc != NO_ID) {
            note_cycle(e, d, ns, anc);
            continue;
        }
        bool fresh = false;
        gt_trace_id s = find_trace(e, ns, types[i]);
        if (s == NO_ID) {
            s = new_subtrace(e, d, ns, types[i], &fresh);
            if (s == NO_ID) {
                continue;
            }
        }
        add_waiter(e, s, false, d, ns);
        if (fresh) {
            start_from_hints(e, s);
            trace_maybe_done(e, s);
        }
    }
}

void verify_ns(engine *e, zcut_id d, const gt_name *ns)
{
    static const uint16_t types[2] = {GT_TYPE_A, GT_TYPE_AAAA};
    for (size_t i = 0; i < 2; i++) {
        int fam = types[i] == GT_TYPE_A ? AF_INET : AF_INET6;
        if ((e->cfg->family != AF_UNSPEC && e->cfg->family != fam) ||
            ancestor_named(e, ns, zcut_at(e, d)->trace) != NO_ID ||
            find_trace(e, ns, types[i]) != NO_ID) {
            continue; /* traced already (or being traced): its answer is there to compare */
        }
        bool fresh = false;
        gt_trace_id s = new_subtrace(e, d, ns, types[i], &fresh);
        if (s != NO_ID && fresh) {
            start_from_hints(e, s); /* nothing waits on it: its answer is only compared */
            trace_maybe_done(e, s);
        }
    }
}

/* ---- CNAME traces ---- */

void follow_cname(engine *e, gt_query_id qid)
{
    const gt_query *q = query_at(e, qid);
    gt_trace_id t = q->trace;
    gt_name target = q->cls.final_name;
    gt_name zone = q->zone;
    uint16_t qtype = q->qtype;
    char nbuf[GT_NAME_STRLEN];
    gt_name_to_str(&target, nbuf, sizeof(nbuf));
    gt_trace_id s = find_trace(e, &target, qtype);
    if (s != NO_ID && trace_is_ancestor(e, s, t)) {
        engine_finding(e, GT_F_LIMIT_REACHED, &zone, qid,
                       "CNAME loop: %s leads back to a name already being traced", nbuf);
        return;
    }
    bool fresh = s == NO_ID;
    if (fresh) {
        if (e->ts[t].chain + 1 > GT_MAX_CNAME_CHAIN) {
            engine_finding(e, GT_F_LIMIT_REACHED, &zone, qid, "CNAME chain limit %d reached at %s",
                           GT_MAX_CNAME_CHAIN, nbuf);
            return;
        }
        s = trace_new(e, GT_TRACE_CNAME, &target, qtype, t, qid);
        if (s == NO_ID) {
            engine_finding(e, GT_F_LIMIT_REACHED, NULL, qid,
                           "trace limit %d reached: CNAME target %s not traced", GT_MAX_TRACES,
                           nbuf);
            return;
        }
        e->ts[s].chain = e->ts[t].chain + 1;
    }
    if (trace_at(e, t)->cname_child == 0) {
        trace_at(e, t)->cname_child = s;
    }
    add_waiter(e, s, true, t, NULL);
    if (fresh) {
        start_from_hints(e, s);
        trace_maybe_done(e, s);
    }
}

/* ---- the end of a trace ---- */

static bool seen(const tstate *ts, gt_outcome o)
{
    return (ts->seen & (1u << o)) != 0;
}

/* How trace @p t ended, from the outcomes of its own queries (and its CNAME child's). */
static gt_trace_status own_status(const engine *e, gt_trace_id t)
{
    const tstate *ts = &e->ts[t];
    if (seen(ts, GT_OUT_ANSWER)) {
        return GT_TS_ANSWER;
    }
    if (seen(ts, GT_OUT_CNAME)) {
        gt_trace_id c = trace_at(e, t)->cname_child;
        if (c != 0 && c != t) {
            gt_trace_status cs = trace_at(e, c)->status;
            if (cs == GT_TS_ANSWER || cs == GT_TS_NXDOMAIN || cs == GT_TS_NODATA) {
                return cs;
            }
        }
        return GT_TS_FAILED;
    }
    if (seen(ts, GT_OUT_NODATA)) {
        return GT_TS_NODATA;
    }
    if (seen(ts, GT_OUT_NXDOMAIN)) {
        return GT_TS_NXDOMAIN;
    }
    return GT_TS_FAILED;
}

/* Trace @p t ended: close the waiters on it and let what waited go on. */
static void release_waiters(engine *e, gt_trace_id t)
{
    for (size_t w = 0; w < e->nwaiters; w++) {
        waiter *wt = &e->waiters[w];
        if (wt->target != t || !wt->open) {
            continue;
        }
        wt->open = false;
        gt_trace_id waiting = wt->for_trace ? wt->who : zcut_at(e, wt->who)->trace;
        e->ts[waiting].waits--;
        if (!wt->for_trace) {
            zcut_id d = wt->who;
            zcut_at(e, d)->awaited--;
            e->strategy->subtrace_done(e, d);
        }
        trace_maybe_done(e, waiting);
    }
}

/*
 * Whether sub-trace @p t failed only because every sub-trace it waited on ended in a glueless
 * cycle: then it is part of that cycle too, whichever trace happened to close it first.
 */
static bool stuck_on_cycles(const engine *e, gt_trace_id t)
{
    bool any = false;
    for (size_t w = 0; w < e->nwaiters; w++) {
        const waiter *wt = &e->waiters[w];
        gt_trace_id waiting = wt->for_trace ? wt->who : zcut_at(e, wt->who)->trace;
        if (waiting != t) {
            continue;
        }
        if (trace_at(e, wt->target)->status != GT_TS_CYCLE) {
            return false;
        }
        any = true;
    }
    return any;
}

void finish_trace(engine *e, gt_trace_id t, gt_trace_status forced)
{
    tstate *ts = &e->ts[t];
    trace_set_state(e, t, TRACE_DONE);
    gt_tracerec *tr = trace_at(e, t);
    tr->status = own_status(e, t);
    if (ts->cyclic && tr->naddrs == 0 && tr->status != GT_TS_NXDOMAIN &&
        tr->status != GT_TS_NODATA) {
        tr->status = GT_TS_CYCLE;
        if (ts->cycle_msg != NULL) {
            engine_finding(e, GT_F_GLUELESS_CYCLE, &ts->cycle_zone, ts->cycle_query, "%s",
                           ts->cycle_msg);
        }
    } else if (tr->status == GT_TS_FAILED && forced != GT_TS_RUNNING) {
        tr->status = forced;
    } else if (tr->status == GT_TS_FAILED && tr->kind == GT_TRACE_SUBTRACE && tr->naddrs == 0 &&
               stuck_on_cycles(e, t)) {
        tr->status = GT_TS_CYCLE;
    }
    release_waiters(e, t);
}

void trace_maybe_done(engine *e, gt_trace_id t)
{
    tstate *ts = &e->ts[t];
    if (ts->state == TRACE_DONE || e->state == ENGINE_CANCELLED) {
        return; /* a cancelled run ends its open traces in engine_finish() */
    }
    if (ts->inflight > 0) {
        trace_set_state(e, t, TRACE_RUNNING);
    } else if (ts->waits > 0) {
        trace_set_state(e, t, TRACE_WAITING);
    } else {
        finish_trace(e, t, GT_TS_RUNNING);
    }
}

/*
 * Nothing is in flight but some traces still wait: they wait on each other (glueless names
 * that can only be found through one another). Stop the deepest one as a cycle, which lets
 * the others go on with what they have.
 */
bool break_deadlock(engine *e)
{
    for (gt_trace_id i = e->res->ntraces; i-- > 0;) {
        if (e->ts[i].state == TRACE_DONE) {
            continue;
        }
        const gt_tracerec *tr = trace_at(e, i);
        if (tr->kind == GT_TRACE_SUBTRACE) {
            char nbuf[GT_NAME_STRLEN];
            gt_name_to_str(&tr->name, nbuf, sizeof(nbuf));
            engine_finding(e, GT_F_GLUELESS_CYCLE, NULL, tr->requested_by,
                           "glueless cycle: %s can only be resolved through servers whose own "
                           "addresses need %s",
                           nbuf, nbuf);
        }
        finish_trace(e, i, GT_TS_CYCLE);
        return true;
    }
    return false;
}
