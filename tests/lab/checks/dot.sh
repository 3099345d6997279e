#!/usr/bin/env bash
# lab.dot: -o dot draws the delegation. One node per (zone, server name) (counted and checked
# unique), the forged glue of oob.test as a rejected dashed edge to a note listing it, the
# glueless cycle of cycle.test as a cycle of "needs" edges, lame servers in red, no delegation
# checks unless --dot-checks, and the 13-server zone narrower than 2000 px as PNG.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
[[ -x ${GLUETRACE:-} ]] || { echo "FAIL: GLUETRACE is not set to the gluetrace binary"; exit 1; }
lab_is_up || { echo "FAIL: lab $GT_LAB_NS is not up"; exit 1; }
command -v dot > /dev/null || { echo "FAIL: Graphviz dot not found"; exit 1; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gtdot.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
fails=0 checks=0
check() { local desc=$1; shift; if "$@"; then checks=$((checks + 1)); else echo "FAIL: $desc"; fails=$((fails + 1)); fi; }
gdot() { # FILE NAME [OPTIONS...]
    local f=$1
    shift
    timeout 60 ip netns exec "$GT_LAB_NS" "$GLUETRACE" --hints "$LAB_HINTS" --timeout 500 \
        --retries 0 -o dot "$@" > "$TMP/$f.dot"
    dot -Tpng -o "$TMP/$f.png" "$TMP/$f.dot"
}
# server nodes: "sN [tooltip="ZONE NAME", ..."
servers() { grep -o '^ *s[0-9]* \[tooltip="[^"]*"' "$TMP/$1.dot" | sed 's/.*tooltip="//; s/"$//'; }
png_width() { python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); print(struct.unpack(">I",d[16:20])[0])' "$1"; }

gdot lame www.lame.test
check "lame: renders" test -s "$TMP/lame.png"
# . (a, b root), test. (ns1, ns2.nic), lame.test. (ns1, ns2, ns3): 7 nodes, each once
check "lame: 7 server nodes, one per zone and server name" test "$(servers lame | sort -u | wc -l)" -eq 7
check "lame: no node twice" test "$(servers lame | wc -l)" -eq "$(servers lame | sort -u | wc -l)"
check "lame: ns2 and ns3 marked LAME_SERVER in red" test "$(grep -c 'LAME_SERVER.*color=red' "$TMP/lame.dot")" -eq 2
check "lame: the glue edges to the lame servers are red" test "$(grep -c -- '-> s[0-9]* \[label="glue".*color=red' "$TMP/lame.dot")" -eq 4
check "lame: no delegation checks by default" bash -c "! grep -q 'check[0-9]* \[' '$TMP/lame.dot'"
gdot lamechecks www.lame.test --dot-checks
check "lame --dot-checks: the checks are drawn" grep -q 'check[0-9]* \[shape=note' "$TMP/lamechecks.dot"

gdot oob www.sub.oob.test
check "oob: the forged glue is listed" grep -q 'ignored in the referral to sub.oob.test.:.*192.0.2.66.*2001:db8:bad::66' "$TMP/oob.dot"
check "oob: drawn as a rejected dashed edge" grep -q -- '-> ign[0-9]* \[style=dashed, color=red.*label="rejected glue"' "$TMP/oob.dot"
check "oob: the forged address is in no server node" bash -c "! grep -q '^ *s[0-9]* \\[.*192\\.0\\.2\\.66' '$TMP/oob.dot'"
check "oob: the glueless NS name's address from its sub-trace" grep -q 'label="address"' "$TMP/oob.dot"

gdot cycle www.cycle.test
# the two glueless NS names need each other: sA -> sB and sB -> sA, both "needs"
mapfile -t needs < <(grep -o 's[0-9]* -> s[0-9]* \[label="needs"' "$TMP/cycle.dot" | cut -d' ' -f1,3)
check "cycle: two needs edges" test "${#needs[@]}" -eq 2
if [[ ${#needs[@]} -eq 2 ]]; then
    read -r a b <<< "${needs[0]}"
    check "cycle: the needs edges form a cycle" test "${needs[1]}" = "$b $a"
fi
check "cycle: drawn in red" test "$(grep -c 'label="needs", color=red' "$TMP/cycle.dot")" -eq 2
check "cycle: the NS names have no address" test "$(grep -c 'no address' "$TMP/cycle.dot")" -eq 2

gdot big www.big.test
check "big: the 13 servers of big.test., once each" test "$(servers big | grep -c '^big.test. ')" -eq 13
w=$(png_width "$TMP/big.png")
check "big: narrower than 2000 px (is $w)" test "$w" -lt 2000
echo "lab.dot: $checks passed, $fails failed"
[[ $fails -eq 0 ]]
