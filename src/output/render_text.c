/* The readable text: a verdict (the answer and each problem once, with its fix), the tree of
 * the trace, the answers and a summary line, every line wrapped to the width of the terminal
 * (100 columns at most when not a terminal). Every name goes through gt_name_to_str(), which
 * escapes non-printable bytes, so a hostile server cannot write terminal control sequences;
 * the only escape sequences in the output are our own colours. This file draws the tree and
 * the verdict line; the line machinery is in text_line.c, the problems, answers and findings
 * sections in text_sections.c (text_priv.h between them). */
#include "text_priv.h"

#include "gluetrace/output/census.h"

#include "gluetrace/diagnose/problems.h"
#include "gluetrace/diagnose/vsdig.h"
#include "gluetrace/wire/rdata.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/** Records of an answer shown on one line before "... (N records)". */
#define ANSWER_MAX_SHOWN 3

static const char *outcome_color(gt_outcome o)
{
    switch (o) {
    case GT_OUT_ANSWER:
    case GT_OUT_CNAME:
    case GT_OUT_NXDOMAIN:
    case GT_OUT_NODATA:
        return C_GREEN;
    case GT_OUT_REFERRAL:
        return C_CYAN;
    case GT_OUT_LAME:
    case GT_OUT_UPWARD:
    case GT_OUT_SIDEWAYS:
    case GT_OUT_TRUNCATED:
        return C_YELLOW;
    default:
        return C_RED;
    }
}

/* The header flags of a reply that is not an answer: "[REFUSED, AA=0, RA=1]". */
static void reply_flags(tline *l, const gt_msg *m)
{
    char rc[24];
    if (m != NULL) {
        gt_buf_printf(&l->b, " [%s, AA=%d, RA=%d]", gt_rcode_to_str(m->rcode, rc, sizeof(rc)),
                      m->aa ? 1 : 0, m->ra ? 1 : 0);
    }
}

/* TTL of the NS set of a referral, from the reply's authority section; -1 when not found. */
static long ns_ttl(const gt_msg *m, const gt_name *zone)
{
    for (size_t i = 0; m != NULL && i < m->count[GT_SEC_AUTHORITY]; i++) {
        const gt_rr *rr = &m->rrs[GT_SEC_AUTHORITY][i];
        if (rr->type == GT_TYPE_NS && gt_name_eq(&rr->owner, zone)) {
            return (long)rr->ttl;
        }
    }
    return -1;
}

/* A referral in a few words, names in full as dig prints them: "NS ns1.example.
 * ns2.example. TTL 3600; glue 2 A, 2 AAAA; 1 ignored". */
static void referral_brief(tline *l, const ctx *c, const gt_query *q)
{
    const gt_referral *ref = &q->referral;
    char b[GT_NAME_STRLEN];
    gt_buf_puts(&l->b, ": NS");
    for (size_t i = 0; i < ref->nns; i++) {
        gt_buf_printf(&l->b, " %s", gt_name_str(&ref->ns[i], b, sizeof(b)));
    }
    long ttl = ns_ttl(gt_query_reply(c->r, q), &ref->zone);
    if (ttl >= 0) {
        gt_buf_printf(&l->b, " TTL %ld", ttl);
    }
    size_t v4 = 0, v6 = 0, sib = 0;
    for (size_t i = 0; i < ref->nglue; i++) {
        v4 += ref->glue[i].addr.family == AF_INET;
        v6 += ref->glue[i].addr.family != AF_INET;
        sib += ref->glue[i].kind == GT_GLUE_SIBLING;
    }
    if (ref->nglue == 0) {
        gt_buf_puts(&l->b, "; no glue");
    } else {
        gt_buf_printf(&l->b, "; glue %zu A, %zu AAAA", v4, v6);
        if (sib > 0) {
            gt_buf_printf(&l->b, " (%zu sibling)", sib);
        }
    }
    if (ref->nignored > 0) {
        gt_buf_printf(&l->b, "; %zu ignored", ref->nignored);
    }
}

/* A referral, or a lame upward or sideways one: its zone, its brief, flags, "same as #N". */
static void outcome_referral(tline *l, const ctx *c, const gt_query *q)
{
    char b[GT_NAME_STRLEN];
    const gt_msg *m = q->reply;
    if (q->outcome == GT_OUT_REFERRAL) {
        gt_buf_printf(&l->b, "referral to %s", gt_name_str(&q->referral.zone, b, sizeof(b)));
    } else {
        gt_buf_printf(&l->b, "LAME: %s referral to %s",
                      q->outcome == GT_OUT_UPWARD ? "upward" : "sideways",
                      gt_name_str(&q->cls.zone, b, sizeof(b)));
    }
    txt_l_off(l);
    /* a reused or repeated referral was described where it was first drawn */
    if (q->has_referral && q->outcome == GT_OUT_REFERRAL && q->cached_from == 0 &&
        q->same_as == 0) {
        referral_brief(l, c, q);
    }
    if (q->outcome != GT_OUT_REFERRAL || (m != NULL && (m->aa || m->ra))) {
        reply_flags(l, m);
    }
    if (q->same_as) {
        gt_buf_printf(&l->b, ", same as #%zu", q->same_as);
    }
}

/* An answer or CNAME: the word, then the first records of the answer section (of the reply
 * behind it, for an answer taken from the run's cache). */
static void outcome_answer(tline *l, const ctx *c, const gt_query *q)
{
    const gt_msg *m = gt_query_reply(c->r, q);
    size_t n = m ? m->count[GT_SEC_ANSWER] : 0;
    /* a CNAME reply's first record says "CNAME target" itself */
    bool word =
        q->outcome == GT_OUT_ANSWER || n == 0 || m->rrs[GT_SEC_ANSWER][0].type != GT_TYPE_CNAME;
    if (word) {
        gt_buf_puts(&l->b, q->outcome == GT_OUT_ANSWER ? "ANSWER" : "CNAME");
    }
    txt_l_off(l);
    for (size_t i = 0; i < n && i < ANSWER_MAX_SHOWN; i++) {
        const gt_rr *rr = &m->rrs[GT_SEC_ANSWER][i];
        char type[16], data[512];
        if (gt_rdata_to_str(rr->type, rr->rdata, rr->rdlen, data, sizeof(data)) == 0) {
            snprintf(data, sizeof(data), "(%u bytes)", (unsigned)rr->rdlen);
        }
        gt_buf_printf(&l->b, "%s%s %s",
                      i      ? ", "
                      : word ? " "
                             : "",
                      gt_type_to_str(rr->type, type, sizeof(type)), data);
    }
    if (n > ANSWER_MAX_SHOWN) {
        gt_buf_printf(&l->b, ", ... (%zu records)", n);
    }
}

/* What a query got, in its outcome's colour, with the reply's header flags where they tell. */
static void outcome(tline *l, const ctx *c, const gt_query *q)
{
    const gt_msg *m = q->reply;
    txt_l_on(l, outcome_color(q->outcome));
    switch (q->outcome) {
    case GT_OUT_REFERRAL:
    case GT_OUT_UPWARD:
    case GT_OUT_SIDEWAYS:
        outcome_referral(l, c, q);
        return;
    case GT_OUT_ANSWER:
    case GT_OUT_CNAME:
        outcome_answer(l, c, q);
        return;
    case GT_OUT_NXDOMAIN:
        gt_buf_puts(&l->b, gt_nx_word(m)); /* the rcode as received */
        break;
    case GT_OUT_NODATA:
        gt_buf_puts(&l->b, "NODATA");
        break;
    case GT_OUT_LAME:
        gt_buf_puts(&l->b,
                    q->cls.lame == GT_LAME_RCODE && m != NULL ? "LAME" : "LAME: not authoritative");
        break;
    case GT_OUT_TRUNCATED:
        gt_buf_puts(&l->b, "truncated (TC=1), retried over TCP");
        break;
    case GT_OUT_TIMEOUT:
        gt_buf_puts(&l->b, "TIMEOUT");
        break;
    case GT_OUT_UNREACHABLE:
        gt_buf_printf(&l->b, "UNREACHABLE (%s)", gt_status_str(q->net_status));
        break;
    case GT_OUT_MALFORMED:
        if (q->net_status == GT_ESHORTREAD) {
            gt_buf_printf(&l->b, "MALFORMED reply (%s after %zu bytes)",
                          gt_status_str(q->net_status), q->reply_len);
        } else {
            gt_buf_puts(&l->b, "MALFORMED reply");
        }
        break;
    case GT_OUT_ERROR:
        gt_buf_printf(&l->b, "ERROR (%s)", gt_status_str(q->net_status));
        break;
    case GT_OUT_PENDING:
        gt_buf_puts(&l->b, "no reply");
        break;
    }
    txt_l_off(l);
    /* A reply that is not an answer or a referral: its header says who answered (a root or
     * TLD server never sets RA; AA=0 without a referral is lame). An authoritative NXDOMAIN or
     * NODATA (AA=1, RA=0) has nothing to add, and its rcode is the word already shown. */
    if (m != NULL && (q->outcome == GT_OUT_NXDOMAIN || q->outcome == GT_OUT_NODATA)) {
        unsigned word_rcode = q->outcome == GT_OUT_NXDOMAIN ? 3 : 0; /* NXDOMAIN, NOERROR */
        if (m->rcode != word_rcode) {
            reply_flags(l, m); /* another rcode behind the word: show it as received */
        } else if (!m->aa || m->ra) {
            gt_buf_printf(&l->b, " [AA=%d, RA=%d]", m->aa ? 1 : 0, m->ra ? 1 : 0);
        }
        return;
    }
    reply_flags(l, m);
}

/* A final reply (answer, CNAME, NXDOMAIN, NODATA): a leaf of the tree. */
static bool is_answer(const gt_query *q)
{
    return q->outcome == GT_OUT_ANSWER || q->outcome == GT_OUT_CNAME ||
           q->outcome == GT_OUT_NXDOMAIN || q->outcome == GT_OUT_NODATA;
}

/* Whether query @p q has something of its own to show under or on its line: a trace it
 * started, a query below it, or a finding about it. */
static bool has_own(const ctx *c, const gt_query *q)
{
    const gt_result *r = c->r;
    for (size_t t = 1; t < r->ntraces; t++) {
        if (r->traces[t]->requested_by == q->id) {
            return true;
        }
    }
    for (size_t j = 0; j < r->nqueries; j++) {
        if (r->queries[j]->parent == q->id) {
            return true;
        }
    }
    for (size_t f = 0; f < r->nfindings; f++) {
        if (r->findings[f].query == q->id) {
            return true;
        }
    }
    return false;
}

/* Whether two final replies say the same: one outcome, and the same answer records. */
static bool same_final(const ctx *c, const gt_query *a, const gt_query *b)
{
    if (a->outcome != b->outcome) {
        return false;
    }
    const gt_msg *ma = gt_query_reply(c->r, a), *mb = gt_query_reply(c->r, b);
    if (ma == NULL || mb == NULL) {
        return ma == mb;
    }
    return gt_rrs_same_rdata_set(ma->rrs[GT_SEC_ANSWER], ma->count[GT_SEC_ANSWER],
                                 mb->rrs[GT_SEC_ANSWER], mb->count[GT_SEC_ANSWER]);
}

/* Tree drawing: the prefix holds one 4-column cell per open level. */
static bool push(ctx *c, bool more)
{
    if (c->plen + 4 >= sizeof(c->prefix)) {
        return false;
    }
    memcpy(c->prefix + c->plen, more ? "|   " : "    ", 4);
    c->plen += 4;
    c->prefix[c->plen] = '\0';
    return true;
}

static void pop(ctx *c, bool pushed)
{
    if (pushed) {
        c->plen -= 4;
        c->prefix[c->plen] = '\0';
    }
}

/* Prefixes of the lines under the current node: its details, and their continuations. */
typedef struct prefixes {
    char detail[sizeof(((ctx *)NULL)->prefix) + 8];
    char cont[sizeof(((ctx *)NULL)->prefix) + 16];
} prefixes;

static void detail_prefixes(const ctx *c, bool has_children, prefixes *p)
{
    snprintf(p->detail, sizeof(p->detail), "%s%s", c->prefix, has_children ? "|   " : "    ");
    snprintf(p->cont, sizeof(p->cont), "%s  ", p->detail);
}

static void print_records(ctx *c, const gt_msg *m, const prefixes *p)
{
    static const char *names[3] = {"answer", "authority", "additional"};
    for (int s = 0; s < 3 && m != NULL; s++) {
        gt_rr_walk w = {0, 0};
        for (const gt_rr *rr; (rr = gt_msg_next_rr(m, (gt_section)s, &w)) != NULL;) {
            char text[8192 + 2 * GT_NAME_STRLEN];
            gt_rr_to_str(rr, text, sizeof(text)); /* RRSIGs too, in the order received */
            tline l;
            txt_l_init(&l);
            txt_l_on(&l, C_DIM);
            gt_buf_printf(&l.b, "; %s: %s", names[s], text);
            txt_emit(c, &l, p->detail, p->cont);
        }
    }
}

/* A child in the tree: a query or a trace. */
typedef struct node {
    bool trace;
    size_t id;
} node;

/* Delegation checks are summarised in one line unless -v asks for every query. */
static bool hidden(const ctx *c, gt_trace_kind k)
{
    return k == GT_TRACE_CHECK && !c->cfg->verbose;
}

/* The children of a query (traces it started, then the servers its referral led to) or of a
 * trace (its first queries). Folded queries are not children. @return the count. */
static size_t children(ctx *c, node n, node *out)
{
    const gt_result *r = c->r;
    size_t k = 0;
    if (n.trace) {
        for (size_t i = 0; i < r->nqueries; i++) {
            const gt_query *q = r->queries[i];
            if (q->trace == n.id && q->parent == 0 && c->rep[i] == 0) {
                out[k++] = (node){false, q->id};
            }
        }
        return k;
    }
    for (size_t t = 1; t < r->ntraces; t++) {
        /* a CNAME's trace follows the tree of the name before it, at the left margin, not
         * nested under the reply that started it */
        if (r->traces[t]->requested_by == n.id && !c->printed_trace[t] &&
            !hidden(c, r->traces[t]->kind) && r->traces[t]->kind != GT_TRACE_CNAME) {
            out[k++] = (node){true, t};
        }
    }
    for (size_t i = n.id; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (q->parent == n.id && c->rep[i] == 0 && !hidden(c, r->traces[q->trace]->kind)) {
            out[k++] = (node){false, q->id};
        }
    }
    return k;
}

static gt_status print_node(ctx *c, node n, const char *connector);

static const char *trace_word(gt_trace_kind k)
{
    switch (k) {
    case GT_TRACE_CNAME:
        return "cname-trace";
    case GT_TRACE_CHECK:
        return "check";
    case GT_TRACE_RESOLVER:
        return "resolver";
    case GT_TRACE_MAIN:
    case GT_TRACE_SUBTRACE:
        break;
    }
    return "sub-trace";
}

/*
 * Provenance, only where the tree does not already say it: an address from the glue of the
 * referral drawn just above (or from the hints at a root) needs no words; a sub-trace, sibling
 * glue, glue from another referral, -s and the resolver do.
 */
static void provenance(tline *l, const gt_query *q)
{
    switch (q->source) {
    case GT_SRC_HINTS:
        return;
    case GT_SRC_USER:
        txt_l_on(l, C_BLUE);
        gt_buf_puts(&l->b, " [-s]");
        break;
    case GT_SRC_RESOLVER:
        txt_l_on(l, C_BLUE);
        gt_buf_puts(&l->b, " [RD=1]");
        break;
    case GT_SRC_SUBTRACE:
        txt_l_on(l, C_MAGENTA);
        gt_buf_printf(&l->b, " [sub-trace T%zu]", q->subtrace);
        break;
    case GT_SRC_CHILD:
        txt_l_on(l, C_YELLOW);
        gt_buf_printf(&l->b, " [the child's own address, not the glue (#%zu)]", q->glue_from);
        break;
    case GT_SRC_GLUE:
        if (q->glue_kind == GT_GLUE_SIBLING) {
            txt_l_on(l, C_YELLOW);
            gt_buf_puts(&l->b, " [sibling glue");
            if (q->glue_from != q->parent) {
                gt_buf_printf(&l->b, " from #%zu", q->glue_from);
            }
            gt_buf_putc(&l->b, ']');
        } else if (q->glue_from != q->parent && q->glue_from != 0) {
            gt_buf_printf(&l->b, " [glue from #%zu]", q->glue_from);
        }
        break;
    }
    txt_l_off(l);
}

/* The zone a query's line need not name: the one the referral above it delegated. */
static bool zone_implied(const ctx *c, const gt_query *q)
{
    if (q->parent == 0 || q->parent > c->r->nqueries) {
        return q->source == GT_SRC_HINTS && q->zone.len == 1;
    }
    const gt_query *p = Q(c, q->parent);
    return p->has_referral && gt_name_eq(&p->referral.zone, &q->zone);
}

/* The codes of the findings about query @p q: " ! LAME_SERVER, UPWARD_REFERRAL". */
static void finding_codes(tline *l, const ctx *c, const gt_query *q)
{
    const gt_result *r = c->r;
    size_t shown = 0;
    gt_severity worst = GT_SEV_INFO;
    for (size_t i = 0; i < r->nfindings; i++) {
        if (r->findings[i].query == q->id && gt_code_severity(r->findings[i].code) > worst) {
            worst = gt_code_severity(r->findings[i].code);
        }
    }
    for (size_t i = 0; i < r->nfindings; i++) {
        const gt_finding *f = &r->findings[i];
        if (f->query != q->id) {
            continue;
        }
        bool dup = false;
        for (size_t j = 0; j < i && !dup; j++) {
            dup = r->findings[j].query == q->id && r->findings[j].code == f->code;
        }
        if (dup) {
            continue;
        }
        if (shown++ == 0) {
            txt_l_on(l, txt_sev_color(worst));
            gt_buf_puts(&l->b, " !");
        }
        gt_buf_printf(&l->b, "%s %s", shown > 1 ? "," : "", gt_code_name(f->code));
    }
    txt_l_off(l);
}

static void query_line(tline *l, ctx *c, const gt_query *q)
{
    char b[GT_NAME_STRLEN], a[GT_ADDR_STRLEN], type[16];
    txt_l_on(l, C_DIM);
    gt_buf_printf(&l->b, "#%zu", q->id);
    txt_l_off(l);
    if (q->source == GT_SRC_RESOLVER) {
        /* a resolver serves no zone of the path and has no NS name */
        gt_buf_printf(&l->b, " resolver %s", gt_addr_to_str(&q->addr, a, sizeof(a)));
    } else {
        if (!zone_implied(c, q)) {
            gt_buf_putc(&l->b, ' ');
            txt_l_on(l, C_BOLD);
            gt_buf_puts(&l->b, gt_name_str(&q->zone, b, sizeof(b)));
            txt_l_off(l);
        }
        gt_buf_printf(&l->b, " %s %s",
                      q->server_name.len ? gt_name_str(&q->server_name, b, sizeof(b)) : "-",
                      gt_addr_to_str(&q->addr, a, sizeof(a)));
    }
    provenance(l, q);
    if (q->cached_from) {
        gt_buf_printf(&l->b, " cached from #%zu: ", q->cached_from);
    } else if (q->from_session) {
        gt_buf_puts(&l->b, " reused from an earlier name: ");
    } else {
        gt_buf_printf(&l->b, " %s%s%.1f ms: ", q->tcp ? "tcp " : "", q->retry_of ? "retry " : "",
                      q->rtt_ms);
    }
    if (q->trace != c->cur_trace) {
        txt_l_on(l, C_MAGENTA);
        gt_buf_printf(&l->b, "(%s T%zu) ", trace_word(c->r->traces[q->trace]->kind), q->trace);
        txt_l_off(l);
        gt_buf_printf(&l->b, "%s %s? ", gt_name_str(&q->qname, b, sizeof(b)),
                      gt_type_to_str(q->qtype, type, sizeof(type)));
    }
    outcome(l, c, q);
    size_t folded = c->nfolded[q->id - 1];
    if (folded > 0 && is_answer(q) && !c->cfg->verbose) {
        txt_l_on(l, C_DIM);
        gt_buf_printf(&l->b, " (same from %zu more)", folded);
        txt_l_off(l);
    }
    finding_codes(l, c, q);
}

static const char *dnssec_colour(gt_dnssec_state s);

static void trace_line(tline *l, ctx *c, const gt_tracerec *tr)
{
    char b[GT_NAME_STRLEN], type[16];
    txt_l_on(l, C_MAGENTA);
    gt_buf_printf(&l->b, "%s T%zu", trace_word(tr->kind), tr->id);
    txt_l_off(l);
    gt_buf_printf(&l->b, ": %s %s ", gt_name_str(&tr->name, b, sizeof(b)),
                  gt_type_to_str(tr->qtype, type, sizeof(type)));
    if (tr->kind == GT_TRACE_CHECK) {
        char z[GT_NAME_STRLEN];
        gt_buf_printf(&l->b, "asked of the servers of %s -> ",
                      gt_name_str(&tr->zone, z, sizeof(z)));
    } else if (tr->kind == GT_TRACE_RESOLVER) {
        gt_buf_puts(&l->b, "asked of the local resolver (RD=1) -> ");
    } else if (!c->via_shown) {
        gt_buf_puts(&l->b, "from the root -> ");
    } else {
        gt_buf_puts(&l->b, "-> ");
    }
    bool good =
        tr->status == GT_TS_ANSWER || tr->status == GT_TS_NXDOMAIN || tr->status == GT_TS_NODATA;
    txt_l_on(l, good ? C_GREEN : C_RED);
    if (tr->status != GT_TS_ANSWER || tr->naddrs == 0) {
        gt_buf_puts(&l->b, gt_trace_status_str(tr->status)); /* the addresses say "answer" */
    }
    for (size_t i = 0; i < tr->naddrs; i++) {
        char a[GT_ADDR_STRLEN];
        gt_buf_printf(&l->b, "%s%s", i ? ", " : (l->b.data[l->b.len - 1] == ' ' ? "" : " "),
                      gt_addr_to_str(&tr->addrs[i], a, sizeof(a)));
    }
    txt_l_off(l);
    if (c->cfg->nanchors > 0 && tr->dnssec != GT_DNSSEC_OFF) {
        /* Its own answer's status (a CNAME trace: with the targets it leads to). */
        gt_buf_puts(&l->b, "; DNSSEC ");
        txt_l_on(l, dnssec_colour(tr->dnssec));
        gt_buf_puts(&l->b, gt_dnssec_state_str(tr->dnssec));
        txt_l_off(l);
    }
}

/* "name address (#id, rtt)" of a folded server, for the -v list. */
static void folded_brief(tline *l, const gt_query *q)
{
    char b[GT_NAME_STRLEN], a[GT_ADDR_STRLEN];
    gt_buf_printf(&l->b, "%s %s (#%zu, ",
                  q->server_name.len ? gt_name_str(&q->server_name, b, sizeof(b)) : "-",
                  gt_addr_to_str(&q->addr, a, sizeof(a)), q->id);
    if (q->cached_from) {
        gt_buf_puts(&l->b, "cached)");
    } else {
        gt_buf_printf(&l->b, "%.1f ms)", q->rtt_ms);
    }
}

/* The DNSSEC judgement of zone @p zone, NULL when there is none to show (no trust anchor). */
static const gt_dnssec_cut *dnssec_cut(const ctx *c, const gt_name *zone)
{
    if (c->cfg->nanchors == 0) {
        return NULL; /* every cut is "indeterminate: no trust anchor": nothing worth a line */
    }
    for (size_t i = 0; i < c->r->ndnssec; i++) {
        if (gt_name_eq(&c->r->dnssec[i].zone, zone)) {
            return &c->r->dnssec[i];
        }
    }
    return NULL;
}

static const char *dnssec_colour(gt_dnssec_state s)
{
    return s == GT_DNSSEC_SECURE     ? C_GREEN
           : s == GT_DNSSEC_BOGUS    ? C_RED
           : s == GT_DNSSEC_INSECURE ? C_DIM
                                     : C_YELLOW;
}

/* "DNSSEC example.: DS 2 -> KSK 12345 alg 13: secure" under the first referral to a zone cut
 * drawn (another referral to it, e.g. a lame server's upward one, does not repeat it). */
static void dnssec_mark(ctx *c, const gt_dnssec_cut *d, const prefixes *p)
{
    char b[GT_NAME_STRLEN];
    size_t idx = (size_t)(d - c->r->dnssec);
    if (c->marked[idx]) {
        return;
    }
    c->marked[idx] = true;
    tline l;
    txt_l_init(&l);
    gt_buf_printf(&l.b, "DNSSEC %s: ", gt_name_str(&d->zone, b, sizeof(b)));
    if (d->nds > 0) {
        gt_buf_printf(&l.b, "%s %zu -> ", d->zone.len == 1 ? "anchor" : "DS", d->nds);
        if (d->nksk == 0) {
            gt_buf_puts(&l.b, "no verified KSK");
        }
        for (size_t i = 0; i < d->nksk; i++) {
            gt_buf_printf(&l.b, "%sKSK %u alg %u", i ? ", " : "", d->ksk_tags[i], d->ksk_algs[i]);
        }
        if (d->nservers > 0) {
            gt_buf_printf(&l.b, " (%zu of %zu servers)", d->nsecure, d->nservers);
        }
        gt_buf_puts(&l.b, ": ");
    }
    txt_l_on(&l, dnssec_colour(d->state));
    gt_buf_puts(&l.b, gt_dnssec_state_str(d->state));
    txt_l_off(&l);
    if (d->reason[0] != '\0') {
        gt_buf_printf(&l.b, ": %s", d->reason); /* a reason may hold parentheses of its own */
    }
    txt_emit(c, &l, p->detail, p->cont);
}

/* Details under a query: folded servers, delegation checks or records (-v). */
static void query_details(ctx *c, const gt_query *q, const prefixes *p)
{
    const gt_result *r = c->r;
    size_t idx = q->id - 1;
    const gt_dnssec_cut *dc = NULL;
    if (q->trace == 0 && q->parent == 0 && (dc = dnssec_cut(c, &q->zone)) != NULL) {
        dnssec_mark(c, dc, p); /* the first zone's (the root's), under its first query drawn */
    }
    if (q->has_referral && (dc = dnssec_cut(c, &q->referral.zone)) != NULL) {
        dnssec_mark(c, dc, p);
    }
    bool answer = is_answer(q);
    if (c->cfg->verbose) {
        if (c->nfolded[idx] > 0) {
            tline l;
            txt_l_init(&l);
            txt_l_on(&l, C_DIM);
            gt_buf_printf(&l.b, "(same %s from %zu servers: ", answer ? "answer" : "referral",
                          c->nfolded[idx] + 1);
            folded_brief(&l, q);
            for (size_t i = 0; i < r->nqueries; i++) {
                if (i != idx && c->rep[i] == q->id) {
                    gt_buf_puts(&l.b, ", ");
                    folded_brief(&l, r->queries[i]);
                }
            }
            gt_buf_putc(&l.b, ')');
            txt_emit(c, &l, p->detail, p->cont);
        }
        print_records(c, q->reply, p);
        return;
    }
    size_t nchecks = 0, nq = 0;
    for (size_t t = 1; t < r->ntraces; t++) {
        if (r->traces[t]->requested_by != q->id || r->traces[t]->kind != GT_TRACE_CHECK) {
            continue;
        }
        nchecks++;
        for (size_t i = 0; i < r->nqueries; i++) {
            nq += r->queries[i]->trace == t;
        }
    }
    /* one line for what -v would list: the folded servers (answers say it on their own
     * line) and the delegation checks */
    size_t folded = answer ? 0 : c->nfolded[idx];
    if (folded > 0 || nchecks > 0) {
        tline l;
        txt_l_init(&l);
        txt_l_on(&l, C_DIM);
        gt_buf_putc(&l.b, '(');
        if (folded > 0) {
            gt_buf_printf(&l.b, "same referral from %zu more %s%s", folded,
                          folded == 1 ? "address" : "addresses", nchecks > 0 ? "; " : "");
        }
        if (nchecks > 0) {
            gt_buf_printf(&l.b, "%zu delegation %s in %zu %s", nchecks,
                          nchecks == 1 ? "check" : "checks", nq, nq == 1 ? "query" : "queries");
        }
        gt_buf_puts(&l.b, "; -v)");
        txt_emit(c, &l, p->detail, p->cont);
    }
}

/* The referral a query followed: its own, or the one a reused reply carried (cached_from). */
static const gt_referral *referral_of(const ctx *c, const gt_query *q)
{
    if (q->has_referral) {
        return &q->referral;
    }
    if (q->cached_from >= 1 && q->cached_from <= c->r->nqueries &&
        Q(c, q->cached_from)->has_referral) {
        return &Q(c, q->cached_from)->referral;
    }
    return NULL;
}

/* Whether a referral to zone @p z is already on the screen. */
static bool zone_drawn(const ctx *c, const gt_name *z)
{
    for (size_t i = 0; i < c->r->nqueries; i++) {
        const gt_query *q = c->r->queries[i];
        if (c->drawn[i] && q->outcome == GT_OUT_REFERRAL && q->has_referral &&
            gt_name_eq(&q->referral.zone, z)) {
            return true;
        }
    }
    return false;
}

/* A step of a sub-trace or CNAME trace that the screen already shows, with no finding: a
 * referral to a zone drawn before, or a truncated reply whose TCP retry says the rest. */
static bool known_step(const ctx *c, node n)
{
    if (n.trace) {
        return false;
    }
    const gt_query *q = Q(c, n.id);
    const gt_referral *ref = referral_of(c, q);
    bool known = q->outcome == GT_OUT_TRUNCATED ||
                 (q->outcome == GT_OUT_REFERRAL && ref != NULL && zone_drawn(c, &ref->zone));
    for (size_t f = 0; f < c->r->nfindings && known; f++) {
        known = c->r->findings[f].query != q->id;
    }
    return known; /* what it led to (queries, traces it started) is drawn in its place */
}

/*
 * Without -v, a sub-trace or CNAME trace does not draw again the steps the screen shows: each
 * such step among @p kids is replaced by what it led to, until none is left, and the zones
 * of the referrals left out are noted in @p via (". -> example."). A sub-trace whose servers
 * all gave the answer its own line shows needs none of those final replies below it.
 * @return the number of kids left
 */
static size_t skip_known(ctx *c, const gt_tracerec *tr, node *kids, size_t k, gt_buf *via)
{
    node *next = malloc((c->r->nqueries + c->r->ntraces + 1) * sizeof(*next));
    gt_name *zones = calloc(c->r->nqueries + 1, sizeof(*zones));
    size_t nzones = 0;
    if (next == NULL || zones == NULL) {
        free(next);
        free(zones);
        return k;
    }
    for (bool changed = true; changed;) {
        changed = false;
        size_t nk = 0;
        for (size_t i = 0; i < k; i++) {
            if (!known_step(c, kids[i])) {
                next[nk++] = kids[i];
                continue;
            }
            changed = true;
            const gt_query *q = Q(c, kids[i].id);
            const gt_referral *ref = referral_of(c, q);
            const gt_name *add[2] = {&q->zone, ref != NULL ? &ref->zone : NULL};
            for (size_t z = 0; z < 2; z++) {
                bool seen = add[z] == NULL || (z == 0 && nzones > 0);
                for (size_t j = 0; j < nzones && !seen; j++) {
                    seen = gt_name_eq(&zones[j], add[z]);
                }
                if (!seen) {
                    zones[nzones++] = *add[z];
                }
            }
            nk += children(c, kids[i], next + nk);
        }
        memcpy(kids, next, nk * sizeof(*kids));
        k = nk;
    }
    char b[GT_NAME_STRLEN];
    for (size_t j = 0; j < nzones; j++) {
        gt_buf_printf(via, "%s%s", j ? " -> " : "", gt_name_str(&zones[j], b, sizeof(b)));
    }
    free(next);
    free(zones);
    /* the final replies, when they all agree with the sub-trace's line, go; the traces the
     * skipped steps started stay */
    bool leaves_agree =
        via->len > 0 && tr->kind == GT_TRACE_SUBTRACE &&
        (tr->status == GT_TS_ANSWER || tr->status == GT_TS_NODATA || tr->status == GT_TS_NXDOMAIN);
    const gt_query *first = NULL;
    for (size_t i = 0; i < k && leaves_agree; i++) {
        if (kids[i].trace) {
            continue;
        }
        const gt_query *q = Q(c, kids[i].id);
        leaves_agree = is_answer(q) && !has_own(c, q) && (first == NULL || same_final(c, first, q));
        first = first == NULL ? q : first;
    }
    if (!leaves_agree) {
        return k;
    }
    size_t nk = 0;
    for (size_t i = 0; i < k; i++) {
        if (kids[i].trace) {
            kids[nk++] = kids[i];
        }
    }
    return nk;
}

static gt_status print_node(ctx *c, node n, const char *connector)
{
    const gt_result *r = c->r;
    bool last = connector[0] == '`';
    if (n.trace) {
        c->printed_trace[n.id] = true;
    } else {
        c->drawn[n.id - 1] = true;
    }
    node *kids = malloc((r->nqueries + r->ntraces + 1) * sizeof(*kids));
    if (kids == NULL) {
        return GT_ENOMEM;
    }
    size_t k = children(c, n, kids);
    gt_buf via;
    gt_buf_init_grow(&via);
    if (n.trace && !c->cfg->verbose &&
        (r->traces[n.id]->kind == GT_TRACE_SUBTRACE || r->traces[n.id]->kind == GT_TRACE_CNAME)) {
        k = skip_known(c, r->traces[n.id], kids, k, &via);
    }
    char first[sizeof(c->prefix) + 8];
    snprintf(first, sizeof(first), "%s%s", c->prefix, connector);
    bool pushed = push(c, !last);
    prefixes p;
    detail_prefixes(c, k > 0, &p);
    tline l;
    txt_l_init(&l);
    if (n.trace) {
        c->via_shown = via.len > 0;
        trace_line(&l, c, r->traces[n.id]);
        c->via_shown = false;
        if (via.len > 0) {
            /* the path once; a sibling sub-trace right after on the same path says so */
            bool same = c->last_via != NULL && strcmp(c->last_via, gt_buf_str(&via)) == 0 &&
                        c->last_via_depth == c->plen;
            txt_l_on(&l, C_DIM);
            if (same) {
                gt_buf_puts(&l.b, " (same path)");
            } else {
                gt_buf_printf(&l.b, " (via %s as above)", gt_buf_str(&via));
            }
            txt_l_off(&l);
            free(c->last_via);
            c->last_via = gt_buf_take(&via, NULL);
            c->last_via_depth = c->plen;
        }
    } else {
        query_line(&l, c, Q(c, n.id));
    }
    gt_buf_free(&via);
    txt_emit(c, &l, first, p.cont);
    size_t saved_trace = c->cur_trace;
    c->cur_trace = n.trace ? n.id : Q(c, n.id)->trace;
    if (!n.trace) {
        query_details(c, Q(c, n.id), &p);
    }
    gt_status st = GT_OK;
    for (size_t i = 0; i < k && st == GT_OK; i++) {
        /* a trace listed here may have been drawn under an earlier child meanwhile */
        if (kids[i].trace && c->printed_trace[kids[i].id]) {
            continue;
        }
        st = print_node(c, kids[i], i + 1 < k ? "|-- " : "`-- ");
    }
    free(kids);
    c->cur_trace = saved_trace;
    pop(c, pushed);
    return st != GT_OK ? st : c->err;
}

/*
 * Fold sibling queries that have nothing of their own to show (no children, no findings) into
 * the first of them that got the same reply: each "same referral as #X" into X, and each
 * final reply into the first sibling with the same outcome and answer records. Wide zones
 * then take one line per distinct reply.
 */
static void fold_same_replies(ctx *c)
{
    const gt_result *r = c->r;
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        const gt_query *x = NULL;
        if (q->same_as != 0 && q->same_as <= r->nqueries && q->same_as != q->id) {
            x = Q(c, q->same_as);
        } else if (is_answer(q)) {
            for (size_t j = 0; j < i && x == NULL; j++) {
                const gt_query *y = r->queries[j];
                /* the same kind of address too: the child's own address or sibling glue
                 * beside in-domain glue is worth its own line */
                if (c->rep[j] == 0 && y->parent == q->parent && y->trace == q->trace &&
                    y->source == q->source && y->glue_kind == q->glue_kind &&
                    gt_name_eq(&y->zone, &q->zone) && same_final(c, y, q)) {
                    x = y;
                }
            }
        }
        if (x == NULL || x->same_as != 0 || x->parent != q->parent || x->trace != q->trace ||
            has_own(c, q)) {
            continue;
        }
        c->rep[i] = x->id;
        c->nfolded[x->id - 1]++;
    }
}

/* ---- the verdict ---- */

/*
 * An answer's records in a few words: "A 192.0.2.1, A 192.0.2.11"; only the records that
 * answer (gt_answer.rrs).
 */
static void answer_records(tline *l, const gt_msg *m, const gt_answer *an)
{
    gt_answer_rrs_print(&l->b, m, an, ANSWER_MAX_SHOWN);
}

/* "Verdict: NAME TYPE -> A 192.0.2.6 from 2 of 6 addresses; 2 problems (2 errors)". */
static void verdict_line(ctx *c)
{
    const gt_result *r = c->r;
    char b[GT_NAME_STRLEN], type[16];
    tline l;
    txt_l_init(&l);
    txt_l_on(&l, C_BOLD);
    gt_buf_puts(&l.b, "Verdict:");
    txt_l_off(&l);
    gt_buf_printf(&l.b, " %s %s ->", gt_name_str(&r->qname, b, sizeof(b)),
                  gt_type_to_str(r->qtype, type, sizeof(type)));
    if (r->nanswers == 0) {
        txt_l_on(&l, C_RED);
        gt_buf_printf(&l.b, " no authoritative answer (%s)",
                      r->ntraces > 0 ? gt_trace_status_str(r->traces[0]->status) : "no trace");
        txt_l_off(&l);
    }
    for (size_t i = 0; i < r->nanswers; i++) {
        const gt_answer *an = &r->answers[i];
        const gt_msg *m = NULL;
        if (an->first_query >= 1 && an->first_query <= r->nqueries) {
            m = Q(c, an->first_query)->reply;
        }
        if (i > 0) {
            /* The next link of the alias chain, or another answer for the same name. */
            gt_buf_puts(&l.b, r->answers[i - 1].link != an->link ? " ->" : " or");
        }
        txt_l_on(&l, an->nalternatives > 1 ? C_YELLOW : C_GREEN);
        if (an->outcome == GT_OUT_ANSWER || an->outcome == GT_OUT_CNAME) {
            answer_records(&l, m, an);
        } else {
            gt_buf_printf(&l.b, " %s", txt_answer_word(an->outcome, m));
        }
        txt_l_off(&l);
        size_t gave = gt_answer_addresses(r, an), asked = gt_answer_addresses_asked(r, an);
        gt_buf_printf(&l.b, " from %zu of %zu %s", gave, asked,
                      asked == 1 ? "address" : "addresses");
    }
    bool disagree = false;
    for (size_t i = 0; i < r->nanswers; i++) {
        disagree |= r->answers[i].nalternatives > 1;
    }
    if (disagree) {
        gt_buf_puts(&l.b, " (the servers disagree)");
    }
    if (c->cfg->nanchors > 0 && r->answer_dnssec != GT_DNSSEC_OFF) {
        gt_buf_puts(&l.b, "; DNSSEC ");
        txt_l_on(&l, dnssec_colour(r->answer_dnssec));
        gt_buf_puts(&l.b, gt_dnssec_state_str(r->answer_dnssec));
        txt_l_off(&l);
        if (r->answer_dnssec_reason[0] != '\0') {
            gt_buf_printf(&l.b, " (%s)", r->answer_dnssec_reason);
        }
    }
    size_t sev[3] = {0, 0, 0};
    for (size_t i = 0; i < r->nproblems; i++) {
        sev[r->problems[i].severity]++;
    }
    if (r->nproblems == 0) {
        txt_l_on(&l, C_GREEN);
        gt_buf_puts(&l.b, "; no problems found");
    } else {
        txt_l_on(&l, sev[GT_SEV_ERROR] ? C_RED : C_YELLOW);
        gt_buf_printf(&l.b, "; %zu %s (", r->nproblems, r->nproblems == 1 ? "problem" : "problems");
        static const char *const words[3][2] = {
            {"info", "info"}, {"warning", "warnings"}, {"error", "errors"}};
        bool any = false;
        for (int s = GT_SEV_ERROR; s >= GT_SEV_WARNING; s--) {
            if (sev[s] > 0) {
                gt_buf_printf(&l.b, "%s%zu %s", any ? ", " : "", sev[s], words[s][sev[s] > 1]);
                any = true;
            }
        }
        gt_buf_putc(&l.b, ')');
    }
    txt_l_off(&l);
    if (r->nnotes > 0) {
        gt_buf_printf(&l.b, "; %zu %s", r->nnotes, r->nnotes == 1 ? "note" : "notes");
    }
    txt_emit(c, &l, "", "    ");
}

static void print_verdict(ctx *c)
{
    verdict_line(c);
    for (size_t i = 0; i < c->r->nproblems; i++) {
        txt_print_problem(c, &c->r->problems[i]);
    }
    for (size_t i = 0; i < c->r->nnotes; i++) {
        txt_print_problem(c, &c->r->notes[i]);
    }
}

/* The title line ("gluetrace VERSION: NAME TYPE, all paths, from ...") and, after a signal,
 * the line that says the run was cut short. */
static void print_header(ctx *c)
{
    const gt_result *r = c->r;
    const gt_config *cfg = c->cfg;
    char b[GT_NAME_STRLEN], type[16];
    tline l;
    txt_l_init(&l);
    txt_l_on(&l, C_BOLD);
    gt_buf_printf(&l.b, "gluetrace %s: %s %s", GT_VERSION, gt_name_str(&r->qname, b, sizeof(b)),
                  gt_type_to_str(r->qtype, type, sizeof(type)));
    txt_l_off(&l);
    gt_buf_printf(&l.b, ", %s, from %s", cfg->one_path ? "one path" : "all paths",
                  cfg->have_server  ? "the given server"
                  : cfg->hints_file ? "the hints file"
                                    : "built-in root hints");
    txt_emit(c, &l, "", "    ");
    if (r->interrupted) {
        txt_l_init(&l);
        gt_buf_puts(&l.b, "INTERRUPTED by a signal: below is what the trace knew at that "
                          "moment; queries cut short show \"no reply\"");
        txt_emit(c, &l, "", "    ");
    }
}

/* The tree: the main trace, then any trace not reached from it (defensive). */
static gt_status print_tree(ctx *c)
{
    const gt_result *r = c->r;
    if (r->ntraces > 0) {
        c->printed_trace[0] = true;
        node *kids = malloc((r->nqueries + 1) * sizeof(*kids));
        if (kids == NULL) {
            return GT_ENOMEM;
        }
        node *top = realloc(kids, (r->nqueries + r->ntraces + 1) * sizeof(*kids));
        if (top == NULL) {
            free(kids);
            return GT_ENOMEM;
        }
        kids = top;
        size_t k = children(c, (node){true, 0}, kids);
        /* then each CNAME's trace, in the order they were started */
        for (size_t t = 1; t < r->ntraces; t++) {
            if (r->traces[t]->kind == GT_TRACE_CNAME) {
                kids[k++] = (node){true, t};
            }
        }
        for (size_t i = 0; i < k && c->err == GT_OK; i++) {
            if (kids[i].trace && c->printed_trace[kids[i].id]) {
                continue;
            }
            c->err = print_node(c, kids[i], i + 1 < k ? "|-- " : "`-- ");
        }
        free(kids);
    }
    for (size_t t = 1; t < r->ntraces && c->err == GT_OK; t++) {
        if (!c->printed_trace[t] && !hidden(c, r->traces[t]->kind)) {
            c->err = print_node(c, (node){true, t}, "`-- ");
        }
    }
    return c->err;
}

/* ";; N queries sent, ... ms". */
static void print_summary(ctx *c)
{
    const gt_result *r = c->r;
    size_t cached = 0;
    for (size_t i = 0; i < r->nqueries; i++) {
        cached += r->queries[i]->cached_from != 0;
    }
    tline l;
    txt_l_init(&l);
    txt_l_on(&l, C_DIM);
    gt_buf_printf(&l.b,
                  ";; %zu queries sent, %zu answered from this run's referral cache, %zu "
                  "timeouts, %zu traces, %.0f ms",
                  r->sent, cached, r->timeouts, r->ntraces, r->elapsed_ms);
    txt_emit(c, &l, "", ";; ");
}

gt_status gt_render_text(FILE *out, const gt_result *r, const gt_config *cfg)
{
    gt_status st = GT_ENOMEM;
    ctx c = {.out = out,
             .r = r,
             .cfg = cfg,
             .color = gt_color_wanted(cfg->color, out),
             .width = gt_text_width(out, cfg->verbose)};
    c.printed_trace = calloc(r->ntraces + 1, sizeof(bool));
    c.rep = calloc(r->nqueries + 1, sizeof(size_t));
    c.nfolded = calloc(r->nqueries + 1, sizeof(size_t));
    c.drawn = calloc(r->nqueries + 1, sizeof(bool));
    c.marked = calloc(r->ndnssec + 1, sizeof(bool));
    if (c.printed_trace == NULL || c.rep == NULL || c.nfolded == NULL || c.drawn == NULL ||
        c.marked == NULL) {
        goto done;
    }
    if (!cfg->quiet) {
        print_header(&c);
    }
    print_verdict(&c);
    if (!cfg->quiet) {
        fold_same_replies(&c);
        fputc('\n', out);
        st = print_tree(&c);
        if (st != GT_OK) {
            goto done;
        }
    }
    fputc('\n', out);
    txt_print_answers(&c);
    if (cfg->verbose && r->nfindings > 0) {
        fputc('\n', out);
        txt_print_findings(&c);
    }
    if (r->census != NULL) {
        fputc('\n', out);
        gt_census_print(out, r->census, cfg->verbose);
    }
    if (r->vsdig != NULL) {
        fputc('\n', out);
        gt_vsdig_print(out, r->vsdig, c.width);
    }
    if (!cfg->quiet) {
        fputc('\n', out);
        print_summary(&c);
    }
    st = c.err;
done:
    free(c.printed_trace);
    free(c.rep);
    free(c.nfolded);
    free(c.drawn);
    free(c.marked);
    free(c.last_via);
    return st;
}
