/**
 * @file problems.h
 * @brief The findings of a result grouped into problems: one per (code, zone, server name).
 *
 * A lame server with two addresses raises one finding per address and often a second code for
 * the same reply (UPWARD_REFERRAL beside LAME_SERVER); a referral without glue for five NS
 * names raises five. A reader wants each cause once: gt_problems_group() fills
 * gt_result.problems so that the text verdict and JSON's problems[] say each once, with the
 * addresses listed, while the findings stay as they were.
 */
#ifndef GLUETRACE_PROBLEMS_H
#define GLUETRACE_PROBLEMS_H

#include <stddef.h>

#include "gluetrace/base/status.h"
#include "gluetrace/model/result.h"

/**
 * Group r->findings into r->problems (replacing any earlier grouping, so it may be called again
 * after more findings were added). Findings about a query's server group by that server's
 * name (its address when it has none); findings without one group by their server text or,
 * without that, by zone alone. An UPWARD_REFERRAL problem whose findings all concern replies
 * that a LAME_SERVER problem about the same server covers is folded into that one (its code
 * goes to gt_problem.also): it is how that server is lame. A problem another one causes is
 * folded under its cause (gt_problem.then): NO_AUTHORITATIVE_DATA under GLUELESS_CYCLE or
 * NO_ADDRESS of the same zone, under LAME_SERVER or MISMATCHED_REPLY when every problem of that
 * zone is a lame server or one that sent only mismatched replies, or (of the root zone) under
 * GIVEN_SERVER_IS_RESOLVER; RESOLVER_ANSWER_DIFFERS under STALE_RESOLVER_ADDRESS of the same
 * resolver; INCONSISTENT_ANSWERS and DNSSEC_DNSKEY_MISMATCH under SERIAL_MISMATCH of the same zone.
 * Problems are ordered worst severity first, then by first finding. Groups of info findings are
 * notes (r->notes), not problems, and are never counted as problems.
 * @param[in,out] r a diagnosed result
 * @return GT_OK or GT_ENOMEM (r->problems is then empty)
 */
gt_status gt_problems_group(gt_result *r);

/**
 * How many distinct server addresses were asked the question that @p a answers, in the zone
 * that gave it (the denominator of "answered by 2 of 6 addresses").
 * @param[in] r a diagnosed result
 * @param[in] a one of r->answers
 * @return the count, at least the answer's own distinct addresses
 */
size_t gt_answer_addresses_asked(const gt_result *r, const gt_answer *a);

/**
 * How many distinct addresses gave answer @p a.
 * @param[in] r a diagnosed result
 * @param[in] a one of r->answers
 */
size_t gt_answer_addresses(const gt_result *r, const gt_answer *a);

#endif
