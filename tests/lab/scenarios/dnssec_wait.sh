#!/usr/bin/env bash
# DNSSEC work done while the trace waits (docs/performance.md, "DNSSEC on"): the engine checks
# each signature of the chain as soon as the signed reply and the DNSKEY reply of its signer
# are both in, so the diagnosis after the last reply finds every check done. GLUETRACE_DEBUG=1
# prints "signature checks: by libcrypto N during the trace and D in the diagnosis; from memory
# P during the trace and M in the diagnosis". For every name of tests/lab/dnssec.tab, --one and all paths: D is 0,
# N > 0 where the chain has a signature to check, M > 0 (the diagnosis asked and found them),
# and the verdict is still the table's; with all paths P stays below the run's query count
# (each signed reply is checked once per distinct DNSKEY set of its signer, not once per
# server: pairing every reply with every server's DNSKEY reply gave P = 53-63 for 44-56
# queries). Look-alikes where nothing is checked at all: no trust
# anchor (nothing to validate against) and --no-dnssec.
. "$(dirname "$0")/lib.sh"
TAB=$SCEN_DIR/../dnssec.tab
ANCHOR_DS=$LAB_ANCHOR_DIR/root.ds
[[ -r $ANCHOR_DS ]] || abort "the lab's trust anchor file is missing in $LAB_ANCHOR_DIR"

# checks: "N D M P" from the current run's debug summary ("- - - -" when it is missing).
checks() {
    local line
    line=$(grep -o 'signature checks: by libcrypto .*' "$GT_TMP/run$GT_RUNS.err" | tail -1)
    if [[ $line =~ libcrypto\ ([0-9]+)\ during\ the\ trace\ and\ ([0-9]+)\ in\ the\ diagnosis\;\ from\ memory\ ([0-9]+)\ during\ the\ trace\ and\ ([0-9]+)\ in ]]; then
        echo "${BASH_REMATCH[1]} ${BASH_REMATCH[2]} ${BASH_REMATCH[4]} ${BASH_REMATCH[3]}"
    else
        echo "- - - -"
    fi
}

export GLUETRACE_DEBUG=1
while read -r name type expected _rcode _delv _reason; do
    [[ -z $name || $name == \#* ]] && continue
    for mode in --one --all; do
        args=(--trust-anchor "$ANCHOR_DS")
        [[ $mode == --one ]] && args+=(--one)
        gt_run "${args[@]}" "$name" "$type"
        read -r during diag remembered early <<< "$(checks)"
        if [[ $during == - ]]; then
            fail "no 'signature checks' summary on stderr with GLUETRACE_DEBUG=1"
            continue
        fi
        if [[ $diag -eq 0 ]]; then
            pass "$mode: no signature check left for the diagnosis ($during during the trace)"
        else
            fail "$mode: $diag signature checks by libcrypto after the trace ($during during it)"
        fi
        # The moved zone's DS matches no key: nothing below example. reaches the cryptography,
        # but the root and example. chain above it does.
        if [[ $during -gt 0 && $remembered -gt 0 ]]; then
            pass "$mode: the diagnosis found $remembered checks done"
        else
            fail "$mode: checks during the trace $during, found by the diagnosis $remembered (both must be > 0)"
        fi
        jq_true "$mode: the verdict is still $expected" '.dnssec.answer.status == $e' --arg e "$expected"
        if [[ $mode == --all ]]; then
            jq_true "all paths: $early checks found in memory during the trace, fewer than the queries" \
                '(.queries | length) > $p' --argjson p "$early"
        fi
    done
done < "$TAB"

# Look-alikes: nothing to validate against, or DNSSEC off: no signature is checked at all.
gt_run www.secure.example A
read -r during diag remembered early <<< "$(checks)"
if [[ $during == 0 && $diag == 0 && $remembered == 0 && $early == 0 ]]; then
    pass "no trust anchor: no signature checked"
else
    fail "no trust anchor: checks '$during $diag $remembered $early', expected none"
fi
jq_true "no trust anchor: every cut indeterminate" \
    '.dnssec.anchor == "none" and all(.dnssec.zones[]; .status == "indeterminate")'
gt_run --no-dnssec --trust-anchor "$ANCHOR_DS" www.secure.example A
read -r during diag remembered early <<< "$(checks)"
if [[ $during == 0 && $diag == 0 && $remembered == 0 && $early == 0 ]]; then
    pass "--no-dnssec: no signature checked"
else
    fail "--no-dnssec: checks '$during $diag $remembered $early', expected none"
fi
finish
