#!/usr/bin/env bash
# lab.dig_stale: the classic dig +trace pitfall, reproduced. dig +trace looks up
# each NS name with the local resolver (getaddrinfo), whose cache still holds
# the parking address of ns1.stale.test, so it ends at the parking server and
# reports 192.0.2.99, although test.'s glue points at the real server.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
lab_is_up || { echo "FAIL: lab $GT_LAB_NS is not up"; exit 1; }

fails=0
check() { if eval "$2"; then echo "ok:   $1"; else echo "FAIL: $1"; fails=$((fails + 1)); fi; }

out=$(timeout 60 ip netns exec "$GT_LAB_NS" dig +trace +nodnssec +time=2 +tries=1 www.stale.test A 2>&1)
last=$(awk '/^;; Received .* from / {s=$0} END {sub(/.* from /, "", s); sub(/#.*/, "", s); print s}' <<< "$out")
answer=$(awk '$1 == "www.stale.test." && $4 == "A" {print $5}' <<< "$out" | sort -u)
check "dig +trace started at the lab resolver" "grep -q '^;; Received .* from $LAB_RESOLVER4#53' <<< \"\$out\""
check "dig +trace went through the lab roots" "grep -Eq '^;; Received .* from (127\.53\.0\.[12]|2001:db8:53::[12])#53' <<< \"\$out\""
check "dig +trace ended at the parking server (got '$last')" "[[ '$last' == '$LAB_PARKING4' || '$last' == '$LAB_PARKING6' ]]"
check "dig +trace answered 192.0.2.99 (got '$answer')" "[[ '$answer' == 192.0.2.99 ]]"
# The truth, for contrast: the glue and the real server.
glue=$(lab_dig @127.53.1.1 www.stale.test A | awk '$1 == "ns1.stale.test." && $4 == "A" {print $5}')
check "test.'s glue for ns1.stale.test is $LAB_STALE4 (got '$glue')" "[[ '$glue' == '$LAB_STALE4' ]]"
real=$(lab_dig +short @"$glue" www.stale.test A)
check "the server at the glue address answers 192.0.2.4 (got '$real')" "[[ '$real' == 192.0.2.4 ]]"
if [[ $fails -gt 0 ]]; then printf '%s\n' "$out" | sed 's/^/    /'; exit 1; fi
echo "lab.dig_stale: dig +trace reached the parking server $last; the glue says $LAB_STALE4"
