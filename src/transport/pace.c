/*
 * The pacing transport (pace.h): token buckets per server network and in total in front of
 * another transport, and re-asks of queries met by the servers' response rate limiting.
 */
#define _POSIX_C_SOURCE 200809L
#include "gluetrace/transport/pace.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "gluetrace/wire/cursor.h"

/** Bytes of a network key: family, then the first 8 bytes of the address (/24 or /64). */
#define NET_KEY_LEN 9
/** Smallest rate a network is slowed to after rate limiting, queries per second. */
#define MIN_RATE 1.0
/** The total bucket starts with 1/TOTAL_START_DIV of a second of the total rate: the first
 * names of a run all start at once. */
#define TOTAL_START_DIV 4.0
/** Entries before the idle networks and addresses are looked for. */
#define SWEEP_FIRST 1024

/** A server network: its bucket, its waiting queries. */
typedef struct pace_net {
    uint8_t key[NET_KEY_LEN];  /**< family and prefix */
    double rate;               /**< current rate, queries/s (<= the cap; halved when limited) */
    double tokens;             /**< queries that may leave now */
    double refilled;           /**< clock of the last refill */
    double last_used;          /**< clock of the last send or reply */
    double win_start;          /**< start of the current one-second counting window */
    unsigned win_sent;         /**< queries sent in it */
    unsigned prev_sent;        /**< queries sent in the window before */
    double limited_at;         /**< clock of its latest rate-limit event; -1: none */
    struct pace_q *head;       /**< waiting queries, oldest first */
    struct pace_q *tail;       /**< last waiting query */
    size_t inflight;           /**< queries handed to the inner transport, not answered */
    struct pace_net *next_act; /**< next network with waiting queries */
    bool active;               /**< in the active list */
} pace_net;

/** A server address: when it answered and when it rate-limited us. */
typedef struct pace_srv {
    gt_addr addr;        /**< the address (port included) */
    double answered_at;  /**< clock of its latest reply (not a slip); -1: none */
    double last_limited; /**< clock of its latest rate-limit event; -1: none */
    unsigned events;     /**< its rate-limit events */
    double last_used;    /**< clock of the last send or reply */
    size_t inflight;     /**< queries out to it */
} pace_srv;

/** One query, from send() until its reply is delivered. */
typedef struct pace_q {
    struct pace_q *next;     /**< next in its network's queue or in the delayed list */
    struct pace_q *out_prev; /**< previous in the list of queries out (inner transport) */
    struct pace_q *out_next; /**< next in that list */
    struct gt_pace *p;       /**< owner */
    gt_addr server;          /**< where it goes */
    bool tcp;                /**< over TCP */
    uint8_t *msg;            /**< the query (owned copy) */
    size_t len;              /**< its length */
    gt_reply_fn fn;          /**< the caller's callback */
    void *arg;               /**< and its argument */
    unsigned reasks;         /**< re-asks so far */
    double not_before;       /**< delayed until this clock */
    double sent_at;          /**< clock of its latest hand-over to the inner transport */
} pace_q;

/** An open-addressing index of pointers, rebuilt when it grows or is swept. */
typedef struct pace_index {
    void **slot;  /**< entries (NULL: empty) */
    size_t cap;   /**< slots, a power of two */
    size_t used;  /**< entries */
    size_t sweep; /**< sweep idle entries when @ref used reaches this */
} pace_index;

struct gt_pace {
    gt_transport base;   /**< first: the transport interface */
    gt_transport *inner; /**< the transport that sends (borrowed) */
    gt_pace_opts o;      /**< settings */
    pace_index nets;     /**< pace_net by network */
    pace_index srvs;     /**< pace_srv by address */
    pace_net *act;       /**< networks with waiting queries */
    pace_q *delayed;     /**< queries waiting for their back-off to end */
    double gtokens;      /**< the total bucket */
    double grefilled;    /**< its last refill */
    size_t inflight;     /**< queries out in the inner transport */
    pace_q *out;         /**< those queries */
    bool stopped;        /**< stop() was called: the current run() ends */
    bool in_run;         /**< inside run() */
    bool yielded;        /**< yield() was called from a callback: run() returns, keeping all */
    size_t waiting;      /**< queries waiting here (queues and delayed) */
    uint64_t rng;        /**< xorshift state for the back-off jitter */
    gt_pace_stats st;    /**< counters */
    gt_status failed;    /**< a memory error met inside a callback */
};

double gt_pace_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* ---- keys and indexes ---- */

static void net_key(const gt_addr *a, uint8_t key[NET_KEY_LEN])
{
    memset(key, 0, NET_KEY_LEN);
    key[0] = (uint8_t)a->family;
    memcpy(key + 1, a->bytes, a->family == AF_INET ? 3 : 8);
}

static uint64_t hash_bytes(const uint8_t *b, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

static uint64_t srv_hash(const gt_addr *a)
{
    return hash_bytes(a->bytes, a->family == AF_INET ? 4 : 16) ^ (uint64_t)a->port ^
           (uint64_t)a->family;
}

typedef uint64_t (*entry_hash)(const void *entry);

static uint64_t net_entry_hash(const void *e)
{
    return hash_bytes(((const pace_net *)e)->key, NET_KEY_LEN);
}

static uint64_t srv_entry_hash(const void *e)
{
    return srv_hash(&((const pace_srv *)e)->addr);
}

static void index_put(pace_index *ix, void *entry, entry_hash hf)
{
    size_t s = (size_t)hf(entry) & (ix->cap - 1);
    while (ix->slot[s] != NULL) {
        s = (s + 1) & (ix->cap - 1);
    }
    ix->slot[s] = entry;
    ix->used++;
}

/* Rebuild @p ix with room for its entries, dropping (and freeing) those @p idle says so. */
static bool index_rebuild(pace_index *ix, entry_hash hf, bool (*idle)(void *, double), double now)
{
    size_t keep = 0;
    for (size_t i = 0; i < ix->cap; i++) {
        if (ix->slot[i] != NULL && idle != NULL && idle(ix->slot[i], now)) {
            free(ix->slot[i]);
            ix->slot[i] = NULL;
        } else if (ix->slot[i] != NULL) {
            keep++;
        }
    }
    size_t cap = 64;
    while (cap < 4 * (keep + 1)) {
        cap *= 2;
    }
    void **slot = calloc(cap, sizeof(*slot));
    if (slot == NULL) {
        return false;
    }
    void **old = ix->slot;
    size_t oldcap = ix->cap;
    ix->slot = slot;
    ix->cap = cap;
    ix->used = 0;
    for (size_t i = 0; i < oldcap; i++) {
        if (old[i] != NULL) {
            index_put(ix, old[i], hf);
        }
    }
    free(old);
    /* sweep again when the table has doubled since (or at the first threshold) */
    ix->sweep = 2 * ix->used > SWEEP_FIRST ? 2 * ix->used : SWEEP_FIRST;
    return true;
}

static bool net_idle(void *e, double now)
{
    const pace_net *n = e;
    return n->head == NULL && n->inflight == 0 && now - n->last_used > GT_PACE_IDLE_MS;
}

static bool srv_idle(void *e, double now)
{
    const pace_srv *s = e;
    return s->inflight == 0 && now - s->last_used > GT_PACE_IDLE_MS;
}

static pace_net *net_find(const gt_pace *p, const uint8_t key[NET_KEY_LEN])
{
    if (p->nets.cap == 0) {
        return NULL;
    }
    for (size_t s = (size_t)hash_bytes(key, NET_KEY_LEN) & (p->nets.cap - 1);
         p->nets.slot[s] != NULL; s = (s + 1) & (p->nets.cap - 1)) {
        pace_net *n = p->nets.slot[s];
        if (memcmp(n->key, key, NET_KEY_LEN) == 0) {
            return n;
        }
    }
    return NULL;
}

static pace_srv *srv_find(const gt_pace *p, const gt_addr *a)
{
    if (p->srvs.cap == 0) {
        return NULL;
    }
    for (size_t s = (size_t)srv_hash(a) & (p->srvs.cap - 1); p->srvs.slot[s] != NULL;
         s = (s + 1) & (p->srvs.cap - 1)) {
        pace_srv *v = p->srvs.slot[s];
        if (gt_addr_eq(&v->addr, a)) {
            return v;
        }
    }
    return NULL;
}

/* Room for one more entry in @p ix (rebuilt bigger, idle entries swept, when needed). */
static bool index_room(pace_index *ix, entry_hash hf, bool (*idle)(void *, double), double now)
{
    if (ix->cap != 0 && 2 * (ix->used + 1) <= ix->cap && ix->used < ix->sweep) {
        return true;
    }
    return index_rebuild(ix, hf, ix->used >= ix->sweep ? idle : NULL, now);
}

static pace_net *net_get(gt_pace *p, const gt_addr *a, double now)
{
    uint8_t key[NET_KEY_LEN];
    net_key(a, key);
    pace_net *n = net_find(p, key);
    if (n != NULL) {
        return n;
    }
    if (!index_room(&p->nets, net_entry_hash, net_idle, now) ||
        (n = calloc(1, sizeof(*n))) == NULL) {
        return NULL;
    }
    memcpy(n->key, key, NET_KEY_LEN);
    n->rate = p->o.rate;
    /* a new network starts with one second of its rate: the first names of a run all ask
     * the same root and TLD servers (and run their delegation checks) at once */
    n->tokens = p->o.rate > 0 ? (double)p->o.rate : 0.0;
    if (n->tokens < 1.0) {
        n->tokens = 1.0;
    }
    n->refilled = now;
    n->last_used = now;
    n->win_start = now;
    n->limited_at = -1.0;
    index_put(&p->nets, n, net_entry_hash);
    return n;
}

static pace_srv *srv_get(gt_pace *p, const gt_addr *a, double now)
{
    pace_srv *v = srv_find(p, a);
    if (v != NULL) {
        return v;
    }
    if (!index_room(&p->srvs, srv_entry_hash, srv_idle, now) ||
        (v = calloc(1, sizeof(*v))) == NULL) {
        return NULL;
    }
    v->addr = *a;
    v->answered_at = -1.0;
    v->last_limited = -1.0;
    v->last_used = now;
    index_put(&p->srvs, v, srv_entry_hash);
    return v;
}

/* ---- buckets ---- */

/* Refill a bucket of @p rate queries/s holding at most 1/GT_PACE_BURST_DIV of a second of
 * it (at least 1). */
static void refill(double *tokens, double *refilled, double rate, double now)
{
    double cap = rate / GT_PACE_BURST_DIV < 1.0 ? 1.0 : rate / GT_PACE_BURST_DIV;
    if (*tokens < cap) { /* above it (a new network's first second): only spent, not added */
        *tokens += (now - *refilled) * rate / 1000.0;
        *tokens = *tokens > cap ? cap : *tokens;
    }
    *refilled = now;
}

/* Queries per second sent to @p n lately (this and the previous one-second window). */
static double net_recent_qps(pace_net *n, double now)
{
    if (now - n->win_start >= 2000.0) {
        n->prev_sent = 0;
        n->win_sent = 0;
        n->win_start = now;
    } else if (now - n->win_start >= 1000.0) {
        n->prev_sent = n->win_sent;
        n->win_sent = 0;
        n->win_start += 1000.0;
    }
    return n->prev_sent > n->win_sent ? n->prev_sent : n->win_sent;
}

/* ---- sending ---- */

static void on_inner_reply(void *arg, const gt_reply *reply);

static void q_free(pace_q *q)
{
    if (q != NULL) {
        free(q->msg);
        free(q);
    }
}

/* Deliver a failure to the caller (the inner transport refused the query). */
static void deliver_status(pace_q *q, gt_status st, double now)
{
    (void)now;
    gt_reply r = {.status = st, .data = NULL, .len = 0, .rtt_ms = 0.0};
    q->fn(q->arg, &r);
    q_free(q);
}

/* Hand @p q to the inner transport now. */
static void hand_over(gt_pace *p, pace_net *n, pace_q *q, double now)
{
    pace_srv *v = srv_get(p, &q->server, now);
    if (v == NULL) {
        p->failed = GT_ENOMEM;
        deliver_status(q, GT_ENOMEM, now);
        return;
    }
    q->sent_at = now;
    gt_status st =
        gt_transport_send(p->inner, &q->server, q->tcp, q->msg, q->len, on_inner_reply, q);
    if (st != GT_OK) {
        /* The caller's send() already returned GT_OK: report it through the callback. */
        deliver_status(q, st, now);
        return;
    }
    q->out_prev = NULL;
    q->out_next = p->out;
    if (p->out != NULL) {
        p->out->out_prev = q;
    }
    p->out = q;
    net_recent_qps(n, now);
    n->win_sent++;
    n->inflight++;
    n->last_used = now;
    v->inflight++;
    v->last_used = now;
    p->inflight++;
    p->st.sent++;
}

/* Move delayed queries whose back-off ended to the head of their network's queue. */
static void wake_delayed(gt_pace *p, double now)
{
    pace_q **pp = &p->delayed;
    while (*pp != NULL) {
        pace_q *q = *pp;
        if (q->not_before > now) {
            pp = &q->next;
            continue;
        }
        *pp = q->next;
        pace_net *n = net_get(p, &q->server, now);
        if (n == NULL) {
            p->waiting--;
            p->failed = GT_ENOMEM;
            deliver_status(q, GT_ENOMEM, now);
            continue;
        }
        q->next = n->head;
        n->head = q;
        if (n->tail == NULL) {
            n->tail = q;
        }
        if (!n->active) {
            n->active = true;
            n->next_act = p->act;
            p->act = n;
        }
    }
}

/* Send every waiting query the buckets allow. @return when the next one may leave (clock),
 * or a negative value when none waits. */
static double release(gt_pace *p)
{
    if (p->o.stop != NULL && *p->o.stop != 0) {
        p->stopped = true; /* a signal: send nothing more, end the run */
    }
    if (p->stopped) {
        return -1.0;
    }
    double now = gt_pace_now_ms();
    double next = -1.0;
    wake_delayed(p, now);
    if (p->o.total_rate > 0) {
        refill(&p->gtokens, &p->grefilled, p->o.total_rate, now);
    }
    pace_net **pp = &p->act;
    while (*pp != NULL) {
        pace_net *n = *pp;
        if (p->o.rate > 0) {
            refill(&n->tokens, &n->refilled, n->rate, now);
        }
        while (n->head != NULL && (p->o.rate == 0 || n->tokens >= 1.0) &&
               (p->o.total_rate == 0 || p->gtokens >= 1.0)) {
            pace_q *q = n->head;
            n->head = q->next;
            if (n->head == NULL) {
                n->tail = NULL;
            }
            q->next = NULL;
            p->waiting--;
            n->tokens -= p->o.rate > 0 ? 1.0 : 0.0;
            p->gtokens -= p->o.total_rate > 0 ? 1.0 : 0.0;
            hand_over(p, n, q, now);
        }
        if (n->head == NULL) {
            n->active = false;
            *pp = n->next_act;
            continue;
        }
        /* this network waits for a token of its own or of the total bucket */
        double t = now;
        if (p->o.rate > 0 && n->tokens < 1.0) {
            t += (1.0 - n->tokens) * 1000.0 / n->rate;
        }
        if (p->o.total_rate > 0 && p->gtokens < 1.0) {
            double g = now + (1.0 - p->gtokens) * 1000.0 / p->o.total_rate;
            t = g > t ? g : t;
        }
        next = next < 0 || t < next ? t : next;
        pp = &n->next_act;
    }
    for (const pace_q *q = p->delayed; q != NULL; q = q->next) {
        next = next < 0 || q->not_before < next ? q->not_before : next;
    }
    return next;
}

static gt_status pace_send(gt_transport *base, const gt_addr *server, bool tcp,
                           const uint8_t *query, size_t len, gt_reply_fn fn, void *arg)
{
    gt_pace *p = (gt_pace *)base;
    double now = gt_pace_now_ms();
    pace_net *n = net_get(p, server, now);
    pace_q *q = calloc(1, sizeof(*q));
    if (n == NULL || q == NULL || (q->msg = malloc(len)) == NULL) {
        free(q);
        return GT_ENOMEM;
    }
    memcpy(q->msg, query, len);
    q->p = p;
    q->server = *server;
    q->tcp = tcp;
    q->len = len;
    q->fn = fn;
    q->arg = arg;
    if (n->tail != NULL) {
        n->tail->next = q;
    } else {
        n->head = q;
    }
    n->tail = q;
    if (!n->active) {
        n->active = true;
        n->next_act = p->act;
        p->act = n;
    }
    p->waiting++;
    /* Sent from run() (release), never from here: the callback must not run inside send. */
    return GT_OK;
}

/* ---- replies ---- */

/* A UDP reply with TC=1 and nothing in the answer and authority sections: what RRL sends
 * instead of a dropped reply ("slip"), so that a real client retries over TCP. */
static bool is_slip(const gt_reply *r)
{
    gt_cursor c;
    gt_cursor_init(&c, r->data, r->len);
    gt_cursor_skip(&c, 2); /* ID */
    uint16_t flags = gt_cursor_u16(&c);
    gt_cursor_skip(&c, 2); /* QDCOUNT */
    uint16_t an = gt_cursor_u16(&c);
    uint16_t ns = gt_cursor_u16(&c);
    return c.err == GT_OK && (flags & 0x8000u) != 0 && (flags & 0x0200u) != 0 && an == 0 && ns == 0;
}

static uint64_t next_rand(gt_pace *p)
{
    p->rng ^= p->rng << 13;
    p->rng ^= p->rng >> 7;
    p->rng ^= p->rng << 17;
    return p->rng;
}

/* Rate limiting met by @p q at @p n / @p v: slow the network down, ask again later.
 * @return false when the re-asks are used up (deliver the reply as it is). */
static bool limited(gt_pace *p, pace_net *n, pace_srv *v, pace_q *q, double now)
{
    v->events++;
    v->last_limited = now;
    n->limited_at = now;
    n->rate = n->rate / 2.0 < MIN_RATE ? MIN_RATE : n->rate / 2.0;
    if (n->tokens > 1.0) {
        n->tokens = 1.0; /* no burst right after */
    }
    if (q->reasks >= p->o.max_reasks) {
        p->st.given_up++;
        return false;
    }
    double backoff = (double)p->o.backoff_ms * (double)(1u << (q->reasks < 10 ? q->reasks : 10));
    backoff *= 0.8 + 0.4 * (double)(next_rand(p) % 1000u) / 1000.0; /* +-20% jitter */
    q->reasks++;
    q->not_before = now + backoff;
    q->next = p->delayed;
    p->delayed = q;
    p->waiting++;
    p->st.reasked++;
    return true;
}

static void out_unlink(gt_pace *p, pace_q *q)
{
    if (q->out_prev != NULL) {
        q->out_prev->out_next = q->out_next;
    } else {
        p->out = q->out_next;
    }
    if (q->out_next != NULL) {
        q->out_next->out_prev = q->out_prev;
    }
    q->out_prev = NULL;
    q->out_next = NULL;
}

static void on_inner_reply(void *arg, const gt_reply *reply)
{
    pace_q *q = arg;
    gt_pace *p = q->p;
    double now = gt_pace_now_ms();
    pace_net *n = net_get(p, &q->server, now);
    pace_srv *v = srv_get(p, &q->server, now);
    if (n == NULL || v == NULL) { /* both exist while a query is out (never swept) */
        out_unlink(p, q);
        p->inflight--;
        p->failed = GT_ENOMEM;
        q->fn(q->arg, reply);
        q_free(q);
        return;
    }
    n->inflight--;
    v->inflight--;
    p->inflight--;
    n->last_used = now;
    v->last_used = now;
    out_unlink(p, q);
    /* busy enough to be limited, or still limited: servers keep limiting for a while after
     * the rate fell (NSD smooths its count over seconds) */
    bool busy = net_recent_qps(n, now) >= GT_PACE_BUSY_QPS ||
                (n->limited_at >= 0 && now - n->limited_at < GT_PACE_LIMITED_MS);
    bool slip = reply->status == GT_OK && !q->tcp && is_slip(reply);
    /* it replied lately (while this query was out, or just before): alive, so the silence
     * was chosen */
    bool drop = reply->status == GT_ETIMEOUT && v->answered_at >= 0 &&
                now - v->answered_at < GT_PACE_LIMITED_MS;
    if (reply->status == GT_OK) {
        v->answered_at = now;
    }
    if (reply->status == GT_OK && !slip) {
        if (n->rate < p->o.rate) {
            n->rate += (double)p->o.rate / 50.0;
            n->rate = n->rate > p->o.rate ? p->o.rate : n->rate;
        }
    }
    if (busy && (slip || drop)) {
        p->st.slips += slip;
        p->st.drops += drop;
        if (limited(p, n, v, q, now)) {
            release(p);
            return;
        }
    }
    q->fn(q->arg, reply); /* rtt: the last try's round trip, without waiting or back-off */
    q_free(q);
    release(p); /* a reply frees room: send what waits, without leaving the inner run */
}

/* ---- the transport interface ---- */

static void drop_all(gt_pace *p);

static void sleep_until(double when)
{
    double now = gt_pace_now_ms();
    if (when <= now) {
        return;
    }
    double ms = when - now;
    struct timespec ts = {.tv_sec = (time_t)(ms / 1000.0),
                          .tv_nsec = (long)((ms - (double)(long)(ms / 1000.0) * 1000.0) * 1e6)};
    (void)nanosleep(&ts, &ts); /* a signal ends it early: run() looks at the stop flag */
}

/*
 * Release what the buckets allow, let the inner transport work until it is idle (its
 * replies release more from their callbacks), and sleep when everything waits for a token
 * or a back-off. Ends when no query waits and none is out.
 */
static gt_status pace_loop(gt_pace *p)
{
    for (;;) {
        double next = release(p);
        if (p->stopped) {
            drop_all(p);
            return GT_OK;
        }
        if (p->inflight > 0) {
            if (next >= 0) {
                /* a query waits for a token: be back when it may leave, even if only slow
                 * queries are out (their timeouts could hold the loop for seconds) */
                gt_transport_deadline(p->inner, next);
            }
            gt_status st = gt_transport_run(p->inner);
            if (st != GT_OK) {
                return st;
            }
            if (p->yielded) {
                return GT_OK; /* the caller has work: queries waiting here stay queued */
            }
            continue;
        }
        if (p->failed != GT_OK) {
            gt_status st = p->failed;
            p->failed = GT_OK;
            return st;
        }
        if (p->waiting == 0) {
            return GT_OK;
        }
        if (next >= 0) {
            sleep_until(next);
        }
    }
}

static gt_status pace_run(gt_transport *base)
{
    gt_pace *p = (gt_pace *)base;
    p->stopped = false;
    p->yielded = false;
    p->in_run = true;
    gt_status st = pace_loop(p);
    p->in_run = false;
    p->yielded = false;
    return st;
}

static void pace_stop(gt_transport *base)
{
    gt_pace *p = (gt_pace *)base;
    p->stopped = true;
    gt_transport_stop(p->inner);
}

static void pace_yield(gt_transport *base)
{
    gt_pace *p = (gt_pace *)base;
    if (p->in_run) {
        p->yielded = true;
        gt_transport_yield(p->inner);
    }
}

static void free_queue(pace_q *q)
{
    while (q != NULL) {
        pace_q *next = q->next;
        q_free(q);
        q = next;
    }
}

/* After stop(): every query waiting here or out is dropped without its callback (the inner
 * transport dropped its own), and the counts start afresh. */
static void drop_all(gt_pace *p)
{
    for (pace_q *q = p->out; q != NULL;) {
        pace_q *next = q->out_next;
        q_free(q);
        q = next;
    }
    p->out = NULL;
    free_queue(p->delayed);
    p->delayed = NULL;
    for (size_t i = 0; i < p->nets.cap; i++) {
        pace_net *n = p->nets.slot[i];
        if (n != NULL) {
            free_queue(n->head);
            n->head = n->tail = NULL;
            n->inflight = 0;
            n->active = false;
            n->next_act = NULL;
        }
    }
    for (size_t i = 0; i < p->srvs.cap; i++) {
        pace_srv *v = p->srvs.slot[i];
        if (v != NULL) {
            v->inflight = 0;
        }
    }
    p->act = NULL;
    p->inflight = 0;
    p->waiting = 0;
}

static void pace_wire(const gt_transport *base, const struct gt_wire_count **out, size_t *n)
{
    const gt_pace *p = (const gt_pace *)base;
    gt_transport_wire(p->inner, out, n);
}

static void pace_destroy(gt_transport *base)
{
    gt_pace *p = (gt_pace *)base;
    for (pace_q *q = p->out; q != NULL;) { /* the inner transport is destroyed after us */
        pace_q *next = q->out_next;
        q_free(q);
        q = next;
    }
    free_queue(p->delayed);
    for (size_t i = 0; i < p->nets.cap; i++) {
        pace_net *n = p->nets.slot[i];
        if (n != NULL) {
            free_queue(n->head);
            free(n);
        }
    }
    for (size_t i = 0; i < p->srvs.cap; i++) {
        free(p->srvs.slot[i]);
    }
    free(p->nets.slot);
    free(p->srvs.slot);
    free(p);
}

static const gt_transport_ops pace_ops = {
    .send = pace_send,
    .run = pace_run,
    .destroy = pace_destroy,
    .stop = pace_stop,
    .wire = pace_wire,
    .yield = pace_yield,
};

gt_status gt_pace_create(gt_transport *inner, const gt_pace_opts *opts, gt_pace **out)
{
    gt_pace *p = calloc(1, sizeof(*p));
    *out = NULL;
    if (p == NULL) {
        return GT_ENOMEM;
    }
    p->base.ops = &pace_ops;
    p->inner = inner;
    p->o = *opts;
    p->gtokens = opts->total_rate > 0 ? (double)opts->total_rate / TOTAL_START_DIV : 0.0;
    p->grefilled = gt_pace_now_ms();
    p->rng = 0x9e3779b97f4a7c15ULL ^ (uint64_t)p->grefilled;
    p->nets.sweep = SWEEP_FIRST;
    p->srvs.sweep = SWEEP_FIRST;
    *out = p;
    return GT_OK;
}

gt_transport *gt_pace_transport(gt_pace *p)
{
    return &p->base;
}

bool gt_pace_limited_since(const gt_pace *p, const gt_addr *a, double since_ms, unsigned *events)
{
    const pace_srv *v = srv_find(p, a);
    if (events != NULL) {
        *events = v != NULL ? v->events : 0;
    }
    return v != NULL && v->last_limited >= since_ms;
}

void gt_pace_get_stats(const gt_pace *p, gt_pace_stats *out)
{
    *out = p->st;
    out->networks = p->nets.used;
    out->servers = p->srvs.used;
}
