#!/usr/bin/env bash
# lab.noroute: on a host without IPv6, gluetrace says so once (NO_ROUTE) and skips the
# IPv6 server addresses instead of reporting every one of them as unreachable. Runs in a
# namespace of its own whose loopback has IPv4 only; nothing listens there, so every IPv4
# query is refused at once by the kernel (port unreachable).
set -uo pipefail
[[ -x ${GLUETRACE:-} ]] || { echo "FAIL: GLUETRACE is not set to the gluetrace binary"; exit 1; }
command -v jq >/dev/null || { echo "FAIL: jq is required"; exit 1; }
ns=gtnoroute$$
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gtnoroute.XXXXXX")
cleanup() { ip netns del "$ns" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
ip netns add "$ns" || { echo "FAIL: cannot create network namespace $ns"; exit 1; }
ip -n "$ns" link set lo up || { echo "FAIL: cannot bring up lo in $ns"; exit 1; }
ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.lo.disable_ipv6=1 \
    || { echo "FAIL: cannot disable IPv6 in $ns"; exit 1; }
cat > "$tmp/hints" <<'HINTS'
.                 3600000 NS   a.root.noroute.
.                 3600000 NS   b.root.noroute.
a.root.noroute.   3600000 A    127.54.0.1
a.root.noroute.   3600000 AAAA 2001:db8:54::1
b.root.noroute.   3600000 A    127.54.0.2
b.root.noroute.   3600000 AAAA 2001:db8:54::2
HINTS
timeout 30 ip netns exec "$ns" "$GLUETRACE" --hints "$tmp/hints" --timeout 300 --retries 0 \
    -o json www.example.test > "$tmp/out.json" 2> "$tmp/err"
rc=$?
fails=0 checks=0
check() {
    checks=$((checks + 1))
    if jq -e "$2" "$tmp/out.json" >/dev/null 2>&1; then :; else echo "FAIL: $1"; fails=$((fails + 1)); fi
}
if [[ $rc -eq 3 ]]; then checks=$((checks + 1)); else echo "FAIL: exit $rc, expected 3"; fails=$((fails + 1)); fi
check "exactly one NO_ROUTE finding, naming IPv6" '[.findings[] | select(.code == "NO_ROUTE")] | length == 1 and (.[0].message | contains("IPv6"))'
check "at most one IPv6 address was tried" '[.queries[] | select(.server.address | contains(":"))] | length <= 1'
check "both IPv4 roots were asked and refused" '[.queries[] | select((.server.address | contains(":") | not) and .outcome == "unreachable")] | length == 2'
check "no UNREACHABLE_SERVER for IPv6 addresses" 'all(.findings[] | select(.code == "UNREACHABLE_SERVER"); .server | contains(":") | not)'
check "the run was quick (refusals, no timeouts)" '.stats.elapsed_ms < 2000 and .stats.timeouts == 0'
if [[ $fails -gt 0 ]]; then echo "lab.noroute: $fails of $checks checks failed"; cat "$tmp/err"; exit 1; fi
echo "lab.noroute: all $checks checks passed"
