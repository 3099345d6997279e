/* Private to the text renderer (render_text.c, text_line.c, text_sections.c): a logical line
 * with its colour spans, wrapped to the terminal's width by txt_emit(), and the context every
 * part of the text output shares. Not part of the API. */
#ifndef GT_OUTPUT_TEXT_PRIV_H
#define GT_OUTPUT_TEXT_PRIV_H

#include "gluetrace/base/buf.h"
#include "gluetrace/output/render.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

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

typedef struct ctx {
    FILE *out;
    const gt_result *r;
    const gt_config *cfg;
    bool color;
    size_t width;          /* columns to wrap at; 0: no limit */
    bool *printed_trace;   /* each trace printed once, where first needed */
    size_t *rep;           /* per query: the query it is folded into (same referral), or 0 */
    size_t *nfolded;       /* per query: how many queries are folded into it */
    bool *drawn;           /* per query: its line is on the screen (a drawn referral's zone
                              is not drawn again by a later sub-trace) */
    bool *marked;          /* per DNSSEC cut (gt_result.dnssec): its mark is printed */
    bool via_shown;        /* the trace line being built says its path ("via ... as above") */
    char *last_via;        /* the path the last collapsed sub-trace line gave, or NULL (owned) */
    size_t last_via_depth; /* the tree depth (prefix length) of that line */
    char prefix[TREE_MAX_DEPTH * 4 + 1];
    size_t plen;
    size_t cur_trace; /* trace of the line above: a query of another trace names its question */
    gt_status err;    /* GT_ENOMEM once a line could not be built */
} ctx;

void txt_l_init(tline *l);
/* Close the open colour span of @p l, if any. */
void txt_l_off(tline *l);
/* Open a colour span (SGR parameters @p sgr) at the end of @p l's text. */
void txt_l_on(tline *l, const char *sgr);

/* Start and end a colour directly on the output (when colour is on). */
void txt_on(ctx *c, const char *sgr);
void txt_off(ctx *c);

/*
 * Write line @p l wrapped to the width: the first row after @p first, the others after
 * @p cont, breaking at spaces (inside a word only when it is longer than a row). Frees @p l.
 */
void txt_emit(ctx *c, tline *l, const char *first, const char *cont);

/* The colour of a severity. */
const char *txt_sev_color(gt_severity s);

/* Query @p id (1-based) of the result; borrowed. */
static inline const gt_query *Q(const ctx *c, size_t id)
{
    return c->r->queries[id - 1];
}

/* text_sections.c: the problems of the verdict, the answers and the findings. */

/* The word for an answer's outcome: "ANSWER", "CNAME", "NXDOMAIN" (or "YXDOMAIN" when the
 * reply @p m has that rcode) or "NODATA". */
const char *txt_answer_word(gt_outcome o, const gt_msg *m);
/* One problem: its code, zone, server and addresses; its messages; its fix. */
void txt_print_problem(ctx *c, const gt_problem *p);
/* The answer chain, link by link, with what servers without AA said. */
void txt_print_answers(ctx *c);
/* -v: every finding as raised, one per server address and reply. */
void txt_print_findings(ctx *c);

#endif
