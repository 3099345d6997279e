/* Unit tests of RDATA presentation output and input. */
#include <stdint.h>
#include <string.h>

#include "gluetrace/dnssec/rrtext.h"
#include "gluetrace/wire/rdata.h"
#include "gluetrace/wire/wire.h"
#include "tap.h"

/** gt_rdata_to_str into a static buffer; "" when it returned 0. */
static const char *show(uint16_t type, const void *rdata, size_t rdlen)
{
    static char buf[1024];

    if (gt_rdata_to_str(type, rdata, rdlen, buf, sizeof(buf)) == 0) {
        buf[0] = '\0';
    }
    return buf;
}

/** Text -> wire -> text. */
static const char *round_trip(uint16_t type, const char *text)
{
    uint8_t wire[1024];
    size_t len = 0;

    if (gt_rdata_from_str(type, text, wire, sizeof(wire), &len) != GT_OK) {
        return "(from_str failed)";
    }
    return show(type, wire, len);
}

static void test_to_str(void)
{
    static const uint8_t soa[] = "\3ns1\7example\3com\0\12hostmaster\7example\3com\0"
                                 "\x78\xa3\xf1\x75" /* 2024010101 */
                                 "\0\0\x1c\x20"     /* 7200 */
                                 "\0\0\x0e\x10"     /* 3600 */
                                 "\0\x12\x75\0"     /* 1209600 */
                                 "\0\0\x01\x2c";    /* 300 */
    static const uint8_t txt[] = "\15hello \"world\"\6a\\b\1\177x\0";
    static const uint8_t srv[] = "\0\12\0\5\x14\x95\4sip1\7example\3com\0";
    static const uint8_t ds[] = "\x4e\x20\10\2\xde\xad\xbe\xef";
    static const uint8_t dnskey[] = "\1\1\3\15foob";
    static const uint8_t caa[] = "\0\5issueletsencrypt.org";
    static const uint8_t hostile_ns[] = "\4a\033b\n\3com\0";
    char small[8];

    GT_CHECK_STR(show(GT_TYPE_A, "\xC0\0\2\1", 4), "192.0.2.1");
    GT_CHECK_STR(show(GT_TYPE_AAAA, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\1", 16), "2001:db8::1");
    GT_CHECK_STR(show(GT_TYPE_NS, "\3ns1\7example\3com\0", 17), "ns1.example.com.");
    GT_CHECK_STR(show(GT_TYPE_CNAME, "\0", 1), ".");
    GT_CHECK_STR(show(GT_TYPE_PTR, "\3www\7example\3com\0", 17), "www.example.com.");
    GT_CHECK_STR(show(GT_TYPE_MX, "\0\12\2mx\7example\3com\0", 18), "10 mx.example.com.");
    GT_CHECK_STR(show(GT_TYPE_SOA, soa, sizeof(soa) - 1),
                 "ns1.example.com. hostmaster.example.com. 2024010101 7200 3600 1209600 300");
    GT_CHECK_STR(show(GT_TYPE_TXT, txt, sizeof(txt) - 1),
                 "\"hello \\\"world\\\"\" \"a\\\\b\\001\\127x\" \"\"");
    GT_CHECK_STR(show(GT_TYPE_SRV, srv, sizeof(srv) - 1), "10 5 5269 sip1.example.com.");
    GT_CHECK_STR(show(GT_TYPE_DS, ds, sizeof(ds) - 1), "20000 8 2 DEADBEEF");
    GT_CHECK_STR(show(GT_TYPE_DNSKEY, dnskey, sizeof(dnskey) - 1), "257 3 13 Zm9vYg==");
    GT_CHECK_STR(show(GT_TYPE_CAA, caa, sizeof(caa) - 1), "0 issue \"letsencrypt.org\"");
    /* Names from a hostile server are escaped, never raw control bytes. */
    GT_CHECK_STR(show(GT_TYPE_NS, hostile_ns, sizeof(hostile_ns) - 1), "a\\027b\\010.com.");

    /* Unknown types in RFC 3597 form. */
    GT_CHECK_STR(show(65280, "\x0a\x0b", 2), "\\# 2 0A0B");
    GT_CHECK_STR(show(65280, "", 0), "\\# 0");
    GT_CHECK_STR(show(GT_TYPE_RRSIG, "\xff", 1), ""); /* cut short: the caller's fallback */
    GT_CHECK_INT(gt_rdata_to_generic_str((const uint8_t *)"\1\2\3", 3, small, sizeof(small)), 0);
    GT_CHECK_INT(gt_rdata_to_generic_str((const uint8_t *)"\1", 1, small, sizeof(small)), 7);
    GT_CHECK_STR(small, "\\# 1 01");

    /* RDATA inconsistent with its type gives 0 (the caller falls back to RFC 3597). */
    GT_CHECK_STR(show(GT_TYPE_A, "\1\2\3", 3), "");
    GT_CHECK_STR(show(GT_TYPE_AAAA, "\1\2\3\4", 4), "");
    GT_CHECK_STR(show(GT_TYPE_NS, "\3ns1\0\0", 6), "");        /* trailing byte */
    GT_CHECK_STR(show(GT_TYPE_NS, "\3ns1", 4), "");            /* no root label */
    GT_CHECK_STR(show(GT_TYPE_NS, "\xC0\0", 2), "");           /* pointer in plain RDATA */
    GT_CHECK_STR(show(GT_TYPE_MX, "\0\12", 2), "");            /* no exchange */
    GT_CHECK_STR(show(GT_TYPE_SOA, soa, sizeof(soa) - 2), ""); /* minimum cut short */
    GT_CHECK_STR(show(GT_TYPE_TXT, "\5abc", 4), "");           /* string past the end */
    GT_CHECK_STR(show(GT_TYPE_TXT, "", 0), "");
    GT_CHECK_STR(show(GT_TYPE_DS, "\1\2\3\4", 4), "");
    GT_CHECK_STR(show(GT_TYPE_CAA, "\0\0", 2), "");    /* empty tag */
    GT_CHECK_STR(show(GT_TYPE_CAA, "\0\2i-x", 4), ""); /* tag not alphanumeric */

    /* Output buffer too small. */
    GT_CHECK_INT(gt_rdata_to_str(GT_TYPE_A, (const uint8_t *)"\xC0\0\2\1", 4, small, 8), 0);
    GT_CHECK_INT(gt_rdata_to_str(GT_TYPE_A, (const uint8_t *)"\1\2\3\4", 4, small, 8), 7);
    GT_CHECK_STR(small, "1.2.3.4");
}

static void test_rdata_name(void)
{
    gt_name n, want;
    static const uint8_t soa[] = "\3ns1\0\3dns\0\0\0\0\1\0\0\0\2\0\0\0\3\0\0\0\4\0\0\0\5";

    GT_CHECK_INT(gt_rdata_name(GT_TYPE_NS, (const uint8_t *)"\3ns1\3net\0", 9, &n), GT_OK);
    GT_CHECK_INT(gt_name_from_str(&want, "ns1.net"), GT_OK);
    GT_CHECK(gt_name_eq(&n, &want));
    GT_CHECK_INT(gt_rdata_name(GT_TYPE_MX, (const uint8_t *)"\0\5\3ns1\3net\0", 11, &n), GT_OK);
    GT_CHECK(gt_name_eq(&n, &want));
    GT_CHECK_INT(gt_rdata_name(GT_TYPE_SRV, (const uint8_t *)"\0\1\0\2\0\3\3ns1\3net\0", 15, &n),
                 GT_OK);
    GT_CHECK(gt_name_eq(&n, &want));
    GT_CHECK_INT(gt_rdata_name(GT_TYPE_SOA, soa, sizeof(soa) - 1, &n), GT_OK);
    GT_CHECK_INT(gt_name_from_str(&want, "ns1"), GT_OK);
    GT_CHECK(gt_name_eq(&n, &want));
    GT_CHECK_INT(gt_rdata_name(GT_TYPE_SOA, soa, sizeof(soa) - 2, &n), GT_EMALFORMED);
    GT_CHECK_INT(gt_rdata_name(GT_TYPE_A, (const uint8_t *)"\1\2\3\4", 4, &n), GT_EINVAL);
    GT_CHECK_INT(gt_rdata_name(GT_TYPE_NS, (const uint8_t *)"\3ns1\0\0", 6, &n), GT_EMALFORMED);
    GT_CHECK_INT(gt_rdata_name(GT_TYPE_MX, (const uint8_t *)"\0", 1, &n), GT_EMALFORMED);
    GT_CHECK_INT(n.len, 1);
}

static void test_from_str(void)
{
    uint8_t wire[600];
    size_t len = 99;
    char long_txt[300];

    GT_CHECK_STR(round_trip(GT_TYPE_A, "192.0.2.1"), "192.0.2.1");
    GT_CHECK_STR(round_trip(GT_TYPE_AAAA, "2001:DB8:0:0::1"), "2001:db8::1");
    GT_CHECK_STR(round_trip(GT_TYPE_NS, "ns1.Example.com"), "ns1.Example.com.");
    GT_CHECK_STR(round_trip(GT_TYPE_CNAME, "  a\\.b.example. "), "a\\.b.example.");
    GT_CHECK_STR(round_trip(GT_TYPE_PTR, "."), ".");
    GT_CHECK_STR(round_trip(GT_TYPE_DNAME, "example.net."), "example.net.");
    GT_CHECK_STR(round_trip(GT_TYPE_MX, "10\tmx.example.com."), "10 mx.example.com.");
    GT_CHECK_STR(round_trip(GT_TYPE_SOA, "a.root-servers.net. nstld.verisign-grs.com. "
                                         "2024111801 1800 900 604800 86400"),
                 "a.root-servers.net. nstld.verisign-grs.com. 2024111801 1800 900 604800 86400");
    GT_CHECK_STR(round_trip(GT_TYPE_TXT, "\"hello world\" \"x\\\"y\" bare \"\\065\\009\""),
                 "\"hello world\" \"x\\\"y\" \"bare\" \"A\\009\"");
    GT_CHECK_STR(round_trip(GT_TYPE_TXT, "\"\""), "\"\"");
    GT_CHECK_STR(round_trip(GT_TYPE_SRV, "0 5 443 svc.example."), "0 5 443 svc.example.");
    GT_CHECK_STR(round_trip(GT_TYPE_A, "\\# 4 C0000201"), "192.0.2.1");
    GT_CHECK_STR(round_trip(65280, "\\# 3 0a 0B0c"), "\\# 3 0A0B0C");

    GT_CHECK_INT(gt_rdata_from_str(GT_TYPE_MX, "10 mx.example.com.", wire, sizeof(wire), &len),
                 GT_OK);
    GT_CHECK_INT(len, 18);
    GT_CHECK(memcmp(wire, "\0\12\2mx\7example\3com\0", 18) == 0);
    GT_CHECK_INT(gt_rdata_from_str(GT_TYPE_TXT, "a \"b c\"", wire, sizeof(wire), &len), GT_OK);
    GT_CHECK_INT(len, 6);
    GT_CHECK(memcmp(wire, "\1a\3b c", 6) == 0);

    /* Errors. */
    GT_CHECK_INT(gt_rdata_from_str(GT_TYPE_A, "1.2.3", wire, sizeof(wire), &len), GT_EINVAL);
    GT_CHECK_INT(len, 0);
    GT_CHECK_INT(gt_rdata_from_str(GT_TYPE_A, "2001:db8::1", wire, sizeof(wire), &len), GT_EINVAL);
    GT_CHECK_INT(gt_rdata_from_str(GT_TYPE_AAAA, "192.0.2.1", wire, sizeof(wire), &len), GT_EINVAL);
    GT_CHECK_INT(gt_rdata_from_str(GT_TYPE_A, "192.0.2.1 x", wire, sizeof(wire), &len), GT_EINVAL);
    GT_CHECK_INT(gt_rdata_from_str(GT_TYPE_A, "", wire, sizeof(wire), &len), GT_EINVAL);
    GT_CHECK_INT(gt_rdata_from_str(GT_TYPE_NS, "a..b", wire, sizeof(wire), &len), GT_EINVAL);
    GT_CHECK_INT(gt_rdata_from_str(GT_TYPE_NS, "a b", wire, sizeof(wire), &len), GT_EINVAL);
    GT_CHECK_INT(gt_rdata_from_str(GT_TYPE_NS, "\"a\"", wire, sizeof(wire), &len), GT_EINVAL);
    GT_CHECK_INT(gt_rdata_from_str(GT_TYPE_MX, "70000 mx.", wire, sizeof(wire), &len), GT_EINVAL);
    GT_CHECK_INT(gt_rdata_from_str(GT_TYPE_MX, "-1 mx.", wire, sizeof(wire), &len), GT_EINVAL);
    GT_CHECK_INT(gt_rdata_from_str(GT_TYPE_MX, "10", wire, sizeof(wire), &len), GT_EINVAL);
    GT_CHECK_INT(gt_rdata_from_str(GT_TYPE_SOA, "a. b. 1 2 3 4", wire, sizeof(wire), &len),
                 GT_EINVAL);
    GT_CHECK_INT(
        gt_rdata_from_str(GT_TYPE_SOA, "a. b. 1 2 3 4 4294967296", wire, sizeof(wire), &len),
        GT_EINVAL);
    GT_CHECK_INT(gt_rdata_from_str(GT_TYPE_TXT, "\"open", wire, sizeof(wire), &len), GT_EINVAL);
    GT_CHECK_INT(gt_rdata_from_str(GT_TYPE_TXT, "\"a\"b", wire, sizeof(wire), &len), GT_EINVAL);
    GT_CHECK_INT(gt_rdata_from_str(GT_TYPE_TXT, "a\\", wire, sizeof(wire), &len), GT_EINVAL);
    GT_CHECK_INT(gt_rdata_from_str(GT_TYPE_TXT, "\\300", wire, sizeof(wire), &len), GT_EINVAL);
    memset(long_txt, 'z', 256);
    long_txt[256] = '\0';
    GT_CHECK_INT(gt_rdata_from_str(GT_TYPE_TXT, long_txt, wire, sizeof(wire), &len), GT_EINVAL);
    long_txt[255] = '\0';
    GT_CHECK_INT(gt_rdata_from_str(GT_TYPE_TXT, long_txt, wire, sizeof(wire), &len), GT_OK);
    GT_CHECK_INT(len, 256);
    GT_CHECK_INT(gt_rdata_from_str(GT_TYPE_DS, "1 2 3 AB", wire, sizeof(wire), &len), GT_EINVAL);
    GT_CHECK_INT(gt_rdata_from_str(GT_TYPE_A, "\\# 3 C00002", wire, sizeof(wire), &len), GT_EINVAL);
    GT_CHECK_INT(gt_rdata_from_str(65280, "\\# 2 0A", wire, sizeof(wire), &len), GT_EINVAL);
    GT_CHECK_INT(gt_rdata_from_str(65280, "\\# 1 0G", wire, sizeof(wire), &len), GT_EINVAL);
    GT_CHECK_INT(gt_rdata_from_str(GT_TYPE_NS, "ns1.example.com.", wire, 16, &len), GT_ESPACE);
    GT_CHECK_INT(len, 0);
    GT_CHECK_INT(gt_rdata_from_str(GT_TYPE_NS, "ns1.example.com.", wire, 17, &len), GT_OK);
    GT_CHECK_INT(len, 17);
}

static void test_decompress(void)
{
    /* Message bytes: "example.com" at 0, then an MX RDATA at 13 pointing back to it. */
    static const uint8_t msg[] = "\7example\3com\0"
                                 "\0\12\4mail\xC0\0";
    uint8_t out[64];
    size_t len = 99;

    GT_CHECK_INT(gt_rdata_decompress(GT_TYPE_MX, msg, 22, 13, 9, NULL, 0, &len), GT_OK);
    GT_CHECK_INT(len, 2 + 5 + 13);
    GT_CHECK_INT(gt_rdata_decompress(GT_TYPE_MX, msg, 22, 13, 9, out, sizeof(out), &len), GT_OK);
    GT_CHECK(memcmp(out, "\0\12\4mail\7example\3com\0", 20) == 0);
    GT_CHECK_INT(gt_rdata_decompress(GT_TYPE_MX, msg, 22, 13, 9, out, 19, &len), GT_ESPACE);
    GT_CHECK_INT(gt_rdata_decompress(GT_TYPE_MX, msg, 22, 13, 10, NULL, 0, &len), GT_EMALFORMED);
    GT_CHECK_INT(gt_rdata_decompress(GT_TYPE_MX, msg, 22, 13, 8, NULL, 0, &len), GT_EMALFORMED);
    GT_CHECK_INT(len, 0);
    /* Unknown types are copied as they are, pointer-looking bytes included. */
    GT_CHECK_INT(gt_rdata_decompress(65280, msg, 22, 20, 2, out, sizeof(out), &len), GT_OK);
    GT_CHECK_INT(len, 2);
    GT_CHECK(out[0] == 0xC0 && out[1] == 0);
}

/*
 * DNSSEC records as dig +dnssec prints them: record lines dig 9.18 printed in the lab (dig
 * +trace +dnssec), read back with the presentation reader of the dnssec layer, printed again
 * in dig's style must give dig's RDATA text exactly; the zone style keeps blobs whole.
 */
static void test_dnssec_text(void)
{
    static const struct {
        const char *line; /* as dig printed it, tabs collapsed */
        const char *rdata;
    } dig[] = {
        {"example. 86400 IN DS 33578 13 2 "
         "009E4130335A23A08421DE264AD2F92C1179EA827DD8D7FCC51EB2CB 5879F40B",
         "33578 13 2 009E4130335A23A08421DE264AD2F92C1179EA827DD8D7FCC51EB2CB 5879F40B"},
        {"secure.example. 86400 IN RRSIG DS 13 2 86400 20261227125227 20261127125227 37166 "
         "example. 8gDL8ZXBGg5i/0Q7KPwO64SeLwNIbuzrG0qLwpWeNhNvbejm7HEB3XPL "
         "xbhZPyYYhZNZWZCoCuGxFzHg072GEA==",
         "DS 13 2 86400 20261227125227 20261127125227 37166 example. "
         "8gDL8ZXBGg5i/0Q7KPwO64SeLwNIbuzrG0qLwpWeNhNvbejm7HEB3XPL "
         "xbhZPyYYhZNZWZCoCuGxFzHg072GEA=="},
        {"5u2i2h5co0ebb4r9hipbku7pea6ggpsv.test. 86400 IN NSEC3 1 1 0 - "
         "E71E40QDF0VC473GI6O2TVPGEKRFFM0H NS SOA RRSIG DNSKEY NSEC3PARAM",
         "1 1 0 - E71E40QDF0VC473GI6O2TVPGEKRFFM0H NS SOA RRSIG DNSKEY NSEC3PARAM"},
        {"e71e40qdf0vc473gi6o2tvpgekrffm0h.test. 86400 IN NSEC3 1 1 0 - "
         "Q7EFGI8BA91IKH4PPJVNMOC2CUJ0MJ32",
         "1 1 0 - Q7EFGI8BA91IKH4PPJVNMOC2CUJ0MJ32"},
        {"test. 0 IN NSEC3PARAM 1 0 0 -", "1 0 0 -"},
        {"example. 86400 IN NSEC a.example. NS SOA RRSIG NSEC DNSKEY TYPE65534",
         "a.example. NS SOA RRSIG NSEC DNSKEY TYPE65534"},
        {"x.test. 60 IN NSEC3 1 0 10 AABBCC Q7EFGI8BA91IKH4PPJVNMOC2CUJ0MJ32 A",
         "1 0 10 AABBCC Q7EFGI8BA91IKH4PPJVNMOC2CUJ0MJ32 A"},
    };
    char text[2048], err[128];

    for (size_t i = 0; i < sizeof(dig) / sizeof(dig[0]); i++) {
        gt_rr rr;
        if (gt_rr_from_text(dig[i].line, &rr, err, sizeof(err)) != GT_OK) {
            fprintf(stderr, "cannot read %s: %s\n", dig[i].line, err);
            GT_CHECK(0);
            continue;
        }
        GT_CHECK(gt_rr_data_text(&rr, GT_RDATA_DIG, text, sizeof(text)) > 0);
        GT_CHECK_STR(text, dig[i].rdata);
        /* the zone style: the same words, except that no blob is broken */
        GT_CHECK(gt_rr_data_str(&rr, text, sizeof(text)) > 0);
        if (rr.type == GT_TYPE_DS) {
            GT_CHECK_STR(text, "33578 13 2 009E4130335A23A08421DE264AD2F92C1179EA827DD8D7FCC51EB2CB"
                               "5879F40B");
        }
        if (rr.type == GT_TYPE_RRSIG) {
            GT_CHECK(strstr(text, "A== ") == NULL && strstr(text, "XPL xbh") == NULL);
            GT_CHECK(strstr(text, "XPLxbh") != NULL);
        }
        gt_rr_free_rdata(&rr);
    }

    /* RRSIG times: the epoch, a leap day, the last second gt_rdata can say (2106) */
    static const uint8_t sig[] = "\0\1\10\2\0\0\x0e\x10"
                                 "\xff\xff\xff\xff" /* expiration 4294967295 */
                                 "\x38\x6d\x43\x80" /* inception 946684800 = 2000-01-01 */
                                 "\x30\x39\7example\0\1\2\3";
    GT_CHECK_STR(show(GT_TYPE_RRSIG, sig, sizeof(sig) - 1),
                 "A 8 2 3600 21060207062815 20000101000000 12345 example. AQID");
    static const uint8_t leap[] = "\0\1\10\2\0\0\x0e\x10"
                                  "\x65\xe0\xd6\x7f" /* 1709233791 = 2024-02-29 19:09:51 */
                                  "\0\0\0\0\0\1\1x\0\xff";
    GT_CHECK_STR(show(GT_TYPE_RRSIG, leap, sizeof(leap) - 1),
                 "A 8 2 3600 20240229190951 19700101000000 1 x. /w==");
    /* malformed: no signature, a bitmap window out of order, a window of 33 bytes */
    GT_CHECK_STR(show(GT_TYPE_RRSIG, sig, 27), "");
    GT_CHECK_STR(show(GT_TYPE_NSEC, "\1a\0\1\1\x40\0\1\x40", 9), "");
    static const uint8_t wide[] = "\1a\0\0\x21";
    GT_CHECK_STR(show(GT_TYPE_NSEC, wide, sizeof(wide) - 1), "");
    GT_CHECK_STR(show(GT_TYPE_NSEC3, "\1\0\0\0\0\0", 6), "");        /* empty next hash */
    GT_CHECK_STR(show(GT_TYPE_NSEC3PARAM, "\1\0\0\0\2\xaa", 6), ""); /* salt cut short */
    /* dig's words of 56 characters: a 64-byte digest is 128 hex digits, 3 words */
    uint8_t ds[4 + 64];
    memset(ds, 0xab, sizeof(ds));
    gt_rdata_to_text(GT_TYPE_DS, ds, sizeof(ds), GT_RDATA_DIG, text, sizeof(text));
    GT_CHECK_INT(strlen(text), strlen("43947 171 171 ") + 128 + 2);
    GT_CHECK(text[strlen("43947 171 171 ") + 56] == ' ' &&
             text[strlen("43947 171 171 ") + 113] == ' ');
}

int main(void)
{
    test_to_str();
    test_rdata_name();
    test_from_str();
    test_decompress();
    test_dnssec_text();
    return gt_test_done();
}
