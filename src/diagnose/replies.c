/* Findings from the transport's wire counts: dropped replies and ended TCP connections. */
#include "gluetrace/diagnose/replies.h"

#include "gluetrace/diagnose/network.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Append one "N what" part to @p buf. */
static void part(char *buf, size_t size, size_t *used, size_t n, const char *what)
{
    if (n == 0 || *used >= size) {
        return;
    }
    int k = snprintf(buf + *used, size - *used, "%s%zu %s", *used ? ", " : "", n, what);
    if (k > 0) {
        *used += (size_t)k;
    }
}

size_t gt_wire_bad_str(const gt_wire_count *w, char *buf, size_t size)
{
    size_t bad = w->bad_id + w->bad_question + w->bad_cookie + w->bad_source + w->runt;
    char parts[256];
    size_t used = 0;
    parts[0] = '\0';
    part(parts, sizeof(parts), &used, w->bad_id, "with a wrong ID");
    part(parts, sizeof(parts), &used, w->bad_question, "for another question");
    part(parts, sizeof(parts), &used, w->bad_cookie, "with another client cookie");
    part(parts, sizeof(parts), &used, w->bad_source, "from another address or port");
    part(parts, sizeof(parts), &used, w->runt, "shorter than a DNS header");
    if (size > 0) {
        buf[0] = '\0';
    }
    if (bad > 0 && size > 0) {
        snprintf(buf, size, "%zu %s repl%s that answer%s none of our queries (%s)", bad,
                 w->tcp ? "TCP" : "UDP", bad == 1 ? "y" : "ies", bad == 1 ? "s" : "", parts);
    }
    return bad;
}

/* The first query sent to @p a, for the finding's server name; 0 when none. */
static size_t query_to(const gt_result *r, const gt_addr *a)
{
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (!q->cached_from && !q->from_session && gt_addr_eq(&q->addr, a)) {
            return q->id;
        }
    }
    return 0;
}

/* A server that sent only replies c-ares dropped did answer: its UNREACHABLE_SERVER finding
 * ("no reply on every try") would mislead, MISMATCHED_REPLY says what happened. */
static bool to_server(const gt_result *r, const gt_query *q, const void *arg)
{
    (void)r;
    return gt_addr_eq(&q->addr, arg);
}

gt_status gt_wire_findings(gt_result *r, const gt_wire_count *w, size_t n)
{
    char what[512], a[GT_ADDR_STRLEN];
    for (size_t i = 0; i < n; i++) {
        size_t qid = query_to(r, &w[i].server);
        const char *server = qid ? NULL : gt_addr_to_str(&w[i].server, a, sizeof(a));
        if (gt_wire_bad_str(&w[i], what, sizeof(what)) > 0 &&
            gt_result_add_finding(r, GT_F_MISMATCHED_REPLY, NULL, qid, server,
                                  "%s; dropped, %zu matching repl%s used: a spoofing attempt "
                                  "or a broken server",
                                  what, w[i].replies, w[i].replies == 1 ? "y" : "ies") != GT_OK) {
            return GT_ENOMEM;
        }
        if (w[i].bad_id + w[i].bad_question + w[i].bad_cookie > 0 && w[i].replies == 0) {
            gt_findings_drop(r, GT_F_UNREACHABLE_SERVER, to_server, &w[i].server);
        }
        if (w[i].tcp && (w[i].resets > 0 || w[i].closes > 0) &&
            gt_result_add_finding(r, GT_F_TCP_CLOSED, NULL, qid, server,
                                  "the server closed %zu and reset %zu TCP connection(s) with "
                                  "queries pending; those queries were sent again on new "
                                  "connections when the connection had answered others",
                                  w[i].closes, w[i].resets) != GT_OK) {
            return GT_ENOMEM;
        }
    }
    return GT_OK;
}
