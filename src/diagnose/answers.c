/*
 * Distinct answers of the main trace: final replies grouped by the records they carried, so
 * "every server said the same" and "servers disagree" are one comparison of keys.
 */
#include "gluetrace/diagnose/answers.h"

#include "gluetrace/base/array.h"
#include "gluetrace/wire/rdata.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Canonical text of a reply's answer section (TTL left out), for grouping equal answers. */
static char *answer_key(const gt_query *q)
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
    if (items == NULL) {
        free(key);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        items[i] = record_text(&m->rrs[GT_SEC_ANSWER][i]);
    }
    sort_texts(items, n);
    for (size_t i = 0; i < n; i++) {
        const char *s = items[i] ? items[i] : "?";
        size_t sl = strlen(s);
        if (!gt_array_reserve((void **)&key, &cap, len + sl + 1, 1)) {
            break;
        }
        memcpy(key + len, s, sl);
        len += sl;
        key[len++] = '\n';
        key[len] = '\0';
    }
    for (size_t i = 0; i < n; i++) {
        free(items[i]);
    }
    free(items);
    return key;
}

/* Whether trace @p t is the main trace or a CNAME trace hanging off it. */
static bool on_main_path(const gt_result *r, gt_trace_id t)
{
    for (gt_trace_id cur = 0, guard = 0; guard <= GT_MAX_CNAME_CHAIN + 1; guard++) {
        if (t == cur) {
            return true;
        }
        cur = r->traces[cur]->cname_child;
        if (cur == 0) {
            break;
        }
    }
    return false;
}

static bool is_final(gt_outcome o)
{
    return o == GT_OUT_ANSWER || o == GT_OUT_CNAME || o == GT_OUT_NXDOMAIN || o == GT_OUT_NODATA;
}

/* Count query @p q under the answer whose key is @p key (a new one when none matches). */
static gt_status group(gt_result *r, char **keys, const gt_query *q)
{
    const char *key = keys[q->id - 1];
    size_t a = 0;
    while (a < r->nanswers && strcmp(keys[r->answers[a].first_query - 1], key) != 0) {
        a++;
    }
    if (a == r->nanswers) {
        if (!gt_array_reserve((void **)&r->answers, &r->capanswers, a, sizeof(*r->answers))) {
            return GT_ENOMEM;
        }
        memset(&r->answers[a], 0, sizeof(r->answers[a]));
        r->answers[a].outcome = q->outcome;
        r->answers[a].first_query = q->id;
        r->nanswers++;
    }
    gt_answer *an = &r->answers[a];
    if (!gt_array_reserve((void **)&an->queries, &an->capqueries, an->nqueries,
                          sizeof(*an->queries))) {
        return GT_ENOMEM;
    }
    an->queries[an->nqueries++] = q->id;
    return GT_OK;
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
        if (!is_final(q->outcome) || !on_main_path(r, q->trace) || q->cached_from != 0) {
            continue; /* a reused reply is the same server's, counted once */
        }
        keys[i] = answer_key(q);
        if (keys[i] != NULL) {
            st = group(r, keys, q);
        }
    }
    for (size_t i = 0; i < r->nqueries; i++) {
        free(keys[i]);
    }
    free(keys);
    return st;
}
