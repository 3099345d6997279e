/*
 * Issue 11, "a diagnosis that never says something false": engine scenarios over the
 * scripted transport, each pairing the shape that used to be misjudged with the healthy
 * look-alike that must stay silent. A small world of well-behaved servers (miniauth) answers
 * everything; a few servers are replaced by a function that writes the odd reply.
 */
#define _GNU_SOURCE /* open_memstream is POSIX 2008; nothing else is used */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gluetrace/diagnose/diagnose.h"
#include "gluetrace/engine/trace.h"
#include "gluetrace/output/render.h"
#include "miniauth.h"
#include "msgbuild.h"
#include "tap.h"

#define ROOTS                                                                                      \
    "@198.51.100.1 .", ". NS a.root.test.", "test. NS ns1.nic.test.",                              \
        "ns1.nic.test. A 198.51.100.10", "net. NS ns1.nic.net.", "ns1.nic.net. A 198.51.100.20",   \
        "@198.51.100.2 .", ". NS b.root.test.", "test. NS ns1.nic.test.",                          \
        "ns1.nic.test. A 198.51.100.10", "net. NS ns1.nic.net.", "ns1.nic.net. A 198.51.100.20"

/* a.test at .30/.31, b.net at .40, c.test at .50 (all with in-domain glue). */
#define TLDS                                                                                       \
    "@198.51.100.10 test.", "a.test. NS ns1.a.test.", "a.test. NS ns2.a.test.",                    \
        "ns1.a.test. A 198.51.100.30", "ns2.a.test. A 198.51.100.31", "c.test. NS ns.c.test.",     \
        "ns.c.test. A 198.51.100.50", "@198.51.100.20 net.", "b.net. NS ns.b.net.",                \
        "ns.b.net. A 198.51.100.40"

#define SOA_A "a.test. SOA ns1.a.test. h.a.test. 1 2 3 4 5"

static const char hints_text[] = ". 3600000 NS a.root.test.\n"
                                 ". 3600000 NS b.root.test.\n"
                                 "a.root.test. 3600000 A 198.51.100.1\n"
                                 "b.root.test. 3600000 A 198.51.100.2\n";

/* ---- plumbing: miniauth, with some servers answered by a scenario function ------------- */

/* Write the reply of a replaced server into @p m and return GT_OK; GT_EINVAL: not mine. */
typedef gt_status (*odd_fn)(const scr_query *q, tb_msg *m);

typedef struct scen {
    mini *w;
    odd_fn fn;
} scen;

static gt_status respond(void *user, const scr_query *q, tb_msg *m)
{
    scen *sc = user;
    if (sc->fn != NULL) {
        gt_status st = sc->fn(q, m);
        if (st != GT_EINVAL) {
            return st;
        }
    }
    return mini_respond(sc->w, q, m);
}

/* The hints the next go() starts from. */
static const char *cur_hints = hints_text;

/* Run the delegation checks (the glue scenarios); the others leave them out. */
static bool with_checks;

typedef struct run {
    gt_result *r;
    scripted *s;
    scen sc;
    gt_config cfg;
    char *text; /* the text rendering, for what a user reads */
} run;

static char *render_text(const gt_result *r, const gt_config *cfg)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL) {
        abort();
    }
    gt_config shown = *cfg;
    shown.color = GT_COLOR_NEVER;
    gt_render_text(f, r, &shown);
    fclose(f);
    return buf;
}

static run go(const char *const *world, odd_fn fn, const char *name, uint16_t type)
{
    run x;
    gt_hints hints;
    char err[256];
    memset(&x, 0, sizeof(x));
    gt_config_defaults(&x.cfg);
    if (gt_name_from_str(&x.cfg.qname, name) != GT_OK) {
        abort();
    }
    x.cfg.qtype = type;
    x.cfg.no_checks = !with_checks; /* most worlds keep no child-side NS data */
    x.sc.w = mini_create(world);
    x.sc.fn = fn;
    x.s = scr_create(respond, &x.sc);
    GT_CHECK_INT(gt_hints_parse(cur_hints, &hints, err, sizeof(err)), GT_OK);
    GT_CHECK_INT(gt_trace_run(&x.cfg, &hints, scr_transport(x.s), NULL, &x.r), GT_OK);
    if (x.r == NULL) {
        fprintf(stderr, "trace returned no result\n");
        exit(1);
    }
    GT_CHECK_INT(gt_diagnose(x.r, &x.cfg, NULL, NULL, NULL, 0), GT_OK);
    x.text = render_text(x.r, &x.cfg);
    if (getenv("GT_TRUTH_DEBUG") != NULL) {
        fputs(x.text, stderr);
    }
    return x;
}

static void done(run *x)
{
    free(x->text);
    gt_result_free(x->r);
    scr_destroy(x->s);
    mini_destroy(x->sc.w);
}

static size_t count_findings(const gt_result *r, gt_code code)
{
    size_t n = 0;
    for (size_t i = 0; i < r->nfindings; i++) {
        n += r->findings[i].code == code;
    }
    return n;
}

/* The message of the first finding with @p code, or "". */
static const char *finding_msg(const gt_result *r, gt_code code)
{
    for (size_t i = 0; i < r->nfindings; i++) {
        if (r->findings[i].code == code) {
            return r->findings[i].message;
        }
    }
    return "";
}

/* Whether any answer entry shows a record whose data text contains @p data. */
static bool answer_shows(const gt_result *r, const gt_answer *arr, size_t n, const char *data)
{
    for (size_t i = 0; i < n; i++) {
        const gt_query *q = r->queries[arr[i].first_query - 1];
        for (size_t k = 0; q->reply != NULL && k < arr[i].nrrs; k++) {
            char line[1024];
            gt_rr_to_str(&q->reply->rrs[GT_SEC_ANSWER][arr[i].rrs[k]], line, sizeof(line));
            if (strstr(line, data) != NULL) {
                return true;
            }
        }
    }
    return false;
}

static bool scr_is_addr(const gt_query *q, const char *addr)
{
    gt_addr a;
    gt_addr_parse(addr, &a);
    return gt_addr_eq(&q->addr, &a);
}

static bool is_from(const scr_query *q, const char *addr, const char *qname)
{
    return scr_is(q, addr) && (qname == NULL || scr_name_is(q, qname));
}

/* ---- answers are chains, not votes ----------------------------------------------------- */

/* www.a.test CNAME www.b.net (zone b.net) CNAME www.c.test (zone c.test) A 192.0.2.7. */
static const char *const chain_world[] = {
    ROOTS,
    TLDS,
    "@198.51.100.30 a.test.",
    SOA_A,
    "www.a.test. CNAME www.b.net.",
    "@198.51.100.31 a.test.",
    SOA_A,
    "www.a.test. CNAME www.b.net.",
    "@198.51.100.40 b.net.",
    "b.net. SOA ns.b.net. h.b.net. 1 2 3 4 5",
    "www.b.net. CNAME www.c.test.",
    "@198.51.100.50 c.test.",
    "c.test. SOA ns.c.test. h.c.test. 1 2 3 4 5",
    "www.c.test. A 192.0.2.7",
    NULL,
};

static void test_chain_is_one_answer(void)
{
    run x = go(chain_world, NULL, "www.a.test", GT_TYPE_A);
    const gt_result *r = x.r;
    GT_CHECK_INT(r->traces[0]->status, GT_TS_ANSWER);
    GT_CHECK_INT(r->nlinks, 3);
    GT_CHECK_INT(r->nanswers, 3);
    for (size_t i = 0; i < r->nanswers; i++) {
        GT_CHECK_INT(r->answers[i].link, i);
        GT_CHECK_INT(r->answers[i].nalternatives, 1);
    }
    gt_name z;
    gt_name_from_str(&z, "b.net.");
    GT_CHECK(r->nanswers == 3 && gt_name_eq(&r->answers[1].zone, &z));
    GT_CHECK_INT(count_findings(r, GT_F_INCONSISTENT_ANSWERS), 0);
    GT_CHECK_INT(gt_result_exit_code(r, false), 0);
    GT_CHECK(strstr(x.text, "disagree") == NULL);
    GT_CHECK(strstr(x.text, "chain of 3 names") != NULL);
    GT_CHECK(strstr(x.text, "[2] CNAME from 1 server of b.net.\n") != NULL);
    done(&x);
}

/* The same zone's two servers giving different A RRsets: that IS a disagreement. */
static const char *const split_world[] = {
    ROOTS,
    TLDS,
    "@198.51.100.30 a.test.",
    SOA_A,
    "www.a.test. A 192.0.2.1",
    "@198.51.100.31 a.test.",
    SOA_A,
    "www.a.test. A 192.0.2.99",
    NULL,
};

static void test_same_zone_disagrees(void)
{
    run x = go(split_world, NULL, "www.a.test", GT_TYPE_A);
    const gt_result *r = x.r;
    GT_CHECK_INT(r->nlinks, 1);
    GT_CHECK_INT(r->nanswers, 2);
    GT_CHECK(r->nanswers == 2 && r->answers[0].nalternatives == 2);
    GT_CHECK_INT(count_findings(r, GT_F_INCONSISTENT_ANSWERS), 1);
    GT_CHECK(strstr(x.text, "the servers of a.test. disagree") != NULL);
    GT_CHECK_INT(gt_result_exit_code(r, false), 1);
    done(&x);
}

/* ---- the answer is only what answers ---------------------------------------------------- */

/* ns1.a.test adds an A record for an unrelated name and a DNAME outside the zone. */
static gt_status odd_extra(const scr_query *q, tb_msg *m)
{
    if (!is_from(q, "198.51.100.30", "www.a.test.")) {
        return GT_EINVAL;
    }
    tb_begin(m, q->wire, q->len, true, GT_RCODE_NOERROR);
    tb_rr(m, GT_SEC_ANSWER, "www.a.test.", "A", 3600, "192.0.2.1");
    tb_rr(m, GT_SEC_ANSWER, "bank.example.", "A", 3600, "203.0.113.66");
    tb_rr(m, GT_SEC_ANSWER, "other.example.", "DNAME", 3600, "evil.example.");
    return GT_OK;
}

static const char *const plain_world[] = {
    ROOTS,
    TLDS,
    "@198.51.100.30 a.test.",
    SOA_A,
    "www.a.test. A 192.0.2.1",
    "@198.51.100.31 a.test.",
    SOA_A,
    "www.a.test. A 192.0.2.1",
    NULL,
};

static void test_only_what_answers(void)
{
    run x = go(plain_world, odd_extra, "www.a.test", GT_TYPE_A);
    const gt_result *r = x.r;
    /* Both servers gave the same answer: the extra records are not part of it. */
    GT_CHECK_INT(r->nanswers, 1);
    GT_CHECK(r->nanswers == 1 && r->answers[0].nqueries == 2 && r->answers[0].nrrs == 1);
    GT_CHECK_INT(count_findings(r, GT_F_INCONSISTENT_ANSWERS), 0);
    GT_CHECK(answer_shows(r, r->answers, r->nanswers, "192.0.2.1"));
    GT_CHECK(!answer_shows(r, r->answers, r->nanswers, "203.0.113.66"));
    GT_CHECK(strstr(x.text, "203.0.113.66 \n") == NULL);
    GT_CHECK_INT(count_findings(r, GT_F_IGNORED_ANSWER_RECORDS), 1);
    const char *msg = finding_msg(r, GT_F_IGNORED_ANSWER_RECORDS);
    GT_CHECK(strstr(msg, "bank.example. A 203.0.113.66") != NULL);
    GT_CHECK(strstr(msg, "other.example. DNAME evil.example.") != NULL);
    done(&x);

    /* The healthy look-alike: a CNAME inside the zone and its target's data are the answer. */
    static const char *const incname[] = {
        ROOTS,
        TLDS,
        "@198.51.100.30 a.test.",
        SOA_A,
        "www.a.test. CNAME web.a.test.",
        "web.a.test. A 192.0.2.1",
        "@198.51.100.31 a.test.",
        SOA_A,
        "www.a.test. CNAME web.a.test.",
        "web.a.test. A 192.0.2.1",
        NULL,
    };
    x = go(incname, NULL, "www.a.test", GT_TYPE_A);
    GT_CHECK_INT(x.r->nanswers, 1);
    GT_CHECK(x.r->nanswers == 1 && x.r->answers[0].nrrs == 2);
    GT_CHECK_INT(count_findings(x.r, GT_F_IGNORED_ANSWER_RECORDS), 0);
    GT_CHECK_INT(gt_result_exit_code(x.r, false), 0);
    done(&x);
}

/* ---- rcodes as received --------------------------------------------------------------- */

/* Both a.test servers answer a DNAME whose substitution is too long: YXDOMAIN, AA=1 (RFC 6672
 * section 2.2; a replay of the shape of Unbound's DNAME tests). */
static gt_status odd_yxdomain(const scr_query *q, tb_msg *m)
{
    if (!is_from(q, "198.51.100.30", "www.a.test.") &&
        !is_from(q, "198.51.100.31", "www.a.test.")) {
        return GT_EINVAL;
    }
    tb_begin(m, q->wire, q->len, true, GT_RCODE_YXDOMAIN);
    tb_rr(m, GT_SEC_ANSWER, "a.test.", "DNAME", 3600,
          "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
          "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
          "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
          "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.");
    return GT_OK;
}

static void test_rcode_as_received(void)
{
    run x = go(plain_world, odd_yxdomain, "www.a.test", GT_TYPE_A);
    GT_CHECK_INT(x.r->nanswers, 1);
    GT_CHECK(x.r->nanswers == 1 && x.r->answers[0].outcome == GT_OUT_NXDOMAIN);
    GT_CHECK(strstr(x.text, "-> YXDOMAIN from 2 of 2 addresses") != NULL);
    GT_CHECK(strstr(x.text, ": YXDOMAIN [") != NULL || strstr(x.text, ": YXDOMAIN\n") != NULL);
    GT_CHECK(strstr(x.text, "NXDOMAIN") == NULL);
    GT_CHECK_INT(count_findings(x.r, GT_F_LAME_SERVER), 0);
    done(&x);

    /* The look-alike: a real NXDOMAIN is still called so. */
    static const char *const nx[] = {
        ROOTS, TLDS, "@198.51.100.30 a.test.", SOA_A, "@198.51.100.31 a.test.", SOA_A, NULL,
    };
    x = go(nx, NULL, "www.a.test", GT_TYPE_A);
    GT_CHECK(strstr(x.text, "-> NXDOMAIN from 2 of 2 addresses") != NULL);
    GT_CHECK(strstr(x.text, "YXDOMAIN") == NULL);
    done(&x);
}

/* a.test's servers answer the CNAME and add the (out-of-zone) target's address themselves. */
static gt_status odd_oob_target(const scr_query *q, tb_msg *m)
{
    if (!(is_from(q, "198.51.100.30", "www.a.test.") ||
          is_from(q, "198.51.100.31", "www.a.test."))) {
        return GT_EINVAL;
    }
    tb_begin(m, q->wire, q->len, true, GT_RCODE_NOERROR);
    tb_rr(m, GT_SEC_ANSWER, "www.a.test.", "CNAME", 3600, "www.c.test.");
    tb_rr(m, GT_SEC_ANSWER, "www.c.test.", "A", 3600, "203.0.113.66");
    return GT_OK;
}

static void test_out_of_zone_target_not_used(void)
{
    run x = go(chain_world, odd_oob_target, "www.a.test", GT_TYPE_A);
    const gt_result *r = x.r;
    /* The target is traced from the root; c.test's own answer is the answer. */
    GT_CHECK_INT(r->traces[0]->status, GT_TS_ANSWER);
    GT_CHECK_INT(r->nlinks, 2);
    GT_CHECK(answer_shows(r, r->answers, r->nanswers, "192.0.2.7"));
    GT_CHECK(!answer_shows(r, r->answers, r->nanswers, "203.0.113.66"));
    GT_CHECK_INT(count_findings(r, GT_F_IGNORED_ANSWER_RECORDS), 2);
    done(&x);
}

/* ---- a reply without AA is not an answer, but its data is shown ---------------------- */

static void test_nonauth_shown(void)
{
    static const char *const world[] = {
        ROOTS,
        TLDS,
        "@198.51.100.30 a.test.",
        SOA_A,
        "www.a.test. A 192.0.2.1",
        "@198.51.100.31 a.test.",
        SOA_A,
        "www.a.test. A 10.20.30.40",
        "!198.51.100.31 noaa",
        NULL,
    };
    run x = go(world, NULL, "www.a.test", GT_TYPE_A);
    const gt_result *r = x.r;
    GT_CHECK_INT(r->nanswers, 1);
    GT_CHECK(!answer_shows(r, r->answers, r->nanswers, "10.20.30.40"));
    GT_CHECK_INT(r->nnonauth, 1);
    GT_CHECK(answer_shows(r, r->nonauth, r->nnonauth, "10.20.30.40"));
    GT_CHECK(strstr(x.text, "non-authoritative answer (AA=0, not used)") != NULL);
    GT_CHECK(strstr(x.text, "10.20.30.40") != NULL);
    GT_CHECK(count_findings(r, GT_F_LAME_SERVER) >= 1);
    GT_CHECK_INT(count_findings(r, GT_F_INCONSISTENT_ANSWERS), 0);
    done(&x);
}

/* ---- responses classified per the RFCs ------------------------------------------------- */

/* Both a.test servers answer AA=1 with the root's NS set and no SOA. */
static gt_status odd_aa_upward(const scr_query *q, tb_msg *m)
{
    if (!(scr_is(q, "198.51.100.30") || scr_is(q, "198.51.100.31")) ||
        !scr_name_is(q, "www.a.test.")) {
        return GT_EINVAL;
    }
    tb_begin(m, q->wire, q->len, true, GT_RCODE_NOERROR);
    tb_rr(m, GT_SEC_AUTHORITY, ".", "NS", 3600, "a.root.test.");
    return GT_OK;
}

static void test_aa_upward_is_not_nodata(void)
{
    run x = go(plain_world, odd_aa_upward, "www.a.test", GT_TYPE_A);
    const gt_result *r = x.r;
    GT_CHECK(r->traces[0]->status != GT_TS_NODATA);
    GT_CHECK_INT(r->nanswers, 0);
    GT_CHECK_INT(count_findings(r, GT_F_UPWARD_REFERRAL), 2);
    GT_CHECK_INT(gt_result_exit_code(r, false), 3);
    GT_CHECK_INT(count_findings(r, GT_F_NO_AUTHORITATIVE_DATA), 1);
    GT_CHECK(strstr(finding_msg(r, GT_F_NO_AUTHORITATIVE_DATA), "2 referred upward") != NULL);
    done(&x);

    /* The look-alike that stays NODATA: AA with the SOA of the zone. */
    static const char *const world[] = {
        ROOTS, TLDS, "@198.51.100.30 a.test.", SOA_A, "@198.51.100.31 a.test.", SOA_A, NULL,
    };
    x = go(world, NULL, "www.a.test", GT_TYPE_A);
    GT_CHECK_INT(x.r->traces[0]->status, GT_TS_NXDOMAIN);
    GT_CHECK_INT(count_findings(x.r, GT_F_UPWARD_REFERRAL), 0);
    GT_CHECK_INT(gt_result_exit_code(x.r, false), 0);
    done(&x);
}

/* ---- every dead end explained ---------------------------------------------------------- */

static void test_dead_ends_explained(void)
{
    static const char *const refused[] = {
        ROOTS, TLDS, "!198.51.100.30 refuse", "!198.51.100.31 servfail", NULL,
    };
    run x = go(refused, NULL, "www.a.test", GT_TYPE_A);
    GT_CHECK_INT(gt_result_exit_code(x.r, false), 3);
    GT_CHECK_INT(count_findings(x.r, GT_F_NO_AUTHORITATIVE_DATA), 1);
    const char *msg = finding_msg(x.r, GT_F_NO_AUTHORITATIVE_DATA);
    GT_CHECK(strstr(msg, "servers of a.test.") != NULL);
    GT_CHECK(strstr(msg, "1 answered REFUSED") != NULL);
    GT_CHECK(strstr(msg, "1 answered SERVFAIL") != NULL);
    done(&x);

    static const char *const silent[] = {
        ROOTS, TLDS, "!198.51.100.30 drop", "!198.51.100.31 drop", NULL,
    };
    x = go(silent, NULL, "www.a.test", GT_TYPE_A);
    GT_CHECK_INT(gt_result_exit_code(x.r, false), 3);
    GT_CHECK(strstr(finding_msg(x.r, GT_F_NO_AUTHORITATIVE_DATA), "2 timed out") != NULL);
    done(&x);

    /* The alias target's zone is the dead end: named as such. */
    static const char *const chain_dead[] = {
        ROOTS,
        TLDS,
        "@198.51.100.30 a.test.",
        SOA_A,
        "www.a.test. CNAME www.c.test.",
        "@198.51.100.31 a.test.",
        SOA_A,
        "www.a.test. CNAME www.c.test.",
        "!198.51.100.50 refuse",
        NULL,
    };
    x = go(chain_dead, NULL, "www.a.test", GT_TYPE_A);
    GT_CHECK_INT(gt_result_exit_code(x.r, false), 3);
    msg = finding_msg(x.r, GT_F_NO_AUTHORITATIVE_DATA);
    GT_CHECK(strstr(msg, "www.c.test. A (the alias target") != NULL);
    GT_CHECK(strstr(msg, "servers of c.test.") != NULL);
    done(&x);

    /* A healthy trace never gets the finding. */
    x = go(plain_world, NULL, "www.a.test", GT_TYPE_A);
    GT_CHECK_INT(gt_result_exit_code(x.r, false), 0);
    GT_CHECK_INT(count_findings(x.r, GT_F_NO_AUTHORITATIVE_DATA), 0);
    done(&x);
}

/* ---- glue verified wherever it is used ------------------------------------------------- */

/* a.test is served by ns.host.test: sibling glue in test. (198.51.100.30). */
#define SIBLING_WORLD(CHILD_ADDR)                                                                  \
    ROOTS, "@198.51.100.10 test.", "test. NS ns1.nic.test.", "ns1.nic.test. A 198.51.100.10",      \
        "a.test. NS ns.host.test.", "host.test. NS ns.host.test.",                                 \
        "ns.host.test. A 198.51.100.30", "@198.51.100.30 a.test.",                                 \
        "a.test. SOA ns.host.test. h.a.test. 1 2 3 4 5", "a.test. NS ns.host.test.",               \
        "www.a.test. A 192.0.2.1", "@198.51.100.30 host.test.",                                    \
        "host.test. SOA ns.host.test. h.host.test. 1 2 3 4 5", "host.test. NS ns.host.test.",      \
        "ns.host.test. A " CHILD_ADDR, NULL

static void test_sibling_glue_verified(void)
{
    static const char *const bad[] = {SIBLING_WORLD("198.51.100.39")};
    static const char *const good[] = {SIBLING_WORLD("198.51.100.30")};
    with_checks = true;
    run x = go(bad, NULL, "www.a.test", GT_TYPE_A);
    GT_CHECK_INT(x.r->traces[0]->status, GT_TS_ANSWER);
    const char *msg = finding_msg(x.r, GT_F_GLUE_MISMATCH);
    /* The sibling name is sub-traced from the root; its own zone's cut is checked there. */
    GT_CHECK(strstr(msg, "ns.host.test. A: the parent's glue says {198.51.100.30}") != NULL);
    GT_CHECK(strstr(msg, "the zone host.test. itself says {198.51.100.39}") != NULL);
    GT_CHECK_INT(count_findings(x.r, GT_F_GLUE_MISMATCH), 1);
    done(&x);

    /* The healthy look-alike: sibling glue that agrees with its own zone stays silent. */
    x = go(good, NULL, "www.a.test", GT_TYPE_A);
    GT_CHECK_INT(count_findings(x.r, GT_F_GLUE_MISMATCH), 0);
    GT_CHECK_INT(gt_result_exit_code(x.r, false), 0);
    done(&x);
    with_checks = false;
}

/* a.test's glue says ns1.a.test is .30; the zone itself says .38 (both answer). */
#define MISMATCH_WORLD(CHILD_ADDR)                                                                 \
    ROOTS, "@198.51.100.10 test.", "test. NS ns1.nic.test.", "ns1.nic.test. A 198.51.100.10",      \
        "a.test. NS ns1.a.test.", "ns1.a.test. A 198.51.100.30", "@198.51.100.30 a.test.",         \
        "a.test. SOA ns1.a.test. h.a.test. 1 2 3 4 5", "a.test. NS ns1.a.test.",                   \
        "ns1.a.test. A " CHILD_ADDR, "www.a.test. A 192.0.2.1", "@198.51.100.38 a.test.",          \
        "a.test. SOA ns1.a.test. h.a.test. 1 2 3 4 5", "a.test. NS ns1.a.test.",                   \
        "ns1.a.test. A " CHILD_ADDR, "www.a.test. A 192.0.2.1", NULL

/* The main-trace query to @p addr, or NULL. */
static const gt_query *main_query_to(const gt_result *r, const char *addr)
{
    gt_addr a;
    gt_addr_parse(addr, &a);
    for (size_t i = 0; i < r->nqueries; i++) {
        if (r->queries[i]->trace == 0 && gt_addr_eq(&r->queries[i]->addr, &a)) {
            return r->queries[i];
        }
    }
    return NULL;
}

static void test_both_sets_asked(void)
{
    static const char *const bad[] = {MISMATCH_WORLD("198.51.100.38")};
    static const char *const good[] = {MISMATCH_WORLD("198.51.100.30")};
    with_checks = true;
    run x = go(bad, NULL, "www.a.test", GT_TYPE_A);
    const gt_query *child = main_query_to(x.r, "198.51.100.38");
    GT_CHECK(child != NULL && child->source == GT_SRC_CHILD && child->outcome == GT_OUT_ANSWER);
    GT_CHECK(child != NULL && child->glue_from != 0 &&
             x.r->traces[x.r->queries[child->glue_from - 1]->trace]->kind == GT_TRACE_CHECK);
    GT_CHECK(x.r->nanswers == 1 && x.r->answers[0].nqueries == 2);
    const char *msg = finding_msg(x.r, GT_F_GLUE_MISMATCH);
    GT_CHECK(strstr(msg, "the parent's glue says {198.51.100.30}, the zone a.test. itself says "
                         "{198.51.100.38}; both were asked: 1 of 1 glue addresses and 1 of 1 "
                         "of the zone's own answered authoritatively") != NULL);
    GT_CHECK(strstr(x.text, "the child's own address, not the glue") != NULL);
    done(&x);

    x = go(good, NULL, "www.a.test", GT_TYPE_A);
    GT_CHECK(main_query_to(x.r, "198.51.100.38") == NULL);
    GT_CHECK_INT(count_findings(x.r, GT_F_GLUE_MISMATCH), 0);
    done(&x);
    with_checks = false;
}

/* ---- special-purpose addresses ----------------------------------------------------- */

static void test_special_purpose_not_asked(void)
{
    static const char *const world[] = {
        ROOTS,
        "@198.51.100.10 test.",
        "a.test. NS ns1.a.test.",
        "a.test. NS ns2.a.test.",
        "ns1.a.test. A 127.0.0.1",
        "ns2.a.test. A 198.51.100.31",
        "@198.51.100.31 a.test.",
        SOA_A,
        "www.a.test. A 192.0.2.1",
        "@127.0.0.1 a.test.",
        SOA_A,
        "www.a.test. A 192.0.2.1",
        NULL,
    };
    run x = go(world, NULL, "www.a.test", GT_TYPE_A);
    GT_CHECK(main_query_to(x.r, "127.0.0.1") == NULL);
    GT_CHECK(main_query_to(x.r, "198.51.100.31") != NULL);
    GT_CHECK_INT(count_findings(x.r, GT_F_SPECIAL_PURPOSE_ADDRESS), 1);
    GT_CHECK(strstr(finding_msg(x.r, GT_F_SPECIAL_PURPOSE_ADDRESS),
                    "ns1.a.test. 127.0.0.1 (glue) for zone a.test. is a special-purpose") != NULL);
    GT_CHECK_INT(gt_result_exit_code(x.r, false), 0);
    done(&x);

    /* A lab: hints in 127/8 make 127/8 servers fair game. */
    static const char lab_hints[] = ". 3600000 NS a.root.test.\n"
                                    "a.root.test. 3600000 A 127.0.0.53\n";
    static const char *const lab[] = {
        "@127.0.0.53 .",
        "test. NS ns1.nic.test.",
        "ns1.nic.test. A 198.51.100.10",
        "@198.51.100.10 test.",
        "a.test. NS ns1.a.test.",
        "ns1.a.test. A 127.0.0.1",
        "@127.0.0.1 a.test.",
        SOA_A,
        "www.a.test. A 192.0.2.1",
        NULL,
    };
    cur_hints = lab_hints;
    x = go(lab, NULL, "www.a.test", GT_TYPE_A);
    cur_hints = hints_text;
    const gt_query *q = main_query_to(x.r, "127.0.0.1");
    GT_CHECK(q != NULL && q->outcome == GT_OUT_ANSWER);
    GT_CHECK_INT(count_findings(x.r, GT_F_SPECIAL_PURPOSE_ADDRESS), 0);
    done(&x);
}

static void test_addr_special(void)
{
    static const struct {
        const char *a;
        bool special;
    } rows[] = {
        {"127.0.0.1", true},
        {"0.0.0.0", true},
        {"169.254.1.1", true},
        {"224.0.0.1", true},
        {"239.1.2.3", true},
        {"255.255.255.255", true},
        {"::", true},
        {"::1", true},
        {"fe80::1", true},
        {"ff02::1", true},
        {"::ffff:127.0.0.1", true},
        {"192.0.2.1", false},
        {"198.51.100.1", false},
        {"8.8.8.8", false},
        {"2001:db8::1", false},
        {"::2", false},
        {"fec0::1", false},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        gt_addr a;
        GT_CHECK_INT(gt_addr_parse(rows[i].a, &a), GT_OK);
        GT_CHECK(gt_addr_is_special(&a) == rows[i].special);
    }
}

/* ---- SOA serial per server -------------------------------------------------------- */

#define SERIAL_WORLD(SERIAL2)                                                                      \
    ROOTS, "@198.51.100.10 test.", "test. NS ns1.nic.test.", "ns1.nic.test. A 198.51.100.10",      \
        "a.test. NS ns1.a.test.", "a.test. NS ns2.a.test.", "ns1.a.test. A 198.51.100.30",         \
        "ns2.a.test. A 198.51.100.31", "@198.51.100.30 a.test.",                                   \
        "a.test. SOA ns1.a.test. h.a.test. 7 2 3 4 5", "a.test. NS ns1.a.test.",                   \
        "a.test. NS ns2.a.test.", "ns1.a.test. A 198.51.100.30", "ns2.a.test. A 198.51.100.31",    \
        "www.a.test. A 192.0.2.1", "@198.51.100.31 a.test.",                                       \
        "a.test. SOA ns1.a.test. h.a.test. " SERIAL2 " 2 3 4 5", "a.test. NS ns1.a.test.",         \
        "a.test. NS ns2.a.test.", "ns1.a.test. A 198.51.100.30", "ns2.a.test. A 198.51.100.31",    \
        "www.a.test. A 192.0.2.1", NULL

static void test_serials_per_server(void)
{
    static const char *const stale[] = {SERIAL_WORLD("6")};
    static const char *const fresh[] = {SERIAL_WORLD("7")};
    with_checks = true;
    run x = go(stale, NULL, "www.a.test", GT_TYPE_A);
    GT_CHECK_INT(count_findings(x.r, GT_F_SERIAL_MISMATCH), 1);
    const char *msg = finding_msg(x.r, GT_F_SERIAL_MISMATCH);
    GT_CHECK(strstr(msg, "ns1.a.test. 198.51.100.30: 7") != NULL);
    GT_CHECK(strstr(msg, "ns2.a.test. 198.51.100.31: 6") != NULL);
    /* Same answer for www: no INCONSISTENT_ANSWERS, the serial is what tells. */
    GT_CHECK_INT(count_findings(x.r, GT_F_INCONSISTENT_ANSWERS), 0);
    done(&x);

    x = go(fresh, NULL, "www.a.test", GT_TYPE_A);
    GT_CHECK_INT(count_findings(x.r, GT_F_SERIAL_MISMATCH), 0);
    GT_CHECK_INT(gt_result_exit_code(x.r, false), 0);
    done(&x);
    with_checks = false;
}

/* ---- DS lives at the parent -------------------------------------------------------- */

/* The test. server refers "a.test DS" into the child, as a DS-unaware server does. */
static gt_status odd_ds_referral(const scr_query *q, tb_msg *m)
{
    if (!is_from(q, "198.51.100.10", "a.test.") || q->qtype != GT_TYPE_DS) {
        return GT_EINVAL;
    }
    tb_begin(m, q->wire, q->len, false, GT_RCODE_NOERROR);
    tb_rr(m, GT_SEC_AUTHORITY, "a.test.", "NS", 3600, "ns1.a.test.");
    tb_rr(m, GT_SEC_ADDITIONAL, "ns1.a.test.", "A", 3600, "198.51.100.30");
    return GT_OK;
}

static void test_ds_at_parent(void)
{
    run x = go(plain_world, odd_ds_referral, "a.test", GT_TYPE_DS);
    for (size_t i = 0; i < x.r->nqueries; i++) {
        const gt_query *q = x.r->queries[i];
        GT_CHECK(!(q->trace == 0 &&
                   (scr_is_addr(q, "198.51.100.30") || scr_is_addr(q, "198.51.100.31"))));
    }
    GT_CHECK(strstr(finding_msg(x.r, GT_F_LAME_SERVER),
                    "lame for DS: asked for the DS of a.test.") != NULL);
    GT_CHECK_INT(gt_result_exit_code(x.r, false), 3);
    done(&x);

    /* The look-alike: the DS of a name below the cut follows the referral as usual. */
    x = go(plain_world, NULL, "www.a.test", GT_TYPE_DS);
    GT_CHECK(main_query_to(x.r, "198.51.100.30") != NULL);
    GT_CHECK_INT(x.r->traces[0]->status, GT_TS_NODATA);
    done(&x);
}

/* ---- a skipped server is shown ------------------------------------------------------ */

static void test_skipped_server_shown(void)
{
    /* a.test's only server is the test. server itself (self-glue): asked once, as test.'s. */
    static const char *const world[] = {
        ROOTS,
        "@198.51.100.10 test.",
        "test. NS ns1.nic.test.",
        "ns1.nic.test. A 198.51.100.10",
        "a.test. NS ns1.nic.test.",
        NULL,
    };
    run x = go(world, NULL, "www.a.test", GT_TYPE_A);
    GT_CHECK_INT(count_findings(x.r, GT_F_ALREADY_ASKED), 1);
    GT_CHECK(strstr(finding_msg(x.r, GT_F_ALREADY_ASKED),
                    "ns1.nic.test. 198.51.100.10, listed for a.test., was not asked as its "
                    "server: this trace already asked that address as a server of test.") != NULL);
    GT_CHECK_INT(gt_result_exit_code(x.r, false), 3);
    GT_CHECK(strstr(finding_msg(x.r, GT_F_NO_AUTHORITATIVE_DATA), "(see ALREADY_ASKED)") != NULL);
    done(&x);

    /* The look-alike: every glued server asked for its zone, nothing reported. */
    x = go(plain_world, NULL, "www.a.test", GT_TYPE_A);
    GT_CHECK_INT(count_findings(x.r, GT_F_ALREADY_ASKED), 0);
    done(&x);
}

/* ---- incomplete delegation checks ------------------------------------------------- */

/* a.test's servers answer the question but never the checks' questions. */
static gt_status odd_silent_checks(const scr_query *q, tb_msg *m)
{
    (void)m;
    if (!(scr_is(q, "198.51.100.30") || scr_is(q, "198.51.100.31")) ||
        scr_name_is(q, "www.a.test.")) {
        return GT_EINVAL;
    }
    return GT_ETIMEOUT;
}

static void test_incomplete_checks(void)
{
    with_checks = true;
    run x = go(plain_world, odd_silent_checks, "www.a.test", GT_TYPE_A);
    GT_CHECK_INT(x.r->traces[0]->status, GT_TS_ANSWER);
    GT_CHECK(count_findings(x.r, GT_F_CHECK_INCOMPLETE) >= 2);
    bool ns = false;
    for (size_t i = 0; i < x.r->nfindings; i++) {
        const gt_finding *f = &x.r->findings[i];
        ns |= f->code == GT_F_CHECK_INCOMPLETE &&
              strstr(f->message, "the delegation check of a.test. (a.test. NS) could not be "
                                 "completed: no authoritative reply from the 2 queries asked "
                                 "(2 timed out)") != NULL;
    }
    GT_CHECK(ns);
    done(&x);

    x = go(plain_world, NULL, "www.a.test", GT_TYPE_A);
    GT_CHECK_INT(count_findings(x.r, GT_F_CHECK_INCOMPLETE), 0);
    done(&x);
    with_checks = false;
}

/*
 * d.test has three servers; the first two asked (.60, .61) answer the trace's question but
 * never the checks. The checks of the NS names' addresses, sent to those two, must move on
 * to the third server (.62), which answered: the glue is then verified, nothing incomplete.
 */
#define D_SERVER(addr)                                                                             \
    "@" addr " d.test.", "d.test. SOA ns1.d.test. h.d.test. 1 2 3 4 5", "d.test. NS ns1.d.test.",  \
        "d.test. NS ns2.d.test.", "d.test. NS ns3.d.test.", "ns1.d.test. A 198.51.100.60",         \
        "ns2.d.test. A 198.51.100.61", "ns3.d.test. A 198.51.100.62", "www.d.test. A 192.0.2.9"
static const char *const three_world[] = {
    ROOTS,
    "@198.51.100.10 test.",
    "test. SOA ns1.nic.test. h.nic.test. 1 2 3 4 5",
    "test. NS ns1.nic.test.",
    "ns1.nic.test. A 198.51.100.10",
    "d.test. NS ns1.d.test.",
    "d.test. NS ns2.d.test.",
    "d.test. NS ns3.d.test.",
    "ns1.d.test. A 198.51.100.60",
    "ns2.d.test. A 198.51.100.61",
    "ns3.d.test. A 198.51.100.62",
    D_SERVER("198.51.100.60"),
    D_SERVER("198.51.100.61"),
    D_SERVER("198.51.100.62"),
    NULL,
};

static gt_status odd_two_silent(const scr_query *q, tb_msg *m)
{
    (void)m;
    if (!(scr_is(q, "198.51.100.60") || scr_is(q, "198.51.100.61")) ||
        scr_name_is(q, "www.d.test.")) {
        return GT_EINVAL;
    }
    return GT_ETIMEOUT;
}

/* Queries of check traces for (@p name, @p type) sent to @p addr. */
static size_t check_queries_to(const gt_result *r, const char *name, uint16_t type,
                               const char *addr)
{
    gt_name n;
    gt_addr a;
    size_t count = 0;
    if (gt_name_from_str(&n, name) != GT_OK || gt_addr_parse(addr, &a) != GT_OK) {
        abort();
    }
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        count += r->traces[q->trace]->kind == GT_TRACE_CHECK && q->qtype == type &&
                 gt_name_eq(&q->qname, &n) && gt_addr_eq(&q->addr, &a);
    }
    return count;
}

static void test_checks_prefer_answering_servers(void)
{
    with_checks = true;
    run x = go(three_world, odd_two_silent, "www.d.test", GT_TYPE_A);
    GT_CHECK_INT(x.r->traces[0]->status, GT_TS_ANSWER);
    /* The address checks went on to the server that answered ... */
    GT_CHECK_INT(check_queries_to(x.r, "ns1.d.test", GT_TYPE_A, "198.51.100.62"), 1);
    GT_CHECK_INT(check_queries_to(x.r, "ns3.d.test", GT_TYPE_AAAA, "198.51.100.62"), 1);
    /* ... so every check question got an authoritative reply: none incomplete. */
    bool addr_incomplete = false;
    for (size_t i = 0; i < x.r->nfindings; i++) {
        const gt_finding *f = &x.r->findings[i];
        addr_incomplete |=
            f->code == GT_F_CHECK_INCOMPLETE && (strstr(f->message, "d.test. A)") != NULL ||
                                                 strstr(f->message, "d.test. AAAA)") != NULL);
    }
    GT_CHECK(!addr_incomplete);
    GT_CHECK_INT(count_findings(x.r, GT_F_GLUE_MISMATCH), 0);
    done(&x);

    /* Healthy look-alike: every server answers the checks, no extra query is sent. */
    x = go(three_world, NULL, "www.d.test", GT_TYPE_A);
    GT_CHECK_INT(check_queries_to(x.r, "ns1.d.test", GT_TYPE_A, "198.51.100.62"), 0);
    GT_CHECK_INT(count_findings(x.r, GT_F_CHECK_INCOMPLETE), 0);
    done(&x);
    with_checks = false;
}

/*
 * g.test is delegated to ns.h.net without glue. The sub-trace for ns.h.net meets net.'s
 * referral to h.net, which carries glue for ns.h.net itself (198.51.100.70); h.net's own
 * data says @p child. The glue is an address of ns.h.net too: the main trace asks it.
 */
#define G_ZONES(addr, child)                                                                       \
    "@" addr " h.net.", "h.net. SOA ns.h.net. h.h.net. 1 2 3 4 5", "h.net. NS ns.h.net.",          \
        "ns.h.net. A " child, "@" addr " g.test.", "g.test. SOA ns.h.net. h.h.net. 1 2 3 4 5",     \
        "g.test. NS ns.h.net.", "www.g.test. A 192.0.2.7"
#define G_WORLD(child)                                                                             \
    ROOTS, "@198.51.100.10 test.", "test. SOA ns1.nic.test. h.nic.test. 1 2 3 4 5",                \
        "test. NS ns1.nic.test.", "ns1.nic.test. A 198.51.100.10", "g.test. NS ns.h.net.",         \
        "@198.51.100.20 net.", "net. SOA ns1.nic.net. h.nic.net. 1 2 3 4 5",                       \
        "net. NS ns1.nic.net.", "ns1.nic.net. A 198.51.100.20", "h.net. NS ns.h.net.",             \
        "ns.h.net. A 198.51.100.70", G_ZONES("198.51.100.70", child),                              \
        G_ZONES("198.51.100.71", child)

/* Queries of the main trace to @p addr. */
static size_t main_queries_to(const gt_result *r, const char *addr)
{
    gt_addr a;
    size_t count = 0;
    if (gt_addr_parse(addr, &a) != GT_OK) {
        abort();
    }
    for (size_t i = 0; i < r->nqueries; i++) {
        count += r->queries[i]->trace == 0 && gt_addr_eq(&r->queries[i]->addr, &a);
    }
    return count;
}

static void test_subtrace_uses_own_glue(void)
{
    static const char *const differs[] = {G_WORLD("198.51.100.71"), NULL};
    static const char *const agrees[] = {G_WORLD("198.51.100.70"), NULL};

    with_checks = true;
    run x = go(differs, NULL, "www.g.test", GT_TYPE_A);
    GT_CHECK_INT(x.r->traces[0]->status, GT_TS_ANSWER);
    GT_CHECK_INT(main_queries_to(x.r, "198.51.100.70"), 1); /* the glue of the sub-trace */
    GT_CHECK_INT(main_queries_to(x.r, "198.51.100.71"), 1); /* the zone's own answer */
    GT_CHECK(count_findings(x.r, GT_F_GLUE_MISMATCH) >= 1);
    const char *msg = finding_msg(x.r, GT_F_GLUE_MISMATCH);
    GT_CHECK(msg != NULL && strstr(msg, "ns.h.net. A") != NULL &&
             strstr(msg, "198.51.100.70") != NULL && strstr(msg, "198.51.100.71") != NULL);
    done(&x);

    /* Healthy look-alike: glue and zone agree, one address, no mismatch. */
    x = go(agrees, NULL, "www.g.test", GT_TYPE_A);
    GT_CHECK_INT(main_queries_to(x.r, "198.51.100.70"), 1);
    GT_CHECK_INT(main_queries_to(x.r, "198.51.100.71"), 0);
    GT_CHECK_INT(count_findings(x.r, GT_F_GLUE_MISMATCH), 0);
    done(&x);
    with_checks = false;
}

int main(void)
{
    test_chain_is_one_answer();
    test_same_zone_disagrees();
    test_only_what_answers();
    test_rcode_as_received();
    test_out_of_zone_target_not_used();
    test_nonauth_shown();
    test_aa_upward_is_not_nodata();
    test_dead_ends_explained();
    test_sibling_glue_verified();
    test_both_sets_asked();
    test_special_purpose_not_asked();
    test_addr_special();
    test_serials_per_server();
    test_ds_at_parent();
    test_skipped_server_shown();
    test_incomplete_checks();
    test_checks_prefer_answering_servers();
    test_subtrace_uses_own_glue();
    return gt_test_done();
}
