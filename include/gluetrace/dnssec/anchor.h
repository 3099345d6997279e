/**
 * @file anchor.h
 * @brief DNSSEC trust anchors: the built-in IANA root anchors (as DS records) and anchors read
 *        from presentation-format DS or DNSKEY lines (Debian dns-root-data's root.ds /
 *        root.key layout).
 */
#ifndef GLUETRACE_DNSSEC_ANCHOR_H
#define GLUETRACE_DNSSEC_ANCHOR_H

#include <stddef.h>

#include "gluetrace/base/status.h"
#include "gluetrace/dnssec/rrtext.h"

/** Number of built-in root anchors (KSK-2017 tag 20326 and KSK-2024 tag 38696). */
#define GT_ROOT_ANCHORS 2

/**
 * Append the built-in IANA root trust anchors to @p list as DS records of owner "." class IN
 * (digest type 2): 20326 8 2 E06D44B8... and 38696 8 2 683D2D0A....
 * @return GT_OK or GT_ENOMEM
 */
gt_status gt_anchor_builtin(gt_rrlist *list);

/**
 * Read trust anchors from text: DS or DNSKEY lines (gt_rr_from_text() syntax), comments and
 * blank lines. Any other record type, a class other than IN, or a DNSKEY that is not a zone
 * key, is an error.
 * @param[in,out] list anchors are appended (owned by the list)
 * @param[out] err one line "line N: ..." on failure (may be NULL)
 * @return GT_OK, GT_EINVAL (including a text with no anchor), GT_ENOMEM or GT_ELIMIT
 */
gt_status gt_anchor_parse(gt_rrlist *list, const char *text, char *err, size_t errsize);

#endif
