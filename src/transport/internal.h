/*
 * Types shared by the files of the c-ares transport (private to src/transport): transport.c
 * (queries, retries, event loop), channel.c (channels, IDs), socket.c (our socket functions:
 * what goes out, what comes back, what is counted), cares.c (the one place that knows which
 * c-ares it is built against) and cookie.c (DNS cookies, RFC 7873).
 */
#ifndef GLUETRACE_TRANSPORT_INTERNAL_H
#define GLUETRACE_TRANSPORT_INTERNAL_H

/* ares.h uses fd_set and struct timeval without including their headers. */
#include <sys/select.h>
#include <sys/time.h>

#include <ares.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>

#include "gluetrace/transport/transport.h"

/** Size of a DNS header; a query shorter than this is rejected (RFC 1035 4.1.1). */
#define GT_TRANSPORT_QUERY_MIN 12
/** Random bytes fetched from the system at a time (two per query ID). */
#define GT_TRANSPORT_RAND_BUF 256
/**
 * Most queries in flight to one server (per transport) at once; more wait on the channel.
 * Politeness, and bounded reply bursts: a socket's receive buffer that overflows drops
 * replies (with GT_QUERIES_PER_SOCKET, a burst is spread over many sockets). High enough
 * that a big zone cut's checks never wait.
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
/** IDs of tries that timed out, remembered per server so a late reply is not called forged. */
#define GT_LATE_IDS 64
/**
 * Times one query may be sent again, without using up a try, because the server closed a
 * TCP connection that had answered other queries (RFC 7766 section 6.2.4 lets servers close
 * idle or busy connections; the client opens a new one).
 */
#define GT_MAX_TCP_RESENDS 8

/** How the last connection (or socket) of a channel ended, as our socket functions saw it. */
typedef enum {
    GT_EV_NONE = 0, /**< nothing noteworthy */
    GT_EV_REFUSED,  /**< ECONNREFUSED: ICMP port unreachable, or TCP connection refused */
    GT_EV_NOROUTE,  /**< ENETUNREACH / EHOSTUNREACH / EADDRNOTAVAIL at connect or send */
    GT_EV_RESET,    /**< TCP reset (ECONNRESET or EPIPE) */
    GT_EV_CLOSED,   /**< TCP end of stream between messages */
    GT_EV_CUT,      /**< TCP end of stream inside a message */
} gt_sockev;

struct gt_ares_transport;
struct gt_txq;
struct gt_chan;

/** Client cookie length (RFC 7873 section 4). */
#define GT_COOKIE_CLIENT 8
/** Longest COOKIE option: client cookie and a server cookie of up to 32 bytes. */
#define GT_COOKIE_MAX 40
/**
 * One c-ares channel of a gt_chan (the current one or a retired one still waiting for
 * replies); our socket functions and the socket-state callback get it as user data.
 */
typedef struct gt_ach {
    struct gt_chan *chan;         /**< the server's channel record */
    ares_channel ares;            /**< the c-ares channel */
    size_t out;                   /**< queries out on it */
    bool refused;                 /**< an ICMP port unreachable came back: cancel what is left */
    uint8_t ck[GT_COOKIE_CLIENT]; /**< its client cookie (cookie.c; c-ares 1.18 only) */
    bool ck_drawn;                /**< @ref ck has been drawn */
} gt_ach;

/** One server: its current c-ares channel and retired ones, bound to one address and port. */
typedef struct gt_chan {
    struct gt_ares_transport *t;      /**< owning transport */
    uint8_t key[GT_CHAN_KEY_LEN];     /**< sort key, see gt_chan_key() */
    gt_ach *cur;                      /**< the current c-ares channel; NULL when @ref unreach */
    gt_status unreach;                /**< GT_OK, or GT_ENETUNREACH when the probe found no route */
    size_t outstanding;               /**< queries submitted to this channel and not yet answered */
    size_t cap;                       /**< most queries in flight here (lowered when a TCP server
                                           closes connections after a few replies) */
    struct gt_txq *queries;           /**< those queries (list through chan_next/chan_prev) */
    struct gt_txq *wait_head;         /**< queries waiting for a free slot (@ref cap) */
    struct gt_txq *wait_tail;         /**< last of them */
    gt_addr addr;                     /**< the server */
    bool tcp;                         /**< TCP channel */
    size_t sent;                      /**< queries given to @ref cur (rotation, UDP) */
    gt_ach *old[GT_MAX_OLD_CHANNELS]; /**< retired channels with replies still due */
    size_t nold;                      /**< entries used in @ref old */
    uint16_t late[GT_LATE_IDS];       /**< IDs of tries that timed out (ring) */
    size_t nlate;                     /**< IDs ever put in @ref late */
    gt_sockev ev;                     /**< how the last connection/socket ended */
    size_t ev_got;                    /**< GT_EV_CUT: message bytes received */
    size_t ev_want;                   /**< GT_EV_CUT: bytes promised */
    size_t ev_done;                   /**< messages that connection delivered in full */
    gt_wire_count wire;               /**< counts for gt_transport_wire() */
} gt_chan;

/** State of a gt_txq. */
typedef enum {
    GT_Q_SENDING = 0, /**< inside ares_send() */
    GT_Q_OUTSTANDING, /**< c-ares owns the query; its callback will come from the run loop */
    GT_Q_WAITING,     /**< queued on its channel until fewer queries are in flight there */
    GT_Q_DEFERRED,    /**< finished, result copied and queued for the run loop */
} gt_qstate;

/** One submitted query, from send() until its user callback returned. */
typedef struct gt_txq {
    struct gt_ares_transport *t; /**< owning transport */
    gt_chan *chan;               /**< channel it was sent on (NULL if never sent) */
    gt_reply_fn fn;              /**< user callback */
    void *arg;                   /**< user argument */
    struct timespec first;       /**< CLOCK_MONOTONIC at the first send */
    struct timespec start;       /**< CLOCK_MONOTONIC at the current try's send */
    gt_qstate state;             /**< see gt_qstate */
    gt_status status;            /**< deferred result status */
    uint8_t *query;              /**< our copy of the query (owned; tries resend it) */
    size_t qlen;                 /**< its length */
    uint8_t *wire;               /**< the bytes of the current try as written to the socket
                                      (owned; read back by socket.c), or NULL */
    size_t wlen;                 /**< their length */
    bool refused;                /**< its UDP socket was refused while it was out */
    bool standin_name;           /**< c-ares was given the question name with every label
                                      byte as 'x' (its writer refuses some names); socket.c
                                      puts the real name back into what c-ares writes */
    uint8_t *raw;                /**< the reply as it came off the socket (owned), or NULL */
    size_t rawlen;               /**< its length */
    uint8_t *data;               /**< deferred reply copy (owned), or NULL */
    size_t len;                  /**< length of @ref data (GT_ESHORTREAD: bytes received) */
    size_t expected;             /**< GT_ESHORTREAD: bytes promised */
    double rtt_ms;               /**< deferred round-trip time */
    unsigned tries_left;         /**< tries after the current one */
    unsigned resends;            /**< free resends after a TCP close (GT_MAX_TCP_RESENDS) */
    struct gt_txq *next;         /**< link in the deferred or waiting queue */
    struct gt_txq *chan_next;    /**< link in the channel's outstanding list */
    struct gt_txq *chan_prev;    /**< back link in that list */
    uint16_t id;                 /**< query ID of the current try (as on the wire) */
    gt_ach *ach;                 /**< the c-ares channel the current try went out on */
} gt_txq;

/** What our socket functions know about one open socket. */
typedef struct gt_sock {
    gt_ach *ach;      /**< c-ares channel that opened it; NULL for a free slot */
    int type;         /**< SOCK_DGRAM or SOCK_STREAM */
    short events;     /**< POLLIN / POLLOUT c-ares wants watched (socket-state callback) */
    uint8_t lenbuf;   /**< TCP: bytes of the current length prefix seen (0..2) */
    uint16_t msglen;  /**< TCP: length of the current message */
    size_t msggot;    /**< TCP: its bytes seen so far */
    size_t done;      /**< TCP: complete messages seen on this connection */
    uint8_t *msg;     /**< TCP: the current incoming message (GT_MSG_MAX bytes, owned) */
    uint8_t *wmsg;    /**< TCP: the current outgoing message (GT_MSG_MAX bytes, owned) */
    uint8_t wlenbuf;  /**< TCP: bytes of the outgoing length prefix written (0..2) */
    uint16_t wmsglen; /**< TCP: length of the outgoing message */
    size_t wmsggot;   /**< TCP: its bytes written so far */
    uint8_t *obuf;    /**< TCP: stand-in bytes queued for c-ares to read (owned), or NULL */
    size_t olen;      /**< bytes in @ref obuf */
    size_t opos;      /**< of those, read by c-ares */
    size_t ocap;      /**< allocated size of @ref obuf */
    bool eof;         /**< TCP: the server ended the stream (c-ares reads it after @ref obuf) */
} gt_sock;

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
    gt_sock *socks;          /**< indexed by descriptor: our view of c-ares' sockets */
    uint8_t *rbuf;           /**< scratch for one datagram (GT_MSG_MAX bytes), or NULL */
    uint8_t *wbuf;           /**< scratch for one write (2 + GT_MSG_MAX bytes), or NULL */
    size_t capsocks;         /**< allocated slots in @ref socks */
    gt_wire_count *wire;     /**< scratch array for gt_transport_wire() */
    size_t outstanding;      /**< queries owned by c-ares across all channels */
    size_t waiting;          /**< queries queued on channels, not yet given to c-ares */
    gt_txq *deferred_head;   /**< queue of finished results waiting for run() */
    gt_txq *deferred_tail;   /**< last element of that queue */
    int in_send;             /**< nonzero while inside ares_send() */
    gt_txq *sending;         /**< the query being handed to c-ares (its write is read back) */
    bool repump;             /**< a query was queued again from inside a send: pump in run() */
    int in_run;              /**< nonzero while run() is active */
    bool stop_req;           /**< stop() was called: run() drops everything and returns */
    bool yield_req;          /**< yield() was called in a callback: run() returns, keeping all */
    double deadline_ms;      /**< deadline(): run() returns by this clock (ms); 0: none */
    bool dropping;           /**< inside drop_all(): cancelled queries get no callback */
    int lib_init;            /**< ares_library_init() succeeded */
    int rand_fd;             /**< the system random device, or -1 */
    uint8_t rand_buf[GT_TRANSPORT_RAND_BUF]; /**< unused random bytes */
    size_t rand_pos;                         /**< next unused byte in @ref rand_buf */
} gt_ares_transport;

/* transport.c */

/** With opts.debug_wire: log query message @p msg ("built" by us, or "sent": as written). */
void gt_wire_log(const gt_ares_transport *t, const char *what, bool tcp, const uint8_t *msg,
                 size_t n);

/* channel.c */

/** Find or create the channel for (@p a, @p tcp); a new channel is given our socket functions. */
gt_status gt_chan_get(gt_ares_transport *t, const gt_addr *a, bool tcp, gt_chan **out);
/** Free a channel: its waiting queries (without callbacks) and its c-ares channels. */
void gt_chan_free(gt_chan *c, void (*free_query)(gt_txq *q));
/** A random ID not used by any query outstanding on @p c (RFC 5452 section 9.2). */
gt_status gt_chan_pick_id(gt_ares_transport *t, const gt_chan *c, uint16_t *out);
/** Give a UDP server a fresh c-ares channel after GT_QUERIES_PER_SOCKET queries. */
void gt_chan_rotate(gt_chan *c);
/** Link @p q into the outstanding list of @p c. */
void gt_chan_link(gt_chan *c, gt_txq *q);
/** Unlink @p q from the outstanding list of @p c. */
void gt_chan_unlink(gt_chan *c, gt_txq *q);
/** One query that was out on c-ares channel @p ach of @p c is settled. */
void gt_chan_settle(gt_chan *c, gt_ach *ach);
/** Destroy retired channels with nothing left out (from the run loop only). */
void gt_chan_reap(gt_chan *c);
/** Remember the ID of a try that timed out (a reply may still come). */
void gt_chan_late_id(gt_chan *c, uint16_t id);

/* socket.c (the socket functions get the gt_ach as user data) */

/** Open a socket for c-ares (non-blocking, close-on-exec, -S bound). */
ares_socket_t gt_sock_open(int domain, int type, int protocol, void *user_data);
/** Close one. */
int gt_sock_close(ares_socket_t fd, void *user_data);
/** Connect one; failures are noted for the transport's status. */
int gt_sock_connect(ares_socket_t fd, const struct sockaddr *addr, ares_socklen_t len,
                    void *user_data);
/**
 * Read for c-ares. UDP: every datagram is judged here (source, length, ID, question, cookie);
 * one that answers an outstanding query is kept as that query's reply and c-ares is given a
 * stand-in it cannot misread (see socket.c); every other one is counted and never reaches
 * c-ares. TCP: the stream is followed and each complete message kept for its query.
 */
ares_ssize_t gt_sock_recvfrom(ares_socket_t fd, void *buf, size_t len, int flags,
                              struct sockaddr *from, ares_socklen_t *fromlen, void *user_data);
/** Write for c-ares (MSG_NOSIGNAL); what was written is read back for its query. */
ares_ssize_t gt_sock_writev(ares_socket_t fd, const struct iovec *iov, int iovcnt, void *user_data);
/** Are stand-in bytes waiting for c-ares to read on @p s (poll again at once)? */
bool gt_sock_pending(const gt_sock *s);
/** Socket-state callback: the events c-ares wants watched on @p fd. */
void gt_sock_state(void *data, ares_socket_t fd, int readable, int writable);
/** Free the socket table. */
void gt_socks_free(gt_ares_transport *t);

/* cares.c: every call whose form depends on the c-ares version */

/** The c-ares version this was compiled against, for --version and the tests. */
const char *gt_cares_built(void);
/** Set the options that keep c-ares from doing anything we did not ask for (see cares.c). */
void gt_cares_options(struct ares_options *o, int *optmask, unsigned timeout_ms);
/** Make @p a (with its port) the one server of @p ch. */
gt_status gt_cares_set_server(ares_channel ch, const gt_addr *a);
/** Give @p ch our socket functions with @p ach as their user data. */
gt_status gt_cares_set_sockfuncs(ares_channel ch, gt_ach *ach);
/**
 * Hand @p q's current try (q->query, ID and cookie already in place) to c-ares on @p ach.
 * c-ares calls gt_cares_done() back, maybe from inside this call.
 */
gt_status gt_cares_send(gt_ach *ach, gt_txq *q);
/** The end of a try, as c-ares reports it (implemented in transport.c). */
void gt_cares_done(gt_txq *q, int status);
/**
 * Length of the question name at offset 12 of @p msg when it is written without compression
 * pointers, else 0; with @p x, every label byte is replaced by 'x' (a name any c-ares writes).
 */
size_t gt_cares_qname(uint8_t *msg, size_t len, bool x);
/** Does this c-ares put its own client cookie into UDP queries with EDNS? */
bool gt_cares_owns_cookie(void);

/* cookie.c */

/**
 * Find the COOKIE option in @p msg (the OPT RR of the additional section).
 * @param[out] off offset of the option's data in @p msg (0 when none)
 * @param[out] len its length
 * @return true when @p msg has an OPT RR (whether or not it carries a cookie)
 */
bool gt_cookie_find(const uint8_t *msg, size_t mlen, size_t *off, size_t *len);
/** A fresh client cookie for the next UDP query with EDNS (c-ares 1.18; cookie.c). */
gt_status gt_cookie_next(gt_ares_transport *t, uint8_t out[GT_COOKIE_CLIENT]);
/**
 * Put a COOKIE option with @p ck (@p cklen bytes; 0 removes one) into the OPT RR of
 * @p msg, replacing one that is there. @p msg is reallocated. GT_OK also when it has no OPT.
 */
gt_status gt_cookie_put(uint8_t **msg, size_t *mlen, const uint8_t *ck, size_t cklen);
/** Random bytes from the transport's buffer of the system's random source. */
gt_status gt_random(gt_ares_transport *t, uint8_t *out, size_t n);

#endif
