/* Graphviz output. One node per server of a zone cut in a trace (name and address, shaped and
 * filled by address provenance), one edge per referral step, a cluster per sub-trace or CNAME
 * trace, the distinct final answers as leaves, failures in red. Every name is in presentation
 * format (non-printable bytes as \DDD) and every label is written through dot_str(), which
 * escapes what DOT's quoted strings treat specially. */
#include "gluetrace/output/render.h"

#include "gluetrace/base/array.h"

#include <stdlib.h>
#include <string.h>

/** Answer records shown in an answer leaf before "...". */
#define DOT_MAX_LEAF_RRS 6

typedef struct ctx {
    FILE *out;
    const gt_result *r;
    size_t *node;  /* per query: the query whose node it is drawn in */
    size_t *edges; /* pairs (from, to) of node ids already drawn */
    size_t nedges;
    size_t capedges; /* capacity of edges in size_t elements (two per edge) */
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

static bool failed(gt_outcome o)
{
    switch (o) {
    case GT_OUT_ANSWER:
    case GT_OUT_CNAME:
    case GT_OUT_REFERRAL:
    case GT_OUT_NXDOMAIN:
    case GT_OUT_NODATA:
    case GT_OUT_TRUNCATED:
        return false;
    default:
        return true;
    }
}

static bool final(gt_outcome o)
{
    return o == GT_OUT_ANSWER || o == GT_OUT_CNAME || o == GT_OUT_NXDOMAIN || o == GT_OUT_NODATA;
}

static const char *prov_style(const gt_query *q)
{
    switch (q->source) {
    case GT_SRC_HINTS:
        return "shape=box, fillcolor=\"#cfe2ff\"";
    case GT_SRC_USER:
        return "shape=diamond, fillcolor=\"#d3f9d8\"";
    case GT_SRC_SUBTRACE:
        return "shape=hexagon, fillcolor=\"#e5dbff\"";
    case GT_SRC_GLUE:
    default:
        return q->glue_kind == GT_GLUE_SIBLING ? "shape=ellipse, fillcolor=\"#ffd8a8\""
                                               : "shape=ellipse, fillcolor=\"#fff3bf\"";
    }
}

/* Queries to the same address for the same zone cut in the same trace share one node. */
static void assign_nodes(ctx *c)
{
    const gt_result *r = c->r;
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        c->node[i] = q->id;
        for (size_t j = 0; j < i; j++) {
            const gt_query *p = r->queries[j];
            if (c->node[j] == p->id && p->trace == q->trace && gt_addr_eq(&p->addr, &q->addr) &&
                gt_name_eq(&p->zone, &q->zone)) {
                c->node[i] = p->id;
                break;
            }
        }
    }
}

static void node_line(ctx *c, const gt_query *q, const char *indent)
{
    const gt_result *r = c->r;
    char a[GT_ADDR_STRLEN];
    /* The node fails when every query drawn in it failed. */
    bool all_failed = true;
    const gt_query *bad = NULL;
    for (size_t i = q->id - 1; i < r->nqueries; i++) {
        if (c->node[i] == q->id) {
            bool f = failed(r->queries[i]->outcome);
            all_failed = all_failed && f;
            if (f && bad == NULL) {
                bad = r->queries[i];
            }
        }
    }
    fprintf(c->out, "%sq%zu [label=\"", indent, q->id);
    if (q->server_name.len) {
        dot_name(c->out, &q->server_name);
        fputs("\\n", c->out);
    }
    dot_str(c->out, gt_addr_to_str(&q->addr, a, sizeof(a)));
    fputs("\\nzone ", c->out);
    dot_name(c->out, &q->zone);
    if (bad != NULL) {
        fprintf(c->out, "\\n%s", gt_outcome_str(bad->outcome));
    }
    fprintf(c->out, "\", style=filled, %s", prov_style(q));
    if (all_failed) {
        fputs(", color=red, fontcolor=red, penwidth=2", c->out);
    } else if (bad != NULL) {
        fputs(", color=red", c->out);
    }
    fputs("];\n", c->out);
}

/* @return false when the edge was drawn already (or memory is short). */
static bool new_edge(ctx *c, size_t from, size_t to)
{
    for (size_t i = 0; i < c->nedges; i++) {
        if (c->edges[2 * i] == from && c->edges[2 * i + 1] == to) {
            return false;
        }
    }
    if (!gt_array_reserve((void **)&c->edges, &c->capedges, 2 * c->nedges + 1, sizeof(size_t))) {
        return false;
    }
    c->edges[2 * c->nedges] = from;
    c->edges[2 * c->nedges + 1] = to;
    c->nedges++;
    return true;
}

static void trace_label(ctx *c, const gt_tracerec *t)
{
    char type[16], a[GT_ADDR_STRLEN];
    fprintf(c->out, "%s #%zu: ", gt_trace_kind_str(t->kind), t->id);
    dot_name(c->out, &t->name);
    fprintf(c->out, " %s -> %s", gt_type_to_str(t->qtype, type, sizeof(type)),
            gt_trace_status_str(t->status));
    for (size_t i = 0; i < t->naddrs; i++) {
        fprintf(c->out, "%s%s", i ? ", " : " ", gt_addr_to_str(&t->addrs[i], a, sizeof(a)));
    }
}

/* Nodes of trace @p t, and for a sub-trace its result leaf. */
static void trace_nodes(ctx *c, size_t t, const char *indent)
{
    const gt_result *r = c->r;
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (q->trace == t && c->node[i] == q->id) {
            node_line(c, q, indent);
        }
    }
    if (t != 0 && r->traces[t]->kind == GT_TRACE_SUBTRACE) {
        const gt_tracerec *tr = r->traces[t];
        bool good = tr->status == GT_TS_ANSWER;
        fprintf(c->out, "%st%zu_result [shape=note, style=filled, fillcolor=\"%s\", label=\"",
                indent, t, good ? "#d3f9d8" : "#ffc9c9");
        trace_label(c, tr);
        fputs("\"];\n", c->out);
    }
}

static void answer_leaves(ctx *c)
{
    const gt_result *r = c->r;
    char line[8192 + 2 * GT_NAME_STRLEN];
    for (size_t i = 0; i < r->nanswers; i++) {
        const gt_answer *an = &r->answers[i];
        fprintf(c->out, "  a%zu [shape=note, style=filled, fillcolor=\"#b2f2bb\", label=\"%s",
                i + 1, gt_outcome_str(an->outcome));
        const gt_msg *m = NULL;
        if (an->first_query >= 1 && an->first_query <= r->nqueries) {
            m = r->queries[an->first_query - 1]->reply;
        }
        size_t n = m ? m->count[GT_SEC_ANSWER] : 0;
        for (size_t k = 0; k < n && k < DOT_MAX_LEAF_RRS; k++) {
            gt_rr_to_str(&m->rrs[GT_SEC_ANSWER][k], line, sizeof(line));
            fputs("\\l", c->out);
            dot_str(c->out, line);
        }
        if (n > DOT_MAX_LEAF_RRS) {
            fprintf(c->out, "\\l... (%zu records)", n);
        }
        fprintf(c->out, "\\l\\nfrom %zu %s\"];\n", an->nqueries,
                an->nqueries == 1 ? "server" : "servers");
        for (size_t j = 0; j < an->nqueries; j++) {
            size_t qid = an->queries[j];
            if (qid >= 1 && qid <= r->nqueries && new_edge(c, c->node[qid - 1], SIZE_MAX - i)) {
                fprintf(c->out, "  q%zu -> a%zu [color=\"#2b8a3e\"];\n", c->node[qid - 1], i + 1);
            }
        }
    }
    if (r->nanswers == 0) {
        fputs("  noanswer [shape=octagon, style=filled, fillcolor=\"#ffc9c9\", color=red, "
              "fontcolor=red, label=\"no authoritative answer\"];\n",
              c->out);
    }
}

static void edges(ctx *c)
{
    const gt_result *r = c->r;
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (q->parent == 0 || q->parent > r->nqueries) {
            continue;
        }
        size_t from = c->node[q->parent - 1], to = c->node[i];
        if (from == to || !new_edge(c, from, to)) {
            continue;
        }
        fprintf(c->out, "  q%zu -> q%zu", from, to);
        if (q->source == GT_SRC_SUBTRACE) {
            fprintf(c->out, " [style=dotted, color=\"#7048e8\", label=\"via sub-trace #%zu\"]",
                    q->subtrace);
        } else if (q->source == GT_SRC_GLUE && q->glue_kind == GT_GLUE_SIBLING) {
            fputs(" [style=dashed, color=\"#e8590c\", label=\"sibling glue\"]", c->out);
        }
        if (failed(q->outcome)) {
            fputs(" [color=red]", c->out);
        }
        fputs(";\n", c->out);
    }
    /* The referral (or CNAME answer) that needed a trace points at the trace's cluster. */
    for (size_t t = 1; t < r->ntraces; t++) {
        const gt_tracerec *tr = r->traces[t];
        size_t first = 0;
        for (size_t i = 0; i < r->nqueries && first == 0; i++) {
            if (r->queries[i]->trace == t) {
                first = c->node[i];
            }
        }
        if (tr->requested_by == 0 || tr->requested_by > r->nqueries || first == 0) {
            continue;
        }
        char type[16];
        fprintf(c->out,
                "  q%zu -> q%zu [lhead=cluster_t%zu, style=dashed, color=\"#7048e8\", "
                "label=\"%s ",
                c->node[tr->requested_by - 1], first, t,
                tr->kind == GT_TRACE_CNAME ? "CNAME target" : "needs");
        dot_name(c->out, &tr->name);
        fprintf(c->out, " %s\"];\n", gt_type_to_str(tr->qtype, type, sizeof(type)));
    }
    /* Sub-trace queries that ended the trace point at its result leaf. */
    for (size_t i = 0; i < r->nqueries; i++) {
        const gt_query *q = r->queries[i];
        if (q->trace != 0 && r->traces[q->trace]->kind == GT_TRACE_SUBTRACE && final(q->outcome) &&
            new_edge(c, c->node[i], SIZE_MAX / 2 + q->trace)) {
            fprintf(c->out, "  q%zu -> t%zu_result [color=\"#2b8a3e\"];\n", c->node[i], q->trace);
        }
    }
}

static void legend(ctx *c)
{
    fputs("  subgraph cluster_legend {\n"
          "    label=\"legend\"; style=rounded; color=gray; fontsize=10;\n"
          "    node [fontsize=9, style=filled];\n"
          "    legend_hints [shape=box, fillcolor=\"#cfe2ff\", label=\"root hints\"];\n"
          "    legend_glue [shape=ellipse, fillcolor=\"#fff3bf\", label=\"in-domain glue\"];\n"
          "    legend_sibling [shape=ellipse, fillcolor=\"#ffd8a8\", label=\"sibling glue\"];\n"
          "    legend_sub [shape=hexagon, fillcolor=\"#e5dbff\", label=\"address from a "
          "sub-trace\"];\n"
          "    legend_fail [shape=ellipse, fillcolor=white, color=red, fontcolor=red, penwidth=2, "
          "label=\"no usable reply\"];\n"
          "    legend_hints -> legend_glue -> legend_sibling -> legend_sub -> legend_fail "
          "[style=invis];\n"
          "  }\n",
          c->out);
}

gt_status gt_render_dot(FILE *out, const gt_result *r, const gt_config *cfg)
{
    (void)cfg;
    ctx c = {.out = out, .r = r};
    c.node = calloc(r->nqueries + 1, sizeof(size_t));
    if (c.node == NULL) {
        return GT_ENOMEM;
    }
    assign_nodes(&c);
    char type[16];
    fputs("digraph gluetrace {\n  graph [rankdir=LR, compound=true, fontname=\"Helvetica\", "
          "labelloc=t, label=\"gluetrace: ",
          out);
    dot_name(out, &r->qname);
    fprintf(out, " %s\"];\n", gt_type_to_str(r->qtype, type, sizeof(type)));
    fputs("  node [fontname=\"Helvetica\", fontsize=10];\n"
          "  edge [fontname=\"Helvetica\", fontsize=9];\n",
          out);
    trace_nodes(&c, 0, "  ");
    for (size_t t = 1; t < r->ntraces; t++) {
        fprintf(out,
                "  subgraph cluster_t%zu {\n    style=\"rounded,dashed\"; color=\"#7048e8\"; "
                "label=\"",
                t);
        trace_label(&c, r->traces[t]);
        fputs("\";\n", out);
        trace_nodes(&c, t, "    ");
        fputs("  }\n", out);
    }
    answer_leaves(&c);
    edges(&c);
    legend(&c);
    fputs("}\n", out);
    free(c.node);
    free(c.edges);
    return ferror(out) ? GT_EIO : GT_OK;
}
