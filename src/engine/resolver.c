/*
 * --compare-resolver, after the trace: the local resolver is asked (RD=1) for the question
 * and for the addresses of every NS name the trace met, so diagnosis can show where it
 * differs. These queries are marked source "resolver" and never feed the trace.
 */
#include "engine_int.h"

#include <string.h>
#include <sys/socket.h>

/* Ask the local resolver (RD=1) for (@p name, @p qtype), once per run. */
static void ask_resolver(engine *e, const gt_name *name, uint16_t qtype)
{
    for (gt_trace_id i = 0; i < e->res->ntraces; i++) {
        const gt_tracerec *t = trace_at(e, i);
        if (t->kind == GT_TRACE_RESOLVER && t->qtype == qtype && gt_name_eq(&t->name, name)) {
            return;
        }
    }
    gt_trace_id t = trace_new(e, GT_TRACE_RESOLVER, name, qtype, 0, 0);
    if (t == NO_ID) {
        return;
    }
    gt_name root;
    gt_name_root(&root);
    zcut_id d = zcut_new(e, t, &root, 0);
    if (d == NO_ID) {
        return;
    }
    e->ts[t].zcut = d;
    cand c;
    memset(&c, 0, sizeof(c));
    c.addr = e->cfg->resolver;
    c.src = GT_SRC_RESOLVER;
    if (launch(e, d, &c, false) != LAUNCH_SKIPPED) {
        zcut_set_state(e, d, ZCUT_ASKING);
    }
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

void resolver_phase(engine *e)
{
    size_t nq = e->res->nqueries;
    ask_resolver(e, &e->res->qname, e->res->qtype);
    for (gt_query_id id = 1; id <= nq; id++) {
        const gt_query *q = query_at(e, id);
        if (!q->has_referral || q->cached_from || !trace_follows(trace_at(e, q->trace)->kind)) {
            continue;
        }
        for (size_t n = 0; n < q->referral.nns; n++) {
            gt_name ns = q->referral.ns[n];
            ask_resolver_addrs(e, &ns);
        }
    }
}
