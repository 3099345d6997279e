#include "gluetrace/dns/bailiwick.h"

#include <stdlib.h>
#include <string.h>

gt_glue_kind gt_bailiwick_kind(const gt_name *owner, const gt_name *child, const gt_name *parent)
{
    if (gt_name_is_under(owner, child)) {
        return GT_GLUE_IN_DOMAIN;
    }
    if (gt_name_is_under(owner, parent)) {
        return GT_GLUE_SIBLING;
    }
    return GT_GLUE_NONE;
}

const char *gt_glue_kind_str(gt_glue_kind k)
{
    switch (k) {
    case GT_GLUE_IN_DOMAIN:
        return "in-domain";
    case GT_GLUE_SIBLING:
        return "sibling";
    case GT_GLUE_NONE:
        break;
    }
    return "none";
}

bool gt_referral_same(const gt_referral *a, const gt_referral *b)
{
    if (!gt_name_eq(&a->zone, &b->zone) || a->nns != b->nns || a->nglue != b->nglue) {
        return false;
    }
    for (size_t i = 0; i < a->nns; i++) {
        bool found = false;
        for (size_t j = 0; j < b->nns && !found; j++) {
            found = gt_name_eq(&a->ns[i], &b->ns[j]);
        }
        if (!found) {
            return false;
        }
    }
    for (size_t i = 0; i < a->nglue; i++) {
        bool found = false;
        for (size_t j = 0; j < b->nglue && !found; j++) {
            found = gt_addr_eq(&a->glue[i].addr, &b->glue[j].addr) &&
                    gt_name_eq(&a->glue[i].name, &b->glue[j].name);
        }
        if (!found) {
            return false;
        }
    }
    return true;
}

void gt_referral_clear(gt_referral *r)
{
    if (r == NULL) {
        return;
    }
    free(r->ns);
    free(r->glue);
    free(r->ignored);
    memset(r, 0, sizeof(*r));
}

static bool is_ns_name(const gt_referral *r, const gt_name *n)
{
    for (size_t i = 0; i < r->nns; i++) {
        if (gt_name_eq(&r->ns[i], n)) {
            return true;
        }
    }
    return false;
}

static void add_ignored(gt_referral *r, const gt_rr *rr, const char *reason)
{
    if (r->nignored >= GT_MAX_IGNORED_PER_REFERRAL) {
        r->ignored_dropped++;
        return;
    }
    gt_ignored *ig = &r->ignored[r->nignored++];
    memset(ig, 0, sizeof(*ig));
    ig->name = rr->owner;
    ig->type = rr->type;
    ig->reason = reason;
    if ((rr->type == GT_TYPE_A && rr->rdlen == 4) ||
        (rr->type == GT_TYPE_AAAA && rr->rdlen == 16)) {
        gt_addr_from_bytes(&ig->addr, rr->rdata, rr->rdlen);
    }
}

/*
 * @p owner is the target of an NS record of @p child in AUTHORITY (one that was not kept
 * because of GT_MAX_NS_PER_REFERRAL, when it is not in the referral's list).
 */
static bool is_dropped_ns(const gt_msg *m, const gt_name *child, const gt_name *owner)
{
    for (size_t i = 0; i < m->count[GT_SEC_AUTHORITY]; i++) {
        const gt_rr *rr = &m->rrs[GT_SEC_AUTHORITY][i];
        gt_name target;
        if (rr->type == GT_TYPE_NS && rr->cls == GT_CLASS_IN && gt_name_eq(&rr->owner, child) &&
            gt_rdata_name(GT_TYPE_NS, rr->rdata, rr->rdlen, &target) == GT_OK &&
            gt_name_eq(&target, owner)) {
            return true;
        }
    }
    return false;
}

/* The same name and address already accepted (duplicate glue records are common). */
static bool have_glue(const gt_referral *r, const gt_name *n, const gt_addr *a)
{
    for (size_t i = 0; i < r->nglue; i++) {
        if (gt_addr_eq(&r->glue[i].addr, a) && gt_name_eq(&r->glue[i].name, n)) {
            return true;
        }
    }
    return false;
}

gt_status gt_referral_extract(const gt_msg *m, const gt_name *child, const gt_name *parent,
                              gt_referral *out)
{
    gt_status st = GT_OK;
    memset(out, 0, sizeof(*out));
    out->zone = *child;
    /* Sized by what the message holds (a referral is kept per query: no fixed maxima). */
    size_t nauth = m->count[GT_SEC_AUTHORITY], nadd = m->count[GT_SEC_ADDITIONAL];
    size_t cap_ns = nauth < GT_MAX_NS_PER_REFERRAL ? nauth : GT_MAX_NS_PER_REFERRAL;
    size_t cap_glue = nadd < GT_MAX_GLUE_PER_REFERRAL ? nadd : GT_MAX_GLUE_PER_REFERRAL;
    size_t cap_ign = nadd < GT_MAX_IGNORED_PER_REFERRAL ? nadd : GT_MAX_IGNORED_PER_REFERRAL;
    out->ns = calloc(cap_ns + 1, sizeof(*out->ns));
    out->glue = calloc(cap_glue + 1, sizeof(*out->glue));
    out->ignored = calloc(cap_ign + 1, sizeof(*out->ignored));
    if (out->ns == NULL || out->glue == NULL || out->ignored == NULL) {
        st = GT_ENOMEM;
        goto done;
    }

    for (size_t i = 0; i < m->count[GT_SEC_AUTHORITY]; i++) {
        const gt_rr *rr = &m->rrs[GT_SEC_AUTHORITY][i];
        gt_name target;
        if (rr->type != GT_TYPE_NS || rr->cls != GT_CLASS_IN || !gt_name_eq(&rr->owner, child) ||
            gt_rdata_name(GT_TYPE_NS, rr->rdata, rr->rdlen, &target) != GT_OK ||
            is_ns_name(out, &target)) {
            continue;
        }
        if (out->nns >= GT_MAX_NS_PER_REFERRAL) {
            out->ns_dropped++;
            continue;
        }
        out->ns[out->nns++] = target;
    }

    for (size_t i = 0; i < m->count[GT_SEC_ADDITIONAL]; i++) {
        const gt_rr *rr = &m->rrs[GT_SEC_ADDITIONAL][i];
        bool addr_rr = (rr->type == GT_TYPE_A && rr->rdlen == 4) ||
                       (rr->type == GT_TYPE_AAAA && rr->rdlen == 16);
        if (!addr_rr || rr->cls != GT_CLASS_IN) {
            add_ignored(out, rr, "not an address record");
            continue;
        }
        if (!is_ns_name(out, &rr->owner)) {
            add_ignored(out, rr,
                        out->ns_dropped > 0 && is_dropped_ns(m, child, &rr->owner)
                            ? "NS name beyond the per-referral limit (not followed)"
                            : "not an NS name of the referral");
            continue;
        }
        gt_glue_kind kind = gt_bailiwick_kind(&rr->owner, child, parent);
        if (kind == GT_GLUE_NONE) {
            add_ignored(out, rr, "out of bailiwick");
            continue;
        }
        gt_addr a;
        gt_addr_from_bytes(&a, rr->rdata, rr->rdlen);
        if (have_glue(out, &rr->owner, &a)) {
            continue;
        }
        if (out->nglue >= GT_MAX_GLUE_PER_REFERRAL) {
            out->glue_dropped++;
            continue;
        }
        gt_glue *g = &out->glue[out->nglue++];
        g->name = rr->owner;
        g->addr = a;
        g->kind = kind;
    }

done:
    if (st != GT_OK) {
        gt_referral_clear(out);
    }
    return st;
}
