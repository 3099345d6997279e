/*
 * Signatures checked while the trace waits. Diagnose validates the DNSSEC chain once the run
 * is over (diagnose/dnssec_chain.c): without this, every signature check of a trace would
 * happen after its last reply, on the critical path. Here each reply the chain will look at
 * (the referrals and final replies of the main trace, its CNAME targets and sub-traces, and
 * the DNSKEY replies of signed cuts) has its RRSIGs checked against the distinct key sets of
 * their signer that came in so far, right after the reply was acted on (its follow-up queries
 * are on the wire). Nothing is judged or recorded: the DNSSEC context remembers each check's
 * outcome (dnssec/verify.c) and diagnose, asking the same questions, finds them done.
 *
 * The work is proportional to the distinct data, and bounded (issue 26): a DNSKEY reply whose
 * key set (its records, whatever its RRSIGs) an earlier server of the zone already gave adds
 * no key set; each signed reply is checked against the zone's distinct key sets only; the
 * RRSIG/key pairs follow the one rule of gt_rrset_verify() (KeyTrap limits); every check is
 * charged to the name's budget; and one call stops after PREVERIFY_SLICE_MS of cryptography,
 * so replies are read on time and SIGINT is seen: what is left is diagnose's.
 */
#include "engine_int.h"

#include <string.h>
#include <time.h>

#include "gluetrace/dnssec/dnssec.h"
#include "gluetrace/wire/wire.h"

/** Longest stretch of cryptography one reply's turn on the event loop may take. */
#define PREVERIFY_SLICE_MS 50.0

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

/* Has an RRSIG of section @p sec before index @p i the same owner, type and signer? */
static bool seen_set(const gt_msg *m, gt_section sec, size_t i, const gt_rrsig *rs)
{
    for (size_t j = m->count[sec]; j < i; j++) {
        const gt_rr *o = &m->rrs[sec][j];
        gt_rrsig ors;
        if (gt_name_eq(&o->owner, &m->rrs[sec][i].owner) &&
            gt_rrsig_parse(o->rdata, o->rdlen, &ors) == GT_DSEC_OK &&
            ors.type_covered == rs->type_covered && gt_name_eq(&ors.signer, &rs->signer)) {
            return true;
        }
    }
    return false;
}

/*
 * Check the RRsets of @p m signed by zone @p zone with the key set of @p keys (one reply's
 * turn of the budget). @return false once the budget refuses more work.
 */
static bool check_pair(engine *e, const gt_msg *m, const gt_msg *keys, const gt_name *zone,
                       uint64_t now)
{
    gt_rr set[GT_DNSSEC_MAX_RRSET], keyset[GT_DNSSEC_MAX_RRSET];
    size_t nkeys = gt_dnssec_rrset(keys, GT_SEC_ANSWER, zone, GT_TYPE_DNSKEY, keyset);
    if (nkeys == 0) {
        return true;
    }
    gt_dnssec_budget_reply(&e->dnssec);
    for (int s = GT_SEC_ANSWER; s <= GT_SEC_AUTHORITY; s++) {
        gt_section sec = (gt_section)s;
        for (size_t i = m->count[sec]; i < m->count[sec] + m->nsig[sec]; i++) {
            const gt_rr *sig = &m->rrs[sec][i];
            gt_rrsig rs;
            if (sig->type != GT_TYPE_RRSIG ||
                gt_rrsig_parse(sig->rdata, sig->rdlen, &rs) != GT_DSEC_OK ||
                !gt_name_eq(&rs.signer, zone) || !checked_type(sec, rs.type_covered) ||
                seen_set(m, sec, i, &rs)) {
                continue;
            }
            size_t n = gt_dnssec_rrset(m, sec, &sig->owner, rs.type_covered, set);
            gt_dsec_result res;
            bool nosig;
            if (gt_rrset_verify(&e->dnssec, m, sec, set, n, keyset, nkeys, zone, now, &nosig, &res,
                                NULL) == GT_DSEC_LIMIT &&
                (res.caps & ~GT_DSEC_CAPS_BOGUS) != 0) {
                /* the reply's allowance: the next reply may go on; the name's, the slice or
                 * the stop flag: nothing more now */
                return (res.caps & (GT_DSEC_CAP_NAME | GT_DSEC_CAP_STOP | GT_DSEC_CAP_SLICE)) == 0;
            }
        }
    }
    return true;
}

/* Do @p a and @p b hold the same DNSKEY records of @p zone (their RRSIGs aside)? */
static bool same_keys(const gt_msg *a, const gt_msg *b, const gt_name *zone)
{
    gt_rr x[GT_DNSSEC_MAX_RRSET], y[GT_DNSSEC_MAX_RRSET];
    size_t nx = gt_dnssec_rrset(a, GT_SEC_ANSWER, zone, GT_TYPE_DNSKEY, x);
    size_t ny = gt_dnssec_rrset(b, GT_SEC_ANSWER, zone, GT_TYPE_DNSKEY, y);
    return gt_rrs_same_rdata_set(x, nx, y, ny);
}

/*
 * DNSKEY reply @p kid (message @p km, zone @p zone): a key set not given before in its zone is
 * appended to e->keysets. @return true when it is new.
 */
static bool new_keyset(engine *e, gt_query_id kid, const gt_msg *km, const gt_name *zone)
{
    for (size_t i = 0; i < e->nkeysets; i++) {
        const gt_query *p = query_at(e, e->keysets[i]);
        if (gt_name_eq(&trace_at(e, p->trace)->zone, zone) &&
            same_keys(gt_query_reply(e->res, p), km, zone)) {
            return false;
        }
    }
    if (!gt_array_reserve((void **)&e->keysets, &e->capkeysets, e->nkeysets + 1,
                          sizeof(*e->keysets))) {
        return false; /* out of memory: diagnose checks it instead */
    }
    e->keysets[e->nkeysets++] = kid;
    return true;
}

void preverify_reply(engine *e, gt_query_id qid)
{
    const gt_query *q = query_at(e, qid);
    const gt_msg *m = gt_query_reply(e->res, q);
    bool is_keys = false;
    if (!e->cfg->dnssec || !e->cfg->edns || e->cfg->nanchors == 0 || m == NULL || m->tc ||
        !chain_reply(e, q, &is_keys) ||
        (e->dnssec.spent & (GT_DSEC_CAP_NAME | GT_DSEC_CAP_STOP)) != 0) {
        return;
    }
    uint64_t now = (uint64_t)time(NULL);
    e->dnssec.slice_end_ms = gt_dnssec_clock_ms() + PREVERIFY_SLICE_MS;
    e->dnssec.spent &= ~(unsigned)(GT_DSEC_CAP_SLICE | GT_DSEC_CAP_REPLY);
    if (is_keys) {
        const gt_name *zone = &trace_at(e, q->trace)->zone;
        bool fresh = new_keyset(e, qid, m, zone);
        bool go = check_pair(e, m, m, zone, now); /* its own DNSKEY set, its own RRSIGs */
        /* A new key set: every signed reply so far that its zone signed. */
        for (gt_query_id i = 1; fresh && go && i <= e->res->nqueries; i++) {
            const gt_query *p = query_at(e, i);
            const gt_msg *pm = i == qid ? NULL : gt_query_reply(e->res, p);
            bool p_keys = false;
            if (pm != NULL && !pm->tc && chain_reply(e, p, &p_keys) && !p_keys) {
                go = check_pair(e, pm, m, zone, now);
            }
        }
    } else {
        for (size_t k = 0; k < e->nkeysets; k++) {
            const gt_query *p = query_at(e, e->keysets[k]);
            if (!check_pair(e, m, gt_query_reply(e->res, p), &trace_at(e, p->trace)->zone, now)) {
                break;
            }
        }
    }
    e->dnssec.slice_end_ms = 0;
}
