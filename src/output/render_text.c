/* The readable tree. Every name goes through gt_name_to_str(), which escapes non-printable
 * bytes, so a hostile server cannot write terminal control sequences; the only escape
 * sequences in the output are our own colours. */
#include "gluetrace/output/render.h"
#include "gluetrace/diagnose/vsdig.h"
#include "gluetrace/wire/rdata.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

size_t gt_rr_to_str(const gt_rr *rr, char *buf, size_t size)
{
    char owner[GT_NAME_STRLEN], type[16], data[8192];
    gt_name_to_str(&rr->owner, owner, sizeof(owner));
    gt_type_to_str(rr->type, type, sizeof(type));
    gt_rr_data_str(rr, data, sizeof(data));
    int n = snprintf(buf, size, "%s %u %s %s %s", owner, (unsigned)rr->ttl,
                     rr->cls == GT_CLASS_IN ? "IN" : "CLASS?", type, data);
    return n < 0 || (size_t)n >= size ? 0 : (size_t)n;
}

bool gt_color_wanted(gt_color when, FILE *out)
{
    if (when != GT_COLOR_AUTO) {
        return when == GT_COLOR_ALWAYS;
    }
    const char *no = getenv("NO_COLOR"); /* https://no-color.org: any non-empty value */
    if (no != NULL && no[0] != '\0') {
        return false;
    }
    return isatty(fileno(out)) == 1;
}

/* SGR parameters of the few colours we use. */
#define C_DIM "2"
#define C_BOLD "1"
#define C_RED "1;31"
#define C_GREEN "32"
#define C_YELLOW "33"
#define C_BLUE "34"
#define C_MAGENTA "35"
#define C_CYAN "36"

/** Deepest tree level drawn with connectors; deeper levels share the last prefix. */
#define TREE_MAX_DEPTH 200

typedef struct ctx {
    FILE *out;
    const gt_result *r;
    const gt_config *cfg;
    bool color;
    bool *printed_trace; /* each trace printed once, where first needed */
    size_t *rep;         /* per query: the query it is folded into (same referral), or 0 */
    size_t *nfolded;     /* per query: how many queries are folded into it */
    char prefix[TREE_MAX_DEPTH * 4 + 1];
    size_t plen;
    size_t cur_trace; /* trace of the line above: a query of another trace names its question */
} ctx;

static void on(ctx *c, const char *sgr)
{
    if (c->color) {
        fprintf(c->out, "\033[%sm", sgr);
    }
}

static void off(ctx *c)
{
    if (c->color) {
        fputs("\033[0m", c->out);
    }
}

static const gt_query *Q(const ctx *c, size_t id)
{
    return c->r->queries[id - 1];
}

static void provenance(ctx *c, const gt_query *q)
{
    char b[GT_NAME_STRLEN];
    switch (q->source) {
    case GT_SRC_HINTS:
        on(c, C_BLUE);
        fputs("hints", c->out);
        break;
    case GT_SRC_USER:
        on(c, C_BLUE);
        fputs("user (-s)", c->out);
        break;
    case GT_SRC_RESOLVER:
        on(c, C_BLUE);
        fputs("local resolver, RD=1", c->out);
        break;
    case GT_SRC_SUBTRACE:
        on(c, C_MAGENTA);
        fprintf(c->out, "sub-trace #%zu", q->subtrace);
        break;
    case GT_SRC_GLUE: {
        if (q->glue_from == 0 || q->glue_from > c->r->nqueries) {
            fprintf(c->out, "glue, %s", gt_glue_kind_str(q->glue_kind));
            break;
        }
        const gt_query *g = Q(c, q->glue_from);
        char a[GT_ADDR_STRLEN];
        if (q->glue_kind == GT_GLUE_SIBLING) {
            on(c, C_YELLOW);
        }
        fprintf(c->out, "glue from %s %s, %s",
                g->server_name.len ? gt_name_str(&g->server_name, b, sizeof(b)) : "-",
                gt_addr_to_str(&g->addr, a, sizeof(a)), gt_glue_kind_str(q->glue_kind));
        break;
    }
    }
    off(c);
}

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

static void outcome(ctx *c, const gt_query *q)
{
    char b[GT_NAME_STRLEN], rc[24];
    const gt_msg *m = q->reply;
    on(c, outcome_color(q->outcome));
    switch (q->outcome) {
    case GT_OUT_REFERRAL:
    case GT_OUT_UPWARD:
    case GT_OUT_SIDEWAYS:
        if (q->outcome == GT_OUT_REFERRAL) {
            fprintf(c->out, "referral to %s", gt_name_str(&q->referral.zone, b, sizeof(b)));
        } else {
            fprintf(c->out, "LAME: %s referral to %s",
                    q->outcome == GT_OUT_UPWARD ? "upward" : "sideways",
                    gt_name_str(&q->cls.zone, b, sizeof(b)));
        }
        off(c);
        if (q->has_referral) {
            fprintf(c->out, " (%zu NS, %zu glue", q->referral.nns, q->referral.nglue);
            if (q->referral.nignored > 0) {
                fprintf(c->out, ", %zu ignored", q->referral.nignored);
            }
            fputc(')', c->out);
        }
        if (q->same_as) {
            fprintf(c->out, ", same as #%zu", q->same_as);
        }
        return;
    case GT_OUT_ANSWER:
    case GT_OUT_CNAME: {
        fputs(q->outcome == GT_OUT_ANSWER ? "ANSWER" : "CNAME", c->out);
        off(c);
        size_t n = m ? m->count[GT_SEC_ANSWER] : 0;
        for (size_t i = 0; i < n && i < 3; i++) {
            const gt_rr *rr = &m->rrs[GT_SEC_ANSWER][i];
            char type[16], data[512];
            if (gt_rdata_to_str(rr->type, rr->rdata, rr->rdlen, data, sizeof(data)) == 0) {
                snprintf(data, sizeof(data), "(%u bytes)", (unsigned)rr->rdlen);
            }
            fprintf(c->out, "%s %s %s", i ? "," : "", gt_type_to_str(rr->type, type, sizeof(type)),
                    data);
        }
        if (n > 3) {
            fprintf(c->out, ", ... (%zu records)", n);
        }
        return;
    }
    case GT_OUT_NXDOMAIN:
        fputs("NXDOMAIN", c->out);
        break;
    case GT_OUT_NODATA:
        fputs("NODATA", c->out);
        break;
    case GT_OUT_LAME:
        if (q->cls.lame == GT_LAME_RCODE && m != NULL) {
            fprintf(c->out, "LAME: %s", gt_rcode_to_str(m->rcode, rc, sizeof(rc)));
        } else {
            fputs("LAME: not authoritative", c->out);
        }
        break;
    case GT_OUT_TRUNCATED:
        fputs("truncated (TC=1), retried over TCP", c->out);
        break;
    case GT_OUT_TIMEOUT:
        fputs("TIMEOUT", c->out);
        break;
    case GT_OUT_UNREACHABLE:
        fprintf(c->out, "UNREACHABLE (%s)", gt_status_str(q->net_status));
        break;
    case GT_OUT_MALFORMED:
        if (q->net_status == GT_ESHORTREAD) {
            fprintf(c->out, "MALFORMED reply (%s after %zu bytes)", gt_status_str(q->net_status),
                    q->reply_len);
        } else {
            fputs("MALFORMED reply", c->out);
        }
        break;
    case GT_OUT_ERROR:
        fprintf(c->out, "ERROR (%s)", gt_status_str(q->net_status));
        break;
    case GT_OUT_PENDING:
        fputs("no reply", c->out);
        break;
    }
    off(c);
    /* A reply that is not an answer or a referral: its header says who answered (a root or
     * TLD server never sets RA; AA=0 without a referral is lame). */
    if (m != NULL && (q->outcome == GT_OUT_NXDOMAIN || q->outcome == GT_OUT_NODATA ||
                      q->outcome == GT_OUT_LAME || q->outcome == GT_OUT_MALFORMED)) {
        fprintf(c->out, " [%s, AA=%d, RA=%d]", gt_rcode_to_str(m->rcode, rc, sizeof(rc)), m->aa,
                m->ra);
    }
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

/* Start a detail line under the current node (records, findings, folded servers). */
static void detail(ctx *c, bool has_children)
{
    fputs(c->prefix, c->out);
    fputs(has_children ? "|   " : "    ", c->out);
}

static void print_records(ctx *c, const gt_msg *m, bool has_children)
{
    static const char *names[3] = {"answer", "authority", "additional"};
    for (int s = 0; s < 3 && m != NULL; s++) {
        for (size_t i = 0; i < m->count[s]; i++) {
            char line[8192 + 2 * GT_NAME_STRLEN];
            gt_rr_to_str(&m->rrs[s][i], line, sizeof(line));
            detail(c, has_children);
            on(c, C_DIM);
            fprintf(c->out, "; %s: %s", names[s], line);
            off(c);
            fputc('\n', c->out);
        }
    }
}

static const char *sev_color(gt_severity s)
{
    return s == GT_SEV_ERROR ? C_RED : s == GT_SEV_WARNING ? C_YELLOW : C_BLUE;
}

/* A child in the tree: a query or a trace. */
typedef struct node {
    bool trace;
    size_t id;
} node;

/* The children of a query (traces it started, then the servers its referral led to) or of a
 * trace (its first queries). Folded queries are not children. @return the count. */
/* Delegation checks are summarised in one line unless -v asks for every query. */
static bool hidden(const ctx *c, gt_trace_kind k)
{
    return k == GT_TRACE_CHECK && !c->cfg->verbose;
}

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
        if (r->traces[t]->requested_by == n.id && !c->printed_trace[t] &&
            !hidden(c, r->traces[t]->kind)) {
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

static void server_brief(ctx *c, const gt_query *q)
{
    char b[GT_NAME_STRLEN], a[GT_ADDR_STRLEN];
    fprintf(c->out, "%s %s (#%zu, ",
            q->server_name.len ? gt_name_str(&q->server_name, b, sizeof(b)) : "-",
            gt_addr_to_str(&q->addr, a, sizeof(a)), q->id);
    if (q->cached_from) {
        fprintf(c->out, "cached)");
    } else {
        fprintf(c->out, "%.1f ms)", q->rtt_ms);
    }
}

static gt_status print_node(ctx *c, node n, const char *connector);

static const char *trace_word(gt_trace_kind k);

static void query_line(ctx *c, const gt_query *q)
{
    char b[GT_NAME_STRLEN], z[GT_NAME_STRLEN], a[GT_ADDR_STRLEN], type[16];
    on(c, C_DIM);
    fprintf(c->out, "#%zu", q->id);
    off(c);
    fputc(' ', c->out);
    on(c, C_BOLD);
    fputs(gt_name_str(&q->zone, z, sizeof(z)), c->out);
    off(c);
    fprintf(c->out, " %s %s [",
            q->server_name.len ? gt_name_str(&q->server_name, b, sizeof(b)) : "-",
            gt_addr_to_str(&q->addr, a, sizeof(a)));
    provenance(c, q);
    fputs("] ", c->out);
    if (q->cached_from) {
        fprintf(c->out, "cached from #%zu: ", q->cached_from);
    } else if (q->from_session) {
        fputs("reused from an earlier name: ", c->out);
    } else {
        fprintf(c->out, "%s%s %.1f ms: ", q->tcp ? "tcp" : "udp", q->retry_of ? " retry" : "",
                q->rtt_ms);
    }
    if (q->trace != c->cur_trace) {
        on(c, C_MAGENTA);
        fprintf(c->out, "(%s #%zu) ", trace_word(c->r->traces[q->trace]->kind), q->trace);
        off(c);
        fprintf(c->out, "%s %s? ", gt_name_str(&q->qname, b, sizeof(b)),
                gt_type_to_str(q->qtype, type, sizeof(type)));
    }
    outcome(c, q);
    fputc('\n', c->out);
}

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

static void trace_line(ctx *c, const gt_tracerec *tr)
{
    char b[GT_NAME_STRLEN], type[16];
    on(c, C_MAGENTA);
    fprintf(c->out, "%s #%zu", trace_word(tr->kind), tr->id);
    off(c);
    fprintf(c->out, ": %s %s ", gt_name_str(&tr->name, b, sizeof(b)),
            gt_type_to_str(tr->qtype, type, sizeof(type)));
    if (tr->kind == GT_TRACE_CHECK) {
        char z[GT_NAME_STRLEN];
        fprintf(c->out, "asked of the servers of %s -> ", gt_name_str(&tr->zone, z, sizeof(z)));
    } else if (tr->kind == GT_TRACE_RESOLVER) {
        fputs("asked of the local resolver (RD=1) -> ", c->out);
    } else {
        fputs("from the root -> ", c->out);
    }
    bool good =
        tr->status == GT_TS_ANSWER || tr->status == GT_TS_NXDOMAIN || tr->status == GT_TS_NODATA;
    on(c, good ? C_GREEN : C_RED);
    fputs(gt_trace_status_str(tr->status), c->out);
    off(c);
    for (size_t i = 0; i < tr->naddrs; i++) {
        char a[GT_ADDR_STRLEN];
        fprintf(c->out, "%s%s", i ? ", " : " ", gt_addr_to_str(&tr->addrs[i], a, sizeof(a)));
    }
    fputc('\n', c->out);
}

/* Details under a query: folded servers, records (-v), findings. */
static void query_details(ctx *c, const gt_query *q, bool has_children)
{
    const gt_result *r = c->r;
    size_t idx = q->id - 1;
    if (c->nfolded[idx] > 0) {
        detail(c, has_children);
        fprintf(c->out, "(same referral from %zu servers: ", c->nfolded[idx] + 1);
        server_brief(c, q);
        for (size_t i = 0; i < r->nqueries; i++) {
            if (i != idx && c->rep[i] == q->id) {
                fputs(", ", c->out);
                server_brief(c, r->queries[i]);
            }
        }
        fputs(")\n", c->out);
    }
    if (c->cfg->verbose) {
        print_records(c, q->reply, has_children);
    } else {
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
        if (nchecks > 0) {
            char z[GT_NAME_STRLEN];
            detail(c, has_children);
            fprintf(c->out,
                    "(delegation checks of %s: %zu questions, %zu queries; -v shows them)\n",
                    gt_name_str(&q->referral.zone, z, sizeof(z)), nchecks, nq);
        }
    }
    for (size_t i = 0; i < r->nfindings; i++) {
        const gt_finding *f = &r->findings[i];
        if (f->query == q->id) {
            detail(c, has_children);
            gt_severity sev = gt_code_severity(f->code);
            on(c, sev_color(sev));
            fprintf(c->out, "! %s %s", gt_severity_str(sev), gt_code_name(f->code));
            off(c);
            fprintf(c->out, ": %s\n", f->message);
        }
    }
}

static gt_status print_children(ctx *c, node n)
{
    size_t cap = c->r->nqueries + c->r->ntraces + 1;
    node *kids = malloc(cap * sizeof(*kids));
    if (kids == NULL) {
        return GT_ENOMEM;
    }
    size_t k = children(c, n, kids);
    gt_status st = GT_OK;
    for (size_t i = 0; i < k && st == GT_OK; i++) {
        st = print_node(c, kids[i], i + 1 < k ? "|-- " : "`-- ");
    }
    free(kids);
    return st;
}

static gt_status print_node(ctx *c, node n, const char *connector)
{
    const gt_result *r = c->r;
    bool last = connector[0] == '`';
    fputs(c->prefix, c->out);
    fputs(connector, c->out);
    if (n.trace) {
        c->printed_trace[n.id] = true;
        trace_line(c, r->traces[n.id]);
    } else {
        query_line(c, Q(c, n.id));
    }
    bool pushed = push(c, !last);
    size_t saved_trace = c->cur_trace;
    c->cur_trace = n.trace ? n.id : Q(c, n.id)->trace;
    gt_status st = GT_OK;
    if (!n.trace) {
        /* Whether anything follows decides the detail lines' tree column. */
        bool has_children = false;
        for (size_t t = 1; t < r->ntraces && !has_children; t++) {
            has_children = r->traces[t]->requested_by == n.id && !c->printed_trace[t] &&
                           !hidden(c, r->traces[t]->kind);
        }
        for (size_t i = n.id; i < r->nqueries && !has_children; i++) {
            has_children = r->queries[i]->parent == n.id && c->rep[i] == 0 &&
                           !hidden(c, r->traces[r->queries[i]->trace]->kind);
        }
        query_details(c, Q(c, n.id), has_children);
    }
    st = print_children(c, n);
    c->cur_trace = saved_trace;
    pop(c, pushed);
    return st;
}

/* Fold each "same referral as #X" query into X when it is X's sibling and has nothing of its
 * own to show (no children, no findings): wide zones then take one line per distinct reply. */
static void fold_same_referrals(ctx *c)
{
    const gt_result *r = c->r;
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (q->same_as == 0 || q->same_as > r->nqueries || q->same_as == q->id) {
            continue;
        }
        const gt_query *x = Q(c, q->same_as);
        if (x->same_as != 0 || x->parent != q->parent || x->trace != q->trace) {
            continue;
        }
        bool own = false;
        for (size_t t = 1; t < r->ntraces && !own; t++) {
            own = r->traces[t]->requested_by == q->id;
        }
        for (size_t j = 0; j < r->nqueries && !own; j++) {
            own = r->queries[j]->parent == q->id;
        }
        for (size_t f = 0; f < r->nfindings && !own; f++) {
            own = r->findings[f].query == q->id;
        }
        if (!own) {
            c->rep[i] = x->id;
            c->nfolded[x->id - 1]++;
        }
    }
}

static const char *answer_word(gt_outcome o)
{
    return o == GT_OUT_NXDOMAIN ? "NXDOMAIN"
           : o == GT_OUT_NODATA ? "NODATA"
           : o == GT_OUT_CNAME  ? "CNAME"
                                : "ANSWER";
}

/* The overview: each distinct answer, its records, and every server that gave it. */
static void print_answers(ctx *c)
{
    const gt_result *r = c->r;
    FILE *out = c->out;
    on(c, C_BOLD);
    fputs("Answers:", out);
    off(c);
    fputc('\n', out);
    if (r->nanswers == 0) {
        on(c, C_RED);
        fputs("  none: no authoritative answer was reached", out);
        off(c);
        fputc('\n', out);
    } else if (r->nanswers > 1) {
        on(c, C_YELLOW);
        fprintf(out, "  %zu different answers: the authoritative servers disagree", r->nanswers);
        off(c);
        fputc('\n', out);
    }
    for (size_t i = 0; i < r->nanswers; i++) {
        const gt_answer *an = &r->answers[i];
        on(c, C_GREEN);
        fprintf(out, "  %s", answer_word(an->outcome));
        off(c);
        fprintf(out, " from %zu %s\n", an->nqueries, an->nqueries == 1 ? "server" : "servers");
        const gt_msg *m = NULL;
        if (an->first_query >= 1 && an->first_query <= r->nqueries) {
            m = Q(c, an->first_query)->reply;
        }
        for (size_t k = 0; m != NULL && k < m->count[GT_SEC_ANSWER]; k++) {
            char line[8192 + 2 * GT_NAME_STRLEN];
            gt_rr_to_str(&m->rrs[GT_SEC_ANSWER][k], line, sizeof(line));
            fprintf(out, "    %s\n", line);
        }
        for (size_t j = 0; j < an->nqueries; j++) {
            if (an->queries[j] == 0 || an->queries[j] > r->nqueries) {
                continue;
            }
            const gt_query *q = Q(c, an->queries[j]);
            char z[GT_NAME_STRLEN];
            fprintf(out, "    <- %s ", gt_name_str(&q->zone, z, sizeof(z)));
            server_brief(c, q);
            fputc('\n', out);
        }
    }
}

static void print_findings(ctx *c)
{
    const gt_result *r = c->r;
    char b[GT_NAME_STRLEN];
    if (r->nfindings == 0) {
        return;
    }
    on(c, C_BOLD);
    fputs("Findings:", c->out);
    off(c);
    fputc('\n', c->out);
    for (size_t i = 0; i < r->nfindings; i++) {
        const gt_finding *f = &r->findings[i];
        gt_severity sev = gt_code_severity(f->code);
        fputs("  ", c->out);
        on(c, sev_color(sev));
        fprintf(c->out, "%-7s", gt_severity_str(sev));
        off(c);
        fprintf(c->out, " %s", gt_code_name(f->code));
        if (f->zone.len) {
            fprintf(c->out, " [%s]", gt_name_str(&f->zone, b, sizeof(b)));
        }
        if (f->server[0]) {
            fprintf(c->out, " %s", f->server);
        }
        if (f->query) {
            fprintf(c->out, " (#%zu)", f->query);
        }
        fprintf(c->out, ": %s\n", f->message);
    }
}

gt_status gt_render_text(FILE *out, const gt_result *r, const gt_config *cfg)
{
    gt_status st = GT_ENOMEM;
    ctx c = {.out = out, .r = r, .cfg = cfg, .color = gt_color_wanted(cfg->color, out)};
    c.printed_trace = calloc(r->ntraces + 1, sizeof(bool));
    c.rep = calloc(r->nqueries + 1, sizeof(size_t));
    c.nfolded = calloc(r->nqueries + 1, sizeof(size_t));
    if (c.printed_trace == NULL || c.rep == NULL || c.nfolded == NULL) {
        goto done;
    }
    char b[GT_NAME_STRLEN], type[16];
    if (!cfg->quiet) {
        fold_same_referrals(&c);
        on(&c, C_BOLD);
        fprintf(out, "gluetrace %s: %s %s", GT_VERSION, gt_name_str(&r->qname, b, sizeof(b)),
                gt_type_to_str(r->qtype, type, sizeof(type)));
        off(&c);
        fprintf(out, ", %s, from %s\n", cfg->one_path ? "one path" : "all paths",
                cfg->have_server  ? "the given server"
                : cfg->hints_file ? "the hints file"
                                  : "built-in root hints");
        if (r->interrupted) {
            fputs("INTERRUPTED by a signal: below is what the trace knew at that moment; queries "
                  "cut short show \"no reply\"\n",
                  out);
        }
        /* The main trace, then any trace not reached from it (defensive). */
        if (r->ntraces > 0) {
            c.printed_trace[0] = true;
            st = print_children(&c, (node){true, 0});
            if (st != GT_OK) {
                goto done;
            }
        }
        for (size_t t = 1; t < r->ntraces; t++) {
            if (!c.printed_trace[t] && !hidden(&c, r->traces[t]->kind)) {
                st = print_node(&c, (node){true, t}, "`-- ");
                if (st != GT_OK) {
                    goto done;
                }
            }
        }
        fputc('\n', out);
    }
    print_answers(&c);
    if (r->nfindings > 0) {
        fputc('\n', out);
        print_findings(&c);
    }
    if (r->vsdig != NULL) {
        fputc('\n', out);
        gt_vsdig_print(out, r->vsdig);
    }
    if (!cfg->quiet) {
        size_t cached = 0;
        for (size_t i = 0; i < r->nqueries; i++) {
            cached += r->queries[i]->cached_from != 0;
        }
        fputc('\n', out);
        on(&c, C_DIM);
        fprintf(out,
                ";; %zu queries sent, %zu answered from this run's referral cache, %zu "
                "timeouts, %zu traces, %.0f ms",
                r->sent, cached, r->timeouts, r->ntraces, r->elapsed_ms);
        off(&c);
        fputc('\n', out);
    }
    st = GT_OK;
done:
    free(c.printed_trace);
    free(c.rep);
    free(c.nfolded);
    return st;
}
