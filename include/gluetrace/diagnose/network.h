/**
 * @file network.h
 * @brief Findings about the network the trace ran from rather than about the servers
 *        (docs/findings.md): DNS interception and an address family that answers nowhere.
 */
#ifndef GLUETRACE_DIAGNOSE_NETWORK_H
#define GLUETRACE_DIAGNOSE_NETWORK_H

#include "gluetrace/base/status.h"
#include "gluetrace/model/result.h"

/**
 * DNS_INTERCEPTED: every root server address of the hints that replied answered like a
 * recursive middlebox (RA=1, no AA, no referral); the per-root LAME_SERVER findings are
 * replaced by this one. FAMILY_SILENT: no address of one family replied while the other
 * family answered; the per-server UNREACHABLE_SERVER findings of that family are replaced by
 * this one. The server given with -s is not a root server: no LAME_SERVER or UPWARD_REFERRAL
 * is raised on it for the zone the trace starts at, and GIVEN_SERVER_IS_RESOLVER says so when
 * it replied like a recursive resolver. Pure: reads the queries, sends nothing.
 * @return GT_OK or GT_ENOMEM
 */
gt_status gt_network_findings(gt_result *r);

/**
 * Remove the findings with @p code whose query matches @p match (their messages are freed).
 * @param[in] match called with each such finding's query (never NULL)
 */
void gt_findings_drop(gt_result *r, gt_code code,
                      bool (*match)(const gt_result *r, const gt_query *q, const void *arg),
                      const void *arg);

#endif
