/**
 * @file answers.h
 * @brief The answer chain of the main trace: each link's distinct replies, and what answers.
 *
 * An answer is a chain, not a vote: the question's name may be an alias answered by one zone
 * whose target another zone answers. Each link of that chain is answered by the servers of
 * its own zone; only replies at the same link are compared, and only the records that answer
 * the question (owner in the alias chain, inside the answering zone) count.
 */
#ifndef GLUETRACE_ANSWERS_H
#define GLUETRACE_ANSWERS_H

#include <stdbool.h>

#include "gluetrace/base/status.h"
#include "gluetrace/model/result.h"

/**
 * Fill r->answers (and r->nlinks): every final reply (answer, CNAME, NXDOMAIN, NODATA) of the
 * main trace and of the CNAME traces hanging off it, grouped by link and by the records that
 * answer (TTLs left out, order ignored); and r->nonauth: the same for replies without AA
 * that carried such records. Queries that reused another's reply are not counted again.
 * Call once per result.
 * @param[in,out] r a finished result; r->answers and r->nonauth must be empty
 * @return GT_OK or GT_ENOMEM (the answers found so far are kept)
 */
gt_status gt_answers_collect(gt_result *r);

/**
 * Which records of a reply's answer section answer (@p qname, @p qtype) from a server of
 * @p zone: the RRset of the asked type and the CNAMEs (and DNAMEs, RRSIGs) whose owner is
 * @p qname or a target of its alias chain, inside @p zone (RFC 1034 section 4.3.2, RFC 2181
 * section 5.4.1). Everything else there is not the answer.
 * @param[in] m the reply
 * @param[out] in one flag per answer record (m->count[GT_SEC_ANSWER] entries), or NULL
 * @return the number of records that answer
 */
size_t gt_answer_chain(const gt_msg *m, const gt_name *qname, uint16_t qtype, const gt_name *zone,
                       bool *in);

/**
 * Canonical text of what a reply answers: its outcome and the records gt_answer_chain()
 * keeps, TTLs left out, sorted. Two replies with equal keys gave the same answer.
 * @param[in] q a query with a reply (its own, not a cached one)
 * @return the key (caller frees), or NULL when out of memory
 */
char *gt_answer_key(const gt_query *q);

#endif
