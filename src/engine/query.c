/*
 * Asking servers and acting on what they said: the filters before a query (family, dedup,
 * budget), the reuse of referrals (run cache, bulk session) and of identical queries of other
 * traces, the wire, and the dispatch of each outcome (RFC 1034 4.3.2: answer, CNAME,
 * referral; RFC 7766: TCP after truncation).
 */
#include "engine_int.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static int fam_index(int family)
{
    return family == AF_INET6 ? 1 : 0;
}

bool trace_follows(gt_trace_kind k)
{
    return k == GT_TRACE_MAIN || k == GT_TRACE_SUBTRACE || k == GT_TRACE_CNAME;
}

bool copy_referral(const gt_referral *src, gt_referral *dst)
{
    memset(dst, 0, sizeof(*dst));
    dst->zone = src->zone;
    dst->ns_dropped = src->ns_dropped;
    dst->glue_dropped = src->glue_dropped;
    dst->ignored_dropped = src->ignored_dropped;
    dst->ns = calloc(src->nns + 1, sizeof(*dst->ns));
    dst->glue = calloc(src->nglue + 1, sizeof(*dst->glue));
    dst->ignored = calloc(src->nignored + 1, sizeof(*dst->ignored));
    if (dst->ns == NULL || dst->glue == NULL || dst->ignored == NULL) {
        gt_referral_clear(dst);
        return false;
    }
    memcpy(dst->ns, src->ns, src->nns * sizeof(*dst->ns));
    memcpy(dst->glue, src->glue, src->nglue * sizeof(*dst->glue));
    memcpy(dst->ignored, src->ignored, src->nignored * sizeof(*dst->ignored));
    dst->nns = src->nns;
    dst->nglue = src->nglue;
    dst->nignored = src->nignored;
    return true;
}

/* ---- bookkeeping ---- */

static bool asked_before(const engine *e, gt_trace_id t, const gt_addr *a, bool tcp)
{
    const tstate *ts = &e->ts[t];
    for (size_t i = 0; i < ts->nasked; i++) {
        if (ts->asked_tcp[i] == tcp && gt_addr_eq(&ts->asked[i], a)) {
            return true;
        }
    }
    return false;
}

static void mark_asked(engine *e, gt_trace_id t, const gt_addr *a, bool tcp)
{
    tstate *ts = &e->ts[t];
    if (!engine_reserve(e, (void **)&ts->asked, &ts->capasked, ts->nasked, sizeof(gt_addr)) ||
        !engine_reserve(e, (void **)&ts->asked_tcp, &ts->capasked_tcp, ts->nasked, sizeof(bool))) {
        return;
    }
    ts->asked[ts->nasked] = *a;
    ts->asked_tcp[ts->nasked] = tcp;
    ts->nasked++;
}

/* A new query record in cut @p d for candidate @p c; 0 when none can be kept. */
static gt_query_id new_query(engine *e, zcut_id d, const cand *c, bool tcp)
{
    gt_result *r = e->res;
    if (r->nqueries >= GT_MAX_RECORDS) {
        if (!e->records_capped) {
            e->records_capped = true;
            engine_finding(e, GT_F_LIMIT_REACHED, NULL, 0,
                           "%d query records kept: further servers not asked", GT_MAX_RECORDS);
        }
        return 0;
    }
    if (!engine_reserve(e, (void **)&r->queries, &r->capqueries, r->nqueries, sizeof(gt_query *)) ||
        !engine_reserve(e, (void **)&e->qi, &e->capqi, r->nqueries, sizeof(qinfo))) {
        return 0;
    }
    gt_query *q = calloc(1, sizeof(*q));
    if (q == NULL) {
        engine_fail(e, GT_ENOMEM);
        return 0;
    }
    const zcut *z = zcut_at(e, d);
    const gt_tracerec *tr = trace_at(e, z->trace);
    q->id = r->nqueries + 1;
    q->parent = c->from ? c->from : z->from;
    q->trace = z->trace;
    q->zone = z->zone;
    q->server_name = c->ns;
    q->addr = c->addr;
    q->source = c->src;
    q->glue_kind = c->kind;
    q->glue_from = c->glue_from;
    q->subtrace = c->subtrace;
    q->qname = tr->name;
    q->qtype = tr->qtype;
    q->tcp = tcp;
    q->rd = tr->kind == GT_TRACE_RESOLVER;
    r->queries[r->nqueries] = q;
    e->qi[r->nqueries].zcut = d;
    e->qi[r->nqueries].ctx = NULL;
    r->nqueries++;
    return q->id;
}

/* The deepest referral this server already gave for a cut covering qname, below @p zone. */
static gt_query_id cache_lookup(const engine *e, const gt_addr *a, const gt_name *qname,
                                const gt_name *zone)
{
    gt_query_id best = 0;
    unsigned best_labels = 0;
    for (size_t i = 0; i < e->ncache; i++) {
        const cached_ref *c = &e->cache[i];
        unsigned labels = gt_name_labels(&c->zone);
        if (gt_addr_eq(&c->addr, a) && gt_name_is_under(qname, &c->zone) &&
            gt_name_is_under(&c->zone, zone) && !gt_name_eq(&c->zone, zone) &&
            labels > best_labels) {
            best = c->query;
            best_labels = labels;
        }
    }
    return best;
}

/* ---- the wire ---- */

static void on_reply(void *arg, const gt_reply *reply);
static void process(engine *e, gt_query_id qid);
static launch_result reuse_reply(engine *e, zcut_id d, const cand *c, bool tcp, gt_msg *m);

/*
 * No route for this query's address. When its family already carried a reply, the family has a
 * route and this address has none (a multicast or otherwise unroutable glue address): say so
 * for the address and go on asking the family's others. Otherwise say so once for the family
 * and skip it from now on (a host without IPv6).
 */
static void family_unreachable(engine *e, gt_query_id qid)
{
    const gt_query *q = query_at(e, qid);
    int fi = fam_index(q->addr.family);
    if (!e->family_dead[fi] && e->fam_replied[fi] > 0) {
        char a[GT_ADDR_STRLEN];
        gt_addr_to_str(&q->addr, a, sizeof(a));
        engine_finding(e, GT_F_NO_ROUTE, NULL, qid,
                       "no route to %s from this host, although other IPv%d servers answered: "
                       "that address skipped",
                       a, fi ? 6 : 4);
        return;
    }
    if (!e->family_dead[fi]) {
        e->family_dead[fi] = true;
        engine_finding(e, GT_F_NO_ROUTE, NULL, qid,
                       "no route for IPv%d from this host: %s server addresses skipped", fi ? 6 : 4,
                       fi ? "IPv6" : "IPv4");
    }
}

/*
 * A family none of whose addresses ever replied, while the other family did, is dead from
 * here (IPv6 routed into a void): its later addresses are skipped instead of each costing a
 * whole timeout. Checked on every timeout and every reply, so with --one the first silent
 * address is the only one waited for. Diagnosis words it (FAMILY_SILENT).
 */
static void family_check(engine *e)
{
    for (int f = 0; f < 2; f++) {
        if (!e->family_dead[f] && e->fam_silent[f] > 0 && e->fam_replied[f] == 0 &&
            e->fam_replied[1 - f] > 0) {
            e->family_dead[f] = true;
        }
    }
}

/*
 * Root servers never set RA and answer for their zone with AA or a referral (RFC 1034 section
 * 4.3.1). Once GT_INTERCEPT_EVIDENCE root addresses of the hints (or all of them, when fewer)
 * have replied with RA=1 and neither AA nor a referral, and none like a root, something on
 * this network answers in their place: nothing this run could learn can be trusted, so it
 * stops here (its traces end as interrupted; diagnosis words it as DNS_INTERCEPTED) instead of
 * waiting for the rest.
 */
static void interception_check(engine *e, gt_query_id qid)
{
    const gt_query *q = query_at(e, qid);
    if (q->trace != 0 || q->source != GT_SRC_HINTS || q->zone.len != 1 || q->reply == NULL ||
        trace_at(e, 0)->kind != GT_TRACE_MAIN) {
        return;
    }
    if (q->reply->aa || q->outcome == GT_OUT_REFERRAL || !q->reply->ra) {
        e->roots_genuine++;
        return;
    }
    e->roots_intercepted++;
    size_t need = e->res->nhints < GT_INTERCEPT_EVIDENCE ? e->res->nhints : GT_INTERCEPT_EVIDENCE;
    if (e->roots_genuine == 0 && e->roots_intercepted >= need && e->state == ENGINE_TRACING) {
        engine_set_state(e, ENGINE_CANCELLED);
        gt_transport_stop(e->tp);
    }
}

/* Put query @p qid on the wire. */
static bool transmit(engine *e, gt_query_id qid)
{
    gt_query *q = query_at(e, qid);
    uint8_t buf[GT_NAME_MAX + 64];
    size_t len = 0;
    gt_query_opts o = {.id = e->next_id++,
                       .rd = q->rd,
                       .edns = e->cfg->edns,
                       .bufsize = e->cfg->bufsize,
                       .do_bit = e->cfg->dnssec && !q->rd,
                       .cd = q->cd};
    sendctx *sc = malloc(sizeof(*sc));
    if (sc == NULL) {
        engine_fail(e, GT_ENOMEM);
        q->outcome = GT_OUT_ERROR;
        return false;
    }
    sc->e = e;
    sc->qid = qid;
    gt_status st = gt_build_query(buf, sizeof(buf), &len, &q->qname, q->qtype, &o);
    if (st == GT_OK) {
        st = gt_transport_send(e->tp, &q->addr, q->tcp, buf, len, on_reply, sc);
    }
    if (st != GT_OK) {
        free(sc);
        q->net_status = st;
        q->outcome = st == GT_ENETUNREACH ? GT_OUT_UNREACHABLE : GT_OUT_ERROR;
        if (st == GT_ENETUNREACH) {
            family_unreachable(e, qid);
        }
        return false;
    }
    e->qi[qid - 1].ctx = sc;
    q->sent_ms = gt_clock_ms() - e->t0;
    e->res->sent++;
    e->ts[q->trace].inflight++;
    if (e->hooks != NULL && e->hooks->on_send != NULL) {
        e->hooks->on_send(e->hooks->arg, e->res, q);
    }
    return true;
}

static bool budget_left(engine *e)
{
    if (e->res->sent < e->cfg->max_queries) {
        return true;
    }
    e->budget_skipped++;
    if (!e->budget_noted) {
        e->budget_noted = true;
        engine_finding(e, GT_F_LIMIT_REACHED, NULL, 0,
                       "query budget of %u reached (--max-queries); further servers not asked",
                       e->cfg->max_queries);
    }
    return false;
}

/* The network query asking server @p a this question over this transport, or 0. */
static gt_query_id find_sent(const engine *e, const gt_addr *a, const gt_name *qname,
                             uint16_t qtype, bool tcp)
{
    for (size_t i = 0; i < e->nsent_ids; i++) {
        const gt_query *q = query_at(e, e->sent_ids[i]);
        if (q->tcp == tcp && q->qtype == qtype && gt_addr_eq(&q->addr, a) &&
            gt_name_eq(&q->qname, qname)) {
            return q->id;
        }
    }
    return 0;
}

/* Give query @p dst (not sent) the outcome of the identical query @p src. */
static void copy_shared(engine *e, gt_query_id dst, gt_query_id src)
{
    gt_query *q = query_at(e, dst);
    const gt_query *o = query_at(e, src);
    q->outcome = o->outcome;
    q->cls = o->cls;
    q->net_status = o->net_status;
    if (o->has_referral) {
        if (copy_referral(&o->referral, &q->referral)) {
            q->has_referral = true;
        } else {
            engine_fail(e, GT_ENOMEM);
        }
    }
}

/* Query @p qid of trace @p t asks what the in-flight or finished query @p prev asked. */
static launch_result share(engine *e, gt_trace_id t, gt_query_id qid, gt_query_id prev)
{
    query_at(e, qid)->cached_from = prev;
    if (query_at(e, prev)->outcome != GT_OUT_PENDING) {
        copy_shared(e, qid, prev);
        process(e, qid);
        return LAUNCH_CACHED;
    }
    if (!engine_reserve(e, (void **)&e->shares, &e->capshares, e->nshares, sizeof(e->shares[0]))) {
        return LAUNCH_SKIPPED;
    }
    e->shares[e->nshares][0] = prev;
    e->shares[e->nshares][1] = qid;
    e->nshares++;
    e->ts[t].inflight++;
    return LAUNCH_SENT;
}

/*
 * Put a question to a server, once per run: when another trace already asked this server the
 * same question over the same transport, its reply is shared (now, or when it arrives).
 */
static launch_result ask(engine *e, zcut_id d, const cand *c, bool tcp, gt_query_id retry_of)
{
    gt_trace_id t = zcut_at(e, d)->trace;
    if (engine_stopped(e)) {
        return LAUNCH_SKIPPED;
    }
    gt_query_id prev = find_sent(e, &c->addr, &trace_at(e, t)->name, trace_at(e, t)->qtype, tcp);
    if (prev == 0 && !budget_left(e)) {
        return LAUNCH_SKIPPED;
    }
    gt_query_id qid = new_query(e, d, c, tcp);
    if (qid == 0) {
        return LAUNCH_SKIPPED;
    }
    query_at(e, qid)->retry_of = retry_of;
    if (prev != 0) {
        return share(e, t, qid, prev);
    }
    if (!transmit(e, qid)) {
        return LAUNCH_SKIPPED;
    }
    if (engine_reserve(e, (void **)&e->sent_ids, &e->capsent_ids, e->nsent_ids,
                       sizeof(gt_query_id))) {
        e->sent_ids[e->nsent_ids++] = qid;
    }
    return LAUNCH_SENT;
}

gt_query_id resolver_send(engine *e, zcut_id d, const cand *c, bool cd, unsigned sample)
{
    if (engine_stopped(e) || (e->cfg->family != AF_UNSPEC && c->addr.family != e->cfg->family) ||
        e->family_dead[fam_index(c->addr.family)] || !budget_left(e)) {
        return 0;
    }
    gt_query_id qid = new_query(e, d, c, e->cfg->tcp);
    if (qid == 0) {
        return 0;
    }
    query_at(e, qid)->cd = cd;
    query_at(e, qid)->sample = sample;
    if (!transmit(e, qid)) {
        return qid;
    }
    if (engine_reserve(e, (void **)&e->sent_ids, &e->capsent_ids, e->nsent_ids,
                       sizeof(gt_query_id))) {
        e->sent_ids[e->nsent_ids++] = qid;
    }
    return qid;
}

/* A referral kept from earlier (run cache or bulk session) answers candidate @p c now. */
static launch_result reuse_referral(engine *e, zcut_id d, const cand *c, bool tcp,
                                    gt_query_id cached_from, const gt_class *cls,
                                    const gt_referral *ref, const gt_msg *msg)
{
    gt_query_id qid = new_query(e, d, c, tcp);
    if (qid == 0) {
        return LAUNCH_SKIPPED;
    }
    gt_query *q = query_at(e, qid);
    q->cached_from = cached_from;
    q->from_session = cached_from == 0;
    q->outcome = GT_OUT_REFERRAL;
    q->cls = *cls;
    if (!copy_referral(ref, &q->referral)) {
        engine_fail(e, GT_ENOMEM);
        q->outcome = GT_OUT_ERROR;
        return LAUNCH_SKIPPED;
    }
    q->has_referral = true;
    /* a session's referral comes with its reply (its DS set and NSEC proofs for DNSSEC) */
    if (msg != NULL && gt_msg_copy(msg, &q->reply) == GT_OK) {
        q->reply_len = msg->wire_len;
    }
    process(e, qid);
    return LAUNCH_CACHED;
}

/* A special-purpose address met on a trace that started from public hints: not asked. */
static bool special_skipped(engine *e, zcut_id d, const cand *c)
{
    if (!e->public_start || !gt_addr_is_special(&c->addr)) {
        return false;
    }
    char a[GT_ADDR_STRLEN], n[GT_NAME_STRLEN], z[GT_NAME_STRLEN];
    gt_name zone = zcut_at(e, d)->zone;
    gt_query_id from = c->src == GT_SRC_GLUE ? c->glue_from : zcut_at(e, d)->from;
    gt_name_to_str(&zone, z, sizeof(z));
    if (c->ns.len) {
        gt_name_to_str(&c->ns, n, sizeof(n));
    } else {
        n[0] = '-';
        n[1] = '\0';
    }
    engine_finding(e, GT_F_SPECIAL_PURPOSE_ADDRESS, &zone, from,
                   "%s %s (%s) for zone %s is a special-purpose address that can never be a "
                   "public server: not asked (the trace started from public root hints)",
                   n, gt_addr_to_str(&c->addr, a, sizeof(a)),
                   c->src == GT_SRC_SUBTRACE ? "from a sub-trace" : gt_source_str(c->src), z);
    return true;
}

launch_result launch(engine *e, zcut_id d, const cand *c, bool tcp)
{
    gt_trace_id t = zcut_at(e, d)->trace;
    if (special_skipped(e, d, c)) {
        return LAUNCH_SKIPPED;
    }
    if (engine_stopped(e) || (e->cfg->family != AF_UNSPEC && c->addr.family != e->cfg->family)) {
        return LAUNCH_SKIPPED;
    }
    if (e->family_dead[fam_index(c->addr.family)] || asked_before(e, t, &c->addr, tcp)) {
        return LAUNCH_SKIPPED;
    }
    mark_asked(e, t, &c->addr, tcp);
    if (!e->cfg->no_cache) {
        gt_name zone = zcut_at(e, d)->zone;
        gt_query_id hit = cache_lookup(e, &c->addr, &trace_at(e, t)->name, &zone);
        if (hit != 0) {
            const gt_query *orig = query_at(e, hit);
            return reuse_referral(e, d, c, orig->tcp, hit, &orig->cls, &orig->referral, NULL);
        }
        gt_class cls;
        const gt_referral *ref = NULL;
        const gt_msg *msg = NULL;
        if (session_referral(e, &c->addr, &trace_at(e, t)->name, &zone, &cls, &ref, &msg)) {
            return reuse_referral(e, d, c, false, 0, &cls, ref, msg);
        }
        const gt_tracerec *tr = trace_at(e, t);
        gt_msg *m = NULL;
        if (tr->kind == GT_TRACE_CHECK && tr->qtype == GT_TYPE_DNSKEY &&
            (m = session_dnskey(e, &c->addr, tcp, &tr->name)) != NULL) {
            return reuse_reply(e, d, c, tcp, m);
        }
    }
    return ask(e, d, c, tcp, 0);
}

/* ---- replies ---- */

/* Addresses in an answer, for sub-traces. */
static void collect_addrs(engine *e, gt_query_id qid)
{
    gt_query *q = query_at(e, qid);
    const gt_msg *m = gt_query_reply(e->res, q);
    if (m == NULL || (q->qtype != GT_TYPE_A && q->qtype != GT_TYPE_AAAA)) {
        return;
    }
    gt_name final_name = q->cls.final_name;
    uint16_t qtype = q->qtype;
    gt_trace_id t = q->trace;
    for (size_t i = 0; i < m->count[GT_SEC_ANSWER]; i++) {
        const gt_rr *rr = &m->rrs[GT_SEC_ANSWER][i];
        bool ok = (rr->type == GT_TYPE_A && rr->rdlen == 4) ||
                  (rr->type == GT_TYPE_AAAA && rr->rdlen == 16);
        if (ok && rr->type == qtype && gt_name_eq(&rr->owner, &final_name)) {
            gt_addr a;
            gt_addr_from_bytes(&a, rr->rdata, rr->rdlen);
            trace_add_addr(e, t, &a);
            m = gt_query_reply(e->res, query_at(e, qid));
        }
    }
}

void cand_of_query(const gt_query *q, cand *c)
{
    memset(c, 0, sizeof(*c));
    c->ns = q->server_name;
    c->addr = q->addr;
    c->src = q->source;
    c->kind = q->glue_kind;
    c->glue_from = q->glue_from;
    c->subtrace = q->subtrace;
}

/* Truncated over UDP (RFC 7766): the same server over TCP; the partial data is not used. */
static bool retry_over_tcp(engine *e, zcut_id d, gt_query_id qid)
{
    const gt_query *q = query_at(e, qid);
    gt_trace_id t = q->trace;
    cand c;
    cand_of_query(q, &c);
    if (asked_before(e, t, &c.addr, true)) {
        return false;
    }
    mark_asked(e, t, &c.addr, true);
    return ask(e, d, &c, true, qid) == LAUNCH_SENT;
}

/* Act on a classified query (network reply or cached referral). */
static void process_outcome(engine *e, gt_query_id qid)
{
    const gt_query *q = query_at(e, qid);
    gt_trace_id t = q->trace;
    zcut_id d = e->qi[qid - 1].zcut;
    bool retry_out = false;
    e->ts[t].seen |= 1u << q->outcome;
    if (trace_at(e, t)->kind == GT_TRACE_RESOLVER) {
        resolver_reply(e, qid); /* the census: NS names it holds, CD=1 after a SERVFAIL */
    }
    switch (q->outcome) {
    case GT_OUT_TRUNCATED:
        retry_out = retry_over_tcp(e, d, qid);
        break;
    case GT_OUT_REFERRAL:
        if (trace_follows(trace_at(e, t)->kind)) {
            follow_referral(e, qid);
        }
        break;
    case GT_OUT_ANSWER:
        collect_addrs(e, qid);
        offer_child_addrs(e, qid);
        break;
    case GT_OUT_CNAME:
        if (trace_follows(trace_at(e, t)->kind)) {
            follow_cname(e, qid);
        }
        break;
    default:
        check_replace(e, qid); /* a check without an authoritative reply: another server */
        break;
    }
    e->strategy->reply_done(e, d, qid, retry_out);
}

/* Act on a query's outcome, then tell the observer (after same_as and the like are set). */
static void process(engine *e, gt_query_id qid)
{
    e->t_last = gt_clock_ms();
    if (!engine_stopped(e)) {
        process_outcome(e, qid);
    }
    if (e->hooks != NULL && e->hooks->on_query != NULL) {
        e->hooks->on_query(e->hooks->arg, e->res, query_at(e, qid));
    }
}

/* A transport failure as an outcome. */
static void reply_failed(engine *e, gt_query_id qid, gt_status st)
{
    gt_query *q = query_at(e, qid);
    switch (st) {
    case GT_ETIMEOUT:
        q->outcome = GT_OUT_TIMEOUT;
        e->res->timeouts++;
        break;
    case GT_ENETUNREACH:
        q->outcome = GT_OUT_UNREACHABLE;
        family_unreachable(e, qid);
        break;
    case GT_ECONNREFUSED:
        q->outcome = GT_OUT_UNREACHABLE;
        break;
    case GT_ESHORTREAD: /* the server answered, but not a whole message */
        q->outcome = GT_OUT_MALFORMED;
        break;
    case GT_ENOMEM:
        engine_fail(e, GT_ENOMEM);
        q->outcome = GT_OUT_ERROR;
        break;
    default:
        q->outcome = GT_OUT_ERROR;
        break;
    }
}

/* Check and classify the parsed reply @p m (owned from here) into query @p qid. */
static void reply_judge(engine *e, gt_query_id qid, gt_msg *m)
{
    gt_query *q = query_at(e, qid);
    q->reply = m;
    if (!gt_reply_matches(m, &q->qname, q->qtype)) {
        q->outcome = GT_OUT_MALFORMED;
        return;
    }
    gt_classify(&q->qname, q->qtype, &q->zone, m, q->tcp, &q->cls);
    if (trace_at(e, q->trace)->kind == GT_TRACE_RESOLVER && q->cls.outcome == GT_OUT_LAME &&
        q->cls.lame == GT_LAME_NOT_AUTH) {
        /* A recursive answer carries no AA: judge it as if it did. */
        gt_msg as_auth = *m;
        as_auth.aa = true;
        gt_classify(&q->qname, q->qtype, &q->zone, &as_auth, q->tcp, &q->cls);
    }
    q->outcome = q->cls.outcome;
    if (q->outcome == GT_OUT_REFERRAL || q->outcome == GT_OUT_UPWARD ||
        q->outcome == GT_OUT_SIDEWAYS) {
        if (gt_referral_extract(m, &q->cls.zone, &q->zone, &q->referral) == GT_OK) {
            q->has_referral = true;
        } else {
            engine_fail(e, GT_ENOMEM);
            q->outcome = GT_OUT_ERROR;
        }
    }
}

/* Parse, check and classify a reply's bytes into query @p qid. */
static void reply_arrived(engine *e, gt_query_id qid, const gt_reply *reply)
{
    gt_query *q = query_at(e, qid);
    q->reply_len = reply->len;
    gt_msg *m = NULL;
    if (gt_msg_parse(reply->data, reply->len, &m) != GT_OK) {
        q->outcome = GT_OUT_MALFORMED;
        return;
    }
    reply_judge(e, qid, m);
}

/* The DNSKEY reply this server gave an earlier name of the bulk run (@p m, a copy owned from
 * here) answers candidate @p c now, as if it had just come. */
static launch_result reuse_reply(engine *e, zcut_id d, const cand *c, bool tcp, gt_msg *m)
{
    gt_query_id qid = new_query(e, d, c, tcp);
    if (qid == 0) {
        gt_msg_free(m);
        return LAUNCH_SKIPPED;
    }
    gt_query *q = query_at(e, qid);
    q->from_session = true;
    q->reply_len = m->wire_len;
    reply_judge(e, qid, m);
    process(e, qid);
    return LAUNCH_CACHED;
}

/* Queries of other traces that waited for @p qid's reply get it now. */
static void deliver_shares(engine *e, gt_query_id qid)
{
    for (size_t i = 0; i < e->nshares; i++) {
        if (e->shares[i][0] != qid) {
            continue;
        }
        gt_query_id dst = e->shares[i][1];
        gt_trace_id dt = query_at(e, dst)->trace;
        e->shares[i][0] = 0;
        copy_shared(e, dst, qid);
        e->ts[dt].inflight--;
        process(e, dst);
        trace_maybe_done(e, dt);
        preverify_reply(e, dst);
    }
}

static void on_reply(void *arg, const gt_reply *reply)
{
    sendctx *sc = arg;
    engine *e = sc->e;
    gt_query_id qid = sc->qid;
    free(sc);
    e->qi[qid - 1].ctx = NULL;
    gt_query *q = query_at(e, qid);
    gt_trace_id t = q->trace;
    e->ts[t].inflight--;
    q->rtt_ms = reply->rtt_ms;
    q->net_status = reply->status;
    int fi = fam_index(q->addr.family);
    e->fam_replied[fi] += reply->status == GT_OK;
    e->fam_silent[fi] += reply->status == GT_ETIMEOUT;
    family_check(e);
    if (reply->status != GT_OK) {
        q->reply_len = reply->len; /* GT_ESHORTREAD: the bytes that did come */
        reply_failed(e, qid, reply->status);
    } else {
        reply_arrived(e, qid, reply);
        interception_check(e, qid);
    }
    process(e, qid);
    deliver_shares(e, qid);
    trace_maybe_done(e, t);
    preverify_reply(e, qid); /* the follow-up queries are out: use the wait */
}
