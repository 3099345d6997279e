/*
 * The referral engine: a glue-faithful, all-paths iterative trace (RFC 1034 4.3.2) driven by
 * transport callbacks. It never asks a recursive resolver: next-hop addresses come only from
 * root hints, -s, in-bailiwick glue (RFC 9471) or fresh sub-traces from the root.
 *
 * This file holds a run's lifecycle (start, idle steps, finish), its named states with the
 * one function per state kind that changes (and, with GLUETRACE_DEBUG=1, logs) them, the one
 * error path and cancellation. The work itself is in zcut.c, query.c, traces.c, checks.c,
 * resolver.c and session.c (see engine_int.h).
 */
#include "engine_int.h"

#include "gluetrace/base/log.h"
#include "gluetrace/dnssec/dnssec.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- states ---- */

const char *engine_state_str(engine_state s)
{
    switch (s) {
    case ENGINE_TRACING:
        return "TRACING";
    case ENGINE_COMPARING:
        return "COMPARING";
    case ENGINE_CANCELLED:
        return "CANCELLED";
    case ENGINE_FAILED:
        return "FAILED";
    case ENGINE_DONE:
        return "DONE";
    }
    return "?";
}

const char *trace_state_str(trace_state s)
{
    switch (s) {
    case TRACE_RUNNING:
        return "RUNNING";
    case TRACE_WAITING:
        return "WAITING";
    case TRACE_DONE:
        return "DONE";
    }
    return "?";
}

const char *zcut_state_str(zcut_state s)
{
    switch (s) {
    case ZCUT_COLLECTING:
        return "COLLECTING";
    case ZCUT_ASKING:
        return "ASKING";
    case ZCUT_WAITING_SUBTRACE:
        return "WAITING_SUBTRACE";
    case ZCUT_DONE:
        return "DONE";
    }
    return "?";
}

/* "name TYPE" of trace @p t, for the debug log. */
static const char *trace_label(const engine *e, gt_trace_id t, char *buf, size_t size)
{
    char n[GT_NAME_STRLEN], type[16];
    const gt_tracerec *tr = trace_at(e, t);
    gt_name_to_str(&tr->name, n, sizeof(n));
    gt_type_to_str(tr->qtype, type, sizeof(type));
    snprintf(buf, size, "%s %s", n, type);
    return buf;
}

void engine_set_state(engine *e, engine_state st)
{
    if (e->state == st) {
        return;
    }
    if (e->debug) {
        char q[GT_NAME_STRLEN];
        gt_name_to_str(&e->res->qname, q, sizeof(q));
        gt_note("debug: engine %s: %s -> %s", q, engine_state_str(e->state), engine_state_str(st));
    }
    e->state = st;
}

void trace_set_state(engine *e, gt_trace_id t, trace_state st)
{
    tstate *ts = &e->ts[t];
    if (ts->state == st) {
        return;
    }
    if (e->debug) {
        char l[GT_NAME_STRLEN + 24];
        gt_note("debug: trace %zu (%s, %s): %s -> %s", t, trace_label(e, t, l, sizeof(l)),
                gt_trace_kind_str(trace_at(e, t)->kind), trace_state_str(ts->state),
                trace_state_str(st));
    }
    ts->state = st;
}

void zcut_set_state(engine *e, zcut_id d, zcut_state st)
{
    zcut *z = zcut_at(e, d);
    if (z->state == st) {
        return;
    }
    if (e->debug) {
        char zn[GT_NAME_STRLEN];
        gt_name_to_str(&z->zone, zn, sizeof(zn));
        gt_note("debug: zone cut %zu (%s of trace %zu): %s -> %s", d, zn, z->trace,
                zcut_state_str(z->state), zcut_state_str(st));
    }
    z->state = st;
}

/* ---- errors, findings, cancel ---- */

void engine_fail(engine *e, gt_status st)
{
    if (st == GT_OK || e->fatal != GT_OK) {
        return; /* the first error is the one reported */
    }
    e->fatal = st;
    if (e->res != NULL) {
        engine_set_state(e, ENGINE_FAILED);
    } else {
        e->state = ENGINE_FAILED;
    }
}

bool engine_reserve(engine *e, void **arr, size_t *cap, size_t n, size_t elem)
{
    if (gt_array_reserve(arr, cap, n, elem)) {
        return true;
    }
    engine_fail(e, GT_ENOMEM);
    return false;
}

void engine_finding(engine *e, gt_code code, const gt_name *zone, gt_query_id query,
                    const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (len < 0) {
        buf[0] = '\0';
    }
    if (gt_result_add_finding(e->res, code, zone, query, NULL, "%s", buf) != GT_OK) {
        engine_fail(e, GT_ENOMEM);
    }
}

void gt_trace_cancel(volatile sig_atomic_t *flag)
{
    if (flag != NULL) {
        *flag = 1;
    }
}

bool engine_stopped(engine *e)
{
    if (e->state == ENGINE_CANCELLED) {
        return true;
    }
    if (e->hooks == NULL || e->hooks->cancel == NULL || *e->hooks->cancel == 0 ||
        e->state == ENGINE_DONE || e->state == ENGINE_FAILED) {
        return false;
    }
    engine_set_state(e, ENGINE_CANCELLED);
    e->res->interrupted = true;
    gt_transport_stop(e->tp);
    return true;
}

/* ---- lifecycle ---- */

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
    for (size_t i = 0; i < e->nzcuts; i++) {
        free(e->zcuts[i].cands);
        free(e->zcuts[i].glueless);
    }
    /* Callbacks of queries a stopped transport dropped never came: free their contexts. */
    for (size_t i = 0; e->qi != NULL && e->res != NULL && i < e->res->nqueries; i++) {
        free(e->qi[i].ctx);
    }
    free(e->zcuts);
    free(e->sent_ids);
    free(e->shares);
    free(e->waiters);
    free(e->cache);
    free(e->qi);
    free(e->ts);
    free(e->keysets);
    e->keysets = NULL;
    e->zcuts = NULL;
    e->sent_ids = NULL;
    e->shares = NULL;
    e->waiters = NULL;
    e->cache = NULL;
    e->qi = NULL;
    e->ts = NULL;
}

gt_status engine_start(engine *e, const gt_config *cfg, const gt_hints *hints, gt_transport *tp,
                       const gt_trace_hooks *hooks, gt_session *session, const gt_name *qname,
                       uint16_t qtype)
{
    memset(e, 0, sizeof(*e));
    const char *dbg = getenv("GLUETRACE_DEBUG");
    e->debug = dbg != NULL && strcmp(dbg, "1") == 0;
    e->t0 = gt_clock_ms();
    e->cfg = cfg;
    e->hooks = hooks;
    e->hints = hints;
    e->tp = tp;
    e->session = session;
    e->strategy = path_strategy_for(cfg);
    e->state = ENGINE_TRACING;
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
    e->res->dnssec_ctx = hooks != NULL ? hooks->dnssec : NULL;
    gt_dnssec_budget_init(&e->dnssec, e->res->dnssec_ctx, 0);
    struct timespec wall;
    clock_gettime(CLOCK_REALTIME, &wall);
    e->res->start_unix = (double)wall.tv_sec + (double)wall.tv_nsec / 1e9;
    e->res->nhints = cfg->have_server ? 0 : hints->nservers;
    e->public_start = !(cfg->have_server && gt_addr_is_special(&cfg->server));
    for (size_t i = 0; i < hints->nservers && e->public_start; i++) {
        for (size_t k = 0; k < hints->servers[i].naddrs; k++) {
            e->public_start &= !gt_addr_is_special(&hints->servers[i].addrs[k]);
        }
    }
    if (trace_new(e, GT_TRACE_MAIN, qname, qtype, 0, 0) != 0) {
        return GT_ENOMEM;
    }
    start_from_hints(e, 0);
    trace_maybe_done(e, 0);
    return e->fatal;
}

bool engine_step(engine *e)
{
    if (e->state == ENGINE_FAILED || engine_stopped(e)) {
        return false;
    }
    if (break_deadlock(e)) {
        return true;
    }
    if (e->cfg->compare_resolver && e->state == ENGINE_TRACING) {
        engine_set_state(e, ENGINE_COMPARING);
        resolver_phase(e);
        return true;
    }
    if (e->state == ENGINE_COMPARING && resolver_next_round(e)) {
        return true;
    }
    return false;
}

/* The budget finding, once the run is over: how many server queries it held back. */
static void budget_summary(engine *e)
{
    if (e->budget_skipped == 0) {
        return;
    }
    for (size_t i = 0; i < e->res->nfindings; i++) {
        gt_finding *f = &e->res->findings[i];
        if (f->code == GT_F_LIMIT_REACHED && f->query == 0 && !f->zone.len) {
            char buf[256];
            snprintf(buf, sizeof(buf),
                     "query budget of %u reached (--max-queries); %zu server queries not sent",
                     e->cfg->max_queries, e->budget_skipped);
            char *m = strdup(buf);
            if (m != NULL) {
                free(f->message);
                f->message = m;
            }
            return;
        }
    }
}

/* End every trace still open: interrupted when cancelled, else failed. */
static void finish_open_traces(engine *e)
{
    bool cancelled = e->state == ENGINE_CANCELLED;
    for (gt_trace_id t = 0; t < e->res->ntraces; t++) {
        if (e->ts[t].state == TRACE_DONE) {
            continue;
        }
        if (cancelled) {
            trace_set_state(e, t, TRACE_DONE);
            trace_at(e, t)->status = GT_TS_INTERRUPTED;
        } else {
            finish_trace(e, t, GT_TS_FAILED);
        }
    }
}

gt_status engine_finish(engine *e, gt_result **out)
{
    gt_status st = e->fatal;
    *out = NULL;
    if (st == GT_OK && e->res != NULL && e->ts != NULL) {
        finish_open_traces(e);
        budget_summary(e);
        session_export(e);
        st = e->fatal;
    }
    if (e->res != NULL) {
        /* this name's own time: up to its last reply, not to the end of a bulk batch */
        e->res->elapsed_ms = (e->t_last > 0 ? e->t_last : gt_clock_ms()) - e->t0;
        e->res->dnssec_checks = e->dnssec.done; /* diagnose goes on from there */
        if (st == GT_OK) {
            engine_set_state(e, ENGINE_DONE);
        }
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
    if (st == GT_OK && cfg->dnssec && cfg->edns && cfg->nanchors > 0) {
        /* The first queries are on the wire: set libcrypto up while they are in flight, not
         * after the last reply, when diagnose validates (docs/performance.md). */
        gt_dnssec_warm_up();
    }
    while (st == GT_OK) {
        st = gt_transport_run(tp);
        if (st != GT_OK || !engine_step(&e)) {
            break;
        }
    }
    engine_fail(&e, st);
    gt_status fst = engine_finish(&e, out);
    return st != GT_OK ? st : fst;
}
