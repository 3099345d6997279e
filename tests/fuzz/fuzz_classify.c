/*
 * Fuzz target (b): the classifier and the bailiwick filter on a parsed reply, as the engine
 * runs them for a server of a fixed zone cut. The first input byte chooses the cut and the
 * transport; the rest is the reply. The question is taken from the reply itself so that
 * gt_reply_matches() passes and the classifier is reached; a second run asks a fixed question
 * the reply usually does not match.
 * Invariants (what must never be steered by a hostile reply):
 *  - a REFERRAL is to a zone strictly below the cut that covers the question name;
 *  - every accepted glue address is owned by an NS name of that referral and lies inside the
 *    delegated zone or the cut (RFC 9471); nothing else is accepted;
 *  - the per-referral limits hold.
 */
#include <string.h>

#include "fuzz.h"
#include "gluetrace/dns/bailiwick.h"
#include "gluetrace/dns/classify.h"

static const char *const cuts[] = {".", "test.", "example.test.", "a.b.c.example.test."};

static void check_referral(const gt_msg *m, const gt_name *zone, const gt_class *c)
{
    gt_referral ref;
    gt_status st = gt_referral_extract(m, &c->zone, zone, &ref);
    if (st != GT_OK) {
        fuzz_assert(st == GT_ENOMEM);
        return;
    }
    fuzz_assert(gt_name_eq(&ref.zone, &c->zone));
    fuzz_assert(ref.nns <= GT_MAX_NS_PER_REFERRAL);
    fuzz_assert(ref.nglue <= GT_MAX_GLUE_PER_REFERRAL);
    fuzz_assert(ref.nignored <= GT_MAX_IGNORED_PER_REFERRAL);
    for (size_t i = 0; i < ref.nns; i++) {
        for (size_t j = i + 1; j < ref.nns; j++) {
            fuzz_assert(!gt_name_eq(&ref.ns[i], &ref.ns[j]));
        }
    }
    for (size_t i = 0; i < ref.nglue; i++) {
        const gt_glue *g = &ref.glue[i];
        bool listed = false;
        for (size_t j = 0; j < ref.nns && !listed; j++) {
            listed = gt_name_eq(&ref.ns[j], &g->name);
        }
        fuzz_assert(listed);
        fuzz_assert(gt_name_is_under(&g->name, &c->zone) || gt_name_is_under(&g->name, zone));
        fuzz_assert(g->kind == gt_bailiwick_kind(&g->name, &c->zone, zone));
        fuzz_assert(g->kind != GT_GLUE_NONE);
    }
    for (size_t i = 0; i < ref.nignored; i++) {
        fuzz_assert(ref.ignored[i].reason != NULL);
    }
    fuzz_assert(strcmp(gt_glue_kind_str(GT_GLUE_NONE), "none") == 0);
    gt_referral_clear(&ref);
}

static void run_one(const gt_msg *m, const gt_name *qname, uint16_t qtype, const gt_name *zone,
                    bool tcp)
{
    if (!gt_reply_matches(m, qname, qtype)) {
        return;
    }
    gt_class c;
    memset(&c, 0, sizeof(c));
    gt_classify(qname, qtype, zone, m, tcp, &c);
    fuzz_assert(gt_outcome_str(c.outcome) != NULL);
    fuzz_assert(c.cname_links <= GT_MAX_CNAME_IN_REPLY);
    switch (c.outcome) {
    case GT_OUT_REFERRAL:
        fuzz_assert(gt_name_is_under(&c.zone, zone) && !gt_name_eq(&c.zone, zone));
        fuzz_assert(gt_name_is_under(qname, &c.zone));
        check_referral(m, zone, &c);
        break;
    case GT_OUT_UPWARD:
    case GT_OUT_SIDEWAYS:
        check_referral(m, zone, &c);
        break;
    case GT_OUT_TRUNCATED:
        fuzz_assert(!tcp);
        break;
    case GT_OUT_PENDING:
    case GT_OUT_TIMEOUT:
    case GT_OUT_UNREACHABLE:
    case GT_OUT_ERROR:
        fuzz_fail("the classifier returned a transport outcome");
    default:
        break;
    }
    if (c.outcome == GT_OUT_LAME) {
        fuzz_assert(c.lame != GT_LAME_NONE);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    uint8_t sel = data[0];
    gt_name zone, fixed;
    gt_msg *m = NULL;
    if (gt_name_from_str(&zone, cuts[sel & 3]) != GT_OK ||
        gt_name_from_str(&fixed, "www.a.b.c.example.test.") != GT_OK) {
        fuzz_fail("fixed names do not parse");
    }
    if (gt_msg_parse(data + 1, size - 1, &m) != GT_OK) {
        return 0;
    }
    bool tcp = (sel & 4) != 0;
    if (m->has_question) {
        run_one(m, &m->qname, m->qtype, &zone, tcp);
    }
    run_one(m, &fixed, GT_TYPE_A, &zone, tcp);
    gt_msg_free(m);
    return 0;
}
