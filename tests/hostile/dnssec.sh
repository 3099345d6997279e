#!/usr/bin/env bash
# Hostile DNSSEC on the wire (issue 26): gluetrace against tests/hostile/signer (a root and child
# zones signed on the fly, DS-delegated, with the root's key as trust anchor) in a network
# namespace of its own, created for this run and removed at the end.
# Usage: dnssec.sh SCENARIO   (needs root; GLUETRACE and GT_HOSTILE_SIGNER name the programs)
#
# Each scenario asserts the verdict a validator after KeyTrap would give and the finding that
# says why; the healthy look-alike (ok) asserts that none of it appears there. CPU figures are
# scripts/bench-hostile-dnssec's business; here only a generous wall-clock bound is checked.
set -euo pipefail

scenario=${1:?usage: dnssec.sh SCENARIO}
GLUETRACE=${GLUETRACE:?GLUETRACE must name the gluetrace program}
SIGNER=${GT_HOSTILE_SIGNER:?GT_HOSTILE_SIGNER must name the signer program}
[[ $(id -u) -eq 0 ]] || { echo "hostile dnssec: must run as root (network namespace)"; exit 1; }
command -v jq >/dev/null || { echo "hostile dnssec: jq is needed"; exit 1; }

ns=gthdnssec-$scenario-$$
work=$(mktemp -d "${TMPDIR:-/tmp}/gthdnssec.XXXXXX")
spid=
cleanup() {
    if [[ -n $spid ]]; then
        kill "$spid" 2>/dev/null || true
        wait "$spid" 2>/dev/null || true
    fi
    ip netns del "$ns" 2>/dev/null || true
    rm -rf "$work"
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
jqc() { check "$1" jq -e "$2" "$work/out.json" >/dev/null; }

ip netns add "$ns"
ip -n "$ns" link set lo up
children=()
for i in $(seq 64); do children+=("127.66.2.$i"); done
ip netns exec "$ns" "$SIGNER" -A "$work/anchor" 127.66.1.1 "${children[@]}" >"$work/signer.out" 2>&1 &
spid=$!
for _ in $(seq 600); do # key generation takes seconds on a loaded machine
    grep -q ready "$work/signer.out" 2>/dev/null && break
    sleep 0.1
done
grep -q ready "$work/signer.out" || { cat "$work/signer.out"; echo "signer did not start"; exit 1; }
printf '. 3600000 NS a.root.invalid.\na.root.invalid. 3600000 A 127.66.1.1\n' >"$work/hints"

# trace NAME BOUND_S [options]: leaves out.json, $rc and $ms.
trace() {
    local name=$1 bound=$2
    shift 2
    local start
    start=$(date +%s%N)
    rc=0
    timeout -k 5 "$bound" ip netns exec "$ns" "$GLUETRACE" --hints "$work/hints" \
        --trust-anchor "${ANCHOR:-$work/anchor}" -o json "$@" "$name" >"$work/out.json" 2>"$work/err.txt" || rc=$?
    ms=$((($(date +%s%N) - start) / 1000000))
    echo "# gluetrace $name: exit $rc in $ms ms"
    if [[ $rc == 124 || $rc == 137 ]]; then
        fail "gluetrace did not finish within ${bound}s"
        return 0
    fi
    check "valid JSON output" jq -e . "$work/out.json" >/dev/null
}
status() { jqc "DNSSEC answer status $1" ".dnssec.answer.status == \"$1\""; }
limit() { # limit WHAT-REGEX: a DNSSEC_WORK_LIMIT finding whose message matches
    jqc "DNSSEC_WORK_LIMIT: $1" "[.findings[] | select(.code == \"DNSSEC_WORK_LIMIT\" and (.message | test(\"$1\")))] | length >= 1"
}
no_limit() { jqc "no DNSSEC_WORK_LIMIT" '[.findings[] | select(.code == "DNSSEC_WORK_LIMIT")] | length == 0'; }
no_timeouts() { jqc "no query recorded as a timeout" '[.queries[] | select(.outcome == "timeout")] | length == 0'; }

case $scenario in
ok)
    # The healthy look-alike: signed the same way, one key, one RRSIG per RRset.
    trace www.ok. 30
    status secure
    no_limit
    check "exit 0" test "$rc" -eq 0
    ;;
anchor)
    # The root's key given as the anchor of com.: an anchor applies to its own name, so the
    # root is not validated with it, and the unused anchor is said.
    sed 's/^\. /com. /' "$work/anchor" >"$work/anchor.com"
    ANCHOR=$work/anchor.com trace www.ok. 30
    status indeterminate
    jqc "DNSSEC_NO_ANCHOR says the com. anchor is not used" \
        '[.findings[] | select(.code == "DNSSEC_NO_ANCHOR" and .zone == "com." and (.message | test("not used")))] | length == 1'
    jqc "the root: no trust anchor for it" '[.dnssec.zones[] | select(.zone == ".")][0].reason | test("no trust anchor for the root")'
    ;;
exp)
    # An RSA key with a 3072-bit exponent beside the ECDSA key the DS designates, and a junk
    # RRSIG by it before each valid one: the key is not loaded, the zone is secure all the same.
    trace www.exp. 30
    status secure
    no_limit
    ;;
keytrap)
    # 64 keys sharing one key tag, 20 junk RRSIGs before each valid one: bogus, as validators
    # after KeyTrap judge it, with the finding naming zone, server and what was refused.
    trace www.kt. 60
    status bogus
    limit '^the DNSKEY set of kt\\. was not validated: [0-9]+ RRSIGs over kt\\. DNSKEY; the first 8 a key fits were tried'
    jqc "the finding names the server" '[.findings[] | select(.code == "DNSSEC_WORK_LIMIT")][0].server | test("127.66.2.1")'
    jqc "the zone is kt." '[.findings[] | select(.code == "DNSSEC_WORK_LIMIT")][0].zone == "kt."'
    jqc "the answer says why" '.dnssec.answer.reason | test("RRSIGs over")'
    ;;
keytrap150)
    # The same with up to 150 junk RRSIGs (a TCP answer near 64 KB).
    trace www.kt150. 60
    status bogus
    limit 'RRSIGs over kt150\\.'
    # The answer came truncated over UDP and whole over TCP: a large answer done right, not a
    # truncated referral (lab.scenario.trunc keeps the referral case).
    jqc "the answer was truncated over UDP" 'any(.queries[]; .trace == "main" and .tc == true and .outcome == "truncated")'
    jqc "no TRUNCATED_REFERRAL for a truncated answer" '[.findings[] | select(.code == "TRUNCATED_REFERRAL" and .zone == "kt150.")] | length == 0'
    ;;
wide)
    # The KeyTrap zone behind 64 addresses: replies are read on time (no timeouts), bogus.
    trace www.ktw. 90
    status bogus
    limit 'RRSIGs over ktw\\.'
    no_timeouts
    ;;
chain)
    # A CNAME chain of 9 through a KeyTrap zone: bogus, the zone named.
    trace c1.ktc. 90
    status bogus
    limit 'ktc\\.'
    ;;
nsec3)
    # NXDOMAIN with 64 NSEC3 records each signed, from 64 addresses: each reply asks for more
    # checks than its allowance; not judged (indeterminate), never secure, and no timeouts.
    trace nx.n3. 90
    status indeterminate
    limit 'allowance of [0-9]+ signature checks'
    no_timeouts
    ;;
bulk)
    # Bulk: healthy names beside hostile ones; each hostile name pays from its own budget, and
    # every healthy name is still secure.
    for i in $(seq 60); do echo "h$i.ok."; done >"$work/names"
    printf '%s\n' www.kt. www.kt150. www.ktw. nx.n3. >>"$work/names"
    rc=0
    timeout -k 5 120 ip netns exec "$ns" "$GLUETRACE" --hints "$work/hints" \
        --trust-anchor "$work/anchor" -o jsonl -f "$work/names" >"$work/out.jsonl" 2>"$work/err.txt" || rc=$?
    check "bulk finished (exit $rc)" test "$rc" -lt 4
    check "60 healthy names secure" test "$(jq -r 'select(.dnssec.answer.status == "secure") | .query.name' "$work/out.jsonl" | grep -c '^h')" -eq 60
    check "4 hostile names not secure" test "$(jq -r 'select(.dnssec.answer.status != "secure") | .query.name' "$work/out.jsonl" | wc -l)" -eq 4
    ;;
signal)
    # SIGINT while hostile names are validated: the run ends promptly with whole lines.
    for i in $(seq 200); do echo "w$i.ktw."; echo "x$i.n3."; done >"$work/names"
    ip netns exec "$ns" "$GLUETRACE" --hints "$work/hints" --trust-anchor "$work/anchor" \
        -o jsonl -f "$work/names" >"$work/out.jsonl" 2>"$work/err.txt" &
    pid=$!
    sleep 2
    start=$(date +%s%N)
    kill -INT "$pid"
    rc=0
    wait "$pid" || rc=$?
    ms=$((($(date +%s%N) - start) / 1000000))
    echo "# SIGINT: exit $rc after $ms ms"
    check "exit 130" test "$rc" -eq 130
    check "stopped promptly ($ms ms < 2000 ms)" test "$ms" -lt 2000
    check "every line whole" bash -c '[[ $(jq -c . "$1" | wc -l) -eq $(wc -l <"$1") ]]' _ "$work/out.jsonl"
    ;;
*)
    echo "unknown scenario $scenario"
    exit 2
    ;;
esac
[[ $fails -eq 0 ]] || { echo "$fails check(s) failed"; exit 1; }
echo "all checks passed"
