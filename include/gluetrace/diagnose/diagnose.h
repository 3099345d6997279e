/**
 * @file diagnose.h
 * @brief The one step between a finished trace and its rendering.
 *
 * The engine records what it saw; gt_diagnose() derives what it means: the distinct answers
 * (answers.h) and the findings (findings.h). A CLI runs trace, then diagnose, then render.
 */
#ifndef GLUETRACE_DIAGNOSE_H
#define GLUETRACE_DIAGNOSE_H

#include "gluetrace/base/status.h"
#include "gluetrace/model/config.h"
#include "gluetrace/model/result.h"

/**
 * Group the answers of @p r and add the derived findings. Call once per result, after the
 * run returned it (or from a gt_bulk_emit callback) and before rendering.
 * @param[in,out] r a finished result
 * @param[in] cfg the configuration the run used
 * @return GT_OK or GT_ENOMEM
 */
gt_status gt_diagnose(gt_result *r, const gt_config *cfg);

#endif
