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
jq_true "ns.sibling-host.test. is traced from the root only to verify its glue (issue 11)" \
    'all(.traces[] | select(.kind == "subtrace" and .name == "ns.sibling-host.test."); .status == "answer")'
jq_true "no server of sibling.test. was asked at an address from a sub-trace" \
    'all(.queries[] | select(.zone == "sibling.test." and .trace == "main"); .server.source == "glue")'
expect_no_finding GLUE_MISMATCH
expect_answer_servers 127.53.103.1 2001:db8:53:103::1
jq_true "sibling glue that agrees with its zone: no other address asked (no source child)" \
    'all(.queries[]; .server.source != "child")'
finish
