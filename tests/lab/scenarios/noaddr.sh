#!/usr/bin/env bash
# Scenario 14 (no address): noaddr.test's only NS name, ns.nowhere.example, does not
# exist. The sub-trace from the root ends in NXDOMAIN; the zone is unreachable.
. "$(dirname "$0")/lib.sh"

gt_run www.noaddr.test A
expect_rc 3
expect_trace subtrace ns.nowhere.example. nxdomain
expect_finding NO_ADDRESS error "ns.nowhere.example."
expect_finding NO_AUTHORITATIVE_DATA error "test. delegates noaddr.test. to ns.nowhere.example."
jq_true "no answers" '(.answers | length) == 0'
jq_true "only root, TLD and example. servers were asked" \
    'all(.queries[]; .server.address | test("^(127\\.53\\.[012]\\.[0-9]+|2001:db8:53(:[12])?::[0-9]+)$"))'
# The delegation's data is at fault, not the TLD server that relayed it: one problem, in the
# zone, naming the record; no authoritative data is its consequence.
jq_true "NO_ADDRESS in noaddr.test., naming the NS record of the delegation" \
    'any(.findings[]; .code == "NO_ADDRESS" and .zone == "noaddr.test."
         and (.message | contains("the delegation of noaddr.test. from test. names NS ns.nowhere.example.")))'
jq_true "one problem, the zone's (no server), NO_AUTHORITATIVE_DATA under it" \
    '(.problems | length) == 1 and .problems[0].code == "NO_ADDRESS" and .problems[0].server == null
     and .problems[0].subject == "zone" and .problems[0]["then"] == ["NO_AUTHORITATIVE_DATA"]'
finish
