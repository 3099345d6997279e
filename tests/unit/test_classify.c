/* The classifier and the bailiwick filter, table-tested on hand-built replies. */
#include <string.h>

#include "gluetrace/dns/bailiwick.h"
#include "gluetrace/dns/classify.h"
#include "msgbuild.h"
#include "tap.h"

typedef struct rrdef {
    gt_section sec;
    const char *owner, *type, *rdata;
} rrdef;

typedef struct row {
    const char *what;
    const char *qname;
    const char *qtype;
    const char *zone; /* the server was asked as a server of this zone */
    bool aa, tc, tcp;
    uint16_t rcode;
    rrdef rrs[6];
    gt_outcome want;
    const char *want_zone; /* referral target, or NULL */
} row;

static const row rows[] = {
    {"answer",
     "www.ex.test.",
     "A",
     "ex.test.",
     true,
     false,
     false,
     0,
     {{GT_SEC_ANSWER, "www.ex.test.", "A", "192.0.2.1"}},
     GT_OUT_ANSWER,
     NULL},
    {"answer via in-zone CNAME",
     "www.ex.test.",
     "A",
     "ex.test.",
     true,
     false,
     false,
     0,
     {{GT_SEC_ANSWER, "www.ex.test.", "CNAME", "web.ex.test."},
      {GT_SEC_ANSWER, "web.ex.test.", "A", "192.0.2.1"}},
     GT_OUT_ANSWER,
     NULL},
    {"CNAME leaving the zone",
     "www.ex.test.",
     "A",
     "ex.test.",
     true,
     false,
     false,
     0,
     {{GT_SEC_ANSWER, "www.ex.test.", "CNAME", "web.other.test."}},
     GT_OUT_CNAME,
     NULL},
    {"CNAME asked for",
     "www.ex.test.",
     "CNAME",
     "ex.test.",
     true,
     false,
     false,
     0,
     {{GT_SEC_ANSWER, "www.ex.test.", "CNAME", "web.other.test."}},
     GT_OUT_ANSWER,
     NULL},
    {"answer without AA is lame",
     "www.ex.test.",
     "A",
     "ex.test.",
     false,
     false,
     false,
     0,
     {{GT_SEC_ANSWER, "www.ex.test.", "A", "192.0.2.1"}},
     GT_OUT_LAME,
     NULL},
    {"unrelated answer records, AA + SOA: nodata",
     "www.ex.test.",
     "A",
     "ex.test.",
     true,
     false,
     false,
     0,
     {{GT_SEC_ANSWER, "other.ex.test.", "A", "192.0.2.1"},
      {GT_SEC_AUTHORITY, "ex.test.", "SOA", "ns.ex.test. h.ex.test. 1 2 3 4 5"}},
     GT_OUT_NODATA,
     NULL},
    {"referral down",
     "www.ex.test.",
     "A",
     "test.",
     false,
     false,
     false,
     0,
     {{GT_SEC_AUTHORITY, "ex.test.", "NS", "ns1.ex.test."},
      {GT_SEC_ADDITIONAL, "ns1.ex.test.", "A", "192.0.2.53"}},
     GT_OUT_REFERRAL,
     "ex.test."},
    {"referral from the root",
     "www.ex.test.",
     "A",
     ".",
     false,
     false,
     false,
     0,
     {{GT_SEC_AUTHORITY, "test.", "NS", "a.nic.test."}},
     GT_OUT_REFERRAL,
     "test."},
    {"referral to the same zone",
     "www.ex.test.",
     "A",
     "ex.test.",
     false,
     false,
     false,
     0,
     {{GT_SEC_AUTHORITY, "ex.test.", "NS", "ns1.ex.test."}},
     GT_OUT_UPWARD,
     "ex.test."},
    {"referral to the root (upward)",
     "www.ex.test.",
     "A",
     "ex.test.",
     false,
     false,
     false,
     0,
     {{GT_SEC_AUTHORITY, ".", "NS", "a.root.test."}},
     GT_OUT_UPWARD,
     "."},
    {"referral sideways",
     "www.ex.test.",
     "A",
     "test.",
     false,
     false,
     false,
     0,
     {{GT_SEC_AUTHORITY, "other.test.", "NS", "ns1.other.test."}},
     GT_OUT_SIDEWAYS,
     "other.test."},
    {"referral skipping past the name",
     "www.ex.test.",
     "A",
     "test.",
     false,
     false,
     false,
     0,
     {{GT_SEC_AUTHORITY, "deep.www.ex.test.", "NS", "ns1.ex.test."}},
     GT_OUT_SIDEWAYS,
     "deep.www.ex.test."},
    {"nxdomain",
     "nope.ex.test.",
     "A",
     "ex.test.",
     true,
     false,
     false,
     GT_RCODE_NXDOMAIN,
     {{GT_SEC_AUTHORITY, "ex.test.", "SOA", "ns.ex.test. h.ex.test. 1 2 3 4 5"}},
     GT_OUT_NXDOMAIN,
     NULL},
    {"nxdomain without AA is lame",
     "nope.ex.test.",
     "A",
     "ex.test.",
     false,
     false,
     false,
     GT_RCODE_NXDOMAIN,
     {{GT_SEC_AUTHORITY, "ex.test.", "SOA", "ns.ex.test. h.ex.test. 1 2 3 4 5"}},
     GT_OUT_LAME,
     NULL},
    {"nodata",
     "www.ex.test.",
     "MX",
     "ex.test.",
     true,
     false,
     false,
     0,
     {{GT_SEC_AUTHORITY, "ex.test.", "SOA", "ns.ex.test. h.ex.test. 1 2 3 4 5"}},
     GT_OUT_NODATA,
     NULL},
    {"empty non-AA reply is lame",
     "www.ex.test.",
     "A",
     "ex.test.",
     false,
     false,
     false,
     0,
     {{0, NULL, NULL, NULL}},
     GT_OUT_LAME,
     NULL},
    {"REFUSED",
     "www.ex.test.",
     "A",
     "ex.test.",
     false,
     false,
     false,
     GT_RCODE_REFUSED,
     {{0, NULL, NULL, NULL}},
     GT_OUT_LAME,
     NULL},
    {"SERVFAIL even with AA",
     "www.ex.test.",
     "A",
     "ex.test.",
     true,
     false,
     false,
     GT_RCODE_SERVFAIL,
     {{0, NULL, NULL, NULL}},
     GT_OUT_LAME,
     NULL},
    {"NOTIMP",
     "www.ex.test.",
     "A",
     "ex.test.",
     false,
     false,
     false,
     GT_RCODE_NOTIMP,
     {{0, NULL, NULL, NULL}},
     GT_OUT_LAME,
     NULL},
    {"TC over UDP",
     "www.ex.test.",
     "A",
     "test.",
     false,
     true,
     false,
     0,
     {{GT_SEC_AUTHORITY, "ex.test.", "NS", "ns1.ex.test."}},
     GT_OUT_TRUNCATED,
     NULL},
    {"TC over TCP is a broken reply, never used (RFC 7766 section 8)",
     "www.ex.test.",
     "A",
     "test.",
     false,
     true,
     true,
     0,
     {{GT_SEC_AUTHORITY, "ex.test.", "NS", "ns1.ex.test."}},
     GT_OUT_MALFORMED,
     NULL},
    {"TC over TCP with an answer: not an answer",
     "www.ex.test.",
     "A",
     "ex.test.",
     true,
     true,
     true,
     0,
     {{GT_SEC_ANSWER, "www.ex.test.", "A", "192.0.2.1"}},
     GT_OUT_MALFORMED,
     NULL},
    {"AA reply with NS of the root, no SOA: upward referral, not NODATA",
     "www.ex.test.",
     "A",
     "ex.test.",
     true,
     false,
     false,
     0,
     {{GT_SEC_AUTHORITY, ".", "NS", "a.root.test."}},
     GT_OUT_UPWARD,
     "."},
    {"AA reply with NS of an unrelated zone, no SOA: sideways, not NODATA",
     "www.ex.test.",
     "A",
     "ex.test.",
     true,
     false,
     false,
     0,
     {{GT_SEC_AUTHORITY, "other.example.", "NS", "ns.other.example."}},
     GT_OUT_SIDEWAYS,
     "other.example."},
    {"answer for a CNAME target outside the zone is not the zone's: CNAME",
     "www.ex.test.",
     "A",
     "ex.test.",
     true,
     false,
     false,
     0,
     {{GT_SEC_ANSWER, "www.ex.test.", "CNAME", "web.cdn.example."},
      {GT_SEC_ANSWER, "web.cdn.example.", "A", "192.0.2.66"}},
     GT_OUT_CNAME,
     NULL},
    {"NXDOMAIN about a CNAME target outside the zone: CNAME",
     "www.ex.test.",
     "A",
     "ex.test.",
     true,
     false,
     false,
     GT_RCODE_NXDOMAIN,
     {{GT_SEC_ANSWER, "www.ex.test.", "CNAME", "gone.cdn.example."}},
     GT_OUT_CNAME,
     NULL},
    {"YXDOMAIN for a DNAME substitution too long: authoritative (RFC 6672), not lame",
     "a.b.c.ex.test.",
     "A",
     "ex.test.",
     true,
     false,
     false,
     GT_RCODE_YXDOMAIN,
     {{GT_SEC_ANSWER, "c.ex.test.", "DNAME", "long.example."}},
     GT_OUT_NXDOMAIN,
     NULL},
    {"YXDOMAIN without a DNAME above the name is lame",
     "a.b.c.ex.test.",
     "A",
     "ex.test.",
     true,
     false,
     false,
     GT_RCODE_YXDOMAIN,
     {{0, NULL, NULL, NULL}},
     GT_OUT_LAME,
     NULL},
    {"DS referred into the child of that very name: not progress, lame for DS",
     "ex.test.",
     "DS",
     "test.",
     false,
     false,
     false,
     0,
     {{GT_SEC_AUTHORITY, "ex.test.", "NS", "ns1.ex.test."}},
     GT_OUT_LAME,
     NULL},
    {"DS of a deeper name: the referral to its ancestor is progress",
     "sub.ex.test.",
     "DS",
     "test.",
     false,
     false,
     false,
     0,
     {{GT_SEC_AUTHORITY, "ex.test.", "NS", "ns1.ex.test."}},
     GT_OUT_REFERRAL,
     "ex.test."},
    {"FORMERR is lame",
     "www.ex.test.",
     "A",
     "ex.test.",
     true,
     false,
     false,
     GT_RCODE_FORMERR,
     {{0, NULL, NULL, NULL}},
     GT_OUT_LAME,
     NULL},
    {"AA with only NS of its own zone: nodata",
     "ex.test.",
     "A",
     "ex.test.",
     true,
     false,
     false,
     0,
     {{GT_SEC_AUTHORITY, "ex.test.", "NS", "ns1.ex.test."}},
     GT_OUT_NODATA,
     NULL},
};

static gt_msg *build(const row *r, const uint8_t *q, size_t qlen)
{
    static tb_msg m;
    tb_begin(&m, q, qlen, r->aa, r->rcode);
    if (r->tc) {
        tb_set_tc(&m);
    }
    for (size_t i = 0; i < 6 && r->rrs[i].owner != NULL; i++) {
        tb_rr(&m, r->rrs[i].sec, r->rrs[i].owner, r->rrs[i].type, 300, r->rrs[i].rdata);
    }
    size_t len = tb_end(&m);
    gt_msg *msg = NULL;
    GT_CHECK_INT(gt_msg_parse(m.buf, len, &msg), GT_OK);
    return msg;
}

static void test_table(void)
{
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const row *r = &rows[i];
        gt_name qname, zone;
        uint16_t qtype;
        uint8_t q[512];
        size_t qlen = 0;
        gt_name_from_str(&qname, r->qname);
        gt_name_from_str(&zone, r->zone);
        gt_type_from_str(r->qtype, &qtype);
        gt_query_opts o = {.id = 7, .edns = true, .bufsize = 1232};
        GT_CHECK_INT(gt_build_query(q, sizeof(q), &qlen, &qname, qtype, &o), GT_OK);
        gt_msg *m = build(r, q, qlen);
        if (m == NULL) {
            continue;
        }
        GT_CHECK(gt_reply_matches(m, &qname, qtype));
        gt_class c;
        gt_classify(&qname, qtype, &zone, m, r->tcp, &c);
        if (c.outcome != r->want) {
            fprintf(stderr, "row '%s': got %s, want %s\n", r->what, gt_outcome_str(c.outcome),
                    gt_outcome_str(r->want));
        }
        GT_CHECK_INT(c.outcome, r->want);
        if (r->want_zone != NULL) {
            gt_name wz;
            gt_name_from_str(&wz, r->want_zone);
            GT_CHECK(gt_name_eq(&c.zone, &wz));
        }
        gt_msg_free(m);
    }
}

static void test_reply_matches(void)
{
    gt_name qname, other;
    uint8_t q[512], q2[512];
    size_t qlen = 0, q2len = 0;
    gt_name_from_str(&qname, "www.ex.test.");
    gt_name_from_str(&other, "evil.ex.test.");
    gt_query_opts o = {.id = 9};
    gt_build_query(q, sizeof(q), &qlen, &qname, GT_TYPE_A, &o);
    gt_build_query(q2, sizeof(q2), &q2len, &other, GT_TYPE_A, &o);
    static tb_msg m;
    tb_begin(&m, q2, q2len, true, 0); /* a reply to another question */
    size_t len = tb_end(&m);
    gt_msg *msg = NULL;
    GT_CHECK_INT(gt_msg_parse(m.buf, len, &msg), GT_OK);
    GT_CHECK(!gt_reply_matches(msg, &qname, GT_TYPE_A));
    GT_CHECK(!gt_reply_matches(msg, &other, GT_TYPE_AAAA));
    GT_CHECK(gt_reply_matches(msg, &other, GT_TYPE_A));
    gt_msg_free(msg);
    /* Our own query echoed back (QR=0) is not a reply. */
    GT_CHECK_INT(gt_msg_parse(q, qlen, &msg), GT_OK);
    GT_CHECK(!gt_reply_matches(msg, &qname, GT_TYPE_A));
    gt_msg_free(msg);
}

typedef struct bw {
    const char *owner, *child, *parent;
    gt_glue_kind want;
} bw;

static void test_bailiwick_table(void)
{
    static const bw t[] = {
        {"ns1.ex.test.", "ex.test.", "test.", GT_GLUE_IN_DOMAIN},
        {"ex.test.", "ex.test.", "test.", GT_GLUE_IN_DOMAIN},
        {"ns.sib.test.", "ex.test.", "test.", GT_GLUE_SIBLING},
        {"ns.other.net.", "ex.test.", "test.", GT_GLUE_NONE},
        {"ns1.notex.test.", "ex.test.", "test.", GT_GLUE_SIBLING},
        {"ns1.notex.test.", "ex.test.", "ex.test.", GT_GLUE_NONE},
        {"NS1.EX.TEST.", "ex.test.", "test.", GT_GLUE_IN_DOMAIN},
        {"a.root.", "test.", ".", GT_GLUE_SIBLING},
        {"test.", "ex.test.", "ex.test.", GT_GLUE_NONE},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        gt_name o, c, p;
        gt_name_from_str(&o, t[i].owner);
        gt_name_from_str(&c, t[i].child);
        gt_name_from_str(&p, t[i].parent);
        GT_CHECK_INT(gt_bailiwick_kind(&o, &c, &p), t[i].want);
    }
}

static void test_referral_extract(void)
{
    gt_name qname, child, parent;
    uint8_t q[512];
    size_t qlen = 0;
    gt_name_from_str(&qname, "www.ex.test.");
    gt_name_from_str(&child, "ex.test.");
    gt_name_from_str(&parent, "test.");
    gt_query_opts o = {.id = 1};
    gt_build_query(q, sizeof(q), &qlen, &qname, GT_TYPE_A, &o);
    static tb_msg m;
    tb_begin(&m, q, qlen, false, 0);
    tb_rr(&m, GT_SEC_AUTHORITY, "ex.test.", "NS", 300, "ns1.ex.test.");
    tb_rr(&m, GT_SEC_AUTHORITY, "ex.test.", "NS", 300, "ns.sib.test.");
    tb_rr(&m, GT_SEC_AUTHORITY, "ex.test.", "NS", 300, "ns.other.net.");
    tb_rr(&m, GT_SEC_AUTHORITY, "ex.test.", "NS", 300, "NS1.ex.test.");    /* duplicate */
    tb_rr(&m, GT_SEC_AUTHORITY, "evil.test.", "NS", 300, "ns.evil.test."); /* other owner */
    tb_rr(&m, GT_SEC_ADDITIONAL, "ns1.ex.test.", "A", 300, "192.0.2.1");
    tb_rr(&m, GT_SEC_ADDITIONAL, "ns1.ex.test.", "AAAA", 300, "2001:db8::1");
    tb_rr(&m, GT_SEC_ADDITIONAL, "ns1.ex.test.", "A", 300, "192.0.2.1"); /* duplicate */
    tb_rr(&m, GT_SEC_ADDITIONAL, "ns.sib.test.", "A", 300, "192.0.2.2");
    tb_rr(&m, GT_SEC_ADDITIONAL, "ns.other.net.", "A", 300, "203.0.113.66");
    tb_rr(&m, GT_SEC_ADDITIONAL, "www.ex.test.", "A", 300, "203.0.113.67");
    tb_rr(&m, GT_SEC_ADDITIONAL, "ns1.ex.test.", "TXT", 300, "\"hi\"");
    size_t len = tb_end(&m);
    gt_msg *msg = NULL;
    GT_CHECK_INT(gt_msg_parse(m.buf, len, &msg), GT_OK);
    gt_referral ref;
    GT_CHECK_INT(gt_referral_extract(msg, &child, &parent, &ref), GT_OK);
    GT_CHECK_INT(ref.nns, 3);
    GT_CHECK_INT(ref.nglue, 3);
    GT_CHECK_INT(ref.nignored, 3);
    size_t oob = 0, notns = 0, notaddr = 0;
    for (size_t i = 0; i < ref.nignored; i++) {
        oob += strcmp(ref.ignored[i].reason, "out of bailiwick") == 0;
        notns += strcmp(ref.ignored[i].reason, "not an NS name of the referral") == 0;
        notaddr += strcmp(ref.ignored[i].reason, "not an address record") == 0;
    }
    GT_CHECK_INT(oob, 1);
    GT_CHECK_INT(notns, 1);
    GT_CHECK_INT(notaddr, 1);
    size_t sib = 0;
    for (size_t i = 0; i < ref.nglue; i++) {
        sib += ref.glue[i].kind == GT_GLUE_SIBLING;
        char a[GT_ADDR_STRLEN];
        GT_CHECK(strcmp(gt_addr_to_str(&ref.glue[i].addr, a, sizeof(a)), "203.0.113.66") != 0);
    }
    GT_CHECK_INT(sib, 1);
    gt_referral_clear(&ref);
    gt_msg_free(msg);
}

int main(void)
{
    test_table();
    test_reply_matches();
    test_bailiwick_table();
    test_referral_extract();
    return gt_test_done();
}
