/*
 * The c-ares transport against in-process responders on loopback (127.0.0.1 and ::1) on
 * ephemeral ports, one thread each: canned answers, REFUSED, TC=1, TCP, silence, a closed
 * port, delayed answers for concurrency, and queries sent from inside callbacks. The same on
 * every supported c-ares: one question asked twice is two datagrams, the bytes on the wire are
 * the bytes built except the query ID and the cookie, cookies are learnt and checked.
 */
#include "gluetrace/base/addr.h"
#include "gluetrace/transport/transport.h"
#include "gluetrace/wire/wire.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

/** Queries a responder remembers (IDs and source ports). */
#define T_MAX_RECORD 128
/** Delayed replies a responder can hold at once. */
#define T_MAX_PENDING 64
/** Largest message the responders handle. */
#define T_MSG_MAX 512
/** How often responder threads look at their stop flag. */
#define T_POLL_MS 20
/** Hard limit for the whole test program. */
#define T_ALARM_S 20
/** Query ID we write into every query (c-ares replaces it). */
#define T_QUERY_ID 0x1234

typedef enum {
    T_ECHO,      /**< answer with one A record, copying ID and question */
    T_REFUSED,   /**< answer with RCODE 5 */
    T_TC,        /**< answer with TC=1 and no records */
    T_SILENT,    /**< never answer */
    T_DELAY,     /**< like T_ECHO, but each answer 100 ms after its query */
    T_COOKIE,    /**< like T_ECHO, with a COOKIE option: the client cookie and T_SERVER_COOKIE */
    T_BADCOOKIE, /**< like T_COOKIE, but the client cookie echoed with its first byte changed */
} t_mode;

/** The server cookie T_COOKIE responders return (8 bytes). */
#define T_SERVER_COOKIE "SRVCOOK1"

/** Delay of T_DELAY responders. */
#define T_DELAY_MS 100

typedef struct t_pending {
    struct timespec due;
    struct sockaddr_storage peer;
    socklen_t peerlen;
    uint8_t msg[T_MSG_MAX];
    size_t len;
} t_pending;

typedef struct t_responder {
    int fd;        /* UDP socket or TCP listener */
    int family;    /* AF_INET or AF_INET6 */
    bool tcp;      /* TCP listener instead of UDP */
    t_mode mode;   /* how to answer */
    uint16_t port; /* bound ephemeral port */
    pthread_t thr; /* responder thread */
    bool running;  /* thread was started */
    pthread_mutex_t mu;
    int stop;                     /* guarded by mu */
    unsigned count;               /* queries received, guarded by mu */
    uint16_t ids[T_MAX_RECORD];   /* query IDs received, guarded by mu */
    uint16_t ports[T_MAX_RECORD]; /* source ports, guarded by mu */
    uint8_t last[T_MSG_MAX];      /* the last query as received, guarded by mu */
    size_t lastlen;               /* its length, guarded by mu */
    t_pending pending[T_MAX_PENDING];
    size_t npending;
} t_responder;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* Query for example.com/A/IN with EDNS, built by the wire module. */
static size_t build_query(uint8_t *buf, size_t cap)
{
    gt_name qname;
    gt_query_opts o = {.id = T_QUERY_ID, .rd = false, .edns = true, .bufsize = 1232};
    size_t len = 0;

    if (gt_name_from_str(&qname, "example.com") != GT_OK ||
        gt_build_query(buf, cap, &len, &qname, GT_TYPE_A, &o) != GT_OK) {
        return 0;
    }
    return len;
}

/*
 * The COOKIE option of query @p q (one question, the OPT RR last): offset and length of its
 * data. @return false when @p q has no OPT RR (then *off and *len are 0).
 */
static bool find_cookie(const uint8_t *q, size_t qlen, size_t *off, size_t *len)
{
    size_t pos = 12;
    *off = 0;
    *len = 0;
    while (pos < qlen && q[pos] != 0) {
        pos += (size_t)q[pos] + 1;
    }
    pos += 1 + 4;
    if (qlen < 12 || q[11] != 1 || pos + 11 > qlen || q[pos] != 0 || q[pos + 1] != 0 ||
        q[pos + 2] != 41) {
        return false;
    }
    size_t rdlen = (size_t)(q[pos + 9] << 8 | q[pos + 10]);
    size_t p = pos + 11;
    while (p + 4 <= pos + 11 + rdlen && p + 4 <= qlen) {
        size_t code = (size_t)(q[p] << 8 | q[p + 1]);
        size_t olen = (size_t)(q[p + 2] << 8 | q[p + 3]);
        if (code == 10) {
            *off = p + 4;
            *len = olen;
            break;
        }
        p += 4 + olen;
    }
    return true;
}

/* Copy of query @p q without its COOKIE option (OPT RDLENGTH fixed); @return its length. */
static size_t strip_cookie(const uint8_t *q, size_t qlen, uint8_t *out, size_t cap)
{
    size_t off = 0, len = 0;
    if (qlen > cap) {
        return 0;
    }
    memcpy(out, q, qlen);
    if (!find_cookie(q, qlen, &off, &len) || off == 0) {
        return qlen;
    }
    size_t cut = off - 4;
    memmove(out + cut, out + off + len, qlen - off - len);
    size_t pos = 12;
    while (pos < qlen && q[pos] != 0) {
        pos += (size_t)q[pos] + 1;
    }
    pos += 1 + 4 + 9; /* question end, OPT owner, type, class, TTL: RDLENGTH */
    size_t rdlen = (size_t)(q[pos] << 8 | q[pos + 1]) - 4 - len;
    out[pos] = (uint8_t)(rdlen >> 8);
    out[pos + 1] = (uint8_t)(rdlen & 0xff);
    return qlen - 4 - len;
}

/* Build the responder's reply to @p q into @p out; returns its length or 0 to stay silent. */
static size_t make_reply(t_mode mode, const uint8_t *q, size_t qlen, uint8_t *out, size_t cap)
{
    static const uint8_t answer[] = {0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
                                     0x00, 0x3c, 0x00, 0x04, 192,  0,    2,    1};
    size_t pos = 12;
    size_t len;

    if (mode == T_SILENT || qlen < 12) {
        return 0;
    }
    while (pos < qlen && q[pos] != 0) {
        pos += (size_t)q[pos] + 1;
    }
    pos += 1 + 4; /* root label, QTYPE, QCLASS */
    if (pos > qlen || pos + sizeof(answer) > cap) {
        return 0;
    }
    memcpy(out, q, pos);
    out[2] = (uint8_t)(0x80 | (q[2] & 0x79)); /* QR, keep opcode and RD */
    out[3] = 0x80;                            /* RA, RCODE 0 */
    out[6] = out[7] = out[8] = out[9] = out[10] = out[11] = 0;
    len = pos;
    switch (mode) {
    case T_REFUSED:
        out[3] |= 5;
        break;
    case T_TC:
        out[2] |= 0x02;
        break;
    default:
        memcpy(out + pos, answer, sizeof(answer));
        out[7] = 1;
        len += sizeof(answer);
        break;
    }
    if (mode == T_COOKIE || mode == T_BADCOOKIE) {
        size_t cpos = 0, clen = 0;
        static const uint8_t opt[] = {0, 0, 41, 4, 0xd0, 0, 0, 0, 0, 0, 20, 0, 10, 0, 16};
        if (!find_cookie(q, qlen, &cpos, &clen) || clen < 8 || len + sizeof(opt) + 16 > cap) {
            return 0;
        }
        memcpy(out + len, opt, sizeof(opt));
        memcpy(out + len + sizeof(opt), q + cpos, 8);
        memcpy(out + len + sizeof(opt) + 8, T_SERVER_COOKIE, 8);
        if (mode == T_BADCOOKIE) {
            out[len + sizeof(opt)] ^= 0xff;
        }
        len += sizeof(opt) + 16;
        out[11] = 1;
    }
    return len;
}

static bool should_stop(t_responder *r)
{
    bool s;
    pthread_mutex_lock(&r->mu);
    s = r->stop != 0;
    pthread_mutex_unlock(&r->mu);
    return s;
}

static void record(t_responder *r, const uint8_t *q, size_t len, const struct sockaddr *peer)
{
    uint16_t port = 0;
    if (peer->sa_family == AF_INET) {
        port = ntohs(((const struct sockaddr_in *)(const void *)peer)->sin_port);
    } else if (peer->sa_family == AF_INET6) {
        port = ntohs(((const struct sockaddr_in6 *)(const void *)peer)->sin6_port);
    }
    pthread_mutex_lock(&r->mu);
    if (r->count < T_MAX_RECORD && len >= 2) {
        r->ids[r->count] = (uint16_t)(q[0] << 8 | q[1]);
        r->ports[r->count] = port;
    }
    if (len <= sizeof(r->last)) {
        memcpy(r->last, q, len);
        r->lastlen = len;
    }
    r->count++;
    pthread_mutex_unlock(&r->mu);
}

static double due_in_ms(const struct timespec *due)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(due->tv_sec - now.tv_sec) * 1000.0 + (double)(due->tv_nsec - now.tv_nsec) / 1e6;
}

static void udp_flush_due(t_responder *r)
{
    size_t i = 0;
    while (i < r->npending) {
        t_pending *p = &r->pending[i];
        if (due_in_ms(&p->due) <= 0) {
            (void)sendto(r->fd, p->msg, p->len, 0, (const struct sockaddr *)&p->peer, p->peerlen);
            r->pending[i] = r->pending[r->npending - 1];
            r->npending--;
        } else {
            i++;
        }
    }
}

static void udp_loop(t_responder *r)
{
    uint8_t q[T_MSG_MAX];
    uint8_t a[T_MSG_MAX];

    while (!should_stop(r)) {
        struct pollfd pfd = {.fd = r->fd, .events = POLLIN, .revents = 0};
        int wait = T_POLL_MS;
        size_t i;

        for (i = 0; i < r->npending; i++) {
            double d = due_in_ms(&r->pending[i].due);
            if (d < wait) {
                wait = d < 0 ? 0 : (int)d;
            }
        }
        if (poll(&pfd, 1, wait) > 0) {
            struct sockaddr_storage peer;
            socklen_t peerlen = sizeof(peer);
            ssize_t n = recvfrom(r->fd, q, sizeof(q), 0, (struct sockaddr *)&peer, &peerlen);
            if (n > 0) {
                size_t alen;
                record(r, q, (size_t)n, (const struct sockaddr *)&peer);
                alen = make_reply(r->mode, q, (size_t)n, a, sizeof(a));
                if (alen > 0 && r->mode == T_DELAY && r->npending < T_MAX_PENDING) {
                    t_pending *p = &r->pending[r->npending++];
                    clock_gettime(CLOCK_MONOTONIC, &p->due);
                    p->due.tv_nsec += (long)T_DELAY_MS * 1000000L;
                    if (p->due.tv_nsec >= 1000000000L) {
                        p->due.tv_sec++;
                        p->due.tv_nsec -= 1000000000L;
                    }
                    memcpy(&p->peer, &peer, sizeof(peer));
                    p->peerlen = peerlen;
                    memcpy(p->msg, a, alen);
                    p->len = alen;
                } else if (alen > 0) {
                    (void)sendto(r->fd, a, alen, 0, (const struct sockaddr *)&peer, peerlen);
                }
            }
        }
        udp_flush_due(r);
    }
}

/* Read exactly @p n bytes from a connected socket, watching the stop flag. */
static bool tcp_read(t_responder *r, int fd, uint8_t *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN, .revents = 0};
        ssize_t k;
        if (should_stop(r)) {
            return false;
        }
        if (poll(&pfd, 1, T_POLL_MS) <= 0) {
            continue;
        }
        k = recv(fd, buf + got, n - got, 0);
        if (k <= 0) {
            return false;
        }
        got += (size_t)k;
    }
    return true;
}

static void tcp_loop(t_responder *r)
{
    uint8_t q[T_MSG_MAX];
    uint8_t a[T_MSG_MAX + 2];

    while (!should_stop(r)) {
        struct pollfd pfd = {.fd = r->fd, .events = POLLIN, .revents = 0};
        struct sockaddr_storage peer;
        socklen_t peerlen = sizeof(peer);
        int c;

        if (poll(&pfd, 1, T_POLL_MS) <= 0) {
            continue;
        }
        c = accept(r->fd, (struct sockaddr *)&peer, &peerlen);
        if (c < 0) {
            continue;
        }
        for (;;) {
            uint8_t lenbuf[2];
            size_t qlen;
            size_t alen;
            if (!tcp_read(r, c, lenbuf, 2)) {
                break;
            }
            qlen = (size_t)(lenbuf[0] << 8 | lenbuf[1]);
            if (qlen > sizeof(q) || !tcp_read(r, c, q, qlen)) {
                break;
            }
            record(r, q, qlen, (const struct sockaddr *)&peer);
            alen = make_reply(r->mode, q, qlen, a + 2, sizeof(a) - 2);
            if (alen > 0) {
                a[0] = (uint8_t)(alen >> 8);
                a[1] = (uint8_t)(alen & 0xff);
                (void)send(c, a, alen + 2, 0);
            }
        }
        close(c);
    }
}

static void *responder_main(void *arg)
{
    t_responder *r = arg;
    if (r->tcp) {
        tcp_loop(r);
    } else {
        udp_loop(r);
    }
    return NULL;
}

/* Bind a socket of @p family/@p type on loopback, ephemeral port. Returns fd or -1. */
static int bind_loopback(int family, int type, uint16_t *port)
{
    struct sockaddr_storage ss;
    socklen_t len;
    int fd = socket(family, type, 0);

    if (fd < 0) {
        return -1;
    }
    memset(&ss, 0, sizeof(ss));
    if (family == AF_INET) {
        struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
        sin->sin_family = AF_INET;
        sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        len = sizeof(*sin);
    } else {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
        sin6->sin6_family = AF_INET6;
        sin6->sin6_addr = in6addr_loopback;
        len = sizeof(*sin6);
    }
    if (bind(fd, (struct sockaddr *)&ss, len) != 0 ||
        (type == SOCK_STREAM && listen(fd, 16) != 0) ||
        getsockname(fd, (struct sockaddr *)&ss, &len) != 0) {
        close(fd);
        return -1;
    }
    *port = ntohs(family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
                                    : ((struct sockaddr_in6 *)&ss)->sin6_port);
    return fd;
}

static bool responder_start(t_responder *r, int family, bool tcp, t_mode mode)
{
    memset(r, 0, sizeof(*r));
    r->family = family;
    r->tcp = tcp;
    r->mode = mode;
    pthread_mutex_init(&r->mu, NULL);
    r->fd = bind_loopback(family, tcp ? SOCK_STREAM : SOCK_DGRAM, &r->port);
    if (r->fd < 0) {
        return false;
    }
    if (pthread_create(&r->thr, NULL, responder_main, r) != 0) {
        close(r->fd);
        r->fd = -1;
        return false;
    }
    r->running = true;
    return true;
}

static void responder_stop(t_responder *r)
{
    if (r->running) {
        pthread_mutex_lock(&r->mu);
        r->stop = 1;
        pthread_mutex_unlock(&r->mu);
        pthread_join(r->thr, NULL);
        r->running = false;
    }
    if (r->fd >= 0) {
        close(r->fd);
        r->fd = -1;
    }
    pthread_mutex_destroy(&r->mu);
}

static unsigned responder_count(t_responder *r)
{
    unsigned n;
    pthread_mutex_lock(&r->mu);
    n = r->count;
    pthread_mutex_unlock(&r->mu);
    return n;
}

static gt_addr loopback(int family, uint16_t port)
{
    gt_addr a;
    GT_CHECK(gt_addr_parse(family == AF_INET ? "127.0.0.1" : "::1", &a) == GT_OK);
    a.port = port;
    return a;
}

/* ---- callbacks ---- */

typedef struct t_ctx t_ctx;

/** What one callback saw. */
typedef struct t_result {
    t_ctx *ctx;
    int calls;
    gt_status status;
    uint8_t data[T_MSG_MAX];
    size_t len;
    double rtt_ms;
} t_result;

/** Test-wide state passed explicitly (no globals). */
struct t_ctx {
    gt_transport *t;
    bool in_send;          /* set around every gt_transport_send() we make */
    unsigned reentry_seen; /* callbacks that ran inside send (must stay 0) */
    unsigned sent;         /* successful sends */
    gt_addr follow_server; /* where chained callbacks send their follow-up */
    unsigned follow_left;  /* follow-up queries still to send */
    t_result follow[8];    /* results of follow-ups */
    unsigned nfollow;      /* follow-ups sent */
};

static gt_status ctx_send(t_ctx *ctx, const gt_addr *a, bool tcp, gt_reply_fn fn, void *arg)
{
    uint8_t q[T_MSG_MAX];
    size_t qlen = build_query(q, sizeof(q));
    gt_status st;

    ctx->in_send = true;
    st = gt_transport_send(ctx->t, a, tcp, q, qlen, fn, arg);
    ctx->in_send = false;
    if (st == GT_OK) {
        ctx->sent++;
    }
    return st;
}

static void on_reply(void *arg, const gt_reply *reply)
{
    t_result *res = arg;
    if (res->ctx->in_send) {
        res->ctx->reentry_seen++;
    }
    res->calls++;
    res->status = reply->status;
    res->rtt_ms = reply->rtt_ms;
    res->len = 0;
    if (reply->data != NULL && reply->len <= sizeof(res->data)) {
        memcpy(res->data, reply->data, reply->len);
        res->len = reply->len;
    }
}

static void on_reply_chain(void *arg, const gt_reply *reply)
{
    t_result *res = arg;
    t_ctx *ctx = res->ctx;
    on_reply(arg, reply);
    if (ctx->follow_left > 0 && ctx->nfollow < sizeof(ctx->follow) / sizeof(ctx->follow[0])) {
        t_result *next = &ctx->follow[ctx->nfollow++];
        ctx->follow_left--;
        memset(next, 0, sizeof(*next));
        next->ctx = ctx;
        GT_CHECK(ctx_send(ctx, &ctx->follow_server, false, on_reply_chain, next) == GT_OK);
    }
}

static void result_init(t_result *res, t_ctx *ctx, size_t n)
{
    size_t i;
    memset(res, 0, n * sizeof(*res));
    for (i = 0; i < n; i++) {
        res[i].ctx = ctx;
    }
}

static uint16_t reply_id(const t_result *r)
{
    uint16_t id = 0;
    if (r->len >= 2) {
        id = (uint16_t)(r->data[0] << 8 | r->data[1]);
    }
    return id;
}

static unsigned reply_rcode(const t_result *r)
{
    return r->len >= 4 ? r->data[3] & 0x0fu : 99u;
}

static bool reply_tc(const t_result *r)
{
    return r->len >= 3 && (r->data[2] & 0x02) != 0;
}

static unsigned reply_ancount(const t_result *r)
{
    return r->len >= 8 ? (unsigned)(r->data[6] << 8 | r->data[7]) : 0;
}

static unsigned distinct_u16(const uint16_t *v, unsigned n)
{
    unsigned d = 0;
    unsigned i;
    unsigned j;
    for (i = 0; i < n; i++) {
        for (j = 0; j < i && v[j] != v[i]; j++) {
        }
        if (j == i) {
            d++;
        }
    }
    return d;
}

static gt_status make_transport(t_ctx *ctx, unsigned timeout_ms, unsigned retries)
{
    gt_ares_opts o = {.timeout_ms = timeout_ms, .retries = retries};
    memset(ctx, 0, sizeof(*ctx));
    return gt_ares_transport_create(&o, &ctx->t);
}

/* ---- tests ---- */

/* 20 sequential queries: IDs randomised, reply matched, source ports observed. */
static void test_ids(int family)
{
    t_responder r;
    t_ctx ctx;
    t_result res[20];
    gt_addr a;
    unsigned i;
    unsigned n;
    unsigned distinct_ids;
    unsigned distinct_ports;
    bool ids_match = true;
    bool all_ok = true;

    if (!responder_start(&r, family, false, T_ECHO)) {
        GT_CHECK(!"responder");
        return;
    }
    GT_CHECK(make_transport(&ctx, 1000, 1) == GT_OK);
    a = loopback(family, r.port);
    result_init(res, &ctx, 20);
    for (i = 0; i < 20; i++) {
        GT_CHECK(ctx_send(&ctx, &a, false, on_reply, &res[i]) == GT_OK);
        GT_CHECK(gt_transport_run(ctx.t) == GT_OK);
    }
    n = responder_count(&r);
    GT_CHECK_INT(n, 20);
    for (i = 0; i < 20; i++) {
        all_ok =
            all_ok && res[i].calls == 1 && res[i].status == GT_OK && reply_ancount(&res[i]) == 1;
        ids_match = ids_match && i < n && reply_id(&res[i]) == r.ids[i];
    }
    GT_CHECK(all_ok);
    GT_CHECK(ids_match);
    distinct_ids = distinct_u16(r.ids, n < 20 ? n : 20);
    distinct_ports = distinct_u16(r.ports, n < 20 ? n : 20);
    printf("# %s: 20 sequential queries: %u distinct IDs, %u distinct source ports\n",
           family == AF_INET ? "v4" : "v6", distinct_ids, distinct_ports);
    GT_CHECK(distinct_ids >= 2);
    /* c-ares 1.18 closes an idle UDP socket once no query is outstanding, so each run()
     * that finished a query makes the next query open a new socket with a new ephemeral
     * port (queries that are concurrent share one socket in 1.18). */
    GT_CHECK(distinct_ports >= 2);
    GT_CHECK_INT(ctx.reentry_seen, 0);
    gt_transport_destroy(ctx.t);
    responder_stop(&r);
}

/* REFUSED and TC=1 replies arrive as GT_OK data; TC is not retried over TCP by c-ares. */
static void test_refused_tc(void)
{
    t_responder refused;
    t_responder tc;
    t_ctx ctx;
    t_result res[2];
    gt_addr a;
    gt_addr b;

    if (!responder_start(&refused, AF_INET, false, T_REFUSED) ||
        !responder_start(&tc, AF_INET, false, T_TC)) {
        GT_CHECK(!"responder");
        return;
    }
    GT_CHECK(make_transport(&ctx, 1000, 1) == GT_OK);
    result_init(res, &ctx, 2);
    a = loopback(AF_INET, refused.port);
    b = loopback(AF_INET, tc.port);
    GT_CHECK(ctx_send(&ctx, &a, false, on_reply, &res[0]) == GT_OK);
    GT_CHECK(ctx_send(&ctx, &b, false, on_reply, &res[1]) == GT_OK);
    GT_CHECK(gt_transport_run(ctx.t) == GT_OK);
    GT_CHECK_INT(res[0].calls, 1);
    GT_CHECK_INT(res[0].status, GT_OK);
    GT_CHECK_INT(reply_rcode(&res[0]), 5);
    GT_CHECK_INT(res[1].calls, 1);
    GT_CHECK_INT(res[1].status, GT_OK);
    GT_CHECK(reply_tc(&res[1]));
    /* Exactly one query each: no retry to another server, no switch to TCP (nothing listens
     * on TCP at that port, so a TCP retry would have ended in an error). */
    GT_CHECK_INT(responder_count(&refused), 1);
    GT_CHECK_INT(responder_count(&tc), 1);
    GT_CHECK_INT(ctx.reentry_seen, 0);
    gt_transport_destroy(ctx.t);
    responder_stop(&refused);
    responder_stop(&tc);
}

/* TCP: three concurrent queries over one TCP channel. */
static void test_tcp(int family)
{
    t_responder r;
    t_ctx ctx;
    t_result res[3];
    gt_addr a;
    unsigned i;

    if (!responder_start(&r, family, true, T_ECHO)) {
        GT_CHECK(!"responder");
        return;
    }
    GT_CHECK(make_transport(&ctx, 1000, 1) == GT_OK);
    result_init(res, &ctx, 3);
    a = loopback(family, r.port);
    for (i = 0; i < 3; i++) {
        GT_CHECK(ctx_send(&ctx, &a, true, on_reply, &res[i]) == GT_OK);
    }
    GT_CHECK(gt_transport_run(ctx.t) == GT_OK);
    for (i = 0; i < 3; i++) {
        GT_CHECK_INT(res[i].calls, 1);
        GT_CHECK_INT(res[i].status, GT_OK);
        GT_CHECK_INT(reply_ancount(&res[i]), 1);
    }
    GT_CHECK_INT(responder_count(&r), 3);
    gt_transport_destroy(ctx.t);
    responder_stop(&r);
}

/* Silence: GT_ETIMEOUT after about timeout * tries, exactly `tries` queries seen. */
static void test_silent(unsigned retries, double max_ms)
{
    t_responder r;
    t_ctx ctx;
    t_result res;
    gt_addr a;
    double t0;
    double wall;

    if (!responder_start(&r, AF_INET, false, T_SILENT)) {
        GT_CHECK(!"responder");
        return;
    }
    GT_CHECK(make_transport(&ctx, 200, retries) == GT_OK);
    result_init(&res, &ctx, 1);
    a = loopback(AF_INET, r.port);
    t0 = now_ms();
    GT_CHECK(ctx_send(&ctx, &a, false, on_reply, &res) == GT_OK);
    GT_CHECK(gt_transport_run(ctx.t) == GT_OK);
    wall = now_ms() - t0;
    printf("# silent server, timeout 200 ms, retries %u: %s after %.0f ms (rtt %.0f ms)\n", retries,
           gt_status_str(res.status), wall, res.rtt_ms);
    GT_CHECK_INT(res.calls, 1);
    GT_CHECK_INT(res.status, GT_ETIMEOUT);
    GT_CHECK(res.rtt_ms >= 150.0);
    GT_CHECK(wall < max_ms);
    /* Only the server we asked saw anything, and it saw exactly one query per try. */
    GT_CHECK_INT(responder_count(&r), retries + 1);
    gt_transport_destroy(ctx.t);
    responder_stop(&r);
}

/* A closed UDP and TCP port on loopback. */
static void test_closed(void)
{
    t_ctx ctx;
    t_result res[2];
    uint16_t port = 0;
    gt_addr a;
    double t0;
    double wall;
    int fd = bind_loopback(AF_INET, SOCK_DGRAM, &port);

    GT_CHECK(fd >= 0);
    if (fd < 0) {
        return;
    }
    close(fd); /* the port is now closed (a tiny reuse race is possible but harmless) */
    GT_CHECK(make_transport(&ctx, 500, 0) == GT_OK);
    result_init(res, &ctx, 2);
    a = loopback(AF_INET, port);
    t0 = now_ms();
    GT_CHECK(ctx_send(&ctx, &a, false, on_reply, &res[0]) == GT_OK);
    GT_CHECK(ctx_send(&ctx, &a, true, on_reply, &res[1]) == GT_OK);
    GT_CHECK(gt_transport_run(ctx.t) == GT_OK);
    wall = now_ms() - t0;
    printf("# closed port: UDP %s (rtt %.1f ms), TCP %s (rtt %.1f ms), wall %.0f ms\n",
           gt_status_str(res[0].status), res[0].rtt_ms, gt_status_str(res[1].status), res[1].rtt_ms,
           wall);
    /* Loopback answers UDP to a closed port with ICMP port unreachable, which the connected
     * UDP socket of c-ares reads as ECONNREFUSED; TCP sees an RST on connect. Both are
     * reported at once, well before the 500 ms timeout. */
    GT_CHECK_INT(res[0].calls, 1);
    GT_CHECK_INT(res[0].status, GT_ECONNREFUSED);
    GT_CHECK_INT(res[1].calls, 1);
    GT_CHECK_INT(res[1].status, GT_ECONNREFUSED);
    GT_CHECK(wall < 400.0);
    GT_CHECK_INT(ctx.reentry_seen, 0);
    gt_transport_destroy(ctx.t);
}

/* 50 queries to 5 responders that each answer 100 ms late: they run concurrently. */
static void test_concurrency(void)
{
    enum { NRESP = 5, NQ = 50 };
    t_responder r[NRESP];
    t_ctx ctx;
    t_result *res = calloc(NQ, sizeof(*res));
    gt_addr a[NRESP];
    unsigned i;
    unsigned ok = 0;
    unsigned seen = 0;
    double t0;
    double wall;
    bool started = true;

    GT_CHECK(res != NULL);
    if (res == NULL) {
        return;
    }
    for (i = 0; i < NRESP; i++) {
        if (!responder_start(&r[i], AF_INET, false, T_DELAY)) {
            started = false;
            r[i].running = false;
            r[i].fd = -1;
        }
        a[i] = loopback(AF_INET, r[i].port);
    }
    GT_CHECK(started);
    GT_CHECK(make_transport(&ctx, 2000, 0) == GT_OK);
    result_init(res, &ctx, NQ);
    t0 = now_ms();
    for (i = 0; i < NQ; i++) {
        GT_CHECK(ctx_send(&ctx, &a[i % NRESP], false, on_reply, &res[i]) == GT_OK);
    }
    GT_CHECK(gt_transport_run(ctx.t) == GT_OK);
    wall = now_ms() - t0;
    for (i = 0; i < NQ; i++) {
        ok += res[i].calls == 1 && res[i].status == GT_OK && reply_ancount(&res[i]) == 1;
    }
    for (i = 0; i < NRESP; i++) {
        unsigned n = responder_count(&r[i]);
        seen += n;
        /* Concurrent queries on one channel never share an ID. */
        GT_CHECK_INT(distinct_u16(r[i].ids, n), n);
    }
    printf("# %d queries to %d responders delaying %d ms: %.0f ms wall (serial would be %d "
           "ms)\n",
           NQ, NRESP, T_DELAY_MS, wall, NQ * T_DELAY_MS);
    GT_CHECK_INT(ok, NQ);
    GT_CHECK_INT(seen, NQ);
    GT_CHECK(wall < 1500.0);
    GT_CHECK_INT(ctx.reentry_seen, 0);
    gt_transport_destroy(ctx.t);
    for (i = 0; i < NRESP; i++) {
        responder_stop(&r[i]);
    }
    free(res);
}

/* A callback sends a follow-up query, whose callback sends another (UDP then closed port,
 * whose immediate failure must still be deferred to the run loop). */
static void test_followup(void)
{
    t_responder r;
    t_ctx ctx;
    t_result first;
    gt_addr a;
    unsigned i;

    if (!responder_start(&r, AF_INET, false, T_ECHO)) {
        GT_CHECK(!"responder");
        return;
    }
    GT_CHECK(make_transport(&ctx, 1000, 0) == GT_OK);
    result_init(&first, &ctx, 1);
    a = loopback(AF_INET, r.port);
    ctx.follow_server = a;
    ctx.follow_left = 3;
    GT_CHECK(ctx_send(&ctx, &a, false, on_reply_chain, &first) == GT_OK);
    GT_CHECK(gt_transport_run(ctx.t) == GT_OK);
    GT_CHECK_INT(first.calls, 1);
    GT_CHECK_INT(first.status, GT_OK);
    GT_CHECK_INT(ctx.nfollow, 3);
    for (i = 0; i < ctx.nfollow; i++) {
        GT_CHECK_INT(ctx.follow[i].calls, 1);
        GT_CHECK_INT(ctx.follow[i].status, GT_OK);
    }
    GT_CHECK_INT(responder_count(&r), 4);
    GT_CHECK_INT(ctx.reentry_seen, 0);
    gt_transport_destroy(ctx.t);
    responder_stop(&r);
}

/* Bad arguments fail at send without a callback; destroy with queries outstanding calls
 * nothing back. */
static void test_api_edges(void)
{
    t_responder r;
    t_ctx ctx;
    t_result res[2];
    gt_addr a;
    uint8_t shortq[4] = {0};

    if (!responder_start(&r, AF_INET, false, T_SILENT)) {
        GT_CHECK(!"responder");
        return;
    }
    GT_CHECK(make_transport(&ctx, 5000, 0) == GT_OK);
    result_init(res, &ctx, 2);
    a = loopback(AF_INET, r.port);
    GT_CHECK_INT(gt_transport_send(ctx.t, &a, false, shortq, sizeof(shortq), on_reply, &res[0]),
                 GT_EINVAL);
    GT_CHECK_INT(gt_transport_send(NULL, &a, false, shortq, sizeof(shortq), on_reply, &res[0]),
                 GT_EINVAL);
    GT_CHECK(ctx_send(&ctx, &a, false, on_reply, &res[1]) == GT_OK);
    gt_transport_destroy(ctx.t); /* outstanding query: cancelled, no callback */
    GT_CHECK_INT(res[0].calls, 0);
    GT_CHECK_INT(res[1].calls, 0);
    gt_transport_destroy(NULL);
    GT_CHECK_INT(gt_transport_run(NULL), GT_EINVAL);
    responder_stop(&r);
}

/* c-ares fails synchronously inside ares_send() when it cannot open a socket: with the file
 * descriptor limit at the lowest free descriptor, the result must still come from run(). */
static void test_sync_failure(void)
{
    t_responder r;
    t_ctx ctx;
    t_result res[2];
    gt_addr a;
    struct rlimit old;
    struct rlimit tight;
    int probe;

    if (!responder_start(&r, AF_INET, false, T_ECHO)) {
        GT_CHECK(!"responder");
        return;
    }
    GT_CHECK(make_transport(&ctx, 1000, 0) == GT_OK);
    result_init(res, &ctx, 2);
    a = loopback(AF_INET, r.port);
    /* First query creates the channel (c-ares closes its socket once idle). */
    GT_CHECK(ctx_send(&ctx, &a, false, on_reply, &res[0]) == GT_OK);
    GT_CHECK(gt_transport_run(ctx.t) == GT_OK);
    GT_CHECK_INT(res[0].status, GT_OK);

    GT_CHECK(getrlimit(RLIMIT_NOFILE, &old) == 0);
    probe = dup(0);
    GT_CHECK(probe >= 0);
    if (probe >= 0) {
        close(probe);
        tight = old;
        tight.rlim_cur = (rlim_t)probe; /* every descriptor below is in use: none is free */
        GT_CHECK(setrlimit(RLIMIT_NOFILE, &tight) == 0);
        GT_CHECK(ctx_send(&ctx, &a, false, on_reply, &res[1]) == GT_OK);
        GT_CHECK_INT(res[1].calls, 0); /* not from inside send */
        GT_CHECK(setrlimit(RLIMIT_NOFILE, &old) == 0);
        GT_CHECK(gt_transport_run(ctx.t) == GT_OK);
        printf("# no descriptor for c-ares: %s, delivered by run()\n",
               gt_status_str(res[1].status));
        GT_CHECK_INT(res[1].calls, 1);
        GT_CHECK_INT(res[1].status, GT_ECONNREFUSED);
    }
    GT_CHECK_INT(responder_count(&r), 1);
    GT_CHECK_INT(ctx.reentry_seen, 0);
    gt_transport_destroy(ctx.t);
    responder_stop(&r);
}

/* An address without a route is reported as GT_ENETUNREACH without sending anything. Only
 * run when the kernel really has no route for it (so no packet can leave this host). */
static void test_unreachable(void)
{
    t_ctx ctx;
    t_result res;
    gt_addr a;
    struct sockaddr_in6 sin6;
    int fd = socket(AF_INET6, SOCK_DGRAM, 0);
    bool unroutable = false;

    GT_CHECK(gt_addr_parse("2001:db8::53", &a) == GT_OK);
    memset(&sin6, 0, sizeof(sin6));
    sin6.sin6_family = AF_INET6;
    sin6.sin6_port = htons(a.port);
    memcpy(&sin6.sin6_addr, a.bytes, 16);
    if (fd < 0) {
        unroutable = true;
    } else {
        unroutable = connect(fd, (struct sockaddr *)&sin6, sizeof(sin6)) != 0 &&
                     (errno == ENETUNREACH || errno == EHOSTUNREACH || errno == EADDRNOTAVAIL);
        close(fd);
    }
    if (!unroutable) {
        printf("# 2001:db8::53 is routable here: GT_ENETUNREACH check skipped (no traffic "
               "leaves this host)\n");
        return;
    }
    GT_CHECK(make_transport(&ctx, 200, 0) == GT_OK);
    result_init(&res, &ctx, 1);
    GT_CHECK(ctx_send(&ctx, &a, false, on_reply, &res) == GT_OK);
    GT_CHECK_INT(res.calls, 0);
    GT_CHECK(gt_transport_run(ctx.t) == GT_OK);
    GT_CHECK_INT(res.calls, 1);
    GT_CHECK_INT(res.status, GT_ENETUNREACH);
    gt_transport_destroy(ctx.t);
}

static bool have_ipv6_loopback(void)
{
    uint16_t port;
    int fd = bind_loopback(AF_INET6, SOCK_DGRAM, &port);
    if (fd < 0) {
        return false;
    }
    close(fd);
    return true;
}

static void on_reply_yield(void *arg, const gt_reply *reply)
{
    t_result *res = arg;
    on_reply(arg, reply);
    gt_transport_yield(res->ctx->t);
}

/*
 * yield() and deadline(): run() returns early and keeps what is still out. A query to an
 * answering server whose callback yields ends the run while a query to a silent server
 * (1 s timeout) is out; the next run() finishes that one with its timeout. A deadline 100 ms
 * ahead ends a run with only the silent query out after about 100 ms, without its callback;
 * the next run() delivers the timeout. Without them, each first run() would take the whole
 * second.
 */
static void test_yield_deadline(void)
{
    t_responder echo, silent;
    t_ctx ctx;
    t_result quick, slow;
    if (!responder_start(&echo, AF_INET, false, T_ECHO)) {
        GT_CHECK(!"responder");
        return;
    }
    if (!responder_start(&silent, AF_INET, false, T_SILENT)) {
        GT_CHECK(!"responder");
        responder_stop(&echo);
        return;
    }
    gt_addr ea = loopback(AF_INET, echo.port), sa = loopback(AF_INET, silent.port);
    GT_CHECK(make_transport(&ctx, 1000, 0) == GT_OK);
    result_init(&quick, &ctx, 1);
    result_init(&slow, &ctx, 1);
    double t0 = now_ms();
    GT_CHECK(ctx_send(&ctx, &sa, false, on_reply, &slow) == GT_OK);
    GT_CHECK(ctx_send(&ctx, &ea, false, on_reply_yield, &quick) == GT_OK);
    GT_CHECK(gt_transport_run(ctx.t) == GT_OK);
    double first = now_ms() - t0;
    GT_CHECK_INT(quick.calls, 1);
    GT_CHECK_INT(quick.status, GT_OK);
    GT_CHECK_INT(slow.calls, 0); /* still out */
    GT_CHECK(first < 500.0);
    GT_CHECK(gt_transport_run(ctx.t) == GT_OK);
    GT_CHECK_INT(slow.calls, 1);
    GT_CHECK_INT(slow.status, GT_ETIMEOUT);
    GT_CHECK(now_ms() - t0 >= 900.0);
    printf("# yield: first run %.0f ms, the silent query's timeout after %.0f ms\n", first,
           now_ms() - t0);

    /* a deadline */
    result_init(&slow, &ctx, 1);
    t0 = now_ms();
    GT_CHECK(ctx_send(&ctx, &sa, false, on_reply, &slow) == GT_OK);
    gt_transport_deadline(ctx.t, t0 + 100.0);
    GT_CHECK(gt_transport_run(ctx.t) == GT_OK);
    first = now_ms() - t0;
    GT_CHECK_INT(slow.calls, 0);
    GT_CHECK(first >= 95.0 && first < 500.0);
    GT_CHECK(gt_transport_run(ctx.t) == GT_OK); /* the deadline applied to one run only */
    GT_CHECK_INT(slow.calls, 1);
    GT_CHECK_INT(slow.status, GT_ETIMEOUT);
    GT_CHECK_INT(responder_count(&silent), 2);
    printf("# deadline 100 ms: run returned after %.0f ms, the timeout after %.0f ms\n", first,
           now_ms() - t0);
    gt_transport_destroy(ctx.t);
    responder_stop(&echo);
    responder_stop(&silent);
}

/* The last query @p r received (copied under its lock). */
static size_t last_query(t_responder *r, uint8_t *out)
{
    pthread_mutex_lock(&r->mu);
    size_t n = r->lastlen;
    memcpy(out, r->last, n);
    pthread_mutex_unlock(&r->mu);
    return n;
}

/*
 * Eight UDP queries at once to a closed port: each is refused (the kernel reports each ICMP
 * port unreachable at the next read or write on the socket; c-ares 1.18 alone would fail the
 * query whose write met it and let the one it was for time out: 4 of 8).
 */
static void test_closed_many(void)
{
    t_ctx ctx;
    t_result res[8];
    uint16_t port = 0;
    int fd = bind_loopback(AF_INET, SOCK_DGRAM, &port);

    GT_CHECK(fd >= 0);
    if (fd < 0) {
        return;
    }
    close(fd);
    GT_CHECK(make_transport(&ctx, 500, 0) == GT_OK);
    result_init(res, &ctx, 8);
    gt_addr a = loopback(AF_INET, port);
    double t0 = now_ms();
    for (unsigned i = 0; i < 8; i++) {
        GT_CHECK(ctx_send(&ctx, &a, false, on_reply, &res[i]) == GT_OK);
    }
    GT_CHECK(gt_transport_run(ctx.t) == GT_OK);
    double wall = now_ms() - t0;
    unsigned refused = 0;
    for (unsigned i = 0; i < 8; i++) {
        refused += res[i].calls == 1 && res[i].status == GT_ECONNREFUSED;
    }
    printf("# 8 UDP queries at once to a closed port (c-ares %s): %u refused, wall %.0f ms\n",
           gt_ares_version(), refused, wall);
    GT_CHECK_INT(refused, 8);
    GT_CHECK(wall < 400.0);
    gt_transport_destroy(ctx.t);
}

/* One question asked twice is two datagrams at the server, on every c-ares (1.31+ would
 * answer the second from its query cache without a packet). */
static void test_twice(void)
{
    t_responder r;
    t_ctx ctx;
    t_result res[2];
    gt_addr a;

    if (!responder_start(&r, AF_INET, false, T_ECHO)) {
        GT_CHECK(!"responder");
        return;
    }
    GT_CHECK(make_transport(&ctx, 1000, 0) == GT_OK);
    a = loopback(AF_INET, r.port);
    result_init(res, &ctx, 2);
    for (unsigned i = 0; i < 2; i++) {
        GT_CHECK(ctx_send(&ctx, &a, false, on_reply, &res[i]) == GT_OK);
        GT_CHECK(gt_transport_run(ctx.t) == GT_OK);
    }
    unsigned n = responder_count(&r);
    printf("# one question asked twice (example.com A, c-ares %s): %u datagrams at the server, "
           "replies %s and %s\n",
           gt_ares_version(), n, gt_status_str(res[0].status), gt_status_str(res[1].status));
    GT_CHECK_INT(n, 2);
    GT_CHECK(res[0].status == GT_OK && reply_ancount(&res[0]) == 1);
    GT_CHECK(res[1].status == GT_OK && reply_ancount(&res[1]) == 1);
    gt_transport_destroy(ctx.t);
    responder_stop(&r);
}

/*
 * The query the server receives is the query built, byte for byte, except the fields the
 * library owns: the ID and, over UDP with EDNS, a COOKIE option with an 8-byte client cookie
 * (TCP: none). The reply, carrying the library's ID, is taken (the check uses that ID).
 */
static void test_wire_bytes(bool tcp)
{
    t_responder r;
    t_ctx ctx;
    t_result res[1];
    gt_addr a;
    uint8_t built[T_MSG_MAX], wire[T_MSG_MAX], stripped[T_MSG_MAX];

    if (!responder_start(&r, AF_INET, tcp, T_ECHO)) {
        GT_CHECK(!"responder");
        return;
    }
    GT_CHECK(make_transport(&ctx, 1000, 0) == GT_OK);
    a = loopback(AF_INET, r.port);
    result_init(res, &ctx, 1);
    size_t blen = build_query(built, sizeof(built));
    GT_CHECK(ctx_send(&ctx, &a, tcp, on_reply, &res[0]) == GT_OK);
    GT_CHECK(gt_transport_run(ctx.t) == GT_OK);
    size_t wlen = last_query(&r, wire);
    size_t off = 0, clen = 0;
    (void)find_cookie(wire, wlen, &off, &clen);
    size_t slen = strip_cookie(wire, wlen, stripped, sizeof(stripped));
    bool same = slen == blen && blen > 2 && memcmp(stripped + 2, built + 2, blen - 2) == 0;
    printf("# %s (c-ares %s): built %zu bytes, on the wire %zu: cookie option %zu bytes, the "
           "rest %s the bytes built (ID %04x built, %04x sent, %04x in the reply taken)\n",
           tcp ? "TCP" : "UDP", gt_ares_version(), blen, wlen, clen,
           same ? "equals" : "DIFFERS FROM", T_QUERY_ID, wlen >= 2 ? wire[0] << 8 | wire[1] : 0,
           reply_id(&res[0]));
    GT_CHECK(same);
    GT_CHECK_INT(clen, tcp ? 0 : 8);
    GT_CHECK(res[0].status == GT_OK && reply_ancount(&res[0]) == 1);
    GT_CHECK(wlen >= 2 && reply_id(&res[0]) == (uint16_t)(wire[0] << 8 | wire[1]));
    gt_transport_destroy(ctx.t);
    responder_stop(&r);
}

/* Cookies (RFC 7873), the same on every c-ares: every UDP query carries a fresh client cookie
 * alone, whether or not the server returned a server cookie; a reply with another client
 * cookie is dropped and counted. */
static void cookie_pair(t_mode mode, size_t *c1, size_t *c2, bool *fresh)
{
    t_responder r;
    t_ctx ctx;
    t_result res[2];
    gt_addr a;
    uint8_t first[T_MSG_MAX], second[T_MSG_MAX];
    size_t o1 = 0, o2 = 0;

    *c1 = *c2 = 0;
    *fresh = false;
    if (!responder_start(&r, AF_INET, false, mode)) {
        GT_CHECK(!"responder");
        return;
    }
    GT_CHECK(make_transport(&ctx, 1000, 0) == GT_OK);
    a = loopback(AF_INET, r.port);
    result_init(res, &ctx, 2);
    GT_CHECK(ctx_send(&ctx, &a, false, on_reply, &res[0]) == GT_OK);
    GT_CHECK(gt_transport_run(ctx.t) == GT_OK);
    size_t l1 = last_query(&r, first);
    GT_CHECK(ctx_send(&ctx, &a, false, on_reply, &res[1]) == GT_OK);
    GT_CHECK(gt_transport_run(ctx.t) == GT_OK);
    size_t l2 = last_query(&r, second);
    (void)find_cookie(first, l1, &o1, c1);
    (void)find_cookie(second, l2, &o2, c2);
    *fresh = *c1 == 8 && *c2 == 8 && memcmp(first + o1, second + o2, 8) != 0;
    GT_CHECK(res[0].status == GT_OK && res[1].status == GT_OK);
    gt_transport_destroy(ctx.t);
    responder_stop(&r);
}

static void test_cookies(void)
{
    t_responder r;
    t_ctx ctx;
    t_result res[1];
    gt_addr a;
    size_t c1, c2, d1, d2;
    bool fresh1, fresh2;

    cookie_pair(T_COOKIE, &c1, &c2, &fresh1);
    cookie_pair(T_ECHO, &d1, &d2, &fresh2);
    printf("# cookies (c-ares %s): a server returning a server cookie gets %zu then %zu bytes of "
           "cookie (%s client cookie), one returning none %zu then %zu (%s)\n",
           gt_ares_version(), c1, c2, fresh1 ? "a fresh" : "NOT a fresh", d1, d2,
           fresh2 ? "a fresh" : "NOT a fresh");
    GT_CHECK(c1 == 8 && c2 == 8 && fresh1);
    GT_CHECK(d1 == 8 && d2 == 8 && fresh2);

    if (!responder_start(&r, AF_INET, false, T_BADCOOKIE)) {
        GT_CHECK(!"responder");
        return;
    }
    GT_CHECK(make_transport(&ctx, 300, 0) == GT_OK);
    a = loopback(AF_INET, r.port);
    result_init(res, &ctx, 1);
    GT_CHECK(ctx_send(&ctx, &a, false, on_reply, &res[0]) == GT_OK);
    GT_CHECK(gt_transport_run(ctx.t) == GT_OK);
    const gt_wire_count *w = NULL;
    size_t nw = 0;
    gt_transport_wire(ctx.t, &w, &nw);
    GT_CHECK(res[0].status == GT_ETIMEOUT);
    GT_CHECK(nw == 1 && w[0].bad_cookie == 1 && w[0].replies == 0);
    gt_transport_destroy(ctx.t);
    responder_stop(&r);
}

int main(void)
{
    /* Bound the whole program in time. */
    alarm(T_ALARM_S);
    /* If c-ares took anything from the resolver environment, these would change the number
     * of tries (and timeouts) that test_silent() counts exactly. */
    setenv("RES_OPTIONS", "attempts:5 timeout:9 ndots:7 rotate", 1);
    setenv("LOCALDOMAIN", "invalid", 1);

    test_ids(AF_INET);
    test_twice();
    test_wire_bytes(false);
    test_wire_bytes(true);
    test_cookies();
    test_refused_tc();
    test_tcp(AF_INET);
    test_silent(0, 1000.0);
    test_silent(1, 1500.0);
    test_closed();
    test_closed_many();
    test_concurrency();
    test_followup();
    test_yield_deadline();
    test_api_edges();
    test_sync_failure();
    test_unreachable();
    if (have_ipv6_loopback()) {
        test_ids(AF_INET6);
        test_tcp(AF_INET6);
    } else {
        printf("# ::1 is not configured here: IPv6 part skipped\n");
    }
    return gt_test_done();
}
