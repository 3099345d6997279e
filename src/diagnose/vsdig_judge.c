/*
 * --vs-dig, the servers dig asked: every step of dig's trace judged by what gluetrace saw from
 * that very address asked as a server of the same zone (a lame reply, an upward referral, no
 * reply, an old copy of the zone, other data), the problems of the trace dig's output cannot
 * show, and where several dig runs ended (docs/dig-comparison.md). Every fact is read from the
 * run's queries and problems; nothing is asked again.
 */
#include "vsdig_priv.h"

#include "gluetrace/wire/rdata.h"

#include <string.h>

/* dig printed port P; gluetrace asked port 53 unless told: compare addresses on dig's port. */
static bool same_addr(const gt_addr *gt, const gt_addr *dig)
{
    gt_addr x = *gt;
    x.port = dig->port;
    return gt_addr_eq(&x, dig);
}

static bool final_outcome(gt_outcome o)
{
    return o == GT_OUT_ANSWER || o == GT_OUT_CNAME || o == GT_OUT_NXDOMAIN || o == GT_OUT_NODATA;
}

/* How much a reply tells about a server: a usable reply beats a lame one beats none. */
static int outcome_rank(gt_outcome o)
{
    if (final_outcome(o) || o == GT_OUT_REFERRAL) {
        return 4;
    }
    if (o == GT_OUT_UPWARD || o == GT_OUT_SIDEWAYS) {
        return 3;
    }
    if (o == GT_OUT_LAME) {
        return 2;
    }
    if (o == GT_OUT_TIMEOUT || o == GT_OUT_UNREACHABLE) {
        return 1;
    }
    return 0;
}

/* gluetrace's query of @p addr as a server of @p zone that tells most about it, preferring
 * dig's own question (the name traced); NULL when gluetrace never asked that address there. */
static const gt_query *best_query(const gt_result *r, const gt_name *zone, const gt_addr *addr)
{
    const gt_query *best = NULL;
    int best_rank = -1;
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (!gt_vd_usable_query(r, q) || !gt_name_eq(&q->zone, zone) ||
            !same_addr(&q->addr, addr)) {
            continue;
        }
        bool same_q = gt_name_eq(&q->qname, &r->qname) && q->qtype == r->qtype;
        int rank = outcome_rank(q->outcome) * 2 + (same_q ? 1 : 0);
        if (rank > best_rank) {
            best = q;
            best_rank = rank;
        }
    }
    return best;
}

/* The serial of an SOA record's RDATA (RFC 1035 3.3.13). */
static bool soa_serial(const gt_rr *rr, uint32_t *serial)
{
    gt_cursor c;
    gt_name mname, rname;
    gt_cursor_init(&c, rr->rdata, rr->rdlen);
    gt_cursor_name(&c, &mname);
    gt_cursor_name(&c, &rname);
    *serial = gt_cursor_u32(&c);
    return c.err == GT_OK;
}

/* The SOA serial @p addr gave for @p zone in the delegation checks; false when none did. */
static bool addr_serial(const gt_result *r, const gt_name *zone, const gt_addr *addr,
                        uint32_t *serial)
{
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        const gt_msg *m = gt_query_reply(r, q);
        if (m == NULL || q->qtype != GT_TYPE_SOA || q->outcome != GT_OUT_ANSWER ||
            !gt_name_eq(&q->qname, zone) || !same_addr(&q->addr, addr)) {
            continue;
        }
        for (size_t k = 0; k < m->count[GT_SEC_ANSWER]; k++) {
            const gt_rr *rr = &m->rrs[GT_SEC_ANSWER][k];
            if (rr->type == GT_TYPE_SOA && gt_name_eq(&rr->owner, zone) && soa_serial(rr, serial)) {
                return true;
            }
        }
    }
    return false;
}

/* The newest serial any server of @p zone gave (RFC 1982 order), and who gave it. */
static const gt_query *newest_serial(const gt_result *r, const gt_name *zone, uint32_t *serial)
{
    const gt_query *who = NULL;
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        const gt_msg *m = gt_query_reply(r, q);
        uint32_t s;
        if (m == NULL || q->qtype != GT_TYPE_SOA || q->outcome != GT_OUT_ANSWER ||
            !gt_name_eq(&q->qname, zone) || !addr_serial(r, zone, &q->addr, &s)) {
            continue;
        }
        if (who == NULL || (int32_t)(s - *serial) > 0) {
            who = q;
            *serial = s;
        }
    }
    return who;
}

/* Does dig's final reply in @p st hold the same data as @p m (the reply gluetrace got)? */
static bool same_reply(const gt_result *r, const vd_step *st, const gt_query *q)
{
    const gt_msg *m = gt_query_reply(r, q);
    size_t ndig = 0, ngt = 0;
    for (size_t k = 0; k < st->nrrs; k++) {
        if (!gt_vd_is_answer_rr(r, st, &st->rrs[k])) {
            continue;
        }
        ndig++;
        if (m == NULL || !gt_vd_rr_in_msg(&st->rrs[k], m)) {
            return false;
        }
    }
    if (ndig == 0) {
        return q->outcome == GT_OUT_NXDOMAIN || q->outcome == GT_OUT_NODATA;
    }
    for (size_t k = 0; m != NULL && k < m->count[GT_SEC_ANSWER]; k++) {
        uint16_t t = m->rrs[GT_SEC_ANSWER][k].type;
        ngt += t == r->qtype || t == GT_TYPE_CNAME;
    }
    return ngt == ndig;
}

/* The main question's query of @p addr at @p zone with a final reply, or NULL. */
static const gt_query *answer_of(const gt_result *r, const gt_name *zone, const gt_addr *addr)
{
    const gt_query *q = best_query(r, zone, addr);
    return q != NULL && final_outcome(q->outcome) && gt_name_eq(&q->qname, &r->qname) &&
                   q->qtype == r->qtype
               ? q
               : NULL;
}

/* The answer step: the same data as that server gives, from an up-to-date copy? */
static void judge_answer(const gt_result *r, vd_step *st, const gt_query *q)
{
    if (!same_reply(r, st, q)) {
        st->judge = VD_J_DIFFERENT;
        snprintf(st->judge_text, sizeof(st->judge_text),
                 "it gave gluetrace other data for the name (%s)", gt_outcome_str(q->outcome));
        return;
    }
    uint32_t mine, newest = 0;
    const gt_query *top = newest_serial(r, &st->zone, &newest);
    if (top == NULL || !addr_serial(r, &st->zone, &st->addr, &mine) ||
        (int32_t)(newest - mine) <= 0) {
        return; /* up to date, or nothing to compare */
    }
    /* An old copy that still answers as the newest one does is no wrong turn for dig. */
    const gt_query *cur = answer_of(r, &st->zone, &top->addr);
    if (cur != NULL && same_reply(r, st, cur)) {
        return;
    }
    st->judge = VD_J_OLD_SERIAL;
    st->judge_code = GT_F_SERIAL_MISMATCH;
    st->judge_text[0] = '\0';
    st->serial = mine;
    st->newest_serial = newest;
    if (top->server_name.len) {
        gt_vd_name(&top->server_name, st->newest_by, sizeof(st->newest_by));
    } else {
        gt_addr_to_str(&top->addr, st->newest_by, sizeof(st->newest_by));
    }
    gt_vd_append(st->judge_text, sizeof(st->judge_text),
                 "an old copy: serial %u, behind %s (serial %u)", (unsigned)mine, st->newest_by,
                 (unsigned)newest);
}

/* Judge step @p st of a run by gluetrace's reply from the same address. */
static void judge_step(const gt_result *r, vd_step *st)
{
    char rc[16], b[GT_NAME_STRLEN];
    st->judge = VD_J_NONE;
    st->judge_text[0] = '\0';
    st->judge_code = GT_F_COUNT;
    st->judge_query = 0;
    if (st->kind == VD_ROOT || !st->received || !st->have_addr || st->check == VD_MISLED) {
        return; /* a resolver's address is judged by the address check */
    }
    const gt_query *q = best_query(r, &st->zone, &st->addr);
    if (q == NULL) {
        st->judge = VD_J_NOT_ASKED;
        snprintf(st->judge_text, sizeof(st->judge_text),
                 "gluetrace did not ask this address as a server of this zone");
        return;
    }
    st->judge_query = q->id;
    const gt_msg *m = gt_query_reply(r, q);
    switch (q->outcome) {
    case GT_OUT_LAME:
        st->judge = VD_J_LAME;
        st->judge_code = GT_F_LAME_SERVER;
        if (m != NULL && m->rcode != 0) {
            snprintf(st->judge_text, sizeof(st->judge_text), "%s: lame",
                     gt_rcode_to_str(m->rcode, rc, sizeof(rc)));
        } else {
            snprintf(st->judge_text, sizeof(st->judge_text), "not authoritative: lame");
        }
        return;
    case GT_OUT_UPWARD:
    case GT_OUT_SIDEWAYS:
        st->judge = VD_J_UPWARD;
        st->judge_code = GT_F_LAME_SERVER;
        gt_vd_append(st->judge_text, sizeof(st->judge_text), "%s referral to %s: lame",
                     q->outcome == GT_OUT_UPWARD ? "upward" : "sideways",
                     gt_vd_name(&q->cls.zone, b, sizeof(b)));
        return;
    case GT_OUT_TIMEOUT:
    case GT_OUT_UNREACHABLE:
        st->judge = VD_J_TIMEOUT;
        st->judge_code = GT_F_UNREACHABLE_SERVER;
        snprintf(st->judge_text, sizeof(st->judge_text), "%s",
                 q->outcome == GT_OUT_TIMEOUT ? "no reply: timeout" : "no reply: unreachable");
        return;
    default:
        break;
    }
    if (outcome_rank(q->outcome) < 4) {
        return; /* malformed, local error: nothing to judge the server by */
    }
    st->judge = VD_J_OK;
    snprintf(st->judge_text, sizeof(st->judge_text), "%s", gt_outcome_str(q->outcome));
    if (st->kind == VD_ANSWER && final_outcome(q->outcome)) {
        judge_answer(r, st, q);
    }
}

void gt_vd_judge_steps(const gt_result *r, vd_run *v)
{
    v->have_cause = false;
    for (size_t i = 0; i < v->nsteps; i++) {
        judge_step(r, &v->steps[i]);
        vd_judge j = v->steps[i].judge;
        if (!v->have_cause && (j == VD_J_LAME || j == VD_J_UPWARD || j == VD_J_TIMEOUT ||
                               j == VD_J_OLD_SERIAL || j == VD_J_DIFFERENT)) {
            v->have_cause = true;
            v->cause_step = i;
        }
    }
}

size_t gt_vd_servers_answering(const gt_result *r, const gt_name *zone, size_t *total)
{
    gt_name names[GT_DIG_MAX_KNOWN];
    bool ok[GT_DIG_MAX_KNOWN];
    size_t n = 0, good = 0;
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (!gt_vd_usable_query(r, q) || !gt_name_eq(&q->zone, zone) || q->server_name.len == 0 ||
            !gt_name_eq(&q->qname, &r->qname) || q->qtype != r->qtype) {
            continue;
        }
        size_t k = 0;
        while (k < n && !gt_name_eq(&names[k], &q->server_name)) {
            k++;
        }
        if (k == n) {
            if (n == GT_DIG_MAX_KNOWN) {
                continue;
            }
            names[n] = q->server_name;
            ok[n++] = false;
        }
        ok[k] = ok[k] || final_outcome(q->outcome) || q->outcome == GT_OUT_REFERRAL;
    }
    for (size_t k = 0; k < n; k++) {
        good += ok[k];
    }
    *total = n;
    return good;
}

/* ---- what dig's output cannot show ---- */

/* Did dig ask a server of that name (or at that address) in any step, or note an error for it? */
static bool dig_shows(const vd_run *v, const gt_problem *p)
{
    char a[GT_ADDR_STRLEN];
    for (size_t i = 0; i < v->nsteps; i++) {
        const vd_step *s = &v->steps[i];
        for (size_t k = 0; k < p->naddrs; k++) {
            gt_addr_to_str(&p->addrs[k], a, sizeof(a));
            for (size_t n = 0; n < s->nnotes; n++) {
                if (strstr(s->notes[n], a) != NULL) {
                    return true; /* "communications error to ADDR#53: ..." */
                }
            }
        }
    }
    return false;
}

static bool dig_asked_name(const vd_run *v, const char *server)
{
    char b[GT_NAME_STRLEN];
    for (size_t i = 0; i < v->nsteps; i++) {
        const vd_step *s = &v->steps[i];
        if (s->have_server && strcmp(gt_vd_name(&s->server, b, sizeof(b)), server) == 0) {
            return true;
        }
    }
    return false;
}

/* Is @p server (presentation text) one of the NS names gluetrace asked as a server of @p zone? */
static bool server_of_zone(const gt_result *r, const gt_name *zone, const char *server)
{
    char b[GT_NAME_STRLEN];
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (q->server_name.len > 0 && gt_name_eq(&q->zone, zone) &&
            strcmp(gt_vd_name(&q->server_name, b, sizeof(b)), server) == 0) {
            return true;
        }
    }
    return false;
}

/* Why dig +trace could not see problem @p p (static text). */
static const char *why_unseen(const vd_run *v, const gt_problem *p, bool own_server)
{
    const char *name = gt_code_name(p->code);
    if (strncmp(name, "DNSSEC_", 7) == 0) {
        return v->dnssec ? "dig prints the signatures without validating them"
                         : "dig ran without DNSSEC records and validates nothing";
    }
    if (p->code == GT_F_INCONSISTENT_ANSWERS || p->code == GT_F_SERIAL_MISMATCH) {
        return "dig asks one server per zone and sees one copy";
    }
    if (p->code == GT_F_NS_IS_CNAME) {
        return "dig resolves NS names through its resolver, which follows the alias silently";
    }
    if (own_server && !dig_asked_name(v, p->server)) {
        return "dig asks one server per step and did not ask it";
    }
    return "dig +trace checks nothing beyond the one reply it prints per step";
}

void gt_vd_unseen(const gt_result *r, vd_run *v)
{
    v->nunseen = v->unseen_total = v->shown = 0;
    for (size_t i = 0; i < r->nproblems; i++) {
        const gt_problem *p = &r->problems[i];
        if (gt_code_severity(p->code) == GT_SEV_INFO ||
            strncmp(gt_code_name(p->code), "DIG_", 4) == 0) {
            continue;
        }
        if (dig_shows(v, p)) {
            v->shown++;
            continue;
        }
        v->unseen_total++;
        if (v->nunseen < GT_DIG_MAX_UNSEEN) {
            vd_unseen *u = &v->unseen[v->nunseen++];
            u->code = p->code;
            u->zone = p->zone;
            /* a server of the problem's zone is named; a parent's server (the one whose
             * referral showed it) is not what the problem is about */
            bool own = p->server[0] != '\0' && server_of_zone(r, &p->zone, p->server);
            snprintf(u->server, sizeof(u->server), "%s", own ? p->server : "");
            u->why = why_unseen(v, p, own);
        }
    }
    /* the CNAME links dig did not follow: its final reply has no record of the type asked */
    v->extra_links = 0;
    if (v->have_answer && r->nlinks > 1) {
        const vd_step *s = &v->steps[v->answer_step];
        bool data = false;
        for (size_t k = 0; k < s->nrrs && !data; k++) {
            data = s->rrs[k].type == r->qtype && gt_vd_is_answer_rr(r, s, &s->rrs[k]);
        }
        v->extra_links = data ? 0 : r->nlinks - 1;
    }
    v->dnssec_unseen = v->dnssec && r->answer_dnssec == GT_DNSSEC_BOGUS;
}

/* ---- where the runs ended ---- */

/* The place run @p v ended: its server and how gluetrace judges it. */
static void run_end(const gt_result *r, const vd_run *v, vd_end *e)
{
    char a[GT_ADDR_STRLEN];
    memset(e, 0, sizeof(*e));
    e->verdict = v->verdict;
    e->code = GT_F_COUNT;
    const vd_step *s = NULL;
    if (v->verdict == VD_MISLED_V) {
        for (size_t i = 0; i < v->nsteps && s == NULL; i++) {
            s = v->steps[i].check == VD_MISLED ? &v->steps[i] : NULL;
        }
    } else if (v->have_cause) {
        s = &v->steps[v->cause_step];
    } else if (v->have_answer) {
        s = &v->steps[v->answer_step];
    } else if (v->nsteps > 0) {
        s = &v->steps[v->nsteps - 1];
    }
    if (s == NULL) {
        snprintf(e->server, sizeof(e->server), "-");
        snprintf(e->what, sizeof(e->what), "no step");
        return;
    }
    e->zone = s->zone;
    e->judge = s->judge;
    if (s->have_server) {
        gt_vd_name(&s->server, e->server, sizeof(e->server));
    } else if (s->have_addr) {
        gt_addr_to_str(&s->addr, e->server, sizeof(e->server));
    } else {
        snprintf(e->server, sizeof(e->server), "-");
    }
    if (s->have_addr) {
        gt_addr tmp = s->addr;
        tmp.port = 53;
        snprintf(e->addrs, sizeof(e->addrs), "%s", gt_addr_to_str(&tmp, a, sizeof(a)));
    }
    if (v->verdict == VD_MISLED_V) {
        snprintf(e->what, sizeof(e->what), "misled: an address from its resolver, not the glue");
    } else if (v->have_cause) {
        gt_vd_append(e->what, sizeof(e->what), "%s", s->judge_text);
        e->code = s->judge_code;
    } else if (v->have_answer && v->answer_same) {
        snprintf(e->what, sizeof(e->what), "%s",
                 v->verdict == VD_AGREES ? "the glue-faithful answer" : "the same answer");
    } else if (v->have_answer) {
        gt_vd_append(e->what, sizeof(e->what), "another answer: %s", v->dig_answer);
    } else {
        snprintf(e->what, sizeof(e->what), "stopped: no final reply");
    }
    (void)r;
}

void gt_vd_ends(const gt_result *r, gt_vsdig *vs)
{
    vs->nends = 0;
    for (size_t i = 0; i < vs->nruns; i++) {
        vd_end e;
        run_end(r, &vs->runs[i], &e);
        size_t k = 0;
        while (k < vs->nends &&
               !(strcmp(vs->ends[k].server, e.server) == 0 &&
                 strcmp(vs->ends[k].what, e.what) == 0 && gt_name_eq(&vs->ends[k].zone, &e.zone))) {
            k++;
        }
        if (k == vs->nends) {
            if (vs->nends == GT_DIG_MAX_ENDS) {
                continue;
            }
            vs->ends[vs->nends++] = e;
            vs->ends[k].runs = 0;
        } else if (e.addrs[0] && strstr(vs->ends[k].addrs, e.addrs) == NULL) {
            gt_vd_append(vs->ends[k].addrs, sizeof(vs->ends[k].addrs), ", %s", e.addrs);
        }
        vs->ends[k].runs++;
    }
    /* most frequent first; equal counts keep their order (insertion sort is stable) */
    for (size_t i = 1; i < vs->nends; i++) {
        vd_end e = vs->ends[i];
        size_t k = i;
        while (k > 0 && vs->ends[k - 1].runs < e.runs) {
            vs->ends[k] = vs->ends[k - 1];
            k--;
        }
        vs->ends[k] = e;
    }
}

const char *gt_vd_judge_name(vd_judge j)
{
    switch (j) {
    case VD_J_OK:
        return "ok";
    case VD_J_NOT_ASKED:
        return "not_asked";
    case VD_J_LAME:
        return "lame";
    case VD_J_UPWARD:
        return "upward_referral";
    case VD_J_TIMEOUT:
        return "no_reply";
    case VD_J_OLD_SERIAL:
        return "old_serial";
    case VD_J_DIFFERENT:
        return "different_data";
    case VD_J_NONE:
    default:
        return "none";
    }
}
