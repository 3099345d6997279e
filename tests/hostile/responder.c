/*
 * A hostile DNS responder for tests/hostile/run.sh: listens on UDP and TCP port 53 of each
 * address given and answers every question according to that address's mode, with shapes
 * real servers will not send. Runs inside the test's own network namespace only.
 *
 * Usage: responder [-L LOGFILE] ADDR=MODE...
 *   Every query received is logged to LOGFILE as "ADDR proto srcport id qname".
 *
 * Modes (what the server at ADDR does with any question Q):
 *   wrongid   reply with the ID changed (a blind spoof): must be dropped
 *   spoofed   a reply with a wrong ID and another answer first, then the real reply
 *   wrongq    reply with the right ID to another question
 *   ptrloop   reply whose answer owner is a compression pointer to itself
 *   fwdptr    reply whose answer owner points forwards
 *   rdlen     answer with RDLENGTH past the end of the message
 *   tc        TC=1 over UDP, and TC=1 with no records over TCP too
 *   endless   TC=1 over UDP; over TCP announce 65535 bytes and drip one byte every 50 ms
 *   flood     TC=1 over UDP; over TCP an endless stream of 65535-byte garbage messages
 *   bigref    referral of Q's second-level zone to 500 NS names with 500 glue records
 *             (TC=1 over UDP, the whole referral over TCP), every glue address silent
 *   fanout    kN.test delegated to n0..n15.k(N+1).test, never with glue (a root)
 *   ring      a.test -> ns.b.test, b.test -> ns.c.test, c.test -> ns.a.test, no glue
 *   names     AA answer for Q: A records with TTL 4294967295 and 0, a TXT with control
 *             bytes, quotes and backslashes, and a CNAME to a name full of them
 *   answer    a plain AA answer 192.0.2.1 (for spoofing and port tests)
 *   mixed     over UDP, a reply with a wrong ID, then one to another question, then the
 *             real AA answer 192.0.2.1 (both bad ones must be counted, the last one used)
 *   tcpshort  TC=1 over UDP; over TCP a length prefix of 300 bytes, 40 bytes, then close
 *   tcpclose  over TCP answer the first query of a connection (AA 192.0.2.1) and close it at
 *             once, whatever else was sent on it; over UDP TC=1
 *   intercept every query answered NXDOMAIN with RA=1 and AA=0 (a DNS-intercepting middlebox)
 *   rrl       authoritative NXDOMAIN for every name, rate-limited like RRL: above RRL_LIMIT
 *             UDP replies a second, every other reply is dropped and the others are "slips"
 *             (TC=1, no records); each is logged as "rrl slip" / "rrl drop" on stdout
 */
#define _GNU_SOURCE /* accept4, SOCK_NONBLOCK */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "gluetrace/base/addr.h"
#include "gluetrace/wire/rdata.h"
#include "gluetrace/wire/wire.h"

#define MAX_LISTEN 48
#define MAX_CONN 64
#define DRIP_MS 50
/** UDP replies a second an rrl server sends before it limits. */
#define RRL_LIMIT 50

#define F_QR 0x8000
#define F_AA 0x0400
#define F_TC 0x0200
#define F_RD 0x0100
#define F_RA 0x0080

typedef enum {
    M_WRONGID,
    M_SPOOFED,
    M_WRONGQ,
    M_PTRLOOP,
    M_FWDPTR,
    M_RDLEN,
    M_TC,
    M_ENDLESS,
    M_FLOOD,
    M_BIGREF,
    M_FANOUT,
    M_RING,
    M_NAMES,
    M_ANSWER,
    M_MIXED,
    M_TCPSHORT,
    M_TCPCLOSE,
    M_INTERCEPT,
    M_RRL,
} mode;

static const char *const mode_names[] = {"wrongid",  "spoofed",  "wrongq",    "ptrloop", "fwdptr",
                                         "rdlen",    "tc",       "endless",   "flood",   "bigref",
                                         "fanout",   "ring",     "names",     "answer",  "mixed",
                                         "tcpshort", "tcpclose", "intercept", "rrl"};

typedef struct listener {
    long long rrl_second;      /* rrl: the current one-second window (ms clock / 1000) */
    unsigned long rrl_limited; /* rrl: replies slipped or dropped so far */
    mode m;
    int udp, tcp;
    unsigned rrl_sent; /* rrl: replies sent in it */
    char addr[GT_ADDR_STRLEN];
} listener;

typedef struct conn {
    listener *l;
    size_t inlen;
    long long next_ms;
    int fd;
    int streaming; /* 0 none, 1 drip, 2 flood */
    uint8_t in[2 + 512];
} conn;

static listener ls[MAX_LISTEN];
static size_t nls;
static conn cs[MAX_CONN];
static FILE *qlog;
static volatile sig_atomic_t stop;

static void on_term(int sig)
{
    (void)sig;
    stop = 1;
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void die(const char *what)
{
    fprintf(stderr, "responder: %s: %s\n", what, strerror(errno));
    exit(1);
}

/* ---- building replies ----------------------------------------------------------------- */

typedef struct rb {
    gt_wbuf w;
    uint16_t counts[3];
} rb;

/* Header with the query's ID and @p flags, then the question copied from the query. */
static void rb_begin(rb *b, uint8_t *buf, size_t cap, const uint8_t *q, size_t qend, uint16_t flags)
{
    memset(b->counts, 0, sizeof(b->counts));
    gt_wbuf_init(&b->w, buf, cap);
    gt_wbuf_bytes(&b->w, q, 2);
    gt_wbuf_u16(&b->w, flags);
    gt_wbuf_u16(&b->w, 1);
    gt_wbuf_u16(&b->w, 0);
    gt_wbuf_u16(&b->w, 0);
    gt_wbuf_u16(&b->w, 0);
    gt_wbuf_bytes(&b->w, q + 12, qend - 12);
}

static void rb_raw(rb *b, gt_section sec, const gt_name *owner, uint16_t type, uint32_t ttl,
                   const uint8_t *rd, size_t rdlen)
{
    gt_wbuf_name(&b->w, owner);
    gt_wbuf_u16(&b->w, type);
    gt_wbuf_u16(&b->w, GT_CLASS_IN);
    gt_wbuf_u32(&b->w, ttl);
    gt_wbuf_u16(&b->w, (uint16_t)rdlen);
    gt_wbuf_bytes(&b->w, rd, rdlen);
    b->counts[sec]++;
}

static void rb_rr(rb *b, gt_section sec, const char *owner, const char *type, uint32_t ttl,
                  const char *rdata)
{
    gt_name n;
    uint16_t t;
    uint8_t rd[512];
    size_t rdlen;
    if (gt_name_from_str(&n, owner) != GT_OK || gt_type_from_str(type, &t) != GT_OK ||
        gt_rdata_from_str(t, rdata, rd, sizeof(rd), &rdlen) != GT_OK) {
        fprintf(stderr, "responder: bad record %s %s %s\n", owner, type, rdata);
        exit(1);
    }
    rb_raw(b, sec, &n, t, ttl, rd, rdlen);
}

static size_t rb_end(rb *b)
{
    for (int s = 0; s < 3; s++) {
        gt_wbuf_put_u16_at(&b->w, 6 + 2 * (size_t)s, b->counts[s]);
    }
    return b->w.err == GT_OK ? b->w.len : 0;
}

/* The label before "test." of @p q ("k3" for "www.k3.test."), or "" when there is none. */
static void zone_label(const gt_name *q, char *out, size_t size)
{
    const uint8_t *labels[128];
    size_t n = 0;
    for (size_t i = 0; i < q->len && q->data[i] != 0 && n < 128; i += q->data[i] + 1u) {
        labels[n++] = q->data + i;
    }
    out[0] = '\0';
    if (n >= 2 && labels[n - 2][0] < size) {
        memcpy(out, labels[n - 2] + 1, labels[n - 2][0]);
        out[labels[n - 2][0]] = '\0';
    }
}

#define HOSTILE_TARGET "\\027[2J\\\"q\\\\\\000\\255.names.test."

/*
 * Build the reply of @p l to query @p q (@p qlen bytes). @return its length, 0 for no reply.
 * @p stream is set to 1 (drip) or 2 (flood) when a TCP connection should turn into a stream.
 */
static size_t answer(const listener *l, const uint8_t *q, size_t qlen, bool tcp, uint8_t *out,
                     size_t cap, int *stream)
{
    gt_cursor c;
    gt_name qname;
    rb b;
    char zl[64], zone[80], ns[128], a[64];
    gt_cursor_init(&c, q, qlen);
    gt_cursor_skip(&c, 12);
    gt_cursor_name(&c, &qname);
    gt_cursor_skip(&c, 4);
    if (c.err != GT_OK || qlen < 12) {
        return 0;
    }
    size_t qend = c.pos;
    *stream = 0;
    switch (l->m) {
    case M_WRONGID:
    case M_ANSWER:
    case M_SPOOFED:
    case M_MIXED:
        rb_begin(&b, out, cap, q, qend, F_QR | F_AA);
        rb_raw(&b, GT_SEC_ANSWER, &qname, GT_TYPE_A, 60, (const uint8_t *)"\xc0\x00\x02\x01", 4);
        if (l->m == M_WRONGID) {
            out[1] ^= 0x5a;
        }
        return rb_end(&b);
    case M_WRONGQ:
        rb_begin(&b, out, cap, q, qend, F_QR | F_AA);
        out[13] ^= 0x20; /* first letter of the name: flips case... */
        out[14] = (uint8_t)(out[14] == 'z' ? 'y' : 'z'); /* ...and a different second letter */
        rb_raw(&b, GT_SEC_ANSWER, &qname, GT_TYPE_A, 60, (const uint8_t *)"\xc0\x00\x02\x01", 4);
        return rb_end(&b);
    case M_PTRLOOP:
    case M_FWDPTR:
    case M_RDLEN: {
        rb_begin(&b, out, cap, q, qend, F_QR | F_AA);
        size_t at = b.w.len;
        if (l->m == M_PTRLOOP) {
            gt_wbuf_u16(&b.w, (uint16_t)(0xC000 | at));
        } else if (l->m == M_FWDPTR) {
            gt_wbuf_u16(&b.w, (uint16_t)(0xC000 | (at + 12)));
        } else {
            gt_wbuf_u16(&b.w, 0xC00C);
        }
        gt_wbuf_u16(&b.w, GT_TYPE_A);
        gt_wbuf_u16(&b.w, GT_CLASS_IN);
        gt_wbuf_u32(&b.w, 60);
        gt_wbuf_u16(&b.w, l->m == M_RDLEN ? 0xFF00 : 4);
        gt_wbuf_u32(&b.w, 0xC0000201);
        b.counts[GT_SEC_ANSWER] = 1;
        return rb_end(&b);
    }
    case M_INTERCEPT:
        rb_begin(&b, out, cap, q, qend,
                 (uint16_t)(F_QR | F_RA | (q[2] & 0x01 ? F_RD : 0) | GT_RCODE_NXDOMAIN));
        return rb_end(&b);
    case M_TCPCLOSE:
        if (tcp) {
            rb_begin(&b, out, cap, q, qend, F_QR | F_AA);
            rb_raw(&b, GT_SEC_ANSWER, &qname, GT_TYPE_A, 60, (const uint8_t *)"\xc0\x00\x02\x01",
                   4);
            return rb_end(&b);
        }
        rb_begin(&b, out, cap, q, qend, F_QR | F_TC);
        return rb_end(&b);
    case M_TCPSHORT:
    case M_TC:
    case M_ENDLESS:
    case M_FLOOD:
        if (tcp && l->m == M_TCPSHORT) {
            *stream = 3;
            return 0;
        }
        if (tcp && l->m != M_TC) {
            *stream = l->m == M_ENDLESS ? 1 : 2;
            return 0;
        }
        rb_begin(&b, out, cap, q, qend, F_QR | F_TC);
        return rb_end(&b);
    case M_BIGREF:
        zone_label(&qname, zl, sizeof(zl));
        if (!tcp) {
            rb_begin(&b, out, cap, q, qend, F_QR | F_TC);
            return rb_end(&b);
        }
        snprintf(zone, sizeof(zone), "%s.test.", zl[0] ? zl : "big");
        rb_begin(&b, out, cap, q, qend, F_QR);
        for (int i = 0; i < 500; i++) {
            snprintf(ns, sizeof(ns), "ns%d.%s", i, zone);
            rb_rr(&b, GT_SEC_AUTHORITY, zone, "NS", 3600, ns);
        }
        for (int i = 0; i < 500; i++) {
            snprintf(ns, sizeof(ns), "ns%d.%s", i, zone);
            snprintf(a, sizeof(a), "127.67.%d.%d", i / 250, i % 250 + 1);
            rb_rr(&b, GT_SEC_ADDITIONAL, ns, "A", 3600, a);
        }
        return rb_end(&b);
    case M_FANOUT: {
        zone_label(&qname, zl, sizeof(zl));
        unsigned long k = zl[0] == 'k' ? strtoul(zl + 1, NULL, 10) : 0;
        snprintf(zone, sizeof(zone), "k%lu.test.", k);
        rb_begin(&b, out, cap, q, qend, F_QR);
        for (int i = 0; i < 16; i++) {
            snprintf(ns, sizeof(ns), "n%d.k%lu.test.", i, k + 1);
            rb_rr(&b, GT_SEC_AUTHORITY, zone, "NS", 3600, ns);
        }
        return rb_end(&b);
    }
    case M_RRL:
        rb_begin(&b, out, cap, q, qend, F_QR | F_AA | GT_RCODE_NXDOMAIN);
        return rb_end(&b);
    case M_RING:
        zone_label(&qname, zl, sizeof(zl));
        if (strlen(zl) != 1 || zl[0] < 'a' || zl[0] > 'c') {
            rb_begin(&b, out, cap, q, qend, F_QR | F_AA | GT_RCODE_NXDOMAIN);
            return rb_end(&b);
        }
        snprintf(zone, sizeof(zone), "%s.test.", zl);
        snprintf(ns, sizeof(ns), "ns.%c.test.", zl[0] == 'c' ? 'a' : zl[0] + 1);
        rb_begin(&b, out, cap, q, qend, F_QR);
        rb_rr(&b, GT_SEC_AUTHORITY, zone, "NS", 3600, ns);
        return rb_end(&b);
    case M_NAMES: {
        static const uint8_t txt[] = {9,    0x1b, '[', '3', '1',  'm',  '"',
                                      '\\', '\n', 'x', 3,   0x07, 0x7f, 0xff};
        gt_name target;
        gt_name_from_str(&target, HOSTILE_TARGET);
        rb_begin(&b, out, cap, q, qend, F_QR | F_AA);
        if (gt_name_eq(&qname, &target)) {
            rb_raw(&b, GT_SEC_ANSWER, &qname, GT_TYPE_A, 0xFFFFFFFFu,
                   (const uint8_t *)"\xc0\x00\x02\x07", 4);
            rb_raw(&b, GT_SEC_ANSWER, &qname, GT_TYPE_A, 0, (const uint8_t *)"\xc0\x00\x02\x08", 4);
            rb_raw(&b, GT_SEC_ANSWER, &qname, GT_TYPE_TXT, 0, txt, sizeof(txt));
        } else {
            rb_rr(&b, GT_SEC_ANSWER, "names.test.", "TXT", 0, "\"\\027]0;pwned\\007\"");
            uint8_t rd[GT_NAME_MAX];
            memcpy(rd, target.data, target.len);
            rb_raw(&b, GT_SEC_ANSWER, &qname, GT_TYPE_CNAME, 0x80000000u, rd, target.len);
        }
        return rb_end(&b);
    }
    }
    return 0;
}

/* ---- sockets -------------------------------------------------------------------------- */

static int open_sock(const gt_addr *a, int type)
{
    struct sockaddr_storage ss;
    socklen_t sl;
    memset(&ss, 0, sizeof(ss));
    if (a->family == AF_INET) {
        struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
        s4->sin_family = AF_INET;
        s4->sin_port = htons(53);
        memcpy(&s4->sin_addr, a->bytes, 4);
        sl = sizeof(*s4);
    } else {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons(53);
        memcpy(&s6->sin6_addr, a->bytes, 16);
        sl = sizeof(*s6);
    }
    int fd = socket(a->family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
        bind(fd, (struct sockaddr *)&ss, sl) != 0 || (type == SOCK_STREAM && listen(fd, 16) != 0)) {
        die("socket/bind");
    }
    return fd;
}

static void log_query(const listener *l, const char *proto, const struct sockaddr_storage *from,
                      const uint8_t *q, size_t qlen)
{
    if (qlog == NULL || qlen < 12) {
        return;
    }
    unsigned port = from->ss_family == AF_INET
                        ? ntohs(((const struct sockaddr_in *)from)->sin_port)
                        : ntohs(((const struct sockaddr_in6 *)from)->sin6_port);
    gt_cursor c;
    gt_name n;
    char text[GT_NAME_STRLEN] = "?";
    gt_cursor_init(&c, q, qlen);
    gt_cursor_skip(&c, 12);
    gt_cursor_name(&c, &n);
    if (c.err == GT_OK) {
        gt_name_to_str(&n, text, sizeof(text));
    }
    fprintf(qlog, "%s %s %u %u %s\n", l->addr, proto, port, (unsigned)(q[0] << 8 | q[1]), text);
    fflush(qlog);
}

/* RRL on a reply of @p l: within RRL_LIMIT a second it goes out; above, every other one is
 * dropped (@return true) and the others become slips (TC=1, counts zeroed, question kept). */
static bool rrl_limit(listener *l, uint8_t *out)
{
    long long second = now_ms() / 1000;
    if (second != l->rrl_second) {
        l->rrl_second = second;
        l->rrl_sent = 0;
    }
    if (l->rrl_sent < RRL_LIMIT) {
        l->rrl_sent++;
        return false;
    }
    bool drop = l->rrl_limited++ % 2 == 0;
    printf("rrl %s\n", drop ? "drop" : "slip");
    fflush(stdout);
    if (drop) {
        return true;
    }
    out[2] = (uint8_t)((out[2] | (F_TC >> 8)) & ~(F_AA >> 8));
    out[3] = 0;
    memset(out + 6, 0, 6); /* answer, authority, additional: none (question only) */
    return false;
}

static void serve_udp(listener *l)
{
    uint8_t q[4096], out[GT_MSG_MAX];
    struct sockaddr_storage from;
    socklen_t fl = sizeof(from);
    memset(&from, 0, sizeof(from));
    ssize_t n = recvfrom(l->udp, q, sizeof(q), 0, (struct sockaddr *)&from, &fl);
    if (n < 12) {
        return;
    }
    log_query(l, "udp", &from, q, (size_t)n);
    int stream;
    if (l->m == M_SPOOFED) {
        /* First a forged reply (wrong ID, other address), then the real one. */
        listener forged = *l;
        forged.m = M_WRONGID;
        size_t len = answer(&forged, q, (size_t)n, false, out, sizeof(out), &stream);
        out[len - 1] = 66;
        sendto(l->udp, out, len, 0, (struct sockaddr *)&from, fl);
    }
    if (l->m == M_MIXED) {
        /* A reply with a wrong ID, then one to another question (right ID), then the real
         * one below. */
        listener bad = *l;
        bad.m = M_WRONGID;
        size_t len = answer(&bad, q, (size_t)n, false, out, sizeof(out), &stream);
        sendto(l->udp, out, len, 0, (struct sockaddr *)&from, fl);
        bad.m = M_WRONGQ;
        len = answer(&bad, q, (size_t)n, false, out, sizeof(out), &stream);
        sendto(l->udp, out, len, 0, (struct sockaddr *)&from, fl);
    }
    size_t len = answer(l, q, (size_t)n, false, out, sizeof(out), &stream);
    if (l->m == M_RRL && len > 0 && rrl_limit(l, out)) {
        return; /* dropped */
    }
    if (len > 0) {
        sendto(l->udp, out, len, 0, (struct sockaddr *)&from, fl);
    }
}

static void conn_close(conn *c)
{
    close(c->fd);
    c->fd = -1;
}

static void write_all(conn *c, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL);
        if (w <= 0) {
            if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
                struct pollfd pf = {c->fd, POLLOUT, 0};
                poll(&pf, 1, 100);
                continue;
            }
            conn_close(c);
            return;
        }
        p += w;
        n -= (size_t)w;
    }
}

static void serve_conn(conn *c)
{
    ssize_t n = recv(c->fd, c->in + c->inlen, sizeof(c->in) - c->inlen, 0);
    if (n <= 0) {
        conn_close(c);
        return;
    }
    c->inlen += (size_t)n;
    while (c->fd >= 0 && c->inlen >= 2) {
        size_t mlen = (size_t)(c->in[0] << 8 | c->in[1]);
        if (mlen > sizeof(c->in) - 2) {
            conn_close(c);
            return;
        }
        if (c->inlen < 2 + mlen) {
            return;
        }
        struct sockaddr_storage from;
        socklen_t fl = sizeof(from);
        memset(&from, 0, sizeof(from));
        if (getpeername(c->fd, (struct sockaddr *)&from, &fl) == 0) {
            log_query(c->l, "tcp", &from, c->in + 2, mlen);
        }
        static uint8_t out[2 + GT_MSG_MAX];
        int stream = 0;
        size_t len = answer(c->l, c->in + 2, mlen, true, out + 2, GT_MSG_MAX, &stream);
        memmove(c->in, c->in + 2 + mlen, c->inlen - 2 - mlen);
        c->inlen -= 2 + mlen;
        if (stream == 3) {
            /* Promise 300 bytes, send 40 (a header and some of a question), close. */
            static const uint8_t part[2 + 40] = {0x01, 0x2c, 0x12, 0x34, 0x84, 0x00, 0, 1};
            write_all(c, part, sizeof(part));
            if (c->fd >= 0) {
                conn_close(c);
            }
            return;
        }
        if (stream != 0) {
            c->streaming = stream;
            c->next_ms = now_ms();
            if (stream == 1) {
                static const uint8_t announce[] = {0xff, 0xff};
                write_all(c, announce, sizeof(announce));
            }
            return;
        }
        if (len > 0) {
            out[0] = (uint8_t)(len >> 8);
            out[1] = (uint8_t)(len & 0xff);
            write_all(c, out, len + 2);
        }
        if (c->l->m == M_TCPCLOSE && c->fd >= 0) {
            conn_close(c); /* whatever else came on this connection stays unanswered */
            return;
        }
    }
}

/* One step of an endless stream: a byte every DRIP_MS, or a whole garbage message. */
static void stream_step(conn *c)
{
    if (c->streaming == 1) {
        if (now_ms() >= c->next_ms) {
            static const uint8_t b = 0x41;
            write_all(c, &b, 1);
            c->next_ms = now_ms() + DRIP_MS;
        }
        return;
    }
    static uint8_t garbage[2 + 65535];
    garbage[0] = 0xff;
    garbage[1] = 0xff;
    for (size_t i = 2; i < sizeof(garbage); i++) {
        garbage[i] = (uint8_t)(i * 131u);
    }
    ssize_t w = send(c->fd, garbage, sizeof(garbage), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (w < 0 && errno != EAGAIN && errno != EINTR) {
        conn_close(c);
    }
}

int main(int argc, char **argv)
{
    int i = 1;
    signal(SIGPIPE, SIG_IGN);
    signal(SIGTERM, on_term);
    signal(SIGINT, on_term);
    if (i + 1 < argc && strcmp(argv[i], "-L") == 0) {
        qlog = fopen(argv[i + 1], "a");
        if (qlog == NULL) {
            die(argv[i + 1]);
        }
        i += 2;
    }
    for (; i < argc && nls < MAX_LISTEN; i++) {
        char *eq = strchr(argv[i], '=');
        gt_addr a;
        listener *l = &ls[nls];
        if (eq == NULL || (size_t)(eq - argv[i]) >= sizeof(l->addr)) {
            fprintf(stderr, "responder: bad argument %s\n", argv[i]);
            return 2;
        }
        memcpy(l->addr, argv[i], (size_t)(eq - argv[i]));
        l->addr[eq - argv[i]] = '\0';
        size_t m;
        for (m = 0; m < sizeof(mode_names) / sizeof(mode_names[0]); m++) {
            if (strcmp(eq + 1, mode_names[m]) == 0) {
                break;
            }
        }
        if (gt_addr_parse(l->addr, &a) != GT_OK ||
            m == sizeof(mode_names) / sizeof(mode_names[0])) {
            fprintf(stderr, "responder: bad address or mode in %s\n", argv[i]);
            return 2;
        }
        l->m = (mode)m;
        l->udp = open_sock(&a, SOCK_DGRAM);
        l->tcp = open_sock(&a, SOCK_STREAM);
        nls++;
    }
    if (nls == 0) {
        fprintf(stderr, "usage: responder [-L LOGFILE] ADDR=MODE...\n");
        return 2;
    }
    for (size_t k = 0; k < MAX_CONN; k++) {
        cs[k].fd = -1;
    }
    printf("ready\n");
    fflush(stdout);
    while (!stop) {
        struct pollfd pf[2 * MAX_LISTEN + MAX_CONN];
        size_t np = 0;
        int wait = 1000;
        for (size_t k = 0; k < nls; k++) {
            pf[np++] = (struct pollfd){ls[k].udp, POLLIN, 0};
            pf[np++] = (struct pollfd){ls[k].tcp, POLLIN, 0};
        }
        for (size_t k = 0; k < MAX_CONN; k++) {
            if (cs[k].fd >= 0) {
                short ev = POLLIN;
                if (cs[k].streaming == 2) {
                    ev |= POLLOUT;
                } else if (cs[k].streaming == 1) {
                    wait = DRIP_MS;
                }
                pf[np++] = (struct pollfd){cs[k].fd, ev, 0};
            }
        }
        if (poll(pf, np, wait) < 0 && errno != EINTR) {
            die("poll");
        }
        for (size_t k = 0; k < nls; k++) {
            if (pf[2 * k].revents & POLLIN) {
                serve_udp(&ls[k]);
            }
            if (pf[2 * k + 1].revents & POLLIN) {
                int fd = accept4(ls[k].tcp, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
                size_t slot;
                for (slot = 0; fd >= 0 && slot < MAX_CONN && cs[slot].fd >= 0; slot++) {
                }
                if (fd >= 0 && slot == MAX_CONN) {
                    close(fd);
                } else if (fd >= 0) {
                    memset(&cs[slot], 0, sizeof(cs[slot]));
                    cs[slot].fd = fd;
                    cs[slot].l = &ls[k];
                }
            }
        }
        for (size_t k = 2 * nls; k < np; k++) {
            for (size_t s = 0; s < MAX_CONN; s++) {
                if (cs[s].fd != pf[k].fd) {
                    continue;
                }
                if (pf[k].revents & (POLLIN | POLLHUP | POLLERR)) {
                    serve_conn(&cs[s]);
                }
                if (cs[s].fd >= 0 && cs[s].streaming != 0) {
                    stream_step(&cs[s]);
                }
            }
        }
    }
    for (size_t k = 0; k < MAX_CONN; k++) {
        if (cs[k].fd >= 0) {
            close(cs[k].fd);
        }
    }
    if (qlog != NULL) {
        fclose(qlog);
    }
    return 0;
}
