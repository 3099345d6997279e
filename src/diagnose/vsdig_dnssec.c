/*
 * --vs-dig with dig's DNSSEC records (dig +trace +dnssec, dig's default): the DS set dig
 * printed at each referral against the DS sets the parent's servers gave the glue-faithful
 * trace (a difference is a DIG_DS_DIFFERS warning), and each RRSIG dig printed against the
 * RRSIGs of the same RRset in the replies gluetrace got from servers of the same zone (a
 * difference is noted in the comparison, not a finding: signatures change at every
 * re-signing). dig's records are read back to wire form with the dnssec layer's presentation
 * reader, so both sides are compared as data, not as text.
 */
#include "vsdig_priv.h"

#include "gluetrace/dnssec/rrtext.h"
#include "gluetrace/wire/rdata.h"
#include "gluetrace/wire/wire.h"

#include <string.h>

/* dig record @p d as a wire record (RDATA owned: gt_rr_free_rdata()). @return false when it
 * does not read as its type. */
static bool dig_rr(const vd_rr *d, gt_rr *out)
{
    char line[GT_DIG_MAX_RDATA + GT_NAME_STRLEN + 48], owner[GT_NAME_STRLEN], type[16];
    gt_name_to_str(&d->owner, owner, sizeof(owner));
    gt_type_to_str(d->type, type, sizeof(type));
    int n = snprintf(line, sizeof(line), "%s 0 IN %s %s", owner, type, d->data);
    if (n < 0 || (size_t)n >= sizeof(line)) {
        return false;
    }
    return gt_rr_from_text(line, out, NULL, 0) == GT_OK;
}

/* "TAG ALG DIGEST-TYPE DIGEST-START..." of a DS record, appended to @p buf. */
static void ds_words(char *buf, size_t size, const gt_rr *ds)
{
    if (ds->rdlen < 4) {
        gt_vd_append(buf, size, "%s(malformed)", buf[0] ? ", " : "");
        return;
    }
    gt_vd_append(buf, size, "%s%u %u %u ", buf[0] ? ", " : "",
                 (unsigned)(ds->rdata[0] << 8 | ds->rdata[1]), (unsigned)ds->rdata[2],
                 (unsigned)ds->rdata[3]);
    /* the digest's first 4 bytes tell two DS of the same key tag apart */
    for (size_t i = 4; i < ds->rdlen && i < 8; i++) {
        gt_vd_append(buf, size, "%02X", (unsigned)ds->rdata[i]);
    }
    gt_vd_append(buf, size, "%s", ds->rdlen > 8 ? "..." : "");
}

/** A DS set: up to GT_DIG_MAX_DS records (borrowed or owned, see the caller). */
typedef struct dsset {
    gt_rr rr[GT_DIG_MAX_DS];
    size_t n;
} dsset;

/* Does @p a hold exactly the records of @p b (order aside, duplicates counted once)? */
static bool set_eq(const dsset *a, const dsset *b)
{
    return gt_rrs_same_rdata_set(a->rr, a->n, b->rr, b->n);
}

static void set_words(const dsset *s, char *buf, size_t size)
{
    buf[0] = '\0';
    for (size_t i = 0; i < s->n; i++) {
        ds_words(buf, size, &s->rr[i]);
    }
    if (s->n == 0) {
        gt_vd_append(buf, size, "no DS");
    }
}

/* The DS records for @p zone in the AUTHORITY section of @p m (borrowed from @p m). */
static void msg_ds(const gt_msg *m, const gt_name *zone, dsset *out)
{
    out->n = 0;
    for (size_t i = 0; i < m->count[GT_SEC_AUTHORITY] && out->n < GT_DIG_MAX_DS; i++) {
        const gt_rr *rr = &m->rrs[GT_SEC_AUTHORITY][i];
        if (rr->type == GT_TYPE_DS && gt_name_eq(&rr->owner, zone)) {
            out->rr[out->n++] = *rr;
        }
    }
}

/* The referral replies the parent's servers gave for the step's zone cut, one at a time:
 * @p *i is the next query index to look at. @return the reply, or NULL at the end. */
static const gt_msg *next_referral(const gt_result *r, const vd_step *st, size_t *i,
                                   const gt_query **qout)
{
    for (; *i < r->nqueries; (*i)++) {
        const gt_query *q = r->queries[*i];
        const gt_msg *m = gt_query_reply(r, q);
        if (m == NULL || !gt_vd_usable_query(r, q) || !q->has_referral ||
            q->outcome != GT_OUT_REFERRAL || !gt_name_eq(&q->zone, &st->zone) ||
            !gt_name_eq(&q->referral.zone, &st->referral)) {
            continue;
        }
        *qout = q;
        (*i)++;
        return m;
    }
    return NULL;
}

/*
 * Did gluetrace ask with DO=1? Its queries are not kept, but a server echoes DO in its OPT
 * record (RFC 3225 3) and only a DO=1 query is answered with RRSIGs: one reply with either
 * says so.
 */
static bool asked_with_do(const gt_result *r)
{
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_msg *m = r->queries[i]->reply;
        if (m != NULL && (m->do_bit || m->nsig[GT_SEC_ANSWER] + m->nsig[GT_SEC_AUTHORITY] > 0)) {
            return true;
        }
    }
    return false;
}

/* A reply that carries DNSSEC records if there are any: DO was set (see asked_with_do()) and
 * the reply does not say otherwise (an OPT record without DO). */
static bool dnssec_reply(const gt_msg *m, bool with_do)
{
    return with_do && !(m->has_opt && !m->do_bit);
}

/* One referral step: dig's DS set against the parent's. @return GT_OK or GT_ENOMEM */
static gt_status compare_ds(gt_result *r, vd_run *v, vd_step *st, bool with_do)
{
    char b[GT_NAME_STRLEN], b2[GT_NAME_STRLEN], a[GT_ADDR_STRLEN];
    char srv[GT_NAME_STRLEN + GT_ADDR_STRLEN + 4];
    dsset dig = {.n = 0}, got;
    for (size_t k = 0; k < st->nrrs && dig.n < GT_DIG_MAX_DS; k++) {
        const vd_rr *d = &st->rrs[k];
        if (d->type == GT_TYPE_DS && gt_name_eq(&d->owner, &st->referral) &&
            dig_rr(d, &dig.rr[dig.n])) {
            dig.n++;
        }
    }
    st->nds_dig = dig.n;
    set_words(&dig, st->ds_dig, sizeof(st->ds_dig));
    st->ds_check = VD_DS_NO_DATA;
    st->ds_gt[0] = '\0';
    bool have_any = false, have_closest = false;
    size_t i = 0;
    const gt_query *q;
    for (const gt_msg *m; (m = next_referral(r, st, &i, &q)) != NULL;) {
        if (!dnssec_reply(m, with_do)) {
            continue; /* asked without DO: no DS to expect */
        }
        msg_ds(m, &st->referral, &got);
        gt_addr x = q->addr;
        x.port = st->addr.port;
        bool closest = st->have_addr && gt_addr_eq(&x, &st->addr);
        if (set_eq(&dig, &got)) {
            st->ds_check = VD_DS_SAME;
            set_words(&got, st->ds_gt, sizeof(st->ds_gt));
            break;
        }
        st->ds_check = VD_DS_DIFFERS;
        if (!have_any || (closest && !have_closest)) {
            /* shown: the set of the server dig asked, if gluetrace asked it; else the first */
            set_words(&got, st->ds_gt, sizeof(st->ds_gt));
            have_any = true;
            have_closest = closest;
        }
    }
    for (size_t k = 0; k < dig.n; k++) {
        gt_rr_free_rdata(&dig.rr[k]);
    }
    /* what gluetrace's validation made of the zone dig's DS designates keys of */
    st->zone_dnssec = GT_DNSSEC_OFF;
    st->zone_reason[0] = '\0';
    for (size_t k = 0; k < r->ndnssec; k++) {
        if (gt_name_eq(&r->dnssec[k].zone, &st->referral)) {
            st->zone_dnssec = r->dnssec[k].state;
            snprintf(st->zone_reason, sizeof(st->zone_reason), "%s", r->dnssec[k].reason);
            break;
        }
    }
    if (st->ds_check == VD_DS_NO_DATA) {
        return GT_OK;
    }
    v->ds_compared++;
    if (st->ds_check != VD_DS_DIFFERS) {
        return GT_OK;
    }
    v->ds_differ++;
    snprintf(srv, sizeof(srv), "%s (%s)",
             st->have_server ? gt_vd_name(&st->server, b, sizeof(b)) : "?",
             gt_addr_to_str(&st->addr, a, sizeof(a)));
    return gt_result_add_finding(r, GT_F_DIG_DS_DIFFERS, &st->referral, 0, srv,
                                 "dig +trace saw %s for %s (from %s); the servers of %s gave "
                                 "gluetrace %s",
                                 st->ds_dig, gt_vd_name(&st->referral, b, sizeof(b)), srv,
                                 gt_vd_name(&st->zone, b2, sizeof(b2)), st->ds_gt);
}

/* The fields of an RRSIG's RDATA that say who signed it and when (RFC 4034 3.1). */
typedef struct sigkey {
    uint16_t covered;
    uint8_t alg;
    uint32_t expiration, inception;
    uint16_t tag;
    gt_name signer;
} sigkey;

static bool sig_fields(const gt_rr *rr, sigkey *k)
{
    gt_cursor c;
    gt_cursor_init(&c, rr->rdata, rr->rdlen);
    k->covered = gt_cursor_u16(&c);
    k->alg = gt_cursor_u8(&c);
    gt_cursor_skip(&c, 5); /* labels, original TTL */
    k->expiration = gt_cursor_u32(&c);
    k->inception = gt_cursor_u32(&c);
    k->tag = gt_cursor_u16(&c);
    gt_cursor_name(&c, &k->signer);
    return c.err == GT_OK;
}

static bool sig_eq(const sigkey *a, const sigkey *b)
{
    return a->covered == b->covered && a->alg == b->alg && a->tag == b->tag &&
           a->expiration == b->expiration && a->inception == b->inception &&
           gt_name_eq(&a->signer, &b->signer);
}

/* "key TAG alg ALG until YYYYMMDDHHmmSS" of an RRSIG's signer, appended to @p buf. */
static void sig_words(char *buf, size_t size, const sigkey *k)
{
    char t[20];
    if (gt_rrsig_time_str(k->expiration, t, sizeof(t)) == 0) {
        t[0] = '\0';
    }
    gt_vd_append(buf, size, "%skey %u alg %u until %s", buf[0] ? ", " : "", (unsigned)k->tag,
                 (unsigned)k->alg, t);
}

/*
 * One RRSIG dig printed in step @p st: is it among the RRSIGs of the same RRset in the
 * replies gluetrace got from servers of the same zone? It is compared only when one of those
 * replies carries the RRset itself (a server that leaves out, say, the NS set of an answer
 * says nothing about its signature); replies asked without DO are no evidence either way.
 * @return false when it could not be compared
 */
static bool compare_sig(const gt_result *r, vd_step *st, const vd_rr *d, bool with_do)
{
    gt_rr dr;
    sigkey want;
    if (!dig_rr(d, &dr)) {
        return false;
    }
    bool ok = sig_fields(&dr, &want);
    char others[256] = "";
    bool compared = false, found = false;
    for (size_t i = 0; ok && !found && i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        const gt_msg *m = gt_query_reply(r, q);
        if (m == NULL || !dnssec_reply(m, with_do) || !gt_vd_usable_query(r, q) ||
            !gt_name_eq(&q->zone, &st->zone)) {
            continue;
        }
        for (int s = GT_SEC_ANSWER; s <= GT_SEC_ADDITIONAL && !compared; s++) {
            for (size_t k = 0; k < m->count[s] && !compared; k++) {
                compared =
                    m->rrs[s][k].type == want.covered && gt_name_eq(&m->rrs[s][k].owner, &d->owner);
            }
        }
        for (int s = GT_SEC_ANSWER; s <= GT_SEC_ADDITIONAL && !found; s++) {
            for (size_t k = m->count[s]; k < m->count[s] + m->nsig[s] && !found; k++) {
                const gt_rr *rr = &m->rrs[s][k];
                sigkey got;
                if (!gt_name_eq(&rr->owner, &d->owner) || !sig_fields(rr, &got) ||
                    got.covered != want.covered) {
                    continue;
                }
                found = sig_eq(&got, &want);
                if (!found && strstr(others, "...") == NULL) {
                    char one[96] = "";
                    sig_words(one, sizeof(one), &got);
                    if (strstr(others, one) == NULL) {
                        gt_vd_append(others, sizeof(others), "%s%s", others[0] ? ", " : "", one);
                    }
                }
            }
        }
    }
    if (ok && compared) {
        st->sigs_compared++;
        if (!found) {
            st->sigs_differ++;
            if (st->nsigs < GT_DIG_MAX_SIGS) {
                vd_sig *x = &st->sigs[st->nsigs++];
                x->owner = d->owner;
                x->covered = want.covered;
                x->alg = want.alg;
                x->tag = want.tag;
                x->expiration = want.expiration;
                x->inception = want.inception;
                x->signer = want.signer;
                snprintf(x->gluetrace, sizeof(x->gluetrace), "%s", others[0] ? others : "none");
            }
        }
    }
    gt_rr_free_rdata(&dr);
    return ok && compared;
}

gt_status gt_vd_dnssec(gt_result *r, vd_run *v)
{
    v->dnssec = false;
    for (size_t i = 0; i < v->nsteps && !v->dnssec; i++) {
        for (size_t k = 0; k < v->steps[i].nrrs && !v->dnssec; k++) {
            uint16_t t = v->steps[i].rrs[k].type;
            v->dnssec =
                t == GT_TYPE_RRSIG || t == GT_TYPE_DS || t == GT_TYPE_NSEC || t == GT_TYPE_NSEC3;
        }
    }
    if (!v->dnssec) {
        return GT_OK; /* dig +nodnssec: nothing to compare */
    }
    bool with_do = asked_with_do(r);
    for (size_t i = 0; i < v->nsteps; i++) {
        vd_step *st = &v->steps[i];
        if (st->kind == VD_ROOT || !st->received) {
            continue; /* the root step is dig's resolver's */
        }
        if (st->kind == VD_REFERRAL) {
            gt_status s = compare_ds(r, v, st, with_do);
            if (s != GT_OK) {
                return s;
            }
        }
        for (size_t k = 0; k < st->nrrs; k++) {
            if (st->rrs[k].type == GT_TYPE_RRSIG) {
                compare_sig(r, st, &st->rrs[k], with_do);
            }
        }
        v->sigs_compared += st->sigs_compared;
        v->sigs_differ += st->sigs_differ;
    }
    return GT_OK;
}
