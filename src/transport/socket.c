/*
 * Our socket functions for c-ares (ares_set_socket_functions): every socket c-ares opens,
 * every datagram and every TCP read passes through here, so we see what c-ares silently
 * drops and how connections end.
 *
 * - UDP: a datagram from another address than the server, shorter than a header, with an ID
 *   that matches none of the queries out to that server, or with a right ID and another
 *   question, is counted per server (c-ares discards all of them; we report them: a spoofing
 *   attempt or a broken server). A reply to a try that already timed out is counted as late.
 * - TCP: the stream is followed through its length prefixes, so an end of stream inside a
 *   message (with its byte counts), a clean close between messages, a reset and a refusal are
 *   told apart; transport.c turns them into distinct statuses.
 * - Writes use sendmsg() with MSG_NOSIGNAL: a server that closed its end makes EPIPE, a
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
#include "internal.h"

/** Initial size of the descriptor table (grows to the largest descriptor seen). */
#define GT_SOCKS_INIT 64

/** Our record of descriptor @p fd, or NULL when it is not one of ours. */
static gt_sock *sock_get(gt_ares_transport *t, ares_socket_t fd)
{
    if (fd < 0 || (size_t)fd >= t->capsocks || t->socks[fd].chan == NULL) {
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

void gt_socks_free(gt_ares_transport *t)
{
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

static ares_socket_t sock_open(int domain, int type, int protocol, void *user_data)
{
    gt_chan *c = user_data;
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
    memset(s, 0, sizeof(*s));
    s->chan = c;
    s->type = type;
    c->ev = GT_EV_NONE; /* a new socket or connection: what ended the last one is history */
    return fd;
}

static int sock_close(ares_socket_t fd, void *user_data)
{
    gt_chan *c = user_data;
    gt_sock *s = sock_get(c->t, fd);
    if (s != NULL) {
        memset(s, 0, sizeof(*s));
    }
    return close(fd);
}

static int sock_connect(ares_socket_t fd, const struct sockaddr *addr, ares_socklen_t len,
                        void *user_data)
{
    int rc = connect(fd, addr, len);
    if (rc != 0) {
        int err = errno;
        if (err != EINPROGRESS) {
            note_errno(user_data, NULL, err);
        }
        errno = err;
    }
    return rc;
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

/* Judge one UDP datagram the way c-ares will (source, length, ID, question) and count it. */
static void udp_account(gt_chan *c, const uint8_t *buf, size_t n, const struct sockaddr *from,
                        ares_socklen_t fromlen)
{
    if (from != NULL && !from_server(c, from, fromlen)) {
        c->wire.bad_source++;
        return;
    }
    if (n < GT_TRANSPORT_QUERY_MIN) {
        c->wire.runt++;
        return;
    }
    uint16_t id = (uint16_t)(buf[0] << 8 | buf[1]);
    const gt_txq *q = c->queries;
    while (q != NULL && q->id != id) {
        q = q->chan_next;
    }
    if (q == NULL) {
        if (id_was_late(c, id)) {
            c->wire.late++;
        } else {
            c->wire.bad_id++;
        }
        return;
    }
    if (q->query == NULL || !same_question(q->query, q->qlen, buf, n)) {
        c->wire.bad_question++;
        return;
    }
    c->wire.replies++;
}

/* Follow a TCP stream through its length prefixes (RFC 1035 4.2.2). */
static void tcp_account(gt_chan *c, gt_sock *s, const uint8_t *buf, size_t n)
{
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
            s->msggot += take;
            i += take;
        }
        if (s->lenbuf == 2 && s->msggot == s->msglen) {
            s->done++;
            c->wire.replies++;
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

static ares_ssize_t sock_recvfrom(ares_socket_t fd, void *buf, size_t len, int flags,
                                  struct sockaddr *from, ares_socklen_t *fromlen, void *user_data)
{
    gt_chan *c = user_data;
    ares_ssize_t n = recvfrom(fd, buf, len, flags, from, fromlen);
    int err = errno;
    gt_sock *s = sock_get(c->t, fd);

    if (s == NULL) {
        errno = err;
        return n;
    }
    if (n < 0) {
        if (err != EAGAIN && err != EWOULDBLOCK && err != EINTR) {
            note_errno(c, s, err);
        }
    } else if (s->type == SOCK_DGRAM) {
        udp_account(c, buf, (size_t)n, from, fromlen != NULL ? *fromlen : 0);
    } else if (n == 0) {
        tcp_eof(c, s);
    } else {
        tcp_account(c, s, buf, (size_t)n);
    }
    errno = err;
    return n;
}

static ares_ssize_t sock_sendv(ares_socket_t fd, const struct iovec *iov, int iovcnt,
                               void *user_data)
{
    gt_chan *c = user_data;
    struct msghdr m;
    memset(&m, 0, sizeof(m));
    m.msg_iov = (struct iovec *)(uintptr_t)iov; /* sendmsg() does not write through it */
    m.msg_iovlen = iovcnt < 0 ? 0 : (size_t)iovcnt;
    ares_ssize_t n = sendmsg(fd, &m, MSG_NOSIGNAL);
    if (n < 0) {
        int err = errno;
        if (err != EAGAIN && err != EWOULDBLOCK && err != EINTR) {
            note_errno(c, sock_get(c->t, fd), err);
        }
        errno = err;
    }
    return n;
}

const struct ares_socket_functions gt_sock_funcs = {
    .asocket = sock_open,
    .aclose = sock_close,
    .aconnect = sock_connect,
    .arecvfrom = sock_recvfrom,
    .asendv = sock_sendv,
};
