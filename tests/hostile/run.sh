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
modes=(wrongid spoofed wrongq ptrloop fwdptr rdlen tc endless flood bigref fanout ring names answer
    mixed tcpshort tcpclose rrl)
declare -A addr
args=()
for i in "${!modes[@]}"; do
    addr[${modes[$i]}]=127.66.0.$((i + 1))
    args+=("127.66.0.$((i + 1))=${modes[$i]}")
done
addr[tc6]=2001:db8:66::7
args+=("2001:db8:66::7=tc")
# Thirteen "root servers" that are one intercepting middlebox (127.66.1.1-13).
for i in $(seq 13); do args+=("127.66.1.$i=intercept"); done
# Silent addresses: packets to 127.68.0.0/16 and 2001:db8:66:6::/64 are dropped on arrival
# (iptables/ip6tables INPUT DROP in the namespace), so nothing ever answers, not even ICMP.
addr[silent]=127.68.0.1
addr[silent6]=2001:db8:66:6::1

ip netns add "$ns"
ip -n "$ns" link set lo up
ip -n "$ns" addr add 2001:db8:66::7/128 dev lo nodad
ip -n "$ns" addr add 2001:db8:66:6::1/64 dev lo nodad
ip netns exec "$ns" iptables -A INPUT -d 127.68.0.0/16 -j DROP
ip netns exec "$ns" ip6tables -A INPUT -d 2001:db8:66:6::/64 -j DROP
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
    local mode=$1 root=${addr[$1]:-} maxq=$2 bound=$3 name=$4
    shift 4
    if [[ -z ${HINTS_KEEP:-} ]]; then
        printf '. 3600000 NS a.root.test.\na.root.test. 3600000 %s %s\n' \
            "$([[ $root == *:* ]] && echo AAAA || echo A)" "$root" >"$work/hints"
    fi
    local start end
    start=$(date +%s%N)
    rc=0
    # Memory bound: 1 GiB of address space, unless the program is a sanitizer build.
    local limit="ulimit -v 1048576;"
    if grep -q __asan_init "$GLUETRACE" || [[ -n ${GT_HOSTILE_NO_MEMLIMIT:-} ]]; then
        limit= # sanitizers and valgrind reserve large address ranges
    fi
    timeout -k 5 "$bound" ip netns exec "$ns" bash -c "$limit"' exec "$@"' gluetrace \
        "$GLUETRACE" --hints "$work/hints" --timeout "${TIMEOUT_MS:-500}" --retries "${RETRIES:-0}" \
        --max-queries "$maxq" -o json "$@" "$name" >"$work/out.json" 2>"$work/err.txt" || rc=$?
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
    check "every error/warning finding in exactly one problem, every info one in one note" quiet \
        jq -e '([.findings | to_entries[] | select(.value.severity != "info") | .key] | sort)
                   == ([.problems[].findings[]] | sort)
               and ([.findings | to_entries[] | select(.value.severity == "info") | .key] | sort)
                   == ([.notes[].findings[]] | sort)' "$work/out.json"
}

# jqc DESCRIPTION FILTER: assert FILTER is true on the last output.
jqc() { check "$1" jq -e "$2" "$work/out.json" >/dev/null; }
quiet() { "$@" >/dev/null; }
expect_exit() { check "exit code $1" test "$rc" -eq "$1"; }
# Outcomes of the main trace's queries to the root server.
main_outcomes() { jq -r '[.queries[] | select(.trace == "main") | .outcome] | unique | join(",")' "$work/out.json"; }

case $scenario in
wrongid)
    # One try of 500 ms: the only reply has a wrong ID, c-ares drops it, our socket
    # functions count it.
    trace wrongid 50 20 www.spoof.test
    expect_exit 3
    check "ended after one try (${ms} ms < 1500 ms)" test "$ms" -lt 1500
    jqc "reply with a wrong ID was dropped: the query timed out" \
        '[.queries[] | select(.trace == "main")][0].outcome == "timeout"'
    jqc "no answer taken from it" '.answers | length == 0'
    jqc "MISMATCHED_REPLY names the wrong ID and the count" \
        '[.findings[] | select(.code == "MISMATCHED_REPLY") | .message] | length == 1 and (.[0] | test("^1 UDP reply .*1 with a wrong ID"))'
    jqc "not called unreachable: it did answer" '[.findings[].code] | index("UNREACHABLE_SERVER") == null'
    jqc "the verdict's one problem is MISMATCHED_REPLY, no authoritative data under it" \
        '(.problems | length) == 1 and .problems[0].code == "MISMATCHED_REPLY"
         and .problems[0]["then"] == ["NO_AUTHORITATIVE_DATA"]'
    ;;
spoofed)
    trace spoofed 50 20 www.spoof.test --no-checks
    jqc "the real answer was used" '[.answers[].alternatives[].rrs[].data] == ["192.0.2.1"]'
    jqc "the forged answer (wrong ID) was not" '[.. | strings | select(. == "192.0.2.66")] | length == 0'
    check "exit code 0 or 1" test "$rc" -le 1
    ;;
wrongq)
    # c-ares drops a reply whose question differs from the query's; we count it.
    trace wrongq 50 20 www.bad.test
    expect_exit 3
    check "ended after one try (${ms} ms < 1500 ms)" test "$ms" -lt 1500
    jqc "reply to another question not used (dropped: timeout)" \
        '[.queries[] | select(.trace == "main")][0].outcome == "timeout"'
    jqc "no answer taken from it" '.answers | length == 0'
    jqc "MISMATCHED_REPLY names the other question" \
        '[.findings[] | select(.code == "MISMATCHED_REPLY") | .message] | length == 1 and (.[0] | test("1 for another question"))'
    ;;
mixed)
    # Wrong ID, then another question, then the real answer: the real one is used, the two
    # bad ones are still reported.
    trace mixed 50 20 www.mixed.test --no-checks
    expect_exit 1
    check "fast (${ms} ms < 1000 ms)" test "$ms" -lt 1000
    jqc "the real answer was used" '[.answers[].alternatives[].rrs[].data] == ["192.0.2.1"]'
    jqc "MISMATCHED_REPLY: 2 bad replies (1 wrong ID, 1 other question), 1 used" \
        '[.findings[] | select(.code == "MISMATCHED_REPLY") | .message][0] | test("^2 UDP replies .*1 with a wrong ID, 1 for another question.*1 matching reply used")'
    ;;
tcpshort)
    # TC over UDP, then over TCP a length prefix of 300 bytes, 40 bytes, and a close.
    trace tcpshort 50 20 www.short.test
    expect_exit 3
    check "fast (${ms} ms < 1000 ms)" test "$ms" -lt 1000
    jqc "TCP query: malformed, 40 bytes received" \
        '[.queries[] | select(.trace == "main" and .transport == "tcp")][0] | .outcome == "malformed" and .size == 40'
    jqc "MALFORMED_RESPONSE says the stream ended inside the message" \
        '[.findings[] | select(.code == "MALFORMED_RESPONSE") | .message][0] | test("TCP stream ended inside the message")'
    jqc "not called unreachable or refused" '[.findings[].code] | index("UNREACHABLE_SERVER") == null'
    rc=0
    # (-v: text not wrapped to 100 columns, so the line is whole for grep)
    timeout 20 ip netns exec "$ns" env -u COLUMNS "$GLUETRACE" --hints "$work/hints" --timeout 500 \
        --retries 0 --color never -v www.short.test >"$work/out.txt" 2>&1 || rc=$?
    check "text line gives the status and the byte count" \
        grep -q 'MALFORMED reply (TCP stream ended inside a message after 40 bytes)' "$work/out.txt"
    ;;
tcpclose)
    # The server answers the first query of each TCP connection and closes it at once (with
    # a reset when more queries were already sent on it). 100 names over TCP in one bulk
    # run: no SIGPIPE, every line present, every name answered.
    printf '. 3600000 NS a.root.test.\na.root.test. 3600000 A %s\n' "${addr[tcpclose]}" >"$work/hints"
    for i in $(seq 100); do echo "n$i.close.test"; done >"$work/names"
    rc=0
    start=$(date +%s%N)
    timeout -k 5 60 ip netns exec "$ns" "$GLUETRACE" --hints "$work/hints" --tcp --timeout 500 \
        --retries 0 -f "$work/names" -o jsonl >"$work/out.jsonl" 2>"$work/err.txt" || rc=$?
    ms=$((($(date +%s%N) - start) / 1000000))
    echo "# bulk over TCP: exit $rc in $ms ms, $(wc -l <"$work/out.jsonl") lines"
    check "no SIGPIPE (exit $rc is not 141)" test "$rc" -ne 141
    expect_exit 0
    check "bounded time (${ms} ms < 20000 ms)" test "$ms" -lt 20000
    check "100 lines, each a whole JSON object" \
        bash -c '[[ $(jq -c . "$1" | wc -l) -eq 100 ]]' _ "$work/out.jsonl"
    check "every name answered" \
        bash -c '[[ $(jq -r "select(.traces[0].status == \"answer\") | .query.name" "$1" | sort -u | wc -l) -eq 100 ]]' _ "$work/out.jsonl"
    ;;
timeouts)
    # --timeout is the wait for each try: 3 tries of 300 ms to a silent address end after
    # ~900 ms (c-ares alone would wait 300 + 600 + 1200).
    TIMEOUT_MS=300 RETRIES=2 trace silent 10 20 www.silent.test
    expect_exit 3
    check "three tries of 300 ms: 850 ms <= ${ms} ms < 1500 ms" \
        bash -c '[[ $1 -ge 850 && $1 -lt 1500 ]]' _ "$ms"
    jqc "the query timed out" '[.queries[] | select(.trace == "main")][0].outcome == "timeout"'
    rc=0
    ip netns exec "$ns" "$GLUETRACE" --timeout 30001 www.silent.test >/dev/null 2>"$work/err.txt" || rc=$?
    check "--timeout 30001 is a usage error (exit $rc)" test "$rc" -eq 2
    rc=0
    ip netns exec "$ns" "$GLUETRACE" --retries 6 www.silent.test >/dev/null 2>"$work/err.txt" || rc=$?
    check "--retries 6 is a usage error (exit $rc)" test "$rc" -eq 2
    ;;
intercept)
    # Thirteen root addresses, every one answered by the same middlebox: NXDOMAIN, RA=1, AA=0;
    # their IPv6 addresses are silent (dropped). The run stops on the evidence instead of
    # waiting for the silent ones.
    : >"$work/hints"
    for i in $(seq 13); do
        l=$(printf "\\x$(printf %x $((96 + i)))")
        printf '. 3600000 NS %s.root.test.\n%s.root.test. 3600000 A 127.66.1.%d\n%s.root.test. 3600000 AAAA 2001:db8:66:6::%x\n' \
            "$l" "$l" "$i" "$l" "$i" >>"$work/hints"
    done
    for one in "" --one; do
        TIMEOUT_MS=2000 HINTS_KEEP=1 trace intercept 50 20 www.example.com $one
        expect_exit 3
        check "reported in well under one timeout (${ms} ms < 1000 ms)" test "$ms" -lt 1000
        jqc "one DNS_INTERCEPTED error with the evidence" \
            '[.findings[] | select(.code == "DNS_INTERCEPTED")] | length == 1 and (.[0].severity == "error") and (.[0].message | test("answered NXDOMAIN for www.example.com. within [0-9]+ ms with RA=1 and AA=0"))'
        jqc "no per-root LAME_SERVER" '[.findings[].code] | index("LAME_SERVER") == null'
        jqc "RA shown in the JSON of the root queries" '[.queries[] | select(.rcode != null) | .ra] | all'
        jqc "the run stopped: main trace interrupted" '.traces[0].status == "interrupted"'
    done
    rc=0
    timeout 20 ip netns exec "$ns" "$GLUETRACE" --hints "$work/hints" --timeout 2000 \
        --color never www.example.com >"$work/out.txt" 2>&1 || rc=$?
    check "text line of a non-answer shows rcode, AA and RA" grep -q '\[NXDOMAIN, AA=0, RA=1\]' "$work/out.txt"
    ;;
deadfamily)
    # Thirteen roots with an IPv6 address whose packets are dropped; the last one also has an
    # IPv4 address that answers. One FAMILY_SILENT finding instead of 13 warnings, and at
    # most one timeout, also with --one (which meets a silent IPv6 address first).
    : >"$work/hints"
    for i in $(seq 13); do
        l=$(printf "\\x$(printf %x $((96 + i)))")
        printf '. 3600000 NS %s.root.test.\n%s.root.test. 3600000 AAAA 2001:db8:66:6::%x\n' \
            "$l" "$l" "$i" >>"$work/hints"
    done
    printf 'm.root.test. 3600000 A %s\n' "${addr[answer]}" >>"$work/hints"
    for one in "" --one; do
        TIMEOUT_MS=1000 HINTS_KEEP=1 trace answer 100 20 www.dead.test --no-checks $one
        check "exit 0 or 1" test "$rc" -le 1
        check "at most one timeout spent (${ms} ms < 1800 ms)" test "$ms" -lt 1800
        jqc "one FAMILY_SILENT finding naming IPv6" \
            '[.findings[] | select(.code == "FAMILY_SILENT") | .message] | length == 1 and (.[0] | test("^no IPv6 server answered"))'
        jqc "no per-server UNREACHABLE_SERVER" '[.findings[].code] | index("UNREACHABLE_SERVER") == null'
        jqc "the answer came over IPv4" '[.answers[].alternatives[].rrs[].data] == ["192.0.2.1"]'
    done
    jqc "--one: a single IPv6 address was waited for" \
        '[.queries[] | select(.outcome == "timeout")] | length <= 1'
    ;;
input)
    # Input errors are errors: exit 2 with a message that says why; nothing is sent.
    gt() { rc=0; ip netns exec "$ns" "$GLUETRACE" "$@" >"$work/out.txt" 2>"$work/err.txt" || rc=$?; }
    printf 'a.test\nb\0c.test\nd.test\n' >"$work/nul.txt"
    printf '. 3600000 NS a.root.test.\na.root.test. 3600000 A %s\n' "${addr[answer]}" >"$work/hints"
    gt --hints "$work/hints" -f "$work/nul.txt"
    check "NUL in a -f file: exit 2 (got $rc)" test "$rc" -eq 2
    check "NUL in a -f file: file and line named" grep -q 'nul.txt line 2: binary byte 0x00' "$work/err.txt"
    check "NUL in a -f file: no name traced" test ! -s "$work/out.txt"
    gt -6 -s "${addr[answer]}" www.x.test
    check "-6 with an IPv4 -s: exit 2 (got $rc)" test "$rc" -eq 2
    check "-6 with an IPv4 -s: says why" grep -q -- '-6 leaves no server to ask: -s .* is an IPv4 address' "$work/err.txt"
    gt -6 --hints "$work/hints" www.x.test
    check "-6 with IPv4-only hints: exit 2 (got $rc)" test "$rc" -eq 2
    check "-6 with IPv4-only hints: says why" grep -q "no IPv6 address" "$work/err.txt"
    gt -s $'1.2.3.4\e[2J\a' www.x.test
    check "control bytes in an argument: exit 2 (got $rc)" test "$rc" -eq 2
    check "control bytes in an argument: escaped in the message" grep -qF '\027[2J\007' "$work/err.txt"
    check "control bytes in an argument: none written raw" \
        bash -c '! LC_ALL=C grep -q "[^[:print:]]" "$1"' _ "$work/err.txt"
    ;;
signal)
    # SIGINT / SIGTERM: what is known is printed, valid, marked interrupted; exit 130 / 143.
    printf '. 3600000 NS a.root.test.\na.root.test. 3600000 A %s\nb.root.test. 3600000 AAAA %s\n. 3600000 NS b.root.test.\n' \
        "${addr[answer]}" "${addr[silent6]}" >"$work/hints"
    for sig in INT TERM; do
        start=$(date +%s%N)
        ip netns exec "$ns" env --default-signal=INT "$GLUETRACE" --hints "$work/hints" \
            --timeout 5000 -o json www.sig.test >"$work/out.json" 2>"$work/err.txt" &
        pid=$!
        sleep 0.7
        kill -s "$sig" "$pid"
        rc=0
        wait "$pid" || rc=$?
        ms=$((($(date +%s%N) - start) / 1000000))
        want=$([[ $sig == INT ]] && echo 130 || echo 143)
        echo "# SIG$sig: exit $rc in $ms ms"
        check "SIG$sig: exit $want" test "$rc" -eq "$want"
        check "SIG$sig: stopped promptly (${ms} ms < 2000 ms)" test "$ms" -lt 2000
        jqc "SIG$sig: JSON valid and marked interrupted" '.interrupted == true'
        jqc "SIG$sig: the answer that had come is kept" '[.queries[] | select(.outcome == "answer")] | length >= 1'
        jqc "SIG$sig: the cut query is pending, the open trace interrupted" \
            '([.queries[] | select(.outcome == "pending")] | length >= 1) and .traces[0].status == "interrupted"'
    done
    # Bulk: one name at a time from a server that answers; SIGTERM in the middle: every
    # printed line is a whole JSON object, one per finished name.
    printf '. 3600000 NS a.root.test.\na.root.test. 3600000 A %s\n' "${addr[answer]}" >"$work/hints"
    for i in $(seq 50000); do echo "n$i.sig.test"; done >"$work/names"
    ip netns exec "$ns" "$GLUETRACE" --hints "$work/hints" --concurrency 4 -f "$work/names" \
        -o jsonl >"$work/out.jsonl" 2>"$work/err.txt" &
    pid=$!
    sleep 1
    kill -s TERM "$pid"
    rc=0
    wait "$pid" || rc=$?
    n=$(wc -l <"$work/out.jsonl")
    echo "# bulk SIGTERM: exit $rc, $n lines"
    check "bulk: exit 143" test "$rc" -eq 143
    check "bulk: some names finished ($n lines)" test "$n" -gt 0
    check "bulk: every line whole" bash -c '[[ $(jq -c . "$1" | wc -l) -eq $2 ]]' _ "$work/out.jsonl" "$n"
    check "bulk: the output ends with a newline" bash -c '[[ -z $(tail -c1 "$1") ]]' _ "$work/out.jsonl"
    # A reader that goes away: bulk stops promptly instead of running through 50000 names.
    start=$(date +%s%N)
    rc=0
    ip netns exec "$ns" bash -c '"$@" | head -c 1000 >/dev/null; exit ${PIPESTATUS[0]}' _ \
        "$GLUETRACE" --hints "$work/hints" -f "$work/names" -o jsonl 2>"$work/err.txt" || rc=$?
    ms=$((($(date +%s%N) - start) / 1000000))
    echo "# bulk into a closed pipe: exit $rc in $ms ms"
    check "closed stdout: exit 4, not SIGPIPE (exit $rc)" test "$rc" -eq 4
    check "closed stdout: stopped promptly (${ms} ms < 10000 ms)" test "$ms" -lt 10000
    check "closed stdout: said so" grep -q "cannot write output" "$work/err.txt"
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
rrl)
    # A bulk run against a root that rate-limits above 50 replies a second (drops every other
    # limited reply, "slips" the rest): no name may end as a dead end (issue 15).
    root=${addr[rrl]}
    printf '. 3600000 NS a.root.test.\na.root.test. 3600000 A %s\n' "$root" >"$work/hints"
    for i in $(seq 1 200); do echo "bulk$i.rrl.test"; done >"$work/names"
    # bulk LABEL SECONDS [options...]: -f names -o jsonl into $work/LABEL.jsonl; sets rc, ms,
    # and limited (the responder's slips and drops during the run)
    bulk() {
        local label=$1 bound=$2 before start end
        shift 2
        before=$(grep -c '^rrl ' "$work/responder.out" || true)
        start=$(date +%s%N)
        rc=0
        timeout -k 5 "$bound" ip netns exec "$ns" "$GLUETRACE" --hints "$work/hints" \
            --timeout 500 --retries 0 --no-checks -f "$work/names" -o jsonl "$@" \
            >"$work/$label.jsonl" 2>"$work/err.txt" || rc=$?
        end=$(date +%s%N)
        ms=$(((end - start) / 1000000))
        limited=$(($(grep -c '^rrl ' "$work/responder.out" || true) - before))
        echo "# gluetrace -f (200 names) $*: exit $rc in ${ms} ms; the server limited $limited replies"
        [[ $rc != 124 && $rc != 137 ]] || fail "gluetrace did not finish within ${bound}s"
        check "$label: one line per name" test "$(wc -l <"$work/$label.jsonl")" -eq 200
        check "$label: every name NXDOMAIN, none a dead end" quiet jq -s -e \
            'length == 200 and all(.[]; .traces[0].status == "nxdomain" and .exit_code == 0)' \
            "$work/$label.jsonl"
    }
    # no cap: the burst trips the limit, the slips and drops are asked again later
    bulk nocap 60 --rate 0 --total-rate 0 --concurrency 200
    check "nocap: the server rate-limited the run" test "$limited" -gt 0
    check "nocap: RATE_LIMITED names the server" quiet jq -s -e --arg a "$root" \
        '[.[].findings[] | select(.code == "RATE_LIMITED" and (.server | contains($a)))] | length > 0' \
        "$work/nocap.jsonl"
    check "nocap: stderr counts the re-asks" grep -q 'rate limiting met: .* queries asked again' "$work/err.txt"
    check "nocap: no query reported as a timeout" quiet jq -s -e '[.[].stats.timeouts] | add == 0' "$work/nocap.jsonl"
    # under the server's limit: it never limits, and the pacing shows in the time taken
    # (--rate 24: the first second's allowance plus its refill, 48, and then 24 + a bucket of
    # 6 a second, stay under the server's 50)
    sleep 1.1
    bulk capped 60 --rate 24 --concurrency 200
    check "capped: the server never rate-limited" test "$limited" -eq 0
    check "capped: no RATE_LIMITED finding" quiet jq -s -e '[.[].findings[] | select(.code == "RATE_LIMITED")] | length == 0' \
        "$work/capped.jsonl"
    # 200 queries at 24/s after the first second's 24: at least (200 - 24) / 24 = 7.3 s
    check "capped: paced (${ms} ms >= 7000 ms)" test "$ms" -ge 7000
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
