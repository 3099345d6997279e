/*
 * Hostile-server scenarios over the scripted transport (issue #6): servers that send shapes
 * real servers will not, answered byte by byte. A small world of well-behaved servers
 * (miniauth) delegates evil.test. to 198.51.100.66; that server, and in some scenarios the
 * test. TLD server, is replaced by a function writing raw replies.
 *
 * Every scenario asserts a bounded outcome: the queries sent stay within --max-queries and
 * the engine's limits, the run ends (the scripted transport never blocks, so an endless loop
 * would show as a budget overrun), and it ends with a finding or a clear per-query outcome
 * and the exit code of the contract (0 answer, 1 error findings, 3 no authoritative answer).
 * Network-level shapes (wrong ID, endless TCP stream, TC over TCP on a real socket) are in
 * tests/hostile/.
 */
#define _GNU_SOURCE /* open_memstream is POSIX 2008; nothing else is used */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gluetrace/output/render.h"
#include "gluetrace/diagnose/diagnose.h"
#include "gluetrace/engine/trace.h"
#include "gluetrace/wire/rdata.h"
#include "miniauth.h"
#include "tap.h"

#define ROOTS                                                                                      \
    "@198.51.100.1 .", ". NS a.root.test.", "test. NS ns1.nic.test.",                              \
        "ns1.nic.test. A 198.51.100.10", "@198.51.100.2 .", ". NS b.root.test.",                   \
        "test. NS ns1.nic.test.", "ns1.nic.test. A 198.51.100.10"

#define TLD "@198.51.100.10 test.", "evil.test. NS ns.evil.test.", "ns.evil.test. A 198.51.100.66"

#define HOSTILE "198.51.100.66"
#define TLD_ADDR "198.51.100.10"

/* Header flag bits (RFC 1035 4.1.1). */
#define F_QR 0x8000
#define F_AA 0x0400
#define F_TC 0x0200

static const char hints_text[] = ". 3600000 NS a.root.test.\n"
                                 ". 3600000 NS b.root.test.\n"
                                 "a.root.test. 3600000 A 198.51.100.1\n"
                                 "b.root.test. 3600000 A 198.51.100.2\n";

/* ---- raw reply builder ---------------------------------------------------------------- */

typedef struct hb {
    gt_wbuf w;
    uint16_t counts[3];
} hb;

/* Start a reply to @p q: its ID, @p flags, its question copied byte for byte. */
static void hb_begin(hb *b, uint8_t *buf, size_t cap, const scr_query *q, uint16_t flags)
{
    memset(b->counts, 0, sizeof(b->counts));
    gt_wbuf_init(&b->w, buf, cap);
    gt_wbuf_bytes(&b->w, q->wire, 2);
    gt_wbuf_u16(&b->w, flags);
    gt_wbuf_u16(&b->w, 1);
    gt_wbuf_u16(&b->w, 0);
    gt_wbuf_u16(&b->w, 0);
    gt_wbuf_u16(&b->w, 0);
    gt_wbuf_bytes(&b->w, q->wire + 12, (size_t)q->qname.len + 4);
}

static void hb_raw_rr(hb *b, gt_section sec, const char *owner, uint16_t type, uint32_t ttl,
                      const uint8_t *rd, size_t rdlen)
{
    gt_name n;
    if (gt_name_from_str(&n, owner) != GT_OK) {
        fprintf(stderr, "bad owner %s\n", owner);
        abort();
    }
    gt_wbuf_name(&b->w, &n);
    gt_wbuf_u16(&b->w, type);
    gt_wbuf_u16(&b->w, GT_CLASS_IN);
    gt_wbuf_u32(&b->w, ttl);
    gt_wbuf_u16(&b->w, (uint16_t)rdlen);
    gt_wbuf_bytes(&b->w, rd, rdlen);
    b->counts[sec]++;
}

static void hb_rr(hb *b, gt_section sec, const char *owner, const char *type, uint32_t ttl,
                  const char *rdata)
{
    uint16_t t;
    uint8_t rd[512];
    size_t rdlen;
    if (gt_type_from_str(type, &t) != GT_OK ||
        gt_rdata_from_str(t, rdata, rd, sizeof(rd), &rdlen) != GT_OK) {
        fprintf(stderr, "bad record %s %s %s\n", owner, type, rdata);
        abort();
    }
    hb_raw_rr(b, sec, owner, t, ttl, rd, rdlen);
}

static size_t hb_end(hb *b)
{
    for (int s = 0; s < 3; s++) {
        gt_wbuf_put_u16_at(&b->w, 6 + 2 * (size_t)s, b->counts[s]);
    }
    if (b->w.err != GT_OK) {
        fprintf(stderr, "reply does not fit\n");
        abort();
    }
    return b->w.len;
}

/* ---- scenario plumbing ---------------------------------------------------------------- */

/* A hostile server: return GT_EINVAL for "not mine" (miniauth answers then). */
typedef gt_status (*hostile_fn)(const scr_query *q, uint8_t *buf, size_t cap, size_t *len);

typedef struct scen {
    mini *w;
    hostile_fn fn;
} scen;

static gt_status respond(void *user, const scr_query *q, uint8_t *buf, size_t cap, size_t *len)
{
    scen *sc = user;
    if (sc->fn != NULL) {
        gt_status st = sc->fn(q, buf, cap, len);
        if (st != GT_EINVAL) {
            return st;
        }
    }
    static tb_msg m;
    memset(&m, 0, sizeof(m));
    gt_status st = mini_respond(sc->w, q, &m);
    if (st == GT_OK) {
        *len = tb_end(&m);
        memcpy(buf, m.buf, *len);
    }
    return st;
}

typedef struct run {
    gt_result *r;
    scripted *s;
    scen sc;
    gt_config cfg;
} run;

static void cfg_for(gt_config *cfg, const char *name, unsigned max_queries)
{
    gt_config_defaults(cfg);
    if (gt_name_from_str(&cfg->qname, name) != GT_OK) {
        abort();
    }
    cfg->qtype = GT_TYPE_A;
    cfg->max_queries = max_queries;
}

static run go(const char *const *world, hostile_fn fn, const char *name, unsigned max_queries)
{
    run x;
    gt_hints hints;
    char err[256];
    memset(&x, 0, sizeof(x));
    cfg_for(&x.cfg, name, max_queries);
    x.sc.w = mini_create(world);
    x.sc.fn = fn;
    x.s = scr_create_raw(respond, &x.sc);
    GT_CHECK_INT(gt_hints_parse(hints_text, &hints, err, sizeof(err)), GT_OK);
    GT_CHECK_INT(gt_trace_run(&x.cfg, &hints, scr_transport(x.s), NULL, &x.r), GT_OK);
    if (x.r == NULL) {
        fprintf(stderr, "trace returned no result\n");
        exit(1);
    }
    GT_CHECK_INT(gt_diagnose(x.r, &x.cfg, NULL, NULL, NULL, 0), GT_OK);
    if (getenv("GT_HOSTILE_DEBUG") != NULL) {
        gt_config shown = x.cfg;
        shown.color = GT_COLOR_NEVER;
        gt_render_text(stderr, x.r, &shown);
    }
    /* The bounds every scenario shares. */
    GT_CHECK(scr_count(x.s) <= max_queries);
    GT_CHECK(x.r->sent <= max_queries);
    GT_CHECK_INT(scr_count(x.s), x.r->sent);
    GT_CHECK(x.r->ntraces <= GT_MAX_TRACES);
    for (size_t i = 0; i < x.r->ntraces; i++) {
        GT_CHECK(x.r->traces[i]->depth <= GT_MAX_SUBTRACE_DEPTH + 1);
        GT_CHECK(x.r->traces[i]->status != GT_TS_RUNNING);
    }
    /* Never the same question to the same server twice over the same transport. */
    GT_CHECK(scr_max_dup(x.s) <= 1);
    return x;
}

static void done(run *x)
{
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

/*
 * The assertions below that count queries look at the main trace only (trace 0): the engine
 * also runs check traces (the child's NS set, glue against the zone's own data) whose number
 * is its own business; those are bounded by the shared checks in go().
 */

/* Outcome of the main trace's first query sent to @p addr, or GT_OUT_PENDING when none. */
static gt_outcome outcome_at(const gt_result *r, const char *addr)
{
    gt_addr a;
    gt_addr_parse(addr, &a);
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (q->trace == 0 && gt_addr_eq(&q->addr, &a) && q->cached_from == 0) {
            return q->outcome;
        }
    }
    return GT_OUT_PENDING;
}

/* Main-trace queries sent to @p addr (@p tcp: 0 UDP, 1 TCP, -1 either). */
static size_t sent_to(const gt_result *r, const char *addr, int tcp)
{
    gt_addr a;
    gt_addr_parse(addr, &a);
    size_t n = 0;
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        n += q->trace == 0 && gt_addr_eq(&q->addr, &a) && q->cached_from == 0 &&
             (tcp < 0 || q->tcp == (tcp == 1));
    }
    return n;
}

/* Main-trace queries sent to servers of @p zone. */
static size_t queries_in_zone(const gt_result *r, const char *zone)
{
    gt_name z;
    gt_name_from_str(&z, zone);
    size_t n = 0;
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        n += q->trace == 0 && gt_name_eq(&q->zone, &z) && q->cached_from == 0;
    }
    return n;
}

static const char *const base_world[] = {ROOTS, TLD, NULL};

/* ---- malformed replies ---------------------------------------------------------------- */

static int malformed_mode;

/* The answer's owner name is broken in one of several ways. */
static gt_status h_malformed(const scr_query *q, uint8_t *buf, size_t cap, size_t *len)
{
    if (!scr_is(q, HOSTILE)) {
        return GT_EINVAL;
    }
    hb b;
    hb_begin(&b, buf, cap, q, F_QR | F_AA);
    size_t at = b.w.len; /* offset of the answer's owner */
    switch (malformed_mode) {
    case 0: /* compression pointer to itself */
        gt_wbuf_u16(&b.w, (uint16_t)(0xC000 | at));
        break;
    case 1: /* two labels pointing at each other: "x" then a pointer back to "x" */
        gt_wbuf_u8(&b.w, 1);
        gt_wbuf_u8(&b.w, 'x');
        gt_wbuf_u16(&b.w, (uint16_t)(0xC000 | at));
        break;
    case 2: /* forward pointer into the RDATA */
        gt_wbuf_u16(&b.w, (uint16_t)(0xC000 | (at + 12)));
        break;
    case 3: /* pointer past the end of the message */
        gt_wbuf_u16(&b.w, 0xFFFF);
        break;
    default: /* a valid owner; the RDLENGTH below lies */
        gt_wbuf_u16(&b.w, 0xC00C);
        break;
    }
    gt_wbuf_u16(&b.w, GT_TYPE_A);
    gt_wbuf_u16(&b.w, GT_CLASS_IN);
    gt_wbuf_u32(&b.w, 60);
    gt_wbuf_u16(&b.w, malformed_mode >= 4 ? 0xFFF0 : 4); /* RDLENGTH past the end */
    gt_wbuf_u8(&b.w, 192);
    gt_wbuf_u8(&b.w, 0);
    gt_wbuf_u8(&b.w, 2);
    gt_wbuf_u8(&b.w, 1);
    b.counts[GT_SEC_ANSWER] = 1;
    *len = hb_end(&b);
    return GT_OK;
}

static void test_malformed(void)
{
    static const char *const what[] = {"pointer loop (self)", "pointer loop (pair)",
                                       "forward pointer", "pointer past end", "RDLENGTH past end"};
    for (int mode = 0; mode < 5; mode++) {
        malformed_mode = mode;
        run x = go(base_world, h_malformed, "www.evil.test", 100);
        fprintf(stderr, "# malformed: %s\n", what[mode]);
        GT_CHECK_INT(outcome_at(x.r, HOSTILE), GT_OUT_MALFORMED);
        GT_CHECK_INT(x.r->traces[0]->status, GT_TS_FAILED);
        GT_CHECK_INT(gt_result_exit_code(x.r, false), 3);
        /* Asked once for the question, never again for it over UDP. */
        GT_CHECK_INT(sent_to(x.r, HOSTILE, 0), 1);
        GT_CHECK(x.r->sent <= 30);
        done(&x);
    }
}

/* ---- replies to another question ------------------------------------------------------ */

static int wrongq_mode;

static gt_status h_wrong_question(const scr_query *q, uint8_t *buf, size_t cap, size_t *len)
{
    if (!scr_is(q, HOSTILE)) {
        return GT_EINVAL;
    }
    hb b;
    uint16_t flags = F_QR | F_AA;
    if (wrongq_mode == 3) {
        flags = F_AA; /* QR=0: a query, not a reply */
    } else if (wrongq_mode == 4) {
        flags |= 2 << 11; /* opcode STATUS */
    }
    hb_begin(&b, buf, cap, q, flags);
    size_t qend = b.w.len;
    if (wrongq_mode == 0) {
        /* Same length, other name: "www" becomes "wwx". */
        buf[12 + 3] = 'x';
    } else if (wrongq_mode == 1) {
        gt_wbuf_put_u16_at(&b.w, qend - 4, GT_TYPE_AAAA);
    } else if (wrongq_mode == 2) {
        gt_wbuf_put_u16_at(&b.w, qend - 2, 3); /* class CH */
    } else if (wrongq_mode == 5) {
        gt_wbuf_put_u16_at(&b.w, 4, 0); /* QDCOUNT 0, question bytes left as garbage */
    }
    hb_rr(&b, GT_SEC_ANSWER, "www.evil.test.", "A", 60, "192.0.2.66");
    *len = hb_end(&b);
    return GT_OK;
}

static void test_wrong_question(void)
{
    for (int mode = 0; mode < 6; mode++) {
        wrongq_mode = mode;
        run x = go(base_world, h_wrong_question, "www.evil.test", 100);
        fprintf(stderr, "# wrong question mode %d\n", mode);
        GT_CHECK_INT(outcome_at(x.r, HOSTILE), GT_OUT_MALFORMED);
        GT_CHECK_INT(x.r->nanswers, 0);
        GT_CHECK_INT(gt_result_exit_code(x.r, false), 3);
        done(&x);
    }
}

/* ---- referrals that go nowhere -------------------------------------------------------- */

static int ref_mode;

static gt_status h_bad_referral(const scr_query *q, uint8_t *buf, size_t cap, size_t *len)
{
    if (!scr_is(q, HOSTILE)) {
        return GT_EINVAL;
    }
    static const char *const zones[] = {"evil.test.", "test.", "other.test.", "."};
    static const char *const ns[] = {"ns.evil.test.", "ns.test.", "ns.other.test.", "x.root."};
    hb b;
    hb_begin(&b, buf, cap, q, F_QR);
    hb_rr(&b, GT_SEC_AUTHORITY, zones[ref_mode], "NS", 3600, ns[ref_mode]);
    hb_rr(&b, GT_SEC_ADDITIONAL, ns[ref_mode], "A", 3600, "198.51.100.99");
    *len = hb_end(&b);
    return GT_OK;
}

static void test_bad_referrals(void)
{
    static const gt_outcome want[] = {GT_OUT_UPWARD, GT_OUT_UPWARD, GT_OUT_SIDEWAYS, GT_OUT_UPWARD};
    static const char *const what[] = {"to itself", "to the parent", "sideways", "to the root"};
    for (int mode = 0; mode < 4; mode++) {
        ref_mode = mode;
        run x = go(base_world, h_bad_referral, "www.evil.test", 100);
        fprintf(stderr, "# referral %s\n", what[mode]);
        GT_CHECK_INT(outcome_at(x.r, HOSTILE), want[mode]);
        /* The glue of a referral that is not followed is never asked. */
        GT_CHECK_INT(outcome_at(x.r, "198.51.100.99"), GT_OUT_PENDING);
        GT_CHECK_INT(x.r->traces[0]->status, GT_TS_FAILED);
        GT_CHECK_INT(gt_result_exit_code(x.r, false), 3);
        GT_CHECK_INT(sent_to(x.r, HOSTILE, -1), 1);
        GT_CHECK(x.r->sent <= 30);
        done(&x);
    }
}

/* A referral down to sub.evil.test whose servers refer back up to evil.test: a ring. */
static gt_status h_ring(const scr_query *q, uint8_t *buf, size_t cap, size_t *len)
{
    hb b;
    if (scr_is(q, HOSTILE)) {
        hb_begin(&b, buf, cap, q, F_QR);
        hb_rr(&b, GT_SEC_AUTHORITY, "sub.evil.test.", "NS", 3600, "ns.sub.evil.test.");
        hb_rr(&b, GT_SEC_ADDITIONAL, "ns.sub.evil.test.", "A", 3600, "198.51.100.67");
    } else if (scr_is(q, "198.51.100.67")) {
        hb_begin(&b, buf, cap, q, F_QR);
        hb_rr(&b, GT_SEC_AUTHORITY, "evil.test.", "NS", 3600, "ns.evil.test.");
        hb_rr(&b, GT_SEC_ADDITIONAL, "ns.evil.test.", "A", 3600, HOSTILE);
    } else {
        return GT_EINVAL;
    }
    *len = hb_end(&b);
    return GT_OK;
}

static void test_referral_ring(void)
{
    run x = go(base_world, h_ring, "www.sub.evil.test", 100);
    GT_CHECK_INT(outcome_at(x.r, HOSTILE), GT_OUT_REFERRAL);
    GT_CHECK_INT(outcome_at(x.r, "198.51.100.67"), GT_OUT_UPWARD);
    GT_CHECK_INT(sent_to(x.r, HOSTILE, -1), 1);
    GT_CHECK_INT(sent_to(x.r, "198.51.100.67", -1), 1);
    GT_CHECK(x.r->sent <= 30);
    GT_CHECK_INT(gt_result_exit_code(x.r, false), 3);
    done(&x);
}

/* A ring of glueless zones: a.test -> ns.b.test, b.test -> ns.c.test, c.test -> ns.a.test. */
static void test_glueless_ring(void)
{
    static const char *const world[] = {
        ROOTS,
        "@198.51.100.10 test.",
        "a.test. NS ns.b.test.",
        "b.test. NS ns.c.test.",
        "c.test. NS ns.a.test.",
        NULL,
    };
    run x = go(world, NULL, "www.a.test", 200);
    GT_CHECK(count_findings(x.r, GT_F_GLUELESS_CYCLE) >= 1);
    GT_CHECK(x.r->traces[0]->status == GT_TS_CYCLE || x.r->traces[0]->status == GT_TS_FAILED);
    GT_CHECK(gt_result_exit_code(x.r, false) != 0);
    GT_CHECK(x.r->sent <= 20);
    done(&x);
}

/* ---- 500 NS names with 500 glue records ----------------------------------------------- */

#define BIG_NS 500

static gt_status h_big_referral(const scr_query *q, uint8_t *buf, size_t cap, size_t *len)
{
    if (!scr_is(q, HOSTILE)) {
        return GT_EINVAL;
    }
    hb b;
    char ns[64], a[32];
    hb_begin(&b, buf, cap, q, F_QR);
    for (int i = 0; i < BIG_NS; i++) {
        snprintf(ns, sizeof(ns), "ns%d.sub.evil.test.", i);
        hb_rr(&b, GT_SEC_AUTHORITY, "sub.evil.test.", "NS", 3600, ns);
    }
    for (int i = 0; i < BIG_NS; i++) {
        snprintf(ns, sizeof(ns), "ns%d.sub.evil.test.", i);
        snprintf(a, sizeof(a), "10.%d.%d.1", i / 250, i % 250);
        hb_rr(&b, GT_SEC_ADDITIONAL, ns, "A", 3600, a);
    }
    *len = hb_end(&b);
    return GT_OK;
}

static void test_500_ns(void)
{
    run x = go(base_world, h_big_referral, "www.sub.evil.test", 1000);
    GT_CHECK_INT(outcome_at(x.r, HOSTILE), GT_OUT_REFERRAL);
    /* The NS set and the glue are capped per referral; every address asked answers REFUSED. */
    GT_CHECK(queries_in_zone(x.r, "sub.evil.test.") <= GT_MAX_NS_PER_REFERRAL);
    GT_CHECK(queries_in_zone(x.r, "sub.evil.test.") >= 1);
    GT_CHECK(x.r->sent <= 1000);
    GT_CHECK_INT(gt_result_exit_code(x.r, false), 3);
    for (size_t i = 0; i < x.r->nqueries; i++) {
        const gt_query *q = x.r->queries[i];
        if (q->has_referral) {
            GT_CHECK(q->referral.nns <= GT_MAX_NS_PER_REFERRAL);
            GT_CHECK(q->referral.nglue <= GT_MAX_GLUE_PER_REFERRAL);
            GT_CHECK(q->referral.nignored <= GT_MAX_IGNORED_PER_REFERRAL);
            if (q->referral.nns == GT_MAX_NS_PER_REFERRAL) {
                GT_CHECK_INT(q->referral.ns_dropped, BIG_NS - GT_MAX_NS_PER_REFERRAL);
            }
        }
    }
    /* What the caps left out is said, not dropped silently. */
    bool said = false;
    for (size_t i = 0; i < x.r->nfindings; i++) {
        said |= x.r->findings[i].code == GT_F_LIMIT_REACHED &&
                strstr(x.r->findings[i].message, "NS names beyond the first") != NULL;
    }
    GT_CHECK(said);
    done(&x);

    /* The same referral with a small --max-queries: the budget stops it, with a finding. */
    x = go(base_world, h_big_referral, "www.sub.evil.test", 10);
    GT_CHECK_INT(x.r->sent, 10);
    GT_CHECK(count_findings(x.r, GT_F_LIMIT_REACHED) >= 1);
    GT_CHECK_INT(gt_result_exit_code(x.r, false), 3);
    done(&x);
}

/* ---- fan-out bomb: glueless NS names whose zones have glueless NS names ... ----------- */

#define BOMB_WIDTH 16

/* The TLD delegates kN.test to n0..n15.k(N+1).test, never with glue. */
static gt_status h_bomb(const scr_query *q, uint8_t *buf, size_t cap, size_t *len)
{
    if (!scr_is(q, TLD_ADDR)) {
        return GT_EINVAL;
    }
    /* Labels of the question; the one before "test" is kN. */
    const uint8_t *p = q->qname.data;
    const uint8_t *labels[128];
    size_t n = 0;
    while (*p != 0 && n < 128) {
        labels[n++] = p;
        p += *p + 1;
    }
    if (n < 2 || labels[n - 2][0] < 2 || labels[n - 2][1] != 'k') {
        return GT_EINVAL;
    }
    char num[8] = {0};
    size_t nl = labels[n - 2][0] - 1u;
    if (nl >= sizeof(num)) {
        return GT_EINVAL;
    }
    memcpy(num, labels[n - 2] + 2, nl);
    unsigned long k = strtoul(num, NULL, 10);
    char zone[32], ns[48];
    snprintf(zone, sizeof(zone), "k%lu.test.", k);
    hb b;
    hb_begin(&b, buf, cap, q, F_QR);
    for (int i = 0; i < BOMB_WIDTH; i++) {
        snprintf(ns, sizeof(ns), "n%d.k%lu.test.", i, k + 1);
        hb_rr(&b, GT_SEC_AUTHORITY, zone, "NS", 3600, ns);
    }
    *len = hb_end(&b);
    return GT_OK;
}

static void test_fanout_bomb(void)
{
    run x = go(base_world, h_bomb, "www.k0.test", 1000);
    GT_CHECK(count_findings(x.r, GT_F_LIMIT_REACHED) >= 1);
    GT_CHECK(x.r->ntraces > 1);
    GT_CHECK(x.r->traces[0]->status != GT_TS_ANSWER);
    GT_CHECK_INT(gt_result_exit_code(x.r, false), 3);
    unsigned deepest = 0;
    for (size_t i = 0; i < x.r->ntraces; i++) {
        if (x.r->traces[i]->depth > deepest) {
            deepest = x.r->traces[i]->depth;
        }
    }
    GT_CHECK(deepest <= GT_MAX_SUBTRACE_DEPTH);
    fprintf(stderr, "# fan-out bomb: %zu queries, %zu traces, depth %u\n", x.r->sent, x.r->ntraces,
            deepest);
    done(&x);

    x = go(base_world, h_bomb, "www.k0.test", 50);
    GT_CHECK(count_findings(x.r, GT_F_LIMIT_REACHED) >= 1);
    GT_CHECK_INT(gt_result_exit_code(x.r, false), 3);
    done(&x);
}

/* ---- TC over TCP ---------------------------------------------------------------------- */

static int tc_aa;

static gt_status h_tc_always(const scr_query *q, uint8_t *buf, size_t cap, size_t *len)
{
    if (!scr_is(q, HOSTILE)) {
        return GT_EINVAL;
    }
    hb b;
    hb_begin(&b, buf, cap, q, (uint16_t)(F_QR | F_TC | (tc_aa ? F_AA : 0)));
    *len = hb_end(&b);
    return GT_OK;
}

static void test_tc_over_tcp(void)
{
    for (tc_aa = 0; tc_aa < 2; tc_aa++) {
        run x = go(base_world, h_tc_always, "www.evil.test", 100);
        GT_CHECK_INT(outcome_at(x.r, HOSTILE), GT_OUT_TRUNCATED);
        /* One UDP query, one TCP retry, and nothing more however often TC comes back. */
        GT_CHECK_INT(sent_to(x.r, HOSTILE, 0), 1);
        GT_CHECK_INT(sent_to(x.r, HOSTILE, 1), 1);
        /* UDP + TCP for each of the 5 questions: the name, and the checks' NS, SOA, A, AAAA. */
        GT_CHECK(scr_count_to(x.s, HOSTILE, NULL) <= 2 * 5);
        /* TC=1 over TCP is a broken reply, never an answer, with AA or without (issue 11). */
        GT_CHECK_INT(x.r->nanswers, 0);
        GT_CHECK_INT(gt_result_exit_code(x.r, false), 3);
        bool reported = false;
        for (size_t i = 0; i < x.r->nfindings; i++) {
            const gt_finding *f = &x.r->findings[i];
            reported |= f->code == GT_F_MALFORMED_RESPONSE && strstr(f->message, "TC=1") != NULL;
        }
        GT_CHECK(reported);
        GT_CHECK_INT(count_findings(x.r, GT_F_NO_AUTHORITATIVE_DATA), 1);
        done(&x);
    }
}

/* ---- names and data that must not reach the terminal raw ----------------------------- */

#define HOSTILE_NAME "\\027[2J\\\"q\\\\\\000\\255.evil.test."

static gt_status h_hostile_names(const scr_query *q, uint8_t *buf, size_t cap, size_t *len)
{
    if (!scr_is(q, HOSTILE)) {
        return GT_EINVAL;
    }
    hb b;
    gt_name hostile;
    gt_name_from_str(&hostile, HOSTILE_NAME);
    hb_begin(&b, buf, cap, q, F_QR | F_AA);
    if (gt_name_eq(&q->qname, &hostile)) {
        static const uint8_t txt[] = {7, 0x1b, '[', '3', '1', 'm', '"', '\\', 3, 0x07, 0x7f, 0xff};
        hb_rr(&b, GT_SEC_ANSWER, HOSTILE_NAME, "A", 0xFFFFFFFFu, "192.0.2.7");
        hb_rr(&b, GT_SEC_ANSWER, HOSTILE_NAME, "A", 0, "192.0.2.8");
        hb_raw_rr(&b, GT_SEC_ANSWER, HOSTILE_NAME, GT_TYPE_TXT, 0, txt, sizeof(txt));
    } else {
        hb_rr(&b, GT_SEC_ANSWER, "www.evil.test.", "CNAME", 0x80000000u, HOSTILE_NAME);
    }
    *len = hb_end(&b);
    return GT_OK;
}

static void check_clean_text(const char *what, const char *s, size_t n)
{
    size_t bad = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        bad += (c < 0x20 && c != '\n') || c >= 0x7f;
    }
    if (bad != 0) {
        fprintf(stderr, "# %s output holds %zu raw control or non-ASCII bytes\n", what, bad);
    }
    GT_CHECK_INT(bad, 0);
}

static void test_hostile_names(void)
{
    run x = go(base_world, h_hostile_names, "www.evil.test", 100);
    GT_CHECK_INT(x.r->traces[0]->status, GT_TS_ANSWER);
    GT_CHECK(gt_result_exit_code(x.r, false) <= 1);
    GT_CHECK(x.r->nanswers >= 1);
    x.cfg.verbose = true;
    x.cfg.color = GT_COLOR_NEVER;

    char *text = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&text, &n);
    GT_CHECK(f != NULL);
    GT_CHECK_INT(gt_render_text(f, x.r, &x.cfg), GT_OK);
    fclose(f);
    check_clean_text("text", text, n);
    GT_CHECK(strstr(text, "\\027[2J") != NULL);
    free(text);

    f = open_memstream(&text, &n);
    GT_CHECK(f != NULL);
    GT_CHECK_INT(gt_render_json(f, x.r, &x.cfg), GT_OK);
    fclose(f);
    check_clean_text("json", text, n);
    json_error_t jerr;
    json_t *root = json_loadb(text, n, 0, &jerr);
    GT_CHECK(root != NULL);
    /* TTLs are unsigned 32-bit: the huge one is not negative, the zero one is kept. */
    bool huge = false, zero = false;
    json_t *queries = json_object_get(root, "queries");
    for (size_t i = 0; i < json_array_size(queries); i++) {
        json_t *ans = json_object_get(json_array_get(queries, i), "answer");
        for (size_t j = 0; j < json_array_size(ans); j++) {
            json_int_t ttl = json_integer_value(json_object_get(json_array_get(ans, j), "ttl"));
            GT_CHECK(ttl >= 0);
            huge |= ttl == 4294967295LL;
            zero |= ttl == 0;
        }
    }
    GT_CHECK(huge);
    GT_CHECK(zero);
    json_decref(root);
    free(text);
    done(&x);
}

/* ---- CNAME chains --------------------------------------------------------------------- */

static int cname_in_reply;

/* cN.evil.test is a CNAME to c(N+1).evil.test, forever (or 100 links in one reply). */
static gt_status h_cname_chain(const scr_query *q, uint8_t *buf, size_t cap, size_t *len)
{
    if (!scr_is(q, HOSTILE)) {
        return GT_EINVAL;
    }
    char name[GT_NAME_STRLEN], owner[GT_NAME_STRLEN], target[GT_NAME_STRLEN];
    gt_name_to_str(&q->qname, name, sizeof(name));
    unsigned long k = strtoul(name + 1, NULL, 10);
    hb b;
    hb_begin(&b, buf, cap, q, F_QR | F_AA);
    unsigned links = cname_in_reply ? 100 : 1;
    for (unsigned i = 0; i < links; i++) {
        snprintf(owner, sizeof(owner), "c%lu.evil.test.", k + i);
        snprintf(target, sizeof(target), "c%lu.evil.test.", k + i + 1);
        hb_rr(&b, GT_SEC_ANSWER, owner, "CNAME", 60, target);
    }
    *len = hb_end(&b);
    return GT_OK;
}

static void test_cname_chain(void)
{
    for (cname_in_reply = 0; cname_in_reply < 2; cname_in_reply++) {
        run x = go(base_world, h_cname_chain, "c0.evil.test", 1000);
        GT_CHECK(count_findings(x.r, GT_F_LIMIT_REACHED) >= 1);
        size_t cname_traces = 0;
        for (size_t i = 0; i < x.r->ntraces; i++) {
            cname_traces += x.r->traces[i]->kind == GT_TRACE_CNAME;
        }
        GT_CHECK(cname_traces <= GT_MAX_CNAME_CHAIN);
        for (size_t i = 0; i < x.r->nqueries; i++) {
            GT_CHECK(x.r->queries[i]->cls.cname_links <= GT_MAX_CNAME_IN_REPLY);
        }
        GT_CHECK(x.r->sent <= 200);
        int code = gt_result_exit_code(x.r, false);
        GT_CHECK(code == 0 || code == 1 || code == 3);
        fprintf(stderr, "# CNAME chain (%s): %zu queries, %zu traces, exit %d\n",
                cname_in_reply ? "100 per reply" : "1 per reply", x.r->sent, x.r->ntraces, code);
        done(&x);
    }
}

/* ---- out-of-bailiwick data ------------------------------------------------------------ */

/* A referral with glue for names the server may not speak for, and a poisoned answer. */
static gt_status h_oob(const scr_query *q, uint8_t *buf, size_t cap, size_t *len)
{
    hb b;
    if (scr_is(q, HOSTILE)) {
        hb_begin(&b, buf, cap, q, F_QR);
        hb_rr(&b, GT_SEC_AUTHORITY, "sub.evil.test.", "NS", 3600, "ns.victim.net.");
        hb_rr(&b, GT_SEC_AUTHORITY, "sub.evil.test.", "NS", 3600, "ns.sub.evil.test.");
        hb_rr(&b, GT_SEC_ADDITIONAL, "ns.victim.net.", "A", 3600, "203.0.113.1");
        hb_rr(&b, GT_SEC_ADDITIONAL, "ns1.nic.test.", "A", 3600, "203.0.113.2");
        hb_rr(&b, GT_SEC_ADDITIONAL, "ns.sub.evil.test.", "A", 3600, "198.51.100.68");
    } else if (scr_is(q, "198.51.100.68")) {
        hb_begin(&b, buf, cap, q, F_QR | F_AA);
        hb_rr(&b, GT_SEC_ANSWER, "www.sub.evil.test.", "A", 60, "192.0.2.68");
        hb_rr(&b, GT_SEC_ANSWER, "www.bank.test.", "A", 60, "203.0.113.3");
        hb_rr(&b, GT_SEC_AUTHORITY, "test.", "NS", 60, "ns.bank.test.");
        hb_rr(&b, GT_SEC_ADDITIONAL, "ns.bank.test.", "A", 60, "203.0.113.4");
    } else {
        return GT_EINVAL;
    }
    *len = hb_end(&b);
    return GT_OK;
}

static void test_out_of_bailiwick(void)
{
    run x = go(base_world, h_oob, "www.sub.evil.test", 200);
    GT_CHECK_INT(x.r->traces[0]->status, GT_TS_ANSWER);
    GT_CHECK(gt_result_exit_code(x.r, false) <= 1);
    for (size_t i = 0; i < scr_count(x.s); i++) {
        char a[GT_ADDR_STRLEN];
        gt_addr_to_str(&scr_get(x.s, i)->server, a, sizeof(a));
        GT_CHECK(strncmp(a, "203.0.113.", 10) != 0);
    }
    done(&x);
}

/* ---- more ignored additional records than are listed ---------------------------------- */

/** Junk records in the referral below: more than GT_MAX_IGNORED_PER_REFERRAL. */
#define JUNK_RECORDS 40

/* For www.sub.evil.test only: a clean referral to sub.evil.test whose additional section also
 * carries JUNK_RECORDS TXT records (ignored, not address records). The rest is the world's. */
static gt_status h_junk(const scr_query *q, uint8_t *buf, size_t cap, size_t *len)
{
    gt_name www;
    gt_name_from_str(&www, "www.sub.evil.test.");
    if (!scr_is(q, HOSTILE) || !gt_name_eq(&q->qname, &www)) {
        return GT_EINVAL;
    }
    hb b;
    char owner[64];
    hb_begin(&b, buf, cap, q, F_QR);
    hb_rr(&b, GT_SEC_AUTHORITY, "sub.evil.test.", "NS", 3600, "ns.sub.evil.test.");
    hb_rr(&b, GT_SEC_ADDITIONAL, "ns.sub.evil.test.", "A", 3600, "198.51.100.69");
    for (int i = 0; i < JUNK_RECORDS; i++) {
        snprintf(owner, sizeof(owner), "junk%d.sub.evil.test.", i);
        hb_rr(&b, GT_SEC_ADDITIONAL, owner, "TXT", 3600, "\"junk\"");
    }
    *len = hb_end(&b);
    return GT_OK;
}

/* The cap on listed ignored records is a LIMIT_REACHED like every other cap: a warning, so
 * --strict fails the run while the plain exit status stays 0. */
static void test_ignored_cap(void)
{
    static const char *const world[] = {
        ROOTS,
        TLD,
        "test. NS ns1.nic.test.", /* the TLD's own apex, so its delegation checks agree */
        "ns1.nic.test. A 198.51.100.10",
        "@198.51.100.66 evil.test.",
        "evil.test. NS ns.evil.test.",
        "ns.evil.test. A 198.51.100.66",
        "@198.51.100.69 sub.evil.test.",
        "sub.evil.test. NS ns.sub.evil.test.",
        "ns.sub.evil.test. A 198.51.100.69",
        "www.sub.evil.test. A 192.0.2.69",
        NULL,
    };
    run x = go(world, h_junk, "www.sub.evil.test", 200);
    GT_CHECK_INT(x.r->traces[0]->status, GT_TS_ANSWER);
    size_t capped = 0;
    for (size_t i = 0; i < x.r->nqueries; i++) {
        const gt_query *q = x.r->queries[i];
        if (q->has_referral && q->referral.ignored_dropped > 0) {
            GT_CHECK_INT(q->referral.nignored, GT_MAX_IGNORED_PER_REFERRAL);
            GT_CHECK_INT(q->referral.ignored_dropped, JUNK_RECORDS - GT_MAX_IGNORED_PER_REFERRAL);
            capped++;
        }
    }
    GT_CHECK(capped >= 1);
    /* the one finding besides DNSSEC_NO_ANCHOR (this world's trace has no trust anchor) */
    GT_CHECK_INT(x.r->nfindings, 2);
    GT_CHECK_INT(count_findings(x.r, GT_F_LIMIT_REACHED), 1);
    GT_CHECK_INT(count_findings(x.r, GT_F_DNSSEC_NO_ANCHOR), 1);
    GT_CHECK(x.r->nfindings == 2 && strstr(x.r->findings[0].message,
                                           "more ignored additional records not listed") != NULL);
    GT_CHECK_INT(gt_code_severity(GT_F_LIMIT_REACHED), GT_SEV_WARNING);
    GT_CHECK_INT(gt_result_exit_code(x.r, false), 0);
    GT_CHECK_INT(gt_result_exit_code(x.r, true), 1);
    done(&x);
}

int main(void)
{
    test_malformed();
    test_wrong_question();
    test_bad_referrals();
    test_referral_ring();
    test_glueless_ring();
    test_500_ns();
    test_fanout_bomb();
    test_tc_over_tcp();
    test_hostile_names();
    test_cname_chain();
    test_out_of_bailiwick();
    test_ignored_cap();
    return gt_test_done();
}
