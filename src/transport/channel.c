/*
 * Channels of the c-ares transport: one ares channel per (server address, port, UDP or TCP),
 * created on first use and kept; UDP channels are rotated every GT_QUERIES_PER_SOCKET queries
 * so queries leave from fresh random ports; query IDs are drawn here.
 *
 * Channels never see the system resolver configuration: ares_init_options() is given every
 * setting it would otherwise look up (servers, sortlist, domains, lookups, ndots, timeout,
 * tries), which makes c-ares 1.18 skip resolv.conf, nsswitch.conf and host.conf entirely (its
 * "config complete" check), and RES_OPTIONS/LOCALDOMAIN only fill unset values. The
 * resolv.conf path is additionally pointed at the null device as a second fence.
 *
 * Every channel makes one try per send (tries = 1): c-ares 1.18 doubles the timeout on each
 * further try to a lone server, so transport.c retries itself with the same wait. What differs
 * between c-ares versions is in cares.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gluetrace/base/array.h"
#include "internal.h"

/** Initial capacity of the channel table (grows by doubling). */
#define GT_TRANSPORT_CHANNELS_INIT 16
/** Draws of a query ID before giving up on finding one not in use on the channel. */
#define GT_TRANSPORT_ID_DRAWS 64
/**
 * EDNS payload size c-ares is told (its UDP read buffer on 1.18). It never reads a real reply:
 * socket.c reads whole datagrams (up to 65535 bytes) and gives c-ares a small stand-in.
 */
#define GT_ARES_UDP_MAX 4096

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

/** Destroy one c-ares channel and its record; NULL accepted. */
static void ach_free(gt_ach *ach)
{
    if (ach != NULL) {
        if (ach->ares != NULL) {
            ares_destroy(ach->ares);
        }
        free(ach);
    }
}

/** Create a c-ares channel that talks to the server of @p c only, never reading the system
 * configuration. */
static gt_status chan_open(gt_chan *c, gt_ach **out)
{
    const gt_ares_transport *t = c->t;
    bool tcp = c->tcp;
    gt_status st = GT_OK;
    struct ares_options o;
    char lookups[] = "b";
    char resolvconf[] = "/dev/null";
    gt_ach *ach = NULL;
    int optmask;
    int rc;

    *out = NULL;
    ach = calloc(1, sizeof(*ach));
    if (ach == NULL) {
        st = GT_ENOMEM;
        goto done;
    }
    ach->chan = c;
    memset(&o, 0, sizeof(o));
    o.flags = ARES_FLAG_NOCHECKRESP | ARES_FLAG_IGNTC | ARES_FLAG_NOSEARCH | ARES_FLAG_NOALIASES;
    if (tcp) {
        o.flags |= ARES_FLAG_USEVC;
    }
    /* c-ares 1.18 truncates UDP replies to its idea of the payload size: 512 bytes unless
     * ARES_FLAG_EDNS is set, then ednspsz. It never sees a real UDP reply (socket.c gives it a
     * small stand-in), but the flag keeps its buffer large. The stand-in is never a FORMERR,
     * so no version retries without EDNS. */
    if (t->opts.edns) {
        o.flags |= ARES_FLAG_EDNS;
        o.ednspsz = GT_ARES_UDP_MAX;
    }
    o.tries = 1; /* one try per ares_send(): transport.c retries with the same timeout */
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
    optmask = ARES_OPT_FLAGS | ARES_OPT_TRIES | ARES_OPT_NDOTS | ARES_OPT_SERVERS |
              ARES_OPT_DOMAINS | ARES_OPT_LOOKUPS | ARES_OPT_SORTLIST | ARES_OPT_RESOLVCONF |
              (t->opts.edns ? ARES_OPT_EDNSPSZ : 0);
    /* The timeout, the socket-state callback, and what only some versions have (cares.c). */
    gt_cares_options(&o, &optmask, t->opts.timeout_ms);
    o.sock_state_cb_data = ach;
    rc = ares_init_options(&ach->ares, &o, optmask);
    if (rc != ARES_SUCCESS) {
        ach->ares = NULL;
        st = rc == ARES_ENOMEM ? GT_ENOMEM : GT_ETRANSPORT;
        goto done;
    }
    st = gt_cares_set_server(ach->ares, &c->addr);
    if (st != GT_OK) {
        goto done;
    }
    /* -S is applied by socket.c (c-ares 1.18 does not bind sockets it does not manage). Every
     * datagram and TCP read passes through socket.c, which keeps the replies, counts what
     * c-ares would drop and how connections end, and never lets a write raise SIGPIPE. */
    st = gt_cares_set_sockfuncs(ach->ares, ach);
    if (st != GT_OK) {
        goto done;
    }
    *out = ach;
    ach = NULL;
done:
    ach_free(ach);
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
gt_status gt_chan_get(gt_ares_transport *t, const gt_addr *a, bool tcp, gt_chan **out)
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
    c->t = t;
    c->addr = *a;
    c->tcp = tcp;
    c->cap = GT_MAX_INFLIGHT_PER_SERVER;
    c->wire.server = *a;
    c->wire.tcp = tcp;
    c->unreach = probe_route(a);
    if (c->unreach == GT_OK) {
        st = chan_open(c, &c->cur);
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

/** @p n random bytes from the system's random source, refilling the buffer when empty. */
gt_status gt_random(gt_ares_transport *t, uint8_t *out, size_t n)
{
    gt_status st = GT_OK;

    for (size_t i = 0; i < n; i++) {
        if (t->rand_pos >= sizeof(t->rand_buf)) {
            size_t got = 0;
            while (got < sizeof(t->rand_buf)) {
                ssize_t k = read(t->rand_fd, t->rand_buf + got, sizeof(t->rand_buf) - got);
                if (k < 0 && errno == EINTR) {
                    continue;
                }
                if (k <= 0) {
                    st = GT_ETRANSPORT;
                    goto done;
                }
                got += (size_t)k;
            }
            t->rand_pos = 0;
        }
        out[i] = t->rand_buf[t->rand_pos++];
    }
done:
    return st;
}

/** Two random bytes as a query ID. */
static gt_status random_u16(gt_ares_transport *t, uint16_t *out)
{
    uint8_t b[2] = {0, 0};
    gt_status st = gt_random(t, b, sizeof(b));
    *out = (uint16_t)(b[0] << 8 | b[1]);
    return st;
}

static bool id_in_use(const gt_chan *c, uint16_t id)
{
    const gt_txq *q;
    for (q = c->queries; q != NULL; q = q->chan_next) {
        if (q->id == id) {
            return true;
        }
    }
    return false;
}

/** Pick a random ID not used by any query outstanding on @p c. */
gt_status gt_chan_pick_id(gt_ares_transport *t, const gt_chan *c, uint16_t *out)
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

void gt_chan_link(gt_chan *c, gt_txq *q)
{
    q->chan_prev = NULL;
    q->chan_next = c->queries;
    if (c->queries != NULL) {
        c->queries->chan_prev = q;
    }
    c->queries = q;
    c->outstanding++;
}

void gt_chan_unlink(gt_chan *c, gt_txq *q)
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

/*
 * Give a UDP server a fresh c-ares channel (a new socket, a new random source port) after
 * GT_QUERIES_PER_SOCKET queries. The old channel is kept until its replies are in and is
 * destroyed by the run loop (never here: we may be inside one of its callbacks).
 */
void gt_chan_rotate(gt_chan *c)
{
    if (c->cur == NULL || c->tcp || c->sent < GT_QUERIES_PER_SOCKET ||
        c->nold >= GT_MAX_OLD_CHANNELS) {
        return;
    }
    gt_ach *fresh = NULL;
    if (chan_open(c, &fresh) != GT_OK) {
        return; /* keep using the current one */
    }
    c->old[c->nold++] = c->cur;
    c->cur = fresh;
    c->sent = 0;
}

/* One reply (or failure) is in for a query that was out on channel @p ach of @p c. */
void gt_chan_settle(gt_chan *c, gt_ach *ach)
{
    (void)c;
    if (ach != NULL && ach->out > 0) {
        ach->out--;
    }
}

/* Destroy retired channels with nothing left out (from the run loop only). */
void gt_chan_reap(gt_chan *c)
{
    for (size_t i = 0; i < c->nold;) {
        if (c->old[i]->out > 0) {
            i++;
            continue;
        }
        ach_free(c->old[i]);
        c->nold--;
        c->old[i] = c->old[c->nold];
    }
}

void gt_chan_late_id(gt_chan *c, uint16_t id)
{
    c->late[c->nlate % GT_LATE_IDS] = id;
    c->nlate++;
}

void gt_chan_free(gt_chan *c, void (*free_query)(gt_txq *q))
{
    if (c == NULL) {
        return;
    }
    while (c->wait_head != NULL) {
        gt_txq *q = c->wait_head;
        c->wait_head = q->next;
        free_query(q);
    }
    /* Destroying a channel calls back each outstanding query with ARES_EDESTRUCTION;
     * transport.c frees them without calling the user. */
    for (size_t k = 0; k < c->nold; k++) {
        ach_free(c->old[k]);
    }
    ach_free(c->cur);
    free(c);
}
