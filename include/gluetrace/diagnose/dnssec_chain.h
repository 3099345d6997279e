/**
 * @file dnssec_chain.h
 * @brief DNSSEC validation along the main trace, its CNAME targets and its sub-traces: a status
 * per zone cut, per trace and for the answer.
 */
#ifndef GLUETRACE_DNSSEC_CHAIN_H
#define GLUETRACE_DNSSEC_CHAIN_H

#include "gluetrace/base/status.h"
#include "gluetrace/model/config.h"
#include "gluetrace/model/result.h"

/**
 * Walk the zone cuts of every followed trace (main, CNAME targets, sub-traces; each zone
 * once) from the trust anchor (@p cfg anchors) down: DS at the parent (or the NSEC/NSEC3 proof
 * there is none), each server's DNSKEY set, the RRSIGs, then each trace's final replies (or
 * their denial). Fills gt_result.dnssec, each followed trace's gt_tracerec.dnssec and
 * answer_dnssec (the main trace's, the weakest link of its CNAME chain) and adds the DNSSEC_*
 * findings, each naming the server whose reply failed. Nothing with --no-dnssec; with no
 * anchor every cut is "indeterminate: no trust anchor" (no finding).
 * @param[in,out] r a finished result
 * @param[in] cfg the run's configuration (borrowed)
 * @return GT_OK or GT_ENOMEM
 */
gt_status gt_dnssec_chain(gt_result *r, const gt_config *cfg);

#endif
