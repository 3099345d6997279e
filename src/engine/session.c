/*
 * Bulk runs (-f): many names through one transport, a sliding window of them, sharing what
 * earlier names learnt (referrals, sub-trace addresses, delegations already checked, the
 * DNSKEY replies of signed zones) through a session bounded by least-recently-used eviction.
 */
#include "engine_int.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "gluetrace/transport/pace.h"

/** A referral kept by a session, for later names of a bulk run. */
typedef struct session_ref {
    gt_addr addr;    /**< server that gave it */
    gt_class cls;    /**< its classification */
    gt_referral ref; /**< owned copy */
    gt_msg *msg;     /**< the reply it came in (owned copy; its DS set and NSEC proofs), or NULL */
    uint64_t used;   /**< session clock of its last use (least recently used goes first) */
} session_ref;

/** A sub-trace result kept by a session. */
typedef struct session_sub {
    gt_name name;                      /**< NS name traced */
    uint16_t qtype;                    /**< A or AAAA */
    gt_trace_status status;            /**< how it ended */
    gt_addr addrs[GT_MAX_TRACE_ADDRS]; /**< addresses found */
    size_t naddrs;                     /**< entries used in @ref addrs */
    uint64_t used;                     /**< session clock of its last use */
} session_sub;

/** A zone cut whose delegation checks an earlier name ran. */
typedef struct session_zone {
    gt_name zone;  /**< the cut */
    uint64_t used; /**< session clock of its last use */
} session_zone;

/** A DNSKEY reply kept by a session: the zone's key set as one server gave it. */
typedef struct session_key {
    gt_addr addr;  /**< the server */
    bool tcp;      /**< asked over TCP */
    gt_name zone;  /**< the zone (the question's name) */
    gt_msg *msg;   /**< the reply (owned) */
    uint64_t used; /**< session clock of its last use */
} session_key;

/** What a bulk run shares across names. Each kind keeps at most @ref limit entries
 * (GT_MAX_SESSION_ENTRIES): when full, a new entry replaces the least recently used one of
 * its kind, so memory stays flat over any run while what every name needs (the root's and
 * the TLDs' referrals) stays. */
struct gt_session {
    session_ref *refs;           /**< referrals */
    size_t nrefs, caprefs;       /**< used, allocated */
    session_sub *subs;           /**< sub-trace results */
    size_t nsubs, capsubs;       /**< used, allocated */
    session_zone *checked;       /**< zone cuts whose delegation checks an earlier name ran */
    size_t nchecked, capchecked; /**< used, allocated */
    session_key *keys;           /**< DNSKEY replies */
    size_t nkeys, capkeys;       /**< used, allocated */
    size_t limit;                /**< entries of each kind at most */
    uint64_t clock;              /**< ticks at every use and every new entry */
    uint64_t evicted;            /**< entries replaced when their kind was full */
    const gt_pace *pace;         /**< the pacer the names' queries go through, or NULL */
};

/* A place for a new entry in an array of @p *n entries of @p elem bytes whose recency is the
 * uint64_t at offset @p used_off: a new one while below the limit, else the least recently
 * used (*evicted set: the caller frees what it owned). SIZE_MAX when out of memory. */
static size_t lru_place(engine *e, void **arr, size_t *n, size_t *cap, size_t elem, size_t used_off,
                        bool *evicted)
{
    gt_session *ss = e->session;
    *evicted = false;
    if (*n < ss->limit) {
        if (!engine_reserve(e, arr, cap, *n, elem)) {
            return SIZE_MAX;
        }
        return (*n)++;
    }
    size_t oldest = 0;
    uint64_t best = UINT64_MAX;
    for (size_t i = 0; i < *n; i++) {
        uint64_t u;
        memcpy(&u, (const uint8_t *)*arr + i * elem + used_off, sizeof(u));
        if (u < best) {
            best = u;
            oldest = i;
        }
    }
    *evicted = true;
    ss->evicted++;
    return oldest;
}

const session_sub *session_sub_lookup(const engine *e, const gt_name *name, uint16_t qtype)
{
    gt_session *ss = e->session;
    for (size_t i = 0; ss != NULL && i < ss->nsubs; i++) {
        session_sub *sub = &ss->subs[i];
        if (sub->qtype == qtype && gt_name_eq(&sub->name, name)) {
            sub->used = ++ss->clock;
            return sub;
        }
    }
    return NULL;
}

void session_sub_apply(engine *e, gt_trace_id t, const session_sub *ss)
{
    gt_tracerec *tr = trace_at(e, t);
    tr->from_session = true;
    tr->status = ss->status;
    memcpy(tr->addrs, ss->addrs, ss->naddrs * sizeof(gt_addr));
    tr->naddrs = ss->naddrs;
    trace_set_state(e, t, TRACE_DONE);
}

bool session_referral(const engine *e, const gt_addr *a, const gt_name *qname, const gt_name *zone,
                      gt_class *cls, const gt_referral **ref, const gt_msg **msg)
{
    gt_session *ss = e->session;
    session_ref *best = NULL;
    unsigned best_labels = 0;
    for (size_t i = 0; ss != NULL && i < ss->nrefs; i++) {
        session_ref *c = &ss->refs[i];
        unsigned labels = gt_name_labels(&c->ref.zone);
        if (labels > best_labels && gt_addr_eq(&c->addr, a) &&
            gt_name_is_under(qname, &c->ref.zone) && gt_name_is_under(&c->ref.zone, zone) &&
            !gt_name_eq(&c->ref.zone, zone)) {
            best = c;
            best_labels = labels;
        }
    }
    if (best == NULL) {
        return false;
    }
    best->used = ++ss->clock;
    *cls = best->cls;
    *ref = &best->ref;
    *msg = best->msg;
    return true;
}

bool session_checked(const engine *e, const gt_name *zone)
{
    gt_session *ss = e->session;
    for (size_t i = 0; ss != NULL && i < ss->nchecked; i++) {
        if (gt_name_eq(&ss->checked[i].zone, zone)) {
            ss->checked[i].used = ++ss->clock;
            return true;
        }
    }
    return false;
}

/* The kept DNSKEY reply of server @p a (over TCP when @p tcp) for @p zone, or NULL. */
static session_key *key_find(const gt_session *ss, const gt_addr *a, bool tcp, const gt_name *zone)
{
    for (size_t i = 0; ss != NULL && i < ss->nkeys; i++) {
        session_key *k = &ss->keys[i];
        if (k->tcp == tcp && gt_addr_eq(&k->addr, a) && gt_name_eq(&k->zone, zone)) {
            return k;
        }
    }
    return NULL;
}

gt_msg *session_dnskey(const engine *e, const gt_addr *a, bool tcp, const gt_name *zone)
{
    gt_session *ss = e->session;
    session_key *k = key_find(ss, a, tcp, zone);
    gt_msg *m = NULL;
    if (k == NULL) {
        return NULL;
    }
    k->used = ++ss->clock;
    if (gt_msg_copy(k->msg, &m) != GT_OK) {
        return NULL; /* out of memory: asked again instead */
    }
    return m;
}

/* Referrals the servers gave this name, for later names. */
static void export_referrals(engine *e, gt_session *ss)
{
    for (size_t i = 0; i < e->res->nqueries; i++) {
        const gt_query *q = e->res->queries[i];
        if (q->outcome != GT_OUT_REFERRAL || !q->has_referral || q->cached_from ||
            q->from_session) {
            continue;
        }
        bool have = false;
        for (size_t j = 0; j < ss->nrefs && !have; j++) {
            have = gt_addr_eq(&ss->refs[j].addr, &q->addr) &&
                   gt_name_eq(&ss->refs[j].ref.zone, &q->referral.zone);
        }
        if (have) {
            continue;
        }
        session_ref nr;
        nr.addr = q->addr;
        nr.cls = q->cls;
        nr.used = ++ss->clock;
        nr.msg = NULL;
        if (!copy_referral(&q->referral, &nr.ref)) {
            continue;
        }
        if (q->reply != NULL && gt_msg_copy(q->reply, &nr.msg) != GT_OK) {
            nr.msg = NULL; /* out of memory: the referral is still worth keeping */
        }
        bool evicted;
        size_t at = lru_place(e, (void **)&ss->refs, &ss->nrefs, &ss->caprefs, sizeof(*ss->refs),
                              offsetof(session_ref, used), &evicted);
        if (at == SIZE_MAX) {
            gt_referral_clear(&nr.ref);
            gt_msg_free(nr.msg);
            continue;
        }
        if (evicted) {
            gt_referral_clear(&ss->refs[at].ref);
            gt_msg_free(ss->refs[at].msg);
        }
        ss->refs[at] = nr;
    }
}

/* Addresses the sub-traces of this name found. */
static void export_subtraces(engine *e, gt_session *ss)
{
    for (gt_trace_id t = 1; t < e->res->ntraces; t++) {
        const gt_tracerec *tr = trace_at(e, t);
        if (tr->kind != GT_TRACE_SUBTRACE || tr->from_session || tr->status != GT_TS_ANSWER ||
            tr->naddrs == 0 || session_sub_lookup(e, &tr->name, tr->qtype) != NULL) {
            continue;
        }
        bool evicted;
        size_t at = lru_place(e, (void **)&ss->subs, &ss->nsubs, &ss->capsubs, sizeof(*ss->subs),
                              offsetof(session_sub, used), &evicted);
        if (at == SIZE_MAX) {
            continue;
        }
        session_sub *sub = &ss->subs[at];
        sub->name = tr->name;
        sub->qtype = tr->qtype;
        sub->status = tr->status;
        memcpy(sub->addrs, tr->addrs, tr->naddrs * sizeof(gt_addr));
        sub->naddrs = tr->naddrs;
        sub->used = ++ss->clock;
    }
}

/* Zone cuts whose delegation this name checked (one NS check trace per cut), and the DNSKEY
 * replies of the signed cuts' servers. */
static void export_checks(engine *e, gt_session *ss)
{
    for (gt_trace_id t = 1; t < e->res->ntraces; t++) {
        const gt_tracerec *tr = trace_at(e, t);
        if (tr->kind != GT_TRACE_CHECK || tr->qtype != GT_TYPE_NS) {
            continue;
        }
        bool have = false;
        for (size_t i = 0; i < ss->nchecked && !have; i++) {
            have = gt_name_eq(&ss->checked[i].zone, &tr->zone);
        }
        if (have) {
            continue;
        }
        bool evicted;
        size_t at = lru_place(e, (void **)&ss->checked, &ss->nchecked, &ss->capchecked,
                              sizeof(*ss->checked), offsetof(session_zone, used), &evicted);
        if (at != SIZE_MAX) {
            ss->checked[at].zone = tr->zone;
            ss->checked[at].used = ++ss->clock;
        }
    }
    for (size_t i = 0; i < e->res->nqueries; i++) {
        const gt_query *q = e->res->queries[i];
        const gt_tracerec *tr = trace_at(e, q->trace);
        gt_msg *m = NULL;
        if (tr->kind != GT_TRACE_CHECK || tr->qtype != GT_TYPE_DNSKEY || q->reply == NULL ||
            q->cached_from || q->from_session || key_find(ss, &q->addr, q->tcp, &q->qname) ||
            gt_msg_copy(q->reply, &m) != GT_OK) {
            continue;
        }
        bool evicted;
        size_t at = lru_place(e, (void **)&ss->keys, &ss->nkeys, &ss->capkeys, sizeof(*ss->keys),
                              offsetof(session_key, used), &evicted);
        if (at == SIZE_MAX) {
            gt_msg_free(m);
            continue;
        }
        if (evicted) {
            gt_msg_free(ss->keys[at].msg);
        }
        session_key *k = &ss->keys[at];
        k->addr = q->addr;
        k->tcp = q->tcp;
        k->zone = q->qname;
        k->msg = m;
        k->used = ++ss->clock;
    }
}

void session_export(engine *e)
{
    gt_session *ss = e->session;
    if (ss == NULL || e->cfg->no_cache) {
        return;
    }
    export_referrals(e, ss);
    export_subtraces(e, ss);
    export_checks(e, ss);
}

gt_status gt_session_create(gt_session **out)
{
    *out = calloc(1, sizeof(**out));
    if (*out == NULL) {
        return GT_ENOMEM;
    }
    (*out)->limit = GT_MAX_SESSION_ENTRIES;
    return GT_OK;
}

void gt_session_set_limit(gt_session *s, size_t limit)
{
    s->limit = limit == 0 || limit > GT_MAX_SESSION_ENTRIES ? GT_MAX_SESSION_ENTRIES : limit;
}

void gt_session_destroy(gt_session *s)
{
    if (s == NULL) {
        return;
    }
    for (size_t i = 0; i < s->nrefs; i++) {
        gt_referral_clear(&s->refs[i].ref);
        gt_msg_free(s->refs[i].msg);
    }
    for (size_t i = 0; i < s->nkeys; i++) {
        gt_msg_free(s->keys[i].msg);
    }
    free(s->refs);
    free(s->subs);
    free(s->checked);
    free(s->keys);
    free(s);
}

void gt_session_set_pace(gt_session *s, const gt_pace *pace)
{
    s->pace = pace;
}

/* RATE_LIMITED once per server address this name asked that rate-limited the run since the
 * name started (the pacer asked those queries again, so the result does not depend on it). */
static void note_rate_limits(const gt_session *ss, gt_result *r, double since)
{
    for (size_t i = 0; ss != NULL && ss->pace != NULL && r != NULL && i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        unsigned events = 0;
        bool seen = false;
        if (q->cached_from || q->from_session ||
            !gt_pace_limited_since(ss->pace, &q->addr, since, &events)) {
            continue;
        }
        for (size_t j = 0; j < i && !seen; j++) {
            const gt_query *o = r->queries[j];
            seen = !o->cached_from && !o->from_session && gt_addr_eq(&o->addr, &q->addr);
        }
        if (!seen) {
            /* out of memory here only loses the note */
            (void)gt_result_add_finding(r, GT_F_RATE_LIMITED, &q->zone, q->id, NULL,
                                        "rate limiting met (%u slips or drops from this address "
                                        "so far in the run); queries asked again after a back-off",
                                        events);
        }
    }
}

size_t gt_session_size(const gt_session *s)
{
    return s->nrefs + s->nsubs + s->nchecked + s->nkeys;
}

void gt_session_get_stats(const gt_session *s, gt_session_stats *out)
{
    out->referrals = s->nrefs;
    out->subtraces = s->nsubs;
    out->checked = s->nchecked;
    out->dnskeys = s->nkeys;
    out->evicted = s->evicted;
}

struct bulk_run;

/** One place of the sliding window: a name being traced. */
typedef struct bulk_slot {
    engine e;             /**< its run (valid while @ref busy) */
    gt_trace_hooks hooks; /**< the caller's hooks, seen through this slot (stable address) */
    struct bulk_run *run; /**< the bulk run */
    double started;       /**< when the name started (pacer clock) */
    size_t index;         /**< its position in the input */
    bool busy;            /**< a name is being traced here */
} bulk_slot;

/** A bulk run: the window of names in flight and what they share. */
typedef struct bulk_run {
    gt_transport *tp;           /**< the transport of every name */
    const gt_trace_hooks *user; /**< the caller's hooks, or NULL */
    bulk_slot *slots;           /**< @ref width places */
    size_t width;               /**< --concurrency */
} bulk_run;

/* Nothing of this name is out on the transport (or waiting for another trace's query). */
static bool engine_idle(const engine *e)
{
    for (gt_trace_id t = 0; e->res != NULL && e->ts != NULL && t < e->res->ntraces; t++) {
        if (e->ts[t].inflight > 0) {
            return false;
        }
    }
    return true;
}

/* A query of the slot's name got its outcome: tell the caller's observer, and when the name
 * has nothing left out, let the transport return so the name's line is written and the next
 * name starts now, not when the slowest name in flight ends. */
static void slot_on_query(void *arg, const gt_result *r, const gt_query *q)
{
    bulk_slot *sl = arg;
    const gt_trace_hooks *u = sl->run->user;
    if (u != NULL && u->on_query != NULL) {
        u->on_query(u->arg, r, q);
    }
    if (engine_idle(&sl->e)) {
        gt_transport_yield(sl->run->tp);
    }
}

static void slot_on_send(void *arg, const gt_result *r, const gt_query *q)
{
    const bulk_slot *sl = arg;
    const gt_trace_hooks *u = sl->run->user;
    if (u != NULL && u->on_send != NULL) {
        u->on_send(u->arg, r, q);
    }
}

/* End the name of @p sl, emit its result and free everything of it. */
static void slot_finish(bulk_slot *sl, gt_session *session, gt_status st, gt_bulk_emit emit,
                        void *arg)
{
    gt_result *r = NULL;
    engine_fail(&sl->e, st);
    gt_status fs = engine_finish(&sl->e, &r);
    note_rate_limits(session, r, sl->started);
    emit(arg, sl->index, r, fs);
    gt_result_free(r);
    sl->busy = false;
}

/*
 * A sliding window of @p concurrency names on one event loop: the transport runs until it is
 * idle or until a name has nothing left out (slot_on_query yields), then every such name
 * is stepped once more by engine_step() (deadlocks, the resolver phase) and, when that
 * starts nothing, is finished and emitted (in the order names end, with their input index),
 * and a new name takes its place. What a name learnt goes into the session when it ends, for
 * the names after it.
 */
gt_status gt_trace_bulk_stream(const gt_config *cfg, const gt_hints *hints, gt_transport *tp,
                               gt_session *session, gt_bulk_next next, void *next_arg,
                               unsigned concurrency, const gt_trace_hooks *hooks, gt_bulk_emit emit,
                               void *arg)
{
    gt_status st = GT_OK, in = GT_OK;
    bulk_run br = {.tp = tp, .user = hooks, .width = concurrency ? concurrency : 1};
    br.slots = calloc(br.width, sizeof(*br.slots));
    if (br.slots == NULL) {
        return GT_ENOMEM;
    }
    size_t nbusy = 0, index = 0;
    bool end = false, stop = false;
    for (;;) {
        /* fill the window */
        for (size_t i = 0; i < br.width && !end && !stop && in == GT_OK; i++) {
            bulk_slot *sl = &br.slots[i];
            gt_bulk_name b;
            if (sl->busy || (in = next(next_arg, &b, &end)) != GT_OK || end) {
                continue;
            }
            sl->run = &br;
            sl->hooks.on_query = slot_on_query;
            sl->hooks.on_send = slot_on_send;
            sl->hooks.arg = sl;
            sl->hooks.cancel = hooks != NULL ? hooks->cancel : NULL;
            sl->hooks.dnssec = hooks != NULL ? hooks->dnssec : NULL;
            sl->busy = true;
            sl->index = index++;
            sl->started = gt_clock_ms();
            nbusy++;
            engine_fail(&sl->e, engine_start(&sl->e, cfg, hints, tp, &sl->hooks, session, &b.name,
                                             b.qtype));
        }
        if (nbusy == 0) {
            break;
        }
        st = gt_transport_run(tp);
        /* A cancel (or a run that found DNS interception) stopped the transport: the queries
         * of every name were dropped, so every name in flight ends now and none starts. */
        for (size_t i = 0; i < br.width && st == GT_OK; i++) {
            /* every name notices the cancel request (its traces end interrupted) */
            stop |= br.slots[i].busy && engine_stopped(&br.slots[i].e);
        }
        for (size_t i = 0; i < br.width; i++) {
            bulk_slot *sl = &br.slots[i];
            if (!sl->busy) {
                continue;
            }
            if (st == GT_OK && !stop) {
                while (engine_idle(&sl->e) && engine_step(&sl->e)) {
                }
                if (!engine_idle(&sl->e)) {
                    continue;
                }
            }
            slot_finish(sl, session, st, emit, arg);
            nbusy--;
        }
        if (st != GT_OK) {
            break;
        }
    }
    free(br.slots);
    return st != GT_OK ? st : in;
}

/** gt_trace_bulk()'s names, handed out one by one. */
typedef struct array_src {
    const gt_bulk_name *names; /**< the names (borrowed) */
    size_t n;                  /**< how many */
    size_t next;               /**< the next to hand out */
} array_src;

static gt_status array_next(void *arg, gt_bulk_name *out, bool *end)
{
    array_src *a = arg;
    *end = a->next >= a->n;
    if (!*end) {
        *out = a->names[a->next++];
    }
    return GT_OK;
}

gt_status gt_trace_bulk(const gt_config *cfg, const gt_hints *hints, gt_transport *tp,
                        gt_session *session, const gt_bulk_name *names, size_t n,
                        unsigned concurrency, const gt_trace_hooks *hooks, gt_bulk_emit emit,
                        void *arg)
{
    array_src a = {names, n, 0};
    return gt_trace_bulk_stream(cfg, hints, tp, session, array_next, &a, concurrency, hooks, emit,
                                arg);
}
