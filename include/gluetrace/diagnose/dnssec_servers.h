/**
 * @file dnssec_servers.h
 * @brief The DNSSEC status of each server of each judged zone cut (gt_result.dnssec_servers).
 */
#ifndef GLUETRACE_DNSSEC_SERVERS_H
#define GLUETRACE_DNSSEC_SERVERS_H

#include "gluetrace/base/status.h"
#include "gluetrace/model/result.h"

/**
 * After gt_dnssec_chain(): one gt_dnssec_server per DNSKEY query of each zone cut in
 * r->dnssec whose servers' DNSKEY replies were judged (nservers > 0; the delegation-check
 * trace that asked the zone's servers for its DNSKEY set).
 * A server whose reply was judged is bogus when a DNSSEC finding of error severity was raised
 * on that reply (DS with no key, DNSKEY set missing or unsigned, a signature expired or
 * invalid) and secure otherwise; a server whose reply could not be judged is GT_DNSSEC_OFF.
 * A truncated UDP reply is replaced by its TCP retry.
 * @param[in,out] r a diagnosed result; r->dnssec_servers is replaced
 * @return GT_OK or GT_ENOMEM
 */
gt_status gt_dnssec_servers(gt_result *r);

#endif
