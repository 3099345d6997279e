/*
 * The DNSSEC status of each server of a zone cut. dnssec_chain.c judges every server's DNSKEY
 * reply and names each one that fails in a DNSSEC finding raised on that reply; a cut's status
 * is the best any server reached. Here each judged reply becomes one entry: bogus when such a
 * finding (of error severity: a warning such as servers serving different DNSKEY sets does not
 * stop a set from validating) was raised on it, secure otherwise.
 */
#include "gluetrace/diagnose/dnssec_servers.h"

#include "gluetrace/base/array.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The reply was judged by the DNSSEC walk: authoritative NOERROR or NXDOMAIN, not truncated
 * (its TCP retry is judged instead). The same test as the walk's. */
static bool judged(const gt_msg *m)
{
    return m != NULL && m->aa && !m->tc &&
           (m->rcode == GT_RCODE_NOERROR || m->rcode == GT_RCODE_NXDOMAIN);
}

static bool retried(const gt_result *r, const gt_query *q)
{
    for (size_t i = q->id; i < r->nqueries; i++) {
        if (r->queries[i]->retry_of == q->id) {
            return true;
        }
    }
    return false;
}

static bool is_dnssec_code(gt_code c)
{
    return strncmp(gt_code_name(c), "DNSSEC_", 7) == 0;
}

/* The error-severity DNSSEC finding raised on query @p id, or SIZE_MAX. */
static size_t finding_on(const gt_result *r, gt_query_id id)
{
    for (size_t i = 0; i < r->nfindings; i++) {
        const gt_finding *f = &r->findings[i];
        if (f->query == id && is_dnssec_code(f->code) &&
            gt_code_severity(f->code) == GT_SEV_ERROR) {
            return i;
        }
    }
    return SIZE_MAX;
}

gt_status gt_dnssec_servers(gt_result *r)
{
    size_t cap = 0;
    free(r->dnssec_servers);
    r->dnssec_servers = NULL;
    r->ndnssec_servers = 0;
    for (size_t c = 0; c < r->ndnssec; c++) {
        const gt_name *zone = &r->dnssec[c].zone;
        if (r->dnssec[c].nservers == 0) {
            continue; /* no DNSKEY reply was judged: no anchor, insecure, or bogus above */
        }
        for (size_t t = 0; t < r->ntraces; t++) {
            const gt_tracerec *tr = r->traces[t];
            if (tr->kind != GT_TRACE_CHECK || tr->qtype != GT_TYPE_DNSKEY ||
                !gt_name_eq(&tr->zone, zone)) {
                continue;
            }
            for (size_t i = 0; i < r->nqueries; i++) {
                const gt_query *q = r->queries[i];
                if (q->trace != t || q->cached_from != 0 || retried(r, q)) {
                    continue;
                }
                if (!gt_array_reserve((void **)&r->dnssec_servers, &cap, r->ndnssec_servers,
                                      sizeof(*r->dnssec_servers))) {
                    return GT_ENOMEM;
                }
                gt_dnssec_server *s = &r->dnssec_servers[r->ndnssec_servers++];
                s->cut = c;
                s->query = q->id;
                s->finding = SIZE_MAX;
                s->state = GT_DNSSEC_OFF;
                if (judged(q->reply)) {
                    s->finding = finding_on(r, q->id);
                    s->state = s->finding == SIZE_MAX ? GT_DNSSEC_SECURE : GT_DNSSEC_BOGUS;
                }
            }
        }
    }
    return GT_OK;
}
