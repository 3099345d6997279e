/* Graphviz output: a graph of the delegation, not of the queries. One node per (zone, server
 * name) with its addresses, one box (cluster) per zone, referral edges labelled by how the
 * next server's address was found (hints, glue, sibling glue, sub-trace), the problems drawn
 * on the nodes they concern, ignored (forged) glue as a rejected dashed edge, the sub-traces a
 * glueless NS name needs as "needs" edges (a glueless cycle is then a cycle), and the answers.
 * With a trust anchor, each zone's box and the answer leaf carry their DNSSEC status as a
 * frame colour and a label line, explained by a legend, and each server address whose
 * DNSKEY reply was judged is marked [secure] or [BOGUS]. Delegation checks only with
 * --dot-checks. Every name is in presentation format
 * (non-printable bytes as \DDD) and every label goes through dot_str(), which escapes what
 * DOT's quoted strings treat specially. */
#include "gluetrace/output/render.h"

#include "gluetrace/base/array.h"
#include "gluetrace/wire/rdata.h"

#include <stdlib.h>
#include <string.h>

/** Answer records shown in an answer leaf before "...". */
#define DOT_MAX_LEAF_RRS 6
/** Addresses listed in a server node before "...". */
#define DOT_MAX_NODE_ADDRS 8

/** One address of a server node and what asking it gave. */
typedef struct naddr {
    gt_addr addr;
    bool asked;      /**< a query went to it (or reused a reply from it) */
    bool ok;         /**< at least one reply was usable */
    gt_outcome fail; /**< the outcome of a failed query, when !ok */
} naddr;

/** A server of a zone: the unit the picture is drawn in. */
typedef struct dnode {
    gt_name zone;  /**< the zone it serves (or was delegated to serve) */
    gt_name name;  /**< its NS name; len 0 when unknown (then keyed by its first address) */
    naddr *addrs;  /**< its addresses; owned */
    size_t naddrs; /**< entries used */
    size_t cap;    /**< entries allocated */
    bool hints;    /**< a root server from the hints */
} dnode;

/** An edge, drawn once. */
typedef struct dedge {
    size_t from, to;   /**< node indexes */
    const char *label; /**< static text */
    const char *style; /**< static DOT attributes */
} dedge;

typedef struct ctx {
    FILE *out;
    const gt_result *r;
    const gt_config *cfg;
    dnode *nodes;
    size_t nnodes, capnodes;
    dedge *edges;
    size_t nedges, capedges;
    size_t *qnode; /* per query: its node + 1, 0 when not drawn */
    bool marks;    /* a DNSSEC status was drawn: print the legend */
    bool oom;
} ctx;

/* Write @p s as the inside of a DOT quoted string: '"' and '\' are escaped so the label shows
 * them literally (DOT would otherwise read \N, \l, ... as label escapes). */
static void dot_str(FILE *out, const char *s)
{
    for (; *s != '\0'; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\') {
            fputc('\\', out);
            fputc(ch, out);
        } else if (ch < 0x20 || ch >= 0x7f) {
            fprintf(out, "\\\\%03u", ch); /* never expected: names arrive escaped */
        } else {
            fputc(ch, out);
        }
    }
}

static void dot_name(FILE *out, const gt_name *n)
{
    char b[GT_NAME_STRLEN];
    dot_str(out, gt_name_str(n, b, sizeof(b)));
}

static bool usable(gt_outcome o)
{
    return o == GT_OUT_ANSWER || o == GT_OUT_CNAME || o == GT_OUT_REFERRAL ||
           o == GT_OUT_NXDOMAIN || o == GT_OUT_NODATA || o == GT_OUT_TRUNCATED;
}

/* Which traces the picture shows: not the resolver comparison; checks only when asked. */
static bool drawn(const ctx *c, gt_trace_id t)
{
    gt_trace_kind k = c->r->traces[t]->kind;
    return k != GT_TRACE_RESOLVER && (k != GT_TRACE_CHECK || c->cfg->dot_checks);
}

static bool name_eq0(const gt_name *a, const gt_name *b)
{
    return a->len == b->len && (a->len == 0 || gt_name_eq(a, b));
}

/* The node of (zone, name), or of (zone, address) for a server without a name; added when
 * new. @return its index, or SIZE_MAX when out of memory. */
static size_t node_for(ctx *c, const gt_name *zone, const gt_name *name, const gt_addr *addr)
{
    for (size_t i = 0; i < c->nnodes; i++) {
        dnode *n = &c->nodes[i];
        if (!gt_name_eq(&n->zone, zone) || !name_eq0(&n->name, name)) {
            continue;
        }
        if (name->len > 0 ||
            (addr != NULL && n->naddrs > 0 && gt_addr_eq(&n->addrs[0].addr, addr))) {
            return i;
        }
    }
    if (!gt_array_reserve((void **)&c->nodes, &c->capnodes, c->nnodes, sizeof(*c->nodes))) {
        c->oom = true;
        return SIZE_MAX;
    }
    dnode *n = &c->nodes[c->nnodes];
    memset(n, 0, sizeof(*n));
    n->zone = *zone;
    n->name = *name;
    return c->nnodes++;
}

static naddr *node_addr(ctx *c, size_t ni, const gt_addr *a)
{
    dnode *n = &c->nodes[ni];
    for (size_t i = 0; i < n->naddrs; i++) {
        if (gt_addr_eq(&n->addrs[i].addr, a)) {
            return &n->addrs[i];
        }
    }
    if (!gt_array_reserve((void **)&n->addrs, &n->cap, n->naddrs, sizeof(*n->addrs))) {
        c->oom = true;
        return NULL;
    }
    naddr *x = &n->addrs[n->naddrs++];
    memset(x, 0, sizeof(*x));
    x->addr = *a;
    return x;
}

static void edge(ctx *c, size_t from, size_t to, const char *label, const char *style)
{
    if (from == SIZE_MAX || to == SIZE_MAX) {
        return;
    }
    for (size_t i = 0; i < c->nedges; i++) {
        const dedge *e = &c->edges[i];
        if (e->from == from && e->to == to && strcmp(e->label, label) == 0) {
            return;
        }
    }
    if (!gt_array_reserve((void **)&c->edges, &c->capedges, c->nedges, sizeof(*c->edges))) {
        c->oom = true;
        return;
    }
    c->edges[c->nedges++] = (dedge){from, to, label, style};
}

/* Every queried server becomes (part of) a node; its address records what asking it gave. */
static void collect_queries(ctx *c)
{
    const gt_result *r = c->r;
    for (size_t i = 0; i < r->nqueries && !c->oom; i++) {
        const gt_query *q = r->queries[i];
        if (!drawn(c, q->trace)) {
            continue;
        }
        size_t ni = node_for(c, &q->zone, &q->server_name, &q->addr);
        if (ni == SIZE_MAX) {
            return;
        }
        c->qnode[i] = ni + 1;
        c->nodes[ni].hints |= q->source == GT_SRC_HINTS;
        naddr *a = node_addr(c, ni, &q->addr);
        if (a == NULL) {
            return;
        }
        a->asked = true;
        if (usable(q->outcome)) {
            a->ok = true;
        } else if (!a->ok && q->outcome != GT_OUT_PENDING) {
            a->fail = q->outcome;
        }
    }
}

static const char *glue_label(const gt_referral *ref, const gt_name *ns, bool *has_glue)
{
    *has_glue = false;
    bool sibling = false;
    for (size_t g = 0; g < ref->nglue; g++) {
        if (gt_name_eq(&ref->glue[g].name, ns)) {
            *has_glue = true;
            sibling = ref->glue[g].kind == GT_GLUE_SIBLING;
        }
    }
    return !*has_glue ? "no glue: sub-trace" : sibling ? "sibling glue" : "glue";
}

/* Referrals: every NS name of a referral is a node of the delegated zone (even one never
 * asked: a glueless name without an address, a name of the other family), and an edge from
 * the referring server says how its address was to be found. Ignored records are drawn as
 * rejected dashed edges to a note of their own. */
static void collect_referrals(ctx *c)
{
    const gt_result *r = c->r;
    for (size_t i = 0; i < r->nqueries && !c->oom; i++) {
        const gt_query *q = r->queries[i];
        if (c->qnode[i] == 0 || !q->has_referral || q->outcome != GT_OUT_REFERRAL) {
            continue;
        }
        const gt_referral *ref = &q->referral;
        size_t from = c->qnode[i] - 1;
        for (size_t k = 0; k < ref->nns; k++) {
            size_t to = node_for(c, &ref->zone, &ref->ns[k], NULL);
            if (to == SIZE_MAX) {
                return;
            }
            bool has_glue;
            const char *label = glue_label(ref, &ref->ns[k], &has_glue);
            edge(c, from, to, label,
                 !has_glue         ? "style=dotted, color=\"#7048e8\""
                 : label[0] == 's' ? "style=dashed, color=\"#e8590c\""
                                   : "color=\"#495057\"");
            for (size_t g = 0; g < ref->nglue; g++) {
                if (gt_name_eq(&ref->glue[g].name, &ref->ns[k]) &&
                    node_addr(c, to, &ref->glue[g].addr) == NULL) {
                    return;
                }
            }
        }
    }
}

/* The node a sub-trace serves: (zone of the referral that needed it, its name). */
static size_t trace_node(ctx *c, const gt_tracerec *t)
{
    const gt_result *r = c->r;
    if (t->kind != GT_TRACE_SUBTRACE || t->requested_by == 0 || t->requested_by > r->nqueries) {
        return SIZE_MAX;
    }
    const gt_query *q = r->queries[t->requested_by - 1];
    if (!q->has_referral) {
        return SIZE_MAX;
    }
    for (size_t i = 0; i < c->nnodes; i++) {
        if (gt_name_eq(&c->nodes[i].zone, &q->referral.zone) &&
            name_eq0(&c->nodes[i].name, &t->name)) {
            return i;
        }
    }
    return SIZE_MAX;
}

/* A glueless name's node "needs" the glueless names its sub-trace met in turn (a cycle of
 * glueless delegations is then a cycle in the picture), and is given its address by the
 * servers that answered the sub-trace. */
static void collect_subtraces(ctx *c)
{
    const gt_result *r = c->r;
    for (size_t t = 1; t < r->ntraces && !c->oom; t++) {
        const gt_tracerec *tr = r->traces[t];
        size_t owner = trace_node(c, tr);
        if (owner == SIZE_MAX) {
            continue;
        }
        for (size_t i = 0; i < r->nqueries; i++) {
            const gt_query *q = r->queries[i];
            if (q->trace != t || c->qnode[i] == 0) {
                continue;
            }
            if (q->outcome == GT_OUT_ANSWER) {
                edge(c, c->qnode[i] - 1, owner, "address", "color=\"#2b8a3e\", style=dashed");
            }
            if (!q->has_referral || q->outcome != GT_OUT_REFERRAL) {
                continue;
            }
            for (size_t k = 0; k < q->referral.nns; k++) {
                bool has_glue;
                glue_label(&q->referral, &q->referral.ns[k], &has_glue);
                if (has_glue) {
                    continue;
                }
                for (size_t n = 0; n < c->nnodes; n++) {
                    if (gt_name_eq(&c->nodes[n].zone, &q->referral.zone) &&
                        name_eq0(&c->nodes[n].name, &q->referral.ns[k])) {
                        edge(c, owner, n, "needs",
                             tr->status == GT_TS_CYCLE
                                 ? "color=red, fontcolor=red, penwidth=2, constraint=false"
                                 : "color=\"#7048e8\", constraint=false");
                    }
                }
            }
        }
    }
}

/* The problems of r->problems about a node: same zone, and its server the node's NS name (or,
 * for a server without a name, one of the node's addresses). */
static bool node_problem(const ctx *c, const dnode *n, const gt_problem *p)
{
    (void)c;
    if (p->server[0] == '\0' || !gt_name_eq(&p->zone, &n->zone)) {
        return false;
    }
    if (n->name.len > 0 || p->server_name.len > 0) {
        return n->name.len > 0 && p->server_name.len > 0 && gt_name_eq(&p->server_name, &n->name);
    }
    for (size_t i = 0; i < p->naddrs && n->naddrs > 0; i++) {
        if (gt_addr_eq(&p->addrs[i], &n->addrs[0].addr)) {
            return true;
        }
    }
    return false;
}

/* Whether a finding of code @p code folded into @p p (a consequence, gt_problem.then) was
 * raised on a reply of node @p n (same zone, the query's server name or address). */
static bool node_consequence(const ctx *c, const dnode *n, const gt_problem *p, gt_code code)
{
    for (size_t i = 0; i < p->nfindings; i++) {
        const gt_finding *f = &c->r->findings[p->findings[i]];
        if (f->code != code || f->query < 1 || f->query > c->r->nqueries) {
            continue;
        }
        const gt_query *q = c->r->queries[f->query - 1];
        if (!gt_name_eq(&q->zone, &n->zone)) {
            continue;
        }
        if (n->name.len > 0 ? q->server_name.len > 0 && gt_name_eq(&q->server_name, &n->name)
                            : n->naddrs > 0 && gt_addr_eq(&q->addr, &n->addrs[0].addr)) {
            return true;
        }
    }
    return false;
}

/* Whether every address of node @p i that was asked failed (a lame or unreachable server). */
static bool node_failed(const ctx *c, size_t i, size_t *asked_out, size_t *failed_out)
{
    const dnode *n = &c->nodes[i];
    size_t asked = 0, failed = 0;
    for (size_t k = 0; k < n->naddrs; k++) {
        asked += n->addrs[k].asked;
        failed += n->addrs[k].asked && !n->addrs[k].ok;
    }
    if (asked_out != NULL) {
        *asked_out = asked;
        *failed_out = failed;
    }
    return asked > 0 && failed == asked;
}

static const gt_dnssec_cut *dnssec_of(const ctx *c, const gt_name *zone);

/* The DNSSEC mark of address @p a of node @p n: what its DNSKEY reply gave
 * (gt_result.dnssec_servers), or NULL when it was not judged or nothing is drawn. */
static const char *server_mark(const ctx *c, const dnode *n, const gt_addr *a)
{
    const gt_result *r = c->r;
    if (dnssec_of(c, &n->zone) == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < r->ndnssec_servers; i++) {
        const gt_dnssec_server *s = &r->dnssec_servers[i];
        if (s->query == 0 || s->query > r->nqueries || s->state == GT_DNSSEC_OFF) {
            continue;
        }
        const gt_query *q = r->queries[s->query - 1];
        if (gt_name_eq(&q->zone, &n->zone) && name_eq0(&q->server_name, &n->name) &&
            gt_addr_eq(&q->addr, a)) {
            return s->state == GT_DNSSEC_BOGUS ? " [BOGUS]" : " [secure]";
        }
    }
    return NULL;
}

static void print_node(ctx *c, size_t i, const char *indent)
{
    const dnode *n = &c->nodes[i];
    char a[GT_ADDR_STRLEN];
    size_t asked = 0, failed = 0;
    node_failed(c, i, &asked, &failed);
    fprintf(c->out, "%ss%zu [tooltip=\"", indent, i);
    dot_name(c->out, &n->zone);
    fputc(' ', c->out);
    if (n->name.len > 0) {
        dot_name(c->out, &n->name);
    }
    fputs("\", label=\"", c->out);
    if (n->name.len > 0) {
        dot_name(c->out, &n->name);
    } else {
        fputs("(no name)", c->out);
    }
    for (size_t k = 0; k < n->naddrs && k < DOT_MAX_NODE_ADDRS; k++) {
        const naddr *x = &n->addrs[k];
        fprintf(c->out, "\\n%s", gt_addr_to_str(&x->addr, a, sizeof(a)));
        if (x->asked && !x->ok) {
            fprintf(c->out, " %s", gt_outcome_str(x->fail));
        } else if (!x->asked) {
            fputs(" (not asked)", c->out);
        }
        const char *mark = server_mark(c, n, &x->addr); /* its DNSKEY reply */
        if (mark != NULL) {
            fputs(mark, c->out);
        }
    }
    if (n->naddrs > DOT_MAX_NODE_ADDRS) {
        fprintf(c->out, "\\n... (%zu addresses)", n->naddrs);
    }
    if (n->naddrs == 0) {
        fputs("\\nno address", c->out);
    }
    bool problem = false;
    for (size_t p = 0; p < c->r->nproblems + c->r->nnotes; p++) {
        /* the notes follow the problems (gt_result.notes) */
        const gt_problem *pr = &c->r->problems[p];
        if (node_problem(c, n, pr)) {
            fprintf(c->out, "\\n! %s", gt_code_name(pr->code));
            for (size_t k = 0; k < pr->nalso; k++) {
                fprintf(c->out, " + %s", gt_code_name(pr->also[k]));
            }
            problem |= pr->severity != GT_SEV_INFO;
        }
        for (size_t k = 0; k < pr->nthen; k++) {
            /* a consequence folded under a cause elsewhere, raised on this server's replies */
            if (node_consequence(c, n, pr, pr->then[k])) {
                fprintf(c->out, "\\n! %s", gt_code_name(pr->then[k]));
                problem |= gt_code_severity(pr->then[k]) != GT_SEV_INFO;
            }
        }
    }
    fputs("\", style=filled", c->out);
    if (asked > 0 && failed == asked) {
        fputs(", fillcolor=\"#ffc9c9\", color=red, penwidth=2", c->out);
    } else if (failed > 0 || problem) {
        fputs(", fillcolor=\"#ffe8cc\", color=red", c->out);
    } else if (n->naddrs == 0 || asked == 0) {
        fputs(", fillcolor=\"#f1f3f5\", style=\"filled,dashed\"", c->out);
    } else {
        fputs(n->hints ? ", fillcolor=\"#cfe2ff\"" : ", fillcolor=\"#fff3bf\"", c->out);
    }
    fputs("];\n", c->out);
}

/* The DNSSEC judgement of @p zone to draw, NULL when there is none to show: DNSSEC off, or no
 * trust anchor (then every cut is "indeterminate: no trust anchor", as the text output keeps
 * quiet about too). */
static const gt_dnssec_cut *dnssec_of(const ctx *c, const gt_name *zone)
{
    if (!c->cfg->dnssec || c->cfg->nanchors == 0) {
        return NULL;
    }
    for (size_t i = 0; i < c->r->ndnssec; i++) {
        if (gt_name_eq(&c->r->dnssec[i].zone, zone)) {
            return &c->r->dnssec[i];
        }
    }
    return NULL;
}

/* The frame of a DNSSEC status: secure green, insecure grey, bogus red and thick,
 * indeterminate dashed (see the legend). A cluster takes its attributes as statements
 * ("a=b; c=d"), a node as a list ("a=b, c=d"); @p filled keeps a node's fill. */
static void dnssec_frame(FILE *out, gt_dnssec_state s, bool cluster, bool filled)
{
    const char *sep = cluster ? "; " : ", ";
    const char *colour = s == GT_DNSSEC_SECURE          ? "\"#2b8a3e\""
                         : s == GT_DNSSEC_BOGUS         ? "red"
                         : s == GT_DNSSEC_INDETERMINATE ? "\"#e67700\""
                                                        : "\"#868e96\"";
    fprintf(out, "color=%s%sfontcolor=%s", colour, sep,
            s == GT_DNSSEC_INSECURE || s == GT_DNSSEC_OFF ? "\"#495057\"" : colour);
    if (s == GT_DNSSEC_SECURE || s == GT_DNSSEC_BOGUS) {
        fprintf(out, "%spenwidth=%d", sep, s == GT_DNSSEC_BOGUS ? 3 : 2);
    }
    if (s == GT_DNSSEC_INDETERMINATE) {
        fprintf(out, "%sstyle=\"%s,dashed\"", sep, filled ? "filled" : "rounded");
    }
}

/* "[secure] DS 1 -> KSK 12345 alg 13" / "[BOGUS] reason" / "[insecure] reason": the
 * zone's DNSSEC line inside a DOT label. */
static void dnssec_line(FILE *out, const gt_dnssec_cut *d)
{
    fputs(d->state == GT_DNSSEC_BOGUS ? "[BOGUS]" : "[", out);
    if (d->state != GT_DNSSEC_BOGUS) {
        fprintf(out, "%s]", gt_dnssec_state_str(d->state));
    }
    if (d->nds > 0 && d->nksk > 0) {
        fprintf(out, " %s %zu ->", d->zone.len == 1 ? "anchor" : "DS", d->nds);
        for (size_t i = 0; i < d->nksk; i++) {
            fprintf(out, "%s KSK %u alg %u", i ? "," : "", d->ksk_tags[i], d->ksk_algs[i]);
        }
    }
    if (d->nservers > 0) {
        fprintf(out, " (%zu of %zu servers)", d->nsecure, d->nservers);
    }
    if (d->reason[0] != '\0') {
        fputs("\\n", out);
        dot_str(out, d->reason);
    }
}

/* One box per zone, its servers inside; problems about the zone as a whole in its label, and
 * its DNSSEC status as the box's frame and a label line. */
static void print_zones(ctx *c)
{
    bool *done = calloc(c->nnodes + 1, sizeof(bool));
    if (done == NULL) {
        c->oom = true;
        return;
    }
    size_t z = 0;
    for (size_t i = 0; i < c->nnodes; i++) {
        if (done[i]) {
            continue;
        }
        const gt_name *zone = &c->nodes[i].zone;
        fprintf(c->out, "  subgraph cluster_z%zu {\n    label=\"", z++);
        dot_name(c->out, zone);
        for (size_t p = 0; p < c->r->nproblems + c->r->nnotes; p++) {
            const gt_problem *pr = &c->r->problems[p]; /* the notes follow the problems */
            if (pr->server[0] == '\0' && pr->zone.len > 0 && gt_name_eq(&pr->zone, zone)) {
                fprintf(c->out, "\\n! %s", gt_code_name(pr->code));
            }
        }
        const gt_dnssec_cut *d = dnssec_of(c, zone);
        if (d != NULL) {
            fputs("\\n", c->out);
            dnssec_line(c->out, d);
            fputs("\";\n    style=rounded; ", c->out);
            dnssec_frame(c->out, d->state, true, false);
            fputs(";\n", c->out);
            c->marks = true;
        } else {
            fputs("\";\n    style=rounded; color=\"#868e96\";\n", c->out);
        }
        for (size_t j = i; j < c->nnodes; j++) {
            if (!done[j] && gt_name_eq(&c->nodes[j].zone, zone)) {
                done[j] = true;
                print_node(c, j, "    ");
            }
        }
        fputs("  }\n", c->out);
    }
    free(done);
}

/* Hints: a start node with an edge to each root server of the hints (or the -s server). */
static void print_start(ctx *c)
{
    fputs("  start [shape=circle, label=\"start\", style=filled, fillcolor=\"#dee2e6\"];\n",
          c->out);
    for (size_t i = 0; i < c->r->nqueries; i++) {
        const gt_query *q = c->r->queries[i];
        if (c->qnode[i] == 0 || q->parent != 0 || q->trace != 0) {
            continue;
        }
        bool dup = false; /* one edge per root server, whatever its number of addresses */
        for (size_t j = 0; j < i && !dup; j++) {
            const gt_query *p = c->r->queries[j];
            dup = c->qnode[j] == c->qnode[i] && p->parent == 0 && p->trace == 0;
        }
        if (dup) {
            continue;
        }
        fprintf(c->out, "  start -> s%zu [label=\"%s\", color=\"#1c7ed6\"];\n", c->qnode[i] - 1,
                q->source == GT_SRC_HINTS  ? "hints"
                : q->source == GT_SRC_USER ? "-s"
                                           : "start");
    }
}

/* Ignored additional records: a note per referring node, reached by a rejected dashed edge. */
static void print_ignored(ctx *c)
{
    const gt_result *r = c->r;
    char a[GT_ADDR_STRLEN], type[16];
    bool *done = calloc(c->nnodes + 1, sizeof(bool));
    if (done == NULL) {
        c->oom = true;
        return;
    }
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (c->qnode[i] == 0 || !q->has_referral || q->referral.nignored == 0 ||
            done[c->qnode[i] - 1]) {
            continue;
        }
        size_t from = c->qnode[i] - 1;
        done[from] = true;
        fprintf(c->out,
                "  ign%zu [shape=note, style=\"filled,dashed\", fillcolor=\"#ffe3e3\", "
                "color=red, label=\"ignored in the referral to ",
                from);
        dot_name(c->out, &q->referral.zone);
        fputs(":", c->out);
        for (size_t k = 0; k < q->referral.nignored; k++) {
            const gt_ignored *g = &q->referral.ignored[k];
            fputs("\\l", c->out);
            dot_name(c->out, &g->name);
            fprintf(c->out, " %s", gt_type_to_str(g->type, type, sizeof(type)));
            if (g->type == GT_TYPE_A || g->type == GT_TYPE_AAAA) {
                fprintf(c->out, " %s", gt_addr_to_str(&g->addr, a, sizeof(a)));
            }
            fputs(" (", c->out);
            dot_str(c->out, g->reason);
            fputc(')', c->out);
        }
        fputs("\\l\"];\n", c->out);
        fprintf(c->out,
                "  s%zu -> ign%zu [style=dashed, color=red, fontcolor=red, "
                "arrowhead=tee, label=\"rejected glue\"];\n",
                from, from);
    }
    free(done);
}

/* The end of an answer leaf's label and its frame: the answer's DNSSEC status, when judged. */
static void answer_dnssec(ctx *c)
{
    const gt_result *r = c->r;
    if (!c->cfg->dnssec || c->cfg->nanchors == 0 || r->answer_dnssec == GT_DNSSEC_OFF) {
        fputs("\"];\n", c->out);
        return;
    }
    fprintf(c->out, "\\nDNSSEC: %s",
            r->answer_dnssec == GT_DNSSEC_BOGUS ? "BOGUS" : gt_dnssec_state_str(r->answer_dnssec));
    if (r->answer_dnssec_reason[0] != '\0') {
        fputs("\\n", c->out);
        dot_str(c->out, r->answer_dnssec_reason);
    }
    fputs("\", ", c->out);
    dnssec_frame(c->out, r->answer_dnssec, false, true);
    fputs("];\n", c->out);
    c->marks = true;
}

/* The legend of the DNSSEC frames, when one was drawn. */
static void print_legend(ctx *c)
{
    if (!c->marks) {
        return;
    }
    fputs(
        "  // DNSSEC status of each zone cut (its box) and of the answer (its leaf): green frame\n"
        "  // secure, grey insecure, thick red bogus (with the reason), dashed orange\n"
        "  // indeterminate.\n"
        "  dnssec_legend [shape=plaintext, fontsize=9, label=\"DNSSEC frames:\\lgreen [secure]: "
        "chain of trust verified\\lgrey [insecure]: proven unsigned\\lthick red [BOGUS]: "
        "does not validate\\ldashed orange [indeterminate]: cannot be judged\\lan address marked "
        "[secure] / [BOGUS]: its DNSKEY reply\\l\"];\n",
        c->out);
}

/* An answer leaf's fill: green, unless the answer's DNSSEC status says otherwise (a BOGUS
 * answer is not drawn as a good one). */
static const char *leaf_fill(const ctx *c)
{
    if (!c->cfg->dnssec || c->cfg->nanchors == 0) {
        return "#b2f2bb";
    }
    switch (c->r->answer_dnssec) {
    case GT_DNSSEC_BOGUS:
        return "#ffc9c9";
    case GT_DNSSEC_INDETERMINATE:
        return "#fff3bf";
    case GT_DNSSEC_INSECURE:
        return "#e9ecef";
    default:
        return "#b2f2bb";
    }
}

/* The distinct answers as leaves, an edge from each node that gave one. */
static void print_answers(ctx *c)
{
    const gt_result *r = c->r;
    char type[16], data[512];
    for (size_t i = 0; i < r->nanswers; i++) {
        const gt_answer *an = &r->answers[i];
        const gt_msg *m = NULL;
        if (an->first_query >= 1 && an->first_query <= r->nqueries) {
            m = r->queries[an->first_query - 1]->reply;
        }
        fprintf(c->out, "  a%zu [shape=note, style=filled, fillcolor=\"%s\", label=\"%s", i,
                leaf_fill(c), gt_outcome_str(an->outcome));
        size_t n = m ? an->nrrs : 0;
        for (size_t k = 0; k < n && k < DOT_MAX_LEAF_RRS; k++) {
            if (an->rrs[k] >= m->count[GT_SEC_ANSWER]) {
                continue;
            }
            const gt_rr *rr = &m->rrs[GT_SEC_ANSWER][an->rrs[k]];
            if (gt_rdata_to_str(rr->type, rr->rdata, rr->rdlen, data, sizeof(data)) == 0) {
                snprintf(data, sizeof(data), "(%u bytes)", (unsigned)rr->rdlen);
            }
            fputs("\\l", c->out);
            dot_str(c->out, gt_type_to_str(rr->type, type, sizeof(type)));
            fputc(' ', c->out);
            dot_str(c->out, data);
        }
        if (n > DOT_MAX_LEAF_RRS) {
            fprintf(c->out, "\\l... (%zu records)", n);
        }
        fprintf(c->out, "\\l\\nfrom %zu %s", an->nqueries,
                an->nqueries == 1 ? "server" : "servers");
        answer_dnssec(c);
        size_t *seen = calloc(c->nnodes + 1, sizeof(size_t));
        for (size_t j = 0; seen != NULL && j < an->nqueries; j++) {
            size_t qid = an->queries[j];
            if (qid == 0 || qid > r->nqueries || c->qnode[qid - 1] == 0 ||
                seen[c->qnode[qid - 1]]) {
                continue;
            }
            seen[c->qnode[qid - 1]] = 1;
            fprintf(c->out, "  s%zu -> a%zu [color=\"#2b8a3e\"];\n", c->qnode[qid - 1] - 1, i);
        }
        free(seen);
    }
    if (r->nanswers == 0) {
        fprintf(c->out,
                "  noanswer [shape=octagon, style=filled, fillcolor=\"#ffc9c9\", "
                "color=red, label=\"no answer (%s)\"];\n",
                r->ntraces > 0 ? gt_trace_status_str(r->traces[0]->status) : "no trace");
    }
}

/* --dot-checks: the delegation checks of a zone as one note, from its first server. */
static void print_checks(ctx *c)
{
    const gt_result *r = c->r;
    char b[GT_NAME_STRLEN], type[16];
    for (size_t t = 1; t < r->ntraces && c->cfg->dot_checks; t++) {
        const gt_tracerec *tr = r->traces[t];
        if (tr->kind != GT_TRACE_CHECK) {
            continue;
        }
        size_t from = SIZE_MAX;
        for (size_t i = 0; i < r->nqueries && from == SIZE_MAX; i++) {
            if (r->queries[i]->trace == t && c->qnode[i] != 0) {
                from = c->qnode[i] - 1;
            }
        }
        fprintf(c->out, "  check%zu [shape=note, fontsize=9, label=\"check: ", t);
        dot_str(c->out, gt_name_str(&tr->name, b, sizeof(b)));
        fprintf(c->out, " %s -> %s\"];\n", gt_type_to_str(tr->qtype, type, sizeof(type)),
                gt_trace_status_str(tr->status));
        if (from != SIZE_MAX) {
            fprintf(c->out, "  s%zu -> check%zu [style=dotted, arrowhead=none];\n", from, t);
        }
    }
}

gt_status gt_render_dot(FILE *out, const gt_result *r, const gt_config *cfg)
{
    ctx c = {.out = out, .r = r, .cfg = cfg};
    char b[GT_NAME_STRLEN], type[16];
    c.qnode = calloc(r->nqueries + 1, sizeof(size_t));
    if (c.qnode == NULL) {
        return GT_ENOMEM;
    }
    collect_queries(&c);
    collect_referrals(&c);
    collect_subtraces(&c);
    gt_status st = GT_ENOMEM;
    if (c.oom) {
        goto done;
    }
    fputs("digraph gluetrace {\n  graph [rankdir=LR, fontname=\"Helvetica\", labelloc=t, "
          "nodesep=0.15, ranksep=0.6, label=\"",
          out);
    dot_str(out, gt_name_str(&r->qname, b, sizeof(b)));
    fprintf(out, " %s: the delegation as traced\"];\n",
            gt_type_to_str(r->qtype, type, sizeof(type)));
    fputs("  node [fontname=\"Helvetica\", fontsize=10, shape=box, style=rounded];\n"
          "  edge [fontname=\"Helvetica\", fontsize=9];\n",
          out);
    print_start(&c);
    print_zones(&c);
    for (size_t i = 0; i < c.nedges; i++) {
        const dedge *e = &c.edges[i];
        /* the delegation to a server that failed every time is a problem edge */
        fprintf(out, "  s%zu -> s%zu [label=\"%s\", %s%s];\n", e->from, e->to, e->label, e->style,
                strcmp(e->label, "needs") != 0 && node_failed(&c, e->to, NULL, NULL)
                    ? ", color=red, fontcolor=red"
                    : "");
    }
    print_ignored(&c);
    print_answers(&c);
    print_checks(&c);
    print_legend(&c);
    fputs("}\n", out);
    st = c.oom ? GT_ENOMEM : ferror(out) ? GT_EIO : GT_OK;
done:
    for (size_t i = 0; i < c.nnodes; i++) {
        free(c.nodes[i].addrs);
    }
    free(c.nodes);
    free(c.edges);
    free(c.qnode);
    return st;
}
