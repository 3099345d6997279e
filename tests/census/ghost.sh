#!/usr/bin/env bash
# Ghost: the parent removes ghost.example.'s delegation while the old server keeps serving it.
# Clients keep asking each resolver for www.ghost.example (short TTL) for twice the NS TTL;
# then what each implementation does is observed with dig (still answering from the old server:
# a ghost; NXDOMAIN: gone) and the census must give each resolver that verdict.
set -uo pipefail
CENSUS_TTL=${CENSUS_TTL:-20}
CENSUS_GHOST_WWW_TTL=${CENSUS_GHOST_WWW_TTL:-4}
source "$(dirname "$0")/lib.sh"
out=${CENSUS_OUT:-$CENSUS_RUN/out}
census_up
mkdir -p "$out"
for r in "${CENSUS_RESOLVERS[@]}"; do census_dig "$r" +short www.ghost.example A > /dev/null; done

write_tld 2 old no
census_reload tld
check "the parent no longer delegates ghost.example" \
    bash -c "timeout 5 ip netns exec $CENSUS_NS dig +norec @$(v4 tld) www.ghost.example A | grep -q NXDOMAIN"

# right after the removal every resolver still answers from the old server: a ghost, until
# the NS set it holds runs out
list=
for r in "${CENSUS_RESOLVERS[@]}"; do list+="${list:+,}$(v4 "$r")"; done
census_gt --compare-resolver="$list" -o json www.ghost.example > "$out/ghost-now.json" 2>/dev/null
code=$?
census_gt --compare-resolver="$list" --quiet --color never www.ghost.example > "$out/ghost-now.txt" 2>&1
check "exit 1 right after the removal (got $code)" test "$code" -eq 1
for r in "${CENSUS_RESOLVERS[@]}"; do
    sel=".resolvers[] | select(.address == \"$(v4 "$r")\")"
    check "$r: still answers from the old server" \
        bash -c "timeout 5 ip netns exec $CENSUS_NS dig +short @$(v4 "$r") www.ghost.example A | grep -qx 192.0.2.3"
    check "$r: ghost right after the removal" test "$(jq -r "$sel.verdict" "$out/ghost-now.json")" = ghost
    check "$r: the ghost NS set with its remaining TTL" \
        test "$(jq -r "$sel.data[] | select(.kind == \"ns\" and .name == \"ghost.example.\") | .verdict + \" \" + (.ttl.max | tostring)" "$out/ghost-now.json" | cut -d' ' -f1)" = ghost
done
check "RESOLVER_GHOST named" grep -q RESOLVER_GHOST "$out/ghost-now.txt"

# clients keep asking, every 3 s, for twice the NS TTL and a little more
end=$(($(date +%s) + 2 * CENSUS_TTL + 4))
while (($(date +%s) < end)); do
    for r in "${CENSUS_RESOLVERS[@]}"; do census_dig "$r" +short www.ghost.example A > /dev/null; done
    sleep 3
done

declare -A seen
for r in "${CENSUS_RESOLVERS[@]}"; do
    if census_dig "$r" www.ghost.example A | grep -q "status: NOERROR" &&
        census_dig "$r" +short www.ghost.example A | grep -qx 192.0.2.3; then
        seen[$r]=ghost
    else
        seen[$r]=current
    fi
done
census_gt --compare-resolver="$list" -o json www.ghost.example > "$out/ghost.json" 2> "$out/ghost.err"
code=$?
census_gt --compare-resolver="$list" --quiet --color never www.ghost.example > "$out/ghost.txt" 2>&1
any=0
for r in "${CENSUS_RESOLVERS[@]}"; do
    v=$(jq -r ".resolvers[] | select(.address == \"$(v4 "$r")\") | .verdict" "$out/ghost.json")
    echo "ghost $r: dig after $((2 * CENSUS_TTL + 4)) s of client queries: ${seen[$r]}; census: $v" >> "$out/ghost-behaviour.txt"
    check "$r: census verdict $v is what dig observed (${seen[$r]})" test "$v" = "${seen[$r]}"
    [[ ${seen[$r]} == ghost ]] && any=1
done
if ((any)); then
    check "exit 1 with a ghost (got $code)" test "$code" -eq 1
    check "the ghost is named as such" grep -q RESOLVER_GHOST "$out/ghost.txt"
else
    check "exit 0 without a ghost (got $code)" test "$code" -eq 0
fi
cat "$out/ghost-behaviour.txt"
census_done
