/**
 * @file answers.h
 * @brief Grouping the final replies of the main trace into distinct answers.
 */
#ifndef GLUETRACE_ANSWERS_H
#define GLUETRACE_ANSWERS_H

#include "gluetrace/base/status.h"
#include "gluetrace/model/result.h"

/**
 * Fill r->answers: every final reply (answer, CNAME, NXDOMAIN, NODATA) of the main trace and
 * of the CNAME traces hanging off it, grouped by the records it carried (TTLs left out, order
 * ignored). Queries that reused another's reply are not counted again. Call once per result.
 * @param[in,out] r a finished result; r->answers must be empty
 * @return GT_OK or GT_ENOMEM (the answers found so far are kept)
 */
gt_status gt_answers_collect(gt_result *r);

#endif
