#!/usr/bin/env bash
# Scenario 3 (sibling glue): sibling.test's NS ns.sibling-host.test is under the
# parent test. but not under sibling.test; test.'s referral carries its glue.
. "$(dirname "$0")/lib.sh"

gt_run www.sibling.test A
expect_rc 0
expect_no_errors
expect_answer www.sibling.test. A 192.0.2.3
expect_only_answer_data 192.0.2.3
jq_true "test.'s referral for sibling.test. has sibling glue for ns.sibling-host.test." \
    'any(.queries[] | select(.referral.zone == "sibling.test."); any(.referral.glue[];
         .name == "ns.sibling-host.test." and .address == "127.53.103.1" and .kind == "sibling"))'
for a in 127.53.103.1 2001:db8:53:103::1; do expect_asked "$a" sibling.test. glue sibling; done
jq_true "no sub-trace was needed for ns.sibling-host.test." \
    'all(.traces[]; .kind != "subtrace" or .name != "ns.sibling-host.test.")'
expect_answer_servers 127.53.103.1 2001:db8:53:103::1
finish
