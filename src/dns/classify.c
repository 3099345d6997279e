#include "gluetrace/dns/classify.h"

#include <string.h>

bool gt_reply_matches(const gt_msg *m, const gt_name *qname, uint16_t qtype)
{
    return m->qr && m->opcode == 0 && m->qdcount == 1 && m->has_question && m->qtype == qtype &&
           m->qclass == GT_CLASS_IN && gt_name_eq(&m->qname, qname);
}

/* Find an RR in @p sec with this owner and type; NULL if none. */
static const gt_rr *find_rr(const gt_msg *m, gt_section sec, const gt_name *owner, uint16_t type)
{
    for (size_t i = 0; i < m->count[sec]; i++) {
        const gt_rr *rr = &m->rrs[sec][i];
        if ((type == GT_TYPE_ANY || rr->type == type) && rr->cls == GT_CLASS_IN &&
            gt_name_eq(&rr->owner, owner)) {
            return rr;
        }
    }
    return NULL;
}

/*
 * Follow the CNAME chain from qname inside the answer section (RFC 1034 4.3.2 step 3a), only
 * as far as the server's zone reaches: data for a name outside @p zone is not the zone's to
 * give (RFC 2181 section 5.4.1), so the chain ends there and the target is traced on its own.
 * Returns true when a record of the asked type sits at the end of the chain.
 */
static bool walk_answer(const gt_msg *m, const gt_name *qname, uint16_t qtype, const gt_name *zone,
                        gt_class *out)
{
    gt_name cur = *qname;
    out->cname_links = 0;
    for (;;) {
        if (!gt_name_is_under(&cur, zone)) {
            out->final_name = cur;
            return false;
        }
        if (find_rr(m, GT_SEC_ANSWER, &cur, qtype) != NULL) {
            out->final_name = cur;
            return true;
        }
        const gt_rr *cn = find_rr(m, GT_SEC_ANSWER, &cur, GT_TYPE_CNAME);
        if (cn == NULL || out->cname_links >= GT_MAX_CNAME_IN_REPLY) {
            out->final_name = cur;
            return false;
        }
        gt_name next;
        if (gt_rdata_name(GT_TYPE_CNAME, cn->rdata, cn->rdlen, &next) != GT_OK) {
            out->final_name = cur;
            return false;
        }
        cur = next;
        out->cname_links++;
    }
}

/* The owner of the first NS record in AUTHORITY, if any. */
static const gt_rr *first_ns(const gt_msg *m)
{
    for (size_t i = 0; i < m->count[GT_SEC_AUTHORITY]; i++) {
        const gt_rr *rr = &m->rrs[GT_SEC_AUTHORITY][i];
        if (rr->type == GT_TYPE_NS && rr->cls == GT_CLASS_IN) {
            return rr;
        }
    }
    return NULL;
}

static bool has_soa(const gt_msg *m)
{
    for (size_t i = 0; i < m->count[GT_SEC_AUTHORITY]; i++) {
        if (m->rrs[GT_SEC_AUTHORITY][i].type == GT_TYPE_SOA) {
            return true;
        }
    }
    return false;
}

/* A DNAME in the answer whose owner is inside @p zone and a strict ancestor of @p qname. */
static bool dname_above(const gt_msg *m, const gt_name *qname, const gt_name *zone)
{
    for (size_t i = 0; i < m->count[GT_SEC_ANSWER]; i++) {
        const gt_rr *rr = &m->rrs[GT_SEC_ANSWER][i];
        if (rr->type == GT_TYPE_DNAME && gt_name_is_under(&rr->owner, zone) &&
            gt_name_is_under(qname, &rr->owner) && !gt_name_eq(qname, &rr->owner)) {
            return true;
        }
    }
    return false;
}

/* Referral direction relative to the server's zone (RFC 1034 4.3.2 step 3b). */
static gt_outcome referral_kind(const gt_name *qname, const gt_name *server_zone,
                                const gt_name *ref)
{
    if (gt_name_is_under(server_zone, ref)) {
        return GT_OUT_UPWARD; /* the same zone or an ancestor: no progress */
    }
    if (gt_name_is_under(ref, server_zone) && gt_name_is_under(qname, ref)) {
        return GT_OUT_REFERRAL;
    }
    return GT_OUT_SIDEWAYS;
}

void gt_classify(const gt_name *qname, uint16_t qtype, const gt_name *zone, const gt_msg *m,
                 bool tcp, gt_class *out)
{
    memset(out, 0, sizeof(*out));
    out->final_name = *qname;

    if (m->tc && !tcp) {
        out->outcome = GT_OUT_TRUNCATED;
        return;
    }
    if (m->tc) {
        /* TC=1 over TCP: the stream carries the whole reply (RFC 7766 section 8), so this one
         * is broken and nothing in it is used. */
        out->outcome = GT_OUT_MALFORMED;
        return;
    }
    if (m->rcode == GT_RCODE_YXDOMAIN && m->aa && dname_above(m, qname, zone)) {
        /* A DNAME substitution that would exceed the name length: the authoritative answer
         * is that the name cannot exist (RFC 6672 section 2.2), not a lame server. */
        out->outcome = GT_OUT_NXDOMAIN;
        return;
    }
    if (m->rcode != GT_RCODE_NOERROR && m->rcode != GT_RCODE_NXDOMAIN) {
        out->outcome = GT_OUT_LAME;
        out->lame = GT_LAME_RCODE;
        return;
    }

    bool answered = walk_answer(m, qname, qtype, zone, out);
    if (m->rcode == GT_RCODE_NXDOMAIN && out->cname_links > 0 &&
        !gt_name_is_under(&out->final_name, zone)) {
        /* The error is about a target outside the zone: not this server's to say. */
        out->outcome = m->aa ? GT_OUT_CNAME : GT_OUT_LAME;
        out->lame = m->aa ? GT_LAME_NONE : GT_LAME_NOT_AUTH;
        return;
    }
    if (m->rcode == GT_RCODE_NXDOMAIN) {
        /* An authoritative name error, possibly at the end of a CNAME chain (RFC 6604). */
        out->outcome = m->aa ? GT_OUT_NXDOMAIN : GT_OUT_LAME;
        out->lame = m->aa ? GT_LAME_NONE : GT_LAME_NOT_AUTH;
        return;
    }
    if (answered || out->cname_links > 0) {
        if (!m->aa) {
            /* Data from a server that does not claim authority: a cache, not the zone. */
            out->outcome = GT_OUT_LAME;
            out->lame = GT_LAME_NOT_AUTH;
            return;
        }
        out->outcome = answered ? GT_OUT_ANSWER : GT_OUT_CNAME;
        return;
    }

    const gt_rr *ns = first_ns(m);
    if (ns != NULL && (!m->aa || !has_soa(m))) {
        out->zone = ns->owner;
        out->outcome = referral_kind(qname, zone, &ns->owner);
        if (qtype == GT_TYPE_DS && out->outcome == GT_OUT_REFERRAL &&
            gt_name_eq(&ns->owner, qname)) {
            /* DS is the parent's data (RFC 4035 section 3.1.4.1): a referral into the child
             * for it is not progress, and the child's answer would be the wrong side. */
            out->outcome = GT_OUT_LAME;
            out->lame = GT_LAME_DS_REFERRAL;
            return;
        }
        /* An AA reply carrying only NS for its own zone is an odd NODATA, not a referral. NS
         * of the root or of an unrelated zone, though, speak for no data of this zone: that
         * is a broken (upward or sideways) referral whatever AA says. */
        if (m->aa && out->outcome != GT_OUT_REFERRAL && gt_name_eq(&ns->owner, zone)) {
            out->outcome = GT_OUT_NODATA;
        }
        return;
    }
    if (m->aa) {
        out->outcome = GT_OUT_NODATA;
        return;
    }
    out->outcome = GT_OUT_LAME;
    out->lame = GT_LAME_NOT_AUTH;
}

const char *gt_outcome_str(gt_outcome o)
{
    switch (o) {
    case GT_OUT_PENDING:
        return "pending";
    case GT_OUT_ANSWER:
        return "answer";
    case GT_OUT_CNAME:
        return "cname";
    case GT_OUT_REFERRAL:
        return "referral";
    case GT_OUT_NXDOMAIN:
        return "nxdomain";
    case GT_OUT_NODATA:
        return "nodata";
    case GT_OUT_LAME:
        return "lame";
    case GT_OUT_UPWARD:
        return "upward_referral";
    case GT_OUT_SIDEWAYS:
        return "sideways_referral";
    case GT_OUT_TRUNCATED:
        return "truncated";
    case GT_OUT_TIMEOUT:
        return "timeout";
    case GT_OUT_UNREACHABLE:
        return "unreachable";
    case GT_OUT_MALFORMED:
        return "malformed";
    case GT_OUT_ERROR:
        return "error";
    }
    return "error";
}
