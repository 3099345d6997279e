/*
 * Findings from comparing parent and child: the delegation-check traces (NS set, SOA serials,
 * addresses of in-domain NS names), glue used by sub-traces and sibling glue checked against
 * the zone that owns the NS name, and NS names left without an address.
 */
#include "findings_priv.h"

#include "gluetrace/diagnose/answers.h"
#include "gluetrace/wire/rdata.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* Parent glue for @p ns of type @p type in referrals to @p zone (main path traces). */
static void parent_glue(const gt_result *r, const gt_name *zone, const gt_name *ns, uint16_t type,
                        addrset *out)
{
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (q->has_referral && q->outcome == GT_OUT_REFERRAL &&
            gt_name_eq(&q->referral.zone, zone)) {
            fd_glue_of(&q->referral, ns, type, out);
        }
    }
}

static const char *ns_str(const nsset *s, char *buf, size_t size)
{
    char b[GT_NAME_STRLEN];
    size_t len = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < s->len; k++) {
        fd_cat(buf, size, &len, "%s%s", k ? ", " : "", fd_nm(&s->n[k], b, sizeof(b)));
    }
    return buf;
}

/* The NS names of apex NS answers in a reply. */
static void apex_ns(const gt_msg *m, nsset *out)
{
    for (size_t k = 0; k < m->count[GT_SEC_ANSWER]; k++) {
        const gt_rr *rr = &m->rrs[GT_SEC_ANSWER][k];
        gt_name target;
        if (rr->type == GT_TYPE_NS &&
            gt_rdata_name(GT_TYPE_NS, rr->rdata, rr->rdlen, &target) == GT_OK) {
            fd_ns_add(out, &target);
        }
    }
}

/* NS_SET_MISMATCH for check trace @p t: the parent's referrals against the child's apex NS. */
static gt_status check_ns_set(gt_result *r, size_t t)
{
    char b[GT_NAME_STRLEN], s1[1024], s2[1024];
    const gt_tracerec *tr = r->traces[t];
    nsset parent, child;
    parent.len = child.len = 0;
    bool child_seen = false;
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (q->has_referral && q->outcome == GT_OUT_REFERRAL && fd_follows(fd_kind_of(r, q)) &&
            gt_name_eq(&q->referral.zone, &tr->zone)) {
            for (size_t n = 0; n < q->referral.nns; n++) {
                fd_ns_add(&parent, &q->referral.ns[n]);
            }
        }
        const gt_msg *qm = gt_query_reply(r, q);
        if (q->trace == t && q->outcome == GT_OUT_ANSWER && qm != NULL) {
            child_seen = true;
            apex_ns(qm, &child);
        }
    }
    if (child_seen && parent.len > 0 &&
        !fd_same_items(parent.n, parent.len, child.n, child.len, sizeof(parent.n[0]),
                       fd_name_item_eq)) {
        ADD(r, GT_F_NS_SET_MISMATCH, &tr->zone, 0, NULL,
            "the parent delegates %s to {%s}; the zone's own apex NS set is {%s}",
            fd_nm(&tr->zone, b, sizeof(b)), ns_str(&parent, s1, sizeof(s1)),
            ns_str(&child, s2, sizeof(s2)));
    }
    return GT_OK;
}

/* How many addresses of @p s answered authoritatively as servers of @p zone (any trace). */
static size_t answered(const gt_result *r, const gt_name *zone, const addrset *s, size_t *asked)
{
    size_t n = 0;
    *asked = 0;
    for (size_t k = 0; k < s->n; k++) {
        bool was_asked = false, ok = false;
        for (size_t i = 0; i < r->nqueries; i++) {
            const gt_query *q = r->queries[i];
            if (fd_follows(fd_kind_of(r, q)) && gt_name_eq(&q->zone, zone) &&
                gt_addr_eq(&q->addr, &s->a[k])) {
                was_asked = true;
                ok |= fd_is_final(q->outcome);
            }
        }
        *asked += was_asked;
        n += ok;
    }
    return n;
}

/* "; both asked: ..." when the child's own addresses were asked beside the glue's. */
static void both_sets(const gt_result *r, const gt_name *zone, const addrset *glue,
                      const addrset *child, char *buf, size_t size)
{
    addrset only_child;
    memset(&only_child, 0, sizeof(only_child));
    for (size_t k = 0; k < child->n; k++) {
        if (fd_find_item(glue->a, glue->n, sizeof(glue->a[0]), &child->a[k], fd_addr_item_eq) ==
            glue->n) {
            fd_set_add(&only_child, &child->a[k]);
        }
    }
    size_t ga, ca, g = answered(r, zone, glue, &ga), c = answered(r, zone, &only_child, &ca);
    buf[0] = '\0';
    if (ca > 0) {
        snprintf(buf, size,
                 "; both were asked: %zu of %zu glue addresses and %zu of %zu of the zone's own "
                 "answered authoritatively",
                 g, ga, c, ca);
    }
}

/* GLUE_MISMATCH for check trace @p t: an in-domain NS name's glue against the child's data. */
static gt_status check_glue(gt_result *r, size_t t)
{
    char b1[GT_NAME_STRLEN], b2[GT_NAME_STRLEN], s1[1024], s2[1024], type[16];
    const gt_tracerec *tr = r->traces[t];
    addrset glue, childset;
    memset(&glue, 0, sizeof(glue));
    memset(&childset, 0, sizeof(childset));
    bool child_auth = false;
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (q->trace == t && (q->outcome == GT_OUT_ANSWER || q->outcome == GT_OUT_NODATA ||
                              q->outcome == GT_OUT_NXDOMAIN)) {
            child_auth = true;
            fd_answer_addrs(r, q, &q->cls.final_name, tr->qtype, &childset);
        }
    }
    parent_glue(r, &tr->zone, &tr->name, tr->qtype, &glue);
    if (!child_auth || (glue.n == 0 && childset.n == 0) || fd_set_eq(&glue, &childset)) {
        return GT_OK;
    }
    char both[256];
    both_sets(r, &tr->zone, &glue, &childset, both, sizeof(both));
    ADD(r, GT_F_GLUE_MISMATCH, &tr->zone, 0, NULL,
        "%s %s: the parent's glue says {%s}, the zone %s itself says {%s}%s",
        fd_nm(&tr->name, b1, sizeof(b1)), gt_type_to_str(tr->qtype, type, sizeof(type)),
        fd_set_str(&glue, s1, sizeof(s1)), fd_nm(&tr->zone, b2, sizeof(b2)),
        fd_set_str(&childset, s2, sizeof(s2)), both);
    return GT_OK;
}

/* The serial of an SOA record's (uncompressed) RDATA; false when it is too short. */
static bool soa_serial(const gt_rr *rr, uint32_t *serial)
{
    size_t i = 0;
    for (int names = 0; names < 2; names++) {
        while (i < rr->rdlen && rr->rdata[i] != 0) {
            i += (size_t)rr->rdata[i] + 1;
        }
        i++; /* the root label */
    }
    if (i + 4 > rr->rdlen) {
        return false;
    }
    const uint8_t *p = rr->rdata + i;
    *serial = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
    return true;
}

/** Most servers listed with their serials in one SERIAL_MISMATCH. */
#define GT_MAX_SERIALS 32

/* SERIAL_MISMATCH for check trace @p t (the zone's SOA asked of every server). */
static gt_status check_serials(gt_result *r, size_t t)
{
    char b[GT_NAME_STRLEN], list[2048], srv[GT_NAME_STRLEN], a[GT_ADDR_STRLEN];
    const gt_tracerec *tr = r->traces[t];
    uint32_t serials[GT_MAX_SERIALS];
    const gt_query *who[GT_MAX_SERIALS];
    size_t n = 0;
    bool differ = false;
    for (size_t i = 0; i < r->nqueries && n < GT_MAX_SERIALS; i++) {
        const gt_query *q = r->queries[i];
        const gt_msg *m = gt_query_reply(r, q);
        if (q->trace != t || q->outcome != GT_OUT_ANSWER || m == NULL) {
            continue;
        }
        for (size_t k = 0; k < m->count[GT_SEC_ANSWER]; k++) {
            const gt_rr *rr = &m->rrs[GT_SEC_ANSWER][k];
            if (rr->type == GT_TYPE_SOA && gt_name_eq(&rr->owner, &tr->zone) &&
                soa_serial(rr, &serials[n])) {
                differ |= n > 0 && serials[n] != serials[0];
                who[n++] = q;
                break;
            }
        }
    }
    if (!differ) {
        return GT_OK;
    }
    size_t len = 0;
    list[0] = '\0';
    for (size_t k = 0; k < n; k++) {
        fd_cat(list, sizeof(list), &len, "%s%s %s: %u", k ? ", " : "",
               who[k]->server_name.len ? fd_nm(&who[k]->server_name, srv, sizeof(srv)) : "-",
               gt_addr_to_str(&who[k]->addr, a, sizeof(a)), (unsigned)serials[k]);
    }
    ADD(r, GT_F_SERIAL_MISMATCH, &tr->zone, 0, NULL,
        "the servers of %s serve different SOA serials: %s", fd_nm(&tr->zone, b, sizeof(b)), list);
    return GT_OK;
}

/* CHECK_INCOMPLETE for check trace @p t when none of its queries got an authoritative reply. */
static gt_status check_incomplete(gt_result *r, size_t t)
{
    char b1[GT_NAME_STRLEN], b2[GT_NAME_STRLEN], type[16], did[1024];
    const gt_tracerec *tr = r->traces[t];
    size_t asked = 0;
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (q->trace != t) {
            continue;
        }
        if (fd_is_final(q->outcome)) {
            return GT_OK;
        }
        asked++;
    }
    if (asked == 0 || r->interrupted) {
        return GT_OK; /* nothing asked (budget, family): other findings say why */
    }
    fd_what_servers_did(r, t, &tr->zone, did, sizeof(did));
    ADD(r, GT_F_CHECK_INCOMPLETE, &tr->zone, 0, NULL,
        "the delegation check of %s (%s %s) could not be completed: no authoritative reply "
        "from the %zu %s asked (%s)",
        fd_nm(&tr->zone, b1, sizeof(b1)), fd_nm(&tr->name, b2, sizeof(b2)),
        gt_type_to_str(tr->qtype, type, sizeof(type)), asked, asked == 1 ? "query" : "queries",
        did);
    return GT_OK;
}

/* GLUE_MISMATCH and NS_SET_MISMATCH from the delegation-check traces. */
gt_status fd_delegation_checks(gt_result *r)
{
    for (size_t t = 0; t < r->ntraces; t++) {
        if (r->traces[t]->kind != GT_TRACE_CHECK) {
            continue;
        }
        uint16_t qt = r->traces[t]->qtype;
        if (qt == GT_TYPE_DNSKEY) {
            continue; /* DNSSEC's DNSKEY questions: judged by diagnose/dnssec_chain.c */
        }
        if (check_incomplete(r, t) != GT_OK) {
            return GT_ENOMEM;
        }
        gt_status st = qt == GT_TYPE_NS    ? check_ns_set(r, t)
                       : qt == GT_TYPE_SOA ? check_serials(r, t)
                                           : check_glue(r, t);
        if (st != GT_OK) {
            return st;
        }
    }
    return GT_OK;
}

/* Whether a delegation check asked a child zone for (@p name, @p qtype) (check_glue's job). */
static bool checked_in_child(const gt_result *r, const gt_name *name, uint16_t qtype)
{
    for (size_t t = 0; t < r->ntraces; t++) {
        const gt_tracerec *tr = r->traces[t];
        if (tr->kind == GT_TRACE_CHECK && tr->qtype == qtype && gt_name_eq(&tr->name, name)) {
            return true;
        }
    }
    return false;
}

/*
 * GLUE_MISMATCH for sub-trace @p t: the glue any referral carried for its name (sibling glue,
 * or glue for the very name in a referral on its own path) against the authoritative answer
 * of the zone that owns the name, which the sub-trace reached from the root.
 */
static gt_status subtrace_glue(gt_result *r, size_t t)
{
    char b1[GT_NAME_STRLEN], b2[GT_NAME_STRLEN], b3[GT_NAME_STRLEN], s1[1024], s2[1024];
    char type[16];
    const gt_tracerec *tr = r->traces[t];
    if (!fd_is_addr_type(tr->qtype) || checked_in_child(r, &tr->name, tr->qtype)) {
        return GT_OK;
    }
    addrset glue, child;
    memset(&glue, 0, sizeof(glue));
    memset(&child, 0, sizeof(child));
    const gt_query *owner = NULL, *carrier = NULL;
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (q->trace == t && fd_is_final(q->outcome) && q->cached_from == 0) {
            owner = owner ? owner : q;
            fd_answer_addrs(r, q, &q->cls.final_name, tr->qtype, &child);
        }
        if (q->has_referral && q->outcome == GT_OUT_REFERRAL && fd_follows(fd_kind_of(r, q))) {
            size_t before = glue.n;
            fd_glue_of(&q->referral, &tr->name, tr->qtype, &glue);
            carrier = carrier == NULL && glue.n > before ? q : carrier;
        }
    }
    if (owner == NULL || carrier == NULL || fd_set_eq(&glue, &child)) {
        return GT_OK;
    }
    char both[256];
    both_sets(r, &carrier->referral.zone, &glue, &child, both, sizeof(both));
    ADD(r, GT_F_GLUE_MISMATCH, &carrier->referral.zone, carrier->id, NULL,
        "%s %s: the glue in the referral to %s says {%s}, the zone %s that owns the name says "
        "{%s}%s",
        fd_nm(&tr->name, b1, sizeof(b1)), gt_type_to_str(tr->qtype, type, sizeof(type)),
        fd_nm(&carrier->referral.zone, b2, sizeof(b2)), fd_set_str(&glue, s1, sizeof(s1)),
        fd_nm(&owner->zone, b3, sizeof(b3)), fd_set_str(&child, s2, sizeof(s2)), both);
    return GT_OK;
}

/* GLUE_MISMATCH wherever glue is used outside the delegation checks: see subtrace_glue(). */
gt_status fd_glue_elsewhere(gt_result *r)
{
    for (size_t t = 0; t < r->ntraces; t++) {
        if (r->traces[t]->kind == GT_TRACE_SUBTRACE && subtrace_glue(r, t) != GT_OK) {
            return GT_ENOMEM;
        }
    }
    return GT_OK;
}

/* NO_ADDRESS: a glueless NS name whose sub-traces found no address at all. */
gt_status fd_no_address(gt_result *r)
{
    char b1[GT_NAME_STRLEN];
    for (size_t t = 0; t < r->ntraces; t++) {
        const gt_tracerec *tr = r->traces[t];
        if (tr->kind != GT_TRACE_SUBTRACE || tr->naddrs > 0 || tr->status == GT_TS_CYCLE) {
            continue;
        }
        bool other_has = false, first = true;
        for (size_t u = 0; u < r->ntraces; u++) {
            const gt_tracerec *o = r->traces[u];
            if (u == t || o->kind != GT_TRACE_SUBTRACE || !gt_name_eq(&o->name, &tr->name)) {
                continue;
            }
            other_has |= o->naddrs > 0 || o->status == GT_TS_CYCLE;
            first &= u > t;
        }
        if (other_has || !first) {
            continue;
        }
        /* The delegation's data is at fault: the zone it delegates, and the NS record. */
        const gt_query *q = tr->requested_by >= 1 && tr->requested_by <= r->nqueries
                                ? r->queries[tr->requested_by - 1]
                                : NULL;
        if (q != NULL && q->has_referral) {
            char b2[GT_NAME_STRLEN], b3[GT_NAME_STRLEN];
            ADD(r, GT_F_NO_ADDRESS, &q->referral.zone, tr->requested_by, NULL,
                "the delegation of %s from %s names NS %s, which has no address: its sub-trace "
                "from the root ended %s",
                fd_nm(&q->referral.zone, b2, sizeof(b2)), fd_nm(&q->zone, b3, sizeof(b3)),
                fd_nm(&tr->name, b1, sizeof(b1)), gt_trace_status_str(tr->status));
            continue;
        }
        ADD(r, GT_F_NO_ADDRESS, NULL, tr->requested_by, NULL,
            "NS name %s has no address: its sub-trace from the root ended %s",
            fd_nm(&tr->name, b1, sizeof(b1)), gt_trace_status_str(tr->status));
    }
    return GT_OK;
}
