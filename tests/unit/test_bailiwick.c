/*
 * gt_referral_extract() limits (issue #6): what the per-referral caps leave out is counted,
 * and glue of NS names dropped by GT_MAX_NS_PER_REFERRAL is not mislabelled as glue for a
 * name that is not in the referral.
 */
#include <stdio.h>
#include <string.h>

#include "gluetrace/dns/bailiwick.h"
#include "msgbuild.h"
#include "tap.h"

static gt_msg *referral(unsigned nns, unsigned glue_per_ns, unsigned extra)
{
    static tb_msg m;
    uint8_t query[512];
    size_t qlen;
    gt_name q;
    gt_query_opts o = {.id = 7};
    char ns[64], a[32];
    memset(&m, 0, sizeof(m));
    gt_name_from_str(&q, "www.sub.example.test.");
    gt_build_query(query, sizeof(query), &qlen, &q, GT_TYPE_A, &o);
    tb_begin(&m, query, qlen, false, GT_RCODE_NOERROR);
    for (unsigned i = 0; i < nns; i++) {
        snprintf(ns, sizeof(ns), "ns%u.sub.example.test.", i);
        tb_rr(&m, GT_SEC_AUTHORITY, "sub.example.test.", "NS", 60, ns);
    }
    for (unsigned i = 0; i < nns; i++) {
        for (unsigned j = 0; j < glue_per_ns; j++) {
            snprintf(ns, sizeof(ns), "ns%u.sub.example.test.", i);
            snprintf(a, sizeof(a), "10.0.%u.%u", i, j + 1);
            tb_rr(&m, GT_SEC_ADDITIONAL, ns, "A", 60, a);
        }
    }
    for (unsigned i = 0; i < extra; i++) {
        snprintf(ns, sizeof(ns), "x%u.elsewhere.net.", i);
        tb_rr(&m, GT_SEC_ADDITIONAL, ns, "A", 60, "203.0.113.1");
    }
    size_t len = tb_end(&m);
    gt_msg *msg = NULL;
    GT_CHECK_INT(gt_msg_parse(m.buf, len, &msg), GT_OK);
    return msg;
}

static void extract(const gt_msg *m, gt_referral *r)
{
    gt_name child, parent;
    gt_name_from_str(&child, "sub.example.test.");
    gt_name_from_str(&parent, "example.test.");
    GT_CHECK_INT(gt_referral_extract(m, &child, &parent, r), GT_OK);
}

static void test_ns_over_limit(void)
{
    gt_msg *m = referral(GT_MAX_NS_PER_REFERRAL + 8, 1, 0);
    gt_referral r;
    extract(m, &r);
    GT_CHECK_INT(r.nns, GT_MAX_NS_PER_REFERRAL);
    GT_CHECK_INT(r.ns_dropped, 8);
    GT_CHECK_INT(r.nglue, GT_MAX_NS_PER_REFERRAL);
    GT_CHECK_INT(r.nignored, 8);
    for (size_t i = 0; i < r.nignored; i++) {
        /* regression: these were reported as "not an NS name of the referral" */
        GT_CHECK(strstr(r.ignored[i].reason, "limit") != NULL);
    }
    gt_referral_clear(&r);
    gt_msg_free(m);
}

static void test_glue_over_limit(void)
{
    /* 20 NS names with 4 addresses each: 80 usable glue records, 64 taken. */
    gt_msg *m = referral(20, 4, 0);
    gt_referral r;
    extract(m, &r);
    GT_CHECK_INT(r.nns, 20);
    GT_CHECK_INT(r.nglue, GT_MAX_GLUE_PER_REFERRAL);
    GT_CHECK_INT(r.glue_dropped, 80 - GT_MAX_GLUE_PER_REFERRAL);
    GT_CHECK_INT(r.nignored, 0);
    gt_referral_clear(&r);
    gt_msg_free(m);
}

static void test_ignored_over_limit(void)
{
    gt_msg *m = referral(2, 1, GT_MAX_IGNORED_PER_REFERRAL + 5);
    gt_referral r;
    extract(m, &r);
    GT_CHECK_INT(r.nglue, 2);
    GT_CHECK_INT(r.nignored, GT_MAX_IGNORED_PER_REFERRAL);
    GT_CHECK_INT(r.ignored_dropped, 5);
    GT_CHECK_STR(r.ignored[0].reason, "not an NS name of the referral");
    gt_referral_clear(&r);
    gt_msg_free(m);
}

int main(void)
{
    test_ns_over_limit();
    test_glue_over_limit();
    test_ignored_over_limit();
    return gt_test_done();
}
