/*
 * Engine scenarios over the scripted transport: a small world of authoritative servers
 * (tests/support/miniauth) answers every query, no network involved.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gluetrace/diagnose/diagnose.h"
#include "gluetrace/engine/trace.h"
#include "gluetrace/output/render.h"
#include "miniauth.h"
#include "tap.h"

/* Two root servers; the test. TLD with glue; net. TLD with glue. */
#define ROOTS                                                                                      \
    "@198.51.100.1 .", ". NS a.root.test.", ". NS b.root.test.", "test. NS ns1.nic.test.",         \
        "ns1.nic.test. A 198.51.100.10", "net. NS ns1.nic.net.", "ns1.nic.net. A 198.51.100.20",   \
        "@198.51.100.2 .", ". NS a.root.test.", ". NS b.root.test.", "test. NS ns1.nic.test.",     \
        "ns1.nic.test. A 198.51.100.10", "net. NS ns1.nic.net.", "ns1.nic.net. A 198.51.100.20"

static const char hints_text[] = ". 3600000 NS a.root.test.\n"
                                 ". 3600000 NS b.root.test.\n"
                                 "a.root.test. 3600000 A 198.51.100.1\n"
                                 "b.root.test. 3600000 A 198.51.100.2\n";

typedef mini_run run;

static void cfg_for(gt_config *cfg, const char *name, uint16_t type)
{
    gt_config_defaults(cfg);
    cfg->no_checks = true; /* path tests count queries; the checks have their own tests */
    gt_name_from_str(&cfg->qname, name);
    cfg->qtype = type;
}

static run go(const char *const *world, const gt_config *cfg)
{
    run x;
    GT_CHECK_INT(mini_trace(world, hints_text, cfg, NULL, &x), GT_OK);
    return x;
}

static void done(run *x)
{
    mini_run_free(x);
}

/* First query sent to @p addr for @p qname (NULL: any), or NULL. */
static const gt_query *find_q(const gt_result *r, const char *addr, const char *qname)
{
    gt_addr a;
    gt_name n;
    gt_addr_parse(addr, &a);
    if (qname) {
        gt_name_from_str(&n, qname);
    }
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (gt_addr_eq(&q->addr, &a) && (!qname || gt_name_eq(&q->qname, &n))) {
            return q;
        }
    }
    return NULL;
}

static size_t count_findings(const gt_result *r, gt_code code)
{
    size_t n = 0;
    for (size_t i = 0; i < r->nfindings; i++) {
        n += r->findings[i].code == code;
    }
    return n;
}

static bool server_is(const gt_query *q, const char *name)
{
    gt_name n;
    gt_name_from_str(&n, name);
    return gt_name_eq(&q->server_name, &n);
}

static void test_glued_path(void)
{
    static const char *const world[] = {
        ROOTS,
        "@198.51.100.10 test.",
        "example.test. NS ns1.example.test.",
        "example.test. NS ns2.example.test.",
        "ns1.example.test. A 198.51.100.30",
        "ns2.example.test. AAAA 2001:db8::30",
        "@198.51.100.30 example.test.",
        "example.test. SOA ns1.example.test. h.example.test. 1 2 3 4 5",
        "www.example.test. A 192.0.2.1",
        "@2001:db8::30 example.test.",
        "example.test. SOA ns1.example.test. h.example.test. 1 2 3 4 5",
        "www.example.test. A 192.0.2.1",
        NULL,
    };
    gt_config cfg;
    cfg_for(&cfg, "www.example.test", GT_TYPE_A);
    run x = go(world, &cfg);
    const gt_result *r = x.r;
    GT_CHECK_INT(gt_result_exit_code(r, false), 0);
    GT_CHECK_INT(r->traces[0]->status, GT_TS_ANSWER);
    /* roots x2, TLD once (dedup of the identical referral), both child addresses */
    GT_CHECK_INT(r->sent, 5);
    GT_CHECK_INT(scr_max_dup(x.s), 1);
    const gt_query *root = find_q(r, "198.51.100.1", NULL);
    GT_CHECK(root != NULL && root->source == GT_SRC_HINTS && root->outcome == GT_OUT_REFERRAL);
    const gt_query *tld = find_q(r, "198.51.100.10", NULL);
    GT_CHECK(tld != NULL && tld->source == GT_SRC_GLUE && tld->glue_from == root->id &&
             tld->glue_kind == GT_GLUE_IN_DOMAIN && server_is(tld, "ns1.nic.test."));
    const gt_query *b = find_q(r, "198.51.100.2", NULL);
    GT_CHECK(b != NULL && b->same_as == root->id);
    const gt_query *c4 = find_q(r, "198.51.100.30", NULL);
    const gt_query *c6 = find_q(r, "2001:db8::30", NULL);
    GT_CHECK(c4 != NULL && c4->glue_from == tld->id && c4->outcome == GT_OUT_ANSWER);
    GT_CHECK(c6 != NULL && c6->glue_from == tld->id && c6->outcome == GT_OUT_ANSWER &&
             server_is(c6, "ns2.example.test."));
    GT_CHECK_INT(r->nanswers, 1);
    GT_CHECK_INT(r->nanswers ? r->answers[0].nqueries : 0, 2);
    done(&x);
}

/* example.test is served by ns.other.net: no glue, a sub-trace from the root finds it. */
static const char *const glueless_world[] = {
    ROOTS,
    "@198.51.100.10 test.",
    "example.test. NS ns.other.net.",
    "@198.51.100.20 net.",
    "other.net. NS ns1.other.net.",
    "ns1.other.net. A 198.51.100.40",
    "@198.51.100.40 other.net.",
    "other.net. SOA ns1.other.net. h.other.net. 1 2 3 4 5",
    "ns.other.net. A 198.51.100.50",
    "ns.other.net. AAAA 2001:db8::50",
    "@198.51.100.50 example.test.",
    "example.test. SOA ns.other.net. h.example.test. 1 2 3 4 5",
    "www.example.test. A 192.0.2.2",
    "@2001:db8::50 example.test.",
    "example.test. SOA ns.other.net. h.example.test. 1 2 3 4 5",
    "www.example.test. A 192.0.2.2",
    NULL,
};

static void test_glueless(void)
{
    gt_config cfg;
    cfg_for(&cfg, "www.example.test", GT_TYPE_A);
    run x = go(glueless_world, &cfg);
    const gt_result *r = x.r;
    GT_CHECK_INT(gt_result_exit_code(r, false), 0);
    GT_CHECK_INT(r->ntraces, 3); /* main + ns.other.net A + AAAA */
    const gt_query *c = find_q(r, "198.51.100.50", "www.example.test.");
    GT_CHECK(c != NULL && c->source == GT_SRC_SUBTRACE && c->outcome == GT_OUT_ANSWER);
    if (c != NULL) {
        const gt_tracerec *st = r->traces[c->subtrace];
        GT_CHECK(st->kind == GT_TRACE_SUBTRACE && st->qtype == GT_TYPE_A &&
                 st->status == GT_TS_ANSWER && st->naddrs == 1);
        GT_CHECK(c->parent == find_q(r, "198.51.100.10", "www.example.test.")->id);
    }
    const gt_query *c6 = find_q(r, "2001:db8::50", "www.example.test.");
    GT_CHECK(c6 != NULL && c6->source == GT_SRC_SUBTRACE);
    /* The sub-trace's query to the net. server is its own, sent with qname ns.other.net. */
    const gt_query *sn = find_q(r, "198.51.100.40", "ns.other.net.");
    GT_CHECK(sn != NULL && sn->trace != 0 && sn->source == GT_SRC_GLUE);
    GT_CHECK_INT(scr_max_dup(x.s), 1);
    done(&x);

    /* -4: no AAAA sub-trace, no IPv6 server asked. */
    cfg.family = AF_INET;
    x = go(glueless_world, &cfg);
    GT_CHECK_INT(x.r->ntraces, 2);
    GT_CHECK(find_q(x.r, "2001:db8::50", NULL) == NULL);
    GT_CHECK_INT(gt_result_exit_code(x.r, false), 0);
    done(&x);
}

static void test_sibling_and_oob_glue(void)
{
    static const char *const world[] = {
        ROOTS,
        "@198.51.100.10 test.",
        "example.test. NS ns.sib.test.",
        "example.test. NS ns.other.net.",
        "ns.sib.test. A 198.51.100.60",
        /* a rogue copy of other.net on the test. server: its glue is out of bailiwick */
        "@198.51.100.10 other.net.",
        "ns.other.net. A 203.0.113.66",
        "@198.51.100.20 net.",
        "other.net. NS ns1.other.net.",
        "ns1.other.net. A 198.51.100.40",
        "@198.51.100.40 other.net.",
        "ns.other.net. A 198.51.100.50",
        "@198.51.100.50 example.test.",
        "www.example.test. A 192.0.2.3",
        "@198.51.100.60 example.test.",
        "www.example.test. A 192.0.2.3",
        NULL,
    };
    gt_config cfg;
    cfg_for(&cfg, "www.example.test", GT_TYPE_A);
    run x = go(world, &cfg);
    const gt_result *r = x.r;
    GT_CHECK_INT(gt_result_exit_code(r, false), 0);
    const gt_query *tld = find_q(r, "198.51.100.10", "www.example.test.");
    GT_CHECK(tld != NULL && tld->has_referral);
    if (tld != NULL && tld->has_referral) {
        GT_CHECK_INT(tld->referral.nglue, 1);
        GT_CHECK_INT(tld->referral.nignored, 1);
        GT_CHECK(tld->referral.nignored == 1 &&
                 strcmp(tld->referral.ignored[0].reason, "out of bailiwick") == 0);
    }
    const gt_query *sib = find_q(r, "198.51.100.60", NULL);
    GT_CHECK(sib != NULL && sib->source == GT_SRC_GLUE && sib->glue_kind == GT_GLUE_SIBLING);
    GT_CHECK(find_q(r, "203.0.113.66", NULL) == NULL); /* never used */
    const gt_query *sub = find_q(r, "198.51.100.50", "www.example.test.");
    GT_CHECK(sub != NULL && sub->source == GT_SRC_SUBTRACE);
    GT_CHECK_INT(scr_count_to(x.s, "203.0.113.66", NULL), 0);
    done(&x);
}

static void test_glueless_cycle(void)
{
    static const char *const world[] = {
        ROOTS, "@198.51.100.10 test.", "a.test. NS ns.b.test.", "b.test. NS ns.a.test.", NULL,
    };
    gt_config cfg;
    cfg_for(&cfg, "www.a.test", GT_TYPE_A);
    run x = go(world, &cfg);
    const gt_result *r = x.r;
    GT_CHECK_INT(gt_result_exit_code(r, false), 3);
    GT_CHECK(count_findings(r, GT_F_GLUELESS_CYCLE) >= 1);
    GT_CHECK(r->traces[0]->status == GT_TS_FAILED || r->traces[0]->status == GT_TS_CYCLE);
    GT_CHECK(r->sent < 20);
    GT_CHECK_INT(scr_max_dup(x.s), 1);
    done(&x);
}

static void test_budget(void)
{
    gt_config cfg;
    cfg_for(&cfg, "www.example.test", GT_TYPE_A);
    cfg.max_queries = 3;
    run x = go(glueless_world, &cfg);
    GT_CHECK_INT(x.r->sent, 3);
    GT_CHECK_INT(scr_count(x.s), 3);
    GT_CHECK_INT(count_findings(x.r, GT_F_LIMIT_REACHED), 1);
    GT_CHECK_INT(gt_result_exit_code(x.r, false), 3);
    done(&x);
}

static void test_tc_then_tcp(void)
{
    static const char *const world[] = {
        ROOTS,
        "!198.51.100.10 tc",
        "@198.51.100.10 test.",
        "example.test. NS ns1.example.test.",
        "ns1.example.test. A 198.51.100.30",
        "@198.51.100.30 example.test.",
        "www.example.test. A 192.0.2.4",
        NULL,
    };
    gt_config cfg;
    cfg_for(&cfg, "www.example.test", GT_TYPE_A);
    run x = go(world, &cfg);
    const gt_result *r = x.r;
    GT_CHECK_INT(gt_result_exit_code(r, false), 0);
    GT_CHECK_INT(scr_count_to(x.s, "198.51.100.10", NULL), 2);
    const gt_query *udp = find_q(r, "198.51.100.10", NULL);
    GT_CHECK(udp != NULL && !udp->tcp && udp->outcome == GT_OUT_TRUNCATED);
    const gt_query *tcp = NULL;
    for (size_t i = 0; i < r->nqueries; i++) {
        if (r->queries[i]->retry_of != 0) {
            tcp = r->queries[i];
        }
    }
    GT_CHECK(tcp != NULL && tcp->tcp && tcp->outcome == GT_OUT_REFERRAL &&
             tcp->retry_of == udp->id);
    const gt_query *child = find_q(r, "198.51.100.30", NULL);
    GT_CHECK(child != NULL && child->glue_from == tcp->id);
    done(&x);
}

static void test_timeout_and_lame(void)
{
    static const char *const world[] = {
        ROOTS,
        "@198.51.100.10 test.",
        "example.test. NS ns1.example.test.",
        "example.test. NS ns2.example.test.",
        "example.test. NS ns3.example.test.",
        "ns1.example.test. A 198.51.100.30",
        "ns2.example.test. A 198.51.100.31",
        "ns3.example.test. A 198.51.100.32",
        "!198.51.100.30 drop",
        "!198.51.100.31 refuse",
        "@198.51.100.32 example.test.",
        "www.example.test. A 192.0.2.5",
        NULL,
    };
    gt_config cfg;
    cfg_for(&cfg, "www.example.test", GT_TYPE_A);
    run x = go(world, &cfg);
    const gt_result *r = x.r;
    /* The answer was reached, but a lame server is an error finding: exit 1. */
    GT_CHECK_INT(gt_result_exit_code(r, false), 1);
    GT_CHECK_INT(count_findings(r, GT_F_LAME_SERVER), 1);
    GT_CHECK_INT(count_findings(r, GT_F_UNREACHABLE_SERVER), 1);
    GT_CHECK_INT(r->timeouts, 1);
    const gt_query *t = find_q(r, "198.51.100.30", NULL);
    const gt_query *l = find_q(r, "198.51.100.31", NULL);
    const gt_query *a = find_q(r, "198.51.100.32", NULL);
    GT_CHECK(t != NULL && t->outcome == GT_OUT_TIMEOUT);
    GT_CHECK(l != NULL && l->outcome == GT_OUT_LAME && l->cls.lame == GT_LAME_RCODE);
    GT_CHECK(a != NULL && a->outcome == GT_OUT_ANSWER);
    GT_CHECK_INT(r->nanswers, 1);
    done(&x);

    /* --one: the first server times out, the second is lame, the third answers. */
    cfg.one_path = true;
    x = go(world, &cfg);
    GT_CHECK_INT(gt_result_exit_code(x.r, false), 1);
    GT_CHECK_INT(x.r->sent, 5); /* one root, the TLD, then three children one after another */
    GT_CHECK(find_q(x.r, "198.51.100.2", NULL) == NULL);
    done(&x);
}

/*
 * One address without a route, in a family that already answered (the roots): only that
 * address is skipped, with a NO_ROUTE naming it; the family's other servers are still asked.
 */
static void test_noroute_address(void)
{
    static const char *const world[] = {
        ROOTS,
        "@198.51.100.10 test.",
        "example.test. NS ns1.example.test.",
        "example.test. NS ns2.example.test.",
        "ns1.example.test. A 198.51.100.30",
        "ns2.example.test. A 198.51.100.32",
        "!198.51.100.30 noroute",
        "@198.51.100.32 example.test.",
        "www.example.test. A 192.0.2.5",
        NULL,
    };
    gt_config cfg;
    cfg_for(&cfg, "www.example.test", GT_TYPE_A);
    cfg.one_path = true; /* one server after another: the second is asked after the first */
    run x = go(world, &cfg);
    const gt_result *r = x.r;
    GT_CHECK_INT(count_findings(r, GT_F_NO_ROUTE), 1);
    for (size_t i = 0; i < r->nfindings; i++) {
        if (r->findings[i].code == GT_F_NO_ROUTE) {
            GT_CHECK(strstr(r->findings[i].message, "no route to 198.51.100.30") != NULL);
        }
    }
    const gt_query *a = find_q(r, "198.51.100.32", NULL);
    GT_CHECK(a != NULL && a->outcome == GT_OUT_ANSWER);
    GT_CHECK_INT(r->nanswers, 1);
    done(&x);
}

static void test_all_servers_dead(void)
{
    static const char *const world[] = {
        ROOTS,
        "@198.51.100.10 test.",
        "example.test. NS ns1.example.test.",
        "ns1.example.test. A 198.51.100.30",
        "!198.51.100.30 refuse",
        NULL,
    };
    gt_config cfg;
    cfg_for(&cfg, "www.example.test", GT_TYPE_A);
    run x = go(world, &cfg);
    GT_CHECK_INT(gt_result_exit_code(x.r, false), 3);
    GT_CHECK_INT(x.r->nanswers, 0);
    done(&x);
}

static void test_nxdomain_and_cname(void)
{
    static const char *const world[] = {
        ROOTS,
        "@198.51.100.10 test.",
        "example.test. NS ns1.example.test.",
        "ns1.example.test. A 198.51.100.30",
        "@198.51.100.30 example.test.",
        "example.test. SOA ns1.example.test. h.example.test. 1 2 3 4 5",
        "www.example.test. CNAME web.other.net.",
        "@198.51.100.20 net.",
        "other.net. NS ns1.other.net.",
        "ns1.other.net. A 198.51.100.40",
        "@198.51.100.40 other.net.",
        "other.net. SOA ns1.other.net. h.other.net. 1 2 3 4 5",
        "web.other.net. A 192.0.2.9",
        NULL,
    };
    gt_config cfg;
    cfg_for(&cfg, "nope.example.test", GT_TYPE_A);
    run x = go(world, &cfg);
    GT_CHECK_INT(gt_result_exit_code(x.r, false), 0);
    GT_CHECK_INT(x.r->traces[0]->status, GT_TS_NXDOMAIN);
    done(&x);

    cfg_for(&cfg, "www.example.test", GT_TYPE_A);
    x = go(world, &cfg);
    const gt_result *r = x.r;
    GT_CHECK_INT(gt_result_exit_code(r, false), 0);
    GT_CHECK_INT(r->ntraces, 2);
    GT_CHECK(r->ntraces == 2 && r->traces[1]->kind == GT_TRACE_CNAME &&
             r->traces[0]->cname_child == 1);
    GT_CHECK_INT(r->traces[0]->status, GT_TS_ANSWER);
    const gt_query *w = find_q(r, "198.51.100.40", "web.other.net.");
    GT_CHECK(w != NULL && w->outcome == GT_OUT_ANSWER && w->trace == 1);
    GT_CHECK_INT(r->nanswers, 2); /* the CNAME and the target's A */
    done(&x);
}

static void test_referral_cache(void)
{
    gt_config cfg;
    cfg_for(&cfg, "www.example.test", GT_TYPE_A);
    run x = go(glueless_world, &cfg);
    size_t cached = 0;
    for (size_t i = 0; i < x.r->nqueries; i++) {
        cached += x.r->queries[i]->cached_from != 0;
    }
    size_t sent_with_cache = x.r->sent;
    GT_CHECK(cached == 0); /* the sub-trace asks for other.net names: no cut in common */
    done(&x);

    /* A glueless NS under the same TLD: its sub-trace reuses the root's test. referral. */
    static const char *const world[] = {
        ROOTS,
        "@198.51.100.10 test.",
        "example.test. NS ns.hoster.test.",
        "hoster.test. NS ns1.hoster.test.",
        "ns1.hoster.test. A 198.51.100.70",
        "@198.51.100.70 hoster.test.",
        "ns.hoster.test. A 198.51.100.71",
        "@198.51.100.71 example.test.",
        "www.example.test. A 192.0.2.7",
        NULL,
    };
    cfg.family = AF_INET;
    x = go(world, &cfg);
    cached = 0;
    for (size_t i = 0; i < x.r->nqueries; i++) {
        cached += x.r->queries[i]->cached_from != 0;
    }
    GT_CHECK_INT(cached, 2); /* both roots, for ns.hoster.test. */
    GT_CHECK_INT(gt_result_exit_code(x.r, false), 0);
    size_t sent = x.r->sent;
    done(&x);
    cfg.no_cache = true;
    x = go(world, &cfg);
    GT_CHECK_INT(x.r->sent, sent + 2);
    done(&x);
    (void)sent_with_cache;
}

static void test_user_server(void)
{
    gt_config cfg;
    cfg_for(&cfg, "www.example.test", GT_TYPE_A);
    cfg.have_server = true;
    gt_addr_parse("198.51.100.10", &cfg.server);
    run x = go(glueless_world, &cfg);
    const gt_query *first = x.r->queries[0];
    GT_CHECK(first->source == GT_SRC_USER && first->outcome == GT_OUT_REFERRAL);
    GT_CHECK_INT(gt_result_exit_code(x.r, false), 0);
    done(&x);
}

typedef struct bulk_seen {
    const gt_config *cfg;
    size_t n;
    size_t sent;
    size_t from_session;
    int codes[8];
} bulk_seen;

static void bulk_emit(void *arg, size_t index, gt_result *r, gt_status st)
{
    bulk_seen *b = arg;
    GT_CHECK_INT(st, GT_OK);
    GT_CHECK(r != NULL && index < 8);
    if (r == NULL || index >= 8) {
        return;
    }
    GT_CHECK_INT(gt_diagnose(r, b->cfg, NULL, NULL, NULL, 0),
                 GT_OK); /* trace, then diagnose, as main does */
    b->n++;
    b->sent += r->sent;
    for (size_t i = 0; i < r->nqueries; i++) {
        b->from_session += r->queries[i]->from_session;
    }
    b->codes[index] = gt_result_exit_code(r, false);
}

/* -f: names share referrals and sub-trace results through the session. */
static void test_bulk(void)
{
    gt_config cfg;
    cfg_for(&cfg, ".", GT_TYPE_A);
    gt_hints hints;
    char err[128];
    GT_CHECK_INT(gt_hints_parse(hints_text, &hints, err, sizeof(err)), GT_OK);
    static const char *const names[] = {"www.example.test", "nope.example.test", "ns.other.net",
                                        "www.example.test"};
    gt_bulk_name bn[4];
    for (size_t i = 0; i < 4; i++) {
        gt_name_from_str(&bn[i].name, names[i]);
        bn[i].qtype = GT_TYPE_A;
    }
    mini *w = mini_create(glueless_world);
    scripted *s = scr_create(mini_respond, w);
    gt_session *session = NULL;
    GT_CHECK_INT(gt_session_create(&session), GT_OK);
    bulk_seen seen;
    memset(&seen, 0, sizeof(seen));
    seen.cfg = &cfg;
    /* One name at a time: every later name can reuse what the earlier ones learnt. */
    GT_CHECK_INT(
        gt_trace_bulk(&cfg, &hints, scr_transport(s), session, bn, 4, 1, NULL, bulk_emit, &seen),
        GT_OK);
    GT_CHECK_INT(seen.n, 4);
    GT_CHECK_INT(seen.codes[0], 0);
    GT_CHECK_INT(seen.codes[1], 0); /* NXDOMAIN is authoritative data */
    GT_CHECK_INT(seen.codes[2], 0);
    GT_CHECK_INT(seen.codes[3], 0);
    GT_CHECK(seen.from_session > 0);
    GT_CHECK(gt_session_size(session) > 0);
    GT_CHECK_INT(seen.sent, scr_count(s));
    size_t shared_sent = seen.sent;
    gt_session_destroy(session);
    scr_destroy(s);

    /* The same names traced one run each: more queries. */
    size_t single = 0;
    for (size_t i = 0; i < 4; i++) {
        cfg_for(&cfg, names[i], GT_TYPE_A);
        run x = go(glueless_world, &cfg);
        single += x.r->sent;
        done(&x);
    }
    GT_CHECK(shared_sent < single);
    fprintf(stderr, "bulk: %zu queries shared, %zu in single runs\n", shared_sent, single);

    /* All four at once: all still answered, the same as one at a time. */
    s = scr_create(mini_respond, w);
    GT_CHECK_INT(gt_session_create(&session), GT_OK);
    memset(&seen, 0, sizeof(seen));
    seen.cfg = &cfg;
    GT_CHECK_INT(
        gt_trace_bulk(&cfg, &hints, scr_transport(s), session, bn, 4, 4, NULL, bulk_emit, &seen),
        GT_OK);
    GT_CHECK_INT(seen.n, 4);
    for (size_t i = 0; i < 4; i++) {
        GT_CHECK_INT(seen.codes[i], 0);
    }
    gt_session_destroy(session);
    scr_destroy(s);
    mini_destroy(w);
}

/** The order names are emitted in, for the sliding-window test. */
typedef struct emit_order {
    const gt_config *cfg;
    size_t order[8];
    size_t n;
    int codes[8];
} emit_order;

static void order_emit(void *arg, size_t index, gt_result *r, gt_status st)
{
    emit_order *o = arg;
    GT_CHECK_INT(st, GT_OK);
    GT_CHECK(r != NULL && index < 8 && o->n < 8);
    if (r == NULL || index >= 8 || o->n >= 8) {
        return;
    }
    GT_CHECK_INT(gt_diagnose(r, o->cfg, NULL, NULL, NULL, 0), GT_OK);
    o->codes[index] = gt_result_exit_code(r, false);
    o->order[o->n++] = index;
}

/*
 * A sliding window, not batches: with two names at a time, a slow name (a glueless
 * delegation: a sub-trace from the root before its servers can be asked) and quick ones
 * (NXDOMAIN from the root), the quick names end, are emitted and are replaced one after the
 * other while the slow one is still in flight. In batches of two, the first batch would wait
 * for the slow name and emit it first.
 */
static void test_bulk_window(void)
{
    gt_config cfg;
    cfg_for(&cfg, ".", GT_TYPE_A);
    gt_hints hints;
    char err[128];
    GT_CHECK_INT(gt_hints_parse(hints_text, &hints, err, sizeof(err)), GT_OK);
    static const char *const names[] = {"www.example.test", "a.nowhere", "b.nowhere", "c.nowhere",
                                        "d.nowhere"};
    gt_bulk_name bn[5];
    for (size_t i = 0; i < 5; i++) {
        gt_name_from_str(&bn[i].name, names[i]);
        bn[i].qtype = GT_TYPE_A;
    }
    mini *w = mini_create(glueless_world);
    scripted *s = scr_create(mini_respond, w);
    gt_session *session = NULL;
    GT_CHECK_INT(gt_session_create(&session), GT_OK);
    emit_order o;
    memset(&o, 0, sizeof(o));
    o.cfg = &cfg;
    GT_CHECK_INT(
        gt_trace_bulk(&cfg, &hints, scr_transport(s), session, bn, 5, 2, NULL, order_emit, &o),
        GT_OK);
    GT_CHECK_INT(o.n, 5);
    GT_CHECK_INT(o.codes[0], 0); /* the slow name is answered */
    /* the quick names came out first, in input order, the slow one last */
    for (size_t i = 0; i < 4; i++) {
        GT_CHECK_INT(o.order[i], i + 1);
    }
    GT_CHECK_INT(o.order[4], 0);
    GT_CHECK(scr_yields(s) >= 4); /* the transport returned early as each quick name ended */
    gt_session_destroy(session);
    scr_destroy(s);
    mini_destroy(w);
}

/* Cancels its run once @p after queries got their outcome; notes what the run had sent then. */
typedef struct canceller {
    volatile sig_atomic_t flag;
    size_t after;
    size_t seen;
    size_t sent_at_cancel;
    size_t records_at_cancel;
} canceller;

static void cancel_on_query(void *arg, const gt_result *r, const gt_query *q)
{
    canceller *c = arg;
    (void)q;
    if (++c->seen == c->after) {
        c->sent_at_cancel = r->sent;
        c->records_at_cancel = r->nqueries;
        gt_trace_cancel(&c->flag);
    }
}

/* What every cancelled result must satisfy. */
static void check_interrupted(gt_result *r, const scripted *s, const gt_config *cfg)
{
    GT_CHECK(r->interrupted);
    GT_CHECK_INT(r->traces[0]->status, GT_TS_INTERRUPTED);
    GT_CHECK_INT(gt_result_exit_code(r, false), 3);
    size_t answered = 0;
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        GT_CHECK(q->id == i + 1 && q->trace < r->ntraces);
        answered += q->outcome != GT_OUT_PENDING && q->cached_from == 0 && !q->from_session;
    }
    /* Every reply the transport delivered was recorded; the dropped ones stay pending. */
    GT_CHECK_INT(answered, scr_count(s));
    for (size_t t = 0; t < r->ntraces; t++) {
        GT_CHECK(r->traces[t]->status != GT_TS_RUNNING);
    }
    /* Diagnosis and rendering take it like any result. */
    GT_CHECK_INT(gt_diagnose(r, cfg, NULL, NULL, NULL, 0), GT_OK);
    FILE *sink = fopen("/dev/null", "w");
    GT_CHECK(sink != NULL);
    if (sink != NULL) {
        GT_CHECK_INT(gt_render_json(sink, r, cfg), GT_OK);
        GT_CHECK_INT(gt_render_text(sink, r, cfg), GT_OK);
        fclose(sink);
    }
}

/* gt_trace_cancel(): no query after the request, the transport returns, a full result. */
static void test_cancel(void)
{
    gt_config cfg;
    cfg_for(&cfg, "www.example.test", GT_TYPE_A);
    gt_hints hints;
    char err[128];
    GT_CHECK_INT(gt_hints_parse(hints_text, &hints, err, sizeof(err)), GT_OK);
    mini *w = mini_create(glueless_world);
    scripted *s = scr_create(mini_respond, w);

    /* Cancelled after 3 outcomes: the root referral, the test. referral, one more. */
    canceller c = {.flag = 0, .after = 3};
    gt_trace_hooks hooks = {.on_query = cancel_on_query, .arg = &c, .cancel = &c.flag};
    gt_result *r = NULL;
    GT_CHECK_INT(gt_trace_run(&cfg, &hints, scr_transport(s), &hooks, &r), GT_OK);
    GT_CHECK(r != NULL);
    if (r != NULL) {
        /* Nothing sent, reused or shared after the request. */
        GT_CHECK_INT(r->sent, c.sent_at_cancel);
        GT_CHECK_INT(r->nqueries, c.records_at_cancel);
        GT_CHECK(scr_count(s) < r->sent); /* some were out: the transport dropped them */
        GT_CHECK(r->ntraces >= 2);        /* the sub-traces had started */
        check_interrupted(r, s, &cfg);
        gt_result_free(r);
    }

    /* The same transport runs the next trace normally (nothing of the dropped ones left). */
    size_t before = scr_count(s);
    r = NULL;
    GT_CHECK_INT(gt_trace_run(&cfg, &hints, scr_transport(s), NULL, &r), GT_OK);
    GT_CHECK(r != NULL && !r->interrupted && r->traces[0]->status == GT_TS_ANSWER);
    GT_CHECK(r != NULL && scr_count(s) - before == r->sent);
    gt_result_free(r);
    scr_destroy(s);

    /* Cancelled before it starts: nothing sent at all. */
    s = scr_create(mini_respond, w);
    canceller early = {.flag = 1, .after = 0};
    hooks.arg = &early;
    hooks.cancel = &early.flag;
    r = NULL;
    GT_CHECK_INT(gt_trace_run(&cfg, &hints, scr_transport(s), &hooks, &r), GT_OK);
    GT_CHECK(r != NULL && r->sent == 0 && scr_count(s) == 0);
    if (r != NULL) {
        check_interrupted(r, s, &cfg);
        gt_result_free(r);
    }
    scr_destroy(s);
    mini_destroy(w);
}

/* A cancelled bulk run emits the names of the running batch and starts no other. */
static void test_cancel_bulk(void)
{
    gt_config cfg;
    cfg_for(&cfg, ".", GT_TYPE_A);
    gt_hints hints;
    char err[128];
    GT_CHECK_INT(gt_hints_parse(hints_text, &hints, err, sizeof(err)), GT_OK);
    gt_bulk_name bn[3];
    for (size_t i = 0; i < 3; i++) {
        gt_name_from_str(&bn[i].name, "www.example.test");
        bn[i].qtype = GT_TYPE_A;
    }
    mini *w = mini_create(glueless_world);
    scripted *s = scr_create(mini_respond, w);
    gt_session *session = NULL;
    GT_CHECK_INT(gt_session_create(&session), GT_OK);
    canceller c = {.flag = 0, .after = 2};
    gt_trace_hooks hooks = {.on_query = cancel_on_query, .arg = &c, .cancel = &c.flag};
    bulk_seen seen;
    memset(&seen, 0, sizeof(seen));
    seen.cfg = &cfg;
    GT_CHECK_INT(
        gt_trace_bulk(&cfg, &hints, scr_transport(s), session, bn, 3, 1, &hooks, bulk_emit, &seen),
        GT_OK);
    GT_CHECK_INT(seen.n, 1);
    GT_CHECK_INT(seen.codes[0], 3);
    GT_CHECK_INT(seen.sent, c.sent_at_cancel);
    gt_session_destroy(session);
    scr_destroy(s);
    mini_destroy(w);
}

/* GLUETRACE_DEBUG=1: every state change of the run on stderr, one line each. */
static void test_debug_log(void)
{
    gt_config cfg;
    cfg_for(&cfg, "www.example.test", GT_TYPE_A);
    FILE *log = tmpfile();
    GT_CHECK(log != NULL);
    if (log == NULL) {
        return;
    }
    fflush(stderr);
    int saved = dup(2);
    dup2(fileno(log), 2);
    setenv("GLUETRACE_DEBUG", "1", 1);
    run x = go(glueless_world, &cfg);
    unsetenv("GLUETRACE_DEBUG");
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    char text[16384];
    rewind(log);
    size_t n = fread(text, 1, sizeof(text) - 1, log);
    text[n] = '\0';
    fclose(log);
    GT_CHECK(strstr(text, "debug: engine www.example.test.: TRACING -> DONE") != NULL);
    GT_CHECK(strstr(text, "debug: trace 0 (www.example.test. A, main): RUNNING -> WAITING") !=
             NULL);
    GT_CHECK(strstr(text, "debug: trace 1 (ns.other.net. A, subtrace): RUNNING -> DONE") != NULL);
    GT_CHECK(strstr(text, "debug: zone cut 0 (. of trace 0): COLLECTING -> ASKING") != NULL);
    GT_CHECK_INT(gt_result_exit_code(x.r, false), 0);
    done(&x);

    /* --one: a cut waits for its sub-traces, then asks, then is done. */
    cfg.one_path = true;
    log = tmpfile();
    GT_CHECK(log != NULL);
    if (log == NULL) {
        return;
    }
    fflush(stderr);
    saved = dup(2);
    dup2(fileno(log), 2);
    setenv("GLUETRACE_DEBUG", "1", 1);
    x = go(glueless_world, &cfg);
    unsetenv("GLUETRACE_DEBUG");
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    rewind(log);
    n = fread(text, 1, sizeof(text) - 1, log);
    text[n] = '\0';
    fclose(log);
    GT_CHECK(strstr(text, "(example.test. of trace 0): COLLECTING -> WAITING_SUBTRACE") != NULL);
    GT_CHECK(strstr(text, "(example.test. of trace 0): WAITING_SUBTRACE -> ASKING") != NULL);
    GT_CHECK(strstr(text, "(example.test. of trace 0): ASKING -> DONE") != NULL);
    GT_CHECK_INT(gt_result_exit_code(x.r, false), 0);
    done(&x);
}

/*
 * DNSSEC in the engine: every trace query carries DO=1 (none with --no-dnssec); with a trust
 * anchor the root servers are asked for ". DNSKEY" and every server of a cut whose referral
 * carried a DS set for "<cut> DNSKEY", and no server of a cut without DS; without an anchor no
 * DNSKEY query at all.
 */
static const char *const signed_world[] = {
    ROOTS,
    "@198.51.100.10 test.",
    "example.test. NS ns1.example.test.",
    "example.test. NS ns2.example.test.",
    "example.test. DS \\# 36 30390D02" /* 12345 13 2, RFC 3597 form */
    "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF",
    "ns1.example.test. A 198.51.100.30",
    "ns2.example.test. A 198.51.100.31",
    "@198.51.100.30 example.test.",
    "example.test. SOA ns1.example.test. h.example.test. 1 2 3 4 5",
    "www.example.test. A 192.0.2.1",
    "@198.51.100.31 example.test.",
    "example.test. SOA ns1.example.test. h.example.test. 1 2 3 4 5",
    "www.example.test. A 192.0.2.1",
    NULL,
};

static size_t count_dnskey_to(const scripted *s, const char *addr, const char *zone)
{
    gt_addr a;
    gt_name z;
    size_t n = 0;
    gt_addr_parse(addr, &a);
    gt_name_from_str(&z, zone);
    for (size_t i = 0; i < scr_count(s); i++) {
        const scr_log *l = scr_get(s, i);
        n += l->qtype == GT_TYPE_DNSKEY && gt_addr_eq(&l->server, &a) && gt_name_eq(&l->qname, &z);
    }
    return n;
}

static size_t count_dnskey(const scripted *s)
{
    size_t n = 0;
    for (size_t i = 0; i < scr_count(s); i++) {
        n += scr_get(s, i)->qtype == GT_TYPE_DNSKEY;
    }
    return n;
}

/* Findings of @p code in @p r. */
static size_t findings_of(const gt_result *r, gt_code code)
{
    size_t n = 0;
    for (size_t i = 0; i < r->nfindings; i++) {
        n += r->findings[i].code == code;
    }
    return n;
}

static void test_dnssec_queries(void)
{
    /* A DS anchor record for the root (its value does not matter to the engine). */
    static const uint8_t ds_rdata[36] = {0x30, 0x39, 13, 2};
    gt_rr anchor;
    memset(&anchor, 0, sizeof(anchor));
    gt_name_root(&anchor.owner);
    anchor.type = GT_TYPE_DS;
    anchor.cls = GT_CLASS_IN;
    anchor.rdlen = sizeof(ds_rdata);
    anchor.rdata = ds_rdata;

    gt_config cfg;
    cfg_for(&cfg, "www.example.test", GT_TYPE_A);
    cfg.anchors = &anchor;
    cfg.nanchors = 1;
    run x = go(signed_world, &cfg);
    GT_CHECK_INT(x.r->traces[0]->status, GT_TS_ANSWER);
    bool all_do = scr_count(x.s) > 0;
    for (size_t i = 0; i < scr_count(x.s); i++) {
        all_do &= scr_get(x.s, i)->do_bit;
    }
    GT_CHECK(all_do);
    GT_CHECK_INT(count_dnskey_to(x.s, "198.51.100.1", "."), 1);
    GT_CHECK_INT(count_dnskey_to(x.s, "198.51.100.2", "."), 1);
    GT_CHECK_INT(count_dnskey_to(x.s, "198.51.100.30", "example.test."), 1);
    GT_CHECK_INT(count_dnskey_to(x.s, "198.51.100.31", "example.test."), 1);
    GT_CHECK_INT(count_dnskey_to(x.s, "198.51.100.10", "test."), 0); /* no DS for test. */
    GT_CHECK_INT(count_dnskey(x.s), 4);
    /* The DS came with the referral and stays in its reply. */
    const gt_query *tld = find_q(x.r, "198.51.100.10", "www.example.test");
    const gt_msg *m = tld ? gt_query_reply(x.r, tld) : NULL;
    bool has_ds = false;
    for (size_t i = 0; m != NULL && i < m->count[GT_SEC_AUTHORITY]; i++) {
        has_ds |= m->rrs[GT_SEC_AUTHORITY][i].type == GT_TYPE_DS;
    }
    GT_CHECK(has_ds);
    GT_CHECK_INT(gt_diagnose(x.r, &cfg, NULL, NULL, NULL, 0), GT_OK);
    GT_CHECK_INT(findings_of(x.r, GT_F_DNSSEC_NO_ANCHOR), 0); /* an anchor: nothing to say */
    done(&x);

    /* No anchor: DO=1 still, but no DNSKEY query is worth sending. Diagnosis says so once (an
     * info finding, not one per zone cut: there are 3 here) and the exit code stays 0, also
     * under --strict. */
    cfg.anchors = NULL;
    cfg.nanchors = 0;
    x = go(signed_world, &cfg);
    GT_CHECK_INT(count_dnskey(x.s), 0);
    GT_CHECK(scr_count(x.s) > 0 && scr_get(x.s, 0)->do_bit);
    GT_CHECK_INT(gt_diagnose(x.r, &cfg, NULL, NULL, NULL, 0), GT_OK);
    GT_CHECK_INT(x.r->ndnssec, 3);
    GT_CHECK_INT(findings_of(x.r, GT_F_DNSSEC_NO_ANCHOR), 1);
    GT_CHECK_INT(x.r->nfindings, 1);
    GT_CHECK_INT(gt_code_severity(GT_F_DNSSEC_NO_ANCHOR), GT_SEV_INFO);
    GT_CHECK_INT(gt_result_exit_code(x.r, false), 0);
    GT_CHECK_INT(gt_result_exit_code(x.r, true), 0);
    done(&x);

    /* --no-dnssec: DO=0 everywhere and no DNSKEY query, even with an anchor. */
    cfg.anchors = &anchor;
    cfg.nanchors = 1;
    cfg.dnssec = false;
    x = go(signed_world, &cfg);
    GT_CHECK_INT(count_dnskey(x.s), 0);
    bool any_do = false;
    for (size_t i = 0; i < scr_count(x.s); i++) {
        any_do |= scr_get(x.s, i)->do_bit;
    }
    GT_CHECK(!any_do);
    GT_CHECK_INT(gt_diagnose(x.r, &cfg, NULL, NULL, NULL, 0), GT_OK);
    GT_CHECK_INT(findings_of(x.r, GT_F_DNSSEC_NO_ANCHOR), 0);
    done(&x);
}

/*
 * DNSKEY questions of the cuts of sub-traces and CNAME traces: www.example.test is served by
 * ns.other.net (glueless: a sub-trace through net. and the signed other.net.) and is a CNAME
 * for www.target.net (a CNAME trace through the signed target.net.). Every server of those
 * signed cuts is asked for the zone's DNSKEY set in the round of its trace's own question
 * (before the answer that question leads to is used), the root servers once for the whole run,
 * and no server any question twice.
 */
#define DS_12345                                                                                   \
    "DS \\# 36 30390D02" /* 12345 13 2, RFC 3597 form */                                           \
    "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"
static const char *const signed_glueless_world[] = {
    ROOTS,
    "@198.51.100.10 test.",
    "example.test. NS ns.other.net.",
    "example.test. " DS_12345,
    "@198.51.100.20 net.",
    "other.net. NS ns1.other.net.",
    "other.net. " DS_12345,
    "ns1.other.net. A 198.51.100.40",
    "target.net. NS ns1.target.net.",
    "target.net. " DS_12345,
    "ns1.target.net. A 198.51.100.70",
    "@198.51.100.40 other.net.",
    "other.net. SOA ns1.other.net. h.other.net. 1 2 3 4 5",
    "ns.other.net. A 198.51.100.50",
    "@198.51.100.50 example.test.",
    "example.test. SOA ns.other.net. h.example.test. 1 2 3 4 5",
    "www.example.test. CNAME www.target.net.",
    "@198.51.100.70 target.net.",
    "target.net. SOA ns1.target.net. h.target.net. 1 2 3 4 5",
    "www.target.net. A 192.0.2.7",
    NULL,
};

/* Index in the send log of the first query to @p addr (any question, @p qtype 0) or of
 * (@p addr, @p qname, @p qtype); scr_count() when there is none. */
static size_t sent_at(const scripted *s, const char *addr, const char *qname, uint16_t qtype)
{
    gt_addr a;
    gt_name n;
    gt_addr_parse(addr, &a);
    if (qname != NULL) {
        gt_name_from_str(&n, qname);
    }
    for (size_t i = 0; i < scr_count(s); i++) {
        const scr_log *l = scr_get(s, i);
        if (gt_addr_eq(&l->server, &a) && (qtype == 0 || l->qtype == qtype) &&
            (qname == NULL || gt_name_eq(&l->qname, &n))) {
            return i;
        }
    }
    return scr_count(s);
}

static void test_dnssec_queries_other_traces(void)
{
    static const uint8_t ds_rdata[36] = {0x30, 0x39, 13, 2};
    gt_rr anchor;
    memset(&anchor, 0, sizeof(anchor));
    gt_name_root(&anchor.owner);
    anchor.type = GT_TYPE_DS;
    anchor.cls = GT_CLASS_IN;
    anchor.rdlen = sizeof(ds_rdata);
    anchor.rdata = ds_rdata;

    gt_config cfg;
    cfg_for(&cfg, "www.example.test", GT_TYPE_A);
    cfg.family = AF_INET;
    cfg.anchors = &anchor;
    cfg.nanchors = 1;
    run x = go(signed_glueless_world, &cfg);
    const gt_result *r = x.r;
    GT_CHECK_INT(r->traces[0]->status, GT_TS_ANSWER);
    bool sub = false, cname = false;
    for (size_t t = 0; t < r->ntraces; t++) {
        sub |= r->traces[t]->kind == GT_TRACE_SUBTRACE;
        cname |= r->traces[t]->kind == GT_TRACE_CNAME;
    }
    GT_CHECK(sub && cname);
    /* The sub-trace's signed cut (other.net.) and the CNAME trace's (target.net.). */
    GT_CHECK_INT(count_dnskey_to(x.s, "198.51.100.40", "other.net."), 1);
    GT_CHECK_INT(count_dnskey_to(x.s, "198.51.100.70", "target.net."), 1);
    GT_CHECK_INT(count_dnskey_to(x.s, "198.51.100.50", "example.test."), 1);
    /* The root: once per server although three traces start there; net. has no DS. */
    GT_CHECK_INT(count_dnskey_to(x.s, "198.51.100.1", "."), 1);
    GT_CHECK_INT(count_dnskey_to(x.s, "198.51.100.2", "."), 1);
    GT_CHECK_INT(count_dnskey_to(x.s, "198.51.100.20", "net."), 0);
    GT_CHECK_INT(count_dnskey(x.s), 5);
    GT_CHECK_INT(scr_max_dup(x.s), 1);
    /* Same round: other.net.'s DNSKEY question goes out before the address it gives is used,
     * target.net.'s right beside the CNAME trace's question (nothing else in between). */
    size_t dk = sent_at(x.s, "198.51.100.40", "other.net.", GT_TYPE_DNSKEY);
    GT_CHECK(dk < sent_at(x.s, "198.51.100.50", NULL, 0));
    GT_CHECK(sent_at(x.s, "198.51.100.40", "ns.other.net.", GT_TYPE_A) < dk);
    size_t tq = sent_at(x.s, "198.51.100.70", "www.target.net.", GT_TYPE_A);
    GT_CHECK_INT(sent_at(x.s, "198.51.100.70", "target.net.", GT_TYPE_DNSKEY), tq + 1);
    done(&x);

    /* Without an anchor none of them is asked. */
    cfg.anchors = NULL;
    cfg.nanchors = 0;
    x = go(signed_glueless_world, &cfg);
    GT_CHECK_INT(count_dnskey(x.s), 0);
    done(&x);
}

/** What the session tests see of each name. */
typedef struct session_seen {
    const gt_config *cfg;
    const gt_session *session;
    size_t n;
    size_t limit;               /**< entries of each kind the session may hold */
    bool over_limit;            /**< a kind held more after some name */
    bool all_answered;          /**< every name's main trace answered, from its zone's own server */
    size_t dnssec_differs;      /**< names whose DNSSEC judgement differs from a single run's */
    gt_dnssec_state states[16]; /**< per name: the state of its last zone (-1: none) */
} session_seen;

static void session_emit(void *arg, size_t index, gt_result *r, gt_status st)
{
    session_seen *o = arg;
    GT_CHECK_INT(st, GT_OK);
    GT_CHECK(r != NULL);
    if (r == NULL) {
        o->all_answered = false;
        return;
    }
    GT_CHECK_INT(gt_diagnose(r, o->cfg, NULL, NULL, NULL, 0), GT_OK);
    o->n++;
    gt_session_stats ss;
    gt_session_get_stats(o->session, &ss);
    o->over_limit |= ss.referrals > o->limit || ss.subtraces > o->limit || ss.checked > o->limit ||
                     ss.dnskeys > o->limit;
    /* www.zN.test is answered by 198.51.100.(100 + N), the server of its own zone */
    bool answered = false;
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        answered |= q->trace == 0 && q->outcome == GT_OUT_ANSWER && q->addr.family == AF_INET &&
                    r->qname.len > 7 && q->addr.bytes[3] == 100 + (r->qname.data[6] - '0');
    }
    o->all_answered &= answered;
    if (index < 16) {
        o->states[index] = r->ndnssec ? r->dnssec[r->ndnssec - 1].state : (gt_dnssec_state)-1;
    }
}

/* A world of many zones under test.: www.zN.test (N = 0..7) served by 198.51.100.(100 + N). */
static const char *const *many_zones_world(void)
{
    static char text[8][5][96];
    static const char *lines[96];
    static const char *const roots[] = {ROOTS, "@198.51.100.10 test."};
    size_t k = 0;
    for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
        lines[k++] = roots[i];
    }
    for (int z = 0; z < 8; z++) {
        snprintf(text[z][0], sizeof(text[z][0]), "z%d.test. NS ns.z%d.test.", z, z);
        snprintf(text[z][1], sizeof(text[z][1]), "ns.z%d.test. A 198.51.100.%d", z, 100 + z);
        lines[k++] = text[z][0];
        lines[k++] = text[z][1];
    }
    for (int z = 0; z < 8; z++) {
        snprintf(text[z][2], sizeof(text[z][2]), "@198.51.100.%d z%d.test.", 100 + z, z);
        snprintf(text[z][3], sizeof(text[z][3]), "z%d.test. SOA ns.z%d.test. h.z%d.test. 1 2 3 4 5",
                 z, z, z);
        snprintf(text[z][4], sizeof(text[z][4]), "www.z%d.test. A 192.0.2.%d", z, 1 + z);
        lines[k++] = text[z][2];
        lines[k++] = text[z][3];
        lines[k++] = text[z][4];
        lines[k++] = text[z][0]; /* the apex NS and its address, for the delegation checks */
        lines[k++] = text[z][1];
    }
    lines[k] = NULL;
    return lines;
}

/*
 * The session's least-recently-used eviction: 16 names over 8 zones (each zone twice) with
 * room for 4 entries of each kind. Memory stays within the limit after every name, entries are
 * evicted, every name is still answered by its own zone's server, and what every name uses
 * (the root servers' referrals to test., the delegation check of test.) is never evicted: the
 * root servers are asked by the first name only. A ring (oldest first) would evict those after
 * two more zones and ask the roots again.
 */
static void test_session_lru(void)
{
    gt_config cfg;
    cfg_for(&cfg, ".", GT_TYPE_A);
    gt_hints hints;
    char err[128];
    GT_CHECK_INT(gt_hints_parse(hints_text, &hints, err, sizeof(err)), GT_OK);
    gt_bulk_name bn[16];
    for (size_t i = 0; i < 16; i++) {
        char n[32];
        snprintf(n, sizeof(n), "www.z%zu.test", i % 8);
        gt_name_from_str(&bn[i].name, n);
        bn[i].qtype = GT_TYPE_A;
    }
    mini *w = mini_create(many_zones_world());
    scripted *s = scr_create(mini_respond, w);
    gt_session *session = NULL;
    GT_CHECK_INT(gt_session_create(&session), GT_OK);
    gt_session_set_limit(session, 4);
    session_seen o;
    memset(&o, 0, sizeof(o));
    o.cfg = &cfg;
    o.session = session;
    o.limit = 4;
    o.all_answered = true;
    GT_CHECK_INT(
        gt_trace_bulk(&cfg, &hints, scr_transport(s), session, bn, 16, 1, NULL, session_emit, &o),
        GT_OK);
    GT_CHECK_INT(o.n, 16);
    GT_CHECK(o.all_answered);
    GT_CHECK(!o.over_limit);
    gt_session_stats st;
    gt_session_get_stats(session, &st);
    GT_CHECK(st.evicted > 0);
    GT_CHECK_INT(st.referrals, 4);
    GT_CHECK_INT(scr_count_to(s, "198.51.100.1", NULL), 1);
    GT_CHECK_INT(scr_count_to(s, "198.51.100.2", NULL), 1);
    /* the test. server gave each zone's referral again once it was evicted */
    GT_CHECK(scr_count_to(s, "198.51.100.10", "www.z0.test.") == 2);
    gt_session_destroy(session);
    scr_destroy(s);

    /* The same run with the full session: nothing evicted, each zone's referral asked once. */
    s = scr_create(mini_respond, w);
    GT_CHECK_INT(gt_session_create(&session), GT_OK);
    memset(&o, 0, sizeof(o));
    o.cfg = &cfg;
    o.session = session;
    o.limit = GT_MAX_SESSION_ENTRIES;
    o.all_answered = true;
    GT_CHECK_INT(
        gt_trace_bulk(&cfg, &hints, scr_transport(s), session, bn, 16, 1, NULL, session_emit, &o),
        GT_OK);
    GT_CHECK(o.all_answered);
    gt_session_get_stats(session, &st);
    GT_CHECK_INT((long long)st.evicted, 0);
    GT_CHECK_INT(scr_count_to(s, "198.51.100.10", "www.z0.test."), 1);
    gt_session_destroy(session);
    scr_destroy(s);
    mini_destroy(w);
}

/*
 * DNSSEC in bulk: the DNSKEY replies of a signed zone's servers are shared through the
 * session. Ten names under one signed zone ask each server's DNSKEY set once in all (4
 * queries: two root servers, two servers of example.test.), not once per name (40 with
 * --no-cache, which shares nothing), and every name's DNSSEC judgement is the one a single run
 * of it gives.
 */
static void test_bulk_dnskey_shared(void)
{
    static const uint8_t ds_rdata[36] = {0x30, 0x39, 13, 2};
    gt_rr anchor;
    memset(&anchor, 0, sizeof(anchor));
    gt_name_root(&anchor.owner);
    anchor.type = GT_TYPE_DS;
    anchor.cls = GT_CLASS_IN;
    anchor.rdlen = sizeof(ds_rdata);
    anchor.rdata = ds_rdata;
    gt_config cfg;
    cfg_for(&cfg, "www.example.test", GT_TYPE_A);
    cfg.anchors = &anchor;
    cfg.nanchors = 1;
    gt_hints hints;
    char err[128];
    GT_CHECK_INT(gt_hints_parse(hints_text, &hints, err, sizeof(err)), GT_OK);

    /* the single run's judgement of example.test. */
    run x = go(signed_world, &cfg);
    GT_CHECK_INT(gt_diagnose(x.r, &cfg, NULL, NULL, NULL, 0), GT_OK);
    GT_CHECK(x.r->ndnssec >= 2);
    gt_dnssec_state single = x.r->ndnssec ? x.r->dnssec[x.r->ndnssec - 1].state : GT_DNSSEC_SECURE;
    done(&x);

    gt_bulk_name bn[10];
    for (size_t i = 0; i < 10; i++) {
        char n[32];
        snprintf(n, sizeof(n), "n%zu.example.test", i);
        gt_name_from_str(&bn[i].name, i == 0 ? "www.example.test" : n);
        bn[i].qtype = GT_TYPE_A;
    }
    mini *w = mini_create(signed_world);
    for (int pass = 0; pass < 2; pass++) {
        bool no_cache = pass == 1;
        cfg.no_cache = no_cache;
        scripted *s = scr_create(mini_respond, w);
        gt_session *session = NULL;
        GT_CHECK_INT(gt_session_create(&session), GT_OK);
        session_seen o;
        memset(&o, 0, sizeof(o));
        o.cfg = &cfg;
        o.session = session;
        o.limit = GT_MAX_SESSION_ENTRIES;
        GT_CHECK_INT(gt_trace_bulk(&cfg, &hints, scr_transport(s), session, bn, 10, 1, NULL,
                                   session_emit, &o),
                     GT_OK);
        GT_CHECK_INT(o.n, 10);
        GT_CHECK_INT(count_dnskey(s), no_cache ? 40 : 4);
        GT_CHECK_INT(count_dnskey_to(s, "198.51.100.30", "example.test."), no_cache ? 10 : 1);
        for (size_t i = 0; i < 10; i++) {
            GT_CHECK_INT(o.states[i], single);
        }
        gt_session_stats st;
        gt_session_get_stats(session, &st);
        GT_CHECK_INT(st.dnskeys, no_cache ? 0 : 4);
        fprintf(stderr, "bulk DNSSEC%s: %zu DNSKEY queries for 10 names\n",
                no_cache ? " (--no-cache)" : "", count_dnskey(s));
        gt_session_destroy(session);
        scr_destroy(s);
    }
    mini_destroy(w);
}

int main(void)
{
    test_glued_path();
    test_glueless();
    test_sibling_and_oob_glue();
    test_glueless_cycle();
    test_budget();
    test_tc_then_tcp();
    test_timeout_and_lame();
    test_noroute_address();
    test_all_servers_dead();
    test_nxdomain_and_cname();
    test_referral_cache();
    test_dnssec_queries();
    test_dnssec_queries_other_traces();
    test_user_server();
    test_bulk();
    test_bulk_window();
    test_session_lru();
    test_bulk_dnskey_shared();
    test_cancel();
    test_cancel_bulk();
    test_debug_log();
    return gt_test_done();
}
