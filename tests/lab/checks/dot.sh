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
# DNSSEC: with the lab's trust anchor each zone box carries its status as a frame and a label
# line, the answer leaf its own, and a legend explains them; without an anchor none of it.
anchor=$LAB_ANCHOR_DIR/root.ds
gdot moved www.moved.example --trust-anchor "$anchor"
check "moved: renders" test -s "$TMP/moved.png"
check "moved: the root box is secure, green" bash -c "grep -A1 'label=\"\\.\\\\n\[secure\] anchor 1 -> KSK [0-9]* alg 8' '$TMP/moved.dot' | grep -q 'color=\"#2b8a3e\"; fontcolor=\"#2b8a3e\"; penwidth=2'"
check "moved: example. is secure, green" bash -c "grep -A1 'label=\"example\.\\\\n\[secure\] DS 1 -> KSK [0-9]* alg 13' '$TMP/moved.dot' | grep -q 'color=\"#2b8a3e\"'"
check "moved: moved.example. is BOGUS in thick red, with the reason (DS_NO_KEY: the zone's)" bash -c "grep -A1 'label=\"moved\.example\.\\\\n! DNSSEC_DS_NO_KEY\\\\n\[BOGUS\] (0 of 2 servers)\\\\nno DNSKEY matches the DS [0-9]*/13\"' '$TMP/moved.dot' | grep -q 'color=red; fontcolor=red; penwidth=3'"
check "moved: the answer leaf says DNSSEC BOGUS, framed red" grep -q 'a0 \[.*DNSSEC: BOGUS\\n[^"]*no DNSKEY matches the DS [0-9]*/13", color=red, fontcolor=red, penwidth=3' "$TMP/moved.dot"
check "moved: the BOGUS answer leaf is filled red, not green" grep -q 'a0 \[shape=note, style=filled, fillcolor="#ffc9c9"' "$TMP/moved.dot"
check "moved: the legend" grep -q '^  dnssec_legend \[shape=plaintext' "$TMP/moved.dot"
check "moved: both addresses of ns1.moved.example. marked [BOGUS] (their DNSKEY replies)" \
    grep -q 'label="ns1\.moved\.example\.\\n127\.53\.141\.1 \[BOGUS\]\\n2001:db8:53:141::1 \[BOGUS\]' "$TMP/moved.dot"
check "moved: the example. servers' addresses marked [secure]" \
    test "$(grep -o '127\.53\.2\.[12] \[secure\]' "$TMP/moved.dot" | wc -l)" -eq 2
gdot rollover www.rollover.example --trust-anchor "$anchor"
check "rollover: ns2 (old DNSKEY set) is [secure] but carries DNSSEC_DNSKEY_MISMATCH; ns1 does not" \
    bash -c "grep -q 'label=\"ns2\.rollover\.example\.\\\\n127\.53\.144\.2 \[secure\]\\\\n2001:db8:53:144::2 \[secure\]\\\\n! DNSSEC_DNSKEY_MISMATCH' '$TMP/rollover.dot' && grep 'label=\"ns1\.rollover\.example\.' '$TMP/rollover.dot' | grep -qv MISMATCH"
gdot normal www.normal.test --trust-anchor "$anchor"
check "normal: normal.test. is insecure, grey, with the proof" bash -c "grep -A1 'label=\"normal\.test\.\\\\n\[insecure\]\\\\nno DS at test\.' '$TMP/normal.dot' | grep -q 'color=\"#868e96\"'"
check "normal: the answer leaf says insecure" grep -q 'a0 \[.*DNSSEC: insecure' "$TMP/normal.dot"
check "normal: the insecure answer leaf is grey" grep -q 'a0 \[shape=note, style=filled, fillcolor="#e9ecef"' "$TMP/normal.dot"
check "normal: no box is bogus" bash -c "! grep -v dnssec_legend '$TMP/normal.dot' | grep -q 'BOGUS'"
gdot secure www.secure.example --trust-anchor "$anchor"
check "secure: three secure boxes (., example., secure.example.), none else" test "$(grep -c '^    label=".*\\n\[secure\]' "$TMP/secure.dot")" -eq 3
check "secure: no box is anything but secure" bash -c "! grep -E '^    label=\".*\\\\n\[(insecure|BOGUS|indeterminate)\]' '$TMP/secure.dot'"
check "secure: secure.example. with its KSK of algorithm 15" grep -q 'label="secure\.example\.\\n\[secure\] DS 1 -> KSK [0-9]* alg 15' "$TMP/secure.dot"
check "secure: the answer leaf is secure, green" grep -q 'a0 \[.*DNSSEC: secure", color="#2b8a3e"' "$TMP/secure.dot"
check "secure: the secure answer leaf is filled green" grep -q 'a0 \[shape=note, style=filled, fillcolor="#b2f2bb"' "$TMP/secure.dot"
# the healthy look-alike of the marks: no anchor (the lab's hints) or --no-dnssec: no marks
gdot noanchor www.moved.example
check "no anchor: no DNSSEC mark, no legend" bash -c "! grep -Eq '\[(secure|insecure|BOGUS|indeterminate)\]|DNSSEC: |dnssec_legend' '$TMP/noanchor.dot'"
check "no anchor: the root box names DNSSEC_NO_ANCHOR (the info finding), nothing else" \
    test "$(grep -c 'DNSSEC' "$TMP/noanchor.dot")" -eq 1
gdot nodnssec www.moved.example --trust-anchor "$anchor" --no-dnssec
check "--no-dnssec: no DNSSEC mark, no legend, no DNSSEC finding" bash -c "! grep -Eq 'BOGUS|\[secure\]|DNSSEC|dnssec_legend' '$TMP/nodnssec.dot'"
echo "lab.dot: $checks passed, $fails failed"
[[ $fails -eq 0 ]]
