#!/usr/bin/env bash
# --watch after a provider move: the first census is printed whole, then one line per resolver
# as it turns current, and the watch ends with exit 0 once all are, never at --watch-max.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
out=${CENSUS_OUT:-$CENSUS_RUN/out}
census_up
mkdir -p "$out"
for r in "${CENSUS_RESOLVERS[@]}"; do census_dig "$r" +short www.moving.example A > /dev/null; done
write_tld 2 new yes
census_reload tld
list=
for r in "${CENSUS_RESOLVERS[@]}"; do list+="${list:+,}$(v4 "$r")"; done
t0=$(date +%s)
timeout 200 ip netns exec "$CENSUS_NS" "$GLUETRACE" --hints "$CENSUS_RUN/root.hints" --watch \
    --watch-max 150 --compare-resolver="$list" www.moving.example > "$out/watch.txt" 2> "$out/watch.err"
code=$?
took=$(($(date +%s) - t0))
cat "$out/watch.txt"
check "exit 0 once every resolver is current (got $code)" test "$code" -eq 0
check "the first census shows 4 stale resolvers" grep -q "4 stale or ghost" "$out/watch.txt"
check "one 'stale -> current' line per resolver" test "$(grep -c ' stale -> current' "$out/watch.txt")" -eq 4
check "it says when all are current" grep -q "every resolver is current" "$out/watch.txt"
# Some implementations answer the old data once more from the old server right after the TTL
# (seen with Unbound and Knot Resolver: a new TTL, a 'stale -> stale' line): allow two more TTLs.
check "done well before --watch-max ($took s)" test "$took" -le $((3 * CENSUS_TTL + 15))
census_done
