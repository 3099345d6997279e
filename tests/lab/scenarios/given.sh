#!/usr/bin/env bash
# -s ADDR / @ADDR is dig's @ADDR: the trace starts at that server, which is not a root server.
# A recursive resolver given there (the lab resolver, RA=1) is named as one and pointed at
# --compare-resolver; an authoritative server given there (a test. server) is never lame for
# the root zone, with or without a trust anchor (its REFUSED DNSKEY reply for . is not a
# finding); DNSSEC from it is indeterminate.
. "$(dirname "$0")/lib.sh"
ANCHOR_DS=$LAB_ANCHOR_DIR/root.ds

gt_run -s 127.53.53.53 www.normal.test A
expect_rc 3
expect_finding GIVEN_SERVER_IS_RESOLVER error "--compare-resolver=127.53.53.53" 127.53.53.53
expect_no_finding LAME_SERVER
jq_true "one problem: the resolver, with no authoritative data under it" \
    '(.problems | length) == 1 and .problems[0].code == "GIVEN_SERVER_IS_RESOLVER"
     and .problems[0]["then"] == ["NO_AUTHORITATIVE_DATA"] and .problems[0].subject == "run"'

gt_run -s 127.53.53.53 --trust-anchor "$ANCHOR_DS" www.normal.test A
expect_rc 3
expect_finding GIVEN_SERVER_IS_RESOLVER error
expect_no_finding LAME_SERVER

# The healthy look-alikes: an authoritative server of test. answers by referral (RA=0).
gt_run -s 127.53.1.1 www.normal.test A
expect_rc 0
expect_no_finding GIVEN_SERVER_IS_RESOLVER
expect_no_finding LAME_SERVER
expect_answer www.normal.test. A 192.0.2.1

gt_run -s 127.53.1.1 --trust-anchor "$ANCHOR_DS" www.normal.test A
expect_rc 0
expect_no_finding GIVEN_SERVER_IS_RESOLVER
expect_no_finding LAME_SERVER
jq_true "no problems; DNSSEC indeterminate from a server that is not the root" \
    '(.problems | length) == 0 and .dnssec.answer.status == "indeterminate"'

# A lame authoritative server (RA=0, REFUSED) given with -s is not called a resolver either;
# its REFUSED is why no authoritative data was reached.
gt_run -s 127.53.106.2 www.lame.test A
expect_rc 3
expect_no_finding GIVEN_SERVER_IS_RESOLVER
expect_no_finding LAME_SERVER
expect_finding NO_AUTHORITATIVE_DATA error "REFUSED"
finish
