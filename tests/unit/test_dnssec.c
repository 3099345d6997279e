/*
 * Unit tests of the DNSSEC core: canonical name order and RDATA (RFC 4034 6), the signed data
 * of an RRSIG (wildcard owner, original TTL, order, duplicates), key tags and DS digests
 * (RFC 4034 5.4 example), serial-number windows, the reasons verification gives and the
 * remembered outcomes of signature checks.
 * Signatures themselves are checked against ldns-signed zones in tests/dnssec (the oracle).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gluetrace/dnssec/dnssec.h"
#include "gluetrace/dnssec/rrtext.h"
#include "tap.h"

static gt_name name_of(const char *s)
{
    gt_name n;

    if (gt_name_from_str(&n, s) != GT_OK) {
        fprintf(stderr, "test setup: bad name %s\n", s);
        gt_name_root(&n);
    }
    return n;
}

/** A record from a presentation line; abort the test on a setup error. */
static gt_rr rr_of(const char *line)
{
    gt_rr rr;
    char err[128];

    if (gt_rr_from_text(line, &rr, err, sizeof(err)) != GT_OK) {
        fprintf(stderr, "test setup: %s: %s\n", line, err);
        exit(1);
    }
    return rr;
}

static void test_name_order(void)
{
    /* RFC 4034 6.1: the example list, in canonical order. */
    static const char *const order[] = {
        "example.",         "a.example.",      "yljkjljk.a.example.",
        "Z.a.example.",     "zABC.a.EXAMPLE.", "z.example.",
        "\\001.z.example.", "*.z.example.",    "\\200.z.example.",
    };
    size_t n = sizeof(order) / sizeof(order[0]);

    for (size_t i = 0; i + 1 < n; i++) {
        gt_name a = name_of(order[i]), b = name_of(order[i + 1]);
        GT_CHECK(gt_dnssec_name_cmp(&a, &b) < 0);
        GT_CHECK(gt_dnssec_name_cmp(&b, &a) > 0);
    }
    gt_name x = name_of("WWW.Example."), y = name_of("www.example.");
    GT_CHECK_INT(gt_dnssec_name_cmp(&x, &y), 0);
    gt_name root = name_of(".");
    GT_CHECK(gt_dnssec_name_cmp(&root, &y) < 0);
    gt_dnssec_name_lower(&x);
    GT_CHECK(memcmp(x.data, y.data, y.len) == 0);
}

static void test_canon_rdata(void)
{
    uint8_t out[512];
    gt_rr mx = rr_of("a. IN MX 10 MAIL.Example.");
    gt_rr lower = rr_of("a. IN MX 10 mail.example.");
    gt_rr nsec = rr_of("a. IN NSEC B.Example. A RRSIG NSEC");
    gt_rr txt = rr_of("a. IN TXT \"ABC\"");
    gt_rr soa = rr_of("a. IN SOA NS.A. HOST.A. 1 2 3 4 5");

    GT_CHECK_INT(gt_dnssec_canon_rdata(GT_TYPE_MX, mx.rdata, mx.rdlen, out), GT_OK);
    GT_CHECK(memcmp(out, lower.rdata, lower.rdlen) == 0);
    /* RFC 6840 5.1: NSEC's next name keeps its case; TXT is not a name at all. */
    GT_CHECK_INT(gt_dnssec_canon_rdata(GT_TYPE_NSEC, nsec.rdata, nsec.rdlen, out), GT_OK);
    GT_CHECK(memcmp(out, nsec.rdata, nsec.rdlen) == 0);
    GT_CHECK_INT(gt_dnssec_canon_rdata(GT_TYPE_TXT, txt.rdata, txt.rdlen, out), GT_OK);
    GT_CHECK(memcmp(out, txt.rdata, txt.rdlen) == 0);
    GT_CHECK_INT(gt_dnssec_canon_rdata(GT_TYPE_SOA, soa.rdata, soa.rdlen, out), GT_OK);
    GT_CHECK(memcmp(out,
                    "\x02ns\x01"
                    "a\x00\x04host\x01"
                    "a\x00",
                    13) == 0);
    /* A name running past the RDATA is malformed. */
    GT_CHECK_INT(gt_dnssec_canon_rdata(GT_TYPE_MX, mx.rdata, 5, out), GT_EMALFORMED);
    /* A compression pointer is malformed here. */
    static const uint8_t ptr[] = {0, 10, 0xC0, 0x0C};
    GT_CHECK_INT(gt_dnssec_canon_rdata(GT_TYPE_MX, ptr, sizeof(ptr), out), GT_EMALFORMED);
    /* A6 with a prefix name: suffix bytes kept, name lowercased. */
    static const uint8_t a6[] = {120, 0xAB, 1, 'X', 0};
    GT_CHECK_INT(gt_dnssec_canon_rdata(38, a6, sizeof(a6), out), GT_OK);
    GT_CHECK(out[1] == 0xAB && out[3] == 'x');
    gt_rr_free_rdata(&mx);
    gt_rr_free_rdata(&lower);
    gt_rr_free_rdata(&nsec);
    gt_rr_free_rdata(&txt);
    gt_rr_free_rdata(&soa);
}

static void test_signed_data(void)
{
    gt_rr sig = rr_of("a.W.example. 60 IN RRSIG A 13 2 3600 20300101000000 20200101000000 "
                      "1234 EXAMPLE. AAAA");
    gt_rr set[3] = {
        rr_of("a.W.example. 60 IN A 192.0.2.2"),
        rr_of("A.w.example. 60 IN A 192.0.2.1"),
        rr_of("a.w.example. 60 IN A 192.0.2.2"),
    };
    uint8_t *data = NULL;
    size_t len = 0;

    GT_CHECK_INT(gt_dnssec_signed_data(set, 3, sig.rdata, sig.rdlen, &data, &len), GT_OK);
    /* RRSIG part: 18 fixed bytes and the lowercased signer, no signature. */
    size_t pre = 18 + 9;
    static const uint8_t rr1[] = {1, '*', 1, 'w', 7, 'e',  'x',  'a', 'm', 'p', 'l', 'e', 0, 0,
                                  1, 0,   1, 0,   0, 0x0E, 0x10, 0,   4,   192, 0,   2,   1};
    GT_CHECK_INT(len, pre + 2 * sizeof(rr1)); /* the duplicate is gone */
    if (data != NULL && len == pre + 2 * sizeof(rr1)) {
        GT_CHECK(memcmp(data + 18,
                        "\x07"
                        "example\x00",
                        9) == 0);
        GT_CHECK(memcmp(data + pre, rr1, sizeof(rr1)) == 0); /* *.w, TTL 3600, .1 first */
        GT_CHECK_INT(data[len - 1], 2);
    }
    free(data);
    /* Labels larger than the owner's: malformed. */
    gt_rr bad = rr_of("a. 60 IN RRSIG A 13 5 3600 20300101000000 20200101000000 1 . AAAA");
    GT_CHECK_INT(gt_dnssec_signed_data(set, 1, bad.rdata, bad.rdlen, &data, &len), GT_EMALFORMED);
    GT_CHECK(data == NULL);
    gt_rr_free_rdata(&bad);
    for (int i = 0; i < 3; i++) {
        gt_rr_free_rdata(&set[i]);
    }
    gt_rr_free_rdata(&sig);
}

static void test_key_tag_and_ds(void)
{
    /* RFC 4034 5.4: the DNSKEY of dskey.example.com (key tag 60485) and its SHA-1 DS. */
    gt_rr key = rr_of("dskey.example.com. 86400 IN DNSKEY 256 3 5 AQOeiiR0GOMYkDshWoSKz9Xz"
                      "fwJr1AYtsmx3TGkJaNXVbfi/ 2pHm822aJ5iI9BMzNXxeYCmZ DRD99WYwYqUSdjMmmAph"
                      "XdvxegXd/M5+X7OrzKBaMbCVdFLUUh6DhweJBjEVv5f2wwjM9XzcnOf+EPbtG9DMBmADjFDc"
                      "2w/rljwvFw== ;  key id = 60485");
    gt_rr ds = rr_of("dskey.example.com. 86400 IN DS 60485 5 1 2BB183AF5F22588179A53B0A "
                     "98631FAD1A292118");
    gt_dnskey k;
    gt_dsec_result res;
    uint8_t digest[GT_DIGEST_MAX];
    size_t dlen;

    GT_CHECK_INT(gt_dnssec_key_tag(key.rdata, key.rdlen), 60485);
    GT_CHECK_INT(gt_dnskey_parse(key.rdata, key.rdlen, &k), GT_DSEC_OK);
    GT_CHECK_INT(k.flags, 256);
    GT_CHECK_INT(k.alg, 5);
    GT_CHECK_INT(gt_ds_match(&ds, &key, &res), GT_DSEC_OK);
    /* The owner is lowercased before hashing. */
    gt_name upper = name_of("DSKEY.Example.COM.");
    GT_CHECK_INT(gt_ds_digest(&upper, key.rdata, key.rdlen, GT_DIGEST_SHA1, digest, &dlen),
                 GT_DSEC_OK);
    GT_CHECK(dlen == 20 && memcmp(digest, ds.rdata + 4, 20) == 0);
    GT_CHECK_INT(gt_ds_digest(&upper, key.rdata, key.rdlen, 3, digest, &dlen),
                 GT_DSEC_UNSUPPORTED_DIGEST);
    gt_rr other = rr_of("dskey.example.com. IN DS 60486 5 1 2BB183AF5F22588179A53B0A98631FAD1A"
                        "292118");
    GT_CHECK_INT(gt_ds_match(&other, &key, &res), GT_DSEC_KEY_MISMATCH);
    GT_CHECK_STR(gt_dsec_code_str(res.code), "key-mismatch");
    gt_ds d;
    GT_CHECK_INT(gt_ds_parse(ds.rdata, 10, &d), GT_DSEC_MALFORMED); /* SHA-1 must be 20 */
    gt_rr_free_rdata(&other);
    gt_rr_free_rdata(&key);
    gt_rr_free_rdata(&ds);
}

static void test_window(void)
{
    gt_rrsig s;

    memset(&s, 0, sizeof(s));
    GT_CHECK(gt_serial_lt(1, 2));
    GT_CHECK(!gt_serial_lt(2, 1));
    GT_CHECK(gt_serial_lt(0xFFFFFFF0u, 5)); /* wraps */
    GT_CHECK(!gt_serial_lt(5, 5));
    GT_CHECK(!gt_serial_lt(0, 0x80000000u) && !gt_serial_lt(0x80000000u, 0)); /* undefined */
    s.inception = 1000;
    s.expiration = 2000;
    GT_CHECK_INT(gt_rrsig_check_window(&s, 1000), GT_DSEC_OK);
    GT_CHECK_INT(gt_rrsig_check_window(&s, 2000), GT_DSEC_OK);
    GT_CHECK_INT(gt_rrsig_check_window(&s, 2001), GT_DSEC_EXPIRED);
    GT_CHECK_INT(gt_rrsig_check_window(&s, 999), GT_DSEC_NOT_YET_VALID);
    /* A window across 2^32 (year 2106): times are taken modulo 2^32. */
    s.inception = 0xFFFFFF00u;
    s.expiration = 0x100;
    GT_CHECK_INT(gt_rrsig_check_window(&s, 0x100000010ull), GT_DSEC_OK);
    GT_CHECK_INT(gt_rrsig_check_window(&s, 0xFFFFFFF0ull), GT_DSEC_OK);
    GT_CHECK_INT(gt_rrsig_check_window(&s, 0x100000200ull), GT_DSEC_EXPIRED);
}

/** An RRSIG line for www.example. A with the given algorithm, key tag and signature. */
static gt_rr sig_rr(unsigned alg, unsigned tag, const char *b64)
{
    char line[600];

    snprintf(line, sizeof(line),
             "www.example. 60 IN RRSIG A %u 2 60 20300101000000 20200101000000 %u example. %s", alg,
             tag, b64);
    return rr_of(line);
}

static void test_verify_reasons(void)
{
    static const char zero64[] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                                 "AAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    gt_rr a = rr_of("www.example. 60 IN A 192.0.2.1");
    gt_rr key = rr_of("example. IN DNSKEY 257 3 13 "
                      "mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9"
                      "iUzy1L53eKGQ==");
    gt_dsec_result res;
    uint16_t tag = gt_dnssec_key_tag(key.rdata, key.rdlen);
    gt_rr sig = sig_rr(13, tag, zero64), sig3 = sig_rr(3, tag, zero64);
    gt_name zone = name_of("example."), other = name_of("www.example.");
    uint64_t now = 1800000000u;

    /* An all-zero ECDSA signature is refused by the cryptography, not before. */
    GT_CHECK_INT(gt_rrsig_verify(NULL, &a, 1, &sig, &key, &zone, now, &res), GT_DSEC_BAD_SIGNATURE);
    GT_CHECK(strstr(res.detail, "does not verify") != NULL);
    GT_CHECK_INT(gt_rrsig_verify(NULL, &a, 1, &sig, &key, &other, now, &res),
                 GT_DSEC_SIGNER_MISMATCH);
    GT_CHECK_INT(gt_rrsig_verify(NULL, &a, 1, &sig, &key, &zone, 4000000000u, &res),
                 GT_DSEC_EXPIRED);
    GT_CHECK_INT(gt_rrsig_verify(NULL, &a, 0, &sig, &key, &zone, now, &res),
                 GT_DSEC_RRSET_MISMATCH);
    GT_CHECK_INT(gt_rrsig_verify(NULL, &a, 1, &sig3, &key, &zone, now, &res), GT_DSEC_KEY_MISMATCH);
    /* Key with algorithm 3 too: now the algorithm is the problem. */
    uint8_t *kp = (uint8_t *)(uintptr_t)key.rdata;
    kp[3] = 3;
    gt_rr sigu = sig_rr(3, gt_dnssec_key_tag(key.rdata, key.rdlen), "AAAA");
    GT_CHECK_INT(gt_rrsig_verify(NULL, &a, 1, &sigu, &key, &zone, now, &res),
                 GT_DSEC_UNSUPPORTED_ALG);
    GT_CHECK_STR(gt_dsec_code_str(res.code), "unsupported-algorithm");
    kp[3] = 13;
    /* Labels 3 for a two-label owner. */
    gt_rr big = rr_of("www.example. 60 IN RRSIG A 13 3 60 20300101000000 20200101000000 1 "
                      "example. AAAA");
    GT_CHECK_INT(gt_rrsig_verify(NULL, &a, 1, &big, &key, &zone, now, &res),
                 GT_DSEC_LABELS_MISMATCH);
    /* Malformed RRSIG RDATA (cut inside the signer name). */
    gt_rr cut = sig;
    cut.rdlen = 20;
    GT_CHECK_INT(gt_rrsig_verify(NULL, &a, 1, &cut, &key, &zone, now, &res), GT_DSEC_MALFORMED);
    GT_CHECK(gt_dnssec_alg_supported(15) && !gt_dnssec_alg_supported(3));
    GT_CHECK(gt_dnssec_alg_deprecated(5) && gt_dnssec_alg_deprecated(7));
    GT_CHECK(!gt_dnssec_alg_deprecated(8));
    GT_CHECK_STR(gt_dnssec_alg_str(16), "ED448");
    gt_rr_free_rdata(&big);
    gt_rr_free_rdata(&sigu);
    gt_rr_free_rdata(&sig);
    gt_rr_free_rdata(&sig3);
    gt_rr_free_rdata(&key);
    gt_rr_free_rdata(&a);
}

/*
 * Signature checks are remembered in the context: the same check again costs libcrypto
 * nothing and gives the same outcome; other data, another signature or a check that fails
 * before the cryptography are not answered from memory. A budget bounds the checks of one
 * reply and one name; the stop flag refuses new ones but not remembered outcomes.
 */
static void test_remembered(void)
{
    static const char zero64[] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                                 "AAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    static const char one64[] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                                "AAAAAAAAAAAAAAAAAAAAAAAAAAAB";
    gt_rr a = rr_of("www.example. 60 IN A 192.0.2.101");
    gt_rr b = rr_of("www.example. 60 IN A 192.0.2.102");
    gt_rr key = rr_of("example. IN DNSKEY 257 3 13 "
                      "mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9"
                      "iUzy1L53eKGQ==");
    uint16_t tag = gt_dnssec_key_tag(key.rdata, key.rdlen);
    gt_rr sig = sig_rr(13, tag, zero64), sig1 = sig_rr(13, tag, one64);
    gt_name zone = name_of("example.");
    uint64_t now = 1800000000u;
    size_t c, r;
    volatile sig_atomic_t stop = 0;
    gt_dnssec_ctx *ctx = NULL;
    gt_dnssec_budget bu;
    gt_dsec_result res;

    gt_dnssec_warm_up();
    gt_dnssec_warm_up(); /* a second call is a no-op */
    GT_CHECK_INT(gt_dnssec_ctx_create(&stop, &ctx), GT_OK);
    gt_dnssec_budget_init(&bu, ctx, 0);
    GT_CHECK_INT(gt_rrsig_verify(&bu, &a, 1, &sig, &key, &zone, now, NULL), GT_DSEC_BAD_SIGNATURE);
    gt_dnssec_counts(ctx, &c, &r);
    GT_CHECK(c == 1 && r == 0 && bu.done == 1);
    GT_CHECK_INT(gt_rrsig_verify(&bu, &a, 1, &sig, &key, &zone, now, NULL), GT_DSEC_BAD_SIGNATURE);
    gt_dnssec_counts(ctx, &c, &r);
    GT_CHECK(c == 1 && r == 1 && bu.done == 1); /* the same check: remembered, not charged */
    GT_CHECK_INT(gt_rrsig_verify(&bu, &b, 1, &sig, &key, &zone, now, NULL), GT_DSEC_BAD_SIGNATURE);
    gt_dnssec_counts(ctx, &c, &r);
    GT_CHECK(c == 2 && r == 1); /* other data */
    GT_CHECK_INT(gt_rrsig_verify(&bu, &a, 1, &sig1, &key, &zone, now, NULL), GT_DSEC_BAD_SIGNATURE);
    gt_dnssec_counts(ctx, &c, &r);
    GT_CHECK(c == 3 && r == 1); /* another signature */
    GT_CHECK_INT(gt_rrsig_verify(&bu, &a, 1, &sig, &key, &zone, 4000000000u, NULL),
                 GT_DSEC_EXPIRED);
    gt_dnssec_counts(ctx, &c, &r);
    GT_CHECK(c == 3 && r == 1); /* refused before the cryptography */
    GT_CHECK(gt_rrsig_verify(NULL, &a, 1, &sig, &key, &zone, now, NULL) == GT_DSEC_BAD_SIGNATURE);

    /* The reply's allowance: GT_DNSSEC_MAX_CHECKS_PER_REPLY new checks, then refused. */
    gt_dnssec_budget_init(&bu, ctx, 0);
    size_t refused = 0;
    for (unsigned i = 0; i < GT_DNSSEC_MAX_CHECKS_PER_REPLY + 3; i++) {
        char line[64];
        snprintf(line, sizeof(line), "www.example. 60 IN A 198.51.100.%u", i);
        gt_rr x = rr_of(line);
        if (gt_rrsig_verify(&bu, &x, 1, &sig, &key, &zone, now, &res) == GT_DSEC_LIMIT) {
            refused++;
            GT_CHECK(res.caps == GT_DSEC_CAP_REPLY && strstr(res.detail, "one reply") != NULL);
        }
        gt_rr_free_rdata(&x);
    }
    GT_CHECK_INT(refused, 3);
    GT_CHECK_INT(bu.done, GT_DNSSEC_MAX_CHECKS_PER_REPLY);
    gt_dnssec_budget_reply(&bu); /* the next reply has its own */
    gt_rr y = rr_of("www.example. 60 IN A 198.51.100.200");
    GT_CHECK_INT(gt_rrsig_verify(&bu, &y, 1, &sig, &key, &zone, now, NULL), GT_DSEC_BAD_SIGNATURE);
    gt_rr_free_rdata(&y);

    /* The name's allowance, shared by the trace and the diagnosis. */
    gt_dnssec_budget_init(&bu, ctx, GT_DNSSEC_MAX_CHECKS_PER_NAME - 1);
    gt_rr z1 = rr_of("www.example. 60 IN A 198.51.100.201");
    gt_rr z2 = rr_of("www.example. 60 IN A 198.51.100.202");
    GT_CHECK_INT(gt_rrsig_verify(&bu, &z1, 1, &sig, &key, &zone, now, NULL), GT_DSEC_BAD_SIGNATURE);
    GT_CHECK_INT(gt_rrsig_verify(&bu, &z2, 1, &sig, &key, &zone, now, &res), GT_DSEC_LIMIT);
    GT_CHECK(res.caps == GT_DSEC_CAP_NAME && (bu.spent & GT_DSEC_CAP_NAME) != 0);
    gt_rr_free_rdata(&z2);
    gt_rr_free_rdata(&z1);

    /* Stopping: no new check, remembered ones still answered. */
    gt_dnssec_budget_init(&bu, ctx, 0);
    stop = 2;
    gt_rr w = rr_of("www.example. 60 IN A 198.51.100.203");
    GT_CHECK_INT(gt_rrsig_verify(&bu, &w, 1, &sig, &key, &zone, now, &res), GT_DSEC_LIMIT);
    GT_CHECK(res.caps == GT_DSEC_CAP_STOP);
    GT_CHECK_INT(gt_rrsig_verify(&bu, &a, 1, &sig, &key, &zone, now, NULL), GT_DSEC_BAD_SIGNATURE);
    gt_rr_free_rdata(&w);
    gt_dnssec_ctx_free(ctx);
    gt_rr_free_rdata(&sig1);
    gt_rr_free_rdata(&sig);
    gt_rr_free_rdata(&key);
    gt_rr_free_rdata(&b);
    gt_rr_free_rdata(&a);
}

/* An RSA key whose exponent is longer than GT_DNSSEC_RSA_MAX_EXP_BITS is not loaded. */
static void test_rsa_exponent(void)
{
    uint8_t rd[4 + 1 + 5 + 128];
    gt_rr a = rr_of("www.example. 60 IN A 192.0.2.1");
    gt_name zone = name_of("example.");
    for (int bits = 35; bits <= 36; bits++) {
        rd[0] = 1;
        rd[1] = 1;
        rd[2] = 3;
        rd[3] = GT_ALG_RSASHA256;
        rd[4] = 5;                        /* exponent length */
        rd[5] = bits == 36 ? 0x0f : 0x07; /* 35 or 36 bits */
        memset(rd + 6, 0xff, 4);
        for (size_t i = 10; i < sizeof(rd); i++) { /* an odd 1024-bit modulus */
            rd[i] = (uint8_t)(0x80 + i * 7);
        }
        rd[10] |= 0x80;
        rd[sizeof(rd) - 1] |= 1;
        gt_rr key = {.owner = zone,
                     .type = GT_TYPE_DNSKEY,
                     .cls = GT_CLASS_IN,
                     .ttl = 60,
                     .rdlen = sizeof(rd),
                     .rdata = rd};
        uint16_t tag = gt_dnssec_key_tag(rd, sizeof(rd));
        char text[400] = "www.example. 60 IN RRSIG A 8 2 60 20300101000000 20200101000000 ";
        size_t off = strlen(text);
        snprintf(text + off, sizeof(text) - off, "%u example. ", tag);
        off = strlen(text);
        for (int i = 0; i < 168; i++) { /* 128 bytes of base64 */
            text[off++] = 'B';
        }
        memcpy(text + off, "BQ==", 5);
        gt_rr sig = rr_of(text);
        GT_CHECK_INT(gt_rrsig_verify(NULL, &a, 1, &sig, &key, &zone, 1800000000u, NULL),
                     bits == 36 ? GT_DSEC_BAD_KEY : GT_DSEC_BAD_SIGNATURE);
        gt_rr_free_rdata(&sig);
    }
    gt_rr_free_rdata(&a);
}

int main(void)
{
    test_name_order();
    test_canon_rdata();
    test_signed_data();
    test_key_tag_and_ds();
    test_window();
    test_verify_reasons();
    test_remembered();
    test_rsa_exponent();
    return gt_test_done();
}
