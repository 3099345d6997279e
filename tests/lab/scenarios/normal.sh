#!/usr/bin/env bash
# Scenario 1 (normal): in-domain glue, A and AAAA, two servers per zone.
. "$(dirname "$0")/lib.sh"

for type in A AAAA; do
    gt_run www.normal.test "$type"
    expect_rc 0
    expect_no_errors
    expect_main_status answer
    for a in 127.53.0.1 127.53.0.2 2001:db8:53::1 2001:db8:53::2; do expect_asked "$a" . hints; done
    for a in 127.53.1.1 127.53.1.2 2001:db8:53:1::1 2001:db8:53:1::2; do expect_asked "$a" test. glue in-domain; done
    for a in 127.53.101.1 127.53.101.2 2001:db8:53:101::1 2001:db8:53:101::2; do
        expect_asked "$a" normal.test. glue in-domain
        expect_outcome "$a" answer NOERROR
    done
    jq_true "normal.test glue came from test. servers' referrals" \
        'all(.queries[] | select(.zone == "normal.test."); .server.glue_from.address
             | IN("127.53.1.1","127.53.1.2","2001:db8:53:1::1","2001:db8:53:1::2"))'
    expect_answer_servers 127.53.101.1 127.53.101.2 2001:db8:53:101::1 2001:db8:53:101::2
done
expect_only_answer_data 2001:db8:1::1
gt_run www.normal.test A
expect_answer www.normal.test. A 192.0.2.1
expect_only_answer_data 192.0.2.1
jq_true "answers are authoritative" 'all(.queries[] | select(.outcome == "answer"); .aa == true)'
jq_true "no server was asked the same question twice" \
    '[.queries[] | select(.cached_from == null) | [.server.address, .qname, .qtype, .transport]]
     | (length == (unique | length))'
jq_true "delegation checks asked the child for its NS set" \
    'any(.traces[]; .kind == "check" and .name == "normal.test." and .type == "NS" and .status == "answer")'

gt_run --tcp www.normal.test A
expect_rc 0
jq_true "--tcp: every query went over TCP" 'all(.queries[] | select(.cached_from == null); .transport == "tcp")'
expect_answer www.normal.test. A 192.0.2.1

gt_run -6 www.normal.test A
expect_rc 0
jq_true "-6: only IPv6 servers" 'all(.queries[]; .server.address | contains(":"))'
expect_answer_servers 2001:db8:53:101::1 2001:db8:53:101::2

gt_run -4 --no-checks www.normal.test A
expect_rc 0
jq_true "-4 --no-checks: 2 roots + 2 TLD + 2 child addresses, nothing else" \
    '.stats.queries == 6 and all(.queries[]; .server.address | contains(":") | not)'

gt_run --one www.normal.test A
expect_rc 0
jq_true "--one: one server per zone cut (3 queries)" '.stats.queries == 3'
expect_answer www.normal.test. A 192.0.2.1

gt_run -s 127.53.1.2 www.normal.test A
expect_rc 0
jq_true "-s: the first query goes to the given server, source user" \
    '.queries[0].server.address == "127.53.1.2" and .queries[0].server.source == "user"
     and .queries[0].parent == null and all(.queries[]; .server.source != "hints")'
expect_answer www.normal.test. A 192.0.2.1

gt_run --no-edns www.normal.test A
expect_rc 0
expect_answer www.normal.test. A 192.0.2.1
finish
