/* The readable text: a verdict (the answer and each problem once, with its fix), the tree of
 * the trace, the answers and a summary line, every line wrapped to the width of the terminal
 * (100 columns at most when not a terminal). Every name goes through gt_name_to_str(), which
 * escapes non-printable bytes, so a hostile server cannot write terminal control sequences;
 * the only escape sequences in the output are our own colours. */
#include "gluetrace/output/render.h"
#include "gluetrace/base/buf.h"
#include "gluetrace/base/parse.h"
#include "gluetrace/diagnose/problems.h"
#include "gluetrace/diagnose/vsdig.h"
#include "gluetrace/wire/rdata.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
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
/** Widest text written when the output is not a terminal (and -v is not given). */
#define TEXT_MAX_WIDTH 100
/** Width assumed for a terminal whose size cannot be read. */
#define TEXT_TTY_DEFAULT_WIDTH 80
/** Fewest columns left for text after a deep tree prefix (the line then runs wider). */
#define TEXT_MIN_ROOM 30
/** Distinct messages shown per problem in the verdict; -v lists every finding. */
#define VERDICT_MAX_MESSAGES 2
/** Records of an answer shown on one line before "... (N records)". */
#define ANSWER_MAX_SHOWN 3

size_t gt_text_width(FILE *out, bool verbose)
{
    unsigned long long cols = 0;
    const char *env = getenv("COLUMNS");
    bool have_env = env != NULL && gt_parse_uint(env, 10000, &cols) == GT_OK && cols > 0;
    if (isatty(fileno(out)) == 1) {
        struct winsize ws;
        if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
            return ws.ws_col;
        }
        return have_env ? (size_t)cols : TEXT_TTY_DEFAULT_WIDTH;
    }
    if (!have_env) {
        return verbose ? 0 : TEXT_MAX_WIDTH;
    }
    return !verbose && cols > TEXT_MAX_WIDTH ? TEXT_MAX_WIDTH : (size_t)cols;
}

/** Most colour spans on one logical line. */
#define LINE_MAX_SPANS 48

/* A colour over [start, end) of a line's text. */
typedef struct span {
    size_t start, end;
    const char *sgr;
} span;

/* One logical line, built before it is wrapped: plain text plus its colour spans. */
typedef struct tline {
    gt_buf b;
    span spans[LINE_MAX_SPANS];
    size_t nspans;
    bool open; /* the last span is still open */
} tline;

static void l_init(tline *l)
{
    gt_buf_init_grow(&l->b);
    l->nspans = 0;
    l->open = false;
}

static void l_off(tline *l)
{
    if (l->open) {
        l->spans[l->nspans - 1].end = l->b.len;
        l->open = false;
    }
}

static void l_on(tline *l, const char *sgr)
{
    l_off(l);
    if (l->nspans < LINE_MAX_SPANS) {
        l->spans[l->nspans++] = (span){l->b.len, SIZE_MAX, sgr};
        l->open = true;
    }
}

typedef struct ctx {
    FILE *out;
    const gt_result *r;
    const gt_config *cfg;
    bool color;
    size_t width;        /* columns to wrap at; 0: no limit */
    bool *printed_trace; /* each trace printed once, where first needed */
    size_t *rep;         /* per query: the query it is folded into (same referral), or 0 */
    size_t *nfolded;     /* per query: how many queries are folded into it */
    char prefix[TREE_MAX_DEPTH * 4 + 1];
    size_t plen;
    size_t cur_trace; /* trace of the line above: a query of another trace names its question */
    gt_status err;    /* GT_ENOMEM once a line could not be built */
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

static const span *span_at(const tline *l, size_t i)
{
    for (size_t k = 0; k < l->nspans; k++) {
        if (i >= l->spans[k].start && i < l->spans[k].end) {
            return &l->spans[k];
        }
    }
    return NULL;
}

/*
 * Write line @p l wrapped to the width: the first row after @p first, the others after
 * @p cont, breaking at spaces (inside a word only when it is longer than a row). Frees @p l.
 */
static void emit(ctx *c, tline *l, const char *first, const char *cont)
{
    l_off(l);
    if (l->b.err != GT_OK) {
        c->err = GT_ENOMEM;
        gt_buf_free(&l->b);
        return;
    }
    const char *t = gt_buf_str(&l->b);
    size_t n = l->b.len, pos = 0;
    const char *prefix = first;
    for (bool firstrow = true;; firstrow = false) {
        if (!firstrow) {
            while (pos < n && t[pos] == ' ') {
                pos++;
            }
        }
        size_t plen = strlen(prefix), room = SIZE_MAX;
        if (c->width > 0) {
            room = c->width > plen + TEXT_MIN_ROOM ? c->width - plen : TEXT_MIN_ROOM;
        }
        size_t end = n;
        if (n - pos > room) {
            end = pos + room;
            size_t k = end;
            while (k > pos && t[k] != ' ') {
                k--;
            }
            if (k > pos) {
                end = k;
            }
        }
        fputs(prefix, c->out);
        const span *cur = NULL;
        for (size_t i = pos; i < end; i++) {
            const span *s = c->color ? span_at(l, i) : NULL;
            if (s != cur) {
                if (cur != NULL) {
                    off(c);
                }
                if (s != NULL) {
                    on(c, s->sgr);
                }
                cur = s;
            }
            fputc(t[i], c->out);
        }
        if (cur != NULL) {
            off(c);
        }
        fputc('\n', c->out);
        pos = end;
        if (pos >= n) {
            break;
        }
        prefix = cont;
    }
    gt_buf_free(&l->b);
}

static const gt_query *Q(const ctx *c, size_t id)
{
    return c->r->queries[id - 1];
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

static const char *sev_color(gt_severity s)
{
    return s == GT_SEV_ERROR ? C_RED : s == GT_SEV_WARNING ? C_YELLOW : C_BLUE;
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

/* A referral in a few words: "NS ns1 ns2 (.zone.) TTL 3600; glue 2 A, 2 AAAA; 1 ignored". */
static void referral_brief(tline *l, const ctx *c, const gt_query *q)
{
    const gt_referral *ref = &q->referral;
    char b[GT_NAME_STRLEN], z[GT_NAME_STRLEN];
    gt_name_str(&ref->zone, z, sizeof(z));
    size_t zl = strlen(z);
    bool relative = ref->zone.len > 1 && ref->nns > 0;
    for (size_t i = 0; i < ref->nns && relative; i++) {
        relative =
            gt_name_is_under(&ref->ns[i], &ref->zone) && !gt_name_eq(&ref->ns[i], &ref->zone);
    }
    gt_buf_puts(&l->b, ": NS");
    for (size_t i = 0; i < ref->nns; i++) {
        gt_name_str(&ref->ns[i], b, sizeof(b));
        size_t bl = strlen(b);
        if (relative && bl > zl + 1) {
            b[bl - zl - 1] = '\0'; /* drop ".zone." */
        }
        gt_buf_printf(&l->b, " %s", b);
    }
    if (relative) {
        gt_buf_printf(&l->b, " (.%s)", z);
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

static void outcome(tline *l, const ctx *c, const gt_query *q)
{
    char b[GT_NAME_STRLEN];
    const gt_msg *m = q->reply;
    l_on(l, outcome_color(q->outcome));
    switch (q->outcome) {
    case GT_OUT_REFERRAL:
    case GT_OUT_UPWARD:
    case GT_OUT_SIDEWAYS:
        if (q->outcome == GT_OUT_REFERRAL) {
            gt_buf_printf(&l->b, "referral to %s", gt_name_str(&q->referral.zone, b, sizeof(b)));
        } else {
            gt_buf_printf(&l->b, "LAME: %s referral to %s",
                          q->outcome == GT_OUT_UPWARD ? "upward" : "sideways",
                          gt_name_str(&q->cls.zone, b, sizeof(b)));
        }
        l_off(l);
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
        return;
    case GT_OUT_ANSWER:
    case GT_OUT_CNAME: {
        gt_buf_puts(&l->b, q->outcome == GT_OUT_ANSWER ? "ANSWER" : "CNAME");
        l_off(l);
        size_t n = m ? m->count[GT_SEC_ANSWER] : 0;
        for (size_t i = 0; i < n && i < ANSWER_MAX_SHOWN; i++) {
            const gt_rr *rr = &m->rrs[GT_SEC_ANSWER][i];
            char type[16], data[512];
            if (gt_rdata_to_str(rr->type, rr->rdata, rr->rdlen, data, sizeof(data)) == 0) {
                snprintf(data, sizeof(data), "(%u bytes)", (unsigned)rr->rdlen);
            }
            gt_buf_printf(&l->b, "%s %s %s", i ? "," : "",
                          gt_type_to_str(rr->type, type, sizeof(type)), data);
        }
        if (n > ANSWER_MAX_SHOWN) {
            gt_buf_printf(&l->b, ", ... (%zu records)", n);
        }
        return;
    }
    case GT_OUT_NXDOMAIN:
        gt_buf_puts(&l->b, "NXDOMAIN");
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
    l_off(l);
    /* A reply that is not an answer or a referral: its header says who answered (a root or
     * TLD server never sets RA; AA=0 without a referral is lame). */
    reply_flags(l, m);
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
        for (size_t i = 0; i < m->count[s]; i++) {
            char text[8192 + 2 * GT_NAME_STRLEN];
            gt_rr_to_str(&m->rrs[s][i], text, sizeof(text));
            tline l;
            l_init(&l);
            l_on(&l, C_DIM);
            gt_buf_printf(&l.b, "; %s: %s", names[s], text);
            emit(c, &l, p->detail, p->cont);
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
        l_on(l, C_BLUE);
        gt_buf_puts(&l->b, " [-s]");
        break;
    case GT_SRC_RESOLVER:
        l_on(l, C_BLUE);
        gt_buf_puts(&l->b, " [local resolver, RD=1]");
        break;
    case GT_SRC_SUBTRACE:
        l_on(l, C_MAGENTA);
        gt_buf_printf(&l->b, " [sub-trace #%zu]", q->subtrace);
        break;
    case GT_SRC_CHILD:
        l_on(l, C_YELLOW);
        gt_buf_printf(&l->b, " [the child's own address, not the glue (#%zu)]", q->glue_from);
        break;
    case GT_SRC_GLUE:
        if (q->glue_kind == GT_GLUE_SIBLING) {
            l_on(l, C_YELLOW);
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
    l_off(l);
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
            l_on(l, sev_color(worst));
            gt_buf_puts(&l->b, " !");
        }
        gt_buf_printf(&l->b, "%s %s", shown > 1 ? "," : "", gt_code_name(f->code));
    }
    l_off(l);
}

static void query_line(tline *l, ctx *c, const gt_query *q)
{
    char b[GT_NAME_STRLEN], a[GT_ADDR_STRLEN], type[16];
    l_on(l, C_DIM);
    gt_buf_printf(&l->b, "#%zu", q->id);
    l_off(l);
    if (!zone_implied(c, q)) {
        gt_buf_putc(&l->b, ' ');
        l_on(l, C_BOLD);
        gt_buf_puts(&l->b, gt_name_str(&q->zone, b, sizeof(b)));
        l_off(l);
    }
    gt_buf_printf(&l->b, " %s %s",
                  q->server_name.len ? gt_name_str(&q->server_name, b, sizeof(b)) : "-",
                  gt_addr_to_str(&q->addr, a, sizeof(a)));
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
        l_on(l, C_MAGENTA);
        gt_buf_printf(&l->b, "(%s #%zu) ", trace_word(c->r->traces[q->trace]->kind), q->trace);
        l_off(l);
        gt_buf_printf(&l->b, "%s %s? ", gt_name_str(&q->qname, b, sizeof(b)),
                      gt_type_to_str(q->qtype, type, sizeof(type)));
    }
    outcome(l, c, q);
    finding_codes(l, c, q);
}

static void trace_line(tline *l, ctx *c, const gt_tracerec *tr)
{
    char b[GT_NAME_STRLEN], type[16];
    l_on(l, C_MAGENTA);
    gt_buf_printf(&l->b, "%s #%zu", trace_word(tr->kind), tr->id);
    l_off(l);
    gt_buf_printf(&l->b, ": %s %s ", gt_name_str(&tr->name, b, sizeof(b)),
                  gt_type_to_str(tr->qtype, type, sizeof(type)));
    if (tr->kind == GT_TRACE_CHECK) {
        char z[GT_NAME_STRLEN];
        gt_buf_printf(&l->b, "asked of the servers of %s -> ",
                      gt_name_str(&tr->zone, z, sizeof(z)));
    } else if (tr->kind == GT_TRACE_RESOLVER) {
        gt_buf_puts(&l->b, "asked of the local resolver (RD=1) -> ");
    } else {
        gt_buf_puts(&l->b, "from the root -> ");
    }
    bool good =
        tr->status == GT_TS_ANSWER || tr->status == GT_TS_NXDOMAIN || tr->status == GT_TS_NODATA;
    l_on(l, good ? C_GREEN : C_RED);
    gt_buf_puts(&l->b, gt_trace_status_str(tr->status));
    l_off(l);
    for (size_t i = 0; i < tr->naddrs; i++) {
        char a[GT_ADDR_STRLEN];
        gt_buf_printf(&l->b, "%s%s", i ? ", " : " ", gt_addr_to_str(&tr->addrs[i], a, sizeof(a)));
    }
    (void)c;
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

/* "DNSSEC example.: DS 2 -> KSK 12345 alg 13: secure" under the referral to a zone cut. */
static void dnssec_mark(ctx *c, const gt_dnssec_cut *d, const prefixes *p)
{
    char b[GT_NAME_STRLEN];
    tline l;
    l_init(&l);
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
    l_on(&l, dnssec_colour(d->state));
    gt_buf_puts(&l.b, gt_dnssec_state_str(d->state));
    l_off(&l);
    if (d->reason[0] != '\0') {
        gt_buf_printf(&l.b, " (%s)", d->reason);
    }
    emit(c, &l, p->detail, p->cont);
}

/* Details under a query: folded servers, delegation checks or records (-v). */
static void query_details(ctx *c, const gt_query *q, const prefixes *p)
{
    const gt_result *r = c->r;
    size_t idx = q->id - 1;
    const gt_dnssec_cut *dc = NULL;
    if (q->id == 1 && q->trace == 0 && (dc = dnssec_cut(c, &q->zone)) != NULL) {
        dnssec_mark(c, dc, p); /* the first zone's (the root's), under the first query */
    }
    if (q->has_referral && (dc = dnssec_cut(c, &q->referral.zone)) != NULL) {
        dnssec_mark(c, dc, p);
    }
    if (c->nfolded[idx] > 0) {
        tline l;
        l_init(&l);
        l_on(&l, C_DIM);
        if (c->cfg->verbose) {
            gt_buf_printf(&l.b, "(same referral from %zu servers: ", c->nfolded[idx] + 1);
            folded_brief(&l, q);
            for (size_t i = 0; i < r->nqueries; i++) {
                if (i != idx && c->rep[i] == q->id) {
                    gt_buf_puts(&l.b, ", ");
                    folded_brief(&l, r->queries[i]);
                }
            }
            gt_buf_putc(&l.b, ')');
        } else {
            gt_buf_printf(&l.b, "(same referral from %zu more %s; -v lists them)", c->nfolded[idx],
                          c->nfolded[idx] == 1 ? "address" : "addresses");
        }
        emit(c, &l, p->detail, p->cont);
    }
    if (c->cfg->verbose) {
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
    if (nchecks > 0) {
        tline l;
        l_init(&l);
        l_on(&l, C_DIM);
        gt_buf_printf(&l.b, "(delegation checks: %zu %s, %zu %s; -v shows them)", nchecks,
                      nchecks == 1 ? "question" : "questions", nq, nq == 1 ? "query" : "queries");
        emit(c, &l, p->detail, p->cont);
    }
}

static gt_status print_node(ctx *c, node n, const char *connector)
{
    const gt_result *r = c->r;
    bool last = connector[0] == '`';
    if (n.trace) {
        c->printed_trace[n.id] = true;
    }
    node *kids = malloc((r->nqueries + r->ntraces + 1) * sizeof(*kids));
    if (kids == NULL) {
        return GT_ENOMEM;
    }
    size_t k = children(c, n, kids);
    char first[sizeof(c->prefix) + 8];
    snprintf(first, sizeof(first), "%s%s", c->prefix, connector);
    bool pushed = push(c, !last);
    prefixes p;
    detail_prefixes(c, k > 0, &p);
    tline l;
    l_init(&l);
    if (n.trace) {
        trace_line(&l, c, r->traces[n.id]);
    } else {
        query_line(&l, c, Q(c, n.id));
    }
    emit(c, &l, first, p.cont);
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

/* ---- the verdict ---- */

/*
 * An answer's records in a few words: "A 192.0.2.1, A 192.0.2.11"; only the records that
 * answer (gt_answer.rrs).
 */
static void answer_records(tline *l, const gt_msg *m, const gt_answer *an)
{
    size_t n = m ? an->nrrs : 0;
    for (size_t i = 0; i < n && i < ANSWER_MAX_SHOWN; i++) {
        if (an->rrs[i] >= m->count[GT_SEC_ANSWER]) {
            continue;
        }
        const gt_rr *rr = &m->rrs[GT_SEC_ANSWER][an->rrs[i]];
        char type[16], data[512];
        if (gt_rdata_to_str(rr->type, rr->rdata, rr->rdlen, data, sizeof(data)) == 0) {
            snprintf(data, sizeof(data), "(%u bytes)", (unsigned)rr->rdlen);
        }
        gt_buf_printf(&l->b, "%s%s %s", i ? ", " : " ",
                      gt_type_to_str(rr->type, type, sizeof(type)), data);
    }
    if (n > ANSWER_MAX_SHOWN) {
        gt_buf_printf(&l->b, ", ... (%zu records)", n);
    }
}

static const char *answer_word(gt_outcome o);

/* "Verdict: NAME TYPE -> A 192.0.2.6 from 2 of 6 addresses; 2 problems (2 errors)". */
static void verdict_line(ctx *c)
{
    const gt_result *r = c->r;
    char b[GT_NAME_STRLEN], type[16];
    tline l;
    l_init(&l);
    l_on(&l, C_BOLD);
    gt_buf_puts(&l.b, "Verdict:");
    l_off(&l);
    gt_buf_printf(&l.b, " %s %s ->", gt_name_str(&r->qname, b, sizeof(b)),
                  gt_type_to_str(r->qtype, type, sizeof(type)));
    if (r->nanswers == 0) {
        l_on(&l, C_RED);
        gt_buf_printf(&l.b, " no authoritative answer (%s)",
                      r->ntraces > 0 ? gt_trace_status_str(r->traces[0]->status) : "no trace");
        l_off(&l);
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
        l_on(&l, an->nalternatives > 1 ? C_YELLOW : C_GREEN);
        if (an->outcome == GT_OUT_ANSWER || an->outcome == GT_OUT_CNAME) {
            answer_records(&l, m, an);
        } else {
            gt_buf_printf(&l.b, " %s", answer_word(an->outcome));
        }
        l_off(&l);
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
        l_on(&l, dnssec_colour(r->answer_dnssec));
        gt_buf_puts(&l.b, gt_dnssec_state_str(r->answer_dnssec));
        l_off(&l);
        if (r->answer_dnssec_reason[0] != '\0') {
            gt_buf_printf(&l.b, " (%s)", r->answer_dnssec_reason);
        }
    }
    size_t sev[3] = {0, 0, 0};
    for (size_t i = 0; i < r->nproblems; i++) {
        sev[gt_code_severity(r->problems[i].code)]++;
    }
    if (r->nproblems == 0) {
        l_on(&l, C_GREEN);
        gt_buf_puts(&l.b, "; no problems found");
    } else {
        l_on(&l, sev[GT_SEV_ERROR] ? C_RED : sev[GT_SEV_WARNING] ? C_YELLOW : C_BLUE);
        gt_buf_printf(&l.b, "; %zu %s (", r->nproblems, r->nproblems == 1 ? "problem" : "problems");
        static const char *const words[3][2] = {
            {"info", "info"}, {"warning", "warnings"}, {"error", "errors"}};
        bool any = false;
        for (int s = GT_SEV_ERROR; s >= GT_SEV_INFO; s--) {
            if (sev[s] > 0) {
                gt_buf_printf(&l.b, "%s%zu %s", any ? ", " : "", sev[s], words[s][sev[s] > 1]);
                any = true;
            }
        }
        gt_buf_putc(&l.b, ')');
    }
    emit(c, &l, "", "    ");
}

/* "error   LAME_SERVER + UPWARD_REFERRAL in lame.test." */
static void print_problem_head(tline *l, const gt_problem *p)
{
    char b[GT_NAME_STRLEN];
    gt_severity sev = gt_code_severity(p->code);
    l_on(l, sev_color(sev));
    gt_buf_printf(&l->b, "%-7s %s", gt_severity_str(sev), gt_code_name(p->code));
    for (size_t i = 0; i < p->nalso; i++) {
        gt_buf_printf(&l->b, " + %s", gt_code_name(p->also[i]));
    }
    l_off(l);
    if (p->zone.len > 0) {
        gt_buf_printf(&l->b, " in %s", gt_name_str(&p->zone, b, sizeof(b)));
    }
}

/* One problem: its code, zone, server and addresses; its messages; its fix. */
static void print_problem(ctx *c, const gt_problem *p)
{
    const gt_result *r = c->r;
    char a[GT_ADDR_STRLEN];
    tline l;
    l_init(&l);
    print_problem_head(&l, p);
    if (p->server[0] != '\0') {
        gt_buf_printf(&l.b, ": %s", p->server);
        bool named = true;
        if (p->naddrs == 1) {
            named = strcmp(p->server, gt_addr_to_str(&p->addrs[0], a, sizeof(a))) != 0;
        }
        if (p->naddrs > 1) {
            gt_buf_printf(&l.b, " at %zu addresses", p->naddrs);
        }
        for (size_t i = 0; i < p->naddrs && named; i++) {
            gt_buf_printf(&l.b, "%s%s", i ? ", " : " ", gt_addr_to_str(&p->addrs[i], a, sizeof(a)));
        }
        if (p->naddrs == 1 && named) {
            /* " ADDR" reads better as " at ADDR" */
            gt_buf_free(&l.b);
            l_init(&l);
            print_problem_head(&l, p);
            gt_buf_printf(&l.b, ": %s at %s", p->server, a);
        }
    }
    emit(c, &l, "  ", "          ");
    size_t shown = p->nmessages < VERDICT_MAX_MESSAGES ? p->nmessages : VERDICT_MAX_MESSAGES;
    for (size_t i = 0; i < shown; i++) {
        l_init(&l);
        gt_buf_puts(&l.b, r->findings[p->messages[i]].message);
        emit(c, &l, "          ", "            ");
    }
    if (p->nmessages > shown) {
        l_init(&l);
        l_on(&l, C_DIM);
        gt_buf_printf(&l.b, "(%zu more like this; -v lists every finding)", p->nmessages - shown);
        emit(c, &l, "          ", "            ");
    }
    l_init(&l);
    l_on(&l, C_BOLD);
    gt_buf_puts(&l.b, "fix:");
    l_off(&l);
    gt_buf_printf(&l.b, " %s", gt_code_fix(p->code));
    emit(c, &l, "          ", "               ");
}

static void print_verdict(ctx *c)
{
    verdict_line(c);
    for (size_t i = 0; i < c->r->nproblems; i++) {
        print_problem(c, &c->r->problems[i]);
    }
}

static const char *answer_word(gt_outcome o)
{
    return o == GT_OUT_NXDOMAIN ? "NXDOMAIN"
           : o == GT_OUT_NODATA ? "NODATA"
           : o == GT_OUT_CNAME  ? "CNAME"
                                : "ANSWER";
}

/* The records of one answer entry that answer the question (gt_answer.rrs). */
static void print_answer_rrs(ctx *c, const gt_answer *an, const char *indent)
{
    const gt_msg *m = NULL;
    if (an->first_query >= 1 && an->first_query <= c->r->nqueries) {
        m = Q(c, an->first_query)->reply;
    }
    for (size_t k = 0; m != NULL && k < an->nrrs; k++) {
        char line[8192 + 2 * GT_NAME_STRLEN];
        if (an->rrs[k] < m->count[GT_SEC_ANSWER]) {
            gt_rr_to_str(&m->rrs[GT_SEC_ANSWER][an->rrs[k]], line, sizeof(line));
            fprintf(c->out, "%s%s\n", indent, line);
        }
    }
}

/* One answer entry: its kind, its records, and every server that gave it. */
static void print_answer(ctx *c, const gt_answer *an)
{
    const gt_result *r = c->r;
    FILE *out = c->out;
    on(c, C_GREEN);
    fprintf(out, "  %s", answer_word(an->outcome));
    off(c);
    fprintf(out, " from %zu %s\n", an->nqueries, an->nqueries == 1 ? "server" : "servers");
    print_answer_rrs(c, an, "    ");
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

/* What servers without AA said at link @p link: shown, never the answer. */
static void print_nonauth(ctx *c, size_t link)
{
    const gt_result *r = c->r;
    for (size_t i = 0; i < r->nnonauth; i++) {
        const gt_answer *an = &r->nonauth[i];
        if (an->link != link) {
            continue;
        }
        for (size_t j = 0; j < an->nqueries; j++) {
            if (an->queries[j] == 0 || an->queries[j] > r->nqueries) {
                continue;
            }
            const gt_query *q = Q(c, an->queries[j]);
            char z[GT_NAME_STRLEN];
            on(c, C_YELLOW);
            fputs("  non-authoritative answer (AA=0, not used)", c->out);
            off(c);
            fprintf(c->out, " from %s ", gt_name_str(&q->zone, z, sizeof(z)));
            server_brief(c, q);
            fputc('\n', c->out);
        }
        print_answer_rrs(c, an, "    ");
    }
}

/* Whether the answer entries of link @p link come from more than one zone. */
static bool link_zones_differ(const gt_result *r, size_t link)
{
    const gt_answer *first = NULL;
    for (size_t i = 0; i < r->nanswers; i++) {
        if (r->answers[i].link != link) {
            continue;
        }
        if (first == NULL) {
            first = &r->answers[i];
        } else if (!gt_name_eq(&first->zone, &r->answers[i].zone)) {
            return true;
        }
    }
    return false;
}

/*
 * The overview: the answer chain, link by link (the question's name, then each alias target
 * answered by its own zone); at each link its distinct replies (more than one: the servers
 * disagree) with their records and servers, and what servers without AA said.
 */
static void print_answers(ctx *c)
{
    const gt_result *r = c->r;
    FILE *out = c->out;
    char b[GT_NAME_STRLEN], z[GT_NAME_STRLEN], type[16];
    on(c, C_BOLD);
    fputs("Answers:", out);
    off(c);
    fputc('\n', out);
    if (r->nanswers == 0) {
        on(c, C_RED);
        fputs("  none: no authoritative answer was reached", out);
        off(c);
        fputc('\n', out);
        for (size_t i = 0; i < r->nnonauth; i++) {
            if (i == 0 || r->nonauth[i].link != r->nonauth[i - 1].link) {
                print_nonauth(c, r->nonauth[i].link);
            }
        }
        return;
    }
    if (r->nlinks > 1) {
        fprintf(out, "  one answer through a chain of %zu names, each answered by its own zone\n",
                r->nlinks);
    }
    for (size_t i = 0; i < r->nanswers; i++) {
        const gt_answer *an = &r->answers[i];
        bool first_of_link = i == 0 || r->answers[i - 1].link != an->link;
        if (first_of_link && r->nlinks > 1) {
            fprintf(
                out, "  [%zu] %s %s, zone %s\n", an->link + 1, gt_name_str(&an->name, b, sizeof(b)),
                gt_type_to_str(r->qtype, type, sizeof(type)), gt_name_str(&an->zone, z, sizeof(z)));
        }
        if (first_of_link && an->nalternatives > 1) {
            on(c, C_YELLOW);
            if (link_zones_differ(r, an->link)) {
                fprintf(out, "  %zu different answers for %s: the servers disagree",
                        an->nalternatives, gt_name_str(&an->name, b, sizeof(b)));
            } else {
                fprintf(out, "  %zu different answers for %s: the servers of %s disagree",
                        an->nalternatives, gt_name_str(&an->name, b, sizeof(b)),
                        gt_name_str(&an->zone, z, sizeof(z)));
            }
            off(c);
            fputc('\n', out);
        }
        print_answer(c, an);
        if (i + 1 == r->nanswers || r->answers[i + 1].link != an->link) {
            print_nonauth(c, an->link);
        }
    }
}

/* -v: every finding as raised, one per server address and reply. */
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
        tline l;
        l_init(&l);
        l_on(&l, sev_color(sev));
        gt_buf_printf(&l.b, "%-7s", gt_severity_str(sev));
        l_off(&l);
        gt_buf_printf(&l.b, " %s", gt_code_name(f->code));
        if (f->zone.len) {
            gt_buf_printf(&l.b, " [%s]", gt_name_str(&f->zone, b, sizeof(b)));
        }
        if (f->server[0]) {
            gt_buf_printf(&l.b, " %s", f->server);
        }
        if (f->query) {
            gt_buf_printf(&l.b, " (#%zu)", f->query);
        }
        gt_buf_printf(&l.b, ": %s", f->message);
        emit(c, &l, "  ", "      ");
    }
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
    if (c.printed_trace == NULL || c.rep == NULL || c.nfolded == NULL) {
        goto done;
    }
    char b[GT_NAME_STRLEN], type[16];
    if (!cfg->quiet) {
        tline l;
        l_init(&l);
        l_on(&l, C_BOLD);
        gt_buf_printf(&l.b, "gluetrace %s: %s %s", GT_VERSION, gt_name_str(&r->qname, b, sizeof(b)),
                      gt_type_to_str(r->qtype, type, sizeof(type)));
        l_off(&l);
        gt_buf_printf(&l.b, ", %s, from %s", cfg->one_path ? "one path" : "all paths",
                      cfg->have_server  ? "the given server"
                      : cfg->hints_file ? "the hints file"
                                        : "built-in root hints");
        emit(&c, &l, "", "    ");
        if (r->interrupted) {
            l_init(&l);
            gt_buf_puts(&l.b, "INTERRUPTED by a signal: below is what the trace knew at that "
                              "moment; queries cut short show \"no reply\"");
            emit(&c, &l, "", "    ");
        }
    }
    print_verdict(&c);
    if (!cfg->quiet) {
        fold_same_referrals(&c);
        fputc('\n', out);
        /* The main trace, then any trace not reached from it (defensive). */
        if (r->ntraces > 0) {
            c.printed_trace[0] = true;
            node *kids = malloc((r->nqueries + 1) * sizeof(*kids));
            if (kids == NULL) {
                goto done;
            }
            size_t k = children(&c, (node){true, 0}, kids);
            for (size_t i = 0; i < k && c.err == GT_OK; i++) {
                c.err = print_node(&c, kids[i], i + 1 < k ? "|-- " : "`-- ");
            }
            free(kids);
        }
        for (size_t t = 1; t < r->ntraces && c.err == GT_OK; t++) {
            if (!c.printed_trace[t] && !hidden(&c, r->traces[t]->kind)) {
                c.err = print_node(&c, (node){true, t}, "`-- ");
            }
        }
        if (c.err != GT_OK) {
            st = c.err;
            goto done;
        }
    }
    fputc('\n', out);
    print_answers(&c);
    if (cfg->verbose && r->nfindings > 0) {
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
        tline l;
        l_init(&l);
        l_on(&l, C_DIM);
        gt_buf_printf(&l.b,
                      ";; %zu queries sent, %zu answered from this run's referral cache, %zu "
                      "timeouts, %zu traces, %.0f ms",
                      r->sent, cached, r->timeouts, r->ntraces, r->elapsed_ms);
        emit(&c, &l, "", ";; ");
    }
    st = c.err;
done:
    free(c.printed_trace);
    free(c.rep);
    free(c.nfolded);
    return st;
}
