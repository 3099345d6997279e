/*
 * DNSSEC data the trace does not get by itself: every server of each signed zone cut of the
 * main path, of the CNAME targets' traces and of the sub-traces (a referral carrying a DS set
 * for the cut, and the root when the run has a trust anchor) is asked for the zone's DNSKEY
 * set, at the moment it is asked its trace's question, so DNSSEC adds no round trip to the
 * critical path. A zone's DNSKEY question is one check trace whatever the number of traces
 * crossing the zone, and a server already asked it is not asked again (check_ask, launch). The DS
 * sets, their RRSIGs and the NSEC/NSEC3 no-DS proofs come with the referrals themselves (DO=1) and
 * stay in each query's reply. Each zone's DNSKEY question is one GT_TRACE_CHECK trace (checks.c);
 * diagnose validates.
 */
#include "engine_int.h"

/* Does the referral reply of query @p from carry a DS set for @p zone (RFC 4035 3.1.4)? */
static bool referral_has_ds(const engine *e, gt_query_id from, const gt_name *zone)
{
    const gt_msg *m = gt_query_reply(e->res, query_at(e, from));
    if (m == NULL) {
        return false;
    }
    for (size_t i = 0; i < m->count[GT_SEC_AUTHORITY]; i++) {
        const gt_rr *rr = &m->rrs[GT_SEC_AUTHORITY][i];
        if (rr->type == GT_TYPE_DS && gt_name_eq(&rr->owner, zone)) {
            return true;
        }
    }
    return false;
}

void schedule_dnskey(engine *e, zcut_id d, const cand *c)
{
    const zcut *z = zcut_at(e, d);
    gt_trace_kind kind = trace_at(e, z->trace)->kind;
    if (!e->cfg->dnssec || !e->cfg->edns || e->cfg->nanchors == 0 ||
        (kind != GT_TRACE_MAIN && kind != GT_TRACE_CNAME && kind != GT_TRACE_SUBTRACE)) {
        return; /* nothing to validate against: no DNSKEY is worth a query */
    }
    gt_name zone = z->zone;
    gt_query_id from = z->from;
    if (from == 0 ? zone.len != 1 : !referral_has_ds(e, from, &zone)) {
        return; /* the root (from the hints) or a cut its parent says is signed */
    }
    cand cc = *c;
    cc.from = from;
    check_ask(e, &zone, from, &zone, GT_TYPE_DNSKEY, &cc);
}
