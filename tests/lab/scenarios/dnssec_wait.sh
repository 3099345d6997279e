#!/usr/bin/env bash
# DNSSEC work done while the trace waits (docs/performance.md, "DNSSEC on"): the engine checks
# each signature of the chain as soon as the signed reply and the DNSKEY reply of its signer
# are both in, so the diagnosis after the last reply finds every check done. GLUETRACE_DEBUG=1
# prints "signature checks by libcrypto: N during the trace, D in the diagnosis (M more
# answered from memory)". For every name of tests/lab/dnssec.tab, --one and all paths: D is 0,
# N > 0 where the chain has a signature to check, M > 0 (the diagnosis asked and found them),
# and the verdict is still the table's. Look-alikes where nothing is checked at all: no trust
# anchor (nothing to validate against) and --no-dnssec.
. "$(dirname "$0")/lib.sh"
TAB=$SCEN_DIR/../dnssec.tab
ANCHOR_DS=$LAB_ANCHOR_DIR/root.ds
[[ -r $ANCHOR_DS ]] || abort "the lab's trust anchor file is missing in $LAB_ANCHOR_DIR"

# checks: "N D M" from the current run's debug summary ("- - -" when it is missing).
checks() {
    local line
    line=$(grep -o 'signature checks by libcrypto: .*' "$GT_TMP/run$GT_RUNS.err" | tail -1)
    if [[ $line =~ ([0-9]+)\ during\ the\ trace,\ ([0-9]+)\ in\ the\ diagnosis\ \(([0-9]+)\ more ]]; then
        echo "${BASH_REMATCH[1]} ${BASH_REMATCH[2]} ${BASH_REMATCH[3]}"
    else
        echo "- - -"
    fi
}

export GLUETRACE_DEBUG=1
while read -r name type expected _rcode _delv _reason; do
    [[ -z $name || $name == \#* ]] && continue
    for mode in --one --all; do
        args=(--trust-anchor "$ANCHOR_DS")
        [[ $mode == --one ]] && args+=(--one)
        gt_run "${args[@]}" "$name" "$type"
        read -r during diag remembered <<< "$(checks)"
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
    done
done < "$TAB"

# Look-alikes: nothing to validate against, or DNSSEC off: no signature is checked at all.
gt_run www.secure.example A
read -r during diag remembered <<< "$(checks)"
if [[ $during == 0 && $diag == 0 && $remembered == 0 ]]; then
    pass "no trust anchor: no signature checked"
else
    fail "no trust anchor: checks '$during $diag $remembered', expected none"
fi
jq_true "no trust anchor: every cut indeterminate" \
    '.dnssec.anchor == "none" and all(.dnssec.zones[]; .status == "indeterminate")'
gt_run --no-dnssec --trust-anchor "$ANCHOR_DS" www.secure.example A
read -r during diag remembered <<< "$(checks)"
if [[ $during == 0 && $diag == 0 && $remembered == 0 ]]; then
    pass "--no-dnssec: no signature checked"
else
    fail "--no-dnssec: checks '$during $diag $remembered', expected none"
fi
finish
