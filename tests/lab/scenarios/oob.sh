#!/usr/bin/env bash
# Scenario 11 (out-of-bailiwick glue): oob.test's server refers sub.oob.test to
# ns1.dns-host.example. and adds addresses for that name (192.0.2.66,
# 2001:db8:bad::66) it has no authority over. They must be reported as ignored,
# never used; ns1.dns-host.example.'s address comes from a sub-trace.
. "$(dirname "$0")/lib.sh"

gt_run www.sub.oob.test A
expect_rc 0
expect_no_errors
expect_finding IGNORED_GLUE warning "192.0.2.66" 127.53.111.1
expect_finding IGNORED_GLUE warning "2001:db8:bad::66" 127.53.111.1
expect_answer www.sub.oob.test. A 192.0.2.11
expect_only_answer_data 192.0.2.11
for d in 192.0.2.66 2001:db8:bad::66; do
    jq_true "ignored_glue of the sub.oob.test. referral has $d" \
        'any(.queries[] | select(.server.address == "127.53.111.1" and .referral.zone == "sub.oob.test.");
             any(.referral.ignored_glue[]; .name == "ns1.dns-host.example." and .address == $d))' --arg d "$d"
    jq_true "accepted glue never has $d" 'all(.queries[]; all(.referral.glue[]?; .address != $d))' --arg d "$d"
done
expect_not_asked 192.0.2.66 2001:db8:bad::66
expect_trace subtrace ns1.dns-host.example. answer
for a in 127.53.102.1 2001:db8:53:102::1; do expect_asked "$a" sub.oob.test. subtrace; done
expect_answer_servers 127.53.102.1 2001:db8:53:102::1
finish
