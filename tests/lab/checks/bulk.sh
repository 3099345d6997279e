#!/usr/bin/env bash
# lab.bulk: -f in text mode reads like a report: one line per name (status, answer, problems,
# that name's own elapsed time), then a summary by status and by finding code; -v gives the
# full traces instead. A quick name traced beside a slow one (a server that drops packets,
# 500 ms timeout) reports its own time, not the batch's.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
[[ -x ${GLUETRACE:-} ]] || { echo "FAIL: GLUETRACE is not set to the gluetrace binary"; exit 1; }
lab_is_up || { echo "FAIL: lab $GT_LAB_NS is not up"; exit 1; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gtbulk.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
fails=0 checks=0
check() { local desc=$1; shift; if "$@"; then checks=$((checks + 1)); else echo "FAIL: $desc"; fails=$((fails + 1)); fi; }
printf '%s\n' www.normal.test www.lame.test www.sub.oob.test www.cycle.test nope.normal.test \
    'www.glueless.test AAAA' www.unreach.test > "$TMP/names"
run() { timeout 60 ip netns exec "$GT_LAB_NS" env -u COLUMNS "$GLUETRACE" --hints "$LAB_HINTS" \
    --timeout 500 --retries 0 --color never -f "$TMP/names" "$@" 2> "$TMP/err"; }
run > "$TMP/out"
check "exit 3: the cycle reached no answer" test $? -eq 3
head -n 7 "$TMP/out" > "$TMP/lines"
check "one line per name" test "$(grep -c . "$TMP/lines")" -eq 7
for n in www.normal.test www.lame.test www.sub.oob.test www.cycle.test nope.normal.test \
    www.glueless.test www.unreach.test; do
    check "a line for $n" test "$(grep -c "^$n\. " "$TMP/lines")" -eq 1
done
# every trace from --hints without --trust-anchor has the info DNSSEC_NO_ANCHOR (once per name):
# a note, not a problem
check "normal: answer, no problem, the missing anchor a note" grep -qx 'www.normal.test. A: answer A 192.0.2.1; 1 note; [0-9]* ms' "$TMP/lines"
check "lame: its worst problem, as many problems as the text verdict" grep -q '^www.lame.test. A: answer A 192.0.2.6; 2 problems, worst error LAME_SERVER in lame.test. (ns2.lame.test.); 1 note; ' "$TMP/lines"
check "oob: IGNORED_GLUE" grep -q '^www.sub.oob.test. A: answer A 192.0.2.11; 1 problem, worst warning IGNORED_GLUE' "$TMP/lines"
check "cycle: failed, GLUELESS_CYCLE (NO_AUTHORITATIVE_DATA folded under it)" grep -q '^www.cycle.test. A: failed; 1 problem, worst error GLUELESS_CYCLE in cycle.test.; 1 note' "$TMP/lines"
check "nxdomain" grep -qx 'nope.normal.test. A: nxdomain; 1 note; [0-9]* ms' "$TMP/lines"
check "summary: DNSSEC_NO_ANCHOR once per name, as a note" grep -qx ';; note    DNSSEC_NO_ANCHOR: 7 notes in 7 names' "$TMP/out"
check "summary: the problems of every name, notes not counted" grep -qxE ';; [0-9]+ problems in 4 names' "$TMP/out"
check "the type of a name's line" grep -q '^www.glueless.test. AAAA: answer AAAA 2001:db8:2::2;' "$TMP/lines"
check "summary by status" grep -qx ';; 7 names: 5 answer, 1 nxdomain, 1 failed' "$TMP/out"
check "summary by code, errors first" bash -c "grep '^;; [a-z]* *[A-Z_]*:' '$TMP/out' | head -1 | grep -q '^;; error '"
check "summary: LAME_SERVER" grep -qx ';; error   LAME_SERVER: 2 problems in 1 name' "$TMP/out"
check "summary: UNREACHABLE_SERVER" grep -qx ';; warning UNREACHABLE_SERVER: 2 problems in 1 name' "$TMP/out"
check "no full trace without -v" bash -c "! grep -q 'Verdict:' '$TMP/out'"
# elapsed: the unreachable name waits for its 500 ms timeout; the normal one does not
ms() { grep "^$1\. " "$TMP/lines" | sed 's/.*; \([0-9]*\) ms$/\1/'; }
slow=$(ms www.unreach.test) quick=$(ms www.normal.test)
check "unreach waited its timeout (${slow} ms)" test "${slow:-0}" -ge 450
check "normal reports its own time (${quick} ms), not the batch's" test "${quick:-9999}" -lt 300
run -v > "$TMP/verbose"
check "-v: a full trace per name" test "$(grep -c '^Verdict: ' "$TMP/verbose")" -eq 7
echo "lab.bulk: $checks passed, $fails failed"
[[ $fails -eq 0 ]]
