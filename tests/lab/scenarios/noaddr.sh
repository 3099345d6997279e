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
finish
