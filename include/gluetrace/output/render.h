/**
 * @file render.h
 * @brief Printing a trace result: text tree, JSON, JSON Lines, Graphviz DOT, dig layout, dig
 *        +short layout; and the live progress line shown on a terminal while a trace runs.
 */
#ifndef GLUETRACE_RENDER_H
#define GLUETRACE_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "gluetrace/model/config.h"
#include "gluetrace/base/status.h"
#include "gluetrace/engine/trace.h"

/**
 * The readable text: first a verdict (the answer, how many of the addresses asked gave it,
 * and each problem of r->problems once, with its addresses, messages and one-line fix; a clean
 * run says so in one line); then the tree, one line per query drawn by delegation, each with
 * its server and outcome (provenance only where the tree does not imply it; a referral shows
 * its NS set with TTL and its glue; non-answers their rcode, AA and RA; the codes of findings
 * about the reply), sub-traces nested under the referral that needed them, servers that gave
 * the same referral as a sibling folded into one short line (listed with -v); then the
 * overview of distinct answers, with -v every raw finding, and a summary line. Lines are
 * wrapped to gt_text_width() with indented continuations that keep the tree's rails. With
 * cfg->quiet only the verdict and the answers. Coloured when gt_color_wanted(cfg->color, out).
 */
gt_status gt_render_text(FILE *out, const gt_result *r, const gt_config *cfg);

/** One JSON object as documented in docs/json.md. */
gt_status gt_render_json(FILE *out, const gt_result *r, const gt_config *cfg);

/**
 * JSON Lines: gt_render_jsonl_query() is a gt_trace_hooks.on_query callback (arg: the
 * const gt_config *) writing one object per completed query to stdout as it happens;
 * gt_render_jsonl_end() writes the closing summary object (answers, findings, stats).
 */
void gt_render_jsonl_query(void *arg, const gt_result *r, const gt_query *q);
gt_status gt_render_jsonl_end(FILE *out, const gt_result *r, const gt_config *cfg);

/**
 * Graphviz DOT of the delegation: one node per (zone, server name) with its addresses, a
 * cluster per zone, referral edges labelled by how the next address was found, problems on the
 * nodes and edges they concern, ignored glue as a rejected dashed edge, the glueless names a
 * sub-trace needed as "needs" edges (a glueless cycle is a cycle), the answers as leaves;
 * delegation checks only with cfg->dot_checks.
 */
gt_status gt_render_dot(FILE *out, const gt_result *r, const gt_config *cfg);

/** A layout that lines up with dig +trace, plus one provenance comment per step. */
gt_status gt_render_dig(FILE *out, const gt_result *r, const gt_config *cfg);

/**
 * dig +short layout (--short, -o short): the RDATA of every record in the ANSWER sections of
 * the final answer (CNAME targets, then the records they lead to; a record printed once even
 * when several steps of a CNAME chain carried it), one per line on @p out. When the main trace
 * reached no answer (NXDOMAIN, NODATA, failure) or the result has an error or warning finding,
 * one verdict line "gluetrace: NAME TYPE: STATUS; N errors: CODE ...; ..." on @p err; nothing
 * on @p err otherwise.
 */
gt_status gt_render_short_to(FILE *out, FILE *err, const gt_result *r, const gt_config *cfg);

/** gt_render_short_to() with the verdict line on stderr. */
gt_status gt_render_short(FILE *out, const gt_result *r, const gt_config *cfg);

/**
 * Render @p r in @p format with the renderer for it (text, JSON, the closing JSON Lines
 * object, DOT, dig); the one place that maps a format to its renderer.
 * @param[in] format the output format (unknown values render as text)
 * @param[in] out where to write
 * @return the renderer's status (GT_EIO when writing failed)
 */
gt_status gt_render(gt_format format, FILE *out, const gt_result *r, const gt_config *cfg);

/**
 * Set @p hooks for the live part of the output format of @p cfg: for JSON Lines
 * gt_render_jsonl_query() with @p cfg as its argument (borrowed: @p cfg must outlive the
 * trace); no callback for the other formats.
 * @param[out] hooks overwritten
 */
void gt_render_hooks(const gt_config *cfg, gt_trace_hooks *hooks);

/**
 * Whether to colour output written to @p out: GT_COLOR_ALWAYS yes, GT_COLOR_NEVER no,
 * GT_COLOR_AUTO when the environment variable NO_COLOR is unset or empty and @p out is a
 * terminal.
 */
bool gt_color_wanted(gt_color when, FILE *out);

/**
 * The width text output is wrapped to: a terminal's own width (COLUMNS, then 80, when it
 * cannot be read); otherwise COLUMNS, at most 100 unless @p verbose, and 100 without COLUMNS
 * (no limit with @p verbose).
 * @param[in] out where the text goes
 * @return columns, or 0 for no limit
 */
size_t gt_text_width(FILE *out, bool verbose);

/** Bulk text report (bulk.c): one line per name, then a summary; opaque. */
typedef struct gt_bulk_report gt_bulk_report;

/**
 * @param[in] dnssec each line says the answer's DNSSEC status (DNSSEC on, with a trust anchor)
 * @return a new, empty report (free with gt_bulk_report_free()), or NULL when memory is short
 */
gt_bulk_report *gt_bulk_report_create(bool dnssec);

/**
 * Write one line for a diagnosed result (name, type, status, the answer, its DNSSEC status
 * when the report was created for it, the number of problems and the worst of them, the
 * name's own elapsed time) and count it for the summary.
 * @return GT_OK, GT_EIO when writing failed, GT_ENOMEM
 */
gt_status gt_bulk_report_add(gt_bulk_report *b, FILE *out, const gt_result *r);

/** Count a name whose trace produced no result (its error is reported elsewhere). */
void gt_bulk_report_failed(gt_bulk_report *b);

/**
 * Write the summary: names by status, then problems by code (how many, in how many names),
 * worst severity first.
 * @return GT_OK, GT_EIO when writing failed, GT_ENOMEM
 */
gt_status gt_bulk_report_summary(const gt_bulk_report *b, FILE *out);

/** NULL accepted. */
void gt_bulk_report_free(gt_bulk_report *b);

/** Live progress display (progress.c); opaque. */
typedef struct gt_progress gt_progress;

/**
 * Start a progress line on @p tty if it is a terminal: queries done and in flight, what they
 * wait on ("13 IPv6 root addresses"), elapsed time; redrawn by a timer at least 4 times a
 * second and as queries are sent and complete, erased by gt_progress_end(). Wraps @p hooks
 * (on_query and on_send): the previous callbacks (if any) are still called. Works for single
 * runs and for gt_trace_bulk() (then it also says how many names are waiting).
 * @return the display (end it with gt_progress_end()), or NULL when @p tty is not a terminal
 *         or memory is short; @p hooks is then unchanged
 */
gt_progress *gt_progress_start(FILE *tty, gt_trace_hooks *hooks);

/**
 * Like gt_progress_start() without the terminal check, for tests: draws on @p out once
 * @p delay_ms have passed since the start (0: from the first query).
 */
gt_progress *gt_progress_start_on(FILE *out, unsigned delay_ms, gt_trace_hooks *hooks);

/**
 * Erase the progress line and draw nothing until gt_progress_resume(), so other output can be
 * written to the terminal (bulk mode prints each name's line this way). NULL accepted.
 */
void gt_progress_suspend(gt_progress *p);

/** Let the progress line be drawn again (see gt_progress_suspend()); NULL accepted. */
void gt_progress_resume(gt_progress *p);

/** Stop the timer, erase the progress line and free the display; NULL accepted. */
void gt_progress_end(gt_progress *p);

/**
 * Text of one RR as "owner TTL IN TYPE RDATA" (presentation format, escaped).
 * @return characters written, 0 if @p size is too small
 */
size_t gt_rr_to_str(const gt_rr *rr, char *buf, size_t size);

/**
 * Append the records that answer (@p an->rrs of @p m's answer section) to @p b as
 * " TYPE data, TYPE data", at most @p max of them, then ", ... (N records)" when there are
 * more. Used by the text verdict and the bulk lines.
 */
void gt_answer_rrs_print(gt_buf *b, const gt_msg *m, const gt_answer *an, size_t max);

#endif
