#!/usr/bin/env bash
# Serve-stale: BIND (stale-answer-enable) and Unbound (serve-expired, EDE on) while the
# authoritative servers of stale.example. are unreachable, past the data's TTL: the census
# flags the data as served past its TTL (EDE 3) and never calls it stale; Knot Resolver and
# PowerDNS Recursor (serve-stale not configured) fail it.
set -uo pipefail
CENSUS_TTL=${CENSUS_TTL:-6}
source "$(dirname "$0")/lib.sh"
out=${CENSUS_OUT:-$CENSUS_RUN/out}
census_up
mkdir -p "$out"
for r in "${CENSUS_RESOLVERS[@]}"; do census_dig "$r" +short www.stale.example A > /dev/null; done
census_in iptables -w 5 -A INPUT -d "$(v4 old)" -j DROP || census_die "iptables"
census_in ip6tables -w 5 -A INPUT -d "$(v6 old)" -j DROP || census_die "ip6tables"
sleep $((CENSUS_TTL + 2))
list=
for r in "${CENSUS_RESOLVERS[@]}"; do list+="${list:+,}$(v4 "$r")"; done
census_gt --timeout 4000 --retries 0 --compare-resolver="$list" -o json www.stale.example \
    > "$out/stale.json" 2> "$out/stale.err"
code=$?
census_gt --timeout 4000 --retries 0 --compare-resolver="$list" --quiet --color never \
    www.stale.example > "$out/stale.txt" 2>&1
check "exit 3: the trace reaches no authoritative server (got $code)" test "$code" -eq 3
for r in unbound bind; do
    sel=".resolvers[] | select(.address == \"$(v4 "$r")\") | .data[] | select(.kind == \"answer\")"
    check "$r: the answer is flagged served stale" test "$(jq -r "$sel.served_stale" "$out/stale.json")" = true
    check "$r: with EDE 3" test "$(jq -r "$sel.ede" "$out/stale.json")" = 3
    check "$r: still the old data" test "$(jq -r "$sel.holds" "$out/stale.json")" = "{A 192.0.2.4}"
done
for r in "${CENSUS_RESOLVERS[@]}"; do
    v=$(jq -r ".resolvers[] | select(.address == \"$(v4 "$r")\") | .verdict" "$out/stale.json")
    echo "serve-stale $r: verdict $v, answer $(jq -c ".resolvers[] | select(.address == \"$(v4 "$r")\") | .data[0] | {holds, served_stale, ede, reason}" "$out/stale.json")" >> "$out/stale-behaviour.txt"
    check "$r: never stale or ghost (got $v)" test "$v" != stale -a "$v" != ghost
done
check "RESOLVER_SERVED_STALE raised" grep -q RESOLVER_SERVED_STALE "$out/stale.txt"
cat "$out/stale-behaviour.txt"
census_done
