/*
 * Findings about the network the trace ran from: something answering DNS in the place of the
 * root servers (a middlebox intercepting port 53), and an address family that answers nowhere
 * (IPv6 routed into a void). Both replace one finding per server with one that says what is
 * going on, with the evidence.
 */
#include "gluetrace/diagnose/network.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "gluetrace/wire/rrtype.h"

void gt_findings_drop(gt_result *r, gt_code code,
                      bool (*match)(const gt_result *r, const gt_query *q, const void *arg),
                      const void *arg)
{
    size_t k = 0;
    for (size_t i = 0; i < r->nfindings; i++) {
        gt_finding *f = &r->findings[i];
        if (f->code == code && f->query > 0 && f->query <= r->nqueries &&
            match(r, r->queries[f->query - 1], arg)) {
            free(f->message);
            continue;
        }
        r->findings[k++] = *f;
    }
    r->nfindings = k;
}

/* A query of the main trace to a root server address of the hints, sent (not cached). */
static bool root_query(const gt_result *r, const gt_query *q, const void *arg)
{
    (void)arg;
    return q->trace == 0 && q->source == GT_SRC_HINTS && q->zone.len == 1 && !q->cached_from &&
           !q->from_session && r->traces[0]->kind == GT_TRACE_MAIN;
}

/* What the root replies looked like. */
typedef struct root_evidence {
    size_t asked;    /**< root addresses asked */
    size_t replied;  /**< of them, with a parsable reply */
    size_t ra;       /**< replies with RA=1 */
    size_t rootlike; /**< replies a root can give: AA=1 or a referral */
    uint16_t rcode;  /**< the rcode, when all replies share one */
    bool same_rcode; /**< they do */
    double max_rtt;  /**< slowest of the replies, ms */
} root_evidence;

static void root_gather(const gt_result *r, root_evidence *ev)
{
    memset(ev, 0, sizeof(*ev));
    ev->same_rcode = true;
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (!root_query(r, q, NULL)) {
            continue;
        }
        ev->asked++;
        if (q->reply == NULL) {
            continue;
        }
        if (ev->replied > 0 && q->reply->rcode != ev->rcode) {
            ev->same_rcode = false;
        }
        ev->rcode = q->reply->rcode;
        ev->replied++;
        ev->ra += q->reply->ra;
        ev->rootlike += q->reply->aa || q->outcome == GT_OUT_REFERRAL;
        if (q->rtt_ms > ev->max_rtt) {
            ev->max_rtt = q->rtt_ms;
        }
    }
}

/* Root and TLD servers never set RA and always set AA on their own data (RFC 1034 4.3.1,
 * RFC 8499 "authoritative"): when every root that replied did the opposite, they were not
 * the ones replying. */
static gt_status interception(gt_result *r)
{
    root_evidence ev;
    char rc[24], qn[GT_NAME_STRLEN];
    root_gather(r, &ev);
    if (ev.replied == 0 || ev.ra != ev.replied || ev.rootlike > 0) {
        return GT_OK;
    }
    gt_findings_drop(r, GT_F_LAME_SERVER, root_query, NULL);
    gt_name_str(&r->qname, qn, sizeof(qn));
    return gt_result_add_finding(
        r, GT_F_DNS_INTERCEPTED, NULL, 0, NULL,
        "every root server address that answered (%zu of %zu asked) answered %s for %s within "
        "%.0f ms with RA=1 and AA=0: something on this network answers DNS in their place; no "
        "trace from this network can be trusted",
        ev.replied, ev.asked,
        ev.same_rcode ? gt_rcode_to_str(ev.rcode, rc, sizeof(rc)) : "without authority", qn,
        ev.max_rtt < 1.0 ? 1.0 : ev.max_rtt);
}

/* Per address family: queries that got a reply, and addresses that never did. */
typedef struct fam_count {
    size_t replied; /**< queries with any reply */
    size_t silent;  /**< queries that timed out */
} fam_count;

static int fam_of(const gt_query *q)
{
    return q->addr.family == AF_INET6 ? 1 : 0;
}

static bool in_family(const gt_result *r, const gt_query *q, const void *arg)
{
    (void)r;
    return fam_of(q) == *(const int *)arg;
}

static gt_status silent_family(gt_result *r)
{
    fam_count fc[2];
    memset(fc, 0, sizeof(fc));
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (q->cached_from || q->from_session) {
            continue;
        }
        fam_count *c = &fc[fam_of(q)];
        c->replied += q->reply != NULL || q->reply_len > 0;
        c->silent += q->outcome == GT_OUT_TIMEOUT;
    }
    for (int f = 0; f < 2; f++) {
        if (fc[f].replied > 0 || fc[f].silent == 0 || fc[1 - f].replied == 0) {
            continue;
        }
        gt_findings_drop(r, GT_F_UNREACHABLE_SERVER, in_family, &f);
        gt_status st = gt_result_add_finding(
            r, GT_F_FAMILY_SILENT, NULL, 0, NULL,
            "no IPv%d server answered: %zu IPv%d queries timed out while IPv%d answered; IPv%d "
            "addresses were not asked for the rest of the run (this network's IPv%d path looks "
            "broken, not the servers)",
            f ? 6 : 4, fc[f].silent, f ? 6 : 4, f ? 4 : 6, f ? 6 : 4, f ? 6 : 4);
        if (st != GT_OK) {
            return st;
        }
    }
    return GT_OK;
}

/* A query to the server given with -s in the zone the trace starts at (the question, or the
 * DNSKEY query of that zone cut). */
static bool given_query(const gt_result *r, const gt_query *q, const void *arg)
{
    (void)r;
    (void)arg;
    return q->source == GT_SRC_USER && q->zone.len == 1 && !q->cached_from && !q->from_session;
}

/*
 * -s ADDR (dig's @ADDR): the given server is asked as the first zone cut ("."), but it is not a
 * root server, so it is never lame for the root zone. When it replied like a recursive
 * resolver (RA=1, AA=0, no referral) it is named as one.
 */
static gt_status given_server(gt_result *r)
{
    size_t replied = 0, ra = 0, rootlike = 0;
    uint16_t rcode = 0;
    gt_addr addr;
    memset(&addr, 0, sizeof(addr));
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (!given_query(r, q, NULL) || q->reply == NULL) {
            continue;
        }
        replied++;
        ra += q->reply->ra;
        rootlike += q->reply->aa || q->outcome == GT_OUT_REFERRAL;
        rcode = q->reply->rcode;
        addr = q->addr;
    }
    gt_findings_drop(r, GT_F_LAME_SERVER, given_query, NULL);
    gt_findings_drop(r, GT_F_UPWARD_REFERRAL, given_query, NULL);
    if (replied == 0 || ra != replied || rootlike > 0) {
        return GT_OK;
    }
    char a[GT_ADDR_STRLEN], rc[24], qn[GT_NAME_STRLEN];
    gt_addr_to_str(&addr, a, sizeof(a));
    return gt_result_add_finding(
        r, GT_F_GIVEN_SERVER_IS_RESOLVER, NULL, 0, a,
        "%s is a recursive resolver (RA=1, AA=0, no referral), not an authoritative server: "
        "asked %s without recursion it answered %s; run --compare-resolver=%s to compare its "
        "answer with the authoritative servers'",
        a, gt_name_str(&r->qname, qn, sizeof(qn)), gt_rcode_to_str(rcode, rc, sizeof(rc)), a);
}

gt_status gt_network_findings(gt_result *r)
{
    gt_status st = given_server(r);
    if (st != GT_OK) {
        return st;
    }
    st = interception(r);
    if (st == GT_OK) {
        st = silent_family(r);
    }
    return st;
}
