#!/usr/bin/env bash
# The resolver census on the shared lab: the stale resolver (127.53.53.53) is one stale
# problem; the validating resolver (127.53.53.54) on the DNSSEC-bogus moved.example. is failed
# with the reason (checked with CD=1), never stale, never LAME; an address where no resolver
# listens is failed, never a root server's UNREACHABLE_SERVER. (The four implementations and
# the moves are tests/census.)
. "$(dirname "$0")/lib.sh"

gt_run --compare-resolver="$LAB_RESOLVER4,$LAB_VALIDATOR4" www.stale.test A
expect_rc 1
jq_true "the stale resolver: stale, its NS name's address the cause" \
    '.resolvers[0].verdict == "stale" and (.resolvers[0].data[.resolvers[0].worst] | .kind == "address" and .holds == "{127.53.104.99}" and .verdict == "stale")'
jq_true "the stale resolver's remaining TTL and expiry are given" \
    '.resolvers[0].data[.resolvers[0].worst] | .ttl.min > 0 and (.expires.max | test("Z$"))'
jq_true "the validator is current" '.resolvers[1].verdict == "current"'
jq_true "one problem for the stale resolver (the per-datum findings folded in)" \
    '[.problems[] | select(.server == "127.53.53.53")] | length == 1 and .[0].code == "RESOLVER_STALE"'
expect_finding RESOLVER_STALE error "unbound-control flush_zone stale.test."

gt_run --timeout 500 --retries 0 --compare-resolver="$LAB_VALIDATOR4,127.53.53.99" www.moved.example A
expect_rc 0
jq_true "the validator: failed, DNSSEC-bogus found with CD=1" \
    '.resolvers[0].verdict == "failed" and (.resolvers[0].data[0].reason | test("DNSSEC-bogus.*CD=1 it answers A 192.0.2.141"))'
jq_true "a CD=1 query was sent after the SERVFAIL" \
    'any(.findings[]; .code == "RESOLVER_FAILED" and (.message | test("127.53.53.54.*DNSSEC-bogus")))'
jq_true "nothing listens at 127.53.53.99: failed" '.resolvers[1].verdict == "failed"'
expect_no_finding STALE_RESOLVER_ADDRESS
expect_no_finding RESOLVER_ANSWER_DIFFERS
expect_no_finding RESOLVER_STALE
expect_no_finding LAME_SERVER
expect_no_finding UNREACHABLE_SERVER
finish
