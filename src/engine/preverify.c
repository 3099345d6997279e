/*
 * Signatures checked while the trace waits. Diagnose validates the DNSSEC chain once the run
 * is over (diagnose/dnssec_chain.c): without this, every signature check of a trace would
 * happen after its last reply, on the critical path. Here each reply the chain will look at
 * (the referrals and final replies of the main trace, its CNAME targets and sub-traces, and
 * the DNSKEY replies of signed cuts) has its RRSIGs checked against the DNSKEY replies of
 * their signer that came in so far, right after the reply was acted on (its follow-up queries
 * are on the wire). Nothing is judged or
 * recorded: the dnssec module remembers each check's outcome (verify.c) and diagnose, asking
 * the same questions, finds them done. Each (signed reply, key reply) pair is checked once,
 * when the later of the two arrives (the other one has no reply yet when the first does).
 */
#include "engine_int.h"

#include <string.h>
#include <time.h>

#include "gluetrace/dnssec/dnssec.h"
#include "gluetrace/wire/wire.h"

/** Most records of one RRset gathered (diagnose/dnssec_chain.c keeps the same number). */
#define PREVERIFY_MAX_RRSET 64

/*
 * Is @p q a reply the chain validation reads: one of a followed trace (main, CNAME target,
 * sub-trace: the traces diagnose/dnssec_chain.c walks), or a DNSKEY check's?
 */
static bool chain_reply(const engine *e, const gt_query *q, bool *is_keys)
{
    const gt_tracerec *tr = trace_at(e, q->trace);
    *is_keys = tr->kind == GT_TRACE_CHECK && q->qtype == GT_TYPE_DNSKEY;
    return *is_keys || (!q->rd && (tr->kind == GT_TRACE_MAIN || tr->kind == GT_TRACE_CNAME ||
                                   tr->kind == GT_TRACE_SUBTRACE));
}

/* Which records of section @p sec the chain validates: the answer; DS and denial proofs. */
static bool checked_type(gt_section sec, uint16_t type)
{
    return sec == GT_SEC_ANSWER || type == GT_TYPE_DS || type == GT_TYPE_NSEC ||
           type == GT_TYPE_NSEC3;
}

/* The records of (@p owner, @p type) in section @p sec of @p m, each RDATA once. */
static size_t gather(const gt_msg *m, gt_section sec, const gt_name *owner, uint16_t type,
                     gt_rr *out)
{
    size_t n = 0;
    for (size_t i = 0; i < m->count[sec] && n < PREVERIFY_MAX_RRSET; i++) {
        const gt_rr *rr = &m->rrs[sec][i];
        bool dup = false;
        if (rr->type != type || !gt_name_eq(&rr->owner, owner)) {
            continue;
        }
        for (size_t k = 0; k < n && !dup; k++) {
            dup = gt_rr_same_rdata(&out[k], rr);
        }
        if (!dup) {
            out[n++] = *rr;
        }
    }
    return n;
}

/* Check the RRSIGs of @p m made by zone @p zone against each fitting key of @p keys. */
static void check_pair(const gt_msg *m, const gt_msg *keys, const gt_name *zone, uint64_t now)
{
    gt_rr set[PREVERIFY_MAX_RRSET];
    for (int s = GT_SEC_ANSWER; s <= GT_SEC_AUTHORITY; s++) {
        gt_section sec = (gt_section)s;
        for (size_t i = m->count[sec]; i < m->count[sec] + m->nsig[sec]; i++) {
            const gt_rr *sig = &m->rrs[sec][i];
            gt_rrsig rs;
            if (sig->type != GT_TYPE_RRSIG ||
                gt_rrsig_parse(sig->rdata, sig->rdlen, &rs) != GT_DSEC_OK ||
                !gt_name_eq(&rs.signer, zone) || !checked_type(sec, rs.type_covered)) {
                continue;
            }
            size_t n = 0;
            for (size_t k = 0; k < keys->count[GT_SEC_ANSWER]; k++) {
                const gt_rr *key = &keys->rrs[GT_SEC_ANSWER][k];
                gt_dnskey dk;
                if (key->type != GT_TYPE_DNSKEY || !gt_name_eq(&key->owner, zone) ||
                    gt_dnskey_parse(key->rdata, key->rdlen, &dk) != GT_DSEC_OK ||
                    dk.tag != rs.key_tag || dk.alg != rs.alg) {
                    continue;
                }
                if (n == 0 && (n = gather(m, sec, &sig->owner, rs.type_covered, set)) == 0) {
                    break;
                }
                (void)gt_rrsig_verify(set, n, sig, key, zone, now, NULL);
            }
        }
    }
}

/* Do @p a and @p b carry the same answer section, record for record (signatures included)? */
static bool same_answer(const gt_msg *a, const gt_msg *b)
{
    size_t n = a->count[GT_SEC_ANSWER] + a->nsig[GT_SEC_ANSWER];
    if (n != b->count[GT_SEC_ANSWER] + b->nsig[GT_SEC_ANSWER]) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        const gt_rr *x = &a->rrs[GT_SEC_ANSWER][i], *y = &b->rrs[GT_SEC_ANSWER][i];
        if (x->type != y->type || !gt_rr_same_rdata(x, y) || !gt_name_eq(&x->owner, &y->owner)) {
            return false;
        }
    }
    return true;
}

/*
 * Is DNSKEY reply @p kid (message @p km) the same as another one of its zone that is in: any
 * other one (@p any), or one asked before it? Every server of a zone usually serves the same
 * set: pairing each signed reply with each of them would redo the same checks (remembered,
 * but each still canonicalised and hashed), N x N for a zone of N server addresses.
 */
static bool dup_keys(const engine *e, gt_query_id kid, const gt_msg *km, bool any)
{
    gt_trace_id t = query_at(e, kid)->trace;
    for (gt_query_id i = 1; i <= e->res->nqueries; i++) {
        const gt_query *p = query_at(e, i);
        const gt_msg *pm = p->trace == t && i != kid ? gt_query_reply(e->res, p) : NULL;
        if (pm != NULL && !pm->tc && (any || i < kid) && same_answer(pm, km)) {
            return true;
        }
    }
    return false;
}

void preverify_reply(engine *e, gt_query_id qid)
{
    const gt_query *q = query_at(e, qid);
    const gt_msg *m = gt_query_reply(e->res, q);
    bool is_keys = false;
    if (!e->cfg->dnssec || !e->cfg->edns || e->cfg->nanchors == 0 || m == NULL || m->tc ||
        !chain_reply(e, q, &is_keys)) {
        return;
    }
    if (is_keys && dup_keys(e, qid, m, true)) {
        return; /* its twin did every check it would */
    }
    uint64_t now = (uint64_t)time(NULL);
    const gt_name *zone = &trace_at(e, q->trace)->zone;
    for (gt_query_id i = 1; i <= e->res->nqueries; i++) {
        const gt_query *p = query_at(e, i);
        const gt_msg *pm = i == qid ? m : gt_query_reply(e->res, p);
        bool p_keys = false;
        if (pm == NULL || pm->tc || !chain_reply(e, p, &p_keys)) {
            continue; /* not arrived yet: the pair is checked when it does */
        }
        if (is_keys) {
            check_pair(pm, m, zone, now); /* everything so far, this reply included */
        } else if (p_keys && i != qid && !dup_keys(e, i, pm, false)) {
            check_pair(m, pm, &trace_at(e, p->trace)->zone, now);
        }
    }
}
