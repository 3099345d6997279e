/*
 * Trust anchors: the IANA root anchors built in, and DS/DNSKEY anchor lines read from text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gluetrace/dnssec/anchor.h"
#include "internal.h"

/*
 * The root zone's trust anchors as published by IANA (root-anchors.xml) and shipped by
 * Debian's dns-root-data as root.ds: KSK-2017 and KSK-2024, both RSASHA256, SHA-256 digests.
 * The unit test compares these lines with the packaged root.ds.
 */
static const char *const root_anchors[GT_ROOT_ANCHORS] = {
    ". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D",
    ". IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16",
};

gt_status gt_anchor_builtin(gt_rrlist *list)
{
    for (size_t i = 0; i < GT_ROOT_ANCHORS; i++) {
        gt_rr rr;
        gt_status st = gt_rr_from_text(root_anchors[i], &rr, NULL, 0);
        if (st != GT_OK) {
            return st == GT_EINVAL ? GT_ENOMEM : st; /* the text is fixed: only memory fails */
        }
        st = gt_rrlist_add(list, &rr);
        gt_rr_free_rdata(&rr);
        if (st != GT_OK) {
            return st;
        }
    }
    return GT_OK;
}

/** Check that record @p rr may be a trust anchor; fills @p err when not. */
static gt_status anchor_ok(const gt_rr *rr, char *err, size_t errsize)
{
    if (rr->cls != GT_CLASS_IN) {
        snprintf(err, errsize, "class is not IN");
        return GT_EINVAL;
    }
    if (rr->type == GT_TYPE_DS) {
        gt_ds ds;
        if (gt_ds_parse(rr->rdata, rr->rdlen, &ds) != GT_DSEC_OK) {
            snprintf(err, errsize, "malformed DS");
            return GT_EINVAL;
        }
        return GT_OK;
    }
    if (rr->type == GT_TYPE_DNSKEY) {
        gt_dnskey key;
        if (gt_dnskey_parse(rr->rdata, rr->rdlen, &key) != GT_DSEC_OK || key.protocol != 3 ||
            (key.flags & GT_DNSKEY_FLAG_ZONE) == 0) {
            snprintf(err, errsize, "DNSKEY is not a zone key of protocol 3");
            return GT_EINVAL;
        }
        return GT_OK;
    }
    snprintf(err, errsize, "a trust anchor must be a DS or DNSKEY record");
    return GT_EINVAL;
}

gt_status gt_anchor_parse(gt_rrlist *list, const char *text, char *err, size_t errsize)
{
    gt_rrlist tmp = {0};
    char msg[160] = "";
    gt_status st = gt_rrlist_from_text(&tmp, text, msg, sizeof(msg));
    size_t i = 0;

    for (; st == GT_OK && i < tmp.count; i++) {
        char why[96];
        st = anchor_ok(&tmp.rrs[i], why, sizeof(why));
        if (st != GT_OK) {
            snprintf(msg, sizeof(msg), "record %zu: %s", i + 1, why);
        }
    }
    if (st == GT_OK && tmp.count == 0) {
        snprintf(msg, sizeof(msg), "no trust anchor found");
        st = GT_EINVAL;
    }
    for (size_t j = 0; st == GT_OK && j < tmp.count; j++) {
        st = gt_rrlist_add(list, &tmp.rrs[j]);
        if (st != GT_OK) {
            snprintf(msg, sizeof(msg), "%s", gt_status_str(st));
        }
    }
    if (st != GT_OK && err != NULL && errsize > 0) {
        snprintf(err, errsize, "%s", msg);
    }
    gt_rrlist_free(&tmp);
    return st;
}
