/* Helpers shared by the findings checks (see findings_priv.h). */
#include "findings_priv.h"

#include "gluetrace/diagnose/answers.h"
#include "gluetrace/wire/rdata.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

bool fd_addr_item_eq(const void *x, const void *y)
{
    return gt_addr_eq(x, y);
}

bool fd_name_item_eq(const void *x, const void *y)
{
    return gt_name_eq(x, y);
}

/* Index of @p x among the @p n items of @p size bytes at @p items; @p n when absent. */
size_t fd_find_item(const void *items, size_t n, size_t size, const void *x, item_eq eq)
{
    for (size_t i = 0; i < n; i++) {
        if (eq((const char *)items + i * size, x)) {
            return i;
        }
    }
    return n;
}

/* Add @p x unless it is there already or the set holds @p cap items. */
void fd_add_item(void *items, size_t *n, size_t cap, size_t size, const void *x, item_eq eq)
{
    if (*n < cap && fd_find_item(items, *n, size, x, eq) == *n) {
        memcpy((char *)items + *n * size, x, size);
        (*n)++;
    }
}

/* The same members (neither set holds a duplicate). */
bool fd_same_items(const void *a, size_t na, const void *b, size_t nb, size_t size, item_eq eq)
{
    if (na != nb) {
        return false;
    }
    for (size_t i = 0; i < na; i++) {
        if (fd_find_item(b, nb, size, (const char *)a + i * size, eq) == nb) {
            return false;
        }
    }
    return true;
}

void fd_set_add(addrset *s, const gt_addr *a)
{
    fd_add_item(s->a, &s->n, GT_MAX_SET, sizeof(s->a[0]), a, fd_addr_item_eq);
}

bool fd_set_eq(const addrset *x, const addrset *y)
{
    return fd_same_items(x->a, x->n, y->a, y->n, sizeof(x->a[0]), fd_addr_item_eq);
}

/* Append printf-style at *len; a cut fills the buffer and leaves the text cut there. */
void fd_cat(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(buf + *len, size - *len, fmt, ap);
    va_end(ap);
    *len = w < 0 || (size_t)w >= size - *len ? size - 1 : *len + (size_t)w;
}

const char *fd_set_str(const addrset *s, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    if (s->n == 0) {
        snprintf(buf, size, "none");
        return buf;
    }
    for (size_t i = 0; i < s->n; i++) {
        char a[GT_ADDR_STRLEN];
        fd_cat(buf, size, &len, "%s%s", i ? ", " : "", gt_addr_to_str(&s->a[i], a, sizeof(a)));
    }
    return buf;
}

const char *fd_nm(const gt_name *n, char *buf, size_t size)
{
    gt_name_to_str(n, buf, size);
    return buf;
}

bool fd_follows(gt_trace_kind k)
{
    return k == GT_TRACE_MAIN || k == GT_TRACE_SUBTRACE || k == GT_TRACE_CNAME;
}

gt_trace_kind fd_kind_of(const gt_result *r, const gt_query *q)
{
    return r->traces[q->trace]->kind;
}

/* An authoritative final reply: data, alias, or a negative answer. */
bool fd_is_final(gt_outcome o)
{
    return o == GT_OUT_ANSWER || o == GT_OUT_CNAME || o == GT_OUT_NXDOMAIN || o == GT_OUT_NODATA;
}

bool fd_is_addr_type(uint16_t t)
{
    return t == GT_TYPE_A || t == GT_TYPE_AAAA;
}

/* Addresses of type @p type owned by @p owner in a reply's answer section. */
void fd_answer_addrs(const gt_result *r, const gt_query *q, const gt_name *owner, uint16_t type,
                     addrset *out)
{
    const gt_msg *m = gt_query_reply(r, q);
    for (size_t i = 0; m != NULL && i < m->count[GT_SEC_ANSWER]; i++) {
        const gt_rr *rr = &m->rrs[GT_SEC_ANSWER][i];
        if (rr->type == type && rr->rdlen == (type == GT_TYPE_A ? 4 : 16) &&
            gt_name_eq(&rr->owner, owner)) {
            gt_addr a;
            gt_addr_from_bytes(&a, rr->rdata, rr->rdlen);
            fd_set_add(out, &a);
        }
    }
}

/* The same answer: equal outcome and equal records that answer (TTLs and order aside). */
bool fd_answers_eq(const gt_query *x, const gt_query *y)
{
    char *kx = gt_answer_key(x), *ky = gt_answer_key(y);
    bool eq = kx != NULL && ky != NULL && strcmp(kx, ky) == 0;
    free(kx);
    free(ky);
    return eq;
}

/* "TYPE data" of one record into @p buf. */
const char *fd_rr_brief(const gt_rr *rr, char *buf, size_t size)
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
const char *fd_answer_str(const gt_query *q, char *buf, size_t size)
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
        fd_cat(buf, size, &len, "%s%s", shown++ ? ", " : "",
               fd_rr_brief(&m->rrs[GT_SEC_ANSWER][i], one, sizeof(one)));
    }
    free(in);
    return buf;
}

int fd_cmp_str(const void *a, const void *b)
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
const char *fd_final_str(const gt_query *q, char *buf, size_t size)
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
            sorted[n] = fd_rr_brief(rr, texts[n], sizeof(texts[n]));
            n++;
        }
    }
    qsort(sorted, n, sizeof(sorted[0]), fd_cmp_str);
    for (size_t i = 0; i < n; i++) {
        fd_cat(buf, size, &len, "%s%s", i ? ", " : "", sorted[i]);
    }
    return buf;
}

void fd_ns_add(nsset *s, const gt_name *x)
{
    fd_add_item(s->n, &s->len, GT_MAX_NSSET, sizeof(s->n[0]), x, fd_name_item_eq);
}

/* "2 timed out, 1 answered REFUSED, ..." for the queries of trace @p t to servers of @p z. */
size_t fd_what_servers_did(const gt_result *r, gt_trace_id t, const gt_name *z, char *buf,
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
            fd_cat(buf, size, &len, "%s%zu answered %s", shown++ ? ", " : "", n,
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
            fd_cat(buf, size, &len, "%s%zu %s", shown++ ? ", " : "", n, words[o]);
            asked += n;
        }
    }
    return asked;
}

/* The glue for @p ns of type @p type (A or AAAA) in one referral. */
void fd_glue_of(const gt_referral *ref, const gt_name *ns, uint16_t type, addrset *out)
{
    int fam = type == GT_TYPE_A ? AF_INET : AF_INET6;
    for (size_t g = 0; g < ref->nglue; g++) {
        const gt_glue *gl = &ref->glue[g];
        if (gl->addr.family == fam && gt_name_eq(&gl->name, ns)) {
            fd_set_add(out, &gl->addr);
        }
    }
}
