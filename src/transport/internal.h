/*
 * Types shared by the three files of the c-ares transport (private to src/transport):
 * transport.c (queries, retries, event loop), channel.c (channels, IDs) and socket.c (our
 * socket functions and what they count).
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

/** One ares channel, bound to one server address, port and transport. */
typedef struct gt_chan {
    struct gt_ares_transport *t;  /**< owning transport (socket functions get the channel) */
    uint8_t key[GT_CHAN_KEY_LEN]; /**< sort key, see gt_chan_key() */
    ares_channel ares;            /**< the channel; NULL when @ref unreach is set */
    gt_status unreach;            /**< GT_OK, or GT_ENETUNREACH when the probe found no route */
    size_t outstanding;           /**< queries submitted to this channel and not yet answered */
    size_t cap;                   /**< most queries in flight here (lowered when a TCP server
                                       closes connections after a few replies) */
    struct gt_txq *queries;       /**< those queries (list through chan_next/chan_prev) */
    struct gt_txq *wait_head;     /**< queries waiting for a free slot (@ref cap) */
    struct gt_txq *wait_tail;     /**< last of them */
    gt_addr addr;                 /**< the server */
    bool tcp;                     /**< TCP channel */
    size_t sent;                  /**< queries given to @ref ares (rotation, UDP) */
    size_t cur_out;               /**< of @ref outstanding, those on @ref ares */
    ares_channel old[GT_MAX_OLD_CHANNELS]; /**< retired channels with replies still due */
    size_t old_out[GT_MAX_OLD_CHANNELS];   /**< outstanding queries on each */
    size_t nold;                           /**< entries used in @ref old */
    uint16_t late[GT_LATE_IDS];            /**< IDs of tries that timed out (ring) */
    size_t nlate;                          /**< IDs ever put in @ref late */
    gt_sockev ev;                          /**< how the last connection/socket ended */
    size_t ev_got;                         /**< GT_EV_CUT: message bytes received */
    size_t ev_want;                        /**< GT_EV_CUT: bytes promised */
    size_t ev_done;                        /**< messages that connection delivered in full */
    gt_wire_count wire;                    /**< counts for gt_transport_wire() */
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
    uint8_t *data;               /**< deferred reply copy (owned), or NULL */
    size_t len;                  /**< length of @ref data (GT_ESHORTREAD: bytes received) */
    size_t expected;             /**< GT_ESHORTREAD: bytes promised */
    double rtt_ms;               /**< deferred round-trip time */
    unsigned tries_left;         /**< tries after the current one */
    unsigned resends;            /**< free resends after a TCP close (GT_MAX_TCP_RESENDS) */
    struct gt_txq *next;         /**< link in the deferred or waiting queue */
    struct gt_txq *chan_next;    /**< link in the channel's outstanding list */
    struct gt_txq *chan_prev;    /**< back link in that list */
    uint16_t id;                 /**< query ID of the current try */
    ares_channel ach;            /**< the c-ares channel the current try went out on */
} gt_txq;

/** What our socket functions know about one open socket. */
typedef struct gt_sock {
    gt_chan *chan;   /**< channel whose c-ares opened it; NULL for a free slot */
    int type;        /**< SOCK_DGRAM or SOCK_STREAM */
    uint8_t lenbuf;  /**< TCP: bytes of the current length prefix seen (0..2) */
    uint16_t msglen; /**< TCP: length of the current message */
    size_t msggot;   /**< TCP: its bytes seen so far */
    size_t done;     /**< TCP: complete messages seen on this connection */
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
    size_t capsocks;         /**< allocated slots in @ref socks */
    gt_wire_count *wire;     /**< scratch array for gt_transport_wire() */
    size_t outstanding;      /**< queries owned by c-ares across all channels */
    size_t waiting;          /**< queries queued on channels, not yet given to c-ares */
    gt_txq *deferred_head;   /**< queue of finished results waiting for run() */
    gt_txq *deferred_tail;   /**< last element of that queue */
    int in_send;             /**< nonzero while inside ares_send() */
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
void gt_chan_settle(gt_chan *c, ares_channel ach);
/** Destroy retired channels with nothing left out (from the run loop only). */
void gt_chan_reap(gt_chan *c);
/** Remember the ID of a try that timed out (a reply may still come). */
void gt_chan_late_id(gt_chan *c, uint16_t id);

/* socket.c */

/** The socket functions every channel uses (user data: its gt_chan). */
extern const struct ares_socket_functions gt_sock_funcs;
/** Free the socket table. */
void gt_socks_free(gt_ares_transport *t);

#endif
