#!/usr/bin/env bash
# Scenario 4 (stale resolver cache): test.'s glue for ns1.stale.test is right
# (127.53.104.1); the lab resolver still holds the parking address from when the
# domain had expired. gluetrace must follow the glue; dig +trace asks the
# resolver and ends at the parking server.
. "$(dirname "$0")/lib.sh"
parking=("$LAB_PARKING4" "$LAB_PARKING6")

# The resolver's own query counter proves the trace never asks it (not gluetrace's word).
resolver_queries() {
    timeout 10 ip netns exec "$GT_LAB_NS" unbound-control -c "$LAB_RUN/unbound/unbound.conf" \
        stats_noreset | awk -F= '$1 == "total.num.queries" {print $2}'
}
before=$(resolver_queries)
gt_run www.stale.test A
after=$(resolver_queries)
if [[ -n $before && $before == "$after" ]]; then
    pass "the lab resolver received no query during the trace ($before before and after)"
else
    fail "the lab resolver's query count moved from '$before' to '$after' during a plain trace"
fi
expect_rc 0
expect_no_errors
jq_true "no query went to the resolver" \
    'all(.queries[]; .server.address != $r4 and .server.address != $r6 and .server.source != "resolver")' \
    --arg r4 "$LAB_RESOLVER4" --arg r6 "$LAB_RESOLVER6"
expect_answer www.stale.test. A 192.0.2.4
expect_only_answer_data 192.0.2.4
for a in "$LAB_STALE4" "$LAB_STALE6"; do expect_asked "$a" stale.test. glue in-domain; done
expect_not_asked "${parking[@]}"
expect_answer_servers "$LAB_STALE4" "$LAB_STALE6"

GT_DESC="dig +trace www.stale.test"
dig_trace www.stale.test A >/dev/null
if [[ $DIG_LAST_SERVER == "$LAB_PARKING4" || $DIG_LAST_SERVER == "$LAB_PARKING6" ]]; then
    pass "dig +trace ended at the parking server ($DIG_LAST_SERVER)"
else
    fail "dig +trace ended at '$DIG_LAST_SERVER', expected the parking server"
fi
if [[ $DIG_ANSWER == 192.0.2.99 ]]; then pass "dig +trace answer 192.0.2.99"; else fail "dig +trace answer '$DIG_ANSWER', expected 192.0.2.99"; fi

# One command diagnoses the pitfall: compare with the resolver (resolv.conf's nameserver).
gt_run --compare-resolver www.stale.test A
expect_rc 1
expect_finding STALE_RESOLVER_ADDRESS error "ns1.stale.test. A is {$LAB_PARKING4}; the parent's glue says {$LAB_STALE4}"
expect_finding STALE_RESOLVER_ADDRESS error "ns1.stale.test. AAAA is {$LAB_PARKING6}"
expect_finding RESOLVER_ANSWER_DIFFERS error "192.0.2.99"
jq_true "resolver queries are marked source resolver, RD=1, and go to the resolv.conf server" \
    'any(.queries[]; .server.source == "resolver") and
     all(.queries[] | select(.server.source == "resolver"); .server.address == $r4 and .trace_id as $t | true)' \
    --arg r4 "$LAB_RESOLVER4"
jq_true "trace queries (not source resolver) never went to the resolver" \
    'all(.queries[] | select(.server.source != "resolver"); .server.address != $r4)' --arg r4 "$LAB_RESOLVER4"
expect_answer www.stale.test. A 192.0.2.4
expect_only_answer_data 192.0.2.4
jq_true "one problem: the stale resolver, its stale address and different answer under it (one fix)" \
    '[.problems[] | select(.code | IN("RESOLVER_STALE","STALE_RESOLVER_ADDRESS","RESOLVER_ANSWER_DIFFERS"))]
     | length == 1 and .[0].code == "RESOLVER_STALE"
     and (.[0]["then"] | sort) == ["RESOLVER_ANSWER_DIFFERS","STALE_RESOLVER_ADDRESS"]
     and .[0].subject == "resolver"'
finish
