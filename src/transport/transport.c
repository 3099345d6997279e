/*
 * The c-ares transport: raw query transport only. We build the query, c-ares sends it to
 * exactly one server and hands back whatever came back. This file holds the query life cycle
 * (send, our own retries, results) and the one poll() loop over the sockets of every channel
 * that has queries outstanding; channel.c holds the channels and IDs, socket.c our socket
 * functions and what they count.
 *
 * Design notes:
 * - One try per ares_send(): the channel is made with tries = 1 and a timed-out try is sent
 *   again from here with a fresh ID, so every try waits exactly --timeout (c-ares 1.18 doubles
 *   the wait on each try to a lone server) and a query ends after at most
 *   timeout x (retries + 1).
 * - c-ares reports every transport failure as ARES_ECONNREFUSED; socket.c notes what really
 *   happened (refusal, no route, reset, close, stream cut short) and we report that.
 * - A TCP server may close a connection that had answered other queries (RFC 7766 section
 *   6.2.4): the queries still pending on it are sent again on a new connection without using a
 *   try, and the channel keeps no more queries in flight than such a connection answered.
 * - User callbacks never run from inside send(): results that c-ares reports synchronously
 *   from ares_send() (or that we know before sending, like an unroutable family) are copied
 *   and queued, and run() delivers the queue.
 * - Results that arrive from ares_process_fd() are delivered straight away with the borrowed
 *   abuf (no copy); the callback may call send() again, which c-ares supports.
 * - c-ares 1.18 keeps the caller's query ID, so there the ID randomisation is ours: every try
 *   receives a fresh ID from the system's random source (RFC 5452 section 9.2), unique among
 *   the queries outstanding on its channel; c-ares 1.34 draws its own. socket.c reads the ID
 *   that went out back either way, and matches replies by it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gluetrace/base/log.h"
#include "gluetrace/wire/wire.h"
#include "internal.h"

/** Bytes of a query logged by gt_wire_log() at most. */
#define GT_TRANSPORT_LOG_MAX 512
/** Initial capacity of the pollfd array (grows by doubling). */
#define GT_TRANSPORT_POLLFDS_INIT 32
/** Largest poll() wait when no c-ares timeout is known (a safety net, not a timeout). */
#define GT_TRANSPORT_POLL_MAX_MS 1000
/** Longest poll() wait while a stop flag is watched, so a signal is seen promptly. */
#define GT_TRANSPORT_POLL_STOP_MS 100

/* CLOCK_MONOTONIC in milliseconds (the clock of deadline()). */
static double now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec * 1000.0 + (double)now.tv_nsec / 1e6;
}

static double elapsed_ms(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) * 1000.0 +
           (double)(now.tv_nsec - start->tv_nsec) / 1e6;
}

/* Has stop() been called, or is the caller's stop flag (a signal) up? */
static bool stop_requested(const gt_ares_transport *t)
{
    return t->stop_req || (t->opts.stop != NULL && *t->opts.stop != 0);
}

static void query_free(gt_txq *q)
{
    if (q != NULL) {
        free(q->query);
        free(q->wire);
        free(q->raw);
        free(q->data);
        free(q);
    }
}

static void defer_push(gt_ares_transport *t, gt_txq *q)
{
    q->state = GT_Q_DEFERRED;
    q->next = NULL;
    if (t->deferred_tail != NULL) {
        t->deferred_tail->next = q;
    } else {
        t->deferred_head = q;
    }
    t->deferred_tail = q;
}

/* Queue @p q on its channel until a slot is free; at the front when it is being sent again. */
static void wait_push(gt_ares_transport *t, gt_txq *q, bool front)
{
    gt_chan *c = q->chan;
    q->state = GT_Q_WAITING;
    q->next = NULL;
    if (front) {
        q->next = c->wait_head;
        c->wait_head = q;
        if (c->wait_tail == NULL) {
            c->wait_tail = q;
        }
    } else {
        if (c->wait_tail != NULL) {
            c->wait_tail->next = q;
        } else {
            c->wait_head = q;
        }
        c->wait_tail = q;
    }
    t->waiting++;
}

void gt_wire_log(const gt_ares_transport *t, const char *what, bool tcp, const uint8_t *msg,
                 size_t n)
{
    char hex[2 * GT_TRANSPORT_LOG_MAX + 1];
    static const char digits[] = "0123456789abcdef";
    size_t k = n < GT_TRANSPORT_LOG_MAX ? n : GT_TRANSPORT_LOG_MAX;
    if (!t->opts.debug_wire || n < 2) {
        return;
    }
    for (size_t i = 0; i < k; i++) {
        hex[2 * i] = digits[msg[i] >> 4];
        hex[2 * i + 1] = digits[msg[i] & 15];
    }
    hex[2 * k] = '\0';
    gt_note("debug: wire: %s %s %02x%02x %s%s", what, tcp ? "tcp" : "udp", msg[0], msg[1], hex,
            k < n ? "..." : "");
}

/*
 * The cookie of the current try (cookie.c): on a c-ares that sets none itself, UDP queries
 * with EDNS get ours; TCP queries carry none on either version.
 */
static gt_status put_cookie(gt_ares_transport *t, gt_txq *q)
{
    uint8_t ck[GT_COOKIE_CLIENT];
    size_t cklen = 0;
    if (gt_cares_owns_cookie()) {
        return GT_OK;
    }
    if (!q->chan->tcp) {
        gt_status st = gt_cookie_next(t, ck);
        if (st != GT_OK) {
            return st;
        }
        cklen = sizeof(ck);
    }
    return gt_cookie_put(&q->query, &q->qlen, ck, cklen);
}

/* Hand the current try of @p q to c-ares on its channel, with a fresh ID. */
static gt_status dispatch(gt_ares_transport *t, gt_txq *q)
{
    gt_chan *c = q->chan;
    gt_chan_rotate(c);
    q->ach = c->cur;
    gt_status st = gt_chan_pick_id(t, c, &q->id);
    if (st == GT_OK) {
        st = put_cookie(t, q);
    }
    if (st != GT_OK) {
        return st;
    }
    q->query[0] = (uint8_t)(q->id >> 8); /* c-ares 1.18 keeps it; 1.34 draws its own */
    q->query[1] = (uint8_t)(q->id & 0xff);
    gt_wire_log(t, "built", c->tcp, q->query, q->qlen);
    free(q->wire); /* read back again by socket.c when c-ares writes this try */
    q->wire = NULL;
    q->wlen = 0;
    clock_gettime(CLOCK_MONOTONIC, &q->start);
    q->state = GT_Q_SENDING;
    c->sent++;
    t->in_send++;
    t->sending = q;
    st = gt_cares_send(q->ach, q);
    t->sending = NULL;
    t->in_send--;
    if (st != GT_OK) {
        q->state = GT_Q_WAITING;
        return st;
    }
    /* If it already called back, q sits in the deferred queue now; otherwise c-ares owns it
     * until gt_cares_done(). */
    if (q->state == GT_Q_SENDING) {
        q->state = GT_Q_OUTSTANDING;
        gt_chan_link(c, q);
        q->ach->out++;
        t->outstanding++;
    }
    return GT_OK;
}

/* Start waiting queries of @p c while it has free slots. */
static void chan_pump(gt_ares_transport *t, gt_chan *c)
{
    while (c->wait_head != NULL && c->outstanding < c->cap) {
        gt_txq *q = c->wait_head;
        c->wait_head = q->next;
        if (c->wait_head == NULL) {
            c->wait_tail = NULL;
        }
        q->next = NULL;
        t->waiting--;
        if (dispatch(t, q) != GT_OK) {
            q->status = GT_ETRANSPORT;
            defer_push(t, q);
        }
    }
}

/* What a reply-less end of a try really was (c-ares says ECONNREFUSED for every failure). */
static gt_status failure_status(const gt_chan *c, int status)
{
    switch (status) {
    case ARES_ETIMEOUT:
        return GT_ETIMEOUT;
    case ARES_ENOMEM:
        return GT_ENOMEM;
    case ARES_ECONNREFUSED:
        break;
    default:
        return GT_ETRANSPORT;
    }
    switch (c->ev) {
    case GT_EV_NOROUTE:
        return GT_ENETUNREACH;
    case GT_EV_RESET:
        return GT_ECONNRESET;
    case GT_EV_CLOSED:
        return GT_ECLOSED;
    case GT_EV_CUT:
        return GT_ESHORTREAD;
    case GT_EV_REFUSED:
    case GT_EV_NONE:
    default:
        return GT_ECONNREFUSED;
    }
}

/*
 * Should the failed try of @p q (status @p st) be sent again? A timeout uses up a try; a TCP
 * connection that the server closed or reset after answering other queries does not.
 */
static bool try_again(gt_ares_transport *t, gt_txq *q, gt_status st)
{
    gt_chan *c = q->chan;
    if (t->dropping) {
        return false;
    }
    if (st == GT_ETIMEOUT) {
        gt_chan_late_id(c, q->id); /* its reply may still come: late, not forged */
        if (q->tries_left == 0) {
            return false;
        }
        q->tries_left--;
        return true;
    }
    if ((st == GT_ECLOSED || st == GT_ECONNRESET) && c->ev_done > 0 &&
        q->resends < GT_MAX_TCP_RESENDS) {
        q->resends++;
        /* Pipeline no deeper than the server answers on one connection. */
        if (c->cap > c->ev_done) {
            c->cap = c->ev_done;
        }
        return true;
    }
    return false;
}

/* Hand the result in @p r to the user now, or queue a copy when inside ares_send(). */
static void finish(gt_ares_transport *t, gt_txq *q, const gt_reply *r)
{
    if (!t->in_send) {
        q->fn(q->arg, r);
        query_free(q);
        return;
    }
    q->status = r->status;
    q->rtt_ms = r->rtt_ms;
    q->len = r->len;
    q->expected = r->expected;
    if (r->data != NULL && r->len > 0) {
        q->data = malloc(r->len);
        if (q->data == NULL) {
            q->status = GT_ENOMEM;
            q->len = 0;
        } else {
            memcpy(q->data, r->data, r->len);
        }
    }
    defer_push(t, q);
}

void gt_cares_done(gt_txq *q, int status)
{
    gt_ares_transport *t = q->t;
    gt_chan *c = q->chan;
    gt_reply r;

    if (q->state == GT_Q_OUTSTANDING) {
        gt_chan_unlink(c, q);
        gt_chan_settle(c, q->ach);
        t->outstanding--;
    }
    if (status == ARES_EDESTRUCTION || (status == ARES_ECANCELLED && t->dropping)) {
        query_free(q); /* only from destroy or a stop: no user callback */
        return;
    }
    /* Any other cancel is cancel_refused()'s: a query sent on that channel after the refusal
     * was not refused, and is sent again. */
    bool cancelled = status == ARES_ECANCELLED;
    if (cancelled && q->raw == NULL && !q->refused) {
        wait_push(t, q, true);
        t->repump = true;
        return;
    }
    bool refused = q->refused && q->raw == NULL &&
                   (cancelled || status == ARES_ETIMEOUT || status == ARES_ECONNREFUSED);
    if (refused) {
        status = ARES_ECONNREFUSED; /* see refused() in socket.c */
        c->ev = GT_EV_REFUSED;
    }
    memset(&r, 0, sizeof(r));
    r.rtt_ms = elapsed_ms(&q->start);
    if (q->raw != NULL) {
        /* The reply as socket.c took it off the socket: whatever c-ares made of it (it saw a
         * stand-in over UDP), the caller reads the real message. */
        r.status = GT_OK;
        r.data = q->raw;
        r.len = q->rawlen;
    } else {
        r.status = status == ARES_SUCCESS ? GT_ETRANSPORT : failure_status(c, status);
        r.rtt_ms = elapsed_ms(&q->first);
        if (r.status == GT_ESHORTREAD) {
            r.len = c->ev_got;
            r.expected = c->ev_want;
        }
        if (try_again(t, q, r.status)) {
            wait_push(t, q, true);
            if (t->in_send) {
                t->repump = true; /* c-ares 1.34 writes TCP from inside the send: no recursion */
            } else {
                chan_pump(t, c);
            }
            return;
        }
    }
    chan_pump(t, c);
    finish(t, q, &r);
}

static gt_status ares_tr_send(gt_transport *base, const gt_addr *server, bool tcp,
                              const uint8_t *query, size_t len, gt_reply_fn fn, void *arg)
{
    gt_ares_transport *t = (gt_ares_transport *)base;
    gt_status st = GT_OK;
    gt_txq *q = NULL;
    gt_chan *c = NULL;

    if (t == NULL || server == NULL || query == NULL || fn == NULL ||
        len < GT_TRANSPORT_QUERY_MIN || len > GT_MSG_MAX ||
        (server->family != AF_INET && server->family != AF_INET6)) {
        st = GT_EINVAL;
        goto done;
    }
    q = calloc(1, sizeof(*q));
    if (q == NULL) {
        st = GT_ENOMEM;
        goto done;
    }
    q->t = t;
    q->fn = fn;
    q->arg = arg;
    q->tries_left = t->opts.retries;
    clock_gettime(CLOCK_MONOTONIC, &q->first);
    q->start = q->first;

    st = gt_chan_get(t, server, tcp, &c);
    if (st != GT_OK) {
        goto done;
    }
    q->chan = c;
    if (c->unreach != GT_OK) {
        st = c->unreach; /* no route: said at once, no callback (the caller skips the family) */
        goto done;
    }
    q->query = malloc(len);
    if (q->query == NULL) {
        st = GT_ENOMEM;
        goto done;
    }
    memcpy(q->query, query, len);
    q->qlen = len;
    if (c->outstanding >= c->cap || c->wait_head != NULL) {
        wait_push(t, q, false);
        q = NULL;
        goto done;
    }
    st = dispatch(t, q);
    if (st != GT_OK) {
        goto done;
    }
    q = NULL;
done:
    query_free(q);
    return st;
}

/** Deliver every queued result (callbacks may queue more; those are delivered too). */
static void deliver_deferred(gt_ares_transport *t)
{
    while (t->deferred_head != NULL) {
        gt_txq *q = t->deferred_head;
        gt_reply r;

        t->deferred_head = q->next;
        if (t->deferred_head == NULL) {
            t->deferred_tail = NULL;
        }
        memset(&r, 0, sizeof(r));
        r.status = q->status;
        r.data = q->data;
        r.len = q->len;
        r.expected = q->expected;
        r.rtt_ms = q->rtt_ms;
        q->fn(q->arg, &r);
        query_free(q);
    }
}

/*
 * stop() was called or the stop flag is up: every query, waiting, outstanding or finished but
 * not yet delivered, is dropped without its callback (gt_transport_ops.stop).
 */
static void drop_all(gt_ares_transport *t)
{
    t->dropping = true;
    for (size_t i = 0; i < t->nchans; i++) {
        gt_chan *c = t->chans[i];
        while (c->wait_head != NULL) {
            gt_txq *q = c->wait_head;
            c->wait_head = q->next;
            t->waiting--;
            query_free(q);
        }
        c->wait_tail = NULL;
        /* Each cancelled query comes back through gt_cares_done(), which frees it. */
        for (size_t k = 0; k < c->nold; k++) {
            ares_cancel(c->old[k]->ares);
        }
        if (c->cur != NULL) {
            ares_cancel(c->cur->ares);
        }
        gt_chan_reap(c);
    }
    while (t->deferred_head != NULL) {
        gt_txq *q = t->deferred_head;
        t->deferred_head = q->next;
        query_free(q);
    }
    t->deferred_tail = NULL;
    t->dropping = false;
}

/** Make room for @p need pollfd entries. */
static gt_status pfds_reserve(gt_ares_transport *t, size_t need)
{
    gt_status st = GT_OK;
    size_t ncap = t->cappfds == 0 ? GT_TRANSPORT_POLLFDS_INIT : t->cappfds;
    struct pollfd *np;
    ares_channel *nc;

    if (need <= t->cappfds) {
        goto done;
    }
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2) {
            st = GT_ENOMEM;
            goto done;
        }
        ncap *= 2;
    }
    if (ncap > SIZE_MAX / sizeof(*np) || ncap > SIZE_MAX / sizeof(*nc)) {
        st = GT_ENOMEM;
        goto done;
    }
    np = realloc(t->pfds, ncap * sizeof(*np));
    if (np == NULL) {
        st = GT_ENOMEM;
        goto done;
    }
    t->pfds = np;
    nc = realloc(t->pfd_chans, ncap * sizeof(*nc));
    if (nc == NULL) {
        st = GT_ENOMEM;
        goto done;
    }
    t->pfd_chans = nc;
    t->cappfds = ncap;
done:
    return st;
}

/* Lower @p best_ms to the next timer of @p ach. */
static void add_timer(const gt_ach *ach, long *best_ms)
{
    struct timeval tv;
    struct timeval *tvp = ares_timeout(ach->ares, NULL, &tv);
    if (tvp != NULL) {
        long ms = (long)tvp->tv_sec * 1000L + (long)(tvp->tv_usec + 999) / 1000L;
        if (ms < *best_ms) {
            *best_ms = ms;
        }
    }
}

/**
 * Collect the sockets c-ares wants watched (its socket-state callback, socket.c) on the
 * channels with outstanding queries into t->pfds.
 * @param nfds set to the number of entries
 * @param wait_ms set to the smallest c-ares timeout over those channels
 */
static gt_status collect_fds(gt_ares_transport *t, size_t *nfds, int *wait_ms)
{
    long best_ms = GT_TRANSPORT_POLL_MAX_MS;
    size_t n = 0;

    *nfds = 0;
    for (size_t fd = 0; fd < t->capsocks; fd++) {
        const gt_sock *s = &t->socks[fd];
        if (s->ach == NULL || s->events == 0 || s->ach->out == 0) {
            continue;
        }
        gt_status st = pfds_reserve(t, n + 1);
        if (st != GT_OK) {
            return st;
        }
        if (gt_sock_pending(s)) {
            best_ms = 0; /* stand-ins waiting for c-ares: no wait, see process_ready() */
        }
        t->pfds[n].fd = (int)fd;
        t->pfds[n].events = s->events;
        t->pfds[n].revents = 0;
        t->pfd_chans[n] = s->ach->ares;
        n++;
    }
    for (size_t i = 0; i < t->nchans; i++) {
        const gt_chan *c = t->chans[i];
        if (c->cur == NULL || c->outstanding == 0) {
            continue;
        }
        if (c->cur->out > 0) {
            add_timer(c->cur, &best_ms);
        }
        for (size_t k = 0; k < c->nold; k++) {
            if (c->old[k]->out > 0) {
                add_timer(c->old[k], &best_ms);
            }
        }
    }
    *nfds = n;
    *wait_ms = best_ms < 0 ? 0 : (int)best_ms;
    return GT_OK;
}

/* Let c-ares read and write the sockets poll() found ready. */
static void process_ready(gt_ares_transport *t, size_t nfds)
{
    /* Callbacks may add channels and queries; t->pfds stays valid because only
     * collect_fds() resizes it, and channel pointers are stable. */
    for (size_t i = 0; i < nfds; i++) {
        struct pollfd *p = &t->pfds[i];
        ares_socket_t rfd = ARES_SOCKET_BAD;
        ares_socket_t wfd = ARES_SOCKET_BAD;

        if (p->fd >= 0 && (size_t)p->fd < t->capsocks && gt_sock_pending(&t->socks[p->fd])) {
            p->revents |= POLLIN; /* our socket functions hold bytes for c-ares to read */
        }
        if (p->revents == 0) {
            continue;
        }
        if (p->revents & (POLLIN | POLLERR | POLLHUP | POLLNVAL)) {
            rfd = p->fd;
        }
        if (p->revents & (POLLOUT | POLLERR | POLLHUP)) {
            wfd = p->fd;
        }
        ares_process_fd(t->pfd_chans[i], rfd, wfd);
    }
}

/* End what is left on c-ares channels whose UDP socket was refused (socket.c refused()). */
static void cancel_refused(gt_ares_transport *t)
{
    for (size_t i = 0; i < t->nchans; i++) {
        gt_chan *c = t->chans[i];
        for (size_t k = 0; k <= c->nold; k++) {
            gt_ach *ach = k < c->nold ? c->old[k] : c->cur;
            if (ach == NULL || !ach->refused) {
                continue;
            }
            ach->refused = false;
            if (ach->out > 0) {
                t->in_send++; /* results are queued, the callbacks run from run() */
                ares_cancel(ach->ares);
                t->in_send--;
            }
        }
    }
}

/* Timeouts of every busy channel (processing with no descriptor only checks timers). */
static void process_timers(gt_ares_transport *t)
{
    size_t nchans = t->nchans;
    for (size_t i = 0; i < nchans && i < t->nchans; i++) {
        gt_chan *c = t->chans[i];
        if (c->cur != NULL && c->cur->out > 0) {
            ares_process_fd(c->cur->ares, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
        }
        for (size_t k = 0; k < c->nold; k++) {
            if (c->old[k]->out > 0) {
                ares_process_fd(c->old[k]->ares, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
            }
        }
        gt_chan_reap(c);
    }
}

static gt_status ares_tr_run(gt_transport *base)
{
    gt_ares_transport *t = (gt_ares_transport *)base;
    gt_status st = GT_OK;

    if (t == NULL || t->in_run) {
        return GT_EINVAL; /* not re-entrant: callbacks must not call run() */
    }
    t->in_run = 1;
    for (;;) {
        size_t nfds = 0;
        int wait_ms = 0;

        if (stop_requested(t)) {
            drop_all(t);
            break;
        }
        if (t->yield_req) {
            break; /* a callback asked for the caller: everything stays as it is */
        }
        double left_ms = 0.0;
        if (t->deadline_ms > 0.0 && (left_ms = t->deadline_ms - now_ms()) <= 0.0) {
            break; /* the caller's deadline: likewise */
        }
        cancel_refused(t); /* also refusals met by sends made outside run() */
        deliver_deferred(t);
        if (t->repump) {
            t->repump = false;
            for (size_t i = 0; i < t->nchans; i++) {
                chan_pump(t, t->chans[i]);
            }
        }
        if (t->outstanding == 0 && t->waiting > 0) {
            for (size_t i = 0; i < t->nchans; i++) {
                chan_pump(t, t->chans[i]); /* cannot stay queued with nothing in flight */
            }
            continue;
        }
        if (t->outstanding == 0) {
            if (t->deferred_head == NULL) {
                break;
            }
            continue;
        }
        st = collect_fds(t, &nfds, &wait_ms);
        if (st != GT_OK) {
            break;
        }
        if (t->opts.stop != NULL && wait_ms > GT_TRANSPORT_POLL_STOP_MS) {
            wait_ms = GT_TRANSPORT_POLL_STOP_MS;
        }
        if (t->deadline_ms > 0.0 && left_ms < (double)wait_ms) {
            wait_ms = (int)left_ms + 1; /* whole milliseconds, never 0: no busy loop */
        }
        if (poll(t->pfds, (nfds_t)nfds, wait_ms) < 0) {
            if (errno == EINTR) {
                continue;
            }
            st = GT_ETRANSPORT;
            break;
        }
        process_ready(t, nfds);
        cancel_refused(t);
        process_timers(t);
    }
    t->in_run = 0;
    t->stop_req = false; /* the next run() starts afresh */
    t->yield_req = false;
    t->deadline_ms = 0.0;
    return st;
}

static void ares_tr_stop(gt_transport *base)
{
    ((gt_ares_transport *)base)->stop_req = true;
}

static void ares_tr_deadline(gt_transport *base, double at_ms)
{
    ((gt_ares_transport *)base)->deadline_ms = at_ms > 0.0 ? at_ms : 1e-3;
}

static void ares_tr_yield(gt_transport *base)
{
    gt_ares_transport *t = (gt_ares_transport *)base;
    if (t->in_run) {
        t->yield_req = true;
    }
}

static void ares_tr_destroy(gt_transport *base)
{
    gt_ares_transport *t = (gt_ares_transport *)base;

    if (t == NULL) {
        return;
    }
    for (size_t i = 0; i < t->nchans; i++) {
        gt_chan_free(t->chans[i], query_free);
    }
    while (t->deferred_head != NULL) {
        gt_txq *q = t->deferred_head;
        t->deferred_head = q->next;
        query_free(q);
    }
    free(t->chans);
    free(t->pfds);
    free(t->pfd_chans);
    free(t->wire);
    gt_socks_free(t);
    if (t->rand_fd >= 0) {
        close(t->rand_fd);
    }
    if (t->lib_init) {
        ares_library_cleanup();
    }
    free(t);
}

static void ares_tr_wire(const gt_transport *base, const gt_wire_count **out, size_t *n)
{
    gt_ares_transport *t = (gt_ares_transport *)(uintptr_t)base; /* scratch array only */
    *out = NULL;
    *n = 0;
    if (t->nchans == 0) {
        return;
    }
    gt_wire_count *w = realloc(t->wire, t->nchans * sizeof(*w));
    if (w == NULL) {
        return;
    }
    t->wire = w;
    for (size_t i = 0; i < t->nchans; i++) {
        w[i] = t->chans[i]->wire;
    }
    *out = w;
    *n = t->nchans;
}

static const gt_transport_ops gt_ares_ops = {
    .send = ares_tr_send,
    .run = ares_tr_run,
    .destroy = ares_tr_destroy,
    .stop = ares_tr_stop,
    .wire = ares_tr_wire,
    .yield = ares_tr_yield,
    .deadline = ares_tr_deadline,
};

gt_status gt_ares_transport_create(const gt_ares_opts *opts, gt_transport **out)
{
    gt_status st = GT_OK;
    gt_ares_transport *t = NULL;
    int rc;

    if (out != NULL) {
        *out = NULL;
    }
    if (opts == NULL || out == NULL) {
        st = GT_EINVAL;
        goto done;
    }
    t = calloc(1, sizeof(*t));
    if (t == NULL) {
        st = GT_ENOMEM;
        goto done;
    }
    t->base.ops = &gt_ares_ops;
    t->opts = *opts;
    t->rand_pos = sizeof(t->rand_buf); /* empty: filled on first use */
    t->rand_fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (t->rand_fd < 0) {
        st = GT_EIO;
        goto done;
    }
    rc = ares_library_init(ARES_LIB_INIT_ALL);
    if (rc != ARES_SUCCESS) {
        st = rc == ARES_ENOMEM ? GT_ENOMEM : GT_ETRANSPORT;
        goto done;
    }
    t->lib_init = 1;
    *out = &t->base;
    t = NULL;
done:
    if (t != NULL) {
        ares_tr_destroy(&t->base);
    }
    return st;
}

const char *gt_ares_version(void)
{
    return ares_version(NULL);
}

gt_status gt_transport_send(gt_transport *t, const gt_addr *server, bool tcp, const uint8_t *query,
                            size_t len, gt_reply_fn fn, void *arg)
{
    gt_status st = GT_EINVAL;

    if (t != NULL && t->ops != NULL && t->ops->send != NULL) {
        st = t->ops->send(t, server, tcp, query, len, fn, arg);
    }
    return st;
}

gt_status gt_transport_run(gt_transport *t)
{
    gt_status st = GT_EINVAL;

    if (t != NULL && t->ops != NULL && t->ops->run != NULL) {
        st = t->ops->run(t);
    }
    return st;
}

void gt_transport_destroy(gt_transport *t)
{
    if (t != NULL && t->ops != NULL && t->ops->destroy != NULL) {
        t->ops->destroy(t);
    }
}

void gt_transport_stop(gt_transport *t)
{
    if (t != NULL && t->ops != NULL && t->ops->stop != NULL) {
        t->ops->stop(t);
    }
}

void gt_transport_yield(gt_transport *t)
{
    if (t != NULL && t->ops != NULL && t->ops->yield != NULL) {
        t->ops->yield(t);
    }
}

void gt_transport_deadline(gt_transport *t, double at_ms)
{
    if (t != NULL && t->ops != NULL && t->ops->deadline != NULL) {
        t->ops->deadline(t, at_ms);
    }
}

void gt_transport_wire(const gt_transport *t, const gt_wire_count **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (t != NULL && t->ops != NULL && t->ops->wire != NULL) {
        t->ops->wire(t, out, n);
    }
}
