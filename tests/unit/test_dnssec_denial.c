/*
 * Unit tests of NSEC/NSEC3 helpers and proofs: type bitmaps, base32hex, the NSEC3 hash
 * (RFC 5155 appendix A vectors, also re-derived by ldns-nsec3-hash in the oracle test), NSEC
 * coverage with the wrap-around of the last record, small hand-made chains, and the RFC 9276
 * iteration limit. Whole signed zones are checked in tests/dnssec (the oracle).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gluetrace/dnssec/denial.h"
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

static void add(gt_rrlist *l, const char *line)
{
    gt_rr rr;
    char err[128];

    if (gt_rr_from_text(line, &rr, err, sizeof(err)) != GT_OK || gt_rrlist_add(l, &rr) != GT_OK) {
        fprintf(stderr, "test setup: %s: %s\n", line, err);
        exit(1);
    }
    gt_rr_free_rdata(&rr);
}

static void test_bitmap(void)
{
    gt_rrlist l = {0};
    gt_nsec n;

    add(&l, "a.example. IN NSEC b.example. A MX RRSIG NSEC TYPE1234 CAA");
    GT_CHECK_INT(gt_nsec_parse(l.rrs[0].rdata, l.rrs[0].rdlen, &n), GT_DSEC_OK);
    GT_CHECK(gt_nsec_bitmap_has(n.bitmap, n.bitmaplen, GT_TYPE_A));
    GT_CHECK(gt_nsec_bitmap_has(n.bitmap, n.bitmaplen, GT_TYPE_MX));
    GT_CHECK(gt_nsec_bitmap_has(n.bitmap, n.bitmaplen, GT_TYPE_NSEC));
    GT_CHECK(gt_nsec_bitmap_has(n.bitmap, n.bitmaplen, 1234));
    GT_CHECK(gt_nsec_bitmap_has(n.bitmap, n.bitmaplen, GT_TYPE_CAA));
    GT_CHECK(!gt_nsec_bitmap_has(n.bitmap, n.bitmaplen, GT_TYPE_NS));
    GT_CHECK(!gt_nsec_bitmap_has(n.bitmap, n.bitmaplen, 1235));
    GT_CHECK(!gt_nsec_bitmap_has(n.bitmap, n.bitmaplen, 65535));
    /* RFC 4034 4.3 example: window 0 of length 6 for A MX RRSIG NSEC. */
    static const uint8_t rfc[] = {0x00, 0x06, 0x40, 0x01, 0x00, 0x00, 0x00, 0x03};
    GT_CHECK(gt_nsec_bitmap_has(rfc, sizeof(rfc), GT_TYPE_RRSIG));
    GT_CHECK(memcmp(n.bitmap, rfc, sizeof(rfc)) == 0);
    static const uint8_t zero_len[] = {0x00, 0x00};
    static const uint8_t backwards[] = {0x01, 0x01, 0x80, 0x00, 0x01, 0x40};
    static const uint8_t short_win[] = {0x00, 0x04, 0x40};
    GT_CHECK(!gt_nsec_bitmap_valid(zero_len, sizeof(zero_len)));
    GT_CHECK(!gt_nsec_bitmap_valid(backwards, sizeof(backwards)));
    GT_CHECK(!gt_nsec_bitmap_valid(short_win, sizeof(short_win)));
    GT_CHECK(gt_nsec_bitmap_valid(NULL, 0));
    gt_rrlist_free(&l);
}

static void test_nsec3_hash(void)
{
    /* RFC 5155 appendix A: salt aabbccdd, 12 iterations. */
    static const struct {
        const char *name, *hash;
    } v[] = {
        {"example.", "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom"},
        {"a.example.", "35mthgpgcu1qg68fab165klnsnk3dpvl"},
        {"ai.example.", "gjeqe526plbf1g8mklp59enfd789njgi"},
        {"*.w.example.", "r53bq7cc2uvmubfu5ocmm6pers9tk9en"},
        {"X.W.Example.", "b4um86eghhds6nea196smvmlo4ors995"},
    };
    static const uint8_t salt[] = {0xaa, 0xbb, 0xcc, 0xdd};

    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        uint8_t got[GT_NSEC3_HASH_LEN], want[32];
        size_t wlen;
        gt_name n = name_of(v[i].name);

        GT_CHECK_INT(gt_nsec3_hash(&n, 1, salt, sizeof(salt), 12, got), GT_DSEC_OK);
        GT_CHECK_INT(gt_base32hex_decode(v[i].hash, 32, want, sizeof(want), &wlen), GT_OK);
        GT_CHECK(wlen == GT_NSEC3_HASH_LEN && memcmp(got, want, wlen) == 0);
    }
    gt_name n = name_of("example.");
    uint8_t h[GT_NSEC3_HASH_LEN];
    GT_CHECK_INT(gt_nsec3_hash(&n, 2, salt, 4, 0, h), GT_DSEC_UNSUPPORTED_DIGEST);
    uint8_t out[8];
    size_t olen;
    GT_CHECK_INT(gt_base32hex_decode("CPNMUOG", 7, out, sizeof(out), &olen), GT_OK);
    GT_CHECK(olen == 4 && memcmp(out, "foob", 4) == 0); /* RFC 4648 10, padding left off */
    GT_CHECK_INT(gt_base32hex_decode("CPNMUOH", 7, out, sizeof(out), &olen), GT_EINVAL);
    GT_CHECK_INT(gt_base32hex_decode("CPNMUOW", 7, out, sizeof(out), &olen), GT_EINVAL);
    GT_CHECK_INT(gt_base32hex_decode("CPNMUOJ1", 8, out, sizeof(out), &olen), GT_OK);
    GT_CHECK(olen == 5 && memcmp(out, "fooba", 5) == 0); /* RFC 4648 10 */
    GT_CHECK_INT(gt_base32hex_decode("CPNMUOJW", 8, out, sizeof(out), &olen), GT_EINVAL);
}

/** A small NSEC chain of example.: apex, b, d (a delegation), *.f, h. */
static void nsec_chain(gt_rrlist *l)
{
    add(l, "example. IN NSEC b.example. SOA NS RRSIG NSEC DNSKEY");
    add(l, "b.example. IN NSEC d.example. A RRSIG NSEC");
    add(l, "d.example. IN NSEC *.f.example. NS RRSIG NSEC");
    add(l, "*.f.example. IN NSEC h.example. TXT RRSIG NSEC");
    add(l, "h.example. IN NSEC example. A RRSIG NSEC");
}

static void check(gt_dsec_code got, gt_dsec_code want, const char *what)
{
    GT_CHECK_INT(got, want);
    if (got != want) {
        fprintf(stderr, "  in: %s (got %s)\n", what, gt_dsec_code_str(got));
    }
}

static void test_nsec_proofs(void)
{
    gt_rrlist l = {0};
    gt_name zone = name_of("example.");
    gt_dsec_result res;

    nsec_chain(&l);
    gt_name c = name_of("c.example."), z = name_of("z.example."), a = name_of("a.example.");
    GT_CHECK(gt_nsec_covers(&l.rrs[1], &c));
    GT_CHECK(!gt_nsec_covers(&l.rrs[1], &a));
    GT_CHECK(gt_nsec_covers(&l.rrs[4], &z)); /* the last NSEC wraps to the apex */
    GT_CHECK(!gt_nsec_covers(&l.rrs[4], &a));
    gt_name q = name_of("c.example.");
    /* c is covered by b->d but the wildcard *.example is covered too (apex->b). */
    check(gt_nsec_prove(l.rrs, l.count, &zone, &q, 1, GT_DENY_NXDOMAIN, &res), GT_DSEC_OK,
          "c NXDOMAIN");
    check(gt_nsec_prove(l.rrs, 2, &zone, &q, 1, GT_DENY_NXDOMAIN, &res), GT_DSEC_OK,
          "c NXDOMAIN with apex and b only");
    check(gt_nsec_prove(l.rrs + 1, 1, &zone, &q, 1, GT_DENY_NXDOMAIN, &res), GT_DSEC_NO_PROOF,
          "c NXDOMAIN without the wildcard's cover");
    q = name_of("x.f.example.");
    check(gt_nsec_prove(l.rrs, l.count, &zone, &q, 1, GT_DENY_NXDOMAIN, &res),
          GT_DSEC_WILDCARD_EXISTS, "x.f NXDOMAIN");
    check(gt_nsec_prove(l.rrs, l.count, &zone, &q, GT_TYPE_MX, GT_DENY_NODATA, &res), GT_DSEC_OK,
          "x.f MX wildcard NODATA");
    q = name_of("f.example."); /* an empty non-terminal: d's next is *.f */
    check(gt_nsec_prove(l.rrs, l.count, &zone, &q, 1, GT_DENY_NODATA, &res), GT_DSEC_OK,
          "f ENT NODATA");
    check(gt_nsec_prove(l.rrs, l.count, &zone, &q, 1, GT_DENY_NXDOMAIN, &res), GT_DSEC_NAME_EXISTS,
          "f ENT NXDOMAIN");
    q = name_of("d.example.");
    check(gt_nsec_prove(l.rrs, l.count, &zone, &q, GT_TYPE_DS, GT_DENY_NO_DS, &res),
          GT_DSEC_INSECURE, "d no DS");
    check(gt_nsec_prove(l.rrs, l.count, &zone, &q, GT_TYPE_A, GT_DENY_NODATA, &res),
          GT_DSEC_NO_PROOF, "d A at a delegation");
    q = name_of("x.d.example.");
    check(gt_nsec_prove(l.rrs, l.count, &zone, &q, 1, GT_DENY_NXDOMAIN, &res), GT_DSEC_NO_PROOF,
          "below the delegation d");
    q = name_of("b.example.");
    check(gt_nsec_prove(l.rrs, l.count, &zone, &q, GT_TYPE_DS, GT_DENY_NO_DS, &res),
          GT_DSEC_NO_PROOF, "b is no delegation");
    check(gt_nsec_prove(l.rrs, l.count, &zone, &q, GT_TYPE_A, GT_DENY_NODATA, &res),
          GT_DSEC_TYPE_EXISTS, "b A exists");
    GT_CHECK(strlen(res.detail) > 0);
    gt_rrlist_free(&l);
}

/* Wildcard answers need a proof that no closer name exists (RFC 4035 5.3.4, RFC 5155 8.8). */
static void test_wildcard_proofs(void)
{
    gt_rrlist l = {0};
    gt_name zone = name_of("example.");
    gt_dsec_result res;

    nsec_chain(&l);
    /* x.f.example. from *.f.example. (RRSIG labels 2): next closer x.f covered by *.f -> h. */
    gt_name q = name_of("x.f.example.");
    check(gt_nsec_prove_wildcard(l.rrs, l.count, &zone, &q, 2, &res), GT_DSEC_OK, "x.f from *.f");
    check(gt_nsec_prove_wildcard(l.rrs, 3, &zone, &q, 2, &res), GT_DSEC_NO_PROOF,
          "x.f without the NSEC covering it");
    GT_CHECK(strstr(res.detail, "next closer") != NULL);
    /* a.b.example. claimed from *.example. (labels 1): b exists, the expansion is a lie. */
    q = name_of("a.b.example.");
    check(gt_nsec_prove_wildcard(l.rrs, l.count, &zone, &q, 1, &res), GT_DSEC_NAME_EXISTS,
          "a.b from *.example with b present");
    /* y.x.f.example. from *.f (labels 2): the next closer x.f is covered as well. */
    q = name_of("y.x.f.example.");
    check(gt_nsec_prove_wildcard(l.rrs, l.count, &zone, &q, 2, &res), GT_DSEC_OK, "y.x.f from *.f");
    check(gt_nsec_prove_wildcard(l.rrs, l.count, &zone, &q, 4, &res), GT_DSEC_NO_PROOF,
          "labels not below the owner's");
    gt_rrlist_free(&l);

    /* RFC 5155 B.6: a.z.w.example. MX from *.w.example. (labels 2); the NSEC3 of ns2.example.
     * (q04j...) covers the next closer z.w.example. up to *.w.example. (r53b...). */
    add(&l, "q04jkcevqvmu85r014c7dkba38o0ji5r.example. IN NSEC3 1 1 12 aabbccdd "
            "r53bq7cc2uvmubfu5ocmm6pers9tk9en A RRSIG");
    add(&l, "b4um86eghhds6nea196smvmlo4ors995.example. IN NSEC3 1 1 12 aabbccdd "
            "gjeqe526plbf1g8mklp59enfd789njgi MX RRSIG");
    q = name_of("a.z.w.example.");
    check(gt_nsec3_prove_wildcard(l.rrs, l.count, &zone, &q, 2, &res), GT_DSEC_OK, "RFC 5155 B.6");
    check(gt_nsec3_prove_wildcard(l.rrs + 1, 1, &zone, &q, 2, &res), GT_DSEC_NO_PROOF,
          "RFC 5155 B.6 without the covering NSEC3");
    /* a.x.w.example. from *.w.example.: x.w.example. (b4um...) exists. */
    q = name_of("a.x.w.example.");
    check(gt_nsec3_prove_wildcard(l.rrs, l.count, &zone, &q, 2, &res), GT_DSEC_NAME_EXISTS,
          "a.x.w from *.w with x.w present");
    gt_rrlist_free(&l);
    add(&l, "q04jkcevqvmu85r014c7dkba38o0ji5r.example. IN NSEC3 1 1 151 aabbccdd "
            "r53bq7cc2uvmubfu5ocmm6pers9tk9en A RRSIG");
    q = name_of("a.z.w.example.");
    check(gt_nsec3_prove_wildcard(l.rrs, l.count, &zone, &q, 2, &res), GT_DSEC_ITERATIONS,
          "wildcard proof with 151 iterations");
    gt_rrlist_free(&l);
}

static void test_nsec3_limits(void)
{
    gt_rrlist l = {0};
    gt_name zone = name_of("example."), q = name_of("a.example.");
    gt_dsec_result res;
    gt_nsec3 n3;

    /* Records shaped like RFC 5155 appendix B.1 (hashes of appendix A), iterations 151. */
    add(&l, "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example. IN NSEC3 1 1 151 aabbccdd "
            "2t7b4g4vsa5smi47k61mv5bv1a22bojr MX DNSKEY NS SOA NSEC3PARAM RRSIG");
    GT_CHECK_INT(gt_nsec3_parse(l.rrs[0].rdata, l.rrs[0].rdlen, &n3), GT_DSEC_OK);
    GT_CHECK_INT(n3.iterations, 151);
    GT_CHECK_INT(n3.flags, 1);
    GT_CHECK_INT(n3.saltlen, 4);
    GT_CHECK_INT(n3.nextlen, 20);
    check(gt_nsec3_prove(l.rrs, l.count, &zone, &q, 1, GT_DENY_NXDOMAIN, &res), GT_DSEC_ITERATIONS,
          "151 iterations");
    GT_CHECK(strstr(res.detail, "RFC 9276") != NULL);
    gt_rrlist_free(&l);
    /* With 12 iterations they prove NXDOMAIN for a.c.x.w.example: the closest encloser
     * x.w.example matched, c.x.w.example and *.x.w.example covered (RFC 5155 B.1). */
    add(&l, "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example. IN NSEC3 1 1 12 aabbccdd "
            "2t7b4g4vsa5smi47k61mv5bv1a22bojr MX DNSKEY NS SOA NSEC3PARAM RRSIG");
    add(&l, "b4um86eghhds6nea196smvmlo4ors995.example. IN NSEC3 1 1 12 aabbccdd "
            "gjeqe526plbf1g8mklp59enfd789njgi MX RRSIG");
    add(&l, "35mthgpgcu1qg68fab165klnsnk3dpvl.example. IN NSEC3 1 1 12 aabbccdd "
            "b4um86eghhds6nea196smvmlo4ors995 NS DS RRSIG");
    q = name_of("a.c.x.w.example.");
    check(gt_nsec3_prove(l.rrs, l.count, &zone, &q, 1, GT_DENY_NXDOMAIN, &res), GT_DSEC_OK,
          "RFC 5155 B.1");
    check(gt_nsec3_prove(l.rrs, 2, &zone, &q, 1, GT_DENY_NXDOMAIN, &res), GT_DSEC_NO_PROOF,
          "RFC 5155 B.1 without the wildcard's cover");
    /* Malformed NSEC3 RDATA: salt running past the end. */
    static const uint8_t bad[] = {1, 0, 0, 0, 9, 1, 2};
    GT_CHECK_INT(gt_nsec3_parse(bad, sizeof(bad), &n3), GT_DSEC_MALFORMED);
    gt_rrlist_free(&l);
}

int main(void)
{
    test_bitmap();
    test_nsec3_hash();
    test_nsec_proofs();
    test_nsec3_limits();
    test_wildcard_proofs();
    return gt_test_done();
}
