/*
 * --vs-dig: compare saved `dig +trace` output (read by digread.c), step by step, with a
 * glue-faithful trace. dig +trace resolves every NS name through the local resolver, so the
 * question asked of each step is: is the address dig used among the glue (or sub-trace, or
 * hints) addresses gluetrace found for that NS name? See docs/dig-comparison.md. The findings
 * are added here; vsdig_report.c words the verdict and prints the comparison.
 */
#include "vsdig_priv.h"

#include "gluetrace/wire/rdata.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

void gt_vd_run_free(vd_run *v)
{
    for (size_t i = 0; i < v->nsteps; i++) {
        gt_vd_step_free(&v->steps[i]);
    }
    free(v->steps);
    free(v->message);
}

void gt_vsdig_free(gt_vsdig *v)
{
    if (v == NULL) {
        return;
    }
    for (size_t i = 0; i < v->nruns; i++) {
        gt_vd_run_free(&v->runs[i]);
    }
    free(v->runs);
    free(v->message);
    free(v);
}

/* ---- the address each step used ---- */

static void add_known(vd_step *st, const gt_addr *a, const char *source, const char *from)
{
    for (size_t i = 0; i < st->nknown; i++) {
        if (gt_addr_eq(&st->known[i].addr, a)) {
            return;
        }
    }
    if (st->nknown < GT_DIG_MAX_KNOWN) {
        vd_known *k = &st->known[st->nknown++];
        k->addr = *a;
        k->source = source;
        snprintf(k->from, sizeof(k->from), "%s", from);
    }
}

/* Every address gluetrace has for NS name @p ns as a server of @p zone. */
static void gather_known(const gt_result *r, const gt_name *zone, const gt_name *ns, vd_step *st)
{
    char b[GT_NAME_STRLEN], a[GT_ADDR_STRLEN], from[GT_NAME_STRLEN + GT_ADDR_STRLEN + 32];
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (!gt_vd_usable_query(r, q) || !q->has_referral || !gt_name_eq(&q->referral.zone, zone)) {
            continue;
        }
        for (size_t g = 0; g < q->referral.nglue; g++) {
            if (gt_name_eq(&q->referral.glue[g].name, ns)) {
                snprintf(from, sizeof(from), "glue from %s (%s)",
                         q->server_name.len ? gt_vd_name(&q->server_name, b, sizeof(b)) : "?",
                         gt_addr_to_str(&q->addr, a, sizeof(a)));
                add_known(st, &q->referral.glue[g].addr, "glue", from);
            }
        }
    }
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (!gt_vd_usable_query(r, q) || !gt_name_eq(&q->zone, zone) ||
            !gt_name_eq(&q->server_name, ns)) {
            continue;
        }
        if (q->source == GT_SRC_HINTS) {
            add_known(st, &q->addr, "hints", "root hints");
        } else if (q->source == GT_SRC_USER) {
            add_known(st, &q->addr, "user", "given with -s");
        } else if (q->source == GT_SRC_SUBTRACE) {
            snprintf(from, sizeof(from), "sub-trace #%zu", q->subtrace);
            add_known(st, &q->addr, "subtrace", from);
        } else if (q->source == GT_SRC_CHILD) {
            /* The zone's own data, not the glue: a resolver following the child is not
             * misled (the glue is what differs: GLUE_MISMATCH). */
            add_known(st, &q->addr, "child",
                      "the zone's own address record, not the parent's glue (see GLUE_MISMATCH)");
        }
    }
    for (size_t t = 1; t < r->ntraces; t++) {
        const gt_tracerec *tr = r->traces[t];
        if (tr->kind != GT_TRACE_SUBTRACE || !gt_name_eq(&tr->name, ns)) {
            continue;
        }
        snprintf(from, sizeof(from), "sub-trace #%zu", tr->id);
        for (size_t k = 0; k < tr->naddrs; k++) {
            add_known(st, &tr->addrs[k], "subtrace", from);
        }
    }
}

static bool addr_in_known(const vd_step *st, const gt_addr *a, size_t *idx)
{
    for (size_t i = 0; i < st->nknown; i++) {
        /* dig prints the port it used; gluetrace's addresses are port 53 unless told */
        gt_addr x = st->known[i].addr;
        x.port = a->port;
        if (gt_addr_eq(&x, a)) {
            *idx = i;
            return true;
        }
    }
    return false;
}

/* The NS names of @p zone listed in step @p s (the referral or root set dig followed). */
static size_t ns_names(const vd_step *s, const gt_name *zone, gt_name *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < s->nrrs && n < cap; i++) {
        const vd_rr *rr = &s->rrs[i];
        gt_name tgt;
        if (rr->type == GT_TYPE_NS && gt_name_eq(&rr->owner, zone) &&
            gt_vd_parse_name(rr->data, strlen(rr->data), &tgt)) {
            out[n++] = tgt;
        }
    }
    return n;
}

/* Check the address dig used in step @p i against gluetrace's addresses. */
static void check_step(const gt_result *r, vd_run *v, size_t i)
{
    vd_step *st = &v->steps[i];
    st->check = VD_NA;
    if (!st->received || !st->have_addr) {
        return;
    }
    if (st->have_server) {
        gather_known(r, &st->zone, &st->server, st);
        if (st->nknown == 0) {
            st->check = VD_UNKNOWN;
        } else {
            st->check = addr_in_known(st, &st->addr, &st->match) ? VD_MATCH : VD_MISLED;
        }
        return;
    }
    /* No name printed (yaml): find the NS name of the previous step whose addresses hold it. */
    gt_name names[64];
    size_t nn = i > 0 ? ns_names(&v->steps[i - 1], &st->zone, names, 64) : 0;
    vd_step probe;
    for (size_t k = 0; k < nn; k++) {
        probe.nknown = 0;
        gather_known(r, &st->zone, &names[k], &probe);
        size_t idx;
        if (addr_in_known(&probe, &st->addr, &idx)) {
            st->server = names[k];
            st->have_server = true;
            st->server_inferred = true;
            memcpy(st->known, probe.known, probe.nknown * sizeof(probe.known[0]));
            st->nknown = probe.nknown;
            st->match = idx;
            st->check = VD_MATCH;
            return;
        }
    }
    for (size_t k = 0; k < nn; k++) {
        gather_known(r, &st->zone, &names[k], st);
    }
    if (nn == 1) {
        /* one NS name: dig can only have asked that one */
        st->server = names[0];
        st->have_server = true;
        st->server_inferred = true;
    }
    st->check = st->nknown == 0 ? VD_UNKNOWN : VD_MISLED;
}

/* ---- the final answer ---- */

static bool rdata_eq(uint16_t type, const char *dig, const char *gt)
{
    if (type == GT_TYPE_A || type == GT_TYPE_AAAA) {
        gt_addr x, y;
        return gt_addr_parse(dig, &x) == GT_OK && gt_addr_parse(gt, &y) == GT_OK &&
               gt_addr_eq(&x, &y);
    }
    /* collapse blanks in gluetrace's text the way the parser did dig's */
    size_t i = 0, j = 0;
    for (;;) {
        while (gt[j] == ' ' && (j == 0 || gt[j - 1] == ' ')) {
            j++;
        }
        char a = (char)tolower((unsigned char)dig[i]), b = (char)tolower((unsigned char)gt[j]);
        if (a == '\0' || b == '\0') {
            while (gt[j] == ' ') {
                j++;
            }
            return a == '\0' && gt[j] == '\0';
        }
        if (a != b) {
            return false;
        }
        i++;
        j++;
    }
}

/* Is dig record @p d in the ANSWER section of @p m (ignoring TTL)? */
bool gt_vd_rr_in_msg(const vd_rr *d, const gt_msg *m)
{
    char data[8192];
    for (size_t i = 0; m != NULL && i < m->count[GT_SEC_ANSWER]; i++) {
        const gt_rr *rr = &m->rrs[GT_SEC_ANSWER][i];
        if (rr->type != d->type || !gt_name_eq(&rr->owner, &d->owner)) {
            continue;
        }
        if (gt_rr_data_str(rr, data, sizeof(data)) == 0) {
            continue;
        }
        if (rdata_eq(rr->type, d->data, data)) {
            return true;
        }
    }
    return false;
}

/* dig's final data: records of qtype or CNAME on the chain from qname. */
bool gt_vd_is_answer_rr(const gt_result *r, const vd_step *s, const vd_rr *rr)
{
    if (rr->type != r->qtype && rr->type != GT_TYPE_CNAME) {
        return false;
    }
    gt_name cur = r->qname;
    for (unsigned hop = 0; hop <= GT_MAX_CNAME_IN_REPLY; hop++) {
        if (gt_name_eq(&rr->owner, &cur)) {
            return true;
        }
        bool moved = false;
        for (size_t i = 0; i < s->nrrs && !moved; i++) {
            gt_name tgt;
            if (s->rrs[i].type == GT_TYPE_CNAME && gt_name_eq(&s->rrs[i].owner, &cur) &&
                gt_vd_parse_name(s->rrs[i].data, strlen(s->rrs[i].data), &tgt)) {
                cur = tgt;
                moved = true;
            }
        }
        if (!moved) {
            return false;
        }
    }
    return false;
}

static bool has_soa(const vd_step *s)
{
    for (size_t i = 0; i < s->nrrs; i++) {
        if (s->rrs[i].type == GT_TYPE_SOA) {
            return true;
        }
    }
    return false;
}

static void compare_answer(gt_result *r, vd_run *v)
{
    const vd_step *s = &v->steps[v->answer_step];
    char type[16];
    size_t ndig = 0;
    v->dig_answer[0] = v->gt_answer[0] = '\0';
    for (size_t i = 0; i < s->nrrs; i++) {
        if (gt_vd_is_answer_rr(r, s, &s->rrs[i])) {
            gt_vd_append(v->dig_answer, sizeof(v->dig_answer), "%s%s %s", ndig ? ", " : "",
                         gt_type_to_str(s->rrs[i].type, type, sizeof(type)), s->rrs[i].data);
            ndig++;
        }
    }
    bool negative = ndig == 0;
    if (negative) {
        snprintf(v->dig_answer, sizeof(v->dig_answer), "%s",
                 has_soa(s) ? "no data (negative reply with SOA)" : "no records");
    }
    v->answer_same = false;
    for (size_t a = 0; a < r->nanswers; a++) {
        const gt_answer *ans = &r->answers[a];
        const gt_query *q = ans->first_query >= 1 && ans->first_query <= r->nqueries
                                ? r->queries[ans->first_query - 1]
                                : NULL;
        const gt_msg *m = q ? q->reply : NULL;
        size_t ngt = 0;
        bool same = true;
        if (a > 0) {
            gt_vd_append(v->gt_answer, sizeof(v->gt_answer), "; ");
        }
        if (ans->outcome == GT_OUT_NXDOMAIN || ans->outcome == GT_OUT_NODATA) {
            gt_vd_append(v->gt_answer, sizeof(v->gt_answer), "%s",
                         ans->outcome == GT_OUT_NXDOMAIN ? "NXDOMAIN" : "NODATA");
            if (negative) {
                v->answer_same = true;
            }
            continue;
        }
        for (size_t i = 0; m != NULL && i < m->count[GT_SEC_ANSWER]; i++) {
            const gt_rr *rr = &m->rrs[GT_SEC_ANSWER][i];
            char data[512];
            if (rr->type != r->qtype && rr->type != GT_TYPE_CNAME) {
                continue;
            }
            if (gt_rdata_to_str(rr->type, rr->rdata, rr->rdlen, data, sizeof(data)) == 0) {
                snprintf(data, sizeof(data), "(%u bytes)", (unsigned)rr->rdlen);
            }
            gt_vd_append(v->gt_answer, sizeof(v->gt_answer), "%s%s %s", ngt ? ", " : "",
                         gt_type_to_str(rr->type, type, sizeof(type)), data);
            ngt++;
        }
        if (negative || ngt != ndig) {
            same = false;
        }
        for (size_t i = 0; same && i < s->nrrs; i++) {
            if (gt_vd_is_answer_rr(r, s, &s->rrs[i]) && !gt_vd_rr_in_msg(&s->rrs[i], m)) {
                same = false;
            }
        }
        if (same) {
            v->answer_same = true;
        }
    }
    if (r->nanswers == 0) {
        snprintf(v->gt_answer, sizeof(v->gt_answer), "none (main trace: %s)",
                 r->ntraces ? gt_trace_status_str(r->traces[0]->status) : "none");
    }
}

/* ---- what each step was ---- */

/* dig's first block lists the root NS set (from its resolver). */
static bool lists_root_ns(const vd_step *st)
{
    gt_name root;
    gt_name_root(&root);
    for (size_t k = 0; k < st->nrrs; k++) {
        if (st->rrs[k].type == GT_TYPE_NS && gt_name_eq(&st->rrs[k].owner, &root)) {
            return true;
        }
    }
    return false;
}

/** NS owners strictly below the zone a step's server was asked for. */
typedef struct below {
    bool ref;       /**< an NS owner that covers the name traced */
    gt_name refz;   /**< the deepest of them: the zone referred to */
    bool other;     /**< an NS owner that does not cover the name */
    gt_name otherz; /**< the last of those */
} below;

static void ns_below(const gt_result *r, const vd_step *st, const gt_name *zone, below *out)
{
    memset(out, 0, sizeof(*out));
    for (size_t k = 0; k < st->nrrs; k++) {
        const vd_rr *rr = &st->rrs[k];
        if (rr->type != GT_TYPE_NS || !gt_name_is_under(&rr->owner, zone) ||
            gt_name_eq(&rr->owner, zone)) {
            continue;
        }
        if (gt_name_is_under(&r->qname, &rr->owner)) {
            if (!out->ref || gt_name_labels(&rr->owner) > gt_name_labels(&out->refz)) {
                out->refz = rr->owner;
            }
            out->ref = true;
        } else {
            out->other = true;
            out->otherz = rr->owner;
        }
    }
}

/*
 * The kind of step @p i (not the root step), asked as a server of @p zone; a referral moves
 * @p zone down. GT_EINVAL (with @p err) when dig traced another name.
 */
static gt_status step_kind(const gt_result *r, vd_run *v, size_t i, gt_name *zone, char *err,
                           size_t errlen)
{
    char b[GT_NAME_STRLEN], b2[GT_NAME_STRLEN];
    vd_step *st = &v->steps[i];
    below nb;
    ns_below(r, st, zone, &nb);
    bool answer = false;
    for (size_t k = 0; k < st->nrrs && !answer; k++) {
        answer = st->rrs[k].type != GT_TYPE_NS && gt_vd_is_answer_rr(r, st, &st->rrs[k]);
    }
    if (nb.ref && !answer) {
        st->kind = VD_REFERRAL;
        st->referral = nb.refz;
        *zone = nb.refz;
    } else if (answer || (st->received && has_soa(st))) {
        st->kind = VD_ANSWER;
    } else if (nb.other && !nb.ref) {
        snprintf(err, errlen,
                 "the dig output traces another name: line %zu refers to %s, which does "
                 "not cover %s",
                 st->line, gt_vd_name(&nb.otherz, b, sizeof(b)),
                 gt_vd_name(&r->qname, b2, sizeof(b2)));
        return GT_EINVAL;
    } else if (!st->received) {
        st->kind = VD_STOPPED;
    } else if (st->nrrs == 0 && i + 1 == v->nsteps) {
        st->kind = VD_ANSWER; /* an empty final reply */
    }
    return GT_OK;
}

/* Every step's kind, zone and address check, walking down from the root. */
static gt_status classify_steps(const gt_result *r, vd_run *v, char *err, size_t errlen)
{
    gt_name zone;
    gt_name_root(&zone);
    bool have_zone = false;
    for (size_t i = 0; i < v->nsteps; i++) {
        vd_step *st = &v->steps[i];
        st->zone = zone;
        st->kind = VD_OTHER;
        if (!have_zone) {
            /* dig's first block: the root NS set, from its resolver */
            if (lists_root_ns(st)) {
                st->kind = VD_ROOT;
                have_zone = true;
                continue;
            }
            have_zone = st->received;
        }
        gt_status s = step_kind(r, v, i, &zone, err, errlen);
        if (s != GT_OK) {
            return s;
        }
        check_step(r, v, i);
    }
    return GT_OK;
}

/* ---- findings ---- */

const char *gt_vd_step_server(const vd_step *s, char *buf, size_t size)
{
    char b[GT_NAME_STRLEN], a[GT_ADDR_STRLEN];
    snprintf(buf, size, "%s (%s)", s->have_server ? gt_vd_name(&s->server, b, sizeof(b)) : "?",
             gt_addr_to_str(&s->addr, a, sizeof(a)));
    return buf;
}

/* DIG_MISLED_BY_RESOLVER for every step whose address is not gluetrace's. */
static gt_status report_misled(gt_result *r, const vd_run *v)
{
    char b[GT_NAME_STRLEN], b2[GT_NAME_STRLEN], a[GT_ADDR_STRLEN], list[1024];
    char srv[GT_NAME_STRLEN + GT_ADDR_STRLEN + 4];
    for (size_t i = 0; i < v->nsteps; i++) {
        const vd_step *s = &v->steps[i];
        if (s->check != VD_MISLED) {
            continue;
        }
        gt_vd_step_server(s, srv, sizeof(srv));
        gt_addr_to_str(&s->addr, a, sizeof(a));
        gt_vd_known_list(s, list, sizeof(list));
        gt_status st = gt_result_add_finding(
            r, GT_F_DIG_MISLED_BY_RESOLVER, &s->zone, 0, srv,
            "dig +trace asked %s for %s (as a server of %s), an address from its resolver; "
            "%s %s (%s)",
            a, s->have_server ? gt_vd_name(&s->server, b, sizeof(b)) : "an NS name",
            gt_vd_name(&s->zone, b2, sizeof(b2)), gt_vd_known_says(s), list,
            s->nknown ? s->known[0].from : "");
        if (st != GT_OK) {
            return st;
        }
    }
    return GT_OK;
}

/* dig's final reply (the last received answer step) against gluetrace's answers. */
static void find_answer(gt_result *r, vd_run *v)
{
    v->have_answer = false;
    for (size_t i = v->nsteps; i-- > 0;) {
        if (v->steps[i].kind == VD_ANSWER && v->steps[i].received) {
            v->have_answer = true;
            v->answer_step = i;
            break;
        }
    }
    if (v->have_answer) {
        compare_answer(r, v);
    }
}

/* DIG_ANSWER_DIFFERS, when nothing on dig's path explains the difference but its resolver
 * (misled) or a change of the data since dig ran (differs). */
static gt_status report_answer(gt_result *r, const vd_run *v)
{
    if (!v->have_answer || v->answer_same ||
        (v->verdict != VD_MISLED_V && v->verdict != VD_DIFFERS)) {
        return GT_OK;
    }
    char srv[GT_NAME_STRLEN + GT_ADDR_STRLEN + 4];
    const vd_step *s = &v->steps[v->answer_step];
    gt_vd_step_server(s, srv, sizeof(srv));
    return gt_result_add_finding(r, GT_F_DIG_ANSWER_DIFFERS, &s->zone, 0, srv,
                                 "dig +trace's final answer (%s, from %s) is not among the "
                                 "authoritative answers gluetrace saw (%s)",
                                 v->dig_answer, srv, v->gt_answer);
}

/* DIG_OUTPUT_UNPARSED (lines not understood, limits hit) and DIG_STOPPED (no answer). */
static gt_status report_input(gt_result *r, const vd_run *v)
{
    gt_status st = GT_OK;
    if (v->unparsed > 0) {
        st = gt_result_add_finding(r, GT_F_DIG_OUTPUT_UNPARSED, NULL, 0, NULL,
                                   "%zu line%s of the dig output %s not understood (first: line "
                                   "%zu)",
                                   v->unparsed, v->unparsed == 1 ? "" : "s",
                                   v->unparsed == 1 ? "was" : "were", v->unparsed_line);
    }
    if (st == GT_OK && v->truncated) {
        st = gt_result_add_finding(r, GT_F_DIG_OUTPUT_UNPARSED, NULL, 0, NULL,
                                   "the dig output exceeds the comparison's limits (%d steps, %d "
                                   "records per step); the rest was not compared",
                                   GT_DIG_MAX_STEPS, GT_DIG_MAX_RRS);
    }
    if (st != GT_OK || v->verdict != VD_STOPPED_V || v->nsteps == 0) {
        return st; /* a stop on a broken server is that server's finding */
    }
    const vd_step *stop = &v->steps[v->nsteps - 1];
    char why[GT_NAME_STRLEN + 64];
    if (stop->noaddr[0]) {
        snprintf(why, sizeof(why), "couldn't get address for '%s'", stop->noaddr);
    } else {
        snprintf(why, sizeof(why), "%s", stop->nnotes ? stop->notes[0] : "no final reply");
    }
    return gt_result_add_finding(r, GT_F_DIG_STOPPED, &stop->zone, 0, NULL,
                                 "dig +trace stopped before an answer: %s", why);
}

/* The whole comparison of one dig run with @p r, in named steps. */
static gt_status analyse(gt_result *r, vd_run *v, char *err, size_t errlen)
{
    gt_status st = classify_steps(r, v, err, errlen);
    if (st == GT_OK) {
        st = report_misled(r, v);
    }
    if (st == GT_OK) {
        st = gt_vd_dnssec(r, v);
    }
    if (st != GT_OK) {
        return st;
    }
    find_answer(r, v);
    gt_vd_judge_steps(r, v);
    gt_vd_unseen(r, v);
    st = gt_vd_verdict(r, v);
    if (st == GT_OK) {
        st = report_answer(r, v);
    }
    if (st == GT_OK) {
        st = report_input(r, v);
    }
    return st;
}

/* Is there a "; <<>> DiG " header line (dig prints one per run) at @p i of @p text? */
static bool header_at(const char *text, size_t len, size_t i)
{
    static const char hdr[] = "; <<>> DiG ";
    return (i == 0 || text[i - 1] == '\n') && len - i >= sizeof(hdr) - 1 &&
           memcmp(text + i, hdr, sizeof(hdr) - 1) == 0;
}

/* Where the run that starts @p text ends: at its second header line, or @p len. yaml output is
 * one run. */
static size_t next_run(const char *text, size_t len, bool yaml)
{
    size_t headers = 0;
    for (size_t i = 0; !yaml && i < len; i++) {
        if (header_at(text, len, i) && ++headers == 2) {
            return i;
        }
    }
    return len;
}

/* Read and compare one run of @p text [0, @p len). */
static gt_status one_run(gt_result *r, gt_vsdig *vs, const char *text, size_t len, size_t input,
                         size_t first_line, char *err, size_t errlen)
{
    if (vs->nruns >= GT_DIG_MAX_RUNS) {
        vs->truncated = true;
        return GT_OK;
    }
    if (!gt_array_reserve((void **)&vs->runs, &vs->capruns, vs->nruns, sizeof(*vs->runs))) {
        return GT_ENOMEM;
    }
    vd_run *v = &vs->runs[vs->nruns++];
    memset(v, 0, sizeof(*v));
    v->first_line = first_line;
    v->input = input;
    gt_status st = gt_vd_read(v, text, len, first_line);
    if (st != GT_OK) {
        return st;
    }
    size_t replies = 0;
    bool noaddr = false;
    for (size_t i = 0; i < v->nsteps; i++) {
        replies += v->steps[i].received;
        noaddr = noaddr || v->steps[i].noaddr[0] != '\0';
    }
    if (replies == 0 && !noaddr) {
        if (vs->nruns > 1 || first_line > 1) {
            snprintf(err, errlen,
                     "not dig +trace output (input %zu, the run from line %zu): no ';; Received "
                     "N bytes from ADDR#PORT(NAME)' line",
                     input + 1, first_line);
        } else {
            snprintf(err, errlen,
                     "not dig +trace output: no ';; Received N bytes from ADDR#PORT(NAME)' "
                     "line%s",
                     v->yaml ? " and no yaml message with a response_address" : "");
        }
        return GT_EINVAL;
    }
    return analyse(r, v, err, errlen);
}

/* DIG_ASKED_BROKEN_SERVER for every place dig's runs ended that gluetrace finds broken. */
static gt_status report_ends(gt_result *r, const gt_vsdig *vs)
{
    char b[GT_NAME_STRLEN], runs[64], answering[96];
    for (size_t i = 0; i < vs->nends; i++) {
        const vd_end *e = &vs->ends[i];
        if (e->verdict != VD_BROKEN_V || e->judge == VD_J_DIFFERENT) {
            continue;
        }
        if (vs->nruns > 1) {
            snprintf(runs, sizeof(runs), "%zu of %zu dig +trace runs", e->runs, vs->nruns);
        } else {
            snprintf(runs, sizeof(runs), "dig +trace");
        }
        size_t total = 0, good = gt_vd_servers_answering(r, &e->zone, &total);
        answering[0] = '\0';
        if (total > 0 && e->judge != VD_J_OLD_SERIAL) {
            snprintf(answering, sizeof(answering), "; %zu of %zu servers of %s answer%s", good,
                     total, gt_vd_name(&e->zone, b, sizeof(b)), good == 1 ? "s" : "");
        }
        gt_status st = gt_result_add_finding(
            r, GT_F_DIG_ASKED_BROKEN_SERVER, &e->zone, 0, e->server,
            "%s asked %s (%s) as a server of %s: %s (%s), so %s%s", runs, e->server, e->addrs,
            gt_vd_name(&e->zone, b, sizeof(b)), e->what,
            e->code < GT_F_COUNT ? gt_code_name(e->code) : "see the trace",
            e->judge == VD_J_OLD_SERIAL ? "dig got the old copy's answer" : "dig has no answer",
            answering);
        if (st != GT_OK) {
            return st;
        }
    }
    return GT_OK;
}

/* The verdict of several runs: how often dig's path ended where. */
static gt_status summary(gt_vsdig *vs)
{
    char msg[2048];
    msg[0] = '\0';
    /* the gravest verdict of any run: how badly dig's randomness can go wrong */
    static const int grave[] = {
        [VD_AGREES] = 0,    [VD_UNSEEN_V] = 1, [VD_PARTIAL] = 2,  [VD_DS_DIFFERS_V] = 3,
        [VD_STOPPED_V] = 4, [VD_DIFFERS] = 5,  [VD_BROKEN_V] = 6, [VD_MISLED_V] = 7,
    };
    vs->verdict = vs->runs[0].verdict;
    for (size_t i = 1; i < vs->nruns; i++) {
        if (grave[vs->runs[i].verdict] > grave[vs->verdict]) {
            vs->verdict = vs->runs[i].verdict;
        }
    }
    if (vs->nruns == 1) {
        vs->message = strdup(vs->runs[0].message ? vs->runs[0].message : "");
        return vs->message ? GT_OK : GT_ENOMEM;
    }
    for (size_t i = 0; i < vs->nends; i++) {
        const vd_end *e = &vs->ends[i];
        gt_vd_append(msg, sizeof(msg), "%s%zu of %zu%s at %s (%s)", i ? ", " : "", e->runs,
                     vs->nruns, i ? "" : " dig runs ended", e->server, e->what);
    }
    gt_vd_append(msg, sizeof(msg), "%s", vs->truncated ? "; more runs were not compared" : "");
    vs->message = strdup(msg);
    return vs->message ? GT_OK : GT_ENOMEM;
}

gt_status gt_vsdig_compare_n(gt_result *r, const char *const *texts, const size_t *lens, size_t n,
                             gt_vsdig **out, char *err, size_t errlen)
{
    gt_status st = GT_OK;
    gt_vsdig *vs = NULL;
    *out = NULL;
    if (errlen > 0) {
        err[0] = '\0';
    }
    for (size_t k = 0; k < n; k++) {
        if (texts[k] == NULL || lens[k] == 0) {
            snprintf(err, errlen, "empty input, expected the output of dig +trace");
            return GT_EINVAL;
        }
        if (memchr(texts[k], '\0', lens[k]) != NULL) {
            snprintf(err, errlen,
                     "binary data (NUL bytes), expected the text output of dig +trace");
            return GT_EINVAL;
        }
    }
    if (n == 0) {
        snprintf(err, errlen, "empty input, expected the output of dig +trace");
        return GT_EINVAL;
    }
    vs = calloc(1, sizeof(*vs));
    if (vs == NULL) {
        return GT_ENOMEM;
    }
    for (size_t k = 0; k < n && st == GT_OK; k++) {
        const char *t = texts[k];
        size_t len = lens[k], pos = 0, line = 1;
        size_t lead = 0;
        while (lead < len && (t[lead] == '\n' || t[lead] == '\r' || t[lead] == ' ')) {
            lead++;
        }
        bool yaml = len - lead >= 7 &&
                    (memcmp(t + lead, "- type:", 7) == 0 || memcmp(t + lead, "---", 3) == 0);
        while (pos < len && st == GT_OK) {
            size_t end = pos + next_run(t + pos, len - pos, yaml);
            st = one_run(r, vs, t + pos, end - pos, k, line, err, errlen);
            for (size_t i = pos; i < end; i++) {
                line += t[i] == '\n';
            }
            pos = end;
        }
    }
    if (st == GT_OK) {
        gt_vd_ends(r, vs);
        st = report_ends(r, vs);
    }
    if (st == GT_OK) {
        st = summary(vs);
    }
    if (st != GT_OK) {
        if (st == GT_ENOMEM && errlen > 0) {
            snprintf(err, errlen, "out of memory");
        }
        gt_vsdig_free(vs);
        return st;
    }
    *out = vs;
    return GT_OK;
}

gt_status gt_vsdig_compare(gt_result *r, const char *text, size_t len, gt_vsdig **out, char *err,
                           size_t errlen)
{
    return gt_vsdig_compare_n(r, &text, &len, 1, out, err, errlen);
}
