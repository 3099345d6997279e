/**
 * @file dnssec_chain.h
 * @brief DNSSEC validation along the main trace: a status per zone cut and for the answer.
 */
#ifndef GLUETRACE_DNSSEC_CHAIN_H
#define GLUETRACE_DNSSEC_CHAIN_H

#include "gluetrace/base/status.h"
#include "gluetrace/model/config.h"
#include "gluetrace/model/result.h"

/**
 * Walk the zone cuts of the main trace from the trust anchor (@p cfg anchors) down: DS at the
 * parent (or the NSEC/NSEC3 proof there is none), each server's DNSKEY set, the RRSIGs, then
 * the answer (or its denial). Fills gt_result.dnssec and answer_dnssec and adds the DNSSEC_*
 * findings, each naming the server whose reply failed. Nothing with --no-dnssec; with no
 * anchor every cut is "indeterminate: no trust anchor" (no finding).
 * @param[in,out] r a finished result
 * @param[in] cfg the run's configuration (borrowed)
 * @return GT_OK or GT_ENOMEM
 */
gt_status gt_dnssec_chain(gt_result *r, const gt_config *cfg);

#endif
