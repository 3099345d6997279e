/**
 * @file findings.h
 * @brief Verdicts derived from what a trace saw (docs/findings.md).
 *
 * The engine adds the findings it meets while running (GLUELESS_CYCLE, LIMIT_REACHED,
 * NO_ROUTE); gt_findings_analyse() adds the rest from the finished result: lame and
 * unreachable servers, missing or ignored glue, parent/child mismatches, inconsistent
 * referrals and answers, NS names that are aliases, and the resolver comparison.
 */
#ifndef GLUETRACE_FINDINGS_H
#define GLUETRACE_FINDINGS_H

#include "gluetrace/base/status.h"
#include "gluetrace/model/config.h"
#include "gluetrace/model/result.h"

/**
 * Add the derived findings to @p r. Pure: reads the queries and traces, sends nothing.
 * @return GT_OK or GT_ENOMEM
 */
gt_status gt_findings_analyse(gt_result *r, const gt_config *cfg);

#endif
