/*
 * Findings of --compare-resolver: the local resolver's answer and NS-name addresses against
 * the glue-faithful trace (STALE_RESOLVER_ADDRESS only when the resolver matches neither the
 * parent's glue nor the child's own data).
 */
#include "findings_priv.h"

#include "gluetrace/diagnose/answers.h"
#include "gluetrace/wire/rdata.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/*
 * RESOLVER_ANSWER_DIFFERS: the resolver's reply @p q to the user's question, against the end
 * of the authoritative answer chain (its last link): a recursive reply carries the whole
 * chain, each authoritative reply only its own zone's link.
 */
static gt_status resolver_answer(gt_result *r, const gt_query *q)
{
    char b1[GT_NAME_STRLEN], s2[1024], a[GT_ADDR_STRLEN], x1[1024], x2[1024];
    bool matched = r->nanswers == 0;
    size_t last = r->nlinks ? r->nlinks - 1 : 0;
    fd_final_str(q, x1, sizeof(x1));
    for (size_t k = 0; k < r->nanswers && !matched; k++) {
        const gt_query *auth = r->queries[r->answers[k].first_query - 1];
        matched = r->answers[k].link == last && strcmp(fd_final_str(auth, x2, sizeof(x2)), x1) == 0;
    }
    if (matched) {
        return GT_OK;
    }
    size_t l2 = 0, shown = 0;
    s2[0] = '\0';
    for (size_t k = 0; k < r->nanswers; k++) {
        if (r->answers[k].link != last) {
            continue;
        }
        const gt_query *auth = r->queries[r->answers[k].first_query - 1];
        fd_cat(s2, sizeof(s2), &l2, "%s{%s}", shown++ ? " or " : "",
               fd_final_str(auth, x2, sizeof(x2)));
    }
    ADD(r, GT_F_RESOLVER_ANSWER_DIFFERS, NULL, q->id, NULL,
        "the resolver %s answers {%s} for %s; the authoritative servers answer %s",
        gt_addr_to_str(&q->addr, a, sizeof(a)), x1, fd_nm(&q->qname, b1, sizeof(b1)), s2);
    return GT_OK;
}

/*
 * What the trace itself found for the name and type of resolver query @p q: glue anywhere on
 * the followed traces, and its sub-traces' addresses. @p is_ns says whether the name is an NS
 * name of a followed referral at all.
 * @return where the addresses came from, in words
 */
static const char *trace_addrs(const gt_result *r, const gt_query *q, addrset *mine, bool *is_ns)
{
    *is_ns = false;
    for (size_t j = 0; j < r->nqueries; j++) {
        const gt_query *o = r->queries[j];
        if (!o->has_referral || !fd_follows(fd_kind_of(r, o))) {
            continue;
        }
        for (size_t n = 0; n < o->referral.nns; n++) {
            *is_ns |= gt_name_eq(&o->referral.ns[n], &q->qname);
        }
        fd_glue_of(&o->referral, &q->qname, q->qtype, mine);
    }
    const char *source = "the parent's glue";
    for (size_t t = 0; t < r->ntraces; t++) {
        const gt_tracerec *tr = r->traces[t];
        if (tr->kind == GT_TRACE_SUBTRACE && tr->qtype == q->qtype &&
            gt_name_eq(&tr->name, &q->qname)) {
            for (size_t k = 0; k < tr->naddrs; k++) {
                fd_set_add(mine, &tr->addrs[k]);
            }
            source = mine->n > 0 ? "the glue and sub-trace" : "the sub-trace";
        }
    }
    return source;
}

/*
 * The addresses the zone owning @p name serves for it (authoritative answers of the checks
 * and sub-traces that asked for it). @return whether any such answer was seen
 */
static bool child_data(const gt_result *r, const gt_name *name, uint16_t qtype, addrset *out)
{
    bool seen = false;
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        gt_trace_kind k = fd_kind_of(r, q);
        if ((k == GT_TRACE_CHECK || k == GT_TRACE_SUBTRACE) && q->qtype == qtype &&
            gt_name_eq(&q->qname, name) && fd_is_final(q->outcome)) {
            seen = true;
            fd_answer_addrs(r, q, &q->cls.final_name, qtype, out);
        }
    }
    return seen;
}

/* STALE_RESOLVER_ADDRESS: the resolver's address reply @p q for an NS name of the trace. */
static gt_status resolver_address(gt_result *r, const gt_query *q)
{
    char b1[GT_NAME_STRLEN], s1[1024], s2[1024], a[GT_ADDR_STRLEN], type[16];
    addrset mine, theirs;
    memset(&mine, 0, sizeof(mine));
    memset(&theirs, 0, sizeof(theirs));
    bool is_ns;
    const char *source = trace_addrs(r, q, &mine, &is_ns);
    if (!is_ns || mine.n == 0) {
        return GT_OK;
    }
    fd_answer_addrs(r, q, &q->cls.final_name, q->qtype, &theirs);
    if (fd_set_eq(&mine, &theirs)) {
        return GT_OK;
    }
    addrset child;
    memset(&child, 0, sizeof(child));
    if (child_data(r, &q->qname, q->qtype, &child) && fd_set_eq(&child, &theirs)) {
        ADD(r, GT_F_RESOLVER_FOLLOWS_CHILD, NULL, q->id, NULL,
            "the resolver %s says %s %s is {%s}: that is the zone's own data, not the "
            "parent's glue {%s}; the resolver follows the child zone, the fix is the glue at "
            "the parent (see GLUE_MISMATCH), not a cache flush",
            gt_addr_to_str(&q->addr, a, sizeof(a)), fd_nm(&q->qname, b1, sizeof(b1)),
            gt_type_to_str(q->qtype, type, sizeof(type)), fd_set_str(&theirs, s1, sizeof(s1)),
            fd_set_str(&mine, s2, sizeof(s2)));
        return GT_OK;
    }
    ADD(r, GT_F_STALE_RESOLVER_ADDRESS, NULL, q->id, NULL,
        "the resolver %s says %s %s is {%s}; %s says {%s}: a trace that asks the resolver "
        "for server addresses (dig +trace) goes to the wrong server",
        gt_addr_to_str(&q->addr, a, sizeof(a)), fd_nm(&q->qname, b1, sizeof(b1)),
        gt_type_to_str(q->qtype, type, sizeof(type)), fd_set_str(&theirs, s1, sizeof(s1)), source,
        fd_set_str(&mine, s2, sizeof(s2)));
    return GT_OK;
}

/* STALE_RESOLVER_ADDRESS and RESOLVER_ANSWER_DIFFERS (--compare-resolver), on each
 * resolver's first reply with data. */
gt_status fd_resolver(gt_result *r)
{
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (fd_kind_of(r, q) != GT_TRACE_RESOLVER || q->reply == NULL || q->cd || q->sample > 1 ||
            (q->reply->rcode != GT_RCODE_NOERROR && q->reply->rcode != GT_RCODE_NXDOMAIN)) {
            continue; /* no data (SERVFAIL, REFUSED, ...): the census says RESOLVER_FAILED */
        }
        bool served_stale = false;
        for (size_t k = 0; k < q->reply->nede; k++) {
            served_stale |= q->reply->ede[k] == 3 || q->reply->ede[k] == 19;
        }
        if (served_stale) {
            continue; /* served past its TTL: the census says RESOLVER_SERVED_STALE */
        }
        gt_status st = GT_OK;
        if (q->qtype == r->qtype && gt_name_eq(&q->qname, &r->qname)) {
            st = resolver_answer(r, q);
        }
        if (st == GT_OK && fd_is_addr_type(q->qtype)) {
            st = resolver_address(r, q);
        }
        if (st != GT_OK) {
            return st;
        }
    }
    return GT_OK;
}
