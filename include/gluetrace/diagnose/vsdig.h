/**
 * @file vsdig.h
 * @brief Comparing a glue-faithful trace with saved `dig +trace` output (--vs-dig).
 *
 * dig +trace takes the address of every next-hop server from the local resolver. This module
 * reads dig's text output, and for each step says which server dig asked, whether that address
 * is among the glue or sub-trace addresses gluetrace found for that NS name, what gluetrace got
 * from that very address, and whether dig's final answer is among the authoritative answers
 * gluetrace saw; the verdict names the first step where dig's path went wrong and why.
 */
#ifndef GLUETRACE_VSDIG_H
#define GLUETRACE_VSDIG_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "gluetrace/base/status.h"
#include "gluetrace/model/result.h"

typedef struct gt_vsdig gt_vsdig;

/**
 * Parse @p text (dig +trace output) and compare it with @p r. Adds findings to @p r (see
 * docs/findings.md) and returns the step-by-step comparison in @p out (the caller frees it
 * with gt_vsdig_free(); r->vsdig may borrow it for rendering, gt_result_free() leaves it).
 * One pass of gt_diagnose() (diagnose.h), which runs it before grouping the findings; it
 * groups nothing itself.
 * @return GT_OK, GT_EINVAL (not dig +trace output; @p err holds one line) or GT_ENOMEM
 */
gt_status gt_vsdig_compare(gt_result *r, const char *text, size_t len, gt_vsdig **out, char *err,
                           size_t errlen);

/**
 * The same for several inputs (files), each holding one or more dig +trace runs of the same
 * name (text runs are told apart by dig's "; <<>> DiG" header lines): every run is compared,
 * and the verdict counts where the runs ended.
 * @return as gt_vsdig_compare(); @p err names the input and line of a run that is refused
 */
gt_status gt_vsdig_compare_n(gt_result *r, const char *const *texts, const size_t *lens, size_t n,
                             gt_vsdig **out, char *err, size_t errlen);

/**
 * Print the comparison as a text section ("Compared with dig +trace:" ...), every line wrapped
 * to @p width columns (0: no limit).
 */
void gt_vsdig_print(FILE *out, const gt_vsdig *v, size_t width);

/** The comparison as a new JSON object (caller owns the reference). */
json_t *gt_vsdig_json(const gt_vsdig *v);

/** NULL accepted. */
void gt_vsdig_free(gt_vsdig *v);

#endif
