/**
 * @file diagnose.h
 * @brief The one step between a finished trace and its rendering.
 *
 * The engine records what it saw; gt_diagnose() derives what it means, every pass in one
 * fixed order: the distinct answers (answers.h); the findings of the queries, referrals,
 * delegation checks, the resolver comparison and the network (findings.h, network.h); what
 * the transport saw on the wire (replies.h); DNSSEC along the trace (dnssec_chain.h); each
 * server's DNSSEC status (dnssec_servers.h); the dig comparison (vsdig.h, which reads the
 * trace's problems grouped before it and only adds findings); and last the findings grouped
 * into problems and notes (problems.h). Every pass that drops a finding runs before
 * anything keeps an index into the findings, and nothing adds or removes a finding after the
 * grouping. A CLI runs trace, then diagnose, then render.
 */
#ifndef GLUETRACE_DIAGNOSE_H
#define GLUETRACE_DIAGNOSE_H

#include <stddef.h>

#include "gluetrace/base/status.h"
#include "gluetrace/model/config.h"
#include "gluetrace/model/result.h"
#include "gluetrace/transport/transport.h"

typedef struct gt_vsdig gt_vsdig;

/** What a run saw besides its result, for the passes that need it. Zeroed: nothing. */
typedef struct gt_diagnose_input {
    const gt_wire_count *wire; /**< the transport's counts (gt_transport_wire()), or NULL */
    size_t nwire;              /**< entries in @ref wire */
    const char *const *digs;   /**< saved dig +trace outputs to compare with (--vs-dig) */
    const size_t *diglens;     /**< bytes in each of @ref digs */
    size_t ndigs;              /**< entries in @ref digs (0: no comparison) */
} gt_diagnose_input;

/**
 * Diagnose @p r: every pass, in the order the file comment gives. Call once per result, after
 * the run returned it (or from a gt_bulk_emit callback) and before rendering.
 * @param[in,out] r a finished result
 * @param[in] cfg the configuration the run used
 * @param[in] in what else the run saw, or NULL for nothing
 * @param[out] vs with dig input: the comparison (caller frees with gt_vsdig_free(); r->vsdig
 *             borrows it); may be NULL without dig input
 * @param[out] err with dig input: one line on GT_EINVAL (not dig +trace output)
 * @param errlen size of @p err
 * @return GT_OK, GT_EINVAL (the dig input) or GT_ENOMEM
 */
gt_status gt_diagnose(gt_result *r, const gt_config *cfg, const gt_diagnose_input *in,
                      gt_vsdig **vs, char *err, size_t errlen);

#endif
