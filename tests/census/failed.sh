#!/usr/bin/env bash
# Refusing and silent resolvers: failed with the reason, never stale, never a root server's
# UNREACHABLE_SERVER; a current resolver beside them stays current. (The DNSSEC-bogus case needs
# the signed lab: tests/lab/scenarios/census.sh.)
set -uo pipefail
source "$(dirname "$0")/lib.sh"
out=${CENSUS_OUT:-$CENSUS_RUN/out}
census_up
mkdir -p "$out"
list="$(v4 unbound),$(v4 refuse),$(v4 silent)"
census_gt --timeout 1000 --retries 0 --compare-resolver="$list" -o json www.stale.example \
    > "$out/failed.json" 2> "$out/failed.err"
code=$?
census_gt --timeout 1000 --retries 0 --compare-resolver="$list" --color never www.stale.example \
    > "$out/failed.txt" 2>&1
verdict() { jq -r ".resolvers[] | select(.address == \"$1\") | .verdict" "$out/failed.json"; }
reason() { jq -r ".resolvers[] | select(.address == \"$1\") | .data[.worst].reason" "$out/failed.json"; }
check "exit 0: a failing resolver is a warning (got $code)" test "$code" -eq 0
check "unbound: current" test "$(verdict "$(v4 unbound)")" = current
check "refusing: failed" test "$(verdict "$(v4 refuse)")" = failed
check "refusing: the reason says REFUSED" bash -c "[[ '$(reason "$(v4 refuse)")' == REFUSED* ]]"
check "silent: failed" test "$(verdict "$(v4 silent)")" = failed
check "silent: the reason says no reply" bash -c "[[ '$(reason "$(v4 silent)")' == 'no reply (timeout)' ]]"
check "no UNREACHABLE_SERVER for a resolver" bash -c "! grep -q UNREACHABLE_SERVER '$out/failed.txt'"
check "no STALE_RESOLVER_ADDRESS or RESOLVER_ANSWER_DIFFERS for a failed resolver" \
    bash -c "! grep -qE 'STALE_RESOLVER_ADDRESS|RESOLVER_ANSWER_DIFFERS|RESOLVER_STALE' '$out/failed.txt'"
check "RESOLVER_FAILED for both" test "$(jq '[.findings[] | select(.code == "RESOLVER_FAILED")] | length' "$out/failed.json")" -eq 2

# TTL floor: an Unbound with cache-min-ttl 300 holds the current answer longer than its 30 s
# TTL (RESOLVER_TTL_ABOVE_AUTH, info); the plain Unbound beside it is the look-alike that must
# stay silent.
list="$(v4 unbound),$(v4 floor)"
census_dig floor +short www.stale.example A > /dev/null
census_gt --compare-resolver="$list" -o json www.stale.example > "$out/floor.json" 2>/dev/null
code=$?
check "TTL floor: exit 0 (got $code)" test "$code" -eq 0
sel() { echo ".resolvers[] | select(.address == \"$1\") | .data[] | select(.kind == \"answer\")"; }
check "TTL floor: current, TTL above the authoritative TTL" \
    test "$(jq -r "$(sel "$(v4 floor)") | [.verdict, .ttl_above_authoritative, .authoritative_ttl] | @tsv" "$out/floor.json")" = "$(printf 'current\ttrue\t30')"
check "plain unbound: not flagged" \
    test "$(jq -r "$(sel "$(v4 unbound)") | .ttl_above_authoritative" "$out/floor.json")" = false
check "RESOLVER_TTL_ABOVE_AUTH once, for the floor resolver" \
    test "$(jq -c '[.findings[] | select(.code == "RESOLVER_TTL_ABOVE_AUTH") | .server]' "$out/floor.json")" = "[\"$(v4 floor)\"]"

# The look-alike of a ghost: the trace cannot reach the TLD at all (its packets dropped), so
# it does not know whether moving.example. is delegated; a resolver that holds its NS set is
# not a ghost for that.
census_dig unbound +short www.moving.example A > /dev/null
census_in iptables -w 5 -A INPUT -d "$(v4 tld)" -j DROP || census_die "iptables"
census_in ip6tables -w 5 -A INPUT -d "$(v6 tld)" -j DROP || census_die "ip6tables"
census_gt --timeout 500 --retries 0 --compare-resolver="$(v4 unbound)" -o json www.moving.example \
    > "$out/notld.json" 2>/dev/null
code=$?
check "TLD unreachable: exit 3 (got $code)" test "$code" -eq 3
check "TLD unreachable: the NS set the resolver holds is not judged a ghost" \
    test "$(jq -r '[.resolvers[0].data[] | select(.kind == "ns" and .name == "moving.example.") | .verdict] | first' "$out/notld.json")" = current
check "TLD unreachable: no RESOLVER_GHOST or RESOLVER_STALE" \
    test "$(jq '[.findings[] | select(.code == "RESOLVER_GHOST" or .code == "RESOLVER_STALE")] | length' "$out/notld.json")" -eq 0
census_done
