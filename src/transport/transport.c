/*
 * The c-ares transport: raw query transport only. We build the query, c-ares sends it to
 * exactly one server and hands back whatever came back. One ares channel per (server address,
 * port, UDP-or-TCP), created on first use and kept for reuse; one poll() loop over the sockets
 * of every channel that has queries outstanding.
 *
 * Design notes:
 * - Channels never see the system resolver configuration: ares_init_options() is given every
 *   setting it would otherwise look up (servers, sortlist, domains, lookups, ndots, timeout,
 *   tries), which makes c-ares 1.18 skip resolv.conf, nsswitch.conf and host.conf entirely
 *   (its "config complete" check), and RES_OPTIONS/LOCALDOMAIN only fill unset values. The
 *   resolv.conf path is additionally pointed at the null device as a second fence.
 * - User callbacks never run from inside send(): results that c-ares reports synchronously
 *   from ares_send() (or that we know before sending, like an unroutable family) are copied
 *   and queued, and run() delivers the queue.
 * - Results that arrive from ares_process_fd() are delivered straight away with the borrowed
 *   abuf (no copy); the callback may call send() again, which c-ares supports.
 * - ares_send() in c-ares 1.18 keeps the caller's query ID and matches replies by it, so the
 *   ID randomisation is ours: every query receives a fresh ID from the system's random source
 *   (RFC 5452 section 9.2), unique among the queries outstanding on its channel.
 */
#include "gluetrace/transport/transport.h"

/* ares.h uses fd_set and struct timeval without including their headers. */
#include <sys/select.h>
#include <sys/time.h>

#include <ares.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "gluetrace/base/array.h"
#include "gluetrace/wire/wire.h"

/** Size of a DNS header; a query shorter than this is rejected (RFC 1035 4.1.1). */
#define GT_TRANSPORT_QUERY_MIN 12
/** Initial capacity of the pollfd array (grows by doubling). */
#define GT_TRANSPORT_POLLFDS_INIT 32
/** Largest poll() wait when no c-ares timeout is known (a safety net, not a timeout). */
#define GT_TRANSPORT_POLL_MAX_MS 1000
/** Random bytes fetched from the system at a time (two per query ID). */
#define GT_TRANSPORT_RAND_BUF 256
/** Draws of a query ID before giving up on finding one not in use on the channel. */
#define GT_TRANSPORT_ID_DRAWS 64
/**
 * Most queries in flight to one server (per transport) at once; more wait on the channel.
 * Politeness, and bounded reply bursts: a socket's receive buffer that overflows drops
 * replies, and c-ares retries only after a timeout (with GT_QUERIES_PER_SOCKET, a burst is
 * spread over many sockets). High enough that a big zone cut's checks never wait.
 */
#define GT_MAX_INFLIGHT_PER_SERVER 64
/**
 * UDP queries sent through one c-ares channel (one socket, one source port) before the
 * server is given a fresh channel: c-ares 1.18 keeps its UDP socket open while queries are out,
 * so without this every query to a busy server would leave from the same port. Fresh
 * sockets get new random ephemeral ports from the kernel (RFC 5452).
 */
#define GT_QUERIES_PER_SOCKET 4
/** Retired channels of one server still waiting for replies, at most. */
#define GT_MAX_OLD_CHANNELS 64
/** Key length: tcp flag, family, port (2), address (16). */
#define GT_CHAN_KEY_LEN 20
/** Largest UDP reply c-ares 1.18 reads (its receive buffer); advertised sizes are capped to it. */
#define GT_ARES_UDP_MAX 4096

/** One ares channel, bound to one server address, port and transport. */
typedef struct gt_chan {
    uint8_t key[GT_CHAN_KEY_LEN]; /**< sort key, see chan_key() */
    ares_channel ares;            /**< the channel; NULL when @ref unreach is set */
    gt_status unreach;            /**< GT_OK, or GT_ENETUNREACH when the probe found no route */
    size_t outstanding;           /**< queries submitted to this channel and not yet answered */
    struct gt_query *queries;     /**< those queries (list through chan_next/chan_prev) */
    struct gt_query *wait_head; /**< queries waiting for a free slot (GT_MAX_INFLIGHT_PER_SERVER) */
    struct gt_query *wait_tail; /**< last of them */
    gt_addr addr;               /**< the server */
    bool tcp;                   /**< TCP channel */
    size_t sent;                /**< queries given to @ref ares (rotation, UDP) */
    size_t cur_out;             /**< of @ref outstanding, those on @ref ares */
    ares_channel old[GT_MAX_OLD_CHANNELS]; /**< retired channels with replies still due */
    size_t old_out[GT_MAX_OLD_CHANNELS];   /**< outstanding queries on each */
    size_t nold;                           /**< entries used in @ref old */
} gt_chan;

/** State of a gt_query. */
typedef enum {
    GT_Q_SENDING = 0, /**< inside ares_send() */
    GT_Q_OUTSTANDING, /**< c-ares owns the query; its callback will come from the run loop */
    GT_Q_WAITING,     /**< queued on its channel until fewer queries are in flight there */
    GT_Q_DEFERRED,    /**< finished, result copied and queued for the run loop */
} gt_qstate;

struct gt_ares_transport;

/** One submitted query, from send() until its user callback returned. */
typedef struct gt_query {
    struct gt_ares_transport *t; /**< owning transport */
    gt_chan *chan;               /**< channel it was sent on (NULL if never sent) */
    gt_reply_fn fn;              /**< user callback */
    void *arg;                   /**< user argument */
    struct timespec start;       /**< CLOCK_MONOTONIC at send */
    gt_qstate state;             /**< see gt_qstate */
    gt_status status;            /**< deferred result status */
    uint8_t *data;               /**< deferred reply copy (owned), or NULL */
    size_t len;                  /**< length of @ref data */
    double rtt_ms;               /**< deferred round-trip time */
    struct gt_query *next;       /**< link in the deferred queue */
    struct gt_query *chan_next;  /**< link in the channel's outstanding list */
    struct gt_query *chan_prev;  /**< back link in that list */
    uint16_t id;                 /**< query ID we gave it */
    ares_channel ach;            /**< the c-ares channel it went out on */
} gt_query;

/** The c-ares transport; the gt_transport base comes first. */
typedef struct gt_ares_transport {
    gt_transport base;       /**< ops table */
    gt_ares_opts opts;       /**< timeout and retries */
    gt_chan **chans;         /**< channel table sorted by key (pointers stay stable) */
    size_t nchans;           /**< channels in use */
    size_t capchans;         /**< allocated slots in @ref chans */
    struct pollfd *pfds;     /**< scratch poll array, reused by run() */
    ares_channel *pfd_chans; /**< c-ares channel of each pfds entry */
    size_t cappfds;          /**< allocated slots in @ref pfds and @ref pfd_chans */
    size_t outstanding;      /**< queries owned by c-ares across all channels */
    size_t waiting;          /**< queries queued on channels, not yet given to c-ares */
    gt_query *deferred_head; /**< queue of finished results waiting for run() */
    gt_query *deferred_tail; /**< last element of that queue */
    int in_send;             /**< nonzero while inside ares_send() */
    int in_run;              /**< nonzero while run() is active */
    int lib_init;            /**< ares_library_init() succeeded */
    int rand_fd;             /**< the system random device, or -1 */
    uint8_t rand_buf[GT_TRANSPORT_RAND_BUF]; /**< unused random bytes */
    size_t rand_pos;                         /**< next unused byte in @ref rand_buf */
} gt_ares_transport;

static double elapsed_ms(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) * 1000.0 +
           (double)(now.tv_nsec - start->tv_nsec) / 1e6;
}

/** Map a c-ares status (for a query without reply data) to ours. The only place we do so. */
static gt_status map_ares_status(int status)
{
    switch (status) {
    case ARES_SUCCESS:
        return GT_OK;
    case ARES_ETIMEOUT:
        return GT_ETIMEOUT;
    case ARES_ECONNREFUSED:
        return GT_ECONNREFUSED;
    case ARES_ENOMEM:
        return GT_ENOMEM;
    default:
        return GT_ETRANSPORT;
    }
}

static void chan_key(const gt_addr *a, bool tcp, uint8_t key[GT_CHAN_KEY_LEN])
{
    memset(key, 0, GT_CHAN_KEY_LEN);
    key[0] = tcp ? 1 : 0;
    key[1] = a->family == AF_INET ? 4 : 6;
    key[2] = (uint8_t)(a->port >> 8);
    key[3] = (uint8_t)(a->port & 0xff);
    memcpy(key + 4, a->bytes, a->family == AF_INET ? 4 : 16);
}

/** Fill a sockaddr for @p a. @return its length, or 0 for an unknown family. */
static socklen_t addr_to_sockaddr(const gt_addr *a, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof(*ss));
    if (a->family == AF_INET) {
        struct sockaddr_in *sin = (struct sockaddr_in *)ss;
        sin->sin_family = AF_INET;
        sin->sin_port = htons(a->port);
        memcpy(&sin->sin_addr, a->bytes, 4);
        return (socklen_t)sizeof(*sin);
    }
    if (a->family == AF_INET6) {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons(a->port);
        memcpy(&sin6->sin6_addr, a->bytes, 16);
        return (socklen_t)sizeof(*sin6);
    }
    return 0;
}

/**
 * Ask the kernel whether there is a route to @p a: connect() on a UDP socket only selects a
 * route and a source address, it sends nothing. c-ares would report the same failure as
 * ARES_ECONNREFUSED, which is indistinguishable from a real refusal.
 * @return GT_OK (routable or unknown), or GT_ENETUNREACH
 */
static gt_status probe_route(const gt_addr *a)
{
    gt_status st = GT_OK;
    struct sockaddr_storage ss;
    socklen_t sslen = addr_to_sockaddr(a, &ss);
    int fd = socket(a->family, SOCK_DGRAM, 0);

    if (fd < 0) {
        if (errno == EAFNOSUPPORT || errno == EPROTONOSUPPORT) {
            st = GT_ENETUNREACH;
        }
        goto done;
    }
    if (connect(fd, (const struct sockaddr *)&ss, sslen) != 0) {
        if (errno == ENETUNREACH || errno == EHOSTUNREACH || errno == EADDRNOTAVAIL ||
            errno == EAFNOSUPPORT) {
            st = GT_ENETUNREACH;
        }
    }
done:
    if (fd >= 0) {
        close(fd);
    }
    return st;
}

/** Create an ares channel that talks to @p a only, never reading the system configuration. */
static gt_status chan_open(const gt_ares_transport *t, const gt_addr *a, bool tcp,
                           ares_channel *out)
{
    gt_status st = GT_OK;
    struct ares_options o;
    struct ares_addr_port_node server;
    char lookups[] = "b";
    char resolvconf[] = "/dev/null";
    ares_channel ch = NULL;
    int optmask;
    int rc;
    unsigned tries = t->opts.retries + 1u;

    *out = NULL;
    memset(&o, 0, sizeof(o));
    o.flags = ARES_FLAG_NOCHECKRESP | ARES_FLAG_IGNTC | ARES_FLAG_NOSEARCH | ARES_FLAG_NOALIASES;
    if (tcp) {
        o.flags |= ARES_FLAG_USEVC;
    }
    /* c-ares 1.18 truncates UDP replies to its idea of the payload size: 512 bytes unless
     * ARES_FLAG_EDNS is set, then ednspsz. Our queries carry their own OPT RR (ares_send never
     * adds one), so the flag only raises that limit. Side effect: a FORMERR reply without OPT
     * makes c-ares retry once without the last 11 bytes (our OPT RR, which we put last). */
    if (t->opts.edns) {
        o.flags |= ARES_FLAG_EDNS;
        o.ednspsz = GT_ARES_UDP_MAX;
    }
    o.timeout = t->opts.timeout_ms > (unsigned)INT32_MAX ? INT32_MAX : (int)t->opts.timeout_ms;
    o.tries = tries > (unsigned)INT32_MAX || tries == 0 ? INT32_MAX : (int)tries;
    o.ndots = 1;
    o.servers = NULL; /* none here: the one server is set below with its port */
    o.nservers = 0;
    o.domains = NULL;
    o.ndomains = 0;
    o.lookups = lookups;
    o.sortlist = NULL;
    o.nsort = 0;
    o.resolvconf_path = resolvconf;
    /* Supplying every one of these makes c-ares consider its configuration complete, so it
     * opens none of resolv.conf, nsswitch.conf, host.conf. */
    optmask = ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_NDOTS |
              ARES_OPT_SERVERS | ARES_OPT_DOMAINS | ARES_OPT_LOOKUPS | ARES_OPT_SORTLIST |
              ARES_OPT_RESOLVCONF | (t->opts.edns ? ARES_OPT_EDNSPSZ : 0);
    rc = ares_init_options(&ch, &o, optmask);
    if (rc != ARES_SUCCESS) {
        ch = NULL;
        st = rc == ARES_ENOMEM ? GT_ENOMEM : GT_ETRANSPORT;
        goto done;
    }
    /* -S: c-ares binds each socket of the channel to the source address of its family. */
    if (t->opts.source4.family == AF_INET) {
        uint32_t ip4;
        memcpy(&ip4, t->opts.source4.bytes, sizeof(ip4));
        ares_set_local_ip4(ch, ntohl(ip4)); /* host byte order */
    }
    if (t->opts.source6.family == AF_INET6) {
        ares_set_local_ip6(ch, t->opts.source6.bytes);
    }

    memset(&server, 0, sizeof(server));
    server.next = NULL;
    server.family = a->family;
    if (a->family == AF_INET) {
        memcpy(&server.addr.addr4, a->bytes, 4);
    } else {
        memcpy(&server.addr.addr6, a->bytes, 16);
    }
    server.udp_port = a->port;
    server.tcp_port = a->port;
    rc = ares_set_servers_ports(ch, &server);
    if (rc != ARES_SUCCESS) {
        st = rc == ARES_ENOMEM ? GT_ENOMEM : GT_ETRANSPORT;
        goto done;
    }
    *out = ch;
    ch = NULL;
done:
    if (ch != NULL) {
        ares_destroy(ch);
    }
    return st;
}

/** Binary search. @return the index of the key, or where it would be inserted (*found false). */
static size_t chan_find(const gt_ares_transport *t, const uint8_t *key, bool *found)
{
    size_t lo = 0;
    size_t hi = t->nchans;

    *found = false;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = memcmp(t->chans[mid]->key, key, GT_CHAN_KEY_LEN);
        if (c == 0) {
            *found = true;
            return mid;
        }
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

/** Find or create the channel for (@p a, @p tcp). */
static gt_status chan_get(gt_ares_transport *t, const gt_addr *a, bool tcp, gt_chan **out)
{
    gt_status st = GT_OK;
    uint8_t key[GT_CHAN_KEY_LEN];
    gt_chan *c = NULL;
    bool found;
    size_t pos;

    *out = NULL;
    chan_key(a, tcp, key);
    pos = chan_find(t, key, &found);
    if (found) {
        *out = t->chans[pos];
        goto done;
    }
    if (!gt_array_reserve((void **)&t->chans, &t->capchans, t->nchans, sizeof(*t->chans))) {
        st = GT_ENOMEM;
        goto done;
    }
    c = calloc(1, sizeof(*c));
    if (c == NULL) {
        st = GT_ENOMEM;
        goto done;
    }
    memcpy(c->key, key, GT_CHAN_KEY_LEN);
    c->addr = *a;
    c->tcp = tcp;
    c->unreach = probe_route(a);
    if (c->unreach == GT_OK) {
        st = chan_open(t, a, tcp, &c->ares);
        if (st != GT_OK) {
            goto done;
        }
    }
    memmove(t->chans + pos + 1, t->chans + pos, (t->nchans - pos) * sizeof(*t->chans));
    t->chans[pos] = c;
    t->nchans++;
    *out = c;
    c = NULL;
done:
    free(c);
    return st;
}

/** Two bytes from the system's random source, refilling the buffer when empty. */
static gt_status random_u16(gt_ares_transport *t, uint16_t *out)
{
    gt_status st = GT_OK;

    *out = 0;
    if (t->rand_pos + 2 > sizeof(t->rand_buf)) {
        size_t got = 0;
        while (got < sizeof(t->rand_buf)) {
            ssize_t n = read(t->rand_fd, t->rand_buf + got, sizeof(t->rand_buf) - got);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                st = GT_ETRANSPORT;
                goto done;
            }
            got += (size_t)n;
        }
        t->rand_pos = 0;
    }
    *out = (uint16_t)(t->rand_buf[t->rand_pos] << 8 | t->rand_buf[t->rand_pos + 1]);
    t->rand_pos += 2;
done:
    return st;
}

static bool id_in_use(const gt_chan *c, uint16_t id)
{
    const gt_query *q;
    for (q = c->queries; q != NULL; q = q->chan_next) {
        if (q->id == id) {
            return true;
        }
    }
    return false;
}

/** Pick a random ID not used by any query outstanding on @p c. */
static gt_status pick_id(gt_ares_transport *t, const gt_chan *c, uint16_t *out)
{
    gt_status st = GT_ELIMIT;
    unsigned i;

    for (i = 0; i < GT_TRANSPORT_ID_DRAWS; i++) {
        st = random_u16(t, out);
        if (st != GT_OK) {
            goto done;
        }
        if (!id_in_use(c, *out)) {
            goto done;
        }
        st = GT_ELIMIT;
    }
done:
    return st;
}

static void chan_link(gt_chan *c, gt_query *q)
{
    q->chan_prev = NULL;
    q->chan_next = c->queries;
    if (c->queries != NULL) {
        c->queries->chan_prev = q;
    }
    c->queries = q;
    c->outstanding++;
}

static void chan_unlink(gt_chan *c, gt_query *q)
{
    if (q->chan_prev != NULL) {
        q->chan_prev->chan_next = q->chan_next;
    } else {
        c->queries = q->chan_next;
    }
    if (q->chan_next != NULL) {
        q->chan_next->chan_prev = q->chan_prev;
    }
    q->chan_next = q->chan_prev = NULL;
    c->outstanding--;
}

static void defer_push(gt_ares_transport *t, gt_query *q)
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

static void query_free(gt_query *q)
{
    if (q != NULL) {
        free(q->data);
        free(q);
    }
}

/** The one ares callback for every query. */
static void on_ares_reply(void *arg, int status, int timeouts, unsigned char *abuf, int alen);

/*
 * Give a UDP server a fresh c-ares channel (a new socket, a new random source port) after
 * GT_QUERIES_PER_SOCKET queries. The old channel is kept until its replies are in and is
 * destroyed by the run loop (never here: we may be inside one of its callbacks).
 */
static void maybe_rotate(const gt_ares_transport *t, gt_chan *c)
{
    if (c->tcp || c->sent < GT_QUERIES_PER_SOCKET || c->nold >= GT_MAX_OLD_CHANNELS) {
        return;
    }
    ares_channel fresh = NULL;
    if (chan_open(t, &c->addr, c->tcp, &fresh) != GT_OK) {
        return; /* keep using the current one */
    }
    c->old[c->nold] = c->ares;
    c->old_out[c->nold] = c->cur_out;
    c->nold++;
    c->ares = fresh;
    c->cur_out = 0;
    c->sent = 0;
}

/* Hand query @p q (its bytes in q->data) to c-ares on its channel. */
static gt_status dispatch(gt_ares_transport *t, gt_query *q)
{
    gt_chan *c = q->chan;
    maybe_rotate(t, c);
    gt_status st = pick_id(t, c, &q->id);
    if (st != GT_OK) {
        return st;
    }
    q->data[0] = (uint8_t)(q->id >> 8);
    q->data[1] = (uint8_t)(q->id & 0xff);
    clock_gettime(CLOCK_MONOTONIC, &q->start);
    uint8_t *buf = q->data;
    size_t len = q->len;
    q->data = NULL; /* the reply may be stored there later */
    q->len = 0;
    q->state = GT_Q_SENDING;
    q->ach = c->ares;
    c->sent++;
    t->in_send++;
    ares_send(c->ares, buf, (int)len, on_ares_reply, q);
    t->in_send--;
    free(buf);
    /* ares_send() copies the query. If it already called back, q sits in the deferred
     * queue now; otherwise c-ares owns it until on_ares_reply(). */
    if (q->state == GT_Q_SENDING) {
        q->state = GT_Q_OUTSTANDING;
        chan_link(c, q);
        c->cur_out++;
        t->outstanding++;
    }
    return GT_OK;
}

/* One reply (or failure) is in for a query that was out on channel @p ach of @p c. */
static void chan_settle(gt_chan *c, ares_channel ach)
{
    if (ach == c->ares) {
        c->cur_out--;
        return;
    }
    for (size_t i = 0; i < c->nold; i++) {
        if (c->old[i] == ach) {
            c->old_out[i]--;
            return;
        }
    }
}

/* Destroy retired channels with nothing left out (from the run loop only). */
static void chan_reap(gt_chan *c)
{
    for (size_t i = 0; i < c->nold;) {
        if (c->old_out[i] > 0) {
            i++;
            continue;
        }
        ares_destroy(c->old[i]);
        c->nold--;
        c->old[i] = c->old[c->nold];
        c->old_out[i] = c->old_out[c->nold];
    }
}

/* Start waiting queries of @p c while it has free slots. */
static void chan_pump(gt_ares_transport *t, gt_chan *c)
{
    while (c->wait_head != NULL && c->outstanding < GT_MAX_INFLIGHT_PER_SERVER) {
        gt_query *q = c->wait_head;
        c->wait_head = q->next;
        if (c->wait_head == NULL) {
            c->wait_tail = NULL;
        }
        q->next = NULL;
        t->waiting--;
        if (dispatch(t, q) != GT_OK) {
            free(q->data);
            q->data = NULL;
            q->len = 0;
            q->status = GT_ETRANSPORT;
            defer_push(t, q);
        }
    }
}

static void on_ares_reply(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
    gt_query *q = arg;
    gt_ares_transport *t = q->t;
    gt_reply r;

    (void)timeouts;
    if (q->state == GT_Q_OUTSTANDING) {
        chan_unlink(q->chan, q);
        chan_settle(q->chan, q->ach);
        t->outstanding--;
        if (status != ARES_EDESTRUCTION && status != ARES_ECANCELLED) {
            chan_pump(t, q->chan);
        }
    }
    if (status == ARES_EDESTRUCTION || status == ARES_ECANCELLED) {
        /* Only from destroy: no user callback. */
        query_free(q);
        return;
    }

    memset(&r, 0, sizeof(r));
    r.rtt_ms = elapsed_ms(&q->start);
    if (abuf != NULL && alen > 0) {
        /* Whatever came back is data, even when c-ares put a status on it: the caller
         * reads the real rcode from the message. */
        r.status = GT_OK;
        r.data = abuf;
        r.len = (size_t)alen;
    } else {
        r.status = status == ARES_SUCCESS ? GT_ETRANSPORT : map_ares_status(status);
    }

    if (t->in_send) {
        /* Called synchronously from ares_send(): keep a copy for the run loop. */
        q->status = r.status;
        q->rtt_ms = r.rtt_ms;
        if (r.len > 0) {
            q->data = malloc(r.len);
            if (q->data == NULL) {
                q->status = GT_ENOMEM;
            } else {
                memcpy(q->data, r.data, r.len);
                q->len = r.len;
            }
        }
        defer_push(t, q);
        return;
    }
    q->fn(q->arg, &r);
    query_free(q);
}

static gt_status ares_tr_send(gt_transport *base, const gt_addr *server, bool tcp,
                              const uint8_t *query, size_t len, gt_reply_fn fn, void *arg)
{
    gt_ares_transport *t = (gt_ares_transport *)base;
    gt_status st = GT_OK;
    gt_query *q = NULL;
    gt_chan *c = NULL;
    uint8_t *buf = NULL;

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
    clock_gettime(CLOCK_MONOTONIC, &q->start);

    st = chan_get(t, server, tcp, &c);
    if (st != GT_OK) {
        goto done;
    }
    q->chan = c;
    if (c->unreach != GT_OK) {
        st = c->unreach; /* no route: said at once, no callback (the caller skips the family) */
        goto done;
    }

    buf = malloc(len);
    if (buf == NULL) {
        st = GT_ENOMEM;
        goto done;
    }
    memcpy(buf, query, len);
    q->data = buf;
    q->len = len;
    buf = NULL;
    if (c->outstanding >= GT_MAX_INFLIGHT_PER_SERVER || c->wait_head != NULL) {
        q->state = GT_Q_WAITING;
        if (c->wait_tail != NULL) {
            c->wait_tail->next = q;
        } else {
            c->wait_head = q;
        }
        c->wait_tail = q;
        t->waiting++;
        q = NULL;
        goto done;
    }
    st = dispatch(t, q);
    if (st != GT_OK) {
        goto done;
    }
    q = NULL;
done:
    free(buf);
    query_free(q);
    return st;
}

/** Deliver every queued result (callbacks may queue more; those are delivered too). */
static void deliver_deferred(gt_ares_transport *t)
{
    while (t->deferred_head != NULL) {
        gt_query *q = t->deferred_head;
        gt_reply r;

        t->deferred_head = q->next;
        if (t->deferred_head == NULL) {
            t->deferred_tail = NULL;
        }
        memset(&r, 0, sizeof(r));
        r.status = q->status;
        r.data = q->data;
        r.len = q->len;
        r.rtt_ms = q->rtt_ms;
        q->fn(q->arg, &r);
        query_free(q);
    }
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

/**
 * Collect the sockets of all channels with outstanding queries into t->pfds.
 * @param nfds set to the number of entries
 * @param wait_ms set to the smallest c-ares timeout over those channels
 */
/* Add the sockets c-ares wants watched on @p ach, and lower @p best_ms to its next timer. */
static gt_status add_fds(gt_ares_transport *t, ares_channel ach, size_t *n, long *best_ms)
{
    ares_socket_t socks[ARES_GETSOCK_MAXNUM];
    struct timeval tv;
    struct timeval *tvp;
    /* Decoded by hand: the ARES_GETSOCK_WRITABLE macro shifts a signed 1 into the sign
     * bit for the last socket, which is undefined behaviour. */
    unsigned bits = (unsigned)ares_getsock(ach, socks, ARES_GETSOCK_MAXNUM);
    for (unsigned k = 0; k < ARES_GETSOCK_MAXNUM; k++) {
        short ev = 0;
        if ((bits >> k) & 1u) {
            ev |= POLLIN;
        }
        if ((bits >> (k + ARES_GETSOCK_MAXNUM)) & 1u) {
            ev |= POLLOUT;
        }
        if (ev == 0) {
            continue;
        }
        gt_status st = pfds_reserve(t, *n + 1);
        if (st != GT_OK) {
            return st;
        }
        t->pfds[*n].fd = socks[k];
        t->pfds[*n].events = ev;
        t->pfds[*n].revents = 0;
        t->pfd_chans[*n] = ach;
        (*n)++;
    }
    tvp = ares_timeout(ach, NULL, &tv);
    if (tvp != NULL) {
        long ms = (long)tvp->tv_sec * 1000L + (long)(tvp->tv_usec + 999) / 1000L;
        if (ms < *best_ms) {
            *best_ms = ms;
        }
    }
    return GT_OK;
}

static gt_status collect_fds(gt_ares_transport *t, size_t *nfds, int *wait_ms)
{
    gt_status st = GT_OK;
    long best_ms = GT_TRANSPORT_POLL_MAX_MS;
    size_t n = 0;

    *nfds = 0;
    for (size_t i = 0; i < t->nchans && st == GT_OK; i++) {
        gt_chan *c = t->chans[i];
        if (c->ares == NULL || c->outstanding == 0) {
            continue;
        }
        if (c->cur_out > 0) {
            st = add_fds(t, c->ares, &n, &best_ms);
        }
        for (size_t k = 0; k < c->nold && st == GT_OK; k++) {
            if (c->old_out[k] > 0) {
                st = add_fds(t, c->old[k], &n, &best_ms);
            }
        }
    }
    *nfds = n;
    *wait_ms = best_ms < 0 ? 0 : (int)best_ms;
    return st;
}

static gt_status ares_tr_run(gt_transport *base)
{
    gt_ares_transport *t = (gt_ares_transport *)base;
    gt_status st = GT_OK;
    bool entered = false;

    if (t == NULL || t->in_run) {
        st = GT_EINVAL; /* not re-entrant: callbacks must not call run() */
        goto done;
    }
    t->in_run = 1;
    entered = true;
    for (;;) {
        size_t nfds = 0;
        size_t i;
        size_t nchans;
        int wait_ms = 0;
        int rc;

        deliver_deferred(t);
        if (t->outstanding == 0 && t->waiting > 0) {
            for (i = 0; i < t->nchans; i++) {
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
            goto done;
        }
        rc = poll(t->pfds, (nfds_t)nfds, wait_ms);
        if (rc < 0) {
            if (errno == EINTR) {
                continue;
            }
            st = GT_ETRANSPORT;
            goto done;
        }
        /* Ready sockets first. Callbacks may add channels and queries; t->pfds stays valid
         * because only collect_fds() resizes it, and channel pointers are stable. */
        for (i = 0; i < nfds; i++) {
            const struct pollfd *p = &t->pfds[i];
            ares_socket_t rfd = ARES_SOCKET_BAD;
            ares_socket_t wfd = ARES_SOCKET_BAD;

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
        /* Then timeouts of every busy channel (processing with no fd only checks timers). */
        nchans = t->nchans;
        for (i = 0; i < nchans && i < t->nchans; i++) {
            gt_chan *c = t->chans[i];
            if (c->ares != NULL && c->cur_out > 0) {
                ares_process_fd(c->ares, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
            }
            for (size_t k = 0; k < c->nold; k++) {
                if (c->old_out[k] > 0) {
                    ares_process_fd(c->old[k], ARES_SOCKET_BAD, ARES_SOCKET_BAD);
                }
            }
            chan_reap(c);
        }
    }
done:
    if (entered) {
        t->in_run = 0;
    }
    return st;
}

static void ares_tr_destroy(gt_transport *base)
{
    gt_ares_transport *t = (gt_ares_transport *)base;
    size_t i;

    if (t == NULL) {
        return;
    }
    /* Destroying a channel calls back each outstanding query with ARES_EDESTRUCTION;
     * on_ares_reply() frees them without calling the user. */
    for (i = 0; i < t->nchans; i++) {
        gt_chan *c = t->chans[i];
        while (c->wait_head != NULL) {
            gt_query *q = c->wait_head;
            c->wait_head = q->next;
            query_free(q);
        }
        for (size_t k = 0; k < c->nold; k++) {
            ares_destroy(c->old[k]);
        }
        if (c->ares != NULL) {
            ares_destroy(c->ares);
        }
        free(c);
    }
    while (t->deferred_head != NULL) {
        gt_query *q = t->deferred_head;
        t->deferred_head = q->next;
        query_free(q);
    }
    free(t->chans);
    free(t->pfds);
    free(t->pfd_chans);
    if (t->rand_fd >= 0) {
        close(t->rand_fd);
    }
    if (t->lib_init) {
        ares_library_cleanup();
    }
    free(t);
}

static const gt_transport_ops gt_ares_ops = {
    .send = ares_tr_send,
    .run = ares_tr_run,
    .destroy = ares_tr_destroy,
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
