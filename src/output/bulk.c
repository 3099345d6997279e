/* Bulk text (-f without -v): one line per name, then a summary by status and finding code. */
#include "gluetrace/output/render.h"

#include "gluetrace/base/array.h"
#include "gluetrace/base/buf.h"
#include "gluetrace/wire/rdata.h"

#include <stdlib.h>
#include <string.h>

/** Answer records shown on a name's line before "...". */
#define BULK_MAX_RRS 2

/** Trace statuses counted in the summary (gt_trace_status values). */
#define BULK_NSTATUS (GT_TS_INTERRUPTED + 1)

struct gt_bulk_report {
    bool dnssec;                   /**< lines say the answer's DNSSEC status */
    size_t names;                  /**< lines written */
    size_t failed;                 /**< names without a result (gt_bulk_report_failed()) */
    size_t status[BULK_NSTATUS];   /**< names per main-trace status */
    size_t problems[GT_F_COUNT];   /**< problems (or notes, for an info code) per code, over
                                        every name */
    size_t names_with[GT_F_COUNT]; /**< names with at least one problem (note) of the code */
    size_t nproblems;              /**< problems over every name (notes not counted) */
    size_t names_problems;         /**< names with at least one problem */
};

gt_bulk_report *gt_bulk_report_create(bool dnssec)
{
    gt_bulk_report *b = calloc(1, sizeof(gt_bulk_report));
    if (b != NULL) {
        b->dnssec = dnssec;
    }
    return b;
}

void gt_bulk_report_free(gt_bulk_report *b)
{
    free(b);
}

/*
 * "A 192.0.2.1, A 192.0.2.11" or "NXDOMAIN": the answer at the end of the alias chain (its
 * first alternative), briefly; "(+N other answers)" only where servers disagree.
 */
static void answer_brief(gt_buf *b, const gt_result *r)
{
    size_t first_last = 0, alternatives = 1;
    for (size_t i = 0; i < r->nanswers; i++) {
        if (r->answers[i].link > r->answers[first_last].link) {
            first_last = i;
        }
        alternatives =
            r->answers[i].nalternatives > alternatives ? r->answers[i].nalternatives : alternatives;
    }
    const gt_answer *an = &r->answers[first_last];
    const gt_msg *m = NULL;
    if (an->first_query >= 1 && an->first_query <= r->nqueries) {
        m = r->queries[an->first_query - 1]->reply;
    }
    if (an->outcome == GT_OUT_NXDOMAIN || an->outcome == GT_OUT_NODATA) {
        gt_buf_printf(b, " %s", an->outcome == GT_OUT_NXDOMAIN ? gt_nx_word(m) : "NODATA");
        return;
    }
    gt_answer_rrs_print(b, m, an, BULK_MAX_RRS);
    if (alternatives > 1) {
        gt_buf_printf(b, " (+%zu other answers)", alternatives - 1);
    }
}

gt_status gt_bulk_report_add(gt_bulk_report *b, FILE *out, const gt_result *r)
{
    char n[GT_NAME_STRLEN], type[16];
    gt_buf line;
    gt_buf_init_grow(&line);
    gt_trace_status s = r->ntraces > 0 ? r->traces[0]->status : GT_TS_FAILED;
    gt_buf_printf(&line, "%s %s: %s", gt_name_str(&r->qname, n, sizeof(n)),
                  gt_type_to_str(r->qtype, type, sizeof(type)), gt_trace_status_str(s));
    if (r->nanswers > 0 && s == GT_TS_ANSWER) {
        answer_brief(&line, r);
    }
    if (b->dnssec && r->answer_dnssec != GT_DNSSEC_OFF) {
        gt_buf_printf(&line, "; DNSSEC %s", gt_dnssec_state_str(r->answer_dnssec));
    }
    if (r->nproblems > 0) {
        const gt_problem *p = &r->problems[0];
        gt_buf_printf(&line, "; %zu %s, worst %s %s", r->nproblems,
                      r->nproblems == 1 ? "problem" : "problems", gt_severity_str(p->severity),
                      gt_code_name(p->code));
        if (p->zone.len > 0) {
            gt_buf_printf(&line, " in %s", gt_name_str(&p->zone, n, sizeof(n)));
        }
        if (p->server[0] != '\0') {
            gt_buf_printf(&line, " (%s)", p->server);
        }
    }
    if (r->nnotes > 0) {
        gt_buf_printf(&line, "; %zu %s", r->nnotes, r->nnotes == 1 ? "note" : "notes");
    }
    gt_buf_printf(&line, "; %.0f ms\n", r->elapsed_ms);
    gt_status st = line.err;
    if (st == GT_OK && fputs(gt_buf_str(&line), out) == EOF) {
        st = GT_EIO;
    }
    gt_buf_free(&line);
    b->names++;
    if ((unsigned)s < BULK_NSTATUS) {
        b->status[s]++;
    }
    bool seen[GT_F_COUNT] = {false};
    b->nproblems += r->nproblems;
    b->names_problems += r->nproblems > 0;
    for (size_t i = 0; i < r->nproblems + r->nnotes; i++) {
        gt_code c = r->problems[i].code; /* the notes follow the problems */
        if ((unsigned)c < GT_F_COUNT) {
            b->problems[c]++;
            b->names_with[c] += !seen[c];
            seen[c] = true;
        }
    }
    return st;
}

void gt_bulk_report_failed(gt_bulk_report *b)
{
    b->failed++;
}

gt_status gt_bulk_report_summary(const gt_bulk_report *b, FILE *out)
{
    gt_buf s;
    gt_buf_init_grow(&s);
    gt_buf_printf(&s, "\n;; %zu %s:", b->names + b->failed,
                  b->names + b->failed == 1 ? "name" : "names");
    bool any = false;
    for (int i = 0; i < BULK_NSTATUS; i++) {
        if (b->status[i] > 0) {
            gt_buf_printf(&s, "%s %zu %s", any ? "," : "", b->status[i],
                          gt_trace_status_str((gt_trace_status)i));
            any = true;
        }
    }
    if (b->failed > 0) {
        gt_buf_printf(&s, "%s %zu not traced (internal error)", any ? "," : "", b->failed);
    }
    gt_buf_puts(&s, "\n");
    if (b->nproblems > 0) {
        gt_buf_printf(&s, ";; %zu %s in %zu %s\n", b->nproblems,
                      b->nproblems == 1 ? "problem" : "problems", b->names_problems,
                      b->names_problems == 1 ? "name" : "names");
    }
    any = false;
    for (int sev = GT_SEV_ERROR; sev >= GT_SEV_INFO; sev--) {
        for (int c = 0; c < GT_F_COUNT; c++) {
            if (b->problems[c] == 0 || (int)gt_code_severity((gt_code)c) != sev) {
                continue;
            }
            bool note = sev == GT_SEV_INFO;
            gt_buf_printf(&s, ";; %-7s %s: %zu %s in %zu %s\n",
                          note ? "note" : gt_severity_str((gt_severity)sev),
                          gt_code_name((gt_code)c), b->problems[c],
                          note ? (b->problems[c] == 1 ? "note" : "notes")
                               : (b->problems[c] == 1 ? "problem" : "problems"),
                          b->names_with[c], b->names_with[c] == 1 ? "name" : "names");
            any = true;
        }
    }
    if (!any) {
        gt_buf_puts(&s, ";; no problems found\n");
    }
    gt_status st = s.err;
    if (st == GT_OK && fputs(gt_buf_str(&s), out) == EOF) {
        st = GT_EIO;
    }
    gt_buf_free(&s);
    return st;
}
