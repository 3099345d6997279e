/* Unit tests of the wire module: cursor, names, message parser, writer and query builder. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gluetrace/wire/rdata.h"
#include "gluetrace/wire/wire.h"
#include "msgbuild.h"
#include "tap.h"

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                     */
/* ------------------------------------------------------------------------------------------ */

static gt_name name_of(const char *s)
{
    gt_name n;

    if (gt_name_from_str(&n, s) != GT_OK) {
        fprintf(stderr, "test setup: bad name %s\n", s);
        gt_name_root(&n);
    }
    return n;
}

static void put_name(gt_wbuf *w, const char *s)
{
    gt_name n = name_of(s);

    gt_wbuf_name(w, &n);
}

/** A compression pointer to message offset @p off. */
static void put_ptr(gt_wbuf *w, size_t off)
{
    gt_wbuf_u16(w, (uint16_t)(0xC000u | off));
}

static void put_header(gt_wbuf *w, uint16_t id, uint8_t f1, uint8_t f2, uint16_t qd, uint16_t an,
                       uint16_t ns, uint16_t ar)
{
    gt_wbuf_u16(w, id);
    gt_wbuf_u8(w, f1);
    gt_wbuf_u8(w, f2);
    gt_wbuf_u16(w, qd);
    gt_wbuf_u16(w, an);
    gt_wbuf_u16(w, ns);
    gt_wbuf_u16(w, ar);
}

/** TYPE CLASS TTL RDLENGTH after an owner name. */
static void put_rr_fixed(gt_wbuf *w, uint16_t type, uint16_t cls, uint32_t ttl, uint16_t rdlen)
{
    gt_wbuf_u16(w, type);
    gt_wbuf_u16(w, cls);
    gt_wbuf_u32(w, ttl);
    gt_wbuf_u16(w, rdlen);
}

/** Parse @p len bytes from an exact-size heap copy, so ASan sees any over-read. */
static gt_status parse_copy(const uint8_t *buf, size_t len, gt_msg **out)
{
    uint8_t *copy = malloc(len > 0 ? len : 1);
    gt_status st;

    if (copy == NULL) {
        *out = NULL;
        return GT_ENOMEM;
    }
    if (len > 0) {
        memcpy(copy, buf, len);
    }
    st = gt_msg_parse(copy, len, out);
    memset(copy, 0xAA, len); /* the message must not keep pointers into the input */
    free(copy);
    return st;
}

/** Read a name at @p at from the message @p buf of @p len bytes; returns the cursor status. */
static gt_status read_name_at(const uint8_t *buf, size_t len, size_t at, gt_name *out, size_t *end)
{
    gt_cursor c;

    gt_cursor_init(&c, buf, len);
    c.pos = at;
    gt_cursor_name(&c, out);
    if (end != NULL) {
        *end = c.pos;
    }
    return c.err;
}

static bool rdata_name_is(const gt_rr *rr, const char *want)
{
    gt_name got, exp = name_of(want);

    return gt_rdata_name(rr->type, rr->rdata, rr->rdlen, &got) == GT_OK && gt_name_eq(&got, &exp) &&
           got.len == exp.len;
}

/* ------------------------------------------------------------------------------------------ */
/* Cursor                                                                                      */
/* ------------------------------------------------------------------------------------------ */

static void test_cursor(void)
{
    const uint8_t data[] = {0x12, 0x34, 0x56, 0x78, 0x9A};
    uint8_t out[4] = {1, 2, 3, 4};
    gt_cursor c;

    gt_cursor_init(&c, data, sizeof(data));
    GT_CHECK_INT(gt_cursor_left(&c), 5);
    GT_CHECK_INT(gt_cursor_u32(&c), 0x12345678);
    GT_CHECK_INT(gt_cursor_left(&c), 1);
    GT_CHECK_INT(gt_cursor_u16(&c), 0); /* only one byte left */
    GT_CHECK_INT(c.err, GT_EMALFORMED);
    GT_CHECK_INT(c.pos, 4);
    /* Sticky: the remaining byte is not readable any more. */
    GT_CHECK_INT(gt_cursor_u8(&c), 0);
    GT_CHECK_INT(c.pos, 4);
    GT_CHECK_INT(gt_cursor_left(&c), 0);
    gt_cursor_bytes(&c, out, sizeof(out));
    GT_CHECK(out[0] == 0 && out[3] == 0);

    gt_cursor_init(&c, data, sizeof(data));
    GT_CHECK_INT(gt_cursor_u8(&c), 0x12);
    GT_CHECK_INT(gt_cursor_u16(&c), 0x3456);
    gt_cursor_bytes(&c, out, 2);
    GT_CHECK(out[0] == 0x78 && out[1] == 0x9A);
    GT_CHECK_INT(c.err, GT_OK);
    GT_CHECK_INT(gt_cursor_left(&c), 0);
    gt_cursor_skip(&c, 0);
    GT_CHECK_INT(c.err, GT_OK);
    gt_cursor_skip(&c, 1);
    GT_CHECK_INT(c.err, GT_EMALFORMED);

    gt_cursor_init(&c, data, sizeof(data));
    gt_cursor_skip(&c, SIZE_MAX); /* no overflow in the bounds check */
    GT_CHECK_INT(c.err, GT_EMALFORMED);
    GT_CHECK_INT(c.pos, 0);

    gt_cursor_init(&c, data, 0);
    GT_CHECK_INT(gt_cursor_u8(&c), 0);
    GT_CHECK_INT(c.err, GT_EMALFORMED);
}

/* ------------------------------------------------------------------------------------------ */
/* Name decompression                                                                          */
/* ------------------------------------------------------------------------------------------ */

static void test_name_pointers(void)
{
    uint8_t buf[600];
    gt_wbuf w;
    gt_name n, want;
    size_t end;
    size_t base, p1;

    /* Valid: "example.com" at 12, "www" + pointer at 25. */
    memset(buf, 0, sizeof(buf));
    gt_wbuf_init(&w, buf, sizeof(buf));
    put_header(&w, 0, 0, 0, 0, 0, 0, 0);
    put_name(&w, "example.com");
    base = w.len;
    gt_wbuf_u8(&w, 3);
    gt_wbuf_bytes(&w, (const uint8_t *)"www", 3);
    put_ptr(&w, 12);
    gt_wbuf_u8(&w, 0xFF); /* something after the name */
    GT_CHECK_INT(read_name_at(buf, w.len, base, &n, &end), GT_OK);
    want = name_of("www.example.com.");
    GT_CHECK(gt_name_eq(&n, &want));
    GT_CHECK_INT(n.len, 17);
    GT_CHECK_INT(end, base + 6); /* continues right after the first pointer */
    GT_CHECK_INT(read_name_at(buf, w.len, 12, &n, &end), GT_OK);
    GT_CHECK_INT(end, 25);

    /* Pointer to a pointer (two jumps). */
    p1 = w.len;
    put_ptr(&w, base);
    GT_CHECK_INT(read_name_at(buf, w.len, p1, &n, &end), GT_OK);
    GT_CHECK(gt_name_eq(&n, &want));
    GT_CHECK_INT(end, p1 + 2);

    /* Self pointer. */
    gt_wbuf_init(&w, buf, sizeof(buf));
    put_header(&w, 0, 0, 0, 0, 0, 0, 0);
    put_ptr(&w, 12);
    GT_CHECK_INT(read_name_at(buf, w.len, 12, &n, NULL), GT_EMALFORMED);
    GT_CHECK_INT(n.len, 1); /* root on error */

    /* Forward pointer. */
    gt_wbuf_init(&w, buf, sizeof(buf));
    put_header(&w, 0, 0, 0, 0, 0, 0, 0);
    put_ptr(&w, 14);
    gt_wbuf_u8(&w, 0);
    GT_CHECK_INT(read_name_at(buf, w.len, 12, &n, NULL), GT_EMALFORMED);

    /* Loop: 14 -> 12 -> 14 (the second hop is forward). */
    gt_wbuf_init(&w, buf, sizeof(buf));
    put_header(&w, 0, 0, 0, 0, 0, 0, 0);
    put_ptr(&w, 14);
    put_ptr(&w, 12);
    GT_CHECK_INT(read_name_at(buf, w.len, 14, &n, NULL), GT_EMALFORMED);
    GT_CHECK_INT(read_name_at(buf, w.len, 12, &n, NULL), GT_EMALFORMED);

    /* Loop through a label: 12: "a" + pointer to 12. */
    gt_wbuf_init(&w, buf, sizeof(buf));
    put_header(&w, 0, 0, 0, 0, 0, 0, 0);
    gt_wbuf_u8(&w, 1);
    gt_wbuf_u8(&w, 'a');
    put_ptr(&w, 12);
    GT_CHECK_INT(read_name_at(buf, w.len, 12, &n, NULL), GT_EMALFORMED);

    /* Pointer out of the message, and a pointer cut in half. */
    gt_wbuf_init(&w, buf, sizeof(buf));
    put_header(&w, 0, 0, 0, 0, 0, 0, 0);
    gt_wbuf_u8(&w, 0xC0);
    GT_CHECK_INT(read_name_at(buf, w.len, 12, &n, NULL), GT_EMALFORMED);
    GT_CHECK_INT(read_name_at(buf, 12, 12, &n, NULL), GT_EMALFORMED);
}

/** Root at 12 followed by @p npointers pointers, each to the previous one. */
static size_t build_chain(uint8_t *buf, size_t cap, unsigned npointers, size_t *last)
{
    gt_wbuf w;
    size_t prev = 12;

    gt_wbuf_init(&w, buf, cap);
    put_header(&w, 0, 0, 0, 0, 0, 0, 0);
    gt_wbuf_u8(&w, 0);
    for (unsigned i = 0; i < npointers; i++) {
        size_t here = w.len;

        put_ptr(&w, prev);
        prev = here;
    }
    *last = prev;
    return w.err == GT_OK ? w.len : 0;
}

static void test_name_jump_cap(void)
{
    uint8_t buf[600];
    gt_name n;
    size_t len, last, end;

    len = build_chain(buf, sizeof(buf), GT_MAX_COMPRESSION_JUMPS, &last);
    GT_CHECK(len > 0);
    GT_CHECK_INT(read_name_at(buf, len, last, &n, &end), GT_OK);
    GT_CHECK_INT(n.len, 1);
    GT_CHECK_INT(end, last + 2);

    len = build_chain(buf, sizeof(buf), GT_MAX_COMPRESSION_JUMPS + 1, &last);
    GT_CHECK(len > 0);
    GT_CHECK_INT(read_name_at(buf, len, last, &n, NULL), GT_EMALFORMED);
}

/** Wire name made of labels of the given lengths (filled with 'a'), then the root. */
static size_t build_labels(uint8_t *buf, size_t cap, const unsigned *lens, size_t nlens)
{
    size_t o = 12;

    memset(buf, 0, 12);
    for (size_t i = 0; i < nlens; i++) {
        if (o + 1 + lens[i] >= cap) {
            return 0;
        }
        buf[o++] = (uint8_t)lens[i];
        memset(buf + o, 'a', lens[i]);
        o += lens[i];
    }
    buf[o++] = 0;
    return o;
}

static void test_name_limits(void)
{
    uint8_t buf[600];
    gt_name n;
    size_t len, end;
    const unsigned l63[] = {63};
    const unsigned n255[] = {63, 63, 63, 61}; /* 64+64+64+62+1 = 255 */
    const unsigned n256[] = {63, 63, 63, 62}; /* 256 */
    char text[GT_NAME_STRLEN];

    len = build_labels(buf, sizeof(buf), l63, 1);
    GT_CHECK_INT(read_name_at(buf, len, 12, &n, &end), GT_OK);
    GT_CHECK_INT(n.len, 65);
    GT_CHECK_INT(end, len);

    /* A length byte of 64 is label type 01 (reserved): rejected. */
    buf[12] = 64;
    memset(buf + 13, 'a', 64);
    buf[13 + 64] = 0;
    GT_CHECK_INT(read_name_at(buf, 13 + 65, 12, &n, NULL), GT_EMALFORMED);

    len = build_labels(buf, sizeof(buf), n255, 4);
    GT_CHECK_INT(read_name_at(buf, len, 12, &n, NULL), GT_OK);
    GT_CHECK_INT(n.len, 255);
    GT_CHECK_INT(gt_name_labels(&n), 4);
    GT_CHECK_INT(gt_name_to_str(&n, text, sizeof(text)), 250 + 4);

    len = build_labels(buf, sizeof(buf), n256, 4);
    GT_CHECK_INT(read_name_at(buf, len, 12, &n, NULL), GT_EMALFORMED);

    /* 255 bytes reached only through a pointer still counts. */
    len = build_labels(buf, sizeof(buf), n255 + 1, 3); /* 63,63,61 + root = 191 bytes at 12 */
    buf[len] = 63;
    memset(buf + len + 1, 'b', 63);
    buf[len + 64] = 0xC0;
    buf[len + 65] = 12;
    GT_CHECK_INT(read_name_at(buf, len + 66, len, &n, NULL), GT_OK);
    GT_CHECK_INT(n.len, 255);
    buf[len] = 62; /* shorter first label: still fine */
    buf[len + 63] = 0xC0;
    buf[len + 64] = 12;
    GT_CHECK_INT(read_name_at(buf, len + 65, len, &n, NULL), GT_OK);
    GT_CHECK_INT(n.len, 254);

    /* Reserved label types 01 and 10. */
    memset(buf, 0, 16);
    buf[12] = 0x40;
    GT_CHECK_INT(read_name_at(buf, 16, 12, &n, NULL), GT_EMALFORMED);
    buf[12] = 0x80;
    GT_CHECK_INT(read_name_at(buf, 16, 12, &n, NULL), GT_EMALFORMED);
    buf[12] = 0x41;
    GT_CHECK_INT(read_name_at(buf, 16, 12, &n, NULL), GT_EMALFORMED);

    /* A label running past the end. */
    buf[12] = 5;
    GT_CHECK_INT(read_name_at(buf, 16, 12, &n, NULL), GT_EMALFORMED);
    /* No terminating root label. */
    buf[12] = 3;
    GT_CHECK_INT(read_name_at(buf, 16, 12, &n, NULL), GT_EMALFORMED);
    buf[16] = 0;
    GT_CHECK_INT(read_name_at(buf, 17, 12, &n, NULL), GT_OK);
}

/* ------------------------------------------------------------------------------------------ */
/* Presentation format                                                                         */
/* ------------------------------------------------------------------------------------------ */

static void test_name_text(void)
{
    gt_name n, m;
    char s[GT_NAME_STRLEN];
    char big[600];
    const uint8_t hostile[] = {5, 0x1B, '[', '2', 'J', 0x07, 3, 'c', 'o', 'm', 0};

    GT_CHECK_INT(gt_name_from_str(&n, "."), GT_OK);
    GT_CHECK_INT(n.len, 1);
    GT_CHECK_INT(gt_name_to_str(&n, s, sizeof(s)), 1);
    GT_CHECK_STR(s, ".");

    GT_CHECK_INT(gt_name_from_str(&n, "www.Example.com"), GT_OK);
    GT_CHECK_INT(n.len, 17);
    GT_CHECK(memcmp(n.data, "\3www\7Example\3com\0", 17) == 0);
    GT_CHECK_INT(gt_name_to_str(&n, s, sizeof(s)), 16);
    GT_CHECK_STR(s, "www.Example.com.");
    GT_CHECK_INT(gt_name_from_str(&m, "www.Example.com."), GT_OK);
    GT_CHECK(gt_name_eq(&n, &m));

    /* A dot inside a label, a backslash, \DDD. */
    GT_CHECK_INT(gt_name_from_str(&n, "a\\.b.c\\\\d.\\065\\000"), GT_OK);
    GT_CHECK_INT(n.len, 12);
    GT_CHECK(memcmp(n.data, "\3a.b\3c\\d\2A\0\0", 12) == 0);
    gt_name_to_str(&n, s, sizeof(s));
    GT_CHECK_STR(s, "a\\.b.c\\\\d.A\\000.");
    GT_CHECK_INT(gt_name_from_str(&m, s), GT_OK);
    GT_CHECK(gt_name_eq(&n, &m) && n.len == m.len);

    /* Every special and control byte on output. */
    GT_CHECK_INT(gt_name_from_str(&n, "\\\"\\(\\)\\;\\@\\$\\032\\127\\255\\009.x"), GT_OK);
    gt_name_to_str(&n, s, sizeof(s));
    GT_CHECK_STR(s, "\\\"\\(\\)\\;\\@\\$\\032\\127\\255\\009.x.");
    GT_CHECK_INT(gt_name_from_str(&m, s), GT_OK);
    GT_CHECK(gt_name_eq(&n, &m));

    /* A hostile name must not write raw escape or bell bytes. */
    memcpy(n.data, hostile, sizeof(hostile));
    n.len = sizeof(hostile);
    gt_name_to_str(&n, s, sizeof(s));
    GT_CHECK_STR(s, "\\027[2J\\007.com.");
    GT_CHECK(strchr(s, 0x1B) == NULL && strchr(s, 0x07) == NULL);

    /* Malformed internal name: to_str refuses rather than over-reading. */
    n.len = 3;
    n.data[0] = 9;
    GT_CHECK_INT(gt_name_to_str(&n, s, sizeof(s)), 0);
    GT_CHECK_STR(s, "");

    /* Output buffer too small. */
    GT_CHECK_INT(gt_name_from_str(&n, "example.com"), GT_OK);
    GT_CHECK_INT(gt_name_to_str(&n, s, 12), 0);
    GT_CHECK_INT(gt_name_to_str(&n, s, 13), 12);

    /* Worst case fits GT_NAME_STRLEN: 250 payload bytes all written as \DDD, 4 dots. */
    n.len = 0;
    for (int l = 0; l < 4; l++) {
        unsigned ll = l < 3 ? 63 : 61;

        n.data[n.len++] = (uint8_t)ll;
        memset(n.data + n.len, 0x01, ll);
        n.len = (uint8_t)(n.len + ll);
    }
    n.data[n.len++] = 0;
    GT_CHECK_INT(n.len, 255);
    GT_CHECK_INT(gt_name_to_str(&n, s, sizeof(s)), 250 * 4 + 4);
    GT_CHECK_INT(gt_name_from_str(&m, s), GT_OK);
    GT_CHECK(gt_name_eq(&n, &m));

    /* Rejected input. */
    GT_CHECK_INT(gt_name_from_str(&n, ""), GT_EINVAL);
    GT_CHECK_INT(gt_name_from_str(&n, "a..b"), GT_EINVAL);
    GT_CHECK_INT(gt_name_from_str(&n, ".a"), GT_EINVAL);
    GT_CHECK_INT(gt_name_from_str(&n, "a.b.."), GT_EINVAL);
    GT_CHECK_INT(gt_name_from_str(&n, "a\\"), GT_EINVAL);
    GT_CHECK_INT(gt_name_from_str(&n, "a\\25"), GT_EINVAL);
    GT_CHECK_INT(gt_name_from_str(&n, "a\\256"), GT_EINVAL);
    GT_CHECK_INT(n.len, 1); /* root after an error */

    /* Label 63 ok, 64 rejected; 253 characters (255 bytes) ok, 254 rejected. */
    memset(big, 'x', 63);
    big[63] = '\0';
    GT_CHECK_INT(gt_name_from_str(&n, big), GT_OK);
    big[63] = 'x';
    big[64] = '\0';
    GT_CHECK_INT(gt_name_from_str(&n, big), GT_EINVAL);
    memset(big, 'y', 253);
    big[63] = big[127] = big[191] = '.';
    big[253] = '\0';
    GT_CHECK_INT(gt_name_from_str(&n, big), GT_OK);
    GT_CHECK_INT(n.len, 255);
    big[253] = '.'; /* trailing dot does not count */
    big[254] = '\0';
    GT_CHECK_INT(gt_name_from_str(&n, big), GT_OK);
    big[253] = 'y';
    GT_CHECK_INT(gt_name_from_str(&n, big), GT_EINVAL);
}

static void test_name_compare(void)
{
    gt_name a = name_of("WWW.Example.COM"), b = name_of("www.example.com.");
    gt_name zone = name_of("example.com"), other = name_of("notexample.com");
    gt_name root, com = name_of("com"), s;

    gt_name_root(&root);
    GT_CHECK(gt_name_eq(&a, &b));
    GT_CHECK(!gt_name_eq(&a, &zone));
    GT_CHECK(!gt_name_eq(&zone, &other));
    b = name_of("www.example.org");
    GT_CHECK(!gt_name_eq(&a, &b));

    GT_CHECK(gt_name_is_under(&a, &zone));
    GT_CHECK(gt_name_is_under(&zone, &zone));
    GT_CHECK(gt_name_is_under(&a, &root));
    GT_CHECK(gt_name_is_under(&root, &root));
    GT_CHECK(!gt_name_is_under(&other, &zone));
    GT_CHECK(!gt_name_is_under(&com, &zone));
    GT_CHECK(!gt_name_is_under(&root, &com));
    b = name_of("x.EXAMPLE.com");
    GT_CHECK(gt_name_is_under(&b, &zone));
    /* "a.b" as one label is not under "b". */
    b = name_of("a\\.example.com");
    GT_CHECK(gt_name_is_under(&b, &com));
    GT_CHECK(!gt_name_is_under(&b, &zone));

    GT_CHECK_INT(gt_name_labels(&root), 0);
    GT_CHECK_INT(gt_name_labels(&com), 1);
    GT_CHECK_INT(gt_name_labels(&a), 3);

    gt_name_suffix(&a, 1, &s);
    GT_CHECK(gt_name_eq(&s, &zone));
    gt_name_suffix(&a, 0, &s);
    GT_CHECK(gt_name_eq(&s, &a));
    gt_name_suffix(&a, 3, &s);
    GT_CHECK(gt_name_eq(&s, &root));
    gt_name_suffix(&a, 7, &s);
    GT_CHECK(gt_name_eq(&s, &root));
    s = a;
    gt_name_suffix(&s, 2, &s); /* in place */
    GT_CHECK(gt_name_eq(&s, &com));
}

/* ------------------------------------------------------------------------------------------ */
/* Message parser                                                                              */
/* ------------------------------------------------------------------------------------------ */

/**
 * Referral from a root server for www.example.com A: two com. NS (second one compressed into
 * the first's RDATA), glue A and AAAA, and an OPT RR.
 */
static size_t build_referral(uint8_t *buf, size_t cap)
{
    gt_wbuf w;
    size_t com_off, ns1_rdata, ns2_rdata, rdlen_at;

    gt_wbuf_init(&w, buf, cap);
    put_header(&w, 0xBEEF, 0x80, 0x00, 1, 0, 2, 3);
    put_name(&w, "www.example.com");
    com_off = 12 + 4 + 8;
    gt_wbuf_u16(&w, GT_TYPE_A);
    gt_wbuf_u16(&w, GT_CLASS_IN);

    put_ptr(&w, com_off);
    put_rr_fixed(&w, GT_TYPE_NS, GT_CLASS_IN, 172800, 20);
    ns1_rdata = w.len;
    put_name(&w, "a.gtld-servers.net");

    put_ptr(&w, com_off);
    put_rr_fixed(&w, GT_TYPE_NS, GT_CLASS_IN, 172800, 0);
    rdlen_at = w.len - 2;
    ns2_rdata = w.len;
    gt_wbuf_u8(&w, 1);
    gt_wbuf_u8(&w, 'b');
    put_ptr(&w, ns1_rdata + 2); /* "gtld-servers.net" */
    gt_wbuf_put_u16_at(&w, rdlen_at, (uint16_t)(w.len - ns2_rdata));

    put_ptr(&w, ns1_rdata);
    put_rr_fixed(&w, GT_TYPE_A, GT_CLASS_IN, 172800, 4);
    gt_wbuf_bytes(&w, (const uint8_t *)"\xC0\x05\x06\x1E", 4);
    put_ptr(&w, ns2_rdata);
    put_rr_fixed(&w, GT_TYPE_AAAA, GT_CLASS_IN, 172800, 16);
    gt_wbuf_bytes(&w, (const uint8_t *)"\x20\x01\x05\x03\x23\x1d\0\0\0\0\0\0\0\x02\0\x30", 16);

    gt_wbuf_u8(&w, 0);
    put_rr_fixed(&w, GT_TYPE_OPT, 1232, 0x00008000u, 0);
    return w.err == GT_OK ? w.len : 0;
}

static void test_parse_referral(void)
{
    uint8_t buf[512];
    size_t len = build_referral(buf, sizeof(buf));
    gt_msg *m = NULL;
    gt_name want = name_of("www.example.com"), com = name_of("com.");
    char s[128];

    GT_CHECK(len > 0);
    GT_CHECK_INT(parse_copy(buf, len, &m), GT_OK);
    if (m == NULL) {
        return;
    }
    GT_CHECK_INT(m->id, 0xBEEF);
    GT_CHECK(m->qr && !m->aa && !m->tc && !m->rd && !m->ra);
    GT_CHECK_INT(m->rcode, GT_RCODE_NOERROR);
    GT_CHECK_INT(m->qdcount, 1);
    GT_CHECK(m->has_question);
    GT_CHECK(gt_name_eq(&m->qname, &want));
    GT_CHECK_INT(m->qtype, GT_TYPE_A);
    GT_CHECK_INT(m->qclass, GT_CLASS_IN);
    GT_CHECK_INT(m->count[GT_SEC_ANSWER], 0);
    GT_CHECK_INT(m->count[GT_SEC_AUTHORITY], 2);
    GT_CHECK_INT(m->count[GT_SEC_ADDITIONAL], 2); /* OPT is not a record here */
    GT_CHECK(m->has_opt);
    GT_CHECK_INT(m->udp_size, 1232);
    GT_CHECK(m->do_bit);
    GT_CHECK_INT(m->edns_version, 0);
    GT_CHECK_INT(m->wire_len, len);
    if (m->count[GT_SEC_AUTHORITY] == 2 && m->count[GT_SEC_ADDITIONAL] == 2) {
        const gt_rr *ns = m->rrs[GT_SEC_AUTHORITY];
        const gt_rr *ad = m->rrs[GT_SEC_ADDITIONAL];

        GT_CHECK(gt_name_eq(&ns[0].owner, &com));
        GT_CHECK_INT(ns[0].type, GT_TYPE_NS);
        GT_CHECK_INT(ns[0].ttl, 172800);
        GT_CHECK(rdata_name_is(&ns[0], "a.gtld-servers.net"));
        /* The compressed second NS is stored uncompressed. */
        GT_CHECK_INT(ns[1].rdlen, 20);
        GT_CHECK(memcmp(ns[1].rdata, "\1b\14gtld-servers\3net\0", 20) == 0);
        GT_CHECK(rdata_name_is(&ns[1], "b.gtld-servers.net"));
        want = name_of("a.gtld-servers.net");
        GT_CHECK(gt_name_eq(&ad[0].owner, &want));
        GT_CHECK_INT(ad[0].rdlen, 4);
        gt_rdata_to_str(ad[0].type, ad[0].rdata, ad[0].rdlen, s, sizeof(s));
        GT_CHECK_STR(s, "192.5.6.30");
        want = name_of("B.GTLD-SERVERS.NET");
        GT_CHECK(gt_name_eq(&ad[1].owner, &want));
        GT_CHECK_INT(ad[1].type, GT_TYPE_AAAA);
        gt_rdata_to_str(ad[1].type, ad[1].rdata, ad[1].rdlen, s, sizeof(s));
        GT_CHECK_STR(s, "2001:503:231d::2:30");
    }
    GT_CHECK(m->rrs[GT_SEC_ANSWER] == NULL);
    gt_msg_free(m);
    gt_msg_free(NULL);

    /* Trailing bytes after the last section are tolerated. */
    buf[len] = 0xEE;
    GT_CHECK_INT(parse_copy(buf, len + 1, &m), GT_OK);
    gt_msg_free(m);
}

/* gt_msg_copy(): an independent copy, readable after the original is freed. */
/* RDATA equality of records and of record sets (order and repeated values aside). */
static void test_rr_same_rdata(void)
{
    static const uint8_t k1[] = {1, 2, 3, 4}, k1b[] = {1, 2, 3, 4}, k2[] = {1, 2, 3, 5},
                         k3[] = {1, 2, 3};
    gt_rr a[3], b[3];
    memset(a, 0, sizeof(a));
    memset(b, 0, sizeof(b));
    a[0].rdata = k1, a[0].rdlen = 4;
    a[1].rdata = k2, a[1].rdlen = 4;
    a[2].rdata = k1, a[2].rdlen = 4; /* a repeated value */
    b[0].rdata = k2, b[0].rdlen = 4;
    b[1].rdata = k1b, b[1].rdlen = 4; /* same bytes, other storage */
    b[2].rdata = k3, b[2].rdlen = 3;  /* a prefix of k1: not the same */
    GT_CHECK(gt_rr_same_rdata(&a[0], &b[1]));
    GT_CHECK(!gt_rr_same_rdata(&a[0], &a[1]));
    GT_CHECK(!gt_rr_same_rdata(&a[0], &b[2]));
    GT_CHECK(gt_rrs_same_rdata_set(a, 3, b, 2));
    GT_CHECK(gt_rrs_same_rdata_set(b, 2, a, 2));
    GT_CHECK(!gt_rrs_same_rdata_set(a, 3, b, 3)); /* b has a value a lacks */
    GT_CHECK(!gt_rrs_same_rdata_set(a, 1, b, 2)); /* a lacks one of b's */
    GT_CHECK(gt_rrs_same_rdata_set(a, 0, b, 0));
}

static void test_msg_copy(void)
{
    uint8_t buf[512];
    size_t len = build_referral(buf, sizeof(buf));
    gt_msg *m = NULL, *c = NULL;
    gt_name com = name_of("com.");
    GT_CHECK_INT(parse_copy(buf, len, &m), GT_OK);
    if (m == NULL) {
        return;
    }
    GT_CHECK_INT(gt_msg_copy(m, &c), GT_OK);
    gt_msg_free(m); /* the copy owns its records: ASan sees any pointer left into m */
    if (c == NULL) {
        return;
    }
    GT_CHECK_INT(c->id, 0xBEEF);
    GT_CHECK_INT(c->count[GT_SEC_AUTHORITY], 2);
    GT_CHECK_INT(c->count[GT_SEC_ADDITIONAL], 2);
    GT_CHECK(c->rrs[GT_SEC_ANSWER] == NULL);
    GT_CHECK_INT(c->wire_len, len);
    if (c->count[GT_SEC_AUTHORITY] == 2 && c->count[GT_SEC_ADDITIONAL] == 2) {
        GT_CHECK(gt_name_eq(&c->rrs[GT_SEC_AUTHORITY][0].owner, &com));
        GT_CHECK(rdata_name_is(&c->rrs[GT_SEC_AUTHORITY][1], "b.gtld-servers.net"));
        char s[128];
        const gt_rr *ad = c->rrs[GT_SEC_ADDITIONAL];
        gt_rdata_to_str(ad[1].type, ad[1].rdata, ad[1].rdlen, s, sizeof(s));
        GT_CHECK_STR(s, "2001:503:231d::2:30");
    }
    gt_msg_free(c);
}

static void test_parse_truncations(void)
{
    uint8_t buf[512];
    size_t len = build_referral(buf, sizeof(buf));
    unsigned bad = 0;

    GT_CHECK(len > 100);
    for (size_t cut = 0; cut < len; cut++) {
        gt_msg *m = (gt_msg *)&bad; /* must be reset to NULL */
        gt_status st = parse_copy(buf, cut, &m);

        if (st != GT_EMALFORMED || m != NULL) {
            bad++;
            fprintf(stderr, "truncated at %zu: status %d\n", cut, (int)st);
            if (st == GT_OK) {
                gt_msg_free(m);
            }
        }
    }
    GT_CHECK_INT(bad, 0);
}

static void test_parse_cname_chain(void)
{
    uint8_t buf[512];
    gt_wbuf w;
    gt_msg *m = NULL;
    size_t example_off = 12 + 4, rdlen_at, start;
    char s[128];

    gt_wbuf_init(&w, buf, sizeof(buf));
    put_header(&w, 7, 0x85, 0x80, 1, 3, 0, 0); /* QR AA RD, RA */
    put_name(&w, "www.example.com");
    gt_wbuf_u16(&w, GT_TYPE_A);
    gt_wbuf_u16(&w, GT_CLASS_IN);
    /* www.example.com CNAME web.example.com (compressed) */
    put_ptr(&w, 12);
    put_rr_fixed(&w, GT_TYPE_CNAME, GT_CLASS_IN, 300, 6);
    start = w.len;
    gt_wbuf_u8(&w, 3);
    gt_wbuf_bytes(&w, (const uint8_t *)"web", 3);
    put_ptr(&w, example_off);
    /* web.example.com CNAME cdn.example.net */
    put_ptr(&w, start);
    put_rr_fixed(&w, GT_TYPE_CNAME, GT_CLASS_IN, 60, 0);
    rdlen_at = w.len - 2;
    start = w.len;
    put_name(&w, "cdn.example.net");
    gt_wbuf_put_u16_at(&w, rdlen_at, (uint16_t)(w.len - start));
    /* cdn.example.net A 192.0.2.7 */
    put_ptr(&w, start);
    put_rr_fixed(&w, GT_TYPE_A, GT_CLASS_IN, 20, 4);
    gt_wbuf_bytes(&w, (const uint8_t *)"\xC0\x00\x02\x07", 4);
    GT_CHECK_INT(w.err, GT_OK);

    GT_CHECK_INT(parse_copy(buf, w.len, &m), GT_OK);
    if (m == NULL) {
        return;
    }
    GT_CHECK(m->qr && m->aa && m->rd && m->ra && !m->tc);
    GT_CHECK_INT(m->id, 7);
    GT_CHECK(!m->has_opt);
    GT_CHECK_INT(m->count[GT_SEC_ANSWER], 3);
    if (m->count[GT_SEC_ANSWER] == 3) {
        const gt_rr *an = m->rrs[GT_SEC_ANSWER];
        gt_name want = name_of("web.example.com");

        GT_CHECK(rdata_name_is(&an[0], "web.example.com"));
        GT_CHECK(gt_name_eq(&an[1].owner, &want));
        GT_CHECK(rdata_name_is(&an[1], "cdn.example.net"));
        GT_CHECK_INT(an[0].rdlen, 17);
        GT_CHECK_INT(an[2].ttl, 20);
        gt_name_to_str(&an[2].owner, s, sizeof(s));
        GT_CHECK_STR(s, "cdn.example.net.");
        gt_rdata_to_str(an[2].type, an[2].rdata, an[2].rdlen, s, sizeof(s));
        GT_CHECK_STR(s, "192.0.2.7");
    }
    GT_CHECK(m->rrs[GT_SEC_AUTHORITY] == NULL && m->count[GT_SEC_AUTHORITY] == 0);
    gt_msg_free(m);
}

static void test_parse_opt(void)
{
    uint8_t buf[256];
    gt_wbuf w;
    gt_msg *m = NULL;
    size_t opt_ttl_at, rdlen_at, optlen_at;

    /* NXDOMAIN header RCODE 3 plus extended bits 1 -> 16 + 3 = 19; BADVERS is 16 + 0. */
    gt_wbuf_init(&w, buf, sizeof(buf));
    put_header(&w, 1, 0x80, 0x00, 1, 0, 0, 1);
    put_name(&w, "example.com");
    gt_wbuf_u16(&w, GT_TYPE_NS);
    gt_wbuf_u16(&w, GT_CLASS_IN);
    gt_wbuf_u8(&w, 0);
    gt_wbuf_u16(&w, GT_TYPE_OPT);
    gt_wbuf_u16(&w, 4096);
    opt_ttl_at = w.len;
    gt_wbuf_u32(&w, 0x01000000u); /* ext-rcode 1, version 0, DO 0 */
    rdlen_at = w.len;
    gt_wbuf_u16(&w, 12); /* one COOKIE option with 8 bytes */
    gt_wbuf_u16(&w, 10);
    optlen_at = w.len;
    gt_wbuf_u16(&w, 8);
    gt_wbuf_bytes(&w, (const uint8_t *)"\1\2\3\4\5\6\7\10", 8);
    GT_CHECK_INT(w.err, GT_OK);
    GT_CHECK_INT(parse_copy(buf, w.len, &m), GT_OK);
    if (m != NULL) {
        GT_CHECK(m->has_opt);
        GT_CHECK_INT(m->rcode, GT_RCODE_BADVERS);
        GT_CHECK_INT(m->udp_size, 4096);
        GT_CHECK(!m->do_bit);
        GT_CHECK_INT(m->count[GT_SEC_ADDITIONAL], 0);
        gt_msg_free(m);
    }
    buf[3] = 0x03;           /* header RCODE NXDOMAIN */
    buf[opt_ttl_at + 1] = 1; /* EDNS version 1 */
    GT_CHECK_INT(parse_copy(buf, w.len, &m), GT_OK);
    if (m != NULL) {
        GT_CHECK_INT(m->rcode, 19);
        GT_CHECK_INT(m->edns_version, 1);
        gt_msg_free(m);
    }
    /* Option length running past RDLENGTH. */
    gt_wbuf_put_u16_at(&w, optlen_at, 9);
    GT_CHECK_INT(parse_copy(buf, w.len, &m), GT_EMALFORMED);
    GT_CHECK(m == NULL);
    /* A stray byte after the last option (too short for an option header). */
    gt_wbuf_put_u16_at(&w, optlen_at, 8);
    gt_wbuf_put_u16_at(&w, rdlen_at, 13);
    gt_wbuf_u8(&w, 0);
    GT_CHECK_INT(parse_copy(buf, w.len, &m), GT_EMALFORMED);
    gt_wbuf_put_u16_at(&w, rdlen_at, 12); /* control: same bytes, stray byte as trailing data */
    GT_CHECK_INT(parse_copy(buf, w.len, &m), GT_OK);
    gt_msg_free(m);
}

/** Question for example.com NS then one RR header; the caller appends RDATA. */
static void start_one_rr(gt_wbuf *w, uint8_t *buf, size_t cap, uint16_t an, uint16_t ar,
                         uint16_t type, uint16_t rdlen)
{
    gt_wbuf_init(w, buf, cap);
    put_header(w, 1, 0x80, 0x00, 1, an, 0, ar);
    put_name(w, "example.com");
    gt_wbuf_u16(w, GT_TYPE_NS);
    gt_wbuf_u16(w, GT_CLASS_IN);
    put_ptr(w, 12);
    put_rr_fixed(w, type, GT_CLASS_IN, 3600, rdlen);
}

static void test_parse_malformed(void)
{
    uint8_t buf[512];
    gt_wbuf w;
    gt_msg *m = NULL;

    /* RDLENGTH past the end of the message. */
    start_one_rr(&w, buf, sizeof(buf), 1, 0, GT_TYPE_A, 8);
    gt_wbuf_bytes(&w, (const uint8_t *)"\1\2\3\4", 4);
    GT_CHECK_INT(parse_copy(buf, w.len, &m), GT_EMALFORMED);
    GT_CHECK(m == NULL);

    /* A with RDLENGTH 5 (and AAAA with 15). */
    start_one_rr(&w, buf, sizeof(buf), 1, 0, GT_TYPE_A, 5);
    gt_wbuf_bytes(&w, (const uint8_t *)"\1\2\3\4\5", 5);
    GT_CHECK_INT(parse_copy(buf, w.len, &m), GT_EMALFORMED);
    start_one_rr(&w, buf, sizeof(buf), 1, 0, GT_TYPE_A, 4);
    gt_wbuf_bytes(&w, (const uint8_t *)"\1\2\3\4", 4);
    GT_CHECK_INT(parse_copy(buf, w.len, &m), GT_OK); /* control: the same with 4 is fine */
    gt_msg_free(m);
    start_one_rr(&w, buf, sizeof(buf), 1, 0, GT_TYPE_AAAA, 15);
    gt_wbuf_bytes(&w, (const uint8_t *)"0123456789abcde", 15);
    GT_CHECK_INT(parse_copy(buf, w.len, &m), GT_EMALFORMED);

    /* NS RDATA with trailing garbage inside RDLENGTH. */
    start_one_rr(&w, buf, sizeof(buf), 1, 0, GT_TYPE_NS, 3 + 1);
    put_ptr(&w, 12);
    gt_wbuf_bytes(&w, (const uint8_t *)"\0\0", 2);
    GT_CHECK_INT(parse_copy(buf, w.len, &m), GT_EMALFORMED);
    start_one_rr(&w, buf, sizeof(buf), 1, 0, GT_TYPE_NS, 2);
    put_ptr(&w, 12);
    GT_CHECK_INT(parse_copy(buf, w.len, &m), GT_OK); /* control */
    gt_msg_free(m);
    /* NS RDATA whose name runs past RDLENGTH into the next bytes. */
    start_one_rr(&w, buf, sizeof(buf), 1, 0, GT_TYPE_NS, 2);
    put_name(&w, "ns");
    GT_CHECK_INT(parse_copy(buf, w.len, &m), GT_EMALFORMED);

    /* MX too short, SOA missing its numbers. */
    start_one_rr(&w, buf, sizeof(buf), 1, 0, GT_TYPE_MX, 1);
    gt_wbuf_u8(&w, 0);
    GT_CHECK_INT(parse_copy(buf, w.len, &m), GT_EMALFORMED);
    start_one_rr(&w, buf, sizeof(buf), 1, 0, GT_TYPE_SOA, 4);
    put_ptr(&w, 12);
    put_ptr(&w, 12);
    GT_CHECK_INT(parse_copy(buf, w.len, &m), GT_EMALFORMED);

    /* Two OPT RRs. */
    gt_wbuf_init(&w, buf, sizeof(buf));
    put_header(&w, 1, 0x80, 0, 1, 0, 0, 2);
    put_name(&w, "example.com");
    gt_wbuf_u16(&w, GT_TYPE_A);
    gt_wbuf_u16(&w, GT_CLASS_IN);
    for (int i = 0; i < 2; i++) {
        gt_wbuf_u8(&w, 0);
        put_rr_fixed(&w, GT_TYPE_OPT, 1232, 0, 0);
    }
    GT_CHECK_INT(parse_copy(buf, w.len, &m), GT_EMALFORMED);
    buf[11] = 1; /* ARCOUNT 1: the first OPT alone is fine */
    GT_CHECK_INT(parse_copy(buf, w.len, &m), GT_OK);
    gt_msg_free(m);

    /* OPT in the answer section. */
    start_one_rr(&w, buf, sizeof(buf), 1, 0, GT_TYPE_OPT, 0);
    GT_CHECK_INT(parse_copy(buf, w.len, &m), GT_EMALFORMED);

    /* Counts that cannot fit are refused up front. */
    start_one_rr(&w, buf, sizeof(buf), 0xFFFF, 0, GT_TYPE_A, 4);
    gt_wbuf_bytes(&w, (const uint8_t *)"\1\2\3\4", 4);
    GT_CHECK_INT(parse_copy(buf, w.len, &m), GT_EMALFORMED);
    start_one_rr(&w, buf, sizeof(buf), 1, 0, GT_TYPE_A, 4);
    gt_wbuf_bytes(&w, (const uint8_t *)"\1\2\3\4", 4);
    buf[4] = 0xFF; /* QDCOUNT 0xFF01 */
    GT_CHECK_INT(parse_copy(buf, w.len, &m), GT_EMALFORMED);

    /* Shorter than a header; NULL buffer; oversized length. */
    GT_CHECK_INT(parse_copy(buf, 11, &m), GT_EMALFORMED);
    GT_CHECK_INT(gt_msg_parse(NULL, 12, &m), GT_EMALFORMED);
    GT_CHECK_INT(gt_msg_parse(buf, GT_MSG_MAX + 1, &m), GT_EMALFORMED);
    GT_CHECK(m == NULL);
}

static void test_parse_misc(void)
{
    uint8_t buf[512];
    gt_wbuf w;
    gt_msg *m = NULL;
    gt_name want = name_of("example.com");

    /* Header only, no question. */
    memset(buf, 0, 12);
    buf[2] = 0x80 | (2 << 3); /* QR, opcode 2 */
    buf[3] = 0x30 | 5;        /* AD CD, REFUSED */
    GT_CHECK_INT(parse_copy(buf, 12, &m), GT_OK);
    if (m != NULL) {
        GT_CHECK(!m->has_question);
        GT_CHECK_INT(m->opcode, 2);
        GT_CHECK(m->ad && m->cd && m->qr);
        GT_CHECK_INT(m->rcode, GT_RCODE_REFUSED);
        GT_CHECK_INT(m->count[0] + m->count[1] + m->count[2], 0);
        gt_msg_free(m);
    }

    /* Unknown type: RDATA kept verbatim (a pointer-like byte pair is not followed). */
    start_one_rr(&w, buf, sizeof(buf), 1, 0, 65280, 3);
    gt_wbuf_bytes(&w, (const uint8_t *)"\xC0\x0C\x00", 3);
    GT_CHECK_INT(parse_copy(buf, w.len, &m), GT_OK);
    if (m != NULL && m->count[GT_SEC_ANSWER] == 1) {
        const gt_rr *rr = &m->rrs[GT_SEC_ANSWER][0];

        GT_CHECK_INT(rr->type, 65280);
        GT_CHECK_INT(rr->rdlen, 3);
        GT_CHECK(memcmp(rr->rdata, "\xC0\x0C\x00", 3) == 0);
        GT_CHECK(gt_name_eq(&rr->owner, &want));
    }
    gt_msg_free(m);

    /* MX and SOA with compressed names come out uncompressed. */
    gt_wbuf_init(&w, buf, sizeof(buf));
    put_header(&w, 1, 0x84, 0, 1, 2, 0, 0);
    put_name(&w, "example.com");
    gt_wbuf_u16(&w, GT_TYPE_MX);
    gt_wbuf_u16(&w, GT_CLASS_IN);
    put_ptr(&w, 12);
    put_rr_fixed(&w, GT_TYPE_MX, GT_CLASS_IN, 300, 2 + 4 + 2);
    gt_wbuf_u16(&w, 10);
    gt_wbuf_bytes(&w, (const uint8_t *)"\3mx1", 4);
    put_ptr(&w, 12);
    put_ptr(&w, 12);
    put_rr_fixed(&w, GT_TYPE_SOA, GT_CLASS_IN, 300, 2 + 2 + 20);
    put_ptr(&w, 12);
    put_ptr(&w, 12);
    for (uint32_t v = 1; v <= 5; v++) {
        gt_wbuf_u32(&w, v);
    }
    GT_CHECK_INT(parse_copy(buf, w.len, &m), GT_OK);
    if (m != NULL && m->count[GT_SEC_ANSWER] == 2) {
        char s[256];
        const gt_rr *an = m->rrs[GT_SEC_ANSWER];

        GT_CHECK_INT(an[0].rdlen, 2 + 17);
        GT_CHECK(rdata_name_is(&an[0], "mx1.example.com"));
        GT_CHECK_INT(an[1].rdlen, 13 + 13 + 20);
        gt_rdata_to_str(an[1].type, an[1].rdata, an[1].rdlen, s, sizeof(s));
        GT_CHECK_STR(s, "example.com. example.com. 1 2 3 4 5");
    }
    gt_msg_free(m);
}

/* ------------------------------------------------------------------------------------------ */
/* Writer, query builder, mnemonics                                                            */
/* ------------------------------------------------------------------------------------------ */

static void test_wbuf(void)
{
    uint8_t buf[5];
    gt_wbuf w;

    gt_wbuf_init(&w, buf, sizeof(buf));
    gt_wbuf_u32(&w, 0x01020304);
    GT_CHECK_INT(w.len, 4);
    gt_wbuf_u16(&w, 0x0506);
    GT_CHECK_INT(w.err, GT_ESPACE);
    GT_CHECK_INT(w.len, 4);
    gt_wbuf_u8(&w, 7); /* sticky, although one byte would fit */
    GT_CHECK_INT(w.len, 4);
    GT_CHECK(memcmp(buf, "\1\2\3\4", 4) == 0);

    gt_wbuf_init(&w, buf, sizeof(buf));
    gt_wbuf_u16(&w, 0);
    gt_wbuf_u8(&w, 9);
    gt_wbuf_put_u16_at(&w, 1, 0xABCD);
    GT_CHECK_INT(w.err, GT_OK);
    GT_CHECK(buf[0] == 0 && buf[1] == 0xAB && buf[2] == 0xCD);
    gt_wbuf_put_u16_at(&w, 2, 1); /* would write past len */
    GT_CHECK_INT(w.err, GT_ESPACE);
}

static void test_build_query(void)
{
    static const uint8_t plain[] = {0x12, 0x34, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
                                    0x00, 0x00, 7,    'e',  'x',  'a',  'm',  'p',  'l',  'e',
                                    3,    'c',  'o',  'm',  0,    0x00, 0x01, 0x00, 0x01};
    static const uint8_t edns[] = {0xAB, 0xCD, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
                                   0x00, 0x01, 7,    'e',  'x',  'a',  'm',  'p',  'l',  'e',
                                   3,    'c',  'o',  'm',  0,    0x00, 0x1C, 0x00, 0x01, 0x00,
                                   0x00, 0x29, 0x04, 0xD0, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00};
    uint8_t buf[512];
    size_t len = 99;
    gt_name q = name_of("example.com");
    gt_query_opts o = {.id = 0x1234};
    gt_msg *m = NULL;

    GT_CHECK_INT(gt_build_query(buf, sizeof(buf), &len, &q, GT_TYPE_A, &o), GT_OK);
    GT_CHECK_INT(len, sizeof(plain));
    GT_CHECK(len == sizeof(plain) && memcmp(buf, plain, len) == 0);

    o.id = 0xABCD;
    o.rd = true;
    o.edns = true;
    o.bufsize = 1232;
    o.do_bit = true;
    GT_CHECK_INT(gt_build_query(buf, sizeof(buf), &len, &q, GT_TYPE_AAAA, &o), GT_OK);
    GT_CHECK_INT(len, sizeof(edns));
    GT_CHECK(len == sizeof(edns) && memcmp(buf, edns, len) == 0);

    /* What we build, we parse. */
    GT_CHECK_INT(parse_copy(buf, len, &m), GT_OK);
    if (m != NULL) {
        GT_CHECK(!m->qr && m->rd && m->has_opt && m->do_bit && m->udp_size == 1232);
        GT_CHECK(gt_name_eq(&m->qname, &q));
        GT_CHECK_INT(m->qtype, GT_TYPE_AAAA);
        gt_msg_free(m);
    }

    GT_CHECK_INT(gt_build_query(buf, sizeof(edns) - 1, &len, &q, GT_TYPE_AAAA, &o), GT_ESPACE);
    GT_CHECK_INT(len, 0);
    GT_CHECK_INT(gt_build_query(buf, sizeof(edns), &len, &q, GT_TYPE_AAAA, &o), GT_OK);

    /* CD=1 (the census asks a SERVFAIL again with it): bit 0x10 of the second flags byte */
    o.cd = true;
    GT_CHECK_INT(gt_build_query(buf, sizeof(buf), &len, &q, GT_TYPE_AAAA, &o), GT_OK);
    GT_CHECK(len == sizeof(edns) && buf[3] == 0x10 && memcmp(buf + 4, edns + 4, len - 4) == 0);
    GT_CHECK_INT(parse_copy(buf, len, &m), GT_OK);
    GT_CHECK(m != NULL && m->cd && m->nede == 0);
    gt_msg_free(m);
}

/* Extended DNS Errors (RFC 8914) in the OPT RR: INFO-CODEs kept in order, the rest skipped. */
static void test_ede(void)
{
    static const uint8_t reply[] = {
        0x00, 0x01, 0x81, 0x82, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x01, 1,    'x',  0,    0x00, 0x01, 0x00, 0x01, /* question x. A; SERVFAIL */
        0x00, 0x00, 0x29, 0x04, 0xD0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x12, /* OPT, RDLEN 18 */
        0x00, 0x0A, 0x00, 0x01, 0xAA,             /* option 10 (cookie-ish), 1 byte: skipped */
        0x00, 0x0F, 0x00, 0x02, 0x00, 0x06,       /* EDE 6 DNSSEC Bogus, no text */
        0x00, 0x0F, 0x00, 0x03, 0x00, 0x03, 'x'}; /* EDE 3 Stale Answer, text "x" */
    gt_msg *m = NULL;
    GT_CHECK_INT(parse_copy(reply, sizeof(reply), &m), GT_OK);
    GT_CHECK(m != NULL && m->nede == 2 && m->ede[0] == 6 && m->ede[1] == 3);
    gt_msg_free(m);
    /* an EDE option shorter than its INFO-CODE is carried but not kept */
    static const uint8_t shortede[] = {0x00, 0x01, 0x81, 0x80, 0x00, 0x01, 0x00, 0x00, 0x00,
                                       0x00, 0x00, 0x01, 1,    'x',  0,    0x00, 0x01, 0x00,
                                       0x01, 0x00, 0x00, 0x29, 0x04, 0xD0, 0x00, 0x00, 0x00,
                                       0x00, 0x00, 0x05, 0x00, 0x0F, 0x00, 0x01, 0x07};
    GT_CHECK_INT(parse_copy(shortede, sizeof(shortede), &m), GT_OK);
    GT_CHECK(m != NULL && m->nede == 0);
    gt_msg_free(m);
}

static void test_mnemonics(void)
{
    char b[32];
    uint16_t t = 0;

    GT_CHECK_STR(gt_type_to_str(GT_TYPE_A, b, sizeof(b)), "A");
    GT_CHECK_STR(gt_type_to_str(GT_TYPE_AAAA, b, sizeof(b)), "AAAA");
    GT_CHECK_STR(gt_type_to_str(GT_TYPE_CAA, b, sizeof(b)), "CAA");
    GT_CHECK_STR(gt_type_to_str(1234, b, sizeof(b)), "TYPE1234");
    GT_CHECK_STR(gt_type_to_str(65535, b, 16), "TYPE65535");
    GT_CHECK_INT(gt_type_from_str("aaaa", &t), GT_OK);
    GT_CHECK_INT(t, GT_TYPE_AAAA);
    GT_CHECK_INT(gt_type_from_str("Ns", &t), GT_OK);
    GT_CHECK_INT(t, GT_TYPE_NS);
    GT_CHECK_INT(gt_type_from_str("TYPE65", &t), GT_OK);
    GT_CHECK_INT(t, 65);
    GT_CHECK_INT(gt_type_from_str("type1234", &t), GT_OK);
    GT_CHECK_INT(t, 1234);
    GT_CHECK_INT(gt_type_from_str("TYPE65536", &t), GT_EINVAL);
    GT_CHECK_INT(gt_type_from_str("TYPE", &t), GT_EINVAL);
    GT_CHECK_INT(gt_type_from_str("TYPE-1", &t), GT_EINVAL);
    GT_CHECK_INT(gt_type_from_str("TYPE1x", &t), GT_EINVAL);
    GT_CHECK_INT(gt_type_from_str("FOO", &t), GT_EINVAL);
    GT_CHECK_INT(gt_type_from_str("", &t), GT_EINVAL);

    GT_CHECK_STR(gt_rcode_to_str(GT_RCODE_NOERROR, b, sizeof(b)), "NOERROR");
    GT_CHECK_STR(gt_rcode_to_str(GT_RCODE_NXDOMAIN, b, sizeof(b)), "NXDOMAIN");
    GT_CHECK_STR(gt_rcode_to_str(GT_RCODE_REFUSED, b, sizeof(b)), "REFUSED");
    GT_CHECK_STR(gt_rcode_to_str(GT_RCODE_BADVERS, b, sizeof(b)), "BADVERS");
    GT_CHECK_STR(gt_rcode_to_str(30, b, sizeof(b)), "RCODE30");
    GT_CHECK_STR(gt_rcode_to_str(4095, b, sizeof(b)), "RCODE4095");
}

/* RRSIGs are kept apart from the other records (count, nsig), and gt_msg_next_rr() walks a
 * section in the order the message carried it, each RRSIG back after the RRset it signs. */
static void test_wire_order(void)
{
    static const char sig[] = "A 13 3 3600 20261227125227 20261127125227 39820 x. AQID";
    static const char nsig[] = "NS 13 1 3600 20261227125227 20261127125227 39820 x. BAUG";
    static const char xsig[] = "NSEC 13 1 3600 20261227125227 20261127125227 39820 x. BwgJ";
    uint8_t q[512];
    size_t qlen;
    gt_name qn = name_of("www.x");
    gt_query_opts o = {.id = 7, .edns = true, .bufsize = 1232, .do_bit = true};
    GT_CHECK_INT(gt_build_query(q, sizeof(q), &qlen, &qn, GT_TYPE_A, &o), GT_OK);
    tb_msg b;
    tb_begin(&b, q, qlen, true, GT_RCODE_NOERROR);
    tb_rr(&b, GT_SEC_ANSWER, "www.x.", "A", 60, "192.0.2.1");
    tb_rr(&b, GT_SEC_ANSWER, "www.x.", "A", 60, "192.0.2.2");
    tb_rr(&b, GT_SEC_ANSWER, "www.x.", "RRSIG", 60, sig);
    tb_rr(&b, GT_SEC_AUTHORITY, "x.", "NS", 60, "ns.x.");
    tb_rr(&b, GT_SEC_AUTHORITY, "x.", "RRSIG", 60, nsig);
    tb_rr(&b, GT_SEC_AUTHORITY, "x.", "NSEC", 60, "a.x. NS SOA RRSIG NSEC");
    tb_rr(&b, GT_SEC_AUTHORITY, "x.", "RRSIG", 60, xsig);
    tb_rr(&b, GT_SEC_ADDITIONAL, "ns.x.", "A", 60, "192.0.2.53");
    size_t len = tb_end(&b);
    gt_msg *m = NULL;
    GT_CHECK_INT(gt_msg_parse(b.buf, len, &m), GT_OK);
    if (m == NULL) {
        return;
    }
    /* the parser's view: RRSIGs behind the others, not counted */
    GT_CHECK_INT(m->count[GT_SEC_ANSWER], 2);
    GT_CHECK_INT(m->nsig[GT_SEC_ANSWER], 1);
    GT_CHECK_INT(m->count[GT_SEC_AUTHORITY], 2);
    GT_CHECK_INT(m->nsig[GT_SEC_AUTHORITY], 2);
    GT_CHECK_INT(m->rrs[GT_SEC_AUTHORITY][1].type, 47);
    /* the walk: as sent */
    static const uint16_t want[3][4] = {{1, 1, 46, 0}, {2, 46, 47, 46}, {1, 0, 0, 0}};
    static const size_t nwant[3] = {3, 4, 1};
    for (int s = 0; s < 3; s++) {
        gt_rr_walk w = {0, 0};
        size_t n = 0;
        for (const gt_rr *rr; (rr = gt_msg_next_rr(m, (gt_section)s, &w)) != NULL; n++) {
            if (n < 4) {
                GT_CHECK_INT(rr->type, want[s][n]);
                GT_CHECK_INT(rr->pos, n);
            }
        }
        GT_CHECK_INT(n, nwant[s]);
    }
    char text[256];
    gt_rr_walk w = {0, 0};
    const gt_rr *first = gt_msg_next_rr(m, GT_SEC_AUTHORITY, &w);
    const gt_rr *second = gt_msg_next_rr(m, GT_SEC_AUTHORITY, &w);
    GT_CHECK(first != NULL && second != NULL);
    if (second != NULL) {
        gt_rr_data_str(second, text, sizeof(text));
        GT_CHECK_STR(text, "NS 13 1 3600 20261227125227 20261127125227 39820 x. BAUG");
    }
    GT_CHECK(gt_msg_next_rr(NULL, GT_SEC_ANSWER, &w) == NULL);
    gt_msg_free(m);
}

int main(void)
{
    test_ede();
    test_cursor();
    test_name_pointers();
    test_name_jump_cap();
    test_name_limits();
    test_name_text();
    test_name_compare();
    test_parse_referral();
    test_rr_same_rdata();
    test_msg_copy();
    test_parse_truncations();
    test_parse_cname_chain();
    test_parse_opt();
    test_parse_malformed();
    test_parse_misc();
    test_wbuf();
    test_build_query();
    test_mnemonics();
    test_wire_order();
    return gt_test_done();
}
