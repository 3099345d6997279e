/*
 * The one rule for which records of a reply form an RRset, and for which RRSIG and key pairs
 * of it are tried, shared by the engine (signatures checked while the trace waits) and the
 * diagnosis (the chain). The pairs are bounded the way validators bound them since KeyTrap
 * (CVE-2023-50387, docs/limits.md): a few RRSIGs per RRset, a few keys per (key tag,
 * algorithm), and the name's and the reply's allowance of checks (gt_dnssec_budget).
 */
#include <stdio.h>
#include <string.h>

#include "gluetrace/wire/rrtype.h"
#include "internal.h"

size_t gt_dnssec_rrset(const gt_msg *m, gt_section sec, const gt_name *owner, uint16_t type,
                       gt_rr *out)
{
    size_t n = 0;
    for (size_t i = 0; i < m->count[sec] && n < GT_DNSSEC_MAX_RRSET; i++) {
        const gt_rr *rr = &m->rrs[sec][i];
        bool dup = false;
        if (rr->type != type || (owner != NULL && !gt_name_eq(&rr->owner, owner))) {
            continue;
        }
        for (size_t k = 0; k < n && !dup; k++) {
            dup = gt_rr_same_rdata(&out[k], rr);
        }
        if (!dup) {
            out[n++] = *rr;
        }
    }
    return n;
}

/* How much a failure tells: a failed signature beats a key that did not fit. */
static int weight(gt_dsec_code c)
{
    switch (c) {
    case GT_DSEC_OK:
        return 9;
    case GT_DSEC_EXPIRED:
    case GT_DSEC_NOT_YET_VALID:
        return 8;
    case GT_DSEC_BAD_SIGNATURE:
        return 7;
    case GT_DSEC_UNSUPPORTED_ALG:
        return 6;
    default:
        return 1;
    }
}

/* Keys of @p keys with (@p tag, @p alg). */
static size_t sharing(const gt_rr *keys, size_t nkeys, uint16_t tag, uint8_t alg)
{
    size_t n = 0;
    for (size_t k = 0; k < nkeys; k++) {
        gt_dnskey dk;
        n += gt_dnskey_parse(keys[k].rdata, keys[k].rdlen, &dk) == GT_DSEC_OK && dk.tag == tag &&
             dk.alg == alg;
    }
    return n;
}

/* What a limit refused, in words, into @p best (GT_DSEC_LIMIT). */
static void refusal(gt_dsec_result *best, unsigned caps, const gt_rr *set, size_t ncover,
                    size_t nshare, uint16_t tag, uint8_t alg)
{
    char owner[GT_NAME_STRLEN], ty[16];
    gt_name_to_str(&set->owner, owner, sizeof(owner));
    gt_type_to_str(set->type, ty, sizeof(ty));
    best->code = GT_DSEC_LIMIT;
    best->caps = caps;
    if (caps & (GT_DSEC_CAP_STOP | GT_DSEC_CAP_NAME | GT_DSEC_CAP_REPLY | GT_DSEC_CAP_SLICE)) {
        dsec_set(best, GT_DSEC_LIMIT, "%s %s: %s", owner, ty, gt_dnssec_cap_str(caps));
    } else if (caps & GT_DSEC_CAP_SIGS) {
        dsec_set(best, GT_DSEC_LIMIT,
                 "%zu RRSIGs over %s %s; the first %d a key fits were tried, none verified", ncover,
                 owner, ty, GT_DNSSEC_MAX_SIGS_PER_RRSET);
    } else {
        dsec_set(best, GT_DSEC_LIMIT,
                 "%zu keys share key tag %u (%s) for %s %s; %d tried per RRSIG, none verified",
                 nshare, tag, gt_dnssec_alg_str(alg), owner, ty, GT_DNSSEC_MAX_KEYS_PER_TAG);
    }
    best->caps = caps;
}

gt_dsec_code gt_rrset_verify(gt_dnssec_budget *b, const gt_msg *m, gt_section sec, const gt_rr *set,
                             size_t n, const gt_rr *keys, size_t nkeys, const gt_name *zone,
                             uint64_t now, bool *nosig, gt_dsec_result *best, const gt_rr **sig)
{
    unsigned caps = 0, tried = 0;
    size_t ncover = 0, nshare = 0;
    uint16_t share_tag = 0;
    uint8_t share_alg = 0;
    const gt_rr *best_sig = NULL;

    *nosig = true;
    memset(best, 0, sizeof(*best));
    best->code = GT_DSEC_NO_PROOF;
    if (sig != NULL) {
        *sig = NULL;
    }
    if (n == 0) {
        return best->code;
    }
    for (size_t i = m->count[sec]; i < m->count[sec] + m->nsig[sec]; i++) {
        const gt_rr *rr = &m->rrs[sec][i];
        gt_rrsig rs;
        if (rr->type != GT_TYPE_RRSIG || !gt_name_eq(&rr->owner, &set[0].owner) ||
            gt_rrsig_parse(rr->rdata, rr->rdlen, &rs) != GT_DSEC_OK ||
            rs.type_covered != set[0].type) {
            continue;
        }
        *nosig = false;
        ncover++;
        if ((caps & ~(unsigned)GT_DSEC_CAP_KEYS) != 0) {
            continue; /* only counted from here on */
        }
        size_t fit = 0;
        for (size_t k = 0; k < nkeys; k++) {
            gt_dnskey dk;
            bool fits = gt_dnskey_parse(keys[k].rdata, keys[k].rdlen, &dk) == GT_DSEC_OK &&
                        dk.tag == rs.key_tag && dk.alg == rs.alg;
            if (fits && fit == GT_DNSSEC_MAX_KEYS_PER_TAG) {
                caps |= GT_DSEC_CAP_KEYS; /* KeyTrap: more keys share it than are tried */
                nshare = sharing(keys, nkeys, rs.key_tag, rs.alg);
                share_tag = rs.key_tag;
                share_alg = rs.alg;
                break;
            }
            if (fits && fit++ == 0 && tried++ == GT_DNSSEC_MAX_SIGS_PER_RRSET) {
                caps |= GT_DSEC_CAP_SIGS; /* more RRSIGs than are tried */
                break;
            }
            gt_dsec_result res;
            gt_rrsig_verify(b, set, n, rr, &keys[k], zone, now, &res);
            if (res.code == GT_DSEC_LIMIT) {
                caps |= res.caps; /* an allowance is spent: nothing more is tried */
                break;
            }
            if (weight(res.code) > weight(best->code) || best->code == GT_DSEC_NO_PROOF) {
                *best = res;
                best_sig = rr;
            }
            if (res.code == GT_DSEC_OK) {
                if (sig != NULL) {
                    *sig = rr;
                }
                return GT_DSEC_OK;
            }
        }
    }
    if (caps != 0) {
        refusal(best, caps, &set[0], ncover, nshare, share_tag, share_alg);
        best_sig = NULL;
    }
    if (sig != NULL) {
        *sig = best_sig;
    }
    return best->code;
}
