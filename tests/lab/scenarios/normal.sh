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
finish
