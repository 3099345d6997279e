/**
 * @file transport.h
 * @brief Sending one query to one server and getting its raw reply back.
 *
 * The engine talks to a gt_transport through its ops table, so tests can replace the
 * network with scripted replies. The real implementation (transport.c) is the only code that
 * touches c-ares: one channel per (server address, transport), never the system resolver
 * configuration, ARES_FLAG_NOCHECKRESP | ARES_FLAG_IGNTC, our own socket functions (so every
 * query written and every datagram and TCP read is seen, kept and counted), c-ares 1.18 or
 * 1.34 (cares.c), one try per c-ares send (retries are ours), and
 * one poll() loop over the sockets of all channels so every outstanding query runs
 * concurrently. Files: transport.c (queries, retries, event loop), channel.c (channels, IDs),
 * socket.c (socket functions and wire accounting), internal.h (their shared types).
 */
#ifndef GLUETRACE_TRANSPORT_H
#define GLUETRACE_TRANSPORT_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gluetrace/base/addr.h"
#include "gluetrace/base/status.h"

/** What came back for one sent query. */
typedef struct gt_reply {
    gt_status status;    /**< GT_OK (reply present), GT_ETIMEOUT (no reply on any try),
                              GT_ECONNREFUSED (ICMP port unreachable or TCP refusal),
                              GT_ENETUNREACH (no route), GT_ECONNRESET, GT_ECLOSED,
                              GT_ESHORTREAD (TCP), GT_ETRANSPORT,
                              GT_ENOMEM */
    const uint8_t *data; /**< reply message (borrowed: valid only during the callback) */
    size_t len;          /**< reply length; GT_ESHORTREAD: message bytes that did come */
    size_t expected;     /**< GT_ESHORTREAD: bytes the length prefix promised; else 0 */
    double rtt_ms;       /**< time from the first send to the reply or the final failure */
} gt_reply;

/** Called exactly once per successfully submitted query; may submit further queries. */
typedef void (*gt_reply_fn)(void *arg, const gt_reply *reply);

typedef struct gt_transport gt_transport;
struct gt_wire_count;

/** Implementation hooks. */
typedef struct gt_transport_ops {
    /**
     * Submit @p query (copied) to @p server over UDP, or TCP when @p tcp. The query's ID is
     * replaced by a random one (ours on c-ares 1.18, the library's on 1.34, read back from
     * the socket either way) and a UDP query with an OPT RR carries a client cookie (cookie.c);
     * the rest goes out as built. The reply is the message as it came off the socket.
     * @return GT_OK (callback will run later, never from inside send) or an error (no
     *         callback will run)
     */
    gt_status (*send)(gt_transport *t, const gt_addr *server, bool tcp, const uint8_t *query,
                      size_t len, gt_reply_fn fn, void *arg);
    /**
     * Process events until no query is outstanding (callbacks may submit more), or until a
     * callback asked it to return early with yield().
     */
    gt_status (*run)(gt_transport *t);
    /** Release everything; outstanding queries are cancelled without callbacks. */
    void (*destroy)(gt_transport *t);
    /**
     * Optional (NULL: not supported, run() ends when its queries are done or timed out).
     * Make the current run() return promptly, once the callback it is in returns: queries not
     * answered by then are dropped, their callbacks never run. The next run() starts afresh.
     */
    void (*stop)(gt_transport *t);
    /**
     * Per-server counts of what came over the wire but answered none of our queries (may be
     * NULL: the transport sees no wire). @p out is borrowed, valid until the next send/run.
     */
    void (*wire)(const gt_transport *t, const struct gt_wire_count **out, size_t *n);
    /**
     * Optional (NULL: not supported, run() ends only when its queries are done). Called from
     * a callback: make the current run() return once that callback returns, keeping every
     * query: those still out stay out and their callbacks run in a later run(). Outside a
     * run() it does nothing. Bulk runs use it to start a new name as soon as one ends.
     */
    void (*yield)(gt_transport *t);
    /**
     * Optional (NULL: not supported). The next run() (or the current one, when called from a
     * callback) returns at @p at_ms on the CLOCK_MONOTONIC clock in milliseconds at the
     * latest, keeping every query, as after yield(). It applies to that one run(). The pacer
     * uses it to send queries that wait for a token on time while only slow queries are out.
     */
    void (*deadline)(gt_transport *t, double at_ms);
} gt_transport_ops;

/** Base of every transport; implementations embed it as their first member. */
struct gt_transport {
    const gt_transport_ops *ops;
};

/**
 * What one server sent that c-ares had to drop, or how its connections ended, counted by
 * our socket functions (every datagram and TCP read passes through them).
 */
typedef struct gt_wire_count {
    gt_addr server;      /**< the server (address and port) */
    bool tcp;            /**< counts of its TCP channel (else UDP) */
    size_t replies;      /**< UDP datagrams / TCP messages that matched a query */
    size_t bad_id;       /**< UDP replies whose ID matched no query we had out to it */
    size_t bad_question; /**< UDP replies with a right ID but another question */
    size_t bad_source;   /**< datagrams from another address or port on its socket */
    size_t bad_cookie;   /**< UDP replies whose COOKIE option does not start with the client
                              cookie of the query they claim to answer (RFC 7873 5.3) */
    size_t runt;         /**< datagrams shorter than a DNS header */
    size_t late;         /**< replies to a try that had already timed out (not counted as bad) */
    size_t resets;       /**< TCP connections reset by the server */
    size_t closes;       /**< TCP connections closed with queries still unanswered */
    size_t cut;          /**< TCP streams that ended inside a message */
    size_t cut_got;      /**< last cut stream: message bytes received */
    size_t cut_want;     /**< last cut stream: bytes its length prefix promised */
} gt_wire_count;

/** Settings for the c-ares transport. */
typedef struct gt_ares_opts {
    unsigned timeout_ms; /**< wait for each try (exact: one try per c-ares send, so c-ares
                              never doubles it; on 1.34 also its floor of 250 ms and its
                              learnt timeouts are capped to it, see cares.c) */
    unsigned retries;    /**< extra tries after the first (tries = retries + 1); a query ends
                              after at most timeout_ms * (retries + 1) */
    bool edns;           /**< queries carry an OPT RR (sets ARES_FLAG_EDNS; UDP replies are read
                              whole by our socket functions either way) */
    gt_addr source4;     /**< AF_INET: every IPv4 query (UDP and TCP) leaves from this address;
                              family 0: the kernel chooses */
    gt_addr source6;     /**< AF_INET6: likewise for IPv6 queries; family 0: the kernel chooses */
    bool debug_wire;     /**< log every try on stderr, the query as built and as written to the
                              socket, in hex ("debug: wire: built|sent ID HEX"; the lab checks
                              them against a capture). GLUETRACE_DEBUG=1 sets it. */
    const volatile sig_atomic_t *stop; /**< when non-NULL and non-zero, run() behaves as after
                                            stop(): it drops every query and returns; it is
                                            looked at every 100 ms at least, so a signal
                                            handler's store ends a run blocked on silent
                                            servers promptly */
} gt_ares_opts;

/**
 * Create the c-ares transport. Calls ares_library_init() itself.
 * @param out set to the new transport (free with gt_transport_destroy()), NULL on error
 */
gt_status gt_ares_transport_create(const gt_ares_opts *opts, gt_transport **out);

/** The version of the c-ares library in use (at run time), e.g. "1.18.1". */
const char *gt_ares_version(void);

/** Convenience wrappers around the ops table. */
gt_status gt_transport_send(gt_transport *t, const gt_addr *server, bool tcp, const uint8_t *query,
                            size_t len, gt_reply_fn fn, void *arg);
gt_status gt_transport_run(gt_transport *t);
/** NULL is accepted. */
void gt_transport_destroy(gt_transport *t);
/** Ask the current run() to return promptly (see gt_transport_ops.stop); NULL accepted. */
void gt_transport_stop(gt_transport *t);
/**
 * Ask the current run() to return after the callback calling this, keeping every query (see
 * gt_transport_ops.yield); NULL accepted, and a transport without yield ignores it.
 */
void gt_transport_yield(gt_transport *t);
/** Make the next run() return by @p at_ms at the latest (see gt_transport_ops.deadline);
 * NULL accepted, and a transport without deadline ignores it. */
void gt_transport_deadline(gt_transport *t, double at_ms);
/**
 * Per-server wire counts (see gt_wire_count).
 * @param[out] out borrowed array, valid until the next send, run or destroy; NULL when none
 * @param[out] n its length
 */
void gt_transport_wire(const gt_transport *t, const gt_wire_count **out, size_t *n);

#endif
