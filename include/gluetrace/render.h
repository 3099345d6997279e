/**
 * @file render.h
 * @brief Printing a trace result: text tree and JSON.
 */
#ifndef GLUETRACE_RENDER_H
#define GLUETRACE_RENDER_H

#include <stdio.h>

#include "gluetrace/config.h"
#include "gluetrace/status.h"
#include "gluetrace/trace.h"

/**
 * The readable tree: one line per query, indented by delegation depth, each with zone, server
 * name and address, provenance, rtt and outcome; sub-traces nested under the referral that
 * needed them; then the distinct answers, findings and a summary line.
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

/** Graphviz DOT: servers as nodes, referrals as edges, sub-traces as clusters. */
gt_status gt_render_dot(FILE *out, const gt_result *r, const gt_config *cfg);

/** A layout that lines up with dig +trace, plus one provenance comment per step. */
gt_status gt_render_dig(FILE *out, const gt_result *r, const gt_config *cfg);

/**
 * Text of one RR as "owner TTL IN TYPE RDATA" (presentation format, escaped).
 * @return characters written, 0 if @p size is too small
 */
size_t gt_rr_to_str(const gt_rr *rr, char *buf, size_t size);

#endif
