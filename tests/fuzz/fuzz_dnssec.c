/*
 * Fuzz target (e): the DNSSEC core (src/dnssec). The first byte chooses the input form:
 *   bit 0 clear: binary  u32 now | zone name | u8 count | count x (owner name, u16 type,
 *                        u16 rdlength, RDATA)   (names in wire form, read by the wire cursor)
 *   bit 0 set:   text    presentation-format record lines (the rrtext reader, then anchors)
 * bits 1-2 choose the denial claim. On the records: canonical RDATA (same length, idempotent),
 * canonical name order (antisymmetric), the signed data of every RRSIG, verification of every
 * RRSIG with every DNSKEY, every DS against every DNSKEY, NSEC and NSEC3 proofs. Invariants:
 * codes are in range, details are one NUL-terminated line, and nothing crashes or leaks.
 */
#include <string.h>

#include "fuzz.h"
#include "gluetrace/dnssec/anchor.h"
#include "gluetrace/dnssec/denial.h"
#include "gluetrace/dnssec/dnssec.h"
#include "gluetrace/dnssec/rrtext.h"

/** Records looked at per input (keeps the pairwise checks and NSEC3 hashing bounded). */
#define FUZZ_DNSSEC_MAX_RRS 16
/** Inputs beyond this add nothing. */
#define FUZZ_DNSSEC_MAX_INPUT 16384

static void check_result(gt_dsec_code code, const gt_dsec_result *res)
{
    fuzz_assert(code >= GT_DSEC_OK && code <= GT_DSEC_ITERATIONS);
    fuzz_assert(res->code == code);
    fuzz_assert(memchr(res->detail, '\0', sizeof(res->detail)) != NULL);
    fuzz_assert(strchr(res->detail, '\n') == NULL);
    fuzz_assert(strcmp(gt_dsec_code_str(code), "unknown") != 0);
}

/** Scratch for canonical RDATA (static: too large for the stack of a sanitizer build). */
static uint8_t canon_a[65535], canon_b[65535];

static void check_canon(const gt_rr *rr)
{
    uint8_t *a = canon_a, *b = canon_b;

    if (gt_dnssec_canon_rdata(rr->type, rr->rdata, rr->rdlen, a) == GT_OK) {
        fuzz_assert(gt_dnssec_canon_rdata(rr->type, a, rr->rdlen, b) == GT_OK);
        fuzz_assert(rr->rdlen == 0 || memcmp(a, b, rr->rdlen) == 0);
    }
}

/** Every RRSIG against every DNSKEY, over the RRset it covers. */
static void check_sigs(const gt_rr *rrs, size_t n, const gt_name *zone, uint64_t now)
{
    gt_rr set[FUZZ_DNSSEC_MAX_RRS];

    for (size_t i = 0; i < n; i++) {
        gt_rrsig sig;
        size_t m = 0;
        if (rrs[i].type != GT_TYPE_RRSIG ||
            gt_rrsig_parse(rrs[i].rdata, rrs[i].rdlen, &sig) != GT_DSEC_OK) {
            continue;
        }
        for (size_t j = 0; j < n; j++) {
            if (rrs[j].type == sig.type_covered && gt_name_eq(&rrs[j].owner, &rrs[i].owner)) {
                set[m++] = rrs[j];
            }
        }
        uint8_t *data = NULL;
        size_t len = 0;
        if (gt_dnssec_signed_data(set, m, rrs[i].rdata, rrs[i].rdlen, &data, &len) == GT_OK) {
            fuzz_assert(data != NULL && len >= sig.sig_offset);
        } else {
            fuzz_assert(data == NULL);
        }
        free(data);
        for (size_t k = 0; k < n; k++) {
            gt_dsec_result res;
            if (rrs[k].type == GT_TYPE_DNSKEY) {
                check_result(gt_rrsig_verify(NULL, set, m, &rrs[i], &rrs[k], zone, now, &res),
                             &res);
            }
        }
    }
}

static void check_records(const gt_rr *rrs, size_t n, const gt_name *zone, uint64_t now,
                          gt_deny_kind kind)
{
    gt_dsec_result res;

    if (n > FUZZ_DNSSEC_MAX_RRS) {
        n = FUZZ_DNSSEC_MAX_RRS;
    }
    for (size_t i = 0; i < n; i++) {
        check_canon(&rrs[i]);
        int ab = gt_dnssec_name_cmp(&rrs[i].owner, zone);
        int ba = gt_dnssec_name_cmp(zone, &rrs[i].owner);
        fuzz_assert((ab < 0 && ba > 0) || (ab > 0 && ba < 0) || (ab == 0 && ba == 0));
        for (size_t k = 0; k < n; k++) {
            if (rrs[i].type == GT_TYPE_DS && rrs[k].type == GT_TYPE_DNSKEY) {
                check_result(gt_ds_match(&rrs[i], &rrs[k], &res), &res);
            }
        }
    }
    check_sigs(rrs, n, zone, now);
    const gt_name *q = n > 0 ? &rrs[0].owner : zone;
    uint16_t qtype = n > 0 ? rrs[n - 1].type : GT_TYPE_A;
    check_result(gt_nsec_prove(rrs, n, zone, q, qtype, kind, &res), &res);
    check_result(gt_nsec3_prove(rrs, n, zone, q, qtype, kind, &res), &res);
    /* wildcard answers: every labels value from the zone's to one below the name's */
    for (unsigned l = gt_name_labels(zone); l < gt_name_labels(q); l++) {
        check_result(gt_nsec_prove_wildcard(rrs, n, zone, q, l, &res), &res);
        check_result(gt_nsec3_prove_wildcard(rrs, n, zone, q, l, &res), &res);
    }
}

static void run_binary(const uint8_t *data, size_t size, gt_deny_kind kind)
{
    gt_rr rrs[FUZZ_DNSSEC_MAX_RRS];
    gt_cursor c;
    gt_name zone;
    size_t n = 0;

    gt_cursor_init(&c, data, size);
    uint64_t now = gt_cursor_u32(&c);
    gt_cursor_name(&c, &zone);
    size_t count = gt_cursor_u8(&c);
    if (c.err != GT_OK) {
        return;
    }
    for (; n < count && n < FUZZ_DNSSEC_MAX_RRS; n++) {
        gt_rr *rr = &rrs[n];
        gt_cursor_name(&c, &rr->owner);
        rr->type = gt_cursor_u16(&c);
        rr->cls = GT_CLASS_IN;
        rr->ttl = 0;
        rr->rdlen = gt_cursor_u16(&c);
        rr->rdata = c.data + c.pos;
        gt_cursor_skip(&c, rr->rdlen);
        if (c.err != GT_OK) {
            break;
        }
    }
    check_records(rrs, n, &zone, now, kind);
}

static void run_text(const uint8_t *data, size_t size, gt_deny_kind kind)
{
    char *text = malloc(size + 1);
    gt_rrlist list = {0}, anchors = {0};
    char err[160];

    if (text == NULL) {
        return;
    }
    memcpy(text, data, size);
    text[size] = '\0';
    gt_status st = gt_rrlist_from_text(&list, text, err, sizeof(err));
    fuzz_assert(st == GT_OK || st == GT_EINVAL || st == GT_ELIMIT);
    if (st != GT_OK) {
        fuzz_assert(strchr(err, '\n') == NULL);
    }
    if (list.count > 0) {
        /* The zone: the owner of the first SOA or DNSKEY, else of the first record. */
        const gt_name *zone = &list.rrs[0].owner;
        for (size_t i = list.count; i-- > 0;) {
            if (list.rrs[i].type == GT_TYPE_SOA || list.rrs[i].type == GT_TYPE_DNSKEY) {
                zone = &list.rrs[i].owner;
            }
        }
        check_records(list.rrs, list.count, zone, 1800000000u, kind);
    }
    st = gt_anchor_parse(&anchors, text, err, sizeof(err));
    fuzz_assert(st == GT_OK || st == GT_EINVAL || st == GT_ELIMIT);
    fuzz_assert(st != GT_OK || anchors.count > 0);
    gt_rrlist_free(&anchors);
    gt_rrlist_free(&list);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > FUZZ_DNSSEC_MAX_INPUT) {
        return 0;
    }
    gt_deny_kind kind = (gt_deny_kind)((data[0] >> 1) % 3);
    if (data[0] & 1) {
        run_text(data + 1, size - 1, kind);
    } else {
        run_binary(data + 1, size - 1, kind);
    }
    return 0;
}
