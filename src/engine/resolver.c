/*
 * --compare-resolver, after the trace: the resolver census. Every resolver is asked (RD=1)
 * the question, the NS set of each zone cut of the path (and of the names below the deepest
 * cut, where a zone the parent no longer delegates would be), and the addresses of every NS
 * name: the trace's, the child zones' own, and those the resolver itself returns in its NS
 * sets (the old provider's). A SERVFAIL is asked again with CD=1 (is it DNSSEC?); --samples K
 * asks every question K times, one round after the other. These queries are marked source
 * "resolver" and never feed the trace.
 */
#include "engine_int.h"

#include <string.h>
#include <sys/socket.h>

/* The resolver trace of (@p name, @p qtype), made on first use. @return its cut or NO_ID */
static zcut_id question(engine *e, const gt_name *name, uint16_t qtype)
{
    for (gt_trace_id i = 0; i < e->res->ntraces; i++) {
        const gt_tracerec *t = trace_at(e, i);
        if (t->kind == GT_TRACE_RESOLVER && t->qtype == qtype && gt_name_eq(&t->name, name)) {
            return e->ts[i].zcut;
        }
    }
    gt_trace_id t = trace_new(e, GT_TRACE_RESOLVER, name, qtype, 0, 0);
    if (t == NO_ID) {
        return NO_ID;
    }
    gt_name root;
    gt_name_root(&root);
    zcut_id d = zcut_new(e, t, &root, 0);
    if (d == NO_ID) {
        return NO_ID;
    }
    e->ts[t].zcut = d;
    zcut_set_state(e, d, ZCUT_ASKING);
    return d;
}

/* Whether resolver @p a was already asked (@p name, @p qtype) with this CD bit and sample. */
static bool asked(const engine *e, const gt_name *name, uint16_t qtype, const gt_addr *a, bool cd,
                  unsigned sample)
{
    for (gt_query_id id = 1; id <= e->res->nqueries; id++) {
        const gt_query *q = query_at(e, id);
        if (q->sample == sample && q->cd == cd && q->qtype == qtype && gt_addr_eq(&q->addr, a) &&
            trace_at(e, q->trace)->kind == GT_TRACE_RESOLVER && gt_name_eq(&q->qname, name)) {
            return true;
        }
    }
    return false;
}

/* Ask resolver @p a (@p name, @p qtype) once more, unless this very query was asked. */
static void ask_one(engine *e, const gt_name *name, uint16_t qtype, const gt_addr *a, bool cd,
                    unsigned sample)
{
    if (asked(e, name, qtype, a, cd, sample)) {
        return;
    }
    zcut_id d = question(e, name, qtype);
    if (d == NO_ID) {
        return;
    }
    gt_trace_id t = zcut_at(e, d)->trace;
    cand c;
    memset(&c, 0, sizeof(c));
    c.addr = *a;
    c.src = GT_SRC_RESOLVER;
    if (e->ts[t].state == TRACE_DONE) {
        trace_set_state(e, t, TRACE_RUNNING); /* a later sample or a re-ask of the question */
    }
    resolver_send(e, d, &c, cd, sample);
    trace_maybe_done(e, t);
}

static void ask_all(engine *e, const gt_name *name, uint16_t qtype)
{
    for (size_t r = 0; r < e->cfg->nresolvers; r++) {
        if (e->cfg->resolvers[r].addr.family != 0) {
            ask_one(e, name, qtype, &e->cfg->resolvers[r].addr, false, 1);
        }
    }
}

static void addrs_of(engine *e, const gt_name *ns, const gt_addr *only)
{
    for (int k = 0; k < 2; k++) {
        uint16_t type = k == 0 ? GT_TYPE_A : GT_TYPE_AAAA;
        if (e->cfg->family == (k == 0 ? AF_INET6 : AF_INET)) {
            continue;
        }
        if (only != NULL) {
            ask_one(e, ns, type, only, false, 1);
        } else {
            ask_all(e, ns, type);
        }
    }
}

/* The census's zone cuts: every referral the main and CNAME traces followed (not upward). */
static bool is_path_cut(const engine *e, const gt_query *q)
{
    gt_trace_kind k = trace_at(e, q->trace)->kind;
    return q->has_referral && q->outcome == GT_OUT_REFERRAL &&
           (k == GT_TRACE_MAIN || k == GT_TRACE_CNAME);
}

void resolver_phase(engine *e)
{
    size_t nq = e->res->nqueries;
    e->resolver_round = 1;
    ask_all(e, &e->res->qname, e->res->qtype);
    unsigned deepest = 0;
    for (gt_query_id id = 1; id <= nq; id++) {
        const gt_query *q = query_at(e, id);
        if (!is_path_cut(e, q)) {
            continue;
        }
        gt_name zone = q->referral.zone;
        ask_all(e, &zone, GT_TYPE_NS);
        if (q->trace == 0 && gt_name_labels(&zone) > deepest) {
            deepest = gt_name_labels(&zone);
        }
    }
    /* Below the deepest cut the parent delegates nothing: a resolver that still holds an NS
     * set there holds a ghost. */
    unsigned labels = gt_name_labels(&e->res->qname);
    for (unsigned l = deepest + 1; l < labels; l++) {
        gt_name anc;
        gt_name_suffix(&e->res->qname, labels - l, &anc);
        ask_all(e, &anc, GT_TYPE_NS);
    }
    for (gt_query_id id = 1; id <= nq; id++) {
        const gt_query *q = query_at(e, id);
        gt_trace_kind k = trace_at(e, q->trace)->kind;
        if (q->has_referral && !q->cached_from && trace_follows(k)) {
            for (size_t n = 0; n < q->referral.nns; n++) {
                gt_name ns = q->referral.ns[n];
                addrs_of(e, &ns, NULL);
            }
        }
        /* The child zones' own NS names (a delegation check's apex NS answer). */
        if (k == GT_TRACE_CHECK && q->qtype == GT_TYPE_NS && q->outcome == GT_OUT_ANSWER &&
            q->reply != NULL) {
            for (size_t j = 0; j < q->reply->count[GT_SEC_ANSWER]; j++) {
                const gt_rr *rr = &q->reply->rrs[GT_SEC_ANSWER][j];
                gt_name ns;
                if (rr->type == GT_TYPE_NS && gt_name_eq(&rr->owner, &q->qname) &&
                    gt_rdata_name(rr->type, rr->rdata, rr->rdlen, &ns) == GT_OK) {
                    addrs_of(e, &ns, NULL);
                }
            }
        }
    }
}

void resolver_reply(engine *e, gt_query_id qid)
{
    const gt_query *q = query_at(e, qid);
    if (q->reply == NULL || q->cd) {
        return;
    }
    gt_addr a = q->addr;
    if (q->reply->rcode == GT_RCODE_SERVFAIL) {
        gt_name name = q->qname;
        ask_one(e, &name, q->qtype, &a, true, q->sample);
        return;
    }
    if (q->qtype != GT_TYPE_NS) {
        return;
    }
    /* The NS names this resolver holds: their addresses, as it holds them. */
    for (size_t j = 0; j < q->reply->count[GT_SEC_ANSWER]; j++) {
        const gt_rr *rr = &query_at(e, qid)->reply->rrs[GT_SEC_ANSWER][j];
        gt_name ns;
        if (rr->type == GT_TYPE_NS && gt_rdata_name(rr->type, rr->rdata, rr->rdlen, &ns) == GT_OK) {
            addrs_of(e, &ns, &a);
            q = query_at(e, qid); /* the result's arrays may have moved */
        }
    }
}

bool resolver_next_round(engine *e)
{
    if (e->resolver_round == 0 || e->resolver_round >= e->cfg->samples) {
        return false;
    }
    unsigned prev = e->resolver_round++;
    size_t nq = e->res->nqueries, before = e->res->sent;
    for (gt_query_id id = 1; id <= nq; id++) {
        const gt_query *q = query_at(e, id);
        if (q->sample != prev || q->cd || trace_at(e, q->trace)->kind != GT_TRACE_RESOLVER) {
            continue;
        }
        gt_name name = q->qname;
        gt_addr a = q->addr;
        ask_one(e, &name, q->qtype, &a, false, prev + 1);
    }
    return e->res->sent > before;
}
