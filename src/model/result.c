/*
 * The result data model: adding findings, following cached replies, freeing, exit codes and
 * the names of its enums. Knows nothing of the engine that fills it or of diagnosis.
 */
#include "gluetrace/model/result.h"

#include "gluetrace/model/census.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "name (address)" of query @p query's server into @p srv, or "" when there is none. */
static void query_server(const gt_result *r, gt_query_id query, char *srv, size_t size)
{
    srv[0] = '\0';
    if (query == 0 || query > r->nqueries) {
        return;
    }
    const gt_query *q = r->queries[query - 1];
    char n[GT_NAME_STRLEN], a[GT_ADDR_STRLEN];
    gt_addr_to_str(&q->addr, a, sizeof(a));
    if (q->server_name.len > 0) {
        gt_name_to_str(&q->server_name, n, sizeof(n));
        snprintf(srv, size, "%s (%s)", n, a);
    } else {
        snprintf(srv, size, "%s", a);
    }
}

/*
 * The server of finding @p f as data: the query's server name and address, or what the
 * server text a caller gave holds ("name (address)", "name" or "address"), read here once.
 */
static void server_data(const gt_result *r, gt_finding *f)
{
    if (f->query >= 1 && f->query <= r->nqueries) {
        const gt_query *q = r->queries[f->query - 1];
        f->server_name = q->server_name;
        f->server_addr = q->addr;
        f->has_server_addr = true;
        return;
    }
    if (f->server[0] == '\0') {
        return;
    }
    char part[sizeof(f->server)];
    const char *open = strstr(f->server, " (");
    size_t n = open ? (size_t)(open - f->server) : strlen(f->server);
    memcpy(part, f->server, n);
    part[n] = '\0';
    if (gt_addr_parse(part, &f->server_addr) == GT_OK) {
        f->has_server_addr = true;
        return;
    }
    if (gt_name_from_str(&f->server_name, part) != GT_OK) {
        memset(&f->server_name, 0, sizeof(f->server_name));
    }
    const char *close = open ? strchr(open + 2, ')') : NULL;
    size_t alen = close ? (size_t)(close - open - 2) : 0;
    if (alen > 0 && alen < sizeof(part)) {
        memcpy(part, open + 2, alen);
        part[alen] = '\0';
        f->has_server_addr = gt_addr_parse(part, &f->server_addr) == GT_OK;
    }
}

static bool finding_known(const gt_result *r, gt_code code, const gt_name *z, const char *srv,
                          const char *msg)
{
    for (size_t i = 0; i < r->nfindings; i++) {
        const gt_finding *o = &r->findings[i];
        if (o->code == code && strcmp(o->message, msg) == 0 && strcmp(o->server, srv) == 0 &&
            o->zone.len == z->len && (z->len == 0 || gt_name_eq(&o->zone, z))) {
            return true; /* said already (e.g. by the A and the AAAA sub-trace) */
        }
    }
    return false;
}

gt_status gt_result_add_finding(gt_result *r, gt_code code, const gt_name *zone, gt_query_id query,
                                const char *server, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (len < 0) {
        buf[0] = '\0';
    }
    gt_name z;
    memset(&z, 0, sizeof(z));
    if (zone != NULL) {
        z = *zone;
    }
    char srv[sizeof(((gt_finding *)NULL)->server)];
    if (server != NULL) {
        snprintf(srv, sizeof(srv), "%s", server);
    } else {
        query_server(r, query, srv, sizeof(srv));
    }
    if (finding_known(r, code, &z, srv, buf)) {
        return GT_OK;
    }
    if (!gt_array_reserve((void **)&r->findings, &r->capfindings, r->nfindings,
                          sizeof(*r->findings))) {
        return GT_ENOMEM;
    }
    gt_finding *f = &r->findings[r->nfindings];
    memset(f, 0, sizeof(*f));
    f->code = code;
    f->zone = z;
    f->query = query;
    memcpy(f->server, srv, sizeof(f->server));
    server_data(r, f);
    f->message = strdup(buf);
    if (f->message == NULL) {
        return GT_ENOMEM;
    }
    r->nfindings++;
    return GT_OK;
}

void gt_result_free(gt_result *r)
{
    if (r == NULL) {
        return;
    }
    for (size_t i = 0; i < r->nqueries; i++) {
        gt_msg_free(r->queries[i]->reply);
        gt_referral_clear(&r->queries[i]->referral);
        free(r->queries[i]);
    }
    free(r->queries);
    if (r->traces != NULL) {
        for (size_t i = 0; i < r->ntraces; i++) {
            free(r->traces[i]);
        }
        free(r->traces);
    }
    for (size_t i = 0; i < r->nanswers; i++) {
        free(r->answers[i].queries);
        free(r->answers[i].rrs);
    }
    free(r->answers);
    for (size_t i = 0; i < r->nnonauth; i++) {
        free(r->nonauth[i].queries);
        free(r->nonauth[i].rrs);
    }
    free(r->nonauth);
    free(r->dnssec);
    free(r->dnssec_servers);
    gt_census_free(r->census);
    for (size_t i = 0; i < r->nfindings; i++) {
        free(r->findings[i].message);
    }
    free(r->findings);
    for (size_t i = 0; i < r->nproblems + r->nnotes; i++) {
        free(r->problems[i].addrs);
        free(r->problems[i].findings);
        free(r->problems[i].messages);
    }
    free(r->problems);
    free(r);
}

const gt_msg *gt_query_reply(const gt_result *r, const gt_query *q)
{
    for (unsigned hops = 0; q != NULL && hops < 4; hops++) {
        if (q->reply != NULL || q->cached_from == 0 || q->cached_from > r->nqueries) {
            return q->reply;
        }
        q = r->queries[q->cached_from - 1];
    }
    return NULL;
}

int gt_result_exit_code(const gt_result *r, bool strict)
{
    if (r == NULL || r->ntraces == 0) {
        return 4;
    }
    gt_trace_status s = r->traces[0]->status;
    if (s != GT_TS_ANSWER && s != GT_TS_NXDOMAIN && s != GT_TS_NODATA) {
        return 3;
    }
    for (size_t i = 0; i < r->nfindings; i++) {
        gt_severity sev = gt_code_severity(r->findings[i].code);
        if (sev == GT_SEV_ERROR || (strict && sev == GT_SEV_WARNING)) {
            return 1;
        }
    }
    return 0;
}

const char *gt_source_str(gt_source s)
{
    switch (s) {
    case GT_SRC_HINTS:
        return "hints";
    case GT_SRC_GLUE:
        return "glue";
    case GT_SRC_SUBTRACE:
        return "subtrace";
    case GT_SRC_USER:
        return "user";
    case GT_SRC_RESOLVER:
        return "resolver";
    case GT_SRC_CHILD:
        return "child";
    }
    return "user";
}

const char *gt_dnssec_state_str(gt_dnssec_state s)
{
    switch (s) {
    case GT_DNSSEC_OFF:
        return "off";
    case GT_DNSSEC_SECURE:
        return "secure";
    case GT_DNSSEC_INSECURE:
        return "insecure";
    case GT_DNSSEC_BOGUS:
        return "bogus";
    case GT_DNSSEC_INDETERMINATE:
        return "indeterminate";
    }
    return "off";
}

const char *gt_trace_kind_str(gt_trace_kind k)
{
    switch (k) {
    case GT_TRACE_MAIN:
        return "main";
    case GT_TRACE_SUBTRACE:
        return "subtrace";
    case GT_TRACE_CNAME:
        return "cname";
    case GT_TRACE_CHECK:
        return "check";
    case GT_TRACE_RESOLVER:
        return "resolver";
    }
    return "main";
}

const char *gt_trace_status_str(gt_trace_status s)
{
    switch (s) {
    case GT_TS_RUNNING:
        return "running";
    case GT_TS_ANSWER:
        return "answer";
    case GT_TS_NXDOMAIN:
        return "nxdomain";
    case GT_TS_NODATA:
        return "nodata";
    case GT_TS_FAILED:
        return "failed";
    case GT_TS_CYCLE:
        return "cycle";
    case GT_TS_LIMIT:
        return "limit";
    case GT_TS_INTERRUPTED:
        return "interrupted";
    }
    return "failed";
}

const char *gt_nx_word(const gt_msg *m)
{
    return m != NULL && m->rcode == GT_RCODE_YXDOMAIN ? "YXDOMAIN" : "NXDOMAIN";
}
