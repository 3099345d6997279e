/**
 * @file transport.h
 * @brief Sending one query to one server and getting its raw reply back.
 *
 * The engine talks to a gt_transport through its ops table, so tests can replace the
 * network with scripted replies. The real implementation (transport.c) is the only code that
 * touches c-ares: one channel per (server address, transport), never the system resolver
 * configuration, ARES_FLAG_NOCHECKRESP | ARES_FLAG_IGNTC, and one poll() loop over the
 * sockets of all channels so every outstanding query runs concurrently.
 */
#ifndef GLUETRACE_TRANSPORT_H
#define GLUETRACE_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gluetrace/base/addr.h"
#include "gluetrace/base/status.h"

/** What came back for one sent query. */
typedef struct gt_reply {
    gt_status status;    /**< GT_OK (reply present), GT_ETIMEOUT, GT_ECONNREFUSED,
                              GT_ENETUNREACH, GT_ETRANSPORT, GT_ENOMEM */
    const uint8_t *data; /**< reply message (borrowed: valid only during the callback) */
    size_t len;          /**< reply length */
    double rtt_ms;       /**< time from send to reply or failure, in milliseconds */
} gt_reply;

/** Called exactly once per successfully submitted query; may submit further queries. */
typedef void (*gt_reply_fn)(void *arg, const gt_reply *reply);

typedef struct gt_transport gt_transport;

/** Implementation hooks. */
typedef struct gt_transport_ops {
    /**
     * Submit @p query (copied) to @p server over UDP, or TCP when @p tcp. The transport
     * replaces the query's ID with a random one that is unique among the queries outstanding
     * on that server's channel (c-ares 1.18 keeps the caller's ID), and matches the reply.
     * @return GT_OK (callback will run later, never from inside send) or an error (no
     *         callback will run)
     */
    gt_status (*send)(gt_transport *t, const gt_addr *server, bool tcp, const uint8_t *query,
                      size_t len, gt_reply_fn fn, void *arg);
    /** Process events until no query is outstanding (callbacks may submit more). */
    gt_status (*run)(gt_transport *t);
    /** Release everything; outstanding queries are cancelled without callbacks. */
    void (*destroy)(gt_transport *t);
    /**
     * Optional (NULL: not supported, run() ends when its queries are done or timed out).
     * Make the current run() return promptly, once the callback it is in returns: queries not
     * answered by then are dropped, their callbacks never run. The next run() starts afresh.
     */
    void (*stop)(gt_transport *t);
} gt_transport_ops;

/** Base of every transport; implementations embed it as their first member. */
struct gt_transport {
    const gt_transport_ops *ops;
};

/** Settings for the c-ares transport. */
typedef struct gt_ares_opts {
    unsigned timeout_ms; /**< per-try timeout */
    unsigned retries;    /**< extra tries after the first (tries = retries + 1) */
    bool edns;           /**< queries carry an OPT RR: let UDP replies up to 4096 bytes through
                              (without it c-ares 1.18 cuts UDP replies at 512 bytes) */
    gt_addr source4;     /**< AF_INET: every IPv4 query (UDP and TCP) leaves from this address;
                              family 0: the kernel chooses */
    gt_addr source6;     /**< AF_INET6: likewise for IPv6 queries; family 0: the kernel chooses */
} gt_ares_opts;

/**
 * Create the c-ares transport. Calls ares_library_init() itself.
 * @param out set to the new transport (free with gt_transport_destroy()), NULL on error
 */
gt_status gt_ares_transport_create(const gt_ares_opts *opts, gt_transport **out);

/** Convenience wrappers around the ops table. */
gt_status gt_transport_send(gt_transport *t, const gt_addr *server, bool tcp, const uint8_t *query,
                            size_t len, gt_reply_fn fn, void *arg);
gt_status gt_transport_run(gt_transport *t);
/** NULL is accepted. */
void gt_transport_destroy(gt_transport *t);
/** Ask the current run() to return promptly (see gt_transport_ops.stop); NULL accepted. */
void gt_transport_stop(gt_transport *t);

#endif
