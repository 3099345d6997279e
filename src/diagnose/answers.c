/*
 * The answer chain of the main trace: final replies grouped by link (the name asked, main
 * trace first, then each CNAME trace) and by the records that answer, so "every server of
 * the zone said the same" and "the servers disagree" are one comparison of keys per link.
 */
#include "gluetrace/diagnose/answers.h"

#include "gluetrace/base/array.h"
#include "gluetrace/wire/rdata.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/** Most names in one reply's alias chain that are looked at (as the classifier's limit). */
#define GT_MAX_CHAIN_NAMES (GT_MAX_CNAME_IN_REPLY + 1)

/* Lower-case ASCII in place (owner names compare case-insensitively). */
static void lower(char *s)
{
    for (char *p = s; *p; p++) {
        if (*p >= 'A' && *p <= 'Z') {
            *p = (char)(*p - 'A' + 'a');
        }
    }
}

/* "owner TYPE rdata" of one record, or NULL when out of memory. Caller frees. */
static char *record_text(const gt_rr *rr)
{
    char name[GT_NAME_STRLEN], type[16], data[4096];
    gt_name_to_str(&rr->owner, name, sizeof(name));
    lower(name);
    gt_type_to_str(rr->type, type, sizeof(type));
    if (gt_rdata_to_str(rr->type, rr->rdata, rr->rdlen, data, sizeof(data)) == 0) {
        snprintf(data, sizeof(data), "(%u bytes)", (unsigned)rr->rdlen);
    }
    size_t need = strlen(name) + strlen(type) + strlen(data) + 4;
    char *s = malloc(need);
    if (s != NULL) {
        snprintf(s, need, "%s %s %s", name, type, data);
    }
    return s;
}

/* Sort record texts (NULL entries stay where they are): answers are small. */
static void sort_texts(char **items, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        for (size_t j = i; j > 0 && items[j - 1] && items[j] && strcmp(items[j - 1], items[j]) > 0;
             j--) {
            char *tmp = items[j];
            items[j] = items[j - 1];
            items[j - 1] = tmp;
        }
    }
}

static bool has_name(const gt_name *names, size_t n, const gt_name *x)
{
    for (size_t i = 0; i < n; i++) {
        if (gt_name_eq(&names[i], x)) {
            return true;
        }
    }
    return false;
}

/* Whether record @p rr answers at chain name @p cur (its type, or an alias of it). */
static bool answers_at(const gt_rr *rr, const gt_name *cur, uint16_t qtype)
{
    if (rr->cls != GT_CLASS_IN) {
        return false;
    }
    if (rr->type == GT_TYPE_DNAME) {
        /* A DNAME above the name is the source of the CNAME synthesized for it (RFC 6672). */
        return gt_name_is_under(cur, &rr->owner) && !gt_name_eq(cur, &rr->owner);
    }
    if (!gt_name_eq(&rr->owner, cur)) {
        return false;
    }
    return qtype == GT_TYPE_ANY || rr->type == qtype || rr->type == GT_TYPE_CNAME ||
           rr->type == GT_TYPE_RRSIG;
}

size_t gt_answer_chain(const gt_msg *m, const gt_name *qname, uint16_t qtype, const gt_name *zone,
                       bool *in)
{
    size_t n = m->count[GT_SEC_ANSWER], kept = 0;
    gt_name names[GT_MAX_CHAIN_NAMES];
    size_t nnames = 0;
    names[nnames++] = *qname;
    for (size_t k = 0; in != NULL && k < n; k++) {
        in[k] = false;
    }
    for (size_t c = 0; c < nnames; c++) {
        if (!gt_name_is_under(&names[c], zone)) {
            continue; /* not the zone's to answer */
        }
        for (size_t k = 0; k < n; k++) {
            const gt_rr *rr = &m->rrs[GT_SEC_ANSWER][k];
            if (!gt_name_is_under(&rr->owner, zone) || !answers_at(rr, &names[c], qtype)) {
                continue;
            }
            if (in != NULL && !in[k]) {
                in[k] = true;
                kept++;
            } else if (in == NULL) {
                kept++;
            }
            gt_name target;
            if (rr->type == GT_TYPE_CNAME && qtype != GT_TYPE_CNAME &&
                nnames < GT_MAX_CHAIN_NAMES &&
                gt_rdata_name(GT_TYPE_CNAME, rr->rdata, rr->rdlen, &target) == GT_OK &&
                !has_name(names, nnames, &target)) {
                names[nnames++] = target;
            }
        }
    }
    return kept;
}

char *gt_answer_key(const gt_query *q)
{
    size_t cap = 0, len = 0;
    char *key = NULL;
    if (!gt_array_reserve((void **)&key, &cap, 255, 1)) {
        return NULL;
    }
    len = (size_t)snprintf(key, cap, "%s|", gt_outcome_str(q->outcome));
    const gt_msg *m = q->reply;
    size_t n = m ? m->count[GT_SEC_ANSWER] : 0;
    /* Order-independent: each record's text is appended in a canonical (sorted) order. */
    char **items = calloc(n + 1, sizeof(char *));
    bool *in = calloc(n + 1, sizeof(bool));
    if (items == NULL || in == NULL) {
        free(items);
        free(in);
        free(key);
        return NULL;
    }
    size_t nitems = 0;
    if (m != NULL) {
        gt_answer_chain(m, &q->qname, q->qtype, &q->zone, in);
    }
    for (size_t i = 0; i < n; i++) {
        if (in[i]) {
            items[nitems++] = record_text(&m->rrs[GT_SEC_ANSWER][i]);
        }
    }
    sort_texts(items, nitems);
    for (size_t i = 0; i < nitems; i++) {
        const char *s = items[i] ? items[i] : "?";
        size_t sl = strlen(s);
        if (!gt_array_reserve((void **)&key, &cap, len + sl + 2, 1)) {
            break;
        }
        memcpy(key + len, s, sl);
        len += sl;
        key[len++] = '\n';
        key[len] = '\0';
    }
    for (size_t i = 0; i < nitems; i++) {
        free(items[i]);
    }
    free(items);
    free(in);
    return key;
}

/* Place of trace @p t in the main trace's alias chain (0: main), or SIZE_MAX when off it. */
static size_t link_of(const gt_result *r, gt_trace_id t)
{
    gt_trace_id cur = 0;
    for (size_t link = 0; link <= GT_MAX_CNAME_CHAIN + 1; link++) {
        if (t == cur) {
            return link;
        }
        cur = r->traces[cur]->cname_child;
        if (cur == 0) {
            break;
        }
    }
    return SIZE_MAX;
}

static bool is_final(gt_outcome o)
{
    return o == GT_OUT_ANSWER || o == GT_OUT_CNAME || o == GT_OUT_NXDOMAIN || o == GT_OUT_NODATA;
}

/* A reply without AA that still carried records answering the question. */
static bool is_nonauth_data(const gt_query *q)
{
    return q->outcome == GT_OUT_LAME && q->cls.lame == GT_LAME_NOT_AUTH && q->reply != NULL &&
           gt_answer_chain(q->reply, &q->qname, q->qtype, &q->zone, NULL) > 0;
}

/* The records of @p q's reply that answer, as indexes (owned by the answer). */
static gt_status keep_rrs(gt_answer *an, const gt_query *q)
{
    size_t n = q->reply ? q->reply->count[GT_SEC_ANSWER] : 0;
    if (n == 0) {
        return GT_OK;
    }
    bool *in = calloc(n, sizeof(bool));
    an->rrs = calloc(n, sizeof(size_t));
    if (in == NULL || an->rrs == NULL) {
        free(in);
        return GT_ENOMEM;
    }
    gt_answer_chain(q->reply, &q->qname, q->qtype, &q->zone, in);
    for (size_t k = 0; k < n; k++) {
        if (in[k]) {
            an->rrs[an->nrrs++] = k;
        }
    }
    free(in);
    return GT_OK;
}

/* Count query @p q under the entry of @p *arr whose link and key match (a new one if none). */
static gt_status group(const gt_result *r, char **keys, gt_answer **arr, size_t *n, size_t *cap,
                       const gt_query *q, size_t link)
{
    const char *key = keys[q->id - 1];
    size_t a = 0;
    while (a < *n &&
           ((*arr)[a].link != link || strcmp(keys[(*arr)[a].first_query - 1], key) != 0)) {
        a++;
    }
    if (a == *n) {
        if (!gt_array_reserve((void **)arr, cap, a, sizeof(**arr))) {
            return GT_ENOMEM;
        }
        gt_answer *an = &(*arr)[a];
        memset(an, 0, sizeof(*an));
        an->outcome = q->outcome;
        an->link = link;
        an->name = r->traces[q->trace]->name;
        an->zone = q->zone;
        an->first_query = q->id;
        (*n)++;
        if (keep_rrs(an, q) != GT_OK) {
            return GT_ENOMEM;
        }
    }
    gt_answer *an = &(*arr)[a];
    if (!gt_array_reserve((void **)&an->queries, &an->capqueries, an->nqueries,
                          sizeof(*an->queries))) {
        return GT_ENOMEM;
    }
    an->queries[an->nqueries++] = q->id;
    return GT_OK;
}

/* Order by link (stable: first seen first within a link) and count each link's entries. */
static void order_links(gt_answer *arr, size_t n, size_t *nlinks)
{
    for (size_t i = 1; i < n; i++) {
        for (size_t j = i; j > 0 && arr[j - 1].link > arr[j].link; j--) {
            gt_answer tmp = arr[j];
            arr[j] = arr[j - 1];
            arr[j - 1] = tmp;
        }
    }
    for (size_t i = 0; i < n; i++) {
        arr[i].nalternatives = 0;
        for (size_t j = 0; j < n; j++) {
            arr[i].nalternatives += arr[j].link == arr[i].link;
        }
        if (nlinks != NULL && arr[i].link + 1 > *nlinks) {
            *nlinks = arr[i].link + 1;
        }
    }
}

gt_status gt_answers_collect(gt_result *r)
{
    gt_status st = GT_OK;
    char **keys = calloc(r->nqueries + 1, sizeof(char *));
    if (keys == NULL) {
        return GT_ENOMEM;
    }
    for (size_t i = 0; i < r->nqueries && st == GT_OK; i++) {
        const gt_query *q = r->queries[i];
        if (q->cached_from != 0) {
            continue; /* a reused reply is the same server's, counted once */
        }
        bool fin = is_final(q->outcome);
        if (!fin && !is_nonauth_data(q)) {
            continue;
        }
        size_t link = link_of(r, q->trace);
        if (link == SIZE_MAX) {
            continue;
        }
        keys[i] = gt_answer_key(q);
        if (keys[i] == NULL) {
            st = GT_ENOMEM;
        } else if (fin) {
            st = group(r, keys, &r->answers, &r->nanswers, &r->capanswers, q, link);
        } else {
            st = group(r, keys, &r->nonauth, &r->nnonauth, &r->capnonauth, q, link);
        }
    }
    order_links(r->answers, r->nanswers, &r->nlinks);
    order_links(r->nonauth, r->nnonauth, NULL);
    for (size_t i = 0; i < r->nqueries; i++) {
        free(keys[i]);
    }
    free(keys);
    return st;
}
