#!/usr/bin/env bash
# Provider move: every resolver caches moving.example. at the old provider, then the parent
# and the child move it to the new provider. The census must call each resolver stale with the
# remaining TTL `dig @resolver` shows (within 2 s), exit 1, and each resolver must turn current
# once its own TTL has run out (asserted by waiting for it).
set -uo pipefail
source "$(dirname "$0")/lib.sh"
out=${CENSUS_OUT:-$CENSUS_RUN/out}
census_up
mkdir -p "$out"

# 1. each resolver caches the old delegation, two seconds apart (so their TTLs differ)
for r in "${CENSUS_RESOLVERS[@]}"; do
    census_dig "$r" +short www.moving.example A > /dev/null
    census_dig "$r" +short moving.example NS > /dev/null
    census_dig "$r" +short ns-old.moving.example A > /dev/null
    sleep 2
done

# 2. the move: the parent delegates to the new provider; the old one keeps serving
write_tld 2 new yes
census_reload tld
check "the parent delegates to the new provider" \
    bash -c "timeout 5 ip netns exec $CENSUS_NS dig +norec +noall +authority @$(v4 tld) moving.example NS | grep -q ns-new"

list=
for r in "${CENSUS_RESOLVERS[@]}"; do list+="${list:+,}$(v4 "$r"),$(v6 "$r")"; done

# 3. the census, then dig at each resolver for the same data
census_gt --compare-resolver="$list" -o json www.moving.example > "$out/move.json" 2> "$out/move.err"
code=$?
census_gt --compare-resolver="$list" --quiet --color never www.moving.example > "$out/move.txt" 2>&1
check "exit status 1 with stale resolvers (got $code)" test "$code" -eq 1
for r in "${CENSUS_RESOLVERS[@]}"; do
    for a in "$(v4 "$r")" "$(v6 "$r")"; do
        sel=".resolvers[] | select(.address == \"$a\")"
        check "$r $a: verdict stale" test "$(jq -r "$sel.verdict" "$out/move.json")" = stale
        check "$r $a: holds the old answer" \
            test "$(jq -r "$sel.data[] | select(.kind == \"answer\") | .holds" "$out/move.json")" = "{A 192.0.2.1}"
        check "$r $a: holds the old NS set" \
            test "$(jq -r "$sel.data[] | select(.kind == \"ns\" and .name == \"moving.example.\") | .holds" "$out/move.json")" = "{ns-old.moving.example.}"
        check "$r $a: the NS set is stale" \
            test "$(jq -r "$sel.data[] | select(.kind == \"ns\" and .name == \"moving.example.\") | .verdict" "$out/move.json")" = stale
    done
    # remaining TTL against dig: the expiry the census gives vs now + the TTL dig shows
    for q in "www.moving.example A" "moving.example NS"; do
        now=$(date +%s)
        ttl=$(census_dig "$r" +noall +answer $q | awk 'NR == 1 {print $2}')
        set -- $q
        exp=$(jq -r "[.resolvers[] | select(.address == \"$(v4 "$r")\") | .data[] | select(.name == \"$1.\" and .type == \"$2\") | .expires.max | fromdateiso8601] | first" "$out/move.json")
        diff=$((exp - now - ttl))
        echo "ttl-agreement $r $q: dig $ttl s at $now, census expiry $exp, difference ${diff#-} s" >> "$out/agreement.txt"
        check "$r $q: census expiry within 2 s of dig (dig TTL $ttl, difference $diff s)" \
            test "${diff#-}" -le 2
    done
done
check "the text census has one row per resolver" \
    test "$(grep -cE '^  (127\.54|2001:db8:54).* stale ' "$out/move.txt")" -eq 8
check "no served-stale or TTL-floor flag (the look-alikes)" \
    test "$(jq '[.findings[] | select(.code == "RESOLVER_SERVED_STALE" or .code == "RESOLVER_TTL_ABOVE_AUTH")] | length' "$out/move.json")" -eq 0
check "the problem names the flush commands" grep -q "unbound-control flush_zone moving.example." "$out/move.txt"

# 4. each resolver turns current once everything it held has run out
for r in "${CENSUS_RESOLVERS[@]}"; do
    until=$(jq -r "[.resolvers[] | select(.address == \"$(v4 "$r")\") | .data[] | select(.expires != null and .verdict != \"current\") | .expires.max | fromdateiso8601] | max" "$out/move.json")
    [[ $until =~ ^[0-9]+$ ]] || { check "$r: an expiry time for its stale data" false; continue; }
    wait=$((until - $(date +%s) + 1))
    ((wait > 0)) && sleep "$wait"
    census_gt --compare-resolver="$(v4 "$r")" -o json www.moving.example > "$out/after-$r.json" 2>/dev/null
    code=$?
    v=$(jq -r '.resolvers[0].verdict' "$out/after-$r.json")
    echo "after $r: waited ${wait} s, verdict $v, exit $code" >> "$out/agreement.txt"
    check "$r: current after its TTL ran out (got $v)" test "$v" = current
    check "$r: exit 0 once current (got $code)" test "$code" -eq 0
done
cat "$out/agreement.txt"
census_done
