#!/usr/bin/env bash
# Cost of the census (figures, not a pass/fail test): queries per resolver per datum, and the
# wall time of a census of the four resolvers against a plain trace, every packet held
# DELAY ms on the namespace's loopback (tc netem; default 20 ms, so a UDP round trip is 40 ms).
# Usage: sudo tests/census/bench.sh [DELAY_MS] [RUNS]
set -uo pipefail
source "$(dirname "$0")/lib.sh"
delay=${1:-20}
runs=${2:-5}
census_up
# every packet through the lab's NFQUEUE delay tool (tests/lab/delay.c), as tests/lab/latency
delay_bin=${GT_LAB_BINDIR:-$CENSUS_DIR/../../build/tests/lab}/delay
[[ -x $delay_bin ]] || census_die "the lab's delay tool is not built ($delay_bin)"
census_in "$delay_bin" -q 54 -d "$delay" > "$CENSUS_RUN/logs/delay.log" 2>&1 &
echo $! > "$CENSUS_RUN/pids/delay.pid"
sleep 0.5
census_in iptables -w 5 -A OUTPUT -j NFQUEUE --queue-num 54 || census_die "NFQUEUE rule"
census_in ip6tables -w 5 -A OUTPUT -j NFQUEUE --queue-num 54 || census_die "NFQUEUE rule"
echo "dig round trip: $(census_dig unbound www.stale.example A | awk '/Query time:/ {print $4}') ms"
list=
for r in "${CENSUS_RESOLVERS[@]}"; do
    list+="${list:+,}$(v4 "$r")"
    census_dig "$r" +short www.moving.example A > /dev/null
done
ms() { local t0 t1; t0=$(date +%s%N); "$@" > /dev/null 2>&1; t1=$(date +%s%N); echo $(((t1 - t0) / 1000000)); }
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
plain=$(for _ in $(seq "$runs"); do ms census_gt www.moving.example; done | median)
census=$(for _ in $(seq "$runs"); do ms census_gt --compare-resolver="$list" www.moving.example; done | median)
census_gt --compare-resolver="$list" -o json www.moving.example > "$CENSUS_RUN/bench.json" 2>/dev/null
echo "packet delay ${delay} ms (UDP round trip $((2 * delay)) ms), median of $runs runs:"
echo "  plain trace:              ${plain} ms, $(census_gt -o json www.moving.example 2>/dev/null | jq '.stats.queries_sent // .stats.sent // (.queries | length)') queries"
echo "  census of 4 resolvers:    ${census} ms (+$((census - plain)) ms = $(awk -v a="$census" -v b="$plain" -v d="$delay" 'BEGIN {printf "%.1f", (a - b) / (2 * d)}') round trips)"
jq -r '.resolvers[] | "  \(.address): \(.queries) queries for \(.data | length) data (\(.queries / (.data | length) * 100 | round / 100) per datum)"' "$CENSUS_RUN/bench.json"
census_gt --samples 3 --compare-resolver="$list" -o json www.moving.example > "$CENSUS_RUN/bench3.json" 2>/dev/null
jq -r '.resolvers[0] | "  with --samples 3: \(.queries) queries for \(.data | length) data (\(.queries / (.data | length) * 100 | round / 100) per datum)"' "$CENSUS_RUN/bench3.json"
