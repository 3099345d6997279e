/*
 * Findings derived from a finished trace. Everything here reads gt_result only; the codes,
 * severities and remedies are documented in docs/findings.md.
 */
#include "gluetrace/diagnose/findings.h"
#include "gluetrace/diagnose/network.h"

#include "gluetrace/diagnose/answers.h"
#include "gluetrace/wire/rdata.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* Small sets without duplicates, kept in plain arrays: the same three operations serve the
 * address sets and the NS-name sets below. */
typedef bool (*item_eq)(const void *x, const void *y);

static bool addr_item_eq(const void *x, const void *y)
{
    return gt_addr_eq(x, y);
}

static bool name_item_eq(const void *x, const void *y)
{
    return gt_name_eq(x, y);
}

/* Index of @p x among the @p n items of @p size bytes at @p items; @p n when absent. */
static size_t find_item(const void *items, size_t n, size_t size, const void *x, item_eq eq)
{
    for (size_t i = 0; i < n; i++) {
        if (eq((const char *)items + i * size, x)) {
            return i;
        }
    }
    return n;
}

/* Add @p x unless it is there already or the set holds @p cap items. */
static void add_item(void *items, size_t *n, size_t cap, size_t size, const void *x, item_eq eq)
{
    if (*n < cap && find_item(items, *n, size, x, eq) == *n) {
        memcpy((char *)items + *n * size, x, size);
        (*n)++;
    }
}

/* The same members (neither set holds a duplicate). */
static bool same_items(const void *a, size_t na, const void *b, size_t nb, size_t size, item_eq eq)
{
    if (na != nb) {
        return false;
    }
    for (size_t i = 0; i < na; i++) {
        if (find_item(b, nb, size, (const char *)a + i * size, eq) == nb) {
            return false;
        }
    }
    return true;
}

/** Most addresses compared in one address set. */
#define GT_MAX_SET 64

/** A small set of addresses (glue, sub-trace or resolver answers for one name and type). */
typedef struct addrset {
    gt_addr a[GT_MAX_SET];
    size_t n;
} addrset;

static void set_add(addrset *s, const gt_addr *a)
{
    add_item(s->a, &s->n, GT_MAX_SET, sizeof(s->a[0]), a, addr_item_eq);
}

static bool set_eq(const addrset *x, const addrset *y)
{
    return same_items(x->a, x->n, y->a, y->n, sizeof(x->a[0]), addr_item_eq);
}

/* Append printf-style at *len; a cut fills the buffer and leaves the text cut there. */
static void cat(char *buf, size_t size, size_t *len, const char *fmt, ...) GT_PRINTF(4, 5);
static void cat(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(buf + *len, size - *len, fmt, ap);
    va_end(ap);
    *len = w < 0 || (size_t)w >= size - *len ? size - 1 : *len + (size_t)w;
}

static const char *set_str(const addrset *s, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    if (s->n == 0) {
        snprintf(buf, size, "none");
        return buf;
    }
    for (size_t i = 0; i < s->n; i++) {
        char a[GT_ADDR_STRLEN];
        cat(buf, size, &len, "%s%s", i ? ", " : "", gt_addr_to_str(&s->a[i], a, sizeof(a)));
    }
    return buf;
}

static const char *nm(const gt_name *n, char *buf, size_t size)
{
    gt_name_to_str(n, buf, size);
    return buf;
}

static bool follows(gt_trace_kind k)
{
    return k == GT_TRACE_MAIN || k == GT_TRACE_SUBTRACE || k == GT_TRACE_CNAME;
}

static gt_trace_kind kind_of(const gt_result *r, const gt_query *q)
{
    return r->traces[q->trace]->kind;
}

/* An authoritative final reply: data, alias, or a negative answer. */
static bool is_final(gt_outcome o)
{
    return o == GT_OUT_ANSWER || o == GT_OUT_CNAME || o == GT_OUT_NXDOMAIN || o == GT_OUT_NODATA;
}

static bool is_addr_type(uint16_t t)
{
    return t == GT_TYPE_A || t == GT_TYPE_AAAA;
}

/* Addresses of type @p type owned by @p owner in a reply's answer section. */
static void answer_addrs(const gt_result *r, const gt_query *q, const gt_name *owner, uint16_t type,
                         addrset *out)
{
    const gt_msg *m = gt_query_reply(r, q);
    for (size_t i = 0; m != NULL && i < m->count[GT_SEC_ANSWER]; i++) {
        const gt_rr *rr = &m->rrs[GT_SEC_ANSWER][i];
        if (rr->type == type && rr->rdlen == (type == GT_TYPE_A ? 4 : 16) &&
            gt_name_eq(&rr->owner, owner)) {
            gt_addr a;
            gt_addr_from_bytes(&a, rr->rdata, rr->rdlen);
            set_add(out, &a);
        }
    }
}

/* The same answer: equal outcome and equal records that answer (TTLs and order aside). */
static bool answers_eq(const gt_query *x, const gt_query *y)
{
    char *kx = gt_answer_key(x), *ky = gt_answer_key(y);
    bool eq = kx != NULL && ky != NULL && strcmp(kx, ky) == 0;
    free(kx);
    free(ky);
    return eq;
}

/* "TYPE data" of one record into @p buf. */
static const char *rr_brief(const gt_rr *rr, char *buf, size_t size)
{
    char type[16], data[512];
    if (gt_rdata_to_str(rr->type, rr->rdata, rr->rdlen, data, sizeof(data)) == 0) {
        snprintf(data, sizeof(data), "(%u bytes)", (unsigned)rr->rdlen);
    }
    snprintf(buf, size, "%s %s", gt_type_to_str(rr->type, type, sizeof(type)), data);
    return buf;
}

/*
 * A short text of what a reply answers: "A 192.0.2.1, A 192.0.2.2" or "NXDOMAIN"; only the
 * records that answer the question (gt_answer_chain()).
 */
static const char *answer_str(const gt_query *q, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    if (q->outcome == GT_OUT_NXDOMAIN || q->outcome == GT_OUT_NODATA) {
        snprintf(buf, size, "%s", q->outcome == GT_OUT_NXDOMAIN ? "NXDOMAIN" : "NODATA");
        return buf;
    }
    const gt_msg *m = q->reply;
    size_t n = m ? m->count[GT_SEC_ANSWER] : 0;
    bool *in = n ? calloc(n, sizeof(bool)) : NULL;
    if (in != NULL) {
        gt_answer_chain(m, &q->qname, q->qtype, &q->zone, in);
    }
    for (size_t i = 0, shown = 0; i < n; i++) {
        char one[600];
        if (in != NULL && !in[i]) {
            continue;
        }
        cat(buf, size, &len, "%s%s", shown++ ? ", " : "",
            rr_brief(&m->rrs[GT_SEC_ANSWER][i], one, sizeof(one)));
    }
    free(in);
    return buf;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/** Most records of the final RRset compared with the resolver's. */
#define GT_MAX_FINAL_RRS 64

/*
 * The end of a reply's alias chain: "NXDOMAIN", "NODATA", or its records of the asked type at
 * the chain's final name ("A 192.0.2.1, A 192.0.2.2", sorted). Alias links in between are
 * left out: they come from other zones' replies in the trace.
 */
static const char *final_str(const gt_query *q, char *buf, size_t size)
{
    char texts[GT_MAX_FINAL_RRS][600];
    const char *sorted[GT_MAX_FINAL_RRS];
    size_t n = 0, len = 0;
    buf[0] = '\0';
    if (q->outcome == GT_OUT_NXDOMAIN || q->outcome == GT_OUT_NODATA) {
        snprintf(buf, size, "%s", q->outcome == GT_OUT_NXDOMAIN ? "NXDOMAIN" : "NODATA");
        return buf;
    }
    const gt_msg *m = q->reply;
    for (size_t i = 0; m != NULL && i < m->count[GT_SEC_ANSWER] && n < GT_MAX_FINAL_RRS; i++) {
        const gt_rr *rr = &m->rrs[GT_SEC_ANSWER][i];
        if (rr->type == q->qtype && gt_name_eq(&rr->owner, &q->cls.final_name)) {
            sorted[n] = rr_brief(rr, texts[n], sizeof(texts[n]));
            n++;
        }
    }
    qsort(sorted, n, sizeof(sorted[0]), cmp_str);
    for (size_t i = 0; i < n; i++) {
        cat(buf, size, &len, "%s%s", i ? ", " : "", sorted[i]);
    }
    return buf;
}

#define ADD(...)                                                                                   \
    do {                                                                                           \
        if (gt_result_add_finding(__VA_ARGS__) != GT_OK) {                                         \
            return GT_ENOMEM;                                                                      \
        }                                                                                          \
    } while (0)

/* TRUNCATED_REFERRAL for the truncated UDP query r->queries[i]: what its TCP retry brought. */
static gt_status truncated(gt_result *r, size_t i)
{
    char b1[GT_NAME_STRLEN];
    const gt_query *q = r->queries[i];
    const gt_query *tcp = NULL;
    for (size_t j = i + 1; j < r->nqueries && tcp == NULL; j++) {
        if (r->queries[j]->retry_of == q->id) {
            tcp = r->queries[j];
        }
    }
    size_t udp_glue = 0;
    for (size_t j = 0; q->reply != NULL && j < q->reply->count[GT_SEC_ADDITIONAL]; j++) {
        udp_glue += is_addr_type(q->reply->rrs[GT_SEC_ADDITIONAL][j].type);
    }
    if (tcp != NULL && tcp->has_referral) {
        ADD(r, GT_F_TRUNCATED_REFERRAL, &q->zone, q->id, NULL,
            "truncated (TC=1) over UDP with %zu address records; over TCP the referral "
            "to %s carried %zu glue records%s",
            udp_glue, nm(&tcp->referral.zone, b1, sizeof(b1)), tcp->referral.nglue,
            tcp->referral.nglue > udp_glue ? " (UDP lost glue)" : "");
    } else {
        ADD(r, GT_F_TRUNCATED_REFERRAL, &q->zone, q->id, NULL,
            "truncated (TC=1) over UDP; retried over TCP%s",
            tcp == NULL ? " was not possible" : "");
    }
    return GT_OK;
}

/* LAME_SERVER, UPWARD_REFERRAL, MALFORMED_RESPONSE, TRUNCATED_REFERRAL per query. */
static gt_status per_query(gt_result *r)
{
    char b1[GT_NAME_STRLEN], b2[GT_NAME_STRLEN], rc[24];
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        gt_trace_kind k = kind_of(r, q);
        if (k == GT_TRACE_RESOLVER || q->cached_from) {
            continue;
        }
        switch (q->outcome) {
        case GT_OUT_LAME:
            if (q->cls.lame == GT_LAME_DS_REFERRAL) {
                ADD(r, GT_F_LAME_SERVER, &q->zone, q->id, NULL,
                    "lame for DS: asked for the DS of %s, it refers to that child zone; DS lives "
                    "at the parent (RFC 4035 section 3.1.4.1), so the servers of %s must answer "
                    "it (the child is not asked)",
                    nm(&q->qname, b1, sizeof(b1)), nm(&q->zone, b2, sizeof(b2)));
            } else if (q->cls.lame == GT_LAME_RCODE && q->reply != NULL) {
                ADD(r, GT_F_LAME_SERVER, &q->zone, q->id, NULL,
                    "lame: answers %s instead of serving zone %s",
                    gt_rcode_to_str(q->reply->rcode, rc, sizeof(rc)), nm(&q->zone, b2, sizeof(b2)));
            } else {
                ADD(r, GT_F_LAME_SERVER, &q->zone, q->id, NULL,
                    "lame: not authoritative for zone %s (answers without AA and without a "
                    "referral)",
                    nm(&q->zone, b2, sizeof(b2)));
            }
            break;
        case GT_OUT_UPWARD:
            ADD(r, GT_F_LAME_SERVER, &q->zone, q->id, NULL,
                "lame: asked as a server of %s, it refers to %s (the same or an upper zone)",
                nm(&q->zone, b2, sizeof(b2)), nm(&q->cls.zone, b1, sizeof(b1)));
            ADD(r, GT_F_UPWARD_REFERRAL, &q->zone, q->id, NULL,
                "upward referral to %s: no progress is possible through this server",
                nm(&q->cls.zone, b1, sizeof(b1)));
            break;
        case GT_OUT_SIDEWAYS:
            ADD(r, GT_F_LAME_SERVER, &q->zone, q->id, NULL,
                "lame: asked as a server of %s, it refers sideways to %s",
                nm(&q->zone, b2, sizeof(b2)), nm(&q->cls.zone, b1, sizeof(b1)));
            break;
        case GT_OUT_MALFORMED:
            ADD(r, GT_F_MALFORMED_RESPONSE, &q->zone, q->id, NULL,
                "reply for %s could not be used: %s", nm(&q->qname, b1, sizeof(b1)),
                q->net_status == GT_ESHORTREAD
                    ? "the TCP stream ended inside the message (a length prefix promised more "
                      "bytes than came before the server closed)"
                : q->reply == NULL ? "not a valid DNS message (truncated or corrupt)"
                : q->tcp && q->reply->tc && gt_reply_matches(q->reply, &q->qname, q->qtype)
                    ? "TC=1 over TCP, where a reply is never truncated (RFC 7766); its data "
                      "was not used"
                    : "it does not answer the question that was asked");
            break;
        case GT_OUT_TRUNCATED:
            if (truncated(r, i) != GT_OK) {
                return GT_ENOMEM;
            }
            break;
        default:
            break;
        }
    }
    return GT_OK;
}

/* MISSING_GLUE and IGNORED_GLUE per referral. */
static gt_status per_referral(gt_result *r)
{
    char b1[GT_NAME_STRLEN], b2[GT_NAME_STRLEN], a[GT_ADDR_STRLEN];
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (!q->has_referral || q->cached_from || q->outcome != GT_OUT_REFERRAL ||
            !follows(kind_of(r, q))) {
            continue;
        }
        const gt_referral *ref = &q->referral;
        for (size_t n = 0; n < ref->nns; n++) {
            if (!gt_name_is_under(&ref->ns[n], &ref->zone)) {
                continue;
            }
            bool glued = false;
            for (size_t g = 0; g < ref->nglue && !glued; g++) {
                glued = gt_name_eq(&ref->glue[g].name, &ref->ns[n]);
            }
            if (!glued) {
                ADD(r, GT_F_MISSING_GLUE, &ref->zone, q->id, NULL,
                    "referral to %s lists in-domain NS %s without glue (RFC 9471 requires "
                    "it): resolvers must find its address some other way",
                    nm(&ref->zone, b1, sizeof(b1)), nm(&ref->ns[n], b2, sizeof(b2)));
            }
        }
        if (ref->ns_dropped > 0 || ref->glue_dropped > 0) {
            ADD(r, GT_F_LIMIT_REACHED, &ref->zone, q->id, NULL,
                "referral to %s is larger than followed: %zu NS names beyond the first %d and "
                "%zu glue records beyond %d were not used",
                nm(&ref->zone, b1, sizeof(b1)), ref->ns_dropped, GT_MAX_NS_PER_REFERRAL,
                ref->glue_dropped, GT_MAX_GLUE_PER_REFERRAL);
        }
        if (ref->ignored_dropped > 0) {
            ADD(r, GT_F_LIMIT_REACHED, &ref->zone, q->id, NULL,
                "referral to %s: %zu more ignored additional records not listed (limit %d)",
                nm(&ref->zone, b1, sizeof(b1)), ref->ignored_dropped, GT_MAX_IGNORED_PER_REFERRAL);
        }
        for (size_t g = 0; g < ref->nignored; g++) {
            const gt_ignored *ig = &ref->ignored[g];
            if (!is_addr_type(ig->type)) {
                continue;
            }
            ADD(r, GT_F_IGNORED_GLUE, &ref->zone, q->id, NULL,
                "ignored %s %s in the referral to %s: %s (never used)",
                nm(&ig->name, b1, sizeof(b1)), gt_addr_to_str(&ig->addr, a, sizeof(a)),
                nm(&ref->zone, b2, sizeof(b2)), ig->reason);
        }
    }
    return GT_OK;
}

/* The first query of trace @p t to @p a (as a server of @p zone when non-NULL), or NULL. */
static const gt_query *asked_in_trace(const gt_result *r, gt_trace_id t, const gt_addr *a,
                                      const gt_name *zone)
{
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (q->trace == t && gt_addr_eq(&q->addr, a) &&
            (zone == NULL || gt_name_eq(&q->zone, zone))) {
            return q;
        }
    }
    return NULL;
}

/* ALREADY_ASKED: a glued server of a followed referral that its trace never asked as such. */
static gt_status skipped_servers(gt_result *r)
{
    char b1[GT_NAME_STRLEN], b2[GT_NAME_STRLEN], b3[GT_NAME_STRLEN], a[GT_ADDR_STRLEN];
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (!q->has_referral || q->outcome != GT_OUT_REFERRAL || q->cached_from ||
            !follows(kind_of(r, q))) {
            continue;
        }
        const gt_referral *ref = &q->referral;
        for (size_t g = 0; g < ref->nglue; g++) {
            const gt_glue *gl = &ref->glue[g];
            if (asked_in_trace(r, q->trace, &gl->addr, &ref->zone) != NULL) {
                continue;
            }
            const gt_query *before = asked_in_trace(r, q->trace, &gl->addr, NULL);
            if (before == NULL || gt_name_eq(&before->zone, &ref->zone)) {
                continue; /* not asked for another reason (family, budget, ...) */
            }
            ADD(r, GT_F_ALREADY_ASKED, &ref->zone, q->id, NULL,
                "%s %s, listed for %s, was not asked as its server: this trace already asked "
                "that address as a server of %s (query #%zu)",
                nm(&gl->name, b1, sizeof(b1)), gt_addr_to_str(&gl->addr, a, sizeof(a)),
                nm(&ref->zone, b2, sizeof(b2)), nm(&before->zone, b3, sizeof(b3)), before->id);
        }
    }
    return GT_OK;
}

/* UNREACHABLE_SERVER: an address none of whose queries got a reply. */
static gt_status unreachable(gt_result *r)
{
    char a[GT_ADDR_STRLEN], b1[GT_NAME_STRLEN], b2[GT_NAME_STRLEN];
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if ((q->outcome != GT_OUT_TIMEOUT && q->outcome != GT_OUT_UNREACHABLE) ||
            q->net_status == GT_ENETUNREACH) {
            continue;
        }
        bool replied = false, first = true;
        for (size_t j = 0; j < r->nqueries && !replied; j++) {
            const gt_query *o = r->queries[j];
            if (o->cached_from || !gt_addr_eq(&o->addr, &q->addr)) {
                continue;
            }
            replied = o->reply != NULL || o->reply_len > 0;
            if (j < i && (o->outcome == GT_OUT_TIMEOUT || o->outcome == GT_OUT_UNREACHABLE)) {
                first = false; /* reported with the earlier query */
            }
        }
        if (replied || !first) {
            continue;
        }
        ADD(r, GT_F_UNREACHABLE_SERVER, &q->zone, q->id, NULL,
            "%s (%s) for zone %s: %s on every try", gt_addr_to_str(&q->addr, a, sizeof(a)),
            q->server_name.len ? nm(&q->server_name, b1, sizeof(b1)) : "no name",
            nm(&q->zone, b2, sizeof(b2)),
            q->outcome == GT_OUT_TIMEOUT ? "no reply" : "port unreachable / refused");
    }
    return GT_OK;
}

/* INCONSISTENT_REFERRALS and INCONSISTENT_ANSWERS among servers of one zone in one trace. */
static gt_status inconsistencies(gt_result *r)
{
    char b1[GT_NAME_STRLEN], b2[GT_NAME_STRLEN], x1[1024], x2[1024];
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (q->cached_from || !follows(kind_of(r, q))) {
            continue;
        }
        bool ref = q->outcome == GT_OUT_REFERRAL && q->has_referral;
        bool ans = is_final(q->outcome);
        if (!ref && !ans) {
            continue;
        }
        /* Compare with the first earlier query of the same trace and zone of the same kind. */
        for (size_t j = 0; j < i; j++) {
            const gt_query *o = r->queries[j];
            if (o->cached_from || o->trace != q->trace || !gt_name_eq(&o->zone, &q->zone)) {
                continue;
            }
            if (ref && o->outcome == GT_OUT_REFERRAL && o->has_referral &&
                gt_name_eq(&o->referral.zone, &q->referral.zone)) {
                if (!gt_referral_same(&o->referral, &q->referral)) {
                    ADD(r, GT_F_INCONSISTENT_REFERRALS, &q->zone, q->id, NULL,
                        "servers of %s refer to %s differently: query #%zu got %zu NS and %zu "
                        "glue, query #%zu got %zu NS and %zu glue",
                        nm(&q->zone, b1, sizeof(b1)), nm(&q->referral.zone, b2, sizeof(b2)), o->id,
                        o->referral.nns, o->referral.nglue, q->id, q->referral.nns,
                        q->referral.nglue);
                }
                break;
            }
            if (ans && is_final(o->outcome)) {
                if (!answers_eq(o, q)) {
                    ADD(r, GT_F_INCONSISTENT_ANSWERS, &q->zone, q->id, NULL,
                        "authoritative servers of %s disagree on %s: query #%zu got %s, query "
                        "#%zu got %s",
                        nm(&q->zone, b1, sizeof(b1)), nm(&q->qname, b2, sizeof(b2)), o->id,
                        answer_str(o, x1, sizeof(x1)), q->id, answer_str(q, x2, sizeof(x2)));
                }
                break;
            }
        }
    }
    return GT_OK;
}

/** Most NS names compared on each side of a delegation. */
#define GT_MAX_NSSET (GT_MAX_NS_PER_REFERRAL * 2)

/** A set of NS names (one side of a delegation). */
typedef struct nsset {
    gt_name n[GT_MAX_NSSET];
    size_t len;
} nsset;

static void ns_add(nsset *s, const gt_name *x)
{
    add_item(s->n, &s->len, GT_MAX_NSSET, sizeof(s->n[0]), x, name_item_eq);
}

/* The first followed referral whose NS set names @p ns, or NULL. */
static const gt_query *referral_naming(const gt_result *r, const gt_name *ns)
{
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (!q->has_referral || q->outcome != GT_OUT_REFERRAL || !follows(kind_of(r, q))) {
            continue;
        }
        for (size_t n = 0; n < q->referral.nns; n++) {
            if (gt_name_eq(&q->referral.ns[n], ns)) {
                return q;
            }
        }
    }
    return NULL;
}

/*
 * NS_IS_CNAME: an NS name whose address lookup (sub-trace or check) met a CNAME. Reported
 * once per alias, on the delegation whose NS record names it (parent and delegated zone),
 * however many servers and lookups saw the alias.
 */
static gt_status ns_cname(gt_result *r)
{
    char b1[GT_NAME_STRLEN], b2[GT_NAME_STRLEN], b3[GT_NAME_STRLEN], b4[GT_NAME_STRLEN];
    nsset done;
    done.len = 0;
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        gt_trace_kind k = kind_of(r, q);
        if ((k != GT_TRACE_SUBTRACE && k != GT_TRACE_CHECK) || !is_addr_type(q->qtype) ||
            q->reply == NULL || !q->reply->aa) {
            continue;
        }
        bool alias = q->outcome == GT_OUT_CNAME ||
                     ((q->outcome == GT_OUT_ANSWER || q->outcome == GT_OUT_NXDOMAIN ||
                       q->outcome == GT_OUT_NODATA) &&
                      q->cls.cname_links > 0);
        if (!alias ||
            find_item(done.n, done.len, sizeof(done.n[0]), &q->qname, name_item_eq) < done.len) {
            continue;
        }
        ns_add(&done, &q->qname);
        const gt_query *ref = referral_naming(r, &q->qname);
        if (ref == NULL) {
            ADD(r, GT_F_NS_IS_CNAME, &q->zone, q->id, NULL,
                "NS name %s is an alias (CNAME to %s); RFC 2181 section 10.3 forbids NS "
                "records that point at a CNAME, and many resolvers reject the delegation",
                nm(&q->qname, b1, sizeof(b1)), nm(&q->cls.final_name, b2, sizeof(b2)));
            continue;
        }
        ADD(r, GT_F_NS_IS_CNAME, &ref->referral.zone, ref->id, NULL,
            "the delegation of %s from %s names NS %s, an alias (CNAME to %s); RFC 2181 "
            "section 10.3 forbids NS records that point at a CNAME, and many resolvers reject "
            "the delegation",
            nm(&ref->referral.zone, b3, sizeof(b3)), nm(&ref->zone, b4, sizeof(b4)),
            nm(&q->qname, b1, sizeof(b1)), nm(&q->cls.final_name, b2, sizeof(b2)));
    }
    return GT_OK;
}

/* The glue for @p ns of type @p type (A or AAAA) in one referral. */
static void glue_of(const gt_referral *ref, const gt_name *ns, uint16_t type, addrset *out)
{
    int fam = type == GT_TYPE_A ? AF_INET : AF_INET6;
    for (size_t g = 0; g < ref->nglue; g++) {
        const gt_glue *gl = &ref->glue[g];
        if (gl->addr.family == fam && gt_name_eq(&gl->name, ns)) {
            set_add(out, &gl->addr);
        }
    }
}

/* Parent glue for @p ns of type @p type in referrals to @p zone (main path traces). */
static void parent_glue(const gt_result *r, const gt_name *zone, const gt_name *ns, uint16_t type,
                        addrset *out)
{
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (q->has_referral && q->outcome == GT_OUT_REFERRAL &&
            gt_name_eq(&q->referral.zone, zone)) {
            glue_of(&q->referral, ns, type, out);
        }
    }
}

static const char *ns_str(const nsset *s, char *buf, size_t size)
{
    char b[GT_NAME_STRLEN];
    size_t len = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < s->len; k++) {
        cat(buf, size, &len, "%s%s", k ? ", " : "", nm(&s->n[k], b, sizeof(b)));
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
            ns_add(out, &target);
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
        if (q->has_referral && q->outcome == GT_OUT_REFERRAL && follows(kind_of(r, q)) &&
            gt_name_eq(&q->referral.zone, &tr->zone)) {
            for (size_t n = 0; n < q->referral.nns; n++) {
                ns_add(&parent, &q->referral.ns[n]);
            }
        }
        const gt_msg *qm = gt_query_reply(r, q);
        if (q->trace == t && q->outcome == GT_OUT_ANSWER && qm != NULL) {
            child_seen = true;
            apex_ns(qm, &child);
        }
    }
    if (child_seen && parent.len > 0 &&
        !same_items(parent.n, parent.len, child.n, child.len, sizeof(parent.n[0]), name_item_eq)) {
        ADD(r, GT_F_NS_SET_MISMATCH, &tr->zone, 0, NULL,
            "the parent delegates %s to {%s}; the zone's own apex NS set is {%s}",
            nm(&tr->zone, b, sizeof(b)), ns_str(&parent, s1, sizeof(s1)),
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
            if (follows(kind_of(r, q)) && gt_name_eq(&q->zone, zone) &&
                gt_addr_eq(&q->addr, &s->a[k])) {
                was_asked = true;
                ok |= is_final(q->outcome);
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
        if (find_item(glue->a, glue->n, sizeof(glue->a[0]), &child->a[k], addr_item_eq) ==
            glue->n) {
            set_add(&only_child, &child->a[k]);
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
            answer_addrs(r, q, &q->cls.final_name, tr->qtype, &childset);
        }
    }
    parent_glue(r, &tr->zone, &tr->name, tr->qtype, &glue);
    if (!child_auth || (glue.n == 0 && childset.n == 0) || set_eq(&glue, &childset)) {
        return GT_OK;
    }
    char both[256];
    both_sets(r, &tr->zone, &glue, &childset, both, sizeof(both));
    ADD(r, GT_F_GLUE_MISMATCH, &tr->zone, 0, NULL,
        "%s %s: the parent's glue says {%s}, the zone %s itself says {%s}%s",
        nm(&tr->name, b1, sizeof(b1)), gt_type_to_str(tr->qtype, type, sizeof(type)),
        set_str(&glue, s1, sizeof(s1)), nm(&tr->zone, b2, sizeof(b2)),
        set_str(&childset, s2, sizeof(s2)), both);
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
        cat(list, sizeof(list), &len, "%s%s %s: %u", k ? ", " : "",
            who[k]->server_name.len ? nm(&who[k]->server_name, srv, sizeof(srv)) : "-",
            gt_addr_to_str(&who[k]->addr, a, sizeof(a)), (unsigned)serials[k]);
    }
    ADD(r, GT_F_SERIAL_MISMATCH, &tr->zone, 0, NULL,
        "the servers of %s serve different SOA serials: %s", nm(&tr->zone, b, sizeof(b)), list);
    return GT_OK;
}

static size_t what_servers_did(const gt_result *r, gt_trace_id t, const gt_name *z, char *buf,
                               size_t size);

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
        if (is_final(q->outcome)) {
            return GT_OK;
        }
        asked++;
    }
    if (asked == 0 || r->interrupted) {
        return GT_OK; /* nothing asked (budget, family): other findings say why */
    }
    what_servers_did(r, t, &tr->zone, did, sizeof(did));
    ADD(r, GT_F_CHECK_INCOMPLETE, &tr->zone, 0, NULL,
        "the delegation check of %s (%s %s) could not be completed: no authoritative reply "
        "from the %zu %s asked (%s)",
        nm(&tr->zone, b1, sizeof(b1)), nm(&tr->name, b2, sizeof(b2)),
        gt_type_to_str(tr->qtype, type, sizeof(type)), asked, asked == 1 ? "query" : "queries",
        did);
    return GT_OK;
}

/* GLUE_MISMATCH and NS_SET_MISMATCH from the delegation-check traces. */
static gt_status delegation_checks(gt_result *r)
{
    for (size_t t = 0; t < r->ntraces; t++) {
        if (r->traces[t]->kind != GT_TRACE_CHECK) {
            continue;
        }
        if (check_incomplete(r, t) != GT_OK) {
            return GT_ENOMEM;
        }
        uint16_t qt = r->traces[t]->qtype;
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
    if (!is_addr_type(tr->qtype) || checked_in_child(r, &tr->name, tr->qtype)) {
        return GT_OK;
    }
    addrset glue, child;
    memset(&glue, 0, sizeof(glue));
    memset(&child, 0, sizeof(child));
    const gt_query *owner = NULL, *carrier = NULL;
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (q->trace == t && is_final(q->outcome) && q->cached_from == 0) {
            owner = owner ? owner : q;
            answer_addrs(r, q, &q->cls.final_name, tr->qtype, &child);
        }
        if (q->has_referral && q->outcome == GT_OUT_REFERRAL && follows(kind_of(r, q))) {
            size_t before = glue.n;
            glue_of(&q->referral, &tr->name, tr->qtype, &glue);
            carrier = carrier == NULL && glue.n > before ? q : carrier;
        }
    }
    if (owner == NULL || carrier == NULL || set_eq(&glue, &child)) {
        return GT_OK;
    }
    ADD(r, GT_F_GLUE_MISMATCH, &carrier->referral.zone, carrier->id, NULL,
        "%s %s: the glue in the referral to %s says {%s}, the zone %s that owns the name says "
        "{%s}",
        nm(&tr->name, b1, sizeof(b1)), gt_type_to_str(tr->qtype, type, sizeof(type)),
        nm(&carrier->referral.zone, b2, sizeof(b2)), set_str(&glue, s1, sizeof(s1)),
        nm(&owner->zone, b3, sizeof(b3)), set_str(&child, s2, sizeof(s2)));
    return GT_OK;
}

/* GLUE_MISMATCH wherever glue is used outside the delegation checks: see subtrace_glue(). */
static gt_status glue_elsewhere(gt_result *r)
{
    for (size_t t = 0; t < r->ntraces; t++) {
        if (r->traces[t]->kind == GT_TRACE_SUBTRACE && subtrace_glue(r, t) != GT_OK) {
            return GT_ENOMEM;
        }
    }
    return GT_OK;
}

/* NO_ADDRESS: a glueless NS name whose sub-traces found no address at all. */
static gt_status no_address(gt_result *r)
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
        ADD(r, GT_F_NO_ADDRESS, NULL, tr->requested_by, NULL,
            "NS name %s has no address: its sub-trace from the root ended %s",
            nm(&tr->name, b1, sizeof(b1)), gt_trace_status_str(tr->status));
    }
    return GT_OK;
}

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
    final_str(q, x1, sizeof(x1));
    for (size_t k = 0; k < r->nanswers && !matched; k++) {
        const gt_query *auth = r->queries[r->answers[k].first_query - 1];
        matched = r->answers[k].link == last && strcmp(final_str(auth, x2, sizeof(x2)), x1) == 0;
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
        cat(s2, sizeof(s2), &l2, "%s{%s}", shown++ ? " or " : "", final_str(auth, x2, sizeof(x2)));
    }
    ADD(r, GT_F_RESOLVER_ANSWER_DIFFERS, NULL, q->id, NULL,
        "the resolver %s answers {%s} for %s; the authoritative servers answer %s",
        gt_addr_to_str(&q->addr, a, sizeof(a)), x1, nm(&q->qname, b1, sizeof(b1)), s2);
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
        if (!o->has_referral || !follows(kind_of(r, o))) {
            continue;
        }
        for (size_t n = 0; n < o->referral.nns; n++) {
            *is_ns |= gt_name_eq(&o->referral.ns[n], &q->qname);
        }
        glue_of(&o->referral, &q->qname, q->qtype, mine);
    }
    const char *source = "the parent's glue";
    for (size_t t = 0; t < r->ntraces; t++) {
        const gt_tracerec *tr = r->traces[t];
        if (tr->kind == GT_TRACE_SUBTRACE && tr->qtype == q->qtype &&
            gt_name_eq(&tr->name, &q->qname)) {
            for (size_t k = 0; k < tr->naddrs; k++) {
                set_add(mine, &tr->addrs[k]);
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
        gt_trace_kind k = kind_of(r, q);
        if ((k == GT_TRACE_CHECK || k == GT_TRACE_SUBTRACE) && q->qtype == qtype &&
            gt_name_eq(&q->qname, name) && is_final(q->outcome)) {
            seen = true;
            answer_addrs(r, q, &q->cls.final_name, qtype, out);
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
    answer_addrs(r, q, &q->cls.final_name, q->qtype, &theirs);
    if (set_eq(&mine, &theirs)) {
        return GT_OK;
    }
    addrset child;
    memset(&child, 0, sizeof(child));
    if (child_data(r, &q->qname, q->qtype, &child) && set_eq(&child, &theirs)) {
        ADD(r, GT_F_RESOLVER_FOLLOWS_CHILD, NULL, q->id, NULL,
            "the resolver %s says %s %s is {%s}: that is the zone's own data, not the "
            "parent's glue {%s}; the resolver follows the child zone, the fix is the glue at "
            "the parent (see GLUE_MISMATCH), not a cache flush",
            gt_addr_to_str(&q->addr, a, sizeof(a)), nm(&q->qname, b1, sizeof(b1)),
            gt_type_to_str(q->qtype, type, sizeof(type)), set_str(&theirs, s1, sizeof(s1)),
            set_str(&mine, s2, sizeof(s2)));
        return GT_OK;
    }
    ADD(r, GT_F_STALE_RESOLVER_ADDRESS, NULL, q->id, NULL,
        "the resolver %s says %s %s is {%s}; %s says {%s}: a trace that asks the resolver "
        "for server addresses (dig +trace) goes to the wrong server",
        gt_addr_to_str(&q->addr, a, sizeof(a)), nm(&q->qname, b1, sizeof(b1)),
        gt_type_to_str(q->qtype, type, sizeof(type)), set_str(&theirs, s1, sizeof(s1)), source,
        set_str(&mine, s2, sizeof(s2)));
    return GT_OK;
}

/* STALE_RESOLVER_ADDRESS and RESOLVER_ANSWER_DIFFERS (--compare-resolver). */
static gt_status resolver(gt_result *r)
{
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (kind_of(r, q) != GT_TRACE_RESOLVER || q->reply == NULL) {
            continue;
        }
        gt_status st = GT_OK;
        if (q->qtype == r->qtype && gt_name_eq(&q->qname, &r->qname)) {
            st = resolver_answer(r, q);
        }
        if (st == GT_OK && is_addr_type(q->qtype)) {
            st = resolver_address(r, q);
        }
        if (st != GT_OK) {
            return st;
        }
    }
    return GT_OK;
}

/* IGNORED_ANSWER_RECORDS: answer-section records of a final reply that do not answer. */
static gt_status ignored_answers(gt_result *r)
{
    char b1[GT_NAME_STRLEN], b2[GT_NAME_STRLEN], type[16], list[1024], one[600];
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        bool nonauth = q->outcome == GT_OUT_LAME && q->cls.lame == GT_LAME_NOT_AUTH;
        if (q->cached_from || q->reply == NULL || !follows(kind_of(r, q)) ||
            (!is_final(q->outcome) && !nonauth) || q->reply->count[GT_SEC_ANSWER] == 0) {
            continue;
        }
        const gt_msg *m = q->reply;
        size_t n = m->count[GT_SEC_ANSWER];
        bool *in = calloc(n, sizeof(bool));
        if (in == NULL) {
            return GT_ENOMEM;
        }
        size_t kept = gt_answer_chain(m, &q->qname, q->qtype, &q->zone, in);
        size_t len = 0;
        list[0] = '\0';
        for (size_t k = 0, shown = 0; k < n; k++) {
            if (!in[k]) {
                const gt_rr *rr = &m->rrs[GT_SEC_ANSWER][k];
                cat(list, sizeof(list), &len, "%s%s %s", shown++ ? ", " : "",
                    nm(&rr->owner, b1, sizeof(b1)), rr_brief(rr, one, sizeof(one)));
            }
        }
        free(in);
        if (kept == n) {
            continue;
        }
        ADD(r, GT_F_IGNORED_ANSWER_RECORDS, &q->zone, q->id, NULL,
            "%zu of %zu answer records for %s %s are not part of the answer (outside the "
            "alias chain or outside zone %s) and were not used: %s",
            n - kept, n, nm(&q->qname, b1, sizeof(b1)),
            gt_type_to_str(q->qtype, type, sizeof(type)), nm(&q->zone, b2, sizeof(b2)), list);
    }
    return GT_OK;
}

/* The trace of the main path that ended without data: the main trace, or its alias target. */
static gt_trace_id failed_link(const gt_result *r)
{
    gt_trace_id t = 0;
    for (size_t guard = 0; guard <= GT_MAX_CNAME_CHAIN; guard++) {
        gt_trace_id c = r->traces[t]->cname_child;
        if (c == 0 || c >= r->ntraces || c == t) {
            break;
        }
        t = c;
    }
    return t;
}

/* The zone deepest in the DNS tree that trace @p t asked servers of; false when none. */
static bool deepest_zone(const gt_result *r, gt_trace_id t, gt_name *out)
{
    bool found = false;
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (q->trace == t && (!found || gt_name_labels(&q->zone) >= gt_name_labels(out))) {
            *out = q->zone;
            found = true;
        }
    }
    return found;
}

/* "2 timed out, 1 answered REFUSED, ..." for the queries of trace @p t to servers of @p z. */
static size_t what_servers_did(const gt_result *r, gt_trace_id t, const gt_name *z, char *buf,
                               size_t size)
{
    static const gt_outcome order[] = {
        GT_OUT_TIMEOUT,   GT_OUT_UNREACHABLE, GT_OUT_LAME,     GT_OUT_UPWARD, GT_OUT_SIDEWAYS,
        GT_OUT_MALFORMED, GT_OUT_TRUNCATED,   GT_OUT_REFERRAL, GT_OUT_ERROR,  GT_OUT_PENDING,
    };
    static const char *const words[] = {
        "timed out",         "unreachable",
        "not authoritative", "referred upward",
        "referred sideways", "malformed replies",
        "truncated",         "referred on",
        "local errors",      "no reply before the end",
    };
    size_t len = 0, asked = 0, shown = 0;
    buf[0] = '\0';
    char rc[24];
    /* Error rcodes are counted per rcode; the rest per outcome. */
    for (uint16_t code = 1; code < 16; code++) {
        size_t n = 0;
        for (size_t i = 0; i < r->nqueries; i++) {
            const gt_query *q = r->queries[i];
            n += q->trace == t && !q->cached_from && gt_name_eq(&q->zone, z) &&
                 q->outcome == GT_OUT_LAME && q->cls.lame == GT_LAME_RCODE && q->reply != NULL &&
                 q->reply->rcode == code;
        }
        if (n > 0) {
            cat(buf, size, &len, "%s%zu answered %s", shown++ ? ", " : "", n,
                gt_rcode_to_str(code, rc, sizeof(rc)));
            asked += n;
        }
    }
    for (size_t o = 0; o < sizeof(order) / sizeof(order[0]); o++) {
        size_t n = 0;
        for (size_t i = 0; i < r->nqueries; i++) {
            const gt_query *q = r->queries[i];
            n += q->trace == t && !q->cached_from && gt_name_eq(&q->zone, z) &&
                 q->outcome == order[o] &&
                 !(q->outcome == GT_OUT_LAME && q->cls.lame == GT_LAME_RCODE);
        }
        if (n > 0) {
            cat(buf, size, &len, "%s%zu %s", shown++ ? ", " : "", n, words[o]);
            asked += n;
        }
    }
    return asked;
}

/* NO_AUTHORITATIVE_DATA: why a run that exits 3 reached no authoritative data. */
static gt_status dead_end(gt_result *r)
{
    char b1[GT_NAME_STRLEN], b2[GT_NAME_STRLEN], type[16], did[1024];
    if (r->ntraces == 0 || gt_result_exit_code(r, false) != 3) {
        return GT_OK;
    }
    gt_trace_id t = failed_link(r);
    const gt_tracerec *tr = r->traces[t];
    nm(&tr->name, b1, sizeof(b1));
    gt_type_to_str(tr->qtype, type, sizeof(type));
    const char *alias = t == 0 ? "" : " (the alias target of the question)";
    gt_name z;
    if (tr->status == GT_TS_CYCLE) {
        ADD(r, GT_F_NO_AUTHORITATIVE_DATA, NULL, 0, NULL,
            "no authoritative data for %s %s%s: a glueless cycle leaves no server address to "
            "ask (see GLUELESS_CYCLE)",
            b1, type, alias);
    } else if (tr->status == GT_TS_LIMIT) {
        ADD(r, GT_F_NO_AUTHORITATIVE_DATA, NULL, 0, NULL,
            "no authoritative data for %s %s%s: a limit stopped the trace (see LIMIT_REACHED)", b1,
            type, alias);
    } else if (tr->status == GT_TS_INTERRUPTED || r->interrupted) {
        ADD(r, GT_F_NO_AUTHORITATIVE_DATA, NULL, 0, NULL,
            "no authoritative data for %s %s%s: the run was interrupted before it got any", b1,
            type, alias);
    } else if (!deepest_zone(r, t, &z)) {
        ADD(r, GT_F_NO_AUTHORITATIVE_DATA, NULL, 0, NULL,
            "no authoritative data for %s %s%s: no server could be asked at all", b1, type, alias);
    } else {
        const gt_query *ref = NULL;
        for (size_t i = 0; i < r->nqueries && ref == NULL; i++) {
            const gt_query *q = r->queries[i];
            if (q->trace == t && gt_name_eq(&q->zone, &z) && q->outcome == GT_OUT_REFERRAL &&
                q->has_referral) {
                ref = q;
            }
        }
        if (ref != NULL) {
            char b3[GT_NAME_STRLEN], names[1024];
            size_t len = 0;
            names[0] = '\0';
            for (size_t k = 0; k < ref->referral.nns; k++) {
                cat(names, sizeof(names), &len, "%s%s", k ? ", " : "",
                    nm(&ref->referral.ns[k], b3, sizeof(b3)));
            }
            const char *see = "NO_ADDRESS";
            for (size_t f = 0; f < r->nfindings; f++) {
                gt_code fc = r->findings[f].code;
                if (fc == GT_F_GLUELESS_CYCLE || fc == GT_F_SPECIAL_PURPOSE_ADDRESS ||
                    (fc == GT_F_ALREADY_ASKED &&
                     gt_name_eq(&r->findings[f].zone, &ref->referral.zone))) {
                    see = gt_code_name(fc);
                }
            }
            ADD(r, GT_F_NO_AUTHORITATIVE_DATA, &ref->referral.zone, ref->id, NULL,
                "no authoritative data for %s %s%s: %s delegates %s to %s, and no address of "
                "%s could be asked (see %s)",
                b1, type, alias, nm(&z, b2, sizeof(b2)), nm(&ref->referral.zone, b3, sizeof(b3)),
                names, ref->referral.nns == 1 ? "it" : "any of them", see);
        } else {
            size_t n = what_servers_did(r, t, &z, did, sizeof(did));
            ADD(r, GT_F_NO_AUTHORITATIVE_DATA, &z, 0, NULL,
                "no authoritative data for %s %s%s: all %zu %s to the servers of %s failed: %s", b1,
                type, alias, n, n == 1 ? "query" : "queries", nm(&z, b2, sizeof(b2)), did);
        }
    }
    return GT_OK;
}

/*
 * The checks, in the order their findings are listed. gt_network_findings may replace
 * per-server findings added before it; dead_end comes last: it explains an exit 3 with
 * everything else known.
 */
static gt_status (*const checks[])(gt_result *r) = {
    per_query,       per_referral,    skipped_servers, unreachable,
    inconsistencies, ignored_answers, ns_cname,        delegation_checks,
    glue_elsewhere,  no_address,      resolver,        gt_network_findings,
    dead_end,
};

gt_status gt_findings_analyse(gt_result *r, const gt_config *cfg)
{
    (void)cfg;
    for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
        gt_status st = checks[i](r);
        if (st != GT_OK) {
            return st;
        }
    }
    return GT_OK;
}
