/*
 * Unit tests of trust anchors and the presentation reader: the built-in IANA root anchors
 * must equal Debian dns-root-data's root.ds (the test fails when that file is missing: the
 * package is in scripts/install-deps), root.key's DNSKEYs must match them through our DS
 * digest, anchor files with comments and errors, base64, RRSIG times and record lines.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gluetrace/base/file.h"
#include "gluetrace/dnssec/anchor.h"
#include "gluetrace/dnssec/dnssec.h"
#include "tap.h"

/** Where Debian's dns-root-data installs the root anchors. */
#define ROOT_DS "/usr/share/dns/root.ds"
#define ROOT_KEY "/usr/share/dns/root.key"

/** The file's text (caller frees), NULL when it cannot be read. */
static char *slurp(const char *path)
{
    char *text = NULL;
    size_t len;
    char err[200];

    if (gt_file_read(path, 1u << 20, &text, &len, err, sizeof(err), NULL) != GT_OK) {
        fprintf(stderr, "%s\n", err);
        return NULL;
    }
    return text;
}

static bool same_rr(const gt_rr *a, const gt_rr *b)
{
    return gt_name_eq(&a->owner, &b->owner) && a->type == b->type && a->cls == b->cls &&
           a->rdlen == b->rdlen && memcmp(a->rdata, b->rdata, a->rdlen) == 0;
}

static void test_builtin(gt_rrlist *builtin)
{
    static const uint16_t tags[GT_ROOT_ANCHORS] = {20326, 38696};
    gt_ds ds;

    GT_CHECK_INT(gt_anchor_builtin(builtin), GT_OK);
    GT_CHECK_INT(builtin->count, GT_ROOT_ANCHORS);
    for (size_t i = 0; i < builtin->count && i < GT_ROOT_ANCHORS; i++) {
        GT_CHECK_INT(builtin->rrs[i].type, GT_TYPE_DS);
        GT_CHECK_INT(builtin->rrs[i].owner.len, 1);
        GT_CHECK_INT(gt_ds_parse(builtin->rrs[i].rdata, builtin->rrs[i].rdlen, &ds), GT_DSEC_OK);
        GT_CHECK_INT(ds.key_tag, tags[i]);
        GT_CHECK_INT(ds.alg, 8);
        GT_CHECK_INT(ds.digest_type, 2);
        GT_CHECK_INT(ds.digestlen, 32);
    }
    GT_CHECK(builtin->count < 1 ||
             (builtin->rrs[0].rdata[4] == 0xE0 && builtin->rrs[0].rdata[35] == 0x8D));
}

/** The packaged root.ds holds exactly the built-in anchors. */
static void test_root_ds(const gt_rrlist *builtin)
{
    char *text = slurp(ROOT_DS);
    gt_rrlist file = {0};
    char err[128];

    GT_CHECK(text != NULL);
    if (text == NULL) {
        fprintf(stderr, "%s missing: install dns-root-data (scripts/install-deps)\n", ROOT_DS);
        return;
    }
    GT_CHECK_INT(gt_anchor_parse(&file, text, err, sizeof(err)), GT_OK);
    GT_CHECK_INT(file.count, builtin->count);
    for (size_t i = 0; i < builtin->count; i++) {
        bool found = false;
        for (size_t j = 0; j < file.count; j++) {
            found = found || same_rr(&builtin->rrs[i], &file.rrs[j]);
        }
        GT_CHECK(found);
    }
    gt_rrlist_free(&file);
    free(text);
}

/** Every DNSKEY of the packaged root.key matches one built-in DS by our digest. */
static void test_root_key(const gt_rrlist *builtin)
{
    char *text = slurp(ROOT_KEY);
    gt_rrlist keys = {0};
    char err[128];
    gt_dsec_result res;

    GT_CHECK(text != NULL);
    if (text == NULL) {
        fprintf(stderr, "%s missing: install dns-root-data (scripts/install-deps)\n", ROOT_KEY);
        return;
    }
    GT_CHECK_INT(gt_anchor_parse(&keys, text, err, sizeof(err)), GT_OK);
    GT_CHECK(keys.count >= 1);
    for (size_t i = 0; i < keys.count; i++) {
        size_t matches = 0;
        GT_CHECK_INT(keys.rrs[i].type, GT_TYPE_DNSKEY);
        for (size_t j = 0; j < builtin->count; j++) {
            matches += gt_ds_match(&builtin->rrs[j], &keys.rrs[i], &res) == GT_DSEC_OK;
        }
        GT_CHECK_INT(matches, 1);
    }
    gt_rrlist_free(&keys);
    free(text);
}

static void test_anchor_text(void)
{
    gt_rrlist l = {0};
    char err[128];

    GT_CHECK_INT(gt_anchor_parse(&l,
                                 ";; root anchors\n\n   \n"
                                 ". 172800 IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D0845 "
                                 "8E880409BBC683457104237C7F8EC8D ; KSK-2017, split oddly\n",
                                 err, sizeof(err)),
                 GT_OK);
    GT_CHECK_INT(l.count, 1);
    GT_CHECK(l.count < 1 || (l.rrs[0].ttl == 172800 && l.rrs[0].rdlen == 36));
    GT_CHECK_INT(gt_anchor_parse(&l, "; nothing\n\n", err, sizeof(err)), GT_EINVAL);
    GT_CHECK_STR(err, "no trust anchor found");
    GT_CHECK_INT(gt_anchor_parse(&l, "example. IN A 192.0.2.1\n", err, sizeof(err)), GT_EINVAL);
    GT_CHECK(strstr(err, "DS or DNSKEY") != NULL);
    GT_CHECK_INT(gt_anchor_parse(&l, "\n. IN DS 20326 8 2 E06D4\n", err, sizeof(err)), GT_EINVAL);
    GT_CHECK_STR(err, "line 2: bad DS RDATA");
    GT_CHECK_INT(gt_anchor_parse(&l, ". IN DNSKEY 0 3 8 AwEAAQ==\n", err, sizeof(err)),
                 GT_EINVAL); /* not a zone key */
    GT_CHECK_INT(gt_anchor_parse(&l, ". IN DS 20326 8 1 00\n", err, sizeof(err)), GT_EINVAL);
    GT_CHECK_INT(l.count, 1); /* failures added nothing */
    gt_rrlist_free(&l);
}

static void test_codecs(void)
{
    uint8_t out[16];
    size_t n;
    uint32_t t;

    GT_CHECK_INT(gt_base64_decode("Zm9vYmFy", 8, out, sizeof(out), &n), GT_OK);
    GT_CHECK(n == 6 && memcmp(out, "foobar", 6) == 0);
    GT_CHECK_INT(gt_base64_decode("Zm9vYg==", 8, out, sizeof(out), &n), GT_OK);
    GT_CHECK(n == 4 && memcmp(out, "foob", 4) == 0);
    GT_CHECK_INT(gt_base64_decode("Zm9vYg=", 7, out, sizeof(out), &n), GT_EINVAL);
    GT_CHECK_INT(gt_base64_decode("Zm9v!A==", 8, out, sizeof(out), &n), GT_EINVAL);
    GT_CHECK_INT(gt_base64_decode("Zm9vYmFy", 8, out, 5, &n), GT_ESPACE);
    GT_CHECK_INT(gt_dnssec_time_from_str("20260101000000", &t), GT_OK);
    GT_CHECK_INT(t, 1767225600u);
    GT_CHECK_INT(gt_dnssec_time_from_str("19700101000001", &t), GT_OK);
    GT_CHECK_INT(t, 1);
    GT_CHECK_INT(gt_dnssec_time_from_str("21060207062817", &t), GT_OK);
    GT_CHECK_INT(t, 1); /* 2^32 + 1 seconds: modulo 2^32 (RFC 4034 3.1.5) */
    GT_CHECK_INT(gt_dnssec_time_from_str("20261301000000", &t), GT_EINVAL);
    GT_CHECK_INT(gt_dnssec_time_from_str("1767225600", &t), GT_OK);
    GT_CHECK_INT(t, 1767225600u);
    GT_CHECK_INT(gt_dnssec_time_from_str("4294967296", &t), GT_EINVAL);
    GT_CHECK_INT(gt_dnssec_time_from_str("12x", &t), GT_EINVAL);
}

static void test_lines(void)
{
    gt_rr rr;
    char err[128];

    GT_CHECK_INT(
        gt_rr_from_text("www.example. IN 300 TXT \"a;b\" ; comment", &rr, err, sizeof(err)), GT_OK);
    GT_CHECK(rr.ttl == 300 && rr.type == GT_TYPE_TXT && rr.rdlen == 4);
    GT_CHECK(rr.rdlen != 4 || memcmp(rr.rdata,
                                     "\x03"
                                     "a;b",
                                     4) == 0);
    gt_rr_free_rdata(&rr);
    GT_CHECK_INT(gt_rr_from_text("a. A \\# 4 C0000201", &rr, err, sizeof(err)), GT_OK);
    GT_CHECK(rr.rdlen == 4 && rr.rdata[0] == 192 && rr.cls == GT_CLASS_IN);
    gt_rr_free_rdata(&rr);
    GT_CHECK_INT(gt_rr_from_text("a. IN NSEC3PARAM 1 0 0 -", &rr, err, sizeof(err)), GT_OK);
    GT_CHECK(rr.rdlen == 5 && rr.rdata[4] == 0);
    gt_rr_free_rdata(&rr);
    GT_CHECK_INT(gt_rr_from_text("a. IN BOGUS 1", &rr, err, sizeof(err)), GT_EINVAL);
    GT_CHECK_STR(err, "unknown record type 'BOGUS'");
    GT_CHECK_INT(gt_rr_from_text("a..b. IN A 192.0.2.1", &rr, err, sizeof(err)), GT_EINVAL);
    GT_CHECK_INT(
        gt_rr_from_text("a. IN RRSIG A 13 1 60 2030 2020 1 a. AAAA", &rr, err, sizeof(err)),
        GT_OK); /* short times are seconds */
    gt_rr_free_rdata(&rr);
    GT_CHECK_INT(gt_rr_from_text("a. IN RRSIG A 13 1 60 2030 2020 1 a. AAA", &rr, err, sizeof(err)),
                 GT_EINVAL);
    GT_CHECK_INT(gt_rr_from_text("   ; only a comment", &rr, err, sizeof(err)), GT_EINVAL);
    GT_CHECK_STR(err, "empty");
}

int main(void)
{
    gt_rrlist builtin = {0};

    test_builtin(&builtin);
    test_root_ds(&builtin);
    test_root_key(&builtin);
    test_anchor_text();
    test_codecs();
    test_lines();
    gt_rrlist_free(&builtin);
    return gt_test_done();
}
