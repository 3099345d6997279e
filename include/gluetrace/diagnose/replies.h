/**
 * @file replies.h
 * @brief Findings from what the transport saw on the wire but could not use (docs/findings.md):
 *        replies that answered none of our queries, and TCP connections the server ended.
 */
#ifndef GLUETRACE_DIAGNOSE_REPLIES_H
#define GLUETRACE_DIAGNOSE_REPLIES_H

#include <stddef.h>

#include "gluetrace/base/status.h"
#include "gluetrace/model/result.h"
#include "gluetrace/transport/transport.h"

/**
 * Describe the unusable replies of one server in @p buf ("2 UDP replies that answer none of
 * our queries (1 with a wrong ID, 1 for another question)").
 * @return the number of such replies (0: nothing written but an empty string)
 */
size_t gt_wire_bad_str(const gt_wire_count *w, char *buf, size_t size);

/**
 * Add MISMATCHED_REPLY (per server that sent replies c-ares dropped) and TCP_CLOSED (per
 * server that closed or reset TCP connections with queries pending) to @p r.
 * @param[in] w the transport's counts (gt_transport_wire()), @p n of them
 * @return GT_OK or GT_ENOMEM
 */
gt_status gt_wire_findings(gt_result *r, const gt_wire_count *w, size_t n);

#endif
