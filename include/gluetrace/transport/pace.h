/**
 * @file pace.h
 * @brief Polite sending for bulk runs: a transport over another transport that caps the query
 * rate per server network and in total, and treats signs of the servers' response rate
 * limiting (RRL) as "ask again later" rather than as an unreachable server.
 *
 * Rate: queries leave through one token bucket per server network (IPv4 /24, IPv6 /64: the
 * addresses of one operator's site, which often share one rate limiter) and one global
 * bucket. Each bucket holds a tenth of a second of its rate (GT_PACE_BURST_DIV), so no
 * one-second window sees more than 1.1 times the rate, except a network's first second,
 * which may start with one second of it (at most twice the rate then); the global bucket
 * starts with a quarter of a second of the total rate. While a query waits for a token and
 * others are out, the inner transport's run is given that token's time as its deadline, so
 * a slow server's timeout never holds up queries that may leave.
 *
 * Rate limiting met: a UDP reply with TC=1 and empty answer and authority sections (an RRL
 * "slip"), or a timeout from an address that replied in the last GT_PACE_LIMITED_MS (alive,
 * so the silence was chosen), while that network is allowed at least GT_PACE_BUSY_QPS
 * queries a second or rate-limited us in the last GT_PACE_LIMITED_MS (a lone query to a
 * quiet server is never rate limited, so a server that truncates or drops at low rates keeps
 * its real outcome).
 * Then the query is not delivered: it is asked again after a back-off (1 s, doubled each
 * time, with jitter), at most GT_PACE_MAX_REASKS times, and the network's rate is halved; it
 * grows back by a fiftieth of the cap per answered query. After the last re-ask the reply
 * (or timeout) is delivered as it is.
 *
 * Every event is remembered per server address (gt_pace_limited_since()) so the caller can
 * report which servers rate-limited it. State of networks and addresses idle for
 * GT_PACE_IDLE_MS is dropped, so memory follows the servers in use, not the run's length.
 */
#ifndef GLUETRACE_PACE_H
#define GLUETRACE_PACE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gluetrace/base/addr.h"
#include "gluetrace/base/status.h"
#include "gluetrace/transport/transport.h"

/** Re-asks of one query met by rate limiting before its reply is delivered as it is. */
#define GT_PACE_MAX_REASKS 3
/** A bucket holds 1/GT_PACE_BURST_DIV of a second of its rate: the largest burst. */
#define GT_PACE_BURST_DIV 10.0
/** First back-off before a re-ask, in milliseconds (RRL counts in one-second windows). */
#define GT_PACE_BACKOFF_MS 1000
/** Below this many queries a second to a network, slips and drops are taken at face value. */
#define GT_PACE_BUSY_QPS 5
/** For this long after a rate-limit event its network counts as busy (milliseconds). */
#define GT_PACE_LIMITED_MS 10000
/** State of a network or address without queries for this long is dropped (milliseconds). */
#define GT_PACE_IDLE_MS 30000

/** A pacing transport (its gt_transport is gt_pace_transport()). */
typedef struct gt_pace gt_pace;

/** Settings. */
typedef struct gt_pace_opts {
    unsigned rate;       /**< queries per second per server network; 0: no cap */
    unsigned total_rate; /**< queries per second in total; 0: no cap */
    unsigned max_reasks; /**< re-asks after rate limiting (GT_PACE_MAX_REASKS) */
    unsigned backoff_ms; /**< first back-off (GT_PACE_BACKOFF_MS); tests make it short */
    const volatile sig_atomic_t *stop; /**< when non-zero (a signal), nothing more is sent
                                            and run() returns; NULL: not watched */
} gt_pace_opts;

/** What a pacer did, for the run's summary. */
typedef struct gt_pace_stats {
    uint64_t sent;     /**< queries handed to the inner transport, re-asks included */
    uint64_t reasked;  /**< re-asks after rate limiting */
    uint64_t slips;    /**< truncated empty replies taken as RRL slips */
    uint64_t drops;    /**< timeouts taken as RRL drops */
    uint64_t given_up; /**< rate-limited replies delivered as they were (re-asks used up) */
    size_t networks;   /**< server networks tracked now */
    size_t servers;    /**< server addresses tracked now */
} gt_pace_stats;

/**
 * Create a pacer sending through @p inner.
 * @param[in] inner the transport that sends (borrowed: it must outlive the pacer, and the
 *        caller destroys it after the pacer)
 * @param[out] out the pacer (free with gt_transport_destroy(gt_pace_transport(p))); NULL on
 *        error
 * @return GT_OK or GT_ENOMEM
 */
gt_status gt_pace_create(gt_transport *inner, const gt_pace_opts *opts, gt_pace **out);

/** @return the pacer as a transport (borrowed from @p p). */
gt_transport *gt_pace_transport(gt_pace *p);

/** @return milliseconds on the pacer's clock (CLOCK_MONOTONIC). */
double gt_pace_now_ms(void);

/**
 * @param[out] events rate-limit events of address @p a in the whole run so far (0 when none
 *        or when its state was dropped as idle); may be NULL
 * @return whether @p a rate-limited a query at or after @p since_ms (pacer clock)
 */
bool gt_pace_limited_since(const gt_pace *p, const gt_addr *a, double since_ms, unsigned *events);

/** @param[out] out the counters so far. */
void gt_pace_get_stats(const gt_pace *p, gt_pace_stats *out);

#endif
