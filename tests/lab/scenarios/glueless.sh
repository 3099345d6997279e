#!/usr/bin/env bash
# Scenario 2 (glueless): glueless.test's NS names live under example.; their
# addresses come only from sub-traces from the root.
. "$(dirname "$0")/lib.sh"

gt_run www.glueless.test A
expect_rc 0
expect_no_errors
expect_answer www.glueless.test. A 192.0.2.2
expect_only_answer_data 192.0.2.2
for n in ns1.dns-host.example. ns2.dns-host.example.; do expect_trace subtrace "$n" answer; done
jq_true "the referral for glueless.test. carries no glue" \
    'all(.queries[] | select(.referral.zone == "glueless.test."); (.referral.glue|length) == 0)'
jq_true "sub-traces start at the root and go through example." \
    'any(.queries[]; .trace == "ns1.dns-host.example." and .zone == "." and .server.source == "hints")
     and any(.queries[]; .trace == "ns1.dns-host.example." and .zone == "example.")
     and any(.queries[]; .trace == "ns1.dns-host.example." and .zone == "dns-host.example." and .server.source == "glue")'
for a in 127.53.102.1 127.53.102.2 2001:db8:53:102::1 2001:db8:53:102::2; do
    expect_asked "$a" glueless.test. subtrace
done
jq_true "subtrace servers refer to an existing subtrace" \
    '. as $r | all(.queries[] | select(.server.source == "subtrace");
        .server.subtrace as $t | any($r.traces[]; .id == $t and .kind == "subtrace"))'
expect_answer_servers 127.53.102.1 127.53.102.2 2001:db8:53:102::1 2001:db8:53:102::2
jq_true "a glueless NS name's sub-trace addresses are not offered again as the child's" \
    'all(.queries[]; .server.source != "child")'
finish
