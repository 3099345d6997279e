/*
 * gt_problems_group(): findings about one server name of one zone become one problem, its
 * addresses listed once; a second code raised for the very same replies is folded in; a code
 * about other replies stays a problem of its own; worst severity first; regrouping replaces;
 * info findings are notes; a problem another causes is folded under its cause.
 */
#include <stdlib.h>
#include <string.h>

#include "gluetrace/diagnose/problems.h"
#include "tap.h"

/* A result with queries to the given servers of zone lame.test. (ids 1..n). */
static gt_result *result_with(const char *const *names, const char *const *addrs, size_t n)
{
    gt_result *r = calloc(1, sizeof(*r));
    GT_CHECK(r != NULL);
    r->queries = calloc(n, sizeof(*r->queries));
    r->capqueries = n;
    for (size_t i = 0; i < n; i++) {
        gt_query *q = calloc(1, sizeof(*q));
        q->id = i + 1;
        GT_CHECK_INT(gt_name_from_str(&q->zone, "lame.test."), GT_OK);
        GT_CHECK_INT(gt_name_from_str(&q->server_name, names[i]), GT_OK);
        GT_CHECK_INT(gt_addr_parse(addrs[i], &q->addr), GT_OK);
        r->queries[i] = q;
        r->nqueries++;
    }
    return r;
}

/* The problems of @p r with code @p c. */
static size_t count_code(const gt_result *r, gt_code c)
{
    size_t n = 0;
    for (size_t i = 0; i < r->nproblems; i++) {
        n += r->problems[i].code == c;
    }
    return n;
}

/*
 * A problem another causes is folded under its cause, once, with the cause's fix; each
 * look-alike whose cause is absent (or about another zone or resolver, or beside a server
 * that is not lame) stays a problem of its own.
 */
static void causes(void)
{
    static const char *const names[] = {"ns2.lame.test.", "ns3.lame.test."};
    static const char *const addrs[] = {"192.0.2.2", "192.0.2.3"};
    gt_name zone, other;
    GT_CHECK_INT(gt_name_from_str(&zone, "lame.test."), GT_OK);
    GT_CHECK_INT(gt_name_from_str(&other, "other.test."), GT_OK);

    /* every server of the zone lame: no authoritative data is their consequence */
    gt_result *r = result_with(names, addrs, 2);
    gt_result_add_finding(r, GT_F_LAME_SERVER, &zone, 1, NULL, "lame: REFUSED");
    gt_result_add_finding(r, GT_F_LAME_SERVER, &zone, 2, NULL, "lame: REFUSED");
    gt_result_add_finding(r, GT_F_NO_AUTHORITATIVE_DATA, &zone, 0, NULL, "no data");
    GT_CHECK_INT(gt_problems_group(r), GT_OK);
    GT_CHECK_INT(r->nproblems, 2);
    GT_CHECK_INT(r->problems[0].nthen, 1);
    GT_CHECK_INT(r->problems[0].then[0], GT_F_NO_AUTHORITATIVE_DATA);
    GT_CHECK_INT(r->problems[0].nmessages, 2);
    GT_CHECK_INT(r->problems[1].nthen, 0); /* once, under one cause */
    gt_result_free(r);

    /* a server whose only replies were mismatched (wrong ID): the same */
    r = result_with(names, addrs, 1);
    gt_result_add_finding(r, GT_F_MISMATCHED_REPLY, NULL, 1, NULL, "1 UDP reply with a wrong ID");
    gt_result_add_finding(r, GT_F_NO_AUTHORITATIVE_DATA, &zone, 0, NULL, "no data");
    GT_CHECK_INT(gt_problems_group(r), GT_OK);
    GT_CHECK_INT(r->nproblems, 1);
    GT_CHECK_INT(r->problems[0].code, GT_F_MISMATCHED_REPLY);
    GT_CHECK_INT(r->problems[0].nthen, 1);
    gt_result_free(r);

    /* look-alike: one server unreachable too: not every failure is a lame server */
    r = result_with(names, addrs, 2);
    gt_result_add_finding(r, GT_F_LAME_SERVER, &zone, 1, NULL, "lame: REFUSED");
    gt_result_add_finding(r, GT_F_UNREACHABLE_SERVER, &zone, 2, NULL, "timeout");
    gt_result_add_finding(r, GT_F_NO_AUTHORITATIVE_DATA, &zone, 0, NULL, "no data");
    GT_CHECK_INT(gt_problems_group(r), GT_OK);
    GT_CHECK_INT(r->nproblems, 3);
    GT_CHECK_INT(count_code(r, GT_F_NO_AUTHORITATIVE_DATA), 1);
    gt_result_free(r);

    /* a glueless cycle of the zone; look-alike: a cycle of another zone */
    r = result_with(names, addrs, 2);
    gt_result_add_finding(r, GT_F_GLUELESS_CYCLE, &zone, 1, NULL, "cycle");
    gt_result_add_finding(r, GT_F_NO_AUTHORITATIVE_DATA, &zone, 1, NULL, "no data");
    gt_result_add_finding(r, GT_F_NO_AUTHORITATIVE_DATA, &other, 0, NULL, "no data there");
    GT_CHECK_INT(gt_problems_group(r), GT_OK);
    GT_CHECK_INT(r->nproblems, 2);
    GT_CHECK_INT(r->problems[0].code, GT_F_GLUELESS_CYCLE);
    GT_CHECK_INT(r->problems[0].nthen, 1);
    GT_CHECK_INT(r->problems[1].code, GT_F_NO_AUTHORITATIVE_DATA);
    GT_CHECK(gt_name_eq(&r->problems[1].zone, &other));
    gt_result_free(r);

    /* a stale resolver address explains that resolver's answer; another resolver's stays */
    r = result_with(names, addrs, 2);
    gt_result_add_finding(r, GT_F_STALE_RESOLVER_ADDRESS, NULL, 0, "127.0.0.53", "stale");
    gt_result_add_finding(r, GT_F_RESOLVER_ANSWER_DIFFERS, NULL, 0, "127.0.0.53", "differs");
    gt_result_add_finding(r, GT_F_RESOLVER_ANSWER_DIFFERS, NULL, 0, "127.0.0.54", "differs");
    GT_CHECK_INT(gt_problems_group(r), GT_OK);
    GT_CHECK_INT(r->nproblems, 2);
    GT_CHECK_INT(r->problems[0].code, GT_F_STALE_RESOLVER_ADDRESS);
    GT_CHECK_INT(r->problems[0].nthen, 1);
    GT_CHECK_STR(r->problems[1].server, "127.0.0.54");
    gt_result_free(r);

    /* an old serial explains the data that differs: the problem is an error, as its worst */
    r = result_with(names, addrs, 2);
    gt_result_add_finding(r, GT_F_SERIAL_MISMATCH, &zone, 0, NULL, "serials 1 and 2");
    gt_result_add_finding(r, GT_F_INCONSISTENT_ANSWERS, &zone, 0, NULL, "answers differ");
    gt_result_add_finding(r, GT_F_DNSSEC_DNSKEY_MISMATCH, &zone, 0, NULL, "keys differ");
    gt_result_add_finding(r, GT_F_INCONSISTENT_ANSWERS, &other, 0, NULL, "answers differ");
    GT_CHECK_INT(gt_problems_group(r), GT_OK);
    GT_CHECK_INT(r->nproblems, 2);
    GT_CHECK_INT(r->problems[0].code, GT_F_SERIAL_MISMATCH);
    GT_CHECK_INT(r->problems[0].severity, GT_SEV_ERROR);
    GT_CHECK_INT(r->problems[0].nthen, 2);
    GT_CHECK_INT(r->problems[0].nmessages, 3);
    GT_CHECK(gt_name_eq(&r->problems[1].zone, &other));
    gt_result_free(r);
}

/* A finding carries its server as data: from its query, or read once from the text a caller
 * gave; problems group by that data. */
static void server_data(void)
{
    static const char *const names[] = {"ns2.lame.test."};
    static const char *const addrs[] = {"192.0.2.2"};
    gt_result *r = result_with(names, addrs, 1);
    gt_name want;
    gt_addr a;
    GT_CHECK_INT(gt_result_add_finding(r, GT_F_LAME_SERVER, NULL, 1, NULL, "lame"), GT_OK);
    GT_CHECK_INT(gt_name_from_str(&want, "ns2.lame.test."), GT_OK);
    GT_CHECK(gt_name_eq(&r->findings[0].server_name, &want));
    GT_CHECK_INT(gt_addr_parse("192.0.2.2", &a), GT_OK);
    GT_CHECK(r->findings[0].has_server_addr && gt_addr_eq(&r->findings[0].server_addr, &a));
    GT_CHECK_INT(
        gt_result_add_finding(r, GT_F_TCP_CLOSED, NULL, 0, "ns9.x.test. (2001:db8::9)", "c"),
        GT_OK);
    GT_CHECK_INT(gt_name_from_str(&want, "ns9.x.test."), GT_OK);
    GT_CHECK(gt_name_eq(&r->findings[1].server_name, &want));
    GT_CHECK_INT(gt_addr_parse("2001:db8::9", &a), GT_OK);
    GT_CHECK(r->findings[1].has_server_addr && gt_addr_eq(&r->findings[1].server_addr, &a));
    GT_CHECK_INT(gt_result_add_finding(r, GT_F_RESOLVER_ANSWER_DIFFERS, NULL, 0, "127.0.0.53", "d"),
                 GT_OK);
    GT_CHECK_INT(r->findings[2].server_name.len, 0);
    GT_CHECK(r->findings[2].has_server_addr);
    GT_CHECK_INT(gt_problems_group(r), GT_OK);
    GT_CHECK_INT(r->nproblems, 2); /* TCP_CLOSED is info: a note */
    GT_CHECK_STR(r->problems[0].server, "ns2.lame.test.");
    GT_CHECK_INT(gt_name_from_str(&want, "ns2.lame.test."), GT_OK);
    GT_CHECK(gt_name_eq(&r->problems[0].server_name, &want));
    GT_CHECK_STR(r->problems[1].server, "127.0.0.53");
    GT_CHECK_INT(r->problems[1].server_name.len, 0);
    gt_result_free(r);
}

int main(void)
{
    static const char *const names[] = {"ns2.lame.test.", "ns2.lame.test.", "ns3.lame.test.",
                                        "ns3.lame.test.", "ns4.lame.test."};
    static const char *const addrs[] = {"192.0.2.2", "2001:db8::2", "192.0.2.3", "2001:db8::3",
                                        "192.0.2.4"};
    gt_result *r = result_with(names, addrs, 5);
    gt_name zone;
    GT_CHECK_INT(gt_name_from_str(&zone, "lame.test."), GT_OK);
    /* ns2: REFUSED on both addresses; ns3: lame and upward on both; ns4: only upward */
    gt_result_add_finding(r, GT_F_LAME_SERVER, &zone, 1, NULL, "lame: REFUSED");
    gt_result_add_finding(r, GT_F_LAME_SERVER, &zone, 2, NULL, "lame: REFUSED");
    gt_result_add_finding(r, GT_F_LAME_SERVER, &zone, 3, NULL, "lame: refers up");
    gt_result_add_finding(r, GT_F_UPWARD_REFERRAL, &zone, 3, NULL, "upward");
    gt_result_add_finding(r, GT_F_LAME_SERVER, &zone, 4, NULL, "lame: refers up");
    gt_result_add_finding(r, GT_F_UPWARD_REFERRAL, &zone, 4, NULL, "upward");
    gt_result_add_finding(r, GT_F_UPWARD_REFERRAL, &zone, 5, NULL, "upward");
    /* an info and a zone-wide finding without a server, twice with different messages */
    gt_result_add_finding(r, GT_F_TRUNCATED_REFERRAL, &zone, 1, NULL, "truncated");
    gt_result_add_finding(r, GT_F_NS_SET_MISMATCH, &zone, 0, NULL, "parent has ns9");
    gt_result_add_finding(r, GT_F_NS_SET_MISMATCH, &zone, 0, NULL, "child has ns8");
    GT_CHECK_INT(r->nfindings, 10);

    GT_CHECK_INT(gt_problems_group(r), GT_OK);
    GT_CHECK_INT(r->nproblems, 4); /* the info finding is a note, not a problem */
    GT_CHECK_INT(r->nnotes, 1);
    GT_CHECK_INT(r->notes[0].code, GT_F_TRUNCATED_REFERRAL);
    GT_CHECK(r->notes == r->problems + r->nproblems);
    /* errors first, in finding order: ns2 lame, ns3 lame (+ upward), ns4 upward */
    const gt_problem *p = &r->problems[0];
    GT_CHECK_INT(p->code, GT_F_LAME_SERVER);
    GT_CHECK_STR(p->server, "ns2.lame.test.");
    GT_CHECK_INT(p->naddrs, 2);
    GT_CHECK_INT(p->nfindings, 2);
    GT_CHECK_INT(p->nmessages, 1);
    GT_CHECK_INT(p->nalso, 0);
    p = &r->problems[1];
    GT_CHECK_INT(p->code, GT_F_LAME_SERVER);
    GT_CHECK_STR(p->server, "ns3.lame.test.");
    GT_CHECK_INT(p->naddrs, 2);
    GT_CHECK_INT(p->nfindings, 4); /* two lame, two upward folded in */
    GT_CHECK_INT(p->nalso, 1);
    GT_CHECK_INT(p->also[0], GT_F_UPWARD_REFERRAL);
    p = &r->problems[2];
    GT_CHECK_INT(p->code, GT_F_UPWARD_REFERRAL); /* not covered by a lame finding: its own */
    GT_CHECK_STR(p->server, "ns4.lame.test.");
    GT_CHECK_INT(p->naddrs, 1);
    p = &r->problems[3];
    GT_CHECK_INT(p->code, GT_F_NS_SET_MISMATCH); /* warning before info */
    GT_CHECK_STR(p->server, "");
    GT_CHECK_INT(p->naddrs, 0);
    GT_CHECK_INT(p->nfindings, 2);
    GT_CHECK_INT(p->nmessages, 2);

    /* Grouping again after another finding replaces the problems, it does not add to them. */
    gt_result_add_finding(r, GT_F_LAME_SERVER, &zone, 5, NULL, "lame: refers up");
    GT_CHECK_INT(gt_problems_group(r), GT_OK);
    GT_CHECK_INT(r->nproblems, 4);
    GT_CHECK_INT(r->nnotes, 1);
    GT_CHECK_INT(r->problems[2].code, GT_F_LAME_SERVER);
    GT_CHECK_STR(r->problems[2].server, "ns4.lame.test.");
    GT_CHECK_INT(r->problems[2].nalso, 1);
    gt_result_free(r);
    causes();
    server_data();
    return gt_test_done();
}
