/*
 * Zone cuts and their candidate servers (after Unbound's delegpt), and the one place where
 * all-paths and --one differ: the path strategies consulted at every decision point.
 *
 * All paths: every server address of a cut is asked as soon as it is known, every glueless
 * NS name is sub-traced at once, and the delegation checks run.
 * --one: a cut keeps its candidates in order and has exactly one query out until a usable
 * reply arrives; glueless NS names are sub-traced only when the glued candidates ran out.
 */
#include "engine_int.h"

#include <string.h>
#include <sys/socket.h>

zcut_id zcut_new(engine *e, gt_trace_id trace, const gt_name *zone, gt_query_id from)
{
    if (!engine_reserve(e, (void **)&e->zcuts, &e->capzcuts, e->nzcuts, sizeof(zcut))) {
        return NO_ID;
    }
    zcut_id d = e->nzcuts++;
    zcut *z = zcut_at(e, d);
    memset(z, 0, sizeof(*z));
    z->trace = trace;
    z->zone = *zone;
    z->from = from;
    z->state = ZCUT_COLLECTING;
    return d;
}

/* ---- all paths ---- */

static void all_offer(engine *e, zcut_id d, const cand *c)
{
    if (launch(e, d, c, e->cfg->tcp) != LAUNCH_SKIPPED) {
        zcut_set_state(e, d, ZCUT_ASKING);
        schedule_checks(e, d, c);
        schedule_dnskey(e, d, c);
    }
}

static void all_glueless(engine *e, zcut_id d, const gt_name *ns)
{
    need_ns(e, d, ns);
}

static void all_nothing(engine *e, zcut_id d)
{
    (void)e;
    (void)d;
}

static void all_reply_done(engine *e, zcut_id d, gt_query_id q, bool retry_out)
{
    (void)e;
    (void)d;
    (void)q;
    (void)retry_out;
}

/* ---- --one ---- */

static bool usable(gt_outcome o)
{
    return o == GT_OUT_ANSWER || o == GT_OUT_CNAME || o == GT_OUT_REFERRAL ||
           o == GT_OUT_NXDOMAIN || o == GT_OUT_NODATA;
}

/*
 * --one: while a family has never replied and either went silent or the other family did
 * reply, try the other family's next address first (order kept otherwise). A silent family
 * then costs one timeout at most (query.c declares it dead once the other answers), and the
 * one path sticks to the family that is known to work.
 */
static void prefer_live_family(const engine *e, zcut *z)
{
    int f = z->cands[z->next].addr.family == AF_INET6;
    if (e->fam_replied[f] > 0 || (e->fam_silent[f] == 0 && e->fam_replied[1 - f] == 0)) {
        return;
    }
    for (size_t i = z->next + 1; i < z->ncands; i++) {
        if ((z->cands[i].addr.family == AF_INET6) != f) {
            cand c = z->cands[i];
            memmove(&z->cands[z->next + 1], &z->cands[z->next], (i - z->next) * sizeof(cand));
            z->cands[z->next] = c;
            return;
        }
    }
}

/* Keep exactly one query out for the cut until one gives a usable reply. */
static void one_advance(engine *e, zcut_id d)
{
    for (;;) {
        zcut *z = zcut_at(e, d);
        if (z->state == ZCUT_ASKING || z->state == ZCUT_DONE) {
            return;
        }
        if (z->next < z->ncands) {
            prefer_live_family(e, z);
            cand c = z->cands[z->next++];
            if (launch(e, d, &c, e->cfg->tcp) == LAUNCH_SENT) {
                zcut_set_state(e, d, ZCUT_ASKING);
                schedule_dnskey(e, d, &c);
            }
            continue;
        }
        if (z->awaited > 0) {
            zcut_set_state(e, d, ZCUT_WAITING_SUBTRACE);
            return;
        }
        if (z->next_glueless < z->nglueless) {
            gt_name ns = z->glueless[z->next_glueless++];
            need_ns(e, d, &ns);
            continue;
        }
        zcut_set_state(e, d, ZCUT_COLLECTING);
        return;
    }
}

static void one_offer(engine *e, zcut_id d, const cand *c)
{
    zcut *z = zcut_at(e, d);
    if (!engine_reserve(e, (void **)&z->cands, &z->capcands, z->ncands, sizeof(cand))) {
        return;
    }
    z->cands[z->ncands++] = *c;
    one_advance(e, d);
}

static void one_glueless(engine *e, zcut_id d, const gt_name *ns)
{
    zcut *z = zcut_at(e, d);
    if (!engine_reserve(e, (void **)&z->glueless, &z->capglueless, z->nglueless, sizeof(gt_name))) {
        return;
    }
    z->glueless[z->nglueless++] = *ns;
}

static void one_reply_done(engine *e, zcut_id d, gt_query_id q, bool retry_out)
{
    if (retry_out) {
        return; /* the cut's query is still out, over TCP now */
    }
    if (zcut_at(e, d)->state != ZCUT_DONE) {
        zcut_set_state(e, d, usable(query_at(e, q)->outcome) ? ZCUT_DONE : ZCUT_COLLECTING);
    }
    one_advance(e, d);
}

static const path_strategy all_paths = {
    .name = "all-paths",
    .offer = all_offer,
    .glueless = all_glueless,
    .referral_done = all_nothing,
    .reply_done = all_reply_done,
    .subtrace_done = all_nothing,
    .delegation_checks = true,
};

static const path_strategy one_path = {
    .name = "one",
    .offer = one_offer,
    .glueless = one_glueless,
    .referral_done = one_advance,
    .reply_done = one_reply_done,
    .subtrace_done = one_advance,
    .delegation_checks = false,
};

const path_strategy *path_strategy_for(const gt_config *cfg)
{
    return cfg->one_path ? &one_path : &all_paths;
}

/* ---- where cuts come from ---- */

void start_from_hints(engine *e, gt_trace_id trace)
{
    gt_name root;
    gt_name_root(&root);
    zcut_id d = zcut_new(e, trace, &root, 0);
    if (d == NO_ID) {
        return;
    }
    cand c;
    if (trace == 0 && e->cfg->have_server) {
        memset(&c, 0, sizeof(c));
        c.addr = e->cfg->server;
        c.src = GT_SRC_USER;
        e->strategy->offer(e, d, &c);
        return;
    }
    for (size_t i = 0; i < e->hints->nservers; i++) {
        const gt_hint_server *hs = &e->hints->servers[i];
        for (size_t j = 0; j < hs->naddrs; j++) {
            memset(&c, 0, sizeof(c));
            c.ns = hs->name;
            c.addr = hs->addrs[j];
            c.src = GT_SRC_HINTS;
            e->strategy->offer(e, d, &c);
        }
    }
}

/* Remember a referral for reuse by later traces asking the same server (not --no-cache). */
static void cache_referral(engine *e, const gt_query *q)
{
    if (q->cached_from || e->cfg->no_cache ||
        !engine_reserve(e, (void **)&e->cache, &e->capcache, e->ncache, sizeof(cached_ref))) {
        return;
    }
    cached_ref *c = &e->cache[e->ncache++];
    c->addr = q->addr;
    c->zone = q->referral.zone;
    c->query = q->id;
}

/* Whether trace @p t followed a referral identical to @p qid's: note it (same_as) if so. */
static bool followed_before(engine *e, gt_trace_id t, gt_query_id qid)
{
    tstate *ts = &e->ts[t];
    gt_query *q = query_at(e, qid);
    for (size_t i = 0; i < ts->nfollowed; i++) {
        if (gt_referral_same(&query_at(e, ts->followed[i])->referral, &q->referral)) {
            q->same_as = ts->followed[i];
            return true;
        }
    }
    if (!engine_reserve(e, (void **)&ts->followed, &ts->capfollowed, ts->nfollowed,
                        sizeof(gt_query_id))) {
        return true;
    }
    ts->followed[ts->nfollowed++] = qid;
    return false;
}

/* Offer the cut every glued address of referral @p ref (from @p qid); the rest are glueless. */
static void offer_referral(engine *e, zcut_id d, gt_query_id qid, const gt_referral *ref)
{
    for (size_t i = 0; i < ref->nns; i++) {
        bool any = false;
        for (size_t j = 0; j < ref->nglue; j++) {
            if (!gt_name_eq(&ref->glue[j].name, &ref->ns[i])) {
                continue;
            }
            any = true;
            cand c;
            memset(&c, 0, sizeof(c));
            c.ns = ref->ns[i];
            c.addr = ref->glue[j].addr;
            c.src = GT_SRC_GLUE;
            c.kind = ref->glue[j].kind;
            c.glue_from = qid;
            e->strategy->offer(e, d, &c);
        }
        if (!any) {
            e->strategy->glueless(e, d, &ref->ns[i]);
        }
    }
}

/*
 * A sub-trace got a referral whose glue is for the very name it resolves: that glue is an
 * address of the name as much as the child's answer will be (a glue-faithful resolver uses
 * it), so it is one of the sub-trace's addresses; diagnosis compares it with the answer.
 */
static void glue_for_subtrace(engine *e, gt_trace_id t, const gt_referral *ref)
{
    const gt_tracerec *tr = trace_at(e, t);
    if (tr->kind != GT_TRACE_SUBTRACE) {
        return;
    }
    gt_name name = tr->name;
    int fam = tr->qtype == GT_TYPE_A ? AF_INET : AF_INET6;
    for (size_t j = 0; j < ref->nglue; j++) {
        if (ref->glue[j].addr.family == fam && gt_name_eq(&ref->glue[j].name, &name)) {
            trace_add_addr(e, t, &ref->glue[j].addr);
        }
    }
}

void follow_referral(engine *e, gt_query_id qid)
{
    gt_trace_id t = query_at(e, qid)->trace;
    cache_referral(e, query_at(e, qid));
    if (followed_before(e, t, qid)) {
        return;
    }
    gt_name zone = query_at(e, qid)->referral.zone;
    zcut_id d = zcut_new(e, t, &zone, qid);
    if (d == NO_ID) {
        return;
    }
    /* Copy what is needed: launching may add queries and move nothing we hold. */
    gt_referral ref;
    if (!copy_referral(&query_at(e, qid)->referral, &ref)) {
        engine_fail(e, GT_ENOMEM);
        return;
    }
    offer_referral(e, d, qid, &ref);
    glue_for_subtrace(e, t, &ref);
    gt_referral_clear(&ref);
    e->strategy->referral_done(e, d);
}
