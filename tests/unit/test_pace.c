/*
 * The pacing transport (transport/pace.c) over the scripted transport: the rate cap per
 * server network holds in every one-second window and does not slow other networks; a
 * server that rate-limits (slips and drops above its rate) has every query answered in the
 * end, through re-asks, and is remembered as rate-limiting; a dead server at a low rate is
 * reported as it is, without re-asks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gluetrace/transport/pace.h"
#include "scripted.h"
#include "tap.h"

/** Most queries a test sends. */
#define MAXQ 400

/** The fake servers: what they saw and how they limit. */
typedef struct world {
    double sent[MAXQ]; /**< when each query reached a server (pacer clock) */
    gt_addr to[MAXQ];  /**< which server */
    size_t n;          /**< queries seen */
    unsigned limit;    /**< answers a second per server before it limits; 0: none */
    size_t slips;      /**< slips sent */
    size_t drops;      /**< queries dropped */
    const char *dead;  /**< this address never answers */
} world;

/* Answers in the last second from @p a. */
static unsigned recent(const world *w, const gt_addr *a, double now)
{
    unsigned c = 0;
    for (size_t i = 0; i < w->n; i++) {
        c += gt_addr_eq(&w->to[i], a) && now - w->sent[i] < 1000.0;
    }
    return c;
}

static gt_status respond(void *user, const scr_query *q, uint8_t *buf, size_t cap, size_t *len)
{
    world *w = user;
    double now = gt_pace_now_ms();
    if (scr_is(q, w->dead)) {
        return GT_ETIMEOUT;
    }
    unsigned r = recent(w, &q->server, now);
    if (w->n < MAXQ) {
        w->sent[w->n] = now;
        w->to[w->n++] = q->server;
    }
    bool limited = w->limit > 0 && r >= w->limit;
    if (limited && (w->slips + w->drops) % 2 == 1) {
        w->drops++;
        return GT_ETIMEOUT;
    }
    /* header and question of the query; NXDOMAIN, or a slip: TC=1 and nothing else */
    size_t qend = 12;
    while (qend < q->len && q->wire[qend] != 0) {
        qend += (size_t)q->wire[qend] + 1;
    }
    qend += 5;
    if (qend > q->len || qend > cap) {
        return GT_ETRANSPORT;
    }
    memcpy(buf, q->wire, qend);
    buf[2] = (uint8_t)(0x84 | (limited ? 0x02 : 0x00)); /* QR, AA, TC */
    buf[3] = limited ? 0 : 3;                           /* NXDOMAIN */
    memset(buf + 6, 0, 6);                              /* AN, NS, AR counts */
    w->slips += limited;
    *len = qend;
    return GT_OK;
}

/** What came back for each query. */
typedef struct got {
    gt_status status[MAXQ]; /**< its status */
    bool tc[MAXQ];          /**< TC=1 in the reply */
    size_t n;               /**< callbacks run */
} got;

typedef struct slot {
    got *g;
    size_t i;
} slot;

static void on_reply(void *arg, const gt_reply *r)
{
    slot *s = arg;
    s->g->status[s->i] = r->status;
    s->g->tc[s->i] = r->status == GT_OK && r->len > 3 && (r->data[2] & 0x02) != 0;
    s->g->n++;
}

static const uint8_t query[] = {0x12, 0x34, 0x00, 0x00, 0,   1,   0,   0, 0, 0, 0, 0,
                                1,    'x',  4,    't',  'e', 's', 't', 0, 0, 1, 0, 1};

static gt_addr addr(const char *text)
{
    gt_addr a;
    GT_CHECK_INT(gt_addr_parse(text, &a), GT_OK);
    return a;
}

/* Send @p n queries to @p to through @p p (slots from @p slots). */
static void send_n(gt_pace *p, const char *to, size_t n, got *g, slot *slots, size_t first)
{
    gt_addr a = addr(to);
    for (size_t i = first; i < first + n; i++) {
        slots[i].g = g;
        slots[i].i = i;
        GT_CHECK_INT(gt_transport_send(gt_pace_transport(p), &a, false, query, sizeof(query),
                                       on_reply, &slots[i]),
                     GT_OK);
    }
}

/* 100 queries/s to 192.0.2.0/24: 300 queries (to two addresses of it): the first second's
 * allowance (100) at once, then never more than 100 + the bucket of 25 in any second; 40
 * queries to another network go at once. */
static void test_rate(void)
{
    static world w;
    static got g;
    static slot slots[MAXQ];
    memset(&w, 0, sizeof(w));
    memset(&g, 0, sizeof(g));
    w.dead = "203.0.113.99";
    scripted *s = scr_create_raw(respond, &w);
    gt_pace *p = NULL;
    gt_pace_opts o = {.rate = 100, .total_rate = 0, .max_reasks = 3, .backoff_ms = 50};
    GT_CHECK_INT(gt_pace_create(scr_transport(s), &o, &p), GT_OK);
    double t0 = gt_pace_now_ms();
    send_n(p, "192.0.2.1", 150, &g, slots, 0);
    send_n(p, "192.0.2.2", 150, &g, slots, 150);
    send_n(p, "198.51.100.1", 40, &g, slots, 300);
    GT_CHECK_INT(gt_transport_run(gt_pace_transport(p)), GT_OK);
    double took = gt_pace_now_ms() - t0;
    GT_CHECK_INT(g.n, 340);
    size_t ok = 0, worst = 0;
    double other_last = 0;
    gt_addr other = addr("198.51.100.1");
    for (size_t i = 0; i < 340; i++) {
        ok += g.status[i] == GT_OK && !g.tc[i];
    }
    for (size_t i = 0; i < w.n; i++) {
        if (gt_addr_eq(&w.to[i], &other)) {
            other_last = w.sent[i] - t0 > other_last ? w.sent[i] - t0 : other_last;
            continue;
        }
        size_t in = 0;
        for (size_t j = i; j < w.n && w.sent[i] - t0 >= 1000.0; j++) { /* after the first s */
            in += !gt_addr_eq(&w.to[j], &other) && w.sent[j] - w.sent[i] < 1000.0;
        }
        worst = in > worst ? in : worst;
    }
    GT_CHECK_INT(ok, 340);
    GT_CHECK(worst > 50 && worst <= 111);    /* 100/s and the bucket of 10 (a tenth of a second) */
    GT_CHECK(took >= (300.0 - 100.0) / 0.1); /* 200 queries after the first second's 100 */
    GT_CHECK(took < 3500.0);
    GT_CHECK(other_last < 500.0); /* not held up by the busy network */
    gt_pace_stats st;
    gt_pace_get_stats(p, &st);
    GT_CHECK(st.sent == 340 && st.reasked == 0);
    GT_CHECK(st.networks == 2 && st.servers == 3);
    gt_transport_destroy(gt_pace_transport(p));
    scr_destroy(s);
}

/* A server answering 20 a second, slipping and dropping the rest, met at 300/s: every
 * query ends with its NXDOMAIN; the network's rate is halved until the server keeps up. A
 * dead server asked once at a low rate times out as it is. */
static void test_limited(void)
{
    static world w;
    static got g;
    static slot slots[MAXQ];
    memset(&w, 0, sizeof(w));
    memset(&g, 0, sizeof(g));
    w.limit = 20;
    w.dead = "203.0.113.99";
    scripted *s = scr_create_raw(respond, &w);
    gt_pace *p = NULL;
    gt_pace_opts o = {.rate = 300, .total_rate = 1000, .max_reasks = 8, .backoff_ms = 100};
    GT_CHECK_INT(gt_pace_create(scr_transport(s), &o, &p), GT_OK);
    double t0 = gt_pace_now_ms();
    send_n(p, "192.0.2.1", 60, &g, slots, 0);
    send_n(p, "203.0.113.99", 1, &g, slots, 60);
    GT_CHECK_INT(gt_transport_run(gt_pace_transport(p)), GT_OK);
    GT_CHECK_INT(g.n, 61);
    size_t ok = 0;
    for (size_t i = 0; i < 60; i++) {
        ok += g.status[i] == GT_OK && !g.tc[i];
    }
    GT_CHECK_INT(ok, 60);
    for (size_t i = 0; i < 60 && ok != 60; i++) { /* what went wrong */
        if (g.status[i] != GT_OK || g.tc[i]) {
            fprintf(stderr, "  query %zu: %s%s\n", i, gt_status_str(g.status[i]),
                    g.tc[i] ? " TC" : "");
        }
    }
    if (ok != 60) {
        gt_pace_stats d;
        gt_pace_get_stats(p, &d);
        fprintf(stderr,
                "  world: %zu seen, %zu slips, %zu drops; pacer: %llu sent, %llu slips, %llu "
                "drops, %llu reasked, %llu given up\n",
                w.n, w.slips, w.drops, (unsigned long long)d.sent, (unsigned long long)d.slips,
                (unsigned long long)d.drops, (unsigned long long)d.reasked,
                (unsigned long long)d.given_up);
    }
    GT_CHECK(w.slips > 0 && w.drops > 0);
    GT_CHECK_INT(g.status[60], GT_ETIMEOUT);
    gt_pace_stats st;
    gt_pace_get_stats(p, &st);
    GT_CHECK(st.slips == w.slips && st.drops == w.drops);
    GT_CHECK(st.reasked == w.slips + w.drops && st.given_up == 0);
    gt_addr a = addr("192.0.2.1"), dead = addr("203.0.113.99");
    unsigned ev = 0;
    GT_CHECK(gt_pace_limited_since(p, &a, t0, &ev) && ev == w.slips + w.drops);
    GT_CHECK(!gt_pace_limited_since(p, &a, gt_pace_now_ms() + 1.0, NULL));
    GT_CHECK(!gt_pace_limited_since(p, &dead, t0, &ev) && ev == 0);
    gt_transport_destroy(gt_pace_transport(p));
    scr_destroy(s);

    /* with no re-asks left the slip is delivered as it is (TC=1: the caller goes to TCP) */
    memset(&w, 0, sizeof(w));
    memset(&g, 0, sizeof(g));
    w.limit = 5;
    w.dead = "203.0.113.99";
    s = scr_create_raw(respond, &w);
    o.max_reasks = 0;
    GT_CHECK_INT(gt_pace_create(scr_transport(s), &o, &p), GT_OK);
    send_n(p, "192.0.2.1", 20, &g, slots, 0);
    GT_CHECK_INT(gt_transport_run(gt_pace_transport(p)), GT_OK);
    size_t tc = 0, to = 0;
    for (size_t i = 0; i < 20; i++) {
        tc += g.tc[i];
        to += g.status[i] == GT_ETIMEOUT;
    }
    gt_pace_get_stats(p, &st);
    GT_CHECK(tc == w.slips && to == w.drops && tc > 0 && st.given_up == tc + to);
    gt_transport_destroy(gt_pace_transport(p));
    scr_destroy(s);
}

int main(void)
{
    test_rate();
    test_limited();
    return gt_test_done();
}
