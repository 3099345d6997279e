#!/usr/bin/env bash
# Hostile-server scenarios on the wire (issue #6): gluetrace against tests/hostile/responder in a
# network namespace of its own, created for this run and removed at the end.
# Usage: run.sh SCENARIO   (needs root; GLUETRACE and GT_HOSTILE_RESPONDER name the programs;
# GT_HOSTILE_NO_MEMLIMIT=1 drops the address-space limit, e.g. for a valgrind wrapper)
#
# Every scenario asserts: the exit code of the contract, stats.queries <= --max-queries, the
# run ended within its time bound (timeout + elapsed check), and a finding or a clear
# per-query outcome. Addresses: 127.66.0.0/16 (servers), 127.67.0.0/16 (silent glue targets) and
# 2001:db8:66::/48 on the namespace loopback.
set -euo pipefail

scenario=${1:?usage: run.sh SCENARIO}
GLUETRACE=${GLUETRACE:?GLUETRACE must name the gluetrace program}
RESPONDER=${GT_HOSTILE_RESPONDER:?GT_HOSTILE_RESPONDER must name the responder program}
[[ $(id -u) -eq 0 ]] || { echo "hostile: must run as root (network namespace)"; exit 1; }
command -v jq >/dev/null || { echo "hostile: jq is needed"; exit 1; }

ns=gthostile-$scenario-$$
work=$(mktemp -d "${TMPDIR:-/tmp}/gthostile.XXXXXX")
rpid=
cleanup() {
    if [[ -n $rpid ]]; then
        kill "$rpid" 2>/dev/null || true
        wait "$rpid" 2>/dev/null || true
    fi
    ip netns del "$ns" 2>/dev/null || true
    if [[ -n ${GT_HOSTILE_KEEP:-} ]]; then echo "# kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

fails=0
fail() { echo "FAIL [$scenario]: $*"; fails=$((fails + 1)); }
ok() { echo "ok   [$scenario]: $*"; }
check() { # check DESCRIPTION COMMAND...
    local what=$1
    shift
    if "$@"; then ok "$what"; else fail "$what"; fi
}

# One address per responder mode.
modes=(wrongid spoofed wrongq ptrloop fwdptr rdlen tc endless flood bigref fanout ring names answer)
declare -A addr
args=()
for i in "${!modes[@]}"; do
    addr[${modes[$i]}]=127.66.0.$((i + 1))
    args+=("127.66.0.$((i + 1))=${modes[$i]}")
done
addr[tc6]=2001:db8:66::7
args+=("2001:db8:66::7=tc")

ip netns add "$ns"
ip -n "$ns" link set lo up
ip -n "$ns" addr add 2001:db8:66::7/128 dev lo nodad
ip netns exec "$ns" "$RESPONDER" -L "$work/queries.log" "${args[@]}" >"$work/responder.out" 2>&1 &
rpid=$!
for _ in $(seq 50); do
    grep -q ready "$work/responder.out" 2>/dev/null && break
    sleep 0.1
done
grep -q ready "$work/responder.out" || { cat "$work/responder.out"; echo "responder did not start"; exit 1; }

# trace ROOT_MODE MAX_QUERIES TIME_BOUND_S NAME [gluetrace options...]
# Runs gluetrace with a hints file whose only root is the server of ROOT_MODE; leaves the JSON
# in $work/out.json, the exit code in $rc and the wall time (ms) in $ms.
trace() {
    local mode=$1 root=${addr[$1]} maxq=$2 bound=$3 name=$4
    shift 4
    printf '. 3600000 NS a.root.test.\na.root.test. 3600000 %s %s\n' \
        "$([[ $root == *:* ]] && echo AAAA || echo A)" "$root" >"$work/hints"
    local start end
    start=$(date +%s%N)
    rc=0
    # Memory bound: 1 GiB of address space, unless the program is a sanitizer build.
    local limit="ulimit -v 1048576;"
    if grep -q __asan_init "$GLUETRACE" || [[ -n ${GT_HOSTILE_NO_MEMLIMIT:-} ]]; then
        limit= # sanitizers and valgrind reserve large address ranges
    fi
    timeout -k 5 "$bound" ip netns exec "$ns" bash -c "$limit"' exec "$@"' gluetrace \
        "$GLUETRACE" --hints "$work/hints" --timeout 500 --retries 0 --max-queries "$maxq" \
        -o json "$@" "$name" >"$work/out.json" 2>"$work/err.txt" || rc=$?
    end=$(date +%s%N)
    nrun=$((${nrun:-0} + 1))
    cp "$work/out.json" "$work/out-$nrun.json"
    ms=$(((end - start) / 1000000))
    echo "# gluetrace $name (root $mode $root): exit $rc in ${ms} ms, $(jq -r '.stats.queries // "?"' "$work/out.json" 2>/dev/null) queries"
    if [[ $rc == 124 || $rc == 137 ]]; then
        fail "gluetrace did not finish within ${bound}s"
        return 0
    fi
    check "bounded time (${ms} ms < ${bound}000 ms)" test "$ms" -lt $((bound * 1000))
    check "valid JSON output" jq -e . "$work/out.json" >/dev/null
    check "stats.queries <= --max-queries $maxq" quiet \
        jq -e --argjson m "$maxq" '.stats.queries <= $m and (.queries | map(select(.cached_from == null)) | length) <= $m' "$work/out.json"
    check "exit_code field matches the exit status" quiet jq -e --argjson rc "$rc" '.exit_code == $rc' "$work/out.json"
}

# jqc DESCRIPTION FILTER: assert FILTER is true on the last output.
jqc() { check "$1" jq -e "$2" "$work/out.json" >/dev/null; }
quiet() { "$@" >/dev/null; }
expect_exit() { check "exit code $1" test "$rc" -eq "$1"; }
# Outcomes of the main trace's queries to the root server.
main_outcomes() { jq -r '[.queries[] | select(.trace == "main") | .outcome] | unique | join(",")' "$work/out.json"; }

case $scenario in
wrongid)
    trace wrongid 50 20 www.spoof.test
    expect_exit 3
    jqc "reply with a wrong ID was dropped: the query timed out" \
        '[.queries[] | select(.trace == "main")][0].outcome == "timeout"'
    jqc "no answer taken from it" '.answers | length == 0'
    ;;
spoofed)
    trace spoofed 50 20 www.spoof.test --no-checks
    jqc "the real answer was used" '[.answers[].rrs[].data] == ["192.0.2.1"]'
    jqc "the forged answer (wrong ID) was not" '[.. | strings | select(. == "192.0.2.66")] | length == 0'
    check "exit code 0 or 1" test "$rc" -le 1
    ;;
wrongq)
    # c-ares drops a reply whose question differs from the query's (the engine checks it
    # again); either way nothing from it is used.
    trace wrongq 50 20 www.bad.test
    expect_exit 3
    jqc "reply to another question not used (dropped: timeout, or malformed)" \
        '[.queries[] | select(.trace == "main")][0].outcome | IN("timeout", "malformed")'
    jqc "no answer taken from it" '.answers | length == 0'
    ;;
ptrloop | fwdptr | rdlen)
    trace "$scenario" 50 20 www.bad.test
    expect_exit 3
    jqc "reply judged malformed" '[.queries[] | select(.trace == "main")][0].outcome == "malformed"'
    jqc "MALFORMED_RESPONSE finding" '[.findings[].code] | index("MALFORMED_RESPONSE") != null'
    ;;
tc | tc6)
    trace "$scenario" 50 20 www.tc.test
    expect_exit 3
    jqc "one UDP query, TC=1" '[.queries[] | select(.trace == "main" and .transport == "udp")] | length == 1 and .[0].outcome == "truncated"'
    jqc "one TCP retry, no more (TC over TCP does not loop)" \
        '[.queries[] | select(.trace == "main" and .transport == "tcp")] | length == 1 and .[0].retry_of != null'
    ;;
endless | flood)
    trace "$scenario" 50 30 www.stream.test
    expect_exit 3
    jqc "the TCP query ended (timeout or unusable)" \
        '[.queries[] | select(.trace == "main" and .transport == "tcp")] | length == 1 and (.[0].outcome | IN("timeout", "malformed", "error"))'
    ;;
bigref)
    trace bigref 1000 60 www.big.test
    expect_exit 3
    jqc "referral over TCP after TC" '[.queries[] | select(.trace == "main" and .transport == "tcp")][0].outcome == "referral"'
    jqc "at most 32 NS names kept" '[.queries[] | select(.referral != null) | .referral.ns | length] | max <= 32'
    jqc "at most 32 servers of big.test asked in the main trace" \
        '[.queries[] | select(.trace == "main" and .zone == "big.test." and .cached_from == null)] | length <= 32'
    trace bigref 10 30 www.big.test
    expect_exit 3
    jqc "query budget: LIMIT_REACHED" '[.findings[].code] | index("LIMIT_REACHED") != null'
    jqc "exactly the budget was sent" '.stats.queries == 10'
    ;;
fanout)
    trace fanout 300 60 www.k0.test
    expect_exit 3
    jqc "LIMIT_REACHED finding" '[.findings[].code] | index("LIMIT_REACHED") != null'
    jqc "sub-traces nest at most 8 deep" '[.traces[].depth] | max <= 8'
    ;;
ring)
    trace ring 200 30 www.a.test
    expect_exit 3
    jqc "GLUELESS_CYCLE finding" '[.findings[].code] | index("GLUELESS_CYCLE") != null'
    ;;
names)
    trace names 100 30 www.names.test -v
    check "exit code 0 or 1" test "$rc" -le 1
    jqc "answer reached through the hostile CNAME" '.traces[0].status == "answer"'
    jqc "huge TTL kept as unsigned" '[.. | objects | select(has("ttl")) | .ttl] | index(4294967295) != null'
    jqc "zero TTL kept" '[.. | objects | select(has("ttl")) | .ttl] | index(0) != null'
    check "JSON output is ASCII without control bytes" \
        bash -c '! LC_ALL=C grep -q "[^[:print:]]" "$1"' _ "$work/out.json"
    rc=0
    timeout 30 ip netns exec "$ns" "$GLUETRACE" --hints "$work/hints" --timeout 500 --retries 0 \
        -v --color never www.names.test >"$work/out.txt" 2>&1 || rc=$?
    check "text exit code 0 or 1" test "$rc" -le 1
    check "text output has no raw control bytes (tab and newline aside)" \
        bash -c '! LC_ALL=C grep -q "[^[:print:]	]" "$1"' _ "$work/out.txt"
    check "the escape sequence is shown escaped" grep -qF '\027[2J' "$work/out.txt"
    ;;
random)
    # Spoofing resistance (RFC 5452): query IDs and source ports over many queries.
    : >"$work/queries.log"
    trace fanout 300 60 www.k0.test
    n=$(wc -l <"$work/queries.log")
    ids=$(awk '{print $4}' "$work/queries.log" | sort -u | wc -l)
    ports=$(awk '$2 == "udp" {print $3}' "$work/queries.log" | sort -u | wc -l)
    echo "# $n queries seen by the server: $ids distinct IDs, $ports distinct UDP source ports"
    check "at least 100 queries observed" test "$n" -ge 100
    # 16-bit random IDs: among n draws about n^2/131072 repeats are expected.
    check "IDs are distinct (>= 95%)" test $((ids * 100)) -ge $((n * 95))
    check "IDs are not sequential" awk '{ if (NR > 1 && ($4 - prev == 1 || prev - $4 == 1)) seq++; prev = $4 } END { exit !(seq < NR / 10) }' "$work/queries.log"
    read -r lo hi <"/proc/sys/net/ipv4/ip_local_port_range"
    check "source ports are ephemeral, not fixed" \
        awk -v lo="$lo" -v hi="$hi" '$2 == "udp" && ($3 < lo || $3 > hi) { bad = 1 } END { exit bad }' "$work/queries.log"
    # The transport gives a server a fresh UDP socket (a new random ephemeral port) every
    # GT_QUERIES_PER_SOCKET (4) queries: many ports, none used for more than a few queries.
    check "UDP source ports change: >= n/8 distinct ports" test $((ports * 8)) -ge "$n"
    # A closed socket's port may be handed out again by the kernel (ports are random), so a
    # port may carry 2 x 4 queries now and then; never a long run of one port.
    check "no UDP source port carries more than 12 queries" \
        awk '$2 == "udp" { c[$3]++ } END { for (p in c) if (c[p] > 12) exit 1 }' "$work/queries.log"
    ;;
*)
    echo "hostile: unknown scenario $scenario"
    exit 2
    ;;
esac

if [[ $fails -gt 0 ]]; then
    echo "hostile [$scenario]: $fails check(s) failed; gluetrace stderr:"
    head -20 "$work/err.txt" || true
    exit 1
fi
echo "hostile [$scenario]: all checks passed"
