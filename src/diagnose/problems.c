/*
 * Grouping findings into problems (problems.h). Pure: reads the findings and the queries they
 * point at, adds nothing to them.
 */
#include "gluetrace/diagnose/problems.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Free and forget every problem and note of @p r. */
static void problems_clear(gt_result *r)
{
    r->nproblems += r->nnotes;
    r->notes = NULL;
    r->nnotes = 0;
    for (size_t i = 0; i < r->nproblems; i++) {
        free(r->problems[i].addrs);
        free(r->problems[i].findings);
        free(r->problems[i].messages);
    }
    free(r->problems);
    r->problems = NULL;
    r->nproblems = 0;
    r->capproblems = 0;
}

/* The server a finding concerns, from its data: its name text (or address text) and, when
 * known, its address. */
static void finding_server(const gt_finding *f, char *label, size_t size, gt_addr *addr,
                           bool *has_addr)
{
    *has_addr = f->has_server_addr;
    *addr = f->server_addr;
    label[0] = '\0';
    if (f->server_name.len > 0) {
        gt_name_str(&f->server_name, label, size);
    } else if (f->has_server_addr) {
        gt_addr_to_str(&f->server_addr, label, size);
    }
}

static bool zone_eq(const gt_name *a, const gt_name *b)
{
    return a->len == b->len && (a->len == 0 || gt_name_eq(a, b));
}

static gt_problem *find_or_add(gt_result *r, const gt_finding *f, const char *label)
{
    for (size_t i = 0; i < r->nproblems; i++) {
        gt_problem *p = &r->problems[i];
        if (p->code == f->code && zone_eq(&p->zone, &f->zone) && strcmp(p->server, label) == 0) {
            return p;
        }
    }
    if (!gt_array_reserve((void **)&r->problems, &r->capproblems, r->nproblems,
                          sizeof(*r->problems))) {
        return NULL;
    }
    gt_problem *p = &r->problems[r->nproblems++];
    memset(p, 0, sizeof(*p));
    p->code = f->code;
    p->severity = gt_code_severity(f->code);
    p->zone = f->zone;
    snprintf(p->server, sizeof(p->server), "%s", label);
    if (label[0] != '\0') {
        p->server_name = f->server_name;
    }
    return p;
}

static bool push_index(size_t **items, size_t *n, size_t *cap, size_t v)
{
    if (!gt_array_reserve((void **)items, cap, *n, sizeof(**items))) {
        return false;
    }
    (*items)[(*n)++] = v;
    return true;
}

static gt_status add_finding(gt_result *r, size_t fi)
{
    const gt_finding *f = &r->findings[fi];
    char label[GT_NAME_STRLEN] = "";
    gt_addr addr;
    bool has_addr = false;
    /* A zone-data fault is the zone's, whichever server relayed it (every server of the parent
     * gives the same referral): its problem names the zone, not a server. */
    if (gt_code_subject(f->code) != GT_SUBJ_ZONE || f->zone.len == 0) {
        finding_server(f, label, sizeof(label), &addr, &has_addr);
    }
    gt_problem *p = find_or_add(r, f, label);
    if (p == NULL || !push_index(&p->findings, &p->nfindings, &p->capfindings, fi)) {
        return GT_ENOMEM;
    }
    bool seen = false;
    for (size_t i = 0; i < p->nmessages && !seen; i++) {
        seen = strcmp(r->findings[p->messages[i]].message, f->message) == 0;
    }
    if (!seen && !push_index(&p->messages, &p->nmessages, &p->capmessages, fi)) {
        return GT_ENOMEM;
    }
    for (size_t i = 0; i < p->naddrs && has_addr; i++) {
        has_addr = !gt_addr_eq(&p->addrs[i], &addr);
    }
    if (has_addr) {
        if (!gt_array_reserve((void **)&p->addrs, &p->capaddrs, p->naddrs, sizeof(*p->addrs))) {
            return GT_ENOMEM;
        }
        p->addrs[p->naddrs++] = addr;
    }
    return GT_OK;
}

/* Whether every finding of @p b is about a reply that a finding of @p a is about too. */
static bool replies_covered(const gt_result *r, const gt_problem *a, const gt_problem *b)
{
    for (size_t i = 0; i < b->nfindings; i++) {
        gt_query_id q = r->findings[b->findings[i]].query;
        bool found = false;
        for (size_t j = 0; j < a->nfindings && q != 0 && !found; j++) {
            found = r->findings[a->findings[j]].query == q;
        }
        if (!found) {
            return false;
        }
    }
    return true;
}

static bool code_listed(const gt_code *list, size_t n, gt_code c)
{
    for (size_t i = 0; i < n; i++) {
        if (list[i] == c) {
            return true;
        }
    }
    return false;
}

/*
 * Fold problem @p bi into @p ai: its findings join. With @p cause, @p ai causes @p bi: its
 * code is listed in then[], its messages join and its severity counts; else @p bi is another
 * word for the same replies and its code is listed in also[].
 */
static gt_status fold(gt_result *r, size_t ai, size_t bi, bool cause)
{
    gt_problem *a = &r->problems[ai], *b = &r->problems[bi];
    for (size_t i = 0; i < b->nfindings; i++) {
        if (!push_index(&a->findings, &a->nfindings, &a->capfindings, b->findings[i])) {
            return GT_ENOMEM;
        }
    }
    for (size_t i = 0; i < b->nmessages && cause; i++) {
        if (!push_index(&a->messages, &a->nmessages, &a->capmessages, b->messages[i])) {
            return GT_ENOMEM;
        }
    }
    gt_code *list = cause ? a->then : a->also;
    size_t *n = cause ? &a->nthen : &a->nalso;
    if (!code_listed(list, *n, b->code) && *n < GT_PROBLEM_MAX_ALSO) {
        list[(*n)++] = b->code;
    }
    for (size_t i = 0; i < b->nthen && cause; i++) {
        if (!code_listed(a->then, a->nthen, b->then[i]) && a->nthen < GT_PROBLEM_MAX_ALSO) {
            a->then[a->nthen++] = b->then[i];
        }
    }
    if (cause && b->severity > a->severity) {
        a->severity = b->severity;
    }
    free(b->addrs);
    free(b->findings);
    free(b->messages);
    memmove(b, b + 1, (r->nproblems - bi - 1) * sizeof(*b));
    r->nproblems--;
    return GT_OK;
}

/*
 * Whether a problem of code @p b is a second word for the fault a problem of code @p a names,
 * when both concern the same replies: an upward referral is how that server is lame.
 */
static bool folds_into(gt_code b, gt_code a)
{
    return b == GT_F_UPWARD_REFERRAL && a == GT_F_LAME_SERVER;
}

/*
 * The resolver census makes a stale or ghost resolver one problem: the per-datum comparisons
 * of that same resolver (its answer, its NS names' addresses) are folded into it.
 */
static bool folds_into_resolver(gt_code b, gt_code a)
{
    return (b == GT_F_STALE_RESOLVER_ADDRESS || b == GT_F_RESOLVER_ANSWER_DIFFERS) &&
           (a == GT_F_RESOLVER_STALE || a == GT_F_RESOLVER_GHOST);
}

static gt_status fold_per_resolver(gt_result *r)
{
    for (size_t bi = 0; bi < r->nproblems; bi++) {
        for (size_t ai = 0; ai < r->nproblems; ai++) {
            if (ai == bi || !folds_into_resolver(r->problems[bi].code, r->problems[ai].code) ||
                strcmp(r->problems[ai].server, r->problems[bi].server) != 0) {
                continue;
            }
            gt_status st = fold(r, ai, bi, true); /* shown under the resolver's problem */
            if (st != GT_OK) {
                return st;
            }
            bi--; /* as in fold_same_replies */
            break;
        }
    }
    return GT_OK;
}

static gt_status fold_same_replies(gt_result *r)
{
    for (size_t bi = 0; bi < r->nproblems; bi++) {
        const gt_problem *b = &r->problems[bi];
        for (size_t ai = 0; ai < r->nproblems; ai++) {
            const gt_problem *a = &r->problems[ai];
            if (ai == bi || !folds_into(b->code, a->code) || !zone_eq(&a->zone, &b->zone) ||
                strcmp(a->server, b->server) != 0 || !replies_covered(r, a, b)) {
                continue;
            }
            gt_status st = fold(r, ai, bi, false);
            if (st != GT_OK) {
                return st;
            }
            bi--; /* the next problem moved into slot bi: look at it (0 - 1 wraps, then ++) */
            break;
        }
    }
    return GT_OK;
}

/* The zone a problem concerns: its own, else that of the query of its first finding (a
 * server problem raised without a zone, such as MISMATCHED_REPLY). */
static const gt_name *problem_zone(const gt_result *r, const gt_problem *p)
{
    if (p->zone.len > 0 || p->nfindings == 0) {
        return &p->zone;
    }
    gt_query_id q = r->findings[p->findings[0]].query;
    return q >= 1 && q <= r->nqueries ? &r->queries[q - 1]->zone : &p->zone;
}

/* A server that replied but whose replies could not be used: why a zone can have no data. */
static bool failing_server(gt_code c)
{
    return c == GT_F_LAME_SERVER || c == GT_F_MISMATCHED_REPLY;
}

/* Whether every problem of zone @p z other than @p except is a server whose replies could not
 * be used (lame, or only mismatched replies). */
static bool zone_all_failing(const gt_result *r, const gt_name *z, size_t except)
{
    size_t n = 0;
    for (size_t i = 0; i < r->nproblems; i++) {
        const gt_problem *p = &r->problems[i];
        if (i == except || !zone_eq(problem_zone(r, p), z) || p->severity == GT_SEV_INFO) {
            continue;
        }
        if (!failing_server(p->code)) {
            return false;
        }
        n++;
    }
    return n > 0;
}

/*
 * Whether problem @p a causes problem @p b, so that @p b is shown under it, once, with its
 * fix: no authoritative data after a glueless cycle or an NS name without address, when every
 * problem of the zone is a server that is lame or sent only mismatched replies, or when the server
 * given with -s is a resolver; a resolver's different answer beside the stale server address that
 * explains it; a zone's servers that disagree about data (or keys) beside the serials that say one
 * is old.
 */
static bool causes(const gt_result *r, size_t ai, size_t bi)
{
    const gt_problem *a = &r->problems[ai], *b = &r->problems[bi];
    switch (b->code) {
    case GT_F_NO_AUTHORITATIVE_DATA:
        if (a->code == GT_F_GIVEN_SERVER_IS_RESOLVER) {
            return b->zone.len == 1; /* the trace started at it, as if at the root */
        }
        if (a->code == GT_F_GLUELESS_CYCLE || a->code == GT_F_NO_ADDRESS) {
            return zone_eq(&a->zone, &b->zone);
        }
        return failing_server(a->code) && zone_eq(problem_zone(r, a), &b->zone) &&
               zone_all_failing(r, &b->zone, bi);
    case GT_F_RESOLVER_ANSWER_DIFFERS:
        return a->code == GT_F_STALE_RESOLVER_ADDRESS && strcmp(a->server, b->server) == 0;
    case GT_F_INCONSISTENT_ANSWERS:
    case GT_F_DNSSEC_DNSKEY_MISMATCH:
        return a->code == GT_F_SERIAL_MISMATCH && zone_eq(&a->zone, &b->zone);
    default:
        return false;
    }
}

static gt_status fold_consequences(gt_result *r)
{
    for (size_t bi = 0; bi < r->nproblems; bi++) {
        for (size_t ai = 0; ai < r->nproblems; ai++) {
            if (ai == bi || !causes(r, ai, bi)) {
                continue;
            }
            gt_status st = fold(r, ai, bi, true);
            if (st != GT_OK) {
                return st;
            }
            bi--; /* the next problem moved into slot bi: look at it (0 - 1 wraps, then ++) */
            break;
        }
    }
    return GT_OK;
}

/* Worst severity first; among equals, the one whose first finding came first. */
static int problem_cmp(const void *x, const void *y)
{
    const gt_problem *a = x, *b = y;
    if (a->severity != b->severity) {
        return a->severity > b->severity ? -1 : 1;
    }
    return a->findings[0] < b->findings[0] ? -1 : a->findings[0] > b->findings[0];
}

gt_status gt_problems_group(gt_result *r)
{
    problems_clear(r);
    gt_status st = GT_OK;
    for (size_t i = 0; i < r->nfindings && st == GT_OK; i++) {
        st = add_finding(r, i);
    }
    if (st == GT_OK) {
        st = fold_same_replies(r);
    }
    if (st == GT_OK) {
        st = fold_per_resolver(r);
    }
    if (st == GT_OK) {
        st = fold_consequences(r);
    }
    if (st != GT_OK) {
        problems_clear(r);
        return st;
    }
    if (r->nproblems > 1) {
        qsort(r->problems, r->nproblems, sizeof(*r->problems), problem_cmp);
    }
    /* The info ones, last after the sort, are notes. */
    size_t n = 0;
    while (n < r->nproblems && r->problems[n].severity != GT_SEV_INFO) {
        n++;
    }
    r->nnotes = r->nproblems - n;
    r->nproblems = n;
    r->notes = r->problems + n;
    return GT_OK;
}

static bool addr_listed(const gt_addr *list, size_t n, const gt_addr *a)
{
    for (size_t i = 0; i < n; i++) {
        if (gt_addr_eq(&list[i], a)) {
            return true;
        }
    }
    return false;
}

/* Distinct addresses that gave @p a, or with @p asked that were asked its question in its
 * zone and trace. */
static size_t count_addrs(const gt_result *r, const gt_answer *a, bool asked)
{
    gt_addr *seen = calloc(r->nqueries + 1, sizeof(*seen));
    size_t n = 0;
    if (seen == NULL || a->first_query == 0 || a->first_query > r->nqueries) {
        free(seen);
        return a->nqueries;
    }
    const gt_query *fq = r->queries[a->first_query - 1];
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        bool pick = false;
        if (asked) {
            pick = q->trace == fq->trace && q->qtype == fq->qtype &&
                   gt_name_eq(&q->zone, &fq->zone) && gt_name_eq(&q->qname, &fq->qname) &&
                   q->retry_of == 0;
        } else {
            for (size_t j = 0; j < a->nqueries && !pick; j++) {
                pick = a->queries[j] == q->id;
            }
        }
        if (pick && !addr_listed(seen, n, &q->addr)) {
            seen[n++] = q->addr;
        }
    }
    free(seen);
    return n;
}

size_t gt_answer_addresses(const gt_result *r, const gt_answer *a)
{
    return count_addrs(r, a, false);
}

size_t gt_answer_addresses_asked(const gt_result *r, const gt_answer *a)
{
    size_t asked = count_addrs(r, a, true), gave = count_addrs(r, a, false);
    return asked > gave ? asked : gave;
}
