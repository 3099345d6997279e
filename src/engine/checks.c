/*
 * Delegation checks (all-paths mode, every zone cut whose servers are used: the main path's,
 * CNAME targets' and sub-traces'): every server of a child zone is also asked for the zone's
 * apex NS set and for the addresses of its in-domain NS names, and the NS names with sibling
 * glue are traced from the root, so diagnosis can compare parent and child data
 * (NS_SET_MISMATCH, GLUE_MISMATCH).
 * Each question is one GT_TRACE_CHECK trace with one zone cut whose servers are given.
 */
#include "engine_int.h"

#include <string.h>
#include <sys/socket.h>

/* The check trace asking the servers of @p zone for (@p name, @p qtype), or NO_ID. */
static gt_trace_id find_check(const engine *e, const gt_name *zone, const gt_name *name,
                              uint16_t qtype)
{
    for (gt_trace_id i = 0; i < e->res->ntraces; i++) {
        const gt_tracerec *t = trace_at(e, i);
        if (t->kind == GT_TRACE_CHECK && t->qtype == qtype && gt_name_eq(&t->name, name) &&
            gt_name_eq(&t->zone, zone)) {
            return i;
        }
    }
    return NO_ID;
}

void check_ask(engine *e, const gt_name *zone, gt_query_id from, const gt_name *name,
               uint16_t qtype, const cand *c)
{
    gt_trace_id t = find_check(e, zone, name, qtype);
    if (t == NO_ID) {
        t = trace_new(e, GT_TRACE_CHECK, name, qtype, 0, from);
        if (t == NO_ID) {
            return; /* out of traces: the checks are the first thing to give up */
        }
        trace_at(e, t)->zone = *zone;
        zcut_id d = zcut_new(e, t, zone, from);
        if (d == NO_ID) {
            return;
        }
        e->ts[t].zcut = d;
    }
    /* The NS set, the SOA (its serial) and the DNSKEY set are asked of every server (a stale
     * server shows); the addresses of the NS names of a few only, or big NS sets would cost NS
     * names x servers queries. */
    if (qtype != GT_TYPE_NS && qtype != GT_TYPE_SOA && qtype != GT_TYPE_DNSKEY &&
        e->ts[t].checked >= GT_MAX_CHECK_SERVERS) {
        return;
    }
    if (launch(e, e->ts[t].zcut, c, e->cfg->tcp) != LAUNCH_SKIPPED) {
        zcut_set_state(e, e->ts[t].zcut, ZCUT_ASKING);
        e->ts[t].checked++;
    }
    trace_maybe_done(e, t);
}

/* Whether an outcome is an authoritative reply a check can use. */
static bool authoritative(gt_outcome o)
{
    return o == GT_OUT_ANSWER || o == GT_OUT_CNAME || o == GT_OUT_NXDOMAIN || o == GT_OUT_NODATA;
}

/* Whether check trace @p t already asked @p a. */
static bool check_asked(const engine *e, gt_trace_id t, const gt_addr *a)
{
    for (gt_query_id i = 1; i <= e->res->nqueries; i++) {
        const gt_query *q = query_at(e, i);
        if (q->trace == t && gt_addr_eq(&q->addr, a)) {
            return true;
        }
    }
    return false;
}

/*
 * How good a replacement the server of query @p q (a server of the checked zone asked the
 * trace's own question) is: 0 it answered authoritatively, 1 its reply is still out, 2 it
 * failed (not a replacement).
 */
static int replacement_rank(const gt_query *q)
{
    if (authoritative(q->outcome) || q->outcome == GT_OUT_REFERRAL) {
        return 0;
    }
    return q->outcome == GT_OUT_PENDING ? 1 : 2;
}

void check_replace(engine *e, gt_query_id qid)
{
    const gt_query *q = query_at(e, qid);
    gt_trace_id t = q->trace;
    const gt_tracerec *tr = trace_at(e, t);
    if (tr->kind != GT_TRACE_CHECK || (tr->qtype != GT_TYPE_A && tr->qtype != GT_TYPE_AAAA) ||
        authoritative(q->outcome) || q->outcome == GT_OUT_TRUNCATED || engine_stopped(e)) {
        return; /* NS and SOA are asked of every server already */
    }
    gt_query_id from = tr->requested_by, best = 0;
    int best_rank = 2;
    for (gt_query_id i = 1; i <= e->res->nqueries && best_rank > 0; i++) {
        const gt_query *o = query_at(e, i);
        if (o->parent != from || !trace_follows(trace_at(e, o->trace)->kind) ||
            !gt_name_eq(&o->zone, &tr->zone) || o->cached_from ||
            replacement_rank(o) >= best_rank || check_asked(e, t, &o->addr)) {
            continue;
        }
        best = i;
        best_rank = replacement_rank(o);
    }
    if (best == 0) {
        return;
    }
    cand c;
    cand_of_query(query_at(e, best), &c);
    c.from = from;
    if (launch(e, e->ts[t].zcut, &c, e->cfg->tcp) != LAUNCH_SKIPPED) {
        zcut_set_state(e, e->ts[t].zcut, ZCUT_ASKING);
        e->ts[t].checked++;
    }
}

/* Whether the referral @p ref carries @p a as glue for @p ns. */
static bool in_glue(const gt_referral *ref, const gt_name *ns, const gt_addr *a)
{
    for (size_t g = 0; g < ref->nglue; g++) {
        if (gt_name_eq(&ref->glue[g].name, ns) && gt_addr_eq(&ref->glue[g].addr, a)) {
            return true;
        }
    }
    return false;
}

/* Whether @p ref carries glue for @p ns: a sub-trace of that name verifies the glue (sibling
 * glue is checked against the zone that owns the name, traced from the root). */
static bool glue_names(const gt_referral *ref, const gt_name *ns)
{
    for (size_t g = 0; g < ref->nglue; g++) {
        if (gt_name_eq(&ref->glue[g].name, ns)) {
            return true;
        }
    }
    return false;
}

void offer_child_addrs(engine *e, gt_query_id qid)
{
    const gt_query *q = query_at(e, qid);
    const gt_tracerec *tr = trace_at(e, q->trace);
    const gt_msg *m = gt_query_reply(e->res, q);
    if ((tr->kind != GT_TRACE_CHECK && tr->kind != GT_TRACE_SUBTRACE) || m == NULL ||
        (tr->qtype != GT_TYPE_A && tr->qtype != GT_TYPE_AAAA) || tr->requested_by == 0) {
        return;
    }
    gt_query_id from = tr->requested_by;
    gt_name ns = tr->name;
    if (tr->kind == GT_TRACE_SUBTRACE && !glue_names(&query_at(e, from)->referral, &ns)) {
        return; /* a glueless NS name's sub-trace: its addresses are the ones used already */
    }
    /* The cut that followed the referral whose NS name this is (not the check's own). */
    zcut_id cut = NO_ID;
    for (zcut_id d = 0; d < e->nzcuts && cut == NO_ID; d++) {
        const zcut *z = zcut_at(e, d);
        if (z->from == from && trace_follows(trace_at(e, z->trace)->kind)) {
            cut = d;
        }
    }
    if (cut == NO_ID) {
        return;
    }
    for (size_t i = 0; i < m->count[GT_SEC_ANSWER]; i++) {
        const gt_rr *rr = &m->rrs[GT_SEC_ANSWER][i];
        bool ok = (rr->type == GT_TYPE_A && rr->rdlen == 4) ||
                  (rr->type == GT_TYPE_AAAA && rr->rdlen == 16);
        if (!ok || rr->type != tr->qtype || !gt_name_eq(&rr->owner, &ns)) {
            continue;
        }
        cand c;
        memset(&c, 0, sizeof(c));
        gt_addr_from_bytes(&c.addr, rr->rdata, rr->rdlen);
        if (in_glue(&query_at(e, from)->referral, &ns, &c.addr)) {
            continue; /* the glue's own address: asked already */
        }
        c.ns = ns;
        c.src = GT_SRC_CHILD;
        c.glue_from = qid;
        e->strategy->offer(e, cut, &c);
        m = gt_query_reply(e->res, query_at(e, qid)); /* offering may have added queries */
    }
}

void schedule_checks(engine *e, zcut_id d, const cand *c)
{
    const zcut *z = zcut_at(e, d);
    gt_trace_kind kind = trace_at(e, z->trace)->kind;
    if (!e->strategy->delegation_checks || e->cfg->no_checks || z->from == 0 ||
        (kind != GT_TRACE_MAIN && kind != GT_TRACE_CNAME && kind != GT_TRACE_SUBTRACE)) {
        return; /* every cut whose servers are used is checked, sub-traces' too */
    }
    gt_name zone = z->zone;
    gt_query_id from = z->from;
    if (session_checked(e, &zone)) {
        return; /* checked for an earlier name of this bulk run (findings reported there) */
    }
    const gt_referral *ref = &query_at(e, from)->referral; /* stable: never reallocated */
    cand cc = *c;
    cc.from = from;
    check_ask(e, &zone, from, &zone, GT_TYPE_NS, &cc);
    check_ask(e, &zone, from, &zone, GT_TYPE_SOA, &cc);
    for (size_t i = 0; i < ref->nns; i++) {
        gt_name ns = ref->ns[i];
        if (!gt_name_is_under(&ns, &zone)) {
            /* The child is authoritative only for in-domain names; sibling glue is checked
             * against the zone that owns the name, found from the root. */
            for (size_t g = 0; g < ref->nglue; g++) {
                if (gt_name_eq(&ref->glue[g].name, &ns)) {
                    verify_ns(e, d, &ns);
                    break;
                }
            }
            continue;
        }
        if (e->cfg->family != AF_INET6) {
            check_ask(e, &zone, from, &ns, GT_TYPE_A, &cc);
        }
        if (e->cfg->family != AF_INET) {
            check_ask(e, &zone, from, &ns, GT_TYPE_AAAA, &cc);
        }
    }
}
