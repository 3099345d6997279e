/*
 * Our socket functions for c-ares: every socket c-ares opens, every datagram and every TCP
 * read and write passes through here. This is where gluetrace learns what really went out
 * and what really came back, on every c-ares version (cares.c says which functions a version
 * takes):
 *
 * - Writes: the bytes c-ares wrote are read back and kept with their query (q->wire), with
 *   the query ID and the cookie the library put there; the reply checks use those. c-ares
 *   1.34 writes our query anew with an ID of its own; 1.18 writes it as it is.
 * - UDP reads: every datagram is judged here, once, the way gluetrace wants it judged: from
 *   another address than the server, shorter than a header, with an ID that matches none of
 *   the queries out on that c-ares channel, with a right ID but another question, or with a
 *   cookie that does not start with the query's client cookie (RFC 7873 section 5.3), it is
 *   counted per server and never reaches c-ares. A reply to a try that already timed out is
 *   counted as late. A datagram that answers a query is kept, byte for byte, as that query's
 *   reply, and c-ares is handed a stand-in instead: the query's header and question with QR set,
 *   RCODE SERVFAIL and, when the query had a cookie, a client and server cookie (the
 *   server's if it sent a valid one, else the client cookie and zeros; see cookie.c). So c-ares
 * ends the query and nothing else: it cannot cache it, learn a latency from it (1.34 counts only
 * NOERROR and NXDOMAIN), retry it without EDNS (both versions do after a FORMERR), resend it for a
 * cookie, or drop it because its own parser dislikes it (1.34): what the server sent is judged by
 * our parser, as on 1.18.
 * - TCP reads likewise: the stream is followed through its length prefixes; each message that
 *   answers a query is kept as its reply and c-ares reads a stand-in in its place; an end of
 *   stream inside a message (with its byte counts), a clean close between messages, a reset
 *   and a refusal are told apart, and reach c-ares after the stand-ins before them;
 *   transport.c turns them into statuses.
 * - Writes use send() with MSG_NOSIGNAL: a server that closed its end makes EPIPE, a
 *   server event, never a SIGPIPE that kills the process.
 * c-ares 1.18 leaves user-managed sockets alone (no non-blocking mode, no close-on-exec, no
 * TCP_NODELAY, and no bind to the ares_set_local_ip4/6 address), so we do those here: -S
 * binds every socket of its family to the source address (port 0: the kernel picks a random
 * ephemeral port).
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "gluetrace/wire/cursor.h"
#include "gluetrace/wire/name.h"
#include "gluetrace/wire/wire.h"
#include "internal.h"

/** Initial size of the descriptor table (grows to the largest descriptor seen). */
#define GT_SOCKS_INIT 64
/** Largest stand-in reply: header, a question, an OPT RR with a 40-byte cookie. */
#define GT_STANDIN_MAX (12 + 255 + 4 + 11 + 4 + 40)
/** Largest write c-ares makes at once that is read back (a TCP length and message). */
#define GT_WBUF_MAX (2 + GT_MSG_MAX)
/** RCODE of the stand-in reply c-ares is given: SERVFAIL (not cached, no latency learnt). */
#define GT_STANDIN_RCODE 2

/** Our record of descriptor @p fd, or NULL when it is not one of ours. */
static gt_sock *sock_get(gt_ares_transport *t, ares_socket_t fd)
{
    if (fd < 0 || (size_t)fd >= t->capsocks || t->socks[fd].ach == NULL) {
        return NULL;
    }
    return &t->socks[fd];
}

/** Make room in the descriptor table for @p fd. */
static bool socks_reserve(gt_ares_transport *t, int fd)
{
    size_t need = (size_t)fd + 1;
    if (need <= t->capsocks) {
        return true;
    }
    size_t ncap = t->capsocks ? t->capsocks : GT_SOCKS_INIT;
    while (ncap < need) {
        ncap *= 2;
    }
    gt_sock *n = realloc(t->socks, ncap * sizeof(*n));
    if (n == NULL) {
        return false;
    }
    memset(n + t->capsocks, 0, (ncap - t->capsocks) * sizeof(*n));
    t->socks = n;
    t->capsocks = ncap;
    return true;
}

/** Forget socket @p s (its buffers too). */
static void sock_clear(gt_sock *s)
{
    free(s->msg);
    free(s->wmsg);
    free(s->obuf);
    memset(s, 0, sizeof(*s));
}

void gt_socks_free(gt_ares_transport *t)
{
    for (size_t i = 0; i < t->capsocks; i++) {
        sock_clear(&t->socks[i]);
    }
    free(t->rbuf);
    t->rbuf = NULL;
    free(t->wbuf);
    t->wbuf = NULL;
    free(t->socks);
    t->socks = NULL;
    t->capsocks = 0;
}

/** Note how a socket or connection of @p c ended, from @p err (an errno value). */
static void note_errno(gt_chan *c, const gt_sock *s, int err)
{
    switch (err) {
    case ECONNREFUSED:
        c->ev = GT_EV_REFUSED;
        break;
    case ENETUNREACH:
    case EHOSTUNREACH:
    case EADDRNOTAVAIL:
    case EAFNOSUPPORT:
        c->ev = GT_EV_NOROUTE;
        break;
    case ECONNRESET:
    case EPIPE:
        if (c->ev != GT_EV_RESET) {
            c->wire.resets++;
        }
        c->ev = GT_EV_RESET;
        c->ev_done = s != NULL ? s->done : 0;
        break;
    default:
        break;
    }
}

/* -S: bind @p fd to the source address of its family, when one was given. */
static int bind_source(const gt_ares_transport *t, int fd, int domain)
{
    const gt_addr *src = domain == AF_INET ? &t->opts.source4 : &t->opts.source6;
    if (src->family != domain) {
        return 0;
    }
    if (domain == AF_INET) {
        struct sockaddr_in sin;
        memset(&sin, 0, sizeof(sin));
        sin.sin_family = AF_INET;
        memcpy(&sin.sin_addr, src->bytes, 4);
        return bind(fd, (const struct sockaddr *)&sin, sizeof(sin));
    }
    struct sockaddr_in6 sin6;
    memset(&sin6, 0, sizeof(sin6));
    sin6.sin6_family = AF_INET6;
    memcpy(&sin6.sin6_addr, src->bytes, 16);
    return bind(fd, (const struct sockaddr *)&sin6, sizeof(sin6));
}

ares_socket_t gt_sock_open(int domain, int type, int protocol, void *user_data)
{
    gt_ach *ach = user_data;
    gt_chan *c = ach->chan;
    int fd = socket(domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
    if (fd < 0) {
        int err = errno;
        note_errno(c, NULL, err);
        errno = err;
        return ARES_SOCKET_BAD;
    }
    if (type == SOCK_STREAM) {
        int one = 1;
        (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    }
    if (bind_source(c->t, fd, domain) != 0) {
        int err = errno;
        close(fd);
        note_errno(c, NULL, err);
        errno = err;
        return ARES_SOCKET_BAD;
    }
    if (!socks_reserve(c->t, fd)) {
        close(fd);
        errno = ENOMEM;
        return ARES_SOCKET_BAD;
    }
    gt_sock *s = &c->t->socks[fd];
    sock_clear(s);
    if (type == SOCK_STREAM) {
        s->msg = malloc(GT_MSG_MAX);
        s->wmsg = malloc(GT_MSG_MAX);
        if (s->msg == NULL || s->wmsg == NULL) {
            sock_clear(s);
            close(fd);
            errno = ENOMEM;
            return ARES_SOCKET_BAD;
        }
    }
    s->ach = ach;
    s->type = type;
    c->ev = GT_EV_NONE; /* a new socket or connection: what ended the last one is history */
    return fd;
}

int gt_sock_close(ares_socket_t fd, void *user_data)
{
    gt_ach *ach = user_data;
    gt_sock *s = sock_get(ach->chan->t, fd);
    if (s != NULL) {
        sock_clear(s);
    }
    return close(fd);
}

int gt_sock_connect(ares_socket_t fd, const struct sockaddr *addr, ares_socklen_t len,
                    void *user_data)
{
    gt_ach *ach = user_data;
    int rc = connect(fd, addr, len);
    if (rc != 0) {
        int err = errno;
        if (err != EINPROGRESS) {
            note_errno(ach->chan, NULL, err);
        }
        errno = err;
    }
    return rc;
}

void gt_sock_state(void *data, ares_socket_t fd, int readable, int writable)
{
    gt_ach *ach = data;
    gt_sock *s = sock_get(ach->chan->t, fd);
    if (s != NULL) {
        s->events = (short)((readable ? POLLIN : 0) | (writable ? POLLOUT : 0));
    }
}

/** Does @p from name the server of @p c? */
static bool from_server(const gt_chan *c, const struct sockaddr *from, ares_socklen_t len)
{
    if (from->sa_family == AF_INET && c->addr.family == AF_INET &&
        len >= (ares_socklen_t)sizeof(struct sockaddr_in)) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *)(const void *)from;
        return ntohs(sin->sin_port) == c->addr.port &&
               memcmp(&sin->sin_addr, c->addr.bytes, 4) == 0;
    }
    if (from->sa_family == AF_INET6 && c->addr.family == AF_INET6 &&
        len >= (ares_socklen_t)sizeof(struct sockaddr_in6)) {
        const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)(const void *)from;
        return ntohs(sin6->sin6_port) == c->addr.port &&
               memcmp(&sin6->sin6_addr, c->addr.bytes, 16) == 0;
    }
    return false;
}

/** Same question (count, name without regard to case, type, class) in both messages? */
static bool same_question(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    gt_cursor ca, cb;
    gt_name na, nb;
    gt_cursor_init(&ca, a, alen);
    gt_cursor_init(&cb, b, blen);
    gt_cursor_skip(&ca, 4);
    gt_cursor_skip(&cb, 4);
    bool same = gt_cursor_u16(&ca) == gt_cursor_u16(&cb);
    gt_cursor_skip(&ca, 6);
    gt_cursor_skip(&cb, 6);
    gt_cursor_name(&ca, &na);
    gt_cursor_name(&cb, &nb);
    same = same && gt_cursor_u16(&ca) == gt_cursor_u16(&cb);
    same = same && gt_cursor_u16(&ca) == gt_cursor_u16(&cb);
    return same && ca.err == GT_OK && cb.err == GT_OK && gt_name_eq(&na, &nb);
}

static bool id_was_late(const gt_chan *c, uint16_t id)
{
    size_t n = c->nlate < GT_LATE_IDS ? c->nlate : GT_LATE_IDS;
    for (size_t i = 0; i < n; i++) {
        if (c->late[i] == id) {
            return true;
        }
    }
    return false;
}

/** The query out on @p ach with ID @p id, or NULL. */
static gt_txq *query_by_id(const gt_ach *ach, uint16_t id)
{
    gt_txq *q = ach->chan->queries;
    while (q != NULL && !(q->id == id && q->ach == ach)) {
        q = q->chan_next;
    }
    return q;
}

/* Keep @p msg as the reply of @p q (the first one that came). */
static void keep_reply(gt_txq *q, const uint8_t *msg, size_t n)
{
    if (q->raw != NULL) {
        return;
    }
    q->raw = malloc(n > 0 ? n : 1);
    if (q->raw != NULL) {
        memcpy(q->raw, msg, n);
        q->rawlen = n;
    }
}

/* Is the COOKIE option of reply @p rc (@p rclen bytes) acceptable for a query that sent
 * @p qc? RFC 7873 section 5.3: it must start with the client cookie; 8 to 40 bytes. */
static bool cookie_ok(const uint8_t *qc, size_t qclen, const uint8_t *rc, size_t rclen)
{
    if (qc == NULL || rc == NULL) {
        return true;
    }
    return rclen >= GT_COOKIE_CLIENT && rclen <= GT_COOKIE_MAX && qclen >= GT_COOKIE_CLIENT &&
           memcmp(qc, rc, GT_COOKIE_CLIENT) == 0;
}

/* The cookie a message carries: NULL when none. */
static const uint8_t *msg_cookie(const uint8_t *msg, size_t n, size_t *len)
{
    size_t off = 0;
    *len = 0;
    if (msg == NULL || !gt_cookie_find(msg, n, &off, len) || off == 0) {
        return NULL;
    }
    return msg + off;
}

/*
 * Judge one UDP datagram (source, length, ID, question, cookie) and count it.
 * @return the query it answers, or NULL (counted; c-ares never sees it)
 */
static gt_txq *udp_judge(gt_ach *ach, const uint8_t *buf, size_t n, const struct sockaddr *from,
                         ares_socklen_t fromlen)
{
    gt_chan *c = ach->chan;
    if (from != NULL && !from_server(c, from, fromlen)) {
        c->wire.bad_source++;
        return NULL;
    }
    if (n < GT_TRANSPORT_QUERY_MIN) {
        c->wire.runt++;
        return NULL;
    }
    uint16_t id = (uint16_t)(buf[0] << 8 | buf[1]);
    gt_txq *q = query_by_id(ach, id);
    if (q == NULL) {
        if (id_was_late(c, id)) {
            c->wire.late++;
        } else {
            c->wire.bad_id++;
        }
        return NULL;
    }
    const uint8_t *sent = q->wire != NULL ? q->wire : q->query;
    size_t slen = q->wire != NULL ? q->wlen : q->qlen;
    if (sent == NULL || !same_question(sent, slen, buf, n)) {
        c->wire.bad_question++;
        return NULL;
    }
    size_t qclen = 0, rclen = 0;
    const uint8_t *qc = msg_cookie(sent, slen, &qclen);
    const uint8_t *rc = msg_cookie(buf, n, &rclen);
    if (!cookie_ok(qc, qclen, rc, rclen)) {
        c->wire.bad_cookie++;
        return NULL;
    }
    c->wire.replies++;
    return q;
}

/*
 * Write into @p out the stand-in c-ares is given for @p reply (which answers @p q): the header
 * and question c-ares sent, QR set, RCODE SERVFAIL, and the cookie c-ares needs to stay in step
 * with the server (see the head of this file). @return its length, or 0 when it does not fit.
 */
static size_t standin(const gt_txq *q, const uint8_t *reply, size_t rlen, uint8_t *out, size_t cap)
{
    const uint8_t *sent = q->wire != NULL ? q->wire : q->query;
    size_t slen = q->wire != NULL ? q->wlen : q->qlen;
    gt_cursor cur;
    gt_name name;
    gt_wbuf w;
    size_t qclen = 0, rclen = 0;
    const uint8_t *qc = msg_cookie(sent, slen, &qclen);
    const uint8_t *rc = msg_cookie(reply, rlen, &rclen);
    uint8_t ck[GT_COOKIE_MAX];
    size_t cklen = 0;

    if (qc != NULL && rc != NULL && rclen > GT_COOKIE_CLIENT) {
        cklen = rclen; /* valid (udp_judge): the server's cookie */
        memcpy(ck, rc, cklen);
    } else if (qc != NULL) {
        /* the client cookie and a server cookie of zeros: c-ares 1.34 must see one */
        cklen = 2 * GT_COOKIE_CLIENT;
        memcpy(ck, qc, GT_COOKIE_CLIENT);
        memset(ck + GT_COOKIE_CLIENT, 0, GT_COOKIE_CLIENT);
    }
    gt_cursor_init(&cur, sent, slen);
    gt_cursor_skip(&cur, 12);
    gt_cursor_name(&cur, &name);
    gt_cursor_skip(&cur, 4);
    if (cur.err != GT_OK) {
        return 0;
    }
    gt_wbuf_init(&w, out, cap);
    gt_wbuf_bytes(&w, reply, 2);                        /* the ID */
    gt_wbuf_u8(&w, (uint8_t)(0x80 | (sent[2] & 0x79))); /* QR, the opcode and RD sent */
    gt_wbuf_u8(&w, GT_STANDIN_RCODE);
    gt_wbuf_u16(&w, 1);
    gt_wbuf_u16(&w, 0);
    gt_wbuf_u16(&w, 0);
    gt_wbuf_u16(&w, cklen > 0 ? 1 : 0);
    gt_wbuf_bytes(&w, sent + 12, cur.pos - 12);
    if (q->standin_name && w.err == GT_OK) {
        (void)gt_cares_qname(out, w.len, true); /* the name c-ares was given */
    }
    if (cklen > 0) {
        gt_wbuf_u8(&w, 0);     /* root */
        gt_wbuf_u16(&w, 41);   /* OPT */
        gt_wbuf_u16(&w, 1232); /* payload size */
        gt_wbuf_u32(&w, 0);    /* extended RCODE, version, flags */
        gt_wbuf_u16(&w, (uint16_t)(cklen + 4));
        gt_wbuf_u16(&w, 10); /* COOKIE */
        gt_wbuf_u16(&w, (uint16_t)cklen);
        gt_wbuf_bytes(&w, ck, cklen);
    }
    return w.err == GT_OK ? w.len : 0;
}

/* Queue @p n bytes for c-ares to read from TCP socket @p s. */
static bool out_push(gt_sock *s, const uint8_t *p, size_t n)
{
    if (s->opos > 0 && s->opos == s->olen) {
        s->opos = s->olen = 0;
    }
    if (s->olen + n > s->ocap) {
        size_t ncap = s->ocap ? s->ocap : 512;
        while (ncap < s->olen + n) {
            ncap *= 2;
        }
        uint8_t *nb = realloc(s->obuf, ncap);
        if (nb == NULL) {
            return false;
        }
        s->obuf = nb;
        s->ocap = ncap;
    }
    memcpy(s->obuf + s->olen, p, n);
    s->olen += n;
    return true;
}

/*
 * A whole TCP message came: keep it for the query it answers, and queue its stand-in (with
 * its length) for c-ares. A message that answers no query never reaches c-ares, which would
 * drop it too.
 */
static void tcp_message(gt_ach *ach, gt_sock *s, const uint8_t *msg, size_t n)
{
    uint8_t out[2 + GT_STANDIN_MAX];
    if (n < GT_TRANSPORT_QUERY_MIN) {
        return;
    }
    gt_txq *q = query_by_id(ach, (uint16_t)(msg[0] << 8 | msg[1]));
    if (q == NULL) {
        return;
    }
    const uint8_t *sent = q->wire != NULL ? q->wire : q->query;
    size_t slen = q->wire != NULL ? q->wlen : q->qlen;
    if (sent == NULL || !same_question(sent, slen, msg, n)) {
        return;
    }
    keep_reply(q, msg, n);
    size_t k = standin(q, msg, n, out + 2, sizeof(out) - 2);
    if (k > 0) {
        out[0] = (uint8_t)(k >> 8);
        out[1] = (uint8_t)(k & 0xff);
        (void)out_push(s, out, k + 2);
    }
}

/* Follow a TCP stream through its length prefixes (RFC 1035 4.2.2). */
static void tcp_account(gt_ach *ach, gt_sock *s, const uint8_t *buf, size_t n)
{
    gt_chan *c = ach->chan;
    size_t i = 0;
    while (i < n) {
        if (s->lenbuf < 2) {
            s->msglen = (uint16_t)(s->msglen << 8 | buf[i]);
            s->lenbuf++;
            i++;
        } else {
            size_t take = n - i;
            if (take > (size_t)s->msglen - s->msggot) {
                take = (size_t)s->msglen - s->msggot;
            }
            memcpy(s->msg + s->msggot, buf + i, take);
            s->msggot += take;
            i += take;
        }
        if (s->lenbuf == 2 && s->msggot == s->msglen) {
            s->done++;
            c->wire.replies++;
            tcp_message(ach, s, s->msg, s->msglen);
            s->lenbuf = 0;
            s->msglen = 0;
            s->msggot = 0;
        }
    }
}

/* End of a TCP stream: between messages (a close) or inside one (a cut). */
static void tcp_eof(gt_chan *c, const gt_sock *s)
{
    c->ev_done = s->done;
    if (s->lenbuf == 0) {
        c->ev = GT_EV_CLOSED;
        if (c->outstanding > 0) {
            c->wire.closes++;
        }
        return;
    }
    c->ev = GT_EV_CUT;
    c->ev_got = s->msggot;
    c->ev_want = s->lenbuf == 2 ? s->msglen : 0;
    c->wire.cut++;
    c->wire.cut_got = c->ev_got;
    c->wire.cut_want = c->ev_want;
}

/*
 * An ICMP port unreachable came back on a UDP socket of @p ach (the kernel reports it at the
 * next read or write on the socket): every query out on it ends as refused. c-ares 1.34 ends
 * them all; 1.18 fails the query whose write met the error and lets the one the error was for
 * time out (four queries to a closed port: two refused, two timeouts), so transport.c cancels
 * whatever is left on the channel from the run loop and reports it as refused, on both.
 */
static void refused(gt_ach *ach)
{
    for (gt_txq *q = ach->chan->queries; q != NULL; q = q->chan_next) {
        if (q->ach == ach) {
            q->refused = true;
        }
    }
    ach->refused = true;
}

/* UDP: read datagrams until one answers a query; c-ares is handed its stand-in. */
static ares_ssize_t udp_read(gt_ach *ach, ares_socket_t fd, uint8_t *buf, size_t len, int flags,
                             struct sockaddr *from, ares_socklen_t *fromlen)
{
    gt_ares_transport *t = ach->chan->t;
    ares_socklen_t fromcap = fromlen != NULL ? *fromlen : 0;
    if (t->rbuf == NULL && (t->rbuf = malloc(GT_MSG_MAX)) == NULL) {
        errno = ENOMEM;
        return -1;
    }
    for (;;) {
        if (fromlen != NULL) {
            *fromlen = fromcap;
        }
        ssize_t n = recvfrom(fd, t->rbuf, GT_MSG_MAX, flags, from, fromlen);
        if (n < 0) {
            int err = errno;
            if (err != EAGAIN && err != EWOULDBLOCK && err != EINTR) {
                note_errno(ach->chan, NULL, err);
            }
            if (err == ECONNREFUSED) {
                refused(ach);
            }
            errno = err;
            return -1;
        }
        gt_txq *q = udp_judge(ach, t->rbuf, (size_t)n, from, fromlen != NULL ? *fromlen : 0);
        if (q == NULL) {
            continue; /* counted; c-ares would drop it too */
        }
        keep_reply(q, t->rbuf, (size_t)n);
        size_t k = standin(q, t->rbuf, (size_t)n, buf, len);
        if (k == 0) {
            continue; /* cannot happen: the stand-in is shorter than the query */
        }
        return (ares_ssize_t)k;
    }
}

/* Give c-ares up to @p len queued stand-in bytes of @p s. */
static ares_ssize_t out_pop(gt_sock *s, uint8_t *buf, size_t len)
{
    size_t k = s->olen - s->opos < len ? s->olen - s->opos : len;
    memcpy(buf, s->obuf + s->opos, k);
    s->opos += k;
    return (ares_ssize_t)k;
}

/*
 * TCP: read the stream into our scratch buffer; c-ares reads the stand-ins of the messages
 * that answer its queries (queued on the socket; transport.c polls again while some wait),
 * then the end of the stream or the error, as they came.
 */
static ares_ssize_t tcp_read(gt_ach *ach, gt_sock *s, ares_socket_t fd, uint8_t *buf, size_t len,
                             int flags)
{
    gt_chan *c = ach->chan;
    gt_ares_transport *t = c->t;
    if (s->opos < s->olen) {
        return out_pop(s, buf, len);
    }
    if (s->eof) {
        return 0;
    }
    if (t->rbuf == NULL && (t->rbuf = malloc(GT_MSG_MAX)) == NULL) {
        errno = ENOMEM;
        return -1;
    }
    ssize_t n = recv(fd, t->rbuf, GT_MSG_MAX, flags);
    if (n < 0) {
        int err = errno;
        if (err != EAGAIN && err != EWOULDBLOCK && err != EINTR) {
            note_errno(c, s, err);
        }
        errno = err;
        return -1;
    }
    if (n == 0) {
        tcp_eof(c, s);
        s->eof = true;
        return 0;
    }
    tcp_account(ach, s, t->rbuf, (size_t)n);
    if (s->opos < s->olen) {
        return out_pop(s, buf, len);
    }
    errno = EAGAIN; /* no whole message yet */
    return -1;
}

ares_ssize_t gt_sock_recvfrom(ares_socket_t fd, void *buf, size_t len, int flags,
                              struct sockaddr *from, ares_socklen_t *fromlen, void *user_data)
{
    gt_ach *ach = user_data;
    gt_sock *s = sock_get(ach->chan->t, fd);

    if (s == NULL) {
        return recvfrom(fd, buf, len, flags, from, fromlen);
    }
    if (s->type == SOCK_DGRAM) {
        return udp_read(ach, fd, buf, len, flags, from, fromlen);
    }
    if (from != NULL && fromlen != NULL) {
        *fromlen = 0; /* a connected stream: no address */
    }
    return tcp_read(ach, s, fd, buf, len, flags);
}

bool gt_sock_pending(const gt_sock *s)
{
    return s->opos < s->olen;
}

/* The query c-ares writes @p msg for: the one being handed over, or the one with its ID. */
static gt_txq *query_written(gt_ach *ach, const uint8_t *msg, size_t n)
{
    gt_txq *q = ach->chan->t->sending;
    if (n < GT_TRANSPORT_QUERY_MIN) {
        return NULL;
    }
    if (q == NULL || q->ach != ach || q->wire != NULL) {
        q = query_by_id(ach, (uint16_t)(msg[0] << 8 | msg[1]));
    }
    return q;
}

/* Keep the @p n bytes of query message @p msg, as written, with its query. */
static void note_query(gt_ach *ach, const uint8_t *msg, size_t n)
{
    gt_txq *q = query_written(ach, msg, n);
    if (q == NULL) {
        return;
    }
    uint8_t *copy = malloc(n);
    if (copy == NULL) {
        return; /* the checks fall back on the query as built */
    }
    memcpy(copy, msg, n);
    free(q->wire);
    q->wire = copy;
    q->wlen = n;
    q->id = (uint16_t)(msg[0] << 8 | msg[1]);
    gt_wire_log(ach->chan->t, "sent", q->ach->chan->tcp, msg, n);
}

/* A query message about to be written (@p avail of its bytes here): the real name back in. */
static void put_real_name(gt_ach *ach, uint8_t *msg, size_t avail)
{
    gt_txq *q = query_written(ach, msg, avail);
    if (q == NULL || !q->standin_name) {
        return;
    }
    size_t nlen = gt_cares_qname(q->query, q->qlen, false);
    if (nlen > 0 && 12 + nlen <= avail && gt_cares_qname(msg, avail, false) == nlen) {
        memcpy(msg + 12, q->query + 12, nlen);
    }
}

/* Before a write of @p n bytes to @p s: the real names of the queries that start in it. */
static void put_real_names(gt_ach *ach, const gt_sock *s, uint8_t *buf, size_t n)
{
    if (s->type == SOCK_DGRAM) {
        put_real_name(ach, buf, n);
        return;
    }
    if (s->wlenbuf != 0 || s->wmsggot != 0) {
        return; /* c-ares writes a TCP query in one piece unless the socket is full */
    }
    for (size_t pos = 0; pos + 2 <= n;) {
        size_t mlen = (size_t)buf[pos] << 8 | buf[pos + 1];
        put_real_name(ach, buf + pos + 2, mlen < n - pos - 2 ? mlen : n - pos - 2);
        pos += 2 + mlen;
    }
}

/* Read back @p n bytes written to @p s. */
static void note_written(gt_ach *ach, gt_sock *s, const uint8_t *p, size_t n)
{
    if (s->type == SOCK_DGRAM) {
        note_query(ach, p, n);
        return;
    }
    for (size_t j = 0; j < n;) {
        if (s->wlenbuf < 2) {
            s->wmsglen = (uint16_t)(s->wmsglen << 8 | p[j]);
            s->wlenbuf++;
            j++;
        } else {
            size_t take = n - j;
            if (take > (size_t)s->wmsglen - s->wmsggot) {
                take = (size_t)s->wmsglen - s->wmsggot;
            }
            memcpy(s->wmsg + s->wmsggot, p + j, take);
            s->wmsggot += take;
            j += take;
        }
        if (s->wlenbuf == 2 && s->wmsggot == s->wmsglen) {
            note_query(ach, s->wmsg, s->wmsglen);
            s->wlenbuf = 0;
            s->wmsglen = 0;
            s->wmsggot = 0;
        }
    }
}

ares_ssize_t gt_sock_writev(ares_socket_t fd, const struct iovec *iov, int iovcnt, void *user_data)
{
    gt_ach *ach = user_data;
    gt_chan *c = ach->chan;
    gt_ares_transport *t = c->t;
    gt_sock *s = sock_get(t, fd);
    size_t total = 0;

    if (t->wbuf == NULL && (t->wbuf = calloc(1, GT_WBUF_MAX)) == NULL) {
        errno = ENOMEM;
        return -1;
    }
    for (int i = 0; i < iovcnt; i++) {
        size_t take = iov[i].iov_len < GT_WBUF_MAX - total ? iov[i].iov_len : GT_WBUF_MAX - total;
        memcpy(t->wbuf + total, iov[i].iov_base, take); /* a partial write is a write */
        total += take;
    }
    if (s != NULL) {
        put_real_names(ach, s, t->wbuf, total);
    }
    ares_ssize_t n = send(fd, t->wbuf, total, MSG_NOSIGNAL);
    if (n < 0) {
        int err = errno;
        if (err != EAGAIN && err != EWOULDBLOCK && err != EINTR) {
            note_errno(c, s, err);
        }
        if (err == ECONNREFUSED && s != NULL && s->type == SOCK_DGRAM) {
            refused(ach); /* the ICMP error of an earlier datagram on this socket */
        }
        errno = err;
        return n;
    }
    if (s != NULL && (size_t)n <= total) {
        note_written(ach, s, t->wbuf, (size_t)n);
    }
    return n;
}
