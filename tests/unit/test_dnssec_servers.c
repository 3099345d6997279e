/*
 * gt_dnssec_servers(): one entry per DNSKEY query of each judged zone cut, secure unless a
 * DNSSEC finding of error severity was raised on its reply (a warning on a set that
 * validated leaves it secure), no_reply (GT_DNSSEC_OFF) without an authoritative reply, a
 * truncated UDP reply replaced by its TCP retry, and nothing for a cut with no judged server
 * or for other check traces. The result is built by hand: only the facts the step reads.
 */
#define _GNU_SOURCE /* open_memstream */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>

#include "gluetrace/diagnose/dnssec_servers.h"
#include "gluetrace/output/render.h"
#include "msgbuild.h"
#include "tap.h"

static gt_name nm(const char *s)
{
    gt_name n;
    if (gt_name_from_str(&n, s) != GT_OK) {
        abort();
    }
    return n;
}

/* A reply to "x.test. DNSKEY" from a server (aa, rcode, tc as given). */
static gt_msg *reply(bool aa, uint16_t rcode, bool tc)
{
    uint8_t q[512];
    size_t qlen;
    gt_name qn = nm("x.test");
    gt_query_opts o = {.id = 1, .edns = true, .bufsize = 1232, .do_bit = true};
    if (gt_build_query(q, sizeof(q), &qlen, &qn, GT_TYPE_DNSKEY, &o) != GT_OK) {
        abort();
    }
    tb_msg b;
    tb_begin(&b, q, qlen, aa, rcode);
    if (tc) {
        tb_set_tc(&b);
    }
    size_t len = tb_end(&b);
    gt_msg *m = NULL;
    if (gt_msg_parse(b.buf, len, &m) != GT_OK) {
        abort();
    }
    return m;
}

static void add_trace(gt_result *r, gt_trace_kind kind, uint16_t qtype, const char *zone)
{
    gt_tracerec *t = calloc(1, sizeof(*t));
    t->id = r->ntraces;
    t->kind = kind;
    t->qtype = qtype;
    t->zone = nm(zone);
    r->traces[r->ntraces++] = t;
}

static gt_query *add_query(gt_result *r, gt_trace_id trace, const char *zone, gt_msg *m)
{
    gt_query *q = calloc(1, sizeof(*q));
    q->id = r->nqueries + 1;
    q->trace = trace;
    q->zone = nm(zone);
    q->server_name = nm("ns.x.test");
    q->qname = nm(zone);
    q->qtype = GT_TYPE_DNSKEY;
    q->reply = m;
    q->addr.family = AF_INET;
    q->addr.port = 53;
    q->addr.bytes[0] = 192;
    q->addr.bytes[3] = (uint8_t)q->id;
    r->queries[r->nqueries++] = q;
    return q;
}

int main(void)
{
    gt_result *r = calloc(1, sizeof(*r));
    r->traces = calloc(GT_MAX_TRACES, sizeof(*r->traces));
    r->queries = calloc(16, sizeof(*r->queries));
    r->capqueries = 16;
    add_trace(r, GT_TRACE_MAIN, GT_TYPE_A, "test");
    add_trace(r, GT_TRACE_CHECK, GT_TYPE_DNSKEY, "x.test"); /* trace 1: the DNSKEY checks */
    add_trace(r, GT_TRACE_CHECK, GT_TYPE_NS, "x.test");     /* trace 2: another check */
    add_trace(r, GT_TRACE_CHECK, GT_TYPE_DNSKEY, "y.test"); /* trace 3: a cut not judged */
    add_query(r, 1, "x.test", reply(true, GT_RCODE_NOERROR, false)); /* 1: secure */
    add_query(r, 1, "x.test", reply(true, GT_RCODE_NOERROR, false)); /* 2: DS_NO_KEY */
    add_query(r, 1, "x.test", reply(true, GT_RCODE_NOERROR, false)); /* 3: a warning only */
    add_query(r, 1, "x.test", NULL);                                 /* 4: timeout */
    add_query(r, 1, "x.test", reply(true, GT_RCODE_NOERROR, true));  /* 5: TC, retried */
    add_query(r, 1, "x.test", reply(true, GT_RCODE_NOERROR, false))->retry_of = 5; /* 6 */
    add_query(r, 1, "x.test", reply(false, GT_RCODE_REFUSED, false));              /* 7: refused */
    add_query(r, 2, "x.test", reply(true, GT_RCODE_NOERROR, false));               /* 8: NS check */
    add_query(r, 3, "y.test", reply(true, GT_RCODE_NOERROR, false));               /* 9: y.test. */
    gt_name z = nm("x.test");
    GT_CHECK_INT(gt_result_add_finding(r, GT_F_DNSSEC_DS_NO_KEY, &z, 2, NULL, "no key"), GT_OK);
    GT_CHECK_INT(gt_result_add_finding(r, GT_F_DNSSEC_DNSKEY_MISMATCH, &z, 3, NULL, "other set"),
                 GT_OK);
    GT_CHECK_INT(gt_result_add_finding(r, GT_F_LAME_SERVER, &z, 7, NULL, "refused"), GT_OK);
    r->dnssec = calloc(2, sizeof(*r->dnssec));
    r->ndnssec = 2;
    r->dnssec[0].zone = z;
    r->dnssec[0].state = GT_DNSSEC_SECURE;
    r->dnssec[0].nservers = 4; /* 1, 2, 3, 6 */
    r->dnssec[0].nsecure = 3;
    r->dnssec[1].zone = nm("y.test");
    r->dnssec[1].state = GT_DNSSEC_INSECURE; /* nservers 0: nothing judged */

    GT_CHECK_INT(gt_dnssec_servers(r), GT_OK);
    static const struct {
        gt_query_id query;
        gt_dnssec_state state;
        size_t finding;
    } want[] = {
        {1, GT_DNSSEC_SECURE, SIZE_MAX}, {2, GT_DNSSEC_BOGUS, 0},
        {3, GT_DNSSEC_SECURE, SIZE_MAX}, {4, GT_DNSSEC_OFF, SIZE_MAX},
        {6, GT_DNSSEC_SECURE, SIZE_MAX}, {7, GT_DNSSEC_OFF, SIZE_MAX},
    };
    size_t n = sizeof(want) / sizeof(want[0]);
    GT_CHECK_INT(r->ndnssec_servers, n);
    size_t secure = 0, judged = 0;
    for (size_t i = 0; i < r->ndnssec_servers && i < n; i++) {
        const gt_dnssec_server *s = &r->dnssec_servers[i];
        GT_CHECK_INT(s->cut, 0);
        GT_CHECK_INT(s->query, want[i].query);
        GT_CHECK_INT(s->state, want[i].state);
        GT_CHECK_INT(s->finding, want[i].finding);
        secure += s->state == GT_DNSSEC_SECURE;
        judged += s->state != GT_DNSSEC_OFF;
    }
    /* the counts the walk recorded */
    GT_CHECK_INT(secure, r->dnssec[0].nsecure);
    GT_CHECK_INT(judged, r->dnssec[0].nservers);

    /* JSON: dnssec.zones[0].server_status, in the same order, with the finding's code */
    gt_config cfg;
    gt_config_defaults(&cfg);
    cfg.qname = nm("www.x.test");
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    GT_CHECK_INT(gt_render_json(f, r, &cfg), GT_OK);
    fclose(f);
    json_error_t jerr;
    json_t *root = json_loads(buf, 0, &jerr);
    json_t *ss = json_object_get(
        json_array_get(json_object_get(json_object_get(root, "dnssec"), "zones"), 0),
        "server_status");
    GT_CHECK_INT(json_array_size(ss), n);
    static const char *const words[] = {"secure",   "bogus",  "secure",
                                        "no_reply", "secure", "no_reply"};
    for (size_t i = 0; i < json_array_size(ss) && i < n; i++) {
        json_t *e = json_array_get(ss, i);
        GT_CHECK_STR(json_string_value(json_object_get(e, "status")), words[i]);
        GT_CHECK_INT(json_integer_value(json_object_get(e, "query")), want[i].query);
    }
    json_t *bogus = json_array_get(ss, 1);
    GT_CHECK_STR(json_string_value(json_object_get(bogus, "code")), "DNSSEC_DS_NO_KEY");
    GT_CHECK_STR(json_string_value(json_object_get(bogus, "reason")), "no key");
    json_t *warned = json_array_get(ss, 2);
    GT_CHECK(json_object_get(warned, "code") == json_null());
    GT_CHECK_STR(json_string_value(json_array_get(json_object_get(warned, "other_findings"), 0)),
                 "DNSSEC_DNSKEY_MISMATCH");
    GT_CHECK_INT(json_array_size(json_object_get(
                     json_array_get(json_object_get(json_object_get(root, "dnssec"), "zones"), 1),
                     "server_status")),
                 0);
    json_decref(root);
    free(buf);

    /* run again: replaced, not appended */
    GT_CHECK_INT(gt_dnssec_servers(r), GT_OK);
    GT_CHECK_INT(r->ndnssec_servers, n);
    gt_result_free(r);
    return gt_test_done();
}
