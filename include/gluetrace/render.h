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
 * Text of one RR as "owner TTL IN TYPE RDATA" (presentation format, escaped).
 * @return characters written, 0 if @p size is too small
 */
size_t gt_rr_to_str(const gt_rr *rr, char *buf, size_t size);

#endif
