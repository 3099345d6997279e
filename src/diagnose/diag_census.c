/*
 * The resolver census (--compare-resolver): for every resolver and every datum it was asked
 * (the answer, the NS set of each zone cut, the addresses of each NS name), what it holds, the
 * verdict against the authoritative data the trace saw, the remaining TTL and when it runs
 * out; one finding per resolver for its worst verdict (docs/stale-caches.md).
 */
#include "findings_priv.h"

#include "gluetrace/model/census.h"

#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

/** Most names in one compared set of NS names or answer records. */
#define CN_MAX_ITEMS 64

/** A set of texts (NS names, records), sorted, for comparison and printing. */
typedef struct textset {
    char item[CN_MAX_ITEMS][GT_NAME_STRLEN];
    size_t n;
} textset;

static void ts_add(textset *s, const char *t)
{
    for (size_t i = 0; i < s->n; i++) {
        if (strcmp(s->item[i], t) == 0) {
            return;
        }
    }
    if (s->n < CN_MAX_ITEMS) {
        snprintf(s->item[s->n++], sizeof(s->item[0]), "%s", t);
    }
}

static int cmp_item(const void *a, const void *b)
{
    return strcmp(a, b);
}

static bool ts_eq(textset *a, textset *b)
{
    if (a->n != b->n) {
        return false;
    }
    qsort(a->item, a->n, sizeof(a->item[0]), cmp_item);
    qsort(b->item, b->n, sizeof(b->item[0]), cmp_item);
    for (size_t i = 0; i < a->n; i++) {
        if (strcmp(a->item[i], b->item[i]) != 0) {
            return false;
        }
    }
    return true;
}

static const char *ts_str(textset *s, char *buf, size_t size)
{
    size_t len = 0;
    qsort(s->item, s->n, sizeof(s->item[0]), cmp_item);
    buf[0] = '\0';
    fd_cat(buf, size, &len, "{");
    for (size_t i = 0; i < s->n; i++) {
        fd_cat(buf, size, &len, "%s%s", i ? ", " : "", s->item[i]);
    }
    fd_cat(buf, size, &len, "}");
    return buf;
}

/* NS names owned by @p zone in section @p sec of @p m into @p out; @return their max TTL. */
static uint32_t ns_names(const gt_msg *m, gt_section sec, const gt_name *zone, textset *out,
                         bool *any)
{
    uint32_t ttl = 0;
    for (size_t i = 0; m != NULL && i < m->count[sec]; i++) {
        const gt_rr *rr = &m->rrs[sec][i];
        gt_name ns;
        char b[GT_NAME_STRLEN];
        if (rr->type == GT_TYPE_NS && gt_name_eq(&rr->owner, zone) &&
            gt_rdata_name(rr->type, rr->rdata, rr->rdlen, &ns) == GT_OK) {
            ts_add(out, fd_nm(&ns, b, sizeof(b)));
            ttl = rr->ttl > ttl ? rr->ttl : ttl;
            *any = true;
        }
    }
    return ttl;
}

/* Addresses of @p type owned by @p owner in the answer section of @p m as texts. */
static uint32_t addr_texts(const gt_msg *m, const gt_name *owner, uint16_t type, textset *out,
                           bool *any)
{
    uint32_t ttl = 0;
    for (size_t i = 0; m != NULL && i < m->count[GT_SEC_ANSWER]; i++) {
        const gt_rr *rr = &m->rrs[GT_SEC_ANSWER][i];
        if (rr->type == type && rr->rdlen == (type == GT_TYPE_A ? 4 : 16) &&
            gt_name_eq(&rr->owner, owner)) {
            gt_addr a;
            char b[GT_ADDR_STRLEN];
            gt_addr_from_bytes(&a, rr->rdata, rr->rdlen);
            ts_add(out, gt_addr_to_str(&a, b, sizeof(b)));
            ttl = rr->ttl > ttl ? rr->ttl : ttl;
            *any = true;
        }
    }
    return ttl;
}

/* ---- the authoritative side ---- */

/** What the trace says about one datum. */
typedef struct truth {
    bool known;      /**< the trace has authoritative data for it */
    bool delegated;  /**< NS: the parent delegates the zone */
    textset parent;  /**< NS: the parent's NS set; addresses: the glue */
    bool has_parent; /**< @ref parent was seen */
    textset child;   /**< NS: the apex NS set; addresses: the zone's own (or sub-trace) data */
    bool has_child;  /**< @ref child was seen */
    uint32_t ttl;    /**< longest authoritative TTL seen for it */
    char answer[GT_CENSUS_TEXT]; /**< answer: the authoritative answers, as text */
} truth;

static void ns_truth(const gt_result *r, const gt_name *zone, truth *t)
{
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        gt_trace_kind k = fd_kind_of(r, q);
        const gt_msg *m = gt_query_reply(r, q);
        if (q->has_referral && q->outcome == GT_OUT_REFERRAL && fd_follows(k) &&
            gt_name_eq(&q->referral.zone, zone)) {
            t->delegated = t->known = true;
            for (size_t n = 0; n < q->referral.nns; n++) {
                char b[GT_NAME_STRLEN];
                ts_add(&t->parent, fd_nm(&q->referral.ns[n], b, sizeof(b)));
            }
            bool any = false;
            textset dummy = {.n = 0};
            uint32_t ttl = ns_names(m, GT_SEC_AUTHORITY, zone, &dummy, &any);
            t->ttl = ttl > t->ttl ? ttl : t->ttl;
            t->has_parent = true;
        }
        if (k == GT_TRACE_CHECK && q->qtype == GT_TYPE_NS && gt_name_eq(&q->qname, zone) &&
            q->outcome == GT_OUT_ANSWER) {
            bool any = false;
            uint32_t ttl = ns_names(m, GT_SEC_ANSWER, zone, &t->child, &any);
            t->ttl = ttl > t->ttl ? ttl : t->ttl;
            t->has_child |= any;
        }
    }
}

/*
 * Whether the main trace shows that @p name is not delegated: the trace went below its parent
 * zone cut's level without a cut at @p name (it reached data or NXDOMAIN from a zone above).
 */
static bool undelegated(const gt_result *r, const gt_name *name)
{
    gt_trace_status s = r->traces[0]->status;
    if (s != GT_TS_ANSWER && s != GT_TS_NXDOMAIN && s != GT_TS_NODATA) {
        return false;
    }
    return gt_name_is_under(&r->qname, name);
}

static void addr_truth(const gt_result *r, const gt_name *name, uint16_t type, truth *t)
{
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        gt_trace_kind k = fd_kind_of(r, q);
        const gt_msg *m = gt_query_reply(r, q);
        if (q->has_referral && fd_follows(k)) {
            for (size_t n = 0; n < q->referral.nns; n++) {
                t->known |= gt_name_eq(&q->referral.ns[n], name);
            }
            for (size_t g = 0; g < q->referral.nglue; g++) {
                const gt_glue *gl = &q->referral.glue[g];
                char b[GT_ADDR_STRLEN];
                if (gt_name_eq(&gl->name, name) &&
                    gl->addr.family == (type == GT_TYPE_A ? AF_INET : AF_INET6)) {
                    ts_add(&t->parent, gt_addr_to_str(&gl->addr, b, sizeof(b)));
                    t->has_parent = true;
                }
            }
            for (size_t j = 0; m != NULL && j < m->count[GT_SEC_ADDITIONAL]; j++) {
                const gt_rr *rr = &m->rrs[GT_SEC_ADDITIONAL][j];
                if (rr->type == type && gt_name_eq(&rr->owner, name) && t->has_parent) {
                    t->ttl = rr->ttl > t->ttl ? rr->ttl : t->ttl;
                }
            }
        }
        if ((k == GT_TRACE_CHECK || k == GT_TRACE_SUBTRACE) && q->qtype == type &&
            gt_name_eq(&q->qname, name) && fd_is_final(q->outcome)) {
            bool any = false;
            uint32_t ttl = addr_texts(m, &q->cls.final_name, type, &t->child, &any);
            t->ttl = ttl > t->ttl ? ttl : t->ttl;
            t->has_child = true;
            t->known = true;
        }
    }
}

static void answer_truth(const gt_result *r, truth *t)
{
    size_t last = r->nlinks ? r->nlinks - 1 : 0, len = 0, shown = 0;
    t->answer[0] = '\0';
    for (size_t k = 0; k < r->nanswers; k++) {
        if (r->answers[k].link != last) {
            continue;
        }
        const gt_query *auth = r->queries[r->answers[k].first_query - 1];
        char x[GT_CENSUS_TEXT];
        fd_final_str(auth, x, sizeof(x));
        ts_add(&t->child, x);
        fd_cat(t->answer, sizeof(t->answer), &len, "%s{%s}", shown++ ? " or " : "", x);
        const gt_msg *m = gt_query_reply(r, auth);
        for (size_t j = 0; m != NULL && j < m->count[GT_SEC_ANSWER]; j++) {
            const gt_rr *rr = &m->rrs[GT_SEC_ANSWER][j];
            if (rr->type == r->qtype && gt_name_eq(&rr->owner, &auth->cls.final_name)) {
                t->ttl = rr->ttl > t->ttl ? rr->ttl : t->ttl;
            }
        }
        t->known = true;
    }
}

/* ---- one resolver reply ---- */

/** What one resolver reply says about its datum. */
typedef struct held {
    bool data;    /**< NOERROR or NXDOMAIN: judged by its content */
    textset set;  /**< NS names, addresses, or the final answer text */
    bool any;     /**< records of the datum were in it */
    bool has_ttl; /**< @ref ttl is set */
    uint32_t ttl; /**< remaining TTL: the shortest of the records judged (or the SOA's) */
    char text[GT_CENSUS_TEXT]; /**< what it holds, in words */
    char why[GT_CENSUS_TEXT];  /**< failed: why */
} held;

/* The EDE INFO-CODE's name (RFC 8914 section 5). */
static const char *ede_name(uint16_t c)
{
    static const char *const names[] = {
        "Other",
        "Unsupported DNSKEY Algorithm",
        "Unsupported DS Digest Type",
        "Stale Answer",
        "Forged Answer",
        "DNSSEC Indeterminate",
        "DNSSEC Bogus",
        "Signature Expired",
        "Signature Not Yet Valid",
        "DNSKEY Missing",
        "RRSIGs Missing",
        "No Zone Key Bit Set",
        "NSEC Missing",
        "Cached Error",
        "Not Ready",
        "Blocked",
        "Censored",
        "Filtered",
        "Prohibited",
        "Stale NXDOMAIN Answer",
        "Not Authoritative",
        "Not Supported",
        "No Reachable Authority",
        "Network Error",
        "Invalid Data",
    };
    return c < sizeof(names) / sizeof(names[0]) ? names[c] : "unknown";
}

/* The negative answer's remaining TTL: the SOA of the authority section (RFC 2308 5). */
static bool soa_ttl(const gt_msg *m, uint32_t *ttl)
{
    for (size_t i = 0; m != NULL && i < m->count[GT_SEC_AUTHORITY]; i++) {
        if (m->rrs[GT_SEC_AUTHORITY][i].type == GT_TYPE_SOA) {
            *ttl = m->rrs[GT_SEC_AUTHORITY][i].ttl;
            return true;
        }
    }
    return false;
}

/* The CD=1 re-ask of a SERVFAIL @p q, or NULL. */
static const gt_query *cd_twin(const gt_result *r, const gt_query *q)
{
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *o = r->queries[i];
        if (o->cd && o->sample == q->sample && o->qtype == q->qtype &&
            gt_addr_eq(&o->addr, &q->addr) && gt_name_eq(&o->qname, &q->qname) &&
            fd_kind_of(r, o) == GT_TRACE_RESOLVER) {
            return o;
        }
    }
    return NULL;
}

static void read_reply(const gt_result *r, const gt_query *q, gt_datum_kind kind, held *h)
{
    char rc[24];
    memset(h, 0, sizeof(*h));
    const gt_msg *m = q->reply;
    if (m == NULL) {
        snprintf(h->why, sizeof(h->why), "%s",
                 q->outcome == GT_OUT_TIMEOUT       ? "no reply (timeout)"
                 : q->outcome == GT_OUT_UNREACHABLE ? "unreachable (port unreachable or refused)"
                 : q->outcome == GT_OUT_MALFORMED   ? "malformed reply"
                                                    : "not asked (local error)");
        snprintf(h->text, sizeof(h->text), "no reply");
        return;
    }
    size_t len = 0;
    if (m->rcode != GT_RCODE_NOERROR && m->rcode != GT_RCODE_NXDOMAIN) {
        gt_rcode_to_str(m->rcode, rc, sizeof(rc));
        snprintf(h->text, sizeof(h->text), "%s", rc);
        fd_cat(h->why, sizeof(h->why), &len, "%s", rc);
        const gt_query *cd = m->rcode == GT_RCODE_SERVFAIL ? cd_twin(r, q) : NULL;
        if (cd != NULL && cd->reply != NULL &&
            (cd->reply->rcode == GT_RCODE_NOERROR || cd->reply->rcode == GT_RCODE_NXDOMAIN)) {
            char x[256];
            fd_cat(h->why, sizeof(h->why), &len,
                   ": the answer is DNSSEC-bogus, a validating resolver SERVFAILs (with CD=1 "
                   "it answers %s)",
                   cd->reply->rcode == GT_RCODE_NXDOMAIN ? "NXDOMAIN"
                   : cd->reply->count[GT_SEC_ANSWER]     ? fd_answer_str(cd, x, sizeof(x))
                                                         : "NODATA");
        } else if (cd != NULL) {
            fd_cat(h->why, sizeof(h->why), &len, " (also with CD=1: not a DNSSEC failure)");
        } else if (m->rcode == GT_RCODE_REFUSED) {
            fd_cat(h->why, sizeof(h->why), &len, ": the resolver does not serve this client");
        }
        for (size_t i = 0; i < m->nede; i++) {
            fd_cat(h->why, sizeof(h->why), &len, "; EDE %u %s", m->ede[i], ede_name(m->ede[i]));
        }
        return;
    }
    h->data = true;
    uint32_t ttl = 0;
    char b[GT_CENSUS_TEXT];
    if (kind == GT_DATUM_NS) {
        bool any = false;
        ns_names(m, GT_SEC_ANSWER, &q->qname, &h->set, &any);
        h->any = any;
    } else if (kind == GT_DATUM_ADDR) {
        bool any = false;
        addr_texts(m, &q->cls.final_name, q->qtype, &h->set, &any);
        h->any = any;
    } else {
        fd_final_str(q, b, sizeof(b));
        ts_add(&h->set, b);
        h->any = m->count[GT_SEC_ANSWER] > 0;
    }
    /* The remaining TTL: the shortest record of the answer (when it runs out, the resolver
     * asks again), or the negative answer's SOA. */
    for (size_t i = 0; i < m->count[GT_SEC_ANSWER]; i++) {
        uint32_t t = m->rrs[GT_SEC_ANSWER][i].ttl;
        if (!h->has_ttl || t < ttl) {
            ttl = t;
            h->has_ttl = true;
        }
    }
    if (!h->has_ttl) {
        h->has_ttl = soa_ttl(m, &ttl);
    }
    h->ttl = ttl;
    if (kind == GT_DATUM_ANSWER) {
        size_t tl = 0;
        h->text[0] = '\0';
        fd_cat(h->text, sizeof(h->text), &tl, "{%s}", b);
    } else if (!h->any) {
        snprintf(h->text, sizeof(h->text), "%s",
                 m->rcode == GT_RCODE_NXDOMAIN ? "NXDOMAIN" : "no data");
    } else {
        ts_str(&h->set, h->text, sizeof(h->text));
    }
}

/* ---- verdicts ---- */

static gt_census_verdict judge(const held *h, truth *t, gt_datum_kind kind, bool *unjudged)
{
    *unjudged = false;
    if (!h->data) {
        return GT_CV_FAILED;
    }
    textset got = h->set;
    if (kind == GT_DATUM_NS && !t->delegated) {
        if (!t->known) {
            /* the trace did not get that far down (it failed above): nothing to judge */
            *unjudged = true;
            return GT_CV_CURRENT;
        }
        /* Not delegated now, as the trace's authoritative end shows: an NS set held there is
         * a ghost. */
        return h->any ? GT_CV_GHOST : GT_CV_CURRENT;
    }
    if (kind == GT_DATUM_ANSWER) {
        if (!t->known) {
            *unjudged = true;
            return GT_CV_CURRENT;
        }
        for (size_t i = 0; i < t->child.n; i++) {
            if (strcmp(t->child.item[i], got.item[0]) == 0) {
                return GT_CV_CURRENT;
            }
        }
        return GT_CV_STALE;
    }
    bool p = t->has_parent && ts_eq(&got, &t->parent);
    bool c = t->has_child && ts_eq(&got, &t->child);
    bool sides_agree = !t->has_parent || !t->has_child || ts_eq(&t->parent, &t->child);
    if (!t->has_parent && !t->has_child) {
        *unjudged = true;
        return GT_CV_CURRENT;
    }
    if ((p || c) && sides_agree) {
        return GT_CV_CURRENT;
    }
    if (c) {
        return GT_CV_FOLLOWS_CHILD;
    }
    if (p) {
        return GT_CV_FOLLOWS_PARENT;
    }
    return GT_CV_STALE;
}

/* The zone a datum belongs to, for the flush command: NS sets their zone, the rest the
 * deepest zone cut of the trace above the name (the name itself when none is known). */
static void datum_zone(const gt_result *r, const gt_name *name, gt_datum_kind kind, gt_name *zone)
{
    *zone = *name;
    if (kind == GT_DATUM_NS) {
        return;
    }
    unsigned best = 0;
    bool found = false;
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (q->has_referral && q->outcome == GT_OUT_REFERRAL && fd_follows(fd_kind_of(r, q)) &&
            gt_name_is_under(name, &q->referral.zone) &&
            gt_name_labels(&q->referral.zone) >= best) {
            best = gt_name_labels(&q->referral.zone);
            *zone = q->referral.zone;
            found = true;
        }
    }
    (void)found;
}

static gt_census_datum *datum_for(gt_census_resolver *row, const gt_query *q, gt_datum_kind kind)
{
    for (size_t i = 0; i < row->ndata; i++) {
        gt_census_datum *d = &row->data[i];
        if (d->qtype == q->qtype && gt_name_eq(&d->name, &q->qname)) {
            return d;
        }
    }
    if (!gt_array_reserve((void **)&row->data, &row->capdata, row->ndata, sizeof(*row->data))) {
        return NULL;
    }
    gt_census_datum *d = &row->data[row->ndata++];
    memset(d, 0, sizeof(*d));
    d->kind = kind;
    d->name = q->qname;
    d->qtype = q->qtype;
    d->query = q->id;
    return d;
}

static void judge_query(gt_result *r, const gt_query *q, gt_census_datum *d, double base)
{
    truth t;
    memset(&t, 0, sizeof(t));
    if (d->kind == GT_DATUM_ANSWER) {
        answer_truth(r, &t);
        snprintf(d->authoritative, sizeof(d->authoritative), "%s",
                 t.known ? t.answer : "not known (the trace reached no authoritative data)");
    } else if (d->kind == GT_DATUM_NS) {
        ns_truth(r, &d->name, &t);
        char p[GT_CENSUS_TEXT], c[GT_CENSUS_TEXT];
        if (!t.delegated) {
            t.known = undelegated(r, &d->name);
            snprintf(d->authoritative, sizeof(d->authoritative), "%s",
                     t.known ? "not delegated (the parent has no NS set for it)"
                             : "not known (the trace reached no authoritative data)");
        } else if (t.has_child && !ts_eq(&t.parent, &t.child)) {
            snprintf(d->authoritative, sizeof(d->authoritative), "parent %s, child %s",
                     ts_str(&t.parent, p, sizeof(p)), ts_str(&t.child, c, sizeof(c)));
        } else {
            ts_str(&t.parent, d->authoritative, sizeof(d->authoritative));
        }
    } else {
        addr_truth(r, &d->name, d->qtype, &t);
        char p[GT_CENSUS_TEXT], c[GT_CENSUS_TEXT];
        if (t.has_parent && t.has_child && !ts_eq(&t.parent, &t.child)) {
            snprintf(d->authoritative, sizeof(d->authoritative), "glue %s, zone %s",
                     ts_str(&t.parent, p, sizeof(p)), ts_str(&t.child, c, sizeof(c)));
        } else if (t.has_parent || t.has_child) {
            ts_str(t.has_parent ? &t.parent : &t.child, d->authoritative, sizeof(d->authoritative));
        } else {
            snprintf(d->authoritative, sizeof(d->authoritative), "%s", "not on the current path");
        }
    }
    held h;
    read_reply(r, q, d->kind, &h);
    bool unjudged = false;
    gt_census_verdict v = judge(&h, &t, d->kind, &unjudged);
    bool stale_ede = false;
    for (size_t i = 0; q->reply != NULL && i < q->reply->nede; i++) {
        stale_ede |= q->reply->ede[i] == 3 || q->reply->ede[i] == 19;
    }
    if (stale_ede && !h.any && v == GT_CV_STALE) {
        /* served past its TTL without the data (BIND's stale NODATA for a delegation): the
         * resolver cannot reach the servers; that is a failure, not old data */
        v = GT_CV_FAILED;
        size_t wl = 0;
        h.why[0] = '\0';
        fd_cat(h.why, sizeof(h.why), &wl,
               "%s served past its TTL (EDE %u): the resolver cannot reach the authoritative "
               "servers",
               h.text, q->reply->ede[0]);
    }
    if (d->kind == GT_DATUM_ADDR && !t.has_parent && !t.has_child && h.data) {
        v = GT_CV_CURRENT; /* an NS name off the path: judged with the NS set that names it */
        unjudged = true;
    }
    if (d->samples == 0 || v > d->verdict) {
        d->verdict = v;
        snprintf(d->holds, sizeof(d->holds), "%s", h.text);
        snprintf(d->reason, sizeof(d->reason), "%s", h.why);
    }
    d->samples++;
    if (t.ttl > 0) {
        d->has_auth_ttl = true;
        d->auth_ttl = t.ttl;
    }
    d->ttl_exceeds |= d->has_auth_ttl && h.has_ttl && h.ttl > d->auth_ttl &&
                      (d->verdict == GT_CV_CURRENT || d->verdict == GT_CV_FOLLOWS_CHILD ||
                       d->verdict == GT_CV_FOLLOWS_PARENT);
    if (h.has_ttl) {
        double at = base + (q->sent_ms + q->rtt_ms) / 1000.0;
        double exp = at + h.ttl;
        if (!d->has_ttl || h.ttl < d->ttl_min) {
            d->ttl_min = h.ttl;
        }
        if (!d->has_ttl || h.ttl > d->ttl_max) {
            d->ttl_max = h.ttl;
        }
        if (!d->has_ttl || exp < d->expires_min) {
            d->expires_min = exp;
        }
        if (!d->has_ttl || exp > d->expires_max) {
            d->expires_max = exp;
        }
        d->has_ttl = true;
    }
    for (size_t i = 0; q->reply != NULL && i < q->reply->nede; i++) {
        if (!d->has_ede) {
            d->ede = q->reply->ede[i];
            d->has_ede = true;
        }
        d->served_stale |= q->reply->ede[i] == 3 || q->reply->ede[i] == 19;
    }
    (void)unjudged;
}

/* Addresses of NS names off the current path take the verdict of the NS set that names them;
 * an answer under a ghost zone is a ghost. */
static void propagate(gt_census_resolver *row)
{
    for (size_t i = 0; i < row->ndata; i++) {
        gt_census_datum *ns = &row->data[i];
        if (ns->kind != GT_DATUM_NS || (ns->verdict != GT_CV_STALE && ns->verdict != GT_CV_GHOST)) {
            continue;
        }
        for (size_t j = 0; j < row->ndata; j++) {
            gt_census_datum *d = &row->data[j];
            char n[GT_NAME_STRLEN];
            fd_nm(&d->name, n, sizeof(n));
            bool named = d->kind == GT_DATUM_ADDR && d->verdict == GT_CV_CURRENT &&
                         strstr(d->authoritative, "not on the current path") != NULL &&
                         strstr(ns->holds, n) != NULL;
            bool under = d->kind == GT_DATUM_ANSWER && ns->verdict == GT_CV_GHOST &&
                         d->verdict == GT_CV_STALE && gt_name_is_under(&d->name, &ns->name);
            if (named || under) {
                d->verdict = ns->verdict;
                d->zone = ns->name;
            }
        }
    }
}

/* ---- the findings ---- */

/* "N s left, until HH:MM:SS UTC" (a range over samples) into @p buf. */
static const char *until_str(const gt_census_datum *d, char *buf, size_t size)
{
    char a[32], b[32];
    if (!d->has_ttl) {
        snprintf(buf, size, "no TTL given");
    } else if (d->ttl_min == d->ttl_max) {
        snprintf(buf, size, "%u s left, until %s UTC", d->ttl_min,
                 gt_census_utc(d->expires_max, d->expires_max - d->ttl_max, a, 32));
    } else {
        snprintf(buf, size, "%u-%u s left, until %s-%s UTC", d->ttl_min, d->ttl_max,
                 gt_census_utc(d->expires_min, d->expires_max - d->ttl_max, a, 32),
                 gt_census_utc(d->expires_max, d->expires_max - d->ttl_max, b, 32));
    }
    return buf;
}

/* The fix for a stale or ghost resolver: its flush page or command, or waiting. */
/* snprintf into @p buf: a fix text cut at @p size is still a fix (long zone names). */
GT_PRINTF(3, 4) static void say(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(buf, size, fmt, ap);
    va_end(ap);
}

static const char *flush_str(const gt_census_resolver *row, const gt_census_datum *d, char *buf,
                             size_t size)
{
    char z[GT_NAME_STRLEN], t[32];
    fd_nm(&d->zone, z, sizeof(z));
    gt_census_utc(d->expires_max, d->expires_max - d->ttl_max, t, sizeof(t));
    if (strcmp(row->set, "google") == 0) {
        say(buf, size,
            "flush %s at https://developers.google.com/speed/public-dns/cache (each "
            "address is many caches), or wait until %s UTC",
            z, t);
    } else if (strcmp(row->set, "cloudflare") == 0) {
        say(buf, size, "purge %s at https://one.one.one.one/purge-cache/, or wait until %s UTC", z,
            t);
    } else if (row->set[0] != '\0' && strcmp(row->set, "system") != 0) {
        say(buf, size, "nothing to do but wait until %s UTC (%s offers no cache flush)", t,
            row->set);
    } else if (d->verdict == GT_CV_GHOST || !d->has_ttl) {
        say(buf, size,
            "flush %s on the resolver: unbound-control flush_zone %s | rndc flushtree %s | "
            "kresd: cache.clear('%s') | rec_control wipe-cache %s$",
            z, z, z, z, z);
    } else {
        say(buf, size,
            "flush %s on the resolver (unbound-control flush_zone %s | rndc flushtree %s | "
            "kresd: cache.clear('%s') | rec_control wipe-cache %s$), or nothing to do "
            "but wait until %s UTC",
            z, z, z, z, z, t);
    }
    return buf;
}

static gt_status row_findings(gt_result *r, const gt_census_resolver *row)
{
    char a[GT_ADDR_STRLEN], n[GT_NAME_STRLEN], type[16], u[128], fix[768];
    gt_addr_to_str(&row->addr, a, sizeof(a));
    /* one finding per resolver for each flag: its first datum, and how many more */
    size_t nstale = 0, nabove = 0;
    const gt_census_datum *fs = NULL, *fa = NULL;
    for (size_t i = 0; i < row->ndata; i++) {
        const gt_census_datum *d = &row->data[i];
        if (d->served_stale && nstale++ == 0) {
            fs = d;
        }
        if (d->ttl_exceeds && nabove++ == 0) {
            fa = d;
        }
    }
    if (fs != NULL) {
        fd_nm(&fs->name, n, sizeof(n));
        gt_type_to_str(fs->qtype, type, sizeof(type));
        ADD(r, GT_F_RESOLVER_SERVED_STALE, &fs->zone, fs->query, a,
            "the resolver %s serves %s %s %s past its TTL (EDE %u %s; RFC 8767 serve-stale: it "
            "cannot reach the authoritative servers)%s",
            a, n, type, fs->holds, fs->ede, ede_name(fs->ede),
            nstale > 1 ? "; more data of the census too" : "");
    }
    if (fa != NULL) {
        fd_nm(&fa->name, n, sizeof(n));
        gt_type_to_str(fa->qtype, type, sizeof(type));
        ADD(r, GT_F_RESOLVER_TTL_ABOVE_AUTH, &fa->zone, fa->query, a,
            "the resolver %s holds %s %s with %u s left, longer than the authoritative TTL %u s "
            "(%zu of the census's data so): not from a fresh fetch (a TTL floor, or the TTL "
            "was lowered since)",
            a, n, type, fa->ttl_max, fa->auth_ttl, nabove);
    }
    if (row->worst == SIZE_MAX) {
        return GT_OK;
    }
    const gt_census_datum *d = &row->data[row->worst];
    fd_nm(&d->name, n, sizeof(n));
    gt_type_to_str(d->qtype, type, sizeof(type));
    if (row->verdict == GT_CV_STALE || row->verdict == GT_CV_GHOST) {
        until_str(d, u, sizeof(u));
        flush_str(row, d, fix, sizeof(fix));
        if (row->verdict == GT_CV_GHOST) {
            ADD(r, GT_F_RESOLVER_GHOST, &d->zone, d->query, a,
                "the resolver %s holds %s %s %s, but the parent no longer delegates %s: a "
                "ghost (%s); fix: %s",
                a, n, type, d->holds, fd_nm(&d->zone, n, sizeof(n)), u, fix);
        } else {
            ADD(r, GT_F_RESOLVER_STALE, &d->zone, d->query, a,
                "the resolver %s holds %s %s %s; the authoritative servers say %s (%s); fix: %s", a,
                n, type, d->holds, d->authoritative, u, fix);
        }
    } else if (row->verdict == GT_CV_FAILED) {
        ADD(r, GT_F_RESOLVER_FAILED, &d->zone, d->query, a,
            "the resolver %s gives no data for %s %s: %s", a, n, type, d->reason);
    }
    return GT_OK;
}

static gt_datum_kind kind_of(const gt_result *r, const gt_query *q)
{
    if (q->qtype == r->qtype && gt_name_eq(&q->qname, &r->qname)) {
        return GT_DATUM_ANSWER;
    }
    return q->qtype == GT_TYPE_NS ? GT_DATUM_NS : GT_DATUM_ADDR;
}

gt_status fd_census(gt_result *r, const gt_config *cfg)
{
    if (!cfg->compare_resolver || cfg->nresolvers == 0) {
        return GT_OK;
    }
    gt_census *c = calloc(1, sizeof(*c));
    if (c == NULL) {
        return GT_ENOMEM;
    }
    r->census = c;
    c->resolvers = calloc(cfg->nresolvers, sizeof(*c->resolvers));
    if (c->resolvers == NULL) {
        return GT_ENOMEM;
    }
    c->asked_at = r->start_unix;
    double first = -1;
    for (size_t i = 0; i < cfg->nresolvers; i++) {
        gt_census_resolver *row = &c->resolvers[c->nresolvers++];
        row->addr = cfg->resolvers[i].addr;
        snprintf(row->set, sizeof(row->set), "%s", cfg->resolvers[i].set);
        row->worst = SIZE_MAX;
        for (size_t k = 0; k < r->nqueries; k++) {
            const gt_query *q = r->queries[k];
            if (fd_kind_of(r, q) != GT_TRACE_RESOLVER || !gt_addr_eq(&q->addr, &row->addr)) {
                continue;
            }
            row->queries++;
            if (q->sent_ms > 0 && (first < 0 || q->sent_ms < first)) {
                first = q->sent_ms;
            }
            if (q->cd) {
                continue;
            }
            gt_census_datum *d = datum_for(row, q, kind_of(r, q));
            if (d == NULL) {
                return GT_ENOMEM;
            }
            datum_zone(r, &d->name, d->kind, &d->zone);
            judge_query(r, q, d, r->start_unix);
        }
        row->asked = row->queries > 0;
        propagate(row);
        /* the worst verdict; among equal stale or ghost data the cause first: an NS set,
         * then addresses, then the answer that follows from them; among failures the answer */
        static const int cause[] = {[GT_DATUM_NS] = 0, [GT_DATUM_ADDR] = 1, [GT_DATUM_ANSWER] = 2};
        static const int failed[] = {[GT_DATUM_ANSWER] = 0, [GT_DATUM_NS] = 1, [GT_DATUM_ADDR] = 2};
        for (size_t j = 0; j < row->ndata; j++) {
            const gt_census_datum *x = &row->data[j];
            if (row->worst == SIZE_MAX || x->verdict > row->verdict ||
                (x->verdict == row->verdict &&
                 (x->verdict == GT_CV_FAILED ? failed : cause)[x->kind] <
                     (x->verdict == GT_CV_FAILED ? failed : cause)[row->data[row->worst].kind])) {
                row->verdict = x->verdict;
                row->worst = j;
            }
        }
        if (row->worst != SIZE_MAX && row->verdict == GT_CV_CURRENT) {
            row->worst = SIZE_MAX;
        }
        c->stale += row->verdict == GT_CV_STALE || row->verdict == GT_CV_GHOST;
        gt_status st = row_findings(r, row);
        if (st != GT_OK) {
            return st;
        }
    }
    if (first >= 0) {
        c->asked_at = r->start_unix + first / 1000.0;
    }
    return GT_OK;
}
